"""The GX 1.x engine: same verdicts as the polars engine, row positions from unexpected_index_list,
Data Docs built offline with every data value escaped. One module-scoped GX run (import ~10 s)."""

from __future__ import annotations

import time

import polars as pl
import pytest

import validate_fixtures as vf
from flows.validate import gx_suites
from flows.validate.nodes import validate_tables

HOSTILE = "<script>alert(1)</script>"


def _bad_programs() -> pl.DataFrame:
    rows = [vf.program(f"ok-{i}") for i in range(40)]
    rows += [vf.program("credits-300", credits=300),
             vf.program("seven", tuition_usd=7.0, tuition_usd_low=7.0, tuition_usd_high=7.0),
             vf.program("dear", tuition_usd=990000.0, tuition_usd_low=990000.0, tuition_usd_high=990000.0),
             vf.program("core-flip", ml_core_courses_min=6, ml_core_courses_max=4),
             vf.program("no-tuition", tuition_usd=None, tuition_usd_low=None, tuition_usd_high=None),
             vf.program(HOSTILE, university='<img src=x onerror=alert(2)>', credits=301)]
    return vf.programs(*rows)


@pytest.fixture(scope="module")
def both():
    tables = vf.all_tables(programs=_bad_programs(), careers=vf.careers(salary_usd_min=10.0))
    t = time.perf_counter()
    gx = validate_tables(tables, run_id="gx-run", source_texts=vf.source_texts(), use_gx=True)
    gx_seconds = time.perf_counter() - t
    native = validate_tables(tables, run_id="native-run", source_texts=vf.source_texts(), use_gx=False)
    return tables, gx, native, gx_seconds


def _verdicts(outcome):
    return {(r.table, r.rule): (r.status, r.failing_rows) for r in outcome.results}


def test_gx_and_polars_engines_agree(both):
    _, gx, native, _ = both
    assert _verdicts(gx) == _verdicts(native)
    key = ["table", "rule", "record_key", "row_index"]
    assert gx.quarantine.select(key).sort(key).equals(native.quarantine.select(key).sort(key))
    engines = {r.engine for r in gx.results}
    assert engines == {"pandera", "gx"}


def test_gx_quarantines_by_rule(both):
    _, gx, _, _ = both
    q = gx.quarantine
    def rules(key):
        return sorted(q.filter(pl.col("record_key") == key)["rule"].to_list())
    assert rules("credits-300") == ["credits_range"]
    assert rules("seven") == ["tuition_usd_range"]
    assert rules("dear") == ["tuition_usd_range"]
    assert rules("core-flip") == ["ml_core_courses_ordered"]
    assert rules(HOSTILE) == ["credits_range"]
    assert rules("ml-engineer") == ["salary_min_range"]
    assert gx.stats["programs"].rows_out == 41  # 40 ok + the warned no-tuition row
    assert gx.blocking == []


def test_gx_timing_is_recorded(both):
    _, gx, _, seconds = both
    assert gx.timings["gx_run"] > 0
    assert seconds < 120
    print(f"\nGX validation of {sum(df.height for df in both[0].values())} rows: {seconds:.1f}s "
          f"(setup/import {gx.timings['gx_setup']:.1f}s, run {gx.timings['gx_run']:.2f}s)")


def test_data_docs_are_built_offline_and_escaped(both, tmp_path):
    from flows.report.quality import write_quality_report

    _, gx, _, _ = both
    paths = write_quality_report(gx, vf.observations(), tmp_path)
    docs = tmp_path / "quality"
    assert paths["data_docs"] == docs / "index.html" and paths["data_docs"].exists()
    pages = list(docs.rglob("*.html"))
    assert any("validations" in str(p) for p in pages)
    # every page loads its CSS/JS/fonts from quality/static/ (flows/report/gx_docs.py), none from the network
    from flows.report.gx_docs import remote_references

    for p in pages:
        assert remote_references(p.read_text(encoding="utf-8")) == [], p
    assert (docs / "static" / "vendor" / "jquery" / "jquery.min.js").exists()
    # failing rows are named by the table key, not a row position
    [programs_page] = [p for p in pages if "validations/programs/row" in p.as_posix()]
    text = programs_page.read_text(encoding="utf-8")
    assert "program_id" in text and "credits-300" in text and ">_row<" not in text.replace(" ", "").replace("\n", "")
    for p in pages:
        text = p.read_text(encoding="utf-8")
        assert HOSTILE not in text and "onerror=alert" not in text.replace("onerror=alert(2)&gt;", "")


def test_gx_engine_escapes_strings_it_is_given(tmp_path):
    """GX Data Docs do not escape unexpected values; the engine escapes every string it hands to GX."""
    suite = gx_suites.parse_suite({"table": "probe", "expectations": [
        {"id": "name_in_set", "severity": "warning", "type": "expect_column_values_to_be_in_set",
         "kwargs": {"column": "name", "value_set": ["fine", "a<b"]}}]})
    session = gx_suites.start_session("probe-run")
    df = pl.DataFrame({"name": ["fine", "a<b", HOSTILE, "<img src=x onerror=alert(3)>"]})
    [res] = session.run(suite, df, scope="row")
    assert res.rows == [2, 3]  # "a<b" still matches its (escaped) set member
    session.build_data_docs(tmp_path / "docs")
    html = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "docs").rglob("*.html"))
    assert "&lt;script&gt;" in html or "&amp;lt;script&amp;gt;" in html
    assert HOSTILE not in html and "<img src=x" not in html
