"""compare.framing: loaded words with contextual rules, headline vs body, attribution modes, tone.

Invented sentences and articles (a fictional council story), plus assertions on the reference
articles from ../shared/seeds when present.
"""

from __future__ import annotations

import pytest

from samestory.compare.framing import analyze_framing, attribution_mode, find_loaded, framing_cues, load_lexicon, quotation_spans
from samestory.models import Article, ClaimGroup, Entity, Evidence, Span

from test_compare_quotes import seed_articles


def words(hits, voice=None):
    return [h.term for h in hits if voice is None or h.voice == voice]


def test_lexicon_loads_with_categories_and_inflections():
    lex = load_lexicon()
    assert len(lex) > 300
    cats = {e.category for e in lex.entries}
    assert {"insult", "informal", "sensational", "emotional", "hedging", "exaggeration"} <= cats
    found = {e.term for _i, _j, e in lex.match("the cronies were cosying up and slammed rivals".split())}
    assert found == {"crony", "cosy up", "slam"}


def test_plain_loaded_words_found_with_spans(nlp):
    text = "The tyrant and his cronies slammed the shocking report."
    hits = find_loaded(text, nlp=nlp)
    assert words(hits) == ["tyrant", "crony", "slam", "shocking"]
    assert all(text[h.start:h.end] == h.text for h in hits)
    assert all(h.voice == "outlet" for h in hits)


def test_words_inside_a_quotation_are_the_speakers(nlp):
    text = 'Critics said: "He is a corrupt tyrant who must go now." The council met on Monday.'
    assert find_loaded(text, nlp=nlp) == []
    assert set(words(find_loaded(text, nlp=nlp, include_quoted=True), "quoted")) == {"corrupt", "tyrant"}
    assert set(words(find_loaded(text, contextual=False))) == {"corrupt", "tyrant"}  # the baseline has no rules


def test_scare_quotes_and_reported_speech(nlp):
    hits = find_loaded("Vance won the “rigged” vote last year.", nlp=nlp)
    assert [(h.term, h.voice) for h in hits] == [("rigged", "scare-quoted")]
    hits = find_loaded("Kerr claimed that the mayor's regime had bullied the press.", nlp=nlp)
    assert ("regime", "attributed") in [(h.term, h.voice) for h in hits]
    hits = find_loaded("He stamped out protests against what his opponents say was a rigged vote.", nlp=nlp)
    assert ("rigged", "attributed") in [(h.term, h.voice) for h in hits]


def test_person_scoped_words_need_a_person(nlp):
    assert "regime" not in words(find_loaded("Athletes follow a strict training regime every winter.", nlp=nlp))
    assert "clown" in words(find_loaded("Kerr is a clown.", nlp=nlp))
    assert "clown" not in words(find_loaded("The circus hired a clown for the parade.", nlp=nlp))


def test_names_and_nouns_are_not_loaded_words(nlp):
    assert "patriot" not in words(find_loaded("The senator voted to renew the Patriot Act in March.", nlp=nlp))
    assert "claim" not in words(find_loaded("His claims were rejected by the court.", nlp=nlp))
    # attribution and hedging words are cues, reported apart, never loaded words
    text = "The group claims that 40 people were held and reportedly vowed to insist on it."
    assert not {"claim", "vow", "insist", "reportedly"} & set(words(find_loaded(text, nlp=nlp)))
    assert {(c["word"], c["kind"]) for c in framing_cues(text)} >= {("claims", "attribution"), ("vowed", "attribution"), ("reportedly", "hedging")}
    assert "war on" not in words(find_loaded("The war on terror has cost billions since 2001.", nlp=nlp))


def test_quotation_spans_tell_apostrophes_from_single_quotes():
    text = "Putin’s aide said: ‘Let’s go, it’s fine.’ Then he left."
    spans = quotation_spans(text)
    assert [text[s:e] for s, e in spans] == ["‘Let’s go, it’s fine.’"]


def test_attribution_modes():
    def mode(text):
        return attribution_mode(text, 0, len(text))[:2]

    assert mode("He won the “rigged” vote.") == ("scare-quoted", "“rigged”")
    m, cue = mode("He won what his critics say was a rigged vote.")
    assert m == "attributed" and "critics say" in cue
    assert mode("According to police, 40 people were held.")[0] == "attributed"
    assert mode("Forty people were reportedly held.") == ("hedged", "reportedly")
    assert mode("Forty people were held.") == ("fact", "")
    text = "According to police, 40 people were held on Monday."
    start = text.index("40")
    assert attribution_mode(text, start, len(text), sentence=(0, len(text)))[0] == "attributed"


# ---- whole articles

LANTERN_TITLE = "Mayor Vance's crony Tom Reyes cosies up to developers"
LANTERN = ("Mayor Maria Vance appointed Tom Reyes to the planning board on Monday. "
           "The crony approved the “rigged” tender within an hour. "
           "Vance is a corrupt and reckless leader.")
COURIER_TITLE = "Planning board approves tender"
COURIER = ("Mayor Maria Vance appointed Tom Reyes to the planning board on Monday. "
           "Reyes approved what opposition councillors say was a rigged tender. "
           "Vance is not corrupt.")


def entity(text, key, name, *aliases):
    mentions = []
    for n in (name, *aliases):
        start = 0
        while (i := text.find(n, start)) >= 0:
            if not any(m.start <= i < m.end for m in mentions):
                mentions.append(Span(i, i + len(n)))
            start = i + len(n)
    return Entity(key=key, label="PERSON", name=name, mentions=tuple(sorted(mentions, key=lambda s: s.start)), aliases=aliases)


def sentences(text):
    out, pos = [], 0
    for part in text.split(". "):
        end = pos + len(part) + (1 if not part.endswith(".") else 0)
        out.append(Span(pos, min(end, len(text))))
        pos += len(part) + 2
    return tuple(out)


def council_articles():
    a = Article(id="l1", outlet="Daily Lantern", title=LANTERN_TITLE, text=LANTERN, sentences=sentences(LANTERN),
                entities=(entity(LANTERN, "maria vance", "Maria Vance", "Vance"), entity(LANTERN, "tom reyes", "Tom Reyes", "Reyes")))
    b = Article(id="c1", outlet="Evening Courier", title=COURIER_TITLE, text=COURIER, sentences=sentences(COURIER),
                entities=(entity(COURIER, "maria vance", "Maria Vance", "Vance"), entity(COURIER, "tom reyes", "Tom Reyes", "Reyes")))
    return a, b


def test_framing_per_article_headline_targets_and_tone():
    a, b = council_articles()
    lantern, courier = analyze_framing([a, b])
    assert lantern.article_id == "l1" and courier.outlet == "Evening Courier"
    head = [lw for lw in lantern.loaded if lw.in_headline]
    assert {lw.word for lw in head} == {"crony", "cosy up"}
    assert all(LANTERN_TITLE[lw.evidence.start:lw.evidence.end] == lw.evidence.text for lw in head)
    assert "crony" in lantern.headline_loaded and lantern.headline_only == ("cosy up",)
    assert any("cosy up" in n for n in lantern.notes)
    crony_head = next(lw for lw in head if lw.word == "crony")
    assert crony_head.target == "tom reyes"
    body = {lw.word: lw for lw in lantern.loaded if not lw.in_headline}
    assert {"crony", "rigged", "corrupt", "reckless"} <= set(body)
    assert body["crony"].target == "maria vance" or body["crony"].target == "tom reyes"
    assert body["corrupt"].target == "maria vance"
    assert body["rigged"].voice == "scare-quoted"
    assert all(LANTERN[lw.evidence.start:lw.evidence.end] == lw.evidence.text for lw in body.values())
    assert courier.headline_loaded == () and courier.headline_only == ()
    # tone: the Lantern calls Vance corrupt and reckless; the Courier says she is not corrupt (negation)
    assert lantern.tone["maria vance"] < 0 <= courier.tone.get("maria vance", 0.0)
    # every figure in words, with the story's other outlet as its baseline
    rate = next(n for n in lantern.notes if "per 1,000" in n)
    assert "the story's other outlets: 0.0" in rate
    assert any(n.startswith("tone toward maria vance: -") and "scale from -1" in n for n in lantern.notes)


def test_the_same_loaded_word_attributed_differently():
    a, b = council_articles()
    lantern, courier = analyze_framing([a, b])
    rig_l = [d for d in lantern.attributions if d.get("word") == "rigged"]
    rig_c = [d for d in courier.attributions if d.get("word") == "rigged"]
    assert [d["mode"] for d in rig_l] == ["scare-quoted"]
    assert [d["mode"] for d in rig_c] == ["attributed"] and "councillors say" in rig_c[0]["cue"]


def test_attributions_for_claim_groups():
    a, b = council_articles()
    sa = next(s for s in a.sentences if "tender" in s.of(a.text))
    sb = next(s for s in b.sentences if "tender" in s.of(b.text))
    group = ClaimGroup(id="g-tender", status="shared", text="the tender was rigged", outlets=("Daily Lantern", "Evening Courier"),
                       evidence=(Evidence("l1", sa.start, sa.end, sa.of(a.text), "Daily Lantern"),
                                 Evidence("c1", sb.start, sb.end, sb.of(b.text), "Evening Courier")))
    lone = ClaimGroup(id="g-lone", status="unique", text="x", outlets=("Daily Lantern",),
                      evidence=(Evidence("l1", sa.start, sa.end, "", "Daily Lantern"),))
    lantern, courier = analyze_framing([a, b], claim_groups=[group, lone])
    modes = {d["outlet"]: d["mode"] for f in (lantern, courier) for d in f.attributions if d["claim_group"] == "g-tender"}
    assert modes == {"Daily Lantern": "scare-quoted", "Evening Courier": "attributed"}
    assert not any(d["claim_group"] == "g-lone" for f in (lantern, courier) for d in f.attributions)


# ---- the reference articles


@pytest.fixture(scope="module")
def seed_framing(seeds):
    tabloid, other = seed_articles(seeds)
    frames = {f.article_id: f for f in analyze_framing([tabloid, other])}
    return tabloid, other, frames[tabloid.id], frames[other.id]


def test_seeds_loaded_words_in_headlines_and_bodies(seed_framing):
    tabloid, other, ft, fo = seed_framing
    head_t = {lw.word for lw in ft.loaded if lw.in_headline}
    body_t = {lw.word for lw in ft.loaded if not lw.in_headline and lw.voice == "outlet"}
    assert {"pal", "tyrant", "cosy up"} <= head_t
    # the body's "tyrant" is under the shown threshold since the five-seed head (p 0.38 < 0.4; the
    # one-seed head had it just above): the headline's is asserted above, the body's crony here
    assert "crony" in body_t
    assert "pal" in ft.headline_only
    # the body uses "tyrant" ("The tyrant agreed ..."), flagged or not: never "only the headline"
    assert "tyrant" not in ft.headline_only
    assert not ({"tyrant", "crony", "pal"} & {lw.word for lw in fo.loaded})
    pal = next(lw for lw in ft.loaded if lw.in_headline and lw.word == "pal")
    assert "lukashenko" in (pal.target or "").lower()
    tyrant = next(lw for lw in ft.loaded if lw.in_headline and lw.word == "tyrant")
    assert "putin" in (tyrant.target or "").lower()  # the one invited, not the one inviting
    crony = next(lw for lw in ft.loaded if not lw.in_headline and lw.word == "crony")
    assert "medvedev" in (crony.target or "").lower()
    for lw in (*ft.loaded, *fo.loaded):
        source = (tabloid if lw.evidence.article_id == tabloid.id else other)
        where = source.title if lw.in_headline else source.text
        assert where[lw.evidence.start:lw.evidence.end] == lw.evidence.text


def test_seeds_rigged_attributed_differently(seed_framing):
    tabloid, other, ft, fo = seed_framing
    rig_t = [d for d in ft.attributions if d.get("word") == "rigged"]
    rig_o = [d for d in fo.attributions if d.get("word") == "rigged"]
    assert [d["mode"] for d in rig_t] == ["scare-quoted"]
    assert [d["mode"] for d in rig_o] == ["attributed"] and "opponents" in rig_o[0]["cue"]


def test_seeds_rigged_claim_group_modes(seeds, seed_framing):
    tabloid, other, _ft, _fo = seed_framing

    def sentence_with(article, word):
        spans = article.sentences or (Span(0, len(article.text)),)
        s = next(s for s in spans if word in s.of(article.text))
        return Evidence(article.id, s.start, s.end, s.of(article.text), article.outlet)

    group = ClaimGroup(id="g-rigged", status="shared", text="crackdown after the disputed re-election",
                       evidence=(sentence_with(tabloid, "rigged"), sentence_with(other, "rigged")),
                       outlets=(tabloid.outlet, other.outlet))
    frames = analyze_framing([tabloid, other], claim_groups=[group])
    modes = {d["article_id"]: (d["mode"], d["cue"]) for f in frames for d in f.attributions if d["claim_group"] == "g-rigged"}
    assert modes[tabloid.id][0] == "scare-quoted" and "rigged" in modes[tabloid.id][1]
    assert modes[other.id][0] == "attributed" and "opponents" in modes[other.id][1]


def test_seeds_rigged_through_the_real_claim_alignment(seed_framing):
    """End to end: the claims stage aligns the two crackdown sentences; framing classifies each."""
    from samestory.compare import compare
    from samestory.enrich import enrich

    tabloid, other, _ft, _fo = seed_framing
    coverage = compare(enrich([tabloid, other], embed=False))
    rigged = {g.id for g in coverage.claims if len(g.evidence) > 1 and all("rigged" in e.text for e in g.evidence)}
    assert rigged, "the claims stage should align the two crackdown sentences"
    rows = [d for f in coverage.framing for d in f.attributions if d["claim_group"] in rigged]
    modes = {d["article_id"]: d["mode"] for d in rows}
    assert modes.get(tabloid.id) == "scare-quoted"
    assert modes.get(other.id) == "attributed"


def test_contextual_head_reads_only_prefiltered_sentences_from_shared_states():
    import numpy as np

    from samestory.compare import _nlp
    from samestory.compare.loaded import load_model

    model = load_model()
    assert model.head is not None and 0 < model.prefilter < model.show_threshold
    text = "The council met on Tuesday. The corrupt mayor and his cronies slammed the thugs who opposed them."
    asked: list[str] = []

    def states(texts):
        asked.extend(texts)
        return _nlp.token_states(texts)

    p = model.probabilities(text, states=states)
    # the plain sentence is not worth a MiniLM pass; the loaded one is, and the head rescored it
    assert asked == ["The corrupt mayor and his cronies slammed the thugs who opposed them."]
    assert not np.allclose(p, model.probabilities(text, contextual=False))
    # a sentence the claims stage embedded whole has its word-piece states from that forward pass
    sentence = "Protesters branded the new levy a shameless cash grab by greedy officials."
    _nlp.encode([sentence])
    assert _nlp.text_key(sentence) in _nlp._states
    states_of, offsets = _nlp.token_states([sentence])[0]
    assert states_of.shape == (len(offsets), 384 * len(_nlp.STATE_LAYERS))
    assert [s.start for s in model.spans(sentence, model.show_threshold)] == [s.start for s in model.spans_many([sentence], model.show_threshold)[0]]


def test_spans_grow_through_function_words_inside_a_phrase():
    import numpy as np

    from samestory.compare.loaded import spans_from, tokenize

    text = "They called the enemy of the people, he said."
    toks = tokenize(text)
    p = np.array([0.0, 0.1, 0.15, 0.9, 0.15, 0.15, 0.5, 0.3, 0.0])  # "said" is a cue: 0
    grown = [text[s.start : s.end] for s in spans_from(text, toks, p, 0.4, extend=0.3)]
    assert grown == ["enemy of the people"]  # the leading "the" is trimmed, the comma ends the phrase
    assert [text[s.start : s.end] for s in spans_from(text, toks, p, 0.4, extend=0.5)] == ["enemy", "people"]


def test_a_headline_word_the_body_uses_is_not_headline_only():
    from samestory.compare.framing import _used_in

    assert _used_in("cosy up", "The two mayors were cosying up at the fair.")
    assert _used_in("tyrant", "The Tyrant agreed to the plan.")
    assert not _used_in("tyrant", "The tyrannosaur agreed to the plan.")


def _singer_story(text: str):
    """Coverage of ``text`` (the Daily Lantern) beside a plain report of the same death."""
    from samestory.compare import compare
    from samestory.enrich import enrich

    other = "The singer died at his home on Sunday, police said. The band played the club for years."
    return compare(enrich([Article(id="a", outlet="Daily Lantern", title="Singer dies", text=text),
                           Article(id="b", outlet="Evening Courier", title="Singer dies at home", text=other)], embed=False))


def test_a_quote_over_several_sentences_and_paragraphs_is_never_the_writers_voice(nlp):
    """The detector reads one sentence at a time; a sentence inside a quotation that opens in an
    earlier sentence (and a paragraph that reopens it, the newspaper convention) has no marks of its
    own. Its words were counted as the writer's."""
    text = ('The singer died on Sunday, his manager said.\n\n"It is with a saddened heart that I confirm my dear '
            'friend passed away. He was a brutal, outrageous genius.\n\n"His body was found by a band mate at his '
            'home."\n\nThe band was known for its grotesque costumes.')
    cov = _singer_story(text)
    writer = {w.word for f in cov.framing for w in f.loaded if w.voice == "outlet"}
    assert not writer & {"brutal", "outrageous", "genius", "saddened heart"}, writer
    assert "grotesque" in writer  # the writer's own word after the quote is still found


def test_a_loaded_word_the_parse_ties_to_nobody_is_about_nobody(nlp):
    """No nearest-person fallback: "grotesque costumes" is not about the spokeswoman named in the
    sentence before, and a sentence's loaded word about something else gives no tone toward the
    person it names."""
    text = ('Police spokeswoman Dana Kerr said the death was not suspicious.\n\n'
            'The band was known for its grotesque costumes and outrageous stage shows.\n\n'
            'Fans of the band left flowers outside the club where Tom Idris once played.')
    cov = _singer_story(text)
    lantern = next(f for f in cov.framing if f.outlet == "Daily Lantern")
    words = {w.word: w for w in lantern.loaded}
    assert {"grotesque", "outrageous"} & set(words), words
    assert all(w.target is None for w in words.values() if w.word in ("grotesque", "outrageous"))
    assert "dana kerr" not in lantern.tone
