"""The web app's JSON twins, error shape, security headers and write guard (in-process client)."""

from __future__ import annotations

import json
import re
import shutil
import socket
import sqlite3
import threading
import time
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from samestory.store import Store
from samestory.web.app import create_app


@pytest.fixture(scope="module")
def client(demo_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("web") / "web.db"
    shutil.copy(demo_db, db)
    with TestClient(create_app(db)) as c:
        yield c


def first_story(client):
    return client.get("/stories.json").json()["stories"][0]


def test_stories_json_and_accept_header(client):
    data = client.get("/stories.json").json()
    assert data["total"] >= 2 and data["stories"]
    by_accept = client.get("/stories", headers={"Accept": "application/json"}).json()
    assert by_accept["stories"] == data["stories"]
    html = client.get("/stories")
    assert html.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in html.headers["content-security-policy"]


def test_story_article_outlet_twins(client):
    story = first_story(client)
    cov = client.get(f"/stories/{story['id']}.json").json()
    assert cov["story"]["id"] == story["id"] and cov["articles"]
    page = client.get(f"/stories/{story['id']}")
    assert page.status_code == 200 and story["title"].split()[0] in page.text
    art = cov["articles"][0]
    a = client.get(f"/articles/{art['id']}.json").json()
    assert a["text"] == art["text"]
    o = client.get(f"/outlets/{art['outlet']}.json").json()
    assert any(x["id"] == art["id"] for x in o["articles"])


def test_one_error_shape(client):
    for path in ("/stories/nope.json", "/articles/nope.json", "/outlets/nobody.json", "/nowhere.json"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert set(r.json()["error"]) == {"status", "title", "detail"}
    html = client.get("/stories/nope")
    assert html.status_code == 404 and "text/html" in html.headers["content-type"]


def test_store_failure_is_a_server_error(client, monkeypatch):
    from samestory.errors import StoreError

    def broken(self, *a, **kw):
        raise StoreError("database is locked")

    monkeypatch.setattr(Store, "stories", broken)
    r = client.get("/stories.json")
    assert r.status_code == 503
    assert r.json()["error"] == {"status": 503, "title": "Service unavailable", "detail": "database is locked"}


def test_search(client):
    word = first_story(client)["title"].split()[-1].strip(".,:;!?")
    data = client.get("/stories.json", params={"q": word}).json()
    assert data["hits"], word


def test_openapi(client):
    spec = client.get("/openapi.json").json()
    assert "/stories/{story_id}" in spec["paths"] and "/api/ingest" in spec["paths"]


def test_writes_refused_when_read_only(client):
    r = client.post("/api/ingest", data={"urls": "http://127.0.0.1/x"})
    assert r.status_code == 403 and r.json()["error"]["status"] == 403


def test_writes_need_the_token(tmp_path):
    db = tmp_path / "w.db"
    Store(db).close()
    with TestClient(create_app(db, allow_writes=True, token="s3cret")) as c:
        files = {"files": ("note.txt", b"Council approves harbour wall\n\nThe council of Westmere approved a new "
                                       b"harbour wall on Tuesday after a long debate about its cost.", "text/plain")}
        assert c.post("/api/ingest", files=files).status_code == 401
        assert c.post("/api/ingest", files=files, headers={"Authorization": "Bearer wrong"}).status_code == 401
        r = c.post("/api/ingest", files=files, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 202, r.text  # queued: the ingest runs off the request
        job = r.json()["job"]
        assert job["status"] in ("queued", "running") and r.headers["location"] == f"/api/jobs/{job['id']}"
        assert c.get(r.headers["location"]).status_code == 401  # a job's report is the token holder's
        done = c.app.state.jobs.wait(job["id"], timeout=120)
        assert done["status"] == "done", done
        seen = c.get(r.headers["location"], headers={"Authorization": "Bearer s3cret"}).json()["job"]
        assert seen["report"]["added"] == 1
        assert c.get("/stories.json").json()["total"] == 1
        assert c.get("/api/jobs/nope", headers={"Authorization": "Bearer s3cret"}).status_code == 404


def test_article_text_is_escaped(tmp_path):
    from samestory.models import Article

    db = tmp_path / "x.db"
    evil = Article(id="a-evil", outlet="<img src=x onerror=alert(1)>", title="<script>alert(1)</script>",
                   text="Body <script>alert(2)</script> and \"quotes\" & <b>tags</b>.")
    with Store(db) as s, s.transaction():
        s.upsert_article(evil)
    with TestClient(create_app(db)) as c:
        page = c.get("/articles/a-evil").text
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert json.loads(c.get("/articles/a-evil.json").text)["title"] == evil.title


def test_story_history_lists_merges_and_splits(demo_db, tmp_path):
    db = tmp_path / "h.db"
    shutil.copy(demo_db, db)
    with Store(db) as store:
        sid = store.stories(limit=1)[0].id
        store.log_story_event("split", sid, "s-split-off", "a-<b>late</b>")
    with TestClient(create_app(db)) as c:
        data = c.get(f"/stories/{sid}.json").json()
        assert data["history"][-1]["kind"] == "split" and data["history"][-1]["into"] == "s-split-off"
        page = c.get(f"/stories/{sid}").text
        assert "split off" in page and "a-&lt;b&gt;late&lt;/b&gt;" in page and "<b>late</b>" not in page


# ----------------------------------------------------------------------------- limits (issue 20)


@contextmanager
def serving(app):
    """The app on a real uvicorn server on 127.0.0.1 (a free port), in a thread."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=30)


GIB = 2**30


def _upload_answer(port: int, headers: str, sent: bytes) -> tuple[str, float]:
    """Send a request's headers and the first bytes of a body announced as 1 GiB; return the answer's
    status line and how long it took. The rest of the body is never sent."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        t0 = time.monotonic()
        sock.sendall(headers.encode() + sent)
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
        return answer.split(b"\r\n", 1)[0].decode(), time.monotonic() - t0


def _multipart_headers(port: int, extra: str = "") -> str:
    return (f"POST /api/ingest HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: {GIB}\r\n"
            f"Content-Type: multipart/form-data; boundary=xyz\r\n{extra}\r\n")


def test_a_1_gib_upload_is_answered_from_its_headers(tmp_path):
    db = tmp_path / "u.db"
    Store(db).close()
    first = b"--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n\r\n" + b"x" * 65536
    with serving(create_app(db)) as port:  # read-only
        status, took = _upload_answer(port, _multipart_headers(port), first)
        assert status.startswith("HTTP/1.1 403"), status
        assert took < 5, took  # answered with 64 KiB of the GiB sent
    with serving(create_app(db, allow_writes=True, token="s3cret")) as port:
        status, _ = _upload_answer(port, _multipart_headers(port), first)
        assert status.startswith("HTTP/1.1 401"), status  # no token: refused before the body too
        status, _ = _upload_answer(port, _multipart_headers(port, "Authorization: Bearer s3cret\r\n"), first)
        assert status.startswith("HTTP/1.1 413"), status  # the token, but over the cap
    assert not list(tmp_path.glob("samestory-upload-*"))


def test_a_streamed_body_is_cut_at_the_cap(tmp_path):
    from samestory.web.limits import ServerLimits

    db = tmp_path / "s.db"
    Store(db).close()
    app = create_app(db, allow_writes=True, token="s3cret", limits=ServerLimits(max_body_bytes=100_000))

    def chunks():  # no Content-Length: sent chunked
        yield b"--xyz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\n"
        for _ in range(50):
            yield b"y" * 10_000

    with TestClient(app) as c:
        r = c.post("/api/ingest", content=chunks(), headers={"Authorization": "Bearer s3cret",
                                                             "Content-Type": "multipart/form-data; boundary=xyz"})
        assert r.status_code == 413, r.text
        assert "100,000" in r.json()["error"]["detail"]
        assert c.get("/api/health").json()["articles"] == 0


def test_search_query_is_capped(client):
    r = client.get("/stories.json", params={"q": "harbour " * 1024})  # 8 KB, the query of issue 20
    assert r.status_code == 400 and "characters" in r.json()["error"]["detail"], r.text
    r = client.get("/stories.json", params={"q": " ".join(f"w{i}" for i in range(40))})
    assert r.status_code == 400 and "words" in r.json()["error"]["detail"], r.text
    page = client.get("/stories", params={"q": "x" * 5000})
    assert page.status_code == 400 and "text/html" in page.headers["content-type"]


def test_a_search_over_its_time_limit_is_stopped(demo_db, tmp_path):
    from samestory.web.limits import ServerLimits

    db = tmp_path / "t.db"
    shutil.copy(demo_db, db)
    with TestClient(create_app(db, limits=ServerLimits(search_seconds=0.0))) as c:
        r = c.get("/stories.json", params={"q": "the council"})
        assert r.status_code == 400 and "longer than" in r.json()["error"]["detail"], r.text
        assert c.get("/api/health").status_code == 200


@pytest.mark.parametrize("query", [
    "page_no=9223372036854775807", "page_no=-1", "page_no=0", "page_no=abc", "page_no=1e9", "page_no=" + "9" * 400,
])
def test_bad_parameters_are_400_not_500(client, query):
    for path in ("/stories", "/stories.json", "/"):
        r = client.get(f"{path}?{query}")
        assert r.status_code == 400, (path, query, r.status_code)
        assert "page_no" in r.text


def test_overlong_ids_and_parameters_are_400(client):
    sid = first_story(client)["id"]
    assert client.get(f"/stories/{sid}.json", params={"status": "s" * 1000}).status_code == 400
    assert client.get("/articles/" + "a" * 5000 + ".json").status_code == 400
    assert client.get("/articles/nope.json", params={"hl": "9" * 5000}).status_code == 400
    assert client.get("/articles/nope.json", params={"hl": "99999999999999999999-1"}).status_code == 404


def test_head_is_answered_like_get(client):
    r = client.head("/")
    assert r.status_code == 200 and r.content == b""
    assert client.head("/stories.json").status_code == 200
    assert client.head("/api/health").status_code == 200


def _hrefs(html: str) -> list[str]:
    from html import unescape

    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


@pytest.fixture(scope="module")
def odd_ids_client(tmp_path_factory):
    """A store (real ingest) whose ids carry '/', '?', '#', dot segments and a '.json' ending."""
    from samestory.models import Story
    from samestory.workflow import Ingestor

    folder = tmp_path_factory.mktemp("ids")
    db = folder / "ids.db"
    ids = ["x/1", "../y", "a?b#c", "..", "z.json", "%2e%2e", "plain"]
    places = ["Westmere", "Lowford", "Carrick", "Dunmore", "Ashby", "Brenton", "Calder"]
    src = folder / "ids.jsonl"
    src.write_text("".join(json.dumps({
        "id": aid, "outlet": "Out/let .." if i % 2 else "..", "url": f"https://news{i}.example/{i}",
        "title": f"{places[i]} council approves harbour wall",
        "text": f"The council of {places[i]} approved a new harbour wall on Tuesday after a debate about its "
                f"cost of {i + 2} million euros.\n\nBuilding starts in {2027 + i}, the mayor of {places[i]} said."})
        + "\n" for i, aid in enumerate(ids)), encoding="utf-8")
    with Store(db) as s:
        report = Ingestor(s).ingest([str(src)])
        assert report.failed == 0 and all(s.has_article(aid) for aid in ids), report.to_dict()
        with s.transaction():  # one story whose id carries a slash, holding them all
            for old in s.stories():
                s.delete_story(old.id)
            for aid in ids:
                s.assign(aid, "s/one")
            s.save_story(Story("s/one", "Harbour walls", tuple(ids), outlets=("..", "Out/let .."), sources=len(ids),
                               independent_sources=len(ids)))
    return db, ids


def test_ids_with_slashes_and_dots_are_reachable(odd_ids_client):
    # a real server: Starlette's TestClient decodes a path twice (%252e reaches the app as ".")
    import httpx

    db, ids = odd_ids_client
    with serving(create_app(db)) as port, httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as c:
        _follow_every_link(c, ids)


def _follow_every_link(c, ids):
    listing = c.get("/stories")
    story_links = [h for h in _hrefs(listing.text) if h.startswith("/stories/")]
    assert story_links, listing.text
    hits = c.get("/stories", params={"q": "harbour"})
    assert hits.status_code == 200
    # search shows one hit per story; the story page links every one of its articles
    article_links = {h for page in [hits] + [c.get(s) for s in story_links]
                     for h in _hrefs(page.text) if h.startswith("/articles/")}
    reached = set()
    for href in sorted(article_links | set(story_links) | {h for h in _hrefs(hits.text) if h.startswith("/outlets/")}):
        assert "/../" not in href and "/./" not in href and not href.startswith("//"), href
        r = c.get(href)
        assert r.status_code == 200, (href, r.status_code, r.text[:300])
        if href.startswith("/articles/"):
            twin = re.search(r'href="([^"]*)">this page as JSON', r.text).group(1).replace("&amp;", "&")
            r_json = c.get(twin)
            assert r_json.status_code == 200, href
            reached.add(r_json.json()["id"])
    assert reached == set(ids), sorted(article_links)


def test_links_are_absolute_paths_without_dot_segments(odd_ids_client):
    db, ids = odd_ids_client
    with TestClient(create_app(db)) as c:
        pages = [c.get("/stories", params={"q": "harbour"}).text, c.get("/stories/s%2Fone").text]
    assert "harbour" in pages[1].lower()
    for href in _hrefs("".join(pages)):
        assert href.startswith(("/", "?", "data:")) and not href.startswith("//"), href
        assert not re.search(r"(^|/)\.\.?(/|$)", href.split("?")[0]), href


def test_a_404_for_a_protocol_relative_path_links_only_here(client):
    for path in ("//evil.example/x", "///evil.example/x", "/..//evil.example/x"):
        r = client.get(path)
        assert r.status_code == 404, path
        for href in _hrefs(r.text):
            if href != "data:,":  # the empty favicon
                assert href.startswith("/") and not href.startswith("//"), href


def test_rendered_pages_carry_no_control_characters(tmp_path):
    from samestory.models import Article

    db = tmp_path / "c.db"
    text = "Harbour \x1b]8;;http://evil.example/\x07wall\x1b]8;;\x07 approved \x9b2J\u202e by the council."
    with Store(db) as s, s.transaction():
        s.upsert_article(Article(id="a-ctl", outlet="Out\x1b[1mlet", title="Wall \x1b[31mapproved\x07", text=text))
    with TestClient(create_app(db)) as c:
        page = c.get("/articles/a-ctl").text
        assert "Wall [31mapproved" in page
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", page)
        assert c.get("/articles/a-ctl.json").json()["title"] == "Wall \x1b[31mapproved\x07"  # data kept


def test_pages_and_health_answer_while_a_writer_holds_the_store(demo_db, tmp_path):
    """An ingest's write transaction (here: one held open) neither blocks a page that compares a story
    nor health; the comparison reaches the cache once the writer is done."""
    db = tmp_path / "busy.db"
    shutil.copy(demo_db, db)
    with Store(db) as s:
        sid = max(s.stories(), key=lambda x: x.sources).id
        s.conn.execute("DELETE FROM coverage_cache")  # the first view compares for real: a slow request
    with serving(create_app(db)) as port:
        import httpx

        base = f"http://127.0.0.1:{port}"
        writer = sqlite3.connect(db, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE stories SET data = data WHERE id = ?", (sid,))
        slow = {}

        def view():
            slow["status"] = httpx.get(f"{base}/stories/{sid}", timeout=300).status_code

        viewer = threading.Thread(target=view)
        viewer.start()
        answered_during_the_view = 0
        while viewer.is_alive():
            assert httpx.get(f"{base}/api/health", timeout=300).status_code == 200
            answered_during_the_view += viewer.is_alive()
            time.sleep(0.02)
        viewer.join()
        # the page compared and answered while the writer still held the store (the old shared connection
        # waited out its 30 s busy timeout writing the cache, then failed), and health answered meanwhile
        assert slow["status"] == 200, slow
        assert answered_during_the_view >= 1
        writer.execute("COMMIT")
        writer.close()
        for _ in range(100):
            with Store(db, readonly=True) as r:
                if r.cached_coverage(sid) is not None:
                    break
            time.sleep(0.1)
        else:
            raise AssertionError("the comparison was not cached after the writer finished")


def test_a_changed_story_is_served_stale_while_its_new_version_renders(demo_db, tmp_path):
    # an ingest writing into a story must not queue its readers behind a new comparison: the last
    # page is served (marked stale) and the new version is rendered once, in the background
    from dataclasses import replace

    db = tmp_path / "stale.db"
    shutil.copy(demo_db, db)
    with Store(db) as s:
        sid = max(s.stories(), key=lambda x: x.sources).id
    with TestClient(create_app(db)) as c:
        first = c.get(f"/stories/{sid}.json")
        assert first.status_code == 200 and "x-samestory-stale" not in first.headers
        with Store(db) as s:
            before = s.story_updated(sid)
            time.sleep(0.01)  # the updated stamp has millisecond resolution
            with s.transaction():
                story = s.get_story(sid)
                s.save_story(replace(story, title=story.title + " (updated)"))
            assert s.story_updated(sid) != before
        second = c.get(f"/stories/{sid}.json")
        assert second.status_code == 200
        assert "x-samestory-stale" in second.headers  # answered at once, not after comparing again
        deadline = time.monotonic() + 120
        while "x-samestory-stale" in second.headers and time.monotonic() < deadline:
            assert second.json() == first.json()  # the last page, whole
            time.sleep(0.2)
            second = c.get(f"/stories/{sid}.json")
        assert "x-samestory-stale" not in second.headers
        assert second.json()["story"]["title"].endswith("(updated)")


def test_stories_are_compared_in_a_worker_process_that_is_replaced_when_killed(demo_db, tmp_path):
    # a comparison holds the interpreter lock for seconds: it runs in its own process, and a
    # killed worker costs no page (the next comparison starts another)
    import os
    import signal

    db = tmp_path / "worker.db"
    shutil.copy(demo_db, db)
    with Store(db) as s:
        with s.transaction():
            s.conn.execute("DELETE FROM coverage_cache")
        ids = [x.id for x in s.stories()][:2]
    with TestClient(create_app(db)) as c:
        comparer = c.app.state.comparer
        assert comparer.worker_pids() == []
        first = c.get(f"/stories/{ids[0]}.json")
        assert first.status_code == 200 and first.json()["story"]["id"] == ids[0]
        (pid,) = comparer.worker_pids()
        assert pid != os.getpid()
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        second = c.get(f"/stories/{ids[1]}.json")
        assert second.status_code == 200 and second.json()["story"]["id"] == ids[1]
        assert comparer.worker_pids() and comparer.worker_pids() != [pid]
        assert c.get("/api/health").status_code == 200
    with Store(db) as s:  # the server's cache writer stored both, each under its story's version
        for sid in ids:
            assert s.cached_coverage(sid) is not None


def test_a_comparison_is_cached_under_the_version_it_was_computed_from(demo_db, tmp_path):
    from dataclasses import replace

    db = tmp_path / "version.db"
    shutil.copy(demo_db, db)
    with Store(db) as s:
        sid = s.stories()[0].id
        old = s.story_updated(sid)
        time.sleep(0.01)
        with s.transaction():
            story = s.get_story(sid)
            s.save_story(replace(story, title=story.title + " (later)"))
        new = s.story_updated(sid)
        assert new > old
        with s.transaction():
            s.cache_coverage(sid, {"shows": "old"}, old)  # computed before the change, stored after it
        assert s.cached_coverage(sid) is None  # never served as the new version
        with s.transaction():
            s.cache_coverage(sid, {"shows": "new"}, new)
            s.cache_coverage(sid, {"shows": "old"}, old)  # a slow older comparison arriving late
        assert s.cached_coverage(sid) == {"shows": "new"}


def test_the_comparison_worker_ends_with_its_server(demo_db, tmp_path):
    import os
    import signal
    import subprocess
    import sys

    db = tmp_path / "orphan.db"
    shutil.copy(demo_db, db)
    with Store(db) as s:
        with s.transaction():
            s.conn.execute("DELETE FROM coverage_cache")
        sid = s.stories()[0].id
    code = (f"import os, sys\nfrom fastapi.testclient import TestClient\nfrom samestory.web.app import create_app\n"
            f"c = TestClient(create_app({str(db)!r})).__enter__()\n"
            f"assert c.get('/stories/{sid}.json').status_code == 200\n"
            f"print(c.app.state.comparer.worker_pids()[0], flush=True)\nos._exit(0)\n")  # no shutdown at all
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    worker = int(out.stdout.split()[-1])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.kill(worker, signal.SIGKILL)
    raise AssertionError("the worker outlived its server")
