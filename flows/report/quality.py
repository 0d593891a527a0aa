"""The data-quality report: reports/quality.html (read first), reports/quality.json, GX Data Docs in reports/quality/.

Every failed or warned rule is listed with a sample of its rows and the source words behind them:
quarantined rows are joined to observations by entity id (and the rule's evidence attributes) to show
source_id, span and quote. All values reach HTML through jinja2 with autoescape on.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import polars as pl

from flows.report.render import render, write_atomic
from schemas.tables import ID_COLUMNS

#: curated table -> observations.entity_type
ENTITY_TYPES = {"programs": "program", "courses": "course", "specializations": "specialization", "careers": "career"}

#: curated column -> observation attributes that state it (for pandera rules, which name a column)
COLUMN_ATTRIBUTES = {
    "tuition_usd": ("tuition", "tuition_per_credit"), "tuition_usd_low": ("tuition", "tuition_per_credit"),
    "tuition_usd_high": ("tuition", "tuition_per_credit"), "tuition_qualifier": ("tuition",),
    "credits": ("credits",), "credits_variable": ("credits",),
    "ml_core_courses_min": ("ml_core_courses",), "ml_core_courses_max": ("ml_core_courses",),
    "gre_policy": ("gre_policy",), "delivery_format": ("delivery_format",),
    "standout_feature": ("standout_feature",), "degree_title": ("degree_title",),
    "specializations": ("specialization",), "salary_usd_min": ("salary",), "salary_usd_max": ("salary",),
    "salary_open_ended": ("salary",), "growth_outlook": ("growth_outlook",), "key_skills": ("key_skills",),
    "kind": ("kind",), "provider": ("provider",), "description": ("description",),
    "universities": ("university",),
}

MAX_ROWS_PER_RULE = 10
MAX_QUOTES_PER_ROW = 5
OBS_COLUMNS = ("observation_id", "source_id", "entity_type", "entity_id", "attribute", "value", "char_start",
               "char_end", "quote")


def _evidence_attributes(rule: dict) -> tuple[str, ...]:
    if rule.get("evidence"):
        return tuple(rule["evidence"])
    attrs: list[str] = []
    for c in rule.get("columns") or []:
        attrs.extend(COLUMN_ATTRIBUTES.get(c, ()))
    return tuple(dict.fromkeys(attrs))


def _quotes(observations: pl.DataFrame, table: str, key: str | None, attributes: tuple[str, ...]) -> list[dict]:
    """Observations stating ``attributes`` (all when empty) of the row ``key`` of ``table``."""
    if key is None or observations is None or observations.is_empty():
        return []
    if not {"entity_type", "entity_id", "attribute"} <= set(observations.columns):
        return []
    entity = ENTITY_TYPES.get(table)
    if entity is None:
        return []
    hits = observations.filter((pl.col("entity_type") == entity) & (pl.col("entity_id") == key))
    if attributes:
        narrowed = hits.filter(pl.col("attribute").is_in(list(attributes)))
        hits = narrowed if narrowed.height else hits
    cols = [c for c in OBS_COLUMNS if c in hits.columns]
    return hits.select(cols).head(MAX_QUOTES_PER_ROW).to_dicts()


def _record_quote(record: dict) -> list[dict]:
    """A quarantined observation carries its own source words."""
    if "quote" in record and "source_id" in record:
        return [{c: record.get(c) for c in OBS_COLUMNS if c in record}]
    return []


def _parse(record: str) -> dict:
    try:
        value = json.loads(record)
        return value if isinstance(value, dict) else {"value": value}
    except (TypeError, ValueError):
        return {"record": record}


def _rule_rows(rule: dict, quarantine: pl.DataFrame, observations: pl.DataFrame) -> list[dict]:
    """Failing rows of one rule: quarantined records (error rules) or the result's sample (warnings)."""
    table = rule["table"]
    attrs = _evidence_attributes(rule)
    rows = []
    q = quarantine.filter((pl.col("table") == table) & (pl.col("rule") == rule["rule"])) if quarantine.height else quarantine
    if q.height:
        for r in q.head(MAX_ROWS_PER_RULE).to_dicts():
            record = _parse(r["record"])
            key = r.get("record_key")
            quotes = _record_quote(record) or _quotes(observations, table, key, attrs)  # a held-back statement: its own words
            rows.append({"key": key, "message": r["message"], "record": record, "quotes": quotes,
                         "quarantined": True, "scope": r.get("scope") or "row"})
        return rows
    id_col = ID_COLUMNS.get(table)
    for s in (rule.get("sample") or [])[:MAX_ROWS_PER_RULE]:
        key = s.get(id_col) if id_col else None
        quotes = _quotes(observations, table, None if key is None else str(key), attrs)
        rows.append({"key": key, "message": rule.get("message") or "", "record": s, "quotes": quotes,
                     "quarantined": False})
    return rows


def quality_data(outcome, observations: pl.DataFrame | None) -> dict[str, Any]:
    """Everything the report shows, as plain JSON-able data (also written to quality.json)."""
    base = outcome.to_dict()
    obs = observations if isinstance(observations, pl.DataFrame) else pl.DataFrame()
    if obs.is_empty() and "observations" in getattr(outcome, "tables", {}):
        obs = outcome.tables["observations"]
    failed = []
    for r in base["results"]:
        if r["status"] == "pass":
            continue
        failed.append({**r, "rows": _rule_rows(r, outcome.quarantine, obs)})
    order = {"fail": 0, "warn": 1}
    failed.sort(key=lambda r: (order.get(r["status"], 2), r["table"], r["rule"]))
    base["failed_rules"] = json.loads(json.dumps(failed, default=str))
    by_table: dict[str, int] = {}
    for r in outcome.quarantine.select("table").to_series().to_list() if outcome.quarantine.height else []:
        by_table[r] = by_table.get(r, 0) + 1
    base["quarantine_by_table"] = by_table
    return base


def _render_rule_pages(data: dict, out_dir: Path, *, root: str) -> Path:
    """Fallback Data Docs: static pages of every rule result, when no GX session is available."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    return write_atomic(out_dir / "index.html", render("quality_rules.html.j2", d=data, root=root))


def write_quality_report(outcome, observations: pl.DataFrame, reports_dir: Path, *, root: str = "",
                         publication: str | None = None, published: bool = True) -> dict[str, Path]:
    """Write quality.html, quality.json and the GX Data Docs (offline) into ``reports_dir``.

    ``root`` is the path from ``reports_dir`` back to reports/ (for the navigation); ``publication`` the
    run id of the publication this validation describes (None with ``published``: the live one, as
    ``gradfacts validate`` re-validates it); ``published=False``: a run that published nothing.
    """
    from flows.report import gx_docs
    from flows.validate import gx_suites

    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    data = quality_data(outcome, observations)
    data["publication"] = publication
    docs_dir = reports_dir / "quality"
    docs_index = None
    docs_kind = "gx"
    session = gx_suites.existing_session(outcome.run_id)
    if session is not None:
        try:
            docs_index = session.build_data_docs(docs_dir)
            if docs_index is not None:
                left = gx_docs.localize(docs_dir, session.outcomes, session.severities)
                if left:
                    data["data_docs_error"] = "remote references left in Data Docs: " + "; ".join(left[:5])
        except Exception as exc:  # noqa: BLE001 -- the report must still be written
            data["data_docs_error"] = f"{type(exc).__name__}: {exc}"
            docs_index = None
    if docs_index is None:
        docs_kind = "static"
        docs_index = _render_rule_pages(data, docs_dir, root="../" + root)
    data["data_docs"] = {"kind": docs_kind, "path": "quality/index.html"}
    paths = {
        "json": write_atomic(reports_dir / "quality.json", json.dumps(data, indent=2, default=str)),
        "html": write_atomic(reports_dir / "quality.html", render(
            "quality.html.j2", d=data, root=root, here="quality.html", describes=(
                f"Validation of publication {publication}." if publication else
                f"Re-validation of the live publication (run {outcome.run_id})." if published else
                f"Validation of run {outcome.run_id}, which published nothing: the top-level reports "
                "still describe the live publication."))),
        "data_docs": docs_index,
    }
    return paths
