"""Claims, checked: the claims kept in claims/claims.toml, each recomputed live with its verdict, numbers,
date, SQL, plain-language guidance and a permalink; a form to check your own sentence against the
sidebar's filters; and "when did the registry hold N cases?"."""

import datetime as dt
import json

import pandas as pd
import streamlit as st

from exonerations import charts, claims, db, glossary, ui
from exonerations.filters import escape_markdown

ctx = ui.context()
meta = ctx.meta
qp = st.query_params

ICONS = {  # Material icons: drawn from the app's own font, where an emoji needs one on the reader's machine
    claims.HOLDS: (":material/check_circle:", "green", "Holds"),
    claims.FAILS: (":material/cancel:", "red", "Does not hold"),
    claims.UNCHECKABLE: (":material/help:", "gray", "Cannot be checked with this file"),
}


def base_url() -> str:
    """The URL of this page in the user's browser (without parameters), or its path when unknown."""
    url = st.context.url
    return url.split("?", 1)[0] if url else f"/{claims.PAGE_PATH}"


def verdict_badge(status: str) -> str:
    """The verdict as a Markdown badge (part of the claim's paragraph: one element instead of two)."""
    icon, colour, text = ICONS[status]
    return f":{colour}-badge[{icon} {text}]"


st.title("Claims, checked")
st.markdown(
    "Sentences about official misconduct, checked live against the loaded registry file. Each claim is kept as "
    "data (`claims/claims.toml`): its words, the measure that checks it, its filters and date, and the rule that "
    "decides the verdict. The app recomputes every number — nothing is copied from the claim. Below, **check your "
    "own sentence** with the sidebar's filters, or find **when the registry held a given number of cases**."
)
if meta.is_demo:
    st.warning(
        "These claims are checked against **synthetic demo data**: the verdicts say nothing about real exonerations.",
        icon=":material/warning:",
    )
st.caption(
    "Jump to: [Registry of claims](#registry-of-claims) · [Check your own sentence](#check-your-own-sentence)"
    " · [When was the registry at N?](#when-was-the-registry-at-n)"
)

# -- Registry of claims -----------------------------------------------------------------------------
st.header("Registry of claims", anchor="registry-of-claims")
st.caption(
    "Each registry claim is checked with **its own filters and date**, shown beside it — not the sidebar's. "
    "Its link opens this page with the claim's filters set in the sidebar."
)


def check_all(ctx: ui.Context, claims_file_mtime: int) -> list[claims.Verdict]:
    """Every registry claim checked (kept per database and version of the claims file: ui.memo)."""
    return [claims.check(ctx.registry, c, ui.query) for c in claims.registry_claims()]


try:
    # Each claim has its own filters: the sidebar's do not change the verdicts.
    verdicts = ui.memo(check_all, ui.Context(ctx.registry, ui.Filters()), claims.CLAIMS_FILE.stat().st_mtime_ns)
except claims.ClaimError as e:
    st.error(f"The claims file cannot be read: {e}")
    verdicts = []

if verdicts:
    summary = pd.DataFrame(
        [
            {
                "claim": v.claim.id,
                "verdict": v.status,
                "figure": v.figure.text() if v.figure else "—",
                "as of": v.as_of or "—",
                "filters": v.filters.with_(as_of=None).describe() or "all jurisdictions",
                "statement": v.claim.statement,
            }
            for v in verdicts
        ]
    )
    ui.table(summary)  # a few rows: a static table, no data grid
    c1, c2, _ = st.columns([1, 1, 3])
    ui.csv_download(
        c1,
        "Verdicts (CSV)",
        summary,
        [f"Checked against {meta.file_name}", f"Source: {glossary.SOURCE}"],
        file_name=f"{ctx.file_stub('claims')}.csv",
        key="claims_csv",
    )
    c2.download_button(
        "Verdicts (JSON)",
        json.dumps([v.to_json() for v in verdicts], ensure_ascii=False, indent=1),
        file_name=f"{ctx.file_stub('claims')}.json",
        mime="application/json",
        key="claims_json",
    )

linked = qp.get("claim")
if linked and linked not in {v.claim.id for v in verdicts}:
    st.info(f"There is no claim “{escape_markdown(linked[:40])}” in the claims file; all claims are shown.", icon=":material/link:")
ordered = sorted(verdicts, key=lambda v: v.claim.id != linked)


def show_claim(v: claims.Verdict, is_linked: bool) -> None:
    """One claim's card. Its text is a few Markdown elements rather than one per line: the page shows
    every claim, and each element costs the browser a few ms to draw."""
    c = v.claim
    with st.container(border=True):
        if is_linked:
            st.caption("🔗 The claim this link points to")
        st.markdown(f"#### “{c.statement}”")
        st.caption(f"{c.group} · source: {c.source or 'not given'} · id `{c.id}` · "
                   f"[link to this claim]({v.permalink(base_url())})")
        lines = [verdict_badge(v.status)]
        if v.status == claims.UNCHECKABLE:
            lines.append(v.reason[:1].upper() + v.reason[1:])
        else:
            where = v.filters.with_(as_of=None).describe() or "all jurisdictions, 1989 to the present"
            lines.append(f"**{v.figure.text()}** — exonerations posted by **{v.figure.as_of}** ({where}).")
            if v.baseline:
                lines.append(f"Nationwide on the same date: **{v.baseline.text()}**.")
            if v.reached:
                lines.append(f"Date: {v.reached.sentence()}")
            if v.today:
                lines.append(f"Today's figure (latest data, {v.today.as_of}): **{v.today.text()}**.")
        lines.append(f"Rule: {c.rule_text()}.")
        lines.append(f"**What it means.** {c.means}")
        lines.append(f"**What it does not mean.** {c.does_not_mean}")
        st.markdown("\n\n".join(lines))  # one element, one paragraph per line
        if v.status != claims.UNCHECKABLE and v.figure.is_share and 0 < v.figure.whole < 20:
            st.warning(f"This share rests on only {v.figure.whole} cases: treat it with care.", icon=":material/warning:")
        with st.expander("SQL and link", key=f"sql_claim_{c.id}", on_change="rerun") as ex:
            if ex.open:  # sent only once opened
                st.caption(
                    "The figure comes from these queries, run with the claim's filters as bound parameters "
                    "(`python -m exonerations claims` prints the same verdicts)."
                )
                for name in v.queries:
                    st.code(db.query_text(name), language="sql")
                st.markdown("Link to this claim:")
                st.code(v.permalink(base_url()), language=None)


for v in ordered:
    show_claim(v, v.claim.id == linked)

# -- Check your own sentence ----------------------------------------------------------------------------
st.header("Check your own sentence", anchor="check-your-own-sentence")
f = ctx.filters
where = f.with_(as_of=None).describe() or "all jurisdictions, 1989 to the present"
st.caption(f"Uses the **sidebar's filters**: exonerations posted by {ctx.as_of} ({where}).")

keys = list(claims.MEASURES)
ss = st.session_state
if "own_measure" not in ss:  # seed from the link once
    ss["own_measure"] = qp.get("measure") if qp.get("measure") in claims.MEASURES else "official_misconduct"
    ss["own_stat"] = qp.get("stat") if qp.get("stat") in claims.STATS else "share"
    ss["own_cmp"] = qp.get("cmp") if qp.get("cmp") in claims.OPS else ">"
    try:
        ss["own_threshold"] = float(qp.get("threshold")) if qp.get("threshold") else None
    except ValueError:
        ss["own_threshold"] = None

c1, c2, c3, c4 = st.columns([3, 2, 1, 1.4])
measure = c1.selectbox(
    "Measure", keys, key="own_measure", format_func=lambda k: f"{claims.MEASURES[k].group} — {claims.MEASURES[k].label}"
)
m = claims.MEASURES[measure]
stat_options = ["count"] if m.unit == "years" or measure == "exonerations" else list(claims.STATS)
if ss.get("own_stat") not in stat_options:
    ss["own_stat"] = stat_options[0]
stat = c2.selectbox(
    "Statistic",
    stat_options,
    key="own_stat",
    format_func=lambda s: (
        claims.STATS[s].capitalize() if s != "count" else ("Total years" if m.unit == "years" else "Number of cases")
    ),
)
op = c3.selectbox("Comparison", list(claims.OPS), key="own_cmp", format_func=lambda o: claims.OPS[o].sign)
is_share = stat != "count"
kind = "share" if is_share else m.unit
if ss.get("_own_kind", kind) != kind:  # the statistic changed kind: the old threshold means nothing now
    ss["own_threshold"] = None
ss["_own_kind"] = kind
if is_share:
    t = ss.get("own_threshold")
    if t is None or not 0 <= t <= 100:
        ss["own_threshold"] = 50.0
    threshold = c4.number_input(
        "Threshold (%)", min_value=0.0, max_value=100.0, step=0.5, key="own_threshold", format="%.1f"
    )
else:
    t = ss.get("own_threshold")
    if t is None or t < 0:
        ss["own_threshold"] = 10000.0 if m.unit == "years" else 1000.0
    threshold = c4.number_input(
        "Threshold (years)" if m.unit == "years" else "Threshold (cases)",
        min_value=0.0,
        step=1.0,
        key="own_threshold",
        format="%.0f",
    )

own_params = {"measure": measure, "stat": stat, "cmp": op, "threshold": f"{threshold:g}"}
for k, v in own_params.items():
    if qp.get(k) != v:
        qp[k] = v
try:
    own = claims.Claim(
        id="your-sentence",
        statement="",
        measure=measure,
        stat=stat,
        compare=op,
        threshold=threshold / 100 if is_share else threshold,
        filters=f,
    )
    ov = claims.check(ctx.registry, own, ui.query)
except claims.ClaimError as e:
    st.error(str(e).split(": ", 1)[-1])
    ov = None

if ov is not None:
    with st.container(border=True):
        lines = [f"**Your sentence:** {own.rule_text()} — {where}, posted by {ctx.as_of}.", verdict_badge(ov.status)]
        if ov.status == claims.UNCHECKABLE:
            lines.append(ov.reason[:1].upper() + ov.reason[1:])
        else:
            lines.append(f"### {ov.figure.text()}")
            lines.append(f"**What the numbers support:** {claims.supported_sentence(m, ov.figure)}")
            if ov.today:
                lines.append(f"On the latest data ({ov.today.as_of}): {ov.today.text()}.")
        st.markdown("\n\n".join(lines))
        if ov.status != claims.UNCHECKABLE:
            if is_share and 0 < ov.figure.whole < 20:
                st.warning(f"This share rests on only {ov.figure.whole} cases: treat it with care.", icon=":material/warning:")
            if is_share and op == "=":
                st.caption("“=” on a share means within 2.5 percentage points — the same tolerance as “about”.")
        st.caption(
            "Wording rules: “more than half” only above 50%; “about three in five” only within 2.5 points "
            "of 60% (closer near 0% and 100%); otherwise the fractions it lies between. “Played a role” is the "
            "registry's coding of a case, not a court finding against a named person; the registry codes "
            "conservatively, so a case without a code may still have involved it."
        )
        with st.expander("SQL and link", key="sql_own_claim", on_change="rerun") as ex:
            if ex.open:  # sent only once opened
                st.code(db.query_text("stats"), language="sql")
                st.markdown("Link to this check (with the sidebar's filters):")
                st.code(
                    claims.link(base_url(), {**own_params, **f.query_params()}) + "#check-your-own-sentence",
                    language=None,
                )

# -- When was the registry at N? ---------------------------------------------------------------------
st.header("When was the registry at N?", anchor="when-was-the-registry-at-n")
st.caption(
    "On which posting date(s) did the registry — with the sidebar's filters, except the as-of date, which "
    "is searched over every date — hold exactly N exonerations? A sentence quoting a total was true on those "
    "dates."
)
if "when_n" not in ss:
    try:
        ss["when_n"] = max(1, int(qp.get("n"))) if qp.get("n") else (claims.campaign_total() or 1)
    except ValueError:
        ss["when_n"] = claims.campaign_total() or 1
n = st.number_input("N (number of exonerations)", min_value=1, step=1, key="when_n")
if qp.get("n") != str(int(n)):
    qp["n"] = str(int(n))
r = claims.when(ctx.registry, f, int(n), ui.query)
if r.has_dates and r.exact:
    st.success(r.sentence(), icon=":material/event:")
else:
    st.info(r.sentence(), icon=":material/event:")
if r.ranges:
    ui.table(pd.DataFrame([{"from": a, "to": b if b else "latest data", "exonerations": c} for a, b, c in r.ranges]),
             formats={"exonerations": "{:,}"})
growth = ui.query("registry_growth", f.with_(as_of=None).sql_params(meta.has("posting_date")))
if not growth.empty and r.ranges:
    d0, _, cases = r.ranges[0]
    marker = {"date": pd.Timestamp(d0), "cases": cases, "text": f"{cases:,} cases on {d0}"}
    where_f = f.with_(as_of=None).describe()
    cap = charts.Caption(
        title=(
            f"The registry held {int(n):,} exonerations on {d0}"
            if r.exact
            else f"The registry passed {int(n):,} exonerations on {d0}"
        ),
        subtitle="Cumulative exonerations by posting date" + (f" ({where_f})" if where_f else ""),
        as_of=meta.posting_max.isoformat() if meta.posting_max else "unknown date",
        demo=meta.is_demo,
        filters=where_f,
    )
    with st.expander("Chart: how the registry grew", key="when_chart", on_change="rerun") as chart:
        if chart.open:  # drawn only once opened: the sentence and the table above give the answer
            ui.show_chart(
                ui.figure(charts.growth, growth, cap, marker), growth, ctx, "when_growth",
                ("registry_reached", "registry_growth"),
            )
st.caption(
    "Link to this answer: `"
    + claims.link(base_url(), {"n": str(int(n)), **f.with_(as_of=None).query_params()})
    + "#when-was-the-registry-at-n`"
)
st.caption(
    f"Checked {dt.date.today().isoformat()} against `{meta.file_name}` ({meta.layout_name}). "
    "Command line: `python -m exonerations claims --json` and `python -m exonerations when N`."
)
