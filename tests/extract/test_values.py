"""flows.extract.values: money with unit and coverage, counts, durations, GRE policy (own phrasings)."""

import pytest

from flows.extract.values import (
    Money, covers_of_context, duration_months, find_course_counts, find_credits, find_durations, find_money,
    gre_policy, is_sub_requirement, parse_money, parse_money_cell, resolve_unit, unit_of_context, with_context_unit,
)


def _one(text):
    spans = find_money(text)
    assert len(spans) == 1, spans
    s = spans[0]
    return text[s.start:s.end], s.low, s.high, s.qualifier, s.unit


# ------------------------------------------------------------------------------------ unit after the amount

@pytest.mark.parametrize("text, quote, low, unit", [
    ("$1,200 per credit hour", "$1,200 per credit hour", 1200, "credit"),
    ("Pay $715/credit this fall", "$715/credit", 715, "credit"),
    ("$640 a credit", "$640 a credit", 640, "credit"),
    ("$455 per unit", "$455 per unit", 455, "credit"),
    ("$380 per semester hour", "$380 per semester hour", 380, "credit"),
    ("$290 per point", "$290 per point", 290, "credit"),
    ("$58,820 /Yr", "$58,820 /Yr", 58820, "year"),
    ("$21,400/year", "$21,400/year", 21400, "year"),
    ("$19,000 a year", "$19,000 a year", 19000, "year"),
    ("$17,500 per academic year", "$17,500 per academic year", 17500, "year"),
    ("$25k annually", "$25k annually", 25000, "year"),
    ("$3,400/course", "$3,400/course", 3400, "course"),
    ("$2,950 per course", "$2,950 per course", 2950, "course"),
    ("$9,000 a semester", "$9,000 a semester", 9000, "term"),
    ("$7,300 per term", "$7,300 per term", 7300, "term"),
    ("$4,100 per quarter", "$4,100 per quarter", 4100, "term"),
    ("$6,000 per trimester", "$6,000 per trimester", 6000, "term"),
    ("$1,250 per session", "$1,250 per session", 1250, "term"),
    ("$450/month", "$450/month", 450, "month"),
    ("$610 monthly", "$610 monthly", 610, "month"),
    # a currency code before the number (listing sites): still dollars
    ("at USD 1,050/credit", "USD 1,050/credit", 1050, "credit"),
    ("USD 640 per credit hour", "USD 640 per credit hour", 640, "credit"),
    ("costs US$ 22,860 a year", "US$ 22,860 a year", 22860, "year"),
])
def test_rate_after_amount_is_its_unit_and_part_of_its_span(text, quote, low, unit):
    q, lo, _, _, u = _one(text)
    assert (q, lo, u) == (quote, low, unit)


@pytest.mark.parametrize("text", ["$42K total", "$42,000 in total", "$42,000 for the entire program",
                                  "$42,000 for the whole degree", "$42,000 all-in"])
def test_total_words_after_amount_mean_degree_but_stay_outside_the_span(text):
    q, lo, _, _, u = _one(text)
    assert (q.rstrip(), lo, u) == (q.rstrip(), 42000, "degree")
    assert q in ("$42K", "$42,000")


def test_no_unit_words_leave_unit_none():
    assert _one("The program costs $31,500.")[4] is None
    assert _one("roughly $8,400")[4] is None


# ------------------------------------------------------------------------------ unit from the words before

@pytest.mark.parametrize("text, unit", [
    ("Annual tuition: $31,000", "year"),
    ("Yearly cost is about $14,000", "year"),
    ("The per-credit cost is $1,200.", "credit"),
    ("Cost per credit hour - $980", "credit"),
    ("Cost per credit hour - and more - $980", None),  # a dash with spaces on both sides ends the clause
    ("Tuition (per semester) $8,750", "term"),
    ("Semester tuition runs $8,750", "term"),
    ("Total program cost: $45,000", "degree"),
    ("The sticker price is $61,000", "degree"),
    ("Each course costs $2,400", "course"),
    ("Monthly payments of $390", "month"),
])
def test_words_before_amount_give_its_unit(text, unit):
    assert _one(text)[4] == unit


def test_context_stops_at_the_previous_amount_and_the_clause():
    text = "Tuition per semester is $8,000 and the total is $32,000"
    assert [(s.low, s.unit) for s in find_money(text)] == [(8000, "term"), (32000, "degree")]
    text = "It costs $1,000 per credit for a total of $30,000."
    assert [(s.low, s.unit) for s in find_money(text)] == [(1000, "credit"), (30000, "degree")]
    text = "In a year, tuition rose to $40,000."  # 'a year' sits in another clause
    assert [s.unit for s in find_money(text)] == [None]


def test_explicit_unit_beats_the_words_before():
    text = "Annual figures: $1,150 per credit"
    assert _one(text)[4] == "credit"


def test_residency_rates_keep_their_units():
    text = "Residents pay $540 per credit; nonresidents pay $810 per credit."
    assert [(s.low, s.unit) for s in find_money(text)] == [(540, "credit"), (810, "credit")]


def test_ranges_carry_units():
    assert _one("$2,000-$3,000 per course")[1:] == (2000, 3000, "range", "course")
    assert _one("between $600 and $900 per credit")[1:] == (600, 900, "range", "credit")
    assert _one("at least $700 per unit")[1:] == (700, None, "at_least", "credit")
    assert _one("under $9,500 per year")[1:] == (None, 9500, "under", "year")


# ------------------------------------------------------------------------------------------ context unit

@pytest.mark.parametrize("context, unit", [
    ("Annual Tuition", "year"), ("Yearly Cost", "year"), ("Tuition per Year", "year"), ("Cost / Yr", "year"),
    ("Academic Year Tuition", "year"),
    ("Cost per Credit", "credit"), ("Tuition per Credit Hour", "credit"), ("Cost/Credit Hour", "credit"),
    ("Per-Credit Rate", "credit"), ("Credit Hour Rate", "credit"), ("Price per Unit", "credit"),
    ("Per Course", "course"), ("Cost per Course", "course"),
    ("Tuition (per semester)", "term"), ("Semester Tuition", "term"), ("Cost per Term", "term"),
    ("Quarterly Tuition", "term"),
    ("Monthly Payment", "month"),
    ("Total Program Cost", "degree"), ("Estimated Total Tuition", "degree"), ("Degree Cost", "degree"),
    ("Cost of the Program", "degree"),
    ("Total Annual Cost", "year"),  # a rate beats 'total'
    ("Tuition", None), ("Cost", None), ("Credits", None), ("", None), (None, None),
    ("The program requires 30 credits and costs", None),  # a credit count is not a per-credit price
])
def test_unit_of_context(context, unit):
    assert unit_of_context(context) == unit


def test_context_fills_only_an_unstated_unit():
    bare, = find_money("$31,000")
    assert with_context_unit(bare, "year").unit == "year"
    per, = find_money("$1,100 per credit")
    assert with_context_unit(per, "degree").unit == "credit"
    assert resolve_unit(None, "year") == "year" and resolve_unit("credit", "year") == "credit"
    assert resolve_unit(None, None) is None


# --------------------------------------------------------------------------------------------- covers

@pytest.mark.parametrize("text, covers", [
    ("$36,000 in tuition and fees", "tuition_and_fees"),
    ("$36,000 including fees", "tuition_and_fees"),
    ("$36,000 (tuition & fees)", "tuition_and_fees"),
    ("Tuition and required fees come to $36,000", "tuition_and_fees"),
    ("$30,000 total tuition, excluding fees", "tuition"),
    ("$30,000 in tuition", "tuition"),
    ("Tuition is $30,000", "tuition"),
    ("The degree costs $30,000", None),
])
def test_covers(text, covers):
    assert find_money(text)[0].covers == covers


def test_covers_of_context():
    assert covers_of_context("Tuition & Fees") == "tuition_and_fees"
    assert covers_of_context("Tuition (excluding fees)") == "tuition"
    assert covers_of_context("Cost") is None


# ---------------------------------------------------------------------------------- money as written

@pytest.mark.parametrize("s, want", [
    ("$8,400", Money(8400, 8400, "exact")),
    ("~$64,000+", Money(64000, None, "at_least")),
    ("$80-95K", Money(80000, 95000, "range")),
    ("under $9,500", Money(None, 9500, "under")),
    ("exceeds $70,000", Money(70000, None, "over")),
    ("$610 per credit", Money(610, 610, "exact", "credit")),
])
def test_parse_money(s, want):
    assert parse_money(s) == want


def test_bare_cell_amount_reads_its_unit():
    m = parse_money_cell("18,500 per year")
    assert (m.low, m.unit) == (18500, "year")


# --------------------------------------------------------------------------------------------- credits

def _credits(text):
    return [(text[c.start:c.end], c.low, c.high, c.qualifier) for c in find_credits(text)]


@pytest.mark.parametrize("text, want", [
    ("The program requires 30 credits.", [("30 credits", 30, 30, "exact")]),
    ("36 credit hours", [("36 credit hours", 36, 36, "exact")]),
    ("a 32-credit program", [("32-credit", 32, 32, "exact")]),
    ("30-36 credits", [("30-36 credits", 30, 36, "range")]),
    ("30 to 33 credit hours", [("30 to 33 credit hours", 30, 33, "range")]),
    ("at least 30 credits", [("at least 30 credits", 30, None, "at_least")]),
    ("31+ credits", [("31+ credits", 31, None, "at_least")]),
    ("thirty-six credits", [("thirty-six credits", 36, 36, "exact")]),
    ("45 quarter units", [("45 quarter units", 45, 45, "exact")]),
    ("33 semester hours", [("33 semester hours", 33, 33, "exact")]),
    ("30 total credits", [("30 total credits", 30, 30, "exact")]),
    ("Credits: 30", [("Credits: 30", 30, 30, "exact")]),
    ("Total credit hours = 34", [("Total credit hours = 34", 34, 34, "exact")]),
    ("9 elective credits", [("9 elective credits", 9, 9, "exact")]),
    ("Each is a 3-credit course", []),
    ("ten 3-credit classes", []),
    ("Room 30 on campus", []),
])
def test_find_credits(text, want):
    assert _credits(text) == want


@pytest.mark.parametrize("sentence, sub", [
    ("The program requires 30 credits.", False),
    ("Students complete 36 credit hours to graduate.", False),
    ("The M.S. is a 30-credit degree.", False),
    ("The degree totals 33 credits.", False),
    ("Students complete 10 courses (30 credits) to graduate.", False),
    ("30 credits of coursework including 9 elective credits", False),
    ("The specialization includes 15 credits.", True),
    ("The AI concentration is 12 credits.", True),
    ("Up to 9 credits may be transferred.", True),
    ("Students take 12 credits per semester.", True),
    ("The capstone is 6 credits.", True),
    ("Electives account for 9 credits.", True),
    ("15 credits in the specialization", True),
    ("12 credits in machine learning electives", True),
    ("Applicants need 120 undergraduate credits.", True),
    ("It includes 9 elective credits.", True),
])
def test_is_sub_requirement(sentence, sub):
    assert is_sub_requirement(sentence) is sub


def test_is_sub_requirement_by_span():
    s = "The degree is 30 credits, and the AI track covers 12 credits."
    a, b = find_credits(s)
    assert is_sub_requirement(s, (a.start, a.end)) is False
    assert is_sub_requirement(s, (b.start, b.end)) is True


def test_no_credit_count_is_not_a_sub_requirement():
    assert is_sub_requirement("No numbers here.") is False


# --------------------------------------------------------------------------------------- courses, time

@pytest.mark.parametrize("text, want", [
    ("10 courses", (10, 10, "exact")),
    ("ten required courses", (10, 10, "exact")),
    ("3-4 elective courses", (3, 4, "range")),
    ("12+ courses", (12, None, "at_least")),
    ("eleven graduate classes", (11, 11, "exact")),
])
def test_find_course_counts(text, want):
    (c,) = find_course_counts(text)
    assert (c.low, c.high, c.qualifier, c.unit) == (*want, "course")


def test_course_load_per_term_is_not_a_count():
    assert find_course_counts("two courses per term") == []


@pytest.mark.parametrize("text, unit, low, high, months", [
    ("18 months", "month", 18, 18, (18, 18)),
    ("as few as 12 months", "month", 12, 12, (12, 12)),
    ("1.5 years", "year", 1.5, 1.5, (18, 18)),
    ("2-3 years", "year", 2, 3, (24, 36)),
    ("four semesters", "term", 4, 4, None),
])
def test_find_durations(text, unit, low, high, months):
    (d,) = find_durations(text)
    assert (d.unit, d.low, d.high) == (unit, low, high)
    assert duration_months(d) == months


@pytest.mark.parametrize("text", ["2 years of work experience", "founded 3 years ago", "3 years experience"])
def test_not_durations(text):
    assert find_durations(text) == []


# ------------------------------------------------------------------------------------------------- GRE

@pytest.mark.parametrize("text, policy", [
    ("GRE not required", "not_required"),
    ("No GRE", "not_required"),
    ("No GRE required", "not_required"),
    ("GRE: No", "not_required"),
    ("GRENo", "not_required"),
    ("GRE Required: No", "not_required"),
    ("The program does not require the GRE.", "not_required"),
    ("Test scores are not required.", "not_required"),
    ("The GRE has been eliminated.", "not_required"),
    ("GRE waived", "not_required"),
    ("GRE optional", "optional"),
    ("GRE Optional", "optional"),
    ("GRE waived for applicants with a 3.0 GPA", "optional"),
    ("The GRE can be waived.", "optional"),
    ("The GRE is required unless you hold a master's degree.", "optional"),
    ("dropped or made the GRE optional", "optional"),
    ("GRE waiver available", "optional"),
    ("GRE required", "required"),
    ("GRE: Yes", "required"),
    ("GREYes", "required"),
    ("Applicants must submit GRE scores.", "required"),
    ("Tuition is $30,000.", None),
    ("", None),
    (None, None),
])
def test_gre_policy(text, policy):
    assert gre_policy(text) == policy


def test_gre_field_values():
    assert gre_policy("No", about_gre=True) == "not_required"
    assert gre_policy("Waived", about_gre=True) == "not_required"
    assert gre_policy("Yes", about_gre=True) == "required"
    assert gre_policy("Optional (waivers available)", about_gre=True) == "optional"
    assert gre_policy("No") is None  # outside a GRE field, a bare 'No' says nothing about the GRE


# ------------------------------------------------------------------------------------ currency written as a code

def test_other_currency_codes_are_not_dollars():
    assert find_money("EUR 12,000 per year") == []
    assert find_money("GBP 9,250") == []
