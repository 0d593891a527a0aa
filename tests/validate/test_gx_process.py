"""Great Expectations runs in an engine process of its own (flows/validate/gx_process.py): a refresh validates
with GX and builds GX Data Docs without importing Great Expectations itself, and an engine that dies is named in
one clear error and replaced by the next session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import polars as pl
import pytest

from flows.common.child import ChildDied
from flows.validate import gx_process, gx_suites

ROOT = Path(__file__).resolve().parents[2]

def test_refresh_validates_with_gx_and_pandera_but_never_imports_gx_or_pandas(tmp_path):
    from prefect_support import refresh_reporting_modules

    report, _ = refresh_reporting_modules(tmp_path, ["great_expectations", "pandas"], "--raw", str(ROOT / "raw"),
                                          "--curated", str(tmp_path / "curated"),
                                          "--reports", str(tmp_path / "reports"))
    assert report == {"exit": 0, "imported": []}
    quality = json.loads((tmp_path / "reports" / "quality.json").read_text(encoding="utf-8"))
    assert quality["engine"] == "gx"
    assert quality["data_docs"]["kind"] == "gx"  # GX's own Data Docs, built in the engine process
    assert {r["engine"] for r in quality["results"]} >= {"gx", "pandera"}
    assert list((tmp_path / "reports" / "quality" / "validations").rglob("*.html"))


def _suite():
    return gx_suites.parse_suite({"table": "probe", "expectations": [
        {"id": "n_between", "severity": "error", "type": "expect_column_values_to_be_between",
         "kwargs": {"column": "n", "min_value": 0, "max_value": 10}}]})


def test_a_dead_engine_is_named_and_the_next_session_starts_a_new_one():
    session = gx_suites.start_session("engine-probe")
    [res] = session.run(_suite(), pl.DataFrame({"n": [1, 50, 3]}), scope="row")
    assert (res.success, res.rows, res.engine) == (False, [1], "gx")

    dead = gx_process.engine()
    dead.proc.kill()
    dead.proc.wait(10)
    with pytest.raises(ChildDied, match=r"the Great Expectations engine process (ended|is gone)"):
        session.run(_suite(), pl.DataFrame({"n": [1]}), scope="row")

    fresh = gx_suites.start_session("engine-probe-2")
    assert gx_process.engine() is not dead and gx_process.engine().alive()
    [res] = fresh.run(_suite(), pl.DataFrame({"n": [11, 2]}), scope="row")
    assert res.rows == [0]


def test_an_error_in_the_engine_comes_back_as_the_callers_exception():
    session = gx_suites.start_session("engine-error")
    with pytest.raises(KeyError):
        gx_process.engine().request(("run", "no-such-run", _suite(), pl.DataFrame({"n": [1]}), "row"))
    [res] = session.run(_suite(), pl.DataFrame({"n": [5]}), scope="row")  # the engine is still serving
    assert res.success



def test_only_the_columns_a_suite_reads_cross_to_the_engine():
    """The engine gets the suite's columns and the table's key, not the whole frame (the observations of 10,000
    documents pickled to 91 MB, twice a run): a column no rule reads does not travel, even one that cannot."""
    session = gx_suites.start_session("engine-columns")
    frame = pl.DataFrame({"n": [5, 50]}).with_columns(pl.Series("unread", [object(), object()], dtype=pl.Object))
    assert gx_suites.columns_used(_suite(), frame.columns, "row") == ["n"]
    [res] = session.run(_suite(), frame, scope="row")
    assert not res.success and res.rows == [1]  # the rule saw every row of the column it reads

ENGINE_START = textwrap.dedent("""
    import json, sys
    from flows.validate import gx_process
    gx_process._setup()  # what the engine process runs before it serves
    loaded = {m: m in sys.modules for m in ("great_expectations", "pandera", "scipy.stats._stats_py",
                                            "altair.vegalite", "sqlalchemy")}
    spark = sorted(m for m in sys.modules if ".spark" in m and m.startswith("great_expectations.datasource")
                   and not getattr(sys.modules[m], "_gradfacts_stub", False))
    gx_process._handle(("start", "probe"))  # a GX session (context, pandas data source) starts with them hidden
    from great_expectations.datasource.fluent import SparkDatasource
    try:
        SparkDatasource(name="s")
        spark_made = "made"
    except RuntimeError as exc:
        spark_made = str(exc)
    try:
        import sqlalchemy
        hidden = False
    except ModuleNotFoundError:
        hidden = True
    from scipy import stats  # a deferred module still works once used
    import altair
    print(json.dumps({**loaded, "sqlalchemy_hidden": hidden, "spark_loaded": spark, "spark_made": spark_made,
                      "entropy": float(stats.entropy([0.5, 0.5], [0.5, 0.5])),
                      "altair_chart": altair.Chart.__name__, "altair_loaded": "altair.vegalite" in sys.modules,
                      "stats_is_real": type(sys.modules["scipy.stats"]).__name__}))
""")


def test_the_engine_starts_without_pandera_scipy_stats_altair_sqlalchemy_or_spark_and_still_has_the_deferred_on_use(
        tmp_path):
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "GX_ANALYTICS_ENABLED": "false"}
    proc = subprocess.run([sys.executable, "-c", ENGINE_START], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {
        "great_expectations": True, "pandera": False, "scipy.stats._stats_py": False, "altair.vegalite": False,
        "sqlalchemy": False, "sqlalchemy_hidden": True, "spark_loaded": [],
        "spark_made": "great_expectations.datasource.fluent.spark_datasource.SparkDatasource is not loaded in this "
                      "process (stubbed by gradfacts: not used here)",
        "entropy": 0.0, "altair_chart": "Chart",
        "altair_loaded": True, "stats_is_real": "module"}


def test_a_closed_engine_ends_cleanly_and_the_next_session_starts_a_new_one():
    session = gx_suites.start_session("engine-close")
    [res] = session.run(_suite(), pl.DataFrame({"n": [1]}), scope="row")
    assert res.success
    engine = gx_process.engine()
    engine.close()  # asks the engine to end; it ends at once (os._exit), with exit status 0
    assert engine.proc.returncode == 0
    fresh = gx_suites.start_session("engine-close-2")
    assert gx_process.engine() is not engine
    [res] = fresh.run(_suite(), pl.DataFrame({"n": [11]}), scope="row")
    assert res.rows == [0]


def test_a_refresh_on_a_server_starts_the_engine_first_and_stops_it_when_there_is_nothing_to_validate(tmp_path):
    """On a Prefect server the engine starts before anything else (the flow runs whatever the sources say); a
    refresh that then finds the lock busy, or nothing changed, ends it instead of leaving it importing."""
    from flows.publish import nodes as publish
    from flows.refresh import refresh

    gx_process.stop()
    curated, reports = tmp_path / "curated", tmp_path / "reports"
    with publish.refresh_lock(curated):  # another refresh holds curated/
        busy = refresh(ROOT / "raw", curated, reports, use_prefect=True)
    assert busy.exit_code == 3
    assert gx_process._engine is None

    cold = refresh(ROOT / "raw", curated, reports, use_prefect=True)
    assert (cold.exit_code, cold.status, cold.validation != "skipped") == (0, "published", True)
    assert gx_process._engine is not None and gx_process._engine.alive()  # it validated this run
    unchanged = refresh(ROOT / "raw", curated, reports, use_prefect=True)
    assert (unchanged.exit_code, unchanged.status) == (0, "unchanged")
    assert unchanged.prefect_flow_run  # still a flow run
    assert gx_process._engine is None


DOCS_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {root!r})
    import polars as pl
    from flows.validate import gx_suites
    from tests.validate.test_gx_process import _suite
    session = gx_suites.start_session("docs-probe")
    session.run(_suite(), pl.DataFrame({{"n": [1, 50]}}), scope="row")
    session.prepare_data_docs()
    if sys.argv[1] == "kill":  # killed once the docs are built ahead, before they are moved: no atexit runs
        scratch, pending = session._docs
        pending.result()
        os.kill(os.getpid(), signal.SIGKILL)
    print(session.build_data_docs({out!r}))
""")


def test_the_data_docs_scratch_of_a_killed_refresh_is_swept_by_the_next(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    script = tmp_path / "docs.py"
    script.write_text(DOCS_SCRIPT.format(root=str(ROOT), out=str(tmp_path / "quality")), encoding="utf-8")
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, str(script), "kill"], env=env, capture_output=True, text=True,
                            timeout=300)
    assert killed.returncode == -9, killed.stderr[-2000:]
    [left] = list(tmp.glob("gradfacts-data-docs-*"))
    assert left.name.split("-")[3].isdigit()  # (named for its process, which is gone)
    assert list(left.rglob("*.html"))
    done = subprocess.run([sys.executable, str(script), "build"], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert Path(done.stdout.strip().splitlines()[-1]).is_file()  # the docs' index, moved into place
    assert not left.exists()
    assert list(tmp.glob("gradfacts-data-docs-*")) == []  # its own scratch went too (moved, then removed)


def test_sweeping_leaves_the_scratch_of_running_processes_and_unknown_names(tmp_path):
    live = tmp_path / f"gradfacts-data-docs-{os.getpid()}-abc"
    odd = tmp_path / "gradfacts-data-docs-notapid-x"
    for d in (live, odd):
        d.mkdir()
    assert gx_process.sweep_scratch(tmp_path) == []
    assert live.exists() and odd.exists()
