"""Enriched articles made up for the store-integrity tests: no model runs, so hundreds of batches
with merges and splits take seconds. Written for samestory; every name and word is invented.

An article of event ``e`` carries an embedding near the event's direction (look-alike events
``2j`` and ``2j + 1`` point partly the same way), the names and words of its event, and a body of
its own (so dedup does not take it for a copy); an article of two events bridges them.
``churn_ingestor`` gives an Ingestor whose clusterer merges and splits far more often than the
tuned one: the invariant must hold whatever the thresholds.
"""

from __future__ import annotations

import numpy as np

from samestory.models import Article, Entity, Span

NOISE = 0.6
LOOKALIKE = 0.5
SYL = ["al", "bre", "cas", "dor", "el", "fen", "gar", "hal", "ive", "jor", "kes", "lin", "mar", "nor", "osk", "pel"]
# thresholds that make merges and splits frequent (the tuned ones: ClusterConfig)
CHURN = dict(threshold=1.2, merge_threshold=1.5, small_merge_threshold=1.3, split_threshold=0.995,
             split_score_threshold=None)


def _word(k: int) -> str:
    return "".join(SYL[(k // 16 ** j) % 16] for j in range(3)) + "ing"


def _name(k: int) -> str:
    return _word(k).capitalize()[:-3] + " " + _word(k * 7 + 3).capitalize()[:-3] + "son"


def event_vectors(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, 384))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    v[1::2] = LOOKALIKE * v[0::2][: len(v[1::2])] + np.sqrt(1 - LOOKALIKE ** 2) * v[1::2]  # look-alike pairs
    return v


def article(i: int, events: tuple[int, ...], vecs: np.ndarray, seed: int, day: int = 0, prefix: str = "p") -> Article:
    rng = np.random.default_rng(seed)
    vec = sum(vecs[e] for e in events) + NOISE * rng.standard_normal(384) / np.sqrt(384)
    vec = (vec / np.linalg.norm(vec)).astype(np.float32)
    words, names = [], []
    for e in events:
        g = e // 2
        words += [_word(3 * g + k) for k in range(3)]
        names += [_name(2 * g), _name(2 * g + 1), _name(1000 + e)]
    title = f"{names[0]} and the {words[0]} {words[1]}"
    filler = [_word(int(x)) for x in rng.integers(5000, 60000, size=24)]
    sentences = [f"The {w} was discussed by {n} on day {day}." for w, n in zip(words, names * 3)]
    sentences += [" ".join(filler[k:k + 6]).capitalize() + "." for k in range(0, 24, 6)]
    text = f"{title}. " + " ".join(sentences[k] for k in rng.permutation(len(sentences)))
    ents = []
    for name in dict.fromkeys(names):
        at = text.find(name)
        ents.append(Entity(key=name.lower(), label="PERSON", name=name, mentions=(Span(at, at + len(name)),)))
    return Article(id=f"{prefix}-{i:05d}", outlet=f"outlet-{i % 11}", title=title, text=text, raw_text=text,
                   published=f"2025-03-{1 + day % 27:02d}T10:00:00Z", language="en", source=f"synthetic#{i}",
                   sentences=(Span(0, len(text)),), entities=tuple(ents), embedding=vec)


def stream(n: int, *, n_events: int = 30, bridges: float = 0.15, seed: int = 5, per_day: int = 60,
           prefix: str = "p") -> list[Article]:
    import random

    vecs = event_vectors(n_events, seed)
    r = random.Random(seed)
    out = []
    for i in range(n):
        events = tuple(r.sample(range(n_events), 2)) if r.random() < bridges else (r.randrange(n_events),)
        out.append(article(i, events, vecs, seed * 100_003 + i, day=i // per_day, prefix=prefix))
    return out


def churn_ingestor(store, **kw):
    """An Ingestor over ``store`` whose clusterer uses ``CHURN`` (saved with its rows, so it stays)."""
    from samestory.cluster import StoryClusterer
    from samestory.workflow import Ingestor, _StoreArchive

    ing = Ingestor(store, **kw)
    if store.load_cluster_header() is None:
        ing.clusterer = StoryClusterer(**CHURN)
        ing.clusterer.archive = _StoreArchive(store)
    return ing


def store_batches(ing, articles, batch: int = 8, after=None):
    """Articles already enriched through the Ingestor's client path, one transaction per batch."""
    from samestory.workflow import IngestReport

    report = IngestReport()
    with ing._writing():
        for k in range(0, len(articles), batch):
            ing._store_batch(ing._prepare(list(articles[k:k + batch]), report), report)
            if after is not None:
                after()
    return report
