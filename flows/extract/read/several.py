"""Sentences that name several schools: which part of the sentence each school owns.

A value is read for a school only where the sentence's own structure ties it to that school:
  * a clause that names exactly one school ("Marrowgate waives the GRE, while Quillon State requires it");
  * a list of schools that is a clause's subject ("Lakeside, Ridgeview, and Marlow State all offer fully
    asynchronous delivery", "Wexford and Ashby State both cost less than $33,000");
  * a parenthesised list that is the subject ("Mid-range programs (Ashby, Brisco, Corliss) fall in
    the $50,000-$55,000 range");
  * an amount followed by the school it is for ("from roughly $8,000 at Lakeside to over $70,000 at
    Ridgeview and Marlow State") or a school followed by its amount in parentheses ("Lakeside (~$8,000)").
Anything else in such a sentence has no owner and reads nothing. Pure: spans in, spans out.
"""

from __future__ import annotations

import re

from flows.extract.layout.model import Layout
from flows.extract.model import Fact
from flows.extract.read.facts import money_fact
from flows.extract.read.values import money_in
from flows.extract.registry import Mention
from flows.extract.scope import Names, Scope, distinct

EXTRACTOR = "layout_sentence"

_CLAUSE_RE = re.compile(r";|,\s+(?:while|whereas|but|and|though|although|compared (?:with|to))\s+|"
                        r"\s+(?:whereas|while)\s+|\.\s")
_LIST_SEP_RE = re.compile(r"^(?:['’]s)?\s*(?:,|,?\s*and|&|,?\s*or)\s*$")
_AT_SCHOOL_RE = re.compile(r"^\s*(?:total\s+|in total\s+|in tuition\s+)?(?:at|for|from)\s+(?:the\s+)?$", re.I)


def _scope(m: Mention) -> Scope:
    return Scope(m.text, m.canonical, None, m.start, m.end, "sentence")


def list_runs(text: str, ms: list[Mention]) -> list[list[Mention]]:
    """Runs of two or more mentions joined only by commas / 'and' / 'or' ("A, B, and C")."""
    runs, cur = [], ms[:1]
    for p, q in zip(ms, ms[1:]):
        if _LIST_SEP_RE.match(text[p.end:q.start]):
            cur.append(q)
        else:
            if len(distinct(cur)) >= 2:
                runs.append(cur)
            cur = [q]
    if len(distinct(cur)) >= 2:
        runs.append(cur)
    return runs


def clauses(sent: str, base: int, ms: list[Mention], runs: list[list[Mention]]) -> list[tuple[int, int]]:
    """Clauses of the sentence: split at ';', at ', while / whereas / but / and / though', and at a comma
    right before a school's name, never inside a list of schools."""
    inside = [(r[0].start - base, r[-1].end - base) for r in runs]
    cuts = [(m.start(), m.end()) for m in _CLAUSE_RE.finditer(sent)]
    for m in ms:
        p = m.start - base
        c = re.search(r",\s*$", sent[max(0, p - 3):p])
        if c:
            cuts.append((max(0, p - 3) + c.start(), p))
    out, cur = [], 0
    for x, y in sorted(set(cuts)):
        if x < cur or any(lo <= x < hi for lo, hi in inside):
            continue
        out.append((cur, x))
        cur = y
    out.append((cur, len(sent)))
    return [(x, y) for x, y in out if sent[x:y].strip()]


def owned_parts(layout: Layout, a: int, sent: str, names: Names) -> list[tuple[int, int, Scope]]:
    """(start, end, owner) of every part of ``sent`` (at ``a`` in the text) that one school or a list of
    schools owns; offsets relative to the sentence."""
    text = layout.text
    ms = names.within(a, a + len(sent))
    runs = list_runs(text, ms)
    out: list[tuple[int, int, Scope]] = []
    for x, y in clauses(sent, a, ms, runs):
        cms = [m for m in ms if a + x <= m.start and m.end <= a + y]
        d = distinct(cms)
        if len(d) == 1:
            out.append((x, y, _scope(d[0])))
            continue
        # a list of schools opening the clause (optionally in parentheses after a lead noun) is its subject
        for run in runs:
            r0, r1 = run[0].start - a, run[-1].end - a
            if not (x <= r0 and r1 <= y) or {m.canonical for m in cms} != {m.canonical for m in run}:
                continue
            lead = sent[x:r0]
            if lead.strip(" \t\"“") and not re.fullmatch(r"\s*(?:[\w-]+\s+){0,3}\(\s*", lead):
                continue
            tail = r1 + 1 if sent[r1:r1 + 1] == ")" else r1
            out.extend((tail, y, _scope(m)) for m in distinct(run))
    return [_strip(sent, x, y, o) for x, y, o in out if sent[x:y].strip()]


def _strip(sent: str, x: int, y: int, o: Scope) -> tuple[int, int, Scope]:
    """Trim the part to its words, so a quote never starts or ends with a space."""
    while x < y and sent[x].isspace():
        x += 1
    while y > x and sent[y - 1].isspace():
        y -= 1
    return x, y, o


def amounts_at_schools(layout: Layout, a: int, sent: str, names: Names, priced: bool) -> list[Fact]:
    """Amounts tied to a school by position: "$9,000 at Alderwick University", "over $70,000 at Ridgeview and
    Marlow State" (the amount is each listed school's), "Lakeside (~$8,000)"."""
    from flows.extract.read.sentences import _not_a_price   # the one judge of what is a price

    out: list[Fact] = []
    if not priced:
        return out
    text = layout.text
    ms = names.within(a, a + len(sent))
    for m in money_in(sent):
        if _not_a_price(sent, m):
            continue
        owners: list[Mention] = []
        nxt = [n for n in ms if n.start >= a + m.end]
        if nxt and _AT_SCHOOL_RE.match(text[a + m.end:nxt[0].start]):
            owners = [nxt[0]]
            for p, q in zip(nxt, nxt[1:]):
                if not _LIST_SEP_RE.match(text[p.end:q.start]):
                    break
                owners.append(q)
        prev = [n for n in ms if n.end <= a + m.start]
        if not owners and prev and re.fullmatch(r"\s*\(\s*", text[prev[-1].end:a + m.start]) \
                and sent[m.end:m.end + 1] == ")":
            owners = [prev[-1]]
        for o in distinct(owners):
            f = money_fact(_scope(o), m, m.unit, a + m.start, a + m.end, EXTRACTOR)
            if f:
                out.append(f)
    return out
