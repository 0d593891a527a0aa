"""Ingest: discover source files in raw/, read metadata, produce Documents (text + offset map)."""
