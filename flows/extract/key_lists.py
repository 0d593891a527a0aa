"""Course and specialization names listed after a key: "Core courses: Tide Models, Harbor Statistics,
and Surge Forecasting", "Specializations: Reef Imaging, Port Logistics", usually a bullet of a program
card under a heading that names the school ("2. Lakeside State University — M.S. in Tide Science").

Items are split at commas and semicolons (", and" / ", or" too); a bare " and " splits only the
last item of a comma list, so "Robotics and Autonomous Systems" alone stays one name. Every item
must read as a title (or, for core courses, every item as a lower-case topic); one item that does
not ("thesis or project") rejects the line. The school is the one the nearest heading above the card
names (only when it names exactly one), else the page's own school. Pure: text in, spans out.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from flows.extract.registry import Mention, load_registry
from flows.extract.text import Line, bullet, is_title_case, iter_lines, strip_markup

_KEY_RE = re.compile(
    r"^(?P<key>(?:(?P<core>core|required|foundational)\s+|(?:sample|featured|notable|key|example|selected"
    r"|popular|representative|typical)\s+)?(?:courses|classes)(?:\s+(?:include|offered|covered))?"
    r"|(?P<spec>speciali[sz]ations|concentrations|tracks|focus\s+areas|specialization\s+options)"
    r"(?:\s+(?:offered|available|include))?)\s*:\s+(?P<list>\S.*)$",
    re.I,
)
_SEP_RE = re.compile(r"\s*(?:[,;]\s*(?:and|or)\s+|[,;]\s*)")
_ITEM_RE = re.compile(r"^[A-Za-z][\w&/+'’().-]*(?:\s+[\w&/+'’().-]+){0,7}$")


class KeyItem(NamedTuple):
    start: int
    end: int
    text: str


class KeyList(NamedTuple):
    kind: str            # "course" | "core_topic" | "specialization"
    items: list[KeyItem]
    school: Mention | None


def _split(start: int, body: str) -> list[KeyItem] | None:
    body = body.rstrip()
    if body.endswith("."):
        body = body[:-1]
    parts: list[tuple[int, int]] = []
    pos = 0
    for sep in _SEP_RE.finditer(body):
        parts.append((pos, sep.start()))
        pos = sep.end()
    parts.append((pos, len(body)))
    if len(parts) > 1:  # "A, B and C": the last part splits at its " and "
        ls, le = parts[-1]
        m = re.search(r"\s+(?:and|or)\s+", body[ls:le])
        if m:
            parts[-1:] = [(ls, ls + m.start()), (ls + m.end(), le)]
    out: list[KeyItem] = []
    for s, e in parts:
        chunk = body[s:e]
        st = chunk.strip()
        if not st or not _ITEM_RE.match(st) or any(c.isdigit() for c in st):
            return None
        a = start + s + (len(chunk) - len(chunk.lstrip()))
        out.append(KeyItem(a, a + len(st), st))
    return out


def _school_above(lines: list[Line], i: int, reg) -> Mention | None:
    """The one school named by the heading/numbered line above a card's bullets."""
    j = i - 1
    while j >= 0:
        ln = lines[j]
        it = bullet(ln)
        if it is not None and not it.numbered:
            j -= 1
            continue
        ms = [m for m in reg.find_all(ln.text) if not reg.is_provider(m.text)]
        if len(ms) == 1 and len(ln.text.split()) <= 16 and not ln.text.endswith("."):
            m = ms[0]
            return Mention(ln.start + m.start, ln.start + m.end, m.text, m.canonical, m.known)
        return None
    return None


def key_lists(text: str, page_school: tuple[int, int, str] | None = None) -> list[KeyList]:
    if not isinstance(text, str) or not text.strip():
        return []
    reg = load_registry()
    lines = [strip_markup(ln) for ln in iter_lines(text)]
    out: list[KeyList] = []
    for i, ln in enumerate(lines):
        it = bullet(ln)
        body_start, body = (it.start, it.text) if it is not None else (ln.start, ln.text)
        body_start, body = _unbold(body_start, body)
        m = _KEY_RE.match(body)
        if not m:
            continue
        items = _split(body_start + m.start("list"), m.group("list"))
        if not items:
            continue
        titled = all(is_title_case(x.text, 0.99) and not reg.find_all(x.text) for x in items)
        lower = all(x.text == x.text.lower() for x in items)
        if m.group("spec"):
            if not titled:
                continue
            kind = "specialization"
        elif titled:
            kind = "course"
        elif lower and m.group("core") and len(items) >= 2:
            kind = "core_topic"
        else:
            continue
        school = _school_above(lines, i, reg)
        if school is None and page_school is not None:
            s, e, w = page_school
            school = Mention(s, e, w, reg.canonical(w), False)
        out.append(KeyList(kind, items, school))
    return out


def _unbold(start: int, body: str) -> tuple[int, str]:
    """"**Core courses:** A, B" -> "Core courses: A, B" is not a span; only a leading "**" is skipped
    when the key itself is bold, by reading past it."""
    m = re.match(r"^(\*\*|__)([^*_]+?):?(\*\*|__):?\s", body)
    if m:
        key = m.group(2).rstrip(":")
        rest_at = m.end()
        # rebuild as "key: rest" only virtually: keep offsets of the list part exact
        return start + rest_at - len(key) - 2, f"{key}: {body[rest_at:]}"
    return start, body
