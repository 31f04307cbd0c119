"""Overview: the headline figure, the six contributing factors ranked (DNA apart), the misconduct share,
and how the registry grew."""

from __future__ import annotations

import pandas as pd

from .. import charts, claims, fmt, glossary
from .core import Chart, Headline, View, caption, cautions, denominator, memoized, past_coding, posted, small_caution

TITLE = "Official misconduct in wrongful convictions"
OM_LABEL = glossary.label("official_misconduct")
PLAYED_A_ROLE = (
    "“Played a role” is the registry's code for cases in which officials significantly abused their "
    "authority or the judicial process; it is not a court finding against a named person."
)


@memoized
def headline(v: View) -> Headline:
    s = v.stats()
    total, om = s["total"], s["factors"]["official_misconduct"]
    yl = s["years_lost"]
    if om is None:
        sentence = f"{total:,} exonerations — as of {v.as_of}"
        extra = ("This file has no official-misconduct coding, so the misconduct share cannot be computed.",)
    else:
        sentence = (
            f"Official misconduct played a role in {om:,} of {total:,} exonerations ({fmt.pct(om, total)}) "
            f"— as of {v.as_of}"
        )
        extra = ()
    return Headline(
        sentence=sentence,
        context=f"{posted(v)}. {PLAYED_A_ROLE}",
        metrics=(
            ("Exonerations", fmt.count(total)),
            ("With official misconduct", "not in this file" if om is None else fmt.count_share(om, total)),
            ("Years lost in prison", "not in this file" if yl is None else fmt.number(yl, 0)),
        ),
        cautions=cautions(*extra, small_caution(total)),
        notes=cautions(past_coding(v)),
    )


def factor_rows(v: View) -> list[tuple[str, str, int]]:
    """(key, label, cases) for the six contributing factors the file has, most frequent first (ties in
    the registry's order). DNA is not among them."""
    f = v.stats()["factors"]
    rows = [(c.key, c.label, f[c.key]) for c in glossary.CONTRIBUTING if f[c.key] is not None]
    return sorted(rows, key=lambda r: -r[2])


def rank_words(v: View) -> str:
    """Where official misconduct ranks among the six contributing factors: 'the most common
    contributing factor', 'second only to perjury or false accusation', 'the no. 3 contributing factor'."""
    rows = factor_rows(v)
    om = next((n for k, _, n in rows if k == "official_misconduct"), None)
    if om is None:
        return ""
    higher = [label for k, label, n in rows if n > om]
    tied = [glossary.in_sentence(label) for k, label, n in rows if n == om and k != "official_misconduct"]
    if not higher:
        return (
            f"tied with {fmt.join_and(tied)} as the most common contributing factor"
            if tied
            else "the most common contributing factor"
        )
    if len(higher) == 1 and not tied:
        return f"second only to {glossary.in_sentence(higher[0])}"
    return f"the no. {len(higher) + 1} contributing factor" + (" (tied)" if tied else "")


def factors_title(v: View) -> str:
    s = v.stats()
    total, om = s["total"], s["factors"]["official_misconduct"]
    rows = factor_rows(v)
    if om is None:
        return f"{rows[0][1]} is the most common contributing factor" if rows else "Contributing factors"
    return f"Official misconduct played a role in {fmt.pct_short(om, total)} of exonerations — {rank_words(v)}"


def dna_sentence(v: View) -> str | None:
    """DNA is how a case was resolved, shown apart from the contributing factors."""
    s = v.stats()
    dna, total = s["factors"]["dna"], s["total"]
    if dna is None or not total:
        return None
    return (
        f"DNA evidence was central to {dna:,} of these {total:,} exonerations ({fmt.pct(dna, total)}). DNA is "
        "how a case was resolved, not a contributing factor, so it is not ranked among them."
    )


@memoized
def factors_chart(v: View) -> Chart | None:
    s = v.stats()
    total = s["total"]
    rows = factor_rows(v)
    if not rows or not total:
        return None
    df = pd.DataFrame([{"key": k, "label": label, "cases": n} for k, label, n in rows])
    cap = caption(
        v,
        factors_title(v),
        "Exonerations with each contributing factor (a case can have several), " + denominator(v, total),
    )
    fig = charts.share_bars(df, cap, total=total, highlight=OM_LABEL)
    data = pd.DataFrame(
        {
            "Contributing factor": df["label"],
            "Exonerations": df["cases"],
            "Share of exonerations (%)": [float(fmt.rounded(100 * n / total, 1)) for n in df["cases"]],
        }
    )
    return Chart(
        "factors", cap, fig, data, ("stats",), notes=cautions(dna_sentence(v)), cautions=cautions(small_caution(total))
    )


@memoized
def misconduct_share_chart(v: View) -> Chart | None:
    s = v.stats()
    total, om = s["total"], s["factors"]["official_misconduct"]
    if om is None or not total:
        return None
    cap = caption(
        v,
        f"{fmt.pct_short(om, total)} of exonerations involved official misconduct",
        "Exonerations with and without official misconduct, " + denominator(v, total),
    )
    fig = charts.split_bar(om, total, cap, "With official misconduct", "Without (or not coded)")
    data = pd.DataFrame(
        {
            "Group": ["With official misconduct", "Without (or not coded)"],
            "Exonerations": [om, total - om],
            "Share of exonerations (%)": [
                float(fmt.rounded(100 * om / total, 1)),
                float(fmt.rounded(100 * (total - om) / total, 1)),
            ],
        }
    )
    return Chart("misconduct_share", cap, fig, data, ("stats",), cautions=cautions(small_caution(total)))


def campaign_marker(v: View, growth: pd.DataFrame) -> dict | None:
    """The campaign's total (3,776, from the claims file) as a labelled point on the growth chart, when
    no filter is set and the registry held exactly that many cases by the as-of date."""
    n = claims.campaign_total()
    if not n or v.filters.with_(as_of=None).describe():
        return None
    reached = v.query("registry_reached", n=n)
    hit = reached[reached["exact"]]
    if hit.empty or pd.Timestamp(hit.iloc[0]["from_date"]) > pd.Timestamp(v.as_of):
        return None
    d = hit.iloc[0]["from_date"]
    then = growth[growth["posting_date"] == d].iloc[0]
    om_then = int(then["cumulative_misconduct"])
    return {
        "date": d,
        "cases": n,
        "text": f"{n:,} cases on {pd.Timestamp(d).date()}: {om_then:,} ({fmt.pct(om_then, n)}) with official misconduct",
    }


@memoized
def growth_chart(v: View) -> Chart | None:
    growth = v.query("registry_growth")
    if growth.empty:
        return None
    first, last = growth.iloc[0], growth.iloc[-1]
    title = (
        f"The registry grew from {int(first['cumulative_cases']):,} to {int(last['cumulative_cases']):,} "
        f"cases between {pd.Timestamp(first['posting_date']).year} and {pd.Timestamp(last['posting_date']).year}"
    )
    cap = caption(
        v,
        title,
        "Cumulative exonerations by the date the registry posted them, "
        + denominator(v, int(last["cumulative_cases"])),
    )
    fig = charts.growth(growth, cap, campaign_marker(v, growth))
    names = {
        "posting_date": "Posting date",
        "cases": "Posted that day",
        "cumulative_cases": "Exonerations (cumulative)",
        "cumulative_misconduct": "With official misconduct (cumulative)",
    }
    data = growth.rename(columns=names)
    # The Table view: the registry's size at the last posting of each year (the CSV has every date).
    year = pd.to_datetime(growth["posting_date"]).dt.year
    ends = growth[year != year.shift(-1)].drop(columns="cases").rename(columns=names)
    return Chart(
        "growth",
        cap,
        fig,
        data,
        ("registry_growth", "registry_reached"),
        table=ends,
        notes=("The table shows the registry at its last posting of each year; the CSV has every posting date.",),
    )
