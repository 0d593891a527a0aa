"""Shared set-up for the robustness matrix (issue 13): one published baseline project per pytest process,
copied per test (cache included, so a test's refresh extracts only what it changes), and the URL of the one
temporary Prefect server this process runs, for the cases that need a real process to kill."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

if "prefect" not in sys.modules:  # run alone: keep Prefect's state out of the project
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="gradfacts-prefect-")

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from matrix import Project, make_baseline  # noqa: E402


@pytest.fixture(scope="session")
def baseline(tmp_path_factory) -> Project:
    return make_baseline(tmp_path_factory.mktemp("baseline"))


@pytest.fixture
def project(baseline, tmp_path) -> Project:
    """A copy of the published baseline project (raw/, curated/ with its cache and history, reports/)."""
    return baseline.copy_to(tmp_path / "proj")


@pytest.fixture(scope="session")
def prefect_api_url() -> str:
    """The API of this process's temporary Prefect server (started if the in-process runs have not yet)."""
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start()
    return server.api_url
