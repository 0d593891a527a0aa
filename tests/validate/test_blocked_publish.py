"""A run whose validation blocks publishing leaves the previous publication byte for byte in place,
exits 1 naming the failed rules, and still writes the quality report (through `gradfacts refresh`)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.e2e

GOOD = """# Lakeside University Online M.S. in Machine Learning

| School | Program | Credits | Total Tuition | GRE |
|---|---|---|---|---|
| Lakeside University | M.S. in Machine Learning | 33 | $28,000 | Optional |
"""

# a page of roles only: no program at all, so programs would be empty (a bad statement alone no longer does
# that: it is held back and its row published without it)
BAD = """# Ridgeway Careers Digest

| Role | Salary Range | Growth Outlook |
|---|---|---|
| Data Wrangler | $90,000-$120,000 | High |
"""


def _refresh(root):
    from flows.cli import app

    return CliRunner().invoke(app, ["refresh", "--raw", str(root / "raw"), "--curated", str(root / "curated"),
                                    "--reports", str(root / "reports")])


def test_blocked_run_keeps_last_good_publication(tmp_path):
    (tmp_path / "raw").mkdir()
    page = tmp_path / "raw" / "programs.md"
    page.write_text(GOOD, encoding="utf-8")
    first = _refresh(tmp_path)
    assert first.exit_code == 0, first.output
    curated = tmp_path / "curated"
    before = {p.name: p.read_bytes() for p in curated.glob("*.parquet") if p.name != "runs.parquet"}
    live = json.loads((curated / "manifest.json").read_text())["run_id"]

    page.write_text(BAD, encoding="utf-8")  # no program -> programs would be empty
    second = _refresh(tmp_path)
    assert second.exit_code == 1, second.output
    assert "programs_row_count" in second.output
    after = {p.name: p.read_bytes() for p in curated.glob("*.parquet") if p.name != "runs.parquet"}
    assert after == before
    assert json.loads((curated / "manifest.json").read_text())["run_id"] == live
    assert not any((curated / "staging").iterdir())
    # the blocked run's own quality report sits in reports/runs/<run_id>/; the top level keeps the live one's
    run_id = json.loads((tmp_path / "reports" / "run.json").read_text())["run_id"]
    quality = json.loads((tmp_path / "reports" / "runs" / run_id / "quality.json").read_text())
    assert any(r["rule"] == "programs_row_count" for r in quality["failed_rules"])
    assert json.loads((tmp_path / "reports" / "quality.json").read_text())["publication"] == live
