"""The web app: server-rendered pages over the store, each with a JSON twin.

Every page answers HTML by default and JSON with a ``.json`` suffix or ``Accept:
application/json``; errors have one JSON shape, ``{"error": {"status", "title", "detail"}}``.
Article text is untrusted: templates autoescape everything and drop control characters
(``samestory.text.control``), the CSP forbids inline script and the app adds no inline event
handlers. Links are absolute paths built in one place (``views.id_path``/``id_url``). Writes
(upload, URLs) exist only with ``allow_writes`` and the token from ``SAMESTORY_TOKEN``, checked
from the headers before any body is read (``limits.RequestGuard``); an ingest is queued to one
background worker (``jobs.IngestJobs``) and the request answers 202 with the job's id.

Each request reads through a read-only connection of its own (a pool, WAL), so a running ingest,
here or in another process, never holds a page up; comparisons computed for a page are written to
the store's cache by one background writer. Every parameter is checked: a bad one is a 400 naming it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import os
import queue
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import anyio
from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from samestory import __version__
from samestory.errors import ModelError, NotFoundError, SamestoryError, StoreError
from samestory.models import to_dict
from samestory.store import Store
from samestory.text.control import printable
from samestory.web import views
from samestory.web.compute import Comparer
from samestory.web.jobs import IngestJobs, QueueFull
from samestory.web.limits import RequestGuard, ServerLimits, bounded_search

HERE = Path(__file__).resolve().parent
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


class ApiError(Exception):
    def __init__(self, status: int, title: str, detail: str) -> None:
        self.status, self.title, self.detail = status, title, detail


class SecurityHeaders:
    """Adds the CSP and friends to every response (plain ASGI: no per-request task overhead)."""

    HEADERS = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
        (b"x-frame-options", b"DENY"),
    ]

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _split_json(name: str) -> tuple[str, bool]:
    return (name[:-5], True) if name.endswith(".json") else (name, False)


class ReaderPool:
    """Read-only Stores, one per concurrent request: none waits on another's query or on a writer."""

    def __init__(self, db: str | Path) -> None:
        self.db = db
        self._free: queue.SimpleQueue[Store] = queue.SimpleQueue()

    @contextlib.contextmanager
    def __call__(self):
        try:
            store = self._free.get_nowait()
        except queue.Empty:
            store = Store(self.db, readonly=True)
        try:
            yield store
        finally:
            self._free.put(store)

    def close(self) -> None:
        while True:
            try:
                self._free.get_nowait().close()
            except queue.Empty:
                return


class CacheWriter:
    """Writes comparisons computed by readers into the store's cache, one at a time, off the request;
    while a writer holds the store they wait (or, past ``max_pending``, are dropped: only a cache)."""

    def __init__(self, db: str | Path, max_pending: int = 32) -> None:
        self.db = db
        self.max_pending = max_pending
        self._queue: queue.Queue[tuple[str, dict, str | None] | None] = queue.Queue(max_pending)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def put(self, story_id: str, document: dict, updated: str | None = None) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="samestory-cache", daemon=True)
                self._thread.start()
        try:
            self._queue.put_nowait((story_id, document, updated))
        except queue.Full:
            pass

    def _run(self) -> None:
        with Store(self.db) as store:
            while (item := self._queue.get()) is not None:
                try:
                    store.cache_coverage(*item)
                except Exception:  # a cache write that fails costs a recomputation later, nothing else
                    pass

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=5)


def _control_free(value: Any) -> Any:
    """Jinja's finalize: every ``{{ }}`` output without control characters (markup stays markup)."""
    if isinstance(value, Markup):
        return Markup(printable(str(value)))
    if isinstance(value, str):
        return printable(value)
    return value


def wants_json(request: Request, suffix: bool) -> bool:
    accept = request.headers.get("accept", "")
    return suffix or ("application/json" in accept and "text/html" not in accept)


def create_app(db: str | Path, *, allow_writes: bool = False, token: str | None = None,
               limits: ServerLimits | None = None, profiles=None) -> FastAPI:
    """The app over database ``db``. With ``allow_writes``, ``token`` (or $SAMESTORY_TOKEN) guards writes;
    ``limits`` bounds what one request may cost (``ServerLimits``); ``profiles``
    (``report.profiles.Profiles``) default to those imported into the store, if any."""
    token = token if token is not None else os.environ.get("SAMESTORY_TOKEN")
    if allow_writes and not token:
        raise SamestoryError("--allow-writes needs a token: set SAMESTORY_TOKEN")
    limits = limits or ServerLimits()
    store = Store(db)  # opening migrates and makes the WAL; requests read through their own connections
    if profiles is None:
        from samestory.report.profiles import STATE_NAME, Profiles

        profiles = Profiles.from_state(store.load_state(STATE_NAME)) or None
    readers = ReaderPool(db)
    cache_writer = CacheWriter(db)
    comparer = Comparer(db)  # stories are compared in its worker process, never in the server's threads
    jobs = IngestJobs(db, max_queued=limits.max_queued_jobs, kept=limits.kept_jobs)
    health_limiter = anyio.CapacityLimiter(2)  # its own threads: never queued behind slow pages

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        yield
        jobs.close()
        comparer.close()
        cache_writer.close()
        readers.close()

    # no Swagger UI: it loads its script from a CDN the CSP blocks; the OpenAPI document stays
    app = FastAPI(title="samestory", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Stories across outlets, compared claim by claim. Every page has a .json twin.")
    app.state.store = store
    app.state.jobs = jobs
    app.state.comparer = comparer
    app.state.limits = limits
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.finalize = _control_free
    templates.env.globals.update(version=__version__, allow_writes=allow_writes,
                                 json_twin=lambda request: views.json_twin_path(
                                     request.scope.get("raw_path", request.url.path.encode()).decode("latin-1"),
                                     request.scope.get("query_string", b"").decode("latin-1")))
    templates.env.filters["annotate"] = views.annotate
    from samestory.report.people import readable_date

    templates.env.filters["readable_date"] = readable_date
    # every template builds id links as "/stories/{{ id | urlencode }}": ids go through views.id_path,
    # which encodes "/" too and gives ids no path segment can carry their query form
    templates.env.filters["urlencode"] = views.id_path
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(request: Request, template: str, data: dict[str, Any], as_json: bool) -> Response:
        if wants_json(request, as_json):
            return JSONResponse(data)
        return templates.TemplateResponse(request, template, {"data": data})

    app.add_middleware(RequestGuard, allow_writes=allow_writes, token=token, limits=limits)
    app.add_middleware(SecurityHeaders)

    def error_response(request: Request, status: int, title: str, detail: str) -> Response:
        body = {"error": {"status": status, "title": title, "detail": detail}}
        if wants_json(request, request.url.path.endswith(".json") or request.url.path.startswith("/api/")):
            return JSONResponse(body, status_code=status)
        return templates.TemplateResponse(request, "error.html", {"data": body}, status_code=status)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return error_response(request, exc.status, exc.title, exc.detail)

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: NotFoundError):
        return error_response(request, 404, "Not found", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        title = getattr(exc, "title", None) or ("Not found" if exc.status_code == 404 else "Error")
        return error_response(request, exc.status_code, title, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        detail = "; ".join(f"{'.'.join(str(x) for x in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', '')}"
                           for e in exc.errors())
        return error_response(request, 400, "Bad request", detail)

    @app.exception_handler(SamestoryError)
    async def _samestory_error(request: Request, exc: SamestoryError):
        # the store or a model failing is the server's fault, not the request's
        if isinstance(exc, (StoreError, ModelError)):
            return error_response(request, 503, "Service unavailable", str(exc))
        return error_response(request, 400, "Bad request", str(exc))

    def checked(name: str, value: str, cap: int) -> str:
        if len(value) > cap:
            raise ApiError(400, "Bad request", f"{name} is {len(value):,} characters; at most {cap:,} are accepted")
        return value

    def path_id(request: Request, raw: str, name: str) -> tuple[str, bool]:
        """The id of a page and whether its JSON twin is asked for: from the path, or its query form."""
        value, as_json = _split_json(raw)
        if value == "":  # /stories/?id=.. and /stories/.json?id=..
            value = request.query_params.get("id", "")
            if not value:
                raise ApiError(404, "Not found", f"give a {name}: /{name}s/<id>")
        return checked(name, value, limits.max_id_chars), as_json

    PageNo = Query(1, ge=1, le=limits.max_page_no, description="1 is the newest page")

    def list_page(request: Request, q: str, page_no: int, as_json: bool, **filters) -> Response:
        for name in ("outlet", "side", "since", "until"):
            if name in filters:
                checked(name, filters[name], limits.max_param_chars)
        with readers() as reader:
            hits = bounded_search(reader, q, limits) if q.strip() else None
            data = views.stories_page(reader, q=q, page_no=page_no, hits=hits, profiles=profiles, **filters)
        return page(request, "stories.html", data, as_json)

    @app.get("/", summary="The stories list (as /stories)")
    def home(request: Request, q: str = "", page_no: int = PageNo) -> Response:
        return list_page(request, q, page_no, False)

    @app.get("/stories", summary="Stories, newest first; ?q= searches titles and texts")
    def stories(request: Request, q: str = "", page_no: int = PageNo, outlet: str = "", side: str = "",
                since: str = "", until: str = "", min_outlets: int = Query(0, ge=0, le=10_000)) -> Response:
        return list_page(request, q, page_no, False, outlet=outlet, side=side, since=since, until=until,
                         min_outlets=min_outlets)

    @app.get("/stories.json", summary="Stories as JSON (the same filters)")
    def stories_json(request: Request, q: str = "", page_no: int = PageNo, outlet: str = "", side: str = "",
                     since: str = "", until: str = "", min_outlets: int = Query(0, ge=0, le=10_000)) -> Response:
        return list_page(request, q, page_no, True, outlet=outlet, side=side, since=since, until=until,
                         min_outlets=min_outlets)

    rendered: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()
    newest: dict[tuple, tuple] = {}  # (story, status, json) -> the key of its newest rendering
    pending: dict[tuple, asyncio.Future] = {}  # renderings under way: one per story version

    def cached_document(sid: str) -> dict | None:
        from samestory.schema import SCHEMA_VERSION

        with readers() as reader:
            cached = reader.cached_coverage(sid)
        return cached if cached is not None and cached.get("schema_version") == SCHEMA_VERSION else None

    def compose_story(sid: str, status: str, as_json: bool, request: Request, document: dict) -> tuple[bytes, str]:
        with readers() as reader:
            data = views.story_page(reader, sid, status=status, cov=document, profiles=profiles)
        response = page(request, "story.html", data, as_json)
        return response.body, response.media_type  # template and JSON responses render at construction

    async def render_story(key: tuple, sid: str, status: str, as_json: bool, request: Request) -> tuple[bytes, str]:
        try:
            document = await run_in_threadpool(cached_document, sid)
            if document is None:
                # compared in the worker process (web/compute.py); the cache writer stores it under
                # the version it was computed from (a reader does not write)
                updated, document = await comparer.document(sid)
                cache_writer.put(sid, document, updated)
            hit = await run_in_threadpool(compose_story, sid, status, as_json, request, document)  # off the loop
            rendered[key] = hit
            newest[key[:3]] = key
            while len(rendered) > 256:
                rendered.popitem(last=False)
            return hit
        finally:
            pending.pop(key, None)

    def rendering(key: tuple, sid: str, status: str, as_json: bool, request: Request) -> asyncio.Future:
        """The one rendering of this story version: requests arriving meanwhile wait for it."""
        if key not in pending:
            task = asyncio.ensure_future(render_story(key, sid, status, as_json, request))
            task.add_done_callback(lambda t: t.cancelled() or t.exception())  # a failure is the awaiter's
            pending[key] = task
        return pending[key]

    @app.get("/stories/{story_id:path}", summary="One story compared across outlets (HTML, or JSON with .json)")
    async def story(request: Request, story_id: str, status: str = "") -> Response:
        sid, as_json = path_id(request, story_id, "story")
        status = checked("status", status, limits.max_param_chars)
        with readers() as reader:  # two indexed lookups: cheap enough for the event loop
            resolved = reader.resolve_story_id(sid)
            updated = reader.story_updated(resolved)
        if resolved != sid:
            return RedirectResponse(views.id_url("/stories", resolved, as_json=as_json), status_code=301)
        # the page only changes when the story does: keep recent renderings (bytes) per story version
        page_key = (sid, status, wants_json(request, as_json))
        key = (*page_key, updated)
        hit = rendered.get(key)
        headers = {}
        if hit is None:
            older = rendered.get(newest.get(page_key, ()))
            future = rendering(key, sid, status, as_json, request)
            if older is not None:
                # the story changed (an ingest is writing into it): its last page now, the new
                # version rendered once in the background, so readers are never queued behind it
                hit, headers = older, {"X-Samestory-Stale": "a newer version of this story is being compared"}
            else:
                hit = await asyncio.shield(future)
        else:
            rendered.move_to_end(key)
        return Response(hit[0], media_type=hit[1], headers=headers)

    @app.get("/articles/{article_id:path}", summary="One article: clean text with highlights, metadata, removal log")
    def article(request: Request, article_id: str, hl: str = "") -> Response:
        aid, as_json = path_id(request, article_id, "article")
        hl = checked("hl", hl or request.query_params.get("?hl", ""), limits.max_param_chars)  # "?hl" after ?id=..&
        with readers() as reader:
            data = views.article_page(reader, aid, hl=hl)
        return page(request, "article.html", data, as_json)

    @app.get("/outlets/{outlet:path}", summary="One outlet: its articles, what it leaves out, its loaded-language rate")
    def outlet(request: Request, outlet: str) -> Response:
        name, as_json = path_id(request, outlet, "outlet")
        with readers() as reader:
            data = views.outlet_page(reader, name, profiles=profiles)
        return page(request, "outlet.html", data, as_json)

    def check_token(authorization: str | None) -> None:
        # RequestGuard has refused writes without the token before their body was read; this guards
        # the read routes that need it too (a job's report)
        if not allow_writes:
            raise ApiError(403, "Forbidden", "this server is read-only; start it with --allow-writes")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), (token or "").encode()):
            raise ApiError(401, "Unauthorized", "a valid token is required (Authorization: Bearer $SAMESTORY_TOKEN)")

    @app.post("/api/ingest", status_code=202,
              summary="Queue files or URLs/feeds for ingest (needs --allow-writes and the token); 202 with the job")
    async def api_ingest(request: Request, files: list[UploadFile] = File(default=[]),
                         urls: str = Form(default="")) -> Response:
        check_token(request.headers.get("authorization"))
        from samestory.ingest import is_url

        lines = [u.strip() for u in urls.splitlines() if u.strip()]
        # only http(s) URLs: any other line would be read as a path on the server (or "-" as its stdin)
        if any(not is_url(u) for u in lines):
            bad = next(u for u in lines if not is_url(u))
            raise ApiError(422, "Invalid request", f"only http(s) URLs can be submitted, not {bad[:100]!r}")
        if not files and not lines:
            raise ApiError(422, "Invalid request", "give files or urls")
        folder = Path(tempfile.mkdtemp(prefix="samestory-upload-")) if files else None
        inputs = []
        try:
            for i, f in enumerate(files):
                name = Path(f.filename or f"upload-{i}.txt").name or f"upload-{i}.txt"
                target = folder / f"{i:03d}-{name}"
                with target.open("wb") as out:
                    while chunk := await f.read(1 << 20):
                        out.write(chunk)
                inputs.append(str(target))
            job = jobs.submit(inputs + lines, folder)
        except QueueFull as exc:
            if folder is not None:
                import shutil

                shutil.rmtree(folder, ignore_errors=True)
            return JSONResponse({"error": {"status": 503, "title": "Service unavailable", "detail": str(exc)}},
                                status_code=503, headers={"Retry-After": "30"})
        except BaseException:
            if folder is not None:
                import shutil

                shutil.rmtree(folder, ignore_errors=True)
            raise
        url = f"/api/jobs/{job['id']}"
        return JSONResponse({"job": job, "status_url": url}, status_code=202, headers={"Location": url})

    @app.get("/api/jobs/{job_id}", summary="An ingest job: queued, running, done (with its report) or failed")
    def api_job(request: Request, job_id: str) -> Response:
        check_token(request.headers.get("authorization"))
        job = jobs.get(checked("job id", job_id, 64))
        if job is None:
            raise ApiError(404, "Not found", f"no ingest job {job_id!r} (jobs are kept in memory until a restart)")
        return JSONResponse({"job": job})

    def counts() -> dict[str, Any]:
        with readers() as reader:
            return {"status": "ok", "version": __version__, "articles": reader.count_articles(),
                    "stories": reader.count_stories()}

    @app.get("/api/health", summary="Liveness and counts")
    async def health() -> Response:
        return JSONResponse(await anyio.to_thread.run_sync(counts, limiter=health_limiter))

    app.state.to_dict = to_dict
    return app
