"""Markdown layout builder: blocks from markdown-it-py's parse (headings, paragraphs, key/value lines,
nested and numbered lists, GFM tables, front matter and bylines), each span exact in the text that
``markdown_to_text`` strips of inline markup, and mapped back into the file."""

from pathlib import Path

from flows.extract.layout import build
from flows.extract.layout.markdown import layout_from_markdown
from flows.extract.layout.model import FIELD, HEADING, ITEM, META, PARAGRAPH, TABLE, TITLE
from flows.ingest.html_text import map_span
from flows.ingest.markdown_text import markdown_to_text

SRC = (Path(__file__).parent / "docs" / "guide.md").read_text(encoding="utf-8")
L = layout_from_markdown(SRC)


def blocks(kind):
    return [b for b in L.blocks if b.kind == kind]


def test_text_is_markdown_to_text_and_build_dispatches():
    assert (L.text, L.offsets) == markdown_to_text(SRC)
    assert build(SRC, "text/markdown").blocks == L.blocks
    assert "Tuition: $9,999" in L.text and "9,999" not in "".join(L.span(b) for b in L.blocks)  # code


def test_front_matter_title_and_byline(spans):
    check, _ = spans
    [title] = blocks(TITLE)
    check(L, SRC, title.start, title.end, "Fernhill Guide to Online Data Degrees")  # quotes trimmed
    assert L.title == "Fernhill Guide to Online Data Degrees"
    metas = [(b.role, L.span(b)) for b in blocks(META)]
    assert metas == [("byline", "Priya Natarajan"), ("date", "2026-03-02"),
                     ("date", "By Priya Natarajan · Updated March 2, 2026")]  # emphasis trimmed
    for b in blocks(META):
        check(L, SRC, b.start, b.end, L.span(b))


def test_headings_atx_and_setext_with_levels_and_sections(spans):
    check, _ = spans
    heads = [(L.span(h), h.level) for h in blocks(HEADING)]
    assert heads == [("Online Data Science Degrees at Fernhill", 1), ("Program at a glance", 2),
                     ("Courses", 2), ("Top schools", 3)]
    for h in blocks(HEADING):
        check(L, SRC, h.start, h.end, L.span(h))
    idx = {L.span(b): i for i, b in enumerate(L.blocks)}
    h1 = idx["Online Data Science Degrees at Fernhill"]
    assert L.blocks[h1].parent == idx["Fernhill Guide to Online Data Degrees"]
    assert L.blocks[idx["Courses"]].parent == h1
    assert L.section_path(idx["Ashcombe College"]) == [idx[L.title], h1, idx["Courses"], idx["Top schools"]]


def test_paragraph_spans_skip_inline_markup(spans):
    check, _ = spans
    [p] = blocks(PARAGRAPH)
    check(L, SRC, p.start, p.end, "Fernhill University runs its online M.S. fully\nonline, with no campus visits.")
    s, e = map_span(L.offsets, p.start, p.end)
    assert SRC[s:e].startswith("Fernhill University runs its [online M.S.](https://")
    assert SRC[s:e].endswith("with **no campus visits**.")


def test_key_value_lines_are_fields(spans):
    check, _ = spans
    fields = [(L.span(f.key), L.span(f.value)) for f in blocks(FIELD)]
    # two soft-wrapped lines of one paragraph are two fields; "> Application fee" inside a quote too
    assert fields == [("Credits", "32"), ("Tuition", "$1,150 per credit"), ("Application fee", "$75")]
    for f in blocks(FIELD):
        check(L, SRC, f.start, f.end, L.span(f))
        check(L, SRC, f.key.start, f.key.end, L.span(f.key))
        check(L, SRC, f.value.start, f.value.end, L.span(f.value))
    v = blocks(FIELD)[0].value
    assert SRC[slice(*map_span(L.offsets, v.start, v.end))] == "32"


def test_gfm_table_cells_without_pipes_or_padding(spans):
    check, _ = spans
    [t] = blocks(TABLE)
    assert t.header == 1 and not t.key_column
    assert [[L.cell_text(c) for c in r] for r in t.rows] == [
        ["Course", "Title", "Credits"], ["DS 501", "Statistical Learning", "3"],
        ["DS 502", "Data Engineering", "3"], ["DS 590", "Capstone \\| Industry Project", ""]]
    assert all(c.header for c in t.rows[0]) and not any(c.header for r in t.rows[1:] for c in r)
    for r in t.rows:
        for c in r:
            check(L, SRC, c.start, c.end, L.cell_text(c))
    # a linked cell maps to the link text in the file, not to its brackets or URL
    c = t.rows[2][1]
    assert SRC[slice(*map_span(L.offsets, c.start, c.end))] == "Data Engineering"
    assert L.span(t).startswith("Course | Title") and L.span(t).endswith("Capstone \\| Industry Project")


def test_nested_and_numbered_items(spans):
    check, _ = spans
    assert [(L.span(b), b.level, b.ordinal) for b in blocks(ITEM)] == [
        ("Core", 0, None), ("DS 501 Statistical Learning", 1, None), ("DS 502 Data Engineering", 1, None),
        ("Electives", 0, None), ("Fernhill University", 0, "3"), ("Ashcombe College", 0, "4")]
    for b in blocks(ITEM):
        check(L, SRC, b.start, b.end, L.span(b))


def test_first_h1_is_the_title_without_front_matter():
    lay = layout_from_markdown("# Ashcombe College Online\n\nIntro text.\n\n# Second Part\n")
    assert [(b.kind, lay.span(b)) for b in lay.blocks] == [
        (TITLE, "Ashcombe College Online"), (PARAGRAPH, "Intro text."), (HEADING, "Second Part")]


def test_breadcrumb_line_and_table_with_missing_and_extra_cells(spans):
    check, _ = spans
    src = "Home > Programs > M.S. in AI\n\n| A | B |\n|---|---|\n| 1 |\n| 2 | 3 | 4 |\n"
    lay = layout_from_markdown(src)
    assert (lay.blocks[0].kind, lay.blocks[0].role) == (META, "breadcrumb")
    [t] = [b for b in lay.blocks if b.kind == TABLE]
    assert [[lay.cell_text(c) for c in r] for r in t.rows] == [["A", "B"], ["1", ""], ["2", "3"]]
    for r in t.rows:
        for c in r:
            assert t.start <= c.start <= c.end <= t.end
            check(lay, src, c.start, c.end, lay.cell_text(c))


def test_every_span_of_the_guide_maps_into_the_file(spans):
    _, check_all = spans
    assert check_all(L, SRC) == 37  # 19 blocks, 12 cells, 3 keys and 3 values


def test_stat_lines_and_runs_of_fields_on_one_line(spans):
    _, check_all = spans
    src = ("## Lakeside University\n\n30 Credits\n\n"
           "**Tuition:** $510 per credit | **GRE:** Not required · Format: Online\n\n"
           "Lakeside pairs evening classes with a mentor: every student meets one weekly.\n")
    lay = layout_from_markdown(src)
    got = [(b.kind, b.role, b.key and lay.span(b.key), b.value and lay.span(b.value)) for b in lay.blocks]
    assert got == [(HEADING, None, None, None),
                   (FIELD, "stat", "Credits", "30"),
                   (FIELD, None, "Tuition", "$510 per credit"), (FIELD, None, "GRE", "Not required"),
                   (FIELD, None, "Format", "Online"),
                   (PARAGRAPH, None, None, None)]  # a seven-word "key" is a sentence, not a field
    assert check_all(lay, src) == 2 + 4 * 3


def test_gfm_table_with_an_empty_header_and_label_rows_has_a_key_column(spans):
    check, _ = spans
    src = "| | |\n|---|---|\n| Credits | 30 |\n| GRE | Not required |\n"
    lay = layout_from_markdown(src)
    [t] = [b for b in lay.blocks if b.kind == TABLE]
    assert t.key_column and t.header == 1
    assert [[lay.cell_text(c) for c in r] for r in t.rows] == [["", ""], ["Credits", "30"], ["GRE", "Not required"]]
    for r in t.rows:
        for c in r:
            check(lay, src, c.start, c.end, lay.cell_text(c))
    # with a header of its own the same rows are a column table
    [t] = [b for b in layout_from_markdown("| Item | Detail |\n|---|---|\n| Credits | 30 |\n| GRE | No |\n").blocks]
    assert not t.key_column


def test_key_value_list_items_are_fields_at_the_items_depth(spans):
    _, check_all = spans
    src = "- Admissions\n  - GRE: not required\n  - Minimum GPA 3.0\n- Cost: $1,150 per credit\n"
    lay = layout_from_markdown(src)
    got = [(b.kind, b.level, lay.span(b), b.key and lay.span(b.key)) for b in lay.blocks]
    assert got == [(ITEM, 0, "Admissions", None), (FIELD, 1, "GRE: not required", "GRE"),
                   (ITEM, 1, "Minimum GPA 3.0", None), (FIELD, 0, "Cost: $1,150 per credit", "Cost")]
    assert check_all(lay, src) == 4 + 2 * 2


def test_raw_html_blocks_are_read_by_the_html_builder(spans):
    check, check_all = spans
    src = ("# Quarry Hill Online MS\n\n"
           "<table>\n  <tr><th>Credits</th><td>30</td></tr>\n  <tr><th>Tuition</th><td>$24,000</td></tr>\n</table>\n\n"
           "<div class=\"fact\"><span>GRE</span><span>No</span></div>\n\nAfter the table.\n")
    lay = layout_from_markdown(src)
    kinds = [b.kind for b in lay.blocks]
    assert kinds == [TITLE, TABLE, FIELD, PARAGRAPH]
    t = lay.blocks[1]
    assert t.key_column and [[lay.cell_text(c) for c in r] for r in t.rows] == [["Credits", "30"], ["Tuition", "$24,000"]]
    for r in t.rows:
        for c in r:
            check(lay, src, c.start, c.end, lay.cell_text(c))
    f = lay.blocks[2]
    assert (lay.span(f.key), lay.span(f.value)) == ("GRE", "No")
    assert lay.text == markdown_to_text(src)[0]  # the document text keeps the HTML as written
    assert check_all(lay, src) == 4 + 4 + 2
