"""compute_freshness and its helpers: basis choice, thresholds, statuses, roll-ups, exit codes."""

from __future__ import annotations

from datetime import date, datetime, timezone

import polars as pl
import pytest
import yaml

from flows.freshness.nodes import (
    choose_basis,
    compute_freshness,
    exit_code_for,
    find_default_criteria,
    normalize_threshold,
    status_for,
    worst,
)
from freshness_fixtures import default_sources, default_tables, source_row, sources_frame

UTC = timezone.utc


def at(y, m, d, hh=0, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


def by_id(report):
    return {s["source_id"]: s for s in report["sources"]}


# ----------------------------------------------------------------------------- basis


def test_basis_prefers_updated_then_published_then_retrieved():
    b = choose_basis(date(2026, 3, 1), date(2025, 12, 1), at(2026, 3, 10))
    assert (b.name, b.stated_date, b.reference) == ("updated_on", date(2026, 3, 1), at(2026, 3, 1))
    b = choose_basis(None, date(2025, 12, 1), at(2026, 3, 10))
    assert (b.name, b.stated_date) == ("published_on", date(2025, 12, 1))
    b = choose_basis(None, None, at(2026, 3, 10, 9, 30))
    assert (b.name, b.stated_date, b.reference) == ("retrieved_at", None, at(2026, 3, 10, 9, 30))
    assert choose_basis(None, None, None).name is None


def test_basis_tolerates_iso_strings_and_blank_values():
    b = choose_basis("", "2026-01-05", "2026-03-10T09:30:00Z")
    assert (b.name, b.stated_date) == ("published_on", date(2026, 1, 5))
    b = choose_basis("not a date", None, "2026-03-10T09:30:00+00:00")
    assert (b.name, b.reference) == ("retrieved_at", at(2026, 3, 10, 9, 30))


def test_each_source_reports_its_basis_and_stated_date():
    r = by_id(compute_freshness(default_sources(), {}, at(2026, 3, 10)))
    assert r["lakeside-guide"]["basis"] == "updated_on"
    assert r["lakeside-guide"]["stated_date"] == "2026-03-01"
    assert r["harbor-review"]["basis"] == "published_on"
    assert r["harbor-review"]["stated_date"] == "2026-02-15"
    assert r["meadow-notes"]["basis"] == "retrieved_at"
    assert r["meadow-notes"]["stated_date"] is None
    assert r["meadow-notes"]["max_loaded_at"] == "2026-03-05T12:00:00Z"
    assert r["meadow-notes"]["retrieved_at_basis"] == "file_mtime"


# ----------------------------------------------------------------------------- ages and statuses


def test_ages_are_measured_from_the_basis_to_as_of():
    r = by_id(compute_freshness(default_sources(), {}, at(2026, 3, 10)))
    assert r["lakeside-guide"]["age_days"] == 9.0          # 2026-03-01 00:00 -> 2026-03-10 00:00
    assert r["lakeside-guide"]["age_hours"] == 216.0
    assert r["harbor-review"]["age_days"] == 23.0
    assert r["meadow-notes"]["age_hours"] == 108.0         # 2026-03-05 12:00 -> 2026-03-10 00:00
    assert r["meadow-notes"]["age_days"] == 4.5


@pytest.mark.parametrize(
    "as_of, expected, exit_code",
    [
        (at(2026, 3, 10), {"lakeside-guide": "pass", "harbor-review": "pass", "meadow-notes": "pass"}, 0),
        (at(2026, 3, 20), {"lakeside-guide": "pass", "harbor-review": "warn", "meadow-notes": "warn"}, 1),
        (at(2026, 4, 20), {"lakeside-guide": "pass", "harbor-review": "error", "meadow-notes": "error"}, 2),
        (at(2027, 3, 2), {"lakeside-guide": "error", "harbor-review": "error", "meadow-notes": "error"}, 2),
    ],
)
def test_statuses_and_exit_codes_move_with_as_of(as_of, expected, exit_code):
    report = compute_freshness(default_sources(), default_tables(), as_of)
    assert {k: v["status"] for k, v in by_id(report).items()} == expected
    assert report["exit_code"] == exit_code


def test_threshold_is_strictly_exceeded_like_dbt():
    crit_w, crit_e = {"count": 30, "period": "day"}, {"count": 60, "period": "day"}
    assert status_for(30 * 86400, crit_w, crit_e) == "pass"
    assert status_for(30 * 86400 + 1, crit_w, crit_e) == "warn"
    assert status_for(60 * 86400, crit_w, crit_e) == "warn"
    assert status_for(60 * 86400 + 1, crit_w, crit_e) == "error"
    assert status_for(None, crit_w, crit_e) == "unknown"


def test_hour_thresholds_are_hours():
    src = sources_frame([source_row("tick", retrieved_at=at(2026, 3, 9, 12), warn=(6, "hour"), error=(24, "hour"))])
    assert compute_freshness(src, {}, at(2026, 3, 9, 18))["sources"][0]["status"] == "pass"   # exactly 6 h
    assert compute_freshness(src, {}, at(2026, 3, 9, 19))["sources"][0]["status"] == "warn"
    assert compute_freshness(src, {}, at(2026, 3, 10, 13))["sources"][0]["status"] == "error"  # 25 h


def test_no_date_at_all_is_unknown_and_counts_as_warn():
    src = sources_frame([source_row("blank", retrieved_at=None)])
    report = compute_freshness(src, {}, at(2026, 3, 10))
    s = report["sources"][0]
    assert (s["status"], s["basis"], s["age_days"]) == ("unknown", None, None)
    assert report["exit_code"] == 1
    assert report["summary"]["sources"]["unknown"] == 1


def test_naive_as_of_is_utc_and_aware_as_of_is_converted():
    naive = compute_freshness(default_sources(), {}, datetime(2026, 3, 10))
    from datetime import timedelta
    plus_two = timezone(timedelta(hours=2))
    aware = compute_freshness(default_sources(), {}, datetime(2026, 3, 10, 2, 0, tzinfo=plus_two))
    assert naive == aware
    assert naive["as_of"] == naive["snapshotted_at"] == "2026-03-10T00:00:00Z"


def test_a_stated_date_after_as_of_passes_with_a_note():
    src = sources_frame([source_row("early", updated_on=date(2026, 5, 1))])
    s = compute_freshness(src, {}, at(2026, 3, 10))["sources"][0]
    assert s["status"] == "pass" and s["age_days"] < 0
    assert any("after as_of" in n for n in s["notes"])


# ----------------------------------------------------------------------------- thresholds


def test_bad_row_thresholds_fall_back_to_the_project_default_with_a_note():
    src = sources_frame([source_row("odd", updated_on=date(2026, 1, 1), warn=(5, "fortnight"), error=(None, None))])
    s = compute_freshness(src, {}, at(2026, 3, 10), defaults={"warn_after": {"count": 7, "period": "day"},
                                                               "error_after": {"count": 90, "period": "day"}})["sources"][0]
    assert s["criteria"] == {"warn_after": {"count": 7, "period": "day"}, "error_after": {"count": 90, "period": "day"}}
    assert s["status"] == "warn"  # 68 days: past 7, not past 90
    assert any("fortnight" in n for n in s["notes"])


def test_normalize_threshold_accepts_plurals_and_rejects_junk():
    assert normalize_threshold({"count": 12, "period": "hours"}) == {"count": 12, "period": "hour"}
    assert normalize_threshold({"count": 3, "period": "Day"}) == {"count": 3, "period": "day"}
    for junk in ({"count": -1, "period": "day"}, {"count": 1.5, "period": "day"}, {"count": True, "period": "day"},
                 {"count": "x", "period": "day"}, {"count": 3, "period": "week"}, None, "3 days"):
        assert normalize_threshold(junk) is None


def test_default_criteria_found_in_a_sources_yaml_layout():
    config = yaml.safe_load(
        """
        defaults:
          freshness:
            warn_after: {count: 45, period: day}
            error_after: {count: 90, period: day}
        sources:
          - file: a.txt
            freshness:
              warn_after: {count: 1, period: hour}
              error_after: {count: 2, period: hour}
        """
    )
    assert find_default_criteria(config) == {"warn_after": {"count": 45, "period": "day"},
                                             "error_after": {"count": 90, "period": "day"}}
    assert find_default_criteria({"nothing": [1, 2]}) is None
    assert find_default_criteria(None) is None


def test_report_carries_the_criteria_defaults():
    report = compute_freshness(default_sources(), {}, at(2026, 3, 10),
                               defaults={"warn_after": {"count": 2, "period": "day"}})
    assert report["criteria_defaults"]["warn_after"] == {"count": 2, "period": "day"}
    assert report["criteria_defaults"]["error_after"] == {"count": 365, "period": "day"}  # built-in fallback


# ----------------------------------------------------------------------------- tables


def test_tables_roll_up_newest_oldest_and_worst_status():
    report = compute_freshness(default_sources(), default_tables(), at(2026, 3, 20))
    t = report["tables"]
    assert t["programs"]["source_ids"] == ["harbor-review", "lakeside-guide", "meadow-notes"]
    assert (t["programs"]["newest_source"], t["programs"]["newest_date"]) == ("meadow-notes", "2026-03-05T12:00:00Z")
    assert (t["programs"]["oldest_source"], t["programs"]["oldest_date"]) == ("harbor-review", "2026-02-15T00:00:00Z")
    assert t["programs"]["status"] == "warn"
    # observations use the scalar source_id column
    assert t["observations"]["source_ids"] == ["harbor-review", "lakeside-guide"]
    assert t["observations"]["newest_source"] == "lakeside-guide"
    assert (t["courses"]["newest_source"], t["courses"]["oldest_source"]) == ("meadow-notes", "lakeside-guide")
    # an empty table is vacuously fresh; quarantine has no source column and is not rolled up
    assert t["conflicts"]["status"] == "pass" and t["conflicts"]["n_sources"] == 0
    assert "quarantine" not in t and "quarantine" in report["tables_not_rolled_up"]


def test_table_status_is_the_worst_of_its_sources():
    tables = {"only_lakeside": pl.DataFrame({"source_ids": [["lakeside-guide"]]}),
              "mixed": pl.DataFrame({"source_ids": [["lakeside-guide"], ["harbor-review", None]]})}
    t = compute_freshness(default_sources(), tables, at(2026, 4, 20))["tables"]
    assert t["only_lakeside"]["status"] == "pass"
    assert t["mixed"]["status"] == "error"


def test_a_table_citing_an_unknown_source_is_unknown():
    tables = {"courses": pl.DataFrame({"source_ids": [["lakeside-guide", "ghost-source"]]})}
    report = compute_freshness(default_sources(), tables, at(2026, 3, 10))
    t = report["tables"]["courses"]
    assert t["missing_sources"] == ["ghost-source"]
    assert t["status"] == "unknown"
    assert report["exit_code"] == 1


# ----------------------------------------------------------------------------- programs


def test_program_age_is_the_age_of_its_newest_supporting_fact():
    report = compute_freshness(default_sources(), default_tables(), at(2026, 3, 20))
    p = {x["program_id"]: x for x in report["programs"]}
    assert p["lakeside-ms-ml"]["newest_fact_source"] == "lakeside-guide"   # newer than harbor-review
    assert p["lakeside-ms-ml"]["newest_fact_date"] == "2026-03-01T00:00:00Z"
    assert p["lakeside-ms-ml"]["age_days"] == 19.0
    assert p["lakeside-ms-ml"]["status"] == "pass"                         # harbor-review warns, but is older
    assert p["lakeside-ms-ml"]["university"] == "Lakeside University"
    assert p["harbor-ms-ds"]["status"] == "warn"
    assert p["pinecrest-ms-ai"]["newest_fact_basis"] == "retrieved_at"
    assert p["pinecrest-ms-ai"]["age_days"] == 14.5


def test_program_notes_a_curated_as_of_that_disagrees():
    tables = default_tables()
    tables["programs"] = tables["programs"].with_columns(
        pl.when(pl.col("program_id") == "harbor-ms-ds").then(pl.lit(date(2026, 1, 1))).otherwise(pl.col("as_of")).alias("as_of"))
    p = {x["program_id"]: x for x in compute_freshness(default_sources(), tables, at(2026, 3, 10))["programs"]}
    assert any("2026-01-01" in n for n in p["harbor-ms-ds"]["notes"])
    assert p["lakeside-ms-ml"]["notes"] == []


def test_program_with_no_known_source_is_unknown():
    tables = {"programs": pl.DataFrame({"program_id": ["lone"], "university": ["Nowhere College"],
                                        "source_ids": [["ghost"]]})}
    p = compute_freshness(default_sources(), tables, at(2026, 3, 10))["programs"][0]
    assert (p["status"], p["newest_fact_source"], p["age_days"]) == ("unknown", None, None)


# ----------------------------------------------------------------------------- ordering, purity, roll-up helpers


def test_sources_are_listed_stalest_first():
    report = compute_freshness(default_sources(), {}, at(2026, 4, 20))
    assert [s["source_id"] for s in report["sources"]] == ["harbor-review", "meadow-notes", "lakeside-guide"]


def test_compute_is_pure_and_deterministic():
    src, tables = default_sources(), default_tables()
    before = (src.clone(), {k: v.clone() for k, v in tables.items()})
    a = compute_freshness(src, tables, at(2026, 3, 20))
    b = compute_freshness(src, tables, at(2026, 3, 20))
    assert a == b
    assert src.equals(before[0]) and all(tables[k].equals(before[1][k]) for k in tables)


def test_summary_counts():
    s = compute_freshness(default_sources(), default_tables(), at(2026, 3, 20))["summary"]
    assert s["sources"] == {"pass": 1, "warn": 2, "error": 0, "unknown": 0, "total": 3}
    assert s["programs"]["warn"] == 2 and s["programs"]["pass"] == 1
    assert s["bases"] == {"updated_on": 1, "published_on": 1, "retrieved_at": 1}
    assert s["status"] == "warn"


def test_worst_and_exit_code_helpers():
    assert worst([]) == "pass"
    assert worst(["pass", "unknown"]) == "unknown"
    assert worst(["unknown", "warn", "pass"]) == "warn"
    assert worst(["warn", "error"]) == "error"
    assert exit_code_for([]) == 0
    assert exit_code_for(["pass", "unknown"]) == 1
    assert exit_code_for(["warn", "error", "pass"]) == 2


def test_empty_or_odd_inputs_do_not_crash():
    report = compute_freshness(pl.DataFrame(), {"weird": pl.DataFrame({"x": [1]})}, at(2026, 3, 10))
    assert report["sources"] == [] and report["exit_code"] == 0
    assert report["tables_not_rolled_up"] == ["weird"]
    only_ids = pl.DataFrame({"source_id": ["a", None]})
    report = compute_freshness(only_ids, {}, at(2026, 3, 10))
    assert [s["status"] for s in report["sources"]] == ["unknown", "unknown"]
