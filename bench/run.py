"""`make bench`: every ratio issue 12 sets a target for, measured side by side in one run, then the scale tables.

In one run, on this machine, each a fresh process the way a user runs it:
  - a cold `gradfacts refresh` of raw/ against a trivial Prefect flow of 6 tasks (bench/trivial_flow.py), on
    Prefect's temporary API server and against a running `prefect server start` (started here in a temporary
    PREFECT_HOME on a free port, stopped after);
  - an unchanged refresh against the cold one;
  - cold refreshes of the largest synthetic corpus with `--workers 1` and `--workers 2`, in pairs of alternating
    order (``--worker-pairs``, 3 by default: an odd number, so each ratio is one pair's, the median; one pair
    read 1.26 and the next 1.86 for the same code): the whole refresh, and
    the extract stage (end of the ingest task to the start of the resolve task, from the flow run's task runs in
    Prefect's database; the same stretch for the sequential extract task and for the Dask batches);
  - bench/scale.py: time per stage, documents/s per core and peak RSS per corpus size, and the per-character
    extraction cost of long pages and of pages naming many schools (1 MB / 10 KB).
The machine is shared, so every measurement carries the load average (`os.getloadavg`, 1 minute) seen at its
start and end.

    python bench/run.py                                  # sizes 100,1000,10000; workers compared on 10,000
    python bench/run.py --sizes 100,1000 --pages small   # quick (make bench BENCH_SIZES=100,1000 BENCH_PAGES=small)

Writes bench/out/run/run.json and two sections of bench/RESULTS.md, each between its own markers (this one's
``bench:begin``/``bench:end``, bench/scale.py's ``scale:begin``/``scale:end``); the rest of the file, written by
hand, is left as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import corpus  # noqa: E402  (bench/corpus.py)
import scale  # noqa: E402  (bench/scale.py)

OUT = ROOT / "bench" / "out" / "run"
RESULTS = ROOT / "bench" / "RESULTS.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
BIN = Path(sys.executable).parent
GRADFACTS, PREFECT = BIN / "gradfacts", BIN / "prefect"
STAGES = ("ingest", "extract", "resolve", "validate", "publish", "report")


# ------------------------------------------------------------------------------ running things

def load() -> float:
    return os.getloadavg()[0]


def environment(home: Path, api_url: str | None = None) -> dict:
    """The environment of a measured process: its own PREFECT_HOME, telemetry off, a Prefect API only if given."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_PROFILE")}
    env.update({"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "PREFECT_SERVER_UI_ENABLED": "false", "GX_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
                "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"})
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return env


def timed(cmd: list[str], env: dict) -> dict:
    """Run ``cmd`` to its end: wall time, exit code, CPU and peak RSS of it and its waited-for children, load."""
    before = load()
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    err = proc.stderr.read() if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} ended with exit {code}:\n{err[-2000:]}")
    return {"wall_s": wall, "exit": code, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_bytes": usage.ru_maxrss * 1024, "load_before": before, "load_after": load()}


def refresh(raw: Path, ws: Path, env: dict, *extra: str, fresh: bool = True) -> dict:
    if fresh:
        for d in ("curated", "reports"):
            shutil.rmtree(ws / d, ignore_errors=True)
    return timed([str(GRADFACTS), "refresh", "--raw", str(raw), "--curated", str(ws / "curated"),
                  "--reports", str(ws / "reports"), *extra], env)


def trivial(env: dict) -> dict:
    return timed([sys.executable, str(ROOT / "bench" / "trivial_flow.py")], env)


def median_of(runs: list[dict]) -> dict:
    """The run with the median wall time (all runs kept under 'runs')."""
    ordered = sorted(runs, key=lambda r: r["wall_s"])
    return {**ordered[(len(ordered) - 1) // 2], "runs": [r["wall_s"] for r in runs]}


def flow_stages(home: Path) -> dict:
    """Wall seconds per stage of the latest flow run in ``home``'s Prefect database (its task runs' start and end
    times). 'extract' is the stretch from the end of the ingest task to the start of the resolve task, which is
    the sequential extract task or the Dask batches with their planning and gathering alike."""
    db = sqlite3.connect(home / "prefect.db")
    try:
        run_id, start, end = db.execute("SELECT id, start_time, end_time FROM flow_run ORDER BY start_time DESC "
                                        "LIMIT 1").fetchone()
        rows = db.execute("SELECT name, start_time, end_time FROM task_run WHERE flow_run_id = ? ORDER BY start_time",
                          (run_id,)).fetchall()
    finally:
        db.close()

    def ts(s):
        return datetime.fromisoformat(s)

    spans: dict[str, tuple] = {}
    batches = 0
    for name, a, b in rows:
        stage = name.rsplit("-", 1)[0]
        batches += stage == "extract-batch"
        if stage in STAGES and a and b:
            spans[stage] = (ts(a), ts(b))
    out = {s: (spans[s][1] - spans[s][0]).total_seconds() for s in STAGES if s in spans}
    if "ingest" in spans and "resolve" in spans:
        out["extract"] = (spans["resolve"][0] - spans["ingest"][1]).total_seconds()
    out["flow"] = (ts(end) - ts(start)).total_seconds() if start and end else None
    out["batches"] = batches
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def prefect_server(home: Path):
    """`prefect server start` in ``home`` on a free port, for the block; yields its API URL. Stopped after (its
    own process group, started here)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    log = open(home / "server.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(PREFECT), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=environment(home), cwd=home,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"prefect server start ended with exit {proc.returncode}: see {home / 'server.log'}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=5) as r:  # noqa: S310 - our own local server
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("prefect server start did not answer within 300 s")
            time.sleep(1)
        yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(10)
        log.close()


# ------------------------------------------------------------------------------ the measurements

def measure(sizes: list[int], pages: str, repeat: int, work: Path, results: Path, log=print,
            worker_pairs: int = 3) -> dict:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    raw = work / "raw"
    shutil.copytree(ROOT / "raw", raw)
    data: dict = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "sizes": sizes, "repeat": repeat}

    # 1. Prefect's temporary API server (no PREFECT_API_URL: what a one-shot `gradfacts refresh` uses)
    home = work / "prefect_temporary"
    home.mkdir()
    env = environment(home)
    trivial(env)  # the first start creates and migrates the database: not measured
    data["trivial"] = median_of([trivial(env) for _ in range(repeat)])
    log(f"trivial flow, temporary server: {data['trivial']['wall_s']:.1f} s")
    colds, unchanged = [], []
    for _ in range(repeat):
        colds.append(refresh(raw, work / "raw_refresh", env))
        colds[-1]["stages"] = flow_stages(home)
        unchanged.append(refresh(raw, work / "raw_refresh", env, fresh=False))
    data["cold"], data["unchanged"] = median_of(colds), median_of(unchanged)
    log(f"refresh of raw/: cold {data['cold']['wall_s']:.1f} s, unchanged {data['unchanged']['wall_s']:.1f} s")

    # 2. against a running Prefect server
    shome = work / "prefect_server"
    shome.mkdir()
    with prefect_server(shome) as url:
        senv = environment(shome, url)
        trivial(senv)  # first flow run on the server: not measured
        data["server_trivial"] = median_of([trivial(senv) for _ in range(repeat)])
        data["server_cold"] = median_of([refresh(raw, work / "raw_refresh_server", senv) for _ in range(repeat)])
    log(f"with a server: trivial {data['server_trivial']['wall_s']:.1f} s, "
        f"cold refresh {data['server_cold']['wall_s']:.1f} s")

    # 3. 1 and 2 workers on the largest corpus
    n = max(sizes)
    big = work / f"corpus{n}"
    corpus.write_corpus(big / "raw", n)
    data["workers_docs"] = n
    # pairs in alternating order (1, 2 then 2, 1, ...): the machine's speed drifts by a third within minutes, and
    # one pair once read 1.40 where the same code read 1.76 an hour later
    data["workers"] = {"1": [], "2": []}
    for i in range(worker_pairs):
        for w in pair_order(i):
            r = refresh(big / "raw", big / f"w{w}", env, "--workers", w)
            r["stages"] = flow_stages(home)
            data["workers"][w].append(r)
            log(f"{n} documents, --workers {w} (pair {i + 1}): {r['wall_s']:.1f} s, "
                f"extract stage {r['stages'].get('extract', 0):.1f} s")
    shutil.rmtree(big, ignore_errors=True)

    # 4. per-size stages, rates, peak RSS, per-character costs (bench/scale.py writes its own section)
    scale_work = work / "scale"
    scale.main(["--sizes", ",".join(map(str, sizes)), "--refresh", "", "--workers", "", "--pages", pages,
                "--work", str(scale_work), "--results", str(results)])
    data["scale"] = json.loads((scale_work / "scale.json").read_text(encoding="utf-8"))
    shutil.rmtree(scale_work / f"n{n}", ignore_errors=True)
    return data


# ------------------------------------------------------------------------------ the section

def pair_order(i: int) -> tuple[str, str]:
    """The order of pair ``i``'s two refreshes (``--workers`` values): 1, 2 then 2, 1, and so on."""
    return ("1", "2") if i % 2 == 0 else ("2", "1")


def extract_s(run: dict) -> float | None:
    return run["stages"].get("extract")


def wall_s(run: dict) -> float | None:
    return run["wall_s"]


def pair_ratios(data: dict, of) -> list[float]:
    """One speed-up per pair of 10,000-document refreshes: ``of`` the 1-worker run / ``of`` the 2-worker run."""
    out = []
    for one, two in zip(data["workers"]["1"], data["workers"]["2"]):
        a, b = of(one), of(two)
        if a is not None and b:
            out.append(a / b)
    return out


def pairs_ratio(data: dict, of) -> float | None:
    """The median of the pairs' speed-ups (each pair ran side by side, in alternating order)."""
    found = pair_ratios(data, of)
    return statistics.median(found) if found else None


def pairs_note(data: dict, of) -> str:
    found = pair_ratios(data, of)
    if len(found) < 2:
        return ""
    return f"; median of {len(found)} pairs, {min(found):.2f}-{max(found):.2f}"


def ratios(data: dict) -> list[tuple[str, float | None, str, bool | None]]:
    """(what, measured, target, met) in the order of the issue's targets."""
    def ratio(a, b):
        return a / b if a is not None and b else None

    n = data["workers_docs"]
    sc = data["scale"]
    big = sc["sizes"].get(str(max(data["sizes"])))
    rate = scale.pure_rate(big) if big else None
    page = scale.ratios(sc.get("pages") or {}).get("1 MB / 10 KB per character")
    rows = [
        ("cold refresh of raw/ / trivial 6-task flow (temporary API server)",
         ratio(data["cold"]["wall_s"], data["trivial"]["wall_s"]), "≤ 1.5", lambda v: v <= 1.5),
        ("cold refresh of raw/ / trivial 6-task flow (running Prefect server)",
         ratio(data["server_cold"]["wall_s"], data["server_trivial"]["wall_s"]), "≤ 1.5", lambda v: v <= 1.5),
        ("unchanged / cold refresh of raw/", ratio(data["unchanged"]["wall_s"], data["cold"]["wall_s"]), "≤ 0.25",
         lambda v: v <= 0.25),
        (f"2 workers / 1 worker, extract stage, {n:,} documents (speed-up{pairs_note(data, extract_s)})",
         pairs_ratio(data, extract_s), "≥ 1.7", lambda v: v >= 1.7),
        (f"2 workers / 1 worker, whole refresh, {n:,} documents (speed-up{pairs_note(data, wall_s)})",
         pairs_ratio(data, wall_s), "≥ 1.7", lambda v: v >= 1.7),
        ("1 MB / 10 KB per-character extraction cost", page, "≤ 1.5", lambda v: v <= 1.5),
    ]
    out = [(what, v, target, None if v is None else ok(v)) for what, v, target, ok in rows]
    if rate is not None:
        peak = max(big["stages"]["validate"].get("peak_rss_bytes", 0), big["peak_rss_bytes"]) / 2**30
        n_big = max(data["sizes"])
        out.append((f"extract+resolve+validate, {n_big:,} documents: documents/s per core", rate["docs_per_cpu_s"],
                    "≥ 50", rate["docs_per_cpu_s"] >= 50))
        out.append((f"peak RSS, {n_big:,} documents (GiB)", peak, "≤ 2", peak <= 2))
    return out


def section(data: dict) -> str:
    def fig(r: dict) -> str:
        return (f"{r['wall_s']:.1f} s | {r['cpu_s']:.1f} s | {r['peak_rss_bytes'] / 2**20:,.0f} MiB | "
                f"{r['load_before']:.1f} → {r['load_after']:.1f}")

    n = data["workers_docs"]
    lines = [BEGIN, "## Issue 12 ratios, side by side (bench/run.py)", "",
             f"One run of `make bench` (`python bench/run.py --sizes {','.join(map(str, data['sizes']))}`), "
             f"{data['date']}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
             "Every figure is a fresh process run as a user runs it; wall times are the median of "
             f"{data['repeat']} run(s). The machine is shared with other work: the load average (1 min) at the start "
             "and end of each run is given next to it.", "",
             "| ratio | measured | target | met |", "|---|---|---|---|"]
    for what, v, target, ok in ratios(data):
        lines.append(f"| {what} | {'–' if v is None else f'{v:.2f}'} | {target} | "
                     f"{'–' if ok is None else ('yes' if ok else '**no**')} |")
    lines += ["", "| run | wall | CPU (process + children) | peak RSS | load |", "|---|---|---|---|---|",
              f"| trivial 6-task flow, temporary API server | {fig(data['trivial'])} |",
              f"| cold `gradfacts refresh` of raw/, temporary API server | {fig(data['cold'])} |",
              f"| unchanged refresh of raw/ | {fig(data['unchanged'])} |",
              f"| trivial 6-task flow, running Prefect server | {fig(data['server_trivial'])} |",
              f"| cold refresh of raw/, running Prefect server | {fig(data['server_cold'])} |"]
    for pair, w, r in _worker_runs(data):
        lines.append(f"| cold refresh of {n:,} synthetic documents, `--workers {w}` (pair {pair}) | {fig(r)} |")
    lines += ["", f"Per stage of the {n:,}-document refreshes (wall seconds, from the flow run's task runs in Prefect's "
              "database; extract = end of ingest to start of resolve):", "",
              "| refresh | " + " | ".join(STAGES) + " | flow run | extract tasks |",
              "|---|" + "---|" * (len(STAGES) + 2)]
    for pair, w, r in _worker_runs(data):
        st = r["stages"]
        lines.append(f"| `--workers {w}` (pair {pair}) | " + " | ".join(f"{st[s]:.1f}" if s in st else "–" for s in STAGES)
                     + f" | {st.get('flow') or 0:.1f} | {st.get('batches') or 1} |")
    lines += ["", "Time per stage for every corpus size, documents/s per core, peak RSS and the per-character costs: "
              "see the Scale section (bench/scale.py, same run).", END]
    return "\n".join(lines) + "\n"


def _worker_runs(data: dict) -> list[tuple[int, str, dict]]:
    """(pair, --workers, run) of the 10,000-document refreshes, in the order they ran."""
    pairs = len(data["workers"]["1"])
    return [(i + 1, w, data["workers"][w][i]) for i in range(pairs) for w in pair_order(i)]


def write_section(text: str, path: Path = RESULTS) -> None:
    """Replace this section of RESULTS.md (or add it after the title); every other section is kept as it is."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        new = head + text.rstrip("\n") + rest.split(END, 1)[1]
    else:
        title, _, body = old.partition("\n")
        new = title + "\n\n" + text + ("\n" + body.lstrip("\n") if body.strip() else "")
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000,10000",
                    help="corpus sizes, comma-separated; the largest is also refreshed with 1 and 2 workers")
    ap.add_argument("--pages", default="full", choices=["full", "small", "none"], help="per-character page costs")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each raw/ and trivial-flow measurement (median)")
    ap.add_argument("--worker-pairs", type=int, default=3,
                    help="pairs of 1- and 2-worker refreshes of the largest corpus, in alternating order (median)")
    ap.add_argument("--work", default=str(OUT), help="scratch folder")
    ap.add_argument("--results", default=str(RESULTS), help="the RESULTS.md whose sections are (re)written")
    a = ap.parse_args(argv)
    sizes = sorted({int(s) for s in a.sizes.split(",") if s.strip()})
    if not sizes:
        ap.error("--sizes names no size")
    work = Path(a.work)
    data = measure(sizes, a.pages, max(1, a.repeat), work, Path(a.results), log=lambda m: print(m, flush=True),
                   worker_pairs=max(1, a.worker_pairs))
    (work / "run.json").write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    text = section(data)
    write_section(text, Path(a.results))
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
