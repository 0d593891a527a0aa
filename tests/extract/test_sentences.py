"""Program facts stated in running prose, read through the real entry point (flows.extract.nodes.extract_text:
the document model, scope, then flows.extract.read.sentences / read.several)."""

from pathlib import Path

from flows.extract.layout.plaintext import layout_from_text
from flows.extract.nodes import extract_text
from flows.extract.scope import block_scopes
from flows.extract.text import sentences
from flows.extract.values import gre_policy

DOCS = Path(__file__).resolve().parents[1] / "fixtures" / "docs"
PROSE = ("layout_sentence", "layout_mention")


def keyed(text):
    out = []
    for f in extract_text(text).facts:
        if f.extractor not in PROSE:
            continue
        quote = text[f.start:f.end]
        assert quote and quote == quote.strip()
        out.append((f.subject, f.degree, f.attribute, f.value, f.value_num, f.value_num_high, f.qualifier))
    return out


def _heading(t):
    layout = layout_from_text(t + "\n\nSome text follows here.\n", "text/plain")
    sc = block_scopes(layout)[0]
    return None if sc is None else (sc.canonical, sc.degree)


def test_program_heading_shapes():
    assert _heading("Lakeside Tech OMXX (Data Track)") == ("Lakeside Tech", "OMXX (Data Track)")
    assert _heading("Summit University") == ("Summit University", None)
    for t in ["Big Tech Hiring Trends", "Professional Certificates (Coursera, edX)", "Machine Learning: Regression"]:
        assert _heading(t) is None, t


def test_school_by_school_prose():
    text = (DOCS / "school_prose.txt").read_text(encoding="utf-8")
    got = keyed(text)
    d = "OMXX (Data Track)"
    assert ("Lakeside Tech", d, "mention", "Lakeside Tech", None, None, None) in got
    assert ("Lakeside Tech", d, "tuition", "under 9500", None, 9500, "under") in got
    assert ("Lakeside Tech", d, "gre_policy", "not_required", None, None, None) in got
    assert ("Lakeside Tech", d, "delivery_format", "fully online", None, None, None) in got
    b = "MS in Analytics"
    assert ("Brookfield University", b, "tuition", "31000", 31000, 31000, "approx") in got
    assert ("Brookfield University", b, "credits", "30", 30, 30, "exact") in got
    assert ("Eastmoor College", None, "mention", "Eastmoor College", None, None, None) in got
    money = [g for g in got if g[2] == "tuition"]
    assert len(money) == 2  # the salary ($120,000) and the offer under a non-school heading are not tuition


def test_multi_school_sentences():
    text = (DOCS / "multi_school_sentences.txt").read_text(encoding="utf-8")
    got = keyed(text)
    gre = {(g[0], g[3]) for g in got if g[2] == "gre_policy"}
    assert gre == {("Harborview State University", "not_required"), ("Northgate College", "not_required"),
                   ("Lakeside University", "not_required"), ("Ridgeway Institute of Technology", "required")}
    tuition = sorted((g[0], g[4], g[5], g[6]) for g in got if g[2] == "tuition")
    assert tuition == sorted([
        ("Northgate College", 12400, 12400, "approx"),
        ("Harborview State University", 27000, 27000, "approx"),
        ("Ridgeway Institute of Technology", 60000, None, "over"),
        ("Summit University", 60000, None, "over"),
        ("Lakeside University", 9000, 9000, "approx"),
        ("Summit University", 58000, None, "over"),
    ])
    fmt = {(g[0], g[3]) for g in got if g[2] == "delivery_format"}
    assert fmt == {("Northgate College", "fully online"), ("Harborview State University", "fully online")}
    assert not [g for g in got if g[2] == "credits"]  # "2026 students" is not a credit count


def test_range_for_a_list_of_schools():
    text = "Tuition varies.\nMid-priced programs (Summit University, Eastmoor College) fall in the $41,000-$44,500 range."
    got = keyed(text)
    assert ("Summit University", None, "tuition", "41000-44500", 41000, 44500, "range") in got
    assert ("Eastmoor College", None, "tuition", "41000-44500", 41000, 44500, "range") in got


def test_gre_wording():
    assert gre_policy("have all dropped or made the GRE optional", both=True) == "not_required|optional"
    assert gre_policy("have all dropped or made the GRE optional") == "optional"
    assert gre_policy("still require it", about_gre=True) == "required"
    assert gre_policy("the GRE is not required") == "not_required"
    assert gre_policy("the GRE is recommended for some") is None


def test_program_page_prose_uses_title_school():
    text = (DOCS / "program_page.txt").read_text(encoding="utf-8")
    got = keyed(text)
    deg = "Online Master of Science in Machine Learning"
    assert ("Ridgeway Institute of Technology", deg, "tuition", "45000", 45000, 45000, "exact") in got
    assert ("Ridgeway Institute of Technology", deg, "tuition_per_credit", "1250", 1250, 1250, "exact") in got
    assert not [g for g in got if g[4] == 128000]
    assert not [g for g in got if g[2] == "credits" and g[4] == 2026]


def test_no_school_no_tuition():
    text = "Degrees in this field often cost $20,000+ in tuition. Engineers earn $150,000 at Summit University."
    assert [g for g in keyed(text) if g[2] in ("tuition", "tuition_per_credit")] == []


def test_sentence_splitter_keeps_degree_abbreviations():
    text = "The M.S. in Data Science costs $9,000. It is online."
    assert [text[s.start:s.end] for s in sentences(0, text)] == ["The M.S. in Data Science costs $9,000.", "It is online."]


def test_odd_input():
    for junk in ["", "\n\n", "(((", "Summit University (", "$" * 100, "Summit University\n" + "x " * 5000]:
        assert isinstance(extract_text(junk).facts, list)


# ------------------------------------------------------------------- what is not the program's (real pages set 4)

def _program(text):
    return {(f.attribute, f.value) for f in extract_text(text).facts if f.entity_type == "program"}


def test_living_costs_and_a_cost_of_attendance_are_not_tuition():
    facts = _program("Northgate University offers a Master of Science in Data Science. Tuition is $20,000 plus "
                     "living costs. The estimated cost of living in Northgate is $14,000 per year. Students should "
                     "budget $9,000 a year for housing. The yearly cost at Northgate University is about $31,000, "
                     "which includes tuition and living expenses.")
    money = {v for a, v in facts if a.startswith("tuition")}
    assert money == {"20000"}


def test_a_yearly_credit_load_is_not_the_degrees_credit_count():
    facts = _program("Northgate University's Master of Science in Data Science is 36 credits in all; most students "
                     "take 15 credits per year.")
    assert ("credits", "36") in facts and ("credits", "15") not in facts
    facts = _program("Northgate University's Master of Science in Data Science has a load of 18 credits/year.")
    assert not any(a == "credits" for a, _ in facts)


def test_online_course_materials_are_not_an_online_program():
    facts = _program("Northgate University runs a Master of Science in Data Science. The textbook is freely "
                     "available online. Applications are submitted online.")
    assert not any(a == "delivery_format" for a, _ in facts)
    facts = _program("Northgate University's Master of Science in Data Science is offered fully online.")
    assert any(a == "delivery_format" for a, _ in facts)


def test_credit_counts_in_words_and_what_is_not_the_degrees_count():
    facts = _program("Northgate University's online Master of Science in Data Science: thirty credits (ten "
                     "classes) make up the degree.")
    assert ("credits", "30") in facts
    facts = _program("The Northgate University Master of Science in Data Science is 32 credits: eight courses of "
                     "four credits each.")
    assert ("credits", "32") in facts and ("credits", "4") not in facts
    facts = _program("I'm currently eighteen credits into the Master of Science in Data Science at Northgate "
                     "University, with 12 credits left.")
    assert not any(a == "credits" for a, _ in facts)
    facts = _program("At Northgate University you have to complete 36 credits for the Master of Science in Data "
                     "Science.")
    assert ("credits", "36") in facts
