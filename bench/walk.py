"""What Prefect's walk of task arguments costs, per task call, on a synthetic corpus: the arguments the refresh flow
passes (documents, extraction results, texts) plain and wrapped in ``prefect.utilities.annotations.quote``.

Prefect visits every argument of a task call twice (``collect_task_run_inputs_sync`` looking for upstream futures
when the task run is created, ``visit_collection(resolve_to_final_result)`` resolving them when it runs), into
every list, dict, tuple, dataclass and pydantic model. This runs those two functions of the installed Prefect on
the values a refresh of N documents passes, so the figure is Prefect's own cost, not an estimate.

    python bench/walk.py N        # writes a corpus of N documents to a temporary folder, extracts it, times
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402


def walk_seconds(value) -> float:
    """Seconds Prefect's engine spends walking one task argument (both passes)."""
    from prefect.utilities.collections import visit_collection
    from prefect.utilities.engine import collect_task_run_inputs_sync, resolve_to_final_result

    t = time.perf_counter()
    collect_task_run_inputs_sync(value)
    visit_collection(value, visit_fn=resolve_to_final_result, return_data=True, max_depth=-1,
                     remove_annotations=True, context={"parameter_name": "x"})
    return time.perf_counter() - t


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 1000
    from flows.settings import configure_environment

    configure_environment()
    from prefect.utilities.annotations import quote

    from flows.extract.nodes import extract_text
    from flows.ingest.nodes import ingest_sources

    with tempfile.TemporaryDirectory() as tmp:
        corpus.write_corpus(Path(tmp) / "raw", n)
        docs = ingest_sources(Path(tmp) / "raw").docs
    results = {d.source_id: extract_text(d.text, d.media_type, d.file_text) for d in docs}
    texts = {d.source_id: d.file_text for d in docs}
    facts = sum(len(r.facts) for r in results.values())
    print(f"{n:,} documents, {facts:,} facts; seconds per task call, Prefect's two walks of the argument:")
    calls = {"extract (documents)": [docs], "resolve (documents, results)": [docs, results],
             "validate (source texts)": [texts], "report (documents, results)": [docs, results]}
    total_plain = total_quoted = 0.0
    for name, args in calls.items():
        plain = sum(walk_seconds(a) for a in args)
        quoted = sum(walk_seconds(quote(a)) for a in args)
        total_plain += plain
        total_quoted += quoted
        print(f"  {name:32s} plain {plain:7.2f} s   quoted {quoted:7.4f} s")
    print(f"  {'per refresh':32s} plain {total_plain:7.2f} s   quoted {total_quoted:7.4f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
