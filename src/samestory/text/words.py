"""Stop words: spaCy's English list as the base, plus each user's named extension."""

from __future__ import annotations

import importlib.util
import runpy
from pathlib import Path

__all__ = ["ENGLISH_STOP", "REPORTING", "CLAIM_STOP", "CLUSTER_STOP", "COUNT_STOP"]


def _spacy_english_stop_words() -> frozenset[str]:
    """spaCy's English list, read from its file: ``import spacy.lang.en.stop_words`` would run
    spaCy's package ``__init__`` (and torch's import behind it), 2-3 s that pages and commands
    needing only this set (a story page's neutral title, the aligner's terms) do not need."""
    spec = importlib.util.find_spec("spacy")  # finds the package without importing it
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "lang" / "en" / "stop_words.py"
        if path.is_file():
            return frozenset(runpy.run_path(str(path))["STOP_WORDS"])  # the file imports nothing
    from spacy.lang.en.stop_words import STOP_WORDS  # pragma: no cover - another layout

    return frozenset(STOP_WORDS)  # pragma: no cover


ENGLISH_STOP = _spacy_english_stop_words()
# attribution verbs: every article says them, they say nothing about the story
REPORTING = frozenset({"said", "says", "say", "told", "according", "just"})

# claims: plus honorifics and "also", which claim wording varies on freely
CLAIM_STOP = ENGLISH_STOP | REPORTING | {"also", "mr", "mrs", "ms"}

# clustering keywords: plus dateline and page furniture words every story's lead carries
CLUSTER_STOP = ENGLISH_STOP | REPORTING | {
    "report", "reported", "reports", "news", "new",
    "year", "years", "day", "days", "time", "week", "people", "including", "like",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "updated",
    "published", "posted", "am", "pm", "et", "gmt", "edt", "est", "pdt", "bst", "story", "article",
}

# words around a count ("12 of the people"): a narrow function-word list, not spaCy's, which
# also holds number words and heads the counted-thing finder must keep
COUNT_STOP = frozenset(
    """the a an of in on at to for by with from and or but as than that this these those its his her their
    our be is are was were been being have has had some least at more less about around nearly almost over
    under up down since until ago after before who which what when where year years""".split()
)


# Words that say a claim is untrue ("Israel denies causing the floods", "the death report is a hoax"):
# one outlet's denial of what another states (compare.claims, the ``denial`` conflict type).
DENIAL_WORDS = frozenset("""hoax hoaxes fake faked fakes fake-news false falsely deny denies denied debunk debunks debunked
rumor rumors rumour rumours refute refutes refuted incorrect untrue myth satire""".split())
