"""The TABLE block every builder makes from its rows of cells, so a table's span means the same in
every format: from its first filled cell's text to its last (row pipes and padding are not the file's
text), with empty cells that fall outside placed at its edges (zero-length spans)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

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


# ---------------------------------------------------------------- program and career tables of a text

@dataclass(frozen=True)
class Table:
    """A program or career table of a document text, from its document model: per column the kind its
    header names (flows.extract.layout.columns), and per row the cell spans."""
    shape: str                      # "delimited" | "run_together"
    group: str                      # "program" | "career"
    kinds: tuple[str, ...]
    header: tuple[int, int]         # header row span
    rows: tuple[tuple[tuple[int, int], ...], ...]
    end: int = 0


def table_kinds(text: str, b: Block) -> tuple[str, tuple[str, ...]] | None:
    """(group, column kinds) of a TABLE block whose header names a program or a career table, else None."""
    from flows.extract.layout.columns import header_kind, table_group
    from flows.extract.layout.runtogether import ROLE, header_kinds

    if not b.rows:
        return None
    if b.role == ROLE:
        kinds = header_kinds(text[b.rows[0][0].start:b.rows[0][0].end]) if b.header else None
        if not kinds or any(len(r) != len(kinds) for r in b.rows[1:]):
            return None
    else:
        head = b.rows[:max(b.header, 1)]
        ncols = max(len(r) for r in b.rows)
        kinds = tuple(header_kind(" ".join(text[h[j].start:h[j].end] for h in head if len(h) > j)) or "other"
                      for j in range(ncols))
    group = table_group(list(kinds))
    return (group, kinds) if group else None


def find_tables(text: str) -> list[Table]:
    """Every program or career table of ``text`` (plain-text document model, run-together rows split): what
    the text extractors of the first design skip. The answer for the last few texts is kept."""
    return list(_find_tables(text))


@lru_cache(maxsize=8)
def _text_layout(text: str):
    """The plain-text document model of ``text`` with its run-together tables split (kept for a few texts:
    prose, careers prose and the table spans ask for the same page's tables)."""
    from flows.extract.layout.plaintext import layout_from_text
    from flows.extract.layout.runtogether import with_run_together_tables

    return with_run_together_tables(layout_from_text(text))


@lru_cache(maxsize=8)
def _find_tables(text: str) -> tuple[Table, ...]:
    from flows.extract.layout.runtogether import ROLE

    layout = _text_layout(text)
    out = []
    for b in layout.blocks:
        if b.kind != TABLE:
            continue
        got = table_kinds(text, b)
        if not got:
            continue
        n = max(b.header, 1)
        head = b.rows[:n]
        hs, he = min(c.start for r in head for c in r), max(c.end for r in head for c in r)
        rows = tuple(tuple((c.start, c.end) for c in r) for r in b.rows[n:] if len(r) == len(got[1]))
        out.append(Table(ROLE if b.role == ROLE else "delimited", got[0], got[1], (hs, he), rows,
                         text.find("\n", b.end) if "\n" in text[b.end:] else len(text)))
    return tuple(out)


def table_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every program or career table (header through last row), and of every schedule whose
    first column labels its rows and whose other cells hold amounts (a fee table: Item | Rate | Program
    total): text the table readers read, so other readers skip it."""
    tables = [(t.header[0], t.end) for t in find_tables(text)]
    return sorted(tables + [(a, b) for a, b in _schedule_spans(text) if not any(a < e and s < b for s, e in tables)])


_LABEL_CELL_RE = re.compile(r"^[^$\d]*(?:\(\d{1,3}\s*credits?\)[^$\d]*)?$")


@lru_cache(maxsize=8)
def _schedule_spans(text: str) -> tuple[tuple[int, int], ...]:
    out = []
    for b in _text_layout(text).blocks:
        if b.kind != TABLE or b.role is not None:
            continue
        body = [r for r in b.rows[b.header:] if len(r) >= 3]
        labels = [text[r[0].start:r[0].end].strip() for r in body]
        money = sum(1 for r in body if any("$" in text[c.start:c.end] for c in r[1:]))
        if len(body) >= 2 and money >= 2 and all(lab and len(lab) <= 60 and _LABEL_CELL_RE.match(lab)
                                                 for lab in labels):
            start = text.rfind("\n", 0, b.start) + 1
            end = text.find("\n", b.end)
            out.append((start, end if end >= 0 else len(text)))
    return tuple(out)
