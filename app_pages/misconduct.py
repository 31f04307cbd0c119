"""Misconduct: who committed it (actor), what was done (kind), police and prosecutors together, which
kinds occur together, and where the misconduct share is higher (worst crime, race, DNA, death sentence)."""

import streamlit as st

from exonerations import ui
from exonerations.findings import misconduct

v = ui.view()
st.title(misconduct.TITLE)
if v.total == 0:
    ui.no_cases()
if misconduct.unavailable(v):
    ui.cautions([misconduct.unavailable(v)])
    st.stop()

ui.headline(misconduct.headline(v))


def who() -> None:
    st.subheader(misconduct.HEADINGS["actors"])
    ui.chart(misconduct.actors_chart(v), v)
    st.subheader(misconduct.HEADINGS["kinds"])
    ui.chart(misconduct.kinds_chart(v), v)
    with st.expander(misconduct.DEFINITIONS_LABEL):
        ui.table(misconduct.kind_definitions(), misconduct.DEFINITIONS_LABEL)


def together() -> None:
    st.subheader(misconduct.HEADINGS["together"])
    ui.chart(misconduct.together_chart(v), v)
    st.subheader(misconduct.HEADINGS["cooccurrence"])
    ui.chart(misconduct.cooccurrence_chart(v), v)


def where() -> None:
    st.subheader(misconduct.HEADINGS["where"])
    if misconduct.where_message(v):
        st.info(ui.md(misconduct.where_message(v)))
        return
    for dimension in misconduct.GROUPS:
        chart = misconduct.group_chart(v, dimension)
        if chart:
            ui.chart(chart, v)
        elif misconduct.group_message(v, dimension):
            st.info(ui.md(misconduct.group_message(v, dimension)))


# The questions, one tab each (a link carries the tab: ?tab=where); only the open tab is computed and drawn.
shown = misconduct.tabs(v)
if len(shown) == 1:
    where()
else:
    ui.question_tabs(shown, {"who": who, "together": together, "where": where}, key="misconduct_tab")
