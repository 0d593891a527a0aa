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

from flows.extract.layout.model import FIELD, HEADING, ITEM, PARAGRAPH, TABLE, TITLE, Layout
from flows.extract.model import Fact
from flows.extract.read.careers import career_prose_facts
from flows.extract.read.courses import (course_credit_facts, course_facts, course_lead_in, listed_course_facts, one_reading,
                                        section_course_facts, without_course_credits)
from flows.extract.read.fields import field_facts, listed_facts
from flows.extract.read.mentions import formats_from_degrees, mention_facts
from flows.extract.read.sentences import column_header, ranked_row_facts, sentence_facts
from flows.extract.read.specializations import specialization_facts
from flows.extract.read.tables import table_facts
from flows.extract.scope import Names, block_scopes, page_scope


def read_layout(layout: Layout) -> list[Fact]:
    names = Names(layout.text)
    page = page_scope(layout, names)
    names = names.within_page(page)
    scopes = block_scopes(layout, names)
    facts: list[Fact] = []
    lead_in = False      # the items after "... 15 credits drawn from:" are courses
    rank_header = None   # "Rank School Locations Annual Tuition" over ranked rows: what their amounts are
    for i, b in enumerate(layout.blocks):
        sc = scopes[i]
        if b.kind != ITEM:
            nxt = layout.blocks[i + 1] if i + 1 < len(layout.blocks) else None
            rank_header = column_header(layout, b) if nxt is not None and nxt.kind == ITEM and nxt.ordinal else None
        if b.kind == ITEM and lead_in:
            facts.extend(listed_course_facts(layout, b, sc))
        elif b.kind != ITEM:
            lead_in = b.kind in (PARAGRAPH, HEADING) and course_lead_in(layout, b)
        if b.kind == FIELD:
            got = field_facts(layout, b, sc) + listed_facts(layout, b, sc)
            facts.extend(got)
            if not got and b.value is not None and len(layout.text[b.value.start:b.value.end].split()) >= 6:
                # "Only for some applicants: Lakeshore University requires GRE scores ...": a sentence after a
                # lead-in, not a card; read it as one
                facts.extend(sentence_facts(layout, b, sc, names))
        elif b.kind == TABLE:
            facts.extend(table_facts(layout, b, sc, names))
        elif b.kind == ITEM and b.ordinal and rank_header is not None:
            facts.extend(ranked_row_facts(layout, b, sc, rank_header))
        elif b.kind in (PARAGRAPH, ITEM, HEADING, TITLE):
            facts.extend(sentence_facts(layout, b, sc, names))
        if b.kind in (PARAGRAPH, ITEM, HEADING, TITLE, TABLE, FIELD):
            facts.extend(course_facts(layout, b, sc))
    facts.extend(career_prose_facts(layout))
    facts.extend(specialization_facts(layout, names, page))
    facts = one_reading(section_course_facts(layout, page), facts)
    credits = course_credit_facts(layout, facts)
    facts = without_course_credits(facts, credits) + credits
    facts.extend(mention_facts(layout, scopes, names))
    facts.extend(formats_from_degrees(facts))
    return _outermost(facts)



def _outermost(facts: list[Fact]) -> list[Fact]:
    """One statement per span: a value read inside a longer span that another reader read for the same
    program and attribute ("100% online" inside the field value "100% online, asynchronous lectures") is
    the same statement, and only the longer reading is kept."""
    by_key: dict[tuple, list[Fact]] = {}
    for f in facts:
        by_key.setdefault((f.entity_type, f.subject, f.attribute), []).append(f)
    drop = set()
    for group in by_key.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda f: (f.start, -f.end))
        reach, owner = -1, None
        for f in group:
            if owner is not None and f.end <= reach and (f.start, f.end) != (owner.start, owner.end):
                drop.add(id(f))
            elif f.end > reach:
                reach, owner = f.end, f
    return [f for f in facts if id(f) not in drop]
