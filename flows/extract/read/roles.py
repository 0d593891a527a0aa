"""Job titles: the careers vocabulary (schemas/reference/careers.yaml) and the role names it recognises.

A role name ends with a job-title word and is normalised to singular title case ("robotics engineers" ->
"Robotics Engineer") so it merges with table rows for the same role. ``role_title`` says whether a whole
label or heading is a job title; ``find_roles`` finds roles named in running prose. Vocabulary, not
shapes: which block a name sits in is the document model's (flows.extract.layout).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from flows.common.yamlfile import load_yaml

CAREERS_PATH = Path(__file__).resolve().parents[3] / "schemas" / "reference" / "careers.yaml"


@lru_cache(maxsize=2)
def load_careers(path: str | None = None) -> dict:
    """The careers vocabulary (schemas/reference/careers.yaml)."""
    p = Path(path) if path else CAREERS_PATH
    return load_yaml(p) or {}


def _alts(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _plural(head: str) -> str:
    return head[:-1] + "ies" if head.endswith("y") and head[-2:-1] not in "aeiou" else head + "s"


class Vocab:
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
def vocab() -> Vocab:
    return Vocab(load_careers())


# ---------------------------------------------------------------- role names

class RoleMention(NamedTuple):
    start: int
    end: int
    role: str          # normalised: singular, title case
    seniority: bool    # a seniority word is part of the mention or right before it


def _norm_word(w: str, v: Vocab) -> str:
    canon = v.mod_of.get(w.lower())
    if canon and not (sum(c.isupper() for c in w) >= 2):
        return canon
    if w[:1].islower():
        return w[:1].upper() + w[1:]
    return w


def normalise_role(name: str) -> str | None:
    """'machine learning engineers' -> 'Machine Learning Engineer'; None when ``name`` ends in no job-title word.

    A trailing parenthesis is kept as written ("Data Analyst (Retail)")."""
    v = vocab()
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
    v = vocab()
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
    v = vocab()
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
