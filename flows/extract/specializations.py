"""Specializations (concentrations, tracks) and the schools a page names as strong in them.

Read only inside a section whose heading is about specializations ("Specializations in ...",
"Available Concentrations", "What Specializations Are Offered?"). Two shapes:

* a title heading with one or more paragraphs under it ("Ocean Robotics" + "Ocean robotics
  joins control ... Lakeside University's program is particularly strong ...");
* list items: "- Ocean Robotics: ..." / "- Ocean Robotics — ..." / "- Ocean Robotics (OR) joins ...".

Each specialization yields a ``description`` fact and, per school named in its text (not in a
negated phrase), a ``university`` fact plus a program-side ``specialization`` fact whose subject is
the school as written. A trailing abbreviation in parentheses is dropped from the name
("Ocean Robotics (OR)" -> "Ocean Robotics"); the description keeps the text as written.
Pure: text in, facts out.
"""

from __future__ import annotations

import re

from flows.extract.model import Fact
from flows.extract.page import own_page_school
from flows.extract.registry import Mention, load_registry
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

EXTRACTOR = "specialization_section"

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


def _clean_name(name: str) -> str:
    return _ABBR_RE.sub("", _PREFIX_RE.sub("", name.strip())).strip()


def _name_ok(name: str, reg) -> bool:
    n = name.strip()
    if not n or len(n) > 90 or len(n.split()) > 9 or n[-1] in ".:;,!?":
        return False
    if is_question(n) or not is_title_case(n, 0.75):
        return False
    if _SECTION_WORDS_RE.search(n) or _SECTION_RE.search(n):
        return False
    return not reg.find_all(n)


def _negated(body: str, m_start: int, m_end: int) -> bool:
    """A negation within the mention's own clause (a few words either side, same sentence)."""
    left = re.split(r"[.;!?]\s|[,—–(]", body[max(0, m_start - 40): m_start])[-1]
    right = re.split(r"[.;!?](?:\s|$)|[,—–)]", body[m_end: m_end + 80])[0]
    return bool(_NEGATION_RE.search(left) or _NEGATION_RE.search(right))


#: sentence-opening words the unseen-name rule can glue to a school ("Unlike Pinecrest College")
_LEADING_NOISE_RE = re.compile(
    r"^(?:(?:Unlike|Like|While|Whereas|Although|Though|But|And|Or|Both|Only|Even|Also|Then|Since|Because|"
    r"At|In|For|With|From|Via|Students|Graduates|Programs?|Meanwhile|However|Similarly|Beyond|Including)\s+)+"
)


def _trim(m: Mention, reg) -> tuple[Mention, str]:
    """Drop sentence-opening words an unseen-name match swallowed; returns (mention, dropped text)."""
    if m.known:
        return m, ""
    cut = _LEADING_NOISE_RE.match(m.text)
    if not cut or cut.end() >= len(m.text):
        return m, ""
    name = m.text[cut.end():]
    return Mention(m.start + cut.end(), m.end, name, reg.canonical(name), False), cut.group(0)


def _schools(spans: list[Line], reg) -> list[Mention]:
    """Schools named in the specialization's text, one per canonical school (its first mention)."""
    out: list[Mention] = []
    seen: set[str] = set()
    for sp in spans:
        for m in reg.find_all(sp.text):
            m, dropped = _trim(m, reg)
            if reg.is_provider(m.text) or m.canonical in seen:
                continue
            if _NEGATION_RE.search(dropped) or _negated(sp.text, m.start, m.end):
                continue
            seen.add(m.canonical)
            out.append(Mention(sp.start + m.start, sp.start + m.end, m.text, m.canonical, m.known))
    return out


def _emit(facts: list[Fact], name: str, desc: Line | None, body: list[Line], reg,
          page_school: tuple[int, int, str] | None = None) -> None:
    """Description + schools named in the body; on a school's own page, a specialization whose text
    names no school is the page school's (the university fact then quotes the page's title)."""
    if desc is not None:
        facts.append(Fact("specialization", name, "description", desc.text, desc.start, desc.end, EXTRACTOR))
    schools = _schools(body, reg)
    if page_school is not None and not schools:
        s, e, written = page_school
        schools = [Mention(s, e, written, reg.canonical(written), False)]
    for m in schools:
        facts.append(Fact("specialization", name, "university", m.text, m.start, m.end, EXTRACTOR))
        facts.append(Fact("program", m.text, "specialization", name, m.start, m.end, EXTRACTOR))


def _item_name(item: Item, reg) -> tuple[str, Line] | None:
    """(name, description span) of a list item that names a specialization."""
    lab = split_label(item.start, item.text, max_words=9)
    if lab is not None and lab.rest and _name_ok(lab.label, reg):
        return _clean_name(lab.label), Line(lab.rest_start, lab.rest_end, lab.rest)
    m = _LEAD_NAME_RE.match(item.text)
    if m and _VERB_OK_RE.match(m.group("verb")) and _name_ok(m.group("name"), reg) and has_sentence(item.text):
        return _clean_name(m.group("name")), Line(item.start, item.end, item.text)
    return None


_SPEC_WORD_RE = re.compile(r"\b(?:speciali[sz]\w*|concentrat\w*|track|focus\s+area)\b", re.I)
_COURSE_WORDS_RE = re.compile(r"\b(?:courses|classes|coursework|curricul(?:um|a))\b", re.I)


def _is_section(heading: str, reg) -> bool:
    """A specializations heading; one that also speaks of courses/curriculum is a page title."""
    return bool(_SECTION_RE.search(heading)) and not _COURSE_WORDS_RE.search(heading) and not reg.find_all(heading)


def _flush_bare(facts: list[Fact], items: list[Item], reg, seen: set[str], page_school) -> None:
    """Bare title-cased list items of a specializations section ("- Ocean Robotics"): on a school's own
    page a run of two or more is the school's list of concentrations; elsewhere they carry no fact."""
    if page_school is None or len(items) < 2:
        return
    names = [_clean_name(it.text) for it in items]
    if not all(_name_ok(nm, reg) and len(nm.split()) <= 6 for nm in names):
        return
    for nm in names:
        if nm.lower() not in seen:
            seen.add(nm.lower())
            _emit(facts, nm, None, [], reg, page_school)


def _flush(facts: list[Fact], pending: list[tuple[str, list[Line]]], reg, page_school=None) -> None:
    """Heading entries of one section: a run of two or more is a list of specializations; a lone
    one must name a school or speak of a specialization/concentration/track."""
    for name, body in pending:
        if len(pending) < 2 and not (
            any(reg.find_all(b.text) for b in body) or any(_SPEC_WORD_RE.search(b.text) for b in body)
        ):
            continue
        _emit(facts, name, body[0], body, reg, page_school)


def extract_specializations(text: str) -> list[Fact]:
    """Specializations named in a specializations section of ``text``; see the module docstring."""
    if not isinstance(text, str) or not text.strip():
        return []
    reg = load_registry()
    lines = [strip_markup(ln) for ln in iter_lines(text)]
    facts: list[Fact] = []
    in_section = False
    pending: list[tuple[str, list[Line]]] = []
    bare: list[Item] = []
    seen: set[str] = set()
    page_school = own_page_school(text)
    i, n = 0, len(lines)
    while i < n:
        ln = lines[i]
        nxt = lines[i + 1] if i + 1 < n else None
        item = bullet(ln)
        if item is not None:
            if in_section:
                got = _item_name(item, reg)
                if got and got[0].lower() not in seen:
                    seen.add(got[0].lower())
                    _emit(facts, got[0], got[1], [got[1]], reg, page_school)
                elif got is None and split_label(item.start, item.text) is None:
                    bare.append(item)
            i += 1
            continue
        _flush_bare(facts, bare, reg, seen, page_school)
        bare = []
        if is_heading(ln.text, nxt.text if nxt else None):
            if _is_section(ln.text, reg):
                _flush(facts, pending, reg, page_school)
                pending = []
                in_section = True
                i += 1
                continue
            if (
                in_section
                and nxt is not None
                and bullet(nxt) is None
                and not is_heading(nxt.text)
                and has_sentence(nxt.text)
                and _name_ok(ln.text, reg)
                and _name_ok(_clean_name(ln.text), reg)
            ):
                # the body runs to the next heading or list item
                j = i + 1
                body: list[Line] = []
                while j < n and bullet(lines[j]) is None and not is_heading(
                    lines[j].text, lines[j + 1].text if j + 1 < n else None
                ):
                    body.append(lines[j])
                    j += 1
                name = _clean_name(ln.text)
                if name.lower() not in seen:
                    seen.add(name.lower())
                    pending.append((name, body))
                i = j
                continue
            _flush(facts, pending, reg, page_school)
            pending = []
            in_section = False
        i += 1
    _flush(facts, pending, reg, page_school)
    _flush_bare(facts, bare, reg, seen, page_school)
    return facts
