"""The web app's JSON twins, error shape, security headers and write guard (in-process client)."""

from __future__ import annotations

import json
import shutil

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
        assert r.status_code == 200, r.text
        assert r.json()["added"] == 1
        assert c.get("/stories.json").json()["total"] == 1


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
