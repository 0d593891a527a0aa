"""Small curated fixtures for the freshness tests, built from polars frames with the contract's dtypes.

Invented sources (no real documents):
  - "lakeside-guide"   stated updated_on 2026-03-01 (published_on 2025-12-01), default thresholds
  - "harbor-review"    stated published_on only, 2026-02-15; thresholds warn 30 days, error 60 days
  - "meadow-notes"     no stated date; retrieved_at 2026-03-05T12:00Z (file_mtime); warn 240 hours, error 480 hours

As of 2026-03-10 every source passes, as of 2026-03-20 harbor and meadow warn, as of 2026-04-20 both error.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import polars as pl

SOURCES_SCHEMA = {
    "source_id": pl.Utf8, "file": pl.Utf8, "sha256": pl.Utf8, "bytes": pl.Int64, "media_type": pl.Utf8,
    "title": pl.Utf8, "author": pl.Utf8, "url": pl.Utf8, "published_on": pl.Date, "updated_on": pl.Date,
    "retrieved_at": pl.Datetime("us", "UTC"), "retrieved_at_basis": pl.Utf8,
    "warn_after_count": pl.Int64, "warn_after_period": pl.Utf8,
    "error_after_count": pl.Int64, "error_after_period": pl.Utf8, "n_observations": pl.Int64,
}


def source_row(source_id: str, *, updated_on=None, published_on=None,
               retrieved_at=datetime(2026, 3, 10, 9, 30, tzinfo=timezone.utc),
               warn=(180, "day"), error=(365, "day"), title=None, basis="metadata") -> dict:
    return {
        "source_id": source_id, "file": f"raw/{source_id}.txt", "sha256": "0" * 64, "bytes": 100,
        "media_type": "text/plain", "title": title if title is not None else f"Title of {source_id}",
        "author": None, "url": None, "published_on": published_on, "updated_on": updated_on,
        "retrieved_at": retrieved_at, "retrieved_at_basis": basis,
        "warn_after_count": warn[0], "warn_after_period": warn[1],
        "error_after_count": error[0], "error_after_period": error[1], "n_observations": 3,
    }


def sources_frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SOURCES_SCHEMA)


def default_sources() -> pl.DataFrame:
    return sources_frame([
        source_row("lakeside-guide", updated_on=date(2026, 3, 1), published_on=date(2025, 12, 1)),
        source_row("harbor-review", published_on=date(2026, 2, 15), warn=(30, "day"), error=(60, "day")),
        source_row("meadow-notes", retrieved_at=datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc),
                   warn=(240, "hour"), error=(480, "hour"), basis="file_mtime"),
    ])


def default_tables() -> dict[str, pl.DataFrame]:
    programs = pl.DataFrame(
        {
            "program_id": ["lakeside-ms-ml", "harbor-ms-ds", "pinecrest-ms-ai"],
            "university": ["Lakeside University", "Harbor State University", "Pinecrest Institute"],
            "degree_title": ["M.S. in Machine Learning", None, "M.S. in AI"],
            "source_ids": [["lakeside-guide", "harbor-review"], ["harbor-review"], ["meadow-notes"]],
            "as_of": [date(2026, 3, 1), date(2026, 2, 15), None],
        },
        schema={"program_id": pl.Utf8, "university": pl.Utf8, "degree_title": pl.Utf8,
                "source_ids": pl.List(pl.Utf8), "as_of": pl.Date},
    )
    courses = pl.DataFrame(
        {"course_id": ["c1", "c2"], "title": ["Probabilistic Models", "Deep Nets"],
         "source_ids": [["meadow-notes"], ["lakeside-guide", "meadow-notes"]]},
        schema={"course_id": pl.Utf8, "title": pl.Utf8, "source_ids": pl.List(pl.Utf8)},
    )
    observations = pl.DataFrame(
        {"observation_id": ["o1", "o2", "o3"], "source_id": ["lakeside-guide", "harbor-review", "lakeside-guide"],
         "entity_type": ["program"] * 3, "entity_id": ["lakeside-ms-ml", "harbor-ms-ds", "lakeside-ms-ml"]},
    )
    conflicts = pl.DataFrame(
        schema={"entity_type": pl.Utf8, "entity_id": pl.Utf8, "attribute": pl.Utf8,
                "values": pl.List(pl.Utf8), "source_ids": pl.List(pl.Utf8)},
    )
    quarantine = pl.DataFrame(schema={"table": pl.Utf8, "record": pl.Utf8, "rule": pl.Utf8,
                                      "message": pl.Utf8, "run_id": pl.Utf8})
    return {"programs": programs, "courses": courses, "observations": observations,
            "conflicts": conflicts, "quarantine": quarantine}


def write_curated(root: Path, sources: pl.DataFrame, tables: dict[str, pl.DataFrame]) -> Path:
    curated = root / "curated"
    curated.mkdir(parents=True, exist_ok=True)
    sources.write_parquet(curated / "sources.parquet")
    for name, frame in tables.items():
        frame.write_parquet(curated / f"{name}.parquet")
    return curated
