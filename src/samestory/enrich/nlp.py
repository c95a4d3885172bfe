"""spaCy over article texts: sentences and entity mentions with offsets into the clean text.

The pipeline is en_core_web_sm without the lemmatizer (nothing downstream reads lemmas: cue
verbs are matched on their inflected forms), loaded once per process. A tiny component in
front of the parser starts a new sentence after every line break, so a sentence never runs
across paragraphs (news text is a paragraph a line; spaCy's parser would otherwise glue a
caption or a short paragraph onto the next one).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from samestory.enrich.models import load_spacy
from samestory.errors import ArgumentError, ArgumentTypeError
from samestory.models import Span

__all__ = ["DISABLED", "Mention", "Parsed", "get_nlp", "parse", "parse_docs", "sentences_of", "mentions_of"]

DISABLED: tuple[str, ...] = ("lemmatizer",)
PARAGRAPH_COMPONENT = "samestory_paragraphs"
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


def _paragraph_boundaries(doc):
    """Start a sentence at the first token after a line break (runs before the parser, which keeps it)."""
    after_break = False
    for token in doc:
        if "\n" in token.text:  # a whitespace token holding the break
            after_break = True
            continue
        if after_break and not token.is_space:
            token.is_sent_start = True
            after_break = False
        if "\n" in token.text_with_ws[len(token.text):]:
            after_break = True
    return doc


@functools.lru_cache(maxsize=1)
def get_nlp():
    """The shared pipeline for enrichment (cached per process)."""
    from spacy.language import Language

    if PARAGRAPH_COMPONENT not in Language.factories:
        Language.component(PARAGRAPH_COMPONENT)(_paragraph_boundaries)
    nlp = load_spacy(DISABLED)
    if PARAGRAPH_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_COMPONENT, before="parser")
    return nlp


def parse_docs(texts: Sequence[str], *, batch_size: int = 32) -> list:
    """spaCy ``Doc`` for each text, in order, through ``nlp.pipe``."""
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise ArgumentTypeError(f"text #{i}", f"is {type(text).__name__}, not str")
        if len(text) > MAX_CHARS:
            raise ArgumentError(f"text #{i}", f"has {len(text)} characters; the limit is {MAX_CHARS}")
    nlp = get_nlp()
    return list(nlp.pipe(texts, batch_size=batch_size))


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
