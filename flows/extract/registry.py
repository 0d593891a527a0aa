"""Institution registry: reference data (schemas/reference/institutions.yaml) plus the rules that
admit institutions it has never seen. Pure functions over text; no source is special-cased."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from flows.common.yamlfile import load_yaml

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "schemas" / "reference"


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str       # as written
    canonical: str  # canonical institution name
    known: bool     # True when it came from the registry


@dataclass(frozen=True)
class Registry:  # frozen, not slotted: the cached properties below keep their value in the instance dict
    alias_to_name: dict[str, str]
    short_names: dict[str, str]
    providers: tuple[str, ...]
    institution_words: tuple[str, ...]

    @cached_property
    def _alias_re(self) -> re.Pattern[str]:
        return _compile_aliases(tuple(sorted(self.alias_to_name, key=len, reverse=True)))

    @cached_property
    def _providers_lower(self) -> frozenset[str]:
        return frozenset(p.lower() for p in self.providers)

    def find(self, text: str) -> list[Mention]:
        """Registry institutions named in ``text``, longest alias first, non-overlapping."""
        out = []
        for m in self._alias_re.finditer(text):
            alias = m.group("alias")
            out.append(Mention(m.start("alias"), m.end("alias"), alias, self.alias_to_name[alias], True))
        return out

    def find_all(self, text: str) -> list[Mention]:
        """Registry institutions plus unseen names that look like institutions
        ("Lakeside State University", "University of Somewhere")."""
        known = self.find(text)
        taken = [(m.start, m.end) for m in known]
        extra = []
        for m in _UNSEEN_RE.finditer(text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            name = m.group(0).strip()
            lead = _LEAD_WORDS_RE.match(name)
            if lead:  # "At Lakeside University" -> "Lakeside University"; "At University of Kent" -> re-read
                s += lead.end()
                again = _UNSEEN_RE.match(text, s)
                if not again or any(s < te and ts < again.end() for ts, te in taken):
                    continue
                name = again.group(0).strip()
            extra.append(Mention(s, s + len(name), name, self.canonical(name), False))
        taken += [(m.start, m.end) for m in extra]
        for m in _POSSESSIVE_DEGREE_RE.finditer(text):
            # "Lakeside's M.S. in AI": a one- or two-word proper name owning a degree is a school
            s, e = m.span("name")
            name = m.group("name")
            if any(s < te and ts < e for ts, te in taken) or _LEAD_WORDS_RE.match(name + " ") \
                    or name.split()[0] in _NOT_SCHOOL_WORDS:
                continue
            extra.append(Mention(s, e, name, self.canonical(name), False))
        return sorted(known + extra, key=lambda m: m.start)

    # Memoised per registry: resolve asks for the same few thousand names hundreds of thousands of times (three
    # times per program fact), extraction once per mention. The registry is immutable and these methods are
    # pure in (registry, name), so a bounded LRU per instance returns exactly what a fresh call would.
    @cached_property
    def _memo_canonical(self):
        return lru_cache(maxsize=MEMO_SIZE)(self._canonical)

    @cached_property
    def _memo_is_provider(self):
        return lru_cache(maxsize=MEMO_SIZE)(self._is_provider)

    @cached_property
    def _memo_lookup(self):
        return lru_cache(maxsize=MEMO_SIZE)(self._lookup)

    def __getstate__(self) -> dict:  # a registry sent to a worker process goes without its memos (not picklable)
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_memo_")}

    def canonical(self, name: str) -> str:
        """Canonical name for a school as written; unseen schools are admitted under their own name."""
        return self._memo_canonical(name)

    def lookup(self, name: str) -> str | None:
        """Canonical name when ``name`` (or an alias it contains as its head) is in the registry."""
        return self._memo_lookup(name)

    def is_provider(self, name: str) -> bool:
        return self._memo_is_provider(name)

    def _canonical(self, name: str) -> str:
        clean = clean_name(name)
        if clean in self.alias_to_name:
            return self.alias_to_name[clean]
        hits = self.find(clean)
        if len(hits) == 1 and (hits[0].end - hits[0].start) >= len(clean) - 1:
            return hits[0].canonical
        return clean

    def _lookup(self, name: str) -> str | None:
        clean = clean_name(name)
        if clean in self.alias_to_name:
            return self.alias_to_name[clean]
        hits = self.find(clean)
        if hits and hits[0].start == 0:
            return hits[0].canonical
        return None

    def short(self, canonical: str) -> str:
        return self.short_names.get(canonical, canonical)

    def _is_provider(self, name: str) -> bool:
        return clean_name(name).lower() in self._providers_lower

    def looks_like_institution(self, name: str) -> bool:
        clean = clean_name(name)
        return self.lookup(clean) is not None or any(w in clean for w in self.institution_words)


_UNSEEN_RE = re.compile(
    r"(?:\b(?:The[ \t]+)?University[ \t]+of[ \t]+(?:[A-Z][a-z&.'-]*)(?:(?:[ \t]|-|,[ \t])+(?:at[ \t]+)?[A-Z][a-z&.'-]*)*"
    # (a name may run into the next cell of a flattened table: "Ridgeway UniversityM.S. in AI")
    r"|\b(?:[A-Z][a-z&.'-]*[ \t]+){1,4}(?:University|Institute[ \t]+of[ \t]+Technology|Institute|College|Polytechnic)(?:\b|(?=[A-Z]))"
    # "Brisco College of Engineering", "Harlan Institute of Science and Technology"
    r"(?:[ \t]+of[ \t]+[A-Z][a-z&.'-]+(?:[ \t]+(?:and[ \t]+)?[A-Z][a-z&.'-]+){0,2})?"
    # "<Name> Tech" schools; not "Big Tech", "Ed Tech" or "Tech companies"
    r"|\b(?!(?:Big|High|Ed|Fin|Health|Clean|Deep|Climate|Ad|Legal|Insur|Food|Green|Gov|Reg|Prop|Agri|Bio|Auto)\s)"
    r"(?:[A-Z][a-z&.'-]+[ \t]+){1,2}Tech\b(?!['’]?\s*(?:compan|industr|firm|giant|sector|job|role|worker|startup|employ))"
    r")"
)


#: sentence-opening words the unseen-name pattern may sweep into a name ("At Lakeside University")
_LEAD_WORDS_RE = re.compile(
    r"^(?:(?:At|In|For|From|With|By|On|To|And|But|Or|While|Unlike|Like|Both|Whereas|Since|Because|Although|If|"
    r"When|Only|Even|Also|Then|Meanwhile|Compared|Versus|Via|Through|Among|Including|Choose|Consider|Try|"
    r"Attending|Applying|Join|See|Visit|Why|How|What|Is|Does|Do|Can|Should|Yes|No|"
    # descriptive words a sentence may open with before a school ("Nearby Lakeside College charges ...")
    r"Nearby|Rival|Neighboring|Neighbouring|Local|Fellow|Similarly|Likewise|However|Elsewhere|Instead|Today|Now|"
    r"Meanwhile|Still|Next|Finally|Lastly|Here|There|Over|Across|Around|Under|Private|Public|Smaller|Larger|"
    # possessives: "Its College of Computing" is a unit of a school named before, not a school
    r"Its|Their|Our|Your|His|Her|My)\s+)+")

#: a one- or two-word capitalised name right before "'s" and a degree ("Lakeside's MS in AI")
_POSSESSIVE_DEGREE_RE = re.compile(
    r"(?<![\w.'’-])(?P<name>[A-Z][a-z]{2,}(?:[ \t][A-Z][a-z]{2,})?)['’]s[ \t]+(?:[Oo]nline[ \t]+)?"
    r"(?=M\.[ ]?[A-Z]|M[A-Z]{1,4}\b|MSc\b|MEng\b|Master)")
#: capitalised words that own degrees without being schools ("This year's MS ...", "Today's MBA")
_NOT_SCHOOL_WORDS = frozenset({"This", "That", "Last", "Next", "Today", "Year", "Everyone", "Nobody", "Someone",
                               "Anyone", "America", "Europe", "Canada", "India", "China", "Britain", "Nation"})


#: entries of each memo (clean_name and the registry's per-instance ones): bounded, for long-running processes
MEMO_SIZE = 1 << 16


@lru_cache(maxsize=MEMO_SIZE)  # pure; called for every name resolve and extraction look at, mostly repeated
def clean_name(name: str) -> str:
    s = name.strip().strip(" ,.;:()")
    s = re.sub(r"['’]s$", "", s)
    s = re.sub(r"^The\s+", "", s)
    return re.sub(r"\s+", " ", s)


@lru_cache(maxsize=8)
def _compile_aliases(aliases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?P<alias>{names_alternation(aliases)})(?=['’]s\b|[^\w-]|$|[A-Z])")


def names_alternation(names) -> str:
    """One regex alternation matching any of ``names``, built as a prefix tree ("Sorrel(?: State)?|Lake(?:side|
    wood)") so the engine picks a branch by the next character instead of trying every name in turn: matching
    stays linear in the text however many names a page holds. At any position it matches the longest name the
    text allows (with backtracking into shorter ones when a following lookahead fails), exactly as a plain
    longest-first alternation does. Kept here (not a library) because every caller needs its own boundary
    lookarounds around it; Python's ``re`` has no multi-literal matcher of its own."""
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = True
    return _trie_regex(trie) if trie else "(?!)"


def _trie_regex(node: dict) -> str:
    ends = "" in node
    branches = []
    for ch in sorted(k for k in node if k):
        child, lit = node[ch], re.escape(ch)
        while len(child) == 1 and "" not in child:  # a chain of single children: one literal run
            (nxt, child), = child.items()
            lit += re.escape(nxt)
        branches.append(lit + _trie_regex(child))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return ("(?:" + body + ")?") if len(branches) > 1 or len(body) > 1 else body + "?"
    return body


@lru_cache(maxsize=4)
def load_registry(path: str | None = None) -> Registry:
    p = Path(path) if path else REFERENCE_DIR / "institutions.yaml"
    data = load_yaml(p)
    alias_to_name: dict[str, str] = {}
    shorts: dict[str, str] = {}
    for inst in data["institutions"]:
        name = inst["name"]
        shorts[name] = inst.get("short", name)
        for alias in {name, *inst.get("aliases", [])}:
            alias_to_name[alias] = name
    return Registry(
        alias_to_name=alias_to_name,
        short_names=shorts,
        providers=tuple(data.get("providers", [])),
        institution_words=tuple(data.get("institution_words", [])),
    )


@lru_cache(maxsize=4)
def load_degrees(path: str | None = None) -> dict:
    p = Path(path) if path else REFERENCE_DIR / "degrees.yaml"
    return load_yaml(p)
