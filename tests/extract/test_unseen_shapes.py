"""More unseen documents of our own (invented schools and numbers), each in a shape real pages use,
asserted as exact fact sets: every fact a careful reader finds, and nothing else -- in particular no
fee, application fee, deposit, salary, year or enrolment count read as tuition or credits.

unseen_numbered_sections.txt     "1. School" / degree line / paragraph / a one-line "Key: v | Key: v" card;
                                 bullets with a conditional GRE waiver; GRE, ML-course counts in words;
                                 a comparison sentence with short names ("A and B ... less than $X, while C
                                 exceeds $Y")
unseen_bold_key_sections.md      "## N. School" with **bold:** keys, "$X per credit hour x N credits",
                                 "30-36 credits", "Total cost: $X-$Y", "= $T"
unseen_tuition_fees.html         a school's Tuition & Fees page: a fees table (tuition row, technology and
                                 graduation fee rows, estimated total cost row), school in the <title>,
                                 degree in the <h1>
unseen_top10_sentences.md        a "Top 10" list, one sentence per school mixing several facts
unseen_program_column_table.md   a markdown table whose "Program" column holds "School — Degree"
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


def keyed(text: str) -> set:
    out = set()
    for f in extract_text(text).facts:
        assert text[f.start:f.end] and text[f.start:f.end] == text[f.start:f.end].strip(), f
        if f.entity_type != "program" or f.attribute == "mention":
            continue
        num = (f.value_num, f.value_num_high, f.qualifier)
        out.add((f.subject, f.attribute, num if any(x is not None for x in num[:2]) else f.value))
    return out


W, K, A = "Wexford University", "Kestrel Bay Institute of Technology", "Ashby State University"
NUMBERED = {
    (W, "degree_title", "Master of Science in Applied Machine Learning"),
    (W, "tuition_per_credit", (980, 980, "exact")),
    (W, "credits", (32, 32, "exact")),
    (W, "ml_core_courses", (4, 4, "exact")),
    (W, "gre_policy", "required"),
    (W, "tuition", (31360, 31360, "exact")),          # the card under the section's paragraph
    (W, "delivery_format", "Fully online, asynchronous"),
    (W, "tuition", (None, 33000, "under")),           # "Wexford and Ashby State both cost less than $33,000"
    (K, "degree_title", "Online M.S. in Artificial Intelligence"),
    (K, "tuition", (47500, 47500, "approx")),
    (K, "credits", (30, 30, "exact")),
    (K, "gre_policy", "optional"),
    (K, "delivery_format", "Online"),                 # the degree's own name: "Online M.S. in Artificial Intelligence"
    (K, "ml_core_courses", (3, 4, "range")),
    (K, "tuition", (45000, None, "over")),            # "while Kestrel Bay exceeds $45,000"
    (A, "degree_title", "M.S. in Computer Science (AI Track)"),
    (A, "credits", (33, 33, "exact")),
    (A, "tuition_per_credit", (560, 560, "exact")),
    (A, "gre_policy", "optional"),                    # waived only for some applicants: a conditional waiver
    (A, "delivery_format", "Online with weekly live seminars"),
    (A, "tuition", (None, 33000, "under")),
    # not facts: the $60 application fee, the $95 per-term fee, salaries above $120,000, 1,850 students
}

L, Q, F, O = "Larchmont University", "Quarry Hill College", "Fenwick Polytechnic", "Osprey College"
BOLD = {
    (L, "degree_title", "M.S. in Artificial Intelligence"),
    (L, "tuition", (27600, 27600, "exact")),
    (L, "credits", (36, 36, "exact")),
    (L, "gre_policy", "not_required"),
    (Q, "degree_title", "Master of Science in Data Science"),
    (Q, "tuition_per_credit", (725, 725, "exact")),
    (Q, "credits", (30, 30, "exact")),                # "x 30 credits" after the per-credit price
    (Q, "delivery_format", "Online (asynchronous)"),
    (F, "tuition", (31000, 38500, "range")),
    (F, "credits", (30, 36, "range")),
    (F, "gre_policy", "required"),
    (O, "tuition_per_credit", (900, 900, "exact")),
    (O, "credits", (32, 32, "exact")),
    (O, "tuition", (28800, 28800, "exact")),          # "= $28,800"
    # not facts: the $75 application fee, the $98,000 salary, "Founded: 1891"
}

T = "Thornbury University"
FEES = {
    (T, "degree_title", "Online M.S. in Artificial Intelligence"),
    (T, "credits", (36, 36, "exact")),                # "Tuition (36 credits)"
    (T, "tuition_per_credit", (815, 815, "exact")),
    (T, "tuition", (29340, 29340, "exact")),          # the tuition row's total, not the fee-inclusive $30,930
    (T, "gre_policy", "not_required"),
    (T, "delivery_format", "Online"),                 # the page's degree: "Online M.S. in Artificial Intelligence"
    # not facts: technology fee ($40/credit, $1,440), graduation fee, $65 application fee, 1,200 students,
    # the $128,000 salary, 1974
}

TOP10 = {
    ("Alderbrook University", "tuition", (22000, 22000, "approx")),
    ("Alderbrook University", "credits", (30, 30, "exact")),
    ("Alderbrook University", "gre_policy", "not_required"),
    ("Cresthaven College", "tuition_per_credit", (540, 540, "exact")),
    ("Cresthaven College", "credits", (36, 36, "exact")),
    ("Cresthaven College", "gre_policy", "required"),
    ("Marlowe Institute of Technology", "tuition_per_credit", (1300, 1300, "exact")),
    ("Marlowe Institute of Technology", "credits", (33, 33, "exact")),
    ("Marlowe Institute of Technology", "gre_policy", "optional"),   # waived for experienced applicants only
    ("Marlowe Institute of Technology", "delivery_format", "Online"),  # "Marlowe's Online M.Eng. in AI"
    ("Penrith State University", "tuition", (None, 18000, "under")),
    ("Penrith State University", "delivery_format", "fully asynchronous"),
    ("Penrith State University", "gre_policy", "optional"),
    ("Sablewood University", "credits", (32, 32, "exact")),
    ("Sablewood University", "ml_core_courses", (5, 5, "exact")),
    ("Sablewood University", "tuition", (41500, 41500, "approx")),
    ("Dunleigh University", "credits", (30, 30, "exact")),
    ("Dunleigh University", "tuition", (36900, 36900, "exact")),    # not 1887, not 14,000 students
    ("Halstead University", "tuition", (28000, 34000, "range")),
    ("Halstead University", "delivery_format", "100% online"),
    ("Ravensworth University", "gre_policy", "not_required"),
    ("Ravensworth University", "delivery_format", "fully online"),
    ("Tamsin Polytechnic", "tuition", (19800, 19800, "exact")),     # not the $250 deposit
    # Glenmoor College: only a $75 application fee and a $118,000 salary -> no facts
    # the degree each item names in its sentence (read since the document-model readers)
    ("Alderbrook University", "degree_title", "M.S. in Machine Learning"),
    ("Cresthaven College", "degree_title", "M.S. in Data Science"),
    ("Dunleigh University", "degree_title", "M.S. in Artificial Intelligence"),
    ("Marlowe Institute of Technology", "degree_title", "Online M.Eng. in AI"),
    ("Sablewood University", "degree_title", "M.S. in Computer Science"),
}

PROGRAM_COLUMN = set()
for school, degree, credits, tuition, gre, fmt in [
    ("Lakeside University", "M.S. in Artificial Intelligence", (30, 30, "exact"), (24600, 24600, "exact"),
     "not_required", "Online (async)"),
    ("Brackenridge University", "Online Master of Data Science (ML Track)", (32, 36, "range"),
     (29000, 33500, "range"), "optional", "Online"),
    ("Corvel Institute of Technology", "MS in Machine Learning", (30, 30, "exact"), (41000, 41000, "approx"),
     "required", "Hybrid"),
    ("Wyndham College", "Master of Engineering in AI", (33, 33, "exact"), (None, 20000, "under"), "optional",
     "100% online"),
    ("Ostrander State University", "M.S. in Computer Science (ML Specialization)", (31, 31, "exact"),
     (12400, 12400, "exact"), "not_required", "Online"),
]:
    PROGRAM_COLUMN |= {(school, "degree_title", degree), (school, "credits", credits), (school, "tuition", tuition),
                       (school, "gre_policy", gre), (school, "delivery_format", fmt)}


@pytest.mark.parametrize("name, want", [
    ("unseen_numbered_sections.txt", NUMBERED),
    ("unseen_bold_key_sections.md", BOLD),
    ("unseen_tuition_fees.html", FEES),
    ("unseen_top10_sentences.md", TOP10),
    ("unseen_program_column_table.md", PROGRAM_COLUMN),
])
def test_unseen_shape_yields_exactly_its_program_facts(name, want):
    got = keyed(load(name))
    assert not want - got, f"missing: {sorted(want - got, key=str)}"
    assert not got - want, f"false facts: {sorted(got - want, key=str)}"


def test_quotes_of_new_shapes():
    text = load("unseen_numbered_sections.txt")
    q = {(f.subject, f.attribute, f.value): text[f.start:f.end] for f in extract_text(text).facts}
    assert q[("Wexford University", "ml_core_courses", "4")] == "four required machine learning courses"
    assert q[("Kestrel Bay Institute of Technology", "tuition", "over 45000")] == "exceeds $45,000"
    assert q[("Ashby State University", "gre_policy", "optional")] == "Waived for applicants with a 3.2 GPA or higher"
    text = load("unseen_bold_key_sections.md")
    q = {(f.subject, f.attribute, f.value): text[f.start:f.end] for f in extract_text(text).facts}
    assert q[("Quarry Hill College", "credits", "30")] == "30 credits"
    assert q[("Fenwick Polytechnic", "credits", "30-36")] == "30–36 credits"
    text = load("unseen_tuition_fees.html")
    q = {(f.subject, f.attribute, f.value): text[f.start:f.end] for f in extract_text(text).facts}
    assert q[("Thornbury University", "credits", "36")] == "36 credits"
    assert q[("Thornbury University", "tuition", "29340")] == "$29,340"


@pytest.mark.parametrize("clause, policy", [
    ("Applicants must submit GRE scores.", "required"),
    ("GRE scores are required.", "required"),
    ("The department requires the GRE.", "required"),
    ("The GRE is optional.", "optional"),
    ("GRE waived.", "not_required"),
    ("The GRE is waived for applicants with a 3.0 GPA.", "optional"),   # conditional waiver
    ("The GRE can be waived.", "optional"),
    ("GRE scores are not required.", "not_required"),
])
def test_gre_sentence_wording(clause, policy):
    from flows.extract.values import gre_policy

    assert gre_policy(clause, both=True) == policy


@pytest.mark.parametrize("sentence, want", [
    ("Students complete five core ML courses.", (5, 5, "exact")),
    ("It has four required machine learning courses.", (4, 4, "exact")),
    ("Expect 3-4 ML core courses.", (3, 4, "range")),
    ("It offers five courses in total.", None),
    ("A $5 ML courses fee.", None),
])
def test_ml_course_counts_in_words(sentence, want):
    from flows.extract.values import find_ml_course_counts

    got = find_ml_course_counts(sentence)
    assert ((got[0].low, got[0].high, got[0].qualifier) if got else None) == want


def test_short_names_are_unambiguous_prefixes():
    from flows.extract.scope import find_names

    text = ("Wexford Hills University, Wexford College and Pinecrest Institute of Technology. "
            "Wexford Hills is cheaper; Pinecrest is older; Wexford is a town.")
    got = {(m.text, m.canonical) for m in find_names(text)}
    assert ("Wexford Hills", "Wexford Hills University") in got
    assert not any(t == "Wexford" for t, _ in got)      # two schools start with it
    assert ("Pinecrest", "Pinecrest Institute of Technology") in got


def test_fee_rows_never_become_tuition():
    text = ("Tuition and Fees | Ashcombe University\n\nCosts: Online MS in Data Science\n\n"
            "| Charge | Per credit | Per term | Total |\n|---|---|---|---|\n"
            "| Technology fee | $50 | $300 | $1,500 |\n| Student services fee |  | $120 | $600 |\n"
            "| Estimated total cost |  |  | $26,100 |\n")
    got = keyed(text)
    assert ("Ashcombe University", "tuition", (26100, 26100, "exact")) in got  # no tuition row: the total
    assert not any(a in ("tuition_per_credit", "credits") for _, a, _ in got)
    assert not any(a == "tuition" and v[0] in (1500, 600) for _, a, v in got)
