"""The programs page, the freshness page's programs table and the source viewer build their rows as escaped
HTML in Python (not jinja loops): hostile text in every position stays text, links keep their order and
numbering."""

from __future__ import annotations

import html
import re

import polars as pl

from flows.report.freshness_html import render_freshness_html
from flows.report.programs_page import write_programs_page
from flows.report.source_view import highlight

HOSTILE = "<script>alert('x')</script> & \"Co\""


def _obs(**kw) -> dict:
    base = {"observation_id": "o1", "source_id": "s-a", "entity_type": "program", "entity_id": "p1",
            "attribute": "tuition", "value": "1", "char_start": 0, "char_end": 1, "quote": "q"}
    return {**base, **kw}


def test_programs_page_escapes_every_value_and_quote_and_orders_links(tmp_path):
    programs = pl.DataFrame({"program_id": ["p1", "p<2>"], "university": [HOSTILE, "Plain U"],
                             "tuition_usd": [9000.0, None], "tuition_qualifier": ["exact", None],
                             "specializations": [["NLP", "<i>CV</i>"], []]})
    observations = pl.DataFrame([
        # the cell of tuition_usd merges tuition and tuition_per_credit statements by (source, position)
        _obs(observation_id="o3", source_id="s-b", char_start=5, quote="per credit", attribute="tuition_per_credit"),
        _obs(observation_id="o2", source_id="s-b", char_start=1, quote=HOSTILE),
        _obs(observation_id="o1", source_id="s-a", char_start=9, quote="$9,000"),
        _obs(observation_id="o4", attribute="mention", quote=HOSTILE),
        _obs(observation_id="o5", entity_type="course", attribute="tuition", quote="not a program's"),
    ])
    page = write_programs_page(programs, observations, tmp_path, "pub-1").read_text(encoding="utf-8")
    assert "<script>" not in page and "<i>CV</i>" not in page and "p<2>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;Co&#34;" in page
    rows = re.findall(r"<tr><td><code>(.*?)</code></td>\n(.*?)</tr>\n", page)
    assert [r[0] for r in rows] == ["p1", "p&lt;2&gt;"]
    cells = re.findall(r"<td>(.*?)</td>", rows[0][1])
    university, tuition = cells[0], cells[1]
    assert university.startswith("&lt;script&gt;")
    assert re.findall(r'#o-(\w+)" title="([^"]*)">(\d+)<', university) == [("o4", f"s-a: {html.escape(HOSTILE).replace('&#x27;', '&#39;').replace('&quot;', '&#34;')}", "1")]
    # s-a before s-b; within s-b by position; numbered 1, 2, 3 in that order
    assert [(o, n) for o, _, n in re.findall(r'#o-(\w+)" title="([^"]*)">(\d+)<', tuition)] == \
        [("o1", "1"), ("o2", "2"), ("o3", "3")]
    assert tuition.startswith("9,000<sup>")
    assert "NLP, &lt;i&gt;CV&lt;/i&gt;" in page
    # a value with no statement shows no link; an empty value no value
    assert rows[1][1].startswith("<td>Plain U</td><td></td>")
    assert "not a program" not in page


def test_programs_page_of_no_programs_is_an_empty_table(tmp_path):
    programs = pl.DataFrame(schema={"program_id": pl.Utf8, "university": pl.Utf8})
    page = write_programs_page(programs, None, tmp_path, None).read_text(encoding="utf-8")
    assert "<tr><th>program</th><th>university</th></tr>\n\n</table>" in page


def test_freshness_programs_table_escapes_and_says_when_there_are_none():
    report = {"as_of": "2026-12-01T00:00:00Z", "summary": {"status": "warn"}, "exit_code": 1, "sources": [],
              "tables": {}, "programs": [{"program_id": "p<1>", "status": "warn", "degree_title": HOSTILE,
                                          "notes": ["<b>n</b>"], "university": None, "newest_fact_source": "s\"x",
                                          "newest_fact_basis": "<basis>", "newest_fact_date": None,
                                          "age_days": 3.25}]}
    page = render_freshness_html(report)
    body = page.split("<th>newest fact date</th><th class=\"num\">age (days)</th></tr></thead>\n<tbody>\n")[1]
    assert body.startswith(
        '<tr>\n  <td><span class="badge s-warn">warn</span></td>\n'
        "  <td><code>p&lt;1&gt;</code><br>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;Co&#34;"
        '<ul class="notes"><li>&lt;b&gt;n&lt;/b&gt;</li></ul></td>\n  <td>—</td>\n'
        "  <td><code>s&#34;x</code> (&lt;basis&gt;)</td>\n  <td>—</td>\n  <td class=\"num\">3.2</td>\n</tr>\n</tbody>")
    empty = render_freshness_html({**report, "programs": []})
    assert '<tbody>\n<tr><td colspan="6" class="muted">no programs</td></tr>\n</tbody>\n</table>\n</body>' in empty


def test_source_text_with_a_nul_is_still_escaped_whole():
    text = "A\x00<b>B</b> costs $5"
    facts = [_obs(observation_id="x\x00<y>", char_start=12, char_end=15, quote="$5", attribute="a\x00<b>")]
    out = str(highlight(text, facts, [(0, 4, "r<")]))
    assert "<b>" not in out and "&lt;b&gt;" in out and 'id="o-x\x00&lt;y&gt;"' in out
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
