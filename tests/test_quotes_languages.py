"""Direct quotes in languages other than English: marks (« », „ “, ‚ ‘, » «, dialogue dashes) and
speakers from each language's speech verbs (text.languages, text.quotes.speech_frames), through
enrich on sentences written for these tests."""

from __future__ import annotations

import pytest

from samestory.enrich import enrich
from samestory.models import Article
from samestory.text.quotes import find_quotation_spans, speech_frames


def _quotes(text: str, language: str):
    art = enrich([Article(id="t", outlet="test", title="", text=text, language=language)], embed=False)[0]
    return [(q.text, q.speaker, q.cue) for q in art.quotes]


@pytest.mark.parametrize("language, text, expected", [
    ("de", "Die Kanzlerin sprach in Berlin. „Wir werden die Grenzen nicht schließen“, sagte Merkel am Montag.",
     [("Wir werden die Grenzen nicht schließen", "Merkel", "sagte")]),
    ("de", "Am Montag sagte Olaf Scholz: »Das ist ein guter Tag für Europa.«",
     [("Das ist ein guter Tag für Europa.", "Olaf Scholz", "sagte")]),
    ("de", "Der Bürgermeister meinte: ‚Die Brücke wird im Mai eröffnet.‘",
     [("Die Brücke wird im Mai eröffnet.", None, "meinte")]),
    ("fr", "« Nous ne céderons pas face à la menace », a déclaré Emmanuel Macron mardi.",
     [("Nous ne céderons pas face à la menace", "Emmanuel Macron", "a déclaré")]),
    ("fr", "Selon Élisabeth Borne, « la réforme entrera en vigueur en septembre ».",
     [("la réforme entrera en vigueur en septembre", "Élisabeth Borne", "Selon")]),
    ("es", "«No vamos a subir los impuestos este año», dijo Pedro Sánchez en Madrid.",
     [("No vamos a subir los impuestos este año", "Pedro Sánchez", "dijo")]),
    ("es", "—No vamos a subir los impuestos —dijo Sánchez—. Lo prometimos.",
     [("No vamos a subir los impuestos", "Sánchez", "dijo")]),
    ("ru", "Президент выступил во вторник.\n— Мы готовы к переговорам с любой стороной, — сказал Путин.",
     [("Мы готовы к переговорам с любой стороной,", "Путин", "сказал")]),
    ("ru", "«Ситуация остаётся сложной для всех», — заявил Песков журналистам.",
     [("Ситуация остаётся сложной для всех", "Песков", "заявил")]),
    ("pl", "„Nie podniesiemy podatków w tym roku” – powiedział Mateusz Morawiecki.",
     [("Nie podniesiemy podatków w tym roku", "Mateusz Morawiecki", "powiedział")]),
    ("it", "«Non aumenteremo le tasse quest'anno», ha detto Giuseppe Conte.",
     [("Non aumenteremo le tasse quest'anno", "Giuseppe Conte", "ha detto")]),
])
def test_speaker_from_the_language_s_own_frame(nlp, language, text, expected):
    assert _quotes(text, language) == expected


def test_a_pronoun_after_the_verb_is_the_previous_speaker(nlp):
    text = "„Wir schaffen das“, sagte Merkel.\n„Es wird nicht leicht“, sagte sie. „Aber es geht.“"
    assert _quotes(text, "de") == [("Wir schaffen das", "Merkel", "sagte"), ("Es wird nicht leicht", "Merkel", "sagte"),
                                   ("Aber es geht.", "Merkel", "sagte")]


def test_a_pronoun_with_nobody_quoted_before_names_no_one(nlp):
    assert _quotes("« Nous ne céderons pas », a-t-il déclaré devant les députés.", "fr") == [
        ("Nous ne céderons pas", None, "a-t-il déclaré")]


def test_a_role_is_no_name_and_a_far_off_verb_is_no_frame(nlp):
    # "der Minister" is a role, not a name; the verb of another sentence does not credit the quote
    assert _quotes("„Die Lage ist ernst und wird es bleiben“, sagte der Minister.", "de") == [
        ("Die Lage ist ernst und wird es bleiben", None, "sagte")]
    assert _quotes("Merkel sagte am Montag wenig. Später hieß es im Bericht: „Die Lage ist ernst und bleibt es.“", "de")[0][1] is None


def test_scare_quotes_and_names_in_marks_are_not_speech(nlp):
    assert _quotes("Die Partei nennt das Bündnis „Ampel“ und hofft auf Stimmen.", "de") == []
    assert _quotes("Les « gilets jaunes » manifestent de nouveau à Paris.", "fr") == []


def test_dialogue_dashes_only_in_languages_that_write_them():
    ru = "— Мы готовы, — сказал он."
    assert [q.content.of(ru) for q in find_quotation_spans(ru, "ru")] == [" Мы готовы,"]
    assert find_quotation_spans(ru, "de") == [] and find_quotation_spans(ru) == []
    es = "—No iremos —dijo Ana—."
    assert [q.content.of(es) for q in find_quotation_spans(es, "es")] == ["No iremos"]


def test_english_and_unknown_languages_have_no_foreign_frames():
    text = "„Wir schaffen das“, sagte Merkel."
    q = find_quotation_spans(text, "de")[0]
    assert speech_frames(text, q, "de").name == "Merkel"
    assert speech_frames(text, q, "en") is None and speech_frames(text, q, None) is None


def test_english_quotes_unchanged_by_the_language_path(nlp):
    text = "“We are not giving up on the harbour project,” Harold Blom said."
    for language in ("en", None):
        assert _quotes(text, language) == [("We are not giving up on the harbour project,", "Harold Blom", "said")]
