"""Persistence: the only package that speaks SQL."""

from samestory.store.db import DEFAULT_DB, SNIPPET_MARKS, Store, split_snippet

__all__ = ["Store", "DEFAULT_DB", "SNIPPET_MARKS", "split_snippet"]
