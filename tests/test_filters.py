"""Filters ⇄ URL parameters ⇄ SQL parameters."""

from __future__ import annotations

import datetime as dt

from exonerations.filters import Filters


def test_round_trip_through_url():
    f = Filters(as_of=dt.date(2026, 2, 5), year_from=1995, year_to=2020, states=("New York", "Texas"),
                crimes=("Murder",), races=("Black",), sexes=("Male",), dna=False, death_sentence=True,
                include_pre_1989=True)
    assert Filters.from_query_params(f.query_params()) == f
    assert Filters.from_query_params({}) == Filters()
    assert Filters().query_params() == {}


def test_malformed_parameters_fall_back_with_notices():
    f = Filters.from_query_params({"as_of": "yesterday", "from": "abc", "dna": "maybe", "zzz": "1",
                                   "state": ["New York", "x" * 500]})
    assert f.as_of is None and f.year_from is None and f.dna is None
    assert f.states == ("New York",)
    assert len(f.notices) == 5


def test_reversed_years_are_swapped():
    f = Filters.from_query_params({"from": "2020", "to": "2000"})
    assert (f.year_from, f.year_to) == (2000, 2020) and f.notices


def test_sql_params_and_words():
    f = Filters(states=("New York",), dna=True)
    p = f.sql_params()
    assert p["states"] == ["New York"] and p["crimes"] is None and p["include_pre_1989"] is False
    assert f.describe() == "New York; DNA exonerations"
    assert Filters(as_of=dt.date(2020, 1, 1)).sql_params(posting_dates=False)["as_of"] is None
