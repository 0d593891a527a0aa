"""Fields: ``Key: value`` lines and one-line ``Key: v | Key: v`` cards, ``<dt>/<dd>``, stat cards ("30 Credits"),
labels run into values ("GRENo"), label-over-value cards, a label item over value items, and the rows of
vertical tables. The key's words say what the value is (a hint); the value's type must agree. Names listed
after a key ("Core courses: A, B, and C", "Specializations: X, Y") are courses and specializations of the
field's school. The school is the block's scope (flows.extract.scope): this module never guesses one."""

from __future__ import annotations

import re

from flows.extract.layout.model import FIELD, Block, Layout, Span
from flows.extract.model import Fact
from flows.extract.read.facts import money_fact, program_fact
from flows.extract.read.values import count_in, format_cell, gre_cell, meaning, money_cell, money_in, unit_of
from flows.extract.scope import Scope, find_degree
from flows.extract.values import MoneySpan, covers_of_context, times_credits

EXTRACTOR = "layout_field"


def field_facts(layout: Layout, b: Block, sc: Scope | None) -> list[Fact]:
    if sc is None or b.key is None or b.value is None:
        return []
    text = layout.text
    if "\n" in text[b.value.start:b.value.end]:
        return _nested_value_facts(layout, b, sc)
    if b.role in ("stat", "run_together") and "\n" not in text[b.start:b.end]:   # "30 Units", "GRENo": quoted whole
        return key_value_facts(layout, b.key, b.value, sc, b.start, b.end, EXTRACTOR)
    # a field's quote is its value, as a table cell's is the cell: "$27,000", "M.S. in Data Science"
    return key_value_facts(layout, b.key, b.value, sc, b.value.start, b.value.end, EXTRACTOR, tight=True)


_KID_RE = re.compile(r"^[ \t]*(?:[-*•·▪◦+]|\d{1,2}[.)])?[ \t]*(?P<body>\S.*?)[ \t]*$")
_KID_PAIR_RE = re.compile(r"^(?P<key>[A-Za-z][\w'’/&() -]{0,40}?)\s*:\s+")


def _nested_value_facts(layout: Layout, b: Block, sc: Scope) -> list[Fact]:
    """A key over several values, one per line ("Cost" / "- $1,150 per credit" / "- $34,500 total"): each
    line is a value of the key; rates set apart by residency on every line are one value (a range)."""
    text = layout.text
    lines, pos = [], b.value.start
    for raw in text[b.value.start:b.value.end].split("\n"):
        m = _KID_RE.match(raw)
        if m:
            lines.append((pos + m.start("body"), pos + m.end("body")))
        pos += len(raw) + 1
    pairs = [_KID_PAIR_RE.match(text[a:e]) for a, e in lines]
    if len(lines) >= 2 and all(p and _RESIDENCY_RE.search(p.group("key")) for p in pairs):
        a = lines[0][0] + pairs[0].end()
        return key_value_facts(layout, b.key, Span(a, lines[-1][1]), sc, a, lines[-1][1], EXTRACTOR, tight=True)
    out: list[Fact] = []
    for (a, e), p in zip(lines, pairs):
        if p is None:
            out.extend(key_value_facts(layout, b.key, Span(a, e), sc, a, e, EXTRACTOR, tight=True))
    return out


def key_value_facts(layout: Layout, key: Span, value: Span, sc: Scope, start: int, end: int,
                    extractor: str, tight: bool = False) -> list[Fact]:
    """Facts of one key and its value, quoted ``text[start:end]``; ``tight``: the quote is the typed value
    itself (the amount, the degree), where ``start:end`` is the value span."""
    text = layout.text
    k, v = text[key.start:key.end], text[value.start:value.end]
    counted = _count_key(k)
    if counted:
        c = _LEADING_COUNT_RE.match(v.strip())
        if not c or "$" in v:
            return []
        lo, hi = float(c.group("a")), float(c.group("b") or c.group("a"))
        a = value.start + (len(v) - len(v.lstrip()))
        n_end = c.end("b") if c.group("b") else c.end("a")
        s_, e_ = (a, a + n_end) if tight else (start, end)
        return [program_fact(sc, counted, c.group(0)[:n_end].replace("–", "-").replace(" ", ""), s_, e_, extractor,
                             lo, hi, "exact" if lo == hi else "range")]
    attr = meaning(k)
    if "$" in v and attr in (None, "credits") and unit_of(k) in ("credit", "course", "year", "term", "month") \
            and not re.search(r"\b(?:fees?|deposits?)\b", k, re.I):
        attr = "tuition"          # "$725" over "Per Credit Hour": the value's type decides
    if attr is None:
        return []
    if attr == "tuition":
        m = money_cell(v) if "$" in v or "USD" in v else None
        if m is None or (m.low is None and m.high is None):
            return []
        unit = m.unit or unit_of(v[m.end:]) or unit_of(k)
        if not tight:
            f = money_fact(sc, m, unit, start, end, extractor)
            return [f] if f else []
        m = m._replace(covers=m.covers or covers_of_context(k))   # "Tuition: $18,500" covers tuition
        return _money_value_facts(sc, v, value.start, m, unit, extractor)
    if attr == "credits":
        if "$" in v:
            return []
        c = count_in(v)
        if c is None and re.fullmatch(r"\d{4,5}", v.strip()):
            n = float(v.strip())   # "Credits: 2026" is implausible but stated: the validation gate quarantines it
            c = (0, len(v.strip()), n, n)
        if c is None or c[2] < 1:
            return []
        _, _, lo, hi = c
        options = [float(x) for x in re.findall(r"(?<![\w$.,])(\d{1,3})\s*(?:credit|unit|semester|hour)", v, re.I)]
        if len(set(options)) > 1:     # "Thesis – 33 credit hours | Professional – 36 credit hours"
            lo, hi = min(options), max(options)
        value_s = f"{int(lo)}" if lo == hi else f"{int(lo)}-{int(hi)}"
        return [program_fact(sc, "credits", value_s, start, end, extractor, lo, hi,
                             "exact" if lo == hi else "range")]
    if attr == "gre_policy":
        pol = gre_cell(v)
        return [program_fact(sc, "gre_policy", pol, start, end, extractor)] if pol else []
    if attr == "delivery_format":
        if len(v) <= 60 and (format_cell(v) or len(v.split()) <= 4):
            return [program_fact(sc, "delivery_format", v.strip(), start, end, extractor)]
        return []
    if attr == "degree_title":
        d = find_degree(v)
        if d:
            deg = v[d[0]:d[1]]
            if tight:
                start, end = value.start + d[0], value.start + d[1]
            return [program_fact(sc, "degree_title", deg, start, end, extractor, degree=deg)]
    return []


#: keys whose value is a count of courses: the degree's ML core courses, the courses to graduate (a per-course
#: price x this count is the total, flows/resolve)
_COUNT_KEYS = (
    ("ml_core_courses", re.compile(r"^(?:(?:ML|machine learning)\s+(?:core\s+)?courses|core\s+(?:ML|machine learning)\s+"
                                   r"courses)$", re.I)),
    ("course_count", re.compile(r"^(?:(?:total|number of)\s+)?courses(?:\s+(?:required|to graduate))?$|^course count$",
                                re.I)),
)
_LEADING_COUNT_RE = re.compile(r"(?P<a>\d{1,2})(?:\s?[-–]\s?(?P<b>\d{1,2}))?(?![\d.,%])(?:\s+(?:courses|required)\b)?")


def _count_key(key: str) -> str | None:
    k = key.strip(" :*_")
    return next((attr for attr, rx in _COUNT_KEYS if rx.match(k)), None)


_RESIDENCY_RE = re.compile(r"\b(?:in[- ]state|out[- ]of[- ]state|resident|non[- ]?resident)\b", re.I)


def _money_value_facts(sc: Scope, v: str, at: int, m, unit: str | None, extractor: str) -> list[Fact]:
    """The amounts of one money value, each quoted alone: "$540 (in-state), $810 (out-of-state)" is one
    range of rates; "$900/credit x 32 credits = $28,800" is a per-credit price, the credit count and the
    total it multiplies to."""
    ms = money_in(v)
    rates = [x for x in ms if x.low is not None and (x.unit or unit_of(v[x.end:]) or unit) == unit]
    if len(rates) == 2 and _RESIDENCY_RE.search(v) and rates[0].start == m.start:
        lo, hi = sorted([rates[0].low, rates[1].low])
        m = MoneySpan(rates[0].start, rates[1].end, lo, hi, "range" if lo != hi else "exact", unit, m.covers)
        return [f for f in [money_fact(sc, m, unit, at + m.start, at + m.end, extractor)] if f]
    out = [f for f in [money_fact(sc, m, unit, at + m.start, at + m.end, extractor)] if f]
    if unit != "credit":
        return out
    got = times_credits(v, m.end)
    if got:
        c, total = got
        out.append(program_fact(sc, "credits", str(int(c.low)), at + c.start, at + c.end, extractor, c.low, c.low,
                                "exact"))
        if total is not None:
            f = money_fact(sc, total, total.unit, at + total.start, at + total.end, extractor)
            out.extend([f] if f else [])
    return out


# ---------------------------------------------------------------- names listed after a key

#: keys that introduce a list of course names or of specializations ("Core courses:", "Sample courses:",
#: "Concentrations offered:")
_LIST_KEY_RE = re.compile(
    r"^(?:(?P<core>core|required|foundational)\s+|(?:sample|featured|notable|key|example|selected|popular|"
    r"representative|typical)\s+)?(?:courses|classes)(?:\s+(?:include|offered|covered))?$"
    r"|^(?P<spec>speciali[sz]ations|concentrations|tracks|focus\s+areas|specialization\s+options)"
    r"(?:\s+(?:offered|available|include))?$", re.I)
_SEP_RE = re.compile(r"\s*(?:[,;]\s*(?:and|or)\s+|[,;]\s*)")
_ITEM_RE = re.compile(r"^[A-Za-z][\w&/+'’().-]*(?:\s+[\w&/+'’().-]+){0,7}$")
_ABBR_RE = re.compile(r"\s*\([A-Z]{2,6}\)$")


def _list_items(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """Spans of the names in ``text[start:end]``, split at commas and semicolons (", and" / ", or" too); a
    bare " and " splits only the last part of a comma list, so "Robotics and Autonomous Systems" alone stays
    one name. None when any part is not a short name (a digit, a clause: "thesis or project, 2 terms")."""
    body = text[start:end].rstrip()
    if body.endswith("."):
        body = body[:-1]
    parts, pos = [], 0
    for sep in _SEP_RE.finditer(body):
        parts.append((pos, sep.start()))
        pos = sep.end()
    parts.append((pos, len(body)))
    if len(parts) > 1:
        ls, le = parts[-1]
        m = re.search(r"\s+(?:and|or)\s+", body[ls:le])
        if m:
            parts[-1:] = [(ls, ls + m.start()), (ls + m.end(), le)]
    out = []
    for a, b in parts:
        chunk = body[a:b]
        st = chunk.strip()
        if not st or not _ITEM_RE.match(st) or any(c.isdigit() for c in st):
            return None
        a += len(chunk) - len(chunk.lstrip())
        out.append((start + a, start + a + len(st)))
    return out


def listed_facts(layout: Layout, b: Block, sc: Scope | None) -> list[Fact]:
    """"Core courses: Tide Models, Harbor Statistics, and Surge Forecasting" / "Specializations: Reef Imaging,
    Port Logistics": each title-case name is a course (the scope's school provides it) or a specialization
    the scope's school offers; lower-case names after a core-courses key are core topics. A specialization
    needs a school; a list with one name that is not a title ("thesis or project") reads nothing."""
    from flows.extract.registry import load_registry
    from flows.extract.text import is_title_case

    if b.kind != FIELD or b.key is None or b.value is None:
        return []
    text = layout.text
    km = _LIST_KEY_RE.match(text[b.key.start:b.key.end].strip(" *_"))
    items = _list_items(text, b.value.start, b.value.end) if km else None
    if not items:
        return []
    reg = load_registry()
    names = [text[a:e] for a, e in items]
    titled = all(is_title_case(n, 0.99) and not reg.find_all(n) for n in names)
    school = sc if sc is not None and sc.how in ("item", "section", "page", "field") else None
    out: list[Fact] = []
    if km.group("spec"):
        if not titled or school is None:
            return []
        for (a, e), n in zip(items, names):
            name = _ABBR_RE.sub("", n)
            out.append(Fact("specialization", name, "university", school.school, school.start, school.end, EXTRACTOR))
            out.append(Fact("program", school.canonical, "specialization", name, school.start, school.end, EXTRACTOR))
        return out
    if titled:
        kind = "course"
    elif km.group("core") and len(items) >= 2 and all(n == n.lower() for n in names):
        kind = "core_topic"
    else:
        return []
    for (a, e), n in zip(items, names):
        out.append(Fact("course", n, "kind", kind, a, e, EXTRACTOR))
        if kind == "course" and school is not None:
            out.append(Fact("course", n, "provider", school.canonical, school.start, school.end, EXTRACTOR))
    return out


_FEE_RE = re.compile(r"\bfees?\b", re.I)


def field_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the key/value shapes of ``text`` (plain-text document model) that the document model's
    readers read: a field whose key has a program meaning or lists names, and a table whose rows are labelled
    by their first cell ("| Tuition (36 credits) | $815 per credit | $29,340 |", "| Technology fee | …").
    The sentence reader of the first design skips them, so one shape is read by one reader."""
    from flows.extract.layout.model import TABLE
    from flows.extract.layout.plaintext import layout_from_text

    layout = layout_from_text(text)
    out = []
    for b in layout.blocks:
        if b.kind == FIELD and b.key is not None:
            k = text[b.key.start:b.key.end].strip(" *_")
            if meaning(k) or _LIST_KEY_RE.match(k):
                out.append((b.start, b.end))
        elif b.kind == TABLE and b.role is None:
            labels = [text[r[0].start:r[0].end] for r in b.rows[b.header:] if r]
            if len(labels) >= 2 and all(len(t) <= 60 for t in labels) and \
                    sum(1 for t in labels if meaning(t) or _FEE_RE.search(t)) * 2 >= len(labels):
                out.append((b.start, b.end))
    return out
