"""New York: the state's exonerations next to the nation's — how many, the misconduct share, by
actor and by kind of misconduct — its counties, the years lost, and the New York cases themselves.

"New York" means the state's own courts (State = "New York"); federal cases prosecuted in New York
(`Fed-NY`) are counted separately. The nation is every exoneration in the registry. The sidebar's state
filter does not apply here; every other filter does."""

import pandas as pd
import streamlit as st

from exonerations import charts, glossary, style, tables, ui
from exonerations.stats import pct

STATE = "New York"
PAGE_SIZE = 500
NY_COLOUR, US_COLOUR = style.BASE, style.ORANGE

base = ui.context()
# This page compares New York with the nation: the sidebar's state filter is set aside.
ctx = ui.Context(base.registry, base.filters.with_(states=()))
meta = ctx.meta
has_om = meta.has("official_misconduct")
has_years = meta.has("years_lost")

st.title("New York")
st.markdown("New York's exonerations next to the nation's. **New York** here means cases in the state's own courts "
            "(the registry's State “New York”); **all jurisdictions** means every exoneration in the registry — "
            "every state, the District of Columbia, the territories and the federal courts.")
if base.filters.states:
    st.info(f"The sidebar's state filter ({', '.join(base.filters.states[:3])}"
            f"{'…' if len(base.filters.states) > 3 else ''}) does not apply on this page: the New York side always "
            "counts New York and the nation side every jurisdiction. The other filters apply.", icon=":material/info:")

# the same question (stats.sql) asked of New York and of every jurisdiction
ny, us = ctx.query("stats", states=[STATE]).iloc[0], ctx.query("stats").iloc[0]
ny_total, us_total = int(ny["total"]), int(us["total"])
if us_total == 0 or ny_total == 0:
    st.info("No cases match these filters." + (" (None of them in New York.)" if us_total else "")
            + " Widen them in the sidebar, or press *Reset filters*.")
    st.stop()
fed_ny = ctx.stats(ctx.filters.with_(states=("Fed-NY",)))["total"]

# -- Headline ---------------------------------------------------------------------------------
ny_om, us_om = int(ny["official_misconduct"]), int(us["official_misconduct"])
if has_om:
    compare = "above" if ny_om / ny_total > us_om / us_total else "below" if ny_om / ny_total < us_om / us_total else "equal to"
    st.markdown(f"### Official misconduct played a role in **{ny_om:,}** of **{ny_total:,}** New York exonerations "
                f"(**{pct(ny_om, ny_total)}**), {compare} the {pct(us_om, us_total)} across all {us_total:,} — as of {ctx.as_of}")
else:
    st.markdown(f"### {ny_total:,} New York exonerations of {us_total:,} in all — as of {ctx.as_of}")
    st.warning("This file has no official-misconduct coding, so the misconduct share cannot be computed.")
where = ctx.filters.describe()
st.caption(
    f"Exonerations posted to the {glossary.SOURCE} by {ctx.as_of}" + (f"; {where}" if where else "; 1989 to the present")
    + f". Federal cases prosecuted in New York (`Fed-NY`, {fed_ny:,} under these filters) are not in the New York "
    "figures; they are among the federal cases on the Geography page. “Played a role” is the registry's code for "
    "cases in which officials significantly abused their authority or the judicial process."
)
if not meta.is_demo:
    st.caption("The campaign's figure — official misconduct in “over half of the 3,776 exonerations nationwide” — is "
               "the registry as of 2026-02-05; set *Data as of* to that date to see the nation's side of it.")
if ny_total < style.SMALL_DENOMINATOR:
    st.warning(f"The New York figures rest on only {ny_total} case{'s' if ny_total != 1 else ''}: treat shares with care.")

ui.metrics([("New York exonerations", f"{ny_total:,}"),
            ("…with official misconduct", "—" if not has_om else f"{ny_om:,} ({pct(ny_om, ny_total)})"),
            ("All jurisdictions", f"{us_total:,}"),
            ("…with official misconduct", "—" if not has_om else f"{us_om:,} ({pct(us_om, us_total)})")])

subtitle_both = (f"Share of exonerations — New York: of {ny_total:,} (state courts); all jurisdictions: of {us_total:,}; "
                 f"posted by {ctx.as_of}" + (f" ({where})" if where else ""))


def compared(codes) -> pd.DataFrame:
    rows = []
    for c in codes:
        if not meta.has(c.column):
            continue
        rows.append({"key": c.key, "label": c.label, "new_york_cases": int(ny[c.key]), "nation_cases": int(us[c.key]),
                     "new_york_share": int(ny[c.key]) / ny_total, "nation_share": int(us[c.key]) / us_total})
    return pd.DataFrame(rows, columns=["key", "label", "new_york_cases", "nation_cases", "new_york_share", "nation_share"])


SERIES = (("new_york_share", "new_york_cases", f"New York (of {ny_total:,})", NY_COLOUR),
          ("nation_share", "nation_cases", f"All jurisdictions (of {us_total:,})", US_COLOUR))


def versus(row) -> str:
    return f"{row['new_york_share']:.0%} of New York exonerations, against {row['nation_share']:.0%} nationwide"


# -- By actor ---------------------------------------------------------------------------------
if has_om:
    om_code = glossary.BY_KEY["official_misconduct"]
    actors = compared((om_code, *glossary.ACTORS))
    actors.loc[actors["key"] == "official_misconduct", "label"] = "Any official misconduct"
    if len(actors) > 1:
        top = actors.iloc[1:].sort_values("new_york_cases", ascending=False).iloc[0]
        title = f"Misconduct by a {top['label'].lower()} played a role in {versus(top)}"
        fig = ui.figure(charts.paired_share_bars, actors, ctx.caption(title, "Who committed the misconduct. " + subtitle_both),
                                       series=SERIES)
        ui.show_chart(fig, actors.drop(columns="key"), ctx, "ny_by_actor", ("stats",), small_total=ny_total)

    kinds = compared(glossary.KINDS)
    if len(kinds):
        top = kinds.sort_values("new_york_cases", ascending=False).iloc[0]
        title = f"{top['label']}: {versus(top)}"
        fig = ui.figure(charts.paired_share_bars, kinds, ctx.caption(title, "What the misconduct was. " + subtitle_both),
                                       series=SERIES)
        ui.show_chart(fig, kinds.drop(columns="key"), ctx, "ny_by_kind", ("stats",), small_total=ny_total)
    st.caption("A case can have several kinds of misconduct by several officials, so the bars do not add up. "
               "The registry codes conservatively: a missing code does not prove the misconduct absent.")

# -- Counties ---------------------------------------------------------------------------------
st.subheader("New York's counties")
counties = ctx.query("by_county", state=STATE)
if len(counties):
    first = counties.iloc[0]
    nyc = counties[counties["county"].isin(["New York", "Kings", "Queens", "Bronx", "Richmond"])]
    county_name = first["county"] if str(first["county"]).endswith("County") else f"{first['county']} County"
    title = (f"{county_name} accounts for {int(first['cases']):,} of New York's {ny_total:,} exonerations "
             f"({pct(int(first['cases']), ny_total, 0)})")
    fig = ui.figure(charts.place_bars, counties, ctx.caption(
        title, f"Exonerations by county of the crime (top {min(20, len(counties))} of {len(counties)} counties)"
        + (", with the share involving official misconduct" if has_om else "") + ", "
        + ctx.denominator(ny_total, "New York exonerations")), share="misconduct_share" if has_om else None)
    county_table = pd.DataFrame({"County": counties["county"], "Exonerations": counties["cases"].astype(int)})
    if has_om:
        county_table["With official misconduct"] = counties["with_misconduct"].astype(int)
        county_table["Share with misconduct (%)"] = (100 * counties["misconduct_share"]).round(1)
    if has_years:
        county_table["Years lost"] = counties["years_lost"]
    county_table["Note"] = ["fewer than 20 cases" if n < style.SMALL_DENOMINATOR else "" for n in counties["cases"]]
    ui.show_chart(fig, county_table, ctx, "ny_counties", ("by_county",))
    if len(nyc):
        st.caption(f"New York City's five counties (New York = Manhattan, Kings = Brooklyn, Queens, Bronx, "
                   f"Richmond = Staten Island) account for {int(nyc['cases'].sum()):,} of the {ny_total:,} "
                   f"({pct(int(nyc['cases'].sum()), ny_total, 0)}).")
    # Every county as a table, sent only once opened (the chart shows the top 20; its CSV has them all),
    # as on the Geography page. The label stays the same whatever the filters: it is part of its identity.
    with st.expander("Every New York county, as a table", key="ny_county_table_open",
                     on_change="rerun") as every:
        if every.open:
            ui.dataframe(county_table, hide_index=True, width="stretch", key="ny_county_table",
                         height=min(36 * (len(county_table) + 1) + 3, 430),
                         column_config={"Share with misconduct (%)": st.column_config.ProgressColumn(
                             format="%.1f%%", min_value=0, max_value=100),
                             "Years lost": st.column_config.NumberColumn(format="%.1f")})

# -- Years lost ---------------------------------------------------------------------------------
st.subheader("Years lost")
if not has_years:
    st.info("Years lost: not in this file (the registry's full export has them; the public spreadsheet does not).")
else:
    def per_case(r) -> str:
        n = int(r["cases_with_years_lost"])
        return "—" if n == 0 else f"{float(r['years_lost']) / n:.1f}"

    def median(r) -> str:
        return "—" if pd.isna(r["median_years_lost"]) else f"{float(r['median_years_lost']):.1f}"

    ui.metrics([
        ("Years lost by New York exonerees",
         "—" if int(ny["cases_with_years_lost"]) == 0 else f"{float(ny['years_lost']):,.0f}"),
        ("Per New York case (mean / median)", f"{per_case(ny)} / {median(ny)}",
         "Mean: total years lost divided by the cases that record them. Median: the middle case."),
        ("Per case, all jurisdictions (mean / median)", f"{per_case(us)} / {median(us)}")])
    st.caption(f"Years between conviction and release, as the registry records them, over the {int(ny['cases_with_years_lost']):,} "
               f"New York and {int(us['cases_with_years_lost']):,} cases that record them; posted by {ctx.as_of}"
               + (f" ({where})" if where else "") + ".")

# -- The cases ----------------------------------------------------------------------------------
st.subheader("The New York cases")


def cases_view(ctx: ui.Context, offset: int) -> pd.DataFrame:
    """One page of the New York cases, shaped for the table (kept per filters and page: ui.memo)."""
    rows = ctx.query("cases_table", states=[STATE], search=None, sort="exoneration_year", descending=True,
                     limit=PAGE_SIZE, offset=offset)
    view = pd.DataFrame({"Name": rows["name"]})
    if ctx.meta.has("nre_id"):
        view["Case page"] = tables.case_urls(rows["nre_id"])
    view["County"] = rows["county"]
    view["Worst crime"] = rows["worst_crime"]
    view["Exonerated"] = rows["exoneration_year"].astype("Int64")
    if ctx.meta.has("years_lost"):
        view["Years lost"] = rows["years_lost"]
    view["Official misconduct"] = tables.joined_codes(rows, glossary.MISCONDUCT)
    return view


# The table is a data grid, whose JavaScript alone costs a page load about 60 ms: it is sent once opened.
with st.expander(f"The {ny_total:,} New York exonerations, newest first, as a table", key="ny_cases_open",
                 on_change="rerun") as cases_box:
    if cases_box.open:
        slot, offset = ui.pager(ny_total, PAGE_SIZE, "ny_page")
        view = ui.memo(cases_view, ctx, offset)
        with slot:
            st.caption(f"Showing rows {offset + 1:,}–{offset + len(view):,} of {ny_total:,} New York exonerations, "
                       "newest first. Misconduct codes: "
                       + "; ".join(f"{c.code} {c.label.lower()}" for c in glossary.MISCONDUCT)
                       + (". Years lost: not in this file" if not has_years else "")
                       + (". No registry case IDs in this file, so no links" if not meta.has("nre_id") else "") + ".")
            ui.dataframe(view, hide_index=True, width="stretch", key="ny_cases",
                         height=min(35 * (len(view) + 1) + 3, 560),
                         column_config={
                             "Case page": st.column_config.LinkColumn(display_text="NRE ↗", width="small",
                                                                      help="The case's page on the registry's site."),
                             "Exonerated": st.column_config.NumberColumn(format="%d"),
                             "Years lost": st.column_config.NumberColumn(format="%.1f"),
                         })
        ui.csv_download(st, f"These {len(view):,} cases as CSV", view, [
            f"Source: {glossary.SOURCE}" + (" — SYNTHETIC DEMO DATA, not real cases" if meta.is_demo else ""),
            f"New York exonerations (state courts) posted by {ctx.as_of}" + (f" ({where})" if where else ""),
            f"Rows {offset + 1}-{offset + len(view)} of {ny_total}"],
            file_name=f"{ctx.file_stub('new-york-cases')}.csv", key="csv_ny_cases")
ui.sql_expander(st, "SQL behind this page", ("stats", "by_county", "cases_table"), key="sql_ny_page")
