/* gradfacts: a small stand-in for bootstrap-table, the one Data Docs script no installed package ships
   (no PyPI/XStatic release carries bootstrap-table). GX's index builds its two tables with
   $(el).bootstrapTable({columns, data, rowAttributes, rowStyle, sortName, sortOrder}); this renders them
   as plain tables sortable by a header click and fires the same 'click-row.bs.table' event. Search,
   filter controls and pagination are left out. Cells are GX's own rendered HTML (gradfacts escapes
   every source string before GX sees it). */
(function ($) {
  "use strict";
  function named(f) { return typeof f === "function" ? f : (f && typeof window[f] === "function" ? window[f] : null); }

  function render($table, opts) {
    var cols = opts.columns || [], data = (opts.data || []).slice();
    var sortCol = cols.filter(function (c) { return c.field === opts.sortName; })[0];
    var sortKey = opts.sortName ? ((sortCol && sortCol.sortName) || opts.sortName) : null;
    if (sortKey) {
      var dir = opts.sortOrder === "desc" ? -1 : 1;
      data.sort(function (a, b) { var x = a[sortKey], y = b[sortKey]; return x < y ? -dir : (x > y ? dir : 0); });
    }
    var $head = $("<thead><tr></tr></thead>"), $hr = $head.find("tr");
    cols.forEach(function (c) {
      var $th = $("<th></th>").text(c.title || c.field);
      if (c.sortable) {
        $th.css("cursor", "pointer").attr("title", "sort").on("click", function () {
          var order = (opts.sortName === c.field && opts.sortOrder !== "desc") ? "desc" : "asc";
          render($table, $.extend({}, opts, { sortName: c.field, sortOrder: order }));
        });
      }
      $hr.append($th);
    });
    var $body = $("<tbody></tbody>"), attrs = named(opts.rowAttributes), style = named(opts.rowStyle);
    data.forEach(function (row, i) {
      var $tr = $("<tr></tr>");
      if (attrs) { var a = attrs(row, i) || {}; Object.keys(a).forEach(function (k) { $tr.attr(k, a[k]); }); }
      if (style) { var s = style(row, i) || {}; if (s.css) { $tr.css(s.css); } if (s.classes) { $tr.addClass(s.classes); } }
      cols.forEach(function (c) {
        var $td = $("<td></td>").html(row[c.field] === undefined || row[c.field] === null ? "" : String(row[c.field]));
        if (c.align) { $td.css("text-align", c.align); }
        $tr.append($td);
      });
      $tr.on("click", function (e) {
        if ($(e.target).closest("a").length) { return; }
        $table.trigger("click-row.bs.table", [row, $tr]);
      });
      $body.append($tr);
    });
    $table.empty().addClass("table table-hover table-sm").append($head, $body).attr("data-rows", data.length);
  }

  $.fn.bootstrapTable = function (opts) {
    if (typeof opts === "string") { return this; } // methods such as clearFilterControl: no filters to clear
    return this.each(function () { render($(this), opts || {}); });
  };
})(jQuery);
