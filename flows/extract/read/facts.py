"""Building facts for a scope: the one place a reader's decision becomes a Fact."""

from __future__ import annotations

from flows.extract.model import Fact
from flows.extract.values import MoneySpan, money_text
from flows.extract.scope import Scope


def program_fact(sc: Scope, attribute: str, value: str, start: int, end: int, extractor: str,
                 lo: float | None = None, hi: float | None = None, qualifier: str | None = None,
                 degree: str | None = None) -> Fact:
    return Fact("program", sc.canonical, attribute, value, start, end, extractor, degree or sc.degree, lo, hi,
                qualifier)


def money_fact(sc: Scope, m: MoneySpan, unit: str | None, start: int, end: int, extractor: str,
               degree: str | None = None) -> Fact | None:
    """A tuition fact for a money value whose unit is known: a whole-degree total (unit None/degree) or a
    per-credit price. Per-year, per-term, per-month and per-course figures are never totals: until the
    contract carries their units they are not read (a wrong total is worse than a missing one)."""
    if unit in (None, "degree"):
        attr = "tuition"
    elif unit == "credit":
        attr = "tuition_per_credit"
    else:
        return None
    return program_fact(sc, attr, money_text(m.low, m.high, m.qualifier), start, end, extractor, m.low, m.high,
                        m.qualifier, degree)
