"""Great Expectations in a process of its own, started before validation needs it.

Importing Great Expectations is the largest fixed cost of a refresh: about 2.6 s of a 9 s cold refresh of raw/
(`python -X importtime`: its expectation modules, scipy.stats, pandas, pydantic v1 models), all of it on the
critical path when it happened inside the validate task. Here it happens in a child process
(flows/common/child.py), on the machine's other core, while the refresh imports Prefect, ingests, extracts and
resolves: :func:`prewarm` starts it as a refresh begins. Validation and the quality report talk to it through
:class:`RemoteSession`, which has the interface of :class:`flows.validate.gx_suites.GXSession` (``run``,
``build_data_docs``, ``outcomes``, ``severities``); the child runs that very class, so GX's results are the same
as they were in-process. The parent never imports Great Expectations.

Requests: ``("start", run_id)``, ``("run", run_id, suite, frame, scope)``, ``("docs", run_id, out_dir)``. The
child keeps the latest run's session (its GX context holds the suites and results the Data Docs are built from).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from flows.common import imports
from flows.common.child import Child

#: how long the engine may take to import Great Expectations (~30 s on a cold disk without compiled bytecode)
START_SECONDS = 300.0

_engine: Child | None = None
_guard = threading.Lock()


def engine() -> Child:
    """This process's engine, started now if :func:`prewarm` did not start it (or it ended)."""
    global _engine
    with _guard:
        if _engine is None or not _engine.alive():
            _engine = Child("flows.validate.gx_process:_serve", "Great Expectations engine process", START_SECONDS)
            atexit.register(_engine.close)
        return _engine


def prewarm() -> None:
    """Start the engine now, so that Great Expectations is imported on another core while the refresh goes on."""
    engine()


def stop() -> None:
    """End the engine if one runs (a refresh that started it early and then found nothing to validate): one
    still importing is killed, so it does not take the other core from the rest of the run."""
    global _engine
    with _guard:
        if _engine is not None:
            _engine.close()
            _engine = None


class RemoteSession:
    """A GX session (one ephemeral context for one validation run) that lives in the engine process."""

    def __init__(self, run_id: str):
        self.run_id = run_id
        self._engine = engine()
        self._call("start", run_id)
        #: suite name -> "pass" | "warn" | "fail"; suite name -> {description: severity} (see GXSession)
        self.outcomes: dict[str, str] = {}
        self.severities: dict[str, dict[str, str]] = {}
        self._docs: tuple[Path, Future] | None = None  # Data Docs being built ahead (prepare_data_docs)

    def _call(self, *request):
        return self._engine.request(request)  # (one at a time: Child.request takes turns)

    def run(self, suite, df, *, scope: str) -> list:
        from flows.validate.gx_suites import columns_used

        # only what the engine reads crosses the pipe: the observations of 10,000 documents pickled to 91 MB
        # whole, twice a run (their quotes and values); a frame keeps one column, so it keeps its rows
        df = df.select(columns_used(suite, df.columns, scope) or df.columns[:1])
        results, self.outcomes, self.severities = self._call("run", self.run_id, suite, df, scope)
        return results

    def prepare_data_docs(self) -> None:
        """Start building the Data Docs now, in the engine, into a scratch folder, and return at once: the engine
        renders them (~0.4 s for raw/) while this process publishes and writes the other pages. The next
        :meth:`build_data_docs` moves them into place."""
        if self._docs is not None:
            return
        sweep_scratch(Path(tempfile.gettempdir()))
        scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-")) / "quality"
        atexit.register(shutil.rmtree, scratch.parent, True)  # (gone already when the docs were moved)
        pool = ThreadPoolExecutor(1, thread_name_prefix="gradfacts-data-docs")
        self._docs = (scratch, pool.submit(self._call, "docs", self.run_id, scratch))
        pool.shutdown(wait=False)

    def build_data_docs(self, out_dir: Path) -> Path | None:
        """The Data Docs in ``out_dir`` (replacing what is there); the index page, or None when GX built none."""
        out_dir = Path(out_dir)
        if self._docs is None:
            return self._call("docs", self.run_id, out_dir)
        (scratch, pending), self._docs = self._docs, None
        try:
            index = pending.result()  # (raises what the engine raised)
            if index is None:
                return None
            if out_dir.exists():
                shutil.rmtree(out_dir)
            out_dir.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(scratch, out_dir)  # a rename when the temporary folder is on the same file system
            return out_dir / Path(index).relative_to(scratch)
        finally:
            shutil.rmtree(scratch.parent, ignore_errors=True)


#: Data Docs are built ahead into <temp>/gradfacts-data-docs-<pid>-<random>/ (removed at exit, or when moved)
SCRATCH_PREFIX = "gradfacts-data-docs-"


def sweep_scratch(tmp: Path) -> list[Path]:
    """Remove the Data Docs scratch folders in ``tmp`` left by refreshes that were killed (their process, named
    in the folder, is gone: a killed process runs no atexit); the removed folders. Folders of running processes,
    and ones whose name does not parse, are left alone."""
    removed = []
    for d in tmp.glob(f"{SCRATCH_PREFIX}*-*"):
        pid = d.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if not pid.isdigit() or not d.is_dir() or _alive(int(pid)):
            continue
        shutil.rmtree(d, ignore_errors=True)
        removed.append(d)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # (another user's process)
        return True
    return True


# ------------------------------------------------------------------------------------------- child

_sessions: dict = {}


#: modules Great Expectations imports at start-up for expectations gradfacts' suites never use, loaded only if
#: something reads them (flows/common/imports.py). scipy.stats (~0.9 s of the engine's ~2.9 s start): imported at
#: module level by the KL-divergence and KS-test expectations and metrics, used only inside them. altair (~0.15-0.25
#: s): imported at module level by the KL-divergence expectation alone, for its charts.
DEFERRED_MODULES = ("scipy.stats", "altair")

#: packages the engine acts as if they were not installed. sqlalchemy (~0.5 s of the engine's start, measured by
#: CPU time side by side): an optional dependency of Great Expectations (its SQL extras), which it imports when
#: present for its SQL data sources and metrics, and runs without (great_expectations/compatibility/sqlalchemy.py).
#: gradfacts validates pandas frames only. (It is installed: Prefect's server needs it.)
HIDDEN_PACKAGES = ("sqlalchemy",)

#: modules of Great Expectations the engine stubs (flows/common/imports.py): its Spark data sources (~0.35 s of the
#: engine's ~2.1 s start, `-X importtime`: pydantic v1 models of every Spark file format, defined at import).
#: Only ``great_expectations.datasource.fluent`` imports them, to read their classes' names; gradfacts validates
#: pandas frames (``add_pandas``), and a Spark data source made by mistake raises, naming the stub.
STUBBED_MODULES = tuple(f"great_expectations.datasource.fluent.{m}" for m in (
    "spark_datasource", "spark_file_path_datasource", "spark_filesystem_datasource", "spark_dbfs_datasource",
    "spark_s3_datasource", "spark_google_cloud_storage_datasource", "spark_azure_blob_storage_datasource"))


def _setup() -> None:  # in the engine process: what it is for
    import signal

    from flows.settings import configure_environment, heavy_imports

    configure_environment()
    # Ctrl-C reaches the whole process group: the parent handles it; this child ends when its stdin closes
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    imports.hide(HIDDEN_PACKAGES)
    imports.defer(DEFERRED_MODULES)
    imports.stub(STUBBED_MODULES)
    with heavy_imports():
        from flows.validate.gx_suites import GXSession

        GXSession.warm_up()


def _handle(request: tuple):  # in the engine process
    from flows.validate.gx_suites import GXSession

    op, run_id = request[0], request[1]
    if op == "start":
        _sessions.clear()
        _sessions[run_id] = GXSession(run_id)
        return None
    session = _sessions[run_id]
    if op == "run":
        _, _, suite, df, scope = request
        return session.run(suite, df, scope=scope), session.outcomes, session.severities
    if op == "docs":
        return session.build_data_docs(request[2])
    raise ValueError(f"unknown request {op!r}")


def _serve() -> None:  # the engine process's entry (flows/common/child.py)
    from flows.common.child import serve

    serve(_handle, _setup)
