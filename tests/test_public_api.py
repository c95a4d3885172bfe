"""The public surface is pinned: changing it must be a deliberate edit of this list."""

import samestory

PUBLIC = {
    "__version__",
    "RawDoc", "Article", "Span", "Evidence", "Removal", "Entity", "Quote", "Quantity", "DuplicateLink",
    "Story", "ClaimGroup", "QuoteGroup", "NumberRow", "Coverage", "Failure",
    "SamestoryError", "InputError", "IngestError", "FetchError", "ExtractError", "StoreError", "ModelError",
    "NotFoundError",
    "Pipeline", "Stage", "Store",
    "read_inputs", "clean", "DedupIndex", "enrich", "StoryClusterer", "compare", "render",
    "Ingestor", "IngestReport", "read_articles", "compare_paths", "story_coverage",
}


def test_all_is_pinned():
    assert set(samestory.__all__) == PUBLIC
    assert len(samestory.__all__) == len(set(samestory.__all__))


def test_every_public_name_resolves():
    for name in samestory.__all__:
        assert getattr(samestory, name) is not None, name


def test_errors_form_one_tree():
    for name in ("InputError", "IngestError", "FetchError", "ExtractError", "StoreError", "ModelError", "NotFoundError"):
        assert issubclass(getattr(samestory, name), samestory.SamestoryError)
    assert issubclass(samestory.IngestError, samestory.InputError)


def test_compare_is_callable_after_a_submodule_import():
    import pytest

    import samestory
    from samestory.compare import claims  # noqa: F401 - binds the package on samestory first
    from samestory.errors import InputError

    assert callable(samestory.compare)
    with pytest.raises(InputError, match="enrich"):  # the function itself answers: not enriched
        samestory.compare([samestory.Article(id="a", outlet="o", title="t", text="Some text here.")])
