"""reports/conflicts.html: the live publication's conflicts table, for reviewers."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from flows.report.render import render, write_atomic


def write_conflicts_report(curated: Path, reports: Path) -> Path | None:
    path = Path(curated) / "conflicts.parquet"
    if not path.exists():
        return None
    rows = pl.read_parquet(path).to_dicts()
    live = Path(curated) / "current"
    describes = f"Conflicts of publication {live.resolve().name}." if live.exists() else None
    return write_atomic(Path(reports) / "conflicts.html", render("conflicts.html.j2", rows=rows, here="conflicts.html",
                                                                 describes=describes))
