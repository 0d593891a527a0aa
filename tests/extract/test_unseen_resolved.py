"""Unseen documents of our own through the whole flow (`gradfacts refresh`, one run for the module):
the resolved curated/programs rows -- one program per school and degree however it is worded, tuition with
its qualifier, GRE policy, credits, format -- and observation quotes equal to the source files' text."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

DOCS = Path(__file__).resolve().parents[1] / "fixtures" / "docs"
NAMES = ("unseen_news_article.txt", "unseen_forum_thread.txt", "unseen_degree_wordings.html",
         "unseen_merged_cost_table.md")

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    from flows.cli import app

    root = tmp_path_factory.mktemp("unseen")
    raw = root / "raw"
    raw.mkdir()
    for name in NAMES:
        shutil.copy(DOCS / name, raw / name)
    result = CliRunner().invoke(app, ["refresh", "--raw", str(raw), "--curated", str(root / "curated"),
                                      "--reports", str(root / "reports")])
    assert result.exit_code == 0, result.output
    return root


def _rows(root: Path) -> dict[str, dict]:
    progs = pl.read_parquet(root / "curated" / "programs.parquet")
    by_school: dict[str, list[dict]] = {}
    for r in progs.to_dicts():
        by_school.setdefault(r["university"], []).append(r)
    return by_school


COLS = ("degree_title", "credits", "tuition_usd", "tuition_usd_low", "tuition_usd_high", "tuition_qualifier",
        "gre_policy", "delivery_format", "ml_core_courses_min", "ml_core_courses_max", "has_conflict")
WANT = {
    # news story: staff quotes and the page's school; no grant, enrolment, GPA or salary figure leaks in
    "Northgate University": ("Master of Science in Artificial Intelligence", 30, 24600.0, 24600.0, 24600.0,
                             "exact", "not_required", "fully online", None, None, False),
    "Corliss College": ("M.S. in Data Science", None, 38000.0, 38000.0, 38000.0, "approx", "required", None,
                        None, None, False),
    # forum thread: informal amounts, a per-credit price with credits, a short name owning a degree
    "Fairhaven Tech": ("OMSAI", 30, 9000.0, 9000.0, 9000.0, "approx", "not_required", "100% online", None, None,
                       False),
    "Marbury": ("MS in AI", None, 42000.0, 42000.0, 42000.0, "approx", "optional", None, None, None, False),
    "Osterley University": (None, 33, 20000.0, 20000.0, 20000.0, "approx", "optional", None, None, None, False),
    # a school's own page naming its program four ways and itself by its short name: ONE program
    "Harrowgate Tech": ("Online Master of Science in Computer Science", 30, 14850.0, 14850.0, 14850.0, "exact",
                        "not_required", "Online, asynchronous", 4, 4, False),
    # merged in-state / out-of-state cost cells: a tuition range, its midpoint the point estimate
    "Pellham State University": ("M.S. in Machine Learning", 30, 25200.0, 18900.0, 31500.0, "range",
                                 "not_required", "Online (async)", None, None, False),
    "University of Wrenfield": ("Online M.S. in Artificial Intelligence", 33, 28875.0, 21450.0, 36300.0, "range",
                                "optional", "Online + 2 campus visits", None, None, False),
    "Dunmore Technical University": ("M.Eng. in AI & Machine Learning", 30, 27000.0, 27000.0, 27000.0, "exact",
                                     "required", "Fully online", None, None, False),
    "Kettering Ridge University": ("M.S. in Data Science (ML Track)", 36, 21600.0, 14400.0, 28800.0, "range",
                                   "not_required", "Online (synchronous)", None, None, False),
}


def test_each_school_resolves_to_one_program_with_its_stated_values(curated):
    by_school = _rows(curated)
    assert set(by_school) == set(WANT), sorted(set(by_school) ^ set(WANT))
    for school, want in WANT.items():
        rows = by_school[school]
        assert len(rows) == 1, f"{school}: {len(rows)} programs {[r['program_id'] for r in rows]}"
        got = tuple(rows[0][c] for c in COLS)
        assert got == want, f"{school}: {dict(zip(COLS, got))}"


def test_every_program_observation_quotes_its_source_file(curated):
    obs = pl.read_parquet(curated / "curated" / "observations.parquet")
    src = pl.read_parquet(curated / "curated" / "sources.parquet")
    files = {r["source_id"]: Path(r["file"]) for r in src.to_dicts()}
    prog = obs.filter(pl.col("entity_type") == "program")
    assert prog.height > 40
    for r in prog.to_dicts():
        f = files[r["source_id"]]
        text = (f if f.is_absolute() else Path.cwd() / f).read_text(encoding="utf-8")
        assert text[r["char_start"]:r["char_end"]] == r["quote"], r
    # the numbers that are not program facts never became observations
    values = set(prog["value_num"].drop_nulls().to_list()) | set(prog["value_num_high"].drop_nulls().to_list())
    assert not values & {12000.0, 2_000_000.0, 112000.0, 310_000_000.0, 5250.0, 15000.0, 75.0, 120.0}
