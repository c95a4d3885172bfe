"""A careful HTTP fetcher: one a user can trust and a website owner would accept.

What it does on every request:

* only ``http`` and ``https`` URLs;
* resolves the host and refuses it when ANY of its addresses is private, loopback,
  link-local, multicast, reserved or otherwise not public (``allow_private=True`` allows all,
  a list of networks such as ``["127.0.0.1/32"]`` allows only those). The check is made before
  each request and again at connect time (so a DNS answer that changes in between cannot sneak
  in), and again after every redirect;
* follows at most ``max_redirects`` redirects itself, checking each hop like a fresh URL;
* honours robots.txt (fetched once per host, parsed by ``urllib.robotparser``; a missing
  robots.txt allows all, an unreachable one (5xx, network error) disallows all, as RFC 9309
  says), including ``Crawl-delay`` (capped at 60 s);
* waits ``min_interval`` seconds between requests to the same host;
* connect/read timeouts plus a total time limit per response (slow-drip servers);
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
        for embedded in (ip.ipv4_mapped, ip.sixtofour):
            if embedded is not None:
                why = blocked_reason(embedded)
                if why:
                    return why
        if ip.teredo is not None:
            return "Teredo tunnel"
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
                addrs = self._resolve(host, port)
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

    def _wait_turn(self, url: str) -> None:
        """Sleep until this host's next slot; take it."""
        _, state = self._host(url)
        interval = max(self.min_interval, state.crawl_delay)
        with state.lock:
            now = self._clock()
            slot = max(now, state.next_slot)
            state.next_slot = slot + interval
        if slot > now:
            self._sleep(slot - now)

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
        for _hop in range(self.max_redirects + 1):
            self._check_target(current, url)
            if check_robots:
                why = self._robots_verdict(current, url)
                if why:
                    raise FetchError(url, why)
            status, resp_headers, body = self._with_retries(current, url, headers, max_bytes)
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

    def _with_retries(self, url: str, source: str, headers: dict[str, str], max_bytes: int) -> tuple[int, dict[str, str], bytes]:
        attempt = 0
        while True:
            self._wait_turn(url)
            retry_after: float | None = None
            try:
                status, resp_headers, body = self._request_once(url, source, headers, max_bytes)
            except FetchError:
                raise  # refused, too big, too slow: retrying would not help
            except httpx.TimeoutException as e:
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
            self._sleep(min(delay, self.max_backoff))
            attempt += 1

    def _request_once(self, url: str, source: str, headers: dict[str, str], max_bytes: int) -> tuple[int, dict[str, str], bytes]:
        deadline = self._clock() + self.total_timeout
        with self._client.stream("GET", url, headers=headers) as resp:
            resp_headers = {k.lower(): v for k, v in resp.headers.items()}
            status = resp.status_code
            if not 200 <= status < 300:
                return status, resp_headers, b""  # redirects, 304 and errors: the body is not needed
            length = resp_headers.get("content-length")
            if length and length.strip().isdigit() and int(length) > max_bytes and not resp_headers.get("content-encoding"):
                raise FetchError(source, f"response too large: {mb(int(length))} announced, the cap is {mb(max_bytes)}")
            body = self._read_capped(resp, source, max_bytes, deadline)
            return status, resp_headers, body

    def _read_capped(self, resp: httpx.Response, source: str, max_bytes: int, deadline: float) -> bytes:
        encoding = resp.headers.get("content-encoding", "").strip().lower()
        if encoding in ("", "identity"):
            inflater = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip header, auto-detected
        else:
            raise FetchError(source, f"unsupported content-encoding {encoding!r} (samestory asks for gzip or deflate only)")
        out = bytearray()
        for raw in resp.iter_raw():  # chunks as they arrive, so the deadline is checked often
            if self._clock() > deadline:
                raise FetchError(source, f"too slow: the response took longer than {self.total_timeout:g} s")
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
                return super().connect_tcp(addr, port, timeout=timeout, local_address=local_address, socket_options=socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                last = e
        assert last is not None
        raise last


def _guard_transport(transport: httpx.HTTPTransport, fetcher: Fetcher) -> None:
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = _GuardedBackend(fetcher)
