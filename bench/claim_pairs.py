"""Claim alignment on real stories: are two outlets' claims "shared" when they state the same thing?

MSRP and STS pairs (bench/claims.py) are sentence pairs picked for their word overlap; in real
multi-outlet stories paraphrases share fewer words ("has become YouTube's most-watched video of
all time" / "has just become the most watched video on YouTube ever"). This bench measures the
"shared" decision on such pairs.

Data: ../shared/eval/wikinews-events, 22 events of 3-6 articles from at least three outlets
(bench/judged/wikinews_claim_pairs.jsonl names them; bench/claim_pairs_pool.py picks and proposes),
the first 6,000 characters of each article as the set gives them, enriched and aligned with
``compare.claims.align_claims`` as ``samestory compare`` does.

Judgments: bench/judged/wikinews_claim_pairs.jsonl, written by us by reading (no article text is
stored: each pair is its event, two claims' article ids and character spans, the verdict, its
pool and its split). Pools: ``first`` (126 pairs of 10 stories: every pair main put in one group
on 2026-12-04 and every claim's closest claim in another article by MiniLM cosine when that
reached 0.70); ``grouped`` / ``cos>=0.70`` (the same rule on 12 more stories); ``cos 0.60-0.70``
(the closest claim when it reached only 0.60: the recall edge); ``top-up`` (pairs the
recalibrated aligner groups that no other pool held, judged after it was fitted, so precision is
not measured only on pairs the old aligner chose; the aligner was refitted with them twice) and
``check`` (the same for the shipped aligner: measured here, never fitted on). Two claims are the same when the main fact of
one is stated by the other, its value possibly different ("197 killed" / "194 killed":
alignment must bring them together for the conflict check to see them); related facts about one
subject are not ("born in 2001" / "sent to Indonesia in 2007"), nor two quotes of two speakers.
Split: the tune half (SHA-1 of the event id even: 9 stories) is where the aligner's recalibration
and threshold are fitted (bench/train_aligner.py); the report half (13 stories) only reports.

A judged pair is matched to the current claims by span overlap (each side to the claim of its
article that overlaps it most). Recall is over the judged same pairs, so it is recall within that
pool (pairs no pool proposed are not in it). Baseline in the same run: MiniLM cosine >= 0.607
(bench/claims.py's cut, best accuracy on MSRP train).

    .venv/bin/python bench/claim_pairs.py
"""

from __future__ import annotations

import json
import time
from collections import defaultdict

import numpy as np

from _common import EVAL, REPO, need, peak_rss_mb, record

JUDGED = REPO / "bench" / "judged" / "wikinews_claim_pairs.jsonl"
BASELINE_COSINE = 0.607
EDGE_POOL = "cos 0.60-0.70"
CHECK_POOL = "check"  # judged after the shipped scorer was fitted: measured, never fitted on


def _best(claims, span) -> int | None:
    aid, s, e = span
    best, overlap = None, 0
    for k, c in enumerate(claims):
        if c.claim.article_id != aid:
            continue
        o = min(e, c.claim.span.end) - max(s, c.claim.span.start)
        if o > overlap:
            best, overlap = k, o
    return best


def _stories(split: str | None = None, with_articles: bool = False):
    """Per judged story: its judged pairs, the articles as ``samestory compare`` reads them, and the
    alignment ``align_claims`` makes of them."""
    from samestory.compare.claims import align_claims
    from samestory.enrich import enrich
    from samestory.models import Article

    judged = [json.loads(line) for line in open(JUDGED, encoding="utf-8")]
    by_event: dict[str, list[dict]] = defaultdict(list)
    for j in judged:
        if split is None or j["split"] == split:
            by_event[j["event"]].append(j)
    records: dict[str, list[dict]] = defaultdict(list)
    for line in open(need(EVAL / "wikinews-events" / "events.jsonl"), encoding="utf-8"):
        d = json.loads(line)
        if d["event"] in by_event:
            records[d["event"]].append(d)
    for event, pairs in by_event.items():
        arts = enrich([Article(id=d["id"], outlet=d["outlet"], title=d["title"], text=d["text"][:6000])
                       for d in records[event]], embed=False)
        yield (event, pairs, align_claims(arts)) + ((arts,) if with_articles else ())


def _stage1(model):
    """The shipped scorer's stage 1 alone at its own threshold: the MSRP-only scorer main had."""
    from dataclasses import replace

    return replace(model, recalibration=None, threshold=float(model.about["stage1_threshold"].split(" ")[0]))


def judged_rows(stage1_also: bool = False) -> tuple[list[dict], int]:
    """Per judged pair that still matches two claims: its split and pool, the gold verdict, samestory's
    decision (one claim group) and the baseline's (with ``stage1_also``, also the decision of stage 1
    alone, the MSRP-only scorer); and how many judged pairs no longer match."""
    from samestory.compare import _nlp, aligner
    from samestory.compare.claims import align_claims

    rows, unmatched = [], 0
    for _event, pairs, al, arts in _stories(with_articles=True):
        group_of = _same_group(al, [m for g, m in zip(al.groups, al.members) if g.detail_of is None])
        alone = {}
        if stage1_also:
            shipped, stage1 = aligner.load_model, _stage1(aligner.load_model())
            try:
                aligner.load_model = lambda: stage1
                al1 = align_claims(arts)
            finally:
                aligner.load_model = shipped
            alone = _same_group(al1, [m for g, m in zip(al1.groups, al1.members) if g.detail_of is None])
        vectors = _nlp.encode([ci.claim.text for ci in al.infos])
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        for p in pairs:
            i, j = _best(al.infos, p["a"]), _best(al.infos, p["b"])
            if i is None or j is None or i == j:
                unmatched += 1
                continue
            rows.append({"event": p["event"], "split": p["split"], "pool": p["pool"], "gold": p["same"],
                         "ours": i in group_of and group_of.get(i) == group_of.get(j),
                         "stage1": i in alone and alone.get(i) == alone.get(j),
                         "base": float(vectors[i] @ vectors[j]) >= BASELINE_COSINE})
    return rows, unmatched


def decisions(split: str | None = None, edge: bool = True, rows: tuple[list[dict], int] | None = None):
    """Gold, samestory shared, baseline shared per judged pair of ``split`` (None: both halves; ``edge``:
    with the 0.60-0.70 cosine neighbours), and the unmatched count (of all judged pairs)."""
    rows, unmatched = rows if rows is not None else judged_rows()
    keep = [r for r in rows if (split is None or r["split"] == split) and (edge or r["pool"] != EDGE_POOL)]
    return [r["gold"] for r in keep], [r["ours"] for r in keep], [r["base"] for r in keep], unmatched


def _same_group(al, members: list[list[int]]) -> dict[int, int]:
    """Claim -> its first claim group, as ``align_claims`` orders them (a unique detail, which repeats
    its clause, is not an alignment)."""
    group_of: dict[int, int] = {}
    for g, m in enumerate(sorted(members, key=lambda m: min((al.infos[i].article_index, al.infos[i].claim.span.start)
                                                             for i in m))):
        for i in m:
            group_of.setdefault(i, g)
    return group_of


def threshold_sweep(split: str, model, thresholds) -> dict[float, dict]:
    """Precision/recall of "one claim group" on the judged pairs of ``split`` (edge included) with
    ``model``'s pair scores grouped at each threshold (what bench/train_aligner.py chooses by)."""
    from dataclasses import replace

    from samestory.compare import aligner, claims

    shipped = aligner.load_model
    try:
        aligner.load_model = lambda: model  # the scores of the model being trained
        stories = list(_stories(split))
        out = {}
        for t in thresholds:
            at_t = replace(model, threshold=float(t))
            aligner.load_model = lambda m=at_t: m
            gold, ours = [], []
            for _event, pairs, al in stories:
                contain = claims.text_signals(al.infos)["contain"]
                group_of = _same_group(al, claims._attach(claims._group(al.scores, al.infos), al.scores, al.infos, contain))
                for p, i, j in _matched(pairs, al.infos):
                    gold.append(p["same"])
                    ours.append(group_of.get(i) == group_of.get(j))
            out[float(t)] = prf(ours, gold)
        return out
    finally:
        aligner.load_model = shipped


def _matched(pairs, infos):
    """(pair, claim i, claim j) for every judged pair outside the check pool that still matches
    two different claims."""
    for p in pairs:
        if p["pool"] == CHECK_POOL:
            continue
        i, j = _best(infos, p["a"]), _best(infos, p["b"])
        if i is not None and j is not None and i != j:
            yield p, i, j


def pair_features(split: str, model=None) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """The aligner's scalar features, stage-1 logit and gold of every judged pair of ``split`` (the
    claims read by the embedder whatever the prefilter says), with each pair's story: what
    bench/train_aligner.py fits the recalibration on."""
    from samestory.compare import _nlp, aligner
    from samestory.compare.claims import text_signals

    feats, logits, gold, stories = [], [], [], []
    model = model or aligner.load_model()
    for event, pairs, al in _stories(split):
        texts = [ci.claim.text for ci in al.infos]
        emb = _nlp.encode(texts)
        f = aligner.pair_features([aligner.claim_terms(t) for t in texts], texts, emb, text_signals(al.infos)["lexical"])
        z = model.stage1_logits(f, emb)
        for p, i, j in _matched(pairs, al.infos):
            feats.append(f[:, i, j])
            logits.append(z[i, j])
            gold.append(p["same"])
            stories.append(event)
    return np.array(feats, dtype=np.float32), np.array(logits, dtype=np.float32), np.array(gold), stories


def prf(pred: list[bool], gold: list[bool]) -> dict:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"flagged": tp + fp, "precision": precision, "recall": recall, "f1": f1, "wrong": fp}


def main() -> None:
    t0, c0 = time.perf_counter(), time.process_time()
    rows, unmatched = judged_rows(stage1_also=True)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    stories = {r["split"]: set() for r in rows}
    for p in (json.loads(line) for line in open(JUDGED, encoding="utf-8")):
        stories[p["split"]].add(p["event"])

    def line(name: str, m: dict) -> str:
        return (f"| {name} | {m['flagged']} | {m['wrong']} | **{m['precision']:.3f}** | {m['recall']:.3f} | "
                f"{m['f1']:.3f} |")

    lines = [
        f"{len(rows)} judged claim pairs from {sum(len(v) for v in stories.values())} wikinews-events stories "
        f"({sum(r['gold'] for r in rows)} the same claim by reading; {unmatched} judged pairs no longer match two "
        "claims); bench/judged/wikinews_claim_pairs.jsonl. Tune half: the stories whose event id's SHA-1 is even "
        "(the aligner's recalibration and threshold are fitted there, bench/train_aligner.py); report half: the others.",
        "",
    ]
    views = (
        ("report half, every pool", lambda r: r["split"] == "report"),
        ("report half, without the 0.60-0.70 edge", lambda r: r["split"] == "report" and r["pool"] != EDGE_POOL),
        ("tune half, every pool", lambda r: r["split"] == "tune"),
        ("tune half, without the 0.60-0.70 edge", lambda r: r["split"] == "tune" and r["pool"] != EDGE_POOL),
        ("the first 126 pairs (10 stories, both halves; the figure before)", lambda r: r["pool"] == "first"),
        ("both halves, every pool", lambda r: True),
    )
    for title, keep in views:
        sel = [r for r in rows if keep(r)]
        gold = [r["gold"] for r in sel]
        lines += [
            f"**{title}** ({len(gold)} pairs, {sum(gold)} the same, {len({r['event'] for r in sel})} stories):",
            "",
            "| decision | shared | wrong | precision | recall (in the judged pool) | F1 |",
            "|---|---|---|---|---|---|",
            line("samestory: one claim group", prf([r["ours"] for r in sel], gold)),
            line("stage 1 alone (the MSRP-only scorer, as main)", prf([r["stage1"] for r in sel], gold)),
            line(f"baseline: MiniLM cosine >= {BASELINE_COSINE}", prf([r["base"] for r in sel], gold)),
            "",
        ]
    lines += [
        "Pools (the docstring): the pairs the aligner grouped when they were judged (main's, then the "
        "recalibrated aligner's top-up), each claim's nearest claim in another article by MiniLM cosine when it "
        "reached 0.70, and the nearest one at 0.60-0.70 (the edge). Recall here is recall of the pairs one of "
        "these proposed.",
        f"Time: {seconds:.0f} s wall, {cpu:.0f} s CPU (enrichment included); peak RSS {peak_rss_mb():.0f} MiB.",
    ]
    record("claim_pairs", lines)


if __name__ == "__main__":
    main()
