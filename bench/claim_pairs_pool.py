"""Propose claim pairs of wikinews-events stories for judging by reading (bench/claim_pairs.py).

The pool rule of bench/judged/wikinews_claim_pairs.jsonl: every pair the aligner puts in one
group, plus each claim's nearest claim in another article by MiniLM cosine when that reaches
0.70, plus (to see the recall edge) the nearest one when it reaches 0.60. Stories: events of 3-6
articles from at least three outlets, not yet judged, in order of the SHA-1 of the event id.

Writes the candidate pairs WITH their texts to a file outside the repository (``--out``, default
/tmp), for a person to read; only ids, spans and the verdict go into bench/judged.

    .venv/bin/python bench/claim_pairs_pool.py --stories 12 --out /tmp/pool.jsonl
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
    args = ap.parse_args()
    judged = {json.loads(line)["event"] for line in open(JUDGED, encoding="utf-8")}
    records: dict[str, list[dict]] = defaultdict(list)
    for line in open(need(EVAL / "wikinews-events" / "events.jsonl"), encoding="utf-8"):
        d = json.loads(line)
        records[d["event"]].append(d)
    with open(args.out, "w", encoding="utf-8") as out:
        for event in story_order(records, judged)[: args.stories]:
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
            for i in range(len(infos)):
                j = int(np.argmax(cos[i])) if len(infos) > 1 else i
                if cos[i, j] >= 0.60:
                    pairs.setdefault((min(i, j), max(i, j)), "cos>=0.70" if cos[i, j] >= 0.70 else "cos0.60-0.70")
            for (i, j), why in sorted(pairs.items()):
                a, b = infos[i].claim, infos[j].claim
                out.write(json.dumps({
                    "event": event, "why": why, "cos": round(float(cos[i, j]), 3),
                    "a": [a.article_id, a.span.start, a.span.end], "b": [b.article_id, b.span.start, b.span.end],
                    "ta": a.text, "tb": b.text}, ensure_ascii=False) + "\n")
            print(event, len(arts), "articles", len(pairs), "pairs", flush=True)


if __name__ == "__main__":
    main()
