"""clean(RawDoc) -> Article: extraction, metadata, captions, dates, language, ids and errors.

Pages here are written for the tests (a fictional outlet)."""

from __future__ import annotations

import pytest

from samestory.clean import clean, detect_language, extract, normalize_date, outlet_from_url
from samestory.errors import ExtractError
from samestory.models import RawDoc, article_id_for

PARAS = [
    "Lighthouse keepers will return to Gull Point this summer for the first time since the light was automated in 1989.",
    "The Northbay Heritage Trust said two volunteers would live in the keeper's cottage from June to September.",
    "Trust director Ines Rowe said the keepers would guide visitors and record the seabirds nesting on the cliffs.",
    "The cottage has been repaired at a cost of 180,000 pounds, paid for by a public appeal and a lottery grant.",
    "Visitors will be able to climb the tower on weekends, although numbers will be limited to protect the nests.",
    "The trust expects more than 5,000 people to visit the point over the summer, twice as many as last year.",
]
CAPTION = "The Gull Point light at dusk, seen from the harbour wall."

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Lighthouse keepers return to Gull Point | Northbay Courier</title>
<meta property="og:title" content="Lighthouse keepers return to Gull Point">
<meta property="og:site_name" content="Northbay Courier">
<meta name="author" content="Ines Rowe">
<meta property="article:published_time" content="2024-06-03T09:30:00+01:00">
<meta name="description" content="Volunteers will live in the keeper's cottage this summer.">
<link rel="canonical" href="https://courier.example/news/lighthouse-keepers">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<main><article>
<h1>Lighthouse keepers return to Gull Point</h1>
<p>{PARAS[0]}</p>
<p>{PARAS[1]}</p>
<figure><img src="/img/light.jpg" alt="the lighthouse"><figcaption>{CAPTION}</figcaption></figure>
<p>{PARAS[2]}</p>
<p>Advertisement</p>
<p>{PARAS[3]}</p>
<p>{PARAS[4]}</p>
<p>{PARAS[5]}</p>
<p>Get in touch with our news team by emailing us at desk@courier.example.</p>
</article></main>
<footer><p>Copyright 2024 Northbay Courier. All rights reserved.</p></footer>
</body></html>"""


def html_doc(html: str = PAGE, **kw) -> RawDoc:
    return RawDoc(source="pages/gull-point.html", kind="html", content=html, **kw)


def test_html_page_gives_text_metadata_and_captions():
    a = clean(html_doc())
    for p in PARAS:
        assert p in a.text
    assert "Advertisement" not in a.text
    assert "emailing us" not in a.text
    assert CAPTION not in a.text
    assert CAPTION in a.captions
    assert a.title == "Lighthouse keepers return to Gull Point"
    assert a.outlet == "Northbay Courier" == a.site_name
    assert a.author == "Ines Rowe"
    assert a.published == "2024-06-03T09:30:00+01:00"
    assert a.canonical_url == "https://courier.example/news/lighthouse-keepers"
    assert a.url == a.canonical_url
    assert a.description.startswith("Volunteers")
    assert a.language == "en"
    assert a.source == "pages/gull-point.html"
    # the removal log points into the extracted text
    assert a.removed
    for r in a.removed:
        assert a.raw_text[r.start : r.end] == r.text and r.reason
    assert a.id == article_id_for(a.outlet, a.url, a.title, a.text)


def test_given_metadata_wins_over_the_page():
    a = clean(html_doc(outlet="Courier (print)", title="Keepers back at Gull Point", url="https://x.example/a",
                       published="2024-06-04", language="en", id="a-given"))
    assert (a.outlet, a.title, a.url, a.published, a.id) == (
        "Courier (print)", "Keepers back at Gull Point", "https://x.example/a", "2024-06-04", "a-given")
    assert a.canonical_url == "https://courier.example/news/lighthouse-keepers"


def test_cleaning_is_deterministic_and_ids_are_stable():
    assert clean(html_doc()).id == clean(html_doc()).id
    t1 = clean(RawDoc(source="a.txt", kind="text", content="\n\n".join(PARAS), outlet="Courier", title="T"))
    t2 = clean(RawDoc(source="b.txt", kind="text", content="\n\n".join(PARAS), outlet="Courier", title="T"))
    assert t1.id == t2.id  # same outlet, title and text: same article, wherever it was read from


def test_outlet_falls_back_to_the_url_domain():
    page = PAGE.replace('<meta property="og:site_name" content="Northbay Courier">', "").replace(
        " | Northbay Courier", "")
    a = clean(html_doc(page, url="https://www.courier.example/news/1"))
    assert a.outlet == "courier.example"
    assert outlet_from_url("news.example.org/path") == "news.example.org"
    assert outlet_from_url(None) is None


def test_text_doc_language_and_title():
    de = ("Der Stadtrat hat am Dienstag beschlossen, die neue Fährstation erst im Herbst zu eröffnen. "
          "Die Ingenieure hatten Risse in zwei Pfeilern gefunden, sagte die Vorsitzende.")
    a = clean(RawDoc(source="de.txt", kind="text", content=de, outlet="Hafenblatt"))
    assert a.language == "de"
    assert a.title.startswith("Der Stadtrat")  # no title given: the first paragraph stands in
    assert detect_language(" ".join(PARAS)) == "en"
    assert detect_language("12 34 ---") is None
    # a language the input states comes down to its ISO 639-1 code (a feed's "en-US", a sidecar's "de_AT")
    tagged = clean(RawDoc(source="de.txt", kind="text", content=de, outlet="Hafenblatt", language="de_AT"))
    assert tagged.language == "de"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-29", "2024-01-29"),
        ("2024-01-29T10:15:00Z", "2024-01-29T10:15:00+00:00"),
        ("2024-01-29T10:15:00+02:00", "2024-01-29T10:15:00+02:00"),
        ("Mon, 29 Jan 2024 10:15:00 GMT", "2024-01-29T10:15:00+00:00"),
        ("29 January 2024 10:15 BST", "2024-01-29T10:15:00+01:00"),
        ("2024-01-29 10:15", "2024-01-29T10:15:00"),  # no zone given: stays naive, never guessed
        ("January 29, 2024", "2024-01-29"),
        ("not a date at all", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_date(value, expected):
    assert normalize_date(value) == expected


def test_unparseable_given_date_falls_back_to_the_page_date():
    assert clean(html_doc(published="sometime last week")).published == "2024-06-03T09:30:00+01:00"


def test_errors_name_the_source_and_the_reason():
    with pytest.raises(ExtractError, match=r"empty\.txt: the document is empty"):
        clean(RawDoc(source="empty.txt", kind="text", content="  \n "))
    with pytest.raises(ExtractError, match=r"junk\.txt: no article text left after cleaning.*ad slot"):
        clean(RawDoc(source="junk.txt", kind="text", content="Advertisement\n\nRead Entire Article\n\nEPA"))
    with pytest.raises(ExtractError, match=r"nav\.html: no article text found"):
        clean(RawDoc(source="nav.html", kind="html", content="<html><body><nav><a href='/'>Home</a></nav></body></html>"))
    with pytest.raises(ExtractError, match=r"odd\.bin: unknown document kind 'pdf'"):
        clean(RawDoc(source="odd.bin", kind="pdf", content="x"))  # type: ignore[arg-type]
    with pytest.raises(ExtractError, match="empty page"):
        clean(RawDoc(source="blank.html", kind="html", content=""))


def test_oversized_page_is_refused_before_parsing(monkeypatch):
    monkeypatch.setattr(extract, "MAX_HTML_CHARS", 50_000)
    big = "<html><body>" + f"<p>{PARAS[0]}</p>" * 1000 + "</body></html>"
    with pytest.raises(ExtractError, match=r"big\.html: page is .* over the .* extraction limit"):
        clean(RawDoc(source="big.html", kind="html", content=big))


@pytest.mark.parametrize("tag", ["div", "b", "span"])
def test_deeply_nested_page_does_not_crash(tag):
    depth = 20_000
    html = "<html><body>" + f"<{tag}>" * depth + f"<p>{PARAS[0]}</p>" + f"</{tag}>" * depth + "</body></html>"
    try:
        a = clean(RawDoc(source="deep.html", kind="html", content=html))
    except ExtractError as exc:
        assert exc.source == "deep.html" and exc.reason
    else:
        assert a.text


def test_fallback_text_when_trafilatura_finds_nothing(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    ex = extract.extract_html(PAGE, source="pages/gull-point.html")
    assert ex.method in ("baseline", "paragraphs")
    assert PARAS[0] in ex.text
    assert ex.title == "Lighthouse keepers return to Gull Point"  # metadata does not depend on the body


def test_javascript_app_shell_is_not_an_article():
    shell = ("<html><head><title>Loading</title><script src='/app.js'></script></head><body>"
             "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><div id='root'></div>"
             "<noscript>Please enable JavaScript to read this page.</noscript></body></html>")
    with pytest.raises(ExtractError, match=r"shell\.html: no article text found in the page"):
        clean(RawDoc(source="shell.html", kind="html", content=shell))
