"""What extraction missed: lines that look like they hold facts but overlap no fact's span.

A line "looks factual" when it carries money ("$8,400", "~$12K"), a per-credit price or salary
word next to an amount, a credit count ("36 credits", "Credits: 36"), a GRE mention, or names an institution (registry or an unseen
"... University"). Pure: text and facts in, (start, end, reason) spans out; reason joins every
signal the line carries with "|" in a fixed order, e.g. "money|institution".

A line some fact overlaps is still listed, with "partial" as its last reason, when it carries amounts
and none of them was read (a table row whose run-together figures could not be split unambiguously
yields the school but no price: a reviewer should see that row).
"""

from __future__ import annotations

import re
from typing import Iterable

from flows.extract.model import Fact
from flows.extract.registry import load_registry
from flows.extract.text import Spans, iter_lines

_MONEY_RE = re.compile(r"(?:US)?\$\s?\d[\d,]*(?:\.\d+)?\s*(?:[kKmM]\b)?|\b\d[\d,]*(?:\.\d+)?\s*(?:USD|dollars)\b")
_PER_CREDIT_RE = re.compile(
    r"\bper[\s-]+(?:credit|unit|semester[\s-]+hour|credit[\s-]+hour)s?\b|/\s*(?:credit|cr\.?|unit)\b", re.I
)
_CREDITS_RE = re.compile(
    r"\b\d{1,3}(?:\s*[-–]\s*\d{1,3})?[\s-]*(?:credits?|units?|(?:semester|quarter|credit)[\s-]+hours?)\b"
    r"|\bcredits?\s*(?:hours?)?\s*[:=]\s*\d",
    re.I,
)
_GRE_RE = re.compile(r"\bGRE\b|\bGMAT\b")
_SALARY_RE = re.compile(r"\b(?:salar(?:y|ies)|median\s+pay|compensation|earn(?:s|ings)?)\b", re.I)

#: reasons in report order
REASONS = ("per_credit", "money", "salary", "credits", "gre", "institution")


def line_signals(line: str) -> list[str]:
    """The fact signals a line carries, in ``REASONS`` order (empty when none)."""
    found = set()
    money = bool(_MONEY_RE.search(line))
    if money:
        found.add("money")
        # a price per credit or a salary only counts next to an amount
        if _PER_CREDIT_RE.search(line):
            found.add("per_credit")
        if _SALARY_RE.search(line):
            found.add("salary")
    if _CREDITS_RE.search(line):
        found.add("credits")
    if _GRE_RE.search(line):
        found.add("gre")
    if load_registry().find_all(line):
        found.add("institution")
    return [r for r in REASONS if r in found]


def unclaimed_lines(text: str, facts: Iterable[Fact]) -> list[tuple[int, int, str]]:
    """Lines of ``text`` that carry fact signals but overlap no fact span: (start, end, reason)."""
    if not isinstance(text, str):
        return []
    spans = []
    for f in facts or ():
        try:
            s, e = int(f.start), int(f.end)
        except (AttributeError, TypeError, ValueError):
            continue
        spans.append((s, max(e, s + 1)))
    claimed = Spans(spans).overlaps
    out: list[tuple[int, int, str]] = []
    for ln in iter_lines(text):
        signals = line_signals(ln.text)
        if not signals:
            continue
        if not claimed(ln.start, ln.end):
            out.append((ln.start, ln.end, "|".join(signals)))
        elif "money" in signals:
            amounts = [(ln.start + m.start(), ln.start + m.end()) for m in _MONEY_RE.finditer(ln.text)]
            if amounts and not any(claimed(a, b) for a, b in amounts):
                out.append((ln.start, ln.end, "|".join(signals + ["partial"])))
    return out
