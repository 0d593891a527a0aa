"""Property over every HTML and Markdown document the tests use: each block, cell, key and value
span of the layout lies inside the document text and maps back into the file over the same words."""

from pathlib import Path

import pytest

from flows.extract.layout import build

ROOT = Path(__file__).resolve().parents[3]
DOCS = sorted(p for pattern in ("*.html", "*.md") for p in (ROOT / "tests").rglob(pattern))
MEDIA = {".html": "text/html", ".md": "text/markdown"}


def test_there_are_documents_to_check():
    assert len([p for p in DOCS if p.suffix == ".html"]) >= 5 and len([p for p in DOCS if p.suffix == ".md"]) >= 10


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_span_maps_into_the_file(path, spans):
    _, check_all = spans
    file_text = path.read_text(encoding="utf-8")
    layout = build(file_text, MEDIA[path.suffix])
    assert layout.media_type == MEDIA[path.suffix]
    assert check_all(layout, file_text) >= 1
    starts = [b.start for b in layout.blocks]
    assert starts == sorted(starts)  # document order
