"""Courses wherever a page lists them with a course code: catalog lines whose code, title and credits ran
together ("AI 5100Foundations of Intelligent Systems4"), "CODE Title (3 credits)" lines, list items and
table cells, and codes inside sentences ("such as DS 6120 Applied Machine Learning"). The code stays in
the title, joined to the name by one space, as the courses table has no code column. On a school's own
page the school is the provider."""

from __future__ import annotations

import re

from flows.extract.layout.model import Block, Layout
from flows.extract.model import Fact
from flows.extract.scope import Scope

EXTRACTOR = "layout_course"

_SMALL = r"(?:of|and|for|in|the|to|with|on|a|an|&|vs\.?|I{1,3}|IV)"
_TITLE_WORD = rf"(?:[A-Z][\w'’/-]*|{_SMALL}|\d(?=:))"
#: a line that is a course: code, title, optional credits (glued or separated)
_LINE_RE = re.compile(
    rf"^(?P<code>(?:[A-Z]{{2,5}}(?:-[A-Z])?[ \t]?|[A-Z][ \t])\d{{3,4}}[A-Z]?)(?:[ \t]*[:.\-–—][ \t]*|[ \t]+|(?=[A-Z]))"
    rf"(?P<title>[A-Z][\w'’/&,:()\- ]*?[A-Za-z)])"
    rf"[ \t]*(?:\(?[ \t]*(?P<cr>\d{{1,2}}(?:\.\d)?(?:[-–]\d)?)[ \t]*(?:credits?|cr\.?|units?|hours?|s\.h\.|SH)?\)?)?[ \t]*$")
#: a course code inside running text followed by a title-case name
_INLINE_RE = re.compile(rf"(?<![\w-])(?P<code>[A-Z]{{2,5}}[ \t]?\d{{3,4}}[A-Z]?)[ \t]*:?[ \t]+"
                        rf"(?P<title>[A-Z][\w'’/-]*(?:[ \t]+{_TITLE_WORD})*)")
_NOT_TITLE_RE = re.compile(r"^(?:Credits?|Units?|Hours?|Total|Fall|Spring|Summer|Winter|Semester|Term|Year|Section)\b")


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
        m = _LINE_RE.match(body)
        hits = []
        if m and not _NOT_TITLE_RE.match(m.group("title")) and len(m.group("title").split()) <= 12:
            hits.append((a + m.start("code"), a + m.end("title"), m.group("code"), m.group("title")))
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
