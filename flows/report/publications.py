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


def load_publication(curated: Path, run_id: str) -> tuple[dict[str, pl.DataFrame], dict[str, str]]:
    """The readable tables of ``curated/publications/<run_id>/`` and the unreadable ones (table -> why);
    ValueError when there is no such publication."""
    folder = Path(curated) / "publications" / run_id
    if not folder.is_dir():
        kept = ", ".join(kept_publications(curated)) or "none"
        raise ValueError(f"{folder}: no such publication (kept: {kept})")
    tables, unreadable = {}, {}
    for p in sorted(folder.glob("*.parquet")):
        try:
            tables[p.stem] = pl.read_parquet(p)
        except Exception as exc:  # noqa: BLE001 - a damaged old file must not stop the comparison of the rest
            unreadable[p.stem] = f"{type(exc).__name__}: {' '.join(str(exc).split())[:120]}"
    return tables, unreadable


def resolve_pair(curated: Path, from_run: str | None, to_run: str | None) -> tuple[str | None, str]:
    """(from, to) run ids: ``to`` defaults to the live publication, ``from`` to the newest whole publication
    kept before ``to``."""
    kept = kept_publications(curated)
    to_run = to_run or live_run_id(curated)
    if to_run is None:
        raise ValueError(f"{curated}: no live publication to compare")
    if from_run is None:
        from flows.publish.nodes import verify_publication

        # the newest earlier publication that is whole: a damaged one (a truncated table) is no baseline
        earlier = [r for r in kept if r < to_run
                   and not verify_publication(Path(curated) / "publications" / r)]
        from_run = earlier[-1] if earlier else None
    return from_run, to_run


def compare(curated: Path, from_run: str | None = None, to_run: str | None = None) -> dict:
    """The diff between two kept publications, with their run ids (``from`` None: the first publication).
    A table unreadable in either is left out of the comparison and named under ``skipped``."""
    from_run, to_run = resolve_pair(curated, from_run, to_run)
    old, old_bad = load_publication(curated, from_run) if from_run else (None, {})
    new, new_bad = load_publication(curated, to_run)
    skipped = [f"{run}/{table}.parquet is unreadable ({why})"
               for run, bad in ((from_run, old_bad), (to_run, new_bad)) for table, why in bad.items()]
    for table in set(old_bad) | set(new_bad):
        new.pop(table, None)
        if old is not None:
            old.pop(table, None)
    rows = diff_publications(old, new, skip=set(old_bad) | set(new_bad))
    return {"from": from_run, "to": to_run, **rows, "skipped": skipped}


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
