"""Rules of the new tuition columns and the statement-level quarantine (polars engine)."""

from __future__ import annotations

import json

import polars as pl

import validate_fixtures as vf
from flows.resolve.nodes import HELD_BACK_SCHEMA
from flows.validate.nodes import validate_tables
from schemas.tables import polars_schema


def run(**replace):
    return validate_tables(vf.all_tables(**replace), run_id="t-run", source_texts=vf.source_texts(), use_gx=False)


def result(out, rule):
    return next(r for r in out.results if r.table == "programs" and r.rule == rule)


def test_rate_ranges_per_unit_quarantine_rows_with_their_rule():
    progs = vf.programs(
        vf.program("ok", tuition_per_credit_usd=280.0, credits=30, tuition_usd=8400.0),
        vf.program("per-credit-9", tuition_per_credit_usd=9.0, tuition_usd=None, tuition_usd_low=None,
                   tuition_usd_high=None, tuition_basis=None),
        vf.program("per-course-big", tuition_per_course_usd=90000.0),
        vf.program("annual-tiny", tuition_annual_usd=20.0),
        vf.program("bad-basis", tuition_basis="guessed"),
    )
    out = run(programs=progs)
    q = {r["record_key"]: r["rule"] for r in out.quarantine.to_dicts()}
    assert q == {"per-credit-9": "tuition_per_credit_usd_range", "per-course-big": "tuition_per_course_usd_range",
                 "annual-tiny": "tuition_annual_usd_range", "bad-basis": "tuition_basis.isin"}
    assert out.tables["programs"]["program_id"].to_list() == ["ok"]


def test_stated_total_far_from_rate_times_credits_is_a_warning():
    progs = vf.programs(
        vf.program("agrees", tuition_per_credit_usd=280.0, credits=30, tuition_usd=8400.0),
        vf.program("within-15", tuition_per_credit_usd=300.0, credits=30, tuition_usd=8400.0),  # 9000 vs 8400
        vf.program("far-off", tuition_per_credit_usd=600.0, credits=30, tuition_usd=8400.0),  # 18000 vs 8400
        vf.program("derived", tuition_per_credit_usd=600.0, credits=30, tuition_usd=8400.0,
                   tuition_basis="per_credit_x_credits"),  # not a stated total: not compared
        vf.program("no-rate", credits=30, tuition_usd=8400.0),
    )
    out = run(programs=progs)
    r = result(out, "tuition_matches_rate_x_credits")
    assert (r.severity, r.status, r.failing_rows) == ("warning", "warn", 1)
    assert [s["program_id"] for s in r.sample] == ["far-off"]
    assert out.tables["programs"].height == 5  # a warning publishes every row
    assert out.quarantine.height == 0


def test_held_back_statements_become_statement_quarantine_rows():
    held = pl.DataFrame([{
        "table": "programs", "record_key": "lakeside-ms-ds", "rule": "credits_range",
        "message": "credits 15 is outside 24-60", "attribute": "credits", "source_id": "src_a",
        "char_start": 3, "char_end": 13, "quote": "15 credits",
        "record": json.dumps({"program_id": "lakeside-ms-ds", "quote": "15 credits", "source_id": "src_a"})}],
        schema=HELD_BACK_SCHEMA)
    tables = vf.all_tables()
    tables["held_back"] = held
    out = validate_tables(tables, run_id="t-run", source_texts=vf.source_texts(), use_gx=False)
    assert "held_back" not in out.tables  # not a curated table: it ends up in quarantine
    (q,) = out.quarantine.to_dicts()
    assert (q["scope"], q["engine"], q["rule"], q["record_key"], q["quote"], q["run_id"]) == (
        "statement", "resolve", "credits_range", "lakeside-ms-ds", "15 credits", "t-run")
    assert (q["char_start"], q["char_end"], q["source_id"]) == (3, 13, "src_a")
    assert out.quarantine.schema == pl.Schema(polars_schema("quarantine"))
    r = next(r for r in out.results if r.scope == "statement")
    assert (r.rule, r.status, r.failing_rows, r.engine) == ("credits_range", "fail", 1, "resolve")
    # the row itself was published: the table keeps all its rows
    assert out.tables["programs"].height == tables["programs"].height
    assert out.blocking == []
