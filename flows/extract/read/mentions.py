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
        if m.canonical in titled:
            continue   # "Harrowgate Tech's MS in CS" on Harrowgate's own page is another wording of its degree
        found = _degree_after(text, m.end)
        if found:
            a, deg = found
            emit(Scope(m.text, m.canonical, deg, m.start, m.end, "sentence"), deg, a)
    return out


_POSSESSIVE_RE = re.compile(r"^['’]s[ \t]+")
_SPACE_RE = re.compile(r"^[ \t]+(?=\S)")
_LOWER_WORD_RE = re.compile(r"[a-z][\w-]*[ \t]+")


def _degree_after(text: str, end: int) -> tuple[int, str] | None:
    """(start, degree) of a degree written right after a school: "ASU MCS", "Lakeside's online M.S. in AI",
    "Ashby’s innovative Master of Science in Data Science" (after a possessive, up to two lower-case words
    may come first)."""
    p = _POSSESSIVE_RE.match(text[end:end + 4])
    g = p or _SPACE_RE.match(text[end:end + 4])
    if not g:
        return None
    a = end + g.end()
    for _ in range(3 if p else 1):
        d = find_degree(text[a:a + 120].split("\n")[0])
        if d and d[0] == 0:
            return a, text[a:a + d[1]]
        w = _LOWER_WORD_RE.match(text, a)
        if not w:
            return None
        a = w.end()
    return None


def _degree_start(text: str, sc: Scope) -> int | None:
    """Where the scope's degree is written (searched near the mention that set the scope)."""
    if not sc.degree:
        return None
    lo = max(0, sc.start - 300)
    i = text.find(sc.degree, lo)
    return i if i >= 0 else None


_FORMAT_IN_DEGREE_RE = re.compile(r"(?<![\w-])(?:online|hybrid)(?![\w-])", re.I)


def formats_from_degrees(facts: list[Fact]) -> list[Fact]:
    """A program whose page states no delivery format but names it in its degree ("Online MS in Data Science",
    "online computer science master's") is delivered so: one format fact quoting that word."""
    has_format = {f.subject for f in facts if f.attribute == "delivery_format"}
    out, done = [], set()
    for f in facts:
        if f.attribute != "degree_title" or f.subject in has_format or f.subject in done:
            continue
        fm = _FORMAT_IN_DEGREE_RE.search(f.value)
        if fm:
            done.add(f.subject)
            out.append(Fact("program", f.subject, "delivery_format", fm.group(0), f.start + fm.start(),
                            f.start + fm.end(), EXTRACTOR, f.degree))
    return out
