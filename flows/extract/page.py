"""The school whose own page a document is, for the text extractors that ask (courses and concentrations a
program page lists are that school's): the page scope of flows.extract.scope -- one mechanism decides which
school a page is about. Pure: text in, span out."""

from __future__ import annotations

from flows.extract.layout.plaintext import layout_from_text
from flows.extract.scope import Names, page_scope


def own_page_school(text: str) -> tuple[int, int, str] | None:
    """(start, end, name as written) of the school whose own program page ``text`` is, else None."""
    if not isinstance(text, str) or not text.strip():
        return None
    layout = layout_from_text(text)
    sc = page_scope(layout, Names(text))
    if sc is None or sc.how != "page":
        return None
    return sc.start, sc.end, text[sc.start:sc.end]
