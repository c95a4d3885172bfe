"""Large inputs stream: a big WARC is read record by record, and the engines pull their input
lazily, so memory stays flat in the size of the input (issue 9)."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from samestory.ingest import read_inputs
from samestory.models import RawDoc
from samestory.scale.engine import DaskEngine, LocalEngine

SMALL = 2_000
BIG = 20_000


def write_warc(path, n: int) -> None:
    """``n`` small HTML responses (fictional parish notices), one warcinfo record first."""
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=False)
        w.write_record(w.create_warc_record("http://notices.test/", "warcinfo", payload=io.BytesIO(b"software: test")))
        for i in range(n):
            body = (f"<html><head><title>Notice {i}</title></head><body><h1>Notice {i}</h1>"
                    f"<p>The hall on Mill Lane opens at {i % 12 + 1} o'clock for meeting number {i}.</p>"
                    "</body></html>").encode()
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(f"http://notices.test/{i}", "response",
                                                payload=io.BytesIO(body), http_headers=headers))


def read_peak(path) -> tuple[int, str | None, int]:
    """(records read, last URL, tracemalloc peak in bytes) for reading ``path`` to the end."""
    count, last = 0, None
    tracemalloc.start()
    try:
        for doc in read_inputs([path]):
            assert isinstance(doc, RawDoc), doc
            count += 1
            last = doc.url
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return count, last, peak


@pytest.mark.slow
def test_big_warc_is_read_with_flat_memory(tmp_path):
    small, big = tmp_path / "small.warc", tmp_path / "big.warc"
    write_warc(small, SMALL)
    write_warc(big, BIG)
    n_small, _, peak_small = read_peak(small)
    n_big, last, peak_big = read_peak(big)
    assert (n_small, n_big) == (SMALL, BIG)
    assert last == f"http://notices.test/{BIG - 1}"
    # Holding the records would cost about ten times more for ten times the records; a
    # streaming reader's peak does not depend on how many records the archive has.
    assert peak_big < 1.5 * peak_small, (peak_small, peak_big)


def counting(n: int, pulled: list[int]):
    for i in range(n):
        pulled[0] += 1
        yield [i, i + 1]


def test_local_engine_pulls_one_batch_at_a_time():
    pulled = [0]
    results = LocalEngine().map_ordered(sum, counting(1000, pulled))
    assert next(results) == 1 and pulled[0] == 1
    assert list(results) == [2 * i + 1 for i in range(1, 1000)]


@pytest.mark.slow
def test_dask_engine_keeps_a_bounded_number_of_batches_in_flight():
    pulled = [0]
    with DaskEngine(workers=1) as engine:
        assert engine.in_flight == 2  # one worker, two batches each
        results = engine.map_ordered(sum, counting(500, pulled))
        first = next(results)
        # the first result is handed back once in_flight batches were submitted, not the whole input
        assert first == 1 and pulled[0] <= engine.in_flight
        assert list(results) == [2 * i + 1 for i in range(1, 500)]
        assert pulled[0] == 500
