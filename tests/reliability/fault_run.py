"""Run the gradfacts CLI with one fault injected (tests/reliability only; never imported by the project).

GRADFACTS_FAULT names where the process dies by SIGKILL (as `kill -9` would) or pauses:
  kill-promote   after the staged publication was moved into publications/, before `current` is swapped
  kill-write     while staging the third table file (half a temporary file written)
  kill-prune     in the middle of deleting a pruned publication
  kill-runs      after writing the run history's temporary file, before it replaces runs.parquet
  pause-publish  inside publish, holding the refresh lock, until the file GRADFACTS_FAULT_MARK.go exists
GRADFACTS_FAULT_MARK is a file the child creates when it reaches the point (so the test knows).
"""

import os
import signal
import sys
import time
from pathlib import Path

fault = os.environ.get("GRADFACTS_FAULT", "")
mark = Path(os.environ.get("GRADFACTS_FAULT_MARK", "fault.mark"))


def die():
    mark.write_text(fault)
    os.kill(os.getpid(), signal.SIGKILL)


from flows.publish import nodes as publish  # noqa: E402
from flows.common import files  # noqa: E402

if fault == "kill-promote":
    publish.point_current = lambda curated, pub: die()
elif fault == "kill-write":
    real = files.atomic_write_bytes
    count = {"n": 0}

    def half_write(path, data, mode=0o644):
        if Path(path).suffix == ".parquet" and "staging" in Path(path).parts:
            count["n"] += 1
            if count["n"] == 3:
                tmp = Path(path).with_name(f".{Path(path).name}.{os.getpid()}.tmp")
                tmp.write_bytes(data[: len(data) // 2])
                die()
        return real(path, data, mode)

    files.atomic_write_bytes = half_write
elif fault == "kill-prune":
    real_rmtree = publish.shutil.rmtree

    def half_rmtree(path, *a, **k):
        victims = sorted(Path(path).glob("*.parquet"))
        if victims and ".trash" in Path(path).parts:
            victims[0].unlink()
            die()
        return real_rmtree(path, *a, **k)

    publish.shutil.rmtree = half_rmtree
elif fault == "kill-runs":


    real_replace = os.replace

    def replace(src, dst, *a, **k):
        if str(dst).endswith("runs.parquet"):
            die()
        return real_replace(src, dst, *a, **k)

    files.os.replace = replace
elif fault == "pause-publish":
    real_promote = publish.promote

    def slow_promote(curated, stage, keep=publish.KEEP):
        mark.write_text(fault)
        go = mark.with_suffix(".go")
        deadline = time.monotonic() + 120
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        return real_promote(curated, stage, keep)

    publish.promote = slow_promote

from flows.cli import app  # noqa: E402

sys.argv = ["gradfacts", *sys.argv[1:]]
app()
