"""Scope: which program every block of a Layout is about. One mechanism, one walk, pure.

Evidence, most local first:
  1. the block itself: a table row's school cell, a list item that opens with a school, a field whose
     key or value is a school ("University: Lakeside University");
  2. the enclosing sections: a heading that names exactly one school scopes every block under it
     (``Block.parent`` links, so nesting is exact), until a heading of the same or a higher level;
  3. a list item that opens with a school scopes its child items and the text up to the next item of
     its level (ranking pages: "1. Lakeside University" then a paragraph, then "2. …");
  4. the page: title, first heading, breadcrumb, byline/meta line ("from the University of …"), or — for
     a page that names exactly one school anywhere — that school, even when it is named only in a late
     paragraph or the footer.
A block under a heading that names *several* schools (a comparison) has no section scope: its values are
read only where a sentence names its school itself.

Names are found once per document: the institution registry (reference data with aliases) plus unseen
names that look like institutions, plus the short forms of the unseen names the page spells out in full
("Lakeside" after "Lakeside University") — all in one pass over the text, so the cost is linear in the
page however many schools it names.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from flows.extract.layout.model import FIELD, HEADING, ITEM, META, PARAGRAPH, TABLE, TITLE, Layout
from flows.extract.registry import Mention, load_degrees, load_registry, names_alternation


@dataclass(frozen=True, slots=True)
class Scope:
    school: str            # as written (first mention that established the scope)
    canonical: str         # canonical name (registry) or the unseen name cleaned
    degree: str | None     # degree as written when the scope names one
    start: int             # span of the mention that established the scope
    end: int
    how: str               # row | item | field | section | page | sentence


# ------------------------------------------------------------------------------------ names

_INSTITUTION_TAIL_RE = re.compile(r"\s+(?:University|College|Polytechnic|Institute(?:\s+of\s+Technology)?)$")
_WEAK_STEMS = {"state", "the", "online", "national", "american", "global", "international", "city", "community",
               "technical", "new", "north", "south", "east", "west", "central", "public", "private", "our",
               "saint", "st.", "san", "santa", "los", "las", "el", "la", "le", "fort", "mount", "lake", "port",
               "best", "top", "this", "that", "which", "each", "every", "some", "many", "most"}
_BAD_UNSEEN_RE = re.compile(
    r"^(?:Online|Accredited|Top|Best|Affordable|Cheapest|Graduate|Public|Private|Any|Each|Every|Which|What|"
    r"Your|Our|Their|Its|Many|Most|Some|Other|Several|Major|Leading|Elite|Top-Ranked|Ranked|Not|Non|No|Approved|"
    r"Participating|Partner|Member|Selected|Featured|Sponsored|Regional|Local)\b", re.I)


#: the word right before an unseen name, when it is a capitalised word the name pattern could not take in
#: ("DataCorp Global Institute" gives "Global Institute"): the name found is a fragment of a longer one
_FRAGMENT_BEFORE_RE = re.compile(r"(?:^|\s)(?:[A-Z][\w&.'’-]*[A-Z][\w&.'’-]*|Mc\w+|Mac[A-Z]\w*)[ \t]$")
_FIELD_WORDS = {"computing", "engineering", "business", "sciences", "science", "arts", "medicine", "law",
                "education", "nursing", "management", "informatics", "information", "liberal", "professional",
                "studies", "continuing", "graduate", "applied", "data", "computer"}
_TYPE_WORDS = {"university", "college", "institute", "polytechnic", "tech", "of", "technology", "and", "the", "at"}


def _weak_unseen(text: str, m: Mention) -> bool:
    """An unseen name that is not a school's name: a fragment of a longer name, or type words around
    generic ones only ("Global Institute", "National University" as a phrase)."""
    if _FRAGMENT_BEFORE_RE.search(text[max(0, m.start - 30):m.start]):
        return True
    words = [w.lower().strip(".,'’") for w in m.text.split()]
    # "The College of Computing", "School of Engineering": an academic unit named by its field only
    return all(w in _TYPE_WORDS or w in _WEAK_STEMS or w in _FIELD_WORDS for w in words)


def _clean_mentions(ms: list[Mention], text: str = "") -> list[Mention]:
    reg = load_registry()
    out: list[Mention] = []
    reach = -1  # furthest end kept; ``ms`` is sorted by start, so this is the overlap test, in linear time
    for m in ms:
        if reg.is_provider(m.text) or m.start < reach:
            continue
        if not m.known and (_BAD_UNSEEN_RE.match(m.text) or len(m.text) < 6 or _weak_unseen(text, m)):
            continue
        out.append(m)
        reach = max(reach, m.end)
    return out


_DEFINED_ACRONYM_RE = re.compile(r"^[ \t]*\((?P<a>[A-Z][A-Za-z&]{1,7})\)")


def _short_forms(ms: list[Mention], text: str = "") -> dict[str, Mention]:
    """Short forms of unseen schools named in full: 'Lakeside' / 'Sorrel State' for 'Sorrel State University'.
    A short form two schools share is ambiguous and dropped."""
    out: dict[str, Mention | None] = {}
    reg = load_registry()
    full_known = {m.canonical for m in ms if m.known and len(m.text) > 6}
    for m in ms:
        # an acronym the page defines right after a name: "Marlow State University (MSU)"
        g = _DEFINED_ACRONYM_RE.match(text[m.end:m.end + 12]) if text else None
        if g and sum(ch.isupper() for ch in g.group("a")) >= 2:
            acr = g.group("a")
            if acr in out and (out[acr] is None or out[acr].canonical != m.canonical):
                out[acr] = None
            else:
                out.setdefault(acr, m)
        if m.known:
            continue
        tail = _INSTITUTION_TAIL_RE.search(m.text)
        words = m.text[:tail.start()].split() if tail else []
        of = re.match(r"^(?:The\s+)?(?:University|College|Institute)\s+of\s+(?P<rest>.+)$", m.text)
        if of:   # "University of Vendale at Ashby" -> "Vendale Ashby", "Vendale"
            words = [w for w in of.group("rest").split() if w not in ("at", "the", "and", "&")]
        # initials of an unseen name ("QRIT" for "Quarry Ridge Institute of Technology"), unless the registry
        # already gives those letters to a school it knows
        caps = [w[0] for w in m.text.split() if w[:1].isupper() and w not in ("The",)]
        acronym = "".join(caps)
        # the registry's school for those letters counts only when the page names it in full: on a page that
        # spells out "University of Vendale at Ashby" and never the University of Virginia, "UVA" is Vendale
        theirs = reg.alias_to_name.get(acronym)
        if len(acronym) >= 3 and (theirs is None or theirs not in full_known):
            if acronym in out and (out[acronym] is None or out[acronym].canonical != m.canonical):
                out[acronym] = None
            else:
                out.setdefault(acronym, m)
        for k in range(len(words), 0, -1):
            short = " ".join(words[:k])
            if short.lower() in _WEAK_STEMS or not short[0].isupper() or len(short) < 4:
                continue
            if short in out and (out[short] is None or out[short].canonical != m.canonical):
                out[short] = None
                continue
            out.setdefault(short, m)
    return {k: v for k, v in out.items() if v is not None}


def find_names(text: str) -> list[Mention]:
    """Every school mention in ``text`` (registry, unseen, short forms), sorted, non-overlapping."""
    reg = load_registry()
    ms = _clean_mentions(reg.find_all(text), text)
    shorts = _short_forms(ms, text)
    # an unseen name that is only the short form of a school the page names in full ("Cresthaven's MS"
    # for "Cresthaven College") is that school; so is a registry acronym the page gives to its own school
    ms = [Mention(m.start, m.end, m.text, shorts[m.text].canonical, False)
          if m.text in shorts and shorts[m.text].canonical != m.canonical else m for m in ms]
    if shorts:
        # one alternation for every short form: linear in the text, not names x sentences
        alt = re.compile(r"(?<![\w-])(?P<s>" + names_alternation(shorts) + r")(?=['’]s\b|[^\w-]|$)")
        taken = [(m.start, m.end) for m in ms]
        starts = [t[0] for t in taken]
        extra = []
        for g in alt.finditer(text):
            a, b = g.span("s")
            k = bisect.bisect_right(starts, b) - 1
            if k >= 0 and taken[k][1] > a:
                continue
            full = shorts[g.group("s")]
            extra.append(Mention(a, b, g.group("s"), full.canonical, False))
        ms = sorted(ms + extra, key=lambda m: m.start)
    return ms


@lru_cache(maxsize=1)
def _degree_re() -> re.Pattern[str]:
    degs = load_degrees()
    levels = sorted(set(degs.get("levels", {})) | {"Master", "Masters", "Master's", "Master’s", "M.S.E.", "MSE"},
                    key=len, reverse=True)
    abbrs = sorted(degs.get("abbreviations", {}), key=len, reverse=True)
    lv = "|".join(re.escape(w) for w in levels)
    ab = "|".join(re.escape(w) for w in abbrs)
    field = r"[A-Z][\w&’'-]*(?:[ \t]+(?:and|&|of|in|for)?[ \t]*[A-Z][\w&’'-]*){0,5}"
    lower_field = (r"[a-z]+(?:[ \t][a-z]+){0,3}?[ \t]?(?:science|intelligence|learning|analytics|engineering|systems|"
                   r"computing|informatics|statistics|technology)\b")
    return re.compile(
        # "master of science in artificial intelligence", as running text writes it
        rf"(?<![A-Za-z.])(?:online[ \t]+)?(?:master['’]?s?|master of science)[ \t]+(?:degree[ \t]+)?in[ \t]+{lower_field}|"
        rf"(?<![A-Za-z.])(?:(?:Online|Hybrid)[ \t]+)?(?:(?:{lv})(?:[ \t]+(?:Degree|Program))?[ \t]+(?:of[ \t]+Science[ \t]+)?"
        rf"(?:in|of)[ \t]+(?:Science[ \t]+in[ \t]+)?{field}(?:[ \t]*\([^)\n]{{2,40}}\))?|(?:{ab})(?![\w]))")


def find_degree(s: str) -> tuple[int, int] | None:
    """Span of the first degree named in ``s`` ("M.S. in Computer Science", "Master of Science in Data
    Science (AI Track)", "OMSCS"), else None."""
    m = _degree_re().search(s)
    return m.span() if m else None


# ------------------------------------------------------------------------------------ scopes

#: an academic unit of a university rather than a university: "Quell College of Business",
#: "Whiting School of Engineering", "College of Sciences"
_SUBUNIT_RE = re.compile(r"\b(?:College|School|Faculty|Department|Division)\s+of\s+[A-Z]")


class Names:
    """The document's school mentions, indexable by span."""

    def __init__(self, text: str, mentions: list[Mention] | None = None) -> None:
        self.all = find_names(text) if mentions is None else mentions
        self._starts = [m.start for m in self.all]

    def within_page(self, page: Scope | None) -> "Names":
        """On a page about one school, an unseen academic unit ("the Quell College of Business") is a part
        of that school, not a school of its own. (On a page about several schools, "Brisco College of
        Engineering" may well be one of them, and stays a school.)"""
        if page is None:
            return self
        others = {m.canonical for m in self.all if m.canonical != page.canonical and not _SUBUNIT_RE.search(m.text)}
        if others:
            return self   # a page naming other schools too: "Brisco College of Engineering" may be one of them
        ms = [Mention(m.start, m.end, m.text, page.canonical, False)
              if not m.known and m.canonical != page.canonical and _SUBUNIT_RE.search(m.text) else m
              for m in self.all]
        return Names("", ms)

    def within(self, a: int, b: int) -> list[Mention]:
        i = bisect.bisect_left(self._starts, a)
        out = []
        while i < len(self.all) and self.all[i].start < b:
            if self.all[i].end <= b:
                out.append(self.all[i])
            i += 1
        return out


def distinct(ms: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in ms:
        if m.canonical not in seen:
            seen.add(m.canonical)
            out.append(m)
    return out


def _scope(layout: Layout, m: Mention, how: str, a: int, b: int) -> Scope:
    d = find_degree(layout.text[a:b])
    degree = layout.text[a + d[0]:a + d[1]] if d else None
    return Scope(m.text, m.canonical, degree, m.start, m.end, how)


def page_scope(layout: Layout, names: Names) -> Scope | None:
    """The school (and degree) the whole page is about, else None."""
    head = [b for i, b in enumerate(layout.blocks[:12]) if b.kind in (TITLE, HEADING, META)
            and (b.kind != HEADING or b.level <= 1 or i < 3)]   # the page's header: title, h1, its first lines
    cands: list[tuple[Mention, int, int]] = []
    for b in head:
        for m in names.within(b.start, b.end):
            cands.append((m, b.start, b.end))
    if layout.title:  # <title> of an HTML page
        pass
    schools = {m.canonical for m, _, _ in cands}
    if len(schools) == 1 and not any(b.kind in (TITLE, META) for b in head if names.within(b.start, b.end)):
        # named only by an early heading: a ranking whose first entry is that school, when later headings
        # name other schools ("Harrowgate University" ... "Pinecrest State College")
        later = {m.canonical for b in layout.blocks[3:] if b.kind == HEADING for m in names.within(b.start, b.end)}
        if later - schools:
            return None
    if len(schools) == 1:
        m, a, b = cands[0]
        sc = _scope(layout, m, "page", a, b)
        degree = _page_degree(layout) or _heading_degree(layout, m, b) or sc.degree
        return Scope(sc.school, sc.canonical, degree, sc.start, sc.end, "page")
    if schools:
        return None
    every = distinct(names.all)
    has_section = any(names.within(b.start, b.end) for b in layout.blocks[3:] if b.kind == HEADING)
    if len(every) == 1 and not has_section and (every[0].known or _STRONG_UNSEEN_RE.search(every[0].text)):
        # the only school the page names (and no heading gives it a section of its own, which would make it
        # that section's school, not the page's), named where a page names its owner: a byline or meta line, the
        # page's first or last blocks (a header, a footer "© 2026 Lakeside University"), its possessive
        # ("Lakeside University's online program"), or "our"/"we"/"offers" text
        owners = [b for b in layout.blocks[:5] + layout.blocks[-3:] if b.kind != TABLE] + \
                 [b for b in layout.blocks if b.kind == META]
        for m in names.all:
            if _EXAMPLE_RE.search(layout.text[max(0, m.start - 40):m.start]):
                continue   # "a program like the one at Quarry Hill University": an example does not own the page
            if any(b.start <= m.start < b.end for b in owners) or layout.text[m.end:m.end + 2] in ("'s", "’s") \
                    or _OWNER_WORDS_RE.search(layout.text[max(0, m.start - 60):m.end + 60]):
                return Scope(m.text, m.canonical, _page_degree(layout), m.start, m.end, "page")
    return None


#: an unseen name strong enough to be a page's school when it is the only school named: a university,
#: college or institute of technology ("Global English Institute" in a footnote is not)
_STRONG_UNSEEN_RE = re.compile(r"\b(?:University|College|Institute of Technology)\b")


#: "a program like the one at Quarry Hill University": a school named as an example does not own the page
_EXAMPLE_RE = re.compile(r"\b(?:like|such as|e\.g\.,?)\s+(?:(?:the\s+)?(?:one|ones|program|programs)\s+(?:at|from|of)\s+)?(?:the\s+)?$", re.I)
_OWNER_WORDS_RE = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b|\b(?:our|we|us)\b|\boffered by\b|\boffers\b|\bat\s+(?:the\s+)?$", re.I)


_HEAD_SEP_RE = re.compile(r"^(?:['’]s)?[ \t]*(?:[—–:|-][ \t]*)?")


def _heading_degree(layout: Layout, m: Mention, end: int) -> str | None:
    """The degree a program heading names after its school, whole: "Lakeside Tech OMXX (Data
    Track)" -> "OMXX (Data Track)", "Ridgeview College MXDS / MLX" -> "MXDS / MLX"."""
    tail = layout.text[m.end:end]
    sep = _HEAD_SEP_RE.match(tail)
    rest = tail[sep.end():].rstrip(" \t*_#:")
    d = find_degree(rest)
    if not d and _HEAD_ACRONYM_RE.match(rest):
        d = (0, len(rest))      # "Lakeside Tech OMXX (Data Track)": a master's acronym right after the school
    if not d or d[0] != 0 or len(rest) > 70 or re.search(r"[.!?]\s", rest):
        return None
    return rest


_HEAD_ACRONYM_RE = re.compile(r"^O?M[A-Z]{2,5}(?:[ \t]*(?:/[ \t]*[A-Z]{2,6}|\([^)\n]{2,40}\)))?$")


_ITS_RE = re.compile(r"\bits\s+(?:new\s+)?(?:online\s+)?", re.I)


def _page_degree(layout: Layout) -> str | None:
    """The page's degree: named in its header (title, h1, first lines), else in the lede as the school's
    "its online Master of Science in X"."""
    header = []
    for i, b in enumerate(layout.blocks[:8]):
        if b.kind == FIELD and i < 3 and b.value is not None:
            # "Tuition & Fees: Online M.S. in Artificial Intelligence" as the page's first line
            v = layout.text[b.value.start:b.value.end].strip()
            d = find_degree(v)
            if d and d[1] - d[0] >= 0.6 * len(v):
                header.append(v[d[0]:d[1]])
        if b.kind in (TITLE, META) or (b.kind == HEADING and (b.level <= 1 or i < 3)):
            ds = [m.group(0) for m in _degree_re().finditer(layout.text[b.start:b.end])]
            if len(ds) > 1:
                return None   # "MS vs. Professional MCS at Dunhollow": the page compares two degrees
            header += ds
    if header:   # the fullest wording: "Online Master of Science in Computer Science", not the title's "Online MSCS"
        return max(header, key=len)
    lede = [b for b in layout.blocks[:8] if b.kind == PARAGRAPH][:2]
    for b in lede:
        para = layout.text[b.start:b.end]
        for m in _ITS_RE.finditer(para):
            d = find_degree(para[m.end():m.end() + 120])
            if d and d[0] == 0:
                return para[m.end():m.end() + d[1]]
    # the one degree the lede names ("The online Master of Computer Science (MCS) is ..."); two are a comparison
    named = {m.group(0) for b in lede for m in _degree_re().finditer(layout.text[b.start:b.end])}
    full = [d for d in named if not any(d != e and d in e for e in named)]
    return full[0] if len(full) == 1 and len(full[0]) > 6 else None


def _opens_with(layout: Layout, names: Names, a: int, b: int, slack: int = 6) -> Mention | None:
    ms = names.within(a, b)
    if ms and ms[0].start - a <= slack and len(distinct(ms)) == 1:
        return ms[0]
    if ms and ms[0].start - a <= slack:
        # "Lakeside University vs. Ridgeview College" opens with a school but compares: no scope
        return None
    return None


def block_scopes(layout: Layout, names: Names | None = None) -> list[Scope | None]:
    """The scope of every block (None where the text leaves it open)."""
    names = names or Names(layout.text)
    page = page_scope(layout, names)
    names = names.within_page(page)
    blocks = layout.blocks
    section: dict[int, Scope | None] = {}      # heading index -> its scope (None: names several / none)
    out: list[Scope | None] = []
    item_scope: list[tuple[int, Scope]] = []   # stack of (level, scope) of items that opened with a school
    for i, b in enumerate(blocks):
        if b.kind in (HEADING, TITLE):
            ms = distinct(names.within(b.start, b.end))
            if not ms and item_scope and item_scope[-1][1].degree is None and i and blocks[i - 1].kind == ITEM:
                head = layout.text[b.start:b.end].strip()
                d = find_degree(head)
                if d and d[1] - d[0] >= 0.6 * len(head):
                    # "1. Wexford University" / "Master of Science in Applied ML": the ranked school's degree line
                    lv, it = item_scope[-1]
                    head_at = layout.text.find(head, b.start)
                    item_scope[-1] = (lv, Scope(it.school, it.canonical, head[d[0]:d[1]], it.start, it.end, it.how))
                    out.append(item_scope[-1][1])
                    continue
            if len(ms) == 1 and b.kind == TITLE and page is not None and page.canonical == ms[0].canonical:
                section[i] = page
            elif len(ms) == 1:
                section[i] = _scope(layout, ms[0], "section", b.start, b.end)
                rest = _heading_degree(layout, ms[0], b.end)
                if rest:
                    section[i] = Scope(ms[0].text, ms[0].canonical, rest, ms[0].start, ms[0].end, "section")
                outer = _inherited(i, blocks, section, page)
                if (section[i].degree is None or b.kind == TITLE) and outer is not None \
                        and outer.canonical == ms[0].canonical and outer.degree:   # the title: the page's program
                    section[i] = Scope(ms[0].text, ms[0].canonical, outer.degree, ms[0].start, ms[0].end, "section")
            elif len(ms) > 1:
                section[i] = None
            else:
                d = find_degree(layout.text[b.start:b.end])
                inherited = _inherited(i, blocks, section, page)
                prev = section.get(i - 1) if i and blocks[i - 1].kind in (HEADING, TITLE) else None
                if d and prev is not None and prev.degree is None:
                    # a degree line right under a school's heading, read as a heading of its own
                    # ("## 1. Lakeside University" / "Online Master of Science in AI"): that school's degree
                    inherited = prev
                head = layout.text[b.start:b.end].strip()
                if d and (head.endswith("?") or (d[1] - d[0]) < 0.6 * len(head)):
                    d = None   # "What does the MS in CS cost?" is a question about the program, not its name
                if d and inherited is not None:  # "Online M.S. in Data Science" under a school's heading
                    section[i] = Scope(inherited.school, inherited.canonical,
                                       layout.text[b.start + d[0]:b.start + d[1]], inherited.start, inherited.end,
                                       "section")
            item_scope.clear()
            out.append(section.get(i, _inherited(i, blocks, section, page)))
            continue
        if b.kind == ITEM:
            while item_scope and item_scope[-1][0] >= b.level:
                item_scope.pop()
            m = _opens_with(layout, names, b.start, b.end)
            if m is not None:
                sc = _scope(layout, m, "item", b.start, b.end)
                item_scope.append((b.level, sc))
                out.append(sc)
                continue
            if item_scope:
                out.append(item_scope[-1][1])
                continue
        elif item_scope and b.kind not in (TABLE,) and _rows_run(blocks, i):
            item_scope.clear()   # after ten one-line ranked rows, what follows is no longer the last row's
        if item_scope and b.kind not in (TABLE,):
            out.append(item_scope[-1][1])   # the paragraph after "1. Lakeside University" is about it
            continue
        if b.kind == TABLE and _per_school_table(layout, b, names):
            out.append(None)   # rows about several schools: each row's own school cell decides, never the section
            continue
        if b.kind == FIELD and b.key is not None and b.value is not None:
            ms = distinct(names.within(b.value.start, b.value.end))
            if len(ms) == 1 and re.search(r"school|university|institution|college|provider|offered by",
                                          layout.text[b.key.start:b.key.end], re.I):
                out.append(_scope(layout, ms[0], "field", b.start, b.end))
                continue
        sc = _inherited(i, blocks, section, page)
        d = _degree_only(layout, b) if sc is not None and sc.degree is None and sc.how == "section" else None
        if d and b.parent is not None and section.get(b.parent) is sc:
            # a line that is only a degree under a school's heading names the section's program
            section[b.parent] = sc = Scope(sc.school, sc.canonical, d, sc.start, sc.end, "section")
        out.append(sc)
    return _card_scopes(layout, names, out)


def _degree_only(layout: Layout, b, kind: str = PARAGRAPH) -> str | None:
    """The degree a short paragraph (or heading) consists of ("Online Master of Science in Artificial
    Intelligence")."""
    t = layout.text[b.start:b.end]
    if b.kind != kind or len(t) > 100 or "\n" in t:
        return None
    d = find_degree(t)
    return t[d[0]:d[1]] if d and d[0] == 0 and len(t[d[1]:].strip(" .")) == 0 else None


_DEGREE_KEY_RE = re.compile(r"^(?:degree|program|credential)\b", re.I)   # "Degree:", "Program name:"


def _card_scopes(layout: Layout, names: Names, out: list[Scope | None]) -> list[Scope | None]:
    """Cards: a run of consecutive fields of one section is one program's card.

    - A card that names its school ("University: Lakeside University") is that school's, and a card that
      states its degree ("Degree: M.S. in Data Science | Credits: 36") is about that degree.
    - A card whose section gives it no school, or a second card stating a degree in the same section (another
      program), is about the school the paragraph right after it opens with ("Lakeside Tech's OMXX program is
      …"); when that paragraph opens with none, the card has no scope.
    """
    blocks, text = layout.blocks, layout.text
    i, carded = 0, set()      # sections that already hold a card stating a degree
    while i < len(blocks):
        b = blocks[i]
        if b.kind != FIELD or b.key is None or b.value is None:
            i += 1
            continue
        j, keys = i, set()
        while j < len(blocks) and blocks[j].kind == FIELD and blocks[j].parent == b.parent \
                and blocks[j].key is not None and blocks[j].value is not None:
            key = text[blocks[j].key.start:blocks[j].key.end].strip(" :*_").lower()
            if key in keys:
                break      # a key again: the next card
            keys.add(key)
            j += 1
        degree = None
        for k in range(i, j):
            v = text[blocks[k].value.start:blocks[k].value.end]
            d = find_degree(v) if _DEGREE_KEY_RE.match(text[blocks[k].key.start:blocks[k].key.end]) else None
            if d and degree is None:
                degree = v[d[0]:d[1]]
        named = next((out[k] for k in range(i, j) if out[k] is not None and out[k].how == "field"), None)
        sc = named or out[i]
        if named is None and j - i >= 2 and (sc is None or (degree and b.parent in carded)):
            nxt = blocks[j] if j < len(blocks) else None
            ms = names.within(nxt.start, nxt.end) if nxt is not None and nxt.kind == PARAGRAPH else []
            sc = Scope(ms[0].text, ms[0].canonical, None, ms[0].start, ms[0].end, "field") \
                if ms and ms[0].start - nxt.start <= 4 else None
        if degree:
            carded.add(b.parent)
            if sc is not None:
                sc = Scope(sc.school, sc.canonical, degree, sc.start, sc.end, sc.how)
        for k in range(i, j):
            out[k] = sc
        i = j
    return out


_SCHOOL_HEADER_RE = re.compile(r"^\W*(?:college|school|university|institution|provider|program(?:me)?|"
                               r"partner|where|name)s?\W*$", re.I)


def _per_school_table(layout: Layout, b, names: Names) -> bool:
    """A table of several rows whose header has a school column ("College | Best For | Tuition"), or whose rows
    name different schools: a ranking or comparison, not the section's school's own table (even when the
    school cells came through empty)."""
    if b.header and b.rows and any(_SCHOOL_HEADER_RE.match(layout.cell_text(c)) for c in b.rows[0]):
        return len(b.rows) - b.header >= 2
    return len(distinct(names.within(b.start, b.end))) >= 2


def _rows_run(blocks, i: int) -> bool:
    """Block i follows a run of three or more ranked items with nothing between them (rows of a ranking, one
    line each), so it is not about the run's last school."""
    k = i - 1
    while k >= 0 and blocks[k].kind == ITEM and blocks[k].ordinal:
        k -= 1
    return i - 1 - k >= 3


def _inherited(i: int, blocks, section: dict[int, Scope | None], page: Scope | None) -> Scope | None:
    p = blocks[i].parent
    while p is not None:
        if p in section:
            return section[p]        # a scope, or None for a heading that names several schools
        p = blocks[p].parent
    return page
