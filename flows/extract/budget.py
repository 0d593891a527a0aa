"""A time budget per document for extraction: ``extract_within(text, seconds, name)``.

Extraction is pure Python and regular expressions; a pathological document (huge, or a shape that makes a
pattern backtrack) can run for a very long time, and a thread cannot be interrupted inside a regex. So each
document is extracted in a worker process (spawned once per refresh and reused) that is killed when the budget
runs out: the document is then reported and skipped, and the rest of the refresh goes on. The worker calls
``flows.extract.nodes.extract_text(text, media_type, file_text)`` exactly as the flow would; this module never changes what
extraction does, only how long it may take. A Dask worker hands its whole batch over at once
(``extract_batch``): the worker answers each document as soon as it is done, with the same budget each.
"""

from __future__ import annotations

import atexit
import pickle
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from flows.common.child import Child, ChildDied, ChildTimeout, serve
from flows.extract.model import ExtractionResult

#: how long a fresh worker may take to start (import the extractors); not counted against any document
WORKER_START_SECONDS = 180.0


class ExtractionTimeout(Exception):
    """Extraction of one document ran past its budget; the message names the document and the budget."""


class ExtractionWorkerDied(RuntimeError):
    """The worker process ended without answering (killed, out of memory)."""


def _setup() -> None:  # runs in the worker process
    from flows.settings import heavy_imports

    with heavy_imports():
        import flows.extract.nodes  # noqa: F401 - the extractors, imported before the worker says it is ready


def _extract(request: tuple) -> ExtractionResult | tuple[bytes, str | None]:  # runs in the worker process
    from flows.extract.nodes import extract_text

    if len(request) == 3:
        return extract_text(*request)
    return _packed(*request)


def _packed(text: str, media_type: str, file_text: str | None, sha256: str) -> tuple[bytes, str | None]:
    """A document's extraction as :func:`extract_batch` hands it on: the result pickled, and its cache entry
    (``cache.entry_text``; None without a sha256). Made where the result is made, so that whoever passes it
    on (a Dask worker) never decodes and re-encodes it."""
    from flows.extract.cache import entry_text
    from flows.extract.nodes import extract_text

    result = extract_text(text, media_type, file_text)
    return (pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL),
            entry_text(sha256, result, text) if sha256 else None)


def _serve() -> None:  # the worker process's entry (flows/common/child.py)
    serve(_extract, _setup)


class _Worker:
    """The worker process (flows/common/child.py). Its start is not counted against the first document's budget:
    the first request waits for the worker's imports first."""

    def __init__(self) -> None:
        self.child = Child("flows.extract.budget:_serve", "extraction worker", WORKER_START_SECONDS)

    def run(self, text: tuple, seconds: float) -> ExtractionResult:
        try:
            return self.child.request(text, seconds)
        except ChildTimeout:
            raise ExtractionTimeout(seconds) from None
        except ChildDied as exc:
            raise ExtractionWorkerDied(str(exc)) from None

    def alive(self) -> bool:
        return self.child.alive()

    def close(self) -> None:
        self.child.close()


_lock = threading.Lock()
_worker: _Worker | None = None


#: extractions started ahead (extract_ahead), by exactly what they extract
_ahead: dict[tuple, Future] = {}


def extract_ahead(requests: list[tuple[str, str, str, str | None]], seconds: float | None) -> None:
    """Start extracting these documents now, one after another on the worker, and return at once.

    ``requests``: (name, text, media_type, file_text) of each. A refresh calls this as soon as it knows which
    documents need extracting, before it imports Prefect: the worker extracts while the refresh process starts
    its flow, and :func:`extract_within` then hands back the result (or raises what extracting it raised, e.g.
    the timeout) instead of extracting again. Nothing changes in what is extracted or within which budget.
    ``seconds`` None (no budget: extraction runs in the caller) starts nothing."""
    if seconds is None or not requests:
        return
    pool = ThreadPoolExecutor(1, thread_name_prefix="gradfacts-extract-ahead")
    for name, text, media_type, file_text in requests:
        key = (text, media_type, file_text, seconds)
        if key not in _ahead:
            _ahead[key] = pool.submit(_extract_now, text, seconds, name, media_type, file_text)
    pool.shutdown(wait=False)


def take_ahead(text: str, seconds: float | None, media_type: str = "text/plain", file_text: str | None = None
               ) -> ExtractionResult | None:
    """The result of this document's extraction started by :func:`extract_ahead` if it is done (or what it raised,
    e.g. ExtractionTimeout), else None: it was not started ahead, or it is still waiting or running (the caller
    extracts it elsewhere; :func:`forget_ahead` then drops it). A ``--workers`` refresh takes what the head start
    finished and sends only the rest to its Dask workers."""
    key = (text, media_type, file_text, seconds)
    pending = _ahead.get(key)
    if pending is None or not pending.done() or pending.cancelled():
        return None
    del _ahead[key]
    return pending.result()


def pending_ahead(text: str, seconds: float | None, media_type: str = "text/plain", file_text: str | None = None
                  ) -> bool:
    """Whether :func:`extract_ahead` started this document and has not finished it yet (it is queued or being
    extracted): :func:`extract_within` would wait for it."""
    pending = _ahead.get((text, media_type, file_text, seconds))
    return pending is not None and not pending.done()


def forget_ahead() -> None:
    """Drop what :func:`extract_ahead` started and nobody asked for (the end of a refresh). A document still
    being extracted for nobody stops now: the worker is killed (the next extraction starts a fresh one)."""
    running = [p for p in _ahead.values() if not p.cancel()]
    _ahead.clear()
    worker = _worker
    if worker is not None and any(not p.done() for p in running):
        worker.child.kill()  # (its request in the extract-ahead thread then ends with ExtractionWorkerDied)


def extract_within(text: str, seconds: float | None, name: str = "document", media_type: str = "text/plain",
                   file_text: str | None = None) -> ExtractionResult:
    """``extract_text(text)``, stopped after ``seconds`` (ExtractionTimeout naming ``name``).
    ``seconds`` None runs in this process without a budget."""
    pending = _ahead.pop((text, media_type, file_text, seconds), None)
    if pending is not None and not pending.cancelled():
        return pending.result()
    return _extract_now(text, seconds, name, media_type, file_text)


def _extract_now(text: str, seconds: float | None, name: str, media_type: str, file_text: str | None
                 ) -> ExtractionResult:
    global _worker
    if seconds is None:
        from flows.extract.nodes import extract_text

        return extract_text(text, media_type, file_text)
    with _lock:
        if _worker is None or not _worker.alive():
            _worker = _Worker()
        try:
            return _worker.run((text, media_type, file_text), seconds)
        except ExtractionTimeout:
            _worker = None
            raise ExtractionTimeout(_over_budget(name, seconds)) from None
        except ExtractionWorkerDied as exc:
            _worker = None
            raise ExtractionWorkerDied(f"{name}: {exc}") from None


def extract_batch(jobs: list[tuple[str, str, str, str | None, str]], seconds: float | None
                  ) -> Iterator[tuple[bytes, str | None] | str]:
    """Extract many documents, each within its own ``seconds``, exactly as :func:`extract_within` does one.

    ``jobs``: (name, text, media_type, file_text, sha256) of each. Yields, in order, per document either
    ``(pickled ExtractionResult, cache entry or None)`` (``_packed``) or, for one that ran past its budget, the
    line saying it was skipped (ExtractionTimeout's message). The worker gets all the documents at once and
    answers each as soon as it is done (flows/common/child.py ``Child.answers``), so it never waits for its
    caller between documents; a document that runs out of time kills the worker and the rest go to a fresh one.
    An error other than the budget's is raised, as :func:`extract_within` raises it."""
    global _worker
    if seconds is None:
        for _, text, media_type, file_text, sha256 in jobs:
            yield _packed(text, media_type, file_text, sha256)
        return
    start = 0
    while start < len(jobs):
        with _lock:
            if _worker is None or not _worker.alive():
                _worker = _Worker()
            worker = _worker
        rest = jobs[start:]
        try:
            for status, payload in worker.child.answers([j[1:] for j in rest], seconds):
                if status == "error":
                    raise payload
                start += 1
                yield payload
        except ChildTimeout as exc:
            with _lock:
                _worker = None
            yield _over_budget(rest[exc.index][0], seconds)
            start += 1
        except ChildDied as exc:
            with _lock:
                _worker = None
            raise ExtractionWorkerDied(f"{jobs[start][0]}: {exc}") from None


def _over_budget(name: str, seconds: float) -> str:
    return (f"{name}: extraction took longer than its {seconds:g} s budget "
            "(defaults.limits.extract_seconds in sources.yaml); skipped")


def prewarm() -> None:
    """Start the worker now (a refresh with documents to extract does, before it imports Prefect), so that the
    extractors are imported in the worker while the refresh goes on."""
    global _worker
    with _lock:
        if _worker is None or not _worker.alive():
            _worker = _Worker()


def shutdown() -> None:
    """Stop the worker (called at exit; a refresh may call it when done)."""
    global _worker
    with _lock:
        if _worker is not None:
            _worker.close()
            _worker = None


atexit.register(shutdown)
