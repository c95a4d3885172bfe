"""The web app: server-rendered pages over the store, each with a JSON twin.

Every page answers HTML by default and JSON with a ``.json`` suffix or ``Accept:
application/json``; errors have one JSON shape, ``{"error": {"status", "title", "detail"}}``.
Article text is untrusted: templates autoescape everything, the CSP forbids inline script and
the app adds no inline event handlers. Writes (upload, URLs) exist only with ``allow_writes``
and the token from ``SAMESTORY_TOKEN``.
"""

from __future__ import annotations

import hmac
from collections import OrderedDict
import os
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI, File, Form, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from samestory import __version__
from samestory.errors import ModelError, NotFoundError, SamestoryError, StoreError
from samestory.models import to_dict
from samestory.store import Store
from samestory.web import views

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


def wants_json(request: Request, suffix: bool) -> bool:
    accept = request.headers.get("accept", "")
    return suffix or ("application/json" in accept and "text/html" not in accept)


def create_app(db: str | Path, *, allow_writes: bool = False, token: str | None = None, profiles=None) -> FastAPI:
    """The app over database ``db``. With ``allow_writes``, ``token`` (or $SAMESTORY_TOKEN) guards writes.
    ``profiles`` (``report.profiles.Profiles``) default to those imported into the store, if any."""
    token = token if token is not None else os.environ.get("SAMESTORY_TOKEN")
    if allow_writes and not token:
        raise SamestoryError("--allow-writes needs a token: set SAMESTORY_TOKEN")
    store = Store(db)  # opening migrates; the web only reads except for the guarded write routes
    if profiles is None:
        from samestory.report.profiles import STATE_NAME, Profiles

        profiles = Profiles.from_state(store.load_state(STATE_NAME)) or None
    # no Swagger UI: it loads its script from a CDN the CSP blocks; the OpenAPI document stays
    app = FastAPI(title="samestory", version=__version__, docs_url=None, redoc_url=None,
                  description="Stories across outlets, compared claim by claim. Every page has a .json twin.")
    app.state.store = store
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(version=__version__, allow_writes=allow_writes)
    templates.env.filters["annotate"] = views.annotate
    from samestory.report.people import readable_date

    templates.env.filters["readable_date"] = readable_date
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def page(request: Request, template: str, data: dict[str, Any], as_json: bool) -> Response:
        if wants_json(request, as_json):
            return JSONResponse(data)
        return templates.TemplateResponse(request, template, {"data": data})

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
        return error_response(request, exc.status_code, "Not found" if exc.status_code == 404 else "Error",
                              str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        return error_response(request, 422, "Invalid request", "; ".join(e.get("msg", "") for e in exc.errors()))

    @app.exception_handler(SamestoryError)
    async def _samestory_error(request: Request, exc: SamestoryError):
        # the store or a model failing is the server's fault, not the request's
        if isinstance(exc, (StoreError, ModelError)):
            return error_response(request, 503, "Service unavailable", str(exc))
        return error_response(request, 400, "Bad request", str(exc))

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return RedirectResponse("/stories", status_code=307)

    @app.get("/stories", summary="Stories, newest first; ?q= searches titles and texts")
    def stories(request: Request, q: str = "", page_no: int = 1, outlet: str = "", side: str = "", since: str = "",
                until: str = "", min_outlets: int = 0) -> Response:
        data = views.stories_page(store, q=q, page_no=page_no, outlet=outlet, side=side, since=since, until=until,
                                  min_outlets=min_outlets, profiles=profiles)
        return page(request, "stories.html", data, False)

    @app.get("/stories.json", summary="Stories as JSON (the same filters)")
    def stories_json(request: Request, q: str = "", page_no: int = 1, outlet: str = "", side: str = "",
                     since: str = "", until: str = "", min_outlets: int = 0) -> Response:
        return JSONResponse(views.stories_page(store, q=q, page_no=page_no, outlet=outlet, side=side, since=since,
                                               until=until, min_outlets=min_outlets, profiles=profiles))

    rendered: OrderedDict[tuple, tuple[bytes, str]] = OrderedDict()

    @app.get("/stories/{story_id}", summary="One story compared across outlets (HTML, or JSON with .json)")
    async def story(request: Request, story_id: str, status: str = "") -> Response:
        sid, as_json = _split_json(story_id)
        resolved = store.resolve_story_id(sid)
        if resolved != sid:
            return RedirectResponse(f"/stories/{resolved}{'.json' if as_json else ''}", status_code=301)
        # the page only changes when the story does: keep recent renderings (bytes) per story version
        key = (sid, status, wants_json(request, as_json), store.story_updated(sid))
        hit = rendered.get(key)
        if hit is None:  # a first view compares the story: off the event loop
            data = await run_in_threadpool(views.story_page, store, sid, status=status, profiles=profiles)
            response = page(request, "story.html", data, as_json)
            hit = (response.body, response.media_type)  # template and JSON responses render at construction
            rendered[key] = hit
            while len(rendered) > 256:
                rendered.popitem(last=False)
        rendered.move_to_end(key)
        return Response(hit[0], media_type=hit[1])

    @app.get("/articles/{article_id}", summary="One article: clean text with highlights, metadata, removal log")
    def article(request: Request, article_id: str, hl: str = "") -> Response:
        aid, as_json = _split_json(article_id)
        return page(request, "article.html", views.article_page(store, aid, hl=hl), as_json)

    @app.get("/outlets/{outlet}", summary="One outlet: its articles, what it leaves out, its loaded-language rate")
    def outlet(request: Request, outlet: str) -> Response:
        name, as_json = _split_json(outlet)
        return page(request, "outlet.html", views.outlet_page(store, name, profiles=profiles), as_json)

    async def check_token(authorization: str | None) -> None:
        if not allow_writes:
            raise ApiError(403, "Forbidden", "this server is read-only; start it with --allow-writes")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), (token or "").encode()):
            raise ApiError(401, "Unauthorized", "a valid token is required (Authorization: Bearer $SAMESTORY_TOKEN)")

    @app.post("/api/ingest", summary="Upload files or submit URLs/feeds (needs --allow-writes and the token)")
    async def api_ingest(request: Request, files: list[UploadFile] = File(default=[]), urls: str = Form(default=""),
                         token_field: str = Form(default="", alias="token")) -> Response:
        await check_token(request.headers.get("authorization") or (f"Bearer {token_field}" if token_field else None))
        from samestory.workflow import Ingestor

        with tempfile.TemporaryDirectory(prefix="samestory-upload-") as tmp:
            inputs = []
            for i, f in enumerate(files):
                name = Path(f.filename or f"upload-{i}.txt").name or f"upload-{i}.txt"
                target = Path(tmp) / f"{i:03d}-{name}"
                target.write_bytes(await f.read())
                inputs.append(str(target))
            lines = [u.strip() for u in urls.splitlines() if u.strip()]
            # only http(s) URLs: any other line would be read as a path on the server (or "-" as its stdin)
            from samestory.ingest import is_url

            if any(not is_url(u) for u in lines):
                bad = next(u for u in lines if not is_url(u))
                raise ApiError(422, "Invalid request", f"only http(s) URLs can be submitted, not {bad[:100]!r}")
            inputs += lines
            if not inputs:
                raise ApiError(422, "Invalid request", "give files or urls")
            with Store(db) as writer:
                report = Ingestor(writer).ingest(inputs)
        return JSONResponse(report.to_dict())

    @app.get("/api/health", summary="Liveness and counts")
    def health() -> Response:
        return JSONResponse({"status": "ok", "version": __version__, "articles": store.count_articles(),
                             "stories": store.count_stories()})

    app.state.to_dict = to_dict
    return app
