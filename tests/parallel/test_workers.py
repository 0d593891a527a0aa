"""The local Dask workers of `--workers N`: started before the flow, warmed up as they start (Prefect's task engine
imported, the extraction-budget process running), and running the flow's tasks against the flow's own Prefect API
instead of each starting a temporary Prefect server of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import json, sys, time
    sys.path.insert(0, {root!r})
    from flows.settings import configure_environment
    configure_environment()
    from flows import parallel

    def state(dask_worker=None):
        import os, sys
        import flows.extract.budget as budget
        out = {{"pid": os.getpid(), "task_engine": "prefect.task_engine" in sys.modules,
                "budget": budget._worker is not None and budget._worker.alive(),
                "server": any(m.startswith("prefect.server") for m in sys.modules)}}
        if dask_worker is not None:  # (client.run passes the worker): how often its event loop wakes
            out["every_ms"] = {{name: pc.callback_time for name, pc in dask_worker.periodic_callbacks.items()}}
        return out

    def main():
        p = parallel.Parallel(workers=2)
        with parallel.LocalWorkers(p) as started:
            from distributed import Client
            with Client(started.address()) as client:
                deadline = time.monotonic() + 240
                while True:
                    warm = client.run(state)
                    if all(w["task_engine"] and w["budget"] for w in warm.values()) or time.monotonic() > deadline:
                        break
                    time.sleep(1)
            from prefect import flow, task
            probe = task(state, name="probe")
            runner = parallel.task_runner(p)

            @flow(task_runner=runner)
            def f():
                return [fut.result() for fut in [probe.submit() for _ in range(4)]]

            from flows import api_server
            with api_server.flow_api():
                ran = f()
        print(json.dumps({{"warm": list(warm.values()), "ran": ran, "flow_pid": os.getpid()}}))

    if __name__ == "__main__":
        import os
        main()
""")


def test_workers_warm_up_and_report_to_the_flows_prefect_api(tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(SCRIPT.format(root=str(ROOT)), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=600)
    assert p.returncode == 0, p.stderr[-3000:]
    import json

    out = json.loads(p.stdout.strip().splitlines()[-1])
    assert len(out["warm"]) == 2
    assert all(w["task_engine"] and w["budget"] for w in out["warm"]), out["warm"]  # warmed before any task
    for w in out["warm"]:  # quiet workers (parallel.QUIET_DASK): no profiler sampling every 10 ms, no 20 ms tick
        assert "profile" not in w["every_ms"], w["every_ms"]
        assert min(w["every_ms"].values()) >= 500, w["every_ms"]
    assert {r["pid"] for r in out["ran"]} <= {w["pid"] for w in out["warm"]}      # the tasks ran on the workers
    assert out["flow_pid"] not in {r["pid"] for r in out["ran"]}
    assert not any(r["server"] for r in out["ran"]), out["ran"]  # no worker imported (started) a Prefect server
    assert p.stderr.count("Starting temporary server") <= 1


def test_two_local_clusters_at_once_start_quietly_on_this_machine_only():
    """Two refreshes with --workers at once (or anything else on Dask's usual port 8787): the scheduler's HTTP
    server takes any free port on the loopback interface, with no dashboard and no port warning."""
    import warnings

    from distributed import LocalCluster

    from flows import parallel

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        with LocalCluster(**parallel._cluster_kwargs(1)) as a, LocalCluster(**parallel._cluster_kwargs(1)) as b:
            servers = [c.scheduler.http_server for c in (a, b)]
            assert all(s.address == "127.0.0.1" for s in servers), [s.address for s in servers]
            assert 8787 not in [s.port for s in servers] and servers[0].port != servers[1].port
    assert not [w for w in seen if "already in use" in str(w.message)], [str(w.message) for w in seen]
