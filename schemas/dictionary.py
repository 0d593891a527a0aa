"""The data dictionary, generated from the pandera models and the expectation suites (Markdown + HTML).

For every curated table: its columns with type, nullability, uniqueness, constraints (pandera checks,
enumerations) and description; then the business rules of its suite (id, severity, what it checks)
and the derived columns those rules use.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from schemas.tables import TABLES, schema

_HTML = Environment(autoescape=True).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>gradfacts data dictionary</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}code{font-size:.88rem}
</style></head><body>
<p><a href="index.html">index</a> · <a href="quality.html">quality</a></p>
<h1>gradfacts data dictionary</h1>
<p>Generated from <code>schemas/tables.py</code> (pandera models) and <code>schemas/expectations/*.yaml</code>
(Great Expectations suites). One Parquet file per table in <code>curated/</code>.</p>
<ul>{% for t in tables %}<li><a href="#{{ t.name }}">{{ t.name }}</a> — {{ t.doc }}</li>{% endfor %}</ul>
{% for t in tables %}
<h2 id="{{ t.name }}">{{ t.name }}</h2>
<p>{{ t.doc }}</p>
<table><tr><th>column</th><th>type</th><th>nullable</th><th>unique</th><th>constraints</th><th>description</th></tr>
{% for c in t.columns %}<tr><td><code>{{ c.name }}</code></td><td><code>{{ c.type }}</code></td><td>{{ "yes" if c.nullable else "no" }}</td>
<td>{{ "yes" if c.unique else "" }}</td><td>{{ c.constraints|join("; ") }}</td><td>{{ c.description }}</td></tr>{% endfor %}
</table>
{% if t.rules %}<h3>Rules ({{ t.name }} suite, version {{ t.suite_version }})</h3>
<table><tr><th>rule</th><th>severity</th><th>scope</th><th>checks</th><th>expectation</th></tr>
{% for r in t.rules %}<tr><td><code>{{ r.id }}</code></td><td>{{ r.severity }}</td><td>{{ r.scope }}</td><td>{{ r.description }}</td>
<td><code>{{ r.type }}</code> {{ r.kwargs }}</td></tr>{% endfor %}</table>{% endif %}
{% if t.derived %}<h3>Derived columns used by the rules (not stored)</h3><table><tr><th>column</th><th>meaning</th></tr>
{% for k, v in t.derived.items() %}<tr><td><code>{{ k }}</code></td><td>{{ v }}</td></tr>{% endfor %}</table>{% endif %}
{% endfor %}
</body></html>
""")


def _constraint(check) -> str:
    stats = check.statistics or {}
    if check.name == "isin":
        return "one of: " + ", ".join(map(str, stats.get("allowed_values", [])))
    if check.name == "greater_than_or_equal_to":
        return f">= {stats.get('min_value')}"
    if check.name == "less_than_or_equal_to":
        return f"<= {stats.get('max_value')}"
    if check.name == "str_matches":
        return f"matches {stats.get('pattern')}"
    args = ", ".join(f"{k}={v}" for k, v in stats.items())
    return f"{check.name}({args})" if args else check.name


def dictionary_data() -> list[dict]:
    """One entry per table: name, doc, columns (name/type/nullable/unique/constraints/description), rules, derived."""
    from flows.validate.gx_suites import load_suites

    suites = load_suites()
    out = []
    for name, model in TABLES.items():
        sch = schema(name)
        cols = []
        for cname, col in sch.columns.items():
            cols.append({
                "name": cname, "type": str(col.dtype), "nullable": bool(col.nullable), "unique": bool(col.unique),
                "constraints": [_constraint(ch) for ch in col.checks], "description": col.description or "",
            })
        table_checks = [f"{ch.name}: {ch.description}" if ch.description else ch.name for ch in sch.checks]
        if table_checks:
            cols.append({"name": "(row)", "type": "", "nullable": False, "unique": False,
                         "constraints": table_checks, "description": "checks across columns of one row"})
        suite = suites.get(name)
        out.append({
            "name": name, "doc": (model.__doc__ or "").strip().splitlines()[0] if model.__doc__ else "",
            "columns": cols,
            "rules": [{"id": e.id, "severity": e.severity, "scope": e.scope, "description": e.description,
                       "type": e.type, "kwargs": e.kwargs} for e in suite.expectations] if suite else [],
            "derived": dict(suite.derived) if suite else {},
            "suite_version": suite.version if suite else None,
        })
    return out


def _md_cell(v: object) -> str:
    return str(v).replace("|", "\\|").replace("\n", " ")


def to_markdown(tables: list[dict]) -> str:
    lines = ["# gradfacts data dictionary", "",
             "Generated from `schemas/tables.py` (pandera models) and `schemas/expectations/*.yaml` "
             "(Great Expectations suites). One Parquet file per table in `curated/`.", ""]
    for t in tables:
        lines += [f"## {t['name']}", "", t["doc"], "",
                  "| column | type | nullable | unique | constraints | description |",
                  "|---|---|---|---|---|---|"]
        for c in t["columns"]:
            lines.append("| " + " | ".join(_md_cell(x) for x in (
                f"`{c['name']}`", f"`{c['type']}`" if c["type"] else "", "yes" if c["nullable"] else "no",
                "yes" if c["unique"] else "", "; ".join(c["constraints"]), c["description"])) + " |")
        lines.append("")
        if t["rules"]:
            lines += [f"Rules (suite version {t['suite_version']}):", "",
                      "| rule | severity | scope | checks |", "|---|---|---|---|"]
            for r in t["rules"]:
                lines.append("| " + " | ".join(_md_cell(x) for x in (
                    f"`{r['id']}`", r["severity"], r["scope"], r["description"])) + " |")
            lines.append("")
        if t["derived"]:
            lines += ["Derived columns used by the rules (not stored):", ""]
            lines += [f"- `{k}`: {_md_cell(v)}" for k, v in t["derived"].items()]
            lines.append("")
    return "\n".join(lines)


def write_data_dictionary(out_dir: Path) -> list[Path]:
    """Write ``data_dictionary.md`` and ``data_dictionary.html`` into ``out_dir``; returns both paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = dictionary_data()
    md = out_dir / "data_dictionary.md"
    html = out_dir / "data_dictionary.html"
    from flows.common.files import atomic_write_text  # the project's one atomic-write helper

    atomic_write_text(md, to_markdown(tables))
    atomic_write_text(html, _HTML.render(tables=tables))
    return [md, html]
