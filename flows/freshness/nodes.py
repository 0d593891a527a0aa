"""Freshness of sources, curated tables and programs -- pure functions, no I/O.

Semantics follow dbt ``source freshness`` and Soda freshness checks, then go further:

* Each source has two thresholds, ``warn_after`` and ``error_after``, each ``{count, period}`` with
  period ``day`` or ``hour`` (``minute`` is also understood). A missing or malformed threshold falls
  back to the project default.
* The date that counts (the source's *basis*) is the source's own stated ``updated_on``, else its
  ``published_on``, else its ``retrieved_at``. A stated date is a calendar date and counts from
  00:00 UTC of that day.
* ``age = as_of - basis``; a source is ``error`` when age > error_after, else ``warn`` when
  age > warn_after, else ``pass`` (strictly greater, as in dbt). With no date at all it is ``unknown``.
* A curated table's supporting sources are the distinct ids in its ``source_ids`` (list) or
  ``source_id`` (scalar) column; its status is the worst status among them. A table with no rows is
  vacuously ``pass``; an id that is not in the sources table is ``unknown``.
* A program's age is the age of its newest supporting fact: the newest basis date among its
  ``source_ids``; its status is that newest source's status.
* Exit code (Soda): 0 when everything passes, 1 when anything warns (``unknown`` counts as a warning),
  2 when anything errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from functools import lru_cache
from typing import Any, Iterable, Mapping

import polars as pl

STATUSES = ("pass", "warn", "error", "unknown")
#: severity order used for "worst of" roll-ups
SEVERITY = {"pass": 0, "unknown": 1, "warn": 2, "error": 3}
#: exit code each status contributes (unknown counts as a warning)
EXIT_CODES = {"pass": 0, "unknown": 1, "warn": 1, "error": 2}
BASES = ("updated_on", "published_on", "retrieved_at")

PERIOD_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_PERIOD_ALIASES = {
    "minute": "minute", "minutes": "minute", "min": "minute",
    "hour": "hour", "hours": "hour", "h": "hour",
    "day": "day", "days": "day", "d": "day",
}

#: used only when neither the source row nor the caller supplies thresholds
FALLBACK_CRITERIA: dict[str, dict[str, Any]] = {
    "warn_after": {"count": 180, "period": "day"},
    "error_after": {"count": 365, "period": "day"},
}

#: tables that are not supported by sources (the sources table itself, the quarantine log)
_NOT_SOURCED = frozenset({"sources", "quarantine"})


# ----------------------------------------------------------------------------- small helpers


def as_utc(value: date | datetime) -> datetime:
    """A date or datetime as an aware UTC datetime (naive values are taken to be UTC; a date is 00:00)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
    return datetime.combine(value, time(0, 0), tzinfo=timezone.utc)


def _to_date(value: Any) -> date | None:
    """A calendar date from a date, datetime or ISO string; None when absent or unreadable."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_utc(value).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None
    return None


def _to_datetime(value: Any) -> datetime | None:
    """An aware UTC datetime from a datetime, date or ISO string; None when absent or unreadable."""
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return as_utc(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return as_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            d = _to_date(text)
            return as_utc(d) if d else None
    return None


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_utc(value).isoformat().replace("+00:00", "Z")
    return value.isoformat()


def normalize_period(period: Any) -> str | None:
    """``"days"`` -> ``"day"``; None for anything that is not a known period."""
    if not isinstance(period, str):
        return None
    return _PERIOD_ALIASES.get(period.strip().lower())


def normalize_threshold(raw: Any) -> dict[str, Any] | None:
    """``{count, period}`` with a positive-or-zero int count and a known period, else None."""
    if not isinstance(raw, Mapping):
        return None
    count, period = raw.get("count"), normalize_period(raw.get("period"))
    if isinstance(count, bool) or period is None:
        return None
    try:
        count_int = int(count)
    except (TypeError, ValueError):
        return None
    if count_int != count or count_int < 0:  # rejects 1.5, "x", negatives
        return None
    return {"count": count_int, "period": period}


def threshold_seconds(threshold: Mapping[str, Any] | None) -> float | None:
    if not threshold:
        return None
    return float(threshold["count"] * PERIOD_SECONDS[threshold["period"]])


def normalize_criteria(defaults: Mapping[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Project-default criteria: each of warn_after / error_after from ``defaults`` when valid, else fallback."""
    out: dict[str, dict[str, Any]] = {}
    for key in ("warn_after", "error_after"):
        got = normalize_threshold(defaults.get(key)) if isinstance(defaults, Mapping) else None
        out[key] = got or dict(FALLBACK_CRITERIA[key])
    return out


def status_for(age_seconds: float | None, warn_after: Mapping | None, error_after: Mapping | None) -> str:
    """dbt's rule: error if age > error_after, warn if age > warn_after, else pass; unknown without an age."""
    if age_seconds is None:
        return "unknown"
    err = threshold_seconds(error_after)
    if err is not None and age_seconds > err:
        return "error"
    warn = threshold_seconds(warn_after)
    if warn is not None and age_seconds > warn:
        return "warn"
    return "pass"


def worst(statuses: Iterable[str]) -> str:
    """The most severe status (error > warn > unknown > pass); ``pass`` for an empty collection."""
    result = "pass"
    for s in statuses:
        if SEVERITY.get(s, SEVERITY["unknown"]) > SEVERITY[result]:
            result = s if s in SEVERITY else "unknown"
    return result


def exit_code_for(statuses: Iterable[str]) -> int:
    return max((EXIT_CODES.get(s, 1) for s in statuses), default=0)


def _count(statuses: Iterable[str]) -> dict[str, int]:
    counts = {s: 0 for s in STATUSES}
    for s in statuses:
        counts[s if s in counts else "unknown"] += 1
    counts["total"] = sum(counts[s] for s in STATUSES)
    return counts


# ----------------------------------------------------------------------------- per source


@dataclass(frozen=True)
class _Basis:
    name: str | None  # "updated_on" | "published_on" | "retrieved_at" | None
    stated_date: date | None
    reference: datetime | None  # the instant the age counts from


def choose_basis(updated_on: Any, published_on: Any, retrieved_at: Any) -> _Basis:
    """The date that counts: stated updated_on, else stated published_on, else retrieved_at."""
    upd, pub, ret = _to_date(updated_on), _to_date(published_on), _to_datetime(retrieved_at)
    if upd is not None:
        return _Basis("updated_on", upd, as_utc(upd))
    if pub is not None:
        return _Basis("published_on", pub, as_utc(pub))
    if ret is not None:
        return _Basis("retrieved_at", None, ret)
    return _Basis(None, None, None)


def _row_criteria(row: Mapping[str, Any], defaults: dict[str, dict[str, Any]], notes: list[str]):
    crit = {}
    for key in ("warn_after", "error_after"):
        raw = {"count": row.get(f"{key}_count"), "period": row.get(f"{key}_period")}
        got = normalize_threshold(raw)
        if got is None:
            if raw["count"] is not None or raw["period"] is not None:
                notes.append(f"{key} {raw['count']!r} {raw['period']!r} is not a valid threshold; project default used")
            got = dict(defaults[key])
        crit[key] = got
    w, e = threshold_seconds(crit["warn_after"]), threshold_seconds(crit["error_after"])
    if w is not None and e is not None and w > e:
        notes.append("warn_after is longer than error_after, so warn can never be reached")
    return crit


def source_freshness(row: Mapping[str, Any], as_of: datetime, defaults: dict[str, dict[str, Any]]) -> dict:
    """Freshness record for one row of the sources table."""
    as_of = as_utc(as_of)
    notes: list[str] = []
    basis = choose_basis(row.get("updated_on"), row.get("published_on"), row.get("retrieved_at"))
    crit = _row_criteria(row, defaults, notes)
    upd, pub = _to_date(row.get("updated_on")), _to_date(row.get("published_on"))
    if upd is not None and pub is not None and upd < pub:
        notes.append("updated_on is earlier than published_on")
    age_seconds = None
    if basis.reference is not None:
        age_seconds = (as_of - basis.reference).total_seconds()
        if age_seconds < 0:
            notes.append(f"{basis.name} is after as_of")
    status = status_for(age_seconds, crit["warn_after"], crit["error_after"])
    if status == "unknown":
        notes.append("no stated date and no retrieved_at")
    retrieved = _to_datetime(row.get("retrieved_at"))
    return {
        "source_id": row.get("source_id"),
        "title": row.get("title"),
        "file": row.get("file"),
        "url": row.get("url"),
        "stated_date": _iso(basis.stated_date),
        "updated_on": _iso(upd),
        "published_on": _iso(pub),
        "basis": basis.name,
        "max_loaded_at": _iso(basis.reference),
        "retrieved_at": _iso(retrieved),
        "retrieved_at_basis": row.get("retrieved_at_basis"),
        "age_seconds": None if age_seconds is None else round(age_seconds, 3),
        "age_hours": None if age_seconds is None else round(age_seconds / 3600, 2),
        "age_days": None if age_seconds is None else round(age_seconds / 86400, 2),
        "criteria": crit,
        "status": status,
        "notes": notes,
    }


# ----------------------------------------------------------------------------- tables and programs


def _ids_in(value: Any) -> list[str]:
    """Source ids from a list cell or a scalar cell, blanks dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    try:
        return [v for v in value if isinstance(v, str) and v.strip()]
    except TypeError:
        return []


def supporting_source_ids(frame: pl.DataFrame) -> list[str] | None:
    """Distinct source ids a table rests on (sorted), or None when it has no source column."""
    if "source_ids" in frame.columns:
        col = frame.get_column("source_ids")
    elif "source_id" in frame.columns:
        col = frame.get_column("source_id")
    else:
        return None
    ids: set[str] = set()
    for cell in col.to_list():
        ids.update(_ids_in(cell))
    return sorted(ids)


@lru_cache(maxsize=1 << 16)  # pure; a source's date is read once per program it supports (150,000 at 10,000)
def _loaded_at(value: str):
    return _to_datetime(value)


def _newest_oldest(ids: list[str], by_id: Mapping[str, dict]):
    """((date, id) of the newest, (date, id) of the oldest) supporting source; ties go to the smaller id."""
    dated = sorted(
        ((_loaded_at(by_id[i]["max_loaded_at"]), i) for i in ids if i in by_id and by_id[i]["max_loaded_at"]),
        key=lambda t: t[1],
    )
    if not dated:
        return None, None
    newest = max(dated, key=lambda t: t[0])  # first maximal element: smallest id among ties
    oldest = min(dated, key=lambda t: t[0])
    return (_iso(newest[0]), newest[1]), (_iso(oldest[0]), oldest[1])


def table_freshness(frame: pl.DataFrame, by_id: Mapping[str, dict]) -> dict | None:
    ids = supporting_source_ids(frame)
    if ids is None:
        return None
    missing = [i for i in ids if i not in by_id]
    newest, oldest = _newest_oldest(ids, by_id)
    statuses = [by_id[i]["status"] if i in by_id else "unknown" for i in ids]
    return {
        "rows": frame.height,
        "source_ids": ids,
        "n_sources": len(ids),
        "newest_source": newest[1] if newest else None,
        "newest_date": newest[0] if newest else None,
        "oldest_source": oldest[1] if oldest else None,
        "oldest_date": oldest[0] if oldest else None,
        "missing_sources": missing,
        "status": worst(statuses),
    }


#: the columns of a programs row that program_freshness reads
PROGRAM_COLUMNS = ("program_id", "university", "degree_title", "source_ids", "as_of")


def program_freshness(row: Mapping[str, Any], by_id: Mapping[str, dict], as_of: datetime) -> dict:
    ids = sorted(set(_ids_in(row.get("source_ids"))))
    missing = [i for i in ids if i not in by_id]
    newest, oldest = _newest_oldest(ids, by_id)
    notes: list[str] = []
    if newest is None:
        status, age_days, age_hours, newest_src, newest_date = "unknown", None, None, None, None
        notes.append("no supporting source with a date")
    else:
        newest_date, newest_src = newest
        status = by_id[newest_src]["status"]
        age_days = by_id[newest_src]["age_days"]
        age_hours = by_id[newest_src]["age_hours"]
    curated_as_of = _to_date(row.get("as_of"))
    if curated_as_of is not None and newest_date is not None and curated_as_of.isoformat() != newest_date[:10]:
        notes.append(f"curated as_of {curated_as_of.isoformat()} differs from newest supporting date {newest_date[:10]}")
    if missing:
        notes.append("source ids not in the sources table: " + ", ".join(missing))
    return {
        "program_id": row.get("program_id"),
        "university": row.get("university"),
        "degree_title": row.get("degree_title"),
        "source_ids": ids,
        "newest_fact_source": newest_src,
        "newest_fact_date": newest_date,
        "newest_fact_basis": by_id[newest_src]["basis"] if newest_src else None,
        "oldest_fact_source": oldest[1] if oldest else None,
        "oldest_fact_date": oldest[0] if oldest else None,
        "age_days": age_days,
        "age_hours": age_hours,
        "curated_as_of": _iso(curated_as_of),
        "status": status,
        "notes": notes,
    }


# ----------------------------------------------------------------------------- the whole report


def compute_freshness(
    sources: pl.DataFrame,
    tables: dict[str, pl.DataFrame],
    as_of: datetime,
    defaults: Mapping[str, Any] | None = None,
) -> dict:
    """Freshness report for every source, every curated table and every program, as of ``as_of``.

    ``sources`` is the curated sources table; ``tables`` maps table name -> frame (the sources and
    quarantine tables, and any table without a ``source_ids``/``source_id`` column, are not rolled up);
    ``defaults`` is the project default ``{"warn_after": {count, period}, "error_after": {...}}``
    used where a source row lacks a valid threshold. Pure: same inputs, same dict.
    """
    as_of_utc = as_utc(as_of)
    crit_defaults = normalize_criteria(defaults)
    rows = sources.to_dicts() if isinstance(sources, pl.DataFrame) else []
    src = [source_freshness(r, as_of_utc, crit_defaults) for r in rows]
    # stalest first: severity, then oldest age (unknown ages last within their group), then id
    src.sort(key=lambda s: (-SEVERITY[s["status"]], -(s["age_seconds"] if s["age_seconds"] is not None else float("-inf")), str(s["source_id"])))
    by_id = {s["source_id"]: s for s in src if s["source_id"] is not None}

    table_out: dict[str, dict] = {}
    skipped: list[str] = []
    for name in sorted(tables):
        frame = tables[name]
        rec = None if name in _NOT_SOURCED or not isinstance(frame, pl.DataFrame) else table_freshness(frame, by_id)
        if rec is None:
            skipped.append(name)
        else:
            table_out[name] = rec

    programs: list[dict] = []
    prog_frame = tables.get("programs")
    if isinstance(prog_frame, pl.DataFrame) and "program_id" in prog_frame.columns:
        used = [c for c in PROGRAM_COLUMNS if c in prog_frame.columns]  # not every column of 7,000+ rows
        programs = [program_freshness(r, by_id, as_of_utc) for r in prog_frame.select(used).to_dicts()]
        programs.sort(key=lambda p: (-SEVERITY[p["status"]], -(p["age_days"] if p["age_days"] is not None else float("-inf")), str(p["program_id"])))

    statuses = [s["status"] for s in src] + [t["status"] for t in table_out.values()] + [p["status"] for p in programs]
    summary = {
        "sources": _count(s["status"] for s in src),
        "tables": _count(t["status"] for t in table_out.values()),
        "programs": _count(p["status"] for p in programs),
        "bases": {b: sum(1 for s in src if s["basis"] == b) for b in BASES},
    }
    summary["status"] = worst(statuses)
    return {
        "as_of": _iso(as_of_utc),
        "snapshotted_at": _iso(as_of_utc),
        "criteria_defaults": crit_defaults,
        "sources": src,
        "tables": table_out,
        "tables_not_rolled_up": skipped,
        "programs": programs,
        "summary": summary,
        "exit_code": exit_code_for(statuses),
    }


# ----------------------------------------------------------------------------- project default from YAML


def find_default_criteria(config: Any) -> dict[str, Any] | None:
    """The project-default thresholds inside a parsed sources.yaml, wherever they sit.

    Looks for a mapping that has ``warn_after`` / ``error_after`` (each ``{count, period}``) or flat
    ``warn_after_count``/``warn_after_period``/... keys. A mapping under a key containing "default"
    wins; otherwise the shallowest one. Returns None when there is none.
    """
    found: list[tuple[int, int, dict]] = []  # (not-under-default, depth, criteria)

    def as_criteria(m: Mapping) -> dict | None:
        crit = {}
        for key in ("warn_after", "error_after"):
            if isinstance(m.get(key), Mapping):
                crit[key] = dict(m[key])
            elif f"{key}_count" in m or f"{key}_period" in m:
                crit[key] = {"count": m.get(f"{key}_count"), "period": m.get(f"{key}_period")}
        return crit or None

    def walk(node: Any, depth: int, under_default: bool) -> None:
        if depth > 8:
            return
        if isinstance(node, Mapping):
            crit = as_criteria(node)
            if crit:
                found.append((0 if under_default else 1, depth, crit))
            for k, v in node.items():
                walk(v, depth + 1, under_default or "default" in str(k).lower())
        elif isinstance(node, list):
            for v in node:
                walk(v, depth + 1, under_default)

    walk(config, 0, False)
    if not found:
        return None
    found.sort(key=lambda t: (t[0], t[1]))
    return found[0][2]
