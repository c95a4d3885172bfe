"""Scale: the per-article work on the local engine and on Dask (1 and 2 workers), the cost of the
client-side stateful work at 1k / 10k / 100k stored articles, memory, and a 100k-record WARC read.

The full pipeline runs at a few to a few tens of articles per second on this 2-core machine (the
enrich stage, spaCy + the embedding model, is most of it), so 100k articles end to end cannot
run inside a benchmark. The work splits in two kinds, measured separately:

A. **Engine** (``--engine-articles``, default 128 synthetic articles, positions 0..N of the stream
   below): the stateless per-article phases (clean, enrich) run by the engine. Each engine runs
   (a) *phases only*: ``engine.map_ordered(clean_batch then enrich_batch)`` over batches of 32,
   nothing on the client; (b) *end to end*: ``Ingestor(store, engine=...).ingest([JSONL])`` into a
   fresh SQLite store (read, clean, boilerplate, dedup, enrich, cluster, store). Models are loaded
   before timing (one copy per worker). Figures: wall-clock articles/s; CPU seconds per article
   of the engine's processes (this process for ``local``; the workers for Dask) and of the
   client; peak RSS. The stories of the three end-to-end runs are compared (must be identical).
B. **Client state vs corpus size** (``--sizes``, default 1k and 10k stored articles, ``--big`` adds
   100k; probe of ``--probe`` = 128 new articles): a store is pre-populated with synthetic articles
   that come already enriched (text, sentence spans, entities = the substituted names, an
   embedding synthesised from real all-MiniLM-L6-v2 vectors of the ECB+ leads they were built
   from), written through the real client path (``Ingestor._prepare`` and ``_store_batch``:
   boilerplate miner, stored check, dedup, clusterer, one transaction per batch with the changed
   clusterer rows), so no model runs. Then a fresh process opens the store with ``Ingestor``
   (startup: the clusterer's open stories and term frequencies are read from their rows, the
   dedup index from saved fingerprints or the stored texts) and ingests the next ``--probe``
   articles of the stream with the real stages. Only the client-side steps are timed, in CPU
   seconds of the process (boilerplate + stored check + dedup before enrich, cluster + store +
   state rows after; the clean and enrich phases run untimed in between). Printed: client
   ms/article and its parts, startup, the client's RSS for the loaded state, database size.
   ``--table-from LOG`` prints the table again from a run's ``result:`` lines.
C. **WARC streaming** (``--warc-records``, default 100k): a gzipped WARC of small fictional
   HTML pages is written and read through ``samestory.ingest.read_inputs`` in a fresh process
   (reader only; then reader + clean on the first 500 records, since cleaning 100k would take
   an hour here); RSS is printed after 1k, 10k and all records.

D. **Store integrity** (``--integrity [N]``, its own section, default 10,000 articles): the B
   stream through the same client path with the tuned clusterer, counting after every 1,000
   articles the memberships whose story has no row or only an alias (a retired id) and the
   articles in no story (both must stay 0), with the merges and splits that happened.

Synthetic stream (never stored in the repository, built in memory from
../shared/eval/ecbplus/ecbplus.jsonl): synthetic event ``e`` takes one ECB+ gold event, a
number of articles (1-8, mean 3.5) and its own substitutes for every multi-word proper name
(invented first + last names) and number (same number of digits; years kept). Each of its
articles is the lead sentence of one of the gold event's documents, that document's title, and
6-12 sentences drawn at random from all the gold event's documents, in random order, with the
event's substitutes. So articles are distinct (two share about one sentence in ten: shingle
Jaccard ~0.05, far below the near-copy threshold 0.4, and dedup links almost none of them),
articles of one synthetic event share names and sentences, and events drawn from the same gold
event are look-alikes with different names. 1,000 articles per day of publication time; the
articles of 32 consecutive events arrive shuffled together.

    .venv/bin/python bench/scale.py                       # default: B at 1k and 10k stored articles
    .venv/bin/python bench/scale.py --big                 # B also at 100k (pre-population and the
                                                          #   Ingestor startup are O(stored): tens of minutes)
    .venv/bin/python bench/scale.py --quick               # a smaller look
    .venv/bin/python bench/scale.py --engine-articles 1000 --sizes 1000,10000,100000,300000
    .venv/bin/python bench/scale.py --skip engine,warc    # one part only
    .venv/bin/python bench/scale.py --skip state,warc --engine-texts ecb --engine-articles 256
                                                          # A on real ECB+ documents (news length)

Dask starts worker processes that import modules: all driver code is under ``__main__``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from pathlib import Path

from _common import EVAL, REPO, need, peak_rss_mb, record

ECB = EVAL / "ecbplus" / "ecbplus.jsonl"
BATCH = 32  # articles per batch in B and C (the CLI default)
ENGINE_BATCH = 16  # in A: 8 batches for 128 articles, so two workers both have work
SEED = 7
PER_DAY = 50

# ----------------------------------------------------------------- the synthetic stream

SENT = re.compile(r"(?<=[.!?])\s+(?=[\"'A-Z0-9])")
# a multi-word proper name, or a number
SLOT = re.compile(r"(\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b)|(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
YEAR = re.compile(r"^(19|20)\d\d$")
# invented names: syllables (written for this benchmark), ~100 million first + last combinations, so
# a name is about as rare in the stream as real names are
SYLLABLES = ["al", "bre", "cas", "dor", "el", "fen", "gar", "hal", "ive", "jor", "kes", "lin", "mar", "nor",
             "or", "pel", "quin", "ros", "sal", "tam", "ul", "ves", "wen", "yar", "zel", "bri", "cor", "dag",
             "eth", "fal", "gil", "hes", "isk", "jal", "kor", "lum", "mun", "nes", "osk", "pra"]
SIZES = (1, 1, 2, 2, 3, 3, 4, 5, 6, 8)  # articles per synthetic event (mean 3.5)
BLOCK = 32  # events whose articles arrive shuffled together


class _Values(dict):
    """The slot values of one synthetic event, made on first use (a ``str.format_map`` mapping)."""

    def __init__(self, slots: list[tuple[str, str]], event_key: int) -> None:
        super().__init__()
        self.slots = slots
        self.key = event_key

    def __missing__(self, field: str) -> str:
        s = int(field[1:])
        kind, orig = self.slots[s]
        h = zlib.crc32(f"{self.key}:{s}".encode()) * 2_654_435_761 % (1 << 61)
        if kind == "n":
            n = len(SYLLABLES)
            first = SYLLABLES[h % n] + SYLLABLES[h // n % n]
            last = SYLLABLES[h // n**2 % n] + SYLLABLES[h // n**3 % n] + SYLLABLES[h // n**4 % n]
            value = f"{first.capitalize()} {last.capitalize()}"
        else:
            digits = orig.replace(",", "").split(".")[0]
            lo = 10 ** (len(digits) - 1) if len(digits) > 1 else 2
            value = orig if YEAR.match(digits) else str(lo + h % (10 ** len(digits) - lo))
        self[field] = value
        return value


class _Gold:
    """One ECB+ gold event as templates: names and numbers are slots filled per synthetic event."""

    def __init__(self, docs: list[dict]) -> None:
        slots: dict[tuple[str, str], int] = {}

        def template(text: str) -> tuple[str, frozenset[int]]:
            names: set[int] = set()

            def slot(m: re.Match) -> str:
                k = ("n" if m.group(1) else "d", m.group())
                if k not in slots:
                    slots[k] = len(slots)
                if k[0] == "n":
                    names.add(slots[k])
                return "{s%d}" % slots[k]

            return SLOT.sub(slot, text.replace("{", "{{").replace("}", "}}")), frozenset(names)

        self.titles = [template(d["title"]) for d in docs]
        self.sents: list[tuple[int, str, frozenset[int]]] = []  # (document, template, name slots)
        self.leads: list[int] = []  # each document's first sentence
        for di, d in enumerate(docs):
            self.leads.append(len(self.sents))
            self.sents.extend((di, *template(s)) for s in d["sents"])
        self.slots = list(slots)


class SyntheticStream:
    """Articles ``0, 1, 2, ...`` of a deterministic synthetic news stream (see the module docstring)."""

    def __init__(self, path: Path, *, seed: int = SEED, per_day: int = PER_DAY, start: float = 1_700_000_000.0):
        groups: dict[str, list[dict]] = defaultdict(list)
        with open(path) as f:
            for line in f:
                d = json.loads(line)
                sents = [s.strip() for s in SENT.split(d["text"].strip()) if s.strip()]
                if len(sents) >= 2 and d["title"].strip():
                    groups[d["event"]].append({"title": d["title"].strip(), "sents": sents})
        self.docs = {g: docs for g, docs in sorted(groups.items()) if len(docs) >= 2}
        self.gold_ids = list(self.docs)
        self.gold = [_Gold(self.docs[g]) for g in self.gold_ids]
        self.seed, self.per_day, self.start = seed, per_day, start
        self.order = list(range(len(self.gold)))
        random.Random(seed).shuffle(self.order)

    def lead_texts(self) -> list[tuple[int, int, str]]:
        """(gold index, document index, title + first two sentences) of every source document."""
        return [(gi, di, f"{d['title']}. {' '.join(d['sents'][:2])}")
                for gi, g in enumerate(self.gold_ids) for di, d in enumerate(self.docs[g])]

    def event_articles(self, e: int) -> list[dict]:
        r = random.Random(self.seed * 1_000_003 + e)
        gi = self.order[e % len(self.order)]  # each source event recurs every len(gold) events
        g = self.gold[gi]
        k = min(r.choice(SIZES), len(g.titles))
        t_event = self.start + e * 86400.0 * (sum(SIZES) / len(SIZES)) / self.per_day
        vals = _Values(g.slots, self.seed * 1_000_003 + e)
        outlets = r.sample(range(150), k)
        first_doc = r.randrange(len(g.titles))
        out = []
        for j in range(k):
            di = (first_doc + j) % len(g.titles)
            lead = g.leads[di]
            picks = [lead] + [i for i in r.sample(range(len(g.sents)), min(len(g.sents), r.randint(7, 13)))
                              if i != lead][:12]
            title_t, names = g.titles[di]
            for i in picks:
                names = names | g.sents[i][2]
            out.append({
                "id": f"syn-{e:06d}-{j}", "event": e, "outlet": f"outlet-{outlets[j]:03d}",
                "title": title_t.format_map(vals), "sents": [g.sents[i][1].format_map(vals) for i in picks],
                "published": _iso(t_event + r.uniform(0, 12 * 3600)),
                "sources": (gi, [g.sents[i][0] for i in picks[:3]]),
                "names": sorted({vals[f"s{s}"] for s in names}),
            })
        return out

    def articles(self, start: int = 0, stop: int | None = None):
        """The articles at stream positions ``start <= i < stop``, in arrival order."""
        i, block = 0, 0
        while stop is None or i < stop:
            arts = [a for e in range(block * BLOCK, (block + 1) * BLOCK) for a in self.event_articles(e)]
            random.Random(self.seed * 7919 + block).shuffle(arts)
            block += 1
            for a in arts:
                if stop is not None and i >= stop:
                    return
                if i >= start:
                    yield a
                i += 1


def _iso(ts: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ts, tz=dt.timezone.utc).isoformat(timespec="seconds")


def body_of(a: dict) -> tuple[str, list[tuple[int, int]]]:
    """The article text (paragraphs of three sentences) and its sentence spans."""
    parts, spans, pos = [], [], 0
    for i, s in enumerate(a["sents"]):
        if i:
            sep = "\n\n" if i % 3 == 0 else " "
            parts.append(sep)
            pos += len(sep)
        parts.append(s)
        spans.append((pos, pos + len(s)))
        pos += len(s)
    return "".join(parts), spans


def text_of(a: dict) -> str:
    return a["text"] if "text" in a else body_of(a)[0]


def ecb_articles(n: int) -> list[dict]:
    """The first ``n`` ECB+ documents of 30 words or more as they are (real news length; ids,
    titles and texts only, each its own outlet), for section A with ``--engine-texts ecb``."""
    out = []
    with open(ECB, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            if len(d["text"].split()) >= 30:
                out.append({"id": d["id"], "outlet": f"doc {d['id']}", "title": d.get("title") or "",
                            "text": d["text"], "published": None})
            if len(out) == n:
                break
    return out


def raw_doc(a: dict):
    from samestory.models import RawDoc

    return RawDoc(source=f"synthetic#{a['id']}", kind="text", content=text_of(a), id=a["id"],
                  outlet=a["outlet"], title=a["title"], published=a["published"])


def write_jsonl(path: Path, arts) -> int:
    n = 0
    with open(path, "w") as f:
        for a in arts:
            f.write(json.dumps({"id": a["id"], "outlet": a["outlet"], "title": a["title"], "text": text_of(a),
                                "published": a["published"]}) + "\n")
            n += 1
    return n


# ----------------------------------------------------------------- process helpers (also run on workers)

def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def peak_rss() -> float:
    """Peak RSS in MiB of this process image (VmHWM: ru_maxrss survives exec, so a child started
    by a big parent would report the parent's size)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_now() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def phases(batch):
    """The per-article phases of one batch, back to back (what the engine runs, minus the client)."""
    from samestory.workflow import clean_batch, enrich_batch

    return enrich_batch(clean_batch(batch))


def warm() -> int:
    """Load the models of this process (a fictional two-sentence article)."""
    from samestory.models import RawDoc

    out = phases([RawDoc(source="warm-up", kind="text", title="Ferry resumes service",
                         content="The harbour ferry to Kelmoor resumed service on Monday, the operator said. "
                                 "\"We are glad to be back,\" captain Ines Morrow told passengers.")])
    return len(out)


def load() -> str:
    try:
        return "load average %.1f %.1f %.1f" % os.getloadavg()
    except OSError:
        return "load average unknown"


# ----------------------------------------------------------------- A. engines

def stories_of(db: Path) -> dict[str, list[str]]:
    from samestory.store import Store

    with Store(db) as store:
        return {s.id: sorted(s.article_ids) for s in store.stories()}


def run_engine(name: str, workers: int, raws: list, jsonl: Path, tmp: Path) -> dict:
    from samestory.scale.engine import DaskEngine, LocalEngine
    from samestory.store import Store
    from samestory.workflow import Ingestor

    n = len(raws)
    batches = [raws[i:i + ENGINE_BATCH] for i in range(0, n, ENGINE_BATCH)]
    t0 = time.perf_counter()
    engine = LocalEngine() if name == "local" else DaskEngine(workers=workers)
    try:
        if name == "local":
            warm()
            worker_cpu = lambda: cpu_seconds()  # noqa: E731 - the engine is this process
        else:
            addrs = list(engine.client.scheduler_info()["workers"])
            engine.client.gather([engine.client.submit(warm, workers=[a], pure=False) for a in addrs])
            worker_cpu = lambda: sum(engine.client.run(cpu_seconds).values())  # noqa: E731
        startup = time.perf_counter() - t0
        out: dict = {"engine": name if name == "local" else f"dask-{workers}", "startup_s": startup, "n": n}

        # (a) phases only
        w0, c0, t = worker_cpu(), cpu_seconds(), time.perf_counter()
        done = sum(len(b) for b in engine.map_ordered(phases, batches))
        wall = time.perf_counter() - t
        out["phases"] = {"wall_s": wall, "rate": done / wall, "engine_cpu": (worker_cpu() - w0) / done,
                         "client_cpu": (cpu_seconds() - c0) / done if name != "local" else 0.0}

        # (b) end to end
        db = tmp / f"e2e-{out['engine']}.db"
        w0, c0, t = worker_cpu(), cpu_seconds(), time.perf_counter()
        with Store(db) as store:
            report = Ingestor(store, engine=engine, batch_size=ENGINE_BATCH).ingest([str(jsonl)])
        wall = time.perf_counter() - t
        out["e2e"] = {"wall_s": wall, "rate": report.seen / wall, "added": report.added,
                      "duplicate": report.duplicate, "failed": report.failed,
                      "engine_cpu": (worker_cpu() - w0) / report.seen,
                      "client_cpu": (cpu_seconds() - c0) / report.seen if name != "local" else 0.0}
        if name == "local":
            out["rss_mb"] = {"client": peak_rss()}
        else:
            out["rss_mb"] = {"client": rss_now(),
                             "workers": sorted(engine.client.run(peak_rss).values())}
        out["db"] = str(db)
        return out
    finally:
        engine.close()


def engine_section(stream: SyntheticStream, n: int, tmp: Path, texts: str = "synthetic") -> tuple[list[str], dict]:
    arts = ecb_articles(n) if texts == "ecb" else list(stream.articles(0, n))
    words = sum(len(text_of(a).split()) for a in arts) / max(1, len(arts))
    raws = [raw_doc(a) for a in arts]
    jsonl = tmp / "engine.jsonl"
    write_jsonl(jsonl, arts)
    runs = []
    for name, workers in (("local", 0), ("dask", 1), ("dask", 2)):
        print(f"  engine {name} {workers or ''} ({load()}) ...", flush=True)
        runs.append(run_engine(name, workers, raws, jsonl, tmp))
    same = len({json.dumps(stories_of(Path(r["db"])), sort_keys=True) for r in runs}) == 1
    by = {r["engine"]: r for r in runs}
    lines = [
        f"### A. Engines: {len(arts)} {'ECB+ articles as published' if texts == 'ecb' else 'synthetic articles'}"
        f" ({words:.0f} words on average), batches of {ENGINE_BATCH}, models loaded before timing",
        "",
        "| engine | phases only: articles/s | engine CPU s/article | end to end: articles/s | engine CPU s/article"
        " | client CPU s/article | peak RSS MB (client; workers) |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        rss = r["rss_mb"]
        client_cpu = "(in engine)" if r["engine"] == "local" else f"{r['e2e']['client_cpu']:.4f}"
        mem = f"{rss['client']:.0f}" + (f"; {', '.join(f'{w:.0f}' for w in rss['workers'])}" if "workers" in rss else "")
        lines.append(f"| {r['engine']} | {r['phases']['rate']:.2f} | {r['phases']['engine_cpu']:.3f} | {r['e2e']['rate']:.2f}"
                     f" | {r['e2e']['engine_cpu']:.3f} | {client_cpu} | {mem} |")
    p1, p2 = by["dask-1"], by["dask-2"]
    lines += [
        "",
        f"- ratios, phases only: dask-2 / dask-1 = **{p2['phases']['rate'] / p1['phases']['rate']:.2f}x** (goal >= 1.7x);"
        f" dask-1 / local = {p1['phases']['rate'] / by['local']['phases']['rate']:.2f}x;"
        f" dask-2 / local = {p2['phases']['rate'] / by['local']['phases']['rate']:.2f}x",
        f"- ratios, end to end: dask-2 / dask-1 = **{p2['e2e']['rate'] / p1['e2e']['rate']:.2f}x**;"
        f" dask-1 / local = {p1['e2e']['rate'] / by['local']['e2e']['rate']:.2f}x;"
        f" dask-2 / local = {p2['e2e']['rate'] / by['local']['e2e']['rate']:.2f}x",
        f"- cores kept busy by the engine (engine CPU s / wall s), phases only: "
        + ", ".join(f"{r['engine']} {r['phases']['engine_cpu'] * n / r['phases']['wall_s']:.2f}" for r in runs),
        f"- end to end: {runs[0]['e2e']['added']} added, {runs[0]['e2e']['duplicate']} duplicates,"
        f" {runs[0]['e2e']['failed']} failed; stories identical across the three engines: **{'yes' if same else 'NO'}**",
        f"- startup (cluster + model loading) s: " + ", ".join(f"{r['engine']} {r['startup_s']:.1f}" for r in runs),
    ]
    return lines, by


# ----------------------------------------------------------------- B. client state vs corpus size

def lead_vectors(stream: SyntheticStream) -> dict[tuple[int, int], "object"]:
    """Real all-MiniLM-L6-v2 vectors of every source document's lead (cached in the temp dir)."""
    import hashlib

    import numpy as np

    leads = stream.lead_texts()
    key = hashlib.sha1("\n".join(t for _, _, t in leads).encode()).hexdigest()[:12]
    cache = Path(tempfile.gettempdir()) / f"samestory-bench-scale-leads-{key}.npy"
    if cache.exists():
        vecs = np.load(cache)
    else:
        from samestory.enrich.embed import embed_texts

        vecs = embed_texts([t for _, _, t in leads])
        np.save(cache, vecs)
    return {(gi, di): vecs[i] for i, (gi, di, _) in enumerate(leads)}


def synthetic_article(a: dict, leads: dict):
    """A stored-looking Article: text, sentence spans, PERSON entities for the names, an embedding
    near the real lead vectors of the documents its first sentences came from (per-event and
    per-article noise keep events and articles apart)."""
    import numpy as np

    from samestory.models import Article, Entity, Span

    text, spans = body_of(a)
    gi, docs = a["sources"]
    base = leads[(gi, docs[0])]  # the document whose title and lead sentence the article carries
    ev = np.random.default_rng(a["event"]).standard_normal(base.shape[0])
    art = np.random.default_rng(zlib.crc32(a["id"].encode())).standard_normal(base.shape[0])
    vec = 0.6 * base + 0.8 * ev / np.linalg.norm(ev) + 0.2 * art / np.linalg.norm(art)
    vec = (vec / np.linalg.norm(vec)).astype(np.float32)
    ents = []
    for name in a["names"]:
        mentions, at = [], text.find(name)
        while at >= 0:
            mentions.append(Span(at, at + len(name)))
            at = text.find(name, at + len(name))
        if mentions or name in a["title"]:
            ents.append(Entity(key=name.lower(), label="PERSON", name=name, mentions=tuple(mentions)))
    return Article(id=a["id"], outlet=a["outlet"], title=a["title"], text=text, published=a["published"],
                   language="en", source=f"synthetic#{a['id']}", raw_text=text,
                   sentences=tuple(Span(s, e) for s, e in spans), entities=tuple(ents), embedding=vec)


class Prepopulated:
    """One growing store, filled through the real client path (``Ingestor``: boilerplate miner,
    stored check, dedup, clusterer, one write transaction per batch) with synthetic articles that
    come already enriched, so no model runs (see ``synthetic_article``)."""

    def __init__(self, db: Path, stream: SyntheticStream, leads: dict) -> None:
        from samestory.store import Store
        from samestory.workflow import Ingestor

        self.store = Store(db)
        self.db = db
        self.stream = stream
        self.leads = leads
        self.ingestor = Ingestor(self.store, batch_size=BATCH)
        self.n = 0
        self.seconds = 0.0

    def grow(self, n: int, report_every: int = 5000) -> None:
        from samestory.workflow import IngestReport

        t = time.perf_counter()
        report = IngestReport()
        it = self.stream.articles(self.n, n)
        while self.n < n:
            arts = [synthetic_article(a, self.leads) for _, a in zip(range(min(BATCH, n - self.n)), it)]
            self.ingestor._store_batch(self.ingestor._prepare(arts, report), report)
            before, self.n = self.n, self.n + len(arts)
            if self.n // report_every != before // report_every or self.n == n:
                print(f"    {self.n} stored ({time.perf_counter() - t:.0f} s)", flush=True)
        self.seconds += time.perf_counter() - t

    def snapshot(self, path: Path) -> None:
        dst = sqlite3.connect(path)
        with dst:
            self.store.conn.backup(dst)
        dst.close()


def calibration_ms() -> float:
    """CPU ms of a fixed workload shaped like the client's (dicts, hashing, an SQLite insert and
    lookup, small numpy products), best of 3: this machine's speed varies by the minute, so each
    probe is also given relative to it."""
    import hashlib
    import sqlite3

    import numpy as np

    rng = np.random.default_rng(0)
    mat = rng.standard_normal((384, 400)).astype(np.float32)
    vec = rng.standard_normal(384).astype(np.float32)
    best = float("inf")
    for _ in range(3):
        t = time.process_time()
        counts: dict[str, int] = {}
        for i in range(40_000):
            key = hashlib.sha1(str(i % 5000).encode()).hexdigest()[:12]
            counts[key] = counts.get(key, 0) + 1
        con = sqlite3.connect(":memory:")
        con.execute("create table t (k text primary key, v integer)")
        con.executemany("insert into t values (?, ?)", counts.items())
        sum(con.execute("select v from t where k = ?", (k,)).fetchone()[0] for k in list(counts)[:2000])
        con.close()
        for _ in range(400):
            (mat.T @ vec).argmax()
        best = min(best, time.process_time() - t)
    return best * 1000


def child_probe(db: Path, start: int, probe: int, per_day: int, out: Path) -> None:
    """In a fresh process: open the store with Ingestor, ingest the next ``probe`` articles, time the
    client-side steps (clean and enrich run untimed in between, as an engine would run them)."""
    from samestory.store import Store
    from samestory.workflow import IngestReport, Ingestor, clean_batch, enrich_batch

    stream = SyntheticStream(ECB, per_day=per_day)
    with tempfile.TemporaryDirectory() as d, Store(Path(d) / "empty.db") as empty:
        Ingestor(empty)  # imports and empty state: the baseline for the state's memory
    import samestory.dedup as dedup_pkg

    rebuild = dedup_pkg.DedupIndex.from_articles
    dedup_load: dict = {}

    def timed_rebuild(*a, **k):  # the dedup index's share of startup time and memory
        r0, t0 = rss_now(), time.process_time()
        index = rebuild(*a, **k)
        dedup_load.update(s=time.process_time() - t0, rss_mb=rss_now() - r0)
        return index

    dedup_pkg.DedupIndex.from_articles = timed_rebuild
    base = rss_now()
    t = time.process_time()
    store = Store(db)
    ing = Ingestor(store, batch_size=BATCH)
    startup = time.process_time() - t
    state_rss = rss_now() - base
    timers: Counter = Counter()
    calls: Counter = Counter()

    def timed(obj, attr: str, key: str) -> None:
        f = getattr(obj, attr)

        def wrapper(*a, **k):
            t0 = time.process_time()
            try:
                return f(*a, **k)
            finally:
                timers[key] += time.process_time() - t0
                calls[key] += 1

        setattr(obj, attr, wrapper)

    for obj, attr, key in ((ing, "_apply_miner", "boilerplate"), (store, "has_article", "stored check"),
                           (ing.dedup, "add", "dedup"), (ing.clusterer, "assign", "cluster"),
                           (store, "upsert_article", "write articles"), (ing, "_save_story", "save stories"),
                           (store, "save_cluster_rows", "save cluster rows"), (store, "save_state", "save state (miner, header)")):
        timed(obj, attr, key)
    report = IngestReport()
    raws = [raw_doc(a) for a in stream.articles(start, start + probe)]
    calibration = [calibration_ms()]
    client = 0.0
    for i in range(0, len(raws), BATCH):
        cleaned = clean_batch(raws[i:i + BATCH])
        t0 = time.process_time()
        prepared = ing._prepare(cleaned, report)
        client += time.process_time() - t0
        enriched = enrich_batch(prepared)
        t0 = time.process_time()
        ing._store_batch(enriched, report)
        client += time.process_time() - t0
    calibration.append(calibration_ms())
    story_sizes = [len(store.story_article_ids(s)) for s in report.stories]
    in_memory = sum(st is not None for st in ing.clusterer.stories_)
    result = {
        "stored": start, "probe": len(raws), "startup_s": startup, "state_rss_mb": state_rss,
        "client_ms": 1000 * client / len(raws), "parts_ms": {k: 1000 * v / len(raws) for k, v in timers.items()},
        "added": report.added, "duplicate": report.duplicate, "failed": report.failed,
        "stories_touched_mean_size": sum(story_sizes) / max(1, len(story_sizes)),
        "open_stories": len(ing.clusterer.open_story_ids()), "stories": len(ing.clusterer.stories_),
        "in_memory_stories": in_memory, "dedup_startup_s": dedup_load.get("s", 0.0),
        "dedup_rss_mb": dedup_load.get("rss_mb", 0.0), "dedup_arrays_mb": ing.dedup.memory_bytes() / 2**20,
        "miner_state_kb": len(json.dumps(ing.miner.to_state())) / 1024,
        "peak_rss_mb": peak_rss(), "calibration_ms": sum(calibration) / len(calibration),
    }
    store.close()
    out.write_text(json.dumps(result))


def state_section(stream: SyntheticStream, sizes: list[int], probe: int, tmp: Path) -> tuple[list[str], list[dict]]:
    print("  lead vectors ...", flush=True)
    leads = lead_vectors(stream)
    pre = Prepopulated(tmp / "grow.db", stream, leads)
    results = []
    for size in sorted(sizes):
        print(f"  pre-populating {size} articles ({load()}) ...", flush=True)
        pre.grow(size)
        snap = tmp / f"probe-{size}.db"
        pre.snapshot(snap)
        db_mb = snap.stat().st_size / 2**20
        out = tmp / f"probe-{size}.json"
        print(f"  probe of {probe} articles on {size} stored ...", flush=True)
        subprocess.run([sys.executable, __file__, "--child-probe", str(snap), str(size), str(probe),
                        str(stream.per_day), str(out)],
                       check=True, cwd=REPO)
        r = json.loads(out.read_text())
        r["db_mb"] = db_mb
        r["prepopulate_s"] = pre.seconds
        results.append(r)
        print("  result:", json.dumps(r), flush=True)
        snap.unlink()
        for extra in (Path(f"{snap}-wal"), Path(f"{snap}-shm")):
            extra.unlink(missing_ok=True)
    pre.store.close()
    return state_lines(results, probe), results


def _relative(r: dict) -> float:
    return r["client_ms"] / r["calibration_ms"]


def state_lines(results: list[dict], probe: int) -> list[str]:
    """The section B table and notes from the probes' results (also: ``--table-from LOG``)."""
    keys = sorted({k for r in results for k in r["parts_ms"]},
                  key=lambda k: -max(r["parts_ms"].get(k, 0) for r in results))
    lines = [
        f"### B. Client-side stateful work vs stored articles (probe: the next {probe} articles, batches of {BATCH})",
        "",
        "CPU time of this process (`time.process_time`), not wall time: the machine is shared.",
        "",
        "| stored | client CPU ms/article | " + " | ".join(keys) + " | startup CPU s (dedup rebuild) | state RSS MB"
        " (dedup index) | open / in memory / all stories | mean size of touched stories | miner state KB | DB MB |",
        "|---" * (len(keys) + 8) + "|",
    ]
    for r in results:
        lines.append(
            f"| {r['stored']:,} | {r['client_ms']:.1f} | " + " | ".join(f"{r['parts_ms'].get(k, 0):.1f}" for k in keys)
            + f" | {r['startup_s']:.1f} ({r['dedup_startup_s']:.1f}) | {r['state_rss_mb']:.0f} ({r['dedup_rss_mb']:.0f})"
            f" | {r['open_stories']:,} / {r['in_memory_stories']:,} / {r['stories']:,}"
            f" | {r['stories_touched_mean_size']:.1f} | {r['miner_state_kb']:.0f} | {r['db_mb']:.0f} |")
    first, last = results[0], results[-1]
    grow = last["client_ms"] / first["client_ms"]
    # growth per 100k stored articles (the slope between the smallest and the largest store)
    per100k = ((last["state_rss_mb"] - first["state_rss_mb"]) * 100_000 / max(1, last["stored"] - first["stored"]))
    lines += [
        "",
        "- " + ", ".join(f"client CPU ms/article at {r['stored']:,} / at {first['stored']:,} stored:"
                         f" **{r['client_ms'] / first['client_ms']:.2f}x**" for r in results[1:])
        + " (flat would be ~1x)",
        "- the same in units of a fixed CPU workload timed in each probe process before and after it"
        " (`calibration_ms`: " + ", ".join(f"{r.get('calibration_ms', 0):.0f} ms at {r['stored']:,}" for r in results)
        + "; the machine's speed drifts): " + ", ".join(
            f"at {r['stored']:,} / at {first['stored']:,}: **{_relative(r) / _relative(first):.2f}x**" for r in results[1:])
        if all(r.get("calibration_ms") for r in results) else "- (no calibration in these results)",
        f"- client memory for the loaded state (RSS after `Ingestor(store)`, before any model is loaded): "
        + ", ".join(f"{r['state_rss_mb']:.0f} MB at {r['stored']:,}" for r in results)
        + f"; ratio {last['stored']:,} / {first['stored']:,}: **{last['state_rss_mb'] / max(first['state_rss_mb'], 1):.1f}x**"
        f" (growth: {per100k:.0f} MB per 100k stored); of which the dedup index rebuilt from the stored texts:"
        f" {last['dedup_rss_mb']:.0f} MB at {last['stored']:,}; peak RSS of the probe process incl. models:"
        f" {last['peak_rss_mb']:.0f} MB",
        f"- pre-population (synthetic enriched articles through `Ingestor`'s client path, no models) took"
        f" {last['prepopulate_s']:.0f} s for {last['stored']:,} articles (not part of any figure)",
        f"- probe outcome at {last['stored']:,}: {last['added']} added, {last['duplicate']} duplicates, {last['failed']} failed",
    ]
    return lines


# ----------------------------------------------------------------- C. WARC streaming

PAGE = ("<!DOCTYPE html><html><head><title>Harbour notice {i}</title><meta charset=\"utf-8\"></head><body>"
        "<nav><a href=\"/\">Home</a> | <a href=\"/notices\">Notices</a></nav><article><h1>Harbour notice {i}</h1>"
        "<p>The Kelmoor harbour office announced that berth {b} will close for repairs from {d} March.</p>"
        "<p>Skippers were asked to use the north quay; the office said work on notice {i} should take {w} days.</p>"
        "</article><footer>Kelmoor Harbour Office</footer></body></html>")


def child_warc(n: int, out: Path) -> None:
    """In a fresh process: write a gzipped WARC of ``n`` pages, then read it with ``read_inputs``."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from samestory.ingest import read_inputs
    from samestory.models import RawDoc

    path = out.with_suffix(".warc.gz")
    t = time.perf_counter()
    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        for i in range(n):
            body = PAGE.format(i=i, b=i % 40, d=i % 28 + 1, w=i % 9 + 2).encode()
            hh = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(f"http://harbour.test/notices/{i}", "response",
                                                payload=io.BytesIO(body), http_headers=hh))
    write_s = time.perf_counter() - t
    base = rss_now()
    marks = {}
    t = time.perf_counter()
    count = bad = 0
    for item in read_inputs([path]):
        count += 1
        bad += not isinstance(item, RawDoc)
        if count in (1_000, 10_000, 100_000, 1_000_000):
            marks[count] = rss_now()
    read_s = time.perf_counter() - t
    marks[count] = rss_now()
    reader_peak = peak_rss()
    # reader + clean (trafilatura extraction, junk removal) on the first records
    from samestory.workflow import clean_batch

    clean_n, cleaned, t = min(n, 500), 0, time.perf_counter()
    clean_base = rss_now()
    batch: list = []
    for item in read_inputs([path]):
        batch.append(item)
        if len(batch) == BATCH or cleaned + len(batch) == clean_n:
            cleaned += sum(1 for a in clean_batch(batch) if not hasattr(a, "reason"))
            batch = []
        if cleaned >= clean_n:
            break
    clean_s = time.perf_counter() - t
    out.write_text(json.dumps({"records": n, "read": count, "failures": bad, "write_s": write_s, "read_s": read_s,
                               "archive_mb": path.stat().st_size / 2**20,
                               "html_mb": n * len(PAGE) / 2**20, "base_rss_mb": base,
                               "rss_mb": marks, "peak_rss_mb": reader_peak, "clean_n": clean_n, "cleaned": cleaned,
                               "clean_s": clean_s, "clean_rss_growth_mb": rss_now() - clean_base}))
    path.unlink()


def warc_section(n: int, tmp: Path) -> list[str]:
    out = tmp / "warc.json"
    print(f"  WARC of {n} records ({load()}) ...", flush=True)
    subprocess.run([sys.executable, __file__, "--child-warc", str(n), str(out)], check=True, cwd=REPO)
    r = json.loads(out.read_text())
    marks = {int(k): v for k, v in r["rss_mb"].items()}
    first = min(marks)
    return [
        f"### C. Streaming a {r['records']:,}-record WARC.gz ({r['archive_mb']:.0f} MB compressed,"
        f" {r['html_mb']:.0f} MB of HTML) through `read_inputs` (reader only, fresh process)",
        "",
        f"- read {r['read']:,} RawDocs ({r['failures']} failures) in {r['read_s']:.1f} s:"
        f" {r['read'] / r['read_s']:.0f} records/s",
        "- RSS after N records: " + ", ".join(f"{k:,}: {v:.0f} MB" for k, v in sorted(marks.items()))
        + f" (before reading: {r['base_rss_mb']:.0f} MB); growth from {first:,} to {max(marks):,} records:"
        f" **{marks[max(marks)] - marks[first]:+.1f} MB**; peak RSS {r['peak_rss_mb']:.0f} MB",
        f"- reader + clean (`clean_batch`, batches of {BATCH}) on the first {r['clean_n']:,} records:"
        f" {r['cleaned']:,} articles, {r['clean_n'] / r['clean_s']:.0f} records/s, RSS growth"
        f" {r['clean_rss_growth_mb']:+.1f} MB (extraction libraries loaded on first use)",
    ]


# ----------------------------------------------------------------- main

# D's second clusterer: thresholds that make merges and splits frequent (the tuned stream has few
# look-alike halves, so hardly any split); tests/synthetic_stream.py uses the same ones
CHURN = dict(threshold=1.2, merge_threshold=1.5, small_merge_threshold=1.3, split_threshold=0.995,
             split_score_threshold=None)


def integrity_run(stream: SyntheticStream, leads: dict, n: int, tmp: Path, churn: bool) -> dict:
    """``n`` articles of the stream through the client path; after every 1,000 the memberships whose
    story has no row or only an alias (a retired id) and the articles in no story."""
    db = tmp / f"integrity-{'churn' if churn else 'tuned'}.db"
    pop = Prepopulated(db, stream, leads)
    if churn:
        from samestory.cluster import StoryClusterer
        from samestory.workflow import _StoreArchive

        pop.ingestor.clusterer = StoryClusterer(**CHURN)
        pop.ingestor.clusterer.archive = _StoreArchive(pop.store)
    conn = pop.store.conn
    worst = {"dangling": 0, "orphans": 0}
    t = time.perf_counter()
    while pop.n < n:
        pop.grow(min(n, pop.n + 1000))
        dangling = conn.execute(
            "SELECT count(*) FROM story_articles sa WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = sa.story_id)"
            " OR EXISTS (SELECT 1 FROM story_aliases al WHERE al.old_id = sa.story_id)").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS"
                               " (SELECT 1 FROM story_articles sa WHERE sa.article_id = a.id)").fetchone()[0]
        worst = {"dangling": max(worst["dangling"], dangling), "orphans": max(worst["orphans"], orphans)}
        print(f"    {pop.n}: dangling {dangling}, orphans {orphans}", flush=True)
    merges, splits = (conn.execute("SELECT count(*) FROM story_events WHERE kind = ?", (k,)).fetchone()[0]
                      for k in ("merge", "split"))
    try:
        from samestory.integrity import check_store

        verdict = "ok" if check_store(pop.store).ok else "BROKEN"
    except ImportError:  # a tree from before `samestory check`
        verdict = "n/a"
    out = dict(worst, merges=merges, splits=splits, stories=pop.store.count_stories(), verdict=verdict,
               seconds=time.perf_counter() - t, churn=churn)
    pop.store.close()
    print("  result:", json.dumps(out), flush=True)
    return out


def integrity_section(stream: SyntheticStream, n: int, tmp: Path, configs: list[str]) -> list[str]:
    """D. The membership invariant on ``n`` articles of the synthetic stream, per clusterer."""
    leads = lead_vectors(stream)
    lines = ["### D. Store integrity (every article in exactly one existing story)",
             f"{n:,} synthetic articles through the client path (batches of {BATCH}); dangling: memberships of a story "
             "that has no row or only an alias (a retired id), worst after any 1,000 articles; orphans: articles in no "
             "story. `churn`: thresholds that make merges and splits frequent (`CHURN` above).", "",
             "| clusterer | merges | splits | stories | dangling | orphans | `samestory check` | s |",
             "|---|---:|---:|---:|---:|---:|---|---:|"]
    for config in configs:
        r = integrity_run(stream, leads, n, tmp, config == "churn")
        lines.append(f"| {config} | {r['merges']} | {r['splits']} | {r['stories']:,} | **{r['dangling']}** | "
                     f"**{r['orphans']}** | {r['verdict']} | {r['seconds']:.0f} |")
    return lines + INTEGRITY_BASELINE


# measured once before the fix (issue 20), for comparison; not recomputed by this script
INTEGRITY_BASELINE = [
    "",
    "Before story ids were never given twice (main at 2a4cb63, this part run in its tree on the same stream): churn "
    "10,000: **124** dangling (51 merges, 302 splits, 2,854 story rows; 0 orphans). The real sets through "
    "`samestory ingest` (2026-12-02): ECB+ (982 lines, 921 stored; 34 merges, 6 splits) 3 dangling before, 0 after; "
    "WikiNews events (655, `published` flattened to its `$date`; 19 merges, 4 splits) 0 before.",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine-articles", type=int, default=128, help="articles for the engine runs (A)")
    ap.add_argument("--sizes", default="1000,10000", help="stored-article counts for B, comma-separated")
    ap.add_argument("--big", action="store_true", help="B at 1k, 10k and 100k stored articles (long: see the docstring)")
    ap.add_argument("--probe", type=int, default=128, help="new articles timed at each size (B)")
    ap.add_argument("--warc-records", type=int, default=100_000, help="records in the WARC (C)")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: engine, state, warc")
    ap.add_argument("--integrity", type=int, nargs="?", const=10_000, metavar="N",
                    help="only D: the membership invariant over N synthetic articles (default 10,000), own section")
    ap.add_argument("--integrity-configs", default="tuned,churn", help="D's clusterers: tuned, churn (comma-separated)")
    ap.add_argument("--engine-texts", choices=("synthetic", "ecb"), default="synthetic",
                    help="A on the synthetic stream, or on real ECB+ documents (recorded as its own section)")
    ap.add_argument("--quick", action="store_true", help="64 engine articles, sizes 1k and 10k, probe 64, 20k-record WARC")
    ap.add_argument("--per-day", type=int, default=PER_DAY, help="synthetic articles per day of publication time")
    ap.add_argument("--child-probe", nargs=5, metavar=("DB", "START", "N", "PER_DAY", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--child-warc", nargs=2, metavar=("N", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--table-from", metavar="LOG", help="print section B from the 'result:' lines of a run's output")
    args = ap.parse_args()
    if args.table_from:
        results = [json.loads(line.split("result:", 1)[1]) for line in open(args.table_from) if "  result: " in line]
        print("\n".join(state_lines(results, results[0]["probe"])))
        return
    if args.child_probe:
        db, start, n, per_day, out = args.child_probe
        child_probe(Path(db), int(start), int(n), int(per_day), Path(out))
        return
    if args.child_warc:
        child_warc(int(args.child_warc[0]), Path(args.child_warc[1]))
        return
    if args.big:
        args.sizes = "1000,10000,100000"
    if args.quick:
        args.engine_articles, args.sizes, args.probe, args.warc_records = 64, "1000,10000", 64, 20_000
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    need(ECB)
    stream = SyntheticStream(ECB, per_day=args.per_day)
    if args.integrity:
        with tempfile.TemporaryDirectory(prefix="samestory-scale-") as d:
            lines = integrity_section(stream, args.integrity, Path(d), args.integrity_configs.split(","))
        record("scale: store integrity", lines + ["", f"{load()} at the end."])
        return
    t_all = time.perf_counter()
    source = ("Synthetic variants of ECB+ texts (see the docstring of bench/scale.py)" if args.engine_texts == "synthetic"
              else "ECB+ documents as published (Cybulska & Vossen 2014; ../shared/eval/ecbplus), no dates")
    lines = [f"{source}; {load()} at the start"
             " (the machine is shared: wall-clock rates drop when others run, CPU seconds per article do not).", ""]
    with tempfile.TemporaryDirectory(prefix="samestory-scale-") as d:
        tmp = Path(d)
        if "engine" not in skip:
            print("A. engines", flush=True)
            part, _ = engine_section(stream, args.engine_articles, tmp, args.engine_texts)
            lines += part + [""]
        if "state" not in skip:
            print("B. client state vs corpus size", flush=True)
            sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
            part, _ = state_section(stream, sizes, args.probe, tmp)
            lines += part + [""]
        if "warc" not in skip:
            print("C. WARC streaming", flush=True)
            lines += warc_section(args.warc_records, tmp) + [""]
    lines.append(f"Total run: {time.perf_counter() - t_all:.0f} s; {load()} at the end; peak RSS of the driver"
                 f" {peak_rss_mb():.0f} MB.")
    record("scale" if args.engine_texts == "synthetic" else "scale A on ECB+ articles", lines)


if __name__ == "__main__":
    main()
