"""Write-audit-publish: atomic pointer swap, retention, rollback, lock, a run killed mid-publish."""

import multiprocessing as mp
import os
import time
from datetime import datetime, timezone

import polars as pl
import pytest

from flows.publish import nodes as P
from flows.publish.runs import append_run, read_runs


def _tables(n):
    return {"programs": pl.DataFrame({"program_id": [f"p{i}" for i in range(n)], "credits": list(range(n))}),
            "sources": pl.DataFrame({"source_id": ["s"]})}


def _publish(curated, run_id, n):
    stage = P.write_staging(curated, run_id, _tables(n))
    P.write_manifest(stage, run_id, datetime.now(timezone.utc), "published", {"sources": {"s": "h"}})
    assert P.audit_staging(stage, ["programs", "sources"]) == []
    return P.promote(curated, stage, keep=3)


def test_publish_swaps_current_and_table_links(tmp_path):
    _publish(tmp_path, "r1", 2)
    assert pl.read_parquet(tmp_path / "programs.parquet").height == 2
    _publish(tmp_path, "r2", 5)
    assert pl.read_parquet(tmp_path / "programs.parquet").height == 5
    assert P.current_manifest(tmp_path)["run_id"] == "r2"
    m = P.current_manifest(tmp_path)
    assert m["tables"]["programs"]["rows"] == 5 and len(m["tables"]["programs"]["sha256"]) == 64
    assert not (tmp_path / "staging" / "r2").exists()


def test_retention_and_rollback(tmp_path):
    for i in range(1, 6):
        _publish(tmp_path, f"r{i}", i)
    assert [p.name for p in P.publications(tmp_path)] == ["r3", "r4", "r5"]
    assert P.rollback(tmp_path).name == "r4"
    assert pl.read_parquet(tmp_path / "programs.parquet").height == 4
    assert P.rollback(tmp_path, "r5").name == "r5"
    with pytest.raises(P.PublishError, match="no publication 'r1'"):
        P.rollback(tmp_path, "r1")


def test_failed_audit_leaves_previous_publication_byte_for_byte(tmp_path):
    _publish(tmp_path, "r1", 3)
    before = (tmp_path / "programs.parquet").read_bytes()
    stage = P.write_staging(tmp_path, "r2", _tables(7))
    P.write_manifest(stage, "r2", datetime.now(timezone.utc), "published")
    (stage / "programs.parquet").write_bytes(b"garbage")
    assert any("programs" in p for p in P.audit_staging(stage, ["programs", "sources"]))
    P.discard_staging(stage)
    assert (tmp_path / "programs.parquet").read_bytes() == before
    assert P.current_manifest(tmp_path)["run_id"] == "r1"


def _killed_publisher(curated):
    stage = P.write_staging(curated, "r2", _tables(9))
    P.write_manifest(stage, "r2", datetime.now(timezone.utc), "published")
    os._exit(9)  # killed between writing and promoting


def test_run_killed_mid_publish_leaves_curated_valid(tmp_path):
    _publish(tmp_path, "r1", 3)
    before = (tmp_path / "programs.parquet").read_bytes()
    proc = mp.get_context("spawn").Process(target=_killed_publisher, args=(tmp_path,))
    proc.start()
    proc.join(120)
    assert proc.exitcode == 9
    assert (tmp_path / "programs.parquet").read_bytes() == before
    assert pl.read_parquet(tmp_path / "programs.parquet").height == 3
    # the next run starts clean over the leftover staging dir
    _publish(tmp_path, "r2", 4)
    assert pl.read_parquet(tmp_path / "programs.parquet").height == 4


def _hold_lock(curated, seconds):
    with P.refresh_lock(curated):
        time.sleep(seconds)


def test_second_refresh_gets_a_clear_lock_message(tmp_path):
    proc = mp.get_context("spawn").Process(target=_hold_lock, args=(tmp_path, 2))
    proc.start()
    lock_file = tmp_path / ".refresh.lock"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and "pid" not in (lock_file.read_text() if lock_file.exists() else ""):
        time.sleep(0.05)
    try:
        with pytest.raises(P.LockBusy, match="another refresh is running"):
            with P.refresh_lock(tmp_path, wait_seconds=0.2):
                pass
        with P.refresh_lock(tmp_path, wait_seconds=10):  # waits for the holder to finish
            pass
    finally:
        proc.join(10)


def test_run_history_appends(tmp_path):
    now = datetime.now(timezone.utc)
    for i in range(2):
        append_run(tmp_path, {"run_id": f"r{i}", "started_at": now, "finished_at": now, "status": "published",
                              "sources_seen": 3, "sources_changed": 3 - 3 * i, "sources_extracted": 1,
                              "rows_per_table": {"programs": 2}, "validation_outcome": "pass",
                              "quarantined_rows": 0, "message": "ok"})
    runs = read_runs(tmp_path)
    assert runs["run_id"].to_list() == ["r0", "r1"]
    assert runs["sources_changed"].to_list() == [3, 0]
