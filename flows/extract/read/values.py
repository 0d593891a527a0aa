"""What a key, header or sentence means (attribute + unit) and the typed values read under it.

The meaning of a label is a *hint* from its words (``meaning``); the value's own type decides the rest:
a money value next to "per credit" is a per-credit price whatever the label says, a bare count under a
"Credits" label is a credit count, "No"/"Not required" under a GRE label is a policy. Money parsing is
flows.extract.money's (one implementation); this module only decides units and attributes.
"""

from __future__ import annotations

import re

from flows.extract.money import MoneySpan, find_money, parse_money_cell

# label words -> attribute (checked in order; first match wins)
_MEANING = [
    ("gre_policy", re.compile(r"\b(?:GRE|GMAT|entrance exam|test(?:ing)? (?:requirement|scores?|policy)|"
                              r"standardi[sz]ed tests?|admissions? tests?)\b", re.I)),
    ("tuition", re.compile(r"\b(?:tuition|cost|costs|price|pricing|investment|sticker)\b", re.I)),
    ("credits", re.compile(r"\b(?:credits?|credit hours?|units|semester hours|quarter hours|hours required)\b", re.I)),
    ("delivery_format", re.compile(r"\b(?:format|delivery|modality|learning mode|attendance|instruction)\b", re.I)),
    ("degree_title", re.compile(r"^(?:degree|degree (?:type|title|name|offered|awarded)|program(?: name| title)?|"
                                r"credential|online program)$", re.I)),
]
_SKIP_LABEL_RE = re.compile(r"\b(?:duration|length|months?|years? to|time to|deadline|start|acceptance|rank|"
                            r"ranking|location|students|enrollment|salary|pay|earn|ratio|aid|scholarship|"
                            r"fees?|deposit|books|course count|number of courses)\b", re.I)

_UNIT_WORDS = [
    ("credit", re.compile(r"\bper[\s-]+(?:credit|unit|point|semester[\s-]+hour|credit[\s-]+hour|hour)s?\b|"
                          r"/\s*(?:credit|cr\.?|unit|credit[\s-]+hour|hr)s?\b|\bcredit[\s-]+hour[\s-]+rate\b|"
                          r"\b(?:cost|tuition|price|rate)[\s-]+(?:per|/)[\s-]*(?:credit|unit)", re.I)),
    ("course", re.compile(r"\bper[\s-]+(?:course|class|module)\b|/\s*(?:course|class)\b|\beach course\b", re.I)),
    ("year", re.compile(r"\b(?:annual(?:ly)?|per[\s-]+year|a[\s-]+year|yearly|/\s*yr\.?|/\s*year|per[\s-]+annum|"
                        r"each year|academic year)\b", re.I)),
    ("term", re.compile(r"\b(?:per[\s-]+(?:semester|term|quarter|session|trimester)|a[\s-]+(?:semester|term|quarter)|"
                        r"/\s*(?:semester|term|quarter)|each (?:semester|term|quarter)|semester(?:ly)?[\s-]+"
                        r"(?:tuition|cost|rate)|(?:tuition|cost) per (?:semester|term))\b", re.I)),
    ("month", re.compile(r"\b(?:per[\s-]+month|a[\s-]+month|monthly|/\s*mo(?:nth)?\.?)\b", re.I)),
    ("degree", re.compile(r"\b(?:total|entire|whole|full|overall|complete)\b|\bprogram (?:cost|tuition|price)\b|"
                          r"\b(?:cost|tuition|price) of the (?:degree|program)\b|\bdegree (?:cost|tuition)\b", re.I)),
]


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
    for unit, rx in _UNIT_WORDS:
        if rx.search(context):
            return unit
    return None


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


_GRE_NO_RE = re.compile(r"^(?:no|none|not required|not needed|waived|no gre(?: required)?|"
                        r"gre not required|not required for admission|false|✗|×)\b", re.I)
_GRE_OPT_RE = re.compile(r"^(?:optional|waivable|conditional|may be waived|waiver available|recommended|"
                         r"required for some|case[- ]by[- ]case|varies|sometimes)\b|\bwaiv", re.I)
_GRE_YES_RE = re.compile(r"^(?:yes|required|req\.?|true|✓|✔)\b", re.I)


def gre_cell(s: str) -> str | None:
    """GRE policy of a short cell or field value ("No", "Optional", "Required", "Waived")."""
    t = s.strip().strip(".*")
    if _GRE_OPT_RE.search(t):
        return "optional"
    if _GRE_NO_RE.match(t):
        return "not_required"
    if _GRE_YES_RE.match(t):
        return "required"
    return None


_FORMAT_RE = re.compile(r"^(?:(?:100\s?%|fully|entirely|completely)\s+)?(?:online|hybrid|on[- ]campus|in[- ]person|"
                        r"blended|asynchronous|synchronous|remote)\b", re.I)


def format_cell(s: str) -> bool:
    return bool(_FORMAT_RE.match(s.strip()))
