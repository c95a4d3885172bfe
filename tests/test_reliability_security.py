"""Security properties SECURITY.md claims that no other test pins.

- the web write route accepts only http(s) URLs (a path would be read from the server's disk);
- only ``samestory.store`` speaks SQL, and its SQL interpolates nothing but module constants;
- full-text search treats any query as words (never FTS syntax, never an error);
- ingest of local files makes no network connection at all, model loading included.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samestory.models import Article
from samestory.store import Store

SRC = Path(__file__).resolve().parents[1] / "src" / "samestory"


@pytest.mark.parametrize("line", ["/etc/hostname", "-", "file:///etc/passwd", "../../etc/passwd", "ftp://example.org/x"])
def test_web_ingest_accepts_only_http_urls(tmp_path, line):
    from fastapi.testclient import TestClient

    from samestory.web.app import create_app

    db = tmp_path / "w.db"
    with TestClient(create_app(db, allow_writes=True, token="s3cret")) as client:
        r = client.post("/api/ingest", data={"urls": f"https://news.example/a\n{line}"},
                        headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 422, r.text
        assert r.json()["error"]["status"] == 422 and "http" in r.json()["error"]["detail"]
        assert client.get("/api/health").json()["articles"] == 0


def _py_files():
    return sorted(p for p in SRC.rglob("*.py"))


def test_only_the_store_speaks_sql():
    offenders = []
    for path in _py_files():
        if "store" in path.relative_to(SRC).parts[:1]:
            continue
        text = path.read_text(encoding="utf-8")
        if "import sqlite3" in text or ".execute(" in text or ".executescript(" in text:
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == [], f"SQL outside samestory.store: {offenders}"


def test_store_sql_interpolates_only_constants():
    """Values go in as parameters; an f-string in SQL may only name a module constant (column list, timeout)."""
    for path in (SRC / "store").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "attr", "") in ("execute", "executemany", "_query")):
                continue
            if not node.args or not isinstance(node.args[0], ast.JoinedStr):
                continue
            for part in node.args[0].values:
                if isinstance(part, ast.FormattedValue):
                    name = ast.unparse(part.value)
                    assert name.lstrip("_").isupper(), f"{path.name}:{node.lineno}: SQL interpolates {name!r}"


@pytest.fixture(scope="module")
def search_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("fts") / "fts.db"
    store = Store(db)
    with store.transaction():
        for i, text in enumerate(["The harbour wall was repaired in May.", "Councillors voted on the tram line.",
                                  "A fire broke out near the market; nobody was hurt."]):
            store.upsert_article(Article(id=f"a-{i}", outlet="Vale Gazette", title=f"Report {i}", text=text))
    yield store
    store.close()


HOSTILE_QUERIES = ['"', '""', "*", "harbour*", "NEAR(harbour wall)", "title:harbour", "harbour OR", "AND", "-fire",
                   "'; DROP TABLE articles; --", "^harbour", "{title text}: wall", "\x00", "wall\") OR 1=1 --"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_treats_syntax_as_words(search_store, query):
    hits = search_store.search(query)
    assert isinstance(hits, list)
    assert search_store.count_articles() == 3


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_search_never_raises(search_store, query):
    assert isinstance(search_store.search(query), list)


NO_NETWORK = r"""
import socket, sys

def guard(event, args):
    if event == "socket.connect":
        family = args[0].family
        if family in (socket.AF_INET, socket.AF_INET6):
            raise RuntimeError(f"network connection attempted: {args[1]!r}")
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        raise RuntimeError(f"name lookup attempted: {args!r}")

sys.addaudithook(guard)
from samestory.cli import main
sys.argv = ["samestory"] + sys.argv[1:]
main()
"""


@pytest.mark.timeout(600)
def test_ingest_of_local_files_opens_no_network_connection(tmp_path):
    """Models come from installed packages: ingest works with every connect and DNS lookup refused."""
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i, place in enumerate(["Ashby", "Lowmarsh", "Northgate"]):
        (corpus / f"{i}.txt").write_text(
            f"Flood reaches {place}\n\nFloodwater reached {place} on Monday and {100 + i} homes were evacuated.\n\n"
            f"Mayor Ada Brook said: “We were ready this time.”\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-c", NO_NETWORK, "ingest", str(corpus), "--db", str(tmp_path / "n.db"), "--json"],
                          capture_output=True, text=True, timeout=580)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "attempted" not in proc.stderr, proc.stderr[-3000:]
    report = json.loads(proc.stdout)
    assert report["failed"] == 0 and report["added"] + report["duplicate"] == 3, report  # near copies count as duplicates
