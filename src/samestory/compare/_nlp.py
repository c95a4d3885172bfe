"""The model calls the comparison needs, kept in one small place so they are easy to swap.

* ``sentence_spans``: the article's sentences (``Article.sentences`` once enrich has run,
  else spaCy's sentence boundaries).
* ``parse_sentences``: a dependency parse of the few long sentences that get split into clauses.
* ``encode``: sentence embeddings, batch-encoded in one call, L2-normalized, with a small
  per-process cache keyed by text (a story re-rendered or re-compared costs nothing).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from samestory.models import Article, Span

_CACHE_MAX = 50_000
_vectors: OrderedDict[str, np.ndarray] = OrderedDict()


def sentence_spans(articles: Sequence[Article]) -> list[tuple[Span, ...]]:
    """Sentence spans for each article; spaCy runs only on articles enrich has not seen."""
    out: list[tuple[Span, ...] | None] = [a.sentences or None for a in articles]
    todo = [i for i, spans in enumerate(out) if spans is None]
    if todo:
        from samestory.enrich.models import load_spacy

        nlp = load_spacy(disable=("ner", "lemmatizer"))
        for i, doc in zip(todo, nlp.pipe([articles[i].text for i in todo], batch_size=16)):
            out[i] = tuple(_trimmed(articles[i].text, s.start_char, s.end_char) for s in doc.sents)
    return [tuple(_split_lines(a.text, spans)) for a, spans in zip(articles, out)]  # type: ignore[arg-type]


def _split_lines(text: str, spans: tuple[Span, ...]):
    """A sentence never crosses a line break: news paragraphs, captions and leftover page
    furniture sit on lines of their own, and a parser happily glues them together."""
    for span in spans:
        start = span.start
        for piece in text[span.start : span.end].split("\n"):
            s = _trimmed(text, start, start + len(piece))
            if s.end > s.start:
                yield s
            start += len(piece) + 1


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def parse_sentences(texts: Sequence[str]):
    """spaCy Docs (tagger + parser) for ``texts``: used only for long sentences."""
    if not texts:
        return []
    from samestory.enrich.models import load_spacy

    nlp = load_spacy(disable=("ner", "lemmatizer"))
    return list(nlp.pipe(texts, batch_size=32))


def encode(texts: Sequence[str]) -> np.ndarray:
    """One L2-normalized embedding row per text (all new texts encoded in one batch call)."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    new = list(dict.fromkeys(t for t in texts if t not in _vectors))
    if new:
        from samestory.enrich.models import load_embedder

        model = load_embedder()
        vecs = model.encode(new, batch_size=64, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
        for t, v in zip(new, np.asarray(vecs, dtype=np.float32)):
            _vectors[t] = v
        while len(_vectors) > _CACHE_MAX:
            _vectors.popitem(last=False)
    return np.stack([_vectors[t] for t in texts])
