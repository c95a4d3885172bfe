"""A careful HTTP fetcher: one a user can trust and a website owner would accept.

What it does on every request:

* only ``http`` and ``https`` URLs;
* resolves the host and refuses it when ANY of its addresses is private, loopback,
  link-local, multicast, reserved, in a block of the IANA IPv4 or IPv6 special-purpose address
  registries (``SPECIAL_PURPOSE``), or otherwise not public (``allow_private=True`` allows all,
  a list of networks such as ``["127.0.0.1/32"]`` allows only those). The check is made before
  each request and again at connect time (so a DNS answer that changes in between cannot sneak
  in), and again after every redirect;
* follows at most ``max_redirects`` redirects itself, checking each hop like a fresh URL;
* honours robots.txt (fetched once per host, parsed by ``urllib.robotparser``; a missing
  robots.txt allows all, an unreachable one (5xx, network error) disallows all, as RFC 9309
  says), including ``Crawl-delay`` (capped at 60 s);
* waits ``min_interval`` seconds between requests to the same host;
* connect/read timeouts plus ONE deadline per fetch (``total_timeout``) that covers connecting,
  every header line, the body, redirects and retries: each socket read waits at most until the
  deadline, so a server dribbling a header line every few seconds is cut at the deadline, and no
  retry starts after it (time spent in politeness waits is not counted);
* a response size cap counted on the decoded body: content-encoding (gzip/deflate only are
  advertised) is inflated here with a bounded output, so a gzip bomb costs at most the cap;
* bounded retries with exponential backoff on connection errors, timeouts, 5xx and 429
  (``Retry-After`` honoured up to ``max_backoff``);
* an honest user agent: ``samestory/<version> (+https://github.com/samestory/samestory)``;
* conditional GET: ``fetch(url, etag=..., last_modified=...)`` returns ``not_modified=True`` on 304.

Errors are ``FetchError(url, reason)``. Proxies from the environment are ignored on purpose
(``trust_env=False``): the address checks must see the real target.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from samestory._version import __version__
from samestory.errors import FetchError
from samestory.ingest._common import DEFAULT_MAX_BYTES, content_type_charset, decode_bytes, html_meta_charset, mb

__all__ = ["Fetcher", "FetchResult", "DEFAULT_USER_AGENT", "USER_AGENT_TOKEN", "blocked_reason"]

USER_AGENT_TOKEN = "samestory"
DEFAULT_USER_AGENT = f"samestory/{__version__} (+https://github.com/samestory/samestory)"
_REDIRECTS = (301, 302, 303, 307, 308)
_ROBOTS_MAX_BYTES = 512 * 1024
_MAX_CRAWL_DELAY = 60.0
_ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"

Resolver = Callable[[str, int], list[str]]

# Every block of the IANA special-purpose address registries (iana-ipv4-special-registry and
# iana-ipv6-special-registry, checked 2026-12), plus the deprecated IPv6 site-local block and the
# reserved/multicast/broadcast space. Refused even where the registry calls a block "globally
# reachable" (anycast services such as AS112 or PCP): no news page is served from them. The
# standard library's flags are checked too, but they vary with the Python version (3.11 lets
# 192.0.0.8 and fec0::/10 through), so this table is the promise.
SPECIAL_PURPOSE: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/32", "unspecified"),
    ("0.0.0.0/8", "'this network'"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "shared (carrier-grade NAT)"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "IETF protocol assignment"),  # DS-Lite, 192.0.0.8 dummy, PCP/TURN anycast, NAT64 discovery
    ("192.0.2.0/24", "documentation"),
    ("192.31.196.0/24", "AS112 service"),
    ("192.52.193.0/24", "AMT relay"),
    ("192.88.99.0/24", "deprecated 6to4 relay anycast"),
    ("192.168.0.0/16", "private"),
    ("192.175.48.0/24", "AS112 direct delegation"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),  # includes 255.255.255.255, limited broadcast
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),
    ("::/8", "reserved"),  # includes the deprecated IPv4-compatible ::/96 (more specific blocks first)
    ("100::/64", "discard-only"),
    ("100:0:0:1::/64", "dummy prefix"),
    ("2001::/23", "IETF protocol assignment"),  # Teredo, benchmarking, ORCHID, anycast services
    ("2001:db8::/32", "documentation"),
    ("2620:4f:8000::/48", "AS112 direct delegation"),
    ("3fff::/20", "documentation"),
    ("5f00::/16", "segment routing SID"),
    ("fc00::/7", "unique local (private)"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local (deprecated)"),
    ("ff00::/8", "multicast"),
)
_SPECIAL_NETS = tuple((ipaddress.ip_network(net), why) for net, why in SPECIAL_PURPOSE)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # well-known NAT64 prefix: judged by the IPv4 address inside


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in out:
            out.append(addr)
    return out


def blocked_reason(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is not a public internet address (None when it is)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _NAT64:  # a DNS64 answer for an IPv4 site: as public as that site
            return blocked_reason(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        for embedded in (ip.ipv4_mapped, ip.sixtofour):
            if embedded is not None:
                why = blocked_reason(embedded)
                if why:
                    return why
        if ip.teredo is not None:
            return "Teredo tunnel"
    for net, why in _SPECIAL_NETS:
        if ip.version == net.version and ip in net:
            return why
    for attr, name in (
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_unspecified", "unspecified"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attr):
            return name
    if not ip.is_global:
        return "non-public"
    return None


@dataclass(frozen=True)
class FetchResult:
    """One fetched URL. ``headers`` has lower-cased names; ``body`` is the decoded (inflated) body."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes = b""
    not_modified: bool = False
    redirects: tuple[str, ...] = ()
    fetched_at: str = ""

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def charset(self) -> str | None:
        return content_type_charset(self.headers.get("content-type"))

    @property
    def text(self) -> str:
        """The body decoded with the HTTP charset, the page's ``<meta charset>``, or detection."""
        if not self.body:
            return ""
        return decode_bytes(self.body, (self.charset, html_meta_charset(self.body)))[0]


@dataclass
class _HostState:
    next_slot: float = 0.0
    robots: urllib.robotparser.RobotFileParser | None = None
    robots_verdict: str | None = None  # "allow-all" or a reason to disallow everything
    crawl_delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Fetcher:
    """Fetch URLs politely and safely. Use as a context manager or call ``close()``.

    >>> with Fetcher() as f:                      # doctest: +SKIP
    ...     r = f.fetch("https://example.org/news/1")
    ...     r.status, r.final_url, r.text[:50]
    """

    def __init__(
        self,
        *,
        allow_private: bool | Iterable[str] = False,
        timeout: float = 10.0,
        total_timeout: float = 60.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_redirects: int = 5,
        retries: int = 2,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        min_interval: float = 1.0,
        respect_robots: bool = True,
        user_agent: str = DEFAULT_USER_AGENT,
        resolver: Resolver | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(allow_private, bool):
            self._allow_all_private = allow_private
            self._allowed_nets: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
        else:
            self._allow_all_private = False
            self._allowed_nets = tuple(ipaddress.ip_network(n, strict=False) for n in allow_private)
        self.timeout = timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.min_interval = min_interval
        self.respect_robots = respect_robots
        self.user_agent = user_agent
        self._resolve = resolver or system_resolver
        self._sleep = sleep
        self._clock = clock
        self._hosts: dict[str, _HostState] = {}
        self._hosts_lock = threading.Lock()
        if transport is None:
            transport = httpx.HTTPTransport(retries=0)
            _guard_transport(transport, self)
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": user_agent, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"},
        )

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ public

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET ``url`` with every check above. Raises FetchError naming the URL and the reason.

        With ``etag`` / ``last_modified`` the request is conditional; an unchanged resource gives
        ``FetchResult(not_modified=True, status=304, body=b"")``.
        """
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers=headers, max_bytes=self.max_bytes, check_robots=self.respect_robots)

    def check_url(self, url: str) -> None:
        """Raise FetchError if ``url`` must not be fetched (scheme, host, addresses). No request is made."""
        self._check_target(url, url)

    def robots_allows(self, url: str) -> bool:
        """Whether robots.txt of ``url``'s host lets samestory fetch it (fetches robots.txt once per host)."""
        return self._robots_verdict(url, url) is None

    # ------------------------------------------------------------ address checks

    def _allowed(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        if self._allow_all_private:
            return True
        return any(ip in net for net in self._allowed_nets if net.version == ip.version)

    def checked_addresses(self, host: str, port: int, source: str) -> list[str]:
        """Resolve ``host`` and return its addresses, raising FetchError if any one is refused."""
        try:
            literal = ipaddress.ip_address(host.strip("[]").split("%")[0])
            addrs = [str(literal)]
        except ValueError:
            try:
                addrs = _resolve_within_deadline(self._resolve, host, port)
            except (OSError, UnicodeError) as e:
                raise FetchError(source, f"could not resolve host {host!r}: {e}") from None
        if not addrs:
            raise FetchError(source, f"host {host!r} has no addresses")
        for addr in addrs:
            try:
                ip = ipaddress.ip_address(addr.split("%")[0])
            except ValueError:
                raise FetchError(source, f"host {host!r} resolved to a strange address {addr!r}") from None
            why = blocked_reason(ip)
            if why and not self._allowed(ip):
                shown = host if host == str(ip) else f"{host} ({ip})"
                raise FetchError(
                    source,
                    f"refused: {shown} is a {why} address; samestory only fetches public addresses "
                    "unless allowed: pass --allow-private on the command line",
                )
        return addrs

    def _check_target(self, url: str, source: str) -> tuple[str, str, int]:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as e:
            raise FetchError(source, f"not a valid URL: {url!r} ({e})") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(source, f"refused: only http and https URLs are fetched, not {scheme or 'a URL without a scheme'}: {url[:100]!r}")
        host = parts.hostname
        if not host:
            raise FetchError(source, f"not a valid URL (no host): {url[:100]!r}")
        port = port or (443 if scheme == "https" else 80)
        self.checked_addresses(host, port, source)
        return scheme, host, port

    # ------------------------------------------------------------ per-host state

    def _host(self, url: str) -> tuple[str, _HostState]:
        parts = urlsplit(url)
        key = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        with self._hosts_lock:
            state = self._hosts.get(key)
            if state is None:
                state = self._hosts[key] = _HostState()
        return key, state

    def _wait_turn(self, url: str) -> float:
        """Sleep until this host's next slot; take it. Returns the seconds slept."""
        _, state = self._host(url)
        interval = max(self.min_interval, state.crawl_delay)
        with state.lock:
            now = self._clock()
            slot = max(now, state.next_slot)
            state.next_slot = slot + interval
        if slot > now:
            self._sleep(slot - now)
            return slot - now
        return 0.0

    def _robots_verdict(self, url: str, source: str) -> str | None:
        """None when robots.txt allows ``url``, else the reason it does not."""
        key, state = self._host(url)
        if state.robots is None and state.robots_verdict is None:
            self._load_robots(key, state, source)
        if state.robots_verdict == "allow-all":
            return None
        if state.robots_verdict is not None:
            return state.robots_verdict
        assert state.robots is not None
        if state.robots.can_fetch(self.user_agent, url):
            return None
        path = urlsplit(url).path or "/"
        return f"refused: {key}/robots.txt disallows {path} for {USER_AGENT_TOKEN}"

    def _load_robots(self, key: str, state: _HostState, source: str) -> None:
        robots_url = key + "/robots.txt"
        try:
            res = self._get(robots_url, headers={}, max_bytes=_ROBOTS_MAX_BYTES, check_robots=False, accept_status=True)
        except FetchError as e:
            if e.reason.startswith("refused"):
                raise FetchError(source, e.reason) from None
            state.robots_verdict = f"refused: {robots_url} could not be read ({e.reason}), so the site is treated as disallowing all (RFC 9309)"
            return
        if 400 <= res.status < 500:
            state.robots_verdict = "allow-all"
            return
        if res.status >= 500 or res.status in _REDIRECTS:
            state.robots_verdict = f"refused: {robots_url} answered HTTP {res.status}, so the site is treated as disallowing all (RFC 9309)"
            return
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(decode_bytes(res.body)[0].splitlines())
        state.robots = parser
        delay = parser.crawl_delay(self.user_agent)
        if delay:
            try:
                state.crawl_delay = min(float(delay), _MAX_CRAWL_DELAY)
            except (TypeError, ValueError):
                pass

    # ------------------------------------------------------------ the request loop

    def _get(
        self,
        url: str,
        *,
        headers: dict[str, str],
        max_bytes: int,
        check_robots: bool,
        accept_status: bool = False,
    ) -> FetchResult:
        current = url
        redirects: list[str] = []
        budget = _Budget(self._clock, self.total_timeout)  # one deadline for every hop and retry
        for _hop in range(self.max_redirects + 1):
            with _deadline_scope(budget):  # the DNS lookup counts against the deadline too
                self._check_target(current, url)
            if check_robots:
                why = self._robots_verdict(current, url)
                if why:
                    raise FetchError(url, why)
            status, resp_headers, body = self._with_retries(current, url, headers, max_bytes, budget)
            if status in _REDIRECTS:
                location = resp_headers.get("location")
                if not location:
                    raise FetchError(url, f"HTTP {status} redirect without a Location header at {current}")
                current = urljoin(current, location.strip())
                redirects.append(current)
                continue
            result = FetchResult(
                url=url,
                final_url=current,
                status=status,
                headers=resp_headers,
                body=body,
                not_modified=status == 304,
                redirects=tuple(redirects),
                fetched_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            )
            if accept_status or status == 304 or 200 <= status < 300:
                return result
            where = f" (at {current})" if current != url else ""
            raise FetchError(url, f"HTTP {status} {_reason_phrase(status)}{where}")
        raise FetchError(url, f"too many redirects: more than {self.max_redirects} (last {current})")

    def _with_retries(self, url: str, source: str, headers: dict[str, str], max_bytes: int,
                      budget: _Budget) -> tuple[int, dict[str, str], bytes]:
        attempt = 0
        while True:
            budget.pause(self._wait_turn(url))  # politeness waits are ours, not the server's
            if budget.spent():
                raise FetchError(source, budget.too_slow())
            retry_after: float | None = None
            try:
                status, resp_headers, body = self._request_once(url, source, headers, max_bytes, budget)
            except FetchError:
                raise  # refused, too big, too slow: retrying would not help
            except httpx.TimeoutException as e:
                if budget.spent():  # the deadline, not one slow read: no retry
                    raise FetchError(source, budget.too_slow()) from None
                problem = f"timed out ({type(e).__name__}, limit {self.timeout:g} s)"
            except httpx.TransportError as e:
                problem = f"connection failed: {e or type(e).__name__}"
            else:
                if status < 500 and status != 429:
                    return status, resp_headers, body
                problem = f"HTTP {status} {_reason_phrase(status)}"
                retry_after = _retry_after(resp_headers.get("retry-after"))
            if attempt >= self.retries:
                tries = f" after {attempt + 1} attempts" if self.retries else ""
                raise FetchError(source, f"{problem}{tries}" if url == source else f"{problem}{tries} (at {url})")
            delay = self.backoff * (2**attempt)
            if retry_after is not None:
                delay = max(delay, retry_after)
            delay = min(delay, self.max_backoff)
            if budget.left() <= delay:  # a retry could not finish inside the deadline
                raise FetchError(source, f"{problem}; no time left for a retry within {self.total_timeout:g} s"
                                 + ("" if url == source else f" (at {url})"))
            self._sleep(delay)
            attempt += 1

    def _request_once(self, url: str, source: str, headers: dict[str, str], max_bytes: int,
                      budget: _Budget) -> tuple[int, dict[str, str], bytes]:
        with _deadline_scope(budget), self._client.stream("GET", url, headers=headers) as resp:
            resp_headers = {k.lower(): v for k, v in resp.headers.items()}
            status = resp.status_code
            if not 200 <= status < 300:
                return status, resp_headers, b""  # redirects, 304 and errors: the body is not needed
            length = resp_headers.get("content-length")
            if length and length.strip().isdigit() and int(length) > max_bytes and not resp_headers.get("content-encoding"):
                raise FetchError(source, f"response too large: {mb(int(length))} announced, the cap is {mb(max_bytes)}")
            body = self._read_capped(resp, source, max_bytes, budget)
            return status, resp_headers, body

    def _read_capped(self, resp: httpx.Response, source: str, max_bytes: int, budget: _Budget) -> bytes:
        encoding = resp.headers.get("content-encoding", "").strip().lower()
        if encoding in ("", "identity"):
            inflater = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip header, auto-detected
        else:
            raise FetchError(source, f"unsupported content-encoding {encoding!r} (samestory asks for gzip or deflate only)")
        out = bytearray()
        for raw in resp.iter_raw():  # chunks as they arrive, so the deadline is checked often
            if budget.spent():
                raise FetchError(source, budget.too_slow())
            if inflater is None:
                out += raw
            else:
                data = raw
                while data:
                    try:
                        out += inflater.decompress(data, max_bytes + 1 - len(out))
                    except zlib.error as e:
                        raise FetchError(source, f"corrupt {encoding} response: {e}") from None
                    if len(out) > max_bytes or inflater.eof:
                        break
                    data = inflater.unconsumed_tail
            if len(out) > max_bytes:
                what = "decompressed response" if inflater else "response"
                raise FetchError(source, f"{what} too large: more than the {mb(max_bytes)} cap")
        if inflater is not None and not inflater.eof and out:
            raise FetchError(source, f"truncated {encoding} response")
        return bytes(out)


def _reason_phrase(status: int) -> str:
    try:
        from http import HTTPStatus

        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# ---------------------------------------------------------------- the deadline


class _Budget:
    """The time one fetch may take: ``total`` seconds of waiting on the network, start to end."""

    def __init__(self, clock: Callable[[], float], total: float) -> None:
        self.clock, self.total = clock, total
        self.deadline = clock() + total

    def pause(self, seconds: float) -> None:
        self.deadline += seconds

    def left(self) -> float:
        return self.deadline - self.clock()

    def spent(self) -> bool:
        return self.left() <= 0

    def too_slow(self) -> str:
        return (f"too slow: no complete response within {self.total:g} s "
                "(connecting, headers and body count together)")


_current = threading.local()  # the budget of the fetch running on this thread, seen by its sockets


@contextlib.contextmanager
def _deadline_scope(budget: _Budget):
    outer = getattr(_current, "budget", None)
    _current.budget = budget
    try:
        yield
    finally:
        _current.budget = outer


def _resolve_within_deadline(resolve: Callable[[str, int], list[str]], host: str, port: int) -> list[str]:
    """``resolve(host, port)`` given at most what the current fetch has left. The system resolver
    keeps its own timeouts (seconds to minutes per try) and cannot be interrupted, so it runs on a
    daemon thread that is left behind at the deadline; its answer, if one comes, is dropped."""
    budget = getattr(_current, "budget", None)
    if budget is None:
        return resolve(host, port)
    left = budget.left()
    if left <= 0:
        raise OSError("the fetch's total time limit was reached before the host was resolved")
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["addrs"] = resolve(host, port)
        except BaseException as e:  # noqa: BLE001 - handed to the fetching thread below
            box["error"] = e

    worker = threading.Thread(target=run, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(left)
    if worker.is_alive():
        raise OSError(f"no answer from DNS within the fetch's {budget.total:g} s deadline")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["addrs"]  # type: ignore[return-value]


def _capped(timeout: float | None, exc: type[Exception]) -> float | None:
    """``timeout`` shortened to what the current fetch has left; ``exc`` when nothing is left."""
    budget = getattr(_current, "budget", None)
    if budget is None:
        return timeout
    left = budget.left()
    if left <= 0:
        raise exc("the fetch's total time limit was reached")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write waits at most until the fetch's deadline: the read timeout
    alone restarts with each byte, so a server sending a header line every few seconds never trips it."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _capped(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _capped(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):  # type: ignore[no-untyped-def]
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname,
                                                     _capped(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str):  # type: ignore[no-untyped-def]
        return self._inner.get_extra_info(info)


# ---------------------------------------------------------------- connect-time address check


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves the host itself, checks every address, and connects only to a checked one."""

    def __init__(self, fetcher: Fetcher) -> None:
        super().__init__()
        self._fetcher = fetcher

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):  # type: ignore[no-untyped-def]
        addrs = self._fetcher.checked_addresses(host, port, f"{host}:{port}")
        last: Exception | None = None
        for addr in addrs:
            try:
                stream = super().connect_tcp(addr, port, timeout=_capped(timeout, httpcore.ConnectTimeout),
                                             local_address=local_address, socket_options=socket_options)
                return _DeadlineStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                last = e
        assert last is not None
        raise last


def _guard_transport(transport: httpx.HTTPTransport, fetcher: Fetcher) -> None:
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = _GuardedBackend(fetcher)
