"""The app as served by `make run`: Streamlit's server for app.py, plus two additions
(exonerations/web.py): the chart library the app's chart element loads, and a hint that spares a
page's URL a failed first connection attempt (~0.1 s). `streamlit run serve.py` runs it; under a
bare `streamlit run app.py` the pages work but the charts say they cannot be drawn."""

import streamlit as st

from exonerations import web

app = st.App("app.py", middleware=web.middleware(), routes=web.routes())
