"""`gradfacts freshness` through the CLI (typer CliRunner): statuses, exit codes, basis fallback."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.ingest.nodes import ingest
from flows.ingest.sources_table import sources_table
from freshness_fixtures import write_curated

runner = CliRunner()


def invoke(curated: Path, reports: Path, as_of: str | None):
    args = ["freshness", "--curated", str(curated), "--reports", str(reports)]
    if as_of:
        args += ["--as-of", as_of]
    return runner.invoke(app, args)


def load(reports: Path) -> dict:
    return json.loads((reports / "freshness.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "as_of, code, statuses",
    [
        ("2026-03-10", 0, {"lakeside-guide": "pass", "harbor-review": "pass", "meadow-notes": "pass"}),
        ("2026-03-20", 1, {"lakeside-guide": "pass", "harbor-review": "warn", "meadow-notes": "warn"}),
        ("2026-04-20", 2, {"lakeside-guide": "pass", "harbor-review": "error", "meadow-notes": "error"}),
    ],
)
def test_as_of_dates_give_pass_warn_error_with_exit_codes(curated_dir, tmp_path, as_of, code, statuses):
    reports = tmp_path / "reports"
    result = invoke(curated_dir, reports, as_of)
    assert result.exit_code == code, result.output
    report = load(reports)
    assert report["exit_code"] == code
    assert report["as_of"] == f"{as_of}T00:00:00Z"
    assert {s["source_id"]: s["status"] for s in report["sources"]} == statuses
    assert (reports / "freshness.html").is_file()


def test_source_without_stated_date_falls_back_to_retrieved_at_via_cli(curated_dir, tmp_path):
    reports = tmp_path / "reports"
    invoke(curated_dir, reports, "2026-03-10")
    meadow = next(s for s in load(reports)["sources"] if s["source_id"] == "meadow-notes")
    assert (meadow["basis"], meadow["stated_date"], meadow["retrieved_at"]) == (
        "retrieved_at", None, "2026-03-05T12:00:00Z")
    assert meadow["age_days"] == 4.5


def test_help_documents_the_exit_codes():
    result = runner.invoke(app, ["freshness", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "0 all pass" in text and "1 any warns" in text and "2 any errors" in text
    assert "--as-of" in text


# ----------------------------------------------------------------------------- from raw text, through ingest


OWN_DATE_PAGE = """Lakeside University Online M.S. in Machine Learning
Last updated: March 1, 2026
By Dana Whitfield

Lakeside's online program costs about $8,400 in total and takes 30 credits.
"""

FOOTER_DATES_PAGE = """Harbor State Data Science Degree Overview

Harbor State offers an online master's in data science with a machine learning track.

Related articles
Posted: March 8, 2026 - Ten tips for applying to online programs
Updated: March 9, 2026 - Comparing tuition across online degrees
"""


def _raw_corpus(root: Path) -> Path:
    raw = root / "raw"
    raw.mkdir()
    mtime = datetime(2026, 2, 1, 6, 0, tzinfo=timezone.utc).timestamp()
    for name, text in (("own-date.txt", OWN_DATE_PAGE), ("footer-dates.txt", FOOTER_DATES_PAGE)):
        (raw / name).write_text(text, encoding="utf-8")
        os.utime(raw / name, (mtime, mtime))
    return raw


def test_related_articles_dates_are_not_the_pages_own(tmp_path):
    raw = _raw_corpus(tmp_path)
    docs = ingest(raw)
    curated = write_curated(tmp_path, sources_table(docs, {}), {})
    reports = tmp_path / "reports"
    # as of 2026-03-10: the footer's "March 8/9" dates would make the page 1-2 days old; its own
    # basis is the file's retrieval time (2026-02-01 06:00), 36.75 days before.
    result = invoke(curated, reports, "2026-03-10")
    assert result.exit_code == 0, result.output
    by_file = {Path(s["file"]).name: s for s in load(reports)["sources"]}
    footer = by_file["footer-dates.txt"]
    assert footer["stated_date"] is None and footer["updated_on"] is None and footer["published_on"] is None
    assert footer["basis"] == "retrieved_at"
    assert footer["retrieved_at"] == "2026-02-01T06:00:00Z"
    assert footer["retrieved_at_basis"] == "file_mtime"
    assert footer["age_days"] == 36.75
    own = by_file["own-date.txt"]
    assert (own["basis"], own["stated_date"], own["age_days"]) == ("updated_on", "2026-03-01", 9.0)
    html = (reports / "freshness.html").read_text(encoding="utf-8")
    assert "retrieved_at from file_mtime" in html
