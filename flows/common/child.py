"""A long-lived child Python process that answers requests: how gradfacts runs work in a process of its own.

Two parts of a refresh use it: the extraction worker (flows/extract/budget.py: a document's extraction can be
stopped by killing the worker when its time budget runs out) and the Great Expectations engine
(flows/validate/gx_process.py: GX is imported on the other core while the refresh goes on).

The child is a plain ``python -c "from MODULE import FUNCTION; FUNCTION()"`` talking length-prefixed pickles
over its stdin and stdout. Not multiprocessing: its spawn start method re-imports the caller's ``__main__``
(the console script, or pytest), and fork is unsafe in a process that already runs threads (Prefect's). The
child's own output goes to stderr, so nothing it prints can corrupt the channel. The child says ``ready`` once
its imports are done; it ends when its stdin closes, so it never outlives the parent.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any


class ChildTimeout(Exception):
    """The child did not answer within the time given (it has been killed). ``args[0]``: the seconds; for
    :meth:`Child.answers`, ``index`` is the item it was on."""

    index: int = 0


class ChildDied(RuntimeError):
    """The child process ended without answering (killed, out of memory, failed to start)."""


def send(fh, obj) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    fh.write(struct.pack("<Q", len(data)) + data)
    fh.flush()


def recv(fh):
    head = fh.read(8)
    if len(head) < 8:
        raise EOFError
    (n,) = struct.unpack("<Q", head)
    data = fh.read(n)
    if len(data) < n:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 - our own child process


class Many:
    """A request of several items, which the child answers one by one, each as soon as it is handled
    (:meth:`Child.answers`): the parent sends them in one message and never waits between them."""

    __slots__ = ("items",)

    def __init__(self, items: list) -> None:
        self.items = items


def _answer(handle: Callable[[Any], Any], request) -> tuple[str, Any]:
    try:
        return ("ok", handle(request))
    except Exception as exc:  # noqa: BLE001 - handed back to the caller, which raises it
        return ("error", exc)


def _send_answer(out, reply: tuple[str, Any]) -> None:
    try:
        send(out, reply)
    except Exception:  # noqa: BLE001 - an unpicklable exception or value: send its text
        send(out, ("error", RuntimeError(f"{type(reply[1]).__name__}: {reply[1]}")))


def serve(handle: Callable[[Any], Any], setup: Callable[[], None] | None = None) -> None:
    """The child's side: run ``setup`` (the imports the child is for), say ready, then answer each request with
    ``("ok", handle(request))`` or ``("error", exception)`` (a :class:`Many` request: one answer per item, in
    order) until stdin closes or a ``None`` request arrives; then the process ends (``os._exit``: this is a
    child process's entry, never called in the parent)."""
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # anything the child's code prints must not corrupt the channel
    if setup is not None:
        setup()
    send(out, ("ready", None))
    while True:
        try:
            request = recv(inp)
        except EOFError:
            break
        if request is None:
            break
        for item in request.items if isinstance(request, Many) else (request,):
            _send_answer(out, _answer(handle, item))
    # The channel is closed: end at once. The parent's close waits for this process to end, and the interpreter's
    # own teardown (freeing every module of Great Expectations, pandas, scipy: ~0.1 s in the GX engine) has
    # nothing to do for it; the only output left is stderr's.
    sys.stderr.flush()
    os._exit(0)


class Child:
    """The parent's side. Starting returns at once; the first request (or :meth:`wait_ready`) waits for the
    child's imports, up to ``start_seconds``."""

    def __init__(self, target: str, name: str, start_seconds: float = 180.0) -> None:
        module, function = target.split(":")
        self.name, self.start_seconds, self._ready = name, start_seconds, False
        #: one request at a time on the pipe (the flow and a thread of its own, e.g. Data Docs built ahead)
        self._turn = threading.Lock()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", f"from {module} import {function}; {function}()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
            cwd=os.getcwd())

    def _wait(self, seconds: float | None) -> bool:
        ready, _, _ = select.select([self.proc.stdout], [], [], seconds)
        return bool(ready)

    def _reply(self):
        try:
            return recv(self.proc.stdout)
        except EOFError:
            code = self.proc.poll()
            self.kill()
            raise ChildDied(f"the {self.name} ended without an answer"
                            + (f" (exit {code})" if code is not None else "")) from None

    def wait_ready(self) -> None:
        if self._ready:
            return
        if not self._wait(self.start_seconds):
            self.kill()
            raise ChildDied(f"the {self.name} did not start within {self.start_seconds:g} s")
        self._reply()
        self._ready = True

    def request(self, obj, seconds: float | None = None):
        """Send ``obj`` and return the child's answer; raise what the child raised. ``seconds``: kill the child
        and raise ChildTimeout if no answer comes in time (None: wait as long as it takes)."""
        with self._turn:
            return self._request(obj, seconds)

    def _request(self, obj, seconds: float | None):
        self.wait_ready()
        try:
            send(self.proc.stdin, obj)
        except (BrokenPipeError, OSError, ValueError):
            self.kill()
            raise ChildDied(f"the {self.name} is gone") from None
        if seconds is not None and not self._wait(seconds):
            self.kill()
            raise ChildTimeout(seconds)
        status, payload = self._reply()
        if status == "error":
            raise payload
        return payload

    def answers(self, items: list, seconds: float | None = None) -> Iterator[tuple[str, Any]]:
        """Send all ``items`` at once (:class:`Many`) and yield the child's answer to each in order, as
        ``("ok", value)`` or ``("error", exception)``, as soon as it comes. ``seconds``: the time each item may
        take, counted from the previous answer (the child starts an item as soon as it has answered the one
        before); past it the child is killed and ChildTimeout raised with ``index`` the item it was on, and
        nothing more is yielded. A caller that stops early also kills the child (its answers would be left
        in the pipe)."""
        with self._turn:
            self.wait_ready()
            try:
                send(self.proc.stdin, Many(items))
            except (BrokenPipeError, OSError, ValueError):
                self.kill()
                raise ChildDied(f"the {self.name} is gone") from None
            answered = 0
            try:
                for index in range(len(items)):
                    if seconds is not None and not self._wait(seconds):
                        self.kill()
                        timeout = ChildTimeout(seconds)
                        timeout.index = index
                        raise timeout
                    reply = self._reply()
                    answered += 1
                    yield reply
            finally:
                if answered < len(items):  # (a caller that stopped before the last answer was read)
                    self.kill()

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
        """Ask the child to end, then make sure it has (one still starting is killed: it would not read)."""
        try:
            if self._ready and self.proc.poll() is None:
                send(self.proc.stdin, None)
                self.proc.wait(2)
        except (OSError, ValueError, subprocess.TimeoutExpired):
            pass
        self.kill()
