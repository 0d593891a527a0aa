"""Keep Python's cyclic garbage collector off what a refresh holds to its end.

After extraction the flow holds every document and every extraction result (10,000 documents: ~230,000 facts,
millions of objects) until the run ends. Each full collection walks all of them again, and resolution,
validation and the reports allocate enough to trigger dozens: measured on 10,000 documents, resolution took
6.9 s with them walked and 5.5 s without (a refresh with Dask workers holds more, and lost more). :func:`hold`
moves every object alive now to the collector's permanent generation (``gc.freeze``); :func:`held` gives them
back (``gc.unfreeze``) when the block ends, so a long-lived process (``gradfacts serve``) collects one run's
leftovers before the next. Objects created later are collected as ever; frozen ones are still freed by
reference counting, only cycles among them wait for the end of the block.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def hold() -> None:
    """Leave every object alive now out of the collector's passes until the enclosing :func:`held` ends."""
    gc.freeze()


@contextmanager
def held() -> Iterator[None]:
    """Objects :func:`hold` froze inside the block return to the collector when it ends (also on error)."""
    try:
        yield
    finally:
        gc.unfreeze()
