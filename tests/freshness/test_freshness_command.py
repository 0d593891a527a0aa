"""freshness_command: curated/*.parquet in, reports/freshness.json + freshness.html out, exit code back."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from flows.freshness.command import EXIT_CANNOT_RUN, freshness_command, resolve_as_of
from freshness_fixtures import default_sources, default_tables, source_row, sources_frame, write_curated


def run(curated: Path, as_of, tmp_path: Path) -> tuple[int, dict, str]:
    reports = tmp_path / "reports"
    code = freshness_command(as_of, curated, reports)
    report = json.loads((reports / "freshness.json").read_text(encoding="utf-8"))
    html = (reports / "freshness.html").read_text(encoding="utf-8")
    return code, report, html


@pytest.mark.parametrize(
    "as_of, code, status",
    [(date(2026, 3, 10), 0, "pass"), (date(2026, 3, 20), 1, "warn"), (date(2026, 4, 20), 2, "error")],
)
def test_exit_code_matches_the_worst_status(curated_dir, tmp_path, as_of, code, status):
    got, report, html = run(curated_dir, as_of, tmp_path)
    assert got == code == report["exit_code"]
    assert report["summary"]["status"] == status
    assert report["as_of"] == f"{as_of.isoformat()}T00:00:00Z"
    assert "<svg" in html


def test_json_has_the_documented_shape(curated_dir, tmp_path):
    _, report, _ = run(curated_dir, date(2026, 3, 10), tmp_path)
    for key in ("as_of", "snapshotted_at", "criteria_defaults", "sources", "tables", "programs", "summary", "exit_code"):
        assert key in report
    for s in report["sources"]:
        for key in ("source_id", "title", "stated_date", "basis", "max_loaded_at", "retrieved_at",
                    "age_days", "age_hours", "criteria", "status"):
            assert key in s
        assert set(s["criteria"]) == {"warn_after", "error_after"}
    assert set(report["tables"]) == {"programs", "courses", "observations", "conflicts"}
    for t in report["tables"].values():
        for key in ("newest_source", "oldest_source", "newest_date", "oldest_date", "status"):
            assert key in t
    for p in report["programs"]:
        for key in ("program_id", "university", "newest_fact_source", "newest_fact_date", "age_days", "status"):
            assert key in p


def test_source_without_stated_date_falls_back_to_retrieved_at_and_says_so(curated_dir, tmp_path):
    _, report, html = run(curated_dir, date(2026, 3, 10), tmp_path)
    meadow = next(s for s in report["sources"] if s["source_id"] == "meadow-notes")
    assert meadow["stated_date"] is None
    assert meadow["basis"] == "retrieved_at"
    assert meadow["max_loaded_at"] == meadow["retrieved_at"] == "2026-03-05T12:00:00Z"
    assert "retrieved_at from file_mtime" in html


def test_same_as_of_gives_byte_identical_reports(curated_dir, tmp_path):
    freshness_command(date(2026, 3, 20), curated_dir, tmp_path / "a")
    freshness_command(date(2026, 3, 20), curated_dir, tmp_path / "b")
    for name in ("freshness.json", "freshness.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_json_is_indented_utf8_as_the_standard_library_writes_it(tmp_path):
    """freshness.json is encoded by orjson (fast at 10,000 sources); its bytes are json.dumps(indent=2,
    ensure_ascii=False)'s, non-ASCII titles and markup-like text included."""
    curated = write_curated(tmp_path, sources_frame([
        source_row("zurich-notes", title="Zürich — Fachhochschule 名前 <b>&amp;</b> \"quoted\""),
        source_row("plain", updated_on=date(2026, 1, 2))]), default_tables())
    freshness_command(date(2026, 3, 20), curated, tmp_path / "reports")
    written = (tmp_path / "reports" / "freshness.json").read_bytes()
    report = json.loads(written)
    assert any(s["title"].startswith("Zürich") for s in report["sources"])
    assert written == (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def test_as_of_date_is_midnight_utc_and_none_is_now():
    assert resolve_as_of(date(2026, 3, 10)) == datetime(2026, 3, 10, tzinfo=timezone.utc)
    before = datetime.now(timezone.utc)
    now = resolve_as_of(None)
    assert now.tzinfo is not None and before <= now <= datetime.now(timezone.utc)


def test_project_default_thresholds_come_from_raw_sources_yaml(tmp_path):
    # a source row without thresholds uses the default in <project>/raw/sources.yaml
    row = source_row("bare", updated_on=date(2026, 3, 1), warn=(None, None), error=(None, None))
    curated = write_curated(tmp_path, sources_frame([row]), {})
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "sources.yaml").write_text(
        "defaults:\n  freshness:\n    warn_after: {count: 3, period: day}\n    error_after: {count: 30, period: day}\n"
        "sources: []\n", encoding="utf-8")
    code, report, _ = run(curated, date(2026, 3, 10), tmp_path)
    assert report["criteria_defaults"]["warn_after"] == {"count": 3, "period": "day"}
    assert report["sources"][0]["criteria"]["error_after"] == {"count": 30, "period": "day"}
    assert report["sources"][0]["status"] == "warn" and code == 1  # 9 days > 3


def test_missing_sources_table_cannot_run(tmp_path):
    code, report, html = run(tmp_path / "nowhere", date(2026, 3, 10), tmp_path)
    assert code == EXIT_CANNOT_RUN == report["exit_code"]
    assert "sources.parquet" in report["error"]
    assert "sources.parquet" in html


def test_a_corrupt_table_is_reported_not_fatal(curated_dir, tmp_path):
    (curated_dir / "careers.parquet").write_bytes(b"not parquet at all")
    code, report, html = run(curated_dir, date(2026, 3, 10), tmp_path)
    assert code == 0
    assert "careers" in report["unreadable_tables"]
    assert "careers" not in report["tables"]
    assert "Unreadable" in html


def test_reports_dir_is_created_and_files_are_readable(curated_dir, tmp_path):
    reports = tmp_path / "deep" / "reports"
    freshness_command(date(2026, 3, 10), curated_dir, reports)
    for name in ("freshness.json", "freshness.html"):
        mode = (reports / name).stat().st_mode & 0o777
        assert mode & 0o044 == 0o044, oct(mode)
    assert not [p for p in reports.iterdir() if p.name.startswith(".")]  # no temp files left behind
