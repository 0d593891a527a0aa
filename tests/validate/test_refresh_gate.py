"""End to end through `gradfacts refresh` (typer CliRunner, in-process Prefect flow): documents of our
own (invented schools) stating out-of-range values and hostile program names."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "validate"
HOSTILE = ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>")

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    from flows.cli import app

    root = tmp_path_factory.mktemp("gate")
    raw = root / "raw"
    raw.mkdir()
    for name in ("out_of_range_programs.md", "hostile_program_names.md"):
        shutil.copy(FIXTURES / name, raw / name)
    result = CliRunner().invoke(app, ["refresh", "--raw", str(raw), "--curated", str(root / "curated"),
                                      "--reports", str(root / "reports")])
    return root, result


def test_refresh_holds_back_out_of_range_statements_and_publishes_their_rows(refreshed):
    root, result = refreshed
    assert result.exit_code == 0, result.output
    q = pl.read_parquet(root / "curated" / "quarantine.parquet")
    progs = pl.read_parquet(root / "curated" / "programs.parquet")
    by_id = {r["program_id"]: r for r in progs.to_dicts()}
    by_school = {r["university"]: r for r in progs.to_dicts()}
    # each bad statement is quarantined alone, with its quote and span; its row is published without it
    held = {(by_id[r["record_key"]]["university"], r["rule"], r["quote"]) for r in q.to_dicts()}
    assert held == {("Ridgeway Institute of Technology", "tuition_usd_range", "$7"),
                    ("Marlowe College", "tuition_usd_range", "$990,000"),
                    ("Lakeside University", "credits_range", "300")}
    assert set(q["scope"].to_list()) == {"statement"} and set(q["engine"].to_list()) == {"resolve"}
    src = (root / "raw" / "out_of_range_programs.md").read_text(encoding="utf-8")
    for r in q.to_dicts():
        assert src[r["char_start"]:r["char_end"]] == r["quote"] and r["source_id"] and r["message"]
    assert {"Fenwick State University", "Quarry Hill University", "Brackenridge University", "Lakeside University",
            "Ridgeway Institute of Technology", "Marlowe College"} <= set(by_school)
    lakeside = by_school["Lakeside University"]
    assert lakeside["credits"] is None and lakeside["tuition_usd"] == 31500  # the good tuition stays
    assert lakeside["held_back"] == ["credits_range: 300"]
    assert by_school["Ridgeway Institute of Technology"]["tuition_usd"] is None
    assert by_school["Ridgeway Institute of Technology"]["credits"] == 30
    assert by_school["Marlowe College"]["tuition_usd"] is None and by_school["Marlowe College"]["gre_policy"] == "required"
    assert by_school["Fenwick State University"]["held_back"] == []
    assert progs["tuition_usd"].drop_nulls().is_between(1000, 150000).all()


def test_both_reports_list_the_quarantined_rows_with_their_source_words(refreshed):
    root, _ = refreshed
    data = json.loads((root / "reports" / "quality.json").read_text(encoding="utf-8"))
    rule = next(r for r in data["failed_rules"] if r["rule"] == "tuition_usd_range")
    assert rule["scope"] == "statement"
    quotes = {q["quote"] for row in rule["rows"] for q in row["quotes"]}
    assert quotes == {"$7", "$990,000"}  # each row shows its own held-back statement, not its other tuition facts
    src = (root / "raw" / "out_of_range_programs.md").read_text(encoding="utf-8")
    for row in rule["rows"]:
        for q in row["quotes"]:
            assert src[q["char_start"]:q["char_end"]] == q["quote"]
    html = (root / "reports" / "quality.html").read_text(encoding="utf-8")
    assert "tuition_usd_range" in html and "$990,000" in html and "Marlowe College" in html
    assert (root / "reports" / "quality" / "index.html").exists()


def test_hostile_names_are_escaped_in_every_report(refreshed):
    root, _ = refreshed
    progs = pl.read_parquet(root / "curated" / "programs.parquet")
    assert any(HOSTILE[0] in (t or "") for t in progs["degree_title"].to_list())  # data kept verbatim
    pages = list((root / "reports").rglob("*.html"))
    assert len(pages) > 3
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in p.read_text(encoding="utf-8") for p in pages)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for bad in HOSTILE:
            assert bad not in text, page
        assert "onerror=alert(2)>" not in text, page


def test_validate_command_revalidates_the_publication(refreshed):
    from flows.cli import app

    root, _ = refreshed
    result = CliRunner().invoke(app, ["validate", "--curated", str(root / "curated"),
                                      "--reports", str(root / "revalidated")])
    assert result.exit_code == 0, result.output  # the published rows pass; quarantined ones are shown
    data = json.loads((root / "revalidated" / "quality.json").read_text(encoding="utf-8"))
    assert data["blocking"] == []
    assert data["quarantine_count"] == 3  # the publication's own quarantine
