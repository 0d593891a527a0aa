"""Helpers for the report tests (a uniquely named module: other test folders have their own conftest)."""

from __future__ import annotations

import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHANGED_FILE = "001_a1f9e34582002965.txt"


def cli(*args: str):
    from typer.testing import CliRunner

    from flows.cli import app

    return CliRunner().invoke(app, list(args))


def refresh(ws: Path, raw: Path | None = None):
    res = cli("refresh", "--raw", str(raw or ws / "raw"), "--curated", str(ws / "curated"),
              "--reports", str(ws / "reports"), "--as-of", "2026-11-23", "--json")
    out = res.stdout
    return res, (json.loads(out[out.index("{"):]) if "{" in out else {})
