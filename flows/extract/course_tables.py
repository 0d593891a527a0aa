"""Course tables: pipe rows ("| QX 510 | Tidal Data Wrangling | 3 |") whose header names a course column.

HTML tables reach the extractors as pipe rows (see flows.ingest.html_text), markdown tables are
pipe rows already. A table is a course table when its header row has a course column ("Course",
"Course Title", "Course Name") -- or, inside a course section, a "Title"/"Name" column. A column
whose every value is a course code ("QX 510") is the code column; the title keeps its code, so
the course title is "QX 510 Tidal Data Wrangling" and its span runs from the code cell to the end
of the title cell (the quote then holds the cell separator: "QX 510 | Tidal Data Wrangling").
Provider and description columns are read when the header names them. Pure: text in, rows out.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from flows.extract.text import Line, is_title_case

_CODE_FULL_RE = re.compile(r"^[A-Z]{2,5}[ -]?\d{3,4}[A-Z]?$")
_COURSE_COL_RE = re.compile(r"^(?:course|course\s+(?:title|name)|class|module)s?$", re.I)
_TITLE_COL_RE = re.compile(r"^(?:title|name)$", re.I)
_CODE_COL_RE = re.compile(r"^(?:code|course\s+(?:code|number|no\.?|#)|number|no\.?|#)$", re.I)
_PROVIDER_COL_RE = re.compile(
    r"^(?:provider|platform|offered\s+by|school|institution|university|instructors?|taught\s+by|creator|partner)$",
    re.I,
)
_DESC_COL_RE = re.compile(r"^(?:description|summary|overview|focus|topics(?:\s+covered)?|what\s+you(?:['’]ll)?\s+learn)$", re.I)
_SEPARATOR_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")


class Cell(NamedTuple):
    start: int
    end: int
    text: str


class TableCourse(NamedTuple):
    title: str
    title_start: int
    title_end: int
    provider: Cell | None
    description: Cell | None


def cells(line: Line) -> list[Cell]:
    """The cells of a pipe row as trimmed spans (empty cells keep a zero-width span)."""
    t = line.text
    if t.count("|") < 2:
        return []
    body_start = 1 if t.startswith("|") else 0
    body_end = len(t) - 1 if t.endswith("|") else len(t)
    out: list[Cell] = []
    pos = body_start
    for part in t[body_start:body_end].split("|"):
        stripped = part.strip()
        s = line.start + pos + (len(part) - len(part.lstrip()))
        out.append(Cell(s, s + len(stripped), stripped))
        pos += len(part) + 1
    return out


def is_row(line: Line) -> bool:
    return line.text.startswith("|") and line.text.count("|") >= 3


def table_courses(rows: list[Line], in_course_section: bool) -> list[TableCourse]:
    """Courses in one run of pipe rows (header first); [] when it is not a course table."""
    rows = [r for r in rows if not _SEPARATOR_RE.match(r.text)]
    if len(rows) < 2:
        return []
    header = [c.text.strip("*_ ").lower() for c in cells(rows[0])]
    body = [cells(r) for r in rows[1:]]
    body = [b for b in body if len(b) == len(header)]
    if not body:
        return []

    def col(rx: re.Pattern[str]) -> int | None:
        return next((i for i, h in enumerate(header) if rx.match(h)), None)

    course_col = col(_COURSE_COL_RE)
    if course_col is None and in_course_section:
        course_col = col(_TITLE_COL_RE)
    if course_col is None:
        return []
    code_col = next(
        (i for i in range(len(header)) if all(_CODE_FULL_RE.match(b[i].text) for b in body)), None
    )
    title_col = course_col
    if code_col == course_col:  # "Course" holds codes: the title is in a "Title"/"Name" column
        title_col = next((i for i, h in enumerate(header) if i != code_col and _TITLE_COL_RE.match(h)), None)
        if title_col is None:
            return []
    elif code_col is not None and not (_CODE_COL_RE.match(header[code_col]) or code_col < title_col):
        code_col = None
    prov_col = col(_PROVIDER_COL_RE)
    desc_col = col(_DESC_COL_RE)
    out: list[TableCourse] = []
    for b in body:
        t = b[title_col]
        if not t.text or len(t.text.split()) > 12 or not is_title_case(t.text, 0.6):
            continue
        if code_col is not None and b[code_col].text and b[code_col].start < t.start:
            c = b[code_col]
            title, start = f"{c.text} {t.text}", c.start
        else:
            title, start = t.text, t.start
        prov = b[prov_col] if prov_col is not None and b[prov_col].text else None
        desc = b[desc_col] if desc_col is not None and b[desc_col].text else None
        out.append(TableCourse(title, start, t.end, prov, desc))
    return out
