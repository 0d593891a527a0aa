"""Run-time settings: project paths and the environment every entry point sets before importing
Prefect or Great Expectations (state kept inside the project, telemetry off, offline)."""

from __future__ import annotations

import gc
import logging
import os
from contextlib import contextmanager
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("GRADFACTS_HOME", Path(__file__).resolve().parents[1]))

DEFAULT_RAW = PROJECT_ROOT / "raw"
DEFAULT_CURATED = PROJECT_ROOT / "curated"
DEFAULT_REPORTS = PROJECT_ROOT / "reports"

#: bump when extraction/resolution logic changes: it is part of the no-change cache key
EXTRACTOR_VERSION = "2026.11.23-1"

_ENV_DEFAULTS = {
    # Prefect keeps its database, logs and profiles under the project, never in ~/.prefect.
    "PREFECT_HOME": str(PROJECT_ROOT / ".prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_UI_ENABLED": "false",
    # First start of the temporary server migrates its SQLite database; the 20 s default is too short here.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
    # Task logs at INFO reach the Prefect API (the UI shows them); the console handler's level is chosen per
    # command (console_logging below), so a refresh's terminal output stays its one summary.
    "PREFECT_LOGGING_LEVEL": "INFO",
    "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
    "PREFECT_TELEMETRY_ENABLE_RESOURCE_METRICS": "false",
    # gradfacts' own loggers (gradfacts.*) also reach the Prefect API (the UI) inside a flow run.
    "PREFECT_LOGGING_EXTRA_LOGGERS": "gradfacts",
    # Great Expectations usage statistics off.
    "GX_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
}


def configure_environment() -> None:
    """Set project defaults for Prefect/GX unless the caller already chose a value."""
    import logging

    for key, value in _ENV_DEFAULTS.items():
        os.environ.setdefault(key, value)
    # GX logs every ephemeral context it builds at INFO; a refresh's output should be its summary.
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    _warnings_to_stderr()


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time of the record (a handler bound to the stream at set-up time
    breaks once that stream is replaced, as Prefect's root console handler does under test runners)."""

    def __init__(self):
        super().__init__()

    @property
    def stream(self):
        import sys

        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def _warnings_to_stderr() -> None:
    """gradfacts.* warnings (a damaged run history set aside, a skipped source) as `warning: ...` lines on stderr,
    not through the root logger's handlers."""
    import logging

    log = logging.getLogger("gradfacts")
    if not any(isinstance(h, _CurrentStderr) for h in log.handlers):
        handler = _CurrentStderr()
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        log.addHandler(handler)
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)
    log.propagate = False


def console_logging(level: str) -> None:
    """Level of Prefect's console log handler for this process (the API handler keeps INFO), unless the
    caller chose one. Must run before Prefect is imported (it reads its logging settings once)."""
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", level)


def display_path(path: Path) -> str:
    """Path relative to the project when inside it, else absolute (the sources.file convention)."""
    p = Path(path).resolve()
    try:
        return p.relative_to(PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


@contextmanager
def heavy_imports():
    """Import the engines (Prefect, pandera, Great Expectations) without the cyclic garbage collector, then
    freeze what they built.

    Importing creates millions of long-lived objects (classes, functions, pydantic models), and each collection
    while importing traverses all of them again: measured here, ``import flows.pipeline, great_expectations``
    took 5.0 s of CPU with the collector on and 4.0 s with it off. Afterwards ``gc.freeze()`` moves what exists
    to the permanent generation, so later collections (which stay on) do not scan the modules either.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
