"""Interval logic for reconciling statements about one value.

Every statement admits a set of values: "~$8,000" admits 8,000 +/- 15 %, "under $10,000" admits
(0, 10,000], "$50,000-$55,000" admits that range, "over $60,000" admits (60,000, inf). Statements
agree when the sets they admit intersect; otherwise the sources conflict.
"""

from __future__ import annotations

import math

#: how far "about X" may stray from X and still agree with another statement
APPROX_TOLERANCE = 0.15

#: most specific first: the curated value comes from the most specific statement
SPECIFICITY = {"exact": 0, "approx": 1, "range": 2, "at_least": 3, "over": 3, "under": 3, None: 1}


def admitted(value: float | None, high: float | None, qualifier: str | None) -> tuple[float, float] | None:
    if value is None and high is None:
        return None
    q = qualifier or "exact"
    if q == "exact":
        return (value, value)
    if q == "approx":
        return (value * (1 - APPROX_TOLERANCE), (high if high is not None else value) * (1 + APPROX_TOLERANCE))
    if q == "range":
        lo, hi = value, high if high is not None else value
        return (min(lo, hi), max(lo, hi))
    if q == "under":
        bound = high if high is not None else value
        return (0.0, bound)
    if q in ("over", "at_least"):
        return (value if value is not None else 0.0, math.inf)
    return (value, high if high is not None else value)


def intersect(intervals: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not intervals:
        return None
    lo = max(i[0] for i in intervals)
    hi = min(i[1] for i in intervals)
    return (lo, hi) if lo <= hi else None


def agree(intervals: list[tuple[float, float]]) -> bool:
    return intersect(intervals) is not None
