"""The findings of the Misconduct, Over time and Human cost pages (and of the briefing pack, which calls the
same functions), without Streamlit: exact rows and sentences on the hand-made fixture (counted by hand from
tests/fixtures/b_small.csv), and on the real export against counts made with the csv module."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from conftest import read_full_export_rows

from exonerations import style
from exonerations.filters import Filters
from exonerations.findings import View, human_cost, misconduct, over_time

OF, PR = "OF - OM by Police Officer", "PR: Prosecutor Misconduct"
CODE_COLUMNS = (
    OF,
    PR,
    "FA - OM by Forensic Analyst",
    "CW - OM by Child Welfare Worker",
    "WH - Exculpatory withheld",
    "NW - OM not withholding",
    "KP - Prosecutor permitted perjury",
    "Witness Tampering by OA?",
    "INT - Misconduct in Interrogation",
    "PJ - Perjury by OA",
    "PL - Prosecutor Lied in Court",
)
KIND_COLUMNS = {
    "withheld_evidence": "WH - Exculpatory withheld",
    "not_withholding": "NW - OM not withholding",
    "prosecutor_permitted_perjury": "KP - Prosecutor permitted perjury",
    "witness_tampering": "Witness Tampering by OA?",
    "interrogation": "INT - Misconduct in Interrogation",
    "perjury_by_official": "PJ - Perjury by OA",
    "prosecutor_lied": "PL - Prosecutor Lied in Court",
}


def half_up(part, whole, digits: int = 1) -> str:
    """part / whole as a percentage, halves rounded up on the exact quotient (the test's own rule)."""
    q = Decimal(1).scaleb(-digits)
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(q, ROUND_HALF_UP))


def years_half_up(x) -> str:
    return str(Decimal(str(x)).quantize(Decimal("0.1"), ROUND_HALF_UP))


@pytest.fixture
def small(small_registry) -> View:
    return View(small_registry, Filters())


@pytest.fixture
def full(full_registry) -> View:
    return View(full_registry, Filters())


def post_1989(rows, state: str | None = None):
    return [r for r in rows if r["Pre-1989"] != "Yes" and (state is None or r["State"] == state)]


def every_text(v: View) -> list[str]:
    """Every sentence the Misconduct findings give for `v`: headline, chart titles, subtitles, notes, cautions."""
    h = misconduct.headline(v)
    out = [h.sentence, h.context, *h.cautions, *h.notes, misconduct.both_sentence(v) or ""]
    charts = [
        misconduct.actors_chart(v),
        misconduct.kinds_chart(v),
        misconduct.together_chart(v),
        misconduct.cooccurrence_chart(v),
        *(misconduct.group_chart(v, d) for d in misconduct.GROUPS),
    ]
    for c in filter(None, charts):
        out += [c.title, c.subtitle, *c.notes, *c.cautions]
    return out


# ---------------------------------------------------------------------------------------------
# Misconduct: rows and titles the deck shares with the page


def test_actor_and_kind_rows_on_fixture(small):
    assert misconduct.actor_rows(small) == [
        ("police", "Police officer", 4),  # 101 102 105 107
        ("prosecutor", "Prosecutor", 4),  # 102 105 108 109
        ("forensic_analyst", "Forensic analyst", 1),  # 108
        ("child_welfare", "Child welfare worker", 1),  # 108
    ]
    assert misconduct.kind_rows(small) == [  # most frequent first, ties in the registry's order
        ("withheld_evidence", "Withheld exculpatory evidence", 5),  # 101 102 105 107 109
        ("not_withholding", "Misconduct other than withholding", 4),  # 101 105 107 108
        ("witness_tampering", "Witness tampering", 2),  # 101 105
        ("interrogation", "Misconduct in interrogation", 2),  # 101 107
        ("perjury_by_official", "Perjury by an official", 2),  # 105 107
        ("prosecutor_lied", "Prosecutor lied in court", 2),  # 102 109
        ("prosecutor_permitted_perjury", "Prosecutor permitted perjury", 1),  # 102
    ]
    # police and prosecutor tie at 4 of 11 (36.4%)
    assert misconduct.actors_title(small) == (
        "Misconduct by a police officer and by a prosecutor was coded equally often: in 4 exonerations each (36%)"
    )
    assert misconduct.kinds_title(small) == (
        "Withheld exculpatory evidence was the most common kind of misconduct: 5 exonerations (45%)"
    )  # 5 of 11 = 45.5%


def test_actor_and_kind_rows_on_full_export(full):
    rs = post_1989(read_full_export_rows())
    assert misconduct.actor_rows(full)[:2] == [
        ("police", "Police officer", sum(r[OF] == "Yes" for r in rs)),
        ("prosecutor", "Prosecutor", sum(r[PR] == "Yes" for r in rs)),
    ]
    kinds = Counter({k: sum(r[c] == "Yes" for r in rs) for k, c in KIND_COLUMNS.items()})
    got = misconduct.kind_rows(full)
    assert [n for _, _, n in got] == sorted(kinds.values(), reverse=True)
    assert {k: n for k, _, n in got} == dict(kinds)
    police = sum(r[OF] == "Yes" for r in rs)
    prosecutor = sum(r[PR] == "Yes" for r in rs)
    assert misconduct.actors_title(full) == (
        f"Misconduct by a police officer was coded most often: in {police:,} exonerations "
        f"({half_up(police, len(rs), 0)}%), against {prosecutor:,} ({half_up(prosecutor, len(rs), 0)}%) by a prosecutor"
    )


def test_both_sentence_counts_among_those_with_misconduct(small, full):
    # fixture: 102 and 105 have police and prosecutor misconduct, both with official misconduct (6 cases)
    assert misconduct.both_sentence(small) == (
        "Police and prosecutors were both coded in 2 exonerations (18.2% of all; "
        "33.3% of the 6 with official misconduct)"
    )
    rs = post_1989(read_full_export_rows())
    both = [r for r in rs if r[OF] == "Yes" and r[PR] == "Yes"]
    om = [r for r in rs if r["Official Misconduct"] == "Yes"]
    both_in_om = [r for r in both if r["Official Misconduct"] == "Yes"]
    assert len(both_in_om) < len(both)  # the full export has a case coded both without the factor (666, not 667)
    assert misconduct.both_sentence(full) == (
        f"Police and prosecutors were both coded in {len(both):,} exonerations ({half_up(len(both), len(rs))}% of all; "
        f"{half_up(len(both_in_om), len(om))}% of the {len(om):,} with official misconduct)"
    )


def test_shares_of_those_with_misconduct_count_only_those(full):
    """The actors' and kinds' numbers beside the chart: a share "of those with official misconduct" has
    its numerator among those cases."""
    rs = post_1989(read_full_export_rows())
    om = [r for r in rs if r["Official Misconduct"] == "Yes"]
    for chart, columns in (
        (misconduct.actors_chart(full), {"Police officer": OF, "Prosecutor": PR}),
        (misconduct.kinds_chart(full), {"Withheld exculpatory evidence": KIND_COLUMNS["withheld_evidence"]}),
    ):
        data = chart.data.set_index(chart.data.columns[0])
        for label, column in columns.items():
            inside = sum(r[column] == "Yes" for r in om)
            assert data.loc[label, "Of them with official misconduct"] == inside
            assert data.loc[label, "Share of those with official misconduct (%)"] == float(half_up(inside, len(om)))
            assert data.loc[label, "Exonerations"] == sum(r[column] == "Yes" for r in rs) >= inside


def test_headline_names_all_exonerations_as_the_denominator(full):
    rs = post_1989(read_full_export_rows())
    police = sum(r[OF] == "Yes" for r in rs)
    text = misconduct.detail_sentence(full)
    assert text.startswith(
        f"Police misconduct is coded in {police:,} of the {len(rs):,} exonerations ({half_up(police, len(rs))}%)"
    )
    assert "of them" not in text


def test_no_claim_about_the_stage_of_the_case(small, full):
    for v in (small, full):
        for text in every_text(v):
            assert "more than one stage" not in text and "investigation to trial" not in text, text


def test_pre1989_caution_where_actor_and_kind_shares_are_shown(full_registry):
    rows = read_full_export_rows()
    pre = [r for r in rows if r["Pre-1989"] == "Yes"]
    assert pre and not any(r[c] == "Yes" for r in pre for c in CODE_COLUMNS)  # the premise of the caution
    v = View(full_registry, Filters(include_pre_1989=True))
    caution = misconduct.pre1989_caution(v)
    assert caution and "understate" in caution
    for shown in (
        misconduct.headline(v),
        misconduct.actors_chart(v),
        misconduct.kinds_chart(v),
        misconduct.together_chart(v),
    ):
        assert caution in shown.cautions
    # the share it warns about: police misconduct over every exoneration, pre-1989 ones included
    police = sum(r[OF] == "Yes" for r in rows)
    assert dict(misconduct.headline(v).metrics)["Police misconduct"] == f"{police:,} ({half_up(police, len(rows))}%)"
    default = View(full_registry, Filters())
    assert not any("before 1989" in c for c in misconduct.headline(default).cautions)
    assert not misconduct.actors_chart(default).cautions


def test_titles_round_half_up_and_keep_their_meaning(full_registry):
    """Titles use whole percents except where that would change the meaning (50.3% is not "50%"), halves up."""
    rows = read_full_export_rows()
    mi = post_1989(rows, "Michigan")
    non_dna = [r for r in mi if r["DNA"] != "Yes"]
    share = half_up(sum(r["Official Misconduct"] == "Yes" for r in non_dna), len(non_dna))
    assert share.startswith("50.") and share != "50.0"
    title = misconduct.group_chart(View(full_registry, Filters(states=("Michigan",))), "dna").title
    assert title.startswith(f"Non-DNA exonerations had a higher misconduct share than DNA exonerations: {share}% vs ")
    oh = post_1989(rows, "Ohio")
    withheld = sum(r[KIND_COLUMNS["withheld_evidence"]] == "Yes" for r in oh)
    assert misconduct.kinds_title(View(full_registry, Filters(states=("Ohio",)))) == (
        f"Withheld exculpatory evidence was the most common kind of misconduct: {withheld:,} exonerations "
        f"({half_up(withheld, len(oh))}%)"
    )
    # Virginia's peak year: 5 of 8 with misconduct is 62.5%, which reads 63% (halves up), not 62%
    va = post_1989(rows, "Virginia")
    per_year = Counter(int(r["Date of Exon"][:4]) for r in va)
    ((year, top),) = [(y, n) for y, n in per_year.items() if n == max(per_year.values())]
    om = sum(r["Official Misconduct"] == "Yes" for r in va if r["Date of Exon"].startswith(str(year)))
    assert over_time.peak_title(View(full_registry, Filters(states=("Virginia",)))) == (
        f"Exonerations peaked at {top} in {year}, when official misconduct played a role in {half_up(om, top, 0)}% of them"
    )


# ---------------------------------------------------------------------------------------------
# Over time


def test_trend_on_fixture(small):
    # Exonerated 1990 (110), 1999 (105), 2011 (101), 2014 (102), 2016 (104), 2018 (109), 2019 (103),
    # 2024 (106), 2025 (107, OM), 2026 (108 OM, 112); the data end on 2026-06-25, so 2025 is the last complete year.
    assert over_time.trend_periods(small) == ((1990, 1994, 1, 0), (2021, 2025, 2, 1))
    # too few cases to compare: the title is the peak, the partial year marked
    assert over_time.trend_title(small) == (
        "Exonerations peaked at 2 in 2026 (to 06-25), when official misconduct played a role in 50% of them"
    )
    assert over_time.trend_sentence(small).startswith(
        "With official misconduct: 0 of 1 exonerations in the first five years (1990–1994, 0.0%), 1 of 2 in the last "
        "five complete years (2021–2025, 50.0%)."
    )


def test_trend_on_full_export(full):
    rs = post_1989(read_full_export_rows())
    years = Counter(int(r["Date of Exon"][:4]) for r in rs)
    om = Counter(int(r["Date of Exon"][:4]) for r in rs if r["Official Misconduct"] == "Yes")
    last = dt.date.fromisoformat(max(r["Posting Date"] for r in rs)).year - 1  # the as-of year is not complete
    first = min(years)

    def period(a, z):
        return a, z, sum(years[y] for y in range(a, z + 1)), sum(om[y] for y in range(a, z + 1))

    (a1, z1, n1, m1), (a2, z2, n2, m2) = want = (period(first, first + 4), period(last - 4, last))
    assert over_time.trend_periods(full) == want
    assert over_time.trend_title(full) == (
        f"Official misconduct played a role in {half_up(m2, n2, 0)}% of exonerations "
        f"in {a2}–{z2}, against {half_up(m1, n1, 0)}% in {a1}–{z1}"
    )
    assert over_time.trend_sentence(full) == (
        f"With official misconduct: {m1:,} of {n1:,} exonerations in the first five years ({a1}–{z1}, "
        f"{half_up(m1, n1)}%), {m2:,} of {n2:,} in the last five complete years ({a2}–{z2}, {half_up(m2, n2)}%)."
    )


def _stub(registry, years: list[tuple[int, int, int]]) -> View:
    """A view whose exonerations by year are `years` (year, cases, with misconduct), the rest from `registry`."""
    frame = pd.DataFrame(
        {
            "exoneration_year": [y for y, _, _ in years],
            "last_year": [y for y, _, _ in years],
            "cases": [n for _, n, _ in years],
            "misconduct_cases": [m for _, _, m in years],
            "share": [m / n if n else None for _, n, m in years],
        }
    )

    def query(name, params):
        return frame.copy() if name == "exonerations_by_year" else registry.query(name, params)

    return View(registry, Filters(), query)


def test_range_sentence_when_every_year_has_the_same_share(small_registry):
    n = style.SMALL_DENOMINATOR
    tie = _stub(small_registry, [(2021, n, n), (2022, n + 5, n + 5), (2023, 3, 1)])
    text = over_time.range_sentence(tie, 1)
    assert text.endswith(f"The share was 100.0% in every year with at least {n} exonerations.")
    assert "ranged" not in text
    # the lowest and the highest are different years; shares that read alike at one decimal get two
    alike = _stub(small_registry, [(2023, 1000, 600), (2024, 1001, 601)])  # 60.0% and 60.04%
    assert over_time.range_sentence(alike, 1).endswith("the share ranged from 60.00% in 2023 to 60.04% in 2024.")
    distinct = _stub(small_registry, [(2020, n, n), (2021, 25, 20), (2022, 40, 32)])
    assert over_time.range_sentence(distinct, 1).endswith("the share ranged from 80.0% in 2022 to 100.0% in 2020.")


def test_partial_year_is_marked(small):
    # the fixture's newest posting date is 2026-06-25 and its latest exonerations are of 2026 (108, 112)
    chart = over_time.by_year_chart(small, 1)
    assert chart.data["Year of exoneration"].iloc[-1] == "2026 (to 06-25)"
    assert chart.data["Year of exoneration"].iloc[-2] == "2025"
    assert any("2026 is counted only to 2026-06-25" in n and "partial" in n for n in chart.notes)
    five = over_time.by_year_chart(small, 5)
    assert five.data["Period of exoneration"].iloc[-1] == "2024–2026 (2026 to 06-25)"
    assert any(
        n.startswith("The last period, 2024–2026, spans 3 years, not 5. 2026 is counted only to 2026-06-25")
        and n.endswith("marked “2024–2026 (2026 to 06-25)” in the table.")
        for n in five.notes
    )
    lost = over_time.years_lost_chart(small, 1)
    assert lost.data["Year of exoneration"].iloc[-1] == "2026 (to 06-25)"
    assert any("partial" in n for n in lost.notes)
    # a past date inside an earlier year: that year is the partial one; a year range ending earlier: none
    past = small.with_filters(Filters(as_of=dt.date(2019, 6, 1)))
    assert over_time.by_year_chart(past, 1).data["Year of exoneration"].iloc[-1] == "2018"  # 103 posted 2020
    earlier = small.with_filters(Filters(year_to=2020))
    assert over_time.partial_note(earlier) is None


def test_years_lost_by_year_medians_round_half_up(small):
    data = over_time.years_lost_chart(small, 1).data.set_index("Year of exoneration")
    # 2026: 108 (8) and 112 (1.5): median 4.75 → 4.8
    assert data.loc["2026 (to 06-25)", "Median years lost"] == float(years_half_up(statistics.median([8, 1.5])))


# ---------------------------------------------------------------------------------------------
# Human cost


def test_years_lost_parts_and_title(small, full):
    # with official misconduct: 101 102 105 107 108 109 (12.5 6 14.2 30.1 8 2.5); without: 103 104 110 112
    parts = human_cost.years_lost_parts(small)
    assert parts["all"] == pytest.approx(76.3) and parts["with"] == pytest.approx(73.3)
    assert parts["without"] == pytest.approx(3.0)
    assert (parts["cases_with"], parts["cases_without"]) == (6, 4)
    assert parts["mean_with"] == pytest.approx(73.3 / 6) and parts["mean_without"] == pytest.approx(0.75)
    assert (
        human_cost.years_lost_title(small)
        == "Exonerees lost 76 years in prison — 73 of them in cases with official misconduct"
    )
    rs = post_1989(read_full_export_rows())
    every = sum(Decimal(r["Years Lost"]) for r in rs if r["Years Lost"])
    with_om = sum(Decimal(r["Years Lost"]) for r in rs if r["Years Lost"] and r["Official Misconduct"] == "Yes")
    assert human_cost.years_lost_title(full) == (
        f"Exonerees lost {every.quantize(Decimal(1), ROUND_HALF_UP):,} years in prison — "
        f"{with_om.quantize(Decimal(1), ROUND_HALF_UP):,} of them in cases with official misconduct"
    )


def test_medians_and_means_round_half_up(small):
    with_om, without = [12.5, 6, 14.2, 30.1, 8, 2.5], [0, 0.4, 1.1, 1.5]
    assert human_cost.comparison_title(small) == (
        "Exonerees whose cases involved official misconduct lost more time: a median "
        f"{years_half_up(statistics.median(with_om))} years, vs {years_half_up(statistics.median(without))} without"
    )
    assert years_half_up(statistics.median(with_om)) == "10.3"  # 10.25, never 10.2
    h = dict(human_cost.headline(small).metrics)
    assert h["Median per exoneration"] == f"{years_half_up(statistics.median(with_om + without))} years" == "4.3 years"
    data = human_cost.comparison_chart(small).data.set_index("Group")
    assert data.loc["Without, or not coded", "Median years lost"] == float(years_half_up(statistics.median(without)))


def test_colours_say_misconduct_only_where_the_bars_split_by_it(small, full):
    for v in (small, full):
        comparison = human_cost.comparison_chart(v).figure
        assert [t.marker.color for t in comparison.data] == [style.HIGHLIGHT, style.MUTED]
        assert comparison.data[0].name.startswith("With official misconduct")
        death = human_cost.death_chart(v).figure
        assert [t.name for t in death.data] == ["Median years lost", "Mean years lost"]
        assert style.HIGHLIGHT not in [t.marker.color for t in death.data]


def test_by_year_table_leaves_out_empty_years(small):
    # the fixture's 11 post-1989 cases fall in 10 of the 37 years 1990–2026
    chart = over_time.by_year_chart(small, 1)
    assert len(chart.data) == 37 and len(chart.shown) == 10
    assert chart.shown["Exonerations"].sum() == chart.data["Exonerations"].sum() == 11
    assert "The table leaves out the 27 years without exonerations; the CSV has every year." in chart.notes
    lost = over_time.years_lost_chart(small, 1)
    assert len(lost.shown) == 10 and len(lost.data) == 37
