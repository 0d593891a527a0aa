"""Publish: write-audit-publish of curated tables with an atomic pointer swap, retention and rollback."""
