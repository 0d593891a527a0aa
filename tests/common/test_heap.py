"""flows.common.heap: what a refresh holds is left out of the collector's passes until the run ends, then
collected as ever (a long-lived `gradfacts serve` does not keep one run's cycles into the next)."""

from __future__ import annotations

import gc
import weakref

import pytest

from flows.common import heap


class _Node:
    pass


def _cycle() -> weakref.ref:
    a, b = _Node(), _Node()
    a.other, b.other = b, a
    return weakref.ref(a)


def test_held_objects_are_skipped_until_the_block_ends_then_collected():
    with heap.held():
        alive = _cycle()  # unreachable, kept only by its own cycle
        heap.hold()
        assert gc.get_freeze_count() > 0
        gc.collect()
        assert alive() is not None  # frozen: the collector does not walk it
        later = _cycle()
        gc.collect()
        assert later() is None  # made after hold(): collected as ever
    assert gc.get_freeze_count() == 0
    gc.collect()
    assert alive() is None


def test_the_block_gives_objects_back_when_the_run_fails():
    with pytest.raises(RuntimeError):
        with heap.held():
            heap.hold()
            raise RuntimeError("a stage failed")
    assert gc.get_freeze_count() == 0
