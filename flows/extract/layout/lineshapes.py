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
