"""Program cards: ``Key: value`` facts about one program.

Two shapes:

* one-line cards ``Degree: M.S. in Data Science | Credits: 36 | Format: Online | Tuition: ~$18,500 total``
  whose school is named in a card key, in a heading just before, or only in the FOLLOWING paragraph
  (its first school mention);
* ``Key: value`` lines, one per line or as bullets (``- Credits: 36``, ``Tuition: $610 per credit hour``),
  on a school's own page: the school comes from the nearest heading above that starts with a school,
  else from the page title.

Keys are reference data (schemas/reference/columns.yaml ``card_keys``); values are read like table
cells (flows.extract.tables.cell_facts), each fact spanning its own value.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import NamedTuple

from flows.extract.model import Fact
from flows.extract.money import load_columns
from flows.extract.prose import (degree_line, is_heading_like, lines_of, page_program, program_heading,
                                 school_mentions)
from flows.extract.layout.columns import normalise_header
from flows.extract.read.cells import cell_facts

EXTRACTOR_CARD = "program_card"
EXTRACTOR_LINES = "program_page_fields"

_PAIR_RE = re.compile(r"^\s*(?:[-*•·▪]\s+)?(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z .()/&'-]{0,40}?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?"
                      r"\s*(?P<value>\S.*?)\s*$")
_TYPED = {"credits", "tuition", "tuition_per_credit", "gre_policy", "ml_core_courses"}


class Field(NamedTuple):
    kind: str
    start: int   # value span in the document
    end: int
    key: str | None = None  # the key's words (a money unit / coverage they state applies: "Annual Tuition")


@lru_cache(maxsize=1)
def _key_kinds() -> dict[str, str]:
    out: dict[str, str] = {}
    for kind, keys in load_columns()["card_keys"].items():
        for k in keys:
            out[normalise_header(k)] = kind
    return out


def key_kind(key: str) -> str | None:
    return _key_kinds().get(normalise_header(key))


_PIPE_PAIR_RE = re.compile(r"^\s*\|?\s*(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z .()/&'-]{0,50}?)(?:\*\*|__)?:?\s*\|"
                           r"\s*(?P<value>[^|]*?\S)\s*\|?\s*$")


def parse_pair(text: str, s: int, e: int) -> Field | None:
    """``Key: value`` inside ``text[s:e]`` when the key is a program field; also a two-cell table row
    ``| Key | value |`` (a key/value table, as HTML fact tables flatten)."""
    m = _PAIR_RE.match(text[s:e])
    if not m or "|" in m.group("value"):
        m = _PIPE_PAIR_RE.match(text[s:e])
    if not m:
        return None
    kind = key_kind(m.group("key"))
    if not kind:
        return None
    vs, ve = s + m.start("value"), s + m.end("value")
    while ve > vs and text[ve - 1] in "*_":
        ve -= 1
    return Field(kind, vs, ve, m.group("key"))


def card_fields(text: str, s: int, e: int) -> list[Field] | None:
    """The fields of a one-line ``Key: value | Key: value`` card, or None when the line is not one."""
    line = text[s:e]
    if line.count("|") < 1:
        return None
    fields, cur = [], s
    for part in line.split("|"):
        f = parse_pair(text, cur, cur + len(part))
        if f:
            fields.append(f)
        cur += len(part) + 1
    return fields if len(fields) >= 2 else None


def _facts_for(text: str, fields: list[Field], subject: str, degree: str | None, extractor: str,
               anchor: tuple[int, int]) -> list[Fact]:
    facts = [Fact("program", subject, "mention", text[anchor[0]:anchor[1]], anchor[0], anchor[1], extractor,
                  degree=degree)]
    for f in fields:
        if f.kind == "university":
            continue
        facts.extend(cell_facts(f.kind, text, f.start, f.end, subject, degree, extractor, f.key))
    return facts if len(facts) > 1 else []


def _school_in(text: str, s: int, e: int):
    ms = school_mentions(text[s:e])
    return (ms[0].text, s + ms[0].start, s + ms[0].end) if ms else None


def _card_school(text: str, lines: list[tuple[int, int]], idx: int, fields: list[Field]):
    """(subject, start, end, degree-from-heading) for the card on line ``idx``."""
    for f in fields:
        if f.kind == "university":
            got = _school_in(text, f.start, f.end)
            if got:
                return got + (None,)
            return text[f.start:f.end], f.start, f.end, None
    got = _heading_above(text, lines, idx, max_lines=3) or _section_above(text, lines, idx)
    if got:
        return got
    for j in range(idx + 1, min(len(lines), idx + 4)):
        s, e = lines[j]
        if not text[s:e].strip():
            continue
        if card_fields(text, s, e) or is_heading_like(text[s:e]):
            return None
        got = _school_in(text, s, e)
        return got + (None,) if got else None
    return None


def _section_above(text: str, lines: list[tuple[int, int]], idx: int):
    """(subject, start, end, degree) of the school section line ``idx`` sits in: the nearest program heading
    above with only prose paragraphs, bullets and a degree line between ("2. Lakeside University" / "Online
    M.S. in Applied AI" / a paragraph / the card). Another heading or another card ends the search."""
    degree = None
    for j in range(idx - 1, -1, -1):
        s, e = lines[j]
        line = text[s:e]
        if not line.strip():
            continue
        if card_fields(text, s, e):
            return None
        if is_heading_like(line) and not parse_pair(text, s, e):
            dl = degree_line(text, s, e)
            if dl:
                degree = text[dl[0]:dl[1]]
                continue
            ph = program_heading(text, s, e)
            if not ph:
                return None
            return ph.subject, ph.subject_start, ph.subject_start + len(ph.subject), ph.degree or degree
    return None


def _heading_above(text: str, lines: list[tuple[int, int]], idx: int, max_lines: int | None = None,
                   skip_pairs: bool = False):
    """(subject, start, end, degree) of the program heading just above line ``idx``; a degree-only line
    between the heading and ``idx`` ("Online M.S. in Applied AI" under "2. Lakeside University") gives
    the degree. Blank lines (and, with ``skip_pairs``, ``Key: value`` lines) are passed over."""
    degree = None
    seen = 0
    for j in range(idx - 1, -1, -1):
        s, e = lines[j]
        line = text[s:e]
        if not line.strip() or (skip_pairs and (parse_pair(text, s, e) or _other_pair(text, s, e))):
            continue
        seen += 1
        if max_lines is not None and seen > max_lines:
            return None
        ph = program_heading(text, s, e)
        if ph:
            return ph.subject, ph.subject_start, ph.subject_start + len(ph.subject), ph.degree or degree
        dl = degree_line(text, s, e)
        if dl and degree is None:
            degree = text[dl[0]:dl[1]]
            continue
        return None
    return None


def _page_school(text: str, lines: list[tuple[int, int]], idx: int):
    """School for a block of field lines starting at ``idx``: nearest program heading above, else the title."""
    got = _heading_above(text, lines, idx, skip_pairs=True)
    if got:
        return got
    ph = page_program(text, lines)
    if ph:
        return ph.subject, ph.subject_start, ph.subject_start + len(ph.subject), ph.degree
    for s, e in lines[:3]:
        if text[s:e].strip():
            if is_heading_like(text[s:e]):
                got = _school_in(text, s, e)
                if got:
                    return got + (None,)
            break
    return None


def _field_blocks(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, list[Field]]]:
    """Runs of consecutive ``Key: value`` lines (blank lines allowed inside) -> (first line index, fields)."""
    blocks, cur, start = [], [], None
    for i, (s, e) in enumerate(lines):
        if not text[s:e].strip():
            continue
        line = text[s:e]
        f = None if "|" in line and not _PIPE_PAIR_RE.match(line) else parse_pair(text, s, e)
        if f and f.end - f.start <= 120:
            if start is None:
                start = i
            cur.append(f)
        elif cur and _other_pair(text, s, e):
            continue  # "- Duration: 2 years" inside a block of fields: not ours, but not the block's end
        else:
            if cur:
                blocks.append((start, cur))
            cur, start = [], None
    if cur:
        blocks.append((start, cur))
    return blocks


_KEY_BULLET_RE = re.compile(r"^(?P<indent>[ \t]*)[-*•·▪]\s+(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z .()/&'-]{0,40}?)(?:\*\*|__)?:?\s*$")
_CHILD_BULLET_RE = re.compile(r"^(?P<indent>[ \t]*)[-*•·▪◦]\s+(?P<body>\S.*?)\s*$")
_LEADING_COUNT_RE = re.compile(r"^(?:\d{1,2}(?:\s?[-–]\s?\d{1,2})?\+?)(?=\s|$)")


def _nested_fields(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, list[Field]]]:
    """Nested bullet lists whose parent bullet is only a field key and whose children are its values
    ("- Cost" / "  - $1,150 per credit" / "  - $34,500 total") -> (parent line index, fields). Children that
    are themselves ``Key: value`` pairs with another key are not the parent's values -- except rates set
    apart by residency ("In-state: $X per credit" / "Out-of-state: $Y per credit"), read as one value."""
    out = []
    i = 0
    while i < len(lines):
        s, e = lines[i]
        km = _KEY_BULLET_RE.match(text[s:e])
        kind = key_kind(km.group("key")) if km else None
        i += 1
        if not kind or kind == "university":
            continue
        indent = len(km.group("indent").expandtabs(4))
        kids: list[tuple[int, int]] = []
        j = i
        while j < len(lines):
            cs, ce = lines[j]
            cm = _CHILD_BULLET_RE.match(text[cs:ce])
            if not cm or len(cm.group("indent").expandtabs(4)) <= indent:
                break
            kids.append((cs + cm.start("body"), cs + cm.end("body")))
            j += 1
        if not kids:
            continue
        fields = []
        if len(kids) >= 2 and kind in ("tuition", "tuition_per_credit") and all(
                _residency_words_re().search(text[a:b]) and "$" in text[a:b] for a, b in kids):
            fields.append(Field(kind, kids[0][0], kids[-1][1], km.group("key")))
        else:
            for a, b in kids:
                pm = _PAIR_RE.match(text[a:b])
                if pm and key_kind(pm.group("key")) != kind:
                    continue
                if pm:
                    a = a + pm.start("value")
                if kind == "ml_core_courses":
                    lc = _LEADING_COUNT_RE.match(text[a:b])
                    if not lc:
                        continue
                    b = a + lc.end()
                fields.append(Field(kind, a, b, km.group("key")))
        if fields:
            out.append((i - 1, fields))
        i = j
    return out


@lru_cache(maxsize=1)
def _residency_words_re() -> re.Pattern[str]:
    words = sorted(load_columns().get("residency_words") or ["in-state"], key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])", re.IGNORECASE)


def _other_pair(text: str, s: int, e: int) -> bool:
    """A ``Key: value`` line with a short key we do not read (kept inside a field block)."""
    line = text[s:e]
    m = _PAIR_RE.match(line)
    if not m or "|" in line:
        m = _PIPE_PAIR_RE.match(line)
    return bool(m and len(m.group("key").split()) <= 5 and len(line) <= 160)


def card_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the card lines and field lines (prose skips them)."""
    lines = lines_of(text)
    starts = [s for s, _ in lines]
    out = [(s, e) for s, e in lines if card_fields(text, s, e)]
    for idx, fields in _field_blocks(text, lines):
        if any(f.kind in _TYPED for f in fields):
            out.extend(lines_of_fields(lines, fields, starts))
    for idx, fields in _nested_fields(text, lines):
        out.extend(lines_of_fields(lines, fields, starts))
        out.extend((f.start, f.end) for f in fields)  # a value read over several child lines
    return out


def lines_of_fields(lines: list[tuple[int, int]], fields: list[Field],
                    starts: list[int] | None = None) -> list[tuple[int, int]]:
    """The lines (in order) that hold a whole field. ``lines`` are a text's line spans (starts strictly
    increasing), so only the last line starting at or before a field can hold it: one bisection per field, not a
    scan of every line per block (``starts``: the lines' starts, when the caller already has them)."""
    starts = [s for s, _ in lines] if starts is None else starts
    hit = set()
    for f in fields:
        k = bisect.bisect_right(starts, f.start) - 1
        if k >= 0 and f.end <= lines[k][1]:
            hit.add(k)
    return [lines[k] for k in sorted(hit)]


def extract_cards(text: str) -> list[Fact]:
    """Program facts from one-line cards and from ``Key: value`` field lines."""
    if not text:
        return []
    lines = lines_of(text)
    facts: list[Fact] = []
    for idx, (s, e) in enumerate(lines):
        fields = card_fields(text, s, e)
        if not fields:
            continue
        who = _card_school(text, lines, idx, fields)
        if not who:
            continue
        subject, a, b, head_degree = who
        degree = next((text[f.start:f.end] for f in fields if f.kind == "degree_title"), None) or head_degree
        facts.extend(_facts_for(text, fields, subject, degree, EXTRACTOR_CARD, (a, b)))
    for idx, fields in _field_blocks(text, lines):
        if not any(f.kind in _TYPED for f in fields) and len(fields) < 2:
            continue
        uni = next((f for f in fields if f.kind == "university"), None)
        who = None
        if uni:
            got = _school_in(text, uni.start, uni.end)
            who = got + (None,) if got else None
        who = who or _page_school(text, lines, idx) or _section_above(text, lines, idx)
        if not who:
            continue
        subject, a, b, head_degree = who
        degree = next((text[f.start:f.end] for f in fields if f.kind == "degree_title"), None) or head_degree
        facts.extend(_facts_for(text, fields, subject, degree, EXTRACTOR_LINES, (a, b)))
    for idx, fields in _nested_fields(text, lines):
        who = _section_above(text, lines, idx) or _page_school(text, lines, idx)
        if not who:
            continue
        subject, a, b, head_degree = who
        facts.extend(_facts_for(text, fields, subject, head_degree, EXTRACTOR_LINES, (a, b)))
    return facts
