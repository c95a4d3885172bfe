"""The project's bad-input corpus (tests/data/bad, written by us) through read_inputs.

Outcomes come from tests/data/bad/expected.json. Only what ingest decides is checked here:
a page with no article text (no-text.html) is extraction's error, so ingest must pass it on.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from samestory.ingest import read_inputs
from samestory.models import Failure, RawDoc

BAD = Path(__file__).resolve().parent / "data" / "bad"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8")) if (BAD / "expected.json").is_file() else {"files": {}}
DECIDED_LATER = {"no-text.html"}  # extraction finds no text there; ingest reads the page fine


def _cases():
    return sorted(EXPECTED["files"].items())


@pytest.mark.skipif(not EXPECTED["files"], reason="tests/data/bad is not here yet")
@pytest.mark.parametrize("name, spec", _cases(), ids=[n for n, _ in _cases()])
def test_bad_corpus_file(name, spec):
    path = BAD / name
    t0 = time.monotonic()
    items = list(read_inputs([path]))
    took = time.monotonic() - t0
    docs = [x for x in items if isinstance(x, RawDoc)]
    fails = [x for x in items if isinstance(x, Failure)]
    assert all(f.source == str(path) and f.reason for f in fails)
    assert took < 5, f"{name} took {took:.1f} s"
    expect = spec["expect"]
    text = " ".join((d.title or "") + "\n" + d.content for d in docs)
    if name in DECIDED_LATER:
        assert docs and not fails
    elif expect == "error":
        assert not docs and fails, items
    elif expect == "empty":
        assert not docs  # reported as a Failure saying there is nothing, never an exception
        assert all("empty" in f.reason or "no entries" in f.reason for f in fails), fails
    elif expect == "ok":
        assert docs and not fails, items
        if "title" in spec:
            assert docs[0].title == spec["title"]
        for s in spec.get("must_contain", []) + spec.get("should_contain", []):
            assert s in text, s
    elif expect == "partial":
        ids = {d.id for d in docs} | {d.url for d in docs}
        assert set(spec["articles"]) <= ids
        for rec in spec.get("failed_records", []):
            assert any(rec in (f.record or "") for f in fails), (rec, fails)
        for line, verdict in spec.get("lines", {}).items():
            failed = any(f.record == f"line {line}" for f in fails)
            if verdict.startswith("error:"):
                assert failed, (line, verdict)
            elif verdict == "ok" or verdict.startswith("skip"):
                assert not failed, (line, verdict)
    else:  # error_or_ok
        pass
    if not name.endswith(".html"):  # an HTML page is passed on whole; its scripts are extraction's to drop
        for s in spec.get("must_not_contain", []) + spec.get("must_not_contain_if_ok", []):
            assert s not in text, s
    for s in spec.get("must_contain_if_ok", []):
        assert not docs or s in text
