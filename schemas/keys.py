"""The key column of each curated table, in a module of its own.

The Great Expectations engine process (flows/validate/gx_process.py) needs these keys and nothing else of the
contract; :mod:`schemas.tables` defines the pandera models and importing it costs ~0.5 s of CPU (pandera and
pandas), on the path of every cold refresh. ``schemas.tables`` re-exports ``ID_COLUMNS`` and checks at import
that every table has a key entry, so there is still one place that says which tables exist.
"""

from __future__ import annotations

#: id column per table (None: no single-column key)
ID_COLUMNS: dict[str, str | None] = {
    "sources": "source_id",
    "observations": "observation_id",
    "programs": "program_id",
    "courses": "course_id",
    "specializations": "specialization_id",
    "careers": "career_id",
    "conflicts": None,
    "quarantine": None,
}
