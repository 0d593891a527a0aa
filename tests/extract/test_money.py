import pytest

from flows.extract.values import Money, find_money, money_text, parse_money, parse_money_cell


@pytest.mark.parametrize("s, want", [
    ("$8,400", Money(8400, 8400, "exact")),
    ("~$64,000+", Money(64000, None, "at_least")),
    ("$41,000-$44,500", Money(41000, 44500, "range")),
    ("$97,000–$151,000", Money(97000, 151000, "range")),
    ("$102,000–$175,000+", Money(102000, 175000, "at_least")),
    ("~$75,000+", Money(75000, None, "at_least")),
    ("$19K", Money(19000, 19000, "exact")),
    ("$80-95K", Money(80000, 95000, "range")),
    ("under $9,500", Money(None, 9500, "under")),
    ("less than $12,000", Money(None, 12000, "under")),
    ("roughly $6,100", Money(6100, 6100, "approx")),
    ("approximately $6,100", Money(6100, 6100, "approx")),
    ("exceeds $70,000", Money(70000, None, "over")),
    ("more than $70,000", Money(70000, None, "over")),
    ("between $3,000 and $4,000", Money(3000, 4000, "range")),
    ("$2.5 million", Money(2_500_000, 2_500_000, "exact")),
])
def test_parse_money(s, want):
    assert parse_money(s) == want


@pytest.mark.parametrize("s", ["", "2026", "12,000 applications", "30 credits", "no money here"])
def test_parse_money_none(s):
    assert parse_money(s) is None


def test_per_credit_units_and_spans():
    text = "Tuition is $610 per credit hour or $590/credit for alumni."
    spans = find_money(text)
    assert [(text[s.start:s.end], s.unit, s.low) for s in spans] == [
        ("$610 per credit hour", "credit", 610), ("$590/credit", "credit", 590)]


def test_span_includes_qualifier_words_but_not_more():
    text = "Total cost is typically under $9,500 for most."
    (m,) = find_money(text)
    assert text[m.start:m.end] == "under $9,500"


def test_separate_amounts_are_not_one_range():
    text = "from roughly $6,100 total at A to over $70,000 at B"
    spans = find_money(text)
    assert [(s.qualifier, s.low, s.high) for s in spans] == [("approx", 6100, 6100), ("over", 70000, None)]


def test_bare_number_after_range_word_is_not_a_range():
    assert parse_money("$40 to 50 students") == Money(40, 40, "exact")


def test_run_together_cell_stops_at_next_word():
    m = find_money("~$18,500No")[0]
    assert (m.end, m.low, m.qualifier) == (8, 18500, "approx")


def test_parse_money_cell_accepts_bare_amounts():
    assert parse_money_cell("18,500").low == 18500
    assert parse_money_cell("~12400").qualifier == "approx"
    assert parse_money_cell("36") is None


def test_money_text():
    assert money_text(8400, 8400, "exact") == "8400"
    assert money_text(41000, 44500, "range") == "41000-44500"
    assert money_text(None, 9500, "under") == "under 9500"
    assert money_text(64000, None, "at_least") == "64000+"
    assert money_text(90000, 120000, "at_least") == "90000-120000+"
