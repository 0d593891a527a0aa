"""Building facts for a scope: the one place a reader's decision becomes a Fact."""

from __future__ import annotations

from dataclasses import replace

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
    """A tuition fact carrying its unit: a whole-degree total (unit None/degree), a per-credit price, or a
    per-course / per-year / per-term / per-month price (Fact.unit; resolution never makes those a total)."""
    attr = "tuition_per_credit" if unit == "credit" else "tuition"
    f = program_fact(sc, attr, money_text(m.low, m.high, m.qualifier), start, end, extractor, m.low, m.high,
                     m.qualifier, degree)
    return replace(f, unit=unit, covers=m.covers)
