"""Control characters never reach a terminal or a rendered page (samestory.text.control)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from samestory.cli import main
from samestory.text.control import escape_json_controls, printable

# what a terminal would act on: C0 but newline/tab, DEL, C1, bidi overrides/isolates, line separators
TERMINAL_ACTIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
OSC_LINK = "\x1b]8;;http://evil.example/\x07click me\x1b]8;;\x07"


def test_printable_drops_escapes_keeps_layout_and_text():
    text = f"Harbour \x1b[31mwall\x07 {OSC_LINK}\r\nline two\tcol \x9b2J\u202eevil\u2028end"
    out = printable(text)
    assert not TERMINAL_ACTIVE.search(out)
    assert out == "Harbour [31mwall ]8;;http://evil.example/click me]8;;\nline two\tcol 2Jevil\nend"
    assert "\n" not in printable("a\nb\tc", keep_newlines=False) and printable("a\nb", keep_newlines=False) == "a b"
    assert printable("plain Zürich “quotes” — العربية") == "plain Zürich “quotes” — العربية"


def test_escaped_json_is_the_same_data():
    data = {"t": "a\x1b[2J b\x9b c\u202e d\u2028 e\x7f f\x07"}
    raw = json.dumps(data, ensure_ascii=False)
    safe = escape_json_controls(raw)
    assert not TERMINAL_ACTIVE.search(safe)
    assert json.loads(safe) == data


HOSTILE = [
    {"id": "hostile/1", "outlet": "Out\x1b[1mlet", "url": "https://a.example/1",
     "title": "Harbour \x1b[31mwall\x07 approved \x9b2J",
     "text": "The council of Westmere approved a new harbour wall on Tuesday " + OSC_LINK +
             " after a long debate \x1b[2J about its cost, the mayor said.\n\nThe wall will cost 4 million "
             "euros and take two years to build, officials said on Tuesday \u202eevening."},
    {"id": "hostile/2", "outlet": "Other", "url": "https://b.example/1",
     "title": "Westmere harbour wall \x1b]0;pwned\x07approved",
     "text": "The council of Westmere approved a new harbour wall on Tuesday night after a long debate "
             "\x1b[2J about its cost, the mayor said.\n\nThe wall will cost 4 million euros and take two "
             "years to build \x07\x07, officials said on Tuesday."},
]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    src = folder / "hostile.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in HOSTILE), encoding="utf-8")
    db = folder / "h.db"
    result = CliRunner().invoke(main, ["ingest", str(src), "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return db


def _run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_cli_output_of_article_text_has_no_control_characters(hostile_db):
    db = str(hostile_db)
    listing = _run("stories", "--db", db)
    assert "Harbour" in listing and not TERMINAL_ACTIVE.search(listing)
    story_id = listing.split()[0]
    hits = _run("search", "harbour", "--db", db)
    assert "hostile/1" in hits and not TERMINAL_ACTIVE.search(hits)
    for fmt in ("md", "html", "json"):
        out = _run("story", story_id, "--db", db, "--format", fmt)
        assert "Westmere" in out and not TERMINAL_ACTIVE.search(out), fmt
    # the JSON keeps the stored text: escaped, not dropped
    data = json.loads(_run("stories", "--db", db, "--json"))
    assert any("\x1b" in s["title"] for s in data["stories"])
    assert not TERMINAL_ACTIVE.search(_run("stories", "--db", db, "--json").replace("\n", ""))
