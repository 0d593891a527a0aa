"""`gradfacts refresh --workers 2` (a local Dask cluster via prefect-dask) publishes exactly the tables a
sequential refresh publishes, extracts in batches, never sends a cache hit to a worker, and writes the source
viewer's pages (rendered on the workers) exactly as a sequential refresh does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import corpus  # noqa: E402

GRADFACTS = Path(sys.executable).parent / "gradfacts"
TABLES = ["programs", "courses", "specializations", "careers", "observations", "sources", "conflicts", "quarantine"]


def _refresh(raw: Path, out: Path, *extra: str, env: dict | None = None) -> tuple[str, str]:
    p = subprocess.run([str(GRADFACTS), "refresh", "--raw", str(raw), "--curated", str(out / "curated"),
                        "--reports", str(out / "reports"), *extra], capture_output=True, text=True, timeout=900,
                       env={**os.environ, **(env or {})})
    assert p.returncode == 0, p.stderr[-3000:]
    return " ".join(p.stdout.split()), p.stderr


def _table(out: Path, name: str) -> pl.DataFrame:
    df = pl.read_parquet(out / "curated" / f"{name}.parquet")
    return df.drop([c for c in ("run_id",) if c in df.columns])


def _pages(out: Path) -> dict[str, str]:
    """The source viewer's pages, with the run's publication id in place of itself."""
    pub = (out / "curated" / "current").resolve().name
    pages = {p.name: p.read_text(encoding="utf-8").replace(pub, "PUB")
             for p in (out / "reports" / "sources").glob("*.html")}
    assert len(pages) == 64 and all("<mark " in t for n, t in pages.items() if n.startswith("doc-"))
    return pages


def test_two_workers_publish_the_sequential_tables_and_skip_cache_hits(tmp_path):
    raw = tmp_path / "raw"
    corpus.write_corpus(raw, 60, seed=21)
    for f in sorted((ROOT / "raw").glob("*.txt")):  # real-shaped pages too
        shutil.copy(f, raw / f.name)
    seq, _ = _refresh(raw, tmp_path / "seq")
    # (batches of 20 pages: the source viewer of these 63 sources renders on the workers too)
    par, log = _refresh(raw, tmp_path / "par", "--workers", "2", "--debug",
                        env={"GRADFACTS_PAGE_BATCH": "20", "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL": "INFO"})
    log = " ".join((par + log).split())  # rich wraps long lines
    assert "published" in seq and "published" in par
    assert "63 seen, 63 changed, 63 extracted" in seq and "63 seen, 63 changed, 63 extracted" in par
    line = log.split("extract: 0 cached, ")[1]
    ahead, todo, batches = int(line.split()[0]), int(line.split("by the head start, ")[1].split()[0]), int(
        line.split("to extract in ")[1].split()[0])
    assert "on 2 local Dask workers" in line
    assert ahead + todo == 63 and ahead <= 63 // 3  # a head start of at most one more worker's share
    assert 2 <= batches < todo                    # batched: neither one task nor one per document
    assert "killing" not in log                   # the workers' budget processes were stopped, the cluster closed
    for name in TABLES:
        a, b = _table(tmp_path / "seq", name), _table(tmp_path / "par", name)
        assert a.height > 0 or name in ("specializations", "careers", "quarantine", "conflicts"), name
        assert a.equals(b), name
    assert "report: 63 source pages in 3 batches on the Dask workers" in log  # 63 // 20
    assert _pages(tmp_path / "seq") == _pages(tmp_path / "par")  # the same viewer, page for page
    entries = [{e.name: e.read_text() for e in (tmp_path / out / "curated" / "cache" / "extract").glob("*.json")}
               for out in ("seq", "par")]
    assert len(entries[0]) == 63 and entries[0] == entries[1]  # the workers made the sequential cache entries

    # one source changes: only it is sent to the workers, the others are cache hits loaded in the flow
    changed = raw / "doc_00003.txt"
    changed.write_text(changed.read_text() + "\nRidgefield University offers 30 credits.\n", encoding="utf-8")
    again, log = _refresh(raw, tmp_path / "par", "--workers", "2", "--debug")
    log = " ".join((again + log).split())
    assert "published" in again and "63 seen, 1 changed, 1 extracted" in again
    assert "extract: 62 cached, 0 by the head start, 1 to extract in 1 batches" in log
