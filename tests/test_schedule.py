"""Scheduling: `gradfacts serve` builds a Prefect deployment on the cron (inspected, not awaited)."""

from pathlib import Path

import pytest
import yaml

from flows.schedule import build_deployment

REPO = Path(__file__).resolve().parents[1]


def test_deployment_carries_the_cron_and_absolute_paths(tmp_path):
    d = build_deployment("15 4 * * 1", tmp_path / "raw", tmp_path / "curated", tmp_path / "reports", name="nightly")
    assert d.name == "nightly"
    [sched] = d.schedules
    assert sched.schedule.cron == "15 4 * * 1"
    assert d.parameters == {"raw": str((tmp_path / "raw").resolve()), "curated": str((tmp_path / "curated").resolve()),
                            "reports": str((tmp_path / "reports").resolve())}
    assert d.flow_name == "gradfacts-refresh"


def test_bad_cron_is_rejected(tmp_path):
    with pytest.raises(Exception):
        build_deployment("not a cron", tmp_path, tmp_path, tmp_path)


def test_prefect_yaml_declares_the_same_flow_for_workers():
    spec = yaml.safe_load((REPO / "prefect.yaml").read_text())
    [dep] = spec["deployments"]
    assert dep["entrypoint"] == "flows/pipeline.py:refresh_flow"
    assert dep["schedules"][0]["cron"]
    import importlib

    path, attr = dep["entrypoint"].split(":")
    mod = path.removesuffix(".py").replace("/", ".")
    assert getattr(importlib.import_module(mod), attr).name == "gradfacts-refresh"
