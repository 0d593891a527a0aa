"""quality.html / quality.json: failed rules with their source quotes, everything escaped."""

from __future__ import annotations

import json

import polars as pl

import validate_fixtures as vf
from flows.report.quality import write_quality_report
from flows.validate.nodes import validate_tables

HOSTILE_ID = "<script>alert(1)</script>"
HOSTILE_UNI = "<img src=x onerror=alert(2)>"


def _outcome_and_obs():
    progs = vf.programs(vf.program("lakeside-ms-ds"),
                        vf.program(HOSTILE_ID, university=HOSTILE_UNI, tuition_usd=7.0, tuition_usd_low=7.0,
                                   tuition_usd_high=7.0))
    obs = pl.concat([vf.observations(), pl.DataFrame([{
        "observation_id": "o9", "source_id": "src_a", "entity_type": "program", "entity_id": HOSTILE_ID,
        "attribute": "tuition", "value": "7", "value_num": 7.0, "value_num_high": None, "qualifier": "exact",
        "char_start": 0, "char_end": 8, "quote": vf.TEXT_A[0:8], "extractor": "test"}], schema=vf.observations().schema)])
    out = validate_tables(vf.all_tables(programs=progs, observations=obs), run_id="rep-run",
                          source_texts=vf.source_texts(), use_gx=False)
    return out, obs


def test_report_lists_failed_rule_with_source_quote_and_escapes(tmp_path):
    out, obs = _outcome_and_obs()
    paths = write_quality_report(out, obs, tmp_path)
    html = paths["html"].read_text(encoding="utf-8")
    assert HOSTILE_ID not in html and "<img src=x" not in html and "onerror=alert(2)>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "tuition_usd_range" in html
    assert vf.TEXT_A[0:8] in html and "src_a" in html and "[0:8]" in html  # the quote behind the failure
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    rule = next(r for r in data["failed_rules"] if r["rule"] == "tuition_usd_range")
    [row] = rule["rows"]
    assert row["key"] == HOSTILE_ID and row["quarantined"]
    assert row["quotes"][0]["quote"] == vf.TEXT_A[0:8] and row["quotes"][0]["attribute"] == "tuition"
    assert data["quarantine_count"] == 1 and data["tables"]["programs"]["rows_quarantined"] == 1
    assert data["tables"]["programs"]["fail"] >= 1


def test_static_rule_pages_when_no_gx(tmp_path):
    out, obs = _outcome_and_obs()
    paths = write_quality_report(out, obs, tmp_path)
    page = (tmp_path / "quality" / "index.html").read_text(encoding="utf-8")
    assert paths["data_docs"] == tmp_path / "quality" / "index.html"
    assert "credits_range" in page and "tuition_usd_range" in page
    assert HOSTILE_ID not in page and "<img src=x" not in page
    assert "http://" not in page and "https://" not in page  # opens offline


def test_warning_rows_show_quotes_too(tmp_path):
    progs = vf.programs(vf.program("lakeside-ms-ds", tuition_usd=None, tuition_usd_low=None, tuition_usd_high=None))
    out = validate_tables(vf.all_tables(programs=progs), run_id="w", use_gx=False)
    paths = write_quality_report(out, vf.observations(), tmp_path)
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    rule = next(r for r in data["failed_rules"] if r["rule"] == "tuition_stated")
    assert rule["status"] == "warn" and rule["rows"][0]["key"] == "lakeside-ms-ds"
    assert not rule["rows"][0]["quarantined"]
    assert {q["observation_id"] for q in rule["rows"][0]["quotes"]} == {"o1"}  # evidence: tuition
