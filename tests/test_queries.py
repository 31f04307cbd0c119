"""Every .sql file runs against the hand-made fixture database; the core ones return exact rows."""

from __future__ import annotations

import datetime as dt

import pytest

from exonerations import db
from exonerations.filters import Filters

DEFAULTS = Filters().sql_params()
EXTRA = {"n": 5, "state": "New York", "limit": 50, "offset": 0, "search": None, "min_cases": 1}
EXTRA.update(sort="exoneration_year", descending=True)  # cases_table (Cases page)
EXTRA.update(period=1)  # exonerations_by_year, years_lost_by_year (Over time page)
EXTRA.update(case_id="101")  # case_detail (the Cases page's case view)


@pytest.mark.parametrize("name", db.query_names())
def test_every_query_runs_and_is_documented(small_registry, name):
    text = db.query_text(name)
    assert text.startswith(f"-- {name}:"), "each query starts with a header naming what it answers"
    assert "select * from final" in text.lower() or name in {"filter_options"}, "CTEs, then `final`"
    params = {**DEFAULTS, **EXTRA}
    df = small_registry.query(name, {k: params[k] for k in db.query_params(name)})
    assert df is not None


def test_stats_exact(small_registry):
    row = small_registry.query("stats", DEFAULTS).iloc[0]
    # post-1989 fixture cases 101-110 and 112; 111 is pre-1989
    assert row["total"] == 11
    assert row["official_misconduct"] == 6  # 101 102 105 107 108 109
    assert row["police"] == 4 and row["prosecutor"] == 4  # 101 102 105 107 / 102 105 108 109
    assert row["police_and_prosecutor"] == 2  # 102 105
    assert row["years_lost"] == pytest.approx(12.5 + 6 + 0 + 0.4 + 14.2 + 30.1 + 8 + 2.5 + 1.1 + 1.5)


def test_filtered_macro_each_filter(small_registry):
    def total(**kw):
        return int(small_registry.query("stats", Filters(**kw).sql_params()).iloc[0]["total"])

    assert total(as_of=dt.date(2026, 2, 5)) == 9  # 108 (2026-03-01) and 112 (2026-06-25) not yet posted
    assert total(as_of=dt.date(2011, 8, 29)) == 1  # 105
    assert total(states=("New York",)) == 4  # 101 102 103 112
    assert total(states=("New York",), include_pre_1989=True) == 5
    assert total(include_pre_1989=True) == 12
    assert total(year_from=2016, year_to=2025) == 5  # 103 104 106 107 109 (exonerated 2016-2025)
    assert total(crimes=("Murder",)) == 3
    assert total(races=("Black",)) == 4
    assert total(sexes=("Female",)) == 5
    assert total(dna=True) == 2 and total(dna=False) == 9
    assert total(death_sentence=True) == 1


def test_registry_growth_and_reached(small_registry):
    g = small_registry.query("registry_growth", DEFAULTS)
    assert g["cumulative_cases"].tolist() == list(range(1, 12))
    assert g["posting_date"].iloc[0].date() == dt.date(2011, 8, 29)
    r = small_registry.query("registry_reached", {**DEFAULTS, "n": 9})
    assert r.to_dict("records") == [
        {"from_date": r["from_date"].iloc[0], "to_date": r["to_date"].iloc[0], "cumulative_cases": 9, "exact": True}
    ]
    assert r["from_date"].iloc[0].date() == dt.date(2026, 2, 5)
    assert r["to_date"].iloc[0].date() == dt.date(2026, 2, 28)


def test_filter_options(small_registry):
    o = small_registry.query("filter_options", {})
    states = o[o.field == "state"]["value"].tolist()
    assert states[-1] == "Fed-NY"  # federal jurisdictions after the states
    assert set(states) == {"New York", "Texas", "Illinois", "California", "Fed-NY"}


def test_one_thread_while_the_cases_fit_in_one_row_group(small_db, monkeypatch):
    """DuckDB works a row group per thread: a registry of one row group gets one thread (a second only
    costs CPU); a larger one gets two."""

    def threads(reg: db.Registry) -> int:
        return int(reg.cursor().execute("select current_setting('threads')").fetchone()[0])

    reg = db.Registry(small_db)
    try:
        assert threads(reg) == 1
    finally:
        reg.close()
    monkeypatch.setattr(db, "ROW_GROUP", 5)  # the fixture's 12 cases are then "more than one row group"
    reg = db.Registry(small_db)
    try:
        assert threads(reg) == 2
    finally:
        reg.close()
