"""Misconduct: who committed it (actor), what was done (kind), police and prosecutors together, which
codes occur together, and where the misconduct share is higher (worst crime, race, DNA, death sentence).

Every share is of all the exonerations counted unless it says otherwise; a share "of those with
official misconduct" counts only the cases with official misconduct coded Yes (the `<code>_in_om`
columns of queries/stats.sql), so its numerator is a subset of its denominator."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from .. import charts, fmt, glossary, style
from .core import (
    Chart,
    Headline,
    View,
    caption,
    cautions,
    denominator,
    memoized,
    past_coding,
    posted,
    pre1989_caution,
    small_caution,
)
from .overview import PLAYED_A_ROLE

TITLE = "Official misconduct: who, what, and where"
TABS = {"who": "Who and what", "together": "Which occur together", "where": "Where it is more common"}
HEADINGS = {
    "actors": "Who committed the misconduct",
    "kinds": "What the officials did",
    "together": "Police and prosecutors together",
    "cooccurrence": "Which kinds of misconduct occur together",
    "where": "Where official misconduct is more common",
}
DEFINITIONS_LABEL = "What each kind means"
NO_DETAIL = (
    "Who committed the misconduct and what they did is not in this file: the loaded layout has no "
    "official-misconduct detail (OM tags)."
)
NO_MISCONDUCT = (
    "Official misconduct is not in this file: the loaded layout has no official-misconduct coding, so "
    "nothing on this page can be computed."
)
NO_SHARE = (
    "The share of exonerations with official misconduct is not in this file: it has no official-misconduct factor."
)
READING = (
    "Every share on this page is of all these exonerations, not only of those with misconduct, unless it says "
    "otherwise. A case can have several actors and several kinds of misconduct, so the bars do not add up. "
    "The registry codes conservatively: a missing code does not prove the misconduct absent."
)
NOT_IN_FILE = "not in this file"


# ---------------------------------------------------------------------------------------------
# What the file has


def has_detail(v: View) -> bool:
    """Whether the file codes who committed the misconduct and what they did (the OM tags)."""
    return all(v.has(c.column) for c in glossary.MISCONDUCT)


def _om(v: View) -> int | None:
    return v.stats()["factors"]["official_misconduct"]


def unavailable(v: View) -> str | None:
    """The one sentence shown instead of the page when the file has no misconduct coding at all."""
    return NO_MISCONDUCT if _om(v) is None and not has_detail(v) else None


def tabs(v: View) -> dict[str, str]:
    """The page's questions (key → tab label) that this file can answer."""
    return TABS if has_detail(v) else {"where": TABS["where"]}


def _in_om(v: View, key: str) -> int:
    """Cases coded with `key` among those with official misconduct coded Yes (stats.sql `<key>_in_om`)."""
    return int(v.query("stats").iloc[0][f"{key}_in_om"])


def _of_om(v: View, part: int) -> str:
    """'28.5% of the 2,333 with official misconduct' — `part` must be counted among those cases."""
    om = _om(v)
    return f"{fmt.pct(part, om)} of the {om:,} with official misconduct"


def _pct_col(parts, whole) -> list[float | None]:
    """Shares as percentages rounded to one decimal (halves up), for the numbers behind a chart."""
    return [None if not whole else float(fmt.rounded(100 * Fraction(int(p), int(whole)), 1)) for p in parts]


# ---------------------------------------------------------------------------------------------
# Headline


def both_count(v: View) -> int | None:
    """Exonerations with both police and prosecutor misconduct coded (None when the file has no detail)."""
    return int(v.query("stats").iloc[0]["police_and_prosecutor"]) if has_detail(v) else None


def detail_sentence(v: View) -> str | None:
    """'Police misconduct is coded in 1,704 of the 3,835 exonerations (44.4%), prosecutor misconduct in …'"""
    total = v.total
    if not has_detail(v) or not total:
        return None
    m, both = v.stats()["misconduct"], both_count(v)
    return (
        f"Police misconduct is coded in {m['police']:,} of the {total:,} exonerations "
        f"({fmt.pct(m['police'], total)}), prosecutor misconduct in {m['prosecutor']:,} "
        f"({fmt.pct(m['prosecutor'], total)}), and both police and prosecutor misconduct in {both:,} "
        f"({fmt.pct(both, total)})."
    )


@memoized
def headline(v: View) -> Headline:
    s = v.stats()
    total, om, m = s["total"], _om(v), s["misconduct"]
    detail = has_detail(v)
    both = both_count(v)
    sentence = (
        f"Official misconduct played a role in {om:,} of {total:,} exonerations ({fmt.pct(om, total)})"
        if om is not None
        else f"{total:,} exonerations"
    )
    context = " ".join(x for x in (detail_sentence(v), f"{posted(v)}.", PLAYED_A_ROLE, READING) if x)

    def figure(n: int | None) -> str:
        return NOT_IN_FILE if n is None else fmt.count_share(n, total)

    return Headline(
        sentence=f"{sentence} — as of {v.as_of}",
        context=context,
        metrics=(
            ("With official misconduct", figure(om)),
            ("Police misconduct", figure(m["police"] if detail else None)),
            ("Prosecutor misconduct", figure(m["prosecutor"] if detail else None)),
            ("Police and prosecutor both", figure(both)),
        ),
        cautions=cautions(None if detail else NO_DETAIL, small_caution(total), pre1989_caution(v) if detail else None),
        notes=cautions(past_coding(v)),
    )


# ---------------------------------------------------------------------------------------------
# Who: actors; what: kinds


def actor_rows(v: View) -> list[tuple[str, str, int]]:
    """(key, label, cases) for the four actors (police officer, prosecutor, forensic analyst, child
    welfare worker) the file codes, in the registry's order; shares are of all exonerations counted."""
    m = v.stats()["misconduct"]
    return [(c.key, c.label, m[c.key]) for c in glossary.ACTORS if m[c.key] is not None]


def kind_rows(v: View) -> list[tuple[str, str, int]]:
    """(key, label, cases) for the seven kinds of misconduct the file codes, most frequent first (ties
    in the registry's order)."""
    m = v.stats()["misconduct"]
    rows = [(c.key, c.label, m[c.key]) for c in glossary.KINDS if m[c.key] is not None]
    return sorted(rows, key=lambda r: -r[2])


def _by(label: str) -> str:
    return f"by a {glossary.in_sentence(label)}"


def actors_title(v: View) -> str:
    """The finding of the actors chart (the page's and the deck's): which official was coded most often,
    and the runner-up."""
    total, rows = v.total, actor_rows(v)
    if not rows or not total:
        return "Official misconduct by actor"
    ranked = sorted(rows, key=lambda r: -r[2])
    most = ranked[0][2]
    if most == 0:
        return "No misconduct by any official is coded in these exonerations"
    tops = [label for _, label, n in ranked if n == most]
    if len(tops) > 1:
        return (
            f"Misconduct {fmt.join_and(_by(t) for t in tops)} was coded equally often: in {most:,} exonerations "
            f"each ({fmt.pct_short(most, total)})"
        )
    title = f"Misconduct {_by(tops[0])} was coded most often: in {most:,} exonerations ({fmt.pct_short(most, total)})"
    _, second, n2 = ranked[1] if len(ranked) > 1 else (None, None, 0)
    return title + (f", against {n2:,} ({fmt.pct_short(n2, total)}) {_by(second)}" if n2 else "")


def kinds_title(v: View) -> str:
    """The finding of the kinds chart (the page's and the deck's): the most common kind of misconduct."""
    total, rows = v.total, kind_rows(v)
    if not rows or not total:
        return "Official misconduct by kind"
    most = rows[0][2]
    if most == 0:
        return "No kind of official misconduct is coded in these exonerations"
    tops = [label for _, label, n in rows if n == most]
    cases = fmt.plural(most, "exoneration")
    if len(tops) > 1:
        names = fmt.join_and([tops[0], *(glossary.in_sentence(t) for t in tops[1:])])
        return f"{names} were equally common: {cases} each ({fmt.pct_short(most, total)})"
    return f"{tops[0]} was the most common kind of misconduct: {cases} ({fmt.pct_short(most, total)})"


def _outside_note(df: pd.DataFrame, key: str) -> str | None:
    """Say so when some codes sit on cases whose official-misconduct factor is not coded Yes."""
    odd = df[df["cases_outside_misconduct"] > 0]
    if odd.empty:
        return None
    items = ", ".join(
        f"{glossary.in_sentence(glossary.label(k))} {int(n):,}"
        for k, n in zip(odd[key], odd["cases_outside_misconduct"], strict=True)
    )
    return (
        f"A few cases carry one of these codes although their official-misconduct factor is not coded Yes "
        f"({items}); the bars count them as the registry coded them, the shares of those with official "
        "misconduct do not."
    )


def _coded_chart(v: View, what: str, chart_key: str, title: str, subject: str) -> Chart | None:
    """The actors or the kinds chart: exonerations coded with each, their share of all, and (among
    those with official misconduct) their share of those."""
    total, om = v.total, _om(v)
    if not has_detail(v) or not total:
        return None
    df = v.query(f"misconduct_by_{what}")
    df["label"] = df[what].map(glossary.label)
    om_clause = f"; {om:,} of them with official misconduct" if om is not None else ""
    cap = caption(v, title, f"{subject} (a case can have several), {denominator(v, total)}{om_clause}")
    fig = charts.share_bars(df, cap, total=total)
    data = pd.DataFrame(
        {
            "Official" if what == "actor" else "Kind of misconduct": df["label"],
            "Exonerations": df["cases"],
            "Share of exonerations (%)": _pct_col(df["cases"], total),
        }
    )
    if om is not None:
        in_om = [_in_om(v, k) for k in df[what]]
        data["Of them with official misconduct"] = in_om
        data["Share of those with official misconduct (%)"] = _pct_col(in_om, om)
    data = data.sort_values("Exonerations", ascending=False, kind="stable").reset_index(drop=True)
    return Chart(
        chart_key,
        cap,
        fig,
        data,
        (f"misconduct_by_{what}", "stats"),
        notes=cautions(_outside_note(df, what)),
        cautions=cautions(small_caution(total), pre1989_caution(v)),
    )


@memoized
def actors_chart(v: View) -> Chart | None:
    return _coded_chart(
        v, "actor", "misconduct_by_actor", actors_title(v), "Exonerations coded with misconduct by each official"
    )


@memoized
def kinds_chart(v: View) -> Chart | None:
    return _coded_chart(
        v, "kind", "misconduct_by_kind", kinds_title(v), "Exonerations coded with each kind of misconduct"
    )


def kind_definitions() -> pd.DataFrame:
    """Each kind of misconduct with the registry's code and what it means."""
    return pd.DataFrame(
        {
            "Kind of misconduct": [c.label for c in glossary.KINDS],
            "Code": [c.code for c in glossary.KINDS],
            "What it means": [c.definition for c in glossary.KINDS],
        }
    )


# ---------------------------------------------------------------------------------------------
# Police and prosecutors together; which codes occur together

BOTH_MEANING = (
    "“Both” means the registry coded misconduct by police and by prosecutors in the same case; it codes "
    "who committed misconduct, not at which point in the case. “Neither” includes misconduct by other "
    "officials and cases without misconduct."
)
SEGMENTS = {
    "police_and_prosecutor": ("Police and prosecutor", style.BASE),
    "police_only": ("Police only", style.SKY),
    "prosecutor_only": ("Prosecutor only", style.GREEN),
    "neither": ("Neither police nor prosecutor misconduct coded", style.MUTED),
}


def both_sentence(v: View) -> str | None:
    """'Police and prosecutors were both coded in 667 exonerations (17.4% of all; 28.5% of the 2,333 with
    official misconduct)' — the second share counts only the cases with official misconduct coded Yes
    (666 of those 667 on the full export). None when the file has no misconduct detail."""
    total, both = v.total, both_count(v)
    if both is None or not total:
        return None
    row = v.query("stats").iloc[0]
    of_om = f"; {_of_om(v, int(row['police_and_prosecutor_in_om']))}" if _om(v) else ""
    return f"Police and prosecutors were both coded in {both:,} exonerations ({fmt.pct(both, total)} of all{of_om})"


def _sentence(text: str | None) -> str | None:
    return text and text + "."


def together_title(v: View) -> str:
    both, total = both_count(v), v.total
    return (
        f"Police and prosecutors were both coded with misconduct in {both:,} exonerations "
        f"({fmt.pct_short(both, total)})"
    )


@memoized
def together_chart(v: View) -> Chart | None:
    total = v.total
    if not has_detail(v) or not total:
        return None
    pp = v.query("misconduct_police_and_prosecutor")
    pp["label"] = pp["segment"].map(lambda k: SEGMENTS[k][0])
    pp["color"] = pp["segment"].map(lambda k: SEGMENTS[k][1])
    cap = caption(
        v,
        together_title(v),
        "Exonerations by whether police, prosecutors or both committed misconduct, " + denominator(v, total),
    )
    fig = charts.segments_bar(pp, cap)
    data = pd.DataFrame(
        {
            "Misconduct coded": pp["label"],
            "Exonerations": pp["cases"],
            "Share of exonerations (%)": _pct_col(pp["cases"], total),
        }
    )
    return Chart(
        "police_and_prosecutor",
        cap,
        fig,
        data,
        ("misconduct_police_and_prosecutor", "stats"),
        notes=cautions(_sentence(both_sentence(v)), BOTH_MEANING),
        cautions=cautions(small_caution(total), pre1989_caution(v)),
    )


COOCCURRENCE_NOTE = (
    "Read across a row: of the exonerations with the row's code, how many also have the column's "
    "code. The first four codes say who committed the misconduct, the other seven what was done."
)
TOP_PAIRS = 15


def _pairs(co: pd.DataFrame) -> pd.DataFrame:
    """Each pair of distinct codes once, most often coded together first."""
    off = co[co["row_order"] < co["col_order"]]
    return off.sort_values(["cases", "row_order", "col_order"], ascending=[False, True, True])


def cooccurrence_title(co: pd.DataFrame) -> str:
    off = _pairs(co)
    if off.empty or off.iloc[0]["cases"] == 0:
        return "No two kinds of official misconduct are coded together in these exonerations"
    best = off[off["cases"] == off.iloc[0]["cases"]]
    p = best.iloc[0]
    pair = f"{glossary.in_sentence(p['row_label'])} and {glossary.in_sentence(p['col_label'])}"
    if len(best) > 1:
        return f"Most often coded together, in {int(p['cases']):,} exonerations each: {len(best)} pairs, such as {pair}"
    return f"Most often coded together: {pair} ({int(p['cases']):,} exonerations)"


@memoized
def cooccurrence_chart(v: View) -> Chart | None:
    total = v.total
    if not has_detail(v) or not total:
        return None
    co = v.query("misconduct_cooccurrence")
    co["row_label"] = co["row_code"].map(glossary.label)
    co["col_label"] = co["col_code"].map(glossary.label)
    cap = caption(
        v,
        cooccurrence_title(co),
        f"Exonerations coded with both codes of each pair, {denominator(v, total)}; "
        "grey diagonal: with the code at all",
    )
    fig = charts.cooccurrence(co, cap)
    data = pd.DataFrame(
        {"Code (row)": co["row_label"], "Code (column)": co["col_label"], "Exonerations with both": co["cases"]}
    )
    top = _pairs(co).head(TOP_PAIRS)
    table = pd.DataFrame(
        {
            "Pair of codes": [
                f"{a} + {glossary.in_sentence(b)}" for a, b in zip(top["row_label"], top["col_label"], strict=True)
            ],
            "Exonerations with both": top["cases"].to_list(),
        }
    )
    pairs = pd.DataFrame({"label": table["Pair of codes"], "cases": table["Exonerations with both"]})
    return Chart(
        "misconduct_cooccurrence",
        cap,
        fig,
        data,
        ("misconduct_cooccurrence",),
        narrow=charts.share_bars(pairs, cap, total=total),
        narrow_note=(
            f"On a narrow screen the grid gives way to the {len(pairs)} pairs of codes most often coded "
            "together, with their share of all these exonerations; the CSV has every pair."
        ),
        notes=(
            COOCCURRENCE_NOTE,
            f"The table lists the {len(top)} pairs of distinct codes coded together most "
            "often; the CSV has every cell of the chart.",
        ),
        cautions=cautions(small_caution(total)),
        table=table,
    )


# ---------------------------------------------------------------------------------------------
# Where: the misconduct share by group

GROUPS = ("worst_crime", "race", "dna", "death_sentence")
GROUP_NAMES = {
    "worst_crime": "Worst crime",
    "race": "Race of the exoneree",
    "dna": "DNA",
    "death_sentence": "Death sentence",
}
GROUP_KEYS = {
    "worst_crime": "share_by_crime",
    "race": "share_by_race",
    "dna": "share_by_dna",
    "death_sentence": "share_by_death_sentence",
}
GROUP_MISSING = {
    "worst_crime": "The worst crime is not in this file.",
    "race": "The race of the exoneree is not in this file.",
    "dna": "Whether DNA evidence led to the exoneration is not in this file.",
    "death_sentence": "Death sentences are not in this file.",
}
POOLED_NOTE = "Worst crimes beyond the 12 most frequent under these filters are pooled as “All other crimes”."
UNNAMED_RACES = ("Don't Know", "Other", "Not recorded")


def where_message(v: View) -> str | None:
    """Said instead of the group charts when the file has no official-misconduct factor."""
    return NO_SHARE if _om(v) is None else None


def _group_frame(v: View, dimension: str) -> pd.DataFrame:
    groups = v.query("misconduct_share_by_group")
    d = groups[groups["dimension"] == dimension][["grp", "cases", "misconduct_cases"]].reset_index(drop=True)
    return d.assign(share=[Fraction(int(m), int(n)) for m, n in zip(d["misconduct_cases"], d["cases"], strict=True)])


def group_message(v: View, dimension: str) -> str | None:
    """Said instead of a group chart: the file lacks the column, or every case is in one group."""
    if _om(v) is None:
        return None
    if not v.has(dimension):
        return GROUP_MISSING[dimension]
    d = _group_frame(v, dimension)
    if len(d) == 1:
        return (
            f"{GROUP_NAMES[dimension]}: all {int(d.iloc[0]['cases']):,} filtered exonerations are in one group "
            f"({d.iloc[0]['grp']}), so there is nothing to compare."
        )
    return None


def _race_name(g: str) -> str:
    return f"Exonerees of race “{g}”" if g in UNNAMED_RACES else f"{g} exonerees"


def _highest_title(d: pd.DataFrame, what: str, name_of, prefix: str = "") -> str:
    """The group(s) with the highest share, among groups of at least `style.SMALL_DENOMINATOR` cases."""
    big = d[d["cases"] >= style.SMALL_DENOMINATOR]
    if big.empty:
        return f"Share with official misconduct by {what}: every group has fewer than {style.SMALL_DENOMINATOR} cases"
    top = big[big["share"] == big["share"].max()].sort_values(["cases", "grp"], ascending=[False, True])
    who = fmt.cap(prefix + fmt.join_and(name_of(g) for g in top["grp"]))
    counts = " and ".join(f"{int(c):,}" for c in top["cases"])
    r = top.iloc[0]
    return f"{who} had the highest misconduct share: {fmt.pct_short(r['misconduct_cases'], r['cases'])} of {counts}"


def _two_shares(a: pd.Series, b: pd.Series) -> tuple[str, str]:
    """Two different shares in words that tell them apart: whole percents, else one or two decimals."""
    for f in (fmt.pct_short, fmt.pct, lambda p, w: fmt.pct(p, w, 2)):
        x, y = f(a["misconduct_cases"], a["cases"]), f(b["misconduct_cases"], b["cases"])
        if x != y:
            return x, y
    return x, y


def _pair_title(d: pd.DataFrame, first: tuple[str, str], second: tuple[str, str]) -> str:
    """Which of two groups had the higher share — compared only when both have enough cases."""
    a = d[d["grp"] == first[0]].iloc[0]
    b = d[d["grp"] == second[0]].iloc[0]
    aw, bw = first[1], second[1]
    if min(a["cases"], b["cases"]) < style.SMALL_DENOMINATOR:
        return (
            f"{fmt.cap(aw)}: {fmt.pct_short(a['misconduct_cases'], a['cases'])} of {int(a['cases']):,} with "
            f"official misconduct; {bw}: {fmt.pct_short(b['misconduct_cases'], b['cases'])} of {int(b['cases']):,}"
        )
    if a["share"] == b["share"]:
        return (
            f"{fmt.cap(aw)} and {bw} had the same misconduct share: {fmt.pct_short(a['misconduct_cases'], a['cases'])}"
        )
    (hi, hw), (lo, lw) = sorted(((a, aw), (b, bw)), key=lambda t: -t[0]["share"])
    hs, ls = _two_shares(hi, lo)
    return f"{fmt.cap(hw)} had a higher misconduct share than {lw}: {hs} vs {ls}"


def group_title(d: pd.DataFrame, dimension: str) -> str:
    if dimension == "worst_crime":
        return _highest_title(d, "worst crime", glossary.in_sentence, prefix="among worst crimes, ")
    if dimension == "race":
        return _highest_title(d, "race of the exoneree", _race_name)
    if dimension == "dna":
        return _pair_title(
            d, ("DNA exonerations", "DNA exonerations"), ("Non-DNA exonerations", "non-DNA exonerations")
        )
    return _pair_title(
        d,
        ("Sentenced to death", "exonerees sentenced to death"),
        ("Not sentenced to death", "those not sentenced to death"),
    )


def _few_caution(d: pd.DataFrame) -> str | None:
    small = d[d["cases"] < style.SMALL_DENOMINATOR]
    if small.empty:
        return None
    each = ", ".join(f"{g}: {int(n)}" for g, n in zip(small["grp"], small["cases"], strict=True))
    return f"Grey bars rest on fewer than {style.SMALL_DENOMINATOR} cases each ({each}): treat their shares with care."


@memoized
def group_chart(v: View, dimension: str) -> Chart | None:
    """The share with official misconduct in each group of `dimension` (worst crime, race, DNA, death
    sentence); None when there is nothing to compare (see `group_message`)."""
    total, om = v.total, _om(v)
    if om is None or not total or not v.has(dimension):
        return None
    d = _group_frame(v, dimension)
    if len(d) < 2:
        return None
    cap = caption(
        v,
        group_title(d, dimension),
        "Share with official misconduct in each group (the group is the "
        f"denominator), {denominator(v, total)}; the top bar: all of them",
    )
    plotted = d.assign(share=d["misconduct_cases"] / d["cases"])
    fig = charts.share_by_group(plotted, cap, group="grp", overall=om / total, overall_cases=total)
    data = pd.DataFrame(
        {
            GROUP_NAMES[dimension]: d["grp"],
            "Exonerations": d["cases"],
            "With official misconduct": d["misconduct_cases"],
            "Share with official misconduct (%)": [float(fmt.rounded(100 * s, 1)) for s in d["share"]],
        }
    )
    return Chart(
        GROUP_KEYS[dimension],
        cap,
        fig,
        data,
        ("misconduct_share_by_group",),
        notes=(POOLED_NOTE,) if dimension == "worst_crime" else (),
        cautions=cautions(_few_caution(d)),
    )
