"""How long extraction results take to cross a process boundary (pickle and unpickle, per document).

Every extracted document's result is pickled at least once (extraction worker -> refresh) and twice with
``--workers`` (extraction worker -> Dask worker -> flow). Usage: ``python bench/pickling.py [N]`` (N documents
of a synthetic corpus, default 300); prints ms per document for dumps and loads, and the extraction itself.
"""

from __future__ import annotations

import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402

from flows.extract.nodes import extract_text  # noqa: E402


def main(n: int = 300, repeat: int = 5) -> dict:
    texts = [t for _, t in corpus.corpus(n, 12)]
    t0 = time.perf_counter()
    results = [extract_text(t) for t in texts]
    extract = (time.perf_counter() - t0) / n
    dumps = loads = float("inf")
    for _ in range(repeat):  # best of: the figure is the code's, not the machine's minute
        t = time.perf_counter()
        data = [pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL) for r in results]
        t1 = time.perf_counter()
        for d in data:
            pickle.loads(d)  # noqa: S301 - our own bytes
        t2 = time.perf_counter()
        dumps, loads = min(dumps, (t1 - t) / n), min(loads, (t2 - t1) / n)
    out = {"documents": n, "facts": sum(len(r.facts) for r in results), "extract_ms": extract * 1e3,
           "dumps_ms": dumps * 1e3, "loads_ms": loads * 1e3, "bytes": sum(map(len, data)) / n}
    print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in out.items()))
    return out


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
