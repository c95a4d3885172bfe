"""Atomic claims and their alignment across the articles of one story.

1. **Split** each article into claims: its sentences, and long sentences (more than
   ``LONG_SENTENCE_WORDS`` words) split into clauses with the dependency parse (";", " — ",
   coordinated clauses that each have their own subject).
2. **Describe** each claim: content words, entity terms, typed numbers and dates, negation.
3. **Score** every cross-article pair at once: the learned pair probability
   (``samestory.compare.aligner``: embeddings, lexical, name, number and negation features of
   the pair alone, so a pair scores alike in any story), after a pair-feature prefilter decides
   which claims the embedding model reads (``AlignConfig``).
4. **Group** pairs above the scorer's threshold, strongest first, never putting two claims of one
   article in one group; then let a long sentence that states two facts join the group of
   each (``attach``), so "in power since 1994, ... re-election in 2020" supports both.
5. **Mark** each group shared (two or more independent outlets), unique (one) or conflicting
   (a ``ConflictScorer`` finds incompatible values or opposite terms between two of its
   sources; precision first: ``ConflictConfig``).

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

from samestory.compare import _nlp, aligner
from samestory.dedup import outlet_key, source_keys
from samestory.models import Article, Claim, ClaimGroup, Evidence, Span
from samestory.text.dates import days_in
from samestory.text.numbers import Value, round_figure_covers, values_in
from samestory.text.unionfind import UnionFind
from samestory.text.words import CLAIM_STOP, DENIAL_WORDS

__all__ = [
    "LONG_SENTENCE_WORDS",
    "AlignConfig",
    "ConflictConfig",
    "ClaimInfo",
    "Number",
    "Alignment",
    "ConflictScorer",
    "TypedConflictScorer",
    "extract_claims",
    "align_claims",
    "source_key",
    "numbers_in",
    "threshold",
    "same_moment",
    "one_value_apart",
]

LONG_SENTENCE_WORDS = 35
MIN_CLAIM_WORDS = 3
MIN_CLAUSE_WORDS = 5


@dataclass(frozen=True)
class AlignConfig:
    """Thresholds of alignment. The pair score is the learned probability that two claims state
    the same thing (``samestory.compare.aligner``: MSRP-trained, then recalibrated on the tune half
    of the judged wikinews-events claim pairs). Its decision threshold is in the weights file with
    the figures it was chosen by: the best F1 of claim groups on the tune-half judged pairs with
    precision at least that of the MSRP-only scorer there (bench/train_aligner.py). Every pair is
    scored alike, whatever the story's size.

    * ``group_mean_margin``: two multi-claim groups merge when their mean pair probability
      reaches the threshold minus this (0.1: a group's weaker pairs carry it, not decide it).
    * ``attach_margin`` / ``attach_containment``: a long claim that also states a shorter claim
      of another article joins its group at probability >= threshold - margin with
      idf-weighted content containment >= 0.6 (the values of the hand-set scorer before).
    * ``prefilter_lexical`` / ``prefilter_contain``: a claim is read by the model only when a
      claim of another article reaches this token-set ratio or plain content containment (pair
      features, not story ones). 0.60 / 0.50: 99.8% of MSRP train paraphrase pairs pass, and on
      the 5 largest ECB+ events (10 articles each) the model reads 64% of the claims (0.45 /
      0.34 let 99% through, 0.70 / 0.50 53% but 98.0% of the MSRP paraphrases).
    """

    group_mean_margin: float = 0.10
    attach_margin: float = 0.15
    attach_containment: float = 0.6
    prefilter_lexical: float = 0.60
    prefilter_contain: float = 0.50


ALIGN = AlignConfig()
ATTACH_CONTAINMENT = ALIGN.attach_containment
OVERLAP_FLOOR = 1.0  # about the idf weight of one rare term

_WORD = re.compile(r"[A-Za-z0-9][\w’'\-]*")
_POSSESSIVE = re.compile(r"[’']s$")

_STOP = CLAIM_STOP


# ---------------------------------------------------------------- typed numbers

Number = Value  # a claim's numbers are ``samestory.text.numbers.Value``s


def _norm_word(word: str) -> str:
    return aligner.norm_word(word)


def numbers_in(text: str) -> tuple[Value, ...]:
    """Typed values (``samestory.text.numbers``) and the calendar days (``text.dates.days_in``)
    a claim states, in text order."""
    days = [Value(kind, float(v), float(v), text[s:e], s, e) for kind, v, s, e in days_in(text)]
    values = [v for v in values_in(text) if not any(d.start < v.end and v.start < d.end for d in days)]
    return tuple(sorted(days + values, key=lambda v: v.start))


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
            # short sentences too: they must show a subject and a finite verb to stand alone
            if punct or _word_count(text) > LONG_SENTENCE_WORDS or _word_count(text) < MIN_CLAUSE_WORDS:
                marks[(ai, si)] = punct
                todo.append((ai, si, span))
    docs = _nlp.parse_sentences([span.of(articles[ai].text) for ai, _, span in todo])
    cuts: dict[tuple[int, int], list[int]] = {}
    verbs: dict[tuple[int, int], list[int]] = {}  # char offsets of verbs, to spot verbless fragments
    heads: dict[tuple[int, int], list[tuple[int, int, bool]]] = {}  # (verb, subject, stands alone) offsets
    for (ai, si, span), doc in zip(todo, docs):
        clause = _clause_cuts(doc) if _word_count(span.of(articles[ai].text)) > LONG_SENTENCE_WORDS else []
        cuts[(ai, si)] = sorted(set(clause) | set(marks[(ai, si)]))
        verbs[(ai, si)] = [t.idx for t in doc if t.pos_ in {"VERB", "AUX"}]
        heads[(ai, si)] = _clause_heads(doc)

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
                # a cut piece needs a verb; one with a participle ("using the opportunity to ...")
                # still states its fact, and merging it into a long sentence hides it from alignment
                return bool(verb_at) and not any(s <= v < e for v in verb_at)

            if (ai, si) in heads and _word_count(span.of(article.text)) < MIN_CLAUSE_WORDS:
                # "Justice Breyer asked.", "This is the tactic.": no claim on their own
                if not any(ok for _, _, ok in heads[(ai, si)]):
                    continue

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


# reporting verbs, as written (the parse for claims runs without the lemmatizer)
_REPORTING_LEMMAS = frozenset("""say says said ask asks asked add adds added tell tells told note notes noted write
writes wrote explain explains explained reply replies replied answer answers answered insist insists insisted
continue continues continued argue argues argued wonder wonders wondered""".split())
_DEICTIC = frozenset("this that it these those here there".split())


def _clause_heads(doc) -> list[tuple[int, int, bool]]:
    """(verb offset, subject offset, whether the clause stands alone) for each finite verb
    with a subject; a reporting verb with no object, or a deictic subject with nothing else
    ("This is the tactic."), does not stand alone."""
    out = []
    for t in doc:
        if t.pos_ not in {"VERB", "AUX"}:
            continue
        finite = "Fin" in t.morph.get("VerbForm") or t.tag_ in {"VBD", "VBZ", "VBP", "MD"}
        subjects = [c for c in t.children if c.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"}]
        if not finite and not any(c.dep_ == "aux" and ("Fin" in c.morph.get("VerbForm") or c.tag_ == "MD") for c in t.children):
            continue
        if not subjects:
            continue
        subj = subjects[0]
        objects = [c for c in t.children if c.dep_ in {"dobj", "ccomp", "xcomp", "attr", "acomp", "prep", "advmod", "npadvmod", "oprd", "agent"}]
        alone = True
        if (t.lemma_.lower() in _REPORTING_LEMMAS or t.lower_ in _REPORTING_LEMMAS) and not objects:
            alone = False
        if subj.lower_ in _DEICTIC and len(list(subj.subtree)) == 1 and len(doc) <= 6:
            alone = False
        out.append((t.idx, subj.idx, alone))
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
    """The first content word within three words after a negation: what the negation is about
    ("would not support the levy" negates "support", not "levy")."""
    out: set[str] = set()
    for k, w in enumerate(words):
        if _is_negation(w):
            for x in words[k + 1 : k + 4]:
                x = _norm_word(x)
                if x not in _STOP and len(x) > 1:
                    out.add(x)
                    break
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
                extra={"published": article.published},
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
    ("opened", "closed"), ("survived", "died"), ("arrived", "left"), ("up", "down"),
    ("released", "detained"), ("resigned", "reappointed"), ("ally", "enemy"), ("wins", "loses"),
]
_ANTONYM = {}
for _a, _b in _ANTONYMS:
    _ANTONYM.setdefault(_a, set()).add(_b)
    _ANTONYM.setdefault(_b, set()).add(_a)


def _decimals(v: Value) -> int:
    m = re.search(r"\.(\d+)", v.text)
    return len(m.group(1)) if m else 0


def _compatible(a: Value, b: Value) -> bool:
    """True when ``a`` and ``b`` can both be true: their ranges meet (a qualifier or a vague
    quantifier widens one), or one is the other rounded ("4.4%" and "4.36%", "300" and "296")."""
    if a.overlaps(b):
        return True
    if a.exact and b.exact:
        places = min(_decimals(a), _decimals(b))
        if round(a.low, places) == round(b.low, places):
            return True
        if a.kind == b.kind and a.kind in _ROUNDED_KINDS and round_figure_covers(a.low, b.low):
            return True  # "300 people" and "296 people": the round figure is the other rounded
    return False


_ROUNDED_KINDS = frozenset({"count", "money", "measure"})


_MEASURED = {"money", "percent", "duration", "measure", "height", "score"}


def _same_subject(a: Value, b: Value) -> bool:
    """Same kind and unit, and for counts the same counted noun ("3,400 stores" / "4,300 stores")."""
    if a.kind != b.kind or (a.unit or "") != (b.unit or "") and (a.kind in _MEASURED or a.kind == "count"):
        return False
    if a.kind == "count":
        return a.about is not None and a.about == b.about
    if a.kind == "age":
        return a.about is None or b.about is None or a.about == b.about
    return True


# Words that tie a figure to a moment: two claims that differ in them report two moments
# ("in early trade" / "in late afternoon trade"), not one fact told two ways.
_TIME_WORDS = frozenset("""morning afternoon evening night overnight midday noon early late earlier later
opening close closing session today yesterday tomorrow week month quarter year previous last first""".split())
# A figure told as a movement ("rose 22 cents to $38.28", "was up 0.3 percent") belongs to the
# moment it was read: two such claims clash only when both name the same moment (a date, a
# weekday or a clock time), never on the movement alone.
_MOVING = frozenset("""rose fell gained dropped declined edged jumped slipped eased advanced climbed slid shed
firmed dipped surged plunged tumbled soared trading traded""".split())
_UP_DOWN = re.compile(r"\b(?:up|down|off)\s+(?:by\s+)?[$£€]?\.?\d", re.I)
_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2}|\s?(?:a\.m\.|p\.m\.|am|pm))|\b\d{4}\s?(?:GMT|EDT|EST|BST|UTC)\b", re.I)
# Counts that only grow as a story develops (numbers.GROWING_LEMMAS, as surface words)
_GROWING = frozenset("""dead death deaths died killed toll injured wounded hurt detained arrested missing
evacuated displaced victims cases infected rescued fled""".split())


@dataclass(frozen=True)
class ConflictConfig:
    """What the default conflict scorer may report, and how sure each kind must be.

    A finding type is shown only while its measured precision reaches ``precision_floor``:
    bench/claims.py runs every type switched on over ClaimDiff-weak, the MSRP value pairs (by
    MSRP's labels and by reading, ``bench/judged/msrp_value_pairs.tsv``) and Emergent headlines,
    and prints each type's precision on a tune half (SHA-1 of the pair's text even), where these
    flags are set, and on the report half. Figures of 2026-12-03 (bench/RESULTS.md, "claims"):

    * ``numbers``: an exact value against another exact value of the same kind, unit and
      subject, in two claims that say the same thing otherwise (``rest_ratio``: token-set ratio of
      the texts without their numbers, 0.80 as in the MSRP value-pair definition; the figures in
      text order differ in one place) and name the same moment (no time word on one side only).
      A growing count (a toll) that is higher in the later-published article is an update, never
      a conflict; a round figure covers what rounds to it ("300" and "296"). Flagged: 0 of the
      1,857 ClaimDiff-weak pairs, 3 MSRP value pairs, all 3 conflicts by reading (an age 30 vs 32,
      2.5 vs 2.7 million jobs, 40 vs 43 percent) and all 3 paraphrases by MSRP's labels; all 3
      fall in the report half, so the tune half gives no measurement: on, as before, on the
      reading of the report half (3 of 3) and the unit tests.
    * ``polarity``: a word negated on one side and affirmed on the other, with content overlap
      >= ``polarity_overlap``. Tune half: 0 of 1 right on the MSRP value pairs, 2 of 11 on
      Emergent (report half 0 of 7, 2 of 9): off.
    * ``antonyms``: "accepted" vs "rejected" ("would not support" is "oppose": a word under a
      negation never counts), only when both claims name the same moment (``same_moment``).
      The 7 MSRP flags it had ("rose" at 10:00 vs "fell" at the close, 6 of them "right" by MSRP's
      labels) were all two readings of a market, none a conflict by reading; with the moment
      rule it flags none of these sets: on, on the unit tests alone.
    * ``denial``: one claim calls what the other states untrue ("Israel denies causing the
      floods", "... death report is a hoax": ``text.words.DENIAL_WORDS``) while the other states
      it plainly: no denial word, no negation, not a question. Emergent tune half 12 of 13 right
      (report half 10 of 11); none flagged on ClaimDiff-weak or MSRP: on.
    """

    precision_floor: float = 0.80
    numbers: bool = True
    polarity: bool = False
    antonyms: bool = True
    denial: bool = True
    rest_ratio: float = 0.80
    polarity_overlap: float = 0.5
    min_overlap: float = 0.34


CONFLICTS = ConflictConfig()


def _moment(text: str, numbers: Sequence[Value]) -> frozenset:
    """The moment a claim names: its dates, weekdays and clock times."""
    days = {(v.kind, v.low) for v in numbers if v.kind in ("date", "weekday")}
    return frozenset(days | {m.group(0).lower() for m in _CLOCK.finditer(text)})


def _words_of(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _strip_values(text: str, numbers: Sequence[Value]) -> str:
    for v in sorted(numbers, key=lambda v: -v.start):
        text = text[: v.start] + " " + text[v.end :]
    return " ".join(w.lower() for w in _WORD.findall(text))


def same_moment(text_a: str, text_b: str, numbers_a: Sequence[Value] | None = None,
                numbers_b: Sequence[Value] | None = None) -> bool:
    """Whether two statements speak of the same moment: the same time words, dates and weekdays,
    and for a movement figure ("rose 22 cents", "up 0.3 percent") one named date or clock time
    on both sides (market readings of one day differ by the hour)."""
    na = numbers_in(text_a) if numbers_a is None else numbers_a
    nb = numbers_in(text_b) if numbers_b is None else numbers_b
    wa, wb = _words_of(text_a), _words_of(text_b)
    times_a = wa & _TIME_WORDS | {(v.kind, v.low) for v in na if v.kind in ("date", "weekday")}
    times_b = wb & _TIME_WORDS | {(v.kind, v.low) for v in nb if v.kind in ("date", "weekday")}
    if times_a != times_b:
        return False
    if wa & _MOVING or wb & _MOVING or _UP_DOWN.search(text_a) or _UP_DOWN.search(text_b):
        moment = _moment(text_a, na)
        if not moment or moment != _moment(text_b, nb):
            return False
    return True


def one_value_apart(text_a: str, text_b: str, numbers_a: Sequence[Value] | None = None,
                    numbers_b: Sequence[Value] | None = None, rest_ratio: float = 0.80) -> bool:
    """Whether two statements can disagree on a value at all: they say the same thing otherwise
    (token-set ratio of the texts without their numbers >= ``rest_ratio``), each has exactly one
    exact value the other lacks, and they name the same moment (no time word on one side only; a
    movement figure, "rose 22 cents", needs one named date or clock time on both sides)."""
    from rapidfuzz import fuzz

    na = numbers_in(text_a) if numbers_a is None else numbers_a
    nb = numbers_in(text_b) if numbers_b is None else numbers_b
    if not same_moment(text_a, text_b, na, nb):
        return False
    if fuzz.token_set_ratio(_strip_values(text_a, na), _strip_values(text_b, nb)) / 100.0 < rest_ratio:
        return False
    lone_a = [x for x in na if x.exact and not any(x.kind == z.kind and _compatible(x, z) for z in nb)]
    lone_b = [y for y in nb if y.exact and not any(y.kind == z.kind and _compatible(y, z) for z in na)]
    if len(lone_a) != 1 or len(lone_b) != 1:
        return False
    # the figures in text order, kind by kind: only one place may differ ("300,000 workers and
    # 500,000 retirees" against "115,000 workers and 340,000 retirees" differs twice, though
    # "340,000" fits "more than 300,000" when figures are matched in any order)
    fa = [x for x in na if x.qualifier != "vague"]
    fb = [y for y in nb if y.qualifier != "vague"]
    if [x.kind for x in fa] != [y.kind for y in fb]:
        return True  # one side gives a figure more: the lone values above decide
    return sum(not _compatible(x, y) for x, y in zip(fa, fb)) == 1


def _update(a: ClaimInfo, b: ClaimInfo, x: Value, y: Value) -> bool:
    """A growing count (a toll) told by two articles: the later one's higher figure is news,
    not a contradiction. Without two publication times the two cannot be ordered: a conflict."""
    words = set(a.words) | set(b.words)
    if x.kind != "count" or not (words & _GROWING or {x.about, y.about} & _GROWING):
        return False
    pa, pb = a.extra.get("published"), b.extra.get("published")
    if not pa or not pb or pa == pb:
        return False
    (early, late) = (x, y) if pa < pb else (y, x)
    return (late.low or 0) > (early.low or 0)


@dataclass
class TypedConflictScorer:
    """Typed comparison under ``ConflictConfig``: exact values of one subject that cannot both
    hold (and, when switched on, one-sided negation and antonyms)."""

    config: ConflictConfig = CONFLICTS
    min_overlap: float | None = None  # kept for callers that only want number checks (> 1: numbers only)

    def __call__(self, a: ClaimInfo, b: ClaimInfo) -> str | None:
        cfg = self.config
        small = min(len(a.content), len(b.content)) or 1
        overlap = len(a.content & b.content) / small
        if cfg.numbers:
            comparable = one_value_apart(a.claim.text, b.claim.text, a.numbers, b.numbers, cfg.rest_ratio)
            for x in a.numbers if comparable else ():
                for y in b.numbers:
                    if not (x.exact and y.exact) or not _same_subject(x, y) or _compatible(x, y):
                        continue
                    # both sides may mention several values; only a value neither side states is a clash
                    if any(_same_subject(x, z) and _compatible(x, z) for z in b.numbers):
                        continue
                    if any(_same_subject(y, z) and _compatible(y, z) for z in a.numbers):
                        continue
                    if _update(a, b, x, y):
                        continue
                    subject = x.about or y.about
                    what = f"{x.kind} of {subject}" if subject and x.kind == "age" else (
                        f"{x.kind} ({subject})" if subject else x.kind)
                    return f"{what}: {x.text.strip()} ({a.outlet}) vs {y.text.strip()} ({b.outlet})"
        if (self.min_overlap or cfg.min_overlap) > 1 or overlap < cfg.min_overlap:
            return None
        if cfg.polarity:
            # a negation clashes only when what it negates is stated un-negated on the other side
            for neg, pos in ((a, b), (b, a)):
                clash = sorted((neg.negated - pos.negated) & pos.content)
                if clash and overlap >= cfg.polarity_overlap:
                    return f"polarity: {clash[0]!r} negated in {neg.outlet}, affirmed in {pos.outlet}"
        if cfg.denial:
            for deny, plain in ((a, b), (b, a)):
                said = set(deny.words) & DENIAL_WORDS  # whole words: "fake-blood-soaked" denies nothing
                if said and not set(plain.words) & DENIAL_WORDS \
                        and not any(_is_negation(w) for w in plain.words) \
                        and not plain.claim.text.rstrip().endswith("?"):
                    return f"denial: {sorted(said)[0]!r} in {deny.outlet}, stated in {plain.outlet}"
        if cfg.antonyms and same_moment(a.claim.text, b.claim.text, a.numbers, b.numbers):
            # "rose" vs "fell", "up" vs "down" of one index at two hours of one day are two
            # readings, not a contradiction: opposite terms clash only at one named moment
            wa, wb = set(a.words), set(b.words)
            for w in wa - wb:
                if _norm_word(w) in a.negated:
                    continue  # "would not support" agrees with "oppose"
                for opposite in _ANTONYM.get(w, ()):
                    if opposite in wb and opposite not in wa and _norm_word(opposite) not in b.negated:
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
    m = aligner.incidence(sets)
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


def threshold() -> float:
    """The decision threshold of the shipped pair scorer (chosen on the tune half of the judged
    wikinews-events claim pairs, ``AlignConfig``)."""
    return aligner.load_model().threshold


def combine(signals: dict[str, np.ndarray], infos: Sequence[ClaimInfo], embeddings: np.ndarray,
            embedded: np.ndarray | None = None) -> np.ndarray:
    """The claim x claim alignment probability (``aligner``); pairs within one article, and
    pairs with a claim the model did not read, get -1 and 0."""
    model = aligner.load_model()
    terms = [aligner.claim_terms(i.claim.text) for i in infos]
    feats = aligner.pair_features(terms, [i.claim.text for i in infos], embeddings, signals["lexical"])
    score = model.probabilities(feats, embeddings)
    if embedded is not None:
        score[~embedded, :] = 0.0
        score[:, ~embedded] = 0.0
    art = np.array([i.article_index for i in infos])
    score[art[:, None] == art[None, :]] = -1.0
    return score.astype(np.float32)


def needs_embedding(signals: dict[str, np.ndarray], infos: Sequence[ClaimInfo]) -> np.ndarray:
    """Which claims the model must read: those with a claim of another article whose token-set
    ratio or plain content containment reaches the prefilter (``AlignConfig``), or that may
    attach. Pair features only, so one pair is judged alike in any story."""
    n = len(infos)
    art = np.array([i.article_index for i in infos])
    if n == 0 or len(set(art.tolist())) < 2:
        return np.ones(n, dtype=bool)
    same = art[:, None] == art[None, :]
    lexical = np.where(same, 0.0, signals["lexical"])
    plain = np.where(same, 0.0, signals["plain_contain"])
    contain = np.where(same, 0.0, signals["contain"])
    near = (lexical >= ALIGN.prefilter_lexical) | (plain >= ALIGN.prefilter_contain) | (contain >= ALIGN.attach_containment)
    return near.any(axis=1) | near.any(axis=0)


def text_signals(infos: Sequence[ClaimInfo]) -> dict[str, np.ndarray]:
    """The signals of ``pair_signals`` that need no model (all but the cosine)."""
    from rapidfuzz import fuzz

    if not infos:
        z = np.zeros((0, 0), dtype=np.float32)
        return {"lexical": z, "contain": z, "plain_contain": z, "entity": z, "numbers": z}
    texts = [" ".join(i.words) for i in infos]
    inter, small = _overlap_matrix([i.content for i in infos], idf=True)
    pinter, psmall = _overlap_matrix([i.content for i in infos])
    einter, esmall = _overlap_matrix([i.entities for i in infos], idf=True)
    ninter, _ = _overlap_matrix([frozenset(x.key for x in i.numbers if x.exact and (x.kind != "count" or x.low > 10))
                                 for i in infos])
    return {
        "lexical": _cross_article(texts, [i.article_index for i in infos], fuzz.token_set_ratio) / 100.0,
        "contain": np.divide(inter, small, out=np.zeros_like(inter), where=small > 0),
        "plain_contain": np.divide(pinter, psmall, out=np.zeros_like(pinter), where=psmall > 0),
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

    iu, ju = np.nonzero(np.triu(scores >= threshold(), k=1))
    order = np.argsort(-scores[iu, ju], kind="stable")
    for k in order:
        a, b = sets.find(int(iu[k])), sets.find(int(ju[k]))
        if a == b or arts[a] & arts[b]:
            continue
        if len(members[a]) > 1 and len(members[b]) > 1:
            if scores[np.ix_(members[a], members[b])].mean() < threshold() - ALIGN.group_mean_margin:
                continue
        sets.union(a, b)
        members[a].extend(members.pop(b))
        arts[a] |= arts.pop(b)
    return [sorted(m) for m in members.values()]


def _attach(groups: list[list[int]], scores: np.ndarray, infos: Sequence[ClaimInfo], contain: np.ndarray) -> list[list[int]]:
    """A long claim that also states a shorter claim of another article joins that claim's
    group too (evidence may support several groups), when the group lacks its article."""
    out = []
    attach_at = threshold() - ALIGN.attach_margin
    for g in groups:
        g = list(g)
        present = {infos[i].article_index for i in g}
        for i in list(g):
            row = scores[i]
            for j in np.nonzero(row >= attach_at)[0]:
                j = int(j)
                if infos[j].article_index in present:
                    continue
                a, b = infos[i], infos[j]
                if len(b.content) <= len(a.content) or not a.content:
                    continue
                if contain[i, j] < ATTACH_CONTAINMENT:
                    continue
                # keep the best such claim per article
                rivals = [k for k in np.nonzero(row >= attach_at)[0] if infos[int(k)].article_index == b.article_index]
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
    scores = combine(signals, infos, embeddings, embedded)
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

    def add(group: ClaimGroup, m: list[int]) -> str:
        gid = group.id
        while gid in seen_ids:
            gid += "x"
        seen_ids.add(gid)
        groups.append(replace(group, id=gid))
        out_members.append(m)
        return gid

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
        parent = add(ClaimGroup(_group_id(evidence), status, label, evidence, outlets, note), m)
        if independent < 2:
            continue
        # a number only one source gives, inside a claim others share, is a unique detail
        # ("Lukashenko, 69, ..." against a report of the same scene without ages); the values one
        # clause alone gives, told by the same articles, are one detail (one row, one omission)
        for k, c in enumerate(reps):
            details: dict[tuple, list[Number]] = {}
            others = [z for src, nums in stated.items() if src != c.source for z in nums]
            siblings = [r for r in reps[k + 1 :] if r.source == c.source]  # the same wire story elsewhere
            for n in c.numbers:
                if n.kind == "count" and n.about is None or not n.exact:
                    continue  # a bare count, or a range ("dozens"): no value to call unique
                if any(_same_subject(n, z) and _compatible(n, z) for z in others):
                    continue
                if any(_same_subject(n, z) and not _compatible(n, z) for r in reps if r is not c for z in r.numbers):
                    continue  # a clash, already told by the conflict note
                if any(_same_subject(n, z) and _compatible(n, z) for r in reps[:k] if r.source == c.source for z in r.numbers):
                    continue  # told with the first outlet of this source
                carriers = (c,) + tuple(r for r in siblings
                                        if any(_same_subject(n, z) and _compatible(n, z) for z in r.numbers))
                details.setdefault(carriers, []).append(n)
            for carriers, values in details.items():
                # the whole clause is the evidence and the label (a value's few words are a fragment)
                evs = tuple(dict.fromkeys(
                    Evidence(r.claim.article_id, r.claim.span.start, r.claim.span.end, r.claim.text, r.outlet)
                    for r in carriers))
                outlets = tuple(dict.fromkeys(e.outlet for e in evs))
                detail = " and ".join(dict.fromkeys(
                    f"{n.kind}{f' of {n.about}' if n.about and n.kind == 'age' else ''} {n.text.strip()!r}" for n in values))
                key = "|".join(n.text for n in values)
                add(ClaimGroup(_group_id(evs) + "-" + hashlib.sha256(key.encode()).hexdigest()[:4], "unique", c.claim.text,
                               evs, outlets, f"{detail} given only by {' and '.join(outlets)}", detail_of=parent, detail=detail),
                    sorted({infos.index(r) for r in carriers}))
    return Alignment(infos, embeddings, scores, out_members, tuple(groups), embedded)
