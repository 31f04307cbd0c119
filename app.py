"""Exoneration Misconduct Explorer — the router and frame: page config, the shared sidebar filters,
the demo banner, then the chosen page. Pages live in app_pages/ and only read widgets, call the data
layer and display."""

import streamlit as st

from exonerations import db, ui

st.set_page_config(page_title="Exoneration Misconduct Explorer", page_icon="⚖️", layout="wide")

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon="📊", url_path="overview", default=True),
]

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
