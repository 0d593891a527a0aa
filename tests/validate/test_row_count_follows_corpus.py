"""The programs row-count bound follows the corpus: 5,000 programs, or 50 per source on a larger corpus
(schemas/expectations/programs.yaml ``max_value_per_source``), so a 10,000-document corpus can publish."""

from __future__ import annotations

import polars as pl

import validate_fixtures as vf
from flows.validate.gx_suites import corpus_bounds, load_suites
from flows.validate.nodes import validate_tables


def _many_programs(n: int) -> pl.DataFrame:
    return vf.programs(*(vf.program(f"p{i}", university=f"Ashford {i} University") for i in range(n)))


def _sources(n: int) -> pl.DataFrame:
    base = vf.sources()
    extra = pl.concat([base.head(1).with_columns(pl.lit(f"src_x{i}").alias("source_id")) for i in range(n - 2)])
    return pl.concat([base, extra])


def _row_rule(out):
    return next(r for r in out.results if r.table == "programs" and r.rule == "programs_row_count")


def test_many_programs_from_few_sources_block_publishing():
    out = validate_tables(vf.all_tables(programs=_many_programs(5200)), run_id="t", source_texts=vf.source_texts(),
                          use_gx=False)
    assert _row_rule(out).status == "fail"
    assert any("programs_row_count" in b and "'max_value': 5000" in b for b in out.blocking)


def test_the_same_programs_from_a_large_corpus_publish():
    out = validate_tables(vf.all_tables(programs=_many_programs(5200), sources=_sources(120)), run_id="t",
                          source_texts=vf.source_texts(), use_gx=False)
    rule = _row_rule(out)
    assert rule.status == "pass", rule
    assert not any("programs_row_count" in b for b in out.blocking)
    assert out.tables["programs"].height == 5200


def test_bound_is_resolved_before_the_engines_and_never_below_the_constant():
    suite = load_suites()["programs"]
    rule = next(e for e in suite.expectations if e.id == "programs_row_count")
    assert rule.kwargs["max_value_per_source"] == 50
    small = next(e for e in corpus_bounds(suite, 3).expectations if e.id == "programs_row_count")
    large = next(e for e in corpus_bounds(suite, 10_000).expectations if e.id == "programs_row_count")
    assert small.kwargs == {"min_value": 1, "max_value": 5000}       # GX never sees max_value_per_source
    assert large.kwargs == {"min_value": 1, "max_value": 500_000}
