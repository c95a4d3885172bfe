"""Enrich articles: sentences, normalized entities, quotes with speakers, typed quantities, embeddings.

    from samestory.enrich import enrich, analyze_json
    enriched = enrich(articles)            # new Article records (dataclasses.replace)
    enrich(articles, embed=False)          # skip the embedding model
    analyze_json(articles)                 # JSON-ready dicts for `samestory analyze --json`

spaCy runs once per batch through ``nlp.pipe`` (``enrich.nlp``); entity keys are per article,
and ``apply_story_keys`` (``enrich.entities``) makes a story's articles share them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from samestory.enrich.entities import EntityIndex, apply_story_keys, build_entities, merge_entities_across
from samestory.enrich.nlp import parse_docs, sentences_of
from samestory.errors import ArgumentTypeError
from samestory.models import Article, to_dict

__all__ = ["enrich", "enrich_one", "embed_across_languages", "analyze", "analyze_json", "merge_entities_across", "apply_story_keys"]


def _enrich_doc(article: Article, doc) -> Article:
    from samestory.enrich.quantities import extract_quantities
    from samestory.enrich.quotes import extract_quotes

    entities = build_entities(doc)
    index = EntityIndex(entities)
    sentences = sentences_of(doc)
    quotes = extract_quotes(doc, index, language=article.language)
    quantities = extract_quantities(doc, index, published=article.published, language=article.language)
    return replace(article, sentences=sentences, entities=entities, quotes=tuple(quotes), quantities=tuple(quantities))


def enrich(articles: Sequence[Article], *, batch_size: int = 32, embed: bool = True) -> list[Article]:
    """Enriched copies of ``articles`` (same order): sentences, entities, quotes, quantities and,
    with ``embed``, the headline+lead embedding (384-dim, L2-normalized)."""
    articles = list(articles)
    for a in articles:
        if not isinstance(a, Article):
            raise ArgumentTypeError("articles", f"enrich() takes Article records, got {type(a).__name__}")
    docs = parse_docs([a.text for a in articles], batch_size=batch_size)
    out = [_enrich_doc(a, d) for a, d in zip(articles, docs, strict=True)]
    if embed and out:
        from samestory.enrich.embed import LEAD_MAX_TOKENS, embed_texts, lead_text

        vecs = embed_texts([lead_text(a) for a in out], max_tokens=LEAD_MAX_TOKENS)
        out = [replace(a, embedding=v) for a, v in zip(out, vecs, strict=True)]
    return out


def embed_across_languages(articles: Sequence[Article]) -> list[Article]:
    """Copies of ``articles`` with ``embedding_m``: headline + lead in the multilingual space, where
    the same event told in two languages lands close (the clusterer's cross-language join)."""
    from samestory.enrich.embed import embed_multilingual, multilingual_lead

    articles = list(articles)
    vecs = embed_multilingual([multilingual_lead(a) for a in articles])
    return [replace(a, embedding_m=v) for a, v in zip(articles, vecs, strict=True)]


def enrich_one(article: Article, *, embed: bool = True) -> Article:
    return enrich([article], embed=embed)[0]


def analyze(article: Article) -> dict:
    """JSON-ready analysis of one article (enriched first if it is not yet)."""
    if not article.enriched:
        article = enrich([article], embed=False)[0]
    return _analysis(article)


def _analysis(a: Article) -> dict:
    return {
        "id": a.id,
        "outlet": a.outlet,
        "title": a.title,
        "source": a.source,
        "published": a.published,
        "sentences": [{"start": s.start, "end": s.end, "text": s.of(a.text)} for s in a.sentences],
        "entities": to_dict(list(a.entities)),
        "quotes": to_dict(list(a.quotes)),
        "quantities": to_dict(list(a.quantities)),
    }


def analyze_json(articles: Sequence[Article], *, batch_size: int = 32) -> list[dict]:
    """``analyze`` for many articles, parsed together in batches (no embeddings)."""
    todo = [a for a in articles if not a.enriched]
    done = iter(enrich(todo, batch_size=batch_size, embed=False)) if todo else iter(())
    return [_analysis(a if a.enriched else next(done)) for a in articles]
