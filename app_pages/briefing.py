"""Briefing pack: for the sidebar's filters, a PowerPoint deck with native, editable charts and a one-page
printable fact sheet, built from the same figures; a preview of the fact sheet and both downloads."""

import streamlit as st

from exonerations import brief, glossary, ui

v = ui.view()
meta = v.meta

st.title("Briefing pack")
st.markdown(
    "A pack for legislators and their staff, for the filters in the sidebar: a **PowerPoint deck** whose charts are "
    "native PowerPoint charts (click a chart, then *Edit Data* to see every number), with speaker notes giving each "
    "figure's definition and denominator; and a **one-page fact sheet** that prints cleanly from any browser. "
    "Both carry the source and the as-of date on every page."
)
b = brief.collect(v.registry, v.filters, ui.query, ui.filtered_stats)
if meta.is_demo:
    st.warning(
        "Built from **synthetic demo data**: every slide and the fact sheet say so. Load the registry file "
        "before sending a pack to anyone.",
        icon=":material/warning:",
    )
if b.total == 0:
    st.info("No cases match these filters. Widen them in the sidebar, or press *Reset filters*.")
    st.stop()
if b.total < 20:
    st.warning(f"These figures rest on only {b.total} cases: treat every share in the pack with care.", icon=":material/warning:")

where = b.where or "all jurisdictions, 1989 to the present"
st.markdown(
    f"**Scope:** {where} · exonerations posted by **{b.as_of}** · {b.total:,} cases · comparison slide: "
    f"**{b.place}** against all jurisdictions"
    + ("" if len(v.filters.states) == 1 else " (choose one state in the sidebar to compare it instead)")
)

sheet = brief.fact_sheet(b)
stub = b.file_stub()
c1, c2, c3 = st.columns([1.2, 1.2, 2])
c1.download_button(
    "Download the deck (.pptx)",
    lambda: brief.deck(b),
    file_name=f"{stub}.pptx",
    type="primary",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    key="deck_pptx",
    icon=":material/slideshow:",
)
c2.download_button(
    "Download the fact sheet (.html)",
    sheet.encode("utf-8"),
    file_name=f"{stub}.html",
    mime="text/html",
    key="factsheet_html",
    icon=":material/description:",
)
c3.caption(
    "To print the fact sheet or save it as a PDF, open the downloaded file in a browser and print it "
    "(one page, US Letter or A4; turn on *background graphics* if the bars look empty)."
)

with st.expander("What the deck contains"):
    titles = [
        "Official misconduct in wrongful convictions (title, scope and as-of date)",
        brief.headline_title(b),
        brief.factors_title(b),
        brief.actors_title(b),
        brief.kinds_title(b),
        brief.trend_title(b),
        brief.years_lost_title(b),
        brief.compare_title(b),
        "Sources and definitions",
    ]
    st.markdown("\n".join(f"{i}. {t}" for i, t in enumerate(titles, 1)))
    st.caption(
        "Chart colours are the app's colour-blind-safe palette (Okabe–Ito); body text is at least 14 pt; "
        "every slide carries the source line" + (" and the demo-data mark." if meta.is_demo else ".")
    )

st.subheader("Fact sheet preview")
st.caption("Exactly the file you download: self-contained HTML, no external fonts, scripts or images.")
st.iframe(sheet, height=1150)  # every value in the sheet is HTML-escaped (brief._e)
st.caption(
    f"Source: {glossary.SOURCE}. Command line: `python -m exonerations brief --out pack.pptx` "
    "(or `.html`) with the same filter options as `stats`."
)
