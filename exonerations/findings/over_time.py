"""Over time: exonerations per year of exoneration (or per five-year period) with the share involving
official misconduct, the first five years against the last five complete ones, and the years
exonerees lost per year of exoneration. The as-of date's year, when shown, is marked as partial."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from .. import charts, fmt, style
from .core import Chart, Headline, View, caption, cautions, denominator, memoized, past_coding, posted, small_caution

TITLE = "Exonerations and official misconduct over time"
SINGLE, FIVE = "Single years", "5-year periods"
PERIOD_LABEL = "Count by"
PERIOD_HELP = "Five-year periods (1989–1993, 1994–1998, …) give steadier shares when single years have few cases."
NO_YEAR = "The year of exoneration is not in this file, so figures by year cannot be shown."
NO_YEARS = "None of the exonerations that match these filters has a year of exoneration in this file."
NO_YEARS_LOST = "This file has no years-lost column, so the years exonerees lost cannot be shown."
NONE_RECORDED = "None of the exonerations that match these filters has a recorded number of years lost."
NO_SHARE = "Official misconduct is not in this file, so the share by year cannot be shown."
FILLED_IN = (
    "The latest years are still being filled in: the registry adds cases months or years after the "
    "exoneration, so a lower bar for a recent year does not mean fewer exonerations."
)
YEARS_LOST_NOTE = (
    "Years lost: the registry's count of the years between the first conviction and release. The total "
    "for a {unit} grows with the number of exonerations in it; the median shows the typical case."
)


def _unit(period: int) -> str:
    return "year" if period == 1 else "period"


def _om(v: View) -> int | None:
    return v.stats()["factors"]["official_misconduct"]


def _pct_col(parts, wholes) -> list[float | None]:
    """Shares as percentages rounded to one decimal (halves up); None where there is no case."""
    return [
        float(fmt.rounded(100 * Fraction(int(p), int(w)), 1)) if w else None for p, w in zip(parts, wholes, strict=True)
    ]


def _tenths(values) -> list[float | None]:
    """Years (medians, means) to one decimal, halves up as everywhere (9.25 → 9.3)."""
    return [None if fmt.missing(x) else float(fmt.rounded(x, 1)) for x in values]


# ---------------------------------------------------------------------------------------------
# Years and periods, the partial year


def partial_year(v: View, last_year: int | None) -> int | None:
    """The last year shown when the as-of date falls inside it (its cases are counted only to that date)."""
    d = v.as_of_date
    if d is None or last_year is None or last_year != d.year or (d.month, d.day) == (12, 31):
        return None
    return last_year


def _labels(v: View, df: pd.DataFrame, period: int) -> tuple[list[str], list[str]]:
    """Each row's year or period ('1989–1993'), plain (the chart's axis) and with the partial year
    marked ('2026 (to 06-25)', '2024–2026 (2026 to 06-25)') for the numbers behind the charts."""
    if df.empty:
        return [], []
    part = partial_year(v, int(df["last_year"].max()))
    plain, marked = [], []
    for a, b in zip(df["exoneration_year"].astype(int), df["last_year"].astype(int), strict=True):
        text = f"{a}" if period == 1 or a == b else f"{a}–{b}"
        plain.append(text)
        if part is not None and b == part:
            d = v.as_of_date
            text += f" (to {d:%m-%d})" if period == 1 or a == b else f" ({part} to {d:%m-%d})"
        marked.append(text)
    return plain, marked


def years(v: View, period: int = 1) -> pd.DataFrame:
    """exonerations_by_year with `period` (the plain label) and `label` (the partial year marked)."""
    df = v.query("exonerations_by_year", period=period)
    plain, marked = _labels(v, df, period)
    return df.assign(period=plain, label=marked)


def partial_note(v: View, period: int = 1) -> str | None:
    """Which year is counted only to the as-of date, and (for periods) that the last period is shorter."""
    df = years(v, period)
    if df.empty:
        return None
    last = df.iloc[-1]
    first_year, last_year = int(last["exoneration_year"]), int(last["last_year"])
    span = last_year - first_year + 1
    short = (
        f"The last period, {last['period']}, spans {fmt.plural(span, 'year')}, not {period}. "
        if period > 1 and span < period
        else ""
    )
    year = partial_year(v, last_year)
    if year is None:
        return short.strip() or None
    return (
        f"{short}{year} is counted only to {v.as_of}, the date of these data: its figures are partial, marked "
        f"“{last['label']}” in the table."
    )


@memoized
def unavailable(v: View) -> str | None:
    """The sentence shown instead of the page's figures: no year of exoneration in the file or the cases."""
    if not v.has("exoneration_year"):
        return NO_YEAR
    return NO_YEARS if v.query("exonerations_by_year", period=1).empty else None


@memoized
def headline(v: View) -> Headline:
    single = v.query("exonerations_by_year", period=1)
    total, n = v.total, int(single["cases"].sum())
    first, last = int(single["exoneration_year"].min()), int(single["exoneration_year"].max())
    when = f"from {first} to {last}" if first != last else f"in {first}"
    left_out = (
        f" {total - n:,} of the {total:,} matching exonerations have no year of exoneration and are left out."
        if total > n
        else ""
    )
    return Headline(
        sentence=f"{n:,} exonerations {when} — as of {v.as_of}",
        context=f"{posted(v)}, counted by the year of exoneration. {FILLED_IN}{left_out}",
        cautions=cautions(small_caution(n)),
        notes=cautions(past_coding(v)),
    )


# ---------------------------------------------------------------------------------------------
# The first five years against the last five complete years


def trend_periods(v: View) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int]] | None:
    """((first year, last year, cases, misconduct cases) of the first five years, and the same for the
    last five complete years), or None with fewer than ten complete years. The as-of date's year is
    not complete (unless the date is 31 December)."""
    y = v.query("exonerations_by_year", period=1)
    if y.empty:
        return None
    first_year, last_year = int(y["exoneration_year"].min()), int(y["exoneration_year"].max())
    d = v.as_of_date
    if d is not None and (last_year > d.year or partial_year(v, last_year)):
        last_year = d.year - 1
    if last_year - first_year + 1 < 10:
        return None

    def period(a: int, z: int) -> tuple[int, int, int, int]:
        sel = y[(y["exoneration_year"] >= a) & (y["exoneration_year"] <= z)]
        return a, z, int(sel["cases"].sum()), int(sel["misconduct_cases"].sum())

    return period(first_year, first_year + 4), period(last_year - 4, last_year)


def peak_title(v: View, period: int = 1) -> str:
    """'Exonerations peaked at 181 in 2023, when official misconduct played a role in 61% of them'."""
    df = years(v, period)
    top = int(df["cases"].max())
    peaks = df[df["cases"] == top]
    if len(peaks) > 1:
        per = "a year" if period == 1 else "in a five-year period"
        return f"Exonerations peaked at {top:,} {per} ({fmt.join_and(peaks['label'])})"
    p = peaks.iloc[0]
    title = f"Exonerations peaked at {top:,} in {p['label']}"
    if _om(v) is None:
        return title
    return (
        f"{title}, when official misconduct played a role in {fmt.pct_short(int(p['misconduct_cases']), top)} of them"
    )


def trend_title(v: View, period: int = 1) -> str:
    """The finding of the chart of exonerations by year (the page's and the deck's): the share with
    official misconduct in the last five complete years against the first five; when that cannot be
    compared (fewer than ten years, or a period resting on few cases), the peak."""
    p = trend_periods(v)
    if p is None or _om(v) is None or min(p[0][2], p[1][2]) < style.SMALL_DENOMINATOR:
        return peak_title(v, period)
    (a1, z1, n1, m1), (a2, z2, n2, m2) = p
    return (
        f"Official misconduct played a role in {fmt.pct_short(m2, n2)} of exonerations in {a2}–{z2}, "
        f"against {fmt.pct_short(m1, n1)} in {a1}–{z1}"
    )


def trend_sentence(v: View) -> str:
    """The counts behind `trend_title`: the first five years and the last five complete years."""
    p = trend_periods(v)
    if p is None:
        return (
            "These exonerations span fewer than ten complete years, so the first five years are not compared "
            "with the last five."
        )
    (a1, z1, n1, m1), (a2, z2, n2, m2) = p
    if _om(v) is None:
        return (
            f"Exonerations: {n1:,} in the first five years ({a1}–{z1}), {n2:,} in the last five complete years "
            f"({a2}–{z2})."
        )
    few = (
        f" One of these periods rests on fewer than {style.SMALL_DENOMINATOR} exonerations: compare them with care."
        if min(n1, n2) < style.SMALL_DENOMINATOR
        else ""
    )
    return (
        f"With official misconduct: {m1:,} of {n1:,} exonerations in the first five years ({a1}–{z1}, "
        f"{fmt.pct(m1, n1)}), {m2:,} of {n2:,} in the last five complete years ({a2}–{z2}, "
        f"{fmt.pct(m2, n2)}).{few}"
    )


# ---------------------------------------------------------------------------------------------
# Exonerations and the misconduct share, by year or period


def _share_words(parts: list[tuple[int, int]]) -> list[str]:
    """Shares that tell apart the ones that differ: one decimal, two where one is not enough."""
    one = [fmt.pct(m, n) for m, n in parts]
    if len(set(one)) == len({Fraction(m, n) for m, n in parts}):
        return one
    return [fmt.pct(m, n, 2) for m, n in parts]


def range_sentence(v: View, period: int = 1) -> str | None:
    """All years together, then the lowest and the highest share among years (periods) with enough
    cases — or the one share they all have."""
    om = _om(v)
    if om is None:
        return None
    df = years(v, period)
    n, n_om, unit = int(df["cases"].sum()), int(df["misconduct_cases"].sum()), _unit(period)
    big = df[df["cases"] >= style.SMALL_DENOMINATOR]
    if len(big) < 2:
        return None
    shares = [Fraction(int(m), int(c)) for m, c in zip(big["misconduct_cases"], big["cases"], strict=True)]
    order = sorted(range(len(big)), key=lambda i: (shares[i], -int(big.iloc[i]["exoneration_year"])))
    lo, hi = big.iloc[order[0]], big.iloc[order[-1]]
    head = (
        f"Across all these {unit}s, official misconduct played a role in {n_om:,} of {n:,} exonerations "
        f"({fmt.pct(n_om, n)})."
    )
    if shares[order[0]] == shares[order[-1]]:
        return (
            f"{head} The share was {fmt.pct(int(lo['misconduct_cases']), int(lo['cases']))} in every {unit} with "
            f"at least {style.SMALL_DENOMINATOR} exonerations."
        )
    lo_s, hi_s = _share_words(
        [(int(lo["misconduct_cases"]), int(lo["cases"])), (int(hi["misconduct_cases"]), int(hi["cases"]))]
    )
    return (
        f"{head} Among {unit}s with at least {style.SMALL_DENOMINATOR} exonerations the share ranged from "
        f"{lo_s} in {lo['label']} to {hi_s} in {hi['label']}."
    )


def few_note(v: View, period: int = 1) -> str | None:
    """Which years (periods) rest on few cases, and the hint to count by periods when most do."""
    df, unit = years(v, period), _unit(period)
    few = df[(df["cases"] > 0) & (df["cases"] < style.SMALL_DENOMINATOR)]
    if _om(v) is None or few.empty:
        return None
    names = list(few["label"])
    text = (
        f"{fmt.plural(len(few), unit)} rest{'s' if len(few) == 1 else ''} on fewer than "
        f"{style.SMALL_DENOMINATOR} exonerations ({', '.join(names[:12])}{'…' if len(names) > 12 else ''}), "
        f"drawn as hollow grey points: a share in such a {unit} can swing widely with a single case."
    )
    if period == 1 and len(few) > int((df["cases"] > 0).sum()) / 2:
        text += f" Most years here have so few: count by {FIVE.lower()} for steadier shares."
    return text


def _by_year_data(df: pd.DataFrame, period: int, with_om: bool) -> pd.DataFrame:
    data = pd.DataFrame({"Year of exoneration" if period == 1 else "Period of exoneration": df["label"]})
    if period > 1:
        data["First year"], data["Last year"] = df["exoneration_year"], df["last_year"]
    data["Exonerations"] = df["cases"]
    if with_om:
        data["With official misconduct"] = df["misconduct_cases"]
        data["Share with official misconduct (%)"] = _pct_col(df["misconduct_cases"], df["cases"])
    return data


@memoized
def by_year_chart(v: View, period: int = 1) -> Chart | None:
    """Exonerations per year (or period) of exoneration and, where the file codes it, the share with
    official misconduct."""
    df = years(v, period)
    if df.empty:
        return None
    n, n_om, om, unit = int(df["cases"].sum()), int(df["misconduct_cases"].sum()), _om(v), _unit(period)
    x = "exoneration_year" if period == 1 else "period"  # a numeric axis for single years
    per = "year" if period == 1 else "five-year period"
    if om is not None:
        cap = caption(
            v,
            trend_title(v, period),
            f"Per {per} of exoneration, {denominator(v, n)}; lower panel: share with official misconduct",
        )
        fig = charts.by_year(df, cap, overall=n_om / n if n else None, year=x)
    else:
        cap = caption(v, trend_title(v, period), f"Per {per} of exoneration, {denominator(v, n)}")
        fig = charts.grouped_bars(
            df, cap, "period", [("cases", "Exonerations", style.BASE)], digits=0, axis_title="Exonerations"
        )
    data = _by_year_data(df, period, om is not None)
    table, empty_note = _without_empty(data, df["cases"], unit)
    return Chart(
        f"exonerations_by_{unit}",
        cap,
        fig,
        data,
        ("exonerations_by_year",),
        notes=cautions(
            trend_sentence(v) if om is not None and trend_periods(v) else None,
            range_sentence(v, period),
            few_note(v, period),
            partial_note(v, period),
            empty_note,
        ),
        cautions=cautions(NO_SHARE if om is None else None, small_caution(n)),
        table=table,
    )


def _without_empty(data: pd.DataFrame, cases: pd.Series, unit: str) -> tuple[pd.DataFrame | None, str | None]:
    """The Table view without the years (periods) that have no exoneration, when there are such (the
    CSV keeps every one)."""
    empty = int((cases == 0).sum())
    if not empty:
        return None, None
    note = f"The table leaves out the {fmt.plural(empty, unit)} without exonerations; the CSV has every {unit}."
    return data[(cases > 0).to_numpy()].reset_index(drop=True), note


# ---------------------------------------------------------------------------------------------
# Years lost, by year or period


def years_lost_heading(period: int = 1) -> str:
    return f"Years lost, by {_unit(period)} of exoneration"


def _lost(v: View, period: int) -> pd.DataFrame:
    df = v.query("years_lost_by_year", period=period)
    plain, marked = _labels(v, df, period)
    return df.assign(period=plain, label=marked)


@memoized
def years_lost_message(v: View, period: int = 1) -> str | None:
    """Said instead of the years-lost chart: no such column, or no recorded figure."""
    if not v.has("years_lost"):
        return NO_YEARS_LOST
    return NONE_RECORDED if int(_lost(v, period)["cases_with_years_lost"].sum()) == 0 else None


@memoized
def years_lost_chart(v: View, period: int = 1) -> Chart | None:
    if years_lost_message(v, period):
        return None
    lost, unit = _lost(v, period), _unit(period)
    known = int(lost["cases_with_years_lost"].sum())
    n = int(lost["cases"].sum())
    most = lost["years_lost"].max()
    when = fmt.join_and(lost.loc[lost["years_lost"] == most, "label"])
    noun = "exonerations" if known == n else "exonerations with years lost"
    cap = caption(
        v,
        f"Exonerees cleared in {when} had lost the most time: {fmt.number(most, 0)} years in all",
        f"Per {'year' if period == 1 else 'five-year period'} of exoneration, {denominator(v, known, noun)}; "
        "lower panel: median per case",
    )
    x = "exoneration_year" if period == 1 else "period"
    fig = charts.years_lost_by_year(lost, cap, year=x)
    data = pd.DataFrame({"Year of exoneration" if period == 1 else "Period of exoneration": lost["label"]})
    if period > 1:
        data["First year"], data["Last year"] = lost["exoneration_year"], lost["last_year"]
    data["Exonerations"] = lost["cases"]
    data["With years lost recorded"] = lost["cases_with_years_lost"]
    data["Years lost (total)"] = lost["years_lost"]
    data["Median years lost"] = _tenths(lost["median_years_lost"])
    data["Mean years lost"] = _tenths(lost["mean_years_lost"])
    table, empty_note = _without_empty(data, lost["cases"], unit)
    return Chart(
        f"years_lost_by_{unit}",
        cap,
        fig,
        data,
        ("years_lost_by_year",),
        notes=cautions(YEARS_LOST_NOTE.format(unit=unit), partial_note(v, period), empty_note),
        cautions=cautions(small_caution(known)),
        table=table,
    )
