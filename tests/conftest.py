"""Shared fixtures. Real models, loaded once per test session; real data from ../shared when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SAMESTORY_SHARED", REPO.parent / "shared"))
EXAMPLES = REPO / "examples"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is not here: tests that read the shared seeds and eval data are skipped")
    return SHARED


@pytest.fixture(scope="session")
def seeds(shared_dir) -> list[Path]:
    """The two reference articles, read from ../shared/seeds (never copied into the repo)."""
    paths = sorted((shared_dir / "seeds").glob("*.txt"))
    if len(paths) < 2:
        pytest.skip("the reference articles are not in ../shared/seeds")
    return paths


@pytest.fixture(scope="session")
def nlp():
    from samestory.enrich.models import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def embedder():
    from samestory.enrich.models import load_embedder

    return load_embedder()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A store holding the bundled demo corpus, ingested once per test session (real models)."""
    from samestory.store import Store
    from samestory.workflow import Ingestor

    db = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(db) as store:
        report = Ingestor(store).ingest([str(EXAMPLES / "demo")])
        assert report.added > 0, report.to_dict()
    return db
