"""Extract stage: run every shape extractor over a document's text and merge their facts.

Tables, fields and cards, and sentences are read only from the document model (flows.extract.read: layout ->
scope -> values -> facts). Two text extractors of the first design remain, each a pure function
``text -> list[Fact]`` for one shape no reader of the document model covers yet: specialization
sections and careers outside tables. Facts found twice (two shapes reading the same words the same way) are
kept once.
"""

from __future__ import annotations

from collections.abc import Callable

from flows.extract.model import ExtractionResult, Fact


def _extractors() -> list[tuple[str, Callable[[str], list[Fact]]]]:
    from flows.extract.careers_prose import extract_careers_prose
    from flows.extract.specializations import extract_specializations

    return [
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


def merge_layout_facts(legacy: list[Fact], layout_facts: list[Fact]) -> list[Fact]:
    """Facts read from the document model join the text extractors' facts. Where both read the same words
    for the same attribute, one statement is kept (the text extractor's, whose shapes the goldens pin); a
    mention adds a program only for a school no other fact names."""
    from flows.extract.read.courses import CREDITS_EXTRACTOR, SECTION_EXTRACTOR, TOPIC_EXTRACTOR
    from flows.extract.read.tables import COURSE_EXTRACTOR, ROW_EXTRACTORS
    from flows.extract.registry import load_registry
    from flows.extract.text import Spans

    reg = load_registry()
    by_attr: dict[str, list[tuple[int, int]]] = {}
    schools, stated = set(), set()
    for f in legacy:
        by_attr.setdefault(f.attribute, []).append((f.start, f.end))
        if f.attribute != "mention":
            by_attr.setdefault("*", []).append((f.start, f.end))
        if f.entity_type == "program":
            schools.add(reg.canonical(f.subject))
            stated.add((reg.canonical(f.subject), f.attribute))
    spans = {attr: Spans(v) for attr, v in by_attr.items()}  # overlap by bisection: linear in the facts
    out = list(legacy)
    for f in layout_facts:
        row = f.extractor in ROW_EXTRACTORS   # a table row's own school and degree: tables have no other reader
        if f.attribute == "mention" and not row:
            if reg.canonical(f.subject) in schools:
                continue
            schools.add(reg.canonical(f.subject))
        elif "*" in spans and spans["*"].overlaps(f.start, f.end) \
                and f.extractor not in (COURSE_EXTRACTOR, SECTION_EXTRACTOR, TOPIC_EXTRACTOR, CREDITS_EXTRACTOR):
            continue      # the same words already read (as this attribute or another): one statement per span
        elif f.entity_type == "program" and f.attribute == "degree_title" and f.extractor != "layout_field" and not row \
                and (reg.canonical(f.subject), f.attribute) in stated:
            continue   # the page's degree wording for this school is already read (a "Degree:" field is stated)
        out.append(f)
    return out


def document_layout(text: str, media_type: str = "text/plain", file_text: str | None = None):
    """The document model of a source: HTML and Markdown from their structure (needs the file's text),
    plain text from its line shapes. Its text is the document text extractors read."""
    from flows.extract.layout import build
    from flows.extract.layout.plaintext import layout_from_text

    if file_text is not None and media_type in ("text/html", "text/markdown"):
        layout = build(file_text, media_type)
        if layout.text == text:
            return layout
    return layout_from_text(text, media_type)


def extract_text(text: str, media_type: str = "text/plain", file_text: str | None = None) -> ExtractionResult:
    """All facts in ``text`` (the document text; for HTML/Markdown pass the file's text too, so the layout
    comes from the markup) plus the lines that look factual but yielded none."""
    from flows.extract.coverage import unclaimed_lines
    from flows.extract.read import read_layout

    facts: list[Fact] = []
    for _name, fn in _extractors():
        facts.extend(fn(text))
    facts = dedupe(facts)
    facts = merge_layout_facts(facts, dedupe(read_layout(document_layout(text, media_type, file_text))))
    bad = [f for f in facts if not (0 <= f.start <= f.end <= len(text))]
    if bad:
        raise ValueError(f"extractor {bad[0].extractor} returned a span outside the text: {bad[0]}")
    return ExtractionResult(facts=facts, unclaimed=unclaimed_lines(text, facts))
