"""Program mentions: every school a page presents as a program becomes a program row, even with no number
attached (a ranking that lists twelve schools yields twelve programs). One mention per school and degree
per page, at the place that established its scope (a ranked item, a school heading, the page's own school)."""

from __future__ import annotations

from flows.extract.layout.model import Layout
from flows.extract.model import Fact
from flows.extract.scope import Scope

EXTRACTOR = "layout_mention"


def mention_facts(layout: Layout, scopes: list[Scope | None]) -> list[Fact]:
    seen: set[tuple[str, str | None]] = set()
    out: list[Fact] = []
    for sc in scopes:
        if sc is None or sc.how not in ("item", "section", "page", "field"):
            continue
        key = (sc.canonical, sc.degree)
        if key in seen:
            continue
        seen.add(key)
        out.append(Fact("program", sc.canonical, "mention", sc.school, sc.start, sc.end, EXTRACTOR, sc.degree))
    return out
