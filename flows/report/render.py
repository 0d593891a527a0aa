"""One jinja2 environment for every HTML report: autoescape on, templates beside this module.

Every page, gradfacts' own and the GX Data Docs alike, carries the same navigation (:data:`NAV`);
``root`` is the relative path from the page to reports/ (``""`` at the top, ``"../"`` one folder down).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).parent / "templates"

#: (label, path under reports/): the navigation of every page
NAV = (
    ("index", "index.html"),
    ("quality", "quality.html"),
    ("GX Data Docs", "quality/index.html"),
    ("freshness", "freshness.html"),
    ("conflicts", "conflicts.html"),
    ("changes", "changes.html"),
    ("programs", "programs.html"),
    ("sources", "sources/index.html"),
    ("extraction", "extraction.html"),
    ("last run", "run.html"),
    ("data dictionary", "data_dictionary.html"),
)


@lru_cache(maxsize=256)  # pure; every page asks for it (10,000 source pages share one answer)
def nav_html(root: str = "", here: str | None = None) -> Markup:
    """The navigation bar as HTML, links relative to a page ``root`` away from reports/."""
    links = []
    for label, href in NAV:
        cls = ' class="here"' if href == here else ""
        links.append(f'<a href="{escape(root + href)}"{cls}>{escape(label)}</a>')
    return Markup('<nav class="gradfacts-nav">' + "".join(links) + "</nav>")


_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True))
_env.globals["nav_html"] = nav_html


def _source_page(source_id: str) -> str:
    from flows.report.source_view import page_name

    return page_name(source_id)


_env.globals["source_page"] = _source_page


def render(template: str, **ctx) -> str:
    return _env.get_template(template).render(**ctx)


def write_atomic(path: Path, text: str) -> Path:
    """The project's one atomic write (flows.common.files), for every report page."""
    from flows.common.files import atomic_write_text

    return atomic_write_text(path, text)
