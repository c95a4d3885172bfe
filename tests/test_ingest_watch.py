"""FeedWatcher: conditional GET, only new entries, a feed that is down, resumable JSON state."""

from __future__ import annotations

import json

import pytest

from ingest_localserver import HTML_PAGE, LocalServer, local_resolver
from samestory.errors import IngestError
from samestory.ingest.fetch import Fetcher
from samestory.ingest.watch import FeedWatcher, parse_every, read_feeds_file, watch_loop
from samestory.models import Failure

LONG = " ".join(["Crews worked through the night to restore power to the valley."] * 25)


def rss(title: str, items: list[tuple[str, str]]) -> str:
    body = "".join(f"<item><title>{t}</title><guid>{g}</guid><link>https://w.test/{g}</link><description>{LONG}</description></item>" for g, t in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>'


@pytest.fixture
def server():
    with LocalServer() as s:
        yield s


def fetcher():
    return Fetcher(allow_private=True, min_interval=0, backoff=0.01, retries=0)


def test_only_new_entries_and_conditional_get(server, tmp_path):
    route = server.add("/feed", rss("Valley Post", [("g1", "Power cut"), ("g2", "Schools shut")]), etag='"e1"', headers={"Content-Type": "application/rss+xml"})
    with fetcher() as f:
        w = FeedWatcher([server.url("/feed")], f)
        docs, fails = w.poll_once()
        assert [d.title for d in docs] == ["Power cut", "Schools shut"] and fails == []
        assert docs[0].outlet == "Valley Post"
        docs, fails = w.poll_once()  # unchanged: the server answers 304
        assert docs == [] and fails == []
        assert server.hits("/feed")[-1].headers["if-none-match"] == '"e1"'
        assert w.state["feeds"][server.url("/feed")]["last_status"] == 304
        # a new entry appears (and the ETag changes)
        route.body = rss("Valley Post", [("g3", "Power back"), ("g1", "Power cut"), ("g2", "Schools shut")]).encode()
        route.etag = '"e2"'
        docs, fails = w.poll_once()
        assert [d.title for d in docs] == ["Power back"]
    json.dumps(w.state)  # the state is JSON-serializable


def test_a_feed_that_is_down_does_not_stop_the_others(server):
    server.add("/ok", rss("Up", [("u1", "Fine")]), headers={"Content-Type": "application/rss+xml"})
    server.add("/down", status=500)
    server.add("/junk", b"this is not a feed", headers={"Content-Type": "application/rss+xml"})
    with fetcher() as f:
        w = FeedWatcher([server.url("/down"), server.url("/junk"), server.url("/ok")], f)
        docs, fails = w.poll_once()
    assert [d.title for d in docs] == ["Fine"]
    reasons = {x.source: x.reason for x in fails}
    assert "HTTP 500" in reasons[server.url("/down")] and "unreachable" in reasons[server.url("/down")]
    assert "not an RSS or Atom feed" in reasons[server.url("/junk")]
    assert w.state["feeds"][server.url("/down")]["last_error"]


def test_state_file_round_trip(server, tmp_path):
    server.add("/feed", rss("P", [("a", "A"), ("b", "B")]), headers={"Content-Type": "application/rss+xml"})
    state = tmp_path / "state" / "watch.json"
    with fetcher() as f:
        docs, _ = FeedWatcher([server.url("/feed")], f, state=state).poll_once()
        assert len(docs) == 2 and state.is_file()
        docs, _ = FeedWatcher([server.url("/feed")], f, state=state).poll_once()  # a new process, same state
        assert docs == []
    state.write_text("{broken")
    with pytest.raises(IngestError, match="watch state is unreadable"):
        FeedWatcher([server.url("/feed")], None, state=state)  # type: ignore[arg-type]


def test_full_text_failures_are_retried_then_given_up(server):
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><item><title>X</title><guid>x</guid><link>{server.url("/missing")}</link><description>short</description></item></channel></rss>'
    server.add("/feed", feed, headers={"Content-Type": "application/rss+xml"})
    with fetcher() as f:
        w = FeedWatcher([server.url("/feed")], f, max_attempts=2)
        reasons = []
        for expected in (1, 1, 0):
            docs, fails = w.poll_once()
            assert docs == [] and len(fails) == expected
            reasons += [x.reason for x in fails]
    assert all("HTTP 404" in r for r in reasons) and "attempt 2 of 2" in reasons[1]


def test_summary_entries_are_fetched_in_full(server):
    server.add("/story", HTML_PAGE.format(title="T", body="Full text here."), headers={"Content-Type": "text/html"})
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><item><title>T</title><link>{server.url("/story")}</link><description>teaser</description></item></channel></rss>'
    server.add("/feed", feed, headers={"Content-Type": "application/rss+xml"})
    with fetcher() as f:
        (doc,), fails = FeedWatcher([server.url("/feed")], f).poll_once()
    assert "Full text here." in doc.content and fails == []


def test_watch_loop_and_helpers(server, tmp_path):
    server.add("/feed", rss("P", [("a", "A")]), headers={"Content-Type": "application/rss+xml"})
    slept = []
    with fetcher() as f:
        polls = list(watch_loop(FeedWatcher([server.url("/feed")], f), 60, polls=3, sleep=slept.append))
    assert [len(d) for d, _ in polls] == [1, 0, 0] and len(slept) == 2 and all(55 < s <= 60 for s in slept)
    assert parse_every("10m") == 600 and parse_every("1h30m") == 5400 and parse_every("45") == 45
    with pytest.raises(ValueError):
        parse_every("soon")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("# my feeds\nhttps://a.test/rss\n\nhttps://b.test/atom  # comment\nhttps://a.test/rss\n")
    assert read_feeds_file(feeds) == ["https://a.test/rss", "https://b.test/atom"]
    feeds.write_text("https://a.test/rss\nftp://nope\n")
    with pytest.raises(IngestError, match="line 2"):
        read_feeds_file(feeds)


def test_failures_are_failures(server):
    with Fetcher(resolver=local_resolver({})) as f:  # no DNS: the test resolver knows no names
        _, fails = FeedWatcher(["http://no-such-host.invalid/feed"], f).poll_once()
    assert len(fails) == 1 and isinstance(fails[0], Failure) and "could not resolve" in fails[0].reason
