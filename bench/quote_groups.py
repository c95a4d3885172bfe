"""Cross-outlet quote groups on real stories: are "wording differs" and "speaker differs" right?

Data: ../shared/eval/wikinews-events (real multi-outlet events; the first 6,000 characters of each
article, events with 2-8 articles from at least two outlets), enriched and grouped with
``compare.quotes.group_quotes`` as ``samestory compare`` does. The texts are taken as the set
gives them (already extracted), not through ingest's cleaning: the judged spans are offsets into
those texts, and order does not matter here (each story is compared on its own).

Judgments: bench/judged/wikinews_quote_groups.jsonl, written by us by reading the articles (no
article text is stored: each judged group is its event, its variants' article ids and character
spans, the verdict and a reason in our words). A wording difference is real when the outlets
quote different words inside the stretch they both quote; spelling (UK/US, transliterated names),
number and date formats, an editor's bracketed insertion, an elision marked with an ellipsis and a
longer or shorter extent are not. A speaker difference is real when the outlets attribute the same
words to two different people. The 51 judged groups are every group main flagged on 2026-12-03
(37 wording, 19 speaker; 5 both).

A flagged group is scored against the judged group that shares at least two variants with it
(same article, overlapping spans); a flagged group with no judged counterpart is counted as not
judged (read and add it). Recall is over the judged real differences.

Baselines in the same run, over the same groups: wording differs when two variants' normalized
words differ at all (``normalize_quote``); speaker differs when two variants give different
speaker strings.

Speakers: bench/judged/wikinews_quote_speakers.jsonl holds the speaker, by reading, of every
variant of 40 multi-outlet groups drawn with a seeded shuffle (seed 18) from main's groups on
2026-12-04 (87 quotes; no speaker where none is stated: a report's title, a ballot's words, an
anonymous edit). The quote samestory gives at a judged span (most overlap, same article) is
"right" when its speaker contains one of the judged accepted names and none of the rejected ones
(or both have none), "named wrong" when it is an entity of the article other than the speaker,
"unnamed" when it is none, a pronoun or a common noun ("the centre", "judges"). The speaker fixes of 2026-12-04 after the sample was
drawn (appositions inside the subject, a named co-subject) read its misses: it is tune data. Baseline: the nearest PERSON mention in the
quote's sentence, else before it in its paragraph (bench/quotes.py's speaker baseline).

    .venv/bin/python bench/quote_groups.py
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

from _common import EVAL, REPO, need, peak_rss_mb, record

JUDGED = REPO / "bench" / "judged" / "wikinews_quote_groups.jsonl"
SPEAKERS = REPO / "bench" / "judged" / "wikinews_quote_speakers.jsonl"


def events() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for line in open(need(EVAL / "wikinews-events" / "events.jsonl"), encoding="utf-8"):
        d = json.loads(line)
        out[d["event"]].append(d)
    return {e: ds for e, ds in out.items() if len({d["outlet"] for d in ds}) >= 2 and len(ds) <= 8}


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def _judged_for(variants: list[tuple], judged: list[dict]) -> dict | None:
    for j in judged:
        if sum(any(_overlap(v, tuple(w)) for w in j["variants"]) for v in variants) >= 2:
            return j
    return None


def score(flags: list[tuple[list[tuple], bool]], judged: list[dict], key: str) -> dict:
    """Precision over the flagged groups that were judged; recall over the judged real differences."""
    pool = [j for j in judged if key in j]
    true_pos = judged_flagged = unjudged = 0
    found: set[int] = set()
    for variants, flagged in flags:
        if not flagged:
            continue
        j = _judged_for(variants, pool)
        if j is None:
            unjudged += 1
            continue
        judged_flagged += 1
        if j[key]:
            true_pos += 1
            found.add(id(j))
    real = [j for j in pool if j[key]]
    return {
        "flagged": judged_flagged + unjudged, "judged": judged_flagged, "unjudged": unjudged, "right": true_pos,
        "precision": true_pos / judged_flagged if judged_flagged else float("nan"),
        "recall": len(found) / len(real) if real else float("nan"), "real": len(real),
    }


def judgments() -> list[dict]:
    return [json.loads(line) for line in open(JUDGED, encoding="utf-8")]


def speaker_outcome(speaker: str | None, named: bool, judged: dict) -> str:
    """right / named wrong / unnamed, for one predicted speaker (``named``: tied to an entity the
    article names) against one judged quote."""
    said = " ".join((speaker or "").casefold().split())
    if said and any(r in said for r in judged.get("reject", ())):
        return "named wrong" if named else "unnamed"
    if judged["speaker"] is not None and said and any(a in said for a in judged["accept"]):
        return "right"
    if judged["speaker"] is None and not said:
        return "right"
    return "named wrong" if said and named else "unnamed"


def speakers(articles: dict) -> dict[str, dict[str, int]]:
    """Outcome counts over the judged speakers, samestory's and the baseline's."""
    import quotes as bench_quotes

    counts = {"samestory": defaultdict(int), "baseline": defaultdict(int)}
    for line in open(SPEAKERS, encoding="utf-8"):
        j = json.loads(line)
        art = articles[j["article"]]
        best, most = None, 0
        for q in art.quotes:
            o = min(j["end"], q.span.end) - max(j["start"], q.span.start)
            if o > most:
                best, most = q, o
        base = bench_quotes.baseline_speaker(best, art) if best is not None else None
        counts["samestory"][speaker_outcome(best and best.speaker, bool(best and best.speaker_key), j)] += 1
        counts["baseline"][speaker_outcome(base and base.speaker, bool(base and base.speaker_key), j)] += 1
    return counts


def flags(only: set[str] | None = None, keep: dict | None = None) -> dict[str, list[tuple[list[tuple], bool]]]:
    """Each multi-outlet quote group's variants and flags, samestory's and the baselines', over
    every event (or the events in ``only``); ``keep`` collects the enriched articles by id."""
    from samestory.compare.quotes import group_quotes, normalize_quote
    from samestory.enrich import enrich
    from samestory.models import Article

    out: dict[str, list] = {"ours_w": [], "ours_s": [], "base_w": [], "base_s": []}
    for e, ds in sorted(events().items()):
        if only is not None and e not in only:
            continue
        arts = enrich([Article(id=d["id"], outlet=d["outlet"], title=d.get("title") or "", text=d["text"][:6000])
                       for d in ds], embed=False)
        if keep is not None:
            keep.update((a.id, a) for a in arts)
        for g in group_quotes(arts):
            if len(g.outlets) < 2:
                continue
            variants = [(v.evidence.article_id, v.evidence.start, v.evidence.end) for v in g.variants]
            out["ours_w"].append((variants, g.wording_differs))
            out["ours_s"].append((variants, g.speaker_differs))
            out["base_w"].append((variants, len({normalize_quote(v.wording) for v in g.variants}) > 1))
            out["base_s"].append((variants, len({v.speaker for v in g.variants if v.speaker}) > 1))
    return out


def speaker_lines(counts: dict[str, dict[str, int]]) -> list[str]:
    total = sum(counts["samestory"].values())
    out = [f"Speakers of {total} judged quotes in cross-outlet groups (bench/judged/wikinews_quote_speakers.jsonl):", "",
           "| speaker | right | named wrong | unnamed | accuracy | named speakers wrong |", "|---|---|---|---|---|---|"]
    for who, c in counts.items():
        named = c["right"] + c["named wrong"]
        label = "samestory" if who == "samestory" else "baseline: nearest PERSON in the sentence or paragraph"
        out.append(f"| {label} | {c['right']} | {c['named wrong']} | {c['unnamed']} | **{c['right'] / total:.3f}** | "
                   f"{c['named wrong'] / max(named, 1):.3f} |")
    return out


def main() -> None:
    judged = judgments()
    t0, c0 = time.perf_counter(), time.process_time()
    articles: dict = {}
    f = flags(keep=articles)
    ours_w, ours_s, base_w, base_s = f["ours_w"], f["ours_s"], f["base_w"], f["base_s"]
    groups = len(ours_w)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0

    def line(name: str, m: dict) -> str:
        return (f"| {name} | {m['flagged']} | {m['judged']} | {m['unjudged']} | {m['right']} | "
                f"**{m['precision']:.3f}** | {m['recall']:.3f} ({m['real']} real) |")

    lines = [
        f"{groups} quote groups carried by two or more outlets in {len(events())} wikinews-events stories; "
        f"{len(judged)} judged groups (bench/judged/wikinews_quote_groups.jsonl).",
        "",
        "| finding | flagged | judged | not judged | right | precision | recall |",
        "|---|---|---|---|---|---|---|",
        line("wording differs: samestory", score(ours_w, judged, "wording_differs")),
        line("wording differs: baseline (normalized words differ)", score(base_w, judged, "wording_differs")),
        line("speaker differs: samestory", score(ours_s, judged, "speaker_differs")),
        line("speaker differs: baseline (speaker strings differ)", score(base_s, judged, "speaker_differs")),
        "",
        "Target (issue 18): precision >= 0.9 for both. The judged speaker groups hold no real speaker "
        "difference (every one was an extraction error, an alias or an organisation), so its recall is not defined here.",
        "",
        *speaker_lines(speakers(articles)),
        "",
        f"Time: {seconds:.0f} s wall, {cpu:.0f} s CPU (enrichment included); peak RSS {peak_rss_mb():.0f} MiB.",
    ]
    record("quote_groups", lines)


if __name__ == "__main__":
    main()
