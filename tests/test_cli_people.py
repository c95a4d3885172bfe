"""The CLI for people: outlets per input, profiles, stories filters and limits, search output."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from conftest import EXAMPLES, REPO
from samestory.cli import main

STORY = REPO / "tests" / "data" / "golden-story"
PROFILES = EXAMPLES / "outlet-profiles.csv"


def run(*args: str, **kw):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kw)


def _plain_copies(tmp_path):
    """Two of the golden story's articles without their sidecars: outlets must come from the command line."""
    out = []
    for name in ("kessel-tribune.txt", "oster-herald.txt"):
        target = tmp_path / name
        shutil.copy(STORY / name, target)
        out.append(str(target))
    return out


def test_one_outlet_for_several_files_is_refused(tmp_path):
    files = _plain_copies(tmp_path)
    result = run("compare", *files, "--outlet", "Same Name")
    assert result.exit_code != 0
    assert "--outlet FILE=NAME" in result.output and "merge their sources" in result.output


def test_outlet_per_file_and_outlet_map(tmp_path, nlp, embedder):
    a, b = _plain_copies(tmp_path)
    result = run("compare", a, b, "--outlet", f"{a}=Tribune One", "--outlet", "oster-herald.txt=Herald Two",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    assert {x["outlet"] for x in json.loads(result.stdout)["articles"]} == {"Tribune One", "Herald Two"}
    mapping = tmp_path / "outlets.csv"
    mapping.write_text(f"file,outlet\n{a},Mapped A\noster-herald.txt,Mapped B\n")
    mapped = run("compare", a, b, "--outlet-map", str(mapping), "--format", "json")
    assert mapped.exit_code == 0, mapped.output
    assert {x["outlet"] for x in json.loads(mapped.stdout)["articles"]} == {"Mapped A", "Mapped B"}
    single = run("analyze", a, "--outlet", "Only One")
    assert single.exit_code == 0, single.output
    assert json.loads(single.stdout)["articles"][0]["outlet"] == "Only One"


@pytest.fixture(scope="module")
def cli_db(demo_db, tmp_path_factory):
    db = tmp_path_factory.mktemp("cli-people") / "demo.db"
    shutil.copy(demo_db, db)
    return str(db)


def test_profiles_import_list_and_side_filter(cli_db):
    bare = run("stories", "--db", cli_db, "--side", "left")
    assert bare.exit_code != 0 and "needs outlet profiles" in bare.output
    imported = run("profiles", "import", str(PROFILES), "--db", cli_db)
    assert imported.exit_code == 0 and "imported 6 outlet profiles" in imported.output
    listed = json.loads(run("profiles", "list", "--db", cli_db, "--json").stdout)["profiles"]
    assert {p["outlet"] for p in listed} >= {"The Daily Lantern", "Harbour Courier"}
    left = json.loads(run("stories", "--db", cli_db, "--side", "left", "--json").stdout)
    right = json.loads(run("stories", "--db", cli_db, "--side", "right", "--json").stdout)
    everything = json.loads(run("stories", "--db", cli_db, "--json").stdout)
    assert 0 < left["total"] < everything["total"] and 0 < right["total"] < everything["total"]
    paint = next(s for s in everything["stories"] if set(s["outlets"]) == {"Harbour Courier", "Northgate Evening Star"})
    assert paint["id"] in {s["id"] for s in left["stories"]} and paint["id"] not in {s["id"] for s in right["stories"]}
    text = run("stories", "--db", cli_db).stdout
    assert "blindspot: no right-leaning outlet" in text


def test_stories_filters_and_limit(cli_db):
    everything = json.loads(run("stories", "--db", cli_db, "--json").stdout)
    total = everything["total"]
    limited = run("stories", "--db", cli_db, "--limit", "1")
    assert limited.exit_code == 0
    assert f"1 of {total} shown; --limit {total}" in limited.output
    many = json.loads(run("stories", "--db", cli_db, "--min-outlets", "3", "--json").stdout)["stories"]
    assert many and all(len(s["outlets"]) >= 3 for s in many)
    by_outlet = json.loads(run("stories", "--db", cli_db, "--outlet", "the daily lantern", "--json").stdout)["stories"]
    assert by_outlet and all("The Daily Lantern" in s["outlets"] for s in by_outlet)
    early = json.loads(run("stories", "--db", cli_db, "--until", "2025-02-28", "--json").stdout)["stories"]
    assert early and all(s["first_published"] < "2025-03" for s in early)
    none = run("stories", "--db", cli_db, "--since", "2030-01-01")
    assert "no story matches" in none.output
    bad = run("stories", "--db", cli_db, "--since", "last tuesday")
    assert bad.exit_code != 0 and "not a date" in bad.output
    assert "1 article," in run("stories", "--db", cli_db).stdout  # plurals: "1 article", not "1 articles"


def test_search_prints_hits_or_says_none(cli_db):
    found = run("search", "siren", "--db", cli_db)
    assert found.exit_code == 0
    assert "Hallin Dam" in found.stdout or "siren" in found.stdout.lower()
    assert "[" not in found.stdout and "\ue000" not in found.stdout
    missing = run("search", "antarctic station", "--db", cli_db)
    assert missing.exit_code == 1 and "no article matches 'antarctic station'" in missing.output
