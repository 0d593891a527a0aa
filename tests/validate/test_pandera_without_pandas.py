"""The `gradfacts` process hides pandas (flows/cli.py ``entry``: pandera then takes its polars-only path). The
validation gate judges the same there as in a process where pandas is importable: the same rules pass and fail,
the same rows are quarantined with the same messages. Cases: out-of-range values, duplicate keys, a value that
cannot be cast, a missing column."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

JUDGE = textwrap.dedent("""
    import json, sys
    hide = sys.argv[1] == "hide"
    sys.path[:0] = [sys.argv[2], sys.argv[3]]
    if hide:
        from flows.cli import MAIN_PROCESS_HIDES
        from flows.common import imports
        imports.hide(MAIN_PROCESS_HIDES)
    import polars as pl
    import validate_fixtures as vf
    from flows.validate.nodes import validate_tables

    cases = {
        "ranges": vf.programs(vf.program("ok"), vf.program("big", credits=300),
                              vf.program("cheap", tuition_usd=7.0, tuition_usd_low=7.0, tuition_usd_high=7.0)),
        "twins": vf.programs(vf.program("twin"), vf.program("twin", credits=40), vf.program("solo")),
        "uncastable": vf.programs(vf.program("good"), vf.program("bad")).with_columns(
            pl.when(pl.col("program_id") == "bad").then(pl.lit("thirty"))
            .otherwise(pl.col("credits").cast(pl.Utf8)).alias("credits")),
        "missing": vf.programs(vf.program("one")).drop("gre_policy"),
    }
    out = {}
    for name, progs in cases.items():
        o = validate_tables(vf.all_tables(programs=progs), run_id="r", source_texts=vf.source_texts(), use_gx=False)
        out[name] = {"results": sorted((r.table, r.rule, r.status, r.failing_rows, r.message) for r in o.results),
                     "quarantine": o.quarantine.drop("run_id").sort("table", "row_index", "rule").rows(),
                     "blocking": o.blocking, "kept": {t: df.height for t, df in o.tables.items()}}
    print(json.dumps({"pandas_imported": "pandas" in sys.modules, "outcomes": out}, default=str))
""")


def _judge(mode: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", JUDGE, mode, str(ROOT), str(HERE)], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_pandera_without_pandas_judges_as_with_it():
    hidden, visible = _judge("hide"), _judge("visible")
    assert hidden["pandas_imported"] is False and visible["pandas_imported"] is True
    assert hidden["outcomes"] == visible["outcomes"]
    out = hidden["outcomes"]
    assert {r[1] for r in out["ranges"]["results"] if r[2] == "fail"} >= {"credits_range", "tuition_usd_range"}
    assert out["twins"]["kept"]["programs"] == 1
    assert any(row[2] == "credits.dtype" for row in out["uncastable"]["quarantine"])
    assert any("gre_policy.present" in b for b in out["missing"]["blocking"])
