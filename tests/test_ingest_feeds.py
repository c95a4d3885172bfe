"""RSS/Atom: entries become RawDocs; full text fetched for summary-only feeds; malformed feeds."""

from __future__ import annotations

import pytest

from ingest_localserver import HTML_PAGE, LocalServer
from samestory.ingest import read_inputs
from samestory.ingest.feeds import looks_like_feed, parse_feed, read_feed
from samestory.ingest.fetch import Fetcher
from samestory.models import Failure, RawDoc

LONG = "<p>" + " ".join(["The harbour board met on Monday and agreed the new dredging plan."] * 30) + "</p>"

RSS_FULL = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Tide Courier</title><link>https://tide.test/</link><language>en-gb</language>
<item><title>Dredging plan agreed</title><link>https://tide.test/dredging</link><guid>tide-1</guid>
<pubDate>Mon, 04 Mar 2024 10:00:00 +0100</pubDate><author>desk@tide.test (Ana Hart)</author>
<description>Short teaser</description><content:encoded><![CDATA[{LONG}]]></content:encoded></item>
<item><title>Second &amp; last</title><link>https://tide.test/two</link>
<description><![CDATA[{LONG}]]></description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ridge Daily</title><link href="https://ridge.test/"/>
<id>urn:ridge</id><updated>2024-03-04T10:00:00Z</updated>
<entry><title>Ridge road reopens</title><link href="https://ridge.test/road"/><id>urn:ridge:1</id>
<updated>2024-03-04T09:30:00+02:00</updated><content type="html"><![CDATA[{LONG}]]></content></entry>
</feed>"""


def summary_rss(base: str, paths: list[str]) -> str:
    items = "".join(
        f"<item><title>Entry {p}</title><link>{base}{p}</link><guid>{p}</guid><description>Teaser for {p}</description></item>"
        for p in paths
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Summary Times</title><link>{base}/</link>{items}</channel></rss>'


def test_rss_with_full_content(tmp_path):
    p = tmp_path / "tide.rss"
    p.write_text(RSS_FULL, encoding="utf-8")
    a, b = list(read_feed(p))
    assert isinstance(a, RawDoc) and a.kind == "html"
    assert "agreed the new dredging plan" in a.content and "Short teaser" not in a.content
    assert (a.title, a.url, a.outlet, a.language) == ("Dredging plan agreed", "https://tide.test/dredging", "Tide Courier", "en")
    assert a.published == "2024-03-04T09:00:00+00:00"  # normalized to UTC
    assert a.meta["entry_id"] == "tide-1" and "summary_only" not in a.meta
    assert b.title == "Second & last" and "dredging plan" in b.content  # a long description is the body


def test_atom(tmp_path):
    p = tmp_path / "ridge.atom"
    p.write_text(ATOM, encoding="utf-8")
    (doc,) = read_feed(p)
    assert doc.title == "Ridge road reopens" and doc.outlet == "Ridge Daily"
    assert doc.published == "2024-03-04T07:30:00+00:00"
    assert "<title>Ridge road reopens</title>" in doc.content  # the fragment is wrapped in a page


def test_summary_only_without_fetcher_keeps_the_summary(tmp_path):
    p = tmp_path / "s.xml"
    p.write_text(summary_rss("https://sum.test", ["/a"]), encoding="utf-8")
    (doc,) = read_inputs([p])
    assert doc.meta["summary_only"] is True and "Teaser for /a" in doc.content


def test_summary_only_feed_fetches_full_pages():
    with LocalServer() as server:
        server.add("/a", HTML_PAGE.format(title="Entry /a", body="The full story of a."), headers={"Content-Type": "text/html"})
        server.add("/b", status=404)
        server.add("/c", HTML_PAGE.format(title="Entry /c", body="The full story of c."), headers={"Content-Type": "text/html"})
        feed = summary_rss(server.url(""), ["/a", "/b", "/c"]).encode()
        server.add("/feed.xml", feed, headers={"Content-Type": "application/rss+xml"})
        with Fetcher(allow_private=True, min_interval=0) as f:
            items = list(read_inputs([server.url("/feed.xml")], fetcher=f))
    docs = [x for x in items if isinstance(x, RawDoc)]
    fails = [x for x in items if isinstance(x, Failure)]
    assert [d.url for d in docs] == [server.url("/a"), server.url("/c")]
    assert "The full story of a." in docs[0].content and docs[0].kind == "html"
    assert docs[0].meta["fetched_from"] == server.url("/a") and docs[0].outlet == "Summary Times"
    assert len(fails) == 1 and "HTTP 404" in fails[0].reason and fails[0].record.startswith("entry 2")


def test_malformed_feed_with_entries_is_accepted_with_a_warning(tmp_path):
    p = tmp_path / "bozo.rss"
    p.write_text('<rss version="2.0"><channel><title>Loose</title><item><title>Fish & chips</title>'
                 "<link>https://loose.test/1</link><description>Unescaped & ampersand body</description></item></channel>")
    items = list(read_feed(p))
    assert len(items) == 1 and isinstance(items[0], RawDoc)
    assert "feed_warning" in items[0].meta


@pytest.mark.parametrize(
    "name, raw, reason",
    [
        ("garbage.rss", b"this is not xml at all {}", "not an RSS or Atom feed"),
        ("broken.atom", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>cut', "malformed feed"),
        ("empty.rss", b"", "empty file"),
        ("bin.rss", b"\x00\x01\x02" * 100, "binary file"),
        ("notfeed.xml", b'<?xml version="1.0"?><catalog><book>x</book></catalog>', "not an RSS or Atom feed"),
    ],
)
def test_bad_feeds_fail_with_a_reason(tmp_path, name, raw, reason):
    p = tmp_path / name
    p.write_bytes(raw)
    items = list(read_inputs([p]))
    assert len(items) == 1 and isinstance(items[0], Failure), items
    assert items[0].source == str(p) and reason in items[0].reason


def test_feed_never_reads_local_files_named_in_it(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("<rss><channel><item><title>SECRET</title></item></channel></rss>")
    p = tmp_path / "path.rss"
    p.write_bytes(str(secret).encode())  # feedparser would open a path given as a string
    items = list(read_feed(p))
    assert all(isinstance(x, Failure) for x in items)


def test_looks_like_feed():
    assert looks_like_feed(b'<?xml version="1.0"?><!-- c --><rss version="2.0">')
    assert looks_like_feed(b'<feed xmlns="http://www.w3.org/2005/Atom">')
    assert looks_like_feed(b'<rdf:RDF xmlns:rdf="x">')
    assert not looks_like_feed(b"<html><body><rss>")


def test_entry_keys_are_stable():
    a = parse_feed(RSS_FULL.encode(), source="x")
    b = parse_feed(RSS_FULL.encode(), source="x")
    assert [e.key for e in a.entries] == [e.key for e in b.entries]
    assert a.entries[1].key == "https://tide.test/two"  # no guid: the link
