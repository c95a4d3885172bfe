"""Sentence embeddings (all-MiniLM-L6-v2 through sentence-transformers), L2-normalized float32."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from samestory.enrich.models import load_embedder
from samestory.models import Article

__all__ = ["DIM", "embed_texts", "lead_text", "article_vector"]

DIM = 384
LEAD_SENTENCES = 3
LEAD_MAX_CHARS = 1200


def embed_texts(texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
    """One L2-normalized float32 row per text (an empty text gives a zero row)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    model = load_embedder()
    vecs = model.encode(list(texts), batch_size=batch_size, show_progress_bar=False, convert_to_numpy=True)
    vecs = np.asarray(vecs, dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs = np.divide(vecs, norms, out=np.zeros_like(vecs), where=norms > 0)
    for i, t in enumerate(texts):
        if not t.strip():
            vecs[i] = 0.0
    return vecs


def lead_text(article: Article, sentences: int = LEAD_SENTENCES) -> str:
    """Headline plus the first few sentences (or, before enrichment, the first paragraphs)."""
    if article.sentences:
        lead = " ".join(s.of(article.text) for s in article.sentences[:sentences])
    else:
        lead = " ".join(p.strip() for p in article.text.split("\n") if p.strip())
    lead = lead[:LEAD_MAX_CHARS]
    return f"{article.title.strip()}. {lead}".strip(". ") if article.title else lead


def article_vector(article: Article) -> np.ndarray:
    """The article's embedding: headline + lead (the part every outlet writes about the event itself)."""
    return embed_texts([lead_text(article)])[0]
