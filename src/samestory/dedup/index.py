"""The incremental duplicate index: exact copies, near copies, wire families and versions.

``DedupIndex.add(article)`` returns the article with ``duplicate`` set when it copies, rewrites
or re-publishes an article seen before, else unchanged. ``add_many`` is the bulk path (one
numpy pass for the fingerprints, optionally on 2 processes; for a chunk of articles, every LSH
candidate pair and its J and C are computed in numpy before the per-article loop, which only
sees the pairs some rule can accept).

How a pair is judged (thresholds in ``DedupConfig``, chosen with bench/dedup.py):

1. candidates: same exact hash, same URL (or canonical URL), same outlet + same title, same
   lead (first ``LEAD_WORDS`` words), and MinHash LSH bands (``BandLSH``, datasketch's banding);
2. each candidate pair gets the estimated Jaccard ``J`` (share of equal MinHash values) and the
   estimated containment ``C`` of the smaller shingle set in the larger (equal values over
   equal values plus those where the smaller set's value is below the other's: see
   ``_similarities``);
3. the pair is

   * ``version`` when both have the same URL, or the same outlet with a similar title
     (rapidfuzz token-set ratio >= ``title_similarity``) and ``J >= version``, or the same
     outlet and the same text;
   * ``exact`` when the normalized hashing texts are equal (wire dateline, credit lines and
     scraper junk lines ignored; see fingerprint.py);
   * ``near`` when ``J >= near``, or when the smaller text is a truncated copy:
     ``C >= containment`` and ``J >= containment_min_jaccard`` with at least
     ``min_contained`` shingles;
   * ``wire`` when both credit the same wire and ``J >= wire`` (rewrites of one wire story);
   * else not related. Texts under ``min_shingles`` shingles are only matched exactly or by URL.

Groups and the canonical article: related articles form one group (a new article that links two
groups merges them). The canonical article of a group is the best by, in order:

1. not an aggregator copy: the outlet, site name or URL does not look like an aggregator, and
   the cleaner logged no scraper junk (ad slots, "read more" links, caption shortcodes,
   timestamps/view counters: ``SCRAPER_REASONS``) for it;
2. not a truncated copy of the other (``C >= containment`` and under 80% of its size);
3. earliest ``published`` (articles without a date come after dated ones);
4. earliest arrival.

Every other member links to the canonical with a kind judged against the canonical (if the
member is only related through another member, it keeps the kind of the pair that brought it
in) and its similarity to the canonical (``J``, or ``C`` for truncated copies, 1.0 for exact).

Re-pointing: when a later article is better than the group's canonical (the original outlet
arriving after an aggregator's copy), it becomes the canonical, and every member's link is
judged again against it. ``add`` returns the new article's link; the links of earlier articles
that changed are collected and handed out once by ``take_repointed()`` (article id -> new
link, or ``None`` for the article that became canonical), so a store can update its rows.
``groups()`` and ``link_of()`` always give the current state.

State: ``DedupIndex.from_articles(articles)`` rebuilds the index from stored articles and
trusts their stored ``duplicate`` links (nothing is re-judged); ``to_state()`` /
``from_state()`` keep the fingerprints (~0.7 KB per article as JSON) so a rebuild needs no
re-hashing.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from samestory.dedup.fingerprint import NUM_PERM, SHINGLE, Fingerprint, FingerprintBatch, fingerprint_batch, normalize
from samestory.dedup.lsh import BandLSH
from samestory.dedup.sources import outlet_key
from samestory.dedup.versions import version_diff
from samestory.errors import ArgumentError, StateError
from samestory.models import Article, DuplicateLink
from samestory.text.dates import published_timestamp

__all__ = [
    "DedupConfig",
    "DedupIndex",
    "DuplicateGroup",
    "GroupMember",
    "AGGREGATOR_MARKERS",
    "SCRAPER_REASONS",
    "describe_groups",
    "is_aggregator",
    "url_key",
]

# Removal reasons (substrings, lower case) that mark a scraped / aggregated copy rather than
# the outlet's own page (the cleaner's own footers, share buttons, bylines do not count).
SCRAPER_REASONS = ("ad slot", "read-more", "read more", "read entire", "shortcode", "view counter",
                   "timestamp", "aggregat", "scrape")
# substrings of outlet names, site names and URLs of aggregators and scrapers (lower case)
AGGREGATOR_MARKERS = (
    "aggregat", "newsbreak", "newsnow", "news now", "flipboard", "headtopics", "head topics", "ground.news",
    "groundnews", "inkl.com", "pressreader", "msn.com", "yahoo", "news.google", "google news", "newsbeezer",
    "worldtodaynews", "world-today-news", "smartnews", "upday", "feedly", "newspoint", "dailyhunt", "opera news",
    "squidapp", "latestly", "bignewsnetwork", "newsr.in", "scraped",
)
_AGGREGATOR_RE = re.compile("|".join(re.escape(m) for m in AGGREGATOR_MARKERS))
_AGGREGATOR_EXACT = {"msn", "inkl", "squid", "newsr", "google news", "yahoo news", "apple news"}
_TRACKING = re.compile(r"^(?:utm_[a-z]+|fbclid|gclid|ocid|cmpid|mc_cid|mc_eid|ref|src|at_medium|at_campaign|"
                       r"guccounter|smid|partner|cid)$", re.I)


@dataclass(frozen=True)
class DedupConfig:
    """Thresholds and sketch sizes (the values bench/dedup.py reports)."""

    shingle: int = SHINGLE
    bands: int = 32
    rows: int = 2
    near: float = 0.4
    containment: float = 0.85
    containment_min_jaccard: float = 0.12
    min_contained: int = 25
    wire: float = 0.25
    version: float = 0.3
    title_similarity: float = 80.0
    min_shingles: int = 8

    def __post_init__(self) -> None:
        for name in ("near", "containment", "containment_min_jaccard", "wire", "version"):
            v = getattr(self, name)
            if not 0.0 < v <= 1.0:
                raise ArgumentError(f"DedupConfig.{name}", f"must be in (0, 1], got {v}")
        if self.bands * self.rows > NUM_PERM:
            raise ArgumentError("DedupConfig.bands, rows", f"bands * rows = {self.bands * self.rows} exceeds num_perm {NUM_PERM}")


@dataclass(frozen=True)
class GroupMember:
    article_id: str
    outlet: str
    kind: str  # "canonical", "exact", "near", "wire" or "version"
    similarity: float
    title: str = ""
    published: str | None = None


@dataclass(frozen=True)
class DuplicateGroup:
    """One copy group: the canonical article first in ``members``, then the others by arrival."""

    canonical_id: str
    wire: str | None
    members: tuple[GroupMember, ...]

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.outlet for m in self.members if m.outlet))

    @property
    def size(self) -> int:
        return len(self.members)


def url_key(url: str | None) -> str | None:
    """A URL without scheme, ``www.``, fragment, tracking parameters and trailing slash."""
    if not url:
        return None
    from urllib.parse import parse_qsl, urlencode, urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip().lower() or None
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    query = ""
    if parts.query:
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                           if not _TRACKING.match(k)])
    path = parts.path.rstrip("/") or "/"
    key = f"{host}{path}" + (f"?{query}" if query else "")
    return key if host or path != "/" else None


def is_aggregator(article: Article) -> bool:
    """True when the article looks like an aggregator's or scraper's copy (see the module doc)."""
    for name in (article.outlet, article.site_name, article.url):
        if name and _aggregator_name(name):
            return True
    for rm in article.removed:
        reason = (rm.reason or "").lower()
        if any(r in reason for r in SCRAPER_REASONS):
            return True
    return False


@functools.lru_cache(maxsize=8192)
def _aggregator_name(name: str) -> bool:
    low = name.lower()
    return low.strip() in _AGGREGATOR_EXACT or _AGGREGATOR_RE.search(low) is not None




@functools.lru_cache(maxsize=8192)
def _timestamp(published: str | None) -> float:
    t = published_timestamp(published)
    return math.inf if t is None else t  # undated sorts last


class _Entry:
    __slots__ = ("id", "outlet", "okey", "url", "title", "tkey", "published", "ts", "aggregator", "exact",
                 "size", "wire", "lead")

    def __init__(self, article: Article, exact: str, size: int, wire: str | None, lead: int | None) -> None:
        self.id = article.id
        self.outlet = article.outlet or ""
        self.okey = outlet_key(article.outlet)
        self.url = (url_key(article.canonical_url) or url_key(article.url)) if article.url or article.canonical_url else None
        self.title = article.title or ""
        self.tkey = normalize(self.title)
        self.published = article.published
        self.ts = _timestamp(article.published)
        self.aggregator = is_aggregator(article)
        self.exact = exact if size else None
        self.size = size
        self.wire = wire
        self.lead = lead


class _Group:
    __slots__ = ("canonical", "members", "join", "wire")

    def __init__(self, canonical: int) -> None:
        self.canonical = canonical
        self.members: list[int] = [canonical]
        self.join: dict[int, tuple[str, float]] = {}  # member -> (kind, similarity) of the pair that brought it in
        self.wire: str | None = None


class DedupIndex:
    """Incremental duplicate detection over articles (see the module docstring)."""

    def __init__(self, config: DedupConfig | None = None, *, processes: int = 1) -> None:
        self.config = config or DedupConfig()
        self.processes = processes
        self._entries: list[_Entry] = []
        self._by_id: dict[str, int] = {}
        self._values = np.empty((1024, NUM_PERM), dtype=np.uint32)
        self._sizes = np.empty(1024, dtype=np.int64)
        self._exact: dict[str, int] = {}
        self._urls: dict[str, int] = {}
        self._titles: dict[tuple[str, str], int] = {}
        self._leads: dict[int, int] = {}
        self._lsh = BandLSH(self.config.bands, self.config.rows, NUM_PERM)
        self._group_of: dict[int, int] = {}  # member -> group id (only for grouped articles)
        self._groups: dict[int, _Group] = {}
        self._links: dict[int, DuplicateLink] = {}
        self._dirty: set[int] = set()
        self._reported: dict[int, DuplicateLink | None] = {}
        self._batch: set[int] = set()
        cfg = self.config
        # only pairs with J at least this can be accepted by a rule other than same URL / same text
        self._jaccard_floor = min(cfg.containment_min_jaccard, cfg.wire, cfg.version, cfg.near)

    # ---- public API ----
    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._by_id

    def add(self, article: Article) -> Article:
        """Index ``article``; return it with ``duplicate`` set when it relates to an earlier one."""
        return self.add_many([article])[0]

    def add_many(self, articles: Iterable[Article], *, processes: int | None = None) -> list[Article]:
        """Index many articles in order (the bulk path); returns them with their links as they
        stand after the whole batch (links of earlier articles that changed: ``take_repointed``)."""
        articles = list(articles)
        fresh = [a for a in dict((a.id, a) for a in articles if a.id not in self._by_id).values()]
        procs = self.processes if processes is None else processes
        added: list[int] = []
        for chunk, fps in _fingerprinted(fresh, self.config.shingle, procs):
            added.extend(self._index_chunk(chunk, fps))
        out = []
        batch_ids = set(added)
        for a in articles:
            idx = self._by_id[a.id]
            link = self._links.get(idx)
            if idx in batch_ids:
                if link is None:
                    self._reported.pop(idx, None)
                else:
                    self._reported[idx] = link
                self._dirty.discard(idx)
            out.append(a if a.duplicate == link else dataclasses.replace(a, duplicate=link))
        return out

    def _index_chunk(self, chunk: list[Article], fb: FingerprintBatch) -> list[int]:
        """Index one chunk in arrival order. Candidate pairs (LSH runs, and earlier rows of the
        chunk in batch mode) and their similarities are computed for the whole chunk in numpy
        first; the Python loop per article only sees the pairs some rule could accept."""
        n = len(chunk)
        if not n:
            return []
        first = len(self._entries)  # the chunk's articles get the ids first, first + 1, ...
        self._reserve(first + n)
        self._values[first : first + n] = fb.values
        self._sizes[first : first + n] = fb.sizes
        keys = self._lsh.band_keys(fb.values)
        # tiny texts stay out of the bands (all empty texts would collide)
        banded = fb.sizes >= self.config.min_shingles
        rows = np.flatnonzero(banded)
        batch_mode = n >= _BATCH_MODE
        banded_keys = keys[rows]
        order = np.argsort(banded_keys.ravel())  # shared by the lookups and the insert
        prow, pid = self._lsh.query_pairs(banded_keys, order)
        prow = rows[prow]
        if batch_mode:
            erow, eearlier = BandLSH.earlier_pairs(banded_keys, order)
            prow = np.concatenate([prow, rows[erow]])
            pid = np.concatenate([pid, rows[eearlier] + first])
        prow, pid, pj, pc = self._pair_table(prow + first, pid)
        bounds = np.searchsorted(prow, np.arange(first, first + n + 1)).tolist()
        pid_l, pj_l, pc_l = pid.tolist(), pj.tolist(), pc.tolist()
        exacts, wires, leads, sizes = fb.exacts, fb.wires, fb.leads, fb.sizes.tolist()
        entries, by_id = self._entries, self._by_id
        for i, article in enumerate(chunk):
            idx = first + i
            e = _Entry(article, exacts[i], sizes[i], wires[i], leads[i])
            entries.append(e)
            by_id[e.id] = idx
            lo, hi = bounds[i], bounds[i + 1]
            extra = () if batch_mode or not banded[i] else self._lsh.query_recent(keys[i])
            self._judge(idx, pid_l[lo:hi], pj_l[lo:hi], pc_l[lo:hi], extra)
            if banded[i] and not batch_mode:
                self._lsh.insert(idx, keys[i])
        if batch_mode:
            self._lsh.insert_batch(rows + first, banded_keys, order)
        return list(range(first, first + n))

    def _pair_table(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Distinct (a, b) pairs sorted by a, with their estimated Jaccard and containment,
        keeping only pairs with ``J >=`` the lowest Jaccard any rule accepts."""
        keep = a != b
        key = np.unique(a[keep] * np.int64(1 << 31) + b[keep])
        a, b = key >> 31, key & np.int64((1 << 31) - 1)
        js = np.empty(len(a))
        cs = np.empty(len(a))
        step = 8192  # pairs per pass: bounds the (step, NUM_PERM) temporaries
        for s in range(0, len(a), step):
            js[s : s + step], cs[s : s + step] = self._pair_similarities(a[s : s + step], b[s : s + step])
        keep = js >= self._jaccard_floor
        return a[keep], b[keep], js[keep], cs[keep]

    def link_of(self, article_id: str) -> DuplicateLink | None:
        """The current link of an indexed article (None: canonical or unrelated)."""
        idx = self._by_id.get(article_id)
        return None if idx is None else self._links.get(idx)

    def take_repointed(self) -> dict[str, DuplicateLink | None]:
        """Links of earlier articles that changed since they were returned (each handed out once)."""
        out: dict[str, DuplicateLink | None] = {}
        for idx in sorted(self._dirty):
            cur = self._links.get(idx)
            if self._reported.get(idx) != cur:
                out[self._entries[idx].id] = cur
                if cur is None:
                    self._reported.pop(idx, None)
                else:
                    self._reported[idx] = cur
        self._dirty.clear()
        return out

    def groups(self) -> list[DuplicateGroup]:
        """Every group of two or more articles, canonical first, in order of the canonical's arrival."""
        out = []
        for gid in sorted(self._groups, key=lambda g: self._groups[g].canonical):
            g = self._groups[gid]
            c = self._entries[g.canonical]
            members = [GroupMember(c.id, c.outlet, "canonical", 1.0, c.title, c.published)]
            for m in sorted(g.members):
                if m == g.canonical:
                    continue
                e = self._entries[m]
                link = self._links[m]
                members.append(GroupMember(e.id, e.outlet, link.kind, link.similarity, e.title, e.published))
            out.append(DuplicateGroup(c.id, g.wire, tuple(members)))
        return out

    @classmethod
    def from_articles(cls, articles: Iterable[Article], config: DedupConfig | None = None, *,
                      processes: int = 1, batch: int = 2048) -> DedupIndex:
        """Rebuild from stored articles, trusting their ``duplicate`` links (nothing re-judged)."""
        index = cls(config, processes=processes)
        pending: list[Article] = []
        links: list[tuple[int, DuplicateLink]] = []

        def flush() -> None:
            fb = fingerprint_batch([a.text for a in pending], index.config.shingle, processes=processes)
            index._index_only(pending, fb, links)
            pending.clear()

        for a in articles:
            if a.id in index._by_id:
                continue
            pending.append(a)
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
        index._apply_links(links)
        return index

    def to_state(self) -> dict[str, Any]:
        """Fingerprints and links as JSON-ready data (rebuild with ``from_state(state, articles)``)."""
        n = len(self._entries)
        return {
            "version": 1,
            "config": dataclasses.asdict(self.config),
            "ids": [e.id for e in self._entries],
            "minhash": base64.b64encode(self._values[:n].tobytes()).decode("ascii"),
            "sizes": self._sizes[:n].tolist(),
            "exact": [e.exact for e in self._entries],
            "wire": [e.wire for e in self._entries],
            "lead": [e.lead for e in self._entries],
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any], articles: Iterable[Article]) -> DedupIndex:
        """Rebuild from ``to_state`` output and the stored articles (their metadata and links),
        without fingerprinting again; articles missing from the state are fingerprinted."""
        if state.get("version") != 1:
            raise StateError(f"dedup state version {state.get('version')!r} is not supported (expected 1)")
        index = cls(DedupConfig(**state["config"]))
        ids = state["ids"]
        pos = {aid: i for i, aid in enumerate(ids)}
        values = np.frombuffer(base64.b64decode(state["minhash"]), dtype=np.uint32).reshape(len(ids), NUM_PERM)
        known: list[Article] = []
        known_fps: list[Fingerprint] = []
        unknown: list[Article] = []
        for a in articles:
            i = pos.get(a.id)
            if i is None:
                unknown.append(a)
            else:
                known.append(a)
                known_fps.append(Fingerprint(state["exact"][i] or "", values[i].copy(), int(state["sizes"][i]),
                                             state["wire"][i], False, state["lead"][i]))
        links: list[tuple[int, DuplicateLink]] = []
        index._index_only(known, FingerprintBatch.of(known_fps), links)
        if unknown:
            index._index_only(unknown, fingerprint_batch([a.text for a in unknown], index.config.shingle), links)
        index._apply_links(links)
        return index

    def memory_bytes(self) -> int:
        """Bytes in the numpy arrays (MinHash values, sizes, LSH); Python objects come on top."""
        return int(self._values.nbytes + self._sizes.nbytes + self._lsh.nbytes())

    # ---- internals ----
    def _reserve(self, n: int) -> None:
        """Room for ``n`` articles in the value and size arrays (grown by doubling)."""
        if n > len(self._values):
            size = max(n, 2 * len(self._values))
            values = np.empty((size, NUM_PERM), dtype=np.uint32)
            values[: len(self._entries)] = self._values[: len(self._entries)]
            sizes = np.empty(size, dtype=np.int64)
            sizes[: len(self._entries)] = self._sizes[: len(self._entries)]
            self._values, self._sizes = values, sizes

    def _register_keys(self, idx: int) -> None:
        e = self._entries[idx]
        if e.exact is not None:
            self._exact.setdefault(e.exact, idx)
        if e.url:
            self._urls.setdefault(e.url, idx)
        if e.okey and e.tkey:
            self._titles.setdefault((e.okey, e.tkey), idx)
        if e.lead is not None:
            self._leads.setdefault(e.lead, idx)

    def _index_only(self, articles: Sequence[Article], fb: FingerprintBatch,
                    links: list[tuple[int, DuplicateLink]]) -> None:
        if not len(fb):
            return
        first = len(self._entries)
        self._reserve(first + len(fb))
        self._values[first : first + len(fb)] = fb.values
        self._sizes[first : first + len(fb)] = fb.sizes
        sizes = fb.sizes.tolist()
        for i, a in enumerate(articles):
            e = _Entry(a, fb.exacts[i], sizes[i], fb.wires[i], fb.leads[i])
            self._entries.append(e)
            self._by_id[e.id] = first + i
            self._register_keys(first + i)
            if a.duplicate is not None:
                links.append((first + i, a.duplicate))
        rows = np.flatnonzero(fb.sizes >= self.config.min_shingles)
        self._lsh.insert_batch(rows + first, self._lsh.band_keys(fb.values[rows]))

    def _apply_links(self, links: list[tuple[int, DuplicateLink]]) -> None:
        # a stored link may point at an article that itself links on (a store that missed a
        # re-pointing): follow the chain to its root
        target = {self._entries[idx].id: link.canonical_id for idx, link in links}
        for idx, link in links:
            root, hops = link.canonical_id, 0
            while root in target and hops < 16 and target[root] != root:
                root, hops = target[root], hops + 1
            if root != link.canonical_id:
                link = dataclasses.replace(link, canonical_id=root)
            cidx = self._by_id.get(link.canonical_id)
            if cidx is None or cidx == idx:
                continue
            gid = self._group_of.get(cidx)
            if gid is None:
                gid = cidx
                self._groups[gid] = _Group(cidx)
                self._group_of[cidx] = gid
            g = self._groups[gid]
            if self._group_of.get(idx) is not None:
                continue
            g.canonical = cidx
            g.members.append(idx)
            g.join[idx] = (link.kind, link.similarity)
            g.wire = g.wire or link.wire
            self._group_of[idx] = gid
            self._links[idx] = link
            self._reported[idx] = link

    def _pair_similarities(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(estimated Jaccard, estimated containment of the smaller set in the larger) of the
        pairs ``(a[i], b[i])`` of article numbers, as arrays.

        Containment comes from the same MinHash values, read per permutation: the minimum of
        the union lies in A and B (values equal), only in A (A's value smaller) or only in B,
        with probabilities |A&B|, |A-B| and |B-A| over |A|B|, so |A&B|/|A| is estimated by
        ``equal / (equal + A smaller)``. A subset never has a smaller value (a truncated copy
        scores 1.0) and the error shrinks as C nears 1, unlike ``J * (|A|+|B|) / ((1+J) |A|)``
        from the set sizes, which missed 0.9-0.97 containments of short texts in long ones."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        va = self._values.take(a, axis=0)
        vb = self._values.take(b, axis=0)
        eq = np.count_nonzero(va == vb, axis=1)
        # the smaller set first: its values below the other's are its shingles outside the other
        swap = self._sizes.take(a) > self._sizes.take(b)
        if swap.any():
            va[swap], vb[swap] = vb[swap], va[swap].copy()
        outside = np.count_nonzero(va < vb, axis=1)
        return eq / NUM_PERM, eq / np.maximum(eq + outside, 1)

    def _similarities(self, idx: int, others: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """(J, C) of ``idx`` against each of ``others`` (see ``_pair_similarities``)."""
        others = np.asarray(others, dtype=np.int64)
        return self._pair_similarities(np.full(len(others), idx, dtype=np.int64), others)

    def _similarity(self, x: int, y: int) -> tuple[float, float]:
        """(J, C) of one pair (the scalar path of ``_pair_similarities``)."""
        vx, vy = self._values[x], self._values[y]
        if self._sizes[x] > self._sizes[y]:
            vx, vy = vy, vx
        eq = int(np.count_nonzero(vx == vy))
        outside = int(np.count_nonzero(vx < vy))
        return eq / NUM_PERM, eq / max(eq + outside, 1)

    def _classify(self, x: int, y: int, j: float, c: float) -> tuple[str, float] | None:
        """How article ``x`` relates to article ``y`` (kind, similarity), or None."""
        cfg = self.config
        ex, ey = self._entries[x], self._entries[y]
        same_outlet = bool(ex.okey) and ex.okey == ey.okey
        if ex.url and ex.url == ey.url and (same_outlet or not ex.okey or not ey.okey):
            return ("version", 1.0 if ex.exact == ey.exact else j)
        if ex.exact is not None and ex.exact == ey.exact:
            return ("version", 1.0) if same_outlet else ("exact", 1.0)
        small = min(ex.size, ey.size)
        if small < cfg.min_shingles:
            return None
        titled = same_outlet and bool(ex.tkey) and (
            ex.tkey == ey.tkey
            or fuzz.token_set_ratio(ex.tkey, ey.tkey, processor=default_process) >= cfg.title_similarity)
        truncated = small >= cfg.min_contained and c >= cfg.containment and j >= cfg.containment_min_jaccard
        if j >= cfg.near or truncated:
            sim = max(j, c) if truncated and j < cfg.near else j
            return ("version" if titled else "near", sim)
        if titled and j >= cfg.version:
            return ("version", j)
        if ex.wire and ex.wire == ey.wire and j >= cfg.wire:
            return ("wire", j)
        return None

    def _judge(self, idx: int, others: list[int], js: list[float], cs: list[float], extra: Iterable[int] = ()) -> None:
        """Judge article ``idx`` against its LSH candidates (``others`` with their J and C,
        already above the Jaccard floor) and against ``extra`` candidates plus the exact, URL,
        lead and title tables (similarity computed here)."""
        e = self._entries[idx]
        cands = set(extra) if extra else set()
        # look up and register in one step (setdefault returns the first article with the key)
        if e.exact is not None:
            hit = self._exact.setdefault(e.exact, idx)
            if hit != idx:
                cands.add(hit)
        if e.url:
            hit = self._urls.setdefault(e.url, idx)
            if hit != idx:
                cands.add(hit)
        if e.lead is not None:
            hit = self._leads.setdefault(e.lead, idx)
            if hit != idx:
                cands.add(hit)
        if e.okey and e.tkey:
            hit = self._titles.setdefault((e.okey, e.tkey), idx)
            if hit != idx:
                cands.add(hit)
        if cands:
            cands.discard(idx)
            if others:
                cands.difference_update(others)
        if cands:
            others, js, cs = list(others), list(js), list(cs)
            floor = self._jaccard_floor
            for o in sorted(cands):
                j, c = self._similarity(idx, o)
                # every rule but the same-URL one needs J >= the Jaccard floor (or identical texts, J = 1)
                if j >= floor or (e.url and self._entries[o].url == e.url):
                    others.append(o)
                    js.append(j)
                    cs.append(c)
        if not others:
            return
        matched: list[tuple[int, str, float]] = []
        for o, j, c in zip(others, js, cs):
            verdict = self._classify(idx, o, j, c)
            if verdict is not None:
                matched.append((o, verdict[0], verdict[1]))
        if not matched:
            return
        # the group(s) it joins; the best pair is the one that brought it in
        matched.sort(key=lambda m: (-_KIND_RANK[m[1]], -m[2], m[0]))
        best_kind, best_sim = matched[0][1], matched[0][2]
        gids = []
        for o, _, _ in matched:
            gid = self._group_of.get(o)
            if gid is None:
                gid = o
                self._groups[gid] = _Group(o)
                self._group_of[o] = gid
            if gid not in gids:
                gids.append(gid)
        # merge smaller groups into the largest
        gids.sort(key=lambda g: -len(self._groups[g].members))
        target = self._groups[gids[0]]
        old_canonicals = {self._groups[g].canonical for g in gids}
        for gid in gids[1:]:
            g = self._groups.pop(gid)
            for m in g.members:
                self._group_of[m] = gids[0]
            target.members.extend(g.members)
            target.join.update(g.join)
            # the old canonical joins through the pair that linked the groups
            target.join.setdefault(g.canonical, (best_kind, best_sim))
            target.wire = target.wire or g.wire
        target.members.append(idx)
        target.join[idx] = (best_kind, best_sim)
        self._group_of[idx] = gids[0]
        canonical = min(old_canonicals | {idx}, key=lambda m: self._rank(m, old_canonicals | {idx}))
        wire_before = target.wire
        changed = canonical != target.canonical or len(gids) > 1
        target.canonical = canonical
        if changed or (target.wire is None and self._entries[idx].wire):
            target.wire = self._group_wire(target)
        if changed or target.wire != wire_before:
            self._relink_all(target)
        else:
            self._relink(target, idx)

    def _rank(self, m: int, pool: set[int]) -> tuple:
        """Sort key for the canonical choice (smaller is better; see the module docstring)."""
        e = self._entries[m]
        truncated = 0
        for o in pool:
            if o == m:
                continue
            if self._sizes[m] < 0.8 * self._sizes[o]:
                _, c = self._similarity(m, o)
                if c >= self.config.containment:
                    truncated = 1
                    break
        return (e.aggregator, truncated, e.ts, m)

    def _group_wire(self, g: _Group) -> str | None:
        counts: dict[str, int] = {}
        for m in g.members:
            w = self._entries[m].wire
            if w:
                counts[w] = counts.get(w, 0) + 1
        cw = self._entries[g.canonical].wire
        if cw:
            return cw
        return max(counts, key=lambda w: (counts[w], w)) if counts else None

    def _relink(self, g: _Group, m: int) -> None:
        if m == g.canonical:
            if m in self._links:
                del self._links[m]
                self._dirty.add(m)
            return
        j, c = self._similarity(m, g.canonical)
        verdict = self._classify(m, g.canonical, j, c)
        if verdict is None:
            kind, _ = g.join.get(m, ("near", 0.0))
            verdict = (kind, j)
        link = DuplicateLink(self._entries[g.canonical].id, verdict[0], round(verdict[1], 4), g.wire)
        if self._links.get(m) != link:
            self._links[m] = link
            self._dirty.add(m)

    def _relink_all(self, g: _Group) -> None:
        for m in g.members:
            self._relink(g, m)


_KIND_RANK = {"exact": 4, "version": 3, "near": 2, "wire": 1}
_BATCH_MODE = 16  # batches at least this big are looked up and inserted as whole numpy runs
_CHUNK = 1024  # articles fingerprinted and indexed per step of add_many


def _fingerprint_texts(args: tuple[list[str], int]) -> FingerprintBatch:
    texts, k = args
    return fingerprint_batch(texts, k)


def _fingerprinted(articles: list[Article], k: int, processes: int):
    """(chunk, fingerprints) in order; with ``processes > 1`` worker processes fingerprint the
    next chunks while the caller indexes the current one."""
    chunks = [articles[i : i + _CHUNK] for i in range(0, len(articles), _CHUNK)]
    if processes <= 1 or len(chunks) < 2:
        for c in chunks:
            yield c, fingerprint_batch([a.text for a in c], k)
        return
    import multiprocessing as mp

    with mp.get_context("fork").Pool(processes) as pool:
        jobs = (([a.text for a in c], k) for c in chunks)
        yield from zip(chunks, pool.imap(_fingerprint_texts, jobs))


def describe_groups(groups: Sequence[DuplicateGroup], texts: Mapping[str, str] | None = None) -> list[dict]:
    """JSON-ready description of groups for ``samestory duplicates``; with ``texts`` (article
    id -> clean text), version members carry a sentence diff against the canonical."""
    out = []
    for g in groups:
        members = []
        for m in g.members[1:]:
            d: dict[str, Any] = {"id": m.article_id, "outlet": m.outlet, "kind": m.kind,
                                 "similarity": round(m.similarity, 3), "title": m.title, "published": m.published}
            if m.kind == "version" and texts and g.canonical_id in texts and m.article_id in texts:
                d["diff"] = version_diff(texts[g.canonical_id], texts[m.article_id])
            members.append(d)
        c = g.members[0]
        out.append({
            "canonical": g.canonical_id,
            "outlet": c.outlet,
            "title": c.title,
            "published": c.published,
            "wire": g.wire,
            "size": g.size,
            "outlets": list(g.outlets),
            "members": members,
        })
    return out
