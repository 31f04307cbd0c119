"""Geography: every state (and the federal courts, DC and the territories) on a tile-grid map of the US
that needs no internet access, and the counties (or federal districts) of a chosen state.

The map, its measure and the county picker are one fragment: a click on a tile, a new measure or a new
state reruns only them (the map outlines the chosen state, so it belongs with the picker)."""

import streamlit as st

from exonerations import findings, ui
from exonerations.findings import geography

v = ui.view()
ss = st.session_state

st.title(geography.TITLE)
states = geography.states(v)
if states.empty:
    ui.no_cases()

# The state whose counties are shown, kept in the URL as `county_state`.
options = geography.choices(states)
fallback = geography.largest(states)
if "geo_county_state" not in ss:
    wanted = st.query_params.get("county_state")
    if wanted and wanted not in options:
        st.info(ui.md(geography.link_notice(wanted, fallback)), icon=":material/link:")
    ss["geo_county_state"] = wanted if wanted in options else fallback
elif ss["geo_county_state"] not in options:
    ss["geo_county_state"] = fallback

# What the map is coloured by, kept in the URL as `measure`.
has_om = v.has("official_misconduct")
if "geo_measure" not in ss or not has_om:
    ss["geo_measure"] = geography.measure(v, st.query_params.get("measure"))

MAP_BUTTONS_OFF = ["select2d", "lasso2d", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d"]


def choose(picked) -> None:
    """A click on a tile chooses its jurisdiction for the counties below (a click that clears the
    selection keeps the choice)."""
    if picked in options:
        ss["geo_county_state"] = picked


def keep_in_url(key: str, value: str) -> None:
    if st.query_params.get(key) != value:
        st.query_params[key] = value


@st.fragment
def map_and_counties() -> None:
    measure = (
        st.segmented_control(
            "Colour the map by",
            list(geography.MEASURES),
            format_func=geography.MEASURES.get,
            key="geo_measure",
            disabled=not has_om,
            required=True,
            help=None if has_om else geography.NO_OM,
        )
        or "count"
    )
    keep_in_url("measure", measure)
    chart = geography.map_chart(v, measure, ss["geo_county_state"])
    config = {**ui.plotly_config(chart, ui.file_stub(v, chart.key)), "modeBarButtonsToRemove": MAP_BUTTONS_OFF}
    ui.chart(chart, v, on_select=choose, config=config)

    st.subheader(geography.COUNTIES_HEADING)
    choice = st.selectbox(
        "State or jurisdiction",
        options,
        key="geo_county_state",
        help="Federal cases are grouped by federal district instead of county.",
    )
    keep_in_url("county_state", choice)
    counties = geography.counties_chart(v, choice)
    if counties is None:
        st.info(ui.md(findings.NO_CASES))
    else:
        ui.chart(counties, v)


map_and_counties()
