"""Extraction stays linear: the one-pass matchers give exactly what the per-name / per-span scans they replace
gave (random inputs against reference implementations), and a page naming many schools costs about what a
page of the same length naming few does (CPU time, generous bound: the quadratic path it guards against was
~40x at 400 schools)."""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

from flows.extract.registry import names_alternation
from flows.extract.text import Spans

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import corpus  # noqa: E402

WORDS = ["Sorrel", "State", "Lake", "Lakeside", "Forest", "Lake Forest", "Ash", "Ash Ash", "North", "O'Neil", "Tech"]


def test_prefix_tree_alternation_matches_like_a_longest_first_alternation():
    rng = random.Random(1)
    for _ in range(1500):
        names = list({" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) + rng.choice(["", "s", "x"])
                      for _ in range(rng.randint(1, 12))})
        text = " ".join(rng.choice(WORDS + ["'s", ",", "University"]) for _ in range(40))
        flat = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        for look in (r"(?=['’]s\b|[^\w-]|$)", r"(?=['’]s\b|[^\w-]|$|[A-Z])", ""):
            assert [m.span() for m in re.finditer(rf"(?<![\w-])(?:{names_alternation(names)}){look}", text)] == \
                [m.span() for m in re.finditer(rf"(?<![\w-])(?:{flat}){look}", text)]


def test_spans_answer_like_a_scan_of_every_span():
    rng = random.Random(2)
    for _ in range(400):
        spans = [(a, a + rng.randint(0, 12)) for a in (rng.randint(0, 100) for _ in range(rng.randint(0, 15)))]
        sp = Spans(spans)
        for _ in range(30):
            s = rng.randint(-2, 115)
            e = s + rng.randint(0, 15)
            assert sp.overlaps(s, e) == any(a < e and s < b for a, b in spans)
            assert sp.touches(s, e) == any(a <= s < b or a < e <= b for a, b in spans)
            assert sp.holds(s) == any(a <= s < b for a, b in spans)


def _cpu(text: str) -> float:
    from flows.extract.nodes import extract_text

    best = float("inf")
    for _ in range(2):
        t = time.process_time()
        extract_text(text)
        best = min(best, time.process_time() - t)
    return best


def test_many_schools_cost_about_what_few_do():
    few, many = corpus.page(10, 60_000), corpus.page(300, 60_000)
    _cpu(few[:2000])  # warm the registry and compiled patterns
    ratio = (_cpu(many) / len(many)) / (_cpu(few) / len(few))
    assert ratio < 3.0, ratio
