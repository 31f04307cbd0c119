"""Claims, checked: the claims kept in claims/claims.toml, each recomputed live with its verdict, numbers,
date, SQL, plain-language guidance and a permalink; a form to check your own sentence against the
sidebar's filters; and "when was the registry at N?"."""

import datetime as dt

import streamlit as st

from exonerations import claims, db, ui
from exonerations.findings import checks

v = ui.view()
qp = st.query_params
ss = st.session_state

BADGES = {  # Material icons: drawn from the app's own font, where an emoji needs one on the reader's machine
    claims.HOLDS: ":green-badge[:material/check_circle: Holds]",
    claims.FAILS: ":red-badge[:material/cancel: Does not hold]",
    claims.UNCHECKABLE: ":gray-badge[:material/help: Cannot be checked with this file]",
}


def base_url() -> str:
    """The URL of this page in the reader's browser (without parameters), or its path when unknown."""
    url = st.context.url
    return url.split("?", 1)[0] if url else f"/{claims.PAGE_PATH}"


st.title(checks.TITLE)
st.markdown(
    "Sentences about official misconduct, checked live against the loaded registry file. Each claim is kept as "
    "data (`claims/claims.toml`): its words, the measure that checks it, its filters and date, and the rule that "
    "decides the verdict. The app recomputes every number — nothing is copied from the claim. Below, **check your "
    "own sentence** with the sidebar's filters, or find **when the registry held a given number of cases**."
)
if v.is_demo:
    st.warning(
        "These claims are checked against **synthetic demo data**: the verdicts say nothing about real exonerations.",
        icon=":material/warning:",
    )
st.markdown(  # not a caption: links in a caption are drawn too light to read (WCAG 1.4.3)
    "Jump to: [Registry of claims](#registry-of-claims) · [Check your own sentence](#check-your-own-sentence)"
    " · [When was the registry at N?](#when-was-the-registry-at-n)"
)

# -- Registry of claims -----------------------------------------------------------------------------
st.header("Registry of claims", anchor="registry-of-claims")
st.caption(
    "Each registry claim is checked with **its own filters and date**, shown beside it — not the sidebar's. "
    "Its link opens this page with the claim's filters set in the sidebar."
)
try:
    shown = ui.claims_page(base_url())
except claims.ClaimError as e:
    st.error(ui.md(f"The claims file cannot be read: {e}"))
    shown = None
verdicts = shown.verdicts if shown else ()

if verdicts:
    st.html(shown.summary_html)
    with st.container(horizontal=True):
        ui.csv_download(
            st, "Verdicts (CSV)", shown.summary, file_name=f"{ui.file_stub(v, 'claims')}.csv", key="claims_csv"
        )
        st.download_button(
            "Verdicts (JSON)",
            shown.json,
            file_name=f"{ui.file_stub(v, 'claims')}.json",
            mime="application/json",
            key="claims_json",
        )

linked = qp.get("claim")
if linked and linked not in {x.claim.id for x in verdicts}:
    st.info(
        ui.md(f"There is no claim “{linked[:40]}” in the claims file; all claims are shown."), icon=":material/link:"
    )

for verdict in sorted(verdicts, key=lambda x: x.claim.id != linked):
    c = shown.cards[verdict.claim.id]
    with st.container(border=True):
        if verdict.claim.id == linked:
            st.caption(":material/link: The claim this link points to")
        # One element: the claim, what it covers (small type), its verdict and numbers.
        head = ["#### " + ui.md(f"“{c.statement}”"), f":small[{ui.md(c.about)}]", BADGES[c.verdict]]
        st.markdown("\n\n".join([*head, *(ui.md(line) for line in c.lines)]))
        if c.caution:
            st.warning(ui.md(c.caution), icon=":material/warning:")
        with st.expander("SQL and link", key=f"sql_claim_{verdict.claim.id}", on_change="rerun") as ex:
            if ex.open:  # sent only once opened
                st.caption(
                    "The figure comes from these queries, run with the claim's filters as bound parameters "
                    "(`python -m exonerations claims` prints the same verdicts)."
                )
                for name in verdict.queries:
                    st.code(db.query_text(name), language="sql")
                st.code(c.link, language=None, wrap_lines=True)


# -- Check your own sentence ----------------------------------------------------------------------------
def own_claim() -> claims.Claim | None:
    """The form of the reader's own sentence (measure, statistic, comparison, threshold), seeded once from
    the link and written back to it."""
    if "own_measure" not in ss:  # seed from the link once
        ss["own_measure"] = qp.get("measure") if qp.get("measure") in claims.MEASURES else "official_misconduct"
        ss["own_stat"] = qp.get("stat") if qp.get("stat") in claims.STATS else "share"
        ss["own_cmp"] = qp.get("cmp") if qp.get("cmp") in claims.OPS else ">"
        ss["own_threshold"] = checks.parse_threshold(qp.get("threshold"))
    c1, c2, c3, c4 = st.columns([3, 2, 1, 1.4])
    measure = c1.selectbox(
        "Measure",
        list(claims.MEASURES),
        key="own_measure",
        format_func=lambda k: f"{claims.MEASURES[k].group} — {claims.MEASURES[k].label}",
    )
    m = claims.MEASURES[measure]
    options = checks.stat_options(measure)
    if ss.get("own_stat") not in options:
        ss["own_stat"] = options[0]
    stat = c2.selectbox("Statistic", options, key="own_stat", format_func=lambda x: checks.stat_label(m, x))
    op = c3.selectbox("Comparison", list(claims.OPS), key="own_cmp", format_func=lambda o: claims.OPS[o].sign)
    kind = checks.threshold_kind(m, stat)
    if ss.get("_own_kind", kind) != kind:  # the statistic changed kind: the old threshold means nothing now
        ss["own_threshold"] = None
    ss["_own_kind"] = kind
    ss["own_threshold"] = checks.threshold_or_default(ss.get("own_threshold"), kind)
    if kind == "share":
        threshold = c4.number_input(
            "Threshold (%)", min_value=0.0, max_value=100.0, step=0.5, key="own_threshold", format="%.1f"
        )
    else:
        threshold = c4.number_input(
            f"Threshold ({kind})", min_value=0.0, max_value=1e9, step=1.0, key="own_threshold", format="%.0f"
        )
    try:
        own = claims.Claim(
            id="your-sentence",
            statement="",
            measure=measure,
            stat=stat,
            compare=op,
            threshold=threshold / 100 if kind == "share" else threshold,
            filters=v.filters,
        )
    except claims.ClaimError as e:
        st.error(ui.md(str(e).split(": ", 1)[-1]))
        return None
    for k, value in checks.claim_params(own).items():
        if qp.get(k) != value:
            qp[k] = value
    return own


@st.fragment
def own_sentence() -> None:
    st.header("Check your own sentence", anchor="check-your-own-sentence")
    st.caption(
        ui.md(f"Uses the sidebar's filters: exonerations posted by {v.as_of} ({checks.scope_words(v.filters)}).")
    )
    own = own_claim()
    if own is None:
        return
    ov = checks.own_verdict(v, own)
    with st.container(border=True):
        lines = checks.own_lines(v, own, ov)
        st.markdown("\n\n".join([ui.md(lines[0]), BADGES[ov.status], *(ui.md(x) for x in lines[1:])]))
        if ov.status != claims.UNCHECKABLE and own.is_share:
            ui.cautions([checks.small_caution(ov.figure.whole, "This share")])
        st.caption(ui.md(checks.WORDING_RULES))
        with st.expander("SQL and link", key="sql_own_claim", on_change="rerun") as ex:
            if ex.open:
                st.code(db.query_text("stats"), language="sql")
                st.code(
                    claims.link(base_url(), {**checks.claim_params(own), **v.filters.query_params()})
                    + "#check-your-own-sentence",
                    language=None,
                    wrap_lines=True,
                )


own_sentence()


# -- When was the registry at N? ---------------------------------------------------------------------
@st.fragment
def when_at_n() -> None:
    st.header("When was the registry at N?", anchor="when-was-the-registry-at-n")
    st.caption(
        "On which posting date(s) did the registry — with the sidebar's filters, except the as-of date, which "
        "is searched over every date — hold exactly N exonerations? A sentence quoting a total was true on "
        "those dates."
    )
    if "when_n" not in ss:
        ss["when_n"] = checks.parse_n(qp.get("n")) or claims.campaign_total() or 1
    n = int(st.number_input("N (number of exonerations)", min_value=1, max_value=10_000_000, step=1, key="when_n"))
    if qp.get("n") != str(n):
        qp["n"] = str(n)
    r = checks.reached(v, n)
    (st.success if r.has_dates and r.exact else st.info)(ui.md(r.sentence()), icon=":material/event:")
    if r.ranges:
        ui.table(checks.when_rows(r), checks.WHEN_LABEL)
        with st.expander("Chart: how the registry grew", key="when_chart", on_change="rerun") as box:
            if box.open:  # drawn only once opened: the sentence and the table above give the answer
                chart = checks.when_chart(v, r, n)
                if chart:
                    ui.chart(chart, v)
    with st.expander("Link to this answer", key="when_link", on_change="rerun") as box:
        if box.open:  # sent only once opened, as the claims' links are
            st.code(
                claims.link(base_url(), {"n": str(n), **v.filters.with_(as_of=None).query_params()})
                + "#when-was-the-registry-at-n",
                language=None,
                wrap_lines=True,
            )


when_at_n()
st.caption(ui.md(checks.checked_line(v, dt.date.today().isoformat())))
