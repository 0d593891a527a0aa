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


def test_dictionary_documents_the_money_columns(tmp_path):
    md_path, _ = write_data_dictionary(tmp_path)
    md = md_path.read_text(encoding="utf-8")
    for col in ("tuition_per_credit_usd", "tuition_per_course_usd", "tuition_annual_usd", "tuition_basis", "held_back",
                "specialization_ids", "program_ids", "instructor"):
        line = next(l for l in md.splitlines() if f"`{col}`" in l)
        assert len(line) > 80, line  # the row carries a description
    assert "per_credit_x_credits" in md and "tuition_matches_rate_x_credits" in md
    assert "never turned into a total" in md
