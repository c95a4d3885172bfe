"""A real HTTP server on 127.0.0.1 for the ingest tests (never the internet).

Routes are canned responses; every request is logged with its time and headers.
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    drip: float = 0.0  # seconds between body bytes (a slow server)
    header_drip: float = 0.0  # seconds between header lines (a slower one: never idle long enough to time out)
    fail_first: int = 0  # answer 503 this many times first
    etag: str | None = None  # answer 304 to a matching If-None-Match
    last_modified: str | None = None  # answer 304 to a matching If-Modified-Since
    gzip: bool = False  # send the body gzip-encoded
    hits: int = 0


@dataclass
class Hit:
    time: float
    path: str
    headers: dict[str, str]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Hit] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802
                with server._lock:
                    server.log.append(Hit(time.monotonic(), self.path, {k.lower(): v for k, v in self.headers.items()}))
                    route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                    if route is not None:
                        route.hits += 1
                if route is None:
                    self._send(404, {"Content-Type": "text/plain"}, b"not found")
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.hits <= route.fail_first:
                    self._send(503, {"Content-Type": "text/plain", "Retry-After": "0"}, b"busy")
                    return
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                inm = self.headers.get("If-None-Match")
                ims = self.headers.get("If-Modified-Since")
                if (route.etag and inm == route.etag) or (route.last_modified and ims == route.last_modified and not inm):
                    self._send(304, headers, b"")
                    return
                body = route.body
                if route.gzip:
                    body = gzip.compress(body)
                    headers["Content-Encoding"] = "gzip"
                self._send(route.status, headers, body, drip=route.drip, header_drip=route.header_drip)

            def _send(self, status: int, headers: dict[str, str], body: bytes, drip: float = 0.0,
                      header_drip: float = 0.0) -> None:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                    if header_drip:
                        try:
                            self.flush_headers()
                        except (BrokenPipeError, ConnectionResetError):
                            return
                        time.sleep(header_drip)
                if "Content-Length" not in headers and status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if drip:
                        for i in range(len(body)):
                            self.wfile.write(body[i : i + 1])
                            self.wfile.flush()
                            time.sleep(drip)
                    elif status != 304:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def add(self, path: str, body: bytes | str = b"", **kw: object) -> Route:
        if isinstance(body, str):
            body = body.encode("utf-8")
        route = Route(body=body, **kw)  # type: ignore[arg-type]
        self.routes[path] = route
        return route

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def hits(self, path: str) -> list[Hit]:
        return [h for h in self.log if h.path == path]

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def local_resolver(names: dict[str, str]) -> Callable[[str, int], list[str]]:
    """A resolver that maps test host names to addresses (and refuses to look anything else up)."""

    def resolve(host: str, port: int) -> list[str]:
        if host in names:
            return [a.strip() for a in names[host].split(",")]
        raise OSError(f"test resolver: unknown host {host}")

    return resolve


HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"""
