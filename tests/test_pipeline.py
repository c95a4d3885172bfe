"""The pipeline spine: named stages, batches, failures isolated per item."""

from __future__ import annotations

import pytest

from samestory.errors import IngestError
from samestory.models import Failure
from samestory.pipeline import Pipeline, Stage


def test_run_and_pipe_keep_order():
    p = Pipeline([Stage("double", lambda x: x * 2), Stage("inc", lambda x: x + 1)])
    assert p.names == ("double", "inc")
    assert p.run(3) == 7
    assert list(p.pipe(range(5), batch_size=2)) == [1, 3, 5, 7, 9]


def test_batch_stage_used_and_bad_item_isolated():
    calls = []

    def batch(items):
        calls.append(len(items))
        if any(i == 3 for i in items):
            raise ValueError("three is bad")
        return [i * 10 for i in items]

    p = Pipeline([Stage("tens", lambda i: batch([i])[0], batch)])
    out = list(p.pipe(range(5), batch_size=5))
    assert out[:3] == [0, 10, 20] and out[4] == 40
    assert isinstance(out[3], Failure) and "three is bad" in out[3].reason and out[3].stage == "tens"
    assert calls[0] == 5  # the batch was tried whole first


def test_input_error_becomes_named_failure_and_failures_pass_through():
    def read(x):
        if x == "bad":
            raise IngestError("bad.txt", "binary file", record="1")
        return x.upper()

    p = Pipeline([Stage("read", read)])
    earlier = Failure("gone.txt", "vanished")
    out = list(p.pipe(["ok", "bad", earlier]))
    assert out[0] == "OK"
    assert out[1] == Failure("bad.txt", "binary file", "read", "1")
    assert out[2] is earlier


def test_stage_names_unique():
    with pytest.raises(ValueError):
        Pipeline([Stage("a", str), Stage("a", str)])
