"""Program facts stated in running prose.

Two shapes:

* school-by-school prose: a short heading line that starts with a school and maybe a degree
  ("Lakeside Tech OMXX (Data Track)") followed by paragraphs ("Total cost is typically under
  $9,500"); facts attach to the heading's school/degree until the next heading. Every program heading
  also yields a ``mention`` fact. A page whose title line is a program heading (a school's own page)
  lends that school to sentences that name no school.
* sentences naming several schools at once: GRE policy for a list of schools, "A (~$6,100), B
  (~$18,000)", "Mid-range programs (A, B, C) fall in the $41,000-$44,500 range", "from roughly $6,100 at
  A to over $70,000 at B and C", "A, B and C all offer fully asynchronous delivery".

A tuition fact needs a school in scope and cost wording; salary wording never yields tuition.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from flows.extract.model import Fact
from flows.extract.text import Spans, line_spans
from flows.extract.money import TOTAL_UNITS, MoneySpan, find_money, load_columns, money_text

#: a sentence naming a fee but not tuition: its per-term / per-year amounts are charges, not tuition
_FEE_WORD_RE = re.compile(r"\b(?:fees?|deposits?|surcharges?)\b", re.IGNORECASE)
#: rate units a sentence may state one amount each of, beside its total
RATE_UNITS = (("credit",), ("course",), ("year",), ("term",))
from flows.extract.registry import Mention, load_degrees, load_registry
from flows.extract.scope import distinct as _distinct  # one definition: the first mention of each school
from flows.extract.layout.tables import find_tables, table_spans
from flows.extract.values import DEGREE_START_RE

EXTRACTOR_HEADING = "school_prose"
EXTRACTOR_SENTENCE = "multi_school_sentence"

_BULLET_RE = re.compile(r"^\s*(?:[-*•·▪‣◦●]\s+|\d{1,2}[.)]\s+)")
_HEADING_MARK_RE = re.compile(r"^\s*(?:#{1,6}\s*)?(?:\*\*|__)?(?:#?\d{1,2}[.):]\s+|(?<=#)\d{1,2}\s+|[IVX]{1,4}\.\s+)?")


class Scope(NamedTuple):
    subject: str
    degree: str | None


class ProgramHeading(NamedTuple):
    subject: str
    subject_start: int
    degree: str | None
    degree_start: int
    degree_end: int


# ---------------------------------------------------------------- lines, headings, sentences

lines_of = line_spans  # every line, blank ones included, as spans


def is_heading_like(line: str) -> bool:
    """A short title-ish line: few words, no sentence punctuation at the end, no money, not a bullet."""
    t = line.strip()
    md = bool(_MD_HEADING_RE.match(line))  # a markdown heading is a heading by its markup: longer ones too
    if not 3 <= len(t) <= (160 if md else 90) or _BULLET_RE.match(line) and not re.match(r"^\s*\d{1,2}[.)]\s", line):
        return False
    if t.endswith((".", "!", "?", ",", ";")) or "$" in t or "|" in t or "\t" in t:
        return False
    if re.match(r"^[\w ()/&-]{1,30}:\s+\S", t) and not t.endswith(":"):
        return False  # "Key: value"
    return len(t.split()) <= (20 if md else 12)


_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+\S")


def question_heading(line: str) -> bool:
    """A question on a line of its own, as FAQ and section headings are ("How Much Does It Cost?")."""
    t = line.strip().strip("*_#").strip()
    return bool(t.endswith("?") and t[:1].isupper() and 2 <= len(t.split()) <= 16 and "$" not in t
                and t.count("?") == 1)


def school_mentions(text: str) -> list[Mention]:
    """Institution mentions (registry and unseen), without platforms/providers, non-overlapping."""
    reg = load_registry()
    out: list[Mention] = []
    reach = -1  # the furthest end of a kept mention: find_all is sorted by start, so a mention overlaps a
    # kept one exactly when it starts before that end (linear, not kept x found)
    for m in reg.find_all(text):
        if reg.is_provider(m.text) or m.start < reach:
            continue
        if not m.known and _bad_unseen(m.text):
            continue
        out.append(m)
        reach = max(reach, m.end)
    return out


_INSTITUTION_TAIL_RE = re.compile(r"\s+(?:University|College|Polytechnic|Institute(?:\s+of\s+Technology)?)$")
_WEAK_STEMS = {"state", "the", "online", "national", "american", "global", "international", "city", "community",
               "technical", "new", "north", "south", "east", "west", "central", "public", "private", "our",
               "saint", "st.", "san", "santa", "los", "las", "el", "la", "le", "fort", "mount", "lake", "port"}


def short_names(text: str, names: tuple[str, ...] = ()) -> dict[str, Mention]:
    """Short forms of the unseen schools a document names in full: 'Lakeside' for 'Lakeside University',
    'Sorrel State' for 'Sorrel State University' (pages shorten a school's name after naming it once).
    ``names``: school names read elsewhere on the page (table cells, where run-together text hides them)."""
    out: dict[str, Mention] = {}
    found = list(school_mentions(text))
    for name in names:
        found.extend(m for m in school_mentions(name) if m.start == 0 and m.end == len(name.strip()))
    for m in found:
        if m.known:
            continue
        tail = _INSTITUTION_TAIL_RE.search(m.text)
        stem = m.text[:tail.start()].strip() if tail else ""
        words = stem.split()
        # the stem and its leading-word prefixes: "Sorrel State", "Sorrel" for "Sorrel State University"
        for k in range(len(words), 0, -1):
            short = " ".join(words[:k])
            if short.lower() in _WEAK_STEMS or words[k - 1].lower() in _WEAK_STEMS and k < len(words) \
                    or not short[0].isupper() or len(short) < 4:
                continue
            if short in out and (out[short] is None or out[short].canonical != m.canonical):
                out[short] = None  # two schools share the short name: ambiguous
                continue
            out.setdefault(short, m)
    return ShortNames((k, v) for k, v in out.items() if v is not None)


class ShortNames(dict):
    """A document's short school names (short form -> full mention), with the one matcher that finds all of
    them in a sentence (built once per document, see ``with_short_names``)."""

    _finder: tuple | None = None

    def finder(self) -> tuple:
        if self._finder is None:
            self._finder = _short_finder(self)
        return self._finder


#: what may follow a short name: a possessive, a non-word character or the end
_SHORT_END_RE = re.compile(r"['’]s\b|[^\w-]|$")


def _short_finder(shorts: dict[str, Mention]) -> tuple:
    """(pattern, order, prefixes): ``pattern`` finds, at every position where some short name starts, the longest
    one (zero-width, so positions inside another match are seen too); ``prefixes[stem]`` lists the short names
    that are word-prefixes of ``stem`` (itself included) and so may match at the same position; ``order`` is each
    name's place in ``shorts``, the order in which the per-name scan used to claim text."""
    from flows.extract.registry import names_alternation

    stems = list(shorts)
    pattern = re.compile(r"(?<![\w-])(?=(" + names_alternation(stems) + r")(?:['’]s\b|[^\w-]|$))")
    return pattern, {st: i for i, st in enumerate(stems)}, _prefix_lists(stems)


def _prefix_lists(stems: list[str]) -> dict[str, list[str]]:
    """``{stem: [every stem that is a prefix of it]}`` without comparing all pairs (a stem's prefixes are among
    its own leading substrings)."""
    have = set(stems)
    return {st: [st[:k] for k in range(1, len(st) + 1) if st[:k] in have] for st in stems}


def with_short_names(sent: str, ms: list[Mention], shorts: dict[str, Mention] | None) -> list[Mention]:
    """``ms`` plus mentions of the document's short school names in ``sent`` (possessive allowed).

    Where two short names could claim the same words, the one earlier in ``shorts`` wins, and each name claims
    its matches left to right (as scanning the sentence once per name would), but the sentence is scanned once
    for all of them: linear in the sentence however many schools the page names."""
    if not shorts:
        return ms
    # an unseen name that is only the short form of a school the page names in full ("Sorrel Polytechnic"
    # for "Sorrel Polytechnic Institute") is that school
    ms = [Mention(m.start, m.end, shorts[m.text].text, shorts[m.text].canonical, False)
          if not m.known and m.text in shorts and shorts[m.text].canonical != m.canonical else m for m in ms]
    pattern, order, prefixes = shorts.finder() if isinstance(shorts, ShortNames) else _short_finder(shorts)
    per_stem: dict[str, list[int]] = {}
    for g in pattern.finditer(sent):
        pos = g.start()
        for stem in prefixes[g.group(1)]:
            if _SHORT_END_RE.match(sent, pos + len(stem)):
                per_stem.setdefault(stem, []).append(pos)
    if not per_stem:
        return ms
    extra: list[Mention] = []
    for stem in sorted(per_stem, key=order.__getitem__):
        full, last_end = shorts[stem], -1
        for pos in per_stem[stem]:
            if pos < last_end:  # a scan for this one name would not have seen it (inside its previous match)
                continue
            last_end = pos + len(stem)
            if any(pos < o.end and o.start < last_end for o in ms) or any(
                    pos < o.end and o.start < last_end for o in extra):
                continue
            extra.append(Mention(pos, last_end, full.text, full.canonical, False))
    return sorted(ms + extra, key=lambda m: m.start) if extra else ms


def _bad_unseen(name: str) -> bool:
    words = name.split()
    return len(words) > 6 or words[0].lower() in ("the", "a", "an", "this", "that", "each", "every", "any", "our")


def program_heading(text: str, s: int, e: int) -> ProgramHeading | None:
    """A heading line that starts with a school, optionally followed by a degree."""
    line = text[s:e]
    if not is_heading_like(line):
        return None
    lead = _HEADING_MARK_RE.match(line)
    off = s + (lead.end() if lead else 0)
    body_end = e
    while body_end > off and text[body_end - 1] in " :*_#":
        body_end -= 1
    body = text[off:body_end]
    while body.startswith(("*", "_")):
        off += 1
        body = body[1:]
    ms = school_mentions(body)
    if not ms:
        return None
    first = ms[0]
    pre = body[:first.start].strip()
    if pre and pre.lower() != "the":
        return None
    rest = body[first.end:]
    gap = re.match(r"^(?:['’]s)?[\s,:—–-]*", rest)
    dstart = first.end + (gap.end() if gap else 0)
    degree = body[dstart:].strip()
    if degree:
        others = [m for m in ms[1:] if m.canonical != first.canonical]
        if others or not _looks_like_degree(degree):
            return None
        dend = dstart + len(degree)
        return ProgramHeading(first.text, off + first.start, degree, off + dstart, off + dend)
    return ProgramHeading(first.text, off + first.start, None, -1, -1)


@lru_cache(maxsize=1)
def _degree_line_re() -> re.Pattern[str]:
    degs = load_degrees()
    words = sorted(set(degs.get("levels", {})) | set(degs.get("abbreviations", {})) |
                   {"Master", "Masters", "Master's", "M.S.E.", "MSE", "M.A.S.", "MAS"}, key=len, reverse=True)
    body = "|".join(re.escape(w) for w in words)
    return re.compile(rf"^(?:(?:An?|The)\s+)?(?:Online\s+|Hybrid\s+)?(?:{body})(?![\w])", re.IGNORECASE)


def degree_line(text: str, s: int, e: int) -> tuple[int, int] | None:
    """Span of a line that is only a degree title ("Online M.S. in Applied AI", "Master of Science in
    Data Science (AI Track)"), as ranking lists put under a school's heading; None otherwise."""
    line = text[s:e]
    if not is_heading_like(line) or _BULLET_RE.match(line):
        return None
    lead = re.match(r"^[\s#*_]*", line)
    a, b = s + (lead.end() if lead else 0), e
    while b > a and text[b - 1] in " *_:":
        b -= 1
    body = text[a:b]
    if not _degree_line_re().match(body) or school_mentions(body):
        return None
    if not re.search(r"\b(?:in|of)\b|\(|^[A-Z.]{2,8}$", body) and body.split()[0].lower() not in \
            {k.lower() for k in load_degrees().get("abbreviations", {})}:
        return None
    return a, b


def _looks_like_degree(s: str) -> bool:
    if DEGREE_START_RE.match(s) or s.startswith("("):
        return True
    levels = load_degrees().get("levels", {})
    return any(s.startswith(k) for k in levels)


_SENT_END_RE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[A-Z0-9\"“(~$])")


def sentences(text: str, s: int, e: int) -> list[tuple[int, int]]:
    out, cur = [], s
    for m in _SENT_END_RE.finditer(text, s, e):
        prev = text[max(s, m.start() - 4):m.start()]
        if re.search(r"(?:\b[A-Z]|\be\.g|\bi\.e|\bvs|\bSt|\bDr|\bapprox)\.$", prev):
            continue
        out.append((cur, m.start()))
        cur = m.end()
    if cur < e:
        out.append((cur, e))
    return [(a, b) for a, b in out if text[a:b].strip()]


# ---------------------------------------------------------------- vocab helpers

@lru_cache(maxsize=1)
def _word_re(key: str) -> re.Pattern[str]:
    words = sorted(load_columns()[key], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def has_words(key: str, s: str) -> bool:
    return bool(_word_re(key).search(s))


_FOR_PRICE_RE = re.compile(r"\bfor\s+(?:about\s+|roughly\s+|around\s+|approximately\s+|just\s+|only\s+|~\s?)?"
                           r"(?:(?:just\s+)?(?:under|less than|below)\s+)?\$\s?\d",
                           re.IGNORECASE)


def cost_context(sentence: str, paragraph: str) -> bool:
    if has_words("salary_words", sentence):
        return False
    return has_words("cost_words", sentence) or bool(_FOR_PRICE_RE.search(sentence)) or (
        has_words("program_words", sentence) and has_words("cost_words", paragraph))


@lru_cache(maxsize=1)
def _gre_res() -> list[tuple[str, re.Pattern[str]]]:
    return [(policy, re.compile(r"\b(?:" + "|".join(frags) + r")\b", re.IGNORECASE))
            for policy, frags in load_columns()["gre_phrases"].items()]


def gre_policies(clause: str) -> tuple[list[str], tuple[int, int] | None]:
    """Policies a clause states about the GRE and the span (within the clause) of the wording."""
    found: list[tuple[str, int, int]] = []
    for policy, rx in _gre_res():
        for m in rx.finditer(clause):
            if any(m.start() < e and s < m.end() for _, s, e in found):
                continue
            found.append((policy, m.start(), m.end()))
    if not found:
        return [], None
    order = ("not_required", "optional", "required")
    pols = sorted({p for p, _, _ in found}, key=order.index)
    if "required" in pols and len(pols) > 1:
        pols.remove("required")  # "not required", "required ... can be waived"
        found = [f for f in found if f[0] != "required"]
    return pols, (min(s for _, s, _ in found), max(e for _, _, e in found))


_CLAUSE_SPLIT_RE = re.compile(r";|,\s+(?:though|although|but|while|whereas)\b|\s+(?:but|whereas)\s+")


_AND_SPLIT_RE = re.compile(r",\s+and\s+")


def clauses(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Clauses of a sentence about the GRE: split at ';' and contrast words, and at ', and' when
    both sides state a policy ("A asks applicants to submit them, and B has made the exam optional");
    a list ("A, B, and C have dropped it") stays whole."""
    out, cur = [], s
    for m in _CLAUSE_SPLIT_RE.finditer(text, s, e):
        out.append((cur, m.start()))
        cur = m.start()
    out.append((cur, e))
    final: list[tuple[int, int]] = []
    for cs, ce in out:
        cur = cs
        for m in _AND_SPLIT_RE.finditer(text, cs, ce):
            if gre_policies(text[cur:m.start()])[0] and gre_policies(text[m.start():ce])[0]:
                final.append((cur, m.start()))
                cur = m.start()
        final.append((cur, ce))
    return final


@lru_cache(maxsize=1)
def _format_re() -> re.Pattern[str]:
    phrases = sorted(load_columns()["format_phrases"], key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])", re.IGNORECASE)


_FORMAT_VERB_RE = re.compile(r"\b(?:offers?|provides?|delivers?|is|are|runs?|taught|delivered|offered)\b[^.;]{0,25}$",
                             re.IGNORECASE)

_CREDITS_RE = re.compile(
    r"\b(?P<n>\d{2,3})(?:\s?[-–]\s?(?P<n2>\d{2,3}))?[- ](?:(?:total|required)\s+)?(?:credit[- ]hour|semester[- ]hour|quarter[- ]hour|credit|unit)s?\b",
    re.IGNORECASE)


@lru_cache(maxsize=1)
def _number_words() -> dict[str, int]:
    return {k.lower(): int(v) for k, v in (load_columns().get("number_words") or {}).items()}


def count_value(tok: str) -> int | None:
    """'5' -> 5, 'five' -> 5 (number words are reference data); None otherwise."""
    t = tok.strip().lower()
    return int(t) if t.isdigit() else _number_words().get(t)


@lru_cache(maxsize=1)
def _ml_count_re() -> re.Pattern[str]:
    cols = load_columns()
    num = r"\d{1,2}|" + "|".join(sorted(_number_words(), key=len, reverse=True))
    subj = "|".join(cols.get("ml_course_subjects") or ["ML"])
    qual = "|".join(re.escape(w) for w in cols.get("ml_course_qualifiers") or ["core"])
    return re.compile(
        rf"(?<![\w$.,-])(?P<atl>at least\s+)?(?P<n>{num})(?:\s?(?:[-–]|to|or)\s?(?P<n2>{num}))?(?P<plus>\+)?\s+"
        rf"(?:(?:{qual})\s+)*(?:{subj})\s+(?:(?:{qual})\s+)?courses?\b", re.IGNORECASE)


def ml_course_counts(sent: str) -> list[tuple[int, int, float, float | None, str]]:
    """(start, end, low, high, qualifier) of each "N [core] ML [core] courses" count in ``sent``."""
    out = []
    for m in _ml_count_re().finditer(sent):
        lo, hi = count_value(m.group("n")), count_value(m.group("n2")) if m.group("n2") else None
        if lo is None or not 0 < lo <= 30:
            continue
        if m.group("n2"):
            if hi is None or not lo < hi <= 30:
                continue
            out.append((m.start(), m.end(), float(lo), float(hi), "range"))
        elif m.group("plus") or m.group("atl"):
            out.append((m.start(), m.end(), float(lo), None, "at_least"))
        else:
            out.append((m.start(), m.end(), float(lo), float(lo), "exact"))
    return out


# ---------------------------------------------------------------- fact builders

def _fact(subject: str, degree: str | None, attribute: str, value: str, start: int, end: int, extractor: str,
          **kw) -> Fact:
    return Fact("program", subject, attribute, value, start, end, extractor, degree=degree, **kw)


_TOTAL_AFTER_RE = re.compile(r"^\s*(?:in\s+)?(?:total|tuition|overall|all[- ]in|for the (?:whole|entire|full) "
                             r"(?:program|degree))\b", re.IGNORECASE)
_TOTAL_BEFORE_RE = re.compile(r"\b(?:total(?:\s+(?:tuition|cost|program cost|price))?|tuition|program cost)"
                              r"(?:\s+(?:is|was|of|totals|runs|comes to|costs))?\s*:?\s*$", re.IGNORECASE)


def _stated_total(sent: str, m: MoneySpan) -> bool:
    """The words touching a small amount say it is the program's total ("$7 total tuition")."""
    return bool(_TOTAL_AFTER_RE.match(sent[m.end:m.end + 40]) or _TOTAL_BEFORE_RE.search(sent[max(0, m.start - 40):m.start]))


def _money_fact(subject: str, degree: str | None, m: MoneySpan, base: int, extractor: str,
                sent: str = "") -> Fact | None:
    attr = "tuition_per_credit" if m.unit == "credit" else "tuition"
    if m.unit in TOTAL_UNITS and ((m.low or 0) < 1000 and (m.high or 0) < 1000) and not _stated_total(sent, m):
        return None  # a fee (application, per-term), not a program total -- unless the words say total
    return _fact(subject, degree, attr, money_text(m.low, m.high, m.qualifier), base + m.start, base + m.end,
                 extractor, value_num=m.low, value_num_high=m.high, qualifier=m.qualifier, unit=m.unit, covers=m.covers)


def _degree_after(sent: str, m: Mention) -> str | None:
    """'Lakeside's OMXX ...' -> 'OMXX' when the word after the possessive is a known degree abbreviation."""
    g = re.match(r"['’]s\s+(?:online\s+)?([A-Z][A-Za-z.]*(?:[-/][A-Z]+)?)\b", sent[m.end:], re.IGNORECASE)
    if not g:
        return None
    tok = g.group(1)
    abbrevs = set(load_degrees().get("abbreviations", {}))
    if tok in abbrevs or _DEGREE_ACRONYM_RE.fullmatch(tok):
        return tok
    p = _POSSESSIVE_DEGREE_PHRASE_RE.match(sent[m.end:])
    return p.group("deg") if p else None


#: whole-degree acronyms: "MSXX", "OMSXX" (online master's), "MEXX"
_DEGREE_ACRONYM_RE = re.compile(r"O?M(?:S|E|Eng|C)[A-Z]{1,4}")
#: "'s MS in AI", "'s online M.S. in Data Science", "'s Master of Science in Applied AI"
_POSSESSIVE_DEGREE_PHRASE_RE = re.compile(
    r"['’]s\s+(?:[Oo]nline\s+)?(?P<deg>(?:M\.\s?S\.|MS|M\.\s?Eng\.|MEng|MSc|[Mm]aster(?:['’]s)?(?:\s+of\s+[A-Z][a-z]+)?)"
    r"\s+in\s+[A-Z][\w&-]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w&-]*){0,4})")


def _list_after(sent: str, pos: int, ms: list[Mention]) -> list[Mention]:
    """Schools listed starting at ``pos`` ("A, B, and C")."""
    out = []
    cur = pos
    for m in ms:
        if m.start < cur:
            continue
        between = sent[cur:m.start]
        if out and not re.fullmatch(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*&\s*)", between):
            break
        if not out and not re.fullmatch(r"\s*(?:the\s+)?", between):
            break
        out.append(m)
        cur = m.end
        ext = re.match(r"['’]s\b", sent[cur:])
        if ext:
            cur += ext.end()
    return out


def _money_assignments(sent: str, ms: list[Mention], moneys: list[MoneySpan]) -> list[tuple[Mention, MoneySpan]]:
    """Pair schools with amounts in a sentence naming one or more schools."""
    pairs: list[tuple[Mention, MoneySpan]] = []
    used: set[int] = set()
    # A (~$X), B (~$Y)
    for i, mo in enumerate(moneys):
        before = sent[:mo.start]
        after = sent[mo.end:]
        if re.search(r"\(\s*$", before) and re.match(r"\s*(?:total\s*)?\)", after):
            paren = before.rstrip()[:-1].rstrip()
            owner = [m for m in ms if m.end == len(paren) or (m.end < len(paren) and re.fullmatch(
                r"(?:['’]s)?\s*(?:online\s+)?[A-Z][\w.&/-]*(?:\s+[A-Z][\w.&/-]*)?", paren[m.end:]))]
            if owner:
                pairs.append((owner[-1], mo))
                used.add(i)
    # A's $X ("Lakeside's $21,000 is the lowest price")
    for i, mo in enumerate(moneys):
        if i in used:
            continue
        owner = [m for m in ms if re.fullmatch(r"['’]s\s+(?:(?:total|tuition|price|cost|sticker price)\s+of\s+)?",
                                               sent[m.end:mo.start])]
        if owner:
            pairs.append((owner[-1], mo))
            used.add(i)
    # (A, B, C) ... $X
    for g in re.finditer(r"\(([^()]{2,200})\)", sent):
        inside = [m for m in ms if g.start(1) <= m.start and m.end <= g.end(1)]
        listed = _list_after(sent, g.start(1), inside)
        if len(listed) < 1 or sent[listed[-1].end:g.end(1)].strip(" ,") or \
                sent[g.start(1):listed[0].start].strip():
            continue
        nxt = [(i, mo) for i, mo in enumerate(moneys) if mo.start > g.end() and i not in used]
        if nxt:
            i, mo = nxt[0]
            if not re.search(r"[;.]", sent[g.end():mo.start]) and not any(g.end() <= m.start < mo.start for m in ms):
                pairs.extend((m, mo) for m in listed)
                used.add(i)
    # $X at A ... $Y at B and C
    for i, mo in enumerate(moneys):
        if i in used:
            continue
        g = re.match(r"\s*(?:total\s+|in total\s+|per year\s+)?(?:at|for|with)\s+", sent[mo.end:])
        if g:
            listed = _list_after(sent, mo.end + g.end(), ms)
            if listed:
                pairs.extend((m, mo) for m in listed)
                used.add(i)
    # A and B (both) cost less than $X, while C tops $Y: per clause, the schools listed at its start
    for cs, ce in _comparison_clauses(sent, ms):
        cms = [m for m in ms if cs <= m.start and m.end <= ce]
        cmo = [(i, mo) for i, mo in enumerate(moneys) if cs <= mo.start and mo.end <= ce and i not in used]
        lead = sent[cs:cms[0].start] if cms else ""
        if not cms or len(cmo) != 1 or lead.strip(" ,;—–-").lower() not in ("", "the", "both") \
                and not _LEAD_IN_RE.fullmatch(lead):
            continue
        listed = _list_after(sent, cms[0].start, cms)
        i, mo = cmo[0]
        if len(listed) != len(cms) or mo.start < listed[-1].end or any(m.start > mo.start for m in cms) \
                or len(_distinct(ms)) < 2:
            continue
        pairs.extend((m, mo) for m in listed)
        used.add(i)
    # one school, one amount
    rest = [mo for i, mo in enumerate(moneys) if i not in used]
    if not pairs and len(_distinct(ms)) == 1:
        # one school: its one total and its one per-credit price ("$1,100 per credit ... near $39,600")
        for unit in (TOTAL_UNITS, *RATE_UNITS):  # one amount per unit ("$1,100 per credit ... near $39,600")
            of_unit = [mo for mo in rest if mo.unit in unit]
            if len(of_unit) == 1:
                pairs.append((ms[0], of_unit[0]))
    return pairs


_COMPARE_SPLIT_RE = re.compile(r";|,?\s+(?:while|whereas|but|and yet)\s+|,\s+(?:and|compared (?:with|to))\s+(?=[A-Z])")


#: a short lead-in before a clause's school: "Overall, ", "By contrast, the "
_LEAD_IN_RE = re.compile(r"\s*[A-Za-z]+(?:\s+[A-Za-z]+){0,3},\s+(?:the\s+)?")


def _comparison_clauses(sent: str, ms: list[Mention] | None = None) -> list[tuple[int, int]]:
    """Clauses of a comparison sentence: split at ';', 'while', 'whereas', ', and <Capital>', and -- given the
    sentence's school mentions -- at ', <School>' once the clause so far holds an amount ("A's total of $X is
    low, B lands near $Y, while C ...")."""
    cuts = [(m.start(), m.end()) for m in _COMPARE_SPLIT_RE.finditer(sent)]
    for m in ms or []:
        g = re.search(r",\s+(?:the\s+)?$", sent[:m.start])
        if g and not any(a <= g.start() < b for a, b in cuts):
            cuts.append((g.start(), g.start() + 1))
    cuts.sort()
    out, cur = [], 0
    for a, b in cuts:
        if a < cur:
            continue
        if b - a == 1 and not re.search(r"\$\s?\d", sent[cur:a]):
            continue  # ", B" inside a list of schools ("A, B and C cost ..."): not a new clause
        out.append((cur, a))
        cur = b
    out.append((cur, len(sent)))
    return out


@lru_cache(maxsize=1)
def _fee_words_re() -> tuple[re.Pattern[str], re.Pattern[str]]:
    fee = "|".join((load_columns().get("fee_table") or {}).get("fee") or ["fees?"])
    # "$250 enrollment deposit", "$65 application fee" -- but not "$39,000 before fees", "$X plus fees"
    stop = r"(?:before|after|plus|excluding|without|not|in|and|or|with|including|includes|of|for|per|\+)"
    after = re.compile(rf"^\s?(?:(?!{stop}\b)[-\w]+\s+){{0,2}}?(?:{fee})\b", re.IGNORECASE)
    before = re.compile(rf"\b(?:{fee})\s+(?:of|is|are|:|runs?|costs?|totals?)?\s*(?:about|roughly|~)?\s*$",
                        re.IGNORECASE)
    return after, before


def fee_amount(sent: str, m: MoneySpan) -> bool:
    """The amount is a fee or deposit ("a $250 enrollment deposit", "an application fee of $65"), never tuition."""
    after, before = _fee_words_re()
    return bool(after.match(sent[m.end:m.end + 40]) or before.search(sent[max(0, m.start - 40):m.start]))


_GENERIC_BEFORE_RE = re.compile(
    r"\b(?:programs|degrees|schools|universities|colleges|options)\b|\b(?:the|an?|national|overall)\s+average\b|"
    r"\b(?:most|many|typical|other)\s+(?:[\w'’-]+\s+){0,4}?(?:program|degree|school)s?\b", re.IGNORECASE)
_GENERIC_OWN_RE = re.compile(r"\b(?:both|the two|these two|their|its|each of (?:these|the)(?: two)?)\s+$", re.IGNORECASE)
_GENERIC_AFTER_RE = re.compile(
    r"^\s*(?:in total\s+|total\s+)?(?:for|at|among|across|of|in)\s+(?:most|many|other|typical|comparable|similar|"
    r"the average|average|peer|competing)\b|"
    r"^\s*(?:in total\s+|total\s+)?(?:for|at|among|across|of|in)\s+all\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:programs|degrees|schools|universities|colleges|options)\b", re.IGNORECASE)


def generic_amount(sent: str, mo: MoneySpan, ms: list[Mention]) -> bool:
    """The amount is about programs in general ("Most online programs cost between $X and $Y", "$X at most
    programs", "the average degree runs $X"), never one school's tuition: a plural programs/degrees subject
    (or "the average") in the amount's clause with no school named between it and the amount."""
    g = re.match(r"\s*(?:total\s+|in total\s+)?(?:at|for|with)\s+(?:the\s+)?", sent[mo.end:])
    if g and any(m.start == mo.end + g.end() for m in ms):
        return False  # "from roughly $X total at Lakeside to ...": the amount is that school's
    clause_start = 0
    for cs, ce in _comparison_clauses(sent, ms):
        if cs <= mo.start < ce:
            clause_start = cs
    after_school = max([m.end for m in ms if clause_start <= m.end <= mo.start] + [clause_start])
    before = sent[after_school:mo.start]
    for g in _GENERIC_BEFORE_RE.finditer(before):
        if not _GENERIC_OWN_RE.search(before[:g.start()]):
            return True
    return bool(_GENERIC_AFTER_RE.match(sent[mo.end:mo.end + 60]))


def sentence_facts(text: str, s: int, e: int, scope: Scope | None, para: str, gre_topic: bool,
                   shorts: dict[str, Mention] | None = None) -> list[Fact]:
    """Program facts of one sentence ``text[s:e]``; ``scope`` is the heading's school when the sentence
    names none; ``gre_topic`` says the previous sentence was about the GRE ("... still require it");
    ``shorts`` maps the document's short school names to their full mentions."""
    sent = text[s:e]
    ms = with_short_names(sent, school_mentions(sent), shorts)
    facts: list[Fact] = []
    ext = EXTRACTOR_SENTENCE if ms else EXTRACTOR_HEADING

    def owner(m: Mention) -> tuple[str, str | None]:
        if scope and m.canonical == load_registry().canonical(scope.subject):
            return scope.subject, scope.degree
        deg = _degree_after(sent, m)
        if deg is None and len(_distinct(ms)) == 1:  # "A charges $X for its online M.S. in Y"
            its = _ITS_DEGREE_RE.search(sent, m.end)
            deg = its.group("deg") if its else None
        return m.text, deg

    # GRE policy
    if re.search(r"\bGRE\b", sent) or (gre_topic and re.search(r"\b(?:it|them|the test|the exam|(?:test |the )?scores)\b", sent)):
        for cs, ce in clauses(text, s, e):
            clause = text[cs:ce]
            pols, span = gre_policies(clause)
            if not pols:
                continue
            cms = [m for m in ms if cs - s <= m.start and m.end <= ce - s]
            targets = [owner(m) for m in _distinct(cms)]
            if not cms and scope and not ms:
                targets = [(scope.subject, scope.degree)]
            elif not cms and len(_distinct(ms)) == 1 and ms[0].end <= cs - s:
                targets = [owner(ms[0])]  # "A costs $X; the GRE is optional": the sentence's one school
            for subj, deg in targets:
                facts.append(_fact(subj, deg, "gre_policy", "|".join(pols), cs + span[0], cs + span[1], ext))

    # money
    fee_only = bool(_FEE_WORD_RE.search(sent)) and not re.search(r"\btuition\b", sent, re.IGNORECASE)
    moneys = [m for m in find_money(sent) if m.unit != "month" and not fee_amount(sent, m)
              and not (fee_only and m.unit in ("year", "term", "course"))
              and not generic_amount(sent, m, ms)]
    priced = any(m.unit == "credit" for m in moneys) and _CREDITS_RE.search(sent)
    if moneys and not cost_context(sent, para) and not has_words("salary_words", sent) and not priced:
        # "$X per credit" is a price by itself; with a credit count beside it, the other amount is the total
        moneys = [m for m in moneys if m.unit == "credit"]
    if moneys and not has_words("salary_words", sent):
        if ms:
            for m, mo in _money_assignments(sent, ms, moneys):
                subj, deg = owner(m)
                f = _money_fact(subj, deg, mo, s, ext, sent)
                if f:
                    facts.append(f)
        elif scope:
            chosen = []
            for unit in (TOTAL_UNITS, *RATE_UNITS):  # one amount per unit
                of_unit = [mo for mo in moneys if mo.unit in unit]
                chosen += of_unit if len(of_unit) == 1 else []
            for mo in chosen:
                f = _money_fact(scope.subject, scope.degree, mo, s, ext, sent)
                if f:
                    facts.append(f)

    # credits
    if not re.search(r"\btransfer|\bup to\b|\bper (?:term|semester|quarter)\b|\beach\b", sent, re.IGNORECASE):
        cr = list(_CREDITS_RE.finditer(sent))
        dms = _distinct(ms)
        target = owner(dms[0]) if len(dms) == 1 else ((scope.subject, scope.degree) if scope and not ms else None)
        if len(cr) == 1 and target:
            m = cr[0]
            n1, n2 = int(m.group("n")), m.group("n2")
            if n2 and int(n2) > n1:
                facts.append(_fact(*target, "credits", f"{n1}-{n2}", s + m.start(), s + m.end(), ext,
                                   value_num=float(n1), value_num_high=float(n2), qualifier="range"))
            elif not n2:
                facts.append(_fact(*target, "credits", str(n1), s + m.start(), s + m.end(), ext,
                                   value_num=float(n1), value_num_high=float(n1), qualifier="exact"))

    # ML core course counts ("five core ML courses", "3-4 ML core courses")
    cm = ml_course_counts(sent)
    if len(cm) == 1:
        dms = _distinct(ms)
        target = owner(dms[0]) if len(dms) == 1 else ((scope.subject, scope.degree) if scope and not ms else None)
        if target:
            a, b, lo, hi, q = cm[0]
            value = f"{int(lo)}+" if q == "at_least" else (f"{int(lo)}-{int(hi)}" if q == "range" else str(int(lo)))
            facts.append(_fact(*target, "ml_core_courses", value, s + a, s + b, ext,
                               value_num=lo, value_num_high=hi, qualifier=q))

    # delivery format
    for fm in _format_re().finditer(sent):
        if not _FORMAT_VERB_RE.search(sent[:fm.start()]) and sent[:fm.start()].strip(" \t\"“-*"):
            continue  # a format phrase needs a verb before it, or must open the sentence ("100% online, ...")
        subj_ms = [m for m in ms if m.end <= fm.start()]
        listed = _list_after(sent, subj_ms[0].start, subj_ms) if subj_ms else []
        if subj_ms and listed and {m.canonical for m in listed} == {m.canonical for m in subj_ms}:
            targets = [owner(m) for m in _distinct(listed)]
        elif not ms and scope:
            targets = [(scope.subject, scope.degree)]
        else:
            targets = []
        for subj, deg in targets:
            facts.append(_fact(subj, deg, "delivery_format", fm.group(0), s + fm.start(), s + fm.end(), ext))
        break
    return facts


# ---------------------------------------------------------------- the extractor

def _skip_spans(text: str) -> list[tuple[int, int]]:
    spans = list(table_spans(text))
    try:
        from flows.extract.cards import card_spans
        spans.extend(card_spans(text))
    except ImportError:  # cards module absent: nothing more to skip
        pass
    return spans


_TITLE_SEP_RE = re.compile(r"\s+[|–—·-]\s+|\s*:\s+")


def _title_parts(text: str, s: int, e: int) -> ProgramHeading | None:
    """'Online M.S. in Data Science | Lakeside University' (a page title): one part is exactly a school,
    another only a degree."""
    line = text[s:e]
    if len(line) > 160 or not _TITLE_SEP_RE.search(line):
        return None
    parts, cur = [], 0
    for m in _TITLE_SEP_RE.finditer(line):
        parts.append((s + cur, s + m.start()))
        cur = m.end()
    parts.append((s + cur, e))
    school = degree = None
    for a, b in parts:
        a += len(text[a:b]) - len(text[a:b].lstrip(" #*_"))
        b -= len(text[a:b]) - len(text[a:b].rstrip(" *_"))
        if b <= a:
            continue
        ms = school_mentions(text[a:b])
        if ms and school is None and ms[0].start == 0 and not text[a + ms[0].end:b].strip():
            school = (ms[0].text, a)
            continue
        dl = degree_line(text, a, b)
        if dl and degree is None:
            degree = dl
    if school and degree:
        return ProgramHeading(school[0], school[1], text[degree[0]:degree[1]], degree[0], degree[1])
    return None


@lru_cache(maxsize=4)
def heading_schools(text: str) -> frozenset[str]:
    """Canonical schools that head a section of the page (program heading lines)."""
    reg = load_registry()
    out = set()
    for s, e in lines_of(text):
        if is_heading_like(text[s:e]):
            ph = program_heading(text, s, e)
            if ph:
                out.add(reg.canonical(ph.subject))
    return frozenset(out)


def page_program(text: str, lines: list[tuple[int, int]] | None = None) -> ProgramHeading | None:
    """The program a school's own page is about: a program heading (or a 'Degree | School' title) among
    the page's first short lines, before its first paragraph; None for other pages -- also when another
    school heads a section further down (a ranking whose first entry follows the title)."""
    ph = _page_program(text, lines)
    if ph is not None and heading_schools(text) - {load_registry().canonical(ph.subject)}:
        return None
    return ph


def _page_program(text: str, lines: list[tuple[int, int]] | None = None) -> ProgramHeading | None:
    lines = lines_of(text) if lines is None else lines
    head: list[tuple[int, int]] = []
    for s, e in lines:
        line = text[s:e]
        if not line.strip():
            continue
        if len(head) >= 4 or not is_heading_like(line) and not _TITLE_SEP_RE.search(line):
            break  # the first paragraph: titles end here
        head.append((s, e))
    for s, e in head:  # a heading naming school + degree wins over a "Degree | School" title
        ph = program_heading(text, s, e)
        if ph:
            return ph
    for s, e in head:
        ph = _title_parts(text, s, e)
        if ph:
            return ph
    # "Tuition & Fees | Lakeside University" over "Tuition & Fees: Online M.S. in Applied AI": the school is
    # one title part, the degree a part of another head line; one school only
    schools, degree = [], None
    for s, e in head:
        for a, b in _parts(text, s, e):
            ms = school_mentions(text[a:b])
            if ms and ms[0].start == 0 and not text[a + ms[0].end:b].strip():
                schools.append((ms[0], a))
                continue
            dl = degree_line(text, a, b)
            if dl and degree is None:
                degree = dl
    reg = load_registry()
    if degree and schools and len({reg.canonical(m.text) for m, _ in schools}) == 1:
        m, a = schools[0]
        return ProgramHeading(m.text, a, text[degree[0]:degree[1]], degree[0], degree[1])
    return None


def _parts(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """The parts of a title line split at ' | ', ' - ', ': ', trimmed of markup and spaces."""
    line = text[s:e]
    if len(line) > 160:
        return []
    out, cur = [], 0
    for m in _TITLE_SEP_RE.finditer(line):
        out.append((s + cur, s + m.start()))
        cur = m.end()
    out.append((s + cur, e))
    res = []
    for a, b in out:
        a += len(text[a:b]) - len(text[a:b].lstrip(" #*_"))
        b -= len(text[a:b]) - len(text[a:b].rstrip(" *_"))
        if b > a:
            res.append((a, b))
    return res


def _title_scope(text: str, lines: list[tuple[int, int]]) -> Scope | None:
    ph = page_program(text, lines)
    if ph:
        return Scope(ph.subject, ph.degree)
    hl = headline_school(text, lines)
    return Scope(hl.subject, hl.degree) if hl else None


_ITS_DEGREE_RE = re.compile(
    r"\bits\s+(?:[Oo]nline\s+)?(?P<deg>(?:M\.\s?S\.|MS|M\.\s?Eng\.|MEng|MSc|Master(?:['’]s)?(?:\s+of\s+[A-Z][a-z]+)?)"
    r"\s+in\s+[A-Z][\w&-]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w&-]*){0,4})")


def headline_school(text: str, lines: list[tuple[int, int]] | None = None) -> ProgramHeading | None:
    """A news story about one school: the headline opens with the school ("Lakeside University Adds ...")
    and the lede paragraph below names it too, and no section of the page is headed by another school.
    The degree is the lede's "its online M.S. in X" when it says so."""
    lines = lines_of(text) if lines is None else lines
    nonblank = [(s, e) for s, e in lines if text[s:e].strip()][:6]
    if not nonblank or not is_heading_like(text[nonblank[0][0]:nonblank[0][1]]):
        return None
    hs, he = nonblank[0]
    lead = re.match(r"^[\s#*_]*", text[hs:he])
    hs += lead.end() if lead else 0
    ms = school_mentions(text[hs:he])
    reg = load_registry()
    if not ms or ms[0].start != 0 or len({m.canonical for m in ms}) != 1:
        return None
    school = ms[0]
    for s, e in nonblank[1:]:
        line = text[s:e]
        if is_heading_like(line) or len(line.split()) < 8 or not line.rstrip().endswith((".", "\"", "”")):
            continue  # a byline, a dateline, a subtitle: the lede is the first whole sentence
        lms = school_mentions(line)
        if not lms or {m.canonical for m in lms} != {school.canonical}:
            return None
        if heading_schools(text) - {school.canonical}:
            return None
        dm = _ITS_DEGREE_RE.search(line)
        if dm:
            return ProgramHeading(school.text, hs, dm.group("deg"), s + dm.start("deg"), s + dm.end("deg"))
        return ProgramHeading(school.text, hs, None, -1, -1)
    return None


_PRONOUN_RE = re.compile(r"^\W*(?:its|it|the (?:school|university|college|program|degree))\b|\b(?:its|the school['’]s|"
                         r"the university['’]s|the college['’]s)\b", re.IGNORECASE)


def _ends_sentence(s: str) -> bool:
    t = s.rstrip().rstrip("*_\"'”’)")
    return not t or t[-1] in ".!?:;"


_GRE_WORD_RE = re.compile(r"\bGRE\b")


def _table_schools(text: str) -> tuple[str, ...]:
    """The school cells of the page's program tables."""
    out = []
    try:
        for t in find_tables(text):
            if t.group != "program" or "university" not in t.kinds:
                continue
            k = t.kinds.index("university")
            out.extend(text[r[k][0]:r[k][1]].strip() for r in t.rows)
    except (ValueError, IndexError):
        return ()
    return tuple(dict.fromkeys(x for x in out if x))


def extract_prose(text: str) -> list[Fact]:
    """Program facts from school-by-school prose and from sentences naming several schools."""
    if not text:
        return []
    lines = lines_of(text)
    skip = _skip_spans(text)
    title = _title_scope(text, lines)
    scope = title
    heading_scope: Scope | None = None  # the scope a program heading just set (until a paragraph)
    shorts = short_names(text, _table_schools(text))
    facts: list[Fact] = []
    section_gre = False  # the section heading above is about the GRE ("Do programs require the GRE?")
    tp = page_program(text, lines)
    if tp and tp.degree:  # the page's own program (a heading line below re-emits the same spans; dedupe keeps one)
        facts.append(_fact(tp.subject, tp.degree, "mention", tp.subject, tp.subject_start,
                           tp.subject_start + len(tp.subject), EXTRACTOR_HEADING))
        facts.append(_fact(tp.subject, tp.degree, "degree_title", tp.degree, tp.degree_start, tp.degree_end,
                           EXTRACTOR_HEADING))

    hl = None if tp else headline_school(text, lines)
    if hl and hl.degree:  # a news story's school and the degree its lede names
        facts.append(_fact(hl.subject, hl.degree, "degree_title", hl.degree, hl.degree_start, hl.degree_end,
                           EXTRACTOR_HEADING))

    tables = table_spans(text)

    skipped, in_table = Spans(skip).touches, Spans(tables).touches

    i = 0
    while i < len(lines):
        s, e = lines[i]
        i += 1
        line = text[s:e]
        if not line.strip():
            continue
        if skipped(s, e):
            if in_table(s, e):  # a comparison/careers table ends a school's section
                scope, heading_scope = title, None
            continue
        if is_heading_like(line) or question_heading(line) or _MD_HEADING_RE.match(line):
            section_gre = bool(_GRE_WORD_RE.search(line))
        ph = program_heading(text, s, e)
        if ph:
            facts.append(_fact(ph.subject, ph.degree, "mention", ph.subject, ph.subject_start,
                               ph.subject_start + len(ph.subject), EXTRACTOR_HEADING))
            if ph.degree:
                facts.append(_fact(ph.subject, ph.degree, "degree_title", ph.degree, ph.degree_start, ph.degree_end,
                                   EXTRACTOR_HEADING))
            scope = Scope(ph.subject, ph.degree)
            heading_scope = scope
            continue
        dl = degree_line(text, s, e)
        if dl and heading_scope is not None and scope == heading_scope and scope.degree is None:
            # a degree line right under a school heading names the program the section is about
            scope = heading_scope = Scope(scope.subject, text[dl[0]:dl[1]])
            facts.append(_fact(scope.subject, scope.degree, "degree_title", scope.degree, dl[0], dl[1],
                               EXTRACTOR_HEADING))
            continue
        heading_scope = None
        if question_heading(line) and (_MD_HEADING_RE.match(line) or not _BULLET_RE.match(line)):
            # "What Can You Do With a Master's in AI?" ends a school's section; a question naming one school
            # ("How much does Lakeside University cost?") makes it the scope of the answer below
            qms = _distinct(with_short_names(line, school_mentions(line), shorts))
            scope = Scope(qms[0].text, None) if len(qms) == 1 else title
            continue
        if is_heading_like(line) and not _BULLET_RE.match(line) or _MD_HEADING_RE.match(line):
            scope = title
            continue
        # a hard-wrapped paragraph: following lines continue it while a line ends mid-sentence
        while i < len(lines) and not _ends_sentence(text[s:e]) and "|" not in line:
            ns, ne = lines[i]
            nxt = text[ns:ne]
            if not nxt.strip() or skipped(ns, ne) or _BULLET_RE.match(nxt) or nxt.lstrip().startswith(("#", "|")) \
                    or program_heading(text, ns, ne) or degree_line(text, ns, ne):
                break
            e = ne
            i += 1
        para = text[s:e]
        gre_topic = False
        last_one: Scope | None = None  # the one school the previous sentence named
        # a paragraph naming one school only (a forum post, a news paragraph) is about that school: its
        # later sentences that name none take it, unless a section heading set another school
        para_ms = {m.canonical for m in with_short_names(para, school_mentions(para), shorts)}
        reg = load_registry()
        para_one = len(para_ms) == 1 and (scope is None or scope == title
                                          or reg.canonical(scope.subject) in para_ms)
        for ss, se in sentences(text, s, e):
            sent = text[ss:se]
            ms = _distinct(with_short_names(sent, school_mentions(sent), shorts))
            sc = scope
            if not ms and last_one and (para_one or _PRONOUN_RE.search(sent)):
                sc = last_one  # "Lakeside University is pricier. Its online M.S. costs roughly $24K"
            try:
                facts.extend(sentence_facts(text, ss, se, sc, para, gre_topic or section_gre, shorts))
            except (ValueError, IndexError, KeyError):  # odd sentence: fewer facts, never a crash
                continue
            if ms:
                last_one = Scope(ms[0].text, _degree_after(sent, ms[0])) if len(ms) == 1 else None
            gre_topic = bool(re.search(r"\bGRE\b", text[ss:se]))
    return facts
