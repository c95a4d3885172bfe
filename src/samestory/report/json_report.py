"""The Coverage JSON: ``to_dict`` of the Coverage plus ``schema_version`` (see docs/coverage-json.md)."""

from __future__ import annotations

import json

from samestory.models import Coverage, to_dict
from samestory.schema import SCHEMA_VERSION

__all__ = ["coverage_document", "render_json"]


def coverage_document(coverage: Coverage) -> dict:
    """The JSON-ready document: ``schema_version`` first, then the Coverage fields."""
    return {"schema_version": SCHEMA_VERSION, **to_dict(coverage)}


def render_json(coverage: Coverage) -> str:
    return json.dumps(coverage_document(coverage), ensure_ascii=False, indent=2) + "\n"
