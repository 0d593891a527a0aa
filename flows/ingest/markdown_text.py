"""Markdown -> text with an offset map back into the file (like html_text for HTML).

Inline markup that would otherwise glue itself to names and numbers is removed: links and images
keep their text (``[Lakeside University](https://…)`` -> ``Lakeside University``), emphasis markers
(``**``, ``__``) and inline-code backticks are dropped. Block structure (headings, lists, pipe tables)
is kept as written, since the extractors read those shapes directly. Every character of the result
remembers its file offset, so quotes are still the file's own text. This is the one inline-markup
stripper: the Markdown layout builder (``flows.extract.layout.markdown``) cuts its block spans from
this text.
"""

from __future__ import annotations

import re

_INLINE = re.compile(
    r"(?P<image>!\[(?P<alt>[^\]\n]*)\]\([^)\n]*\))"
    r"|(?P<link>\[(?P<text>[^\]\n]+)\]\([^)\n]*\))"
    r"|(?P<reflink>\[(?P<rtext>[^\]\n]+)\]\[[^\]\n]*\])"
    r"|(?P<emph>\*\*|__)"
    r"|(?P<code>`)"
)


def markdown_to_text(source: str) -> tuple[str, list[int]]:
    """Returns (text, offsets) with ``offsets[i]`` the file offset of ``text[i]`` plus one end entry."""
    out: list[str] = []
    offsets: list[int] = []
    pos = 0

    def keep(a: int, b: int) -> None:
        out.append(source[a:b])
        offsets.extend(range(a, b))

    for m in _INLINE.finditer(source):
        keep(pos, m.start())
        for group in ("alt", "text", "rtext"):
            if m.group(group) is not None:
                keep(m.start(group), m.end(group))
                break
        pos = m.end()
    keep(pos, len(source))
    offsets.append(len(source))
    return "".join(out), offsets
