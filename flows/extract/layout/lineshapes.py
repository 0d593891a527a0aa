"""Shapes of one line of text that every builder reads the same way: ``Key: value`` fields and meta
lines (bylines, dates, breadcrumbs). HTML paragraphs and Markdown paragraphs are read with these after
their markup has given the structure; the rules follow the plain-text builder's so a line means the
same whatever format it came in.
"""

from __future__ import annotations

import re

_KEY_COLON_RE = re.compile(r"(?P<key>[A-Za-z][\w'’/&().,\- ]{0,48}?)\s*:\s+(?P<val>\S.*)$")
_META_RE = re.compile(
    r"(?:(?:written|reviewed|edited|posted|published)\s+by\b|by\s+[A-Z][a-z]+\s+[A-Z]|"
    r"(?:last\s+)?updated\b|published\s*(?:on)?\b|posted\s+(?:on)?\b|reviewed\s+on\b|"
    r"home\s*(?:>|/|»|›|\|)\s*\S)",
    re.IGNORECASE,
)
_BREADCRUMB_RE = re.compile(r"^[^\n>/»›]{1,40}(?:\s*(?:>|»|›)\s*[^\n>»›]{1,60}){2,}$")
_DATE_WORDS_RE = re.compile(r"updated|published|posted|reviewed on", re.I)


def field_split(line: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(key span, value span), relative to ``line``, of a one-line ``Key: value``; else None."""
    if "\n" in line:
        return None
    m = _KEY_COLON_RE.match(line)
    if not m or len(m.group("key").split()) > 6 or re.search(r"https?$", m.group("key")):
        return None
    if len(m.group("val")) > 160:
        return None
    key_end = m.start("key") + len(m.group("key").rstrip())
    return (m.start("key"), key_end), (m.start("val"), len(line.rstrip()))


def meta_role(line: str) -> str | None:
    """"breadcrumb", "date" or "byline" for a short meta line ("Home > Programs > …", "Last updated
    May 2, 2026", "By Sam Ortiz"); else None."""
    s = line.strip()
    if "\n" in s or len(s) > 140:
        return None
    if _BREADCRUMB_RE.match(s):
        return "breadcrumb"
    if not (_META_RE.match(s) and len(s.split()) <= 14):
        return None
    if s.lower().startswith("home"):
        return "breadcrumb"
    return "date" if _DATE_WORDS_RE.search(s) else "byline"


_FIELD_SEP_RE = re.compile(r"\s+[|·•]\s+")


def field_lines(text: str) -> list[tuple[int, int, tuple[int, int], tuple[int, int]]] | None:
    """When every line of ``text`` is a ``Key: value`` (a paragraph of them, soft-wrapped in Markdown or
    split by ``<br>`` in HTML), or a run of them on one line ("Tuition: $510 | Credits: 30 | GRE: No"),
    each field's (start, end, key span, value span) relative to ``text``; else None."""
    out, pos = [], 0
    for part in text.split("\n"):
        if part.strip():
            cuts = [0] + [x for m in _FIELD_SEP_RE.finditer(part) for x in (m.start(), m.end())] + [len(part)]
            pieces = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
            splits = [field_split(part[a:b].strip()) for a, b in pieces]
            if not all(splits):  # not a run of fields: the whole line must be one
                pieces, splits = [(0, len(part))], [field_split(part.strip())]
            if not splits[0]:
                return None
            for (a, b), ((ks, ke), (vs, ve)) in zip(pieces, splits):
                piece = part[a:b]
                a = pos + a + len(piece) - len(piece.lstrip())
                out.append((a, a + len(piece.strip()), (a + ks, a + ke), (a + vs, a + ve)))
        pos += len(part) + 1
    return out or None


#: a value-first stat card on one line: "30 Credits", "$24,000 Tuition", "18 Months", "100% Online"
_STAT_RE = re.compile(
    r"^(?P<val>[$~≈]?\s?\d[\d,.]*\s?(?:[kK]\b|%)?\+?(?:\s?(?:[-–]|to)\s?\$?\d[\d,.]*[kK]?)?)\s+"
    r"(?P<key>[A-Za-z][A-Za-z'’/&\- ]{1,30})$"
)
_TERMINAL_RE = re.compile(r"[.!;,]$|[.!][\"'”’)\]]$")
_VALUE_WORDS_RE = re.compile(r"^(?:yes|no|none|n/a|optional|required|not required|waived|online|hybrid|"
                             r"\d+% online|100% online)(?:$|\s*[,;(–-]|\s+(?-i:[a-z(]|[A-Z]{2,}\b))", re.I)   # not "Online M.S. in …"


def stat_split(line: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(key span, value span) of a value-first stat line ("30 Credits": key "Credits", value "30")."""
    m = _STAT_RE.match(line)
    if not m or len(m.group("key").split()) > 4:
        return None
    return (m.start("key"), len(line)), (0, len(m.group("val").rstrip()))


def value_like(s: str) -> bool:
    """A short text that can be a card's value: an amount, a count, yes/no, a word or two."""
    if len(s) > 40:
        return False
    return bool(re.match(r"^[$~≈]?\s?\d", s)) or bool(_VALUE_WORDS_RE.match(s))


def label_like(s: str) -> bool:
    """A short text that can be a card's label ("Total Credits", "Tuition")."""
    return 1 <= len(s.split()) <= 5 and len(s) <= 40 and not re.search(r"\d", s) and not _TERMINAL_RE.search(s) \
        and not s.endswith("?") and s[0].isupper()


_RESIDENCY_KEY_RE = re.compile(r"^(?:in[- ]state|out[- ]of[- ]state|resident|non[- ]?resident|domestic|international)"
                               r"(?:\s+(?:students?|rate|tuition))?$", re.I)


_KID_VALUE_RE = re.compile(r"^(?:(?:about|roughly|around|approximately|approx\.?|up to|under|over)\s+)?[$~≈]?\s?\d", re.I)


def nested_fields(text: str, blocks: list) -> list:
    """A list item that is only a label, with deeper items under it that are values, is a key whose values are
    those items ("- Cost" / "  - $1,150 per credit" / "  - $34,500 total"; rates set apart by residency,
    "In-state: $425 per credit" / "Out-of-state: $780 per credit", are values too): the label item becomes a
    FIELD spanning the label and the values it leads with. The children stay blocks of their own (a field
    inside the key's span), so a child that is another ``Key: value`` is still read as itself.
    ``blocks``: a builder's blocks in order (ITEM and FIELD carry their depth in ``level``)."""
    from flows.extract.layout.model import FIELD, ITEM, Block, Span

    def value_kid(k) -> bool:
        t = text[k.start:k.end]
        if k.kind == FIELD:
            return k.key is not None and bool(_RESIDENCY_KEY_RE.match(text[k.key.start:k.key.end])) \
                and "$" in text[k.value.start:k.value.end]
        return bool(_KID_VALUE_RE.match(t)) or value_like(t)

    out = list(blocks)
    for i, b in enumerate(blocks):
        if b.kind != ITEM or not label_like(text[b.start:b.end].rstrip(":")):
            continue
        j = i + 1
        while j < len(blocks) and blocks[j].kind in (ITEM, FIELD) and blocks[j].level > b.level and value_kid(blocks[j]):
            j += 1
        if j == i + 1 or (j < len(blocks) and blocks[j].kind in (ITEM, FIELD) and blocks[j].level > b.level
                          and blocks[j].level != blocks[i + 1].level):
            continue
        key_end = b.end - (1 if text[b.end - 1] == ":" else 0)
        first, last = blocks[i + 1], blocks[j - 1]
        out[i] = Block(FIELD, b.start, last.end, level=b.level, key=Span(b.start, key_end),
                       value=Span(first.start, last.end))
    return out
