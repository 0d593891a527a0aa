"""Course extractor: golden file over raw/ (built by reading the sources), own documents in other
shapes, and pages where nothing is a course."""

from pathlib import Path

import pytest
import yaml

from flows.extract.read.courses import course_title
from flows.extract.nodes import extract_text
from flows.extract.model import ATTRIBUTES
from flows.ingest.html_text import html_to_text


def section_courses(text: str, media_type: str = "text/plain", file_text: str | None = None) -> list:
    """The course sections' and core-topic sentences' facts, through the real entry point
    (flows.extract.nodes.extract_text), in page order."""
    facts = extract_text(text, media_type, file_text).facts
    return [f for f in facts if f.extractor in ("course_section", "core_topic_sentence")]


ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
FIX = ROOT / "tests" / "fixtures"
GOLDEN = yaml.safe_load((ROOT / "tests" / "golden" / "courses.yaml").read_text(encoding="utf-8"))


def by_course(facts):
    out: dict[str, dict[str, object]] = {}
    for f in facts:
        out.setdefault(f.subject, {})[f.attribute] = f
    return out


def check_spans(text, facts):
    for f in facts:
        assert f.entity_type == "course"
        assert f.attribute in ATTRIBUTES["course"]
        assert 0 <= f.start < f.end <= len(text)
        quote = text[f.start:f.end]
        if f.attribute == "kind":
            assert course_title(quote) == f.subject  # the kind is read from the title line
        else:
            assert quote == f.value


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_courses_field_by_field(name):
    text = (RAW / name).read_text(encoding="utf-8")
    facts = section_courses(text)
    check_spans(text, facts)
    got = by_course(facts)
    want = {c["title"]: c for c in GOLDEN[name]}
    assert set(got) == set(want), "courses found differ from the golden file"
    for title, exp in want.items():
        attrs = got[title]
        assert attrs["kind"].value == exp["kind"], title
        prov = attrs.get("provider")
        assert (prov.value if prov else None) == exp["provider"], title
        assert attrs["description"].value.startswith(exp["description_starts"]), title


def test_golden_covers_every_source():
    assert sorted(GOLDEN) == sorted(p.name for p in RAW.glob("*.txt"))


def test_order_follows_the_page():
    text = (RAW / "000_610e78d755665535.txt").read_text(encoding="utf-8")
    kinds = [f for f in section_courses(text) if f.attribute == "kind"]
    assert [f.start for f in kinds] == sorted(f.start for f in kinds)


def test_numbered_list_with_dash_separated_providers():
    text = (FIX / "courses_numbered_list.txt").read_text(encoding="utf-8")
    facts = section_courses(text)
    check_spans(text, facts)
    got = by_course(facts)
    assert set(got) == {
        "Foundations of Tidal Forecasting", "Sensor Streams at Scale", "Probabilistic Coastlines",
        "Graph Methods for Harbor Logistics",
    }
    provider = {t: (a["provider"].value if "provider" in a else None) for t, a in got.items()}
    assert provider == {
        "Foundations of Tidal Forecasting": "Lakeside State University",
        "Sensor Streams at Scale": "Priya Okonjo",
        "Probabilistic Coastlines": "Coursera",
        "Graph Methods for Harbor Logistics": None,
    }
    assert all(a["kind"].value == "course" for a in got.values())


def test_markdown_headings_section_ends_at_program_heading_and_questions():
    text = (FIX / "courses_headings.md").read_text(encoding="utf-8")
    facts = section_courses(text)
    check_spans(text, facts)
    got = by_course(facts)
    assert list(got) == ["Kernel Methods in Practice", "Practical Time Series Forecasting", "Ethics for Model Builders"]
    assert got["Kernel Methods in Practice"]["provider"].value == "Ilse Marrow"
    assert got["Practical Time Series Forecasting"]["provider"].value == "Pinecrest College"
    assert "provider" not in got["Ethics for Model Builders"]


def test_flattened_html_program_page_core_topics():
    text, _, _ = html_to_text((FIX / "courses_program_page.html").read_text(encoding="utf-8"))
    facts = section_courses(text)
    check_spans(text, facts)
    got = by_course(facts)
    assert list(got) == ["Learning from Data", "Optimization for Learning", "Neural Network Engineering",
                         "Responsible Machine Learning"]
    assert {a["kind"].value for a in got.values()} == {"core_topic"}
    assert got["Optimization for Learning"]["description"].value == "This course introduces convex and stochastic methods."


def test_pages_without_course_lists_yield_nothing():
    # FAQ questions, how-to headings with advice bullets, program headings, testimonials
    text = (FIX / "courses_specializations_negative.txt").read_text(encoding="utf-8")
    assert section_courses(text) == []


def test_specialization_list_is_not_a_course_list():
    text = (FIX / "specializations_concentrations.txt").read_text(encoding="utf-8")
    assert section_courses(text) == []


def test_lone_heading_needs_course_evidence():
    text = "Featured Courses\nQuiet Harbor Notes\nA newsletter we like, updated every month with links.\n"
    assert section_courses(text) == []
    text = "Featured Courses\nQuiet Harbor Notes\nThis course, taught by Ana Ruiz, covers tidal data cleaning.\n"
    got = by_course(section_courses(text))
    assert got["Quiet Harbor Notes"]["provider"].value == "Ana Ruiz"


def test_advice_bullets_under_general_heading_are_not_courses():
    text = ("How to Compare a Curriculum\n"
            "- Core Course Depth: Analyze how deep the foundational courses go.\n"
            "- Elective Choice: Consider how many electives are allowed.\n")
    assert section_courses(text) == []


@pytest.mark.parametrize("bad", ["", "   \n\n", "\x00\x01", "Courses\n", "Courses\n- \n1.\n", "?" * 5000,
                                 "Courses\n" + "Title Case Line\n" * 300])
def test_odd_input_never_crashes(bad):
    assert isinstance(section_courses(bad), list)


def test_listicle_numbered_headings_meta_lines_and_title_providers():
    text = (FIX / "courses_listicle.txt").read_text(encoding="utf-8")
    facts = section_courses(text)
    check_spans(text, facts)
    got = by_course(facts)
    assert list(got) == ["Tidal Signal Processing", "Port Operations Analytics", "Hull Vision"]
    assert {t: a["provider"].value for t, a in got.items()} == {
        "Tidal Signal Processing": "edX",                      # "(edX)" after the title
        "Port Operations Analytics": "Lakeside State University",  # "Provider: ..." line
        "Hull Vision": "Kaggle",                                # "Title — Kaggle"
    }
    assert got["Hull Vision"]["description"].value.startswith("Short, practical and free")


# ---------------------------------------------------------------- a one-course review page (real pages set 4)

def _courses(text, media_type="text/plain"):
    return {f.subject: f for f in extract_text(text, media_type).facts
            if f.entity_type == "course" and f.attribute == "kind"}


def test_the_units_of_one_course_under_a_curriculum_heading_are_not_courses():
    text = ("Curriculum\n"
            "The course is organized into three modules, each ending with a project:\n"
            "- Neural Network Foundations — perceptrons and backpropagation\n"
            "- Convolutional Models — image classification and detection\n"
            "- Sequence Models — recurrent networks and attention\n")
    assert _courses(text) == {}
    listed = ("Curriculum\n"
              "- Neural Network Foundations — perceptrons and backpropagation\n"
              "- Convolutional Models — image classification and detection\n")
    assert set(_courses(listed)) == {"Neural Network Foundations", "Convolutional Models"}


@pytest.mark.parametrize("title, course", [
    ("# Harwick Tech CS 6350: Deep Learning\n", "CS 6350 Deep Learning"),
    ("# Harwick Tech CS 6350: Deep Learning, a review\n", "CS 6350 Deep Learning"),
    ("# Georgia Tech CS 7641: Machine Learning — my semester\n", "CS 7641 Machine Learning"),
])
def test_a_heading_naming_the_school_then_a_course_line_is_that_schools_course(title, course):
    text = title + "\nI took it this spring in the online MS in Computer Science.\n"
    got = _courses(text, "text/markdown")
    assert set(got) == {course}
    assert text[got[course].start:got[course].end].startswith(course.split()[0])


def test_a_heading_without_a_course_code_colon_is_not_a_course():
    assert _courses("# Harwick Tech Deep Learning Lab\n\nNews from the lab.\n", "text/markdown") == {}
