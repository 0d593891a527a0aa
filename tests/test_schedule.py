"""Scheduling for real: `gradfacts serve` on a short interval, with and without a separately started Prefect
server, must produce runs that Prefect's scheduler created and that complete; `prefect flow-run ls` and
`prefect deploy --all` (prefect.yaml, a work pool the test creates, a worker) work against a local server.
Every wait is bounded; every Prefect home is a temporary one."""

from __future__ import annotations

import importlib
import re
import signal
import subprocess
from pathlib import Path

import pytest
import yaml
from prefect_support import BIN, REPO, ServerHandle, prefect_env, small_project, wait_for

from flows.schedule import SERVE_DEPLOYMENT, ScheduleError, build_deployment

pytestmark = pytest.mark.e2e
SCHEDULED_RUN_TIMEOUT = 300  # s: server start + first scheduled run on a loaded 2-core machine


# ------------------------------------------------------------------------------- deployment objects

def test_deployment_carries_the_cron_and_absolute_paths(tmp_path):
    d = build_deployment("15 4 * * 1", tmp_path / "raw", tmp_path / "curated", tmp_path / "reports", name="nightly")
    assert d.name == "nightly"
    [sched] = d.schedules
    assert sched.schedule.cron == "15 4 * * 1"
    assert d.parameters == {"raw": str((tmp_path / "raw").resolve()), "curated": str((tmp_path / "curated").resolve()),
                            "reports": str((tmp_path / "reports").resolve())}
    assert d.flow_name == "gradfacts-refresh"


def test_interval_deployment_and_bad_schedules(tmp_path):
    d = build_deployment(None, tmp_path, tmp_path, tmp_path, interval=30)
    [sched] = d.schedules
    assert sched.schedule.interval.total_seconds() == 30
    assert d.name == SERVE_DEPLOYMENT
    with pytest.raises(ScheduleError, match="invalid schedule"):
        build_deployment("not a cron", tmp_path, tmp_path, tmp_path)
    with pytest.raises(ScheduleError):
        build_deployment("0 6 * * *", tmp_path, tmp_path, tmp_path, interval=30)


def test_serve_rejects_a_bad_cron_with_one_line_and_exit_2(tmp_path):
    proc = subprocess.run([str(BIN / "gradfacts"), "serve", "--cron", "61 * * * *", "--raw", str(tmp_path)],
                          capture_output=True, text=True, timeout=300, env=prefect_env(tmp_path / "home"))
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("error: invalid schedule '61 * * * *'")
    assert "Traceback" not in proc.stderr


def test_prefect_yaml_declares_the_same_flow_for_workers_under_another_name():
    spec = yaml.safe_load((REPO / "prefect.yaml").read_text())
    [dep] = spec["deployments"]
    assert dep["entrypoint"] == "flows/pipeline.py:refresh_flow"
    assert dep["schedules"][0]["cron"]
    assert dep["name"] != SERVE_DEPLOYMENT  # `prefect deploy --all` never overwrites serve's deployment
    assert dep["work_pool"]["name"] == "gradfacts-process"
    path, attr = dep["entrypoint"].split(":")
    mod = path.removesuffix(".py").replace("/", ".")
    assert getattr(importlib.import_module(mod), attr).name == "gradfacts-refresh"


# ------------------------------------------------------------------------------------- serve for real

def _start_serve(project: Path, env: dict, log: Path, interval: int = 10) -> subprocess.Popen:
    """`gradfacts serve` started from the project folder (not this checkout): it must not need the cwd."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            [str(BIN / "gradfacts"), "serve", "--interval", str(interval), "--raw", str(project / "raw"),
             "--curated", str(project / "curated"), "--reports", str(project / "reports")],
            env=env, cwd=project, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)


def _stop_serve(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _alive(proc: subprocess.Popen, log: Path) -> bool:
    if proc.poll() is not None:
        raise AssertionError(f"gradfacts serve exited {proc.returncode}: {log.read_text(errors='replace')[-3000:]}")
    return True


def _server_down(api_url: str) -> bool:
    import httpx

    try:
        httpx.get(f"{api_url}/health", timeout=2)
    except httpx.HTTPError:
        return True
    return False


def _scheduled_completed_run(server) -> dict | None:
    dep = server.deployment("gradfacts-refresh", SERVE_DEPLOYMENT, missing_ok=True)
    if dep is None:  # serve has not registered it yet
        return None
    runs = server.flow_runs({"deployment_id": {"any_": [dep["id"]]}, "state": {"type": {"any_": ["COMPLETED"]}}})
    return next((r for r in runs if r["auto_scheduled"]), None)


def _materializations(server, project: Path) -> dict:
    """Asset materialization events of this project's curated tables, by asset key (the server is shared with
    other tests that publish too)."""
    events = server.post("/events/filter", {
        "filter": {"event": {"name": ["prefect.asset.materialization.succeeded"]},
                   "resource": {"id_prefix": [(project / "curated").resolve().as_uri()]}},
        "limit": 50})["events"]
    return {e["resource"]["prefect.resource.id"]: e["payload"] for e in events}


def _assert_created_by_the_scheduler(run: dict, deployment_id: str) -> None:
    assert run["deployment_id"] == deployment_id
    assert run["auto_scheduled"] is True
    assert (run.get("created_by") or {}).get("type") == "SCHEDULE", run.get("created_by")
    assert run["state"]["type"] == "COMPLETED"


def test_serve_against_a_running_server_gets_scheduled_runs_that_complete(prefect_server, tmp_path):
    project = small_project(tmp_path / "project")
    env = prefect_env(tmp_path / "serve-home", prefect_server.api_url)
    serve = _start_serve(project, env, tmp_path / "serve.log")
    programs = ((project / "curated").resolve() / "programs.parquet").as_uri()
    try:
        run = wait_for(lambda: _alive(serve, tmp_path / "serve.log") and _scheduled_completed_run(prefect_server),
                       SCHEDULED_RUN_TIMEOUT, 2, "a scheduled run of served-refresh to complete")
        # events reach the server after the run is Completed (serve's events worker sends them as it goes):
        # wait for them while serve still runs, then check them below
        wait_for(lambda: programs in _materializations(prefect_server, project), 120, 1,
                 "the run's asset materialization events")
    finally:
        _stop_serve(serve)
    dep = prefect_server.deployment("gradfacts-refresh", SERVE_DEPLOYMENT)
    _assert_created_by_the_scheduler(run, dep["id"])
    assert run["state"]["message"]  # "published ..." or "no source changed ..."
    assert (project / "curated" / "programs.parquet").exists()
    assert not [e for e in prefect_server.errors_in_log() if "InvalidRequestError" in e]

    # the UI shows the run's task logs (INFO) ...
    logs = prefect_server.post("/logs/filter", {"logs": {"flow_run_id": {"any_": [run["id"]]}}, "limit": 200})
    messages = [entry["message"] for entry in logs if entry["level"] == 20]
    assert any(m.startswith("ingested 1 sources from") for m in messages), messages
    # ... and one markdown artifact per run: rows per table, validation, quarantine, freshness, link to the reports
    arts = prefect_server.post("/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})
    [art] = [a for a in arts if a["key"] == "gradfacts-refresh"]
    assert art["type"] == "markdown"
    for needle in ("| programs | 1 |", "validation:", "quarantined rows:", "freshness:",
                   (project / "reports" / "index.html").resolve().as_uri()):
        assert needle in art["data"], (needle, art["data"])

    # the first run published: one asset materialization per curated table, with rows and sha256
    # only this project's assets: the server is shared with other tests that publish too
    by_key = _materializations(prefect_server, project)
    assert programs in by_key, sorted(by_key)
    assert by_key[programs]["rows"] == 1 and len(by_key[programs]["sha256"]) == 64

    # `prefect flow-run ls` against the same server exits 0 and lists the run
    ls = subprocess.run([str(BIN / "prefect"), "flow-run", "ls", "--limit", "50"], capture_output=True, text=True,
                        env=dict(env, COLUMNS="250"), timeout=300)
    assert ls.returncode == 0, ls.stdout + ls.stderr
    assert run["name"] in ls.stdout


def test_serve_without_a_server_starts_its_own_and_runs_on_schedule(tmp_path):
    project = small_project(tmp_path / "project")
    env = prefect_env(tmp_path / "home")  # no PREFECT_API_URL
    log = tmp_path / "serve.log"
    serve = _start_serve(project, env, log)
    try:
        found = wait_for(lambda: _alive(serve, log) and re.search(
            r"Prefect server for this serve: (http://127\.0\.0\.1:\d+/api)", log.read_text(errors="replace")),
            SCHEDULED_RUN_TIMEOUT, 1, "serve to start its Prefect server")
        server = ServerHandle(found.group(1))
        run = wait_for(lambda: _scheduled_completed_run(server), SCHEDULED_RUN_TIMEOUT, 2,
                       "a scheduled run on serve's own server to complete")
        _assert_created_by_the_scheduler(run, server.deployment("gradfacts-refresh", SERVE_DEPLOYMENT)["id"])
    finally:
        _stop_serve(serve)
    assert serve.returncode is not None
    wait_for(lambda: _server_down(server.api_url), 60, 1, "serve to stop the server it started")
    assert (tmp_path / "home" / "prefect.db").exists()  # its state lived in the given PREFECT_HOME


def test_prefect_yaml_deploys_against_a_local_server_and_a_worker_runs_it(prefect_server, tmp_path):
    env = prefect_env(prefect_server.home / "client", prefect_server.api_url, GRADFACTS_HOME=str(REPO))
    prefect = str(BIN / "prefect")
    pool = subprocess.run([prefect, "work-pool", "create", "gradfacts-process", "--type", "process"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert pool.returncode == 0, pool.stdout + pool.stderr
    before = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True).stdout
    deploy = subprocess.run([prefect, "--no-prompt", "deploy", "--all"], capture_output=True, text=True, env=env,
                            cwd=REPO, timeout=300)
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    assert subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True,
                          text=True).stdout == before  # deploying writes nothing into the project
    dep = prefect_server.deployment("gradfacts-refresh", "worker-refresh")
    assert dep["work_pool_name"] == "gradfacts-process"
    assert dep["schedules"][0]["schedule"]["cron"] == "0 6 * * *"

    project = small_project(tmp_path / "project")
    params = [arg for k in ("raw", "curated", "reports") for arg in ("--param", f"{k}={project / k}")]
    started = subprocess.run([prefect, "deployment", "run", "gradfacts-refresh/worker-refresh", *params],
                             capture_output=True, text=True, env=env, timeout=300)
    assert started.returncode == 0, started.stdout + started.stderr
    flow_run_id = re.search(r"flow-run/([0-9a-f-]{36})", started.stdout).group(1)
    worker = subprocess.run([prefect, "worker", "start", "--pool", "gradfacts-process", "--run-once"],
                            capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path)
    assert worker.returncode == 0, worker.stdout[-3000:] + worker.stderr[-3000:]
    run = prefect_server.get(f"/flow_runs/{flow_run_id}")
    assert run["state"]["type"] == "COMPLETED", run["state"]
    assert (project / "curated" / "programs.parquet").exists()
