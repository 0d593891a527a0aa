"""flows.extract.text: spans are exact, headings/bullets/labels are recognised by shape."""

from flows.extract.text import (
    Line, bullet, has_sentence, is_heading, is_question, is_title_case, iter_lines, paragraphs,
    sentences, split_label, strip_markup,
)


def test_iter_lines_spans_are_exact_and_trimmed():
    text = "  Title Line  \r\n\n- item one\r\n\tLast line.\n"
    lines = iter_lines(text)
    assert [ln.text for ln in lines] == ["Title Line", "- item one", "Last line."]
    for ln in lines:
        assert text[ln.start:ln.end] == ln.text


def test_iter_lines_bad_input():
    assert iter_lines("") == []
    assert iter_lines(None) == []  # type: ignore[arg-type]


def test_paragraphs_split_on_blank_lines():
    text = "One line\nstill one.\n\n\nSecond block.\n"
    ps = paragraphs(text)
    assert [p.text for p in ps] == ["One line\nstill one.", "Second block."]
    for p in ps:
        assert text[p.start:p.end] == p.text


def test_heading_shapes():
    assert is_heading("Kernel Methods in Practice")
    assert is_heading("Tidal Models: Regression")
    assert is_heading("Which course should I take first?")
    assert not is_heading("A defensible plan for covering the material:")
    assert not is_heading("This is a sentence that ends with a period.")
    assert not is_heading("- Kernel Methods")
    assert not is_heading("Lakeside U | Credits: 30 | $9,000")
    assert not is_heading("Kernel Methods", "continues the sentence in lower case")


def test_question_and_title_case():
    assert is_question("How to Build Your Own Curriculum")
    assert is_question("Are these courses free?")
    assert not is_question("Harbor Logistics")
    assert is_title_case("Cluster Analysis and Graph Methods in Python")
    assert not is_title_case("Mathematical foundations first")


def test_bullet_markers():
    for raw, body, numbered in [("- Alpha Beta", "Alpha Beta", False), ("• Alpha", "Alpha", False),
                                ("3. Alpha — x", "Alpha — x", True), ("2) Alpha", "Alpha", True)]:
        item = bullet(Line(10, 10 + len(raw), raw))
        assert item is not None and item.text == body and item.numbered is numbered
        assert raw[item.start - 10:item.end - 10] == body
    assert bullet(Line(0, 12, "Plain words.")) is None


def test_split_label_prefers_the_right_separator():
    body = "Signal Foundations: This course covers sampling — and more."
    lab = split_label(100, body)
    assert lab.label == "Signal Foundations" and lab.rest.startswith("This course")
    assert body[lab.label_start - 100:lab.label_end - 100] == lab.label
    assert body[lab.rest_start - 100:lab.rest_end - 100] == lab.rest
    lab = split_label(0, "Deep Nets: Theory — offered by Lakeside University.")
    assert lab.label == "Deep Nets: Theory" and lab.rest.startswith("offered by")
    lab = split_label(0, "**Bold Title:** rest of it")
    assert lab.label == "Bold Title" and "**Bold Title:** rest of it"[lab.label_start:lab.label_end] == "Bold Title"
    assert split_label(0, "no label here at all") is None


def test_strip_markup_keeps_exact_span():
    raw = "### Kernel Methods ###"
    ln = strip_markup(Line(5, 5 + len(raw), raw))
    assert ln.text == "Kernel Methods" and raw[ln.start - 5:ln.end - 5] == "Kernel Methods"


def test_sentences_and_prose():
    body = "First one here. Second one, Dr. Who said. Tail"
    ss = sentences(7, body)
    assert ss[0].text == "First one here."
    assert ss[-1].text == "Tail"
    for s in ss:
        assert body[s.start - 7:s.end - 7] == s.text
    assert has_sentence("A few words that make a sentence.")
    assert not has_sentence("Too short.")
