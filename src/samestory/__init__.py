"""samestory: find the same news story across outlets and show, claim by claim, how each told it.

The public API is what ``__all__`` lists (pinned by tests/test_public_api.py). Heavy parts
(models, extraction) are imported on first use, so ``import samestory`` stays fast.
"""

from __future__ import annotations

import importlib
import os
import sys

# torch's OpenMP threads wait passively between matrix products instead of spinning: with the
# default busy-wait an idle second thread burned a core that a web server or a second job on the
# machine needed. libgomp reads this once, when torch loads, which spaCy's import already does
# (thinc imports torch): so here, before any stage is imported. A user's own setting stays.
if "torch" not in sys.modules:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
from typing import Any

from samestory.errors import (
    ExtractError,
    FetchError,
    IngestError,
    InputError,
    ModelError,
    NotFoundError,
    SamestoryError,
    StoreError,
)
from samestory.models import (
    Article,
    ClaimGroup,
    Coverage,
    DuplicateLink,
    Entity,
    Evidence,
    Failure,
    NumberRow,
    Quantity,
    Quote,
    QuoteGroup,
    RawDoc,
    Removal,
    Span,
    Story,
)
from samestory.pipeline import Pipeline, Stage
from samestory.store import Store

from samestory._version import __version__

# name -> module that defines it, imported on first access
_LAZY = {
    "read_inputs": "samestory.ingest",
    "clean": "samestory.clean",
    "DedupIndex": "samestory.dedup",
    "enrich": "samestory.enrich",
    "StoryClusterer": "samestory.cluster",
    "compare": "samestory.compare",
    "render": "samestory.report",
    "Ingestor": "samestory.workflow",
    "IngestReport": "samestory.workflow",
    "read_articles": "samestory.workflow",
    "compare_paths": "samestory.workflow",
    "story_coverage": "samestory.workflow",
}

__all__ = [
    "__version__",
    # records
    "RawDoc", "Article", "Span", "Evidence", "Removal", "Entity", "Quote", "Quantity", "DuplicateLink",
    "Story", "ClaimGroup", "QuoteGroup", "NumberRow", "Coverage", "Failure",
    # errors
    "SamestoryError", "InputError", "IngestError", "FetchError", "ExtractError", "StoreError", "ModelError",
    "NotFoundError",
    # machinery
    "Pipeline", "Stage", "Store",
    # stages and jobs
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'samestory' has no attribute {name!r}")
