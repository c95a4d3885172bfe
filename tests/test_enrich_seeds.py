"""The two reference articles (read from ../shared/seeds, never copied): the leaders' exchange of
quotes is found in both with the right speaker for each line; ages and the detention figure are
attached to what they count."""

from __future__ import annotations

import pytest

from samestory.enrich import apply_story_keys, enrich
from samestory.models import Article


@pytest.fixture(scope="module")
def seed_articles(seeds, nlp):
    arts = []
    for path in seeds:
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        arts.append(Article(id=path.stem, outlet=path.stem, title=title.strip(), text=body, published="2024-01-29"))
    return apply_story_keys(enrich(arts))


def _starting(article, prefix):
    return [q for q in article.quotes if q.kind == "direct" and q.text.lower().startswith(prefix.lower())]


def test_exchange_of_quotes_in_both(seed_articles):
    for art in seed_articles:
        invite = _starting(art, "Let’s go")
        answer = _starting(art, "Yes, ok")
        assert invite and answer, f"{art.id}: {[q.text for q in art.quotes]}"
        assert "lukashenko" in (invite[0].speaker_key or ""), art.id
        assert "putin" in (answer[0].speaker_key or ""), art.id
        assert answer[0].cue == "replied"
        assert art.text[answer[0].speaker_span.start : answer[0].speaker_span.end] == "Putin"


def test_story_shares_speaker_keys(seed_articles):
    keys = [{_starting(a, "Yes, ok")[0].speaker_key} for a in seed_articles]
    assert keys[0] == keys[1]


def test_ages_attached(seed_articles):
    ages = {q.about_key: q.value for a in seed_articles for q in a.quantities if q.kind == "age"}
    luk = [v for k, v in ages.items() if k and "lukashenko" in k]
    put = [v for k, v in ages.items() if k and "putin" in k]
    assert luk == [69] and put == [71]
    ents = {e.key: e for a in seed_articles for e in a.entities if e.attributes.get("age")}
    assert any("lukashenko" in k and e.attributes["age"] == "69" for k, e in ents.items())


def test_detention_figure_attached(seed_articles):
    counts = [q for a in seed_articles for q in a.quantities if q.kind == "count" and q.value == 157]
    assert counts, "the detention figure was not found"
    assert "people" in counts[0].about and "detained" in counts[0].about


def test_scare_quotes_not_speech(seed_articles):
    for art in seed_articles:
        assert not [q for q in art.quotes if q.kind == "direct" and q.text.strip(" .") in ("rigged", "wave")]


def test_embeddings_close(seed_articles):
    a, b = seed_articles
    assert a.embedding.shape == (384,)
    assert float(a.embedding @ b.embedding) > 0.5
