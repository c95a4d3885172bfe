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
from samestory.text.quotes import inside_quotation, quotation_spans

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


QUOTED_SENTENCE_MAX_CHARS = 320  # a quotation's sentences are joined into one up to this length


def sentences_of(doc) -> tuple[Span, ...]:
    """Sentence spans (whitespace trimmed, empty ones dropped) as offsets into the doc's text.

    A break the parser puts inside a quotation on one line (Lukashenko asked: 'Let's go some
    time? Looks interesting!') is no break: the quotation's sentences stay one, so no claim or
    summary line ends mid-quote, up to ``QUOTED_SENTENCE_MAX_CHARS``; a longer quotation keeps
    its sentences apart."""
    text = doc.text
    quotations = quotation_spans(text)
    out: list[Span] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        if out and inside_quotation(quotations, start - 1) and "\n" not in text[out[-1].end : start] \
                and end - out[-1].start <= QUOTED_SENTENCE_MAX_CHARS and _same_quotation(text, quotations, out[-1], start, end):
            out[-1] = Span(out[-1].start, end)
        else:
            out.append(Span(start, end))
    return tuple(out)


def _same_quotation(text: str, quotations: list[tuple[int, int]], prev: Span, start: int, end: int) -> bool:
    """Whether one well-formed quotation opens in ``prev`` and closes in [start, end): an opening
    mark before a word, a closing mark after one and no third mark of its kind inside, so a stray
    mark pairing with a later sentence's marks (text with an unclosed quote) joins nothing."""
    for q0, q1 in quotations:
        if prev.start <= q0 < prev.end and start < q1 <= end:
            return not text[q0 + 1 : q0 + 2].isspace() and not text[q1 - 2 : q1 - 1].isspace() \
                and (q1 == len(text) or not text[q1].isalnum()) and text[q0] not in text[q0 + 1 : q1 - 1]
    return False


def mentions_of(doc) -> tuple[Mention, ...]:
    return tuple(Mention(e.text, e.label_, Span(e.start_char, e.end_char)) for e in doc.ents)


def parse(texts: Sequence[str], *, batch_size: int = 32) -> list[Parsed]:
    """Parse texts in batches; each result has the doc, its sentences and its entity mentions."""
    return [Parsed(doc, sentences_of(doc), mentions_of(doc)) for doc in parse_docs(texts, batch_size=batch_size)]
