"""Fingerprints of an article's clean text: an exact hash and a MinHash of word shingles.

* ``normalize`` lower-cases, unifies quotes, dashes and whitespace (NFKC first), so copies that
  differ only in typography hash the same.
* ``hashing_text`` also drops the wire dateline and credit lines and a few short junk lines
  ("Advertisement", "Read more", "Share this article"...) that scrapers leave behind; the
  exact hash (``Fingerprint.exact``) is taken over its sequence of words (so spacing and
  punctuation do not count either).
* The MinHash is datasketch's ``affine32`` scheme (num_perm 128, seed 1) over word
  ``SHINGLE``-grams (3, chosen on bench/dedup.py's dev half) of that text. Words are runs of
  ``[a-z0-9_]`` and non-ASCII characters. It is computed here with numpy, for a whole batch
  of texts at once, with exactly datasketch's formula (fmix32 pre-mix, then ``a * h + b`` mod
  2^32 with the permutations of ``MinHash(num_perm, seed, scheme="affine32")``): the values
  are interchangeable with ``MinHash(hashfunc=identity).update_batch(shingle_hashes)``
  (pinned by a test) and go straight into ``LeanMinHash`` and ``MinHashLSH``. Word hashes come
  from one prefix-sum polynomial over the UTF-8 bytes of the whole batch and shingle hashes
  are polynomials over word hashes, so no Python loop runs per word.

``fingerprint_many(texts, processes=2)`` spreads big batches over worker processes;
``fingerprint_batch`` gives the same fingerprints as columns (``FingerprintBatch``: one
(n, 128) array of MinHash values, no object per text), which is what ``DedupIndex`` consumes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from samestory.dedup.wire import WireInfo, detect_wire, strip_wire_markers

__all__ = [
    "NUM_PERM",
    "SEED",
    "SHINGLE",
    "SCHEME",
    "LEAD_WORDS",
    "Fingerprint",
    "FingerprintBatch",
    "normalize",
    "hashing_text",
    "exact_hash",
    "words",
    "shingle_hashes",
    "minhash_values",
    "lean_minhash",
    "fingerprint",
    "fingerprint_many",
    "fingerprint_batch",
]

NUM_PERM = 128
SEED = 1
SHINGLE = 3  # word 3-grams: chosen on the dev half of bench/dedup.py (--sweep over 3, 4, 5)
SCHEME = "affine32"
LEAD_WORDS = 25

# datasketch's affine32 permutations, drawn the way ``MinHash._init_permutations`` draws them (odd
# ``a``, any ``b``, from RandomState(seed)): importing datasketch itself costs about 0.5 s of start-up
# (it pulls in scipy), and tests/test_dedup_fingerprint.py pins the values to datasketch's own.
_gen = np.random.RandomState(SEED)
_A = _gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
_B = _gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
del _gen
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)

# typographic variants -> ASCII (replace() per present character: much faster than translate)
_UNIFY = (
    ("\u2018", "'"), ("\u2019", "'"), ("\u201a", "'"), ("\u201b", "'"), ("\u2032", "'"), ("`", "'"), ("\u00b4", "'"),
    ("\u201c", '"'), ("\u201d", '"'), ("\u201e", '"'), ("\u201f", '"'), ("\u2033", '"'), ("\u00ab", '"'),
    ("\u00bb", '"'), ("\u2010", "-"), ("\u2011", "-"), ("\u2012", "-"), ("\u2013", "-"), ("\u2014", "-"),
    ("\u2015", "-"), ("\u2212", "-"), ("\u2026", "..."), ("\u00a0", " "), ("\u200b", ""), ("\u00ad", ""),
)
# short lines that scrapers and aggregators leave in; dropped before hashing
_JUNK_LINE = re.compile(
    r"\s*(?:advertisement|advertising|article ad box|ad|sponsored|share(?: this(?: article| story)?)?"
    r"|read more(?::.*)?|read (?:the )?(?:entire|full) (?:article|story)|related(?: articles?| stories)?|click here.*|sign up.*|subscribe.*|follow us.*"
    r"|\d+ (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?) ago(?: \d+)?"
    r"|continue reading|story continues(?: below)?|more on this story|watch:.*|video:.*)\s*",
    re.I,
)
# bytes that belong to words after normalize(): a-z, 0-9, _ and every non-ASCII byte (letters
# of other scripts; typographic punctuation was mapped to ASCII before)
_WORD_BYTE = np.zeros(256, dtype=bool)
_WORD_BYTE[np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789_", dtype=np.uint8)] = True
_WORD_BYTE[0x80:] = True
_WORD_MAP = bytes(_WORD_BYTE.astype(np.uint8))  # bytes.translate table: 1 for word bytes, else 0
_WORD = re.compile(r"[a-z0-9_\x80-\U0010ffff]+")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup keeps of a text.

    ``exact``: hash of the normalized hashing text; ``minhash``: ``NUM_PERM`` uint32 values
    (datasketch affine32); ``size``: distinct shingles (0 for an empty text);
    ``wire``: the wire credited, if any (``wire_primary``: by dateline, byline or copyright);
    ``lead``: a hash of the first ``LEAD_WORDS`` words, which finds truncated copies.
    """

    exact: str
    minhash: np.ndarray
    size: int
    wire: str | None = None
    wire_primary: bool = False
    lead: int | None = None  # hash of the first LEAD_WORDS words (None when shorter)

    def lean(self):
        """datasketch's ``LeanMinHash`` of these values."""
        return lean_minhash(self.minhash)


def _fold(text: str) -> str:
    """NFKC, straight quotes, ASCII dashes, lower case (whitespace left as it is)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        for old, new in _UNIFY:
            if old in text:
                text = text.replace(old, new)
    elif "`" in text:
        text = text.replace("`", "'")
    return text.lower()


def normalize(text: str) -> str:
    """Lower case, NFKC, straight quotes, ASCII dashes, single spaces."""
    return " ".join(_fold(text).split())


def _drop_junk_lines(text: str) -> str:
    if "\n" not in text:
        return text if not (len(text) < 80 and _JUNK_LINE.fullmatch(text)) else ""
    lines = text.split("\n")
    junk = _JUNK_LINE.fullmatch
    keep = [line for line in lines if len(line) >= 80 or not line or not junk(line)]
    return text if len(keep) == len(lines) else "\n".join(keep)


def _prepared(text: str, info: WireInfo | None = None) -> str:
    return _fold(_drop_junk_lines(strip_wire_markers(text, info)))


def hashing_text(text: str, info: WireInfo | None = None) -> str:
    """The text both fingerprints are taken over: no wire dateline or credit lines, no short
    scraper junk lines, normalized. The exact hash is over its *words* (so spacing and
    punctuation differences do not count), the MinHash over its word shingles."""
    return normalize(_prepared(text, info))


def exact_hash(text: str) -> str:
    """The exact-copy hash of a text (``Fingerprint.exact``)."""
    return fingerprint(text).exact


def words(text: str) -> list[str]:
    """The word tokens the shingles are built from (for display and tests; the batch path
    finds the same words with numpy over the UTF-8 bytes of ``hashing_text``)."""
    return _WORD.findall(_prepared(text))


_U64 = np.uint64


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> _U64(33))
    h = h * _U64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> _U64(33))


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


_R = 0x100000001B3  # odd, so invertible mod 2^64
_R_INV = pow(_R, -1, 1 << 64)
_POLY = _U64(0x9E3779B97F4A7C15)


_POWERS: list[np.ndarray] = []


def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """R**i and R**-i mod 2^64 for i < n (cached, grown by doubling)."""
    if not _POWERS or len(_POWERS[0]) < n:
        size = max(1 << 16, 1 << (n - 1).bit_length())
        pair = []
        for base in (_R, _R_INV):
            p = np.full(size, base, dtype=_U64)
            p[0] = 1
            with np.errstate(over="ignore"):
                np.cumprod(p, out=p)
            pair.append(p)
        _POWERS[:] = pair
    return _POWERS[0][:n], _POWERS[1][:n]


def _word_hashes(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(hash, start byte) of every word in ``data``: a polynomial over the word's bytes taken
    from one prefix sum (position-free thanks to the inverse powers), then fmix64.
    Word bytes are found with ``bytes.translate`` (a numpy gather with uint8 indices costs
    several times more) and the word edges with one ``flatnonzero`` over a bool array."""
    n = len(data)
    if not n:
        return np.empty(0, dtype=_U64), np.empty(0, dtype=np.int64)
    isw = np.frombuffer(data.translate(_WORD_MAP), dtype=np.bool_)
    change = np.empty(n + 1, dtype=np.bool_)
    change[0] = isw[0]
    change[n] = isw[n - 1]
    np.not_equal(isw[1:], isw[:-1], out=change[1:n])
    edges = np.flatnonzero(change)  # word starts and ends alternate
    if not len(edges):
        return np.empty(0, dtype=_U64), edges
    starts, ends = edges[0::2], edges[1::2]
    pw, inv = _powers(n)
    v = np.frombuffer(data, dtype=np.uint8).astype(_U64)
    with np.errstate(over="ignore"):
        v += _U64(1)
        np.multiply(v, pw, out=v)
        prefix = np.empty(n + 1, dtype=_U64)
        prefix[0] = 0
        np.cumsum(v, out=prefix[1:])
        h = (prefix[ends] - prefix[starts]) * inv[starts]
        h = _fmix64(h + (ends - starts).astype(_U64))
    return h, starts


def _kgram_hashes(w: np.ndarray, k: int) -> np.ndarray:
    """64-bit hashes of the k-grams of word hashes ``w`` (len(w) >= k)."""
    n = len(w) - k + 1
    h = w[:n].copy()
    with np.errstate(over="ignore"):
        for j in range(1, k):
            h = h * _POLY + w[j : j + n]
        return _fmix64(h + _U64(k))


def shingle_hashes(tokens: Sequence[str], k: int = SHINGLE) -> np.ndarray:
    """Distinct 32-bit hashes of the word ``k``-grams of ``tokens`` (a text shorter than ``k``
    words is one shingle; an empty one has none). Same values as the batch path."""
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    w, _ = _word_hashes(" ".join(tokens).encode("utf-8"))
    return _sets_from_words(w, k)


def _sets_from_words(w: np.ndarray, k: int) -> np.ndarray:
    if not len(w):
        return np.empty(0, dtype=np.uint32)
    h = _kgram_hashes(w, min(k, len(w)))
    return _sorted_unique((h >> _U64(32)).astype(np.uint32))


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    a = np.sort(a)
    if len(a) < 2:
        return a
    keep = np.empty(len(a), dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


def _batch_sets(texts: list[str], k: int) -> tuple[np.ndarray, np.ndarray, list[int | None], list[str]]:
    """Shingle sets (all in one uint32 array, document i at ``vals[bounds[i]:bounds[i + 1]]``),
    lead hashes and exact hashes (of the word sequence) of many prepared texts, with one numpy
    pass over their joined bytes."""
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    data = b"\n".join(encoded)
    w, starts = _word_hashes(data)
    lengths = np.fromiter((len(e) + 1 for e in encoded), dtype=np.int64, count=len(encoded))
    doc_start = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    doc_of_word = np.searchsorted(doc_start, starts, side="right") - 1
    counts = np.bincount(doc_of_word, minlength=len(texts))
    word_off = np.concatenate(([0], np.cumsum(counts)))
    vals = np.empty(0, dtype=np.uint32)
    bounds = np.zeros(len(texts) + 1, dtype=np.int64)
    if len(w) >= k:
        h = _kgram_hashes(w, k)
        # a k-gram is valid when its first and last word are in the same document
        valid = doc_of_word[: len(h)] == doc_of_word[k - 1 :]
        docs = doc_of_word[: len(h)][valid].astype(_U64)
        keys = _sorted_unique((docs << _U64(32)) | (h[valid] >> _U64(32)))
        kdocs = (keys >> _U64(32)).astype(np.int64)
        vals = (keys & _U64(0xFFFFFFFF)).astype(np.uint32)
        bounds = np.searchsorted(kdocs, np.arange(len(texts) + 1))
    short = np.flatnonzero((counts > 0) & (counts < k))
    if len(short):  # texts of fewer than k words are one shingle: rebuild the flat array
        sets = [vals[bounds[i] : bounds[i + 1]] for i in range(len(texts))]
        for i in short.tolist():
            sets[i] = _sets_from_words(w[word_off[i] : word_off[i + 1]], k)
        vals = np.concatenate(sets)
        bounds = np.concatenate(([0], np.cumsum([len(x) for x in sets]))).astype(np.int64)
    leads: list[int | None] = [None] * len(texts)
    long_docs = np.flatnonzero(counts >= LEAD_WORDS)
    if len(long_docs):
        firsts = word_off[long_docs][:, None] + np.arange(LEAD_WORDS)
        lead = _kgram_hashes(w[firsts.ravel()], LEAD_WORDS)[:: LEAD_WORDS] >> _U64(1)
        for i, v in zip(long_docs.tolist(), lead.tolist()):
            leads[i] = v
    blake = hashlib.blake2b
    exacts = [blake(w[word_off[i] : word_off[i + 1]].tobytes(), digest_size=16).hexdigest() for i in range(len(texts))]
    return vals, bounds, leads, exacts


def minhash_values(hashes: np.ndarray) -> np.ndarray:
    """datasketch affine32 MinHash values of a set of 32-bit hashes (identity hashfunc)."""
    return _minhash_batch([hashes])[0]


_CHUNK = 4096  # shingles per numpy pass: the (128, chunk) temporary stays in cache


def _minhash_batch(sets: list[np.ndarray]) -> np.ndarray:
    """(len(sets), NUM_PERM) MinHash values of many sets."""
    lengths = [len(x) for x in sets]
    vals = np.concatenate(sets).astype(np.uint32, copy=False) if sets else np.empty(0, dtype=np.uint32)
    return _minhash_flat(vals, np.concatenate(([0], np.cumsum(lengths))).astype(np.int64))


def _minhash_flat(vals: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """MinHash values of the sets ``vals[bounds[i]:bounds[i + 1]]``: runs of whole documents
    of ~``_CHUNK`` shingles at a time in one reused buffer, a column min per document
    (reduceat); empty sets get the all-max value like datasketch."""
    n = len(bounds) - 1
    out = np.empty((n, NUM_PERM), dtype=np.uint32)
    out[:] = _EMPTY
    if not len(vals):
        return out
    a = _A[:, None]
    b = _B[:, None]
    lengths = np.diff(bounds)
    buf = np.empty((NUM_PERM, max(_CHUNK, int(lengths.max()))), dtype=np.uint32)
    mixed = _fmix32(vals)
    i = 0
    while i < n:
        lo = bounds[i]
        j = max(int(np.searchsorted(bounds, lo + _CHUNK, side="right")) - 1, i + 1)
        hi = bounds[j]
        if hi > lo:
            view = buf[:, : hi - lo]
            with np.errstate(over="ignore"):
                np.multiply(a, mixed[lo:hi], out=view)
                np.add(view, b, out=view)
            docs = np.flatnonzero(lengths[i:j]) + i
            out[docs] = np.minimum.reduceat(view, bounds[docs] - lo, axis=1).T
        i = j
    return out


@dataclass(frozen=True, slots=True)
class FingerprintBatch:
    """The fingerprints of many texts as columns (what ``DedupIndex`` consumes: no object per
    text). ``values``: (n, NUM_PERM) uint32; ``sizes``: int64; the rest are lists."""

    values: np.ndarray
    sizes: np.ndarray
    exacts: list[str]
    wires: list[str | None]
    primaries: list[bool]
    leads: list[int | None]

    def __len__(self) -> int:
        return len(self.exacts)

    def __getitem__(self, i: int) -> Fingerprint:
        return Fingerprint(self.exacts[i], self.values[i].copy(), int(self.sizes[i]), self.wires[i],
                           self.primaries[i], self.leads[i])

    @classmethod
    def concat(cls, parts: Sequence[FingerprintBatch]) -> FingerprintBatch:
        if len(parts) == 1:
            return parts[0]
        return cls(np.concatenate([p.values for p in parts]) if parts else np.empty((0, NUM_PERM), np.uint32),
                   np.concatenate([p.sizes for p in parts]) if parts else np.empty(0, np.int64),
                   [x for p in parts for x in p.exacts], [x for p in parts for x in p.wires],
                   [x for p in parts for x in p.primaries], [x for p in parts for x in p.leads])

    @classmethod
    def of(cls, fps: Sequence[Fingerprint]) -> FingerprintBatch:
        values = np.stack([fp.minhash for fp in fps]) if fps else np.empty((0, NUM_PERM), np.uint32)
        return cls(values, np.array([fp.size for fp in fps], dtype=np.int64), [fp.exact for fp in fps],
                   [fp.wire for fp in fps], [fp.wire_primary for fp in fps], [fp.lead for fp in fps])


def lean_minhash(values: np.ndarray):
    from datasketch import LeanMinHash

    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


def fingerprint(text: str, k: int = SHINGLE) -> Fingerprint:
    return fingerprint_many([text], k=k)[0]


def _fingerprint_chunk(args: tuple[list[str], int]) -> FingerprintBatch:
    texts, k = args
    infos = [detect_wire(t) for t in texts]
    vals, bounds, leads, exacts = _batch_sets([_prepared(t, info) for t, info in zip(texts, infos)], k)
    return FingerprintBatch(_minhash_flat(vals, bounds), np.diff(bounds), exacts, [i.name for i in infos],
                            [i.primary for i in infos], leads)


def fingerprint_batch(texts: Iterable[str], k: int = SHINGLE, *, processes: int = 1,
                      chunk: int = 256) -> FingerprintBatch:
    """Fingerprints of many texts, in order, as columns; ``processes > 1`` uses a process pool (fork)."""
    texts = list(texts)
    chunks = [(texts[i : i + chunk], k) for i in range(0, len(texts), chunk)] or [([], k)]
    if processes <= 1 or len(chunks) <= 1:
        return FingerprintBatch.concat([_fingerprint_chunk(c) for c in chunks])
    import multiprocessing as mp

    with mp.get_context("fork").Pool(processes) as pool:
        return FingerprintBatch.concat(list(pool.imap(_fingerprint_chunk, chunks)))


def fingerprint_many(texts: Iterable[str], k: int = SHINGLE, *, processes: int = 1,
                     chunk: int = 256) -> list[Fingerprint]:
    """Fingerprints of many texts, in order; ``processes > 1`` uses a process pool (fork)."""
    batch = fingerprint_batch(texts, k, processes=processes, chunk=chunk)
    return [batch[i] for i in range(len(batch))]
