"""A refresh over pages nobody tuned on (tests/fixtures/unseen_v2: rankings with single-space columns, catalog
pages, program pages whose school is only in a byline or footer, unfamiliar table headers, stat cards, course
catalogs) publishes their programs and courses, every quote is the file's own text at its span, and no value
the expected facts forbid (a specialization's credits, a generic amount) is published (issue 9)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
import yaml
from typer.testing import CliRunner

from flows.cli import app

pytestmark = pytest.mark.e2e

V2 = Path(__file__).resolve().parent / "fixtures" / "unseen_v2"
MONEY = {"tuition": "tuition_usd", "tuition_per_credit": "tuition_per_credit_usd",
         "tuition_annual": "tuition_annual_usd", "tuition_per_course": "tuition_per_course_usd"}


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    root = tmp_path_factory.mktemp("unseen")
    (root / "raw").mkdir()
    for p in V2.iterdir():
        if p.is_file():
            shutil.copy(p, root / "raw" / p.name)
    res = CliRunner().invoke(app, ["refresh", "--raw", str(root / "raw"), "--curated", str(root / "curated"),
                                   "--reports", str(root / "reports"), "--as-of", "2026-12-01", "--json"])
    out = res.stdout
    payload = json.loads(out[out.index("{"):]) if "{" in out else {}
    assert res.exit_code == 0, out
    assert payload["status"] == "published"
    return root


def _specs():
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((V2 / "expected").glob("*.yaml"))]


def test_programs_and_courses_of_unseen_pages_are_published(published):
    programs = pl.read_parquet(published / "curated" / "programs.parquet")
    courses = pl.read_parquet(published / "curated" / "courses.parquet")
    expected_schools = {p["school"] for s in _specs() for p in (s.get("programs") or [])}
    assert programs.height >= 0.6 * len(expected_schools), (programs.height, len(expected_schools))
    titles = [t.lower() for t in courses["title"].to_list()]
    wanted = [c["title"].lower() for s in _specs() for c in (s.get("courses") or [])]
    found = [w for w in wanted if any(w in t for t in titles)]
    assert len(found) >= 0.5 * len(wanted), (len(found), len(wanted), sorted(set(wanted) - set(found)))


def test_every_quote_is_the_files_text_at_its_span(published):
    obs = pl.read_parquet(published / "curated" / "observations.parquet")
    texts = {p.name: p.read_text(encoding="utf-8") for p in (published / "raw").iterdir() if p.is_file()}
    sources = pl.read_parquet(published / "curated" / "sources.parquet")
    file_of = dict(zip(sources["source_id"], sources["file"]))
    bad = [r for r in obs.iter_rows(named=True)
           if texts[Path(file_of[r["source_id"]]).name][r["char_start"]:r["char_end"]] != r["quote"]]
    assert obs.height > 100 and not bad, bad[:3]


def test_no_forbidden_value_is_published(published):
    programs = pl.read_parquet(published / "curated" / "programs.parquet")
    sources = pl.read_parquet(published / "curated" / "sources.parquet")
    sid_of = {Path(f).name: sid for sid, f in zip(sources["source_id"], sources["file"])}
    hits = []
    for spec in _specs():
        mine = programs.filter(pl.col("source_ids").list.contains(sid_of[spec["doc"]]))
        for entry in spec.get("must_not") or []:
            attr, v = entry.get("attribute"), entry.get("value")
            col = MONEY.get(attr) or ("credits" if attr == "credits" else None)
            if col is None or col not in programs.columns or not isinstance(v, (int, float)):
                continue
            rows = mine.filter(pl.col(col) == v)
            if "school" in entry:
                rows = rows.filter(pl.col("university").str.contains(entry["school"].split()[0], literal=True))
            hits += [(spec["doc"], r["university"], col, v) for r in rows.iter_rows(named=True)]
    assert not hits, hits
