"""What a key, header or sentence means (attribute + unit) and the typed values read under it.

The meaning of a label is a *hint* from its words (``meaning``); the value's own type decides the rest:
a money value next to "per credit" is a per-credit price whatever the label says, a bare count under a
"Credits" label is a credit count, "No"/"Not required" under a GRE label is a policy. Money parsing is
flows.extract.values' (one implementation); this module only decides units and attributes.
"""

from __future__ import annotations

import re

from flows.extract.values import MoneySpan, find_money, gre_policy, parse_money_cell, unit_of_context

# label words -> attribute (checked in order; first match wins)
_MEANING = [
    ("gre_policy", re.compile(r"\b(?:GRE|GMAT|entrance exam|test(?:ing)? (?:requirement|scores?|policy)|"
                              r"standardi[sz]ed tests?|admissions? tests?)\b", re.I)),
    ("tuition", re.compile(r"\b(?:tuition|cost|costs|price|pricing|investment|sticker)\b", re.I)),
    ("credits", re.compile(r"\b(?:credits?|credit hours?|units|semester hours|quarter hours|hours required|total hours|"
                             r"required hours|program hours)\b", re.I)),
    ("delivery_format", re.compile(r"\b(?:format|delivery|modality|learning mode|attendance|instruction)\b", re.I)),
    ("degree_title", re.compile(r"^(?:degree|degree (?:type|title|name|offered|awarded)|program(?: name| title)?|"
                                r"credential|online program)$", re.I)),
]
_SKIP_LABEL_RE = re.compile(r"\b(?:duration|length|months?|years? to|time to|deadline|start|acceptance|rank|"
                            r"ranking|location|students|enrollment|salary|pay|earn|ratio|aid|scholarship|"
                            r"fees?|deposit|books|course count|number of courses|comp|compensation|income|wages?|"
                            # what living costs, not what the program costs ("Estimated Cost of Living: $31,900 /year")
                            r"living|housing|accommodation|room and board|rent|food|meals|transport(?:ation)?|"
                            r"personal expenses)\b", re.I)

def meaning(label: str) -> str | None:
    """The attribute a key or header names, or None (a hint: callers still type the value)."""
    lab = label.strip(" :*_?").strip()
    if not lab or (_SKIP_LABEL_RE.search(lab) and not re.search(r"\btuition\b", lab, re.I)):
        return None
    for attr, rx in _MEANING:
        if rx.search(lab):
            return attr
    return None


def unit_of(context: str) -> str | None:
    """Unit a context states: credit | course | year | term | month | degree, else None."""
    return unit_of_context(context)


def money_in(s: str) -> list[MoneySpan]:
    return find_money(s)


def money_cell(s: str) -> MoneySpan | None:
    return parse_money_cell(s)


_COUNT_RE = re.compile(r"(?<![\w$.,])(?P<a>\d{1,3})(?:\s?(?:[-–]|to)\s?(?P<b>\d{1,3}))?(?![\w.,]*\d)(?!\s?%)")


def count_in(s: str) -> tuple[int, int, float, float | None] | None:
    """First whole count in ``s`` (start, end, low, high) — "30", "30-36", "36 credit hours"."""
    m = _COUNT_RE.search(s)
    if not m:
        return None
    lo = float(m.group("a"))
    hi = float(m.group("b")) if m.group("b") else lo
    if hi < lo:
        return None
    return m.start(), m.end(), lo, hi


def gre_cell(s: str) -> str | None:
    """GRE policy of a short cell or field value ("No", "Optional", "Required", "Waived")."""
    return gre_policy(s, about_gre=True)


_FORMAT_RE = re.compile(r"^(?:(?:100\s?%|fully|entirely|completely)\s+)?(?:online|hybrid|on[- ]campus|in[- ]person|"
                        r"blended|asynchronous|synchronous|remote)\b", re.I)


def format_cell(s: str) -> bool:
    return bool(_FORMAT_RE.match(s.strip()))
