"""The model calls the comparison needs, kept in one small place so they are easy to swap.

* ``sentence_spans``: the article's sentences (``Article.sentences``, from enrich), cut at line breaks.
* ``parse_sentences``: a dependency parse (tagger + parser) of sentences: the long ones claims
  split into clauses and the ones framing finds a lexicon word in. One cache per process keyed by
  text, so a sentence both need is parsed once, and a story compared again is not parsed again.
* ``lemma_sets``: lemmas of short texts (NER off: it has its own network, and lemmas do not
  need it; the parser stays, since the attribute ruler reads it: "did" is AUX or VERB), cached.
* ``encode``: sentence embeddings, batch-encoded in one call, L2-normalized, each text cut at
  ``MAX_CLAIM_TOKENS`` (claims are atomic; the model costs the same per token whatever it
  reads), with a per-process cache keyed by a hash of the text (a story re-rendered, or
  compared again with one more article, embeds only the new claims).
* ``token_states``: the last-layer state of every word piece of a sentence (the loaded-language
  detector's context), kept from the forward pass ``encode`` runs anyway when a claim is a whole
  sentence, computed in one batch for the rest.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence

import numpy as np

from samestory.models import Article, Span

_CACHE_MAX = 50_000
_PARSE_CACHE_MAX = 8_000  # a few hundred stories' worth of sentence parses (some KB each)
_vectors: OrderedDict[bytes, np.ndarray] = OrderedDict()
_parses: OrderedDict[str, object] = OrderedDict()
_lemmas: OrderedDict[tuple[Hashable, str], frozenset[str]] = OrderedDict()
_states: OrderedDict[bytes, tuple[np.ndarray, np.ndarray]] = OrderedDict()
# word-piece states are 384 float16 per piece (about 25 KB a sentence): a few stories' worth
_STATES_MAX = 2_000
_lock = threading.Lock()  # the web app compares in threads

# The embedder sorts texts by length before batching, so little is padded whatever the size.
ENCODE_BATCH = 32
# Torch threads for the encode call. Two threads halve the wall time when a core is free, but
# with OpenMP's default busy-wait they burned twice the CPU on a loaded machine; so torch waits
# passively (samestory/__init__.py sets that before anything imports torch) and the second thread
# is used only while the load average leaves a core free. SAMESTORY_ENCODE_THREADS=N forces N (0:
# torch's own setting).
_THREADS_ENV = os.environ.get("SAMESTORY_ENCODE_THREADS")
ENCODE_THREADS = int(_THREADS_ENV) if _THREADS_ENV is not None else None
# A claim is one clause: 64 word pieces (with [CLS]/[SEP]) hold all but the longest; the
# model's own limit (256) would make one run-on sentence cost as much as five claims.
MAX_CLAIM_TOKENS = 64
# The loaded-language states read a sentence up to 128 word pieces and keep the hidden state after
# layer 4 of MiniLM's 6: the last layer is shaped for the mean-pooled sentence vector, the middle
# one keeps more of the word (PTC span F1 in bench/framing.py's 5-fold CV, best threshold: layer 6
# 0.386, layer 4 0.407, layers 4+6 0.411, 2+4+6 0.405; 4 alone halves the cache). bench/train_loaded.py
# trains on these.
STATE_TOKENS = 128
STATE_LAYERS = (4,)


def encode_threads() -> int:
    """Torch threads for one encode call: ``SAMESTORY_ENCODE_THREADS``, else two when the 1-minute
    load average leaves a core free, else one."""
    if ENCODE_THREADS is not None:
        return ENCODE_THREADS
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:  # pragma: no cover - no load average on this platform
        load = float(cores)
    return min(2, cores) if load <= cores - 1 else 1


def sentence_spans(articles: Sequence[Article]) -> list[tuple[Span, ...]]:
    """Each article's sentences: enrich's (``Article.sentences``; compare takes enriched articles),
    cut at line breaks."""
    return [tuple(_split_lines(a.text, a.sentences)) for a in articles]


def _split_lines(text: str, spans: tuple[Span, ...]):
    """A sentence never crosses a line break: news paragraphs, captions and leftover page
    furniture sit on lines of their own, and a parser happily glues them together."""
    for span in spans:
        start = span.start
        for piece in text[span.start : span.end].split("\n"):
            s = _trimmed(text, start, start + len(piece))
            if s.end > s.start:
                yield s
            start += len(piece) + 1


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _cached(cache: OrderedDict, keys: Sequence[Hashable], compute: Callable[[list], list], limit: int) -> list:
    """Values for ``keys`` from ``cache``; the missing ones computed in one ``compute`` call."""
    with _lock:
        new = [k for k in dict.fromkeys(keys) if k not in cache]
    if new:
        values = compute(new)
        with _lock:
            for k, v in zip(new, values, strict=True):
                cache[k] = v
    with _lock:
        out = []
        for k in keys:
            if k in cache:
                cache.move_to_end(k)
                out.append(cache[k])
            else:  # evicted by a concurrent caller between the two steps: computed again
                out.append(compute([k])[0])
        while len(cache) > limit:
            cache.popitem(last=False)
    return out


def parse_sentences(texts: Sequence[str]) -> list:
    """spaCy Docs (tagger + parser, no NER or lemmas) for ``texts``, parsed in one ``nlp.pipe``
    call. Docs are shared through the cache: copy one (``doc.copy()``) before changing it."""
    if not texts:
        return []
    from samestory.enrich.models import PARAGRAPHS, load_spacy

    def run(new: list[str]) -> list:
        return list(load_spacy().pipe(new, batch_size=32, disable=["ner", "lemmatizer", PARAGRAPHS]))

    return _cached(_parses, list(texts), run, _PARSE_CACHE_MAX)


def lemma_sets(texts: Sequence[str], keep: Callable, *, key: Hashable) -> list[frozenset[str]]:
    """``frozenset(keep(token) for each token ...)`` per text, where ``keep(token)`` returns a
    string or None; tokens carry POS and lemmas (NER does not run). ``key`` names ``keep`` in
    the cache."""
    if not texts:
        return []
    from samestory.enrich.models import PARAGRAPHS, load_spacy

    def run(new: list[tuple[Hashable, str]]) -> list[frozenset[str]]:
        docs = load_spacy().pipe([t for _, t in new], batch_size=64, disable=["ner", PARAGRAPHS])
        return [frozenset(x for x in map(keep, doc) if x is not None) for doc in docs]

    return _cached(_lemmas, [(key, t) for t in texts], run, _CACHE_MAX)


def text_key(text: str) -> bytes:
    """The embedding cache key of a text: a hash, so the cache holds no article text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def encode(texts: Sequence[str]) -> np.ndarray:
    """One L2-normalized embedding row per text (all new texts encoded in one batch call),
    each text read up to ``MAX_CLAIM_TOKENS`` word pieces."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    by_key = {text_key(t): t for t in texts}

    def run(new: list[bytes]) -> list[np.ndarray]:
        from samestory.enrich.models import load_embedder

        with _torch_threads(encode_threads()):
            out = load_embedder().token_states([by_key[k] for k in new], max_tokens=MAX_CLAIM_TOKENS,
                                               batch_size=ENCODE_BATCH, layers=STATE_LAYERS)
        # the same forward's word-piece states, for the loaded-language detector: kept when the
        # claim was read whole (not cut at MAX_CLAIM_TOKENS), so they equal a sentence's own pass
        with _lock:
            for k, (_vec, states, offsets) in zip(new, out):
                if len(offsets) < MAX_CLAIM_TOKENS - 2:
                    _states[k] = (states.astype(np.float16), offsets)
            while len(_states) > _STATES_MAX:
                _states.popitem(last=False)
        return [vec for vec, _s, _o in out]

    return np.stack(_cached(_vectors, [text_key(t) for t in texts], run, _CACHE_MAX))


def token_states(texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    """``(states (n, 384 * len(STATE_LAYERS)) float16, offsets (n, 2))`` of the word pieces of
    each text (one sentence each, read up to ``STATE_TOKENS``): from ``encode``'s forward pass when it read the
    text as a claim, else computed now, all missing texts in one batch call."""
    if not texts:
        return []
    by_key = {text_key(t): t for t in texts}

    def run(new: list[bytes]) -> list[tuple[np.ndarray, np.ndarray]]:
        from samestory.enrich.models import load_embedder

        with _torch_threads(encode_threads()):
            out = load_embedder().token_states([by_key[k] for k in new], max_tokens=STATE_TOKENS,
                                               batch_size=ENCODE_BATCH, layers=STATE_LAYERS)
        return [(states.astype(np.float16), offsets) for _vec, states, offsets in out]

    return _cached(_states, [text_key(t) for t in texts], run, _STATES_MAX)


class _torch_threads:
    """Run a block with ``n`` torch intra-op threads (0: unchanged), then restore the setting."""

    def __init__(self, n: int) -> None:
        self.n, self.before = n, 0

    def __enter__(self) -> None:
        if self.n > 0:
            import torch

            self.before = torch.get_num_threads()
            if self.before != self.n:
                torch.set_num_threads(self.n)

    def __exit__(self, *exc: object) -> None:
        if self.n > 0 and self.before and self.before != self.n:
            import torch

            torch.set_num_threads(self.before)
