"""render(): JSON that follows the versioned schema, Markdown, and a self-contained, escaped HTML report."""

from __future__ import annotations

import json
import re

import pytest

from _compare_story import COURIER, GAZETTE, STORY
from samestory.compare import compare
from samestory.enrich import enrich
from samestory.models import Article, Removal
from samestory.report import render
from samestory.schema import SCHEMA_ID, SCHEMA_VERSION, load_schema, validate

EVIL = Article(
    id="t-evil",
    outlet="<b>Evil</b> & Co",
    title="<script>alert('title')</script> bridge collapses",
    text=(
        "The Harlow footbridge in Veldmoor collapsed into the river Lenn on Tuesday morning. <script>alert(1)</script>\n\n"
        "An <img src=x onerror=alert(2)> witness said the council had closed the river path until further notice."
    ),
    removed=(Removal(0, 20, "<iframe src='x'>", "ad slot <b>"),),
)


@pytest.fixture(scope="module")
def coverage(embedder, nlp):
    return compare(enrich(STORY, embed=False))


@pytest.fixture(scope="module")
def evil_coverage(embedder, nlp):
    return compare(enrich([COURIER, GAZETTE, EVIL], embed=False))


def test_schema_is_versioned_draft_2020_12():
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID and SCHEMA_VERSION in schema["$id"]


def test_json_follows_the_schema(coverage, evil_coverage):
    for cov in (coverage, evil_coverage):
        doc = json.loads(render(cov, "json"))
        assert doc["schema_version"] == SCHEMA_VERSION
        assert validate(doc) == []
        assert doc["story"]["sources"] == len(cov.articles)
        assert [a["text"] for a in doc["articles"]] == [a.text for a in cov.articles]


def test_validator_catches_what_breaks_the_schema(coverage):
    doc = json.loads(render(coverage, "json"))
    doc["claims"][0]["status"] = "maybe"
    del doc["story"]["outlets"]
    doc["summary"].append({"text": "uncited", "citations": []})
    errors = validate(doc)
    assert any("status" in e and "maybe" in e for e in errors)
    assert any("outlets" in e for e in errors)
    assert any("at least 1" in e for e in errors)


def test_markdown_has_every_section(coverage):
    md = render(coverage, "md")
    for heading in ("## Summary", "## Claims", "## Quotes", "## Numbers", "## Omissions", "## Framing", "## Articles"):
        assert heading in md
    assert "4 articles from 3 independent sources" in md
    assert "conflicting" in md


def test_html_is_self_contained_and_links_citations(coverage):
    page = render(coverage, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower()
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # no external resources
    for target in re.findall(r'href="#(ev-[0-9]+-[0-9]+-[0-9]+)"', page):
        assert f'id="{target}"' in page, target
    assert 'class="conflicting"' in page and 'class="shared"' in page
    assert page.count("<th>") >= 1 and all(a.outlet in page for a in coverage.articles)


def test_article_text_is_escaped_everywhere(evil_coverage):
    page = render(evil_coverage, "html")
    assert "<script>" not in page and "<img" not in page and "<iframe" not in page and "<b>Evil" not in page
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    md = render(evil_coverage, "md")
    assert "<script>" not in md and "<img" not in md and "<iframe" not in md


def test_unknown_format_is_refused(coverage):
    with pytest.raises(ValueError, match="unknown report format"):
        render(coverage, "pdf")
