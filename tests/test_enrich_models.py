"""Models load once per process, even when threads ask at the same time (web requests do)."""

from concurrent.futures import ThreadPoolExecutor

from samestory.enrich.models import _load_spacy, load_spacy


def test_concurrent_first_loads_give_one_model():
    _load_spacy.cache_clear()
    with ThreadPoolExecutor(4) as pool:
        models = list(pool.map(lambda _: load_spacy(("ner",)), range(8)))
    assert all(m is models[0] for m in models)
    assert _load_spacy.cache_info().misses == 1
