"""Layout stage: every source becomes a document model (blocks with spans) before anything is read from it."""

from __future__ import annotations

from flows.extract.layout.html import layout_from_html
from flows.extract.layout.markdown import layout_from_markdown
from flows.extract.layout.model import Layout
from flows.extract.layout.plaintext import layout_from_text

__all__ = ["build", "layout_from_html", "layout_from_markdown", "layout_from_text"]


def build(file_text: str, media_type: str) -> Layout:
    """The Layout of one file: HTML from its DOM, Markdown from its parse tree, anything else
    (plain text) from its line shapes."""
    if media_type == "text/html":
        return layout_from_html(file_text)
    if media_type == "text/markdown":
        return layout_from_markdown(file_text)
    return layout_from_text(file_text, media_type)
