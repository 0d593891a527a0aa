from __future__ import annotations

import sys
from pathlib import Path

import pytest

# pytest runs with --import-mode=importlib (no sys.path changes), so make this folder's helper module
# (freshness_fixtures.py, plain functions building polars frames) importable by the test modules here.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from freshness_fixtures import default_sources, default_tables, write_curated  # noqa: E402


@pytest.fixture
def curated_dir(tmp_path: Path) -> Path:
    """A curated/ dir with the default fixture sources and tables (project root = tmp_path)."""
    return write_curated(tmp_path, default_sources(), default_tables())
