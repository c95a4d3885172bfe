"""Claims: splitting, typed numbers, conflict scoring and alignment over a fictional story."""

from __future__ import annotations

import pytest

from _compare_story import COURIER, DIGEST, GAZETTE, HERALD, STORY, group_with
from samestory.compare.claims import (
    ClaimInfo,
    ConflictConfig,
    Number,
    TypedConflictScorer,
    align_claims,
    extract_claims,
    numbers_in,
)
from samestory.enrich import enrich
from samestory.models import Article


def test_numbers_are_typed_with_subject_and_qualifier():
    nums = numbers_in("Mara Tollen, 54, said at least 157 people were detained in 2020, up 5% on 12 March.")
    kinds = {(n.kind, n.value) for n in nums}
    assert ("age", 54) in kinds and ("count", 157) in kinds and ("year", 2020) in kinds
    assert ("percent", 5) in kinds and ("date", 312) in kinds
    count = next(n for n in nums if n.kind == "count")
    assert count.about == "people" and count.qualifier == "min" and count.text == "at least 157"
    age = next(n for n in nums if n.kind == "age")
    assert age.about == "tollen"


def _info(text: str, outlet: str) -> ClaimInfo:
    from samestory.compare.claims import _negated_terms, _norm_word, _STOP, _WORD
    from samestory.models import Claim, Span

    words = tuple(w.lower() for w in _WORD.findall(text))
    return ClaimInfo(
        claim=Claim(outlet, Span(0, len(text)), text, 0), id=outlet, article_index=0, outlet=outlet,
        source=outlet, position=0.0, words=words,
        content=frozenset(w for w in (_norm_word(x) for x in words) if w not in _STOP),
        entities=frozenset(), numbers=numbers_in(text), negated=_negated_terms(words),
    )


@pytest.mark.parametrize(
    "a, b, clash",
    [
        ("Twelve people were injured in the fall.", "20 people were injured in the fall.", True),
        ("At least 12 people were injured in the fall.", "20 people were injured in the fall.", False),
        ("Mara Tollen, 54, said the cable snapped.", "Mara Tollen, 57, said the cable snapped.", True),
        ("The bridge opened in 1911 and closed in 2020.", "The bridge closed in 2020.", False),
        ("Marlow Foods sold the chain to Petrel for $1.8 billion in 1999.",
         "Marlow Foods sold the chain to Petrel for $2.5 billion in 1999.", True),
        ("The grocer now runs 3,400 stores across the country.", "The grocer now runs 4,300 stores across the country.", True),
        # two attributes of one company, not one value told twice
        ("The firm reported income of $139 million last year.", "The firm paid taxes of $43 million last year.", False),
        # two moments of one day, not one figure
        ("In early trade the index rose 12 points to 9,331.", "In late trade the index rose 18 points to 9,337.", False),
        ("Close to three dozen people were hurt in the crush.", "Thirty-five people were hurt in the crush.", False),
        ("Twelve people were injured in the fall.", "About 13 people were injured in the fall.", False),
        ("The yield rose to 4.4 percent on Tuesday.", "The yield rose to 4.36 percent on Tuesday.", False),
        # a round figure is the other rounded; 30 and 32 stay two ages
        ("The storm has killed 296 people on the island.", "The storm has killed 300 people on the island.", False),
        ("Orin Delacroix, 30, was charged on Tuesday.", "Orin Delacroix, 32, was charged on Tuesday.", True),
        # a weight in two units is one weight, and no count
        ("At 15 she had reached 260 pounds and a hard choice.", "At 15 she weighed 117kg and faced a hard choice.", False),
    ],
)
def test_typed_conflicts(a, b, clash):
    note = TypedConflictScorer()(_info(a, "A"), _info(b, "B"))
    assert bool(note) is clash, note


@pytest.mark.parametrize(
    "a, b, clash",
    [
        ("The bridge had been inspected last spring.", "The bridge had not been inspected last spring.", True),
        ("The council accepted the offer from the builders.", "The council rejected the offer from the builders.", True),
        ("The bridge was closed in May.", "Walkers were not told about the closure in May.", False),
        # "would not support" is "oppose": agreement
        ("Senator Vale said she would not support the levy.", "Senator Vale said she would oppose the levy.", False),
    ],
)
def test_polarity_and_antonyms_when_switched_on(a, b, clash):
    scorer = TypedConflictScorer(ConflictConfig(polarity=True, antonyms=True))
    note = scorer(_info(a, "A"), _info(b, "B"))
    assert bool(note) is clash, note


@pytest.mark.parametrize(
    "a, b, clash",
    [
        # one index at two hours of one day: two readings
        ("In morning trade the Kestrel index rose 12 points.", "The Kestrel index fell 9 points at the close.", False),
        ("The Kestrel index rose 12 points on Friday.", "The Kestrel index fell 9 points on Friday.", True),
        # a denial against a plain statement of the same thing
        ("Harbour officials deny that the dam was opened before the flood.",
         "The dam was opened before the flood, harbour officials said.", True),
        ("The report that the ferry sank is a hoax.", "The ferry sank off the northern cape.", True),
        # both deny it, or the other side is itself negated or a question: no clash
        ("Harbour officials deny that the dam was opened before the flood.",
         "The dam was not opened before the flood, harbour officials said.", False),
        ("The report that the ferry sank is a hoax.", "Did the ferry sink off the northern cape?", False),
    ],
)
def test_opposite_terms_need_one_moment_and_denials_clash(a, b, clash):
    note = TypedConflictScorer()(_info(a, "A"), _info(b, "B"))
    assert bool(note) is clash, note


def test_polarity_is_not_shown_below_its_precision_floor():
    # off by default: measured below the floor (ConflictConfig, bench/claims.py)
    a = _info("The bridge had been inspected by the council.", "A")
    b = _info("The bridge had not been inspected by the council.", "B")
    assert TypedConflictScorer()(a, b) is None


def test_long_sentences_split_at_semicolons_and_clauses(nlp):
    text = ("The river rose by two metres overnight; the council opened the flood gates at dawn. "
            "The mayor of Veldmoor visited the harbour on Wednesday to speak with the fishermen who had lost their boats, "
            "and the regional governor promised that every family in the valley would receive full compensation before the first winter storms arrive.")
    art = Article(id="x", outlet="X", title="t", text=text)
    claims = extract_claims(enrich([art], embed=False))[0]
    texts = [c.text for c in claims]
    assert texts[0] == "The river rose by two metres overnight;" or texts[0].startswith("The river rose")
    assert any(t.startswith("the council opened") for t in texts)
    assert any(t.startswith("the regional governor promised") for t in texts)
    for c in claims:  # evidence offsets point at the text they quote
        assert text[c.span.start:c.span.end] == c.text


@pytest.fixture(scope="module")
def alignment(embedder, nlp):
    return align_claims(enrich(STORY, embed=False))


def test_shared_claims_need_two_independent_outlets(alignment):
    class Cov:  # group_with needs .claims
        claims = alignment.groups

    collapse = group_with(Cov, "collapsed", "tuesday")
    assert collapse and collapse[0].status == "shared"
    assert {"Veldmoor Courier", "Lenn Valley Gazette", "Northern Herald"} <= set(collapse[0].outlets)
    path = group_with(Cov, "river path")
    assert path and path[0].status == "shared"


def test_copy_counts_with_its_canonical(alignment):
    class Cov:
        claims = alignment.groups

    mayor = group_with(Cov, "mayor", "crossing")
    assert len(mayor) == 1
    g = mayor[0]
    assert g.status == "unique"  # the Digest is a copy of the Courier, not a second witness
    assert set(g.outlets) == {"Veldmoor Courier", "Wire Digest"}
    assert [ev.article_id for ev in g.evidence] == [COURIER.id]  # one member of the copy family


def test_conflicts_are_found_with_a_note(alignment):
    class Cov:
        claims = alignment.groups

    injured = group_with(Cov, "injured")
    assert injured and injured[0].status == "conflicting"
    assert "12" in injured[0].note or "Twelve" in injured[0].note
    inspected = group_with(Cov, "inspected")
    from samestory.compare.claims import CONFLICTS

    if CONFLICTS.polarity:
        assert inspected and inspected[0].status == "conflicting" and "polarity" in inspected[0].note
    else:  # below its precision floor: aligned, not shown as a conflict
        assert inspected and "polarity" not in inspected[0].note
    age = [g for g in group_with(Cov, "tollen") if g.status == "conflicting"]
    assert age and "age" in age[0].note


def test_unique_claims_and_unique_details(alignment):
    class Cov:
        claims = alignment.groups

    opened = group_with(Cov, "1911")
    assert opened and all(g.status == "unique" and g.outlets == (GAZETTE.outlet,) for g in opened)
    fishermen = group_with(Cov, "fishermen")
    assert fishermen and fishermen[0].status == "unique" and fishermen[0].outlets == (HERALD.outlet,)


def test_every_evidence_span_reads_as_recorded(alignment):
    texts = {a.id: a.text for a in STORY}
    for g in alignment.groups:
        assert g.evidence and g.outlets
        for ev in g.evidence:
            assert texts[ev.article_id][ev.start:ev.end] == ev.text


def test_conflict_scorer_is_pluggable(embedder, nlp):
    calls = []

    def everything_conflicts(a, b):
        calls.append((a.outlet, b.outlet))
        return "disputed by a test scorer"

    al = align_claims(enrich([COURIER, HERALD], embed=False), conflict_scorer=everything_conflicts)
    multi = [g for g in al.groups if len(g.evidence) >= 2]
    assert multi and all(g.status == "conflicting" and g.note == "disputed by a test scorer" for g in multi)
    assert calls
    assert DIGEST.duplicate is not None


def test_short_sentences_need_a_subject_and_a_finite_verb(nlp):
    text = ("“Why would the county wait?” Judge Orla Penn asked. This is the tactic. Six people died. "
            "The ferry service resumed at noon on the northern route.")
    art = Article(id="f", outlet="F", title="t", text=text)
    texts = [c.text for c in extract_claims(enrich([art], embed=False))[0]]
    assert "Six people died." in texts
    assert not any(t.startswith("Judge Orla Penn asked") or t.startswith("This is the tactic") for t in texts), texts


def test_citation_support_checks_values_names_and_polarity():
    from samestory.compare.summary import SUMMARY, supports

    sure = SUMMARY.support_probability + 0.3
    s = _info("Marlow Foods sold the chain to Petrel for $1.8 billion.", "A")
    assert supports(s, _info("Marlow Foods sold its chain to Petrel for $1.8 billion in cash.", "B"), sure)
    assert not supports(s, _info("Marlow Foods sold the chain to Petrel for $2.5 billion.", "B"), sure)
    assert not supports(s, _info("Marlow Foods did not sell the chain to Petrel for $1.8 billion.", "B"), sure)
    assert not supports(s, _info("Harbin Group sold a chain to Osprey for $1.8 billion.", "B"), sure)
    assert not supports(s, _info("Marlow Foods sold the chain to Petrel for $1.8 billion.", "B"), SUMMARY.support_probability / 2)
    # the summary names its source; the cited outlet need not name itself
    said = _info("Marlow Foods sold the chain to Petrel for $1.8 billion, the Harbour Post reports.", "A")
    assert supports(said, _info("Marlow Foods sold its chain to Petrel for $1.8 billion.", "B"), sure)


def test_a_pair_is_scored_alike_alone_and_inside_a_larger_story(nlp, embedder):
    a = Article(id="r1", outlet="Kestrel Times", title="t",
                text="Tomas Revel accused his sister, whom he called 'the informant', of lying to the court about the fire.")
    b = Article(id="r2", outlet="Harbour Post", title="t",
                text="Tomas Revel accused his sister, whom he called 'the informant', of lying to the court about the warehouse fire.")
    other = Article(id="r3", outlet="Vale Gazette", title="t",
                    text="The harbour board approved a new ferry timetable. Tomas Revel was not in court on Monday.")
    small = align_claims(enrich([a, b], embed=False))
    assert any(g.status == "shared" and {e.article_id for e in g.evidence} == {"r1", "r2"} for g in small.groups)
    big = align_claims(enrich([a, b, other], embed=False))

    def score(al):
        i = next(k for k, c in enumerate(al.infos) if c.claim.article_id == "r1")
        j = next(k for k, c in enumerate(al.infos) if c.claim.article_id == "r2")
        return float(al.scores[i, j])

    assert score(small) == pytest.approx(score(big), abs=1e-5)
