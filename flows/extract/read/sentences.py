"""Sentences of paragraphs, list items and headings: a value is read when the sentence says what it is
(cost words and a unit, a credit count of the degree, a GRE policy) and who it belongs to (the one school
the sentence names, else the block's scope). A sentence naming several schools, a generic amount ("most
programs cost $30,000"), a salary, a fee or a specialization's credit count reads nothing."""

from __future__ import annotations

import re

from flows.extract.layout.model import Block, Layout
from flows.extract.model import Fact
from flows.extract.read import several
from flows.extract.read.facts import money_fact, program_fact
from flows.extract.read.values import money_in, unit_of
from flows.extract.values import find_credits, find_format, find_ml_course_counts, gre_policy, is_sub_requirement
from flows.extract.scope import Names, Scope, distinct, find_degree
from flows.extract.text import sentences

EXTRACTOR = "layout_sentence"

_COST_RE = re.compile(r"\b(?:tuition|costs?|tops? out at|(?:in)?expensive|cheap\w*|affordab\w+|lands? (?:near|at|around)|"
                      r"exceed(?:s|ing)?|falls? (?:in|within) the|costing|priced?|prices|charges?|total(?:s|ing)?|runs? (?:about|around|roughly)|"
                      r"paid|pay(?:ing)?|"
                      r"(?:comes?|came) (?:to|in at)|investment|pay(?:s)? (?:a )?(?:flat|total))\b", re.I)
_NOT_PRICE_RE = re.compile(r"\b(?:salar(?:y|ies)|earn(?:s|ed|ing)?|income|compensation|wages?|paid (?:roles|jobs)|"
                           r"application fee|technology fee|graduation fee|deposit|books?|stipend|scholarships?|"
                           r"grants?|aid|loans?|debt|revenue|funding|budget|saves?|savings?|raised|worth|"
                           r"bonus|per hour of work|an hour|receive[sd]?|reimburs\w*|tax[- ]free|employers?|benefits?|"
                           r"net price|after (?:grants|aid)|roles|positions|jobs|"
                           # the test's own price: "Taking the GRE costs more than $200"
                           r"(?:GRE|GMAT|TOEFL|IELTS|the test|the exam)(?:\s+\w+){0,2}\s+(?:costs?|fees?))\b", re.I)
#: what living costs, not what the program costs ("Estimated Cost of Living: $31,900 /year"); only before the
#: amount or after "for" ("tuition of $20,000 plus living costs" still prices the tuition)
_LIVING_RE = re.compile(r"\b(?:(?:cost|costs) of living|living (?:costs?|expenses)|housing|accommodation|room and board|"
                        r"rent|food|meals|transport(?:ation)?|personal expenses)\b", re.I)
_GENERIC_RE = re.compile(r"\b(?:average|median|on average|in general|in this field|"
                         r"(?:many|most|some|several|few|all) of (?:which|them|these|those)|"
                         r"(?:often|usually|generally|typically) (?:cost|costs|run|runs|charge|charges|range)|"
                         r"degrees? like|like this|"
                         # "most programs", "many online degrees", "a typical program" (not "most students
                         # finish the 36 credits", not "total cost is typically under $10,000" under a school)
                         r"(?:most|many|some|other|several|these|all|typical)\s+(?:[\w-]+\s+){0,2}?(?:programs?|schools?|"
                         r"degrees?|universities|colleges|options|master['’]?s)|"
                         r"national(?:ly)?|across|comparable|similar|anywhere from|can (?:cost|run|exceed|reach)|"
                         r"may (?:cost|run)|expect to (?:pay|spend)|people|students (?:who|often)|you(?:'ll| will)? "
                         r"(?:pay|spend)|drop|spend|spent|programs? like|range[sd]? (?:from|between)|"
                         r"as (?:little|much) as|elsewhere|competitors?|rivals?)\b", re.I)
#: a sentence that may state a credit count (cheap test before the typed reader, values.find_credits)
_CREDIT_WORD_RE = re.compile(r"credit|units|hours|points|\bcr\.|ects", re.I)
_EACH_RE = re.compile(r"\s*(?:each|apiece)\b", re.I)
_PROGRESS_AFTER_RE = re.compile(r"\s+(?:into|in so far|so far|left|remaining|to go|done|behind me|completed)\b", re.I)
_PROGRESS_BEFORE_RE = re.compile(r"\b(?:currently|already|completed|finished|earned|taken|took|passed|transferred)\s+"
                                 r"(?:\w+\s+){0,2}$", re.I)


def _progress(sent: str, c) -> bool:
    """A student's progress, not a requirement: "I'm currently eighteen credits into the degree", "12 credits left"."""
    return bool(_PROGRESS_AFTER_RE.match(sent, c.end) or _PROGRESS_BEFORE_RE.search(sent[max(0, c.start - 40):c.start]))


_PER_PERIOD_RE = re.compile(r"\s*(?:/\s*|per\s+|a\s+|each\s+|every\s+)(?:academic\s+)?(?:year|yr|semester|term|"
                            r"quarter|trimester|session|month)\b", re.I)
_SUB_RE = re.compile(r"\b(?:speciali[sz]\w*|concentration|track|certificate|electives?|core courses?|capstone|"
                     r"thesis|practicum|internship|each course|per course|per (?:term|semester)|transfer(?:red)?|"
                     r"up to|maximum|at most|foundation(?:al)? courses?|prerequisites?|bridge|minor|option|"
                     r"pathway|cluster|module|courses? (?:are|is|carries|carry|worth)|worth \d|"
                     # admission requirements: "a 3.0 GPA in the last 60 credit hours of a bachelor's degree"
                     r"GPA|undergraduate|bachelor['’]?s?|in the last)\b", re.I)
_DEGREE_CONTEXT_RE = re.compile(r"\bM\.S\.|\bM\.Eng\.|\ball(?= \d)|\b(?:program|whole|entire|in total|degree|MS|MEng|MSc|offers?|master['’]?s?|requires?|required|complete|completing|"
                                r"total|consists?|comprises?|curriculum|graduate|earn)\b", re.I)
_GRE_RE = re.compile(r"\bGRE\b|\bGMAT\b")


#: a whole-degree acronym owned by the school before it: "Fairhaven Tech's OMSAI", "Lakeside's MSDS"
_OWNED_ACRONYM_RE = re.compile(r"^['’]s\s+(?:online\s+)?(?P<d>O?M(?:S|E|Eng|C)[A-Z]{1,4})\b")


_EXAMPLE_BEFORE_RE = re.compile(r"\b(?:like|such as|e\.g\.,?)\s+(?:(?:the\s+)?(?:one|ones|program|programs)\s+(?:at|from|of)\s+)?"
                                r"(?:the\s+)?$", re.I)


_FIELD_OF_RE = re.compile(r"\b(?:in|of)\s+(?P<f>[^()]+)", re.I)
_STOP = {"science", "master", "masters", "master's", "online", "of", "in", "and", "the", "degree", "program", "m.s.", "ms"}


def _same_program(a: str, b: str) -> bool:
    """Two wordings of one program ("Online Master of Science in Computer Science" / "MS in CS"), not two
    programs ("online Master of Science in Artificial Intelligence" / "online M.S. in Data Analytics"): their
    fields share a word, or one of them is an abbreviation."""
    fa, fb = _FIELD_OF_RE.search(a), _FIELD_OF_RE.search(b)
    if not fa or not fb:
        return True
    wa = {w for w in re.findall(r"[\w'’]+", fa.group("f").lower()) if w not in _STOP}
    wb = {w for w in re.findall(r"[\w'’]+", fb.group("f").lower()) if w not in _STOP}
    if any(len(w) <= 3 and w.isalpha() for w in wa | wb):
        return True   # "MS in CS", "M.S. in AI": an abbreviated field is a short form of the other
    return not wa or not wb or bool(wa & wb)


def _owner(layout: Layout, a: int, b: int, sc: Scope | None, names: Names) -> tuple[Scope | None, bool]:
    """(owner, named_here): the one school the sentence names, else the block's scope; None when several."""
    ms = distinct(names.within(a, b))
    if len(ms) > 1:
        return None, True
    if len(ms) == 1 and _EXAMPLE_BEFORE_RE.search(layout.text[max(a, ms[0].start - 40):ms[0].start]):
        return None, True     # "a program like the one at Quarry Hill University": the school is an example
    if len(ms) == 1:
        m = ms[0]
        d = find_degree(layout.text[a:b])
        acr = _OWNED_ACRONYM_RE.match(layout.text[m.end:m.end + 16])
        here = layout.text[a + d[0]:a + d[1]] if d else None
        if sc is not None and sc.canonical == m.canonical and sc.degree and (here is None or _same_program(sc.degree, here)):
            deg = sc.degree      # the page's or section's program, however the sentence words it
        elif acr:
            deg = acr.group("d")
        elif d:
            deg = layout.text[a + d[0]:a + d[1]]
        else:
            deg = sc.degree if sc and sc.canonical == m.canonical else None
        return Scope(m.text, m.canonical, deg, m.start, m.end, "sentence"), True
    return sc, False


#: "finish for under $25,000", "for about $9,000": a price after "for"
_FOR_PRICE_RE = re.compile(r"\bfor\s+(?:about|roughly|around|approximately|under|less than|just|only|~)?\s*\$")
#: a sentence about programs in general: "Others have made the GRE optional", "Some schools waive it"
_GENERIC_SUBJECT_RE = re.compile(r"^\W*(?:(?:why|how|where|when)\s+)?(?:others|some|many|most|several|few|all)\b", re.I)
_INFORMAL_RE = re.compile(r"\d\s?[kK]\b")   # "paid about 9k total": values.find_money reads it after paying words


def _read(layout: Layout, a: int, sent: str, owner: Scope, named: bool, whole: str | None = None,
          about_gre: bool = False) -> list[Fact]:
    """Every value one sentence (or clause) with a known owner states; ``whole`` is the sentence a clause
    came from (its cost words speak for every clause: "A costs $X, while B exceeds $Y")."""
    out: list[Fact] = []
    if "$" in sent or _INFORMAL_RE.search(sent):
        out.extend(_money(layout, a, sent, owner, named, whole))
    if _CREDIT_WORD_RE.search(sent):
        out.extend(_credits(a, sent, owner, named))
    generic = not named and bool(_GENERIC_RE.search(sent) or _GENERIC_SUBJECT_RE.match(sent))
    if (_GRE_RE.search(sent) or about_gre) and not generic:
        out.extend(_gre(a, sent, owner, about_gre))
    if not generic:
        out.extend(_format(a, sent, owner))
    out.extend(_ml_courses(a, sent, owner))
    return out


def _gre_section(layout: Layout, b: Block) -> bool:
    """The block sits under a heading about the GRE ("Is the GRE Required?", "Test scores")."""
    if b.parent is None:
        return False
    return bool(_GRE_TOPIC_RE.search(layout.span(layout.blocks[b.parent])))


_GRE_TOPIC_RE = re.compile(r"\bGRE\b|\bGMAT\b|\btest(?:ing)? (?:scores|requirements?|polic(?:y|ies))\b|\bentrance exams?\b", re.I)
#: a sentence that refers back to the GRE named just before: "Sable Point asks applicants to submit them"
_GRE_BACK_RE = re.compile(r"\b(?:them|it|the (?:exam|test)|(?:test )?scores)\b", re.I)


def sentence_facts(layout: Layout, b: Block, sc: Scope | None, names: Names) -> list[Fact]:
    text = layout.text
    out: list[Fact] = []
    last: Scope | None = None   # the school the paragraph's previous sentences named
    mixed = False               # the paragraph has named two schools: an unnamed sentence has no owner
    gre_topic = _gre_section(layout, b)
    for s in sentences(b.start, text[b.start:b.end]):
        a, e = s.start, s.end
        sent = text[a:e]
        about_gre = gre_topic and not _GRE_RE.search(sent) and bool(_GRE_BACK_RE.search(sent))
        gre_topic = gre_topic or bool(_GRE_RE.search(sent))
        owner, named = _owner(layout, a, e, None if mixed else (last or sc), names)
        if named:
            if owner is None or (last is not None and last.canonical != owner.canonical):
                mixed = True
            last = owner
        if sent.rstrip().endswith("?"):
            continue                      # a question states nothing
        if owner is not None:
            out.extend(_read(layout, a, sent, owner, named, about_gre=about_gre))
        elif named:
            # several schools in one sentence: read.several splits it into the parts each school owns
            for x, y, o in several.owned_parts(layout, a, sent, names):
                back = gre_topic and not _GRE_RE.search(sent[x:y]) and bool(_GRE_BACK_RE.search(sent[x:y]))
                out.extend(_read(layout, a + x, sent[x:y], o, True, sent, about_gre=back))
            out.extend(several.amounts_at_schools(layout, a, sent, names, _price_context(sent)))
    return out


def _format(a: int, sent: str, owner: Scope) -> list[Fact]:
    """The delivery format a sentence states, as written ("fully online", "100% online")."""
    sp = find_format(sent)
    if sp is None:
        return []
    return [program_fact(owner, "delivery_format", sent[sp[0]:sp[1]], a + sp[0], a + sp[1], EXTRACTOR)]


def _ml_courses(a: int, sent: str, owner: Scope) -> list[Fact]:
    """The count of machine-learning courses the sentence states ("five core ML courses"); one only."""
    cs = find_ml_course_counts(sent)
    if len(cs) != 1:
        return []
    c = cs[0]
    value = (f"{int(c.low)}+" if c.qualifier == "at_least" else
             f"{int(c.low)}-{int(c.high)}" if c.qualifier == "range" else f"{int(c.low)}")
    return [program_fact(owner, "ml_core_courses", value, a + c.start, a + c.end, EXTRACTOR, c.low, c.high,
                         c.qualifier)]


def _price_context(sent: str) -> bool:
    return bool(_COST_RE.search(sent) or _FOR_PRICE_RE.search(sent))


def _money(layout: Layout, a: int, sent: str, owner: Scope, named: bool, whole: str | None = None) -> list[Fact]:
    ms = money_in(sent)
    ctx = whole or sent
    # "$610/credit" is a price by itself (a fee's rate is not: "fees of $35 per credit hour")
    per_credit = any(m.unit == "credit" for m in ms) and not re.search(r"\bfees?\b", sent, re.I)
    if not (_COST_RE.search(ctx) or per_credit or _FOR_PRICE_RE.search(sent)):
        return []
    if len(ms) > 1 and len({(m.low, m.high) for m in ms}) < len(ms):
        return []        # the same amount twice ("Total Fees $38,198 $38,198"): columns of a flattened table
    picked = []
    for m in ms:
        if not named and _GENERIC_RE.search(_clause(sent, m.start, m.end)):
            continue     # "most programs cost $30,000": a generic amount, in the amount's own clause
        if _not_a_price(sent, m):
            continue     # a salary, a deposit, aid, a budget: the words nearest the amount say so
        after = sent[m.end:m.end + 25].split("$")[0]
        lead = sent[max(0, m.start - 25):m.start].split("$")[-1]
        if re.search(r"\bfees?(?:\s+(?:of|is|are|runs?|totals?))?\W{0,12}$", lead, re.I) and not re.search(r"tuition", lead, re.I):
            continue     # "Total Fees $38,198", "a fee of $75": a fee is not tuition
        before = unit_of(lead)
        label = _LABEL_UNIT_RE.search(lead)
        if label and not re.search(r"\d", lead):
            # a card's label run into its value: "Tuition per credit, out-of-state$905"
            before_unit = "credit" if label.group("u").lower().startswith(("credit", "unit")) else before
        else:
            before_unit = before if before == "degree" else None
        unit = m.unit or unit_of(after) or _RATE_BEFORE.get(_rate_before(lead)) or before_unit
        picked.append((m, unit, m.unit is not None or unit_of(after) is not None))
    contextual = [p for p in picked if p[1] is None or not p[2]]
    if len(contextual) > 1:
        picked = [p for p in picked if p[2]]   # two amounts whose unit only the context gives: which is which is open
    if not (_COST_RE.search(ctx) or _FOR_PRICE_RE.search(sent)):
        # no cost word: only the per-credit price, and a total the sentence derives from it ("$610/credit and
        # the degree is 33 credits, so ~$20k": the amount is rate x credits, within 5 %)
        rates = [m.low for m, u, _ in picked if u == "credit" and m.low]
        counts = [c.low for c in find_credits(sent) if c.qualifier == "exact"]
        products = [r * n for r in rates for n in counts]
        picked = [p for p in picked if p[1] == "credit" or
                  (p[1] is None and p[0].low and any(abs(p[0].low - x) <= 0.05 * x for x in products))]
    out = []
    for m, unit, _ in picked:
        f = money_fact(owner, m, unit, a + m.start, a + m.end, EXTRACTOR)
        if f:
            out.append(f)
    return out


def _not_a_price(sent: str, m) -> bool:
    """The amount is not a price: a not-price word (salary, deposit, aid, budget...) right after it ("a $250
    enrollment deposit"), or nearer before it than any cost word, inside its clause ("graduates earn $90,000";
    but "a $250 deposit and tuition of $19,800" prices the second amount)."""
    after = sent[m.end:m.end + 25].split("$")[0]
    after = after[:after.find(",")] if "," in after else after
    if _NOT_PRICE_RE.search(after) or re.match(r"\s*(?:[\w-]+\s+){0,2}?fees?\b", after, re.I) \
            and not re.match(r"\s*(?:before|plus|excluding|without|not including|\+|and)\s+fees", after, re.I):
        return True      # "a $250 enrollment deposit", "a one-time $150 matriculation fee" (not "$39,600 before fees")
    clause = _clause(sent, m.start, m.end)
    c0 = max(0, sent.rfind(clause, 0, m.end)) if clause else 0
    before = sent[c0:m.start]
    cost = [x.end() for x in _COST_RE.finditer(before)] + [x.end() for x in _FOR_PRICE_RE.finditer(before + "$")]
    bad = [x.end() for x in _NOT_PRICE_RE.finditer(before)] + [x.end() for x in _LIVING_RE.finditer(before)]
    if re.match(r"\s*(?:/\s*\w+\s+|per \w+\s+|a year\s+)?(?:for|on|in)\s+", after, re.I) and _LIVING_RE.search(after):
        return True      # "$12,000 a year for housing"
    rest = sent[m.end:]
    if re.match(r"[^.;]*?\binclud(?:es|ing|ed)\b", rest, re.I) and _LIVING_RE.search(rest):
        return True      # "$33,540, which includes ... tuition and ... living expenses": a cost of attendance
    return bool(bad) and (not cost or max(bad) >= max(cost))   # "net price", "the GRE costs": the not-price words win


_LABEL_UNIT_RE = re.compile(r"\bper\s+(?P<u>credit(?:\s+hour)?|unit|course|class|year|semester|term)\b[^$\d.;]{0,20}$", re.I)
_RATE_BEFORE_RE = re.compile(r"\b(?P<u>credits?|credit hours?|units?|courses?|classes)\s+(?:at|@|x|×)\s*$", re.I)
_RATE_BEFORE = {"credit": "credit", "unit": "credit", "course": "course", "class": "course"}


def _rate_before(lead: str) -> str | None:
    """'credit' / 'course' when the amount is a rate for a count just before it ("30 credits at $333 each")."""
    m = _RATE_BEFORE_RE.search(lead)
    if not m:
        return None
    u = m.group("u").lower()
    return "credit" if u.startswith(("credit", "unit")) else "course"


def _clause(sent: str, a: int, b: int) -> str:
    """The clause of ``sent`` around [a, b): between the nearest , ; : ( ) or dash on either side."""
    left = max(sent.rfind(ch, 0, a) for ch in ",;:(—–")
    rights = [i for i in (sent.find(ch, b) for ch in ",;:)—–") if i >= 0]
    return sent[left + 1:min(rights) if rights else len(sent)]


def _near(sent: str, a: int, b: int) -> str:
    """The words that say whose a count is: a few words before it and the phrase right after it, inside its
    clause ("the specialization includes 15 credits", "12 credits of electives"), not the whole sentence
    ("a 30-credit curriculum with thesis and non-thesis options" is the degree's)."""
    clause = _clause(sent, a, b)
    c0 = sent.find(clause)
    before = sent[max(c0, a - 40):a]
    after = sent[b:min(c0 + len(clause), b + 30)]
    after = re.split(r"\b(?:with|and|that|which|for)\b", after)[0]
    return before + " " + after


def _credits(a: int, sent: str, owner: Scope, named: bool = True) -> list[Fact]:
    """The degree's credit count: the one count in the sentence (values.find_credits: "36 credits", "30-36
    credit hours", "thirty-six credits"; not a course's weight, "3-credit courses") whose clause is not about a
    part of the degree (a specialization's, the core's, a transfer limit) or a study load ("15 credits/year"),
    in a sentence about the program, nor a generic one ("most programs ask for 30 to 36 credits") in a sentence
    that names no school. "At least 30 credits" reads as 30."""
    # a course's weight ("eight courses of four credits each") and a student's progress ("eighteen credits into
    # the degree", "12 credits left") are not the degree's count, and not counted against it either
    ms = [c for c in find_credits(sent) if not _EACH_RE.match(sent, c.end) and not _progress(sent, c)]
    # a degree-sized count standing alone ("- 30 credits" under "- Length" in a program's list) is the program's
    alone = len(ms) == 1 and sent[ms[0].start:ms[0].end] == sent.strip(" .*-") and ms[0].low >= 24
    if not (_DEGREE_CONTEXT_RE.search(sent) or alone or find_degree(sent)):
        return []
    whole = [c for c in ms if not _SUB_RE.search(_near(sent, c.start, c.end))
             and not _PER_PERIOD_RE.match(sent, c.end)     # "15 credits/year": a study load, not the degree's
             and not is_sub_requirement(sent, (c.start, c.end))
             and not (not named and _GENERIC_RE.search(_clause(sent, c.start, c.end)))]
    if len(whole) != 1 or len(ms) > 2:
        return []
    c = whole[0]
    lo = c.low
    hi = c.high if c.high is not None else lo
    if not (lo.is_integer() and hi.is_integer()):
        return []
    return [program_fact(owner, "credits", f"{int(lo)}" if lo == hi else f"{int(lo)}-{int(hi)}",
                         a + c.start, a + c.end, EXTRACTOR, lo, hi, "exact" if lo == hi else "range")]


def _gre(a: int, sent: str, owner: Scope, about_gre: bool = False) -> list[Fact]:
    """The GRE policy the sentence states (a conditional requirement or waiver reads as optional);
    ``about_gre``: the sentence refers back to the GRE ("... asks applicants to submit them")."""
    pol = gre_policy(sent, about_gre=about_gre, both=True)
    if pol is None:
        return []
    return [program_fact(owner, "gre_policy", pol, a, a + len(sent.rstrip()), EXTRACTOR)]


#: a header line over ranked rows that names their columns ("Rank School Locations Annual Tuition"): short,
#: no digits, ending in what the rows' trailing amount is
_COLUMN_HEADER_RE = re.compile(r"^(?:[A-Z][\w/&-]*\s+){1,6}?(?P<last>(?:(?:Annual|Yearly|Total|Estimated|Average)\s+)?"
                               r"(?:Tuition|Cost|Price|Tuition\s+Per\s+Credit|Cost\s+Per\s+Credit)(?:\s*\([^)]*\))?)\s*$")


def column_header(layout: Layout, b: Block) -> str | None:
    """The trailing column name of a header line over ranked rows, else None."""
    t = layout.text[b.start:b.end].strip()
    m = _COLUMN_HEADER_RE.match(t)
    return m.group("last") if m and not re.search(r"\d", t) else None


def ranked_row_facts(layout: Layout, b: Block, sc: Scope | None, header: str) -> list[Fact]:
    """A ranked row under a header naming its last column ("# 3 #3 Fort Hays State University Hays (KS)
    $4,478" under "... Annual Tuition"): the row's one trailing amount is that column's value for the row's
    school (the item's scope), with the header's unit."""
    if sc is None or sc.how != "item":
        return []
    row = layout.text[b.start:b.end]
    ms = money_in(row)
    if len(ms) != 1 or row[ms[0].end:].strip(" .*"):
        return []
    m = ms[0]
    unit = m.unit or unit_of(header) or ("credit" if re.search(r"per\s+credit", header, re.I) else None)
    f = money_fact(sc, m, unit, b.start + m.start, b.start + m.end, EXTRACTOR)
    return [f] if f else []
