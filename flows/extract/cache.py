"""Per-source extraction cache: a source whose bytes and the extractor are unchanged is not
re-extracted. Key = sha256(file) + a fingerprint of the extraction/resolution code, the reference
data and EXTRACTOR_VERSION -- so editing an extractor or the registry invalidates the cache (and the
no-change skip) by itself, without anyone remembering to bump a number."""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from flows.extract.model import ExtractionResult, Fact
from flows.extract.registry import REFERENCE_DIR
from flows.settings import EXTRACTOR_VERSION


@lru_cache(maxsize=1)
def reference_fingerprint() -> str:
    h = hashlib.sha256(EXTRACTOR_VERSION.encode())
    flows_dir = Path(__file__).resolve().parents[1]
    code = sorted((flows_dir / "extract").rglob("*.py")) + sorted((flows_dir / "resolve").rglob("*.py"))
    for p in sorted(REFERENCE_DIR.glob("*.yaml")) + code:
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def cache_key(sha256: str) -> str:
    return f"{sha256[:32]}-{reference_fingerprint()}"


def load(cache_dir: Path, sha256: str) -> ExtractionResult | None:
    p = Path(cache_dir) / f"{cache_key(sha256)}.json"
    if not p.exists():
        return None
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        return ExtractionResult(facts=[Fact(**f) for f in data["facts"]],
                                unclaimed=[tuple(u) for u in data["unclaimed"]])
    except (ValueError, KeyError, TypeError):
        return None  # a damaged cache entry is just a miss


def store(cache_dir: Path, sha256: str, result: ExtractionResult) -> None:
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    p = Path(cache_dir) / f"{cache_key(sha256)}.json"
    tmp = p.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"facts": [f.as_dict() for f in result.facts],
                               "unclaimed": [list(u) for u in result.unclaimed]}), encoding="utf-8")
    os.replace(tmp, p)
