from __future__ import annotations

from pathlib import Path

import pytest

from freshness_fixtures import default_sources, default_tables, write_curated


@pytest.fixture
def curated_dir(tmp_path: Path) -> Path:
    """A curated/ dir with the default fixture sources and tables (project root = tmp_path)."""
    return write_curated(tmp_path, default_sources(), default_tables())
