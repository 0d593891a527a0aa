"""Robustness matrix (issue 13), the store: a damaged publication, history or cache is detected and healed,
never trusted; rollback refuses what is not whole; leftovers of a failed run are removed by the next one."""

from __future__ import annotations

import json
import os
import re

import polars as pl

import pytest

from matrix import Project, assert_live_whole

pytestmark = pytest.mark.e2e


_EDITS: list[int] = []


def _republish(p: Project, n: int = 1) -> list[str]:
    """Publish ``n`` new publications by editing metadata only (cache hits, no extraction)."""
    runs = []
    for _ in range(n):
        _EDITS.append(1)
        p.set_yaml(re.sub(r"retrieval_note: .*", f"retrieval_note: edit number {len(_EDITS)}", p.yaml(), count=1))
        res, payload = p.refresh()
        assert res.exit_code == 0 and payload["status"] == "published", res.stdout
        runs.append(payload["publication"])
    return runs


# --------------------------------------------------------------------------- the live publication checks itself


def test_truncated_programs_parquet_is_detected_named_and_republished(project: Project):
    before = project.live_run()
    good_rows = project.manifest()["tables"]["programs"]["rows"]
    live_file = project.curated / "programs.parquet"
    data = live_file.read_bytes()
    with open(live_file, "r+b") as fh:  # through the link, as a careless `truncate` would
        fh.truncate(len(data) // 2)
    out = project.cli("validate", "--curated", str(project.curated), "--reports", str(project.reports))
    assert out.exit_code == 1, out.stdout
    assert "programs.parquet" in out.stdout and "damaged" in out.stdout
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] == "published", res.stdout
    assert "damaged" in payload["message"] and "programs.parquet" in payload["message"]
    assert payload["publication"] != before
    assert_live_whole(project)
    assert project.table("programs").height == good_rows
    assert "damaged" in project.runs()["message"][-1]


def test_edited_manifest_row_count_is_detected(project: Project):
    cur = project.curated / "manifest.json"
    m = json.loads(cur.read_text())
    m["tables"]["careers"]["rows"] += 1
    real = (project.curated / os.readlink(project.curated / "current")) / "manifest.json"
    real.write_text(json.dumps(m))
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] == "published", res.stdout
    assert "careers.parquet" in payload["message"]
    assert_live_whole(project)


def test_deleted_live_table_file_is_detected_and_republished(project: Project):
    cur = project.curated / os.readlink(project.curated / "current")
    (cur / "courses.parquet").unlink()
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] == "published", res.stdout
    assert "courses.parquet: missing" in payload["message"]
    assert_live_whole(project)


# --------------------------------------------------------------------------- rollback refuses what is not whole


def test_rollback_refuses_a_damaged_or_incomplete_publication(project: Project):
    first = project.live_run()
    [second] = _republish(project)
    older = project.curated / "publications" / first
    (older / "observations.parquet").write_bytes(b"PAR1 not really")
    live = project.live_digest()
    out = project.cli("rollback", "--curated", str(project.curated), "--reports", str(project.reports))
    assert out.exit_code == 2, out.stdout
    msg = out.stderr if hasattr(out, "stderr") else out.output
    assert first in msg and "observations.parquet" in msg and "not made live" in msg
    assert project.live_run() == second and project.live_digest() == live
    (older / "observations.parquet").unlink()
    out = project.cli("rollback", "--curated", str(project.curated), "--to", first)
    assert out.exit_code == 2 and "observations.parquet: missing" in out.output
    assert project.live_run() == second
    assert_live_whole(project)


def test_rollback_to_a_whole_publication_still_works(project: Project):
    first = project.live_run()
    _republish(project)
    out = project.cli("rollback", "--curated", str(project.curated), "--reports", str(project.reports))
    assert out.exit_code == 0, out.output
    assert project.live_run() == first
    assert_live_whole(project)


# --------------------------------------------------------------------------- run history


def test_damaged_runs_parquet_is_set_aside_reported_and_a_new_one_started(project: Project):
    garbage = b"PAR1\x00\x01 this is not a parquet file"
    (project.curated / "runs.parquet").write_bytes(garbage)
    listing = project.cli("runs", "--curated", str(project.curated))
    assert listing.exit_code == 0, listing.output
    assert "publications kept" in listing.output and "runs.parquet is unreadable" in listing.output
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] == "unchanged", res.stdout
    [aside] = list(project.curated.glob("runs.damaged-*.parquet"))
    assert aside.read_bytes() == garbage  # kept, not deleted
    runs = project.runs()
    assert runs.height == 1 and "set aside as " + aside.name in runs["message"][0]
    res, payload = project.refresh()
    assert project.runs().height == 2
    assert project.cli("runs", "--curated", str(project.curated)).exit_code == 0


def test_runs_parquet_with_foreign_columns_is_set_aside(project: Project):
    pl.DataFrame({"x": [1, 2]}).write_parquet(project.curated / "runs.parquet")
    res, payload = project.refresh()
    assert res.exit_code == 0
    assert len(list(project.curated.glob("runs.damaged-*.parquet"))) == 1
    assert project.runs().height == 1


# --------------------------------------------------------------------------- the extraction cache


def _cache_entries(p: Project):
    return sorted((p.curated / "cache" / "extract").glob("*.json"))


def test_cache_entry_that_is_a_directory_is_a_miss_and_replaced(project: Project):
    entries = _cache_entries(project)
    assert len(entries) == 3
    for e in entries:
        e.unlink()
        e.mkdir()
        (e / "junk").write_text("x")
    res, payload = project.refresh("--force")
    assert res.exit_code == 0 and payload["status"] == "published", res.stdout
    assert payload["sources_extracted"] == 3
    assert all(e.is_file() for e in _cache_entries(project)) and len(_cache_entries(project)) == 3
    assert_live_whole(project)


def test_edited_cache_entry_never_changes_published_values(project: Project):
    from flows.extract.cache import _payload_digest

    baseline = project.table("programs").sort("program_id")
    entry = max(_cache_entries(project), key=lambda e: e.stat().st_size)
    data = json.loads(entry.read_text())
    money = [f for f in data["facts"] if f["attribute"] == "tuition" and f["value_num"]]
    assert money
    for f in money:
        f["value_num"] = f["value_num"] * 10 + 1
        f["value"] = str(f["value_num"])
    entry.write_text(json.dumps(data))  # digest now stale: edited entry
    project.set_yaml(project.yaml().replace("retrieval_note: handed over", "retrieval_note: (a) handed over", 1))
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] == "published", res.stdout
    assert payload["sources_extracted"] == 1  # the edited entry was not trusted
    assert project.table("programs").sort("program_id")["tuition_usd"].to_list() == baseline["tuition_usd"].to_list()

    # an edit that also fixes the digest still fails: the quote is not the source text at the new span
    data = json.loads(entry.read_text())
    f = next(f for f in data["facts"] if f["attribute"] == "tuition" and f["value_num"])
    f["start"] += 1
    data["digest"] = _payload_digest(data["facts"], data["unclaimed"])
    entry.write_text(json.dumps(data))
    project.set_yaml(project.yaml().replace("retrieval_note: (a)", "retrieval_note: (b)", 1))
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["sources_extracted"] == 1
    obs = project.table("observations")
    texts = {r["source_id"]: open(r["file"], encoding="utf-8").read() for r in project.table("sources").to_dicts()}
    assert all(texts[r["source_id"]][r["char_start"]:r["char_end"]] == r["quote"] for r in obs.to_dicts())


def test_cache_entries_are_not_flushed_and_one_a_crash_tore_is_a_miss(project: Project, monkeypatch):
    """Entries are written without fsync (they check themselves); what a machine crash can leave of one (empty,
    or cut short) is re-extracted, and the publication is the same."""
    from flows.common import files

    baseline = project.table("programs").sort("program_id")
    entries = _cache_entries(project)
    entries[0].write_bytes(b"")
    entries[1].write_bytes(entries[1].read_bytes()[: entries[1].stat().st_size // 2])
    synced: list[str] = []
    real = os.fsync
    monkeypatch.setattr(files.os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), real(fd)))
    project.set_yaml(project.yaml().replace("retrieval_note: handed over", "retrieval_note: (t) handed over", 1))
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] == "published", res.stdout
    assert payload["sources_extracted"] == 2  # the two torn entries, not the intact one
    assert synced and not [s for s in synced if "/cache/extract/" in s]  # tables are flushed, cache entries not
    assert all(json.loads(e.read_text())["facts"] for e in entries[:2])  # rewritten whole
    assert project.table("programs").sort("program_id").equals(baseline)


def test_force_bypasses_the_cache(project: Project):
    res, payload = project.refresh("--force")
    assert res.exit_code == 0 and payload["status"] == "published"
    assert payload["sources_extracted"] == 3


# --------------------------------------------------------------------------- leftovers of failed runs


def test_staging_and_trash_left_by_a_failed_run_are_removed_by_the_next(project: Project):
    stale = project.curated / "staging" / "20260101T000000000000Z"
    stale.mkdir(parents=True)
    (stale / "programs.parquet").write_bytes(b"half")
    trash = project.curated / ".trash" / "20250101T000000000000Z.123"
    trash.mkdir(parents=True)
    (trash / "x.parquet").write_bytes(b"x")
    (project.curated / ".current.999.tmp").symlink_to("publications/nowhere")
    res, payload = project.refresh()
    assert res.exit_code == 0, res.stdout
    assert "removed what an earlier run left" in payload["message"] and "staging/20260101T000000000000Z" in payload["message"]
    assert not stale.exists() and not trash.exists() and not (project.curated / ".current.999.tmp").is_symlink()
    assert_live_whole(project)


def test_retention_prunes_to_five_and_never_lists_a_pruned_one(project: Project):
    from flows.publish.nodes import publications

    _republish(project, 5)
    pubs = publications(project.curated)
    assert len(pubs) == 5
    assert not any((project.curated / ".trash").iterdir())
    for pub in pubs:
        from flows.publish.nodes import verify_publication

        assert verify_publication(pub) == []
