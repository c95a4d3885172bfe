"""The web's pages for people, through their JSON twins: story page parts, filters, search, outlet pages."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from conftest import EXAMPLES


@pytest.fixture(scope="module")
def client(demo_db, tmp_path_factory):
    from samestory.report.profiles import load_profiles
    from samestory.web.app import create_app

    db = tmp_path_factory.mktemp("web-people") / "web.db"
    shutil.copy(demo_db, db)
    return TestClient(create_app(db, profiles=load_profiles(EXAMPLES / "outlet-profiles.csv")))


def _main_story(client):
    return max(client.get("/stories.json").json()["stories"], key=lambda s: s["sources"])


def test_story_twin_has_headlines_balance_timeline(client):
    main = _main_story(client)
    data = client.get(f"/stories/{main['id']}.json").json()
    assert len(data["headlines"]) == main["sources"]
    copies = {h["outlet"]: h["copy_of"] for h in data["headlines"] if h["copy_of"]}
    assert copies == {"Northgate Evening Star": "Harbour Courier", "NewsHeap": "The Daily Lantern"}
    assert data["title"] != "DAM OF DEATH: Seven killed as scandal-hit water firm’s dam bursts over sleeping town"
    assert data["balance"]["counts"] == {"left": 2, "centre": 2, "right": 1, "unknown": 1}
    assert data["balance"]["blindspot"] is None
    assert {o["outlet"] for o in data["omissions_shown"]}.isdisjoint(copies)
    # a copy's column is never empty where its source carries the claim
    col = data["outlet_columns"].index("NewsHeap")
    lantern = data["outlet_columns"].index("The Daily Lantern")
    for row in data["rows"]:
        if row["cells"][lantern]["evidence"] and not row["cells"][col]["evidence"]:
            assert row["cells"][col]["copy_of"] == "The Daily Lantern"
    kinds = [i["kind"] for d in data["timeline"] for i in d["items"]]
    assert kinds[0] == "first report" and "copy" in kinds and "follow-up" in kinds
    assert all("UTC" in i["time"] for d in data["timeline"] for i in d["items"])


def test_blindspot_and_filters(client):
    stories = client.get("/stories.json").json()["stories"]
    paint = next(s for s in stories if set(s["outlets"]) == {"Harbour Courier", "Northgate Evening Star"})
    assert paint["balance"]["blindspot"] == "right"
    assert client.get(f"/stories/{paint['id']}.json").json()["balance"]["blindspot"] == "right"
    left = client.get("/stories.json?side=left").json()
    assert paint["id"] in {s["id"] for s in left["stories"]} and left["total"] < len(stories)
    assert all(len(s["outlets"]) >= 3 for s in client.get("/stories.json?min_outlets=3").json()["stories"])
    dated = client.get("/stories.json?since=2025-03-06&until=2025-03-31").json()["stories"]
    assert dated and all(s["last_published"] >= "2025-03-06" for s in dated)
    assert client.get("/stories.json?side=sideways").status_code == 400


def test_search_hits_once_per_story_without_markers(client):
    data = client.get("/stories.json?q=dam").json()
    ids = [h["story_id"] for h in data["hits"]]
    assert ids and len(ids) == len(set(ids))
    assert data["stories"] == []
    assert any(m for h in data["hits"] for _t, m in h["snippet_parts"])
    assert all("\ue000" not in h["snippet"] and "[" not in h["snippet"] for h in data["hits"])
    page = client.get("/stories?q=dam").text
    assert "<mark>" in page and 'class="stories"' not in page


def test_outlet_page_needs_enough_stories_to_say_what_it_leaves_out(client):
    data = client.get("/outlets/Harbour%20Courier.json").json()
    assert data["profile"]["side"] == "left"
    assert data["stories"] and data["min_stories"] == 3
    assert data["stories_compared"] < 3 and data["left_out_shown"] is False and data["left_out"] == []
    assert "Not enough to say" in client.get("/outlets/Harbour%20Courier").text


def test_no_swagger_from_a_cdn(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 200


def test_ingest_stores_the_story_documents(tmp_path, nlp, embedder):
    from samestory.store import Store
    from samestory.workflow import Ingestor

    with Store(tmp_path / "s.db") as store:
        report = Ingestor(store, compare_stories=True).ingest([str(EXAMPLES / "demo")])
        assert report.stories
        assert all(store.cached_coverage(sid) is not None for sid in report.stories)
