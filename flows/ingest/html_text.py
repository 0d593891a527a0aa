"""HTML -> text with an offset map back into the file.

Extractors read the flattened text; every character of it remembers the file offset it came from,
so each fact's span maps back to the file and its quote is the file's own text. The text is the one
the HTML layout builder (``flows.extract.layout.html``) produces from the DOM: tables as ``| a | b |``
rows, list items as ``- x`` lines; this module is the thin entry point ingest and quotes use.
"""

from __future__ import annotations

from flows.extract.layout.html import layout_from_html


def html_to_text(source: str) -> tuple[str, list[int], str | None]:
    """Flatten HTML. Returns (text, offsets, title): ``offsets[i]`` is the file offset of ``text[i]``;
    ``offsets`` has one extra entry (the file length) so an end index maps too."""
    layout = layout_from_html(source)
    return layout.text, layout.offsets, layout.title


def map_span(offsets: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """Map a [start, end) span of the flattened text to the file. The end maps to just past the
    last character of the span, so the file quote covers every source character of the span."""
    if offsets is None:
        return start, end
    if end <= start:
        return offsets[start], offsets[start]
    return offsets[start], offsets[end - 1] + 1
