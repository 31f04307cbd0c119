"""Benchmark reference "peer": a typical pandas dashboard over the same cases, written the way most
Streamlit dashboards are.

On every rerun it re-reads the whole CSV with pandas (no caching), filters with pandas, draws three
Plotly Express charts and a table of the most recent matching cases. The CSV is the `cases` table of
the database the app is benchmarked on, written out by `bench/data.py` (path in `PEER_CSV`), so both
read the same rows. The sidebar has the same "DNA exoneration" and "Death sentence" selectboxes as the
app, so the benchmark changes a filter here exactly as it does in the app.
"""

import os

import pandas as pd
import plotly.express as px
import streamlit as st

st.set_page_config(page_title="Benchmark peer (pandas dashboard)", layout="wide")

csv_path = os.environ.get("PEER_CSV")
if not csv_path or not os.path.isfile(csv_path):
    st.error("Set PEER_CSV to a CSV of the cases table (python -m bench does this).")
    st.stop()

df = pd.read_csv(csv_path)

FACTORS = {
    "official_misconduct": "Official misconduct",
    "perjury_or_false_accusation": "Perjury or false accusation",
    "mistaken_witness_id": "Mistaken witness ID",
    "false_or_misleading_forensic_evidence": "False or misleading forensic evidence",
    "inadequate_legal_defense": "Inadequate legal defense",
    "false_confession": "False confession",
}


def flag(col: str) -> pd.Series:
    return df[col].eq(True) if col in df else pd.Series(False, index=df.index)


CHOICES = ["Any", "Yes", "No"]
states = st.sidebar.multiselect("State or jurisdiction", sorted(df["state"].dropna().unique()), placeholder="All")
dna = st.sidebar.selectbox("DNA exoneration", CHOICES)
death = st.sidebar.selectbox("Death sentence", CHOICES)

mask = ~flag("pre_1989")
if states:
    mask &= df["state"].isin(states)
if dna != "Any":
    mask &= flag("dna") == (dna == "Yes")
if death != "Any":
    mask &= flag("death_sentence") == (death == "Yes")
f = df[mask]

total = len(f)
om = int(f["official_misconduct"].eq(True).sum())
st.title("Exonerations dashboard")
st.markdown(f"### Official misconduct played a role in **{om:,}** of **{total:,}** exonerations")
if total == 0:
    st.info("No cases match these filters.")
    st.stop()

factors = pd.DataFrame(
    {"factor": list(FACTORS.values()), "share": [f[c].eq(True).sum() / total for c in FACTORS]}
).sort_values("share")
st.plotly_chart(px.bar(factors, x="share", y="factor", orientation="h", title="Contributing factors"), width="stretch")

by_year = (
    f.assign(misconduct=f["official_misconduct"].eq(True).map({True: "With misconduct", False: "Without"}))
    .groupby(["exoneration_year", "misconduct"])
    .size()
    .reset_index(name="cases")
)
st.plotly_chart(
    px.bar(by_year, x="exoneration_year", y="cases", color="misconduct", title="Exonerations by year"), width="stretch"
)

by_state = f.groupby("state").size().sort_values(ascending=False).head(15).reset_index(name="cases")
st.plotly_chart(px.bar(by_state, x="state", y="cases", title="Top states"), width="stretch")

recent = f.sort_values("exoneration_date", ascending=False).head(500)
st.dataframe(
    recent[["name", "state", "worst_crime", "exoneration_date", "official_misconduct", "dna"]],
    width="stretch",
    hide_index=True,
)
