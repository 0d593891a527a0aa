"""The scope and sentence rules added when the first design's prose reader was retired, each through the real
entry point (flows.extract.nodes.extract_text) on a small document of invented schools."""

from __future__ import annotations

from flows.extract.nodes import extract_text


def facts(text: str, attribute: str | None = None) -> set[tuple]:
    out = set()
    for f in extract_text(text).facts:
        assert text[f.start:f.end] == text[f.start:f.end].strip() and text[f.start:f.end]
        if f.entity_type == "program" and f.attribute != "mention" and (attribute is None or f.attribute == attribute):
            out.add((f.subject, f.attribute, f.value_num if f.value_num is not None else f.value))
    return out


def test_a_page_local_acronym_beats_the_registry_school_with_those_letters():
    text = ("Two Options\n\nThe University of Vendale at Ashby runs an online MSCS.\n\n"
            "UVA's program is 30 credit hours and costs about $10,000 in total.\n")
    got = facts(text)
    assert ("University of Vendale at Ashby", "credits", 30.0) in got
    assert not any(s == "University of Virginia" for s, _, _ in got)


def test_a_fragment_of_a_longer_name_is_not_a_school():
    text = "Data Careers\n\nAccording to a McKinsey Global Institute study, demand grows. The program is 30 credits.\n"
    assert not any("Global Institute" in s for s, _, _ in facts(text))


def test_an_academic_unit_on_a_one_school_page_is_that_school():
    text = ("# Harlow Tech expands its online analytics degree\n\n"
            "Harlow Tech said the degree is popular. Faculty from the Quell College of Business teach it. "
            "Students must complete 36 credit hours to earn the degree.\n")
    assert facts(text, "credits") == {("Harlow Tech", "credits", 36.0)}


def test_a_table_with_a_school_column_never_takes_the_sections_school():
    text = ("Marlow University\n\nOur picks\n\n| College | Best For | Tuition |\n|---|---|---|\n"
            "| | Best value | $15,570 |\n| | Best for IT | $65,956 |\n")
    assert facts(text, "tuition") == set()


def test_a_list_of_schools_as_subject_and_amounts_at_schools():
    text = ("Comparing Programs\n\n"
            "Wexford University and Ashby State University both cost less than $33,000, while Kestrel University "
            "exceeds $45,000. Tuition runs from about $9,000 at Alderwick University to over $60,000 at Brisco "
            "College.\n")
    got = {(f.subject, f.value) for f in extract_text(text).facts if f.attribute == "tuition"}
    assert got == {("Wexford University", "under 33000"), ("Ashby State University", "under 33000"),
                   ("Kestrel University", "over 45000"), ("Alderwick University", "9000"),
                   ("Brisco College", "over 60000")}


def test_gre_back_reference_under_a_gre_heading():
    text = ("Is the GRE Required?\n\nRidgeway University does not ask for test scores. "
            "Sable Point University asks applicants to submit them.\n")
    assert facts(text, "gre_policy") == {("Ridgeway University", "gre_policy", "not_required"),
                                         ("Sable Point University", "gre_policy", "required")}


def test_generic_and_example_sentences_read_nothing():
    text = ("No-GRE Programs\n\nOthers have made the GRE optional. Taking the GRE costs more than $200. "
            "Most programs ask for 30 to 36 credits.\n")
    assert facts(text) == set()


def test_ranked_rows_under_a_header_naming_their_last_column():
    text = ("Most Affordable Programs\n\nRank School Locations Annual Tuition\n"
            "# 1 #1 Quarry Hill University Quarry (CT) $3,855\n"
            "# 2 #2 Ledgemont State University Ledge (VT) $4,250\n"
            "# 3 #3 Fernhill University Fern (OR) $4,478\n"
            "Annual Tuition: $3,855\n")
    got = {(f.subject, f.value_num, f.unit) for f in extract_text(text).facts if f.attribute == "tuition"}
    assert got == {("Quarry Hill University", 3855.0, "year"), ("Ledgemont State University", 4250.0, "year"),
                   ("Fernhill University", 4478.0, "year")}   # the card line after the run is no row's


def test_a_degree_named_online_gives_the_format_only_when_none_is_stated():
    only_name = "Corliss University\n\nOnline M.S. in Data Science\n\nThe program is 30 credits.\n"
    assert ("Corliss University", "delivery_format", "Online") in facts(only_name)
    stated = only_name + "\nFormat: Hybrid, two campus weekends\n"
    assert {v for s, a, v in facts(stated) if a == "delivery_format"} == {"Hybrid, two campus weekends"}


def test_a_possessive_with_an_adjective_before_the_degree_is_a_program_mention():
    text = "Data Science\n\nPurdue’s innovative Master of Science in Data Science is 30 credit hours.\n"
    degrees = {f.value for f in extract_text(text).facts if f.attribute == "degree_title"}
    assert "Master of Science in Data Science" in degrees


def test_an_acronym_defined_in_parentheses_names_that_school():
    text = ("Two AI degrees\n\nKennesaw State University (KSU) announced a master of science in AI. "
            "The University of Georgia offers the other one.\n\nKSU said the program is 30 credit hours.\n")
    assert facts(text, "credits") == {("Kennesaw State University", "credits", 30.0)}
