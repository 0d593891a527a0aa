"""Facts from the document model: layout -> scope -> values -> facts.

``read_layout(layout)`` walks the blocks once with their scopes (flows.extract.scope) and hands each
block to the reader for its kind: fields (``Key: value``, stat cards, vertical tables), tables (columns
typed from their cells), sentences (paragraphs, list items, headings), and program mentions (every
school a page presents as a program: ranked lists, school headings, table rows). Values are typed by
flows.extract.read.values (money with its unit, counts, GRE). Pure: Layout in, facts out.

A value is read only when its owner and meaning are clear: a sentence that names several schools, a
field under a heading that compares schools, an amount whose unit is per year or per term, a credit
count that belongs to a specialization -- all read nothing, and the line stays unclaimed for the
extraction report.
"""

from __future__ import annotations

from flows.extract.layout.runtogether import with_run_together_tables
from flows.extract.layout.model import FIELD, HEADING, ITEM, PARAGRAPH, TABLE, TITLE, Layout
from flows.extract.model import Fact
from flows.extract.read.courses import course_facts, course_lead_in, listed_course_facts
from flows.extract.read.fields import field_facts
from flows.extract.read.mentions import mention_facts
from flows.extract.read.sentences import sentence_facts
from flows.extract.read.tables import table_facts
from flows.extract.scope import Names, block_scopes


def read_layout(layout: Layout) -> list[Fact]:
    layout = with_run_together_tables(layout)
    names = Names(layout.text)
    scopes = block_scopes(layout, names)
    facts: list[Fact] = []
    lead_in = False      # the items after "... 15 credits drawn from:" are courses
    for i, b in enumerate(layout.blocks):
        sc = scopes[i]
        if b.kind == ITEM and lead_in:
            facts.extend(listed_course_facts(layout, b, sc))
        elif b.kind != ITEM:
            lead_in = b.kind in (PARAGRAPH, HEADING) and course_lead_in(layout, b)
        if b.kind == FIELD:
            facts.extend(field_facts(layout, b, sc))
        elif b.kind == TABLE:
            facts.extend(table_facts(layout, b, sc, names))
        elif b.kind in (PARAGRAPH, ITEM, HEADING, TITLE):
            facts.extend(sentence_facts(layout, b, sc, names))
        if b.kind in (PARAGRAPH, ITEM, HEADING, TABLE):
            facts.extend(course_facts(layout, b, sc))
    facts.extend(mention_facts(layout, scopes, names))
    return facts
