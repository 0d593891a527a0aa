"""HTML -> Layout: blocks read from the DOM structure, every span in the flattened text.

The flattened text is what extractors read (and what ``flows.ingest.html_text.html_to_text`` returns):
block elements start new lines, ``<li>`` renders as ``- x``, table rows as ``| a | b |`` so the
line-shape readers still see them, whitespace collapses, entities decode. ``offsets[i]`` is the file
offset of ``text[i]`` (plus one end entry), so every block's span maps back to the file's own text.

Built on the standard library's ``html.parser`` because it reports where each token starts in the
file (``getpos``), text and entity tokens included; the usual HTML libraries build a tree but keep at
most where a *tag* starts (lxml's ``sourceline``, BeautifulSoup's ``sourceline``/``sourcepos``), not the
offsets of text nodes or decoded entities, so quotes could not be traced back to the file. The parser does not
build a tree nor close omitted end tags, so the few implied closes that matter here (``<p>``, ``<li>``,
``<dt>``/``<dd>``, ``<tr>``, ``<td>``/``<th>``) are done below.

Blocks (see ``model.py``): ``<title>`` TITLE; ``h1``-``h6`` HEADING; text of ``p``/``div``-like
elements PARAGRAPH (``Key: value`` lines, value-first "30 Credits" and bare byline / date / breadcrumb
lines are FIELD or META, read with ``lineshapes`` as in plain text); ``li`` ITEM (level = list depth,
ordinal in ``<ol>``); ``table`` TABLE with its cells (header rows; key column for ``<th>``/``<td>``
rows or short labels beside values); ``dt``/``dd`` and two-element stat cards FIELD; breadcrumbs,
bylines (author classes, ``rel``/``itemprop`` author, ``<meta name="author">``) and dates META.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from flows.extract.layout.lineshapes import field_lines, label_like, meta_role, stat_split, value_like
from flows.extract.layout.model import (
    FIELD, HEADING, ITEM, META, PARAGRAPH, TITLE, Block, Cell, Layout, Span, link_sections,
)
from flows.extract.layout.tables import label_column, table_block

#: elements that start and end a line of the flattened text
_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "ul", "ol", "li",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tfoot", "tr", "br", "hr",
    "blockquote", "pre", "dl", "dt", "dd", "figure", "figcaption", "title", "caption",
}
_SKIP = {"script", "style", "noscript", "template", "svg", "head"}  # head: only its <title> is read
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr", "keygen"}
#: elements whose direct text is running text (one PARAGRAPH per run between child blocks)
_FLOW = {"div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote", "pre",
         "figure", "body", "html", "form", "address", "center", "fieldset"}
#: a start tag of these closes an open <p> (HTML's omitted </p>)
_CLOSES_P = {"address", "article", "aside", "blockquote", "div", "dl", "fieldset", "footer", "form",
             "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol", "p", "pre",
             "section", "table", "ul", "figure", "figcaption", "li", "dt", "dd"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_LISTS = {"ul", "ol", "menu"}
_TABLE_PARTS = {"thead", "tbody", "tfoot", "tr", "td", "th"}

_BYLINE_CLASS = re.compile(r"author|byline", re.I)
_DATE_CLASS = re.compile(r"(?:^|[-_])(?:date|dateline|pubdate|published|publish-date|post-date)(?:$|[-_])", re.I)
_DATE_ITEMPROP = {"datepublished", "datemodified", "datecreated"}
#: a META line is short; a long paragraph inside an author box is a biography, not a byline
_META_MAX = 200


class _Frame:
    """An open element. Frames that own a block (``kind`` set) collect its text: ``first``/``last`` are
    the span of the non-blank text of the current segment. ``real`` frames are structure of their own;
    the others sit inside a block that absorbs them (a ``<b>`` in a ``<p>``, a ``<p>`` in a ``<td>``)."""

    __slots__ = ("tag", "kind", "absorb", "real", "role", "own_role", "first", "last", "markers", "level",
                 "ordinal", "counter", "rows", "cells", "head", "key", "used", "empty_at", "section", "nblocks",
                 "parts")

    def __init__(self, tag: str, role: str | None = None, own_role: str | None = None, real: bool = False) -> None:
        self.tag = tag
        self.kind: str | None = None     # block kind when this frame owns text ("dt"/"dd"/"cell" are parts)
        self.absorb = False              # descendants are part of this block (li, td, p, h1, title, dt, dd)
        self.real = real
        self.role, self.own_role = role, own_role
        self.first: int | None = None
        self.last = 0
        self.markers: list[tuple[str, int, int]] = []  # inline byline/date elements in the segment
        self.level = 0
        self.ordinal: str | None = None
        self.counter = 1                 # <ol>: the next item's number
        self.rows: list[tuple[tuple[Cell, ...], bool]] = []   # <table>: (cells, is a header row)
        self.cells: list[Cell] = []      # <tr> (or a <table> with cells outside any <tr>)
        self.head = False                # <th>
        self.key: Span | None = None     # <dl>: the last <dt>
        self.used = False                # <dl>: that <dt> has had its <dd>
        self.empty_at = 0                # cell: where its text would start if it has none (after "| ")
        self.section = ""                # <tr>: the thead / tbody / tfoot it sits in
        self.nblocks = 0                 # how many blocks there were when the element opened
        self.parts: list[tuple[int, int, list]] = []  # (first, last, parts) of child elements with text


def _role_of(tag: str, attrs: dict[str, str]) -> str | None:
    if tag == "time":
        return "date"
    rel = attrs.get("rel", "").lower().split()
    prop = attrs.get("itemprop", "").lower()
    if "author" in rel or "author" in prop.split():
        return "byline"
    if prop in _DATE_ITEMPROP:
        return "date"
    classes = attrs.get("class", "").split()
    if any(_BYLINE_CLASS.search(c) for c in classes):
        return "byline"
    if any(_DATE_CLASS.search(c) for c in classes):
        return "date"
    return None


def _is_breadcrumb(tag: str, attrs: dict[str, str]) -> bool:
    if tag not in ("nav", "ol", "ul", "div"):
        return False
    return "breadcrumb" in attrs.get("aria-label", "").lower() or "breadcrumb" in attrs.get("class", "").lower()


#: tags an item does not absorb: nested lists, tables and definition lists stay structure of their own
_ITEM_HOLDS = _LISTS | {"li", "table", "dl", "dt", "dd"} | _TABLE_PARTS


class _Builder(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.src = source
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.out: list[str] = []
        self.offsets: list[int] = []
        self.skip_depth = 0
        root = _Frame("#root", real=True)
        root.kind = PARAGRAPH
        self.stack: list[_Frame] = [root]
        self.blocks: list[Block] = []
        self.title_block: Block | None = None

    # ---- the flattened text (the rendering of the flattener this replaces, unchanged) ----
    def _pos(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _emit(self, s: str, at: int, step: bool = False) -> None:
        for i, ch in enumerate(s):
            self.out.append(ch)
            self.offsets.append(at + i if step else at)

    def _content(self, s: str, at: int, step: bool = False) -> None:
        """Emit document text (as opposed to a line break, list dash or cell pipe) and grow the spans."""
        n = len(self.out)
        self._emit(s, at, step)
        body = s.strip()
        if not body:
            return
        start = n + len(s) - len(s.lstrip())
        end = start + len(body)
        owner = self._owner()
        if owner.first is None:
            owner.first = start
        owner.last = end
        for f in reversed(self.stack):  # the elements inside the block: bylines, dates, label/value parts
            if f is owner:
                break
            if f.first is None:
                f.first = start
            f.last = end

    def _newline(self, at: int) -> None:
        if self.out and self.out[-1] != "\n":
            self._emit("\n", at)

    # ---- structure ----
    def _owner(self) -> _Frame:
        for f in reversed(self.stack):
            if f.kind is not None:
                return f
        return self.stack[0]

    def _real(self, tags: set[str] | tuple[str, ...], stop: set[str] = frozenset()) -> _Frame | None:
        for f in reversed(self.stack):
            if f.real and f.tag in tags:
                return f
            if f.real and f.tag in stop:
                return None
        return None

    def _table(self) -> _Frame | None:
        return self._real(("table",))

    def _find(self, tags: set[str], stop: set[str]) -> int | None:
        """Index of the innermost open frame with a tag in ``tags``, unless a ``stop`` frame is nearer."""
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t in tags:
                return i
            if t in stop or t in _SKIP:
                return None
        return None

    def _pop_to(self, i: int) -> None:
        while len(self.stack) > i:
            self._close(self.stack.pop())

    def _text(self, start: int, end: int) -> str:
        return "".join(self.out[start:end])

    def _flush(self, f: _Frame) -> None:
        """Turn the owner's current text segment into a block."""
        markers, f.markers = f.markers, []
        parts, f.parts = f.parts, []
        if f.first is None:
            return
        start, end, f.first = f.first, f.last, None
        if f.kind in ("dt", "dd"):
            self._field_part(f.kind, start, end)
            return
        if f.kind == "cell":
            f.first = start  # a cell is one span however many segments it has
            return
        kind, role = f.kind, f.role
        short = end - start <= _META_MAX
        line = self._text(start, end)
        if role and short and kind != TITLE:
            kind = META
        elif markers and short and kind == PARAGRAPH:
            kind, role = META, ("byline" if any(r == "byline" for r, _, _ in markers) else "date")
        elif kind == PARAGRAPH and meta_role(line):  # "By Sam Ortiz", "Home > Programs > …" as bare text
            kind, role = META, meta_role(line)
        elif kind == PARAGRAPH and stat_split(line):  # "30 Credits" on a card
            (ks, ke), (vs, ve) = stat_split(line)
            self.blocks.append(Block(FIELD, start, end, key=Span(start + ks, start + ke),
                                     value=Span(start + vs, start + ve), role="stat"))
            return
        elif kind in (PARAGRAPH, ITEM) and field_lines(line):
            # "Key: value" lines (several when <br> splits the paragraph): a field per line; in a list
            # ("- Cost: $900 per credit") a field keeps the item's depth, as in plain text
            for a, b, (ks, ke), (vs, ve) in field_lines(line):
                self.blocks.append(Block(FIELD, start + a, start + b, level=f.level if kind == ITEM else 0,
                                         key=Span(start + ks, start + ke), value=Span(start + vs, start + ve)))
            f.ordinal = None
            return
        pair = self._pair(start, end, parts, kind == ITEM) if kind in (PARAGRAPH, ITEM) else None
        if pair:
            key, value, frole = pair
            self.blocks.append(Block(FIELD, start, end, level=f.level if kind == ITEM else 0, key=key, value=value,
                                     role=frole))
            f.ordinal = None
            return
        b = Block(kind, start, end, level=f.level if kind in (HEADING, ITEM) else 0,
                  ordinal=f.ordinal if kind == ITEM else None, role=role if kind == META else None)
        self.blocks.append(b)
        if kind == TITLE and self.title_block is None:
            self.title_block = b
        f.ordinal = None  # text after an item's nested list is not numbered again
        if kind != META:
            self.blocks.extend(Block(META, s, e, role=r) for r, s, e in markers if r == "byline")

    def _pair(self, start: int, end: int, parts: list, glued_only: bool) -> tuple[Span, Span, str | None] | None:
        """A label and its value in two elements of one line, told apart by the markup even where the
        text runs them together ("<span>GRE</span><span>No</span>" reads "GRENo"), or a bold label before
        its value ("<b>Tuition</b> $42,000"). In a list item only the run-together case: "<b>Fernhill
        University</b> $24,000" is a ranked entry, not a field."""
        while len(parts) == 1 and parts[0][0] == start and parts[0][1] == end:
            parts = parts[0][2]
        if not parts or parts[0][0] != start:
            return None
        if len(parts) == 2 and parts[1][1] == end:
            (a0, a1, _), (b0, b1, _) = parts
            gap = self._text(a1, b0)
            if gap.strip() or (glued_only and gap):
                return None
            ta, tb = self._text(a0, a1), self._text(b0, b1)
            if label_like(ta) and value_like(tb):
                return Span(a0, a1), Span(b0, b1), None
            if value_like(ta) and label_like(tb):
                return Span(b0, b1), Span(a0, a1), "stat"
            return None
        if glued_only or len(parts) != 1:
            return None
        a0, a1, _ = parts[0]
        rest = self._text(a1, end)
        r0 = a1 + len(rest) - len(rest.lstrip())
        if r0 > a1 and label_like(self._text(a0, a1)) and value_like(rest.strip()):
            return Span(a0, a1), Span(r0, end), None
        return None

    def _card(self, f: _Frame) -> None:
        """An element holding just two short texts, a value and its label ("36" / "Total Credits", or
        "Tuition" / "$42,000"), is a stat card: one FIELD (role "stat" when the value comes first)."""
        inner = self.blocks[f.nblocks:]
        if len(inner) != 2 or any(b.kind != PARAGRAPH for b in inner):
            return
        a, b = sorted(inner, key=lambda x: x.start)
        if a.end > b.start:
            return
        ta, tb = self._text(a.start, a.end), self._text(b.start, b.end)
        if value_like(ta) and label_like(tb):
            key, value, role = b, a, "stat"
        elif label_like(ta) and value_like(tb):
            key, value, role = a, b, None
        else:
            return
        self.blocks[f.nblocks:] = [Block(FIELD, a.start, b.end, key=Span(key.start, key.end),
                                         value=Span(value.start, value.end), role=role)]

    def _field_part(self, kind: str, start: int, end: int) -> None:
        dl = self._real(("dl",)) or self.stack[0]
        if kind == "dt":
            if dl.key is not None and not dl.used:  # a <dt> without its <dd>
                self.blocks.append(Block(PARAGRAPH, dl.key.start, dl.key.end))
            dl.key, dl.used = Span(start, end), False
            return
        if dl.key is None:
            self.blocks.append(Block(PARAGRAPH, start, end))
            return
        self.blocks.append(Block(FIELD, dl.key.start, end, key=dl.key, value=Span(start, end)))
        dl.used = True  # more <dd>s may follow under the same key

    def _close(self, f: _Frame) -> None:
        if f.kind == "cell":
            self._flush(f)
            row = self._real(("tr",), {"table"}) or self._table()
            start = f.first if f.first is not None else f.empty_at
            if row is not None:
                row.cells.append(Cell(start, f.last if f.first is not None else start, header=f.head))
            elif f.first is not None:  # a cell outside any table is running text
                self.blocks.append(Block(PARAGRAPH, start, f.last))
            return
        if f.kind is not None:
            self._flush(f)
            if f.tag in _FLOW and f.real:
                self._card(f)
        if f.own_role and f.first is not None and f.kind is None:
            self._owner().markers.append((f.own_role, f.first, f.last))
        if f.kind is None and f.first is not None:
            self.stack[-1].parts.append((f.first, f.last, f.parts))
        if not f.real:
            return
        if f.tag == "dl" and f.key is not None and not f.used:
            self.blocks.append(Block(PARAGRAPH, f.key.start, f.key.end))
        elif f.tag == "tr":
            t = self._table()
            if t is not None and f.cells:
                header = f.section == "thead" or all(c.header for c in f.cells)
                t.rows.append((tuple(f.cells), header))
        elif f.tag == "table":
            if f.cells:  # cells outside any <tr>
                f.rows.append((tuple(f.cells), all(c.header for c in f.cells)))
            block = _table_block(f, self._text) if f.rows else None
            if block is not None:
                self.blocks.append(block)

    def _open(self, tag: str, attrs: dict[str, str]) -> _Frame:
        parent = self.stack[-1]
        own = _role_of(tag, attrs)
        holder = next((x for x in reversed(self.stack) if x.absorb), None)
        if holder is not None and not (holder.kind == ITEM and tag in _ITEM_HOLDS):
            f = _Frame(tag, own or parent.role, own)  # part of the block that holds it
            self.stack.append(f)
            return f
        f = _Frame(tag, own or parent.role, own, real=True)
        f.nblocks = len(self.blocks)
        if tag in _BLOCK or tag in _FLOW:
            self._flush(self._owner())  # a child block ends the running text before it
        if _is_breadcrumb(tag, attrs):
            f.kind, f.absorb, f.role = META, True, "breadcrumb"
        elif tag == "title":
            f.kind, f.absorb = TITLE, True
        elif tag in _HEADINGS:
            f.kind, f.absorb, f.level = HEADING, True, _HEADINGS[tag]
        elif tag in ("p", "figcaption", "caption"):
            f.kind, f.absorb = PARAGRAPH, True
        elif tag == "li":
            depth = sum(1 for x in self.stack if x.real and x.tag in _LISTS) - 1
            f.kind, f.absorb, f.level = ITEM, True, max(depth, 0)
            lst = self._real(_LISTS)
            if lst is not None and lst.tag == "ol":
                v = attrs.get("value", "").strip()
                if re.fullmatch(r"-?\d+", v):
                    lst.counter = int(v)
                f.ordinal = str(lst.counter)
                lst.counter += 1
        elif tag in ("dt", "dd"):
            f.kind, f.absorb = tag, True
        elif tag in ("td", "th"):
            f.kind, f.absorb, f.head = "cell", True, tag == "th"
            f.empty_at = len(self.out) + 2  # where an empty cell's text would be (after "| ")
        elif tag in _FLOW:
            f.kind = PARAGRAPH
        elif tag == "ol":
            v = attrs.get("start", "").strip()
            f.counter = int(v) if re.fullmatch(r"-?\d+", v) else 1
        elif tag == "tr":
            sec = self._real(("thead", "tbody", "tfoot"), {"table"})
            f.section = sec.tag if sec is not None else ""
            t = self._table()
            if t is not None and t.cells:  # cells that came before any <tr> are a row of their own
                t.rows.append((tuple(t.cells), all(c.header for c in t.cells)))
                t.cells = []
        self.stack.append(f)
        return f

    def _implied_closes(self, tag: str) -> None:
        """The end tags HTML lets a page omit, closed where the next start tag implies them."""
        i = None
        if tag in _CLOSES_P:
            i = self._find({"p"}, (_BLOCK - {"p"}) | _FLOW | {"td", "th"})
            if i is not None:
                self._pop_to(i)
        if tag == "li":
            i = self._find({"li"}, _LISTS)
        elif tag in ("dt", "dd"):
            i = self._find({"dt", "dd"}, {"dl"})
        elif tag in ("td", "th"):
            i = self._find({"td", "th"}, {"tr", "table"})
        elif tag == "tr":
            i = self._find({"tr"}, {"table"})
        elif tag in ("thead", "tbody", "tfoot"):
            i = self._find({"thead", "tbody", "tfoot"}, {"table"})
            if i is None:
                i = self._find({"tr"}, {"table"})
        elif tag in _HEADINGS:
            i = self._find(set(_HEADINGS), _BLOCK - set(_HEADINGS))
        if i is not None:
            self._pop_to(i)

    # ---- parser callbacks ----
    def handle_starttag(self, tag, attrs):
        at = self._pos()
        attrs = {k: (v or "") for k, v in attrs}
        skipped = self.skip_depth > 0 or (tag in _SKIP and tag != "head")
        if tag == "meta" and not skipped:
            self._meta(attrs, at)
        if tag not in _VOID:
            if skipped:
                self.stack.append(_Frame(tag))
            else:
                self._implied_closes(tag)
                self._open(tag, attrs)
        # rendering (a start tag inside skipped content still breaks the line, as it always did)
        if tag in _SKIP:
            if tag != "head":
                self.skip_depth += 1
        elif tag == "li":
            self._newline(at)
            self._emit("- ", at)
        elif tag == "tr":
            self._newline(at)
        elif tag in ("td", "th"):
            self._emit("| ", at)
        elif tag in _BLOCK:
            self._newline(at)

    def handle_endtag(self, tag):
        at = self._pos()
        if tag in _SKIP:
            if tag != "head":
                self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in ("td", "th"):
            self._emit(" ", at)
        elif tag == "tr":
            self._emit("|", at)
            self._newline(at)
        elif tag in _BLOCK:
            self._newline(at)
        if tag in _VOID:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            t = self.stack[i].tag
            if t == tag:
                self._pop_to(i)
                break
            if t in _SKIP:  # an end tag inside skipped content never closes what is outside it
                break

    def handle_startendtag(self, tag, attrs):
        at = self._pos()
        if tag in ("br", "hr"):
            self._newline(at)
        if tag == "meta" and not self.skip_depth:
            self._meta({k: (v or "") for k, v in attrs}, at)

    def _meta(self, attrs: dict[str, str], at: int) -> None:
        """``<meta name="author" content="…">`` becomes a byline line of the text, mapped to the attribute."""
        value = attrs.get("content", "")
        if attrs.get("name", "").lower() != "author" or not value.strip():
            return
        raw = self.get_starttag_text() or ""
        m = re.search(r"""\bcontent\s*=\s*(?:"(?P<d>[^"]*)"|'(?P<s>[^']*)'|(?P<u>[^\s>]+))""", raw, re.I)
        if not m:
            return
        group = next(g for g in ("d", "s", "u") if m.group(g) is not None)
        vat, raw_value = at + m.start(group), m.group(group)
        self._newline(at)
        n = len(self.out)
        if raw_value == value:  # no entities: every character maps to its own, spaces collapse
            for c in re.finditer(r"\s+|\S+", value.strip()):
                lead = len(value) - len(value.lstrip())
                self._emit(" " if c.group(0)[0].isspace() else c.group(0), vat + lead + c.start(),
                           step=not c.group(0)[0].isspace())
        else:  # entities: the first character maps to the value's start, the rest to its last character
            text = re.sub(r"\s+", " ", value).strip()
            self._emit(text[:1], vat)
            self._emit(text[1:], vat + len(raw_value) - 1)
        if len(self.out) > n:
            self.blocks.append(Block(META, n, len(self.out), role="byline"))
        self._newline(at)

    def handle_data(self, data):
        if self.skip_depth:
            return
        at = self._pos()
        text = re.sub(r"\s+", " ", data)
        if not text.strip():
            if self.out and self.out[-1] not in " \n":
                self._emit(" ", at)
            return
        if text == data:  # nothing collapsed: offsets step 1:1
            self._content(data, at, step=True)
            return
        for m in re.finditer(r"\s+|\S+", data):
            chunk = m.group(0)
            if chunk[0].isspace():
                if self.out and self.out[-1] not in " \n":
                    self._emit(" ", at + m.start())
            else:
                self._content(chunk, at + m.start(), step=True)

    def _ref(self, raw: str) -> None:
        if not self.skip_depth:
            self._content(unescape(raw), self._pos())

    def handle_entityref(self, name):
        self._ref(f"&{name};")

    def handle_charref(self, name):
        self._ref(f"&#{name};")

    def finish(self) -> Layout:
        self.close()
        self._pop_to(1)
        self._flush(self.stack[0])
        text = "".join(self.out)
        blocks = sorted(self.blocks, key=lambda b: b.start)  # stable: document order of the starts
        title = text[self.title_block.start:self.title_block.end] if self.title_block else None
        return Layout(text=text, blocks=link_sections(blocks), offsets=self.offsets + [len(self.src)],
                      media_type="text/html", title=title or None)


def _table_block(t: _Frame, span_text) -> Block | None:
    rows = [list(r) for r, _ in t.rows]
    header = 0
    for _, is_header in t.rows:
        if not is_header:
            break
        header += 1
    body = rows[header:]
    # the vertical table: every row is a <th> key followed by <td> values
    key_column = bool(body) and any(len(r) > 1 for r in body) and all(
        r[0].header and not any(c.header for c in r[1:]) for r in body)
    return table_block(rows, header, key_column or label_column(span_text, rows, header))


def layout_from_html(source: str) -> Layout:
    """The document model of an HTML page (pure: source in, Layout out)."""
    b = _Builder(source)
    b.feed(source)
    return b.finish()
