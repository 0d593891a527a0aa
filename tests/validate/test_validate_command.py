"""`gradfacts validate` over an existing curated/ directory (no re-extraction)."""

from __future__ import annotations

import json

import polars as pl

import validate_fixtures as vf
from flows.validate.command import validate_command


def _write(curated, tables):
    curated.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.write_parquet(curated / f"{name}.parquet")


def test_clean_publication_exits_zero(tmp_path):
    _write(tmp_path / "curated", vf.all_tables())
    assert validate_command(tmp_path / "curated", tmp_path / "reports", use_gx=False) == 0
    data = json.loads((tmp_path / "reports" / "quality.json").read_text())
    assert data["blocking"] == [] and data["quarantine_count"] == 0


def test_bad_rows_in_publication_exit_one_and_are_reported(tmp_path):
    progs = vf.programs(vf.program("ok"), vf.program("bad", credits=300))
    _write(tmp_path / "curated", vf.all_tables(programs=progs))
    assert validate_command(tmp_path / "curated", tmp_path / "reports", use_gx=False) == 1
    data = json.loads((tmp_path / "reports" / "quality.json").read_text())
    assert [q["record_key"] for q in data["quarantine"]] == ["bad"]
    # re-validation reads, never rewrites, the publication
    assert pl.read_parquet(tmp_path / "curated" / "programs.parquet").height == 2


def test_source_texts_are_read_when_unchanged(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "src_a.txt").write_text(vf.TEXT_A, encoding="utf-8")
    (raw / "src_b.txt").write_text(vf.TEXT_B + " changed", encoding="utf-8")  # sha no longer matches
    obs = vf.observations().with_columns(
        pl.when(pl.col("observation_id") == "o2").then(pl.lit("31 credits")).otherwise(pl.col("quote")).alias("quote"))
    _write(tmp_path / "curated", vf.all_tables(observations=obs))
    assert validate_command(tmp_path / "curated", tmp_path / "reports", use_gx=False) == 1
    data = json.loads((tmp_path / "reports" / "quality.json").read_text())
    assert [(q["record_key"], q["rule"]) for q in data["quarantine"]] == [("o2", "observation_quote_matches_source")]


def test_missing_tables_exit_one_and_empty_dir_exits_two(tmp_path):
    tables = vf.all_tables()
    del tables["careers"]
    _write(tmp_path / "curated", tables)
    assert validate_command(tmp_path / "curated", tmp_path / "reports", use_gx=False) == 1
    (tmp_path / "empty").mkdir()
    assert validate_command(tmp_path / "empty", tmp_path / "r2", use_gx=False) == 2
