"""Career facts stated outside tables: role bullets, role headings, and sentences naming a role's pay.

Three shapes (careers tables are read by flows.extract.read.careers and are skipped here):

* list items that open with a role: ``- Robotics Engineer: $98,000–$141,000 median salary; steady growth``,
  ``- **Data Analyst** — median pay $71,300 (survey, 2023); 12% projected growth``, with optional
  ``Key skills: ...`` / ``Outlook: ...`` pieces;
* a heading that names a role (``### Robotics Engineer``) followed by lines such as
  ``Average salary: $120,000``, ``Job outlook: Strong`` and ``Key skills: ROS, C++, control``;
* sentences naming one role and its pay: "robotics engineers earn a median salary of $101,000",
  "speech scientists are paid above $140,000" (open-ended), "data analysts typically make
  between $60,000 and $85,000".

Role names end with a job-title word and are normalised to singular title case ("robotics engineers" ->
"Robotics Engineer") so they merge with table rows for the same role. A figure is a salary only when a
pay word is near it (a role list in a careers context may omit it), when it is a plausible annual amount,
and when no tuition/fee/bonus/comparison word sits right around it. Vocabulary: schemas/reference/careers.yaml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

from flows.extract.model import Fact
from flows.extract.money import MoneySpan, find_money, money_text
from flows.extract.layout.tables import table_spans
from flows.extract.text import Line, Spans, bullet, is_heading, iter_lines, sentences, strip_markup

EXTRACTOR = "career_prose"
CAREERS_PATH = Path(__file__).resolve().parents[2] / "schemas" / "reference" / "careers.yaml"

#: how many non-blank lines after a role heading still belong to it
SECTION_LINES = 14
#: ... and after a list item that is only a role name
ITEM_LINES = 4


@lru_cache(maxsize=2)
def load_careers(path: str | None = None) -> dict:
    """The careers vocabulary (schemas/reference/careers.yaml)."""
    p = Path(path) if path else CAREERS_PATH
    return yaml.safe_load(p.read_text(encoding="utf-8")) or {}


def _alts(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _plural(head: str) -> str:
    return head[:-1] + "ies" if head.endswith("y") and head[-2:-1] not in "aeiou" else head + "s"


class _Vocab:
    def __init__(self, ref: dict):
        heads = list(ref.get("role_heads") or [])
        self.head_of = {}
        for h in heads:
            self.head_of[h.lower()] = h
            self.head_of[_plural(h).lower()] = h
        self.standalone = {h.lower() for h in ref.get("standalone_heads") or []}
        mods = list(ref.get("role_modifiers") or [])
        self.mod_of = {m.lower(): m for m in mods}
        self.seniority = {w.lower() for w in ref.get("seniority_words") or []}
        self.acronym_stop = {w for w in ref.get("acronym_stop") or []}
        head_alt = _alts(list(self.head_of))
        mod_alt = _alts(mods)
        acronym = r"[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:/[A-Z][A-Za-z0-9]*)*"
        word = rf"(?:(?i:{mod_alt})(?![\w-])|{acronym}(?![\w-]))"
        # a role in running prose: up to four modifier words, then a head (singular or plural)
        self.prose_re = re.compile(
            rf"(?<![\w/-])(?P<mods>(?:{word}[ ]){{0,4}})(?P<head>(?i:{head_alt}))(?![\w-])(?P<poss>['’]s?)?")
        self.head_re = re.compile(rf"(?i:{head_alt})$")
        self.pay_re = re.compile(rf"(?<![\w-])(?:{_alts(ref.get('pay_words') or [])})(?![\w-])", re.IGNORECASE)
        self.context_re = re.compile(rf"(?<![\w-])(?:{_alts(ref.get('career_context_words') or [])})(?![\w-])",
                                     re.IGNORECASE)
        self.not_salary_re = re.compile(rf"(?<![\w-])(?:{_alts(ref.get('not_salary_words') or [])})(?![\w-])",
                                        re.IGNORECASE)
        self.non_annual_re = re.compile(rf"^\s*(?:{_alts(ref.get('non_annual_units') or [])})(?![\w-])", re.IGNORECASE)
        self.not_role_after_re = re.compile(
            rf"^\s+(?:{_alts(ref.get('not_role_after') or [])})(?![\w-])", re.IGNORECASE)
        self.growth_re = re.compile(rf"(?<![\w-])(?:{_alts(ref.get('growth_words') or [])})(?![\w-])", re.IGNORECASE)
        self.growth_label_re = re.compile(
            rf"^(?:\*\*|__)?(?:{_alts(ref.get('growth_labels') or [])})(?:\*\*|__)?\s*(?::|—|–|-\s)(?:\*\*|__)?\s*",
            re.IGNORECASE)
        self.skill_label_re = re.compile(
            rf"^(?:\*\*|__)?(?:{_alts(ref.get('skill_labels') or [])})(?:\*\*|__)?\s*(?::|—|–|-\s)(?:\*\*|__)?\s*"
            rf"|^(?:the\s+)?(?:key\s+|core\s+|essential\s+|required\s+|top\s+)?skills\s+(?:include|such as|are)\s+",
            re.IGNORECASE)
        lo, hi = (ref.get("salary_range") or [20000, 2000000])[:2]
        self.salary_range = (float(lo), float(hi))
        self.breaks = [b.lower() for b in ref.get("clause_breaks") or []]
        tails = ref.get("heading_tails") or []
        self.heading_tail_re = re.compile(rf"\s+(?:{_alts(tails)})(?:\s+(?:and|&)\s+[\w ]{{1,30}})?$", re.IGNORECASE) \
            if tails else None
        self.title_stop = {w.lower() for w in ref.get("title_stop") or []}
        gp = ref.get("growth_phrases") or []
        self.growth_phrase_re = re.compile("|".join(f"(?:{g})" for g in gp), re.IGNORECASE) if gp else None
        self.generic_re = re.compile(rf"(?<![\w-])(?:{_alts(ref.get('generic_subjects') or [])})(?![\w-])",
                                     re.IGNORECASE)
        self.back_ref_re = re.compile(rf"(?<![\w-])(?:{_alts(ref.get('role_back_refs') or [])})(?![\w-])",
                                      re.IGNORECASE)


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    return _Vocab(load_careers())


# ---------------------------------------------------------------- role names

class RoleMention(NamedTuple):
    start: int
    end: int
    role: str          # normalised: singular, title case
    seniority: bool    # a seniority word is part of the mention or right before it


def _norm_word(w: str, v: _Vocab) -> str:
    canon = v.mod_of.get(w.lower())
    if canon and not (sum(c.isupper() for c in w) >= 2):
        return canon
    if w[:1].islower():
        return w[:1].upper() + w[1:]
    return w


def normalise_role(name: str) -> str | None:
    """'machine learning engineers' -> 'Machine Learning Engineer'; None when ``name`` ends in no job-title word.

    A trailing parenthesis is kept as written ("Data Analyst (Retail)")."""
    v = _vocab()
    name = (name or "").strip()
    m = re.fullmatch(r"(?P<core>.*?)(?P<paren>\s*\([^()]{1,40}\))?", name)
    core = m.group("core").strip() if m else name
    paren = (m.group("paren") or "") if m else ""
    ws = core.split()
    if not ws:
        return None
    head = re.sub(r"['’]s?$", "", ws[-1])
    canon = v.head_of.get(head.lower())
    if canon is None:
        return None
    out = [_norm_word(w, v) for w in ws[:-1]] + [canon]
    return " ".join(out) + paren


def role_title(s: str) -> str | None:
    """A whole label or heading that is a job title ("Robotics Engineer", "3. Speech Scientists",
    "**Data Analyst (Retail)**") -> its normalised role; None otherwise."""
    v = _vocab()
    t = (s or "").strip()
    t = re.sub(r"^(?:#{1,6}\s*)?(?:\*\*|__)?(?:#?\d{1,2}[.):]\s+)?", "", t)
    t = re.sub(r"(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?$", "", t).strip()
    t = t.strip("*_ ").strip()
    if not t or len(t) > 80 or "$" in t or any(ch in t for ch in ".;!?|"):
        return None
    if v.heading_tail_re is not None:
        t = v.heading_tail_re.sub("", t)
    m = re.fullmatch(r"(?P<core>[^()]+?)(?P<paren>\s*\([^()$]{1,40}\))?", t)
    if not m:
        return None
    ws = m.group("core").split()
    if not ws or len(ws) > 6:
        return None
    head = ws[-1]
    if head.lower() not in v.head_of:
        return None
    if len(ws) == 1 and v.head_of[head.lower()].lower() not in v.standalone:
        return None
    for w in ws[:-1]:
        lw = w.lower()
        if lw in v.head_of or lw in v.title_stop:
            return None
        if not (w[:1].isupper() or lw in v.mod_of):
            return None
        if not re.fullmatch(r"[\w][\w&/+.'’-]*", w):
            return None
    return normalise_role(t)


def find_roles(text: str, start: int = 0, end: int | None = None) -> list[RoleMention]:
    """Role mentions in running prose within ``text[start:end]`` ("machine learning engineers", "ML engineer")."""
    v = _vocab()
    end = len(text) if end is None else end
    out: list[RoleMention] = []
    for m in v.prose_re.finditer(text, start, end):
        mods = m.group("mods").split()
        while mods and mods[0] in v.acronym_stop:
            mods = mods[1:]
        head = m.group("head")
        if not mods and v.head_of[head.lower()].lower() not in v.standalone:
            continue
        if v.not_role_after_re.match(text[m.end():m.end() + 30]):
            continue
        s = m.end("head") - len(head) - sum(len(w) + 1 for w in mods)
        e = m.end("head")
        role = normalise_role(" ".join(mods + [head]))
        if role is None:
            continue
        before = text[max(start, s - 30):s].lower().split()[-3:]
        senior = any(w.lower() in v.seniority for w in mods) or any(
            w.strip(",;:()") in v.seniority or w.startswith("top") for w in before)
        out.append(RoleMention(s, e, role, senior))
    return out


# ---------------------------------------------------------------- figures

def _clause_start(text: str, lo: int, pos: int, v: _Vocab) -> int:
    seg = text[lo:pos].lower()
    best = lo
    for b in v.breaks:
        i = seg.rfind(b)
        if i >= 0:
            best = max(best, lo + i + len(b))
    return best


def _clause_end(text: str, pos: int, hi: int, v: _Vocab) -> int:
    seg = text[pos:hi].lower()
    best = hi
    for b in v.breaks:
        i = seg.find(b)
        if i >= 0:
            best = min(best, pos + i)
    return best


def _salary_ok(text: str, m: MoneySpan, lo: int, hi: int, v: _Vocab) -> bool:
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


def _pay_near(text: str, clause_lo: int, m: MoneySpan, clause_hi: int, v: _Vocab) -> int | None:
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


# ---------------------------------------------------------------- the extractor

_LABEL_RE = re.compile(
    r"^(?:\*\*|__)?(?P<role>[^:—–(*_$|]{2,80}?)(?:\*\*|__)?\s*(?::(?:\*\*|__)?|(?:\*\*|__)?\s+(?:—|–|--?)|—|–|(?=\())\s*(?:\*\*|__)?\s*")


class _Ctx(NamedTuple):
    role: str | None     # the role a line's pieces belong to (list label or section heading)
    kind: str | None     # "label" | "section" | None
    career_context: bool


def _heading(lines: list[Line], i: int) -> Line | None:
    """The heading text of line ``i`` (markdown/bold/plain title line) or None."""
    ln = lines[i]
    t = ln.text
    if "|" in t or "\t" in t:
        return None
    nxt = lines[i + 1].text if i + 1 < len(lines) else None
    if re.match(r"#{1,6}\s", t) or re.fullmatch(r"(\*\*|__)[^*_]{2,100}\1:?", t):
        return strip_markup(ln)
    if ":" not in t and bullet(ln) is None and is_heading(t, nxt):
        return ln
    return None


def extract_careers_prose(text: str) -> list[Fact]:
    """Career facts (salary, growth_outlook, key_skills) from role lists, role headings and pay sentences.

    >>> [(f.subject, f.value) for f in extract_careers_prose("Robotics engineers earn a median salary of $101,000.")]
    [('Robotics Engineer', '101000')]
    """
    if not isinstance(text, str) or not text.strip():
        return []
    try:
        skip = table_spans(text)
    except Exception:  # odd table text: read the page without skipping tables rather than fail
        skip = []
    in_table = Spans(skip).holds
    lines = iter_lines(text)
    facts: list[Fact] = []
    seen: set = set()

    def add(f: Fact) -> None:
        key = (f.subject.lower(), f.attribute, f.start, f.end)
        if key not in seen and text[f.start:f.end] and 0 <= f.start < f.end <= len(text):
            seen.add(key)
            facts.append(f)

    section_role: str | None = None
    section_left = 0
    item_section = False
    last_heading = ""
    lead_in = ""
    for i, ln in enumerate(lines):
        if in_table(ln.start) or "|" in ln.text or "\t" in ln.text:
            continue
        try:
            h = _heading(lines, i)
            if h is not None:
                section_role = role_title(h.text)
                section_left = SECTION_LINES if section_role else 0
                item_section = False
                if not section_role:
                    last_heading = h.text
                lead_in = ""
                continue
            indented = ln.start > text.rfind("\n", 0, ln.start) + 1
            if section_left <= 0 or (item_section and not indented):
                section_role, item_section = None, False
            section_left -= 1
            item = bullet(ln)
            body_start, body = (item.start, item.text) if item else (ln.start, ln.text)
            if item and role_title(body):  # "- Robotics Engineer" alone: the lines under it are about it
                section_role, section_left, item_section = role_title(body), ITEM_LINES, True
                continue
            context = bool(_vocab().context_re.search(last_heading) or _vocab().context_re.search(lead_in))
            ctx = _Ctx(section_role, "section" if section_role else None, context)
            rest_start = body_start
            lm = _LABEL_RE.match(body)
            if lm:
                label_role = role_title(lm.group("role"))
                if label_role and lm.end() < len(body):
                    ctx = _Ctx(label_role, "label", context or ctx.kind == "section")
                    rest_start = body_start + lm.end()
            for f in _line_facts(text, body_start, rest_start, ln.end, ctx):
                add(f)
            if not item:
                lead_in = ln.text
        except Exception:  # one odd line yields fewer facts, never a crash
            continue
    return facts


def _piece_facts(text: str, s0: int, s1: int, ctx: _Ctx) -> list[Fact]:
    """Key skills and growth outlook stated in one sentence of a role's line.

    A sentence splits into pieces at top-level ";"; a piece may hold a label ("Key skills: a, b",
    "Outlook: Strong") at its start or after a comma/parenthesis; a list item's unlabeled piece with a
    growth word ("14% projected growth", "steady growth") is its growth outlook."""
    v = _vocab()
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
    v = _vocab()
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
    v = _vocab()
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
