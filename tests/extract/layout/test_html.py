"""HTML layout builder: blocks come from the DOM (title, headings, paragraphs, nested lists, tables with
their header row or key column, dl pairs, breadcrumbs, bylines), each span exact in the flattened
text and mapped back into the file."""

from pathlib import Path

from flows.extract.layout.html import layout_from_html
from flows.extract.layout.model import FIELD, HEADING, ITEM, META, PARAGRAPH, TABLE, TITLE
from flows.ingest.html_text import html_to_text, map_span

DOCS = Path(__file__).parent / "docs"
SRC = (DOCS / "program_page.html").read_text(encoding="utf-8")
L = layout_from_html(SRC)


def blocks(kind):
    return [b for b in L.blocks if b.kind == kind]


def test_title_heading_and_paragraph_spans(spans):
    check, _ = spans
    [title] = blocks(TITLE)
    check(L, SRC, title.start, title.end, "Online M.S. in Data Science & AI | Fernhill University")
    assert L.title == "Online M.S. in Data Science & AI | Fernhill University"
    heads = blocks(HEADING)
    assert [(L.span(h), h.level) for h in heads] == [
        ("Online Master of Science in Data Science", 1), ("Program at a glance", 2), ("Courses", 2),
        ("Top schools", 3)]
    for h in heads:
        check(L, SRC, h.start, h.end, L.span(h))
    paras = blocks(PARAGRAPH)
    # an omitted </p> ends the paragraph at the next <p>; whitespace collapses; &nbsp; decodes
    assert [L.span(p) for p in paras] == [
        "Fernhill's program runs fully online.", "Students finish in 20\u00a0months.",
        "Questions? Write to the admissions office."]
    for p in paras:
        check(L, SRC, p.start, p.end, L.span(p))
    assert "$9,999" not in L.text  # script text is not document text


def test_sections_link_every_block_to_its_heading():
    idx = {L.span(b): i for i, b in enumerate(L.blocks)}
    h1, glance, courses, top = (idx[t] for t in (
        "Online Master of Science in Data Science", "Program at a glance", "Courses", "Top schools"))
    assert L.blocks[h1].parent == idx[L.title]
    assert L.blocks[glance].parent == h1 and L.blocks[top].parent == courses
    assert L.blocks[idx["DS 502 Data Engineering"]].parent == courses
    assert L.section_path(idx["Fernhill University"]) == [idx[L.title], h1, courses, top]


def test_nested_and_numbered_list_items(spans):
    check, _ = spans
    items = [(L.span(b), b.level, b.ordinal) for b in blocks(ITEM)]
    assert items == [
        ("Core", 0, None), ("DS 501 Statistical Learning", 1, None), ("DS 502 Data Engineering", 1, None),
        ("Electives", 0, None),
        ("Fernhill University", 0, "3"), ("Ashcombe College", 0, "4"),  # <ol start="3">, omitted </li>
    ]
    for b in blocks(ITEM):
        check(L, SRC, b.start, b.end, L.span(b))


def test_vertical_th_td_table_has_a_key_column(spans):
    check, _ = spans
    t = blocks(TABLE)[0]
    assert t.key_column and t.header == 0
    assert [[(L.cell_text(c), c.header) for c in r] for r in t.rows] == [
        [("Credits", True), ("32", False)], [("Tuition", True), ("$1,150 per credit", False)],
        [("GRE", True), ("Not required", False)]]
    for r in t.rows:
        for c in r:
            check(L, SRC, c.start, c.end, L.cell_text(c))
    text = check(L, SRC, t.start, t.end)
    assert text == "Credits | 32 |\n| Tuition | $1,150 per credit |\n| GRE | Not required"


def test_thead_table_marks_its_header_row_and_keeps_empty_cells(spans):
    check, _ = spans
    t = blocks(TABLE)[1]
    assert t.header == 1 and not t.key_column
    assert [[L.cell_text(c) for c in r] for r in t.rows] == [
        ["Course", "Credits"], ["DS 501", "3"], ["DS 590 Capstone", ""]]
    assert [c.header for c in t.rows[0]] == [True, True] and not any(c.header for c in t.rows[1])
    for r in t.rows:
        for c in r:
            check(L, SRC, c.start, c.end, L.cell_text(c))


def test_definition_list_and_key_value_paragraph_are_fields(spans):
    check, _ = spans
    fields = [(L.span(f.key), L.span(f.value)) for f in blocks(FIELD)]
    assert fields == [("Format", "Asynchronous"), ("Start dates", "August & January"),
                      ("Application fee", "$75")]
    for f in blocks(FIELD):
        check(L, SRC, f.key.start, f.key.end, L.span(f.key))
        check(L, SRC, f.value.start, f.value.end, L.span(f.value))
        check(L, SRC, f.start, f.end)
    # the decoded entity maps to the file's "&amp;"
    amp = blocks(FIELD)[1].value
    s, e = map_span(L.offsets, amp.start, amp.end)
    assert SRC[s:e] == "August &amp; January"


def test_breadcrumb_byline_and_meta_author_are_meta(spans):
    check, _ = spans
    metas = [(b.role, L.span(b)) for b in blocks(META)]
    assert metas == [
        ("byline", "Priya Natarajan"),                      # <meta name="author">
        ("breadcrumb", "Home\n- Programs\n- M.S. in Data Science"),
        ("byline", "By Priya Natarajan \u00b7 March 2, 2026"),
    ]
    for b in blocks(META):
        check(L, SRC, b.start, b.end, L.span(b))
    # the <meta> content maps to the attribute's own characters
    s, e = map_span(L.offsets, blocks(META)[0].start, blocks(META)[0].end)
    assert SRC[s:e] == "Priya Natarajan" and SRC[s - 9:s] == 'content="'
    # breadcrumb entries are not list items
    assert "Programs" not in [L.span(b) for b in blocks(ITEM)]


def test_inline_date_makes_a_short_line_a_date_meta_and_a_long_paragraph_stays_prose():
    src = ("<h1>Ashcombe College</h1><div class='post-meta'>Updated <time>May 4, 2026</time></div>"
           "<p>Applications for the fall cohort close on <time>June 1</time>, and the admissions team "
           "reads every statement of purpose in full before inviting candidates to a short interview with "
           "two faculty members who teach in the program's first year.</p>"
           "<div class='author-bio'><p>Written by Sam Okafor</p></div>")
    lay = layout_from_html(src)
    kinds = [(b.kind, b.role) for b in lay.blocks]
    assert kinds == [(HEADING, None), (META, "date"), (PARAGRAPH, None), (META, "byline")]


def test_vertical_table_with_a_header_row_and_implied_cell_ends(spans):
    check, _ = spans
    src = ("<table><tr><th>Program snapshot<th></tr><tr><th>Credits<td>30<tr><th>GRE<td>Optional</table>"
           "<table><tr><td>Tuition per credit</td><td>$725</td></tr></table>")
    lay = layout_from_html(src)
    t1, t2 = [b for b in lay.blocks if b.kind == TABLE]
    assert t1.header == 1 and t1.key_column
    assert [[lay.cell_text(c) for c in r] for r in t1.rows] == [["Program snapshot", ""], ["Credits", "30"],
                                                                 ["GRE", "Optional"]]
    assert not t2.key_column and t2.header == 0  # one row of two td cells: too little to call a key column
    for t in (t1, t2):
        for r in t.rows:
            for c in r:
                check(lay, src, c.start, c.end, lay.cell_text(c))


def test_html_to_text_is_the_builders_text():
    text, offsets, title = html_to_text(SRC)
    assert (text, offsets, title) == (L.text, L.offsets, L.title)
    assert "| Credits | 32 |" in text and "\n- DS 501 Statistical Learning\n" in text
    assert len(offsets) == len(text) + 1 and offsets[-1] == len(SRC)


def test_every_span_of_the_page_maps_into_the_file(spans):
    _, check_all = spans
    assert check_all(L, SRC) == 40  # 22 blocks, 12 cells, 3 keys and 3 values


def test_br_lines_pipe_runs_and_stat_cards_are_fields(spans):
    _, check_all = spans
    src = ("<p>Credits: 30<br>Tuition: $500 per credit<br/>GRE: Not required</p>"
           "<p>Format: Online | Start: August | Length: 20 months</p>"
           "<div class='stats'><div class='card'><div>36</div><div>Total Credits</div></div>"
           "<div class='card'><span>Tuition</span><p>$42,000</p></div><div><b>18</b> Months</div></div>"
           "<div><p>Our advisors answer within a day</p><p>Write to them any time.</p></div>")
    lay = layout_from_html(src)
    got = [(b.kind, b.role, b.key and lay.span(b.key), b.value and lay.span(b.value)) for b in lay.blocks]
    assert got == [
        (FIELD, None, "Credits", "30"), (FIELD, None, "Tuition", "$500 per credit"), (FIELD, None, "GRE", "Not required"),
        (FIELD, None, "Format", "Online"), (FIELD, None, "Start", "August"), (FIELD, None, "Length", "20 months"),
        (FIELD, "stat", "Total Credits", "36"),      # value first, in two elements of one card
        (FIELD, None, "Tuition", "$42,000"),         # label first
        (FIELD, "stat", "Months", "18"),             # one line "18 Months"
        (PARAGRAPH, None, None, None), (PARAGRAPH, None, None, None),  # two sentences are no card
    ]
    assert check_all(lay, src) == 11 + 9 * 2  # blocks, then a key and a value per field


def test_two_column_td_table_of_short_labels_has_a_key_column_by_shape():
    src = ("<table><tr><td>Tuition per credit</td><td>$725</td></tr><tr><td>Total tuition</td><td>$23,200</td>"
           "</tr></table>"
           "<table><tr><th>School</th><th>Tuition</th></tr><tr><td>Ashcombe College</td><td>$19,000</td></tr>"
           "<tr><td>Fernhill University</td><td>$23,200</td></tr></table>"
           "<table><tr><td>30</td><td>Credits</td></tr><tr><td>20</td><td>Months</td></tr></table>")
    labels, headed, numbers = [b for b in layout_from_html(src).blocks if b.kind == TABLE]
    assert labels.key_column and labels.header == 0
    assert not headed.key_column and headed.header == 1  # a header row of its own: a column table
    assert not numbers.key_column  # first cells that are numbers are not labels


def test_key_value_list_items_are_fields_at_the_items_depth():
    lay = layout_from_html("<ul><li>Admissions<ul><li><b>GRE:</b> not required</li><li>Minimum GPA 3.0</li></ul>"
                           "</li><li>Cost: $1,150 per credit</li></ul>")
    got = [(b.kind, b.level, lay.span(b), b.key and lay.span(b.key)) for b in lay.blocks]
    assert got == [(ITEM, 0, "Admissions", None), (FIELD, 1, "GRE: not required", "GRE"),
                   (ITEM, 1, "Minimum GPA 3.0", None), (FIELD, 0, "Cost: $1,150 per credit", "Cost")]


def test_label_and_value_elements_are_a_field_even_where_their_text_runs_together(spans):
    _, check_all = spans
    src = ("<div class='fact'><span class='label'>GRE</span><span class='value'>No</span></div>"
           "<p><strong>Tuition</strong> $42,000 per year</p>"
           "<ul><li><span>Format</span><span>100% Online</span></li><li><b>Fernhill University</b> $24,000</li></ul>"
           "<div><span><b>Credits</b><i>30</i></span></div>"
           "<p><a href='/l'>Lakeside</a> and <a href='/f'>Fernhill</a> share a library.</p>")
    lay = layout_from_html(src)
    assert "GRENo" in lay.text and "Credits30" in lay.text  # the document text is unchanged
    got = [(b.kind, b.level, b.key and lay.span(b.key), b.value and lay.span(b.value)) for b in lay.blocks]
    assert got == [
        (FIELD, 0, "GRE", "No"), (FIELD, 0, "Tuition", "$42,000 per year"),
        (FIELD, 0, "Format", "100% Online"),
        (ITEM, 0, None, None),   # a school and its price in a list is a ranked entry, not a field
        (FIELD, 0, "Credits", "30"), (PARAGRAPH, 0, None, None)]
    assert check_all(lay, src) == 6 + 4 * 2
