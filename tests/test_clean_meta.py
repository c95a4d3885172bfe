"""Outlet identity, titles without site suffixes and genre, from small pages written for these tests."""

from __future__ import annotations

import json

import pytest

from samestory.clean import clean
from samestory.clean.meta import outlet_from_footer, strip_site_from_title, tidy_site_name
from samestory.ingest.html import html_doc
from samestory.ingest.text import read_text
from samestory.models import RawDoc

BODY = (
    "<p>The council of Riverton voted on Tuesday to close the old harbour bridge for repairs that will take "
    "until the spring, the mayor said after a long meeting.</p>"
    "<p>Drivers will have to use the northern ring road, which adds about twelve minutes to a trip into the "
    "town centre at rush hour, according to the council's own traffic estimate.</p>"
    "<p>Shop owners near the bridge said they feared losing customers during the busiest weeks of the year "
    "and asked the council for help with the cost of the closure.</p>"
)


def page(title: str, head: str = "", body: str = BODY, lang: str = "en") -> str:
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body><article><h1>{title.split(' - ')[0]}</h1>{body}</article></body></html>")


def ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def cleaned(html: str, **kw):
    return clean(html_doc(html, source="test.html", **kw))


def test_outlet_is_the_page_site_name_and_the_title_loses_its_suffix():
    a = cleaned(page("Harbour bridge to close until spring - Riverton Herald",
                     '<meta property="og:site_name" content="Riverton Herald">'
                     '<link rel="canonical" href="https://www.rivertonherald.example/news/bridge">'))
    assert a.outlet == "Riverton Herald"
    assert a.title == "Harbour bridge to close until spring"


def test_publisher_name_loses_its_legal_suffix_and_stars_and_taglines_go():
    a = cleaned(page("Harbour bridge to close until spring | Riverton Herald",
                     ld({"@type": "NewsArticle", "headline": "x", "publisher": {"@type": "Organization",
                                                                                "name": "Riverton Herald GmbH"}})))
    assert a.outlet == "Riverton Herald"
    assert a.title == "Harbour bridge to close until spring"
    assert tidy_site_name("☆☆☆☆☆ - Riverwatch e.V. - Aktuelle Geschehnisse", host="riverwatch.example") == "Riverwatch e.V."
    assert tidy_site_name("Riverwatch e.V.", legal=True) == "Riverwatch"


def test_site_name_from_the_canonical_host_when_the_page_names_none():
    a = cleaned(page("Harbour bridge to close until spring",
                     '<link rel="canonical" href="https://www.rivertonherald.example/news/bridge">'))
    assert a.outlet == "rivertonherald.example"


def test_given_outlet_wins_over_the_page():
    a = cleaned(page("Harbour bridge to close", '<meta property="og:site_name" content="Riverton Herald">'),
                outlet="My Label")
    assert a.outlet == "My Label"


@pytest.mark.parametrize("title, expected", [
    ("Harbour bridge to close - Riverton Herald", "Harbour bridge to close"),
    ("Harbour bridge to close | rivertonherald.example", "Harbour bridge to close"),
    ("Riverton Herald: Harbour bridge to close", "Harbour bridge to close"),
    ("Harbour bridge to close – Riverton Herald – News", "Harbour bridge to close – Riverton Herald – News"),
    # a part that does not name the site stays: it is the headline's own
    ("Fact check: harbour bridge to close", "Fact check: harbour bridge to close"),
    ("Harbour bridge - what changes for drivers", "Harbour bridge - what changes for drivers"),
])
def test_strip_site_from_title(title, expected):
    assert strip_site_from_title(title, ("Riverton Herald",), "www.rivertonherald.example") == expected


@pytest.mark.parametrize("head, url, genre", [
    (ld({"@type": "OpinionNewsArticle", "headline": "x"}), None, "opinion"),
    (ld({"@type": "AnalysisNewsArticle", "headline": "x"}), None, "analysis"),
    ('<meta property="article:section" content="Meinung">', None, "opinion"),
    (ld({"@type": "NewsArticle", "headline": "x", "articleSection": "Analysis"}), None, "analysis"),
    (ld({"@type": "NewsArticle", "headline": "x"}), None, "news"),
    ("", "https://rivertonherald.example/opinion/2024/bridge", "opinion"),
    ("", None, None),  # the page does not say
])
def test_genre_where_the_page_says_so(head, url, genre):
    a = cleaned(page("Harbour bridge to close", head), url=url)
    assert a.genre == genre


def test_footer_names_the_outlet_of_a_text_file(tmp_path):
    f = tmp_path / "0001_story.txt"
    f.write_text("Harbour bridge to close\n\n" + BODY.replace("<p>", "").replace("</p>", "\n\n")
                 + "Get in touch with our news team by emailing us at desk@rivertonherald.example.\n", encoding="utf-8")
    a = clean(next(read_text(f)))
    assert a.outlet == "rivertonherald.example"
    assert any(r.reason == "newsroom footer" for r in a.removed)  # still removed, and logged
    # a name given by the user is never replaced by the footer's, nor is the host of a URL the sidecar gives
    b = clean(next(read_text(f, outlet="Given Name")))
    assert b.outlet == "Given Name"
    (tmp_path / "0001_story.meta.json").write_text('{"url": "https://www.harbourtimes.example/a/1"}', encoding="utf-8")
    assert clean(next(read_text(f))).outlet == "harbourtimes.example"


def test_outlet_from_footer_patterns():
    assert outlet_from_footer("This story was written by The Riverton Herald.") == "Riverton Herald"
    assert outlet_from_footer("This article was originally published on Harbour Times") == "Harbour Times"
    assert outlet_from_footer("Email us at tips@gmail.com") is None
    assert outlet_from_footer("For more stories like this, check our news page.") is None


def test_text_input_has_no_genre():
    a = clean(RawDoc(source="t", kind="text", content=BODY.replace("<p>", "").replace("</p>", "\n\n"), outlet="X",
                     title="Harbour bridge"))
    assert a.genre is None
