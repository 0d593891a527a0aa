"""Failures of the machine rather than of the input: a full disk, a read-only folder.

They are not the user's data's fault and not a validation outcome, so they get their own exit code
(EXIT_ENVIRONMENT) and a one-line message naming the path and the cause.
"""

from __future__ import annotations

import errno
from pathlib import Path

#: exit code for a refresh that could not run because of the machine (disk full, read-only, no permission)
EXIT_ENVIRONMENT = 4

#: errno -> what a user reads
_CAUSES = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
}


class EnvironmentFailure(OSError):
    """The machine refused a write (disk full, read-only, permission). ``str()`` is the one-line message."""

    exit_code = EXIT_ENVIRONMENT

    def __init__(self, path: Path | str, cause: str, detail: str = ""):
        self.path, self.cause = str(path), cause
        super().__init__(f"{path}: cannot write ({cause}){': ' + detail if detail and detail != cause else ''}")

    def __str__(self) -> str:  # OSError's own str() would show "[Errno None] ..."
        return self.args[0]


def environment_cause(exc: BaseException) -> str | None:
    """The user-facing cause when ``exc`` is the machine refusing a write, else None."""
    if isinstance(exc, EnvironmentFailure):
        return exc.cause
    if isinstance(exc, OSError) and exc.errno in _CAUSES:
        return _CAUSES[exc.errno]
    return None


def as_environment_failure(exc: BaseException, path: Path | str) -> EnvironmentFailure | None:
    """An EnvironmentFailure for ``path`` when ``exc`` is one (errno ENOSPC/EROFS/EACCES/...), else None."""
    if isinstance(exc, EnvironmentFailure):
        return exc
    cause = environment_cause(exc)
    if cause is None:
        return None
    return EnvironmentFailure(path, cause, getattr(exc, "strerror", "") or "")


class IngestError(ValueError):
    """A source or its metadata cannot be read (bad input, exit 2); the message names the file and the problem."""


class environment_guard:  # noqa: N801 - used as a context manager: `with environment_guard(path):`
    """Turn an OSError that is the machine refusing (disk full, read-only, permission) into an
    EnvironmentFailure naming ``path``; every other exception passes through unchanged."""

    def __init__(self, path: Path | str):
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None or isinstance(exc, EnvironmentFailure):
            return False
        env = as_environment_failure(exc, getattr(exc, "filename", None) or self.path)
        if env is not None:
            raise env from exc
        return False
