"""One slug function for ids made from names (source ids from file names, entity keys).

python-slugify transliterates non-ASCII text (``名前`` -> ``ming-qian``, ``Ünïcödé`` -> ``unicode``), so two
different non-ASCII names get two different, stable ids. A name with nothing transliterable (an emoji)
gets a short hash of itself, never a shared placeholder.
"""

from __future__ import annotations

import hashlib
import inspect
from functools import lru_cache

from slugify import slugify

#: python-slugify's default backend ("auto") looks for the optional ``unidecode`` package on every call and,
#: as it is not installed, falls back to ``text-unidecode`` after a failed import (a sys.path search, ~45 us of
#: a ~50 us call). Naming the backend it falls back to gives the same slugs without the search; releases
#: without the ``backend`` keyword (before 9) keep their default.
_BACKEND = {"backend": "text-unidecode"} if "backend" in inspect.signature(slugify).parameters else {}


@lru_cache(maxsize=1 << 16)  # pure; resolve makes one slug per observation, mostly of names it has slugged before
def slug(*parts: str | None) -> str:
    """Lower-case ASCII words joined by '-' ('' when every part is empty)."""
    return slugify("-".join(p for p in parts if p), **_BACKEND)


def slug_id(name: str, prefix: str = "source") -> str:
    """A never-empty id for ``name``: its slug, else ``<prefix>-<8 hex of sha256(name)>``."""
    s = slug(name)
    return s or f"{prefix}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"
