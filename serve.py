"""The app as served by `make run`: Streamlit's server for app.py, plus one addition
(exonerations/web.py) that spares a page's URL a failed first connection attempt (~0.1 s).
`streamlit run serve.py` runs it; `streamlit run app.py` still works, without the addition."""

import streamlit as st

from exonerations import web

app = st.App("app.py", middleware=web.middleware())
