"""Cases: the filtered cases, searchable and sortable, a page at a time (search, sort and paging run in
SQL), each with a link to its page on the registry's site, and downloads of the rows shown or of every
matching row. The search, the sort and the pager are one fragment: they rerun only the table."""

import streamlit as st

from exonerations import exports, glossary, ui
from exonerations.findings import cases

v = ui.view()
ss = st.session_state

st.title(cases.TITLE)
if "cases_q" not in ss:
    ss["cases_q"] = (st.query_params.get("q") or "")[: cases.MAX_SEARCH]

COLUMNS = {
    "Case page": st.column_config.LinkColumn(
        display_text="NRE ↗", width="small", help="The case's page on the registry's site."
    ),
    "Exonerated": st.column_config.NumberColumn("Exonerated", format="%d", help="Year of exoneration."),
    "Years lost": st.column_config.NumberColumn(format="%.1f", help="Years between conviction and release."),
    "Contributing factors": st.column_config.TextColumn(help=cases.code_help(glossary.CONTRIBUTING)),
    "DNA": st.column_config.TextColumn(width="small", help=glossary.DNA.definition),
    "Official misconduct": st.column_config.TextColumn(help=cases.code_help(glossary.MISCONDUCT)),
}


def first_page() -> None:
    ss.pop("cases_page", None)


def keep_search_in_url(search: str | None) -> None:
    if (st.query_params.get("q") or "") != (search or ""):
        if search:
            st.query_params["q"] = search
        else:
            del st.query_params["q"]


@st.fragment
def table() -> None:
    c1, c2 = st.columns([3, 2])
    q = c1.text_input(
        "Search",
        key="cases_q",
        max_chars=cases.MAX_SEARCH,
        on_change=first_page,
        placeholder=cases.SEARCH_PLACEHOLDER,
        help=cases.SEARCH_HELP,
    )
    sort = c2.selectbox(
        "Sort all matching cases by",
        list(cases.SORTS),
        format_func=cases.SORTS.get,
        key="cases_sort",
        on_change=first_page,
    )
    search = cases.search_text(q)
    keep_search_in_url(search)
    n = cases.count(v, search)
    if n == 0:
        st.info(ui.md(cases.no_match(search)))
        return
    slot, offset = ui.pager(n, cases.PAGE_SIZE, "cases_page")
    rows = cases.page(v, search, sort, offset)
    with slot:
        st.markdown("**" + ui.md(cases.showing(v, n, offset, len(rows), search)) + "**")
        st.caption(ui.md(cases.table_notes(v, len(rows))))
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            key="cases_table",
            height=min(35 * (len(rows) + 1) + 3, 640),
            column_config=COLUMNS,
        )
    downloads(n, search, sort, offset, rows)


def downloads(n: int, search, sort: str, offset: int, rows) -> None:
    preamble = cases.preamble(v, search, sort)
    stub = ui.file_stub(v, "cases")
    d1, d2 = st.columns(2)
    ui.csv_download(
        d1,
        cases.page_label(offset, len(rows)),
        rows,
        [*preamble, cases.page_rows_line(n, offset, len(rows))],
        file_name=f"{stub}-rows-{offset + 1}-{offset + len(rows)}.csv",
        key="csv_page",
    )
    if n > cases.FULL_DOWNLOAD_MAX:
        d2.caption(ui.md(cases.too_many(n)))
        return

    def every_row() -> bytes:  # built only when clicked, outside the page's run (no Streamlit call in it)
        return exports.to_csv(cases.all_rows(v, search, sort, n), [*preamble, f"All {n} matching rows"])

    d2.download_button(cases.all_label(n), every_row, file_name=f"{stub}-all.csv", mime="text/csv", key="csv_all")


table()
with st.expander(cases.CODES_HEADING):
    for paragraph in cases.codes_text():
        st.markdown(ui.md(paragraph))
ui.sql_expander(st, "SQL behind this table", ("cases_table", "cases_table_count"), key="sql_cases_table")
