"""The refresh flow as Prefect sends it to a Dask worker (inside every task's context): restored in the flow's own
process it is the flow itself; restored in a worker it is a stand-in of the same name that does not import the
pipeline (its stages, pandera, pandas) on the cores the extraction batches need."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import cloudpickle

from flows.pipeline import refresh_flow

ROOT = Path(__file__).resolve().parents[2]


def test_in_the_flows_process_the_flow_comes_back_as_itself():
    assert pickle.loads(pickle.dumps(refresh_flow)) is refresh_flow
    assert cloudpickle.loads(cloudpickle.dumps(refresh_flow)) is refresh_flow


def test_a_worker_restores_a_stand_in_without_importing_the_pipeline(tmp_path):
    blob = tmp_path / "flow.pickle"
    blob.write_bytes(cloudpickle.dumps(refresh_flow))
    script = textwrap.dedent(f"""
        import json, pickle, sys
        sys.path.insert(0, {str(ROOT)!r})
        flow = pickle.loads(open({str(blob)!r}, "rb").read())
        try:
            flow.fn()
            ran = "ran"
        except RuntimeError as e:
            ran = str(e)
        print(json.dumps({{"type": type(flow).__module__ + "." + type(flow).__name__, "name": flow.name, "ran": ran,
                          "pipeline": "flows.pipeline" in sys.modules, "pandas": "pandas" in sys.modules,
                          "pandera": "pandera" in sys.modules}}))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["type"] == "prefect.flows.Flow"
    assert got["name"] == refresh_flow.name
    assert "stand-in" in got["ran"]
    assert not got["pipeline"] and not got["pandas"] and not got["pandera"]
