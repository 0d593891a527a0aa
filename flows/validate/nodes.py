"""The validation gate: curated tables in, valid rows + quarantine + rule results out.

Three passes per table, in the order of ``schemas.tables.TABLES`` (sources first: other tables'
rules refer to it):

1. structure (pandera, polars backend, lazy): missing columns and uncastable columns are table-level
   failures; values that cannot be cast, nulls in required columns, duplicate ids, values outside an
   enumeration are row-level failures. Failure cases become quarantine rows -- pandera's
   ``drop_invalid_rows`` is never used, because it discards rows without saying which or why.
2. row rules (``schemas/expectations/<table>.yaml``, scope row) on the rows that passed 1, with GX
   (``use_gx=True``) or the polars engine. Error-severity failures quarantine the row; warnings flag it.
3. table rules (scope table: row counts) on the rows that would be published.

A failed table-level error rule goes into ``blocking``: the lead's publish step must not publish.
Every input row ends up either in ``tables`` or in ``quarantine`` (one quarantine row per failed rule).

Statements held back during resolution (``tables["held_back"]``, flows.resolve.statements) become quarantine
rows of scope ``statement`` (engine resolve) with their quote and span, and one statement-scope result per rule;
their rows were published without them (programs.held_back names them).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from typing import Any

import pandera.polars as pa
import polars as pl

from flows.validate import gx_suites
from flows.validate.gx_suites import EngineResult, Suite
from schemas.tables import ID_COLUMNS, TABLES, empty_frame, polars_schema, schema

SAMPLE_SIZE = 5

#: hours per freshness period (sources' derived columns)
_PERIOD_HOURS = {"hour": 1, "day": 24}


@dataclass
class RuleResult:
    table: str
    rule: str
    severity: str  # error | warning
    status: str  # pass | warn | fail
    failing_rows: int
    sample: list[dict] = field(default_factory=list)
    engine: str = "pandera"  # pandera | gx | polars
    scope: str = "row"  # row | table
    description: str = ""
    message: str = ""
    columns: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {k: _jsonable(v) for k, v in self.__dict__.items()}


@dataclass
class TableStats:
    rows_in: int
    rows_out: int
    rows_quarantined: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ValidationOutcome:
    run_id: str
    tables: dict[str, pl.DataFrame]
    quarantine: pl.DataFrame
    results: list[RuleResult]
    blocking: list[str]
    stats: dict[str, TableStats] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    engine: str = "gx"
    suite_versions: dict[str, int] = field(default_factory=dict)

    @property
    def status(self) -> str:
        """fail: something blocks publishing; warn: rows quarantined or warnings raised; pass otherwise."""
        if self.blocking:
            return "fail"
        if any(r.status != "pass" for r in self.results) or self.quarantine.height:
            return "warn"
        return "pass"

    @property
    def has_errors(self) -> bool:
        """True when any error-severity rule failed (row- or table-level)."""
        return any(r.status == "fail" for r in self.results)

    def counts(self, table: str) -> dict[str, int]:
        rs = [r for r in self.results if r.table == table]
        return {s: sum(r.status == s for r in rs) for s in ("pass", "warn", "fail")}

    def to_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "status": self.status,
            "engine": self.engine,
            "blocking": list(self.blocking),
            "tables": {
                t: {**self.stats[t].to_dict(), **self.counts(t),
                    "suite_version": self.suite_versions.get(t)}
                for t in self.stats
            },
            "results": [r.to_dict() for r in self.results],
            "quarantine_count": self.quarantine.height,
            "quarantine": [_jsonable(r) for r in self.quarantine.to_dicts()],
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
        }


# --------------------------------------------------------------------------- helpers

def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    if isinstance(v, float) and v != v:  # NaN
        return None
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def record_json(row: dict) -> str:
    """A row as JSON text (dates ISO, lists kept)."""
    return json.dumps(_jsonable(row), ensure_ascii=False, sort_keys=False)


@dataclass
class _Failure:
    row: int | None  # position in the input table; None = table-level
    rule: str
    message: str
    engine: str
    severity: str = "error"


def _rule_from_check(column: str, check: str, table: str) -> str:
    name = check.split("(", 1)[0]
    if column == table or column == schema(table).name:
        return name  # dataframe-level check
    if name == "not_nullable":
        return f"{column}.not_null"
    if name == "field_uniqueness":
        return f"{column}.unique"
    if name in ("dtype", "coerce_dtype"):
        return f"{column}.dtype"
    if name == "column_in_dataframe":
        return f"{column}.present"
    return f"{column}.{name}"


def structural_rules(table: str) -> list[tuple[str, str, list[str]]]:
    """(rule, description, columns) for every pandera rule of ``table``, in declaration order."""
    sch = schema(table)
    out = []
    for name, col in sch.columns.items():
        out.append((f"{name}.present", f"column {name} exists", [name]))
        out.append((f"{name}.dtype", f"{name} is {col.dtype}", [name]))
        if not col.nullable:
            out.append((f"{name}.not_null", f"{name} is never null", [name]))
        if col.unique:
            out.append((f"{name}.unique", f"{name} is unique", [name]))
        for ch in col.checks:
            stats = ", ".join(f"{k}={v}" for k, v in (ch.statistics or {}).items())
            out.append((f"{name}.{ch.name}", f"{name}: {ch.name}({stats})", [name]))
    for ch in sch.checks:
        out.append((ch.name, ch.description or ch.name, []))
    return out


def _cast_columns(table: str, df: pl.DataFrame) -> tuple[pl.DataFrame, list[_Failure]]:
    """Add missing columns (table-level failure) and cast to the declared dtypes; uncastable values are row failures."""
    failures: list[_Failure] = []
    target = polars_schema(table)
    exprs = []
    for name, dtype in target.items():
        if name not in df.columns:
            failures.append(_Failure(None, f"{name}.present", f"column {name} is missing", "pandera"))
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
            continue
        src = df[name]
        if src.dtype == dtype:
            exprs.append(pl.col(name))
            continue
        try:
            cast = src.cast(dtype, strict=False)
        except Exception as exc:  # noqa: BLE001 -- e.g. a scalar column where a list is required
            failures.append(_Failure(None, f"{name}.dtype",
                                     f"column {name} of type {src.dtype} cannot be cast to {dtype}: {exc}", "pandera"))
            exprs.append(pl.lit(None, dtype=dtype).alias(name))
            continue
        bad = (src.is_not_null() & cast.is_null()).to_list()
        values = src.to_list()
        for i, b in enumerate(bad):
            if b:
                failures.append(_Failure(i, f"{name}.dtype", f"{name}={values[i]!r} is not a valid {dtype}", "pandera"))
        exprs.append(cast.alias(name))
    extras = [c for c in df.columns if c not in target]
    return df.select(*exprs, *[pl.col(c) for c in extras]), failures


def _pandera_failures(table: str, df: pl.DataFrame) -> list[_Failure]:
    try:
        TABLES[table].validate(df, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    except pa.errors.SchemaError as exc:  # non-lazy error (should not happen with lazy=True)
        return [_Failure(None, "schema", str(exc), "pandera")]
    out = []
    for case in cases.to_dicts():
        rule = _rule_from_check(str(case.get("column")), str(case.get("check")), table)
        idx = case.get("index")
        value = case.get("failure_case")
        if rule.endswith(".not_null"):
            msg = f"{case.get('column')} is null"
        elif rule.endswith(".unique"):
            msg = f"{case.get('column')}={value!r} occurs more than once"
        elif idx is not None and case.get("schema_context") == "DataFrameSchema":
            msg = f"row fails {case.get('check')}"
        else:
            msg = f"{case.get('column')}={value!r} fails {case.get('check')}"
        out.append(_Failure(None if idx is None else int(idx), rule, msg, "pandera"))
    return out


def _with_derived(table: str, df: pl.DataFrame, kept: dict[str, pl.DataFrame],
                  source_texts: dict[str, str] | None) -> pl.DataFrame:
    """Add the derived scalar columns the suites refer to (cross-table facts included)."""
    cols = []
    if "source_ids" in df.columns:
        cols.append(pl.col("source_ids").list.len().cast(pl.Int64).alias("n_source_ids"))
    if "values" in df.columns and table == "conflicts":
        cols.append(pl.col("values").list.len().cast(pl.Int64).alias("n_values"))
    out = df.with_columns(cols) if cols else df

    sources = kept.get("sources")
    if table == "programs" and {"tuition_usd", "tuition_per_credit_usd", "credits", "tuition_basis"} <= set(out.columns):
        # stated total / (per-credit rate x credits): ~1 when the three statements agree
        out = out.with_columns(pl.when(pl.col("tuition_basis") == "stated").then(
            pl.col("tuition_usd") / (pl.col("tuition_per_credit_usd") * pl.col("credits"))).otherwise(None)
            .cast(pl.Float64).alias("tuition_rate_ratio"))
    if table == "programs":
        if sources is not None:
            known = set(sources["source_id"].to_list())
            unknown = [sum(1 for s in (ids or []) if s not in known) for ids in out["source_ids"].to_list()]
            out = out.with_columns(pl.Series("n_unknown_sources", unknown, dtype=pl.Int64))
        else:
            out = out.with_columns(pl.lit(None, dtype=pl.Int64).alias("n_unknown_sources"))
    if table == "observations":
        texts = source_texts or {}
        byte_counts = {} if sources is None else dict(zip(sources["source_id"].to_list(), sources["bytes"].to_list()))
        known_ids = set(byte_counts) | set(texts)
        sids = out["source_id"].to_list()
        starts, ends, quotes = out["char_start"].to_list(), out["char_end"].to_list(), out["quote"].to_list()
        chars, matches, known = [], [], []
        for sid, a, b, q in zip(sids, starts, ends, quotes):
            known.append(sid in known_ids if (sources is not None or texts) else None)
            if sid in texts:
                text = texts[sid]
                chars.append(len(text))
                matches.append(a is not None and b is not None and text[a:b] == q)
            else:
                chars.append(byte_counts.get(sid))
                matches.append(None)
        out = out.with_columns(
            pl.Series("source_known", known, dtype=pl.Boolean),
            pl.Series("source_chars", chars, dtype=pl.Int64),
            pl.Series("quote_matches_source", matches, dtype=pl.Boolean),
        )
    if table == "sources":
        def hours(count: str, period: str) -> pl.Expr:
            return pl.col(count) * pl.col(period).replace_strict(_PERIOD_HOURS, default=None, return_dtype=pl.Int64)
        out = out.with_columns(hours("warn_after_count", "warn_after_period").alias("warn_after_hours"),
                               hours("error_after_count", "error_after_period").alias("error_after_hours"))
    return out


def _sample(df: pl.DataFrame, rows: list[int], table: str, columns: list[str]) -> list[dict]:
    id_col = ID_COLUMNS.get(table)
    keep = [c for c in ([id_col] if id_col else []) + columns if c and c in df.columns]
    keep = list(dict.fromkeys(keep)) or df.columns[:4]
    picked = [r for r in rows[:SAMPLE_SIZE] if 0 <= r < df.height]
    if not picked:
        return []
    return [_jsonable(d) for d in df[picked].select(keep).to_dicts()]


def _describe(res: EngineResult, df: pl.DataFrame, row: int) -> str:
    e = res.expectation
    vals = ", ".join(f"{c}={df[c][row]!r}" for c in e.columns if c in df.columns)
    return f"{e.description or e.type} (got {vals})"


# --------------------------------------------------------------------------- statements held back

#: the resolve stage's table of held-back statements (not a curated table: it ends up in quarantine)
HELD_BACK = "held_back"


def _held_back_rows(held: pl.DataFrame, run_id: str) -> list[dict]:
    return [{"table": r["table"], "record": r["record"], "rule": r["rule"], "message": r["message"], "run_id": run_id,
             "record_key": r["record_key"], "row_index": None, "severity": "error", "engine": "resolve",
             "scope": "statement", "attribute": r["attribute"], "source_id": r["source_id"],
             "char_start": r["char_start"], "char_end": r["char_end"], "quote": r["quote"]}
            for r in held.to_dicts()]


def _held_back_results(held: pl.DataFrame) -> list[RuleResult]:
    out = []
    for (table, rule), grp in held.group_by(["table", "rule"], maintain_order=True):
        rows = grp.to_dicts()
        out.append(RuleResult(
            table=table, rule=rule, severity="error", status="fail", failing_rows=len({r["record_key"] for r in rows}),
            sample=[{ID_COLUMNS.get(table) or "key": r["record_key"], "quote": r["quote"], "source_id": r["source_id"]}
                    for r in rows[:SAMPLE_SIZE]],
            engine="resolve", scope="statement",
            description=f"{rule}, per statement: a statement failing it is held back and its row published without it",
            message="; ".join(dict.fromkeys(r["message"] for r in rows))[:500], columns=[]))
    return out


# --------------------------------------------------------------------------- the gate

def validate_tables(tables: dict[str, pl.DataFrame], *, run_id: str,
                    source_texts: dict[str, str] | None = None, use_gx: bool = True) -> ValidationOutcome:
    """Validate curated tables; see the module docstring. Tables not in the contract pass through untouched."""
    t0 = time.perf_counter()
    suites = gx_suites.load_suites()
    gx_session = None
    timings: dict[str, float] = {}
    if use_gx:
        t = time.perf_counter()
        gx_session = gx_suites.start_session(run_id)
        timings["gx_setup"] = time.perf_counter() - t
    gx_run_s = 0.0

    results: list[RuleResult] = []
    quarantine_rows: list[dict] = []
    kept: dict[str, pl.DataFrame] = {}
    stats: dict[str, TableStats] = {}
    blocking: list[str] = []

    # an input "quarantine" table (an earlier run's) is not re-judged and not passed on: the outcome's
    # quarantine is this run's
    order = [t for t in TABLES if t in tables and t != "quarantine"]
    for name, df in tables.items():
        if name not in TABLES and name != HELD_BACK:
            kept[name] = df  # not ours to judge
    held = tables.get(HELD_BACK)
    if held is not None and held.height:
        quarantine_rows.extend(_held_back_rows(held, run_id))
        results.extend(_held_back_results(held))

    for table in order:
        raw = tables[table]
        id_col = ID_COLUMNS.get(table)

        # 1. structure
        cast, failures = _cast_columns(table, raw)
        table_level = [f for f in failures if f.row is None]
        if not table_level:
            failures += _pandera_failures(table, cast)
        table_level = [f for f in failures if f.row is None]
        struct_by_rule: dict[str, list[_Failure]] = {}
        for f in failures:
            struct_by_rule.setdefault(f.rule, []).append(f)
        declared = structural_rules(table)
        declared_names = {r for r, _, _ in declared}
        for rule, desc, cols in declared + [(r, r, []) for r in struct_by_rule if r not in declared_names]:
            fs = struct_by_rule.get(rule, [])
            rows = sorted({f.row for f in fs if f.row is not None})
            results.append(RuleResult(
                table=table, rule=rule, severity="error", status="fail" if fs else "pass",
                failing_rows=len(rows), sample=_sample(raw, rows, table, cols), engine="pandera",
                scope="table" if any(f.row is None for f in fs) else "row", description=desc,
                message="; ".join(dict.fromkeys(f.message for f in fs))[:500], columns=cols))
        for f in table_level:
            blocking.append(f"{table}: {f.rule} ({f.message})")

        bad_rows: dict[int, list[_Failure]] = {}
        for f in failures:
            if f.row is not None:
                bad_rows.setdefault(f.row, []).append(f)

        suite: Suite | None = suites.get(table)
        if table_level:
            # the table cannot be trusted as a whole: no business rules, nothing quarantined row by row
            candidate_pos = [i for i in range(raw.height) if i not in bad_rows]
            kept_df = cast[candidate_pos] if candidate_pos else cast.head(0)
        else:
            candidate_pos = [i for i in range(raw.height) if i not in bad_rows]
            candidate = cast[candidate_pos] if candidate_pos else cast.head(0)
            derived = _with_derived(table, candidate, kept, source_texts)

            # 2. row rules
            row_results: list[EngineResult] = []
            if suite is not None:
                t = time.perf_counter()
                row_results = (gx_session.run(suite, derived, scope="row") if gx_session
                               else gx_suites.run_native(suite, derived, scope="row"))
                gx_run_s += time.perf_counter() - t if gx_session else 0.0
            error_rows: set[int] = set()
            for res in row_results:
                e = res.expectation
                orig_rows = [candidate_pos[r] for r in res.rows if 0 <= r < len(candidate_pos)]
                if res.error:
                    status = "fail" if e.severity == "error" else "warn"
                    if e.severity == "error":
                        blocking.append(f"{table}: {e.id} could not be evaluated ({res.error})")
                elif res.success:
                    status = "pass"
                else:
                    status = "fail" if e.severity == "error" else "warn"
                results.append(RuleResult(
                    table=table, rule=e.id, severity=e.severity, status=status, failing_rows=len(orig_rows),
                    sample=_sample(derived, res.rows, table, e.columns), engine=res.engine,
                    scope="table" if res.error else "row", description=e.description,
                    message=res.error or "", columns=e.columns, evidence=list(e.evidence)))
                if e.severity == "error" and not res.error:
                    for r, orig in zip(res.rows, orig_rows):
                        error_rows.add(r)
                        bad_rows.setdefault(orig, []).append(
                            _Failure(orig, e.id, _describe(res, derived, r), res.engine))
            keep_local = [i for i in range(candidate.height) if i not in error_rows]
            kept_df = candidate[keep_local] if keep_local else candidate.head(0)

            # 3. table rules on what would be published
            if suite is not None and suite.scoped("table"):
                suite = gx_suites.corpus_bounds(suite, tables["sources"].height if "sources" in tables else 0)
                kept_derived = _with_derived(table, kept_df, kept, source_texts)
                t = time.perf_counter()
                table_results = (gx_session.run(suite, kept_derived, scope="table") if gx_session
                                 else gx_suites.run_native(suite, kept_derived, scope="table"))
                gx_run_s += time.perf_counter() - t if gx_session else 0.0
                for res in table_results:
                    e = res.expectation
                    status = "pass" if res.success and not res.error else ("fail" if e.severity == "error" else "warn")
                    bounds = {k: v for k, v in e.kwargs.items() if k in ("min_value", "max_value")}
                    msg = res.error or (f"{res.observed} rows published; bounds {bounds}" if status != "pass" else "")
                    results.append(RuleResult(
                        table=table, rule=e.id, severity=e.severity, status=status, failing_rows=0,
                        sample=[{"observed_rows": res.observed, **bounds}], engine=res.engine, scope="table",
                        description=e.description, message=msg, columns=e.columns))
                    if status == "fail":
                        blocking.append(f"{table}: {e.id} ({msg})")

        # quarantine rows for every row-level failure
        for pos in sorted(bad_rows):
            row = raw.row(pos, named=True)
            key = row.get(id_col) if id_col else None
            for f in bad_rows[pos]:
                quarantine_rows.append({
                    "table": table, "record": record_json(row), "rule": f.rule, "message": f.message,
                    "run_id": run_id, "record_key": None if key is None else str(key), "row_index": pos,
                    "severity": "error", "engine": f.engine,
                })
        kept[table] = kept_df
        stats[table] = TableStats(rows_in=raw.height, rows_out=kept_df.height, rows_quarantined=len(bad_rows))

    quarantine = (pl.DataFrame(quarantine_rows, schema=polars_schema("quarantine")) if quarantine_rows
                  else empty_frame("quarantine"))
    if use_gx:
        timings["gx_run"] = gx_run_s
    timings["total"] = time.perf_counter() - t0
    return ValidationOutcome(
        run_id=run_id, tables=kept,
        quarantine=quarantine, results=results, blocking=blocking, stats=stats, timings=timings,
        engine="gx" if use_gx else "polars",
        suite_versions={t: s.version for t, s in suites.items()},
    )
