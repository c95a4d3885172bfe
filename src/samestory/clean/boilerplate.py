"""Boilerplate mining: learn the lines an outlet repeats across its articles.

Every site has its own furniture ("Sign up to the Morning Briefing", "Our journalism is
funded by readers like you", a fixed disclaimer). Instead of a rule per site, the miner counts,
per outlet (or domain), in how many distinct articles each line occurs. A line is boilerplate
for that outlet once it was seen in at least ``min_articles`` articles **and** in at least
``min_share`` of the outlet's articles. Lines are compared in a normalized form (case folded,
digits replaced, whitespace collapsed), so "Posted 3 June" and "Posted 14 July" count as one.

Only lines up to ``max_line_chars`` long are counted: long paragraphs are reporting, and an
outlet repeating a long background paragraph across follow-up stories must keep it.

The state is JSON-serializable (``to_state`` / ``from_state``) so the store can persist it
between runs; it holds hashes of lines, never article text. Re-observing the same article
(same ``doc_key``, among the outlet's last ``max_docs_remembered``) does not count twice.

The state is bounded per outlet, whatever the number of articles. Most lines are seen once:
every ``FORGET_EVERY`` articles of an outlet, the lines seen in one article only are forgotten (a
line in a share ``min_share`` of the outlet's articles is seen again long before: it loses at
most a count or two; a forgotten line that repeats is counted again). A hard cap: past
``max_lines_per_outlet`` lines, the least frequent go until at most half remain (fewer than
``lines per article / min_share`` lines can be in that share of articles: never these). Document
keys are kept for the last ``max_docs_remembered`` articles of the outlet: enough for the batches
in flight, since the ingest skips articles it has stored before the miner sees them.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from samestory.clean.junk import normalize_line
from samestory.errors import ArgumentError, StateError

__all__ = ["BoilerplateMiner"]

STATE_VERSION = 1
# bounds of the state per outlet (was 50,000 and 5,000, reached only after
# hundreds of thousands of articles: megabytes, saved every few batches); states saved with larger bounds are loaded with these
MAX_LINES_PER_OUTLET = 4_000
MAX_DOCS_REMEMBERED = 256
FORGET_EVERY = 50  # articles of an outlet between two forgettings of its lines seen once


def _key(outlet: str) -> str:
    return " ".join(outlet.casefold().split())


def _line_hash(line: str) -> str:
    return hashlib.blake2b(normalize_line(line).encode("utf-8"), digest_size=8).hexdigest()


class _OutletStats:
    __slots__ = ("articles", "lines", "docs")

    def __init__(self) -> None:
        self.articles = 0
        self.lines: dict[str, int] = {}
        self.docs: OrderedDict[str, None] = OrderedDict()  # recent doc keys, to ignore re-observation


class BoilerplateMiner:
    """Learns lines repeated across one outlet's articles.

    >>> m = BoilerplateMiner()
    >>> for i in range(3):
    ...     m.observe("Example Post", [f"Story {i} text.", "Share this story with friends"])
    >>> m.is_boilerplate("example post", "Share this story with friends")
    True
    """

    def __init__(
        self,
        *,
        min_articles: int = 3,
        min_share: float = 0.3,
        max_line_chars: int = 300,
        min_line_chars: int = 2,
        max_lines_per_outlet: int = MAX_LINES_PER_OUTLET,
        max_docs_remembered: int = MAX_DOCS_REMEMBERED,
    ) -> None:
        if min_articles < 2:
            raise ArgumentError("min_articles", f"must be >= 2 (a line seen once is not repeated), got {min_articles}")
        if not 0.0 < min_share <= 1.0:
            raise ArgumentError("min_share", f"must be in (0, 1], got {min_share}")
        self.min_articles = min_articles
        self.min_share = min_share
        self.max_line_chars = max_line_chars
        self.min_line_chars = min_line_chars
        self.max_lines_per_outlet = max_lines_per_outlet
        self.max_docs_remembered = max_docs_remembered
        self._outlets: dict[str, _OutletStats] = {}

    # ---- learning

    def _countable(self, line: str) -> bool:
        n = len(line.strip())
        return self.min_line_chars <= n <= self.max_line_chars

    def observe(self, outlet: str, lines: Iterable[str], *, doc_key: str | None = None) -> bool:
        """Count one article's lines for ``outlet``. Returns False when ``doc_key`` was already observed."""
        if not outlet:
            return False
        stats = self._outlets.setdefault(_key(outlet), _OutletStats())
        if doc_key is not None:
            if doc_key in stats.docs:
                return False
            stats.docs[doc_key] = None
            while len(stats.docs) > self.max_docs_remembered:
                stats.docs.popitem(last=False)
        stats.articles += 1
        for h in {_line_hash(ln) for ln in lines if self._countable(ln)}:
            stats.lines[h] = stats.lines.get(h, 0) + 1
        if stats.articles % FORGET_EVERY == 0:
            stats.lines = {h: n for h, n in stats.lines.items() if n > 1}
        if len(stats.lines) > self.max_lines_per_outlet:
            stats.lines = self._forget_rare(stats.lines)
        return True

    def _forget_rare(self, lines: dict[str, int]) -> dict[str, int]:
        """Keep at most half the line budget, the most frequent lines (ties at the cut all go):
        the table then takes that many new lines before the next cut (O(log) per line amortized)."""
        keep = max(1, self.max_lines_per_outlet // 2)
        if len(lines) <= keep:
            return lines
        cut = sorted(lines.values(), reverse=True)[keep]
        return {h: n for h, n in lines.items() if n > cut}

    # ---- asking

    def seen_in(self, outlet: str, line: str) -> int:
        """In how many observed articles of ``outlet`` this line (normalized) occurred."""
        stats = self._outlets.get(_key(outlet or ""))
        if stats is None or not self._countable(line):
            return 0
        return stats.lines.get(_line_hash(line), 0)

    def articles(self, outlet: str) -> int:
        stats = self._outlets.get(_key(outlet or ""))
        return stats.articles if stats else 0

    def is_boilerplate(self, outlet: str, line: str) -> bool:
        n = self.seen_in(outlet, line)
        if n < self.min_articles:
            return False
        return n >= self.min_share * self.articles(outlet)

    def reason(self, outlet: str, line: str) -> str:
        return f"repeated boilerplate (outlet {outlet}, seen in {self.seen_in(outlet, line)} articles)"

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(self._outlets)

    # ---- persistence

    def to_state(self) -> dict[str, Any]:
        """A JSON-serializable snapshot (line hashes and counts; no article text)."""
        return {
            "version": STATE_VERSION,
            "params": {
                "min_articles": self.min_articles,
                "min_share": self.min_share,
                "max_line_chars": self.max_line_chars,
                "min_line_chars": self.min_line_chars,
                "max_lines_per_outlet": self.max_lines_per_outlet,
                "max_docs_remembered": self.max_docs_remembered,
            },
            "outlets": {
                name: {"articles": s.articles, "lines": dict(s.lines), "docs": list(s.docs)}
                for name, s in self._outlets.items()
            },
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> BoilerplateMiner:
        if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
            got = state.get("version") if isinstance(state, dict) else type(state).__name__
            raise StateError(f"boilerplate miner state: expected version {STATE_VERSION}, got {got!r}")
        params = dict(state.get("params", {}))
        for name, bound in (("max_lines_per_outlet", MAX_LINES_PER_OUTLET), ("max_docs_remembered", MAX_DOCS_REMEMBERED)):
            params[name] = min(int(params.get(name, bound)), bound)
        miner = cls(**params)
        for name, data in state.get("outlets", {}).items():
            s = _OutletStats()
            s.articles = int(data.get("articles", 0))
            s.lines = {str(h): int(n) for h, n in data.get("lines", {}).items()}
            if len(s.lines) > miner.max_lines_per_outlet:
                s.lines = miner._forget_rare(s.lines)
            docs = list(data.get("docs", []))
            s.docs = OrderedDict((str(d), None) for d in docs[max(0, len(docs) - miner.max_docs_remembered):])
            miner._outlets[name] = s
        return miner
