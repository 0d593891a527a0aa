"""Robustness matrix (issue 13), the machine: a full disk and a read-only curated/ end the refresh with the
environment exit code and one line naming the path and the cause; the live publication stays whole and
unchanged; nothing half-written stays behind; the next refresh on a healthy disk publishes.

As root (CI, this workplace) curated/ is put on a real tiny tmpfs (filled up, or remounted read-only); without
root the same cases run by fault injection (ENOSPC from the one write helper) and chmod."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

from flows.common.errors import EXIT_ENVIRONMENT
import pytest

from matrix import Project, assert_live_whole

pytestmark = pytest.mark.e2e


def _du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


@contextmanager
def curated_on_tmpfs(p: Project, extra_kb: int):
    """Move p.curated onto its own tmpfs of (current size + extra_kb). Yields True, or False when mounting
    is not allowed here (then nothing was changed)."""
    if os.geteuid() != 0:
        yield False
        return
    orig = p.root / "curated.orig"
    p.curated.rename(orig)
    p.curated.mkdir()
    size_kb = _du(orig) // 1024 + extra_kb
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(p.curated)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        p.curated.rmdir()
        orig.rename(p.curated)
        yield False
        return
    try:
        shutil.copytree(orig, p.curated, symlinks=True, dirs_exist_ok=True)
        yield True
    finally:
        subprocess.run(["umount", "-l", str(p.curated)], capture_output=True)


def _fill(mount: Path, leave_bytes: int) -> Path:
    """Fill a file system until about ``leave_bytes`` are free."""
    filler = mount / "filler.bin"
    st = os.statvfs(mount)
    free = st.f_bavail * st.f_frsize
    with open(filler, "wb") as fh:
        try:
            fh.write(b"\0" * max(0, free - leave_bytes))
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def _metadata_edit(p: Project) -> None:
    p.set_yaml(re.sub(r"retrieval_note: .*", "retrieval_note: edited for the disk test", p.yaml(), count=1))


def test_full_disk_exits_with_the_environment_code_and_keeps_the_live_publication(project: Project, monkeypatch):
    live = project.live_digest()
    live_run = project.live_run()
    _metadata_edit(project)  # a republish is due: it must write a whole new publication
    with curated_on_tmpfs(project, extra_kb=512) as mounted:
        if mounted:
            filler = _fill(project.curated, leave_bytes=48 * 1024)
        else:
            from flows.common import files

            def no_space(fd, data):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            monkeypatch.setattr(files, "_write_all", no_space)
        res, payload = project.refresh()
        assert res.exit_code == EXIT_ENVIRONMENT, res.stdout
        msg = payload["message"]
        assert "\n" not in msg and "disk full" in msg and "cannot write" in msg, msg
        assert str(project.curated) in msg
        assert project.live_run() == live_run and project.live_digest() == live
        assert_live_whole(project)
        staging = project.curated / "staging"
        assert not staging.exists() or not any(staging.iterdir()), "a partial staging dir was left behind"
        assert not list(project.curated.glob(".*.tmp")) and not list(project.curated.rglob(".*.tmp"))
        # room again: the next refresh publishes
        if mounted:
            filler.unlink()
        else:
            monkeypatch.undo()
        res, payload = project.refresh()
        assert res.exit_code == 0 and payload["status"] == "published", res.stdout
        assert_live_whole(project)
        assert project.runs()["status"][-1] == "published"


def test_read_only_curated_exits_with_the_environment_code_naming_it(project: Project):
    live = project.live_digest()
    _metadata_edit(project)
    with curated_on_tmpfs(project, extra_kb=2048) as mounted:
        if mounted:
            r = subprocess.run(["mount", "-o", "remount,ro", str(project.curated)], capture_output=True, text=True)
            assert r.returncode == 0, r.stderr
        else:
            for d in [project.curated, *[q for q in project.curated.rglob("*") if q.is_dir()]]:
                d.chmod(0o555)
        try:
            res, payload = project.refresh()
        finally:
            if mounted:
                subprocess.run(["mount", "-o", "remount,rw", str(project.curated)], capture_output=True)
            else:
                for d in [project.curated, *[q for q in project.curated.rglob("*") if q.is_dir()]]:
                    d.chmod(0o755)
        assert res.exit_code == EXIT_ENVIRONMENT, res.stdout
        msg = payload["message"]
        assert "\n" not in msg and "cannot write" in msg, msg
        assert ("read-only file system" if mounted else "permission denied") in msg
        assert str(project.curated) in msg
        assert project.live_digest() == live
        res, payload = project.refresh()
        assert res.exit_code == 0 and payload["status"] == "published", res.stdout
        assert_live_whole(project)
