"""Kept publications on disk (curated/publications/<run_id>/): load one, pick the pair to compare, and
``gradfacts diff``. The comparison itself is flows.report.changes (pure)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from flows.report.changes import diff_publications, summary_lines

EXIT_OK, EXIT_NOTHING = 0, 2


def kept_publications(curated: Path) -> list[str]:
    from flows.publish.nodes import publications

    return [p.name for p in publications(curated)]


def live_run_id(curated: Path) -> str | None:
    from flows.publish.nodes import current_publication

    cur = current_publication(curated)
    return cur.name if cur else None


def load_publication(curated: Path, run_id: str) -> dict[str, pl.DataFrame]:
    """The tables of ``curated/publications/<run_id>/``; ValueError naming what is missing."""
    folder = Path(curated) / "publications" / run_id
    if not folder.is_dir():
        kept = ", ".join(kept_publications(curated)) or "none"
        raise ValueError(f"{folder}: no such publication (kept: {kept})")
    return {p.stem: pl.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}


def resolve_pair(curated: Path, from_run: str | None, to_run: str | None) -> tuple[str | None, str]:
    """(from, to) run ids: ``to`` defaults to the live publication, ``from`` to the one kept before ``to``."""
    kept = kept_publications(curated)
    to_run = to_run or live_run_id(curated)
    if to_run is None:
        raise ValueError(f"{curated}: no live publication to compare")
    if from_run is None:
        earlier = [r for r in kept if r < to_run]
        from_run = earlier[-1] if earlier else None
    return from_run, to_run


def compare(curated: Path, from_run: str | None = None, to_run: str | None = None) -> dict:
    """The diff between two kept publications, with their run ids (``from`` None: the first publication)."""
    from_run, to_run = resolve_pair(curated, from_run, to_run)
    old = load_publication(curated, from_run) if from_run else None
    rows = diff_publications(old, load_publication(curated, to_run))
    return {"from": from_run, "to": to_run, **rows}


def diff_command(curated: Path, from_run: str | None, to_run: str | None, as_json: bool, envelope=None) -> int:
    """Print the changes between two publications; 0 shown, 2 nothing to compare or no such publication.

    ``envelope(run_id, **body)``: the CLI's JSON envelope (schema_version, generated_at, run_id)."""
    import typer

    try:
        d = compare(Path(curated), from_run, to_run)
    except ValueError as exc:
        typer.echo(f"error: {exc}", err=True)
        return EXIT_NOTHING
    if as_json:
        typer.echo(envelope(d["to"], command="diff", exit_code=EXIT_OK, **d) if envelope
                   else json.dumps(d, indent=2, default=str))
    else:
        for line in summary_lines(d):
            typer.echo(line)
    return EXIT_OK
