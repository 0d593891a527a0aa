"""Career tables: a role column with salary, growth or skills columns (header words name them: a role is
only text, so the header says which column it is). One career per row; every fact spans its own value
(the salary's amount, each skill of a comma-separated list)."""

from __future__ import annotations

from flows.extract.layout.model import Layout
from flows.extract.model import Fact
from flows.extract.read.cells import career_cell_facts, is_empty_cell


def career_rows(layout: Layout, body, kinds: tuple[str, ...], extractor: str) -> list[Fact]:
    text = layout.text
    if "role" not in kinds:
        return []
    ri = kinds.index("role")
    out: list[Fact] = []
    for r in body:
        if len(r) <= ri:
            continue
        a, b = r[ri].start, r[ri].end
        while a < b and text[a] in " \t*_":
            a += 1
        while b > a and text[b - 1] in " \t*_":
            b -= 1
        role = text[a:b]
        if not role or is_empty_cell(role) or "$" in role or len(role) > 90:
            continue
        for kind, c in zip(kinds, r):
            if kind in ("salary", "growth_outlook", "key_skills"):
                out.extend(career_cell_facts(kind, text, c.start, c.end, role, extractor))
    return out
