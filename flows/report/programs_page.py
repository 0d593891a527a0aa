"""reports/programs.html: the live programs table, each curated value linked to the statements behind it
in the source viewer (flows.report.source_view). Pure :func:`program_rows`; :func:`write_programs_page` writes."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from flows.report.quality import COLUMN_ATTRIBUTES
from flows.report.render import render, write_atomic
from flows.report.source_view import fact_link

COLUMNS = ("university", "degree_title", "credits", "tuition_usd", "tuition_usd_low", "tuition_usd_high",
           "tuition_qualifier", "ml_core_courses_min", "ml_core_courses_max", "gre_policy", "delivery_format",
           "standout_feature", "specializations")
#: curated column -> attributes that state it, where the quality report's map has none
EXTRA_ATTRIBUTES = {"university": ("mention",)}


def _show(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    if isinstance(v, float) and v.is_integer():
        return f"{int(v):,}"
    return str(v)


def program_rows(programs: pl.DataFrame, observations: pl.DataFrame) -> tuple[list[str], list[dict]]:
    """Columns shown and one row per program: ``{id, cells: {column: {value, links: [{href, quote, source_id}]}}}``."""
    columns = [c for c in COLUMNS if c in programs.columns]
    obs: dict[tuple[str, str], list[dict]] = {}
    if observations is not None and observations.height:
        for o in observations.filter(pl.col("entity_type") == "program").to_dicts():
            obs.setdefault((o["entity_id"], o["attribute"]), []).append(o)
    rows = []
    for p in programs.to_dicts():
        cells = {}
        for c in columns:
            attrs = COLUMN_ATTRIBUTES.get(c) or EXTRA_ATTRIBUTES.get(c) or (c,)
            stated = [o for a in attrs for o in obs.get((p["program_id"], a), [])]
            links = [{"href": fact_link(o), "quote": o["quote"], "source_id": o["source_id"]}
                     for o in sorted(stated, key=lambda o: (o["source_id"], o["char_start"]))] if p.get(c) is not None else []
            cells[c] = {"value": _show(p.get(c)), "links": links}
        rows.append({"id": p["program_id"], "cells": cells})
    return columns, rows


def write_programs_page(programs: pl.DataFrame, observations: pl.DataFrame, reports: Path,
                        publication: str | None) -> Path:
    columns, rows = program_rows(programs, observations)
    return write_atomic(Path(reports) / "programs.html", render(
        "programs.html.j2", here="programs.html", columns=columns, programs=rows,
        describes=f"Programs of publication {publication or '-'}."))
