"""The ground floor of language code that every stage shares: one home for each concept.

    dates.py    published dates: ISO 8601 or free-text datelines, one parser

Modules here import only ``samestory.models``, ``samestory.errors``, the standard library and
third-party packages, never another stage.
"""
