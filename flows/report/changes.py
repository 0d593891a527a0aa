"""What changed between two publications: entities added and removed, values changed (with the source
words behind the old and the new value), sources added, changed and removed.

Pure: two publications' tables in, plain rows out (:func:`diff_publications`), and their text rendering
(:func:`summary_lines`). Reading kept publications and ``gradfacts diff`` live in flows.report.publications.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from flows.report.quality import COLUMN_ATTRIBUTES, ENTITY_TYPES
from schemas.tables import ID_COLUMNS

#: tables whose rows are compared entity by entity, with the column that labels a row for a reader
ENTITY_TABLES = {"programs": ("university", "degree_title"), "courses": ("title",),
                 "specializations": ("name",), "careers": ("role",)}
#: bookkeeping columns: they follow the values and sources, so a change there is not a change of fact
SKIP_COLUMNS = {"source_ids", "n_sources", "as_of", "has_conflict"}
MAX_QUOTES = 3

def _plain(v: Any) -> Any:
    if isinstance(v, pl.Series):
        return v.to_list()
    return v


def _label(row: dict, table: str) -> str:
    return " · ".join(str(row[c]) for c in ENTITY_TABLES[table] if row.get(c) not in (None, ""))


def _quotes(obs: pl.DataFrame | None, table: str, entity_id: str, column: str) -> list[dict]:
    if obs is None or obs.is_empty():
        return []
    hits = obs.filter((pl.col("entity_type") == ENTITY_TYPES[table]) & (pl.col("entity_id") == entity_id))
    attrs = COLUMN_ATTRIBUTES.get(column) or (column,)
    hits = hits.filter(pl.col("attribute").is_in(list(attrs)))
    cols = [c for c in ("observation_id", "source_id", "attribute", "char_start", "char_end", "quote") if c in hits.columns]
    return hits.select(cols).sort("source_id", "char_start").to_dicts()


def _changed_first(quotes: list[dict], other: list[dict]) -> list[dict]:
    """Statements not on the other side first: they are the words that changed."""
    seen = {(q["source_id"], q["quote"]) for q in other}
    return sorted(quotes, key=lambda q: (q["source_id"], q["quote"]) in seen)


def _sources(tables: dict[str, pl.DataFrame]) -> dict[str, dict]:
    df = tables.get("sources")
    if df is None or "source_id" not in df.columns:
        return {}
    cols = [c for c in ("source_id", "file", "sha256", "title") if c in df.columns]
    return {r["source_id"]: r for r in df.select(cols).to_dicts()}


def diff_publications(old: dict[str, pl.DataFrame] | None, new: dict[str, pl.DataFrame]) -> dict[str, list[dict]]:
    """Rows of change from publication ``old`` (None: nothing before) to ``new``.

    Returns ``{"entities": [...], "values": [...], "sources": [...]}``: entities ``{table, id, label,
    change: added|removed}``; values ``{table, id, label, column, old, new, old_quotes, new_quotes}``;
    sources ``{source_id, change: added|changed|removed, file, old_sha256, new_sha256}``.
    """
    old = old or {}
    entities: list[dict] = []
    values: list[dict] = []
    for table in ENTITY_TABLES:
        key = ID_COLUMNS[table]
        o, n = old.get(table), new.get(table)
        o_rows = {r[key]: r for r in o.to_dicts()} if o is not None and key in o.columns else {}
        n_rows = {r[key]: r for r in n.to_dicts()} if n is not None and key in n.columns else {}
        for eid in sorted(set(n_rows) - set(o_rows), key=str):
            entities.append({"table": table, "id": eid, "label": _label(n_rows[eid], table), "change": "added"})
        for eid in sorted(set(o_rows) - set(n_rows), key=str):
            entities.append({"table": table, "id": eid, "label": _label(o_rows[eid], table), "change": "removed"})
        for eid in sorted(set(o_rows) & set(n_rows), key=str):
            before, after = o_rows[eid], n_rows[eid]
            for column in after:
                if column == key or column in SKIP_COLUMNS or column not in before:
                    continue
                a, b = _plain(before[column]), _plain(after[column])
                if a == b:
                    continue
                oq = _quotes(old.get("observations"), table, eid, column)
                nq = _quotes(new.get("observations"), table, eid, column)
                values.append({"table": table, "id": eid, "label": _label(after, table), "column": column,
                               "old": a, "new": b, "old_quotes": _changed_first(oq, nq)[:MAX_QUOTES],
                               "new_quotes": _changed_first(nq, oq)[:MAX_QUOTES]})
    sources: list[dict] = []
    so, sn = _sources(old), _sources(new)
    for sid in sorted(set(sn) | set(so)):
        a, b = so.get(sid), sn.get(sid)
        change = "added" if a is None else "removed" if b is None else (
            "changed" if a.get("sha256") != b.get("sha256") else None)
        if change:
            sources.append({"source_id": sid, "change": change, "file": (b or a).get("file"),
                            "old_sha256": (a or {}).get("sha256"), "new_sha256": (b or {}).get("sha256")})
    return {"entities": entities, "values": values, "sources": sources}


def _short(v: Any, n: int = 80) -> str:
    s = json.dumps(v, default=str) if isinstance(v, (list, dict)) else str(v)
    return s if len(s) <= n else s[: n - 1] + "…"


def summary_lines(d: dict) -> list[str]:
    """``gradfacts diff``'s plain-text rendering."""
    lines = [f"changes from {d['from'] or '(nothing: first publication)'} to {d['to']}: "
             f"{len(d['entities'])} entities added/removed, {len(d['values'])} values changed, "
             f"{len(d['sources'])} sources added/changed/removed"]
    for e in d["entities"]:
        lines.append(f"  {e['change']:<8} {e['table']}: {e['id']} ({e['label']})")
    for v in d["values"]:
        lines.append(f"  changed  {v['table']}.{v['column']} of {v['id']}: {_short(v['old'])} -> {_short(v['new'])}")
        for side in ("old", "new"):
            for q in v[f"{side}_quotes"]:
                lines.append(f"           {side}: {q['source_id']} [{q['char_start']}:{q['char_end']}] {_short(q['quote'], 100)!r}")
    for s in d["sources"]:
        lines.append(f"  {s['change']:<8} source {s['source_id']} ({s['file']})")
    return lines
