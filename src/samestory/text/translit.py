"""Names across scripts: one Latin spelling for a word written in Cyrillic, Greek or Latin with
accents, so that "Лукашенко", "Lukaschenko" and "Lukashenko" meet on one key.

The transliteration is a plain letter table (close to the BGN/PCGN and ISO 9 readings English
outlets use); it is not meant to be read, only to be compared. Keys keep a word's first
``NAME_PREFIX`` letters: inflected forms ("Лукашенка", "Navalnys") and the small spelling drifts of
transliteration ("Zelenskiy" / "Zelensky") share their start."""

from __future__ import annotations

import re
import unicodedata

_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t",
     "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "i", "e", "g", "u"],
    strict=True,
))
_GREEK = dict(zip(
    "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊϋΐΰ",
    ["a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s", "t",
     "y", "f", "ch", "ps", "o", "a", "e", "i", "i", "o", "y", "o", "i", "y", "i", "y"],
    strict=True,
))
# Latin letters NFKD does not take apart
_LATIN = {"ł": "l", "ı": "i", "ø": "o", "ß": "ss", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
_TABLE = {**_CYRILLIC, **_GREEK, **_LATIN}

NAME_PREFIX = 5  # letters of a name kept in its key
NAME_CHARS = 1500  # the headline and the first part of the body are where an article names its actors
_TOKEN = re.compile(r"\w+")
_SENTENCE_END = set(".!?:\"'«»„“”‚‘’")


def to_latin(word: str) -> str:
    """``word`` lower-cased, in Latin letters without accents ("Лукашенко" -> "lukashenko",
    "Kołyszko" -> "kolyszko"); letters of other scripts (Chinese, Arabic, ...) are kept as they are."""
    w = "".join(_TABLE.get(ch, ch) for ch in word.lower())
    return "".join(ch for ch in unicodedata.normalize("NFKD", w) if not unicodedata.combining(ch))


def name_keys(title: str, text: str, limit: int = NAME_CHARS) -> frozenset[str]:
    """Keys that can be shared by two articles in different languages and scripts: capitalised
    words that do not start a sentence (names, mostly; German nouns too, which other languages
    rarely share), transliterated to Latin letters and cut to ``NAME_PREFIX``, and the numbers of
    two or more digits ("#2020"). Words of scripts without letter case (Chinese, Arabic) give no
    key; their Latin words and numbers do."""
    s = f"{(title or '').strip()}. {(text or '')[:limit]}"
    out: set[str] = set()
    for m in _TOKEN.finditer(s):
        w = m.group()
        if w.isdigit():
            n = w.lstrip("0")
            if len(n) >= 2:
                out.add("#" + n)
            continue
        if len(w) < 3 or not w[0].isupper():
            continue
        before = s[max(0, m.start() - 3):m.start()].strip()
        if not before or before[-1] in _SENTENCE_END:
            continue  # the first word of a sentence is capitalised whatever it is
        key = to_latin(w)
        if key.isascii() and key.isalpha():
            out.add(key[:NAME_PREFIX])
    return frozenset(out)
