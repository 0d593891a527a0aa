"""The store checks itself: verify a publication against its manifest, prune through trash, clean leftovers,
set a damaged history aside; one atomic-write helper turning a full disk into EnvironmentFailure; the cache
trusts only intact entries; the per-document time budget."""

from __future__ import annotations

import errno
import json
import os
from datetime import datetime, timezone

import polars as pl
import pytest

from flows.common import files
from flows.common.errors import EnvironmentFailure
from flows.extract import cache
from flows.extract.model import ExtractionResult, Fact
from flows.publish import nodes as P
from flows.publish.runs import append_run, read_runs


def _publish(curated, run_id, n, keep=3):
    tables = {"programs": pl.DataFrame({"program_id": [f"p{i}" for i in range(n)]}),
              "sources": pl.DataFrame({"source_id": ["s"]})}
    stage = P.write_staging(curated, run_id, tables)
    P.write_manifest(stage, run_id, datetime.now(timezone.utc), "published")
    return P.promote(curated, stage, keep=keep)


def test_verify_publication_names_each_problem(tmp_path):
    pub = _publish(tmp_path, "r1", 4)
    assert P.verify_publication(pub) == []
    data = (pub / "programs.parquet").read_bytes()
    (pub / "programs.parquet").write_bytes(data[: len(data) // 2])
    assert P.verify_publication(pub) == ["programs.parquet: sha256 differs from the manifest (file damaged or edited)"]
    (pub / "programs.parquet").unlink()
    assert P.verify_publication(pub) == ["programs.parquet: missing"]
    (pub / "manifest.json").write_text("{not json")
    assert P.verify_publication(pub) == ["manifest.json is unreadable (JSONDecodeError)"]
    manifest, problems = P.live_state(tmp_path)
    assert problems == ["r1/manifest.json is unreadable (JSONDecodeError)"]


def test_rows_mismatch_is_found_even_when_the_sha_was_recomputed(tmp_path):
    pub = _publish(tmp_path, "r1", 4)
    m = json.loads((pub / "manifest.json").read_text())
    m["tables"]["programs"]["rows"] = 5
    (pub / "manifest.json").write_text(json.dumps(m))
    assert P.verify_publication(pub) == ["programs.parquet: 4 rows, the manifest says 5"]


def test_prune_goes_through_trash_and_rollback_refuses_what_is_not_whole(tmp_path):
    for i in range(1, 5):
        _publish(tmp_path, f"r{i}", i)
    assert [p.name for p in P.publications(tmp_path)] == ["r2", "r3", "r4"]
    assert not any((tmp_path / ".trash").iterdir())
    (tmp_path / "publications" / "r3" / "sources.parquet").unlink()
    with pytest.raises(P.PublishError, match=r"r3 is incomplete or damaged \(sources.parquet: missing\).*r2"):
        P.rollback(tmp_path)
    assert P.current_manifest(tmp_path)["run_id"] == "r4"
    assert P.rollback(tmp_path, "r2").name == "r2"


def test_clean_leftovers_removes_staging_trash_and_temporaries(tmp_path):
    _publish(tmp_path, "r1", 2)
    (tmp_path / "staging" / "rX").mkdir(parents=True)
    (tmp_path / ".trash" / "r0.1").mkdir(parents=True)
    (tmp_path / ".programs.parquet.tmp").symlink_to("current/programs.parquet")
    with P.refresh_lock(tmp_path) as cleaned:
        assert sorted(cleaned) == [".programs.parquet.tmp", ".trash/r0.1", "staging/rX"]
    assert not any((tmp_path / "staging").iterdir()) and P.verify_publication(P.current_publication(tmp_path)) == []


def _row(i):
    now = datetime.now(timezone.utc)
    return {"run_id": f"r{i}", "started_at": now, "finished_at": now, "status": "published", "sources_seen": 1,
            "sources_changed": 0, "sources_extracted": 0, "rows_per_table": {}, "validation_outcome": "pass",
            "quarantined_rows": 0, "message": "ok"}


def test_damaged_history_is_set_aside_not_lost(tmp_path):
    append_run(tmp_path, _row(0))
    (tmp_path / "runs.parquet").write_bytes(b"garbage")
    assert read_runs(tmp_path).height == 0  # reading reports it, never crashes
    runs = append_run(tmp_path, _row(1))
    [aside] = list(tmp_path.glob("runs.damaged-*.parquet"))
    assert aside.read_bytes() == b"garbage"
    assert runs["run_id"].to_list() == ["r1"] and "set aside as" in runs["message"][0]


def test_atomic_write_turns_a_full_disk_into_environment_failure_and_leaves_nothing(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("old")

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files, "_write_all", full)
    with pytest.raises(EnvironmentFailure) as exc:
        files.atomic_write_text(target, "new")
    assert str(exc.value).startswith(f"{target}: cannot write (disk full)")
    assert target.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_write_staging_on_a_full_disk_leaves_no_staging(tmp_path, monkeypatch):
    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files, "_write_all", full)
    with pytest.raises(EnvironmentFailure, match="disk full"):
        P.write_staging(tmp_path, "r1", {"programs": pl.DataFrame({"a": [1]})})
    assert not (tmp_path / "staging" / "r1").exists()


TEXT = "Lakeside University charges $20,000 in total."


def _result():
    i = TEXT.index("$20,000")
    return ExtractionResult(facts=[Fact("program", "Lakeside University", "tuition", "20000", i, i + 7, "prose",
                                        value_num=20000.0)], unclaimed=[(0, 5, "why")])


def test_cache_trusts_only_intact_entries(tmp_path):
    sha = "a" * 64
    cache.store(tmp_path, sha, _result(), TEXT)
    assert cache.load(tmp_path, sha, TEXT) == _result()
    assert cache.load(tmp_path, "b" * 64, TEXT) is None  # another source: another key
    p = cache.entry_path(tmp_path, sha)
    entry = json.loads(p.read_text())
    entry["facts"][0]["value_num"] = 1.0  # edited value: digest no longer matches
    p.write_text(json.dumps(entry))
    assert cache.load(tmp_path, sha, TEXT) is None
    entry["digest"] = cache._payload_digest(entry["facts"], entry["unclaimed"])
    p.write_text(json.dumps(entry))
    assert cache.load(tmp_path, sha, TEXT.replace("$20,000", "$30,000")) is None  # quote no longer the text
    p.unlink()
    p.mkdir()
    assert cache.load(tmp_path, sha, TEXT) is None  # a directory where the entry goes: a miss
    cache.store(tmp_path, sha, _result(), TEXT)  # ...replaced by the entry
    assert p.is_file() and cache.load(tmp_path, sha, TEXT) == _result()


def test_extraction_budget_stops_a_long_document_and_keeps_serving():
    from flows.extract.budget import ExtractionTimeout, extract_within
    from flows.extract.nodes import extract_text

    doc = "Lakeside University charges $20,000 for its online M.S. in Data Science.\n"
    assert extract_within(doc, 120, "short.txt") == extract_text(doc)
    slow = ("Harbor University: Tuition $31,000 | Credits 30 | GRE not required\n" * 4000)
    with pytest.raises(ExtractionTimeout, match=r"slow.txt: extraction took longer than its 0.05 s budget"):
        extract_within(slow, 0.05, "slow.txt")
    assert extract_within(doc, 120, "again.txt") == extract_text(doc)  # a fresh worker after the kill


def test_extraction_started_ahead_is_handed_back_with_its_budget_and_errors():
    """A refresh starts its documents on the extraction worker before the flow asks for them (budget.extract_ahead):
    the flow gets the same results, a document over its budget is still reported by name, and what nobody asked
    for is dropped."""
    from flows.extract import budget
    from flows.extract.nodes import extract_text

    doc = "Lakeside University charges $20,000 for its online M.S. in Data Science.\n"
    other = "Harbor University: Tuition $31,000 | Credits 30 | GRE not required\n"
    slow = other * 4000
    budget.extract_ahead([("a.txt", doc, "text/plain", None), ("slow.txt", slow, "text/plain", None),
                          ("never.txt", other, "text/plain", None)], 0.05 * 2)
    assert budget.extract_within(doc, 0.1, "a.txt") == extract_text(doc)  # (handed back: the same budget)
    with pytest.raises(budget.ExtractionTimeout, match=r"slow.txt: extraction took longer than its 0.1 s budget"):
        budget.extract_within(slow, 0.1, "slow.txt")
    assert budget._ahead, "never.txt was started and not yet asked for"
    budget.forget_ahead()
    assert not budget._ahead
    assert budget.extract_within(other, 120, "later.txt") == extract_text(other)  # extracted now, on a fresh worker


def test_a_finished_head_start_is_taken_and_the_rest_left_to_others():
    """`--workers N` takes from the head start only what it finished (budget.take_ahead) and sends the rest to
    its Dask workers: a document not started ahead, or not done, is None; a finished one is its result, once;
    one over its budget raises the timeout naming it."""
    from flows.extract import budget
    from flows.extract.nodes import extract_text

    doc = "Lakeside University charges $20,000 for its online M.S. in Data Science.\n"
    slow = "Harbor University: Tuition $31,000 | Credits 30 | GRE not required\n" * 4000
    assert budget.take_ahead(doc, 120) is None  # never started ahead
    assert budget.extract_within(doc, 120, "warm.txt") == extract_text(doc)  # (a warm worker: 0.1 s is enough)
    budget.extract_ahead([("a.txt", doc, "text/plain", None), ("slow.txt", slow, "text/plain", None)], 0.1)
    futures = list(budget._ahead.values())
    futures[0].result(timeout=300)
    assert budget.take_ahead(doc, 120) is None  # started ahead with another budget: not this extraction
    assert budget.take_ahead(doc, 0.1) == extract_text(doc)
    assert budget.take_ahead(doc, 0.1) is None  # handed back once
    with pytest.raises(budget.ExtractionTimeout, match=r"slow.txt: extraction took longer than its 0.1 s budget"):
        futures[1].exception(timeout=300)
        budget.take_ahead(slow, 0.1)
    budget.forget_ahead()
    assert not budget._ahead
