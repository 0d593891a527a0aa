"""Ingest: metadata records, derived metadata, HTML offsets, clear errors naming the file."""

from datetime import date
from pathlib import Path

import pytest

from flows.ingest.html_text import html_to_text, map_span
from flows.ingest.nodes import IngestError, derive_metadata, ingest

REPO_RAW = Path(__file__).resolve().parents[2] / "raw"


def test_embedded_corpus_has_a_record_per_source():
    docs = ingest(REPO_RAW)
    assert len(docs) == 3
    for d in docs:
        assert d.meta["has_metadata_record"], d.path
        assert d.meta["retrieved_at_basis"] == "metadata"
        assert d.text == d.file_text and d.offsets is None
    by_id = {d.source_id: d for d in docs}
    # the stated "Last Updated" date is recorded; the page with only related-article dates has none
    assert sum(1 for d in docs if d.meta["updated_on"] is not None) == 1
    assert all(d.meta["published_on"] is None for d in docs)
    assert len(by_id) == 3


def test_file_without_record_derives_title_author_and_stated_date(tmp_path):
    (tmp_path / "page.md").write_text(
        "# Lakeside University Online MS in Data Science\n\nWritten By - Ada Quill\nLast Updated: March 3, 2026\n\n"
        "Body text. Tuition is $31,000.\n", encoding="utf-8")
    [doc] = ingest(tmp_path)
    assert doc.source_id == "page"
    assert doc.meta["title"] == "Lakeside University Online MS in Data Science"
    assert doc.meta["author"] == "Ada Quill"
    assert doc.meta["updated_on"] == date(2026, 3, 3)
    assert doc.meta["retrieved_at_basis"] == "file_mtime"
    assert doc.meta["has_metadata_record"] is False


def test_related_articles_dates_are_not_the_pages_own():
    text = ("Guide to Online Degrees\n\nby Sam Ortiz\n\nSome body text.\n\nRelated Articles\n"
            "Advice MAY 11, 2026\nPublished: May 12, 2026\nLast Updated: May 13, 2026\n")
    meta = derive_metadata(text)
    assert meta["updated_on"] is None and meta["published_on"] is None
    assert meta["author"] == "Sam Ortiz"


def test_html_flattening_keeps_offsets_into_the_file():
    src = ("<html><head><title>Lakeside &amp; Co</title><script>var x = '$1';</script></head><body>"
           "<h1>Lakeside University</h1><p>Tuition is <b>$1,250</b> per credit.</p>"
           "<table><tr><th>School</th><th>Credits</th></tr><tr><td>Lakeside</td><td>36</td></tr></table></body></html>")
    text, offsets, title = html_to_text(src)
    assert title == "Lakeside & Co"
    assert "| Lakeside | 36 |" in text
    assert "$1'" not in text  # script content is not text
    for needle in ("$1,250", "36", "Lakeside University"):
        i = text.index(needle)
        s, e = map_span(offsets, i, i + len(needle))
        assert src[s:e] == needle


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("bad.txt", b"\xff\xfe\x00bad", "not UTF-8"),
        ("nul.txt", b"abc\x00def", "NUL"),
    ],
)
def test_bad_files_raise_errors_naming_the_file(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(IngestError, match=message) as exc:
        ingest(tmp_path)
    assert name in str(exc.value)


def test_bad_metadata_names_the_file_and_field(tmp_path):
    (tmp_path / "a.txt").write_text("text", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - file: a.txt\n    updated_on: last tuesday\n", encoding="utf-8")
    with pytest.raises(IngestError, match="updated_on") as exc:
        ingest(tmp_path)
    assert "a.txt" in str(exc.value)


def test_bad_thresholds_rejected(tmp_path):
    (tmp_path / "sources.yaml").write_text(
        "defaults:\n  freshness:\n    warn_after: {count: 3, period: fortnight}\n    error_after: {count: 9, period: day}\n",
        encoding="utf-8")
    with pytest.raises(IngestError, match="warn_after"):
        ingest(tmp_path)


def test_missing_raw_dir_is_a_clear_error(tmp_path):
    with pytest.raises(IngestError, match="does not exist"):
        ingest(tmp_path / "nope")


def test_sources_table_records_what_could_not_be_derived(tmp_path):
    from flows.ingest.sources_table import sources_table

    (tmp_path / "page.md").write_text("# Lakeside Online Degrees\n\nBody with no byline or date.\n", encoding="utf-8")
    table = sources_table(ingest(tmp_path), {"page": 2})
    row = table.row(0, named=True)
    assert row["metadata_origin"] == "derived" and row["retrieved_at_basis"] == "file_mtime"
    assert row["title"] == "Lakeside Online Degrees"
    assert set(row["missing_metadata"]) == {"author", "url", "publisher", "published_on", "updated_on"}
    assert row["n_observations"] == 2
    seeds = sources_table(ingest(REPO_RAW), {})
    assert set(seeds["metadata_origin"].to_list()) == {"record"}


def test_markdown_links_and_emphasis_are_flattened_with_offsets(tmp_path):
    from flows.ingest.html_text import map_span

    src = ("| School | Total Cost |\n|---|---|\n| **[Westbrook University](https://example.edu/w)** | $19,800 |\n"
           "See ![logo](x.png) and `code` and __bold__ text.\n")
    (tmp_path / "t.md").write_text(src, encoding="utf-8")
    [doc] = ingest(tmp_path)
    assert "| Westbrook University | $19,800 |" in doc.text
    assert "See logo and code and bold text." in doc.text
    i = doc.text.index("Westbrook University")
    s, e = map_span(doc.offsets, i, i + len("Westbrook University"))
    assert src[s:e] == "Westbrook University"
    i = doc.text.index("$19,800")
    s, e = map_span(doc.offsets, i, i + 7)
    assert src[s:e] == "$19,800"


def test_plain_markdown_keeps_identity_offsets(tmp_path):
    (tmp_path / "p.md").write_text("# Title\n\nJust text, 30 credits.\n", encoding="utf-8")
    [doc] = ingest(tmp_path)
    assert doc.offsets is None and doc.text == doc.file_text
