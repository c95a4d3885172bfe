"""Cluster articles into stories, incrementally, with stable story ids.

    from samestory.cluster import StoryClusterer, cluster_articles

    assignments, stories = cluster_articles(articles)          # one batch, fresh state
    clusterer = StoryClusterer(window_days=2)                  # or keep one running:
    story_id = clusterer.assign(article)                       # ... per new article
    state = clusterer.to_state()                               # JSON, for the store
    clusterer = StoryClusterer.from_state(state)               # continue next run

``samestory.workflow.cluster_jsonl(path)`` is what ``samestory cluster FILE.jsonl --json`` prints
(read, clean and cluster, no database): reading is the job layer's, not this stage's.
"""

from __future__ import annotations

from samestory.cluster.features import ArticleFeatures, featurize, parse_published
from samestory.cluster.incremental import FEATURE_NAMES, ClusterConfig, StoryClusterer, story_id_for
from samestory.models import Story

__all__ = [
    "ClusterConfig",
    "StoryClusterer",
    "ArticleFeatures",
    "FEATURE_NAMES",
    "featurize",
    "parse_published",
    "story_id_for",
    "cluster_articles",
]


def cluster_articles(articles, **config) -> tuple[dict[str, str], list[Story]]:
    """Cluster ``articles`` in the given order with a fresh ``StoryClusterer(**config)``.

    Returns ``(assignments, stories)``: each article id's final story id (after any merges and
    splits) and the stories."""
    clusterer = StoryClusterer(**config)
    articles = list(articles)
    clusterer.assign_many(articles)
    assignments = {a.id: clusterer.story_of(a.id) for a in articles}
    return assignments, clusterer.stories()
