"""Compare one story across outlets: ``compare(articles, story=None) -> Coverage``.

    from samestory.compare import compare
    coverage = compare(articles)          # claims, quotes, numbers, omissions, framing, summary

Modules: claims.py (split and align claims; shared / unique / conflicting), quotes.py,
numbers.py, framing.py, omissions.py, summary.py (cited extractive summary); coverage.py ties them.
"""

from samestory.compare.coverage import build_story, compare, story_id_for

__all__ = ["compare", "build_story", "story_id_for"]


# ``samestory.compare`` names both this package and its function: importing a submodule first
# (``from samestory.compare import claims``) binds the package where the README calls the
# function. The package is made callable, so ``samestory.compare(articles)`` works either way.
import sys as _sys
import types as _types


class _CallablePackage(_types.ModuleType):
    def __call__(self, *args, **kwargs):
        return compare(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallablePackage
