"""Rebuild the golden reports: `PYTHONPATH=src .venv/bin/python tests/golden/make_golden.py [--coverage]`.

``story.coverage.json`` is the comparison of the small story in tests/data/golden-story (written
by the project), frozen so the golden files test the renderers alone (the models' output may move
by a hair between CPUs). ``--coverage`` recomputes it with the real pipeline first; then the
Markdown, HTML and JSON renderings are written beside it. Read every diff before committing one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STORY = HERE.parent / "data" / "golden-story"
FORMATS = {"md": "story.md", "html": "story.html", "json": "story.json"}


def coverage():
    from samestory.models import Coverage, from_dict

    return from_dict(Coverage, json.loads((HERE / "story.coverage.json").read_text(encoding="utf-8")))


def profiles():
    from samestory.report.profiles import load_profiles

    return load_profiles(STORY / "profiles.csv")


def main(argv: list[str]) -> None:
    from samestory.report import coverage_document, render

    if "--coverage" in argv:
        from samestory.workflow import compare_paths

        cov = compare_paths(sorted(str(p) for p in STORY.glob("*.txt")))
        (HERE / "story.coverage.json").write_text(
            json.dumps(coverage_document(cov), ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    cov = coverage()
    for fmt, name in FORMATS.items():
        (HERE / name).write_text(render(cov, fmt, profiles=profiles()), encoding="utf-8")
        print(HERE / name)


if __name__ == "__main__":
    main(sys.argv[1:])
