"""Over time: exonerations per year of exoneration (or per 5-year period) with the share involving
official misconduct, and the years exonerees lost, per year of exoneration."""

import streamlit as st

from exonerations import ui
from exonerations.findings import over_time

v = ui.view()
st.title(over_time.TITLE)
if v.total == 0:
    ui.no_cases()
if over_time.unavailable(v):
    st.info(ui.md(over_time.unavailable(v)))
    st.stop()

ui.headline(over_time.headline(v))

if "over_time_period" not in st.session_state:  # a shared link carries the choice (?period=5)
    st.session_state["over_time_period"] = over_time.FIVE if st.query_params.get("period") == "5" else over_time.SINGLE
grouping = (
    st.segmented_control(
        over_time.PERIOD_LABEL, [over_time.SINGLE, over_time.FIVE], key="over_time_period", help=over_time.PERIOD_HELP
    )
    or over_time.SINGLE
)
period = 5 if grouping == over_time.FIVE else 1
if period == 5:
    st.query_params["period"] = "5"
else:
    st.query_params.pop("period", None)

ui.chart(over_time.by_year_chart(v, period), v)

st.subheader(over_time.years_lost_heading(period))
if over_time.years_lost_message(v, period):
    st.info(ui.md(over_time.years_lost_message(v, period)))
else:
    ui.chart(over_time.years_lost_chart(v, period), v)
