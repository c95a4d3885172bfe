"""Shared helpers for benchmarks: where the eval data is, and how results are recorded.

Each benchmark prints its figures and records them in bench/RESULTS.md (one section per
benchmark, replaced on every run) with the machine and the date.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import re
import resource
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SAMESTORY_SHARED", REPO.parent / "shared"))
EVAL = SHARED / "eval"
RESULTS = REPO / "bench" / "RESULTS.md"

sys.path.insert(0, str(REPO / "src"))


def need(path: Path) -> Path:
    """Exit cleanly with a message when eval data is missing (the bench is then skipped)."""
    if not path.exists():
        print(f"SKIP: {path} not found (the eval data lives in ../shared/eval, beside the repo)")
        sys.exit(0)
    return path


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def record(name: str, lines: list[str]) -> None:
    """Print ``lines`` and store them as section ``name`` of bench/RESULTS.md."""
    body = "\n".join(lines)
    print(body)
    stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = f"## {name}\n_{stamp}; {machine()}_\n\n{body}\n"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\nWritten by `make bench`; each section by its own script.\n\n"
    pattern = re.compile(rf"^## {re.escape(name)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _m: section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text)
