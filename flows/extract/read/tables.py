"""Tables: every column is typed from its cells (school names, money, counts, GRE words, formats, degrees);
the header's words are a hint for what a typed column means (its unit, or that it is not a program fact at
all, such as salaries or durations), never a gate. A row whose school cell names one school is about that
school; a table without a school column is about the scope it sits in. Vertical tables (a key column) are
read as fields."""

from __future__ import annotations

import re

from flows.extract.layout.model import Block, Cell, Layout, Span
from flows.extract.model import Fact
from flows.extract.read.facts import money_fact, program_fact
from flows.extract.read.fields import key_value_facts
from flows.extract.read.values import (
    _SKIP_LABEL_RE, count_in, format_cell, gre_cell, meaning, money_cell, money_in, unit_of,
)
from flows.extract.registry import Mention
from flows.extract.scope import Names, Scope, distinct, find_degree, find_names

EXTRACTOR = "layout_table"
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
    if b.role == "run_together":
        return _glued_rows(layout, b, names)
    text = layout.text
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
            names.within(r[0].start, r[0].end) for r in body if r):
        return _row_label_facts(layout, head, body, sc)
    headers = []
    for j in range(ncols):
        headers.append(" ".join(text[h[j].start:h[j].end] for h in head if len(h) > j).strip())
    types = [_col_type(layout, [r[j] for r in body if len(r) > j], names, headers[j]) for j in range(ncols)]
    school_col = types.index("school") if "school" in types else None
    degree_col = types.index("degree") if "degree" in types else None
    out: list[Fact] = []
    for r in body:
        row_sc = sc
        if school_col is not None:
            if len(r) <= school_col:
                continue
            c = r[school_col]
            ms = distinct(names.within(c.start, c.end))
            if len(ms) != 1:
                continue        # a row naming no school or several: its values have no clear owner
            m = ms[0]
            row_sc = Scope(m.text, m.canonical, None, m.start, m.end, "row")
        if row_sc is None:
            continue
        degree = None
        if degree_col is not None and len(r) > degree_col:
            dc = r[degree_col]
            d = find_degree(text[dc.start:dc.end])
            if d:
                degree = text[dc.start + d[0]:dc.start + d[1]]
        if school_col is not None:
            c = r[school_col]
            out.append(program_fact(row_sc, "mention", row_sc.school, row_sc.start, row_sc.end, EXTRACTOR,
                                    degree=degree))
            if degree:
                dc = r[degree_col]
                out.append(program_fact(row_sc, "degree_title", degree, dc.start, dc.end, EXTRACTOR, degree=degree))
        for j, t in enumerate(types):
            if t in (None, "school", "degree") or j >= len(r):
                continue
            c = r[j]
            cell = text[c.start:c.end]
            if not cell.strip():
                continue
            if t == "money":
                if headers[j] and (_SKIP_LABEL_RE.search(headers[j]) or meaning(headers[j]) not in (None, "tuition")):
                    continue
                m = money_cell(cell)
                if m is None:
                    continue
                unit = m.unit or unit_of(cell[m.end - 0:]) or unit_of(headers[j])
                f = money_fact(row_sc, m, unit, c.start, c.end, EXTRACTOR, degree)
                if f:
                    out.append(f)
            elif t == "credits":
                cnt = count_in(cell)
                if cnt:
                    _, _, lo, hi = cnt
                    out.append(program_fact(row_sc, "credits", f"{int(lo)}" if lo == hi else f"{int(lo)}-{int(hi)}",
                                            c.start, c.end, EXTRACTOR, lo, hi, "exact" if lo == hi else "range",
                                            degree))
            elif t == "gre":
                pol = gre_cell(cell)
                if pol:
                    out.append(program_fact(row_sc, "gre_policy", pol, c.start, c.end, EXTRACTOR, degree=degree))
            elif t == "format":
                out.append(program_fact(row_sc, "delivery_format", cell.strip(), c.start, c.end, EXTRACTOR,
                                        degree=degree))
    return out


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
        if len(r) < 2 or meaning(lab) is None:
            continue
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
    """Rows whose cells ran together ("#3MPS in Data ScienceLakeside University$68,38095View"): the typed
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
        # where words ran together ("TrackColumbia"), blank the letter before the join in a same-length copy,
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
