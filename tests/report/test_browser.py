"""Every report page renders in a real browser (headless Chromium) with the network blocked: no failed
request, no request leaving file://, no script error, the shared navigation, and a GX index that lists
its validations. A missing browser is a failure with a plain message (in CI and elsewhere), never a skip."""

from __future__ import annotations

import os

import pytest

from flows.report.render import NAV

GX_INDEX_ROWS = "#section-1-content-block-2-1-body-table tbody tr"


@pytest.fixture(scope="module")
def browser():
    from report_browser import Browser, BrowserMissing

    try:
        b = Browser()
    except BrowserMissing as exc:
        where = "in CI (CI=true): .ci/run should have installed it" if os.environ.get("CI") == "true" else "here"
        pytest.fail(f"browser check cannot run {where}: {exc}", pytrace=False)
    yield b
    b.close()


def test_every_report_page_renders_offline_without_a_failed_request(site, browser):
    reports = site["reports"]
    pages = sorted(reports.rglob("*.html"))
    assert len(pages) > 30  # gradfacts' pages, the source viewer, GX Data Docs, the blocked run's own reports
    problems = []
    for page in pages:
        visit = browser.visit(page, count={"nav": "nav.gradfacts-nav a", "gx_rows": GX_INDEX_ROWS})
        rel = page.relative_to(reports).as_posix()
        if visit.failed or visit.outside or visit.errors:
            problems.append(f"{rel}: failed={visit.failed[:3]} outside={visit.outside[:3]} errors={visit.errors[:3]}")
        if visit.counts["nav"] != len(NAV):
            problems.append(f"{rel}: navigation has {visit.counts['nav']} links, not {len(NAV)}")
        if rel == "quality/index.html" and visit.counts["gx_rows"] == 0:
            problems.append("quality/index.html: the GX index lists no validation result")
    assert not problems, "\n".join(problems)


def test_gx_index_lists_every_validation_offline(site, browser):
    docs = site["reports"] / "quality"
    n_results = len(list((docs / "validations").rglob("*.html")))
    visit = browser.visit(docs / "index.html", count={"rows": GX_INDEX_ROWS})
    assert n_results > 0 and visit.counts["rows"] == n_results


def test_the_check_sees_a_page_that_reaches_out(tmp_path, browser):
    """The harness itself: a page loading a CDN script is caught (so a green run means something)."""
    page = tmp_path / "remote.html"
    page.write_text('<!doctype html><script src="https://cdn.example.invalid/x.js"></script><p>hi</p>', encoding="utf-8")
    visit = browser.visit(page)
    assert visit.outside == ["https://cdn.example.invalid/x.js"] and visit.failed
