"""flows/extract/budget.py `extract_each`: a batch of documents goes to the extraction worker in one request and
comes back one answer per document, each within its own time budget (not the batch's): a document past its budget
is reported by name and skipped, the others are extracted as `extract_text` extracts them, in order."""

from __future__ import annotations

import time

from flows.extract import budget
from flows.extract.nodes import extract_text

FAST = "Lakeside University charges $20,000 for its online M.S. in Data Science.\n"
ROW = "Harbor University: Tuition $31,000 | Credits 30 | GRE not required\n"


def test_each_document_has_its_own_budget_and_a_slow_one_is_skipped_by_name():
    docs = [("a.txt", FAST, "text/plain", None), ("slow.txt", ROW * 8000, "text/plain", None),
            ("b.txt", ROW, "text/plain", None), ("c.md", "# Notes\n\n" + FAST, "text/markdown", None)]
    got = list(budget.extract_each(docs, 1.0))
    assert [i for i, _ in got] == [0, 1, 2, 3]
    assert isinstance(got[1][1], budget.ExtractionTimeout)
    assert str(got[1][1]).startswith("slow.txt: extraction took longer than its 1 s budget")
    for i in (0, 2, 3):  # the documents after the slow one ran on a fresh worker
        assert got[i][1] == extract_text(docs[i][1], docs[i][2], docs[i][3]), docs[i][0]


def test_the_budget_is_per_document_not_per_batch():
    docs = [(f"d{i}.txt", ROW * 120 + f"Row {i}.\n", "text/plain", None) for i in range(40)]
    budget.extract_within(FAST, 60.0, "warm-up")  # (the worker's start is never counted; this keeps timing plain)
    t = time.perf_counter()
    got = list(budget.extract_each(docs, 1.0))
    took = time.perf_counter() - t
    assert all(not isinstance(r, Exception) for _, r in got), [r for _, r in got if isinstance(r, Exception)]
    assert took > 1.0, f"the batch took {took:.2f} s: too fast to show the budget is per document"
    assert [r for _, r in got] == [extract_text(d[1]) for d in docs]


def test_a_caller_that_stops_early_leaves_the_worker_usable():
    docs = [(f"d{i}.txt", ROW * 50, "text/plain", None) for i in range(6)]
    each = budget.extract_each(docs, 30.0)
    first = next(each)
    each.close()  # the worker had answers left on its pipe: it is replaced, never read out of step
    assert first[0] == 0 and first[1] == extract_text(ROW * 50)
    assert budget.extract_within(FAST, 30.0, "after.txt") == extract_text(FAST)


def test_without_a_budget_documents_are_extracted_in_this_process():
    got = list(budget.extract_each([("a.txt", FAST, "text/plain", None)], None))
    assert got == [(0, extract_text(FAST))]
