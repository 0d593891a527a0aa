"""Four more unseen documents (invented schools and numbers, our own words), each in a shape real pages of
this kind use, asserted as exact program-fact sets -- every fact a careful reader finds and nothing else.

unseen_h3_bullets.html          <h3> school, <em> degree line, <ul> of "Cost per credit" / "Credits" / "GRE"
                                items and a paragraph; a "$540 (in-state), $810 (out-of-state)" rate; a school
                                "X College of Engineering"; a generic closing section
unseen_snapshot_tables.html     per school a two-column "Program snapshot" HTML table (Tuition | $X per credit
                                hour, GRE | ..., Program length, Accreditation) and a paragraph
unseen_faq_costs.md             an FAQ whose questions name schools ("How much does ... at X cost?") and whose
                                answers state costs, credits and GRE rules without repeating the name
unseen_hash_rank_headings.txt   "#1 School — Degree" ranking headings with "Estimated total cost: $X" lines, a
                                one-line card, and a closing comparison sentence with possessive short names
"""

from __future__ import annotations

import pytest

from tests.extract.test_unseen_shapes import keyed, load

A, B, C = "Alderwick University", "Brisco College of Engineering", "Corrigan State University"
H3_BULLETS = {
    (A, "degree_title", "Master of Science in Artificial Intelligence"),
    (A, "tuition_per_credit", (715, 715, "exact")),
    (A, "credits", (30, 30, "exact")),
    (A, "gre_policy", "not_required"),
    (B, "degree_title", "Online M.S. in Machine Learning"),
    (B, "tuition_per_credit", (1090, 1090, "exact")),
    (B, "credits", (33, 33, "exact")),
    (B, "gre_policy", "optional"),                 # required only for some applicants
    (B, "tuition", (35970, 35970, "approx")),      # "the full degree comes to roughly $35,970"
    (B, "delivery_format", "Online"),              # the degree's own name: "Online M.S. in Machine Learning"
    (C, "degree_title", "M.S. in Data Science (AI Concentration)"),
    (C, "tuition_per_credit", (540, 810, "range")),  # in-state / out-of-state rates
    (C, "credits", (36, 36, "exact")),
    (C, "gre_policy", "optional"),
    # not facts: the $150 matriculation fee, the $127,000 salary, 15-24 months, 1,200 students, 1891, 2009,
    # "most of the programs ... between $600 and $1,200 per credit", "more than $60,000"
}

G, R, I = "Greyfriars University", "Hollins Ridge College", "Isley Institute of Technology"
SNAPSHOT = {
    (G, "degree_title", "Online Master of Science in Machine Learning"),
    (G, "tuition_per_credit", (820, 820, "exact")),
    (G, "credits", (32, 32, "exact")),
    (G, "gre_policy", "not_required"),
    (G, "delivery_format", "Online (asynchronous)"),
    (G, "tuition", (26240, 26240, "approx")),      # "total tuition lands near $26,240"
    (R, "degree_title", "M.S. in Artificial Intelligence"),
    (R, "tuition", (39600, 39600, "exact")),
    (R, "credits", (36, 36, "exact")),
    (R, "gre_policy", "optional"),                 # required below a GPA: conditional
    (R, "delivery_format", "Hybrid (two campus weekends)"),
    (I, "degree_title", "Online M.Eng. in Machine Learning"),
    (I, "tuition_per_credit", (1250, 1250, "exact")),
    (I, "credits", (30, 30, "exact")),
    (I, "gre_policy", "required"),
    (I, "delivery_format", "Online"),              # "Online M.Eng. in Machine Learning"
    # not facts: class sizes under 25, the $95 technology fee, 20 months, 1962, the $118,000 salary,
    # 640 students, "Online programs in this field usually cost between $20,000 and $50,000"
}

L, M, T = "Lakeshore University", "Marsh Valley University", "Tamsin College"
FAQ = {
    (L, "tuition", (31200, 31200, "exact")),
    (L, "credits", (30, 30, "exact")),             # answer under a question naming the school
    (L, "gre_policy", "optional"),                 # GRE only from applicants below a GPA
    (M, "tuition", (14800, 14800, "approx")),
    (T, "gre_policy", "not_required"),
    (T, "tuition_per_credit", (965, 965, "exact")),
    (T, "credits", (36, 36, "exact")),
    # not facts: "Most programs cost between $15,000 and $70,000", the $85 application fee, 80% of students,
    # "up to $5,250 per year" of employer reimbursement; no question line is read as a GRE statement
}

O, F, Q = "Oakhurst University", "Fernhill Polytechnic Institute", "Quenby University"
HASH_RANK = {
    (O, "degree_title", "M.S. in Machine Learning"),
    (O, "tuition", (22500, 22500, "exact")),       # "Estimated total cost" line and "Oakhurst's $22,500"
    (O, "credits", (30, 30, "exact")),
    (O, "gre_policy", "not_required"),
    (O, "ml_core_courses", (5, 5, "exact")),
    (F, "degree_title", "Online Master of Engineering in AI"),
    (F, "tuition", (29900, 29900, "exact")),
    (F, "credits", (33, 33, "exact")),
    (F, "delivery_format", "fully online"),
    (F, "gre_policy", "optional"),
    (Q, "degree_title", "M.S. in Computer Science (Machine Learning)"),
    (Q, "tuition", (41000, 46000, "range")),
    (Q, "gre_policy", "required"),
    (Q, "tuition", (45000, None, "over")),         # "the only school that can top $45,000"
    # not facts: the $50 application fee, 2025-26, "more than $500 per term in fees"
}


@pytest.mark.parametrize("name, want", [
    ("unseen_h3_bullets.html", H3_BULLETS),
    ("unseen_snapshot_tables.html", SNAPSHOT),
    ("unseen_faq_costs.md", FAQ),
    ("unseen_hash_rank_headings.txt", HASH_RANK),
])
def test_unseen_page_yields_exactly_its_program_facts(name, want):
    got = keyed(load(name))
    assert got - want == set(), f"extra facts: {sorted(got - want, key=str)}"
    assert want - got == set(), f"missing facts: {sorted(want - got, key=str)}"


def test_residency_rates_are_one_range():
    from flows.extract.read.cells import cell_facts

    text = "$540 (in-state), $810 (out-of-state)"
    f, = cell_facts("tuition_per_credit", text, 0, len(text), "X University", None, "t")
    assert (f.value_num, f.value_num_high, f.qualifier) == (540, 810, "range")
    assert text[f.start:f.end] == "$540 (in-state), $810"
    text = "$34,500 ($36,000 with fees)"
    f, = cell_facts("tuition", text, 0, len(text), "X University", None, "t")
    assert (f.value_num, f.value_num_high, f.qualifier) == (34500, 34500, "exact")


def test_hash_number_ranking_heading():
    from flows.extract.layout.plaintext import layout_from_text
    from flows.extract.scope import block_scopes

    def heading_scope(line):
        layout = layout_from_text("Ranked Degrees\n\n" + line + "\n\nSome text follows here.\n", "text/plain")
        sc = block_scopes(layout)[1]
        return None if sc is None else (sc.canonical, sc.degree)

    assert heading_scope("#4 Oakhurst University — M.S. in Machine Learning") == \
        ("Oakhurst University", "M.S. in Machine Learning")
    assert heading_scope("2026 Rankings of Online Degrees") is None
