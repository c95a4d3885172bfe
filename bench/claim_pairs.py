"""Claim alignment on real stories: are two outlets' claims "shared" when they state the same thing?

MSRP and STS pairs (bench/claims.py) are sentence pairs picked for their word overlap; in real
multi-outlet stories paraphrases share fewer words ("has become YouTube's most-watched video of
all time" / "has just become the most watched video on YouTube ever"). This bench measures the
"shared" decision on such pairs.

Data: ../shared/eval/wikinews-events, 10 events of 3-6 articles from at least three outlets
(seeded shuffle, bench/judged/wikinews_claim_pairs.jsonl names them), the first 6,000 characters
of each article as the set gives them, enriched and aligned with ``compare.claims.align_claims``
as ``samestory compare`` does.

Judgments: bench/judged/wikinews_claim_pairs.jsonl, written by us by reading (no article text is
stored: each pair is its event, two claims' article ids and character spans, and the verdict).
The 126 pairs are every pair main put in one group on 2026-12-04 and every claim's closest claim
in another article by MiniLM cosine when that reached 0.70. Two claims are the same when the main
fact of one is stated by the other, its value possibly different ("197 killed" / "194 killed":
alignment must bring them together for the conflict check to see them); related facts about one
subject are not ("born in 2001" / "sent to Indonesia in 2007").

A judged pair is matched to the current claims by span overlap (each side to the claim of its
article that overlaps it most). Recall is over the judged same pairs, so it is recall within that
pool (pairs neither main nor a 0.70 cosine proposed are not in it). Baseline in the same run:
MiniLM cosine >= 0.607 (bench/claims.py's cut, best accuracy on MSRP train).

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


def decisions() -> tuple[list[bool], list[bool], list[bool], int]:
    """Per judged pair: gold, samestory shared, baseline shared; and the unmatched count."""
    from samestory.compare import _nlp
    from samestory.compare.claims import align_claims
    from samestory.enrich import enrich
    from samestory.models import Article

    judged = [json.loads(line) for line in open(JUDGED, encoding="utf-8")]
    by_event: dict[str, list[dict]] = defaultdict(list)
    for j in judged:
        by_event[j["event"]].append(j)
    records: dict[str, list[dict]] = defaultdict(list)
    for line in open(need(EVAL / "wikinews-events" / "events.jsonl"), encoding="utf-8"):
        d = json.loads(line)
        if d["event"] in by_event:
            records[d["event"]].append(d)
    gold, ours, base, unmatched = [], [], [], 0
    for event, pairs in by_event.items():
        arts = enrich([Article(id=d["id"], outlet=d["outlet"], title=d["title"], text=d["text"][:6000])
                       for d in records[event]], embed=False)
        al = align_claims(arts)
        group_of: dict[int, int] = {}
        for g, (group, members) in enumerate(zip(al.groups, al.members)):
            if group.detail_of is None:  # a unique detail repeats its clause: not an alignment
                for i in members:
                    group_of.setdefault(i, g)
        vectors = _nlp.encode([ci.claim.text for ci in al.infos])
        vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        for p in pairs:
            i, j = _best(al.infos, p["a"]), _best(al.infos, p["b"])
            if i is None or j is None or i == j:
                unmatched += 1
                continue
            gold.append(p["same"])
            ours.append(i in group_of and group_of.get(i) == group_of.get(j))
            base.append(float(vectors[i] @ vectors[j]) >= BASELINE_COSINE)
    return gold, ours, base, unmatched


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
    gold, ours, base, unmatched = decisions()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0

    def line(name: str, m: dict) -> str:
        return (f"| {name} | {m['flagged']} | {m['wrong']} | **{m['precision']:.3f}** | {m['recall']:.3f} | "
                f"{m['f1']:.3f} |")

    lines = [
        f"{len(gold)} judged claim pairs from 10 wikinews-events stories ({sum(gold)} the same claim by reading; "
        f"{unmatched} judged pairs no longer match two claims); bench/judged/wikinews_claim_pairs.jsonl.",
        "",
        "| decision | shared | wrong | precision | recall (in the judged pool) | F1 |",
        "|---|---|---|---|---|---|",
        line("samestory: one claim group", prf(ours, gold)),
        line(f"baseline: MiniLM cosine >= {BASELINE_COSINE}", prf(base, gold)),
        "",
        "The pool holds every pair samestory grouped and each claim's nearest claim by cosine when it "
        "reached 0.70, so recall here is recall of the pairs one of the two proposed.",
        f"Time: {seconds:.0f} s wall, {cpu:.0f} s CPU (enrichment included); peak RSS {peak_rss_mb():.0f} MiB.",
    ]
    record("claim_pairs", lines)


if __name__ == "__main__":
    main()
