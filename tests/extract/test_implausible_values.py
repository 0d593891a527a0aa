"""Stated values outside plausible ranges are still emitted when unambiguous, so the validation gate
can quarantine them with its rule; plausibility only chooses between splits of run-together digits."""

from flows.extract.nodes import extract_text
from tests.extract.test_tables import flat_cells

DOC = (
    "Eastmoor College\n\n"
    "Eastmoor College charges $7 total tuition for its 300-credit program. It also has a $75 application fee.\n\n"
    "Summit University\n"
    "Tuition: $990,000 | Credits: 300 | GRE: Not required\n\n"
    "| School | Degree | Credits | Tuition |\n"
    "|---|---|---|---|\n"
    "| Harborview State University | M.S. in Robotics | 300 | $7 |\n"
)


def facts(text):
    out = {}
    for f in extract_text(text).facts:
        assert text[f.start:f.end] and text[f.start:f.end] == text[f.start:f.end].strip()
        out.setdefault((f.subject, f.attribute), []).append((f.value_num, f.value_num_high, f.qualifier,
                                                               text[f.start:f.end], f.extractor))
    return out


def test_implausible_but_stated_values_are_emitted():
    got = facts(DOC)
    assert got[("Eastmoor College", "tuition")] == [(7, 7, "exact", "$7", "layout_sentence")]
    assert got[("Eastmoor College", "credits")][0][:4] == (300, 300, "exact", "300-credit")
    assert got[("Summit University", "tuition")][0][:4] == (990000, 990000, "exact", "$990,000")
    assert got[("Summit University", "credits")][0][:4] == (300, 300, "exact", "300")
    assert got[("Harborview State University", "credits")][0][:4] == (300, 300, "exact", "300")
    assert got[("Harborview State University", "tuition")][0][:4] == (7, 7, "exact", "$7")


def test_a_small_fee_is_still_not_a_program_total():
    got = facts(DOC)
    assert all(v[0] != 75 for v in got[("Eastmoor College", "tuition")])


def test_plausible_ranges_still_choose_run_together_splits():
    kinds = ("university", "degree_title", "ml_core_courses", "credits", "tuition")
    row = "Summit UniversityM.S. in Robotics3-432~$21,000"
    assert flat_cells(row, kinds) == [
        "Summit University", "M.S. in Robotics", "3-4", "32", "~$21,000"]
