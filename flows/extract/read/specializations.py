"""Specializations (concentrations, tracks) and the schools a page names as strong in them, read from the
document model.

Read only inside a section whose heading is about specializations ("Specializations in ...", "Available
Concentrations", "What Specializations Are Offered?"). Three shapes:

* a heading that is a specialization's name with paragraphs under it ("Ocean Robotics" + "Ocean robotics
  joins control ... Lakeside University's program is particularly strong ..."); in plain text such a
  heading sits beside the section's heading, not under it, so the section runs until a heading that is not
  a name;
* list items and fields: ``- Ocean Robotics: ...`` (a FIELD), ``- Ocean Robotics — ...`` and ``- Ocean
  Robotics (OR) joins ...`` (an ITEM opening with the name);
* on a school's own page, a run of bare items (``- Port Logistics``): the school's concentrations.

Each specialization yields a ``description`` fact and, per school its text names (flows.extract.scope's
names, not in a negated phrase), a ``university`` fact plus a program-side ``specialization`` fact whose
subject is the school as written. On a school's own page, a specialization whose text names no school is
the page's school's. A trailing abbreviation in parentheses is dropped from the name ("Ocean Robotics (OR)"
-> "Ocean Robotics"); the description keeps the text as written. Pure: Layout in, facts out.
"""

from __future__ import annotations

import re

from flows.extract.layout.model import FIELD, HEADING, ITEM, PARAGRAPH, TITLE, Block, Layout, Span
from flows.extract.model import Fact
from flows.extract.registry import Mention
from flows.extract.scope import Names, Scope, distinct
from flows.extract.text import has_sentence, is_question, is_title_case, split_label

EXTRACTOR = "layout_specialization"

_SECTION_RE = re.compile(
    r"\b(?:speciali[sz]ations|concentrations|tracks|focus\s+areas|areas\s+of\s+(?:focus|speciali[sz]ation|concentration)"
    r"|speciali[sz]ation\s+(?:areas|options|tracks|paths|pathways)|pathways|emphases|emphasis\s+areas)\b",
    re.I,
)
#: section headings that follow a specialization list and end it
_SECTION_WORDS_RE = re.compile(
    r"\b(?:programs?|degrees?|courses|classes|curricul(?:um|a)|faqs?|frequently|overview|introduction|summary"
    r"|conclusions?|bottom\s+line|takeaways?|prerequisites|requirements|admissions?|tuition|costs?|salary"
    r"|salaries|careers?|outlook|table\s+of\s+contents|related|resources|next\s+steps|tradeoffs?|vs\.?"
    r"|versus|guide|methodology|reviews?|testimonials?|options|rankings?|comparison|compare|electives)\b",
    re.I,
)
_ABBR_RE = re.compile(r"\s*\((?P<abbr>[A-Z][A-Za-z0-9&/.-]{0,9})\)\s*$")
#: "Ocean Robotics (OR) joins ..." -- a title-cased name then a verb in the present tense
_LEAD_NAME_RE = re.compile(
    r"^(?P<name>[A-Z][\w&/-]*(?:\s+(?:(?:and|&|of|for|in|the|with)\s+)?[A-Z][\w&/-]*){0,6}"
    r"(?:\s*\([A-Z][A-Za-z0-9&/. -]{0,12}\))?)\s+(?P<verb>[a-z][a-z-]*)\b"
)
_VERB_OK_RE = re.compile(r"^(?:is|are|has|covers|[a-z-]+(?:s|es))$")
_NEGATION_RE = re.compile(
    r"\b(?:no|not|never|lacks?|lacking|without|unlike|neither|nor|except|doesn['’]t|don['’]t|isn['’]t|"
    r"aren['’]t|hasn['’]t|cannot|can['’]t)\b",
    re.I,
)
#: "Specialization: Ocean Robotics", "Track 2 — Ocean Robotics", "Concentration in Ocean Robotics"
_PREFIX_RE = re.compile(
    r"^(?:(?:speciali[sz]ation|concentration|track|focus\s+area|pathway|option)\s*(?:\d{1,2}|[A-Z])?\s*(?::|[—–]|--?|\.)\s+"
    r"|(?:speciali[sz]ation|concentration|track)\s+in\s+)(?=[A-Z])",
    re.I,
)
_SPEC_WORD_RE = re.compile(r"\b(?:speciali[sz]\w*|concentrat\w*|track|focus\s+area)\b", re.I)
_COURSE_WORDS_RE = re.compile(r"\b(?:courses|classes|coursework|curricul(?:um|a))\b", re.I)


def _clean_name(name: str) -> str:
    return _ABBR_RE.sub("", _PREFIX_RE.sub("", name.strip())).strip()


class _Reader:
    def __init__(self, layout: Layout, names: Names, page: Scope | None) -> None:
        self.text, self.names, self.page = layout.text, names, page
        self.facts: list[Fact] = []
        self.seen: set[str] = set()

    def schools_in(self, a: int, b: int) -> list[Mention]:
        return self.names.within(a, b)

    def name_ok(self, a: int, b: int, name: str | None = None) -> bool:
        """A specialization's name: short, title-cased, no section word, no school in it."""
        n = (self.text[a:b] if name is None else name).strip()
        if not n or len(n) > 90 or len(n.split()) > 9 or n[-1] in ".:;,!?":
            return False
        if is_question(n) or not is_title_case(n, 0.75):
            return False
        if _SECTION_WORDS_RE.search(n) or _SECTION_RE.search(n):
            return False
        return not self.schools_in(a, b)

    def is_section(self, b: Block) -> bool:
        """A specializations heading; one that also speaks of courses/curriculum is a page title."""
        h = self.text[b.start:b.end]
        return bool(_SECTION_RE.search(h)) and not _COURSE_WORDS_RE.search(h) and not self.schools_in(b.start, b.end)

    def _negated(self, a: int, m: Mention, b: int) -> bool:
        """A negation within the mention's own clause (a few words either side, same sentence)."""
        left = re.split(r"[.;!?]\s|[,—–(]", self.text[max(a, m.start - 40):m.start])[-1]
        right = re.split(r"[.;!?](?:\s|$)|[,—–)]", self.text[m.end:min(b, m.end + 80)])[0]
        return bool(_NEGATION_RE.search(left) or _NEGATION_RE.search(right))

    def schools(self, body: list[Span]) -> list[Mention]:
        """Schools named in the specialization's text, one per school (its first mention), not negated."""
        out = [m for sp in body for m in self.schools_in(sp.start, sp.end) if not self._negated(sp.start, m, sp.end)]
        return distinct(out)

    def emit(self, name: str, desc: Span | None, body: list[Span]) -> None:
        """Description + schools named in the body; on a school's own page, a specialization whose text names
        no school is the page school's (the university fact then quotes the page's mention of it)."""
        text = self.text
        if desc is not None:
            self.facts.append(Fact("specialization", name, "description", text[desc.start:desc.end], desc.start,
                                   desc.end, EXTRACTOR))
        page = self.page
        schools = []
        for m in self.schools(body):
            if m.known or m.text == m.canonical:
                schools.append((m.start, m.end, m.text))
            elif page is not None and m.canonical == page.canonical:
                # the page's own school by a short form ("taught with the Brookmere School of Medicine"): the
                # page's mention of it, in full
                schools.append((page.start, page.end, text[page.start:page.end]))
            else:   # a short form of a school the page spells out elsewhere is that school, by its full name
                schools.append((m.start, m.end, m.canonical))
        if page is not None and not schools:
            schools = [(page.start, page.end, text[page.start:page.end])]
        for s, e, written in schools:
            self.facts.append(Fact("specialization", name, "university", written, s, e, EXTRACTOR))
            self.facts.append(Fact("program", written, "specialization", name, s, e, EXTRACTOR))

    def item_name(self, b: Block) -> tuple[str, Span] | None:
        """(name, description span) of a list item or field that names a specialization."""
        text = self.text
        if b.kind == FIELD and b.key is not None and b.value is not None:
            if b.value.end > b.value.start and self.name_ok(b.key.start, b.key.end):
                return _clean_name(text[b.key.start:b.key.end]), Span(b.value.start, b.value.end)
            return None
        body = text[b.start:b.end]
        lab = split_label(b.start, body, max_words=9)
        if lab is not None and lab.rest and self.name_ok(lab.label_start, lab.label_end, lab.label):
            return _clean_name(lab.label), Span(lab.rest_start, lab.rest_end)
        m = _LEAD_NAME_RE.match(body)
        if m and _VERB_OK_RE.match(m.group("verb")) and self.name_ok(b.start, b.start + m.end("name")) \
                and has_sentence(body):
            return _clean_name(m.group("name")), Span(b.start, b.end)
        return None

    def flush_bare(self, items: list[Block]) -> None:
        """Bare title-cased list items of a specializations section ("- Ocean Robotics"): on a school's own
        page a run of two or more is the school's list of concentrations; elsewhere they carry no fact."""
        if self.page is None or len(items) < 2:
            return
        names = [_clean_name(self.text[it.start:it.end]) for it in items]
        if not all(self.name_ok(it.start, it.end, nm) and len(nm.split()) <= 6 for it, nm in zip(items, names)):
            return
        for nm in names:
            if nm.lower() not in self.seen:
                self.seen.add(nm.lower())
                self.emit(nm, None, [])

    def flush(self, pending: list[tuple[str, list[Span]]]) -> None:
        """Heading entries of one section: a run of two or more is a list of specializations; a lone one must
        name a school or speak of a specialization/concentration/track."""
        for name, body in pending:
            if len(pending) < 2 and not (any(self.schools_in(s.start, s.end) for s in body)
                                         or any(_SPEC_WORD_RE.search(self.text[s.start:s.end]) for s in body)):
                continue
            self.emit(name, body[0], body)


def specialization_facts(layout: Layout, names: Names, page: Scope | None) -> list[Fact]:
    """Specializations named in the specializations sections of ``layout``; see the module docstring.
    ``names``: the document's school mentions; ``page``: the page's own school (scope.page_scope)."""
    r = _Reader(layout, names, page)
    text, blocks = layout.text, layout.blocks
    section: Block | None = None            # the open specializations heading
    pending: list[tuple[str, list[Span]]] = []
    bare: list[Block] = []
    i, n = 0, len(blocks)
    while i < n:
        b = blocks[i]
        if b.kind in (ITEM, FIELD) and b.role is None:
            if section is not None:
                got = r.item_name(b)
                if got and got[0].lower() not in r.seen:
                    r.seen.add(got[0].lower())
                    r.emit(got[0], got[1], [got[1]])
                elif got is None and b.kind == ITEM and split_label(b.start, text[b.start:b.end]) is None:
                    bare.append(b)
            i += 1
            continue
        r.flush_bare(bare)
        bare = []
        if b.kind in (HEADING, TITLE):
            if r.is_section(b):
                r.flush(pending)
                pending, section = [], b
                i += 1
                continue
            nxt = blocks[i + 1] if i + 1 < n else None
            if section is not None and b.kind == HEADING and b.level >= section.level and nxt is not None \
                    and nxt.kind == PARAGRAPH and has_sentence(text[nxt.start:nxt.end]) \
                    and r.name_ok(b.start, b.end) and r.name_ok(b.start, b.end, _clean_name(text[b.start:b.end])):
                # a specialization's heading: its text runs to the next heading or list item
                j, body = i + 1, []
                while j < n and blocks[j].kind not in (HEADING, TITLE, ITEM):
                    if blocks[j].kind in (PARAGRAPH, FIELD):
                        body.append(Span(blocks[j].start, blocks[j].end))
                    j += 1
                name = _clean_name(text[b.start:b.end])
                if name.lower() not in r.seen:
                    r.seen.add(name.lower())
                    pending.append((name, body))
                i = j
                continue
            r.flush(pending)
            pending, section = [], None
        i += 1
    r.flush(pending)
    r.flush_bare(bare)
    return r.facts
