"""Web latency on loopback: story-page p50/p99 and requests/s with concurrent clients.

Builds a store of at least 10k articles from ECB+ texts (../shared/eval/ecbplus; outlets and
ids varied so each copy is a distinct article, grouped ten to a story), compares a sample of
stories for real (enrich + compare, which fills the coverage cache, as a first visit would),
starts `samestory serve` in its own process and drives it with N concurrent clients for a fixed
time. Goal: p99 < 100 ms and zero errors with 50 clients for 30 s.

    python bench/web.py [--articles 10000] [--clients 50] [--seconds 30] [--stories 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import EVAL, REPO, need, record


def build_store(db: Path, n_articles: int, n_warm: int) -> list[str]:
    from samestory.enrich import enrich
    from samestory.models import Article, Story
    from samestory.store import Store
    from samestory.web.views import coverage_dict

    docs = [json.loads(line) for line in need(EVAL / "ecbplus" / "ecbplus.jsonl").open()]
    by_event: dict[str, list[dict]] = {}
    for d in docs:
        by_event.setdefault(str(d["event"]), []).append(d)
    events = [v for v in by_event.values() if len(v) >= 3]
    rng = random.Random(7)
    story_ids = []
    with Store(db) as store:
        made = 0
        round_no = 0
        while made < n_articles:
            with store.transaction():
                for ev_no, members in enumerate(events):
                    sid = f"s-bench-{round_no}-{ev_no}"
                    ids = []
                    for k, d in enumerate(members[:10]):
                        aid = f"a-{round_no}-{d['id']}"
                        store.upsert_article(Article(
                            id=aid, outlet=f"Outlet {rng.randrange(40)}", title=d.get("title") or d["text"][:60],
                            text=d["text"], published=d.get("published")))
                        store.assign(aid, sid)
                        ids.append(aid)
                        made += 1
                    store.save_story(Story(sid, members[0].get("title") or members[0]["text"][:60], tuple(ids),
                                           sources=len(ids), independent_sources=len(ids),
                                           last_published=members[0].get("published")))
                    story_ids.append(sid)
            round_no += 1
        warm = story_ids[:n_warm]
        t0 = time.perf_counter()
        for sid in warm:
            arts = enrich(store.get_articles(store.story_article_ids(sid)))
            with store.transaction():
                for a in arts:
                    store.upsert_article(a)
            coverage_dict(store, sid)
        cold = (time.perf_counter() - t0) / max(1, len(warm))
        total = store.count_articles()
    print(f"store: {total} articles, {len(story_ids)} stories; enrich+compare per warmed story {cold:.2f} s")
    return warm


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def load(base: str, paths: list[str], clients: int, seconds: float) -> tuple[list[float], int, int]:
    import httpx

    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:
        async def worker(k: int) -> None:
            nonlocal errors
            i = k
            while time.perf_counter() < deadline:
                t = time.perf_counter()
                try:
                    r = await client.get(paths[i % len(paths)])
                    if r.status_code != 200:
                        errors += 1
                except httpx.HTTPError:
                    errors += 1
                latencies.append((time.perf_counter() - t) * 1000)
                i += clients
        await asyncio.gather(*(worker(k) for k in range(clients)))
    return latencies, errors, len(latencies)


WRK_SCRIPT = """
paths = {%s}
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def _ms(value: str) -> float:
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    for unit in ("us", "ms", "s"):
        if value.endswith(unit):
            return float(value[: -len(unit)]) * units[unit]
    return float(value)


def load_wrk(base: str, paths: list[str], clients: int, seconds: float) -> tuple[dict, int, int]:
    """Drive the server with wrk (a C load generator: the client then costs little of the 2 cores)."""
    import re

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
        script = f.name
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "--latency", "-s", script, base],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    os.unlink(script)
    pct = {int(m.group(1)): _ms(m.group(2)) for m in re.finditer(r"^\s+(\d+)%\s+(\S+)", out, re.M)}
    n = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    return pct, errors, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--stories", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "web.db"
        warm = build_store(db, args.articles, args.stories)
        port = free_port()
        env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
        server = subprocess.Popen([sys.executable, "-m", "samestory.cli", "serve", "--db", str(db), "--port", str(port)],
                                  env=env, stderr=subprocess.DEVNULL)
        try:
            import httpx

            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    httpx.get(base + "/api/health", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            paths = [f"/stories/{sid}" for sid in warm]
            for p in paths:  # first view renders; the benchmark measures steady state
                httpx.get(base + p, timeout=30)
            rows = []
            if shutil.which("wrk"):
                client = "wrk (C, 2 threads)"
                pct, errors, n = load_wrk(base, paths, args.clients, args.seconds)
                p50, p99 = pct[50], pct[99]
                lpct, list_err, list_n = load_wrk(base, ["/stories"], 10, 5)
                rows.append(("stories list (10 clients, 5 s)", list_n, 5, lpct[50], lpct[99], list_err))
            else:
                client = "httpx async in Python (install wrk for a client that costs the server less CPU)"
                lat, errors, n = asyncio.run(load(base, paths, args.clients, args.seconds))
                q = statistics.quantiles(lat, n=100)
                p50, p99 = q[49], q[98]
                list_lat, list_err, list_n = asyncio.run(load(base, ["/stories"], 10, 5))
                lq = statistics.quantiles(list_lat, n=100)
                rows.append(("stories list (10 clients, 5 s)", list_n, 5, lq[49], lq[98], list_err))
            sizes = [len(httpx.get(base + p, timeout=30).content) for p in paths]
        finally:
            server.terminate()
            server.wait(10)
    record("web", [
        f"Store: {args.articles:,} articles from ECB+ texts; {len(warm)} story pages (median"
        f" {statistics.median(sizes) / 1024:.0f} KiB of HTML) served in rotation; {args.clients} concurrent clients"
        f" for {args.seconds:.0f} s on loopback; client: {client}; client and server share the 2 cores.",
        "",
        "| page | requests | req/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|",
        f"| story | {n} | {n / args.seconds:.0f} | {p50:.1f} | {p99:.1f} | {errors} |",
        *(f"| {name} | {k} | {k / secs:.0f} | {a:.1f} | {b:.1f} | {e} |" for name, k, secs, a, b, e in rows),
        "",
        f"Goal: story p99 < 100 ms and zero errors: {'met' if p99 < 100 and errors == 0 else 'NOT met'}.",
    ])


if __name__ == "__main__":
    main()
