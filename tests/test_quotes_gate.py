"""Quality gate for quotes and loaded language on slices of real data in ../shared/eval.

Floors sit just under the figures measured when the gate was written (bench/RESULTS.md "quotes"
and "framing" have the full runs); they may only rise. Skipped when ../shared is absent.

* PolNeAR dev, the first 12 articles in name order: direct-quote content F1 and speaker accuracy
  on matched gold direct quotations (the bench's matching rule, ../shared/eval/README.md).
* PTC train, every 10th article: span F1 of the shipped token model and of the shipped detector
  (token model + contextual head) at their best-F1 thresholds. The shipped weights were trained on
  all of PTC, so this guards against regressions (a broken feature, a changed tokenizer, states that
  no longer match the head), not generalisation; bench/framing.py has the cross-validated figures.
  Out of sample (the CV) the detector scores 0.429 against the token model's 0.34 (RESULTS.md "framing").
* BABE, the first 300 SG2 sentences not in SG1 (held out from the shipped sentence model): F1.
"""

from __future__ import annotations

import sys

import numpy as np
import pytest

from conftest import REPO, SHARED

EVAL = SHARED / "eval"
sys.path.insert(0, str(REPO / "bench"))

POLNEAR_ARTICLES = 12
# measured 2026-12-02: speaker accuracy 0.974, content F1 0.926; PTC slice span F1 0.560 (in-sample);
# BABE held-out slice F1 0.771 (22 s of CPU for the whole file)
# measured 2026-12-03 after retraining (text.quotes had changed a feature): PTC slice token model
# 0.556, detector with the contextual head 0.561 (in-sample); BABE held-out slice 0.777
POLNEAR_SPEAKER_FLOOR = 0.97
POLNEAR_F1_FLOOR = 0.92
# measured 2026-12-04 with the five-seed head and spans grown through function words: PTC slice token
# model 0.552, detector 0.592 at its best-F1 threshold (in-sample)
PTC_F1_FLOOR = 0.55  # the token model alone
PTC_CONTEXT_F1_FLOOR = 0.59  # the shipped detector (token model + contextual head)
BABE_F1_FLOOR = 0.77


def _need(path):
    if not path.exists():
        pytest.skip(f"{path} is not here (eval data lives in ../shared/eval)")
    return path


def test_polnear_dev_slice_speakers_and_spans(nlp):
    _need(EVAL / "polnear" / "data" / "dev")
    import quotes as bench_quotes

    from samestory.enrich import enrich

    items = bench_quotes.load("dev")[:POLNEAR_ARTICLES]
    enriched = enrich([a for a, _ in items], embed=False)
    lines = bench_quotes._quality(items, enriched, 0)
    f1 = float(lines[1].rsplit("F1 ", 1)[1])
    speaker = float(lines[3].split(": ", 1)[1].split(" ")[0])
    assert f1 >= POLNEAR_F1_FLOOR, lines
    assert speaker >= POLNEAR_SPEAKER_FLOOR, lines


def test_ptc_slice_loaded_spans():
    _need(EVAL / "ptc" / "train-articles")
    import train_loaded as T

    from samestory.compare.loaded import load_model, spans_from, tokenize

    model = load_model()
    assert model.head is not None
    ptc = T.load_ptc()[::10]
    gold = {aid: g for aid, _t, g in ptc}
    token_only = {}
    for aid, text, _g in ptc:
        toks = tokenize(text)
        p = model.probabilities(text, toks, contextual=False)
        token_only[aid] = [(s.start, s.end) for s in spans_from(text, toks, p, model.token_threshold)]
    assert T.span_prf(token_only, gold)[2] >= PTC_F1_FLOOR
    pred = {aid: [(s.start, s.end) for s in model.spans(text, model.threshold)] for aid, text, _g in ptc}
    _p, _r, f1 = T.span_prf(pred, gold)
    assert f1 >= PTC_CONTEXT_F1_FLOOR
    # attribution and hedging cues are never loaded words
    for aid, text, _g in ptc:
        for s, e in pred[aid]:
            assert text[s:e].lower() not in ("said", "claimed", "claims", "vowed", "insisted", "reportedly", "allegedly")


def test_babe_heldout_slice_sentences(embedder):
    _need(EVAL / "babe-mbic" / "data" / "final_labels_SG2.csv")
    import train_loaded as T

    from samestory.compare.loaded import load_model

    sg1 = {r["text"].strip() for r in T.read_babe("final_labels_SG1.csv")}
    rows = [r for r in T.read_babe("final_labels_SG2.csv") if r["text"].strip() not in sg1][:300]
    model = load_model()
    p = model.sentence_probabilities([r["text"].strip() for r in rows])
    y = np.array([T.LABELS[r["label_bias"]] for r in rows])
    assert T.f1_at(y, p, model.sent_threshold) >= BABE_F1_FLOOR


# judged real cross-outlet quote groups (bench/quote_groups.py, bench/judged/): the events
# judged there; measured 2026-12-03: wording differs precision 0.905 (19 of 21), recall 1.0;
# speaker differs flagged 0 (every judged speaker difference was an extraction error or an alias).
# 2026-12-04 after the speaker fixes: wording precision 0.950 (19 of 20); speakers of the 87 judged
# quotes of 40 groups: 67 right (0.770), 2 named wrong (0.029 of the named), baseline 0.621 / 0.182;
# then appositions inside the subject and named co-subjects (fixes that read this sample's misses):
# 70 right (0.805), 2 named wrong (0.028); then "Ms X" a person (never "he"), a quote not carried on
# past another person named in a later sentence, an addressee between cue and quote: 72 right
# (0.828), 0 named wrong
WORDING_PRECISION_FLOOR = 0.94
WORDING_RECALL_FLOOR = 0.95
SPEAKER_ACCURACY_FLOOR = 0.82
NAMED_WRONG_CEILING = 0.01


def test_cross_outlet_quote_groups_judged():
    _need(EVAL / "wikinews-events" / "events.jsonl")
    import json

    import quote_groups

    judged = quote_groups.judgments()
    speaker_events = {json.loads(line)["event"] for line in open(quote_groups.SPEAKERS, encoding="utf-8")}
    articles: dict = {}
    f = quote_groups.flags(only={j["event"] for j in judged} | speaker_events, keep=articles)
    wording = quote_groups.score(f["ours_w"], judged, "wording_differs")
    speaker = quote_groups.score(f["ours_s"], judged, "speaker_differs")
    assert wording["precision"] >= WORDING_PRECISION_FLOOR, wording
    assert wording["recall"] >= WORDING_RECALL_FLOOR, wording
    assert speaker["right"] == speaker["judged"], speaker  # no judged false speaker difference is flagged
    ours = quote_groups.speakers(articles)["samestory"]
    total = sum(ours.values())
    assert ours["right"] / total >= SPEAKER_ACCURACY_FLOOR, dict(ours)
    assert ours["named wrong"] / max(ours["right"] + ours["named wrong"], 1) <= NAMED_WRONG_CEILING, dict(ours)


def test_a_person_named_between_ends_the_previous_speakers_run():
    """wikinews-events wn-236: one representative is quoted, then a second one, named in the next
    sentence, "cautioned his colleagues" with a quotation; it was given to the first (the quote
    went on from the previous speaker). The article is read from ../shared, never copied here."""
    import json

    from samestory.enrich import enrich
    from samestory.models import Article

    path = EVAL / "wikinews-events" / "events.jsonl"
    _need(path)
    row = next(json.loads(line) for line in open(path, encoding="utf-8") if '"id": "wn-236"' in line)
    art = enrich([Article(id=row["id"], outlet=row["outlet"], title="", text=row["text"])], embed=False)[0]
    cautioned = [q for q in art.quotes if q.kind == "direct" and q.cue == "cautioned"]
    assert len(cautioned) == 1 and "Sensenbrenner" in (cautioned[0].speaker or ""), [(q.cue, q.speaker) for q in art.quotes]
