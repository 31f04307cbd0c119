"""Overview: the headline figure, contributing factors compared, the misconduct share, and how the
registry grew."""

import pandas as pd
import streamlit as st

from exonerations import charts, claims, glossary, ui
from exonerations.stats import pct

ctx = ui.context()
s = ctx.stats()
total = s["total"]
om = s["factors"]["official_misconduct"]

st.title("Official misconduct in wrongful convictions")
if total == 0:
    st.info("No cases match these filters. Widen them in the sidebar, or press *Reset filters*.")
    st.stop()

if om is None:
    st.markdown(f"### {total:,} exonerations — as of {ctx.as_of}")
    st.warning("This file has no official-misconduct coding, so the misconduct share cannot be computed.")
else:
    st.markdown(
        f"### Official misconduct played a role in **{om:,}** of **{total:,}** exonerations "
        f"(**{pct(om, total)}**) — as of {ctx.as_of}"
    )
where = ctx.filters.describe()
st.caption(
    f"Exonerations posted to the {glossary.SOURCE} by {ctx.as_of}"
    + (f"; {where}" if where else "; 1989 to the present")
    + ". “Played a role” is the registry's code for cases in which officials significantly abused their "
    "authority or the judicial process; it is not a court finding against a named person."
)
if total < 20:
    st.warning(f"These figures rest on only {total} case{'s' if total != 1 else ''}: treat shares with care.")

yl = s["years_lost"]
ui.metrics([("Exonerations", f"{total:,}"),
            ("With official misconduct", "—" if om is None else f"{om:,} ({pct(om, total)})"),
            ("Years lost in prison", "not in this file" if yl is None else f"{yl:,.0f}")])

# -- Contributing factors compared ------------------------------------------------------------
factors = ui.labelled([c.key for c in glossary.FACTORS], s["factors"], total)
if not factors.empty:
    ranked = factors.sort_values("cases", ascending=False).reset_index(drop=True)
    om_label = glossary.label("official_misconduct")
    if om is not None:
        rank = int(ranked.index[ranked["label"] == om_label][0])
        lead = glossary.in_sentence(ranked.iloc[0]["label"])
        where_rank = ("the most common contributing factor" if rank == 0 else
                      f"second only to {lead}" if rank == 1 else f"the no. {rank + 1} factor")
        title = f"Official misconduct played a role in {pct(om, total, 0)} of exonerations — {where_rank}"
    else:
        title = f"{ranked.iloc[0]['label']} is the most common contributing factor"
    fig = ui.figure(charts.share_bars, factors, ctx.caption(title, "Cases with each contributing factor, " + ctx.denominator(total)),
                            total=total, highlight=om_label)
    ui.show_chart(fig, factors[["label", "cases", "share"]], ctx, "factors", ("stats",), small_total=total)

# -- Official misconduct share ------------------------------------------------------------------
if om is not None:
    fig = ui.figure(charts.split_bar, om, total, ctx.caption(
        f"{pct(om, total, 0)} of exonerations involved official misconduct",
        "Exonerations with and without official misconduct, " + ctx.denominator(total)),
        "With official misconduct", "Without (or not coded)")
    data = pd.DataFrame({"group": ["With official misconduct", "Without (or not coded)"], "cases": [om, total - om]})
    ui.show_chart(fig, data, ctx, "misconduct_share", ("stats",), small_total=total)

# -- How the registry grew ------------------------------------------------------------------------
growth = ctx.query("registry_growth")
if not growth.empty:
    marker = None
    n = claims.campaign_total()
    if n and not ctx.filters.describe():
        reached = ctx.query("registry_reached", n=n)
        hit = reached[reached["exact"]]
        if not hit.empty and pd.Timestamp(hit.iloc[0]["from_date"]) <= pd.Timestamp(ctx.as_of):
            d = hit.iloc[0]["from_date"]
            then = growth[growth["posting_date"] == d].iloc[0]
            om_then = int(then["cumulative_misconduct"])
            marker = {"date": d, "cases": n, "text": f"{n:,} cases on {pd.Timestamp(d).date()}: "
                      f"{om_then:,} ({pct(om_then, n)}) with official misconduct"}
    last = growth.iloc[-1]
    first = growth.iloc[0]
    title = (f"The registry grew from {int(first['cumulative_cases']):,} to {int(last['cumulative_cases']):,} "
             f"cases between {pd.Timestamp(first['posting_date']).year} and {pd.Timestamp(last['posting_date']).year}")
    fig = ui.figure(charts.growth, growth, ctx.caption(title, "Cumulative exonerations by the date the registry posted them, "
                                            + ctx.denominator(total)), marker)
    ui.show_chart(fig, growth, ctx, "growth", ("registry_growth", "registry_reached"))
