"""The story page's new parts in Debian chromium: headlines side by side, the coverage-balance bar,
the blindspot flag, the timeline, search hits; screenshots go to test-artifacts/."""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO
from test_web_browser import CHROMIUM, Server, browser, shot  # noqa: F401 - the browser fixture

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (make test installs it as root)")


@pytest.fixture
def profiled_db(demo_db, tmp_path):
    from samestory.report.profiles import STATE_NAME, load_profiles
    from samestory.store import Store

    db = tmp_path / "web.db"
    shutil.copy(demo_db, db)
    with Store(db) as store, store.transaction():
        store.save_state(STATE_NAME, load_profiles(REPO / "examples" / "outlet-profiles.csv").to_state())
    return db


def test_story_page_headlines_balance_timeline(browser, profiled_db):  # noqa: F811
    from samestory.store import Store

    with Store(profiled_db, readonly=True) as store:
        stories = store.stories()
    main = max(stories, key=lambda s: s.sources)
    # the paint-works story: Harbour Courier and Northgate Evening Star, both left in the example
    blind = next(s for s in stories if set(s.outlets) == {"Harbour Courier", "Northgate Evening Star"})
    with Server(profiled_db) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/stories/{main.id}")
        cards = page.locator(".headlines .headline")
        assert cards.count() == main.sources
        copies = page.locator(".headline.copy .copy-of").all_inner_texts()
        assert copies and all(c.startswith("copy of ") for c in copies)
        assert page.locator("h1").inner_text() not in {"DAM OF DEATH: Seven killed as scandal-hit water firm’s dam bursts over sleeping town"}
        blocks = page.locator(".balance span")
        assert blocks.count() == len(main.outlets)
        assert page.locator(".balance span.left").count() == 2 and page.locator(".balance span.right").count() == 1
        assert page.locator(".blindspot").count() == 0
        assert "Coverage by leaning" in page.locator(".balance-text").inner_text()
        moments = page.locator(".timeline li.moment")
        assert moments.count() >= 2
        assert page.locator(".timeline .kind").first.inner_text() == "first report"
        assert "UTC" in page.locator(".timeline time").first.inner_text()
        # a copy's column says whose copy it is, never empty where its source has the claim
        assert page.locator("table.claims td .copy").count() > 0
        page.locator(".headlines").scroll_into_view_if_needed()
        shot(page, "10-story-headlines-balance")
        page.locator(".timeline").scroll_into_view_if_needed()
        shot(page, "11-story-timeline")

        page.goto(f"{base}/stories/{blind.id}")
        flag = page.locator(".blindspot-line")
        assert flag.is_visible() and "no right-leaning outlet" in flag.inner_text()
        shot(page, "12-story-blindspot")
        assert not errors, errors


def test_search_hits_are_marked_once_per_story(browser, profiled_db):  # noqa: F811
    with Server(profiled_db) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/stories?q=siren")
        hits = page.locator("li.hit")
        assert hits.count() >= 1
        links = hits.locator("a.story-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert len(links) == len(set(links))  # one story once
        assert page.locator(".snippet mark").count() >= 1
        assert "[" not in " ".join(page.locator(".snippet").all_inner_texts())
        assert page.locator("table.stories").count() == 0  # no unfiltered story table under the hits
        shot(page, "13-search-hits")
        page.goto(f"{base}/stories?side=left&min_outlets=2")
        rows = page.locator("tr.story-row")
        assert rows.count() >= 1
        assert page.locator("tr.story-row .balance").count() == rows.count()
        shot(page, "14-stories-filtered")
