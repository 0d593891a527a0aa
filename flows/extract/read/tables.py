"""Tables, the only reader of them: every column is typed from its cells (school names, money, counts, GRE
words, formats, degrees); the header's words are a hint for what a typed column means (its unit, or that it
is not a program fact at all, such as salaries or durations) and name what untyped cells mean ("ML Core
Courses" over small counts, "Standout Feature" over text), never a gate for typed ones. A row whose school
cell names one school is about that school; a table without a school column is about the scope it sits in.

Also here: vertical tables (a key column, read as fields), schedules whose first column labels the rows (fee
tables), run-together tables (role ``run_together``, made only by flows.extract.layout.runtogether): split
into columns under a header the vocabulary names, read by their columns like any table; or one cell per row
under a header no vocabulary splits, read by the typed spans inside each row (``_glued_rows``), course
tables, and careers tables (flows.extract.read.careers)."""

from __future__ import annotations

import re

from flows.extract.layout.columns import header_kind, table_group
from flows.extract.layout.model import Block, Cell, Layout, Span
from flows.extract.layout.runtogether import ROLE as RUN_TOGETHER, header_kinds
from flows.extract.model import Fact
from flows.extract.read.careers import career_rows
from flows.extract.read.cells import cell_facts, is_empty_cell
from flows.extract.read.facts import money_fact, program_fact
from flows.extract.read.fields import key_value_facts
from flows.extract.read.values import (
    _SKIP_LABEL_RE, format_cell, gre_cell, meaning, money_cell, money_in, unit_of,
)
from flows.extract.registry import Mention
from flows.extract.scope import Names, Scope, distinct, find_degree, find_names

EXTRACTOR = "layout_table"
FLAT_EXTRACTOR = "flattened_table"     # a run-together table split into its cells by the columns' types
ROW_EXTRACTORS = (EXTRACTOR, FLAT_EXTRACTOR)
COURSE_EXTRACTOR = "course_table"
_GLUE_JOIN_RE = re.compile(r"([a-z]{3,})([A-Z][a-z])")
_RESIDENCY_RE = re.compile(r"\b(?:in[- ]state|out[- ]of[- ]state|resident|non[- ]?resident|international|"
                           r"domestic)\b", re.I)


def _col_type(layout: Layout, cells: list[Cell], names: Names, header: str) -> str | None:
    texts = [layout.text[c.start:c.end] for c in cells]
    n = len(texts)
    if n == 0:
        return None
    need = max(1, (n * 6 + 9) // 10)   # 60 %

    def share(pred) -> int:
        return sum(1 for c, t in zip(cells, texts) if t and pred(c, t))

    if share(lambda c, t: bool((ms := names.within(c.start, c.end)) and ms[0].start - c.start <= 4)) >= need:
        return "school"
    if share(lambda c, t: "$" in t and money_cell(t) is not None) >= need:
        return "money"
    hint = meaning(header) if header else None
    if hint == "gre_policy" and share(lambda c, t: gre_cell(t) is not None) >= need:
        return "gre"
    if share(lambda c, t: find_degree(t) is not None and find_degree(t)[0] <= 8) >= need:
        return "degree"
    if share(lambda c, t: re.fullmatch(r"\d{1,3}(?:\s?[-–]\s?\d{1,3})?\+?(?:\s*(?:credits?|credit hours?|units|"
                                       r"semester hours))?", t.strip(), re.I) is not None) >= need:
        self_described = share(lambda c, t: re.search(r"credit|unit|semester hour", t, re.I) is not None) >= need
        if hint == "credits" or self_described:
            return "credits"
        return None
    if (hint == "delivery_format" or not header) and share(lambda c, t: format_cell(t)) >= need:
        return "format"
    return None


def table_facts(layout: Layout, b: Block, sc: Scope | None, names: Names) -> list[Fact]:
    if not b.rows:
        return []
    text = layout.text
    if b.role == RUN_TOGETHER:
        # split by the layout (one header cell per column): the columns are the vocabulary's kinds of that
        # header line; else one cell per row, read by the typed spans in it
        head_line = text[b.rows[0][0].start:b.rows[0][-1].end] if b.header else ""
        kinds = header_kinds(head_line)
        if kinds and all(len(r) == len(kinds) for r in b.rows):
            headers = [text[c.start:c.end] for c in b.rows[0]]
            if table_group(list(kinds)) == "career":
                return career_rows(layout, b.rows[b.header:], kinds, FLAT_EXTRACTOR)
            return _column_rows(layout, b.rows[b.header:], list(kinds), headers, names, sc, FLAT_EXTRACTOR)
        return _glued_rows(layout, b, names)
    courses = course_rows(layout, b, sc)
    if courses is not None:
        return courses
    head, body = b.rows[:b.header], b.rows[b.header:]
    if not body:
        return []
    ncols = max(len(r) for r in body)
    # vertical table: a key column of labels, a value column (program page "at a glance" boxes)
    if ncols == 2 and (b.key_column or _labels(layout, [r[0] for r in body if len(r) == 2])):
        if sc is None:
            return []
        return _residency_merge(layout, [f for r in body if len(r) == 2
                                         for f in key_value_facts(layout, Span(r[0].start, r[0].end),
                                                                  Span(r[1].start, r[1].end), sc,
                                                                  r[1].start, r[1].end, EXTRACTOR)],  # quote: the value cell
                                [r for r in body if len(r) == 2])
    if sc is not None and _labels(layout, [r[0] for r in body if r]) and not any(
            names.within(r[0].start, r[0].end) for r in body if r) and not _all_degrees(layout, body):
        return _row_label_facts(layout, head, body, sc)
    headers = []
    for j in range(ncols):
        headers.append(" ".join(text[h[j].start:h[j].end] for h in head if len(h) > j).strip())
    hints = [header_kind(h) if h else None for h in headers]
    if table_group(hints) == "career":
        return career_rows(layout, [r for r in body if len(r) == ncols], tuple(k or "other" for k in hints), EXTRACTOR)
    kinds = []
    for j in range(ncols):
        kinds.append(_column_kind(_col_type(layout, [r[j] for r in body if len(r) > j], names, headers[j]),
                                  hints[j], headers[j]))
    return _column_rows(layout, body, kinds, headers, names, sc, EXTRACTOR)


_CELL_KIND = {"school": "university", "degree": "degree_title", "credits": "credits", "gre": "gre_policy",
              "format": "delivery_format"}
_HINTED = ("university", "degree_title", "ml_core_courses", "credits", "tuition", "tuition_per_credit", "gre_policy",
           "delivery_format", "standout_feature")


def _column_kind(cell_type: str | None, hint: str | None, header: str) -> str | None:
    """What a column holds: its cells' type decides; the header's words give the unit of a price column,
    say that a money column is no program fact (salaries, fees, durations), or name what untyped cells
    mean ("ML Core Courses" over small counts, "Standout Feature" over text)."""
    if cell_type == "money":
        if hint in ("tuition", "tuition_per_credit"):
            return hint
        if hint is not None or (header and (_SKIP_LABEL_RE.search(header) or meaning(header) not in (None, "tuition"))):
            return None
        return "tuition"
    if cell_type == "degree" and hint in ("university", "degree_title"):
        return "degree_title"
    if cell_type is not None:
        return _CELL_KIND[cell_type]
    return hint if hint in _HINTED else None


def _strip(text: str, c: Cell) -> tuple[int, int]:
    a, b = c.start, c.end
    while a < b and text[a] in " \t*_":
        a += 1
    while b > a and text[b - 1] in " \t*_":
        b -= 1
    return a, b


def _names_in_cell(text: str, a: int, b: int) -> list[Mention]:
    """The schools a cell names by its own words: a name that ran into the next cell of a flattened row
    ("Harborview State UniversityUnder $15,000") is found in its cell, not in the running text."""
    return distinct([Mention(a + x.start, a + x.end, x.text, x.canonical, x.known) for x in find_names(text[a:b])])


def _column_rows(layout: Layout, body, kinds: list[str | None], headers: list[str], names: Names,
                 sc: Scope | None, extractor: str) -> list[Fact]:
    """Program facts of a table's rows, one column kind each. A row whose school cell names one school is
    about that school (a school named with its degree in one cell, "Lakeside University M.S. in Data Science",
    gives both); a table without a school column is about the scope it sits in."""
    text = layout.text
    school_col = kinds.index("university") if "university" in kinds else None
    degree_col = kinds.index("degree_title") if "degree_title" in kinds else None
    if school_col is None and degree_col is not None and sc is None:
        school_col, degree_col = degree_col, None      # "School — Degree" under a Program header
    out: list[Fact] = []
    for r in body:
        row_sc, degree, deg_span = sc, None, None
        if degree_col is not None and len(r) > degree_col:
            da, db = _strip(text, r[degree_col])
            if da < db and not is_empty_cell(text[da:db]):
                degree, deg_span = text[da:db], (da, db)
        if school_col is not None:
            if len(r) <= school_col:
                continue
            a, b = _strip(text, r[school_col])
            ms = _names_in_cell(text, a, b) or distinct(names.within(a, b))
            if len(ms) != 1 or ms[0].start - a > 4:
                continue        # a row naming no school or several: its values have no clear owner
            m = ms[0]
            rest = re.match(r"(?:['’]s)?[\s,:—–-]*", text[m.end:b])
            if degree is None and m.end + rest.end() < b:
                deg_span = (m.end + rest.end(), b)
                degree = text[deg_span[0]:b]
                if not find_degree(degree):
                    degree, deg_span = None, None
            row_sc = Scope(m.text, m.canonical, degree, m.start, m.end, "row")
            out.append(program_fact(row_sc, "mention", m.text, m.start, m.end, extractor, degree=degree))
        if row_sc is None:
            continue
        degree = degree or row_sc.degree
        if deg_span:
            out.extend(cell_facts("degree_title", text, deg_span[0], deg_span[1], row_sc.canonical, degree,
                                  extractor))
        label = text[r[0].start:r[0].end] if r else ""
        if school_col is None and degree is None and (
                re.search(r"\bfees?\b", label, re.I) and not re.search(r"\btuition\b", label, re.I)
                or _SUBSET_RE.search(label)):
            continue            # "Online course fee | $30": a fee row, never tuition; "(campus programs)": another program's
        for j, kind in enumerate(kinds):
            if kind in (None, "university", "degree_title") or j >= len(r):
                continue
            c = r[j]
            out.extend(cell_facts(kind, text, c.start, c.end, row_sc.canonical, degree, extractor,
                                  headers[j] if j < len(headers) else None))
    return out if school_col is not None else _unambiguous(out)


#: a row label that restricts it to some programs or students ("Graduate tuition (campus programs)"): not the
#: section's program's own rate (residency rows are merged into a range instead)
_SUBSET_RE = re.compile(r"\((?=[^)]*\b(?:programs?|campus|international|undergraduate|doctoral|phd)\b)[^)]*\)", re.I)


def _all_degrees(layout: Layout, body) -> bool:
    """Every first cell names a degree ("M.S. Data Science (30 credits)"): rows of programs, not labels."""
    firsts = [layout.text[r[0].start:r[0].end] for r in body if r]
    return bool(firsts) and all((d := find_degree(t)) and d[0] <= 2 for t in firsts)


def _unambiguous(facts: list[Fact]) -> list[Fact]:
    """A table with no school column is about its section's program, one row per program (a degree cell) or
    one statement per value: where rows without a degree give one program two different values for an
    attribute ("Graduate tuition (campus programs) | $1,040" beside other rates), which row is the program's
    is open, and none is read."""
    by: dict[tuple, set] = {}
    for f in facts:
        by.setdefault((f.subject, f.degree, f.attribute), set()).add((f.value_num, f.value_num_high, f.value))
    return [f for f in facts if len(by[(f.subject, f.degree, f.attribute)]) == 1 or f.attribute == "mention"]


def _labels(layout: Layout, cells: list[Cell]) -> bool:
    """A first column whose cells are labels with a meaning (Tuition, Credits, GRE ...)."""
    if len(cells) < 2:
        return False
    texts = [layout.text[c.start:c.end] for c in cells]
    if any(len(t) > 60 or re.search(r"[$\d]", t) and not re.search(r"\(\d+ credits?\)", t) for t in texts):
        return False
    hits = sum(1 for t in texts if meaning(t) is not None or _RESIDENCY_RE.search(t) or re.search(r"\bfees?\b", t, re.I))
    return hits * 2 >= len(texts)


def _residency_merge(layout: Layout, facts: list[Fact], rows) -> list[Fact]:
    """In-state / out-of-state rows of one price kind are one range (the program's price depends on residency)."""
    res = [f for f in facts if f.attribute in ("tuition", "tuition_per_credit")
           and _RESIDENCY_RE.search(layout.text[f.start:f.end])]
    out = [f for f in facts if f not in res]
    by_attr: dict[str, list[Fact]] = {}
    for f in res:
        by_attr.setdefault(f.attribute, []).append(f)
    for attr, fs in by_attr.items():
        if len(fs) == 1:
            out.append(fs[0])
            continue
        lo = min(f.value_num for f in fs if f.value_num is not None)
        hi = max((f.value_num_high or f.value_num) for f in fs if f.value_num is not None)
        first = fs[0]
        out.append(type(first)(first.entity_type, first.subject, attr, f"{int(lo)}-{int(hi)}",
                               min(f.start for f in fs), max(f.end for f in fs), first.extractor, first.degree,
                               lo, hi, "range"))
    return out


_CREDITS_IN_LABEL_RE = re.compile(r"\b(?P<n>\d{1,3})\s*(?:credit[- ]hours?|credits?|units|semester[- ]hours?)\b", re.I)


def _row_label_facts(layout: Layout, head, body, sc: Scope) -> list[Fact]:
    """A table whose first column labels its rows (a fee schedule: Item | Rate | Program total): the label
    says what the row is, the column header says the unit. Fee rows are not tuition; a total-cost row is
    not the tuition total when the table also has a tuition row (it includes the fees)."""
    text = layout.text
    labels = [text[r[0].start:r[0].end] for r in body]
    has_tuition_row = any(re.search(r"\btuition\b", lab, re.I) for lab in labels)
    headers = [" ".join(text[h[j].start:h[j].end] for h in head if len(h) > j) for j in range(max(map(len, body)))]
    out: list[Fact] = []
    for r, lab in zip(body, labels):
        if len(r) < 2 or meaning(lab) is None or _SUBSET_RE.search(lab):
            continue
        g = _CREDITS_IN_LABEL_RE.search(lab) if re.search(r"\btuition\b", lab, re.I) else None
        if g:   # "Tuition (36 credits)": the row's label states the degree's credit count
            n = float(g.group("n"))
            out.append(program_fact(sc, "credits", g.group("n"), r[0].start + g.start(), r[0].start + g.end(),
                                    EXTRACTOR, n, n, "exact"))
        if has_tuition_row and not re.search(r"\btuition\b", lab, re.I) and meaning(lab) == "tuition":
            continue
        for j, c in enumerate(r[1:], start=1):
            cell = text[c.start:c.end].strip()
            if cell.startswith("(") or len(cell.split()) > 5 or re.search(r"\b(?:details?|notes?|comments?)\b",
                                                                          headers[j] if j < len(headers) else "", re.I):
                continue   # a note beside the value ("(Most courses are 3 credits)") is no value of the row
            facts = key_value_facts(layout, Span(r[0].start, r[0].end), Span(c.start, c.end), sc, c.start, c.end,
                                    EXTRACTOR)
            hdr_unit = unit_of(headers[j]) if j < len(headers) else None
            for f in facts:
                if f.attribute == "tuition" and hdr_unit not in (None, "degree"):
                    continue   # the header gives this column another unit than a whole-degree total
                out.append(f)
    return _residency_merge(layout, out, body)


def _glued_rows(layout: Layout, b: Block, names: Names) -> list[Fact]:
    """Rows of an unsplit run-together table, one cell each (no vocabulary split the header; see
    flows.extract.layout.runtogether), "#3MPS in Data ScienceLakeside University$68,38095View": the typed
    spans inside a row (one school, a degree, one amount) are its cells. The header's words say whether the
    amount is a price and its unit; a row naming several schools or amounts reads no value."""
    text = layout.text
    header = text[b.rows[0][0].start:b.rows[0][0].end] if b.header else ""
    priced = bool(re.search(r"tuition|cost|price", header, re.I)) and not _SKIP_LABEL_RE.search(
        re.sub(r"tuition|cost|price", "", header, flags=re.I))
    out: list[Fact] = []
    for r in b.rows[b.header:]:
        c = r[0]
        cell = text[c.start:c.end]
        # where words ran together ("TrackLakeside"), blank the letter before the join in a same-length copy,
        # so names are found at their own offsets ("DePaul", "McNeese": a one-letter run is no join)
        unglued = _GLUE_JOIN_RE.sub(lambda g: g.group(1)[:-1] + " " + g.group(2), cell)
        ms = distinct([Mention(c.start + x.start, c.start + x.end, x.text, x.canonical, x.known)
                       for x in find_names(unglued)])
        if len(ms) != 1:
            continue
        m = ms[0]
        d = find_degree(unglued)
        degree = cell[d[0]:min(d[1], m.start - c.start) if d[0] < m.start - c.start else d[1]].strip() if d else None
        sc = Scope(m.text, m.canonical, degree, m.start, m.end, "row")
        out.append(program_fact(sc, "mention", m.text, m.start, m.end, EXTRACTOR))
        if degree:
            out.append(program_fact(sc, "degree_title", degree, c.start + d[0], c.start + d[0] + len(degree), EXTRACTOR))
        money = money_in(cell)
        if priced and len(money) == 1 and _delimited(cell, money[0]):
            mo = money[0]
            f = money_fact(sc, mo, mo.unit or unit_of(header), c.start + mo.start, c.start + mo.end, EXTRACTOR)
            if f:
                out.append(f)
    return out


def _delimited(cell: str, mo) -> bool:
    """An amount whose digits end where the amount does: comma-grouped ("$82,079" before a score "97") or
    followed by no digit. Digits that ran into other digits ("$1,2036120,0018") have no one reading."""
    amount = cell[mo.start:mo.end]
    nxt = cell[mo.end:mo.end + 1]
    if re.search(r"\d{6,}", amount):
        return False          # six or more digits with no grouping: figures that ran together
    if not nxt.isdigit():
        return True
    return bool(re.fullmatch(r"[~≈]?\$\s?\d{1,3}(?:,\d{3})+", amount.strip())) and not re.match(r"\d{0,2},", cell[mo.end:])


# ---------------------------------------------------------------- course tables

_CODE_FULL_RE = re.compile(r"^[A-Z]{2,5}[ -]?\d{3,4}[A-Z]?$")
_COURSE_COL_RE = re.compile(r"^(?:course|course\s+(?:title|name)|class|module)s?$", re.I)
_TITLE_COL_RE = re.compile(r"^(?:title|name)$", re.I)
_CODE_COL_RE = re.compile(r"^(?:code|course\s+(?:code|number|no\.?|#)|number|no\.?|#)$", re.I)
_PROVIDER_COL_RE = re.compile(
    r"^(?:provider|platform|offered\s+by|school|institution|university|instructors?|taught\s+by|creator|partner)$", re.I)
_DESC_COL_RE = re.compile(r"^(?:description|summary|overview|focus|topics(?:\s+covered)?|what\s+you(?:['’]ll)?\s+learn)$",
                          re.I)
_COURSE_SECTION_RE = re.compile(r"\b(?:courses|classes|coursework|curricul(?:um|a)|modules|syllabus|electives?|"
                                r"plan\s+of\s+study|course\s+(?:list|catalog(?:ue)?|descriptions?|offerings|sequence|"
                                r"requirements|overview|map))\b", re.I)


def course_rows(layout: Layout, b: Block, sc: Scope | None) -> list[Fact] | None:
    """Courses of a table whose header names a course column ("Course", "Course Title", "Class", "Module"),
    or a "Title"/"Name" column under a course section; None when the table is no course table. A column whose
    every cell is a course code ("QX 510") is the code column: the title keeps its code ("QX 510 Tidal Data
    Wrangling"), quoted from the code cell to the end of the title cell. Provider and description columns are
    read when the header names them; else the provider is the school the table sits under."""
    from flows.extract.text import is_title_case

    text = layout.text
    n = max(b.header, 1)
    if len(b.rows) <= n or b.role == RUN_TOGETHER:
        return None
    header = [text[c.start:c.end].strip("*_ ").lower() for c in b.rows[0]]
    body = [r for r in b.rows[n:] if len(r) == len(header)]
    if not body:
        return None

    def col(rx: re.Pattern[str]) -> int | None:
        return next((i for i, h in enumerate(header) if rx.match(h)), None)

    course_col = col(_COURSE_COL_RE)
    if course_col is None and any(_COURSE_SECTION_RE.search(text[layout.blocks[p].start:layout.blocks[p].end])
                                  for p in _parents(layout, b)):
        course_col = col(_TITLE_COL_RE)
    if course_col is None:
        return None
    cell = lambda c: text[c.start:c.end].strip()   # noqa: E731
    code_col = next((i for i in range(len(header)) if all(_CODE_FULL_RE.match(cell(r[i])) for r in body)), None)
    title_col = course_col
    if code_col == course_col:   # "Course" holds codes: the title is in a "Title"/"Name" column
        title_col = next((i for i, h in enumerate(header) if i != code_col and _TITLE_COL_RE.match(h)), None)
        if title_col is None:
            return []
    elif code_col is not None and not (_CODE_COL_RE.match(header[code_col]) or code_col < title_col):
        code_col = None
    prov_col, desc_col = col(_PROVIDER_COL_RE), col(_DESC_COL_RE)
    out: list[Fact] = []
    for r in body:
        t = r[title_col]
        title = cell(t)
        if not title or len(title.split()) > 12 or not is_title_case(title, 0.6):
            continue
        start = t.start
        if code_col is not None and cell(r[code_col]) and r[code_col].start < t.start:
            title, start = f"{cell(r[code_col])} {title}", r[code_col].start
        title = " ".join(title.split())
        out.append(Fact("course", title, "kind", "course", start, t.end, COURSE_EXTRACTOR))
        for j, attr in ((desc_col, "description"), (prov_col, "provider")):
            if j is not None and cell(r[j]):
                c = r[j]
                out.append(Fact("course", title, attr, cell(c), c.start, c.end, COURSE_EXTRACTOR))
        if (prov_col is None or not cell(r[prov_col])) and sc is not None:
            out.append(Fact("course", title, "provider", sc.school, sc.start, sc.end, COURSE_EXTRACTOR))
    return out


def _parents(layout: Layout, b: Block) -> list[int]:
    out, p = [], b.parent
    while p is not None:
        out.append(p)
        p = layout.blocks[p].parent
    return out
