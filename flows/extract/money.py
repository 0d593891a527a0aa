"""Money parsing shared by the program and career extractors.

Pure functions over text. An amount is read together with the qualifier words right before it
("under $9,500" -> under), a trailing "+" (open-ended), a range ("$41,000-$44,500", "$80K–$95K",
"between $3,000 and $4,000") and a per-unit price ("$610 per credit"). Qualifier and unit words are
reference data (schemas/reference/columns.yaml).

Semantics of (low, high, qualifier):
  exact / approx -> low == high == amount
  under          -> low None, high amount
  over, at_least -> low amount, high None
  range          -> low, high; an open-ended range ("$90,000-$120,000+") keeps both figures with
                    qualifier at_least (resolution reads at_least/over as open-ended and high as the
                    stated upper figure)
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

COLUMNS_PATH = Path(__file__).resolve().parents[2] / "schemas" / "reference" / "columns.yaml"


@lru_cache(maxsize=2)
def load_columns(path: str | None = None) -> dict:
    """The column/keyword vocabulary (schemas/reference/columns.yaml)."""
    p = Path(path) if path else COLUMNS_PATH
    return yaml.safe_load(p.read_text(encoding="utf-8"))


class Money(NamedTuple):
    low: float | None
    high: float | None
    qualifier: str


class MoneySpan(NamedTuple):
    start: int
    end: int
    low: float | None
    high: float | None
    qualifier: str
    unit: str | None  # None for a total; "credit" / "course" for per-unit prices

    @property
    def money(self) -> Money:
        return Money(self.low, self.high, self.qualifier)


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = r"(?:\s?(?:[kK]|[mM]|thousand|million)(?![a-z]))"
_AMOUNT = rf"\$\s?(?:{_NUM}){_MULT}?"
_SECOND = rf"(?:\$\s?)?(?:{_NUM}){_MULT}?"
_DASH = r"(?:\s?[-–—]\s?|\s+to\s+)"

_TOKEN_RE = re.compile(
    rf"(?P<tilde>[~≈]\s?)?(?P<a>{_AMOUNT})(?P<plus1>\+)?"
    rf"(?:(?P<dash>{_DASH})(?P<tilde2>[~≈]\s?)?(?P<b>{_SECOND})(?P<plus2>\+)?)?"
)
_BETWEEN_RE = re.compile(rf"\bbetween\s+(?P<a>{_AMOUNT})\s+and\s+(?P<b>{_SECOND})", re.IGNORECASE)
_AMOUNT_PARTS = re.compile(rf"(?:\$\s?)?(?P<n>{_NUM})(?P<m>{_MULT})?")


def amount_value(s: str) -> float | None:
    """'$8,400' -> 8400.0, '$22K' -> 22000.0, '1.2M' -> 1200000.0; None when not an amount."""
    m = _AMOUNT_PARTS.fullmatch(s.strip())
    if not m:
        return None
    v = float(m.group("n").replace(",", ""))
    mult = (m.group("m") or "").strip().lower()
    if mult in ("k", "thousand"):
        v *= 1_000
    elif mult in ("m", "million"):
        v *= 1_000_000
    return v


def _has_mult(s: str) -> bool:
    m = _AMOUNT_PARTS.fullmatch(s.strip())
    return bool(m and m.group("m"))


@lru_cache(maxsize=1)
def _qualifier_before_re() -> re.Pattern[str]:
    words = load_columns()["money_qualifiers"]
    alts = []
    for q, phrases in words.items():
        for p in phrases:
            if p in ("~", "≈"):
                continue
            alts.append((p, q))
    alts.sort(key=lambda x: len(x[0]), reverse=True)
    body = "|".join(re.escape(p) for p, _ in alts)
    return re.compile(rf"(?:^|(?<=[\s(—–-]))(?P<q>{body})\s+$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _qualifier_of_word() -> dict[str, str]:
    out = {}
    for q, phrases in load_columns()["money_qualifiers"].items():
        for p in phrases:
            out[p.lower()] = q
    return out


@lru_cache(maxsize=1)
def _unit_after_re() -> re.Pattern[str]:
    alts = []
    for unit, phrases in load_columns()["per_units"].items():
        alts.extend((p, unit) for p in phrases)
    alts.sort(key=lambda x: len(x[0]), reverse=True)
    body = "|".join(re.escape(p) for p, _ in alts)
    return re.compile(rf"^\s?(?P<u>{body})(?![a-z])", re.IGNORECASE)


def _unit_of(phrase: str) -> str:
    low = phrase.lower()
    for unit, phrases in load_columns()["per_units"].items():
        if low in (p.lower() for p in phrases):
            return unit
    return "credit"


def _scaled_pair(a: str, b: str) -> tuple[float | None, float | None]:
    lo, hi = amount_value(a), amount_value(b)
    if lo is not None and hi is not None and _has_mult(b) and not _has_mult(a) and lo * 1000 <= hi:
        lo = amount_value(a + "K")  # "$80-95K" -> 80,000-95,000
    return lo, hi


def find_money(text: str) -> list[MoneySpan]:
    """Every amount in ``text`` with its qualifier, range and unit; spans include the qualifier words."""
    out: list[MoneySpan] = []
    taken: list[tuple[int, int]] = []
    for m in _BETWEEN_RE.finditer(text):
        lo, hi = _scaled_pair(m.group("a"), m.group("b"))
        if lo is None or hi is None or hi < lo:
            continue
        end, unit = _unit_suffix(text, m.end())
        out.append(MoneySpan(m.start(), end, lo, hi, "range", unit))
        taken.append((m.start(), end))
    for m in _TOKEN_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        span = _token_to_span(text, m)
        if span is not None:
            out.append(span)
            taken.append((span.start, span.end))
    for m in _BARE_K_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken) or not _PAY_BEFORE_RE.search(text[max(0, m.start() - 40):m.start()]):
            continue
        span = _single(text, m.start(), m.start(), m.end(), None, None)
        if span is not None:
            out.append(span)
    return sorted(out, key=lambda s: s.start)


#: informal amounts without "$" ("paid about 9k total"): money only right after a paying/costing word
_BARE_K_RE = re.compile(r"(?<![\w$.,])\d{1,3}(?:\.\d{1,2})?\s?[kK](?![\w$])")
_PAY_BEFORE_RE = re.compile(r"\b(?:paid|pay|paying|spent|spend|spending|costs?|costing|cost me|runs?|running|tuition (?:is|was)|"
                            r"total (?:is|was)|came to|comes to)\s+(?:(?:about|around|roughly|approximately|approx\.?|only|just|"
                            r"like|maybe|under|over|less than|more than|close to|nearly|almost)\s+)?$", re.IGNORECASE)


def _unit_suffix(text: str, end: int) -> tuple[int, str | None]:
    um = _unit_after_re().match(text[end:end + 40])
    if um:
        return end + um.end(), _unit_of(um.group("u"))
    return end, None


def _token_to_span(text: str, m: re.Match[str]) -> MoneySpan | None:
    start, end = m.start(), m.end()
    a, b = m.group("a"), m.group("b")
    if b is not None:
        lo, hi = _scaled_pair(a, b)
        if lo is None or hi is None or hi <= lo or not (b.startswith("$") or _has_mult(b) or "," in b):
            # "$40 to 50 students" style noise: keep only the first amount
            return _single(text, m.start(), m.start("a"), m.end("a"), m.group("tilde"), m.group("plus1"))
        if m.group("plus2"):
            qual = "at_least"  # open-ended: keep the stated upper figure in high
        else:
            qual = "range"
        end, unit = _unit_suffix(text, end)
        return MoneySpan(start, end, lo, hi, qual, unit)
    return _single(text, m.start(), m.start("a"), m.end("a"), m.group("tilde"), m.group("plus1"))


def _single(text: str, tok_start: int, a_start: int, a_end: int, tilde: str | None, plus: str | None) -> MoneySpan | None:
    v = amount_value(text[a_start:a_end])
    if v is None:
        return None
    start = tok_start
    end = a_end + (1 if plus else 0)
    qual = "exact"
    before = text[max(0, start - 30):start]
    qm = _qualifier_before_re().search(before)
    if qm:
        qual = _qualifier_of_word().get(qm.group("q").lower(), "exact")
        start = start - (len(before) - qm.start("q"))
    if tilde and qual == "exact":
        qual = "approx"
    if plus:
        qual = "at_least" if qual in ("exact", "approx") else qual
    end, unit = _unit_suffix(text, end)
    if qual == "under":
        return MoneySpan(start, end, None, v, qual, unit)
    if qual in ("over", "at_least"):
        return MoneySpan(start, end, v, None, qual, unit)
    return MoneySpan(start, end, v, v, qual, unit)


def parse_money(s: str) -> Money | None:
    """First amount in ``s`` as (low, high, qualifier).

    >>> parse_money("roughly $8,400")
    Money(low=8400.0, high=8400.0, qualifier='approx')
    """
    spans = find_money(s or "")
    return spans[0].money if spans else None


def parse_money_cell(s: str) -> MoneySpan | None:
    """A table/card cell that should hold an amount: the first amount, also accepting a bare number
    ("8,400") when the cell has no "$"."""
    spans = find_money(s or "")
    if spans:
        return spans[0]
    m = re.search(rf"(?P<tilde>[~≈]\s?)?(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d{{4,6}})(?P<plus>\+)?", s or "")
    if not m:
        return None
    v = float(m.group("n").replace(",", ""))
    if v < 500:
        return None
    qual = "approx" if m.group("tilde") else "exact"
    if m.group("plus"):
        return MoneySpan(m.start(), m.end(), v, None, "at_least", None)
    return MoneySpan(m.start(), m.end(), v, v, qual, None)


def money_text(low: float | None, high: float | None, qualifier: str) -> str:
    """Normalised value text: '8400', '41000-44500', 'under 9500', 'over 60000', '75000+',
    '90000-120000+' (open-ended range)."""
    def f(x: float | None) -> str:
        return "" if x is None else (str(int(x)) if float(x).is_integer() else str(x))

    if qualifier == "range" and high is not None:
        return f"{f(low)}-{f(high)}"
    if qualifier == "under":
        return f"under {f(high)}"
    if qualifier == "over":
        return f"over {f(low)}"
    if qualifier == "at_least":
        return f"{f(low)}-{f(high)}+" if high is not None and low is not None else f"{f(low)}+"
    return f(low)
