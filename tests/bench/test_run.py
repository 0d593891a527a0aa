"""bench/run.py (`make bench`): one run measures every issue-12 ratio side by side (trivial flow with and without a
running Prefect server, cold and unchanged refreshes, 1 and 2 workers with the extract stage from the flow run's
task runs) and rewrites only its own sections of RESULTS.md."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

HAND = ("# Benchmark results\n\n<!-- bench:begin -->\nold figures\n<!-- bench:end -->\n\n"
        "## Written by hand\n\nkept as it is\n\n<!-- scale:begin -->\nold scale\n<!-- scale:end -->\n\n"
        "## Also by hand\n\nkept too\n")


def test_one_run_reports_every_ratio_and_keeps_the_other_sections(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text(HAND, encoding="utf-8")
    p = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "12", "--pages", "none",
                        "--worker-pairs", "2", "--work", str(tmp_path / "work"), "--results", str(results)],
                       capture_output=True, text=True, cwd=ROOT, timeout=1200)
    assert p.returncode == 0, p.stderr[-3000:]
    text = results.read_text(encoding="utf-8")
    assert "old figures" not in text and "old scale" not in text
    assert "## Written by hand\n\nkept as it is\n" in text and text.endswith("## Also by hand\n\nkept too\n")
    assert text.count("<!-- bench:begin -->") == 1 and text.count("<!-- scale:begin -->") == 1
    assert text.index("<!-- bench:begin -->") < text.index("## Written by hand") < text.index("<!-- scale:begin -->")
    for row in ("trivial 6-task flow (temporary API server)", "trivial 6-task flow (running Prefect server)",
                "unchanged / cold refresh of raw/", "2 workers / 1 worker, extract stage, 12 documents",
                "2 workers / 1 worker, whole refresh, 12 documents", "documents/s per core", "peak RSS"):
        assert row in text, row
    data = json.loads((tmp_path / "work" / "run.json").read_text(encoding="utf-8"))
    for key in ("trivial", "cold", "unchanged", "server_trivial", "server_cold"):
        assert data[key]["exit"] == 0 and data[key]["wall_s"] > 0, key
    assert data["unchanged"]["wall_s"] < data["cold"]["wall_s"]
    assert len(data["workers"]["1"]) == len(data["workers"]["2"]) == 2  # two pairs, in alternating order
    assert "(speed-up; median of 2 pairs, " in text
    for run_one, run_two in zip(data["workers"]["1"], data["workers"]["2"]):
        one, two = run_one["stages"], run_two["stages"]
        assert set(one) >= {"ingest", "extract", "resolve", "validate", "publish", "report"}
        assert one["batches"] == 0 and two["batches"] >= 1  # the 2-worker run extracted in Dask batches
        assert two["extract"] > 0 and one["extract"] > 0
    assert data["scale"]["sizes"]["12"]["documents"] == 12
