"""The one record every extractor returns: a fact with its exact place in the document text.

Extractors are pure functions ``(text: str) -> list[Fact]``. ``start``/``end`` index the *document
text* handed to the extractor (for .txt/.md that is the file's text; for HTML the flattened text,
whose offsets ingest maps back to the file). ``text[start:end]`` must be the words the value was
read from -- the quote. Resolution (flows.resolve) turns facts into entity ids and curated rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter

#: entity types an extractor may emit
ENTITY_TYPES = ("program", "course", "specialization", "career")

#: tuition / salary qualifiers (programs.tuition_qualifier)
QUALIFIERS = ("exact", "approx", "under", "over", "at_least", "range")

#: GRE policies (programs.gre_policy); a fact may carry several joined by "|" when the wording
#: admits either ("dropped or made the GRE optional" -> "not_required|optional").
GRE_POLICIES = ("required", "optional", "not_required")


@dataclass(frozen=True, slots=True)
class Fact:
    """One extracted fact.

    entity_type: "program" | "course" | "specialization" | "career".
    subject:     program -> the institution as written ("Lakeside Tech", "LSU-O");
                 course -> course title; specialization -> its name; career -> the role.
    degree:      program facts only: the degree as written ("M.S. in Data Science (Vision Track)",
                 an acronym such as "OMDS", "MSAI / MSDS") or None when the text names only the school.
    attribute:   see ATTRIBUTES below.
    value:       the normalised value as text ("7000", "not_required", "Fully Online (Async)").
    value_num / value_num_high: numeric low / high (money in USD, counts); None when not numeric or
                 open-ended (high of "5+" or "$220,000+").
    qualifier:   exact|approx|under|over|at_least|range for money and counts; None otherwise.
    unit:        money facts: what one amount pays for -- degree (the whole program), credit, course, year,
                 term, month (flows.extract.values.MONEY_UNITS) -- or None when the text does not say.
    covers:      money facts: tuition | tuition_and_fees when the words around the amount (or its header/key)
                 say what it covers ("in tuition and fees", "excluding fees"); None otherwise.
    start, end:  span in the document text; text[start:end] is the quote.
    extractor:   the extractor's name, e.g. "flattened_table".
    """

    entity_type: str
    subject: str
    attribute: str
    value: str
    start: int
    end: int
    extractor: str
    degree: str | None = None
    value_num: float | None = None
    value_num_high: float | None = None
    qualifier: str | None = None
    unit: str | None = None
    covers: str | None = None

    def as_dict(self) -> dict:
        # shallow (every field is a scalar): dataclasses.asdict deep-copies each value, and a 10,000-document
        # refresh writes 280,000 facts to the extraction cache
        return {name: getattr(self, name) for name in _FACT_FIELDS}

    def __reduce__(self):
        # pickled as Fact(*fields): a frozen slots dataclass otherwise pickles through dataclasses' generic
        # __getstate__/__setstate__ (fields() and one object.__setattr__ per field, in Python), and every fact
        # crosses a process boundary once or twice (extraction worker -> Dask worker -> flow)
        return Fact, _fact_values(self)


_FACT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Fact))
_fact_values = attrgetter(*_FACT_FIELDS)  # in __init__'s order: the fields are declared in it


#: attributes per entity type (the vocabulary resolution understands)
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "program": (
        "degree_title",        # value: degree as written; emitted once per program mention with a degree
        "ml_core_courses",     # value_num=min, value_num_high=max (None when "5+", qualifier at_least)
        "credits",             # value_num; value "Variable" with value_num None when variable
        "course_count",        # courses to graduate (value_num/value_num_high); a per-course price x this = total
        "tuition",             # value_num/value_num_high in USD, qualifier, unit (degree|credit|course|year|term|month|None)
        "tuition_per_credit",  # legacy spelling of tuition with unit "credit" (read as such by resolution)
        "gre_policy",          # value in GRE_POLICIES, or two joined by "|"
        "delivery_format",     # value as written
        "standout_feature",    # value as written
        "specialization",      # value: specialization name the program is named as strong in / offers
        "mention",             # the program (or school) is named here; value = name as written
    ),
    "course": ("provider", "description", "kind", "credits"),  # kind value: core_topic | course; credits: value_num
    "specialization": ("description", "university"),  # university value: school named as strong in it
    "career": ("salary", "growth_outlook", "key_skills"),  # salary: value_num min, value_num_high max, qualifier at_least when open-ended; key_skills value: one skill per fact
}


@dataclass(slots=True)
class ExtractionResult:
    """What extracting one document yields: its facts and the lines that look factual but yielded none."""

    facts: list[Fact] = field(default_factory=list)
    #: (start, end, reason) spans of lines with money/credits/GRE/institution words but no fact
    unclaimed: list[tuple[int, int, str]] = field(default_factory=list)
