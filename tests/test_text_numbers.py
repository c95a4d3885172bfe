"""samestory.text.numbers and the dates text/dates reads from article text (sentences we wrote,
of the shapes the issue lists)."""

from __future__ import annotations

import datetime as dt

import pytest

from samestory.text.dates import resolve_date
from samestory.text.numbers import parse_number, values_in


def _one(text: str, kind: str | None = None):
    vs = [v for v in values_in(text) if kind is None or v.kind == kind]
    assert len(vs) == 1, [(v.kind, v.text) for v in values_in(text)]
    return vs[0]


def test_exact_values_with_units():
    v = _one("The chain sold its stores to Harbin Foods for $2.4 billion.")
    assert (v.kind, v.low, v.unit, v.exact) == ("money", 2.4e9, "USD", True)
    v = _one("The grocer runs 3,150 stores in the west.", "count")
    assert v.text == "3,150" and v.exact
    assert _one("Turnout rose to 61.5 percent.").unit == "%"
    assert _one("Roughly 1.2 million households lost power.").qualifier == "approx"


@pytest.mark.parametrize("text, low, high", [
    ("Close to four dozen pupils were sent home.", 48, 48),
    ("Dozens of fishermen protested at the quay.", 24, 99),
    ("Hundreds of thousands of pilgrims reached the shrine.", 200_000, 999_999),
    ("Tens of thousands of fans filled the square.", 20_000, 99_999),
])
def test_vague_quantifiers_are_ranges_never_exact(text, low, high):
    v = _one(text, "count")
    assert (v.low, v.high) == (low, high)
    assert not v.exact


def test_fractions_are_not_counts():
    v = _one("Nearly a quarter of the crew were replaced.")
    assert v.kind == "fraction" and v.qualifier == "approx" and v.low == pytest.approx(0.25)
    assert not any(x.kind == "count" for x in values_in("Nearly a quarter of the crew were replaced."))


def test_bounds():
    at_least = _one("At least 212 people were detained.")
    assert (at_least.qualifier, at_least.low, at_least.high) == ("min", 212, None)
    up_to = _one("The smugglers face up to 35 years in jail.")
    assert (up_to.kind, up_to.qualifier, up_to.high, up_to.unit) == ("duration", "max", 35, "years")
    assert up_to.overlaps(_one("The smugglers face 20 years in jail."))
    assert not at_least.overlaps(_one("Police detained 150 people."))


def test_ages_heights_scores():
    decade = _one("The driver, in her 40s, was unhurt.", "age")
    assert (decade.low, decade.high, decade.exact) == (40, 49, False)
    assert _one("Talia Brenn, 58, chairs the board.", "age").about == "brenn"
    height = _one("The 6-foot-2 goalkeeper signed on Friday.")
    assert (height.kind, height.low, height.unit) == ("height", 74, "in")
    score = _one("Eastvale won 4-2 after extra time.")
    assert score.kind == "score" and score.unit == "4-2"
    assert _one("The justices ruled 6-3 against the county.").kind == "score"


def test_things_that_are_not_numbers():
    assert values_in("Investigators zero in on the cause of the blaze.") == ()
    assert values_in("One of the clerks said no one had complained.") == ()
    assert values_in("The ferry docks on 14 March at 10:30 GMT.") == ()


def test_parse_number():
    assert parse_number("at least 157") == 157
    assert parse_number("3,210") == 3210
    assert parse_number("1.5 million") == 1.5e6
    assert parse_number("twenty-five") == 25
    assert parse_number("close to three dozen") == 36
    assert parse_number("hundreds of thousands") is None
    assert parse_number("none") is None


def test_dates_in_text():
    tuesday = dt.date(2024, 1, 30)  # a Tuesday
    # the paper of a Tuesday saying "on Tuesday" means that day, future tense or not
    assert resolve_date("Tuesday", tuesday)[1] == "2024-01-30"
    assert resolve_date("Tuesday", tuesday, future=True)[1] == "2024-01-30"
    assert resolve_date("next Tuesday", tuesday)[1] == "2024-02-06"
    assert resolve_date("Sunday", tuesday)[1] == "2024-01-28"
    assert resolve_date("up to 48 years", tuesday)[0] == "duration"
    assert resolve_date("more than two years", tuesday)[0] == "duration"
    assert resolve_date("in his 50s", tuesday)[0] == "age"
    assert resolve_date("more than two years ago", tuesday)[1] is None
    assert resolve_date("Spring", tuesday)[1] is None
    assert resolve_date("last year", tuesday)[:2] == ("year", "2023")
