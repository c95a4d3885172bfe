"""The CLI end to end on the demo corpus and the seeds (real models, real store)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conftest import EXAMPLES
from samestory.cli import main

PLANTED = json.loads((EXAMPLES / "demo" / "planted.json").read_text())


def run(*args: str, **kw):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, **kw)
    return result


def test_demo_prints_an_html_report(tmp_path):
    result = run("demo", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip().splitlines()[-1])
    assert path.exists() and path.suffix == ".html"
    html = path.read_text()
    for outlet in set(PLANTED["outlets"].values()):
        assert outlet in html, outlet


def test_compare_seeds_json(seeds):
    result = run("compare", *map(str, seeds), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["articles"]) == 2
    assert all(a["outlet"] and len(a["text"]) > 500 for a in data["articles"])
    assert data["story"]["sources"] == 2


def test_ingest_then_stories(tmp_path):
    db = str(tmp_path / "cli.db")
    result = run("ingest", str(EXAMPLES), "--db", db)
    assert result.exit_code == 0, result.output
    assert "added" in result.output
    listing = json.loads(run("stories", "--db", db, "--json").stdout)["stories"]
    by_article_count = max(listing, key=lambda s: s["sources"])
    assert by_article_count["sources"] >= 5
    assert len(listing) >= 1 + len(PLANTED["other_events"]) - 1
    # idempotent: a second ingest adds nothing
    again = run("ingest", str(EXAMPLES), "--db", db, "--json")
    assert json.loads(again.stdout)["added"] == 0
    story = run("story", by_article_count["id"], "--db", db, "--format", "md")
    assert story.exit_code == 0 and by_article_count["title"] in story.stdout
    # -o FILE holds what stdout shows, ending with its newline
    out = tmp_path / "story.md"
    assert run("story", by_article_count["id"], "--db", db, "--format", "md", "-o", str(out)).exit_code == 0
    written = out.read_text(encoding="utf-8")
    assert written.endswith("\n") and written.rstrip("\n") == story.stdout.rstrip("\n")
    as_json = tmp_path / "story.json"
    assert run("story", by_article_count["id"], "--db", db, "--format", "json", "-o", str(as_json)).exit_code == 0
    assert as_json.read_text(encoding="utf-8").endswith("}\n")


def test_ingest_exit_status(tmp_path):
    db = str(tmp_path / "x.db")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary\xff" * 50)
    good = tmp_path / "good.txt"
    good.write_text("Tram vote delayed\n\nThe Lowmarsh council delayed its tram vote to April, the clerk said.\n")
    # some failed but the batch finished: exit 0, failure listed with its reason
    mixed = run("ingest", str(bad), str(good), "--db", db)
    assert mixed.exit_code == 0, mixed.output
    assert "bad.txt" in mixed.output and "failed 1" in mixed.output
    # nothing could be done: non-zero
    nothing = run("ingest", str(bad), "--db", str(tmp_path / "y.db"))
    assert nothing.exit_code != 0


def test_stdin_jsonl(tmp_path):
    db = str(tmp_path / "stdin.db")
    line = json.dumps({"id": "t-1", "outlet": "Test Wire", "title": "Bridge opens in Eastbrook",
                       "text": "The new bridge in Eastbrook opened on Monday, the mayor said. It cost 4 million."})
    result = run("ingest", "-", "--db", db, input=line + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(run("search", "bridge", "--db", db, "--json").stdout)["hits"][0]["id"] == "t-1"


def test_missing_story_is_a_clear_error(tmp_path):
    db = str(tmp_path / "e.db")
    run("ingest", str(EXAMPLES / "demo" / "other-events.jsonl"), "--db", db)
    result = CliRunner().invoke(main, ["story", "s-nope", "--db", db])
    assert result.exit_code == 1 and "no story" in result.output


def _one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("samestory: error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_bad_interval_is_one_line_not_a_traceback(tmp_path):
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("http://127.0.0.1:1/feed\n")
    result = run("watch", str(feeds), "--every", "5x", "--db", str(tmp_path / "w.db"))
    assert result.exit_code == 2
    assert "--every" in _one_error_line(result) and "5x" in result.stderr
    assert not (tmp_path / "w.db").exists()  # rejected before the store is opened


def test_bad_option_value_and_samestory_error_are_one_line(tmp_path):
    result = run("story", "s1", "--format", "xx")
    assert result.exit_code == 2 and "--format" in _one_error_line(result)
    result = run("story", "s1", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "no such database" in _one_error_line(result)
