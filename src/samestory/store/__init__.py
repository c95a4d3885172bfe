"""Persistence: the only package that speaks SQL."""

from samestory.store.db import DEFAULT_DB, Store

__all__ = ["Store", "DEFAULT_DB"]
