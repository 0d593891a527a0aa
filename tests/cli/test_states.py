"""Prefect states that mean what happened, through `gradfacts refresh` against a real local Prefect server:
published and unchanged runs are Completed with their message; blocked, bad-input and busy runs are Failed
(named Blocked / BadInput / Busy) with the CLI's one-line reason as message; the exit codes stay 0/1/2/3;
deterministic errors are not retried."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from prefect_support import BLOCKING_PAGE, GOOD_PAGE, REPO, gradfacts, prefect_env, small_project

pytestmark = pytest.mark.e2e


def _refresh(project, env, *extra):
    proc, _ = gradfacts("refresh", "--raw", str(project / "raw"), "--curated", str(project / "curated"),
                        "--reports", str(project / "reports"), "--json", *extra, env=env)
    payload = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else {}
    return proc, payload


def _one_line_error(proc) -> str:
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert "Traceback" not in proc.stderr, proc.stderr
    assert lines and lines[-1].startswith("error: "), proc.stderr
    return lines[-1].removeprefix("error: ")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return small_project(tmp_path_factory.mktemp("states"))


@pytest.fixture(scope="module")
def env(prefect_server, tmp_path_factory):
    return prefect_env(tmp_path_factory.mktemp("states-home"), prefect_server.api_url)


def _state(server, payload):
    assert payload.get("prefect_flow_run"), payload
    return server.get(f"/flow_runs/{payload['prefect_flow_run']}")["state"]


def _task_runs(server, flow_run_id):
    return server.post("/task_runs/filter", {"task_runs": {"flow_run_id": {"any_": [flow_run_id]}}})


def test_published_then_unchanged_are_completed_with_their_message(prefect_server, project, env):
    proc, payload = _refresh(project, env)
    assert proc.returncode == 0, proc.stderr
    assert payload["status"] == "published"
    assert {"schema_version", "generated_at", "run_id"} <= set(payload)
    state = _state(prefect_server, payload)
    assert state["type"] == "COMPLETED" and state["message"] == payload["message"]

    proc, payload = _refresh(project, env)
    assert proc.returncode == 0, proc.stderr
    assert payload["status"] == "unchanged"
    state = _state(prefect_server, payload)  # under a server even "nothing to do" is a run there
    assert state["type"] == "COMPLETED"
    assert state["message"].startswith("no source changed since publication")


def test_blocked_refresh_is_failed_named_blocked_with_the_reason(prefect_server, project, env):
    page = project / "raw" / "programs.md"
    page.write_text(BLOCKING_PAGE, encoding="utf-8")
    try:
        proc, payload = _refresh(project, env)
    finally:
        page.write_text(GOOD_PAGE, encoding="utf-8")
    assert proc.returncode == 1
    reason = _one_line_error(proc)
    assert reason.startswith("validation blocked publishing") and "programs_row_count" in reason
    state = _state(prefect_server, payload)
    assert (state["type"], state["name"], state["message"]) == ("FAILED", "Blocked", reason)
    validate = [t for t in _task_runs(prefect_server, payload["prefect_flow_run"]) if t["task_key"].startswith("validate")]
    assert validate and all(t["run_count"] == 1 for t in validate)  # validation outcomes are not retried


def test_bad_input_is_failed_named_badinput_and_not_retried(prefect_server, project, env):
    bad = project / "raw" / "broken.txt"
    bad.write_bytes(b"\xff\xfe not utf-8 \xff")
    try:
        proc, payload = _refresh(project, env)
    finally:
        bad.unlink()
    assert proc.returncode == 2
    reason = _one_line_error(proc)
    assert "broken.txt" in reason
    state = _state(prefect_server, payload)
    assert (state["type"], state["name"], state["message"]) == ("FAILED", "BadInput", reason)
    [ingest] = [t for t in _task_runs(prefect_server, payload["prefect_flow_run"]) if t["task_key"].startswith("ingest")]
    assert ingest["run_count"] == 1 and ingest["state_type"] == "FAILED"  # bad input is not retried


def test_busy_flow_run_is_failed_named_busy(prefect_server, project, env):
    from flows.publish.nodes import refresh_lock

    code = ("import json, sys; from pathlib import Path; from flows.pipeline import run_refresh, result_json; "
            "p = Path(sys.argv[1]); r = run_refresh(p / 'raw', p / 'curated', p / 'reports'); print(result_json(r))")
    with refresh_lock(project / "curated"):  # a refresh (e.g. a manual one) holds the lock when the run starts
        proc = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True, env=env,
                              cwd=REPO, timeout=600)
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert payload["exit_code"] == 3 and payload["outcome"] == "busy"
    state = _state(prefect_server, payload)
    assert (state["type"], state["name"]) == ("FAILED", "Busy")
    assert "another refresh is running" in state["message"]
