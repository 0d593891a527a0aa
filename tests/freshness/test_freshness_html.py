"""freshness.html: self-contained (opens offline), valid inline SVG, stalest first, source text escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from html.parser import HTMLParser

import pytest

from flows.freshness.nodes import compute_freshness
from flows.report.freshness_html import LABEL_W, PLOT_W, chart, render_freshness_html, threshold_days
from freshness_fixtures import default_sources, default_tables, source_row, sources_frame

UTC = timezone.utc


def report_at(day: date, sources=None, tables=None) -> dict:
    return compute_freshness(default_sources() if sources is None else sources,
                             default_tables() if tables is None else tables,
                             datetime(day.year, day.month, day.day, tzinfo=UTC))


def svg_of(html: str) -> ET.Element:
    found = re.findall(r"<svg\b.*?</svg>", html, re.S)
    assert len(found) == 1
    return ET.fromstring(found[0])  # raises if the SVG is not well-formed XML


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_page_is_self_contained():
    html = render_freshness_html(report_at(date(2026, 4, 20)))
    assert not re.search(r"https?://", html)
    assert "@import" not in html and "url(" not in html
    p = _Collect()
    p.feed(html)
    tags = {t for t, _ in p.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert not [a for _, attrs in p.tags for a in attrs if a == "src" or a.startswith("on")]
    # the only links are the reports' shared navigation: relative paths to other report pages
    hrefs = [attrs["href"] for t, attrs in p.tags if "href" in attrs]
    assert hrefs and all(t == "a" for t, attrs in p.tags if "href" in attrs)
    assert all(":" not in h and not h.startswith("/") for h in hrefs), hrefs
    assert "freshness.html" in hrefs and "index.html" in hrefs
    assert html.lstrip().lower().startswith("<!doctype html>")


def test_svg_is_well_formed_with_one_bar_per_dated_source_and_threshold_lines():
    svg = svg_of(render_freshness_html(report_at(date(2026, 4, 20))))
    bars = [e for e in svg.iter("rect") if e.get("class") == "bar"]
    assert len(bars) == 3
    lines = [e for e in svg.iter("line") if e.get("stroke") in ("#b26a00", "#c62828")]
    assert len(lines) == 6  # a warn and an error line per source
    labels = [e.text for e in svg.iter("text") if e.get("text-anchor") == "end"]
    assert labels == ["harbor-review", "meadow-notes", "lakeside-guide"]  # stalest first


def test_chart_geometry_is_proportional_to_age_and_thresholds():
    g = chart(report_at(date(2026, 4, 20))["sources"])
    rows = {r["source_id"]: r for r in g["rows"]}
    scale = PLOT_W / g["x_max"]
    assert rows["harbor-review"]["bar_w"] == pytest.approx(64 * scale, abs=0.01)     # 64 days old
    assert rows["harbor-review"]["warn_x"] == pytest.approx(LABEL_W + 30 * scale, abs=0.01)
    assert rows["harbor-review"]["error_x"] == pytest.approx(LABEL_W + 60 * scale, abs=0.01)
    assert rows["meadow-notes"]["error_x"] == pytest.approx(LABEL_W + 20 * scale, abs=0.01)  # 480 hours
    assert g["x_max"] >= 365  # the widest threshold fits
    assert threshold_days({"count": 36, "period": "hour"}) == 1.5


def test_stale_sources_come_first_in_the_table():
    html = render_freshness_html(report_at(date(2026, 3, 20)))
    body = html.split("<h2>Sources</h2>", 1)[1].split("<h2>", 1)[0]
    order = [m for m in re.findall(r"<code>([a-z-]+)</code>", body)]
    assert order == ["harbor-review", "meadow-notes", "lakeside-guide"]


def test_source_text_is_escaped_everywhere():
    nasty = '<script>alert("x")</script> & <b>bold</b>'
    src = sources_frame([source_row("<img src=x onerror=alert(1)>", updated_on=date(2026, 3, 1), title=nasty)])
    html = render_freshness_html(report_at(date(2026, 3, 10), sources=src, tables={}))
    assert "<script>" not in html and "<img" not in html and "<b>bold" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    svg_of(html)  # still well-formed with escaped labels


def test_unknown_source_is_drawn_without_a_bar_and_says_no_date():
    src = sources_frame([source_row("blank", retrieved_at=None), source_row("dated", updated_on=date(2026, 3, 1))])
    html = render_freshness_html(report_at(date(2026, 3, 10), sources=src, tables={}))
    svg = svg_of(html)
    assert len([e for e in svg.iter("rect") if e.get("class") == "bar"]) == 1
    assert "no date" in html


def test_tables_and_programs_sections_are_rendered():
    html = render_freshness_html(report_at(date(2026, 3, 20)))
    assert "Curated tables" in html and "Programs" in html
    for token in ("lakeside-ms-ml", "harbor-ms-ds", "pinecrest-ms-ai", "Lakeside University", "observations"):
        assert token in html


def test_empty_report_renders():
    html = render_freshness_html({})
    svg_of(html)
    assert "no sources" in html


def test_a_large_corpus_charts_its_stalest_sources_and_tables_them_all():
    """At thousands of sources one bar per source is an unreadable chart (and most of the page's time): the chart
    draws the stalest CHART_ROWS and says so; the table below still lists every source."""
    from flows.report.freshness_html import CHART_ROWS

    n = CHART_ROWS + 50
    src = sources_frame([source_row(f"src-{i:04d}", updated_on=date(2025, 1, 1 + i % 28)) for i in range(n)]
                        + [source_row("the-oldest", updated_on=date(2020, 6, 1))])
    html = render_freshness_html(report_at(date(2026, 3, 10), sources=src, tables={}))
    svg = svg_of(html)
    labels = [e.text for e in svg.iter("text") if e.get("text-anchor") == "end"]
    assert len(labels) == CHART_ROWS and labels[0] == "the-oldest"  # stalest first
    assert f"The {CHART_ROWS} stalest of {n + 1} sources" in html
    table = html.split("<h2>Sources</h2>", 1)[1].split("<h2>", 1)[0]
    assert len(re.findall(r"<code>(src-\d{4}|the-oldest)</code>", table)) == n + 1
