"""Fuzz every parser samestory runs on untrusted input, for a fixed time per target.

    .venv/bin/python bench/fuzz.py                      # 60 s per target (hypothesis)
    .venv/bin/python bench/fuzz.py --seconds 600        # the 10-minute run per target
    .venv/bin/python bench/fuzz.py --only jsonl warc    # some targets (other rows in RESULTS.md kept)
    .venv/bin/python bench/fuzz.py --seconds 600 --jobs 2   # two targets at a time, each in a child process
    .venv/bin/python bench/fuzz.py --engine atheris     # coverage-guided, when atheris is installed

atheris is not a project dependency (hypothesis is). It has a manylinux wheel for CPython 3.11
(``pip install atheris==2.3.0``); only samestory's own modules are instrumented. On this machine
it ran the gunzip target at ~1,800 inputs/s against ~50/s for hypothesis.

Targets: text reader, HTML reader + extraction + clean, JSONL, RSS/Atom feeds, WARC, capped gunzip,
junk cleaner, quote finder; and the server (issue 20): ``web`` sends random requests (method, path
with ids carrying "/", "..", "%2e", "//host", control characters, huge or bad ``page_no``, long
queries, bodies to a read-only server) to the real app over a small real store, and ``control``
checks the terminal filter. Inputs are random bytes/text and mutations (cut, delete, insert,
overwrite, duplicate) of the project's own test files in tests/data. A *failure* is any of:

- an exception other than samestory's ``InputError`` family (which is the documented refusal);
- a reader yielding the catch-all ``Failure("unexpected error ...")`` (a crash hidden as a failure);
- a broken invariant: a removal span not inside the raw text or not matching its text, cleaning
  that is not idempotent, quote marks outside the text or overlapping; for ``web``: a 5xx answer,
  an error not in the one error shape, a write accepted by the read-only server, a link that is not
  an absolute path on the same host or has a dot segment, a control character in a page; for
  ``control``: a control character left, a second pass changing the text, escaped JSON not equal to
  the original data.

After the targets, the whole bad-input corpus (tests/data/bad, plus a FIFO, a socket and a file
name that is not UTF-8, made at run time) goes through ``read_inputs`` and ``clean`` once: every
exception escaping them, and every "unexpected error" Failure, counts as a traceback (target: 0).

With hypothesis (the default, and the fallback when atheris is missing) each failure is shrunk to
a minimal input, which is printed. Prints inputs tried and failures per target and records them
in bench/RESULTS.md (section "fuzz").
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from _common import REPO, record

DATA = REPO / "tests" / "data"

# ----------------------------------------------------------------------------------- targets


class InvariantBroken(AssertionError):
    pass


def _check(cond: bool, what: str) -> None:
    if not cond:
        raise InvariantBroken(what)


def _check_items(items, source: str) -> None:
    from samestory.models import Failure, RawDoc

    for item in items:
        _check(isinstance(item, (RawDoc, Failure)), f"reader yielded {type(item).__name__}")
        if isinstance(item, Failure):
            _check(item.source.startswith(source), f"failure does not name the input: {item}")
            _check(bool(item.reason.strip()), "failure without a reason")
            _check(not item.reason.startswith("unexpected error"), f"crash hidden as a failure: {item}")


def _refused(fn: Callable[[], object]) -> object | None:
    """Run fn; samestory's InputError (a clear refusal) is fine and gives None."""
    from samestory.errors import InputError

    try:
        return fn()
    except InputError as exc:
        _check(bool(exc.reason.strip()), "InputError without a reason")
        return None


def t_text(data: bytes) -> None:
    from samestory.ingest._common import decode_text_input
    from samestory.ingest.text import parse_text

    def run():
        text, how = decode_text_input(data, "fuzz.txt")
        return parse_text(text, source="fuzz.txt", encoding=how)

    doc = _refused(run)
    if doc is not None:
        _check(doc.title.strip() != "" and doc.content.strip() != "", "text doc without title or body")
        _check(not doc.title.startswith("\ufeff"), "BOM at the start of the title")


def t_html(data: bytes) -> None:
    from samestory.clean import clean
    from samestory.ingest._common import decode_html
    from samestory.ingest.html import html_doc

    def run():
        html, how = decode_html(data, "fuzz.html")
        return clean(html_doc(html, source="fuzz.html", extra={"encoding": how}))

    article = _refused(run)
    if article is not None:
        _check_removals(article.raw_text, article.removed)
        _check(bool(article.text.strip()), "article with empty text")


def t_jsonl(data: bytes) -> None:
    from samestory.ingest import scrub_item
    from samestory.ingest.jsonl import iter_jsonl_stream

    items = [scrub_item(i) for i in iter_jsonl_stream([data[i : i + 97] for i in range(0, len(data), 97)] or [b""],
                                                      source="fuzz.jsonl")]
    _check_items(items, "fuzz.jsonl")
    for item in items:  # what reaches the store must be encodable text (a lone surrogate is not)
        for value in vars(item).values():
            if isinstance(value, str):
                value.encode("utf-8")


def t_feed(data: bytes) -> None:
    from samestory.ingest.feeds import iter_feed_docs

    items = list(iter_feed_docs(data, source="fuzz.rss"))
    _check_items(items, "fuzz.rss")
    for item in items:
        _check("root:x:0:0" not in getattr(item, "content", ""), "external entity resolved")


def t_warc(data: bytes) -> None:
    from samestory.ingest.warc import iter_warc_stream

    _check_items(list(iter_warc_stream(io.BytesIO(data), source="fuzz.warc")), "fuzz.warc")


def t_gunzip(data: bytes) -> None:
    from samestory.ingest._common import gunzip_capped

    out = _refused(lambda: gunzip_capped(io.BytesIO(data), 64 * 1024, "fuzz.gz"))
    if out is not None:
        _check(len(out) <= 64 * 1024, "gunzip passed its cap")


def _check_removals(raw: str, removals) -> None:
    for r in removals:
        _check(0 <= r.start <= r.end <= len(raw), f"removal {r.start}:{r.end} outside the raw text ({len(raw)})")
        _check(raw[r.start : r.end] == r.text, f"removal text differs from the raw text at {r.start}:{r.end}")
        _check(bool(r.reason.strip()), "removal without a reason")


def t_junk(text: str) -> None:
    from samestory.clean import clean_text

    clean, removals, _captions = clean_text(text)
    _check_removals(text, removals)
    again, removals2, _ = clean_text(clean)
    _check(again == clean and not removals2, "cleaning is not idempotent")


def t_quotes(text: str) -> None:
    from samestory.enrich.quotes import find_quotation_spans, scare_quotes

    last = -1
    for q in find_quotation_spans(text):
        _check(0 <= q.open < q.close < len(text), f"quote marks {q.open}:{q.close} outside the text")
        _check(q.open > last, "quotations overlap or are out of order")
        last = q.close
    for s in scare_quotes(text):
        _check(0 <= s.start <= s.end <= len(text), "scare quote outside the text")


_WEB: dict = {}
_PAGE_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _web_client():
    """The real app (read-only) over a small real store: articles whose ids, outlets and titles are hostile."""
    if "client" not in _WEB:
        from fastapi.testclient import TestClient

        from samestory.models import Article, Story
        from samestory.store import Store
        from samestory.web.app import create_app

        db = Path(tempfile.mkdtemp(prefix="samestory-fuzz-web-")) / "web.db"
        ids = ["x/1", "../y", "a?b#c", "..", "z.json", "%2e%2e", "plain", "\x1b[31mred"]
        with Store(db) as store, store.transaction():
            for i, aid in enumerate(ids):
                store.upsert_article(Article(id=aid, outlet="Out/let \x1b]0;x\x07", title=f"Wall \x1b[2J{i}",
                                             text=f"The council approved the harbour wall \x07 plan {i}."))
                store.assign(aid, "s/one")
            store.save_story(Story("s/one", "Wall", tuple(ids), sources=len(ids), independent_sources=1))
        _WEB["client"] = TestClient(create_app(db), raise_server_exceptions=False)
    return _WEB["client"]


def t_web(request: tuple[str, str]) -> None:
    import html as html_mod

    method, target = request
    client = _web_client()
    try:
        r = client.request(method, target, content=b"x" * 100 if method == "POST" else None)
    except Exception as exc:  # an invalid URL the *client* refuses to build is not a server failure
        if type(exc).__name__ in ("InvalidURL", "UnicodeEncodeError", "LocalProtocolError"):
            return
        raise
    _check(r.status_code < 500, f"{method} {target!r}: HTTP {r.status_code}: {r.text[:200]}")
    if method == "POST":
        _check(r.status_code == 403, f"POST {target!r} to the read-only server: HTTP {r.status_code}")
    ctype = r.headers.get("content-type", "")
    if r.status_code >= 400 and "json" in ctype and method != "HEAD":
        _check(set(r.json().get("error", {})) == {"status", "title", "detail"}, f"{target!r}: not the error shape")
    # /docs and /redoc are FastAPI's own pages (their CDN links are blocked by the CSP): not checked
    if "text/html" in ctype and method != "HEAD" and not target.startswith(("/docs", "/redoc")):
        _check(not _PAGE_CONTROL.search(r.text), f"{target!r}: a control character in the page")
        for href in re.findall(r'href="([^"]*)"', r.text):
            href = html_mod.unescape(href)
            if href in ("data:,",) or href.startswith("?"):
                continue
            _check(href.startswith("/") and not href.startswith("//"), f"{target!r}: link {href!r} leaves the host")
            _check(not re.search(r"(^|/)\.\.?(/|$)", href.split("?")[0]), f"{target!r}: link {href!r} has a dot segment")


def t_control(text: str) -> None:
    from samestory.text.control import escape_json_controls, printable

    out = printable(text)
    _check(not _PAGE_CONTROL.search(out) and "\u2028" not in out, "a control character survived")
    _check(printable(out) == out, "printable is not idempotent")
    one = printable(text, keep_newlines=False)
    _check("\n" not in one and "\t" not in one, "a newline in one-line output")
    doc = json.dumps({"t": text}, ensure_ascii=False)
    safe = escape_json_controls(doc)
    _check(json.loads(safe) == {"t": text} and not _PAGE_CONTROL.search(safe), "escaped JSON differs or is raw")


# ----------------------------------------------------------------------------------- inputs

SEEDS = {
    "text": ["bad/cp1252.txt", "bad/mixed-encoding.txt", "bad/hostile.txt", "bad/utf16-bom.txt", "bad/utf8-bom.txt",
             "bad/utf16le-no-bom.txt"],
    "html": ["bad/hostile.html", "bad/cp1252-declared-utf8.html", "bad/no-text.html"],
    "jsonl": ["good/articles.jsonl", "bad/broken.jsonl", "bad/lone-surrogate.jsonl", "bad/nul-line.jsonl",
              "bad/utf16le-no-bom.jsonl", "bad/conflicting-ids.jsonl"],
    "feed": ["good/feed-full.rss", "good/feed-summary.atom", "bad/rss-billion-laughs.xml",
             "bad/rss-external-entity.xml", "bad/atom-unclosed.xml", "bad/rss-wrong-root.xml"],
    "warc": ["good/sample.warc.gz", "bad/truncated.warc", "bad/truncated.warc.gz"],
    "gunzip": ["good/sample.warc.gz", "bad/truncated.html.gz"],
}
JUNK_LINES = [
    "Advertisement", "Read Entire Article", "Read more:", "[/caption]",
    '[caption id="attachment_12" align="alignnone" width="800"]', "Photo: Jane Doe/Harbour Courier",
    "Your email address will not be published.", "Leave a comment", "Sign up for our newsletter",
    "Share this article", "More trending", "Related stories", "5 hours ago", "1,234 views",
    "Contact the newsroom: news@example.org", "By Jane Doe", "Follow us on Twitter",
    "The council approved the harbour plan on Monday after a long debate.",
    "Mayor Ada Brook, 54, said: “We will start in May and finish by the autumn.”",
    '"It is a good day for the town," said Tom Reed.', "‘wave’ of ‘rigged’ «votes» „here“",
]


def _seed_bytes(name: str) -> list[bytes]:
    out = [(DATA / rel).read_bytes() for rel in SEEDS.get(name, []) if (DATA / rel).is_file()]
    if name == "warc" and (DATA / "good" / "sample.warc.gz").is_file():
        out.append(gzip.decompress((DATA / "good" / "sample.warc.gz").read_bytes()))
    if name == "gunzip":
        out += [gzip.compress(b"<p>hello</p>" * 50, mtime=0), gzip.compress(b"a", mtime=0) * 3]
    return out


WEB_PIECES = ["/", "/stories", "/stories/", "/stories.json", "/stories/s%2Fone", "/stories/s/one", "/articles/",
              "/articles/x%2F1", "/articles/..%2Fy", "/articles/?id=..&", "/outlets/", "/outlets/Out%2Flet",
              "/api/health", "/api/ingest", "/api/jobs/", "/static/", "//evil.example/x", ".json", "..", ".", "%2e",
              "%2e%2e", "%2F", "%00", "%1b", "%ff", "%", "?page_no=", "&page_no=", "?q=", "&q=", "?status=", "?hl=",
              "&id=", "9223372036854775807", "-1", "0", "1e9", "harbour ", "\x1b", "#", "\\", "/docs", "/openapi.json"]


def strategy(name: str):
    from hypothesis import strategies as st

    if name == "web":
        piece = st.one_of(st.sampled_from(WEB_PIECES), st.text(max_size=12),
                          st.integers().map(str), st.just("x" * 300))
        path = st.lists(piece, min_size=1, max_size=10).map(lambda xs: "/" + "".join(xs).lstrip("/"))
        return st.tuples(st.sampled_from(["GET", "GET", "GET", "HEAD", "POST"]), path)
    if name == "control":
        return st.one_of(st.text(max_size=300), st.lists(st.sampled_from(
            ["\x1b[31m", "\x1b]8;;http://x/\x07", "\x07", "\r", "\n", "\t", "\x9b", "\u202e", "\u2028", "a", "é", "“"]),
            max_size=40).map("".join))

    if name in ("junk", "quotes"):
        line = st.one_of(st.sampled_from(JUNK_LINES), st.text(max_size=80),
                         st.text(alphabet="\"'“”‘’«»„‹› \n.,:Aa1", max_size=40))
        sep = st.sampled_from(["\n", "\n\n", "\r\n", " ", "\n \n"])
        return st.one_of(st.text(max_size=1000),
                         st.lists(st.tuples(line, sep), max_size=20).map(lambda xs: "".join(a + b for a, b in xs)))

    seeds = _seed_bytes(name)

    @st.composite
    def mutated(draw) -> bytes:
        data = bytearray(draw(st.sampled_from(seeds)))
        for _ in range(draw(st.integers(1, 6))):
            op = draw(st.sampled_from(["cut", "delete", "insert", "overwrite", "dup"]))
            n = len(data)
            at = draw(st.integers(0, n))
            if op == "cut":
                del data[at:]
            elif op == "delete":
                del data[at : at + draw(st.integers(1, 128))]
            elif op == "insert":
                data[at:at] = draw(st.binary(min_size=1, max_size=64))
            elif op == "overwrite" and n:
                data[min(at, n - 1)] = draw(st.integers(0, 255))
            elif op == "dup":
                data[at:at] = data[at : at + draw(st.integers(1, 512))]
        return bytes(data)

    plain = st.one_of(st.binary(max_size=4096), st.text(max_size=1000).map(lambda t: t.encode("utf-8", "surrogatepass")))
    if name == "gunzip":
        plain = st.one_of(plain, plain.map(lambda b: gzip.compress(b, mtime=0)))
    return st.one_of(plain, mutated()) if seeds else plain


TARGETS: dict[str, Callable] = {
    "text": t_text, "html": t_html, "jsonl": t_jsonl, "feed": t_feed, "warc": t_warc,
    "gunzip": t_gunzip, "junk": t_junk, "quotes": t_quotes, "web": t_web, "control": t_control,
}

# ----------------------------------------------------------------------------------- engines


@dataclass
class Outcome:
    target: str
    tried: int = 0
    seconds: float = 0.0
    failures: dict[str, tuple[str, str]] = field(default_factory=dict)  # signature -> (minimal input, error)
    cpu: float = 0.0  # CPU seconds of the fuzzing process


def _signature(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    where = next((f"{Path(f.filename).name}:{f.lineno}" for f in reversed(tb) if "samestory" in f.filename), "?")
    return f"{type(exc).__name__} at {where}: {str(exc)[:100]}"


def fuzz_hypothesis(name: str, seconds: float) -> Outcome:
    from hypothesis import HealthCheck, Phase, given, settings

    fn = TARGETS[name]
    out = Outcome(name)
    last_fail: dict[str, tuple[str, str]] = {}
    end = time.monotonic() + seconds
    start = time.monotonic()
    chunk = 20
    while time.monotonic() < end:
        def body(data):
            out.tried += 1
            try:
                with contextlib.redirect_stderr(io.StringIO()):  # warcio prints a warning per bad record
                    fn(data)
            except Exception as exc:
                sig = _signature(exc)
                last_fail["current"] = (sig, repr(data)[:2000], "".join(traceback.format_exception_only(exc)).strip()[:500])
                raise

        test = settings(max_examples=chunk, deadline=None, database=None, derandomize=False,
                        suppress_health_check=list(HealthCheck), phases=[Phase.generate, Phase.shrink],
                        print_blob=False)(given(strategy(name))(body))
        before, t0 = out.tried, time.monotonic()
        try:
            test()
        except Exception:  # noqa: BLE001 - a failure: the last failing call is the shrunk example
            sig, data, err = last_fail.pop("current", ("?", "?", "?"))
            out.failures.setdefault(sig, (data, err))
        rate = (out.tried - before) / max(1e-3, time.monotonic() - t0)
        chunk = int(max(10, min(5000, rate * min(10.0, max(1.0, end - time.monotonic())))))
    out.seconds = time.monotonic() - start
    return out


def fuzz_atheris_child(name: str, seconds: float) -> None:  # pragma: no cover - needs atheris
    """Run inside a child process: atheris.Fuzz() never returns (libFuzzer exits at the end)."""
    import atheris

    fn = TARGETS[name]

    def one(data: bytes) -> None:
        if name == "web":  # first byte: the method; the rest: the path
            fn((("GET", "HEAD", "POST")[data[0] % 3] if data else "GET", "/" + data[1:].decode("utf-8", "replace")))
            return
        fn(data.decode("utf-8", "replace") if name in ("junk", "quotes", "control") else data)

    corpus = Path(tempfile.gettempdir()) / "samestory-fuzz-corpus" / name  # kept between runs, outside the repo
    corpus.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(_seed_bytes(name)):
        (corpus / f"seed-{i}").write_bytes(seed)
    with atheris.instrument_imports(include=["samestory"]):  # our code only: instrumenting numpy & co. takes minutes
        import samestory.clean  # noqa: F401
        import samestory.enrich.quotes  # noqa: F401
        import samestory.ingest  # noqa: F401
    atheris.Setup([sys.argv[0], f"-max_total_time={int(seconds)}", "-print_final_stats=1", str(corpus)], one)
    atheris.Fuzz()


def fuzz_atheris(name: str, seconds: float) -> Outcome:  # pragma: no cover - needs atheris
    out = Outcome(name)
    t0, cpu0 = time.monotonic(), resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, __file__, "--engine", "atheris", "--child", name, "--seconds", str(seconds)],
                          capture_output=True, text=True)
    out.seconds = time.monotonic() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    for line in proc.stderr.splitlines():
        if "stat::number_of_executed_units:" in line:
            out.tried = int(line.rsplit(":", 1)[1])
    if proc.returncode != 0:
        out.failures["crash"] = ("see the crash-* file libFuzzer wrote", proc.stderr[-500:])
    return out


def have_atheris() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def _run_child_json(name: str, seconds: float, engine: str) -> subprocess.Popen:
    """Fuzz one target in a child process (for --jobs); it prints its Outcome as JSON."""
    return subprocess.Popen([sys.executable, __file__, "--engine", engine, "--seconds", str(seconds), "--json-child", name],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def _outcome_from_json(text: str) -> Outcome:
    d = json.loads(text)
    return Outcome(d["target"], d["tried"], d["seconds"], {k: tuple(v) for k, v in d["failures"].items()}, d["cpu"])


def _fuzz_one(name: str, seconds: float, engine: str) -> Outcome:
    cpu0 = time.process_time()
    res = fuzz_atheris(name, seconds) if engine == "atheris" else fuzz_hypothesis(name, seconds)
    if engine != "atheris":
        res.cpu = time.process_time() - cpu0
    return res


def corpus_tracebacks() -> tuple[int, int, list[str]]:
    """The whole bad-input corpus (tests/data/bad, plus the FIFO, socket and undecodable name made by
    make_bad.make_special) through ``read_inputs`` and ``clean``: (files, items, tracebacks), where a
    traceback is an exception escaping either or a crash hidden as an "unexpected error" Failure."""
    import importlib.util
    import shutil
    import threading

    from samestory.clean import clean
    from samestory.errors import InputError
    from samestory.ingest import read_inputs
    from samestory.models import Failure

    spec = importlib.util.spec_from_file_location("make_bad", DATA / "bad" / "make_bad.py")
    make_bad = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_bad)
    crashes: list[str] = []
    n_items = 0
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "bad"
        shutil.copytree(DATA / "bad", folder, ignore=shutil.ignore_patterns("*.py", "*.json"))
        make_bad.make_special(folder)
        files = sum(1 for _ in folder.iterdir())
        watchdog = threading.Timer(300, lambda: os._exit(3))  # a reader blocked on the FIFO fails the run
        watchdog.start()
        try:
            for item in read_inputs([str(folder)]):
                n_items += 1
                if isinstance(item, Failure):
                    if item.reason.startswith("unexpected error"):
                        crashes.append(str(item)[:200])
                    continue
                try:
                    clean(item)
                except InputError:
                    pass
        except Exception as exc:  # noqa: BLE001 - exactly what is counted
            crashes.append(f"{type(exc).__name__}: {exc}"[:200])
        finally:
            watchdog.cancel()
    return files, n_items, crashes


def _previous_rows(names: list[str]) -> tuple[list[str], list[str]]:
    """Table rows and failure notes of targets *not* in ``names`` from the last recorded fuzz section."""
    results = REPO / "bench" / "RESULTS.md"
    if not results.exists():
        return [], []
    m = re.search(r"^## fuzz\n(.*?)(?=^## |\Z)", results.read_text(), re.S | re.M)
    if not m:
        return [], []
    rows, notes, keep_note = [], [], False
    for line in m.group(1).splitlines():
        row = re.match(r"^\| (\w+) \| \d", line)
        if row and row.group(1) in TARGETS and row.group(1) not in names and line.count("|") == _HEADER.count("|"):
            rows.append(line)
        note = re.match(r"^- \*\*(\w+)\*\*", line)
        if note:
            keep_note = note.group(1) not in names
        elif not line.startswith("  - "):
            keep_note = False
        if keep_note:
            notes.append(line)
    return rows, notes


_HEADER = "| target | seconds | inputs tried | inputs/s | CPU s | failures | engine | run at (UTC) |"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=float, default=60.0, help="time per target (default 60)")
    p.add_argument("--only", nargs="+", choices=sorted(TARGETS),
                   help="fuzz only these targets (the other targets' rows in RESULTS.md are kept)")
    p.add_argument("--jobs", type=int, default=1, help="targets fuzzed at once, each in its own process (default 1)")
    p.add_argument("--engine", choices=["auto", "hypothesis", "atheris"], default="auto",
                   help="auto: atheris when installed, else hypothesis")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--json-child", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        fuzz_atheris_child(args.child, args.seconds)
        return 0
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if have_atheris() else "hypothesis"
    elif engine == "atheris" and not have_atheris():
        print("atheris is not installed; using hypothesis", file=sys.stderr)
        engine = "hypothesis"

    import logging

    logging.disable(logging.CRITICAL)  # trafilatura and feedparser log every broken input
    if args.json_child:
        res = _fuzz_one(args.json_child, args.seconds, engine)
        print(json.dumps({"target": res.target, "tried": res.tried, "seconds": res.seconds, "cpu": res.cpu,
                          "failures": res.failures}))
        return 0
    names = args.only or list(TARGETS)
    results: list[Outcome] = []
    stamp = time.strftime("%H:%M", time.gmtime())
    if args.jobs <= 1:
        for name in names:
            print(f"fuzzing {name} for {args.seconds:.0f} s ({engine})...", file=sys.stderr, flush=True)
            res = _fuzz_one(name, args.seconds, engine)
            results.append(res)
            print(f"  {name}: {res.tried} inputs, {len(res.failures)} failures", file=sys.stderr, flush=True)
    else:
        pending, running = list(names), {}
        while pending or running:
            while pending and len(running) < args.jobs:
                name = pending.pop(0)
                print(f"fuzzing {name} for {args.seconds:.0f} s ({engine}, child process)...", file=sys.stderr, flush=True)
                running[name] = _run_child_json(name, args.seconds, engine)
            time.sleep(1.0)
            for name, proc in list(running.items()):
                if proc.poll() is None:
                    continue
                del running[name]
                out = proc.stdout.read() if proc.stdout else ""
                try:
                    res = _outcome_from_json(out.strip().splitlines()[-1])
                except (IndexError, ValueError, KeyError):
                    res = Outcome(name, failures={"child": ("?", f"child process exited {proc.returncode}")})
                results.append(res)
                print(f"  {name}: {res.tried} inputs, {len(res.failures)} failures", file=sys.stderr, flush=True)
        results.sort(key=lambda r: list(TARGETS).index(r.target))

    old_rows, old_notes = _previous_rows(names) if args.only else ([], [])
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = ["A failure is an uncaught exception other than InputError, a crash hidden as an 'unexpected error'",
             "Failure, or a broken invariant. Machine shared with other sessions; CPU s is the fuzzing process's own",
             f"CPU time. Last run: {len(names)} target(s), {args.jobs} at a time, load average at the end {load}.", "",
             _HEADER, "|---|---:|---:|---:|---:|---:|---|---|"]
    rows = [f"| {r.target} | {r.seconds:.0f} | {r.tried} | {r.tried / max(r.seconds, 1e-9):.0f} | {r.cpu:.0f} "
            f"| {len(r.failures)} | {engine} | {stamp} |" for r in results]
    order = list(TARGETS)
    lines += sorted(rows + old_rows, key=lambda row: order.index(row.split("|")[1].strip()))
    total = sum(len(r.failures) for r in results)
    files, items, crashes = corpus_tracebacks()
    total += len(crashes)
    lines += ["", f"bad-input corpus (tests/data/bad + a FIFO, a socket and a name that is not UTF-8, made at run "
                  f"time) through read_inputs and clean: {files} files, {items} items, **{len(crashes)} tracebacks**"]
    lines += [f"  - {c}" for c in crashes[:10]]
    lines += ["", f"failures in this run: {total}"]
    for r in results:
        for sig, (data, err) in r.failures.items():
            lines += ["", f"- **{r.target}**: {sig}", f"  - minimal input: `{data[:300]}`", f"  - error: `{err[:300]}`"]
    if old_notes:
        lines += ["", *old_notes]
    record("fuzz", lines)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
