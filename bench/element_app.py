"""Benchmark page for `bench/elements.py`: the floor (bench/floor_app.py) plus `n` copies of one kind
of element, chosen in the URL (`?kind=chart&n=3`), so the browser cost of each kind can be measured
as "this page − the floor". The elements are the ones the app's pages are made of, built the way the
app builds them; the charts' numbers follow the sidebar selectboxes, so a filter change redraws them
as it redraws the app's charts. `chart` is the app's chart element (`chart_view`, served through
bench/element_serve.py), `st_chart` the same figure in `st.plotly_chart`. `?panel=1` adds an open filter panel like the app's (the same seven
widgets below the two selectboxes).
"""

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from exonerations import chart_view, charts, ui  # noqa: E402 — the app's package, next to bench/

KINDS = ("none", "chart", "st_chart", "dataframe", "metric", "markdown", "caption", "below_chart", "download", "expander")

st.set_page_config(page_title="Benchmark elements", layout="wide")

CHOICES = ["Any", "Yes", "No"]
dna = st.sidebar.selectbox("DNA exoneration", CHOICES)
death = st.sidebar.selectbox("Death sentence", CHOICES)
if st.query_params.get("panel"):
    box = st.sidebar.expander("Filters", expanded=True)
    box.date_input("Data as of (posting date)", value=dt.date(2026, 6, 25), format="YYYY-MM-DD")
    box.slider("Year of exoneration", min_value=1989, max_value=2026, value=(1989, 2026))
    box.multiselect("State or jurisdiction", [f"State {i}" for i in range(56)], placeholder="All")
    box.multiselect("Worst crime", [f"Crime {i}" for i in range(40)], placeholder="All")
    box.multiselect("Race of exoneree", [f"Race {i}" for i in range(8)], placeholder="All")
    box.multiselect("Sex of exoneree", ["Male", "Female"], placeholder="All")
    box.checkbox("Include cases exonerated before 1989")

st.markdown(f"### Floor: one tiny chart (DNA: {dna}, death sentence: {death})")
fig = go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 2 + CHOICES.index(dna), 3 + CHOICES.index(death)]))
fig.update_layout(height=240, margin={"l": 20, "r": 20, "t": 20, "b": 20})
st.plotly_chart(fig, width="stretch")

kind = st.query_params.get("kind", "none")
if kind not in KINDS:
    st.error(f"Unknown kind {kind!r}: use one of {', '.join(KINDS)}.")
    st.stop()
n = max(0, min(int(st.query_params.get("n", "1") or 1), 50))
shift = 10 * CHOICES.index(dna) + CHOICES.index(death)
factors = pd.DataFrame({"label": [f"Contributing factor {i}" for i in range(9)],
                        "cases": [100 * i + 7 + shift for i in range(9)]})
factors["share"] = factors["cases"] / 4000
cap = charts.Caption("Official misconduct played a role in 61% of exonerations",
                     "Cases with each contributing factor, of 3,776 exonerations", "2026-06-25")
table = pd.DataFrame({f"Column {j}": [f"value {r}-{j}" for r in range(25)] for j in range(8)})
cols = []
for i in range(n):
    if kind == "chart":
        chart_view.show(chart_view.spec(pio.to_json(charts.share_bars(factors, cap, total=4000), validate=False),
                                        ui.PLOTLY_CONFIG), key=f"chart_{i}")
    elif kind == "st_chart":
        st.plotly_chart(charts.share_bars(factors, cap, total=4000), width="stretch", config=ui.PLOTLY_CONFIG,
                        key=f"chart_{i}")
    elif kind == "dataframe":
        st.dataframe(table, hide_index=True, width="stretch", key=f"table_{i}")
    elif kind == "metric":
        if i % 4 == 0:
            cols = st.columns(4)
        cols[i % 4].metric("Exonerations", f"{3776 + shift:,}")
    elif kind == "markdown":
        st.markdown(f"Paragraph {i} with **bold** text and a [link](https://example.org).")
    elif kind == "caption":
        st.caption(f"Caption {i}: what the chart shows, its denominator and its source.")
    elif kind == "below_chart":  # the row under each of the app's charts (ui.show_chart)
        c1, c2 = st.columns([1, 3])
        c1.download_button("Data (CSV)", lambda: "a,b\n", file_name="data.csv", key=f"csv_{i}")
        c2.expander("SQL behind this chart", key=f"sql_{i}", on_change="rerun")
    elif kind == "download":  # the parts of that row on their own
        st.download_button("Data (CSV)", lambda: "a,b\n", file_name="data.csv", key=f"csv_{i}")
    elif kind == "expander":
        st.expander("SQL behind this chart", key=f"sql_{i}", on_change="rerun")
