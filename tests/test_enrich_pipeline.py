"""enrich() / analyze_json() / embeddings over invented articles."""

from __future__ import annotations

import json

import numpy as np
import pytest

from samestory.enrich import analyze, analyze_json, enrich
from samestory.enrich.embed import article_vector, embed_texts
from samestory.enrich.nlp import parse
from samestory.models import Article

TEXT = ("Mayor Greta Lindqvist opened the new bridge in Tromsvik on Sunday.\n\n"
        "“It took four years,” she said. About 300 people watched\n\n"
        "Short caption line\n"
        "The council said that the bridge cost £12 million.")


def test_sentences_respect_paragraphs(nlp):
    parsed = parse([TEXT])[0]
    sents = [s.of(TEXT) for s in parsed.sentences]
    assert "About 300 people watched" in sents
    assert "Short caption line" in sents
    assert all("\n" not in s for s in sents)


@pytest.mark.parametrize("text, expected", [
    # a quotation of two sentences on one line is one sentence: no claim ends mid-quote
    ("Ada smiled. Tomas asked: “Shall we go in spring? It looks lovely!” Ada replied: “Yes, fine.” Then they left.",
     ["Ada smiled.", "Tomas asked: “Shall we go in spring? It looks lovely!”", "Ada replied: “Yes, fine.”", "Then they left."]),
    ('He said: "We will win. We always do." Then he left.', ['He said: "We will win. We always do."', "Then he left."]),
    # an unclosed quotation pairs with later marks: the parser's sentences stay
    ('"The pie business does not fit our plans. Ms Young hoped for a more "fair and equal" service.',
     ['"The pie business does not fit our plans.', 'Ms Young hoped for a more "fair and equal" service.']),
])
def test_sentences_do_not_break_inside_a_quotation(nlp, text, expected):
    assert [s.of(text) for s in parse([text])[0].sentences] == expected


def test_enrich_fills_every_field(nlp, embedder):
    art = Article(id="p1", outlet="test", title="Bridge opens", text=TEXT, published="2024-01-29")
    out = enrich([art])[0]
    assert out.id == art.id and out.text == art.text
    assert out.enriched and out.entities and out.quotes and out.quantities
    assert out.quotes[0].speaker == "Greta Lindqvist"
    assert isinstance(out.embedding, np.ndarray) and out.embedding.dtype == np.float32
    assert abs(float(np.linalg.norm(out.embedding)) - 1.0) < 1e-4
    assert art.sentences == ()  # the input record is untouched


def test_enrich_rejects_non_articles():
    with pytest.raises(TypeError, match="Article"):
        enrich(["just a string"])


def test_analyze_json_ready(nlp):
    art = Article(id="p2", outlet="test", title="Bridge", text=TEXT, published="2024-01-29")
    rows = analyze_json([art, art])
    assert len(rows) == 2
    doc = json.loads(json.dumps(rows[0]))
    assert {"sentences", "entities", "quotes", "quantities"} <= set(doc)
    s = doc["sentences"][0]
    assert TEXT[s["start"] : s["end"]] == s["text"]
    assert analyze(art)["quotes"] == doc["quotes"]


def test_embed_texts(embedder):
    v = embed_texts(["The bridge opened.", "A new bridge was opened.", "Stock markets fell sharply.", ""])
    assert v.shape == (4, 384) and v.dtype == np.float32
    assert float(v[0] @ v[1]) > float(v[0] @ v[2])
    assert not v[3].any()
    assert embed_texts([]).shape == (0, 384)
    art = Article(id="p3", outlet="t", title="Bridge opens", text="The bridge opened on Sunday.")
    assert article_vector(art).shape == (384,)
