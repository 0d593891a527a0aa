"""The Prefect API a one-shot refresh reports to when none is configured: Prefect's temporary server, started early.

Without ``PREFECT_API_URL``, Prefect starts a temporary API server when the flow is first called: it imports
``prefect.server.api.server`` in the calling process (~2.5 s of CPU here: FastAPI, SQLAlchemy, every API route),
then starts the server (uvicorn in a child process, which imports all that again) and waits for it. A refresh
that knows it will run its flow starts the same server itself, as the refresh begins, with the same command
and settings Prefect uses (``SubprocessASGIServer._run_uvicorn_command`` in Prefect 3.9), without importing the
server: it boots on the other core while this process imports Prefect and the stages, and the flow runs
against it (``PREFECT_API_URL`` set for the flow only, as Prefect's ``temporary_settings``). Its database is
Prefect's own (``$PREFECT_HOME``), so the runs are where a temporary server would have put them.

One server per process, reused by later refreshes in the same process and stopped when the process exits, as
Prefect's own temporary server is.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from flows.schedule import die_with_parent, free_port, stop_process, wait_healthy

#: uvicorn's exit code when the port is taken (Prefect retries on another port too)
_PORT_IN_USE = 3


class TemporaryServer:
    """Prefect's temporary API server in a child process of its own (see the module docstring)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.api_url = ""
        self._start()

    def _start(self) -> None:
        port = free_port()
        self.api_url = f"http://127.0.0.1:{port}/api"
        prefect_dir = Path(importlib.util.find_spec("prefect").origin).parent  # without importing Prefect
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
        env.update({"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect_dir.parent), "--factory",
             "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "error", "--lifespan", "on"],
            env=env, stdin=subprocess.DEVNULL, start_new_session=True, preexec_fn=die_with_parent)

    def wait(self, timeout: float) -> str:
        """Its API URL once it answers; OSError naming the problem if it does not within ``timeout`` seconds."""
        for _ in range(3):
            if wait_healthy(self.api_url, timeout, self.proc, interval=0.1):
                return self.api_url
            if self.proc.poll() != _PORT_IN_USE:
                break
            self._start()
        code = self.proc.poll()
        self.stop()
        raise OSError("Prefect's temporary API server did not start within "
                      f"{timeout:.0f} s" + (f" (exit {code})" if code is not None else "")
                      + " (PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS; or set PREFECT_API_URL to a running "
                      "server)")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc, grace=5.0)


_server: TemporaryServer | None = None
_guard = threading.Lock()


def _api_configured_or_off() -> bool:
    """An API is configured (PREFECT_API_URL or the active profile), or the user turned temporary servers off
    (Prefect then says what it needs)."""
    from flows.refresh import prefect_api_url

    if prefect_api_url():
        return True
    return any(os.environ.get(name, "").strip().lower() in ("0", "false", "no", "off")
               for name in ("PREFECT_SERVER_EPHEMERAL_ENABLED", "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE"))


def _needed() -> bool:
    """No API configured, temporary servers not turned off, and Prefect's own temporary server not already running
    in this process (then Prefect reuses it, and so does :func:`flow_api`)."""
    return not _api_configured_or_off() and _prefects_own_server() is None


def start_early() -> None:
    """Start the temporary server now if the flow about to run will need one (see the module docstring)."""
    global _server
    with _guard:
        if _server is not None and _server.alive():
            return
        if _needed():
            _server = TemporaryServer()
            atexit.register(_server.stop)


def _prefects_own_server():
    """Prefect's own temporary server, if something in this process already started it (it is reused then)."""
    server_mod = sys.modules.get("prefect.server.api.server")
    instances = getattr(server_mod, "SubprocessASGIServer")._instances if server_mod else {}
    return next((srv for srv in instances.values() if getattr(srv, "running", False)), None)


@contextmanager
def flow_api():
    """For the block (the flow call): the one Prefect API the flow and its Dask workers report to. A worker runs
    each task with the flow's settings; with no API URL in them every worker would start a temporary server of its
    own (~20 s each, all writing to one database). So, when no API is configured, the URL of the temporary server
    (started early here, or Prefect's own when this process already runs one) is put in the flow's settings.
    Nothing is changed when an API is configured or temporary servers are turned off."""
    start_early()  # (a no-op when the refresh started it, an API is configured, or Prefect's own server runs)
    with _guard:
        server = _server if _server is not None and _server.alive() else None
    if server is not None:
        url = server.wait(float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", 180)))
    else:
        own = _prefects_own_server() if not _api_configured_or_off() else None
        url = own.api_url if own is not None else None
    if url is None:
        yield None
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: url}):
        yield url
