"""SQL console: your own read-only query on the registry data, in a sandbox (one SELECT, no files or
settings, a time limit and a row cap)."""

import re

import streamlit as st

from exonerations import sandbox, ui

MAX_LINK_SQL = 4000  # longer queries are not put in the URL

ctx = ui.context()
meta = ctx.meta
ss = st.session_state

st.title("SQL console")
st.markdown(
    "Ask the data your own question in SQL ([DuckDB dialect](https://duckdb.org/docs/sql/introduction)).\n\n"
    "- **`cases`** is the table: one row per exoneration.\n"
    "- **`filtered(as_of, year_from, year_to, states, crimes, races, sexes, dna, death_sentence, include_pre_1989)`** "
    "returns the cases that pass the same filters as the sidebar — `null` means no limit; pre-1989 cases are left "
    "out unless the last argument is `true`.\n"
    "- Factor and misconduct columns are `true` (coded Yes), `false` (No) or `null` (not coded): count them with "
    "`count(*) filter (where official_misconduct)`."
)
st.page_link("app_pages/methodology.py", label="Every column, code and the SQL behind each chart: Methodology & data",
             icon=":material/menu_book:")
st.caption(
    f"Sandbox: one `select` (or `with … select`) statement at a time, read-only; no files, network, extensions or "
    f"settings. A query is stopped after {sandbox.TIME_LIMIT:g} seconds and at most {sandbox.ROW_CAP:,} rows come "
    "back."
)
st.html("<style>.st-key-sql_text textarea { font-family: 'Source Code Pro', ui-monospace, monospace; "
        "font-size: 0.9rem; }</style>")

if "sql_text" not in ss:
    linked = st.query_params.get("sql")  # a shared link carries its query
    ss["sql_text"] = linked[:MAX_LINK_SQL] if linked else sandbox.EXAMPLE


def _load_example() -> None:
    name = ss.get("sql_example")
    if name in sandbox.EXAMPLES:
        ss["sql_text"] = sandbox.EXAMPLES[name]


def _use_filters() -> None:
    ss["sql_text"] = (f"-- The cases that pass the sidebar's filters ({ctx.filters.describe() or 'no filters'}).\n"
                      f"select *\nfrom {sandbox.filtered_call(ctx.params)}\nlimit 100\n")


c1, c2 = st.columns([2, 1], vertical_alignment="bottom")
c1.selectbox("Start from an example", list(sandbox.EXAMPLES), index=None, key="sql_example",
             placeholder="Choose an example query…", on_change=_load_example)
c2.button("Start from the sidebar's filters", on_click=_use_filters, width="stretch",
          help="Writes the current sidebar filters as a `filtered(...)` call you can build on.")

with st.form("sql_form", border=False):
    st.text_area("SQL", key="sql_text", height=280, label_visibility="collapsed",
                 placeholder="select * from cases limit 10")
    run = st.form_submit_button("Run", type="primary", icon=":material/play_arrow:")

if run or "_sql_result" not in ss:  # the example runs on the first visit, so the page starts with a result
    sql = ss.get("sql_text", "")
    try:
        with st.spinner("Running…"):
            res = sandbox.run(ui.db_path(), sql)
        ss["_sql_result"] = {"sql": sql, "result": res, "error": None, "file": meta.sha256}
        if len(sql) <= MAX_LINK_SQL:
            st.query_params["sql"] = sql  # the page's URL now reproduces this query
    except sandbox.SandboxError as e:
        ss["_sql_result"] = {"sql": sql, "result": None, "error": str(e), "file": meta.sha256}

out = ss.get("_sql_result")
if out is not None:
    if out["error"]:
        st.error(out["error"])
    else:
        res = out["result"]
        notice = (f"first {res.rows:,} rows" if res.truncated else f"{res.rows:,} row{'s' if res.rows != 1 else ''}")
        notice += f" · {res.elapsed_ms:,.0f} ms"
        if out["file"] != meta.sha256:
            notice += " · run on the file loaded before: run it again for the current data"
        st.caption(notice)
        if res.truncated:
            st.warning(f"The result has more than {res.row_cap:,} rows: only the first {res.row_cap:,} are shown "
                       "and in the download. Aggregate, filter or add a `limit` to see it all.", icon=":material/content_cut:")
        if res.frame.empty:
            st.info("The query ran and returned no rows." if len(res.frame.columns) else "The query returned nothing.")
        else:
            st.dataframe(res.frame, hide_index=True, width="stretch", height=min(600, 38 + 35 * res.rows))
        if len(res.frame.columns):
            first = next((ln for ln in out["sql"].splitlines() if ln.strip() and not ln.strip().startswith("--")), "")
            stub = re.sub(r"[^a-z0-9]+", "-", first.lower()).strip("-")[:40] or "query"
            ui.csv_download(st, "Results (CSV)", res.frame,
                            file_name=f"exonerations-sql-{meta.posting_max or 'data'}-{stub}.csv", key="sql_csv")
        if meta.is_demo:
            st.caption("Synthetic demo data: these rows are not real cases.")
