"""freshness.html: a self-contained reviewer's page for a freshness report (flows.freshness).

One inline SVG chart draws each source's age against its own warn/error thresholds, stalest first;
tables and programs follow. Nothing is fetched at view time (no scripts, no external CSS, fonts or
images), and every piece of source text goes through jinja2 autoescaping.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from flows.report.render import nav_html

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "freshness.html.j2"

_SEVERITY = {"error": 0, "warn": 1, "unknown": 2, "pass": 3}
_PERIOD_DAYS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1.0}

#: chart geometry (SVG user units)
LABEL_W = 230
PLOT_W = 560
RIGHT_W = 110
ROW_H = 26
TOP = 34
BOTTOM = 30


@lru_cache(maxsize=1)  # one environment per process: jinja compiles the template once, not on every page
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _fmt_num
    env.globals["nav_html"] = nav_html
    return env


def _fmt_num(value: Any, digits: int = 1) -> str:
    if value is None:
        return "—"
    try:
        return f"{float(value):,.{digits}f}"
    except (TypeError, ValueError):
        return str(value)


def threshold_days(threshold: Mapping[str, Any] | None) -> float | None:
    """``{count: 36, period: hour}`` -> 1.5 (days); None when absent or unreadable."""
    if not isinstance(threshold, Mapping):
        return None
    per = _PERIOD_DAYS.get(str(threshold.get("period")))
    try:
        count = float(threshold.get("count"))
    except (TypeError, ValueError):
        return None
    return None if per is None or math.isnan(count) else count * per


def _describe(threshold: Mapping[str, Any] | None) -> str:
    if not isinstance(threshold, Mapping):
        return "—"
    count, period = threshold.get("count"), threshold.get("period")
    return f"{count} {period}{'' if count == 1 else 's'}"


def _nice_step(span: float, target: int = 6) -> float:
    raw = span / max(target, 1)
    mag = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def sort_stalest_first(sources: list[dict]) -> list[dict]:
    """error, warn, unknown, pass; within a status the oldest first, then by id."""
    def key(s: dict):
        age = s.get("age_days")
        return (_SEVERITY.get(s.get("status"), 2), -(age if isinstance(age, (int, float)) else -math.inf), str(s.get("source_id")))
    return sorted(sources, key=key)


#: the chart draws at most this many sources, the stalest (every source is in the table below it): at 10,000
#: sources one bar each made a chart no one could read, and ~2 s of the report stage
CHART_ROWS = 200


def chart(sources: list[dict], limit: int = CHART_ROWS) -> dict:
    """Geometry of the age-vs-threshold chart (pure): rows with bar and tick x positions, axis ticks; the
    ``limit`` stalest sources (``shown`` of ``total``)."""
    rows = sort_stalest_first(sources)[:limit]
    extents = [1.0]
    for s in rows:
        crit = s.get("criteria") or {}
        for v in (s.get("age_days"), threshold_days(crit.get("warn_after")), threshold_days(crit.get("error_after"))):
            if isinstance(v, (int, float)) and v > 0 and math.isfinite(v):
                extents.append(float(v))
    step = _nice_step(max(extents) * 1.05)
    x_max = step * math.ceil(max(extents) * 1.05 / step)

    def x(days: float | None) -> float | None:
        if days is None:
            return None
        return round(LABEL_W + PLOT_W * min(max(days, 0.0), x_max) / x_max, 2)

    out_rows = []
    for i, s in enumerate(rows):
        crit = s.get("criteria") or {}
        warn_d, err_d = threshold_days(crit.get("warn_after")), threshold_days(crit.get("error_after"))
        age = s.get("age_days") if isinstance(s.get("age_days"), (int, float)) else None
        y = TOP + i * ROW_H
        out_rows.append({
            "source_id": s.get("source_id"),
            "title": s.get("title"),
            "status": s.get("status") or "unknown",
            "basis": s.get("basis"),
            "age_days": age,
            "y": y,
            "bar_y": y + 6,
            "bar_h": ROW_H - 12,
            "text_y": y + ROW_H / 2 + 4,
            "bar_x": LABEL_W,
            "bar_w": round((x(age) or LABEL_W) - LABEL_W, 2) if age is not None else 0,
            "warn_x": x(warn_d),
            "error_x": x(err_d),
            "warn_days": warn_d,
            "error_days": err_d,
            "warn_text": _describe(crit.get("warn_after")),
            "error_text": _describe(crit.get("error_after")),
            "clipped": age is not None and age > x_max,
        })
    plot_bottom = TOP + max(len(rows), 1) * ROW_H
    ticks = []
    n = int(round(x_max / step))
    for k in range(n + 1):
        value = k * step
        ticks.append({"x": x(value), "label": f"{value:g}"})
    return {
        "rows": out_rows,
        "ticks": ticks,
        "x_max": x_max,
        "width": LABEL_W + PLOT_W + RIGHT_W,
        "height": plot_bottom + BOTTOM,
        "plot_left": LABEL_W,
        "plot_right": LABEL_W + PLOT_W,
        "plot_top": TOP,
        "plot_bottom": plot_bottom,
        "shown": len(rows),
        "total": len(sources),
    }


NO_PROGRAMS = '<tr><td colspan="6" class="muted">no programs</td></tr>\n'


def program_rows(programs: list[dict]) -> Markup:
    """The rows of the programs table as escaped HTML (one program per ``<tr>``, as the template wrote them
    before: 7,000+ rows at 2,000 sources, where a jinja loop of ``p.get`` calls was most of the page's time)."""
    if not programs:
        return Markup(NO_PROGRAMS)
    out: list[str] = []
    for p in programs:
        status = escape(p.get("status") or "unknown")
        degree, notes, source = p.get("degree_title"), p.get("notes"), p.get("newest_fact_source")
        out.append(
            f'<tr>\n  <td><span class="badge s-{status}">{status}</span></td>\n'
            f'  <td><code>{escape(p.get("program_id"))}</code>'
            + (f"<br>{escape(degree)}" if degree else "")
            + ('<ul class="notes">' + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>" if notes else "")
            + f'</td>\n  <td>{escape(p.get("university") or "—")}</td>\n  <td>'
            + (f'<code>{escape(source)}</code> ({escape(p.get("newest_fact_basis"))})' if source else "—")
            + f'</td>\n  <td>{escape(p.get("newest_fact_date") or "—")}</td>\n'
            f'  <td class="num">{escape(_fmt_num(p.get("age_days")))}</td>\n</tr>\n')
    return Markup("".join(out))


def render_freshness_html(report: dict, *, root: str = "", what_if: bool = False) -> str:
    """The whole page for a report produced by :func:`flows.freshness.nodes.compute_freshness`.

    ``root``: path from the page back to reports/; ``what_if``: a report written outside the live reports.
    """
    report = dict(report or {})
    sources = sort_stalest_first(list(report.get("sources") or []))
    tables = report.get("tables") or {}
    table_rows = sorted(
        ({"name": name, **rec} for name, rec in tables.items()),
        key=lambda t: (_SEVERITY.get(t.get("status"), 2), str(t["name"])),
    )
    programs = sorted(
        report.get("programs") or [],
        key=lambda p: (_SEVERITY.get(p.get("status"), 2), -(p.get("age_days") if isinstance(p.get("age_days"), (int, float)) else -math.inf), str(p.get("program_id"))),
    )
    summary = report.get("summary") or {}
    return _env().get_template(TEMPLATE_NAME).render(
        as_of=report.get("as_of"),
        snapshotted_at=report.get("snapshotted_at"),
        exit_code=report.get("exit_code"),
        overall=summary.get("status") or "unknown",
        summary=summary,
        error=report.get("error"),
        defaults=report.get("criteria_defaults") or {},
        describe=_describe,
        sources=sources,
        chart=chart(sources),
        tables=table_rows,
        skipped=report.get("tables_not_rolled_up") or [],
        unreadable=report.get("unreadable_tables") or {},
        program_rows=program_rows(programs),
        root=root,
        what_if=what_if,
        publication=report.get("publication"),
    )
