"""flows/parallel.py pure helpers: batches per task (never one per small document), order kept, cached results
never planned, settings validated with one-line reasons."""

from __future__ import annotations

import pytest

from flows.parallel import Job, merge_batches, parallel_from, plan_batches, tail_after


def _jobs(sizes):
    return [Job(f"s{i}", f"raw/s{i}.txt", "x" * n, "text/plain", None) for i, n in enumerate(sizes)]


def test_small_documents_share_tasks_and_order_is_kept():
    jobs = _jobs([1000] * 400)
    batches = plan_batches(jobs, workers=2)
    assert 2 <= len(batches) <= 8            # a task per worker at least, not one per document
    assert [j for b in batches for j in b] == jobs
    assert max(len(b) for b in batches) > 10


def test_a_large_document_travels_alone_and_caps_hold():
    jobs = _jobs([100, 100, 5_000_000, 100])
    batches = plan_batches(jobs, workers=2)
    assert [len(b) for b in batches if any(len(j.text) == 5_000_000 for j in b)] == [1]
    assert all(len(b) <= 3 for b in plan_batches(_jobs([10] * 30), workers=1, max_docs=3))
    assert plan_batches([], workers=4) == []


def test_merge_keeps_the_documents_order_with_cached_results_in_place():
    order = ["a", "b", "c", "d"]
    got, skipped = merge_batches(order, [({"d": 4, "b": 2}, ["c: too slow"])], cached={"a": 1})
    assert list(got) == ["a", "b", "d"] and got["b"] == 2
    assert skipped == ["c: too slow"]


def test_settings_are_validated():
    assert not parallel_from(None, None).enabled and not parallel_from(1, None).enabled
    assert parallel_from(2, None).enabled and parallel_from(None, "tcp://10.0.0.5:8786").address == "tcp://10.0.0.5:8786"
    for bad in [(0, None), (None, "  "), (3, "tcp://h:8786")]:
        with pytest.raises(ValueError):
            parallel_from(*bad)


def test_a_batch_travels_as_a_frame_and_comes_back_the_same_jobs():
    from flows.parallel import batch_frame, jobs_of_frame

    jobs = _jobs([3, 5]) + [Job("h", "raw/h.html", "Text", "text/html", "<p>Text</p>")]
    assert jobs_of_frame(batch_frame(jobs)) == jobs


def test_a_batch_travels_whole_and_names_itself_to_dask():
    """What a worker receives is the batch it was given; Dask takes the batch's token as its hash (it does
    not pickle the frame to hash it), and two batches of different documents never share one."""
    import pickle

    from dask.base import tokenize

    from flows.parallel import Batch, jobs_of_frame

    jobs = [Job("a", "raw/a.txt", "Text a", "text/plain", None, "1" * 64),
            Job("b", "raw/b.html", "Text b", "text/html", "<p>Text b</p>", "2" * 64)]
    batch = pickle.loads(pickle.dumps(Batch(jobs)))
    assert jobs_of_frame(batch.frame) == jobs
    assert tokenize(batch) == tokenize(Batch(jobs)) != tokenize(Batch(jobs[:1]))
    changed = [jobs[0], Job("b", "raw/b.html", "Text B", "text/html", "<p>Text B</p>", "3" * 64)]
    assert tokenize(Batch(changed)) != tokenize(Batch(jobs))


def test_extraction_results_cross_processes_unchanged():
    """Facts pickle by their fields in __init__'s order (model.Fact.__reduce__): every field, None and floats
    included, comes back as it went, through a real worker process."""
    import pickle
    from pathlib import Path

    from flows.extract.budget import extract_within, shutdown
    from flows.extract.nodes import extract_text

    raw = Path(__file__).resolve().parents[2] / "raw"  # the three seed sources
    texts = [p.read_text(encoding="utf-8") for p in sorted(raw.glob("*.txt"))]
    here = [extract_text(t) for t in texts]
    facts = [f for r in here for f in r.facts]
    assert len(facts) > 50 and any(f.value_num is not None for f in facts)
    assert any(f.degree is None for f in facts) and any(f.unit for f in facts)
    assert pickle.loads(pickle.dumps(here, protocol=pickle.HIGHEST_PROTOCOL)) == here
    try:  # extracted in the extraction worker and pickled back
        there = [extract_within(t, 120.0, "seed") for t in texts]
    finally:
        shutdown()
    assert there == here


def test_the_tail_begins_when_fewer_batches_are_left_than_workers():
    # (the flow starts the Great Expectations engine then, on the core the first idle worker leaves)
    assert tail_after(10, 2) == 9   # one batch left, one of two workers idle
    assert tail_after(10, 4) == 7   # three left
    assert tail_after(2, 2) == 1
    assert tail_after(1, 2) == 0    # a worker idle from the start
    assert tail_after(0, 2) == 0


def test_batches_are_about_equal_and_come_in_a_multiple_of_the_workers():
    """Workers run out of batches at about the same time: no last small batch left for one worker alone."""
    for sizes, workers in [([3000] * 9018, 2), ([1000, 50_000, 200] * 700, 3), ([800] * 1001, 2)]:
        batches = plan_batches(_jobs(sizes), workers=workers)
        assert len(batches) % workers == 0 and [j for b in batches for j in b] == _jobs(sizes)
        chars = [sum(len(j.text) for j in b) for b in batches]
        assert max(chars) <= 1.1 * min(chars), chars
