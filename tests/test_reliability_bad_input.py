"""Bad input through the real `samestory ingest`: every bad file gets a clear error, is skipped
and counted, the rest goes on, and nothing already stored is lost.

The corpus is ``tests/data/bad/`` (expectations in ``expected.json``) plus the big files
``make_bad.py`` generates at test time (a 50 MiB page, ``<div>`` nested 100,000 deep, a gzip
that inflates to 1100 MiB). A store is first filled from ``tests/data/good``; then one ingest
run gets the bad folder and the good folder again.
"""

from __future__ import annotations

import importlib.util
import json
import random
import shutil
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from reliability_corpus import write_corpus

from samestory.cli import main
from samestory.models import Failure, RawDoc
from samestory.store import Store

DATA = Path(__file__).resolve().parent / "data"
BAD = DATA / "bad"
GOOD = DATA / "good"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
# Not sample.warc.gz: truncated.warc(.gz) are cut from it, and their good record must be new to the store.
GOOD_FILES = ("articles.jsonl", "feed-full.rss")

pytestmark = pytest.mark.timeout(600)


def _make_bad_module():
    spec = importlib.util.spec_from_file_location("make_bad", BAD / "make_bad.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ingest(*args: str):
    result = CliRunner().invoke(main, ["ingest", *args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"ingest raised {result.exception!r}\n{result.output}") from result.exception
    return result


class Run:
    """What the store and the report say after the bad run."""

    def __init__(self, root: Path, db: Path, before: dict, report: dict, exit_code: int, output: str) -> None:
        self.root, self.db, self.before, self.report, self.exit_code, self.output = root, db, before, report, exit_code, output
        with Store(db, readonly=True) as store:
            self.articles = list(store.iter_articles())
            self.failures = store.failures(limit=100_000)
            self.story_of = {a.id: store.story_of(a.id) for a in self.articles}
            self.stories = {s.id: s for s in store.stories()}
            self.integrity = store.integrity_check()

    def path(self, name: str) -> str:
        return str(self.root / "bad" / name)

    def articles_from(self, name: str) -> list:
        return [a for a in self.articles if a.source == self.path(name)]

    def failures_of(self, name: str) -> list[Failure]:
        return [f for f in self.failures if f.source == self.path(name)]


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("bad-input")
    good, bad = root / "good", root / "bad"
    good.mkdir()
    bad.mkdir()
    for name in GOOD_FILES:
        shutil.copy(GOOD / name, good / name)
    for path in write_corpus(root / "invented", random.Random(3))[:12]:  # two events, six outlets each
        shutil.copy(path, good / path.name)
        shutil.copy(path.with_name(path.stem + ".meta.json"), good / (path.stem + ".meta.json"))
    for name in EXPECTED["files"]:
        shutil.copy(BAD / name, bad / name)
    _make_bad_module().make_generated(bad)  # full size: 50 MiB page, depth 100,000, 1100 MiB bomb
    db = root / "store.db"

    first = _ingest(str(good), "--db", str(db), "--json", "--batch-size", "8")
    assert first.exit_code == 0, first.output
    with Store(db, readonly=True) as store:
        before = {a.id: (a.content_hash, a.title, store.story_of(a.id)) for a in store.iter_articles()}
    assert before, "the good corpus stored nothing"

    second = _ingest(str(bad), str(good), "--db", str(db), "--json", "--batch-size", "8")
    report = json.loads(second.stdout)
    return Run(root, db, before, report, second.exit_code, second.output)


# ----------------------------------------------------------------------------- the whole run


def test_batch_goes_on_and_exits_zero(run):
    assert run.exit_code == 0, run.output
    assert run.report["added"] > 0  # the good files inside the bad folder came through
    assert "Traceback" not in run.output


def test_nothing_already_stored_is_lost(run):
    after = {a.id: a for a in run.articles}
    for aid, (content_hash, title, story) in run.before.items():
        assert aid in after, f"article {aid} ({title}) was lost"
        assert after[aid].content_hash == content_hash and after[aid].title == title
        # still in a story (the same one, or the one it was merged into)
        assert run.story_of[aid] in run.stories, f"article {aid} lost its story {story}"
    # the good files read again are recognised, not stored twice
    ids = [a.id for a in run.articles]
    assert len(ids) == len(set(ids))
    assert run.report["duplicate"] >= len(run.before)
    assert run.integrity == "ok"


def test_every_failure_is_counted_and_recorded(run):
    assert run.report["failed"] == len(run.report["failures"]) > 0
    recorded = {str(f) for f in run.failures}
    for line in run.report["failures"]:
        assert line in recorded, f"failure not kept in the store: {line}"
    for f in run.failures:
        assert f.source and f.reason.strip(), f
        assert "Traceback" not in f.reason


# ----------------------------------------------------------------------------- per file

KNOWN_BUGS: dict[str, str] = {}  # file name -> reason, for inputs a module still gets wrong (strict xfail)


def _case(name: str, spec: dict):
    if name in KNOWN_BUGS:
        return pytest.param(name, spec, id=name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name]))
    return pytest.param(name, spec, id=name)


CASES = [_case(n, s) for n, s in EXPECTED["files"].items()] + [_case(n, s) for n, s in EXPECTED["generated"].items()]


def _check_clear(failure: Failure) -> None:
    """A clear error names the input and gives a reason a person can act on."""
    assert failure.reason.strip() and len(failure.reason) < 600, failure
    assert not failure.reason.startswith("unexpected error"), f"not a handled error: {failure}"


def _text_of(a) -> str:
    return f"{a.title}\n{a.text}"


def _check_contents(name: str, spec: dict, arts: list, *, if_ok: bool = False) -> None:
    text = "\n".join(_text_of(a) for a in arts)
    for s in spec.get("must_contain_if_ok" if if_ok else "must_contain", ()):
        assert s in text, f"{name}: {s!r} missing from the stored text"
    for s in spec.get("must_not_contain", ()):
        assert s not in text, f"{name}: {s!r} must not be in the stored text"
    for s in spec.get("should_contain", ()):
        if s not in text:
            warnings.warn(f"{name}: {s!r} (should_contain) is not in the stored text", stacklevel=1)
    if "title" in spec:
        assert any(a.title == spec["title"] for a in arts), (name, [a.title for a in arts])


@pytest.mark.parametrize(("name", "spec"), CASES)
def test_bad_file(run, name, spec):
    arts, fails = run.articles_from(name), run.failures_of(name)
    expect = spec["expect"]
    reported = [line for line in run.report["failures"] if line.startswith(run.path(name))]
    for f in fails:
        _check_clear(f)
    if expect == "error":
        assert not arts, f"{name}: expected an error, got articles {[a.title for a in arts]}"
        assert fails and reported, f"{name}: no failure names it"
    elif expect == "empty":
        assert not arts
    elif expect == "ok":
        assert arts, f"{name}: no article; failures: {[str(f) for f in fails]}"
        assert not fails, [str(f) for f in fails]
        _check_contents(name, spec, arts)
    elif expect == "partial":
        assert fails, f"{name}: no failure for its bad records"
        for key in spec.get("articles", ()):
            # the good record is stored from this file, or was already stored from an identical
            # input (truncated.warc and truncated.warc.gz hold the same page): same id, not stored twice
            field = "url" if key.startswith("http") else "id"
            assert any(getattr(a, field) == key for a in run.articles), f"{name}: {key} did not come through"
        for url in spec.get("failed_records", ()):
            assert any(url in (f.record or "") for f in fails), f"{name}: no failure names record {url}"
            assert not any(a.url == url for a in arts)
        for line, verdict in spec.get("lines", {}).items():
            line_fails = [f for f in fails if f.record == f"line {line}"]
            if verdict.startswith("error:"):
                assert line_fails, f"{name}: line {line} ({verdict}) gave no failure"
            elif verdict == "ok" or verdict.startswith("skip"):
                assert not line_fails, [str(f) for f in line_fails]
    elif expect == "error_or_ok":
        assert arts or fails, f"{name}: neither an article nor a failure"
        if arts:
            _check_contents(name, spec, arts, if_ok=True)
    else:  # pragma: no cover - a new outcome in expected.json
        pytest.fail(f"unknown outcome {expect!r} for {name}")


def test_same_id_other_text_is_a_conflict_kept_aside(run):
    """conflicting-ids.jsonl: the first record is stored; the second (same id, other text) is
    neither stored over it nor counted as a duplicate: the report counts it and the store keeps it."""
    spec = EXPECTED["files"]["conflicting-ids.jsonl"]
    (stored,) = [a for a in run.articles if a.id in spec["conflicts"]]
    assert "ten weeks" in stored.text and "six months" not in stored.text
    assert run.report["conflict"] == len(run.report["conflicts"]) >= 1
    assert any("conflict-1" in c and run.path("conflicting-ids.jsonl") in c for c in run.report["conflicts"])
    with Store(run.db, readonly=True) as store:
        kept = [c for c in store.conflicts() if c["article_id"] == "conflict-1"]
    assert kept and "six months" in kept[0]["text"]


def test_special_files_and_undecodable_names_cost_only_themselves(tmp_path):
    """A FIFO and a socket named .txt are skipped without being opened (a FIFO would block the
    run), a file whose name is not valid UTF-8 is skipped with its reason; the rest ingests."""
    import signal

    folder = tmp_path / "inbox"
    special = _make_bad_module().make_special(folder)
    shutil.copy(BAD / "nul-line.jsonl", folder / "nul-line.jsonl")
    shutil.copy(BAD / "lone-surrogate.jsonl", folder / "lone-surrogate.jsonl")
    signal.alarm(240)  # a reader that opens the FIFO would wait for ever: fail instead
    try:
        result = _ingest(str(folder), "--db", str(tmp_path / "x.db"), "--json")
    finally:
        signal.alarm(0)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # nul-before, nul-after, surrogate-good, surrogate-repaired (two share a text: one is stored as a copy)
    assert report["added"] + report["copies"] == 4, report
    failures = report["failures"]
    for name in ("fifo.txt", "socket.txt"):
        (line,) = [f for f in failures if f.startswith(str(special[name]))]
        assert "not a regular file" in line and "without opening it" in line, line
    (bad,) = [f for f in failures if "bad-name-" in f]
    assert "bad-name-\\xff.txt" in bad and "not valid UTF-8" in bad, bad
    assert "Traceback" not in result.output
    with Store(tmp_path / "x.db", readonly=True) as store:
        assert store.count_articles() == 4
        repaired = store.get_article("surrogate-repaired")
        assert "\ufffd" in repaired.title and "\ufffd" in repaired.text
        assert {f.reason for f in store.failures()} >= {line.split(": ", 1)[1].rsplit(" (", 1)[0] for line in failures
                                                        if line.startswith(str(special["fifo.txt"]))}


def test_gzip_bomb_stops_at_the_cap(run):
    (failure,) = run.failures_of("bomb.html.gz")
    assert "cap" in failure.reason or "larger" in failure.reason, failure


def test_hostile_text_is_escaped_when_rendered(run):
    """The hostile articles are stored as text; their pages never carry the payloads as markup."""
    from fastapi.testclient import TestClient

    from samestory.web.app import create_app

    with TestClient(create_app(run.db)) as client:
        for name in ("hostile.txt", "hostile.html"):
            spec = EXPECTED["files"][name]
            for a in run.articles_from(name):
                page = client.get(f"/articles/{a.id}")
                assert page.status_code == 200
                for bad in spec["rendered_html_must_not_contain"]:
                    assert bad not in page.text, f"{name}: {bad!r} rendered as markup"
        listing = client.get("/stories")
        assert listing.status_code == 200 and "<script>alert(" not in listing.text


# ----------------------------------------------------------------------------- alone, and mid-run


WARC_BOMB = r"""
import importlib.util, resource, sys
from pathlib import Path
limit = 640 * 2**20  # address space: a reader that holds the inflated stream fails fast instead of eating the machine
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
spec = importlib.util.spec_from_file_location("make_bad", sys.argv[1])
make_bad = importlib.util.module_from_spec(spec); spec.loader.exec_module(make_bad)
bomb = make_bad.make_gzip_bomb(Path(sys.argv[2]), 1100)
warc = bomb.rename(bomb.with_name("bomb.warc.gz"))
from samestory.ingest import read_inputs
for item in read_inputs([str(warc)]):
    print(item)
# VmHWM, not ru_maxrss: ru_maxrss survives exec and would report the (model-laden) parent's peak
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM"))
print("peak-rss-mb", int(hwm.split()[1]) // 1024)
"""


def test_gzip_bomb_named_warc_gz_stays_within_memory(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", WARC_BOMB, str(BAD / "make_bad.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "bomb.warc.gz" in proc.stdout
    assert "MemoryError" not in proc.stdout and "out of memory" not in proc.stdout, proc.stdout
    peak = int(proc.stdout.rsplit("peak-rss-mb", 1)[1])
    assert peak < 400, f"peak RSS {peak} MB for a 1.1 MB file"


def test_a_file_with_no_valid_line_alone_exits_non_zero(tmp_path):
    result = _ingest(str(BAD / "no-valid-lines.jsonl"), "--db", str(tmp_path / "x.db"))
    assert result.exit_code == 1
    assert "no-valid-lines.jsonl#line 1" in result.output


def test_missing_path_is_named_and_the_rest_goes_on(tmp_path):
    good = tmp_path / "ok.jsonl"
    shutil.copy(GOOD / "articles.jsonl", good)
    missing = tmp_path / "gone.txt"
    result = _ingest(str(missing), str(good), "--db", str(tmp_path / "x.db"), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["added"] >= 2
    assert any(line.startswith(str(missing)) for line in report["failures"]), report["failures"]


def test_file_that_disappears_mid_run(tmp_path):
    """A file listed with its folder and deleted before its reader opens it: one error naming it."""
    from samestory.ingest import read_inputs

    folder = tmp_path / "inbox"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i:02d}-report.txt").write_text(
            f"Harbour report number {i}\n\nThe harbour office published report {i} on Monday.\n", encoding="utf-8")
    (folder / "04-feed.jsonl").write_text(json.dumps({"id": "j1", "title": "T", "text": "Body."}) + "\n")
    (folder / "05-archive.warc.gz").write_bytes((GOOD / "sample.warc.gz").read_bytes())
    doomed = [folder / "03-report.txt", folder / "04-feed.jsonl", folder / "05-archive.warc.gz"]

    stream = read_inputs([folder])
    items = [next(stream)]  # reading has started: the folder is being walked
    for path in doomed:
        path.unlink()
    items += list(stream)

    failures = [i for i in items if isinstance(i, Failure)]
    docs = [i for i in items if isinstance(i, RawDoc)]
    assert sorted(f.source for f in failures) == sorted(str(p) for p in doomed), failures
    for f in failures:
        assert "not found" in f.reason or "deleted" in f.reason, f
    assert {d.source for d in docs} == {str(folder / f"{i:02d}-report.txt") for i in (0, 1, 2, 4, 5)}
