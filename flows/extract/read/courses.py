"""Courses, read from the document model (flows.extract.layout) with the school from flows.extract.scope.

Shapes:

* course sections: inside a section whose heading is about courses ("courses", "classes", "curriculum",
  "coursework" ...), a heading followed by a paragraph (the title and its description), a list item labelled
  with a title ("Deep Nets for Tides: offered by ..."), numbered items over a paragraph, and bare list items
  with a course code, or a run of three or more bare titles; under a heading about core / required courses or
  a curriculum a labelled item with no code or provider is a core topic. "Honorable Mentions" continues a list.
* catalog lines whose code, title and credits ran together ("AI 5100Foundations of Intelligent Systems4"),
  "CODE Title (3 credits)" lines, list items and table cells, and codes inside sentences ("such as DS 6120
  Applied Machine Learning");
* list items under a lead-in that speaks of courses ("Core courses:");
* "core courses include a, b, and c" sentences, as core topics.

Titles: a trailing credit count is dropped; a leading course code is KEPT in the title and joined to the name
by one space ("QX 510: Tide Models" -> "QX 510 Tide Models"), because the courses table has no code column.
On a school's own page (the scope module's page scope) a course with no other provider is the page school's.
A heading that is a question, names a school, or reads as a section heading is never a course. The provider is
read from the description: "Mara Quill's flagship course", "taught by ...", "offered by ...", "on <platform>".
Pure: Layout in, facts out.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from flows.extract.layout.model import FIELD, HEADING, ITEM, PARAGRAPH, TABLE, Block, Layout
from flows.extract.model import Fact
from flows.extract.registry import load_registry
from flows.extract.scope import Scope
from flows.extract.text import (
    Item,
    Line,
    bullet,
    has_sentence,
    is_heading,
    is_question,
    is_title_case,
    split_label,
)

SECTION_EXTRACTOR = "course_section"
TOPIC_EXTRACTOR = "core_topic_sentence"

# -- section vocabulary (format words) -------------------------------------------------------
_COURSE_SECTION_RE = re.compile(
    r"\b(?:courses|classes|coursework|curricul(?:um|a)|moocs|modules|syllabus"
    r"|electives?|(?:plan|program|programme)\s+of\s+study"
    r"|course\s+(?:list|catalog(?:ue)?|descriptions?|offerings|sequence|requirements|overview|map))\b",
    re.I,
)
#: a lead-in saying that the list after it is the parts of one course ("The course is organized into four units",
#: "This class has six modules"), on a review or syllabus page under a "Curriculum" heading
_PARTS_OF_ONE_COURSE_RE = re.compile(
    r"\b(?:the|this|each)\s+(?:course|class)\s+(?:is\s+)?(?:organi[sz]ed|divided|split|structured|broken(?:\s+down)?|"
    r"arranged)\s+(?:into|in)\b"
    r"|\b(?:the|this)\s+(?:course|class)\s+(?:has|consists\s+of|is\s+made\s+up\s+of|runs\s+over)\s+(?:\w+\s+){0,2}?"
    r"(?:units|modules|weeks|parts|lessons|lectures)\b", re.I)
#: headings that continue the course list before them ("Honorable Mentions", "Runners-Up")
_CONTINUE_RE = re.compile(
    r"^(?:honou?rable\s+mentions?|runners?[- ]ups?|also\s+(?:worth\s+)?(?:consider(?:ing)?|recommended)"
    r"|bonus(?:\s+picks?)?|more\s+(?:good\s+)?(?:picks|options)|other\s+(?:good|notable|strong)\s+(?:picks|options))$",
    re.I,
)
#: a trailing credit count after a title: "(3 credits)", "(3 cr.)", "- 4 units", ", 3 credit hours"
_CREDITS_TAIL_RE = re.compile(
    r"\s*(?:\(\s*\d+(?:\.\d+)?(?:\s*[-–]\s*\d+)?\s*(?:credits?|cr\.?|units?|credit\s+hours?|hours?|ects|cu)\s*\)"
    r"|(?:[,—–-]|--)\s*\d+(?:\.\d+)?\s*(?:credits?|cr\.?|units?|credit\s+hours?|ects))\s*$",
    re.I,
)
_CORE_RE = re.compile(r"\b(?:core|required|foundational|fundamentals?|foundation|mandatory|compulsory)\b", re.I)
_CURRICULUM_RE = re.compile(r"\bcurricul(?:um|a)\b", re.I)
#: words that make a heading a section heading rather than one course's title
_SECTION_WORDS_RE = re.compile(
    r"\b(?:programs|degrees|specializations|specialisations|concentrations|tracks|faqs?"
    r"|frequently|overview|introduction(?!\s+to\b)|summary|conclusions?|bottom\s+line|takeaways?|prerequisites"
    r"|requirements|admissions?|tuition|costs?|salary|salaries|careers?|outlook|table\s+of\s+contents"
    r"|related|resources|next\s+steps|tradeoffs?|trade-offs?|vs\.?|versus|guide|methodology|about\s+us"
    r"|reviews?|testimonials?|options|rankings?|comparison|compare|contact|apply|share|menu)\b",
    re.I,
)
#: headings about people's words, not courses ("What Graduates Say About the Curriculum")
_NOT_COURSES_RE = re.compile(
    r"\b(?:says?|said|reviews?|testimonials?|stories|experiences?|graduates|alumni|students\s+say)\b", re.I
)
_SPEC_HEADING_RE = re.compile(r"\b(?:speciali[sz]ations|concentrations)\b", re.I)
#: a quotation opens a testimonial, never a course description
_QUOTE_START_RE = re.compile(r"^[\"“”'‘«]")
#: advice starts with an instruction ("Analyze how deep the foundational courses such as ... go"): neither a
#: course description nor a statement of a curriculum
_ADVICE_RE = re.compile(
    r"^(?:analy[sz]e|evaluate|consider|review|assess|compare|check|look|ask|verify|make|choose|pick|"
    r"decide|avoid|plan|find|use|start|ensure|prioriti[sz]e|focus|seek|confirm)\b",
    re.I,
)
#: a description that speaks of one course ("This course covers", "the class", "a module")
_ONE_COURSE_RE = re.compile(
    r"\b(?:this|the|a|an|each|that)\s+(?:[\w-]+\s+){0,2}(?:course|class|module|MOOC)\b(?!s)", re.I
)

# -- provider phrases --------------------------------------------------------------------------
_TOKEN = r"(?:[A-Z][\w&-]*(?:\.[A-Za-z][\w-]*)*)"
_NAME = rf"{_TOKEN}(?:\s+(?:(?:of|at|and|&|for|the|de|del)\s+)?{_TOKEN}){{0,6}}"
_HONORIFIC = r"(?:(?:Professor|Prof\.|Dr\.|Instructor|Lecturer)\s+)?"
_BY_RE = re.compile(
    r"\b(?:taught|offered|created|developed|designed|led|delivered|produced|presented|authored|"
    r"run|hosted|instructed|provided|published|built|made)\s+(?:jointly\s+)?by\s+(?:the\s+)?"
    + _HONORIFIC + rf"(?P<name>{_NAME})"
)
_POSSESSIVE_RE = re.compile(rf"^(?:The\s+)?(?P<name>{_NAME})['’]s\s+(?P<after>(?:[\w-]+\s+){{0,4}}[\w-]+)")
_COURSE_NOUN_RE = re.compile(
    r"\b(?:course|class|deep\s+dive|introduction|intro|series|specialization|sequence|lectures?|"
    r"tutorial|treatment|survey|classic|flagship|mooc|bootcamp|offering|take|module)\b",
    re.I,
)
_VIA_RE = re.compile(rf"\b(?:on|via|through|from|at)\s+(?:the\s+)?(?P<name>{_NAME})")
_TITLE_PAREN_RE = re.compile(r"^(?P<title>.+?)\s*\((?P<name>[^()]{2,60})\)\s*$")
_TITLE_DASH_RE = re.compile(r"^(?P<title>.+?)\s+(?:[—–|]|--?|by)\s+(?P<name>[^—–|]{2,60})$")
_META_PAIR_RE = re.compile(r"(?:^|\|)\s*(?P<key>[A-Z][A-Za-z ]{1,24}?)\s*:\s*(?P<value>[^|]+)")
_PROVIDER_KEY_RE = re.compile(
    r"(?:provider|offered\s+by|platform|institution|university|school|instructors?|taught\s+by|created\s+by|partner)",
    re.I,
)
_COURSE_CODE_RE = re.compile(r"\b[A-Z]{2,5}[ -]?\d{3,4}[A-Z]?\b")


_CODE_SEP_RE = re.compile(r"^(?P<code>[A-Z]{2,5}[ -]?\d{3,4}[A-Z]?)\s*(?::|\||[—–]|--?|\.)\s+(?=\S)")


def course_title(quote: str) -> str:
    """The course title from its quote: a leading course code is kept and joined to the name by one
    space whatever separated them ("QX 510: Tidal Data" / "QX 510 | Tidal Data" -> "QX 510 Tidal Data"),
    so one course reads the same in a list, a table and a heading."""
    q = " ".join(quote.split())
    m = _CODE_SEP_RE.match(q)
    return f"{m.group('code')} {q[m.end():]}" if m else q


def _is_course_section(heading: str) -> bool:
    return bool(_COURSE_SECTION_RE.search(heading))


def _section_kind(heading: str) -> str:
    return "core" if (_CORE_RE.search(heading) or _CURRICULUM_RE.search(heading)) else "course"


def _title_ok(title: str, reg) -> bool:
    """A course title: short, title-cased, no final period, no school, no section words."""
    t = title.strip()
    if not t or len(t) > 110 or len(t.split()) > 12 or t[-1] in ".:;,!?":
        return False
    if is_question(t) or not is_title_case(t, 0.75):
        return False
    unhyphenated = re.sub(r"\w+-\w+", "x", t)
    if _SECTION_WORDS_RE.search(unhyphenated) or _COURSE_SECTION_RE.search(unhyphenated):
        return False
    if reg.find_all(t):
        return False
    return True


def _provider(start: int, desc: str, reg) -> tuple[int, int, str] | None:
    """The course's author or platform named in its description, as (start, end, name)."""
    m = _POSSESSIVE_RE.match(desc)
    if m and _COURSE_NOUN_RE.search(m.group("after")):
        return start + m.start("name"), start + m.end("name"), m.group("name")
    m = _BY_RE.search(desc)
    if m:
        return start + m.start("name"), start + m.end("name"), m.group("name")
    for m in _VIA_RE.finditer(desc):
        name = m.group("name")
        if reg.is_provider(name) or reg.looks_like_institution(name):
            return start + m.start("name"), start + m.end("name"), name
        # platform followed by more words ("on Quaylearn and ...") -> try its first token
        first = name.split()[0]
        if reg.is_provider(first):
            return start + m.start("name"), start + m.start("name") + len(first), first
    return None


_ON_PLATFORM_RE = re.compile(rf"^(?P<creator>{_NAME})\s+(?:on|via|through)\s+(?P<platform>{_NAME})$")


def _clean_title(title: Line) -> Line:
    """The title without a trailing credit count ("QX 510 Tidal Data (3 credits)" -> "QX 510 Tidal Data") or
    abbreviation ("Human Computer Interaction (HCI)")."""
    m = _CREDITS_TAIL_RE.search(title.text) or _ABBREV_TAIL_RE.search(title.text)
    if m and m.start() > 0:
        t = title.text[: m.start()].rstrip()
        return Line(title.start, title.start + len(t), t)
    return title


def _split_title(title: Line, reg) -> tuple[Line, tuple[int, int, str] | None]:
    """A title that carries its provider: "Title (Quaylearn)", "Title — Lakeside University",
    "Title (Mara Labs on Coursera)" (the creator is the provider), "Kaggle Tide Lessons" (a known
    platform opening the title)."""
    title = _clean_title(title)
    m = _TITLE_PAREN_RE.match(title.text) or _TITLE_DASH_RE.match(title.text)
    if m:
        name = m.group("name").strip()
        t = m.group("title").strip()
        ps = title.start + m.start("name")
        head = Line(title.start, title.start + len(t), t)
        if reg.is_provider(name) or reg.looks_like_institution(name):
            return head, (ps, ps + len(name), name)
        on = _ON_PLATFORM_RE.match(name)
        if on and (reg.is_provider(on.group("platform")) or reg.looks_like_institution(on.group("platform"))):
            c = on.group("creator")
            return head, (ps, ps + len(c), c)
    first = title.text.split()[0] if title.text.split() else ""
    if len(title.text.split()) > 1 and reg.is_provider(first):
        return title, (title.start, title.start + len(first), first)
    return title, None


def _emit_course(
    facts: list[Fact], title: Line, kind: str, desc: Line | None, reg,
    provider: tuple[int, int, str] | None = None, page_school: tuple[int, int, str] | None = None,
) -> None:
    title, from_title = _split_title(title, reg)
    title = Line(title.start, title.end, course_title(title.text))
    facts.append(Fact("course", title.text, "kind", kind, title.start, title.end, SECTION_EXTRACTOR))
    prov = provider or from_title
    if desc is not None:
        facts.append(Fact("course", title.text, "description", desc.text, desc.start, desc.end, SECTION_EXTRACTOR))
        if prov is None:
            prov = _provider(desc.start, desc.text, reg)
    if prov is None and kind == "course":
        prov = page_school  # a school's own program page lists its own courses
    if prov is not None:
        facts.append(Fact("course", title.text, "provider", prov[2], prov[0], prov[1], SECTION_EXTRACTOR))


def _meta_provider(line: Line, reg) -> tuple[int, int, str] | None:
    """The provider in a "Provider: X | Level: Y" line under a course title."""
    for m in _META_PAIR_RE.finditer(line.text):
        if _PROVIDER_KEY_RE.fullmatch(m.group("key").strip()):
            v = m.group("value").strip().rstrip(".;,")
            if v:
                vs = line.start + m.start("value") + (len(m.group("value")) - len(m.group("value").lstrip()))
                return vs, vs + len(v), v
    return None


def _is_meta(line: Line) -> bool:
    pairs = list(_META_PAIR_RE.finditer(line.text))
    return bool(pairs) and ("|" in line.text or len(pairs) >= 2 or not has_sentence(line.text))


School = "tuple[int, int, str] | None"


def _item(facts: list[Fact], item: Item, kind: str, reg, seen: set[str], page_school=None) -> bool:
    """A list item in a course section; True when it yielded a course or topic."""
    lab = split_label(item.start, item.text)
    if lab is None:
        return False
    if not _title_ok(_clean_title(Line(lab.label_start, lab.label_end, lab.label)).text, reg):
        return False
    if lab.label.lower() in seen:
        return False
    desc = lab.rest
    if not desc or _ADVICE_RE.match(desc) or _QUOTE_START_RE.match(desc):
        return False
    label = Line(lab.label_start, lab.label_end, lab.label)
    has_provider = _provider(lab.rest_start, desc, reg) is not None or _split_title(label, reg)[1] is not None
    coded = bool(_COURSE_CODE_RE.search(lab.label))
    if kind == "core":
        this_kind = "course" if (has_provider or coded) else "core_topic"
    else:
        # outside a core/curriculum section a labelled item must speak of one course, carry a course
        # code or name its provider
        if not (has_provider or coded or item.numbered or _ONE_COURSE_RE.search(desc)):
            return False
        this_kind = "course"
    seen.add(lab.label.lower())
    _emit_course(facts, label, this_kind, Line(lab.rest_start, lab.rest_end, lab.rest), reg,
                 page_school=page_school)
    return True


Entry = tuple[Line, "Line | None", "tuple[int, int, str] | None"]


def _flush(facts: list[Fact], pending: list[Entry], reg, page_school=None) -> None:
    """Emit the title + paragraph entries of one course section. A run of two or more is a course
    list; a lone entry must speak of one course or name its provider."""
    for title, para, prov in pending:
        if len(pending) < 2 and prov is None and _split_title(title, reg)[1] is None and not (
            para is not None and (_ONE_COURSE_RE.search(para.text) or _provider(para.start, para.text, reg))
        ):
            continue
        _emit_course(facts, title, "course", para, reg, prov, page_school)


def _is_para(u: "Unit | None") -> bool:
    return (
        u is not None
        and u.kind == "text"
        and not is_heading(u.line.text)
        and has_sentence(u.line.text)
        and not _QUOTE_START_RE.match(u.line.text)
    )


def _take_entry(units, i, ln, reg, seen: set[str], pending: list) -> int | None:
    """The course entry at ``units[i]`` (a title line, the description below it), added to ``pending``: the index
    after it, or None when the line starts no entry."""
    got = _entry(units, i, ln, reg, seen)
    if not got:
        return None
    seen.add(got[0][0].text.lower())
    pending.append(got[0])
    return got[1]


def _entry(units: list["Unit"], i: int, title: Line, reg, seen: set[str]) -> tuple[Entry, int] | None:
    """``title`` at ``units[i]`` followed by optional "Key: value" lines and a paragraph.

    A title line may carry short facts after a dash ("3. Tide Models (Quaylearn) — 4 courses, ~2 months");
    the title is then the part before the dash and the paragraph below is the description."""
    if not _title_ok(_split_title(title, reg)[0].text, reg):
        lab = split_label(title.start, title.text)
        if lab is None or not lab.rest or has_sentence(lab.rest, 4) or ":" in title.text[:lab.label_end - title.start]:
            return None
        title = Line(lab.label_start, lab.label_end, lab.label)
        if not _title_ok(_split_title(title, reg)[0].text, reg) or not _is_para(units[i + 1] if i + 1 < len(units) else None):
            return None
    if title.text.lower() in seen:
        return None
    j = i + 1
    prov = None
    while j < len(units) and units[j].kind == "text" and _is_meta(units[j].line):
        prov = prov or _meta_provider(units[j].line, reg)
        j += 1
        if j - i > 4:
            break
    if j < len(units) and units[j].kind == "text" and _ALONE_RE.match(units[j].line.text):
        j += 1   # "3 Credits" under the title: read by course_credit_facts
    para = units[j] if j < len(units) else None
    if _is_para(para):
        return (title, para.line, prov), j + 1
    if prov is not None:
        return (title, None, prov), j
    return None


def _flush_bare(facts: list[Fact], items: list[Item], reg, seen: set[str],
                page_school: tuple[int, int, str] | None) -> None:
    """Bare list items of a course section: each one with a course code ("CS 6601 Intro to Planning")
    is a course; title-cased items without codes only as a run of three or more, all titles."""
    def title_of(it: Item) -> str:
        return _clean_title(Line(it.start, it.end, it.text)).text

    ok = [it for it in items if _title_ok(_COURSE_CODE_RE.sub("", title_of(it)).strip() or it.text, reg)
          and title_of(it).lower() not in seen]
    coded = [it for it in ok if _COURSE_CODE_RE.match(it.text)]
    chosen = coded if coded else (ok if len(ok) >= 3 and len(ok) == len(items) else [])
    for it in chosen:
        seen.add(title_of(it).lower())
        _emit_course(facts, Line(it.start, it.end, it.text), "course", None, reg, None, page_school)




class Unit(NamedTuple):
    """One line of the page as the document model gives it: a list item, a table row, or text (a heading,
    a field, a paragraph line: whether text is a title is read from its words, as the builders differ in
    what they call a heading)."""
    kind: str            # item | row | text
    line: Line
    numbered: bool = False


#: the list marker the document text keeps before an item that the builders made a field ("- Title: ...")
_MARKER_RE = re.compile(r"(?:^|\n)[ \t]*(?P<m>[-*•+]|\d{1,2}[.)])[ \t]*$")


def _units(layout: Layout) -> list[Unit]:
    text = layout.text
    out: list[Unit] = []
    for b in layout.blocks:
        if b.kind == FIELD and "\n" not in text[b.start:b.end]:
            m = _MARKER_RE.search(text, max(0, b.start - 8), b.start)
            if m:   # a list item the builders read as a field: still an item of the list
                out.append(Unit("item", Line(b.start, b.end, text[b.start:b.end].strip()), m.group("m")[0].isdigit()))
                continue
        if b.kind == TABLE:
            out.append(Unit("row", Line(b.start, b.end, text[b.start:b.end])))
            continue
        pos = b.start
        for raw in text[b.start:b.end].split("\n"):
            s = pos + (len(raw) - len(raw.lstrip()))
            pos += len(raw) + 1
            body = raw.strip()
            if not body:
                continue
            line = Line(s, s + len(body), body)
            if b.kind == ITEM and s == b.start + (len(text[b.start:b.end]) - len(text[b.start:b.end].lstrip())):
                out.append(Unit("item", line, b.ordinal is not None))
            elif (it := bullet(line)) is not None:   # "### 1. Tide Models (Quaylearn)": a numbered entry
                out.append(Unit("item", Line(it.start, it.end, it.text), it.numbered))
            else:
                out.append(Unit("text", line))
    return out


def section_course_facts(layout: Layout, page: Scope | None) -> list[Fact]:
    """Courses and core topics of the page's course sections (see the module docstring)."""
    text = layout.text
    if not text.strip():
        return []
    reg = load_registry()
    units = _units(layout)
    page_school = (page.start, page.end, text[page.start:page.end]) if page is not None and page.how == "page" else None
    facts: list[Fact] = []
    section: str | None = None  # None | "course" | "core"
    last_section: str | None = None  # the kind of the last course section (for "Honorable Mentions")
    pending: list[Entry] = []
    bare: list[Item] = []  # bare list items in a course section ("- CS 6601 Intro to Planning")
    seen: set[str] = set()
    i, n = 0, len(units)
    while i < n:
        u = units[i]
        ln = u.line
        nxt = units[i + 1].line if i + 1 < n else None
        if u.kind == "row":
            i += 1
            continue
        if u.kind == "item":
            item = Item(ln.start, ln.end, ln.text, u.numbered)
            if section is not None:
                if item.numbered:
                    # "3. Course Title" on its own line, the description below it
                    after = _take_entry(units, i, ln, reg, seen, pending)
                    if after is not None:
                        i = after
                        continue
                if not _item(facts, item, section, reg, seen, page_school) and split_label(item.start, item.text) is None:
                    bare.append(item)
            i += 1
            continue
        _flush_bare(facts, bare, reg, seen, page_school)
        bare = []
        if section is not None and _PARTS_OF_ONE_COURSE_RE.search(ln.text):
            # "The course is organized into four units:": what follows are one course's parts, not courses
            _flush(facts, pending, reg, page_school)
            pending = []
            section = None
            i += 1
            continue
        if is_heading(ln.text, nxt.text if nxt else None):
            if _is_course_section(ln.text) and not _NOT_COURSES_RE.search(ln.text) and not reg.find_all(ln.text):
                _flush(facts, pending, reg, page_school)
                pending = []
                # "Courses & Specializations" is a page title, not a course section
                section = None if _SPEC_HEADING_RE.search(ln.text) else _section_kind(ln.text)
                last_section = section or last_section
                i += 1
                continue
            if last_section is not None and _CONTINUE_RE.match(ln.text):
                _flush(facts, pending, reg, page_school)
                pending = []
                section = "course"
                i += 1
                continue
            if section is not None:
                after = _take_entry(units, i, ln, reg, seen, pending)
                if after is not None:
                    i = after
                    continue
            _flush(facts, pending, reg, page_school)
            pending = []
            section = None
        i += 1
    _flush(facts, pending, reg, page_school)
    _flush_bare(facts, bare, reg, seen, page_school)
    topics = {f.subject.lower() for f in facts if f.attribute == "kind"}
    for b in layout.blocks:
        if b.kind in (PARAGRAPH, ITEM, FIELD, HEADING):
            for f in core_topic_sentences(text[b.start:b.end]):
                if f.subject.lower() not in topics:
                    topics.add(f.subject.lower())
                    facts.append(_shift(f, b.start))
    # page order: each course's facts at the place of its title
    first: dict[str, int] = {}
    for f in facts:
        if f.attribute == "kind":
            first.setdefault(f.subject, f.start)
    return sorted(facts, key=lambda f: first.get(f.subject, f.start))


def _shift(f: Fact, by: int) -> Fact:
    return replace(f, start=f.start + by, end=f.end + by)


def one_reading(sections: list[Fact], others: list[Fact]) -> list[Fact]:
    """The course sections' facts, then the other readers' facts; a course another reader titled at words a
    course section already read as a title is the same course read twice, and all its facts from the other
    reader are dropped (one reading per shape)."""
    from flows.extract.text import Spans

    titles = Spans([(f.start, f.end) for f in sections if f.attribute == "kind"])
    twice = {(f.extractor, f.subject) for f in others
             if f.entity_type == "course" and f.attribute == "kind" and titles.overlaps(f.start, f.end)}
    return sections + [f for f in others if not (f.entity_type == "course" and (f.extractor, f.subject) in twice)]


# -- a course's credits ------------------------------------------------------------------------------

CREDITS_EXTRACTOR = "course_credits"
# Hand-written rather than values.find_credits: that reader finds a program's counts and deliberately refuses a
# course's weight ("3-credit courses", a bare "4 cr" at the end of a line); here only the weight written right at
# a course title (or in its list's lead-in) is read, so nothing here can become a program's count.
_WEIGHT = r"(?P<n>\d{1,2}(?:\.\d)?)(?:[ \t]*[-–][ \t]*(?P<n2>\d{1,2}))?"
_UNIT = r"(?:credits?|credit[ \t]hours?|cr\.?|units?|ch|s\.h\.|SH|semester[ \t]hours?|hours?|ECTS)"
#: after the title on its line: "(3 credits)", " - 4 units", "Systems4" (run together), " | 3 |" (a table row)
_AFTER_RE = re.compile(rf"[ \t]*(?:\(|,|[—–|-]|--)?[ \t]*{_WEIGHT}[ \t]*(?P<u>{_UNIT})?[ \t]*\)?[ \t|]*$", re.I)
#: inside the title as quoted, at its end: "ANEN 5010 Data Pipelines (3 credits)"
_TAIL_RE = re.compile(rf"(?:\(|[,—–-][ \t]*)[ \t]*{_WEIGHT}[ \t]*(?P<u>{_UNIT})[ \t]*\)?$", re.I)
#: alone on the line after the title: "4 cr", "3 Credits", "(3 credit hours)"
_ALONE_RE = re.compile(rf"^\(?[ \t]*{_WEIGHT}[ \t]*(?P<u>{_UNIT})[ \t]*\)?$", re.I)
#: the lead-in of a list that gives each listed course's weight: "One 3-credit course from:", "Two semesters of the
#: following 0-credit course:", "Required courses (3 credits each):"
_GROUP_RE = re.compile(
    r"(?:\b(?:one|a|an|any|each|two|three|four|five|following)\s+(?:[\w-]+\s+){0,2}?(?P<n>\d{1,2})[- ]credit\s+"
    r"(?:courses?|class(?:es)?|electives?)\b|\((?P<each>\d{1,2})\s+credits?\s+each\))[^:\n]*:\s*$", re.I)
#: a line of a course list under such a lead-in: a course code first, after an optional list marker
_LISTED_LINE_RE = re.compile(r"^[ \t]*(?:[-*•+][ \t]*|\d{1,2}[.)][ \t]*)?(?:[A-Z]{2,5}(?:-[A-Z])?[ \t]?|[A-Z][ \t])\d{3,5}")


def _lead_in_weight(text: str, at: int) -> tuple[int, int, float, float] | None:
    """The weight a list's lead-in gives the course whose line holds ``at``: the lines above it back to the
    lead-in must all be course lines."""
    line_start = text.rfind("\n", 0, at) + 1
    for _ in range(40):
        if line_start == 0:
            return None
        prev = text.rfind("\n", 0, line_start - 1) + 1
        line = text[prev:line_start - 1]
        if not line.strip():
            line_start = prev
            continue
        g = _GROUP_RE.search(line)
        if g:
            k = "n" if g.group("n") is not None else "each"
            n = float(g.group(k))
            if not 0 <= n <= 12:
                return None
            if k == "n":   # quote: "3-credit"
                return prev + g.start(k), prev + g.end(k) + len("-credit"), n, n
            return prev + g.start(k), prev + g.end("each") - 1, n, n   # "3 credits each"
        if not _LISTED_LINE_RE.match(line):
            return None
        line_start = prev
    return None


def _weight(m: re.Match, base: int) -> tuple[int, int, float, float] | None:
    """(start, end, low, high) of the weight: its quote is the number and its unit ("4 cr", "3 credits")."""
    lo = float(m.group("n"))
    hi = float(m.group("n2")) if m.group("n2") else lo
    if not (0 <= lo <= hi <= 12):
        return None
    end = max(m.end(g) for g in ("n", "n2", "u") if m.group(g) is not None)
    return base + m.start("n"), base + end, lo, hi


def course_credit_facts(layout: Layout, facts: list[Fact]) -> list[Fact]:
    """The credits of each course the readers found, read where catalogs write them: after the title on its
    line ("(3 credits)", "Systems4", a table row's last cell), alone on the next line ("4 cr", "3 Credits"), or in
    the lead-in of the list the course is an item of ("One 3-credit course from:"). Counts are typed by
    the weight's own words; a course's credits are its own, never the program's."""
    text = layout.text
    have = {f.subject for f in facts if f.entity_type == "course" and f.attribute == "credits"}
    out: list[Fact] = []
    for f in facts:
        if f.entity_type != "course" or f.attribute != "kind" or f.value != "course" or f.subject in have:
            continue
        eol = text.find("\n", f.end)
        eol = len(text) if eol < 0 else eol
        got = None
        m = _TAIL_RE.search(text, f.start, f.end) or _AFTER_RE.match(text, f.end, eol)
        if m and (m.group("u") or m.start("n") == f.end or "|" in text[f.end:m.start("n")] or
                  text[f.end:m.start("n")].strip() in ("(", "-", "–", "—", ",")):
            got = _weight(m, 0)
        if got is None and not text[f.end:eol].strip():
            nxt = eol + 1
            while nxt < len(text) and text[nxt] in " \t\n":
                nxt += 1
            end = text.find("\n", nxt)
            end = len(text) if end < 0 else end
            m = _ALONE_RE.match(text[nxt:end].strip())
            if m:
                got = _weight(m, nxt + (len(text[nxt:end]) - len(text[nxt:end].lstrip())))
        if got is None:
            got = _lead_in_weight(text, f.start)
        if got is None:
            continue
        s, e, lo, hi = got
        have.add(f.subject)
        out.append(Fact("course", f.subject, "credits", f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}", s, e,
                        CREDITS_EXTRACTOR, value_num=lo, value_num_high=hi, qualifier="exact" if lo == hi else "range"))
    return out


def without_course_credits(facts: list[Fact], credits: list[Fact]) -> list[Fact]:
    """A program credit count read at words that are a course's credits ("3 Credits" under a course title)
    is that course's, never the program's."""
    from flows.extract.text import Spans

    spans = Spans([(f.start, f.end) for f in credits])
    return [f for f in facts if not (f.entity_type == "program" and f.attribute == "credits"
                                     and spans.overlaps(f.start, f.end))]


# -- "core courses include a, b, and c." ------------------------------------------------------------

_LEAD_RE = re.compile(
    r"\b(?:core|required|foundational|mandatory|compulsory)\s+(?:(?:ML|AI|data\s+science|machine\s+learning)\s+)?"
    r"(?:courses|classes|coursework|curriculum|subjects|modules)\s+"
    r"(?:(?:typically|usually|generally|often|commonly|normally|always|all|will|also|then|tend\s+to)\s+)*"
    r"(?:includes?|cover(?:s|ing)?|are|such\s+as|consists?\s+of|spans?|focus\s+on|address(?:es)?)"
    r"(?:\s*:\s*|\s+)",
    re.I,
)
_ITEM_RE = re.compile(r"^[A-Za-z][\w&/+'’-]*(?:\s+[\w&/+'’-]+){0,4}$")
_BAD_FIRST = frozenset(
    "a an the some several many most each every other more their your our its this these those one two three "
    "courses classes topics students programs it they you we".split()
)
_VERBISH_RE = re.compile(r"\b(?:is|are|was|were|be|been|will|can|may|must|should|would|have|has|had)\b", re.I)
_SEP_RE = re.compile(r"\s*(?:[,;]\s*(?:and|or)\s+|[,;]\s*|\s+(?:and|or)\s+)")
_CLAUSE_START_RE = re.compile(r"[.!?:\n•]\s*")
_END_RE = re.compile(r"[.!?](?=\s|$)|\n")


def core_topic_sentences(text: str) -> list[Fact]:
    """core_topic facts for each "core courses include a, b, and c." sentence in ``text``."""
    if not isinstance(text, str) or not text:
        return []
    facts: list[Fact] = []
    for m in _LEAD_RE.finditer(text):
        left = text[max(0, m.start() - 300):m.start()]
        starts = list(_CLAUSE_START_RE.finditer(left))
        opening = left[starts[-1].end():] if starts else left
        if _ADVICE_RE.match(opening.strip().lstrip("-*• ")):
            continue
        end_m = _END_RE.search(text, m.end())
        stop = end_m.start() if end_m else len(text)
        body = text[m.end():stop]
        if not body.strip() or "(" in body or ":" in body:
            continue
        items: list[tuple[int, int]] = []
        pos = 0
        ok = True
        for sep in list(_SEP_RE.finditer(body)) + [None]:
            s, e = (pos, sep.start()) if sep else (pos, len(body))
            chunk = body[s:e]
            st = chunk.strip()
            if not st:
                ok = False
                break
            first = st.split()[0].lower()
            if not _ITEM_RE.match(st) or first in _BAD_FIRST or _VERBISH_RE.search(st) or any(c.isdigit() for c in st):
                ok = False
                break
            a = m.end() + s + (len(chunk) - len(chunk.lstrip()))
            items.append((a, a + len(st)))
            if sep is None:
                break
            pos = sep.end()
        if not ok or len(items) < 3:
            continue
        for a, b in items:
            facts.append(Fact("course", text[a:b], "kind", "core_topic", a, b, TOPIC_EXTRACTOR))
    return facts


# -- catalog lines, inline codes, lead-in lists ----------------------------------------------------

EXTRACTOR = "layout_course"

_SMALL = r"(?:of|and|for|in|the|to|with|on|at|a|an|&|vs\.?)"
#: a title's closing numeral ("Machine Learning I", "Numerical Analysis II") is part of the title
_NUMERAL = r"(?:I{1,3}|IV|V|VI{1,3})"
#: a title word; a capitalised word before a number opens the next code ("... and DSC 520 ...")
_TITLE_WORD = rf"(?:[A-Z][\w'’/-]*+(?![ \t]?\d{{3}})|{_SMALL}|{_NUMERAL}|\d(?=:))"
_CODE = r"(?:[A-Z]{2,5}(?:-[A-Z])?[ \t]?|[A-Z][ \t])\d{3,5}[A-Z]?"
#: "Course 1: GRAD 50500: Title": the ordinal of a sequence before the code
_ORDINAL_RE = re.compile(r"^(?:Course|Class|Module|Step)[ \t]+\d{1,2}[ \t]*[:.\-–—][ \t]*(?=[A-Z])")
#: a line that is a course: code, title, optional credits (glued or separated)
_LINE_RE = re.compile(
    rf"^(?P<code>{_CODE})(?:[ \t]*[:.\-–—][ \t]*|[ \t]+|(?=[A-Z]))"
    rf"(?P<title>[A-Z][\w'’/&,:()\- ]*?[A-Za-z)])"
    rf"[ \t]*(?:\(?[ \t]*(?P<cr>\d{{1,2}}(?:\.\d)?(?:[-–]\d)?)[ \t]*(?:credits?|cr\.?|units?|hours?|s\.h\.|SH)?\)?)?[ \t]*$")
#: "CS 665 (Computer Architecture)": the title in parentheses after the code
_PAREN_LINE_RE = re.compile(rf"^(?P<code>{_CODE})[ \t]*\([ \t]*(?P<title>[A-Z][\w'’/&,:\- ]*?[A-Za-z])[ \t]*\)[ \t]*$")
#: a course code inside running text followed by a title-case name ("CS 7641 Machine Learning",
#: "CS 242, Introduction to Data Science", "DSC 699, the Capstone Studio")
_INLINE_RE = re.compile(rf"(?<![\w-])(?P<code>[A-Z]{{2,5}}[ \t]?\d{{3,5}}[A-Z]?)(?:[ \t]*:|,(?:[ \t]+the)?)?[ \t]+"
                        rf"(?P<title>[A-Z][\w'’/-]*(?:[ \t]+{_TITLE_WORD})*)")
_NOT_TITLE_RE = re.compile(r"^(?:Credits?|Units?|Hours?|Total|Fall|Spring|Summer|Winter|Semester|Term|Year|Section)\b")
#: "Human Computer Interaction (HCI)": the abbreviation after a title is not part of it
_ABBREV_TAIL_RE = re.compile(r"\s*\((?=[A-Z0-9&/-]*[A-Z])[A-Z0-9&/-]{2,8}\)$")


def _clean(title: str) -> str:
    t = re.sub(r"[ \t]+", " ", title).strip(" ,:;-–—")
    while True:
        u = re.sub(rf"\s+{_SMALL}$", "", t)
        if u == t:
            return t
        t = u


def course_facts(layout: Layout, b: Block, sc: Scope | None) -> list[Fact]:
    text = layout.text
    out: list[Fact] = []
    provider = sc.canonical if sc is not None and sc.how in ("page", "section", "field") else None
    pos = b.start
    for line in text[b.start:b.end].split("\n"):
        a = pos + (len(line) - len(line.lstrip()))
        pos += len(line) + 1
        body = line.strip()
        o = _ORDINAL_RE.match(body)
        if o:
            a, body = a + o.end(), body[o.end():]
        m = _LINE_RE.match(body) or _PAREN_LINE_RE.match(body)
        if m is None and b.kind in ("heading", "title"):
            a, body, m = _after_school(a, body)
        hits = []
        if m and not _NOT_TITLE_RE.match(m.group("title")) and len(m.group("title").split()) <= 12:
            title = _ABBREV_TAIL_RE.sub("", m.group("title"))
            hits.append((a + m.start("code"), a + m.start("title") + len(title), m.group("code"), title))
        elif b.kind not in ("heading", "title"):
            for g in _INLINE_RE.finditer(body):
                title = _clean(g.group("title"))
                if len(title.split()) >= 2 and not _NOT_TITLE_RE.match(title):
                    hits.append((a + g.start("code"), a + g.start("title") + len(title), g.group("code"), title))
        for s, e, code, title in hits:
            name = " ".join(code.split()) + " " + _clean(title)
            out.append(Fact("course", name, "kind", "course", s, e, EXTRACTOR))
            if provider:
                out.append(Fact("course", name, "provider", provider, s, e, EXTRACTOR))
    return out


def _after_school(a: int, body: str) -> tuple[int, str, "re.Match | None"]:
    """A heading naming the school before a course line ("Georgia Tech CS 7641: Machine Learning", the title
    of a course review): the course line after the school's name (its offset, its text, its match)."""
    lead = len(body) - len(body.lstrip("# \t"))
    got = load_registry().find_all(body[lead:])
    if not got or got[0].start != 0:
        return a, body, None
    rest = body[lead + got[0].end:]
    skip = len(rest) - len(rest.lstrip(" \t"))
    # the heading may go on after the title: "...: Statistical Learning, a review", "... — my experience"
    line = re.split(r",[ \t]|[ \t][-–—|][ \t]|[–—|]", rest[skip:], maxsplit=1)[0].rstrip()
    m = _LINE_RE.match(line)
    if m is None or not re.match(r"[ \t]*:", rest[skip + m.end("code"):]):
        return a, body, None
    off = lead + got[0].end + skip
    return a + off, line, m


_LEAD_IN_RE = re.compile(r"\b(?:courses?|classes|credits?|electives?|credit hours|coursework)\b[^.]*:\s*$", re.I)
_LISTED_TITLE_RE = re.compile(rf"^[A-Z][\w'’/&-]*(?:[ \t]+{_TITLE_WORD}){{0,7}}$")


def course_lead_in(layout: Layout, b: Block) -> bool:
    """A sentence that introduces a list of courses: it ends with ':' and speaks of courses or credits
    ("The specialization includes 15 credits drawn from:", "Core courses:")."""
    return bool(_LEAD_IN_RE.search(layout.text[b.start:b.end]))


def listed_course_facts(layout: Layout, b: Block, sc: Scope | None) -> list[Fact]:
    """A list item under a course lead-in that is only a title ("Bayesian Methods") is a course."""
    t = layout.text[b.start:b.end].strip()
    if not _LISTED_TITLE_RE.match(t) or len(t.split()) < 2 or _NOT_TITLE_RE.match(t):
        return []
    provider = sc.canonical if sc is not None and sc.how in ("page", "section", "field") else None
    out = [Fact("course", t, "kind", "course", b.start, b.start + len(t), EXTRACTOR)]
    if provider:
        out.append(Fact("course", t, "provider", provider, b.start, b.start + len(t), EXTRACTOR))
    return out
