"""Tables whose cells ran together when a page became text are one mechanism of the document model:
flows.extract.layout.runtogether finds the lines (whatever builder made the rest of the page) and splits
them into cells, once; flows.extract.read.tables reads the TABLE block it makes, once. A plain-text page and
the same table in a Markdown file give the same cells and the same facts, each fact once."""

from collections import Counter

from flows.extract.layout.plaintext import layout_from_text
from flows.extract.layout.model import TABLE
from flows.extract.layout.runtogether import ROLE
from flows.extract.nodes import document_layout, extract_text
from flows.ingest.markdown_text import markdown_to_text

TABLE_LINES = (
    "UniversityDegree TitleCreditsTuitionGRE Required\n"
    "Lakeside UniversityM.S. in Data Science36~$18,500No\n"
    "Ridgeview CollegeM.S. in Artificial Intelligence30$24,000Yes\n"
)
TXT = "Compare Online Data Degrees\n\nTwo programs side by side, as their schools list them.\n\n" + TABLE_LINES + \
    "\nFigures are from each school's site.\n"
MD = "# Compare Online Data Degrees\n\nTwo programs side by side, as their schools list them.\n\n" + TABLE_LINES + \
    "\nFigures are from each school's site.\n"
CELLS = [["University", "Degree Title", "Credits", "Tuition", "GRE Required"],
         ["Lakeside University", "M.S. in Data Science", "36", "~$18,500", "No"],
         ["Ridgeview College", "M.S. in Artificial Intelligence", "30", "$24,000", "Yes"]]


def _variants():
    md_text, _ = markdown_to_text(MD)
    return {"txt": (TXT, "text/plain", None), "md": (md_text, "text/markdown", MD)}


def _run_together(layout):
    return [b for b in layout.blocks if b.kind == TABLE and b.role == ROLE]


def test_plain_and_markdown_give_the_same_cells(spans):
    _, check_all = spans
    for name, (text, media, file_text) in _variants().items():
        layout = document_layout(text, media, file_text)
        [t] = _run_together(layout)            # one table, not a builder's table and a split one
        assert [[layout.cell_text(c) for c in r] for r in t.rows] == CELLS, name
        assert [c.header for c in t.rows[0]] == [True] * 5 and t.header == 1
        assert not any(b.kind == TABLE and b is not t and b.start < t.end and t.start < b.end for b in layout.blocks)
        check_all(layout, file_text or text)


def test_the_builder_leaves_run_together_lines_to_the_one_mechanism():
    # the plain-text builder makes no run-together table of its own; the layout stage (build) does
    assert not _run_together(layout_from_text(TXT))
    assert len(_run_together(document_layout(TXT))) == 1


def test_facts_come_out_once_and_the_same_for_both_variants():
    got = {}
    for name, (text, media, file_text) in _variants().items():
        facts = [f for f in extract_text(text, media, file_text).facts if f.entity_type == "program"]
        keyed = [(f.subject, f.attribute, f.value) for f in facts if f.attribute != "mention"]
        assert all(n == 1 for n in Counter(keyed).values()), (name, Counter(keyed))
        values = {(s, a, v) for s, a, v in keyed}
        assert {("Lakeside University", "credits", "36"), ("Lakeside University", "tuition", "18500"),
                ("Lakeside University", "gre_policy", "not_required"),
                ("Ridgeview College", "credits", "30"), ("Ridgeview College", "tuition", "24000"),
                ("Ridgeview College", "gre_policy", "required")} <= values, name
        # every value of the table comes from the one reader of run-together tables
        assert {f.extractor for f in facts if f.attribute in ("credits", "tuition", "gre_policy")} == \
            {"flattened_table"}, name
        got[name] = sorted(keyed)
    assert got["txt"] == got["md"]


def test_rows_under_a_header_no_vocabulary_splits_are_one_table_of_one_cell_rows():
    text = ("Course Catalog\n\nSome words about the catalog follow here.\n\n"
            "AI 5100Foundations of Intelligent Systems4\nAI 5200Probabilistic Reasoning4\n"
            "AI 5300Machine Learning Theory4\n")
    layout = document_layout(text)
    [t] = _run_together(layout)
    assert [[layout.cell_text(c) for c in r] for r in t.rows] == [
        ["AI 5100Foundations of Intelligent Systems4"], ["AI 5200Probabilistic Reasoning4"],
        ["AI 5300Machine Learning Theory4"]]
