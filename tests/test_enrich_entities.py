"""Entity normalization within an article and across a story (invented text)."""

from __future__ import annotations

from samestory.enrich import apply_story_keys, enrich, merge_entities_across
from samestory.enrich.entities import entity_key, normalize_name, same_nationality
from samestory.models import Article

TEXT = (
    "NORDLAND President Erik Halvorsen met Vestmark Prime Minister Ana Duarte in Oslo on Friday.\n\n"
    "Halvorsen, 64, said the talks went well. Ms Duarte, 58, was less sure.\n\n"
    "The Nordlandic President has ruled the country since 2009, while Mr Halvorsen's rival Jonas Berg "
    "has called for early elections."
)


def _article(text: str, id_: str = "e1") -> Article:
    return enrich([Article(id=id_, outlet="test", title="", text=text)], embed=False)[0]


def test_normalize_name_and_key():
    assert normalize_name("VLADIMIR Putin’s") == "Vladimir Putin"
    assert normalize_name("Mr Putin") == "Putin"
    assert normalize_name("rang Mr Obama") == "Obama"  # a word the tagger swept in
    assert normalize_name("rang Mr") == normalize_name("Mr") == ""  # a title alone names nobody
    assert normalize_name("de Blasio") == "de Blasio"
    # a name the tagger ran on into a clause ends where the clause begins
    assert normalize_name("the Harlow Ramblers Association that Vance", "ORG") == "Harlow Ramblers Association"
    assert normalize_name("Maria Vance who", "PERSON") == "Maria Vance"
    assert normalize_name("The Who", "ORG") == "Who"  # a capitalised word is a name's own
    assert entity_key("Zelenskyy") == "zelenskyy"
    assert entity_key("José Álvarez") == "jose alvarez"


def test_same_nationality():
    assert same_nationality("Belarus", "Belarusian")
    assert same_nationality("Russia", "Russian")
    assert same_nationality("Ukraine", "Ukrainian")
    assert same_nationality("Britain", "British")
    assert not same_nationality("Russian", "Belarusian")


def test_mentions_grouped_with_age_and_role(nlp):
    art = _article(TEXT)
    by_key = {e.key: e for e in art.entities}
    erik = by_key["erik halvorsen"]
    assert erik.label == "PERSON"
    assert erik.attributes.get("age") == "64"
    assert "President" in erik.attributes.get("role", "")
    mentioned = [art.text[s.start : s.end] for s in erik.mentions]
    assert "Halvorsen" in mentioned and any("Halvorsen" in m and m != "Halvorsen" for m in mentioned)
    ana = by_key["ana duarte"]
    assert ana.attributes.get("age") == "58"
    assert "halvorsen" not in by_key and "duarte" not in by_key


def test_caps_first_name_joins(nlp):
    # spaCy tags only the surname after a shouted first name; the name is still whole
    art = _article("VLADIMIR Putin has accepted an invitation to the summit. Putin, 71, agreed at once.")
    keys = [e.key for e in art.entities if e.label == "PERSON"]
    assert keys == ["vladimir putin"]
    assert art.entities[0].name == "Vladimir Putin"
    assert art.entities[0].attributes.get("age") == "71"


def test_role_description_tied_by_nationality(nlp):
    text = ("Belarus President Alexander Lukov met Russian President Dmitri Orlov on Sunday.\n\n"
            "The Belarusian President, who has ruled since 1994, praised the talks.")
    art = _article(text)
    lukov = next(e for e in art.entities if e.key == "alexander lukov")
    assert any(art.text[s.start : s.end] == "The Belarusian President" for s in lukov.mentions)


def test_merge_across_story(nlp):
    a = _article("Erik Halvorsen opened the new harbour in Tromsvik on Monday.", "s1")
    b = _article("Halvorsen promised more ferries. Volodymr Kasko, the mayor, agreed with Halvorsen.", "s2")
    c = _article("Volodymyr Kasko welcomed the harbour plan.", "s3")
    mapping = merge_entities_across([a, b, c])
    assert mapping["halvorsen"] == "erik halvorsen"
    assert mapping["volodymr kasko"] == mapping["volodymyr kasko"]
    a2, b2, c2 = apply_story_keys([a, b, c], mapping)
    assert "erik halvorsen" in {e.key for e in b2.entities}
    assert {e.key for e in b2.entities} & {e.key for e in c2.entities}


def test_one_person_across_scripts_is_one_story_key():
    """ "Александр Лукашенко" in a Russian report and "Alexander Lukashenko" in an English one are
    one person (names compared in Latin letters, ``text.translit``); "Лукашенко" alone joins him."""
    from samestory.enrich.entities import merge_entities_across
    from samestory.models import Article, Entity, Span

    def art(aid, *names):
        ents = tuple(Entity(key=entity_key(n), label="PERSON", name=n, mentions=(Span(0, 1),)) for n in names)
        return Article(id=aid, outlet=aid, title="t", text="x", entities=ents)

    mapping = merge_entities_across([art("en", "Alexander Lukashenko", "Alexander Lukashenko"),
                                     art("ru", "Александр Лукашенко", "Лукашенко"), art("de", "Angela Merkel")])
    en, ru, lone = entity_key("Alexander Lukashenko"), entity_key("Александр Лукашенко"), entity_key("Лукашенко")
    assert mapping[ru] == mapping[en] == mapping[lone]
    assert mapping[entity_key("Angela Merkel")] != mapping[en]
