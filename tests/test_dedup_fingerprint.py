"""Fingerprints: normalization, the exact hash, and MinHash values interchangeable with datasketch."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash, MinHashLSH

from samestory.dedup.fingerprint import (
    NUM_PERM,
    SCHEME,
    SEED,
    exact_hash,
    fingerprint,
    fingerprint_many,
    hashing_text,
    normalize,
    shingle_hashes,
    words,
)
from samestory.dedup.lsh import BandLSH, candidate_probability

TEXT = (
    "The harbour master of Portwen said on Monday that the new sea wall had held through the "
    "weekend storm, sparing the fish market from the flooding that hit it twice last winter.\n\n"
    "\u201cIt did exactly what it was built to do,\u201d she said \u2014 adding that repairs to "
    "the slipway would still cost about 40,000 pounds."
)


def test_normalize_unifies_typography():
    assert normalize("\u201cIt\u2019s  here\u201d \u2014 NOW\u00a0ok") == "\"it's here\" - now ok"


def test_exact_hash_ignores_typography_datelines_and_junk_lines():
    variant = ("PORTWEN (Wire Press) \u2014 " + TEXT.upper().replace("\u201c", '"').replace("\u201d", '"')
               + "\n\nADVERTISEMENT\n\nShare this article")
    assert exact_hash(variant) == exact_hash(TEXT)
    assert exact_hash(TEXT.replace("40,000", "45,000")) != exact_hash(TEXT)
    assert "wire press" not in hashing_text(variant)


def test_minhash_equals_datasketch_update_batch():
    hashes = shingle_hashes(words(TEXT))
    reference = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=lambda h: h)
    reference.update_batch(hashes.tolist())
    fp = fingerprint(TEXT)
    assert np.array_equal(fp.minhash, reference.hashvalues)
    assert fp.size == len(hashes)
    # and the lean form works with datasketch's own LSH and Jaccard
    lsh = MinHashLSH(threshold=0.5, num_perm=NUM_PERM)
    lsh.insert("a", fp.lean())
    assert lsh.query(fingerprint(TEXT + " Officials agreed.").lean()) == ["a"]
    assert fp.lean().jaccard(reference) == 1.0


def test_batch_path_equals_single_path():
    texts = [TEXT, "", "Two words", TEXT[:200], "\u00e9t\u00e9 \u00e0 Paris, caf\u00e9 cr\u00e8me " * 5]
    batch = fingerprint_many(texts)
    for t, fp in zip(texts, batch):
        one = fingerprint(t)
        assert np.array_equal(one.minhash, fp.minhash)
        assert (one.exact, one.size, one.lead) == (fp.exact, fp.size, fp.lead)
        assert fp.size == len(shingle_hashes(words(t)))
    assert batch[1].size == 0
    assert batch[2].size == 1  # shorter than a shingle: one shingle of all its words


def test_two_processes_give_the_same_fingerprints():
    texts = [f"{TEXT} Paragraph number {i} of the test." for i in range(600)]
    one = fingerprint_many(texts, chunk=100)
    two = fingerprint_many(texts, processes=2, chunk=100)
    assert all(np.array_equal(a.minhash, b.minhash) and a.exact == b.exact for a, b in zip(one, two))


def test_estimated_jaccard_tracks_the_true_one():
    base = [f"w{i}" for i in range(400)]
    other = base[:300] + [f"x{i}" for i in range(100)]
    a, b = fingerprint(" ".join(base)), fingerprint(" ".join(other))
    sa, sb = set(shingle_hashes(words(" ".join(base)))), set(shingle_hashes(words(" ".join(other))))
    true = len(sa & sb) / len(sa | sb)
    est = float(np.mean(a.minhash == b.minhash))
    assert abs(est - true) < 0.15


def test_band_lsh_finds_similar_and_skips_unrelated():
    lsh = BandLSH(bands=32, rows=2)
    texts = [TEXT, TEXT.replace("Monday", "Tuesday"), "An unrelated note about a village cricket match and its tea."]
    fps = fingerprint_many(texts)
    keys = lsh.band_keys(np.stack([fp.minhash for fp in fps]))
    lsh.insert(0, keys[0])
    assert 0 in lsh.query(keys[1])
    assert lsh.query(keys[2]) == set()
    lsh.insert_batch(np.array([1, 2]), keys[1:])
    assert lsh.query(keys[1]) >= {0, 1}
    assert BandLSH.earlier_in_batch(keys) [1] == [0]
    assert candidate_probability(0.5, 32, 2) > 0.999


def test_band_lsh_pair_lookups_match_brute_force():
    # random keys from a small alphabet so that bands collide often, across several runs; a
    # key carries its band (as band_keys' salt does), so only the same band can match
    rng = np.random.default_rng(7)
    bands = 8
    lsh = BandLSH(bands=bands, rows=2, num_perm=16)
    salt = (np.arange(bands) * 1000).astype(np.uint64)
    stored = rng.integers(0, 6, size=(300, bands)).astype(np.uint64) + salt
    for lo in range(0, 300, 70):  # several batches: several sorted runs
        lsh.insert_batch(np.arange(lo, min(lo + 70, 300)), stored[lo : lo + 70])
    new = rng.integers(0, 6, size=(40, bands)).astype(np.uint64) + salt
    rows, ids = lsh.query_pairs(new)
    got = set(zip(rows.tolist(), ids.tolist()))
    want = {(r, i) for r in range(40) for i in range(300) if (new[r] == stored[i]).any()}
    assert got == want
    rows, earlier = BandLSH.earlier_pairs(new)
    got = set(zip(rows.tolist(), earlier.tolist()))
    want = {(r, e) for r in range(40) for e in range(r) if (new[r] == new[e]).any()}
    assert got == want


def test_batch_fingerprints_equal_single_ones_with_empty_and_short_texts():
    texts = [TEXT, "", "Two words", TEXT.replace("Monday", "Friday"), "ADVERTISEMENT", TEXT * 3]
    batch = fingerprint_many(texts)
    for text, fp in zip(texts, batch):
        one = fingerprint(text)
        assert (one.exact, one.size, one.lead) == (fp.exact, fp.size, fp.lead)
        assert (one.minhash == fp.minhash).all()
        m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=lambda x: x)
        m.update_batch(shingle_hashes(words(text)).tolist())
        assert (m.hashvalues.astype(np.uint32) == fp.minhash).all()
