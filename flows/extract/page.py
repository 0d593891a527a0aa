"""The school whose own program page a document is ("Online M.S. in Tide Analytics | Lakeside University"),
read from the page's first title lines after any navigation links. Courses and concentrations such a
page lists are that school's. Pure: text in, span out.
"""

from __future__ import annotations

import re

from flows.extract.text import iter_lines

_NAV_RE = re.compile(r"^(?:[-*•]\s+)?(?:\[[^\]]{1,40}\]\([^)]*\)|[A-Z][\w&'’]*(?:\s+[\w&'’]+){0,3})$")


def _is_nav(line: str) -> bool:
    """A navigation link line: "- [Apply Now](/apply)", "- Home"."""
    t = line.strip()
    return t.startswith(("-", "*", "•")) and bool(_NAV_RE.match(t))


def own_page_school(text: str) -> tuple[int, int, str] | None:
    """(start, end, name as written) of the school whose own program page ``text`` is, else None."""
    from flows.extract.prose import page_program

    if not isinstance(text, str) or not text.strip():
        return None
    spans = [(ln.start, ln.end) for ln in iter_lines(text)]
    k = 0
    while k < len(spans) and k < 15 and _is_nav(text[spans[k][0]:spans[k][1]]):
        k += 1
    ph = page_program(text, spans[k:])
    if ph is None or text[ph.subject_start:ph.subject_start + len(ph.subject)] != ph.subject:
        return None
    return ph.subject_start, ph.subject_start + len(ph.subject), ph.subject
