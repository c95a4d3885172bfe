"""The real pages in Debian chromium, driven by Playwright, against a real server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make test installs it as root)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, db: Path) -> None:
        import uvicorn

        from samestory.web.app import create_app

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_reader_journey(browser, demo_db, tmp_path):
    db = tmp_path / "web.db"
    shutil.copy(demo_db, db)
    with Server(db) as base:
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}/")
        assert page.locator("tr.story-row").count() >= 2
        shot(page, "01-stories")

        # search: a word of the first story's title finds articles
        title = page.locator("a.story-link").first.inner_text()
        word = max(title.split(), key=len).strip(".,:;!?'\"")
        page.fill("#q", word)
        page.click("form.search button")
        page.wait_for_selector("li.hit")
        shot(page, "02-search")

        # open the story with the most independent sources
        page.goto(f"{base}/stories")
        stories = json.loads(page.evaluate("fetch('/stories.json').then(r => r.text())"))["stories"]
        best = max(stories, key=lambda s: s["independent_sources"])
        page.click(f"a.story-link[href='/stories/{best['id']}']")
        page.wait_for_selector("table.claims")
        shot(page, "03-story")

        # filter unique claims: only unique rows stay visible
        total = page.locator("tr.claim").count()
        page.click("a.filter[data-status='unique']")
        visible = page.locator("tr.claim:visible")
        assert 0 < visible.count() < total
        assert all(s == "unique" for s in visible.evaluate_all("rows => rows.map(r => r.dataset.status)"))
        shot(page, "04-unique")

        # click a citation: the article opens with the cited sentence highlighted and in view
        page.click("a.filter[data-status='']")
        link = page.locator("a.evidence").first
        cited = link.inner_text().strip()
        link.click()
        mark = page.locator("mark#hl")
        mark.wait_for()
        assert mark.is_visible()
        highlighted = " ".join(t.strip() for t in page.locator("mark.cite").all_inner_texts())
        assert cited[:30] in highlighted or highlighted[:30] in cited
        shot(page, "05-citation")
        assert not errors, errors


def test_hostile_article_executes_nothing(browser, tmp_path):
    from samestory.store import Store
    from samestory.workflow import Ingestor

    corpus = tmp_path / "in"
    corpus.mkdir()
    payload = "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">"
    (corpus / "evil.txt").write_text(
        f"Harbour report {payload}\n\nThe harbour master said the new pier opened on Friday {payload} in Westmere. "
        f"\"It works\", she said. <svg onload=\"window.__xss=3\"></svg> More boats arrived in the afternoon.\n")
    (corpus / "evil.meta.json").write_text(json.dumps({"outlet": f"Evil {payload} Times",
                                                        "url": "javascript:window.__xss=4"}))
    db = tmp_path / "xss.db"
    with Store(db) as store:
        report = Ingestor(store).ingest([str(corpus)])
        assert report.added == 1, report.to_dict()
        article_id = store.article_summaries()[0]["id"]
        story_id = store.stories()[0].id
        outlet = store.get_article(article_id).outlet
    with Server(db) as base:
        page = browser.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        from urllib.parse import quote

        for path in ("/stories", f"/stories/{story_id}", f"/articles/{article_id}", f"/outlets/{quote(outlet, safe='')}",
                     "/stories?q=harbour"):
            page.goto(base + path)
            page.wait_for_load_state("load")
            assert page.evaluate("window.__xss") is None, path
            assert page.locator("script:not([src])").count() == 0, path
        shot(page, "06-xss")
        assert not dialogs
