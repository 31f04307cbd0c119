"""Human cost: the years exonerees lost — in total, per case, the longest cases, with and without official
misconduct — and the exonerees who had been sentenced to death."""

import streamlit as st

from exonerations import ui
from exonerations.findings import human_cost

v = ui.view()
st.title(human_cost.TITLE)
if v.total == 0:
    ui.no_cases()

ui.headline(human_cost.headline(v))
if human_cost.known(v):
    ui.chart(human_cost.distribution_chart(v), v)

    heading = human_cost.longest_heading(v)
    st.subheader(heading)
    table = human_cost.longest_table(v)
    ui.table(table, heading, links=human_cost.LONGEST_LINKS, right=("Years lost",))
    ui.notes([human_cost.longest_note(v)])
    c1, _ = st.columns([1, 3])
    ui.csv_download(
        c1, "Table (CSV)", table, file_name=f"{ui.file_stub(v, 'longest-years-lost')}.csv", key="csv_longest_years_lost"
    )

    st.subheader(human_cost.COMPARISON_HEADING)
    if human_cost.comparison_message(v):
        st.info(ui.md(human_cost.comparison_message(v)))
    else:
        ui.chart(human_cost.comparison_chart(v), v)

st.subheader(human_cost.DEATH_HEADING)
if human_cost.death_message(v):
    st.info(ui.md(human_cost.death_message(v)))
    st.stop()
death = human_cost.death_summary(v)
ui.metrics(death.metrics)
ui.notes([death.context])
ui.cautions(death.cautions)
if human_cost.death_chart(v):
    ui.chart(human_cost.death_chart(v), v)
