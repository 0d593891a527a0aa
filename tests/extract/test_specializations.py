"""Specializations, read from the document model (flows/extract/read/specializations.py) through the real entry
point flows.extract.nodes.extract_text: golden file over raw/, own documents, negation, bad input."""

from pathlib import Path

import pytest
import yaml

from flows.extract.model import ATTRIBUTES
from flows.extract.nodes import extract_text
from flows.extract.read.specializations import EXTRACTOR
from flows.extract.registry import load_registry
from flows.ingest.nodes import read_document

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
FIX = ROOT / "tests" / "fixtures"
GOLDEN = yaml.safe_load((ROOT / "tests" / "golden" / "specializations.yaml").read_text(encoding="utf-8"))


def extract_specializations(text, media_type="text/plain", file_text=None):
    """The specialization reader's facts of a document's extraction, as a refresh reads them."""
    return [f for f in extract_text(text, media_type, file_text).facts if f.extractor == EXTRACTOR]


def check_spans(text, facts):
    for f in facts:
        assert 0 <= f.start < f.end <= len(text)
        quote = text[f.start:f.end]
        if f.entity_type == "specialization":
            assert f.attribute in ATTRIBUTES["specialization"]
            assert quote == f.value
        else:
            assert f.entity_type == "program" and f.attribute == "specialization" and f.degree is None
            assert quote == f.subject  # the program side quotes the school mention


def summarise(facts):
    """{name: {"description": str, "universities": [canonical...]}} plus the program-side pairs."""
    reg = load_registry()
    specs: dict[str, dict] = {}
    pairs = set()
    for f in facts:
        if f.entity_type == "specialization":
            d = specs.setdefault(f.subject, {"description": None, "universities": []})
            if f.attribute == "description":
                d["description"] = f.value
            else:
                d["universities"].append(reg.canonical(f.value))
        else:
            pairs.add((reg.canonical(f.subject), f.value))
    return specs, pairs


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_specializations_field_by_field(name):
    text = (RAW / name).read_text(encoding="utf-8")
    facts = extract_specializations(text)
    check_spans(text, facts)
    specs, pairs = summarise(facts)
    want = {s["name"]: s for s in GOLDEN[name]}
    assert list(specs) == list(want), "specializations (or their order) differ from the golden file"
    for spec, exp in want.items():
        assert specs[spec]["description"].startswith(exp["description_starts"]), spec
        assert sorted(specs[spec]["universities"]) == sorted(exp["universities"]), spec
    # one program-side fact per (school, specialization) university fact
    assert pairs == {(u, s["name"]) for s in GOLDEN[name] for u in s["universities"]}


def test_golden_covers_every_source():
    assert sorted(GOLDEN) == sorted(p.name for p in RAW.glob("*.txt"))


def test_university_value_is_the_school_as_written():
    text = (RAW / "001_a1f9e34582002965.txt").read_text(encoding="utf-8")
    facts = [f for f in extract_specializations(text) if f.attribute == "university"]
    written = {f.value for f in facts}
    assert "Carnegie Mellon" in written and "Carnegie Mellon University" not in written


def test_concentrations_bullets_and_heading_sections_own_words():
    text = (FIX / "specializations_concentrations.txt").read_text(encoding="utf-8")
    facts = extract_specializations(text)
    check_spans(text, facts)
    specs, pairs = summarise(facts)
    assert list(specs) == ["Ocean Robotics", "Streaming Systems", "Privacy Engineering", "Applied Forecasting",
                           "Geospatial Analytics"]
    assert specs["Ocean Robotics"]["universities"] == ["Lakeside State University"]  # Pinecrest: "has no"
    assert specs["Streaming Systems"]["universities"] == ["Harbor Bay University"]
    assert specs["Privacy Engineering"]["universities"] == []
    assert specs["Applied Forecasting"]["universities"] == ["Northbrook Institute of Technology"]
    assert specs["Geospatial Analytics"]["universities"] == ["Lakeside State University"]  # "Unlike Pinecrest"
    assert specs["Streaming Systems"]["description"].startswith("Real-time pipelines")
    assert ("Lakeside State University", "Ocean Robotics") in pairs


def test_html_concentrations():
    doc = read_document(FIX / "courses_program_page.html", FIX, None, {})
    text = doc.text
    facts = extract_specializations(text, doc.media_type, doc.file_text)
    check_spans(text, facts)
    specs, _ = summarise(facts)
    assert list(specs) == ["Maritime Autonomy", "Health Signals"]
    assert specs["Maritime Autonomy"]["universities"] == ["Harbor Bay University"]


def test_course_lists_and_faqs_are_not_specializations():
    for name in ("courses_numbered_list.txt", "courses_headings.md", "courses_specializations_negative.txt"):
        text = (FIX / name).read_text(encoding="utf-8")
        assert extract_specializations(text) == [], name


def test_abbreviation_dropped_consistently():
    text = ("Specializations\n- Tidal Modeling (TM) concentrates on harmonic models and surge forecasts.\n"
            "- Tidal Modeling: repeated later and ignored as a duplicate of the same name.\n")
    facts = extract_specializations(text)
    assert [f.subject for f in facts] == ["Tidal Modeling"]


def test_program_heading_is_not_a_specialization_and_ends_the_section():
    text = ("Available Concentrations\n"
            "Harbor Forecasting\nA track on harbor forecasting, strongest at Pinecrest College.\n"
            "Reef Imaging\nUnderwater imaging and segmentation, a specialty of Lakeside State University.\n"
            "Lakeside State University Data Track\n"
            "The program offers two concentrations and costs about $20,000 in total.\n"
            "Night Shift Analytics\nShift planning models for port crews across time zones.\n")
    specs, _ = summarise(extract_specializations(text))
    assert list(specs) == ["Harbor Forecasting", "Reef Imaging"]
    assert specs["Harbor Forecasting"]["universities"] == ["Pinecrest College"]
    assert specs["Reef Imaging"]["universities"] == ["Lakeside State University"]


@pytest.mark.parametrize("bad", ["", "\n\n", "Specializations\n", "Specializations\n- \n• (X)\n", "\ufeff" * 10,
                                 "Specializations\n" + "Alpha Beta\nA sentence with enough words here.\n" * 200])
def test_odd_input_never_crashes(bad):
    assert isinstance(extract_specializations(bad), list)


def test_bulleted_tracks_with_a_wide_gap_after_the_label():
    """A bullet whose label is followed by two spaces ("• Thesis Track:  ...") is a list item with a label, not
    a two-cell row of a table: every track of the section is read."""
    text = ("Program Tracks\n\n"
            "Students choose one of these tracks before their second term:\n\n"
            "  • Harbor Track: Covers port logistics and tide models for working analysts.\n"
            "  • Thesis Track:  Students write a thesis with a faculty advisor over two terms.\n"
            "  • Studio Track: Teams build a forecasting tool for a partner port authority.\n")
    facts = extract_specializations(text)
    check_spans(text, facts)
    specs, _ = summarise(facts)
    assert list(specs) == ["Harbor Track", "Thesis Track", "Studio Track"]
    assert specs["Thesis Track"]["description"] == "Students write a thesis with a faculty advisor over two terms."
