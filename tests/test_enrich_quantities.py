"""Typed quantities: counts with their nouns, ages, dates relative to the published date (invented text)."""

from __future__ import annotations

import datetime as dt

from samestory.enrich import enrich
from samestory.enrich.quantities import parse_number, resolve_date
from samestory.models import Article

PUBLISHED = "2024-01-29T10:00:00+00:00"  # a Monday


def _q(text: str, published: str | None = PUBLISHED):
    art = enrich([Article(id="q", outlet="test", title="", text=text, published=published)], embed=False)[0]
    return art.quantities


def _find(qs, text):
    hits = [q for q in qs if q.text == text or text in q.text]
    assert hits, [q.text for q in qs]
    return hits[0]


def test_parse_number():
    assert parse_number("at least 157") == 157
    assert parse_number("3,210") == 3210
    assert parse_number("1.5 million") == 1.5e6
    assert parse_number("twenty") == 20
    assert parse_number("none") is None


def test_resolve_relative_dates():
    pub = dt.date(2024, 1, 29)  # Monday
    assert resolve_date("Sunday", pub)[1] == "2024-01-28"
    # spaCy's DATE entity is the bare "Sunday"; the phrase with its preposition is not read
    assert resolve_date("on Sunday", pub)[1] is None
    assert resolve_date("yesterday", pub)[1] == "2024-01-28"
    assert resolve_date("last year", pub)[:2] == ("year", "2023")
    assert resolve_date("next Friday", pub)[1] == "2024-02-02"
    assert resolve_date("Friday", pub, future=True)[1] == "2024-02-02"
    assert resolve_date("since 1994", pub)[:2] == ("year", "1994")
    assert resolve_date("Sunday", None)[1] is None


def test_calendar_dates_state_only_what_the_phrase_says():
    pub = dt.date(2014, 5, 9)
    assert resolve_date("July 19, 1922", None)[1] == "1922-07-19"
    assert resolve_date("on the 5th of May", pub)[1] == "2014-05-05"
    assert resolve_date("early June", pub)[1] == "2014-06"
    assert resolve_date("September 1944", None)[1] == "1944-09"
    # the year comes from the published day or from the phrase, never from a default
    assert resolve_date("January", pub)[1] == "2014-01"
    assert resolve_date("January", None)[1] is None
    assert resolve_date("March 15", None)[1] is None
    # DATE entities that are no calendar date (dateutil's fuzzy reading made them days)
    assert resolve_date("the age of 90", pub)[1] is None  # was 1990-01-01
    assert resolve_date("18 days later", None)[1] is None  # was 2000-01-18
    assert resolve_date("May last year", pub)[1] is None  # not May of this year
    assert resolve_date("'90", pub)[1] is None


def test_counts_with_their_nouns(nlp):
    qs = _q("Police said at least 212 people have been detained. The ferry carried 48 passengers of the night service.")
    people = _find(qs, "212")
    assert people.kind == "count" and people.value == 212 and "people" in people.about
    assert "detained" in people.about
    pax = _find(qs, "48")
    assert pax.kind == "count" and pax.about.startswith("passengers")


def test_count_of_relative_clause(nlp):
    qs = _q("The harbour authority said the sailors were among 31 who drowned when the ferry sank.")
    q = _find(qs, "31")
    assert q.kind == "count" and "drowned" in (q.about or "")


def test_ages(nlp):
    qs = _q("Mayor Greta Lindqvist, 61, met the builder Oskar Vale. A diver aged 42 was also there. "
            "Later the 61-year-old cut the ribbon.")
    ages = [q for q in qs if q.kind == "age"]
    assert [q.value for q in ages] == [61, 42, 61]
    assert ages[0].about == "Greta Lindqvist" and ages[0].about_key == "greta lindqvist"
    assert ages[1].about == "diver"
    assert ages[2].about_key is not None


def test_dates_against_published(nlp):
    qs = _q("Mayor Greta Lindqvist opened the bridge on Sunday. She has led the town since 2009. "
            "The council approved it last year.")
    sunday = _find(qs, "Sunday")
    assert sunday.kind == "date" and sunday.normalized == "2024-01-28"
    year = _find(qs, "2009")
    assert year.kind == "year" and year.normalized == "2009" and year.about_key == "greta lindqvist"
    last = _find(qs, "last year")
    assert last.normalized == "2023"


def test_dates_without_published(nlp):
    qs = _q("The bridge opened on Sunday.", published=None)
    assert _find(qs, "Sunday").normalized is None


def test_money_percent_duration(nlp):
    qs = _q("The bridge cost £12 million, 15% more than planned, 80 years since the first crossing opened.")
    money = _find(qs, "12 million")
    assert money.kind == "money" and money.value == 12e6 and money.unit == "GBP"
    pct = _find(qs, "15%")
    assert pct.kind == "percent" and pct.value == 15
    dur = _find(qs, "80 years")
    assert dur.kind == "duration" and dur.value == 80 and "crossing" in (dur.about or "")


def test_age_after_a_person_the_model_misses_is_an_age_not_a_year(nlp):
    """en_core_web_sm tags some names as ORG or nothing and the number as DATE ("Varga, 76," -> 1976)."""
    from samestory.enrich import enrich
    from samestory.models import Article

    text = "Grandmother Ilse Varga, 76, was plucked from her roof by a rescue boat on Tuesday."
    [a] = enrich([Article(id="x", outlet="o", title="t", text=text, published="2025-03-11T08:00:00+00:00")],
                 embed=False)
    ages = [q for q in a.quantities if q.kind == "age"]
    assert [(q.value, q.about) for q in ages] == [(76.0, "Ilse Varga")]
    assert not any(q.normalized and q.normalized.startswith("1976") for q in a.quantities)


def test_age_in_apposition_to_a_role_is_an_age_not_a_date(nlp):
    """A number in apposition after a common noun ("The town clerk, 61,") is the age of who it names."""
    from samestory.enrich import enrich
    from samestory.models import Article

    text = "The town clerk, 61, said the ferry would sail again on Monday. Mayor Ann Lee, 47, agreed."
    [a] = enrich([Article(id="x", outlet="o", title="t", text=text, published="2025-03-10T10:00:00+00:00")],
                 embed=False)
    ages = sorted((q.value, q.about) for q in a.quantities if q.kind == "age")
    assert ages == [(47.0, "Ann Lee"), (61.0, "town clerk")]
    assert not any(q.normalized and q.normalized.startswith("2061") for q in a.quantities)


def test_a_bare_two_digit_number_is_not_resolved_to_a_year():
    from samestory.enrich.quantities import resolve_date

    assert resolve_date("61", None) == ("date", None, None)
    assert resolve_date("in 1994", None)[:2] == ("year", "1994")


def test_a_german_article_is_read_by_german_rules():
    from samestory.enrich import enrich
    from samestory.models import Article

    text = "Am 12. Mai kamen rund 3,5 Millionen Menschen. Bürgermeisterin Ilse Varga (64) regiert seit 2019."
    a = Article(id="de1", outlet="Beispielblatt", title="Großer Andrang", text=text, language="de",
                published="2030-05-20")
    got = [(q.kind, q.value, q.normalized, q.qualifier) for q in enrich([a], embed=False)[0].quantities]
    assert got == [("date", None, "2030-05-12", None), ("count", 3.5e6, None, "approx"),
                   ("age", 64, None, None), ("year", 2019, "2019", None)]


def test_weights_are_measures_and_alternatives_one_range():
    from samestory.text.numbers import values_in

    (w,) = values_in("By then she had reached 260 pounds.")
    assert w.kind == "measure" and w.unit == "pound"  # no £: a weight as often as money
    (kg,) = values_in("She weighed 117kg then.")
    assert kg.kind == "measure" and kg.unit == "kg" and kg.low == 117
    (homes,) = values_in("He said eight or nine homes had burned.")
    assert homes.kind == "count" and (homes.low, homes.high) == (8, 9) and not homes.exact and homes.about == "home"
    (gbp,) = values_in("The fine was £90,000.")
    assert gbp.kind == "money" and gbp.unit == "GBP"


def test_a_currency_symbol_before_the_money_entity_is_its_unit(nlp):
    qs = _q("The note-taking tool is listed at £169.99 in Britain.")
    money = _find(qs, "169.99")
    assert money.kind == "money" and money.unit == "GBP"


def test_an_age_predicated_of_others_is_no_age_of_the_last_person_named(nlp):
    qs = _q("Tomas Revel, 20, drove to the school. The pupils hurt were said to be 5 to 10 years old. "
            "Police said the 20-year-old wore black.")
    ages = [(q.value, q.about_key) for q in qs if q.kind == "age"]
    assert (10.0, "tomas revel") not in ages and ages.count((20.0, "tomas revel")) == 2, ages


def test_a_weekday_is_read_ahead_or_back_by_its_own_verb(nlp):
    # published on a Monday (29 Jan 2024): "would begin on Friday" in reported speech is ahead,
    # "said on Friday" is back although the sentence also holds a "will"
    qs = _q("The harbour authority said the inquiry would begin on Friday. "
            "The mayor said on Friday that the bridge will reopen. "
            "Sailings are due to resume on Wednesday. "
            "The ferry would have sailed on Thursday.")
    dates = [q.normalized for q in qs if q.kind == "date"]
    assert dates == ["2024-02-02", "2024-01-26", "2024-01-31", "2024-01-25"], [(q.text, q.normalized) for q in qs]


def test_a_duration_names_its_event_without_what_follows_a_dash(nlp):
    qs = _q("The mayor spoke at a memorial to mark 80 years since the end of the siege of Carrow – "
            "the old name of the town.")
    d = _find(qs, "80 years")
    assert d.kind == "duration" and d.about == "the end of the siege of Carrow", d


def test_a_letter_scale_before_a_counted_noun_is_million_not_metres(nlp):
    views = _find(_q("The clip has notched up more than 808m views since it was posted."), "808m")
    assert (views.kind, views.value, views.unit) == ("count", 808e6, "views")
    tower = _find(_q("The new mast is 300m tall."), "300m")
    assert (tower.kind, tower.value, tower.unit) == ("measure", 300.0, "metre")


def test_letter_scales_in_values_in():
    from samestory.text.numbers import values_in

    assert [(v.kind, v.low) for v in values_in("5.4m likes")] == [("count", 5.4e6)]
    assert [(v.kind, v.unit) for v in values_in("the 400m relays")] == [("measure", "metre")]


def test_an_age_before_a_common_noun_is_the_noun_not_a_guessed_person(nlp):
    qs = _q("The mayor thanked Greta Lindqvist for the design. The 64-year-old architect said she was proud.")
    assert _find(qs, "64").about == "architect"
    assert _find(_q("A 40-year-old fisherman was rescued."), "40").about == "fisherman"


def test_the_bare_age_noun_is_of_a_person_named_just_before_only(nlp):
    far = _q("Mayor Greta Lindqvist praised the film. Nobody was more surprised than its maker, a carpenter. "
             "The 34-year-old said he had filmed it on a phone.")
    assert _find(far, "34").about is None
    near = _q("Police named the driver as Oren Vale. The 52-year-old was taken to hospital.")
    assert _find(near, "52").about == "Oren Vale"
