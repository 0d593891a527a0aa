"""One slug function for ids made from names (source ids from file names, entity keys).

python-slugify transliterates non-ASCII text (``名前`` -> ``ming-qian``, ``Ünïcödé`` -> ``unicode``), so two
different non-ASCII names get two different, stable ids. A name with nothing transliterable (an emoji)
gets a short hash of itself, never a shared placeholder.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from slugify import slugify


@lru_cache(maxsize=1 << 16)  # pure; python-slugify retries an optional import on every call (~0.4 ms), and
def slug(*parts: str | None) -> str:  # resolve makes one slug per observation
    """Lower-case ASCII words joined by '-' ('' when every part is empty)."""
    return slugify("-".join(p for p in parts if p))


def slug_id(name: str, prefix: str = "source") -> str:
    """A never-empty id for ``name``: its slug, else ``<prefix>-<8 hex of sha256(name)>``."""
    s = slug(name)
    return s or f"{prefix}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"
