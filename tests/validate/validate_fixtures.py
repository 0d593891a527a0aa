"""Small, valid curated tables (invented schools and numbers) that tests then break one value at a time."""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl

from schemas.tables import cast_frame

TEXT_A = ("Lakeside University offers an online M.S. in Data Science: 30 credits, total tuition $8,400. "
          "GRE optional. Machine learning engineers earn $95,000-$160,000.")
TEXT_B = "Harbor Tech's online MSCS takes 36 credits and costs about $21,000; the GRE is not required."


def _span(text: str, quote: str) -> tuple[int, int]:
    i = text.index(quote)
    return i, i + len(quote)


def sources() -> pl.DataFrame:
    rows = []
    for sid, text in (("src_a", TEXT_A), ("src_b", TEXT_B)):
        rows.append({
            "source_id": sid, "file": f"raw/{sid}.txt", "sha256": hashlib.sha256(text.encode()).hexdigest(),
            "bytes": len(text.encode()), "media_type": "text/plain", "title": None, "author": None, "url": None,
            "published_on": dt.date(2025, 1, 2), "updated_on": None,
            "retrieved_at": dt.datetime(2025, 2, 1, 12, 0, tzinfo=dt.timezone.utc),
            "retrieved_at_basis": "metadata", "warn_after_count": 30, "warn_after_period": "day",
            "error_after_count": 90, "error_after_period": "day", "n_observations": 2,
        })
    return cast_frame("sources", pl.DataFrame(rows))


def program(program_id: str, **over) -> dict:
    row = {
        "program_id": program_id, "university": "Lakeside University", "degree_title": "M.S. in Data Science",
        "ml_core_courses_min": 3, "ml_core_courses_max": 5, "credits": 30, "credits_variable": False,
        "tuition_usd": 8400.0, "tuition_usd_low": 8400.0, "tuition_usd_high": 8400.0,
        "tuition_qualifier": "exact", "gre_policy": "optional", "delivery_format": "Online",
        "standout_feature": None, "specializations": ["Data Science"], "source_ids": ["src_a"],
        "n_sources": 1, "as_of": dt.date(2025, 1, 2), "has_conflict": False,
        "tuition_per_credit_usd": None, "tuition_per_course_usd": None, "tuition_annual_usd": None,
        "tuition_basis": "stated", "held_back": [], "specialization_ids": ["data-science"],
    }
    row.update(over)
    return row


def programs(*rows: dict) -> pl.DataFrame:
    rows = rows or (program("lakeside-ms-ds"),
                    program("harbor-mscs", university="Harbor Tech", degree_title="MSCS", credits=36,
                            tuition_usd=21000.0, tuition_usd_low=21000.0, tuition_usd_high=21000.0,
                            tuition_qualifier="approx", gre_policy="not_required", source_ids=["src_b"]))
    return cast_frame("programs", pl.DataFrame(list(rows), schema_overrides={
        "standout_feature": pl.Utf8, "specializations": pl.List(pl.Utf8), "source_ids": pl.List(pl.Utf8),
        "held_back": pl.List(pl.Utf8), "specialization_ids": pl.List(pl.Utf8), "tuition_per_credit_usd": pl.Float64,
        "tuition_per_course_usd": pl.Float64, "tuition_annual_usd": pl.Float64},
        infer_schema_length=None))


def observations() -> pl.DataFrame:
    rows = []
    for oid, sid, text, eid, attr, quote, num in (
        ("o1", "src_a", TEXT_A, "lakeside-ms-ds", "tuition", "$8,400", 8400.0),
        ("o2", "src_a", TEXT_A, "lakeside-ms-ds", "credits", "30 credits", 30.0),
        ("o3", "src_b", TEXT_B, "harbor-mscs", "credits", "36 credits", 36.0),
        ("o4", "src_a", TEXT_A, "ml-engineer", "salary", "$95,000-$160,000", 95000.0),
    ):
        a, b = _span(text, quote)
        rows.append({"observation_id": oid, "source_id": sid, "entity_type": "career" if attr == "salary" else "program",
                     "entity_id": eid, "attribute": attr, "value": str(int(num)), "value_num": num,
                     "value_num_high": None, "qualifier": "exact", "char_start": a, "char_end": b,
                     "quote": quote, "extractor": "test"})
    return cast_frame("observations", pl.DataFrame(rows))


def careers(**over) -> pl.DataFrame:
    row = {"career_id": "ml-engineer", "role": "Machine Learning Engineer", "salary_usd_min": 95000.0,
           "salary_usd_max": 160000.0, "salary_open_ended": False, "growth_outlook": None,
           "key_skills": ["Python"], "source_ids": ["src_a"]}
    row.update(over)
    return cast_frame("careers", pl.DataFrame([row]))


def courses() -> pl.DataFrame:
    return cast_frame("courses", pl.DataFrame([{"course_id": "deep-learning", "title": "Deep Learning", "kind": "course",
                                                "provider": None, "description": None, "source_ids": ["src_a"]}]))


def specializations() -> pl.DataFrame:
    return cast_frame("specializations", pl.DataFrame([{"specialization_id": "data-science", "name": "Data Science",
                                                        "description": None, "universities": ["Lakeside University"],
                                                        "source_ids": ["src_a"], "program_ids": ["lakeside-ms-ds"]}]))


def conflicts() -> pl.DataFrame:
    return cast_frame("conflicts", pl.DataFrame({"entity_type": ["program"], "entity_id": ["harbor-mscs"],
                                                 "attribute": ["tuition"], "values": [["21000", "22000"]],
                                                 "source_ids": [["src_b", "src_a"]]}))


def all_tables(**replace: pl.DataFrame) -> dict[str, pl.DataFrame]:
    tables = {"sources": sources(), "observations": observations(), "programs": programs(),
              "courses": courses(), "specializations": specializations(), "careers": careers(),
              "conflicts": conflicts()}
    tables.update(replace)
    return tables


def source_texts() -> dict[str, str]:
    return {"src_a": TEXT_A, "src_b": TEXT_B}
