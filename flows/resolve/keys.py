"""Entity keys: slugs, degree normalisation, name normalisation. Pure functions over reference data."""

from __future__ import annotations

import re
from functools import lru_cache

from flows.common.slug import slug  # noqa: F401 - the project's one slug function (re-exported for callers)
from flows.extract.registry import load_degrees


_STOP = {"online", "degree", "program", "programme", "in", "of", "the", "a", "an", "s"}


@lru_cache(maxsize=1 << 16)  # pure in (degree, reference data); a corpus repeats its degrees thousands of times
def degree_key(degree: str | None) -> str | None:
    """Normalise a degree as written into a key: abbreviations expanded, parenthetical focus and
    filler words dropped. 'M.S. in CS (AI)' and 'MS in Computer Science' share a key; so do an
    all-in-one abbreviation (e.g. a school's OMS-style acronym listed in degrees.yaml) and its title."""
    if not degree or not degree.strip():
        return None
    ref = load_degrees()
    s = degree.strip()
    base = re.sub(r"\([^)]*\)", " ", s).strip()
    if not re.search(r"\w", base):
        base = re.sub(r"[()]", " ", s)
    for abbr, full in (ref.get("abbreviations") or {}).items():
        base = re.sub(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])", full, base)
    # levels first (longest first), then field abbreviations
    for written, level in sorted((ref.get("levels") or {}).items(), key=lambda kv: -len(kv[0])):
        pat = re.escape(written)
        base = re.sub(rf"(?<![\w.]){pat}(?![\w])", f" {level} ", base, flags=re.IGNORECASE)
    for abbr, full in (ref.get("fields") or {}).items():
        base = re.sub(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])", full, base)
    words = [w for w in re.split(r"[^a-z0-9/&]+", base.lower()) if w and w not in _STOP]
    words = ["and" if w == "&" else w for w in words]
    key = " ".join(words).strip(" /")
    return key or None


def name_key(name: str) -> str:
    """Key for courses/specializations/roles: case, punctuation, '&' and a trailing (ABBR) folded."""
    s = re.sub(r"\s*\([A-Z][A-Za-z/&.\- ]{0,12}\)\s*$", "", name.strip())
    s = s.replace("&", " and ")
    return slug(s)
