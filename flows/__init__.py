"""gradfacts: source text about graduate programs -> curated, validated, traceable datasets.

Stages (each a subpackage with pure ``nodes.py`` functions, wired by ``flows.pipeline``):
ingest -> extract -> resolve -> validate -> publish -> report (+ freshness).
"""

__version__ = "0.1.0"
