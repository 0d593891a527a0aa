"""Fields: ``Key: value`` lines, ``<dt>/<dd>``, stat cards ("30 Credits"), labels run into values ("GRENo"),
label-over-value cards, and the rows of vertical tables. The key's words say what the value is (a hint);
the value's type must agree."""

from __future__ import annotations

import re

from flows.extract.layout.model import Block, Layout, Span
from flows.extract.model import Fact
from flows.extract.read.facts import money_fact, program_fact
from flows.extract.read.values import count_in, format_cell, gre_cell, meaning, money_cell, unit_of
from flows.extract.scope import Scope, find_degree

EXTRACTOR = "layout_field"


def field_facts(layout: Layout, b: Block, sc: Scope | None) -> list[Fact]:
    if sc is None or b.key is None or b.value is None:
        return []
    # a field's quote is its value, as a table cell's is the cell: "$27,000", "M.S. in Data Science"
    return key_value_facts(layout, b.key, b.value, sc, b.value.start, b.value.end, EXTRACTOR, tight=True)


def key_value_facts(layout: Layout, key: Span, value: Span, sc: Scope, start: int, end: int,
                    extractor: str, tight: bool = False) -> list[Fact]:
    """Facts of one key and its value, quoted ``text[start:end]``; ``tight``: the quote is the typed value
    itself (the amount, the degree), where ``start:end`` is the value span."""
    text = layout.text
    k, v = text[key.start:key.end], text[value.start:value.end]
    attr = meaning(k)
    if "$" in v and attr in (None, "credits") and unit_of(k) in ("credit", "course", "year", "term", "month") \
            and not re.search(r"\b(?:fees?|deposits?)\b", k, re.I):
        attr = "tuition"          # "$725" over "Per Credit Hour": the value's type decides
    if attr is None:
        return []
    if attr == "tuition":
        m = money_cell(v) if "$" in v or "USD" in v else None
        if m is None or (m.low is None and m.high is None):
            return []
        unit = m.unit or unit_of(v[m.end:]) or unit_of(k)
        if tight:
            start, end = value.start + m.start, value.start + m.end
        f = money_fact(sc, m, unit, start, end, extractor)
        return [f] if f else []
    if attr == "credits":
        if "$" in v:
            return []
        c = count_in(v)
        if c is None or c[2] < 1:
            return []
        _, _, lo, hi = c
        options = [float(x) for x in re.findall(r"(?<![\w$.,])(\d{1,3})\s*(?:credit|unit|semester|hour)", v, re.I)]
        if len(set(options)) > 1:     # "Thesis – 33 credit hours | Professional – 36 credit hours"
            lo, hi = min(options), max(options)
        value_s = f"{int(lo)}" if lo == hi else f"{int(lo)}-{int(hi)}"
        return [program_fact(sc, "credits", value_s, start, end, extractor, lo, hi,
                             "exact" if lo == hi else "range")]
    if attr == "gre_policy":
        pol = gre_cell(v)
        return [program_fact(sc, "gre_policy", pol, start, end, extractor)] if pol else []
    if attr == "delivery_format":
        if len(v) <= 60 and (format_cell(v) or len(v.split()) <= 4):
            return [program_fact(sc, "delivery_format", v.strip(), start, end, extractor)]
        return []
    if attr == "degree_title":
        d = find_degree(v)
        if d:
            deg = v[d[0]:d[1]]
            if tight:
                start, end = value.start + d[0], value.start + d[1]
            return [program_fact(sc, "degree_title", deg, start, end, extractor, degree=deg)]
    return []
