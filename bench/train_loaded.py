"""Train the loaded-language detector (samestory.compare.loaded) on ../shared/eval and write its
weights to src/samestory/compare/lexicon/loaded_model.npz. Deterministic (fixed data order, SGD
with random_state 0, lbfgs for the sentence model).

Token model: logistic regression (SGD, log loss, ``TOKEN_ALPHA``) over hashed token features; a
token is positive when it lies in a PTC Loaded_Language or Name_Calling,Labeling span (train split,
371 articles) or, in a BABE SG1 sentence labelled Biased, is one of the words the annotators
marked. ``THRESHOLD`` (span F1) and ``SHOW_THRESHOLD`` (precision) come from the 5-fold
cross-validation by article on PTC in bench/framing.py.
Contextual head (``samestory.compare.loaded.ContextHead``, written to
src/samestory/compare/models/loaded_context.npz, about 250 KB): the mean of ``HEAD_SEEDS``
one-hidden-layer networks (seeds 0..HEAD_SEEDS-1, stored as one network) over the
MiniLM state after layer 4 of each word (mean of its word pieces; one pass per sentence, as
``samestory.compare._nlp.token_states`` gives it at compare time) and the dense features (the
token model's logits, 5-fold out-of-fold over PTC so the head never learns from logits that saw
their own labels; lexicon, quotation, cue flags), on the PTC tokens; torch with fixed seeds and one
thread. ``CONTEXT_THRESHOLD`` / ``CONTEXT_SHOW_THRESHOLD`` come from the same CV in
bench/framing.py. PTC's sentence states (one MiniLM pass over 345k words, about 50 s of CPU) are
cached under /tmp.
Sentence model: logistic regression over the MiniLM sentence embedding plus the sentence's lexicon
count and its top token probabilities, on BABE SG1's labels; its threshold is the best-F1 one in
5-fold cross-validation on SG1 (``cv_threshold``).

Time: the token part takes about 20 s of CPU (feature hashing of 345k PTC tokens, one SGD fit);
the sentence part fits five more token models (SG1's token features are cross-fitted, so the
sentence model never learns from token probabilities that saw their own words) and embeds SG1's 1,546 sentences with MiniLM (about 30 s on an idle core, minutes
on a loaded machine; embeddings are cached under /tmp between runs, never in the repo).

    .venv/bin/python bench/train_loaded.py
"""

from __future__ import annotations

import ast
import csv
import re
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression, SGDClassifier

from _common import EVAL, REPO, need

PTC = EVAL / "ptc"
BABE = EVAL / "babe-mbic" / "data"
TECHNIQUES = ("Loaded_Language", "Name_Calling,Labeling")
TOKEN_ALPHA = 1e-5  # L2 strength, best span F1 in the PTC CV among 1e-6, 3e-6, 1e-5, 3e-5, 1e-4
TOKEN_EPOCHS = 10
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.1, 0.61, 0.05))
# the contextual head (bench/framing.py's PTC CV chose these among a few, see RESULTS.md "framing")
HEAD_HIDDEN = 64
HEAD_EPOCHS = 4
HEAD_LR = 1e-3
HEAD_DECAY = 1e-4
HEAD_BATCH = 512
HEAD_SEEDS = 5  # networks averaged, one per seed (PTC CV: best span F1 0.408 with one, 0.417 with three)
SENTENCE_C = 1.0  # best of 0.3, 1, 3, 10 on SG1 -> SG2-minus-SG1 (bench/framing.py); 3 and 10 within 0.003
LABELS = {"Biased": 1, "Non-biased": 0}


def merge(spans):
    out = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def load_ptc():
    """[(article id, text, merged gold spans)] in article id order."""
    root = need(PTC / "train-articles")
    labels = PTC / "train-labels-task2-technique-classification"
    out = []
    for p in sorted(root.glob("article*.txt")):
        aid = p.stem.removeprefix("article")
        text = p.read_text(encoding="utf-8")
        spans = []
        lab = labels / f"article{aid}.task2-TC.labels"
        if lab.exists():
            for line in lab.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) == 4 and parts[1] in TECHNIQUES:
                    spans.append((int(parts[2]), int(parts[3])))
        out.append((aid, text, merge(spans)))
    return out


def read_babe(name: str):
    with open(need(BABE / name), encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return [r for r in rows if r.get("label_bias") in LABELS and (r.get("text") or "").strip()]


def biased_words(raw: str) -> set[str]:
    try:
        words = ast.literal_eval(raw or "[]")
    except (ValueError, SyntaxError):
        return set()
    return {t.lower().replace("’", "'") for w in words if isinstance(w, str) for t in re.findall(r"[\w'’-]+", w)}


def token_rows(text: str, positive):
    """(feature lists, labels) for one text; ``positive(token) -> bool``."""
    from samestory.compare.loaded import token_features, tokenize

    toks = tokenize(text)
    return token_features(text, toks), [1 if positive(t) else 0 for t in toks]


def ptc_rows(text, spans):
    def pos(t):
        return any(s < t.end and t.start < e for s, e in spans)

    return token_rows(text, pos)


def babe_rows(row):
    words = biased_words(row.get("biased_words", "")) if row["label_bias"] == "Biased" else set()
    return token_rows(row["text"].strip(), lambda t: t.word in words)


def matrix(feature_lists):
    from samestory.compare.loaded import N_FEATURES

    indptr = [0]
    indices = []
    for f in feature_lists:
        indices.extend(f)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    m = sparse.csr_matrix((data, np.array(indices, dtype=np.int64), np.array(indptr)), shape=(len(feature_lists), N_FEATURES))
    m.sum_duplicates()
    m.data[:] = 1.0  # a feature is present or not
    return m


def fit_tokens(rows, alpha: float = TOKEN_ALPHA):
    feats, ys = [], []
    for f, y in rows:
        feats += f
        ys += y
    clf = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=TOKEN_EPOCHS, tol=None, random_state=0)
    clf.fit(matrix(feats), np.array(ys))
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def model_from(w, b, threshold=0.5):
    from samestory.compare.loaded import LoadedModel

    return LoadedModel(w, b, threshold, np.zeros(6, dtype=np.float32), 0.0, 0.5)


def span_counts(pred_by_doc, gold_by_doc):
    """The sums behind ``span_prf``: (precision numerator, predicted spans, recall numerator, gold spans)."""
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for doc, gold in gold_by_doc.items():
        pred = pred_by_doc.get(doc, [])
        n_pred += len(pred)
        n_gold += len(gold)
        for s, e in pred:
            p_num += sum(max(0, min(e, ge) - max(s, gs)) for gs, ge in gold) / (e - s)
        for gs, ge in gold:
            r_num += sum(max(0, min(e, ge) - max(s, gs)) for s, e in pred) / (ge - gs)
    return np.array([p_num, n_pred, r_num, n_gold], dtype=np.float64)


def prf_of(counts):
    p_num, n_pred, r_num, n_gold = counts
    p = p_num / n_pred if n_pred else 0.0
    r = r_num / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def span_prf(pred_by_doc, gold_by_doc):
    """SemEval-2020 Task 11 span identification scoring (partial credit by character overlap):
    P = mean over predicted spans of the share covered by gold, R = mean over gold spans of the share
    covered by predictions."""
    return prf_of(span_counts(pred_by_doc, gold_by_doc))


def folds(n: int, k: int = 5):
    """Article i goes to fold i % k (articles in id order): fixed, no shuffling."""
    return [[i for i in range(n) if i % k == f] for f in range(k)]


def ptc_cv(ptc, babe_train_rows, rows=None, k: int = 5, states=None):
    """Out-of-fold token probabilities for every PTC article: ``(contextual, token model,
    contextual reading every sentence)``, each {article id: (text, probabilities)}. For fold f, the token model is trained on the other folds
    (plus BABE's biased words); the head on the other folds' tokens, with token-model logits that
    are themselves out-of-fold within them (as the shipped head is trained), then applied through
    the compare-time path (``contextual_probabilities``: prefilter, sentence states)."""
    from samestory.compare.framing import load_lexicon
    from samestory.compare.loaded import PREFILTER, LoadedModel, tokenize

    lexicon = load_lexicon()
    rows = rows or [ptc_rows(text, spans) for _aid, text, spans in ptc]
    mats = [matrix(f) for f, _y in rows]
    states = states or contextual_states([t for _a, t, _s in ptc])
    ctx, tok, ctx_all = {}, {}, {}
    for fold in folds(len(ptc), k):
        held = set(fold)
        train_idx = [i for i in range(len(ptc)) if i not in held]
        w, b = fit_tokens([rows[i] for i in train_idx] + babe_train_rows)
        m = model_from(w, b)
        head = train_head(ptc, train_idx, rows, mats, babe_train_rows, states, lexicon)
        mc = LoadedModel(w, b, 0.5, np.zeros(6, dtype=np.float32), 0.0, 0.5, head=head, prefilter=PREFILTER)
        mc_all = LoadedModel(w, b, 0.5, np.zeros(6, dtype=np.float32), 0.0, 0.5, head=head, prefilter=0.0)
        for i in fold:
            aid, text, _ = ptc[i]
            tok[aid] = (text, m.probabilities(text, tokenize(text), lexicon))
            ctx[aid] = (text, contextual_probabilities(mc, text, states[i][0], lexicon))
            ctx_all[aid] = (text, contextual_probabilities(mc_all, text, states[i][0], lexicon))
    return ctx, tok, ctx_all


def spans_at(text, probs, threshold, extend=None):
    from samestory.compare.loaded import EXTEND, spans_from, tokenize

    return [(s.start, s.end) for s in spans_from(text, tokenize(text), probs, threshold, EXTEND if extend is None else extend)]


def threshold_table(oof, gold, extend=None, fold_of=None, k: int = 5):
    """[(threshold, P, R, F1)] of the out-of-fold spans (grown at ``extend``, by default
    ``loaded.EXTEND``, the token model's); with ``fold_of`` ({article: fold}) also {threshold: span_counts per fold}
    (a (k, 4) array), for ``other_folds_choice``."""
    out, per_fold = [], {}
    for th in THRESHOLDS:
        pred = {aid: spans_at(text, p, th, extend) for aid, (text, p) in oof.items()}
        out.append((th, *span_prf(pred, gold)))
        if fold_of is not None:
            per_fold[th] = np.stack([span_counts(pred, {a: g for a, g in gold.items() if fold_of[a] == f}) for f in range(k)])
    return (out, per_fold) if fold_of is not None else out


def choose_setting(counts, rule="best"):
    """The key of ``counts`` ({setting: span_counts}, a setting being (extend, threshold)) that
    ``rule`` picks: "best", the best F1; "show", the lowest threshold with precision >= 0.5 (the
    better F1 among equals; the highest threshold when none reaches it)."""
    keys = sorted(counts)
    if rule == "best":
        return max(keys, key=lambda c: prf_of(counts[c])[2])
    ok = [c for c in keys if prf_of(counts[c])[0] >= 0.5]
    return min(ok, key=lambda c: (c[-1], -prf_of(counts[c])[2])) if ok else max(keys, key=lambda c: (c[-1], prf_of(counts[c])[2]))


def other_folds_choice(per_fold, rule="best"):
    """Honest figures for a setting chosen on data: each fold is scored at the setting
    ``choose_setting`` picks on the other folds' pooled spans (``per_fold``: {setting: (k, 4)
    span_counts per fold}); returns (P, R, F1 pooled over the folds, the settings per fold)."""
    k = len(next(iter(per_fold.values())))
    total, chosen = np.zeros(4), []
    for f in range(k):
        key = choose_setting({c: v.sum(0) - v[f] for c, v in per_fold.items()}, rule)
        chosen.append(key)
        total += per_fold[key][f]
    return (*prf_of(total), chosen)


def pick_thresholds(table, min_precision: float = 0.5):
    """(best-F1 threshold, lowest threshold whose precision reaches ``min_precision``)."""
    best = max(table, key=lambda r: r[3])[0]
    show = next((r[0] for r in table if r[1] >= min_precision), table[-1][0])
    return best, show


def embeddings(texts):
    """MiniLM embeddings, cached under /tmp by text hash (derived numbers, outside the repo)."""
    import hashlib
    import tempfile

    from samestory.enrich.embed import embed_texts

    cache = Path(tempfile.gettempdir()) / "samestory-babe-embeddings.npz"
    known = dict(np.load(cache)) if cache.exists() else {}
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    todo = [i for i, k in enumerate(keys) if k not in known]
    if todo:
        vecs = embed_texts([texts[i] for i in todo])
        for i, v in zip(todo, vecs):
            known[keys[i]] = v
        np.savez(cache, **known)
    return np.stack([known[k] for k in keys]) if keys else np.zeros((0, 384), dtype=np.float32)


def sentence_matrix(texts, model):
    """MiniLM embedding + the token model's sentence features, one row per text."""
    from samestory.compare.framing import load_lexicon
    from samestory.compare.loaded import sentence_vector, tokenize

    lexicon = load_lexicon()
    dense = []
    for text in texts:
        toks = tokenize(text)
        p = model.probabilities(text, toks, lexicon)
        dense.append(sentence_vector(np.sort(p)[::-1] if len(p) else np.zeros(1), len(lexicon.match([t.word for t in toks])), len(toks), model.threshold))
    return np.hstack([embeddings(texts), np.array(dense, dtype=np.float32)])


def crossfit_matrix(ptc_rows_all, rows, k: int = 5):
    """``sentence_matrix`` for training rows with honest token features: row i's token
    probabilities come from a token model trained on PTC plus the biased words of the other folds
    (row i in fold i % k), never on its own words."""
    from samestory.compare.loaded import LoadedModel

    texts = [r["text"].strip() for r in rows]
    babe = [babe_rows(r) for r in rows]
    X = None
    for fold in folds(len(rows), k):
        held = set(fold)
        w, b = fit_tokens(ptc_rows_all + [x for i, x in enumerate(babe) if i not in held])
        part = sentence_matrix([texts[i] for i in fold], LoadedModel(w, b, THRESHOLD, np.zeros(1), 0.0, 0.5))
        if X is None:
            X = np.zeros((len(rows), part.shape[1]), dtype=np.float32)
        X[fold] = part
    return X


def contextual_states(texts):
    """Per text, its sentences' word-piece states as ``samestory.compare._nlp.token_states`` gives
    them at compare time: ``{sentence text: (states float16, offsets)}`` and the ``(start, states,
    offsets)`` pieces for ``word_states``. One MiniLM pass per sentence; cached under /tmp by a hash
    of the texts (derived numbers, outside the repo)."""
    import hashlib
    import tempfile

    from samestory.compare._nlp import STATE_LAYERS, STATE_TOKENS
    from samestory.enrich.models import load_embedder
    from samestory.text.embed import embedding_precision
    from samestory.text.sentences import sentence_offsets

    units = [sentence_offsets(t) for t in texts]
    flat_units = [t[s:e] for t, us in zip(texts, units) for s, e in us]
    key = hashlib.sha1(("\0".join(texts) + f"|{STATE_TOKENS}|{STATE_LAYERS}|{embedding_precision()}").encode()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"samestory-piece-states-{key}.npz"
    if cache.exists():
        z = np.load(cache)
        flat, offs, lens = z["states"], z["offsets"], z["lens"]
    else:
        out = load_embedder().token_states(flat_units, max_tokens=STATE_TOKENS, layers=STATE_LAYERS)
        flat = np.concatenate([st.astype(np.float16) for _v, st, _o in out])
        offs = np.concatenate([o for _v, _s, o in out])
        lens = np.array([len(o) for _v, _s, o in out])
        np.savez(cache, states=flat, offsets=offs, lens=lens)
    bounds = np.concatenate([[0], np.cumsum(lens)])
    result, k = [], 0
    for t, us in zip(texts, units):
        by_text, pieces = {}, []
        for s, e in us:
            st, of = flat[bounds[k] : bounds[k + 1]], offs[bounds[k] : bounds[k + 1]]
            by_text[t[s:e]] = (st, of)
            pieces.append((s, st, of))
            k += 1
        result.append((by_text, pieces))
    return result


def fit_head(X, dense, y, seeds=None):
    """The contextual head (``samestory.compare.loaded.ContextHead``): the mean logit of
    ``HEAD_SEEDS`` networks (one per seed), each one hidden layer of ``HEAD_HIDDEN`` ReLUs over
    [word state, dense features], which is itself one network with their hidden units
    side by side; AdamW, ``HEAD_EPOCHS`` epochs of shuffled mini-batches; one torch thread and
    fixed seeds, so the same data gives the same weights."""
    from samestory.compare.loaded import ContextHead

    Xd = np.hstack([X.astype(np.float32), dense.astype(np.float32)])
    nets = [_fit_net(Xd, y, seed) for seed in (range(HEAD_SEEDS) if seeds is None else seeds)]
    k = len(nets)
    w1 = np.hstack([w for w, _b, _w2, _b2 in nets])
    b1 = np.concatenate([b for _w, b, _w2, _b2 in nets])
    w2 = np.concatenate([w2 / k for _w, _b, w2, _b2 in nets])
    return ContextHead(w1, b1, w2, float(np.mean([b2 for *_x, b2 in nets])))


def _fit_net(Xd, y, seed: int):
    import torch

    torch.manual_seed(seed)
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        Xt = torch.from_numpy(Xd)
        yt = torch.from_numpy(np.asarray(y, dtype=np.float32))
        net = torch.nn.Sequential(torch.nn.Linear(Xt.shape[1], HEAD_HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HEAD_HIDDEN, 1))
        opt = torch.optim.AdamW(net.parameters(), lr=HEAD_LR, weight_decay=HEAD_DECAY)
        gen = torch.Generator().manual_seed(seed)
        for _epoch in range(HEAD_EPOCHS):
            perm = torch.randperm(len(yt), generator=gen)
            for start in range(0, len(yt), HEAD_BATCH):
                idx = perm[start : start + HEAD_BATCH]
                opt.zero_grad()
                loss = torch.nn.functional.binary_cross_entropy_with_logits(net(Xt[idx]).squeeze(1), yt[idx])
                loss.backward()
                opt.step()
    finally:
        torch.set_num_threads(before)
    return (net[0].weight.detach().numpy().T.copy(), net[0].bias.detach().numpy().copy(), net[2].weight.detach().numpy()[0].copy(),
            float(net[2].bias.detach()))


def head_rows(ptc, idx, logits, states, lexicon):
    """(word states, dense features, labels) of the tokens of articles ``idx``; ``logits[i]`` is
    the token model's logit for article i from a model that never saw it."""
    from samestory.compare.loaded import dense_features, tokenize, word_states

    X, D, Y = [], [], []
    for i in idx:
        _aid, text, spans = ptc[i]
        toks = tokenize(text)
        w, has = word_states(toks, states[i][1])
        y = np.array([any(s < t.end and t.start < e for s, e in spans) for t in toks], dtype=np.float32)
        X.append(w[has].astype(np.float16))
        D.append(dense_features(text, toks, logits[i], lexicon)[has])
        Y.append(y[has])
    return np.concatenate(X), np.concatenate(D), np.concatenate(Y)


def token_logits_oof(rows, mats, idx, babe_train_rows, k: int = 5):
    """{article: token-model logits} for the articles ``idx``, each from a token model trained on
    the other folds of ``idx`` (position j in fold j % k) plus ``babe_train_rows``."""
    out = {}
    for fold in folds(len(idx), k):
        held = {idx[j] for j in fold}
        w, b = fit_tokens([rows[i] for i in idx if i not in held] + babe_train_rows)
        for i in held:
            out[i] = mats[i] @ w + b
    return out


def train_head(ptc, idx, rows, mats, babe_train_rows, states, lexicon):
    logits = token_logits_oof(rows, mats, idx, babe_train_rows)
    return fit_head(*head_rows(ptc, idx, logits, states, lexicon))


def contextual_probabilities(model, text, lookup, lexicon):
    """``model.probabilities`` through the compare-time path (prefilter included), the sentence
    states read from ``lookup`` instead of a MiniLM pass."""
    return model.probabilities(text, lexicon=lexicon, states=lambda texts: [lookup[t] for t in texts])


def fit_sentences(X, y, c: float = SENTENCE_C):
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(X, y)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def cv_threshold(X, y, c: float = SENTENCE_C, k: int = 5) -> float:
    """The sentence threshold with the best F1 on out-of-fold probabilities of the training set
    (row i in fold i % k)."""
    p = np.zeros(len(y))
    for fold in folds(len(y), k):
        held = np.zeros(len(y), dtype=bool)
        held[fold] = True
        clf = LogisticRegression(C=c, max_iter=3000).fit(X[~held], y[~held])
        p[held] = clf.predict_proba(X[held])[:, 1]
    return max((f1_at(y, p, th), -th) for th in SENTENCE_THRESHOLDS)[1] * -1


SENTENCE_THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.2, 0.71, 0.05))


def f1_at(y, p, th):
    pred = p >= th
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


# From bench/framing.py's PTC cross-validation (5 folds by article), see bench/RESULTS.md "framing".
THRESHOLD = 0.15  # best span F1 (P 0.28, R 0.38, F1 0.32)
SHOW_THRESHOLD = 0.35  # lowest with span precision >= 0.5 (P 0.52, R 0.18): what the framing view shows
# The contextual head's (same CV; its probabilities replace the token model's in the framing view).
# Each with its span growth share (``loaded.spans_from``'s extend), chosen with it among
# framing.EXTEND_GRID: "To ship" in RESULTS.md.
CONTEXT_EXTEND, CONTEXT_THRESHOLD = 0.3, 0.3  # best span F1 (P 0.397, R 0.467, F1 0.429)
CONTEXT_SHOW_EXTEND, CONTEXT_SHOW_THRESHOLD = 0.5, 0.4  # lowest threshold with span precision >= 0.5 (P 0.507, R 0.323, F1 0.395): what the framing view shows
SENTENCE_THRESHOLD = 0.4  # placeholder for a token-only model; the shipped one is chosen by cv_threshold on SG1


def train(ptc_rows_all=None, sg1=None):
    """The shipped model (token + sentence parts) from all of PTC train and BABE SG1."""
    from samestory.compare.loaded import LoadedModel

    ptc = load_ptc()
    sg1 = sg1 if sg1 is not None else read_babe("final_labels_SG1.csv")
    ptc_rows_all = ptc_rows_all or [ptc_rows(text, spans) for _aid, text, spans in ptc]
    w, b = fit_tokens(ptc_rows_all + [babe_rows(r) for r in sg1])
    X = crossfit_matrix(ptc_rows_all, sg1)
    y = np.array([LABELS[r["label_bias"]] for r in sg1])
    sw, sb = fit_sentences(X, y)
    return w, b, sw, sb, cv_threshold(X, y)


def train_context_head(ptc_rows_all=None):
    """The shipped contextual head, on all PTC articles (token-model logits 5-fold out-of-fold)."""
    from samestory.compare.framing import load_lexicon

    ptc = load_ptc()
    sg1 = read_babe("final_labels_SG1.csv")
    rows = ptc_rows_all or [ptc_rows(text, spans) for _aid, text, spans in ptc]
    states = contextual_states([t for _a, t, _s in ptc])
    return train_head(ptc, list(range(len(ptc))), rows, [matrix(f) for f, _y in rows], [babe_rows(r) for r in sg1], states, load_lexicon())


def write_context(head) -> None:
    """The contextual head and its settings to ``loaded.CONTEXT_PATH``."""
    from samestory.compare._nlp import STATE_LAYERS, STATE_TOKENS
    from samestory.compare.loaded import CONTEXT_PATH, PREFILTER, TOKEN_WEIGHT

    half = lambda a: np.asarray(a, dtype=np.float16)  # noqa: E731 - a few hundred KB instead of a MB
    np.savez_compressed(CONTEXT_PATH, w1=half(np.vstack([head.w1s, head.w1d])), b1=half(head.b1), w2=half(head.w2), b2=head.b2,
                        threshold=CONTEXT_THRESHOLD, show_threshold=CONTEXT_SHOW_THRESHOLD, extend=CONTEXT_EXTEND, show_extend=CONTEXT_SHOW_EXTEND,
                        prefilter=PREFILTER, token_weight=TOKEN_WEIGHT, layers=np.array(STATE_LAYERS), max_tokens=STATE_TOKENS)


def main() -> None:
    from samestory.compare.loaded import CONTEXT_PATH

    t0 = time.perf_counter()
    write_context(train_context_head())
    print(f"wrote {CONTEXT_PATH.relative_to(REPO)} ({CONTEXT_PATH.stat().st_size // 1024} KiB); {time.perf_counter() - t0:.1f} s")
    w, b, sw, sb, sth = train()
    nz = np.flatnonzero(np.abs(w) > 1e-4)
    out = REPO / "src" / "samestory" / "compare" / "lexicon" / "loaded_model.npz"
    np.savez_compressed(out, token_idx=nz.astype(np.int32), token_val=w[nz].astype(np.float16).astype(np.float32), token_b=b,
                        threshold=THRESHOLD, show_threshold=SHOW_THRESHOLD, sent_w=sw.astype(np.float16).astype(np.float32), sent_b=sb,
                        sent_threshold=sth)
    print(f"wrote {out.relative_to(REPO)} ({out.stat().st_size // 1024} KiB, {len(nz)} token weights, sentence threshold {sth}); "
          f"{time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
