"""Compare benchmark over ECB+ events with three or more articles.

Prints claims per story, the shares of shared / unique / conflicting claim groups, and
milliseconds per comparison (models loaded and articles enriched beforehand; the timing covers
``compare()`` alone), with 10-article stories reported on their own (goal: under 1 s).

    .venv/bin/python bench/compare.py            # 12 events spread over story sizes, 3 ten-article stories
    .venv/bin/python bench/compare.py --events 0 # all events

ECB+ (Cybulska & Vossen, LREC 2014): read from ../shared/eval/ecbplus, never copied.
"""

from __future__ import annotations

import argparse
import os
import json
import statistics
import time
from collections import defaultdict

from _common import EVAL, need, peak_rss_mb, record


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=12, help="events to compare (0: all)")
    ap.add_argument("--tens", type=int, default=5, help="extra 10-article stories to time")
    args = ap.parse_args()

    path = need(EVAL / "ecbplus" / "ecbplus.jsonl")
    from samestory.compare import compare
    from samestory.enrich import enrich
    from samestory.enrich.models import load_embedder, load_spacy
    from samestory.text.embed import embedding_precision
    from samestory.models import Article

    events: dict[str, list[dict]] = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            events[d["event"]].append(d)
    eligible = sorted((e for e, docs in events.items() if len(docs) >= 3), key=lambda e: (len(events[e]), e))
    # spread the sample over story sizes rather than taking only the smallest
    if args.events and args.events < len(eligible):
        step = len(eligible) / args.events
        chosen = [eligible[int(k * step)] for k in range(args.events)]
    else:
        chosen = eligible

    load_spacy(), load_embedder()  # models loaded before timing

    def articles_of(docs):
        # each ECB+ document is its own outlet: the corpus does not say which are copies
        arts = [Article(id=d["id"], outlet=f"doc {d['id']}", title=d.get("title") or "", text=d["text"],
                        published=d.get("published")) for d in docs]
        return enrich(arts, embed=False)

    load_start = os.getloadavg()[0]
    from samestory.compare import _nlp
    from samestory.compare.claims import align_claims

    rows = []
    for event in chosen:
        docs = events[event]
        arts = articles_of(docs)
        t0, c0 = time.perf_counter(), time.process_time()
        cov = compare(arts)
        ms = (time.perf_counter() - t0) * 1000
        cpu_ms = (time.process_time() - c0) * 1000
        n = len(cov.claims) or 1
        rows.append({
            "articles": len(arts), "groups": len(cov.claims), "ms": ms, "cpu_ms": cpu_ms,
            "claims": sum(len(g.evidence) for g in cov.claims),
            "shared": sum(g.status == "shared" for g in cov.claims) / n,
            "unique": sum(g.status == "unique" for g in cov.claims) / n,
            "conflicting": sum(g.status == "conflicting" for g in cov.claims) / n,
        })

    # 10-article stories: the first ten articles of the largest events
    tens, grown, read = [], [], []
    for event in sorted(eligible, key=lambda e: -len(events[e]))[: args.tens]:
        arts = articles_of(events[event][:11])
        if len(arts) < 11:
            continue
        t0, c0 = time.perf_counter(), time.process_time()
        compare(arts[:10])
        tens.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))
        embedded = align_claims(arts[:10]).embedded
        read.append(float(embedded.mean()) if embedded is not None else 1.0)
        # the story grows by one article (the web re-renders it): cached claims are not read again
        t0, c0 = time.perf_counter(), time.process_time()
        compare(arts[1:11])
        grown.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000))

    def mean(key):
        return statistics.mean(r[key] for r in rows)

    ms_sorted = sorted(r["ms"] for r in rows)
    lines = [
        f"ECB+ events with >= 3 articles: {len(eligible)}; compared: {len(rows)} "
        f"({sum(r['articles'] for r in rows)} articles, {min(r['articles'] for r in rows)}-{max(r['articles'] for r in rows)} per story)",
        "",
        "| measure | value |",
        "|---|---|",
        f"| claim groups per story (mean) | {mean('groups'):.1f} |",
        f"| claim evidence spans per story (mean) | {mean('claims'):.1f} |",
        f"| share shared | {mean('shared'):.3f} |",
        f"| share unique | {mean('unique'):.3f} |",
        f"| share conflicting | {mean('conflicting'):.3f} |",
        f"| ms per comparison (median / p90 / max) | {statistics.median(ms_sorted):.0f} / "
        f"{ms_sorted[int(0.9 * (len(ms_sorted) - 1))]:.0f} / {ms_sorted[-1]:.0f} |",
        f"| CPU ms per comparison (median; all threads) | {statistics.median(r['cpu_ms'] for r in rows):.0f} |",
        f"| ms per 10-article story, wall (mean of {len(tens)}; goal < 1000) | "
        f"{statistics.mean(t[0] for t in tens):.0f} (max {max(t[0] for t in tens):.0f}) |" if tens else "| 10-article stories | none |",
        f"| CPU ms per 10-article story (mean) | {statistics.mean(t[1] for t in tens):.0f} |" if tens else "| | |",
        f"| share of claims the model reads (prefilter; 10-article stories) | {statistics.mean(read):.2f} |" if read else "| | |",
        f"| 10-article story again, one article swapped (wall / CPU ms, mean) | "
        f"{statistics.mean(t[0] for t in grown):.0f} / {statistics.mean(t[1] for t in grown):.0f} |" if grown else "| | |",
        f"| torch threads for the encode at the end (load-dependent) | {_nlp.encode_threads()} |",
        f"| embedding precision (bench/embedding.py) | {embedding_precision()} |",
        f"| load average (1 min) at start / end | {load_start:.1f} / {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (machine shared) |",
        f"| peak RSS | {peak_rss_mb():.0f} MiB |",
        "",
        "Timing covers `compare()` on enriched articles (claims, embeddings, alignment, quotes, numbers, "
        "framing, omissions, summary); the embedding cache is per process, and each story's sentences are new to it "
        "except in the 'one article swapped' row (articles 2-11 after 1-10: nine articles' claims cached). "
        "The machine is shared: CPU ms is the steadier figure; wall ms depends on the load.",
    ]
    record("compare", lines)


if __name__ == "__main__":
    main()
