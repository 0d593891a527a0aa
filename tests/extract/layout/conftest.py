"""Shared span checks for the layout builders: a block's text is what the test expects, and its span
maps back into the file over the same words (tags, entities and inline markup aside)."""

import re
from html import unescape

import pytest

from flows.ingest.html_text import map_span
from flows.ingest.markdown_text import markdown_to_text


def _file_view(raw: str, media_type: str) -> str:
    """The file text as a reader sees it: without tags and entities (HTML) or inline markup (Markdown)."""
    if media_type == "text/html":
        raw = unescape(re.sub(r"<[^>]*>", "", raw))
    elif media_type == "text/markdown":
        raw = markdown_to_text(raw)[0]
    return re.sub(r"\s+", " ", raw)


def check(layout, file_text: str, start: int, end: int, expected: str | None = None) -> str:
    """Assert the span [start, end) is sound; return its text. With ``expected``, it must be that text."""
    assert 0 <= start <= end <= len(layout.text), (start, end, len(layout.text))
    got = layout.text[start:end]
    if expected is not None:
        assert got == expected
    s, e = map_span(layout.offsets, start, end)
    assert 0 <= s <= e <= len(file_text)
    html = layout.media_type == "text/html"
    if got:
        # the span's first and last characters are the file's own (or the "&" of a decoded entity)
        for i in (start, end - 1):
            src_char = file_text[layout.offsets[i] if layout.offsets else i]
            assert src_char == layout.text[i] or (html and src_char == "&"), (got, i, src_char)
    hay = _file_view(file_text[s:e], layout.media_type)
    # every word of the span appears in the mapped file text, in order (list dashes and cell pipes
    # are the flattened text's own, not the file's)
    words = [w for w in got.split() if not (html and w in ("-", "|"))]
    pos = 0
    for w in words:
        i = hay.find(w, pos)
        assert i >= 0, f"{w!r} of {got!r} not in file text {hay!r}"
        pos = i + len(w)
    if words:
        assert hay.strip().startswith(words[0]) and hay.strip().endswith(words[-1]), (got, hay)
    return got


def check_all(layout, file_text: str) -> int:
    """Check every block, cell, key and value span of a layout; return how many were checked."""
    n = 0
    for b in layout.blocks:
        check(layout, file_text, b.start, b.end)
        n += 1
        for row in b.rows:
            for c in row:
                assert b.start <= c.start <= c.end <= b.end
                check(layout, file_text, c.start, c.end)
                n += 1
        for part in (b.key, b.value):
            if part is not None:
                assert b.start <= part.start <= part.end <= b.end
                check(layout, file_text, part.start, part.end)
                n += 1
        if b.parent is not None:
            assert layout.blocks[b.parent].kind in ("heading", "title")
    return n


@pytest.fixture
def spans():
    return check, check_all
