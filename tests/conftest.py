"""Test-suite wide set-up: Prefect state in a temporary home, never the project's .prefect/.

This runs before any test module imports flows.* or prefect (Prefect reads its settings once, at import),
and overrides what the Makefile exports (PREFECT_HOME=$(CURDIR)/.prefect). Subprocesses the tests start
(`gradfacts`, `prefect server start`) inherit it. Helpers for tests that need a real Prefect server are in
tests/cli/prefect_support.py.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

_HOME = Path(tempfile.mkdtemp(prefix="gradfacts-test-prefect-"))
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
os.environ["PREFECT_HOME"] = str(_HOME)
os.environ.pop("PREFECT_API_URL", None)  # tests that want a server start their own
os.environ.pop("PREFECT_PROFILE", None)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
# Prefect logs "Stopping temporary server" at INFO from an atexit hook, after pytest closed its capture streams
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")

# pytest runs with --import-mode=importlib (no sys.path changes): make tests/cli/prefect_support.py importable.
_SUPPORT = str(Path(__file__).resolve().parent / "cli")
if _SUPPORT not in sys.path:
    sys.path.insert(0, _SUPPORT)


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """One real `prefect server start` for the session (own home, free loopback port)."""
    from prefect_support import PrefectServer

    server = PrefectServer(tmp_path_factory.mktemp("prefect-server-home"))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
