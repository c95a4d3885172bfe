"""The clustering dev sets, written as the JSONL records a user would feed ``samestory cluster``.

Shared by bench/clustering.py and tests/test_cluster_gate.py. Records carry only what a feed
or an export carries (id, outlet, url, title, text, published): never the gold labels, which
come back separately. The files go to a temporary directory, never into the repository.
"""

from __future__ import annotations

import collections
import csv
import json
from pathlib import Path
from urllib.parse import urlsplit

ECB = Path("ecbplus") / "ecbplus.jsonl"
WIKINEWS = Path("wikinews-events") / "events.jsonl"
STORYCHAINS = Path("storychains")
_SC_TEXTS = "gedikli-business_energy_news_dataset-2021-06-29-article_texts.csv"
_SC_PAIRS = "story_pairs-2021-06-29-coder1-gedikli.csv"


def _write(path: Path, records: list[dict]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({k: v for k, v in r.items() if v not in (None, "")}, ensure_ascii=False) + "\n")
    return path


def ecb(eval_dir: Path, out: Path, *, titles_only: bool = False, topics=None) -> tuple[Path, dict]:
    """ECB+ (gold = ``event``); ``titles_only`` keeps the headline and date and drops the body.

    ECB+ names no outlet: records carry none (the clusterer then has no outlet evidence)."""
    records, gold = [], {}
    for line in (eval_dir / ECB).open(encoding="utf-8"):
        r = json.loads(line)
        if topics is not None and int(r["topic"]) not in topics:
            continue
        gold[r["id"]] = r["event"]
        rec = {"id": r["id"], "title": r["title"], "published": r.get("published")}
        if not titles_only:
            rec["text"] = r.get("text")
        records.append(rec)
    name = f"ecb-{'titles' if titles_only else 'full'}.jsonl"
    return _write(out / name, records), gold


def wikinews(eval_dir: Path, out: Path, *, dated: bool, events=None) -> tuple[Path, dict]:
    """wikinews-events (gold = ``event``). Its ``published`` is a MongoDB export
    (``{"$date": ISO}``) of the *crawl* time: written as the plain ISO string when ``dated``."""
    records, gold = [], {}
    for line in (eval_dir / WIKINEWS).open(encoding="utf-8"):
        r = json.loads(line)
        if events is not None and r["event"] not in events:
            continue
        gold[r["id"]] = r["event"]
        published = r["published"].get("$date") if dated and isinstance(r["published"], dict) else None
        records.append({"id": r["id"], "outlet": r["outlet"], "url": r["url"], "title": r["title"],
                        "text": r["text"], "published": published})
    return _write(out / f"wikinews-{'dated' if dated else 'undated'}.jsonl", records), gold


def storychains(eval_dir: Path, out: Path) -> tuple[Path, dict]:
    """storychains: 100 energy-business articles; gold = coder 1's same-story label of every pair,
    ``{(url1, url2): 0 or 1}``. The outlet is the paper's host."""
    base = eval_dir / STORYCHAINS
    records = []
    with (base / _SC_TEXTS).open(encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            host = urlsplit(r["paperurl"] or r["url"]).hostname or ""
            records.append({"id": r["url"], "url": r["url"], "outlet": host.removeprefix("www."),
                            "title": r["title"], "text": r["text"], "published": r["date"]})
    pairs = {}
    for line in (base / _SC_PAIRS).open(encoding="utf-8-sig"):
        parts = line.strip().split(";")
        if len(parts) == 3:
            pairs[(parts[0], parts[1])] = int(parts[2])
    return _write(out / "storychains.jsonl", records), pairs


def bcubed(pred: dict, gold: dict) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of predicted against gold clusters (article -> cluster)."""
    pc, gc = collections.defaultdict(set), collections.defaultdict(set)
    for a in gold:
        pc[pred[a]].add(a)
        gc[gold[a]].add(a)
    p = sum(len(pc[pred[a]] & gc[gold[a]]) / len(pc[pred[a]]) for a in gold) / len(gold)
    r = sum(len(pc[pred[a]] & gc[gold[a]]) / len(gc[gold[a]]) for a in gold) / len(gold)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0
