"""PLACEHOLDER for the lead's plain-text builder (he keeps his version in the merge): one PARAGRAPH
per non-blank line, so ``layout.build`` can dispatch before his builder lands on main."""

from __future__ import annotations

import re

from flows.extract.layout.model import PARAGRAPH, Block, Layout, link_sections


def layout_from_text(text: str, media_type: str = "text/plain") -> Layout:
    blocks = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group(0)
        if line.strip():
            s = m.start() + len(line) - len(line.lstrip())
            blocks.append(Block(PARAGRAPH, s, m.start() + len(line.rstrip())))
    return Layout(text=text, blocks=link_sections(blocks), media_type=media_type)
