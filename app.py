"""Exoneration Misconduct Explorer — the router and frame: page config, the shared sidebar filters,
the demo banner, then the chosen page. Pages are listed once in exonerations/pages.py and live in
app_pages/, where they only read widgets, call the findings layer and display.

Run it with `streamlit run app.py` (or `make run`)."""

import streamlit as st

from exonerations import db, pages, runs, ui

st.set_page_config(page_title=pages.APP_NAME, page_icon="⚖️", layout="wide")

# This process runs two scripts at a time, the others wait their turn (runs.Turns); what a run leaves is then
# set aside from the garbage collection that Streamlit runs after it (runs.Collector).
with runs.TURNS.turn():
    ui.ensure_database()  # a first start with no database builds one, as `make run` does
    ui.begin_run()  # this run reads one version of the data, whatever an import does meanwhile
    try:
        registry = ui.registry()
    except db.DatabaseError as e:
        ui.database_error(e)  # one sentence on every page: what is wrong, how to recover

    nav = {
        section: [
            st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=p is pages.DEFAULT)
            for p in members
        ]
        for section, members in pages.sections().items()
    }
    page = st.navigation(nav, position="hidden")  # the sidebar's own links below: plain links, no list markup
    ui.follow_switch()
    st.set_page_config(page_title=pages.BY_TITLE[page.title].browser_title)  # each page its own browser title
    st.session_state["_page_title"] = page.title
    menu = st.sidebar.container()
    filters = ui.sidebar_filters(registry)
    ui.sidebar_menu(menu, nav, filters)
    ui.sidebar_footer(registry.meta)
    ui.responsive_styles()
    ui.private_banner()
    ui.demo_banner(registry.meta)
    ui.url_notices()
    try:
        page.run()
    except db.DatabaseError as e:  # the file became unreadable after it was opened
        st.error(ui.md(str(e)), icon=":material/database:")
    runs.COLLECTOR.end_run()
