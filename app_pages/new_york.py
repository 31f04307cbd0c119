"""New York: the state's exonerations beside all jurisdictions' and the rest of the country's — how
many, the misconduct share, by official and by kind of misconduct — its counties, the years lost, and
the New York cases themselves. The sidebar's state filter does not apply here; every other filter does."""

import streamlit as st

from exonerations import ui
from exonerations.findings import new_york

v = ui.view()

st.title(new_york.TITLE)
st.markdown(ui.md(new_york.INTRO))
notice = new_york.state_filter_notice(v)
if notice:
    st.info(ui.md(notice), icon=":material/info:")
empty = new_york.no_cases(v)
if empty:
    st.info(ui.md(empty))
    st.stop()

ui.headline(new_york.headline(v))
for chart in (new_york.actor_chart(v), new_york.kind_chart(v)):
    if chart:
        ui.chart(chart, v)

st.subheader(new_york.COUNTIES_HEADING)
counties = new_york.counties_chart(v)
if counties:
    ui.chart(counties, v)

st.subheader(new_york.YEARS_HEADING)
years = new_york.years_metrics(v)
if years:
    ui.metrics(years)
    ui.notes([new_york.years_note(v)])
else:
    st.info(ui.md(new_york.NO_YEARS))

st.subheader(new_york.CASES_HEADING)


@st.fragment
def cases() -> None:
    """The New York cases a page at a time, sent once the expander is opened (the data grid's
    JavaScript costs a page load); the pager reruns only this part."""
    box = st.expander(ui.md(new_york.cases_label(v)), key="ny_cases_open", on_change="rerun")
    if not box.open:
        return
    with box:
        n = new_york.compare_figures(v, new_york.STATE)["place"]["total"]
        slot, offset = ui.pager(n, new_york.PAGE_SIZE, "ny_page")
        rows = new_york.cases_page(v, offset)
        with slot:
            st.caption(ui.md(new_york.cases_caption(v, offset, len(rows))))
            st.dataframe(
                rows,
                hide_index=True,
                width="stretch",
                key="ny_cases",
                height=min(35 * (len(rows) + 1) + 3, 560),
                column_config=CASE_COLUMNS,
            )
        ui.csv_download(
            st,
            f"These {len(rows):,} cases as CSV",
            rows,
            new_york.cases_preamble(v, offset, len(rows)),
            file_name=f"{ui.file_stub(v, 'new-york-cases')}.csv",
            key="csv_ny_cases",
        )


CASE_COLUMNS = {
    "Case page": st.column_config.LinkColumn(
        display_text="NRE ↗", width="small", help="The case's page on the registry's site."
    ),
    "Exonerated": st.column_config.NumberColumn(format="%d"),
    "Years lost": st.column_config.NumberColumn(format="%.1f"),
}
cases()
ui.sql_expander(st, "SQL behind this page", ("stats", "filter_options", "by_county", "cases_table"), key="sql_ny_page")
