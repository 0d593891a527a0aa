"""Flattened cost tables (cells ran together when the page became text), modelled on "cost per credit"
comparison articles: invented schools and numbers, our own words, asserted as exact program-fact sets.

unseen_cost_per_credit_flat.txt   School | Degree Program | Tuition per Credit | Credit Hours | Total Tuition |
                                  Duration | Format; digits of adjacent cells run together ("$51030153004
                                  semesters"), a total without '$', one row whose digits admit several
                                  inconsistent splits (nothing read from them); general "Quick Facts" bullets
                                  (not facts); a GRE section whose sentences use short names and "them"
unseen_total_cost_gre_flat.txt    School | Total Cost | Credits | GRE with "~", "+", a credit range and a
                                  total without thousands commas
unseen_ranked_per_credit_flat.txt Rank | University | Degree | Cost/Credit | Credits | Format, rows led by
                                  their rank number ("1Lorimer University...", "10Oakhaven ...")
"""

from __future__ import annotations

import pytest

from flows.extract.coverage import unclaimed_lines
from flows.extract.nodes import extract_text
from flows.extract.layout.runtogether import segment_header
from tests.extract.test_tables import flat_cells
from tests.extract.test_unseen_shapes import keyed, load

M, P, Q, T = "Marrowgate University", "Pell Harbor College", "Quillon State University", "Thornbury Institute of Technology"
PER_CREDIT = {
    (M, "degree_title", "M.S. in Artificial Intelligence"),
    (M, "tuition_per_credit", (625, 625, "exact")),
    (M, "credits", (36, 36, "exact")),
    (M, "tuition", (22500, 22500, "exact")),
    (M, "delivery_format", "Online"),
    (M, "gre_policy", "not_required"),             # "Marrowgate and Pell Harbor do not require GRE scores"
    (P, "degree_title", "Master of Science in Machine Learning"),
    (P, "tuition_per_credit", (510, 510, "exact")),  # "$51030153004 semesters": 510 x 30 = 15,300
    (P, "credits", (30, 30, "exact")),
    (P, "tuition", (15300, 15300, "exact")),
    (P, "tuition", (15300, 15300, "approx")),      # the prose: "about $15,300"
    (P, "delivery_format", "Hybrid"),
    (P, "gre_policy", "not_required"),
    (Q, "degree_title", "M.S. in Computer Science (AI Track)"),
    (Q, "tuition_per_credit", (1105, 1105, "exact")),
    (Q, "credits", (32, 32, "exact")),
    (Q, "tuition", (35360, 35360, "exact")),       # "35,360" written without '$'
    (Q, "delivery_format", "Online"),
    (Q, "gre_policy", "required"),                 # "Quillon State expects applicants to submit them"
    (T, "degree_title", "M.Eng. in Intelligent Systems"),
    (T, "delivery_format", "Online"),
    (T, "gre_policy", "optional"),
    # not facts: "$1203612000" + "18 months" splits several ways and none is consistent -> no price or
    # credits for Thornbury; the Quick Facts bullets ($850 typical, $30,000 median, 30 to 45 credit hours,
    # less than $600 for residents) are about programs in general
}

F, G, H, I, J, K = ("Ferncliff College", "Gorse Valley University", "Hollins Bay State University",
                    "Ivorton Polytechnic Institute", "Juniper Ridge University", "Kilbride University")
TOTAL_GRE = {
    (F, "tuition", (18900, 18900, "exact")), (F, "credits", (30, 30, "exact")), (F, "gre_policy", "not_required"),
    (G, "tuition", (24600, 24600, "exact")), (G, "credits", (36, 36, "exact")), (G, "gre_policy", "not_required"),
    (H, "tuition", (14200, 14200, "approx")), (H, "credits", (33, 33, "exact")), (H, "gre_policy", "optional"),
    (I, "tuition", (41000, None, "at_least")), (I, "credits", (30, 30, "exact")), (I, "gre_policy", "required"),
    (J, "tuition", (27300, 27300, "exact")), (J, "credits", (36, 36, "exact")), (J, "gre_policy", "not_required"),
    (K, "tuition", (25000, 25000, "exact")), (K, "credits", (30, 36, "range")), (K, "gre_policy", "optional"),
    # not facts: "the typical degree costs somewhere around $25,000" (all six), "as little as 15 months"
}

L, MB, N, O = "Lorimer University", "Mistral Bay College", "Northgate State University", "Oakhaven Institute of Technology"
RANKED = {
    (L, "degree_title", "M.S. in Machine Learning"), (L, "tuition_per_credit", (1450, 1450, "exact")),
    (L, "credits", (30, 30, "exact")), (L, "delivery_format", "Online (synchronous)"),
    (MB, "degree_title", "Master of AI"), (MB, "tuition_per_credit", (695, 695, "exact")),
    (MB, "credits", (36, 36, "exact")), (MB, "delivery_format", "Online"),
    (N, "degree_title", "M.S. in Data Science – AI Concentration"), (N, "tuition_per_credit", (390, 390, "exact")),
    (N, "credits", (31, 31, "exact")), (N, "delivery_format", "Hybrid"),
    (O, "degree_title", "MEng in Machine Learning"), (O, "tuition_per_credit", (2100, 2100, "exact")),
    (O, "credits", (30, 30, "exact")), (O, "delivery_format", "Online"),
    # not facts: the ranks, "The average price per credit across the ten schools ... is $1,020"
}


@pytest.mark.parametrize("name,want", [
    ("unseen_cost_per_credit_flat.txt", PER_CREDIT),
    ("unseen_total_cost_gre_flat.txt", TOTAL_GRE),
    ("unseen_ranked_per_credit_flat.txt", RANKED),
])
def test_flattened_cost_table_page_yields_exactly_its_program_facts(name, want):
    got = keyed(load(name))
    assert got - want == set(), f"extra facts: {sorted(got - want, key=str)}"
    assert want - got == set(), f"missing facts: {sorted(want - got, key=str)}"


def test_every_fact_quotes_its_span():
    for name in ("unseen_cost_per_credit_flat.txt", "unseen_total_cost_gre_flat.txt", "unseen_ranked_per_credit_flat.txt"):
        text = load(name)
        for f in extract_text(text).facts:
            assert 0 <= f.start < f.end <= len(text) and text[f.start:f.end].strip() == text[f.start:f.end]


def test_header_with_an_unknown_qualifier_word():
    h = "UniversityProgramCost per CreditTotal CreditsProjected Total Tuition"
    kinds = [k for k, _, _ in segment_header(h)]
    assert kinds == ["university", "degree_title", "tuition_per_credit", "credits", "tuition"]
    segs = segment_header(h)
    assert h[segs[-1][1]:segs[-1][2]] == "Projected Total Tuition"


KINDS = ("university", "degree_title", "tuition_per_credit", "credits", "tuition")


def cells(row: str, kinds=KINDS) -> list[str]:
    return flat_cells(row, kinds)


def test_digits_run_together_split_where_per_credit_times_credits_is_the_total():
    assert cells("Lakeside UniversityM.S. in AI$4803315840") == ["Lakeside University", "M.S. in AI", "$480", "33", "15840"]
    assert cells("Lakeside UniversityM.S. in AI$98030$29,400") == ["Lakeside University", "M.S. in AI", "$980", "30", "$29,400"]
    assert cells("Lakeside UniversityM.S. in AI$1,25036$45,000") == ["Lakeside University", "M.S. in AI", "$1,250", "36", "$45,000"]
    # within 5%: 480 x 33 = 15,840 ~ 16,000
    assert cells("Lakeside UniversityM.S. in AI$4803316000")[2:] == ["$480", "33", "16000"]


def test_inconsistent_splits_leave_the_numeric_cells_empty():
    # 120|36|12000, 1203|61|2000 ... none consistent, several plausible: read nothing rather than guess
    assert cells("Lakeside UniversityM.S. in AI$1203612000") == ["Lakeside University", "M.S. in AI", "", "", ""]
    text = "Lakeside UniversityM.S. in AI$1203612000"
    facts = extract_text("UniversityProgramCost per CreditCreditsTotal Tuition\n" + text + "\n").facts
    assert {f.attribute for f in facts} == {"mention", "degree_title"}


def test_unambiguous_split_without_consistency_is_read():
    # per-credit and credits only: $4,803 / 3 credits and $48 / 033 are not candidates, so $480 / 33 is the one split
    k = ("university", "degree_title", "tuition_per_credit", "credits", "delivery_format")
    assert cells("Lakeside UniversityM.S. in AI$48033Online", k)[2:] == ["$480", "33", "Online"]


def test_row_whose_figures_were_not_read_shows_in_coverage():
    text = load("unseen_cost_per_credit_flat.txt")
    out = [(text[s:e], why) for s, e, why in unclaimed_lines(text, extract_text(text).facts)]
    row = next(line for line in text.splitlines() if line.startswith("Thornbury"))
    assert (row, "money|institution|partial") in out
    # the general bullets are listed too (they yielded nothing)
    assert any(line.lstrip().startswith("• The typical program") for line, _ in out)


def test_gre_heading_scopes_pronoun_and_short_names_come_from_table_cells():
    text = (
        "SchoolDegreeCreditsTotal Cost\n"
        "Ridgeway UniversityM.S. in AI30$24,000\n"
        "Sable Point UniversityM.S. in ML36$31,000\n\n"
        "Is the GRE Required?\n\n"
        "Ridgeway does not ask for test scores. Sable Point asks applicants to submit them.\n"
    )
    got = {(f.subject, f.value) for f in extract_text(text).facts if f.attribute == "gre_policy"}
    assert got == {("Ridgeway University", "not_required"), ("Sable Point University", "required")}
