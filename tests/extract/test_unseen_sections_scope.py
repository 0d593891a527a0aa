"""Unseen documents (invented schools and numbers) probing where a school's section ENDS and which amounts
are a school's at all, asserted as exact fact sets.

unseen_field_blocks_careers.txt  school heading / degree line / "Key: value" field block per school, with
                                 "Program length", "Accreditation", "Time to complete" and "Application fee"
                                 lines that are not facts; a conditional GRE requirement; a question heading,
                                 a careers table, a generic "most programs cost ..." sentence after it, and a
                                 comparison sentence naming the schools by short/possessive names
"""

from __future__ import annotations

import pytest

from flows.extract.nodes import extract_text
from tests.extract.test_unseen_shapes import keyed, load

H, P, T = "Harrowgate University", "Pinecrest State College", "Thornbury Institute of Technology"
FIELD_BLOCKS = {
    (H, "degree_title", "Master of Science in Machine Learning"),
    (H, "tuition_per_credit", (890, 890, "exact")),
    (H, "credits", (32, 32, "exact")),
    (H, "gre_policy", "not_required"),
    (H, "tuition", (28480, 28480, "approx")),     # "Harrowgate's total of roughly $28,480"
    (P, "degree_title", "Online M.S. in Artificial Intelligence"),
    (P, "delivery_format", "Online"),             # the degree's own name
    (P, "tuition", (36400, 36400, "exact")),      # "Estimated total cost: $36,400"
    (P, "credits", (30, 30, "exact")),
    (P, "gre_policy", "optional"),                # required only below a GPA: conditional
    (P, "tuition", (36400, 36400, "approx")),     # "Pinecrest State lands near $36,400"
    (T, "degree_title", "M.S. in Data Science (Machine Learning Track)"),
    (T, "tuition", (44900, 44900, "exact")),      # "Total tuition: $44,900" and "Thornbury comes in at $44,900"
    (T, "credits", (36, 36, "exact")),
    (T, "gre_policy", "required"),
    # not facts: 20 months, 2 years, 18-24 months, the $60 application fee, "most programs cost between
    # $18,000 and $50,000", "more than $1,000 per credit" at many degrees, "the average ... about $38,000"
}


def test_field_blocks_and_section_ends():
    assert keyed(load("unseen_field_blocks_careers.txt")) == FIELD_BLOCKS


def test_careers_table_after_a_question_heading():
    text = load("unseen_field_blocks_careers.txt")
    got = {(f.subject, f.attribute, f.value) for f in extract_text(text).facts if f.entity_type == "career"}
    assert got == {("Machine Learning Engineer", "salary", "158400"), ("Machine Learning Engineer", "growth_outlook", "21%"),
                   ("Data Scientist", "salary", "118200"), ("Data Scientist", "growth_outlook", "30%")}


def _tuition(text: str) -> set:
    return {(s, v) for s, a, v in keyed(text) if a in ("tuition", "tuition_per_credit")}


@pytest.mark.parametrize("tail", [
    "What Does It Cost?\nMost online programs cost between $20,000 and $40,000.",
    "## Cost overview\nMost online programs cost between $20,000 and $40,000.",
    "Program | Tuition\nFoo | Bar\n\nMost online programs cost between $20,000 and $40,000.",
    "Tuition at most programs is $30,000 or more.",
    "Degrees like this typically cost about $30,000 in total.",
    "The national average is roughly $30,000 in tuition.",
])
def test_generic_amounts_are_never_a_section_schools_tuition(tail):
    text = ("Ranked Online AI Degrees\n\nAlderwick University\nM.S. in Artificial Intelligence\n"
            "The program costs $21,000 in total.\n\n" + tail + "\n")
    assert _tuition(text) == {("Alderwick University", (21000, 21000, "exact"))}


def test_amount_attributed_by_at_school_is_not_generic():
    text = "Tuition for online programs ranges from about $9,000 at Alderwick University to over $60,000 at Brisco College."
    assert _tuition(text) == {("Alderwick University", (9000, 9000, "approx")),
                              ("Brisco College", (60000, None, "over"))}


def test_question_naming_one_school_scopes_its_answer():
    text = ("Frequently Asked Questions\n\nHow much does Alderwick University charge?\n"
            "The full program costs $21,000.\n\nIs the degree worth it?\nPrograms cost $30,000 on average.\n")
    assert _tuition(text) == {("Alderwick University", (21000, 21000, "exact"))}


@pytest.mark.parametrize("clause, policy", [
    ("GRE scores required for applicants with a GPA below 3.0.", "optional"),
    ("The GRE is required unless you hold a graduate degree.", "optional"),
    ("GRE required only if your GPA is under 3.0.", "optional"),
    ("Applicants must submit GRE scores when their GPA falls below 3.0.", "optional"),
    ("The school waives it for applicants with work experience.", "optional"),
    ("GRE scores are required.", "required"),
    ("The GRE is required for all applicants.", "required"),
    ("Admission requirements: transcripts and a resume. GRE required.", "required"),
])
def test_conditional_gre_requirement_is_optional(clause, policy):
    from flows.extract.values import gre_policy

    assert gre_policy(clause, about_gre=True) == policy   # as read under a GRE topic ("... waives it")
    assert gre_policy(clause, about_gre=True, both=True) == policy   # as a table cell or card value is read


def test_unseen_names_never_span_lines():
    from flows.extract.registry import load_registry

    got = [m.text for m in load_registry().find_all("2026 Rankings\n\nLakeshore University\nNorth Ridge College")]
    assert got == ["Lakeshore University", "North Ridge College"]


def test_short_form_that_looks_like_a_school_is_the_full_school():
    text = ("Northfield Polytechnic Institute\nM.S. in AI\n\nOverall, Northfield Polytechnic comes in near $24,600 "
            "in total, while Lakeshore University costs about $31,000.")
    assert _tuition(text) == {("Northfield Polytechnic Institute", (24600, 24600, "approx")),
                              ("Lakeshore University", (31000, 31000, "approx"))}


def test_field_lines_we_do_not_read_yield_nothing():
    text = ("Alderwick University\nM.S. in Artificial Intelligence\nProgram length: 20 months\n"
            "Accreditation: Higher Learning Commission (since 1913)\nDuration: 24 months\nCredits: 30\n")
    got = keyed(text)
    assert got == {("Alderwick University", "degree_title", "M.S. in Artificial Intelligence"),
                   ("Alderwick University", "credits", (30, 30, "exact"))}
