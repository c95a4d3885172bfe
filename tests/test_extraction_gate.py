"""Quality gate: extraction on a slice of trafilatura-evaldata (mostly German pages, must-keep / must-drop
snippets, scored as trafilatura scores them). Floors may only rise; bench/extraction.py has the full figures.
Skips when ../shared/eval is absent."""

from __future__ import annotations

import json
import re

import pytest

from samestory.clean import clean
from samestory.errors import SamestoryError
from samestory.ingest.html import read_html
from samestory.models import Failure

SLICE = 80  # pages, the first by file name
# measured on this slice when the gate was written: F1 0.943 (P 0.933, R 0.953), no page failing
F1_FLOOR = 0.93


def _norm(t: str) -> str:
    return re.sub(r"\s+", " ", t).strip()


def test_evaldata_slice_snippet_f1(shared_dir):
    root = shared_dir / "eval" / "trafilatura-evaldata"
    if not (root / "evaldata.json").exists():
        pytest.skip("trafilatura-evaldata is not in ../shared/eval")
    data = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    items = sorted((it for it in data.values() if (root / "pages" / f"{it['file']}.gz").exists()), key=lambda it: it["file"])
    tp = fp = fn = 0
    failed = []
    for it in items[:SLICE]:
        raw = next(read_html(root / "pages" / f"{it['file']}.gz"))
        text = ""
        if isinstance(raw, Failure):
            failed.append(it["file"])
        else:
            try:
                text = _norm(clean(raw).text)
            except SamestoryError:
                failed.append(it["file"])
        hit = sum(1 for w in it["with"] if text and _norm(w) in text)
        tp += hit
        fn += len(it["with"]) - hit
        fp += sum(1 for w in it["without"] if text and _norm(w) in text)
    prec, rec = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * prec * rec / (prec + rec)
    assert not failed, failed
    assert f1 >= F1_FLOOR, f"snippet F1 {f1:.3f} (P {prec:.3f} R {rec:.3f}) below the floor {F1_FLOOR}"
