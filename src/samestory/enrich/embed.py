"""Sentence embeddings (all-MiniLM-L6-v2, ``samestory.text.embed``), L2-normalized float32.

MiniLM's cost is linear in tokens (about 0.4 ms CPU per word piece in float32, 0.15 in bfloat16:
bench/embedding.py), so the article vector
embeds the headline and the first sentence or two only, cut at ``LEAD_MAX_TOKENS`` word pieces:
the lead is where an outlet tells the event itself. The cut is per call, so other users of the
one model (compare's claims) are unaffected.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from samestory.enrich.models import load_embedder, load_multilingual_embedder
from samestory.models import Article

__all__ = ["DIM", "MULTILINGUAL_DIM", "embed_texts", "embed_multilingual", "lead_text", "article_vector", "LEAD_SENTENCES", "LEAD_MAX_TOKENS", "MULTILINGUAL_LEAD_CHARS", "multilingual_lead"]

DIM = 384
MULTILINGUAL_DIM = 512
LEAD_SENTENCES = 2
LEAD_MAX_CHARS = 1200
LEAD_MAX_TOKENS = 96
# the multilingual vector's text: headline + lead cut here. On the SemEval-2022 Task 8 cross-language
# pairs whose pair id hashes even (the clusterer's tune half), same-story pairs kept together at the
# cosine that keeps 97% of unrelated pairs apart: 600 characters 0.674, 750 0.761, 900 0.804, 1,050
# 0.739, the whole lead (up to 1,200 + headline) 0.717
MULTILINGUAL_LEAD_CHARS = 900


def embed_texts(texts: Sequence[str], batch_size: int = 64, max_tokens: int | None = None) -> np.ndarray:
    """One L2-normalized float32 row per text (an empty text gives a zero row).

    ``max_tokens`` truncates each text to that many word pieces for this call only (default: the
    model's own limit, 256)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    texts = list(texts)
    vecs = load_embedder().encode(texts, max_tokens=max(8, int(max_tokens)) if max_tokens else None,
                                  batch_size=batch_size)
    for i, t in enumerate(texts):
        if not t.strip():
            vecs[i] = 0.0
    return vecs


def embed_multilingual(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """One L2-normalized float32 row per text in the multilingual space (an empty text gives a zero
    row): a German and an English sentence saying the same thing land close together, which
    MiniLM's English-only vocabulary cannot do (bench/crosslingual.py measures both)."""
    texts = list(texts)
    out = np.zeros((len(texts), MULTILINGUAL_DIM), dtype=np.float32)
    todo = [i for i, t in enumerate(texts) if t.strip()]
    if not todo:
        return out
    model = load_multilingual_embedder()
    for start in range(0, len(todo), batch_size):
        idx = todo[start : start + batch_size]
        out[idx] = np.asarray(model.encode([texts[i] for i in idx]), dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


def lead_text(article: Article, sentences: int = LEAD_SENTENCES) -> str:
    """Headline plus the first few sentences (or, before enrichment, the first paragraphs)."""
    if article.sentences:
        lead = " ".join(s.of(article.text) for s in article.sentences[:sentences])
    else:
        lead = " ".join(p.strip() for p in article.text.split("\n") if p.strip())
    lead = lead[:LEAD_MAX_CHARS]
    return f"{article.title.strip()}. {lead}".strip(". ") if article.title else lead


def multilingual_lead(article: Article) -> str:
    """The text of an article's multilingual vector: ``lead_text`` cut at ``MULTILINGUAL_LEAD_CHARS``."""
    return lead_text(article)[:MULTILINGUAL_LEAD_CHARS]


def article_vector(article: Article) -> np.ndarray:
    """The article's embedding: headline + lead (the part every outlet writes about the event itself)."""
    return embed_texts([lead_text(article)], max_tokens=LEAD_MAX_TOKENS)[0]
