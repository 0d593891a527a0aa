"""Write-audit-publish for curated/.

Layout of a curated directory:
    curated/staging/<run_id>/        a run writes here first (audit happens on these files)
    curated/publications/<run_id>/   every good publication, the newest KEEP kept for rollback
    curated/current -> publications/<run_id>   the live publication: one symlink, swapped atomically
    curated/<table>.parquet -> current/<table>.parquet, curated/manifest.json -> current/manifest.json
    curated/runs.parquet             run history (append-only, outside publications)
A failed run never touches `current`, so the last good publication stays live and byte-for-byte intact.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from schemas.tables import write_parquet

KEEP = 5
CURRENT = "current"
TABLE_ORDER = ("programs", "courses", "specializations", "careers", "observations", "sources",
               "conflicts", "quarantine")


class PublishError(RuntimeError):
    pass


class LockBusy(PublishError):
    pass


def new_run_id(now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S%fZ")


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_staging(curated: Path, run_id: str, tables: dict[str, pl.DataFrame]) -> Path:
    """Write every table to curated/staging/<run_id>/ as Parquet. Returns the staging dir."""
    stage = Path(curated) / "staging" / run_id
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    for name in _ordered(tables):
        write_parquet(tables[name], stage / f"{name}.parquet", name, run_id)  # descriptions + run id in the schema
    return stage


def write_manifest(stage: Path, run_id: str, started_at: datetime, status: str, extra: dict | None = None) -> dict:
    tables = {}
    for p in sorted(stage.glob("*.parquet")):
        schema = pl.read_parquet_schema(p)
        tables[p.stem] = {
            "path": p.name,
            "rows": pl.scan_parquet(p).select(pl.len()).collect().item(),
            "sha256": sha256_file(p),
            "columns": {k: str(v) for k, v in schema.items()},
        }
    manifest = {
        "run_id": run_id,
        "started_at": started_at.isoformat(),
        "finished_at": datetime.now(timezone.utc).isoformat(),
        "status": status,
        "tables": tables,
        **(extra or {}),
    }
    tmp = stage / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, stage / "manifest.json")
    return manifest


def audit_staging(stage: Path, expected_tables: list[str]) -> list[str]:
    """Re-read what was written: every expected table present, readable, rows as in the manifest."""
    problems = []
    manifest = json.loads((stage / "manifest.json").read_text(encoding="utf-8"))
    for name in expected_tables:
        p = stage / f"{name}.parquet"
        if not p.exists():
            problems.append(f"{name}: not written")
            continue
        try:
            n = pl.read_parquet(p).height
        except Exception as exc:  # noqa: BLE001 - any read failure is an audit failure
            problems.append(f"{name}: unreadable ({exc})")
            continue
        if manifest["tables"][name]["rows"] != n:
            problems.append(f"{name}: manifest says {manifest['tables'][name]['rows']} rows, file has {n}")
    return problems


def promote(curated: Path, stage: Path, keep: int = KEEP) -> Path:
    """Move staging/<run_id> to publications/<run_id> and swap `current` to it atomically."""
    curated = Path(curated)
    pubs = curated / "publications"
    pubs.mkdir(parents=True, exist_ok=True)
    dest = pubs / stage.name
    os.replace(stage, dest)               # same filesystem: atomic directory rename
    point_current(curated, dest)
    _ensure_table_links(curated, dest)
    prune(curated, keep)
    return dest


def point_current(curated: Path, publication: Path) -> None:
    link = Path(curated) / CURRENT
    tmp = Path(curated) / f".{CURRENT}.{os.getpid()}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(Path("publications") / publication.name, tmp)
    os.replace(tmp, link)                 # rename(2) over the old link: readers see old or new, never neither


def _ensure_table_links(curated: Path, publication: Path) -> None:
    for p in list(publication.glob("*.parquet")) + [publication / "manifest.json"]:
        link = Path(curated) / p.name
        target = Path(CURRENT) / p.name
        if link.is_symlink() and os.readlink(link) == str(target):
            continue
        tmp = Path(curated) / f".{p.name}.tmp"
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(target, tmp)
        os.replace(tmp, link)


def publications(curated: Path) -> list[Path]:
    pubs = Path(curated) / "publications"
    return sorted((p for p in pubs.iterdir() if p.is_dir()), key=lambda p: p.name) if pubs.exists() else []


def current_publication(curated: Path) -> Path | None:
    link = Path(curated) / CURRENT
    if not link.is_symlink():
        return None
    target = (Path(curated) / os.readlink(link)).resolve()
    return target if target.exists() else None


def current_manifest(curated: Path) -> dict | None:
    cur = current_publication(curated)
    if cur is None or not (cur / "manifest.json").exists():
        return None
    return json.loads((cur / "manifest.json").read_text(encoding="utf-8"))


def prune(curated: Path, keep: int = KEEP) -> list[Path]:
    cur = current_publication(curated)
    removed = []
    for p in publications(curated)[:-keep] if keep > 0 else []:
        if cur is not None and p.resolve() == cur:
            continue
        shutil.rmtree(p)
        removed.append(p)
    return removed


def discard_staging(stage: Path) -> None:
    if stage and Path(stage).exists():
        shutil.rmtree(stage, ignore_errors=True)


def rollback(curated: Path, to_run_id: str | None = None) -> Path:
    """Point `current` at an earlier publication (the one before the live one by default)."""
    pubs = publications(curated)
    cur = current_publication(curated)
    if not pubs:
        raise PublishError(f"{curated}: no publications to roll back to")
    if to_run_id:
        match = [p for p in pubs if p.name == to_run_id]
        if not match:
            raise PublishError(f"{curated}: no publication {to_run_id!r}; have {', '.join(p.name for p in pubs)}")
        target = match[0]
    else:
        older = [p for p in pubs if cur is None or p.name < cur.name]
        if not older:
            raise PublishError(f"{curated}: the live publication {cur.name if cur else '-'} is the oldest kept")
        target = older[-1]
    point_current(curated, target)
    _ensure_table_links(curated, target)
    return target


@contextmanager
def refresh_lock(curated: Path, wait_seconds: float = 0.0):
    """Exclusive lock on curated/ for one refresh at a time. Waits up to wait_seconds, then LockBusy."""
    Path(curated).mkdir(parents=True, exist_ok=True)
    path = Path(curated) / ".refresh.lock"
    fh = open(path, "a+")
    deadline = time.monotonic() + max(0.0, wait_seconds)
    try:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "another process"
                    raise LockBusy(f"{curated}: another refresh is running ({holder}); "
                                   f"try again later or pass --wait SECONDS") from None
                time.sleep(0.2)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {datetime.now(timezone.utc).isoformat()}")
        fh.flush()
        yield
    finally:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        finally:
            fh.close()


def _ordered(tables: dict) -> list[str]:
    return [t for t in TABLE_ORDER if t in tables] + sorted(t for t in tables if t not in TABLE_ORDER)
