"""GX Data Docs agree with gradfacts: GX's own severity and description on each expectation, failing rows
named by the table key, and a suite whose only failures are warnings shown as "Warning", not "Failed"."""

from __future__ import annotations

import polars as pl
import pytest

from flows.report.gx_docs import localize, remote_references
from flows.validate import gx_suites


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("gx-docs") / "quality"
    warn_only = gx_suites.parse_suite({"table": "programs", "expectations": [
        {"id": "credits_known", "severity": "warning", "type": "expect_column_values_to_not_be_null",
         "kwargs": {"column": "credits"}, "description": "credits should be stated ($ and <b> stay literal)"}]})
    errors = gx_suites.parse_suite({"table": "careers", "expectations": [
        {"id": "salary_floor", "severity": "error", "type": "expect_column_values_to_be_between",
         "kwargs": {"column": "salary_usd_min", "min_value": 30000}, "description": "salary at least 30k"}]})
    # GXSession itself (what the engine process runs), so that its GX context can be inspected here
    session = gx_suites.GXSession("docs-run")
    [w] = session.run(warn_only, pl.DataFrame({"program_id": ["lakeside-ms", "harbor-ms"], "credits": [None, 30]}),
                      scope="row")
    [e] = session.run(errors, pl.DataFrame({"career_id": ["tiny-pay", "fine-pay"], "salary_usd_min": [10.0, 90000.0]}),
                      scope="row")
    session.build_data_docs(out)
    left = localize(out, session.outcomes, session.severities)
    return out, w, e, left, session


def test_expectations_carry_gx_severity_and_description(docs):
    _, w, e, _, session = docs
    assert (w.rows, e.rows) == ([0], [0])  # mapped back from the key to row positions
    suites = {s.name: s for s in session.context.suites.all()}
    [gw] = suites["programs.row"].expectations
    [ge] = suites["careers.row"].expectations
    assert (gw.severity.value, ge.severity.value) == ("warning", "critical")
    assert gw.description.startswith("credits should be stated")
    assert session.outcomes == {"programs.row": "warn", "careers.row": "fail"}


def test_warning_only_suite_reads_warning_and_rows_are_named_by_key(docs):
    out, _, _, left, _ = docs
    assert left == []
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '"_expectation_suite_name_sort": "programs.row"' in index
    programs_entry = index.split('"_expectation_suite_name_sort": "programs.row"')[0].rsplit("{", 1)[-1] + \
        index.split('"_expectation_suite_name_sort": "programs.row"')[1].split("}", 1)[0]
    assert '"_validation_success_text": "Warning"' in programs_entry
    assert '"_validation_success_text": "Failed"' in index  # the careers suite failed an error rule
    [wpage] = (out / "validations" / "programs").rglob("*.html")
    [epage] = (out / "validations" / "careers").rglob("*.html")
    wtext, etext = wpage.read_text(encoding="utf-8"), epage.read_text(encoding="utf-8")
    assert "Warning (every failed expectation has severity warning" in wtext and "</i> Failed" not in wtext
    assert "</i> Failed" in etext
    assert "lakeside-ms" in wtext and "tiny-pay" in etext  # failing rows named by program_id / career_id
    assert "credits should be stated ($ and &lt;b&gt; stay literal)" in wtext
    # each rule's row shows its severity; the failed warning carries a warning icon, the error a red cross
    assert '<span class="gradfacts-severity s-warning">(warning)</span>' in wtext
    assert 'title="failed, severity warning"' in wtext and "fa-times text-danger" not in wtext
    assert '<span class="gradfacts-severity s-error">(error)</span>' in etext and "fa-times text-danger" in etext


def test_pages_reference_no_remote_resource(docs):
    out = docs[0]
    pages = list(out.rglob("*.html"))
    assert pages and all(remote_references(p.read_text(encoding="utf-8")) == [] for p in pages)
    assert "https://great-expectations-web-assets" not in "".join(p.read_text(encoding="utf-8") for p in pages)
    for f in ("vendor/bootstrap/css/bootstrap.min.css", "vendor/font-awesome/webfonts/fa-solid-900.woff2",
              "gradfacts/gx_table.js"):
        assert (out / "static" / f).stat().st_size > 0
