"""One jinja2 environment for every HTML report: autoescape on, templates beside this module."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True))


def render(template: str, **ctx) -> str:
    return _env.get_template(template).render(**ctx)


def write_atomic(path: Path, text: str) -> Path:
    from flows.common.files import atomic_write_text  # the project's one atomic-write helper

    return atomic_write_text(path, text)
