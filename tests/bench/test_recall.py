"""bench/recall.py: the recall / wrong-value measurement over a folder of documents and expected facts.

Runs the script as a user does (a subprocess on a folder) on small documents written here, so the figures it
prints come from the real extraction; and checks that every unseen_v2 document has a well-formed expectation.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bench" / "recall.py"
V2 = ROOT / "tests" / "fixtures" / "unseen_v2"


def run(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(folder), *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def write(folder: Path, name: str, text: str, spec: dict) -> None:
    (folder / "expected").mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    (folder / "expected" / (Path(name).stem + ".yaml")).write_text(yaml.safe_dump({"doc": name, **spec}), encoding="utf-8")


def test_recall_counts_recalled_missed_and_wrong_values(tmp_path):
    # a.txt: every stated value is expected; b.txt: the expectation says 33 credits and forbids the $900 rate,
    # so the same extracted values count as wrong there
    write(tmp_path, "a.txt",
          "Lakeside University's online MS in AI costs $900 per credit hour and requires 30 credits. GRE not required.\n",
          {"shape": "prose", "programs": [{"school": "Lakeside University", "credits": 30, "tuition_per_credit": 900,
                                           "gre_policy": "not_required", "format": "online"}]})
    write(tmp_path, "b.txt",
          "Lakeside University's online MS in AI costs $900 per credit hour and requires 30 credits.\n",
          {"shape": "prose", "programs": [{"school": "Lakeside University", "credits": 33}],
           "must_not": [{"attribute": "tuition_per_credit", "value": 900}]})
    cp = run(tmp_path, "--json")
    assert cp.returncode == 0, cp.stderr
    out = json.loads(cp.stdout)
    docs = {d["doc"]: d for d in out["documents"]}
    a, b = docs["a.txt"], docs["b.txt"]
    # a: presence + credits + per-credit + GRE recalled; format not published -> 4 of 5
    assert (a["expected"], a["recalled"], a["wrong"]) == (5, 4, 0)
    assert any("format" in m for m in a["missed"])
    # b: presence recalled; 30 credits differs from the stated 33; $900/credit is a must_not value -> 2 wrong
    assert (b["expected"], b["recalled"], b["wrong"]) == (2, 1, 2)
    assert out["shapes"]["prose"]["expected"] == 7 and out["shapes"]["prose"]["recalled"] == 5


def test_recall_bad_folder_is_a_one_line_error(tmp_path):
    cp = run(tmp_path)
    assert cp.returncode == 2
    assert cp.stderr.strip().count("\n") == 0 and "no expected/ folder" in cp.stderr
    (tmp_path / "expected").mkdir()
    (tmp_path / "expected" / "x.yaml").write_text("doc: missing.txt\n", encoding="utf-8")
    cp = run(tmp_path)
    assert cp.returncode != 0 and "missing.txt" in cp.stderr and "Traceback" not in cp.stderr


def test_every_unseen_v2_document_has_a_well_formed_expectation():
    docs = sorted(p.name for p in V2.iterdir() if p.suffix in {".txt", ".md", ".html"})
    specs = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (V2 / "expected").glob("*.yaml")}
    assert 14 <= len(docs) <= 20 and len(specs) == len(docs)
    keys = {"school", "aliases", "degree", "credits", "tuition", "tuition_per_credit", "tuition_annual",
            "tuition_per_course", "gre_policy", "format", "optional", "alternatives"}
    for stem, spec in specs.items():
        assert spec["doc"] in docs and Path(spec["doc"]).stem == stem
        assert isinstance(spec["shape"], str) and spec["shape"]
        for p in spec.get("programs") or []:
            assert set(p) <= keys, (stem, set(p) - keys)
            assert p.get("gre_policy") in (None, "required", "optional", "not_required")
            assert p.get("format") in (None, "online", "hybrid", "on_campus")
            assert set(p.get("optional") or []) <= keys
        for c in spec.get("courses") or []:
            assert set(c) <= {"title", "code", "credits"} and c["title"]
