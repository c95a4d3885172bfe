"""The learned pair scorer: the probability that two claims state the same thing.

A logistic regression over features of one pair that do not depend on the story around it
(so two one-sentence articles and a 30-article story are scored alike):

* the MiniLM embeddings: their elementwise product and squared difference (384 weights each;
  bilinear, so a claim x claim matrix costs two matrix products), and their cosine;
* lexical: rapidfuzz token-set ratio, content-word Jaccard and containment, length ratio;
* names (capitalised words after the first): Jaccard, and the share only one side has;
* numbers (``samestory.text.numbers``): values both state, and values on both sides with none in common;
* negation on one side only.

Weights: ``compare/models/aligner.json``, trained by ``bench/train_aligner.py`` deterministically,
in two stages:

1. the logistic regression above on the MSRP train split (Dolan & Brockett 2005);
2. a recalibration (``Recalibration``) for real stories: a second logistic regression over the
   same scalar features and stage 1's logit, fitted on the tune half of the judged wikinews-events
   claim pairs (bench/judged/wikinews_claim_pairs.jsonl) with MSRP train at a small weight. MSRP
   pairs were picked for their word overlap; in real stories paraphrases share fewer words, and a
   value that differs ("197 killed" / "194 killed") is the same claim the conflict check needs
   together, where MSRP calls it a non-paraphrase. The decision threshold is chosen on the tune
   half (out-of-fold by story) and stated in the JSON with its figures.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from samestory.errors import ModelError
from samestory.text.numbers import values_in
from samestory.text.words import CLAIM_STOP

__all__ = ["AlignerModel", "Recalibration", "load_model", "pair_features", "SCALAR_FEATURES", "claim_terms", "ClaimTerms", "lexical_text", "norm_word"]

SCALAR_FEATURES = (
    "cosine", "lexical", "jaccard", "contain", "length_ratio",
    "name_jaccard", "name_missing", "numbers_shared", "numbers_clash", "negation_mismatch",
)

_WORD = re.compile(r"[A-Za-z0-9][\w’'\-]*")
_CAPITAL = re.compile(r"\b[A-Z][\w’'\-]+")
_POSSESSIVE = re.compile(r"[’']s$")
_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|none|nobody|nothing|without)\b|n[’']t\b", re.I)


def norm_word(word: str) -> str:
    """Lower case, no possessive, a plain plural made singular ("cities" -> "city")."""
    w = _POSSESSIVE.sub("", word.lower()).strip("’'-")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


@dataclass(frozen=True)
class ClaimTerms:
    """What the pair features read from one claim's text."""

    words: int
    content: frozenset[str]
    names: frozenset[str]
    numbers: frozenset[str]
    negated: bool


def claim_terms(text: str) -> ClaimTerms:
    words = _WORD.findall(text)
    content = frozenset(w for w in (norm_word(x) for x in words) if w not in CLAIM_STOP and len(w) > 1)
    caps = list(_CAPITAL.finditer(text))
    # the first word is capitalised by position, not because it names something
    names = frozenset(w for m in caps if m.start() > 0 and (w := norm_word(m.group(0))) not in CLAIM_STOP)
    numbers = frozenset(v.key for v in values_in(text) if v.exact)
    return ClaimTerms(len(words), content, names, numbers, bool(_NEGATION.search(text)))


def lexical_text(text: str) -> str:
    """The lower-cased words the token-set ratio compares."""
    return " ".join(w.lower() for w in _WORD.findall(text))


def incidence(sets: Sequence[frozenset[str]]) -> np.ndarray:
    """One 0/1 row per set over the terms of all of them: pairwise set sizes become matrix products."""
    vocab: dict[str, int] = {}
    for s in sets:
        for w in s:
            vocab.setdefault(w, len(vocab))
    m = np.zeros((len(sets), max(len(vocab), 1)), dtype=np.float32)
    rows = [i for i, s in enumerate(sets) for _ in s]
    m[rows, [vocab[w] for s in sets for w in s]] = 1.0
    return m


def _set_stats(sets: Sequence[frozenset[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise |A & B| and the sizes, via one matrix product."""
    m = incidence(sets)
    return m @ m.T, m.sum(axis=1)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return np.divide(num, den, out=np.zeros_like(num, dtype=np.float32), where=den > 0)


def pair_features(terms: Sequence[ClaimTerms], texts: Sequence[str], embeddings: np.ndarray,
                  lexical: np.ndarray) -> np.ndarray:
    """The scalar features of every claim pair: an array (features, n, n)."""
    n = len(terms)
    inter, size = _set_stats([t.content for t in terms])
    union = size[:, None] + size[None, :] - inter
    small = np.minimum.outer(size, size)
    ninter, nsize = _set_stats([t.names for t in terms])
    nunion = nsize[:, None] + nsize[None, :] - ninter
    vinter, vsize = _set_stats([t.numbers for t in terms])
    words = np.array([max(t.words, 1) for t in terms], dtype=np.float32)
    neg = np.array([t.negated for t in terms])
    feats = np.stack([
        (embeddings @ embeddings.T).astype(np.float32),
        lexical.astype(np.float32),
        _ratio(inter, union),
        _ratio(inter, small),
        (np.minimum.outer(words, words) / np.maximum.outer(words, words)).astype(np.float32),
        _ratio(ninter, nunion),
        _ratio(nunion - ninter, nunion),
        np.minimum(vinter, 2.0) / 2.0,
        ((vinter == 0) & (vsize[:, None] > 0) & (vsize[None, :] > 0)).astype(np.float32),
        (neg[:, None] != neg[None, :]).astype(np.float32),
    ])
    assert feats.shape == (len(SCALAR_FEATURES), n, n)
    return feats


@dataclass(frozen=True)
class Recalibration:
    """Stage 2: a logistic regression over the standardized scalar features and stage 1's logit."""

    mean: np.ndarray  # of the scalar features and the logit (len(SCALAR_FEATURES) + 1)
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    def logits(self, feats: np.ndarray, z: np.ndarray) -> np.ndarray:
        k = len(SCALAR_FEATURES)
        w = self.weights / self.scale
        out = np.tensordot(w[:k], feats - self.mean[:k, None, None], axes=1)
        return (out + w[k] * (z - self.mean[k]) + self.bias).astype(np.float32)

    def to_json(self) -> dict:
        return {"mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
                "weights": self.weights.round(6).tolist(), "bias": round(float(self.bias), 6)}

    @classmethod
    def from_json(cls, d: dict) -> Recalibration:
        f = lambda k: np.asarray(d[k], dtype=np.float32)  # noqa: E731
        if len(d["weights"]) != len(SCALAR_FEATURES) + 1:
            raise ModelError("aligner recalibration weights do not match the scalar features")
        return cls(f("mean"), f("scale"), f("weights"), float(d["bias"]))


@dataclass(frozen=True)
class AlignerModel:
    """Logistic regression weights: scalar features (standardized with ``mean``/``scale``), the
    embedding product and squared difference, a bias, the stage-2 ``recalibration`` (None: stage 1
    alone), and the decision threshold of the final probability."""

    scalar: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    product: np.ndarray
    sqdiff: np.ndarray
    bias: float
    threshold: float
    about: dict
    recalibration: Recalibration | None = None

    def stage1_logits(self, feats: np.ndarray, embeddings: np.ndarray) -> np.ndarray:
        z = np.tensordot(self.scalar / self.scale, feats - self.mean[:, None, None], axes=1) + self.bias
        e = embeddings.astype(np.float32)
        # w.(u*v) and w.(u-v)^2 = w.u^2 + w.v^2 - 2 w.(u*v): matrix products, no pair loop
        sq = (e * e) @ self.sqdiff
        z = z + (e * (self.product - 2 * self.sqdiff)) @ e.T + sq[:, None] + sq[None, :]
        return z.astype(np.float32)

    def logits(self, feats: np.ndarray, embeddings: np.ndarray) -> np.ndarray:
        z = self.stage1_logits(feats, embeddings)
        return z if self.recalibration is None else self.recalibration.logits(feats, z)

    def probabilities(self, feats: np.ndarray, embeddings: np.ndarray) -> np.ndarray:
        return (1.0 / (1.0 + np.exp(-np.clip(self.logits(feats, embeddings), -30, 30)))).astype(np.float32)

    def to_json(self) -> dict:
        return {
            "features": list(SCALAR_FEATURES), "scalar": self.scalar.round(6).tolist(),
            "mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
            "product": self.product.round(6).tolist(), "sqdiff": self.sqdiff.round(6).tolist(),
            "bias": round(float(self.bias), 6), "threshold": self.threshold, "about": self.about,
            **({"recalibration": self.recalibration.to_json()} if self.recalibration is not None else {}),
        }

    @classmethod
    def from_json(cls, d: dict) -> AlignerModel:
        if tuple(d["features"]) != SCALAR_FEATURES:
            raise ModelError(f"aligner weights name features {d['features']}, the code computes {SCALAR_FEATURES}")
        f = lambda k: np.asarray(d[k], dtype=np.float32)  # noqa: E731
        return cls(f("scalar"), f("mean"), f("scale"), f("product"), f("sqdiff"), float(d["bias"]),
                   float(d["threshold"]), d.get("about", {}),
                   Recalibration.from_json(d["recalibration"]) if "recalibration" in d else None)


@functools.lru_cache(maxsize=1)
def load_model() -> AlignerModel:
    """The shipped weights (package data ``compare/models/aligner.json``)."""
    text = resources.files("samestory.compare").joinpath("models/aligner.json").read_text(encoding="utf-8")
    return AlignerModel.from_json(json.loads(text))
