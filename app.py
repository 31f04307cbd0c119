"""Exoneration Misconduct Explorer — the router and frame: page config, the shared sidebar filters,
the demo banner, then the chosen page. Pages live in app_pages/ and only read widgets, call the data
layer and display."""

import streamlit as st

from exonerations import db, ui

st.set_page_config(page_title="Exoneration Misconduct Explorer", page_icon="⚖️", layout="wide")

PAGES = {
    "Findings": [
        st.Page("app_pages/overview.py", title="Overview", icon=":material/insights:", url_path="overview", default=True),
        st.Page("app_pages/misconduct.py", title="Misconduct", icon=":material/gavel:", url_path="misconduct"),
        st.Page("app_pages/over_time.py", title="Over time", icon=":material/timeline:", url_path="over-time"),
        st.Page("app_pages/geography.py", title="Geography", icon=":material/map:", url_path="geography"),
        st.Page("app_pages/new_york.py", title="New York", icon=":material/location_city:", url_path="new-york"),
        st.Page("app_pages/human_cost.py", title="Human cost", icon=":material/hourglass_bottom:", url_path="human-cost"),
    ],
    "Cite and explore": [
        st.Page("app_pages/cases.py", title="Cases", icon=":material/table_view:", url_path="cases"),
        st.Page("app_pages/claims.py", title="Claims, checked", icon=":material/fact_check:", url_path="claims"),
        st.Page("app_pages/briefing.py", title="Briefing pack", icon=":material/slideshow:", url_path="briefing"),
        st.Page("app_pages/sql_console.py", title="SQL console", icon=":material/terminal:", url_path="sql"),
        st.Page("app_pages/methodology.py", title="Methodology & data", icon=":material/menu_book:", url_path="methodology"),
    ],
}

try:
    registry = ui.registry()
except db.DatabaseError as e:
    st.error(str(e))
    st.stop()

page = st.navigation(PAGES)
ui.sidebar_filters(registry)
ui.sidebar_footer(registry.meta)
ui.demo_banner(registry.meta)
ui.url_notices()
page.run()
