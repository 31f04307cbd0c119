"""Overview: the headline figure, the contributing factors compared, the misconduct share, and how the
registry grew."""

import streamlit as st

from exonerations import ui
from exonerations.findings import overview

v = ui.view()
st.title(overview.TITLE)
if v.total == 0:
    ui.no_cases()

ui.headline(overview.headline(v))
for chart in (overview.factors_chart(v), overview.misconduct_share_chart(v), overview.growth_chart(v)):
    if chart:
        ui.chart(chart, v)
