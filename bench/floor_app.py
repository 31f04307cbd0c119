"""Benchmark reference "floor": the least a Streamlit page with a Plotly chart can cost on this machine.

One heading, one tiny Plotly chart, and the two sidebar selectboxes the benchmark changes ("DNA
exoneration", "Death sentence") so a filter change can be timed the same way as in the app. It reads
no data. The benchmark (`python -m bench`) shows its figures beside the app's.
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="Benchmark floor", layout="wide")

CHOICES = ["Any", "Yes", "No"]
dna = st.sidebar.selectbox("DNA exoneration", CHOICES)
death = st.sidebar.selectbox("Death sentence", CHOICES)

st.markdown(f"### Floor: one tiny chart (DNA: {dna}, death sentence: {death})")
fig = go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 2 + CHOICES.index(dna), 3 + CHOICES.index(death)]))
fig.update_layout(height=240, margin={"l": 20, "r": 20, "t": 20, "b": 20})
st.plotly_chart(fig, width="stretch")
