"""Typed cells of a column whose kind is known (from the header's words or the cells' own type): what one
cell of a program table or one card value states. Every fact spans its own value inside the cell
(a price's amount, a count), so ``quote == text[start:end]``."""

from __future__ import annotations

import re
from functools import lru_cache

from flows.extract.model import Fact
from flows.extract.values import (
    MoneySpan, covers_of_context, find_money, gre_policy, load_columns, money_text, parse_count,
    parse_credits, parse_money_cell, resolve_unit, times_credits, unit_of_context,
)

_EMPTY_CELLS = {"", "-", "—", "–", "n/a", "na", "n.a.", "none listed", "not listed", "tbd", "?"}


def is_empty_cell(cell: str) -> bool:
    return (cell or "").strip().lower() in _EMPTY_CELLS


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t*_":
        start += 1
    while end > start and text[end - 1] in " \t*_":
        end -= 1
    return start, end


def cell_facts(kind: str, text: str, start: int, end: int, subject: str, degree: str | None,
               extractor: str, context: str | None = None) -> list[Fact]:
    """Program facts read from one cell ``text[start:end]`` of the given column kind. ``context`` is its header
    or key: the money unit and coverage it states ("Annual Tuition" -> year, "Tuition & Fees") apply when the
    cell's own words state none."""
    start, end = _strip_span(text, start, end)
    cell = text[start:end]
    if not cell or is_empty_cell(cell):
        return []

    def fact(attribute: str, value: str, s: int = start, e: int = end, **kw) -> Fact:
        return Fact("program", subject, attribute, value, s, e, extractor, degree=degree, **kw)

    if kind == "degree_title":
        return [fact("degree_title", cell)]
    if kind in ("ml_core_courses", "course_count"):
        c = parse_count(cell)
        return [fact(kind, cell, value_num=c[0], value_num_high=c[1], qualifier=c[2])] if c else []
    if kind == "credits":
        c = parse_credits(cell)
        if not c:
            return []
        return [fact("credits", c[0], value_num=c[1], value_num_high=c[2], qualifier=c[3])]
    if kind in ("tuition", "tuition_per_credit"):
        m = parse_money_cell(cell)
        if not m:
            return []
        m = _residency_range(cell, m)
        u = resolve_unit(m.unit, unit_of_context(context) or ("credit" if kind == "tuition_per_credit" else None))
        attr = "tuition_per_credit" if u == "credit" else "tuition"
        out = [fact(attr, money_text(m.low, m.high, m.qualifier), start + m.start, start + m.end,
                    value_num=m.low, value_num_high=m.high, qualifier=m.qualifier, unit=u,
                    covers=m.covers or covers_of_context(context))]
        if attr == "tuition_per_credit":
            out.extend(_times_credits(cell, m.end, start, fact))
        return out
    if kind == "gre_policy":
        g = gre_policy(cell, about_gre=True, both=True)
        return [fact("gre_policy", g)] if g else []
    if kind in ("delivery_format", "standout_feature"):
        return [fact(kind, cell)] if len(cell) <= 160 else []
    return []


@lru_cache(maxsize=1)
def _residency_re() -> re.Pattern[str]:
    words = sorted(load_columns().get("residency_words") or [], key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


_SLASH_PAIR_RE = re.compile(r"\s*/\s*")


def _residency_range(cell: str, m: MoneySpan) -> MoneySpan:
    """'$540 (in-state), $810 (out-of-state)': rates that differ by residency are one range over both
    (low .. high), spanning both amounts; so are two amounts side by side as "$A / $B" (a column headed
    "Cost (in-state / out-of-state)"); any other cell keeps its first amount."""
    same = [x for x in find_money(cell) if x.unit == m.unit and x.qualifier in ("exact", "approx")]
    paired = len(same) == 2 and _SLASH_PAIR_RE.fullmatch(cell[same[0].end:same[1].start]) is not None
    if not paired and (not load_columns().get("residency_words") or not _residency_re().search(cell)):
        return m
    if len(same) < 2 or len(same) > 3 or same[0].start != m.start:
        return m
    lo, hi = min(x.low for x in same), max(x.low for x in same)
    if hi <= lo:
        return m
    return MoneySpan(same[0].start, same[-1].end, lo, hi, "range", m.unit)


def _times_credits(cell: str, pos: int, base: int, fact) -> list[Fact]:
    """'$725 per credit hour × 30 credits = $21,750': the credit count (and a stated product as the total)
    written after a per-credit price in the same cell (values.times_credits)."""
    got = times_credits(cell, pos)
    if got is None:
        return []
    c, t = got
    n = int(c.low)
    out = [fact("credits", str(n), base + c.start, base + c.end, value_num=c.low, value_num_high=c.low,
                qualifier="exact")]
    if t is not None:
        out.append(fact("tuition", money_text(t.low, t.high, t.qualifier), base + t.start, base + t.end,
                        value_num=t.low, value_num_high=t.high, qualifier=t.qualifier))
    return out


def split_skills(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Comma/semicolon separated items of ``text[start:end]`` (commas inside parentheses kept)."""
    out, depth, s = [], 0, start
    for i in range(start, end + 1):
        ch = text[i] if i < end else ","
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch in ",;" and depth == 0:
            a, b = _strip_span(text, s, i)
            while b > a and text[b - 1] in ".":
                b -= 1
            if b > a:
                out.append((a, b))
            s = i + 1
    return out


def career_cell_facts(kind: str, text: str, start: int, end: int, role: str, extractor: str) -> list[Fact]:
    start, end = _strip_span(text, start, end)
    cell = text[start:end]
    if not cell or is_empty_cell(cell):
        return []
    if kind == "salary":
        spans = find_money(cell)
        if not spans:
            return []
        m = spans[0]
        return [Fact("career", role, "salary", money_text(m.low, m.high, m.qualifier), start + m.start,
                     start + m.end, extractor, value_num=m.low, value_num_high=m.high, qualifier=m.qualifier)]
    if kind == "growth_outlook":
        return [Fact("career", role, "growth_outlook", cell, start, end, extractor)]
    if kind == "key_skills":
        return [Fact("career", role, "key_skills", text[a:b], a, b, extractor) for a, b in split_skills(text, start, end)]
    return []
