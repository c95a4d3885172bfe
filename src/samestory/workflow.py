"""The jobs people run, built from the stages: ingest into a store, compare files, the demo.

``Ingestor`` is the incremental path: every batch is read, cleaned, checked against what is
stored, deduplicated, enriched, clustered and written in one transaction, together with the
learned state of the stateful stages (boilerplate miner, story clusterer), so a crash loses
at most the batch in flight and a rerun continues where the last one stopped.

What the client holds grows with the store only through the dedup index and the clusterer's
term frequencies (its vocabulary): the clusterer's
state is one row per story (a batch writes the stories it changed), closed stories leave memory
and are read back only when asked for, and start-up reads the open stories, the term
frequencies and the dedup fingerprints instead of every stored article.

The per-article work (clean, enrich) is stateless and runs through ``Pipeline``; the stateful
steps (dedup, clustering, storing) run here, in arrival order, on one writer.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from samestory.models import Article, Coverage, Failure, RawDoc, Story
from samestory.pipeline import Pipeline, Stage, batched
from samestory.store import Store
from samestory.story_row import StoryAggregate

log = logging.getLogger("samestory")

__all__ = ["IngestReport", "Ingestor", "article_pipeline", "read_articles", "compare_paths", "story_coverage",
           "independent_count", "story_document", "compute_story_document", "article_document", "cluster_jsonl",
           "read_jsonl_articles", "select_stories"]


@dataclass
class IngestReport:
    """What an ingest run did: counts, the failures with their reasons, the stories touched."""

    added: int = 0
    duplicate: int = 0  # already stored, or a copy of a stored article (kept, linked to its canonical)
    failed: int = 0
    failures: list[Failure] = field(default_factory=list)
    stories: set[str] = field(default_factory=set)
    copies: int = 0
    # records under the id of a stored (or earlier) article with another title or text: kept
    # aside in the store's conflicts table, never stored over it nor counted as duplicates
    conflicts: list[str] = field(default_factory=list)

    @property
    def seen(self) -> int:
        return self.added + self.duplicate + self.failed + len(self.conflicts)

    def to_dict(self) -> dict:
        return {
            "added": self.added,
            "duplicate": self.duplicate,
            "copies": self.copies,
            "conflict": len(self.conflicts),
            "conflicts": list(self.conflicts),
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


def _embed_across_languages(articles: list[Article]) -> list[Article]:
    from samestory.enrich import embed_across_languages

    return embed_across_languages(articles)


# The per-article stages. Module-level so Dask workers can import them; each worker process
# loads its models once (samestory.enrich.models caches them). The ingest's enrich also embeds
# each lead in the multilingual space, which only the clusterer needs (an in-memory compare skips it).
CLEAN = Pipeline([Stage("clean", _clean)])
ENRICH = Pipeline([Stage("enrich", lambda a: _enrich_many([a])[0], _enrich_many),
                   Stage("embed_multilingual", lambda a: _embed_across_languages([a])[0], _embed_across_languages)])


def clean_batch(items: list[RawDoc | Failure]) -> list[Article | Failure]:
    """RawDocs -> clean Articles (failures pass through, bad items become Failures)."""
    return CLEAN.run_batch(items)


def enrich_batch(items: list[Article | Failure]) -> list[Article | Failure]:
    """Articles -> enriched Articles, batched through spaCy and the embedder."""
    return ENRICH.run_batch(items)


def independent_count(articles: Sequence[Article]) -> int:
    """Independent sources: copies and wire-family members count with their canonical article."""
    from samestory.dedup import independent_sources

    return independent_sources(articles)


def read_articles(paths: Iterable[str], *, outlet: str | None = None, enrich: bool = True,
                  allow_private: bool = False, on_failure: Callable[[Failure], None] | None = None,
                  outlets=None) -> list[Article]:
    """Read, clean, deduplicate and (optionally) enrich the given inputs, in memory (no store)."""
    from samestory.dedup import DedupIndex
    from samestory.ingest import read_inputs

    index = DedupIndex()
    articles: list[Article] = []
    seen: set[str] = set()
    for item in CLEAN.pipe(read_inputs(paths, outlet=outlet, outlets=outlets, allow_private=allow_private)):
        if isinstance(item, Failure):
            if on_failure:
                on_failure(item)
            continue
        if item.id in seen:
            continue
        seen.add(item.id)
        articles.append(index.add(item))
    # an original read after its copy re-points the copy's link to it (the Ingestor does the same)
    repointed = index.take_repointed()
    if repointed:
        articles = [dataclasses.replace(a, duplicate=repointed[a.id]) if a.id in repointed else a for a in articles]
    if enrich and articles:
        articles = _enrich_many(articles)
    return articles


def read_jsonl_articles(path: str | Path) -> tuple[list[Article], list[Failure]]:
    """Articles from a JSONL file, read and cleaned (no dedup, no enrich); bad lines come back as
    Failures and the rest go on. A repeated id keeps its first article: a repeat with a different
    title or text is a Failure naming the id (never a silent skip); an identical repeat is dropped."""
    from samestory.ingest import read_inputs

    articles: list[Article] = []
    failures: list[Failure] = []
    first: dict[str, Article] = {}
    for item in CLEAN.pipe(read_inputs([str(path)])):
        if isinstance(item, Failure):
            failures.append(item)
            continue
        kept = first.setdefault(item.id, item)
        if kept is item:
            articles.append(item)
        elif (kept.title, kept.text) != (item.title, item.text):
            failures.append(Failure(item.source, f"repeated id {item.id!r} with a different title or text: "
                                    "the first one is kept", stage="ingest", record=f"id {item.id}"))
    return articles, failures


def cluster_jsonl(path: str | Path, **config) -> dict:
    """``{"assignments": {article_id: story_id}, "stories": [...]}`` for a JSONL file, no database
    (``samestory cluster FILE.jsonl --json``). A ``"failures"`` list is added when some lines could
    not be read."""
    from samestory.cluster import cluster_articles
    from samestory.models import to_dict

    articles, failures = read_jsonl_articles(path)
    assignments, stories = cluster_articles(articles, **config)
    out = {"assignments": assignments, "stories": [to_dict(s) for s in stories]}
    if failures:
        out["failures"] = [str(f) for f in failures]
    return out


def compare_paths(paths: Iterable[str], *, outlet: str | None = None, allow_private: bool = False,
                  on_failure: Callable[[Failure], None] | None = None, outlets=None) -> Coverage:
    """The one-shot comparison: the given articles, cleaned, compared as one story."""
    from samestory.compare import compare

    articles = read_articles(paths, outlet=outlet, allow_private=allow_private, on_failure=on_failure,
                             outlets=outlets)
    if not articles:
        from samestory.errors import IngestError

        raise IngestError(", ".join(map(str, paths)) or "(no input)", "no article could be read from the input")
    return compare(articles)


def story_document(store: Store, story_id: str) -> dict:
    """A stored story's comparison as the versioned Coverage document (``report.coverage_document``,
    docs/coverage-json.md): the one read path of the CLI and the web. Cached in the store per story
    version (its ``updated`` stamp), so a story is compared again only after it changed; an id that
    was merged away resolves to its successor."""
    return compute_story_document(store, story_id)[1]


def compute_story_document(store: Store, story_id: str) -> tuple[str | None, dict]:
    """``(version, document)``: the story's Coverage document (from the cache when it is current)
    and the story version (``updated`` stamp) it shows, read before the articles, so a story that
    changes during the comparison is never cached under its newer version. A store that can write
    caches the document itself; a read-only one leaves that to its caller."""
    from samestory.compare import compare
    from samestory.report import coverage_document
    from samestory.schema import SCHEMA_VERSION

    story = store.get_story(story_id)
    updated = store.story_updated(story.id)
    cached = store.cached_coverage(story.id)
    if cached is not None and cached.get("schema_version") == SCHEMA_VERSION:
        return updated, cached
    articles = store.get_articles(store.story_article_ids(story.id))
    document = coverage_document(compare(articles, story))
    store.cache_coverage(story.id, document, updated)
    return updated, document


def article_document(store: Store, article_id: str) -> dict:
    """A stored article as a dict (``models.to_dict``) with its story id, the loaded words framing
    finds in its body (``loaded``; the headline's are marked ``in_headline``) and its copies: what
    the web's article page and its JSON twin show."""
    from samestory.compare.framing import analyze_framing
    from samestory.models import to_dict

    article = store.get_article(article_id)
    data = to_dict(article)
    data["story_id"] = store.story_of(article.id)
    framing = analyze_framing([article])
    data["loaded"] = to_dict(framing[0].loaded) if framing else []
    data["copies"] = [{"id": aid, **to_dict(link)} for aid, link in store.duplicate_links()
                      if link.canonical_id == article.id]
    return data


def story_coverage(store: Store, story_id: str) -> Coverage:
    """The comparison of a stored story, as a Coverage record (``story_document`` rebuilt)."""
    from samestory.models import from_dict

    return from_dict(Coverage, story_document(store, story_id))


class Ingestor:
    """Incremental ingest into a store. State of the stateful stages is loaded from and saved to it.

    Per batch: read (client, streaming) -> clean (engine) -> boilerplate mining, the already-stored
    check and dedup (client, arrival order) -> enrich (engine) -> clustering and one write
    transaction (client). The engine (``samestory.scale.engine``) runs the two per-article phases
    in this process or on Dask workers and returns batches in order, so both give the same stories.
    """

    STATE_MINER = "boilerplate"
    STATE_CLUSTER = "clusterer"  # the former one-blob clusterer state, converted to rows on first open
    STATE_SOURCES = "sources"  # which source-identity version the story rows were counted with
    STATE_DEDUP = "dedup"  # the dedup index's fingerprints, so start-up need not re-hash every text
    DEDUP_STALE = 0.1  # re-save them when more than this share of the indexed articles is not in them
    DEDUP_MIN = 256  # ... and more than this many
    # the miner's state is bounded per outlet but can reach megabytes: saved every batch while
    # small, then every size/budget batches (O(1) bytes per article), and at the end of a run.
    # A run stopped in between re-observes its inputs on the rerun (doc keys count each once).
    MINER_BYTES_PER_BATCH = 256 * 1024

    def __init__(self, store: Store, *, outlet: str | None = None, batch_size: int = 32,
                 allow_private: bool = False, fetcher=None, engine=None, outlets=None,
                 compare_stories: bool = False, lock_timeout: float | None = None,
                 on_lock_wait: Callable[[str], None] | None = None) -> None:
        from samestory.clean.boilerplate import BoilerplateMiner
        from samestory.cluster import StoryClusterer
        from samestory.dedup import DedupIndex
        from samestory.scale.engine import LocalEngine

        self.store = store
        self.outlet = outlet
        self.outlets = outlets  # per-input outlet names (read_inputs' ``outlets``)
        self.compare_stories = compare_stories  # store each touched story's Coverage document at the end
        self.batch_size = batch_size
        self.allow_private = allow_private
        self.fetcher = fetcher
        self.engine = engine or LocalEngine()
        # one writer at a time (``store.lock``): a second ingest waits here (``on_lock_wait`` says
        # so) or, past ``lock_timeout`` seconds, refuses with a StoreError
        self.lock_timeout = lock_timeout
        self.on_lock_wait = on_lock_wait or (lambda message: log.warning("%s", message))
        with self._writing():
            self._load()

    def _writing(self):
        """The writer lock, held while the state is loaded and while batches are written."""
        import contextlib

        if self.store.readonly:
            return contextlib.nullcontext()
        lock = self.store.writer_lock

        @contextlib.contextmanager
        def held():
            lock.acquire(self.lock_timeout, self.on_lock_wait)
            try:
                # another writer committed since this one loaded its state: start from theirs
                if getattr(self, "_generation", None) is not None and self.store.writer_generation() != self._generation:
                    self._load()
                yield
            finally:
                lock.release()

        return held()

    def _load(self) -> None:
        """The learned state of the stateful stages, as the last committed batch left it."""
        from samestory.clean.boilerplate import BoilerplateMiner
        from samestory.cluster import StoryClusterer
        from samestory.dedup import DedupIndex

        store = self.store
        self._generation = store.writer_generation()
        miner_state = store.load_state(self.STATE_MINER)
        self.miner = BoilerplateMiner.from_state(miner_state) if miner_state else BoilerplateMiner()
        self.clusterer = self._load_clusterer(StoryClusterer)
        self._events_seen = len(self.clusterer.events_)
        self.dedup, self._dedup_saved = self._load_dedup(DedupIndex)
        self._conflicts: list[Article] = []  # written with the next batch
        self._miner_due = 0  # batches until the miner's state is saved again
        self._miner_unsaved = False
        self._in_flight: dict[str, tuple[str, str]] = {}  # id -> (title, text before cleaning)
        self._repointed: dict = {}  # article id -> its new DuplicateLink (or None), not yet stored
        self._recount_sources()

    def _recount_sources(self) -> None:
        """Once per store: story rows saved before one outlet counted once (source identity v2)
        get their ``independent_sources`` recomputed from their saved aggregates."""
        if self.store.readonly or self.store.load_state(self.STATE_SOURCES) is not None:
            return
        with self.store.transaction():
            for story in self.store.stories():
                agg = self.store.story_aggregate(story.id)
                if agg is None:
                    continue
                n = agg.independent_sources()
                if n != story.independent_sources:
                    self.store.save_story(dataclasses.replace(story, independent_sources=n), agg)
            self.store.save_state(self.STATE_SOURCES, {"version": 2})

    def ingest(self, paths: Iterable[str], *, progress: Callable[[int], None] | None = None,
               compared: Callable[[int, int], None] | None = None) -> IngestReport:
        """Read files, folders, URLs or ``-`` and ingest what they hold."""
        from samestory.ingest import read_inputs

        stream = read_inputs(paths, outlet=self.outlet, outlets=self.outlets, fetcher=self.fetcher,
                             allow_private=self.allow_private)
        return self.ingest_docs(stream, progress=progress, compared=compared)

    def ingest_docs(self, stream: Iterable[RawDoc | Failure], *,
                    progress: Callable[[int], None] | None = None,
                    compared: Callable[[int, int], None] | None = None) -> IngestReport:
        """Ingest documents already read (a feed watcher's new entries, say). With
        ``compare_stories`` the touched stories are compared at the end and their Coverage
        documents stored, so the first page view reads them (``compared(done, total)`` reports)."""
        from samestory.ingest import scrub_item

        report = IngestReport()
        with self._writing():
            stream = (scrub_item(item) for item in stream)  # text no store can hold: repaired or refused here
            cleaned = self.engine.map_ordered(clean_batch, batched(stream, self.batch_size))
            prepared = (self._prepare(batch, report) for batch in cleaned)
            for batch in self.engine.map_ordered(enrich_batch, prepared):
                self._store_batch(batch, report)
                if progress:
                    progress(len(batch))
            if self._miner_unsaved or self._conflicts:
                with self.store.transaction():
                    self.store.save_state(self.STATE_MINER, self.miner.to_state())
                    for c in self._conflicts:  # conflicts of a last batch that stored no article
                        self.store.record_conflict(c)
                self._conflicts.clear()
                self._miner_unsaved = False
            self._save_dedup_if_stale()
            if self.compare_stories:
                self.store_documents(report.stories, compared)
        return report

    def store_documents(self, story_ids: Iterable[str], compared: Callable[[int, int], None] | None = None) -> None:
        """Compare these stories now and cache their Coverage documents (``story_document``).
        A story that fails to compare is logged and left for its first view."""
        from samestory.errors import SamestoryError

        ids = sorted(set(story_ids))
        for k, sid in enumerate(ids, 1):
            try:
                story_document(self.store, sid)
            except SamestoryError as exc:
                log.warning("story %s not compared ahead: %s", sid, exc)
            if compared:
                compared(k, len(ids))

    def _load_dedup(self, cls):
        """The dedup index from its saved fingerprints plus the stored articles' metadata and
        links (no text read, nothing re-hashed); articles stored after the last save (a crash, or
        fewer new ones than ``DEDUP_STALE``) are read in full and fingerprinted. Without a saved
        state: rebuilt from every stored text."""
        if not self.store.count_articles():
            return cls(), 0
        state = self.store.load_state(self.STATE_DEDUP)
        if state is not None:
            try:
                known = set(state["ids"])
                heads = self.store.iter_articles(analysis=False, text=False)
                articles = (a if a.id in known else self.store.get_articles([a.id], analysis=False)[0] for a in heads)
                return cls.from_state(state, articles), len(known)
            except (ValueError, KeyError, TypeError) as exc:
                log.warning("%s: saved dedup state unusable (%s); rebuilding it from the stored texts",
                            self.store.path, exc)
        return cls.from_articles(self.store.iter_articles(analysis=False)), 0

    def _save_dedup_if_stale(self) -> None:
        """Save the dedup fingerprints when many indexed articles are missing from the saved ones:
        the save is O(store), so it happens once per ``DEDUP_STALE`` share of growth (O(1) per
        article amortized), at the end of a run, when every indexed article is committed."""
        n = len(self.dedup)
        if n - self._dedup_saved <= max(self.DEDUP_STALE * n, self.DEDUP_MIN):
            return
        with self.store.transaction():
            self.store.save_state(self.STATE_DEDUP, self.dedup.to_state())
        self._dedup_saved = n

    def _load_clusterer(self, cls):
        """The clusterer as the last committed batch left it: its header, the open stories and
        the document frequencies, from rows (closed stories stay in the store until asked for).

        A store written before the row layout holds one state blob, possibly older than its
        last batches: it is loaded, the stored articles it lacks are replayed (the clusterer is
        deterministic: the same articles in the same order give the same stories), and it is
        converted to rows once."""
        archive = _StoreArchive(self.store)
        header = self.store.load_cluster_header()
        if header is not None:
            return cls.from_rows(header, self.store.open_cluster_stories(), self.store.cluster_df(), archive=archive)
        legacy = self.store.load_state(self.STATE_CLUSTER)
        clusterer = cls.from_state(legacy) if legacy else cls()
        missing = [i for i in self.store.original_ids_in_stories() if i not in clusterer.assignments_]
        for a in self.store.get_articles(missing):
            clusterer.assign(a)
        if clusterer.n_articles_:
            clusterer.mark_all_changed()
            with self.store.transaction():
                self.store.save_cluster_rows(*clusterer.take_changes())
                self.store.delete_state(self.STATE_CLUSTER)
            clusterer.evict_closed()
        del clusterer.events_[:]  # history the store already holds (aliases)
        clusterer.archive = archive
        return clusterer

    def _prepare(self, items: list[Article | Failure], report: IngestReport) -> list[Article | Failure]:
        """Client side, in arrival order: learned boilerplate, already-stored check, dedup."""
        from samestory.models import article_id_for

        out: list[Article | Failure] = []
        for a in items:
            if isinstance(a, Failure):
                out.append(a)
                continue
            # stored already: skipped before the miner sees it, so reading an input again never
            # counts its lines twice (the id does not depend on what the miner removes)
            origin = (a.title, a.raw_text or a.text)
            known = self._in_flight.get(a.id) or self.store.article_origin(a.id)
            if known is not None:
                # an id the input gave, now with another title or text: kept aside, never dropped
                # (a content-hash id cannot clash: the same id is the same outlet, URL, title and text)
                if known[1] and origin != known and a.id != article_id_for(a.outlet, a.url, a.title, a.text):
                    self._conflicts.append(a)
                    report.conflicts.append(f"{a.source}: id {a.id!r} already names an article with another "
                                            f"{'text' if origin[1] != known[1] else 'title'}; kept aside as a conflict")
                else:
                    report.duplicate += 1
                continue
            a = self._apply_miner(a)
            self._in_flight[a.id] = origin
            out.append(self.dedup.add(a))
        # a better canonical (the original after its aggregator copy) re-points earlier links
        self._repointed.update(self.dedup.take_repointed())
        return out

    def _apply_miner(self, article: Article) -> Article:
        from samestory.clean import drop_learned_boilerplate

        return drop_learned_boilerplate(article, self.miner)

    def _store_batch(self, items: list[Article | Failure], report: IngestReport) -> None:
        """Cluster and store one batch of enriched articles, in one transaction."""
        failures = [i for i in items if isinstance(i, Failure)]
        fresh = [i for i in items if not isinstance(i, Failure)]
        fresh = [dataclasses.replace(a, duplicate=self._repointed.pop(a.id)) if a.id in self._repointed else a
                 for a in fresh]
        with self.store.transaction():
            # the state this writer holds is the store's last committed one, or it must not write
            if self.store.writer_generation() != self._generation:
                from samestory.errors import StoreError

                raise StoreError(f"{self.store.path}: another writer committed since this ingest loaded its state; "
                                 "nothing of this batch was written (run the ingest again)")
            self._generation = self.store.bump_writer_generation()
            for c in self._conflicts:
                self.store.record_conflict(c)
            self._conflicts.clear()
            touched: set[str] = set()
            rebuild: set[str] = set()  # stories whose members changed other than by new articles
            added: dict[str, list[Article]] = {}  # story id -> its new articles
            for aid in [i for i in self._repointed if self.store.has_article(i)]:
                self.store.set_duplicate(aid, self._repointed.pop(aid))
                if sid := self.store.story_of(aid):
                    touched.add(sid)
                    rebuild.add(sid)
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
                added.setdefault(story_id, []).append(a)
            regrouped = self._apply_cluster_events()  # merged or split: members changed
            touched |= regrouped
            rebuild |= regrouped
            self._save_stories(touched, added, rebuild)
            for f in failures:
                self.store.record_failure(f)
            # the clusterer's changed stories and terms commit with the batch that changed them
            self.store.save_cluster_rows(*self.clusterer.take_changes())
            self._miner_due -= 1
            self._miner_unsaved = self._miner_due > 0
            if not self._miner_unsaved:
                size = self.store.save_state(self.STATE_MINER, self.miner.to_state())
                self._miner_due = -(-size // self.MINER_BYTES_PER_BATCH)  # batches until the next save
        self.clusterer.evict_closed()  # saved above: closed stories now live in the store only
        for a in fresh:
            self._in_flight.pop(a.id, None)
        report.failed += len(failures)
        report.failures.extend(failures)
        report.stories |= {self.store.resolve_story_id(s) for s in touched}

    def _apply_cluster_events(self) -> set[str]:
        """Carry the clusterer's merges and splits into the store, in the order they happened.

        A merge moves the old story's articles and keeps the old id as an alias (it resolves to
        its successor); a split moves the split-off articles to the new story and leaves the old
        one in place (no alias: the old id still names a story). Both are logged
        (``Store.log_story_event``). Returns the stories whose members changed: their rows are
        recomputed from the members, not extended from the saved aggregate."""
        events = getattr(self.clusterer, "events_", [])
        touched: set[str] = set()
        for ev in events[self._events_seen:]:
            kind = ev.get("kind")
            if kind == "merge":
                old, new = ev["from"], ev["into"]
                for aid in self.store.story_article_ids(old):
                    self.store.assign(aid, new)
                self.store.delete_story(old)
                self.store.add_alias(old, new, "merge")
                self.store.log_story_event("merge", old, new, ev.get("at"))
                touched.add(new)
            elif kind == "split":
                old, new = ev["from"], ev["into"]
                if self.store.resolve_story_id(new) != new:  # the clusterer never reuses a retired id
                    from samestory.errors import StoreError

                    raise StoreError(f"{self.store.path}: split-off story {new} has the id of a story merged away "
                                     "(its alias would send its articles elsewhere); nothing of this batch was written")
                moved = set(ev["articles"])
                # copies the ingest stored beside their canonical without clustering them follow it
                known = self.clusterer.assignments_
                moved |= {aid for aid, canonical in self.store.story_copies(old).items()
                          if canonical in moved and aid not in known}
                for aid in sorted(moved):
                    self.store.assign(aid, new)
                self.store.log_story_event("split", old, new, ev.get("at"))
                touched |= {old, new}
        del events[:]  # carried into the store (aliases, the event log): the clusterer need not keep it
        self._events_seen = 0
        return touched

    def _save_stories(self, touched: set[str], added: dict[str, list[Article]], rebuild: set[str]) -> None:
        """Write the row of every touched story: from its saved aggregate plus the batch's new
        articles (O(new articles): no member is read back), or recomputed from its members'
        metadata when a merge, a split or a re-pointed duplicate link changed them, or no aggregate is saved."""
        resolve = self.store.resolve_story_id
        new: dict[str, list[Article]] = {}
        for sid, articles in added.items():
            new.setdefault(resolve(sid), []).extend(articles)
        rebuild = {resolve(s) for s in rebuild}
        for sid in sorted({resolve(s) for s in touched}):
            self._save_story(sid, new.get(sid, []), rebuild=sid in rebuild)

    def _save_story(self, story_id: str, new: Sequence[Article] = (), *, rebuild: bool = True) -> None:
        story_id = self.store.resolve_story_id(story_id)
        aggregate = None if rebuild else self.store.story_aggregate(story_id)
        if aggregate is None and not rebuild and new and self.store.story_updated(story_id) is None:
            aggregate = StoryAggregate()  # a new story: its members are the new articles
        if aggregate is not None and new:
            aggregate = aggregate.extended(new, self.store.article_seqs([a.id for a in new]))
        if aggregate is None:
            rows = self.store.story_members(story_id)
            if not rows:
                return
            aggregate = StoryAggregate.from_rows(rows)
        self.store.save_story(aggregate.story(story_id, self.clusterer.story(story_id)), aggregate)


class _StoreArchive:
    """Where a store-backed clusterer reads back the stories that left its memory."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def load_story(self, story_id: str) -> dict | None:
        return self.store.cluster_story(story_id)

    def resolve(self, story_id: str) -> str:
        return self.store.resolve_story_id(story_id)

    def knows(self, story_id: str) -> bool:
        """Whether the id names or named a story (the clusterer never gives it again)."""
        return self.store.story_id_known(story_id)

    def story_of(self, article_id: str) -> str | None:
        sid = self.store.story_of(article_id)
        return self.store.resolve_story_id(sid) if sid else None


def default_corpus() -> Path:
    """The bundled demo corpus (examples/demo in the source tree)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "examples" / "demo"
        if candidate.is_dir():
            return candidate
    from samestory.errors import IngestError

    raise IngestError("examples/demo", "the demo corpus was not found beside the package; pass --corpus DIR")


def select_stories(store: Store, *, outlet: str | None = None, side: str | None = None, since: str | None = None,
                   until: str | None = None, min_outlets: int = 0, profiles=None, limit: int | None = None,
                   offset: int = 0) -> tuple[list[Story], int]:
    """Stories (most recent first) that match every filter given, and how many match in all:
    ``outlet`` covers it (outlet identity, ``dedup.outlet_key``); ``side`` (left, centre, right)
    is the leaning of at least one of its outlets under ``profiles``; ``since`` / ``until``
    (ISO days, inclusive) overlap its publication span; at least ``min_outlets`` outlets.
    Raises ArgumentError for a bad side or date, or a side without profiles."""
    from samestory.dedup.sources import outlet_key
    from samestory.errors import ArgumentError
    from samestory.report.profiles import SIDES
    from samestory.text.dates import parse_iso, published_date

    if side and side not in SIDES:
        raise ArgumentError("side", f"unknown side {side!r}: use one of {', '.join(SIDES)}")
    if side and not profiles:
        raise ArgumentError("side", "filtering by side needs outlet profiles (--profiles FILE or `samestory profiles import`)")
    bounds = []
    for name, value in (("since", since), ("until", until)):
        day = parse_iso(value).date() if value and parse_iso(value) else None
        if value and day is None:
            raise ArgumentError(name, f"{value!r} is not a date (use YYYY-MM-DD)")
        bounds.append(day)
    lo, hi = bounds
    wanted = outlet_key(outlet) if outlet else None
    if not (wanted or side or lo or hi or min_outlets > 0):
        return store.stories(limit=limit, offset=offset), store.count_stories()
    matched = []
    for s in store.stories():
        keys = {outlet_key(o) for o in s.outlets}
        if wanted and wanted not in keys:
            continue
        if len(keys) < min_outlets:
            continue
        if side and not any(profiles.side(o) == side for o in s.outlets):
            continue
        first, last = published_date(s.first_published), published_date(s.last_published)
        if (lo or hi) and first is None:
            continue  # undated: cannot be in a date range
        if lo and (last or first) < lo:
            continue
        if hi and first > hi:
            continue
        matched.append(s)
    end = None if limit is None else offset + limit
    return matched[offset:end], len(matched)
