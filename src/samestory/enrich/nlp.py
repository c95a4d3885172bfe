"""spaCy over article texts: sentences and entity mentions with offsets into the clean text.

The pipeline is the shared one (``enrich.models.load_spacy``: en_core_web_sm with a sentence
start after every line break, so a sentence never runs across paragraphs), run without the
lemmatizer (nothing downstream reads lemmas: cue verbs are matched on their inflected forms).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from samestory.enrich.models import load_spacy
from samestory.errors import ArgumentError, ArgumentTypeError
from samestory.models import Span

__all__ = ["DISABLED", "Mention", "Parsed", "get_nlp", "parse", "parse_docs", "sentences_of", "mentions_of"]

DISABLED: tuple[str, ...] = ("lemmatizer",)
MAX_CHARS = 500_000  # far above any news article; spaCy's memory grows with the doc


@dataclass(frozen=True)
class Mention:
    """One named-entity mention as spaCy found it."""

    text: str
    label: str
    span: Span


@dataclass(frozen=True)
class Parsed:
    """One parsed text: the spaCy ``Doc`` (for quotes and quantities), its sentences and mentions."""

    doc: object
    sentences: tuple[Span, ...]
    mentions: tuple[Mention, ...]


def get_nlp():
    """The shared pipeline (cached per process); enrichment runs it without ``DISABLED``."""
    return load_spacy()


def parse_docs(texts: Sequence[str], *, batch_size: int = 32) -> list:
    """spaCy ``Doc`` for each text, in order, through ``nlp.pipe``."""
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise ArgumentTypeError(f"text #{i}", f"is {type(text).__name__}, not str")
        if len(text) > MAX_CHARS:
            raise ArgumentError(f"text #{i}", f"has {len(text)} characters; the limit is {MAX_CHARS}")
    return list(get_nlp().pipe(texts, batch_size=batch_size, disable=list(DISABLED)))


def sentences_of(doc) -> tuple[Span, ...]:
    """Sentence spans (whitespace trimmed, empty ones dropped) as offsets into the doc's text."""
    text = doc.text
    out = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Span(start, end))
    return tuple(out)


def mentions_of(doc) -> tuple[Mention, ...]:
    return tuple(Mention(e.text, e.label_, Span(e.start_char, e.end_char)) for e in doc.ents)


def parse(texts: Sequence[str], *, batch_size: int = 32) -> list[Parsed]:
    """Parse texts in batches; each result has the doc, its sentences and its entity mentions."""
    return [Parsed(doc, sentences_of(doc), mentions_of(doc)) for doc in parse_docs(texts, batch_size=batch_size)]
