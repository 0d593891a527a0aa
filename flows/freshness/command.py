"""``gradfacts freshness``: read curated/*.parquet, write reports/freshness.json + freshness.html.

Exit codes (Soda's convention): 0 every source, table and program passes; 1 something warns
(a source with no date at all, status ``unknown``, counts as a warning); 2 something is past its
error threshold; 3 freshness could not be checked (no readable sources table in the curated dir).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from flows.common.files import atomic_write_bytes, atomic_write_text

from flows.freshness.nodes import as_utc, compute_freshness, find_default_criteria

#: exit code when the check itself cannot run
EXIT_CANNOT_RUN = 3

HELP = (
    "Check how fresh each source, curated table and program is, against each source's "
    "warn_after/error_after thresholds. The date that counts is the source's stated updated_on, else "
    "published_on, else retrieved_at. Writes freshness.json and freshness.html. "
    "Exit 0 = all pass, 1 = any warn (no date at all counts as warn), 2 = any error, "
    "3 = no sources table to check. --as-of DATE (YYYY-MM-DD, taken as 00:00 UTC) makes the result reproducible."
)

#: a what-if run (--as-of without --reports) writes here, under the default reports folder, never over
#: the published freshness report
WHAT_IF_DIR = "what-if"


def resolve_as_of(as_of: date | datetime | None) -> datetime:
    """--as-of as an aware UTC instant: a date is 00:00 UTC of that day; None is now."""
    if as_of is None:
        return datetime.now(timezone.utc)
    return as_utc(as_of)


def read_tables(curated: Path) -> tuple[dict[str, pl.DataFrame], dict[str, str]]:
    """Every ``curated/*.parquet`` by stem, and the ones that could not be read (stem -> error)."""
    tables: dict[str, pl.DataFrame] = {}
    unreadable: dict[str, str] = {}
    if not curated.is_dir():
        return tables, unreadable
    for path in sorted(curated.glob("*.parquet")):
        try:
            tables[path.stem] = pl.read_parquet(path)
        except Exception as exc:  # a corrupt file must not stop the check of the rest
            unreadable[path.stem] = f"{type(exc).__name__}: {exc}"
    return tables, unreadable


def default_criteria_file(curated: Path) -> Path | None:
    """The sources.yaml whose defaults apply: the one in the raw folder the live publication was built from
    (recorded in its manifest), else raw/ beside the curated dir. Never the working directory's."""
    from flows.publish.nodes import current_manifest

    manifest = current_manifest(curated) or {}
    candidates = [Path(manifest["raw_dir"]) / "sources.yaml"] if manifest.get("raw_dir") else []
    candidates.append(curated.resolve().parent / "raw" / "sources.yaml")
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def load_default_criteria(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    from flows.ingest.metadata import MetadataError, load_sources_file

    try:
        return load_sources_file(path.parent).defaults.freshness.model_dump()
    except MetadataError:
        pass  # a refresh reports the schema error; here fall back to whatever thresholds the file shows
    try:
        return find_default_criteria(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, yaml.YAMLError, UnicodeDecodeError):
        return None


def _write_atomic(path: Path, text: str) -> None:
    atomic_write_text(path, text)


def _live_run_id(curated: Path) -> str | None:
    try:
        return json.loads((curated / "manifest.json").read_text(encoding="utf-8")).get("run_id")
    except (OSError, ValueError):
        return None


def freshness_target(as_of: date | datetime | None, reports: Path | None, default_reports: Path) -> tuple[Path, bool]:
    """Where ``gradfacts freshness`` writes: the live reports when ``--reports`` is given or no ``--as-of``;
    a what-if folder ``<default_reports>/what-if/<as-of date>/`` for ``--as-of`` alone. Returns (folder, what_if)."""
    if reports is not None:
        return Path(reports), False
    if as_of is None:
        return Path(default_reports), False
    day = as_of.date() if isinstance(as_of, datetime) else as_of
    return Path(default_reports) / WHAT_IF_DIR / day.isoformat(), True


def build_report(as_of: date | datetime | None, curated: Path) -> dict:
    """The freshness report for a curated dir (reads files, writes nothing)."""
    curated = Path(curated)
    tables, unreadable = read_tables(curated)
    from flows.publish.nodes import current_manifest

    defaults_path = default_criteria_file(curated)
    recorded = (current_manifest(curated) or {}).get("freshness_defaults")
    sources = tables.get("sources")
    when = resolve_as_of(as_of)
    if sources is None:
        report = compute_freshness(pl.DataFrame(), {}, when, recorded or load_default_criteria(defaults_path))
        report["exit_code"] = EXIT_CANNOT_RUN
        report["summary"]["status"] = "error"
        report["error"] = f"no readable sources.parquet in {curated}"
    else:
        report = compute_freshness(sources, tables, when, recorded or load_default_criteria(defaults_path))
    report["curated_dir"] = str(curated)
    report["publication"] = _live_run_id(curated)
    report["criteria_defaults_file"] = str(defaults_path) if defaults_path else None
    report["unreadable_tables"] = unreadable
    return report


def freshness_command(as_of: date | None, curated: Path, reports: Path, *, what_if: bool = False) -> int:
    """Write ``reports/freshness.json`` and ``reports/freshness.html``; return the exit code (0/1/2, 3).

    ``what_if``: ``reports`` is a what-if folder (see :func:`freshness_target`); the page says so.
    """
    return int(write_freshness(as_of, curated, reports, what_if=what_if)["exit_code"])


def write_freshness(as_of: date | None, curated: Path, reports: Path, *, what_if: bool = False) -> dict:
    """:func:`freshness_command`, returning the report it wrote (what the index and the run summary show of it)."""
    import orjson

    from flows.report.freshness_html import render_freshness_html

    report = build_report(as_of, Path(curated))
    report["what_if"] = what_if
    reports = Path(reports)
    root = "../../" if what_if else ""
    # the bytes json.dumps(report, indent=2, ensure_ascii=False) + "\n" gives, encoded in C (see pyproject.toml)
    atomic_write_bytes(reports / "freshness.json", orjson.dumps(
        report, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS))
    _write_atomic(reports / "freshness.html", render_freshness_html(report, root=root, what_if=what_if))
    return report
