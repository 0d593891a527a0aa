"""Geometry of the small inline-SVG chart of curated rows and validation outcome over the last runs
(curated/runs.parquet), shown on the index and the changes page. Pure."""

from __future__ import annotations

import json

import polars as pl


def runs_chart(runs: pl.DataFrame, last: int = 20) -> dict:
    """Geometry of the rows-and-validation chart over the last runs (pure): one bar per run."""
    rows = runs.sort("started_at").tail(last).to_dicts() if runs.height else []
    bars = []
    for r in rows:
        try:
            per = json.loads(r.get("rows_per_table") or "{}")
        except ValueError:
            per = {}
        total = sum(v for k, v in per.items() if k not in ("observations", "quarantine") and isinstance(v, int))
        bars.append({"run_id": r["run_id"], "status": r["status"], "validation": r.get("validation_outcome") or "skipped",
                     "rows": total, "observations": per.get("observations"), "message": r.get("message") or ""})
    width, height, left, top, plot_h = 720, 170, 40, 14, 110
    top_value = max([b["rows"] for b in bars] + [1])
    step = min((width - left - 10) / max(len(bars), 1), 34)
    for i, b in enumerate(bars):
        h = round(plot_h * b["rows"] / top_value, 1)
        b.update(x=round(left + i * step + 2, 1), w=round(max(step - 4, 2), 1), h=h, y=round(top + plot_h - h, 1))
    return {"bars": bars, "width": width, "height": height, "left": left, "top": top, "plot_h": plot_h,
            "max": top_value, "axis_y": top + plot_h}
