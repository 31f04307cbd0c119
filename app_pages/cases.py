"""Cases: the filtered cases, searchable, sorted by any column over every matching case, a page at a
time (search, sort and paging run in SQL), each with links to its page on the registry's site and to
its case view here, and downloads of the rows shown or of every matching row. The search, the sort and
the page live in the URL (q, sort, dir, page); the search, sort and pager are one fragment that reruns
only the list. `/cases?case=<ID>` is one case, every field decoded."""

import streamlit as st

from exonerations import exports, ui
from exonerations.findings import cases

v = ui.view()
ss = st.session_state
KIND_CONFIG = {
    cases.TEXT: lambda c: st.column_config.TextColumn(c.label, help=c.help or None, pinned=c.key == "name"),
    cases.NUMBER: lambda c: st.column_config.NumberColumn(
        c.label, help=c.help or None, format="%.1f" if c.key == "years_lost" else "%d"
    ),
    cases.YEAR: lambda c: st.column_config.NumberColumn(c.label, help=c.help or None, format="%d"),
    cases.DATE: lambda c: st.column_config.DateColumn(c.label, help=c.help or None, format="YYYY-MM-DD"),
    cases.YES_NO: lambda c: st.column_config.TextColumn(c.label, help=c.help or None),
}


def url_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def column_config(v) -> dict:
    config = {c.label: KIND_CONFIG[c.kind](c) for c in cases.columns(v)}
    config[cases.CASE_PAGE] = st.column_config.LinkColumn(
        display_text=cases.CASE_PAGE_TEXT, width="small", help=cases.CASE_PAGE_HELP
    )
    config[cases.DETAILS] = st.column_config.LinkColumn(
        display_text=cases.DETAILS_TEXT, width="small", help=cases.DETAILS_HELP
    )
    return config


def back_to_list() -> None:
    """The list the case was opened from: the same URL without `case` (filters, search, sort and page kept)."""
    st.query_params.pop(cases.CASE, None)


def case_view(case_id: str) -> None:
    """One case, every field decoded, with its registry link and the way back to the list."""
    st.button(cases.BACK, icon=":material/arrow_back:", on_click=back_to_list, type="tertiary", key="cases_back")
    row = cases.case(v, case_id)
    if row is None:
        st.title(cases.TITLE)
        st.info(ui.md(cases.unknown_case(case_id)))
        return
    st.title(ui.md(cases.case_title(row)))
    st.caption(ui.md(cases.case_summary(row)))
    url = cases.case_url(row)
    if url:
        st.link_button(cases.REGISTRY_LINK, url, icon=":material/open_in_new:")
    ui.notes(cases.case_notes(v, row))
    left, right = st.columns(2, gap="large")
    sections(left, cases.case_facts(v, row))
    sections(right, cases.case_coding(v, row))
    more = cases.case_accountability(v, row)
    if more:
        st.header(cases.ACCOUNTABILITY_HEADING)
        left, right = st.columns(2, gap="large")
        sections(left, more[::2])
        sections(right, more[1::2])
    note = cases.accountability_note(v)
    if note:
        st.caption(ui.md(note))


def sections(target, items) -> None:
    with target:
        for section in items:
            st.subheader(ui.md(section.heading))
            ui.table(section.frame, section.heading)
            if section.note:
                st.caption(ui.md(section.note))


def seed_from_url() -> None:
    """Set the list's widgets from the link, once each time the list appears (not on its own reruns)."""
    if "cases_q" in ss:
        return
    state = cases.list_state(url_params())
    ss["cases_q"] = state.search or ""
    ss["cases_sort"] = state.sort if state.sort in cases.sorts(v) else cases.DEFAULT_SORT
    ss["cases_dir"] = state.direction
    ss.pop("cases_page", None)
    if state.page > 1:
        ss["cases_page"] = state.page
    ss["cases_filters"] = v.filters.query_params()


def first_page() -> None:
    ss.pop("cases_page", None)


def new_sort() -> None:
    """Another column: shown first in its natural order (A to Z, largest or latest first), from page 1."""
    ss["cases_dir"] = cases.natural_direction(ss["cases_sort"])
    first_page()


def keep_in_url(state: cases.ListState) -> None:
    """The URL says what the list shows, so a copied link opens on the same rows."""
    wanted = state.params()
    for key in (cases.Q, cases.SORT, cases.DIR, cases.PAGE):
        if st.query_params.get(key) != wanted.get(key):
            if key in wanted:
                st.query_params[key] = wanted[key]
            else:
                st.query_params.pop(key, None)


@st.fragment
def case_list() -> None:
    v = ui.view()  # this run's view (a fragment's rerun asks its own queries, not the last full run's)
    if ss.get("cases_filters") != v.filters.query_params():  # new filters: the list starts at page 1
        first_page()
        ss["cases_filters"] = v.filters.query_params()
    c1, c2, c3 = st.columns([3, 2, 2], vertical_alignment="bottom")
    q = c1.text_input(
        cases.SEARCH_LABEL,
        key="cases_q",
        max_chars=cases.MAX_SEARCH,
        on_change=first_page,
        placeholder=cases.SEARCH_PLACEHOLDER,
        help=cases.SEARCH_HELP,
    )
    sorts = cases.sorts(v)
    sort = c2.selectbox(
        cases.SORT_LABEL,
        list(sorts),
        format_func=sorts.get,
        key="cases_sort",
        on_change=new_sort,
        help=cases.SORT_HELP,
    )
    direction = c3.segmented_control(
        cases.ORDER_LABEL,
        cases.DIRECTIONS,
        format_func=lambda d: cases.direction_label(sort, d),
        key="cases_dir",
        required=True,
        on_change=first_page,
    )
    state = cases.ListState(cases.search_text(q), sort, direction or cases.DEFAULT_DIR)
    n = cases.count(v, state.search)
    if n == 0:
        keep_in_url(state)
        st.info(ui.md(cases.no_match(state.search)))
        return
    slot, offset = ui.pager(n, cases.PAGE_SIZE, "cases_page")
    state = cases.ListState(state.search, state.sort, state.direction, offset // cases.PAGE_SIZE + 1)
    keep_in_url(state)
    rows = cases.page(v, state, offset, details={**v.filters.query_params(), **state.params()})
    with slot:
        st.markdown("**" + ui.md(cases.showing(v, n, offset, len(rows), state.search)) + "**")
        st.caption(ui.md(cases.table_notes(v, len(rows))))
        st.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            key="cases_table",
            height=min(35 * (len(rows) + 1) + 3, 640),
            column_config=column_config(v),
            placeholder="—",
        )
    downloads(v, state, n, offset, rows)


def downloads(v, state: cases.ListState, n: int, offset: int, rows) -> None:
    stub = ui.file_stub(v, "cases")
    d1, d2 = st.columns(2)
    ui.csv_download(
        d1,
        cases.page_label(offset, len(rows)),
        cases.csv_frame(rows),
        file_name=cases.file_name(stub, state, (offset + 1, offset + len(rows))),
        key="csv_page",
    )
    if n > cases.FULL_DOWNLOAD_MAX:
        d2.caption(ui.md(cases.too_many(n)))
    else:

        def every_row() -> bytes:  # built only when clicked, outside the page's run (no Streamlit call in it)
            return exports.to_csv(cases.csv_frame(cases.all_rows(v, state, n)))

        d2.download_button(
            cases.all_label(n), every_row, file_name=cases.file_name(stub, state), mime="text/csv", key="csv_all"
        )
    st.caption(ui.md(cases.download_caption(v, state)))


case_id = cases.case_param(url_params())
if case_id is not None:
    case_view(case_id)
else:
    st.title(cases.TITLE)
    seed_from_url()
    case_list()
    with st.expander(cases.COLUMNS_HEADING):
        for paragraph in cases.columns_text(v):
            st.markdown(ui.md(paragraph))
    ui.sql_expander(st, cases.SQL_LABEL, ("cases_table", "cases_table_count"), key="sql_cases_table")
