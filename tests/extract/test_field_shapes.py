"""Key/value shapes the cards of the first design read, now read from the document model's FIELD blocks
(flows.extract.layout) by flows.extract.read.fields: their layout, and their facts through the real entry
point flows.extract.nodes.extract_text. Schools and figures are invented."""

from flows.extract.layout.markdown import layout_from_markdown
from flows.extract.layout.model import FIELD, ITEM, TITLE
from flows.extract.layout.plaintext import layout_from_text
from flows.extract.nodes import extract_text

NESTED = ("# Orlen State University Online M.S. in Reef Science\n\n"
          "- Cost\n  - $1,150 per credit\n  - $34,500 total\n"
          "- Admissions\n  - GRE: not required\n  - Minimum GPA 3.0\n"
          "- Tuition\n  - In-state: $425 per credit\n  - Out-of-state: $780 per credit\n"
          "- Core ML courses\n  - 4 required (statistics, deep learning, optimization, systems)\n")


def facts(text: str, media_type: str = "text/plain", file_text: str | None = None) -> set[tuple]:
    out = set()
    for f in extract_text(text, media_type, file_text).facts:
        q = text[f.start:f.end]
        assert q and q == q.strip(), f
        if f.entity_type == "program" and f.attribute != "mention":
            out.add((f.subject, f.attribute, f.value_num, f.value_num_high, q))
    return out


def test_a_label_item_over_value_items_is_a_field_in_plain_text_and_markdown():
    for lay in (layout_from_text(NESTED), layout_from_markdown(NESTED)):
        fields = [(lay.span(b.key), lay.span(b.value)) for b in lay.blocks if b.kind == FIELD]
        assert ("Cost", "$1,150 per credit\n  - $34,500 total") in fields
        assert ("GRE", "not required") in fields
        assert not any(k == "Admissions" for k, _ in fields)          # its first child is a field of its own
        items = [lay.span(b) for b in lay.blocks if b.kind == ITEM]
        assert "$1,150 per credit" in items and "Minimum GPA 3.0" in items   # the children stay blocks
        for b in lay.blocks:
            if b.kind == FIELD:
                assert b.start <= b.key.start <= b.key.end <= b.end and b.start <= b.value.start <= b.value.end <= b.end


def test_nested_values_are_read_one_per_line_and_residency_lines_as_one_range():
    got = facts(NESTED)
    o = "Orlen State University"
    assert (o, "tuition_per_credit", 1150, 1150, "$1,150 per credit") in got
    assert (o, "tuition", 34500, 34500, "$34,500") in got
    assert (o, "gre_policy", None, None, "not required") in got
    assert (o, "tuition_per_credit", 425, 780, "$425 per credit\n  - Out-of-state: $780 per credit") in got
    assert (o, "ml_core_courses", 4, 4, "4") in got
    assert not any(a == "tuition_per_credit" and lo == 425 and hi == 425 for _, a, lo, hi, _ in got)


def test_bold_keys_and_value_first_stat_runs_are_fields():
    lay = layout_from_text("- **Credits:** 30\n- __Format__: Online\n")
    assert [(lay.span(b.key), lay.span(b.value)) for b in lay.blocks] == [("Credits", "30"), ("Format", "Online")]
    lay = layout_from_text("Orlen Tech\n\nAt a Glance\n30\nCredits\n$24,000\nTotal Tuition\n\nMore text follows here.\n")
    assert [(lay.span(b.key), lay.span(b.value)) for b in lay.blocks if b.kind == FIELD] == [
        ("Credits", "30"), ("Total Tuition", "$24,000")]


def test_a_degree_line_is_not_a_stacked_value_and_a_long_keyed_first_line_is_the_title():
    lay = layout_from_text("Cheap Online Reef Degrees: A 2026 Guide\n\nPellam College\nOnline M.S. in Port Data\n"
                           "Credits: 34\n")
    assert lay.blocks[0].kind == TITLE
    assert [lay.span(b.key) for b in lay.blocks if b.kind == FIELD] == ["Credits"]


def test_one_money_value_with_a_multiplication_gives_rate_credits_and_total():
    text = ("## Osgood College\n\n- **Cost:** $900/credit x 32 credits = $28,800\n"
            "- **Cost per credit:** $540 (in-state), $810 (out-of-state)\n")
    got = facts(text)
    assert ("Osgood College", "tuition_per_credit", 900, 900, "$900/credit") in got
    assert ("Osgood College", "credits", 32, 32, "32 credits") in got
    assert ("Osgood College", "tuition", 28800, 28800, "$28,800") in got
    assert ("Osgood College", "tuition_per_credit", 540, 810, "$540 (in-state), $810") in got


def test_count_keys_and_a_stated_implausible_credit_count():
    text = "Pellam College Online M.S. in Port Data\n\n- Courses: 10\n- Tuition: $2,850 per course\n- Credits: 2026\n"
    got = facts(text)
    assert ("Pellam College", "course_count", 10, 10, "10") in got
    assert ("Pellam College", "credits", 2026, 2026, "2026") in got   # emitted: the validation gate quarantines it


def test_field_quotes_are_the_values_and_map_into_an_html_file():
    from flows.ingest.html_text import html_to_text, map_span

    src = ("<html><head><title>Online M.S. in Port Data | Pellam College</title></head><body>"
           "<h1>Online M.S. in Port Data</h1><p>Pellam College teaches it fully online.</p>"
           "<ul><li><strong>Degree:</strong> Online M.S. in Port Data</li><li><strong>Credits:</strong> 34</li>"
           "<li><strong>Tuition:</strong> $18,500 total</li></ul></body></html>")
    text, offsets, _ = html_to_text(src)
    for f in extract_text(text, "text/html", src).facts:
        if f.extractor == "layout_field":
            s, e = map_span(offsets, f.start, f.end)
            assert src[s:e] == text[f.start:f.end] in ("Online M.S. in Port Data", "34", "$18,500")
