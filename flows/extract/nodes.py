"""Extract stage: run every shape extractor over a document's text and merge their facts.

Each extractor is a pure function ``text -> list[Fact]`` that knows one *shape* (tables, cards,
prose, course lists, specialization sections, careers outside tables); none knows any particular document. Facts found
twice (two shapes reading the same words the same way) are kept once.
"""

from __future__ import annotations

from collections.abc import Callable

from flows.extract.model import ExtractionResult, Fact


def _extractors() -> list[tuple[str, Callable[[str], list[Fact]]]]:
    from flows.extract.cards import extract_cards
    from flows.extract.careers_prose import extract_careers_prose
    from flows.extract.courses import extract_courses
    from flows.extract.prose import extract_prose
    from flows.extract.specializations import extract_specializations
    from flows.extract.tables import extract_tables

    return [
        ("tables", extract_tables),
        ("cards", extract_cards),
        ("prose", extract_prose),
        ("courses", extract_courses),
        ("specializations", extract_specializations),
        ("careers_prose", extract_careers_prose),
    ]


def dedupe(facts: list[Fact]) -> list[Fact]:
    """Drop repeats: same entity, attribute, value and span (first extractor wins)."""
    seen, out = set(), []
    for f in facts:
        key = (f.entity_type, f.subject, f.degree, f.attribute, f.value, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def extract_text(text: str) -> ExtractionResult:
    """All facts in ``text`` plus the lines that look factual but yielded none."""
    from flows.extract.coverage import unclaimed_lines

    facts: list[Fact] = []
    for _name, fn in _extractors():
        facts.extend(fn(text))
    facts = dedupe(facts)
    bad = [f for f in facts if not (0 <= f.start <= f.end <= len(text))]
    if bad:
        raise ValueError(f"extractor {bad[0].extractor} returned a span outside the text: {bad[0]}")
    return ExtractionResult(facts=facts, unclaimed=unclaimed_lines(text, facts))
