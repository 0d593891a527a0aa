"""Robustness matrix (issue 13), inputs: what raw/ and raw/sources.yaml may hold, each through `gradfacts refresh`.

Every case asserts the exit code, the message (naming the file, entry and key), that nothing was lost (the live
publication is whole, and unchanged when the run failed; a run row is written) and what was published."""

from __future__ import annotations

import json
import os
import re

import polars as pl
import pytest

from matrix import Project, assert_live_whole

pytestmark = pytest.mark.e2e

# --------------------------------------------------------------------------- regular files inside raw/ only


def _everything_published_text(p: Project) -> str:
    """Every curated table and every report page, as one text (to look for leaked content)."""
    parts = []
    for f in sorted(p.curated.glob("*.parquet")):
        if f.name != "runs.parquet":
            parts.append(str(pl.read_parquet(f).to_dicts()))
    for f in sorted(p.reports.rglob("*")):
        if f.is_file() and f.suffix in (".html", ".json", ".md"):
            parts.append(f.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


def test_symlink_to_etc_passwd_is_refused_named_and_nothing_of_it_published(project: Project):
    (project.raw / "leak.txt").symlink_to("/etc/passwd")
    (project.raw / "outside").symlink_to("/etc", target_is_directory=True)
    res, payload = project.refresh("--force")
    assert res.exit_code == 0, res.stdout
    assert payload["status"] == "published"
    assert "leak.txt" in payload["message"] and "symbolic link" in payload["message"]
    assert "outside" in payload["message"]
    first_line = open("/etc/passwd", encoding="utf-8").readline().strip()
    published = _everything_published_text(project)
    assert first_line not in published and "root:x:0:0" not in published
    assert not any(f.endswith(("leak.txt", "/etc/passwd")) for f in project.table("sources")["file"].to_list())
    assert_live_whole(project)
    # validate reads sources through the same rule: the link stays unread
    out = project.cli("validate", "--curated", str(project.curated), "--reports", str(project.reports))
    assert out.exit_code == 0, out.stdout
    assert first_line not in _everything_published_text(project)


def test_validate_never_reads_a_source_replaced_by_a_symlink(project: Project, tmp_path):
    """A source swapped for a link after publishing (same bytes elsewhere) is not read by validate."""
    from flows.validate.command import read_source_texts

    src = sorted(project.raw.glob("*.txt"))[0]
    outside = tmp_path / "elsewhere.txt"
    outside.write_bytes(src.read_bytes())
    res, _ = project.refresh("--force")  # publish with this project's own paths
    assert res.exit_code == 0
    sources = project.table("sources")
    assert len(read_source_texts(sources, project.curated)) == 3
    src.unlink()
    src.symlink_to(outside)
    texts = read_source_texts(sources, project.curated)
    assert len(texts) == 2 and all(t for t in texts.values())


def test_fifo_in_raw_is_refused_without_hanging(project: Project):
    os.mkfifo(project.raw / "pipe.txt")
    res, payload = project.refresh()
    assert res.exit_code == 0, res.stdout
    assert "pipe.txt" in payload["message"] and "not a regular file" in payload["message"]
    assert_live_whole(project)


# --------------------------------------------------------------------------- raw/sources.yaml is a schema

BAD_YAML = {
    "invalid_date_unquoted": (("updated_on: 2026-06-10", "updated_on: 2026-02-30"), "sources[1]", "updated_on"),
    "numeric_source_id": (("source_id: omc-online-ml-masters", "source_id: 12345"), "sources[1]", "source_id"),
    "unknown_key": (("    retrieval_note: handed over with the project brief on 2026-11-20; actual retrieval "
                     "date unknown\n  - file: 002", "    titel: typo\n    retrieval_note: x\n  - file: 002"),
                    "sources[1]", "titel"),
    "wrong_type_title": (("title: Online Master's in Machine Learning", "title: 2026"), "sources[1]", "title"),
    "path_traversal": (("file: 001_a1f9e34582002965.txt", "file: ../../etc/passwd"), "sources[1]", "file"),
    "absolute_path": (("file: 001_a1f9e34582002965.txt", "file: /etc/passwd"), "sources[1]", "file"),
    "bad_period": (("warn_after: {count: 180, period: day}", "warn_after: {count: 180, period: fortnight}"),
                   "defaults.freshness.warn_after", "period"),
    "string_count": (("error_after: {count: 365, period: day}", "error_after: {count: lots, period: day}"),
                     "defaults.freshness.error_after", "count"),
    "duplicate_file": (("file: 002_0997e4a9545dd17b.txt", "file: 001_a1f9e34582002965.txt"), "sources[2]", "file"),
    "duplicate_source_id": (("source_id: researchcom-ml-curriculum", "source_id: omc-online-ml-masters"),
                            "sources[2]", "source_id"),
    "unknown_top_level_key": (("defaults:", "sauces: []\ndefaults:"), "sauces", "unknown key"),
}


@pytest.mark.parametrize("case", sorted(BAD_YAML))
def test_bad_sources_yaml_exits_2_naming_file_entry_and_key(project: Project, case):
    (old, new), entry, key = BAD_YAML[case]
    text = project.yaml()
    assert old in text, case
    project.set_yaml(text.replace(old, new, 1))
    live = project.live_digest()
    runs_before = project.runs().height
    res, payload = project.refresh()
    assert res.exit_code == 2, (case, res.stdout)
    msg = payload["message"]
    assert "\n" not in msg and "sources.yaml" in msg and entry in msg and key in msg, msg
    assert payload["sources_seen"] == 0 and payload["sources_extracted"] == 0  # before anything else ran
    assert project.live_digest() == live
    runs = project.runs()
    assert runs.height == runs_before + 1 and runs["status"][-1] == "failed" and key in runs["message"][-1]


def test_quoted_iso_dates_and_a_record_without_optional_keys_are_accepted(project: Project):
    text = project.yaml().replace("updated_on: 2026-06-10", 'updated_on: "2026-06-11"', 1)
    project.set_yaml(text + "  - file: extra.txt\n")
    (project.raw / "extra.txt").write_text("Extra Notes\n\nNothing factual here.\n", encoding="utf-8")
    res, payload = project.refresh()
    assert res.exit_code == 0, res.stdout
    src = project.table("sources")
    assert src.filter(pl.col("source_id") == "omc-online-ml-masters")["updated_on"].item().isoformat() == "2026-06-11"
    assert "extra" in src["source_id"].to_list()


# --------------------------------------------------------------------------- metadata is part of "changed"


def test_editing_sources_yaml_republishes_says_which_and_history_records_it(project: Project):
    before = project.live_run()
    project.set_yaml(project.yaml().replace("updated_on: 2026-06-10", "updated_on: 2026-10-01", 1))
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] == "published", res.stdout
    assert payload["publication"] != before
    assert "omc-online-ml-masters (metadata)" in payload["message"]
    assert payload["sources_changed"] == 1 and payload["sources_extracted"] == 0  # bytes unchanged: cache hit
    row = project.table("sources").filter(pl.col("source_id") == "omc-online-ml-masters").row(0, named=True)
    assert row["updated_on"].isoformat() == "2026-10-01"
    assert "omc-online-ml-masters (metadata)" in project.runs()["message"][-1]
    fresh = json.loads((project.reports / "freshness.json").read_text())
    [s] = [s for s in fresh["sources"] if s["source_id"] == "omc-online-ml-masters"]
    assert str(s["stated_date"]).startswith("2026-10-01")
    # and the same metadata again is "unchanged"
    res, payload = project.refresh()
    assert payload["status"] == "unchanged", payload["message"]


def test_title_edit_reaches_sources_parquet(project: Project):
    project.set_yaml(project.yaml().replace("title: Online Master's in Machine Learning",
                                            "title: Online Master's in Machine Learning (corrected)", 1))
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] == "published"
    titles = project.table("sources")["title"].to_list()
    assert "Online Master's in Machine Learning (corrected)" in titles


def test_freshness_defaults_come_from_raw_not_the_working_directory(project: Project, tmp_path, monkeypatch):
    decoy = tmp_path / "decoy"
    (decoy / "raw").mkdir(parents=True)
    (decoy / "raw" / "sources.yaml").write_text(
        "defaults:\n  freshness:\n    warn_after: {count: 1, period: hour}\n    error_after: {count: 2, period: hour}\n",
        encoding="utf-8")
    monkeypatch.chdir(decoy)
    project.set_yaml(project.yaml().replace("warn_after: {count: 180, period: day}",
                                            "warn_after: {count: 170, period: day}", 1))
    res, payload = project.refresh()
    assert res.exit_code == 0, res.stdout
    fresh = json.loads((project.reports / "freshness.json").read_text())
    assert fresh["criteria_defaults"]["warn_after"]["count"] == 170
    assert fresh["criteria_defaults"]["warn_after"]["period"] == "day"
    assert str(project.raw) in fresh["criteria_defaults_file"]
    # `gradfacts freshness` without --raw uses the publication's raw folder too
    out = project.cli("freshness", "--as-of", "2026-11-23", "--curated", str(project.curated),
                      "--reports", str(project.reports))
    assert out.exit_code in (0, 1), out.stdout
    assert json.loads((project.reports / "freshness.json").read_text())["criteria_defaults"]["warn_after"]["count"] == 170


# --------------------------------------------------------------------------- names, encodings, markup


def test_non_ascii_file_names_get_distinct_stable_ids(project: Project):
    body = "Lakeside Notes\n\nLakeside University charges $20,000 for its online M.S. in Data Science.\n"
    (project.raw / "名前.txt").write_text(body, encoding="utf-8")
    (project.raw / "日本.txt").write_text(body.replace("Lakeside", "Harbor"), encoding="utf-8")
    (project.raw / "🙂.txt").write_text(body.replace("Lakeside", "Meadow"), encoding="utf-8")
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] == "published", res.stdout
    ids = set(project.table("sources")["source_id"].to_list())
    assert {"ming-qian", "ri-ben"} <= ids
    assert any(re.fullmatch(r"source-[0-9a-f]{8}", i) for i in ids)
    assert len(ids) == 6
    res, payload = project.refresh()
    assert payload["status"] == "unchanged" and set(project.table("sources")["source_id"].to_list()) == ids


@pytest.mark.parametrize("name,content,needle", [
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "image.txt"),
    ("utf16.txt", "Lakeside University tuition is $20,000.".encode("utf-16"), "UTF-16"),
    ("latin1.md", "Caf\xe9 Universit\xe9 notes".encode("latin-1"), "not UTF-8"),
])
def test_binary_and_non_utf8_files_exit_2_naming_the_file(project: Project, name, content, needle):
    (project.raw / name).write_bytes(content)
    live = project.live_digest()
    res, payload = project.refresh()
    assert res.exit_code == 2, res.stdout
    assert name in payload["message"] and needle in payload["message"]
    assert project.live_digest() == live
    assert project.runs()["status"][-1] == "failed"


def test_empty_file_is_quarantined_with_its_rule_and_the_rest_publish(project: Project):
    (project.raw / "empty.txt").write_bytes(b"")
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] == "published", res.stdout
    assert "empty" not in project.table("sources")["source_id"].to_list()
    q = project.table("quarantine").filter(pl.col("table") == "sources")
    assert q.height == 1 and q["rule"][0] == "source_not_empty" and '"empty"' in q["record"][0]
    assert project.table("sources").height == 3
    assert_live_whole(project)


HOSTILE_HTML = """<!doctype html><html><head><title>Evil &lt;script&gt;alert(1)&lt;/script&gt; School</title></head>
<body><h1>Quillmoor University &lt;img src=x onerror=alert(2)&gt;</h1>
<p>Quillmoor University charges $30,000 for its online M.S. in Data Science &lt;script&gt;alert(3)&lt;/script&gt;.</p>
<p>Tuition: $12,345 per year &lt;iframe src=javascript:alert(4)&gt;</p>
<script>document.write("<b>x</b>")</script>
</body></html>
"""


def test_hostile_markup_is_escaped_in_every_report(project: Project):
    (project.raw / "evil.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (project.raw / "evil-notes.md").write_text("# <script>alert(5)</script> Notes\n\nTuition: $9,999 <img src=x "
                                         "onerror=alert(6)> per year at Quillmoor University\n", encoding="utf-8")
    res, payload = project.refresh()
    assert res.exit_code == 0, res.stdout
    titles = project.table("sources")["title"].to_list()
    assert any("<script>alert(1)</script>" in (t or "") for t in titles)  # the data keeps the words...
    pages = [f for f in project.reports.rglob("*.html")]
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for payload_text in ("<script>alert(", "<img src=x onerror", "<iframe src=javascript"):
            assert payload_text not in html, (page.name, payload_text)  # ...the pages never run them


# --------------------------------------------------------------------------- limits: size and time


def test_source_over_the_size_limit_is_reported_and_skipped_the_rest_publish(project: Project):
    project.set_yaml(project.yaml().replace("defaults:\n", "defaults:\n  limits: {max_source_mb: 0.1}\n", 1))
    (project.raw / "huge.txt").write_text("Lakeside University notes. " * 8000, encoding="utf-8")  # ~210 KB
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] in ("published", "unchanged"), res.stdout
    assert "huge.txt" in payload["message"] and "0.1 MB source size limit" in payload["message"]
    assert "huge" not in project.table("sources")["source_id"].to_list()
    assert project.table("sources").height == 3 and project.table("programs").height > 0
    assert "huge.txt" in project.runs()["message"][-1]
    assert_live_whole(project)


def test_document_over_the_time_budget_is_stopped_reported_and_skipped(project: Project):
    project.set_yaml(project.yaml().replace("defaults:\n", "defaults:\n  limits: {extract_seconds: 1}\n", 1))
    text = (project.raw / "002_0997e4a9545dd17b.txt").read_text(encoding="utf-8")
    (project.raw / "slow.txt").write_text("Slow Page\n\n" + text * 40, encoding="utf-8")  # ~1.2 MB: far over 1 s
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] == "published", res.stdout
    assert "slow.txt" in payload["message"] and "1 s budget" in payload["message"]
    assert "slow" not in project.table("sources")["source_id"].to_list()
    assert project.table("sources").height == 3
    assert_live_whole(project)


def test_a_source_over_the_default_20_mb_is_skipped_quickly(project: Project):
    big = project.raw / "fifty.txt"
    with open(big, "wb") as fh:  # sparse: 21 MB of size without writing them
        fh.truncate(21 * 1024 * 1024)
    res, payload = project.refresh()
    assert res.exit_code == 0 and payload["status"] == "unchanged", res.stdout
    assert "fifty.txt" in payload["message"] and "21.0 MB is over the 20 MB source size limit" in payload["message"]
    assert_live_whole(project)
