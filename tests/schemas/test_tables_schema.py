"""The pandera models are the contract: names, dtypes, nullability, enumerations, descriptions."""

from __future__ import annotations

import polars as pl
import pytest
import yaml

from flows.validate.gx_suites import EXPECTATIONS_DIR, load_suites, parse_suite
from schemas.tables import TABLES, columns, empty_frame, polars_schema, schema

CONTRACT = {
    "programs": ["program_id", "university", "degree_title", "ml_core_courses_min", "ml_core_courses_max", "credits",
                 "credits_variable", "tuition_usd", "tuition_usd_low", "tuition_usd_high", "tuition_qualifier",
                 "gre_policy", "delivery_format", "standout_feature", "specializations", "source_ids", "n_sources",
                 "as_of", "has_conflict", "tuition_per_credit_usd", "tuition_per_course_usd", "tuition_annual_usd",
                 "tuition_basis", "held_back", "specialization_ids"],
    "courses": ["course_id", "title", "kind", "provider", "description", "source_ids", "instructor"],
    "specializations": ["specialization_id", "name", "description", "universities", "source_ids", "program_ids"],
    "careers": ["career_id", "role", "salary_usd_min", "salary_usd_max", "salary_open_ended", "growth_outlook",
                "key_skills", "source_ids"],
    "observations": ["observation_id", "source_id", "entity_type", "entity_id", "attribute", "value", "value_num",
                     "value_num_high", "qualifier", "char_start", "char_end", "quote", "extractor", "unit", "covers"],
    "sources": ["source_id", "file", "sha256", "bytes", "media_type", "title", "author", "url", "publisher", "published_on",
                "updated_on", "retrieved_at", "retrieved_at_basis", "warn_after_count", "warn_after_period",
                "error_after_count", "error_after_period", "n_observations"],
    "conflicts": ["entity_type", "entity_id", "attribute", "values", "source_ids"],
    "quarantine": ["table", "record", "rule", "message", "run_id", "record_key", "row_index", "severity", "engine",
                   "scope", "attribute", "source_id", "char_start", "char_end", "quote"],
}
NULLABLE = {"programs": {"degree_title", "ml_core_courses_min", "ml_core_courses_max", "credits", "tuition_usd",
                         "tuition_usd_low", "tuition_usd_high", "tuition_qualifier", "gre_policy", "delivery_format",
                         "standout_feature", "as_of", "tuition_per_credit_usd", "tuition_per_course_usd",
                         "tuition_annual_usd", "tuition_basis"},
            "careers": {"salary_usd_min", "salary_usd_max", "growth_outlook", "salary_usd_typical"},
            "sources": {"title", "author", "url", "publisher", "published_on", "updated_on", "metadata_origin",
                        "missing_metadata"}}


@pytest.mark.parametrize("table", list(CONTRACT))
def test_contract_columns_in_order_and_described(table):
    cols = columns(table)
    assert cols[: len(CONTRACT[table])] == CONTRACT[table]
    for name, col in schema(table).columns.items():
        assert col.description and len(col.description) > 10, f"{table}.{name} has no description"
    assert empty_frame(table).height == 0 and empty_frame(table).columns == cols


@pytest.mark.parametrize("table", list(NULLABLE))
def test_nullability(table):
    sch = schema(table)
    assert {n for n, c in sch.columns.items() if c.nullable} == NULLABLE[table]


def test_dtypes_of_note():
    p = polars_schema("programs")
    assert p["specializations"] == pl.List(pl.Utf8) and p["source_ids"] == pl.List(pl.Utf8)
    assert p["credits"] == pl.Int64 and p["tuition_usd"] == pl.Float64 and p["as_of"] == pl.Date
    assert polars_schema("sources")["retrieved_at"] == pl.Datetime("us", "UTC")
    assert polars_schema("careers")["key_skills"] == pl.List(pl.Utf8)


def test_ids_unique_and_enumerations():
    for table, id_col in (("programs", "program_id"), ("courses", "course_id"), ("careers", "career_id"),
                          ("specializations", "specialization_id"), ("observations", "observation_id"),
                          ("sources", "source_id")):
        assert schema(table).columns[id_col].unique
    def allowed(table, col):
        [ch] = [c for c in schema(table).columns[col].checks if c.name == "isin"]
        return set(ch.statistics["allowed_values"])
    assert allowed("programs", "gre_policy") == {"required", "optional", "not_required"}
    assert allowed("programs", "tuition_qualifier") == {"exact", "approx", "under", "over", "at_least", "range"}
    assert allowed("courses", "kind") == {"core_topic", "course"}
    assert allowed("observations", "entity_type") == {"program", "course", "specialization", "career"}


def test_every_table_but_quarantine_has_a_suite_with_a_row_count_rule():
    suites = load_suites()
    assert set(suites) == set(TABLES) - {"quarantine"}
    for table, suite in suites.items():
        assert any(e.type == "expect_table_row_count_to_be_between" for e in suite.expectations), table
        for e in suite.expectations:
            assert e.severity in ("error", "warning") and e.id and e.description
            for c in e.columns:  # every column a rule names is a contract column or a declared derived one
                assert c in columns(table) or c in suite.derived, f"{table}.{e.id}: {c}"


def test_business_rule_bounds_are_the_issue_s():
    p = {e.id: e for e in load_suites()["programs"].expectations}
    assert (p["tuition_usd_range"].kwargs["min_value"], p["tuition_usd_range"].kwargs["max_value"]) == (1000, 150000)
    assert (p["credits_range"].kwargs["min_value"], p["credits_range"].kwargs["max_value"]) == (24, 60)
    c = {e.id: e for e in load_suites()["careers"].expectations}
    assert c["salary_min_lt_max"].kwargs["or_equal"] is False
    assert c["salary_max_range"].kwargs["max_value"] == 500000


def test_malformed_suite_is_rejected():
    with pytest.raises(ValueError, match="severity"):
        parse_suite({"table": "x", "expectations": [{"id": "a", "severity": "fatal", "type":
                     "expect_column_values_to_not_be_null", "kwargs": {"column": "c"}}]})
    with pytest.raises(ValueError, match="duplicate"):
        e = {"id": "a", "severity": "error", "type": "expect_column_values_to_not_be_null", "kwargs": {"column": "c"}}
        parse_suite({"table": "x", "expectations": [e, e]})
    for path in EXPECTATIONS_DIR.glob("*.yaml"):
        assert yaml.safe_load(path.read_text())["table"] == path.stem


def test_money_enumerations():
    from flows.extract.values import MONEY_UNITS
    from schemas.tables import TUITION_BASES

    checks = {c.name: c for c in schema("observations").columns["unit"].checks}
    assert list(checks["isin"].statistics["allowed_values"]) == list(MONEY_UNITS)
    assert set(schema("programs").columns["tuition_basis"].checks[0].statistics["allowed_values"]) == set(TUITION_BASES)
    assert TUITION_BASES == ("stated", "per_credit_x_credits", "per_course_x_courses")
    assert set(schema("quarantine").columns["scope"].checks[0].statistics["allowed_values"]) == {"row", "statement"}


def test_parquet_files_carry_descriptions_and_run_id(tmp_path):
    import json

    import pyarrow.parquet as pq

    from schemas.tables import cast_frame, column_descriptions, write_parquet

    df = cast_frame("programs", pl.DataFrame({"program_id": ["a"], "university": ["U"], "held_back": [[]],
                                              "specializations": [["x"]], "specialization_ids": [["x"]],
                                              "source_ids": [["s"]]}))
    path = tmp_path / "programs.parquet"
    write_parquet(df, path, "programs", "run-42")
    sch = pq.read_schema(path)
    assert sch.metadata[b"gradfacts.run_id"] == b"run-42" and sch.metadata[b"gradfacts.table"] == b"programs"
    desc = column_descriptions("programs")
    assert json.loads(sch.metadata[b"gradfacts.column_descriptions"]) == desc
    for name in df.columns:
        assert sch.field(name).metadata[b"description"].decode() == desc[name]
    back = pl.read_parquet(path)
    assert back.schema == df.schema and back.equals(df)
