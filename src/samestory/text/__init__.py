"""Shared language code: the ground floor every stage builds on.

It imports only ``samestory.models``, ``samestory.errors``, the standard library and third-party
packages, never another stage, so any stage may use it. One home for each concept:

- ``samestory.text.dates``: reading a published date (ISO 8601 or free text) into a datetime,
  a calendar day, epoch seconds or a normalized ISO string.
- ``samestory.text.numbers``: typed quantities in text (values, ranges, bounds, vague
  quantifiers, ages, heights, scores); ``parse_number`` for one phrase.
- ``samestory.text.dates``: also ``resolve_date`` (a date phrase against the published day) and
  ``days_in`` (the days a sentence names).
- ``samestory.text.words``: stop word lists (spaCy's English list plus each user's named extension).
- ``samestory.text.quotes``: the one quotation-mark scanner (quotations, scare quotes) and the speech cue verbs.
- ``samestory.text.sentences``: sentences of text that has not been parsed (enriched articles carry
  spaCy's, ``enrich.nlp.sentences_of``).
- ``samestory.text.unionfind``: a small union-find (disjoint sets) over indices.
- ``samestory.text.control``: control characters (ESC, OSC, BEL, CR, C1, bidi overrides) out of text
  shown to people: the CLI, the reports and the web pages.
"""
