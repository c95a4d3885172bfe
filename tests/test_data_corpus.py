"""The project's own test data is well formed: the demo corpus matches its ground truth
(examples/demo/planted.json), the good inputs parse, and the bad-input generator works."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import struct
import zlib
from datetime import datetime
from pathlib import Path

import feedparser
import pytest
from warcio.archiveiterator import ArchiveIterator

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"
DATA = REPO / "tests" / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"

MAX_COMMITTED_BYTES = 200 * 1024


def _load_script(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def planted() -> dict:
    return json.loads((DEMO / "planted.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts(planted) -> dict[str, str]:
    """outlet -> raw text of that outlet's story file."""
    return {outlet: (DEMO / name).read_text(encoding="utf-8") for name, outlet in planted["outlets"].items()}


def _aware(ts: str) -> datetime:
    parsed = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None, f"{ts!r} has no timezone"
    return parsed


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


# ---------------------------------------------------------------------------------------- demo


def test_planted_names_only_existing_files(planted):
    names = set(planted["story_articles"]) | set(planted["wire_family"]) | set(planted["junk_lines"])
    names |= {planted["aggregator_copy"]["copy"], planted["aggregator_copy"]["original"], planted["other_events_file"]}
    names |= set(planted["files_without_sidecar"]) | set(planted["non_article_files"]) | set(planted["html_boilerplate"])
    names |= {row["file"] for row in planted["reporting_lines_that_look_like_junk"]}
    names |= {row["file"] for row in planted["quote_forms"]}
    missing = sorted(n for n in names if not (DEMO / n).is_file())
    assert not missing, f"planted.json names files that do not exist: {missing}"
    assert set(planted["outlets"]) == set(planted["story_articles"])


def test_every_demo_file_is_accounted_for(planted):
    """No stray files: each file is a story article, its sidecar, the other-events JSONL or a non-article file."""
    expected = set(planted["story_articles"]) | {planted["other_events_file"]} | set(planted["non_article_files"])
    expected |= {Path(n).stem + ".meta.json" for n in planted["story_articles"] if n not in planted["files_without_sidecar"]}
    assert {p.name for p in DEMO.iterdir()} == expected


def test_txt_files_have_sidecars_and_html_does_not(planted):
    for path in sorted(DEMO.glob("*.txt")):
        sidecar = path.with_suffix(".meta.json")
        assert sidecar.is_file(), f"{path.name} has no sidecar {sidecar.name}"
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        assert set(meta) == {"outlet", "url", "published", "author"}, sidecar.name
        assert meta["outlet"] == planted["outlets"][path.name]
        assert meta["published"] == planted["published"][path.name]
        assert meta["url"].startswith("https://") and ".example/" in meta["url"]
        _aware(meta["published"])
        first_line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        assert 20 < len(first_line) < 120, f"{path.name}: first non-empty line should be a headline"
    for name in planted["files_without_sidecar"]:
        assert not (DEMO / name).with_suffix(".meta.json").exists()


def test_story_articles_are_news_length(planted):
    for name in planted["story_articles"]:
        raw = (DEMO / name).read_text(encoding="utf-8")
        if name.endswith(".html"):
            body = re.search(r'itemprop="articleBody">(.*?)</div>', raw, re.S).group(1)
            raw = re.sub(r"<[^>]+>", " ", body)
        words = len(raw.split())
        assert 350 <= words <= 700, f"{name}: {words} words"


def test_html_page_carries_its_metadata(planted):
    info = planted["html_article"]
    html = (DEMO / info["file"]).read_text(encoding="utf-8")
    assert f'<meta property="og:title" content="{info["title"]}">' in html
    assert f'<meta property="og:site_name" content="{info["outlet"]}">' in html
    assert f'<meta property="article:published_time" content="{info["published"]}">' in html
    assert f'<link rel="canonical" href="{info["url"]}">' in html
    assert f'<meta name="author" content="{info["author"]}">' in html
    for part in ("<article", "<nav", "<footer", "<aside", "<script", "cookie-banner", info["body_first"], info["body_last"]):
        assert part in html, part
    start = html.index('itemprop="articleBody"')
    body = html[start : html.index("</div>", start)]
    for phrase in planted["html_boilerplate"][info["file"]]:
        assert phrase in html, phrase
        assert phrase not in body, f"boilerplate phrase {phrase!r} is inside the article body"


def test_other_events_jsonl(planted):
    lines = (DEMO / planted["other_events_file"]).read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    for row in rows:
        assert set(row) == {"id", "url", "outlet", "title", "text", "published", "language"}
        assert all(isinstance(row[k], str) and row[k] for k in row), row["id"]
        _aware(row["published"])
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(i for group in planted["other_events"].values() for i in group)
    assert set(planted["look_alike_events"]) <= set(planted["other_events"])
    story_words = ("Hallin", "Carrow Vale")
    assert not any(w in row["text"] for row in rows for w in story_words), "an unrelated event mentions the dam story"


def test_junk_lines_are_whole_lines_and_reporting_lines_survive(planted):
    for name, junk in planted["junk_lines"].items():
        lines = set((DEMO / name).read_text(encoding="utf-8").splitlines())
        assert not [j for j in junk if j not in lines], name
    for row in planted["reporting_lines_that_look_like_junk"]:
        lines = (DEMO / row["file"]).read_text(encoding="utf-8").splitlines()
        assert row["line"] in lines
        assert not any(row["line"] in junk for junk in planted["junk_lines"].values())


def test_aggregator_copy_is_original_plus_junk(planted):
    copy = planted["aggregator_copy"]["copy"]
    original = (DEMO / planted["aggregator_copy"]["original"]).read_text(encoding="utf-8")
    junk = set(planted["junk_lines"][copy])
    kept = "\n".join(line for line in (DEMO / copy).read_text(encoding="utf-8").splitlines() if line not in junk)
    original_junk = set(planted["junk_lines"].get(planted["aggregator_copy"]["original"], []))
    original_clean = "\n".join(line for line in original.splitlines() if line not in original_junk)
    assert _paragraphs(kept) == _paragraphs(original_clean)


def test_wire_family_shares_dateline_and_most_paragraphs(planted):
    first, second = (_paragraphs((DEMO / n).read_text(encoding="utf-8")) for n in planted["wire_family"])
    for paras in (first, second):
        assert paras[1].startswith("CARROW VALE, March 11 (Wire Press) —")
    shared = set(first[1:]) & set(second[1:])
    assert first[0] != second[0], "the two outlets' headlines should differ"
    assert len(shared) >= 0.6 * max(len(first), len(second)) - 1
    assert set(first[1:]) != set(second[1:]), "a wire rewrite is lightly edited, not identical"


def test_planted_evidence_is_really_in_the_files(planted, texts):
    rows = planted["number_disagreements"] + planted["consistent_numbers"]
    rows += planted["attribution_variants"]["claim_framing"]
    for row in rows:
        for outlet, snippet in row["evidence"].items():
            assert snippet in texts[outlet], (outlet, snippet)
    for row in planted["number_disagreements"]:
        assert len({str(v) for v in row["values"].values()}) > 1, f"{row['subject']}: values do not disagree"
        assert set(row["evidence"]) == set(row["values"])
    for variant in planted["quote_variants"]:
        assert len(set(variant["versions"].values())) > 1
        for outlet, text in variant["versions"].items():
            assert text in texts[outlet], (outlet, text)
    for row in planted["identical_quotes"]:
        for outlet in row["outlets"]:
            assert row["text"] in texts[outlet]
    absent = {o for o in texts} - set(planted["identical_quotes"][0]["outlets"])
    assert all(planted["identical_quotes"][0]["text"] not in texts[o] for o in absent)
    for row in planted["attribution_variants"]["quote_speaker"]:
        assert len(set(row["speakers"].values())) == 2
        for outlet, speaker in row["speakers"].items():
            assert row["quote"] in texts[outlet] and speaker.split()[-1] in texts[outlet], outlet
    for form in planted["quote_forms"]:
        assert form["text"] in (DEMO / form["file"]).read_text(encoding="utf-8"), form


def test_loaded_words_only_where_planted(planted, texts):
    every_word = {w for words in planted["loaded_words"].values() for w in words}
    for outlet, words in planted["loaded_words"].items():
        lowered = texts[outlet].lower()
        for word in words:
            assert word in lowered, (outlet, word)
        for word in every_word - set(words):
            assert not re.search(rf"\b{re.escape(word)}\b", lowered), f"{outlet} unexpectedly uses {word!r}"


def test_latest_figure_is_published_last(planted):
    toll = next(r for r in planted["number_disagreements"] if r["attribute"] == "death toll")
    by_outlet = {planted["outlets"][n]: _aware(ts) for n, ts in planted["published"].items()}
    latest = max(by_outlet, key=by_outlet.get)
    assert toll["values"][latest] == max(toll["values"].values())


# ---------------------------------------------------------------------------------------- sizes


def test_committed_data_is_small():
    files = [p for root in (REPO / "examples", DATA) for p in root.rglob("*") if p.is_file()]
    files = [p for p in files if "__pycache__" not in p.parts]
    assert files
    big = {str(p.relative_to(REPO)): p.stat().st_size for p in files if p.stat().st_size >= MAX_COMMITTED_BYTES}
    assert not big, f"committed test data must stay under 200 KB: {big}"


# ---------------------------------------------------------------------------------------- good


def test_good_feeds_parse():
    rss = feedparser.parse(str(GOOD / "feed-full.rss"))
    assert not rss.bozo and rss.version == "rss20" and len(rss.entries) == 3
    assert all(e.get("content") and len(e.content[0].value) > 150 for e in rss.entries)
    atom = feedparser.parse(str(GOOD / "feed-summary.atom"))
    assert not atom.bozo and atom.version == "atom10" and len(atom.entries) == 3
    assert all("content" not in e and e.summary and e.link.startswith("https://") for e in atom.entries)


def test_good_jsonl_parses():
    rows = [json.loads(line) for line in (GOOD / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert isinstance(row["title"], str) and ("text" in row) != ("html" in row)
        _aware(row["published"])


def test_sample_warc_records_and_reproducible_build(tmp_path):
    with open(GOOD / "sample.warc.gz", "rb") as fh:
        records = [(r.rec_type, r.http_headers.get_header("Content-Type") if r.http_headers else None,
                    len(r.content_stream().read())) for r in ArchiveIterator(fh)]
    kinds = [(kind, (ctype or "").split(";")[0]) for kind, ctype, _ in records]
    assert kinds == [("request", ""), ("response", "text/html"), ("response", "text/html"),
                     ("response", "text/html"), ("response", "image/png")]
    assert all(size > 500 for kind, ctype, size in records[1:4])
    rebuilt = _load_script(GOOD / "make_warc.py").build(tmp_path / "sample.warc.gz")
    assert rebuilt.read_bytes() == (GOOD / "sample.warc.gz").read_bytes(), "make_warc.py no longer reproduces sample.warc.gz"


# ---------------------------------------------------------------------------------------- bad


@pytest.fixture(scope="module")
def make_bad():
    return _load_script(BAD / "make_bad.py")


def test_committed_bad_files_match_the_generator(make_bad, tmp_path):
    written = {p.name: p.read_bytes() for p in make_bad.write_committed(tmp_path)}
    committed = {p.name: p.read_bytes() for p in BAD.iterdir() if p.is_file() and p.name not in {"make_bad.py", "expected.json"}}
    assert set(written) == set(committed)
    changed = sorted(n for n in written if written[n] != committed[n])
    assert not changed, f"rerun make_bad.py --committed: {changed}"


def test_expected_json_covers_every_bad_file(make_bad):
    expected = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
    committed = {p.name for p in BAD.iterdir() if p.is_file()} - {"make_bad.py", "expected.json"}
    assert set(expected["files"]) == committed
    outcomes = set(expected["_outcomes"])
    for name, row in {**expected["files"], **expected["generated"]}.items():
        assert row["expect"] in outcomes, name
    broken = (BAD / "broken.jsonl").read_text(encoding="utf-8").splitlines()
    assert set(expected["files"]["broken.jsonl"]["lines"]) == {str(i) for i in range(1, len(broken) + 1)}
    for number, verdict in expected["files"]["broken.jsonl"]["lines"].items():
        line = broken[int(number) - 1]
        try:
            value = json.loads(line)
        except json.JSONDecodeError:
            value = None
        if verdict == "ok":
            assert value["id"] in expected["files"]["broken.jsonl"]["articles"]
        elif "JSON" in verdict or "junk" in verdict:
            assert value is None or not isinstance(value, dict) or verdict.startswith("error: a JSON string")


def test_bad_encodings_are_really_not_utf8():
    for name in ("cp1252.txt", "latin1.txt", "mixed-encoding.txt", "cp1252-declared-utf8.html", "binary.txt", "binary.html"):
        with pytest.raises(UnicodeDecodeError):
            (BAD / name).read_bytes().decode("utf-8")
    assert (BAD / "utf8-bom.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (BAD / "utf16-bom.txt").read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert "Café owner’s “hidden” garden" in (BAD / "cp1252.txt").read_bytes().decode("cp1252")


def test_truncated_inputs_are_truncated():
    with pytest.raises((EOFError, zlib.error, OSError)):
        gzip.decompress((BAD / "truncated.html.gz").read_bytes())
    with pytest.raises((EOFError, zlib.error, OSError)):
        gzip.decompress((BAD / "truncated.warc.gz").read_bytes())
    assert (BAD / "truncated.warc").read_bytes() in gzip.decompress((GOOD / "sample.warc.gz").read_bytes())


def test_make_bad_generates_small_versions(make_bad, tmp_path):
    paths = make_bad.make_generated(tmp_path, size_mb=1, depth=1000, bomb_mb=16)
    assert set(paths) == {"huge-page.html", "deep-nesting.html", "deep-nesting-unclosed.html", "bomb.html.gz"}
    assert all(p.parent == tmp_path for p in paths.values())
    assert paths["huge-page.html"].stat().st_size >= 1024 * 1024
    assert paths["huge-page.html"].read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert paths["deep-nesting.html"].read_text(encoding="utf-8").count("<div>") == 1000
    assert paths["deep-nesting.html"].read_text(encoding="utf-8").count("</div>") == 1000
    assert "</div>" not in paths["deep-nesting-unclosed.html"].read_text(encoding="utf-8")
    bomb = paths["bomb.html.gz"]
    assert gzip.decompress(bomb.read_bytes()) == bytes(16 * 1024 * 1024)  # also checks CRC and size
    assert bomb.stat().st_size < 16 * 1024 * 1024 / 500


def test_make_bad_full_sizes_without_inflating(make_bad, tmp_path):
    """Full-size files are cheap to write (about 2 s); check the bomb by its trailer and one member."""
    paths = make_bad.make_generated(tmp_path)
    assert paths["huge-page.html"].stat().st_size >= 50 * 1024 * 1024
    assert paths["deep-nesting.html"].read_text(encoding="utf-8").count("<div>") == 100_000
    data = paths["bomb.html.gz"].read_bytes()
    assert len(data) < 2 * 1024 * 1024
    declared = struct.unpack("<I", data[-4:])[0]
    assert declared == (1100 * 1024 * 1024) % 2**32 and 1100 * 1024 * 1024 > 10**9
    inflater = zlib.decompressobj(31)
    first = inflater.decompress(data, 64 * 1024 * 1024)  # capped: never inflate the whole bomb here
    assert len(first) == 64 * 1024 * 1024 and not inflater.eof and set(first[:4096]) == {0}
