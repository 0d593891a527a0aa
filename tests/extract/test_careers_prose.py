"""Careers stated outside tables, read from the document model (flows/extract/read/careers.py, role names in
flows/extract/read/roles.py), through the real entry point flows.extract.nodes.extract_text.

Fixtures are our own pages (invented roles' figures, our own words), each in another shape:

careers_bullets.md               role list items: "Role: $X–$Y median salary; growth", bold + em dash,
                                 "Role ($X–$Y), key skills: ...", labelled growth/skills pieces; negatives:
                                 tuition / bonus / graduates-in-general items, a pipe careers table (tables.py's)
careers_role_headings.md         "### Role" headings with labelled lines and bullets, a numbered plural
                                 heading, "Role Salary and Outlook" heading; graduates/bonus sentences; a
                                 program heading whose tuition must not leak into the last role
careers_pay_sentences.txt        pay sentences (earn / command ... above / make between / median pay for /
                                 average salary of); negatives: seniority bands, shared figures, differences,
                                 percentiles, hourly rates, graduates, tuition, bonuses, bootcamp prices
careers_flattened_page.txt       a flattened and a tab careers table (skipped here) with pay prose around them
careers_negative_program_page.txt  a program page full of money and job words but no role's pay: nothing
careers_plain_cards.txt          plain text: a role line with "Key: value" lines under it, a numbered list
                                 ("Role — Average salary: $X", "Role — $X (median), Growth: N%"), list items
                                 that are only a role with indented lines, a growth sentence naming a role
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.extract.nodes import extract_text
from flows.extract.read.careers import EXTRACTOR
from flows.extract.read.roles import find_roles, normalise_role, role_title
from flows.resolve.keys import name_key

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures"
RAW = ROOT / "raw"


def extract_tables(text):
    """The careers-table facts of a document's extraction (read from its document model)."""
    return [f for f in extract_text(text).facts if f.extractor in ("layout_table", "flattened_table")]


def extract_careers_prose(text, media_type="text/plain", file_text=None):
    """The careers-outside-tables facts of a document's extraction, as a refresh reads them."""
    return [f for f in extract_text(text, media_type, file_text).facts if f.extractor == EXTRACTOR]


def read(p: Path) -> str:
    return p.read_text(encoding="utf-8")


def keyed(text: str, media_type="text/plain", file_text=None) -> set:
    """(role, attribute, value) with salaries as (low, high, qualifier); checks every span on the way."""
    out = set()
    facts = extract_careers_prose(text, media_type, file_text)
    for f in facts:
        quote = text[f.start:f.end]
        assert quote and quote == quote.strip(), f
        assert f.entity_type == "career" and f.extractor == EXTRACTOR, f
        assert f.attribute in ("salary", "growth_outlook", "key_skills"), f
        if f.attribute == "salary":
            assert "$" in quote, f
            out.add((f.subject, "salary", (f.value_num, f.value_num_high, f.qualifier)))
        else:
            assert quote == f.value, f  # growth and skills are quoted as written
            out.add((f.subject, f.attribute, f.value))
    assert len(out) == len(facts), "a fact was emitted twice"
    return out


def sal(role, low, high, q):
    return (role, "salary", (low, high, q))


def skills(role, *names):
    return {(role, "key_skills", n) for n in names}


def growth(role, value):
    return (role, "growth_outlook", value)


BULLETS = {
    sal("Robotics Engineer", 98000.0, 141000.0, "range"), growth("Robotics Engineer", "steady growth"),
    sal("Speech Scientist", 121450.0, 121450.0, "exact"), growth("Speech Scientist", "19% projected growth"),
    sal("Analytics Developer", 87500.0, 119000.0, "range"),
    *skills("Analytics Developer", "SQL", "dbt", "Looker"),
    sal("Decision Scientist", 133000.0, None, "at_least"), growth("Decision Scientist", "Very Strong"),
    *skills("Decision Scientist", "causal inference", "A/B testing", "Python"),
    sal("Perception Engineer", 126000.0, 126000.0, "approx"),
    *skills("Perception Engineer", "C++", "point clouds", "sensor fusion"),
}

ROLE_HEADINGS = {
    sal("Vision Systems Engineer", 118000.0, 118000.0, "exact"), growth("Vision Systems Engineer", "Strong"),
    *skills("Vision Systems Engineer", "OpenCV", "calibration", "embedded Linux", "CUDA"),
    sal("Imaging Scientist", 104000.0, 139000.0, "range"), growth("Imaging Scientist", "15% growth through 2034"),
    *skills("Imaging Scientist", "signal processing", "MATLAB", "experimental design"),
    sal("Autonomy Researcher", 142000.0, None, "over"),
    *skills("Autonomy Researcher", "reinforcement learning", "simulation", "PyTorch"),
}

PAY_SENTENCES = {
    sal("Data Platform Engineer", 138500.0, 138500.0, "exact"),
    sal("Analytics Engineer", 124000.0, None, "over"),
    sal("Business Intelligence Analyst", 78000.0, 96000.0, "range"),
    sal("Machine Learning Engineer", 157200.0, 157200.0, "exact"),
    sal("Cloud Data Architect", 171000.0, 171000.0, "approx"),
}

FLATTENED_PAGE = {
    sal("AI Product Manager", 146000.0, 146000.0, "exact"),
    sal("Robotics Software Developer", 112000.0, 158000.0, "range"),
}


PLAIN_CARDS = {
    sal("Motion Planning Engineer", 127300.0, 127300.0, "exact"),
    growth("Motion Planning Engineer", "11% growth through 2034"),
    *skills("Motion Planning Engineer", "trajectory optimization", "ROS 2", "C++"),
    sal("Robot Learning Scientist", 149800.0, 149800.0, "exact"),
    sal("Controls Engineer", 104000.0, 104000.0, "exact"), growth("Controls Engineer", "8%"),
    growth("Controls Engineer", "projected to grow 7% from 2024 to 2034"),
    sal("Human-Robot Interaction Researcher", 116000.0, 152000.0, "range"),
    *skills("Human-Robot Interaction Researcher", "user studies", "Unity", "statistics"),
}


@pytest.mark.parametrize("name, expected", [
    ("careers_plain_cards.txt", PLAIN_CARDS),
    ("careers_bullets.md", BULLETS),
    ("careers_role_headings.md", ROLE_HEADINGS),
    ("careers_pay_sentences.txt", PAY_SENTENCES),
    ("careers_flattened_page.txt", FLATTENED_PAGE),
    ("careers_negative_program_page.txt", set()),
])
def test_fixture_exact_fact_sets(name, expected):
    got = keyed(read(FIX / name))
    assert got == expected, (f"missing: {sorted(expected - got, key=str)}\n"
                             f"extra: {sorted(got - expected, key=str)}")


@pytest.mark.parametrize("name, expected", [
    ("careers_bullets.md", BULLETS),
    ("careers_role_headings.md", ROLE_HEADINGS),
])
def test_markdown_fixtures_read_from_their_markup(name, expected):
    """A refresh reads a .md source from its markdown structure (markdown-it-py), not its raw lines: the same
    facts, quoted in the document text."""
    from flows.ingest.nodes import read_document

    doc = read_document(FIX / name, FIX, None, {})
    assert doc.media_type == "text/markdown"
    assert keyed(doc.text, doc.media_type, doc.file_text) == expected


def test_table_rows_are_left_to_the_table_extractor():
    for name in ("careers_flattened_page.txt", "careers_bullets.md"):
        text = read(FIX / name)
        table_facts = extract_tables(text)
        assert table_facts, name  # the fixture really holds a careers table
        spans = {(f.start, f.end) for f in extract_careers_prose(text)}
        for f in table_facts:
            assert (f.start, f.end) not in spans, f
        table_roles = {name_key(f.subject) for f in table_facts}
        prose_roles = {name_key(f.subject) for f in extract_careers_prose(text)}
        # only the prose sentence about one table role may name it; no table-only role appears
        assert prose_roles & table_roles <= {name_key("AI Product Manager")}


def test_salary_span_quotes_the_figure_with_its_qualifier():
    text = read(FIX / "careers_pay_sentences.txt")
    quotes = {f.subject: text[f.start:f.end] for f in extract_careers_prose(text)}
    assert quotes["Analytics Engineer"] == "above $124,000"
    assert quotes["Business Intelligence Analyst"] == "between $78,000 and $96,000"
    assert quotes["Cloud Data Architect"] == "roughly $171,000"


# ---------------------------------------------------------------- the corpus (raw/*.txt), read by hand

def _raw(prefix: str) -> str:
    return read(next(RAW.glob(f"{prefix}_*.txt")))


def test_raw_001_only_the_open_ended_ml_engineer_sentence():
    """001's careers table is the table extractor's. Outside it, one sentence names one role and its pay
    ("... command median salaries above $X"): an open-ended salary (qualifier over, the money parser's word
    for "above"; resolution reads over/at_least alike). The sentence after the table gives entry-level and
    senior bands ("roles ... start above", "senior roles ... exceed") -- bands of a role, not its pay -- so
    nothing there; "salary outcomes" of programs name no role."""
    text = _raw("001")
    facts = extract_careers_prose(text)
    assert [(f.subject, f.attribute, f.value_num, f.value_num_high, f.qualifier) for f in facts] == [
        ("ML Engineer", "salary", 150000.0, None, "over")]
    f = facts[0]
    assert text[f.start:f.end] == "above $150,000"
    # it merges with the careers table's row of the same role
    table_roles = {name_key(t.subject) for t in extract_tables(text) if t.entity_type == "career"}
    assert name_key(f.subject) in table_roles


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_raw_pages_without_role_pay_yield_nothing(prefix):
    assert extract_careers_prose(_raw(prefix)) == []


# ---------------------------------------------------------------- role names

@pytest.mark.parametrize("written, role", [
    ("machine learning engineers", "Machine Learning Engineer"),
    ("ML engineers", "ML Engineer"),
    ("mlops engineer", "MLOps Engineer"),
    ("Data Scientists", "Data Scientist"),
    ("actuaries", "Actuary"),
    ("Data Analyst (Retail)", "Data Analyst (Retail)"),
    ("program", None),
])
def test_normalise_role(written, role):
    assert normalise_role(written) == role


@pytest.mark.parametrize("heading, role", [
    ("### Robotics Engineer", "Robotics Engineer"),
    ("3. Speech Scientists", "Speech Scientist"),
    ("**Fraud Analyst**", "Fraud Analyst"),
    ("Autonomy Researcher Salary and Outlook", "Autonomy Researcher"),
    ("How to Become a Data Scientist", None),
    ("Top Careers for Graduates", None),
    ("Engineer", None),
    ("Statistician", "Statistician"),
    ("Data Engineer vs Data Scientist", None),
])
def test_role_title(heading, role):
    assert role_title(heading) == role


def test_find_roles_skips_program_nouns_and_bare_heads():
    text = "The data analyst program trains engineers; data analysts then apply."
    assert [r.role for r in find_roles(text)] == ["Data Analyst"]


# ---------------------------------------------------------------- sentences, one at a time

@pytest.mark.parametrize("sentence, expected", [
    ("Speech scientists earn a median salary of $131,000.", {("Speech Scientist", 131000.0, 131000.0, "exact")}),
    ("Quantitative researchers make between $140,000 and $210,000.",
     {("Quantitative Researcher", 140000.0, 210000.0, "range")}),
    ("The average salary for a data analyst is $79,500.", {("Data Analyst", 79500.0, 79500.0, "exact")}),
    ("Data analysts earn less than robotics engineers, who make about $121,000.",
     {("Robotics Engineer", 121000.0, 121000.0, "approx")}),
    ("Data analysts earn $74,000, while robotics engineers earn $118,000.",
     {("Data Analyst", 74000.0, 74000.0, "exact"), ("Robotics Engineer", 118000.0, 118000.0, "exact")}),
    ("Robotics engineers earn $118,000 or more.", {("Robotics Engineer", 118000.0, 118000.0, "exact")}),
    ("Salaries for cloud architects reach $160K.", {("Cloud Architect", 160000.0, 160000.0, "exact")}),
    # negatives
    ("Graduates earn a median salary of $98,000.", set()),
    ("Robotics engineers need a portfolio; tuition is $41,000.", set()),
    ("Robotics engineers receive a signing bonus of $25,000.", set()),
    ("Robotics engineers earn a bonus of $25,000.", set()),
    ("Junior data analysts earn $52,000.", set()),
    ("Data analysts and data engineers earn $99,000 on average.", set()),
    ("Data engineers earn $30,000 more than analysts.", set()),
    ("Data engineers earn $85 per hour as contractors.", set()),
    ("The data engineer certificate costs $26,000.", set()),
    ("Robotics engineers are in demand and the program costs $33,000.", set()),
    ("The 90th percentile of data engineers earn $240,000.", set()),
    ("The market for data engineers will reach $4 billion.", set()),
    ("Engineers earn $100,000.", set()),
    ("Robotics engineers at the lab built a $250,000 prototype.", set()),
    ("Graduates see 12% job growth, and the program is projected to grow 20% by 2030.", set()),
])
def test_sentence(sentence, expected):
    got = {(f.subject, f.value_num, f.value_num_high, f.qualifier)
           for f in extract_careers_prose(sentence) if f.attribute == "salary"}
    assert got == expected


def test_growth_sentence_needs_one_role():
    one = "Demand is strong: employment of data engineers is projected to grow 17% through 2034."
    two = "Data analysts and data engineers are projected to grow 17% through 2034."
    assert keyed(one) == {growth("Data Engineer", "projected to grow 17% through 2034")}
    assert keyed(two) == set()


def test_role_list_without_pay_word_needs_a_careers_context():
    with_context = "## Career Outlook\n\n- Fraud Analyst: $88,000–$112,000\n"
    without = "## Program Costs\n\n- Fraud Analyst: $88,000–$112,000\n"
    assert keyed(with_context) == {sal("Fraud Analyst", 88000.0, 112000.0, "range")}
    assert keyed(without) == set()


def test_section_ends_at_next_heading_and_generic_subjects_stay_out():
    text = ("### Fraud Analyst\n\nMedian pay: $90,500\n\nGraduates of the track earn $101,000.\n\n"
            "### Admissions\n\nSalary expectations aside, the application fee is $75 and tuition is $30,000.\n"
            "Median salary: $99,000\n")
    assert keyed(text) == {sal("Fraud Analyst", 90500.0, 90500.0, "exact")}


def test_table_like_lines_are_skipped():
    text = "Careers\n\nData Engineer | median salary $120,000 | High\nData Engineer\tmedian salary $120,000\n"
    assert extract_careers_prose(text) == []


@pytest.mark.parametrize("junk", [
    "", "   \n\n", "$$$ ((( ::: —— ", "- : $", "### \n- Data Engineer: (((($120,000",
    "Data engineers earn " + "$1" * 500, "\x00\x01 salary $ engineer", "a\rb\r\nData engineers earn $120,000\r",
    "- **Data Engineer**: " + "x, " * 2000,
])
def test_odd_input_never_crashes(junk):
    for f in extract_careers_prose(junk):
        assert 0 <= f.start < f.end <= len(junk)
        assert junk[f.start:f.end]




HTML_PAGE = """<html><head><title>Careers After an Online Perception Master's</title></head><body>
<h1>Careers After an Online Perception Master's</h1>
<p>Here is what the most common roles pay, from our own alumni survey.</p>
<h2>Career Paths and Pay</h2>
<ul>
<li><strong>Robotics Engineer</strong>: $98,000&ndash;$141,000 median salary; steady growth</li>
<li>Speech Scientist &mdash; median pay $121,450; 19% projected growth</li>
<li>Program tuition: $22,000 for in-state students</li>
</ul>
<h3>Imaging Scientist</h3>
<ul><li>Median pay: between $104,000 and $139,000</li><li>Skills: signal processing, MATLAB</li></ul>
<p>Data platform engineers earn a median salary of $138,500 in our survey.</p>
</body></html>"""


def test_html_page_read_from_its_dom():
    """An HTML page's list items, its role heading's section (an <h3> and the <ul> under it) and a pay sentence,
    read from the DOM's blocks; quotes are spans of the document text."""
    from flows.ingest.html_text import html_to_text

    text = html_to_text(HTML_PAGE)[0]
    assert keyed(text, "text/html", HTML_PAGE) == {
        sal("Robotics Engineer", 98000.0, 141000.0, "range"), growth("Robotics Engineer", "steady growth"),
        sal("Speech Scientist", 121450.0, 121450.0, "exact"), growth("Speech Scientist", "19% projected growth"),
        sal("Imaging Scientist", 104000.0, 139000.0, "range"), *skills("Imaging Scientist", "signal processing", "MATLAB"),
        sal("Data Platform Engineer", 138500.0, 138500.0, "exact"),
    }
