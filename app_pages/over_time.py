"""Over time: exonerations per year of exoneration (or per 5-year period) with the share involving
official misconduct, and the years exonerees lost, per year of exoneration."""

import streamlit as st

from exonerations import charts, glossary, style, ui
from exonerations.stats import pct

SINGLE, FIVE = "Single years", "5-year periods"

ctx = ui.context()
s = ctx.stats()
total = s["total"]
om = s["factors"]["official_misconduct"]

st.title("Exonerations and official misconduct over time")
if total == 0:
    st.info("No cases match these filters. Widen them in the sidebar, or press *Reset filters*.")
    st.stop()
if not ctx.meta.has("exoneration_year"):
    st.info("The year of exoneration is not in this file, so figures by year cannot be shown.")
    st.stop()

single = ctx.query("exonerations_by_year", period=1)
if single.empty:
    st.info("None of the exonerations that match these filters has a year of exoneration in this file.")
    st.stop()

n = int(single["cases"].sum())
n_om = int(single["misconduct_cases"].sum())
first, last = int(single["exoneration_year"].min()), int(single["exoneration_year"].max())
few_years = single[(single["cases"] > 0) & (single["cases"] < style.SMALL_DENOMINATOR)]
where = ctx.filters.describe()

st.markdown(f"### {n:,} exonerations from {first} to {last} — as of {ctx.as_of}" if first != last
            else f"### {n:,} exonerations in {first} — as of {ctx.as_of}")
st.caption(
    (f"Synthetic demo cases posted by {ctx.as_of}" if ctx.meta.is_demo
     else f"Exonerations posted to the {glossary.SOURCE} by {ctx.as_of}") + (f"; {where}" if where else "; 1989 to the present")
    + ", counted by the year of exoneration. The latest years are still being filled in: the registry adds cases "
    "months or years after the exoneration, so a lower bar for a recent year does not mean fewer exonerations."
    + (f" {total - n:,} of the {total:,} matching exonerations have no year of exoneration and are left out."
       if total > n else "")
)

if "over_time_period" not in st.session_state:  # a shared link carries the choice (?period=5)
    st.session_state["over_time_period"] = FIVE if st.query_params.get("period") == "5" else SINGLE
grouping = st.segmented_control(
    "Count by", [SINGLE, FIVE], key="over_time_period",
    help="Five-year periods (1989–1993, 1994–1998, …) give steadier shares when single years have few cases.",
) or SINGLE
period = 5 if grouping == FIVE else 1
if period == 5:
    st.query_params["period"] = "5"
else:
    st.query_params.pop("period", None)
unit = "period" if period > 1 else "year"
years = single if period == 1 else ctx.query("exonerations_by_year", period=period)


def label(df):
    """Each row's year, or its period as '1989–1993' (the last period may be shorter)."""
    if period == 1:
        return df["exoneration_year"].astype(int).astype(str)
    return [f"{a}–{b}" if a != b else f"{a}" for a, b in zip(df["exoneration_year"], df["last_year"], strict=True)]


years = years.assign(period=label(years))
x = "exoneration_year" if period == 1 else "period"  # a numeric axis for single years
few = years[(years["cases"] > 0) & (years["cases"] < style.SMALL_DENOMINATOR)]
if period == 1 and len(few_years) > len(single[single["cases"] > 0]) / 2:
    st.caption(f"Most years here have fewer than {style.SMALL_DENOMINATOR} exonerations: choose *{FIVE}* "
               "for steadier shares.")

# -- Exonerations per year and the misconduct share ------------------------------------------------
top_n = int(years["cases"].max())
peaks = years[years["cases"] == top_n]
when = (f"in {peaks.iloc[0]['period']}" if len(peaks) == 1
        else "in " + ", ".join(str(p) for p in peaks["period"].iloc[:-1]) + f" and {peaks['period'].iloc[-1]}")
per = "a year" if period == 1 else "in a five-year period"
subtitle = (f"Per {'year' if period == 1 else 'five-year period'} of exoneration, {ctx.denominator(n)}; "
            "lower panel: share with official misconduct")
if om is not None:
    if len(peaks) == 1:
        p = peaks.iloc[0]
        title = (f"Exonerations peaked at {top_n:,} {when}, when official misconduct played a role in "
                 f"{pct(int(p['misconduct_cases']), top_n, 0)} of them")
    else:
        title = f"Exonerations peaked at {top_n:,} {per} ({when.removeprefix('in ')})"
    fig = ui.figure(charts.by_year, years, ctx.caption(title, subtitle), overall=n_om / n if n else None, year=x)
    data = years.rename(columns={"exoneration_year": "first_year", "misconduct_cases": "with_official_misconduct",
                                 "share": "misconduct_share"})
else:
    title = (f"Exonerations peaked at {top_n:,} {when}" if len(peaks) == 1
             else f"Exonerations peaked at {top_n:,} {per} ({when.removeprefix('in ')})")
    fig = ui.figure(charts.grouped_bars, years, ctx.caption(
        title, f"Per {unit} of exoneration, {ctx.denominator(n)}"), "period",
        [("cases", "Exonerations", style.BASE)], digits=0, axis_title="Exonerations")
    data = years[["period", "cases"]]
    st.info("Official misconduct is not in this file, so the share by year cannot be shown.")
ui.show_chart(fig, data, ctx, f"exonerations_by_{unit}", ("exonerations_by_year",), small_total=n)
if om is not None and not few.empty:
    names = [str(x) for x in few["period"]]
    st.caption(
        f"{len(few)} {unit}{'s' if len(few) != 1 else ''} rest{'s' if len(few) == 1 else ''} on fewer than "
        f"{style.SMALL_DENOMINATOR} exonerations ({', '.join(names[:12])}" + ("…" if len(names) > 12 else "")
        + f"), drawn as hollow grey points: a share in such a {unit} can swing widely with a single case."
    )

if om is not None:
    big = years[years["cases"] >= style.SMALL_DENOMINATOR]
    if len(big) >= 2:
        hi = big.sort_values(["share", "exoneration_year"], ascending=[False, False]).iloc[0]
        lo = big.sort_values(["share", "exoneration_year"], ascending=[True, False]).iloc[0]
        st.markdown(
            f"Across all these years, official misconduct played a role in **{n_om:,}** of **{n:,}** exonerations "
            f"(**{pct(n_om, n)}**). Among {unit}s with at least {style.SMALL_DENOMINATOR} exonerations the share "
            f"ranged from **{pct(int(lo['misconduct_cases']), int(lo['cases']))}** in {lo['period']} to "
            f"**{pct(int(hi['misconduct_cases']), int(hi['cases']))}** in {hi['period']}."
        )

with st.expander(f"The numbers by {unit}", key=f"numbers_by_{unit}", on_change="rerun") as numbers:
    if numbers.open:  # the table is sent only once opened
        table = years[["period", "cases", "misconduct_cases", "share"]].copy()
        table["share"] = (table["share"] * 100).round(1)
        ui.dataframe(
            table, hide_index=True, width="stretch",
            column_config={
                "period": st.column_config.TextColumn("Year of exoneration" if period == 1 else "Period of exoneration"),
                "cases": st.column_config.NumberColumn("Exonerations", format="%d"),
                "misconduct_cases": st.column_config.NumberColumn("With official misconduct", format="%d"),
                "share": st.column_config.NumberColumn("Share with misconduct (%)", format="%.1f"),
            },
        )

# -- Years lost per year of exoneration ------------------------------------------------------------
st.subheader(f"Years lost, by {unit} of exoneration")
if not ctx.meta.has("years_lost"):
    st.info("This file has no years-lost column, so the years exonerees lost cannot be shown.")
    st.stop()
lost = ctx.query("years_lost_by_year", period=period)
lost = lost.assign(period=label(lost))
known = int(lost["cases_with_years_lost"].sum())
if known == 0:
    st.info("None of the exonerations that match these filters has a recorded number of years lost.")
    st.stop()
most = lost["years_lost"].max()
tops = lost[lost["years_lost"] == most]
top_when = ", ".join(str(x) for x in tops["period"])
fig = ui.figure(charts.years_lost_by_year, lost, ctx.caption(
    f"Exonerees cleared in {top_when} had lost the most time: {most:,.0f} years in all",
    f"Per {'year' if period == 1 else 'five-year period'} of exoneration, "
    f"{ctx.denominator(known, 'exonerations' if known == n else 'exonerations with years lost')}; "
    "lower panel: median per case"), year=x)
ui.show_chart(fig, lost.drop(columns="period").rename(columns={"exoneration_year": "first_year"}), ctx,
              f"years_lost_by_{unit}", ("years_lost_by_year",), small_total=known)
st.caption(
    "Years lost: the registry's count of the years between the first conviction and release. The total for a "
    f"{unit} grows with the number of exonerations in it; the median shows the typical case."
)
