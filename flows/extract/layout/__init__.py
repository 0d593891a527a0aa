"""Layout stage: every source becomes a document model (blocks with spans) before anything is read from it."""

from __future__ import annotations

from flows.extract.layout.html import layout_from_html
from flows.extract.layout.markdown import layout_from_markdown
from flows.extract.layout.model import Layout
from flows.extract.layout.plaintext import layout_from_text
from flows.extract.layout.runtogether import with_run_together_tables

__all__ = ["build", "layout_from_html", "layout_from_markdown", "layout_from_text"]


def build(file_text: str, media_type: str, *, markup: bool = True) -> Layout:
    """The Layout of one file: HTML from its DOM, Markdown from its parse tree, anything else
    (plain text, or with ``markup=False`` the flattened text of an HTML or Markdown file) from its line
    shapes; then, whatever the builder, the tables whose cells ran together (flows.extract.layout.runtogether,
    the one place that finds them and splits them into cells)."""
    if markup and media_type == "text/html":
        layout = layout_from_html(file_text)
    elif markup and media_type == "text/markdown":
        layout = layout_from_markdown(file_text)
    else:
        layout = layout_from_text(file_text, media_type)
    return with_run_together_tables(layout)
