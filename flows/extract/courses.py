"""Courses named on a page, and the core-course topics of a curriculum.

Two shapes, both read only inside a section whose heading is about courses (course words such
as "courses", "classes", "curriculum", "coursework" in the heading):

* named courses: a title line followed by a descriptive paragraph, or a list item
  ("1. Deep Nets for Tides — offered by Lakeside University. Covers ...");
* core topics: labelled list items ("- Signal Foundations: This course covers ...") under a heading
  about core / required / foundational courses or a curriculum.

A heading that is a question, names a school, or reads as a section heading (plural nouns such
as "programs", words such as "overview") is never a course; a heading that is not a course ends
the course section. The provider is read from the description: "Mara Quill's flagship course",
"taught by ...", "offered by ...", "on <platform>". Pure: text in, facts out.
"""

from __future__ import annotations

import re

from flows.extract.model import Fact
from flows.extract.registry import load_registry
from flows.extract.text import (
    Item,
    Line,
    bullet,
    has_sentence,
    is_heading,
    is_question,
    is_title_case,
    iter_lines,
    strip_markup,
    split_label,
)

EXTRACTOR = "course_section"

# -- section vocabulary (format words) -------------------------------------------------------
_COURSE_SECTION_RE = re.compile(
    r"\b(?:courses|classes|coursework|curricul(?:um|a)|moocs|modules|syllabus"
    r"|course\s+(?:list|catalog(?:ue)?|descriptions?|offerings|sequence|requirements|overview|map))\b",
    re.I,
)
_CORE_RE = re.compile(r"\b(?:core|required|foundational|fundamentals?|foundation|mandatory|compulsory)\b", re.I)
_CURRICULUM_RE = re.compile(r"\bcurricul(?:um|a)\b", re.I)
#: words that make a heading a section heading rather than one course's title
_SECTION_WORDS_RE = re.compile(
    r"\b(?:programs?|degrees?|specializations?|specialisations?|concentrations?|tracks|faqs?"
    r"|frequently|overview|introduction|summary|conclusions?|bottom\s+line|takeaways?|prerequisites"
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
#: descriptions of general advice lists start with an instruction, not a course
_IMPERATIVE_RE = re.compile(
    r"^(?:analy[sz]e|evaluate|consider|review|assess|compare|check|look|ask|verify|make|choose|pick|"
    r"decide|avoid|plan|find|use|start)\b",
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
_COURSE_CODE_RE = re.compile(r"\b[A-Z]{2,5}[ -]?\d{3,4}[A-Z]?\b")


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
    if _SECTION_WORDS_RE.search(t) or _COURSE_SECTION_RE.search(t):
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
        # platform followed by more words ("on Coursera and ...") -> try its first token
        first = name.split()[0]
        if reg.is_provider(first):
            return start + m.start("name"), start + m.start("name") + len(first), first
    return None


def _emit_course(
    facts: list[Fact], title: str, t_start: int, t_end: int, kind: str,
    desc: str | None, d_start: int, d_end: int, reg,
) -> None:
    facts.append(Fact("course", title, "kind", kind, t_start, t_end, EXTRACTOR))
    prov = None
    paren = _TITLE_PAREN_RE.match(title)
    if paren and (reg.is_provider(paren.group("name")) or reg.looks_like_institution(paren.group("name"))):
        ps = t_start + paren.start("name")
        prov = (ps, ps + len(paren.group("name")), paren.group("name"))
    if desc:
        facts.append(Fact("course", title, "description", desc, d_start, d_end, EXTRACTOR))
        if prov is None:
            prov = _provider(d_start, desc, reg)
    if prov is not None:
        facts.append(Fact("course", title, "provider", prov[2], prov[0], prov[1], EXTRACTOR))


def _item(facts: list[Fact], item: Item, kind: str, reg, seen: set[str]) -> bool:
    """A list item in a course section; True when it yielded a course or topic."""
    lab = split_label(item.start, item.text)
    if lab is None:
        return False
    if not _title_ok(lab.label, reg) or lab.label.lower() in seen:
        return False
    desc = lab.rest
    if not desc or _IMPERATIVE_RE.match(desc) or _QUOTE_START_RE.match(desc):
        return False
    has_provider = _provider(lab.rest_start, desc, reg) is not None
    if kind == "core":
        this_kind = "course" if (has_provider or _COURSE_CODE_RE.search(lab.label)) else "core_topic"
    else:
        # outside a core/curriculum section a labelled item must speak of one course or name its provider
        if not (has_provider or item.numbered or _ONE_COURSE_RE.search(desc)):
            return False
        this_kind = "course"
    seen.add(lab.label.lower())
    _emit_course(facts, lab.label, lab.label_start, lab.label_end, this_kind, desc, lab.rest_start, lab.rest_end, reg)
    return True


def _flush(facts: list[Fact], pending: list[tuple[Line, Line]], reg) -> None:
    """Emit the title + paragraph entries of one course section. A run of two or more is a course
    list; a lone entry must speak of one course or name its provider."""
    for title, para in pending:
        if len(pending) < 2 and not (_ONE_COURSE_RE.search(para.text) or _provider(para.start, para.text, reg)):
            continue
        _emit_course(facts, title.text, title.start, title.end, "course", para.text, para.start, para.end, reg)


def extract_courses(text: str) -> list[Fact]:
    """Courses and core-course topics in ``text``; see the module docstring for the shapes."""
    if not isinstance(text, str) or not text.strip():
        return []
    reg = load_registry()
    lines = [strip_markup(ln) for ln in iter_lines(text)]
    facts: list[Fact] = []
    section: str | None = None  # None | "course" | "core"
    pending: list[tuple[Line, Line]] = []
    seen: set[str] = set()
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        nxt: Line | None = lines[i + 1] if i + 1 < n else None
        item = bullet(ln)
        if item is not None:
            if section is not None:
                before = len(facts)
                _item(facts, item, section, reg, seen)
            i += 1
            continue
        if is_heading(ln.text, nxt.text if nxt else None):
            if _is_course_section(ln.text) and not _NOT_COURSES_RE.search(ln.text) and not reg.find_all(ln.text):
                if _SPEC_HEADING_RE.search(ln.text):  # "Courses & Specializations": a page title
                    _flush(facts, pending, reg)
                    pending, section = [], None
                    i += 1
                    continue
                _flush(facts, pending, reg)
                pending = []
                section = _section_kind(ln.text)
                i += 1
                continue
            if (
                section is not None
                and nxt is not None
                and bullet(nxt) is None
                and not is_heading(nxt.text)
                and has_sentence(nxt.text)
                and not _QUOTE_START_RE.match(nxt.text)
                and _title_ok(ln.text, reg)
                and ln.text.lower() not in seen
            ):
                seen.add(ln.text.lower())
                pending.append((ln, nxt))
                i += 2
                continue
            _flush(facts, pending, reg)
            pending = []
            section = None
        i += 1
    _flush(facts, pending, reg)
    return facts
