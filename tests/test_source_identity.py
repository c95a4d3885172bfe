"""One definition of independence (``samestory.dedup.source_roots``) everywhere: two articles of one
outlet are one source in the comparison, the clusterer, the stored story row, the CLI and the
web; a claim only that outlet's two articles carry is not 'shared'."""

from __future__ import annotations

import json
import pytest
from click.testing import CliRunner

from samestory.cli import main
from samestory.cluster import StoryClusterer
from samestory.compare import compare
from samestory.enrich import enrich
from samestory.dedup import count_sources, independent_sources, source_keys
from samestory.models import Article, DuplicateLink
from samestory.store import Store
from samestory.workflow import Ingestor

# Fictional: the river, the towns and the outlets are invented for this test.
ESK_MORNING = Article(
    id="f-esk-1", outlet="Esk Valley Times", title="River Esk floods Thornby as banks give way",
    published="2026-03-03T07:00:00+00:00",
    text=("The River Esk burst its banks at Thornby early on Tuesday, flooding 120 homes along Mill Lane. "
          "Firefighters carried elderly residents from their homes in inflatable boats before dawn. "
          "The Thornby bridge has been closed to traffic until engineers can inspect its piers."),
)
ESK_EVENING = Article(
    id="f-esk-2", outlet="esk valley times ", title="Thornby counts the cost of the Esk flood",
    published="2026-03-03T18:00:00+00:00",
    text=("Residents of Thornby began clearing mud from their kitchens on Tuesday evening after the River Esk "
          "flooded 120 homes. The Thornby bridge has been closed to traffic until engineers can inspect its piers. "
          "The parish council opened the village hall as a rest centre with camp beds and hot meals."),
)
DALE = Article(
    id="f-dale-1", outlet="Dalesman Post", title="Flood hits Thornby after Esk bursts its banks",
    published="2026-03-03T09:30:00+00:00",
    text=("Floodwater from the River Esk swept into Thornby on Tuesday morning, and about 120 homes were flooded. "
          "Firefighters used boats to rescue older residents from Mill Lane. "
          "Forecasters warned that more rain was expected over the moors later in the week."),
)
FLOOD = [ESK_MORNING, ESK_EVENING, DALE]
BRIDGE = "bridge has been closed"


def test_one_outlets_two_articles_are_one_source():
    keys = source_keys(FLOOD)
    assert keys[0] == keys[1] != keys[2]
    assert independent_sources(FLOOD) == 2


def test_copies_wire_and_outlets_collapse_together():
    members = [
        ("a", "Island Times", None, None),
        ("b", "Aggregator", "a", None),          # a copy is its canonical's source, not the aggregator's
        ("c", "Aggregator", None, None),         # the aggregator's own article is a source of its own
        ("d", "Paper A", None, "Reuters"),       # one agency's wire copy is one source
        ("e", "Paper B", None, "Reuters"),
        ("f", "Paper A", None, None),            # Paper A's own reporting does not join its wire copy
    ]
    assert count_sources(members) == 4


@pytest.fixture(scope="module")
def coverage(nlp, embedder):
    return compare(enrich(FLOOD, embed=False))


def test_compare_counts_two_independent_sources(coverage):
    assert coverage.story.independent_sources == 2
    assert coverage.story.sources == 3


def test_a_claim_only_one_outlet_carries_is_not_shared(coverage):
    groups = [g for g in coverage.claims if any(BRIDGE in e.text for e in g.evidence)]
    assert groups, "no claim group carries the bridge closure"
    for g in groups:
        assert g.status != "shared", (g.status, [e.text for e in g.evidence])


def test_clusterer_counts_outlets_once(nlp, embedder):
    clusterer = StoryClusterer()
    clusterer.assign_many(FLOOD)
    [story] = [s for s in clusterer.stories() if s.sources == 3]
    assert story.independent_sources == 2


def test_copy_keeps_counting_with_its_canonical_in_the_clusterer(nlp, embedder):
    copy = Article(id="f-copy", outlet="NewsHeap", title=DALE.title, text=DALE.text, published=DALE.published,
                   duplicate=DuplicateLink("f-dale-1", "exact", 1.0))
    clusterer = StoryClusterer()
    clusterer.assign_many(FLOOD + [copy])
    [story] = [s for s in clusterer.stories() if s.sources == 4]
    assert story.independent_sources == 2


@pytest.fixture(scope="module")
def flood_db(tmp_path_factory, nlp, embedder):
    path = tmp_path_factory.mktemp("flood") / "flood.db"
    src = path.parent / "flood.jsonl"
    src.write_text("".join(json.dumps({"id": a.id, "outlet": a.outlet, "title": a.title, "text": a.text,
                                       "published": a.published}) + "\n" for a in FLOOD))
    with Store(path) as store:
        Ingestor(store).ingest([str(src)])
    return path


def test_stored_story_counts_two(flood_db):
    with Store(flood_db) as store:
        [story] = [s for s in store.stories() if s.sources == 3]
    assert story.independent_sources == 2


def _cli(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_cli_stories_and_story_count_two(flood_db):
    stories = json.loads(_cli("stories", "--db", str(flood_db), "--json"))
    rows = stories["stories"] if isinstance(stories, dict) else stories
    [row] = [r for r in rows if r["sources"] == 3]
    assert row["independent_sources"] == 2
    doc = json.loads(_cli("story", row["id"], "--db", str(flood_db), "--format", "json"))
    assert doc["story"]["independent_sources"] == 2


def test_cli_and_web_read_one_cached_document(flood_db, monkeypatch):
    from fastapi.testclient import TestClient

    import samestory.compare as compare_pkg
    from samestory.web.app import create_app

    with Store(flood_db) as store:
        [story] = [s for s in store.stories() if s.sources == 3]
    cli_doc = json.loads(_cli("story", story.id, "--db", str(flood_db), "--format", "json"))
    with TestClient(create_app(str(flood_db))) as client:  # leaving it stops the app: its cache writer has written
        web_doc = client.get(f"/stories/{story.id}.json").json()
    assert web_doc["schema_version"] == cli_doc["schema_version"]
    assert web_doc["story"] == cli_doc["story"] and web_doc["claims"] == cli_doc["claims"]
    # the web wrote the document to the store's cache: the CLI now renders it without comparing
    monkeypatch.setattr(compare_pkg, "compare", lambda *a, **k: pytest.fail("compared a cached story again"))
    again = json.loads(_cli("story", story.id, "--db", str(flood_db), "--format", "json"))
    assert again == cli_doc


def test_rows_counted_before_v2_are_recounted_by_the_next_ingest(flood_db, tmp_path):
    import dataclasses
    import shutil

    path = tmp_path / "old.db"
    shutil.copy(flood_db, path)
    with Store(path) as store:  # make it look like a store written by the old count
        [story] = [s for s in store.stories() if s.sources == 3]
        store.save_story(dataclasses.replace(story, independent_sources=3), store.story_aggregate(story.id))
        store.conn.execute("DELETE FROM state WHERE name = ?", (Ingestor.STATE_SOURCES,))
    with Store(path) as store:
        assert store.get_story(story.id).independent_sources == 3
        Ingestor(store)
        assert store.get_story(story.id).independent_sources == 2
