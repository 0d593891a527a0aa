"""flows/extract/budget.py: a batch handed to the extraction process at once (``extract_batch``, what a Dask
worker runs) gives each document exactly what ``extract_within`` gives it, its cache entry with it, and the same
time budget per document: one that runs past it is skipped with the same line, and the documents after it are
still extracted (by a fresh extraction process)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from flows.extract import budget
from flows.extract.cache import entry_text

RAW = Path(__file__).resolve().parents[2] / "raw"


@pytest.fixture(scope="module")
def pages() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]


def _jobs(texts: list[str]) -> list[tuple]:
    return [(f"raw/p{i}.txt", t, "text/plain", None, f"{i:064x}") for i, t in enumerate(texts)]


def test_a_batch_gives_each_document_what_extract_within_gives_it(pages):
    got = list(budget.extract_batch(_jobs(pages), 60))
    assert len(got) == len(pages)
    for (_, text, media, file_text, sha), (packed, entry) in zip(_jobs(pages), got):
        one = budget.extract_within(text, 60, "one", media, file_text)
        assert pickle.loads(packed) == one and one.facts
        assert entry == entry_text(sha, one, text)
    # without a budget the same, in this process
    assert [pickle.loads(p) for p, _ in budget.extract_batch(_jobs(pages), None)] == [pickle.loads(p) for p, _ in got]


def test_a_document_over_its_budget_is_skipped_by_name_and_the_rest_still_extracted(pages):
    slow = "Slow Page\n\n" + pages[0] * 200  # several MB: far over 1 s
    jobs = _jobs([pages[1], slow, pages[2]])
    got = list(budget.extract_batch(jobs, 1))
    assert got[1] == ("raw/p1.txt: extraction took longer than its 1 s budget "
                      "(defaults.limits.extract_seconds in sources.yaml); skipped")
    assert pickle.loads(got[0][0]) == budget.extract_within(pages[1], 60)
    assert pickle.loads(got[2][0]) == budget.extract_within(pages[2], 60)  # after the kill, a fresh process
    with pytest.raises(budget.ExtractionTimeout, match=r"^slow: extraction took longer than its 1 s budget"):
        budget.extract_within(slow, 1, "slow")  # the one-document path says the same
