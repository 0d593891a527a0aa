"""The document model: one text, every structure a span over it (think spaCy's Doc/Span, docling's tree).

Every source becomes a :class:`Layout`: the *document text* extractors read (for .txt the file itself,
for .md the text with inline markup removed, for HTML the flattened text; ``offsets`` maps it back to the
file) and a flat, ordered list of :class:`Block` s, each a span of that text. Structure is recorded, never
re-guessed downstream: a heading knows its level, a list item its depth, a table its cells and which row
is the header, a field its key and value. ``parent`` links every block to the heading whose section it
sits in, so scope (which program a block is about) is one walk up the tree.

Builders (one per media type, all pure: text in, Layout out):
  - ``layout.plaintext.layout_from_text``  line shapes of plain text (also the fallback)
  - ``layout.html.layout_from_html``        the DOM (h1-h6, p, li nesting, table/tr/th/td, dl/dt/dd, title)
  - ``layout.markdown.layout_from_markdown`` markdown-it-py tokens with their line maps (GFM tables)
then, whatever the builder, ``layout.runtogether.with_run_together_tables`` (applied by ``layout.build``):
tables whose cells ran together when the page became text, the one place that finds and splits them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: block kinds
TITLE = "title"          # the page title (<title>, first line of a text page, markdown h1 at the top)
HEADING = "heading"      # level 1-6
PARAGRAPH = "paragraph"  # running text; sentences are read from it
ITEM = "item"            # list item; level = depth (0 = top); ordinal = "1", "2" for numbered/ranked lists
TABLE = "table"          # rows x cells; header = number of header rows; key_column for vertical tables
FIELD = "field"          # key/value: "Key: value", "Key | value", <dt>/<dd>, "30 Credits" (value first), "GRENo"
META = "meta"            # byline, date line, breadcrumb ("Home > Programs > M.S. in AI")
KINDS = (TITLE, HEADING, PARAGRAPH, ITEM, TABLE, FIELD, META)


@dataclass(frozen=True, slots=True)
class Span:
    """[start, end) of the document text; ``layout.text[start:end]`` is its text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Cell:
    start: int
    end: int
    header: bool = False   # <th>, a markdown header cell, or a cell of the header row of a text table


@dataclass(slots=True)
class Block:
    kind: str
    start: int
    end: int
    level: int = 0                        # heading level (1-6) or list depth (0..)
    parent: int | None = None             # index (in Layout.blocks) of the heading this block sits under
    ordinal: str | None = None            # "3" for "3." / "#3" / a ranked row
    rows: tuple[tuple[Cell, ...], ...] = ()   # TABLE only
    header: int = 0                       # TABLE: how many leading rows are header rows
    key_column: bool = False              # TABLE: the first column holds keys (vertical <th>/<td> table)
    key: Span | None = None               # FIELD: the key ("Tuition", "Credits", "GRE")
    value: Span | None = None             # FIELD: the value ("$42,000", "30", "No")
    role: str | None = None               # META: byline|date|breadcrumb; FIELD: stat|stacked|run_together; TABLE: run_together (cells ran together; see layout.runtogether)


@dataclass(slots=True)
class Layout:
    text: str
    blocks: list[Block] = field(default_factory=list)
    offsets: list[int] | None = None      # text index -> file index (None when text is the file)
    media_type: str = "text/plain"
    title: str | None = None              # <title> text when the format has one

    def span(self, s: Span | Block | Cell) -> str:
        return self.text[s.start:s.end]

    def cell_text(self, c: Cell) -> str:
        return self.text[c.start:c.end]

    def section_path(self, i: int) -> list[int]:
        """Indexes of the headings enclosing block ``i``, outermost first."""
        out, p = [], self.blocks[i].parent
        while p is not None:
            out.append(p)
            p = self.blocks[p].parent
        return out[::-1]


def link_sections(blocks: list[Block]) -> list[Block]:
    """Set every block's ``parent`` to the nearest preceding heading of a lower level (title at level 0).
    Shared by every builder so sections mean the same whatever the format."""
    stack: list[tuple[int, int]] = []  # (level, index)
    for i, b in enumerate(blocks):
        if b.kind in (HEADING, TITLE):
            lvl = 0 if b.kind == TITLE else b.level
            while stack and stack[-1][0] >= lvl:
                stack.pop()
            b.parent = stack[-1][1] if stack else None
            stack.append((lvl, i))
        else:
            b.parent = stack[-1][1] if stack else None
    return blocks
