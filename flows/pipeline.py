"""The refresh flow: thin Prefect tasks over the stages' pure nodes.

ingest -> extract -> resolve -> validate -> publish -> report, one task per stage (batched per
stage, never per fact). Storage-touching stages retry with backoff on transient I/O errors only (bad input,
disk full, read-only folders fail at once). A refresh whose sources and extractor are unchanged since the
live publication extracts and publishes nothing. The flow run's final state says what happened: Completed
(published or unchanged, with the message), or Failed named Blocked / BadInput / Busy / Environment / Error
with the one-line reason as its message. Each run leaves a markdown artifact (key `gradfacts-refresh`) and,
when it publishes, an asset materialization per curated table.

`gradfacts refresh` takes the lock and answers busy, bad-input and unchanged refreshes before this module
(and Prefect) is imported: see flows/refresh.py.
"""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from pathlib import Path

from flows.settings import configure_environment

configure_environment()

import polars as pl  # noqa: E402
from prefect import Flow, get_run_logger, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.states import Completed, Failed  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from flows import api_server, parallel  # noqa: E402
from flows.extract import cache as extract_cache  # noqa: E402
from flows.extract.model import ExtractionResult  # noqa: E402
from flows.ingest.nodes import Document, IngestError, Ingested, ingest_sources  # noqa: E402
from flows.ingest.sources_table import source_as_of, sources_table  # noqa: E402
from flows.publish import nodes as publish  # noqa: E402
from flows.refresh import (  # noqa: E402
    EXIT_BAD_INPUT, EXIT_BLOCKED, EXIT_BUSY, EXIT_ENVIRONMENT, EXIT_INTERNAL, EXIT_OK, RefreshResult,
    change_plan, fail_from, finish, is_transient, mark_unchanged, new_result, now, record_run, refresh_lock,
    source_fingerprint,
)
from flows.resolve.nodes import SourceInfo, resolve  # noqa: E402
from flows.validate import gx_process  # noqa: E402
from flows.common import heap, prefect_heartbeat  # noqa: E402

__all__ = ["EXIT_OK", "EXIT_BLOCKED", "EXIT_BAD_INPUT", "EXIT_BUSY", "EXIT_ENVIRONMENT", "EXIT_INTERNAL",
           "RefreshResult", "refresh_flow", "run_refresh", "result_json"]

#: Prefect state name of a flow run that did not complete, per exit code
STATE_NAME = {EXIT_BLOCKED: "Blocked", EXIT_BAD_INPUT: "BadInput", EXIT_BUSY: "Busy",
              EXIT_ENVIRONMENT: "Environment", EXIT_INTERNAL: "Error"}
ARTIFACT_KEY = "gradfacts-refresh"


def _retry_transient(task, task_run, state) -> bool:
    """Prefect retry condition: retry transient I/O errors only (see flows.refresh.is_transient)."""
    exc = state.data if isinstance(state.data, BaseException) else None
    if exc is None:
        try:
            state.result()
        except BaseException as raised:  # noqa: BLE001 - we only inspect it
            exc = raised
    return exc is not None and is_transient(exc)


# ------------------------------------------------------------------------------------------ tasks

@task(name="ingest", retries=2, retry_delay_seconds=[1, 4], retry_condition_fn=_retry_transient,
      cache_policy=NO_CACHE)
def ingest_task(raw: Path) -> Ingested:
    read = _read_before.pop(Path(raw).resolve(), None)
    ingested = read if read is not None else ingest_sources(raw)
    get_run_logger().info("ingested %d sources from %s%s", len(ingested.docs), raw,
                          " (read as the refresh began)" if read is not None else "")
    return ingested


#: raw/ as a refresh read it before starting this flow (run_refresh ``ingested``), by folder: one read per run
_read_before: dict[Path, Ingested] = {}


@task(name="extract", cache_policy=NO_CACHE)
def extract_task(docs: list[Document], cache_dir: Path, budget_seconds: float | None = None, force: bool = False
                 ) -> tuple[dict[str, ExtractionResult], list[str], list[str]]:
    """Extract every document (verified cache hits skipped unless ``force``), each within its time budget.
    Returns results, the ids actually extracted, and one line per document skipped for its budget."""
    from rich.progress import track

    from flows.extract.budget import ExtractionTimeout, extract_within

    log = get_run_logger()
    results, extracted, skipped = {}, [], []
    for doc in track(docs, description="extract", disable=not sys.stderr.isatty(), transient=True):
        hit = None if force else extract_cache.load(cache_dir, doc.sha256, doc.text)
        if hit is None:
            try:
                hit = extract_within(doc.text, budget_seconds, str(doc.path), doc.media_type, doc.file_text)
            except ExtractionTimeout as exc:
                log.warning("%s", exc)
                skipped.append(str(exc))
                continue
            extract_cache.store(cache_dir, doc.sha256, hit, doc.text)
            extracted.append(doc.source_id)
        results[doc.source_id] = hit
        # (debug: at 10,000 documents one info line each was 10,000 log records for the API to store)
        log.debug("%s: %d facts, %d unclaimed lines", doc.source_id, len(hit.facts), len(hit.unclaimed))
    return results, extracted, skipped


def extracted_line(results: dict[str, ExtractionResult], extracted: list[str]) -> str:
    """What the extract stage did, in one log line (either path; every document is in reports/extraction.html)."""
    facts = sum(len(r.facts) for r in results.values())
    unclaimed = sum(len(r.unclaimed) for r in results.values())
    empty = sum(1 for r in results.values() if not r.facts)
    return (f"extract: {len(results)} documents ({len(extracted)} extracted, {len(results) - len(extracted)} from "
            f"the cache): {facts} facts, {unclaimed} unclaimed lines, {empty} documents without a fact")


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


@task(name="publish", retries=2, retry_delay_seconds=[1, 4], retry_condition_fn=_retry_transient,
      cache_policy=NO_CACHE)
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
def report_task(res: RefreshResult, curated: Path, reports: Path, docs: list[Document] | None,
                results: dict[str, ExtractionResult] | None, outcome, observations: pl.DataFrame | None,
                as_of: date | None) -> RefreshResult:
    """Quality, extraction and run reports, freshness last, then the index; records the run in runs.parquet."""
    finish(res, curated, reports, as_of, docs=docs, results=results, outcome=outcome, observations=observations)
    get_run_logger().info("run %s recorded: %s (exit %s)", res.run_id, res.status, res.exit_code)
    return res


def _curated_assets(curated: Path, manifest: dict) -> list:
    from prefect.assets import Asset, AssetProperties

    from schemas.tables import TABLES

    assets = []
    for name in manifest.get("tables", {}):
        model = TABLES.get(name)
        doc = (model.__doc__ or "").strip().splitlines()[0] if model is not None and model.__doc__ else None
        assets.append(Asset(key=(Path(curated).resolve() / f"{name}.parquet").as_uri(),
                            properties=AssetProperties(name=f"gradfacts {name}", description=doc)))
    return assets


def _materialize_curated(curated: Path, run_id: str) -> None:
    """One Prefect asset materialization per curated table, with rows, sha256, columns and the publication
    as metadata (Prefect 3.8+ assets: the UI's Assets page and lineage show them)."""
    from prefect.assets import add_asset_metadata
    from prefect.tasks import MaterializingTask

    manifest = publish.current_manifest(curated) or {}
    assets = _curated_assets(curated, manifest)
    if not assets:
        return

    def record(tables: dict) -> int:
        for asset in assets:
            name = asset.key.rsplit("/", 1)[-1].removesuffix(".parquet")
            entry = tables[name]
            add_asset_metadata(asset, {"rows": entry["rows"], "sha256": entry["sha256"],
                                       "columns": len(entry.get("columns", [])), "publication": run_id})
        return len(assets)

    MaterializingTask(fn=record, assets=assets, name="curated-tables", cache_policy=NO_CACHE,
                      materialized_by="gradfacts")(manifest.get("tables", {}))


def _artifact_markdown(res: RefreshResult, reports: Path) -> str:
    index = (Path(reports).resolve() / "index.html").as_uri()
    lines = [f"## gradfacts refresh {res.run_id}: {res.status}", "", res.message, "",
             "| table | rows |", "|---|---|"]
    lines += [f"| {t} | {n} |" for t, n in res.rows.items()] or ["| (none) | |"]
    lines += ["", f"- validation: **{res.validation}**"
              + (f" (failed rules: {', '.join(res.failed_rules)})" if res.failed_rules else ""),
              f"- quarantined rows: **{res.quarantined}**",
              f"- freshness: **{res.freshness or 'not computed'}**"
              + ("" if res.freshness_exit is None else f" (exit {res.freshness_exit})"),
              f"- sources: {res.sources_seen} seen, {res.sources_changed} changed, {res.sources_extracted} extracted",
              f"- live publication: {res.publication or '-'}",
              f"- reports: [{index}]({index})"]
    return "\n".join(lines) + "\n"


def _report_to_prefect(res: RefreshResult, curated: Path, reports: Path) -> None:
    """The run's markdown artifact, and asset materializations when it published. Never fails the run."""
    from prefect.artifacts import create_markdown_artifact

    log = get_run_logger()
    try:
        create_markdown_artifact(markdown=_artifact_markdown(res, reports), key=ARTIFACT_KEY,
                                 description=f"{res.status}: {res.message}"[:500])
        if res.status == "published":
            _materialize_curated(curated, res.run_id)
    except Exception as exc:  # noqa: BLE001 - what Prefect shows must not change what the refresh did
        log.warning("could not report the run to Prefect: %s", exc)


def _final_state(res: RefreshResult):
    if res.exit_code == EXIT_OK:
        return Completed(message=res.message, data=res)
    return Failed(name=STATE_NAME.get(res.exit_code, "Failed"), message=res.message, data=res)


# ------------------------------------------------------------------------------------------- flow

class RefreshFlow(Flow):
    """Prefect's Flow, whose run parameters (paths, a date, flags, a number) are turned into JSON for the API by
    pydantic-core's ``to_jsonable_python`` instead of FastAPI's ``jsonable_encoder``: the same JSON for these
    types (tests/cli/test_flow_parameters.py), without importing FastAPI and its OpenAPI models into the refresh
    (~0.15 s of CPU as a cold refresh starts its flow). Anything else goes to Prefect's own encoding."""

    def serialize_parameters(self, parameters: dict) -> dict:
        from pydantic_core import PydanticSerializationError, to_jsonable_python

        try:
            return {k: to_jsonable_python(v) for k, v in parameters.items()}
        except PydanticSerializationError:
            return super().serialize_parameters(parameters)

    def with_options(self, **options) -> RefreshFlow:
        new = super().with_options(**options)  # (a plain Flow: Prefect builds it by name)
        new.__class__ = RefreshFlow
        return new

    def __reduce__(self):
        # Prefect sends the flow to a Dask worker inside every task's context; see flows.parallel.flow_named
        return parallel.flow_named, (self.name,)


def refresh_flow(raw: Path, curated: Path, reports: Path, as_of: date | None = None, force: bool = False,
                 wait_seconds: float = 0.0):
    """Refresh curated/ from raw/: ingest, extract, resolve, validate, publish, report."""
    from prefect.runtime import flow_run

    raw, curated, reports = Path(raw), Path(curated), Path(reports)
    if isinstance(as_of, str):
        as_of = date.fromisoformat(as_of[:10])
    res = new_result(now())
    res.prefect_flow_run = str(flow_run.id) if flow_run.id else None
    log = get_run_logger()
    try:
        with refresh_lock(curated, wait_seconds) as cleaned, heap.held():
            if cleaned:
                res.notes.append("removed what an earlier run left: " + ", ".join(cleaned))
            try:
                res = _run(res, raw, curated, reports, as_of, force)
            except Exception as exc:  # noqa: BLE001 - every failure ends as a named state and one line
                fail_from(res, exc)
                if res.detail:
                    log.error("refresh failed: %s\n%s", res.message, res.detail)
                res = report_task(res, curated, reports, None, None, None, None, as_of)
    except publish.LockBusy as exc:
        fail_from(res, exc)
        record_run(res, curated)
    _report_to_prefect(res, curated, reports)
    (log.info if res.exit_code == EXIT_OK else log.error)("%s: %s", res.status, res.message)
    return _final_state(res)


prefect_heartbeat.install()  # (its flow runs end when their work does, not on the heartbeat thread's next second)

# (what @flow(...) does, with the Flow class above)
refresh_flow = RefreshFlow(refresh_flow, name="gradfacts-refresh", log_prints=True, validate_parameters=False)


def _prepare_data_docs(run_id: str) -> None:
    """Ask the GX engine to start on the run's Data Docs now; the report stage collects them."""
    from flows.validate import gx_suites

    session = gx_suites.existing_session(run_id)
    if session is not None:
        session.prepare_data_docs()


def _run(res: RefreshResult, raw, curated, reports, as_of, force) -> RefreshResult:
    # The documents, the extraction results and the stages' outputs go to the tasks wrapped in ``quote``: Prefect
    # walks every argument (visit_collection, twice per call: looking for futures, then resolving them) into each
    # list, dict and dataclass, which cost ~2.5 s per task call per 1,000 documents (documents, their facts).
    # Nothing passed here is a future, so there is nothing to find; the tasks receive the values unwrapped.
    cache_dir = extract_cache.directory(curated)
    try:
        ingested = ingest_task(raw)
    except IngestError as exc:
        fail_from(res, exc)
        return report_task(res, curated, reports, None, None, None, None, as_of)
    docs = ingested.docs
    res.notes += [f"skipped {w}" for w in ingested.warnings]
    res.sources_seen = len(docs)
    plan = change_plan(docs, curated, force)
    res.sources_changed = plan.sources_changed
    res.notes += plan.notes
    if plan.unchanged:
        mark_unchanged(res, plan)
        return report_task(res, curated, reports, None, None, None, None, as_of)
    spread = parallel.current()  # --workers / --dask-address: batches on the flow's Dask task runner
    if spread.enabled:
        results, extracted, over_budget = parallel.extract_parallel(docs, cache_dir, ingested.limits.extract_seconds,
                                                                    force, spread, res.notes,
                                                                    on_tail=gx_process.prewarm)
    else:
        results, extracted, over_budget = extract_task(quote(docs), cache_dir, ingested.limits.extract_seconds, force)
    res.notes += [f"skipped {w}" for w in over_budget]
    get_run_logger().info("%s", extracted_line(results, extracted))
    gx_process.prewarm()  # (started as the refresh began, or as local Dask workers' last batches ran; else now)
    heap.hold()  # the documents and their results live to the end of the run: the collector need not walk them
    docs = [d for d in docs if d.source_id in results]
    res.sources_extracted = len(extracted)
    tables = resolve_task(quote(docs), quote(results))
    parallel.entries_written()  # (local Dask workers write their batches' cache entries while resolution runs)
    outcome = validate_task(quote(tables), res.run_id, quote({d.source_id: d.file_text for d in docs}))
    _prepare_data_docs(outcome.run_id)  # (the engine renders them while this process publishes)
    res.quarantined = outcome.quarantine.height
    res.failed_rules = [f"{r.table}:{r.rule}" for r in outcome.results if r.status == "fail"]
    res.validation = "fail" if outcome.blocking else ("warn" if any(
        r.status in ("warn", "fail") for r in outcome.results) else "pass")
    if outcome.blocking:
        res.fail(EXIT_BLOCKED, "validation blocked publishing: " + ", ".join(outcome.blocking))
        return report_task(res, curated, reports, quote(docs), quote(results), quote(outcome), tables["observations"],
                           as_of)
    final = dict(outcome.tables)
    final["quarantine"] = outcome.quarantine
    extra = {"sources": source_fingerprint(docs), "sources_meta": {d.source_id: d.meta_sha256 for d in docs},
             "raw_dir": str(raw.resolve()), "freshness_defaults": ingested.defaults.freshness.model_dump(),
             "extractor_fingerprint": plan.extractor_fingerprint,
             "validation": res.validation, "quarantined_rows": res.quarantined}
    pub = publish_task(curated, res.run_id, quote(final), datetime.fromisoformat(res.started_at), quote(extra))
    res.status, res.exit_code, res.outcome, res.publication = "published", EXIT_OK, "ok", pub.name
    res.rows = {k: v.height for k, v in final.items()}
    res.message = f"published {pub.name}"
    return report_task(res, curated, reports, quote(docs), quote(results), quote(outcome), final["observations"],
                       as_of)


def run_refresh(raw: Path, curated: Path, reports: Path, as_of: date | None = None, force: bool = False,
                wait_seconds: float = 0.0, ingested: Ingested | None = None) -> RefreshResult:
    """Run the Prefect flow in this process and return its result (the flow run's state carries it).
    ``ingested``: raw/ as the caller read it for this run (under the refresh lock); the ingest task takes it
    instead of reading the folder a second time."""
    runner = parallel.task_runner(parallel.current())
    run = refresh_flow.with_options(task_runner=runner) if runner is not None else refresh_flow
    if ingested is not None:
        _read_before[Path(raw).resolve()] = ingested
    try:
        with api_server.flow_api():  # one Prefect API for the flow and its Dask workers (flows/api_server.py)
            state = run(raw=Path(raw), curated=Path(curated), reports=Path(reports), as_of=as_of, force=force,
                        wait_seconds=wait_seconds, return_state=True)
    finally:
        _read_before.pop(Path(raw).resolve(), None)
    res = state.result(raise_on_failure=False)
    if not isinstance(res, RefreshResult):  # the engine itself failed before the flow produced its result
        raise res if isinstance(res, BaseException) else RuntimeError(f"flow run ended {state.name}: {state.message}")
    return res


def result_json(res: RefreshResult) -> str:
    return json.dumps(res.as_json(), indent=2, default=str)
