"""The source viewer highlights every fact of raw/ at its span, escapes the source text, marks unclaimed
lines, and the programs page links each curated value to its statements."""

from __future__ import annotations

import html
import re

import polars as pl

from flows.report.source_view import highlight, page_name


def _text_of(page: str) -> str:
    body = page.split('<pre class="src">', 1)[1].split("</pre>", 1)[0]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def test_every_fact_of_raw_is_highlighted_at_its_span(site):
    curated, reports = site["curated"], site["reports"]
    obs = pl.read_parquet(curated / "observations.parquet")
    sources = pl.read_parquet(curated / "sources.parquet")
    assert obs.height > 100
    for src in sources.iter_rows(named=True):
        page = (reports / "sources" / page_name(src["source_id"])).read_text(encoding="utf-8")
        text = open(src["file"], encoding="utf-8").read()
        assert _text_of(page) == text  # the whole text, nothing dropped or doubled
        for o in obs.filter(pl.col("source_id") == src["source_id"]).iter_rows(named=True):
            anchor = f'<a class="anchor" id="o-{o["observation_id"]}"></a>'
            assert anchor in page, o
            after = page.split(anchor, 1)[1]
            assert after.startswith("<a class=\"anchor\"") or after.startswith("<mark") or \
                after.startswith('<span class="unclaimed"'), after[:80]
        assert 'class="unclaimed"' in page or "0 unclaimed" in page


def test_programs_page_links_every_value_to_its_statements(site):
    reports, curated = site["reports"], site["curated"]
    page = (reports / "programs.html").read_text(encoding="utf-8")
    programs = pl.read_parquet(curated / "programs.parquet")
    obs = pl.read_parquet(curated / "observations.parquet")
    for p in programs.filter(pl.col("tuition_usd").is_not_null()).iter_rows(named=True):
        tuition = obs.filter((pl.col("entity_id") == p["program_id"]) & (pl.col("attribute") == "tuition"))
        for o in tuition.iter_rows(named=True):
            assert f'href="sources/{page_name(o["source_id"])}#o-{o["observation_id"]}"' in page
    # every curated value shown has at least one link to a statement
    for row in re.findall(r"<tr><td><code>.*?</code></td>(.*?)</tr>", page, re.S):
        for cell in re.findall(r"<td>(.*?)</td>", row, re.S):
            value = cell.split("<sup>", 1)[0].strip()
            assert not value or "<sup><a href=\"sources/" in cell, cell[:200]
    links = re.findall(r'href="(sources/[^"#]+)#o-([0-9a-f]+)"', page)
    assert len(links) > 50
    for target, oid in links[:40]:
        assert f'id="o-{oid}"' in (reports / target).read_text(encoding="utf-8")


def test_source_text_is_escaped_and_overlaps_keep_every_character():
    text = 'Tuition <script>alert(1)</script> is $9,000 & up'
    facts = [{"observation_id": "a", "entity_type": "program", "entity_id": "<b>x</b>", "attribute": "tuition",
              "value": "9000", "char_start": 37, "char_end": 43, "quote": "$9,000"},
             {"observation_id": "b", "entity_type": "program", "entity_id": "x", "attribute": "mention",
              "value": "<i>", "char_start": 34, "char_end": 49, "quote": "is $9,000 & up"}]
    out = str(highlight(text, facts, [(0, 7, "money")]))
    assert "<script>" not in out and "&lt;script&gt;" in out and "<b>x</b>" not in out
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
    assert out.count("<mark") == 3  # "is ", "$9,000" (inside both), " & up"
    assert 'id="o-a"' in out and 'id="o-b"' in out and 'class="unclaimed"' in out


def test_quality_and_extraction_pages_link_into_the_viewer(site):
    reports = site["reports"]
    quality = (reports / "quality.html").read_text(encoding="utf-8")
    links = re.findall(r'href="(sources/[^"#]+)#o-([0-9a-f]+)">in the source', quality)
    assert links  # the warned (published) rows' quotes
    for target, oid in links:
        assert f'id="o-{oid}"' in (reports / target).read_text(encoding="utf-8")
    extraction = (reports / "extraction.html").read_text(encoding="utf-8")
    for target in set(re.findall(r'href="(sources/[^"]+\.html)"', extraction)):
        assert (reports / target).exists()


def test_pages_cut_into_batches_render_as_one_batch_does(site):
    """The viewer's batches (what a Dask worker renders) hold consecutive sources with only their own facts,
    and pages rendered batch by batch are the pages of one batch."""
    from flows.report.source_view import OBSERVATION_COLUMNS, page_batches, render_pages

    curated = site["curated"]
    sources = pl.read_parquet(curated / "sources.parquet")
    obs = pl.read_parquet(curated / "observations.parquet")
    texts = {s["source_id"]: open(s["file"], encoding="utf-8").read() for s in sources.iter_rows(named=True)}
    first = sources["source_id"][0]
    texts.pop(sources["source_id"][-1])  # a source whose file is gone: its page says so
    unclaimed = {first: [(0, 5, "looks like a fact")]}
    whole = page_batches(sources, texts, obs, unclaimed, 1)
    parts = page_batches(sources, texts, obs, unclaimed, sources.height)
    assert len(whole) == 1 and len(parts) == sources.height >= 3
    assert [p.sources["source_id"].item() for p in parts] == sources["source_id"].to_list()
    for p in parts:
        assert set(p.observations["source_id"].unique()) <= set(p.sources["source_id"])
        assert p.observations.columns == list(OBSERVATION_COLUMNS)
    assert sum(p.observations.height for p in parts) == obs.height
    assert len({p.token for p in parts}) == len(parts)  # each names itself for Dask
    one = render_pages(whole[0], "PUB")
    assert one == [page for p in parts for page in render_pages(p, "PUB")]
    assert "looks like a fact" in one[0] and "<mark " in one[0]
    assert "The file is missing or changed" in one[-1] and "<pre class=\"src\">" not in one[-1]
