"""Geography: every state (and federal cases, DC and the territories) by number of exonerations and
misconduct share on a tile-grid map of the US that needs no internet access; a ranking table; and the
counties (or federal districts) of a chosen state."""

import pandas as pd
import streamlit as st

from exonerations import charts, style, ui, usmap
from exonerations.filters import escape_markdown
from exonerations.stats import pct

ctx = ui.context()
ss = st.session_state
has_om = ctx.meta.has("official_misconduct")
has_years = ctx.meta.has("years_lost")
SMALL = style.SMALL_DENOMINATOR

st.title("Geography")
states = ctx.query("by_state")
total = int(states["cases"].sum()) if len(states) else 0
if total == 0:
    st.info("No cases match these filters. Widen them in the sidebar, or press *Reset filters*.")
    st.stop()

# -- What the map shows (count or share), kept in the URL as `measure` --------------------------
MEASURES = {"share": "Share with official misconduct", "count": "Number of exonerations"}
if "geo_measure" not in ss:
    wanted = st.query_params.get("measure")
    ss["geo_measure"] = wanted if wanted in MEASURES else "share"
if not has_om:
    ss["geo_measure"] = "count"
measure = st.segmented_control("Colour the map by", list(MEASURES), format_func=MEASURES.get, key="geo_measure",
                               disabled=not has_om, required=True,
                               help=None if has_om else "This file has no official-misconduct coding.")
measure = measure or "count"
if st.query_params.get("measure") != measure:
    st.query_params["measure"] = measure

# -- The state whose counties are shown, kept in the URL as `county_state` ----------------------
options = sorted(states["jurisdiction"], key=lambda j: (j == "Federal", j))
largest = str(states.iloc[0]["jurisdiction"])
if "geo_county_state" not in ss:
    wanted = st.query_params.get("county_state")
    if wanted and wanted not in options:
        st.info(f"The link asks for the counties of “{escape_markdown(wanted[:40])}”, which has no cases under these filters; "
                f"showing {largest}.", icon=":material/link:")
    ss["geo_county_state"] = wanted if wanted in options else largest
elif ss["geo_county_state"] not in options:
    ss["geo_county_state"] = largest


def choose(jurisdiction) -> None:
    """A click on a tile (before the run that follows) chooses its state for the counties below."""
    if jurisdiction in options:
        ss["geo_county_state"] = jurisdiction


# -- The map ------------------------------------------------------------------------------------
big = states[states["cases"] >= SMALL]
if measure == "share":
    pool = big if len(big) >= 2 else states
    ranked = pool.sort_values(["misconduct_share", "cases"], ascending=[False, False])
    hi, lo = ranked.iloc[0], ranked.iloc[-1]
    title = (f"Official misconduct shares run from {pct(hi['with_misconduct'], hi['cases'], 0)} ({hi['jurisdiction']}) "
             f"to {pct(lo['with_misconduct'], lo['cases'], 0)} ({lo['jurisdiction']})")
    if len(ranked) == 1:
        title = f"Official misconduct played a role in {pct(hi['with_misconduct'], hi['cases'], 0)} of exonerations in {hi['jurisdiction']}"
    among = f"range among the {len(big)} with {SMALL}+ cases; " if pool is big and len(big) < len(states) else ""
    subtitle = f"Share of each jurisdiction's exonerations with official misconduct ({among}{ctx.denominator(total)})"
else:
    top3 = states.head(3)
    names = ", ".join(top3["jurisdiction"].tolist()[:-1]) + (" and " if len(top3) > 1 else "") + top3["jurisdiction"].iloc[-1]
    n3 = int(top3["cases"].sum())
    title = (f"{names} account for {n3:,} of {total:,} exonerations ({pct(n3, total, 0)})" if len(states) > 3 else
             f"Exonerations in {names}")
    subtitle = "Exonerations by jurisdiction of conviction, " + ctx.denominator(total)
cap = ctx.caption(title, subtitle)
current = ss["geo_county_state"]
fig = ui.figure(usmap.tile_map, states, cap, measure=measure, selected=current)

table = pd.DataFrame({
    "Jurisdiction": states["jurisdiction"],
    "Exonerations": states["cases"].astype(int),
})
if has_om:
    table["With official misconduct"] = states["with_misconduct"].astype(int)
    table["Share with misconduct (%)"] = (100 * states["misconduct_share"]).round(1)
if has_years:
    table["Years lost"] = states["years_lost"]
table["Note"] = ["fewer than 20 cases" if n < SMALL else "" for n in states["cases"]]
table = table.rename(columns={"Note": f"Note (shares on fewer than {SMALL} cases are unreliable)"})
ui.show_chart(
    fig, table, ctx, "by-state", ("by_state",), on_click=choose,
    config={**ui.PLOTLY_CONFIG, "modeBarButtonsToRemove": [
        "select2d", "lasso2d", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d"]})
notes = ["Each square is a state, laid out roughly where it lies; the dotted box below the grid holds every "
         "federal case (`Fed-NY`, `Fed-DC`, `Fed-Military`, …), which the registry records apart from the states' own courts."]
off = usmap.off_grid(states["jurisdiction"])
if off:
    notes.append("Not on the map (listed in the table below and in the CSV): " + ", ".join(off) + ".")
if ctx.filters.states:
    notes.append("The sidebar's state filter is on: other states are drawn empty.")
notes.append("Click a square, or choose below, to see its counties.")
st.caption(" ".join(notes))

# -- Ranking: a data grid, whose JavaScript alone costs a page load ~80 ms, sent once opened --------
with st.expander(f"Every jurisdiction, ranked: the {len(table)} of them as a sortable table", key="geo_ranking_open",
                 on_change="rerun") as ranking_box:
    if ranking_box.open:
        st.caption("Click a column header to sort. " + ("Years lost: not in this file. " if not has_years else "")
                   + f"Shares resting on fewer than {SMALL} cases are flagged: a few cases more or less would move "
                   "them a lot.")
        ui.dataframe(
            table, hide_index=True, width="stretch", key="ranking", height=min(36 * (len(table) + 1) + 3, 530),
            column_config={
                "Exonerations": st.column_config.NumberColumn(format="localized"),
                "With official misconduct": st.column_config.NumberColumn(format="localized"),
                "Share with misconduct (%)": st.column_config.ProgressColumn(
                    format="%.1f%%", min_value=0, max_value=100,
                    help="Exonerations with official misconduct as a share of the jurisdiction's exonerations."),
                "Years lost": st.column_config.NumberColumn(format="%.1f", help="Total years between conviction and release."),
            },
        )

# -- Counties of one state ----------------------------------------------------------------------
st.subheader("Counties")
choice = st.selectbox("State or jurisdiction", options, key="geo_county_state",
                      help="Federal cases are grouped by federal district instead of county.")
if st.query_params.get("county_state") != choice:
    st.query_params["county_state"] = choice
counties = ctx.query("by_county", state=choice)
n_state = int(counties["cases"].sum()) if len(counties) else 0
federal = choice == "Federal"
unit, units = ("district", "districts") if federal else ("county", "counties")
if n_state == 0:
    st.info("No cases match these filters.")
    st.stop()
if federal:
    st.caption("Federal cases are grouped by jurisdiction and district as the registry writes them, e.g. "
               "“Fed-NY (Eastern)” is the Eastern District of New York.")
elif choice == "District of Columbia":
    st.caption("The District of Columbia has no counties; its cases have no county recorded.")
first = counties.iloc[0]
whose = "the federal" if federal else f"{choice}'s"
noun = "federal exonerations" if federal else f"exonerations in {choice}"
if len(counties) > 1:
    head = (f"{first['county']} accounts for {int(first['cases']):,} of {whose} {n_state:,} exonerations "
            f"({pct(int(first['cases']), n_state, 0)})")
elif n_state == 1:
    head = f"The only {'federal exoneration' if federal else f'exoneration in {choice}'} is in {first['county']}"
else:
    head = f"All {n_state:,} of {whose} exonerations are in {first['county']}"
sub = (f"Exonerations by {unit} of the crime (top {min(20, len(counties))} of {len(counties)} {units})"
       + (", with the share involving official misconduct" if has_om else "") + ", " + ctx.denominator(n_state, noun))
fig = ui.figure(charts.place_bars, counties, ctx.caption(head, sub), share="misconduct_share" if has_om else None)
county_table = pd.DataFrame({unit.title(): counties["county"], "Exonerations": counties["cases"].astype(int)})
if has_om:
    county_table["With official misconduct"] = counties["with_misconduct"].astype(int)
    county_table["Share with misconduct (%)"] = (100 * counties["misconduct_share"]).round(1)
if has_years:
    county_table["Years lost"] = counties["years_lost"]
county_table["Note"] = ["fewer than 20 cases" if n < SMALL else "" for n in counties["cases"]]
ui.show_chart(fig, county_table, ctx, "counties", ("by_county",), small_total=n_state)
# Every county as a table, sent only once opened (the chart shows the top 20; its CSV has them all).
# The label stays the same for every state: it is part of the expander's identity.
with st.expander("Every county (or federal district), as a table", key="county_table_open",
                 on_change="rerun") as every:
    if every.open:
        ui.dataframe(
            county_table, hide_index=True, width="stretch", key="county_table",
            height=min(36 * (len(county_table) + 1) + 3, 530),
            column_config={
                "Exonerations": st.column_config.NumberColumn(format="localized"),
                "With official misconduct": st.column_config.NumberColumn(format="localized"),
                "Share with misconduct (%)": st.column_config.ProgressColumn(format="%.1f%%", min_value=0, max_value=100),
                "Years lost": st.column_config.NumberColumn(format="%.1f"),
            },
        )
