"""Fee tables on a school's tuition page: one row per charge, the charge named in the first cell.

    | Item                        | Rate             | Program total |
    | Tuition (30 credits)        | $640 per credit  | $19,200       |
    | Technology fee              | $35 per credit   | $1,050        |
    | Estimated total cost        |                  | $20,400       |

Rows are classed by their label (reference data, schemas/reference/columns.yaml ``fee_table``):
a tuition row gives ``tuition_per_credit`` (a per-credit cell) and ``tuition`` (a total cell), and a
credit count written in its label ("Tuition (30 credits)"); a credits row gives ``credits``; a fee row
(technology, application, graduation fee ...) gives nothing -- fees are never tuition; a "total cost"
row gives ``tuition`` only when no tuition row states a total (a total that adds fees is not the
tuition when the tuition itself is stated). Cells under per-term / per-year headers are not totals.

The school and degree come from the nearest program heading above, else the page's title lines.
Two-cell ``| Key | value |`` rows are read by flows.extract.cards, not here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flows.extract.model import Fact
from flows.extract.money import TOTAL_UNITS, find_money, load_columns, money_text, parse_money_cell
from flows.extract.layout.tables import table_spans
from flows.extract.values import parse_credits
from flows.extract.text import line_spans

EXTRACTOR = "fee_table"

_CREDITS_IN_LABEL_RE = re.compile(r"\b(?P<n>\d{1,3})\s*(?:credit[- ]hours?|credits?|units|semester[- ]hours?)\b",
                                  re.IGNORECASE)


def _delimited_cells(text: str, s: int, e: int, sep: str) -> list[tuple[int, int]] | None:
    line = text[s:e]
    if line.count(sep) < (2 if sep == "|" else 1):
        return None
    cells, cur = [], 0
    parts = line.split(sep)
    for p in parts:
        cells.append((s + cur, s + cur + len(p)))
        cur += len(p) + 1
    if sep == "|":
        if not line.strip().startswith("|") and not line.strip().endswith("|") and line.count("|") < 2:
            return None
        if cells and not text[cells[0][0]:cells[0][1]].strip():
            cells = cells[1:]
        if cells and not text[cells[-1][0]:cells[-1][1]].strip():
            cells = cells[:-1]
    return cells


def _is_separator(line: str) -> bool:
    return bool(re.fullmatch(r"\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*", line))


@lru_cache(maxsize=1)
def _vocab() -> dict[str, re.Pattern[str]]:
    v = load_columns().get("fee_table") or {}
    return {k: re.compile(r"\b(?:" + "|".join(v.get(k) or ["(?!)"]) + r")\b", re.IGNORECASE)
            for k in ("fee", "tuition", "total", "credits", "per_credit_header", "period_header")}


def row_class(label: str) -> str | None:
    """'fee' | 'tuition' | 'total' | 'credits' | None for a fee-table row label."""
    v = _vocab()
    if v["fee"].search(label):
        return "fee"
    if v["tuition"].search(label):
        return "tuition"
    if v["total"].search(label):
        return "total"
    if v["credits"].search(label):
        return "credits"
    return None


def _blocks(text: str) -> list[list[list[tuple[int, int]]]]:
    """Runs of consecutive pipe rows with three or more cells (separator lines skipped); each row's cells
    are preceded by its whole line span."""
    out, cur = [], []
    for s, e in line_spans(text):
        line = text[s:e]
        if "|" not in line:
            cells = None
        elif _is_separator(line) and cur:
            continue
        else:
            cells = _delimited_cells(text, s, e, "|") if line.lstrip().startswith("|") else None
        if cells and len(cells) >= 3:
            cur.append([(s, e)] + cells)
            continue
        if cur:
            out.append(cur)
        cur = []
    if cur:
        out.append(cur)
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in " *_":
        a += 1
    while b > a and text[b - 1] in " *_":
        b -= 1
    return a, b


def fee_table_spans(text: str) -> list[tuple[int, int]]:
    """Line spans of the fee tables (so prose does not read their rows as sentences)."""
    out = []
    for block in _blocks(text):
        if _is_fee_table(text, [row[1:] for row in block]):
            out.extend(row[0] for row in block)
    return out


def _is_fee_table(text: str, block: list[list[tuple[int, int]]]) -> bool:
    classes = [row_class(text[slice(*_trim(text, *row[0]))]) for row in block]
    money_rows = sum(1 for row in block if any(find_money(text[a:b]) for a, b in row[1:]))
    return money_rows >= 2 and sum(c in ("tuition", "total", "fee") for c in classes) >= 2 and "tuition" in classes \
        or money_rows >= 2 and classes.count("fee") >= 1 and "total" in classes


def _column_roles(text: str, header: list[tuple[int, int]] | None, n: int) -> list[str]:
    """Per column: 'per_credit' | 'period' (per term/year: never a total) | 'any'."""
    v = _vocab()
    roles = ["any"] * n
    if header:
        for k, (a, b) in enumerate(header[:n]):
            h = text[a:b]
            if v["per_credit_header"].search(h):
                roles[k] = "per_credit"
            elif v["period_header"].search(h):
                roles[k] = "period"
    return roles


def fee_table_facts(text: str, block: list[list[tuple[int, int]]], subject: str, degree: str | None) -> list[Fact]:
    def fact(attr: str, value: str, s: int, e: int, **kw) -> Fact:
        return Fact("program", subject, attr, value, s, e, EXTRACTOR, degree=degree, **kw)

    header = block[0] if not any(find_money(text[a:b]) for a, b in block[0][1:]) else None
    rows = block[1:] if header else block
    roles = _column_roles(text, header, max(len(r) for r in block))
    facts: list[Fact] = []
    totals: dict[str, list[Fact]] = {"tuition": [], "total": []}
    for row in rows:
        la, lb = _trim(text, *row[0])
        cls = row_class(text[la:lb])
        if cls in (None, "fee"):
            continue
        if cls == "credits":
            for k, (a, b) in enumerate(row[1:], start=1):
                a, b = _trim(text, a, b)
                c = parse_credits(text[a:b])
                if c and c[1] is not None:
                    facts.append(fact("credits", c[0], a, b, value_num=c[1], value_num_high=c[2], qualifier=c[3]))
                    break
            continue
        if cls == "tuition":
            g = _CREDITS_IN_LABEL_RE.search(text, la, lb)
            if g:
                n = float(g.group("n"))
                facts.append(fact("credits", g.group("n"), g.start(), g.end(), value_num=n,
                                  value_num_high=n, qualifier="exact"))
        for k, (a, b) in enumerate(row[1:], start=1):
            a, b = _trim(text, a, b)
            m = parse_money_cell(text[a:b])
            if not m or m.unit not in (*TOTAL_UNITS, "credit"):
                continue
            role = roles[k] if k < len(roles) else "any"
            if m.unit == "credit" or role == "per_credit":
                if cls == "tuition":
                    facts.append(fact("tuition_per_credit", money_text(m.low, m.high, m.qualifier), a + m.start,
                                      a + m.end, value_num=m.low, value_num_high=m.high, qualifier=m.qualifier))
                continue
            if role == "period" or re.search(r"\bper\b|/\s*(?:term|semester|year|course)", text[a + m.end:b], re.I):
                continue
            totals[cls].append(fact("tuition", money_text(m.low, m.high, m.qualifier), a + m.start, a + m.end,
                                    value_num=m.low, value_num_high=m.high, qualifier=m.qualifier))
    facts.extend(totals["tuition"] or totals["total"])
    return facts


def extract_fee_tables(text: str, school_for) -> list[Fact]:
    """Program facts of the fee tables in ``text``; ``school_for(line_index)`` gives (subject, start, end,
    degree) for a table starting on that line, or None."""
    if not text:
        return []
    blocks = [(b[0][0][0], [row[1:] for row in b]) for b in _blocks(text)]
    blocks = [(first, b) for first, b in blocks if _is_fee_table(text, b)]
    if not blocks:
        return []
    claimed = table_spans(text)  # a program table (School | Credits | Tuition ...) is not a fee table
    lines = line_spans(text)
    starts = {s: i for i, (s, _e) in enumerate(lines)}
    facts: list[Fact] = []
    for first, block in blocks:
        if any(a <= first < b for a, b in claimed):
            continue
        who = school_for(starts[first])
        if not who:
            continue
        subject, a, b, degree = who
        got = fee_table_facts(text, block, subject, degree)
        if got:
            facts.append(Fact("program", subject, "mention", text[a:b], a, b, EXTRACTOR, degree=degree))
            facts.extend(got)
    return facts
