"""Report pages are flushed to disk together at the end of the report stage (flows.common.files.deferred_fsync):
nothing is fsynced inside the block, every file written in it (and its folder) is fsynced at its end, and the
files are complete at once (renamed into place whole). Outside a block every write flushes first, as before."""

from __future__ import annotations

import os

import pytest

from flows.common import files


@pytest.fixture
def fsyncs(monkeypatch):
    """The inode of every fsync, in order (the real fsync still runs)."""
    seen: list[int] = []
    real = os.fsync

    def spy(fd):
        seen.append(os.fstat(fd).st_ino)
        return real(fd)

    monkeypatch.setattr(files.os, "fsync", spy)
    return seen


def test_pages_written_in_a_block_are_whole_at_once_and_flushed_once_at_its_end(tmp_path, fsyncs):
    pages = [tmp_path / "sources" / f"s{i}.html" for i in range(40)]
    with files.deferred_fsync():
        for i, p in enumerate(pages):
            files.atomic_write_text(p, f"page {i}\n" * 100)
            assert p.read_text() == f"page {i}\n" * 100  # readers see the whole new file at once
        files.atomic_write_text(pages[0], "rewritten\n")  # written twice: flushed once
        assert fsyncs == []
        assert not list((tmp_path / "sources").glob(".*.tmp"))
    inodes = [p.stat().st_ino for p in pages]
    assert sorted(fsyncs) == sorted(inodes + [(tmp_path / "sources").stat().st_ino])
    assert pages[0].read_text() == "rewritten\n"


def test_outside_a_block_each_write_flushes_before_its_rename(tmp_path, fsyncs):
    files.atomic_write_text(tmp_path / "a.json", "{}")
    files.atomic_write_text(tmp_path / "b.json", "{}")
    assert len(fsyncs) == 2


def test_a_failing_block_still_flushes_what_it_wrote_and_raises_its_own_error(tmp_path, fsyncs):
    with pytest.raises(KeyError), files.deferred_fsync():
        files.atomic_write_text(tmp_path / "a.html", "a")
        with files.deferred_fsync():  # nested: flushed by the outer block
            files.atomic_write_text(tmp_path / "b.html", "b")
        assert fsyncs == []
        raise KeyError("boom")
    assert {(tmp_path / "a.html").stat().st_ino, (tmp_path / "b.html").stat().st_ino} <= set(fsyncs)
    files.atomic_write_text(tmp_path / "c.html", "c")  # the block is over: back to a flush per write
    assert fsyncs[-1] == (tmp_path / "c.html").stat().st_ino


def test_the_report_stage_defers_its_flushes(tmp_path, fsyncs, monkeypatch):
    """write_reports runs its pages inside one block: the fsyncs come after the last page is written."""
    from flows.report import site

    order: list[str] = []
    real = files.atomic_write_bytes

    def spy_write(path, data, mode=0o644, **options):
        order.append(f"write {len(fsyncs)}")
        return real(path, data, mode, **options)

    monkeypatch.setattr(files, "atomic_write_bytes", spy_write)
    from flows.refresh import new_result, now, run_summary

    res = new_result(now())
    res.status = "failed"
    summary = run_summary(res, tmp_path / "curated", tmp_path / "reports")
    site.write_reports(tmp_path / "reports", tmp_path / "curated", summary, None, None, None, None, None)
    assert order and all(w == "write 0" for w in order)  # no fsync before any page was written
    assert len(fsyncs) >= len(order)  # every page (and its folder) flushed at the end
