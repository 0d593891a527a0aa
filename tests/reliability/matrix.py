"""Helpers for tests/reliability: a project folder, the refresh through the CLI, and checks that the live
publication is whole and unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from typer.testing import CliRunner

from flows.cli import app

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-23"
runner = CliRunner()


@dataclass
class Project:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def curated(self) -> Path:
        return self.root / "curated"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def args(self, *extra: str) -> list[str]:
        return ["refresh", "--raw", str(self.raw), "--curated", str(self.curated), "--reports", str(self.reports),
                "--as-of", AS_OF, "--json", *extra]

    def refresh(self, *extra: str):
        """`gradfacts refresh --json` in this process: (click result, payload dict)."""
        res = runner.invoke(app, self.args(*extra))
        out = res.stdout
        payload = json.loads(out[out.index("{"):]) if "{" in out else {}
        return res, payload

    def cli(self, *argv: str):
        return runner.invoke(app, list(argv))

    def copy_to(self, dest: Path) -> "Project":
        shutil.copytree(self.root, dest, symlinks=True)
        return Project(dest)

    # --- what is live ----------------------------------------------------------------------------
    def live_run(self) -> str | None:
        m = self.manifest()
        return m["run_id"] if m else None

    def manifest(self) -> dict | None:
        from flows.publish.nodes import current_manifest

        return current_manifest(self.curated)

    def live_digest(self) -> dict[str, str]:
        """sha256 of every file of the live publication (by name)."""
        from flows.publish.nodes import current_publication

        cur = current_publication(self.curated)
        assert cur is not None, "no live publication"
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(cur.iterdir())}

    def table(self, name: str) -> pl.DataFrame:
        return pl.read_parquet(self.curated / f"{name}.parquet")

    def runs(self) -> pl.DataFrame:
        return pl.read_parquet(self.curated / "runs.parquet")

    def set_yaml(self, text: str) -> None:
        (self.raw / "sources.yaml").write_text(text, encoding="utf-8")

    def yaml(self) -> str:
        return (self.raw / "sources.yaml").read_text(encoding="utf-8")


def assert_live_whole(p: Project) -> dict:
    """The live publication matches its manifest (every file, sha256, rows) and its links read."""
    from flows.publish.nodes import live_state

    manifest, problems = live_state(p.curated)
    assert manifest is not None, "no live publication"
    assert problems == [], problems
    for name, entry in manifest["tables"].items():
        assert pl.read_parquet(p.curated / f"{name}.parquet").height == entry["rows"], name
    return manifest


def make_baseline(root: Path) -> Project:
    shutil.copytree(REPO / "raw", root / "raw")
    p = Project(root)
    res, payload = p.refresh()
    assert res.exit_code == 0 and payload["status"] == "published", res.stdout
    return p


# --- a real process, killed or paused at a chosen point (fault injection) --------------------------

FAULT_RUNNER = Path(__file__).resolve().parent / "fault_run.py"


def run_cli_process(p: Project, api_url: str, fault: str | None = None, *extra: str,
                    wait: bool = True, timeout: float = 300):
    """`gradfacts refresh` in a child process sharing this process's Prefect server. ``fault`` names a point
    (see fault_run.py) where the child SIGKILLs itself or pauses. Returns the Popen (finished when ``wait``)."""
    env = {**os.environ, "PREFECT_API_URL": api_url, "GRADFACTS_FAULT": fault or "",
           "GRADFACTS_FAULT_MARK": str(p.root / "fault.mark")}
    proc = subprocess.Popen([sys.executable, str(FAULT_RUNNER), *p.args(*extra)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(p.root))
    if wait:
        proc.out, proc.err = proc.communicate(timeout=timeout)
    return proc
