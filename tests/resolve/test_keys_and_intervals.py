from flows.resolve.intervals import admitted, agree
from flows.resolve.keys import degree_key, name_key


def test_degree_keys_fold_abbreviations_and_focus():
    assert degree_key("M.S. in CS (AI)") == degree_key("Master of Science in Computer Science")
    assert degree_key("Online MS in Computer Science") == "ms computer science"
    assert degree_key("M.C.S. (Data Pathway)") == degree_key("MCS")
    assert degree_key("M.S. in Machine Learning") != degree_key("M.S. in Computer Science")
    assert degree_key(None) is None and degree_key("  ") is None


def test_name_key_drops_trailing_abbreviation():
    assert name_key("Natural Language Processing (NLP)") == name_key("Natural language processing")
    assert name_key("MLOps & Applied ML") == "mlops-and-applied-ml"


def test_interval_agreement():
    approx = admitted(8000, None, "approx")
    under = admitted(None, 10000, "under")
    assert agree([approx, under])                      # "~$8,000" and "under $10,000"
    assert not agree([admitted(8000, None, "approx"), admitted(60000, None, "over")])
    assert agree([admitted(50000, 55000, "range"), admitted(52000, None, "exact")])
    assert not agree([admitted(30, None, "exact"), admitted(36, None, "exact")])
