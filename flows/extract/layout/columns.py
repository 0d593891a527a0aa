"""Column vocabulary of tables: the header words (schemas/reference/columns.yaml) that hint at what a column
holds ("Tuition (Total)" -> tuition, "Median Salary" -> salary). A hint for typed columns, and what splits a
header whose words ran together ("UniversityDegree TitleCredits") into its columns."""

from __future__ import annotations

import re
from functools import lru_cache

from flows.extract.values import load_columns

PROGRAM_KINDS = ("university", "degree_title", "ml_core_courses", "credits", "tuition",
                 "tuition_per_credit", "gre_policy", "delivery_format", "standout_feature")
CAREER_KINDS = ("role", "salary", "growth_outlook", "key_skills")
_PROGRAM_VALUE_KINDS = {"ml_core_courses", "credits", "tuition", "tuition_per_credit", "gre_policy", "delivery_format"}


def normalise_header(s: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9+%]+", " ", s.lower())).strip()


@lru_cache(maxsize=1)
def header_vocab() -> tuple[tuple[str, str, str], ...]:
    """(phrase as in the data file, kind, group) for every header phrase; longest first."""
    cols = load_columns()
    out = []
    for group, key in (("program", "program_columns"), ("career", "career_columns")):
        for kind, phrases in cols[key].items():
            out.extend((p, kind, group) for p in phrases)
    out.extend((p, "other", "other") for p in cols.get("other_columns", []))
    out.extend((p, "duration", "other") for p in cols.get("duration_columns", []))
    return tuple(sorted(out, key=lambda x: len(x[0]), reverse=True))


@lru_cache(maxsize=1)
def _norm_vocab() -> dict[str, str]:
    out: dict[str, str] = {}
    for phrase, kind, _ in reversed(header_vocab()):
        out[normalise_header(phrase)] = kind
    return out


_FALLBACK = (
    (r"per credit|per unit|credit hour cost|(?:cost|tuition|price|rate) credit|credit (?:cost|rate|price)", "tuition_per_credit"),
    (r"tuition|cost|price", "tuition"),
    (r"\bgre\b", "gre_policy"),
    (r"core course|ml course", "ml_core_courses"),
    (r"credit", "credits"),
    (r"format|delivery|modality", "delivery_format"),
    (r"salary|pay\b", "salary"),
    (r"outlook|growth", "growth_outlook"),
    (r"skill", "key_skills"),
    (r"universit|school|institution", "university"),
    (r"degree|program", "degree_title"),
    (r"\brole\b|job title|career", "role"),
)


def header_kind(cell: str) -> str | None:
    """Column kind of one header cell ("Tuition (Total)" -> "tuition"); None when unknown."""
    n = normalise_header(cell)
    if not n:
        return None
    if n in _norm_vocab():
        return _norm_vocab()[n]
    if len(n) > 40:
        return None
    for pat, kind in _FALLBACK:
        if re.search(pat, n):
            return kind
    return None


def table_group(kinds: list[str | None]) -> str | None:
    """'program' / 'career' / None for a header's column kinds."""
    ks = set(k for k in kinds if k)
    if "role" in ks and ks & {"salary", "growth_outlook", "key_skills"}:
        return "career"
    if ks & {"university", "degree_title"} and len(ks & _PROGRAM_VALUE_KINDS) >= 1 and len(ks) >= 3:
        return "program"
    return None

