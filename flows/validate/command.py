"""`gradfacts validate`: re-validate the live publication in curated/ (no re-extraction), rewrite the quality report."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

from schemas.tables import TABLES

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_NOTHING = 2


def read_publication(curated: Path, damaged: dict[str, str] | None = None
                     ) -> tuple[dict[str, pl.DataFrame], list[str]]:
    """The contract tables found in ``curated`` (``<table>.parquet``) and the names of those missing.
    A file that cannot be read as Parquet is left out and named in ``damaged`` (table -> why)."""
    curated = Path(curated)
    tables, missing = {}, []
    for name in TABLES:
        path = curated / f"{name}.parquet"
        if path.exists():
            try:
                tables[name] = pl.read_parquet(path)
            except Exception as exc:  # noqa: BLE001 - polars raises several types for a damaged file
                if damaged is not None:
                    damaged[name] = f"{name}.parquet is not readable as Parquet ({type(exc).__name__})"
        else:
            missing.append(name)
    return tables, missing


def read_source_texts(sources: pl.DataFrame, curated: Path) -> dict[str, str]:
    """Texts of the sources whose file is still readable and unchanged (same sha256), keyed by source_id.

    ``file`` is relative to the project or absolute. Sources are read through ingest's rule: only a regular file
    inside the raw folder the publication was built from (its manifest's ``raw_dir``; else raw/ beside curated/
    or the project's raw/) -- never a symlink, never a path leading outside.
    """
    from flows.ingest.nodes import IngestError, read_source_bytes
    from flows.publish.nodes import current_manifest
    from flows.settings import DEFAULT_RAW, PROJECT_ROOT

    texts: dict[str, str] = {}
    if sources is None or not {"source_id", "file", "sha256"} <= set(sources.columns):
        return texts
    recorded = (current_manifest(curated) or {}).get("raw_dir")
    raws = [Path(recorded)] if recorded else [Path(curated).resolve().parent / "raw", DEFAULT_RAW]
    bases = [PROJECT_ROOT, Path(curated).resolve().parent]
    for sid, file, sha in sources.select("source_id", "file", "sha256").iter_rows():
        if not file:
            continue
        candidates = [Path(file)] if Path(file).is_absolute() else [b / file for b in bases]
        found = False
        for path in candidates:
            for raw in raws:
                try:
                    data = read_source_bytes(path, raw)
                except (IngestError, OSError):
                    continue
                if hashlib.sha256(data).hexdigest() == sha:
                    texts[sid] = data.decode("utf-8", errors="replace")
                    found = True
                    break
            if found:
                break
    return texts


def validate_command(curated: Path, reports: Path, *, use_gx: bool = True) -> int:
    """Validate curated/*.parquet, write reports/quality.{html,json} + Data Docs; 0 pass/warn, 1 errors, 2 nothing."""
    from flows.report.quality import write_quality_report
    from flows.validate.nodes import validate_tables

    from flows.publish.nodes import live_state

    curated, reports = Path(curated), Path(reports)
    _, damage = live_state(curated)
    for d in damage:
        print(f"damaged: {d}")
    damaged: dict[str, str] = {}
    tables, missing = read_publication(curated, damaged)
    judged = {k: v for k, v in tables.items() if k != "quarantine"}
    if not judged:
        print(f"nothing to validate: no readable curated tables in {curated}"
              + (f" ({'; '.join(damaged.values())})" if damaged else ""))
        return EXIT_ERRORS if (damage or damaged) else EXIT_NOTHING
    run_id = "validate-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    texts = read_source_texts(tables.get("sources"), curated)
    outcome = validate_tables(judged, run_id=run_id, source_texts=texts, use_gx=use_gx)
    for name in missing:
        if name != "quarantine":
            outcome.blocking.append(f"{name}: table file {name}.parquet is missing")
    for name, why in damaged.items():
        outcome.blocking.append(f"{name}: {why}")
    if damage:
        outcome.blocking.append("the live publication does not match its manifest: " + "; ".join(damage))
    prior = tables.get("quarantine")
    if prior is not None and prior.height:
        # the publication's own quarantine, shown alongside (its rows keep their run_id)
        cols = outcome.quarantine.columns
        prior = prior.select([pl.col(c) if c in prior.columns else pl.lit(None).alias(c) for c in cols])
        outcome.quarantine = pl.concat([outcome.quarantine, prior.cast(outcome.quarantine.schema)], how="vertical")
    paths = write_quality_report(outcome, tables.get("observations", pl.DataFrame()), reports)
    failed = [f"{r.table}:{r.rule}" for r in outcome.results if r.status == "fail"]
    print(f"validated {len(judged)} table(s) in {curated}: {outcome.status}"
          f"{' (texts of ' + str(len(texts)) + ' source(s) checked)' if texts else ''}")
    if failed:
        print("failed rules: " + ", ".join(failed))
    for b in outcome.blocking:
        print("blocking: " + b)
    print(f"report: {paths['html']}")
    return EXIT_ERRORS if (failed or outcome.blocking) else EXIT_OK
