"""Rules of the validation gate, one small polars frame at a time (polars engine: fast, no GX import)."""

from __future__ import annotations

import json

import polars as pl
import pytest

import validate_fixtures as vf
from flows.validate.nodes import validate_tables
from schemas.tables import QUARANTINE_CONTRACT_COLUMNS, polars_schema


def run(**replace):
    return validate_tables(vf.all_tables(**replace), run_id="t-run", source_texts=vf.source_texts(), use_gx=False)


def rules_of(outcome, table, key):
    q = outcome.quarantine.filter((pl.col("table") == table) & (pl.col("record_key") == key))
    return sorted(q["rule"].to_list())


def assert_conserved(outcome, tables):
    for name, df in tables.items():
        st = outcome.stats[name]
        q = outcome.quarantine.filter(pl.col("table") == name)
        assert st.rows_in == df.height
        assert st.rows_in == st.rows_out + st.rows_quarantined, name
        assert st.rows_quarantined == q["row_index"].n_unique() if q.height else st.rows_quarantined == 0
        assert outcome.tables[name].height == st.rows_out


def test_valid_tables_pass_untouched():
    tables = vf.all_tables()
    out = validate_tables(tables, run_id="t", source_texts=vf.source_texts(), use_gx=False)
    assert out.blocking == []
    assert out.quarantine.height == 0
    assert list(out.quarantine.columns[:5]) == list(QUARANTINE_CONTRACT_COLUMNS)
    assert not [r for r in out.results if r.status == "fail"]
    for name, df in tables.items():
        assert out.tables[name].height == df.height
    # the one conflict row is flagged (warning), not removed
    warned = {r.rule for r in out.results if r.status == "warn"}
    assert "program_without_conflict" not in warned  # no program has has_conflict in the fixture
    assert_conserved(out, tables)


def test_bad_credits_and_tuitions_are_quarantined_with_their_rules():
    progs = vf.programs(
        vf.program("ok-one"),
        vf.program("three-hundred-credits", credits=300),
        vf.program("seven-dollars", tuition_usd=7.0, tuition_usd_low=7.0, tuition_usd_high=7.0),
        vf.program("too-dear", tuition_usd=990000.0, tuition_usd_low=990000.0, tuition_usd_high=990000.0),
        vf.program("ok-two", credits=None, tuition_usd=None, tuition_usd_low=None, tuition_usd_high=None),
    )
    out = run(programs=progs)
    assert rules_of(out, "programs", "three-hundred-credits") == ["credits_range"]
    assert rules_of(out, "programs", "seven-dollars") == ["tuition_usd_range"]
    assert rules_of(out, "programs", "too-dear") == ["tuition_usd_range"]
    assert sorted(out.tables["programs"]["program_id"].to_list()) == ["ok-one", "ok-two"]
    assert out.blocking == []  # row-level errors quarantine, they do not block
    assert_conserved(out, vf.all_tables(programs=progs))
    # the whole row travels as JSON
    rec = out.quarantine.filter(pl.col("record_key") == "three-hundred-credits")["record"][0]
    assert json.loads(rec)["credits"] == 300 and json.loads(rec)["source_ids"] == ["src_a"]
    # a missing tuition is only a warning: published, flagged
    tr = next(r for r in out.results if r.rule == "tuition_stated")
    assert tr.status == "warn" and tr.failing_rows == 1 and tr.sample[0]["program_id"] == "ok-two"


@pytest.mark.parametrize("over, rule", [
    ({"credits": 23}, "credits_range"),
    ({"credits": 61}, "credits_range"),
    ({"tuition_usd": 999.0, "tuition_usd_low": 999.0}, "tuition_usd_range"),
    ({"tuition_usd": 150001.0, "tuition_usd_high": 150001.0}, "tuition_usd_range"),
    ({"tuition_usd_low": 9000.0}, "tuition_low_le_point"),
    ({"tuition_usd_high": 8000.0}, "tuition_point_le_high"),
    ({"ml_core_courses_min": 0}, "ml_core_courses_min_range"),
    ({"ml_core_courses_max": 16}, "ml_core_courses_max_range"),
    ({"ml_core_courses_min": 6, "ml_core_courses_max": 4}, "ml_core_courses_ordered"),
    ({"source_ids": [], "n_sources": 1}, "program_has_source"),
    ({"n_sources": 0}, "program_n_sources_positive"),
    ({"source_ids": ["src_nowhere"]}, "program_sources_known"),
    ({"gre_policy": "sometimes"}, "gre_policy.isin"),
    ({"tuition_qualifier": "roughly"}, "tuition_qualifier.isin"),
    ({"university": None}, "university.not_null"),
])
def test_each_program_rule(over, rule):
    progs = vf.programs(vf.program("good"), vf.program("bad", **over))
    out = run(programs=progs)
    assert rule in rules_of(out, "programs", "bad")
    assert out.tables["programs"]["program_id"].to_list() == ["good"]
    assert_conserved(out, vf.all_tables(programs=progs))


@pytest.mark.parametrize("over", [
    {"credits": 24}, {"credits": 60}, {"credits": None}, {"tuition_usd": 1000.0, "tuition_usd_low": 1000.0},
    {"tuition_usd": 150000.0, "tuition_usd_high": 150000.0}, {"ml_core_courses_min": 1, "ml_core_courses_max": 15},
    {"ml_core_courses_max": None}, {"gre_policy": None},
])
def test_boundaries_and_nulls_are_kept(over):
    out = run(programs=vf.programs(vf.program("edge", **over)))
    assert out.quarantine.height == 0
    assert out.tables["programs"]["program_id"].to_list() == ["edge"]


@pytest.mark.parametrize("over, rule", [
    ({"salary_usd_min": 20000.0}, "salary_min_range"),
    ({"salary_usd_max": 600000.0}, "salary_max_range"),
    ({"salary_usd_min": 120000.0, "salary_usd_max": 120000.0}, "salary_min_lt_max"),
    ({"salary_usd_min": 150000.0, "salary_usd_max": 100000.0}, "salary_min_lt_max"),
])
def test_salary_rules(over, rule):
    out = run(careers=vf.careers(**over))
    assert rule in rules_of(out, "careers", "ml-engineer")
    assert out.tables["careers"].height == 0


def test_open_ended_salary_is_fine():
    out = run(careers=vf.careers(salary_usd_max=None, salary_open_ended=True))
    assert out.quarantine.height == 0


def test_duplicate_ids_quarantine_every_copy():
    progs = vf.programs(vf.program("twin"), vf.program("twin", credits=40), vf.program("solo"))
    out = run(programs=progs)
    assert rules_of(out, "programs", "twin") == ["program_id.unique", "program_id.unique"]
    assert out.tables["programs"]["program_id"].to_list() == ["solo"]


def test_uncastable_value_is_a_row_failure_not_a_crash():
    progs = vf.programs(vf.program("good"), vf.program("bad")).with_columns(pl.col("credits").cast(pl.Utf8))
    progs = progs.with_columns(pl.when(pl.col("program_id") == "bad").then(pl.lit("thirty"))
                               .otherwise(pl.col("credits")).alias("credits"))
    out = run(programs=progs)
    assert rules_of(out, "programs", "bad") == ["credits.dtype"]
    assert out.tables["programs"].schema["credits"] == pl.Int64  # valid rows come back cast to the schema dtype
    assert out.blocking == []


def test_missing_column_blocks_publishing():
    out = run(programs=vf.programs().drop("gre_policy"))
    assert any("gre_policy.present" in b for b in out.blocking)
    assert out.status == "fail"


def test_empty_programs_table_blocks_publishing():
    out = run(programs=vf.programs().head(0))
    assert any("programs_row_count" in b for b in out.blocking)


def test_every_program_quarantined_blocks_publishing():
    out = run(programs=vf.programs(vf.program("a", credits=300), vf.program("b", credits=2)))
    assert out.quarantine.height == 2
    assert any("programs_row_count" in b for b in out.blocking)


def test_observation_span_outside_source_or_wrong_quote():
    obs = vf.observations()
    n = len(vf.TEXT_A)
    obs = obs.with_columns(
        pl.when(pl.col("observation_id") == "o1").then(pl.lit(n + 10)).otherwise(pl.col("char_end")).alias("char_end"),
        pl.when(pl.col("observation_id") == "o1").then(pl.lit(n + 4)).otherwise(pl.col("char_start")).alias("char_start"),
        pl.when(pl.col("observation_id") == "o2").then(pl.lit("31 credits")).otherwise(pl.col("quote")).alias("quote"),
        pl.when(pl.col("observation_id") == "o3").then(pl.lit("src_unknown")).otherwise(pl.col("source_id")).alias("source_id"),
    )
    out = run(observations=obs)
    assert "observation_span_inside_source" in rules_of(out, "observations", "o1")
    assert rules_of(out, "observations", "o2") == ["observation_quote_matches_source"]
    assert rules_of(out, "observations", "o3") == ["observation_source_known"]
    assert out.tables["observations"]["observation_id"].to_list() == ["o4"]


def test_span_checked_against_bytes_without_texts():
    nbytes = len(vf.TEXT_B.encode())
    obs = vf.observations()
    qlen = len(obs.filter(pl.col("observation_id") == "o3")["quote"][0])
    is_o3 = pl.col("observation_id") == "o3"
    obs = obs.with_columns(pl.when(is_o3).then(pl.lit(nbytes + 2)).otherwise(pl.col("char_end")).alias("char_end"),
                           pl.when(is_o3).then(pl.lit(nbytes + 2 - qlen)).otherwise(pl.col("char_start")).alias("char_start"))
    out = validate_tables(vf.all_tables(observations=obs), run_id="t", source_texts=None, use_gx=False)
    assert rules_of(out, "observations", "o3") == ["observation_span_inside_source"]
    assert out.tables["observations"].height == 3


def test_pandera_span_order_check():
    obs = vf.observations().with_columns(
        pl.when(pl.col("observation_id") == "o4").then(pl.col("char_end")).otherwise(pl.col("char_start")).alias("char_start"))
    out = run(observations=obs)
    assert "span_ordered" in rules_of(out, "observations", "o4")


def test_results_and_to_dict_are_json():
    out = run(programs=vf.programs(vf.program("x", credits=300)))
    d = json.loads(json.dumps(out.to_dict()))
    assert d["status"] in ("warn", "fail")
    assert d["tables"]["programs"]["rows_quarantined"] == 1
    assert d["quarantine"][0]["rule"] == "credits_range"
    r = next(r for r in d["results"] if r["rule"] == "credits_range")
    assert r["status"] == "fail" and r["severity"] == "error" and r["failing_rows"] == 1
    assert r["sample"] == [{"program_id": "x", "credits": 300}]
    assert out.quarantine.schema == pl.Schema(polars_schema("quarantine"))


def test_tables_not_in_contract_pass_through_and_prior_quarantine_is_not_rejudged():
    extra = pl.DataFrame({"a": [1]})
    prior = pl.DataFrame({"table": ["programs"], "record": ["{}"], "rule": ["x"], "message": ["m"], "run_id": ["old"]})
    out = validate_tables(vf.all_tables() | {"notes": extra, "quarantine": prior}, run_id="t", use_gx=False)
    assert out.tables["notes"].equals(extra)
    assert out.quarantine.height == 0
