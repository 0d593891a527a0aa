"""A time budget per document for extraction: ``extract_within(text, seconds, name)``.

Extraction is pure Python and regular expressions; a pathological document (huge, or a shape that makes a
pattern backtrack) can run for a very long time, and a thread cannot be interrupted inside a regex. So each
document is extracted in a worker process (spawned once per refresh and reused) that is killed when the budget
runs out: the document is then reported and skipped, and the rest of the refresh goes on. The worker calls
``flows.extract.nodes.extract_text(text, media_type, file_text)`` exactly as the flow would; this module never changes what
extraction does, only how long it may take.
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Iterator
from concurrent.futures import CancelledError, Future, InvalidStateError

from flows.common.child import Child, ChildDied, ChildTimeout, Each, serve
from flows.extract.model import ExtractionResult

#: how long a fresh worker may take to start (import the extractors); not counted against any document
WORKER_START_SECONDS = 180.0

#: (name, text, media_type, file_text): one document to extract; the name is for messages only
Request = tuple[str, str, str, "str | None"]


class ExtractionTimeout(Exception):
    """Extraction of one document ran past its budget; the message names the document and the budget."""


class ExtractionWorkerDied(RuntimeError):
    """The worker process ended without answering (killed, out of memory)."""


def _setup() -> None:  # runs in the worker process
    from flows.settings import heavy_imports

    with heavy_imports():
        from flows.extract.nodes import extract_text

        # the extractors import and compile what they use on first use (~0.45 s): do it now, before the worker
        # says it is ready, so it is never counted against the first document's budget
        extract_text(_WARM_UP)


_WARM_UP = ("# Warm-up\n\nLakeside University charges $20,000 for its online M.S. in Data Science (30 credits).\n\n"
            "| School | Tuition | GRE |\n|---|---|---|\n| Harbor University | $31,000 | not required |\n")


def _extract_one(args: tuple) -> ExtractionResult:  # runs in the worker process
    from flows.extract.nodes import extract_text

    return extract_text(*args)


def _extract(request: list[tuple]) -> Each:  # runs in the worker process: one answer per document, in turn
    return Each(_extract_one, request)


def _serve() -> None:  # the worker process's entry (flows/common/child.py)
    serve(_extract, _setup)


class _Worker:
    """The worker process (flows/common/child.py). Its start is not counted against the first document's budget:
    the first request waits for the worker's imports first."""

    def __init__(self) -> None:
        self.child = Child("flows.extract.budget:_serve", "extraction worker", WORKER_START_SECONDS)

    def alive(self) -> bool:
        return self.child.alive()

    def close(self) -> None:
        self.child.close()


_lock = threading.Lock()
_worker: _Worker | None = None


def extract_each(requests: list[Request], seconds: float | None) -> Iterator[tuple[int, ExtractionResult | Exception]]:
    """Extract ``requests`` in order, each within ``seconds``, and yield ``(index, result)`` as each is done; a
    document that failed yields its exception instead: ExtractionTimeout (past its budget: the worker is killed
    and a fresh one goes on with the rest), ExtractionWorkerDied, or what extraction raised. The documents go to
    the worker in one request and come back one answer each (no round trip per document). ``seconds`` None
    extracts in this process without a budget (and raises what extraction raises)."""
    global _worker
    if seconds is None:
        from flows.extract.nodes import extract_text

        for i, (_, text, media_type, file_text) in enumerate(requests):
            yield i, extract_text(text, media_type, file_text)
        return
    i = 0
    while i < len(requests):
        with _lock:
            if _worker is None or not _worker.alive():
                _worker = _Worker()
            rest = [r[1:] for r in requests[i:]]
            try:
                for status, payload in _worker.child.each(rest, len(rest), seconds):
                    yield i, payload
                    i += 1
            except ChildTimeout:
                _worker = None
                yield i, ExtractionTimeout(f"{requests[i][0]}: extraction took longer than its {seconds:g} s budget "
                                           "(defaults.limits.extract_seconds in sources.yaml); skipped")
                i += 1
            except ChildDied as exc:
                _worker = None
                yield i, ExtractionWorkerDied(f"{requests[i][0]}: {exc}")
                i += 1


#: extractions started ahead (extract_ahead), by exactly what they extract
_ahead: dict[tuple, Future] = {}
#: the threads extracting ahead, each with the event that stops it
_ahead_runs: list[tuple[threading.Thread, threading.Event]] = []


def _key(text: str, media_type: str, file_text: str | None, seconds: float | None) -> tuple:
    return (text, media_type, file_text, seconds)


def extract_ahead(requests: list[Request], seconds: float | None) -> None:
    """Start extracting these documents now, one after another on the worker, and return at once.

    A refresh calls this as soon as it knows which documents need extracting, before it imports Prefect: the
    worker extracts while the refresh process starts its flow, and :func:`extract_within` then hands back the
    result (or raises what extracting it raised, e.g. the timeout) instead of extracting again;
    :func:`settle_ahead` takes what is done. Nothing changes in what is extracted or within which budget.
    ``seconds`` None (no budget: extraction runs in the caller) starts nothing."""
    if seconds is None or not requests:
        return
    todo: list[tuple[Future, Request]] = []
    for r in requests:
        key = _key(r[1], r[2], r[3], seconds)
        if key not in _ahead:
            _ahead[key] = Future()
            todo.append((_ahead[key], r))
    if not todo:
        return
    stop = threading.Event()

    def run() -> None:
        try:
            for i, got in extract_each([r for _, r in todo], seconds):
                if stop.is_set() and isinstance(got, Exception):
                    break  # (the worker was killed to stop: not this document's doing)
                try:
                    todo[i][0].set_exception(got) if isinstance(got, Exception) else todo[i][0].set_result(got)
                except InvalidStateError:  # cancelled meanwhile
                    pass
                if stop.is_set():
                    break
        except BaseException:  # noqa: BLE001 - whoever asks for a document not done extracts it again
            pass
        finally:
            for f, _ in todo:
                f.cancel()  # (a no-op on those done)

    thread = threading.Thread(target=run, name="gradfacts-extract-ahead", daemon=True)
    _ahead_runs.append((thread, stop))
    thread.start()


def settle_ahead() -> dict[tuple, Future]:
    """Stop extracting ahead now and return what was finished (by ``(text, media_type, file_text, seconds)``:
    futures holding a result or the exception it raised); forget the rest. A document still being extracted
    stops (the worker is killed; the next extraction starts a fresh one). Call it when nothing else in this
    process is extracting (the flow's extract task, the end of a refresh)."""
    runs = list(_ahead_runs)
    _ahead_runs.clear()
    for thread, stop in runs:
        stop.set()
    for thread, _ in runs:
        worker = _worker
        if thread.is_alive() and worker is not None:
            worker.child.kill()  # (its answer in the extract-ahead thread then ends the thread)
        thread.join()
    done = {k: f for k, f in _ahead.items() if f.done() and not f.cancelled()}
    _ahead.clear()
    return done


def forget_ahead() -> None:
    """Drop what :func:`extract_ahead` started and nobody asked for (the end of a refresh)."""
    settle_ahead()


def extract_within(text: str, seconds: float | None, name: str = "document", media_type: str = "text/plain",
                   file_text: str | None = None) -> ExtractionResult:
    """``extract_text(text)``, stopped after ``seconds`` (ExtractionTimeout naming ``name``).
    ``seconds`` None runs in this process without a budget."""
    pending = _ahead.pop(_key(text, media_type, file_text, seconds), None)
    if pending is not None:
        try:
            return pending.result()  # (or raises what extracting it raised)
        except CancelledError:
            pass  # stopped before it was done: extracted now
    ((_, got),) = list(extract_each([(name, text, media_type, file_text)], seconds))
    if isinstance(got, Exception):
        raise got
    return got


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
