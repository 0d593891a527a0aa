"""Compatibility names for the legacy extractors: money parsing lives in :mod:`flows.extract.values`.

Nothing is implemented here; new code imports from ``flows.extract.values``.
"""

from flows.extract.values import (  # noqa: F401  (re-exported)
    COLUMNS_PATH, TOTAL_UNITS, Money, MoneySpan, amount_value, find_money, load_columns, money_text,
    parse_money, parse_money_cell,
)
