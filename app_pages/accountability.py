"""Accountability: of the exonerations with official misconduct, in how many an official was disciplined and
in how many no discipline is known to the registry; by jurisdiction, New York beside the nation, New York's
counties; prosecutors' misconduct at trial, misconduct that did not cause the conviction, extreme judicial
misconduct; how the convictions were obtained and who helped clear them — one tab each."""

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


def places() -> None:
    section("states", acc.states_chart(v))
    notice = acc.state_filter_notice(v)
    if notice and not missing["discipline"]:
        st.info(ui.md(notice), icon=":material/info:")
    section("new_york", acc.compare_chart(v))
    section("counties", acc.counties_chart(v))


def trial() -> None:
    section("trial", acc.trial_chart(v))
    section("not_connected", acc.not_connected_chart(v))
    st.subheader(acc.HEADINGS["judicial"])
    ui.metrics(acc.judicial_metrics(v))
    if missing["judicial"]:
        st.info(ui.md(missing["judicial"]), icon=":material/info:")
    else:
        ui.cautions(acc.judicial_cautions(v))
        ui.notes([acc.judicial_sentence(v)])


def conviction() -> None:
    section("conviction", acc.conviction_chart(v))
    section("cleared", acc.cleared_chart(v))


# The questions, one tab each (a link carries the tab: ?tab=trial); only the open tab is computed and drawn.
ui.question_tabs(
    acc.TABS, {"discipline": discipline, "places": places, "trial": trial, "conviction": conviction}, key="acc_tab"
)
