"""bench/corpus.py and bench/scale.py: the generator is deterministic and names what it says; the scale script
runs every stage on a tiny corpus through its command line and writes its own RESULTS.md section only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402


def test_corpus_is_deterministic_and_varied(tmp_path):
    a, b = corpus.corpus(25, seed=3), corpus.corpus(25, seed=3)
    assert a == b
    assert corpus.corpus(25, seed=4) != a
    texts = [t for _, t in a]
    assert len(set(texts)) == 25
    assert any("| School | Program |" in t for t in texts) and any("Core Requirements" in t for t in texts)
    chars = corpus.write_corpus(tmp_path / "raw", 25, seed=3)
    files = sorted((tmp_path / "raw").iterdir())
    assert [f.name for f in files] == [n for n, _ in a] and chars == sum(len(t) for t in texts)


def test_page_names_exactly_the_schools_asked_for():
    from flows.extract.registry import load_registry

    for n in (10, 60):
        page = corpus.page(n, 30_000)
        assert len(page) >= 30_000
        names = {m.canonical for m in load_registry().find_all(page) if not m.known}
        expected = set(corpus.school_names(__import__("random").Random(7), n))
        assert expected <= names, sorted(expected - names)[:5]


def test_scale_script_runs_every_stage_and_writes_its_section(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\nother sections stay\n", encoding="utf-8")
    p = subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--sizes", "15", "--refresh", "",
                        "--pages", "small", "--work", str(tmp_path / "work"), "--results", str(results)],
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    data = json.loads((tmp_path / "work" / "scale.json").read_text())
    m = data["sizes"]["15"]
    assert m["documents"] == 15 and m["facts"] > 15 and m["rows"]["programs"] > 0
    assert set(m["stages"]) == {"ingest", "extract", "resolve", "validate", "publish", "report"}
    assert m["blocking"] == [] and m["peak_rss_bytes"] > 10 * 2**20
    assert (tmp_path / "work" / "n15" / "curated" / "manifest.json").exists()
    assert set(data["pages"]) == {"10 KB, 10 schools", "100 KB, 10 schools", "100 KB, 100 schools"}
    text = results.read_text()
    assert text.startswith("# Benchmark results\n\nother sections stay\n")
    assert text.count("<!-- scale:begin -->") == 1 and "| 15 |" in text
    assert "100 / 10 schools per character (100 KB pages)" in text
    # a second run replaces the section instead of adding one
    subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--sizes", "", "--pages", "none",
                    "--work", str(tmp_path / "work2"), "--results", str(results)], check=True, cwd=ROOT, timeout=300)
    assert results.read_text().count("<!-- scale:begin -->") == 1
