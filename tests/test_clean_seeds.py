"""The two reference articles (read from ../shared/seeds, never copied here), ingested and cleaned.

Assertions are structural: generic junk shapes (not seed sentences) must all be removed with a
reason, every other paragraph must be kept, and the removal log must replay against the raw text.
"""

from __future__ import annotations

import re

import pytest

from samestory.clean import clean
from samestory.clean.junk import split_units
from samestory.ingest.text import read_text
from samestory.models import Article, Failure

# shapes of page furniture, generic enough for any outlet
JUNK_SHAPES = [
    re.compile(r"\[/?caption", re.I),
    re.compile(r"^read (entire|more|full)\b.{0,20}$", re.I),
    re.compile(r"^(article )?ad box$|^advertisement$", re.I),
    re.compile(r"\b\d+ (seconds?|minutes?|hours?|days?|weeks?|months?|years?) ago\b", re.I),
    re.compile(r"^(EPA|AP|AFP|REUTERS|Reuters|Getty Images|PA)$"),
    re.compile(r"\((Picture|Photo|Image)s?: [^)]*\)$"),
    re.compile(r"^leave a (reply|comment)$", re.I),
    re.compile(r"email address will not be published", re.I),
    re.compile(r"^(more trending|read more stories|related stories|most read)$", re.I),
    re.compile(r"\bemail(ing)? us at\b", re.I),
    re.compile(r"^for more stories like this\b", re.I),
]
CAPTION_REASONS = {"photo caption (WordPress [caption] shortcode)", "photo caption (ends with a picture credit)"}


def is_junk(line: str) -> bool:
    return any(p.search(line) for p in JUNK_SHAPES)


@pytest.fixture(scope="module")
def cleaned(seeds) -> list[tuple[Article, list[str]]]:
    out = []
    for path in seeds:
        item = next(read_text(path))
        assert not isinstance(item, Failure), item
        article = clean(item)
        units = [u.text for u in split_units(article.raw_text)]
        out.append((article, units))
    return out


def test_every_junk_line_removed_with_a_reason_and_every_other_line_kept(cleaned):
    for article, units in cleaned:
        kept = article.text.split("\n\n")
        removed = {r.text.strip() for r in article.removed}
        for line in units:
            if is_junk(line):
                assert line in removed, f"{article.source}: junk line kept"
            else:
                assert line in kept, f"{article.source}: a paragraph of reporting was removed"
        assert not any(is_junk(p) for p in kept)
        # whole lines only here: kept + removed = all lines
        assert len(kept) == len(units) - len(article.removed)


def test_removal_logs_replay_against_the_raw_text(cleaned):
    for article, _ in cleaned:
        assert article.removed, f"{article.source}: the seeds both carry junk"
        for r in article.removed:
            assert r.reason
            assert article.raw_text[r.start : r.end] == r.text


def test_aggregator_copy_keeps_all_reporting_and_captions_become_metadata(cleaned):
    aggregator = [a for a, _ in cleaned if "[/caption]" in a.raw_text]
    assert len(aggregator) == 1, "one seed is the aggregator copy with caption shortcodes"
    a = aggregator[0]
    reasons = {r.reason for r in a.removed}
    assert {"ad slot", "read-more link", "timestamp or view counter", "photo credit"} <= reasons
    shortcode_lines = [ln for ln in a.raw_text.splitlines() if ln.rstrip().endswith("[/caption]")]
    assert len(a.captions) == len(shortcode_lines) > 0
    assert all("[/caption]" not in c for c in a.captions)
    assert "Read Entire Article" not in a.text and "[/caption]" not in a.text
    # what remains reads as reporting: every kept paragraph is a sentence
    for p in a.text.split("\n\n"):
        assert len(p.split()) >= 6 and re.search(r"[.!?…][\"'”’)]*$", p)


def test_other_copy_loses_its_footer_comment_form_and_trending_block(cleaned):
    other = [a for a, _ in cleaned if "[/caption]" not in a.raw_text]
    assert len(other) == 1
    a = other[0]
    reasons = {r.reason for r in a.removed}
    assert {"newsroom footer", "comment section", "related-stories block"} <= reasons
    assert reasons & CAPTION_REASONS
    assert len(a.captions) == sum(r.reason in CAPTION_REASONS for r in a.removed)
    assert a.language == "en"
    # the article still ends with reporting, not with the newsroom footer
    assert not is_junk(a.text.split("\n\n")[-1])
