"""One refresh, lock first: what `gradfacts refresh` runs before (and often instead of) the Prefect flow.

Order of a refresh from the command line:
  1. take the lock on curated/ (a busy refresh answers at once: exit 3 and a run row, no Prefect started);
  2. with a Prefect server configured (PREFECT_API_URL), run the flow there so every refresh shows as a run;
  3. otherwise ingest and compare the sources' content hashes and the extraction fingerprint with the live
     publication: bad input (exit 2) and "nothing changed" (exit 0, freshness recomputed) are answered here,
     without starting Prefect's temporary API server;
  4. only when there is work to do, run the Prefect flow (flows/pipeline.py).
Everything here imports neither Prefect nor Great Expectations.
"""

from __future__ import annotations

import errno
import os
import threading
import traceback
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

#: version of the JSON documents gradfacts prints or writes about a run (refresh --json, reports/run.json)
SCHEMA_VERSION = "1"

EXIT_OK, EXIT_BLOCKED, EXIT_BAD_INPUT, EXIT_BUSY, EXIT_ENVIRONMENT, EXIT_INTERNAL = 0, 1, 2, 3, 4, 5
#: what each exit code means, for --help texts and the README
EXIT_MEANING = {
    EXIT_OK: "published, or nothing changed",
    EXIT_BLOCKED: "validation blocked publishing (the previous publication stays live)",
    EXIT_BAD_INPUT: "bad input (the message names the file and the problem)",
    EXIT_BUSY: "another refresh holds the lock",
    EXIT_ENVIRONMENT: "environment failure: disk full, read-only or unwritable folder, I/O error",
    EXIT_INTERNAL: "unexpected error (a bug: rerun with --debug and report the traceback)",
}
#: outcome name per exit code: the Prefect state name of a failed flow run, the `outcome` field in JSON
OUTCOME = {EXIT_OK: "ok", EXIT_BLOCKED: "blocked", EXIT_BAD_INPUT: "bad_input", EXIT_BUSY: "busy",
           EXIT_ENVIRONMENT: "environment", EXIT_INTERNAL: "error"}

#: errno values that will not go away by waiting a few seconds: not retried, exit 4 at once
_PERMANENT_ERRNO = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT,
                    errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG, errno.ELOOP}


@dataclass
class RefreshResult:
    run_id: str
    status: str                      # published | unchanged | failed
    exit_code: int
    message: str
    outcome: str = "ok"              # ok | blocked | bad_input | busy | environment | error
    rows: dict[str, int] = field(default_factory=dict)
    validation: str = "skipped"      # pass | warn | fail | skipped
    quarantined: int = 0
    sources_seen: int = 0
    sources_changed: int = 0
    sources_extracted: int = 0
    failed_rules: list[str] = field(default_factory=list)
    freshness_exit: int | None = None
    freshness: str | None = None     # pass | warn | error | unknown (None: not computed)
    publication: str | None = None
    prefect_flow_run: str | None = None  # flow run id when the refresh ran as a Prefect flow
    started_at: str = ""
    finished_at: str = ""
    notes: list[str] = field(default_factory=list)  # skipped, changed, repaired: joined into message
    recorded: bool = False           # a row for this run is in curated/runs.parquet
    detail: str = ""                 # traceback of an unexpected failure (printed with --debug only)

    def fail(self, exit_code: int, message: str) -> "RefreshResult":
        self.status, self.exit_code, self.message, self.outcome = "failed", exit_code, message, OUTCOME[exit_code]
        return self

    def as_json(self) -> dict:
        """The machine-readable form (refresh --json): schema_version, generated_at, run_id first."""
        body = {k: v for k, v in asdict(self).items() if k not in ("detail", "recorded", "run_id", "notes")}
        return {"schema_version": SCHEMA_VERSION, "generated_at": now().isoformat(), "run_id": self.run_id, **body}


def now() -> datetime:
    return datetime.now(timezone.utc)


def new_result(started: datetime) -> RefreshResult:
    from flows.publish.nodes import new_run_id

    return RefreshResult(run_id=new_run_id(started), status="failed", exit_code=EXIT_INTERNAL, message="",
                         outcome="error", started_at=started.isoformat())


# ----------------------------------------------------------------------------------------- errors

def classify(exc: BaseException) -> tuple[int, str]:
    """Exit code and one-line message for an exception that ended a refresh."""
    from flows.common.errors import EnvironmentFailure, IngestError, environment_cause
    from flows.publish.nodes import LockBusy

    if isinstance(exc, LockBusy):
        return EXIT_BUSY, str(exc)
    if isinstance(exc, IngestError):
        return EXIT_BAD_INPUT, str(exc)
    if isinstance(exc, EnvironmentFailure):
        return EXIT_ENVIRONMENT, str(exc)
    if isinstance(exc, OSError):
        cause = environment_cause(exc)
        if cause and getattr(exc, "filename", None):
            return EXIT_ENVIRONMENT, f"{exc.filename}: cannot write ({cause})"
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        reason = exc.strerror or str(exc) or type(exc).__name__
        return EXIT_ENVIRONMENT, f"environment failure{where}: {reason}"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return EXIT_INTERNAL, f"unexpected error: {type(exc).__name__}{': ' + text if text else ''}"


def is_transient(exc: BaseException) -> bool:
    """True for I/O errors worth retrying after a short wait; bad input, validation, disk full, read-only and
    permission errors are deterministic and fail at once."""
    from flows.common.errors import EnvironmentFailure, IngestError

    if isinstance(exc, (IngestError, EnvironmentFailure)) or not isinstance(exc, OSError):
        return False
    return exc.errno not in _PERMANENT_ERRNO


def fail_from(res: RefreshResult, exc: BaseException) -> RefreshResult:
    code, message = classify(exc)
    res.fail(code, message)
    if code == EXIT_INTERNAL or code == EXIT_ENVIRONMENT:
        res.detail = "".join(traceback.format_exception(exc))
    return res


# ------------------------------------------------------------------------------------------- lock

_held: dict[str, list[str]] = {}  # curated dir -> what taking its lock cleaned up
_held_guard = threading.Lock()


@contextmanager
def refresh_lock(curated: Path, wait_seconds: float = 0.0):
    """The curated/ lock, taken once per process: the CLI takes it before Prefect starts and the flow it then
    runs in the same process finds it held (flock locks are per open file, so re-taking it would deadlock).
    Yields what taking the lock removed (leftovers of a killed run), the same list to an inner holder."""
    from flows.publish import nodes as publish

    key = str(Path(curated).resolve())
    with _held_guard:
        inner = _held.get(key)
    if inner is not None:
        yield inner
        return
    with publish.refresh_lock(curated, wait_seconds) as cleaned:
        with _held_guard:
            _held[key] = list(cleaned or [])
        try:
            yield _held[key]
        finally:
            with _held_guard:
                _held.pop(key, None)


# ------------------------------------------------------------------------------------------ plan

@dataclass
class ChangePlan:
    unchanged: bool
    changes: list[str]               # '<source_id> (added|content|metadata|removed)'
    damage: list[str]                # what is wrong with the live publication (empty: it may be trusted)
    extractor_fingerprint: str
    live: dict

    @property
    def sources_changed(self) -> int:
        return len(self.changes)

    @property
    def notes(self) -> list[str]:
        out = []
        if self.damage:
            out.append("live publication damaged (" + "; ".join(self.damage) + "); republishing")
        if self.changes:
            out.append("changed: " + ", ".join(self.changes))
        return out


def source_fingerprint(docs) -> dict[str, str]:
    return {d.source_id: d.sha256 for d in docs}


def source_changes(docs, live: dict) -> list[str]:
    """'<source_id> (added|content|metadata|removed)' for every source that differs from the live publication."""
    prev, prev_meta = live.get("sources", {}), live.get("sources_meta", {})
    out = []
    for d in docs:
        if d.source_id not in prev:
            out.append(f"{d.source_id} (added)")
        elif prev[d.source_id] != d.sha256:
            out.append(f"{d.source_id} (content)")
        elif prev_meta.get(d.source_id) != d.meta_sha256:
            out.append(f"{d.source_id} (metadata)")
    present = {d.source_id for d in docs}  # (once: built per live source it took 2.8 s at 10,000 sources)
    out += [f"{sid} (removed)" for sid in prev if sid not in present]
    return out


def change_plan(docs, curated: Path, force: bool) -> ChangePlan:
    """Compare the sources (content hash and metadata) and the extraction fingerprint with the live
    publication, which is itself verified against its manifest first."""
    from flows.extract import cache as extract_cache
    from flows.publish import nodes as publish

    live, damage = publish.live_state(curated)
    live = live or {}
    changes = source_changes(docs, live)
    ref = extract_cache.reference_fingerprint()
    unchanged = bool(not force and live and not damage and not changes
                     and live.get("extractor_fingerprint") == ref)
    return ChangePlan(unchanged, changes, damage, ref, live)


def mark_unchanged(res: RefreshResult, plan: ChangePlan) -> None:
    live = plan.live
    res.status, res.exit_code, res.outcome = "unchanged", EXIT_OK, OUTCOME[EXIT_OK]
    res.message = f"no source changed since publication {live['run_id']}; nothing extracted or published"
    res.rows = {k: v["rows"] for k, v in live.get("tables", {}).items()}
    res.validation = "skipped"
    res.publication = live["run_id"]


# --------------------------------------------------------------------------------------- finish

def run_summary(res: RefreshResult, curated: Path, reports: Path) -> dict:
    """reports/run.json: what this run did (schema_version, generated_at, run_id like every JSON output)."""
    return {
        "schema_version": SCHEMA_VERSION, "generated_at": now().isoformat(),
        "run_id": res.run_id, "status": res.status, "outcome": res.outcome, "exit_code": res.exit_code,
        "message": res.message, "started_at": res.started_at, "rows": res.rows, "validation": res.validation,
        "quarantined": res.quarantined, "failed_rules": res.failed_rules,
        "sources_seen": res.sources_seen, "sources_changed": res.sources_changed,
        "sources_extracted": res.sources_extracted, "publication": res.publication,
        "prefect_flow_run": res.prefect_flow_run, "curated": str(curated), "reports": str(reports),
    }


def write_reports(res: RefreshResult, curated: Path, reports: Path, docs=None, results=None, outcome=None,
                  observations=None, as_of: date | None = None) -> None:
    """Every report (flows.report.site): the pages describe the live publication and a run that published
    nothing writes its own to reports/runs/<run_id>/; freshness of the live publication last, then the run
    summary and the index. Sets res.freshness_exit / res.freshness."""
    from flows.report.site import write_reports as write_site

    res.freshness_exit, res.freshness = write_site(Path(reports), Path(curated), run_summary(res, curated, reports),
                                                   docs, results, outcome, observations, as_of)


def record_run(res: RefreshResult, curated: Path) -> None:
    """Append this run to curated/runs.parquet when the history is writable (every outcome, busy included).
    A history that cannot be written is said in the message, never raised over the run's own outcome."""
    from flows.publish.runs import append_run

    if res.recorded:
        return
    res.finished_at = now().isoformat()
    try:
        append_run(curated, {
            "run_id": res.run_id, "started_at": datetime.fromisoformat(res.started_at),
            "finished_at": datetime.fromisoformat(res.finished_at), "status": res.status,
            "sources_seen": res.sources_seen, "sources_changed": res.sources_changed,
            "sources_extracted": res.sources_extracted, "rows_per_table": res.rows,
            "validation_outcome": res.validation, "quarantined_rows": res.quarantined, "message": res.message,
        })
        res.recorded = True
    except Exception as exc:  # noqa: BLE001 - the run's outcome stands; the history problem is reported with it
        code, why = classify(exc)
        res.message += f" (run history not written: {why})"
        if res.exit_code == EXIT_OK and code in (EXIT_ENVIRONMENT, EXIT_INTERNAL):
            res.fail(code, res.message)


def finish(res: RefreshResult, curated: Path, reports: Path, as_of: date | None, **produced) -> RefreshResult:
    """Write the reports (a report that cannot be written turns the run into an environment failure), then
    record the run. Used by the flow's report stage and by the Prefect-free paths alike."""
    if res.notes:  # what was skipped, changed or repaired: in the summary, the JSON and the run row
        res.message = "; ".join([m for m in [res.message] if m] + res.notes)
        res.notes = []
    try:
        write_reports(res, curated, reports, as_of=as_of, **produced)
    except Exception as exc:  # noqa: BLE001 - every failure ends as one line and an exit code
        published = res.status == "published"
        fail_from(res, exc)
        if published:
            res.message = f"published {res.publication}, but the reports were not written: {res.message}"
    record_run(res, curated)
    return res


# --------------------------------------------------------------------------------------- prefect

def prefect_api_url() -> str | None:
    """The Prefect API this process would report to: PREFECT_API_URL, else the active profile's setting in
    $PREFECT_HOME/profiles.toml (read without importing Prefect)."""
    url = os.environ.get("PREFECT_API_URL")
    if url:
        return url
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect")).expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH", home / "profiles.toml"))
    try:
        import tomllib

        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or data.get("active") or "ephemeral"
    return (data.get("profiles", {}).get(active, {}) or {}).get("PREFECT_API_URL") or None


# ------------------------------------------------------------------------------------------ entry

def refresh(raw: Path, curated: Path, reports: Path, as_of: date | None = None, force: bool = False,
            wait_seconds: float = 0.0, use_prefect: bool | None = None) -> RefreshResult:
    """A refresh as the CLI runs it (see the module docstring). use_prefect: True always runs the flow, False
    never decides for the server's sake, None (default) runs it when a Prefect API is configured."""
    on_server = use_prefect if use_prefect is not None else bool(prefect_api_url())
    # On a server the flow runs whatever the sources say, so Great Expectations' engine starts first: importing it
    # is the longest part of a cold refresh there, and what comes before the flow (importing polars and the
    # readers, taking the lock, reading raw/, comparing it with the live publication) took ~0.7 s. A refresh
    # that finds the lock busy or nothing changed stops it again.
    from flows.validate import gx_process  # (a process of its own: this one never imports GX)

    early_engine = on_server and _prewarm_engine()
    from flows.common.errors import IngestError
    from flows.ingest.nodes import ingest_sources
    from flows.publish.nodes import LockBusy

    raw, curated, reports = Path(raw), Path(curated), Path(reports)
    res = new_result(now())
    try:
        with refresh_lock(curated, wait_seconds) as cleaned:
            if on_server:
                # the flow decides (a run on the server appears there even when nothing changed); raw/ is read
                # here once, for the extraction to start early, and handed to the flow. A folder that cannot be
                # read is the flow's to report: it reads it again and fails the same way, as a flow run.
                try:
                    ingested = ingest_sources(raw)
                    plan = change_plan(ingested.docs, curated, force)
                except Exception:  # noqa: BLE001 - whatever it is, the flow meets it again and reports it
                    return _run_flow(raw, curated, reports, as_of, force, wait_seconds)
                if plan.unchanged and early_engine:
                    gx_process.stop()
                return _run_flow(raw, curated, reports, as_of, force, wait_seconds, start_workers=not plan.unchanged,
                                 ingested=ingested, plan=plan)
            if cleaned:  # (the flow says it itself when it runs)
                res.notes.append("removed what an earlier run left: " + ", ".join(cleaned))
            try:
                ingested = ingest_sources(raw)
            except IngestError as exc:
                fail_from(res, exc)
                return finish(res, curated, reports, as_of)
            res.notes += [f"skipped {w}" for w in ingested.warnings]
            res.sources_seen = len(ingested.docs)
            plan = change_plan(ingested.docs, curated, force)
            res.sources_changed = plan.sources_changed
            if plan.unchanged:
                res.notes += plan.notes
                mark_unchanged(res, plan)
                return finish(res, curated, reports, as_of)
            return _run_flow(raw, curated, reports, as_of, force, wait_seconds, start_workers=True,
                             ingested=ingested, plan=plan)
    except LockBusy as exc:
        if early_engine:
            gx_process.stop()
        fail_from(res, exc)
    except Exception as exc:  # noqa: BLE001 - every failure ends as one line and an exit code
        fail_from(res, exc)
    record_run(res, curated)
    return res


def _prewarm_engine() -> bool:
    """Start the Great Expectations engine now unless local Dask workers will have every core (see _run_flow;
    the flow starts it as their last batches run). A cluster at --dask-address leaves this machine's cores."""
    from flows import parallel
    from flows.validate import gx_process

    spread = parallel.current()
    if spread.enabled and not spread.address:
        return False
    gx_process.prewarm()
    return True


def _run_flow(raw, curated, reports, as_of, force, wait_seconds, start_workers: bool = False,
              ingested=None, plan: ChangePlan | None = None) -> RefreshResult:
    """The Prefect flow, in this process (it finds the lock held). ``start_workers``: there is extraction to do,
    so the local Dask workers of ``--workers N`` start now and warm up while Prefect starts (flows/parallel.py).
    ``ingested``/``plan``: raw/ as read under the lock and how it differs from the live publication; the flow
    takes that reading, and the documents to extract start on the extraction worker now."""
    from flows import api_server, parallel
    from flows.extract import budget
    from flows.validate import gx_process

    # Prefect's temporary API server (when no API is configured), Great Expectations and the extractors start in
    # processes of their own, on the other core, while this process imports Prefect
    api_server.start_early()
    if plan is None or not plan.unchanged:  # (nothing changed, on a server: the flow only records the run)
        spread = parallel.current()
        # with --workers the local Dask workers extract, on every core: the flow starts the engine as their last
        # batches run (parallel.extract_parallel's on_tail); a cluster at --dask-address leaves this machine's
        # cores to it
        if not spread.enabled or spread.address:
            gx_process.prewarm()
        ahead = []
        if ingested is not None and plan is not None:
            todo = _to_extract(ingested.docs, curated, force)
            ahead = todo[:head_start_share(len(todo), spread)]
        if ahead or not spread.enabled:
            budget.prewarm()
        if ahead:
            budget.extract_ahead(ahead, ingested.limits.extract_seconds)
    try:
        with parallel.LocalWorkers(parallel.current() if start_workers else parallel.Parallel()):
            from flows.settings import heavy_imports

            with heavy_imports():
                from flows.pipeline import run_refresh

            return run_refresh(raw, curated, reports, as_of=as_of, force=force, wait_seconds=wait_seconds,
                               ingested=ingested)
    finally:
        budget.forget_ahead()


def head_start_share(n: int, spread) -> int:
    """How many of the ``n`` documents to extract the refreshing process starts on before its flow exists: all
    of them for a sequential refresh (its one extraction process does them all anyway); with Dask workers
    (``spread``, flows/parallel.py) at most the share of one more worker, ``n // (workers + 1)``, taken from the
    front. The workers start and warm up in that time; the flow's extract stage takes what the head start
    finished and sends the other documents to them; a local cluster's head start goes on with the rest of its
    share beside the workers (it shares their cores), a remote cluster gets that rest too."""
    if not spread.enabled:
        return n
    return n // (spread.planned_workers + 1)


def _to_extract(docs, curated: Path, force: bool) -> list[tuple]:
    """(name, text, media_type, file_text) of the documents the extract task will extract: all with ``force``,
    else those without a cache entry (an entry that fails its check is extracted by the task itself)."""
    from flows.extract import cache as extract_cache

    where = extract_cache.directory(curated)
    return [(str(d.path), d.text, d.media_type, d.file_text) for d in docs
            if force or not extract_cache.entry_path(where, d.sha256).exists()]
