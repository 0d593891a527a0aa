"""Five more unseen documents (invented schools and numbers, our own words) in shapes not covered before,
each asserted as its exact program-fact set -- every fact a careful reader finds and nothing else.

unseen_news_article.txt        a news story: headline opening with the school, byline, lede naming the school
                               and "its online Master of Science in X", admissions staff quoted on credits and
                               cost; numbers that are NOT program facts (enrolment 12,000, a $2 million grant,
                               the 2019 launch, a 30% acceptance rate, a 3.0 GPA, 10-week terms, a $112,000
                               salary, a $310 million endowment); a rival school's cost "for its online M.S."
unseen_merged_cost_table.md    one row per program with a merged "Cost (in-state / out-of-state)" column:
                               "$A / $B", "$A in-state; $B out-of-state", a flat "$A (flat rate ...)"
unseen_nested_bullets.md       "## School — Degree" sections with nested bullets ("- Cost" / "  - $X per credit"
                               / "  - $Y total"), residency rates on two child lines, a fee child bullet
unseen_forum_thread.txt        a forum thread: "Paid about 9k total", "$42k", "$610/credit ... so ~$20k",
                               "School's OMSXX", a bare short name owning a degree ("Marbury's MS in AI")
unseen_degree_wordings.html    a school's own page naming its program four ways (Online MSCS, M.S. in Computer
                               Science, Online Master of Science in Computer Science, MS in CS) and the school
                               by its short name only ("X Tech")
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.extract.nodes import extract_text
from flows.ingest.html_text import html_to_text
from flows.ingest.markdown_text import markdown_to_text

DOCS = Path(__file__).resolve().parents[1] / "fixtures" / "docs"


def load(name: str) -> str:
    """The document text the extractors see through ingest (HTML and markdown flattened)."""
    raw = (DOCS / name).read_text(encoding="utf-8")
    if name.endswith(".html"):
        return html_to_text(raw)[0]
    if name.endswith(".md"):
        return markdown_to_text(raw)[0]
    return raw


def keyed(text: str) -> set:
    out = set()
    for f in extract_text(text).facts:
        quote = text[f.start:f.end]
        assert quote and quote == quote.strip(), f
        if f.entity_type != "program" or f.attribute == "mention":
            continue
        num = (f.value_num, f.value_num_high, f.qualifier)
        out.add((f.subject, f.degree, f.attribute, num if any(x is not None for x in num[:2]) else f.value))
    return out


N, ND = "Northgate University", "Master of Science in Artificial Intelligence"
C, CD = "Corliss College", "M.S. in Data Science"
NEWS = {
    (N, ND, "degree_title", ND),                        # the lede's "its online Master of Science in ..."
    (N, ND, "credits", (30, 30, "exact")),              # quoted: "Students complete 30 credits"
    (N, ND, "tuition", (24600, 24600, "exact")),        # quoted: "the whole degree costs $24,600 in tuition"
    (N, ND, "tuition_per_credit", (820, 820, "exact")),
    (N, ND, "gre_policy", "not_required"),
    (N, ND, "delivery_format", "fully online"),
    (N, ND, "tuition", (None, 25000, "under")),         # quoted: "finish for under $25,000"
    (C, CD, "tuition", (38000, 38000, "approx")),       # "charges roughly $38,000 for its online M.S. in ..."
    (C, CD, "gre_policy", "required"),
    # not facts: 12,000 enrolment, $2 million grant, 2019, 400 students, 30%, 3.0 GPA, 2021, 10-week terms,
    # $112,000 salary, $310 million endowment
}

P, PD = "Pellham State University", "M.S. in Machine Learning"
W, WD = "University of Wrenfield", "Online M.S. in Artificial Intelligence"
D, DD = "Dunmore Technical University", "M.Eng. in AI & Machine Learning"
K, KD = "Kettering Ridge University", "M.S. in Data Science (ML Track)"
MERGED = {
    (P, PD, "degree_title", PD), (P, PD, "credits", (30, 30, "exact")),
    (P, PD, "tuition", (18900, 31500, "range")),        # "$18,900 / $31,500" under "Cost (in-state / out-of-state)"
    (P, PD, "gre_policy", "not_required"), (P, PD, "delivery_format", "Online (async)"),
    (W, WD, "degree_title", WD), (W, WD, "credits", (33, 33, "exact")),
    (W, WD, "tuition", (21450, 36300, "range")),
    (W, WD, "gre_policy", "optional"), (W, WD, "delivery_format", "Online + 2 campus visits"),
    (D, DD, "degree_title", DD), (D, DD, "credits", (30, 30, "exact")),
    (D, DD, "tuition", (27000, 27000, "exact")),        # one flat amount, its note in parentheses
    (D, DD, "gre_policy", "required"), (D, DD, "delivery_format", "Fully online"),
    (D, None, "tuition_per_credit", (900, 900, "exact")),  # "Students at Dunmore pay the same $900 per credit"
    (K, KD, "degree_title", KD), (K, KD, "credits", (36, 36, "exact")),
    (K, KD, "tuition", (14400, 28800, "range")),        # "$14,400 in-state; $28,800 out-of-state"
    (K, KD, "gre_policy", "not_required"), (K, KD, "delivery_format", "Online (synchronous)"),
    # not facts: the $75 application fee, the $120 technology fee
}

A, AD = "Ashcombe University", "Online MS in Applied Machine Learning"
B, BD = "Brightwater Institute of Technology", "Master of Science in Computer Science (AI Specialization)"
L, LD = "Calloway State University", "M.S. in Data Science"
NESTED = {
    (A, AD, "degree_title", AD),
    (A, AD, "tuition_per_credit", (1150, 1150, "exact")),
    (A, AD, "tuition", (34500, 34500, "exact")),
    (A, AD, "credits", (30, 30, "exact")),
    (A, AD, "gre_policy", "not_required"),
    (A, AD, "delivery_format", "100% online, asynchronous lectures"),
    (A, AD, "ml_core_courses", (4, 4, "exact")),        # "- Core ML courses" / "  - 4 required (...)"
    (B, BD, "degree_title", BD),                        # a long markdown heading is still a heading
    (B, BD, "tuition_per_credit", (640, 640, "approx")),
    (B, BD, "tuition", (20500, 20500, "approx")),
    (B, BD, "credits", (32, 32, "exact")),
    (B, BD, "gre_policy", "optional"),
    (B, BD, "delivery_format", "Online with synchronous evening classes"),
    (L, LD, "degree_title", LD),
    (L, LD, "tuition_per_credit", (425, 780, "range")),  # In-state / Out-of-state child bullets: one range
    (L, LD, "credits", (36, 36, "exact")),
    (L, LD, "gre_policy", "optional"),                  # required only for applicants without a STEM degree
    (L, LD, "delivery_format", "Hybrid"),
    # not facts: 20 months, the 3.0 GPA, the $150 technology fee, "40 programs", "under $40,000"
}

F, M, O = "Fairhaven Tech", "Marbury", "Osterley University"
FORUM = {
    (F, "OMSAI", "tuition", (9000, 9000, "approx")),    # "Paid about 9k total"
    (F, "OMSAI", "credits", (30, 30, "exact")),
    (F, "OMSAI", "gre_policy", "not_required"),         # "No GRE needed"
    (F, "OMSAI", "delivery_format", "100% online"),
    (M, "MS in AI", "tuition", (42000, 42000, "approx")),  # "runs around $42k"
    (M, "MS in AI", "gre_policy", "optional"),          # "They want GRE scores unless ..."
    (M, "MS in AI", "degree_title", "MS in AI"),        # "Marbury's MS in AI" (read since the document-model readers)
    (O, None, "tuition_per_credit", (610, 610, "exact")),
    (O, None, "credits", (33, 33, "exact")),
    (O, None, "tuition", (20000, 20000, "approx")),     # "so ~$20k" after the per-credit price and credits
    (O, None, "gre_policy", "optional"),
    # not facts: the ~$15k budget, 3.2 GPA, 4 years, "9k is wild", 15-20 hours, $5,250 a year, 47 upvotes
}

H, HD = "Harrowgate Tech", "Online Master of Science in Computer Science"
WORDINGS = {
    (H, HD, "degree_title", HD),
    (H, HD, "credits", (30, 30, "exact")),
    (H, HD, "tuition_per_credit", (495, 495, "exact")),
    (H, HD, "tuition", (14850, 14850, "exact")),
    (H, HD, "gre_policy", "not_required"),
    (H, HD, "delivery_format", "Online, asynchronous"),
    (H, HD, "ml_core_courses", (4, 4, "exact")),
    # not facts: 1905, 18,000 students, 2026
}


@pytest.mark.parametrize("name, want", [
    ("unseen_news_article.txt", NEWS),
    ("unseen_merged_cost_table.md", MERGED),
    ("unseen_nested_bullets.md", NESTED),
    ("unseen_forum_thread.txt", FORUM),
    ("unseen_degree_wordings.html", WORDINGS),
])
def test_unseen_page_yields_exactly_its_program_facts(name, want):
    got = keyed(load(name))
    assert got - want == set(), f"extra facts: {sorted(got - want, key=str)}"
    assert want - got == set(), f"missing facts: {sorted(want - got, key=str)}"


def test_informal_thousands_only_after_paying_words():
    from flows.extract.values import find_money

    m, = find_money("I paid about 12k total")
    assert (m.low, m.high, m.qualifier) == (12000, 12000, "approx")
    assert find_money("12k is a lot of money") == []
    assert find_money("the course has 4k students") == []


def test_slash_pair_cell_is_one_range_but_a_single_amount_stays():
    from flows.extract.read.cells import cell_facts

    text = "$9,100 / $15,400"
    f, = cell_facts("tuition", text, 0, len(text), "Lakeside University", None, "t")
    assert (f.value_num, f.value_num_high, f.qualifier) == (9100, 15400, "range")
    assert text[f.start:f.end] == text
    text = "$9,100 (with fees $9,600)"
    f, = cell_facts("tuition", text, 0, len(text), "Lakeside University", None, "t")
    assert (f.value_num, f.value_num_high, f.qualifier) == (9100, 9100, "exact")


def test_descriptive_sentence_opener_is_not_part_of_a_school_name():
    from flows.extract.registry import load_registry

    ms = load_registry().find_all("Nearby Lakeside College charges less. Rival Birch University does not.")
    assert [m.text for m in ms] == ["Lakeside College", "Birch University"]


def test_possessive_before_a_degree_names_a_school_but_not_a_common_word():
    from flows.extract.registry import load_registry

    names = [m.text for m in load_registry().find_all("Lakemoor's MS in AI is new. This year's MS cohort is big.")]
    assert names == ["Lakemoor"]


def test_a_paragraph_about_two_schools_does_not_carry_either_into_the_next_sentence():
    text = ("Lakeside University and Birch College both came up in the thread. Paid about 9k total, "
            "30 credits.\n")
    assert [f for f in extract_text(text).facts if f.attribute in ("tuition", "credits")] == []
