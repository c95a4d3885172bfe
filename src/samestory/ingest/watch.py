"""Feed watching: the library side of ``samestory watch FEEDS_FILE [--every 10m]``.

``FeedWatcher.poll_once()`` fetches every feed once with a conditional GET (the ETag and
Last-Modified it saw last time), and returns only entries it has not returned before, as
RawDocs, plus a Failure for each feed that is down or broken (the other feeds go on). Its state
is a plain JSON-serializable dict (``watcher.state``) that the caller persists; pass it back
(or a path to a JSON file, which the watcher then loads and saves itself) to resume.

Typical wiring in a CLI::

    feeds = read_feeds_file("feeds.txt")
    with Fetcher() as fetcher:
        watcher = FeedWatcher(feeds, fetcher, state="watch-state.json")
        for docs, failures in watch_loop(watcher, parse_every("10m")):
            ...ingest docs, report failures...

The first poll returns every entry currently in the feeds. An entry whose full text cannot be
fetched is retried on the next polls, then given up after ``max_attempts`` (it is reported each time).

State layout (version 1)::

    {"version": 1, "feeds": {URL: {"etag": str|None, "last_modified": str|None,
        "seen": [entry keys, oldest first], "attempts": {entry key: failed tries},
        "last_polled": ISO time, "last_status": int|None, "last_error": str|None}}}
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from samestory.errors import ArgumentError, IngestError, InputError
from samestory.ingest._common import decode_bytes, failure_from
from samestory.ingest.feeds import FULL_TEXT_MIN_CHARS, entry_to_doc, parse_feed
from samestory.ingest.fetch import Fetcher
from samestory.ingest.urls import is_url
from samestory.models import Failure, RawDoc

__all__ = ["FeedWatcher", "read_feeds_file", "parse_every", "watch_loop"]

STATE_VERSION = 1


def parse_every(value: str | float | int) -> float:
    """Seconds in an interval like ``"10m"``, ``"90s"``, ``"1h"``, ``"1h30m"`` or a bare number of seconds."""
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        text = value.strip().lower()
        if re.fullmatch(r"\d+(\.\d+)?", text):
            seconds = float(text)
        else:
            parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", text)
            if not parts or re.sub(r"(\d+(?:\.\d+)?)\s*([smhd])", "", text).strip():
                raise ArgumentError("interval", f"{value!r} is not an interval (write e.g. 90s, 10m, 1h)")
            unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}
            seconds = sum(float(n) * unit[u] for n, u in parts)
    if seconds <= 0:
        raise ArgumentError("interval", f"must be positive, got {value!r}")
    return seconds


def read_feeds_file(path: str | Path) -> list[str]:
    """Feed URLs from a file: one a line, ``#`` comments and blank lines ignored. Raises IngestError."""
    path = Path(path)
    try:
        text = decode_bytes(path.read_bytes())[0]
    except OSError as e:
        raise IngestError(str(path), f"could not read the feeds file: {e.strerror or e}") from None
    feeds: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line):
            raise IngestError(str(path), f"not an http(s) feed URL: {line[:100]!r}", f"line {n}")
        if line not in feeds:
            feeds.append(line)
    if not feeds:
        raise IngestError(str(path), "no feed URLs in the file")
    return feeds


class FeedWatcher:
    """Polls feeds and returns only new entries; see the module docstring."""

    def __init__(
        self,
        feeds: Iterable[str],
        fetcher: Fetcher,
        state: dict[str, Any] | str | Path | None = None,
        *,
        outlet: str | None = None,
        full_text_min_chars: int = FULL_TEXT_MIN_CHARS,
        max_seen: int = 5000,
        max_attempts: int = 3,
    ) -> None:
        self.feeds = list(dict.fromkeys(feeds))
        self.fetcher = fetcher
        self.outlet = outlet
        self.full_text_min_chars = full_text_min_chars
        self.max_seen = max_seen
        self.max_attempts = max_attempts
        self.state_path: Path | None = None
        if isinstance(state, (str, Path)):
            self.state_path = Path(state)
            state = self._load(self.state_path)
        self.state: dict[str, Any] = state if state is not None else {}
        self.state.setdefault("version", STATE_VERSION)
        self.state.setdefault("feeds", {})

    @staticmethod
    def _load(path: Path) -> dict[str, Any]:
        if not path.exists():
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise IngestError(str(path), f"watch state is unreadable ({e}); move it away to start afresh") from None
        if not isinstance(data, dict) or not isinstance(data.get("feeds", {}), dict):
            raise IngestError(str(path), "watch state is not a samestory watch state; move it away to start afresh")
        return data

    def save(self, path: str | Path | None = None) -> None:
        """Write the state as JSON (atomically: a crash never leaves half a file)."""
        target = Path(path) if path else self.state_path
        if target is None:
            raise ArgumentError("path", "no state path: pass one to save() or to FeedWatcher(state=PATH)")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".watch-", suffix=".json", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.state, f, indent=1, sort_keys=True)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _feed_state(self, url: str) -> dict[str, Any]:
        fs = self.state["feeds"].setdefault(url, {})
        fs.setdefault("etag", None)
        fs.setdefault("last_modified", None)
        fs.setdefault("seen", [])
        fs.setdefault("attempts", {})
        return fs

    def poll_once(self) -> tuple[list[RawDoc], list[Failure]]:
        """Poll every feed once. Returns the new entries as RawDocs and a Failure per problem."""
        docs: list[RawDoc] = []
        failures: list[Failure] = []
        for url in self.feeds:
            try:
                self._poll_feed(url, docs, failures)
            except Exception as e:  # noqa: BLE001 - one feed never stops the others
                failures.append(failure_from(e, url))
                self._feed_state(url)["last_error"] = failures[-1].reason
        if self.state_path is not None:
            self.save()
        return docs, failures

    def _poll_feed(self, url: str, docs: list[RawDoc], failures: list[Failure]) -> None:
        fs = self._feed_state(url)
        fs["last_polled"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        try:
            res = self.fetcher.fetch(url, etag=fs["etag"], last_modified=fs["last_modified"])
        except InputError as e:
            fs["last_error"] = e.reason
            fs["last_status"] = None
            failures.append(Failure(url, f"feed is unreachable: {e.reason}", record=e.record))
            return
        fs["last_status"] = res.status
        fs["last_error"] = None
        if res.not_modified:
            return
        fs["etag"] = res.etag
        fs["last_modified"] = res.last_modified
        try:
            feed = parse_feed(res.body, source=url, base_url=res.final_url)
        except InputError as e:
            fs["last_error"] = e.reason
            failures.append(Failure(url, e.reason, record=e.record))
            return
        seen = fs["seen"]
        seen_set = set(seen)
        attempts: dict[str, int] = fs["attempts"]
        for entry in feed.entries:
            if entry.key in seen_set:
                continue
            try:
                doc = entry_to_doc(feed, entry, outlet=self.outlet, fetcher=self.fetcher, full_text_min_chars=self.full_text_min_chars)
            except InputError as e:
                tries = attempts.get(entry.key, 0) + 1
                reason = e.reason + (f" (attempt {tries} of {self.max_attempts})" if self.max_attempts > 1 else "")
                failures.append(Failure(url, reason, record=e.record))
                if tries >= self.max_attempts:
                    attempts.pop(entry.key, None)
                    seen.append(entry.key)  # give up: never report it again
                    seen_set.add(entry.key)
                else:
                    attempts[entry.key] = tries
                continue
            attempts.pop(entry.key, None)
            seen.append(entry.key)
            seen_set.add(entry.key)
            docs.append(doc)
        if len(seen) > self.max_seen:
            del seen[: len(seen) - self.max_seen]


def watch_loop(
    watcher: FeedWatcher,
    every: float,
    *,
    polls: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[tuple[list[RawDoc], list[Failure]]]:
    """Poll forever (or ``polls`` times), ``every`` seconds apart, yielding each poll's result."""
    n = 0
    while polls is None or n < polls:
        started = time.monotonic()
        yield watcher.poll_once()
        n += 1
        if polls is not None and n >= polls:
            return
        sleep(max(0.0, every - (time.monotonic() - started)))
