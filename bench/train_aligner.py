"""Train the claim pair scorer (``samestory.compare.aligner``) and write its weights.

    PYTHONPATH=src .venv/bin/python bench/train_aligner.py      # about 40 s on 2 cores

Data: MSRP train (3,576 news sentence pairs, Dolan & Brockett 2005) from ../shared/eval/msrp,
never copied. Logistic regression (scikit-learn, lbfgs, L2, C chosen by 5-fold accuracy on
train over a small grid; deterministic: no random state is drawn). The decision threshold is the
probability with the best accuracy on MSRP val pairs (ties: the lower one). Writes
src/samestory/compare/models/aligner.json (weights, threshold and the figures it was chosen by).
"""

from __future__ import annotations

import json
import time

import numpy as np

from _common import REPO, record
from claims import read_msrp


def features(pairs):
    from rapidfuzz import fuzz

    from samestory.compare import _nlp
    from samestory.compare.aligner import claim_terms, lexical_text, pair_features

    ea = _nlp.encode([a for a, _ in pairs])
    eb = _nlp.encode([b for _, b in pairs])
    scalars = []
    for k, (a, b) in enumerate(pairs):
        lex = fuzz.token_set_ratio(lexical_text(a), lexical_text(b)) / 100.0
        emb = np.stack([ea[k], eb[k]])
        f = pair_features([claim_terms(a), claim_terms(b)], [a, b], emb, np.array([[0, lex], [lex, 0]], dtype=np.float32))
        scalars.append(f[:, 0, 1])
    return np.array(scalars, dtype=np.float32), ea * eb, (ea - eb) ** 2


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from samestory.compare.aligner import SCALAR_FEATURES, AlignerModel
    from samestory.enrich.models import load_embedder

    load_embedder()
    t0 = time.perf_counter()
    train, val = read_msrp("train"), read_msrp("val")
    s_tr, p_tr, d_tr = features([(a, b) for _, a, b in train])
    s_va, p_va, d_va = features([(a, b) for _, a, b in val])
    y_tr = np.array([y for y, _, _ in train])
    y_va = np.array([y for y, _, _ in val])
    mean, scale = s_tr.mean(axis=0), s_tr.std(axis=0) + 1e-6
    x_tr = np.hstack([(s_tr - mean) / scale, p_tr, d_tr])
    x_va = np.hstack([(s_va - mean) / scale, p_va, d_va])
    folds = StratifiedKFold(5, shuffle=False)
    grid = {}
    for c in (0.1, 0.3, 1.0, 3.0):
        grid[c] = float(cross_val_score(LogisticRegression(C=c, max_iter=2000), x_tr, y_tr, cv=folds).mean())
    c_best = max(grid, key=lambda c: (grid[c], -c))
    lr = LogisticRegression(C=c_best, max_iter=2000).fit(x_tr, y_tr)
    w = lr.coef_[0].astype(np.float32)
    k = len(SCALAR_FEATURES)
    prob_va = lr.predict_proba(x_va)[:, 1]
    best_t, best_acc = 0.5, -1.0
    for t in np.round(np.arange(0.20, 0.81, 0.01), 2):
        acc = float(((prob_va >= t) == (y_va == 1)).mean())
        if acc > best_acc:
            best_t, best_acc = float(t), acc
    pred = prob_va >= best_t
    tp = int((pred & (y_va == 1)).sum())
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int((y_va == 1).sum()), 1)
    about = {
        "data": "MSRP train 3,576 pairs (weights), MSRP val 500 pairs (threshold)",
        "model": f"logistic regression, L2, C={c_best} (5-fold accuracy on train: "
                 + ", ".join(f"C={c}: {a:.3f}" for c, a in grid.items()) + ")",
        "threshold": f"{best_t} = best accuracy on MSRP val pairs alone: accuracy {best_acc:.3f}, "
                     f"precision {p:.3f}, recall {r:.3f}, F1 {2 * p * r / max(p + r, 1e-9):.3f}",
        "train_accuracy": round(float(lr.score(x_tr, y_tr)), 4),
    }
    model = AlignerModel(w[:k], mean.astype(np.float32), scale.astype(np.float32), w[k : k + 384], w[k + 384 :],
                         float(lr.intercept_[0]), best_t, about)
    out = REPO / "src" / "samestory" / "compare" / "models" / "aligner.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n")
    # the shipped model must give the same probabilities as sklearn's
    check = AlignerModel.from_json(json.loads(out.read_text()))
    from samestory.compare import _nlp
    from samestory.compare.aligner import claim_terms, pair_features
    from rapidfuzz import fuzz
    from samestory.compare.aligner import lexical_text

    a, b = val[0][1], val[0][2]
    emb = _nlp.encode([a, b])
    lex = fuzz.token_set_ratio(lexical_text(a), lexical_text(b)) / 100.0
    f = pair_features([claim_terms(a), claim_terms(b)], [a, b], emb, np.array([[0, lex], [lex, 0]], dtype=np.float32))
    mine = float(check.logits(f, emb)[0, 1])
    theirs = float(lr.decision_function(x_va[:1])[0])
    assert abs(mine - theirs) < 1e-3, (mine, theirs)
    lines = [
        f"Aligner trained in {time.perf_counter() - t0:.0f} s: {about['model']}.",
        f"Threshold {about['threshold']}.",
        f"Scalar weights (standardized): " + ", ".join(f"{n} {v:+.2f}" for n, v in zip(SCALAR_FEATURES, check.scalar)),
        f"Weights file: {out.stat().st_size // 1024} KiB.",
    ]
    record("train_aligner", lines)


if __name__ == "__main__":
    main()
