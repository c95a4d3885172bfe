"""Typed quantities (first version: filled in below)."""
from __future__ import annotations

def extract_quantities(doc, index, published=None):
    return []
