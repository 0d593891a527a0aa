"""gradfacts command line: a thin typer layer over the library (flows.*).

Every command's --help says what it reads, what it writes and what its exit codes mean.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from flows.settings import DEFAULT_CURATED, DEFAULT_RAW, DEFAULT_REPORTS, configure_environment

configure_environment()

app = typer.Typer(
    name="gradfacts",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    help=(
        "**gradfacts** turns source text about graduate programs (raw/) into curated, validated, traceable "
        "Parquet datasets (curated/) and reports (reports/).\n\n"
        "Start with `gradfacts refresh` (ingest -> extract -> resolve -> validate -> publish -> report), then open "
        "reports/index.html. Every curated value links to the exact words it came from (curated/observations.parquet)."
    ),
)

RawOpt = Annotated[Path, typer.Option("--raw", help="Folder of source documents (.txt, .md, .html) and raw/sources.yaml.")]
CuratedOpt = Annotated[Path, typer.Option("--curated", help="Folder of published Parquet tables.")]
ReportsOpt = Annotated[Path, typer.Option("--reports", help="Folder for HTML/JSON reports.")]
AsOfOpt = Annotated[Optional[datetime], typer.Option(
    "--as-of", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"],
    help="Compute ages as of this date (YYYY-MM-DD) instead of now: makes freshness reproducible.")]


def _console():
    """A rich console; when output is not a terminal (logs, CI) use a wide line instead of 80 columns."""
    from rich.console import Console

    con = Console()
    return con if con.is_terminal else Console(width=160)


def _as_date(v: datetime | None) -> date | None:
    return v.date() if v else None


@app.command()
def refresh(
    raw: RawOpt = DEFAULT_RAW,
    curated: CuratedOpt = DEFAULT_CURATED,
    reports: ReportsOpt = DEFAULT_REPORTS,
    as_of: AsOfOpt = None,
    force: Annotated[bool, typer.Option("--force", help="Re-extract and republish even if no source changed.")] = False,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for another running refresh to finish.")] = 0.0,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON instead of a summary.")] = False,
) -> None:
    """Run the refresh flow: raw/ -> curated/*.parquet + reports/.

    Write-audit-publish: tables are written to curated/staging/, validated there, then swapped live
    (curated/current) atomically; the last 5 publications are kept for `gradfacts rollback`. Rows that
    fail an error rule go to curated/quarantine.parquet with the rule and the reason. If no source
    changed since the live publication, nothing is extracted or published (freshness is recomputed).

    Exit codes: 0 published (or unchanged), 1 validation blocked publishing (the previous publication
    stays live), 2 bad input (the message names the file), 3 another refresh holds the lock.
    Freshness has its own exit codes: see `gradfacts freshness`.
    """
    from flows.pipeline import result_json, run_refresh

    res = run_refresh(raw, curated, reports, as_of=_as_date(as_of), force=force, wait_seconds=wait)
    if json_out:
        typer.echo(result_json(res))
    else:
        _print_summary(res, curated, reports)
    raise typer.Exit(res.exit_code)


def _print_summary(res, curated: Path, reports: Path) -> None:
    from rich.console import Console
    from rich.table import Table

    con = _console()
    ok = res.exit_code == 0
    con.print(f"[bold]{'OK' if ok else 'FAILED'}[/bold] run {res.run_id}: {res.status} - {res.message}",
              style="green" if ok else "red", markup=True, highlight=False)
    con.print(f"sources: {res.sources_seen} seen, {res.sources_changed} changed, {res.sources_extracted} extracted; "
              f"validation: {res.validation}; quarantined rows: {res.quarantined}", highlight=False)
    if res.rows:
        t = Table("table", "rows", title=None, box=None)
        for k, v in res.rows.items():
            t.add_row(k, str(v))
        con.print(t)
    if res.failed_rules:
        con.print("failed rules: " + ", ".join(res.failed_rules), highlight=False)
    con.print(f"curated: {curated}   reports: {reports / 'index.html'}", highlight=False)


@app.command()
def validate(
    curated: CuratedOpt = DEFAULT_CURATED,
    reports: ReportsOpt = DEFAULT_REPORTS,
) -> None:
    """Re-validate the live publication in curated/ (no re-extraction) and rewrite the quality report.

    Exit codes: 0 every error rule passes (warnings allowed), 1 an error rule fails, 2 nothing to validate.
    """
    from flows.validate.command import validate_command

    raise typer.Exit(validate_command(curated, reports))


@app.command()
def freshness(
    as_of: AsOfOpt = None,
    curated: CuratedOpt = DEFAULT_CURATED,
    reports: ReportsOpt = DEFAULT_REPORTS,
) -> None:
    """Age of every source, table and program against per-source thresholds (warn_after/error_after).

    The date that counts is the source's stated updated/published date, else its retrieved_at; the
    report says which. Writes reports/freshness.json and reports/freshness.html.

    Exit codes (as Soda): 0 all pass, 1 any warns (or a source has no date), 2 any errors,
    3 could not run (no readable publication in --curated).
    """
    from flows.freshness.command import freshness_command

    code = freshness_command(_as_date(as_of), curated, reports)
    _print_freshness(reports / "freshness.json", code)
    raise typer.Exit(code)


def _print_freshness(path: Path, code: int) -> None:
    import json

    from rich.console import Console
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


@app.command()
def rollback(
    curated: CuratedOpt = DEFAULT_CURATED,
    reports: ReportsOpt = DEFAULT_REPORTS,
    to: Annotated[Optional[str], typer.Option("--to", help="run_id of the publication to make live (default: the one before the live one).")] = None,
) -> None:
    """Make an earlier publication live again (atomic pointer swap), then rewrite the freshness and conflicts
    reports and the index for it. `gradfacts runs` lists the kept publications; run `gradfacts validate` to
    rebuild the quality report for the restored publication."""
    from datetime import timezone

    from flows.publish.nodes import PublishError, refresh_lock, rollback as do_rollback
    from flows.publish.runs import append_run

    started = datetime.now(timezone.utc)
    try:
        with refresh_lock(curated, wait_seconds=30):
            target = do_rollback(curated, to)
            append_run(curated, {
                "run_id": f"rollback-{started.strftime('%Y%m%dT%H%M%S%fZ')}", "started_at": started,
                "finished_at": datetime.now(timezone.utc), "status": "rolled_back", "sources_seen": 0,
                "sources_changed": 0, "sources_extracted": 0, "rows_per_table": {}, "validation_outcome": "skipped",
                "quarantined_rows": 0, "message": f"live publication is now {target.name}"})
    except PublishError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    from flows.freshness.command import freshness_command
    from flows.report.conflicts import write_conflicts_report
    from flows.report.index import write_index

    write_conflicts_report(curated, reports)
    freshness_command(None, curated, reports)
    write_index(reports)
    typer.echo(f"live publication is now {target.name}; freshness, conflicts and the index were rewritten for it "
               "(run `gradfacts validate` to rebuild the quality report)")


@app.command()
def runs(
    curated: CuratedOpt = DEFAULT_CURATED,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many recent runs to show.")] = 10,
) -> None:
    """Recent refresh runs from curated/runs.parquet (newest first) and the kept publications."""
    from rich.console import Console
    from rich.table import Table

    from flows.publish.nodes import current_publication, publications
    from flows.publish.runs import read_runs

    df = read_runs(curated).sort("started_at", descending=True).head(limit)
    t = Table("run_id", "started", "status", "seen", "changed", "extracted", "validation", "quarantined", "message")
    for r in df.iter_rows(named=True):
        t.add_row(r["run_id"], str(r["started_at"])[:19], r["status"], str(r["sources_seen"]), str(r["sources_changed"]),
                  str(r["sources_extracted"]), r["validation_outcome"], str(r["quarantined_rows"]), r["message"] or "")
    con = _console()
    con.print(t)
    cur = current_publication(curated)
    kept = [p.name + (" (live)" if cur and p.resolve() == cur else "") for p in publications(curated)]
    con.print("publications kept: " + (", ".join(kept) if kept else "none"), highlight=False)


@app.command()
def serve(
    cron: Annotated[str, typer.Option("--cron", help="Cron schedule for the refresh (UTC).")] = "0 6 * * *",
    raw: RawOpt = DEFAULT_RAW,
    curated: CuratedOpt = DEFAULT_CURATED,
    reports: ReportsOpt = DEFAULT_REPORTS,
    name: Annotated[str, typer.Option("--name", help="Deployment name.")] = "scheduled-refresh",
) -> None:
    """Serve the refresh flow as a Prefect deployment on a cron schedule (long-running; Ctrl-C stops).

    With PREFECT_API_URL set, runs appear in that Prefect server's UI; without it a temporary local
    server is used. See the README section "Scheduling".
    """
    from flows.schedule import serve_refresh

    serve_refresh(cron=cron, raw=raw, curated=curated, reports=reports, name=name)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A source document (.txt, .md, .html).", exists=True, dir_okay=False)],
) -> None:
    """Print the facts extracted from one document as JSON lines (for checking a new source)."""
    import json

    from flows.extract.nodes import extract_text
    from flows.ingest.nodes import IngestError, read_document

    try:
        doc = read_document(file, file.parent, None, {})
    except IngestError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    from flows.ingest.html_text import map_span

    for f in extract_text(doc.text, doc.media_type, doc.file_text).facts:
        s, e = map_span(doc.offsets, f.start, f.end)
        typer.echo(json.dumps({**f.as_dict(), "char_start": s, "char_end": e, "quote": doc.file_text[s:e]}))


if __name__ == "__main__":
    app()
