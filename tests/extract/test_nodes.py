"""The extract stage reads every shape from the document model and keeps each fact once."""

from pathlib import Path

import importlib.util

from flows.extract.nodes import extract_text

RAW = Path(__file__).resolve().parents[2] / "raw"


def test_no_reader_of_flattened_text_is_left():
    """The first design's text extractors are deleted: every shape is read from the document model."""
    for name in ("tables", "course_tables", "fees", "cards", "key_lists", "prose", "courses", "core_topics",
                 "careers_prose", "specializations"):
        assert importlib.util.find_spec(f"flows.extract.{name}") is None, name


def test_extract_text_merges_shapes_and_quotes_are_spans():
    for path in sorted(RAW.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        result = extract_text(text)
        kinds = {f.entity_type for f in result.facts}
        assert kinds, path
        keys = [(f.entity_type, f.subject, f.degree, f.attribute, f.value, f.start, f.end) for f in result.facts]
        assert len(keys) == len(set(keys)), "a fact read twice by two shapes is kept once"
        for s, e, reason in result.unclaimed:
            assert 0 <= s < e <= len(text) and reason
    # the careers reader of the document model contributes on the corpus page with a salary sentence outside
    # the table
    careers = [f for p in RAW.glob("*.txt") for f in extract_text(p.read_text(encoding="utf-8")).facts
               if f.extractor == "layout_career"]
    assert careers and all(f.entity_type == "career" for f in careers)
