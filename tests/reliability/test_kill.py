"""Robustness matrix (issue 13), a refresh killed by SIGKILL (as `kill -9`) at a chosen moment, and refreshes
running at the same time. Each case runs `gradfacts refresh` in a real child process (sharing this process's
temporary Prefect server); fault_run.py injects the kill where the timing is too short to hit by chance.
After every kill: the live publication is whole (the old one, or the new one), `rollback` finds no
half-made publication, and the next refresh cleans up and ends well."""

from __future__ import annotations

import re
import signal
import time

from flows.publish.nodes import publications, verify_publication
import pytest

from matrix import Project, assert_live_whole, run_cli_process

pytestmark = pytest.mark.e2e


def _metadata_edit(p: Project, note: str) -> None:
    p.set_yaml(re.sub(r"retrieval_note: .*", f"retrieval_note: {note}", p.yaml(), count=1))


def _killed(proc) -> None:
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.out[-2000:], proc.err[-2000:])


def _next_refresh_heals(p: Project) -> dict:
    res, payload = p.refresh()
    assert res.exit_code == 0 and payload["status"] in ("published", "unchanged"), res.stdout
    assert_live_whole(p)
    assert not (p.curated / "staging").exists() or not any((p.curated / "staging").iterdir())
    assert not (p.curated / ".trash").exists() or not any((p.curated / ".trash").iterdir())
    for pub in publications(p.curated):
        assert verify_publication(pub) == [], pub.name
    return payload


def test_kill_during_promote_leaves_the_old_publication_live(project: Project, prefect_api_url):
    live, before = project.live_digest(), project.live_run()
    _metadata_edit(project, "kill during promote")
    proc = run_cli_process(project, prefect_api_url, "kill-promote")
    _killed(proc)
    assert project.live_run() == before and project.live_digest() == live
    assert_live_whole(project)
    payload = _next_refresh_heals(project)
    assert payload["status"] == "published"


def test_kill_while_writing_a_table_leaves_no_publication_and_staging_is_removed(project: Project, prefect_api_url):
    live, before = project.live_digest(), project.live_run()
    _metadata_edit(project, "kill during write")
    proc = run_cli_process(project, prefect_api_url, "kill-write")
    _killed(proc)
    assert project.live_run() == before and project.live_digest() == live
    assert any((project.curated / "staging").iterdir())  # the killed run's half-written staging
    payload = _next_refresh_heals(project)
    assert "removed what an earlier run left" in payload["message"]


def test_kill_during_prune_never_leaves_a_half_deleted_publication_to_roll_back_to(project: Project, prefect_api_url):
    for i in range(4):  # 5 publications kept: the next publish prunes the oldest
        _metadata_edit(project, f"fill {i}")
        res, payload = project.refresh()
        assert payload["status"] == "published", res.stdout
    oldest = publications(project.curated)[0].name
    assert len(publications(project.curated)) == 5
    _metadata_edit(project, "kill during prune")
    proc = run_cli_process(project, prefect_api_url, "kill-prune")
    _killed(proc)
    names = [p.name for p in publications(project.curated)]
    assert oldest not in names and len(names) == 5
    for pub in publications(project.curated):
        assert verify_publication(pub) == [], pub.name  # every listed one is whole
    out = project.cli("rollback", "--curated", str(project.curated), "--reports", str(project.reports), "--to", oldest)
    assert out.exit_code == 2 and "no publication" in out.output
    assert_live_whole(project)
    _next_refresh_heals(project)


def test_kill_while_writing_the_run_history_keeps_it_readable(project: Project, prefect_api_url):
    rows = project.runs().height
    _metadata_edit(project, "kill during history write")
    proc = run_cli_process(project, prefect_api_url, "kill-runs")
    _killed(proc)
    assert project.runs().height == rows  # the old history, whole
    assert_live_whole(project)  # the publication was made before the history row
    payload = _next_refresh_heals(project)
    assert project.runs().height == rows + 1
    assert payload["status"] == "unchanged"


def test_kill_9_at_a_random_moment_of_a_forced_refresh(project: Project, prefect_api_url):
    """No injection: SIGKILL as soon as the child has begun staging tables (or at the deadline)."""
    live, before = project.live_digest(), project.live_run()
    proc = run_cli_process(project, prefect_api_url, None, "--force", wait=False)
    deadline = time.monotonic() + 240
    staging = project.curated / "staging"
    while time.monotonic() < deadline and proc.poll() is None:
        if staging.exists() and any(staging.iterdir()):
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    now = project.live_run()
    assert_live_whole(project)
    if now == before:
        assert project.live_digest() == live
    _next_refresh_heals(project)


def test_concurrent_refreshes_serialise(project: Project, prefect_api_url):
    _metadata_edit(project, "concurrent")
    mark = project.root / "fault.mark"
    proc = run_cli_process(project, prefect_api_url, "pause-publish", wait=False)
    deadline = time.monotonic() + 240
    while not mark.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert mark.exists(), "the first refresh never reached publish"
    live = project.live_digest()
    res, payload = project.refresh()  # no --wait: busy
    assert res.exit_code == 3 and "another refresh is running" in payload["message"]
    assert project.live_digest() == live
    mark.with_suffix(".go").write_text("go")
    res, payload = project.refresh("--wait", "120")  # waits for the first, then finds nothing changed
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out[-2000:] + err[-2000:]
    assert res.exit_code == 0 and payload["status"] == "unchanged", res.stdout
    assert_live_whole(project)
