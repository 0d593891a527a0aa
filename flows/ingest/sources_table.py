"""The `sources` curated table from ingested Documents."""

from __future__ import annotations

import polars as pl

from flows.ingest.nodes import Document
from flows.settings import display_path
from schemas.tables import polars_schema

SOURCE_SCHEMA = polars_schema("sources")  # the pandera model is the single source of truth


def sources_table(docs: list[Document], n_observations: dict[str, int]) -> pl.DataFrame:
    rows = []
    for d in docs:
        m = d.meta
        fr = m["freshness"]
        rows.append({
            "source_id": d.source_id, "file": display_path(d.path), "sha256": d.sha256, "bytes": d.bytes,
            "media_type": d.media_type, "title": m.get("title"), "author": m.get("author"), "url": m.get("url"),
            "publisher": m.get("publisher"), "published_on": m.get("published_on"),
            "updated_on": m.get("updated_on"), "retrieved_at": m["retrieved_at"],
            "retrieved_at_basis": m["retrieved_at_basis"],
            "warn_after_count": fr["warn_after"]["count"], "warn_after_period": fr["warn_after"]["period"],
            "error_after_count": fr["error_after"]["count"], "error_after_period": fr["error_after"]["period"],
            "n_observations": n_observations.get(d.source_id, 0),
            "metadata_origin": "record" if m.get("has_metadata_record") else "derived",
            "missing_metadata": [k for k in ("title", "author", "url", "publisher", "published_on", "updated_on")
                                 if m.get(k) in (None, "")],
        })
    return pl.from_dicts(rows, schema=SOURCE_SCHEMA) if rows else pl.DataFrame(schema=SOURCE_SCHEMA)


def source_as_of(doc: Document):
    """The date a source speaks for: its stated updated/published date, else when it was retrieved."""
    m = doc.meta
    return m.get("updated_on") or m.get("published_on") or m["retrieved_at"].date()
