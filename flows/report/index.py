"""reports/index.html (the live publication, then what the last run did, then every report) and the
run summary (run.html + run.json). ``reports/pages.json`` records which publication each page describes."""

from __future__ import annotations

import json
from pathlib import Path

from flows.report.render import render, write_atomic

REPORTS = (
    ("Data quality", "quality.html", "per table pass/warn/fail, failed rules with their source quotes, quarantine"),
    ("GX Data Docs", "quality/index.html", "Great Expectations validation results (offline)"),
    ("Freshness", "freshness.html", "age of each source against its thresholds; per table and per program"),
    ("Conflicts", "conflicts.html", "values that disagree across sources, with every statement and its source"),
    ("Changes", "changes.html", "what changed since the previous publication, with the quotes behind old and new values"),
    ("Programs", "programs.html", "the programs table, every value linked to its statements in the source viewer"),
    ("Sources", "sources/index.html", "each source's text with every extracted fact highlighted"),
    ("Extraction", "extraction.html", "facts per source and kind; lines that look factual but yielded nothing"),
    ("Last run", "run.html", "what the last refresh did"),
    ("Data dictionary", "data_dictionary.html", "every curated table's columns, types, constraints, descriptions"),
    ("freshness.json", "freshness.json", "freshness for machines"),
    ("quality.json", "quality.json", "data quality for machines"),
    ("run.json", "run.json", "last run for machines"),
)
PAGES_FILE = "pages.json"


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def record_pages(reports: Path, publication: str | None, pages: list[str]) -> None:
    """Note that ``pages`` (paths under reports/) now describe ``publication``."""
    reports = Path(reports)
    known = _read_json(reports / PAGES_FILE)
    for p in pages:
        known[p] = publication
    write_atomic(reports / PAGES_FILE, json.dumps(known, indent=2, sort_keys=True))


def write_run_summary(summary: dict, reports: Path) -> list[Path]:
    reports = Path(reports)
    return [
        write_atomic(reports / "run.json", json.dumps(summary, indent=2, default=str)),
        write_atomic(reports / "run.html", render("run.html.j2", s=summary, here="run.html")),
    ]


def write_index(reports: Path, curated: Path | None = None, pending_run: dict | None = None,
                freshness: dict | None = None) -> Path:
    """The index: the live publication (curated/manifest.json), the last run (run.json), every report.

    ``pending_run``: the run being reported, not yet in curated/runs.parquet (a run_summary dict).
    ``freshness``: the freshness report just written (default: read back from reports/freshness.json).
    """
    from flows.report.runs_chart import runs_chart
    from flows.publish.runs import read_runs

    reports = Path(reports)
    summary = _read_json(reports / "run.json")
    curated = Path(curated) if curated else (Path(summary["curated"]) if summary.get("curated") else None)
    live = _read_json(curated / "manifest.json") if curated else {}
    described = _read_json(reports / PAGES_FILE)
    fresh = freshness if freshness is not None else _read_json(reports / "freshness.json")
    if fresh:
        described["freshness.html"] = described["freshness.json"] = fresh.get("publication")
    links = [{"name": name, "href": href if (reports / href).exists() else None, "what": what,
              "describes": described.get(href)} for name, href, what in REPORTS]
    chart = runs_chart(runs_with(read_runs(curated), pending_run)) if curated else {"bars": []}
    return write_atomic(reports / "index.html", render(
        "index.html.j2", here="index.html", s=summary, live=live or None, links=links,
        fresh=fresh.get("summary") if fresh else None, chart=chart))


def runs_with(runs, pending: dict | None):
    """curated/runs.parquet plus the run being reported (appended after the report stage)."""
    import polars as pl

    from flows.publish.runs import RUN_SCHEMA

    if not pending or pending.get("run_id") in set(runs["run_id"].to_list()):
        return runs
    from datetime import datetime

    try:
        started = datetime.fromisoformat(pending.get("started_at") or "")
    except ValueError:
        started = datetime.now().astimezone()
    row = {"run_id": pending["run_id"], "started_at": started,
           "status": pending.get("status"), "rows_per_table": json.dumps(pending.get("rows") or {}),
           "validation_outcome": pending.get("validation"), "message": pending.get("message")}
    return pl.concat([runs.cast(RUN_SCHEMA), pl.from_dicts([row], schema=RUN_SCHEMA)], how="vertical")
