"""Generalisation of the course and specialization extractors: documents of our own (invented schools,
courses and numbers, written in the shapes real pages use) must yield exactly the facts a careful
reader finds -- no more, no fewer -- each quoted exactly.

courses_unseen_program_page.md    a school's own page: nav links, "Core Courses (12 credits)" with coded
                                  bullets "(3 credits)", "QX 6110: Title — covers ..." electives, a capstone
                                  paragraph, concentrations, admission/fee bullets, testimonials, FAQ
courses_unseen_program_page.html  the same kind of page as HTML: a Course | Title | Credits table, coded
                                  elective <li>s, <dl> tracks, requirement <li>s, a fee table, footer links
courses_unseen_top_listicle.md    "### 1. Title (Creator on Platform) — 4 courses, ~3 months" + paragraph,
                                  "Provider: X | Platform: Y" lines, a Course | Provider table, honorable mentions
courses_unseen_core_prose.txt     "Typical core courses include a, b, and c." in prose, nothing else
specializations_unseen_guide.md   "### Specialization: X" subsections naming schools (one negated),
                                  a how-to section with advice bullets, FAQ
courses_unseen_ranking_keylists.txt  numbered "N. School — Degree" cards with "• Core courses: A, B, and C",
                                  "• Specializations: A, B, C", "• Tracks: thesis or project" bullets

Course titles keep their code, joined by one space ("QX 6110: Title" -> "QX 6110 Title").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.extract.read.courses import course_title
from flows.extract.nodes import extract_text
from flows.extract.read.specializations import EXTRACTOR as SPEC_READER
from flows.ingest.html_text import html_to_text


def section_courses(text: str, media_type: str = "text/plain", file_text: str | None = None) -> list:
    """The course sections' and core-topic sentences' facts, through the real entry point
    (flows.extract.nodes.extract_text), in page order."""
    facts = extract_text(text, media_type, file_text).facts
    return [f for f in facts if f.extractor in ("course_section", "core_topic_sentence")]


FIX = Path(__file__).resolve().parents[1] / "fixtures"


def extract_specializations(text: str) -> list:
    """The specialization reader's facts (flows.extract.read.specializations), through the real entry point."""
    return [f for f in extract_text(text).facts if f.extractor == SPEC_READER]


def load(name: str) -> str:
    raw = (FIX / name).read_text(encoding="utf-8")
    return html_to_text(raw)[0] if name.endswith(".html") else raw


def _courses_of_page(text: str) -> list:
    """Course facts as a refresh reads them (flows.extract.nodes.extract_text)."""
    return [f for f in extract_text(text).facts if f.entity_type == "course"]


def _specializations_of_page(text: str) -> list:
    return [f for f in extract_text(text).facts if f.entity_type == "specialization" or f.attribute == "specialization"]


def _course_readers(text: str) -> list:
    """Facts of the course section and course table readers, through the real entry point."""
    return [f for f in extract_text(text).facts if f.extractor in ("course_section", "core_topic_sentence", "course_table")]


def course_facts(text: str, extract=_course_readers) -> set[tuple]:
    """{(title, attribute, value)}; descriptions by their first 30 characters. Checks every quote."""
    out = set()
    for f in extract(text):
        quote = text[f.start:f.end]
        assert f.entity_type == "course" and quote == quote.strip() and quote, f
        if f.attribute == "kind":
            assert course_title(quote) == f.subject, f
        else:
            assert quote == f.value, f
        out.add((f.subject, f.attribute, f.value[:30] if f.attribute == "description" else f.value))
    return out


def spec_facts(text: str, extract=extract_specializations) -> set[tuple]:
    out = set()
    for f in extract(text):
        quote = text[f.start:f.end]
        if f.entity_type == "specialization":
            assert quote == f.value, f
        else:
            assert f.attribute == "specialization" and quote == f.subject, f
        out.add((f.entity_type, f.subject, f.attribute, f.value[:30] if f.attribute == "description" else f.value))
    return out


def offered(school: str, spec: str, desc: str | None) -> set[tuple]:
    got = {("specialization", spec, "university", school), ("program", school, "specialization", spec)}
    if desc:
        got.add(("specialization", spec, "description", desc))
    return got


QH = "Quarry Hill University"
PROGRAM_PAGE_MD_COURSES = {
    *{(t, a, v) for t in ("QAI 5100 Statistical Learning Methods", "QAI 5200 Optimization for Machine Learning",
                          "QAI 5300 Deep Neural Networks", "QAI 5400 Responsible AI Engineering")
      for a, v in (("kind", "course"), ("provider", QH))},
    ("QAI 6110 Reinforcement Learning", "kind", "course"),
    ("QAI 6110 Reinforcement Learning", "description", "covers Markov decision process"),
    ("QAI 6110 Reinforcement Learning", "provider", QH),
    ("QAI 6120 Natural Language Systems", "kind", "course"),
    ("QAI 6120 Natural Language Systems", "description", "covers transformers, retrieval"),
    ("QAI 6120 Natural Language Systems", "provider", QH),
    ("QAI 6130 Computer Vision in Practice", "kind", "course"),
    ("QAI 6130 Computer Vision in Practice", "description", "covers detection, segmentation"),
    ("QAI 6130 Computer Vision in Practice", "provider", QH),
    ("QAI 6140 Causal Inference for Product Teams", "kind", "course"),
    ("QAI 6140 Causal Inference for Product Teams", "description", "covers experiments, uplift mod"),
    ("QAI 6140 Causal Inference for Product Teams", "provider", QH),
}
PROGRAM_PAGE_MD_SPECS = (offered(QH, "Intelligent Robotics", "Perception, planning and contr")
                         | offered(QH, "Language Technologies", "Building, evaluating and deplo"))

BM = "Brookmere University"
PROGRAM_PAGE_HTML_COURSES = {
    (t, a, v)
    for t in ("DSC 510 Data Wrangling at Scale", "DSC 520 Statistical Modeling", "DSC 530 Machine Learning Foundations",
              "DSC 540 Data Visualization & Communication", "DSC 640 Time Series Analysis", "DSC 650 Deep Learning",
              "DSC 660 Cloud Data Engineering")
    for a, v in (("kind", "course"), ("provider", BM))
}
PROGRAM_PAGE_HTML_SPECS = (offered(BM, "Health Data Science", "Clinical data, survival analys")
                           | offered(BM, "Business Analytics", "Forecasting, pricing experimen"))

LISTICLE_COURSES = {
    ("Neural Systems Specialization", "kind", "course"),
    ("Neural Systems Specialization", "provider", "Ridgeline AI"),  # creator, not the platform it runs on
    ("Neural Systems Specialization", "description", "A four-course sequence that st"),
    ("Applied Probabilistic Modeling", "kind", "course"),
    ("Applied Probabilistic Modeling", "provider", "Halvorsen University"),
    ("Applied Probabilistic Modeling", "description", "A rigorous treatment of Bayesi"),
    ("Practical Deep Learning for Coders", "kind", "course"),
    ("Practical Deep Learning for Coders", "provider", "fast.ai"),
    ("Practical Deep Learning for Coders", "description", "Top-down teaching: you train a"),
    ("Machine Learning Systems Design", "kind", "course"),
    ("Machine Learning Systems Design", "provider", "Stanford Online"),
    ("Machine Learning Systems Design", "description", "A graduate-style course on dat"),
    ("Kaggle Learn Micro-Courses", "kind", "course"),
    ("Kaggle Learn Micro-Courses", "provider", "Kaggle"),
    ("Kaggle Learn Micro-Courses", "description", "Short, free notebooks on panda"),
    ("Tabular Modeling Bootcamp", "kind", "course"),
    ("Tabular Modeling Bootcamp", "provider", "Imani Achterberg"),
    ("Tabular Modeling Bootcamp", "description", "A weekend course taught by Ima"),
}

CORE_PROSE_COURSES = {
    ("machine learning", "kind", "core_topic"),
    ("deep learning", "kind", "core_topic"),
    ("statistical inference", "kind", "core_topic"),
}

GUIDE_SPECS = {
    ("specialization", "Computer Vision", "description", "Computer vision teaches machin"),
    ("specialization", "Computer Vision", "university", "Harrowgate University"),
    ("program", "Harrowgate University", "specialization", "Computer Vision"),
    ("specialization", "Computer Vision", "university", "Pell Institute of Technology"),
    ("program", "Pell Institute of Technology", "specialization", "Computer Vision"),
    ("specialization", "Natural Language Processing", "description", "Language models, information r"),
    ("specialization", "Natural Language Processing", "university", "Brisbane Hollow College"),
    ("program", "Brisbane Hollow College", "specialization", "Natural Language Processing"),
    ("specialization", "Reinforcement Learning", "description", "Reinforcement learning trains "),
    ("specialization", "Reinforcement Learning", "university", "Harrowgate University"),  # Ostrander: "does not"
    ("program", "Harrowgate University", "specialization", "Reinforcement Learning"),
    ("specialization", "Machine Learning Operations", "description", "MLOps covers deployment, monit"),
}

CS, DIT = "Calloway State University", "Denholm Institute of Technology"
KEYLIST_COURSES = {
    (t, a, v)
    for t, school in (("Machine Learning Theory", CS), ("Probabilistic Reasoning", CS), ("Neural Computation", CS),
                      ("Deep Reinforcement Learning", DIT), ("Scalable Inference Systems", DIT))
    for a, v in (("kind", "course"), ("provider", school))
}
KEYLIST_SPECS = set().union(
    *(offered(CS, s, None) for s in ("Computer Vision", "Autonomous Systems", "Healthcare AI")),
    *(offered(DIT, s, None) for s in ("Robotics", "Language Technologies")),
)  # "Tracks: thesis or project" is no specialization list

CASES = [
    ("courses_unseen_program_page.md", PROGRAM_PAGE_MD_COURSES, PROGRAM_PAGE_MD_SPECS),
    ("courses_unseen_program_page.html", PROGRAM_PAGE_HTML_COURSES, PROGRAM_PAGE_HTML_SPECS),
    ("courses_unseen_top_listicle.md", LISTICLE_COURSES, set()),
    ("courses_unseen_core_prose.txt", CORE_PROSE_COURSES, set()),
    ("specializations_unseen_guide.md", set(), GUIDE_SPECS),
]


def test_key_list_cards_of_a_ranking_name_courses_and_specializations():
    """Names listed after a key on a ranked school's card are read from the document model's fields
    (flows.extract.read.fields.listed_facts), through the real entry point."""
    text = load("courses_unseen_ranking_keylists.txt")
    assert course_facts(text, _courses_of_page) == KEYLIST_COURSES
    assert spec_facts(text, _specializations_of_page) == KEYLIST_SPECS


@pytest.mark.parametrize("name,courses,_specs", CASES, ids=[c[0] for c in CASES])
def test_unseen_document_courses_exact(name, courses, _specs):
    assert course_facts(load(name)) == courses


@pytest.mark.parametrize("name,_courses,specs", CASES, ids=[c[0] for c in CASES])
def test_unseen_document_specializations_exact(name, _courses, specs):
    assert spec_facts(load(name)) == specs


def test_course_title_keeps_its_code_whatever_the_separator():
    assert course_title("QX 510: Tidal Data") == "QX 510 Tidal Data"
    assert course_title("QX 510 | Tidal Data") == "QX 510 Tidal Data"
    assert course_title("QX-510 — Tidal  Data") == "QX-510 Tidal Data"
    assert course_title("Tidal Data: Advanced Topics") == "Tidal Data: Advanced Topics"


def test_credit_counts_are_not_part_of_titles():
    text = ("Required Courses\n- TD 501 Harbor Statistics (3 credits)\n- TD 502 Tide Models (4 cr.)\n"
            "- TD 503 Surge Forecasting - 3 credits\n")
    titles = {f.subject for f in section_courses(text) if f.attribute == "kind"}
    assert titles == {"TD 501 Harbor Statistics", "TD 502 Tide Models", "TD 503 Surge Forecasting"}


def test_core_topic_sentence_needs_a_clean_list_and_no_advice():
    yes = "Required courses typically cover harbor statistics, tide models and surge forecasting."
    assert {f.subject for f in section_courses(yes)} == {"harbor statistics", "tide models", "surge forecasting"}
    for no in (
        "Core courses are demanding, and students say the workload is heavy.",       # a clause, not a list
        "Compare the core courses such as tide models, statistics, and ethics.",     # advice
        "The core curriculum includes a course on ethics, two electives and a capstone.",  # determiners/numbers
        "Core courses include tide models and statistics.",                          # two items only
    ):
        assert section_courses(no) == [], no


def test_honorable_mentions_continue_only_a_course_list():
    text = ("Honorable Mentions\n- Tide Tables Bootcamp: A weekend course taught by Ana Ruiz.\n")
    assert section_courses(text) == []  # no course list before it: nothing to continue


def test_course_table_needs_a_course_column():
    text = ("| Program | Credits | Tuition |\n|---|---|---|\n| Harbor Analytics | 30 | $20,000 |\n")
    assert course_facts(text) == set()
    text = ("| Course Title | Provider |\n|---|---|\n| Tide Models in Practice | Lakeside State University |\n")
    assert course_facts(text) == {("Tide Models in Practice", "kind", "course"),
                                  ("Tide Models in Practice", "provider", "Lakeside State University")}


def test_bare_concentration_list_belongs_to_the_page_school_only():
    page = ("Online M.S. in Harbor Analytics | Lakeside State University\n"
            "Lakeside State University's online master's takes 30 credits and two years.\n"
            "Concentrations\n- Port Logistics\n- Coastal Sensing\n")
    specs = spec_facts(page)
    assert specs == (offered("Lakeside State University", "Port Logistics", None)
                     | offered("Lakeside State University", "Coastal Sensing", None))
    guide = "A guide to harbor degrees, written for working analysts in ports.\nConcentrations\n- Port Logistics\n- Coastal Sensing\n"
    assert extract_specializations(guide) == []


def test_key_lists_split_commas_not_a_lone_and_and_read_bold_keys():
    page = ("2. Lakeside State University — M.S. in Tide Science\n"
            "- **Concentrations:** Robotics and Autonomous Systems\n"
            "- **Sample courses:** Tide Models, Harbor Statistics\n")
    specs = spec_facts(page, _specializations_of_page)
    assert specs == offered("Lakeside State University", "Robotics and Autonomous Systems", None)
    assert course_facts(page, _courses_of_page) == {(t, a, v) for t in ("Tide Models", "Harbor Statistics")
                                  for a, v in (("kind", "course"), ("provider", "Lakeside State University"))}


def test_key_list_without_a_school_names_courses_but_no_specializations():
    text = "Core courses: tide models, harbor statistics, and surge forecasting\nSpecializations: Reef Imaging, Port Logistics\n"
    assert course_facts(text, _courses_of_page) == {
        (t, "kind", "core_topic") for t in ("tide models", "harbor statistics", "surge forecasting")}
    assert _specializations_of_page(text) == []
