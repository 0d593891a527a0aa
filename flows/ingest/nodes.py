"""Ingest nodes (pure where possible): find source files, read their metadata, build Documents.

A source is any .txt, .md or .html/.htm file in raw/. Metadata comes from raw/sources.yaml when the
file has a record there; otherwise what can be derived from the text is derived (title, author,
stated dates) and retrieved_at falls back to the file's modification time -- and the record says so.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

from flows.ingest.html_text import html_to_text
from flows.ingest.markdown_text import markdown_to_text

SOURCE_SUFFIXES = {".txt": "text/plain", ".md": "text/markdown", ".html": "text/html", ".htm": "text/html"}
METADATA_FILE = "sources.yaml"
DEFAULT_FRESHNESS = {"warn_after": {"count": 180, "period": "day"}, "error_after": {"count": 365, "period": "day"}}
PERIODS = ("day", "hour")


class IngestError(ValueError):
    """A source or its metadata cannot be read; the message names the file and the problem."""


@dataclass(slots=True)
class Document:
    source_id: str
    path: Path
    media_type: str
    file_text: str                 # the decoded file
    text: str                      # what extractors read (== file_text unless HTML)
    offsets: list[int] | None      # text index -> file index (HTML only)
    sha256: str
    bytes: int
    meta: dict = field(default_factory=dict)


def discover(raw_dir: Path) -> list[Path]:
    """Source files under raw_dir (recursively), sorted; metadata and hidden files excluded."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise IngestError(f"{raw_dir}: raw directory does not exist")
    files = [
        p for p in raw_dir.rglob("*")
        if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(raw_dir).parts)
    ]
    return sorted(files)


def load_metadata(raw_dir: Path) -> tuple[dict, dict[str, dict]]:
    """(defaults, records by file path relative to raw_dir) from raw/sources.yaml (optional)."""
    path = Path(raw_dir) / METADATA_FILE
    if not path.exists():
        return {"freshness": DEFAULT_FRESHNESS}, {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise IngestError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise IngestError(f"{path}: expected a mapping with 'defaults' and 'sources'")
    defaults = data.get("defaults") or {}
    defaults.setdefault("freshness", DEFAULT_FRESHNESS)
    _check_thresholds(defaults["freshness"], f"{path}: defaults.freshness")
    records: dict[str, dict] = {}
    for i, rec in enumerate(data.get("sources") or []):
        if not isinstance(rec, dict) or "file" not in rec:
            raise IngestError(f"{path}: sources[{i}] needs a 'file' key")
        if "freshness" in rec:
            _check_thresholds(rec["freshness"], f"{path}: sources[{i}].freshness")
        records[str(rec["file"])] = rec
    return defaults, records


def _check_thresholds(fr: dict, where: str) -> None:
    for key in ("warn_after", "error_after"):
        t = (fr or {}).get(key)
        if not isinstance(t, dict) or not isinstance(t.get("count"), int) or t.get("period") not in PERIODS:
            raise IngestError(f"{where}.{key} must be {{count: <int>, period: day|hour}}, got {t!r}")


def read_document(path: Path, raw_dir: Path, record: dict | None, defaults: dict) -> Document:
    """Read one source file into a Document with its metadata (record, else derived)."""
    path = Path(path)
    data = path.read_bytes()
    try:
        file_text = data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        file_text = "\ufeff" + file_text  # keep offsets equal to the file's own characters
    if "\x00" in file_text:
        raise IngestError(f"{path}: contains NUL bytes; not a text document")
    media_type = SOURCE_SUFFIXES[path.suffix.lower()]
    offsets = None
    html_title = None
    text = file_text
    if media_type == "text/html":
        text, offsets, html_title = html_to_text(file_text)
    elif media_type == "text/markdown":
        text, offsets = markdown_to_text(file_text)
        if text == file_text:
            offsets = None
    rel = path.relative_to(raw_dir).as_posix()
    meta = derive_metadata(text, html_title)
    rec = dict(record or {})
    meta_basis = "metadata" if rec.get("retrieved_at") else "file_mtime"
    merged = {
        "source_id": rec.get("source_id") or source_id_for(rel),
        "title": rec.get("title", meta["title"]),
        "author": rec.get("author", meta["author"]),
        "url": rec.get("url"),
        "publisher": rec.get("publisher"),
        "published_on": _as_date(rec.get("published_on", meta["published_on"]), path, "published_on"),
        "updated_on": _as_date(rec.get("updated_on", meta["updated_on"]), path, "updated_on"),
        "retrieved_at": _as_datetime(rec.get("retrieved_at"), path) if rec.get("retrieved_at")
        else datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc),
        "retrieved_at_basis": meta_basis,
        "freshness": rec.get("freshness") or defaults.get("freshness") or DEFAULT_FRESHNESS,
        "has_metadata_record": record is not None,
    }
    return Document(
        source_id=merged["source_id"], path=path, media_type=media_type, file_text=file_text, text=text,
        offsets=offsets, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), meta=merged,
    )


def source_id_for(rel_path: str) -> str:
    """A stable id for a file without a metadata record: its path in raw/, slugged."""
    stem = rel_path.rsplit(".", 1)[0]
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "source"


def _as_date(v, path: Path, key: str) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError as exc:
        raise IngestError(f"{path}: metadata {key}={v!r} is not an ISO date (YYYY-MM-DD)") from exc


def _as_datetime(v, path: Path) -> datetime:
    if isinstance(v, datetime):
        dt = v
    elif isinstance(v, date):
        dt = datetime(v.year, v.month, v.day)
    else:
        try:
            dt = datetime.fromisoformat(str(v).replace("Z", "+00:00"))
        except ValueError as exc:
            raise IngestError(f"{path}: metadata retrieved_at={v!r} is not an ISO date-time") from exc
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


# --- metadata derived from the text -------------------------------------------------------------

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE = rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}},\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
_UPDATED_RE = re.compile(rf"(?im)^\W*(?:last\s+)?(?:updated|modified|reviewed)(?:\s+on)?\s*[:\-–]?\s*(?P<d>{_DATE})")
_PUBLISHED_RE = re.compile(rf"(?im)^\W*(?:published|posted|date)(?:\s+on)?\s*[:\-–]?\s*(?P<d>{_DATE})")
_AUTHOR_RE = re.compile(r"(?im)^\s*(?:written\s+by|author|by)\s*[:\-–]?\s*(?P<a>[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:,\s*(?:PhD|Ph\.D\.|MD|MBA|EdD))?)\s*$")
#: a footer listing other articles: nothing below it is the page's own metadata
_RELATED_RE = re.compile(r"(?im)^\s*(?:related|recent(?:ly)?|more|popular|similar|you may also like)\b[^\n]{0,40}(?:articles?|posts?|reading|stories|published)\b")
#: how far into a page its own byline/date lines may stand
_HEADER_CHARS = 1500


def derive_metadata(text: str, html_title: str | None = None) -> dict:
    """Title, author and stated dates from a page's own header. Dates inside a "related articles"
    footer (or deep in the body) belong to other pages and are never taken."""
    cut = _RELATED_RE.search(text)
    own = text[: cut.start()] if cut else text
    head = own[:_HEADER_CHARS]
    title = html_title
    if not title:
        for line in head.splitlines():
            s = line.strip().lstrip("#").strip()
            if not s or _AUTHOR_RE.match(line) or _UPDATED_RE.match(line) or _PUBLISHED_RE.match(line):
                continue
            # a title is a short line that is not a sentence; a page opening with prose has none
            if len(s) <= 150 and not s.endswith((".", "?", "!")):
                title = s
            break
    updated = _UPDATED_RE.search(head)
    published = _PUBLISHED_RE.search(head)
    author = _AUTHOR_RE.search(head)
    return {
        "title": title,
        "author": author.group("a").strip() if author else None,
        "updated_on": _parse_date(updated.group("d")) if updated else None,
        "published_on": _parse_date(published.group("d")) if published else None,
    }


def _parse_date(s: str) -> date | None:
    s = s.strip()
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%Y-%m-%d", "%B. %d, %Y"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def ingest(raw_dir: Path) -> list[Document]:
    """All documents in raw_dir with metadata. Raises IngestError naming the file on bad input."""
    raw_dir = Path(raw_dir)
    defaults, records = load_metadata(raw_dir)
    docs = []
    seen: dict[str, Path] = {}
    for path in discover(raw_dir):
        rel = path.relative_to(raw_dir).as_posix()
        doc = read_document(path, raw_dir, records.get(rel), defaults)
        if doc.source_id in seen:
            raise IngestError(f"{path}: source_id {doc.source_id!r} already used by {seen[doc.source_id]}")
        seen[doc.source_id] = path
        docs.append(doc)
    missing = sorted(set(records) - {p.relative_to(raw_dir).as_posix() for p in discover(raw_dir)})
    if missing:
        # a record without its file is not an error (the source was removed), but it is not silent either
        import logging
        logging.getLogger("gradfacts.ingest").warning("raw/sources.yaml lists files not in raw/: %s", ", ".join(missing))
    return docs
