"""Run history: one row per refresh in curated/runs.parquet (append-only, written atomically)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl

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


def read_runs(curated: Path) -> pl.DataFrame:
    p = Path(curated) / RUNS_FILE
    return pl.read_parquet(p) if p.exists() else pl.DataFrame(schema=RUN_SCHEMA)


def append_run(curated: Path, row: dict) -> pl.DataFrame:
    row = dict(row)
    if isinstance(row.get("rows_per_table"), dict):
        row["rows_per_table"] = json.dumps(row["rows_per_table"], sort_keys=True)
    new = pl.from_dicts([row], schema=RUN_SCHEMA)
    runs = pl.concat([read_runs(curated).cast(RUN_SCHEMA), new], how="vertical")
    Path(curated).mkdir(parents=True, exist_ok=True)
    tmp = Path(curated) / f".{RUNS_FILE}.{os.getpid()}.tmp"
    runs.write_parquet(tmp)
    os.replace(tmp, Path(curated) / RUNS_FILE)
    return runs
