"""Human cost: the years exonerees lost — in total, per case, the longest cases, with and without
official misconduct — and the exonerees who had been sentenced to death.

Means and medians are per exoneration with a recorded figure, in years to one decimal (`fmt.years`).
Vermillion (`style.HIGHLIGHT`) marks the exonerations with official misconduct and nothing else."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from .. import charts, fmt, style, tables
from .core import (
    Chart,
    Headline,
    View,
    caption,
    cautions,
    denominator,
    memoized,
    past_coding,
    posted,
    small_caution,
    where,
)

TITLE = "The human cost: years lost to wrongful convictions"
LONGEST = 20
LONGEST_LINKS = {"Registry case": "case page"}  # the link text of the table's case-page column
NOT_IN_FILE = "not in this file"
NO_YEARS_LOST = (
    "This file has no years-lost column, so the years exonerees lost cannot be shown. The full registry "
    "export has one: load it on the Methodology & data page."
)
NONE_RECORDED = "None of the exonerations that match these filters has a recorded number of years lost."
DEFINITION = "Years lost: the registry's count of the years between the first conviction and release"
COMPARISON_HEADING = "With and without official misconduct"
NO_COMPARISON = "Official misconduct is not in this file, so years lost cannot be compared with and without it."
DEATH_HEADING = "Exonerees who had been sentenced to death"
NO_DEATH_COLUMN = "Death sentences are not in this file."
NO_DEATH = "None of the exonerations that match these filters had a death sentence."
BANDS_NOTE = "Bands include their lower bound (“5–9.9” is 5 years or more but under 10)."
WITH_OM, WITHOUT_OM = "With official misconduct", "Without, or not coded"
SERIES = (("median_years_lost", "Median years lost"), ("mean_years_lost", "Mean years lost"))


def _om(v: View) -> int | None:
    return v.stats()["factors"]["official_misconduct"]


def _num(x) -> float:
    return 0.0 if fmt.missing(x) else float(x)


def _tenth(x) -> float | None:
    """Years to one decimal, halves up (9.25 → 9.3), for the numbers behind a chart."""
    return None if fmt.missing(x) else float(fmt.rounded(x, 1))


def _pct(part: int, whole: int) -> float | None:
    return float(fmt.rounded(100 * Fraction(int(part), int(whole)), 1)) if whole else None


def _years_pct(part: float, whole: float) -> str:
    """The share of years lost (sums to one decimal) as a percentage, halves up on the exact quotient."""
    if not whole:
        return fmt.DASH
    return f"{fmt.rounded(100 * Fraction(str(part)) / Fraction(str(whole)), 1)}%"


# ---------------------------------------------------------------------------------------------
# Years lost in all, per case


def summary(v: View) -> pd.DataFrame | None:
    """years_lost_by_misconduct by group (all, with_misconduct, without_misconduct); None without the column."""
    return v.query("years_lost_by_misconduct").set_index("grp") if v.has("years_lost") else None


@memoized
def known(v: View) -> int:
    """Exonerations with a recorded number of years lost."""
    s = summary(v)
    return 0 if s is None else int(s.loc["all", "cases_with_years_lost"])


def _den(v: View) -> str:
    """The denominator of every years-lost figure: exonerations with a recorded figure."""
    k = known(v)
    return denominator(v, k, "exonerations" if k == v.total else "exonerations with years lost recorded")


@memoized
def headline(v: View) -> Headline:
    total, k = v.total, known(v)
    if k == 0:
        return Headline(
            sentence=f"{total:,} exonerations — as of {v.as_of}",
            cautions=(NO_YEARS_LOST if not v.has("years_lost") else NONE_RECORDED,),
            notes=cautions(past_coding(v)),
        )
    a = summary(v).loc["all"]
    mean, median = fmt.years(a["mean_years_lost"]), fmt.years(a["median_years_lost"])
    return Headline(
        sentence=(
            f"Exonerees lost {fmt.number(a['years_lost'], 0)} years to wrongful convictions — {mean} per case on "
            f"average, median {median} — as of {v.as_of}"
        ),
        context=(
            f"{posted(v)}. {DEFINITION}, recorded for {k:,} of the {total:,} exonerations"
            + (" (all of them)." if k == total else ".")
            + " Means and medians are per exoneration with a "
            "recorded figure."
        ),
        metrics=(
            ("Years lost in all", fmt.number(a["years_lost"], 1)),
            ("Mean per exoneration", f"{mean} years"),
            ("Median per exoneration", f"{median} years"),
            ("Longest", f"{fmt.years(a['max_years_lost'])} years"),
        ),
        cautions=cautions(small_caution(k)),
        notes=cautions(past_coding(v)),
    )


def years_lost_parts(v: View) -> dict | None:
    """The years lost in all, with and without official misconduct (totals, means, medians, and the
    cases with a recorded figure); None when the file has no years-lost column."""
    s = summary(v)
    if s is None:
        return None
    w, wo = s.loc["with_misconduct"], s.loc["without_misconduct"]
    return {
        "all": _num(s.loc["all", "years_lost"]),
        "with": _num(w["years_lost"]),
        "without": _num(wo["years_lost"]),
        "mean_with": _num(w["mean_years_lost"]),
        "mean_without": _num(wo["mean_years_lost"]),
        "median_with": _num(w["median_years_lost"]),
        "median_without": _num(wo["median_years_lost"]),
        "cases_with": int(w["cases_with_years_lost"]),
        "cases_without": int(wo["cases_with_years_lost"]),
    }


def years_lost_title(v: View) -> str:
    """'Exonerees lost 35,946 years in prison — 28,128 of them in cases with official misconduct'."""
    y = years_lost_parts(v)
    if y is None:
        return "Years lost in prison: not in this file"
    if not y["all"]:
        return "No years lost recorded for these cases"
    if _om(v) is None:
        return f"Exonerees lost {fmt.number(y['all'], 0)} years in prison"
    return (
        f"Exonerees lost {fmt.number(y['all'], 0)} years in prison — {fmt.number(y['with'], 0)} of them in cases "
        "with official misconduct"
    )


# ---------------------------------------------------------------------------------------------
# How many years: the distribution


@memoized
def distribution_chart(v: View) -> Chart | None:
    k = known(v)
    if not k:
        return None
    om = _om(v)
    dist = v.query("years_lost_distribution")
    ten = int(dist.loc[dist["lower"] >= 10, "cases"].sum())
    twenty_five = int(dist.loc[dist["lower"] >= 25, "cases"].sum())
    title = f"{fmt.pct_short(ten, k)} of exonerees lost 10 years or more; {twenty_five:,} lost 25 years or more"
    cap = caption(v, title, f"Exonerations by years lost, {_den(v)}")
    fig = charts.banded(
        dist,
        cap,
        part_label=WITH_OM if om is not None else "Official misconduct not in this file",
        rest_label="Without (or not coded)" if om is not None else "All exonerations",
    )
    data = pd.DataFrame(
        {
            "Years lost": dist["band"],
            "From (years)": dist["lower"],
            "Under (years)": dist["upper"],
            "Exonerations": dist["cases"],
            "Share of exonerations (%)": [_pct(n, k) for n in dist["cases"]],
        }
    )
    if om is not None:
        data[WITH_OM] = dist["misconduct_cases"]
        data["Without (or not coded)"] = dist["other_cases"]
    zero = int(dist.loc[dist["band_order"] == 1, "cases"].iloc[0])
    held = {0: "is for exonerations", 1: "holds the one exoneration"}.get(zero, f"holds the {zero:,} exonerations")
    return Chart(
        "years_lost_distribution",
        cap,
        fig,
        data,
        ("years_lost_distribution",),
        notes=(f"{BANDS_NOTE} The band “0” {held} recorded with no time between conviction and release.",),
        cautions=cautions(small_caution(k)),
    )


# ---------------------------------------------------------------------------------------------
# The longest


def _yesno(x) -> str:
    return "not coded" if pd.isna(x) else ("Yes" if bool(x) else "No")


def _year(x) -> str | None:
    return None if pd.isna(x) else str(int(x))


def longest(v: View) -> pd.DataFrame:
    return v.query("longest_years_lost", limit=LONGEST)


@memoized
def longest_heading(v: View) -> str:
    n = len(longest(v))
    return f"The {n} exonerees who lost the most years" if n > 1 else "The exoneree who lost the most years"


@memoized
def longest_table(v: View) -> pd.DataFrame:
    """The exonerees who lost the most years, as text to show (years to one decimal), with a link to
    each case's registry page where the file has case IDs."""
    top = longest(v)
    table = pd.DataFrame(
        {
            "Name": top["name"],
            "State": top["state"],
            "Years lost": [fmt.years(x) for x in top["years_lost"]],
            "Worst crime": top["worst_crime"],
            "Official misconduct": [_yesno(x) for x in top["official_misconduct"]]
            if _om(v) is not None
            else NOT_IN_FILE,
            "Convicted": [_year(x) for x in top["conviction_year"]],
            "Exonerated": [_year(x) for x in top["exoneration_year"]],
            "Registry case": tables.case_urls(top["nre_id"]),
        }
    )
    if v.is_demo or table["Registry case"].isna().all():
        table = table.drop(columns="Registry case")  # no registry page for synthetic cases or files without IDs
    return table


@memoized
def longest_note(v: View) -> str:
    top, k = longest(v), known(v)
    n = len(top)
    text = (
        f"The {n} longest of {k:,} exonerations with years lost recorded ({where(v.filters) or 'no filters'}); "
        "ties in order of name."
    )
    if _om(v) is not None:
        n_om = sum(1 for x in top["official_misconduct"] if not pd.isna(x) and bool(x))
        text += f" Official misconduct played a role in {n_om} of these {n}."
    return text


# ---------------------------------------------------------------------------------------------
# With and without official misconduct


@memoized
def comparison_message(v: View) -> str | None:
    return NO_COMPARISON if known(v) and _om(v) is None else None


def split_sentence(v: View) -> str | None:
    """'Exonerations with official misconduct account for 28,128 of the 35,945.8 years lost (78.3%); they
    are 62.4% of the exonerations with years lost recorded.'"""
    y, k = years_lost_parts(v), known(v)
    if y is None or not k or _om(v) is None:
        return None
    return (
        f"Exonerations with official misconduct account for {fmt.number(y['with'], 0)} of the "
        f"{fmt.number(y['all'], 0)} years lost ({_years_pct(y['with'], y['all'])}); they are "
        f"{fmt.pct(y['cases_with'], k)} of the exonerations with years lost recorded."
    )


def comparison_title(v: View) -> str:
    y = years_lost_parts(v)
    w, wo = summary(v).loc["with_misconduct"], summary(v).loc["without_misconduct"]
    if fmt.missing(w["median_years_lost"]) or fmt.missing(wo["median_years_lost"]):
        return "Years lost per exoneration, with and without official misconduct"
    mw, mo = fmt.rounded(y["median_with"], 1), fmt.rounded(y["median_without"], 1)
    verb = "more" if mw > mo else "less" if mw < mo else "as much"
    return (
        f"Exonerees whose cases involved official misconduct lost {verb} time: a median "
        f"{fmt.years(y['median_with'])} years, vs {fmt.years(y['median_without'])} without"
    )


@memoized
def comparison_chart(v: View) -> Chart | None:
    """Median and mean years lost with and without official misconduct: the bars split by misconduct,
    so they carry its colours (vermillion with, grey without)."""
    if not known(v) or _om(v) is None:
        return None
    s = summary(v)
    w, wo = s.loc["with_misconduct"], s.loc["without_misconduct"]
    nw, nwo = int(w["cases_with_years_lost"]), int(wo["cases_with_years_lost"])
    cap = caption(v, comparison_title(v), f"Median and mean years lost per exoneration, {_den(v)}")
    bars = pd.DataFrame(
        {
            "measure": [name for _, name in SERIES],
            "with": [_num(w[c]) if not fmt.missing(w[c]) else None for c, _ in SERIES],
            "without": [_num(wo[c]) if not fmt.missing(wo[c]) else None for c, _ in SERIES],
        }
    )
    fig = charts.grouped_bars(
        bars,
        cap,
        "measure",
        [("with", f"{WITH_OM} ({nw:,})", style.HIGHLIGHT), ("without", f"{WITHOUT_OM} ({nwo:,})", style.MUTED)],
        axis_title="Years lost per exoneration",
    )
    all_years = _num(s.loc["all", "years_lost"])
    data = pd.DataFrame(
        {
            "Group": [WITH_OM, WITHOUT_OM],
            "Exonerations": [int(w["cases"]), int(wo["cases"])],
            "With years lost recorded": [nw, nwo],
            "Years lost (total)": [w["years_lost"], wo["years_lost"]],
            "Share of all years lost (%)": [
                float(_years_pct(_num(x["years_lost"]), all_years).rstrip("%")) if all_years else None for x in (w, wo)
            ],
            "Mean years lost": [_tenth(w["mean_years_lost"]), _tenth(wo["mean_years_lost"])],
            "Median years lost": [_tenth(w["median_years_lost"]), _tenth(wo["median_years_lost"])],
            "Longest (years)": [w["max_years_lost"], wo["max_years_lost"]],
        }
    )
    small = min(nw, nwo)
    return Chart(
        "years_lost_by_misconduct",
        cap,
        fig,
        data,
        ("years_lost_by_misconduct",),
        notes=cautions(split_sentence(v)),
        cautions=cautions(small_caution(small if small > 0 else None)),
    )


# ---------------------------------------------------------------------------------------------
# Death sentences


def _death(v: View) -> pd.DataFrame:
    return v.query("death_sentence_cases").set_index("grp")


@memoized
def death_message(v: View) -> str | None:
    """Said instead of the death-sentence figures: no such column, or no death sentence here."""
    if not v.has("death_sentence"):
        return NO_DEATH_COLUMN
    return NO_DEATH if int(_death(v).loc["death_sentence", "cases"]) == 0 else None


def _death_years(v: View) -> bool:
    return v.has("years_lost") and int(_death(v).loc["death_sentence", "cases_with_years_lost"]) > 0


@memoized
def death_summary(v: View) -> Headline | None:
    """The death-sentence figures, what they count, and the caution when they rest on few cases."""
    if death_message(v):
        return None
    total, om = v.total, _om(v)
    d, o = _death(v).loc["death_sentence"], _death(v).loc["no_death_sentence"]
    n, dm, on = int(d["cases"]), int(d["misconduct_cases"]), int(o["cases"])
    yrs = _death_years(v)
    against = (
        f"; official misconduct played a role in {dm:,} of them ({fmt.pct(dm, n)}), against "
        f"{fmt.pct(int(o['misconduct_cases']), on)} of the other {on:,}"
        if om is not None and on > 0
        else ""
    )
    return Headline(
        sentence="",
        context=(
            f"{n:,} of the {total:,} exonerations had a death sentence{against}. A death sentence the file does "
            "not code counts as none, as in the sidebar filter."
        ),
        metrics=(
            ("Sentenced to death", fmt.count_share(n, total)),
            ("Of them with official misconduct", NOT_IN_FILE if om is None else fmt.count_share(dm, n)),
            ("Their years lost", fmt.number(d["years_lost"], 1) if yrs else NOT_IN_FILE),
            ("Median per exoneree", f"{fmt.years(d['median_years_lost'])} years" if yrs else NOT_IN_FILE),
        ),
        cautions=cautions(small_caution(n, "These figures")),
    )


@memoized
def death_chart(v: View) -> Chart | None:
    """Median and mean years lost with and without a death sentence (neutral colours: the bars do not
    split by misconduct)."""
    if death_message(v) or not _death_years(v):
        return None
    d, o = _death(v).loc["death_sentence"], _death(v).loc["no_death_sentence"]
    nd, no = int(d["cases_with_years_lost"]), int(o["cases_with_years_lost"])
    if not no:
        return None
    groups = [f"Sentenced to death ({nd:,})", f"Not sentenced to death ({no:,})"]
    bars = pd.DataFrame({"group": groups, **{c: [d[c], o[c]] for c, _ in SERIES}})
    title = (
        f"Exonerees sentenced to death lost a median {fmt.years(d['median_years_lost'])} years, "
        f"vs {fmt.years(o['median_years_lost'])} for the others"
    )
    cap = caption(v, title, f"Median and mean years lost per exoneration, {_den(v)}")
    fig = charts.grouped_bars(
        bars,
        cap,
        "group",
        [(SERIES[0][0], SERIES[0][1], style.BASE), (SERIES[1][0], SERIES[1][1], style.SKY)],
        axis_title="Years lost per exoneration",
    )
    data = pd.DataFrame(
        {
            "Group": ["Sentenced to death", "Not sentenced to death"],
            "Exonerations": [int(d["cases"]), int(o["cases"])],
            "With official misconduct": [int(d["misconduct_cases"]), int(o["misconduct_cases"])],
            "Share with official misconduct (%)": [
                _pct(d["misconduct_cases"], d["cases"]),
                _pct(o["misconduct_cases"], o["cases"]),
            ],
            "With years lost recorded": [nd, no],
            "Years lost (total)": [d["years_lost"], o["years_lost"]],
            "Mean years lost": [_tenth(d["mean_years_lost"]), _tenth(o["mean_years_lost"])],
            "Median years lost": [_tenth(d["median_years_lost"]), _tenth(o["median_years_lost"])],
        }
    )
    if _om(v) is None:
        data = data.drop(columns=["With official misconduct", "Share with official misconduct (%)"])
    return Chart(
        "death_sentence_years_lost", cap, fig, data, ("death_sentence_cases",), cautions=cautions(small_caution(nd))
    )
