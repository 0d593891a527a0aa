"""Which school a card (a run of ``Key: value`` fields) is about: the scope module's rules for cards
(flows.extract.scope.block_scopes), checked on the blocks and through the real entry point
(flows.extract.nodes.extract_text). Schools and figures are invented."""

from flows.extract.layout.model import FIELD
from flows.extract.layout.plaintext import layout_from_text
from flows.extract.nodes import extract_text
from flows.extract.scope import block_scopes


def field_scopes(text: str) -> list[tuple[str, str | None, str | None]]:
    """(key, school, degree) of every field."""
    lay = layout_from_text(text)
    out = []
    for b, sc in zip(lay.blocks, block_scopes(lay)):
        if b.kind == FIELD:
            out.append((lay.span(b.key), sc.canonical if sc else None, sc.degree if sc else None))
    return out


def program_facts(text: str) -> set[tuple]:
    return {(f.subject, f.degree, f.attribute, f.value) for f in extract_text(text).facts
            if f.entity_type == "program" and f.attribute != "mention"}


def test_a_card_under_no_school_is_the_school_the_next_paragraph_opens_with():
    text = ("Top Online Data Degrees\n\nWe picked programs for cost and rigor, and here is the first.\n\n"
            "Degree: M.S. in Tide Analytics | Credits: 32 | Tuition: ~$9,500 total\n\n"
            "Quenby Marsh University's online program is the cheapest on our list, and it is fully online.\n")
    assert field_scopes(text) == [(k, "Quenby Marsh University", "M.S. in Tide Analytics")
                                  for k in ("Degree", "Credits", "Tuition")]
    got = program_facts(text)
    assert ("Quenby Marsh University", "M.S. in Tide Analytics", "credits", "32") in got
    assert ("Quenby Marsh University", "M.S. in Tide Analytics", "tuition", "9500") in got


def test_a_card_whose_next_paragraph_names_no_school_has_no_scope():
    text = ("Top Online Data Degrees\n\nWe picked programs for cost and rigor, and here is the first.\n\n"
            "Degree: M.S. in Tide Analytics | Credits: 32 | Tuition: ~$9,500 total\n\n"
            "It is the cheapest on our list, and it is fully online.\n")
    assert {s for _, s, _ in field_scopes(text)} == {None}
    assert not any(a in ("credits", "tuition") for _, _, a, _ in program_facts(text))


def test_a_second_card_stating_a_degree_in_a_schools_section_is_not_that_schools():
    text = ("Our Picks\n\nThe numbers that matter, school by school.\n\nOrlen State University\n"
            "Degree: M.S. in Reef Science | Credits: 30\n\n"
            "Degree: Master of Port Data | Credits: 34\n"
            "Pellam College's port data master's is the budget pick of the year.\n")
    got = field_scopes(text)
    assert got[:2] == [("Degree", "Orlen State University", "M.S. in Reef Science"),
                       ("Credits", "Orlen State University", "M.S. in Reef Science")]
    assert got[2:] == [("Degree", "Pellam College", "Master of Port Data"),
                       ("Credits", "Pellam College", "Master of Port Data")]


def test_a_degree_line_under_a_schools_heading_names_the_sections_program():
    text = ("Ranked Programs\n\n## 1. Orlen State University\n\nOnline M.S. in Reef Science\n\n"
            "Credits: 30\nGRE: Not required\n")
    assert field_scopes(text) == [("Credits", "Orlen State University", "Online M.S. in Reef Science"),
                                  ("GRE", "Orlen State University", "Online M.S. in Reef Science")]


def test_a_degree_heading_after_a_numbered_school_line_or_a_school_heading_takes_that_school():
    numbered = ("Cheap Degrees\nBy A. Writer\n\nHow We Ranked\nWe weighed price and rigor in equal parts.\n\n"
                "1. Orlen State University\nMaster of Science in Reef Science\n- Credits: 30\n- Cost per credit: $410\n")
    assert field_scopes(numbered) == [("Credits", "Orlen State University", "Master of Science in Reef Science"),
                                      ("Cost per credit", "Orlen State University", "Master of Science in Reef Science")]
    stacked = ("Cheap Online Reef Degrees: A Guide for This Year\n\nOrlen State University\nM.S. in Reef Science\nCredits: 30\n\n"
               "Pellam College\nOnline M.S. in Port Data\nCredits: 34\nGRE: Required\n")
    assert field_scopes(stacked) == [("Credits", "Orlen State University", "M.S. in Reef Science"),
                                     ("Credits", "Pellam College", "Online M.S. in Port Data"),
                                     ("GRE", "Pellam College", "Online M.S. in Port Data")]


def test_a_spelled_out_degree_heading_names_the_page_program_over_the_titles_short_form():
    text = ("Online MSRS | Orlen Tech\nHome | Apply\nOnline Master of Science in Reef Science\n"
            "Orlen Tech's Online MSRS is taught by the same faculty as on campus.\n\nProgram at a glance\n"
            "Credits: 30\nFormat: Online, asynchronous\n")
    assert {(s, d) for _, s, d in field_scopes(text)} == {("Orlen Tech", "Online Master of Science in Reef Science")}
