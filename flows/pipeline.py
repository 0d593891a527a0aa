"""The refresh flow: thin Prefect tasks over the stages' pure nodes.

ingest -> extract -> resolve -> validate -> publish -> report, one task per stage (batched per
stage, never per fact). Storage-touching stages retry with backoff. A refresh whose sources and
extractor are unchanged since the live publication extracts and publishes nothing.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from flows.settings import configure_environment

configure_environment()

import polars as pl  # noqa: E402
from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402

from flows.extract import cache as extract_cache  # noqa: E402
from flows.extract.model import ExtractionResult  # noqa: E402
from flows.ingest.nodes import Document, ingest  # noqa: E402
from flows.ingest.sources_table import source_as_of, sources_table  # noqa: E402
from flows.publish import nodes as publish  # noqa: E402
from flows.publish.runs import append_run  # noqa: E402
from flows.resolve.nodes import SourceInfo, resolve  # noqa: E402

EXIT_OK, EXIT_BLOCKED, EXIT_BAD_INPUT, EXIT_BUSY = 0, 1, 2, 3


@dataclass
class RefreshResult:
    run_id: str
    status: str                      # published | unchanged | failed
    exit_code: int
    message: str
    rows: dict[str, int] = field(default_factory=dict)
    validation: str = "skipped"      # pass | warn | fail | skipped
    quarantined: int = 0
    sources_seen: int = 0
    sources_changed: int = 0
    sources_extracted: int = 0
    failed_rules: list[str] = field(default_factory=list)
    freshness_exit: int | None = None
    publication: str | None = None


# ------------------------------------------------------------------------------------------ tasks

@task(name="ingest", retries=2, retry_delay_seconds=[1, 4], cache_policy=NO_CACHE)
def ingest_task(raw: Path) -> list[Document]:
    docs = ingest(raw)
    get_run_logger().info("ingested %d sources from %s", len(docs), raw)
    return docs


@task(name="extract", cache_policy=NO_CACHE)
def extract_task(docs: list[Document], cache_dir: Path) -> tuple[dict[str, ExtractionResult], list[str]]:
    """Extract every document (cache hits skipped). Returns results and the ids actually extracted."""
    from rich.progress import track

    from flows.extract.nodes import extract_text

    log = get_run_logger()
    results, extracted = {}, []
    for doc in track(docs, description="extract", disable=not sys.stderr.isatty(), transient=True):
        hit = extract_cache.load(cache_dir, doc.sha256)
        if hit is None:
            hit = extract_text(doc.text, doc.media_type, doc.file_text)
            extract_cache.store(cache_dir, doc.sha256, hit)
            extracted.append(doc.source_id)
        results[doc.source_id] = hit
        log.info("%s: %d facts, %d unclaimed lines", doc.source_id, len(hit.facts), len(hit.unclaimed))
    return results, extracted


@task(name="resolve", cache_policy=NO_CACHE)
def resolve_task(docs: list[Document], results: dict[str, ExtractionResult]) -> dict[str, pl.DataFrame]:
    infos = {d.source_id: SourceInfo(d.source_id, d.file_text, d.offsets, source_as_of(d)) for d in docs}
    tables = resolve({sid: r.facts for sid, r in results.items()}, infos)
    counts = tables["observations"].group_by("source_id").len()
    n_obs = dict(zip(counts["source_id"].to_list(), counts["len"].to_list()))
    tables["sources"] = sources_table(docs, n_obs)
    get_run_logger().info("resolved: %s", {k: v.height for k, v in tables.items()})
    return tables


@task(name="validate", cache_policy=NO_CACHE)
def validate_task(tables: dict[str, pl.DataFrame], run_id: str, source_texts: dict[str, str]):
    from flows.validate.nodes import validate_tables

    outcome = validate_tables(tables, run_id=run_id, source_texts=source_texts)
    get_run_logger().info("validation: %d rules, %d quarantined rows, blocking=%s",
                          len(outcome.results), outcome.quarantine.height, outcome.blocking)
    return outcome


@task(name="publish", retries=2, retry_delay_seconds=[1, 4], cache_policy=NO_CACHE)
def publish_task(curated: Path, run_id: str, tables: dict[str, pl.DataFrame], started: datetime,
                 manifest_extra: dict) -> Path:
    stage = publish.write_staging(curated, run_id, tables)
    try:
        publish.write_manifest(stage, run_id, started, "published", manifest_extra)
        problems = publish.audit_staging(stage, list(tables))
        if problems:
            raise publish.PublishError("audit of staged files failed: " + "; ".join(problems))
        return publish.promote(curated, stage)
    except BaseException:
        publish.discard_staging(stage)
        raise


@task(name="report", cache_policy=NO_CACHE)
def report_task(reports: Path, curated: Path, summary: dict, docs: list[Document] | None,
                results: dict[str, ExtractionResult] | None, outcome, observations: pl.DataFrame | None,
                as_of: date | None) -> int:
    """Quality, extraction and run reports, freshness last, then the index. Returns freshness's exit code."""
    from flows.freshness.command import freshness_command
    from flows.report.index import write_index, write_run_summary

    reports.mkdir(parents=True, exist_ok=True)
    if outcome is not None:
        from flows.report.quality import write_quality_report

        write_quality_report(outcome, observations if observations is not None else pl.DataFrame(), reports)
    if docs is not None and results is not None:
        from flows.report.extraction import write_extraction_report

        write_extraction_report(docs, results, reports)
    from schemas.dictionary import write_data_dictionary

    write_data_dictionary(reports)
    if publish.current_publication(curated):
        from flows.report.conflicts import write_conflicts_report

        write_conflicts_report(curated, reports)
        fresh = freshness_command(as_of, curated, reports)
    else:
        fresh = None
    summary["freshness_exit"] = fresh
    write_run_summary(summary, reports)
    write_index(reports)
    return fresh


# ------------------------------------------------------------------------------------------- flow

def _source_fingerprint(docs: list[Document]) -> dict[str, str]:
    return {d.source_id: d.sha256 for d in docs}


@flow(name="gradfacts-refresh", log_prints=True, validate_parameters=False)
def refresh_flow(raw: Path, curated: Path, reports: Path, as_of: date | None = None, force: bool = False,
                 wait_seconds: float = 0.0) -> RefreshResult:
    """Refresh curated/ from raw/: ingest, extract, resolve, validate, publish, report."""
    raw, curated, reports = Path(raw), Path(curated), Path(reports)
    started = datetime.now(timezone.utc)
    run_id = publish.new_run_id(started)
    res = RefreshResult(run_id=run_id, status="failed", exit_code=EXIT_BAD_INPUT, message="")
    try:
        with publish.refresh_lock(curated, wait_seconds):
            _run(res, raw, curated, reports, as_of, force, started)
    except publish.LockBusy as exc:
        res.exit_code, res.message = EXIT_BUSY, str(exc)
        return res
    return res


def _run(res: RefreshResult, raw, curated, reports, as_of, force, started) -> None:
    from flows.ingest.nodes import IngestError

    cache_dir = curated / "cache" / "extract"
    try:
        docs = ingest_task(raw)
    except IngestError as exc:
        res.message = str(exc)
        _finish(res, curated, reports, started, None, None, None, None, as_of)
        return
    res.sources_seen = len(docs)
    live = publish.current_manifest(curated) or {}
    fingerprint = _source_fingerprint(docs)
    previous = live.get("sources", {})
    res.sources_changed = sum(1 for sid, h in fingerprint.items() if previous.get(sid) != h) + \
        sum(1 for sid in previous if sid not in fingerprint)
    ref = extract_cache.reference_fingerprint()
    if not force and live and previous == fingerprint and live.get("extractor_fingerprint") == ref:
        res.status, res.exit_code = "unchanged", EXIT_OK
        res.message = f"no source changed since publication {live['run_id']}; nothing extracted or published"
        res.rows = {k: v["rows"] for k, v in live.get("tables", {}).items()}
        res.validation = "skipped"
        res.publication = live["run_id"]
        _finish(res, curated, reports, started, None, None, None, None, as_of)
        return
    results, extracted = extract_task(docs, cache_dir)
    res.sources_extracted = len(extracted)
    tables = resolve_task(docs, results)
    outcome = validate_task(tables, res.run_id, {d.source_id: d.file_text for d in docs})
    res.quarantined = outcome.quarantine.height
    res.failed_rules = [f"{r.table}:{r.rule}" for r in outcome.results if r.status == "fail"]
    res.validation = "fail" if outcome.blocking else ("warn" if any(
        r.status in ("warn", "fail") for r in outcome.results) else "pass")
    if outcome.blocking:
        res.exit_code = EXIT_BLOCKED
        res.message = "validation blocked publishing: " + ", ".join(outcome.blocking)
        _finish(res, curated, reports, started, docs, results, outcome, tables["observations"], as_of)
        return
    final = dict(outcome.tables)
    final["quarantine"] = outcome.quarantine
    extra = {"sources": fingerprint, "extractor_fingerprint": ref,
             "validation": res.validation, "quarantined_rows": res.quarantined}
    pub = publish_task(curated, res.run_id, final, started, extra)
    res.status, res.exit_code, res.publication = "published", EXIT_OK, pub.name
    res.rows = {k: v.height for k, v in final.items()}
    res.message = f"published {pub.name}"
    _finish(res, curated, reports, started, docs, results, outcome, final["observations"], as_of)


def _finish(res, curated, reports, started, docs, results, outcome, observations, as_of) -> None:
    summary = {
        "run_id": res.run_id, "status": res.status, "message": res.message,
        "started_at": started.isoformat(), "rows": res.rows, "validation": res.validation,
        "quarantined": res.quarantined, "failed_rules": res.failed_rules,
        "sources_seen": res.sources_seen, "sources_changed": res.sources_changed,
        "sources_extracted": res.sources_extracted, "publication": res.publication,
        "curated": str(curated), "reports": str(reports),
    }
    try:
        res.freshness_exit = report_task(reports, curated, summary, docs, results, outcome, observations, as_of)
    finally:
        append_run(curated, {
            "run_id": res.run_id, "started_at": started, "finished_at": datetime.now(timezone.utc),
            "status": res.status, "sources_seen": res.sources_seen, "sources_changed": res.sources_changed,
            "sources_extracted": res.sources_extracted, "rows_per_table": res.rows,
            "validation_outcome": res.validation, "quarantined_rows": res.quarantined, "message": res.message,
        })


def run_refresh(raw: Path, curated: Path, reports: Path, as_of: date | None = None, force: bool = False,
                wait_seconds: float = 0.0) -> RefreshResult:
    """Entry point for the CLI and tests: runs the Prefect flow and returns its result."""
    return refresh_flow(raw=Path(raw), curated=Path(curated), reports=Path(reports), as_of=as_of, force=force,
                        wait_seconds=wait_seconds)


def result_json(res: RefreshResult) -> str:
    return json.dumps(res.__dict__, indent=2, default=str)
