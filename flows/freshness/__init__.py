"""Freshness: how old each source, curated table and program is against per-source thresholds.

``nodes`` holds the pure computation (:func:`flows.freshness.nodes.compute_freshness`);
``command`` reads curated Parquet and writes reports (:func:`flows.freshness.command.freshness_command`).
"""
