"""Run history: one row per refresh in curated/runs.parquet (append-only, written atomically).

A history that cannot be read (truncated, not Parquet, other columns) is never allowed to stop a refresh:
the next append sets it aside as ``runs.damaged-<UTC time>.parquet`` (kept, not deleted), says so in the new
row's message, and starts a new history. Reading it (``gradfacts runs``) reports the damage and shows none.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from flows.common.errors import environment_guard
from flows.common.files import atomic_write_parquet

log = logging.getLogger("gradfacts.runs")

RUNS_FILE = "runs.parquet"
RUN_SCHEMA = {
    "run_id": pl.Utf8, "started_at": pl.Datetime("us", "UTC"), "finished_at": pl.Datetime("us", "UTC"),
    "status": pl.Utf8,            # published | unchanged | failed | rolled_back
    "sources_seen": pl.Int64, "sources_changed": pl.Int64, "sources_extracted": pl.Int64,
    "rows_per_table": pl.Utf8,    # JSON object {table: rows}
    "validation_outcome": pl.Utf8,  # pass | warn | fail | skipped
    "quarantined_rows": pl.Int64,
    "message": pl.Utf8,
}


def _read(p: Path) -> tuple[pl.DataFrame | None, str | None]:
    """(history, None) or (None, why it is unusable)."""
    try:
        df = pl.read_parquet(p)
    except Exception as exc:  # noqa: BLE001 - polars raises several types for a damaged file
        return None, f"unreadable ({type(exc).__name__}: {' '.join(str(exc).split())[:120]})"
    missing = [c for c in RUN_SCHEMA if c not in df.columns]
    if missing:
        return None, f"not a run history (columns missing: {', '.join(missing)})"
    try:
        return df.select(list(RUN_SCHEMA)).cast(RUN_SCHEMA), None
    except Exception as exc:  # noqa: BLE001
        return None, f"columns of the wrong type ({type(exc).__name__})"


def runs_problem(curated: Path) -> str | None:
    """Why curated/runs.parquet cannot be used, or None (also None when there is no history yet)."""
    p = Path(curated) / RUNS_FILE
    return _read(p)[1] if p.exists() else None


def read_runs(curated: Path) -> pl.DataFrame:
    """The run history; an empty one (with a warning naming the file) when it is damaged."""
    p = Path(curated) / RUNS_FILE
    if not p.exists():
        return pl.DataFrame(schema=RUN_SCHEMA)
    df, why = _read(p)
    if df is None:
        log.warning("%s is %s; showing no history (the next refresh sets it aside and starts a new one)", p, why)
        return pl.DataFrame(schema=RUN_SCHEMA)
    return df


def set_aside_damaged(curated: Path) -> tuple[Path, str] | None:
    """Rename a damaged curated/runs.parquet out of the way (kept for inspection). (new path, why) or None."""
    p = Path(curated) / RUNS_FILE
    if not p.exists():
        return None
    df, why = _read(p)
    if df is not None:
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    dest = p.with_name(f"runs.damaged-{stamp}.parquet")
    with environment_guard(p):
        os.replace(p, dest)
    log.warning("%s was %s; set aside as %s, a new run history was started", p, why, dest.name)
    return dest, why


def append_run(curated: Path, row: dict) -> pl.DataFrame:
    row = dict(row)
    if isinstance(row.get("rows_per_table"), dict):
        row["rows_per_table"] = json.dumps(row["rows_per_table"], sort_keys=True)
    aside = set_aside_damaged(curated)
    if aside:
        note = f"run history {RUNS_FILE} was {aside[1]}; set aside as {aside[0].name}, a new one started"
        row["message"] = f"{row.get('message') or ''}; {note}".lstrip("; ")
    new = pl.from_dicts([row], schema=RUN_SCHEMA)
    runs = pl.concat([read_runs(curated), new], how="vertical")
    atomic_write_parquet(Path(curated) / RUNS_FILE, runs)
    return runs
