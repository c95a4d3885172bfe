"""The learned loaded-language detector: which words of a text are the writer's loaded words.

A token-level logistic regression over hashed features of each word in its context: the word,
its suffix, its neighbours, the lexicon (``lexicon/loaded.tsv``: hit, category, scope) as one
feature among others, whether the word is inside a quotation (``samestory.text.quotes``), and
whether an attribution verb is the word itself or just before it. Weights are trained by
``bench/train_loaded.py`` on ../shared/eval (PTC Loaded_Language and Name_Calling spans, BABE SG1
biased words), deterministically, in well under a minute, and shipped as
``lexicon/loaded_model.npz`` (numbers only, no third-party text).

The contextual head (``ContextHead``, ``models/loaded_context.npz``) then rescores the words of
every sentence the token model finds anything in (``PREFILTER``): the mean logit of a few
one-hidden-layer networks (trained with different seeds; stored as one network, their hidden units
side by side) over the MiniLM layer-4 state of the word (the mean of its word pieces, from the forward pass the
claims stage runs anyway when a claim is the whole sentence: ``samestory.compare._nlp.
token_states``) and ``dense_features`` (the token model's logits, the lexicon, quotation and cue
flags); the detector's probability is the larger of the head's and ``TOKEN_WEIGHT`` times the
token model's. Its thresholds replace the token model's when it is shipped. Trained by
bench/train_loaded.py on PTC (token-model logits out-of-fold), deterministic.

Rules on top of the model, because a precision-first view must not teach readers to ignore it:

* attribution and hedging cues (said, claimed, vowed, insisted, reportedly, "appeared to") are
  never loaded words; ``cues()`` reports them separately (they say who stands behind a claim,
  not how the writer sees it);
* set phrases that are names of things ("war on terror") are not loaded.

A sentence-level score (``sentence_probabilities``) is a second small logistic regression (same
file) over the MiniLM sentence embedding, the lexicon count and the top token probabilities,
trained on BABE SG1.
"""

from __future__ import annotations

import functools
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from samestory.errors import ModelError
from samestory.text.quotes import CUE_VERBS, inside_quotation, quotation_spans

__all__ = ["TOKEN", "Token", "Span", "LoadedModel", "ContextHead", "load_model", "tokenize", "token_features", "dense_features", "word_states",
           "cues", "spans_from", "sentence_vector", "MODEL_PATH", "CONTEXT_PATH", "N_FEATURES", "PREFILTER", "EXTEND"]

MODEL_PATH = Path(__file__).resolve().parent / "lexicon" / "loaded_model.npz"
CONTEXT_PATH = Path(__file__).resolve().parent / "models" / "loaded_context.npz"
N_FEATURES = 1 << 18
# A sentence whose best token-model probability is below this is not read by the contextual head
# (its words keep the token model's probability, far below any shown threshold): the head costs a
# MiniLM pass per sentence it reads. Chosen in bench/framing.py's PTC CV (span F1 within 0.005 of
# reading every sentence).
PREFILTER = 0.05
# The detector's probability with the head is max(head, TOKEN_WEIGHT * token model): a word the
# token model is sure of stays a candidate where the head is not (PTC CV, P >= 0.5 shown threshold:
# span F1 0.367 head alone, 0.376 / 0.382 / 0.386 with 0.7 / 0.8 / 0.9; 0.8 keeps precision 0.51).
TOKEN_WEIGHT = 0.8
# A flagged word grows over neighbours (function words too, inside the phrase) above this share of
# the threshold: PTC's spans are phrases (80% of them longer than a word). The token model alone
# keeps EXTEND (its thresholds were chosen with it); the detector with the contextual head ships
# its own with each of its thresholds (models/loaded_context.npz: ``extend``, ``show_extend``),
# chosen with them in bench/framing.py's PTC CV.
EXTEND = 0.5
TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*")

# Words that present a claim as someone's, or hedge it: reported as cues, never as loaded words.
HEDGE_WORDS = frozenset(
    """reportedly allegedly apparently purportedly supposedly seemingly ostensibly alleged purported
    appear appears appeared appearing seem seems seemed seeming according""".split()
)
ATTRIBUTION_WORDS = frozenset(CUE_VERBS | {"claim", "claims", "vow", "vows", "pledge", "pledges", "insistence"})
# function words never start, end or seed a flagged span ("his cronies" -> "cronies")
FUNCTION_WORDS = frozenset(
    """the a an of in on at to for by with from and or but nor as than that this these those its his her their
    our my your its be is are was were been being has have had it he she they we i you them him us who which what
    s 's""".split()
)
# set phrases naming a policy or an era: their words are not the writer's choice
SET_PHRASES = (("war", "on", "terror"), ("war", "on", "terrorism"), ("war", "on", "drugs"), ("war", "on", "poverty"))


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    word: str  # lower case, straight apostrophe


@dataclass(frozen=True)
class Span:
    """A flagged run of tokens: ``[start, end)`` in the text, the model's highest probability in it."""

    start: int
    end: int
    probability: float
    in_quote: bool


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in TOKEN.finditer(text)]


def _h(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (N_FEATURES - 1)


def _shape(raw: str) -> str:
    if raw.isupper() and len(raw) > 1:
        return "XX"
    if raw[:1].isupper():
        return "Xx"
    if raw[:1].isdigit():
        return "d"
    return "x"


def token_features(text: str, toks: list[Token], lexicon=None) -> list[list[int]]:
    """Hashed feature indices for every token of ``text`` (same order as ``toks``)."""
    if lexicon is None:
        from samestory.compare.framing import load_lexicon

        lexicon = load_lexicon()
    words = [t.word for t in toks]
    lex = [None] * len(toks)
    for i, j, entry in lexicon.match(words):
        for k in range(i, j):
            lex[k] = entry
    quotes = quotation_spans(text)
    out = []
    n = len(toks)
    seen: dict[str, int] = {}
    for i, t in enumerate(toks):
        w = t.word
        prev = words[i - 1] if i else "<s>"
        nxt = words[i + 1] if i + 1 < n else "</s>"
        raw = text[t.start : t.end]
        sent_start = i == 0 or bool(re.search(r"[.!?]\W*$", text[toks[i - 1].end : t.start]))
        f = [
            "w=" + w, "s3=" + w[-3:], "s4=" + w[-4:], "p=" + prev, "n=" + nxt, "pw=" + prev + "|" + w, "wn=" + w + "|" + nxt,
            "sh=" + (_shape(raw) if not sent_start else "start"), "len=" + str(min(len(w), 12)),
        ]
        # a word the text has used before: annotators mark a loaded word where it is first used
        # (PTC: "evil" 10 of 24 first uses, 12 of 55 later ones), so repeats are weaker evidence
        reps = seen.get(w, 0)
        seen[w] = reps + 1
        if reps and w not in FUNCTION_WORDS:
            f += ["rep", "rep" + str(min(reps, 3)), "repw=" + w]
        e = lex[i]
        if e is not None:
            f += ["lex", "lc=" + e.category, "ls=" + e.scope, "lp=" + e.pos, "lw=" + w]
        if (i and lex[i - 1] is not None) or (i + 1 < n and lex[i + 1] is not None):
            f.append("lexnear")
        q = inside_quotation(quotes, t.start)
        if q:
            f += ["q", "qw=" + w]
        if w in ATTRIBUTION_WORDS:
            f.append("cue")
        if any(words[k] in ATTRIBUTION_WORDS for k in range(max(0, i - 3), i)):
            f.append("cue_before")
        out.append([_h(x) for x in f])
    return out


def word_states(toks: list[Token], pieces) -> tuple[np.ndarray, np.ndarray]:
    """Each token's contextual vector: the mean of the MiniLM states of the word pieces inside it
    (``MiniLM.token_states``), and which tokens got one. ``pieces``: ``(base, states,
    offsets)`` per forward-passed piece of the text, ``offsets`` relative to ``base`` (a sentence's
    start); a token no piece covers (text cut at the token limit, or not passed) gets zeros."""
    n = len(toks)
    dim = next((st.shape[1] for _b, st, _o in pieces), 384)
    out = np.zeros((n, dim), dtype=np.float32)
    count = np.zeros(n, dtype=np.float32)
    if n:
        starts = np.array([t.start for t in toks])
        ends = np.array([t.end for t in toks])
        for base, states, offsets in pieces:
            if not len(offsets):
                continue
            at = base + offsets[:, 0]
            k = np.searchsorted(starts, at, side="right") - 1
            ok = (k >= 0) & (at < ends[np.clip(k, 0, n - 1)])
            np.add.at(out, k[ok], states[ok].astype(np.float32))
            np.add.at(count, k[ok], 1.0)
    has = count > 0
    out[has] /= count[has, None]
    return out, has


LEX_CATEGORIES = ("evaluative", "insult", "sensational", "partisan", "exaggeration", "informal", "emotional", "hedging")
N_DENSE = 9 + len(LEX_CATEGORIES)


def dense_features(text: str, toks: list[Token], z: np.ndarray, lexicon) -> np.ndarray:
    """The non-contextual part of the contextual head's input, one row per token: the token
    model's logit (``z``) and its neighbours', the lexicon (hit, category, a hit next to it),
    inside a quotation, an attribution cue on or just before the word, a repeat, a function word."""
    n = len(toks)
    words = [t.word for t in toks]
    out = np.zeros((n, N_DENSE), dtype=np.float32)
    if not n:
        return out
    zc = np.clip(np.asarray(z, dtype=np.float32), -10, 10) / 5
    out[:, 0] = zc
    out[1:, 1] = zc[:-1]
    out[:-1, 2] = zc[1:]
    lex = np.zeros(n, dtype=bool)
    for i, j, entry in lexicon.match(words):
        lex[i:j] = True
        if entry.category in LEX_CATEGORIES:
            out[i:j, 9 + LEX_CATEGORIES.index(entry.category)] = 1.0
    out[:, 3] = lex
    out[1:, 4] = np.maximum(out[1:, 4], lex[:-1])
    out[:-1, 4] = np.maximum(out[:-1, 4], lex[1:])
    quotes = quotation_spans(text)
    seen: set[str] = set()
    for i, t in enumerate(toks):
        out[i, 5] = bool(inside_quotation(quotes, t.start))
        out[i, 6] = t.word in ATTRIBUTION_WORDS or any(words[k] in ATTRIBUTION_WORDS for k in range(max(0, i - 3), i))
        out[i, 7] = t.word in seen and t.word not in FUNCTION_WORDS
        out[i, 8] = t.word in FUNCTION_WORDS
        seen.add(t.word)
    return out


class ContextHead:
    """A one-hidden-layer network over [MiniLM state of the word, ``dense_features``]: the logit
    of P(loaded). Its first layer is kept in two parts, the state's and the dense features'."""

    def __init__(self, w1: np.ndarray, b1: np.ndarray, w2: np.ndarray, b2: float):
        dim = w1.shape[0] - N_DENSE  # the state's width: 384 per MiniLM layer read
        self.w1s, self.w1d = w1[:dim].astype(np.float32), w1[dim:].astype(np.float32)
        self.b1, self.w2, self.b2 = b1.astype(np.float32), w2.astype(np.float32), float(b2)

    def logits(self, states: np.ndarray, has: np.ndarray, dense: np.ndarray) -> np.ndarray:
        hidden = np.maximum(states.astype(np.float32) @ self.w1s + dense @ self.w1d + self.b1, 0.0)
        z = hidden @ self.w2 + self.b2
        # a word without a state keeps the token model's logit (dense column 0 is that logit / 5)
        return np.where(has, z, dense[:, 0] * 5)


def _blocked(toks: list[Token]) -> set[int]:
    """Token indices that are never loaded: attribution/hedging cues and set phrases."""
    out = {i for i, t in enumerate(toks) if t.word in ATTRIBUTION_WORDS or t.word in HEDGE_WORDS}
    words = [t.word for t in toks]
    for phrase in SET_PHRASES:
        k = len(phrase)
        for i in range(len(words) - k + 1):
            if tuple(words[i : i + k]) == phrase:
                out.update(range(i, i + k))
    return out


def cues(text: str) -> list[tuple[int, int, str, str]]:
    """Attribution and hedging cues of ``text``: ``(start, end, word, kind)``, kind "attribution"
    (said, claimed, vowed, insisted) or "hedging" (reportedly, allegedly, appeared to)."""
    out = []
    toks = tokenize(text)
    for i, t in enumerate(toks):
        if t.word in HEDGE_WORDS:
            end = toks[i + 1].end if t.word.startswith(("appear", "seem")) and i + 1 < len(toks) and toks[i + 1].word == "to" else t.end
            if t.word.startswith(("appear", "seem")) and end == t.end:
                continue  # "appeared on TV" is not a hedge
            if t.word == "according" and not (i + 1 < len(toks) and toks[i + 1].word == "to"):
                continue
            out.append((t.start, end, text[t.start : end], "hedging" if t.word != "according" else "attribution"))
        elif t.word in ATTRIBUTION_WORDS:
            out.append((t.start, t.end, text[t.start : t.end], "attribution"))
    return out


class LoadedModel:
    """Shipped weights: token model (hashed features), sentence model (a few dense features) and,
    when present, the contextual head over MiniLM word states (then ``threshold`` and
    ``show_threshold`` are the head's)."""

    def __init__(self, token_w: np.ndarray, token_b: float, threshold: float, sent_w: np.ndarray, sent_b: float, sent_threshold: float,
                 show_threshold: float | None = None, head: ContextHead | None = None, prefilter: float = PREFILTER,
                 token_threshold: float | None = None, token_weight: float = TOKEN_WEIGHT, extend: float = EXTEND,
                 show_extend: float | None = None):
        self.token_w, self.token_b, self.threshold = token_w.astype(np.float32), float(token_b), float(threshold)
        # the framing view shows only spans this sure (precision first); ``threshold`` is the best-F1 one
        self.show_threshold = float(threshold if show_threshold is None else show_threshold)
        self.sent_w, self.sent_b, self.sent_threshold = sent_w.astype(np.float32), float(sent_b), float(sent_threshold)
        self.head, self.prefilter, self.token_weight = head, float(prefilter), float(token_weight)
        # how far a flagged word's span grows (``spans_from``) at ``threshold`` and at ``show_threshold``
        self.extend = float(extend)
        self.show_extend = self.extend if show_extend is None else float(show_extend)
        # the token model's best-F1 threshold: a feature of the sentence model, whatever the head's
        self.token_threshold = self.threshold if token_threshold is None else float(token_threshold)

    def token_logits(self, text: str, toks: list[Token], lexicon=None) -> np.ndarray:
        """The token model's logit for every token (no rules applied)."""
        feats = token_features(text, toks, lexicon)
        return np.array([self.token_w[f].sum() for f in feats], dtype=np.float64) + self.token_b

    def probabilities(self, text: str, toks: list[Token] | None = None, lexicon=None, contextual: bool = True,
                      states=None) -> np.ndarray:
        """P(loaded) for every token of ``text``; cue words and set phrases are 0. With the
        contextual head (and ``contextual``), the sentences the token model finds anything in
        (``prefilter``) are read by MiniLM: ``states(texts) -> [(states, offsets)]``, by default
        ``samestory.compare._nlp.token_states`` (which reuses the claims' forward pass)."""
        return self.probabilities_many([text], None if toks is None else [toks], lexicon, contextual, states)[0]

    def probabilities_many(self, texts: list[str], toks: list[list[Token]] | None = None, lexicon=None, contextual: bool = True,
                           states=None) -> list[np.ndarray]:
        """``probabilities`` of several texts, their sentences read by MiniLM in one batch."""
        if lexicon is None:
            from samestory.compare.framing import load_lexicon

            lexicon = load_lexicon()
        toks = [tokenize(t) for t in texts] if toks is None else toks
        zs = [self.token_logits(t, tk, lexicon) if tk else np.zeros(0) for t, tk in zip(texts, toks)]
        blocked = [_blocked(tk) for tk in toks]
        floor = [None] * len(texts)  # the token model's share of the detector's probability
        if self.head is not None and contextual:
            floor = [self.token_weight / (1.0 + np.exp(-z)) for z in zs]
            units = [self._units_to_read(t, tk, z, b) for t, tk, z, b in zip(texts, toks, zs, blocked)]
            wanted = [t[s:e] for t, us in zip(texts, units) for s, e in us]
            if wanted:
                if states is None:
                    from samestory.compare._nlp import token_states as states
                read = iter(states(wanted))
                for k, (text, tk, us) in enumerate(zip(texts, toks, units)):
                    if us:
                        pieces = [(s, *next(read)) for s, _e in us]
                        vecs, has = word_states(tk, pieces)
                        zs[k] = np.where(has, self.head.logits(vecs, has, dense_features(text, tk, zs[k], lexicon)), zs[k])
        out = []
        for z, b, f in zip(zs, blocked, floor):
            p = 1.0 / (1.0 + np.exp(-z))
            if f is not None:
                p = np.maximum(p, f)
            for i in b:
                p[i] = 0.0
            out.append(p)
        return out

    def _units_to_read(self, text: str, toks: list[Token], z: np.ndarray, blocked: set[int]) -> list[tuple[int, int]]:
        """The sentences of ``text`` with a token-model probability >= ``prefilter`` (cues aside)."""
        from samestory.text.sentences import sentence_offsets

        if not toks:
            return []
        p = 1.0 / (1.0 + np.exp(-z))
        starts = np.array([t.start for t in toks])
        out = []
        for s, e in sentence_offsets(text):
            a, b = np.searchsorted(starts, s), np.searchsorted(starts, e)
            if any(p[k] >= self.prefilter and k not in blocked for k in range(a, b)):
                out.append((s, e))
        return out

    def spans(self, text: str, threshold: float | None = None, lexicon=None, extend: float | None = None) -> list[Span]:
        """Flagged runs of adjacent tokens at or above ``threshold`` (default: the shipped best-F1
        one), grown at ``extend`` (default: the model's, ``show_extend`` for ``show_threshold``)."""
        return self.spans_many([text], threshold, lexicon, extend)[0]

    def spans_many(self, texts: list[str], threshold: float | None = None, lexicon=None, extend: float | None = None) -> list[list[Span]]:
        """``spans`` of several texts (one MiniLM batch for all their sentences)."""
        toks = [tokenize(t) for t in texts]
        probs = self.probabilities_many(texts, toks, lexicon)
        th = self.threshold if threshold is None else threshold
        if extend is None:
            extend = self.show_extend if th == self.show_threshold else self.extend
        return [spans_from(t, tk, p, th, extend) for t, tk, p in zip(texts, toks, probs)]

    def sentence_features(self, text: str, lexicon=None) -> np.ndarray:
        """The token part of a sentence's features (the MiniLM embedding goes before it)."""
        if lexicon is None:
            from samestory.compare.framing import load_lexicon

            lexicon = load_lexicon()
        toks = tokenize(text)
        # the token model's probabilities and threshold: what the sentence model was trained on
        p = self.probabilities(text, toks, lexicon, contextual=False)
        top = np.sort(p)[::-1] if len(p) else np.zeros(1)
        return sentence_vector(top, len(lexicon.match([t.word for t in toks])), len(toks), self.token_threshold)

    def sentence_probabilities(self, texts: list[str], embeddings: np.ndarray | None = None, lexicon=None) -> np.ndarray:
        """P(biased) per sentence in BABE's sense (one-sided or loaded wording by the writer):
        logistic regression over the MiniLM embedding and the token features. ``embeddings`` are
        ``samestory.enrich.embed.embed_texts(texts)`` when not given."""
        if not texts:
            return np.zeros(0, dtype=np.float32)
        if embeddings is None:
            from samestory.enrich.embed import embed_texts

            embeddings = embed_texts(list(texts))
        X = np.hstack([np.asarray(embeddings, dtype=np.float32), np.stack([self.sentence_features(t, lexicon) for t in texts])])
        return 1.0 / (1.0 + np.exp(-(X @ self.sent_w + self.sent_b)))


def spans_from(text: str, toks: list[Token], p: np.ndarray, threshold: float, extend: float = EXTEND) -> list[Span]:
    """Runs of adjacent tokens (only spaces or a hyphen between) around a token with probability >=
    ``threshold``, grown over neighbours with probability >= ``extend * threshold`` (a loaded phrase,
    "radical Islamic terrorists", is often one sure word and two less sure ones). Function words
    never seed a run and never end one, but a run grows through them ("enemy of the people"):
    PTC's phrases hold them (bench/framing.py: span F1 up in the CV, see ``EXTEND``)."""
    quotes = quotation_spans(text)
    n = len(toks)

    def joined(i: int) -> bool:  # token i-1 and token i are one phrase
        return i > 0 and text[toks[i - 1].end : toks[i].start].strip(" -") == ""

    keep = [False] * n
    low = extend * threshold
    for i in range(n):
        if p[i] < threshold or keep[i] or toks[i].word in FUNCTION_WORDS:
            continue
        keep[i] = True
        j = i - 1
        while j >= 0 and joined(j + 1) and p[j] >= low:
            keep[j] = True
            j -= 1
        j = i + 1
        while j < n and joined(j) and p[j] >= low:
            keep[j] = True
            j += 1
    runs: list[list] = []
    for i in range(n):
        if not keep[i]:
            continue
        if runs and runs[-1][1] == i - 1 and joined(i):
            runs[-1][1] = i
        else:
            runs.append([i, i])
    out = []
    for a, b in runs:
        while toks[a].word in FUNCTION_WORDS:  # every run holds a seed, which is no function word
            a += 1
        while toks[b].word in FUNCTION_WORDS:
            b -= 1
        out.append(Span(toks[a].start, toks[b].end, round(float(p[a : b + 1].max()), 4), inside_quotation(quotes, toks[a].start)))
    return out


def sentence_vector(top: np.ndarray, n_lex: int, n_tok: int, threshold: float) -> np.ndarray:
    """Dense sentence features from sorted token probabilities (shared by training and use)."""
    top = np.concatenate([top, np.zeros(3)])
    return np.array(
        [top[0], top[:3].mean(), np.log1p((top >= threshold).sum()), np.log1p((top >= threshold / 2).sum()), np.log1p(n_lex), np.log1p(n_tok) / 5],
        dtype=np.float32,
    )


@functools.lru_cache(maxsize=2)
def load_model(path: str | None = None, context_path: str | None = None) -> LoadedModel:
    """The shipped detector; without ``models/loaded_context.npz`` (or with ``context_path=""``)
    the token model alone, at its own thresholds."""
    src = Path(path) if path else MODEL_PATH
    ctx = CONTEXT_PATH if context_path is None else (Path(context_path) if context_path else None)
    try:
        z = np.load(src)
        token_w = np.zeros(N_FEATURES, dtype=np.float32)
        token_w[z["token_idx"]] = z["token_val"]
        model = LoadedModel(token_w, z["token_b"], z["threshold"], z["sent_w"], z["sent_b"], z["sent_threshold"], z["show_threshold"])
        if ctx is not None and ctx.exists():
            from samestory.compare._nlp import STATE_LAYERS, STATE_TOKENS

            src = ctx
            c = np.load(ctx)
            if tuple(c["layers"].tolist()) != STATE_LAYERS or int(c["max_tokens"]) != STATE_TOKENS:
                raise ValueError(f"trained on layers {c['layers'].tolist()} / {int(c['max_tokens'])} word pieces, compare reads {STATE_LAYERS} / {STATE_TOKENS}")
            head = ContextHead(c["w1"].astype(np.float32), c["b1"], c["w2"], float(c["b2"]))
            model = LoadedModel(token_w, z["token_b"], c["threshold"], z["sent_w"], z["sent_b"], z["sent_threshold"], c["show_threshold"],
                                head=head, prefilter=float(c["prefilter"]), token_threshold=float(z["threshold"]),
                                token_weight=float(c["token_weight"]),
                                extend=float(c["extend"]) if "extend" in c.files else EXTEND,
                                show_extend=float(c["show_extend"]) if "show_extend" in c.files else None)
        return model
    except (OSError, KeyError, ValueError) as exc:
        raise ModelError(f"loaded-language weights {src}: {exc} (rebuild with bench/train_loaded.py)") from exc
