"""Write-audit-publish for curated/.

Layout of a curated directory:
    curated/staging/<run_id>/        a run writes here first (audit happens on these files)
    curated/publications/<run_id>/   every good publication, the newest KEEP kept for rollback
    curated/current -> publications/<run_id>   the live publication: one symlink, swapped atomically
    curated/<table>.parquet -> current/<table>.parquet, curated/manifest.json -> current/manifest.json
    curated/runs.parquet             run history (append-only, outside publications)
    curated/.trash/                  publications being pruned: renamed here first, then deleted
A failed run never touches `current`, so the last good publication stays live and byte-for-byte intact.

The store checks itself: a publication is whole when its manifest.json names every table file and each file's
sha256 and row count match (verify_publication). The refresh verifies the live one before trusting it,
rollback refuses one that is not whole, and pruning renames a publication out of publications/ before deleting
it, so a kill mid-delete never leaves a half-deleted publication that looks whole. Staging and trash left by
a killed run are removed by the next one (under the lock).
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

from flows.common.errors import EnvironmentFailure, environment_guard
from flows.common import files
from flows.common.files import atomic_write_text

KEEP = 5
CURRENT = "current"
TRASH = ".trash"
TABLE_ORDER = ("programs", "courses", "specializations", "careers", "observations", "sources",
               "conflicts", "quarantine")


__all__ = ["EnvironmentFailure", "PublishError", "LockBusy"]


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
    # (imported here: the change check before a refresh reads manifests from this module, and must not wait for
    # pandera, which schemas.tables imports, before it can start the validation engine)
    from schemas.tables import parquet_bytes

    stage = Path(curated) / "staging" / run_id
    try:
        with environment_guard(stage):
            if stage.exists():
                shutil.rmtree(stage)
            stage.mkdir(parents=True)
            for name in _ordered(tables):
                # the contract's column descriptions and the run id ride in the Parquet schema metadata
                files.atomic_write_bytes(stage / f"{name}.parquet", parquet_bytes(tables[name], name, run_id))
    except BaseException:
        discard_staging(stage)  # a full disk must not leave half a staging dir behind
        raise
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
    atomic_write_text(stage / "manifest.json", json.dumps(manifest, indent=2, default=str))  # written last
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
    with environment_guard(pubs):
        pubs.mkdir(parents=True, exist_ok=True)
        dest = pubs / stage.name
        os.replace(stage, dest)               # same filesystem: atomic directory rename
        point_current(curated, dest)
        _ensure_table_links(curated, dest)
        prune(curated, keep)
    return dest


def point_current(curated: Path, publication: Path) -> None:
    with environment_guard(Path(curated) / CURRENT):
        _point_current(curated, publication)


def _point_current(curated: Path, publication: Path) -> None:
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
    if not pubs.exists():
        return []
    return sorted((p for p in pubs.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")),
                  key=lambda p: p.name)


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
    try:
        return json.loads((cur / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_manifest(publication: Path) -> tuple[dict | None, str | None]:
    """(manifest, None) or (None, why it cannot be read)."""
    p = Path(publication) / "manifest.json"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "manifest.json is missing"
    except (OSError, ValueError) as exc:
        return None, f"manifest.json is unreadable ({type(exc).__name__})"
    if not isinstance(data, dict) or not isinstance(data.get("tables"), dict):
        return None, "manifest.json has no table list"
    return data, None


def verify_publication(publication: Path) -> list[str]:
    """What is wrong with a publication: each problem names the file ('programs.parquet: sha256 differs from
    the manifest (file damaged or edited)'). Empty when every table file the manifest lists is there with its
    sha256 and row count."""
    import pyarrow.parquet as pq

    publication = Path(publication)
    manifest, why = read_manifest(publication)
    if manifest is None:
        return [why]
    problems = []
    for name, entry in sorted(manifest["tables"].items()):
        fname = (entry or {}).get("path") or f"{name}.parquet"
        p = publication / fname
        if p.is_symlink() or not p.is_file():
            problems.append(f"{fname}: missing")
            continue
        try:
            digest = sha256_file(p)
        except OSError as exc:
            problems.append(f"{fname}: unreadable ({exc.strerror})")
            continue
        if digest != entry.get("sha256"):
            problems.append(f"{fname}: sha256 differs from the manifest (file damaged or edited)")
            continue
        try:
            rows = pq.ParquetFile(p).metadata.num_rows
        except Exception as exc:  # noqa: BLE001 - any read failure means damaged
            problems.append(f"{fname}: not readable as Parquet ({type(exc).__name__})")
            continue
        if rows != entry.get("rows"):
            problems.append(f"{fname}: {rows} rows, the manifest says {entry.get('rows')}")
    return problems


def live_state(curated: Path) -> tuple[dict | None, list[str]]:
    """(the live manifest, problems). Problems empty: the live publication is whole and may be trusted.
    No publication at all is (None, [])."""
    curated = Path(curated)
    link = curated / CURRENT
    if not link.is_symlink():
        return None, []
    cur = current_publication(curated)
    if cur is None:
        return None, [f"{CURRENT} points at {os.readlink(link)}, which does not exist"]
    problems = verify_publication(cur)
    manifest, _ = read_manifest(cur)
    if not problems:
        try:
            _ensure_table_links(curated, cur)  # repair links a killed promote left unswapped
        except OSError:
            pass  # a read-only curated/ (validate, freshness): the links are only a convenience
    return manifest, [f"{cur.name}/{p}" for p in problems]


def prune(curated: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest ``keep`` publications (never the live one). Each is first renamed into
    curated/.trash/ (one atomic rename), then deleted: a kill mid-delete leaves only trash, which the next
    run removes, never a half-deleted publication under publications/."""
    cur = current_publication(curated)
    removed = []
    trash = Path(curated) / TRASH
    for p in publications(curated)[:-keep] if keep > 0 else []:
        if cur is not None and p.resolve() == cur:
            continue
        trash.mkdir(exist_ok=True)
        gone = trash / f"{p.name}.{os.getpid()}"
        os.replace(p, gone)
        shutil.rmtree(gone)
        removed.append(p)
    return removed


def discard_staging(stage: Path) -> None:
    if stage and Path(stage).exists():
        shutil.rmtree(stage, ignore_errors=True)


def clean_leftovers(curated: Path) -> list[str]:
    """Remove what a killed or failed run left behind: staging dirs, trash, temporary links and files.
    Call only while holding the refresh lock (no other run is staging then). Returns what was removed."""
    curated = Path(curated)
    removed = []
    for d in (curated / "staging", curated / TRASH):
        if d.is_dir():
            for p in sorted(d.iterdir()):
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p, ignore_errors=True)
                else:
                    p.unlink(missing_ok=True)
                removed.append(p.relative_to(curated).as_posix())
    for p in sorted(curated.glob(".*.tmp")):
        if p.is_symlink() or p.is_file():
            p.unlink(missing_ok=True)
            removed.append(p.name)
    return removed


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
    problems = verify_publication(target)
    if problems:
        whole = [p.name for p in pubs if p != target and not verify_publication(p)]
        raise PublishError(f"{curated}: publication {target.name} is incomplete or damaged ({'; '.join(problems)}); "
                           f"not made live" + (f" (whole ones: {', '.join(whole)}; use --to)" if whole else ""))
    point_current(curated, target)
    _ensure_table_links(curated, target)
    return target


@contextmanager
def refresh_lock(curated: Path, wait_seconds: float = 0.0):
    """Exclusive lock on curated/ for one refresh at a time. Waits up to wait_seconds, then LockBusy.
    Once held, what a killed run left (staging, trash, temporary files) is removed; the lock yields that list.
    A curated/ that cannot be written (read-only, disk full) raises EnvironmentFailure."""
    path = Path(curated) / ".refresh.lock"
    with environment_guard(path):
        Path(curated).mkdir(parents=True, exist_ok=True)
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
        with environment_guard(curated):
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()} since {datetime.now(timezone.utc).isoformat()}")
            fh.flush()
            cleaned = clean_leftovers(curated)
        yield cleaned
    finally:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        finally:
            fh.close()


def _ordered(tables: dict) -> list[str]:
    return [t for t in TABLE_ORDER if t in tables] + sorted(t for t in tables if t not in TABLE_ORDER)
