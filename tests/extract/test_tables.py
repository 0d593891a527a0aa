"""Program and career tables, read through the real entry point (flows.extract.nodes.extract_text): the
document model finds the table and its cells (run-together rows split by the columns' types), and
flows.extract.read.tables / read.careers read them."""

from pathlib import Path

import pytest

from flows.extract.layout.runtogether import segment_header
from flows.extract.nodes import extract_text
from flows.extract.values import parse_count, parse_credits

DOCS = Path(__file__).resolve().parents[1] / "fixtures" / "docs"
TABLE_READERS = ("layout_table", "flattened_table")


def extract_tables(text):
    """The facts the table readers contribute to a document's extraction."""
    return [f for f in extract_text(text).facts if f.extractor in TABLE_READERS]


#: a header word for each column kind, to write a run-together table around one row
HEADER_WORDS = {"university": "University", "degree_title": "Program", "ml_core_courses": "ML Core Courses",
                "credits": "Credits", "tuition_per_credit": "Cost per Credit", "tuition": "Total Tuition",
                "gre_policy": "GRE Required", "delivery_format": "Format"}


def flat_cells(row, kinds):
    """The cells a run-together row was split into, as the quotes of the facts extract_text reads from it
    under a run-together header of those columns ("" where nothing was read)."""
    text = "".join(HEADER_WORDS[k] for k in kinds) + "\n" + row + "\n"
    got = {}
    for f in extract_text(text).facts:
        if f.extractor == "flattened_table":
            kind = "university" if f.attribute == "mention" else f.attribute
            got.setdefault(kind, text[f.start:f.end])
    return [got.get(k, "") for k in kinds]


def read(name):
    return (DOCS / name).read_text(encoding="utf-8")


def facts_of(text, subject):
    out = {}
    for f in extract_tables(text):
        if f.subject == subject:
            assert text[f.start:f.end]
            out.setdefault(f.attribute, []).append(f)
    return out


def one(facts, attr):
    (f,) = facts[attr]
    return f


def assert_quotes(text, facts):
    for f in facts:
        assert text[f.start:f.end] and text[f.start:f.end] == text[f.start:f.end].strip()


def test_count_and_credit_cells():
    assert parse_count("5+") == (5, None, "at_least")
    assert parse_count("2-4") == (2, 4, "range")
    assert parse_count("4") == (4, 4, "exact")
    assert parse_count("2-43") is None
    assert parse_credits("Variable")[0] == "Variable"
    # a delimited cell states its value: implausible counts are returned for the gate to quarantine
    assert parse_credits("300")[1:] == (300, 300, "exact")
    assert parse_credits("3")[1:] == (3, 3, "exact")
    assert parse_credits("36 credit hours")[1:] == (36, 36, "exact")
    assert parse_credits("30 to 36 credits")[1:] == (30, 36, "range")
    # plausibility only chooses between splits of run-together digits
    assert parse_credits("300", plausible=True) is None
    assert parse_credits("3", plausible=True) is None
    assert parse_credits("2026", plausible=True) is None
    assert parse_credits("36-30") is None
    assert parse_credits("thirty") is None
    assert parse_credits("30-36")[1:] == (30, 36, "range")


def test_run_together_header_in_any_order():
    kinds = [k for k, _, _ in segment_header("UniversityTuitionCreditsML Core CoursesDegree TitleFormat")]
    assert kinds == ["university", "tuition", "credits", "ml_core_courses", "degree_title", "delivery_format"]
    kinds = [k for k, _, _ in segment_header("RoleSalary RangeGrowthKey Skills")]
    assert kinds == ["role", "salary", "growth_outlook", "key_skills"]
    assert segment_header("Machine learning is not a monolithic field") is None


@pytest.mark.parametrize("row, cells", [
    ("Lakeside UniversityM.S. in Data Science2-436~$18,500No",
     ["Lakeside University", "M.S. in Data Science", "2-4", "36", "~$18,500", "No"]),
    ("Lakeside UniversityM.S. in Data Science (DS Concentration)436~$18,500Optional",
     ["Lakeside University", "M.S. in Data Science (DS Concentration)", "4", "36", "~$18,500", "Optional"]),
    ("Lakeside UniversityM.S. in Data Science5+Variable~$64,000+Yes",
     ["Lakeside University", "M.S. in Data Science", "5+", "Variable", "~$64,000+", "Yes"]),
])
def test_split_run_together_rows_by_type(row, cells):
    kinds = ("university", "degree_title", "ml_core_courses", "credits", "tuition", "gre_policy")
    assert flat_cells(row, kinds) == cells


def test_flattened_reordered_columns():
    text = read("programs_flattened_reordered.txt")
    lake = facts_of(text, "Lakeside University")
    assert one(lake, "tuition").value_num == 18500 and one(lake, "tuition").qualifier == "approx"
    assert one(lake, "credits").value_num == 36
    assert (one(lake, "ml_core_courses").value_num, one(lake, "ml_core_courses").value_num_high) == (2, 4)
    assert one(lake, "degree_title").value == "M.S. in Data Science"
    ridge = facts_of(text, "Ridgeway Institute of Technology")
    assert (one(ridge, "tuition").value_num, one(ridge, "tuition").qualifier) == (29000, "at_least")
    assert one(ridge, "credits").value_num == 30
    assert one(ridge, "ml_core_courses").qualifier == "at_least"
    assert one(ridge, "delivery_format").value == "Online/Hybrid"
    harbor = facts_of(text, "Harborview State University")
    assert (one(harbor, "tuition").value_num_high, one(harbor, "tuition").qualifier) == (15000, "under")
    assert one(harbor, "credits").value == "Variable" and one(harbor, "credits").value_num is None
    robo = facts_of(text, "Robotics Engineer")
    assert [f.value for f in robo["key_skills"]] == ["ROS", "control theory", "C++"]
    # the salary sentence under the table is not a program fact
    assert not [f for f in extract_tables(text) if f.value_num == 121000]
    assert_quotes(text, extract_tables(text))


def test_pipe_table_with_per_credit_column_and_platform_row():
    text = read("programs_pipe_table.md")
    lake = facts_of(text, "Lakeside University")
    assert one(lake, "tuition_per_credit").value_num == 980
    assert one(lake, "tuition").value_num == 32340
    assert one(lake, "gre_policy").value == "optional"
    assert one(lake, "credits").value_num == 33
    ridge = facts_of(text, "Ridgeway Institute of Technology")
    assert one(ridge, "tuition").qualifier == "approx"
    assert one(ridge, "gre_policy").value == "not_required"
    assert facts_of(text, "Coursera") == {}  # a platform is not a school
    assert_quotes(text, extract_tables(text))


def test_html_rows_without_separator():
    text = read("programs_html_rows.txt")
    north = facts_of(text, "Northgate College")
    per = one(north, "tuition_per_credit")
    assert (per.value_num, text[per.start:per.end]) == (1100, "$1,100/credit")
    assert one(north, "gre_policy").value == "not_required"
    summit = facts_of(text, "Summit University")
    assert "tuition" not in summit  # N/A
    assert one(summit, "gre_policy").value == "optional"
    assert not [f for f in extract_tables(text) if f.attribute == "credits"]  # "2026" in the title is no credit count


def test_tab_tables_programs_and_careers():
    text = read("programs_tab_table.txt")
    east = facts_of(text, "Eastmoor College")
    assert (one(east, "credits").value_num, one(east, "credits").value_num_high) == (30, 36)
    assert one(east, "tuition").qualifier == "approx"
    sci = facts_of(text, "Applied Scientist")
    sal = one(sci, "salary")
    assert (sal.value_num, sal.value_num_high, sal.qualifier) == (150000, None, "at_least")
    assert [f.value for f in sci["key_skills"]] == ["Experiment design", "causal inference"]
    assert one(facts_of(text, "Data Engineer"), "growth_outlook").value == "High"


@pytest.mark.parametrize("junk", ["", "|", "| a | b |\n| c |", "UniversityCredits\n\x00\x01", "RoleSalary\n$$$",
                                  "School | Credits | Tuition\n" + "x|" * 500])
def test_odd_input_never_crashes(junk):
    assert isinstance(extract_tables(junk), list)


def test_a_course_table_gives_courses_and_no_program_facts():
    text = ("Brightwater University Online M.S. in Tide Analytics\n\n## Required Courses\n\n"
            "| Course | Title | Credits | Provider |\n|---|---|---|---|\n"
            "| TA 510 | Harbor Data Wrangling | 3 | Brightwater University |\n"
            "| TA 520 | Surge Forecasting Methods | 4 | Brightwater University |\n")
    facts = extract_text(text, "text/markdown", text).facts
    courses = {(f.subject, f.attribute, f.value) for f in facts if f.extractor == "course_table"}
    assert ("TA 510 Harbor Data Wrangling", "kind", "course") in courses
    assert ("TA 520 Surge Forecasting Methods", "provider", "Brightwater University") in courses
    quote = next(text[f.start:f.end] for f in facts if f.subject == "TA 510 Harbor Data Wrangling" and f.attribute == "kind")
    assert quote == "TA 510 | Harbor Data Wrangling"
    # a course's credits are not the program's, and a course's provider column is no program row
    assert not [f for f in facts if f.entity_type == "program" and f.attribute == "credits"]
    assert not [f for f in facts if f.extractor in TABLE_READERS and f.entity_type == "program"]


def test_fee_schedule_tuition_row_states_the_credits():
    text = ("Tuition and Fees | Ashcombe University\n\nCosts: Online MS in Data Science\n\n"
            "| Item | Rate | Program total |\n|---|---|---|\n"
            "| Tuition (30 credits) | $700 per credit | $21,000 |\n| Technology fee | $40 per credit | $1,200 |\n"
            "| Estimated total cost |  | $22,200 |\n")
    got = {(f.attribute, f.value_num, text[f.start:f.end]) for f in extract_text(text).facts
           if f.subject == "Ashcombe University" and f.attribute in ("credits", "tuition", "tuition_per_credit")}
    assert ("credits", 30, "30 credits") in got
    assert ("tuition", 21000, "$21,000") in got
    assert not [g for g in got if g[1] in (40, 1200, 22200)]   # fees, and the total that adds them, are not tuition
