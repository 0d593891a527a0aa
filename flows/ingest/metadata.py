"""raw/sources.yaml: the schema (pydantic) every metadata file is checked against before anything runs.

Unknown keys, wrong types, dates that do not exist, a file path leaving raw/ and two records for one
file (or one source_id) are errors naming the file, the entry and the key. Dates are read from the YAML
*as text* (YAML's own date resolver would turn ``2026-02-30`` into a crash inside the parser) and must be
ISO: ``YYYY-MM-DD`` for a date, ``YYYY-MM-DDTHH:MM:SS[Z|+hh:mm]`` (or a bare date) for ``retrieved_at``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

import yaml
from flows.common.errors import IngestError
from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr, ValidationError,
                      field_validator)

METADATA_FILE = "sources.yaml"
#: a source bigger than this is reported and skipped (``defaults.limits.max_source_mb`` overrides it)
DEFAULT_MAX_SOURCE_MB = 20.0
#: extraction of one document longer than this is stopped, reported and skipped (``defaults.limits.extract_seconds``)
DEFAULT_EXTRACT_SECONDS = 120.0


class MetadataError(IngestError):
    """raw/sources.yaml does not match the schema; the message names the file, entry and key."""


def _iso_date(v: Any) -> date | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if not isinstance(v, str):
        raise ValueError(f"must be a date written YYYY-MM-DD, got {type(v).__name__} {v!r}")
    try:
        return date.fromisoformat(v.strip())
    except ValueError as exc:
        raise ValueError(f"{v!r} is not a valid date YYYY-MM-DD ({exc})") from None


def _iso_datetime(v: Any) -> datetime | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        dt = v
    elif isinstance(v, date):
        dt = datetime(v.year, v.month, v.day)
    elif isinstance(v, str):
        try:
            dt = datetime.fromisoformat(v.strip().replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValueError(f"{v!r} is not a valid ISO date-time ({exc})") from None
    else:
        raise ValueError(f"must be an ISO date-time, got {type(v).__name__} {v!r}")
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


IsoDate = Annotated[date | None, BeforeValidator(_iso_date)]
IsoDateTime = Annotated[datetime | None, BeforeValidator(_iso_datetime)]
Text = StrictStr | None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Threshold(_Strict):
    count: StrictInt = Field(ge=0)
    period: Literal["day", "hour"]


class Freshness(_Strict):
    warn_after: Threshold
    error_after: Threshold


class Limits(_Strict):
    max_source_mb: float = Field(DEFAULT_MAX_SOURCE_MB, gt=0)
    extract_seconds: float = Field(DEFAULT_EXTRACT_SECONDS, gt=0)

    @property
    def max_source_bytes(self) -> int:
        return int(self.max_source_mb * 1024 * 1024)


DEFAULT_FRESHNESS = Freshness(warn_after=Threshold(count=180, period="day"),
                              error_after=Threshold(count=365, period="day"))


class Defaults(_Strict):
    freshness: Freshness = DEFAULT_FRESHNESS
    limits: Limits = Limits()


class SourceRecord(_Strict):
    file: StrictStr
    source_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")] | None = None
    title: Text = None
    author: Text = None
    url: Text = None
    publisher: Text = None
    published_on: IsoDate = None
    updated_on: IsoDate = None
    retrieved_at: IsoDateTime = None
    retrieval_note: Text = None
    freshness: Freshness | None = None

    @field_validator("file")
    @classmethod
    def _inside_raw(cls, v: str) -> str:
        p = PurePosixPath(v)
        if not v.strip() or p.is_absolute() or ".." in p.parts or "\\" in v:
            raise ValueError(f"{v!r} must be a path inside raw/ (relative, without '..')")
        return p.as_posix()

    @field_validator("source_id", mode="before")
    @classmethod
    def _id_is_text(cls, v: Any) -> Any:
        if v is not None and not isinstance(v, str):
            raise ValueError(f"must be text (quote it: source_id: \"{v}\"), got {type(v).__name__} {v!r}")
        return v


class SourcesFile(_Strict):
    defaults: Defaults = Defaults()
    sources: list[SourceRecord] = []


class _TextDatesLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text (the schema reads them), so an impossible date is a clear error."""


_TextDatesLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _where(loc: tuple, raw_sources: list) -> str:
    """'sources[3] (file: a.txt): updated_on' from a pydantic error location."""
    out, i = [], 0
    while i < len(loc):
        part = loc[i]
        if isinstance(part, int):
            out[-1] = f"{out[-1]}[{part}]"
            if loc[:1] == ("sources",) and i == 1 and part < len(raw_sources) and isinstance(raw_sources[part], dict):
                f = raw_sources[part].get("file")
                if f is not None:
                    out[-1] += f" (file: {f})"
        else:
            out.append(str(part))
        i += 1
    if len(out) >= 2:
        return f"{'.'.join(out[:-1])}: {out[-1]}"
    return out[0] if out else "(top level)"


def _describe(err: dict) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key"
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] in ("missing",):
        return "required key missing"
    if not msg.startswith(("must", "'")) and "input" in err and err["type"] not in ("value_error",):
        msg += f" (got {err['input']!r})"
    return msg


def parse_sources_file(text: str, path: Path) -> SourcesFile:
    """The validated metadata of ``path`` (its text given). Raises MetadataError naming file, entry and key."""
    try:
        data = yaml.load(text, Loader=_TextDatesLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise MetadataError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MetadataError(f"{path}: expected a mapping with 'defaults' and 'sources', got {type(data).__name__}")
    raw_sources = data.get("sources") if isinstance(data.get("sources"), list) else []
    if data.get("sources") is None:
        data = {k: v for k, v in data.items() if k != "sources"}
    if data.get("defaults") is None:
        data = {k: v for k, v in data.items() if k != "defaults"}
    try:
        parsed = SourcesFile.model_validate(data)
    except ValidationError as exc:
        errs = exc.errors(include_url=False)
        problems = [f"{_where(tuple(e['loc']), raw_sources)}: {_describe(e)}" for e in errs]
        raise MetadataError(f"{path}: " + "; ".join(problems)) from None
    first_file: dict[str, int] = {}
    first_id: dict[str, int] = {}
    for i, rec in enumerate(parsed.sources):
        if rec.file in first_file:
            raise MetadataError(f"{path}: sources[{i}] (file: {rec.file}): file: a second record for this file "
                                f"(the first is sources[{first_file[rec.file]}]); keep one")
        first_file[rec.file] = i
        if rec.source_id is not None:
            if rec.source_id in first_id:
                raise MetadataError(f"{path}: sources[{i}] (file: {rec.file}): source_id: {rec.source_id!r} is "
                                    f"already used by sources[{first_id[rec.source_id]}]")
            first_id[rec.source_id] = i
    return parsed


def load_sources_file(raw_dir: Path) -> SourcesFile:
    """raw_dir/sources.yaml validated (defaults only when there is none)."""
    path = Path(raw_dir) / METADATA_FILE
    if path.is_symlink():
        raise MetadataError(f"{path}: a symbolic link; the metadata file must be a regular file inside raw/")
    if not path.exists():
        return SourcesFile()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MetadataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise MetadataError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_sources_file(text, path)


def record_fingerprint(record: SourceRecord | None, defaults: Defaults) -> str:
    """sha256 (16 hex) of what the metadata says about one source: its record and the defaults that apply.
    A change here is a change of the source even when its bytes are the same."""
    payload = {
        "record": record.model_dump(mode="json") if record is not None else None,
        "freshness": (record.freshness if record is not None and record.freshness else defaults.freshness
                      ).model_dump(mode="json"),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
