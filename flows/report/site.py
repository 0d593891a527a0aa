"""The report stage of a refresh: every page under reports/, in one place.

What the pages describe: the *live publication*. A run that publishes rewrites them all for its new
publication. A run that publishes nothing (blocked by validation, or failed) leaves them describing the
publication still live, and writes its own quality and extraction reports to ``reports/runs/<run_id>/``;
the index and run.html say separately what the last run did. An unchanged run rewrites only what
depends on the clock or the run (freshness, index, run summary).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from flows.report.render import render, write_atomic

RUNS_DIR = "runs"


def write_dictionary(reports: Path) -> list[Path]:
    """data_dictionary.md and .html (the latter with the reports' navigation), from schemas/."""
    from schemas.dictionary import dictionary_data, to_markdown

    tables = dictionary_data()
    return [write_atomic(Path(reports) / "data_dictionary.md", to_markdown(tables)),
            write_atomic(Path(reports) / "data_dictionary.html",
                         render("data_dictionary.html.j2", here="data_dictionary.html", tables=tables))]


def write_live_pages(curated: Path, reports: Path, *, unclaimed: dict | None = None,
                     texts: dict[str, str] | None = None, pending: dict | None = None,
                     later: list | None = None) -> list[str]:
    """Pages built from the live publication alone: source viewer, conflicts, programs, changes.

    ``texts``: source texts by id (default: read from disk, kept only when the sha256 matches);
    ``unclaimed``: file-coordinate unclaimed lines by source id; ``later``: given, the source viewer's pages
    are written when the caller calls what is appended to it (they render on the Dask workers meanwhile, when
    the refresh has some), else before returning. Returns the pages written.
    """
    from flows.publish.nodes import current_publication
    from flows.report.publications import compare
    from flows.report.conflicts import write_conflicts_report
    from flows.report.programs_page import write_programs_page
    from flows.report.source_view import start_source_viewer
    from flows.validate.command import read_source_texts

    curated, reports = Path(curated), Path(reports)
    live = current_publication(curated)
    if live is None:
        return []
    run_id = live.name
    tables = {p.stem: pl.read_parquet(p) for p in sorted(live.glob("*.parquet"))}
    obs = tables.get("observations", pl.DataFrame())
    written = []
    sources = tables.get("sources")
    if sources is not None:  # first: its batches render on the workers while this process writes the rest
        if texts is None:
            texts = read_source_texts(sources, curated)
        unclaimed = _unclaimed_by_content(reports, sources, unclaimed)
        finish = start_source_viewer(sources, texts, obs, unclaimed, reports, run_id)
        if later is None:
            finish()
        else:
            later.append(finish)
        written.append("sources/index.html")
    if write_conflicts_report(curated, reports):
        written.append("conflicts.html")
    if "programs" in tables:
        write_programs_page(tables["programs"], obs, reports, run_id)
        written.append("programs.html")
    d = compare(curated, None, run_id)
    write_atomic(reports / "changes.html", render(
        "changes.html.j2", here="changes.html", d=d, chart=_chart(curated, pending),
        describes=f"Publication {run_id} against the one before it."))
    written.append("changes.html")
    return written


UNCLAIMED_FILE = "sources/unclaimed.json"


def _unclaimed_by_content(reports: Path, sources: pl.DataFrame, fresh: dict | None) -> dict:
    """Unclaimed lines by source id. A run that extracted gives them (``fresh``); they are also kept in
    reports/sources/unclaimed.json by file sha256, so a rollback's viewer still marks them."""
    import json

    path = Path(reports) / UNCLAIMED_FILE
    try:
        store = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        store = {}
    sha = dict(zip(sources["source_id"].to_list(), sources["sha256"].to_list())) if "sha256" in sources.columns else {}
    if fresh:
        for sid, spans in fresh.items():
            if sha.get(sid):
                store[sha[sid]] = [list(x) for x in spans]
        write_atomic(path, json.dumps(store, sort_keys=True))
    return {sid: [tuple(x) for x in store.get(h, [])] for sid, h in sha.items()}


def _chart(curated: Path, pending: dict | None = None) -> dict:
    from flows.publish.runs import read_runs
    from flows.report.runs_chart import runs_chart
    from flows.report.index import runs_with

    return runs_chart(runs_with(read_runs(curated), pending))


def write_reports(reports: Path, curated: Path, summary: dict, docs, results, outcome,
                  observations: pl.DataFrame | None, as_of: date | None) -> tuple[int | None, str | None]:
    """Every report of one refresh run (``summary``: its run.json). Returns freshness's exit code and status
    (None, None: nothing published yet). The pages are flushed to disk together at the end (every page is
    regenerated from curated/ and raw/: see flows.common.files.deferred_fsync)."""
    from flows.common.files import deferred_fsync

    with deferred_fsync():
        return _write_reports(reports, curated, summary, docs, results, outcome, observations, as_of)


def _write_reports(reports: Path, curated: Path, summary: dict, docs, results, outcome,
                   observations: pl.DataFrame | None, as_of: date | None) -> tuple[int | None, str | None]:
    from flows.freshness.command import write_freshness
    from flows.publish.nodes import current_publication
    from flows.report.index import record_pages, write_index, write_run_summary

    reports, curated = Path(reports), Path(curated)
    reports.mkdir(parents=True, exist_ok=True)
    published = summary.get("status") == "published"
    run_id = summary["run_id"]
    target, root = (reports, "") if published else (reports / RUNS_DIR / run_id, "../../")
    run_reports: dict[str, str] = {}
    pages: list[str] = []
    unclaimed = None
    texts = None
    if docs is not None and results is not None:
        from flows.report.extraction import extraction_summary, write_extraction_report

        extracted = extraction_summary(docs, results)  # once: the report and the viewer's unclaimed lines
        write_extraction_report(docs, results, target, root=root, summary=extracted, describes=(
            f"Extraction of publication {run_id}." if published else
            f"Extraction of run {run_id}, which published nothing."))
        if published:
            pages += ["extraction.html", "extraction.json"]
            unclaimed = {s["source_id"]: [(u["start"], u["end"], u["reason"]) for u in s["unclaimed"]]
                         for s in extracted}
            texts = {d.source_id: d.file_text for d in docs}
        else:
            run_reports["extraction"] = f"{RUNS_DIR}/{run_id}/extraction.html"
    if published or not (reports / "data_dictionary.html").exists():
        write_dictionary(reports)
    freshness = None
    later: list = []  # the source viewer's pages, written last (flows.report.source_view.start_source_viewer)
    if current_publication(curated):
        if published:
            pages += write_live_pages(curated, reports, unclaimed=unclaimed, texts=texts, pending=summary,
                                      later=later)
        freshness = write_freshness(as_of, curated, reports)
    if outcome is not None:  # last of the run's pages: the GX engine builds its Data Docs meanwhile
        from flows.report.quality import write_quality_report

        write_quality_report(outcome, observations if observations is not None else pl.DataFrame(), target,
                             root=root, publication=run_id if published else None, published=published)
        if published:
            pages += ["quality.html", "quality.json", "quality/index.html"]
        else:
            run_reports["quality"] = f"{RUNS_DIR}/{run_id}/quality.html"
    for finish in later:
        finish()
    live = current_publication(curated)
    record_pages(reports, live.name if live else None, pages)
    fresh = int(freshness["exit_code"]) if freshness is not None else None
    summary["freshness_exit"] = fresh
    summary["run_reports"] = run_reports
    write_run_summary(summary, reports)
    write_index(reports, curated, pending_run=summary, freshness=freshness)
    return fresh, (freshness.get("summary", {}).get("status") if freshness is not None else None)


def rewrite_for_live(curated: Path, reports: Path) -> list[str]:
    """After a rollback: rewrite the pages built from the publication alone for the one now live (the
    quality and extraction reports keep describing the publication they were written for; the index says so)."""
    from flows.common.files import deferred_fsync
    from flows.publish.nodes import current_publication
    from flows.report.index import record_pages

    with deferred_fsync():
        pages = write_live_pages(curated, reports)
    live = current_publication(curated)
    record_pages(reports, live.name if live else None, pages)
    return pages
