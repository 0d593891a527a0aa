"""Make GX Data Docs work offline and agree with gradfacts: local assets, our navigation, warnings relabelled.

GX 1.x writes pages that load Bootstrap, jQuery, Font Awesome, bootstrap-table, a datepicker, vega and a
logo from CDNs and a public bucket. :func:`localize` rewrites every page GX wrote under ``reports/quality/``:

* Bootstrap 4, jQuery and Font Awesome are copied from the XStatic packages the project installs into
  ``quality/static/vendor/`` and linked by relative path; bootstrap-table, which no installed package
  ships, is replaced by ``static/gradfacts/gx_table.js`` (a stand-in for the one call the index makes);
  the datepicker, dark-theme sheet and vega scripts (no page of ours draws a chart) are dropped, as are
  the remote logo and the newsletter footer.
* Data Docs ignore ``severity``: a suite whose only failures are warnings is relabelled "Warning" on the
  index and on its validation page (``outcomes`` comes from :attr:`GXSession.outcomes`), and each rule's
  row on a validation page shows its severity, a failed warning with a warning icon.
* Every page gets the reports' navigation bar.

Pure text in, text out per page (:func:`rewrite_page`); :func:`localize` does the file work.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

from flows.report.render import nav_html

STATIC = Path(__file__).resolve().parent / "static"

_REMOTE_LINK = re.compile(r'<link\b[^>]*\bhref="https?://[^"]*"[^>]*>\s*', re.I)
_REMOTE_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>\s*', re.I)
_REMOTE_IMG = re.compile(r'<img\b[^>]*\bsrc="https?://[^"]*"[^>]*/?>', re.I)
_REMOTE_URL = re.compile(r"url\(\s*['\"]?https?://[^)]*\)", re.I)
_NEWSLETTER = re.compile(r"<footer>\s*<p>Stay current on everything GX.*?</footer>", re.S)
_INDEX_DATA = re.compile(r"(\bdata: )(\[.*?\])(,\s*toolbar:)", re.S)
_SUITE_OF_PAGE = re.compile(r'Expectation Suite:</span>\s*<a [^>]*>([^<]+)</a>')
_FAILED_STATUS = '<i class="fas fa-times text-danger" aria-hidden="true"></i> Failed'
_FAILED_ICON = "fas fa-times text-danger ge-failed-icon"
_WARNING_ICON = "fas fa-exclamation-triangle ge-warning-icon"

#: (XStatic module, files under its BASE_DIR) copied to quality/static/vendor/<name>/
VENDOR = {
    "bootstrap": ("xstatic.pkg.bootstrap", ("css/bootstrap.min.css", "css/bootstrap.min.css.map",
                                            "js/bootstrap.bundle.min.js", "js/bootstrap.bundle.min.js.map")),
    "jquery": ("xstatic.pkg.jquery", ("jquery.min.js", "jquery.min.map")),
    "font-awesome": ("xstatic.pkg.font_awesome", ("css/all.min.css", "webfonts/*", "LICENSE.txt")),
}
STYLES = ("vendor/bootstrap/css/bootstrap.min.css", "vendor/font-awesome/css/all.min.css", "gradfacts/gx_docs.css")
SCRIPTS = ("vendor/jquery/jquery.min.js", "vendor/bootstrap/js/bootstrap.bundle.min.js", "gradfacts/gx_table.js")


def copy_assets(static_dir: Path) -> list[Path]:
    """Copy the vendored CSS/JS/fonts and gradfacts' own two files into ``static_dir``."""
    import importlib

    written = []
    for name, (module, patterns) in VENDOR.items():
        base = Path(importlib.import_module(module).BASE_DIR)
        for pattern in patterns:
            for src in sorted(base.glob(pattern)):
                dest = static_dir / "vendor" / name / src.relative_to(base)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
                written.append(dest)
    for src in (STATIC / "gx_table.js", STATIC / "gx_docs.css"):
        dest = static_dir / "gradfacts" / src.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        written.append(dest)
    return written


def _relabel_index(page: str, outcomes: dict[str, str]) -> str:
    """On the index, a suite whose failures are all warnings reads "Warning", with a warning icon."""
    m = _INDEX_DATA.search(page)
    if not m:
        return page
    try:
        rows = ast.literal_eval(m.group(2))  # GX writes the table data as a Python literal
    except (ValueError, SyntaxError):
        return page
    for row in rows:
        suite = row.get("_expectation_suite_name_sort")
        if outcomes.get(suite) == "warn" and row.get("_validation_success_text") == "Failed":
            row["_validation_success_text"] = "Warning"
            row["validation_success"] = str(row.get("validation_success", "")).replace(_FAILED_ICON, _WARNING_ICON)
    data = json.dumps(rows).replace("</", "<\\/")
    return page[:m.start(2)] + data + page[m.end(2):]


def _relabel_rules(page: str, severities: dict[str, str]) -> str:
    """Each expectation row: its severity after its description; a failed warning gets a warning icon."""
    for description, severity in severities.items():
        rx = re.compile(r'(<i class="fas fa-(?:times|check-circle) text-(?:danger|success)" ></i>)'
                        r'(\s*</span>\s*</div></td><td [^>]*><div class="show-scrollbars">\s*<span >\s*)'
                        + re.escape(description) + r"(?=\s*</span>)")

        def mark(m: re.Match, severity: str = severity) -> str:
            icon = m.group(1)
            if severity == "warning" and "fa-times" in icon:
                icon = f'<i class="{_WARNING_ICON}" title="failed, severity warning"></i>'
            return icon + m.group(2) + description + f' <span class="gradfacts-severity s-{severity}">({severity})</span>'

        page = rx.sub(mark, page)
    return page


def _relabel_validation(page: str, outcomes: dict[str, str], severities: dict[str, dict[str, str]]) -> str:
    m = _SUITE_OF_PAGE.search(page)
    if not m:
        return page
    suite = m.group(1).strip()
    page = _relabel_rules(page, severities.get(suite, {}))
    if outcomes.get(suite) != "warn":
        return page
    return page.replace(_FAILED_STATUS, f'<i class="{_WARNING_ICON}" aria-hidden="true"></i> Warning '
                        "(every failed expectation has severity warning: its rows are published, flagged)")


def rewrite_page(page: str, *, depth: int, outcomes: dict[str, str],
                 severities: dict[str, dict[str, str]] | None = None) -> str:
    """One Data Docs page, ``depth`` folders below quality/, made offline and relabelled."""
    to_static = "../" * depth + "static/"
    page = _REMOTE_LINK.sub("", page)
    page = _REMOTE_SCRIPT.sub("", page)
    page = _REMOTE_IMG.sub('<span class="h5">gradfacts · GX Data Docs</span>', page)
    page = _REMOTE_URL.sub("none", page)
    page = _NEWSLETTER.sub("", page)
    head = "".join(f'<link rel="stylesheet" href="{to_static}{s}">\n' for s in STYLES)
    head += "".join(f'<script src="{to_static}{s}"></script>\n' for s in SCRIPTS)
    page = page.replace("</head>", head + "</head>", 1)
    nav = str(nav_html("../" * (depth + 1), "quality/index.html"))
    page = page.replace("<body>", "<body>\n" + nav, 1)
    if depth == 0:
        return _relabel_index(page, outcomes)
    return _relabel_validation(page, outcomes, severities or {})


def remote_references(text: str) -> list[str]:
    """Resource loads (link, script, img, CSS url) that would reach the network."""
    found = [m.group(0) for rx in (_REMOTE_LINK, _REMOTE_SCRIPT, _REMOTE_IMG, _REMOTE_URL) for m in rx.finditer(text)]
    return [f[:120] for f in found]


def localize(docs_dir: Path, outcomes: dict[str, str] | None = None,
             severities: dict[str, dict[str, str]] | None = None) -> list[str]:
    """Rewrite every page and stylesheet under ``docs_dir``; returns any remote reference still left.

    ``outcomes``/``severities``: :attr:`GXSession.outcomes` and :attr:`GXSession.severities`."""
    docs_dir = Path(docs_dir)
    outcomes = outcomes or {}
    copy_assets(docs_dir / "static")
    left = []
    for css in sorted((docs_dir / "static" / "styles").glob("*.css")):
        text = css.read_text(encoding="utf-8")
        new = _REMOTE_URL.sub("none", text)
        if new != text:
            css.write_text(new, encoding="utf-8")
    for page in sorted(docs_dir.rglob("*.html")):
        rel = page.relative_to(docs_dir)
        text = rewrite_page(page.read_text(encoding="utf-8"), depth=len(rel.parts) - 1, outcomes=outcomes,
                            severities=severities)
        page.write_text(text, encoding="utf-8")
        left += [f"{rel.as_posix()}: {r}" for r in remote_references(text)]
    return left
