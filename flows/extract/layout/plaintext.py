"""Plain text -> Layout, from line shapes alone (also what pages flattened to text look like).

Pure: text in, blocks out. Every decision is about the *shape* of a line and its neighbours, never
about what the words say, except a handful of format words (bylines, breadcrumbs) listed here:

- markdown-style ``#`` lines, short title-like lines followed by longer text and short questions are
  headings; the first such line of the page is its title;
- bullet and numbered lines are items (depth from indentation, ordinal from the number); a run of
  lines opening with increasing numbers ("1 Lakeside University  Austin, TX") is a ranked list;
- runs of lines split into the same number of columns by tabs, pipes or two or more spaces are tables
  (a ``|---|`` rule or a first row of non-numeric words marks the header); tables whose cells ran together
  with nothing between them are not this builder's: flows.extract.layout.runtogether finds and splits them
  for every builder (flows.extract.layout.build applies it), replacing the blocks made here of their lines;
- ``Key: value`` / ``Key | value`` lines, a short label line followed by a short value line
  ("Total Credits" / "36"), value-first stat cards ("30 Credits", "$24,000 Tuition") and labels run
  into their values ("GRENo", "Credits30") are fields;
- "By …", "Written by …", "Last updated …", "Home > … > …" are meta lines;
- everything else is paragraph text (consecutive prose lines of a hard-wrapped page form one paragraph).

Lines are never split here beyond cells and key/value: sentences are read later from paragraph spans.
"""

from __future__ import annotations

import re

from flows.extract.layout.lineshapes import (  # one definition of a line's shape for every builder
    _KEY_COLON_RE, _STAT_RE, _TERMINAL_RE, label_like, meta_role, nested_fields, value_like,
)
from flows.extract.layout.tables import pipe_cells
from flows.extract.layout.model import (
    FIELD, HEADING, ITEM, META, PARAGRAPH, TABLE, TITLE, Block, Cell, Layout, Span, link_sections,
)

_BULLET_RE = re.compile(r"(?P<mark>[-*•·▪‣◦●○■□➢►✓✔]|(?P<num>\d{1,3})[.)]|\((?P<pnum>\d{1,3})\))\s+(?=\S)")
_RANK_RE = re.compile(r"(?:#\s?)?(?P<num>\d{1,3})(?:\.|\))?\s+(?:#\d{1,3}\s+)?(?=[A-Z\"“])")   # "# 1 #1 Lakeside …" too
_MD_HEADING_RE = re.compile(r"(?P<hashes>#{1,6})\s+(?=\S)")
_PIPE_RULE_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_COL_SPLIT_RE = re.compile(r"\t+|\s{2,}| ?\| ?")
_NUMERIC_CELL_RE = re.compile(r"^[\s$€£~≈<>+\-–—.,%\d/kKmM()]+$|^\$")
#: a label run into its value: "GRENo", "Credits30", "Cost$42,000", "FormatOnline"
_RUN_TOGETHER_RE = re.compile(
    r"^(?P<key>[A-Z][a-z]+(?:\s[A-Z]?[a-z]+){0,3}|[A-Z]{2,5})(?P<val>\$?\d[\d,.]*(?:[-–]\$?\d[\d,.]*)?%?\+?(?:\s[A-Z][a-z]+)?|[A-Z][a-z]+(?:\s[a-z]+){0,2})$"
)


def _lines(text: str) -> list[tuple[int, int, int]]:
    """(start, end, indent) of every line; end excludes the line break; blank lines have start == end."""
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if not stripped:
            out.append((pos, pos, 0))
        else:
            lead = len(body) - len(body.lstrip())
            indent = len(body[:lead].expandtabs(4))
            out.append((pos + lead, pos + lead + len(stripped), indent))
        pos += len(raw)
    return out


def _cells(text: str, start: int, end: int) -> list[Cell]:
    """Cells of a row split by tabs, pipes or 2+ spaces (leading/trailing pipes dropped)."""
    line = text[start:end]
    if line.startswith("|") and line.count("|") >= 3:
        return pipe_cells(text, start, end)   # a pipe row keeps its empty cells, so columns stay aligned
    cells, pos = [], 0
    for m in _COL_SPLIT_RE.finditer(line):
        if m.start() > pos:
            cells.append((pos, m.start()))
        pos = m.end()
    if pos < len(line):
        cells.append((pos, len(line)))
    out = []
    for a, b in cells:
        seg = line[a:b]
        la = len(seg) - len(seg.lstrip())
        body = seg.strip()
        if body and body != "|":
            out.append(Cell(start + a + la, start + a + la + len(body)))
    return out


def _is_table_row(text: str, start: int, end: int) -> int:
    """How many cells the line splits into when it is shaped like a table row (else 0)."""
    line = text[start:end]
    if "|" in line and line.count("|") >= 2:
        return max(2, len(_cells(text, start, end)))
    if "\t" in line or re.search(r"\S\s{2,}\S", line):
        n = len(_cells(text, start, end))
        return n if n >= 2 else 0
    return 0


def _title_like(s: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’-]*", s)
    if not words:
        return False
    caps = sum(1 for w in words if w[0].isupper() or w.lower() in _SMALL)
    return caps / len(words) >= 0.6


_SMALL = frozenset("a an and as at but by for from in into of on or per the to via vs with your you is are it its".split())


def _heading_shape(s: str, next_len: int) -> bool:
    """A short line that reads like a heading: no terminal punctuation, title-like or a question,
    followed by text (a heading is never the last thing of its section)."""
    if len(s) > 120 or len(s) < 2 or _TERMINAL_RE.search(s):
        return False
    words = s.split()
    if len(words) > 16:
        return False
    if s.endswith("?"):
        return len(words) <= 20
    if s.endswith(":"):
        return len(words) <= 8
    if re.match(r"^[\d$]", s) and not re.match(r"^\d{1,2}[.)]?\s+[A-Z]", s):
        return False
    return _title_like(s) and next_len > 0


_BOLD_KEY_RE = re.compile(r"(?P<m>\*\*|__)(?P<key>[A-Za-z][^*_:\n]{0,47}?)(?::(?P=m)|(?P=m):)\s+(?P<val>\S.*)$")


def _field_of(text: str, start: int, end: int) -> Block | None:
    line = text[start:end]
    m = _BOLD_KEY_RE.match(line)     # "**Sample courses:** Tide Models, Harbor Statistics"
    if m and len(m.group("key").split()) <= 6 and len(m.group("val")) <= 160:
        return Block(FIELD, start, end, key=Span(start + m.start("key"), start + m.end("key")),
                     value=Span(start + m.start("val"), end))
    m = _KEY_COLON_RE.match(line)
    if m and len(m.group("key").split()) <= 6 and not re.search(r"https?$", m.group("key")):
        k0, k1 = start + m.start("key"), start + m.start("key") + len(m.group("key").rstrip())
        v0 = start + m.start("val")
        if len(m.group("val")) <= 160:
            return Block(FIELD, start, end, key=Span(k0, k1), value=Span(v0, end))
    m = _STAT_RE.match(line)
    if m and len(m.group("key").split()) <= 4:
        return Block(FIELD, start, end, key=Span(start + m.start("key"), end),
                     value=Span(start, start + len(m.group("val").rstrip())), role="stat")
    m = _RUN_TOGETHER_RE.match(line)
    if m and len(line) <= 40:
        return Block(FIELD, start, end, key=Span(start, start + m.end("key")),
                     value=Span(start + m.start("val"), end), role="run_together")
    return None


_value_line, _label_line = value_like, label_like



def layout_from_text(text: str, media_type: str = "text/plain") -> Layout:
    """The Layout of plain text (see the module docstring for the shapes)."""
    lines = _lines(text)
    n = len(lines)
    blocks: list[Block] = []
    title_done = False

    def body(i: int) -> str:
        a, b, _ = lines[i]
        return text[a:b]

    def _value_first_run(k: int) -> bool:
        """Lines k, k+1, … alternate value / label and end on a label ("30" / "Credits" / "$24,000" /
        "Total Tuition"): value-first stat cards, so the label line before them is their heading."""
        m = k
        while m + 1 < n and lines[m][0] != lines[m][1] and lines[m + 1][0] != lines[m + 1][1] \
                and _value_line(body(m)) and re.match(r"^[$~≈]?\s?\d", body(m)) and _label_line(body(m + 1)):
            m += 2
        return m - k >= 4 and (m >= n or lines[m][0] == lines[m][1] or not _value_line(body(m)))

    def next_nonblank(i: int) -> int | None:
        j = i + 1
        while j < n and lines[j][0] == lines[j][1]:
            j += 1
        return j if j < n else None

    i = 0
    while i < n:
        a, b, indent = lines[i]
        if a == b:
            i += 1
            continue
        s = text[a:b]
        # --- a pipe row of "Key: value" cells is a card: one field per cell
        if "|" in s:
            cells = _cells(text, a, b)
            fields = [_field_of(text, c.start, c.end) for c in cells]
            if len(cells) >= 2 and all(f is not None and f.role is None for f in fields):
                blocks.extend(fields)
                i += 1
                continue
        # --- tables: two or more consecutive rows with the same shape
        ncols = _is_table_row(text, a, b)
        if ncols >= 2:
            j, rows, header = i, [], 0
            while j < n and lines[j][0] != lines[j][1]:
                ja, jb, _ = lines[j]
                if _PIPE_RULE_RE.match(text[ja:jb]):
                    header = len(rows)
                    j += 1
                    continue
                k = _is_table_row(text, ja, jb)
                if k < 2 or (rows and abs(k - len(rows[0])) > 1 and "|" not in text[ja:jb]):
                    break
                rows.append(tuple(_cells(text, ja, jb)))
                j += 1
            if len(rows) >= 2 or (len(rows) == 1 and "|" in s and len(rows[0]) >= 3):
                if not header and rows and all(not _NUMERIC_CELL_RE.match(text[c.start:c.end]) for c in rows[0]) \
                        and any(_NUMERIC_CELL_RE.match(text[c.start:c.end]) for r in rows[1:] for c in r):
                    header = 1
                marked = tuple(tuple(Cell(c.start, c.end, header=r_i < header) for c in r)
                               for r_i, r in enumerate(rows))
                end = lines[j - 1][1]
                blocks.append(Block(TABLE, a, end, rows=marked, header=header))
                i = j
                continue
            if len(rows) == 1 and len(rows[0]) == 2 and not _BULLET_RE.match(s):   # "• Track:  text" is an item
                c0, c1 = rows[0]
                blocks.append(Block(FIELD, a, b, key=Span(c0.start, c0.end), value=Span(c1.start, c1.end)))
                i += 1
                continue
        # --- markdown-style headings ("# 1 #1 Lakeside University …" in a run of ranked lines is a ranked item)
        m = _MD_HEADING_RE.match(s)
        if m and not (_RANK_RE.match(s) and _ranked_run(text, lines, i)):
            level = len(m.group("hashes"))
            kind = TITLE if (level == 1 and not title_done) else HEADING
            title_done = True
            blocks.append(Block(kind, a + m.end(), b, level=level))
            i += 1
            continue
        # --- meta lines (byline, dates, breadcrumbs)
        role = meta_role(s)
        if role is not None:
            blocks.append(Block(META, a, b, role=role))
            i += 1
            continue
        # --- list items and ranked lines
        m = _BULLET_RE.match(s)
        if m:
            num = m.group("num") or m.group("pnum")
            f = _field_of(text, a + m.end(), b)
            if f is not None and f.role is None:   # "- Cost: $900 per credit" is a field in a list
                f.level = indent // 2
                blocks.append(f)
            else:
                blocks.append(Block(ITEM, a + m.end(), b, level=indent // 2, ordinal=num))
            i += 1
            continue
        m = _RANK_RE.match(s)
        if m and _ranked_run(text, lines, i):
            blocks.append(Block(ITEM, a + m.end(), b, level=0, ordinal=m.group("num")))
            i += 1
            continue
        # --- fields: "Key: value", stat cards, run-together labels, label line + value line
        f = _field_of(text, a, b)
        if f is not None and not blocks and len(text[f.key.start:f.key.end].split()) >= 4 and f.role is None:
            f = None   # the page's first line "Affordable Online Master's in AI: 2026 Guide" is its title
        if f is not None:
            f.level = indent // 2   # an indented "Key: value" line under a list item sits at the item's depth + 1
            blocks.append(f)
            i += 1
            continue
        j = next_nonblank(i)
        if j is not None and j == i + 1 and _label_line(s) and _value_line(body(j)) and not _value_first_run(j):
            ja, jb, _ = lines[j]
            blocks.append(Block(FIELD, a, jb, key=Span(a, b), value=Span(ja, jb), role="stacked"))
            i = j + 1
            continue
        if j is not None and j == i + 1 and _value_line(s) and _label_line(body(j)) and re.match(r"^[$~≈]?\s?\d", s):
            ja, jb, _ = lines[j]   # a stat card drawn value over label: "36" / "Credits"
            blocks.append(Block(FIELD, a, jb, key=Span(ja, jb), value=Span(a, b), role="stacked"))
            i = j + 1
            continue
        # --- headings and the title
        nxt = len(body(j)) if j is not None else 0
        if _heading_shape(s, nxt):
            if not title_done and not any(bl.kind in (PARAGRAPH, TABLE) for bl in blocks):
                blocks.append(Block(TITLE, a, b, level=0))
                title_done = True
            else:
                blocks.append(Block(HEADING, a, b, level=3 if s.endswith("?") else 2))
            i += 1
            continue
        # --- paragraph: consecutive prose lines of a hard-wrapped page join
        end, k = b, i + 1
        while k < n and lines[k][0] != lines[k][1] and not _TERMINAL_RE.search(text[lines[k - 1][0]:lines[k - 1][1]]) \
                and lines[k][2] == indent and not _BULLET_RE.match(body(k)) and not _MD_HEADING_RE.match(body(k)) \
                and len(text[lines[k - 1][0]:lines[k - 1][1]]) >= 60:
            end = lines[k][1]
            k += 1
        blocks.append(Block(PARAGRAPH, a, end))
        i = k
    return Layout(text=text, blocks=link_sections(nested_fields(text, blocks)), media_type=media_type)


def _ranked_run(text: str, lines: list[tuple[int, int, int]], i: int) -> bool:
    """Line i opens with a number that continues (or starts) a run of at least three numbered lines
    counting up by one: "1 Lakeside University …", "2 Ridgeview College …"."""
    def num(k: int) -> int | None:
        a, b, _ = lines[k]
        m = _RANK_RE.match(text[a:b])
        return int(m.group("num")) if m else None

    nonblank = [k for k in range(max(0, i - 6), min(len(lines), i + 7)) if lines[k][0] != lines[k][1]]
    pos = nonblank.index(i)
    run = 1
    k = pos
    while k + 1 < len(nonblank) and num(nonblank[k]) is not None and num(nonblank[k + 1]) == num(nonblank[k]) + 1:
        run += 1
        k += 1
    k = pos
    while k - 1 >= 0 and num(nonblank[k]) is not None and num(nonblank[k - 1]) == num(nonblank[k]) - 1:
        run += 1
        k -= 1
    return run >= 3
