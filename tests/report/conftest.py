"""One workspace for the report tests, built through the real CLI (``gradfacts refresh``):

1. raw/ as shipped -> publication A;
2. one source's "$7,000" becomes "$8,500" -> publication B (a changed value, with quotes on both sides);
3. a raw folder holding one fact-free note -> a run blocked by validation (B stays live).

Prefect runs in its own home under the workspace, never the project's .prefect/.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from report_site import CHANGED_FILE, REPO, refresh  # noqa: E402


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    ws = tmp_path_factory.mktemp("report-site")
    with pytest.MonkeyPatch.context() as mp:  # this workspace's Prefect home for its refreshes only
        mp.setenv("PREFECT_HOME", str(ws / "prefect"))
        shutil.copytree(REPO / "raw", ws / "raw")
        res, a = refresh(ws)
        assert res.exit_code == 0 and a["status"] == "published", res.stdout
        target = ws / "raw" / CHANGED_FILE
        target.write_text(target.read_text(encoding="utf-8").replace("$7,000", "$8,500"), encoding="utf-8")
        res, b = refresh(ws)
        assert res.exit_code == 0 and b["status"] == "published", res.stdout
        empty = ws / "raw-empty"
        empty.mkdir()
        (empty / "note.txt").write_text("A short note that names no school, price or course.\n", encoding="utf-8")
        res, c = refresh(ws, empty)
        assert res.exit_code == 1 and c["status"] == "failed", res.stdout
    return {"ws": ws, "reports": ws / "reports", "curated": ws / "curated", "a": a["run_id"], "b": b["run_id"],
            "blocked": c["run_id"]}
