"""Expectation suites from ``schemas/expectations/*.yaml``: loading, and two engines that run them.

* :func:`run_gx` runs a suite with Great Expectations 1.x (ephemeral context, pandas batch, result
  format COMPLETE) and maps ``unexpected_index_list`` back to row positions.
* :func:`run_native` evaluates the same expectations with polars, for the handful of expectation
  types the suites use. It is the fast path (``use_gx=False``) and a cross-check of the GX results.

``great_expectations`` is imported only inside :class:`GXSession`, which runs in the Great Expectations engine
process (flows/validate/gx_process.py): the import alone costs about 2.6 s on this machine (10 s without
compiled bytecode), and there it is paid on the other core while the refresh goes on.

Two GX facts this module works around (checked on 1.24.1):
* Data Docs insert unexpected values into the HTML without escaping them, so every string value is
  HTML-escaped (``html.escape``) before it reaches GX; the escaping is injective, so set membership
  and equality are unchanged, and the escaped text displays as the original characters.
* GX cannot validate list columns; suites refer to derived scalar columns (``n_source_ids``...) instead.
* Data Docs ignore an expectation's ``severity``: a suite whose only failures are warnings is shown as
  "Failed". Each run records its suite's worst failure (``get_max_severity_failure``) in
  :attr:`GXSession.outcomes` and :mod:`flows.report.gx_docs` relabels such suites "Warning".

Each GX expectation carries GX 1.x's own ``severity`` (error -> critical, warning -> warning) and
``description`` (the suite's wording), and failing rows are named by the table's key (``program_id``...)
as GX's ``unexpected_index_column_names``; the row position ``_row`` is added only where the key cannot
name a row (null or repeated in the frame validated).
"""

from __future__ import annotations

import html
import os
import shutil
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from flows.common.yamlfile import load_yaml
from schemas.keys import ID_COLUMNS  # (not schemas.tables: the GX engine process does not import pandera)

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "schemas" / "expectations"
ROW_COLUMN = "_row"

#: gradfacts severity -> GX 1.x FailureSeverity value
GX_SEVERITY = {"error": "critical", "warning": "warning"}

#: expectation types both engines understand
SUPPORTED_TYPES = (
    "expect_table_row_count_to_be_between",
    "expect_column_values_to_be_between",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_unique",
    "expect_column_pair_values_a_to_be_greater_than_b",
    "expect_column_pair_values_to_be_equal",
)


@dataclass(frozen=True)
class Expectation:
    """One rule of a suite."""

    id: str
    severity: str  # error | warning
    type: str
    kwargs: dict[str, Any]
    scope: str = "row"  # row | table
    description: str = ""
    evidence: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        k = self.kwargs
        return [k[c] for c in ("column", "column_A", "column_B") if c in k]


@dataclass(frozen=True)
class Suite:
    table: str
    version: int
    description: str
    derived: dict[str, str]
    expectations: tuple[Expectation, ...]

    def scoped(self, scope: str) -> list[Expectation]:
        return [e for e in self.expectations if e.scope == scope]


@dataclass
class EngineResult:
    """What one expectation found: failing row positions (row scope) or a table-level verdict."""

    expectation: Expectation
    success: bool
    rows: list[int] = field(default_factory=list)  # positions in the frame validated
    observed: Any = None
    error: str | None = None  # the engine raised while evaluating
    engine: str = "polars"


def parse_suite(data: dict, *, source: str = "<suite>") -> Suite:
    """Build a :class:`Suite` from its YAML mapping; ValueError on a malformed rule."""
    exps = []
    seen = set()
    for raw in data.get("expectations") or []:
        try:
            e = Expectation(
                id=str(raw["id"]), severity=str(raw["severity"]), type=str(raw["type"]),
                kwargs=dict(raw.get("kwargs") or {}), scope=str(raw.get("scope", "row")),
                description=str(raw.get("description", "")),
                evidence=tuple(raw.get("evidence") or ()),
            )
        except KeyError as exc:
            raise ValueError(f"{source}: expectation without {exc}") from None
        if e.severity not in ("error", "warning"):
            raise ValueError(f"{source}: {e.id}: severity must be error or warning, not {e.severity!r}")
        if e.scope not in ("row", "table"):
            raise ValueError(f"{source}: {e.id}: scope must be row or table")
        if e.type not in SUPPORTED_TYPES:
            raise ValueError(f"{source}: {e.id}: unsupported expectation type {e.type}")
        if e.id in seen:
            raise ValueError(f"{source}: duplicate expectation id {e.id}")
        seen.add(e.id)
        exps.append(e)
    return Suite(table=str(data["table"]), version=int(data.get("version", 1)),
                 description=str(data.get("description", "")), derived=dict(data.get("derived") or {}),
                 expectations=tuple(exps))


@lru_cache(maxsize=None)
def load_suites(directory: str | None = None) -> dict[str, Suite]:
    """All suites under ``directory`` (default schemas/expectations), keyed by table."""
    d = Path(directory) if directory else EXPECTATIONS_DIR
    suites = {}
    for path in sorted(d.glob("*.yaml")):
        suite = parse_suite(load_yaml(path), source=path.name)
        suites[suite.table] = suite
    return suites


# --------------------------------------------------------------------------- native (polars) engine

def _ignored(df: pl.DataFrame, a: str, b: str, how: str) -> pl.Series:
    na, nb = df[a].is_null(), df[b].is_null()
    if how == "either_value_is_missing":
        return na | nb
    if how == "neither":
        return pl.Series([False] * df.height)
    return na & nb  # both_values_are_missing (the GX default)


def _unexpected_mask(df: pl.DataFrame, e: Expectation) -> pl.Series:
    k = e.kwargs
    t = e.type
    if t == "expect_column_values_to_be_between":
        s = df[k["column"]]
        bad = pl.Series([False] * df.height)
        if k.get("min_value") is not None:
            bad = bad | ((s <= k["min_value"]) if k.get("strict_min") else (s < k["min_value"])).fill_null(False)
        if k.get("max_value") is not None:
            bad = bad | ((s >= k["max_value"]) if k.get("strict_max") else (s > k["max_value"])).fill_null(False)
        return bad
    if t == "expect_column_values_to_be_in_set":
        s = df[k["column"]]
        return (~s.is_in(list(k["value_set"]))).fill_null(False) & s.is_not_null()
    if t == "expect_column_values_to_not_be_null":
        return df[k["column"]].is_null()
    if t == "expect_column_values_to_be_unique":
        s = df[k["column"]]
        return s.is_duplicated() & s.is_not_null()
    if t in ("expect_column_pair_values_a_to_be_greater_than_b", "expect_column_pair_values_to_be_equal"):
        a, b = df[k["column_A"]], df[k["column_B"]]
        ignored = _ignored(df, k["column_A"], k["column_B"], k.get("ignore_row_if", "both_values_are_missing"))
        if t == "expect_column_pair_values_to_be_equal":
            ok = a == b
        else:
            ok = (a >= b) if k.get("or_equal") else (a > b)
        return (~ok.fill_null(False)) & ~ignored
    raise ValueError(f"unsupported expectation type {t}")


def corpus_bounds(suite: Suite, n_sources: int) -> Suite:
    """``suite`` with row-count bounds that follow the corpus: a row-count rule's ``max_value_per_source: k``
    raises its ``max_value`` to ``k`` x the number of sources when that is larger (3 pages and 10,000 pages
    cannot share one constant). Resolved before either engine runs, so both read a plain ``max_value``."""
    exps, changed = [], False
    for e in suite.expectations:
        per = e.kwargs.get("max_value_per_source")
        if e.type == "expect_table_row_count_to_be_between" and per is not None:
            kw = {k: v for k, v in e.kwargs.items() if k != "max_value_per_source"}
            kw["max_value"] = max(kw.get("max_value") or 0, int(per * n_sources))
            e, changed = replace(e, kwargs=kw), True
        exps.append(e)
    return replace(suite, expectations=tuple(exps)) if changed else suite


def run_native(suite: Suite, df: pl.DataFrame, *, scope: str) -> list[EngineResult]:
    """Evaluate the suite's ``scope`` expectations on ``df`` with polars."""
    out = []
    for e in suite.scoped(scope):
        if e.type == "expect_table_row_count_to_be_between":
            lo, hi = e.kwargs.get("min_value"), e.kwargs.get("max_value")
            ok = (lo is None or df.height >= lo) and (hi is None or df.height <= hi)
            out.append(EngineResult(e, ok, observed=df.height))
            continue
        missing = [c for c in e.columns if c not in df.columns]
        if missing:
            out.append(EngineResult(e, False, error=f"missing column(s) {', '.join(missing)}"))
            continue
        try:
            mask = _unexpected_mask(df, e)
        except Exception as exc:  # noqa: BLE001 -- a broken rule is reported, never a crash
            out.append(EngineResult(e, False, error=f"{type(exc).__name__}: {exc}"))
            continue
        rows = [i for i, bad in enumerate(mask.to_list()) if bad]
        out.append(EngineResult(e, not rows, rows=rows, observed=len(rows)))
    return out


# --------------------------------------------------------------------------- Great Expectations engine

def _escape_strings(df: pl.DataFrame) -> pl.DataFrame:
    exprs = []
    for name, dtype in df.schema.items():
        if dtype == pl.Utf8:
            exprs.append(pl.col(name).map_elements(html.escape, return_dtype=pl.Utf8))
    return df.with_columns(exprs) if exprs else df


def _gx_kwargs(e: Expectation) -> dict:
    k = dict(e.kwargs)
    if "value_set" in k:
        k["value_set"] = [html.escape(v) if isinstance(v, str) else v for v in k["value_set"]]
    return k


def _gx_description(text: str) -> str | None:
    """GX puts ``description`` into Data Docs as the rendered text, unescaped: escape its markup."""
    return html.escape(text, quote=False) if text else None


def _index_columns(frame: pl.DataFrame, key: str | None) -> list[str]:
    """The columns GX names a failing row by: the table key when it identifies every row, else key + _row."""
    if not key or key not in frame.columns:
        return [ROW_COLUMN]
    col = frame[key]
    if col.null_count() == 0 and col.n_unique() == frame.height:
        return [key]
    return [key, ROW_COLUMN]


def _class_name(expectation_type: str) -> str:
    return "".join(part.capitalize() for part in expectation_type.split("_"))


def _quiet_gx() -> None:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


class GXSession:
    """One ephemeral GX context for a validation run: suites are added and run; Data Docs built from it."""

    @staticmethod
    def warm_up():
        """Import Great Expectations (the engine process does this before its first request)."""
        _quiet_gx()
        import logging

        import great_expectations as gx
        import great_expectations.expectations  # noqa: F401 - the expectation classes `run` looks up

        # some GX modules pin their own logger to INFO at import; keep a refresh's output to its summary
        logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)
        return gx

    def __init__(self, run_id: str):
        gx = self.warm_up()
        self.gx = gx
        self.run_id = run_id
        self.context = gx.get_context(mode="ephemeral")
        self.context.enable_analytics(False)
        try:
            self.context.variables.progress_bars = {"globally": False, "metric_calculations": False}
        except Exception:  # noqa: BLE001 -- cosmetic only
            pass
        self.datasource = self.context.data_sources.add_pandas("gradfacts")
        self._assets: dict[str, Any] = {}
        #: suite name -> "pass" | "warn" | "fail" (worst failed severity), for the Data Docs relabelling
        self.outcomes: dict[str, str] = {}
        #: suite name -> {description as given to GX: gradfacts severity}, to show severity per rule
        self.severities: dict[str, dict[str, str]] = {}

    def run(self, suite: Suite, df: pl.DataFrame, *, scope: str) -> list[EngineResult]:
        """Run the suite's ``scope`` expectations over ``df``; failing rows are named by the table key."""
        import great_expectations.expectations as gxe

        exps = suite.scoped(scope)
        if not exps:
            return []
        name = f"{suite.table}.{scope}"
        gx_exps = []
        for e in exps:
            cls = getattr(gxe, _class_name(e.type))
            gx_exps.append(cls(**_gx_kwargs(e), severity=GX_SEVERITY[e.severity],
                               description=_gx_description(e.description), meta={"rule": e.id}))
        self.severities[name] = {_gx_description(e.description): e.severity for e in exps if e.description}
        gsuite = self.context.suites.add(self.gx.ExpectationSuite(name=name, expectations=gx_exps))
        asset = self.datasource.add_dataframe_asset(name)
        batch_def = asset.add_batch_definition_whole_dataframe("all_rows")
        vd = self.context.validation_definitions.add(
            self.gx.ValidationDefinition(name=f"{name} ({self.run_id})", data=batch_def, suite=gsuite))

        key = ID_COLUMNS.get(suite.table)
        used = columns_used(suite, df.columns, scope)
        # row index first: a frame of zero selected columns would otherwise have zero rows
        frame = _escape_strings(df.with_row_index(ROW_COLUMN).select(ROW_COLUMN, *used)).with_columns(
            pl.col(ROW_COLUMN).cast(pl.Int64))
        index_cols = _index_columns(frame, key)
        by_key = dict(zip(frame[key].to_list(), frame[ROW_COLUMN].to_list())) if index_cols == [key] else {}
        pdf = frame.to_pandas()
        from great_expectations.core.run_identifier import RunIdentifier

        result = vd.run(batch_parameters={"dataframe": pdf}, run_id=RunIdentifier(run_name=self.run_id),
                        result_format={"result_format": "COMPLETE",
                                       "unexpected_index_column_names": index_cols})
        worst = result.get_max_severity_failure()
        self.outcomes[name] = "pass" if worst is None else ("fail" if worst.value == "critical" else "warn")
        by_rule = {}
        for r in result.results:
            by_rule[r.expectation_config.meta.get("rule")] = r
        out = []
        for e in exps:
            r = by_rule.get(e.id)
            if r is None:
                out.append(EngineResult(e, False, error="GX returned no result", engine="gx"))
                continue
            info = r.exception_info or {}
            raised = info.get("raised_exception") if isinstance(info, dict) else False
            if raised:
                out.append(EngineResult(e, False, error=str(info.get("exception_message")), engine="gx"))
                continue
            res = r.result or {}
            rows = sorted(_row_of(d, by_key, key) for d in (res.get("unexpected_index_list") or [])
                          if isinstance(d, dict) and (ROW_COLUMN in d or (key in d and d[key] in by_key)))
            observed = res.get("observed_value", res.get("unexpected_count"))
            out.append(EngineResult(e, bool(r.success), rows=rows, observed=_plain(observed), engine="gx"))
        return out

    def build_data_docs(self, out_dir: Path) -> Path | None:
        """Render the context's suites and validation results as GX Data Docs into ``out_dir``."""
        out_dir = Path(out_dir)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        out_dir.mkdir(parents=True)
        site = "gradfacts_quality"
        config = {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(out_dir)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder", "show_how_to_buttons": False},
        }
        if site in (self.context.list_data_docs_sites() or {}):
            self.context.update_data_docs_site(site, config)
        else:
            self.context.add_data_docs_site(site, config)
        self.context.build_data_docs(site_names=[site])
        index = out_dir / "index.html"
        return index if index.exists() else None


def columns_used(suite: Suite, columns: list[str], scope: str) -> list[str]:
    """The columns of a frame that the suite's ``scope`` expectations read, with the table's key: all that
    :meth:`GXSession.run` looks at (the refresh sends the engine process only these)."""
    have = set(columns)
    key = ID_COLUMNS.get(suite.table)
    return sorted({c for e in suite.scoped(scope) for c in e.columns if c in have} | ({key} & have))


def _row_of(entry: dict, by_key: dict, key: str | None) -> int:
    """Row position of one ``unexpected_index_list`` entry: its _row, else the row its key names."""
    if ROW_COLUMN in entry:
        return int(entry[ROW_COLUMN])
    return int(by_key[entry[key]])


def _plain(v: Any) -> Any:
    """numpy scalars -> Python scalars (for JSON)."""
    if hasattr(v, "item") and callable(v.item):
        try:
            return v.item()
        except Exception:  # noqa: BLE001
            return str(v)
    return v


#: GX sessions of this process, by run_id (the report step builds Data Docs from them)
_SESSIONS: dict[str, Any] = {}


def start_session(run_id: str):
    """A fresh GX session for ``run_id``, replacing any earlier one (one run's context is kept at a time). The
    session lives in the Great Expectations engine process (flows/validate/gx_process.py), which runs
    :class:`GXSession` there: this process never imports Great Expectations."""
    from flows.validate.gx_process import RemoteSession

    _SESSIONS.clear()
    _SESSIONS[run_id] = RemoteSession(run_id)
    return _SESSIONS[run_id]


def existing_session(run_id: str):
    return _SESSIONS.get(run_id)
