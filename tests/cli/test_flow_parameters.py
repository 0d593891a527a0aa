"""The refresh flow's run parameters reach Prefect's API as the JSON Prefect's own encoding (FastAPI's
``jsonable_encoder``) makes of them, while the refresh never imports FastAPI (flows/pipeline.py RefreshFlow)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from prefect import Flow

from flows.pipeline import RefreshFlow, refresh_flow

ROOT = Path(__file__).resolve().parents[2]

PARAMETERS = [
    {"raw": Path("raw"), "curated": Path("/data/curated"), "reports": Path("reports"), "as_of": None, "force": False,
     "wait_seconds": 0.0},
    {"raw": Path("/srv/raw"), "curated": Path("c"), "reports": Path("r"), "as_of": dt.date(2026, 12, 1),
     "force": True, "wait_seconds": 30},
    {"raw": "raw/as text", "curated": Path("c"), "reports": Path("r"), "as_of": "2026-12-01", "force": False,
     "wait_seconds": 2.5},
]


def test_parameters_encode_as_prefect_encodes_them():
    for params in PARAMETERS:
        assert refresh_flow.serialize_parameters(params) == Flow.serialize_parameters(refresh_flow, params)


def test_an_unusual_value_goes_to_prefects_own_encoding():
    class Odd:
        pass

    params = {"raw": Odd()}
    assert refresh_flow.serialize_parameters(params) == Flow.serialize_parameters(refresh_flow, params)


def test_the_flow_keeps_its_class_and_entrypoint_with_options():
    again = refresh_flow.with_options(name="gradfacts-refresh")
    assert isinstance(again, RefreshFlow) and again.serialize_parameters(PARAMETERS[1])["as_of"] == "2026-12-01"
    assert refresh_flow._entrypoint == again._entrypoint == "flows.pipeline:refresh_flow"  # (what deployments load)


def test_a_refresh_records_its_parameters_without_importing_fastapi(tmp_path):
    from prefect_support import refresh_reporting_modules

    report, result = refresh_reporting_modules(tmp_path, ["fastapi"], "--raw", str(ROOT / "raw"), "--curated",
                                               str(tmp_path / "curated"), "--reports", str(tmp_path / "reports"),
                                               "--as-of", "2026-12-01")
    assert report == {"exit": 0, "imported": []}
    db = sqlite3.connect(tmp_path / "prefect" / "prefect.db")
    [(raw_params,)] = db.execute("select parameters from flow_run where id = ?",
                                 (result["prefect_flow_run"],)).fetchall()
    assert json.loads(raw_params) == {"raw": str(ROOT / "raw"), "curated": str(tmp_path / "curated"),
                                      "reports": str(tmp_path / "reports"), "as_of": "2026-12-01", "force": False,
                                      "wait_seconds": 0.0}
