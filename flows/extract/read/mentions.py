"""Program mentions: every program a page presents becomes a program row, even with no number attached (a
ranking that lists twelve schools yields twelve programs). A program is presented where a school scopes a
ranked item, a heading, a table row or the whole page, and wherever a school is named with a degree right
after it ("Lakeside's online M.S. in Data Science", "ASU MCS"). One mention per school and degree per page;
a degree as written is also its degree_title."""

from __future__ import annotations

import re

from flows.extract.layout.model import Layout
from flows.extract.model import Fact
from flows.extract.scope import Names, Scope, find_degree

EXTRACTOR = "layout_mention"
_AFTER_NAME_RE = re.compile(r"^(?:['’]s)?[ \t]+(?=\S)")


def mention_facts(layout: Layout, scopes: list[Scope | None], names: Names) -> list[Fact]:
    text = layout.text
    seen: set[tuple[str, str | None]] = set()
    out: list[Fact] = []

    def emit(sc: Scope, degree: str | None, d_start: int | None) -> None:
        key = (sc.canonical, degree)
        if key in seen:
            return
        seen.add(key)
        out.append(Fact("program", sc.canonical, "mention", sc.school, sc.start, sc.end, EXTRACTOR, degree))
        if degree and d_start is not None:
            out.append(Fact("program", sc.canonical, "degree_title", degree, d_start, d_start + len(degree),
                            EXTRACTOR, degree))

    for sc in scopes:
        if sc is None or sc.how not in ("item", "section", "page", "field"):
            continue
        emit(sc, sc.degree, _degree_start(text, sc))
    titled = {c for c, d in seen if d}      # schools whose page or section already names their degree
    for m in names.all:
        g = _AFTER_NAME_RE.match(text[m.end:m.end + 4])
        if not g or m.canonical in titled:
            continue   # "Harrowgate Tech's MS in CS" on Harrowgate's own page is another wording of its degree
        a = m.end + g.end()
        d = find_degree(text[a:a + 120].split("\n")[0])
        if d and d[0] == 0:
            deg = text[a:a + d[1]]
            emit(Scope(m.text, m.canonical, deg, m.start, m.end, "sentence"), deg, a)
    return out


def _degree_start(text: str, sc: Scope) -> int | None:
    """Where the scope's degree is written (searched near the mention that set the scope)."""
    if not sc.degree:
        return None
    lo = max(0, sc.start - 300)
    i = text.find(sc.degree, lo)
    return i if i >= 0 else None
