"""Storage stages retry with backoff: a transient failure while publishing does not fail the run."""

import shutil
from pathlib import Path

import pytest

from flows.publish import nodes as publish_nodes

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def test_transient_publish_failure_is_retried(tmp_path, monkeypatch):
    from flows.pipeline import run_refresh

    shutil.copytree(REPO / "raw", tmp_path / "raw")
    real_promote = publish_nodes.promote
    calls = []

    def flaky_promote(curated, stage, keep=publish_nodes.KEEP):
        calls.append(stage.name)
        if len(calls) == 1:
            raise OSError("disk briefly unavailable")
        return real_promote(curated, stage, keep)

    monkeypatch.setattr(publish_nodes, "promote", flaky_promote)
    res = run_refresh(tmp_path / "raw", tmp_path / "curated", tmp_path / "reports")
    assert res.status == "published", res.message
    assert len(calls) == 2
    assert (tmp_path / "curated" / "programs.parquet").exists()
    assert not any((tmp_path / "curated" / "staging").iterdir())
