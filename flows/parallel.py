"""Parallel extraction on Dask: `gradfacts refresh --workers N` (a local Dask cluster of N worker processes) or
`--dask-address tcp://host:8786` (an existing cluster, of one machine or many).

The flow still runs in the calling process; extraction is spread, and the report stage's source viewer pages
(flows.report.source_view; both through :func:`map_on_workers`). Cache hits are loaded in the flow and
never sent to a worker, nor are the documents of this process's own extraction process, which starts on them
while the workers start and the flow begins (the head start, flows/refresh.py ``head_start_share``: at most the
share of one more worker; with a local cluster it goes on with that share beside the workers, a remote one gets
what it has not finished); the documents left are cut into batches (a few per worker, by characters, so one task
carries many small documents and a large one travels alone) and each batch is one Prefect task run on the Dask
task runner (prefect-dask). Every document is extracted exactly as in a sequential refresh (the same
extraction and time budget, ``budget.extract_batch``), results are put back in the documents' order, so the tables are
identical. Pure helpers first; the Prefect/Dask parts import their libraries only when used.

Where the time of a parallel refresh went before (1,000 documents, 2 workers): ~26 s between ingest and the first
batch, each worker importing Prefect's task engine and starting its extraction-budget process when its first
batch arrived, then storing every cache entry in the flow after the last batch. So a local cluster is started
before the flow (``LocalWorkers``, from the CLI, while the flow process imports Prefect and starts its API), each
worker warms up as soon as it starts (``dask_setup``: this module is the workers' Dask preload), and the flow
stores a batch's cache entries while the next batches run. At 10,000 documents, the Dask workers themselves took
a sixth of the two cores (a request and an answer per document to their extraction processes, each result
decoded and encoded again): a worker now hands its batch over whole (``budget.extract_batch``) and passes the
results on as its extraction process pickled them (bench/RESULTS.md, "Extraction processes fed whole batches").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: a batch is at most this many characters and BATCH_DOCS documents (a larger document goes alone)
BATCH_CHARS = 8_000_000
BATCH_DOCS = 2_000
#: ... and at least this many characters (~0.1 s of extraction): a smaller batch is not worth a task (but every
#: worker gets one); each task costs ~0.2 s of Prefect and Dask bookkeeping and leaves its worker's extraction
#: process idle for ~0.3 s between batches
MIN_BATCH_CHARS = 100_000
#: batches per worker, at least: so one slow batch does not leave the others idle at the end, but few, for the
#: cost of each (10,000 documents on 2 workers: 6 batches made the extract stage 16.3-16.6 s, 10 batches
#: 16.2-17.2 s, in alternating runs)
BATCHES_PER_WORKER = 3


@dataclass(frozen=True, slots=True)
class Job:
    """What a worker needs to extract one document (not its offset map or metadata)."""

    source_id: str
    name: str          # the file, for messages
    text: str
    media_type: str
    file_text: str | None
    sha256: str = ""   # the file's, for its cache entry (none made without it)


@dataclass(frozen=True)
class Parallel:
    """How to spread extraction: ``workers`` local worker processes, or the cluster at ``address``."""

    workers: int = 1
    address: str | None = None

    @property
    def enabled(self) -> bool:
        return self.address is not None or self.workers > 1

    @property
    def planned_workers(self) -> int:
        """How many workers to plan for: ``workers``, or at least 2 on a cluster at ``address`` (whose size this
        process does not ask for)."""
        return max(2, self.workers) if self.address else self.workers


def parallel_from(workers: int | None, address: str | None) -> Parallel:
    """Validated settings (ValueError with a one-line reason on bad values)."""
    if workers is not None and workers < 1:
        raise ValueError(f"--workers must be at least 1, not {workers}")
    if address is not None and not address.strip():
        raise ValueError("--dask-address is empty")
    if address is not None and workers not in (None, 1):
        raise ValueError("give --workers or --dask-address, not both (the cluster at the address has its own workers)")
    return Parallel(workers=workers or 1, address=address.strip() if address else None)


def jobs_of(docs) -> list[Job]:
    """One Job per document (ingest's Document objects), in order."""
    return [Job(d.source_id, str(d.path), d.text, d.media_type, d.file_text, d.sha256) for d in docs]


def plan_batches(jobs: list[Job], workers: int, *, max_chars: int = BATCH_CHARS, max_docs: int = BATCH_DOCS,
                 per_worker: int = BATCHES_PER_WORKER, min_chars: int = MIN_BATCH_CHARS) -> list[list[Job]]:
    """Consecutive batches of ``jobs`` of about equal characters: ``per_worker`` per worker unless that makes
    them smaller than ``min_chars`` (but every worker gets one), more when a batch would pass ``max_chars`` or
    ``max_docs`` documents, and always a multiple of ``workers`` in number, so the workers run out of batches
    at about the same time (ten batches of 1,000 documents and an eleventh of 18 kept one of two workers busy
    alone for a whole batch). A document larger than a batch goes alone. Deterministic, order kept."""
    if not jobs:
        return []
    workers = max(1, workers)
    total = max(1, sum(len(j.text) for j in jobs))
    wanted = max(min(workers * per_worker, -(-total // min_chars)), workers)
    count = max(wanted, -(-total // max_chars), -(-len(jobs) // max_docs))
    count = min(len(jobs), -(-count // workers) * workers)
    share = total / count
    out: list[list[Job]] = []
    index, done = -1, 0
    for j in jobs:
        # the batch a document's middle character falls in: consecutive, about equal in characters
        at = min(count - 1, int((done + len(j.text) / 2) // share))
        if at != index or len(out[-1]) >= max_docs:
            out.append([])
            index = at
        out[-1].append(j)
        done += len(j.text)
    return out


def batch_frame(jobs: list[Job]):
    """A batch as a polars frame: what travels to a worker. Prefect walks lists and dataclasses looking for
    futures (and, on the Dask runner, hands ``quote``-wrapped arguments over still wrapped); a frame it passes
    as one value, and it ships as Arrow buffers."""
    import polars as pl

    return pl.DataFrame({"source_id": [j.source_id for j in jobs], "name": [j.name for j in jobs],
                         "text": [j.text for j in jobs], "media_type": [j.media_type for j in jobs],
                         "file_text": [j.file_text for j in jobs], "sha256": [j.sha256 for j in jobs]},
                        schema={"source_id": pl.Utf8, "name": pl.Utf8, "text": pl.Utf8, "media_type": pl.Utf8,
                                "file_text": pl.Utf8, "sha256": pl.Utf8})


def jobs_of_frame(frame) -> list[Job]:
    return [Job(**row) for row in frame.iter_rows(named=True)]


class Batch:
    """A batch as it travels to a worker: its ``batch_frame``, and a token naming its documents. Dask hashes a
    task's arguments for the task's key unless an argument names itself (``__dask_tokenize__``): hashing a
    frame pickles it (~0.08 s for 500 documents, in the flow's process, for every batch). Prefect passes an
    object of a plain class to the task as one value, as it does the frame."""

    __slots__ = ("frame", "token")

    def __init__(self, jobs: list[Job]) -> None:
        import hashlib

        self.frame = batch_frame(jobs)
        self.token = hashlib.sha256("\0".join(f"{j.source_id}:{j.sha256}" for j in jobs).encode()).hexdigest()

    def __dask_tokenize__(self) -> str:
        return self.token


def extract_jobs(batch: Batch, budget_seconds: float | None, hold: bool = False) -> tuple[dict, list[str], dict]:
    """Extract a batch, as a sequential refresh does each document (``budget.extract_batch``: the same
    extraction and time budget, the batch handed to the extraction process at once): {source_id: the
    ExtractionResult pickled (:func:`results_of` restores them)}, one line per document skipped for its time
    budget, and {source_id: its extraction-cache entry} (``cache.entry_text``, for the documents with a
    sha256; ``hold``: none, the worker keeps them for :func:`write_held`). Runs on a worker, which passes the
    results on as they came from its extraction process."""
    from flows.extract.budget import extract_batch

    jobs = jobs_of_frame(batch.frame)
    results, skipped, entries = {}, [], {}
    got_all = list(extract_batch([(j.name, j.text, j.media_type, j.file_text, j.sha256) for j in jobs],
                                 budget_seconds))  # (all of it: the extraction process is free again after)
    for j, got in zip(jobs, got_all, strict=True):
        if isinstance(got, str):
            skipped.append(got)
            continue
        results[j.source_id], entry = got
        if entry is not None and hold:
            _HELD.append((j.sha256, entry))
        elif entry is not None:
            entries[j.source_id] = entry
    return results, skipped, entries


#: the cache entries of this worker's batches, held until the flow has it write them (``hold``, local workers)
_HELD: list[tuple[str, str]] = []


def write_held(cache_dir: str) -> int:
    """Write the cache entries this worker holds into ``cache_dir`` (on its machine: local workers only) and
    forget them; how many. Runs on a worker."""
    from flows.extract.cache import write_entry

    held = _HELD[:]
    del _HELD[:]
    for sha256, entry in held:
        write_entry(Path(cache_dir), sha256, entry)
    return len(held)


#: the flow's requests to its local workers to write what they hold (entries_written waits for them)
_WRITING: list = []


def entries_written() -> None:
    """Wait until the local workers have written the cache entries they hold (:func:`extract_parallel` asked
    them to as extraction ended; the flow resolves meanwhile). Nothing to wait for after a sequential or remote
    extraction; raises what a write raised."""
    pending = _WRITING[:]
    del _WRITING[:]
    for future in pending:
        future.result()


def results_of(packed: dict) -> dict:
    """A batch's results as :func:`extract_jobs` returns them, unpickled (in the flow: the one place they
    are decoded)."""
    import pickle

    return {sid: pickle.loads(data) for sid, data in packed.items()}  # noqa: S301 - from our own workers


def tail_after(batches: int, workers: int) -> int:
    """After how many batch results (taken in order) fewer batches are left than there are workers: from then
    on a worker is idle (0: from the start)."""
    return max(0, batches - workers + 1)


def merge_batches(order: list[str], parts: list[tuple[dict, list[str]]], cached: dict) -> tuple[dict, list[str]]:
    """Cached results and the batches' results as one dict in the documents' ``order`` (the order a sequential
    refresh produces), plus every skipped line in batch order."""
    found = dict(cached)
    skipped: list[str] = []
    for res, sk in parts:
        found.update(res)
        skipped.extend(sk)
    return {sid: found[sid] for sid in order if sid in found}, skipped


def task_runner(p: Parallel):
    """The Prefect task runner for ``p``: a DaskTaskRunner on the cluster at ``p.address``, on the local cluster
    ``LocalWorkers`` started for these settings, or else on a local cluster of ``p.workers`` single-threaded
    worker processes it starts itself (extraction is pure Python: threads would share one core). None when
    extraction stays in this process."""
    if not p.enabled:
        return None
    from prefect_dask import DaskTaskRunner

    if p.address:
        return DaskTaskRunner(address=p.address)
    if _STARTED is not None and _STARTED.workers == p.workers:
        return DaskTaskRunner(address=_STARTED.address())
    return DaskTaskRunner(cluster_kwargs=_cluster_kwargs(p.workers))


#: Dask settings for a local cluster (set in this process: its scheduler and nannies live here, and each nanny
#: hands them to its worker). Distributed's defaults wake every server's event loop ~160 times a second for
#: things a refresh does not use: a statistical profiler sampling the running task every 10 ms (for a dashboard
#: not served here), an event-loop health tick every 20 ms, a memory monitor every 100 ms (for spilling; a batch
#: holds a few MB) and a system monitor every 500 ms. In the refreshing process those wake-ups take the GIL from
#: the flow's own thread for the whole refresh, resolve and report included.
QUIET_DASK = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "500ms",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.disk": False,
}


def _cluster_kwargs(workers: int) -> dict:
    import dask

    dask.config.set(QUIET_DASK)
    # preload: every worker imports this module at start and runs dask_setup (warm-up, below). No dashboard; the
    # scheduler still serves its health routes over HTTP, on port 8787 unless told otherwise (a second refresh
    # with --workers, or anything else there, made it warn "Port 8787 is already in use"): any free port, local
    return {"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None,
            "scheduler_kwargs": {"dashboard": False, "dashboard_address": "127.0.0.1:0"},
            "preload": [__name__]}


class LocalWorkers:
    """A local Dask cluster for ``--workers N``, started in a background thread *before* the flow, so its workers
    start and warm up (``dask_setup``) while this process imports Prefect and starts the flow: on a 2-core machine
    that start-up runs on one core and leaves the other to the workers. ``task_runner`` then uses it; it is
    closed on leaving the ``with``. Does nothing for sequential settings or a remote ``--dask-address``."""

    def __init__(self, p: Parallel) -> None:
        self.workers = p.workers
        self.enabled = p.enabled and not p.address
        self._cluster = None
        self._error: BaseException | None = None
        self._thread = None

    def __enter__(self) -> "LocalWorkers":
        global _STARTED
        if not self.enabled:
            return self
        import threading

        # imported here, in the calling thread: two threads importing overlapping packages can deadlock
        from distributed import LocalCluster

        def start() -> None:
            try:
                self._cluster = LocalCluster(**_cluster_kwargs(self.workers))
            except BaseException as exc:  # noqa: BLE001 - raised in the flow's thread by address()
                self._error = exc

        self._thread = threading.Thread(target=start, name="gradfacts-dask-start", daemon=True)
        self._thread.start()
        _STARTED = self
        return self

    def address(self) -> str:
        """The scheduler's address, once the cluster is up (waits for it; raises what stopped it)."""
        self._thread.join()
        if self._error is not None:
            raise RuntimeError(f"could not start {self.workers} local Dask workers: {self._error}") from self._error
        return self._cluster.scheduler_address

    def __exit__(self, *exc) -> None:
        global _STARTED
        if _STARTED is self:
            _STARTED = None
        if self._thread is not None:
            self._thread.join()
        if self._cluster is not None:
            try:
                self._cluster.close()
            except Exception:  # noqa: BLE001 - best effort: its processes end with this one anyway
                pass


_STARTED: LocalWorkers | None = None


#: what a worker's warm-up gives its extraction-budget process to start (it is reused for every document)
WARM_UP_SECONDS = 120.0


def dask_setup(worker) -> None:  # noqa: ARG001 - Dask's preload hook, called in each worker process at start
    """Warm a worker up in the background as soon as it starts: import Prefect's task engine (what running a
    batch's task needs) and start the extraction-budget process (it imports the extractors), instead of paying
    both when the first batch arrives."""
    import threading

    threading.Thread(target=_warm_up, name="gradfacts-warm-up", daemon=True).start()


def _warm_up() -> None:
    try:
        import prefect.task_engine  # noqa: F401

        from flows.extract.budget import extract_within

        extract_within("Warm-up.", WARM_UP_SECONDS, "warm-up")
    except Exception:  # noqa: BLE001 - a failed warm-up only means the first batch pays for it
        pass


def flow_named(name: str):
    """The refresh flow as a pickle restores it (``RefreshFlow.__reduce__``): the flow itself where its module is
    loaded (this process), else a flow of the same name that runs nothing. Prefect puts the flow into the
    context of every task it sends to a Dask worker, and a worker uses it only to name the flow in its log
    records; restoring the real one would import the whole pipeline there (its stages, pandera, pandas:
    ~1.2 s of CPU per worker, before its first batch, on cores the batches need)."""
    import sys

    pipeline = sys.modules.get("flows.pipeline")
    if pipeline is not None and pipeline.refresh_flow.name == name:
        return pipeline.refresh_flow
    from prefect import Flow

    return Flow(_runs_nothing, name=name, validate_parameters=False)


def _runs_nothing() -> None:
    raise RuntimeError("this is a stand-in for the refresh flow inside a Dask worker; it does not run")


# ------------------------------------------------------------------------------ settings for this process

#: `gradfacts refresh --workers N` / `--dask-address ADDR` set these; a deployment's environment may too
ENV_WORKERS, ENV_ADDRESS = "GRADFACTS_WORKERS", "GRADFACTS_DASK_ADDRESS"


def configure(p: Parallel) -> None:
    """Make ``p`` the setting of the refreshes this process runs (the CLI's options)."""
    import os

    os.environ.pop(ENV_WORKERS, None)
    os.environ.pop(ENV_ADDRESS, None)
    if p.address:
        os.environ[ENV_ADDRESS] = p.address
    elif p.workers > 1:
        os.environ[ENV_WORKERS] = str(p.workers)


def current() -> Parallel:
    """The setting from the environment (sequential when unset); ValueError naming the variable if malformed."""
    import os

    raw = os.environ.get(ENV_WORKERS)
    try:
        workers = int(raw) if raw else None
    except ValueError:
        raise ValueError(f"{ENV_WORKERS}={raw!r} is not a number of workers") from None
    return parallel_from(workers, os.environ.get(ENV_ADDRESS) or None)


# ------------------------------------------------------------------------------ inside the flow

def map_on_workers(fn, items: list, *args, name: str):
    """``fn(item, *args)`` for each item on the running flow's Dask task runner, each a Prefect task run named
    ``name`` when the flow itself calls this (inside a task, a plain Dask call: below); an iterator of the
    results in the items' order (a result is ready while later ones run). The one way a stage spreads its
    batches (extraction, the source viewer's pages). Items should be what Prefect passes as one value (frames,
    plain objects with ``__dask_tokenize__``), not lists of objects."""
    from prefect.context import FlowRunContext, TaskRunContext

    if TaskRunContext.get() is not None:
        # Called inside a stage's task (the report): Prefect ships the submitting task's context, its parameters
        # included (the documents and their results, quoted: ~45 MB and ~9 s per submission at 3,000
        # documents), with every task run it submits from there. So these go to the runner's Dask client as
        # plain calls: one future per item, no task run of their own (the stage's task run covers them).
        import uuid

        client = FlowRunContext.get().task_runner.client
        futures = [client.submit(fn, item, *args, key=f"{name}-{uuid.uuid4().hex}", pure=False) for item in items]
    else:
        task = _task_of(fn, name)
        futures = [task.submit(item, *args) for item in items]
    return (f.result() for f in futures)


def _task_of(fn, name: str):
    from prefect import task
    from prefect.cache_policies import NO_CACHE

    key = (fn, name)
    if key not in _TASKS:
        _TASKS[key] = task(fn, name=name, cache_policy=NO_CACHE)
    return _TASKS[key]


_TASKS: dict = {}


def worker_count() -> int:
    """How many workers the running flow spreads batches over: the ``Parallel`` setting's planned workers when
    the flow runs on a Dask task runner, else 1 (a sequential refresh, or no flow at all)."""
    p = current()
    if not p.enabled:
        return 1
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    runner = ctx.task_runner if ctx is not None else None
    return p.planned_workers if type(runner).__name__ == "DaskTaskRunner" else 1


def extract_parallel(docs, cache_dir: Path, budget_seconds: float | None, force: bool, p: Parallel,
                     notes: list[str] | None = None, on_tail=None) -> tuple[dict, list[str], list[str]]:
    """What the flow's extract task returns (results by source id in the documents' order, the ids extracted,
    the skipped lines), with the documents that are not cache hits extracted in batches on the flow's Dask task
    runner. Cache hits are loaded here and never sent to a worker, nor are the documents the head start finished
    (``budget.take_ahead``; flows/refresh.py ``head_start_share``) or, on a local cluster, has yet to reach (it
    goes on with them beside the workers); new results' cache entries are written here, or by local workers
    after extraction (:func:`entries_written`). ``on_tail``:
    called once, as soon as fewer batches are left than there are workers (a core of a local cluster is free:
    the flow starts the Great Expectations engine there, instead of beside resolution)."""
    from prefect import get_run_logger

    from flows.extract import budget
    from flows.extract import cache as extract_cache

    log = get_run_logger()
    # On a local cluster the head start keeps the documents of its share it has not reached yet and goes on
    # beside the workers (this machine's cores are theirs too; it already runs, so no core waits while the
    # first batches reach the workers); a remote cluster gets all of them.
    keep = not p.address
    del _WRITING[:]  # (what an earlier refresh in this process left: its flow ended before waiting)
    cached, ahead, ahead_skipped, todo, kept = {}, {}, [], [], []
    for doc in docs:
        hit = None if force else extract_cache.load(cache_dir, doc.sha256, doc.text)
        if hit is not None:
            cached[doc.source_id] = hit
            continue
        try:  # finished by the head start (flows/refresh.py) while the workers started: not sent to them
            hit = budget.take_ahead(doc.text, budget_seconds, doc.media_type, doc.file_text)
        except budget.ExtractionTimeout as exc:
            ahead_skipped.append(str(exc))
            continue
        if hit is not None:
            ahead[doc.source_id] = hit
        elif keep and budget.pending_ahead(doc.text, budget_seconds, doc.media_type, doc.file_text):
            kept.append(doc)
        else:
            todo.append(doc)
    if not kept:
        _stop_head_start()
    batches = plan_batches(jobs_of(todo), p.planned_workers)
    where = (f"extract: {len(cached)} cached, {len(ahead) + len(ahead_skipped) + len(kept)} by the head start, "
             f"{len(todo)} to extract in {len(batches)} batches on "
             + (p.address or f"{p.workers} local Dask workers"))
    log.info("%s", where)
    if notes is not None:
        notes.append(where)
    # local workers keep their entries and write them once extraction is over, while the flow resolves (a core
    # is half idle then; in the extract stage the flow writing them took ~1 core-s from extraction)
    running = map_on_workers(extract_jobs, [Batch(b) for b in batches], budget_seconds, keep,
                             name="extract-batch")
    by_id = {d.source_id: d for d in todo}
    docs_by_id = {d.source_id: d for d in docs}
    for sid, hit in ahead.items():  # (stored while the workers extract: ~1 ms each)
        extract_cache.store(cache_dir, docs_by_id[sid].sha256, hit, docs_by_id[sid].text)

    def store_ahead(wait: bool) -> None:  # the kept documents the head start has finished (all: ``wait``)
        while kept and (wait or not budget.pending_ahead(kept[0].text, budget_seconds, kept[0].media_type,
                                                         kept[0].file_text)):
            doc = kept.pop(0)
            try:
                hit = budget.extract_within(doc.text, budget_seconds, str(doc.path), doc.media_type, doc.file_text)
            except budget.ExtractionTimeout as exc:
                ahead_skipped.append(str(exc))
                continue
            ahead[doc.source_id] = hit
            extract_cache.store(cache_dir, doc.sha256, hit, doc.text)

    store_ahead(wait=False)
    parts = []
    tail = tail_after(len(batches), p.planned_workers)
    if on_tail is not None and tail == 0:
        on_tail()
    for res, skipped_here, entries in running:  # in order: a batch's entries are written while later ones run
        parts.append((results_of(res), skipped_here))
        if on_tail is not None and len(parts) == tail:
            on_tail()
        for sid, entry in entries.items():
            extract_cache.write_entry(cache_dir, by_id[sid].sha256, entry)
        store_ahead(wait=False)
    store_ahead(wait=True)
    _stop_head_start()
    results, skipped = merge_batches([d.source_id for d in docs], [(ahead, ahead_skipped), *parts], cached)
    extracted = [sid for sid in results if sid in by_id or sid in ahead]
    for line in skipped:
        log.warning("%s", line)
    _stop_budget_workers()
    if keep and batches:
        _write_held_on_workers(cache_dir)
    return results, extracted, skipped


def _write_held_on_workers(cache_dir: Path) -> None:
    """Ask every worker of the flow's local cluster to write the entries it holds (``write_held``), without
    waiting: :func:`entries_written` does."""
    import uuid

    from prefect.context import FlowRunContext

    client = FlowRunContext.get().task_runner.client
    where = str(Path(cache_dir).resolve())  # (the workers' working folder is this process's, but say it whole)
    for address in client.scheduler_info()["workers"]:
        _WRITING.append(client.submit(write_held, where, key=f"cache-entries-{uuid.uuid4().hex}",
                                      workers=[address], allow_other_workers=False, pure=False))


def _stop_head_start() -> None:
    """This process extracts nothing more in this refresh: drop what its head start has not done (the documents
    were given to the workers) and stop its extraction process, which leaves the core to them."""
    from flows.extract import budget

    budget.forget_ahead()
    budget.shutdown()


def _stop_budget_workers() -> None:
    """Each Dask worker keeps an extraction-budget process for its batches; stop them now, so the cluster
    closes at once (a worker still holding one is killed by its nanny after a few seconds, with a warning)."""
    try:
        from prefect.context import FlowRunContext

        FlowRunContext.get().task_runner.client.run(_shutdown_budget)
    except Exception:  # noqa: BLE001 - best effort: the cluster's own shutdown ends them anyway
        pass


def _shutdown_budget() -> None:
    from flows.extract.budget import shutdown

    shutdown()
