"""Scheduling: the refresh flow served as a Prefect deployment on a cron or an interval.

Prefect's scheduler lives in its server: the temporary API Prefect starts for a process without
PREFECT_API_URL cannot schedule ("Cannot schedule flows on an ephemeral server"). So `gradfacts serve`
without PREFECT_API_URL starts a real `prefect server start` of its own on a free loopback port (state in
PREFECT_HOME), waits until it answers, serves the deployment against it and stops it on exit.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from flows.settings import configure_environment

configure_environment()

#: `gradfacts serve`'s deployment; prefect.yaml's (for workers) is `worker-refresh`, so the two never overwrite
SERVE_DEPLOYMENT = "served-refresh"


class ScheduleError(ValueError):
    """A schedule that cannot be served (bad cron, both cron and interval): bad input, exit 2."""


def build_deployment(cron: str | None, raw: Path, curated: Path, reports: Path, name: str = SERVE_DEPLOYMENT,
                     interval: float | None = None):
    """The deployment object `serve` runs (inspectable in tests without waiting for the schedule)."""
    from prefect.deployments.runner import EntrypointType

    from flows.pipeline import refresh_flow

    if bool(cron) == bool(interval):
        raise ScheduleError("give a cron or an interval (exactly one)")
    try:
        return refresh_flow.to_deployment(
            name=name,
            cron=cron or None,
            interval=interval or None,
            parameters={"raw": str(Path(raw).resolve()), "curated": str(Path(curated).resolve()),
                        "reports": str(Path(reports).resolve())},
            description="gradfacts scheduled refresh: raw/ -> curated/ + reports/ (served by `gradfacts serve`)",
            tags=["gradfacts"],
            # the runner imports flows.pipeline by module name: serving works from any working directory
            entrypoint_type=EntrypointType.MODULE_PATH,
        )
    except ValueError as exc:
        raise ScheduleError(f"invalid schedule {cron or interval!r}: {str(exc).splitlines()[0]}") from None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(api_url: str, timeout: float, proc: subprocess.Popen | None = None, interval: float = 0.5) -> bool:
    """Poll <api>/health every ``interval`` seconds until it answers true, the process dies, or timeout seconds
    pass."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            if httpx.get(f"{api_url}/health", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(interval)
    return False


def stop_process(proc: subprocess.Popen, grace: float = 20.0) -> None:
    """SIGTERM, then SIGKILL after grace seconds (the server's own children are in its process group)."""
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(5)


def die_with_parent() -> None:
    """preexec_fn: on Linux, the child gets SIGTERM when the process that started it dies (even by SIGKILL), so a
    killed `gradfacts serve` (or test run) never leaves its Prefect server behind. Elsewhere a no-op."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass


def start_server_process(port: int, env: dict, log) -> subprocess.Popen:
    """`prefect server start` on 127.0.0.1:port in its own session (so it can be stopped with its children)."""
    return subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=die_with_parent)


@contextmanager
def local_server(log_path: Path | None = None, startup_timeout: float | None = None):
    """A `prefect server start` on a free loopback port for the duration of the block; yields its API URL.
    The UI is on (it is what a user of `serve` looks at); telemetry stays off."""
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = dict(os.environ, PREFECT_SERVER_UI_ENABLED="true", PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    home = Path(env["PREFECT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    log_path = Path(log_path) if log_path else home / "serve-server.log"
    timeout = startup_timeout or float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", 180))
    with open(log_path, "ab") as log:
        proc = start_server_process(port, env, log)
    try:
        if not wait_healthy(api_url, timeout, proc):
            raise OSError(f"the local Prefect server did not start within {timeout:.0f} s (log: {log_path})")
        yield api_url
    finally:
        stop_process(proc)


def serve_refresh(cron: str | None, raw: Path, curated: Path, reports: Path, name: str = SERVE_DEPLOYMENT,
                  interval: float | None = None, announce: Callable[[str], None] = print) -> None:
    """Serve the deployment until stopped; against PREFECT_API_URL when set, else against a local server."""
    from flows.refresh import prefect_api_url

    if prefect_api_url():
        announce(f"serving deployment gradfacts-refresh/{name} on {prefect_api_url()}")
        _serve(cron, raw, curated, reports, name, interval)
        return
    with local_server() as api_url:
        from prefect.settings import PREFECT_API_URL, temporary_settings

        os.environ["PREFECT_API_URL"] = api_url  # for the runs the runner starts in subprocesses
        announce(f"Prefect server for this serve: {api_url} (UI {api_url.removesuffix('/api')}); "
                 f"serving deployment gradfacts-refresh/{name}")
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            _serve(cron, raw, curated, reports, name, interval)


def _serve(cron, raw, curated, reports, name, interval) -> None:
    from prefect import serve

    # limit=1: one refresh at a time from this process (a run due while one is running waits for it)
    serve(build_deployment(cron, raw, curated, reports, name, interval=interval), limit=1, print_starting_message=False)
