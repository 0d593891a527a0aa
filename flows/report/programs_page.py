"""reports/programs.html: the live programs table, each curated value linked to the statements behind it
in the source viewer (flows.report.source_view). Pure :func:`program_table`; :func:`write_programs_page` writes.

The table body (one row per program, 7,000+ at 2,000 sources) is built here as escaped HTML rather than by
jinja loops: a jinja block per cell and per link cost ~2 s at that size, and a statement behind four columns
(a tuition statement states tuition_usd, _low, _high and the qualifier) was escaped four times. Every piece
of text still goes through markupsafe's ``escape`` (school names and quotes come from the sources).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
from markupsafe import Markup, escape

from flows.report.quality import COLUMN_ATTRIBUTES
from flows.report.render import render, write_atomic
from flows.report.source_view import page_name

COLUMNS = ("university", "degree_title", "credits", "tuition_usd", "tuition_usd_low", "tuition_usd_high",
           "tuition_qualifier", "ml_core_courses_min", "ml_core_courses_max", "gre_policy", "delivery_format",
           "standout_feature", "specializations")
#: curated column -> attributes that state it, where the quality report's map has none
EXTRA_ATTRIBUTES = {"university": ("mention",)}


def _show(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    if isinstance(v, float) and v.is_integer():
        return f"{int(v):,}"
    return str(v)


def _html_escaped(column: str) -> pl.Expr:
    """markupsafe's ``escape`` as one polars expression over a column (the same five characters, the same
    entities; a null shows as ``None``, as ``escape(None)`` does): the programs page escapes a quote, a source
    id and an observation id per statement, 280,000 statements at 10,000 sources."""
    e = pl.col(column).cast(pl.Utf8).fill_null("None")
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"), ("'", "&#39;")):
        e = e.str.replace_all(char, entity, literal=True)
    return e


def _statements(observations: pl.DataFrame | None) -> dict[tuple[str, str], list[tuple[tuple, str]]]:
    """(program id, attribute) -> its statements by (source id, position), ties in table order, each as
    (that sort key, the opening of its link ``<sup><a href=.. title=..>``, escaped)."""
    out: dict[tuple[str, str], list[tuple[tuple, str]]] = {}
    if observations is None or not observations.height:
        return out
    obs = observations.filter(pl.col("entity_type") == "program")
    sids = obs["source_id"].unique().to_list()
    pages = {sid: page_name(sid) for sid in sids}  # fact_link's page, from the one page-name function
    rows = obs.select(
        "entity_id", "attribute", "source_id", "char_start",
        pl.concat_str([pl.lit('<sup><a href="sources/'),
                       pl.col("source_id").replace_strict(pages, return_dtype=pl.Utf8), pl.lit("#o-"),
                       _html_escaped("observation_id"), pl.lit('" title="'), _html_escaped("source_id"),
                       pl.lit(": "), _html_escaped("quote"), pl.lit('">')]).alias("opening"),
    ).sort("entity_id", "attribute", "source_id", "char_start", maintain_order=True, nulls_last=True).iter_rows()
    for eid, attr, sid, start, opening in rows:
        out.setdefault((eid, attr), []).append(((sid, start), opening))
    return out


def program_table(programs: pl.DataFrame, observations: pl.DataFrame | None) -> tuple[list[str], Markup]:
    """Columns shown and the table's rows as HTML: per program ``<tr>``, its id, then per column the value
    and one numbered link per statement behind it (by source and position), each to the source viewer."""
    columns = [c for c in COLUMNS if c in programs.columns]
    stated = _statements(observations)
    attrs_of = {c: COLUMN_ATTRIBUTES.get(c) or EXTRA_ATTRIBUTES.get(c) or (c,) for c in columns}
    shown: dict[str, str] = {}  # value as shown -> escaped (universities, qualifiers, policies repeat)
    parts: list[str] = []
    for row in programs.select("program_id", *columns).iter_rows():
        pid = row[0]
        parts.append(f"<tr><td><code>{escape(pid)}</code></td>\n")
        for c, v in zip(columns, row[1:]):
            text = _show(v)
            html = shown.get(text)
            if html is None:
                html = shown[text] = str(escape(text))
            parts.append(f"<td>{html}")
            if v is not None:
                attrs = attrs_of[c]
                if len(attrs) == 1:
                    links = stated.get((pid, attrs[0]), ())
                else:  # merged by (source, position); stable, so ties keep the attributes' order
                    links = sorted((s for a in attrs for s in stated.get((pid, a), ())), key=lambda s: s[0])
                parts.extend(f"{opening}{i}</a></sup>" for i, (_, opening) in enumerate(links, 1))
            parts.append("</td>")
        parts.append("</tr>\n")
    return columns, Markup("".join(parts))


def write_programs_page(programs: pl.DataFrame, observations: pl.DataFrame, reports: Path,
                        publication: str | None) -> Path:
    columns, rows = program_table(programs, observations)
    return write_atomic(Path(reports) / "programs.html", render(
        "programs.html.j2", here="programs.html", columns=columns, rows=rows,
        describes=f"Programs of publication {publication or '-'}."))
