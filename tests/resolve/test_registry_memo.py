"""The registry's name look-ups are memoised (resolve asks for the same names hundreds of thousands of times):
a memoised answer is the answer a fresh registry gives, and a registry still travels to worker processes."""

from __future__ import annotations

import pickle

from flows.common.slug import slug
from flows.extract.registry import clean_name, load_registry

NAMES = ["The Lakeside University", "Lakeside University's", "  Sorrel State University, ", "MIT", "Coursera",
         "University of Nowhere", "Nowhere Tech", "edX", "Massachusetts Institute of Technology", "(The Brisco College)"]


def _fresh(reg):
    """A registry equal to ``reg`` whose memos are empty (made by pickling)."""
    return pickle.loads(pickle.dumps(reg))


def test_memoised_lookups_answer_as_a_fresh_registry_does():
    reg = load_registry()
    for _ in range(2):  # the second pass is answered from the memos
        for name in NAMES:
            fresh = _fresh(reg)
            assert reg.canonical(name) == fresh._canonical(name)
            assert reg.lookup(name) == fresh._lookup(name)
            assert reg.is_provider(name) == fresh._is_provider(name)
    assert reg._memo_canonical.cache_info().hits >= len(NAMES)
    assert reg.is_provider("Coursera") and not reg.is_provider("Lakeside University")
    assert clean_name("The Lakeside University's") == "Lakeside University"


def test_a_registry_with_memos_pickles_without_them():
    reg = load_registry()
    reg.canonical("MIT")
    copy = pickle.loads(pickle.dumps(reg))
    assert not any(k.startswith("_memo_") for k in vars(copy))
    assert copy == reg and copy.canonical("MIT") == reg.canonical("MIT")


def test_slugs_transliterate_as_before():
    assert slug("名前") == "ming-qian"
    assert slug("Ünïcödé", "M.S.") == "unicode-m-s"
    assert slug("Lakeside University", None, "ms computer science") == "lakeside-university-ms-computer-science"
    assert slug("😀") == ""
