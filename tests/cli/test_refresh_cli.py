"""The command line's contract, through the installed `gradfacts` entry point (and the flow for retries):
lock first (a busy refresh answers in about a second and is recorded), an unchanged one-shot refresh starts
no Prefect, every failure is one line with a documented exit code (traceback with --debug only), `--json` on
every command that prints a result, `--version`, exit codes in every --help, and the project's .prefect/ is
never touched by the tests."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import polars as pl
import pytest
from prefect_support import REPO, gradfacts, prefect_env, project_prefect_snapshot, small_project

pytestmark = pytest.mark.e2e

COMMANDS = ("refresh", "validate", "freshness", "diff", "rollback", "runs", "serve", "extract")


def _args(project: Path) -> list[str]:
    return ["--raw", str(project / "raw"), "--curated", str(project / "curated"), "--reports", str(project / "reports")]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A small project published once (through the flow, on a temporary local Prefect API)."""
    project = small_project(tmp_path_factory.mktemp("cli"))
    proc, _ = gradfacts("refresh", *_args(project), "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project


def test_busy_refresh_answers_at_once_with_exit_3_and_a_run_row(published, tmp_path):
    from flows.publish.nodes import refresh_lock

    runs_before = pl.read_parquet(published / "curated" / "runs.parquet").height
    home = tmp_path / "busy-prefect-home"
    with refresh_lock(published / "curated"):
        proc, _ = gradfacts("refresh", *_args(published), "--force", env=prefect_env(home))
        json_proc, _ = gradfacts("refresh", *_args(published), "--json")
    assert proc.returncode == 3 and json_proc.returncode == 3
    # the lock is tried before any Prefect engine or server starts (how long that takes is for bench/, not a
    # timed test): a busy refresh leaves no Prefect database behind in its own Prefect home
    assert not (home / "prefect.db").exists()
    [line] = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert line.startswith("error: ") and "another refresh is running" in line
    payload = json.loads(json_proc.stdout)
    assert payload["outcome"] == "busy" and payload["exit_code"] == 3
    assert {"schema_version", "generated_at", "run_id"} <= set(payload)
    runs = pl.read_parquet(published / "curated" / "runs.parquet")
    assert runs.height == runs_before + 2
    assert all("another refresh is running" in m for m in runs["message"].to_list()[-2:])


def test_unchanged_one_shot_refresh_starts_no_prefect(published, tmp_path):
    home = tmp_path / "fresh-prefect-home"
    proc, _ = gradfacts("refresh", *_args(published), "--json", env=prefect_env(home))
    assert proc.returncode == 0, proc.stderr
    payload = json.loads(proc.stdout)
    assert payload["status"] == "unchanged" and payload["prefect_flow_run"] is None
    assert payload["freshness"] in ("pass", "warn", "error")  # freshness still recomputed
    assert not (home / "prefect.db").exists()  # no temporary Prefect API server was started
    run = json.loads((published / "reports" / "run.json").read_text())
    assert run["status"] == "unchanged" and run["schema_version"] and run["generated_at"] and run["run_id"]
    assert pl.read_parquet(published / "curated" / "runs.parquet")["status"].to_list()[-1] == "unchanged"


def test_bad_input_one_shot_is_one_line_and_debug_adds_the_traceback(published):
    bad = published / "raw" / "sources.yaml"
    bad.write_text("sources:\n  - file: programs.md\n    updated_on: 2026-02-30\n", encoding="utf-8")
    try:
        proc, _ = gradfacts("refresh", *_args(published))
        debug, _ = gradfacts("--debug", "validate", "--curated", str(published / "nowhere" / "x"),
                             "--reports", str(published / "r2"))
    finally:
        bad.unlink()
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "sources.yaml" in lines[0], proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert debug.returncode == 2  # nothing to validate: a documented code, not a crash


def test_environment_failure_is_one_line_exit_4_and_debug_shows_the_traceback(published, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    args = ["freshness", "--curated", str(published / "curated"), "--reports", str(blocker / "reports")]
    plain, _ = gradfacts(*args)
    debug, _ = gradfacts(*args, "--debug")
    assert plain.returncode == debug.returncode == 4, plain.stderr
    [line] = [ln for ln in plain.stderr.splitlines() if ln.strip()]
    assert line.startswith("error: environment failure") and "a-file" in line and "--debug" in line
    assert "Traceback" in debug.stderr and debug.stderr.strip().splitlines()[-1].startswith("error: ")


def test_every_exception_maps_to_a_documented_exit_code():
    from flows.common.errors import EnvironmentFailure, IngestError
    from flows.publish.nodes import LockBusy
    from flows.refresh import EXIT_MEANING, classify, is_transient

    cases = {LockBusy("busy"): 3, IngestError("raw/x.txt: bad"): 2, EnvironmentFailure("curated", "disk full"): 4,
             OSError(errno.EROFS, "Read-only file system", "curated/x"): 4, KeyError("k"): 5}
    for exc, code in cases.items():
        got, message = classify(exc)
        assert got == code and code in EXIT_MEANING and message and "\n" not in message, (exc, got, message)
    assert is_transient(OSError(errno.EIO, "Input/output error"))
    assert not is_transient(OSError(errno.ENOSPC, "No space left on device"))
    assert not is_transient(IngestError("raw/x.txt: bad")) and not is_transient(ValueError("validation"))


def test_json_on_every_command_that_prints_a_result(published):
    docs = {}
    for args in (["validate", "--curated", str(published / "curated"), "--reports", str(published / "reports")],
                 ["freshness", "--curated", str(published / "curated"), "--reports", str(published / "reports"),
                  "--as-of", "2026-12-01"],
                 ["runs", "--curated", str(published / "curated")],
                 ["extract", str(published / "raw" / "programs.md")]):
        proc, _ = gradfacts(*args, "--json")
        assert proc.returncode in (0, 1), proc.stderr
        doc = json.loads(proc.stdout)
        assert {"schema_version", "generated_at", "run_id"} <= set(doc), args
        docs[args[0]] = doc
    live = json.loads((published / "curated" / "manifest.json").read_text())["run_id"]
    assert docs["validate"]["run_id"] == live and docs["validate"]["quality"]
    assert docs["freshness"]["freshness"]["sources"]
    assert docs["runs"]["runs"][0]["run_id"] == docs["runs"]["run_id"]
    assert any(f["quote"] == "$28,000" for f in docs["extract"]["facts"])


def test_version_and_help_with_exit_codes_and_no_bool_placeholders():
    proc, _ = gradfacts("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("gradfacts ") and "prefect 3." in proc.stdout
    for cmd in COMMANDS:
        proc, _ = gradfacts(cmd, "--help", env=dict(os.environ, COLUMNS="100"))
        assert proc.returncode == 0, proc.stderr
        assert "Exit codes" in proc.stdout, cmd
        assert "<bool>" not in proc.stdout and "BOOLEAN" not in proc.stdout, cmd
    assert "--force" in gradfacts("refresh", "--help")[0].stdout


def test_transient_ingest_error_is_retried_environment_error_is_not(tmp_path, monkeypatch):
    import flows.pipeline as pipeline
    from flows.publish import nodes as publish_nodes

    project = small_project(tmp_path)
    real_ingest, calls = pipeline.ingest_sources, []

    def flaky_ingest(raw):
        calls.append("ingest")
        if len(calls) == 1:
            raise OSError(errno.EIO, "Input/output error", str(raw))
        return real_ingest(raw)

    monkeypatch.setattr(pipeline, "ingest_sources", flaky_ingest)
    res = pipeline.run_refresh(project / "raw", project / "curated", project / "reports")
    assert res.status == "published", res.message
    assert calls == ["ingest", "ingest"]

    promotes = []

    def full_disk(curated, stage, keep=publish_nodes.KEEP):
        promotes.append(stage.name)
        raise OSError(errno.ENOSPC, "No space left on device", str(curated))

    monkeypatch.setattr(publish_nodes, "promote", full_disk)
    res = pipeline.run_refresh(project / "raw", project / "curated", project / "reports", force=True)
    assert len(promotes) == 1  # a full disk does not heal in seconds: not retried
    assert res.exit_code == 4 and res.outcome == "environment"
    assert "\n" not in res.message and "disk full" in res.message


def test_the_suite_never_writes_into_the_projects_prefect_home(tmp_path):
    from prefect.settings import get_current_settings

    home = Path(get_current_settings().home).resolve()
    assert REPO.resolve() not in home.parents and home != (REPO / ".prefect").resolve()
    before = project_prefect_snapshot()
    project = small_project(tmp_path)
    proc, _ = gradfacts("refresh", *_args(project))  # inherits the suite's environment, as every test does
    assert proc.returncode == 0, proc.stderr
    assert project_prefect_snapshot() == before
