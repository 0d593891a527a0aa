from __future__ import annotations

from schemas.dictionary import write_data_dictionary
from schemas.tables import TABLES, schema


def test_dictionary_lists_every_column_type_and_rule(tmp_path):
    md_path, html_path = write_data_dictionary(tmp_path)
    md = md_path.read_text(encoding="utf-8")
    html = html_path.read_text(encoding="utf-8")
    for table in TABLES:
        assert f"## {table}" in md and f'id="{table}"' in html
        for name, col in schema(table).columns.items():
            assert f"`{name}`" in md and col.description in md
    assert "| `gre_policy` | `String` | yes |  | one of: required, optional, not_required |" in md
    assert "| `program_id` | `String` | no | yes |" in md
    assert "`credits_range` | error | row | credits, when stated, are between 24 and 60 |" in md
    assert "n_unknown_sources" in md  # derived columns are explained
    assert "span_ordered" in md  # row-level pandera checks too
    assert "<script" not in html  # no scripts at all in the page
