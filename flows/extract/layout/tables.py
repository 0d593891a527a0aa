"""The TABLE block every builder makes from its rows of cells, so a table's span means the same in
every format: from its first filled cell's text to its last (row pipes and padding are not the file's
text), with empty cells that fall outside placed at its edges (zero-length spans)."""

from __future__ import annotations

import re
from collections.abc import Callable

from flows.extract.layout.model import TABLE, Block, Cell


def table_block(rows: list[list[Cell]], header: int = 0, key_column: bool = False) -> Block | None:
    cells = [c for r in rows for c in r]
    if not cells:
        return None
    filled = [c for c in cells if c.end > c.start] or cells[:1]
    start, end = min(c.start for c in filled), max(c.end for c in filled)

    def inside(c: Cell) -> Cell:
        if c.end > c.start or start <= c.start <= end:
            return c
        at = min(max(c.start, start), end)
        return Cell(at, at, c.header)

    return Block(TABLE, start, end, rows=tuple(tuple(inside(c) for c in r) for r in rows), header=header,
                 key_column=key_column)


def pipe_cells(text: str, start: int, end: int) -> list[Cell]:
    """Cells of a pipe row ``| a |  | c |`` (outer pipes dropped), an empty cell as a zero-length span where
    it stands, so every row of a table keeps its columns."""
    line = text[start:end]
    body_end = len(line) - 1 if line.endswith("|") and len(line) > 1 else len(line)
    out, pos = [], 1
    for part in line[1:body_end].split("|"):
        lead = len(part) - len(part.lstrip())
        body = part.strip()
        a = start + pos + (lead if body else len(part) // 2)
        out.append(Cell(a, a + len(body)))
        pos += len(part) + 1
    return out


def label_column(span_text: Callable[[int, int], str], rows: list[list[Cell]], header: int) -> bool:
    """A two-column table whose first cells are short labels ("Tuition per credit" | "$725") and that
    has no header row of its own (or one with an empty cell, "Program snapshot" | ""): a key column by
    shape. Readers decide what the labels mean."""
    if header and all(c.end > c.start for c in rows[0]):
        return False
    body = rows[header:]
    if len(body) < 2 or any(len(r) != 2 for r in body):
        return False
    for r in body:
        t = span_text(r[0].start, r[0].end)
        if not t or len(t) > 40 or len(t.split()) > 6 or re.match(r"[$\d]", t) or t.endswith("."):
            return False
    return True
