"""unclaimed_lines: lines that look factual but no fact covers."""

from pathlib import Path

from flows.extract.coverage import line_signals, unclaimed_lines
from flows.extract.nodes import extract_text
from flows.extract.model import Fact


def section_courses(text: str, media_type: str = "text/plain", file_text: str | None = None) -> list:
    """The course sections' and core-topic sentences' facts, through the real entry point
    (flows.extract.nodes.extract_text), in page order."""
    facts = extract_text(text, media_type, file_text).facts
    return [f for f in facts if f.extractor in ("course_section", "core_topic_sentence")]


ROOT = Path(__file__).resolve().parents[2]

DOC = (
    "Lakeside Review\n"
    "Lakeside State University charges $640 per credit.\n"
    "The program is 36 credits and the GRE is optional.\n"
    "Graduates report a median salary of $98,000.\n"
    "Nothing to see on this line.\n"
    "Pinecrest College is nearby.\n"
)


def test_signals():
    assert line_signals("Lakeside State University charges $640 per credit.") == ["per_credit", "money", "institution"]
    assert line_signals("The program is 36 credits and the GRE is optional.") == ["credits", "gre"]
    assert line_signals("Graduates report a median salary of $98,000.") == ["money", "salary"]
    assert line_signals("Credits: 30") == ["credits"]
    assert line_signals("Elective credit caps and salary talk without numbers.") == []
    assert line_signals("Nothing to see on this line.") == []


def test_unclaimed_without_facts_lists_every_factual_line():
    out = unclaimed_lines(DOC, [])
    assert [DOC[s:e] for s, e, _ in out] == [
        "Lakeside State University charges $640 per credit.",
        "The program is 36 credits and the GRE is optional.",
        "Graduates report a median salary of $98,000.",
        "Pinecrest College is nearby.",
    ]
    assert [r for _, _, r in out] == ["per_credit|money|institution", "credits|gre", "money|salary", "institution"]


def test_a_fact_span_claims_its_line():
    s = DOC.index("$640")
    fact = Fact("program", "Lakeside State University", "tuition_per_credit", "640", s, s + 4, "test")
    out = unclaimed_lines(DOC, [fact])
    assert all(not (a <= s < b) for a, b, _ in out)
    assert len(out) == 3


def test_raw_source_course_lines_are_claimed_by_course_facts():
    text = (ROOT / "raw" / "000_610e78d755665535.txt").read_text(encoding="utf-8")
    facts = section_courses(text)   # raw/000 names no specialization
    before = unclaimed_lines(text, [])
    after = unclaimed_lines(text, facts)
    # the regression course's description names a school; its fact claims that line
    line = next((s, e) for s, e, _ in before if "deep dive into regression" in text[s:e])
    assert line not in [(s, e) for s, e, _ in after]
    assert len(after) == len(before) - 1
    # the GRE/money lines remain for other extractors to claim
    assert any("under $10,000" in text[s:e] for s, e, _ in after)


def test_bad_input():
    assert unclaimed_lines("", []) == []
    assert unclaimed_lines(None, []) == []  # type: ignore[arg-type]
    assert unclaimed_lines("Costs $5.", None) == [(0, 9, "money")]  # type: ignore[arg-type]
