"""Filters ⇄ URL parameters ⇄ SQL parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from exonerations.filters import Filters


def test_round_trip_through_url():
    f = Filters(
        as_of=dt.date(2026, 2, 5),
        year_from=1995,
        year_to=2020,
        states=("New York", "Texas"),
        crimes=("Murder",),
        races=("Black",),
        sexes=("Male",),
        dna=False,
        death_sentence=True,
        include_pre_1989=True,
    )
    assert Filters.from_query_params(f.query_params()) == f
    assert Filters.from_query_params({}) == Filters()
    assert Filters().query_params() == {}


def test_malformed_parameters_fall_back_with_notices():
    f = Filters.from_query_params(
        {"as_of": "yesterday", "from": "abc", "dna": "maybe", "zzz": "1", "state": ["New York", "x" * 500]}
    )
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


# -- How the conviction was obtained, and conviction integrity units ------------------------------

FORM = {"jury": "Jury", "plea": "Plea", "bench": "Bench"}


@pytest.mark.parametrize(
    "forms,ciu", [(("plea",), None), (("jury", "bench"), None), ((), True), ((), False), (("plea",), True)]
)
def test_conviction_form_and_ciu_filters_count_as_the_csv_does(full_registry, forms, ciu):
    from conftest import read_full_export_rows

    from exonerations.stats import stats

    def keep(r) -> bool:
        in_form = not forms or r["Form of 1st Conviction"] in {FORM[f] for f in forms}
        tags = [t.strip().lower() for t in r["Case Characteristics"].split(";")]
        in_ciu = ciu is None or (("conviction integrity unit" in tags) == ciu)
        return r["Pre-1989"] != "Yes" and in_form and in_ciu

    rows = [r for r in read_full_export_rows() if keep(r)]
    s = stats(full_registry, Filters(forms=forms, ciu=ciu))
    assert s["total"] == len(rows)
    assert s["factors"]["official_misconduct"] == sum(r["Official Misconduct"] == "Yes" for r in rows)


def test_conviction_form_and_ciu_round_trip_through_the_url():
    f = Filters(forms=("plea", "jury"), ciu=False)
    back = Filters.from_query_params(f.query_params())
    assert back == f and not back.notices
    assert f.describe() == "convicted by guilty plea, jury trial; no conviction integrity unit"
    bad = Filters.from_query_params({"form": ["trial-by-ordeal", "plea"], "ciu": "maybe"})
    assert bad.forms == ("plea",) and bad.ciu is None and len(bad.notices) == 2


def test_filters_without_the_new_arguments_still_work_in_sql(full_registry):
    """The console's ten-argument `filtered(...)` calls (older links, the examples) still run."""
    n = (
        full_registry.cursor()
        .execute("select count(*) from filtered(null, null, null, null, null, null, null, null, null, false)")
        .fetchone()[0]
    )
    assert n == full_registry.query("stats", Filters().sql_params()).iloc[0]["total"]
