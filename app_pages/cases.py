"""Cases: the filtered cases, searchable and sortable, a page at a time, each with a link to its page
on the registry's site. Search, sort and paging run in SQL (bound parameters), so the table stays
fast on hundreds of thousands of rows; downloads are of the rows shown, or of every matching row when
there are not too many."""

import pandas as pd
import streamlit as st

from exonerations import exports, glossary, tables, ui

PAGE_SIZE = 100
FULL_DOWNLOAD_MAX = 50_000  # rows; above this the full download is not offered (use the SQL console or CLI)
MAX_SEARCH = 100  # characters
SORTS = {
    "exoneration_year desc": "Year of exoneration, newest first",
    "exoneration_year asc": "Year of exoneration, oldest first",
    "years_lost desc": "Years lost, most first",
    "name asc": "Name, A–Z (first name first, as the registry writes it)",
    "state asc": "State, A–Z",
    "county asc": "County, A–Z",
    "worst_crime asc": "Worst crime, A–Z",
}



def shaped(rows: pd.DataFrame, has_links: bool, has_years: bool) -> pd.DataFrame:
    """The rows as the table (and the CSV) shows them."""
    out = pd.DataFrame({"Name": rows["name"]})
    if has_links:
        out["Case page"] = tables.case_urls(rows["nre_id"])
    out = out.assign(**{
        "State": rows["state"], "County": rows["county"], "Worst crime": rows["worst_crime"],
        "Exonerated": rows["exoneration_year"].astype("Int64"),
    })
    if has_years:
        out["Years lost"] = rows["years_lost"]
    out["Contributing factors"] = tables.joined_codes(rows, glossary.FACTORS)
    out["Official misconduct"] = tables.joined_codes(rows, glossary.MISCONDUCT)
    return out


ctx = ui.context()
ss = st.session_state
meta = ctx.meta
has_links = meta.has("nre_id")
has_years = meta.has("years_lost")

st.title("Cases")


def _reset_page() -> None:
    ss.pop("cases_page", None)


# -- Search (kept in the URL as `q`) and sort -----------------------------------------------------
if "cases_q" not in ss:
    ss["cases_q"] = (st.query_params.get("q") or "")[:MAX_SEARCH]
c1, c2 = st.columns([3, 2])
q = c1.text_input("Search", key="cases_q", max_chars=MAX_SEARCH, on_change=_reset_page,
                  placeholder="A name, county, state or crime, e.g. Cook or robbery",
                  help="Finds the text anywhere in the name, state, county or worst crime (capitals and accents ignored).")
sort = c2.selectbox("Sort all matching cases by", list(SORTS), format_func=SORTS.get, key="cases_sort",
                    on_change=_reset_page)
search = q.strip() or None
if (st.query_params.get("q") or "") != (search or ""):
    if search:
        st.query_params["q"] = search
    else:
        del st.query_params["q"]
sort_key, direction = sort.split()

n = int(ctx.query("cases_table_count", search=search).iloc[0]["matching"])
where = ctx.filters.describe()
scope = f"posted by {ctx.as_of}" + (f" ({where})" if where else "")
if n == 0:
    st.info("No cases match these filters" + (" and this search" if search else "") + ". Widen the filters in the "
            "sidebar" + (", or change the search" if search else "") + ".")
    st.stop()

table_slot, offset = ui.pager(n, PAGE_SIZE, "cases_page")
params = {"search": search, "sort": sort_key, "descending": direction == "desc", "limit": PAGE_SIZE, "offset": offset}
rows = ctx.query("cases_table", **params)
view = shaped(rows, has_links, has_years)

with table_slot:
    found = f"{n:,} case{'s' if n != 1 else ''}" + (" matching the search" if search else "")
    st.markdown(f"**Showing rows {offset + 1:,}–{offset + len(rows):,} of {found}** — exonerations {scope}.")
    notes = ["*Sort all matching cases by* orders every matching case; clicking a column header re-sorts only the "
             f"{len(rows)} rows on this page."]
    if not has_years:
        notes.append("Years lost: not in this file.")
    if not has_links:
        notes.append("This file has no registry case IDs, so there are no links to the registry's case pages.")
    st.caption(" ".join(notes))
    ui.dataframe(
        view, hide_index=True, width="stretch", key="cases_table", height=min(35 * (len(view) + 1) + 3, 640),
        column_config={
            "Exonerated": st.column_config.NumberColumn("Exonerated", format="%d", help="Year of exoneration."),
            "Years lost": st.column_config.NumberColumn(format="%.1f", help="Years between conviction and release."),
            "Contributing factors": st.column_config.TextColumn(
                help="; ".join(f"{c.code}: {c.label}" for c in glossary.FACTORS)),
            "Official misconduct": st.column_config.TextColumn(
                help="; ".join(f"{c.code}: {c.label}" for c in glossary.MISCONDUCT)),
            "Case page": st.column_config.LinkColumn(display_text="NRE ↗", width="small",
                                                     help="The case's page on the registry's site."),
        },
    )

# -- Downloads ----------------------------------------------------------------------------------
preamble = [f"Source: {glossary.SOURCE}" + (" — SYNTHETIC DEMO DATA, not real cases" if meta.is_demo else ""),
            f"Exonerations {scope}" + (f"; search: {search}" if search else "") + f"; sorted by {SORTS[sort].lower()}"]
d1, d2 = st.columns(2)
ui.csv_download(
    d1, f"This page as CSV (rows {offset + 1:,}–{offset + len(rows):,})", view,
    [*preamble, f"Rows {offset + 1}-{offset + len(rows)} of {n}"],
    file_name=f"{ctx.file_stub('cases')}-rows-{offset + 1}-{offset + len(rows)}.csv", key="csv_page",
)
if n <= FULL_DOWNLOAD_MAX:
    registry, all_params = ctx.registry, {**ctx.params, **params, "limit": n, "offset": 0}

    def _all_rows() -> bytes:  # built only when clicked (no Streamlit calls: it runs outside the script)
        return exports.to_csv(shaped(registry.query("cases_table", all_params), has_links, has_years),
                              [*preamble, f"All {n} matching rows"])

    d2.download_button(f"All {n:,} matching cases as CSV", _all_rows, file_name=f"{ctx.file_stub('cases')}-all.csv",
                       mime="text/csv", key="csv_all")
else:
    d2.caption(f"A download of all {n:,} matching cases is offered up to {FULL_DOWNLOAD_MAX:,} rows, to keep the "
               "app responsive for everyone: narrow the filters (a state, a span of years) or the search, then "
               "download. Every case is in the registry file itself.")

with st.expander("What the codes mean"):
    st.markdown("**Contributing factors** — " + "; ".join(f"`{c.code}` {c.label}" for c in glossary.FACTORS)
                + ".\n\n**Official misconduct** — " + "; ".join(f"`{c.code}` {c.label}" for c in glossary.MISCONDUCT)
                + ".\n\nA code means the registry recorded it; a missing code does not prove it absent.")
ui.sql_expander(st, "SQL behind this table", ("cases_table", "cases_table_count"), key="sql_cases_table")
