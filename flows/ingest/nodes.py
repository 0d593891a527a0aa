"""Ingest nodes (pure where possible): find source files, read their metadata, build Documents.

A source is any .txt, .md or .html/.htm file in raw/. Metadata comes from raw/sources.yaml when the
file has a record there; otherwise what can be derived from the text is derived (title, author,
stated dates) and retrieved_at falls back to the file's modification time -- and the record says so.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from dateutil import parser as date_parser

from flows.common.errors import IngestError
from flows.common.slug import slug_id
from flows.ingest.html_text import html_to_text
from flows.ingest.markdown_text import markdown_to_text
from flows.ingest.metadata import (DEFAULT_FRESHNESS as _DEFAULT_FRESHNESS_MODEL, METADATA_FILE, Defaults,
                                   Limits, MetadataError, SourceRecord, load_sources_file, record_fingerprint)

__all__ = ["IngestError", "MetadataError", "SourceRefused", "SourceTooLarge", "Document", "Skipped", "Ingested",
           "discover", "ingest", "ingest_sources", "read_document", "read_source_bytes", "source_id_for",
           "derive_metadata", "METADATA_FILE"]

log = logging.getLogger("gradfacts.ingest")

SOURCE_SUFFIXES = {".txt": "text/plain", ".md": "text/markdown", ".html": "text/html", ".htm": "text/html"}
DEFAULT_FRESHNESS = _DEFAULT_FRESHNESS_MODEL.model_dump()


class SourceRefused(IngestError):
    """A path in raw/ that is not a regular file inside raw/ (a symlink, a FIFO, a path leading outside): never read."""


class SourceTooLarge(IngestError):
    """A source over the size limit: reported and skipped, the rest publish."""


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
    #: sha256 (16 hex) of the source's metadata record and the defaults that apply: a change re-publishes
    meta_sha256: str = ""


@dataclass(slots=True)
class Skipped:
    """A file in raw/ that was not ingested, and why (one line naming it)."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(slots=True)
class Ingested:
    docs: list[Document]
    skipped: list[Skipped] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    defaults: Defaults = field(default_factory=Defaults)

    @property
    def warnings(self) -> list[str]:
        return [str(s) for s in self.skipped]


def _is_candidate(name: str) -> bool:
    return not name.startswith(".") and Path(name).suffix.lower() in SOURCE_SUFFIXES


def discover_all(raw_dir: Path) -> tuple[list[Path], list[Skipped]]:
    """(regular source files under raw_dir, sorted; what was refused and why).

    Only regular files inside raw_dir are sources. Symbolic links (to files or folders) and anything that is not
    a regular file are refused -- named, never read -- so a link to /etc/passwd publishes nothing. Hidden files
    and folders and the metadata file are not sources."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise IngestError(f"{raw_dir}: raw directory does not exist")
    files: list[Path] = []
    refused: list[Skipped] = []
    for top, dirs, names in os.walk(raw_dir, followlinks=False):
        top_p = Path(top)
        for d in sorted(dirs):
            if d.startswith("."):
                continue
            if (top_p / d).is_symlink():
                refused.append(Skipped(top_p / d, "a symbolic link to a folder; refused, not read"))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (top_p / d).is_symlink())
        for n in sorted(names):
            if not _is_candidate(n):
                continue
            p = top_p / n
            try:
                st = os.lstat(p)
            except OSError as exc:
                refused.append(Skipped(p, f"cannot be read ({exc.strerror}); skipped"))
                continue
            if stat.S_ISLNK(st.st_mode):
                refused.append(Skipped(p, f"a symbolic link (to {os.readlink(p)}); refused, not read"))
            elif not stat.S_ISREG(st.st_mode):
                refused.append(Skipped(p, "not a regular file; refused, not read"))
            else:
                files.append(p)
    return sorted(files), refused


def discover(raw_dir: Path) -> list[Path]:
    """Regular source files under raw_dir, sorted (see discover_all for what is refused)."""
    return discover_all(raw_dir)[0]


def read_source_bytes(path: Path, raw_dir: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of one source, read only if it is a regular file inside raw_dir (no symlink on the way, no
    path leading outside). Raises SourceRefused / SourceTooLarge (naming the file) otherwise. The file is opened
    with O_NOFOLLOW and checked on the open descriptor, so a file swapped for a link meanwhile is not read."""
    path, raw_dir = Path(path), Path(raw_dir)
    raw_real = raw_dir.resolve()
    try:
        rel = path.relative_to(raw_dir) if not path.is_absolute() or raw_dir.is_absolute() else None
    except ValueError:
        rel = None
    if rel is None:
        try:
            rel = path.resolve().relative_to(raw_real)
        except ValueError:
            raise SourceRefused(f"{path}: outside the raw folder {raw_dir}; refused, not read") from None
        path = raw_dir / rel
    cur = raw_dir
    for part in rel.parts:
        cur = cur / part
        if part == ".." or cur.is_symlink():
            raise SourceRefused(f"{path}: {'a symbolic link' if part != '..' else 'leads outside raw/'}; "
                                "refused, not read")
    if not path.resolve().is_relative_to(raw_real):
        raise SourceRefused(f"{path}: resolves outside the raw folder {raw_dir}; refused, not read")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == 40:  # ELOOP: the last component became a symlink
            raise SourceRefused(f"{path}: a symbolic link; refused, not read") from None
        raise IngestError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise SourceRefused(f"{path}: not a regular file; refused, not read")
        if max_bytes is not None and st.st_size > max_bytes:
            raise SourceTooLarge(f"{path}: {st.st_size / 1048576:.1f} MB is over the {max_bytes / 1048576:.4g} MB "
                                 "source size limit (defaults.limits.max_source_mb in sources.yaml); skipped")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if max_bytes is not None and total > max_bytes:  # grew while being read
                raise SourceTooLarge(f"{path}: over the {max_bytes / 1048576:.4g} MB source size limit; skipped")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _decode(path: Path, data: bytes) -> str:
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        file_text = data.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as exc:
        hint = "; it looks like UTF-16, save it as UTF-8" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ""
        raise IngestError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}){hint}") from None
    if bom:
        file_text = "\ufeff" + file_text  # keep offsets equal to the file's own characters
    if "\x00" in file_text:
        raise IngestError(f"{path}: contains NUL bytes; not a text document")
    return file_text


def read_document(path: Path, raw_dir: Path, record: SourceRecord | dict | None,
                  defaults: Defaults | dict | None = None, *, limits: Limits | None = None) -> Document:
    """Read one source file into a Document with its metadata (record, else derived).

    Only a regular file inside ``raw_dir`` is read (see read_source_bytes); ``limits`` bounds its size."""
    path = Path(path)
    if isinstance(record, dict):
        record = SourceRecord.model_validate(record)
    if not isinstance(defaults, Defaults):
        defaults = Defaults.model_validate(defaults or {})
    limits = limits or defaults.limits
    data = read_source_bytes(path, raw_dir, limits.max_source_bytes)
    file_text = _decode(path, data)
    media_type = SOURCE_SUFFIXES.get(path.suffix.lower(), "text/plain")
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
    rec = record.model_dump(exclude_unset=True) if record is not None else {}
    freshness = (record.freshness if record is not None and record.freshness else defaults.freshness)
    merged = {
        "source_id": rec.get("source_id") or source_id_for(rel),
        "title": rec.get("title", meta["title"]),
        "author": rec.get("author", meta["author"]),
        "url": rec.get("url"),
        "publisher": rec.get("publisher"),
        "published_on": rec.get("published_on", meta["published_on"]),
        "updated_on": rec.get("updated_on", meta["updated_on"]),
        "retrieved_at": rec.get("retrieved_at") or datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc),
        "retrieved_at_basis": "metadata" if rec.get("retrieved_at") else "file_mtime",
        "freshness": freshness.model_dump(),
        "has_metadata_record": record is not None,
    }
    return Document(
        source_id=merged["source_id"], path=path, media_type=media_type, file_text=file_text, text=text,
        offsets=offsets, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), meta=merged,
        meta_sha256=record_fingerprint(record, defaults),
    )


def source_id_for(rel_path: str) -> str:
    """A stable id for a file without a metadata record: its path in raw/ without the suffix, slugged
    (non-ASCII names transliterated: ``名前.txt`` -> ``ming-qian``; nothing transliterable -> a short hash)."""
    stem = rel_path.rsplit(".", 1)[0] if "." in rel_path.rsplit("/", 1)[-1] else rel_path
    return slug_id(stem)


# --- metadata derived from the text -------------------------------------------------------------

_MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
           r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
#: the date shapes a page states: "June 10, 2026", "Sep 3, 2026", "10 June 2026", "06/10/2026" (US month first),
#: "2026-06-10". The regex only finds where a date stands; dateutil reads it.
_DATE = (rf"(?:{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\.?,?\s+\d{{4}}"
         r"|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})")
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
    """A stated date as written on a page, read by dateutil (month first for d/d/yyyy, as US pages write it);
    None when it names no real day ("February 30, 2026")."""
    try:
        return date_parser.parse(s.strip(), dayfirst=False, yearfirst=False).date()
    except (ValueError, OverflowError):
        return None


def ingest_sources(raw_dir: Path) -> Ingested:
    """Every regular source file in raw_dir as a Document, plus what was refused or skipped (and why).

    raw_dir/sources.yaml is validated first: a schema error raises MetadataError (exit 2) before any source is
    read. A source that cannot be decoded raises IngestError naming it. A symlink, a non-regular file or a source
    over the size limit is skipped with a warning naming it; the rest are ingested."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise IngestError(f"{raw_dir}: raw directory does not exist")
    meta = load_sources_file(raw_dir)
    records = {r.file: r for r in meta.sources}
    files, skipped = discover_all(raw_dir)
    limits = meta.defaults.limits
    docs: list[Document] = []
    seen: dict[str, Path] = {}
    for path in files:
        rel = path.relative_to(raw_dir).as_posix()
        try:
            doc = read_document(path, raw_dir, records.get(rel), meta.defaults, limits=limits)
        except (SourceRefused, SourceTooLarge) as exc:
            skipped.append(Skipped(path, str(exc).removeprefix(f"{path}: ")))
            continue
        if doc.source_id in seen:
            hint = "" if records.get(rel) else f" (give one a source_id in {raw_dir / METADATA_FILE})"
            raise IngestError(f"{path}: source_id {doc.source_id!r} already used by {seen[doc.source_id]}{hint}")
        seen[doc.source_id] = path
        docs.append(doc)
    for s in skipped:
        log.warning("%s", s)
    present = {p.relative_to(raw_dir).as_posix() for p in files}
    missing = sorted(set(records) - present)
    if missing:
        # a record without its file is not an error (the source was removed), but it is not silent either
        log.warning("%s lists files not in %s: %s", raw_dir / METADATA_FILE, raw_dir, ", ".join(missing))
    return Ingested(docs=docs, skipped=skipped, limits=limits, defaults=meta.defaults)


def ingest(raw_dir: Path) -> list[Document]:
    """All documents in raw_dir with metadata (see ingest_sources). Raises IngestError naming the file on bad input."""
    return ingest_sources(raw_dir).docs
