"""Wire credits, version diffs and source counting on invented texts."""

from __future__ import annotations

import pytest

from samestory.dedup import (
    canonical_wire,
    describe_groups,
    detect_wire,
    outlets_of,
    source_groups,
    strip_wire_markers,
    version_diff,
)
from samestory.dedup.index import DuplicateGroup, GroupMember, is_aggregator, url_key
from samestory.models import Article, DuplicateLink, Removal

BODY = "Ferry services to the islands were cancelled on Sunday because of high winds, the operator said."


@pytest.mark.parametrize(
    "text, name, kind",
    [
        ("WASHINGTON (AP) \u2014 " + BODY, "AP", "dateline"),
        ("LONDON, May 3 (Reuters) - " + BODY, "Reuters", "dateline"),
        ("(Wire Press) \u2014 " + BODY, "Wire Press", "dateline"),
        ("PARIS (AFP) - " + BODY, "AFP", "dateline"),
        (BODY + "\n\nThe Associated Press contributed to this report.", "AP", "credit"),
        (BODY + "\n\n(Reporting by Jane Roe; Editing by John Doe)", "Reuters", "credit"),
        (BODY + "\n\n\u00a9 2024 The Associated Press. All rights reserved.", "AP", "copyright"),
        (BODY + "\n\n\u2014 PA Media", "PA Media", "credit"),
        ("By Associated Press\n" + BODY, "AP", "byline"),
    ],
)
def test_detect_wire(text, name, kind):
    info = detect_wire(text)
    assert info.name == name
    assert any(c.kind == kind and c.name == name for c in info.credits)
    assert "Ferry services" in strip_wire_markers(text, info)
    assert name not in strip_wire_markers(text, info).replace("Ferry", "")


@pytest.mark.parametrize(
    "text",
    [
        BODY,
        "Jane Roe contributed to this report. " + BODY,  # a reporter, not a wire
        "Vladimir Smith (R) and Anna Jones (L) met on Sunday. " + BODY,  # caption-style markers
        BODY + " The agency said a review would follow.",
    ],
)
def test_no_wire_where_there_is_none(text):
    assert detect_wire(text).name is None


def test_canonical_wire_names():
    assert canonical_wire("The Associated Press") == "AP"
    assert canonical_wire("agence france-presse") == "AFP"
    assert canonical_wire("Press Association") == "PA Media"
    assert canonical_wire("Valley Gazette") is None


def test_version_diff_added_removed_changed_moved():
    old = "The fire started at noon. Ten homes were evacuated. The road is closed. Police are investigating."
    new = ("Police are investigating. The fire started at noon. Twelve homes were evacuated. "
           "A school was also damaged.")
    diff = version_diff(old, new)
    assert diff["changed"] == [{"old": "Ten homes were evacuated.", "new": "Twelve homes were evacuated.",
                                "similarity": diff["changed"][0]["similarity"]}]
    assert diff["added"] == ["A school was also damaged."]
    assert diff["removed"] == ["The road is closed."]
    assert diff["moved"] == ["Police are investigating."]
    assert diff["unchanged"] == 1
    assert version_diff(old, old) == {"added": [], "removed": [], "changed": [], "moved": [], "unchanged": 4}


def _a(aid, outlet, text=BODY, link=None):
    return Article(id=aid, outlet=outlet, title="Ferries cancelled", text=text, duplicate=link)


def test_source_groups_and_outlets():
    arts = [
        _a("o", "Island Times"),
        _a("c1", "Aggregator One", link=DuplicateLink("o", "exact", 1.0)),
        _a("c2", "Aggregator Two", link=DuplicateLink("o", "near", 0.9)),
        _a("x", "Coast Radio", text="Coast Radio's own report on the storm damage at the harbour."),
        _a("w1", "Paper A", text="OBAN (Reuters) - Fishing boats stayed in port."),
        _a("w2", "Paper B", text="GLASGOW (Reuters) - Trains were delayed by fallen trees."),
        _a("w3", "Paper C", text="A local report.\n\nReuters contributed to this report."),
    ]
    groups = source_groups(arts)
    assert len(groups) == 4  # o+c1+c2, x, Reuters wire copy (w1+w2), w3 (own reporting with a credit)
    first = next(g for g in groups if g.representative.id == "o")
    assert first.outlets == ("Island Times", "Aggregator One", "Aggregator Two")
    wire = next(g for g in groups if g.wire == "Reuters")
    assert {a.id for a in wire.articles} == {"w1", "w2"}
    assert outlets_of(arts)[:2] == ("Island Times", "Aggregator One")
    assert len(outlets_of(arts)) == 7


def test_a_copy_whose_canonical_is_elsewhere_still_counts_once():
    arts = [_a("c1", "Aggregator One", link=DuplicateLink("o", "exact", 1.0)),
            _a("c2", "Aggregator Two", link=DuplicateLink("o", "near", 0.9))]
    assert len(source_groups(arts)) == 1


def test_is_aggregator_and_url_key():
    assert is_aggregator(_a("a", "NewsBreak"))
    assert is_aggregator(Article(id="b", outlet="Some Site", title="t", text="x",
                                 removed=(Removal(0, 3, "AD", "ad slot"),)))
    assert not is_aggregator(Article(id="c", outlet="Island Times", title="t", text="x",
                                     removed=(Removal(0, 5, "Share", "share buttons"),)))
    assert url_key("https://www.example.com/news/a/?utm_source=x&id=3#top") == "example.com/news/a?id=3"
    assert url_key("http://example.com/news/a") == url_key("https://www.example.com/news/a/")
    assert url_key(None) is None


def test_describe_groups_shape():
    g = DuplicateGroup("o", "AP", (GroupMember("o", "Island Times", "canonical", 1.0, "T"),
                                   GroupMember("c", "Agg", "exact", 1.0, "T")))
    [d] = describe_groups([g])
    assert d["canonical"] == "o" and d["wire"] == "AP" and d["outlets"] == ["Island Times", "Agg"]
    assert d["members"] == [{"id": "c", "outlet": "Agg", "kind": "exact", "similarity": 1.0, "title": "T",
                             "published": None}]
