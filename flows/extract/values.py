"""Typed values read from text: money (with its unit and what it covers), credit / course counts,
durations and GRE policy. Pure functions over strings; the vocabulary is reference data
(schemas/reference/columns.yaml). Every extractor reads amounts through this module.

Money
-----
An amount is read together with the qualifier words right before it ("under $9,500" -> under), a
trailing "+" (open-ended), a range ("$41,000-$44,500", "$80K–$95K", "between $3,000 and $4,000"), the
unit written next to it and what it covers.

Semantics of (low, high, qualifier):
  exact / approx -> low == high == amount
  under          -> low None, high amount
  over, at_least -> low amount, high None
  range          -> low, high; an open-ended range ("$90,000-$120,000+") keeps both figures with
                    qualifier at_least (resolution reads at_least/over as open-ended and high as the
                    stated upper figure)

unit (what one amount pays for), or None when the text does not say:
  degree  the whole program ("$42K total", "Total Program Cost")
  credit  per credit / credit hour / unit / point ("$1,200 per credit hour", "Cost per Credit")
  course  per course ("$3,400/course")
  year    per year ("$58,820 /Yr", "a year", "annually", "Annual Tuition")
  term    per semester, quarter, trimester, session ("$9,000 a semester", "Tuition (per semester)")
  month   per month
A rate written right after the amount is part of its span ("$610 per credit hour"); degree words after
it ("total") and context words before it ("Annual tuition is $X") are read but stay outside the span.
Precedence: the unit written right after the amount, then the words before it in its clause; a caller
holding a wider context (a column header, a card key) applies it with :func:`with_context_unit`, which
fills only an amount whose own words say nothing.

covers: "tuition" | "tuition_and_fees" | None, from the words around the amount ("in tuition and fees",
"excluding fees").
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from flows.common.yamlfile import load_yaml

COLUMNS_PATH = Path(__file__).resolve().parents[2] / "schemas" / "reference" / "columns.yaml"

#: units a money value may carry (None: the text does not say)
MONEY_UNITS = ("degree", "credit", "course", "year", "term", "month")
#: what a money value may cover (None: the text does not say)
MONEY_COVERS = ("tuition", "tuition_and_fees")
#: units that state a whole-program figure (None: unstated, which legacy readers take as a total)
TOTAL_UNITS = (None, "degree")
#: GRE policies gre_policy() returns
GRE_POLICIES = ("required", "optional", "not_required")


@lru_cache(maxsize=2)
def load_columns(path: str | None = None) -> dict:
    """The column/keyword vocabulary (schemas/reference/columns.yaml)."""
    p = Path(path) if path else COLUMNS_PATH
    return load_yaml(p)


# ============================================================================================ money

class Money(NamedTuple):
    low: float | None
    high: float | None
    qualifier: str
    unit: str | None = None
    covers: str | None = None


class MoneySpan(NamedTuple):
    start: int
    end: int
    low: float | None
    high: float | None
    qualifier: str
    unit: str | None  # one of MONEY_UNITS, or None when the text does not say
    covers: str | None = None  # one of MONEY_COVERS, or None

    @property
    def money(self) -> Money:
        return Money(self.low, self.high, self.qualifier, self.unit, self.covers)


_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = r"(?:\s?(?:[kK]|[mM]|thousand|million)(?![a-z]))"
#: a dollar amount: "$1,050", "US$ 1,050", "USD 1,050" (listing sites write the code before the number)
_CURRENCY = r"(?:US\$|\$|\bUSD\s?)"
_AMOUNT = rf"{_CURRENCY}\s?(?:{_NUM}){_MULT}?"
_SECOND = rf"(?:{_CURRENCY}\s?)?(?:{_NUM}){_MULT}?"
_DASH = r"(?:\s?[-–—]\s?|\s+to\s+)"

_TOKEN_RE = re.compile(
    rf"(?P<tilde>[~≈]\s?)?(?P<a>{_AMOUNT})(?P<plus1>\+)?"
    rf"(?:(?P<dash>{_DASH})(?P<tilde2>[~≈]\s?)?(?P<b>{_SECOND})(?P<plus2>\+)?)?"
)
_BETWEEN_RE = re.compile(rf"\bbetween\s+(?P<a>{_AMOUNT})\s+and\s+(?P<b>{_SECOND})", re.IGNORECASE)
_AMOUNT_PARTS = re.compile(rf"(?:{_CURRENCY}\s?)?(?P<n>{_NUM})(?P<m>{_MULT})?")


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
def _unit_after() -> tuple[re.Pattern[str], dict[str, str]]:
    alts = [(p, unit) for unit, phrases in load_columns()["money_units"].items() for p in phrases]
    alts.sort(key=lambda x: len(x[0]), reverse=True)
    body = "|".join(re.escape(p) for p, _ in alts)
    return re.compile(rf"^\s?(?P<u>{body})(?![a-z])", re.IGNORECASE), {p.lower(): u for p, u in alts}


@lru_cache(maxsize=1)
def _degree_after_re() -> re.Pattern[str]:
    words = sorted(load_columns()["money_degree_after"], key=len, reverse=True)
    return re.compile(r"^\s?(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _context_res() -> list[tuple[str, re.Pattern[str]]]:
    # a fragment may start at a slash touching a word ("Cost/Credit")
    return [(unit, re.compile(r"(?:(?<![\w-])|(?=/))(?:" + "|".join(frags) + r")(?![\w-])", re.IGNORECASE))
            for unit, frags in load_columns()["unit_context"].items()]


def unit_of_context(s: str | None) -> str | None:
    """The unit a header, card key or the words of a clause give the amounts under them.

    >>> [unit_of_context(h) for h in ("Annual Tuition", "Cost per Credit", "Total Program Cost",
    ...                               "Tuition (per semester)", "Tuition")]
    ['year', 'credit', 'degree', 'term', None]

    A rate (credit, course, year, term, month) beats "degree" ("Total Annual Cost" -> year); among rates
    the one written last (nearest an amount that follows) wins.
    """
    if not s:
        return None
    best: tuple[int, int, str] | None = None
    degree = False
    for unit, rx in _context_res():
        for m in rx.finditer(s):
            if unit == "degree":
                degree = True
                continue
            key = (m.end(), m.end() - m.start(), unit)
            if best is None or key[:2] > best[:2]:
                best = key
    if best:
        return best[2]
    return "degree" if degree else None


@lru_cache(maxsize=1)
def _covers_res() -> list[tuple[str, re.Pattern[str]]]:
    return [(c, re.compile(r"(?<![\w-])(?:" + "|".join(frags) + r")(?![\w-])", re.IGNORECASE))
            for c, frags in load_columns()["money_covers"].items()]


def covers_of_context(s: str | None) -> str | None:
    """What an amount covers by the words around it: 'tuition and fees' / 'including fees' ->
    tuition_and_fees; 'excluding fees' / 'in tuition' / 'tuition' -> tuition; else None."""
    if not s:
        return None
    for c, rx in _covers_res():
        if rx.search(s):
            return "tuition" if c == "tuition_word" else c
    return None


def with_context_unit(span: MoneySpan, context_unit: str | None) -> MoneySpan:
    """``span`` with the unit of its wider context (header, key) when its own words state none."""
    if span.unit is not None or context_unit is None:
        return span
    return span._replace(unit=context_unit)


def resolve_unit(own: str | None, context: str | None) -> str | None:
    """An explicit unit next to the amount beats the context; a context word beats nothing."""
    return own if own is not None else context


def _scaled_pair(a: str, b: str) -> tuple[float | None, float | None]:
    lo, hi = amount_value(a), amount_value(b)
    if lo is not None and hi is not None and _has_mult(b) and not _has_mult(a) and lo * 1000 <= hi:
        lo = amount_value(a + "K")  # "$80-95K" -> 80,000-95,000
    return lo, hi


#: the clause an amount belongs to ends at these (a period only when not a decimal point)
_CLAUSE_BREAK_RE = re.compile(r"[;|\n\t,:]|\.(?!\d)|\s[-–—]\s")


def find_money(text: str) -> list[MoneySpan]:
    """Every amount in ``text`` with its qualifier, range, unit and what it covers; spans include the
    qualifier words and a rate written right after the amount ("$610 per credit hour")."""
    raw: list[MoneySpan] = []
    taken: list[tuple[int, int]] = []
    for m in _BETWEEN_RE.finditer(text):
        lo, hi = _scaled_pair(m.group("a"), m.group("b"))
        if lo is None or hi is None or hi < lo:
            continue
        end, unit = _unit_suffix(text, m.end())
        raw.append(MoneySpan(m.start(), end, lo, hi, "range", unit))
        taken.append((m.start(), end))
    for m in _TOKEN_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        span = _token_to_span(text, m)
        if span is not None:
            raw.append(span)
            taken.append((span.start, span.end))
    for m in _BARE_K_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken) or not _PAY_BEFORE_RE.search(text[max(0, m.start() - 40):m.start()]):
            continue
        span = _single(text, m.start(), m.start(), m.end(), None, None)
        if span is not None:
            raw.append(span)
    raw.sort(key=lambda s: s.start)
    out = []
    prev_end = 0
    for sp in raw:
        before = _clause_before(text, prev_end, sp.start)
        unit = sp.unit
        if unit is None and _degree_after_re().match(text[sp.end:sp.end + 40]):
            unit = "degree"
        if unit is None:
            unit = unit_of_context(before)
        after = text[sp.end:sp.end + 40]
        nxt = _CLAUSE_BREAK_RE.search(after)
        covers = covers_of_context(after[:nxt.start()] if nxt else after) or covers_of_context(before)
        out.append(sp._replace(unit=unit, covers=covers))
        prev_end = sp.end
    return out


def _clause_before(text: str, lo: int, start: int) -> str:
    """The words of the amount's clause before it (at most 50 characters, never past the previous amount);
    a key right before it keeps its words ("Annual tuition: $X", "Cost (per semester) $X")."""
    w = text[max(lo, start - 50):start]
    k = re.search(r"[\s:=(]*$", w)
    head = w[:k.start()] if k else w
    cuts = [m.end() for m in _CLAUSE_BREAK_RE.finditer(head)]
    return head[cuts[-1] if cuts else 0:]


#: informal amounts without "$" ("paid about 9k total"): money only right after a paying/costing word
_BARE_K_RE = re.compile(r"(?<![\w$.,])\d{1,3}(?:\.\d{1,2})?\s?[kK](?![\w$])")
_PAY_BEFORE_RE = re.compile(r"\b(?:paid|pay|paying|spent|spend|spending|costs?|costing|cost me|runs?|running|tuition (?:is|was)|"
                            r"total (?:is|was)|came to|comes to)\s+(?:(?:about|around|roughly|approximately|approx\.?|only|just|"
                            r"like|maybe|under|over|less than|more than|close to|nearly|almost)\s+)?$", re.IGNORECASE)


def _unit_suffix(text: str, end: int) -> tuple[int, str | None]:
    rx, unit_of = _unit_after()
    um = rx.match(text[end:end + 40])
    if um:
        return end + um.end(), unit_of[um.group("u").lower()]
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
    """First amount in ``s`` as (low, high, qualifier, unit, covers).

    >>> parse_money("roughly $8,400")
    Money(low=8400.0, high=8400.0, qualifier='approx', unit=None, covers=None)
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
    end, unit = _unit_suffix(s, m.end())
    if m.group("plus"):
        return MoneySpan(m.start(), end, v, None, "at_least", unit)
    return MoneySpan(m.start(), end, v, v, qual, unit)


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


# ============================================================================================ counts

class CountSpan(NamedTuple):
    """A count read from text: ``text[start:end]`` is its quote (number and unit words)."""

    start: int
    end: int
    low: float
    high: float | None  # None when open-ended ("30+ credits", "at least 30 credits")
    qualifier: str      # exact | range | at_least
    unit: str           # credit | quarter_credit | course | month | year | term | week


@lru_cache(maxsize=1)
def _number_words() -> dict[str, int]:
    base = {k.lower(): int(v) for k, v in (load_columns().get("number_words") or {}).items()}
    tens = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}
    out = dict(base)
    out.update(tens)
    for t, tv in tens.items():
        for o, ov in base.items():
            if ov < 10:
                out[f"{t}-{o}"] = tv + ov
                out[f"{t} {o}"] = tv + ov
    return out


def count_value(tok: str) -> float | None:
    """'30' -> 30, '1.5' -> 1.5, 'thirty-six' -> 36 (number words are reference data); None otherwise."""
    t = tok.strip().lower()
    try:
        return float(t)
    except ValueError:
        v = _number_words().get(t)
        return None if v is None else float(v)


@lru_cache(maxsize=1)
def _num_alt() -> str:
    words = sorted(_number_words(), key=len, reverse=True)
    return r"\d{1,3}(?:\.\d)?|" + "|".join(re.escape(w) for w in words)


_OPEN_BEFORE_RE = re.compile(r"(?:at least|a minimum of|minimum of|no fewer than|not less than)\s+$", re.IGNORECASE)


def _counts(text: str, unit_rx: str, unit_of, *, adjectives: str = "", after_not: str = "") -> list[CountSpan]:
    num = _num_alt()
    rx = re.compile(
        rf"(?<![\w$.,-])(?P<n>{num})(?:\s?(?:[-–]|to|or)\s?(?P<n2>{num}))?(?P<plus>\+)?[- ]?"
        rf"(?:(?:{adjectives})[- ])*(?P<u>{unit_rx})(?![\w])" + (rf"(?!{after_not})" if after_not else ""),
        re.IGNORECASE)
    out = []
    for m in rx.finditer(text):
        lo = count_value(m.group("n"))
        if lo is None or lo <= 0:
            continue
        unit = unit_of(m.group("u").lower())
        start = m.start()
        ob = _OPEN_BEFORE_RE.search(text[max(0, start - 25):start])
        if m.group("n2"):
            hi = count_value(m.group("n2"))
            if hi is None or hi <= lo:
                continue
            out.append(CountSpan(start, m.end(), lo, hi, "range", unit))
        elif m.group("plus") or ob:
            if ob:
                start -= len(text[max(0, start - 25):start]) - ob.start()
            out.append(CountSpan(start, m.end(), lo, None, "at_least", unit))
        else:
            out.append(CountSpan(start, m.end(), lo, lo, "exact", unit))
    return out


_CREDIT_UNITS = r"semester[- ]credit[- ]hours?|quarter[- ]credit[- ]hours?|credit[- ]hours?|credits?|semester[- ]hours?|" \
                r"quarter[- ]hours?|quarter[- ]units?|quarter[- ]credits?|units|points|cr\.?(?=\s)|ects"
_CREDIT_ADJ = r"total|required|graduate|undergraduate|semester|academic|elective|core|transfer"
#: "a 3-credit course" is a course's weight, not the program's count
_PER_COURSE_AFTER = r"\s+(?:courses?|class(?:es)?|modules?|electives?|capstones?|projects?|seminars?|practicums?|labs?)\b"
_KEY_CREDITS_RE = re.compile(
    r"(?P<k>(?:total\s+)?(?:credits?|credit hours|units)(?:\s+required)?)\s*[:=]\s*(?P<n>\d{1,3})(?:\s?[-–]\s?(?P<n2>\d{1,3}))?(?P<plus>\+)?",
    re.IGNORECASE)


def _credit_unit(u: str) -> str:
    return "quarter_credit" if u.startswith("quarter") else "credit"


_TIMES_CREDITS_RE = re.compile(r"\s*(?:[×xX*]|times)\s*(?P<n>\d{1,3})\s*(?P<u>credit[- ]hours?|credits?|units|semester[- ]hours?)\b"
                               r"(?:\s*(?:=|for a total of|totals?|total of|\(total)\s*)?", re.IGNORECASE)


def times_credits(text: str, pos: int) -> tuple[CountSpan, MoneySpan | None] | None:
    """What follows a per-credit price at ``pos``: "$725 per credit hour × 30 credits = $21,750" gives the credit
    count (its span: the number and its unit) and, when stated right after it, the total it multiplies to (spans
    in ``text``)."""
    m = _TIMES_CREDITS_RE.match(text, pos)
    if not m:
        return None
    n = float(m.group("n"))
    count = CountSpan(m.start("n"), m.end("u"), n, n, "exact", "credit")
    rest = find_money(text[m.end():])
    total = None
    if rest and rest[0].start <= 2 and rest[0].unit in TOTAL_UNITS and rest[0].low is not None:
        total = rest[0]._replace(start=m.end() + rest[0].start, end=m.end() + rest[0].end)
    return count, total


def find_credits(text: str) -> list[CountSpan]:
    """Credit counts: '30 credits', '30-36 credit hours', '36 semester hours', '45 quarter units',
    'at least 30 credits', '30+ credits', 'thirty-six credits', 'Credits: 30'. A course's weight
    ('3-credit courses') is not a count. Whether a count is the whole program's is the caller's to judge
    from its sentence (:func:`is_sub_requirement`)."""
    out = _counts(text, _CREDIT_UNITS, _credit_unit, adjectives=_CREDIT_ADJ, after_not=_PER_COURSE_AFTER)
    for m in _KEY_CREDITS_RE.finditer(text):
        if any(c.start <= m.start("n") < c.end for c in out):
            continue
        lo = float(m.group("n"))
        if m.group("n2"):
            hi = float(m.group("n2"))
            if hi > lo:
                out.append(CountSpan(m.start(), m.end(), lo, hi, "range", "credit"))
        elif m.group("plus"):
            out.append(CountSpan(m.start(), m.end(), lo, None, "at_least", "credit"))
        else:
            out.append(CountSpan(m.start(), m.end(), lo, lo, "exact", "credit"))
    return sorted(out, key=lambda c: c.start)


_WHOLE_RE = re.compile(r"\b(?:programs?|degrees?|master['’]?s|m\.?s\.?|msc|graduat(?:e|ion)|in total|in all|overall|"
                       r"whole|entire|complete|to finish|to earn)\b", re.IGNORECASE)
_TOTAL_NEAR_RE = re.compile(r"\btotal\b", re.IGNORECASE)
_SUB_RE = re.compile(
    r"\b(?:speciali[sz]ations?|concentrations?|tracks?|electives?|core|capstones?|thesis|projects?|certificates?|"
    r"foundations?|foundational|prerequisites?|bridge|minors?|modules?|practicums?|internships?|residenc(?:y|ies)|"
    r"research|options?|pathways?|emphas[ie]s|stackable|each|every|of which|breadth|depth|"
    r"required (?:core|courses)|sub-?plan)\b", re.IGNORECASE)
_ALWAYS_SUB_RE = re.compile(
    r"\b(?:transfer(?:red|rable|s)?|up to|per (?:term|semester|quarter|year|session)|each (?:term|semester|quarter|course|class)|"
    r"a (?:term|semester|quarter)|(?:undergraduate|bachelor['’]?s)|waive[sd]?\s+(?:up\s+to\s+)?\d+|(?:may|can) be waived|"
    r"of which|remaining)\b", re.IGNORECASE)


def is_sub_requirement(sentence: str, span: tuple[int, int] | None = None) -> bool:
    """Is the credit count at ``span`` of ``sentence`` (default: its first credit count) a part of the
    program rather than the whole ("the specialization includes 15 credits", "up to 9 credits may be
    transferred", "12 credits per semester", "the capstone is 6 credits")?

    The words of the count's clause decide: transfer / "up to" / per-term words always make it a part;
    otherwise the nearest naming word before the count wins (a track, elective, core, capstone... -> part;
    program, degree, master's, graduation -> whole), and "total" or "to graduate" touching the count makes
    it whole."""
    if span is None:
        cs = find_credits(sentence)
        if not cs:
            return False
        span = (cs[0].start, cs[0].end)
    a, b = span
    clause_lo = max([m.end() for m in re.finditer(r"[;.](?!\d)|,\s+(?:but|while|whereas|and|with)\b", sentence[:a])] + [0])
    nxt = re.search(r"[;.](?!\d)|,\s+(?:but|while|whereas|and)\b", sentence[b:])
    clause_hi = b + nxt.start() if nxt else len(sentence)
    clause = sentence[clause_lo:clause_hi]
    if _ALWAYS_SUB_RE.search(clause) or re.search(r"\b(?:elective|core|transfer)\b", sentence[a:b], re.IGNORECASE):
        return True
    if _TOTAL_NEAR_RE.search(sentence[max(clause_lo, a - 20):min(clause_hi, b + 20)]) or \
            re.match(r"\)?\s*(?:to graduate|for graduation|for the degree|in all|overall)\b", sentence[b:], re.IGNORECASE):
        return False
    if re.match(r"[- ]?(?:(?:online|graduate)\s+)?(?:program|degree|master|M\.?S\.?\b|M\.?Eng|MSc)", sentence[b:b + 20].lstrip(),
                re.IGNORECASE):
        return False  # "a 30-credit program", "Sablewood's 32-credit M.S. in Computer Science"
    before = sentence[clause_lo:a]
    whole = [m.end() for m in _WHOLE_RE.finditer(before)]
    sub = [m.end() for m in _SUB_RE.finditer(before)]
    after = sentence[b:clause_hi]
    if not whole and not sub:
        # "30 credits of core coursework" / "15 credits in the specialization": the naming words follow
        near = re.match(r"\s+(?:of|in|for|towards?|from|within)\s+((?:(?!(?:including|includes|with|and|plus|but|or)\b)[\w-]+\s*){1,4})", after)
        if not near:
            return False
        sa, wa = _SUB_RE.search(near.group(1)), _WHOLE_RE.search(near.group(1))
        return bool(sa and (not wa or sa.start() < wa.start()))
    return bool(sub) and (not whole or max(sub) > max(whole))


_COURSE_ADJ = r"core|required|graduate|elective|total|foundational|advanced|online|ml|machine[- ]learning|dedicated|mandatory"


def find_course_counts(text: str) -> list[CountSpan]:
    """Course counts: '10 courses', 'ten required courses', '3-4 elective courses', '12+ courses'."""
    return _counts(text, r"courses|course|classes|modules", lambda u: "course", adjectives=_COURSE_ADJ,
                   after_not=r"\s+(?:per|a|each)\s+(?:term|semester|quarter)\b")


def find_ml_course_counts(text: str) -> list[CountSpan]:
    """Counts of machine-learning courses: 'five core ML courses', '3-4 ML core courses', '4 required
    machine learning courses' (subjects and qualifiers are reference data)."""
    cols = load_columns()
    subj = "|".join(cols.get("ml_course_subjects") or ["ML"])
    qual = "|".join(re.escape(w) for w in cols.get("ml_course_qualifiers") or ["core"])
    return [c for c in _counts(text, rf"(?:(?:{qual})\s+)?(?:{subj})\s+(?:(?:{qual})\s+)?courses?", lambda u: "course",
                               adjectives=qual) if c.low <= 30]


@lru_cache(maxsize=1)
def _format_phrase_re() -> re.Pattern[str]:
    phrases = sorted(load_columns()["format_phrases"], key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])", re.IGNORECASE)


_FORMAT_VERB_RE = re.compile(r"\b(?:offers?|provides?|delivers?|is|are|runs?|taught|delivered|offered|held|"
                             r"completed?)\b[^.;]{0,25}$", re.IGNORECASE)


#: "can be completed online", "is offered entirely online", "taught on campus": a delivery verb and a format
_DELIVERED_RE = re.compile(r"\b(?:offered|delivered|completed|taught|available|earned|taken|studied|held)\s+"
                           r"(?P<f>(?:fully\s+|entirely\s+|completely\s+|100%\s+)?online|on[- ]campus|in[- ]person)\b"
                           # not an adjective: "has offered online degrees since 2009"
                           r"(?!\s+(?:degrees?|programs?|courses?|classes|learning|education|students|options?)\b)",
                           re.IGNORECASE)


#: what a clause is about when its "online" is not the program's format: "The textbook is freely available
#: online", "Applications are submitted online", "lecture videos are posted online"
_NOT_THE_PROGRAM_RE = re.compile(r"\b(?:text ?books?|books?|readings?|materials?|lectures?|videos?|recordings?|notes|"
                                 r"slides|syllabus|syllabi|resources|handbook|catalog|transcripts?|applications?|"
                                 r"forms?|documents?)\b[^,;:()]*$", re.I)


def find_format(sentence: str) -> tuple[int, int] | None:
    """Span of the delivery format a sentence states ("Courses are delivered fully online", "100% online,
    with ...", "the degree can be completed online"): a strong format phrase (reference data) after a verb, or
    opening the sentence, or a delivery verb followed by the format; not when the clause is about something
    other than the program (a textbook, the application)."""
    for m in _format_phrase_re().finditer(sentence):
        before = sentence[:m.start()]
        if not before.strip(" \t\"“-*"):
            return m.span()
        if _FORMAT_VERB_RE.search(before) and not _NOT_THE_PROGRAM_RE.search(before):
            return m.span()
    d = _DELIVERED_RE.search(sentence)
    return d.span("f") if d and not _NOT_THE_PROGRAM_RE.search(sentence[:d.start()]) else None


_DURATION_UNITS = {"month": "month", "months": "month", "mos": "month", "mo": "month", "year": "year", "years": "year",
                   "yrs": "year", "yr": "year", "semester": "term", "semesters": "term", "term": "term", "terms": "term",
                   "quarter": "term", "quarters": "term", "trimester": "term", "trimesters": "term",
                   "week": "week", "weeks": "week"}


def find_durations(text: str) -> list[CountSpan]:
    """Program lengths: '18 months', '1.5 years', '2-3 years', 'four semesters', 'as few as 12 months'.
    Not durations: experience ('2 years of work experience'), ages ('3 years ago'), rates ('a year')."""
    spans = _counts(text, r"months|month|mos|mo|years|year|yrs|yr|semesters|semester|terms|term|quarters|quarter|"
                          r"trimesters|trimester|weeks|week", lambda u: _DURATION_UNITS[u],
                    after_not=r"(?:\s+(?:of\s+(?:\w+\s+)?(?:experience|work)|ago|old|experience)\b|-old)")
    return [s for s in spans if not re.search(r"\b(?:experience|ago)\b", text[s.end:s.end + 30], re.IGNORECASE)
            or re.match(r"\s*(?:to complete|to finish)", text[s.end:], re.IGNORECASE)]


def duration_months(c: CountSpan) -> tuple[float, float | None] | None:
    """A duration in months (years x 12, weeks / 4.345); None for terms, whose length varies."""
    f = {"month": 1.0, "year": 12.0, "week": 1 / 4.345}.get(c.unit)
    if f is None:
        return None
    return c.low * f, (None if c.high is None else c.high * f)


# =============================================================================================== GRE

_GRE_WORD_RE = re.compile(r"\b(?:GRE|GMAT|test scores?|standardi[sz]ed tests?|entrance exams?|admissions? tests?)\b",
                          re.IGNORECASE)
#: 'GRENo', 'GRE:No', 'GRE? Yes' -- a key run together with its value in a flattened row
_RUN_TOGETHER_RE = re.compile(r"\b(GRE|GMAT)(?=(?:Yes|No|Not|Optional|Required|Waived|Waiver|Recommended|None)\b)")
_KEY_VALUE_RE = re.compile(
    r"\b(?:GRE|GMAT|GRE/GMAT|GMAT/GRE)(?P<key>(?:\s+(?:scores?|required|requirement|policy|needed|waiver|waived))*)\s*\??\s*[:=?–-]?\s*"
    r"(?P<v>yes|no|y|n|none|not required|required|optional|waived|waivable|recommended|available|not needed)\b",
    re.IGNORECASE)


@lru_cache(maxsize=1)
def _gre_phrase_res() -> list[tuple[str, re.Pattern[str]]]:
    return [(policy, re.compile(r"(?<![\w-])(?:" + "|".join(frags) + r")(?![\w-])", re.IGNORECASE))
            for policy, frags in load_columns()["gre_phrases"].items()]


@lru_cache(maxsize=1)
def _gre_cell_values() -> dict[str, str]:
    return {w.lower(): p for p, ws in load_columns()["gre_values"].items() for w in ws}


def gre_policy(text: str | None, about_gre: bool = False, both: bool = False) -> str | None:
    """The GRE policy ``text`` states: required | optional | not_required, or None.

    'GRE not required', 'No GRE', 'GRE: No', 'GRENo' -> not_required; 'GRE optional', 'GRE waived for
    applicants with a 3.0 GPA', 'required unless ...', 'can be waived' -> optional (a conditional waiver or
    requirement: some applicants still take the test); 'GRE required', 'GRE: Yes' -> required.
    ``about_gre``: the text is a GRE field's value (a table cell, a card value), so a bare 'No' / 'Waived'
    counts; otherwise the text must name the GRE (or GMAT, test scores, an entrance exam).
    When the wording admits two policies ('dropped or made optional') the weaker claim, optional, is returned
    (with ``both``, the two: 'not_required|optional').
    """
    if not text:
        return None
    t = _RUN_TOGETHER_RE.sub(r"\1 ", text)
    t = re.sub(r"\s+", " ", t).strip()
    if about_gre:
        v = _gre_cell_values().get(t.strip(" .*").lower())
        if v:
            return v
    elif not _GRE_WORD_RE.search(t):
        return None
    kv = _KEY_VALUE_RE.search(t)
    if kv and not re.match(r"\s*(?:for|if|unless|when|with|only|based|upon|depending)\b", t[kv.end():], re.IGNORECASE):
        key, v = kv.group("key").lower(), kv.group("v").lower()
        if "waive" in key:
            if v in ("yes", "y", "available", "optional", "waivable"):
                return "optional" if "waiver" in key else "not_required"
            if v in ("no", "n", "none"):
                return "required"
        elif v in ("yes", "y"):
            return "required"
        elif v in ("no", "n", "none"):
            return "not_required"
    found: list[tuple[str, int, int]] = []
    for policy, rx in _gre_phrase_res():  # optional first: a conditional waiver is not read again as "waived"
        for m in rx.finditer(t):
            if not any(m.start() < e and s < m.end() for _, s, e in found):
                found.append((policy, m.start(), m.end()))
    pols = {p for p, _, _ in found}
    if not pols and about_gre:
        low = t.lower()
        if low.startswith(("not required", "no ", "no,")):
            return "not_required"
        if low.startswith("yes"):
            return "required"
    if "required" in pols and len(pols) > 1:
        pols.discard("required")  # "not required", "required ... can be waived"
    if pols >= {"optional", "not_required"}:
        # ``both``: keep the two claims ("not_required|optional"), so that reconciliation can agree with a
        # source that says either; otherwise the weaker one
        return "not_required|optional" if both else "optional"
    return next(iter(pols)) if pols else None


# ------------------------------------------------------------------------------------ cells of tables and cards

#: a cell or title that opens with a degree ("M.S. in …", "MSCS", "Master of …", "Graduate Certificate")
DEGREE_START_RE = re.compile(
    r"^(?:Online\s+)?(?:M\.\s?[A-Z][A-Za-z.]*|M[A-Z]{1,4}\b|Master|MSc|MEng|Ph\.?\s?D|Doctor|"
    r"Graduate\s+Certificate|[A-Z]{2,7}(?:[-/][A-Z]{2,5})?\b)"
)


def parse_count(cell: str) -> tuple[float, float | None, str] | None:
    """'5+' -> (5, None, at_least); '3-4' -> (3, 4, range); '4' -> (4, 4, exact)."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*(?:(\+)|[-–]\s*(\d{1,2}))?\s*(?:courses?)?\s*", cell or "")
    if not m:
        return None
    a = int(m.group(1))
    if not 0 < a <= 30:
        return None
    if m.group(2):
        return float(a), None, "at_least"
    if m.group(3):
        b = int(m.group(3))
        if not a < b <= 30:
            return None
        return float(a), float(b), "range"
    return float(a), float(a), "exact"


#: credit counts a run-together row may be split into (used only to choose between splits)
PLAUSIBLE_CREDITS = (6, 150)


def parse_credits(cell: str, plausible: bool = False
                  ) -> tuple[str, float | None, float | None, str | None] | None:
    """'30' -> ('30', 30, 30, 'exact'); '30-36' -> range; '30+' -> at_least; 'Variable' ->
    ('Variable', None, None, None).

    A delimited cell states its value unambiguously, so any count is returned ('300' -> 300; the
    validation gate quarantines implausible ones). ``plausible=True`` is only for choosing between
    splits of run-together digits, where a count outside PLAUSIBLE_CREDITS is not a candidate.
    """
    c = (cell or "").strip()
    if c.lower() in (v.lower() for v in load_columns()["variable_credits"]):
        return c, None, None, None
    m = re.fullmatch(r"(\d{1,4})(?:\s*(?:[-–]|to)\s*(\d{1,4}))?(\+)?"
                     r"(?:\s*(?:total\s+)?(?:credits?|credit[- ]hours?|units|semester[- ]hours|hours|quarter[- ]hours))?"
                     r"(?:\s+total)?", c, re.IGNORECASE)
    if not m:
        return None
    lo_ok, hi_ok = PLAUSIBLE_CREDITS if plausible else (0, 9999)
    a = int(m.group(1))
    if not lo_ok <= a <= hi_ok or (plausible and len(m.group(1)) > 3):
        return None
    if m.group(2):
        b = int(m.group(2))
        if not a < b <= hi_ok:
            return None
        return f"{a}-{b}", float(a), float(b), "range"
    if m.group(3):
        return f"{a}+", float(a), None, "at_least"
    return str(a), float(a), float(a), "exact"
