"""A compact banded LSH over MinHash values: the scheme of ``datasketch.MinHashLSH``, stored in
numpy arrays.

Banding is the classic one (and datasketch's): the ``bands * rows`` first MinHash values are cut
into ``bands`` bands of ``rows`` values; two sets become candidates when any band is equal, so a
pair with Jaccard ``J`` is a candidate with probability ``1 - (1 - J**rows)**bands``
(``candidate_probability``).

Why not ``MinHashLSH`` itself: with its dict storage every band of every article is a bytes key
plus a Python set, several KB per article (hundreds of MB per 100k articles), and each
insert + query costs hundreds of microseconds (bench/dedup.py measures both side by side).
Here a band is one 64-bit key (the band's values hashed together with the band number), and
the keys live in sorted ``uint64`` runs with parallel ``int32`` article numbers (12 bytes per
band per article), kept as a small log-structured merge: a batch becomes a new run, and a run
is merged into the one before it when it reaches a quarter of its size, so there are only a
few runs and each key is copied a logarithmic number of times. Lookups are ``searchsorted``
calls, vectorised over all bands of a whole batch. Single inserts (``insert``) go to a small
dict first, which is turned into a run when it grows.
"""

from __future__ import annotations

import numpy as np

from samestory.dedup.fingerprint import _fmix64
from samestory.errors import ArgumentError

__all__ = ["BandLSH", "candidate_probability"]

_U64 = np.uint64
_MIX = _U64(0x9E3779B97F4A7C15)


def candidate_probability(jaccard: float, bands: int, rows: int) -> float:
    """Probability that two sets with this Jaccard similarity share at least one band."""
    return 1.0 - (1.0 - jaccard**rows) ** bands


def _ragged_arange(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenation of arange(s, s + c) for each (s, c) pair, without a Python loop."""
    total = int(counts.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    offsets = np.cumsum(counts) - counts
    return np.arange(total, dtype=np.int64) + np.repeat(starts.astype(np.int64) - offsets, counts)


class BandLSH:
    """Banded LSH index from integer ids to band keys."""

    def __init__(self, bands: int = 32, rows: int = 2, num_perm: int = 128, dict_limit: int = 256) -> None:
        if bands < 1 or rows < 1:
            raise ArgumentError("bands, rows", f"must be positive, got bands={bands} rows={rows}")
        if bands * rows > num_perm:
            raise ArgumentError("bands, rows", f"bands * rows = {bands * rows} is more than num_perm = {num_perm}")
        self.bands = bands
        self.rows = rows
        self.num_perm = num_perm
        self.dict_limit = dict_limit
        self._salt = _fmix64(np.arange(1, bands + 1, dtype=_U64) * _MIX)
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []  # sorted keys, ids; oldest (biggest) first
        self._recent: dict[int, int | list[int]] = {}
        self._recent_keys: list[np.ndarray] = []
        self._recent_ids: list[int] = []
        self._rows = 0

    def __len__(self) -> int:
        return self._rows

    def band_keys(self, values: np.ndarray) -> np.ndarray:
        """(n, bands) uint64 keys for (n, num_perm) MinHash values (or one row of them)."""
        v = np.atleast_2d(values)[:, : self.bands * self.rows].astype(_U64)
        v = v.reshape(len(v), self.bands, self.rows)
        with np.errstate(over="ignore"):
            h = v[:, :, 0] + self._salt
            for j in range(1, self.rows):
                h = h * _MIX + v[:, :, j]
            return _fmix64(h)

    # ---- lookups ----
    def query_pairs(self, keys: np.ndarray, order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """For (n, bands) keys, every (row, id) with id in the sorted runs sharing a band with
        the row, as two int64 arrays (a pair may repeat when several bands match). No Python
        loop per key: one ``searchsorted`` per run, and the matching slices are gathered with
        a ragged arange. ``order``: ``np.argsort(keys.ravel())`` when the caller has it."""
        rows_out: list[np.ndarray] = []
        ids_out: list[np.ndarray] = []
        flat = np.ascontiguousarray(keys).ravel()
        if len(flat) and self._runs:
            if order is None:
                order = np.argsort(flat)  # sorted needles: the binary searches walk memory in order
            needles = flat[order]
            for run_keys, run_ids in self._runs:
                left = np.searchsorted(run_keys, needles, side="left")
                inside = left < len(run_keys)
                hit = np.flatnonzero(inside)
                hit = hit[run_keys[left[hit]] == needles[hit]]
                if not len(hit):
                    continue
                lo = left[hit]
                cnt = np.searchsorted(run_keys, needles[hit], side="right") - lo
                pos = _ragged_arange(lo, cnt)
                rows_out.append(np.repeat(order[hit] // self.bands, cnt))
                ids_out.append(run_ids[pos].astype(np.int64))
        if not rows_out:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate(rows_out), np.concatenate(ids_out)

    def query_runs(self, keys: np.ndarray) -> list[list[int]]:
        """For (n, bands) keys, the ids in the sorted runs sharing a band with each row."""
        out: list[list[int]] = [[] for _ in range(len(keys))]
        rows, ids = self.query_pairs(keys)
        for r, i in zip(rows.tolist(), ids.tolist()):
            out[r].append(i)
        return out

    def query_recent(self, key_row: np.ndarray) -> list[int]:
        """Ids in the recent dict sharing a band with one row of keys."""
        found: list[int] = []
        recent = self._recent
        if not recent:
            return found
        for k in key_row.tolist():
            v = recent.get(k)
            if v is not None:
                if isinstance(v, int):
                    found.append(v)
                else:
                    found.extend(v)
        return found

    @staticmethod
    def earlier_pairs(keys: np.ndarray, order: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """For (n, bands) keys of one batch, every (row, earlier row) sharing a band, as two
        int64 arrays (a pair may repeat when several bands match). ``order``: an argsort of
        ``keys.ravel()`` when the caller has it (any sort: equal keys need not keep row order)."""
        n, bands = keys.shape
        empty = np.empty(0, dtype=np.int64)
        if n < 2:
            return empty, empty
        flat = np.ascontiguousarray(keys).ravel()
        if order is None:
            order = np.argsort(flat)
        s = flat[order]
        same = s[1:] == s[:-1]
        if not same.any():
            return empty, empty
        # for each sorted position p, the start g of its run of equal keys: it pairs with g..p-1
        start = np.flatnonzero(np.concatenate(([True], ~same)))
        run_start = np.repeat(start, np.diff(np.append(start, len(s))))
        cnt = np.arange(len(s)) - run_start
        later = np.flatnonzero(cnt)
        rows = order // bands
        one = np.repeat(rows[later], cnt[later])
        other = rows[_ragged_arange(run_start[later], cnt[later])]
        return np.maximum(one, other), np.minimum(one, other)

    @staticmethod
    def earlier_in_batch(keys: np.ndarray) -> list[list[int]]:
        """For (n, bands) keys of one batch, the earlier rows of the batch sharing a band with each row."""
        out: list[set[int]] = [set() for _ in range(len(keys))]
        rows, earlier = BandLSH.earlier_pairs(keys)
        for r, e in zip(rows.tolist(), earlier.tolist()):
            if e != r:
                out[r].add(e)
        return [sorted(x) for x in out]

    def query(self, key_row: np.ndarray) -> set[int]:
        return set(self.query_runs(key_row[None, :])[0]) | set(self.query_recent(key_row))

    # ---- inserts ----
    def insert(self, idx: int, key_row: np.ndarray) -> None:
        """Insert one row (goes to the recent dict; turned into a run when it grows)."""
        recent = self._recent
        for k in key_row.tolist():
            v = recent.get(k)
            if v is None:
                recent[k] = idx
            elif isinstance(v, int):
                recent[k] = [v, idx]
            else:
                v.append(idx)
        self._recent_keys.append(key_row)
        self._recent_ids.append(idx)
        self._rows += 1
        if len(self._recent_ids) >= self.dict_limit:
            self.flush()

    def insert_batch(self, ids: np.ndarray, keys: np.ndarray, order: np.ndarray | None = None) -> None:
        """Insert many rows at once as a new sorted run (``order``: an argsort of ``keys.ravel()``)."""
        if not len(ids):
            return
        self.flush()
        self._add_run(np.ascontiguousarray(keys).ravel(), np.repeat(np.asarray(ids, dtype=np.int32), self.bands), order)
        self._rows += len(ids)

    def flush(self) -> None:
        """Turn the recent dict into a sorted run."""
        if not self._recent_ids:
            return
        keys = np.concatenate(self._recent_keys)
        ids = np.repeat(np.array(self._recent_ids, dtype=np.int32), self.bands)
        self._recent, self._recent_keys, self._recent_ids = {}, [], []
        self._add_run(keys, ids)

    def _add_run(self, keys: np.ndarray, ids: np.ndarray, order: np.ndarray | None = None) -> None:
        if order is None:
            order = np.argsort(keys)
        self._runs.append((keys[order].astype(_U64, copy=False), ids[order]))
        while len(self._runs) >= 2 and 4 * len(self._runs[-1][0]) >= len(self._runs[-2][0]):
            (ka, ia), (kb, ib) = self._runs[-2], self._runs[-1]
            at = np.searchsorted(ka, kb, side="right")
            self._runs[-2:] = [(np.insert(ka, at, kb), np.insert(ia, at, ib))]

    def nbytes(self) -> int:
        """Bytes held by the sorted runs (the recent dict holds at most ``dict_limit`` rows)."""
        return int(sum(k.nbytes + i.nbytes for k, i in self._runs))
