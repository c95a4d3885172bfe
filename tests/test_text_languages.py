"""Numbers, dates and quotation marks in languages other than English (text.languages), on invented sentences."""

from __future__ import annotations

import datetime as dt

import pytest

from samestory.text.dates import days_in, resolve_date
from samestory.text.languages import language_code, language_of
from samestory.text.numbers import values_in
from samestory.text.quotes import find_quotation_spans


def _read(text, language):
    return [(v.kind, v.low, v.high, v.qualifier, v.unit) for v in values_in(text, language)]


@pytest.mark.parametrize("text, language, expected", [
    ("Die Stadt hat 3,5 Millionen Einwohner.", "de", [("count", 3.5e6, 3.5e6, None, None)]),
    ("Es kamen 12.000 Menschen.", "de", [("count", 12000, 12000, None, None)]),
    ("Rund 40 Prozent stimmten zu.", "de", [("percent", 40, 40, "approx", "%")]),
    ("Der Bau kostet 1,25 Mrd. Euro.", "de", [("money", 1.25e9, 1.25e9, None, "EUR")]),
    ("Mehr als 200 Häuser brannten.", "de", [("count", 200, None, "min", None)]),
    ("Soit 12 000 manifestants.", "fr", [("count", 12000, 12000, None, None)]),
    ("Il est âgé de 71 ans.", "fr", [("age", 71, 71, None, "years")]),
    ("около 3,5 млн человек", "ru", [("count", 3.5e6, 3.5e6, "approx", None)]),
    ("Он правит 30 лет.", "ru", [("duration", 30, 30, None, "years")]),
    ("El 40 % de 2.300 personas.", "es", [("percent", 40, 40, None, "%"), ("count", 2300, 2300, None, None)]),
])
def test_figures_as_each_language_writes_them(text, language, expected):
    assert _read(text, language) == expected


def test_a_day_of_a_month_is_not_a_count():
    assert _read("Am 12. Mai", "de") == [] and _read("12 мая", "ru") == [] and _read("le 3 mars", "fr") == []


def test_an_age_in_brackets_after_a_name():
    (v,) = values_in("Bürgermeisterin Ilse Varga (64) sprach.", "de")
    assert (v.kind, v.low, v.about) == ("age", 64, "varga")


def test_same_figure_same_key_across_languages():
    de, = values_in("Die Stadt hat 3,5 Millionen Einwohner.", "de")
    en, = values_in("The city has 3.5 million residents.")
    assert de.key == en.key


def test_english_default_is_unchanged_by_a_language_table():
    # a decimal point stays a decimal point when no language is given
    assert _read("It grew 3.5 per cent.", None) == [("percent", 3.5, 3.5, None, "%")]
    assert _read("It grew 3.5 per cent.", "en") == [("percent", 3.5, 3.5, None, "%")]


@pytest.mark.parametrize("phrase, language, expected", [
    ("12 мая", "ru", ("date", "2030-05-12", None)),
    ("12. Mai", "de", ("date", "2030-05-12", None)),
    ("gestern", "de", ("date", "2030-05-19", None)),
    ("Mai 2029", "de", ("date", "2029-05", None)),
    ("im Jahr 2019", "de", ("year", "2019", 2019.0)),
])
def test_date_phrases_resolve_against_the_published_day(phrase, language, expected):
    assert resolve_date(phrase, dt.date(2030, 5, 20), language=language) == expected


def test_weekday_in_french_is_the_last_one_before_publication():
    kind, norm, _ = resolve_date("mardi", dt.date(2030, 5, 20), language="fr")  # a Monday
    assert (kind, norm) == ("date", "2030-05-14")


def test_days_in_other_languages():
    assert [d[1] for d in days_in("Am 12. Mai und am 3. Juni", "de")] == [512, 603]
    assert [d[1] for d in days_in("el 5 de mayo", "es")] == [505]


@pytest.mark.parametrize("text, language, contents", [
    ("Er sagte: „Wir sind bereit.“ Dann ging er.", None, ["Wir sind bereit."]),
    ("Er sagte: »Wir sind bereit.« Dann ging er.", None, ["Wir sind bereit."]),
    ("Sie sagte: ‚Nein‘, und ging.", None, ["Nein"]),
    ("Il a dit : « Nous sommes prêts. » Puis il est parti.", None, [" Nous sommes prêts. "]),
    ("— Мы готовы, — сказал он.\n— Да.", "ru", [" Мы готовы,", " Да."]),
    ("— a list item in English, not speech", "en", []),
    ("He said “We’re ready” and left. “Yes,” she said.", None, ["We’re ready", "Yes,"]),
    # English texts mix marks: a straight opening mark is closed by a curly one, and the other way round
    ('He said "We are ready” and left.', None, ["We are ready"]),
    ("She said ‘no' twice.", None, ["no"]),
    ("Home » News » Harbour", None, []),  # a breadcrumb, not a German quotation
])
def test_quotation_marks_of_each_language(text, language, contents):
    spans = find_quotation_spans(text, language)
    assert [text[q.content.start : q.content.end] for q in spans] == contents


def test_language_tags_come_down_to_their_iso_639_1_code():
    assert [language_code(t) for t in ("de-AT", "de_DE", "DE", " en-us ", "", None)] == ["de", "de", "de", "en", None, None]
    assert language_of("fr_FR").code == "fr" and language_of("en-GB") is None
