"""The findings behind Geography, New York and Cases, against independent counts (the csv module on the
real export, hand counts on tests/fixtures/b_small.csv): one rounding rule, New York beside all
jurisdictions and the rest of the country, shares on few cases drawn weaker, and sentences holding
data values shown as plain text."""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from conftest import (
    FIXTURES,
    ROOT,
    chart_titles,
    map_squares,
    map_stripes,
    metrics,
    read_full_export_rows,
    unescaped,
)
from streamlit.testing.v1 import AppTest

from exonerations import db, findings, style
from exonerations.filters import Filters
from exonerations.findings import geography, new_york

SMALL = style.SMALL_DENOMINATOR


def _rows():
    return [r for r in read_full_export_rows() if r["Pre-1989"] == "No"]


def _jurisdiction(r) -> str:
    s = r["State"].strip()
    return "Federal" if s.startswith("Fed-") else s


def _half_up(value: Decimal | Fraction, digits: int) -> str:
    """The value rounded halves up, as a reader rounds (the test's own rule, not the app's)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return str(value.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))


def _short(part: int, whole: int) -> str:
    """A title's percentage: whole, except where that would read as 50%, 0% or 100% without being it."""
    exact = Fraction(part, whole) * 100
    whole_pct = _half_up(exact, 0)
    if (whole_pct == "50" and exact != 50) or (whole_pct == "0" and exact > 0) or (whole_pct == "100" and exact < 100):
        return _half_up(exact, 1) + "%"
    return whole_pct + "%"


def run_page(db_path, monkeypatch, page: str, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("EXONERATIONS_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def view(registry, **filters) -> findings.View:
    return findings.View(registry, Filters(**filters))


# ---------------------------------------------------------------------------------------------
# One rounding rule


def test_new_york_years_per_case_round_halves_up(full_db, monkeypatch):
    """The page printed the median with f"{:.1f}" (9.2 for 9.25) where Human cost printed 9.3."""
    years = [
        Decimal(r["Years Lost"].strip())
        for r in _rows()
        if r["State"].strip() == "New York" and r["Years Lost"].strip()
    ]
    mean = _half_up(Fraction(sum(years)) / len(years), 1)
    median = _half_up(Decimal(statistics.median(years)), 1)
    at = run_page(full_db, monkeypatch, "new_york")
    shown = dict(metrics(at))
    assert shown["Per case, New York (mean / median)"] == f"{mean} / {median}"
    assert statistics.median(years) == Decimal("9.25") and median == "9.3"  # the case the old rule got wrong


def test_titles_never_round_a_share_near_half_to_half(full_db, full_registry, monkeypatch):
    """Michigan's share is just over one half: a title says 50.3%, never "50%"."""
    rows = [r for r in _rows() if r["State"].strip() == "Michigan"]
    om, n = sum(r["Official Misconduct"] == "Yes" for r in rows), len(rows)
    assert _half_up(Fraction(om, n) * 100, 0) == "50" and Fraction(om, n) != Fraction(1, 2)
    want = _short(om, n)
    at = run_page(full_db, monkeypatch, "geography", {"state": "Michigan"})
    title = chart_titles(at)[0]
    assert title == f"Official misconduct played a role in {want} of exonerations in Michigan"
    assert "50%" not in title
    assert f"official misconduct played a role in {want} of exonerations" in new_york.compare_title(
        view(full_registry), "Michigan"
    )


# ---------------------------------------------------------------------------------------------
# New York beside all jurisdictions and the rest of the country


def _om_counts(rows) -> tuple[int, int]:
    return sum(r["Official Misconduct"] == "Yes" for r in rows), len(rows)


def test_new_york_beside_the_rest_of_the_country(full_db, monkeypatch):
    rows = _rows()
    ny = [r for r in rows if r["State"].strip() == "New York"]
    rest = [r for r in rows if r["State"].strip() != "New York"]
    (_, ny_n), (rest_om, rest_n), (all_om, all_n) = _om_counts(ny), _om_counts(rest), _om_counts(rows)
    at = run_page(full_db, monkeypatch, "new_york")
    head = unescaped(next(m.value for m in at.markdown if m.value.startswith("### ")))
    rest_pct = _half_up(Fraction(rest_om, rest_n) * 100, 1)
    all_pct = _half_up(Fraction(all_om, all_n) * 100, 1)
    assert f"the {rest_pct}% in the rest of the country ({rest_om:,} of {rest_n:,})" in head
    assert f"the {all_pct}% across all {all_n:,}" in head
    shown = metrics(at)
    assert shown[4] == ("Rest of the country (New York excluded)", f"{rest_n:,}")
    assert shown[5][1] == f"{rest_om:,} ({rest_pct}%)"
    # the charts by official and by kind carry the rest of the country's figures
    police = sum(r["Official Misconduct"] == "Yes" and r["OF - OM by Police Officer"] == "Yes" for r in rest)
    ny_police = sum(r["Official Misconduct"] == "Yes" and r["OF - OM by Police Officer"] == "Yes" for r in ny)
    title = chart_titles(at)[0]
    assert title == (
        f"Misconduct by a police officer played a role in {_short(ny_police, ny_n)} of New York "
        f"exonerations, against {_short(police, rest_n)} in the rest of the country"
    )


def test_compare_figures_subtract_exactly_under_filters(full_registry):
    rows = [r for r in _rows() if r["Worst Crime Display"].strip() == "Murder"]
    ny = [r for r in rows if r["State"].strip() == "New York"]
    rest = [r for r in rows if r["State"].strip() != "New York"]
    f = new_york.compare_figures(view(full_registry, crimes=("Murder",), states=("Texas",)), "New York")
    assert (f["place"]["total"], f["nation"]["total"], f["rest"]["total"]) == (len(ny), len(rows), len(rest))
    assert f["rest"]["factors"]["official_misconduct"] == sum(r["Official Misconduct"] == "Yes" for r in rest)
    withheld = sum(r["Official Misconduct"] == "Yes" and r["WH - Exculpatory withheld"] == "Yes" for r in rest)
    assert f["rest"]["misconduct_in_om"]["withheld_evidence"] == withheld
    years = [Decimal(r["Years Lost"].strip()) for r in rest if r["Years Lost"].strip()]
    assert f["rest"]["cases_with_years_lost"] == len(years)
    assert f["rest"]["years_lost"] == sum(years)
    assert f["rest"]["median_years_lost"] == pytest.approx(float(statistics.median(years)))
    assert f["rest"]["label"] == "Rest of the country (New York excluded)"


def test_compare_title_and_county_rows(full_registry):
    rows = _rows()
    tx = [r for r in rows if r["State"].strip() == "Texas"]
    rest = [r for r in rows if r["State"].strip() != "Texas"]
    title = new_york.compare_title(view(full_registry), "Texas")
    assert title == (
        f"In Texas, official misconduct played a role in {_short(*_om_counts(tx))} of exonerations, "
        f"against {_short(*_om_counts(rest))} in the rest of the country"
    )
    ny = [r for r in rows if r["State"].strip() == "New York"]
    cases = Counter(r["County of Crime"].strip().lower() for r in ny)
    om = Counter(r["County of Crime"].strip().lower() for r in ny if r["Official Misconduct"] == "Yes")
    got = new_york.county_rows(view(full_registry, states=("Ohio",)), "New York")  # the state filter set aside
    assert list(got.columns) == ["county", "cases", "with_misconduct", "share"] and len(got) == 10
    assert got["cases"].tolist() == sorted(got["cases"], reverse=True)
    assert got["cases"].iloc[0] == max(cases.values())
    for county, n, m, share in got.itertuples(index=False):
        key = county.lower()
        assert (n, m) == (cases[key], om[key]), county
        assert share == _half_up(Fraction(m, n) * 100, 1) + "%"


# ---------------------------------------------------------------------------------------------
# Shares resting on few cases are drawn weaker


def test_map_hatches_shares_on_few_cases(full_registry):
    cases = Counter(_jurisdiction(r) for r in _rows())
    chart = geography.map_chart(view(full_registry), "share")
    tiles = chart.figure.data[0]
    layout = chart.figure.to_plotly_json()["layout"]
    squares = {(round((b[0] + b[2]) / 2, 6), round((b[1] + b[3]) / 2, 6)): (b, sh) for b, sh in map_squares(layout)}
    by_name = {name: squares[(x, y)] for name, x, y in zip(tiles.customdata, tiles.x, tiles.y, strict=True)}
    stripes = map_stripes(layout)

    def hatched(box) -> bool:
        x0, y0, x1, y1 = box
        return any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in stripes)

    small = {j for j, n in cases.items() if n < SMALL and j in by_name}
    assert small, "the export has states with few cases"
    for name, (box, shape) in by_name.items():
        assert hatched(box) == (name in small), name
        assert (shape["line"]["dash"] == "dot") == (name in small or name == "Federal"), name
    assert any("Hatched squares with a star (*)" in n and f"fewer than {SMALL} cases" in n for n in chart.notes)
    assert any(t.type == "bar" and t.marker.pattern.shape == "/" for t in chart.figure.data)  # the legend's key
    flagged = chart.data.set_index("Jurisdiction")["Note"]
    assert {j for j, note in flagged.items() if note} == {j for j, n in cases.items() if n < SMALL}
    # counted, not shares: nothing hatched
    counted = geography.map_chart(view(full_registry), "count").figure.to_plotly_json()["layout"]
    assert map_squares(counted) and not map_stripes(counted)


def test_county_bars_on_few_cases_muted_and_explained(full_registry):
    ny = Counter(r["County of Crime"].strip().lower() for r in _rows() if r["State"].strip() == "New York")
    chart = new_york.counties_chart(view(full_registry))
    bars = chart.figure.data[0]
    for county, colour, text in zip(bars.y, bars.marker.color, bars.text, strict=True):
        few = ny[county.lower()] < SMALL
        assert (colour == style.MUTED) == few, county
        assert text.endswith("⚠") == few, county
    assert any(n.startswith("Grey bars marked ⚠ rest on fewer than") for n in chart.notes)
    flagged = chart.data.set_index("County")["Note"]
    assert {c.lower() for c, note in flagged.items() if note} == {c for c, n in ny.items() if n < SMALL}


# ---------------------------------------------------------------------------------------------
# Sentences holding data values: plain text, escaped where shown

HOSTILE = "Atlantis *bold* [x](http://example.com)"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    """The hand-made fixture with one case's state renamed to markup."""
    d = tmp_path_factory.mktemp("hostile")
    with (FIXTURES / "b_small.csv").open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    for r in rows:
        if r["State"].strip() == "California":
            r["State"] = HOSTILE
    src = d / "hostile.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fields)
        w.writeheader()
        w.writerows(rows)
    path = d / "hostile.duckdb"
    db.import_file(src, path)
    return path


def test_new_york_state_filter_notice_is_plain_text(hostile_db, monkeypatch):
    at = run_page(hostile_db, monkeypatch, "new_york", {"state": HOSTILE})
    notice = next(i.value for i in at.info if "does not apply on this page" in i.value)
    assert HOSTILE not in notice and "[x](http" not in notice  # never a link or emphasis
    assert f"state filter ({HOSTILE[:29]}…)" in unescaped(notice)  # a long name clipped, shown as written


def test_geography_not_on_the_map_is_plain_text(hostile_db, monkeypatch):
    at = run_page(hostile_db, monkeypatch, "geography")
    note = next(p for c in at.caption for p in c.value.split("\n\n") if "Not on the map" in p)  # a paragraph
    assert HOSTILE not in note and "[x](http" not in note
    assert unescaped(note) == f"Not on the map (listed in the table and in the CSV): {HOSTILE}."
