"""Waiting times a person sees: the first web story page, and a cold `compare` of two articles.

1. First story page: `samestory ingest examples/demo` (which compares the touched stories and
   stores their Coverage documents), then a fresh `samestory serve` process and one GET of the
   demo's main story page, timed from request to last byte. Baseline in the same run: the same
   with `ingest --no-compare`, so the first view compares (what every first view did before).
2. Cold compare: `samestory compare` of the two reference articles (../shared/seeds) in a fresh
   process, wall and CPU seconds (median of 3), beside `samestory --version` (interpreter and
   CLI start-up) for the fixed floor.

Target: under 4 s each on this machine. The machine is shared: the load average is printed,
and CPU seconds are the figure that does not depend on the neighbours.

    python bench/first_view.py
"""

from __future__ import annotations

import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import REPO, SHARED, need, record

PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(REPO / "src")}
CLI = [PY, "-c", "from samestory.cli import main; main()"]


def run(args: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(CLI + args, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_page(db: Path) -> float:
    import json

    port = free_port()
    server = subprocess.Popen(CLI + ["serve", "--db", str(db), "--port", str(port)], env=ENV,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/health", timeout=2).read()
                break
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.1)
        stories = json.loads(urllib.request.urlopen(f"{base}/stories.json", timeout=30).read())["stories"]
        main = max(stories, key=lambda s: s["sources"])
        start = time.perf_counter()
        urllib.request.urlopen(f"{base}/stories/{main['id']}", timeout=300).read()
        return time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    seeds = sorted(str(p) for p in need(SHARED / "seeds").glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="samestory-first-view-") as tmp:
        stored, bare = Path(tmp) / "stored.db", Path(tmp) / "bare.db"
        ingest_stored = run(["ingest", str(REPO / "examples" / "demo"), "--db", str(stored)])
        ingest_bare = run(["ingest", str(REPO / "examples" / "demo"), "--db", str(bare), "--no-compare"])
        page_stored = first_page(stored)
        page_bare = first_page(bare)
    version = [run(["--version"]) for _ in range(3)]
    compares = [run(["compare", *seeds, "--format", "md"]) for _ in range(3)]

    def med(pairs, k):
        return statistics.median(p[k] for p in pairs)

    load = os.getloadavg()[0]
    record("first_view", [
        f"load average (1 min) at the end: {load:.1f} on {os.cpu_count()} cores (shared machine: wall times grow with it)",
        "",
        "| what | wall s | CPU s |",
        "|---|---|---|",
        f"| first story page, Coverage stored at ingest (`samestory ingest`) | {page_stored:.2f} | (server) |",
        f"| first story page, baseline: compared on first view (`ingest --no-compare`) | {page_bare:.2f} | (server) |",
        f"| `ingest examples/demo` storing the documents | {ingest_stored[0]:.1f} | {ingest_stored[1]:.1f} |",
        f"| `ingest examples/demo --no-compare` | {ingest_bare[0]:.1f} | {ingest_bare[1]:.1f} |",
        f"| cold `compare` of the two seeds, median of 3 | {med(compares, 0):.2f} | {med(compares, 1):.2f} |",
        f"| `samestory --version` (start-up floor), median of 3 | {med(version, 0):.2f} | {med(version, 1):.2f} |",
        "",
        "Target < 4 s each. The first page meets it once ingest stores the document; the cold compare",
        "is bound by importing torch and spaCy, loading spaCy and enriching both articles.",
    ])


if __name__ == "__main__":
    main()
