"""Ingest reads regular files inside raw/ only; sources.yaml is a schema; stated dates through dateutil;
one slug function with distinct stable ids for non-ASCII names."""

from __future__ import annotations

import os
from datetime import date

import pytest

from flows.common.slug import slug, slug_id
from flows.ingest.metadata import MetadataError, parse_sources_file
from flows.ingest.nodes import (IngestError, SourceRefused, SourceTooLarge, derive_metadata, ingest_sources,
                                read_source_bytes, source_id_for)


@pytest.mark.parametrize("line,expected", [
    ("Last Updated: Sep 3, 2026", date(2026, 9, 3)),
    ("Last Updated: Sept. 3, 2026", date(2026, 9, 3)),
    ("Updated 10 June 2026", date(2026, 6, 10)),
    ("Updated on: 06/10/2026", date(2026, 6, 10)),
    ("Last reviewed: June 10, 2026", date(2026, 6, 10)),
    ("Modified - 2026-06-10", date(2026, 6, 10)),
    ("Last Updated: February 30, 2026", None),  # no such day: not guessed
])
def test_stated_dates_in_common_shapes_are_read(line, expected):
    meta = derive_metadata(f"Guide to Online Degrees\n\n{line}\n\nBody.\n")
    assert meta["updated_on"] == expected


def test_published_date_day_first_words():
    assert derive_metadata("Title\nPublished: 3 Sep 2026\n")["published_on"] == date(2026, 9, 3)


def test_non_ascii_names_get_distinct_stable_ids():
    assert source_id_for("名前.txt") == "ming-qian"
    assert source_id_for("日本.txt") == "ri-ben"
    assert source_id_for("名前.txt") != source_id_for("日本.txt")
    emoji = source_id_for("🙂.txt")
    assert emoji.startswith("source-") and emoji == source_id_for("🙂.txt") and emoji != source_id_for("😀.txt")
    assert source_id_for("sub/Page One.html") == "sub-page-one"
    assert slug("M.S. in Data Science") == "m-s-in-data-science" and slug_id("") .startswith("source-")


def test_symlinks_and_fifos_are_refused_and_named(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ok.txt").write_text("Fine page\n\nText.\n", encoding="utf-8")
    (raw / "leak.txt").symlink_to("/etc/passwd")
    (raw / "inner.txt").symlink_to(raw / "ok.txt")  # even a link inside raw/ is not followed
    (raw / "dir").symlink_to("/etc", target_is_directory=True)
    os.mkfifo(raw / "pipe.md")
    got = ingest_sources(raw)
    assert [d.path.name for d in got.docs] == ["ok.txt"]
    reasons = {s.path.name: s.reason for s in got.skipped}
    assert set(reasons) == {"leak.txt", "inner.txt", "dir", "pipe.md"}
    assert "symbolic link" in reasons["leak.txt"] and "/etc/passwd" in reasons["leak.txt"]
    assert "not a regular file" in reasons["pipe.md"]


def test_read_source_bytes_refuses_paths_leading_outside(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (raw / "sub" / "a.txt").write_text("a", encoding="utf-8")
    assert read_source_bytes(raw / "sub" / "a.txt", raw) == b"a"
    with pytest.raises(SourceRefused, match="outside|leads outside"):
        read_source_bytes(raw / ".." / "secret.txt", raw)
    with pytest.raises(SourceRefused, match="outside"):
        read_source_bytes(tmp_path / "secret.txt", raw)
    (raw / "link").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(SourceRefused, match="symbolic link"):
        read_source_bytes(raw / "link" / "secret.txt", raw)


def test_size_limit(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "big.txt").write_bytes(b"x" * 3000)
    (raw / "small.txt").write_bytes(b"small")
    with pytest.raises(SourceTooLarge, match="big.txt"):
        read_source_bytes(raw / "big.txt", raw, max_bytes=1000)
    (raw / "sources.yaml").write_text("defaults:\n  limits: {max_source_mb: 0.001}\n", encoding="utf-8")
    got = ingest_sources(raw)
    assert [d.path.name for d in got.docs] == ["small.txt"]
    assert "source size limit" in got.warnings[0] and "big.txt" in got.warnings[0]


SCHEMA_ERRORS = [
    ("sources:\n  - file: a.txt\n    updated_on: 2026-02-30\n", "sources[0] (file: a.txt): updated_on"),
    ("sources:\n  - file: a.txt\n    source_id: 42\n", "sources[0] (file: a.txt): source_id"),
    ("sources:\n  - file: a.txt\n    colour: red\n", "sources[0] (file: a.txt): colour: unknown key"),
    ("sources:\n  - file: a.txt\n    title: [1, 2]\n", "sources[0] (file: a.txt): title"),
    ("sources:\n  - file: a.txt\n  - file: a.txt\n", "sources[1] (file: a.txt): file: a second record"),
    ("sources:\n  - file: a.txt\n    source_id: x\n  - file: b.txt\n    source_id: x\n", "sources[1] (file: b.txt): source_id"),
    ("sources:\n  - file: ../outside.txt\n", "sources[0] (file: ../outside.txt): file"),
    ("sources:\n  - title: no file\n", "sources[0]: file: required key missing"),
    ("sources:\n  - file: a.txt\n    retrieved_at: yesterday\n", "sources[0] (file: a.txt): retrieved_at"),
    ("defaults:\n  freshness:\n    warn_after: {count: 1, period: week}\n    error_after: {count: 2, period: day}\n",
     "defaults.freshness.warn_after: period"),
    ("defaults:\n  limits: {max_source_mb: -1}\n", "defaults.limits: max_source_mb"),
    ("- just\n- a list\n", "expected a mapping"),
    ("sources: [\n", "not valid YAML"),
]


@pytest.mark.parametrize("text,where", SCHEMA_ERRORS)
def test_sources_yaml_schema_errors_name_entry_and_key(tmp_path, text, where):
    with pytest.raises(MetadataError) as exc:
        parse_sources_file(text, tmp_path / "sources.yaml")
    msg = str(exc.value)
    assert msg.startswith(str(tmp_path / "sources.yaml")) and where in msg and "\n" not in msg, msg
    assert isinstance(exc.value, IngestError)


def test_valid_sources_yaml_reads_dates_and_defaults(tmp_path):
    parsed = parse_sources_file(
        "defaults:\n  freshness:\n    warn_after: {count: 5, period: hour}\n    error_after: {count: 9, period: day}\n"
        "sources:\n  - file: a.txt\n    updated_on: 2026-06-10\n    published_on: '2026-01-02'\n"
        "    retrieved_at: 2026-11-20T00:00:00Z\n    author: null\n", tmp_path / "sources.yaml")
    rec = parsed.sources[0]
    assert rec.updated_on == date(2026, 6, 10) and rec.published_on == date(2026, 1, 2)
    assert rec.retrieved_at.isoformat() == "2026-11-20T00:00:00+00:00"
    assert parsed.defaults.freshness.warn_after.period == "hour" and parsed.defaults.limits.max_source_mb == 20


def test_metadata_fingerprint_changes_with_the_record_only(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Page\n\nText.\n", encoding="utf-8")
    (raw / "sources.yaml").write_text("sources:\n  - file: a.txt\n    title: One\n", encoding="utf-8")
    first = ingest_sources(raw).docs[0].meta_sha256
    os.utime(raw / "a.txt", (0, 0))  # touching the file is not a metadata change
    assert ingest_sources(raw).docs[0].meta_sha256 == first
    (raw / "sources.yaml").write_text("sources:\n  - file: a.txt\n    title: Two\n", encoding="utf-8")
    assert ingest_sources(raw).docs[0].meta_sha256 != first
