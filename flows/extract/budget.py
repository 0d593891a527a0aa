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
import os
import pickle
import select
import struct
import subprocess
import sys
import threading

from flows.extract.model import ExtractionResult

#: how long a fresh worker may take to start (import the extractors); not counted against any document
WORKER_START_SECONDS = 180.0


class ExtractionTimeout(Exception):
    """Extraction of one document ran past its budget; the message names the document and the budget."""


class ExtractionWorkerDied(RuntimeError):
    """The worker process ended without answering (killed, out of memory)."""


# The worker is a plain `python -c` child talking length-prefixed pickles over its stdin/stdout (not
# multiprocessing: its spawn re-imports the caller's __main__, and fork is unsafe in a threaded process).

def _send(fh, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    fh.write(struct.pack("<Q", len(data)) + data)
    fh.flush()


def _recv(fh):
    head = fh.read(8)
    if len(head) < 8:
        raise EOFError
    (n,) = struct.unpack("<Q", head)
    data = fh.read(n)
    if len(data) < n:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 - our own child process


def _serve() -> None:  # runs in the worker process
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # anything an extractor prints must not corrupt the channel
    from flows.extract.nodes import extract_text

    _send(out, ("ready", None))
    while True:
        try:
            text = _recv(inp)
        except EOFError:
            return
        if text is None:
            return
        try:
            reply = ("ok", extract_text(*text))
        except Exception as exc:  # noqa: BLE001 - handed back to the caller, which raises it
            reply = ("error", exc)
        try:
            _send(out, reply)
        except Exception:  # noqa: BLE001 - an unpicklable exception: send its text
            _send(out, ("error", RuntimeError(f"{type(reply[1]).__name__}: {reply[1]}")))


class _Worker:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from flows.extract.budget import _serve; _serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            cwd=os.getcwd())
        if not self._wait(WORKER_START_SECONDS):
            self.kill()
            raise ExtractionWorkerDied(f"the extraction worker did not start within {WORKER_START_SECONDS:g} s")
        try:
            _recv(self.proc.stdout)
        except EOFError:
            self.kill()
            raise ExtractionWorkerDied("the extraction worker could not start") from None

    def _wait(self, seconds: float) -> bool:
        ready, _, _ = select.select([self.proc.stdout], [], [], seconds)
        return bool(ready)

    def run(self, text: tuple, seconds: float) -> ExtractionResult:
        try:
            _send(self.proc.stdin, text)
        except (BrokenPipeError, OSError):
            self.kill()
            raise ExtractionWorkerDied("the extraction worker is gone") from None
        if not self._wait(seconds):
            self.kill()
            raise ExtractionTimeout(seconds)
        try:
            status, payload = _recv(self.proc.stdout)
        except EOFError:
            self.kill()
            raise ExtractionWorkerDied("the extraction worker ended without an answer") from None
        if status == "error":
            raise payload
        return payload

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        for fh in (self.proc.stdin, self.proc.stdout):
            try:
                fh.close()
            except OSError:
                pass

    def close(self) -> None:
        try:
            if self.proc.poll() is None:
                _send(self.proc.stdin, None)
                self.proc.wait(2)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        self.kill()


_lock = threading.Lock()
_worker: _Worker | None = None


def extract_within(text: str, seconds: float | None, name: str = "document", media_type: str = "text/plain",
                   file_text: str | None = None) -> ExtractionResult:
    """``extract_text(text)``, stopped after ``seconds`` (ExtractionTimeout naming ``name``).
    ``seconds`` None runs in this process without a budget."""
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
            raise ExtractionTimeout(f"{name}: extraction took longer than its {seconds:g} s budget "
                                    "(defaults.limits.extract_seconds in sources.yaml); skipped") from None
        except ExtractionWorkerDied as exc:
            _worker = None
            raise ExtractionWorkerDied(f"{name}: {exc}") from None


def shutdown() -> None:
    """Stop the worker (called at exit; a refresh may call it when done)."""
    global _worker
    with _lock:
        if _worker is not None:
            _worker.close()
            _worker = None


atexit.register(shutdown)
