"""The jobs people run, built from the stages: ingest into a store, compare files, the demo.

``Ingestor`` is the incremental path: every batch is read, cleaned, checked against what is
stored, deduplicated, enriched, clustered and written in one transaction, together with the
learned state of the stateful stages (boilerplate miner, story clusterer), so a crash loses
at most the batch in flight and a rerun continues where the last one stopped.

The per-article work (clean, enrich) is stateless and runs through ``Pipeline``; the stateful
steps (dedup, clustering, storing) run here, in arrival order, on one writer.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from samestory.models import Article, Coverage, Failure, RawDoc, Story
from samestory.pipeline import Pipeline, Stage, batched
from samestory.store import Store

log = logging.getLogger("samestory")

__all__ = ["IngestReport", "Ingestor", "article_pipeline", "read_articles", "compare_paths", "story_coverage",
           "independent_count"]


@dataclass
class IngestReport:
    """What an ingest run did: counts, the failures with their reasons, the stories touched."""

    added: int = 0
    duplicate: int = 0  # already stored, or a copy of a stored article (kept, linked to its canonical)
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)
    stories: set[str] = field(default_factory=set)
    copies: int = 0

    @property
    def seen(self) -> int:
        return self.added + self.duplicate + self.failed

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "duplicate": self.duplicate,
            "copies": self.copies,
            "failed": self.failed,
            "failures": [str(f) for f in self.failures],
            "stories": sorted(self.stories),
        }


def _clean(raw: RawDoc) -> Article:
    from samestory.clean import clean

    return clean(raw)


def _enrich_many(articles: list[Article]) -> list[Article]:
    from samestory.enrich import enrich

    return enrich(articles)


# The per-article stages. Module-level so Dask workers can import them; each worker process
# loads its models once (samestory.enrich.models caches them).
CLEAN = Pipeline([Stage("clean", _clean)])
ENRICH = Pipeline([Stage("enrich", lambda a: _enrich_many([a])[0], _enrich_many)])


def clean_batch(items: list[RawDoc | Failure]) -> list[Article | Failure]:
    """RawDocs -> clean Articles (failures pass through, bad items become Failures)."""
    return CLEAN.run_batch(items)


def enrich_batch(items: list[Article | Failure]) -> list[Article | Failure]:
    """Articles -> enriched Articles, batched through spaCy and the embedder."""
    return ENRICH.run_batch(items)


def apply_boilerplate(article: Article, miner) -> Article:
    """Feed the outlet's boilerplate miner with this article, then drop the lines it has learned.

    Runs on the client in arrival order (the miner is state), after the stateless cleaning. The
    article keeps its id, which was derived before mining, so re-reading an article later, when
    the miner knows more, still finds it stored.
    """
    from samestory.clean import clean_text
    from samestory.clean.junk import split_units

    body = article.raw_text or article.text
    lines = [u.text for u in split_units(body)]
    miner.observe(article.outlet, lines, doc_key=hashlib.blake2b(body.encode("utf-8", "surrogatepass"),
                                                                  digest_size=8).hexdigest())
    if not any(miner.is_boilerplate(article.outlet, line) for line in lines):
        return article
    text, removed, captions = clean_text(body, outlet=article.outlet, miner=miner, title=article.title,
                                         known_captions=article.captions)
    if not text.strip() or text == article.text:
        return article
    return dataclasses.replace(article, text=text, removed=removed,
                               captions=tuple(dict.fromkeys(article.captions + captions)))


def independent_count(articles: Sequence[Article]) -> int:
    """Independent sources: copies and wire-family members count with their canonical article."""
    from samestory.dedup import independent_sources

    return independent_sources(articles)


def read_articles(paths: Iterable[str], *, outlet: str | None = None, enrich: bool = True,
                  allow_private: bool = False, on_failure: Callable[[Failure], None] | None = None) -> list[Article]:
    """Read, clean, deduplicate and (optionally) enrich the given inputs, in memory (no store)."""
    from samestory.dedup import DedupIndex
    from samestory.ingest import read_inputs

    index = DedupIndex()
    articles: list[Article] = []
    seen: set[str] = set()
    for item in CLEAN.pipe(read_inputs(paths, outlet=outlet, allow_private=allow_private)):
        if isinstance(item, Failure):
            if on_failure:
                on_failure(item)
            continue
        if item.id in seen:
            continue
        seen.add(item.id)
        articles.append(index.add(item))
    if enrich and articles:
        articles = _enrich_many(articles)
    return articles


def compare_paths(paths: Iterable[str], *, outlet: str | None = None, allow_private: bool = False,
                  on_failure: Callable[[Failure], None] | None = None) -> Coverage:
    """The one-shot comparison: the given articles, cleaned, compared as one story."""
    from samestory.compare import compare

    articles = read_articles(paths, outlet=outlet, allow_private=allow_private, on_failure=on_failure)
    if not articles:
        from samestory.errors import IngestError

        raise IngestError(", ".join(map(str, paths)) or "(no input)", "no article could be read from the input")
    return compare(articles)


def story_coverage(store: Store, story_id: str) -> Coverage:
    """The comparison of a stored story."""
    from samestory.compare import compare

    story = store.get_story(story_id)
    articles = store.get_articles(store.story_article_ids(story.id))
    return compare(articles, story)


class Ingestor:
    """Incremental ingest into a store. State of the stateful stages is loaded from and saved to it.

    Per batch: read (client, streaming) -> clean (engine) -> boilerplate mining, the already-stored
    check and dedup (client, arrival order) -> enrich (engine) -> clustering and one write
    transaction (client). The engine (``samestory.scale.engine``) runs the two per-article phases
    in this process or on Dask workers and returns batches in order, so both give the same stories.
    """

    STATE_MINER = "boilerplate"
    STATE_CLUSTER = "clusterer"
    STATE_EVERY = 16  # batches between saves of the clusterer state (its size grows with the store)

    def __init__(self, store: Store, *, outlet: str | None = None, batch_size: int = 32,
                 allow_private: bool = False, fetcher=None, engine=None) -> None:
        from samestory.clean.boilerplate import BoilerplateMiner
        from samestory.cluster import StoryClusterer
        from samestory.dedup import DedupIndex
        from samestory.scale.engine import LocalEngine

        self.store = store
        self.outlet = outlet
        self.batch_size = batch_size
        self.allow_private = allow_private
        self.fetcher = fetcher
        self.engine = engine or LocalEngine()
        miner_state = store.load_state(self.STATE_MINER)
        self.miner = BoilerplateMiner.from_state(miner_state) if miner_state else BoilerplateMiner()
        cluster_state = store.load_state(self.STATE_CLUSTER)
        self.clusterer = StoryClusterer.from_state(cluster_state) if cluster_state else StoryClusterer()
        self._events_seen = len(getattr(self.clusterer, "events_", []))
        self.dedup = DedupIndex.from_articles(store.iter_articles()) if store.count_articles() else DedupIndex()
        self._batches_since_state = 0
        self._replay_unsaved_assignments()
        self._in_flight: set[str] = set()
        self._repointed: dict = {}  # article id -> its new DuplicateLink (or None), not yet stored

    def ingest(self, paths: Iterable[str], *, progress: Callable[[int], None] | None = None) -> IngestReport:
        """Read files, folders, URLs or ``-`` and ingest what they hold."""
        from samestory.ingest import read_inputs

        stream = read_inputs(paths, outlet=self.outlet, fetcher=self.fetcher, allow_private=self.allow_private)
        return self.ingest_docs(stream, progress=progress)

    def ingest_docs(self, stream: Iterable[RawDoc | Failure], *,
                    progress: Callable[[int], None] | None = None) -> IngestReport:
        """Ingest documents already read (a feed watcher's new entries, say)."""
        report = IngestReport()
        cleaned = self.engine.map_ordered(clean_batch, batched(stream, self.batch_size))
        prepared = (self._prepare(batch, report) for batch in cleaned)
        for batch in self.engine.map_ordered(enrich_batch, prepared):
            self._store_batch(batch, report)
            if progress:
                progress(len(batch))
        self._save_cluster_state()
        return report

    def _save_cluster_state(self) -> None:
        with self.store.transaction():
            self.store.save_state(self.STATE_CLUSTER, self.clusterer.to_state())
        self._batches_since_state = 0

    def _replay_unsaved_assignments(self) -> None:
        """Re-assign the stored articles that the saved clusterer state has not seen (the state is
        saved every few batches, not every batch: it grows with the store). The clusterer is
        deterministic, so replaying the same articles in the same order gives the same stories."""
        known = getattr(self.clusterer, "assignments_", {})
        missing = [i for i in self.store.original_ids_in_stories() if i not in known]
        for a in self.store.get_articles(missing):  # ids only first: usually none are missing
            self.clusterer.assign(a)

    def _prepare(self, items: list[Article | Failure], report: IngestReport) -> list[Article | Failure]:
        """Client side, in arrival order: learned boilerplate, already-stored check, dedup."""
        out: list[Article | Failure] = []
        for a in items:
            if isinstance(a, Failure):
                out.append(a)
                continue
            a = self._apply_miner(a)
            if a.id in self._in_flight or self.store.has_article(a.id):
                report.duplicate += 1
                continue
            self._in_flight.add(a.id)
            out.append(self.dedup.add(a))
        # a better canonical (the original after its aggregator copy) re-points earlier links
        self._repointed.update(self.dedup.take_repointed())
        return out

    def _apply_miner(self, article: Article) -> Article:
        return apply_boilerplate(article, self.miner)

    def _store_batch(self, items: list[Article | Failure], report: IngestReport) -> None:
        """Cluster and store one batch of enriched articles, in one transaction."""
        failures = [i for i in items if isinstance(i, Failure)]
        fresh = [i for i in items if not isinstance(i, Failure)]
        fresh = [dataclasses.replace(a, duplicate=self._repointed.pop(a.id)) if a.id in self._repointed else a
                 for a in fresh]
        with self.store.transaction():
            touched: set[str] = set()
            for aid in [i for i in self._repointed if self.store.has_article(i)]:
                self.store.set_duplicate(aid, self._repointed.pop(aid))
                if sid := self.store.story_of(aid):
                    touched.add(sid)
            for a in fresh:
                self.store.upsert_article(a)
                if a.duplicate is not None:
                    report.duplicate += 1
                    report.copies += 1
                    story_id = self.store.story_of(a.duplicate.canonical_id) or self.clusterer.assign(a)
                else:
                    report.added += 1
                    story_id = self.clusterer.assign(a)
                self.store.assign(a.id, story_id)
                touched.add(story_id)
            touched |= self._apply_cluster_events()
            for sid in touched:
                self._save_story(sid)
            for f in failures:
                self.store.record_failure(f)
            self._batches_since_state += 1
            if self._batches_since_state >= self.STATE_EVERY:
                self.store.save_state(self.STATE_CLUSTER, self.clusterer.to_state())
                self._batches_since_state = 0
            self.store.save_state(self.STATE_MINER, self.miner.to_state())
        self._in_flight.difference_update(a.id for a in fresh)
        report.failed += len(failures)
        report.failures.extend(failures)
        report.stories |= {self.store.resolve_story_id(s) for s in touched}

    def _apply_cluster_events(self) -> set[str]:
        """Carry the clusterer's merges into the store: move articles, keep the old id as an alias."""
        events = getattr(self.clusterer, "events_", [])
        touched: set[str] = set()
        for ev in events[self._events_seen:]:
            if ev.get("kind") == "merge":
                old, new = ev["from"], ev["into"]
                for aid in self.store.story_article_ids(old):
                    self.store.assign(aid, new)
                self.store.delete_story(old)
                self.store.add_alias(old, new, "merge")
                touched.add(new)
        self._events_seen = len(events)
        return touched

    def _save_story(self, story_id: str) -> None:
        story_id = self.store.resolve_story_id(story_id)
        ids = self.store.story_article_ids(story_id)
        if not ids:
            return
        articles = self.store.get_articles(ids)
        base = self.clusterer.story(story_id)
        published = sorted(a.published for a in articles if a.published)
        outlets = tuple(dict.fromkeys(a.outlet for a in articles))
        canonical = [a for a in articles if a.duplicate is None] or articles
        story = Story(
            id=story_id,
            title=(base.title if base and base.title else canonical[0].title),
            article_ids=tuple(ids),
            outlets=outlets,
            sources=len(articles),
            independent_sources=independent_count(articles),
            first_published=published[0] if published else None,
            last_published=published[-1] if published else None,
            entities=base.entities if base else (),
            keywords=base.keywords if base else (),
        )
        self.store.save_story(story)


def default_corpus() -> Path:
    """The bundled demo corpus (examples/demo in the source tree)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples" / "demo"
        if candidate.is_dir():
            return candidate
    from samestory.errors import IngestError

    raise IngestError("examples/demo", "the demo corpus was not found beside the package; pass --corpus DIR")
