"""Propose claim pairs of wikinews-events stories for judging by reading (bench/claim_pairs.py).

The pool rule of bench/judged/wikinews_claim_pairs.jsonl: every pair the aligner puts in one
group, plus each claim's nearest claim in another article by MiniLM cosine when that reaches
0.70, plus (to see the recall edge) the nearest one when it reaches 0.60. Stories: events of 3-6
articles from at least three outlets, not yet judged, in order of the SHA-1 of the event id.

Writes the candidate pairs WITH their texts to a file outside the repository (``--out``, default
/tmp), for a person to read; only ids, spans and the verdict go into bench/judged.

    .venv/bin/python bench/claim_pairs_pool.py --stories 12 --out /tmp/pool.jsonl
    .venv/bin/python bench/claim_pairs_pool.py --top-up --out /tmp/topup.jsonl   # after an aligner change

``--top-up`` proposes, in the stories already judged, the pairs the current aligner puts in one
group that no judged pair names (a pair judged by span matches exactly; a claim whose span moved
is proposed again), so that precision is not measured only on the pairs the old aligner chose.
Pairs judged from a top-up of the shipped scorer go in pool ``check`` (bench/train_aligner.py never
fits on them, so the shipped weights stay rebuildable from the file); earlier rounds, which the
scorer was refitted on, are pool ``top-up``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import defaultdict

import numpy as np

from _common import EVAL, need
from claim_pairs import JUDGED


def story_order(records: dict[str, list[dict]], judged: set[str]) -> list[str]:
    ok = [e for e, v in records.items()
          if 3 <= len(v) <= 6 and len({d["outlet"] for d in v}) >= 3 and e not in judged]
    return sorted(ok, key=lambda e: hashlib.sha1(e.encode()).hexdigest())


def main() -> None:
    from samestory.compare import _nlp
    from samestory.compare.claims import align_claims
    from samestory.enrich import enrich
    from samestory.models import Article

    ap = argparse.ArgumentParser()
    ap.add_argument("--stories", type=int, default=12)
    ap.add_argument("--out", default="/tmp/claim_pairs_pool.jsonl")
    ap.add_argument("--top-up", action="store_true",
                    help="the judged stories again: only the pairs the current aligner groups that no judged pair names")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(JUDGED, encoding="utf-8")]
    judged = {r["event"] for r in rows}
    named = {(tuple(r["a"]), tuple(r["b"])) for r in rows} | {(tuple(r["b"]), tuple(r["a"])) for r in rows}
    records: dict[str, list[dict]] = defaultdict(list)
    for line in open(need(EVAL / "wikinews-events" / "events.jsonl"), encoding="utf-8"):
        d = json.loads(line)
        records[d["event"]].append(d)
    with open(args.out, "w", encoding="utf-8") as out:
        events = sorted(judged) if args.top_up else story_order(records, judged)[: args.stories]
        for event in events:
            arts = enrich([Article(id=d["id"], outlet=d["outlet"], title=d["title"], text=d["text"][:6000])
                           for d in records[event]], embed=False)
            al = align_claims(arts)
            infos = al.infos
            vec = _nlp.encode([ci.claim.text for ci in infos])
            vec = vec / np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
            cos = vec @ vec.T
            art = np.array([ci.article_index for ci in infos])
            cos[art[:, None] == art[None, :]] = -1
            pairs: dict[tuple[int, int], str] = {}
            for group, members in zip(al.groups, al.members):
                if group.detail_of is None:
                    for x in members:
                        for y in members:
                            if x < y and art[x] != art[y]:
                                pairs.setdefault((x, y), "grouped")
            for i in range(len(infos) if not args.top_up else 0):
                j = int(np.argmax(cos[i])) if len(infos) > 1 else i
                if cos[i, j] >= 0.60:
                    pairs.setdefault((min(i, j), max(i, j)), "cos>=0.70" if cos[i, j] >= 0.70 else "cos0.60-0.70")
            for (i, j), why in sorted(pairs.items()):
                a, b = infos[i].claim, infos[j].claim
                if args.top_up and ((a.article_id, a.span.start, a.span.end), (b.article_id, b.span.start, b.span.end)) in named:
                    continue
                out.write(json.dumps({
                    "event": event, "why": why, "cos": round(float(cos[i, j]), 3),
                    "a": [a.article_id, a.span.start, a.span.end], "b": [b.article_id, b.span.start, b.span.end],
                    "ta": a.text, "tb": b.text}, ensure_ascii=False) + "\n")
            print(event, len(arts), "articles", len(pairs), "pairs", flush=True)


if __name__ == "__main__":
    main()
