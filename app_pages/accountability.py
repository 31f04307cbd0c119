"""Accountability: of the exonerations with official misconduct, in how many an official was disciplined and
in how many no discipline is known to the registry; by jurisdiction, New York beside the nation, New York's
counties; prosecutors' misconduct at trial, misconduct that did not cause the conviction, extreme judicial
misconduct; how the convictions were obtained and who helped clear them — one tab each."""

import functools

import streamlit as st

from exonerations import ui
from exonerations.findings import accountability as acc

v = ui.view()
st.title(acc.TITLE)
st.markdown(ui.md(acc.INTRO))
if v.total == 0:
    ui.no_cases()

ui.headline(acc.headline(v))
missing = acc.sections(v)


def section(key: str, *charts) -> None:
    """A section's heading, then its charts — or the sentence saying the file lacks its column."""
    st.subheader(acc.HEADINGS[key])
    if missing[key]:
        st.info(ui.md(missing[key]), icon=":material/info:")
        return
    drawn = [chart for chart in charts if chart]
    for chart in drawn:
        ui.chart(chart, v)
    if not drawn:
        st.info(ui.md(acc.nothing(key)), icon=":material/info:")


def discipline() -> None:
    section("discipline", acc.split_chart(v), acc.kinds_chart(v))
    if not missing["discipline"]:
        with st.expander(acc.DEFINITIONS_LABEL):
            ui.table(acc.definitions(), acc.DEFINITIONS_LABEL)


def states() -> None:
    section("states", acc.states_chart(v))
    notice = acc.state_filter_notice(v)
    if notice and not missing["discipline"]:
        st.info(ui.md(notice), icon=":material/info:")


def judicial() -> None:
    st.subheader(acc.HEADINGS["judicial"])
    ui.metrics(acc.judicial_metrics(v))
    if missing["judicial"]:
        st.info(ui.md(missing["judicial"]), icon=":material/info:")
    else:
        ui.cautions(acc.judicial_cautions(v))
        ui.notes([acc.judicial_sentence(v)])


# Each section (the keys of acc.HEADINGS), drawn only when its tab is open.
SECTIONS = {
    "discipline": discipline,
    "states": states,
    "new_york": lambda: section("new_york", acc.compare_chart(v)),
    "counties": lambda: section("counties", acc.counties_chart(v)),
    "trial": lambda: section("trial", acc.trial_chart(v)),
    "not_connected": lambda: section("not_connected", acc.not_connected_chart(v)),
    "judicial": judicial,
    "conviction": lambda: section("conviction", acc.conviction_chart(v)),
    "cleared": lambda: section("cleared", acc.cleared_chart(v)),
}


def draw_tab(tab: str) -> None:
    for key in acc.TAB_SECTIONS[tab]:
        SECTIONS[key]()


# The questions, one tab each (a link carries the tab: ?tab=trial); only the open tab is computed and drawn.
ui.question_tabs(acc.TABS, {tab: functools.partial(draw_tab, tab) for tab in acc.TABS}, key="acc_tab")
