"""Generalisation: documents of our own (invented schools and numbers, written in the shapes real pages
use) must yield exactly the facts a careful reader finds -- no more, no fewer -- with exact quotes.

unseen_ranking_listicle.md   "## 1. School" sections, a degree line, then a one-line card or bullets
unseen_program_page.html     a school's own page: key/value <table>, requirement bullets, course codes
unseen_comparison_table.md   a pipe table with other column names/order, ranges, N/A, Waived
unseen_cost_prose.txt        hard-wrapped prose: per-credit x credits, "$24K", "between $X and $Y",
                             short school names, "Its ..." after a sentence naming the school
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.extract.nodes import extract_text
from flows.ingest.html_text import html_to_text

DOCS = Path(__file__).resolve().parents[1] / "fixtures" / "docs"


def load(name: str) -> str:
    raw = (DOCS / name).read_text(encoding="utf-8")
    return html_to_text(raw)[0] if name.endswith(".html") else raw


def keyed(text: str, entity_type: str = "program") -> set:
    out = set()
    for f in extract_text(text).facts:
        quote = text[f.start:f.end]
        assert quote and quote == quote.strip(), f
        if f.entity_type != entity_type or f.attribute == "mention":
            continue
        num = (f.value_num, f.value_num_high, f.qualifier)
        out.add((f.subject, f.attribute, num if any(x is not None for x in num[:2]) else f.value))
    return out


LISTICLE = {
    ("Lakeside University", "degree_title", "Online Master of Science in Artificial Intelligence"),
    ("Lakeside University", "tuition_per_credit", (510, 510, "exact")),
    ("Lakeside University", "credits", (30, 30, "exact")),
    ("Lakeside University", "gre_policy", "not_required"),
    ("Lakeside University", "delivery_format", "Asynchronous"),
    ("Copperfield Institute of Technology", "degree_title", "Online M.S. in Machine Learning"),
    ("Copperfield Institute of Technology", "tuition_per_credit", (1150, 1150, "exact")),
    ("Copperfield Institute of Technology", "credits", (33, 33, "exact")),
    ("Copperfield Institute of Technology", "gre_policy", "not_required"),
    ("Copperfield Institute of Technology", "delivery_format", "Online (synchronous evening sessions)"),
    ("Bramblewood State University", "degree_title", "Master of Science in Data Science (AI Concentration)"),
    ("Bramblewood State University", "tuition", (22800, 22800, "exact")),
    ("Bramblewood State University", "credits", (36, 36, "exact")),
    ("Bramblewood State University", "gre_policy", "optional"),
    ("Bramblewood State University", "delivery_format", "100% online"),
    ("Tidewater University", "degree_title", "Online Master of Engineering in Artificial Intelligence"),
    ("Tidewater University", "tuition_per_credit", (1480, 1480, "exact")),
    ("Tidewater University", "credits", (30, 30, "exact")),
    ("Tidewater University", "gre_policy", "optional"),
    ("Tidewater University", "delivery_format", "Hybrid (two campus weekends)"),
    ("Marrowstone College", "degree_title", "Online M.S. in Applied AI"),
    ("Marrowstone College", "tuition_per_credit", (795, 795, "exact")),
    ("Marrowstone College", "credits", (32, 32, "exact")),
    ("Marrowstone College", "gre_policy", "not_required"),
    ("Marrowstone College", "delivery_format", "Asynchronous"),
}

PROGRAM_PAGE = {
    ("Halvorsen University", "degree_title", "Online Master of Science in Computer Science"),
    ("Halvorsen University", "tuition_per_credit", (875, 875, "exact")),
    ("Halvorsen University", "credits", (30, 30, "exact")),
    ("Halvorsen University", "tuition", (26250, 26250, "exact")),  # not the $150 technology fee
    ("Halvorsen University", "gre_policy", "not_required"),
    ("Halvorsen University", "delivery_format", "fully online"),
}

COMPARISON = {
    ("Ashgrove University", "degree_title", "M.S. in Machine Learning"),
    ("Ashgrove University", "tuition_per_credit", (650, 650, "exact")),
    ("Ashgrove University", "tuition", (19500, 19500, "exact")),
    ("Ashgrove University", "credits", (30, 30, "exact")),
    ("Ashgrove University", "gre_policy", "not_required"),
    ("Ashgrove University", "delivery_format", "Online"),
    ("Pellham Institute of Technology", "degree_title", "MS in Artificial Intelligence"),
    ("Pellham Institute of Technology", "tuition_per_credit", (1320, 1320, "exact")),
    ("Pellham Institute of Technology", "tuition", (39600, 43560, "range")),
    ("Pellham Institute of Technology", "credits", (30, 33, "range")),
    ("Pellham Institute of Technology", "gre_policy", "not_required"),
    ("Pellham Institute of Technology", "delivery_format", "Hybrid"),
    ("Northvale College", "degree_title", "Master of Data Science"),
    ("Northvale College", "tuition", (24000, 24000, "exact")),
    ("Northvale College", "credits", (32, 32, "exact")),
    ("Northvale College", "gre_policy", "optional"),
    ("Northvale College", "delivery_format", "Online (async)"),
    ("Quillon University", "degree_title", "M.Eng. in AI Systems"),
    ("Quillon University", "tuition_per_credit", (1050, 1050, "exact")),
    ("Quillon University", "tuition", (31500, 31500, "approx")),
    ("Quillon University", "credits", (30, 30, "exact")),
    ("Quillon University", "gre_policy", "required"),
    ("Quillon University", "delivery_format", "Online"),
    ("Sorrel State University", "degree_title", "MS in Computer Science (ML track)"),
    ("Sorrel State University", "tuition_per_credit", (480, 480, "exact")),
    ("Sorrel State University", "tuition", (None, 15000, "under")),
    ("Sorrel State University", "credits", (31, 31, "exact")),
    ("Sorrel State University", "gre_policy", "not_required"),
    ("Sorrel State University", "delivery_format", "Online"),
    ("Ember Bay University", "degree_title", "Master of AI"),
    ("Ember Bay University", "tuition", (52000, None, "at_least")),
    ("Ember Bay University", "credits", (36, 36, "exact")),
    ("Ember Bay University", "delivery_format", "Hybrid"),  # its GRE cell is N/A: no fact
}

COST_PROSE = {
    ("Lakeside University", "tuition_per_credit", (510, 510, "exact")),
    ("Lakeside University", "credits", (30, 30, "exact")),
    ("Lakeside University", "tuition", (15300, 15300, "approx")),
    ("Copperfield Institute of Technology", "tuition_per_credit", (1100, 1100, "exact")),
    ("Copperfield Institute of Technology", "credits", (36, 36, "exact")),
    ("Copperfield Institute of Technology", "tuition", (39600, 39600, "approx")),
    ("Ferncliff University", "tuition", (24000, 24000, "approx")),
    ("Ferncliff University", "gre_policy", "not_required"),
    ("Ferncliff University", "degree_title", "M.S. in Artificial Intelligence"),  # "Its online M.S. in ..." under its paragraph
    ("Delmont College", "tuition", (20000, 30000, "range")),
    ("Delmont College", "delivery_format", "fully online"),
    # the $135,000 salary and the $50-$90 application fees are not tuition
}


@pytest.mark.parametrize("name, want", [
    ("unseen_ranking_listicle.md", LISTICLE),
    ("unseen_program_page.html", PROGRAM_PAGE),
    ("unseen_comparison_table.md", COMPARISON),
    ("unseen_cost_prose.txt", COST_PROSE),
])
def test_unseen_document_yields_exactly_its_program_facts(name, want):
    got = keyed(load(name))
    assert not want - got, f"missing: {sorted(want - got, key=str)}"
    assert not got - want, f"false facts: {sorted(got - want, key=str)}"


def test_program_page_lists_its_courses_with_the_school_as_provider():
    got = keyed(load("unseen_program_page.html"), "course")
    titles = ["CS 6601 Artificial Intelligence", "CS 6420 Machine Learning Foundations", "CS 6750 Deep Learning for Vision",
              "CS 6310 Natural Language Processing", "CS 6100 Algorithms and Complexity"]
    assert got == {(t, "kind", "course") for t in titles} | {(t, "provider", "Halvorsen University") for t in titles}


def test_quotes_of_unseen_facts():
    text = load("unseen_cost_prose.txt")
    quotes = {(f.subject, f.attribute): text[f.start:f.end] for f in extract_text(text).facts}
    assert quotes[("Lakeside University", "tuition_per_credit")] == "$510 per credit"
    assert quotes[("Lakeside University", "credits")] == "30-credit"
    assert quotes[("Copperfield Institute of Technology", "credits")] == "36 credit hours"
    assert quotes[("Ferncliff University", "tuition")] == "roughly $24K"
    assert quotes[("Delmont College", "tuition")] == "between $20,000 and $30,000"
    text = load("unseen_comparison_table.md")
    quotes = {(f.subject, f.attribute): text[f.start:f.end] for f in extract_text(text).facts}
    assert quotes[("Pellham Institute of Technology", "tuition")] == "$39,600–$43,560"
    assert quotes[("Sorrel State University", "tuition")] == "under $15,000"


def test_html_fact_spans_map_back_to_the_file():
    from flows.ingest.html_text import map_span

    raw = (DOCS / "unseen_program_page.html").read_text(encoding="utf-8")
    text, offsets, _title = html_to_text(raw)
    for f in extract_text(text).facts:
        s, e = map_span(offsets, f.start, f.end)
        assert raw[s:e] == text[f.start:f.end]


@pytest.mark.parametrize("cell, policy", [
    ("Waived", "not_required"), ("test-optional", "optional"), ("No GRE required", "not_required"),
    ("Required (waivers available)", "optional"), ("GRE Optional", "optional"), ("Yes", "required"),
    ("N/A", None), ("Hybrid", None), ("No, but recommended", "not_required"),
])
def test_gre_cell_wording(cell, policy):
    from flows.extract.values import gre_policy

    assert gre_policy(cell, about_gre=True, both=True) == policy  # how a GRE cell or card value is read


@pytest.mark.parametrize("header, kind", [
    ("Cost/Credit", "tuition_per_credit"), ("Tuition per credit hour", "tuition_per_credit"),
    ("Total Cost", "tuition"), ("GRE?", "gre_policy"), ("Delivery", "delivery_format"), ("Credit Hours", "credits"),
])
def test_header_synonyms(header, kind):
    from flows.extract.layout.columns import header_kind

    assert header_kind(header) == kind


def test_sentence_opening_word_is_not_part_of_a_school_name():
    from flows.extract.registry import load_registry

    names = [m.text for m in load_registry().find_all("At Wrenfield College, tuition is low. At University of Tarn too.")]
    assert names == ["Wrenfield College", "University of Tarn"]


def test_short_name_and_pronoun_carry_the_school():
    text = ("We compared Wrenfield College and Ostley University.\n\n"
            "Wrenfield's online degree costs about $18,000 in total.\n\n"
            "Ostley University is pricier. Its online M.S. costs roughly $41K, and the\n"
            "school does not require the GRE.\n")
    got = keyed(text)
    assert ("Wrenfield College", "tuition", (18000, 18000, "approx")) in got
    assert ("Ostley University", "tuition", (41000, 41000, "approx")) in got
    assert ("Ostley University", "gre_policy", "not_required") in got
