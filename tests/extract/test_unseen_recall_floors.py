"""Unseen documents, each set written before the code change it measures (tests/fixtures/unseen_v2: before the
document-model readers; unseen_v3: held out by the survey3 helper at main @ 0eb3ac3; unseen_v4: course shapes,
written by the courses helper before its change; unseen_v5: wrong-value shapes of real pages set 4, written before
the fixes). No document may recall fewer facts or publish more wrong
values than its floor in tests/golden/unseen_<set>_recall.yaml. Measured by bench/recall.py, run as a user
runs it. Raise a floor when a change reads more; never lower one without saying why in the commit."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SETS = ("v2", "v3", "v4", "v5")


def _floors(name: str) -> dict:
    return yaml.safe_load((ROOT / "tests" / "golden" / f"unseen_{name}_recall.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", SETS)
def test_every_unseen_document_keeps_its_recall_and_wrong_value_floor(name):
    floors = _floors(name)
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "recall.py"), "--json",
                          str(ROOT / "tests" / "fixtures" / f"unseen_{name}")],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert out.returncode == 0, out.stderr
    docs = {d["doc"]: d for d in json.loads(out.stdout)["documents"]}
    assert set(docs) == set(floors), "a document was added or removed: update the floors"
    worse = []
    for doc, floor in floors.items():
        d = docs[doc]
        if d["recalled"] < floor["recalled"] or d["wrong"] > floor["wrong"]:
            worse.append(f"{doc}: recalled {d['recalled']} (floor {floor['recalled']}), wrong {d['wrong']} "
                         f"(at most {floor['wrong']}): {d['wrongs']}")
    assert not worse, "\n".join(worse)


@pytest.mark.parametrize("name", SETS)
def test_no_unseen_set_publishes_a_wrong_value(name):
    assert sum(f["wrong"] for f in _floors(name).values()) == 0
