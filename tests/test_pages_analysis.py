"""The Misconduct, Over time and Human cost pages: their queries return exact rows on the hand-made
fixture (counted by hand from tests/fixtures/b_small.csv), agree with independent counts on the real
export, and the pages run on every kind of database, follow the sidebar filters and survive empty results."""

from __future__ import annotations

import csv
import itertools
import math
import re
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pytest
from conftest import (
    FIXTURES,
    ROOT,
    chart_figures,
    chart_titles,
    filters,
    metrics,
    page_tables,
    read_full_export_rows,
)
from streamlit.testing.v1 import AppTest

from exonerations import db, style
from exonerations.filters import Filters

DEFAULTS = Filters().sql_params()
PAGES = ("app_pages/misconduct.py", "app_pages/over_time.py", "app_pages/human_cost.py")

# The 11 post-1989 fixture cases (111 is pre-1989), transcribed by hand from b_small.csv:
# misconduct codes coded Yes (OF PR FA CW / WH NW KP WT INT PJ PL), official misconduct (Yes/No/blank),
# years lost (blank = None), exoneration year, worst crime, race, DNA, death penalty.
CODES = {
    "101": {"police", "withheld_evidence", "witness_tampering", "not_withholding", "interrogation"},
    "102": {"police", "prosecutor", "withheld_evidence", "prosecutor_permitted_perjury", "prosecutor_lied"},
    "103": set(),
    "104": set(),
    "105": {"police", "prosecutor", "withheld_evidence", "witness_tampering", "not_withholding", "perjury_by_official"},
    "106": set(),  # nothing coded at all
    "107": {"police", "withheld_evidence", "not_withholding", "perjury_by_official", "interrogation"},
    "108": {"prosecutor", "child_welfare", "forensic_analyst", "not_withholding"},
    "109": {"prosecutor", "withheld_evidence", "prosecutor_lied"},
    "110": set(),
    "112": set(),
}
ORDER = [
    "police",
    "prosecutor",
    "forensic_analyst",
    "child_welfare",
    "withheld_evidence",
    "not_withholding",
    "prosecutor_permitted_perjury",
    "witness_tampering",
    "interrogation",
    "perjury_by_official",
    "prosecutor_lied",
]


def q(registry, name: str, **extra):
    params = {"period": 1, "limit": 20, **DEFAULTS, **extra}
    return registry.query(name, {k: params[k] for k in db.query_params(name)})


def rows(df) -> list[dict]:
    """Records with NaN turned into None, so they compare with ==."""
    return [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
        for r in df.to_dict("records")
    ]


# ---------------------------------------------------------------------------------------------
# (a) exact rows on the fixture


def test_misconduct_by_actor_exact(small_registry):
    got = rows(q(small_registry, "misconduct_by_actor"))
    assert [
        (r["actor"], r["cases"], r["cases_outside_misconduct"], r["total"], r["misconduct_total"]) for r in got
    ] == [
        ("police", 4, 0, 11, 6),  # 101 102 105 107
        ("prosecutor", 4, 0, 11, 6),  # 102 105 108 109
        ("forensic_analyst", 1, 0, 11, 6),  # 108
        ("child_welfare", 1, 0, 11, 6),  # 108
    ]
    assert got[0]["share"] == pytest.approx(4 / 11)


def test_misconduct_by_kind_exact(small_registry):
    got = rows(q(small_registry, "misconduct_by_kind"))
    assert [(r["kind"], r["cases"]) for r in got] == [
        ("withheld_evidence", 5),  # 101 102 105 107 109
        ("not_withholding", 4),  # 101 105 107 108
        ("prosecutor_permitted_perjury", 1),  # 102
        ("witness_tampering", 2),  # 101 105
        ("interrogation", 2),  # 101 107
        ("perjury_by_official", 2),  # 105 107
        ("prosecutor_lied", 2),  # 102 109
    ]
    assert {(r["total"], r["misconduct_total"], r["cases_outside_misconduct"]) for r in got} == {(11, 6, 0)}


def test_misconduct_by_actor_with_pre_1989(small_registry):
    # New York with pre-1989 cases: 101 102 103 111 112; 111 adds police misconduct.
    got = rows(q(small_registry, "misconduct_by_actor", states=["New York"], include_pre_1989=True))
    assert [(r["actor"], r["cases"], r["total"]) for r in got][:2] == [("police", 3, 5), ("prosecutor", 1, 5)]


def test_misconduct_cooccurrence_exact(small_registry):
    got = q(small_registry, "misconduct_cooccurrence")
    assert len(got) == 121
    cell = {(r["row_code"], r["col_code"]): r["cases"] for r in got.to_dict("records")}
    # the whole matrix, from the hand-transcribed codes
    want = {(a, b): sum(1 for codes in CODES.values() if a in codes and b in codes) for a in ORDER for b in ORDER}
    assert cell == want
    # and a few cells counted by eye
    assert cell[("police", "prosecutor")] == 2  # 102 105
    assert cell[("police", "withheld_evidence")] == 4  # 101 102 105 107
    assert cell[("forensic_analyst", "child_welfare")] == 1  # 108
    assert cell[("police", "forensic_analyst")] == 0
    assert cell[("withheld_evidence", "withheld_evidence")] == 5
    assert got[["row_order", "col_order"]].values.tolist()[:3] == [[1, 1], [1, 2], [1, 3]]


def test_misconduct_police_and_prosecutor_exact(small_registry):
    got = rows(q(small_registry, "misconduct_police_and_prosecutor"))
    assert [(r["segment"], r["cases"], r["total"]) for r in got] == [
        ("police_and_prosecutor", 2, 11),  # 102 105
        ("police_only", 2, 11),  # 101 107
        ("prosecutor_only", 2, 11),  # 108 109
        ("neither", 5, 11),  # 103 104 106 110 112
    ]


def test_misconduct_share_by_group_exact(small_registry):
    got = [
        (r["dimension"], r["grp"], r["cases"], r["misconduct_cases"])
        for r in rows(q(small_registry, "misconduct_share_by_group"))
    ]
    assert got == [
        ("worst_crime", "Murder", 3, 3),  # 101 105 107
        ("worst_crime", "Assault", 2, 0),  # 110 112
        ("worst_crime", "Fraud", 2, 1),  # 106 109
        ("worst_crime", "Child Sex Abuse", 1, 1),  # 108
        ("worst_crime", "Drug Possession or Sale", 1, 0),  # 104
        ("worst_crime", "Robbery", 1, 1),  # 102
        ("worst_crime", "Sexual Assault", 1, 0),  # 103
        ("race", "Black", 4, 3),  # 101 105 107 112
        ("race", "White", 3, 1),  # 103 104 108
        ("race", "Hispanic", 2, 1),  # 102 110
        ("race", "Asian", 1, 0),  # 106
        ("race", "Don't Know", 1, 1),  # 109
        ("dna", "Non-DNA exonerations", 9, 5),
        ("dna", "DNA exonerations", 2, 1),  # 103 105
        ("death_sentence", "Not sentenced to death", 10, 5),
        ("death_sentence", "Sentenced to death", 1, 1),  # 105
    ]


def test_misconduct_share_by_group_pools_rare_crimes(small_registry):
    # 7 worst crimes in the fixture, so nothing is pooled; the pooling rule is "beyond the 12 most frequent".
    got = q(small_registry, "misconduct_share_by_group")
    assert "All other crimes" not in set(got["grp"])
    assert "beyond the 12 most frequent" in db.query_text("misconduct_share_by_group")


def test_exonerations_by_year_exact(small_registry):
    got = rows(q(small_registry, "exonerations_by_year"))
    assert [r["exoneration_year"] for r in got] == list(range(1990, 2027))
    nonzero = {r["exoneration_year"]: (r["cases"], r["misconduct_cases"]) for r in got if r["cases"]}
    assert nonzero == {
        1990: (1, 0),
        1999: (1, 1),
        2011: (1, 1),
        2014: (1, 1),
        2016: (1, 0),
        2018: (1, 1),
        2019: (1, 0),
        2024: (1, 0),
        2025: (1, 1),
        2026: (2, 1),
    }
    by_year = {r["exoneration_year"]: r for r in got}
    assert by_year[2026]["share"] == 0.5 and by_year[1995]["share"] is None and by_year[1995]["cases"] == 0


def test_exonerations_by_five_year_period_exact(small_registry):
    got = rows(q(small_registry, "exonerations_by_year", period=5))
    assert [(r["exoneration_year"], r["last_year"], r["cases"], r["misconduct_cases"]) for r in got] == [
        (1989, 1993, 1, 0),  # 110 (1990)
        (1994, 1998, 0, 0),
        (1999, 2003, 1, 1),  # 105
        (2004, 2008, 0, 0),
        (2009, 2013, 1, 1),  # 101 (2011)
        (2014, 2018, 3, 2),  # 102 (OM) 104 109 (OM)
        (2019, 2023, 1, 0),  # 103
        (2024, 2026, 4, 2),  # 106 107 (OM) 108 (OM) 112 — the last period ends with the data
    ]
    lost = rows(q(small_registry, "years_lost_by_year", period=5))
    assert [(r["exoneration_year"], r["cases_with_years_lost"]) for r in lost][-1] == (2024, 3)  # 106 not recorded
    assert lost[-1]["years_lost"] == pytest.approx(30.1 + 8 + 1.5)
    assert lost[-1]["median_years_lost"] == pytest.approx(8)


def test_years_lost_by_year_exact(small_registry):
    got = {r["exoneration_year"]: r for r in rows(q(small_registry, "years_lost_by_year"))}
    assert len(got) == 37
    assert (got[2026]["cases"], got[2026]["cases_with_years_lost"]) == (2, 2)  # 108 (8), 112 (1.5)
    assert got[2026]["years_lost"] == pytest.approx(9.5)
    assert got[2026]["median_years_lost"] == pytest.approx(4.75)
    assert got[2026]["mean_years_lost"] == pytest.approx(4.75)
    assert (got[2024]["cases"], got[2024]["cases_with_years_lost"], got[2024]["years_lost"]) == (1, 0, None)  # 106
    assert got[2019]["years_lost"] == 0 and got[2019]["median_years_lost"] == 0  # 103, "-0"
    assert (got[1991]["cases"], got[1991]["years_lost"], got[1991]["median_years_lost"]) == (0, 0, None)
    assert sum(r["years_lost"] or 0 for r in got.values()) == pytest.approx(76.3)


def test_years_lost_distribution_exact(small_registry):
    got = rows(q(small_registry, "years_lost_distribution"))
    assert [(r["band"], r["cases"], r["misconduct_cases"], r["other_cases"]) for r in got] == [
        ("0", 1, 0, 1),  # 103
        ("Under 1", 1, 0, 1),  # 104 (0.4)
        ("1–4.9", 3, 1, 2),  # 109 (2.5, OM) 110 (1.1) 112 (1.5)
        ("5–9.9", 2, 2, 0),  # 102 (6) 108 (8)
        ("10–14.9", 2, 2, 0),  # 101 (12.5) 105 (14.2)
        ("15–19.9", 0, 0, 0),
        ("20–24.9", 0, 0, 0),
        ("25–29.9", 0, 0, 0),
        ("30–34.9", 1, 1, 0),  # 107 (30.1)
        ("35–39.9", 0, 0, 0),
        ("40 or more", 0, 0, 0),
    ]
    assert got[-1]["upper"] is None and got[3]["lower"] == 5.0


def test_longest_years_lost_exact(small_registry):
    got = rows(q(small_registry, "longest_years_lost", limit=3))
    assert [
        (r["case_id"], r["name"], r["state"], r["years_lost"], r["worst_crime"], r["official_misconduct"]) for r in got
    ] == [
        ("107", "Gus Young", "Illinois", 30.1, "Murder", True),
        ("105", "Eli Ward", "Texas", 14.2, "Murder", True),
        ("101", "Alma Quinn", "New York", 12.5, "Murder", True),
    ]
    every = q(small_registry, "longest_years_lost", limit=50)
    assert every["case_id"].tolist() == ["107", "105", "101", "108", "102", "109", "112", "110", "104", "103"]
    assert every["official_misconduct"].isna().tolist()[-3:] == [True, False, True]  # 110 blank, 104 No, 103 blank


def test_years_lost_by_misconduct_exact(small_registry):
    got = {r["grp"]: r for r in rows(q(small_registry, "years_lost_by_misconduct"))}
    assert list(got) == ["all", "with_misconduct", "without_misconduct"]
    a, w, wo = got["all"], got["with_misconduct"], got["without_misconduct"]
    assert (a["cases"], a["cases_with_years_lost"]) == (11, 10)
    assert a["years_lost"] == pytest.approx(76.3) and a["mean_years_lost"] == pytest.approx(7.63)
    assert a["median_years_lost"] == pytest.approx(4.25)  # (2.5 + 6) / 2
    assert a["max_years_lost"] == pytest.approx(30.1)
    # with: 101 102 105 107 108 109 — 12.5 6 14.2 30.1 8 2.5
    assert (w["cases"], w["cases_with_years_lost"]) == (6, 6)
    assert w["years_lost"] == pytest.approx(73.3) and w["median_years_lost"] == pytest.approx(10.25)
    # without or not coded: 103 (0) 104 (0.4) 106 (blank) 110 (1.1) 112 (1.5)
    assert (wo["cases"], wo["cases_with_years_lost"]) == (5, 4)
    assert wo["years_lost"] == pytest.approx(3.0) and wo["mean_years_lost"] == pytest.approx(0.75)
    assert wo["median_years_lost"] == pytest.approx(0.75) and wo["max_years_lost"] == pytest.approx(1.5)


def test_death_sentence_cases_exact(small_registry):
    got = {r["grp"]: r for r in rows(q(small_registry, "death_sentence_cases"))}
    d, o = got["death_sentence"], got["no_death_sentence"]
    assert (d["cases"], d["misconduct_cases"], d["share"], d["cases_with_years_lost"]) == (1, 1, 1.0, 1)  # 105
    assert d["years_lost"] == pytest.approx(14.2) and d["median_years_lost"] == pytest.approx(14.2)
    assert (o["cases"], o["misconduct_cases"], o["share"], o["cases_with_years_lost"]) == (10, 5, 0.5, 9)
    assert o["years_lost"] == pytest.approx(62.1) and o["median_years_lost"] == pytest.approx(2.5)


@pytest.mark.parametrize(
    "name",
    [
        "misconduct_by_actor",
        "misconduct_by_kind",
        "misconduct_cooccurrence",
        "misconduct_police_and_prosecutor",
        "misconduct_share_by_group",
        "exonerations_by_year",
        "years_lost_by_year",
        "years_lost_distribution",
        "longest_years_lost",
        "years_lost_by_misconduct",
        "death_sentence_cases",
    ],
)
def test_queries_on_no_matching_case(small_registry, name):
    got = q(small_registry, name, states=["New York"], crimes=["Fraud"])
    if "cases" in got:
        assert int(got["cases"].fillna(0).sum()) == 0


# ---------------------------------------------------------------------------------------------
# (b) the real export, against counts made with the csv module


def _post_1989(rs):
    return [r for r in rs if r["Pre-1989"] != "Yes"]


def test_full_export_actors_and_pairs(full_registry):
    rs = _post_1989(read_full_export_rows())
    col = {
        "police": "OF - OM by Police Officer",
        "prosecutor": "PR: Prosecutor Misconduct",
        "forensic_analyst": "FA - OM by Forensic Analyst",
        "child_welfare": "CW - OM by Child Welfare Worker",
        "withheld_evidence": "WH - Exculpatory withheld",
        "not_withholding": "NW - OM not withholding",
        "prosecutor_permitted_perjury": "KP - Prosecutor permitted perjury",
        "witness_tampering": "Witness Tampering by OA?",
        "interrogation": "INT - Misconduct in Interrogation",
        "perjury_by_official": "PJ - Perjury by OA",
        "prosecutor_lied": "PL - Prosecutor Lied in Court",
    }
    coded = [{k for k, c in col.items() if r[c] == "Yes"} for r in rs]
    actors = q(full_registry, "misconduct_by_actor")
    assert dict(zip(actors["actor"], actors["cases"], strict=True)) == {
        k: sum(k in c for c in coded) for k in ("police", "prosecutor", "forensic_analyst", "child_welfare")
    }
    assert set(actors["total"]) == {len(rs)}
    assert set(actors["misconduct_total"]) == {sum(r["Official Misconduct"] == "Yes" for r in rs)}
    outside = [c for c, r in zip(coded, rs, strict=True) if r["Official Misconduct"] != "Yes"]
    kinds = q(full_registry, "misconduct_by_kind")
    assert dict(zip(kinds["kind"], kinds["cases_outside_misconduct"], strict=True)) == {
        k: sum(k in c for c in outside) for k in ORDER[4:]
    }
    co = q(full_registry, "misconduct_cooccurrence")
    got = {(r["row_code"], r["col_code"]): r["cases"] for r in co.to_dict("records")}
    pairs = Counter(p for c in coded for p in itertools.product(c, c))
    assert got == {(a, b): pairs.get((a, b), 0) for a in ORDER for b in ORDER}
    both = q(full_registry, "misconduct_police_and_prosecutor").set_index("segment")["cases"]
    assert both["police_and_prosecutor"] == sum({"police", "prosecutor"} <= c for c in coded)
    assert int(both.sum()) == len(rs)


def test_full_export_by_year_and_years_lost(full_registry):
    rs = _post_1989(read_full_export_rows())
    per_year = Counter(int(r["Date of Exon"][:4]) for r in rs)
    om_year = Counter(int(r["Date of Exon"][:4]) for r in rs if r["Official Misconduct"] == "Yes")
    got = q(full_registry, "exonerations_by_year")
    assert {
        y: (c, m) for y, c, m in zip(got["exoneration_year"], got["cases"], got["misconduct_cases"], strict=True) if c
    } == {y: (per_year[y], om_year[y]) for y in per_year}
    lost = q(full_registry, "years_lost_by_misconduct").set_index("grp")
    with_om = [float(r["Years Lost"]) for r in rs if r["Years Lost"] and r["Official Misconduct"] == "Yes"]
    without = [float(r["Years Lost"]) for r in rs if r["Years Lost"] and r["Official Misconduct"] != "Yes"]
    assert lost.loc["with_misconduct", "years_lost"] == pytest.approx(round(sum(with_om), 1), abs=0.05)
    assert lost.loc["without_misconduct", "years_lost"] == pytest.approx(round(sum(without), 1), abs=0.05)
    assert lost.loc["with_misconduct", "cases_with_years_lost"] == len(with_om)
    top = q(full_registry, "longest_years_lost", limit=20)
    assert (
        top["years_lost"].tolist() == sorted((float(r["Years Lost"]) for r in rs if r["Years Lost"]), reverse=True)[:20]
    )
    death = q(full_registry, "death_sentence_cases").set_index("grp")
    dead = [r for r in rs if r["Death Penalty?"] == "Yes"]
    assert death.loc["death_sentence", "cases"] == len(dead)
    assert death.loc["death_sentence", "misconduct_cases"] == sum(r["Official Misconduct"] == "Yes" for r in dead)


# ---------------------------------------------------------------------------------------------
# (c)–(e) the pages in AppTest


def page(db_path, monkeypatch, path: str, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("EXONERATIONS_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    return at.switch_page(path).run()


def metric(at: AppTest, label: str) -> str:
    return next(value for name, value in metrics(at) if name == label)


@pytest.fixture(scope="module")
def layout_a_db(tmp_path_factory):
    """The 2023 public spreadsheet without its OM Tags column: misconduct detail and years lost absent."""
    d = tmp_path_factory.mktemp("layout_a")
    with (FIXTURES / "a_2023.csv").open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    i = table[0].index("OM Tags")
    src = d / "a_no_tags.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([r[:i] + r[i + 1 :] for r in table])
    path = d / "a.duckdb"
    db.import_file(src, path)
    return path


def shown_text(at: AppTest, *kinds: str) -> str:
    """The text of the page's elements of these kinds (info, warning, caption, markdown), unescaped."""
    return " ".join(re.sub(r"\\(.)", r"\1", x.value) for k in kinds for x in getattr(at, k))


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("which", ["demo_db", "small_db", "full_db", "layout_a_db"])
def test_pages_run(request, monkeypatch, which, path):
    at = page(request.getfixturevalue(which), monkeypatch, path)
    assert not at.exception, at.exception
    assert at.title and at.title[0].value
    if which == "layout_a_db":
        text = shown_text(at, "info", "warning")
        if path.endswith("misconduct.py"):
            assert "not in this file" in text
        if path.endswith("human_cost.py"):
            assert "This file has no years-lost column" in text
        if path.endswith("over_time.py"):
            assert "This file has no years-lost column" in text
    else:
        assert chart_figures(at), "each page draws charts"
        assert len(chart_titles(at)) == len(chart_figures(at)), "each chart has its finding as a title"


def test_misconduct_page_figures_on_fixture(small_db, monkeypatch):
    at = page(small_db, monkeypatch, PAGES[0])
    assert metric(at, "With official misconduct") == "6 (54.5%)"
    assert metric(at, "Police misconduct") == "4 (36.4%)"  # 101 102 105 107
    assert metric(at, "Police and prosecutor both") == "2 (18.2%)"  # 102 105
    assert any("rest on only 11 cases" in w.value for w in at.warning)


def test_misconduct_page_follows_state_filter(small_db, monkeypatch):
    at = page(small_db, monkeypatch, PAGES[0])
    filters(at).multiselect(key="f_states").set_value(["New York"]).run()
    assert not at.exception
    # New York, post-1989: 101 102 103 112; police 101 102; both 102
    assert metric(at, "Police misconduct") == "2 (50.0%)"
    assert metric(at, "Police and prosecutor both") == "1 (25.0%)"


def test_misconduct_page_new_york_full_export(full_db, monkeypatch):
    rs = [r for r in _post_1989(read_full_export_rows()) if r["State"] == "New York"]
    both = sum(r["OF - OM by Police Officer"] == "Yes" and r["PR: Prosecutor Misconduct"] == "Yes" for r in rs)
    at = page(full_db, monkeypatch, PAGES[0])
    before = metric(at, "Police and prosecutor both")
    filters(at).multiselect(key="f_states").set_value(["New York"]).run()
    assert not at.exception
    assert metric(at, "Police and prosecutor both") == f"{both:,} ({100 * both / len(rs):.1f}%)"
    assert metric(at, "Police and prosecutor both") != before


def test_human_cost_page_figures_on_fixture(small_db, monkeypatch):
    at = page(small_db, monkeypatch, PAGES[2])
    assert metric(at, "Years lost in all") == "76.3"
    assert metric(at, "Median per exoneration") == "4.3 years"  # (2.5 + 6) / 2 = 4.25, halves rounded up
    assert metric(at, "Longest") == "30.1 years"
    assert metric(at, "Sentenced to death") == "1 (9.1%)"
    assert not at.dataframe  # a static table: the page loads no data grid
    table = next(t for t in page_tables(at) if "Name" in t.columns)
    assert table["Name"].tolist()[:3] == ["Gus Young", "Eli Ward", "Alma Quinn"]
    assert len(table) == 10  # 11 cases, 106 has no years lost
    assert table["Years lost"].tolist()[0] == "30.1"


def test_human_cost_longest_table_on_full_export(full_db, full_registry, monkeypatch):
    """The 20 longest, as the query gives them, each linked to its registry page."""
    from exonerations import tables

    at = page(full_db, monkeypatch, PAGES[2])
    table = next(t for t in page_tables(at) if "Name" in t.columns)
    top = q(full_registry, "longest_years_lost", limit=20)
    assert table["Name"].tolist() == top["name"].tolist()
    assert table["Years lost"].tolist()[0] == f"{top['years_lost'].iloc[0]:.1f}"
    urls = tables.case_urls(top["nre_id"])
    assert table["Registry case"].tolist() == [f"[case page]({u})" for u in urls]


def test_over_time_page_follows_filter(small_db, monkeypatch):
    at = page(small_db, monkeypatch, PAGES[1], {"state": "New York"})
    assert not at.exception
    # New York: 101 (2011) 102 (2014) 103 (2019) 112 (2026)
    assert any("4 exonerations from 2011 to 2026" in m.value for m in at.markdown)
    assert not at.dataframe  # the numbers are a static table (the chart's Table view), no data grid
    table = next(t for t in page_tables(at) if "Year of exoneration" in t.columns and "With official misconduct" in t)
    assert sum(int(x) for x in table["Exonerations"]) == 4
    assert sum(int(x) for x in table["With official misconduct"]) == 2


def values(v) -> list:
    """A Plotly array from a figure's JSON: a plain list, or a typed array sent as base64."""
    if isinstance(v, dict) and "bdata" in v:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


def test_over_time_five_year_periods(small_db, monkeypatch):
    at = page(small_db, monkeypatch, PAGES[1])
    at.segmented_control(key="over_time_period").set_value("5-year periods").run()
    assert not at.exception
    fig = chart_figures(at)[0]
    bars = {t["name"]: t for t in fig["data"] if t["type"] == "bar"}
    with_om = bars["With official misconduct"]
    assert list(with_om["x"]) == [
        "1989–1993",
        "1994–1998",
        "1999–2003",
        "2004–2008",
        "2009–2013",
        "2014–2018",
        "2019–2023",
        "2024–2026",
    ]
    assert values(with_om["y"]) == [0, 0, 1, 0, 1, 2, 0, 2]  # counted by hand above
    assert at.query_params["period"] in ("5", ["5"])
    # the link opens the same view
    again = page(small_db, monkeypatch, PAGES[1], {"period": "5"})
    assert again.segmented_control(key="over_time_period").value == "5-year periods"
    assert not again.info or not any("Link settings" in i.value for i in again.info)


@pytest.mark.parametrize("path", PAGES)
def test_pages_on_no_matching_case(small_db, monkeypatch, path):
    at = page(small_db, monkeypatch, path, {"state": "New York", "crime": "Fraud"})
    assert not at.exception
    assert any("No cases match these filters" in i.value for i in at.info)
    assert not chart_figures(at)


# ---------------------------------------------------------------------------------------------
# (f) the wording of the three pages: the denominators named, the shares of those with misconduct counted
# among them, the cautions where they apply, one rounding rule, colours that mean one thing


def half_up(part, whole, digits: int = 1) -> str:
    """part / whole as a percentage, halves rounded up on the exact quotient (the test's own rule)."""
    q = Decimal(1).scaleb(-digits)
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(q, ROUND_HALF_UP))


OF, PR = "OF - OM by Police Officer", "PR: Prosecutor Misconduct"


def test_misconduct_page_words_on_full_export(full_db, monkeypatch):
    rs = _post_1989(read_full_export_rows())
    police = sum(r[OF] == "Yes" for r in rs)
    om = [r for r in rs if r["Official Misconduct"] == "Yes"]
    both = sum(r[OF] == "Yes" and r[PR] == "Yes" for r in rs)
    both_in_om = sum(r[OF] == "Yes" and r[PR] == "Yes" for r in om)
    at = page(full_db, monkeypatch, PAGES[0])
    # "of the 3,835 exonerations", not "of them" (which reads as the cases with misconduct)
    assert (
        f"Police misconduct is coded in {police:,} of the {len(rs):,} exonerations ({half_up(police, len(rs))}%)"
        in shown_text(at, "caption")
    )
    at = page(full_db, monkeypatch, PAGES[0], {"tab": "together"})
    assert not at.exception
    text = shown_text(at, "caption", "markdown", "info", "warning")
    assert (
        f"Police and prosecutors were both coded in {both:,} exonerations ({half_up(both, len(rs))}% of all; "
        f"{half_up(both_in_om, len(om))}% of the {len(om):,} with official misconduct)."
    ) in text
    assert both_in_om < both  # 666 of the 667 (one is coded both without the factor)
    assert "more than one stage" not in text and "investigation to trial" not in text  # who, not when


@pytest.mark.parametrize("tab", ["who", "together"])
def test_misconduct_page_pre1989_caution(small_db, monkeypatch, tab):
    at = page(small_db, monkeypatch, PAGES[0], {"pre1989": "yes", "tab": tab})
    assert not at.exception
    warnings = shown_text(at, "warning")
    assert "Cases exonerated before 1989 are included" in warnings and "understate" in warnings
    # the 12 fixture cases, 111 (pre-1989) with them; police misconduct: 101 102 105 107 111
    assert metric(at, "Police misconduct") == f"5 ({half_up(5, 12)}%)"
    assert "before 1989" not in shown_text(page(small_db, monkeypatch, PAGES[0], {"tab": tab}), "warning")


def test_page_titles_are_the_deck_titles(full_db, full_registry, monkeypatch):
    """A figure the pages and the briefing pack both show has its title from one function."""
    from exonerations.findings import View, human_cost, misconduct, over_time

    v = View(full_registry, Filters())
    titles = chart_titles(page(full_db, monkeypatch, PAGES[0]))
    assert titles[:2] == [misconduct.actors_title(v), misconduct.kinds_title(v)]
    assert chart_titles(page(full_db, monkeypatch, PAGES[1]))[0] == over_time.trend_title(v)
    assert human_cost.years_lost_title(v).startswith("Exonerees lost")


def test_misconduct_page_titles_round_half_up(full_db, monkeypatch):
    """Titles in whole percents, except where that would change the meaning: Michigan's non-DNA share is
    50.3%, not "50%"."""
    rs = _post_1989(read_full_export_rows())
    mi = [r for r in rs if r["State"] == "Michigan" and r["DNA"] != "Yes"]
    share = half_up(sum(r["Official Misconduct"] == "Yes" for r in mi), len(mi))
    assert share.startswith("50.") and share != "50.0"
    at = page(full_db, monkeypatch, PAGES[0], {"state": "Michigan", "tab": "where"})
    assert not at.exception
    assert any(
        t.startswith(f"Non-DNA exonerations had a higher misconduct share than DNA exonerations: {share}%")
        for t in chart_titles(at)
    )
    pa = [r for r in rs if r["State"] == "Pennsylvania" and r["Years Lost"]]
    per_year = Counter()
    for r in pa:
        per_year[r["Date of Exon"][:4]] += Decimal(r["Years Lost"])
    most = max(per_year.values())
    assert most % 1 == Decimal("0.5")  # a half: 374.5 years reads 375
    at = page(full_db, monkeypatch, PAGES[1], {"state": "Pennsylvania"})
    assert any(
        t.endswith(f"had lost the most time: {most.quantize(Decimal(1), ROUND_HALF_UP):,} years in all")
        for t in chart_titles(at)
    )


def test_over_time_page_marks_the_partial_year(small_db, monkeypatch):
    rows = list(csv.DictReader((FIXTURES / "b_small.csv").open(encoding="utf-8-sig", newline="")))
    as_of = max(r["Posting Date"] for r in rows)
    last = max(r["Date of Exon"][:4] for r in rows)
    assert last == as_of[:4]
    at = page(small_db, monkeypatch, PAGES[1])
    tables = [t for t in page_tables(at) if "Year of exoneration" in t.columns]
    assert len(tables) == 2  # exonerations and years lost
    for t in tables:
        assert t["Year of exoneration"].iloc[-1] == f"{last} (to {as_of[5:]})"
    assert f"{last} is counted only to {as_of}" in shown_text(at, "caption")


@pytest.fixture(scope="module")
def same_share_db(tmp_path_factory):
    """45 exonerations, every one with official misconduct: 20 in 2021, 25 in 2022 (from fixture case 101)."""
    with (FIXTURES / "b_small.csv").open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        template = next(r for r in reader if r["ID"] == "101")
        fields = reader.fieldnames
    d = tmp_path_factory.mktemp("same_share")
    src = d / "same_share.csv"
    with src.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fields)
        w.writeheader()
        for i, year in enumerate([2021] * 20 + [2022] * 25):
            w.writerow(
                {
                    **template,
                    "ID": str(5000 + i),
                    "Name": f"Test Person {i:02d}",
                    "Date of Exon": f"{year}-03-01",
                    "Posting Date": "2023-01-10",
                    "Last Update Date": "2023-01-10",
                }
            )
    path = d / "same_share.duckdb"
    db.import_file(src, path)
    return path, src


def test_over_time_page_when_every_year_has_the_same_share(same_share_db, monkeypatch):
    path, src = same_share_db
    rows = list(csv.DictReader(src.open(encoding="utf-8", newline="")))
    by_year = Counter(r["Date of Exon"][:4] for r in rows)
    om_year = Counter(r["Date of Exon"][:4] for r in rows if r["Official Misconduct"] == "Yes")
    assert all(by_year[y] >= 20 and om_year[y] == by_year[y] for y in by_year)
    at = page(path, monkeypatch, PAGES[1])
    assert not at.exception
    text = shown_text(at, "caption")
    assert "The share was 100.0% in every year with at least 20 exonerations." in text
    assert "ranged from" not in text


def test_human_cost_page_colours(small_db, monkeypatch):
    """Vermillion means "with official misconduct": the misconduct comparison carries it, the
    death-sentence comparison (median and mean) does not."""
    at = page(small_db, monkeypatch, PAGES[2])
    traces = {
        t["name"]: t["marker"]["color"]
        for fig in chart_figures(at)
        for t in fig["data"]
        if t["type"] == "bar" and isinstance(t.get("marker", {}).get("color"), str)
    }
    # with official misconduct and a recorded figure: 101 102 105 107 108 109; without: 103 104 110 112
    assert traces["With official misconduct (6)"] == style.HIGHLIGHT
    assert traces["Without, or not coded (4)"] == style.MUTED
    assert {traces["Median years lost"], traces["Mean years lost"]} == {style.BASE, style.SKY}
