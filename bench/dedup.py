"""Copy detection quality and speed: ECB+ texts plus programmatic copies at known rates.

Labelled set (built in memory from ../shared/eval/ecbplus/ecbplus.jsonl, never stored):
* every ECB+ document is an original (title = its first words, text = its first sentence + body,
  reflowed into paragraphs of three sentences). ECB+ puts two look-alike events in each topic,
  so documents of one topic are the hard negatives: distinct reports that must NOT be merged.
  A few ECB+ documents are the same text twice; those pairs are labelled copies (their 5-gram
  shingle sets are compared exactly, with Python sets, independently of the detector).
* copies of originals with >= 80 words, one transformation each, at known rates:
  exact-junk (typography, case, spacing, scraper lines), truncation (35-80% kept),
  paragraph-shuffle, junk-lines (2-5 ad/share/related/counter lines), words-swapped (3/6/10%),
  new-headline, partial-rewrite (25-40% of sentences edited), wire-rewrite (both carry a
  "(Wire Press) -" dateline; 40-50% of sentences rewritten, a local paragraph added),
  version (same outlet, same or similar title, a sentence added and one edited),
  and wire-credited-distinct (a dateline added to an original of the *other* event of the topic:
  same credit, different story: must not join the wire family).
* everything arrives in a random order (copies often before their originals: re-pointing).

Reported: per transformation recall (the copy ends in its original's group) and wrong merges;
pairwise precision/recall over all pairs; same-topic distinct pairs merged; canonical choice
(the original over an aggregator copy); on a dev half (odd topics) and a test half (even
topics). Then fingerprint + index throughput (1 and 2 processes) and memory per 100k articles on
synthetic articles (random ECB+ sentences, 20% near copies).

    .venv/bin/python bench/dedup.py            # default run (< 1 minute)
    .venv/bin/python bench/dedup.py --sweep    # threshold grid on the dev half
    .venv/bin/python bench/dedup.py --big      # throughput/memory at 100k articles
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import random
import re
import time
from collections import Counter, defaultdict

from _common import EVAL, need, record

from samestory.dedup import DedupConfig, DedupIndex, fingerprint_many
from samestory.dedup.lsh import candidate_probability
from samestory.models import Article, Removal

SEED = 20240
JUNK_LINES = ["ADVERTISEMENT", "Share this article", "Follow us on Twitter", "ARTICLE AD BOX",
              "Read more: {t}", "Related: {t}", "3 hours ago 12", "Sign up for our newsletter", "Advertisement"]
SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def sentences(text: str) -> list[str]:
    return [s for s in SENT.split(text.strip()) if s]


def paragraphs_of(sents: list[str]) -> list[str]:
    return [" ".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]


def load_docs() -> list[dict]:
    path = need(EVAL / "ecbplus" / "ecbplus.jsonl")
    docs = [json.loads(line) for line in path.open()]
    for d in docs:
        body = (d["title"] + " " + d["text"]).strip()
        d["sents"] = sentences(body)
        d["body"] = "\n\n".join(paragraphs_of(d["sents"]))
        d["headline"] = " ".join(d["title"].split()[:10])
        d["nwords"] = len(body.split())
    return docs


def shingles(text: str, k: int = 5) -> set:
    w = re.findall(r"\w+", text.lower())
    return {tuple(w[i : i + k]) for i in range(max(1, len(w) - k + 1))}


def true_groups(docs: list[dict]) -> tuple[dict[str, str], set[frozenset]]:
    """Original id -> label, and the ambiguous label pairs.

    ECB+ itself holds copies: some documents are the same wire story as carried by two sites,
    or one site's truncated copy of another's. Pairs of one topic are compared with exact
    5-gram shingle sets (Python sets, independent of the detector): Jaccard >= 0.5, or
    containment of the smaller in the larger >= 0.85 with at least 25 shingles, is a copy
    (same label); Jaccard >= 0.1 or containment >= 0.3 is ambiguous (partial reuse: such pairs
    are left out of every figure); anything less is a distinct report."""
    label = {d["id"]: d["id"] for d in docs}
    by_topic = defaultdict(list)
    for d in docs:
        by_topic[d["topic"]].append(d)
    ambiguous_pairs = []
    for ds in by_topic.values():
        sh = [shingles(d["body"]) for d in ds]
        for i in range(len(ds)):
            for j in range(i + 1, len(ds)):
                a, b = sh[i], sh[j]
                if not a or not b:
                    continue
                inter = len(a & b)
                jac = inter / len(a | b)
                cont = inter / min(len(a), len(b))
                if jac >= 0.5 or (cont >= 0.85 and min(len(a), len(b)) >= 25):
                    li, lj = label[ds[i]["id"]], label[ds[j]["id"]]
                    for k, v in label.items():
                        if v == lj:
                            label[k] = li
                elif jac >= 0.1 or cont >= 0.3:
                    ambiguous_pairs.append((ds[i]["id"], ds[j]["id"]))
    ambiguous = {frozenset((label[x], label[y])) for x, y in ambiguous_pairs if label[x] != label[y]}
    return label, ambiguous


# ---- transformations (rng-driven, rates recorded in the report) ----
def typo(text: str, rng: random.Random) -> str:
    text = text.replace('"', "\u201c", 1).replace("'", "\u2019").replace(" -- ", " \u2014 ")
    text = re.sub(r" ", lambda m: "  " if rng.random() < 0.05 else " ", text)
    return text.upper() if rng.random() < 0.2 else text


def swap_words(text: str, rate: float, vocab: list[str], rng: random.Random) -> str:
    words = text.split(" ")
    for i in range(len(words)):
        if rng.random() < rate:
            words[i] = rng.choice(vocab)
    return " ".join(words)


def rewrite_sentence(s: str, vocab: list[str], rng: random.Random) -> str:
    words = s.split()
    if len(words) > 6:
        cut = rng.randrange(2, len(words) - 2)
        words = words[cut:] + words[:cut]  # clause moved
    out = [w if rng.random() > 0.35 else rng.choice(vocab) for w in words]
    return " ".join(out)


def make_variant(d: dict, kind: str, vocab: list[str], others: list[dict], rng: random.Random) -> dict:
    paras = d["body"].split("\n\n")
    title = d["headline"]
    outlet = f"Copier {rng.randrange(1000)}"
    removed: tuple = ()
    url = None
    if kind == "exact-junk":
        text = typo(d["body"], rng) + "\n\nShare this article"
        removed = (Removal(0, 14, "ARTICLE AD BOX", "ad slot"),)
        outlet = "NewsBreak"
    elif kind == "truncation":
        words = d["body"].split(" ")
        keep = rng.uniform(0.35, 0.8)
        text = " ".join(words[: max(20, int(len(words) * keep))]) + "\n\nRead more"
        removed = (Removal(0, 13, "Read Entire Article", "read-more link"),)
        outlet = "NewsBreak"
    elif kind == "paragraph-shuffle":
        p = paras[:]
        while p == paras and len(p) > 1:
            rng.shuffle(p)
        text = "\n\n".join(p)
    elif kind == "junk-lines":
        p = paras[:]
        for _ in range(rng.randint(2, 5)):
            line = rng.choice(JUNK_LINES).format(t=rng.choice(others)["headline"])
            p.insert(rng.randrange(len(p) + 1), line)
        text = "\n\n".join(p)
        removed = (Removal(0, 14, "ARTICLE AD BOX", "ad slot"),)
        outlet = "NewsNow"
    elif kind.startswith("words-swapped"):
        rate = float(kind.split("-")[-1]) / 100
        text = swap_words(d["body"], rate, vocab, rng)
    elif kind == "new-headline":
        title = "Breaking: " + " ".join(rng.choice(others)["headline"].split()[:6])
        text = d["body"]
    elif kind == "partial-rewrite":
        sents = d["sents"][:]
        for i in rng.sample(range(len(sents)), max(1, int(len(sents) * rng.uniform(0.25, 0.4)))):
            sents[i] = rewrite_sentence(sents[i], vocab, rng)
        text = "\n\n".join(paragraphs_of(sents))
    elif kind == "version":
        sents = d["sents"][:]
        i = rng.randrange(len(sents))
        sents[i] = swap_words(sents[i], 0.3, vocab, rng)
        sents.insert(rng.randrange(len(sents) + 1), "Officials said the figures would be updated later on Tuesday.")
        text = "\n\n".join(paragraphs_of(sents))
        outlet = "ORIGINAL"  # replaced by the original's outlet below
        if rng.random() < 0.5:
            url = "SAME"
        else:
            title = title + " - update"
    else:
        raise ValueError(kind)
    return {"text": text, "title": title, "outlet": outlet, "removed": removed, "url": url}


def wire_pair(d: dict, vocab: list[str], rng: random.Random) -> tuple[str, str]:
    """The wire original (with dateline) and an outlet's rewrite of it (same dateline)."""
    dateline = "SPRINGFIELD (Wire Press) \u2014 "
    original = dateline + d["body"]
    sents = d["sents"][:]
    for i in rng.sample(range(len(sents)), max(1, int(len(sents) * rng.uniform(0.4, 0.5)))):
        sents[i] = rewrite_sentence(sents[i], vocab, rng)
    sents.insert(rng.randrange(len(sents) + 1),
                 "Local residents told this newspaper they had not been warned in advance.")
    return original, dateline + "\n\n".join(paragraphs_of(sents))


KINDS = ["exact-junk", "truncation", "paragraph-shuffle", "junk-lines", "words-swapped-3", "words-swapped-6",
         "words-swapped-10", "new-headline", "partial-rewrite", "version"]


def build(docs: list[dict], rng: random.Random):
    """Articles in arrival order; article id -> true label; id -> transformation; id -> base id;
    ambiguous label pairs."""
    label_of_doc, ambiguous = true_groups(docs)
    vocab = sorted({w for d in docs for w in d["body"].split()[:200] if w.isalpha()})
    by_topic = defaultdict(list)
    for d in docs:
        by_topic[d["topic"]].append(d)
    arts: list[Article] = []
    label: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    base_of: dict[str, str] = {}
    outlet_of = {}
    wire_docs = set()
    eligible = [d for d in docs if d["nwords"] >= 80]
    for d in rng.sample(eligible, len(eligible) // 6):
        wire_docs.add(d["id"])
    for d in docs:
        outlet = f"Outlet {d['id']}"
        outlet_of[d["id"]] = outlet
        text = d["body"]
        if d["id"] in wire_docs:
            text, rewrite = wire_pair(d, vocab, rng)
            rid = f"{d['id']}~wire-rewrite"
            arts.append(Article(id=rid, outlet=f"Rewriter {rng.randrange(1000)}", title=d["headline"], text=rewrite,
                                published=f"2020-01-02T{rng.randrange(24):02d}:00:00+00:00"))
            label[rid], kind_of[rid], base_of[rid] = label_of_doc[d["id"]], "wire-rewrite", d["id"]
        arts.append(Article(id=d["id"], outlet=outlet, title=d["headline"], text=text,
                            url=f"https://{d['id'].replace('_', '-')}.example/story",
                            published="2020-01-02T00:00:00+00:00"))
        label[d["id"]], kind_of[d["id"]], base_of[d["id"]] = label_of_doc[d["id"]], "original", d["id"]
    for n, d in enumerate(eligible):
        others = [o for o in by_topic[d["topic"]] if o["id"] != d["id"]] or docs
        kinds = rng.sample(KINDS, 3)
        for kind in kinds:
            v = make_variant(d, kind, vocab, others, rng)
            vid = f"{d['id']}~{kind}"
            outlet = outlet_of[d["id"]] if v["outlet"] == "ORIGINAL" else v["outlet"]
            url = f"https://{d['id'].replace('_', '-')}.example/story" if v["url"] == "SAME" else None
            arts.append(Article(id=vid, outlet=outlet, title=v["title"], text=v["text"], removed=v["removed"], url=url,
                                published=f"2020-01-02T{rng.randrange(1, 24):02d}:00:00+00:00"))
            label[vid], kind_of[vid], base_of[vid] = label_of_doc[d["id"]], kind, d["id"]
        # same wire credit, different story: the look-alike event's document with the dateline
        other_event = [o for o in by_topic[d["topic"]] if o["event"] != d["event"] and o["nwords"] >= 80]
        if d["id"] in wire_docs and other_event:
            o = rng.choice(other_event)
            cid = f"{o['id']}~wire-credited-distinct"
            if cid not in label:
                arts.append(Article(id=cid, outlet=f"Outlet {o['id']}b", title=o["headline"],
                                    text="SPRINGFIELD (Wire Press) \u2014 " + o["body"],
                                    published="2020-01-03T00:00:00+00:00"))
                label[cid], kind_of[cid], base_of[cid] = label_of_doc[o["id"]], "wire-credited-distinct", o["id"]
    rng.shuffle(arts)
    return arts, label, kind_of, base_of, ambiguous


def evaluate(arts, label, kind_of, base_of, ambiguous, topic_of, config: DedupConfig, topics: set[str]) -> dict:
    subset = [a for a in arts if topic_of[base_of[a.id]] in topics]
    index = DedupIndex(config)
    out = index.add_many(subset)
    root = {a.id: (index.link_of(a.id).canonical_id if index.link_of(a.id) else a.id) for a in out}
    kind_pred = {a.id: (index.link_of(a.id).kind if index.link_of(a.id) else None) for a in out}
    pred_groups = defaultdict(set)
    for aid, r in root.items():
        pred_groups[r].add(aid)
    true_sets = defaultdict(set)
    for a in subset:
        true_sets[label[a.id]].add(a.id)
    tp = 0
    pred_pairs = 0
    for g in pred_groups.values():
        c = Counter(label[x] for x in g)
        pred_pairs += len(g) * (len(g) - 1) // 2
        tp += sum(v * (v - 1) // 2 for v in c.values())
        # pairs across an ambiguous label pair are neither right nor wrong
        labels = list(c)
        for x in range(len(labels)):
            for y in range(x + 1, len(labels)):
                if frozenset((labels[x], labels[y])) in ambiguous:
                    pred_pairs -= c[labels[x]] * c[labels[y]]
    true_pairs = sum(len(s) * (len(s) - 1) // 2 for s in true_sets.values())
    per_kind = {}
    for kind in sorted(set(kind_of[a.id] for a in subset)):
        ids = [a.id for a in subset if kind_of[a.id] == kind]
        if kind == "original":
            continue
        same = sum(root[i] == root[base_of[i]] for i in ids)
        wrong = sum(any(label[x] != label[i] and frozenset((label[x], label[i])) not in ambiguous
                        for x in pred_groups[root[i]]) for i in ids)
        kinds = Counter(kind_pred[i] for i in ids)
        per_kind[kind] = {"n": len(ids), "joined": same, "wrong": wrong, "kinds": dict(kinds)}
    # hard negatives: distinct originals of one topic
    origs = [a.id for a in subset if kind_of[a.id] == "original"]
    by_topic = defaultdict(list)
    for i in origs:
        by_topic[topic_of[i]].append(i)
    neg_pairs = merged = 0
    for ids in by_topic.values():
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                if label[ids[x]] != label[ids[y]] and frozenset((label[ids[x]], label[ids[y]])) not in ambiguous:
                    neg_pairs += 1
                    merged += root[ids[x]] == root[ids[y]]
    # canonical choice: groups holding an original and an aggregator copy
    agg_groups = canon_ok = 0
    for r, g in pred_groups.items():
        if any(kind_of[x] in ("exact-junk", "truncation", "junk-lines") for x in g):
            origs_in = [x for x in g if kind_of[x] == "original"]
            if origs_in:
                agg_groups += 1
                canon_ok += r in origs_in
    # article level: an article whose true group already had a member when it arrived should
    # end up in a predicted group with a member of its true group
    seen_labels: set[str] = set()
    expect = found = 0
    for a in subset:
        if label[a.id] in seen_labels:
            expect += 1
            found += any(label[x] == label[a.id] for x in pred_groups[root[a.id]] if x != a.id)
        seen_labels.add(label[a.id])
    return {"articles": len(subset), "article_recall": found / expect if expect else 1.0, "pairs_tp": tp, "pred_pairs": pred_pairs, "true_pairs": true_pairs,
            "precision": tp / pred_pairs if pred_pairs else 1.0, "recall": tp / true_pairs if true_pairs else 1.0,
            "per_kind": per_kind, "neg_pairs": neg_pairs, "neg_merged": merged,
            "agg_groups": agg_groups, "canon_ok": canon_ok}


def synthetic(docs: list[dict], n: int, rng: random.Random) -> list[Article]:
    """n articles of 8-16 random ECB+ sentences; 20% are near copies (5% words swapped) of earlier ones."""
    pool = [s for d in docs for s in d["sents"] if len(s.split()) >= 6]
    vocab = sorted({w for s in pool[:5000] for w in s.split() if w.isalpha()})
    arts: list[Article] = []
    for i in range(n):
        if arts and rng.random() < 0.2:
            base = arts[rng.randrange(len(arts))]
            text = swap_words(base.text, 0.05, vocab, rng)
        else:
            sents = rng.sample(pool, rng.randint(8, 16))
            text = "\n\n".join(paragraphs_of(sents))
        arts.append(Article(id=f"s{i}", outlet=f"Outlet {i % 500}", title=f"Synthetic story {i}", text=text,
                            published=f"2021-01-01T{i % 24:02d}:00:00+00:00"))
    return arts


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process, and of its (finished) children."""
    t = os.times()
    return t.user + t.system, t.children_user + t.children_system


def throughput(arts: list[Article], processes: int, config: DedupConfig) -> dict:
    """Articles per second, wall clock and per CPU second (the machine is shared: the CPU
    figure does not depend on what else runs; wall clock does). ``bound2``: what 2 idle cores
    allow by the CPU seconds spent, n / max(CPU of the indexing process, all CPU / 2) (the
    indexing process is serial; the fingerprint workers share the cores with it)."""
    gc.collect()
    (m0, k0), t0 = _cpu(), time.perf_counter()
    fingerprint_many([a.text for a in arts], config.shingle, processes=processes)
    (m1, k1), t1 = _cpu(), time.perf_counter()
    index = DedupIndex(config, processes=processes)
    index.add_many(arts)
    (m2, k2), t2 = _cpu(), time.perf_counter()
    n = len(arts)
    main_cpu, all_cpu = m2 - m1, (m2 - m1) + (k2 - k1)
    return {"fp_wall": n / (t1 - t0), "fp_cpu": n / ((m1 - m0) + (k1 - k0)), "all_wall": n / (t2 - t1),
            "all_cpu": n / all_cpu, "main_share": main_cpu / all_cpu, "bound2": n / max(main_cpu, all_cpu / 2)}


def memory(arts: list[Article], config: DedupConfig) -> tuple[float, float]:
    """MB held by an index of ``arts`` (tracemalloc: Python objects and numpy buffers still
    allocated once it is built; RSS growth is unreliable here because memory freed by earlier
    runs in this process is reused), and MB in its numpy arrays."""
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    index = DedupIndex(config)
    for i in range(0, len(arts), 2000):
        index.add_many(arts[i : i + 2000])
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return held / 2**20, index.memory_bytes() / 2**20


def datasketch_lsh_cost(n: int, config: DedupConfig) -> tuple[float, float]:
    """Insert+query microseconds per article and MB per 100k for datasketch.MinHashLSH, same banding."""
    import numpy as np
    from datasketch import LeanMinHash, MinHashLSH

    vals = np.random.default_rng(1).integers(0, 2**32, size=(n, 128), dtype=np.uint64).astype(np.uint32)
    ms = [LeanMinHash(seed=1, hashvalues=v, scheme="affine32") for v in vals]
    gc.collect()
    before = rss_mb()
    lsh = MinHashLSH(num_perm=128, params=(config.bands, config.rows))
    t0 = time.perf_counter()
    for i, m in enumerate(ms):
        lsh.query(m)
        lsh.insert(i, m, check_duplication=False)
    t1 = time.perf_counter()
    return (t1 - t0) / n * 1e6, (rss_mb() - before) * 100_000 / n


def fmt_eval(name: str, r: dict) -> list[str]:
    lines = [f"{name}: {r['articles']} articles; article-level copy recall {r['article_recall']:.4f}; pairwise precision {r['precision']:.4f} recall {r['recall']:.4f} "
             f"({r['pairs_tp']} of {r['pred_pairs']} predicted pairs right, {r['true_pairs']} true pairs); "
             f"same-topic distinct originals merged: {r['neg_merged']} of {r['neg_pairs']} pairs; "
             f"canonical = original in {r['canon_ok']} of {r['agg_groups']} groups with an aggregator copy"]
    lines.append("")
    lines.append("| transformation | n | recall (in original's group) | wrong merges | kinds given |")
    lines.append("|---|---|---|---|---|")
    for kind, v in r["per_kind"].items():
        rec = v["joined"] / v["n"] if v["n"] else 0
        if kind == "wire-credited-distinct":
            rec_s = f"{rec:.3f} (must stay apart from the wire family: wrong merges is the figure)"
        else:
            rec_s = f"{rec:.3f}"
        kinds = ", ".join(f"{k or 'none'} {c}" for k, c in sorted(v["kinds"].items(), key=lambda x: -x[1]))
        lines.append(f"| {kind} | {v['n']} | {rec_s} | {v['wrong']} | {kinds} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sweep", action="store_true", help="threshold grid on the dev half (odd topics)")
    ap.add_argument("--big", action="store_true", help="throughput and memory at 100k articles")
    args = ap.parse_args()
    rng = random.Random(SEED)
    docs = load_docs()
    topic_of = {d["id"]: d["topic"] for d in docs}
    arts, label, kind_of, base_of, ambiguous = build(docs, rng)
    n_copy_docs = len(docs) - len(set(label[d["id"]] for d in docs))
    topics = {d["topic"] for d in docs}
    dev = {t for t in topics if int(t) % 2 == 1}
    test = topics - dev
    config = DedupConfig()
    if args.sweep:
        for shingle in (3, 4, 5):
            for near in (0.35, 0.4, 0.5):
                for wire in (0.15, 0.25):
                    cfg = dataclasses.replace(config, shingle=shingle, near=near, wire=wire)
                    r = evaluate(arts, label, kind_of, base_of, ambiguous, topic_of, cfg, dev)
                    rec = {k: round(v["joined"] / v["n"], 3) for k, v in r["per_kind"].items()}
                    wrong = sum(v["wrong"] for v in r["per_kind"].values())
                    print(f"k={shingle} near={near} wire={wire}: P {r['precision']:.4f} R {r['recall']:.4f} "
                          f"neg merged {r['neg_merged']}/{r['neg_pairs']} wrong {wrong} "
                          f"swap10 {rec['words-swapped-10']} rewrite {rec['partial-rewrite']} "
                          f"wire {rec['wire-rewrite']} trunc {rec['truncation']}", flush=True)
        return
    lines = [
        "Data: ECB+ (Cybulska & Vossen 2014; ../shared/eval/ecbplus), 982 documents as originals, "
        "plus programmatic copies (3 random transformations for each original of >= 80 words, wire pairs "
        f"for 1/6 of them); {len(arts)} articles in a shuffled arrival order (seed {SEED}).",
        f"Thresholds (DedupConfig): {dataclasses.asdict(config)}; MinHash num_perm 128 (datasketch affine32), "
        f"LSH {config.bands} bands x {config.rows} rows: P(candidate) at J=0.2/0.3/0.5 = "
        f"{candidate_probability(0.2, config.bands, config.rows):.3f}/"
        f"{candidate_probability(0.3, config.bands, config.rows):.3f}/"
        f"{candidate_probability(0.5, config.bands, config.rows):.3f}.",
        f"ECB+ itself holds copies: {n_copy_docs} documents copy another one (exact 5-gram Jaccard >= 0.5 or "
        f"containment >= 0.85); {len(ambiguous)} document pairs share some text (ambiguous, left out of the figures).",
        "Shingle size (3 of 3/4/5), `near` (0.4 of 0.35/0.4/0.5) and `wire` (0.25 of 0.15/0.25) were chosen on the "
        "dev half (odd topics, `--sweep`), taking the more conservative value where recall allowed; the other "
        "thresholds were set beforehand and not tuned; the test half (even topics) was not used for choosing.",
        "",
    ]
    for name, ts in (("dev (odd topics)", dev), ("test (even topics)", test), ("all", topics)):
        lines += fmt_eval(name, evaluate(arts, label, kind_of, base_of, ambiguous, topic_of, config, ts))
        lines.append("")
    # speed and memory
    n = 100_000 if args.big else 20_000
    srng = random.Random(SEED + 1)
    synth = synthetic(docs, n, srng)
    load = os.getloadavg()[0]
    one = throughput(synth, 1, config)
    two = throughput(synth, 2, config)
    load_end = os.getloadavg()[0]
    lines.append(f"Throughput on {n} synthetic articles (8-16 ECB+ sentences, 20% near copies; one `add_many` call), "
                 f"this 2-core machine shared with other jobs (load average {load:.1f} at the start, {load_end:.1f} "
                 f"at the end, so wall clock here is not what 2 idle cores give; the CPU-second figures are): "
                 f"fingerprint alone {one['fp_cpu']:,.0f} articles per CPU-second ({one['fp_wall']:,.0f}/s wall); "
                 f"fingerprint + index, 1 process: **{one['all_cpu']:,.0f} articles per CPU-second** "
                 f"({one['all_wall']:,.0f}/s wall); 2 fingerprint processes pipelined with the indexing process: "
                 f"{two['all_cpu']:,.0f} per CPU-second over all processes ({two['all_wall']:,.0f}/s wall; the indexing "
                 f"process spent {two['main_share']:.0%} of the CPU), so 2 idle cores allow up to "
                 f"{two['bound2']:,.0f}/s by the CPU seconds spent (n / max(indexing CPU, all CPU / 2); derived, "
                 f"not a wall-clock measurement). A single process on one idle core runs at about its per-CPU-second "
                 f"figure.")
    small = synth[: n // 5]
    d_small, np_small = memory(small, config)
    d_big, np_big = memory(synth, config)
    slope = (d_big - d_small) / (len(synth) - len(small)) * 100_000
    lines.append(f"Memory held by the index (tracemalloc: Python objects and numpy buffers alive once built): "
                 f"{d_small:.1f} MB at {len(small)} articles, {d_big:.1f} MB at {len(synth)}; "
                 f"slope {slope:.0f} MB per 100k articles (numpy arrays alone, with their doubling capacity: "
                 f"{np_big / len(synth) * 100_000:.0f} MB per 100k; the rest is per-article Python metadata and the "
                 f"dict indexes).")
    us, mb = datasketch_lsh_cost(10_000, config)
    lines.append(f"For reference, datasketch.MinHashLSH with the same banding: {us:.0f} us per query+insert, "
                 f"{mb:.0f} MB per 100k articles (measured at 10k); the compact BandLSH replaces it.")
    record("dedup", lines)


if __name__ == "__main__":
    main()
