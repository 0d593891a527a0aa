"""Resolution and reconciliation: facts from every source -> curated tables (pure functions).

Rules (also in docs/reconciliation.md):
- One institution under many names is one entity (registry aliases; unseen names admitted as written).
- A program is (institution, degree key). A fact naming only the school applies to every program of that
  school the corpus knows; if it knows none, to a school-level program with no degree.
- Numeric statements are intervals (flows.resolve.intervals). They agree when they intersect; when they
  do not, the program gets has_conflict and a conflicts row lists every value with its sources.
- A statement outside its column's error range (flows.resolve.statements) is held back: the row is resolved
  from the other statements and names what was held back (programs.held_back); the statement goes to
  quarantine with its quote and span (tables["held_back"], turned into quarantine rows by the validate stage).
- The curated value comes from the most specific statement (exact > approx > range > bound), then the
  newest source, then table/card extractors before prose, then the earliest position in the text.
- Tuition by unit: a whole-degree total (stated, else a per-credit rate x credits or a per-course rate x
  courses stated for the same program, tuition_basis naming which); per-credit, per-course and annual
  rates in their own columns; an annual or per-term figure never becomes a total.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import polars as pl

from flows.extract.model import Fact
from flows.extract.registry import Registry, load_registry
from flows.resolve.intervals import SPECIFICITY, admitted, agree
from flows.resolve.keys import degree_key, name_key, slug
from flows.resolve.statements import failed_rule, money_unit, range_rules
from schemas.tables import polars_schema

#: extractors whose statements are structured (tables, cards) rank before prose on ties
STRUCTURED_PREFIXES = ("table", "flattened", "pipe", "card", "html")

@dataclass(frozen=True, slots=True)
class SourceInfo:
    source_id: str
    file_text: str
    offsets: list[int] | None
    as_of: date | None


@dataclass(slots=True)
class Obs:
    """A fact anchored in its source file and attached to an entity."""

    fact: Fact
    source_id: str
    entity_id: str
    char_start: int
    char_end: int
    quote: str
    as_of: date | None

    def rank(self) -> tuple:
        f = self.fact
        structured = 0 if f.extractor.startswith(STRUCTURED_PREFIXES) else 1
        newest = -(self.as_of.toordinal() if self.as_of else 0)
        return (SPECIFICITY.get(f.qualifier, 1), newest, structured, self.source_id, self.char_start)


def anchor(fact: Fact, src: SourceInfo) -> tuple[int, int, str]:
    """Map a fact's text span to the file; the quote is the file's own text there."""
    from flows.ingest.html_text import map_span

    s, e = map_span(src.offsets, fact.start, fact.end)
    return s, e, src.file_text[s:e]


def resolve(facts_by_source: dict[str, list[Fact]], sources: dict[str, SourceInfo],
            registry: Registry | None = None) -> dict[str, pl.DataFrame]:
    """All curated tables except `sources`/`quarantine` (see build_sources_table) from the facts."""
    reg = registry or load_registry()
    program_obs, prog_rows = _resolve_programs(facts_by_source, sources, reg)
    course_obs, course_rows = _resolve_named(facts_by_source, sources, "course")
    spec_obs, spec_rows = _resolve_named(facts_by_source, sources, "specialization", reg)
    career_obs, career_rows = _resolve_named(facts_by_source, sources, "career")
    all_obs = program_obs + course_obs + spec_obs + career_obs
    programs, prog_conflicts, held = _program_table(prog_rows, reg)
    tables = {
        "programs": programs,
        "courses": _course_table(course_rows, reg),
        "specializations": _specialization_table(spec_rows, reg, programs),
        "careers": _career_table(career_rows),
        "observations": observations_frame(all_obs),
        "conflicts": _frame(prog_conflicts, CONFLICT_SCHEMA),
        "held_back": held_back_frame(held),
    }
    return tables


# ------------------------------------------------------------------------------------------- programs

def _resolve_programs(facts_by_source, sources, reg):
    # each program fact with its institution and degree key, worked out once (providers are no schools)
    prog_facts = [(sid, f, reg.canonical(f.subject), degree_key(f.degree))
                  for sid, fs in facts_by_source.items() for f in fs
                  if f.entity_type == "program" and not reg.is_provider(f.subject)]
    # programs the corpus knows, per institution: degree key -> first degree as written
    known: dict[str, dict[str, str]] = defaultdict(dict)
    for _, f, inst, key in prog_facts:
        if key:
            known[inst].setdefault(key, f.degree)
    # a school is a program holder only when some fact other than "strong in <specialization>" says so
    anchored = {inst for _, f, inst, _ in prog_facts if f.attribute != "specialization"}
    obs: list[Obs] = []
    by_program: dict[str, dict] = {}
    for sid, f, inst, key in prog_facts:
        if inst not in anchored:
            continue
        targets = [key] if key else (list(known[inst]) or [None])
        src = sources[sid]
        s, e, quote = anchor(f, src)
        short = reg.short(inst)
        for k in targets:
            pid = slug(short, k) if k else slug(short)
            row = by_program.get(pid)
            if row is None:
                row = by_program[pid] = {"program_id": pid, "university": inst, "key": k, "degrees": [], "obs": []}
            o = Obs(f, sid, pid, s, e, quote, src.as_of)
            row["obs"].append(o)
            if f.degree and key == k:
                row["degrees"].append(f.degree)
            obs.append(o)
    return obs, by_program


def _program_table(by_program: dict, reg: Registry):
    rows, conflicts, held = [], [], []
    for pid in sorted(by_program):
        p = by_program[pid]
        attrs: dict[str, list[Obs]] = defaultdict(list)
        held_here: list[tuple[Obs, str, str]] = []
        for o in p["obs"]:
            bad = failed_rule(o.fact)
            if bad:
                held_here.append((o, *bad))  # held back: the row is resolved from the other statements
                continue
            attrs[o.fact.attribute].append(o)
        row = {
            "program_id": pid,
            "university": p["university"],
            "degree_title": _pick_degree(p["degrees"], attrs.get("degree_title", [])),
        }
        conflict = False
        # ML core courses
        c, conf = _reconcile_numeric(attrs.get("ml_core_courses", []))
        row["ml_core_courses_min"] = _int(c.fact.value_num) if c else None
        row["ml_core_courses_max"] = (_int(c.fact.value_num_high) if c and c.fact.value_num_high is not None
                                      else (None if c and c.fact.qualifier in ("at_least", "over") else
                                            _int(c.fact.value_num) if c else None))
        conflict |= _note_conflict(conflicts, pid, "ml_core_courses", attrs.get("ml_core_courses", []), conf)
        # credits
        credit_obs = attrs.get("credits", [])
        numeric = [o for o in credit_obs if o.fact.value_num is not None]
        credit_choice, conf = _reconcile_numeric(numeric)
        row["credits"] = _int(credit_choice.fact.value_num) if credit_choice else None
        row["credits_variable"] = bool(credit_obs) and not numeric
        conflict |= _note_conflict(conflicts, pid, "credits", numeric, conf)
        # courses to graduate (for a per-course price)
        course_obs = [o for o in attrs.get("course_count", []) if o.fact.value_num is not None]
        course_choice, conf = _reconcile_numeric(course_obs)
        conflict |= _note_conflict(conflicts, pid, "course_count", course_obs, conf)
        # tuition by unit
        by_unit: dict[str | None, list[Obs]] = defaultdict(list)
        for o in attrs.get("tuition", []) + attrs.get("tuition_per_credit", []):
            u = money_unit(o.fact)
            by_unit[None if u == "degree" else u].append(o)
        chosen: dict[str | None, Obs | None] = {}
        for unit, label in ((None, "tuition"), ("credit", "tuition_per_credit"), ("course", "tuition_per_course"),
                            ("year", "tuition_annual")):
            chosen[unit], conf = _reconcile_numeric(by_unit.get(unit, []))
            conflict |= _note_conflict(conflicts, pid, label, by_unit.get(unit, []), conf)
        fields, derived_bad = _tuition_columns(chosen, credit_choice, course_choice)
        row.update(fields)
        held_here.extend(derived_bad)
        # GRE
        gre, conf = _reconcile_gre(attrs.get("gre_policy", []))
        row["gre_policy"] = gre
        conflict |= _note_conflict(conflicts, pid, "gre_policy", attrs.get("gre_policy", []), conf)
        row["delivery_format"] = _first_text(attrs.get("delivery_format", []))
        row["standout_feature"] = _first_text(attrs.get("standout_feature", []))
        row["specializations"] = sorted({o.fact.value for o in attrs.get("specialization", [])})
        srcs = sorted({o.source_id for o in p["obs"]})
        row["source_ids"] = srcs
        row["n_sources"] = len(srcs)
        dates = [o.as_of for o in p["obs"] if o.as_of]
        row["as_of"] = max(dates) if dates else None
        row["has_conflict"] = conflict
        row["held_back"] = [f"{rule}: {o.quote.strip()}" for o, rule, _ in held_here]
        row["specialization_ids"] = [name_key(s) for s in row["specializations"]]
        held.extend((pid, p["university"], o, rule, msg) for o, rule, msg in held_here)
        rows.append(row)
    return _frame(rows, PROGRAM_SCHEMA), conflicts, held


def _pick_degree(written: list[str], degree_obs: list[Obs]) -> str | None:
    cands = [o.fact.value for o in degree_obs] or written
    if not cands:
        return None
    counts: dict[str, int] = defaultdict(int)
    for c in cands:
        counts[c.strip()] += 1
    # most often stated, then the most complete (longest) wording
    return sorted(counts, key=lambda c: (-counts[c], -len(c), c))[0]


def _reconcile_numeric(obs: list[Obs]) -> tuple[Obs | None, bool]:
    """(chosen statement, conflicting?) for numeric statements under interval logic."""
    usable = [o for o in obs if o.fact.value_num is not None or o.fact.value_num_high is not None]
    if not usable:
        return None, False
    ivs = [admitted(o.fact.value_num, o.fact.value_num_high, o.fact.qualifier) for o in usable]
    ok = agree([iv for iv in ivs if iv is not None])
    # statements outside their column's error range were held back before (flows.resolve.statements)
    return sorted(usable, key=Obs.rank)[0], not ok


#: rate unit -> (programs column, basis of a total derived from it)
RATE_COLUMNS = {"credit": ("tuition_per_credit_usd", "per_credit_x_credits"),
                "course": ("tuition_per_course_usd", "per_course_x_courses")}


def _tuition_columns(chosen: dict[str | None, Obs | None], credits: Obs | None, courses: Obs | None
                     ) -> tuple[dict, list[tuple[Obs, str, str]]]:
    """The tuition columns of a program from its chosen statement per unit (None = whole degree).

    The total is the stated one (basis stated); else a per-credit rate x the credits, else a per-course rate x
    the courses, stated for this program (basis names the derivation). An annual figure fills only
    tuition_annual_usd. A derived total outside the total's error range is not published: its rate statement is
    returned as held back with the rule."""
    out = _tuition_fields(chosen.get(None))
    out["tuition_basis"] = "stated" if chosen.get(None) is not None else None
    for unit, (col, _) in RATE_COLUMNS.items():
        c = chosen.get(unit)
        out[col] = _point(c.fact) if c else None
    out["tuition_annual_usd"] = _point(chosen["year"].fact) if chosen.get("year") else None
    held: list[tuple[Obs, str, str]] = []
    if chosen.get(None) is None:
        for unit, count in (("credit", credits), ("course", courses)):
            rate = chosen.get(unit)
            if rate is None or count is None:
                continue
            derived = _rate_total(rate.fact, count.fact)
            rule = range_rules().get("tuition_usd")
            vals = [v for v in (derived["tuition_usd_low"], derived["tuition_usd_high"]) if v is not None]
            if rule and any(not rule.low <= v <= rule.high for v in vals):
                held.append((rate, rule.rule, f"total tuition {derived['tuition_usd']:.0f} derived from this rate x "
                             f"{count.quote.strip()!r} is outside {rule.low:.0f}-{rule.high:.0f}; not published"))
                continue
            out.update(derived)
            out["tuition_basis"] = RATE_COLUMNS[unit][1]
            break
    return out, held


def _point(f: Fact) -> float | None:
    """Point estimate of one statement, by the tuition_usd rule (range -> midpoint, bound -> floor, under -> None)."""
    return _tuition_fields_of(f)["tuition_usd"]


def _rate_total(price: Fact, count: Fact) -> dict:
    """Total tuition from a rate (per credit / per course) and a count; a range in either gives a tuition range."""
    lo_c = count.value_num
    hi_c = count.value_num_high if count.value_num_high is not None else lo_c
    lo_p = price.value_num if price.value_num is not None else price.value_num_high
    hi_p = price.value_num_high if price.value_num_high is not None else lo_p  # e.g. in-state / out-of-state rates
    lo, hi = lo_p * lo_c, hi_p * hi_c
    if hi != lo:
        return {"tuition_usd": (lo + hi) / 2, "tuition_usd_low": lo, "tuition_usd_high": hi, "tuition_qualifier": "range"}
    q = price.qualifier if price.qualifier in ("exact", "approx") else "approx"
    return {"tuition_usd": lo, "tuition_usd_low": lo, "tuition_usd_high": lo, "tuition_qualifier": q}


def _tuition_fields(c: Obs | None) -> dict:
    if c is None:
        return {"tuition_usd": None, "tuition_usd_low": None, "tuition_usd_high": None, "tuition_qualifier": None}
    return _tuition_fields_of(c.fact)


def _tuition_fields_of(f: Fact) -> dict:
    q = f.qualifier or "exact"
    v, h = f.value_num, f.value_num_high
    if q in ("exact", "approx"):
        return {"tuition_usd": v, "tuition_usd_low": v, "tuition_usd_high": h if h is not None else v,
                "tuition_qualifier": q}
    if q == "range":
        lo, hi = (v, h) if h is not None else (v, v)
        return {"tuition_usd": (lo + hi) / 2, "tuition_usd_low": lo, "tuition_usd_high": hi, "tuition_qualifier": q}
    if q == "under":
        bound = h if h is not None else v
        return {"tuition_usd": None, "tuition_usd_low": None, "tuition_usd_high": bound, "tuition_qualifier": q}
    # over / at_least: the stated floor is the best point estimate we have
    return {"tuition_usd": v, "tuition_usd_low": v, "tuition_usd_high": None, "tuition_qualifier": q}


_GRE_ORDER = ("required", "not_required", "optional")


def _reconcile_gre(obs: list[Obs]) -> tuple[str | None, bool]:
    if not obs:
        return None, False
    sets = [set(o.fact.value.split("|")) for o in obs]
    common = set.intersection(*sets)
    if not common:
        chosen = sorted(obs, key=lambda o: (len(o.fact.value.split("|")), o.rank()))[0]
        return _single_gre(chosen.fact.value.split("|")), True
    # the most specific statement inside the agreement wins
    singles = [s for s in sets if len(s) == 1 and s <= common]
    if singles:
        return next(iter(singles[0])), False
    return _single_gre(common), False


def _single_gre(values) -> str:
    vals = set(values)
    # "dropped or made optional" admits both: report the weaker claim, optional
    if vals >= {"optional", "not_required"}:
        return "optional"
    return sorted(vals, key=_GRE_ORDER.index)[0]


def _first_text(obs: list[Obs]) -> str | None:
    return sorted(obs, key=Obs.rank)[0].fact.value if obs else None


def _note_conflict(conflicts: list, pid: str, attribute: str, obs: list[Obs], conflicting: bool) -> bool:
    if not conflicting:
        return False
    values, sids = [], []
    for o in sorted(obs, key=lambda o: (o.source_id, o.char_start)):
        v = f"{o.quote.strip()} [{o.source_id}]"
        if v not in values:
            values.append(v)
        if o.source_id not in sids:
            sids.append(o.source_id)
    conflicts.append({"entity_type": "program", "entity_id": pid, "attribute": attribute,
                      "values": values, "source_ids": sids})
    return True


def _int(v) -> int | None:
    return None if v is None else int(round(v))


# ------------------------------------------------------------------- courses, specializations, careers

def _resolve_named(facts_by_source, sources, entity_type: str, reg: Registry | None = None):
    obs, groups = [], {}
    prefix = {"course": "", "specialization": "", "career": ""}[entity_type]
    for sid, fs in facts_by_source.items():
        src = sources[sid]
        for f in fs:
            if f.entity_type != entity_type:
                continue
            eid = prefix + name_key(f.subject)
            if not eid:
                continue
            s, e, quote = anchor(f, src)
            o = Obs(f, sid, eid, s, e, quote, src.as_of)
            g = groups.setdefault(eid, {"id": eid, "names": [], "obs": []})
            g["names"].append(f.subject)
            g["obs"].append(o)
            obs.append(o)
    return obs, groups


def _attr(g, name) -> list[Obs]:
    return [o for o in g["obs"] if o.fact.attribute == name]


def _longest(obs: list[Obs]) -> str | None:
    vals = [o.fact.value for o in obs if o.fact.value]
    return max(vals, key=len) if vals else None


#: words that make a provider an organisation rather than a person (besides the registry's institution words)
_ORG_WORDS_RE = re.compile(r"\b(?:Inc|LLC|Ltd|Corp|Corporation|Company|Labs?|Academy|School|Center|Centre|Foundation|"
                           r"Group|Google|Microsoft|Amazon|IBM|Meta|NVIDIA|OpenAI|Stanford|MIT|AI|Online|Press)\b|[.@/]\w|\d")
#: a person as written: two or three capitalised names, an initial allowed ("Andrew Ng", "Jane Q. Doe")
_PERSON_RE = re.compile(r"(?:Dr\.?\s+|Prof\.?\s+|Professor\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z'’-]+){1,2}")


def provider_or_instructor(name: str | None, reg: Registry) -> tuple[str | None, str | None]:
    """(provider, instructor) for a course's stated provider: an institution or platform stays the provider;
    a person's name ("Andrew Ng", "Prof. Jane Doe") is the instructor. Hand-written on purpose: the registry
    decides institutions and platforms, and a name-shape test is enough for what is left."""
    if not name:
        return None, None
    n = name.strip()
    if reg.is_provider(n) or reg.looks_like_institution(n) or _ORG_WORDS_RE.search(n):
        return n, None
    if _PERSON_RE.fullmatch(n):
        return None, n
    return n, None


def _course_table(groups, reg: Registry) -> pl.DataFrame:
    rows = []
    for cid in sorted(groups):
        g = groups[cid]
        kinds = [o.fact.value for o in _attr(g, "kind")]
        providers, instructors = [], []
        for o in sorted(_attr(g, "provider"), key=Obs.rank):
            p, i = provider_or_instructor(o.fact.value, reg)
            (providers if p else instructors).append(p or i)
        rows.append({
            "course_id": cid, "title": g["names"][0],
            "kind": "course" if "course" in kinds else ("core_topic" if kinds else "course"),
            "provider": providers[0] if providers else None,
            "description": _longest(_attr(g, "description")),
            "source_ids": sorted({o.source_id for o in g["obs"]}),
            "instructor": instructors[0] if instructors else None,
        })
    return _frame(rows, COURSE_SCHEMA)


def _specialization_table(groups, reg: Registry, programs: pl.DataFrame | None = None) -> pl.DataFrame:
    """Specializations with the schools named as strong in them and the ids of those schools' programs (and of
    programs naming the specialization): a school with no program row contributes no id."""
    by_school: dict[str, list[str]] = defaultdict(list)
    by_spec: dict[str, list[str]] = defaultdict(list)
    if programs is not None and programs.height:
        for pid, uni, sids in programs.select("program_id", "university", "specialization_ids").iter_rows():
            by_school[uni].append(pid)
            for s in sids or []:
                by_spec[s].append(pid)
    rows = []
    for sid_ in sorted(groups):
        g = groups[sid_]
        unis = []
        for o in _attr(g, "university"):
            u = reg.canonical(o.fact.value)
            if u not in unis and not reg.is_provider(o.fact.value):
                unis.append(u)
        pids = {p for u in unis for p in by_school.get(u, [])} | set(by_spec.get(sid_, []))
        rows.append({
            "specialization_id": sid_, "name": g["names"][0],
            "description": _longest(_attr(g, "description")),
            "universities": sorted(unis),
            "source_ids": sorted({o.source_id for o in g["obs"]}),
            "program_ids": sorted(pids),
        })
    return _frame(rows, SPECIALIZATION_SCHEMA)


def _career_table(groups) -> pl.DataFrame:
    rows = []
    for cid in sorted(groups):
        g = groups[cid]
        sal = sorted(_attr(g, "salary"), key=Obs.rank)
        s = sal[0].fact if sal else None
        skills = []
        for o in sorted(_attr(g, "key_skills"), key=lambda o: (o.source_id, o.char_start)):
            if o.fact.value not in skills:
                skills.append(o.fact.value)
        open_ended = bool(s and s.qualifier in ("at_least", "over"))
        single = bool(s and not open_ended and s.qualifier in (None, "exact", "approx")
                      and (s.value_num_high is None or s.value_num_high == s.value_num))
        rows.append({
            "career_id": cid, "role": g["names"][0],
            "salary_usd_min": None if single or not s else s.value_num,
            "salary_usd_max": None if single or not s else s.value_num_high,
            "salary_open_ended": open_ended,
            "salary_usd_typical": s.value_num if single else None,
            "growth_outlook": _first_text(_attr(g, "growth_outlook")),
            "key_skills": skills,
            "source_ids": sorted({o.source_id for o in g["obs"]}),
        })
    return _frame(rows, CAREER_SCHEMA)


# ----------------------------------------------------------------------------------- observations

#: ``json.dumps(ident, default=str)`` without building an encoder per call (json.dumps makes one whenever it is
#: given an option): the same encoder settings, so the same text and the same observation ids
_IDENT_JSON = json.JSONEncoder(default=str)


def observations_frame(obs: list[Obs]) -> pl.DataFrame:
    rows = []
    seen = set()
    for o in obs:
        f = o.fact
        ident = (o.source_id, f.entity_type, o.entity_id, f.attribute, o.char_start, o.char_end, f.value)
        if ident in seen:
            continue
        seen.add(ident)
        oid = hashlib.sha1(_IDENT_JSON.encode(ident).encode()).hexdigest()[:16]
        rows.append({
            "observation_id": oid, "source_id": o.source_id, "entity_type": f.entity_type,
            "entity_id": o.entity_id, "attribute": f.attribute, "value": f.value,
            "value_num": f.value_num, "value_num_high": f.value_num_high, "qualifier": f.qualifier,
            "char_start": o.char_start, "char_end": o.char_end, "quote": o.quote, "extractor": f.extractor,
            "unit": _obs_unit(f), "covers": f.covers,
        })
    rows.sort(key=lambda r: (r["source_id"], r["char_start"], r["entity_type"], r["entity_id"], r["attribute"]))
    return _frame(rows, OBSERVATION_SCHEMA)


def _obs_unit(f: Fact) -> str | None:
    return money_unit(f) if f.attribute in ("tuition", "tuition_per_credit") else f.unit


#: statements held back during resolution (validate turns each into a quarantine row, scope statement)
HELD_BACK_SCHEMA = {"table": pl.Utf8, "record_key": pl.Utf8, "rule": pl.Utf8, "message": pl.Utf8,
                    "attribute": pl.Utf8, "source_id": pl.Utf8, "char_start": pl.Int64, "char_end": pl.Int64,
                    "quote": pl.Utf8, "record": pl.Utf8}


def held_back_frame(held: list[tuple[str, str, Obs, str, str]]) -> pl.DataFrame:
    """One row per held-back statement: its row's key, rule, message, source span and the statement as JSON
    (with the row's program_id and university, so a report shows it beside its row)."""
    rows = []
    for pid, university, o, rule, msg in held:
        f = o.fact
        record = {"program_id": pid, "university": university, "source_id": o.source_id, "attribute": f.attribute, "value": f.value,
                  "value_num": f.value_num, "value_num_high": f.value_num_high, "qualifier": f.qualifier,
                  "unit": _obs_unit(f), "char_start": o.char_start, "char_end": o.char_end, "quote": o.quote,
                  "extractor": f.extractor}
        rows.append({"table": "programs", "record_key": pid, "rule": rule, "message": msg, "attribute": f.attribute,
                     "source_id": o.source_id, "char_start": o.char_start, "char_end": o.char_end, "quote": o.quote,
                     "record": json.dumps(record, ensure_ascii=False)})
    return _frame(rows, HELD_BACK_SCHEMA)


# ------------------------------------------------------------------------------------ frame schemas
# Column names and dtypes come from the pandera models in schemas/tables.py (single source of truth).

PROGRAM_SCHEMA = polars_schema("programs")
COURSE_SCHEMA = polars_schema("courses")
SPECIALIZATION_SCHEMA = polars_schema("specializations")
CAREER_SCHEMA = polars_schema("careers")
OBSERVATION_SCHEMA = polars_schema("observations")
CONFLICT_SCHEMA = polars_schema("conflicts")

def _frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    return pl.from_dicts(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
