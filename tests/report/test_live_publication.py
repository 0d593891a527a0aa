"""The index and every report describe the live publication and say separately what the last run did;
a run that publishes nothing writes its own reports to reports/runs/<run_id>/."""

from __future__ import annotations

import json

from report_site import cli


def test_index_shows_the_live_publication_and_the_blocked_last_run_apart(site):
    reports = site["reports"]
    index = (reports / "index.html").read_text(encoding="utf-8")
    live_part, run_part = index.split("<h2>Last run</h2>")[0], index.split("<h2>Last run</h2>")[1]
    assert site["b"] in live_part and "warn" in live_part and "No publication is live" not in live_part
    assert site["blocked"] in run_part and "failed" in run_part and "validation blocked publishing" in run_part
    assert f"runs/{site['blocked']}/quality.html" in run_part


def test_blocked_run_reports_go_to_its_own_folder_and_leave_the_live_ones(site):
    reports = site["reports"]
    own = reports / "runs" / site["blocked"]
    assert json.loads((own / "quality.json").read_text())["status"] == "fail"
    assert "which published nothing" in (own / "quality.html").read_text(encoding="utf-8")
    live_quality = json.loads((reports / "quality.json").read_text())
    assert live_quality["publication"] == site["b"] and live_quality["status"] != "fail"
    pages = json.loads((reports / "pages.json").read_text())
    for page in ("quality.html", "programs.html", "sources/index.html", "changes.html", "extraction.html"):
        assert pages[page] == site["b"], page
    run = json.loads((reports / "run.json").read_text())
    assert run["run_id"] == site["blocked"] and run["status"] == "failed"


def test_freshness_as_of_without_reports_is_a_what_if(site):
    reports, curated = site["reports"], site["curated"]
    published = (reports / "freshness.json").read_bytes()
    import flows.cli as cli_module

    default = cli_module.DEFAULT_REPORTS
    cli_module.DEFAULT_REPORTS = reports  # the project's default reports folder, here the workspace's
    try:
        res = cli("freshness", "--as-of", "2027-06-01", "--curated", str(curated))
    finally:
        cli_module.DEFAULT_REPORTS = default
    assert res.exit_code in (1, 2), res.stdout
    what_if = reports / "what-if" / "2027-06-01"
    assert "what-if" in res.stdout and str(what_if) in res.stdout
    assert (reports / "freshness.json").read_bytes() == published
    data = json.loads((what_if / "freshness.json").read_text())
    assert data["as_of"].startswith("2027-06-01") and data["what_if"] is True
    assert "What-if report" in (what_if / "freshness.html").read_text(encoding="utf-8")

    res = cli("freshness", "--as-of", "2027-06-01", "--curated", str(curated), "--reports", str(reports))
    assert "what-if" not in res.stdout
    assert json.loads((reports / "freshness.json").read_text())["as_of"].startswith("2027-06-01")
    cli("freshness", "--as-of", "2026-11-23", "--curated", str(curated), "--reports", str(reports))


def test_rollback_rewrites_the_pages_built_from_the_publication(site, tmp_path):
    import shutil

    ws = tmp_path / "ws"
    shutil.copytree(site["curated"], ws / "curated", symlinks=True)
    shutil.copytree(site["reports"], ws / "reports", symlinks=True)
    res = cli("rollback", "--curated", str(ws / "curated"), "--reports", str(ws / "reports"))
    assert res.exit_code == 0, res.stdout
    pages = json.loads((ws / "reports" / "pages.json").read_text())
    assert pages["programs.html"] == pages["sources/index.html"] == pages["changes.html"] == site["a"]
    assert pages["quality.html"] == site["b"]  # validated for B; the index flags it
    programs = (ws / "reports" / "programs.html").read_text(encoding="utf-8")
    assert f"publication {site['a']}" in programs and "7,000" in programs and "8,500" not in programs
    viewers = {p.name: p.read_text(encoding="utf-8") for p in (ws / "reports" / "sources").glob("*.html")}
    changed = viewers.pop("omc-online-ml-masters.html")  # raw/ now holds B's text of it, not A's
    assert "missing or changed since this publication" in changed and "~$7,000" in changed
    # the unchanged sources keep their unclaimed-line marks (kept by content hash)
    assert any('<span class="unclaimed" title=' in v for name, v in viewers.items() if name != "index.html")
    index = (ws / "reports" / "index.html").read_text(encoding="utf-8")
    assert "(not the live one)" in index
