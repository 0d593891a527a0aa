"""Resolution: one institution under many names, program keys, reconciliation and conflicts."""

from flows.extract.model import Fact
from flows.resolve.nodes import SourceInfo, resolve


def _src(sid, text):
    return SourceInfo(sid, text, None, None)


def _fact(text, needle, attribute, value, *, subject, degree=None, num=None, high=None, q=None, etype="program",
          extractor="test"):
    i = text.index(needle)
    return Fact(etype, subject, attribute, value, i, i + len(needle), extractor, degree, num, high, q)


A = "Lakeside Tech | M.S. in CS (Data) | 30 | ~$8,000 | No"
B = "Lakeside Institute of Technology's OMXX costs under $10,000. Lakeside Tech requires the GRE."
C = "Lakeside Tech's master's in computer science costs $40,000."


def _registry(tmp_path):
    from flows.extract.registry import load_registry

    p = tmp_path / "inst.yaml"
    p.write_text(
        "institutions:\n  - name: Lakeside Institute of Technology\n    short: Lakeside Tech\n"
        "    aliases: [Lakeside Tech, Lakeside Institute of Technology]\nproviders: [Platformly]\n"
        "institution_words: [University, Institute]\n", encoding="utf-8")
    return load_registry(str(p))


def test_aliases_resolve_to_one_program_and_agreeing_values(tmp_path):
    reg = _registry(tmp_path)
    facts = {
        "a": [_fact(A, "M.S. in CS (Data)", "degree_title", "M.S. in CS (Data)", subject="Lakeside Tech",
                    degree="M.S. in CS (Data)"),
              _fact(A, "~$8,000", "tuition", "8000", subject="Lakeside Tech", degree="M.S. in CS (Data)", num=8000,
                    q="approx"),
              _fact(A, "No", "gre_policy", "not_required", subject="Lakeside Tech", degree="M.S. in CS (Data)")],
        "b": [_fact(B, "under $10,000", "tuition", "10000", subject="Lakeside Institute of Technology", high=10000,
                    q="under")],
    }
    t = resolve(facts, {"a": _src("a", A), "b": _src("b", B)}, reg)
    progs = t["programs"]
    assert progs.height == 1
    row = progs.row(0, named=True)
    assert row["university"] == "Lakeside Institute of Technology"
    assert row["tuition_usd"] == 8000 and row["tuition_qualifier"] == "approx"
    assert row["has_conflict"] is False and row["n_sources"] == 2
    assert t["conflicts"].height == 0
    obs = t["observations"]
    for r in obs.iter_rows(named=True):
        text = {"a": A, "b": B}[r["source_id"]]
        assert text[r["char_start"]:r["char_end"]] == r["quote"]


def test_disagreement_sets_has_conflict_and_writes_a_conflicts_row(tmp_path):
    reg = _registry(tmp_path)
    facts = {
        "a": [_fact(A, "~$8,000", "tuition", "8000", subject="Lakeside Tech", degree="M.S. in CS (Data)", num=8000,
                    q="approx"),
              _fact(A, "No", "gre_policy", "not_required", subject="Lakeside Tech", degree="M.S. in CS (Data)")],
        "b": [_fact(B, "requires the GRE", "gre_policy", "required", subject="Lakeside Tech")],
        "c": [_fact(C, "$40,000", "tuition", "40000", subject="Lakeside Tech",
                    degree="master's in computer science", num=40000, q="exact")],
    }
    t = resolve(facts, {k: _src(k, v) for k, v in {"a": A, "b": B, "c": C}.items()}, reg)
    row = t["programs"].row(0, named=True)
    assert row["has_conflict"] is True
    conflicts = {r["attribute"]: r for r in t["conflicts"].iter_rows(named=True)}
    assert set(conflicts) == {"tuition", "gre_policy"}
    assert conflicts["tuition"]["source_ids"] == ["a", "c"]
    # the exact statement is the most specific, so it is the curated value
    assert row["tuition_usd"] == 40000 and row["tuition_qualifier"] == "exact"


def test_either_or_gre_wording_agrees_with_either(tmp_path):
    reg = _registry(tmp_path)
    facts = {
        "a": [_fact(A, "No", "gre_policy", "not_required", subject="Lakeside Tech", degree="M.S. in CS (Data)")],
        "b": [_fact(B, "Lakeside Tech", "gre_policy", "not_required|optional", subject="Lakeside Tech")],
    }
    t = resolve(facts, {"a": _src("a", A), "b": _src("b", B)}, reg)
    row = t["programs"].row(0, named=True)
    assert row["gre_policy"] == "not_required" and row["has_conflict"] is False


def test_platforms_never_become_programs_and_specialization_mentions_need_a_program(tmp_path):
    reg = _registry(tmp_path)
    text = "Platformly offers it. Lakeside Tech is strong in vision."
    facts = {"a": [
        _fact(text, "Platformly", "mention", "Platformly", subject="Platformly"),
        _fact(text, "Lakeside Tech", "specialization", "Computer Vision", subject="Lakeside Tech"),
    ]}
    t = resolve(facts, {"a": _src("a", text)}, reg)
    assert t["programs"].height == 0


def test_per_credit_price_times_credits(tmp_path):
    reg = _registry(tmp_path)
    text = "Lakeside Tech M.S. in CS: 36 credits at $1,250 per credit."
    facts = {"a": [
        _fact(text, "36", "credits", "36", subject="Lakeside Tech", degree="M.S. in CS", num=36),
        _fact(text, "$1,250 per credit", "tuition_per_credit", "1250", subject="Lakeside Tech", degree="M.S. in CS",
              num=1250, q="exact"),
    ]}
    row = resolve(facts, {"a": _src("a", text)}, reg)["programs"].row(0, named=True)
    assert row["tuition_usd"] == 45000 and row["credits"] == 36


def test_conflicts_report_lists_each_value_escaped(tmp_path):
    import polars as pl

    from flows.report.conflicts import write_conflicts_report

    reg = _registry(tmp_path)
    evil = "Lakeside Tech costs <b>$40,000</b>."
    facts = {
        "a": [_fact(A, "~$8,000", "tuition", "8000", subject="Lakeside Tech", degree="M.S. in CS (Data)", num=8000,
                    q="approx")],
        "e": [_fact(evil, "<b>$40,000</b>", "tuition", "40000", subject="Lakeside Tech", degree="M.S. in CS",
                    num=40000, q="exact")],
    }
    t = resolve(facts, {"a": _src("a", A), "e": _src("e", evil)}, reg)
    (tmp_path / "cur").mkdir()
    t["conflicts"].write_parquet(tmp_path / "cur" / "conflicts.parquet")
    page = write_conflicts_report(tmp_path / "cur", tmp_path / "rep").read_text()
    assert "&lt;b&gt;$40,000&lt;/b&gt;" in page and "<b>$40,000" not in page
    assert "~$8,000 [a]" in page


def test_an_implausible_statement_is_held_back_and_the_row_keeps_the_others(tmp_path):
    reg = _registry(tmp_path)
    typo = "Lakeside Tech tuition: $990,000."
    facts = {
        "a": [_fact(A, "~$8,000", "tuition", "8000", subject="Lakeside Tech", degree="M.S. in CS (Data)", num=8000,
                    q="approx")],
        "t": [_fact(typo, "$990,000", "tuition", "990000", subject="Lakeside Tech", degree="M.S. in CS (Data)",
                    num=990000, q="exact")],
    }
    t = resolve(facts, {"a": _src("a", A), "t": _src("t", typo)}, reg)
    row = t["programs"].row(0, named=True)
    # the held-back statement is not a conflict: it is in quarantine, the row names it
    assert row["tuition_usd"] == 8000 and row["has_conflict"] is False
    assert row["held_back"] == ["tuition_usd_range: $990,000"]
    (h,) = t["held_back"].to_dicts()
    assert (h["record_key"], h["rule"], h["source_id"], h["quote"]) == (row["program_id"], "tuition_usd_range", "t",
                                                                        "$990,000")
    assert typo[h["char_start"]:h["char_end"]] == "$990,000" and "990000 is outside 1000-150000" in h["message"]
    # alone, the implausible statement is held back too: the row is published with no tuition
    alone = resolve({"t": facts["t"]}, {"t": _src("t", typo)}, reg)
    arow = alone["programs"].row(0, named=True)
    assert arow["tuition_usd"] is None and arow["tuition_basis"] is None and alone["held_back"].height == 1


def test_career_salary_shapes(tmp_path):
    reg = _registry(tmp_path)
    text = "Data Wrangler | $118,000 | 9%\nModel Tuner | $140,000–$220,000+ | High\nRanker | $90,000–$120,000 | Low"
    facts = {"a": [
        _fact(text, "$118,000", "salary", "118000", subject="Data Wrangler", num=118000, high=118000, q="exact",
              etype="career"),
        _fact(text, "$140,000–$220,000+", "salary", "140000-220000+", subject="Model Tuner", num=140000,
              high=220000, q="at_least", etype="career"),
        _fact(text, "$90,000–$120,000", "salary", "90000-120000", subject="Ranker", num=90000, high=120000,
              q="range", etype="career"),
    ]}
    careers = {r["role"]: r for r in resolve(facts, {"a": _src("a", text)}, reg)["careers"].iter_rows(named=True)}
    assert careers["Data Wrangler"]["salary_usd_typical"] == 118000
    assert careers["Data Wrangler"]["salary_usd_min"] is None and careers["Data Wrangler"]["salary_usd_max"] is None
    assert (careers["Model Tuner"]["salary_usd_min"], careers["Model Tuner"]["salary_usd_max"]) == (140000, 220000)
    assert careers["Model Tuner"]["salary_open_ended"] is True
    assert careers["Ranker"]["salary_open_ended"] is False and careers["Ranker"]["salary_usd_typical"] is None


def test_per_credit_price_times_a_credit_range_is_a_tuition_range(tmp_path):
    reg = _registry(tmp_path)
    text = "Lakeside Tech M.S. in CS: 30–36 credits at $1,200/credit."
    facts = {"a": [
        _fact(text, "30–36", "credits", "30-36", subject="Lakeside Tech", degree="M.S. in CS", num=30, high=36, q="range"),
        _fact(text, "$1,200/credit", "tuition_per_credit", "1200", subject="Lakeside Tech", degree="M.S. in CS",
              num=1200, q="exact"),
    ]}
    row = resolve(facts, {"a": _src("a", text)}, reg)["programs"].row(0, named=True)
    assert (row["tuition_usd_low"], row["tuition_usd_high"], row["tuition_qualifier"]) == (36000, 43200, "range")
    assert row["tuition_usd"] == 39600 and row["credits"] == 30


def test_per_credit_rate_range_times_credits(tmp_path):
    reg = _registry(tmp_path)
    text = "Lakeside Tech M.S. in CS: 30 credits; $540 (in-state), $810 (out-of-state) per credit."
    facts = {"a": [
        _fact(text, "30 credits", "credits", "30", subject="Lakeside Tech", degree="M.S. in CS", num=30, q="exact"),
        _fact(text, "$540 (in-state), $810 (out-of-state)", "tuition_per_credit", "540-810", subject="Lakeside Tech",
              degree="M.S. in CS", num=540, high=810, q="range"),
    ]}
    row = resolve(facts, {"a": _src("a", text)}, reg)["programs"].row(0, named=True)
    assert (row["tuition_usd_low"], row["tuition_usd_high"], row["tuition_qualifier"]) == (16200, 24300, "range")
