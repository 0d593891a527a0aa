"""Markdown -> Layout from a real parser: markdown-it-py (CommonMark, plus its GFM table rule and the
front-matter plugin) gives the block structure with source line maps; spans are then cut from the
file and moved into the document text.

The document text is ``flows.ingest.markdown_text.markdown_to_text``'s (inline markup removed, the one
inline stripper); its ``offsets`` map text -> file, and their inverse (a bisect: the offsets only grow)
maps a file span into the text. A block's file span is its lines (``token.map``) without the
container markers (``>``, ``-``, ``1.``), heading ``#``\\s or the setext underline; a cell's is its
text between the pipes, without padding.

Blocks: headings HEADING (the page's first heading, when it is an h1, is its TITLE), paragraphs
PARAGRAPH (a one-line ``Key: value`` is a FIELD, a byline / date / breadcrumb line is META), list
items ITEM (level = nesting depth, ordinal for numbered lists), GFM tables TABLE (header row marked),
front matter ``title`` TITLE and ``author`` / ``date`` META; raw HTML blocks through the HTML builder.
Code blocks and rules are not text.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from flows.extract.layout.html import layout_from_html
from flows.extract.layout.lineshapes import field_lines, meta_role, nested_fields, stat_split
from flows.extract.layout.model import (
    FIELD, HEADING, ITEM, META, PARAGRAPH, TABLE, TITLE, Block, Cell, Layout, Span, link_sections,
)
from flows.extract.layout.tables import label_column, table_block
from flows.ingest.markdown_text import markdown_to_text

_MD = MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
#: container markers at the start of a line: blockquote ">" and list bullets / numbers
_MARKERS_RE = re.compile(r"[ \t]*(?:(?:>|[-+*]|\d{1,9}[.)])(?:[ \t]+|$)[ \t]*)*")
_ATX_OPEN_RE = re.compile(r"#{1,6}(?:[ \t]+|$)")
_ATX_CLOSE_RE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_FRONT_RE = re.compile(r"(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<val>.*?)[ \t]*$")
_FRONT_ROLE = {"title": TITLE, "author": "byline", "authors": "byline", "by": "byline", "date": "date",
               "published": "date", "updated": "date", "modified": "date", "lastmod": "date",
               "last_updated": "date", "published_on": "date", "updated_on": "date"}


class _Spans:
    """File spans -> document-text spans."""

    def __init__(self, source: str) -> None:
        self.src = source
        self.text, self.offsets = markdown_to_text(source)
        self.n = len(self.text)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]

    def line(self, i: int) -> tuple[int, int]:
        """[start, end) of source line ``i`` without its line break."""
        a = self.line_starts[i]
        b = self.line_starts[i + 1] - 1 if i + 1 < len(self.line_starts) else len(self.src)
        if b > a and self.src[b - 1] == "\r":
            b -= 1
        return a, b

    def to_text(self, a: int, b: int, trim: str = "") -> tuple[int, int] | None:
        """The document-text span of file span [a, b), stripped of whitespace (and of ``trim``); None if
        nothing of it is text."""
        s = bisect_left(self.offsets, a, 0, self.n)
        e = bisect_left(self.offsets, b, 0, self.n)
        chars = " \t\r\n\u00a0" + trim
        while s < e and self.text[s] in chars:
            s += 1
        while e > s and self.text[e - 1] in chars:
            e -= 1
        return (s, e) if e > s else None

    def body(self, first: int, last: int, markers: bool) -> tuple[int, int]:
        """File span of lines first..last-1 without the container markers of the first line."""
        a, _ = self.line(first)
        _, b = self.line(last - 1)
        if markers:
            m = _MARKERS_RE.match(self.src, a, b)
            a = m.end() if m else a
        return a, b


def _cells_of_row(sp: _Spans, line: int, markers: bool) -> list[tuple[int, int]]:
    """File spans of a pipe-table row's cells, split on unescaped pipes, without padding."""
    a, b = sp.body(line, line + 1, markers)
    src = sp.src
    cuts, i = [], a
    while i < b:
        ch = src[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "|":
            cuts.append(i)
        i += 1
    bounds = [a - 1] + cuts + [b]
    segs = [(bounds[k] + 1, bounds[k + 1]) for k in range(len(bounds) - 1)]
    if segs and cuts and not src[a:cuts[0]].strip():
        segs = segs[1:]  # a leading pipe
    if segs and cuts and not src[cuts[-1] + 1:b].strip():
        segs = segs[:-1]  # a trailing pipe
    out = []
    for s, e in segs:
        while s < e and src[s] in " \t":
            s += 1
        while e > s and src[e - 1] in " \t":
            e -= 1
        out.append((s, e))
    return out


class _Builder:
    def __init__(self, source: str) -> None:
        self.sp = _Spans(source)
        self.blocks: list[Block] = []
        self.title: str | None = None
        self.heading_seen = False

    def add(self, b: Block) -> None:
        self.blocks.append(b)

    def front_matter(self, tok) -> None:
        first, last = tok.map
        for i in range(first + 1, last - 1):
            a, b = self.sp.line(i)
            m = _FRONT_RE.match(self.sp.src, a, b)
            role = _FRONT_ROLE.get(m.group("key").lower()) if m else None
            if not role:
                continue
            span = self.sp.to_text(m.start("val"), m.end("val"), trim="\"'")
            if span is None:
                continue
            if role == TITLE:
                self.add(Block(TITLE, *span))
                self.title = self.sp.text[span[0]:span[1]]
                self.heading_seen = True  # the page's first h1 is then a heading under it
            else:
                self.add(Block(META, *span, role=role))

    def heading(self, tok, in_container: bool) -> None:
        first, last = tok.map
        setext = tok.markup in ("=", "-")
        a, b = self.sp.body(first, last - 1 if setext else last, in_container)
        if not setext:
            m = _ATX_OPEN_RE.match(self.sp.src, a, b)
            a = m.end() if m else a
            c = _ATX_CLOSE_RE.search(self.sp.src, a, b)
            b = c.start() if c else b
        span = self.sp.to_text(a, b)
        if span is None:
            return
        level = int(tok.tag[1])
        kind = TITLE if level == 1 and not self.heading_seen else HEADING
        self.heading_seen = True
        self.add(Block(kind, *span, level=level))

    def paragraph(self, tok, in_container: bool, item: tuple[int, str | None] | None) -> None:
        span = self.sp.to_text(*self.sp.body(*tok.map, in_container))
        if span is None:
            return
        s, e = span
        line = self.sp.text[s:e]
        if item is not None:
            # "- Cost: $900 per credit" is a field in a list (at the item's depth), as in plain text
            fields = field_lines(line)
            for a, b, (ks, ke), (vs, ve) in fields or ():
                self.add(Block(FIELD, s + a, s + b, level=item[0], key=Span(s + ks, s + ke),
                               value=Span(s + vs, s + ve)))
            if not fields:
                self.add(Block(ITEM, s, e, level=item[0], ordinal=item[1]))
            return
        role = meta_role(line.strip("*_ "))
        if role:
            inner = self.sp.to_text(self.sp.offsets[s], self.sp.offsets[e - 1] + 1, trim="*_")
            self.add(Block(META, *(inner or span), role=role))
            return
        # "Key: value" lines (a paragraph of them, one per soft line break, is a field per line)
        fields = field_lines(line)
        if fields:
            for a, b, (ks, ke), (vs, ve) in fields:
                self.add(Block(FIELD, s + a, s + b, key=Span(s + ks, s + ke), value=Span(s + vs, s + ve)))
            return
        stat = stat_split(line)
        if stat:  # "30 Credits" on its own line
            (ks, ke), (vs, ve) = stat
            self.add(Block(FIELD, s, e, key=Span(s + ks, s + ke), value=Span(s + vs, s + ve), role="stat"))
            return
        self.add(Block(PARAGRAPH, s, e))

    def table(self, tokens, i: int, in_container: bool) -> int:
        """Read the table starting at tokens[i]; return the index after its table_close."""
        rows: list[list[Cell]] = []
        row_line, in_head, cells, k = None, False, [], 0
        j = i + 1
        while tokens[j].type != "table_close":
            t = tokens[j]
            if t.type == "thead_open":
                in_head = True
            elif t.type == "thead_close":
                in_head = False
            elif t.type == "tr_open":
                row_line, k = t.map[0], 0
                cells = _cells_of_row(self.sp, row_line, in_container)
                rows.append([])
            elif t.type in ("th_open", "td_open"):
                if k < len(cells):
                    span = self.sp.to_text(*cells[k])
                    at = span or (bisect_left(self.sp.offsets, cells[k][0], 0, self.sp.n),) * 2
                else:  # a cell the row left out: empty, at the row's end
                    _, b = self.sp.line(row_line)
                    at = (bisect_left(self.sp.offsets, b, 0, self.sp.n),) * 2
                rows[-1].append(Cell(at[0], at[1], header=in_head or t.type == "th_open"))
                k += 1
            j += 1
        header = 1 if rows and all(c.header for c in rows[0]) else 0
        block = table_block(rows, header=header, key_column=label_column(lambda a, b: self.sp.text[a:b], rows, header))
        if block is not None:
            self.add(block)
        return j + 1

    def html_block(self, tok, in_container: bool) -> None:
        """Raw HTML in the Markdown (a table a converter could not turn into pipes): its blocks come from
        the HTML builder, each span moved from the fragment's flattened text to the file and into this
        document text (where the HTML stays as written, so a cell's span is its text between the tags)."""
        a, b = self.sp.body(*tok.map, in_container)
        frag = layout_from_html(self.sp.src[a:b])
        off = frag.offsets

        def move(s: int, e: int) -> tuple[int, int] | None:
            if e <= s:
                at = bisect_left(self.sp.offsets, a + off[s], 0, self.sp.n)
                return at, at
            return self.sp.to_text(a + off[s], a + off[e - 1] + 1)

        for blk in frag.blocks:
            span = move(blk.start, blk.end)
            if span is None or blk.kind == TITLE:
                continue
            if blk.kind == TABLE:
                rows = [[Cell(*(move(c.start, c.end) or span[:1] * 2), header=c.header) for c in r] for r in blk.rows]
                moved = table_block(rows, blk.header, blk.key_column)
                if moved is not None:
                    self.add(moved)
                continue
            parts = [move(x.start, x.end) if x is not None else None for x in (blk.key, blk.value)]
            if blk.kind == FIELD and (parts[0] is None or parts[1] is None):
                continue
            self.add(Block(blk.kind, *span, level=blk.level, ordinal=blk.ordinal, role=blk.role,
                           key=Span(*parts[0]) if parts[0] else None, value=Span(*parts[1]) if parts[1] else None))

    def run(self) -> Layout:
        tokens = _MD.parse(self.sp.src)
        containers: list[list] = []  # ["bq"] or ["li", level, ordinal, first_child_pending]
        lists: list[str] = []        # "ol" / "ul" of the open lists
        i = 0
        while i < len(tokens):
            t = tokens[i]
            typ = t.type
            if typ == "front_matter":
                self.front_matter(t)
            elif typ in ("bullet_list_open", "ordered_list_open"):
                lists.append(t.tag)
            elif typ in ("bullet_list_close", "ordered_list_close"):
                lists.pop()
            elif typ == "list_item_open":
                containers.append(["li", len(lists) - 1, t.info or None if lists[-1] == "ol" else None, True])
            elif typ == "blockquote_open":
                containers.append(["bq"])
            elif typ in ("list_item_close", "blockquote_close"):
                containers.pop()
            elif typ in ("heading_open", "paragraph_open", "table_open", "fence", "code_block", "html_block",
                         "hr"):
                item = None
                if containers and containers[-1][0] == "li" and containers[-1][3]:
                    containers[-1][3] = False
                    if typ == "paragraph_open":
                        item = (containers[-1][1], containers[-1][2])
                if typ == "heading_open":
                    self.heading(t, bool(containers))
                elif typ == "paragraph_open":
                    self.paragraph(t, bool(containers), item)
                elif typ == "table_open":
                    i = self.table(tokens, i, bool(containers))
                    continue
                elif typ == "html_block":
                    self.html_block(t, bool(containers))
            i += 1
        blocks = sorted(self.blocks, key=lambda b: b.start)
        offsets = self.sp.offsets
        return Layout(text=self.sp.text, blocks=link_sections(nested_fields(self.sp.text, blocks)), offsets=offsets,
                      media_type="text/markdown", title=self.title)


def layout_from_markdown(source: str) -> Layout:
    """The document model of a Markdown file (pure: source in, Layout out)."""
    return _Builder(source).run()
