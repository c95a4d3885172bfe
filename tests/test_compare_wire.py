"""Independence in the comparison follows dedup: two outlets running one agency's wire story
(same "(Wire Press) —" dateline, no duplicate link between them) are one independent source."""

from __future__ import annotations

import pytest

from samestory.compare import compare
from samestory.enrich import enrich
from samestory.dedup import source_keys
from samestory.dedup import independent_sources
from samestory.models import Article

# Fictional: the ferry, the town and the outlets are invented for this test.
WIRE_LEDE = "The Saltmere ferry ran aground on the Brindle Sands on Friday evening with 212 passengers aboard."
WIRE_ONLY = "Coastguard crews from Port Ansel winched the ferry's pilot to safety after the engine room flooded."
SHARED = "All passengers were brought ashore in lifeboats and nobody was seriously hurt."

# The same wire story, each outlet with its own second half (different enough not to be linked).
BAYSIDE = Article(
    id="w-bayside", outlet="Bayside Record", title="Ferry aground off Saltmere",
    text=(f"SALTMERE (Wire Press) — {WIRE_LEDE} {WIRE_ONLY} {SHARED}\n\n"
          "The Record understands the harbour master had flagged the sandbank in a letter last winter. "
          "Local councillors will meet on Monday to discuss a review of the pilotage rules for the estuary."),
)
UPLAND = Article(
    id="w-upland", outlet="Upland Mercury", title="Saltmere ferry runs aground",
    text=(f"SALTMERE (Wire Press) — {WIRE_LEDE} {WIRE_ONLY} {SHARED}\n\n"
          "Readers in the valley who had relatives on board told the Mercury that phone lines were jammed for hours. "
          "A family support centre has opened at the Upland community hall on Crane Street."),
)
# An outlet with its own reporting, carrying the shared fact but not the wire-only one.
HARBOUR = Article(
    id="w-harbour", outlet="Harbour Lamp", title="Passengers rescued after ferry grounding",
    text=("Our reporter watched from the quay as the stricken ferry listed on the Brindle Sands. "
          "All passengers were brought ashore in lifeboats, and nobody was seriously hurt. "
          "Shop owners on the seafront handed out blankets and hot tea to those coming off the boats."),
)
STORY = [BAYSIDE, UPLAND, HARBOUR]


@pytest.fixture(scope="module")
def coverage(nlp, embedder):
    return compare(enrich(STORY, embed=False))


def test_wire_copies_share_one_independence_key():
    assert BAYSIDE.duplicate is None and UPLAND.duplicate is None  # nothing links them: only the dateline
    keys = source_keys(STORY)
    assert keys[0] == keys[1] != keys[2]
    assert independent_sources(STORY) == 2


def _group_of(coverage, text):
    hits = [g for g in coverage.claims if any(text in e.text for e in g.evidence) and not g.note.startswith("count")]
    assert hits, f"no claim group carries {text!r}"
    return max(hits, key=lambda g: len(g.outlets))


def test_claim_only_the_wire_carries_is_unique_with_every_outlet_as_evidence(coverage):
    group = _group_of(coverage, "winched the ferry's pilot")
    assert group.status == "unique"  # two outlets, one independent source
    assert set(group.outlets) == {"Bayside Record", "Upland Mercury"}
    assert {e.outlet for e in group.evidence} == {"Bayside Record", "Upland Mercury"}
    for e in group.evidence:
        text = next(a.text for a in STORY if a.id == e.article_id)
        assert text[e.start : e.end] == e.text


def test_claim_an_independent_outlet_also_carries_is_shared(coverage):
    group = _group_of(coverage, "brought ashore in lifeboats")
    assert group.status == "shared"
    assert set(group.outlets) == {"Bayside Record", "Upland Mercury", "Harbour Lamp"}


def test_wire_siblings_do_not_omit_each_other_and_weights_count_sources(coverage):
    wire_outlets = {"Bayside Record", "Upland Mercury"}
    # what only one wire outlet adds is not an omission of the other: they are one source
    for o in coverage.omissions:
        if o.outlet in wire_outlets:
            assert not set(o.carried_by) <= wire_outlets, o
    # the Harbour Lamp left out the wire story's claims: the other side is one source, weight 1.0,
    # however many outlets ran it
    pilot = [o for o in coverage.omissions if o.outlet == "Harbour Lamp" and "winched" in o.text]
    assert pilot and pilot[0].weight == 1.0
    assert set(pilot[0].carried_by) == wire_outlets
