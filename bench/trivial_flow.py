"""The floor a refresh is compared with: a trivial Prefect flow of 6 tasks that do nothing, run as its own process
the way `gradfacts refresh` runs (same environment, same Prefect settings, on Prefect's temporary API server
unless PREFECT_API_URL names a running one). bench/run.py times it.

    python bench/trivial_flow.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows.settings import configure_environment  # noqa: E402

configure_environment()

from prefect import flow, task  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402


@task(cache_policy=NO_CACHE)
def step(i: int) -> int:
    return i


@flow(name="bench-trivial-6-tasks")
def trivial() -> int:
    return sum(step(i) for i in range(6))


if __name__ == "__main__":
    assert trivial() == 15
