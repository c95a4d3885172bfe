"""The story page explains each framing figure in words: every Framing note is on the page."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from samestory.web.app import create_app


@pytest.fixture(scope="module")
def client(demo_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("web-notes") / "web.db"
    shutil.copy(demo_db, db)
    with TestClient(create_app(db)) as c:
        yield c


def test_story_page_renders_framing_notes(client):
    stories = client.get("/stories.json").json()["stories"]
    seen = 0
    for story in stories:
        cov = client.get(f"/stories/{story['id']}.json").json()
        notes = [n for f in cov.get("framing", []) for n in f.get("notes", [])]
        if not notes:
            continue
        page = client.get(f"/stories/{story['id']}").text
        for n in notes:
            assert str(escape(n)) in page, n  # escaped the way the templates escape
        seen += 1
    assert seen, "no story in the demo store has framing notes"
