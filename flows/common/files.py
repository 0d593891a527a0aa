"""One atomic-write helper for every file gradfacts writes (tables, manifests, caches, reports, history).

A file is written to a temporary sibling, flushed to disk and renamed over the target (rename(2) is
atomic on one file system), so a reader or a crash sees the old file or the new one, never half of
one. A refusal by the machine (disk full, read-only, permission) becomes an EnvironmentFailure naming
the path; the temporary file is removed either way.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from flows.common.errors import as_environment_failure


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def atomic_write_bytes(path: Path | str, data: bytes, mode: int = 0o644) -> Path:
    """Write ``data`` to ``path`` atomically (parents created). Returns ``path``."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        env = as_environment_failure(exc, path)
        if env is not None and env is not exc:
            raise env from exc
        raise
    return path


def atomic_write_text(path: Path | str, text: str, encoding: str = "utf-8") -> Path:
    return atomic_write_bytes(path, text.encode(encoding))


def atomic_write_parquet(path: Path | str, frame, **options) -> Path:
    """A polars frame as Parquet, atomically. Serialised in memory first so that a full disk surfaces as
    an OSError with its errno (polars itself reports it as a ComputeError string)."""
    buf = io.BytesIO()
    frame.write_parquet(buf, **options)
    return atomic_write_bytes(path, buf.getvalue())
