"""A one-shot refresh with no Prefect API configured starts Prefect's temporary API server itself, as it begins
(flows/api_server.py): its flow run is recorded in $PREFECT_HOME's database, the refreshing process never imports
Prefect's server code, and no server is left running when it ends."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from prefect_support import gradfacts, prefect_env, small_project

REFRESH_IN_PROCESS = textwrap.dedent("""
    import json, sys
    from flows.cli import app
    try:
        app(["refresh", "--raw", sys.argv[1], "--curated", sys.argv[2], "--reports", sys.argv[3]])
    except SystemExit as exc:
        code = exc.code
    print(json.dumps({"exit": code, "server_imported": "prefect.server.api.server" in sys.modules,
                      "prefect_imported": "prefect" in sys.modules}), file=sys.stderr)
""")


def _processes_with_home(home: Path) -> list[str]:
    """Command lines of the processes whose environment names this Prefect home (Linux /proc)."""
    found = []
    needle = f"PREFECT_HOME={home}".encode()
    for env_file in Path("/proc").glob("[0-9]*/environ"):
        try:
            if needle in env_file.read_bytes().split(b"\0"):
                found.append(env_file.with_name("cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return found


def _flow_runs(home: Path) -> list[tuple[str, str]]:
    db = sqlite3.connect(home / "prefect.db")
    try:
        return db.execute("SELECT f.name, r.state_type FROM flow_run r JOIN flow f ON f.id = r.flow_id").fetchall()
    finally:
        db.close()


def test_one_shot_refresh_runs_on_its_own_temporary_server_and_leaves_none(tmp_path):
    project = small_project(tmp_path / "project")
    home = tmp_path / "prefect"
    proc, _ = gradfacts("refresh", "--raw", str(project / "raw"), "--curated", str(project / "curated"),
                        "--reports", str(project / "reports"), "--json", env=prefect_env(home))
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert result["status"] == "published" and result["prefect_flow_run"]
    assert _flow_runs(home) == [("gradfacts-refresh", "COMPLETED")]
    assert "Starting temporary server" not in proc.stderr  # Prefect did not start one of its own
    assert _processes_with_home(home) == []


def test_the_refreshing_process_does_not_import_prefects_server(tmp_path):
    project = small_project(tmp_path / "project")
    home = tmp_path / "prefect"
    proc = subprocess.run([sys.executable, "-c", REFRESH_IN_PROCESS, str(project / "raw"), str(project / "curated"),
                           str(project / "reports")], capture_output=True, text=True, env=prefect_env(home),
                          cwd=tmp_path, timeout=600)
    last = json.loads(proc.stderr.strip().splitlines()[-1])
    assert last == {"exit": 0, "server_imported": False, "prefect_imported": True}, proc.stderr[-3000:]
    assert _flow_runs(home) == [("gradfacts-refresh", "COMPLETED")]


def _messages(home: Path) -> list[str]:
    db = sqlite3.connect(home / "prefect.db")
    try:
        return [m for (m,) in db.execute("SELECT message FROM log ORDER BY timestamp")]
    finally:
        db.close()


def test_a_refresh_reads_raw_once_and_its_flow_takes_that_reading(tmp_path):
    """raw/ is read as the refresh begins (under the lock: to see what changed and start extracting early); the
    flow's ingest task takes that reading rather than reading the folder again."""
    project = small_project(tmp_path / "project")
    home = tmp_path / "prefect"
    proc, _ = gradfacts("refresh", "--raw", str(project / "raw"), "--curated", str(project / "curated"),
                        "--reports", str(project / "reports"), "--json", env=prefect_env(home))
    assert proc.returncode == 0, proc.stderr[-3000:]
    ingest = [m for m in _messages(home) if m.startswith("ingested ")]
    assert len(ingest) == 1 and ingest[0].endswith("(read as the refresh began)"), ingest
    assert json.loads(proc.stdout)["sources_extracted"] >= 1
