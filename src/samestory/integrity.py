"""``samestory check``: verify, and with ``repair=True`` restore, the store's membership invariant:
every article is in exactly one story, and that story exists.

What can break it (``Store.membership_problems``):

- an *orphan*: an article in no story (a store written by an ingest that stopped between two
  statements of an older version; an article stored by hand);
- a *dangling* membership: the story id has no row, or it is a retired id (a story merged away
  whose alias sends readers elsewhere; versions before the fix gave a split-off story such an id);
- a *stale* row: a story row that does not list exactly its members (or lists none).

The repair runs under the writer lock, in one transaction: a retired or rowless id that still has
members gets a fresh id (its clusterer row is renamed with it, so later articles keep joining
it) and the change is logged as a story event ``repair``; an orphan joins the story of its
canonical article when it is a copy, else a story of its own; every touched story row is
recomputed from its members, and a row without members is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from samestory.store import Store

__all__ = ["StoreCheck", "check_store"]


@dataclass
class StoreCheck:
    """What ``check_store`` found (and, with ``repair``, what it changed)."""

    articles: int = 0
    stories: int = 0
    orphans: list[str] = field(default_factory=list)
    dangling: list[tuple[str, str]] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    conflicts: int = 0  # records kept aside (same id, other content): reported, not a breach
    sqlite: str = "ok"  # PRAGMA integrity_check
    repaired: bool = False
    renamed: dict[str, str] = field(default_factory=dict)  # old story id -> the fresh id its members got
    after: StoreCheck | None = None  # the check again, after the repair

    @property
    def ok(self) -> bool:
        return not (self.orphans or self.dangling or self.stale) and self.sqlite == "ok"

    @property
    def ok_now(self) -> bool:
        """Sound after this run: it was, or the repair made it so."""
        return self.after.ok if self.after is not None else self.ok

    def to_dict(self) -> dict:
        out = {
            "ok": self.ok, "articles": self.articles, "stories": self.stories,
            "orphans": len(self.orphans), "dangling": len(self.dangling), "stale": len(self.stale),
            "conflicts": self.conflicts, "sqlite": self.sqlite,
            "examples": {"orphans": self.orphans[:5], "dangling": [list(d) for d in self.dangling[:5]],
                         "stale": self.stale[:5]},
        }
        if self.repaired:
            out["repaired"] = {"renamed": self.renamed, "ok_after": self.ok_now}
        return out


def check_store(store: Store, *, repair: bool = False, lock_timeout: float | None = None, on_lock_wait=None) -> StoreCheck:
    """Check the membership invariant; with ``repair`` fix what breaks it (see the module doc)."""
    found = _check(store)
    if not repair or found.ok or store.readonly:
        return found
    lock = store.writer_lock
    lock.acquire(lock_timeout, on_lock_wait)
    try:
        found = _check(store)  # again, now that no writer is between batches
        if not found.ok:
            with store.transaction():
                found.renamed = _repair(store, found)
                store.bump_writer_generation()  # a waiting ingest reloads its state from the repaired rows
            found.repaired = True
    finally:
        lock.release()
    found.after = _check(store)
    return found


def _check(store: Store) -> StoreCheck:
    with store.snapshot():
        return _check_now(store)


def _check_now(store: Store) -> StoreCheck:
    problems = store.membership_problems()
    return StoreCheck(articles=store.count_articles(), stories=store.count_stories(), orphans=problems["orphans"],
                      dangling=problems["dangling"], stale=problems["stale"], conflicts=store.count_conflicts(),
                      sqlite=store.integrity_check())


def _fresh_id(store: Store, seed: str) -> str:
    from samestory.cluster.incremental import story_id_for

    n = 0
    while True:
        sid = story_id_for(f"{seed}#repair" + (f"#{n}" if n else ""))
        if not store.story_id_known(sid):
            return sid
        n += 1


def _repair(store: Store, found: StoreCheck) -> dict[str, str]:
    from samestory.cluster.incremental import story_id_for

    touched: set[str] = set(found.stale)
    renamed: dict[str, str] = {}
    by_story: dict[str, list[str]] = {}
    for aid, sid in found.dangling:
        by_story.setdefault(sid, []).append(aid)
    for sid, members in by_story.items():
        if store.resolve_story_id(sid) == sid:
            touched.add(sid)  # no alias, only no row: the row is rebuilt under its own id
            continue
        new = _fresh_id(store, members[0])  # a retired id: its members get one never given
        for aid in members:
            store.assign(aid, new)
        store.rename_cluster_story(sid, new)
        store.log_story_event("repair", sid, new, members[0])
        renamed[sid] = new
        touched.add(new)
    links = dict(store.duplicate_links())
    for aid in found.orphans:
        link = links.get(aid)
        sid = store.story_of(link.canonical_id) if link is not None else None
        if sid is None:
            sid = story_id_for(aid)
            if store.story_id_known(sid):
                sid = _fresh_id(store, aid)
        store.assign(aid, sid)
        touched.add(sid)
    if touched:
        from samestory.cluster import StoryClusterer

        # the clusterer's term frequencies rank a story's entities and keywords as the ingest does
        clusterer = StoryClusterer()
        for (kind, term), n in store.cluster_df().items():
            clusterer.df_of_kind(kind)[term] = n
        header = store.load_cluster_header() or {}
        clusterer.n_articles_ = header.get("n_articles", 0)
        for sid in sorted(touched):
            _rebuild_row(store, sid, clusterer)
    return renamed


def _rebuild_row(store: Store, story_id: str, clusterer) -> None:
    """The story row recomputed from its members (title, entities and keywords from the
    clusterer's row when it has one); deleted when it has none."""
    from samestory.cluster.incremental import _story_from_dict
    from samestory.story_row import StoryAggregate

    rows = store.story_members(story_id)
    if not rows:
        store.delete_story(story_id)
        return
    base = None
    state = store.cluster_story(story_id)
    if state is not None and state.get("status") != "merged":
        base = clusterer._story_record(_story_from_dict(-1, state))
    aggregate = StoryAggregate.from_rows(rows)
    store.save_story(aggregate.story(story_id, base), aggregate)
