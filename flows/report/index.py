"""reports/index.html (links every report) and the run summary (run.html + run.json)."""

from __future__ import annotations

import json
from pathlib import Path

from flows.report.render import render, write_atomic

REPORTS = (
    ("Data quality", "quality.html", "per table pass/warn/fail, failed rules with their source quotes, quarantine"),
    ("GX Data Docs", "quality/index.html", "Great Expectations validation results"),
    ("Freshness", "freshness.html", "age of each source against its thresholds; per table and per program"),
    ("Conflicts", "conflicts.html", "values that disagree across sources, with every statement and its source"),
    ("Run summary", "run.html", "what the last refresh did"),
    ("Extraction", "extraction.html", "facts per source and kind; lines that look factual but yielded nothing"),
    ("Data dictionary", "data_dictionary.html", "every curated table's columns, types, constraints, descriptions"),
    ("freshness.json", "freshness.json", "freshness for machines"),
    ("quality.json", "quality.json", "data quality for machines"),
    ("run.json", "run.json", "run summary for machines"),
)


def write_run_summary(summary: dict, reports: Path) -> list[Path]:
    reports = Path(reports)
    return [
        write_atomic(reports / "run.json", json.dumps(summary, indent=2, default=str)),
        write_atomic(reports / "run.html", render("run.html.j2", s=summary)),
    ]


def write_index(reports: Path) -> Path:
    reports = Path(reports)
    summary = json.loads((reports / "run.json").read_text(encoding="utf-8")) if (reports / "run.json").exists() else {}
    links = [(name, href if (reports / href).exists() else None, what) for name, href, what in REPORTS]
    fresh = None
    if (reports / "freshness.json").exists():
        fresh = json.loads((reports / "freshness.json").read_text(encoding="utf-8")).get("summary")
    return write_atomic(reports / "index.html", render("index.html.j2", s=summary, links=links, fresh=fresh))
