"""SQL console: your own read-only query on the registry data, in a sandbox (one SELECT, no files or
settings, a time limit and a row cap). A query arriving in a link is shown, and runs when you press Run."""

from urllib.parse import urlencode

import streamlit as st

from exonerations import sandbox, ui

# A query goes into the page's link only while the link stays short: the web server refuses a request
# whose head passes 16 KiB when it arrives in parts (as it does over a network), before the app runs.
MAX_LINK_BYTES = 6000  # the query's part of the link, as the browser writes it (%-encoded)

v = ui.view()
ss = st.session_state

st.title("SQL console")
st.markdown(
    "Ask the data your own question in SQL ([DuckDB dialect](https://duckdb.org/docs/sql/introduction)).\n\n"
    "- **`cases`** is the table: one row per exoneration.\n"
    "- **`filtered(as_of, year_from, year_to, states, crimes, races, sexes, dna, death_sentence, include_pre_1989)`** "
    "returns the cases that pass the same filters as the sidebar — `null` means no limit; pre-1989 cases are left "
    "out unless the tenth argument is `true`; two optional named arguments, `f_conviction_forms := ['plea']` and "
    "`f_ciu := true`, limit how the conviction was obtained and whether a conviction integrity unit was involved.\n"
    "- Factor and misconduct columns are `true` (coded Yes), `false` (No) or `null` (not coded): count them with "
    "`count(*) filter (where official_misconduct)`."
)
st.page_link("app_pages/methodology.py", label="Methodology & data", icon=":material/menu_book:")
st.caption("Every column and code of the `cases` table, and the SQL behind each chart, are on Methodology & data.")
st.caption(
    f"Sandbox: one `select` (or `with … select`) statement at a time, read-only; no files, network, extensions or "
    f"settings. A query is stopped after {sandbox.TIME_LIMIT:g} seconds or at {sandbox.ADDRESS_SPACE_MB:,} MB of "
    f"memory, and at most {sandbox.ROW_CAP:,} rows ({sandbox.MAX_RESULT_MB} MB) come back."
)


def load_example() -> None:
    name = ss.get("sql_example")
    if name in sandbox.EXAMPLES:
        ss["sql_text"] = sandbox.EXAMPLES[name]


def use_filters() -> None:
    ss["sql_text"] = sandbox.filtered_example(v.params, v.filters.describe())


@st.fragment
def console() -> None:
    if "sql_text" not in ss:
        linked = st.query_params.get("sql")  # a shared link carries its query; it runs when Run is pressed
        ss["sql_text"] = (
            linked[: sandbox.MAX_SQL_CHARS] if linked else sandbox.filtered_example(v.params, v.filters.describe())
        )
        ss["_sql_from_link"] = bool(linked)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox(
            "Start from an example",
            list(sandbox.EXAMPLES),
            index=None,
            key="sql_example",
            placeholder="Choose an example query…",
            on_change=load_example,
            width=320,
        )
        st.button(
            "Start from the sidebar's filters",
            on_click=use_filters,
            width="content",
            help="Writes the current sidebar filters as a `filtered(...)` call you can build on.",
        )
    with st.form("sql_form", border=False):
        st.text_area("SQL", key="sql_text", height=280, placeholder="select * from cases limit 10")
        run = st.form_submit_button("Run", type="primary", icon=":material/play_arrow:")
    run = run or ss.pop("_sql_run_now", False)  # a chart's query, opened here with its filters written in
    if not run and "_sql_result" not in ss and not ss.get("_sql_from_link"):
        ss["_sql_result"] = ui.run_sql(ss["sql_text"], opening=True)  # the page starts with a result
    if run:
        ss["_sql_from_link"] = False
        sql = ss.get("sql_text", "")
        with st.spinner("Running…"):
            ss["_sql_result"] = ui.run_sql(sql)
        if len(urlencode({"sql": sql})) <= MAX_LINK_BYTES:
            st.query_params["sql"] = sql  # the page's URL now reproduces this query
        else:
            st.query_params.pop("sql", None)
            st.caption(
                "This query is too long to share as a link (links stay short enough for any web server): "
                "copy its text instead."
            )
    if ss.get("_sql_from_link"):
        st.info("This query came with the link you opened. Read it, then press Run to run it.", icon=":material/link:")
        return
    show_result(ss.get("_sql_result"))


def show_result(out: dict | None) -> None:
    if out is None:
        return
    if out["error"]:
        st.error(ui.md(out["error"]))
        return
    res = out["result"]
    st.caption(
        sandbox.result_notice(res)
        + (
            " · run on the file loaded before: run it again for the current data"
            if out["file"] != v.meta.sha256
            else ""
        )
    )
    if res.truncated:
        st.warning(
            f"The result has more than {res.row_cap:,} rows: only the first {res.row_cap:,} are shown and in "
            "the download. Aggregate, filter or add a `limit` to see it all.",
            icon=":material/content_cut:",
        )
    if res.frame.empty:
        st.info("The query ran and returned no rows." if len(res.frame.columns) else "The query returned nothing.")
        return
    st.dataframe(res.frame, hide_index=True, width="stretch", height=min(600, 38 + 35 * res.rows))
    ui.csv_download(
        st,
        "Results (CSV)",
        res.frame,
        key="sql_csv",
        file_name=f"exonerations-sql-{v.meta.posting_max or 'data'}-{sandbox.file_stub(out['sql'])}.csv",
    )
    if v.is_demo:
        st.caption("Synthetic demo data: these rows are not real cases.")


console()
