"""Helpers for tests that run gradfacts and Prefect for real: a local Prefect server, bounded waits,
small projects, the installed `gradfacts` entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def prefect_env(home: Path, api_url: str | None = None, **extra: str) -> dict[str, str]:
    """Environment for a subprocess with its own Prefect home (and API, when given)."""
    env = dict(os.environ, PREFECT_HOME=str(home), **extra)
    env.pop("PREFECT_API_URL", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


class ServerHandle:
    """The API of a running Prefect server (one a test started, or `gradfacts serve`'s own)."""

    def __init__(self, api_url: str, log: Path | None = None):
        self.api_url, self.log = api_url, log

    def wait_ready(self, timeout: float = 240, proc: subprocess.Popen | None = None) -> None:
        from flows.schedule import wait_healthy

        if not wait_healthy(self.api_url, timeout, proc):
            tail = self.log.read_text(errors="replace")[-3000:] if self.log and self.log.exists() else ""
            raise AssertionError(f"prefect server at {self.api_url} did not answer within {timeout:.0f} s: {tail}")

    def post(self, path: str, body: dict | None = None):
        import httpx

        r = httpx.post(f"{self.api_url}{path}", json=body or {}, timeout=30)
        assert r.status_code < 300, (path, r.status_code, r.text[:500])
        return r.json()

    def get(self, path: str):
        import httpx

        r = httpx.get(f"{self.api_url}{path}", timeout=30)
        assert r.status_code < 300, (path, r.status_code, r.text[:500])
        return r.json()

    def flow_runs(self, flow_runs: dict | None = None, limit: int = 200) -> list[dict]:
        """Flow runs matching a FlowRunFilter body (newest expected start first)."""
        body = {"sort": "EXPECTED_START_TIME_DESC", "limit": limit}
        if flow_runs:
            body["flow_runs"] = flow_runs
        return self.post("/flow_runs/filter", body)

    def deployment(self, flow: str, name: str, missing_ok: bool = False) -> dict | None:
        import httpx

        r = httpx.get(f"{self.api_url}/deployments/name/{flow}/{name}", timeout=30)
        if r.status_code == 404 and missing_ok:
            return None
        assert r.status_code < 300, (flow, name, r.status_code, r.text[:500])
        return r.json()

    def errors_in_log(self) -> list[str]:
        text = self.log.read_text(errors="replace") if self.log and self.log.exists() else ""
        return [line for line in text.splitlines() if "Traceback" in line or "InvalidRequestError" in line]


class PrefectServer(ServerHandle):
    """A real `prefect server start` on a free loopback port, with its own home; scheduler loop shortened."""

    def __init__(self, home: Path):
        from flows.schedule import free_port, start_server_process

        self.home = home
        port = free_port()
        home.mkdir(parents=True, exist_ok=True)
        super().__init__(f"http://127.0.0.1:{port}/api", home / "server.log")
        env = prefect_env(home, PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="5",
                          PREFECT_SERVER_UI_ENABLED="false")
        with open(self.log, "wb") as log:
            self.proc = start_server_process(port, env, log)  # dies with the test run, even a killed one

    def wait_ready(self, timeout: float = 240, proc=None) -> None:
        super().wait_ready(timeout, self.proc)

    def stop(self) -> None:
        from flows.schedule import stop_process

        stop_process(self.proc)


def wait_for(predicate, timeout: float, interval: float = 1.0, what: str = "condition"):
    """Poll predicate() until it returns something truthy (returned) or timeout seconds pass (AssertionError)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


GOOD_PAGE = """# Lakeside University Online M.S. in Machine Learning

| School | Program | Credits | Total Tuition | GRE |
|---|---|---|---|---|
| Lakeside University | M.S. in Machine Learning | 33 | $28,000 | Optional |
"""

# no program at all, so programs would be empty and programs_row_count blocks (a single bad statement such as a
# $7 tuition no longer blocks: it is held back and its row published without it, issue 10)
BLOCKING_PAGE = """# Ridgeway Careers Digest

| Role | Salary Range | Growth Outlook |
|---|---|---|
| Data Wrangler | $90,000-$120,000 | High |
"""


def small_project(root: Path, page: str = GOOD_PAGE) -> Path:
    """A project folder with a one-page raw/ (quick to refresh)."""
    (root / "raw").mkdir(parents=True, exist_ok=True)
    (root / "raw" / "programs.md").write_text(page, encoding="utf-8")
    return root


def gradfacts(*args: str, env: dict | None = None, timeout: float = 600, cwd: Path | None = None):
    """Run the installed `gradfacts` entry point; returns (CompletedProcess, wall seconds)."""
    t0 = time.monotonic()
    proc = subprocess.run([str(BIN / "gradfacts"), *args], capture_output=True, text=True, env=env or dict(os.environ),
                          timeout=timeout, cwd=cwd or REPO, stdin=subprocess.DEVNULL)
    return proc, time.monotonic() - t0


def project_prefect_snapshot() -> dict[str, float]:
    """Files under the project's own .prefect/ with their mtimes (empty when it does not exist)."""
    root = REPO / ".prefect"
    if not root.exists():
        return {}
    return {str(p): p.stat().st_mtime for p in root.rglob("*") if p.is_file()}


_REFRESH_REPORTING_MODULES = """
import json, sys
from flows.cli import entry  # the console script
modules, sys.argv = sys.argv[1].split(","), ["gradfacts", "refresh", *sys.argv[2:], "--json"]
try:
    entry()
except SystemExit as exc:
    code = exc.code
print(json.dumps({"exit": code, "imported": sorted(m for m in modules if m in sys.modules)}), file=sys.stderr)
"""


def refresh_reporting_modules(tmp_path: Path, modules: list[str], *args: str) -> tuple[dict, dict]:
    """A `gradfacts refresh ... --json` through the console script's entry, in a process of its own (own Prefect
    home, Prefect's temporary API server). Returns ({"exit": code, "imported": which of ``modules`` the refreshing
    process imported}, the refresh's JSON result)."""
    proc = subprocess.run([sys.executable, "-c", _REFRESH_REPORTING_MODULES, ",".join(modules), *args],
                          capture_output=True, text=True, env=prefect_env(tmp_path / "prefect"), cwd=tmp_path,
                          timeout=600)
    assert proc.stderr.strip(), proc.stdout[-3000:]
    report = json.loads(proc.stderr.strip().splitlines()[-1])
    result = json.loads(proc.stdout[proc.stdout.index("{"):]) if "{" in proc.stdout else {}
    return report, result
