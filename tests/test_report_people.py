"""Reports for people: golden files for each format, and no internal record in any report.

The golden files render ``tests/golden/story.coverage.json``: the comparison of the small story in
``tests/data/golden-story`` (written by the project), frozen so these tests check the renderers;
``tests/golden/make_golden.py`` rebuilds them. The repr checks run the real pipeline: the demo
report, ``compare --format md|html``, ``story ID --format md|html`` and the web's story page.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO

GOLDEN = REPO / "tests" / "golden"
STORY = REPO / "tests" / "data" / "golden-story"
sys.path.insert(0, str(GOLDEN))

# what a person must never read: record reprs, dict reprs and internal field names
INTERNAL = re.compile(
    r"Evidence\(|Span\(|DuplicateLink\(|Omission\(|ClaimGroup\(|LoadedWord\(|"
    r"claim\\?_group|cue\\?_evidence|article\\?_id|in\\?_headline|canonical\\?_id|"
    r"\{'|\{&#x27;|&#x27;: &#x27;|': '|\bmode: |\bweight \d"
)


def internal_bits(text: str) -> list[str]:
    return sorted({m.group(0) for m in INTERNAL.finditer(text)})


def _visible_html(html: str) -> str:
    """What a reader sees and what attributes say: tags' names and class/id/href values left out
    (ids such as ``ev-0-12-40`` and URLs with article ids are links, not text)."""
    html = re.sub(r"<(style|script)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s(?:class|id|href|for|name|type|rel|data-[\w-]+)=\"[^\"]*\"", "", html)


@pytest.fixture(scope="module")
def golden_module():
    import make_golden

    return make_golden


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_golden_report(golden_module, fmt):
    from samestory.report import render

    expected = (GOLDEN / golden_module.FORMATS[fmt]).read_text(encoding="utf-8")
    got = render(golden_module.coverage(), fmt, profiles=golden_module.profiles())
    assert got == expected, f"{fmt} report changed: run tests/golden/make_golden.py and read the diff"


def test_golden_reports_say_what_people_need(golden_module):
    md = (GOLDEN / "story.md").read_text(encoding="utf-8")
    html = (GOLDEN / "story.html").read_text(encoding="utf-8")
    # the neutral title is the plain shared headline, not the loaded one
    assert md.startswith("# Ferry runs aground off Kessel Bay, 40 passengers rescued\n")
    assert "SHAMBLES AT SEA" in md.split("## Headlines")[1]  # every outlet's own headline is listed
    assert "Harbour Digest (copy of Kessel Tribune)" in md
    assert "### Harbour Digest leaves out" not in md and "Harbour Digest</h3>" not in html.split('id="omissions"')[1].split('id="framing"')[0]
    assert "16 May 2026, 09:30 UTC+02:00" in md and "2026-05-16T09:30" not in md
    # the timeline groups the two 09:30 reports and runs across two days
    assert "### 16 May 2026" in md and "### 18 May 2026" in md
    moment = next(line for line in md.splitlines() if line.startswith("- 09:30 UTC+02:00, first report"))
    assert "Kessel Tribune" in moment and "Bayline News" in moment
    assert "Blindspot: no left-leaning outlet covers this story." in md
    # one statement told two ways: a finding in words, with its evidence
    assert re.search(r"Bayline News states as fact the claim “The channel had not been dredged for five years\.”, "
                     r"where Kessel Tribune attributes \(“According to local fishermen”\)\. \[Bayline News \(article 1, "
                     r"characters \d+-\d+\)\]", md)
    assert 'class="blindspot"' in html and 'class="headlines"' in html and 'class="balance"' in html
    for text in (md, _visible_html(html)):
        assert internal_bits(text) == []


def test_internal_pattern_catches_what_the_old_reports_printed():
    old = ("- Attribution: claim\\_group: g-e01e, mode: fact, cue: , cue\\_evidence: , evidence: "
           "Evidence(article_id='a-1759', start=0, end=5)")
    assert {"claim\\_group", "cue\\_evidence", "Evidence(", "article_id"} <= set(internal_bits(old))
    assert internal_bits("{'article_id': 'a-1', 'start': 0}")
    assert internal_bits("The Daily Lantern states as fact the claim “x”.") == []


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def _cli(runner, *args) -> str:
    from samestory.cli import main

    result = runner.invoke(main, list(args), catch_exceptions=False, standalone_mode=False)
    assert result.exit_code in (0, None), result.output
    return result.output


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_compare_reports_carry_no_internal_objects(runner, nlp, embedder, fmt):
    out = _cli(runner, "compare", *sorted(str(p) for p in STORY.glob("*.txt")), "--format", fmt,
               "--profiles", str(STORY / "profiles.csv"))
    text = _visible_html(out) if fmt == "html" else out
    assert "Kessel" in text
    assert internal_bits(text) == []


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_story_reports_carry_no_internal_objects(runner, demo_db, fmt):
    from samestory.store import Store

    with Store(demo_db, readonly=True) as store:
        main = max(store.stories(), key=lambda s: s.sources)
    out = _cli(runner, "story", main.id, "--db", str(demo_db), "--format", fmt,
               "--profiles", str(REPO / "examples" / "outlet-profiles.csv"))
    text = _visible_html(out) if fmt == "html" else out
    assert "Hallin Dam" in text and "copy of" in text
    assert internal_bits(text) == []


def test_demo_report_and_web_page_carry_no_internal_objects(runner, demo_db, tmp_path, nlp, embedder):
    from fastapi.testclient import TestClient

    from samestory.report.profiles import load_profiles
    from samestory.store import Store
    from samestory.web.app import create_app

    path = Path(_cli(runner, "demo", "--out", str(tmp_path / "demo")).strip().splitlines()[-1])
    html = path.read_text(encoding="utf-8")
    assert 'class="balance"' in html  # the demo uses the shipped example profiles
    assert internal_bits(_visible_html(html)) == []
    with Store(demo_db, readonly=True) as store:
        ids = [s.id for s in store.stories()]
    client = TestClient(create_app(demo_db, profiles=load_profiles(REPO / "examples" / "outlet-profiles.csv")))
    for sid in ids:
        page = client.get(f"/stories/{sid}").text
        assert internal_bits(_visible_html(page)) == [], sid


def test_readable_dates():
    from samestory.report.people import readable_date

    assert readable_date("2025-03-11T08:15:00+01:00") == "11 Mar 2025, 08:15 UTC+01:00"
    assert readable_date("2025-03-11T10:30:00Z") == "11 Mar 2025, 10:30 UTC"
    assert readable_date("2025-03-11") == "11 Mar 2025"
    assert readable_date("2025-03-11T10:30:00") == "11 Mar 2025, 10:30 (no time zone)"
    assert readable_date(None) == ""


def test_profiles_read_csv_and_json_and_name_bad_input(tmp_path):
    from samestory.errors import InputError
    from samestory.report.profiles import load_profiles, parse_profiles

    shipped = load_profiles(REPO / "examples" / "outlet-profiles.csv")
    assert shipped.side("the daily lantern") == "right" and shipped.side("Northgate Evening Star") == "left"
    assert shipped.side("NewsHeap") is None and "NewsHeap" in shipped
    as_json = parse_profiles(json.dumps({"A Post": "centre", "B Times": {"leaning": 0.9, "owner": "B plc"}}))
    assert as_json.side("A Post") == "centre" and as_json["B Times"].owner == "B plc" and as_json.side("B Times") == "right"
    with pytest.raises(InputError, match="leaning 'sideways'"):
        parse_profiles("outlet,leaning\nX,sideways\n", "p.csv")
    with pytest.raises(InputError, match="no 'outlet' column"):
        parse_profiles("name,leaning\nX,left\n", "p.csv")
    with pytest.raises(InputError, match="outside -1"):
        parse_profiles("outlet,leaning\nX,3\n", "p.csv")
    with pytest.raises(InputError, match="no such profiles file"):
        load_profiles(tmp_path / "missing.csv")


def test_blindspot_rule():
    from samestory.report.people import balance
    from samestory.report.profiles import parse_profiles

    profiles = parse_profiles("outlet,leaning\nL1,left\nL2,left\nC1,centre\nR1,right\n")
    assert balance(["L1", "L2"], profiles).blindspot == "right"
    assert balance(["L1", "C1"], profiles).blindspot == "right"
    assert balance(["L1", "R1", "C1"], profiles).blindspot is None
    assert balance(["L1", "Unknown"], profiles).blindspot is None  # one profiled outlet says too little
    assert balance(["C1", "L1", "l1"], profiles).counts == {"left": 1, "centre": 1, "right": 0, "unknown": 0}
    assert balance(["L1"], None) is None


@pytest.mark.xfail(strict=True, reason=(
    "issue 17: the learned aligner scores the Lantern's sirens sentence against the Courier's 'Critics say ...' "
    "one at 0.26 (threshold 0.42), so the planted claim is not shared and no contrast is found; strict: "
    "this fails once alignment finds it again, and the xfail must then go"))
def test_attribution_findings_find_the_planted_contrast_and_no_reported_speech_as_fact(demo_db):
    from samestory.report.people import _QUOTE_MARKS, _REPORTED, attribution_findings
    from samestory.store import Store
    from samestory.workflow import story_coverage

    with Store(demo_db, readonly=True) as store:
        main = max(store.stories(), key=lambda s: s.sources)
        coverage = story_coverage(store, main.id)
    findings = attribution_findings(coverage)
    # PLANTED.md, "One claim, three framings": the Lantern states as fact what the wire attributes
    lantern = [f.sentence for f in findings.get("The Daily Lantern", [])]
    assert any("sirens" in s and "Harbour Courier attributes" in s for s in lantern), lantern
    assert "NewsHeap" not in findings and "Northgate Evening Star" not in findings  # copies present as their source
    for items in findings.values():
        for f in items:
            assert f.evidence is not None and f.evidence.outlet == f.outlet
            if " states as fact " in f.sentence.split(" the claim ")[0]:
                assert not _QUOTE_MARKS.search(f.evidence.text) and not _REPORTED.search(f.evidence.text)


def test_a_scare_quoted_cue_is_quoted_once():
    from samestory.report.people import _how

    assert _how({"mode": "scare-quoted", "cue": "“rigged”"}) == "puts in scare quotes (“rigged”)"
    assert _how({"mode": "attributed", "cue": "what his opponents say"}) == "attributes (“what his opponents say”)"
