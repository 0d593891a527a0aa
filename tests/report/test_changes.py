"""`gradfacts diff` and reports/changes.html: a changed value with the quotes behind old and new."""

from __future__ import annotations

import json

import polars as pl

from report_site import cli
from flows.report.changes import diff_publications


def test_diff_shows_the_changed_tuition_with_both_quotes(site):
    res = cli("diff", "--curated", str(site["curated"]), "--json")
    assert res.exit_code == 0, res.stdout
    d = json.loads(res.stdout)
    assert d["from"] == site["a"] and d["to"] == site["b"]
    [change] = [v for v in d["values"] if v["column"] == "tuition_usd"]
    assert (change["old"], change["new"]) == (7000.0, 8500.0)
    assert "$7,000" in change["old_quotes"][0]["quote"] and "$8,500" in change["new_quotes"][0]["quote"]
    assert [s["change"] for s in d["sources"]] == ["changed"]
    text = cli("diff", "--curated", str(site["curated"]), "--from", site["a"], "--to", site["b"])
    assert "7000.0 -> 8500.0" in text.stdout and "$8,500" in text.stdout


def test_diff_names_an_unknown_publication(site):
    res = cli("diff", "--curated", str(site["curated"]), "--from", "19990101T000000Z")
    assert res.exit_code == 2 and "19990101T000000Z" in res.stderr and "kept:" in res.stderr


def test_changes_page_is_written_on_publish_with_quotes_and_runs_chart(site):
    page = (site["reports"] / "changes.html").read_text(encoding="utf-8")
    assert site["a"] in page and site["b"] in page
    assert "$7,000" in page and "$8,500" in page
    assert page.count('class="run-bar"') == 2  # written when B was published: runs A and B
    index = (site["reports"] / "index.html").read_text(encoding="utf-8")
    assert index.count('class="run-bar"') == 3 and "#c62828" in index  # + the blocked run, red (validation fail)


def test_diff_rows_added_removed_and_changed():
    def pub(programs, sources):
        return {"programs": pl.DataFrame(programs), "sources": pl.DataFrame(sources),
                "observations": pl.DataFrame(schema={"observation_id": pl.Utf8, "source_id": pl.Utf8,
                                                     "entity_type": pl.Utf8, "entity_id": pl.Utf8,
                                                     "attribute": pl.Utf8, "char_start": pl.Int64,
                                                     "char_end": pl.Int64, "quote": pl.Utf8})}
    old = pub({"program_id": ["p1", "p2"], "university": ["U1", "U2"], "degree_title": ["MS", "MS"],
               "credits": [30, 32], "n_sources": [1, 1]},
              {"source_id": ["s1", "s2"], "file": ["a", "b"], "sha256": ["x", "y"]})
    new = pub({"program_id": ["p2", "p3"], "university": ["U2", "U3"], "degree_title": ["MS", "MEng"],
               "credits": [36, 30], "n_sources": [2, 1]},
              {"source_id": ["s2", "s3"], "file": ["b", "c"], "sha256": ["y2", "z"]})
    d = diff_publications(old, new)
    assert {(e["id"], e["change"]) for e in d["entities"]} == {("p3", "added"), ("p1", "removed")}
    assert [(v["id"], v["column"], v["old"], v["new"]) for v in d["values"]] == [("p2", "credits", 32, 36)]
    assert {(s["source_id"], s["change"]) for s in d["sources"]} == {("s1", "removed"), ("s2", "changed"),
                                                                      ("s3", "added")}
    first = diff_publications(None, new)
    assert {e["change"] for e in first["entities"]} == {"added"} and first["values"] == []
