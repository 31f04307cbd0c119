"""Briefing pack: for the sidebar's filters, a PowerPoint deck with native, editable charts and a one-page
printable fact sheet, laid out from the same blocks; the slides listed from the deck's own list, both
downloads and a preview of the fact sheet."""

import streamlit as st

from exonerations import brief, findings, ui
from exonerations.findings import briefing

v = ui.view()
st.title(briefing.PAGE_TITLE)
st.markdown(ui.md(briefing.PAGE_INTRO))
if v.is_demo:
    st.warning(ui.md(briefing.DEMO_WARNING), icon=":material/warning:")
if v.total == 0:
    ui.no_cases()

b, sheet = brief.page_pack(v, ui.app_url())
ui.cautions(findings.cautions(findings.small_caution(b.total)))
st.markdown(ui.md(briefing.page_scope(b.v)))

stub = ui.file_stub(b.v, "briefing")
buttons = st.container(horizontal=True)  # the buttons wrap onto a second line, never clipped
buttons.download_button(
    briefing.DECK_BUTTON,
    lambda: brief.deck(b),
    file_name=f"{stub}.pptx",
    type="primary",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    key="deck_pptx",
    icon=":material/slideshow:",
)
buttons.download_button(
    briefing.SHEET_BUTTON,
    sheet.encode("utf-8"),
    file_name=f"{stub}.html",
    mime="text/html",
    key="factsheet_html",
    icon=":material/description:",
)
st.caption(ui.md(briefing.PRINT_HINT))

with st.expander(briefing.CONTENTS_LABEL):
    st.markdown("\n".join(f"{n}. {ui.md(title)}" for n, title in enumerate(brief.slide_titles(b), 1)))
    st.caption(ui.md(briefing.COLOURS_NOTE))

st.subheader(briefing.PREVIEW_HEADING)
st.caption(ui.md(briefing.PREVIEW_CAPTION))
st.iframe(sheet, height=1150)  # the sheet is rendered by Jinja2 with autoescaping: every value in it is escaped
st.caption(ui.md(briefing.CLI_CAPTION))
