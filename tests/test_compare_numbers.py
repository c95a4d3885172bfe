"""compare.numbers: a row per subject and attribute with each outlet's value.

Invented articles (a fictional dam-breach story) with hand-made Quantity/Entity records, plus
assertions on the reference articles from ../shared/seeds when present.
"""

from __future__ import annotations

from samestory.compare.numbers import number_table
from samestory.models import Article, DuplicateLink, Entity, Quantity, Span

from test_compare_quotes import seed_articles


def q(text, phrase, kind, value, about=None, about_key=None, unit=None):
    start = text.index(phrase)
    return Quantity(text=phrase, span=Span(start, start + len(phrase)), kind=kind, value=value, about=about, about_key=about_key,
                    unit=unit)


def art(aid, outlet, text, quantities=(), entities=(), published=None, duplicate=None):
    sentences, pos = [], 0
    for part in text.split(". "):
        sentences.append(Span(pos, pos + len(part) + 1))
        pos += len(part) + 2
    return Article(id=aid, outlet=outlet, title="Dam breach", text=text, quantities=tuple(quantities), entities=tuple(entities),
                   published=published, duplicate=duplicate, sentences=tuple(sentences))


T1 = "Mayor Maria Vance, 58, said 12 people died when the Harlow dam failed. The dam was built in 1961. Police detained 4 people."
T2 = "Vance, 59, said the death toll had risen to 15. The dam, built in 1961, had been inspected in 2019. At least 4 people were arrested or detained."
T3 = "Officials said 12 people were killed. The dam was built in 1963."


def vance(text, age, key="maria vance", name="Maria Vance"):
    i = text.index("Vance")
    return Entity(key=key, label="PERSON", name=name, mentions=(Span(i, i + 5),), aliases=("Vance",), attributes={"age": age})


def build(published=("2024-03-01T08:00:00+00:00", "2024-03-01T18:00:00+00:00", "2024-03-01T09:00:00+00:00")):
    a1 = art("a1", "Daily Lantern", T1, [
        q(T1, "12 people", "count", 12, "people died"),
        q(T1, "1961", "year", 1961),
        q(T1, "4 people", "count", 4, "people detained"),
    ], [vance(T1, "58")], published=published[0])
    a2 = art("a2", "Evening Courier", T2, [
        q(T2, "15", "count", 15, "death toll"),
        q(T2, "1961", "year", 1961),
        q(T2, "2019", "year", 2019),
        q(T2, "4 people", "count", 4, "people arrested or detained"),
    ], [vance(T2, "59", key="vance", name="Vance")], published=published[1])
    a3 = art("a3", "Harlow Post", T3, [
        q(T3, "12 people", "count", 12, "people killed"),
        q(T3, "1963", "year", 1963),
    ], published=published[2])
    return a1, a2, a3


def row_for(rows, attribute, value_outlet):
    outlet, value = value_outlet
    return next(r for r in rows if r.attribute == attribute and any(v.outlet == outlet and v.value == value for v in r.values))


def test_ages_match_by_normalized_entity_and_disagree():
    rows = number_table(build())
    age = [r for r in rows if r.attribute == "age"]
    assert len(age) == 1
    assert age[0].subject == "Maria Vance"
    assert {(v.outlet, v.value) for v in age[0].values} == {("Daily Lantern", "58"), ("Evening Courier", "59")}
    assert age[0].status == "disagree"
    ev = age[0].values[0].evidence
    assert T1[ev.start:ev.end] == ev.text and "58" in ev.text


def test_years_agree_by_context_and_differing_year_disagrees():
    rows = number_table(build())
    built = row_for(rows, "year", ("Daily Lantern", "1961"))
    assert {(v.outlet, v.value) for v in built.values} == {("Daily Lantern", "1961"), ("Evening Courier", "1961"), ("Harlow Post", "1963")}
    assert built.status == "disagree"
    inspected = row_for(rows, "year", ("Evening Courier", "2019"))
    assert inspected.status == "single" and len(inspected.values) == 1


def test_counts_match_by_lemmas_and_a_later_higher_toll_is_an_update():
    rows = number_table(build())
    toll = row_for(rows, "count", ("Evening Courier", "15"))
    assert {(v.outlet, v.value) for v in toll.values} == {("Daily Lantern", "12"), ("Evening Courier", "15"), ("Harlow Post", "12")}
    assert toll.status == "update"  # the 18:00 article has the newer figure
    detained = row_for(rows, "count", ("Daily Lantern", "4"))
    assert {v.outlet for v in detained.values} == {"Daily Lantern", "Evening Courier"}
    assert detained.status == "agree"


def test_higher_figure_published_earlier_is_a_contradiction():
    rows = number_table(build(published=("2024-03-01T18:00:00+00:00", "2024-03-01T08:00:00+00:00", "2024-03-01T19:00:00+00:00")))
    toll = row_for(rows, "count", ("Evening Courier", "15"))
    assert toll.status == "disagree"


def test_without_publication_times_a_difference_is_not_called_an_update():
    rows = number_table(build(published=(None, None, None)))
    assert row_for(rows, "count", ("Evening Courier", "15")).status == "disagree"


def test_copy_counts_with_its_canonical():
    a1, a2, a3 = build()
    copy = art("c", "Aggregator", T1, a1.quantities, a1.entities, published=a1.published,
               duplicate=DuplicateLink(canonical_id="a1", kind="exact", similarity=1.0))
    rows = number_table([a1, copy])
    assert all(r.status == "single" for r in rows)
    assert all({v.outlet for v in r.values} == {"Daily Lantern"} for r in rows)


# ---- the reference articles


def test_seeds_ages_are_single_outlet_rows(seeds):
    tabloid, other = seed_articles(seeds)
    rows = number_table([tabloid, other])
    ages = {r.subject: r for r in rows if r.attribute == "age"}
    luka = next(r for s, r in ages.items() if "Lukashenko" in s)
    putin = next(r for s, r in ages.items() if "Putin" in s)
    for row, value in ((luka, "69"), (putin, "71")):
        assert row.status == "single"
        assert [(v.outlet, v.value) for v in row.values] == [(tabloid.outlet, value)]
        ev = row.values[0].evidence
        assert tabloid.text[ev.start:ev.end] == ev.text and value in ev.text


def test_seeds_years_both_carry_and_detention_figure_single(seeds):
    tabloid, other = seed_articles(seeds)
    rows = number_table([tabloid, other])
    years = {v.value: r for r in rows if r.attribute == "year" for v in r.values}
    assert years["1994"].status == "agree" and years["2020"].status == "agree"
    detained = next(r for r in rows if any(v.value == "157" for v in r.values))
    assert detained.status == "single" and detained.values[0].outlet == other.outlet


def test_two_different_dates_never_agree_and_a_month_holds_its_days():
    def dated(aid, outlet, text, phrase, norm):
        start = text.index(phrase)
        d = Quantity(text=phrase, span=Span(start, start + len(phrase)), kind="date", value=None, about="inquiry",
                     normalized=norm)
        return art(aid, outlet, text, [d])

    month = dated("d1", "Daily Lantern", "The inquiry into the dam opened in December 2014.", "December 2014", "2014-12")
    other = dated("d2", "Evening Courier", "The inquiry into the dam opened on 3 January 2014.", "3 January 2014", "2014-01-03")
    inside = dated("d3", "Harlow Post", "The inquiry into the dam opened on 5 December 2014.", "5 December 2014", "2014-12-05")
    rows = number_table([month, other])
    assert not any(r.status == "agree" and len({v.value for v in r.values}) > 1 for r in rows), rows
    rows = number_table([month, inside])
    assert any(r.status == "agree" and {v.outlet for v in r.values} == {"Daily Lantern", "Harlow Post"} for r in rows), rows


def test_durations_carry_their_unit():
    """ "three months" and "more than three years" are not one value 3 that agrees."""
    t1 = "Rebels left after three months of fighting in the old city."
    t2 = "The war has lasted more than three years of fighting in the old city."
    t3 = "Rebels left after three months of fighting in the old city, officials said."
    rows = number_table([
        art("a1", "Daily Lantern", t1, [q(t1, "three months", "duration", 3, "fighting", unit="months")]),
        art("a2", "Evening Courier", t2, [q(t2, "more than three years", "duration", 3, "fighting", unit="years")]),
        art("a3", "Harlow Post", t3, [q(t3, "three months", "duration", 3, "fighting", unit="months")]),
    ])
    values = {(v.outlet, v.value) for r in rows for v in r.values}
    assert ("Daily Lantern", "3 months") in values and ("Evening Courier", "3 years") in values
    months = row_for(rows, "duration", ("Daily Lantern", "3 months"))
    assert months.status == "agree" and {v.outlet for v in months.values} == {"Daily Lantern", "Harlow Post"}
    assert all(not (r.status == "agree" and {v.value for v in r.values} == {"3 months", "3 years"}) for r in rows)


def test_one_amount_in_two_currencies_is_not_agreement():
    t1 = "The council was fined 5 million for the dam failure."
    t2 = "The council was fined 5 million for the dam failure, the court said."
    rows = number_table([art("a1", "Daily Lantern", t1, [q(t1, "5 million", "money", 5e6, "council fined", unit="USD")]),
                         art("a2", "Evening Courier", t2, [q(t2, "5 million", "money", 5e6, "council fined", unit="EUR")])])
    assert not any(r.status == "agree" and len(r.values) == 2 for r in rows)


def test_two_outlets_numbers_that_are_not_one_figure_are_two_rows():
    """A row never shows two outlets' different values as one "single" figure: values of two
    clauses that are not one fact split into a row each."""
    t1 = "About 1,000 fighters and their families are thought to remain in the old city."
    t2 = "The army said 29 fighters and their families are thought to have left the old city by bus."
    rows = number_table([
        art("a1", "Daily Lantern", t1, [q(t1, "1,000", "count", 1000, "fighters")]),
        art("a2", "Evening Courier", t2, [q(t2, "29", "count", 29, "fighters")]),
    ])
    for r in rows:
        assert r.status != "single" or len({v.outlet for v in r.values}) == 1


def test_two_open_bounds_far_apart_do_not_agree():
    """ "at least four rockets" and "over 100 rockets" can both hold, but they are two figures:
    not shown as agreement (and never as a disagreement)."""
    t1 = "Militants fired at least four rockets at the southern city, the army said."
    t2 = "Militants fired over 100 rockets at the southern city, the army said."
    t3 = "Militants fired at least six rockets at the southern city, police said."
    a = [art("a1", "Daily Lantern", t1, [q(t1, "at least four", "count", 4, "rockets")]),
         art("a2", "Evening Courier", t2, [q(t2, "over 100", "count", 100, "rockets")]),
         art("a3", "Harlow Post", t3, [q(t3, "at least six", "count", 6, "rockets")])]
    a = [art(x.id, x.outlet, x.text, [Quantity(text=qq.text, span=qq.span, kind="count", value=qq.value, about="rockets",
                                               qualifier="min") for qq in x.quantities]) for x in a]
    rows = number_table(a)
    assert all(r.status != "disagree" for r in rows)
    assert not any(r.status == "agree" and {v.value for v in r.values} >= {"4", "100"} for r in rows)
    four = row_for(rows, "count", ("Daily Lantern", "4"))
    assert "100" not in {v.value for v in four.values}


def test_first_is_no_figure_but_third_is():
    t1 = "The two leaders first met in 1999 in the country's third city."
    t2 = "The two leaders first met in 1999 in the third-largest city of the country."
    rows = number_table([
        art("a1", "Daily Lantern", t1, [q(t1, "first", "ordinal", 1, "leaders met"), q(t1, "third", "ordinal", 3, "city")]),
        art("a2", "Evening Courier", t2, [q(t2, "first", "ordinal", 1, "leaders met"), q(t2, "third", "ordinal", 3, "city")]),
    ])
    assert {v.value for r in rows for v in r.values if r.attribute == "ordinal"} == {"3"}


def test_a_round_figure_agrees_only_with_a_value_close_to_it():
    """ "300" is "296" rounded: one toll. "$2,000" and "$2,075" may be one fee or two: not shown as
    agreement, and never as a disagreement (it could be the rounding)."""
    def pair(v1, v2, kind="money", unit="USD"):
        t1 = f"The council charged each family {v1:,} dollars for the repairs."
        t2 = f"The council charged each family {v2:,} dollars for the repairs, the paper said."
        rows = number_table([art("a1", "Daily Lantern", t1, [q(t1, f"{v1:,}", kind, v1, "family charged", unit=unit)]),
                             art("a2", "Evening Courier", t2, [q(t2, f"{v2:,}", kind, v2, "family charged", unit=unit)])])
        return {r.status for r in rows if len({v.outlet for v in r.values}) == 2} or {"single"}

    assert pair(2000, 2075) == {"single"}
    assert pair(300, 296, kind="count", unit=None) == {"agree"}
