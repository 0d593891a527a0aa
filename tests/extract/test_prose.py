from pathlib import Path

from flows.extract.prose import extract_prose, gre_policies, program_heading, sentences

DOCS = Path(__file__).resolve().parents[1] / "fixtures" / "docs"


def keyed(text):
    out = []
    for f in extract_prose(text):
        quote = text[f.start:f.end]
        assert quote and quote == quote.strip()
        out.append((f.subject, f.degree, f.attribute, f.value, f.value_num, f.value_num_high, f.qualifier))
    return out


def test_program_heading_shapes():
    t = "Lakeside Tech OMXX (Data Track)"
    ph = program_heading(t, 0, len(t))
    assert (ph.subject, ph.degree) == ("Lakeside Tech", "OMXX (Data Track)")
    assert t[ph.degree_start:ph.degree_end] == "OMXX (Data Track)"
    t = "Summit University"
    assert program_heading(t, 0, len(t)).degree is None
    for t in ["Why Summit University Stands Out", "Big Tech Hiring Trends", "Professional Certificates (Coursera, edX)",
              "Summit University charges less than its rivals.", "Machine Learning: Regression"]:
        assert program_heading(t, 0, len(t)) is None, t


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
    assert gre_policies("have all dropped or made the GRE optional")[0] == ["not_required", "optional"]
    assert gre_policies("still require it")[0] == ["required"]
    assert gre_policies("the GRE is not required")[0] == ["not_required"]
    assert gre_policies("the GRE is recommended for some")[0] == []


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
    assert [text[a:b] for a, b in sentences(text, 0, len(text))] == ["The M.S. in Data Science costs $9,000.", "It is online."]


def test_odd_input():
    for junk in ["", "\n\n", "(((", "Summit University (", "$" * 100, "Summit University\n" + "x " * 5000]:
        assert isinstance(extract_prose(junk), list)
