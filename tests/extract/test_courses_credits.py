"""Course credits and the course shapes of tests/fixtures/unseen_v4, through the real entry point
(flows.extract.nodes.extract_text): every fact's quote is the text at its span, a course's credits are its own,
and the program's credit count is never a course's."""

from __future__ import annotations

from flows.extract.nodes import extract_text
from flows.ingest.html_text import html_to_text


def _read(text: str, media_type: str = "text/plain", file_text: str | None = None):
    facts = extract_text(text, media_type, file_text).facts
    for f in facts:
        assert 0 <= f.start <= f.end <= len(text)
    courses = {f.subject for f in facts if f.entity_type == "course" and f.attribute == "kind"}
    credits = {f.subject: (f.value_num, text[f.start:f.end]) for f in facts
               if f.entity_type == "course" and f.attribute == "credits"}
    program_credits = {f.value_num for f in facts if f.entity_type == "program" and f.attribute == "credits"}
    return courses, credits, program_credits


def _html(doc: str):
    text, _, _ = html_to_text(doc)
    return _read(text, "text/html", doc)


CATALOG = """Graduate Catalog
Lowmoor University
Master of Science in Signal Processing

The Master of Science in Signal Processing at Lowmoor University is a 32-credit program.

Core Courses
SIG 6110 Adaptive Filters
4 cr
SIG 6140 Estimation Theory I
4 cr
SIG 6141 Estimation Theory II
4 cr
"""


def test_credits_on_the_line_after_a_catalog_line_are_the_courses_not_the_programs():
    courses, credits, program = _read(CATALOG)
    assert {"SIG 6110 Adaptive Filters", "SIG 6140 Estimation Theory I", "SIG 6141 Estimation Theory II"} <= courses
    assert credits["SIG 6140 Estimation Theory I"] == (4.0, "4 cr")
    assert program == {32.0}


def test_parenthesised_credits_and_a_group_lead_in():
    doc = """<html><head><title>M.S. in Tide Analytics | Orrin State University</title></head><body>
<h1>M.S. in Tide Analytics</h1><p>Orrin State University's M.S. in Tide Analytics requires 30 credit hours.</p>
<h3>Required Courses (9 credits)</h3>
<ul><li>TIDE 5010 Harbor Data Systems (3 credits)</li><li>TIDE 5020 Surge Statistics (3 credits)</li>
<li>TIDE 5030 Coastal Sensing (3 credits)</li></ul>
<p>One 2-credit course from:</p>
<ul><li>TIDE 5110 Buoy Networks</li><li>TIDE 5120 Wave Forecasting</li></ul></body></html>"""
    courses, credits, program = _html(doc)
    assert credits["TIDE 5010 Harbor Data Systems"][0] == 3.0
    assert credits["TIDE 5110 Buoy Networks"] == (2.0, "2-credit")
    assert credits["TIDE 5120 Wave Forecasting"] == (2.0, "2-credit")
    assert program == {30.0}      # neither 9 (a group's total) nor 3 nor 2 (a course's weight)


def test_a_course_table_gives_each_course_its_credits():
    md = """# Online Master of Tide Science

Quenby Institute of Technology's online Master of Tide Science is a 30-credit degree.

| Course | Title | Credits |
|---|---|---|
| TS 601 | Tidal Foundations | 3 |
| TS 610 | Machine Learning I | 4 |
"""
    courses, credits, program = _read(md, "text/markdown", md)
    assert credits["TS 610 Machine Learning I"] == (4.0, "4")
    assert credits["TS 601 Tidal Foundations"][0] == 3.0
    assert program == {30.0}


def test_a_heading_a_credits_line_and_a_paragraph_is_a_course_and_3_credits_is_not_the_programs():
    doc = """<html><head><title>Curriculum | Online M.S. in Hydrology | Pellow University</title></head><body>
<h1>Online M.S. in Hydrology Curriculum</h1>
<p>The Pellow University online M.S. in Hydrology requires 30 credits.</p>
<h2>Core Courses</h2>
<h3>Introduction to Groundwater Models</h3><p>3 Credits</p>
<p>Aquifers, flow equations and the numerical models used to study them, taught through weekly labs.</p>
<h3>River Dynamics I</h3><p>4 Credits</p>
<p>Open-channel flow, sediment transport and the measurement of rivers in the field.</p>
</body></html>"""
    courses, credits, program = _html(doc)
    assert {"Introduction to Groundwater Models", "River Dynamics I"} <= courses
    assert credits["River Dynamics I"] == (4.0, "4 Credits")
    assert program == {30.0}


def test_code_then_title_in_parentheses_ordinal_lines_and_abbreviations():
    text = """Online MS in Computer Science | Harrowgate University

Harrowgate University offers an online Master of Science in Computer Science of 30 credits.

Foundation courses

- CS 610 (Algorithms and Complexity)
- CS 665 (Computer Architecture)

Course sequence

Course 1: GRAD 50500: Foundations of Research Computing
Course 2: GRAD 51000: High Performance Computing I

Courses I took

- Human Computer Interaction (HCI)
- Software Architecture (SA)
- Graduate Algorithms (GA)
"""
    courses, _, _ = _read(text)
    assert {"CS 610 Algorithms and Complexity", "CS 665 Computer Architecture",
            "GRAD 50500 Foundations of Research Computing", "GRAD 51000 High Performance Computing I",
            "Human Computer Interaction", "Software Architecture", "Graduate Algorithms"} <= courses
    assert not any(c.startswith("Course 1") or "(HCI)" in c for c in courses)


def test_courses_inside_sentences_keep_their_numeral_and_stop_at_the_next_code():
    text = ("Lanford College's online M.S. in Data Science runs 33 credits. Students begin with CS 242, Introduction "
            "to Data Science, and later take DSC 510 Data Wrangling at Scale and DSC 520 Machine Learning I, which "
            "most call the hardest.\n")
    courses, _, _ = _read(text)
    assert {"CS 242 Introduction to Data Science", "DSC 510 Data Wrangling at Scale",
            "DSC 520 Machine Learning I"} <= courses


def test_a_bare_number_after_a_title_in_prose_is_not_a_credit():
    text = "Lanford College's online M.S. in Data Science runs 33 credits. It opened DSC 510 Data Wrangling in 2024.\n"
    _, credits, program = _read(text)
    assert credits == {} and program == {33.0}
