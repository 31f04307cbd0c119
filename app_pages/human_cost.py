"""Human cost: the years exonerees lost — in total, per case, the longest cases, with and without official
misconduct — and the exonerees who had been sentenced to death."""

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import streamlit as st

from exonerations import charts, glossary, style, tables, ui
from exonerations.stats import pct

LONGEST = 20

ctx = ui.context()
s = ctx.stats()
total = s["total"]
om = s["factors"]["official_misconduct"]
has_years = ctx.meta.has("years_lost")

st.title("The human cost: years lost to wrongful convictions")
if total == 0:
    st.info("No cases match these filters. Widen them in the sidebar, or press *Reset filters*.")
    st.stop()

where = ctx.filters.describe()
scope = ((f"Synthetic demo cases posted by {ctx.as_of}" if ctx.meta.is_demo
     else f"Exonerations posted to the {glossary.SOURCE} by {ctx.as_of}")
         + (f"; {where}" if where else "; 1989 to the present") + ".")


def yrs(x) -> str:
    """Years to one decimal, halves rounded up as a reader would (13.95 → 14.0, not binary 13.9)."""
    if x is None or pd.isna(x):
        return "—"
    return f"{Decimal(repr(float(x))).quantize(Decimal('0.1'), ROUND_HALF_UP):,}"


def yesno(v) -> str:
    return "not coded" if v is None or pd.isna(v) else ("Yes" if bool(v) else "No")


# -- Years lost in total and per case --------------------------------------------------------------
summary = ctx.query("years_lost_by_misconduct").set_index("grp") if has_years else None
known = int(summary.loc["all", "cases_with_years_lost"]) if has_years else 0
# The denominator of every years-lost figure: exonerations with a recorded figure.
den = ctx.denominator(known, "exonerations" if known == total else "exonerations with years lost recorded")
if not has_years:
    st.markdown(f"### {total:,} exonerations — as of {ctx.as_of}")
    st.info("This file has no years-lost column, so the years exonerees lost cannot be shown. The full registry "
            "export has one: load it on the Methodology & data page.")
elif known == 0:
    st.markdown(f"### {total:,} exonerations — as of {ctx.as_of}")
    st.info("None of the exonerations that match these filters has a recorded number of years lost.")
else:
    a = summary.loc["all"]
    st.markdown(
        f"### Exonerees lost **{a['years_lost']:,.0f} years** to wrongful convictions — "
        f"**{yrs(a['mean_years_lost'])}** per case on average, median **{yrs(a['median_years_lost'])}** "
        f"— as of {ctx.as_of}"
    )
    st.caption(
        scope + f" Years lost: the registry's count of the years between the first conviction and release, recorded "
        f"for {known:,} of the {total:,} exonerations" + (" (all of them)." if known == total else ".")
        + " Means and medians are per exoneration with a recorded figure."
    )
    if known < style.SMALL_DENOMINATOR:
        st.warning(f"These figures rest on only {known} case{'s' if known != 1 else ''}: treat them with care.")
    ui.metrics([("Years lost in all", f"{a['years_lost']:,.1f}"),
                ("Mean per exoneration", f"{yrs(a['mean_years_lost'])} years"),
                ("Median per exoneration", f"{yrs(a['median_years_lost'])} years"),
                ("Longest", f"{yrs(a['max_years_lost'])} years")])

    # Distribution
    dist = ctx.query("years_lost_distribution")
    ten = int(dist.loc[dist["lower"] >= 10, "cases"].sum())
    twenty_five = int(dist.loc[dist["lower"] >= 25, "cases"].sum())
    title = (f"{pct(ten, known, 0)} of exonerees lost 10 years or more; "
             f"{twenty_five:,} lost 25 years or more")
    fig = ui.figure(charts.banded, dist, ctx.caption(title, (
        f"Exonerations by years lost, {den}")),
        part_label="With official misconduct" if om is not None else "Official misconduct not in this file",
        rest_label="Without (or not coded)" if om is not None else "All exonerations")
    ui.show_chart(fig, dist[["band", "lower", "upper", "cases", "misconduct_cases", "other_cases"]], ctx,
                  "years_lost_distribution", ("years_lost_distribution",))
    zero = int(dist.loc[dist["band_order"] == 1, "cases"].iloc[0])
    st.caption("Bands include their lower bound (“5–9.9” is 5 years or more but under 10). The band “0” holds "
               + (f"the {zero:,} exonerations" if zero != 1 else "the one exoneration")
               + " recorded with no time between conviction and release.")

    # Longest cases
    longest = ctx.query("longest_years_lost", limit=LONGEST)
    st.subheader(f"The {len(longest)} exonerees who lost the most years" if len(longest) > 1
                 else "The exoneree who lost the most years")
    table = pd.DataFrame({
        "Name": longest["name"],
        "State": longest["state"],
        "Years lost": longest["years_lost"],
        "Worst crime": longest["worst_crime"],
        "Official misconduct": [yesno(v) for v in longest["official_misconduct"]]
        if om is not None else "not in this file",
        "Convicted": longest["conviction_year"],
        "Exonerated": longest["exoneration_year"],
        "Registry case": tables.case_urls(longest["nre_id"]),
    })
    if ctx.meta.is_demo or table["Registry case"].isna().all():
        table = table.drop(columns="Registry case")  # no registry page for synthetic cases or files without IDs
    # Twenty rows, already in order: a static table (no data grid to load), links to the registry's pages.
    ui.table(table, formats={"Years lost": yrs, "Convicted": "{:.0f}", "Exonerated": "{:.0f}"},
             links={"Registry case": "case page"}, right=("Years lost",))
    n_om_top = sum(1 for v in longest["official_misconduct"] if not pd.isna(v) and bool(v)) if om is not None else None
    st.caption(
        f"The {len(longest)} longest of {known:,} exonerations with years lost recorded ({where or 'no filters'}); "
        "ties in order of name."
        + (f" Official misconduct played a role in {n_om_top} of these {len(longest)}." if n_om_top is not None else "")
    )
    c1, _ = st.columns([1, 3])
    ui.csv_download(c1, "Table (CSV)", table, file_name=f"{ctx.file_stub('longest-years-lost')}.csv",
                    key="csv_longest_years_lost")

    # With vs without official misconduct
    st.subheader("With and without official misconduct")
    if om is None:
        st.info("Official misconduct is not in this file, so years lost cannot be compared with and without it.")
    else:
        w, wo = summary.loc["with_misconduct"], summary.loc["without_misconduct"]
        comp = pd.DataFrame({
            "group": [f"With official misconduct ({int(w['cases_with_years_lost']):,})",
                      f"Without, or not coded ({int(wo['cases_with_years_lost']):,})"],
            "exonerations": [int(w["cases"]), int(wo["cases"])],
            "with_years_lost": [int(w["cases_with_years_lost"]), int(wo["cases_with_years_lost"])],
            "years_lost": [w["years_lost"], wo["years_lost"]],
            "mean_years_lost": [w["mean_years_lost"], wo["mean_years_lost"]],
            "median_years_lost": [w["median_years_lost"], wo["median_years_lost"]],
            "max_years_lost": [w["max_years_lost"], wo["max_years_lost"]],
        })
        wy = 0.0 if pd.isna(w["years_lost"]) else float(w["years_lost"])
        st.markdown(
            f"Exonerations with official misconduct account for **{wy:,.0f}** of the **{a['years_lost']:,.0f}** "
            f"years lost (**{pct(wy, float(a['years_lost']))}**); they are "
            f"{pct(int(w['cases_with_years_lost']), known)} of the exonerations with years lost recorded."
        )
        if pd.notna(w["median_years_lost"]) and pd.notna(wo["median_years_lost"]):
            verb = "more" if w["median_years_lost"] > wo["median_years_lost"] else (
                "less" if w["median_years_lost"] < wo["median_years_lost"] else "as much")
            title = (f"Exonerees whose cases involved official misconduct lost {verb} time: a median "
                     f"{yrs(w['median_years_lost'])} years, vs {yrs(wo['median_years_lost'])} without")
        else:
            title = "Years lost per exoneration, with and without official misconduct"
        fig = ui.figure(charts.grouped_bars, comp, ctx.caption(title, (
            f"Median and mean years lost per exoneration, {den}")),
            "group", [("median_years_lost", "Median years lost", style.HIGHLIGHT),
                      ("mean_years_lost", "Mean years lost", style.BASE)], axis_title="Years lost per exoneration")
        small = min(int(w["cases_with_years_lost"]), int(wo["cases_with_years_lost"]))
        ui.show_chart(fig, comp, ctx, "years_lost_by_misconduct", ("years_lost_by_misconduct",),
                      small_total=small if small > 0 else None)

# -- Death sentences -------------------------------------------------------------------------------
st.subheader("Exonerees who had been sentenced to death")
if not ctx.meta.has("death_sentence"):
    st.info("Death sentences are not in this file.")
    st.stop()
death = ctx.query("death_sentence_cases").set_index("grp")
d, o = death.loc["death_sentence"], death.loc["no_death_sentence"]
n_death = int(d["cases"])
if n_death == 0:
    st.info("None of the exonerations that match these filters had a death sentence.")
    st.stop()
death_years = has_years and int(d["cases_with_years_lost"]) > 0
ui.metrics([("Sentenced to death", f"{n_death:,} ({pct(n_death, total)})"),
            ("Of them with official misconduct", "not in this file" if om is None
             else f"{int(d['misconduct_cases']):,} ({pct(int(d['misconduct_cases']), n_death)})"),
            ("Their years lost", f"{d['years_lost']:,.1f}" if death_years else "not in this file"),
            ("Median per exoneree", f"{yrs(d['median_years_lost'])} years" if death_years else "not in this file")])
st.caption(
    f"{n_death:,} of the {total:,} exonerations had a death sentence"
    + (f"; official misconduct played a role in {int(d['misconduct_cases']):,} of them ({pct(int(d['misconduct_cases']), n_death)}), "
       f"against {pct(int(o['misconduct_cases']), int(o['cases']))} of the other {int(o['cases']):,}"
       if om is not None and int(o["cases"]) > 0 else "")
    + ". A death sentence the file does not code counts as none, as in the sidebar filter."
)
if n_death < style.SMALL_DENOMINATOR:
    st.warning(f"These figures rest on only {n_death} death-sentenced exoneree{'s' if n_death != 1 else ''}: "
               "treat the shares with care.")
if has_years and int(d["cases_with_years_lost"]) > 0 and int(o["cases_with_years_lost"]) > 0:
    comp = pd.DataFrame({
        "group": [f"Sentenced to death ({int(d['cases_with_years_lost']):,})",
                  f"Not sentenced to death ({int(o['cases_with_years_lost']):,})"],
        "exonerations": [n_death, int(o["cases"])],
        "misconduct_cases": [int(d["misconduct_cases"]), int(o["misconduct_cases"])],
        "with_years_lost": [int(d["cases_with_years_lost"]), int(o["cases_with_years_lost"])],
        "years_lost": [d["years_lost"], o["years_lost"]],
        "mean_years_lost": [d["mean_years_lost"], o["mean_years_lost"]],
        "median_years_lost": [d["median_years_lost"], o["median_years_lost"]],
    })
    title = (f"Exonerees sentenced to death lost a median {yrs(d['median_years_lost'])} years, "
             f"vs {yrs(o['median_years_lost'])} for the others")
    fig = ui.figure(charts.grouped_bars, comp, ctx.caption(title, (
        f"Median and mean years lost per exoneration, {den}")),
        "group", [("median_years_lost", "Median years lost", style.HIGHLIGHT),
                  ("mean_years_lost", "Mean years lost", style.BASE)], axis_title="Years lost per exoneration")
    ui.show_chart(fig, comp, ctx, "death_sentence_years_lost", ("death_sentence_cases",),
                  small_total=int(d["cases_with_years_lost"]))
