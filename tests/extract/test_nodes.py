"""The extract stage runs every shape extractor and merges their facts (each span once)."""

from pathlib import Path

from flows.extract.nodes import _extractors, extract_text

RAW = Path(__file__).resolve().parents[2] / "raw"


def test_every_shape_extractor_is_registered():
    names = [n for n, _ in _extractors()]
    assert names == ["specializations", "careers_prose"]   # tables, cards, sentences, courses: flows.extract.read


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
    # the prose careers extractor contributes on the corpus page with a salary sentence outside the table
    careers = [f for p in RAW.glob("*.txt") for f in extract_text(p.read_text(encoding="utf-8")).facts
               if f.extractor == "career_prose"]
    assert careers and all(f.entity_type == "career" for f in careers)
