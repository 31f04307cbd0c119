"""bench/element_app.py served as `make run` serves the app (serve.py): with the route of the chart
library that the app's chart element loads. `bench/elements.py` runs it."""

import streamlit as st

from exonerations import web

app = st.App("element_app.py", routes=web.routes())
