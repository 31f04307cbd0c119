"""Misconduct: who committed it (actor), what was done (kind), police and prosecutors together, which
kinds occur together, and where the misconduct share is higher (worst crime, race, DNA, death sentence)."""

import pandas as pd
import streamlit as st

from exonerations import charts, glossary, style, ui
from exonerations.stats import pct

ctx = ui.context()
s = ctx.stats()
total = s["total"]
om = s["factors"]["official_misconduct"]
has_detail = all(ctx.meta.has(c.column) for c in glossary.MISCONDUCT)
NO_DETAIL = ("Who committed the misconduct and what they did is not in this file: the loaded layout has no "
             "official-misconduct detail (OM tags).")

st.title("Official misconduct: who, what, and where")
if total == 0:
    st.info("No cases match these filters. Widen them in the sidebar, or press *Reset filters*.")
    st.stop()
if om is None and not has_detail:
    st.warning("Official misconduct is not in this file: the loaded layout has no official-misconduct coding, "
               "so nothing on this page can be computed.")
    st.stop()

# -- Headline ------------------------------------------------------------------------------------
pp = ctx.query("misconduct_police_and_prosecutor") if has_detail else None
both = int(pp.loc[pp["segment"] == "police_and_prosecutor", "cases"].iloc[0]) if pp is not None else None
m = s["misconduct"]
om_words = (f"Official misconduct played a role in **{om:,}** of **{total:,}** exonerations (**{pct(om, total)}**)"
            if om is not None else f"**{total:,}** exonerations")
st.markdown(f"### {om_words} — as of {ctx.as_of}")
if has_detail:
    st.markdown(
        f"Police misconduct is coded in **{m['police']:,}** of them ({pct(m['police'], total)}), prosecutor "
        f"misconduct in **{m['prosecutor']:,}** ({pct(m['prosecutor'], total)}), and **both** — police *and* "
        f"prosecutors — in **{both:,}** ({pct(both, total)})."
    )
else:
    st.info(NO_DETAIL)
where = ctx.filters.describe()
st.caption(
    (f"Synthetic demo cases posted by {ctx.as_of}" if ctx.meta.is_demo
     else f"Exonerations posted to the {glossary.SOURCE} by {ctx.as_of}") + (f"; {where}" if where else "; 1989 to the present")
    + ". Every share on this page is of all these exonerations, not only of those with misconduct, unless it says "
    "otherwise. A case can have several actors and several kinds of misconduct, so the bars do not add up. "
    "The registry codes conservatively: a missing code does not prove the misconduct absent."
)
if total < style.SMALL_DENOMINATOR:
    st.warning(f"These figures rest on only {total} case{'s' if total != 1 else ''}: treat shares with care.")

ui.metrics([
    ("With official misconduct", "not in this file" if om is None else f"{om:,} ({pct(om, total)})"),
    ("Police misconduct", "not in this file" if not has_detail else f"{m['police']:,} ({pct(m['police'], total)})"),
    ("Prosecutor misconduct",
     "not in this file" if not has_detail else f"{m['prosecutor']:,} ({pct(m['prosecutor'], total)})"),
    ("Police and prosecutor both", "not in this file" if not has_detail else f"{both:,} ({pct(both, total)})")])

om_clause = f"; {om:,} of them with official misconduct" if om is not None else ""


def and_join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def outside_note(df: pd.DataFrame, key: str) -> None:
    """Say so when some codes sit on cases whose official-misconduct factor is not coded Yes."""
    odd = df[df["cases_outside_misconduct"] > 0]
    if not odd.empty:
        items = ", ".join(f"{glossary.label(k).lower()} {int(n):,}" for k, n in zip(odd[key], odd["cases_outside_misconduct"],
                                                                                    strict=True))
        st.caption(f"A few cases carry one of these codes although their official-misconduct factor is not coded Yes "
                   f"({items}); they are counted as the registry coded them.")


def who() -> None:
    # -- Who: actors -------------------------------------------------------------------------------
    st.subheader("Who committed the misconduct")
    actors = ctx.query("misconduct_by_actor")
    actors["label"] = actors["actor"].map(glossary.label)
    most = int(actors["cases"].max())
    tops = [f"by a {x.lower()}" for x in actors.loc[actors["cases"] == most, "label"]]
    if most > 0 and len(tops) == 1:
        title = f"Misconduct {tops[0]} was coded most often: {most:,} exonerations ({pct(most, total, 0)})"
    elif most > 0:
        title = (f"Misconduct {and_join(tops)} was coded equally often: {most:,} exonerations each "
                 f"({pct(most, total, 0)})")
    else:
        title = "No misconduct by any official is coded in these exonerations"
    fig = ui.figure(charts.share_bars, actors, ctx.caption(
        title, f"Exonerations coded with misconduct by each official, {ctx.denominator(total)}{om_clause}"), total=total)
    ui.show_chart(fig, actors[["label", "cases", "share", "total", "misconduct_total", "cases_outside_misconduct"]],
                  ctx, "misconduct_by_actor", ("misconduct_by_actor",))
    outside_note(actors, "actor")

    # -- What: kinds ---------------------------------------------------------------------------
    st.subheader("What the officials did")
    kinds = ctx.query("misconduct_by_kind")
    kinds["label"] = kinds["kind"].map(glossary.label)
    most = int(kinds["cases"].max())
    tops = kinds.loc[kinds["cases"] == most, "label"].tolist()
    if most > 0 and len(tops) == 1:
        title = f"{tops[0]} was the most common kind of misconduct: {most:,} exonerations ({pct(most, total, 0)})"
    elif most > 0:
        title = (f"{tops[0]} and {and_join([t.lower() for t in tops[1:]])} were equally common: "
                 f"{most:,} exonerations each ({pct(most, total, 0)})")
    else:
        title = "No kind of official misconduct is coded in these exonerations"
    fig = ui.figure(charts.share_bars, kinds, ctx.caption(
        title, f"Exonerations coded with each kind of misconduct, {ctx.denominator(total)}{om_clause}"), total=total)
    ui.show_chart(fig, kinds[["label", "cases", "share", "total", "misconduct_total", "cases_outside_misconduct"]],
                  ctx, "misconduct_by_kind", ("misconduct_by_kind",))
    outside_note(kinds, "kind")
    with st.expander("What each kind means"):
        st.markdown("\n".join(f"- **{c.label}** ({c.code}): {c.definition}" for c in glossary.MISCONDUCT))


def together() -> None:
    # -- Police and prosecutors together -------------------------------------------------------
    st.subheader("Police and prosecutors together")
    seg_labels = {
        "police_and_prosecutor": (f"{glossary.label('police')} and {glossary.label('prosecutor').lower()}", style.HIGHLIGHT),
        "police_only": (f"{glossary.label('police')} only", style.ORANGE),
        "prosecutor_only": (f"{glossary.label('prosecutor')} only", style.SKY),
        "neither": ("Neither police nor prosecutor misconduct coded", style.MUTED),
    }
    pp["label"] = pp["segment"].map(lambda k: seg_labels[k][0])
    pp["color"] = pp["segment"].map(lambda k: seg_labels[k][1])
    fig = ui.figure(charts.segments_bar, pp, ctx.caption(
        f"Police and prosecutors were both coded with misconduct in {both:,} exonerations ({pct(both, total, 0)})",
        f"Exonerations by whether police, prosecutors or both committed misconduct, {ctx.denominator(total)}"))
    ui.show_chart(fig, pp[["label", "cases", "share", "total"]], ctx, "police_and_prosecutor",
                  ("misconduct_police_and_prosecutor",))
    st.caption("When both police and prosecutors are coded, the wrongful conviction involved misconduct at more than "
               "one stage of the case — from investigation to trial. “Neither” includes misconduct by other officials "
               "and cases without misconduct.")

    # -- Which occur together ------------------------------------------------------------------
    st.subheader("Which kinds of misconduct occur together")
    co = ctx.query("misconduct_cooccurrence")
    co["row_label"] = co["row_code"].map(glossary.label)
    co["col_label"] = co["col_code"].map(glossary.label)
    off = co[co["row_order"] < co["col_order"]].sort_values(["cases", "row_order", "col_order"],
                                                           ascending=[False, True, True])
    if not off.empty and off.iloc[0]["cases"] > 0:
        best = off[off["cases"] == off.iloc[0]["cases"]]
        p = best.iloc[0]
        title = (f"Most often coded together: {p['row_label'].lower()} and {p['col_label'].lower()} "
                 f"({int(p['cases']):,} exonerations)")
        if len(best) > 1:
            title = (f"Most often coded together, in {int(p['cases']):,} exonerations each: {len(best)} pairs, "
                     f"such as {p['row_label'].lower()} and {p['col_label'].lower()}")
    else:
        title = "No two kinds of official misconduct are coded together in these exonerations"
    fig = ui.figure(charts.cooccurrence, co, ctx.caption(
        title, f"Exonerations coded with both codes of each pair, {ctx.denominator(total)}; "
               "grey diagonal: with the code at all"))
    ui.show_chart(fig, co[["row_label", "col_label", "cases"]], ctx, "misconduct_cooccurrence",
                  ("misconduct_cooccurrence",))
    st.caption("Read across a row: of the exonerations with the row's code, how many also have the column's code. "
               "The first four codes say who committed the misconduct, the other seven what was done.")


def where() -> None:
    st.subheader("Where official misconduct is more common")
    if om is None:
        st.info("The share of exonerations with official misconduct is not in this file: it has no official-misconduct "
                "factor.")
    else:
        overall = om / total
        groups = ctx.query("misconduct_share_by_group")

        def group_chart(dimension: str, key: str, what: str, finding) -> None:
            d = groups[groups["dimension"] == dimension][["grp", "cases", "misconduct_cases", "share"]].reset_index(drop=True)
            if d.empty:
                return
            if len(d) < 2:
                st.caption(f"{what}: all {int(d.iloc[0]['cases']):,} filtered exonerations are in one group "
                           f"({d.iloc[0]['grp']}), so there is nothing to compare.")
                return
            big = d[d["cases"] >= style.SMALL_DENOMINATOR]
            fig = ui.figure(charts.share_by_group, d, ctx.caption(finding(big, d), (
                f"Share with official misconduct in each group (the group is the denominator), "
                f"{ctx.denominator(total)}. Dotted line: all of them")), group="grp", overall=overall,
                height=300 if len(d) == 2 else None)
            small = d[d["cases"] < style.SMALL_DENOMINATOR]
            if not small.empty:
                st.warning("Grey bars rest on fewer than 20 cases each ("
                           + ", ".join(f"{g}: {int(n)}" for g, n in zip(small["grp"], small["cases"], strict=True))
                           + "): treat their shares with care.", icon=":material/warning:")
            ui.show_chart(fig, d, ctx, key, ("misconduct_share_by_group",))

        def highest(what: str, label_of, prefix: str = ""):
            """The group(s) with the highest share, among groups of at least 20 cases."""
            def finding(big: pd.DataFrame, d: pd.DataFrame) -> str:
                if big.empty:
                    return (f"Share with official misconduct by {what}: every group has fewer than "
                            f"{style.SMALL_DENOMINATOR} cases")
                top = big[big["share"] == big["share"].max()].sort_values(["cases", "grp"], ascending=[False, True])
                names = [label_of(g) for g in top["grp"]]
                who = prefix + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
                who = who[:1].upper() + who[1:]
                counts = " and ".join(f"{int(c):,}" for c in top["cases"])
                return f"{who} had the highest misconduct share: {top.iloc[0]['share']:.0%} of {counts}"
            return finding

        def pair(first: str, first_words: str, second: str, second_words: str):
            """Which of two groups had the higher share — compared only when both have at least 20 cases."""
            def finding(big: pd.DataFrame, d: pd.DataFrame) -> str:
                a = d[d["grp"] == first].iloc[0]
                b = d[d["grp"] == second].iloc[0]
                if min(a["cases"], b["cases"]) < style.SMALL_DENOMINATOR:
                    return (f"{first_words[:1].upper() + first_words[1:]}: {a['share']:.0%} of {int(a['cases']):,} "
                            f"with official misconduct; {second_words}: {b['share']:.0%} of {int(b['cases']):,}")
                if round(a["share"], 2) == round(b["share"], 2):
                    return (f"{first_words[:1].upper() + first_words[1:]} and {second_words} had the same misconduct "
                            f"share: {a['share']:.0%}")
                (hi, hi_words), (lo, lo_words) = sorted(((a, first_words), (b, second_words)), key=lambda t: -t[0]["share"])
                return (f"{hi_words[:1].upper() + hi_words[1:]} had a higher misconduct share than {lo_words}: "
                        f"{hi['share']:.0%} vs {lo['share']:.0%}")
            return finding

        if ctx.meta.has("worst_crime"):
            group_chart("worst_crime", "share_by_crime", "Worst crime",
                        highest("worst crime", str.lower, prefix="among worst crimes, "))
            st.caption("Worst crimes beyond the 12 most frequent under these filters are pooled as “All other crimes”.")
        if ctx.meta.has("race"):
            group_chart("race", "share_by_race", "Race",
                        highest("race of the exoneree", lambda g: f"Exonerees of race “{g}”"
                                if g in ("Don't Know", "Other", "Not recorded") else f"{g} exonerees"))
        else:
            st.info("The race of the exoneree is not in this file.")
        if ctx.meta.has("dna"):
            group_chart("dna", "share_by_dna", "DNA", pair("DNA exonerations", "DNA exonerations",
                                                             "Non-DNA exonerations", "non-DNA exonerations"))
        else:
            st.info("Whether DNA evidence led to the exoneration is not in this file.")
        if ctx.meta.has("death_sentence"):
            group_chart("death_sentence", "share_by_death_sentence", "Death sentence",
                        pair("Sentenced to death", "exonerees sentenced to death",
                             "Not sentenced to death", "those not sentenced to death"))
        else:
            st.info("Death sentences are not in this file.")


# -- The three questions, one tab each: only the open tab is computed and drawn ------------------
TABS = {"who": "Who and what", "together": "Which occur together", "where": "Where it is more common"}
shown = TABS if has_detail else {"where": TABS["where"]}  # without OM tags only the last question has data
if len(shown) == 1:
    where()
else:
    wanted = st.query_params.get("tab")  # a shared link carries the tab (?tab=where)
    tabs = dict(zip(shown, st.tabs(list(shown.values()), key="misconduct_tab", on_change="rerun",
                                   default=shown.get(wanted, shown["who"])), strict=True))
    open_tab = next((k for k, t in tabs.items() if t.open), "who")
    if open_tab == "who":
        st.query_params.pop("tab", None)
    else:
        st.query_params["tab"] = open_tab
    with tabs[open_tab]:
        {"who": who, "together": together, "where": where}[open_tab]()
