"""Property tests (hypothesis): readers, cleaners and analyzers never crash on any input.

- readers: arbitrary and mutated bytes under every file kind give ``RawDoc`` or ``Failure``
  items naming the input, never an exception (and never the catch-all "unexpected error");
- cleaners: no crash on any text, cleaning is idempotent, every removal span lies inside the
  raw text and says what it removed; ``clean()`` raises only ``InputError`` subclasses;
- quote finder: marks and spans lie inside the text, in order, without overlap;
- analyzers: ``enrich`` on short arbitrary text keeps every span inside the clean text
  (few examples: spaCy is slow);
- the Coverage JSON of ``render(coverage, "json")`` is strict JSON and validates against
  ``src/samestory/schema/coverage.schema.json``.

Example counts are modest so the file runs in well under a minute; ``bench/fuzz.py`` runs the
same kind of inputs for minutes per target.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from samestory.errors import InputError
from samestory.models import Article, Failure, RawDoc

DATA = Path(__file__).resolve().parent / "data"
SCHEMA = Path(__file__).resolve().parents[1] / "src" / "samestory" / "schema" / "coverage.schema.json"

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# ----------------------------------------------------------------------------- input strategies

# Seeds the mutations start from: our own good and bad test files, by the extension they carry.
_SEED_FILES = {
    ".txt": ["bad/cp1252.txt", "bad/mixed-encoding.txt", "bad/hostile.txt", "bad/utf16-bom.txt"],
    ".html": ["bad/hostile.html", "bad/cp1252-declared-utf8.html", "bad/no-text.html"],
    ".jsonl": ["good/articles.jsonl", "bad/broken.jsonl"],
    ".rss": ["good/feed-full.rss", "bad/rss-billion-laughs.xml", "bad/rss-external-entity.xml"],
    ".atom": ["good/feed-summary.atom", "bad/atom-unclosed.xml"],
    ".xml": ["good/feed-full.rss", "bad/rss-wrong-root.xml", "bad/atom-wrong-root.xml"],
    ".warc.gz": ["good/sample.warc.gz", "bad/truncated.warc.gz"],
    ".warc": ["bad/truncated.warc"],
    ".html.gz": ["bad/truncated.html.gz"],
}
READER_EXTENSIONS = sorted(_SEED_FILES) + [".txt.gz", ".jsonl.gz", ".unknown"]


def _seed_bytes(ext: str) -> list[bytes]:
    out = []
    for rel in _SEED_FILES.get(ext, []):
        p = DATA / rel
        if p.is_file():
            out.append(p.read_bytes())
    if ext == ".warc":
        import gzip

        good = DATA / "good" / "sample.warc.gz"
        if good.is_file():
            out.append(gzip.decompress(good.read_bytes()))
    return out


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    """A seed file with a few random edits: cut, delete, insert, overwrite or duplicate bytes."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "delete", "insert", "overwrite", "dup"]))
        n = len(data)
        at = draw(st.integers(0, max(0, n)))
        if op == "cut":
            del data[at:]
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif op == "overwrite" and n:
            at = min(at, n - 1)
            data[at] = draw(st.integers(0, 255))
        elif op == "dup":
            data[at:at] = data[at : at + draw(st.integers(1, 256))]
    return bytes(data)


def file_bytes(ext: str) -> st.SearchStrategy[bytes]:
    plain = st.one_of(
        st.binary(max_size=2048),
        st.text(max_size=600).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )
    seeds = _seed_bytes(ext)
    if ext.endswith(".gz") and ext not in (".warc.gz", ".html.gz"):
        import gzip

        plain = st.one_of(plain, plain.map(lambda b: gzip.compress(b, mtime=0)))
    return st.one_of(plain, mutated(seeds)) if seeds else plain


@st.composite
def reader_input(draw) -> tuple[str, bytes]:
    ext = draw(st.sampled_from(READER_EXTENSIONS))
    return ext, draw(file_bytes(ext))


# Lines that trip the junk rules, mixed with reporting and noise.
JUNK_LINES = [
    "Advertisement", "ADVERTISEMENT", "Read Entire Article", "Read more:", "[/caption]",
    '[caption id="attachment_12" align="alignnone" width="800"]', "Photo: Jane Doe/Harbour Courier",
    "Your email address will not be published.", "Leave a comment", "Sign up for our newsletter",
    "Share this article", "More trending", "Related stories", "5 hours ago", "1,234 views",
    "Contact the newsroom: news@example.org", "By Jane Doe", "Follow us on Twitter",
]
REPORTING = [
    "The council approved the harbour plan on Monday after a long debate.",
    "Mayor Ada Brook, 54, said: “We will start in May and finish by the autumn.”",
    "About 1,200 people signed the petition, according to the organisers.",
    "The work will cost £4.5m, the council said.",
    '"It is a good day for the town," said Tom Reed.',
    "Engineers said the wall could be repaired within four months.",
]
_line = st.one_of(st.sampled_from(JUNK_LINES), st.sampled_from(REPORTING), st.text(max_size=80))
_sep = st.sampled_from(["\n", "\n\n", "\r\n", "\n \n", " "])
newsy_text = st.lists(st.tuples(_line, _sep), max_size=14).map(lambda xs: "".join(a + b for a, b in xs))
any_text = st.one_of(st.text(max_size=500), newsy_text)


# ----------------------------------------------------------------------------- readers


def _read_bytes(ext: str, data: bytes) -> tuple[str, list]:
    from samestory.ingest import read_path

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"input{ext}"
        path.write_bytes(data)
        return str(path), list(read_path(path))


@FAST
@given(reader_input())
def test_readers_yield_rawdocs_or_failures_on_any_bytes(case):
    ext, data = case
    source, items = _read_bytes(ext, data)
    for item in items:
        assert isinstance(item, (RawDoc, Failure)), type(item)
        if isinstance(item, Failure):
            assert item.source.startswith(source), item  # names the input
            assert item.reason.strip(), item
            # the catch-all in `guarded`/`failure_from`: a reader raised something it did not expect
            assert not item.reason.startswith("unexpected error"), item
        else:
            assert item.source.startswith(source)
            assert item.kind in ("text", "html")
            assert isinstance(item.content, str)


def test_feed_with_undecodable_declared_encoding_gets_a_clear_reason():
    from samestory.ingest.feeds import iter_feed_docs

    (failure,) = iter_feed_docs(b'<?encoding="\x80"?>', source="feed.rss")  # found by bench/fuzz.py
    assert isinstance(failure, Failure) and failure.source == "feed.rss"
    assert not failure.reason.startswith("unexpected error"), failure.reason


@pytest.mark.parametrize("data", [
    # found by bench/fuzz.py: feedparser's strict parser fails to unpack an odd namespaced name
    b'<A><A A="" xmlns:_-n--n-="!\x85!" _="" a=""><_-n--n-:_>\x9d',
    # found by bench/fuzz.py: a <link without href makes the feed's link a dict, not a string
    b"<feed <links\t_<link<entry<",
])
def test_feed_parser_breakage_is_a_clear_failure(data):
    from samestory.ingest.feeds import iter_feed_docs

    items = list(iter_feed_docs(data, source="feed.rss"))
    assert items and all(isinstance(i, Failure) for i in items)
    for failure in items:
        assert failure.source == "feed.rss" and failure.reason.strip()
        assert not failure.reason.startswith("unexpected error"), failure.reason


@FAST
@given(st.binary(max_size=1024), st.sampled_from([".txt", ".html", ".jsonl", ".rss", ".warc"]))
def test_read_inputs_on_stdin_bytes(data, ext):
    """``-`` sniffs its input: any bytes give items or failures naming <stdin>."""
    import io

    from samestory.ingest import read_inputs

    for item in read_inputs(["-"], stdin=io.BytesIO(data)):
        assert isinstance(item, (RawDoc, Failure))
        if isinstance(item, Failure):
            assert item.source.startswith("<stdin>") and item.reason.strip()
            assert not item.reason.startswith("unexpected error"), item


# ----------------------------------------------------------------------------- cleaners


def _check_removals(raw: str, removals) -> None:
    for r in removals:
        assert 0 <= r.start <= r.end <= len(raw), (r, len(raw))
        assert raw[r.start : r.end] == r.text, r
        assert r.reason.strip()


@FAST
@given(any_text, st.one_of(st.none(), st.sampled_from(["Harbour plan approved", "Advertisement"])))
def test_clean_text_never_crashes_and_is_idempotent(text, title):
    from samestory.clean import clean_text

    clean, removals, captions = clean_text(text, title=title)
    assert isinstance(clean, str)
    _check_removals(text, removals)
    assert all(isinstance(c, str) for c in captions)
    again, removals2, _ = clean_text(clean, title=title)
    assert again == clean, (text, clean, removals2)
    assert removals2 == ()


def test_clean_text_idempotent_on_a_hard_wrapped_caption_shortcode():
    from samestory.clean import clean_text

    text = "[caption id=1 " + "a" * 40 + "\n" + "b" * 40 + "\n" + "c" * 40 + "]\n0"  # found by hypothesis
    clean, _, _ = clean_text(text)
    assert clean_text(clean)[0] == clean


@FAST
@given(any_text, st.sampled_from(["text", "html"]))
def test_clean_gives_article_or_input_error(text, kind):
    from samestory.clean import clean

    content = text if kind == "text" else f"<html><body><article><p>{text}</p></article></body></html>"
    raw = RawDoc(source="prop-input", kind=kind, content=content, title="Harbour plan approved", outlet="Prop Gazette")
    try:
        article = clean(raw)
    except InputError as exc:
        assert exc.source == "prop-input" and exc.reason.strip()
        return
    assert isinstance(article, Article)
    assert article.text.strip()
    _check_removals(article.raw_text, article.removed)


@FAST
@given(st.text(max_size=300).map(lambda t: f"<!DOCTYPE html><html><head><title>T</title></head><body>{t}</body></html>"))
def test_html_extraction_on_arbitrary_markup(page):
    from samestory.clean import extract_html

    try:
        ex = extract_html(page, source="prop-page")
    except InputError as exc:
        assert exc.source == "prop-page"
        return
    assert isinstance(ex.text or "", str)


# ----------------------------------------------------------------------------- quote finder

QUOTE_CHARS = "\"'“”‘’«»„‹› \n.,:Aa1"


@FAST
@given(st.one_of(st.text(alphabet=QUOTE_CHARS, max_size=200), any_text))
def test_quotation_spans_inside_text(text):
    from samestory.enrich.quotes import find_quotation_spans, scare_quotes

    marks = find_quotation_spans(text)
    last_close = -1
    for q in marks:
        assert 0 <= q.open < q.close < len(text), q
        assert q.open > last_close, marks  # in order, not overlapping
        last_close = q.close
    for span in scare_quotes(text):
        assert 0 <= span.start <= span.end <= len(text)


# ----------------------------------------------------------------------------- analyzers

short_text = st.one_of(
    st.text(max_size=160),
    st.lists(st.sampled_from(REPORTING + JUNK_LINES), min_size=1, max_size=4).map(" ".join),
)


def _in(span, n: int) -> bool:
    return 0 <= span.start <= span.end <= n


@SLOW
@given(short_text)
def test_enrich_spans_inside_clean_text(text):
    from samestory.enrich import enrich

    assume(text.strip())
    article = Article(id="a-prop", outlet="Prop Gazette", title="Prop", text=text)
    (out,) = enrich([article], embed=False)
    n = len(text)
    assert out.text == text
    for s in out.sentences:
        assert _in(s, n) and s.start < s.end
    for e in out.entities:
        for m in e.mentions:
            assert _in(m, n), (e, m)
    for q in out.quotes:
        assert _in(q.span, n), q
        if q.speaker_span is not None:
            assert _in(q.speaker_span, n), q
    for qty in out.quantities:
        assert _in(qty.span, n), qty
        if qty.value is not None:
            assert not math.isnan(qty.value), qty


# ----------------------------------------------------------------------------- Coverage JSON


def _strict_json(text: str):
    def refuse(name):
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


NAMES = ["Ada Brook", "Tom Reed", "Lena Marsh"]
PLACES = ["Ashby", "Lowmarsh", "Northgate"]
OUTLETS = ["Vale Gazette", "Harbour Courier", "Evening Star"]


@st.composite
def story_articles(draw) -> list[Article]:
    """Two or three short invented reports of one event, with numbers, names and quotes that vary."""
    place = draw(st.sampled_from(PLACES))
    people = draw(st.integers(10, 5000))
    name = draw(st.sampled_from(NAMES))
    age = draw(st.integers(20, 90))
    arts = []
    for k in range(draw(st.integers(2, 3))):
        n = people + draw(st.sampled_from([0, 0, 1, 100]))
        lines = [
            f"Floodwater reached {place} on {draw(st.sampled_from(['Monday', 'Tuesday']))} and {n} people left their homes.",
            f"{name}, {age + draw(st.sampled_from([0, 1]))}, said: “{draw(st.sampled_from(['We are safe', 'We were not warned', 'The river rose fast']))}.”",
        ]
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(REPORTING)))
        if draw(st.booleans()):
            lines.append(draw(st.text(max_size=60)))
        text = "\n\n".join(line for line in lines if line.strip())
        arts.append(Article(id=f"a-cov{k}", outlet=OUTLETS[k], title=f"Flood in {place}", text=text,
                            published=f"2025-03-0{k + 1}T10:00:00+00:00", url=f"https://o{k}.example/flood"))
    return arts


@SLOW
@given(story_articles())
def test_coverage_json_validates_against_schema(articles):
    if not SCHEMA.is_file():
        pytest.skip(f"{SCHEMA} is not written yet (the compare helper owns it)")
    try:
        from samestory.compare import compare
        from samestory.report import render
        from samestory.schema import validate
    except ImportError as exc:
        pytest.skip(f"compare/report/schema not importable yet: {exc}")
    from samestory.enrich import enrich

    coverage = compare(enrich(articles))
    doc = _strict_json(render(coverage, "json"))
    errors = validate(doc)
    assert errors == [], errors[:10]
    # evidence points into the articles' clean text
    texts = {a["id"]: a["text"] for a in doc["articles"]}
    for group in doc["claims"]:
        for ev in group["evidence"]:
            assert 0 <= ev["start"] <= ev["end"] <= len(texts[ev["article_id"]]), ev
