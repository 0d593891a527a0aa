"""Extraction section of the reports: facts per source and kind, and unclaimed factual-looking lines."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from flows.ingest.html_text import map_span
from flows.report.render import render, write_atomic
from flows.settings import display_path

MAX_LINE = 400


def extraction_summary(docs, results) -> list[dict]:
    out = []
    for d in docs:
        r = results.get(d.source_id)
        if r is None:
            continue
        counts = Counter((f.entity_type, f.attribute) for f in r.facts)
        unclaimed = []
        for s, e, reason in r.unclaimed:
            fs, fe = map_span(d.offsets, s, e)
            text = d.file_text[fs:fe]
            unclaimed.append({"start": fs, "end": fe, "reason": reason,
                              "text": text if len(text) <= MAX_LINE else text[:MAX_LINE] + " ..."})
        out.append({
            "source_id": d.source_id, "file": display_path(d.path), "title": d.meta.get("title"),
            "n_facts": len(r.facts),
            "counts": sorted([(k[0], k[1], n) for k, n in counts.items()]),
            "unclaimed": unclaimed,
        })
    return out


def write_extraction_report(docs, results, reports: Path, *, root: str = "", describes: str | None = None,
                            summary: list[dict] | None = None) -> list[Path]:
    """extraction.json + extraction.html in ``reports`` (``root``: path back to reports/); ``summary``: the
    extraction_summary of ``docs`` and ``results`` when the caller has it already."""
    if summary is None:
        summary = extraction_summary(docs, results)
    reports = Path(reports)
    return [
        write_atomic(reports / "extraction.json", json.dumps(summary, indent=2)),
        write_atomic(reports / "extraction.html", render("extraction.html.j2", sources=summary, root=root,
                                                         here="extraction.html", describes=describes)),
    ]
