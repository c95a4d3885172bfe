"""Cluster articles into stories, incrementally, with stable story ids.

    from samestory.cluster import StoryClusterer, cluster_articles, cluster_jsonl

    assignments, stories = cluster_articles(articles)          # one batch, fresh state
    clusterer = StoryClusterer(window_days=2)                  # or keep one running:
    story_id = clusterer.assign(article)                       # ... per new article
    state = clusterer.to_state()                               # JSON, for the store
    clusterer = StoryClusterer.from_state(state)               # continue next run

``cluster_jsonl(path)`` is what ``samestory cluster FILE.jsonl --json`` prints (no database).
"""

from __future__ import annotations

import json
from pathlib import Path

from samestory.cluster.features import ArticleFeatures, featurize, parse_published
from samestory.cluster.incremental import FEATURE_NAMES, StoryClusterer, story_id_for
from samestory.errors import IngestError
from samestory.models import Article, Failure, Story, article_id_for, to_dict

__all__ = [
    "StoryClusterer",
    "ArticleFeatures",
    "FEATURE_NAMES",
    "featurize",
    "parse_published",
    "story_id_for",
    "cluster_articles",
    "cluster_jsonl",
    "read_jsonl_articles",
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


def read_jsonl_articles(path: str | Path) -> tuple[list[Article], list[Failure]]:
    """Articles from a JSONL file through ingest + clean (one JSON object a line: ``id``, ``title``,
    ``text``, optional ``published``, ``outlet``, ``url``). Bad lines are reported as Failures; the rest go on."""
    from samestory.clean import clean
    from samestory.ingest import read_inputs

    articles, failures = [], []
    for item in read_inputs([str(path)]):
        if isinstance(item, Failure):
            failures.append(item)
            continue
        try:
            result = clean(item)
        except Exception as exc:  # a bad record must not stop the batch
            failures.append(Failure(source=item.source, reason=str(exc), stage="clean", record=item.id))
            continue
        if isinstance(result, Failure):
            failures.append(result)
        elif isinstance(result, Article):
            articles.append(result)
    return articles, failures


def _read_jsonl_minimal(path: str | Path) -> tuple[list[Article], list[Failure]]:
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read the file ({exc.strerror or exc})") from exc
    articles, failures = [], []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict):
                raise IngestError(str(path), "a line must hold a JSON object", record=f"line {lineno}")
            title = str(rec.get("title") or "").strip()
            text = str(rec.get("text") or rec.get("content") or "").strip()
            if not (title or text):
                raise IngestError(str(path), "no title and no text", record=f"line {lineno}")
            outlet = str(rec.get("outlet") or rec.get("source") or "")
            url = rec.get("url")
            aid = str(rec.get("id") or article_id_for(outlet, url, title, text))
            articles.append(
                Article(id=aid, outlet=outlet, title=title, text=text, url=url,
                        published=rec.get("published"), source=f"{path}#{lineno}")
            )
        except IngestError as exc:
            failures.append(Failure(source=str(path), reason=exc.reason, stage="ingest", record=f"line {lineno}"))
        except ValueError as exc:  # bad JSON
            failures.append(Failure(source=str(path), reason=str(exc), stage="ingest", record=f"line {lineno}"))
    return articles, failures


def cluster_jsonl(path: str | Path, **config) -> dict:
    """``{"assignments": {article_id: story_id}, "stories": [...]}`` for a JSONL file, no database.

    A ``"failures"`` list is added when some lines could not be read."""
    articles, failures = read_jsonl_articles(path)
    assignments, stories = cluster_articles(articles, **config)
    out = {"assignments": assignments, "stories": [to_dict(s) for s in stories]}
    if failures:
        out["failures"] = [str(f) for f in failures]
    return out
