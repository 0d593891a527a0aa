"""flows/common/prefect_heartbeat.py: a flow run still sends its heartbeat, and its heartbeat thread ends as the
run does instead of on its next one-second step (Prefect's own loop, which every flow run waited for)."""

from __future__ import annotations

import threading
import time

from flows.common import prefect_heartbeat


def _heartbeat_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "gradfacts-flow-heartbeat"]


def test_the_refresh_flows_module_installs_it_and_a_flow_run_still_sends_a_heartbeat(monkeypatch):
    import flows.pipeline  # noqa: F401 - installs it, as every process that runs the refresh flow does
    from prefect import flow, flow_engine

    assert flow_engine._send_heartbeats is prefect_heartbeat.send_heartbeats
    sent, seen_alive = [], []
    monkeypatch.setattr(flow_engine.FlowRunEngine, "_emit_flow_run_heartbeat",
                        lambda self, resource, related: sent.append(resource))

    @flow(name="heartbeat-probe")
    def probe() -> int:
        seen_alive.append(bool(_heartbeat_threads()))
        return 1

    assert probe() == 1
    assert len(sent) >= 1 and seen_alive == [True]  # a heartbeat at the start, from its thread
    assert _heartbeat_threads() == []                  # ...which ended with the run


class _Engine:
    """What the heartbeat context reads of Prefect's flow engine."""

    heartbeat_seconds = 180
    flow_run = None

    def __init__(self) -> None:
        self.sent = 0
        import logging

        self.logger = logging.getLogger("heartbeat-probe")

    def _build_heartbeat_event_template(self):
        return {"id": "probe"}, []

    def _emit_flow_run_heartbeat(self, resource, related) -> None:
        self.sent += 1


def test_the_heartbeat_thread_stops_when_the_block_ends_not_on_its_next_second():
    engine = _Engine()
    with prefect_heartbeat.send_heartbeats(engine):
        time.sleep(0.05)  # (Prefect's loop is now in a one-second sleep it would finish before stopping)
        [thread] = _heartbeat_threads()
        started = time.monotonic()
    stopped_in = time.monotonic() - started
    assert not thread.is_alive()
    assert stopped_in < 0.5, stopped_in  # Prefect's own: ~0.95 s here
    assert engine.sent == 1  # one at the start; the next would be 180 s later


def test_no_heartbeat_setting_means_no_thread():
    engine = _Engine()
    engine.heartbeat_seconds = None
    with prefect_heartbeat.send_heartbeats(engine):
        assert _heartbeat_threads() == []
    assert engine.sent == 0
