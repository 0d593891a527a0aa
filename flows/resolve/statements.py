"""Statement-level rules: which single statement fails an error rule and is held back (pure functions).

A statement (one extracted fact) is checked against the error-severity range rule of the curated column it
would fill -- the rule lives once, in ``schemas/expectations/programs.yaml``:

  credits                         -> credits_range                (credits)
  tuition, unit degree / unstated -> tuition_usd_range            (tuition_usd)
  tuition, unit credit            -> tuition_per_credit_usd_range (tuition_per_credit_usd)
  tuition, unit course            -> tuition_per_course_usd_range (tuition_per_course_usd)
  tuition, unit year              -> tuition_annual_usd_range     (tuition_annual_usd)
  ml_core_courses                 -> ml_core_courses_min_range    (ml_core_courses_min)

A failing statement is held back: its row is resolved from the remaining statements, and the statement goes
to quarantine (scope statement) with its rule, a message and its source span.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from flows.common.yamlfile import load_yaml
from flows.extract.model import Fact

SUITE = Path(__file__).resolve().parents[2] / "schemas" / "expectations" / "programs.yaml"

#: money unit of a tuition statement -> the programs column it fills (units without a column: none)
UNIT_COLUMNS = {None: "tuition_usd", "degree": "tuition_usd", "credit": "tuition_per_credit_usd",
                "course": "tuition_per_course_usd", "year": "tuition_annual_usd"}
#: other attributes -> the programs column they fill
ATTRIBUTE_COLUMNS = {"credits": "credits", "ml_core_courses": "ml_core_courses_min"}


class RangeRule(NamedTuple):
    rule: str
    column: str
    low: float
    high: float
    description: str


@lru_cache(maxsize=1)
def range_rules() -> dict[str, RangeRule]:
    """programs column -> its error-severity range rule (expect_column_values_to_be_between)."""
    suite = load_yaml(SUITE)
    out = {}
    for e in suite.get("expectations", []):
        kw = e.get("kwargs") or {}
        if e.get("type") == "expect_column_values_to_be_between" and e.get("severity") == "error" and "column" in kw:
            out[kw["column"]] = RangeRule(e["id"], kw["column"], kw.get("min_value", float("-inf")),
                                          kw.get("max_value", float("inf")), e.get("description", ""))
    return out


def money_unit(f: Fact) -> str | None:
    """The unit of a tuition statement; the legacy attribute ``tuition_per_credit`` is tuition per credit."""
    if f.attribute == "tuition_per_credit":
        return "credit"
    return f.unit


def column_of(f: Fact) -> str | None:
    """The programs column a statement would fill (None: no column, e.g. a per-term price)."""
    if f.attribute in ("tuition", "tuition_per_credit"):
        return UNIT_COLUMNS.get(money_unit(f))
    return ATTRIBUTE_COLUMNS.get(f.attribute)


def failed_rule(f: Fact) -> tuple[str, str] | None:
    """(rule id, message) when the statement's value lies outside its column's error range, else None."""
    col = column_of(f)
    rule = range_rules().get(col) if col else None
    if rule is None:
        return None
    vals = [v for v in (f.value_num, f.value_num_high) if v is not None]
    bad = [v for v in vals if not rule.low <= v <= rule.high]
    if not bad:
        return None
    shown = ", ".join(_num(v) for v in bad)
    return rule.rule, (f"{_LABELS.get(col, col)} {shown} is outside {_num(rule.low)}-{_num(rule.high)} "
                       f"({rule.description}); statement held back, row resolved from the others")


_LABELS = {"tuition_usd": "total tuition", "tuition_per_credit_usd": "tuition per credit",
           "tuition_per_course_usd": "tuition per course", "tuition_annual_usd": "annual tuition",
           "credits": "credits", "ml_core_courses_min": "ML core courses"}


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)
