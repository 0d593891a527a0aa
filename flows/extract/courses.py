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
    r"\b(?:programs|degrees|specializations|specialisations|concentrations|tracks|faqs?"
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
_TITLE_DASH_RE = re.compile(r"^(?P<title>.+?)\s+(?:[—–|]|--?|by)\s+(?P<name>[^—–|]{2,60})$")
_META_PAIR_RE = re.compile(r"(?:^|\|)\s*(?P<key>[A-Z][A-Za-z ]{1,24}?)\s*:\s*(?P<value>[^|]+)")
_PROVIDER_KEY_RE = re.compile(
    r"(?:provider|offered\s+by|platform|institution|university|school|instructors?|taught\s+by|created\s+by|partner)",
    re.I,
)
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
        # platform followed by more words ("on Quaylearn and ...") -> try its first token
        first = name.split()[0]
        if reg.is_provider(first):
            return start + m.start("name"), start + m.start("name") + len(first), first
    return None


def _split_title(title: Line, reg) -> tuple[Line, tuple[int, int, str] | None]:
    """A title that carries its provider: "Title (Quaylearn)", "Title — Lakeside University"."""
    m = _TITLE_PAREN_RE.match(title.text) or _TITLE_DASH_RE.match(title.text)
    if m:
        name = m.group("name").strip()
        if reg.is_provider(name) or reg.looks_like_institution(name):
            t = m.group("title").strip()
            ps = title.start + m.start("name")
            return Line(title.start, title.start + len(t), t), (ps, ps + len(name), name)
    return title, None


def _emit_course(
    facts: list[Fact], title: Line, kind: str, desc: Line | None, reg,
    provider: tuple[int, int, str] | None = None,
) -> None:
    title, from_title = _split_title(title, reg)
    facts.append(Fact("course", title.text, "kind", kind, title.start, title.end, EXTRACTOR))
    prov = provider or from_title
    if desc is not None:
        facts.append(Fact("course", title.text, "description", desc.text, desc.start, desc.end, EXTRACTOR))
        if prov is None:
            prov = _provider(desc.start, desc.text, reg)
    if prov is not None:
        facts.append(Fact("course", title.text, "provider", prov[2], prov[0], prov[1], EXTRACTOR))


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
    _emit_course(facts, Line(lab.label_start, lab.label_end, lab.label), this_kind,
                 Line(lab.rest_start, lab.rest_end, lab.rest), reg)
    return True


Entry = tuple[Line, "Line | None", "tuple[int, int, str] | None"]


def _flush(facts: list[Fact], pending: list[Entry], reg) -> None:
    """Emit the title + paragraph entries of one course section. A run of two or more is a course
    list; a lone entry must speak of one course or name its provider."""
    for title, para, prov in pending:
        if len(pending) < 2 and prov is None and not (
            para is not None and (_ONE_COURSE_RE.search(para.text) or _provider(para.start, para.text, reg))
        ):
            continue
        _emit_course(facts, title, "course", para, reg, prov)


def _entry(lines: list[Line], i: int, title: Line, reg, seen: set[str]) -> tuple[Entry, int] | None:
    """``title`` at ``lines[i]`` followed by an optional "Key: value" line and a paragraph."""
    if not _title_ok(_split_title(title, reg)[0].text, reg) or title.text.lower() in seen:
        return None
    j = i + 1
    prov = None
    if j < len(lines) and bullet(lines[j]) is None and _is_meta(lines[j]):
        prov = _meta_provider(lines[j], reg)
        j += 1
    para = lines[j] if j < len(lines) else None
    if (
        para is not None
        and bullet(para) is None
        and not is_heading(para.text)
        and has_sentence(para.text)
        and not _QUOTE_START_RE.match(para.text)
    ):
        return (title, para, prov), j + 1
    if prov is not None:
        return (title, None, prov), j
    return None


def _page_school(text: str) -> tuple[int, int, str] | None:
    """The school whose own program page this is (its title/heading names school + degree), as the
    provider of the courses the page lists."""
    from flows.extract.prose import page_program

    ph = page_program(text)
    if ph is None:
        return None
    return ph.subject_start, ph.subject_start + len(ph.subject), ph.subject


def _flush_bare(facts: list[Fact], items: list[Item], reg, seen: set[str],
                page_school: tuple[int, int, str] | None) -> None:
    """Bare list items of a course section: each one with a course code ("CS 6601 Intro to Planning")
    is a course; title-cased items without codes only as a run of three or more, all titles."""
    ok = [it for it in items if _title_ok(_COURSE_CODE_RE.sub("", it.text).strip() or it.text, reg)
          and it.text.lower() not in seen]
    coded = [it for it in ok if _COURSE_CODE_RE.match(it.text)]
    chosen = coded if coded else (ok if len(ok) >= 3 and len(ok) == len(items) else [])
    for it in chosen:
        seen.add(it.text.lower())
        _emit_course(facts, Line(it.start, it.end, it.text), "course", None, reg, page_school)


def extract_courses(text: str) -> list[Fact]:
    """Courses and core-course topics in ``text``; see the module docstring for the shapes."""
    if not isinstance(text, str) or not text.strip():
        return []
    reg = load_registry()
    lines = [strip_markup(ln) for ln in iter_lines(text)]
    facts: list[Fact] = []
    section: str | None = None  # None | "course" | "core"
    pending: list[Entry] = []
    bare: list[Item] = []  # bare list items in a course section ("- CS 6601 Intro to Planning")
    seen: set[str] = set()
    page_school = _page_school(text)
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        nxt: Line | None = lines[i + 1] if i + 1 < n else None
        item = bullet(ln)
        if item is not None:
            if section is not None:
                if item.numbered:
                    # "3. Course Title" on its own line, the description below it
                    got = _entry(lines, i, Line(item.start, item.end, item.text), reg, seen)
                    if got:
                        seen.add(got[0][0].text.lower())
                        pending.append(got[0])
                        i = got[1]
                        continue
                if not _item(facts, item, section, reg, seen) and split_label(item.start, item.text) is None:
                    bare.append(item)
            i += 1
            continue
        _flush_bare(facts, bare, reg, seen, page_school)
        bare = []
        if is_heading(ln.text, nxt.text if nxt else None):
            if _is_course_section(ln.text) and not _NOT_COURSES_RE.search(ln.text) and not reg.find_all(ln.text):
                _flush(facts, pending, reg)
                pending = []
                # "Courses & Specializations" is a page title, not a course section
                section = None if _SPEC_HEADING_RE.search(ln.text) else _section_kind(ln.text)
                i += 1
                continue
            if section is not None:
                got = _entry(lines, i, ln, reg, seen)
                if got:
                    seen.add(got[0][0].text.lower())
                    pending.append(got[0])
                    i = got[1]
                    continue
            _flush(facts, pending, reg)
            pending = []
            section = None
        i += 1
    _flush(facts, pending, reg)
    _flush_bare(facts, bare, reg, seen, page_school)
    # page order: each course's facts at the place of its title
    first: dict[str, int] = {}
    for f in facts:
        if f.attribute == "kind":
            first.setdefault(f.subject, f.start)
    return sorted(facts, key=lambda f: first.get(f.subject, f.start))
