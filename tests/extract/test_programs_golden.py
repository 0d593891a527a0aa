"""Golden test: the program/career facts of raw/*.txt as a refresh extracts them (flows.extract.nodes.
extract_text), checked field by field against tests/golden/programs.yaml and careers.yaml (expected values
derived by reading the sources). Schools are compared by their registry name, as resolution does."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from flows.extract.nodes import extract_text
from flows.extract.registry import load_registry

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "raw"
PROGRAMS = yaml.safe_load((ROOT / "tests" / "golden" / "programs.yaml").read_text(encoding="utf-8"))["sources"]
CAREERS = yaml.safe_load((ROOT / "tests" / "golden" / "careers.yaml").read_text(encoding="utf-8"))["sources"]
NUMERIC = {"ml_core_courses", "credits", "tuition", "tuition_per_credit"}
PROGRAM_ATTRS = ("mention", "degree_title", "ml_core_courses", "credits", "tuition", "tuition_per_credit",
                 "gre_policy", "delivery_format", "standout_feature")


def _num(x):
    return None if x is None else float(x)


def program_key(subject, degree, via, attribute, spec):
    subject = load_registry().canonical(subject)
    if attribute in NUMERIC and isinstance(spec, list):
        return (subject, degree, via, attribute, (_num(spec[0]), _num(spec[1]), spec[2]))
    return (subject, degree, via, attribute, spec)


def fact_key(f):
    if f.attribute in NUMERIC and f.value_num is not None or f.attribute in ("tuition", "tuition_per_credit"):
        return program_key(f.subject, f.degree, f.extractor, f.attribute, [f.value_num, f.value_num_high, f.qualifier])
    return program_key(f.subject, f.degree, f.extractor, f.attribute, f.value)


def expected_program_keys(entries):
    out = Counter()
    for e in entries:
        for attr in PROGRAM_ATTRS:
            if attr in e:
                out[program_key(e["subject"], e["degree"], e["via"], attr, e[attr])] += 1
    return out


#: readers whose facts other goldens pin (test_specializations.py, test_courses.py)
OTHER_READERS = {"layout_specialization", "course_section"}


def run_all(text):
    return [f for f in extract_text(text).facts if f.extractor not in OTHER_READERS]


def extract_tables(text):
    return [f for f in extract_text(text).facts if f.extractor in ("flattened_table", "layout_table")]


def test_golden_covers_every_source():
    assert sorted(PROGRAMS) == sorted(p.name for p in RAW.glob("*.txt"))
    assert sorted(CAREERS) == sorted(p.name for p in RAW.glob("*.txt"))


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_facts_match_golden(name):
    text = (RAW / name).read_text(encoding="utf-8")
    got = Counter(fact_key(f) for f in run_all(text) if f.entity_type == "program")
    want = expected_program_keys(PROGRAMS[name])
    missing = want - got
    extra = got - want
    assert not missing, f"missing program facts: {sorted(missing, key=str)}"
    assert not extra, f"program facts not in the golden file (false positives): {sorted(extra, key=str)}"


@pytest.mark.parametrize("name", sorted(CAREERS))
def test_career_facts_match_golden(name):
    text = (RAW / name).read_text(encoding="utf-8")
    got = Counter()
    for f in run_all(text):
        if f.entity_type != "career":
            continue
        if f.attribute == "salary":
            got[(f.subject, "salary", (f.value_num, f.value_num_high, f.qualifier))] += 1
        else:
            got[(f.subject, f.attribute, f.value)] += 1
    want = Counter()
    for row in CAREERS[name]:
        lo, hi, q = row["salary"]
        want[(row["role"], "salary", (_num(lo), _num(hi), q))] += 1
        if "growth_outlook" in row:   # a pay sentence states the salary only
            want[(row["role"], "growth_outlook", row["growth_outlook"])] += 1
        for skill in row.get("key_skills", []):
            want[(row["role"], "key_skills", skill)] += 1
    assert got == want


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_every_fact_quotes_its_span(name):
    text = (RAW / name).read_text(encoding="utf-8")
    facts = run_all(text)
    for f in facts:
        assert 0 <= f.start < f.end <= len(text)
        quote = text[f.start:f.end]
        assert quote == quote.strip() and quote
        if f.attribute in ("degree_title", "delivery_format", "standout_feature", "mention", "growth_outlook",
                           "key_skills"):
            assert quote == f.value


def test_span_of_run_together_cells_is_the_cell_only():
    text = (RAW / "001_a1f9e34582002965.txt").read_text(encoding="utf-8")
    facts = [f for f in extract_tables(text) if f.subject == "University of Illinois Urbana-Champaign"]
    by_attr = {f.attribute: text[f.start:f.end] for f in facts}
    assert by_attr["ml_core_courses"] == "3-4"
    assert by_attr["credits"] == "32"
    assert by_attr["tuition"] == "~$21,000"
    assert by_attr["gre_policy"] == "No"
