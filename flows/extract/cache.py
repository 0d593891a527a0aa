"""Per-source extraction cache: a source whose bytes and the extractor are unchanged is not
re-extracted. Key = sha256(file) + a fingerprint of the extraction/resolution code, the reference
data and EXTRACTOR_VERSION -- so editing an extractor or the registry invalidates the cache (and the
no-change skip) by itself, without anyone remembering to bump a number.

An entry is trusted only after it checks out: it names the source sha256 and key it was made for, carries a
sha256 of its own facts (an edited value no longer matches), and every fact's quote equals the document text
at its span. Anything else -- damaged JSON, a directory where the file should be, an edited entry -- is a miss
(reported, then re-extracted and overwritten), never a source of published values.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from functools import lru_cache
from pathlib import Path

from flows.common.files import atomic_write_text
from flows.extract.model import ExtractionResult, Fact
from flows.extract.registry import REFERENCE_DIR
from flows.settings import EXTRACTOR_VERSION

log = logging.getLogger("gradfacts.cache")
ENTRY_FORMAT = 2


@lru_cache(maxsize=1)
def reference_fingerprint() -> str:
    h = hashlib.sha256(EXTRACTOR_VERSION.encode())
    flows_dir = Path(__file__).resolve().parents[1]
    code = sorted((flows_dir / "extract").rglob("*.py")) + sorted((flows_dir / "resolve").rglob("*.py"))
    for p in sorted(REFERENCE_DIR.glob("*.yaml")) + code:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def directory(curated: Path) -> Path:
    """Where a curated/ folder keeps its extraction cache."""
    return Path(curated) / "cache" / "extract"


def cache_key(sha256: str) -> str:
    return f"{sha256[:32]}-{reference_fingerprint()}"


def entry_path(cache_dir: Path, sha256: str) -> Path:
    return Path(cache_dir) / f"{cache_key(sha256)}.json"


def _payload_json(facts: list[dict], unclaimed: list[list]) -> str:
    return json.dumps({"facts": facts, "unclaimed": unclaimed}, sort_keys=True)


def _payload_digest(facts: list[dict], unclaimed: list[list]) -> str:
    return hashlib.sha256(_payload_json(facts, unclaimed).encode()).hexdigest()


def check_entry(data: object, sha256: str, text: str | None) -> tuple[ExtractionResult | None, str | None]:
    """(result, None) when a parsed entry is the one for this source and intact, else (None, why not)."""
    if not isinstance(data, dict) or data.get("format") != ENTRY_FORMAT:
        return None, "not a cache entry of this version"
    if data.get("source_sha256") != sha256 or data.get("key") != cache_key(sha256):
        return None, "made for another source or extractor"
    facts, unclaimed = data.get("facts"), data.get("unclaimed")
    if not isinstance(facts, list) or not isinstance(unclaimed, list):
        return None, "facts missing"
    if _payload_digest(facts, unclaimed) != data.get("digest"):
        return None, "its content hash does not match (edited or damaged)"
    try:
        result = ExtractionResult(facts=[Fact(**{k: v for k, v in f.items() if k != "quote"}) for f in facts],
                                  unclaimed=[tuple(u) for u in unclaimed])
    except (TypeError, ValueError, AttributeError):
        return None, "facts malformed"
    if text is not None:
        for f, raw in zip(result.facts, facts):
            if not (0 <= f.start <= f.end <= len(text)) or text[f.start:f.end] != raw.get("quote"):
                return None, f"a fact's quote is not the source text at its span ({f.attribute} at {f.start}-{f.end})"
    return result, None


def load(cache_dir: Path, sha256: str, text: str | None = None) -> ExtractionResult | None:
    """The cached result for a source (by content hash), or None. ``text`` (the document text the facts'
    spans index) is checked against every fact's quote."""
    p = entry_path(cache_dir, sha256)
    if not p.exists() and not p.is_symlink():
        return None
    try:
        if p.is_symlink() or not p.is_file():
            raise ValueError("not a regular file")
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("cache entry %s is unusable (%s); re-extracting", p, exc)
        return None
    result, why = check_entry(data, sha256, text)
    if result is None:
        log.warning("cache entry %s is not trusted (%s); re-extracting", p, why)
    return result


def entry_text(sha256: str, result: ExtractionResult, text: str | None = None) -> str:
    """The cache entry for a source's result, as the JSON written to disk. Pure: a Dask worker makes the entries
    of its batch (their encoding is CPU the refreshing process would otherwise spend), the refresh writes them."""
    facts = [{**f.as_dict(), "quote": text[f.start:f.end] if text is not None else None} for f in result.facts]
    payload = _payload_json(facts, [list(u) for u in result.unclaimed])  # encoded once: digest and entry
    head = json.dumps({"format": ENTRY_FORMAT, "key": cache_key(sha256), "source_sha256": sha256,
                       "digest": hashlib.sha256(payload.encode()).hexdigest()})
    return f"{head[:-1]}, {payload[1:]}"  # (both are JSON objects: one object with the keys of both)


def write_entry(cache_dir: Path, sha256: str, entry: str) -> None:
    """Write an ``entry_text`` where ``load`` looks for it."""
    p = entry_path(cache_dir, sha256)
    if p.is_symlink() or (p.exists() and not p.is_file()):
        # something else stands where the entry goes (a directory, a link): the cache is ours, clear it
        shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
    # not flushed: at 10,000 documents one fsync per entry held a refresh's extract stage for longer than the
    # extraction itself; an entry checks itself on load (digest, quotes), so one a crash tore is only a miss
    atomic_write_text(p, entry, flush=False)


def store(cache_dir: Path, sha256: str, result: ExtractionResult, text: str | None = None) -> None:
    write_entry(cache_dir, sha256, entry_text(sha256, result, text))
