"""Small, general helpers for reading page text as lines: offsets, headings, bullets, labels.

Every helper returns spans into the text it was given, so an extractor can quote exactly
(``text[start:end]``). Nothing here knows any particular page; the word lists are format words
(interrogatives, small words of titles), not facts.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate
from typing import NamedTuple


class Line(NamedTuple):
    """A non-blank line; ``start``/``end`` bound its text with surrounding whitespace trimmed."""

    start: int
    end: int
    text: str


class Spans:
    """A fixed set of (start, end) spans answering "does any span overlap / hold this point" in O(log n) (sorted
    starts plus a running maximum of ends), so a pass over a page's lines stays linear in the page instead of
    lines x spans."""

    def __init__(self, spans) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _ in ordered]
        self._max_end = list(accumulate((b for _, b in ordered), max))

    def overlaps(self, start: int, end: int) -> bool:
        """``any(a < end and start < b for a, b in spans)``."""
        k = bisect.bisect_left(self._starts, end)
        return k > 0 and self._max_end[k - 1] > start

    def holds(self, pos: int) -> bool:
        """``any(a <= pos < b for a, b in spans)``."""
        k = bisect.bisect_right(self._starts, pos)
        return k > 0 and self._max_end[k - 1] > pos

    def touches(self, start: int, end: int) -> bool:
        """``any(a <= start < b or a < end <= b for a, b in spans)``: a span holds the first or the last
        character."""
        if self.holds(start):
            return True
        k = bisect.bisect_left(self._starts, end)
        return k > 0 and self._max_end[k - 1] >= end


class Item(NamedTuple):
    """A bullet or numbered list item: the body after the marker, as a span."""

    start: int
    end: int
    text: str
    numbered: bool


class Label(NamedTuple):
    """``"Label: rest"`` / ``"Label — rest"`` split of a span; rest may be empty."""

    label_start: int
    label_end: int
    label: str
    rest_start: int
    rest_end: int
    rest: str


#: words kept lower case inside a title ("Cluster Analysis in Python", "Tools of the Trade")
SMALL_WORDS = frozenset(
    "a an and as at but by for from in into of on or per the to via vs vs. with without & nor".split()
)
#: words that open a question or a how-to heading
INTERROGATIVES = frozenset(
    "how what why which when where who whom whose can could should would will is are do does did "
    "was were has have".split()
)

_BULLET_RE = re.compile(r"[-*•·▪‣◦●○■□➢►–—]\s+|\(?\d{1,2}[.)]\s+|\(?[a-zA-Z][.)]\s+(?=[A-Z])")
_DASH_SEP_RE = re.compile(r"\s+(?:[—–]|--?)\s+")
_COLON_SEP_RE = re.compile(r"\s*:(?:\*\*|__)?\s+")
_SENTENCE_END_RE = re.compile(r"[.!?](?:[\"'”’)\]]*)(?=\s+[A-Z0-9\"“(]|\s*$)")


def line_spans(text: str) -> list[tuple[int, int]]:
    """Every line of ``text`` (blank ones included) as a (start, end) span without its line ending."""
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        out.append((pos, pos + len(body)))
        pos += len(raw)
    return out


def iter_lines(text: str) -> list[Line]:
    """Non-blank lines of ``text`` with trimmed spans (works for \\n, \\r\\n and \\r endings)."""
    out: list[Line] = []
    if not isinstance(text, str):
        return out
    for m in re.finditer(r"[^\r\n]+", text):
        raw = m.group(0)
        stripped = raw.strip()
        if not stripped:
            continue
        s = m.start() + (len(raw) - len(raw.lstrip()))
        out.append(Line(s, s + len(stripped), stripped))
    return out


def strip_markup(line: Line) -> Line:
    """The line without markdown heading hashes or a bold/italic wrapper ("## Title", "**Title**")."""
    t, s = line.text, line.start
    m = re.match(r"^#{1,6}\s+", t)
    if m:
        t, s = t[m.end():], s + m.end()
        t = re.sub(r"\s+#+\s*$", "", t)
    m = re.match(r"^(\*\*|__|\*|_)(?P<in>[^*_].*?)\1$", t)
    if m:
        t, s = m.group("in"), s + len(m.group(1))
    stripped = t.strip()
    if not stripped:
        return line
    s += len(t) - len(t.lstrip())
    return Line(s, s + len(stripped), stripped)


def paragraphs(text: str) -> list[Line]:
    """Blocks separated by blank lines (a page without blank lines is one block per line run)."""
    out: list[Line] = []
    if not isinstance(text, str):
        return out
    for m in re.finditer(r"(?:[^\r\n]*\S[^\r\n]*(?:\r\n|\r|\n)?)+", text):
        block = m.group(0)
        stripped = block.strip()
        if not stripped:
            continue
        s = m.start() + (len(block) - len(block.lstrip()))
        out.append(Line(s, s + len(stripped), stripped))
    return out


def bullet(line: Line) -> Item | None:
    """The list item on ``line`` ("- x", "• x", "1. x", "2) x"), or None when it is no list item."""
    m = _BULLET_RE.match(line.text)
    if not m or m.end() >= len(line.text):
        return None
    body = line.text[m.end():].strip()
    if not body:
        return None
    s = line.start + line.text.index(body, m.end())
    return Item(s, s + len(body), body, numbered=m.group(0).strip()[-1:] in ".)" and any(c.isdigit() for c in m.group(0)))


def split_label(start: int, body: str, max_words: int = 12) -> Label | None:
    """Split ``"Label: rest"`` or ``"Label — rest"``. A dash separator wins over a colon so a title
    with a colon keeps it ("Deep Nets: Theory — offered by X"). The label must be at most
    ``max_words`` words and start with a capital or digit. ``start`` is ``body``'s document offset."""
    dash = _DASH_SEP_RE.search(body)
    colon = _COLON_SEP_RE.search(body)
    cands = [c for c in (dash, colon) if c and 0 < len(body[: c.start()].split()) <= max_words]
    cands.sort(key=lambda c: c.start())
    m = cands[0] if cands else None
    if m is colon and dash in cands and is_title_case(body[colon.end(): dash.start()], 0.99):
        m = dash  # the colon belongs to a title: "Deep Nets: Theory — offered by X"
    if m is None:
        return None
    label = body[: m.start()].strip()
    lstart = start + body.index(label) if label else start
    mk = re.match(r"^(\*\*|__)(.+?)(?:\1)?$", label)  # **Bold Label** or **Bold Label:**
    if mk:
        lstart += len(mk.group(1))
        label = mk.group(2).strip()
    if not label or not (label[0].isupper() or label[0].isdigit()):
        return None
    after = body[m.end():]
    rest = after.strip()
    rs = start + m.end() + (len(after) - len(after.lstrip()))
    return Label(lstart, lstart + len(label), label, rs, rs + len(rest), rest)


def words(s: str) -> list[str]:
    return re.findall(r"[\w&][\w&.'’/+-]*", s)


def is_title_case(s: str, min_ratio: float = 0.75) -> bool:
    """True when the significant words of ``s`` are capitalised ("Applied Machine Learning in Python")."""
    ws = [w for w in words(s) if w.lower() not in SMALL_WORDS]
    if not ws or not (s[:1].isupper() or s[:1].isdigit()):
        return False
    caps = sum(1 for w in ws if w[0].isupper() or w[0].isdigit())
    return caps / len(ws) >= min_ratio


def is_question(s: str) -> bool:
    """A question or how-to line ("What Core Courses ...?", "How to Build ...")."""
    s = s.strip()
    if s.endswith("?"):
        return True
    ws = s.split()
    return bool(ws) and ws[0].lower() in INTERROGATIVES and len(ws) > 2


def is_heading(line: str, next_line: str | None = None, max_words: int = 16) -> bool:
    """A short line with no final sentence punctuation that reads as a title or a question.

    ``next_line`` (optional): a heading is not followed by a shorter continuation of itself, so a
    line is refused when the next one starts in lower case (a wrapped sentence)."""
    s = line.strip()
    if not s or len(s) > 140 or len(s.split()) > max_words:
        return False
    if _BULLET_RE.match(s):
        return False
    if s[-1] in ".,;:!" or "|" in s or "$" in s:
        return False
    if not (s[0].isupper() or s[0].isdigit()):
        return False
    if next_line is not None and next_line.strip()[:1].islower():
        return False
    return s.endswith("?") or is_title_case(s, 0.6)


def sentences(start: int, body: str) -> list[Line]:
    """Sentence spans of ``body`` (which starts at document offset ``start``)."""
    out: list[Line] = []
    pos = 0
    for m in _SENTENCE_END_RE.finditer(body):
        chunk = body[pos:m.end()]
        st = chunk.strip()
        if st:
            s = start + pos + (len(chunk) - len(chunk.lstrip()))
            out.append(Line(s, s + len(st), st))
        pos = m.end()
    tail = body[pos:]
    if tail.strip():
        s = start + pos + (len(tail) - len(tail.lstrip()))
        out.append(Line(s, s + len(tail.strip()), tail.strip()))
    return out


def has_sentence(s: str, min_words: int = 6) -> bool:
    """Prose: enough words and at least one sentence end."""
    return len(s.split()) >= min_words and bool(re.search(r"[.!?][\"'”’)]*(\s|$)", s))
