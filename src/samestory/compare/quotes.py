"""Quotes across outlets: the same quote grouped, each outlet's exact wording, a word diff.

    groups = group_quotes(articles)          # articles enriched (Article.quotes filled)
    for g in groups:
        g.speaker, g.outlets, g.wording_differs, g.speaker_differs
        for v in g.variants: v.evidence, v.wording, v.diff   # ("=", w) ("-", w) ("+", w)

Matching is fuzzy (rapidfuzz) over a normalized form of the quote: case, punctuation, curly and
straight marks and a few spelling variants ("okay"/"OK") do not matter, small wording
differences do not split a group. The diff itself is computed over the outlets' own words, so
"okay" against "OK" shows. Speakers are normalized across articles ("Putin" and "Vladimir
Putin" are one speaker; titles go, nicknames meet their formal name: "Sen. Dick Blumenthal" and
"Richard Blumenthal"). ``wording_differs`` compares full quotations only: a variant that quotes
a fragment of a longer one is ``partial`` and its diff covers only the stretch it quotes, so
"a single cent" against "any single cent" shows while a fragment against its whole does not.
``speaker_differs`` needs two different named people (a role such as "a lawyer" or "statement" is
not a different speaker). Copies (``Article.duplicate`` pointing at an article in the set) count
with their canonical article and add no variant of their own.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from samestory.models import Article, Evidence, Quote, QuoteGroup, QuoteVariant
from samestory.text.dates import MONTHS
from samestory.text.numbers import word_number
from samestory.text.quotes import clean_quote_text
from samestory.text.words import spelling_key

__all__ = ["group_quotes", "normalize_quote", "word_diff", "SpeakerNames", "MATCH_THRESHOLD"]

MATCH_THRESHOLD = 82.0  # rapidfuzz ratio (0-100) of normalized quotes for "the same quote"
SAME_SPEAKER_THRESHOLD = 72.0  # a bit looser when both outlets name the same speaker
FRAGMENT_THRESHOLD = 92.0  # partial match: one outlet quotes a part (4+ words) of the other's quote

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_SPELLING = {"okay": "ok", "o.k.": "ok", "o.k": "ok", "percent": "per cent", "%": " per cent", "&": "and"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return text.lower()


def normalize_quote(text: str) -> str:
    """The form quotes are matched on: lower case, straight marks, no punctuation, common variants unified."""
    t = _fold(text)
    for a, b in _SPELLING.items():
        t = re.sub(rf"(?<!\w){re.escape(a)}(?!\w)", b, t)
    return " ".join(_WORD.findall(t))


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def word_diff(base: str, other: str) -> tuple[tuple[str, str], ...]:
    """Word-level ops turning ``base`` into ``other``: ("=", w) kept, ("-", w) dropped, ("+", w) added.

    Words compare case-insensitively with straight and curly apostrophes alike; the words
    shown are each side's own.
    """
    a, b = _words(base), _words(other)
    fa, fb = [_fold(w) for w in a], [_fold(w) for w in b]
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, fa, fb, autojunk=False).get_opcodes():
        if tag == "equal":
            ops += [("=", w) for w in b[j1:j2]]
        else:
            ops += [("-", w) for w in a[i1:i2]]
            ops += [("+", w) for w in b[j1:j2]]
    return tuple(ops)


# ---------------------------------------------------------------- does the wording differ?

_VARIANT_TOKEN = re.compile(r"\w+(?:['’]\w+)*|…|\.\s?\.\s?\.")
# [bracketed] words, and a short (parenthesis) inside a quotation, are the editor's, not the
# speaker's: they stand in for words of the speaker ("don't put (Magic) on an Instagram" / "don't
# put him on an Instagram"), so the words facing one are not a difference
_EDITOR_INSERT = re.compile(r"\[[^\]]*\]|\((?:[^()\s]+\s?){1,4}\)")
_INSERT = "zzeditorzz"  # the insertion's place among the tokens
STANDS_FOR = 3  # speaker's words an insertion may replace
_GLUED_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)(million|billion|thousand|bn|m|k|per)$")
ELLIPSIS = "…"
NAME_VARIANT_THRESHOLD = 85.0  # rapidfuzz ratio of two capitalized words read as one name (Gaddafi / Gadhafi)


def _variant_tokens(text: str) -> list[tuple[str, str]]:
    """(key, own word) pairs a wording is compared on: the speaker's words only (no [editor's
    insertions]), elisions as one "…" token, and keys that do not tell formats apart (UK/US
    spelling, "100%" / "100 per cent", "16million" / "16 million", "one" / "1", "11 May" /
    "May 11", "Wales'" / "Wales's")."""
    text = _EDITOR_INSERT.sub(f" {_INSERT} ", unicodedata.normalize("NFKC", text).replace("%", " per cent "))
    out: list[tuple[str, str]] = []
    for raw in _VARIANT_TOKEN.findall(text):
        if not raw[0].isalnum() and raw[0] != "_":
            out.append((ELLIPSIS, ELLIPSIS))
            continue
        if raw == _INSERT:
            out.append((_INSERT, _INSERT))
            continue
        key = _fold(raw)
        key = re.sub(r"'s$|'$", "", key)
        glued = _GLUED_UNIT.match(key)
        parts = [glued.group(1), glued.group(2)] if glued else [key]
        for part in parts:
            number = word_number(part) if part.isalpha() and part not in ("a", "an") else None
            part = f"{number:g}" if number is not None else spelling_key(part)
            part = _SPELLING.get(part, part)
            out += [(w, raw) for w in part.split()]
    # "11 May" and "May 11": one order
    for i in range(len(out) - 1):
        if out[i][0].isdigit() and out[i + 1][0] in MONTHS:
            out[i], out[i + 1] = out[i + 1], out[i]
    return out


def _stands_in(inserted: list[tuple[str, str]], words: list[tuple[str, str]]) -> bool:
    """One side holds only editor's insertions, the other at most ``STANDS_FOR`` words."""
    return bool(inserted) and all(k == _INSERT for k, _ in inserted) and len(words) <= STANDS_FOR


def _names_alike(a: list[tuple[str, str]], b: list[tuple[str, str]]) -> bool:
    """One capitalized word against one: the same name transliterated or spelled two ways."""
    return (len(a) == len(b) == 1 and a[0][1][:1].isupper() and b[0][1][:1].isupper()
            and fuzz.ratio(a[0][0], b[0][0]) >= NAME_VARIANT_THRESHOLD)


def wording_differs_inside(base: str, other: str) -> bool:
    """Whether two wordings of one quotation quote different words inside the stretch both
    quote. Not differences: where each starts and stops (one outlet quotes more), an elision
    marked with an ellipsis, an editor's [insertion], and spelling or format variants."""
    a, b = _variant_tokens(base), _variant_tokens(other)
    ops = difflib.SequenceMatcher(None, [k for k, _ in a], [k for k, _ in b], autojunk=False).get_opcodes()
    last = len(ops) - 1
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        if tag in ("insert", "delete") and n in (0, last):
            continue  # extent: one outlet's quotation starts earlier or stops later
        left, right = a[i1:i2], b[j1:j2]
        if ELLIPSIS in {k for k, _ in left} | {k for k, _ in right}:
            continue  # the outlet marked the words it left out
        if _stands_in(left, right) or _stands_in(right, left):
            continue  # an editor's insertion in place of (or beside) a few of the speaker's words
        if tag == "replace" and _names_alike(left, right):
            continue
        return True
    return False


# first-name forms of one person across outlets (Richard/Dick Blumenthal): nickname -> formal name
NICKNAMES = {
    "dick": "richard", "rick": "richard", "rich": "richard", "bill": "william", "will": "william", "billy": "william",
    "bob": "robert", "rob": "robert", "bobby": "robert", "jim": "james", "jimmy": "james", "mike": "michael",
    "tom": "thomas", "tommy": "thomas", "joe": "joseph", "chris": "christopher", "dan": "daniel", "danny": "daniel",
    "dave": "david", "tony": "anthony", "ted": "edward", "ed": "edward", "liz": "elizabeth", "beth": "elizabeth",
    "kate": "katherine", "kathy": "katherine", "pat": "patrick", "steve": "steven", "matt": "matthew", "nick": "nicholas",
    "sam": "samuel", "ben": "benjamin", "andy": "andrew", "drew": "andrew", "greg": "gregory", "jeff": "jeffrey",
    "jon": "jonathan", "larry": "lawrence", "chuck": "charles", "charlie": "charles", "hank": "henry", "jerry": "gerald",
    "al": "albert", "alex": "alexander", "vlad": "vladimir", "peggy": "margaret", "maggie": "margaret", "sue": "susan",
}
_TITLE_WORDS = (
    "the|president|prime minister|minister|mr|mrs|ms|miss|dr|sen|senator|rep|representative|gov|governor|gen|general|"
    "judge|justice|mayor|lt|col|prof|professor|secretary|chancellor|former|vice president|attorney general|sir|lord|lady"
)
_TITLES = re.compile(rf"^(?:(?:{_TITLE_WORDS})\.?\s+)+")
# speakers that name a role, a document or a group, not a person: never "a different speaker"
_UNRESOLVED = re.compile(r"^(?:a|an|the|his|her|their|its|one|some|\w+'s)\b|\b(?:statement|spokes\w*|lawyer|attorney|official|source|aide|report)s?$")


def _resolved_person(name: str | None) -> bool:
    """A speaker is resolved when it is a person's name ("Dick Blumenthal", "Blumenthal"), not a
    description ("a lawyer", "Grimm's lawyer", "statement", "the spokesman") or a pronoun."""
    if not name:
        return False
    t = _fold(name).strip()
    if _UNRESOLVED.search(t) or t in ("he", "she", "they", "it", "i", "we"):
        return False
    return any(w[:1].isupper() for w in name.split())


SPEAKER_NEAR_CHARS = 150  # a speaker named this close to the quotation is its attribution, not a resolution
_PRONOUN_MENTIONS = frozenset("he she they it i we who whom which that this".split())


def named_at_quote(article: Article, quote: Quote) -> bool:
    """Whether the article names the quote's speaker as a person right at the quotation ("...,"
    Smith said / Smith said: "..."), not through a pronoun, a role noun ("the mayor") or a
    speaker carried from an earlier sentence, which are where attribution errs."""
    span = quote.speaker_span
    if span is None or not _resolved_person(quote.speaker):
        return False
    mention = article.text[span.start : span.end].strip()
    words = _fold(mention).split()
    if not mention[:1].isupper() or not words or words[0] in _PRONOUN_MENTIONS or _UNRESOLVED.search(" ".join(words)):
        return False
    gap = span.start - quote.span.end if span.start >= quote.span.end else quote.span.start - span.end
    if gap > SPEAKER_NEAR_CHARS:
        return False
    return any(e.label == "PERSON" and (e.key == quote.speaker_key or any(m.start < span.end and span.start < m.end for m in e.mentions))
               for e in article.entities)


def _same_person(a: str, b: str) -> bool:
    """Two canonical speaker keys that may name one person: the same surname (or one spelled two
    ways: Thammavijarn / Thamvijarn), or one name inside the other (a middle name)."""
    ta, tb = a.split(), b.split()
    if not ta or not tb:
        return True
    if set(ta) <= set(tb) or set(tb) <= set(ta):
        return True
    return fuzz.ratio(ta[-1], tb[-1]) >= NAME_VARIANT_THRESHOLD


class SpeakerNames:
    """Speaker names normalized across a story's articles.

    A short name joins a longer one that ends with it ("putin" -> "vladimir putin"); entity
    names, aliases and keys of every article feed the registry.
    """

    def __init__(self, articles: Sequence[Article]):
        self.display: dict[str, str] = {}
        names: set[str] = set()
        for a in articles:
            for e in a.entities:
                if e.label not in ("PERSON", "ORG", "NORP", "GPE"):
                    continue
                for n in (e.key, e.name, *e.aliases):
                    k = self._norm(n)
                    if k:
                        names.add(k)
                        if len(e.name) > len(self.display.get(k, "")):
                            self.display[k] = e.name
                self.display.setdefault(self._norm(e.key), e.name)
            for q in a.quotes:
                for n in (q.speaker_key, q.speaker):
                    k = self._norm(n)
                    if k:
                        names.add(k)
                        self.display.setdefault(k, q.speaker or n)
        self._names = sorted(names, key=lambda n: (-len(n.split()), n))

    @staticmethod
    def _norm(name: str | None) -> str:
        if not name:
            return ""
        t = _fold(name)
        t = re.sub(r"'s$", "", t)
        t = _TITLES.sub("", t)
        words = _WORD.findall(t)
        if len(words) >= 2 and words[0] in NICKNAMES:
            words[0] = NICKNAMES[words[0]]
        return " ".join(words)

    def canonical(self, name: str | None) -> str | None:
        k = self._norm(name)
        if not k:
            return None
        toks = k.split()
        for cand in self._names:  # longest first
            ct = cand.split()
            if len(ct) > len(toks) and ct[-len(toks) :] == toks:
                return cand
        return k

    def name_of(self, key: str | None) -> str | None:
        if key is None:
            return None
        return self.display.get(key, key.title())


@dataclass
class _Item:
    article: Article
    quote: Quote
    norm: str
    speaker: str | None  # canonical key


WORD_AGREEMENT = 0.75  # share of words two wordings must have in common (difflib ratio over words)


def _score(a: _Item, b: _Item) -> float:
    score = fuzz.ratio(a.norm, b.norm)
    # characters alone let "we will win ... tuesday" pass for "we will lose ... thursday"
    if difflib.SequenceMatcher(None, a.norm.split(), b.norm.split(), autojunk=False).ratio() < WORD_AGREEMENT:
        score = min(score, MATCH_THRESHOLD - 1 - (MATCH_THRESHOLD - SAME_SPEAKER_THRESHOLD))
    short, long_ = sorted((a.norm, b.norm), key=len)
    if len(short.split()) >= 4 and len(long_) > len(short) * 1.3:
        # one outlet quotes a fragment of the other's quote: FRAGMENT_THRESHOLD partial maps to MATCH_THRESHOLD
        partial = fuzz.partial_ratio(short, long_)
        if partial >= FRAGMENT_THRESHOLD:
            score = max(score, MATCH_THRESHOLD + (partial - FRAGMENT_THRESHOLD))
    return score


def _threshold(a: _Item, b: _Item) -> float:
    if a.speaker and b.speaker and a.speaker == b.speaker:
        return SAME_SPEAKER_THRESHOLD
    return MATCH_THRESHOLD


PARTIAL_SHARE = 0.7  # a variant with fewer than this share of the longest variant's words is a fragment of it


def _is_fragment(item: _Item, members: list[_Item]) -> bool:
    """Whether ``item`` quotes only part of a longer member's quotation."""
    n = len(item.norm.split())
    for other in members:
        if other is item:
            continue
        if n < PARTIAL_SHARE * len(other.norm.split()) and fuzz.partial_ratio(item.norm, other.norm) >= FRAGMENT_THRESHOLD - 10:
            return True
    return False


def _aligned_window(full: str, fragment: str) -> str:
    """The stretch of ``full`` (its own words) that ``fragment`` best matches, as long as the fragment."""
    a, b = _words(full), _words(fragment)
    fa, fb = [_fold(w) for w in a], [_fold(w) for w in b]
    if len(fb) >= len(fa):
        return full
    best, best_i = -1.0, 0
    for i in range(len(fa) - len(fb) + 1):
        r = difflib.SequenceMatcher(None, fa[i : i + len(fb)], fb, autojunk=False).ratio()
        if r > best:
            best, best_i = r, i
    return " ".join(a[best_i : best_i + len(fb)])


def group_quotes(articles: Sequence[Article], *, include_indirect: bool = False) -> tuple[QuoteGroup, ...]:
    """The story's quotes grouped across outlets (direct quotes; indirect speech too with
    ``include_indirect``). Groups carried by more outlets come first; single-variant groups are
    the quotes only one outlet carries."""
    ids = {a.id for a in articles}
    independent = [a for a in articles if not (a.duplicate and a.duplicate.canonical_id in ids and a.duplicate.canonical_id != a.id)]
    names = SpeakerNames(articles)
    order = sorted(range(len(independent)), key=lambda i: (independent[i].published or "", i))

    groups: list[list[_Item]] = []
    for ai in order:
        article = independent[ai]
        items = []
        for q in article.quotes:
            if q.kind != "direct" and not include_indirect:
                continue
            norm = normalize_quote(q.text)
            if not norm:
                continue
            items.append(_Item(article, q, norm, names.canonical(q.speaker_key or q.speaker)))
        # best matches first, one variant per article per group
        taken: set[int] = set()
        pairs = []
        for ii, item in enumerate(items):
            for gi, group in enumerate(groups):
                best = max(_score(item, other) - _threshold(item, other) for other in group)
                if best >= 0:
                    pairs.append((best, ii, gi))
        pairs.sort(reverse=True)
        used_items: set[int] = set()
        for _gain, ii, gi in pairs:
            if ii in used_items or gi in taken:
                continue
            groups[gi].append(items[ii])
            used_items.add(ii)
            taken.add(gi)
        for ii, item in enumerate(items):
            if ii not in used_items:
                groups.append([item])

    out = []
    for members in groups:
        full = [m for m in members if not _is_fragment(m, members)]
        base = full[0] if full else members[0]
        base_text = base.quote.text
        variants = []
        speakers = []
        wording_differs = False
        for m in members:
            span = m.quote.span
            partial = m not in full
            # a fragment is compared with the stretch of the full quotation it comes from
            against = _aligned_window(base_text, m.quote.text) if partial else base_text
            diff = word_diff(against, m.quote.text)
            wording_differs = wording_differs or (any(op != "=" for op, _w in diff)
                                                  and wording_differs_inside(against, m.quote.text))
            variants.append(
                QuoteVariant(
                    evidence=Evidence(m.article.id, span.start, span.end, m.article.text[span.start : span.end], m.article.outlet),
                    speaker=names.name_of(m.speaker),
                    wording=clean_quote_text(m.quote.text),
                    diff=diff,
                    partial=partial,
                )
            )
            speakers.append(m.speaker)
        known = [s for s in speakers if s]
        speaker = Counter(known).most_common(1)[0][0] if known else None
        # "speaker differs" only between two named people the outlets resolved differently
        people = sorted({m.speaker for m in members if m.speaker and named_at_quote(m.article, m.quote)})
        speaker_differs = any(not _same_person(p, q) for i, p in enumerate(people) for q in people[i + 1 :])
        gid = "q-" + hashlib.sha1(f"{speaker}|{base.norm}".encode()).hexdigest()[:12]
        out.append(
            QuoteGroup(
                id=gid,
                speaker=names.name_of(speaker),
                text=clean_quote_text(base_text),
                variants=tuple(variants),
                outlets=tuple(dict.fromkeys(m.article.outlet for m in members)),
                wording_differs=wording_differs,
                speaker_differs=speaker_differs,
            )
        )
    out.sort(key=lambda g: -len(g.variants))  # stable: first appearance within equal counts
    return tuple(out)
