"""Core-course topics named in one sentence: "Typical core courses include tide modeling, harbor
statistics, and sensor fusion."

Only this precise shape: a subject about core / required / foundational courses (or a core
curriculum), a listing verb ("include", "cover", "are", "such as", "consist of", "span"), then a
list of three or more short noun phrases ending the sentence. Each phrase becomes a core_topic
titled as written. Advice sentences (opening with an instruction: "Compare ...") are skipped. A list with any item that does not read as a short topic (a clause, a number,
a determiner such as "a course on ...") yields nothing: precision over recall. Pure: text in, facts out.
"""

from __future__ import annotations

import re

from flows.extract.model import Fact

EXTRACTOR = "core_topic_sentence"

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
#: advice ("Analyze how deep the foundational courses such as ... go") is not a statement of a curriculum
_IMPERATIVE_RE = re.compile(
    r"^(?:analy[sz]e|evaluate|consider|review|assess|compare|check|look|ask|verify|make|choose|pick|"
    r"decide|avoid|plan|find|use|start|ensure|prioriti[sz]e|focus|seek|confirm)\b",
    re.I,
)
_CLAUSE_START_RE = re.compile(r"[.!?:\n•]\s*")
_END_RE = re.compile(r"[.!?](?=\s|$)|\n")


def extract_core_topic_sentences(text: str) -> list[Fact]:
    """core_topic facts for each "core courses include a, b, and c." sentence in ``text``."""
    if not isinstance(text, str) or not text:
        return []
    facts: list[Fact] = []
    for m in _LEAD_RE.finditer(text):
        left = text[max(0, m.start() - 300):m.start()]
        starts = list(_CLAUSE_START_RE.finditer(left))
        opening = left[starts[-1].end():] if starts else left
        if _IMPERATIVE_RE.match(opening.strip().lstrip("-*• ")):
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
            facts.append(Fact("course", text[a:b], "kind", "core_topic", a, b, EXTRACTOR))
    return facts
