"""Recall and wrong values of gradfacts' extraction against hand-written expected facts, per document and shape.

    .venv/bin/python bench/recall.py DIR [--details] [--json]

DIR holds source documents (.txt, .md, .html) and ``DIR/expected/<name>.yaml``, one per document::

    doc: stat_cards.txt            # file in DIR
    shape: stat_cards_value_first  # or a list of shapes; figures are aggregated per shape
    programs:                      # every program the page presents, each a fact "the program exists"
      - school: Stonecrest University
        aliases: [Stonecrest]      # short forms the page uses (optional)
        degree: Online Master's in Artificial Intelligence   # or null / absent: not asked
        credits: 30                # number, or [low, high]
        tuition: 24000             # total USD
        tuition_per_credit: 800
        tuition_annual: null       # USD per year
        tuition_per_course: null
        gre_policy: not_required   # required | optional | not_required
        format: online             # online | hybrid | on_campus
        optional: [tuition_per_credit]          # derivable values: accepted, never counted as missed
        alternatives: {tuition_annual: [16200, 16740]}   # other accepted values
    courses:
      - {title: Foundations of Intelligent Systems, code: AI 5100, credits: 4}
    must_not:                      # values that must not be published
      - {attribute: credits, value: 15}                 # for any school
      - {attribute: tuition, value: 1020, school: X}    # for one school
      - {entity: course, title: Electives}              # not a course
      - {entity: program, school: GT}                   # not a program

A fact is recalled when an extracted fact has the same entity kind, the same school (normalised; aliases
count), the same attribute and the value (money within 1 % or $1, counts exact, GRE policy, format class,
degree by its words). A *wrong value* is an extracted value for an expected program whose value differs
from every accepted value, a value the page does not state for that program, a value attached to a school
the page does not present as a program, or a ``must_not`` value. Extra program or course names with no
value are counted as *spurious*, not wrong. Documents are read the way ``gradfacts extract`` reads them
(flows.ingest.nodes.read_document, so HTML and Markdown are flattened as in a refresh) and extracted with
flows.extract.nodes.extract_text.
"""

from __future__ import annotations

import argparse
import inspect
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: expected key -> attribute the extractor emits for it (program facts)
ATTR = {
    "credits": "credits",
    "tuition": "tuition",
    "tuition_per_credit": "tuition_per_credit",
    "tuition_annual": "tuition_annual",
    "tuition_per_course": "tuition_per_course",
    "gre_policy": "gre_policy",
    "format": "delivery_format",
}
NUMERIC = {"credits", "tuition", "tuition_per_credit", "tuition_annual", "tuition_per_course"}
KEY_OF = {v: k for k, v in ATTR.items()}
GRE = {"required", "optional", "not_required"}

_STOP_SCHOOL = {"the", "of", "at", "and", "in"}
_GENERIC = {"university", "college", "institute", "state", "technology", "school", "tech", "online",
            "of", "the", "at", "and", "in", "engineering", "computing", "science", "sciences"}


def norm_school(s: str) -> str:
    s = s.lower().replace("&", " and ").replace("’", "'")
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s).strip()
    s = re.sub(r"^the ", "", s)
    return re.sub(r" at ", " ", s)  # "University of Illinois at Urbana-Champaign" = "... Illinois Urbana-Champaign"


def _contains_words(hay: str, needle: str) -> bool:
    return bool(needle) and re.search(rf"(?:^| ){re.escape(needle)}(?: |$)", hay) is not None


def _known(name: str) -> str | None:
    """The reference data's canonical name for a school it lists (schemas/reference/institutions.yaml), else None."""
    from flows.extract.registry import load_registry

    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = load_registry()
    return _REGISTRY.lookup(name)


_REGISTRY = None


def school_matches(subject: str, names: list[str]) -> bool:
    """Same school: equal after normalising, or one name's words appear whole inside the other and the
    shorter one is distinctive (not only words like "University" or "State"), or the reference data lists
    both as the same school ("Georgia Tech" and "Georgia Institute of Technology": the published subject is
    the canonical name, the expected file may give the page's short form)."""
    sub = norm_school(subject)
    known = _known(subject)
    for name in names:
        if known is not None and _known(name) == known:
            return True
        n = norm_school(name)
        if not n or not sub:
            continue
        if sub == n or _contains_words(sub, n):
            return True
        if _contains_words(n, sub) and set(sub.split()) - _GENERIC and len(sub) >= 4:
            return True
    return False


_DEG_SUBS = [
    (r"\bmaster of science\b", "ms"), (r"\bm\.?\s?s\.?\b", "ms"), (r"\bm\.?\s?eng\.?\b", "meng"),
    (r"\bmaster'?s\b", "masters"), (r"\bmaster of\b", "masters"), (r"\bmaster\b", "masters"),
]


def degree_words(s: str) -> set[str]:
    s = s.lower().replace("’", "'")
    for pat, rep in _DEG_SUBS:
        s = re.sub(pat, rep, s)
    words = set(re.sub(r"[^a-z0-9]+", " ", s).split())
    return words - {"in", "of", "the", "online", "degree", "program", "and", "a", "an"}


def degree_matches(got: str | None, want: str) -> bool:
    if not got:
        return False
    g, w = degree_words(got), degree_words(want)
    if not w:
        return True
    return w <= g or (g <= w and len(g) >= max(1, len(w) - 1))


def format_class(s: str) -> str | None:
    t = s.lower()
    if re.search(r"hybrid|blended|campus weekend|residenc|low-residency|on-campus and online|online \+", t):
        return "hybrid"
    if re.search(r"online|distance|remote|virtual|asynchronous|synchronous", t):
        return "online"
    if re.search(r"campus|in-person|in person|on site|onsite", t):
        return "on_campus"
    return None


def as_range(v) -> tuple[float, float] | None:
    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        return float(v[0]), float(v[-1])
    return float(v), float(v)


def num_close(a: float | None, b: float, money: bool = True, strict: bool = False) -> bool:
    """Money within 1 % or $1 (within $1 when ``strict``: a must_not value); counts (credits) exactly."""
    if a is None:
        return False
    if not money:
        return abs(a - b) <= 1e-9
    return abs(a - b) <= (1.0 if strict else max(1.0, 0.01 * abs(b)))


def value_matches(key: str, fact: dict, want, strict: bool = False) -> bool:
    if want is None:
        return False
    if key in NUMERIC:
        lo, hi = fact.get("value_num"), fact.get("value_num_high")
        # an open-ended value ("under $7,000", "5+") has one bound: compare that number
        lo = hi if lo is None else lo
        hi = lo if hi is None else hi
        wlo, whi = as_range(want)
        money = key != "credits"
        return num_close(lo, wlo, money, strict) and num_close(hi, whi, money, strict)
    if key == "gre_policy":
        return want in set(str(fact.get("value") or "").split("|"))
    if key == "format":
        return format_class(str(fact.get("value") or "")) == want
    return False


def accepted(prog: dict, key: str) -> list:
    vals = [] if prog.get(key) is None else [prog[key]]
    alts = (prog.get("alternatives") or {}).get(key) or []
    return vals + [a for a in alts if a not in vals]


def norm_course(s: str) -> str:
    s = s.lower().replace("’", "'").replace("&", " and ")
    s = re.sub(r"^\s*[a-z]{1,5}[ -]?\d{3,4}[a-z]?\s*[:\-–—]?\s*", "", s)  # leading course code
    s = re.sub(r"\s*\(?\d+(?:\.\d+)?\s*(?:credits?|units?|cr\.?|hours?)?\)?\s*$", "", s)  # trailing credits
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def course_matches(subject: str, title: str) -> bool:
    a, b = norm_course(subject), norm_course(title)
    if not a or not b:
        return False
    if a == b:
        return True
    return _contains_words(a, b) and len(a.split()) <= len(b.split()) + 3


def code_key(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.lower())


@dataclass
class DocResult:
    doc: str
    shapes: list[str]
    expected: int = 0
    recalled: int = 0
    wrong: int = 0
    spurious_programs: int = 0
    spurious_courses: int = 0
    n_facts: int = 0
    missed: list[str] = field(default_factory=list)
    wrongs: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    error: str | None = None


def load_facts(path: Path) -> list[dict]:
    """Facts of one document, read as `gradfacts extract` reads it."""
    from flows.extract.nodes import extract_text
    from flows.ingest.nodes import read_document

    doc = read_document(path, path.parent, None, {})
    # extract_text gained (media_type, file_text) with the document model; the older one-argument form is kept
    # callable so the same script measures a baseline checkout of the code
    if len(inspect.signature(extract_text).parameters) >= 3:
        return [_by_unit(f.as_dict()) for f in extract_text(doc.text, doc.media_type, doc.file_text).facts]
    return [_by_unit(f.as_dict()) for f in extract_text(doc.text).facts]


#: a tuition fact's unit names the expected key it answers (Fact.unit; "tuition_per_credit" is already one)
_UNIT_ATTR = {"credit": "tuition_per_credit", "course": "tuition_per_course", "year": "tuition_annual",
              "term": "tuition_per_term", "month": "tuition_per_month"}


def _by_unit(f: dict) -> dict:
    if f["attribute"] == "tuition" and f.get("unit") in _UNIT_ATTR:
        return {**f, "attribute": _UNIT_ATTR[f["unit"]]}
    return f


def _must_not_hit(fact: dict, entry: dict) -> bool:
    ent = entry.get("entity", "program")
    if fact["entity_type"] != ent:
        return False
    if ent == "course":
        return "title" in entry and course_matches(fact["subject"], entry["title"])
    if "school" in entry and not school_matches(fact["subject"], [entry["school"]]):
        return False
    if "attribute" not in entry:
        return "school" in entry
    key = entry["attribute"]
    if ATTR.get(key, key) != fact["attribute"]:
        return False
    v = entry.get("value")
    if key.startswith("tuition") and isinstance(v, (int, float)):
        # a forbidden amount is that amount to the dollar: the 1 % tolerance of recall would also forbid
        # a neighbouring true value ($29,700 beside a forbidden $30,000); either bound of a range counts
        return any(x is not None and abs(x - v) <= 1 for x in (fact.get("value_num"), fact.get("value_num_high")))
    return value_matches(key if key in ATTR else "credits", fact, v, strict=True)


def score(spec: dict, facts: list[dict]) -> DocResult:
    shapes = spec.get("shape") or spec.get("shapes") or ["unlabelled"]
    res = DocResult(doc=spec["doc"], shapes=[shapes] if isinstance(shapes, str) else list(shapes))
    res.n_facts = len(facts)
    progs = spec.get("programs") or []
    courses = spec.get("courses") or []
    must_not = spec.get("must_not") or []
    names = [[p["school"], *(p.get("aliases") or [])] for p in progs]
    pfacts = [f for f in facts if f["entity_type"] == "program"]
    cfacts = [f for f in facts if f["entity_type"] == "course"]

    def owner(f: dict) -> int | None:
        """Index of the expected program a fact belongs to (school, then degree among same-school rows)."""
        cands = [i for i, n in enumerate(names) if school_matches(f["subject"], n)]
        if len(cands) > 1 and f.get("degree"):
            by_deg = [i for i in cands if progs[i].get("degree") and degree_matches(f["degree"], progs[i]["degree"])]
            cands = by_deg or cands
        if len(cands) > 1 and f["attribute"] in KEY_OF:
            # a degree-less value at a school with several programs: give it to the one it fits, if any
            key = KEY_OF[f["attribute"]]
            fits = [i for i in cands if any(value_matches(key, f, w) for w in accepted(progs[i], key))]
            cands = fits or cands
        return cands[0] if cands else None

    owned: dict[int, list[dict]] = defaultdict(list)
    unowned: list[dict] = []
    for f in pfacts:
        i = owner(f)
        (unowned if i is None else owned[i]).append(f)

    wrong_keys: set = set()

    def flag(f: dict, why: str) -> None:
        k = (norm_school(f["subject"]), f["attribute"], f.get("value_num"), f.get("value_num_high"), f.get("value"))
        if k not in wrong_keys:
            wrong_keys.add(k)
            res.wrongs.append(f"{why}: {f['subject']} {f['attribute']}={f['value']!r} ({f['extractor']})")

    # programs: presence + each stated attribute
    for i, p in enumerate(progs):
        mine = owned.get(i, [])
        label = p["school"] + (f" / {p['degree']}" if p.get("degree") else "")
        res.expected += 1
        if mine:
            res.recalled += 1
        else:
            res.missed.append(f"program {label}")
        if p.get("degree"):
            res.expected += 1
            degs = [f.get("degree") for f in mine] + [f["value"] for f in mine if f["attribute"] == "degree_title"]
            if any(degree_matches(d, p["degree"]) for d in degs):
                res.recalled += 1
            else:
                res.missed.append(f"{label}: degree {p['degree']!r}")
        optional = set(p.get("optional") or [])
        for key, attr in ATTR.items():
            want = accepted(p, key)
            got = [f for f in mine if f["attribute"] == attr]
            if want and key not in optional:
                res.expected += 1
                if any(value_matches(key, f, w) for f in got for w in want):
                    res.recalled += 1
                else:
                    res.missed.append(f"{label}: {key}={want[0]!r}")
            for f in got:
                if not want:
                    flag(f, "unstated")
                elif not any(value_matches(key, f, w) for w in want):
                    flag(f, "differs")

    for f in unowned:
        if f["attribute"] in KEY_OF:
            flag(f, "no such program")
    spurious_schools = {norm_school(f["subject"]) for f in unowned}
    res.spurious_programs = len(spurious_schools)
    res.spurious += [f"program {s}" for s in sorted(spurious_schools)]

    # courses: title, code, credits
    matched_course_subjects: set[str] = set()
    for c in courses:
        mine = [f for f in cfacts if course_matches(f["subject"], c["title"])]
        matched_course_subjects |= {f["subject"] for f in mine}
        res.expected += 1
        if mine:
            res.recalled += 1
        else:
            res.missed.append(f"course {c['title']!r}")
        if c.get("code"):
            res.expected += 1
            texts = [f["subject"] for f in mine] + [str(f["value"]) for f in mine if f["attribute"] == "code"]
            if any(code_key(c["code"]) in code_key(t) for t in texts):
                res.recalled += 1
            else:
                res.missed.append(f"course {c['title']!r}: code {c['code']}")
        if c.get("credits") is not None:
            res.expected += 1
            got = [f for f in mine if f["attribute"] == "credits"]
            if any(value_matches("credits", f, c["credits"]) for f in got):
                res.recalled += 1
            else:
                res.missed.append(f"course {c['title']!r}: credits {c['credits']}")
            for f in got:
                if not value_matches("credits", f, c["credits"]):
                    flag(f, "differs")
    extra_courses = sorted({f["subject"] for f in cfacts} - matched_course_subjects)
    res.spurious_courses = len(extra_courses)
    res.spurious += [f"course {s!r}" for s in extra_courses]

    for f in facts:
        for entry in must_not:
            if _must_not_hit(f, entry):
                flag(f, "must_not")
                break
    res.wrong = len(res.wrongs)
    return res


def run(folder: Path) -> list[DocResult]:
    results = []
    specs = sorted((folder / "expected").glob("*.yaml"))
    if not specs:
        raise SystemExit(f"error: {folder}/expected/ holds no .yaml files")
    for sp in specs:
        try:
            spec = yaml.safe_load(sp.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise SystemExit(f"error: {sp}: not valid YAML ({exc.__class__.__name__})") from None
        if "doc" not in spec:
            raise SystemExit(f"error: {sp}: no 'doc' key naming the document")
        path = folder / spec["doc"]
        if not path.is_file():
            raise SystemExit(f"error: {sp}: document {path} does not exist")
        results.append(score(spec, load_facts(path)))
    return results


def by_shape(results: list[DocResult]) -> dict[str, dict]:
    agg: dict[str, dict] = defaultdict(lambda: {"docs": 0, "expected": 0, "recalled": 0, "wrong": 0, "empty": 0})
    for r in results:
        for s in r.shapes:
            a = agg[s]
            a["docs"] += 1
            a["expected"] += r.expected
            a["recalled"] += r.recalled
            a["wrong"] += r.wrong
            a["empty"] += r.n_facts == 0
    return dict(sorted(agg.items()))


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f} %" if b else "-"


def render(results: list[DocResult], details: bool) -> str:
    out = ["| document | shape | facts expected | recalled | wrong | spurious programs / courses | facts extracted |",
           "|---|---|---|---|---|---|---|"]
    for r in results:
        out.append(f"| {r.doc} | {', '.join(r.shapes)} | {r.expected} | {r.recalled} | {r.wrong} | "
                   f"{r.spurious_programs} / {r.spurious_courses} | {r.n_facts} |")
    out += ["", "| shape | docs | facts expected | recalled | recall | wrong |", "|---|---|---|---|---|---|"]
    for s, a in by_shape(results).items():
        out.append(f"| {s} | {a['docs']} | {a['expected']} | {a['recalled']} | {pct(a['recalled'], a['expected'])} | {a['wrong']} |")
    e = sum(r.expected for r in results)
    rc = sum(r.recalled for r in results)
    w = sum(r.wrong for r in results)
    empty = sum(r.n_facts == 0 for r in results)
    out += ["", f"total: {len(results)} documents, {e} facts expected, {rc} recalled ({pct(rc, e)}), "
                f"{w} wrong values, {empty} documents with no fact at all"]
    if details:
        for r in results:
            out += ["", f"## {r.doc}"]
            out += [f"- missed {m}" for m in r.missed]
            out += [f"- WRONG {m}" for m in r.wrongs]
            out += [f"- spurious {m}" for m in r.spurious]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path, help="folder with documents and expected/*.yaml")
    ap.add_argument("--details", action="store_true", help="list missed, wrong and spurious facts per document")
    ap.add_argument("--json", action="store_true", help="print JSON instead of Markdown tables")
    a = ap.parse_args(argv)
    if not (a.folder / "expected").is_dir():
        print(f"error: {a.folder}: no expected/ folder", file=sys.stderr)
        return 2
    from flows.settings import configure_environment

    configure_environment()
    results = run(a.folder)
    if a.json:
        print(json.dumps({"documents": [r.__dict__ for r in results], "shapes": by_shape(results)}, indent=2))
    else:
        print(render(results, a.details))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
