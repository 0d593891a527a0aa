"""The layout's fields reach the readers: an HTML program page whose facts sit in stat cards, <br>
lines and a 'Key: value | Key: value' run is read through flows.extract.nodes.extract_text (what
`gradfacts extract` and a refresh call), every value bound to the right attribute, quotes exact."""

from pathlib import Path

from flows.extract.nodes import extract_text
from flows.ingest.html_text import html_to_text, map_span

SRC = (Path(__file__).parent / "docs" / "stat_cards.html").read_text(encoding="utf-8")


def test_fields_of_cards_lines_and_runs_are_read_with_their_own_attribute():
    text, offsets, _ = html_to_text(SRC)
    facts = extract_text(text, "text/html", SRC).facts
    layout = [f for f in facts if f.extractor == "layout_field"]
    got = {(f.attribute, f.value) for f in layout}
    assert ("credits", "33") in got and ("tuition_per_credit", "840") in got
    assert ("gre_policy", "not_required") in got and ("delivery_format", "Fully online") in got
    # the per-credit figure of the "Cost per credit: $840 | Total credits: 33 | ..." run is not a total
    assert not any(f.attribute == "tuition" and f.value == "840" for f in facts)
    for f in facts:
        s, e = map_span(offsets, f.start, f.end)
        assert 0 <= s < e <= len(SRC)
        assert all(w in SRC[s:e] for w in text[f.start:f.end].split() if w not in ("-", "|"))


def test_label_value_elements_whose_text_runs_together_are_read():
    src = (Path(__file__).parent / "docs" / "run_together_facts.html").read_text(encoding="utf-8")
    text, offsets, _ = html_to_text(src)
    assert "GRENot required" in text and "Credits31" in text  # what the text-only readers see
    facts = extract_text(text, "text/html", src).facts
    got = {(f.attribute, f.value) for f in facts if f.subject == "Marlpit University"}
    assert {("gre_policy", "not_required"), ("credits", "31"), ("tuition_per_credit", "990")} <= got
    for f in facts:
        if f.attribute in ("gre_policy", "credits"):
            s, e = map_span(offsets, f.start, f.end)   # a field's quote is its value, as in the file
            assert src[s:e] == text[f.start:f.end] and src[s:e] in ("Not required", "31")
