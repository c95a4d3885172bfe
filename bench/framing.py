"""Loaded-language detection on real annotated data: PTC spans and BABE / MBIC sentences.

Systems (all measured in this run):
* lexicon baseline: every match of ``lexicon/loaded.tsv`` (no rules, no model);
* MiniLM + LR baseline (sentences): logistic regression over the MiniLM sentence embedding alone;
* learned detector (``samestory.compare.loaded``): token-level logistic regression over hashed
  context features with the lexicon as one feature (spans), and a sentence model over MiniLM plus
  the token features (sentences). Trained by bench/train_loaded.py.

PTC (../shared/eval/ptc, SemEval-2020 Task 11 train split, 371 articles): Loaded_Language and
Name_Calling,Labeling spans (overlaps merged); 5-fold cross-validation by article (article i in
fold i % 5), the token model trained on the other four folds plus BABE SG1's biased words; span
P/R/F1 with SemEval's partial credit (character overlap share). Thresholds: the one with the best
F1 and the lowest with precision >= 0.5 (what the framing view shows), both read off this table.

BABE / MBIC (../shared/eval/babe-mbic): sentence-level biased vs non-biased F1 (biased class).
Trained on SG1 (expert labels), tested on the SG2 sentences not in SG1; MBIC (crowd labels; its
sentences are all in SG2, most in SG1) is tested with models trained on the SG2 sentences not in
MBIC, token model included. "No agreement" sentences are left out. Anchor: DA-RoBERTa 0.814.

    .venv/bin/python bench/framing.py
"""

from __future__ import annotations

import argparse
import ast
import os
import csv
import re
import sys
import time
import zipfile
import xml.etree.ElementTree as ET

import numpy as np

from _common import EVAL, need, peak_rss_mb, record

DATA = EVAL / "babe-mbic" / "data"
THRESHOLDS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
LABELS = {"Biased": 1, "Non-biased": 0}
EXTEND_GRID = (0.3, 0.5)  # span growth shares tried (samestory.compare.loaded.EXTEND)


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return [r for r in rows if r.get("label_bias") in LABELS and (r.get("text") or "").strip()]


def read_xlsx(path):
    """The first sheet of an .xlsx as dicts (header row first); standard library only."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as z:
        strings = []
        if "xl/sharedStrings.xml" in z.namelist():
            for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
                strings.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
        sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    table = []
    for row in sheet.iter("{%s}row" % ns["m"]):
        cells = {}
        for c in row.findall("m:c", ns):
            col = re.match(r"[A-Z]+", c.get("r")).group()
            v = c.find("m:v", ns)
            if v is None:
                inline = c.find("m:is", ns)
                val = "".join(t.text or "" for t in inline.iter("{%s}t" % ns["m"])) if inline is not None else ""
            elif c.get("t") == "s":
                val = strings[int(v.text)]
            else:
                val = v.text or ""
            cells[col] = val
        table.append(cells)
    header = table[0]
    out = []
    for cells in table[1:]:
        out.append({header[k]: v for k, v in cells.items() if k in header})
    return [r for r in out if r.get("label_bias") in LABELS and (r.get("text") or "").strip()]


def annotated_words(raw: str) -> list[str]:
    try:
        words = ast.literal_eval(raw or "[]")
    except (ValueError, SyntaxError):
        return []
    return [w.strip().lower() for w in words if isinstance(w, str) and w.strip()]


def prf(gold, pred):
    tp = sum(1 for g, p in zip(gold, pred) if g and p)
    fp = sum(1 for g, p in zip(gold, pred) if not g and p)
    fn = sum(1 for g, p in zip(gold, pred) if g and not p)
    tn = len(gold) - tp - fp - fn
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    p0 = tn / (tn + fn) if tn + fn else 0.0
    r0 = tn / (tn + fp) if tn + fp else 0.0
    f0 = 2 * p0 * r0 / (p0 + r0) if p0 + r0 else 0.0
    return {"p": p, "r": r, "f1": f, "macro": (f + f0) / 2, "acc": (tp + tn) / len(gold) if gold else 0.0}


def lexicon_threshold(scores, rows):
    gold = [LABELS[r["label_bias"]] for r in rows]
    return max(THRESHOLDS, key=lambda th: prf(gold, [scores[r["text"].strip()] >= th for r in rows])["f1"])


def prefilter_share(oof_token, prefilter: float) -> float:
    """Share of sentences the contextual head reads: some token-model probability >= ``prefilter``
    (blocked cue words are 0 in these probabilities, as in ``LoadedModel.context_logits``)."""
    from samestory.compare.loaded import tokenize
    from samestory.text.sentences import sentence_offsets

    read = total = 0
    for text, p in oof_token.values():
        starts = np.array([t.start for t in tokenize(text)])
        for s, e in sentence_offsets(text):
            a, b = np.searchsorted(starts, s), np.searchsorted(starts, e)
            total += 1
            read += bool(b > a and p[a:b].max() >= prefilter)
    return read / total if total else 0.0


def ptc_section(T, lexicon) -> tuple[list[str], dict]:
    from samestory.compare.framing import find_loaded
    from samestory.compare._nlp import STATE_LAYERS, STATE_TOKENS
    from samestory.compare.loaded import ATTRIBUTION_WORDS, EXTEND, HEDGE_WORDS, N_DENSE, PREFILTER

    t0 = time.perf_counter()
    ptc = T.load_ptc()
    sg1 = T.read_babe("final_labels_SG1.csv")
    rows = [T.ptc_rows(text, spans) for _aid, text, spans in ptc]
    states = T.contextual_states([t for _a, t, _s in ptc])
    oof, oof_token, oof_all = T.ptc_cv(ptc, [T.babe_rows(r) for r in sg1], rows, states=states)
    gold = {aid: spans for aid, _t, spans in ptc}
    fold_of = {aid: i % 5 for i, (aid, _t, _s) in enumerate(ptc)}
    # the detector's growth share (extend) and threshold, chosen on all folds (what ships) and, for the
    # honest figure, per fold on the other four
    per_fold, tables = {}, {}
    for ext in EXTEND_GRID:
        tables[ext], counts = T.threshold_table(oof, gold, ext, fold_of)
        per_fold.update({(ext, th): c for th, c in counts.items()})
    honest_best = T.other_folds_choice(per_fold, "best")
    honest_show = T.other_folds_choice(per_fold, "show")
    # what ships (bench/train_loaded.py's CONTEXT_* constants): the same rules on all five folds
    pooled = {key: c.sum(0) for key, c in per_fold.items()}
    ship_best, ship_show = T.choose_setting(pooled, "best"), T.choose_setting(pooled, "show")
    table = tables[ship_best[0]]
    token_table = T.threshold_table(oof_token, gold)
    token_best, token_show = T.pick_thresholds(token_table)
    all_table = T.threshold_table(oof_all, gold, ship_best[0])
    base = {aid: [(h.start, h.end) for h in find_loaded(text, contextual=False, lexicon=lexicon)] for aid, text, _s in ptc}
    bp, br, bf = T.span_prf(base, gold)
    cue_words = ATTRIBUTION_WORDS | HEDGE_WORDS
    base_cues = sum(1 for aid, text, _s in ptc for s, e in base[aid] if text[s:e].lower().replace("’", "'") in cue_words)
    pred_show = {aid: T.spans_at(text, p, ship_show[1], ship_show[0]) for aid, (text, p) in oof.items()}
    share = prefilter_share(oof_token, PREFILTER)
    learned_cues = sum(1 for aid, (text, _p) in oof.items() for s, e in pred_show[aid] if text[s:e].lower().replace("’", "'") in cue_words)
    n_spans = sum(len(v) for v in gold.values())
    words = sum(len(t.split()) for _a, t, _s in ptc)
    lines = [
        f"### PTC spans (Loaded_Language + Name_Calling,Labeling), 5-fold CV by article",
        f"{len(ptc)} articles, {words} words, {n_spans} gold spans after merging overlaps. SemEval-2020 Task 11 span scoring (partial credit).",
        "",
        "| system | threshold | P | R | F1 | flags per 1,000 words |",
        "|---|---|---|---|---|---|",
        f"| lexicon baseline (every match) | - | {bp:.3f} | {br:.3f} | {bf:.3f} | {1000 * sum(map(len, base.values())) / words:.1f} |",
    ]
    rows_out = [("token model alone (before)", oof_token, [((EXTEND, token_best), " (best F1)"), ((EXTEND, token_show), " (shown: precision >= 0.5)")],
                 {(EXTEND, th): (p, r, f) for th, p, r, f in token_table}),
                ("**learned detector** (token model + MiniLM contextual head)", oof, [(ship_best, " (best F1)"), (ship_show, " (shown: precision >= 0.5)")],
                 {key: T.prf_of(c) for key, c in pooled.items()})]
    for name, o, settings, prf in rows_out:
        for (ext, th), tag in settings:
            p, r, f = prf[(ext, th)]
            n = sum(len(T.spans_at(text, pr, th, ext)) for text, pr in o.values())
            lines.append(f"| {name}{tag} | {th:g} (extend {ext:g}) | {p:.3f} | {r:.3f} | **{f:.3f}** | {1000 * n / words:.1f} |")
    for tag, (p, r, f, chosen) in (("best F1", honest_best), ("shown: precision >= 0.5", honest_show)):
        lines.append(f"| **learned detector**, extend and threshold chosen on the other four folds ({tag}) | "
                     f"{', '.join(f'{e:g}/{t:g}' for e, t in chosen)} | {p:.3f} | {r:.3f} | **{f:.3f}** | - |")
    lines += [
        "| SemEval-2020 best system (all 14 techniques, test set; published) | - | - | - | 0.51 | - |",
        "",
        f"Spans grow from a flagged word over neighbours with probability >= extend x threshold (function words inside a phrase too); "
        f"the detector's two rows are the settings that ship (extend of {', '.join(map(str, EXTEND_GRID))} and threshold, chosen on all five folds' "
        f"out-of-fold spans: bench/train_loaded.py's CONTEXT_* constants); the 'other four folds' rows choose them per fold "
        f"(shown as extend/threshold for folds 0-4) without looking at the fold they score, the honest figures. "
        f"Before this change: extend 0.5, no function words inside, one-seed head: best F1 0.409, shown 0.382.",
        f"Attribution and hedging words flagged as loaded: lexicon baseline {base_cues}, learned detector {learned_cues} (they are cues, reported apart).",
        f"Full threshold table, learned detector at extend {ship_best[0]:g} (P/R/F1): " + "; ".join(f"{th:g}: {p:.2f}/{r:.2f}/{f:.2f}" for th, p, r, f in table) + ".",
        *(f"Learned detector at extend {ext:g}: " + "; ".join(f"{th:g}: {p:.2f}/{r:.2f}/{f:.2f}" for th, p, r, f in tab) + "."
          for ext, tab in tables.items() if ext != ship_best[0]),
        f"Token model alone: " + "; ".join(f"{th:g}: {p:.2f}/{r:.2f}/{f:.2f}" for th, p, r, f in token_table) + ".",
        f"Contextual head: the mean of {T.HEAD_SEEDS} networks (seeds 0-{T.HEAD_SEEDS - 1}), each {T.HEAD_HIDDEN} ReLUs over the MiniLM states after layers {'+'.join(map(str, STATE_LAYERS))} of each word (mean of its word pieces, one pass per sentence, "
        f"{STATE_TOKENS} pieces at most) and {N_DENSE} dense features (token-model logits, lexicon, quotation, cues); sentences read: "
        f"{share:.0%} (those with a token-model probability >= {PREFILTER:g}); reading every sentence instead: best F1 {max(r[3] for r in all_table):.3f}, "
        f"at threshold {ship_best[1]:g} P/R/F1 {'/'.join(f'{x:.3f}' for x in next(r[1:] for r in all_table if r[0] == ship_best[1]))}.",
        f"Time: {time.perf_counter() - t0:.0f} s for features, 5 fits and scoring (load average shared machine).",
        "",
    ]
    return lines, {"best": ship_best, "show": ship_show}


def sentence_section(T, lexicon) -> list[str]:
    from sklearn.linear_model import LogisticRegression

    from samestory.compare.framing import find_loaded, sentence_score
    from samestory.compare.loaded import LoadedModel

    sg1 = T.read_babe("final_labels_SG1.csv")
    sg2 = T.read_babe("final_labels_SG2.csv")
    mbic_path = DATA / "final_labels_MBIC.csv"
    mbic = read_csv(mbic_path) if mbic_path.exists() else read_xlsx(need(DATA / "final_labels_MBIC.xlsx"))
    sg1_texts = {r["text"].strip() for r in sg1}
    mbic_texts = {r["text"].strip() for r in mbic}
    held_out = [r for r in sg2 if r["text"].strip() not in sg1_texts]
    not_mbic = [r for r in sg2 if r["text"].strip() not in mbic_texts]
    ptc = T.load_ptc()
    ptc_rows = [T.ptc_rows(text, spans) for _aid, text, spans in ptc]
    lines = ["### BABE / MBIC sentences (biased class)",
             f"SG1 {len(sg1)}, SG2 {len(sg2)} ({len(held_out)} not in SG1), MBIC {len(mbic)} ({len(not_mbic)} SG2 sentences not in MBIC train its models).",
             "", "| system | trained on | tested on | P | R | F1 | macro F1 | accuracy |", "|---|---|---|---|---|---|---|---|"]
    for train_rows, test_rows, train_name, test_name in ((sg1, held_out, "SG1", "SG2 minus SG1"), (not_mbic, mbic, "SG2 minus MBIC", "MBIC")):
        texts_tr = [r["text"].strip() for r in train_rows]
        texts_te = [r["text"].strip() for r in test_rows]
        y_tr = np.array([LABELS[r["label_bias"]] for r in train_rows])
        y_te = [LABELS[r["label_bias"]] for r in test_rows]
        # lexicon baseline: weighted count, threshold chosen on the training set
        scores = {t: sentence_score(find_loaded(t, contextual=False, lexicon=lexicon)) for t in texts_tr + texts_te}
        th = lexicon_threshold(scores, train_rows)
        m = prf(y_te, [scores[t] >= th for t in texts_te])
        lines.append(f"| lexicon baseline (count >= {th:g}) | {train_name} | {test_name} | {m['p']:.3f} | {m['r']:.3f} | {m['f1']:.3f} | {m['macro']:.3f} | {m['acc']:.3f} |")
        E_tr, E_te = T.embeddings(texts_tr), T.embeddings(texts_te)
        clf = LogisticRegression(C=T.SENTENCE_C, max_iter=3000).fit(E_tr, y_tr)
        th_e = T.cv_threshold(E_tr, y_tr)
        m = prf(y_te, list(clf.predict_proba(E_te)[:, 1] >= th_e))
        lines.append(f"| MiniLM + LR baseline (p >= {th_e:g}) | {train_name} | {test_name} | {m['p']:.3f} | {m['r']:.3f} | {m['f1']:.3f} | {m['macro']:.3f} | {m['acc']:.3f} |")
        w, b = T.fit_tokens(ptc_rows + [T.babe_rows(r) for r in train_rows])
        tok = LoadedModel(w, b, T.THRESHOLD, np.zeros(1), 0.0, T.SENTENCE_THRESHOLD)
        X_tr, X_te = T.crossfit_matrix(ptc_rows, train_rows), T.sentence_matrix(texts_te, tok)
        sw, sb = T.fit_sentences(X_tr, y_tr)
        th_l = T.cv_threshold(X_tr, y_tr)
        p = 1 / (1 + np.exp(-(X_te @ sw + sb)))
        m = prf(y_te, list(p >= th_l))
        lines.append(f"| **learned detector** (MiniLM + token features, p >= {th_l:g}) | {train_name} | {test_name} | {m['p']:.3f} | {m['r']:.3f} | **{m['f1']:.3f}** | {m['macro']:.3f} | {m['acc']:.3f} |")
    lines += ["| DA-RoBERTa (anchor, published) | BABE | 5-fold CV | - | - | 0.814 | - | - |", "",
              "Before this detector (same data, earlier run): lexicon baseline 0.627 and the rule-based detector (writer's voice) 0.574 on SG2 minus SG1; 0.613 / 0.569 on MBIC (tested on sentences its lexicon threshold was chosen beside).",
              "Thresholds: each system's sentence threshold is the best-F1 one in 5-fold cross-validation on its training set (never on the test set).", ""]
    return lines


def main() -> None:
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args()
    import train_loaded as T

    from samestory.compare.framing import load_lexicon

    t0, c0 = time.perf_counter(), time.process_time()
    lexicon = load_lexicon()
    lines, _th = ptc_section(T, lexicon)
    lines += sentence_section(T, lexicon)
    lines.append(f"Total {time.perf_counter() - t0:.0f} s wall, {time.process_time() - c0:.0f} s CPU (user+sys, all threads; machine shared, "
                 f"load {os.getloadavg()[0]:.1f} at the end); peak RSS {peak_rss_mb():.0f} MiB.")
    record("framing", lines)


if __name__ == "__main__":
    sys.exit(main())
