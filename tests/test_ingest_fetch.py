"""The fetcher against a real HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import gzip
import socket
import threading
import time

import pytest

from ingest_localserver import HTML_PAGE, LocalServer, local_resolver
from samestory.errors import FetchError
from samestory.ingest.fetch import DEFAULT_USER_AGENT, Fetcher

LOCAL_ONLY = ["127.0.0.1/32"]  # allow the test server, nothing else private


@pytest.fixture
def server():
    with LocalServer() as s:
        yield s


def fast(**kw):
    """A fetcher for tests: no politeness delay unless asked, quick retries."""
    kw.setdefault("allow_private", True)
    kw.setdefault("min_interval", 0.0)
    kw.setdefault("backoff", 0.01)
    kw.setdefault("timeout", 5.0)
    return Fetcher(**kw)


def test_fetches_a_page_with_an_honest_user_agent(server):
    server.add("/news/1", HTML_PAGE.format(title="Bridge reopens", body="Traffic flows again."), headers={"Content-Type": "text/html; charset=utf-8"})
    with fast() as f:
        r = f.fetch(server.url("/news/1"))
    assert r.status == 200 and not r.not_modified
    assert r.final_url == server.url("/news/1")
    assert "Traffic flows again." in r.text
    assert r.content_type == "text/html"
    ua = server.hits("/news/1")[0].headers["user-agent"]
    assert ua == DEFAULT_USER_AGENT
    assert ua.startswith("samestory/") and "+https://github.com/samestory/samestory" in ua


def test_http_charset_is_used_for_decoding(server):
    server.add("/cp", "<html><body><p>Café “quoted” – dash</p></body></html>".encode("cp1252"), headers={"Content-Type": "text/html; charset=windows-1252"})
    with fast() as f:
        assert "Café “quoted” – dash" in f.fetch(server.url("/cp")).text


def test_loopback_is_refused_without_allow_private(server):
    server.add("/x", "<html>hi</html>")
    with Fetcher(min_interval=0) as f:
        with pytest.raises(FetchError, match="loopback"):
            f.fetch(server.url("/x"))
        with pytest.raises(FetchError, match="loopback"):
            f.fetch(f"http://localhost:{server.port}/x")
    assert server.log == []  # not even robots.txt was requested


@pytest.mark.parametrize(
    "addresses, why",
    [
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("::ffff:127.0.0.1", "loopback"),
        ("93.184.215.14, 10.0.0.1", "private"),  # every address is checked, not just the first
        # the IANA special-purpose registries, beyond what Python 3.11's flags know
        ("192.0.0.8", "IETF protocol assignment"),
        ("192.0.0.170", "IETF protocol assignment"),
        ("100.64.1.1", "shared"),
        ("198.18.0.1", "benchmarking"),
        ("192.88.99.1", "6to4 relay"),
        ("255.255.255.255", "reserved"),
        ("fec0::1", "site-local"),
        ("3fff::1", "documentation"),
        ("5f00::1", "segment routing"),
        ("64:ff9b:1::1", "translation"),
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1: judged by the IPv4 address inside
        ("2001:db8::1", "documentation"),
        ("2001:2::1", "IETF protocol assignment"),
        ("100::1", "discard"),
        ("::7f00:1", "reserved"),  # IPv4-compatible, deprecated
    ],
)
def test_private_addresses_are_refused_after_dns(addresses, why):
    f = Fetcher(resolver=local_resolver({"news.example": addresses}), min_interval=0)
    with f, pytest.raises(FetchError, match=why) as e:
        f.fetch("http://news.example/story")
    assert "news.example" in str(e.value) and "allow" in e.value.reason


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/", "javascript:alert(1)", "//example.org/x"])
def test_only_http_and_https(url):
    with Fetcher(allow_private=True) as f, pytest.raises(FetchError, match="only http and https"):
        f.fetch(url)


def test_timeout(server):
    server.add("/slow", "<html>late</html>", delay=3.0)
    t0 = time.monotonic()
    with fast(timeout=0.3, retries=0) as f, pytest.raises(FetchError, match="timed out"):
        f.fetch(server.url("/slow"))
    assert time.monotonic() - t0 < 2.5


def test_total_time_limit_stops_a_slow_drip(server):
    server.add("/drip", b"x" * 400, drip=0.02, headers={"Content-Type": "text/html"})  # 8 s in all
    with fast(timeout=2.0, total_timeout=0.5, retries=0) as f, pytest.raises(FetchError, match="too slow"):
        f.fetch(server.url("/drip"))


def test_public_addresses_pass():
    from ipaddress import ip_address

    from samestory.ingest.fetch import blocked_reason

    for addr in ("93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "64:ff9b::5db8:d70e", "192.0.3.1"):
        assert blocked_reason(ip_address(addr)) is None, addr


def test_one_deadline_covers_headers_dribbled_line_by_line(server):
    # a header line every 0.4 s never trips the 2 s read timeout; the 1.5 s deadline must cut it,
    # and no retry may follow (retries=2 would otherwise restart the clock twice)
    headers = {f"X-Line-{i}": "x" for i in range(40)}  # 16 s of headers in all
    server.add("/dribble", "<html>never</html>", headers=headers, header_drip=0.4)
    t0 = time.monotonic()
    with fast(timeout=2.0, total_timeout=1.5, retries=2) as f, pytest.raises(FetchError, match="too slow") as e:
        f.fetch(server.url("/dribble"))
    took = time.monotonic() - t0
    assert took < 1.5 + 0.8, took
    assert len(server.hits("/dribble")) == 1
    assert "headers" in e.value.reason


def test_deadline_is_shared_by_retries(server):
    # each try fails after 0.6 s (a 5xx after a delay); with 1.0 s in all only the first retry may start
    server.add("/busy", "<html>ok</html>", delay=0.6, fail_first=10)
    t0 = time.monotonic()
    with fast(timeout=5.0, total_timeout=1.0, retries=5, backoff=0.01) as f, pytest.raises(FetchError):
        f.fetch(server.url("/busy"))
    assert time.monotonic() - t0 < 1.0 + 0.8
    assert len(server.hits("/busy")) <= 2


def test_size_cap_on_announced_length(server):
    server.add("/big", b"<p>" + b"a" * 300_000, headers={"Content-Type": "text/html"})
    with fast(max_bytes=100_000) as f, pytest.raises(FetchError, match="too large"):
        f.fetch(server.url("/big"))


def test_gzip_bomb_is_capped_on_decoded_size(server):
    route = server.add("/bomb", b"\0" * 30_000_000, headers={"Content-Type": "text/html"}, gzip=True)
    route.body = route.body  # 30 MB of zeros, about 30 KB on the wire
    with fast(max_bytes=1_000_000) as f, pytest.raises(FetchError, match="decompressed response too large"):
        f.fetch(server.url("/bomb"))


def test_gzip_response_is_inflated(server):
    server.add("/gz", HTML_PAGE.format(title="T", body="compressed words"), gzip=True, headers={"Content-Type": "text/html"})
    with fast() as f:
        r = f.fetch(server.url("/gz"))
    assert "compressed words" in r.text
    assert server.hits("/gz")[0].headers["accept-encoding"] == "gzip, deflate"


def test_unsupported_content_encoding_is_refused(server):
    server.add("/br", b"\x8b\x00\x80garbage", headers={"Content-Type": "text/html", "Content-Encoding": "br"})
    with fast() as f, pytest.raises(FetchError, match="unsupported content-encoding"):
        f.fetch(server.url("/br"))


def test_redirects_are_followed_and_recorded(server):
    server.add("/a", status=301, headers={"Location": "/b"})
    server.add("/b", status=302, headers={"Location": server.url("/final")})
    server.add("/final", "<html>arrived</html>", headers={"Content-Type": "text/html"})
    with fast() as f:
        r = f.fetch(server.url("/a"))
    assert r.final_url == server.url("/final")
    assert r.redirects == (server.url("/b"), server.url("/final"))
    assert "arrived" in r.text


def test_redirect_loop_is_capped(server):
    server.add("/loop", status=302, headers={"Location": "/loop"})
    with fast(max_redirects=3) as f, pytest.raises(FetchError, match="too many redirects"):
        f.fetch(server.url("/loop"))
    assert len(server.hits("/loop")) == 4


@pytest.mark.parametrize(
    "target, why",
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.7/admin", "private"),
        ("http://[::1]:{port}/secret", "loopback"),
        ("http://127.0.0.2:{port}/other", "loopback"),
        ("http://intranet.test:{port}/x", "private"),  # a name that resolves to a private address
        ("file:///etc/passwd", "only http and https"),
    ],
)
def test_redirect_to_a_private_address_is_refused(server, target, why):
    server.add("/go", status=302, headers={"Location": target.format(port=server.port)})
    resolver = local_resolver({"intranet.test": "10.20.30.40"})
    with fast(allow_private=LOCAL_ONLY, resolver=resolver) as f, pytest.raises(FetchError, match=why):
        f.fetch(server.url("/go"))
    assert [h.path for h in server.log] == ["/robots.txt", "/go"]


def test_connect_time_check_catches_a_changed_dns_answer(server):
    """A name that passes the first check but resolves elsewhere when connecting is still refused."""
    server.add("/x", "<html>x</html>", headers={"Content-Type": "text/html"})
    answers = iter(["8.8.8.8"] + ["127.0.0.1"] * 10)  # public for the pre-check, then loopback
    with Fetcher(resolver=lambda h, p: [next(answers)], min_interval=0, respect_robots=False) as f:
        with pytest.raises(FetchError, match="loopback"):
            f.fetch(f"http://rebind.test:{server.port}/x")
    assert server.log == []


def test_robots_txt_is_respected_and_cached(server):
    server.add("/robots.txt", "User-agent: samestory\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n", headers={"Content-Type": "text/plain"})
    server.add("/public/1", "<html>ok</html>", headers={"Content-Type": "text/html"})
    server.add("/private/1", "<html>secret</html>", headers={"Content-Type": "text/html"})
    with fast() as f:
        assert f.fetch(server.url("/public/1")).status == 200
        with pytest.raises(FetchError, match="robots.txt disallows /private/1"):
            f.fetch(server.url("/private/1"))
        f.fetch(server.url("/public/1"))
    assert len(server.hits("/robots.txt")) == 1
    assert server.hits("/private/1") == []


def test_robots_disallow_all_for_everyone(server):
    server.add("/robots.txt", "User-agent: *\nDisallow: /\n")
    server.add("/p", "<html>p</html>")
    with fast() as f, pytest.raises(FetchError, match="robots.txt disallows"):
        f.fetch(server.url("/p"))
    with fast(respect_robots=False) as f:
        assert f.fetch(server.url("/p")).status == 200


def test_missing_robots_allows_and_broken_robots_disallows(server):
    server.add("/p", "<html>p</html>")
    with fast() as f:
        assert f.fetch(server.url("/p")).status == 200  # robots.txt is a 404
    server.add("/robots.txt", "oops", status=500)
    with fast(retries=0) as f, pytest.raises(FetchError, match="disallowing all"):
        f.fetch(server.url("/p"))


def test_crawl_delay_raises_the_interval(server):
    server.add("/robots.txt", "User-agent: *\nCrawl-delay: 1\n")
    server.add("/p", "<html>p</html>")
    slept = []
    with fast(sleep=lambda s: (slept.append(s), time.sleep(s))) as f:
        f.fetch(server.url("/p"))
        f.fetch(server.url("/p"))
    assert slept and max(slept) > 0.5  # robotparser reads whole seconds only


def test_per_host_rate_limit(server):
    server.add("/p", "<html>p</html>")
    names = local_resolver({"a.test": "127.0.0.1", "b.test": "127.0.0.1"})
    with fast(min_interval=0.3, resolver=names, respect_robots=False) as f:
        for _ in range(3):
            f.fetch(f"http://a.test:{server.port}/p")
        t_b = time.monotonic()
        f.fetch(f"http://b.test:{server.port}/p")  # another host: no wait
        b_took = time.monotonic() - t_b
    a_hits = [h.time for h in server.log if h.headers["host"].startswith("a.test")]
    gaps = [b - a for a, b in zip(a_hits, a_hits[1:])]
    assert len(gaps) == 2 and min(gaps) >= 0.28
    assert b_took < 0.25


def test_retries_with_exponential_backoff_on_5xx(server):
    server.add("/flaky", "<html>finally</html>", fail_first=2, headers={"Content-Type": "text/html"})
    slept = []
    with fast(retries=3, backoff=0.05, sleep=lambda s: (slept.append(s), time.sleep(s))) as f:
        r = f.fetch(server.url("/flaky"))
    assert "finally" in r.text
    assert len(server.hits("/flaky")) == 3
    assert slept == [0.05, 0.1]


def test_retries_are_bounded(server):
    server.add("/down", fail_first=100)
    with fast(retries=2) as f, pytest.raises(FetchError, match=r"HTTP 503 .*after 3 attempts"):
        f.fetch(server.url("/down"))
    assert len(server.hits("/down")) == 3


def test_connection_errors_are_retried_then_reported():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    with fast(retries=1, respect_robots=False) as f, pytest.raises(FetchError, match=r"connection failed.*after 2 attempts"):
        f.fetch(f"http://127.0.0.1:{port}/x")


def test_http_errors_name_the_status(server):
    with fast() as f, pytest.raises(FetchError, match="HTTP 404 Not Found") as e:
        f.fetch(server.url("/missing"))
    assert e.value.source == server.url("/missing")


def test_conditional_get_with_etag_and_last_modified(server):
    lm = "Wed, 06 Mar 2024 10:00:00 GMT"
    server.add("/feed", "<rss/>", etag='"v1"', last_modified=lm, headers={"Content-Type": "application/rss+xml"})
    with fast() as f:
        first = f.fetch(server.url("/feed"))
        assert first.etag == '"v1"' and first.last_modified == lm and first.body == b"<rss/>"
        again = f.fetch(server.url("/feed"), etag=first.etag)
        assert again.not_modified and again.status == 304 and again.body == b""
        by_date = f.fetch(server.url("/feed"), last_modified=lm)
        assert by_date.not_modified
        changed = f.fetch(server.url("/feed"), etag='"v0"')
        assert not changed.not_modified and changed.body == b"<rss/>"
    sent = server.hits("/feed")[1].headers
    assert sent["if-none-match"] == '"v1"'


def test_deadline_covers_a_dns_lookup_that_hangs():
    # the system resolver has timeouts of its own; a lookup that never answers must still end at the deadline
    never = threading.Event()

    def hanging(host, port):
        never.wait(30)
        return ["93.184.216.34"]

    t0 = time.monotonic()
    with Fetcher(resolver=hanging, total_timeout=0.5, min_interval=0, respect_robots=False) as f, \
            pytest.raises(FetchError, match="DNS within") as e:
        f.fetch("http://slow-dns.example/news")
    assert time.monotonic() - t0 < 0.5 + 0.8
    assert "slow-dns.example" in str(e.value)
    never.set()
