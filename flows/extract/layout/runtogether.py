"""Tables whose cells ran together when a page became text, with nothing between them:

    UniversityDegree TitleML Core CoursesCreditsTuition (Approx.)GRE RequiredFormat
    Lakeside UniversityM.S. in Data Science2-436~$18,500NoFully Online

The one place of the document model that decides a run of lines is such a table and splits it into cells,
for every builder (plain text, Markdown, HTML: ``with_run_together_tables``, applied by
flows.extract.layout.build to whatever layout the builder made; the builders make none of their own). A
TABLE block with role ``run_together`` is one of two shapes, decided here:

- split: a header line the column vocabulary (flows.extract.layout.columns) splits into the columns of a
  program or career table, then every row after it that splits by each column's type and plausible range
  (2-4 courses + 36 credits, not 2-43 + 6; per-credit x credits within a tolerance of the total). The header
  row has one cell per column, every row one cell per column (a cell that equally good splits disagree on
  is empty, so nothing is read from it rather than a guess);
- unsplit: two or more consecutive lines whose words ran together at two or more places each (``_glued``)
  where no such header splits them (an unknown header, "RankProgramInstitutionCostScoreProfile", or catalog
  lines "AI 5100Foundations of Intelligent Systems4"): one cell per row, the first line the header row.

flows.extract.read.tables reads both (the split one by its columns, the unsplit one by the typed spans in
each row). Pure: text in, blocks out.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flows.extract.layout.columns import header_vocab, table_group
from flows.extract.layout.model import PARAGRAPH, TABLE, Block, Cell, Layout, link_sections
from flows.extract.registry import load_registry
from flows.extract.text import line_spans
from flows.extract.values import (
    DEGREE_START_RE, TOTAL_UNITS, MoneySpan, find_money, load_columns, parse_count, parse_credits,
)

ROLE = "run_together"
_TYPED = {"ml_core_courses", "credits", "tuition", "tuition_per_credit", "gre_policy", "salary", "growth_outlook",
          "duration"}


def _is_boundary(line: str, i: int) -> bool:
    if i <= 0 or i >= len(line):
        return False
    p, c = line[i - 1], line[i]
    if c == " " or p == " ":
        return False
    if (p.islower() or p in ").%?!]") and c.isupper():
        return True
    if p.isupper() and c.isupper() and i + 1 < len(line) and line[i + 1].islower() and i >= 2 \
            and line[i - 2].isupper():
        return True  # "...in AIOnline": an acronym run into a capitalised word
    if (p.isalpha() or p in ")]") and (c.isdigit() or c in "$~"):
        return True
    if (p.isdigit() or p in "+%") and c.isalpha():
        return True
    return False


@lru_cache(maxsize=1)
def _lower_vocab() -> tuple[tuple[str, str], ...]:
    return tuple((phrase.lower(), kind) for phrase, kind, _ in header_vocab())


def segment_header(line: str) -> list[tuple[str, int, int]] | None:
    """Split a run-together header line into (kind, start, end) column segments by the vocabulary."""
    n = len(line)
    low = line.lower()
    # a header names at least two columns of the vocabulary; most lines name none (cheap test first)
    vocab = [(p, kind) for p, kind in _lower_vocab() if p in low]
    if len(vocab) < 2:
        return None
    boundaries = [i for i in range(1, n) if _is_boundary(line, i)] + [n]
    INF = (10**9, 0)
    best: list[tuple[int, int]] = [INF] * (n + 1)
    back: list[tuple[int, str] | None] = [None] * (n + 1)
    best[n] = (0, 0)
    for i in range(n - 1, -1, -1):
        if line[i] == " ":
            if best[i + 1] != INF:
                best[i], back[i] = best[i + 1], (i + 1, "")
            continue
        options = []
        for phrase, kind in vocab:
            j = i + len(phrase)
            if low.startswith(phrase, i) and (j == n or not line[j].islower() or line[j - 1] == ")"):
                if j < n and line[j].isalnum() and line[j - 1].isalnum() and not _is_boundary(line, j) \
                        and not line[j].isupper():
                    continue
                options.append((j, kind, 0))
        for j in boundaries:
            if j > i:
                options.append((j, "?", j - i))
                break
        # an unknown word before a known phrase ("Projected Total Cost" when only "Total Cost" is known)
        sp = line.find(" ", i)
        if 0 <= sp < n - 1 and line[sp + 1] != " ":
            options.append((sp + 1, "?", sp + 1 - i))
        for j, kind, cost in options:
            if best[j] == INF:
                continue
            c = (best[j][0] + cost, best[j][1] + 1)
            if c < best[i]:
                best[i], back[i] = c, (j, kind)
    if best[0] == INF:
        return None
    segs, i = [], 0
    while i < n and back[i] is not None:
        j, kind = back[i]
        if kind:
            segs.append((None if kind == "?" else kind, i, j))
        i = j
    unknown = sum(e - s for k, s, e in segs if k is None)
    if unknown > 0.25 * len(line.strip()):
        return None
    # an unknown leading word joined by a space to a known phrase qualifies it ("Projected Total Cost")
    merged: list[tuple[str | None, int, int]] = []
    for k, s, e in reversed(segs):
        if k is None and merged and merged[0][0] and line[e - 1:e] == " " and merged[0][1] == e:
            merged[0] = (merged[0][0], s, merged[0][2])
        else:
            merged.insert(0, (k, s, e))
    return [(k or "other", s, e) for k, s, e in merged]



def _typed_ends(kind: str, line: str, pos: int) -> list[int]:
    rest = line[pos:]
    ends: list[int] = []
    if kind == "ml_core_courses":
        for n1 in (1, 2):
            a = rest[:n1]
            if len(a) < n1 or not a.isdigit():
                continue
            k = n1
            if rest[k:k + 1] == "+":
                ends.append(pos + k + 1)
            if rest[k:k + 1] in ("-", "–"):
                for n2 in (1, 2):
                    b = rest[k + 1:k + 1 + n2]
                    if len(b) == n2 and b.isdigit():
                        ends.append(pos + k + 1 + n2)
            ends.append(pos + k)
        ends = [e for e in ends if parse_count(line[pos:e])]
    elif kind == "credits":
        for w in sorted(load_columns()["variable_credits"], key=len, reverse=True):
            if rest.lower().startswith(w.lower()):
                ends.append(pos + len(w))
        for e in range(1, 9):
            got = parse_credits(rest[:e], plausible=True)
            if got and got[1] is not None:
                ends.append(pos + e)
    elif kind in ("tuition", "tuition_per_credit", "salary"):
        spans = find_money(rest[:60])
        if spans and spans[0].start == 0:
            e = spans[0].end
            tail = re.match(r"\s?(?:total|per year|/year|/yr|annually)\b", rest[e:])
            ends.append(pos + e + (tail.end() if tail else 0))
            if tail:
                ends.append(pos + e)
    elif kind in ("gre_policy", "growth_outlook"):
        cols = load_columns()
        words = [w for ws in cols["gre_values"].values() for w in ws] if kind == "gre_policy" else cols["growth_values"]
        for w in sorted(set(words), key=len, reverse=True):
            e = pos + len(w)
            if rest.lower().startswith(w.lower()) and (e >= len(line) or not line[e].islower()):
                ends.append(e)
    elif kind == "duration":
        m = _duration_re().match(rest)
        if m:
            ends.append(pos + m.end())
    for w in ("N/A", "—", "-"):
        if rest.startswith(w) and kind != "credits" or (kind == "credits" and rest.startswith("N/A")):
            ends.append(pos + len(w))
    return sorted(set(ends))


@lru_cache(maxsize=1)
def _duration_re() -> re.Pattern[str]:
    cols = load_columns()
    units = sorted(cols.get("duration_units") or [], key=len, reverse=True)
    words = sorted(cols.get("duration_words") or [], key=len, reverse=True)
    return re.compile(
        r"(?:[1-9]\d?(?:\.\d)?(?:\s?(?:[-–]|to)\s?[1-9]\d?(?:\.\d)?)?\+?\s?(?:" + "|".join(map(re.escape, units)) + r")\.?"
        r"(?:\s(?:part[- ]time|full[- ]time))?(?!(?-i:[a-z])))"
        + ("|(?:" + "|".join(map(re.escape, words)) + r")(?!(?-i:[a-z]))" if words else ""), re.IGNORECASE)


def _text_score(kind: str, cell: str) -> float:
    reg = load_registry()
    if not cell.strip() or not any(ch.isalnum() for ch in cell):
        return -100.0
    if kind == "university":
        s = 0.0
        hits = reg.find(cell)
        if reg.looks_like_institution(cell) or (hits and hits[0].start == 0):
            s += 2.0
        if DEGREE_START_RE.match(cell) and not (hits and hits[0].start == 0):
            s -= 1.0
        if "$" in cell or re.search(r"\d", cell):
            s -= 2.0
        return s
    if kind == "degree_title":
        return 2.0 if DEGREE_START_RE.match(cell) else -1.0
    if kind == "delivery_format":
        words = load_columns()["format_words"]
        return 1.5 if any(w in cell.lower() for w in words) else -0.5
    if kind == "role":
        return -2.0 if "$" in cell else 0.0
    return 0.0


#: consecutive columns whose digits may run together ("$5203618720"): split by value, not by characters
_SPLIT_GROUP = ("tuition_per_credit", "credits", "tuition")


@lru_cache(maxsize=1)
def _split_settings() -> tuple[dict, float]:
    cols = load_columns()
    return dict(cols.get("split_ranges") or {}), float(cols.get("split_consistency_tolerance") or 0.05)


def _group_cell_cands(kind: str, line: str, pos: int, bare: bool = False) -> list[tuple[int, float | None]]:
    """(end, value) candidates for one cell inside a run of per-credit / credits / total columns.

    A money cell whose amount ends in a plain digit run (no thousands commas) may end after any of
    those digits whose value lies in the column's plausible range; a comma-formatted amount ends
    where its formatting ends. A credit count never starts with 0."""
    rest = line[pos:]
    if kind == "credits":
        out = []
        lo_hi = _split_settings()[0].get("credits")
        for e in _typed_ends("credits", line, pos):
            c = parse_credits(line[pos:e], plausible=True)
            if c and c[1] is not None and rest[:1] == "0":
                continue
            if c and c[1] is not None and lo_hi and not float(lo_hi[0]) <= c[1] <= float(lo_hi[1]):
                continue
            out.append((e, c[1] if c and c[1] is not None and c[1] == c[2] else None))
        return out
    spans = find_money(rest[:60])
    if (not spans or spans[0].start != 0) and bare:
        # "...$52036 18720": after a '$'-led cell of the run, a total may be written without its '$'
        b = re.match(r"\d{1,3}(?:,\d{3})+|\d+", rest)
        spans = [MoneySpan(0, b.end(), float(b.group().replace(",", "")), float(b.group().replace(",", "")),
                           "exact", None)] if b and rest[0] != "0" else []
    if not spans or spans[0].start != 0:
        return [(e, None) for e in _typed_ends(kind, line, pos)]
    m = spans[0]
    whole = m.low if (m.low is not None and m.low == m.high) else None
    tail = re.search(r"(?<![\d,.])(\d+)$", rest[:m.end])
    if tail is None or m.unit not in TOTAL_UNITS or m.qualifier not in ("exact", "approx") or len(tail.group(1)) < 2:
        return [(e, whole) for e in _typed_ends(kind, line, pos)] if rest[:1] != "0" and not rest[:1].isdigit() \
            else [(pos + m.end, whole)]
    lo_hi = _split_settings()[0].get(kind)
    digits, d0 = tail.group(1), tail.start(1)
    out = []
    for k in range(1, len(digits) + 1):
        v = float(digits[:k])
        if lo_hi and not float(lo_hi[0]) <= v <= float(lo_hi[1]):
            continue
        out.append((pos + d0 + k, v))
    return out or [(e, whole) for e in _typed_ends(kind, line, pos)]


def _group_assignments(line: str, kinds: tuple[str, ...], pos: int, must_end: bool
                       ) -> list[tuple[float, list[tuple[int, int]]]]:
    """Every split of a run of numeric columns starting at ``pos``: (score, cell spans).

    Score: +2 when per-credit x credits is within the tolerance of the total; +0.1 for each cell
    boundary that does not cut between two digits (comma-formatted or '$'-led cells)."""
    n = len(line)
    tol = _split_settings()[1]
    out: list[tuple[float, list[tuple[int, int]]]] = []

    def rec(i: int, p: int, acc: list[tuple[int, int, float | None]]) -> None:
        if len(out) > 200:
            return
        if i == len(kinds):
            vals = {k: v for k, (_, _, v) in zip(kinds, acc)}
            score = 0.0
            pc, cr, tot = vals.get("tuition_per_credit"), vals.get("credits"), vals.get("tuition")
            if pc and cr and tot and abs(pc * cr - tot) <= tol * tot:
                score += 2.0
            for _, e, _ in acc[:-1]:
                if not (line[e - 1:e].isdigit() and line[e:e + 1].isdigit()):
                    score += 0.1
            out.append((score, [(a, b) for a, b, _ in acc]))
            return
        lastcell = i == len(kinds) - 1
        for e, v in _group_cell_cands(kinds[i], line, p, bare=i > 0 and "$" in line[pos:p]):
            if lastcell and must_end and line[e:].strip():
                continue
            nxt = e
            while nxt < n and line[nxt] == " ":
                nxt += 1
            if not lastcell and nxt >= n:
                continue
            rec(i + 1, nxt, acc + [(p, e, v)])

    rec(0, pos, [])
    return out


def _group_choices(line: str, kinds: tuple[str, ...], pos: int, must_end: bool
                   ) -> dict[int, tuple[float, list[list[tuple[int, int]]]]]:
    """Per end of the run: the best score and every split reaching it (equally good ones included)."""
    by_end: dict[int, list[tuple[float, list[tuple[int, int]]]]] = {}
    for sc, spans in _group_assignments(line, kinds, pos, must_end):
        by_end.setdefault(spans[-1][1], []).append((sc, spans))
    out = {}
    for e, alts in by_end.items():
        top = max(sc for sc, _ in alts)
        out[e] = (top, [sp for sc, sp in alts if sc >= top - 1e-6])
    return out


_MAX_ALTS = 6


def _keep(best, score: float, lists: list[list[tuple[int, int]]]):
    """Fold a candidate (score, span lists) into ``best``, keeping every equally good split."""
    if best is None or score > best[0] + 1e-6:
        return (score, lists[:_MAX_ALTS])
    if score >= best[0] - 1e-6:
        merged = best[1] + [x for x in lists if x not in best[1]]
        return (best[0], merged[:_MAX_ALTS])
    return best


def split_flat_row(line: str, kinds: tuple[str, ...]) -> list[tuple[int, int]] | None:
    """Cell spans of a run-together row for the given column kinds; None when it does not fit.

    Cells of a run of per-credit / credits / total columns on which equally good splits of the row
    disagree come back empty (start == end): nothing is read from them rather than a guess."""
    n = len(line)
    bounds = [i for i in range(1, n) if _is_boundary(line, i)]
    memo: dict[tuple[int, int], tuple[float, list[list[tuple[int, int]]]] | None] = {}
    grouped: set[int] = set()

    def solve(ci: int, pos: int):
        key = (ci, pos)
        if key in memo:
            return memo[key]
        kind = kinds[ci]
        last = ci == len(kinds) - 1
        cj = ci
        while cj + 1 < len(kinds) and kinds[cj + 1] in _SPLIT_GROUP and kind in _SPLIT_GROUP:
            cj += 1
        if cj > ci:
            grouped.update(range(ci, cj + 1))
            best = None
            glast = cj == len(kinds) - 1
            for e, (sc, lists) in _group_choices(line, kinds[ci:cj + 1], pos, glast).items():
                if not (line[e - 1:e].isdigit() and line[e:e + 1].isdigit()):
                    sc += 0.1  # the run ends where its digits do: "$71536Online", not "$71|53" + "6Online"
                if glast:
                    best = _keep(best, sc, lists)
                    continue
                nxt_pos = e
                while nxt_pos < n and line[nxt_pos] == " ":
                    nxt_pos += 1
                sub = solve(cj + 1, nxt_pos) if nxt_pos < n else None
                if sub is None:
                    continue
                best = _keep(best, sc + sub[0], [g + r for g in lists for r in sub[1]])
            memo[key] = best
            return best
        cands: list[tuple[int, float]] = []
        if kind in _TYPED:
            for e in _typed_ends(kind, line, pos):
                if last and line[e:].strip():
                    continue
                cands.append((e, 0.0))
        if kind == "duration" and not cands:
            # an unusual duration ("two years part-time"): any text, at a cost
            if last:
                cands.append((n, -1.0))
            else:
                cands.extend((b, -1.0 - 0.3 * k) for k, b in enumerate(b for b in bounds if b > pos))
        elif kind in _TYPED:
            pass
        else:
            if last:
                cands.append((n, _text_score(kind, line[pos:n])))
            else:
                skipped = 0
                for b in bounds:
                    if b <= pos:
                        continue
                    cands.append((b, _text_score(kind, line[pos:b]) - 0.3 * skipped))
                    skipped += 1
        best = None
        for e, sc in cands:
            if last:
                best = _keep(best, sc, [[(pos, e)]])
                continue
            nxt_pos = e
            while nxt_pos < n and line[nxt_pos] == " ":
                nxt_pos += 1
            sub = solve(ci + 1, nxt_pos) if nxt_pos < n else None
            if sub is None:
                continue
            best = _keep(best, sc + sub[0], [[(pos, e)] + r for r in sub[1]])
        memo[key] = best
        return best

    if not kinds or not line.strip():
        return None
    start = len(line) - len(line.lstrip())
    got = solve(0, start)
    if got is None or got[0] < -50:
        return None
    spans = list(got[1][0])
    for ci in grouped:
        if ci < len(spans) and len({alt[ci] for alt in got[1]}) > 1:
            spans[ci] = (spans[ci][0], spans[ci][0])
    return spans


# ---------------------------------------------------------------- tables

def header_kinds(line: str) -> tuple[str, ...] | None:
    """Column kinds of a run-together header line, when it is the header of a program or career table."""
    if not line.strip() or len(line.strip()) > 250 or "|" in line or "\t" in line or "$" in line:
        return None
    segs = segment_header(line)
    if not segs or len(segs) < 3:
        return None
    kinds = tuple(k for k, _, _ in segs)
    group = table_group(list(kinds))
    if group and len(set(kinds)) == len(kinds) or (group and kinds.count("other") > 1
                                                     and len(set(kinds)) == len(kinds) - kinds.count("other") + 1):
        return kinds
    return None


def run_together_tables(text: str) -> list[Block]:
    """Every run-together table of ``text`` as a TABLE block: split into columns under a header the
    vocabulary splits (``_split_table``), else one cell per row (``_unsplit_table``)."""
    return [Block(TABLE, b.start, b.end, rows=b.rows, header=b.header, role=b.role) for b in _tables(text)]


@lru_cache(maxsize=8)
def _tables(text: str) -> tuple[Block, ...]:
    """The blocks for the last few texts; callers get fresh copies, as a layout sets its blocks' parents."""
    lines = line_spans(text)
    out: list[Block] = []
    i = 0
    while i < len(lines):
        t = _split_table(text, lines, i) or _unsplit_table(text, lines, i)
        if t is None:
            i += 1
            continue
        out.append(t[0])
        i = t[1]
    return tuple(out)


def _split_table(text: str, lines: list[tuple[int, int]], i: int) -> tuple[Block, int] | None:
    """The table whose header is line ``i`` when the column vocabulary splits it, with every row split into
    cells by the columns' types (blank lines between rows are skipped; one odd row does not end the table
    when the next non-blank line is a row again); the table and the index of the line after it."""
    s, e = lines[i]
    kinds = header_kinds(text[s:e]) if len(text[s:e].strip()) < 400 else None
    if not kinds:
        return None
    rows: list[tuple[Cell, ...]] = []
    j = i + 1
    while j < len(lines):
        rs, re_ = lines[j]
        row = text[rs:re_]
        if not row.strip():
            j += 1
            continue
        cells = split_flat_row(row, kinds) if len(row) < 600 else None
        if cells is None:
            nxt = next((k for k in range(j + 1, min(len(lines), j + 3)) if text[lines[k][0]:lines[k][1]].strip()),
                       None)
            if nxt is not None and rows and split_flat_row(text[lines[nxt][0]:lines[nxt][1]], kinds):
                j += 1
                continue
            break
        rows.append(tuple(Cell(rs + a, rs + b) for a, b in cells))
        j += 1
    if not rows:
        return None
    line = text[s:e]
    head = tuple(Cell(*_trimmed(text, s + a, s + b), header=True) for _, a, b in segment_header(line))
    end = max(c.end for c in rows[-1])
    return Block(TABLE, head[0].start, end, rows=(head, *rows), header=1, role=ROLE), j


def _unsplit_table(text: str, lines: list[tuple[int, int]], i: int) -> tuple[Block, int] | None:
    """Two or more consecutive lines from ``i`` on whose words ran together (``_glued``) under a header no
    vocabulary splits: one cell per row, the first line the header row; the table and the next line's index."""
    j = i
    while j < len(lines) and _glued(text[lines[j][0]:lines[j][1]].strip()):
        j += 1
    if j - i < 2:
        return None
    rows = tuple((Cell(*_trimmed(text, *lines[k]), header=k == i),) for k in range(i, j))
    return Block(TABLE, rows[0][0].start, rows[-1][0].end, rows=rows, header=1, role=ROLE), j


def _trimmed(text: str, s: int, e: int) -> tuple[int, int]:
    """(start, end) of the line [s, e) without its leading and trailing whitespace."""
    return s + len(text[s:e]) - len(text[s:e].lstrip()), s + len(text[s:e].rstrip())


#: where two cells of a flattened table row ran together: "Tech$4,250", "(Async)Leader", "TitleML"
_GLUE_RE = re.compile(r"[a-z)%+][A-Z$~]|\d[A-Z][a-z]|[a-z]\d")
#: a line with a cell separator (tab, pipes, two or more spaces) is an ordinary table row, not a run-together one
_SEPARATED_RE = re.compile(r"\t|\|.*\||\S\s{2,}\S")


def _glued(s: str) -> bool:
    """A line whose words ran into each other at two or more places, with no cell separator, that is not a
    sentence."""
    return len(_GLUE_RE.findall(s)) >= 2 and not _SEPARATED_RE.search(s) \
        and not re.search(r"[a-z]{3,}\.\s+[A-Z]", s) and len(s) <= 400


def with_run_together_tables(layout: Layout) -> Layout:
    """The layout with its run-together tables: the blocks a builder made of those lines (paragraphs,
    headings, fields) give way to the table; a paragraph that runs into it keeps its own part."""
    tables = run_together_tables(layout.text)
    if not tables:
        return layout
    text = layout.text
    blocks: list[Block] = []
    pending = list(tables)
    for b in layout.blocks:
        while pending and pending[0].start < b.start and not (b.start < pending[0].end and pending[0].start < b.end):
            blocks.append(pending.pop(0))
        over = [t for t in tables if b.start < t.end and t.start < b.end]
        if not over:
            blocks.append(b)
            continue
        t = over[0]
        if b.kind == PARAGRAPH and b.start < t.start:
            end = len(text[:t.start].rstrip())
            if end > b.start:
                blocks.append(Block(PARAGRAPH, b.start, end, level=b.level))
        if pending and pending[0] is t:
            blocks.append(pending.pop(0))
        last = over[-1]
        if b.kind == PARAGRAPH and b.end > last.end:
            start = last.end + len(text[last.end:b.end]) - len(text[last.end:b.end].lstrip())
            if start < b.end:
                blocks.append(Block(PARAGRAPH, start, b.end, level=b.level))
    blocks.extend(pending)
    return Layout(text=layout.text, blocks=link_sections(blocks), offsets=layout.offsets,
                  media_type=layout.media_type, title=layout.title)
