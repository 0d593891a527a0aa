"""Extract stage: the document model of a source, then every reader over it (flows.extract.read: layout ->
scope -> values -> facts), then the facts kept once.

Every shape (tables, fields and cards, sentences, course sections and catalog lines, careers, specializations)
is read only from the document model; no reader sees flattened text of its own.
"""

from __future__ import annotations

from flows.extract.model import ExtractionResult, Fact


def dedupe(facts: list[Fact]) -> list[Fact]:
    """Drop repeats: same entity, attribute, value and span (first reader wins)."""
    seen, out = set(), []
    for f in facts:
        key = (f.entity_type, f.subject, f.degree, f.attribute, f.value, f.start, f.end)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def one_mention_per_school(facts: list[Fact]) -> list[Fact]:
    """A page presents a school once: the first mention of it is kept, later ones are the same program named
    again. A table row's mention is its row's own and always kept."""
    from flows.extract.read.tables import ROW_EXTRACTORS
    from flows.extract.registry import load_registry

    reg = load_registry()
    schools: set[str] = set()
    out = []
    for f in facts:
        if f.attribute == "mention" and f.extractor not in ROW_EXTRACTORS:
            key = reg.canonical(f.subject)
            if key in schools:
                continue
            schools.add(key)
        out.append(f)
    return out


def document_layout(text: str, media_type: str = "text/plain", file_text: str | None = None):
    """The document model of a source (flows.extract.layout.build): HTML and Markdown from their structure
    (needs the file's text), plain text from its line shapes, then the tables whose cells ran together. Its
    text is the document text the readers quote."""
    from flows.extract.layout import build

    if file_text is not None and media_type in ("text/html", "text/markdown"):
        layout = build(file_text, media_type)
        if layout.text == text:
            return layout
    return build(text, media_type, markup=False)


def extract_text(text: str, media_type: str = "text/plain", file_text: str | None = None) -> ExtractionResult:
    """All facts in ``text`` (the document text; for HTML/Markdown pass the file's text too, so the layout
    comes from the markup) plus the lines that look factual but yielded none."""
    from flows.extract.coverage import unclaimed_lines
    from flows.extract.read import read_layout

    facts = one_mention_per_school(dedupe(read_layout(document_layout(text, media_type, file_text))))
    bad = [f for f in facts if not (0 <= f.start <= f.end <= len(text))]
    if bad:
        raise ValueError(f"reader {bad[0].extractor} returned a span outside the text: {bad[0]}")
    return ExtractionResult(facts=facts, unclaimed=unclaimed_lines(text, facts))
