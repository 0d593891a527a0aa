"""Program and career tables -> facts.

Three table shapes, all recognised by their header line matched against the header vocabulary in
schemas/reference/columns.yaml (so reordered, extra or missing columns still work):

* flattened tables whose cells ran together when a page became text; a row such as
  ``Lakeside UniversityM.S. in Data Science2-436~$18,500NoFully OnlineCapstone with partners``
  is split using each column's type and plausible range (2-4 courses + 36 credits, not 2-43 + 6);
* pipe-delimited rows (markdown tables, and HTML ``<tr>`` rows that ingest flattens to
  ``| cell | cell |``), with or without a ``|---|`` separator;
* tab-separated rows.

Program tables yield program facts (subject = the school cell as written); career tables
(role / salary / growth / skills) yield career facts. Every fact's span is its own cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from flows.extract.model import Fact
from flows.extract.text import line_spans
from flows.extract.money import TOTAL_UNITS, MoneySpan, find_money, load_columns, money_text, parse_money_cell
from flows.extract.values import covers_of_context, resolve_unit, unit_of_context
from flows.extract.registry import load_registry

PROGRAM_KINDS = ("university", "degree_title", "ml_core_courses", "credits", "tuition",
                 "tuition_per_credit", "gre_policy", "delivery_format", "standout_feature")
CAREER_KINDS = ("role", "salary", "growth_outlook", "key_skills")
_TYPED = {"ml_core_courses", "credits", "tuition", "tuition_per_credit", "gre_policy", "salary", "growth_outlook",
          "duration"}
_PROGRAM_VALUE_KINDS = {"ml_core_courses", "credits", "tuition", "tuition_per_credit", "gre_policy", "delivery_format"}
_EMPTY_CELLS = {"", "-", "—", "–", "n/a", "na", "n.a.", "none listed", "not listed", "tbd", "?"}

DEGREE_START_RE = re.compile(
    r"^(?:Online\s+)?(?:M\.\s?[A-Z][A-Za-z.]*|M[A-Z]{1,4}\b|Master|MSc|MEng|Ph\.?\s?D|Doctor|"
    r"Graduate\s+Certificate|[A-Z]{2,7}(?:[-/][A-Z]{2,5})?\b)"
)


# ---------------------------------------------------------------- vocabulary

def normalise_header(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9+%]+", " ", s.lower())).strip()


@lru_cache(maxsize=1)
def header_vocab() -> tuple[tuple[str, str, str], ...]:
    """(phrase as in the data file, kind, group) for every header phrase; longest first."""
    cols = load_columns()
    out = []
    for group, key in (("program", "program_columns"), ("career", "career_columns")):
        for kind, phrases in cols[key].items():
            out.extend((p, kind, group) for p in phrases)
    out.extend((p, "other", "other") for p in cols.get("other_columns", []))
    out.extend((p, "duration", "other") for p in cols.get("duration_columns", []))
    return tuple(sorted(out, key=lambda x: len(x[0]), reverse=True))


@lru_cache(maxsize=1)
def _norm_vocab() -> dict[str, str]:
    out: dict[str, str] = {}
    for phrase, kind, _ in reversed(header_vocab()):
        out[normalise_header(phrase)] = kind
    return out


_FALLBACK = (
    (r"per credit|per unit|credit hour cost|(?:cost|tuition|price|rate) credit|credit (?:cost|rate|price)", "tuition_per_credit"),
    (r"tuition|cost|price", "tuition"),
    (r"\bgre\b", "gre_policy"),
    (r"core course|ml course", "ml_core_courses"),
    (r"credit", "credits"),
    (r"format|delivery|modality", "delivery_format"),
    (r"salary|pay\b", "salary"),
    (r"outlook|growth", "growth_outlook"),
    (r"skill", "key_skills"),
    (r"universit|school|institution", "university"),
    (r"degree|program", "degree_title"),
    (r"\brole\b|job title|career", "role"),
)


def header_kind(cell: str) -> str | None:
    """Column kind of one header cell ("Tuition (Total)" -> "tuition"); None when unknown."""
    n = normalise_header(cell)
    if not n:
        return None
    if n in _norm_vocab():
        return _norm_vocab()[n]
    if len(n) > 40:
        return None
    for pat, kind in _FALLBACK:
        if re.search(pat, n):
            return kind
    return None


def table_group(kinds: list[str | None]) -> str | None:
    """'program' / 'career' / None for a header's column kinds."""
    ks = set(k for k in kinds if k)
    if "role" in ks and ks & {"salary", "growth_outlook", "key_skills"}:
        return "career"
    if ks & {"university", "degree_title"} and len(ks & _PROGRAM_VALUE_KINDS) >= 1 and len(ks) >= 3:
        return "program"
    return None


# ---------------------------------------------------------------- cell readers

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


@lru_cache(maxsize=1)
def _gre_cell_res() -> list[tuple[str, re.Pattern[str]]]:
    return [(policy, re.compile(r"(?<![\w-])(?:" + "|".join(frags) + r")(?![\w-])", re.IGNORECASE))
            for policy, frags in load_columns()["gre_phrases"].items()]


def gre_value(cell: str) -> str | None:
    """GRE policy stated by a table cell / card value ("No", "Waived", "Not required", "test-optional",
    "Required (waivers available)"); None when the cell says nothing about it."""
    c = normalise_header(cell)
    for policy, words in load_columns()["gre_values"].items():
        if c in (normalise_header(w) for w in words):
            return policy
    if c.startswith("not required") or c.startswith("no "):
        return "not_required"
    found: set[str] = set()
    taken: list[tuple[int, int]] = []  # an earlier policy's words are not read again ("waived for ..." -> optional)
    for policy, rx in _gre_cell_res():
        for m in rx.finditer(cell or ""):
            if not any(m.start() < b and a < m.end() for a, b in taken):
                found.add(policy)
                taken.append((m.start(), m.end()))
    if not found and c.startswith("yes"):
        return "required"
    pols = [p for p in ("not_required", "optional", "required") if p in found]
    if "required" in pols and len(pols) > 1:
        pols.remove("required")  # "Required (waivers available)", "not required"
    return "|".join(pols) if pols else None


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
        g = gre_value(cell)
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


_TIMES_CREDITS_RE = re.compile(r"\s*(?:[×xX*]|times)\s*(?P<n>\d{1,3})\s*(?:credit[- ]hours?|credits?|units|semester[- ]hours?)\b"
                               r"(?:\s*(?:=|for a total of|totals?|total of|\(total)\s*)?", re.IGNORECASE)


def _times_credits(cell: str, pos: int, base: int, fact) -> list[Fact]:
    """'$725 per credit hour × 30 credits = $21,750': the credit count (and a stated product as the total)
    written after a per-credit price in the same cell."""
    m = _TIMES_CREDITS_RE.match(cell, pos)
    if not m:
        return []
    n = int(m.group("n"))
    out = [fact("credits", str(n), base + m.start("n"), base + m.end("n") + _unit_len(cell, m.end("n")),
                value_num=float(n), value_num_high=float(n), qualifier="exact")]
    rest = find_money(cell[m.end():])
    if rest and rest[0].start <= 2 and rest[0].unit in TOTAL_UNITS:
        t = rest[0]
        out.append(fact("tuition", money_text(t.low, t.high, t.qualifier), base + m.end() + t.start, base + m.end() + t.end,
                        value_num=t.low, value_num_high=t.high, qualifier=t.qualifier))
    return out


def _unit_len(cell: str, pos: int) -> int:
    u = re.match(r"\s*(?:credit[- ]hours?|credits?|units|semester[- ]hours?)\b", cell[pos:], re.IGNORECASE)
    return u.end() if u else 0


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


# ---------------------------------------------------------------- school / degree in one cell

def split_school_degree(cell: str) -> tuple[str, str | None, int]:
    """'Lakeside University M.S. in Data Science' -> ('Lakeside University', 'M.S. in Data Science', offset
    of the degree); a cell with no recognisable degree part returns (cell, None, -1)."""
    reg = load_registry()
    ms = [m for m in reg.find_all(cell) if not reg.is_provider(m.text)]
    if ms and ms[0].start == 0 or (ms and cell[:ms[0].start].strip().lower() in ("the",)):
        m = ms[0]
        rest = cell[m.end:]
        lead = re.match(r"^(?:['’]s)?[\s,:—–-]*", rest)
        off = m.end + (lead.end() if lead else 0)
        deg = cell[off:].strip()
        return m.text, (deg or None), (off if deg else -1)
    return cell.strip(), None, -1


# ---------------------------------------------------------------- flattened tables

def _is_boundary(line: str, i: int) -> bool:
    if i <= 0 or i >= len(line):
        return False
    p, c = line[i - 1], line[i]
    if c == " " or p == " ":
        return False
    if (p.islower() or p in ").%?!]") and c.isupper():
        return True
    if p.isupper() and c.isupper() and i + 1 < len(line) and line[i + 1].islower() and i >= 2 \
            and line[i - 2].isupper():
        return True  # "...in AIOnline": an acronym run into a capitalised word
    if (p.isalpha() or p in ")]") and (c.isdigit() or c in "$~"):
        return True
    if (p.isdigit() or p in "+%") and c.isalpha():
        return True
    return False


@lru_cache(maxsize=1)
def _lower_vocab() -> tuple[tuple[str, str], ...]:
    return tuple((phrase.lower(), kind) for phrase, kind, _ in header_vocab())


def segment_header(line: str) -> list[tuple[str, int, int]] | None:
    """Split a run-together header line into (kind, start, end) column segments by the vocabulary."""
    n = len(line)
    low = line.lower()
    # a header names at least two columns of the vocabulary; most lines name none (cheap test first)
    vocab = [(p, kind) for p, kind in _lower_vocab() if p in low]
    if len(vocab) < 2:
        return None
    boundaries = [i for i in range(1, n) if _is_boundary(line, i)] + [n]
    INF = (10**9, 0)
    best: list[tuple[int, int]] = [INF] * (n + 1)
    back: list[tuple[int, str] | None] = [None] * (n + 1)
    best[n] = (0, 0)
    for i in range(n - 1, -1, -1):
        if line[i] == " ":
            if best[i + 1] != INF:
                best[i], back[i] = best[i + 1], (i + 1, "")
            continue
        options = []
        for phrase, kind in vocab:
            j = i + len(phrase)
            if low.startswith(phrase, i) and (j == n or not line[j].islower() or line[j - 1] == ")"):
                if j < n and line[j].isalnum() and line[j - 1].isalnum() and not _is_boundary(line, j) \
                        and not line[j].isupper():
                    continue
                options.append((j, kind, 0))
        for j in boundaries:
            if j > i:
                options.append((j, "?", j - i))
                break
        # an unknown word before a known phrase ("Projected Total Cost" when only "Total Cost" is known)
        sp = line.find(" ", i)
        if 0 <= sp < n - 1 and line[sp + 1] != " ":
            options.append((sp + 1, "?", sp + 1 - i))
        for j, kind, cost in options:
            if best[j] == INF:
                continue
            c = (best[j][0] + cost, best[j][1] + 1)
            if c < best[i]:
                best[i], back[i] = c, (j, kind)
    if best[0] == INF:
        return None
    segs, i = [], 0
    while i < n and back[i] is not None:
        j, kind = back[i]
        if kind:
            segs.append((None if kind == "?" else kind, i, j))
        i = j
    unknown = sum(e - s for k, s, e in segs if k is None)
    if unknown > 0.25 * len(line.strip()):
        return None
    # an unknown leading word joined by a space to a known phrase qualifies it ("Projected Total Cost")
    merged: list[tuple[str | None, int, int]] = []
    for k, s, e in reversed(segs):
        if k is None and merged and merged[0][0] and line[e - 1:e] == " " and merged[0][1] == e:
            merged[0] = (merged[0][0], s, merged[0][2])
        else:
            merged.insert(0, (k, s, e))
    return [(k or "other", s, e) for k, s, e in merged]


@dataclass(frozen=True)
class _Ctx:
    line: str
    kinds: tuple[str, ...]


def _typed_ends(kind: str, line: str, pos: int) -> list[int]:
    rest = line[pos:]
    ends: list[int] = []
    if kind == "ml_core_courses":
        for n1 in (1, 2):
            a = rest[:n1]
            if len(a) < n1 or not a.isdigit():
                continue
            k = n1
            if rest[k:k + 1] == "+":
                ends.append(pos + k + 1)
            if rest[k:k + 1] in ("-", "–"):
                for n2 in (1, 2):
                    b = rest[k + 1:k + 1 + n2]
                    if len(b) == n2 and b.isdigit():
                        ends.append(pos + k + 1 + n2)
            ends.append(pos + k)
        ends = [e for e in ends if parse_count(line[pos:e])]
    elif kind == "credits":
        for w in sorted(load_columns()["variable_credits"], key=len, reverse=True):
            if rest.lower().startswith(w.lower()):
                ends.append(pos + len(w))
        for e in range(1, 9):
            got = parse_credits(rest[:e], plausible=True)
            if got and got[1] is not None:
                ends.append(pos + e)
    elif kind in ("tuition", "tuition_per_credit", "salary"):
        spans = find_money(rest[:60])
        if spans and spans[0].start == 0:
            e = spans[0].end
            tail = re.match(r"\s?(?:total|per year|/year|/yr|annually)\b", rest[e:])
            ends.append(pos + e + (tail.end() if tail else 0))
            if tail:
                ends.append(pos + e)
    elif kind in ("gre_policy", "growth_outlook"):
        cols = load_columns()
        words = [w for ws in cols["gre_values"].values() for w in ws] if kind == "gre_policy" else cols["growth_values"]
        for w in sorted(set(words), key=len, reverse=True):
            e = pos + len(w)
            if rest.lower().startswith(w.lower()) and (e >= len(line) or not line[e].islower()):
                ends.append(e)
    elif kind == "duration":
        m = _duration_re().match(rest)
        if m:
            ends.append(pos + m.end())
    for w in ("N/A", "—", "-"):
        if rest.startswith(w) and kind != "credits" or (kind == "credits" and rest.startswith("N/A")):
            ends.append(pos + len(w))
    return sorted(set(ends))


@lru_cache(maxsize=1)
def _duration_re() -> re.Pattern[str]:
    cols = load_columns()
    units = sorted(cols.get("duration_units") or [], key=len, reverse=True)
    words = sorted(cols.get("duration_words") or [], key=len, reverse=True)
    return re.compile(
        r"(?:[1-9]\d?(?:\.\d)?(?:\s?(?:[-–]|to)\s?[1-9]\d?(?:\.\d)?)?\+?\s?(?:" + "|".join(map(re.escape, units)) + r")\.?"
        r"(?:\s(?:part[- ]time|full[- ]time))?(?!(?-i:[a-z])))"
        + ("|(?:" + "|".join(map(re.escape, words)) + r")(?!(?-i:[a-z]))" if words else ""), re.IGNORECASE)


def _text_score(kind: str, cell: str) -> float:
    reg = load_registry()
    if not cell.strip() or not any(ch.isalnum() for ch in cell):
        return -100.0
    if kind == "university":
        s = 0.0
        hits = reg.find(cell)
        if reg.looks_like_institution(cell) or (hits and hits[0].start == 0):
            s += 2.0
        if DEGREE_START_RE.match(cell) and not (hits and hits[0].start == 0):
            s -= 1.0
        if "$" in cell or re.search(r"\d", cell):
            s -= 2.0
        return s
    if kind == "degree_title":
        return 2.0 if DEGREE_START_RE.match(cell) else -1.0
    if kind == "delivery_format":
        words = load_columns()["format_words"]
        return 1.5 if any(w in cell.lower() for w in words) else -0.5
    if kind == "role":
        return -2.0 if "$" in cell else 0.0
    return 0.0


#: consecutive columns whose digits may run together ("$5203618720"): split by value, not by characters
_SPLIT_GROUP = ("tuition_per_credit", "credits", "tuition")


@lru_cache(maxsize=1)
def _split_settings() -> tuple[dict, float]:
    cols = load_columns()
    return dict(cols.get("split_ranges") or {}), float(cols.get("split_consistency_tolerance") or 0.05)


def _group_cell_cands(kind: str, line: str, pos: int, bare: bool = False) -> list[tuple[int, float | None]]:
    """(end, value) candidates for one cell inside a run of per-credit / credits / total columns.

    A money cell whose amount ends in a plain digit run (no thousands commas) may end after any of
    those digits whose value lies in the column's plausible range; a comma-formatted amount ends
    where its formatting ends. A credit count never starts with 0."""
    rest = line[pos:]
    if kind == "credits":
        out = []
        lo_hi = _split_settings()[0].get("credits")
        for e in _typed_ends("credits", line, pos):
            c = parse_credits(line[pos:e], plausible=True)
            if c and c[1] is not None and rest[:1] == "0":
                continue
            if c and c[1] is not None and lo_hi and not float(lo_hi[0]) <= c[1] <= float(lo_hi[1]):
                continue
            out.append((e, c[1] if c and c[1] is not None and c[1] == c[2] else None))
        return out
    spans = find_money(rest[:60])
    if (not spans or spans[0].start != 0) and bare:
        # "...$52036 18720": after a '$'-led cell of the run, a total may be written without its '$'
        b = re.match(r"\d{1,3}(?:,\d{3})+|\d+", rest)
        spans = [MoneySpan(0, b.end(), float(b.group().replace(",", "")), float(b.group().replace(",", "")),
                           "exact", None)] if b and rest[0] != "0" else []
    if not spans or spans[0].start != 0:
        return [(e, None) for e in _typed_ends(kind, line, pos)]
    m = spans[0]
    whole = m.low if (m.low is not None and m.low == m.high) else None
    tail = re.search(r"(?<![\d,.])(\d+)$", rest[:m.end])
    if tail is None or m.unit not in TOTAL_UNITS or m.qualifier not in ("exact", "approx") or len(tail.group(1)) < 2:
        return [(e, whole) for e in _typed_ends(kind, line, pos)] if rest[:1] != "0" and not rest[:1].isdigit() \
            else [(pos + m.end, whole)]
    lo_hi = _split_settings()[0].get(kind)
    digits, d0 = tail.group(1), tail.start(1)
    out = []
    for k in range(1, len(digits) + 1):
        v = float(digits[:k])
        if lo_hi and not float(lo_hi[0]) <= v <= float(lo_hi[1]):
            continue
        out.append((pos + d0 + k, v))
    return out or [(e, whole) for e in _typed_ends(kind, line, pos)]


def _group_assignments(line: str, kinds: tuple[str, ...], pos: int, must_end: bool
                       ) -> list[tuple[float, list[tuple[int, int]]]]:
    """Every split of a run of numeric columns starting at ``pos``: (score, cell spans).

    Score: +2 when per-credit x credits is within the tolerance of the total; +0.1 for each cell
    boundary that does not cut between two digits (comma-formatted or '$'-led cells)."""
    n = len(line)
    tol = _split_settings()[1]
    out: list[tuple[float, list[tuple[int, int]]]] = []

    def rec(i: int, p: int, acc: list[tuple[int, int, float | None]]) -> None:
        if len(out) > 200:
            return
        if i == len(kinds):
            vals = {k: v for k, (_, _, v) in zip(kinds, acc)}
            score = 0.0
            pc, cr, tot = vals.get("tuition_per_credit"), vals.get("credits"), vals.get("tuition")
            if pc and cr and tot and abs(pc * cr - tot) <= tol * tot:
                score += 2.0
            for _, e, _ in acc[:-1]:
                if not (line[e - 1:e].isdigit() and line[e:e + 1].isdigit()):
                    score += 0.1
            out.append((score, [(a, b) for a, b, _ in acc]))
            return
        lastcell = i == len(kinds) - 1
        for e, v in _group_cell_cands(kinds[i], line, p, bare=i > 0 and "$" in line[pos:p]):
            if lastcell and must_end and line[e:].strip():
                continue
            nxt = e
            while nxt < n and line[nxt] == " ":
                nxt += 1
            if not lastcell and nxt >= n:
                continue
            rec(i + 1, nxt, acc + [(p, e, v)])

    rec(0, pos, [])
    return out


def _group_choices(line: str, kinds: tuple[str, ...], pos: int, must_end: bool
                   ) -> dict[int, tuple[float, list[list[tuple[int, int]]]]]:
    """Per end of the run: the best score and every split reaching it (equally good ones included)."""
    by_end: dict[int, list[tuple[float, list[tuple[int, int]]]]] = {}
    for sc, spans in _group_assignments(line, kinds, pos, must_end):
        by_end.setdefault(spans[-1][1], []).append((sc, spans))
    out = {}
    for e, alts in by_end.items():
        top = max(sc for sc, _ in alts)
        out[e] = (top, [sp for sc, sp in alts if sc >= top - 1e-6])
    return out


_MAX_ALTS = 6


def _keep(best, score: float, lists: list[list[tuple[int, int]]]):
    """Fold a candidate (score, span lists) into ``best``, keeping every equally good split."""
    if best is None or score > best[0] + 1e-6:
        return (score, lists[:_MAX_ALTS])
    if score >= best[0] - 1e-6:
        merged = best[1] + [x for x in lists if x not in best[1]]
        return (best[0], merged[:_MAX_ALTS])
    return best


def split_flat_row(line: str, kinds: tuple[str, ...]) -> list[tuple[int, int]] | None:
    """Cell spans of a run-together row for the given column kinds; None when it does not fit.

    Cells of a run of per-credit / credits / total columns on which equally good splits of the row
    disagree come back empty (start == end): nothing is read from them rather than a guess."""
    n = len(line)
    bounds = [i for i in range(1, n) if _is_boundary(line, i)]
    memo: dict[tuple[int, int], tuple[float, list[list[tuple[int, int]]]] | None] = {}
    grouped: set[int] = set()

    def solve(ci: int, pos: int):
        key = (ci, pos)
        if key in memo:
            return memo[key]
        kind = kinds[ci]
        last = ci == len(kinds) - 1
        cj = ci
        while cj + 1 < len(kinds) and kinds[cj + 1] in _SPLIT_GROUP and kind in _SPLIT_GROUP:
            cj += 1
        if cj > ci:
            grouped.update(range(ci, cj + 1))
            best = None
            glast = cj == len(kinds) - 1
            for e, (sc, lists) in _group_choices(line, kinds[ci:cj + 1], pos, glast).items():
                if not (line[e - 1:e].isdigit() and line[e:e + 1].isdigit()):
                    sc += 0.1  # the run ends where its digits do: "$71536Online", not "$71|53" + "6Online"
                if glast:
                    best = _keep(best, sc, lists)
                    continue
                nxt_pos = e
                while nxt_pos < n and line[nxt_pos] == " ":
                    nxt_pos += 1
                sub = solve(cj + 1, nxt_pos) if nxt_pos < n else None
                if sub is None:
                    continue
                best = _keep(best, sc + sub[0], [g + r for g in lists for r in sub[1]])
            memo[key] = best
            return best
        cands: list[tuple[int, float]] = []
        if kind in _TYPED:
            for e in _typed_ends(kind, line, pos):
                if last and line[e:].strip():
                    continue
                cands.append((e, 0.0))
        if kind == "duration" and not cands:
            # an unusual duration ("two years part-time"): any text, at a cost
            if last:
                cands.append((n, -1.0))
            else:
                cands.extend((b, -1.0 - 0.3 * k) for k, b in enumerate(b for b in bounds if b > pos))
        elif kind in _TYPED:
            pass
        else:
            if last:
                cands.append((n, _text_score(kind, line[pos:n])))
            else:
                skipped = 0
                for b in bounds:
                    if b <= pos:
                        continue
                    cands.append((b, _text_score(kind, line[pos:b]) - 0.3 * skipped))
                    skipped += 1
        best = None
        for e, sc in cands:
            if last:
                best = _keep(best, sc, [[(pos, e)]])
                continue
            nxt_pos = e
            while nxt_pos < n and line[nxt_pos] == " ":
                nxt_pos += 1
            sub = solve(ci + 1, nxt_pos) if nxt_pos < n else None
            if sub is None:
                continue
            best = _keep(best, sc + sub[0], [[(pos, e)] + r for r in sub[1]])
        memo[key] = best
        return best

    if not kinds or not line.strip():
        return None
    start = len(line) - len(line.lstrip())
    got = solve(0, start)
    if got is None or got[0] < -50:
        return None
    spans = list(got[1][0])
    for ci in grouped:
        if ci < len(spans) and len({alt[ci] for alt in got[1]}) > 1:
            spans[ci] = (spans[ci][0], spans[ci][0])
    return spans


# ---------------------------------------------------------------- table discovery

@dataclass(frozen=True)
class Table:
    shape: str                      # "flattened" | "pipe" | "tab"
    group: str                      # "program" | "career"
    kinds: tuple[str, ...]
    header: tuple[int, int]         # header line span
    rows: tuple[tuple[tuple[int, int], ...], ...]  # per row: absolute cell spans
    end: int = 0                    # end of the last row's line
    headers: tuple[str, ...] = ()   # per column: the header's words (a money unit / coverage they state applies)


_lines = line_spans


def _delimited_cells(text: str, s: int, e: int, sep: str) -> list[tuple[int, int]] | None:
    line = text[s:e]
    if line.count(sep) < (2 if sep == "|" else 1):
        return None
    cells, cur = [], 0
    parts = line.split(sep)
    for p in parts:
        cells.append((s + cur, s + cur + len(p)))
        cur += len(p) + 1
    if sep == "|":
        if not line.strip().startswith("|") and not line.strip().endswith("|") and line.count("|") < 2:
            return None
        if cells and not text[cells[0][0]:cells[0][1]].strip():
            cells = cells[1:]
        if cells and not text[cells[-1][0]:cells[-1][1]].strip():
            cells = cells[:-1]
    return cells


def _is_separator(line: str) -> bool:
    return bool(re.fullmatch(r"\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*", line))


def find_tables(text: str) -> list[Table]:
    """Every program / career table in ``text`` with its cell spans (several extractors ask for the same
    page's tables, so the answer for the last few texts is kept; Table is frozen)."""
    return list(_find_tables_cached(text))


@lru_cache(maxsize=8)
def _find_tables_cached(text: str) -> tuple[Table, ...]:
    return tuple(_find_tables(text))


def _find_tables(text: str) -> list[Table]:
    lines = _lines(text)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        s, e = lines[i]
        line = text[s:e]
        found = None
        if len(line.strip()) < 400 and "$" not in line:
            for sep, shape in (("|", "pipe"), ("\t", "tab")):
                cells = _delimited_cells(text, s, e, sep)
                if cells:
                    kinds = [header_kind(text[a:b]) for a, b in cells]
                    group = table_group(kinds)
                    if group:
                        found = (shape, group, tuple(k or "other" for k in kinds), sep)
                        headers = tuple(text[a:b] for a, b in cells)
                    break
            if found is None and "|" not in line and "\t" not in line and len(line.strip()) <= 250:
                segs = segment_header(line)
                if segs and len(segs) >= 3:
                    kinds = tuple(k for k, _, _ in segs)
                    group = table_group(list(kinds))
                    if group and len(set(kinds)) == len(kinds) or (group and kinds.count("other") > 1
                                                                     and len(set(kinds)) == len(kinds) - kinds.count("other") + 1):
                        found = ("flattened", group, kinds, None)
                        headers = tuple(line[a:b] for _, a, b in segs)
        if not found:
            i += 1
            continue
        shape, group, kinds, sep = found
        rows = []
        last_end = e
        j = i + 1
        while j < len(lines):
            rs, re_ = lines[j]
            row = text[rs:re_]
            if not row.strip():
                j += 1
                continue
            if shape == "flattened":
                cells = split_flat_row(row, kinds) if len(row) < 600 else None
                if cells is None:
                    # one odd row does not end the table when the next non-blank line is a row again
                    nxt = next((k for k in range(j + 1, min(len(lines), j + 3)) if text[lines[k][0]:lines[k][1]].strip()), None)
                    if nxt is not None and rows and split_flat_row(text[lines[nxt][0]:lines[nxt][1]], kinds):
                        j += 1
                        continue
                    break
                rows.append(tuple((rs + a, rs + b) for a, b in cells))
                last_end = re_
            else:
                if _is_separator(row):
                    j += 1
                    continue
                cells = _delimited_cells(text, rs, re_, sep)
                if cells is None:
                    break
                if len(cells) == len(kinds):
                    rows.append(tuple(cells))
                last_end = re_
            j += 1
        if rows:
            tables.append(Table(shape, group, kinds, (s, e), tuple(rows), last_end, headers))
            i = j
        else:
            i += 1
    return tables


def table_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every table (header through last row): text other extractors should skip."""
    return [(t.header[0], t.end) for t in find_tables(text)]


# ---------------------------------------------------------------- facts

def _row_program_facts(text: str, t: Table, row: tuple[tuple[int, int], ...], extractor: str) -> list[Fact]:
    reg = load_registry()
    cells = dict(zip(t.kinds, row))
    subject, degree = None, None
    school_at = -1
    deg_span = cells.get("degree_title")
    if "university" in cells:
        a, b = _strip_span(text, *cells["university"])
        subject = text[a:b]
        if deg_span:
            da, db = _strip_span(text, *deg_span)
            degree = text[da:db] or None
        else:
            sch, deg, off = split_school_degree(subject)
            if deg:
                subject, degree, deg_span = sch, deg, (a + off, b)
    elif deg_span:
        a, b = _strip_span(text, *deg_span)
        sch, deg, off = split_school_degree(text[a:b])
        if not deg or not (reg.looks_like_institution(sch) or reg.find(sch)):
            return []
        school_at = text.find(sch, a, b)  # "School — Degree" in a Program column: the mention is the school part
        subject, degree, deg_span = sch, deg, (a + off, b)
    if not subject or is_empty_cell(subject) or reg.is_provider(subject) or len(subject) > 90:
        return []
    if "$" in subject or re.fullmatch(r"[\d\W]+", subject):
        return []
    facts: list[Fact] = []
    if "university" in cells:
        ua, _ = _strip_span(text, *cells["university"])
    else:
        ua = school_at if school_at >= 0 else deg_span[0]
    if text[ua:ua + len(subject)] != subject:
        ua = text.find(subject, ua, ua + 200)  # "The Lakeside University": the mention is the name itself
        if ua < 0:
            return []
    facts.append(Fact("program", subject, "mention", subject, ua, ua + len(subject), extractor, degree=degree))
    for i, (kind, (a, b)) in enumerate(zip(t.kinds, row)):
        if kind in ("university", "other"):
            continue
        if kind == "degree_title":
            a, b = deg_span
        facts.extend(cell_facts(kind, text, a, b, subject, degree, extractor, t.headers[i] if i < len(t.headers) else None))
    return facts


def _row_career_facts(text: str, t: Table, row: tuple[tuple[int, int], ...], extractor: str) -> list[Fact]:
    cells = dict(zip(t.kinds, row))
    if "role" not in cells:
        return []
    a, b = _strip_span(text, *cells["role"])
    role = text[a:b]
    if not role or is_empty_cell(role) or "$" in role or len(role) > 90:
        return []
    facts: list[Fact] = []
    for kind, (s, e) in zip(t.kinds, row):
        if kind in ("salary", "growth_outlook", "key_skills"):
            facts.extend(career_cell_facts(kind, text, s, e, role, extractor))
    return facts


def extract_tables(text: str) -> list[Fact]:
    """Program and career facts from every table in ``text`` (flattened, pipe, tab, HTML rows)."""
    if not text:
        return []
    facts: list[Fact] = []
    for t in find_tables(text):
        extractor = f"{t.shape}_table"
        for row in t.rows:
            try:
                if t.group == "program":
                    facts.extend(_row_program_facts(text, t, row, extractor))
                else:
                    facts.extend(_row_career_facts(text, t, row, extractor))
            except (ValueError, IndexError, KeyError):  # odd row: fewer facts, never a crash
                continue
    return facts
