"""Resolution of money by unit: totals, rates, derived totals with their basis, held-back statements."""

import pytest

from flows.extract.model import Fact
from flows.resolve.nodes import SourceInfo, provider_or_instructor, resolve

TEXT = ("Lakeside Tech M.S. in CS. Annual tuition $21,000. Per credit $1,100. 30 credits. The AI track is 15 credits. "
        "Per course $3,300. 10 courses. Total $33,000. Per semester $8,000. 900 credits. $99 per credit.")


def _reg(tmp_path):
    from flows.extract.registry import load_registry

    p = tmp_path / "inst.yaml"
    p.write_text("institutions:\n  - name: Lakeside Institute of Technology\n    short: Lakeside Tech\n"
                 "    aliases: [Lakeside Tech]\nproviders: [Platformly]\ninstitution_words: [University, Institute]\n",
                 encoding="utf-8")
    return load_registry(str(p))


def f(needle, attribute, num, *, high=None, q="exact", unit=None, text=TEXT, subject="Lakeside Tech",
      degree="M.S. in CS", etype="program"):
    i = text.index(needle)
    return Fact(etype, subject, attribute, needle, i, i + len(needle), "test", degree, num,
                num if high is None and q == "exact" else high, q, unit)


def row_of(tmp_path, *facts, text=TEXT):
    t = resolve({"s": list(facts)}, {"s": SourceInfo("s", text, None, None)}, _reg(tmp_path))
    assert t["programs"].height == 1
    return t["programs"].row(0, named=True), t


def test_an_annual_figure_is_never_a_total(tmp_path):
    row, _ = row_of(tmp_path, f("$21,000", "tuition", 21000, unit="year"), f("30 credits", "credits", 30))
    assert row["tuition_annual_usd"] == 21000
    assert row["tuition_usd"] is None and row["tuition_usd_low"] is None and row["tuition_basis"] is None


def test_a_per_term_figure_is_never_a_total_nor_a_column(tmp_path):
    row, t = row_of(tmp_path, f("$8,000", "tuition", 8000, unit="term"))
    assert row["tuition_usd"] is None and row["tuition_annual_usd"] is None
    obs = t["observations"].filter(t["observations"]["attribute"] == "tuition")
    assert obs["unit"].to_list() == ["term"]


@pytest.mark.parametrize("attribute, unit", [("tuition", "credit"), ("tuition_per_credit", None)])
def test_per_credit_times_credits_names_its_basis(tmp_path, attribute, unit):
    row, t = row_of(tmp_path, f("$1,100", attribute, 1100, unit=unit), f("30 credits", "credits", 30))
    assert (row["tuition_per_credit_usd"], row["tuition_usd"], row["tuition_basis"]) == (1100, 33000,
                                                                                         "per_credit_x_credits")
    assert t["observations"].filter(t["observations"]["attribute"] == attribute)["unit"].to_list() == ["credit"]


def test_a_rate_without_its_count_gives_no_total(tmp_path):
    row, _ = row_of(tmp_path, f("$1,100", "tuition", 1100, unit="credit"))
    assert row["tuition_per_credit_usd"] == 1100 and row["tuition_usd"] is None and row["tuition_basis"] is None


def test_per_course_times_courses(tmp_path):
    row, _ = row_of(tmp_path, f("$3,300", "tuition", 3300, unit="course"), f("10 courses", "course_count", 10))
    assert (row["tuition_per_course_usd"], row["tuition_usd"], row["tuition_basis"]) == (3300, 33000,
                                                                                         "per_course_x_courses")


def test_a_stated_total_wins_over_a_derivation(tmp_path):
    row, _ = row_of(tmp_path, f("$33,000", "tuition", 33000, unit="degree"), f("$1,100", "tuition", 1100, unit="credit"),
                    f("30 credits", "credits", 30), f("$21,000", "tuition", 21000, unit="year"))
    assert (row["tuition_usd"], row["tuition_basis"]) == (33000, "stated")
    assert (row["tuition_per_credit_usd"], row["tuition_annual_usd"]) == (1100, 21000)


def test_rates_by_residency_give_a_tuition_range(tmp_path):
    row, _ = row_of(tmp_path, f("$1,100", "tuition", 1100, high=1500, q="range", unit="credit"),
                    f("30 credits", "credits", 30))
    assert (row["tuition_usd_low"], row["tuition_usd_high"], row["tuition_qualifier"]) == (33000, 45000, "range")
    assert row["tuition_per_credit_usd"] == 1300 and row["tuition_basis"] == "per_credit_x_credits"


def test_a_bad_credit_count_is_held_back_and_the_tuition_stays(tmp_path):
    row, t = row_of(tmp_path, f("15 credits", "credits", 15), f("$33,000", "tuition", 33000))
    assert row["credits"] is None and row["tuition_usd"] == 33000
    assert row["held_back"] == ["credits_range: 15 credits"]
    (h,) = t["held_back"].to_dicts()
    assert (h["rule"], h["attribute"], TEXT[h["char_start"]:h["char_end"]]) == ("credits_range", "credits", "15 credits")
    # the statement stays in observations too: nothing is lost
    assert "15 credits" in t["observations"]["quote"].to_list()


def test_a_bad_count_beside_a_good_one_does_not_make_a_conflict(tmp_path):
    row, t = row_of(tmp_path, f("15 credits", "credits", 15), f("30 credits", "credits", 30),
                    f("$1,100", "tuition", 1100, unit="credit"))
    assert (row["credits"], row["tuition_usd"], row["has_conflict"]) == (30, 33000, False)
    assert t["conflicts"].height == 0


def test_implausible_rates_are_held_back_per_unit(tmp_path):
    row, t = row_of(tmp_path, f("$99 per credit", "tuition", 99, unit="credit"), f("$1,100", "tuition", 1100, unit="credit"),
                    f("900 credits", "credits", 900))
    # $99/credit is plausible (>= $50); 900 credits is not
    assert row["tuition_per_credit_usd"] == 1100 or row["tuition_per_credit_usd"] == 99
    assert [h["rule"] for h in t["held_back"].to_dicts()] == ["credits_range"]
    big = f("$21,000", "tuition", 21000, unit="credit")
    row2, t2 = row_of(tmp_path, big)
    assert row2["tuition_per_credit_usd"] is None and t2["held_back"]["rule"].to_list() == ["tuition_per_credit_usd_range"]


def test_a_derived_total_outside_its_range_is_not_published(tmp_path):
    row, t = row_of(tmp_path, f("$3,300", "tuition", 3300, unit="credit"), f("30 credits", "credits", 30),
                    f("$1,100", "tuition", 1100, unit="credit"))
    # two rates conflict; the chosen one (first, exact) x 30 stays in range either way
    assert row["tuition_usd"] in (99000, 33000)
    row2, t2 = row_of(tmp_path, f("$3,300", "tuition", 3300, unit="credit"), f("900 credits", "credits", 900))
    assert row2["tuition_usd"] is None  # 900 credits was held back: no count, no derivation
    assert t2["held_back"]["rule"].to_list() == ["credits_range"]


def test_a_derived_total_that_breaks_the_total_range_is_held_back(tmp_path):
    text = "Lakeside Tech M.S. in CS. $4,900 per credit. 60 credits."
    row, t = row_of(tmp_path, f("$4,900 per credit", "tuition", 4900, unit="credit", text=text),
                    f("60 credits", "credits", 60, text=text), text=text)
    assert row["tuition_per_credit_usd"] == 4900 and row["credits"] == 60
    assert row["tuition_usd"] is None and row["tuition_basis"] is None  # 294,000 > 150,000
    assert row["held_back"] == ["tuition_usd_range: $4,900 per credit"]


@pytest.mark.parametrize("name, want", [
    ("Andrew Ng", (None, "Andrew Ng")), ("Prof. Jane Doe", (None, "Prof. Jane Doe")),
    ("University of Somewhere", ("University of Somewhere", None)), ("Platformly", ("Platformly", None)),
    ("DeepLearning.AI", ("DeepLearning.AI", None)), ("Google Cloud", ("Google Cloud", None)),
    ("Lakeside Tech", ("Lakeside Tech", None)), (None, (None, None)),
])
def test_provider_or_instructor(tmp_path, name, want):
    assert provider_or_instructor(name, _reg(tmp_path)) == want


def test_specialization_ids_and_program_ids_join(tmp_path):
    text = "Lakeside Tech M.S. in CS is strong in Computer Vision. Computer Vision: seeing machines."
    facts = [Fact("program", "Lakeside Tech", "mention", "Lakeside Tech", 0, 13, "test", "M.S. in CS"),
             Fact("program", "Lakeside Tech", "specialization", "Computer Vision", 0, 13, "test", "M.S. in CS"),
             Fact("specialization", "Computer Vision", "university", "Lakeside Tech", 0, 13, "test"),
             Fact("specialization", "Computer Vision", "description", "seeing machines", text.index("seeing"),
                  text.index("seeing") + 15, "test")]
    t = resolve({"s": facts}, {"s": SourceInfo("s", text, None, None)}, _reg(tmp_path))
    prog = t["programs"].row(0, named=True)
    spec = t["specializations"].row(0, named=True)
    assert prog["specialization_ids"] == [spec["specialization_id"]]
    assert spec["program_ids"] == [prog["program_id"]]
