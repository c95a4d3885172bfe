"""Atomic claims and their alignment across the articles of one story.

1. **Split** each article into claims: its sentences, and long sentences (more than
   ``LONG_SENTENCE_WORDS`` words) split into clauses with the dependency parse (";", " — ",
   coordinated clauses that each have their own subject).
2. **Describe** each claim: content words, entity terms, typed numbers and dates, negation.
3. **Score** every cross-article pair at once with numpy: sentence-embedding cosine (one
   batch call per comparison), lexical overlap (rapidfuzz ``token_set_ratio`` through
   ``cdist``), content-word containment, entity overlap and shared numbers.
4. **Group** pairs above a threshold, strongest first, never putting two claims of one
   article in one group; then let a long sentence that states two facts join the group of
   each (``attach``), so "in power since 1994, ... re-election in 2020" supports both.
5. **Mark** each group shared (two or more independent outlets), unique (one) or conflicting
   (a ``ConflictScorer`` finds incompatible values or polarity between two of its sources).

Independence is the dedup stage's (``samestory.dedup.source_groups``): linked copies and
unlinked wire copy of one agency ("(Wire Press) —" in two outlets) are one source, and two
articles of one outlet count once (``samestory.dedup.source_keys``). A claim only two outlets running the same
wire story carry is therefore unique. Evidence keeps one span per outlet (a linked copy counts
as its canonical's outlet, so an aggregator's scrape adds none); ``outlets`` lists every outlet
that carried the claim.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from samestory.compare import _nlp
from samestory.dedup import outlet_key, source_keys
from samestory.models import Article, Claim, ClaimGroup, Evidence, Span
from samestory.text.unionfind import UnionFind
from samestory.text.words import CLAIM_STOP

__all__ = [
    "LONG_SENTENCE_WORDS",
    "ClaimInfo",
    "Number",
    "Alignment",
    "ConflictScorer",
    "TypedConflictScorer",
    "extract_claims",
    "align_claims",
    "source_key",
]

LONG_SENTENCE_WORDS = 35
MIN_CLAIM_WORDS = 3
MIN_CLAUSE_WORDS = 5

# Pair score weights and thresholds. The score is a convex mix of signals in [0, 1] plus a
# bonus for shared specific numbers; calibrated on our own fictional articles and checked on
# ECB+ (bench/compare.py), not on the reference articles.
W_COSINE, W_LEXICAL, W_CONTAIN, W_ENTITY = 0.50, 0.15, 0.20, 0.15
OVERLAP_FLOOR = 1.0  # about the idf weight of one rare term
NUMBER_BONUS, NUMBER_BONUS_MAX = 0.06, 0.12
ALIGN_THRESHOLD = 0.57  # two claims state the same thing
# A claim is embedded only if some claim of another article has a text score (the pair score
# without the cosine, ``text_score``) of at least this, or contains enough of it to attach. Below
# it a pair needs a cosine over 0.74 to align, which only close wording reaches, and close wording
# scores higher lexically. On 35 ECB+ stories (300k cross-article pairs) the best pair under 0.15
# scored 0.558 (threshold 0.57). On the 16 largest ECB+ events (10 articles each), 0.20 against
# 0.15 leaves 18% fewer word pieces to the model (2,276 against 2,775 per story) and keeps 1,292
# of the 1,295 aligned claim pairs, adding none; 0.25 would keep only 93% of them. The model is
# nearly all of a comparison's time, so this is the knee of that trade.
PREFILTER = 0.20
GROUP_MEAN_THRESHOLD = 0.52  # mean pair score when two multi-claim groups merge
ATTACH_THRESHOLD = 0.50  # a longer claim states this one too (with containment below)
ATTACH_CONTAINMENT = 0.6

_WORD = re.compile(r"[A-Za-z0-9][\w’'\-]*")
_POSSESSIVE = re.compile(r"[’']s$")

_STOP = CLAIM_STOP


# ---------------------------------------------------------------- typed numbers

_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100, "dozen": 12, "dozens": 24, "hundreds": 200, "thousands": 2000,
}
_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
_WEEKDAYS = {d: i for i, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
_UNITS = {"year", "month", "week", "day", "hour", "minute", "decade", "century", "km", "mile", "metre", "meter",
          "kilometre", "kilometer", "tonne", "ton", "kg"}
_SCALE = {"million": 1e6, "billion": 1e9, "thousand": 1e3, "m": 1e6, "bn": 1e9, "k": 1e3}
_QUALIFIER = {
    "at least": "min", "more than": "min", "over": "min", "upwards of": "min",
    "up to": "max", "less than": "max", "fewer than": "max", "under": "max", "nearly": "max", "almost": "max",
    "about": "approx", "around": "approx", "some": "approx", "roughly": "approx", "approximately": "approx",
    "an estimated": "approx", "estimated": "approx",
}

_NUM_RE = re.compile(
    r"(?P<cur>[$£€])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>million|billion|thousand|bn|m|k)\b)?(?P<pct>\s?(?:%|per ?cent))?"
    r"|\b(?P<word>" + "|".join(_NUMBER_WORDS) + r")\b",
    re.I,
)
_DATE_RE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>" + "|".join(_MONTHS) + r")"
    r"|(?P<m2>" + "|".join(_MONTHS) + r")\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?)\b",
    re.I,
)
_WEEKDAY_RE = re.compile(r"\b(?:on|last|this|next)\s+(" + "|".join(_WEEKDAYS) + r")\b", re.I)
_AGE_RE = re.compile(r"\b([A-Z][\w’'\-]+),\s(\d{1,3}),|\baged\s(\d{1,3})\b|\b(\d{1,3})-year-old\b")


@dataclass(frozen=True)
class Number:
    """A number in a claim, typed: kind (count, age, year, date, weekday, percent, money,
    duration), its value, what it is about (a noun or person term) and a qualifier (min, max,
    approx) for "at least 157", "nearly 70"."""

    kind: str
    value: float
    about: str | None = None
    qualifier: str | None = None
    text: str = ""
    start: int = 0  # where ``text`` sits in the claim
    end: int = 0


def _norm_word(word: str) -> str:
    w = _POSSESSIVE.sub("", word.lower()).strip("’'-")
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def _next_word(text: str, pos: int) -> str | None:
    m = re.match(r"[\s\-]*(?:of\s+)?(?:the\s+)?([A-Za-z][\w’'\-]*)", text[pos:])
    if not m:
        return None
    w = _norm_word(m.group(1))
    return None if w in _STOP else w


def _qualifier(text: str, pos: int) -> str | None:
    before = text[max(0, pos - 16) : pos].lower().rstrip()
    for phrase, q in _QUALIFIER.items():
        if before.endswith(phrase):
            return q
    return None


def _qualifier_start(text: str, pos: int) -> int:
    before = text[max(0, pos - 16) : pos]
    for phrase in _QUALIFIER:
        if before.lower().rstrip().endswith(phrase):
            return pos - len(before) + before.lower().rstrip().rfind(phrase)
    return pos


def numbers_in(text: str) -> tuple[Number, ...]:
    """Typed numbers, dates, weekdays and ages stated in ``text`` (a claim)."""
    found: list[Number] = []
    taken: list[tuple[int, int]] = []

    def add(n: Number, start: int, end: int, context: tuple[int, int] | None = None) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        c0, c1 = context or (start, end)
        while c0 < c1 and text[c0].isspace():
            c0 += 1
        found.append(replace(n, text=text[c0:c1].strip(), start=c0, end=c0 + len(text[c0:c1].strip())))

    for m in _AGE_RE.finditer(text):
        if m.group(2):
            add(Number("age", float(m.group(2)), _norm_word(m.group(1))), m.start(2), m.end(2), (m.start(), m.end(2)))
        else:
            g = 3 if m.group(3) else 4
            add(Number("age", float(m.group(g)), None), m.start(g), m.end(g), (m.start(), m.end()))
    for m in _DATE_RE.finditer(text):
        day = int(m.group("d1") or m.group("d2"))
        month = _MONTHS[(m.group("m1") or m.group("m2")).lower()]
        if 1 <= day <= 31:
            add(Number("date", float(month * 100 + day), None), m.start(), m.end())
    for m in _WEEKDAY_RE.finditer(text):
        add(Number("weekday", float(_WEEKDAYS[m.group(1).lower()]), None), m.start(1), m.end(1), (m.start(), m.end()))
    for m in _NUM_RE.finditer(text):
        if m.group("word"):
            value = float(_NUMBER_WORDS[m.group("word").lower()])
            cur = scale = pct = None
        else:
            raw = m.group("num").replace(",", "")
            value = float(raw)
            cur, scale, pct = m.group("cur"), m.group("scale"), m.group("pct")
            if scale:
                value *= _SCALE[scale.lower()]
        after = _next_word(text, m.end())
        qual = _qualifier(text, m.start())
        if pct:
            n = Number("percent", value, None, qual)
        elif cur or (after in {"dollar", "pound", "euro", "rouble", "ruble"}):
            n = Number("money", value, (cur or after), qual)
        elif not m.group("word") and not scale and re.fullmatch(r"1[89]\d\d|20\d\d", m.group("num")) and after not in _UNITS:
            n = Number("year", value, None, None)
        elif after in _UNITS:
            n = Number("duration", value, after, qual)
        else:
            n = Number("count", value, after, qual)
        # context: the number with what it counts ("157 people", "20 independent analysts"); the
        # last of those words is what the number is about
        tail_end, tail_words = m.end(), []
        if n.kind in {"count", "duration", "money"}:
            for w in re.finditer(r"[ \-]+([A-Za-z][\w’'\-]*)", text[m.end():]):
                if w.start() != (tail_end - m.end()) or w.group(1).lower() in _STOP or len(tail_words) == 3:
                    break
                tail_words.append(w.group(1))
                tail_end = m.end() + w.end()
            if tail_words and n.kind == "count":
                n = replace(n, about=_norm_word(tail_words[-1]))
        add(n, m.start(), m.end(), (_qualifier_start(text, m.start()), tail_end))
    return tuple(found)


# ---------------------------------------------------------------- claims


@dataclass(frozen=True)
class ClaimInfo:
    """A claim with what alignment and conflict detection need to know about it."""

    claim: Claim
    id: str
    article_index: int
    outlet: str
    source: str  # independence key (``source_keys``): copies and one agency's wire copy share one
    position: float  # 0..1 through the article
    words: tuple[str, ...]
    content: frozenset[str]
    entities: frozenset[str]
    numbers: tuple[Number, ...]
    negated: frozenset[str]  # content words under a negation
    quoted: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def source_key(article: Article, by_id: dict[str, Article]) -> str:
    """The outlet an article's evidence stands for (one evidence span per outlet): a copy stands
    for its canonical's outlet. Independence itself is ``samestory.dedup.source_keys``."""
    if article.duplicate is not None and article.duplicate.canonical_id != article.id:
        canonical = by_id.get(article.duplicate.canonical_id)
        if canonical is None:
            return "canonical:" + article.duplicate.canonical_id
        article = canonical
    return "outlet:" + (outlet_key(article.outlet) or article.id)


def _clause_cuts(doc) -> list[int]:
    """Character offsets (into the sentence) where a long sentence splits into clauses."""
    cuts: set[int] = set()
    for tok in doc:
        if tok.text == ";":
            cuts.add(tok.idx + 1)
        elif tok.text in {"—", "–", "--"} and tok.whitespace_ and tok.i > 0 and doc[tok.i - 1].whitespace_:
            cuts.add(tok.idx)
        elif (
            tok.dep_ == "conj"
            and tok.pos_ in {"VERB", "AUX"}
            and tok.head.dep_ == "ROOT"
            and any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in tok.children)
        ):
            left = tok.left_edge
            prev = doc[left.i - 1] if left.i > 0 else None
            if prev is not None and prev.dep_ == "cc":
                left = prev
            cuts.add(left.idx)
    return sorted(c for c in cuts if 0 < c < len(doc.text))


_DASH_OR_SEMI = re.compile(r";\s|\s[—–]\s|\s--\s")


def _punct_cuts(sentence: str) -> list[int]:
    """Cuts at ";" and spaced dashes, kept only when both sides have a clause's worth of words."""
    cuts = []
    for m in _DASH_OR_SEMI.finditer(sentence):
        cut = m.start() + 1 if sentence[m.start()] == ";" else m.start()
        if _word_count(sentence[:cut]) >= MIN_CLAUSE_WORDS and _word_count(sentence[cut:]) >= MIN_CLAUSE_WORDS:
            cuts.append(cut)
    return cuts


_EDGE_JUNK = re.compile(r"^(?:[\s,;:—–\-]|and\b|but\b|or\b|so\b)+", re.I)


def _clean_piece(text: str, start: int, end: int, first: bool = False) -> tuple[int, int]:
    """Trim a claim's edges: punctuation, and a leading conjunction when it is a clause cut
    from a longer sentence (a whole sentence keeps its "And ...")."""
    m = _EDGE_JUNK.match(text[start:end]) if not first else re.match(r"^[\s,;:—–\-]+", text[start:end])
    if m and m.end() < end - start:
        start += m.end()
    while end > start and text[end - 1] in " \t\n,;:—–-":
        end -= 1
    return start, end


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def extract_claims(articles: Sequence[Article]) -> list[list[Claim]]:
    """Each article's atomic claims, in text order: sentences, long ones cut into clauses."""
    sentences = _nlp.sentence_spans(articles)
    # parse only what may be cut: long sentences (clauses) and any with ";" or a spaced dash
    marks: dict[tuple[int, int], list[int]] = {}
    todo: list[tuple[int, int, Span]] = []
    for ai, spans in enumerate(sentences):
        for si, span in enumerate(spans):
            text = span.of(articles[ai].text)
            punct = _punct_cuts(text)
            if punct or _word_count(text) > LONG_SENTENCE_WORDS:
                marks[(ai, si)] = punct
                todo.append((ai, si, span))
    docs = _nlp.parse_sentences([span.of(articles[ai].text) for ai, _, span in todo])
    cuts: dict[tuple[int, int], list[int]] = {}
    verbs: dict[tuple[int, int], list[int]] = {}  # char offsets of verbs, to spot verbless fragments
    for (ai, si, span), doc in zip(todo, docs):
        clause = _clause_cuts(doc) if _word_count(span.of(articles[ai].text)) > LONG_SENTENCE_WORDS else []
        cuts[(ai, si)] = sorted(set(clause) | set(marks[(ai, si)]))
        verbs[(ai, si)] = [t.idx for t in doc if t.pos_ in {"VERB", "AUX"}]

    out: list[list[Claim]] = []
    for ai, (article, spans) in enumerate(zip(articles, sentences)):
        claims: list[Claim] = []
        for si, span in enumerate(spans):
            bounds = [span.start] + [span.start + c for c in cuts.get((ai, si), [])] + [span.end]
            pieces = [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]
            # a piece too short to stand alone, or without a verb (an apposition between
            # dashes), is no claim of its own: it joins its neighbour
            verb_at = [span.start + v for v in verbs.get((ai, si), [])]

            def fragment(s: int, e: int) -> bool:
                if _word_count(article.text[s:e]) < MIN_CLAUSE_WORDS:
                    return True
                return bool(verb_at) and not any(s <= v < e for v in verb_at)

            merged: list[list[int]] = []
            for s, e in pieces:
                if merged and (fragment(s, e) or fragment(*merged[-1])):
                    merged[-1][1] = e
                else:
                    merged.append([s, e])
            for k, (s, e) in enumerate(merged):
                s, e = _clean_piece(article.text, s, e, first=k == 0)
                if e <= s or _word_count(article.text[s:e]) < MIN_CLAIM_WORDS:
                    continue
                claims.append(Claim(article.id, Span(s, e), article.text[s:e], si))
        out.append(claims)
    return out


def _entity_terms(article: Article, span: Span, text: str) -> frozenset[str]:
    terms: set[str] = set()
    for ent in article.entities:
        if any(m.start < span.end and span.start < m.end for m in ent.mentions):
            terms.update(w for w in (_norm_word(x) for x in _WORD.findall(ent.name)) if w not in _STOP)
    # capitalised words: a proper-noun net that works before enrich and catches what NER misses
    for m in re.finditer(r"\b[A-Z][\w’'\-]+", text):
        w = _norm_word(m.group(0))
        if w not in _STOP and len(w) > 1:
            terms.add(w)
    return frozenset(terms)


_NEGATION = {"not", "n't", "never", "no", "neither", "nor", "without", "none", "nobody", "nothing"}


def _is_negation(word: str) -> bool:
    return word in _NEGATION or word.endswith("n't") or word.endswith("n’t")


def _negated_terms(words: Sequence[str]) -> frozenset[str]:
    """Content words within three words after a negation: what the negation is about."""
    out: set[str] = set()
    for k, w in enumerate(words):
        if _is_negation(w):
            for x in words[k + 1 : k + 4]:
                x = _norm_word(x)
                if x not in _STOP and len(x) > 1:
                    out.add(x)
    return frozenset(out)


def describe(articles: Sequence[Article], claims: list[list[Claim]]) -> list[ClaimInfo]:
    keys = source_keys(articles)
    infos: list[ClaimInfo] = []
    for ai, (article, cs) in enumerate(zip(articles, claims)):
        src = keys[ai]
        n = max(len(cs) - 1, 1)
        for k, c in enumerate(cs):
            words = tuple(w.lower() for w in _WORD.findall(c.text))
            content = frozenset(w for w in (_norm_word(x) for x in words) if w not in _STOP and len(w) > 1)
            infos.append(ClaimInfo(
                claim=c, id=f"c{ai}-{k}", article_index=ai, outlet=article.outlet, source=src,
                position=k / n, words=words, content=content,
                entities=_entity_terms(article, c.span, c.text), numbers=numbers_in(c.text),
                negated=_negated_terms(words),
                quoted=bool(re.search(r"[“\"‘]", c.text)),
            ))
    return infos


# ---------------------------------------------------------------- conflicts


class ConflictScorer(Protocol):
    """Says why two aligned claims cannot both be true, or None. Pluggable: a local NLI
    model can implement this later; the default compares typed values and polarity."""

    def __call__(self, a: ClaimInfo, b: ClaimInfo) -> str | None: ...


_ANTONYMS = [
    ("rise", "fall"), ("rose", "fell"), ("increase", "decrease"), ("increased", "decreased"),
    ("accept", "reject"), ("accepted", "rejected"), ("accepted", "refused"), ("accepted", "declined"),
    ("agree", "refuse"), ("agreed", "refused"), ("agreed", "declined"), ("win", "lose"), ("won", "lost"),
    ("confirm", "deny"), ("confirmed", "denied"), ("alive", "dead"), ("guilty", "innocent"),
    ("convicted", "acquitted"), ("higher", "lower"), ("more", "fewer"), ("approve", "reject"),
    ("approved", "rejected"), ("support", "oppose"), ("supported", "opposed"), ("allowed", "banned"),
    ("opened", "closed"), ("survived", "died"), ("arrived", "left"), ("up", "down"), ("before", "after"),
    ("released", "detained"), ("resigned", "reappointed"), ("ally", "enemy"), ("wins", "loses"),
]
_ANTONYM = {}
for _a, _b in _ANTONYMS:
    _ANTONYM.setdefault(_a, set()).add(_b)
    _ANTONYM.setdefault(_b, set()).add(_a)


def _compatible(a: Number, b: Number) -> bool:
    """True when ``a`` and ``b`` can both be true (equal, or within what a qualifier allows)."""
    if a.value == b.value:
        return True
    for x, y in ((a, b), (b, a)):
        if x.qualifier == "min" and y.value >= x.value:
            return True
        if x.qualifier == "max" and y.value <= x.value:
            return True
        if x.qualifier == "approx" and abs(x.value - y.value) <= 0.1 * max(abs(x.value), 1):
            return True
    return False


def _same_subject(a: Number, b: Number) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind in {"count", "duration", "money"}:
        return a.about is not None and a.about == b.about
    return a.about is None or b.about is None or a.about == b.about


@dataclass
class TypedConflictScorer:
    """Typed comparison: numbers, dates, weekdays and ages about the same subject that cannot
    both hold; a negation on one side only; an antonym pair. Needs the claims to overlap in
    content (``min_overlap``) so that two different facts are not called a contradiction."""

    min_overlap: float = 0.34

    def __call__(self, a: ClaimInfo, b: ClaimInfo) -> str | None:
        small = min(len(a.content), len(b.content)) or 1
        overlap = len(a.content & b.content) / small
        for x in a.numbers:
            for y in b.numbers:
                if not _same_subject(x, y) or _compatible(x, y):
                    continue
                # both sides may mention several values; only a value neither side states is a clash
                if any(_same_subject(x, z) and _compatible(x, z) for z in b.numbers):
                    continue
                if any(_same_subject(y, z) and _compatible(y, z) for z in a.numbers):
                    continue
                subject = x.about or y.about
                what = f"{x.kind} of {subject}" if subject and x.kind == "age" else (
                    f"{x.kind} ({subject})" if subject else x.kind)
                return f"{what}: {x.text.strip()} ({a.outlet}) vs {y.text.strip()} ({b.outlet})"
        if overlap < self.min_overlap:
            return None
        # a negation clashes only when what it negates is stated un-negated on the other side
        for neg, pos in ((a, b), (b, a)):
            clash = sorted((neg.negated - pos.negated) & pos.content)
            if clash and overlap >= 0.5:
                return f"polarity: {clash[0]!r} negated in {neg.outlet}, affirmed in {pos.outlet}"
        wa, wb = set(a.words), set(b.words)
        for w in wa - wb:
            for opposite in _ANTONYM.get(w, ()):
                if opposite in wb and opposite not in wa:
                    return f"opposite terms: {w!r} ({a.outlet}) vs {opposite!r} ({b.outlet})"
        return None


# ---------------------------------------------------------------- alignment


@dataclass
class Alignment:
    """The claims of one comparison, their pair scores and the groups built from them."""

    infos: list[ClaimInfo]
    embeddings: np.ndarray  # one normalized row per claim
    scores: np.ndarray  # claim x claim pair score (-1 within one article)
    members: list[list[int]]  # claim indices per group (a claim may support more than one)
    groups: tuple[ClaimGroup, ...]
    embedded: np.ndarray | None = None  # which rows the model read (``needs_embedding``); None: all

    def group_members(self, group_id: str) -> list[ClaimInfo]:
        index = {g.id: i for i, g in enumerate(self.groups)}[group_id]
        return [self.infos[i] for i in self.members[index]]


def _overlap_matrix(sets: Sequence[frozenset[str]], idf: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Pairwise weighted |A & B| and min(|A|, |B|) for many small sets, via one matrix product.
    With ``idf`` a term weighs log(N / df) over these sets, so a name every claim of the story
    repeats ("Putin" in a story about Putin) carries almost nothing."""
    vocab: dict[str, int] = {}
    for s in sets:
        for w in s:
            vocab.setdefault(w, len(vocab))
    m = np.zeros((len(sets), max(len(vocab), 1)), dtype=np.float32)
    rows = [i for i, s in enumerate(sets) for _ in s]
    m[rows, [vocab[w] for s in sets for w in s]] = 1.0
    if idf:
        df = m.sum(axis=0)
        weights = np.log((len(sets) + 1) / (df + 1)).astype(np.float32)
        weights /= max(float(np.log(len(sets) + 1)), 1e-6)
    else:
        weights = np.ones(m.shape[1], dtype=np.float32)
    inter = (m * weights) @ m.T
    sizes = m @ weights
    # the floor: one shared common term over a one-term set must not read as full overlap
    return inter, np.maximum(np.minimum.outer(sizes, sizes), OVERLAP_FLOOR if idf else 0.0)


def combine(signals: dict[str, np.ndarray], infos: Sequence[ClaimInfo]) -> np.ndarray:
    """The claim x claim alignment score from ``pair_signals``; pairs within one article get -1."""
    score = (W_COSINE * signals["cosine"] + W_LEXICAL * signals["lexical"] + W_CONTAIN * signals["contain"]
             + W_ENTITY * signals["entity"] + np.minimum(NUMBER_BONUS * signals["numbers"], NUMBER_BONUS_MAX))
    art = np.array([i.article_index for i in infos])
    score[art[:, None] == art[None, :]] = -1.0
    return score.astype(np.float32)


def pair_signals(infos: Sequence[ClaimInfo], embeddings: np.ndarray) -> dict[str, np.ndarray]:
    """Claim x claim signals in [0, 1]: embedding cosine, lexical token-set ratio (across
    articles only), idf-weighted content containment and entity overlap, and the count of shared
    specific numbers."""
    return {**text_signals(infos), "cosine": embeddings @ embeddings.T}


def text_score(signals: dict[str, np.ndarray]) -> np.ndarray:
    """The part of the pair score that needs no model: everything but the cosine."""
    return (W_LEXICAL * signals["lexical"] + W_CONTAIN * signals["contain"] + W_ENTITY * signals["entity"]
            + np.minimum(NUMBER_BONUS * signals["numbers"], NUMBER_BONUS_MAX))


def needs_embedding(signals: dict[str, np.ndarray], infos: Sequence[ClaimInfo]) -> np.ndarray:
    """Which claims the model must read: those with a claim of another article whose text score
    reaches ``PREFILTER``. The others cannot align (see ``PREFILTER``); with fewer than two
    articles nothing aligns, and every claim is embedded for the summary."""
    n = len(infos)
    art = np.array([i.article_index for i in infos])
    if n == 0 or len(set(art.tolist())) < 2:
        return np.ones(n, dtype=bool)
    rest = text_score(signals)
    same = art[:, None] == art[None, :]
    rest[same] = -1.0
    contain = np.where(same, 0.0, signals["contain"])
    # either side of an attach pair (``_attach``: containment above ATTACH_CONTAINMENT) too
    attach = (contain >= ATTACH_CONTAINMENT).any(axis=1) | (contain >= ATTACH_CONTAINMENT).any(axis=0)
    return (rest.max(axis=1) >= PREFILTER) | attach


def text_signals(infos: Sequence[ClaimInfo]) -> dict[str, np.ndarray]:
    """The signals of ``pair_signals`` that need no model (all but the cosine)."""
    from rapidfuzz import fuzz

    if not infos:
        z = np.zeros((0, 0), dtype=np.float32)
        return {"lexical": z, "contain": z, "entity": z, "numbers": z}
    texts = [" ".join(i.words) for i in infos]
    inter, small = _overlap_matrix([i.content for i in infos], idf=True)
    einter, esmall = _overlap_matrix([i.entities for i in infos], idf=True)
    ninter, _ = _overlap_matrix([frozenset(f"{x.kind}:{x.value:g}" for x in i.numbers if x.kind != "count" or x.value > 10)
                                 for i in infos])
    return {
        "lexical": _cross_article(texts, [i.article_index for i in infos], fuzz.token_set_ratio) / 100.0,
        "contain": np.divide(inter, small, out=np.zeros_like(inter), where=small > 0),
        "entity": np.divide(einter, esmall, out=np.zeros_like(einter), where=esmall > 0),
        "numbers": ninter,
    }


def _cross_article(texts: Sequence[str], article_of: Sequence[int], scorer) -> np.ndarray:
    """``scorer`` (symmetric) over every pair of texts from two different articles, each pair
    once (rapidfuzz ``cdist`` per article block against the later articles); pairs within one
    article, which never align, stay 0."""
    from rapidfuzz import process

    n = len(texts)
    out = np.zeros((n, n), dtype=np.float32)
    blocks: dict[int, list[int]] = {}
    for k, a in enumerate(article_of):
        blocks.setdefault(a, []).append(k)
    order = list(blocks.values())
    for b, rows in enumerate(order):
        cols = [k for later in order[b + 1 :] for k in later]
        if not cols:
            continue
        part = process.cdist([texts[k] for k in rows], [texts[k] for k in cols], scorer=scorer, dtype=np.float32, workers=1)
        out[np.ix_(rows, cols)] = part
        out[np.ix_(cols, rows)] = part.T
    return out


def _group(scores: np.ndarray, infos: Sequence[ClaimInfo]) -> list[list[int]]:
    """Greedy agglomeration over pairs above threshold, strongest first; at most one claim per
    article in a group; two multi-claim groups merge only if their mean pair score holds."""
    n = len(infos)
    sets = UnionFind(n)
    members = {i: [i] for i in range(n)}
    arts = {i: {infos[i].article_index} for i in range(n)}

    iu, ju = np.nonzero(np.triu(scores >= ALIGN_THRESHOLD, k=1))
    order = np.argsort(-scores[iu, ju], kind="stable")
    for k in order:
        a, b = sets.find(int(iu[k])), sets.find(int(ju[k]))
        if a == b or arts[a] & arts[b]:
            continue
        if len(members[a]) > 1 and len(members[b]) > 1:
            if scores[np.ix_(members[a], members[b])].mean() < GROUP_MEAN_THRESHOLD:
                continue
        sets.union(a, b)
        members[a].extend(members.pop(b))
        arts[a] |= arts.pop(b)
    return [sorted(m) for m in members.values()]


def _attach(groups: list[list[int]], scores: np.ndarray, infos: Sequence[ClaimInfo], contain: np.ndarray) -> list[list[int]]:
    """A long claim that also states a shorter claim of another article joins that claim's
    group too (evidence may support several groups), when the group lacks its article."""
    out = []
    for g in groups:
        g = list(g)
        present = {infos[i].article_index for i in g}
        for i in list(g):
            row = scores[i]
            for j in np.nonzero(row >= ATTACH_THRESHOLD)[0]:
                j = int(j)
                if infos[j].article_index in present:
                    continue
                a, b = infos[i], infos[j]
                if len(b.content) <= len(a.content) or not a.content:
                    continue
                if contain[i, j] < ATTACH_CONTAINMENT:
                    continue
                # keep the best such claim per article
                rivals = [k for k in np.nonzero(row >= ATTACH_THRESHOLD)[0] if infos[int(k)].article_index == b.article_index]
                if int(max(rivals, key=lambda k: row[k])) != j:
                    continue
                g.append(j)
                present.add(b.article_index)
        out.append(sorted(set(g)))
    return out


def _group_id(evidence: Sequence[Evidence]) -> str:
    key = "|".join(f"{e.article_id}:{e.start}:{e.end}" for e in sorted(evidence, key=lambda e: (e.article_id, e.start)))
    return "g-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def align_claims(
    articles: Sequence[Article],
    *,
    conflict_scorer: ConflictScorer | None = None,
) -> Alignment:
    """Split, describe, score and group the claims of ``articles`` (one story)."""
    scorer = conflict_scorer or TypedConflictScorer()
    claims = extract_claims(articles)
    infos = describe(articles, claims)
    signals = text_signals(infos)
    # the model reads only the claims that may align; the others keep a zero row (cosine 0)
    embedded = needs_embedding(signals, infos)
    embeddings = np.zeros((len(infos), 384), dtype=np.float32)
    if embedded.any():
        rows = np.nonzero(embedded)[0]
        vectors = _nlp.encode([infos[i].claim.text for i in rows])
        embeddings = np.zeros((len(infos), vectors.shape[1]), dtype=np.float32)
        embeddings[rows] = vectors
    signals["cosine"] = embeddings @ embeddings.T
    scores = combine(signals, infos)
    members = _attach(_group(scores, infos), scores, infos, signals["contain"])
    # reading order: by the first article that states the group, then position
    members.sort(key=lambda m: min((infos[i].article_index, infos[i].claim.span.start) for i in m))
    is_copy = [a.duplicate is not None and a.duplicate.canonical_id != a.id for a in articles]
    by_id = {a.id: a for a in articles}
    outlet_key = [source_key(a, by_id) for a in articles]  # evidence: one span per (canonical's) outlet

    # every typed number each independent source states anywhere in the story
    stated: dict[str, list[Number]] = {}
    for ci in infos:
        stated.setdefault(ci.source, []).extend(ci.numbers)

    groups: list[ClaimGroup] = []
    out_members: list[list[int]] = []
    seen_ids: set[str] = set()

    def add(group: ClaimGroup, m: list[int]) -> None:
        gid = group.id
        while gid in seen_ids:
            gid += "x"
        seen_ids.add(gid)
        groups.append(replace(group, id=gid))
        out_members.append(m)

    for m in members:
        ms = [infos[i] for i in m]
        # one evidence per outlet, the canonical member when there is one (a linked copy adds
        # none); independence counts sources: wire copy of one agency in two outlets is one
        chosen: dict[str, ClaimInfo] = {}
        for ci in sorted(ms, key=lambda c: (is_copy[c.article_index], c.article_index)):
            chosen.setdefault(outlet_key[ci.article_index], ci)
        reps = sorted(chosen.values(), key=lambda c: c.article_index)
        independent = len({c.source for c in reps})
        evidence = tuple(
            Evidence(c.claim.article_id, c.claim.span.start, c.claim.span.end, c.claim.text, c.outlet) for c in reps
        )
        outlets = tuple(dict.fromkeys(c.outlet for c in sorted(ms, key=lambda c: c.article_index)))
        note = next((n for x in range(len(reps)) for y in range(x + 1, len(reps)) if (n := scorer(reps[x], reps[y]))), "")
        status = "conflicting" if note else ("shared" if independent >= 2 else "unique")
        # the representative wording: the most compact member (a long sentence that also
        # states other facts is a worse label than the short claim it was aligned with)
        label = min(reps, key=lambda c: (len(c.content), c.article_index)).claim.text if reps else ""
        add(ClaimGroup(_group_id(evidence), status, label, evidence, outlets, note), m)
        if independent < 2:
            continue
        # a number only one source gives, inside a claim others share, is a unique detail
        # ("Lukashenko, 69, ..." against a report of the same scene without ages)
        for k, c in enumerate(reps):
            others = [z for src, nums in stated.items() if src != c.source for z in nums]
            siblings = [r for r in reps[k + 1 :] if r.source == c.source]  # the same wire story elsewhere
            for n in c.numbers:
                if n.kind == "count" and n.about is None:
                    continue
                if any(_same_subject(n, z) and _compatible(n, z) for z in others):
                    continue
                if any(_same_subject(n, z) and not _compatible(n, z) for r in reps if r is not c for z in r.numbers):
                    continue  # a clash, already told by the conflict note
                if any(_same_subject(n, z) and _compatible(n, z) for r in reps[:k] if r.source == c.source for z in r.numbers):
                    continue  # told with the first outlet of this source
                carriers = [(c, n)]
                for r in siblings:
                    z = next((z for z in r.numbers if _same_subject(n, z) and _compatible(n, z)), None)
                    if z is not None:
                        carriers.append((r, z))
                evs = tuple(dict.fromkeys(
                    Evidence(r.claim.article_id, r.claim.span.start + z.start, r.claim.span.start + z.start + len(z.text), z.text, r.outlet)
                    for r, z in carriers))
                outlets = tuple(dict.fromkeys(e.outlet for e in evs))
                subject = f" of {n.about}" if n.about and n.kind == "age" else ""
                add(ClaimGroup(_group_id(evs), "unique", n.text, evs, outlets,
                               f"{n.kind}{subject} given only by {' and '.join(outlets)}"),
                    sorted({infos.index(r) for r, _ in carriers}))
    return Alignment(infos, embeddings, scores, out_members, tuple(groups), embedded)
