"""Stop words (spaCy's English list as the base, plus each user's named extension) and the
spelling key that makes British and American spellings of one word compare equal."""

from __future__ import annotations

import importlib.util
import re
import runpy
from pathlib import Path

__all__ = ["ENGLISH_STOP", "REPORTING", "CLAIM_STOP", "CLUSTER_STOP", "COUNT_STOP", "DENIAL_WORDS", "spelling_key"]


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


# British and American spellings of one word (realise/realize, honour/honor, defence/defense,
# enquiry/inquiry, centre/center, catalogue/catalog, travelled/traveled): both sides map to one
# key, so the rewrites may merge words that are not variants only where neither spelling exists.
_SPELLING_RULES = tuple((re.compile(a), b) for a, b in (
    (r"^enquir", "inquir"),
    (r"is(e|es|ed|ing|ation|ations)$", r"iz\1"),
    (r"our(s|ed|ing|able|ably|ite|ites|er|ers|hood)?$", r"or\1"),
    (r"ence(s)?$", r"ense\1"),
    (r"tre(s)?$", r"ter\1"),
    (r"ogue(s)?$", r"og\1"),
    (r"ell(ed|ing|er|ers)$", r"el\1"),
    (r"gement$", "gment"),
    (r"eing$", "ing"),
    (r"amme(s)?$", r"am\1"),
))


def spelling_key(word: str) -> str:
    """One key for the British and American spellings of a lower-case word; short words (under
    five letters) are their own key ("four" never meets "for")."""
    if len(word) < 5 or not word.isalpha():
        return word
    for pattern, repl in _SPELLING_RULES:
        word = pattern.sub(repl, word)
    return word


# Words that say a claim is untrue ("Israel denies causing the floods", "the death report is a hoax"):
# one outlet's denial of what another states (compare.claims, the ``denial`` conflict type).
DENIAL_WORDS = frozenset("""hoax hoaxes fake faked fakes fake-news false falsely deny denies denied debunk debunks debunked
rumor rumors rumour rumours refute refutes refuted incorrect untrue myth satire""".split())
