"""Careers: tables with a role column, and careers stated outside tables (role items, role headings, sentences
naming a role's pay). Every fact spans its own value (the salary's amount, each skill of a comma-separated
list), so ``quote == text[start:end]``.

* Tables: a role column with salary, growth or skills columns (header words name them: a role is only text,
  so the header says which column it is). One career per row.
* A list item or a field whose label is a role: ``Robotics Engineer: $98,000–$141,000 median salary; steady
  growth`` (a FIELD keyed by the role), ``Data Analyst — median pay $71,300; 12% projected growth`` (an ITEM
  opening with the role), with optional ``Key skills: ...`` / ``Outlook: ...`` pieces.
* A heading that is a role (``### Robotics Engineer``): the blocks of its section (``Block.parent``) such as
  ``Average salary: $120,000``, ``Job outlook: Strong`` and ``Key skills: ROS, C++`` are that role's; so are
  the deeper items and fields under a list item that is only a role.
* Sentences naming one role and its pay: "robotics engineers earn a median salary of $101,000", "speech
  scientists are paid above $140,000" (open-ended), "data analysts typically make between $60,000 and $85,000".

A figure is a salary only when a pay word is near it (a role list in a careers context may omit it), when it
is a plausible annual amount, and when no tuition/fee/bonus/comparison word sits right around it. Role names:
flows.extract.read.roles. Tables are read by flows.extract.read.tables, which calls ``career_rows``.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from flows.extract.layout.model import FIELD, HEADING, ITEM, PARAGRAPH, TITLE, Layout
from flows.extract.model import Fact
from flows.extract.read.cells import career_cell_facts, is_empty_cell
from flows.extract.read.roles import RoleMention, Vocab, find_roles, role_title, vocab
from flows.extract.text import sentences
from flows.extract.values import MoneySpan, find_money, money_text

EXTRACTOR = "layout_career"


def career_rows(layout: Layout, body, kinds: tuple[str, ...], extractor: str) -> list[Fact]:
    text = layout.text
    if "role" not in kinds:
        return []
    ri = kinds.index("role")
    out: list[Fact] = []
    for r in body:
        if len(r) <= ri:
            continue
        a, b = r[ri].start, r[ri].end
        while a < b and text[a] in " \t*_":
            a += 1
        while b > a and text[b - 1] in " \t*_":
            b -= 1
        role = text[a:b]
        if not role or is_empty_cell(role) or "$" in role or len(role) > 90:
            continue
        for kind, c in zip(kinds, r):
            if kind in ("salary", "growth_outlook", "key_skills"):
                out.extend(career_cell_facts(kind, text, c.start, c.end, role, extractor))
    return out


# ---------------------------------------------------------------- figures

def _clause_start(text: str, lo: int, pos: int, v: Vocab) -> int:
    seg = text[lo:pos].lower()
    best = lo
    for b in v.breaks:
        i = seg.rfind(b)
        if i >= 0:
            best = max(best, lo + i + len(b))
    return best


def _clause_end(text: str, pos: int, hi: int, v: Vocab) -> int:
    seg = text[pos:hi].lower()
    best = hi
    for b in v.breaks:
        i = seg.find(b)
        if i >= 0:
            best = min(best, pos + i)
    return best


def _salary_ok(text: str, m: MoneySpan, lo: int, hi: int, v: Vocab) -> bool:
    """A plausible annual figure with nothing around it that makes it tuition, a bonus or a difference."""
    if m.unit not in (None, "year"):  # a salary is annual ("$98,000 a year"); per hour/month is not
        return False
    nums = [x for x in (m.low, m.high) if x is not None]
    if not nums or any(not (v.salary_range[0] <= x <= v.salary_range[1]) for x in nums):
        return False
    after = text[m.end:hi]
    if v.non_annual_re.match(after) or re.match(r"\s*(?:[kKmM]\b|billion|million)", after):
        return False
    after_words = after[:40]
    after_words = re.sub(r"^\s*(?:or|and)\s+(?:more|higher|above|up)\b", "", after_words, flags=re.IGNORECASE)
    cut = re.search(r"[,;.(]|\b(?:and|while|but)\b", after_words)
    after_words = after_words[:cut.start()] if cut else after_words
    if v.not_salary_re.search(after_words):
        return False
    before = text[lo:m.start]
    if v.not_salary_re.search(before):
        return False
    return True


def _pay_near(text: str, clause_lo: int, m: MoneySpan, clause_hi: int, v: Vocab) -> int | None:
    """End of the last pay word before the figure in its clause, or the figure's start when a pay word
    follows within a few words ("$98,000 median salary"); None when there is none."""
    last = None
    for pm in v.pay_re.finditer(text, clause_lo, m.start):
        last = pm.end()
    if last is not None:
        return last
    tail = text[m.end:clause_hi]
    for t in (tail, re.sub(r"^\s*\([^()]*\)", "", tail)):
        if v.pay_re.search(" ".join(re.sub(r"[()]", " ", t).split()[:4])):
            return m.start
    return None


# ---------------------------------------------------------------- segments (growth, skills)

def _split_top(text: str, start: int, end: int, seps: str) -> list[tuple[int, int]]:
    """Pieces of text[start:end] split at the characters in ``seps`` outside parentheses; a comma only
    splits when followed by a space (so "$130,000" stays whole)."""
    out, depth, s = [], 0, start
    for i in range(start, end + 1):
        ch = text[i] if i < end else seps[0]
        if i < end and ch in "([":
            depth += 1
        elif i < end and ch in ")]":
            depth = max(0, depth - 1)
        elif ch in seps and depth == 0 and (i == end or ch != "," or text[i + 1:i + 2].isspace()):
            a, b = s, i
            while a < b and text[a].isspace():
                a += 1
            while b > a and (text[b - 1].isspace() or text[b - 1] in ".,;"):
                b -= 1
            if b > a:
                out.append((a, b))
            s = i + 1
    return out


def _skills(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    for a, b in _split_top(text, start, end, ",;"):
        mm = re.match(r"(?:and|or|plus)\s+", text[a:b], re.IGNORECASE)
        if mm:
            a += mm.end()
        if b > a and len(text[a:b].split()) <= 8:
            out.append((a, b))
    return out


def _strip_md(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in "*_ ":
        a += 1
    while b > a and text[b - 1] in "*_ .":
        b -= 1
    return a, b


# ---------------------------------------------------------------- the reader

#: a role label opening a list item or a line: "**Data Analyst** — ...", "Speech Scientist — ...",
#: "Analytics Developer ($87,500–$119,000), ..." (a "Role: ..." line is a FIELD of the document model)
_LABEL_RE = re.compile(
    r"^(?:\*\*|__)?(?P<role>[^:—–(*_$|]{2,80}?)(?:\*\*|__)?\s*(?::(?:\*\*|__)?|(?:\*\*|__)?\s+(?:—|–|--?)|—|–|(?=\())\s*(?:\*\*|__)?\s*")


class _Ctx(NamedTuple):
    role: str | None     # the role a block's pieces belong to (its label, its heading or its parent item)
    kind: str | None     # "label" | "section" | None
    career_context: bool


def career_prose_facts(layout: Layout) -> list[Fact]:
    """Career facts (salary, growth_outlook, key_skills) of the blocks outside tables: role items and fields,
    the sections of role headings, the items under a role item, and sentences naming a role's pay."""
    text = layout.text
    blocks = layout.blocks
    v = vocab()
    facts: list[Fact] = []
    seen: set = set()
    heading_role: dict[int, str | None] = {}
    item_role: tuple[int, str] | None = None    # (depth, role) of a list item that is only a role
    lead_in = ""                                 # the last paragraph or field before a list

    def context(i: int) -> bool:
        heads = [text[blocks[h].start:blocks[h].end] for h in layout.section_path(i) if not heading_role.get(h)]
        return any(v.context_re.search(h) for h in heads[-1:]) or bool(v.context_re.search(lead_in))

    for i, b in enumerate(blocks):
        if b.kind in (HEADING, TITLE):
            heading_role[i] = role_title(text[b.start:b.end]) if b.kind == HEADING else None
            item_role, lead_in = None, ""
            continue
        if b.kind not in (PARAGRAPH, ITEM, FIELD):
            item_role = None
            continue
        if item_role is not None and not (b.kind in (ITEM, FIELD) and b.level > item_role[0]):
            item_role = None
        if b.kind == ITEM and role_title(text[b.start:b.end]):
            # "- Robotics Engineer" alone: the deeper items and fields under it are about it
            item_role = (b.level, role_title(text[b.start:b.end]))
            continue
        section = heading_role.get(b.parent) if b.parent is not None else None
        role = item_role[1] if item_role is not None else section
        ctx = _Ctx(role, "section" if role else None, context(i))
        rest_start = b.start
        if b.kind == FIELD and b.key is not None and b.value is not None:
            label_role = role_title(text[b.key.start:b.key.end])
            if label_role:
                ctx = _Ctx(label_role, "label", ctx.career_context or ctx.kind == "section")
                rest_start = b.value.start
        elif b.kind in (ITEM, PARAGRAPH):
            lm = _LABEL_RE.match(text[b.start:b.end])
            if lm:
                label_role = role_title(lm.group("role"))
                if label_role and b.start + lm.end() < b.end:
                    ctx = _Ctx(label_role, "label", ctx.career_context or ctx.kind == "section")
                    rest_start = b.start + lm.end()
        for f in _line_facts(text, b.start, rest_start, b.end, ctx):
            key = (f.subject.lower(), f.attribute, f.start, f.end)
            if key not in seen and text[f.start:f.end] and 0 <= f.start < f.end <= len(text):
                seen.add(key)
                facts.append(f)
        if b.kind != ITEM:
            lead_in = text[b.start:b.end]
    return facts


def _piece_facts(text: str, s0: int, s1: int, ctx: _Ctx) -> list[Fact]:
    """Key skills and growth outlook stated in one sentence of a role's line.

    A sentence splits into pieces at top-level ";"; a piece may hold a label ("Key skills: a, b",
    "Outlook: Strong") at its start or after a comma/parenthesis; a list item's unlabeled piece with a
    growth word ("14% projected growth", "steady growth") is its growth outlook."""
    v = vocab()
    out: list[Fact] = []
    for pa, pb in _split_top(text, s0, s1, ";"):
        starts = [pa] + [c for c, _ in _split_top(text, pa, pb, ",")[1:]]
        starts += [i + 1 for i in range(pa, pb) if text[i] == "("]
        done = False
        for st in sorted(set(starts)):
            while st < pb and text[st].isspace():
                st += 1
            sk = v.skill_label_re.match(text[st:pb])
            if sk:
                stop = pb
                if text[st - 1:st] == "(" and ")" in text[st:pb]:
                    stop = text.index(")", st, pb)
                for x, y in _skills(text, st + sk.end(), stop):
                    out.append(Fact("career", ctx.role, "key_skills", text[x:y], x, y, EXTRACTOR))
                done = True
                break
            gl = v.growth_label_re.match(text[st:pb])
            if gl:
                a, b = _strip_md(text, st + gl.end(), pb)
                if b > a and "$" not in text[a:b]:
                    out.append(Fact("career", ctx.role, "growth_outlook", text[a:b], a, b, EXTRACTOR))
                done = True
                break
        if done or ctx.kind != "label":
            continue
        for ca, cb in _split_top(text, pa, pb, ","):
            piece = text[ca:cb]
            if ("$" not in piece and v.growth_re.search(piece) and len(piece.split()) <= 8
                    and not find_roles(text, ca, cb) and not v.pay_re.search(piece)):
                a, b = _strip_md(text, ca, cb)
                out.append(Fact("career", ctx.role, "growth_outlook", text[a:b], a, b, EXTRACTOR))
    return out


def _line_facts(text: str, body_start: int, rest_start: int, end: int, ctx: _Ctx) -> list[Fact]:
    v = vocab()
    out: list[Fact] = []
    default_used = False
    for sent in sentences(rest_start, text[rest_start:end]):
        s0, s1 = sent.start, sent.end
        # key skills / growth pieces belong to the line's role (list label or section heading)
        if ctx.role:
            out.extend(_piece_facts(text, s0, s1, ctx))
        # salaries
        roles = find_roles(text, s0, s1)
        used_mentions: set[int] = set()
        for m in find_money(text[s0:s1]):
            m = MoneySpan(s0 + m.start, s0 + m.end, m.low, m.high, m.qualifier, m.unit)
            lo = _clause_start(text, s0, m.start, v)
            hi = _clause_end(text, m.end, s1, v)
            if re.search(r"percentile|\b(?:top|bottom)\s+\d+\s?%", text[lo:hi], re.IGNORECASE):
                continue
            before_roles = [r for r in roles if lo <= r.start and r.end <= m.start]
            role, r_end = None, lo
            if before_roles:
                r = before_roles[-1]
                if r.start in used_mentions or r.seniority:
                    continue
                between = text[r.end:m.start]
                if any(w.lower().strip(",;:()'’") in v.seniority for w in between.split()):
                    continue
                # a role joined to another ("data analysts and robotics engineers earn ...") shares a figure: skip
                prev = [p for p in roles if p.end <= r.start and lo <= p.start]
                if prev and re.fullmatch(r"\s*(?:,|and|or|&|/|,\s*and|,\s*or)\s*", text[prev[-1].end:r.start]):
                    continue
                role, r_end = r.role, r.end
                pay = _pay_near(text, lo, m, hi, v)
                if pay is None:
                    continue
                win_lo = pay if r_end < pay < m.start else r_end
                if not _salary_ok(text, m, win_lo, hi, v):
                    continue
                used_mentions.add(r.start)
            else:
                if not ctx.role or default_used or any(lo <= r.start < hi for r in roles):
                    continue
                role = ctx.role
                pay = _pay_near(text, lo, m, hi, v)
                if pay is None:
                    if not (ctx.kind == "label" and ctx.career_context and not text[rest_start:m.start].strip(" (")):
                        continue
                    pay = m.start
                win_lo = pay if lo < pay < m.start else lo
                if not _salary_ok(text, m, win_lo, hi, v):
                    continue
                if any(w.lower().strip(",;:()'’") in v.seniority for w in text[lo:m.start].split()):
                    continue
                if v.generic_re.search(text[lo:hi]):
                    continue
                if ctx.kind == "section":
                    opening = " ".join(re.sub(r"[*_#]", " ", text[lo:m.start]).split()[:4])
                    if not (v.pay_re.search(opening) or v.back_ref_re.search(text[lo:m.start])):
                        continue
                default_used = True
            out.append(Fact("career", role, "salary", money_text(m.low, m.high, m.qualifier), m.start, m.end,
                            EXTRACTOR, value_num=m.low, value_num_high=m.high, qualifier=m.qualifier))
        out.extend(_sentence_growth(text, s0, s1, roles, ctx, out))
    return out


def _sentence_growth(text: str, s0: int, s1: int, roles: list[RoleMention], ctx: _Ctx,
                     found: list[Fact]) -> list[Fact]:
    """A growth phrase ("projected to grow 14% through 2035") in a sentence that names exactly one role
    (or, under a role heading / after a role label, none): that role's growth outlook."""
    v = vocab()
    if v.growth_phrase_re is None:
        return []
    names = {r.role for r in roles}
    if len(names) > 1 or any(r.seniority for r in roles) or v.generic_re.search(text[s0:s1]):
        return []
    role = next(iter(names)) if names else (ctx.role if ctx.kind == "label" else None)
    if role is None:
        return []
    taken = [(f.start, f.end) for f in found if f.attribute == "growth_outlook"]
    out = []
    for g in v.growth_phrase_re.finditer(text, s0, s1):
        a, b = g.start(), g.end()
        while b > a and text[b - 1] in " .,;":
            b -= 1
        if any(x < b and a < y for x, y in taken):
            continue
        out.append(Fact("career", role, "growth_outlook", text[a:b], a, b, EXTRACTOR))
        break
    return out
