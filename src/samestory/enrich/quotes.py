"""Quotes with their speakers (first version: filled in below)."""
from __future__ import annotations

def extract_quotes(doc, index):
    return []

def scare_quotes(text):
    return []
