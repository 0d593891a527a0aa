"""gradfacts command line: a thin typer layer over the library (flows.*).

Every command's --help says what it reads, what it writes and what its exit codes mean. Every failure ends
in one line on stderr and a documented exit code; `--debug` (before or after the command) adds the traceback.
Commands that print a result take `--json`: one JSON document with schema_version, generated_at and run_id.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import click
import typer

from flows.refresh import SCHEMA_VERSION, classify
from flows.settings import DEFAULT_CURATED, DEFAULT_RAW, DEFAULT_REPORTS, configure_environment, console_logging

configure_environment()

# rich_markup_mode=None: typer 0.29's rich help prints a "<bool>" placeholder after every flag (even --help);
# click's own help formatter shows flags as flags.
app = typer.Typer(
    name="gradfacts",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help=(
        "gradfacts turns source text about graduate programs (raw/) into curated, validated, traceable "
        "Parquet datasets (curated/) and reports (reports/).\n\n"
        "Start with `gradfacts refresh` (ingest -> extract -> resolve -> validate -> publish -> report), then "
        "open reports/index.html. Every curated value links to the exact words it came from "
        "(curated/observations.parquet).\n\n"
        "Every failure prints one line on stderr and exits with the code each command's --help lists; "
        "--debug adds the traceback."
    ),
)

RawOpt = Annotated[Path, typer.Option("--raw", metavar="DIR",
                                      help="Folder of source documents (.txt, .md, .html) and raw/sources.yaml.")]
CuratedOpt = Annotated[Path, typer.Option("--curated", metavar="DIR", help="Folder of published Parquet tables.")]
ReportsOpt = Annotated[Path, typer.Option("--reports", metavar="DIR", help="Folder for HTML/JSON reports.")]
AsOfOpt = Annotated[Optional[datetime], typer.Option(
    "--as-of", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"], metavar="DATE",
    help="Compute ages as of this date (YYYY-MM-DD) instead of now: makes freshness reproducible.")]
JsonOpt = Annotated[bool, typer.Option("--json",
                                       help="Print the result as one JSON document (schema_version, generated_at, "
                                            "run_id, ...) instead of text.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show the traceback of a failure.")]

def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"gradfacts {version('gradfacts')} (prefect {version('prefect')}, "
                   f"great-expectations {version('great-expectations')}, polars {version('polars')})")
        raise typer.Exit(0)


@app.callback()
def main(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_version,
                                          help="Print the versions of gradfacts and its engines and exit.")] = False,
    debug: DebugOpt = False,
) -> None:
    ctx.obj = {"debug": debug}


def _debug_wanted(local: bool) -> bool:
    if local or os.environ.get("GRADFACTS_DEBUG"):
        return True
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return bool(root and isinstance(root.obj, dict) and root.obj.get("debug"))


def fail_line(message: str, debug: bool, detail: str = "") -> None:
    """The one line a failure ends in (stderr); with --debug the traceback first."""
    if debug and detail:
        typer.echo(detail.rstrip(), err=True)
    hint = "" if debug or not detail else " (--debug shows the traceback)"
    typer.echo(f"error: {message}{hint}", err=True)


def guarded(fn):
    """Every failure of a command ends as one line on stderr and a documented exit code (flows.refresh.classify);
    typer's own exits and usage errors pass through."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            typer.echo("error: interrupted", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - the one place every other failure is turned into one line
            import traceback

            code, message = classify(exc)
            fail_line(message, _debug_wanted(kwargs.get("debug", False)), "".join(traceback.format_exception(exc)))
            raise typer.Exit(code) from None

    return wrapper


def json_doc(run_id: str | None, **body) -> str:
    """The envelope of every JSON document the CLI prints."""
    from flows.refresh import now

    return json.dumps({"schema_version": SCHEMA_VERSION, "generated_at": now().isoformat(), "run_id": run_id,
                       **body}, indent=2, default=str)


def _console():
    """A rich console; when output is not a terminal (logs, CI) use a wide line instead of 80 columns."""
    from rich.console import Console

    con = Console()
    return con if con.is_terminal else Console(width=160)


def _as_date(v: datetime | None) -> date | None:
    return v.date() if v else None


def _live_run_id(curated: Path) -> str | None:
    from flows.publish.nodes import current_manifest

    try:
        return (current_manifest(curated) or {}).get("run_id")
    except Exception:  # noqa: BLE001 - only a label for the JSON envelope
        return None


def _quiet_stdout():
    """Send what a library prints to stderr while a command prints JSON on stdout."""
    import contextlib

    return contextlib.redirect_stdout(sys.stderr)


# ----------------------------------------------------------------------------------------- refresh

@app.command()
@guarded
def refresh(
    raw: RawOpt = DEFAULT_RAW,
    curated: CuratedOpt = DEFAULT_CURATED,
    reports: ReportsOpt = DEFAULT_REPORTS,
    as_of: AsOfOpt = None,
    force: Annotated[bool, typer.Option("--force",
                                        help="Re-extract and republish even if no source changed.")] = False,
    wait: Annotated[float, typer.Option("--wait", metavar="SECONDS",
                                        help="Seconds to wait for another running refresh to finish.")] = 0.0,
    workers: Annotated[int, typer.Option("--workers", metavar="N", help="Extract on a local Dask cluster of N "
                                         "worker processes (default 1: in this process).")] = 1,
    dask_address: Annotated[str, typer.Option("--dask-address", metavar="ADDRESS", help="Extract on the "
                                              "running Dask cluster at ADDRESS (tcp://host:8786).")] = "",
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Run the refresh: raw/ -> curated/*.parquet + reports/.

    Write-audit-publish: tables are written to curated/staging/, validated there, then swapped live
    (curated/current) atomically; the last 5 publications are kept for `gradfacts rollback`. Rows that
    fail an error rule go to curated/quarantine.parquet with the rule and the reason. If no source
    changed since the live publication, nothing is extracted or published (freshness is recomputed).

    The lock on curated/ is taken first. With a Prefect server configured (PREFECT_API_URL) every
    refresh runs as a Prefect flow run there; otherwise a refresh with nothing to do (or bad input)
    answers without starting Prefect, and one with work runs the flow on a temporary local API.
    Every refresh appends a row to curated/runs.parquet.

    \b
    Exit codes:
      0 published, or nothing changed
      1 validation blocked publishing (the previous publication stays live)
      2 bad input (the message names the file and the problem)
      3 another refresh holds the lock
      4 environment failure (disk full, read-only or unwritable folder, I/O error)
      5 unexpected error (a bug: rerun with --debug)
    Freshness has its own exit codes (in the summary): see `gradfacts freshness`.
    """
    debug = _debug_wanted(debug)
    console_logging("INFO" if debug else "CRITICAL")
    from flows.refresh import refresh as run

    from flows import parallel

    try:
        parallel.configure(parallel.parallel_from(workers, dask_address or None))
    except ValueError as exc:
        fail_line(str(exc), debug)
        raise typer.Exit(2) from None
    res = run(raw, curated, reports, as_of=_as_date(as_of), force=force, wait_seconds=wait)
    if json_out:
        typer.echo(json.dumps(res.as_json(), indent=2, default=str))
    elif res.exit_code in (0, 1):  # published, unchanged or blocked: what the run did, then its reason
        _print_summary(res, curated, reports)
    if res.exit_code:
        fail_line(res.message, debug, res.detail)
    raise typer.Exit(res.exit_code)


def _print_summary(res, curated: Path, reports: Path) -> None:
    from rich.table import Table

    con = _console()
    ok = res.exit_code == 0
    con.print(f"[bold]{'OK' if ok else 'FAILED'}[/bold] run {res.run_id}: {res.status} - {res.message}",
              style="green" if ok else "red", markup=True, highlight=False)
    con.print(f"sources: {res.sources_seen} seen, {res.sources_changed} changed, {res.sources_extracted} extracted; "
              f"validation: {res.validation}; quarantined rows: {res.quarantined}; "
              f"freshness: {res.freshness or 'not computed'}", highlight=False)
    if res.rows:
        t = Table("table", "rows", title=None, box=None)
        for k, v in res.rows.items():
            t.add_row(k, str(v))
        con.print(t)
    if res.failed_rules:
        con.print("failed rules: " + ", ".join(res.failed_rules), highlight=False)
    con.print(f"curated: {curated}   reports: {reports / 'index.html'}", highlight=False)


# ---------------------------------------------------------------------------------------- validate

@app.command()
@guarded
def validate(
    curated: CuratedOpt = DEFAULT_CURATED,
    reports: ReportsOpt = DEFAULT_REPORTS,
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Re-validate the live publication in curated/ (no re-extraction) and rewrite the quality report.

    \b
    Exit codes:
      0 every error rule passes (warnings allowed)
      1 an error rule fails, or a table file is damaged
      2 nothing to validate
      4 environment failure, 5 unexpected error
    """
    from flows.validate.command import validate_command

    if not json_out:
        raise typer.Exit(validate_command(curated, reports))
    with _quiet_stdout():
        code = validate_command(curated, reports)
    quality = _read_json(reports / "quality.json") if code != 2 else None
    typer.echo(json_doc(_live_run_id(curated), command="validate", exit_code=code, curated=str(curated),
                        report=str(reports / "quality.html") if quality else None, quality=quality))
    raise typer.Exit(code)


def _read_json(path: Path):
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --------------------------------------------------------------------------------------- freshness

@app.command()
@guarded
def freshness(
    as_of: AsOfOpt = None,
    curated: CuratedOpt = DEFAULT_CURATED,
    reports: Annotated[Optional[Path], typer.Option("--reports", metavar="DIR", help=(
        "Folder for the published freshness report (default reports/). With --as-of and no --reports, "
        "the report is a what-if and goes to reports/what-if/<date>/, never over the published one."))] = None,
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Age of every source, table and program against per-source thresholds (warn_after/error_after).

    The date that counts is the source's stated updated/published date, else its retrieved_at; the
    report says which. Writes reports/freshness.json and reports/freshness.html.

    \b
    Exit codes (as Soda):
      0 all pass
      1 any warns (or a source has no date)
      2 any errors
      3 could not run (no readable publication in --curated)
      4 environment failure, 5 unexpected error
    """
    from flows.freshness.command import freshness_command, freshness_target

    folder, what_if = freshness_target(_as_date(as_of), reports, DEFAULT_REPORTS)
    code = freshness_command(_as_date(as_of), curated, folder, what_if=what_if)
    note = (f"what-if: --as-of without --reports writes to {folder}, not the published report "
            "(pass --reports to update it)") if what_if else None
    if json_out:
        typer.echo(json_doc(_live_run_id(curated), command="freshness", exit_code=code, what_if=what_if,
                            note=note, report=str(folder / "freshness.html"),
                            freshness=_read_json(folder / "freshness.json")))
    else:
        if note:
            typer.echo(note)
        _print_freshness(folder / "freshness.json", code)
    raise typer.Exit(code)


def _print_freshness(path: Path, code: int) -> None:
    from rich.table import Table

    con = _console()
    if not path.exists():
        con.print(f"freshness could not run (exit {code}); see the message above", highlight=False)
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    t = Table("source", "basis", "date", "age (days)", "warn / error after", "status", box=None)
    for s in data.get("sources", []):
        c = s.get("criteria") or {}
        w, e = c.get("warn_after") or {}, c.get("error_after") or {}
        t.add_row(s["source_id"], str(s.get("basis")), str(s.get("stated_date") or s.get("retrieved_at") or "-")[:10],
                  "-" if s.get("age_days") is None else f"{s['age_days']:.0f}",
                  f"{w.get('count')} {w.get('period')} / {e.get('count')} {e.get('period')}", s["status"])
    con.print(t)
    summ = data.get("summary", {})
    con.print(f"as of {str(data.get('as_of'))[:10]}: {summ.get('status', '?')} (exit {code}); "
              f"report: {path.with_suffix('.html')}", highlight=False)


# ---------------------------------------------------------------------------------------- rollback

@app.command()
@guarded
def rollback(
    curated: CuratedOpt = DEFAULT_CURATED,
    reports: ReportsOpt = DEFAULT_REPORTS,
    to: Annotated[Optional[str], typer.Option("--to", metavar="RUN_ID", help=(
        "run_id of the publication to make live (default: the one before the live one)."))] = None,
    wait: Annotated[float, typer.Option("--wait", metavar="SECONDS",
                                        help="Seconds to wait for a running refresh to finish.")] = 30.0,
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Make an earlier publication live again (atomic pointer swap), then rewrite the freshness and conflicts
    reports and the index for it. `gradfacts runs` lists the kept publications; run `gradfacts validate` to
    rebuild the quality report for the restored publication.

    \b
    Exit codes:
      0 rolled back
      2 nothing to roll back to (or no such publication, or it is incomplete)
      3 a refresh holds the lock
      4 environment failure, 5 unexpected error
    """
    from flows.publish.nodes import LockBusy, PublishError, rollback as do_rollback
    from flows.publish.runs import append_run
    from flows.refresh import EXIT_BAD_INPUT, EXIT_BUSY, now, refresh_lock

    started = now()
    run_id = f"rollback-{started.strftime('%Y%m%dT%H%M%S%fZ')}"
    try:
        with refresh_lock(curated, wait_seconds=wait):
            target = do_rollback(curated, to)
            append_run(curated, {
                "run_id": run_id, "started_at": started, "finished_at": now(), "status": "rolled_back",
                "sources_seen": 0, "sources_changed": 0, "sources_extracted": 0, "rows_per_table": {},
                "validation_outcome": "skipped", "quarantined_rows": 0,
                "message": f"live publication is now {target.name}"})
    except LockBusy as exc:
        fail_line(str(exc), False)
        raise typer.Exit(EXIT_BUSY) from None
    except PublishError as exc:
        fail_line(str(exc), False)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    from flows.freshness.command import freshness_command
    from flows.report.index import write_index
    from flows.report.site import rewrite_for_live

    with _quiet_stdout() if json_out else _nullcontext():
        rewrite_for_live(curated, reports)
        freshness_command(None, curated, reports)
        write_index(reports)
    message = (f"live publication is now {target.name}; freshness, conflicts, programs, sources, changes and the "
               "index were rewritten for it "
               "(run `gradfacts validate` to rebuild the quality report)")
    if json_out:
        typer.echo(json_doc(run_id, command="rollback", exit_code=0, publication=target.name, message=message))
    else:
        typer.echo(message)


def _nullcontext():
    import contextlib

    return contextlib.nullcontext()


# -------------------------------------------------------------------------------------------- runs

@app.command()
@guarded
def diff(
    curated: CuratedOpt = DEFAULT_CURATED,
    from_run: Annotated[Optional[str], typer.Option("--from", metavar="RUN_ID", help=(
        "run_id of the older publication (default: the one kept before --to)."))] = None,
    to_run: Annotated[Optional[str], typer.Option("--to", metavar="RUN_ID", help=(
        "run_id of the newer publication (default: the live one)."))] = None,
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """What changed between two kept publications: programs, courses, specializations and careers added or
    removed, values changed (old -> new, with the source quotes behind both), sources added, changed, removed.
    The same comparison for the live publication is reports/changes.html.

    \b
    Exit codes:
      0 shown
      2 no such publication (or none live)
      4 environment failure, 5 unexpected error
    """
    from flows.report.publications import diff_command

    raise typer.Exit(diff_command(curated, from_run, to_run, json_out, envelope=json_doc))


@app.command()
@guarded
def runs(
    curated: CuratedOpt = DEFAULT_CURATED,
    limit: Annotated[int, typer.Option("--limit", "-n", metavar="N", help="How many recent runs to show.")] = 10,
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Recent refresh runs from curated/runs.parquet (newest first) and the kept publications.

    \b
    Exit codes:
      0 listed (an empty history too)
      4 environment failure, 5 unexpected error
    """
    from rich.table import Table

    from flows.publish.nodes import current_publication, publications
    from flows.publish.runs import damaged_history_message, read_runs, runs_problem

    problem = runs_problem(curated)
    if problem:
        typer.echo("warning: " + damaged_history_message(curated, problem), err=True)
    df = read_runs(curated, warn=False).sort("started_at", descending=True).head(limit)
    cur = current_publication(curated)
    kept = [{"publication": p.name, "live": bool(cur and p.resolve() == cur)} for p in publications(curated)]
    if json_out:
        rows = df.to_dicts()
        for r in rows:
            if isinstance(r.get("rows_per_table"), str):
                r["rows_per_table"] = json.loads(r["rows_per_table"] or "{}")
        typer.echo(json_doc(rows[0]["run_id"] if rows else None, command="runs", runs=rows, publications=kept))
        return
    t = Table("run_id", "started", "status", "seen", "changed", "extracted", "validation", "quarantined", "message")
    for r in df.iter_rows(named=True):
        t.add_row(r["run_id"], str(r["started_at"])[:19], r["status"], str(r["sources_seen"]), str(r["sources_changed"]),
                  str(r["sources_extracted"]), r["validation_outcome"], str(r["quarantined_rows"]), r["message"] or "")
    con = _console()
    con.print(t)
    names = [k["publication"] + (" (live)" if k["live"] else "") for k in kept]
    con.print("publications kept: " + (", ".join(names) if names else "none"), highlight=False)


# ------------------------------------------------------------------------------------------- serve

@app.command()
@guarded
def serve(
    cron: Annotated[Optional[str], typer.Option("--cron", metavar="CRON",
                                                help="Cron schedule for the refresh (UTC). Default 0 6 * * *.")] = None,
    interval: Annotated[Optional[float], typer.Option(
        "--interval", metavar="SECONDS", help="Run every SECONDS instead of on a cron.")] = None,
    raw: RawOpt = DEFAULT_RAW,
    curated: CuratedOpt = DEFAULT_CURATED,
    reports: ReportsOpt = DEFAULT_REPORTS,
    name: Annotated[str, typer.Option("--name", metavar="NAME", help="Deployment name.")] = "served-refresh",
    debug: DebugOpt = False,
) -> None:
    """Serve the refresh flow as a Prefect deployment on a schedule (long-running; Ctrl-C stops).

    With PREFECT_API_URL set, the deployment and its runs live on that Prefect server (its scheduler creates
    the runs; its UI shows them). Without it, serve starts a local Prefect server of its own on a free
    loopback port (state in PREFECT_HOME, the project's .prefect/), prints its URL, and stops it on exit:
    Prefect's temporary API cannot schedule. See the README section "Scheduling".

    \b
    Exit codes:
      0 stopped (Ctrl-C)
      2 bad schedule (--cron and --interval together, or an invalid cron)
      4 the local Prefect server did not start, 5 unexpected error
    """
    console_logging("INFO")
    from flows.schedule import ScheduleError, serve_refresh

    if cron and interval:
        fail_line("give --cron or --interval, not both", False)
        raise typer.Exit(2)
    try:
        serve_refresh(cron=cron if cron or interval else "0 6 * * *", interval=interval, raw=raw, curated=curated,
                      reports=reports, name=name, announce=lambda line: typer.echo(line, err=True))
    except ScheduleError as exc:
        fail_line(str(exc), False)
        raise typer.Exit(2) from None


# ----------------------------------------------------------------------------------------- extract

@app.command()
@guarded
def extract(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A source document (.txt, .md, .html).")],
    json_out: JsonOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Print the facts extracted from one document as JSON lines, with spans and quotes (for checking a new
    source before publishing). --json prints one JSON document instead.

    \b
    Exit codes:
      0 printed
      2 unreadable file (missing, not UTF-8, refused)
      4 environment failure, 5 unexpected error
    """
    from flows.common.errors import IngestError
    from flows.extract.nodes import extract_text
    from flows.ingest.html_text import map_span
    from flows.ingest.nodes import read_document

    if not file.is_file():
        fail_line(f"{file}: no such file", False)
        raise typer.Exit(2)
    try:
        doc = read_document(file, file.parent, None, {})
    except IngestError as exc:
        fail_line(str(exc), False)
        raise typer.Exit(2) from None
    facts = []
    for f in extract_text(doc.text, doc.media_type, doc.file_text).facts:
        s, e = map_span(doc.offsets, f.start, f.end)
        facts.append({**f.as_dict(), "char_start": s, "char_end": e, "quote": doc.file_text[s:e]})
    if json_out:
        typer.echo(json_doc(None, command="extract", file=str(file), facts=facts))
        return
    for fact in facts:
        typer.echo(json.dumps(fact))


# ------------------------------------------------------------------------------------------- entry

_exit_code = 0


def _quick_exit() -> None:
    """The last exit handler of the `gradfacts` process: flush, then leave without the interpreter's teardown."""
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(_exit_code)


#: packages the `gradfacts` process acts as if they were not installed (see :func:`entry`)
MAIN_PROCESS_HIDES = ("pandas",)


def entry() -> None:
    """The `gradfacts` console script: the app, then a quick exit.

    After a refresh, the interpreter's own teardown (freeing every module and object of Prefect, Great
    Expectations, pandas and scipy) took about 1.2 s of a 9 s run, and nothing in it is gradfacts' to wait for.
    So the process exits with ``os._exit`` once the normal shutdown has run: non-daemon threads are joined and
    every exit handler (Prefect flushes its log and event workers there, Dask closes its cluster) runs first,
    because this handler is registered before any of theirs and exit handlers run last-registered first. Only
    the console script does this; in-process callers (tests with typer's CliRunner) are left alone.
    """
    global _exit_code
    import atexit

    from flows.common import imports

    # pandas looks not installed to this process: nothing here uses it (Great Expectations does, in its engine
    # process), but pandera imports it, and its pandas API, whenever it is importable (~0.4 s of CPU on the path
    # of every cold refresh); without it pandera takes its polars-only path (pandera/__init__.py). Child
    # processes (the GX engine, the extraction worker, Dask workers) are not affected.
    imports.hide(MAIN_PROCESS_HIDES)
    atexit.register(_quick_exit)
    try:
        app()
    except SystemExit as exc:
        code = exc.code
        _exit_code = code if isinstance(code, int) else (0 if code is None else 1)
        raise


if __name__ == "__main__":
    entry()
