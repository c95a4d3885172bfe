"""Framing: loaded words, headline against body, attribution and hedging, tone toward entities.

The detector is a lexicon written for this project (``lexicon/loaded.tsv``: term, category,
polarity, scope, part of speech) plus contextual rules:

* a word inside a quotation is the speaker's, not the outlet's: it is not reported as loaded;
  a short quoted fragment with no speaker ("his "rigged" re-election") is a *scare quote*, a
  framing device of the outlet, and is reported with ``voice="scare-quoted"``;
* a word in reported speech ("after claiming Kyiv's regime ...", "what his opponents say was")
  belongs to the person reported: ``voice="attributed"``;
* entries with scope ``person`` ("regime", "clown", "animal", "blast") are loaded only when
  applied to a person, group or government (checked on the dependency parse);
* a word that is part of a proper name ("Freedom Caucus", "Patriot Act") is not loaded;
* negation ("not a tyrant") flips the word's polarity for tone; it stays a framing choice.

``find_loaded(text)`` runs the detector on any text; ``analyze_framing(articles, claim_groups)``
builds one ``Framing`` per article; ``attribution_mode(text, start, end)`` says how a claim is
presented (fact / scare-quoted / attributed / hedged).
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from samestory.compare import _nlp
from samestory.errors import IngestError
from samestory.models import Article, ClaimGroup, Evidence, Framing, LoadedWord
from samestory.text.quotes import quotation_spans, scare_quotes

__all__ = [
    "LexiconEntry",
    "Lexicon",
    "Hit",
    "load_lexicon",
    "quotation_spans",
    "find_loaded",
    "attribution_mode",
    "analyze_framing",
    "sentence_score",
    "framing_cues",
    "CATEGORY_WEIGHTS",
]

LEXICON_PATH = Path(__file__).resolve().parent / "lexicon" / "loaded.tsv"

# How much one word of a category counts toward a "loaded sentence" score. Chosen a priori:
# intensifiers and hedges are weaker signals of a writer's slant than labels and insults.
CATEGORY_WEIGHTS = {
    "loaded": 1.0,  # flagged by the learned detector, not in the lexicon
    "insult": 1.0,
    "partisan": 1.0,
    "sensational": 1.0,
    "evaluative": 1.0,
    "emotional": 1.0,
    "informal": 1.0,
    "exaggeration": 0.5,
    "hedging": 0.5,
}

_WORD = re.compile(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*")
_VOWELS = set("aeiou")


def _norm(word: str) -> str:
    return word.lower().replace("’", "'")


# ---------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class LexiconEntry:
    term: str
    category: str
    polarity: float
    scope: str  # "any" or "person"
    pos: str  # n v a r x


def _inflect(word: str, pos: str) -> set[str]:
    """Surface forms of ``word``: plurals for nouns, -s/-ed/-ing for verbs, as written otherwise."""
    forms = {word}
    if pos == "n":
        if word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
            forms.add(word[:-1] + "ies")
        elif word.endswith(("s", "x", "z", "ch", "sh")):
            forms.add(word + "es")
        else:
            forms.add(word + "s")
    elif pos == "v":
        if word.endswith("y") and len(word) > 2 and word[-2] not in _VOWELS:
            forms |= {word[:-1] + "ies", word[:-1] + "ied", word + "ing"}
        elif word.endswith("e"):
            forms |= {word + "s", word + "d", word[:-1] + "ing"}
        else:
            forms |= {word + ("es" if word.endswith(("s", "x", "z", "ch", "sh")) else "s"), word + "ed", word + "ing"}
            # consonant-vowel-consonant: slam -> slammed, rip -> ripping
            if len(word) >= 3 and word[-1] not in _VOWELS | {"w", "x", "y"} and word[-2] in _VOWELS and word[-3] not in _VOWELS:
                forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return forms


class Lexicon:
    """Phrase index over lower-cased surface tokens; longest match wins."""

    def __init__(self, entries: Iterable[LexiconEntry]):
        self.entries: list[LexiconEntry] = list(entries)
        self.index: dict[tuple[str, ...], LexiconEntry] = {}
        for entry in self.entries:
            words = [_norm(w) for w in _WORD.findall(entry.term)]
            if not words:
                continue
            if entry.pos == "v":  # inflect the verb: "cosy up" -> "cosying up"
                variants = [(f,) + tuple(words[1:]) for f in _inflect(words[0], "v")]
            elif entry.pos == "n":  # inflect the head noun: "powerhouse duo" -> "... duos"
                variants = [tuple(words[:-1]) + (f,) for f in _inflect(words[-1], "n")]
            else:
                variants = [tuple(words)]
            for key in variants:
                self.index.setdefault(key, entry)
        self.max_len = max((len(k) for k in self.index), default=1)

    def __len__(self) -> int:
        return len(self.entries)

    def match(self, words: Sequence[str]) -> list[tuple[int, int, LexiconEntry]]:
        """(first token, last token + 1, entry) for each longest, non-overlapping match."""
        out = []
        i, n = 0, len(words)
        while i < n:
            for size in range(min(self.max_len, n - i), 0, -1):
                entry = self.index.get(tuple(words[i : i + size]))
                if entry is not None:
                    out.append((i, i + size, entry))
                    i += size
                    break
            else:
                i += 1
        return out


@functools.lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Read the lexicon TSV (``#`` comments, a header row, five tab-separated columns)."""
    src = Path(path) if path else LEXICON_PATH
    entries = []
    for lineno, line in enumerate(src.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("term\t"):
            continue
        cols = line.split("\t")
        if len(cols) != 5:
            raise IngestError(str(src), f"need 5 tab-separated columns (term, category, polarity, scope, pos), got {len(cols)}",
                              record=f"line {lineno}")
        term, category, polarity, scope, pos = cols
        entries.append(LexiconEntry(term.strip(), category.strip(), float(polarity), scope.strip(), pos.strip()))
    return Lexicon(entries)


# ---------------------------------------------------------------- quotations


_SPEECH_INTRO = re.compile(r"(?:[:,]|\b(?:said|says|say|told|asked|replied|added|wrote|declared|insisted|warned|claimed|claiming))\s*$", re.I)


def _is_scare_quote(text: str, start: int, end: int) -> bool:
    """A short quoted fragment (one to three words) not introduced as speech."""
    inner = text[start + 1 : end - 1]
    words = _WORD.findall(inner)
    if not 1 <= len(words) <= 3 or inner.rstrip().endswith(("?", "!")):
        return False
    return not _SPEECH_INTRO.search(text[max(0, start - 25) : start])


def _scare_quote_spans(text: str) -> list[tuple[int, int]]:
    return [(sp.start, sp.end) for sp in scare_quotes(text)]


# ---------------------------------------------------------------- detection


@dataclass(frozen=True)
class Hit:
    """One loaded word or phrase found in a text."""

    start: int
    end: int
    text: str
    term: str
    category: str
    polarity: float
    voice: str = "outlet"  # outlet | scare-quoted | attributed | quoted
    negated: bool = False
    target: str | None = None


REPORTING_VERBS = {
    "say", "claim", "allege", "accuse", "insist", "argue", "tell", "describe", "call", "brand", "label",
    "dub", "deny", "assert", "contend", "maintain", "suggest", "believe", "think", "report", "write",
    "declare", "charge", "complain", "warn", "tweet", "post", "announce", "testify", "state",
}
_ATTRIBUTION_BEFORE = re.compile(
    r"(?:\bwhat\s+(?:\w+\s+){0,3}(?:say|says|said|call|calls|called|claim|claims|claimed|allege|alleges|alleged|describe|describes|described)"
    r"|\b(?:claim|claims|claimed|claiming|alleging|alleges|alleged|accusing|accused|insisting|insisted|arguing|argued|according to|branding|branded|labell?ing|labell?ed|dubbing|dubbed|calling|described as)\b)"
    r"[^.;!?]{0,80}$",
    re.I,
)
_NEGATORS = {"not", "n't", "never", "no", "nor", "hardly", "without"}
_PERSONAL_PRONOUNS = {"he", "she", "they", "him", "her", "them", "his", "their", "hers", "theirs", "i", "we", "you", "us", "me", "my", "our", "your"}
HUMAN_NOUNS = {
    "people", "person", "man", "men", "woman", "women", "leader", "leaders", "president", "minister", "official",
    "officials", "politician", "politicians", "government", "administration", "party", "parties", "voter", "voters",
    "supporter", "supporters", "critic", "critics", "lawmaker", "lawmakers", "senator", "congressman", "democrat",
    "democrats", "republican", "republicans", "liberal", "liberals", "conservative", "conservatives", "activist",
    "activists", "protester", "protesters", "protestor", "protestors", "opponent", "opponents", "rival", "rivals",
    "regime", "state", "country", "nation", "army", "police", "judge", "judges", "prosecutor", "candidate", "nominee",
    "governor", "mayor", "chief", "boss", "ceo", "executive", "owner", "media", "press", "journalist", "journalists",
    "reporter", "reporters", "immigrant", "immigrants", "migrant", "migrants", "refugee", "refugees", "worker",
    "workers", "student", "students", "teacher", "teachers", "citizen", "citizens", "crowd", "mob", "group", "members",
    "member", "staff", "aide", "aides", "adviser", "advisers", "ally", "allies", "friend", "friends", "guy", "guys",
    "kid", "kids", "children", "fans", "followers", "base", "left", "right", "elite", "elites", "pair", "duo",
}
_ENTITY_LABELS = {"PERSON", "NORP", "ORG", "GPE"}
_NAME_LABELS = {"ORG", "WORK_OF_ART", "LAW", "EVENT", "FAC", "PRODUCT"}


def _tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    words, offsets = [], []
    for m in _WORD.finditer(text):
        words.append(_norm(m.group()))
        offsets.append((m.start(), m.end()))
    return words, offsets


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    for s, e in spans:
        if s <= start and end <= e:
            return (s, e)
    return None


def _part_of_name(text: str, offsets, i: int, j: int) -> bool:
    """Capitalised mid-sentence words next to other capitalised words are part of a name."""
    first_start = offsets[i][0]
    if not text[first_start : first_start + 1].isupper():
        return False
    before = text[max(0, first_start - 3) : first_start]
    if first_start == 0 or re.search(r"[.!?:\n\"“‘]\s*$", before) or text[:first_start].strip() == "":
        return False  # sentence-initial capital says nothing
    nxt = offsets[j] if j < len(offsets) else None
    prv = offsets[i - 1] if i > 0 else None
    neighbour_cap = (nxt and text[nxt[0]].isupper()) or (prv and text[prv[0]].isupper() and not re.search(r"[.!?]\s*$", text[: prv[0]]))
    return bool(neighbour_cap)


def _is_personish(tok) -> bool:
    return (
        tok.ent_type_ in _ENTITY_LABELS
        or tok.pos_ == "PROPN"
        or tok.lower_ in _PERSONAL_PRONOUNS
        or tok.lower_ in HUMAN_NOUNS
    )


def _applies_to_person(tok) -> bool:
    """Does the (head) token of a ``person``-scoped hit apply to a person, group or government?"""
    if tok.pos_ in ("NOUN", "PROPN"):
        if any(_is_personish(c) for c in tok.children if c.dep_ in ("poss", "compound", "amod", "appos", "nmod")):
            return True
        if tok.dep_ in ("appos", "compound") and _is_personish(tok.head):
            return True
        if tok.dep_ in ("attr", "oprd"):
            subj = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            return any(_is_personish(s) for s in subj)
        for prep in (c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"):
            if any(_is_personish(p) for p in prep.children if p.dep_ == "pobj"):
                return True
        return False
    if tok.pos_ in ("VERB", "AUX"):
        return any(_is_personish(c) for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "dobj"))
    if tok.pos_ == "ADJ":
        if tok.dep_ == "amod":
            return _is_personish(tok.head)
        if tok.dep_ in ("acomp", "attr"):
            return any(_is_personish(c) for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass"))
    return False


REPORTING_FORMS = frozenset(
    {f for v in REPORTING_VERBS for f in _inflect(v, "v")}
    | {"said", "told", "wrote", "written", "thought", "believed", "described", "declared", "stated", "dubbed", "labelled", "labeled"}
)


def _reporting(tok) -> bool:
    # forms, not lemmas: the framing parse runs without spaCy's lemmatizer
    return tok.lower_ in REPORTING_FORMS or (tok.lemma_ or "").lower() in REPORTING_VERBS


def _introduces_clause(tok) -> bool:
    return any(c.dep_ in ("ccomp", "xcomp") for c in tok.children)


def _in_reported_speech(tok) -> bool:
    """Is the token inside the complement clause of a reporting verb ("claiming X's regime ...")?"""
    node = tok
    for _ in range(12):
        if node.head is node:
            return False
        if node.dep_ in ("ccomp", "xcomp", "pcomp") and _reporting(node.head):
            return True
        if node.dep_ == "nsubj" and node.head.dep_ == "ccomp" and _reporting(node.head.head):
            return True
        node = node.head
    return False


def _used_in(term: str, text: str) -> bool:
    """Whether ``text`` uses ``term``, each word with any ending ("cosy up" / "cosying up")."""
    words = [re.escape(w) for w in term.split()]
    return bool(words) and re.search(r"\b" + r"\w*\s+".join(words) + r"\w*\b", text, re.I) is not None


def _doc_token_at(doc, char_offset: int, base: int):
    """The spaCy token covering ``char_offset`` (absolute) in a doc of text starting at ``base``."""
    rel = char_offset - base
    for tok in doc:
        if tok.idx <= rel < tok.idx + len(tok.text):
            return tok
    return None


def find_loaded(
    text: str,
    *,
    contextual: bool = True,
    doc=None,
    nlp=None,
    lexicon: Lexicon | None = None,
    include_quoted: bool = False,
    threshold: float | None = None,
    learned_spans=None,
    quotations: Sequence[tuple[int, int]] | None = None,
) -> list[Hit]:
    """Loaded words and phrases in ``text``.

    ``contextual=False`` is the plain lexicon baseline (every match counts, no rules).
    Otherwise the learned detector (``samestory.compare.loaded``) decides which words are loaded
    (at ``threshold``, by default the model's precision-first ``show_threshold``); the lexicon
    gives a flagged word its category and polarity when it has it ("loaded", polarity 0 when not).
    Attribution and hedging cues are never loaded words (``framing_cues`` reports them). Then
    words inside quotations are dropped (or kept with ``voice="quoted"`` when
    ``include_quoted``), scare quotes and reported speech are marked, ``person``-scoped words
    need a person target, and words in proper names are dropped. ``doc`` is a spaCy parse of
    ``text`` (parsed with ``nlp``, by default the project's model, when needed and not given).
    ``learned_spans``: the model's spans of ``text`` at ``threshold`` when already computed
    (``LoadedModel.spans_many``). ``quotations``: the quotations over ``text`` when ``text`` is a
    piece of a longer one (a sentence of a quote that runs over several has no marks of its own).
    """
    lexicon = lexicon or load_lexicon()
    words, offsets = _tokens(text)
    matches = lexicon.match(words)
    if not contextual:
        return [
            Hit(offsets[i][0], offsets[j - 1][1], text[offsets[i][0] : offsets[j - 1][1]], e.term, e.category, e.polarity)
            for i, j, e in matches
        ]
    learned = _learned_matches(text, words, offsets, matches, lexicon, threshold, learned_spans)
    taken = {k for a, b, _e in learned for k in range(a, b)}
    # lexicon words the model did not flag stay candidates for the other voices only: a word in
    # reported speech or a scare quote is shown as someone else's, never as the writer's own
    from samestory.compare.loaded import ATTRIBUTION_WORDS, HEDGE_WORDS

    others = [
        (a, b, e) for a, b, e in matches
        if not taken & set(range(a, b)) and e.category != "hedging" and not any(w in ATTRIBUTION_WORDS or w in HEDGE_WORDS for w in words[a:b])
    ]
    learned_starts = {a for a, _b, _e in learned}
    matches = sorted(learned + others, key=lambda m: m[0])
    if not matches:
        return []
    quotes = list(quotations) if quotations is not None else quotation_spans(text)
    scare = _scare_quote_spans(text)
    needs_parse = True
    if doc is None and needs_parse:
        if nlp is None:
            from samestory.enrich.models import load_spacy

            nlp = load_spacy()
        doc = nlp(text)
    hits = []
    for i, j, entry in matches:
        start, end = offsets[i][0], offsets[j - 1][1]
        from_model = i in learned_starts
        if _part_of_name(text, offsets, i, j) and entry.category != "insult":
            continue
        voice = "outlet"
        quote = _inside(quotes, start, end)
        if quote is not None:
            if _inside(scare, start, end) is not None or _is_scare_quote(text, *quote):
                voice = "scare-quoted"
            elif include_quoted:
                voice = "quoted"
            else:
                continue
        head = first = None
        if doc is not None:
            first = _doc_token_at(doc, start, 0)
            last = _doc_token_at(doc, end - 1, 0)
            head = first if entry.pos == "v" else last
            if head is not None and head.ent_type_ in _NAME_LABELS and entry.category != "insult":
                continue
            if entry.scope == "person" and head is not None and not _applies_to_person(head):
                continue
            if entry.pos == "v" and head is not None and head.pos_ in ("NOUN", "PROPN"):
                continue  # "his claims", "a blast": the noun, not the loaded verb
            if entry.category == "hedging" and entry.pos == "v" and head is not None and not _introduces_clause(head):
                continue  # "Russia claims the station" owns it; "claims that 157 were held" distances
            if voice == "outlet" and head is not None and _in_reported_speech(head):
                voice = "attributed"
        if voice == "outlet" and _ATTRIBUTION_BEFORE.search(text[max(0, start - 120) : start]):
            voice = "attributed"
        if voice == "outlet" and not from_model:
            continue  # the writer's own loaded words are the model's call
        negated = False
        if first is not None:
            window = [t.lower_ for t in doc[max(0, first.i - 3) : first.i]]
            negated = any(w in _NEGATORS for w in window) or any(c.dep_ == "neg" for c in (head or first).head.children)
        hits.append(Hit(start, end, text[start:end], entry.term, entry.category, entry.polarity, voice, negated))
    return hits


WRITER_VOICES = ("outlet", "scare-quoted")


def _learned_matches(text, words, offsets, lexicon_matches, lexicon, threshold, spans=None):
    """(first token, last token + 1, entry) for each span the learned model flags; the entry is the
    lexicon's when a lexicon match overlaps the span, else a plain "loaded" entry for the span."""
    from samestory.compare.loaded import load_model

    if spans is None:
        model = load_model()
        spans = model.spans(text, model.show_threshold if threshold is None else threshold, lexicon)
    starts = {o[0]: k for k, o in enumerate(offsets)}
    ends = {o[1]: k for k, o in enumerate(offsets)}
    out = []
    for sp in spans:
        i, j = starts.get(sp.start), ends.get(sp.end)
        if i is None or j is None:
            continue  # the two tokenizers disagree (never for plain words): skip rather than guess
        inside = [(a, b, e) for a, b, e in lexicon_matches if a < j + 1 and i < b]
        if inside:  # the lexicon's entries name the flagged words ("cronies slammed": crony, slam)
            out.extend(inside)
        else:
            out.append((i, j + 1, LexiconEntry(" ".join(words[i : j + 1]), "loaded", 0.0, "any", "x")))
    # a lexicon word in a scare quote ("the “rigged” vote") is the outlet's framing device: kept whatever
    # the model says (the model reads quoted words as someone else's)
    for sq_start, sq_end in _scare_quote_spans(text):
        for a, b, e in lexicon_matches:
            if sq_start <= offsets[a][0] and offsets[b - 1][1] <= sq_end:
                out.append((a, b, e))
    out.sort(key=lambda m: m[0])
    merged = []
    for m in out:
        if merged and m[0] < merged[-1][1]:
            continue
        merged.append(m)
    return merged


def framing_cues(text: str) -> list[dict]:
    """Attribution and hedging cues of ``text`` (said, claimed, vowed, reportedly, appeared to):
    reported apart from loaded words, because they say who stands behind a claim."""
    from samestory.compare.loaded import cues

    return [{"start": s, "end": e, "word": w, "kind": k} for s, e, w, k in cues(text)]


def sentence_score(hits: Iterable[Hit], voices: Sequence[str] = WRITER_VOICES) -> float:
    """Weighted count of loaded words in ``voices``: by default the writer's own (scare quotes
    count; quotations and reported speech do not)."""
    return sum(CATEGORY_WEIGHTS.get(h.category, 1.0) for h in hits if h.voice in voices)


# ---------------------------------------------------------------- attribution of a claim

_HEDGES = re.compile(
    r"\b(allegedly|reportedly|apparently|purportedly|supposedly|seemingly|ostensibly|possibly|perhaps|"
    r"is said to|are said to|was said to|were said to|is believed to|are believed to|is thought to|"
    r"appears? to|appeared to|seems? to|seemed to|may have|might have|could have|suspected|alleged|unconfirmed|unverified|it is understood)\b",
    re.I,
)
_ATTRIBUTION = re.compile(
    r"(?P<cue>\b(?i:according to)\s+(?:[\w’'.-]+\s+){0,5}?[\w’'.-]+(?=[,.;]|\s+(?:said|says|,))"
    r"|\b(?i:according to)\b(?:\s+[\w’'.-]+){1,4}"
    r"|\b(?i:what)\s+(?:[\w’'-]+\s+){0,3}(?:say|says|said|call|calls|called|claim|claims|claimed|allege|alleges|alleged|describe|describes|described)\b"
    r"|\b(?:[A-Z][\w’'-]+\s+){1,4}(?:said|says|claims|claimed|alleges|alleged|insists|insisted|argues|argued|told|reported|reports|accused|denied|denies)\b"
    r"|\b(?:[A-Z][\w’'-]+\s+){1,4}(?:replied|asked|added|wrote|warned|declared|stated)(?=\s*[:,]?\s*[“\"‘'])"
    r"|\b(?:he|she|they|it)\s+(?:said|says|claims|claimed|alleged|alleges|insisted|insists|argued|argues)\b"
    r"|\b(?:said|says|claimed|claims|alleged|insisted|argued|told|replied|asked|added|wrote|warned|declared)\s*:?\s*(?=[“\"‘'])"
    r"|\b(?:claiming|alleging|insisting|arguing)\b"
    r"|\b(?:dubbed|branded|described as|labell?ed|called)\b)",
)


def attribution_mode(
    text: str, start: int, end: int, *, sentence: tuple[int, int] | None = None, relevant: set[str] | None = None
) -> tuple[str, str, tuple[int, int]]:
    """How ``text[start:end]`` presents its claim: ``(mode, cue, cue span)``.

    Modes, checked in this order: ``scare-quoted`` (a short quoted fragment such as "rigged"),
    ``attributed`` (a source is named or the claim is reported speech: "according to",
    "what his opponents say", "X claims"), ``hedged`` ("allegedly", "reportedly", "appears to"),
    else ``fact``. Cues that govern a whole sentence ("According to X, ...") are looked for in
    ``sentence`` when given. With ``relevant`` (the words other outlets use for the same claim), a
    scare quote counts only when its words are among them: a sentence-long evidence span may
    scare-quote a word that belongs to another claim.
    """
    region = text[start:end]
    for qs, qe in quotation_spans(region):
        if _is_scare_quote(region, qs, qe):
            inner = {_norm(w) for w in _WORD.findall(region[qs:qe])}
            if relevant is not None and not inner <= relevant:
                continue
            return "scare-quoted", region[qs:qe], (start + qs, start + qe)
    windows = [(start, region)]
    if sentence is not None and (sentence[0] < start or sentence[1] > end):
        windows.append((sentence[0], text[sentence[0] : sentence[1]]))
    for base, chunk in windows:
        m = _ATTRIBUTION.search(chunk)
        if m:
            return "attributed", m.group("cue").strip(), (base + m.start("cue"), base + m.end("cue"))
    for base, chunk in windows:
        m = _HEDGES.search(chunk)
        if m:
            return "hedged", m.group(0), (base + m.start(), base + m.end())
    return "fact", "", (start, start)


# ---------------------------------------------------------------- per-article framing


def _sentence_spans(article: Article) -> list[tuple[int, int]]:
    if article.sentences:
        return [(s.start, s.end) for s in article.sentences]
    spans = []
    for m in re.finditer(r"[^\n]+", article.text):
        line_start = m.start()
        for sm in re.finditer(r".+?(?:[.!?]+[”’\"']?(?=\s+[A-Z“‘\"'])|$)", m.group()):
            if sm.group().strip():
                s = line_start + sm.start()
                e = line_start + sm.end()
                lead = len(sm.group()) - len(sm.group().lstrip())
                spans.append((s + lead, e))
    return spans


def _entity_mentions(article: Article, docs: dict[int, object], sentences) -> list[tuple[int, int, str, str]]:
    """(start, end, key, label) for every entity mention: from enrich when present, else spaCy."""
    out = []
    if article.entities:
        for ent in article.entities:
            for m in ent.mentions:
                out.append((m.start, m.end, ent.key, ent.label))
        return sorted(out)
    for idx, doc in docs.items():
        base = sentences[idx][0]
        for ent in doc.ents:
            if ent.label_ in _ENTITY_LABELS:
                out.append((base + ent.start_char, base + ent.end_char, ent.text, ent.label_))
    return sorted(out)


def _target_for(hit: Hit, tok, mentions, sentence: tuple[int, int], prev_sentence: tuple[int, int] | None, base: int) -> str | None:
    """The entity a loaded word is about: by the parse first, else the nearest mention."""

    exclude: set[str] = set()

    def key_at(t) -> str | None:
        if t is None:
            return None
        pos = base + t.idx
        for s, e, key, _label in mentions:
            if s <= pos < e:
                return key
        return None

    if tok is not None:
        key = key_at(tok)
        if key:
            return key
        candidates = []
        if tok.dep_ in ("appos", "compound", "nmod"):  # "Putin's pal Alexander Lukashenko": the pal is Lukashenko
            candidates.append(tok.head)
        candidates += [c for c in tok.children if c.dep_ == "appos"]
        if tok.dep_ in ("attr", "acomp", "oprd"):  # "he is a tyrant"
            candidates += [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if tok.pos_ in ("VERB", "ADV", "AUX"):  # "X slammed", "X allegedly deployed"
            verb = tok if tok.pos_ != "ADV" else tok.head
            candidates += [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if tok.dep_ == "amod":  # "a disturbing warning" issued by X; "the corrupt mayor"
            key = key_at(tok.head)
            if key:
                return key
            if tok.head.dep_ in ("dobj", "attr"):
                candidates += [c for c in tok.head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        candidates += [c for c in tok.children if c.dep_ == "compound" or (c.dep_ == "amod" and c.ent_type_ != "NORP")]
        candidates += [c for c in tok.children if c.dep_ == "poss"]  # "Zelensky's regime"
        for cand in candidates:
            for t in [cand, *cand.subtree]:
                key = key_at(t)
                if key:
                    return key
        if tok.dep_ in ("dobj", "pobj"):  # "Lukashenko invites Russian tyrant": not the one who invites
            verb = tok.head if tok.dep_ == "dobj" else tok.head.head
            for subj in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
                if key_at(subj):
                    exclude.add(key_at(subj))
        definite_subject = tok.dep_ in ("nsubj", "nsubjpass") and any(c.lower_ == "the" for c in tok.children)
        if definite_subject and prev_sentence is not None:  # "The tyrant agreed": who the last sentence was about
            people = [k for s, e, k, lab in mentions if prev_sentence[0] <= s < prev_sentence[1] and lab == "PERSON"]
            if people:
                return people[0]
    if exclude:
        # "Lukashenko invites Russian tyrant ...": the object of a person's act is the one other
        # person the sentence names, when there is exactly one
        others = {k for s, e, k, lab in mentions if sentence[0] <= s < sentence[1] and lab == "PERSON" and k not in exclude}
        if len(others) == 1:
            return others.pop()
    # no fallback to the nearest person in the sentence or the one before: on real stories it made
    # "shock with fake blood" about a politician burnt in effigy and a band's "grotesque costumes"
    # about the police spokeswoman of the sentence before; a word the parse ties to nobody is about nobody
    return None


def _clip(x: float) -> float:
    return max(-1.0, min(1.0, x))


def _canonical_of(articles: Sequence[Article]) -> dict[str, str]:
    """Each article's independent source, as the claims stage counts them (``source_keys``: linked
    copies, one agency's wire copy in several outlets and one outlet's articles are one source)."""
    from samestory.dedup import source_keys

    return {a.id: key for a, key in zip(articles, source_keys(articles))}


def analyze_framing(articles: Sequence[Article], claim_groups: Sequence[ClaimGroup] = ()) -> tuple[Framing, ...]:
    """One ``Framing`` per article: loaded words (with target, category, voice), headline
    framing against the body, tone toward the main entities, and attribution modes for the
    claims several outlets carry (``claim_groups`` from the claims stage) and for loaded words
    several outlets use ("rigged" scare-quoted in one, attributed in another).
    """
    from samestory.enrich.models import load_spacy

    # an article with entities from enrich needs no NER or lemmas: its sentences are parsed like the
    # claims stage parses them (and share its cache), and entity spans are set from the mentions.
    # Decided per article: one article without entities does not send the others to the slow path.
    from samestory.compare.loaded import load_model

    lexicon = load_lexicon()
    model = load_model()
    by_id = {a.id: a for a in articles}
    canonical = _canonical_of(articles)
    results: dict[str, dict] = {}

    # the model's spans of every sentence and headline of the story at once: the sentences its
    # contextual head reads go through MiniLM in one batch (most reuse the claims' forward pass)
    all_sentences = [_sentence_spans(article) for article in articles]
    flat = [article.text[s:e] for article, sents in zip(articles, all_sentences) for s, e in sents]
    flat_spans = iter(model.spans_many(flat + [a.title or "" for a in articles], model.show_threshold, lexicon))
    learned_of = [[next(flat_spans) for _ in sents] for sents in all_sentences]
    title_spans = [next(flat_spans) for _ in articles]

    for ai, article in enumerate(articles):
        enriched = bool(article.entities)
        nlp = None if enriched else load_spacy()
        sentences = all_sentences[ai]
        # parse only sentences with a lexicon match, plus all when enrich gave no entities (for tone)
        candidates = [
            idx for idx, (s, e) in enumerate(sentences)
            if lexicon.match(_tokens(article.text[s:e])[0]) or learned_of[ai][idx]
        ]
        to_parse = list(range(len(sentences))) if not enriched else candidates
        texts = [article.text[s:e] for s, e in (sentences[i] for i in to_parse)]
        # enriched: the parse the claims stage caches (same pipeline), copied since ents are set on it
        parsed = [d.copy() for d in _nlp.parse_sentences(texts)] if enriched else nlp.pipe(texts)
        docs = dict(zip(to_parse, parsed))
        mentions = _entity_mentions(article, docs, sentences)
        if enriched:
            for idx, doc in docs.items():
                _set_entities(doc, sentences[idx][0], mentions)
        loaded: list[LoadedWord] = []
        sentence_polarity: dict[int, float] = {}
        # quotations of the whole text: a sentence inside a quote of several sentences has no marks
        article_quotes = quotation_spans(article.text)
        for idx in candidates:
            s, e = sentences[idx]
            chunk = article.text[s:e]
            doc = docs[idx]
            in_chunk = [(max(qs, s) - s, min(qe, e) - s) for qs, qe in article_quotes if qs < e and s < qe]
            hits = find_loaded(chunk, doc=doc, lexicon=lexicon, learned_spans=learned_of[ai][idx], quotations=in_chunk)
            pol = 0.0
            for h in hits:
                entry_head = _doc_token_at(doc, h.end - 1, 0)
                target = _target_for(Hit(s + h.start, s + h.end, h.text, h.term, h.category, h.polarity), entry_head, mentions, (s, e), sentences[idx - 1] if idx else None, s)
                loaded.append(
                    LoadedWord(
                        evidence=Evidence(article.id, s + h.start, s + h.end, h.text, article.outlet),
                        word=h.term,
                        category=h.category,
                        target=target,
                        in_headline=False,
                        voice=h.voice,
                    )
                )
                if h.voice in ("outlet", "scare-quoted"):
                    pol += -h.polarity * 0.5 if h.negated else h.polarity
            sentence_polarity[idx] = _clip(pol)

        # headline: offsets point into the title
        headline_words: list[LoadedWord] = []
        title = article.title or ""
        title_doc = None
        if title and (lexicon.match(_tokens(title)[0]) or title_spans[ai]):
            title_doc = _nlp.parse_sentences([title])[0].copy() if enriched else nlp(title)
        title_mentions = []
        if title_doc is not None:
            if enriched:
                _set_entities(title_doc, 0, _title_mentions(title, article))
            for ent in title_doc.ents:
                if ent.label_ in _ENTITY_LABELS:
                    key = _match_key(ent.text, mentions) or ent.text
                    title_mentions.append((ent.start_char, ent.end_char, key, ent.label_))
        title_hits = find_loaded(title, doc=title_doc, lexicon=lexicon, learned_spans=title_spans[ai]) if title_doc is not None else []
        for h in title_hits:
            tok = _doc_token_at(title_doc, h.end - 1, 0)
            target = _target_for(h, tok, title_mentions, (0, len(title)), None, 0)
            headline_words.append(
                LoadedWord(Evidence(article.id, h.start, h.end, h.text, article.outlet), h.term, h.category, target, True, h.voice)
            )
        body_terms = {lw.word for lw in loaded}
        headline_terms = tuple(dict.fromkeys(lw.word for lw in headline_words if lw.voice != "attributed"))
        # "only the headline uses": the body neither flags the word nor uses it at all (a body
        # word the detector scored under its bar, "The tyrant agreed ...", is still used there)
        headline_only = tuple(t for t in headline_terms if t not in body_terms and not _used_in(t, article.text))

        # tone toward the main entities: mean polarity of the sentences that mention them, for an
        # entity some loaded word of the writer is about (by the parse): a place named in a
        # sentence with a loaded word about something else ("the wars that devastated" near
        # "Delphi") gets no tone
        about = {lw.target for lw in headline_words + loaded if lw.target and lw.voice in WRITER_VOICES}
        counts = Counter(k for _s, _e, k, lab in mentions if lab in _ENTITY_LABELS and k in about)
        tone: dict[str, float] = {}
        for key, _n in counts.most_common(6):
            idxs = {i for s0, e0, k, _l in mentions if k == key for i, (ss, se) in enumerate(sentences) if ss <= s0 < se}
            if idxs:
                tone[key] = round(sum(sentence_polarity.get(i, 0.0) for i in idxs) / len(idxs), 3)
        head_pol = _clip(sum(h.polarity for h in title_hits if h.voice in ("outlet", "scare-quoted")))
        body_pol = (sum(sentence_polarity.values()) / len(sentences)) if sentences else 0.0
        notes = []
        if headline_only:
            notes.append("headline uses " + ", ".join(f"'{t}'" for t in headline_only) + " which the body does not")
        if title_hits and abs(head_pol - body_pol) > 0.3:
            notes.append(
                f"the headline's loaded words are {'harsher' if head_pol < body_pol else 'warmer'} than the body's: "
                f"headline tone {head_pol:+.2f}, body average {body_pol:+.2f} per sentence, {TONE_SCALE}"
            )
        tone = {k: v for k, v in tone.items() if v != 0.0}  # 0.00 says only that no loaded word was near
        results[article.id] = {
            "loaded": headline_words + loaded,
            "headline_loaded": tuple(lw.evidence.text for lw in headline_words),
            "headline_only": headline_only,
            "tone": tone,
            "notes": notes,
            "attributions": [],
            "sentences": sentences,
            "cues": _cues(article),
            "writer_words": sum(1 for lw in loaded if lw.voice in WRITER_VOICES),
            "words": len(_WORD.findall(article.text)),
        }

    # attribution modes for claims several outlets carry
    for group in claim_groups:
        outlets = {canonical.get(ev.article_id, ev.article_id) for ev in group.evidence}
        if len(outlets) < 2:
            continue
        for ev in group.evidence:
            article = by_id.get(ev.article_id)
            if article is None or ev.article_id not in results:
                continue
            relevant = {
                _norm(w)
                for other in group.evidence
                if canonical.get(other.article_id, other.article_id) != canonical.get(ev.article_id)
                for w in _WORD.findall(_evidence_text(by_id, other))
            } | set(_tokens(group.text)[0])
            sent = _enclosing(results[ev.article_id]["sentences"], ev.start, ev.end)
            mode, cue, (cs, ce) = attribution_mode(article.text, ev.start, ev.end, sentence=sent, relevant=relevant)
            results[ev.article_id]["attributions"].append(
                {
                    "claim_group": group.id,
                    "outlet": article.outlet,
                    "article_id": article.id,
                    "mode": mode,
                    "cue": cue,
                    "cue_evidence": Evidence(article.id, cs, ce, article.text[cs:ce], article.outlet) if ce > cs else None,
                    "evidence": ev,
                }
            )

    # the same loaded word in several independent outlets, presented differently
    uses: dict[str, list[tuple[str, LoadedWord]]] = defaultdict(list)
    for aid, r in results.items():
        for lw in r["loaded"]:
            if not lw.in_headline and lw.category != "hedging":
                uses[lw.word].append((aid, lw))
    for word, items in uses.items():
        if len({canonical[aid] for aid, _ in items}) < 2:
            continue
        for aid, lw in items:
            article = by_id[aid]
            sent = _enclosing(results[aid]["sentences"], lw.evidence.start, lw.evidence.end)
            mode, cue = _word_mode(article.text, lw, sent)
            results[aid]["attributions"].append(
                {"claim_group": None, "word": word, "outlet": article.outlet, "article_id": aid, "mode": mode, "cue": cue, "evidence": lw.evidence}
            )

    _explain_figures(articles, results, canonical)
    out = []
    for article in articles:
        r = results[article.id]
        modes = {}
        for d in r["attributions"]:
            if d.get("word"):
                modes.setdefault(d["word"], d["mode"])
        out.append(
            Framing(
                article_id=article.id,
                outlet=article.outlet,
                loaded=tuple(r["loaded"]),
                headline_loaded=r["headline_loaded"],
                tone=r["tone"],
                attributions=tuple(r["attributions"]),
                headline_only=r["headline_only"],
                notes=tuple(r["notes"]),
                cues=tuple(r["cues"]),
            )
        )
    return tuple(out)


TONE_SCALE = "on a scale from -1 (every loaded word hostile) to +1 (every one favourable)"


def _cues(article: Article) -> list[dict]:
    return [
        {"word": c["word"], "kind": c["kind"], "evidence": Evidence(article.id, c["start"], c["end"], c["word"], article.outlet)}
        for c in framing_cues(article.text)
    ]


def _per_thousand(n: int, words: int) -> float:
    return 1000.0 * n / words if words else 0.0


def _explain_figures(articles: Sequence[Article], results: dict[str, dict], canonical: dict[str, str]) -> None:
    """Every figure shown in words with its scale and the story's other outlets as the baseline:
    "3.1 loaded words per 1,000 in the writer's own voice; the story's other outlets: 1.0-2.2";
    tone toward an entity beside the range the other outlets give it."""
    rates = {aid: _per_thousand(r["writer_words"], r["words"]) for aid, r in results.items()}
    for article in articles:
        r = results[article.id]
        others = [rates[a.id] for a in articles if canonical.get(a.id) != canonical.get(article.id) and a.id in rates]
        base = f"the story's other outlets: {_range(others)}" if others else "no other outlet in this story to compare with"
        r["notes"].append(
            f"{rates[article.id]:.1f} loaded words per 1,000 in the writer's own voice "
            f"({r['writer_words']} in {r['words']} words; quotes and reported speech not counted); {base}"
        )
        for key, value in r["tone"].items():
            other_tones = [results[a.id]["tone"][key] for a in articles
                           if canonical.get(a.id) != canonical.get(article.id) and key in results[a.id]["tone"]]
            cmp = f"; other outlets: {_range(other_tones, signed=True)}" if other_tones else "; no other outlet's sentences about it carry loaded words"
            r["notes"].append(f"tone toward {key}: {value:+.2f} (mean over the sentences naming it, {TONE_SCALE}){cmp}")


def _range(values: Sequence[float], signed: bool = False) -> str:
    fmt = "{:+.2f}" if signed else "{:.1f}"
    lo, hi = min(values), max(values)
    return fmt.format(lo) if abs(hi - lo) < 1e-9 else f"{fmt.format(lo)} to {fmt.format(hi)}"


def _evidence_text(by_id: dict[str, Article], ev: Evidence) -> str:
    article = by_id.get(ev.article_id)
    return article.text[ev.start : ev.end] if article is not None else ev.text


def _enclosing(sentences, start: int, end: int) -> tuple[int, int] | None:
    for s, e in sentences:
        if s <= start < e:
            return (s, max(e, end))
    return None


def _word_mode(text: str, lw: LoadedWord, sentence) -> tuple[str, str]:
    """How one outlet presents a loaded word: scare-quoted, attributed (with the cue), hedged or fact."""
    if lw.voice == "scare-quoted":
        s, e = lw.evidence.start, lw.evidence.end
        return "scare-quoted", text[max(0, s - 1) : e + 1]
    s0 = sentence[0] if sentence else max(0, lw.evidence.start - 200)
    before = text[s0 : lw.evidence.start]
    m = None
    for m in _ATTRIBUTION.finditer(before):
        pass
    if lw.voice == "attributed" or m is not None:
        return "attributed", (m.group("cue").strip() if m else "")
    h = None
    for h in _HEDGES.finditer(before):
        pass
    if h is not None:
        return "hedged", h.group(0)
    return "fact", ""


def _set_entities(doc, base: int, mentions) -> None:
    """Put the enrich stage's entity mentions on a parse made without NER."""
    from spacy.util import filter_spans

    spans = []
    for s, e, _key, label in mentions:
        if s >= base and e <= base + len(doc.text):
            span = doc.char_span(s - base, e - base, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
    doc.ents = filter_spans(spans)


def _title_mentions(title: str, article: Article) -> list[tuple[int, int, str, str]]:
    """Where the article's entities are named in its headline (by name or alias, whole words)."""
    out = []
    for ent in article.entities:
        for name in sorted({ent.name, *ent.aliases}, key=len, reverse=True):
            if not name or len(name) < 3:
                continue
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", title, re.I):
                if not any(s <= m.start() < e for s, e, _k, _l in out):
                    out.append((m.start(), m.end(), ent.key, ent.label))
    return sorted(out)


def _match_key(name: str, mentions) -> str | None:
    """The body entity key a headline name refers to ("Putin" -> the key of "Vladimir Putin")."""
    low = name.lower()
    last = low.split()[-1] if low.split() else low
    for _s, _e, key, _l in mentions:
        k = key.lower()
        if k == low or k.split()[-1:] == [last]:
            return key
    return None
