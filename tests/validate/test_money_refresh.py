"""Money by unit and statement-level quarantine through `gradfacts refresh` (one in-process flow run over five
documents of our own, invented schools): an annual ranking, a per-credit page with the credits elsewhere, a
per-course page, in-state / out-of-state rates, and a page whose one bad credit count must not hide its tuition."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "money"
DOCS = ("annual_ranking.md", "per_credit_page.md", "per_course_page.md", "residency_rates.md", "bad_credit_count.md")

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from flows.cli import app

    root = tmp_path_factory.mktemp("money")
    (root / "raw").mkdir()
    for name in DOCS:
        shutil.copy(FIXTURES / name, root / "raw" / name)
    result = CliRunner().invoke(app, ["refresh", "--raw", str(root / "raw"), "--curated", str(root / "curated"),
                                      "--reports", str(root / "reports"), "--as-of", "2026-11-30"])
    assert result.exit_code == 0, result.output
    progs = pl.read_parquet(root / "curated" / "programs.parquet")
    return root, {r["university"]: r for r in progs.to_dicts()}


def test_annual_ranking_fills_annual_and_leaves_totals_null(run):
    _, p = run
    for school, annual in (("Pinecrest State University", 14200), ("Hollowell University", 19750),
                           ("Saltmarsh Institute of Technology", 23400), ("Quillfeather College", 58820)):
        row = p[school]
        assert row["tuition_annual_usd"] == annual, school
        assert (row["tuition_usd"], row["tuition_usd_low"], row["tuition_usd_high"], row["tuition_basis"]) == (
            None, None, None, None), school


def test_per_credit_page_derives_its_total_from_credits_stated_elsewhere(run):
    _, p = run
    row = p["Kestrel Bay University"]
    assert (row["tuition_per_credit_usd"], row["credits"]) == (1050, 32)
    assert (row["tuition_usd"], row["tuition_qualifier"], row["tuition_basis"]) == (33600, "exact",
                                                                                    "per_credit_x_credits")


def test_per_course_page(run):
    _, p = run
    row = p["Larkspur University"]
    assert row["tuition_per_course_usd"] == 2850 and row["tuition_per_credit_usd"] is None
    assert (row["tuition_usd"], row["tuition_basis"]) == (28500, "per_course_x_courses")  # "Courses: 10"


def test_in_state_and_out_of_state_rates(run):
    _, p = run
    row = p["Wrenfield State University"]
    assert row["tuition_per_credit_usd"] == 675  # midpoint of $540 and $810
    assert (row["tuition_usd_low"], row["tuition_usd_high"], row["tuition_qualifier"], row["tuition_basis"]) == (
        16200, 24300, "range", "per_credit_x_credits")
    other = p["Dovecote State University"]
    assert (other["tuition_per_credit_usd"], other["tuition_usd"], other["tuition_basis"]) == (610, 20130,
                                                                                               "per_credit_x_credits")


def test_one_bad_credit_count_does_not_hide_the_good_tuition(run):
    root, p = run
    row = p["Ashbourne University"]
    assert (row["tuition_usd"], row["tuition_basis"], row["gre_policy"]) == (27900, "stated", "optional")
    assert row["credits"] is None and row["held_back"] == ["credits_range: 15 credits"]
    q = pl.read_parquet(root / "curated" / "quarantine.parquet")
    (h,) = q.filter(pl.col("record_key") == row["program_id"]).to_dicts()
    assert (h["scope"], h["rule"], h["quote"], h["attribute"]) == ("statement", "credits_range", "15 credits", "credits")
    src = (root / "raw" / "bad_credit_count.md").read_text(encoding="utf-8")
    assert src[h["char_start"]:h["char_end"]] == "15 credits" and h["source_id"]
    assert q.height == 1  # nothing else was held back
    # the quality report shows the held-back statement beside its row, with its own words
    data = json.loads((root / "reports" / "quality.json").read_text(encoding="utf-8"))
    rule = next(r for r in data["failed_rules"] if r["rule"] == "credits_range" and r["scope"] == "statement")
    (shown,) = rule["rows"]
    assert shown["key"] == row["program_id"] and [x["quote"] for x in shown["quotes"]] == ["15 credits"]
    html = (root / "reports" / "quality.html").read_text(encoding="utf-8")
    assert "statement held back; row published without it" in html and "Ashbourne University" in html


def test_observations_carry_units_and_no_total_comes_from_a_rate(run):
    root, p = run
    obs = pl.read_parquet(root / "curated" / "observations.parquet")
    money = obs.filter(pl.col("attribute").is_in(["tuition", "tuition_per_credit"]))
    units = dict(money.group_by("unit").len().iter_rows())
    assert units == {"year": 4, "credit": 3, "course": 1, "degree": 1}
    covers = {(r["quote"], r["covers"]) for r in money.filter(pl.col("unit").is_in(["year", "degree"])).to_dicts()}
    assert covers == {("$14,200", "tuition_and_fees"), ("$19,750", "tuition_and_fees"), ("$23,400", "tuition_and_fees"),
                      ("$58,820 /Yr", "tuition"), ("$27,900", "tuition")}  # header, key and sentence words
    for row in p.values():
        if row["tuition_usd"] is not None:
            assert row["tuition_basis"] in ("stated", "per_credit_x_credits", "per_course_x_courses")
        if row["tuition_basis"] == "stated":
            stated = money.filter((pl.col("entity_id") == row["program_id"]) & (pl.col("unit") == "degree"))
            assert stated.height >= 1


def test_published_parquet_carries_descriptions_and_run_id(run):
    root, _ = run
    manifest = json.loads((root / "curated" / "manifest.json").read_text(encoding="utf-8"))
    from schemas.tables import column_descriptions

    for table in ("programs", "observations", "quarantine", "specializations", "courses"):
        sch = pq.read_schema(root / "curated" / f"{table}.parquet")
        assert sch.metadata[b"gradfacts.run_id"].decode() == manifest["run_id"]
        assert sch.field(sch.names[0]).metadata[b"description"].decode() == column_descriptions(table)[sch.names[0]]
    assert b"description" in pq.read_schema(root / "curated" / "programs.parquet").field("tuition_basis").metadata
