"""compare.quotes: the same quote across outlets, speakers normalized, word-level diffs.

Invented articles (a fictional bridge story) built by hand with Quote records, plus assertions
on the two reference articles read from ../shared/seeds when present.
"""

from __future__ import annotations

import dataclasses

import pytest

from samestory.compare.quotes import group_quotes, normalize_quote, word_diff, wording_differs_inside
from samestory.models import Article, DuplicateLink, Entity, Quote, Span


def make_article(aid, outlet, text, quotes=(), entities=(), published=None, duplicate=None):
    qs = []
    for wording, speaker, key in quotes:
        start = text.index(wording)
        named = text.find(speaker) if speaker else -1  # where the article names the speaker, as enrich records it
        qs.append(Quote(text=wording, span=Span(start, start + len(wording)), speaker=speaker, speaker_key=key, cue="said",
                        speaker_span=Span(named, named + len(speaker)) if named >= 0 else None))
    ents = []
    for key, name, aliases in entities:
        ents.append(Entity(key=key, label="PERSON", name=name, aliases=tuple(aliases)))
    return Article(id=aid, outlet=outlet, title=f"{outlet} story", text=text, quotes=tuple(qs), entities=tuple(ents),
                   published=published, duplicate=duplicate, sentences=(Span(0, len(text)),))


A_TEXT = ("Mayor Maria Vance said: “We will rebuild the Harlow bridge by spring, okay?” "
          "Engineer Tom Reyes said: “The steel is already on site.”")
B_TEXT = ("Vance told reporters: ‘We will rebuild the Harlow Bridge by spring, OK?’ "
          "She added: ‘Nobody will pay a penny more in tolls.’")
C_TEXT = 'Council leader Ian Pike said: "We will rebuild the Harlow bridge by spring, okay?"'


def articles():
    a = make_article("a1", "Daily Lantern", A_TEXT,
                     quotes=[("We will rebuild the Harlow bridge by spring, okay?", "Maria Vance", "maria vance"),
                             ("The steel is already on site.", "Tom Reyes", "tom reyes")],
                     entities=[("maria vance", "Maria Vance", ["Vance"]), ("tom reyes", "Tom Reyes", ["Reyes"])])
    b = make_article("b1", "Evening Courier", B_TEXT,
                     quotes=[("We will rebuild the Harlow Bridge by spring, OK?", "Vance", "vance"),
                             ("Nobody will pay a penny more in tolls.", "Vance", "vance")],
                     entities=[("vance", "Vance", [])])
    return a, b


def test_same_quote_grouped_with_wording_diff_and_normalized_speaker():
    groups = group_quotes(articles())
    bridge = [g for g in groups if "bridge" in g.text.lower()]
    assert len(bridge) == 1
    g = bridge[0]
    assert g.outlets == ("Daily Lantern", "Evening Courier")
    assert g.speaker == "Maria Vance"  # "Vance" in one outlet is the same person
    assert not g.speaker_differs
    assert not g.wording_differs  # "okay" and "OK" are one word spelled two ways: shown, not a finding
    courier = next(v for v in g.variants if v.evidence.outlet == "Evening Courier")
    changed = [op for op in courier.diff if op[0] != "="]
    assert changed == [("-", "okay"), ("+", "OK")]  # "Bridge"/"bridge" is not a wording difference
    assert courier.evidence.text == courier.wording == B_TEXT[courier.evidence.start:courier.evidence.end]
    base = next(v for v in g.variants if v.evidence.outlet == "Daily Lantern")
    assert all(op == "=" for op, _ in base.diff)


def test_single_outlet_quotes_are_single_variant_groups():
    groups = group_quotes(articles())
    singles = {g.text for g in groups if len(g.variants) == 1}
    assert singles == {"The steel is already on site.", "Nobody will pay a penny more in tolls."}
    assert len(groups[0].variants) == 2  # shared quotes first


def test_speaker_differs_when_outlets_name_different_speakers():
    a, b = articles()
    c = make_article("c1", "Harlow Post", C_TEXT,
                     quotes=[("We will rebuild the Harlow bridge by spring, okay?", "Ian Pike", "ian pike")],
                     entities=[("ian pike", "Ian Pike", ["Pike"])])
    g = next(g for g in group_quotes([a, b, c]) if "bridge" in g.text.lower())
    assert len(g.variants) == 3
    assert g.speaker_differs
    assert g.speaker == "Maria Vance"
    assert {v.speaker for v in g.variants} == {"Maria Vance", "Ian Pike"}


def test_copy_counts_with_its_canonical():
    a, b = articles()
    copy = make_article("a2", "Aggregator", A_TEXT, quotes=[("The steel is already on site.", "Tom Reyes", "tom reyes")],
                        duplicate=DuplicateLink(canonical_id="a1", kind="exact", similarity=1.0))
    groups = group_quotes([a, b, copy])
    steel = next(g for g in groups if "steel" in g.text)
    assert len(steel.variants) == 1 and steel.outlets == ("Daily Lantern",)


def test_different_quotes_stay_apart():
    x = make_article("x", "One", "He said: “Yes.” Then: “We will win the vote on Tuesday.”",
                     quotes=[("Yes.", "Al Kerr", "al kerr"), ("We will win the vote on Tuesday.", "Al Kerr", "al kerr")])
    y = make_article("y", "Two", "He said: “No.” Then: “We will lose the vote on Thursday.”",
                     quotes=[("No.", "Al Kerr", "al kerr"), ("We will lose the vote on Thursday.", "Al Kerr", "al kerr")])
    groups = group_quotes([x, y])
    assert all(len(g.variants) == 1 for g in groups)
    assert len(groups) == 4


def test_fragment_quoted_by_another_outlet_joins_the_group():
    long_q = "The water came through the doors in seconds and we had nowhere to go"
    x = make_article("x", "One", f"She said: “{long_q}.”", quotes=[(long_q + ".", "Jo Hart", "jo hart")])
    y = make_article("y", "Two", "Hart said the water “came through the doors in seconds”.",
                     quotes=[("came through the doors in seconds", "Hart", "hart")])
    groups = group_quotes([x, y])
    assert len(groups) == 1 and groups[0].outlets == ("One", "Two")
    # a fragment of the full quotation is not a different wording: it is shown as partial
    assert not groups[0].wording_differs
    assert [v.partial for v in groups[0].variants] == [False, True]


def test_fragment_with_a_changed_word_is_a_real_variant():
    long_q = "I will not take a single cent from the harbour fund while I sit on this council"
    x = make_article("x", "One", f"Pike said: “{long_q}.”", quotes=[(long_q + ".", "Ian Pike", "ian pike")])
    y = make_article("y", "Two", "Pike vowed he would not take “any single cent from the harbour fund”.",
                     quotes=[("any single cent from the harbour fund", "Pike", "pike")])
    g = group_quotes([x, y])[0]
    assert g.outlets == ("One", "Two") and g.variants[1].partial
    assert g.wording_differs
    assert ("+", "any") in g.variants[1].diff and ("-", "a") in g.variants[1].diff


def test_nickname_title_and_role_speakers_are_one_speaker():
    q = "The tolls will stay where they are for the next five years at least"
    x = make_article("x", "One", f"“{q},” said Sen. Dick Halloran.", quotes=[(q, "Dick Halloran", "dick halloran")],
                     entities=[("dick halloran", "Dick Halloran", [])])
    y = make_article("y", "Two", f"“{q},” said Richard Halloran.", quotes=[(q, "Richard Halloran", "richard halloran")])
    z = make_article("z", "Three", f"“{q},” a lawyer said.", quotes=[(q, "a lawyer", None)])
    g = group_quotes([x, y, z])[0]
    assert len(g.variants) == 3 and not g.speaker_differs
    w = make_article("w", "Four", f"“{q},” said Ian Pike.", quotes=[(q, "Ian Pike", "ian pike")],
                     entities=[("ian pike", "Ian Pike", [])])
    assert group_quotes([x, w])[0].speaker_differs  # two different named people


@pytest.mark.parametrize("base, other, differs", [
    ("not a single cent", "not any single cent", True),
    ("for the parents and grandparents, sisters and brothers", "for the parents, grandparents, sisters and brothers", True),
    ("I pray that the president is successful", "I pray that the president will be successful", True),
    # extent: one outlet quotes more, or less, of the same words
    ("We will rebuild the bridge.", "By spring we will rebuild the bridge, and the road too.", False),
    # an elision the outlet marked
    ("The letters … are frank and direct", "The letters in this case are frank and direct", False),
    ("The letters ... are frank and direct", "The letters in this case are frank and direct", False),
    # the editor's insertion in brackets
    ("the plane was shot down by soldiers", "the plane [flight 17] was shot down by soldiers", False),
    # spelling and format variants
    ("we have to realise how small the honourable defence is", "we have to realize how small the honorable defense is", False),
    ("endorsed by 100% and held on 11 May", "endorsed by 100 per cent and held on May 11", False),
    ("because 16million people watch it", "because 16 million people watch it", False),
    ("real change from day one for the Prince of Wales' plan", "real change from day 1 for the Prince of Wales's plan", False),
    ("to Gaddafi's Libya", "to Gadhafi's Libya", False),
    ("the factory in Norwalk closed", "the factory in Norfolk closed", True),  # two places, not two spellings
])
def test_wording_differs_inside_the_shared_stretch(base, other, differs):
    assert wording_differs_inside(base, other) is differs
    assert wording_differs_inside(other, base) is differs


def _named(aid, outlet, text, wording, speaker, key, mention):
    """An article whose quote's speaker is found at ``mention`` (a name, a pronoun, a role noun)."""
    art = make_article(aid, outlet, text, quotes=[(wording, speaker, key)], entities=[(key, speaker, [])])
    at = text.index(mention)
    q = dataclasses.replace(art.quotes[0], speaker_span=Span(at, at + len(mention)))
    return dataclasses.replace(art, quotes=(q,))


def test_speaker_differs_only_between_people_named_at_the_quote():
    q = "The tolls will stay where they are for the next five years at least"
    pike = _named("p", "One", f"“{q},” said Ian Pike.", q, "Ian Pike", "ian pike", "Ian Pike")
    vance = _named("v", "Two", f"“{q},” said Maria Vance.", q, "Maria Vance", "maria vance", "Maria Vance")
    assert group_quotes([pike, vance])[0].speaker_differs
    # a speaker resolved from a pronoun, a role noun or a mention sentences away may be our error
    he = _named("h", "Two", f"Maria Vance spoke first. “{q},” he said.", q, "Maria Vance", "maria vance", "he")
    mayor = _named("m", "Two", f"Maria Vance spoke. “{q},” the mayor said.", q, "Maria Vance", "maria vance", "the mayor")
    far = _named("f", "Two", "Maria Vance spoke at the meeting. " + "The hall was full and the debate ran on. " * 5 + f"“{q}.”",
                 q, "Maria Vance", "maria vance", "Maria Vance")
    for other in (he, mayor, far):
        assert not group_quotes([pike, other])[0].speaker_differs
    # one person named two ways: a middle name, a surname transliterated two ways
    full = _named("b", "Two", f"“{q},” said Ian Alan Pike.", q, "Ian Alan Pike", "ian alan pike", "Ian Alan Pike")
    assert not group_quotes([pike, full])[0].speaker_differs
    ivan = _named("i", "One", f"“{q},” said Ivan Kuznetsov.", q, "Ivan Kuznetsov", "ivan kuznetsov", "Ivan Kuznetsov")
    spelled = _named("s", "Two", f"“{q},” said Ivan Kouznetsov.", q, "Ivan Kouznetsov", "ivan kouznetsov", "Ivan Kouznetsov")
    assert not group_quotes([ivan, spelled])[0].speaker_differs


def test_normalize_and_diff_helpers():
    assert normalize_quote("“Yes, OKAY.”") == normalize_quote("'yes, ok'") == "yes ok"
    assert normalize_quote("Let’s go") == normalize_quote("Let's go")
    assert word_diff("a b c", "a x c") == (("=", "a"), ("-", "b"), ("+", "x"), ("=", "c"))
    assert word_diff("Let’s go", "let's GO") == (("=", "let's"), ("=", "GO"))


def test_indirect_quotes_only_on_request():
    text = "Kerr said that the vote would be held on Tuesday."
    q = Quote(text="the vote would be held on Tuesday", span=Span(15, 49), speaker="Kerr", speaker_key="kerr", kind="indirect")
    art = Article(id="i", outlet="One", title="t", text=text, quotes=(q,))
    assert group_quotes([art]) == ()
    assert len(group_quotes([art], include_indirect=True)) == 1


# ---- the reference articles (read from ../shared/seeds; never copied into the repo)


def seed_articles(seeds):
    """The seeds cleaned and enriched by the project's own pipeline (or, until dedup lands,
    split into headline and body and enriched directly)."""
    try:
        from samestory.workflow import read_articles

        arts = read_articles([str(p) for p in seeds])
    except ImportError:
        from samestory.enrich import enrich
        from samestory.models import article_id_for

        arts = []
        for p in seeds:
            title, _, body = p.read_text(encoding="utf-8").partition("\n")
            arts.append(Article(id=article_id_for(p.stem, None, title, body), outlet=p.stem, title=title.strip(), text=body.strip()))
        arts = enrich(arts, embed=False)
    tabloid = next(a for a in arts if "tyrant" in (a.title + a.text).lower())
    other = next(a for a in arts if a is not tabloid)
    return tabloid, other


def test_seeds_leaders_exchange_with_speakers_and_spelling_variant(seeds):
    tabloid, other = seed_articles(seeds)
    groups = group_quotes([tabloid, other])
    invite = [g for g in groups if "interesting" in g.text.lower()]
    reply = [g for g in groups if normalize_quote(g.text) in ("yes ok",)]
    assert len(invite) == 1 and len(reply) == 1
    invite, reply = invite[0], reply[0]
    assert set(invite.outlets) == set(reply.outlets) == {tabloid.outlet, other.outlet}
    assert "Lukashenko" in invite.speaker and "Putin" in reply.speaker
    assert not invite.speaker_differs and not reply.speaker_differs
    assert not invite.wording_differs
    assert not reply.wording_differs  # "okay" / "OK": a house style, shown in the diff but not a finding
    changed = {w for v in reply.variants for op, w in v.diff if op != "="}
    assert changed == {"okay", "OK"}
    by_outlet = {v.evidence.outlet: v.wording for v in reply.variants}
    assert "okay" in by_outlet[tabloid.outlet] and "OK" in by_outlet[other.outlet]


def test_an_editors_parenthesis_or_bracket_stands_in_for_the_speakers_words():
    from samestory.compare.quotes import wording_differs_inside

    plain = "Don't put him on a poster for the whole town to see."
    assert not wording_differs_inside(plain, "Don't put (Ruth) on a poster for the whole town to see.")
    assert not wording_differs_inside(plain, "Don't put [Ruth Adeyemi] on a poster for the whole town to see.")
    # a real change beside the insertion still counts
    assert wording_differs_inside(plain, "Do put (Ruth) on a poster for the whole town to see.")
