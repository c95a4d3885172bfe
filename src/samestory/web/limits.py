"""What one request may cost the server, and the guard that enforces it before the app sees the request.

``ServerLimits`` is the configuration (``create_app(limits=...)``, ``samestory serve --max-upload-mb``).
``RequestGuard`` is plain ASGI, outside FastAPI, so it acts on the request line and headers alone:

* a write (any method but GET/HEAD/OPTIONS) to a read-only server is answered 403, and one without
  the token 401, before a byte of its body is read: a 1 GiB upload costs the headers, not the GiB;
* a body larger than ``max_body_bytes`` is refused 413 from its Content-Length, or, when it is
  streamed without one, as soon as the bytes read pass the cap;
* HEAD is answered like GET without the body (FastAPI routes GET only).

Search work is bounded in ``bounded_search``: the query's length and its number of terms are capped
(400 with the reason), results are LIMITed, and SQLite's progress handler interrupts a query that
runs longer than ``search_seconds``.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException

__all__ = ["ServerLimits", "RequestGuard", "LimitExceeded", "bounded_search", "search_terms"]

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class ServerLimits:
    """Per-request limits of the web server. Chosen so normal use never meets them:

    - ``max_body_bytes``: 64 MiB, an upload of a few thousand articles (the demo corpus is 60 KB);
    - ``max_query_chars``: 256 and ``max_query_terms``: 16; a search is a few words, and issue 20
      measured an 8 KB query at 34 s; 16 quoted terms AND-ed by FTS5 answer in milliseconds over 10k
      articles (bench/web.py "search");
    - ``search_seconds``: 2.0, the time limit of one search's SQL, hit only by a pathological query;
    - ``search_limit``: 50 hits shown;
    - ``max_page_no``: 100,000 pages of 50 stories; larger is refused (400), never an SQL overflow;
    - ``max_id_chars``: 1,024 characters for a story, article or outlet id in a path;
    - ``max_param_chars``: 256 for any other query parameter (``status``, ``hl``);
    - ``max_queued_jobs``: 8 ingest jobs waiting; more are refused 503 (``Retry-After``);
    - ``kept_jobs``: the last 200 finished jobs keep their reports for ``/api/jobs/{id}``.
    """

    max_body_bytes: int = 64 * 2**20
    max_query_chars: int = 256
    max_query_terms: int = 16
    search_seconds: float = 2.0
    search_limit: int = 50
    max_page_no: int = 100_000
    max_id_chars: int = 1024
    max_param_chars: int = 256
    max_queued_jobs: int = 8
    kept_jobs: int = 200


class LimitExceeded(HTTPException):
    """A request over one of the limits: answered with ``status`` and ``detail`` (the reason). An
    HTTPException, so FastAPI's body parsing lets it through instead of calling it a parse error."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(status, detail)
        self.status, self.title = status, title


def _json_error(status: int, title: str, detail: str) -> bytes:
    return json.dumps({"error": {"status": status, "title": title, "detail": detail}}).encode()


class RequestGuard:
    """ASGI middleware: refuses writes without the token and bodies over the cap, from the headers."""

    def __init__(self, app, *, allow_writes: bool, token: str | None, limits: ServerLimits) -> None:
        self.app = app
        self.allow_writes = allow_writes
        self.token = (token or "").encode()
        self.limits = limits

    def token_ok(self, headers: dict[bytes, bytes]) -> bool:
        given = headers.get(b"authorization", b"").removeprefix(b"Bearer ").strip()
        return bool(self.token) and hmac.compare_digest(given, self.token)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        headers = dict(scope.get("headers") or [])  # names are lower-case bytes in ASGI
        refusal = self._refusal(method, headers)
        if refusal is not None:
            await self._answer(send, *refusal, close=True)
            return
        if method == "HEAD":
            scope = {**scope, "method": "GET"}  # a copy: the server still knows it was HEAD
            send = _without_body(send)
        await self.app(scope, self._capped(receive), send)

    def _refusal(self, method: str, headers: dict[bytes, bytes]) -> tuple[int, str, str] | None:
        if method not in READ_METHODS:
            if not self.allow_writes:
                return 403, "Forbidden", "this server is read-only; start it with --allow-writes"
            if not self.token_ok(headers):
                return 401, "Unauthorized", "a valid token is required (Authorization: Bearer $SAMESTORY_TOKEN)"
        length = headers.get(b"content-length")
        if length is not None:
            try:
                n = int(length)
            except ValueError:
                return 400, "Bad request", "Content-Length is not a number"
            if n > self.limits.max_body_bytes:
                return 413, "Payload too large", (f"the body is {n:,} bytes; this server accepts at most "
                                                  f"{self.limits.max_body_bytes:,} (--max-upload-mb)")
        return None

    def _capped(self, receive):
        cap = self.limits.max_body_bytes
        seen = 0

        async def capped_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > cap:  # a streamed body (no Content-Length, or a lying one)
                    raise LimitExceeded(413, "Payload too large",
                                        f"the body passed {cap:,} bytes, the most this server accepts (--max-upload-mb)")
            return message

        return capped_receive

    @staticmethod
    async def _answer(send, status: int, title: str, detail: str, *, close: bool) -> None:
        body = _json_error(status, title, detail)
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        if close:  # the unread body is not waited for: the connection ends after the answer
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _without_body(send):
    async def send_head(message) -> None:
        if message["type"] == "http.response.body":
            if message.get("more_body"):
                return
            message = {"type": "http.response.body", "body": b""}
        await send(message)

    return send_head


# ---------------------------------------------------------------- search


def search_terms(query: str, limits: ServerLimits) -> str:
    """The query checked against the limits (LimitExceeded 400 with the reason); returns it stripped."""
    query = query.strip()
    if len(query) > limits.max_query_chars:
        raise LimitExceeded(400, "Bad request", f"the search query is {len(query):,} characters; at most "
                                                f"{limits.max_query_chars} are accepted")
    words = "".join(c if c.isalnum() else " " for c in query).split()
    if len(words) > limits.max_query_terms:
        raise LimitExceeded(400, "Bad request", f"the search query has {len(words)} words; at most "
                                                f"{limits.max_query_terms} are searched: leave some out")
    return query


@contextlib.contextmanager
def _time_limit(conn, seconds: float):
    """SQLite interrupts the statement running on ``conn`` after ``seconds``, checked every 100 VM steps
    (a search over 10k articles takes about a thousand; the check costs a Python call each time).
    Work inside one FTS5 call is not counted, which is why the number of terms is capped as well."""
    deadline = time.monotonic() + seconds
    conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 100)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 100)


def bounded_search(store, query: str, limits: ServerLimits) -> list[dict[str, Any]]:
    """``store.search`` within the limits; ``store`` must be this request's own reader (its connection
    gets the time limit)."""
    query = search_terms(query, limits)
    try:
        with _time_limit(store.conn, limits.search_seconds):
            return store.search(query, limit=limits.search_limit)
    except Exception as exc:
        # sqlite3.OperationalError("interrupted"), matched by name: only samestory.store imports sqlite3
        # (the time limit would belong there, as a Store method, once store/ takes it)
        if type(exc).__name__ != "OperationalError" or "interrupt" not in str(exc):
            raise
        raise LimitExceeded(400, "Bad request", f"the search took longer than {limits.search_seconds:g} s and "
                                                "was stopped; use fewer or rarer words") from None
