"""Resolve: facts -> entities (institutions, programs, courses, ...) -> reconciled curated tables."""
