"""Prefect's flow-run heartbeat, stopped as soon as the flow run ends.

Prefect 3 sends a heartbeat event for every flow run (``flows.heartbeat_frequency``, 180 s by default: the
server's zombie-flow detection reads them) from a thread that sleeps in steps of one second and checks a stop
flag between them (prefect/flow_engine.py ``_send_heartbeats``, PrefectHQ/prefect#19641). When the flow ends,
the engine sets the flag and joins the thread, so every flow run waits for the thread's current one-second
sleep to end: 0-1 s, 0.5 s on average, after its work is done (measured: a cold refresh of raw/ against a
running server spent 0.3-0.6 s between its flow function's return and the run's end, of ~4 s).

:func:`install` replaces that function with one that does the same (same events, same interval, same context
for the thread) but waits on the stop event itself, so the thread ends the moment the flow run does. Installed
when the refresh flow's module is imported, so a flow run started by ``serve`` or a worker has it too. Kept our
own because Prefect has no setting for it (``heartbeat_frequency`` cannot be turned off, and should not be: a
scheduled refresh that crashes must show as crashed). If Prefect's engine no longer has the function, or its
helpers, nothing is replaced.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Generator
from contextlib import contextmanager


def install() -> bool:
    """Replace Prefect's heartbeat context in its flow engine; True if it is (now) ours."""
    from prefect import flow_engine

    current = getattr(flow_engine, "_send_heartbeats", None)
    engine = getattr(flow_engine, "FlowRunEngine", None)
    if current is None or not hasattr(flow_engine, "MINIMUM_HEARTBEAT_INTERVAL") or not all(
            hasattr(engine, m) for m in ("heartbeat_seconds", "_build_heartbeat_event_template",
                                         "_emit_flow_run_heartbeat")):
        return False
    flow_engine._send_heartbeats = send_heartbeats
    return True


@contextmanager
def send_heartbeats(engine, join_on_exit: bool = True) -> Generator[None, None, None]:
    """Prefect's ``_send_heartbeats``: a heartbeat at once and then every ``engine.heartbeat_seconds`` from a
    daemon thread, until the flow run is final or the block ends; the thread ends as soon as it does."""
    from prefect.flow_engine import MINIMUM_HEARTBEAT_INTERVAL

    seconds = engine.heartbeat_seconds
    if seconds is None:
        yield
        return
    seconds = max(seconds, MINIMUM_HEARTBEAT_INTERVAL)
    resource, related = engine._build_heartbeat_event_template()
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            run = getattr(engine, "flow_run", None)
            if run is not None and run.state is not None and run.state.is_final():
                return
            try:
                engine._emit_flow_run_heartbeat(resource, related)
            except Exception:  # noqa: BLE001 - as Prefect: a missed heartbeat is logged, never raised
                engine.logger.debug("Failed to emit heartbeat", exc_info=True)
            if stop.wait(seconds):
                return

    # (the thread runs in a copy of this context, as Prefect's does: it must see the flow's API settings)
    thread = threading.Thread(target=contextvars.copy_context().run, args=(loop,), daemon=True,
                              name="gradfacts-flow-heartbeat")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        if join_on_exit:
            thread.join(timeout=2)

