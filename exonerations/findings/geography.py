"""Geography: every state (and the federal courts, DC and the territories) on a tile-grid map of the US,
coloured by misconduct share or by number of exonerations, and the counties (or federal districts) of a
chosen state."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from .. import charts, fmt, style, usmap
from .core import Chart, View, caption, cautions, denominator, memoized, small_caution

TITLE = "Geography"
COUNTIES_HEADING = "Counties"
FEDERAL = "Federal"
TOP = 20  # places drawn (and shown in the Table view) in a county chart; the CSV has them all
MEASURES = {"share": "Share with official misconduct", "count": "Number of exonerations"}
NO_OM = "This file has no official-misconduct coding."
TILES_NOTE = (
    "Each square is a state, laid out roughly where it lies; the dotted box below the grid holds every federal "
    "case (Fed-NY, Fed-DC, Fed-Military, …), which the registry records apart from the states' own courts."
)
CLICK_NOTE = "Click a square, or choose a state under Counties, to see its counties."
FEDERAL_NOTE = (
    "Federal cases are grouped by jurisdiction and district as the registry writes them, e.g. "
    "“Fed-NY (Eastern)” is the Eastern District of New York."
)
DC_NOTE = "The District of Columbia has no counties; its cases have no county recorded."


@memoized
def states(v: View) -> pd.DataFrame:
    """One row per jurisdiction with cases (the `by_state` query), most cases first."""
    return v.query("by_state")


def measure(v: View, wanted: str | None) -> str:
    """What the map is coloured by: `wanted` when it is a known measure the file can show, else the
    share with official misconduct (or the count, in a file without misconduct coding)."""
    if not v.has("official_misconduct"):
        return "count"
    return wanted if wanted in MEASURES else "share"


def choices(df: pd.DataFrame) -> list[str]:
    """The jurisdictions whose counties can be shown, alphabetical, the federal courts last."""
    return sorted((str(j) for j in df["jurisdiction"]), key=lambda j: (j == FEDERAL, j))


def largest(df: pd.DataFrame) -> str | None:
    """The jurisdiction with the most exonerations (the counties shown first)."""
    return str(df.iloc[0]["jurisdiction"]) if len(df) else None


def link_notice(wanted: str, shown: str) -> str:
    """What the page says when a link asks for the counties of a jurisdiction without cases."""
    return (
        f"The link asks for the counties of “{fmt.clip(wanted, 40)}”, which has no cases under these filters; "
        f"showing {shown}."
    )


def share_percent(part: int, whole: int) -> float | None:
    """part / whole as a percentage rounded to one decimal (halves up), for tables and CSVs."""
    return None if not whole else float(fmt.rounded(100 * Fraction(int(part), int(whole)), 1))


def _small_mark(n: int) -> str:
    return f"fewer than {style.SMALL_DENOMINATOR} cases" if n < style.SMALL_DENOMINATOR else ""


def place_table(v: View, df: pd.DataFrame, place: str, name: str) -> pd.DataFrame:
    """The numbers behind a map or a county chart, with readable column names: `place` is the column
    of `df` naming the place, `name` its heading."""
    out = pd.DataFrame({name: df[place].astype(str), "Exonerations": df["cases"].astype(int)})
    if v.has("official_misconduct"):
        out["With official misconduct"] = df["with_misconduct"].astype(int)
        out["Share with misconduct (%)"] = [
            share_percent(m, n) for m, n in zip(df["with_misconduct"], df["cases"], strict=True)
        ]
    if v.has("years_lost"):
        out["Years lost"] = df["years_lost"]
    out["Note"] = [_small_mark(int(n)) for n in df["cases"]]
    return out.reset_index(drop=True)


def small_note(counts, look: str, shares: bool = True) -> str | None:
    """The look of a place resting on few cases, explained (when one is drawn)."""
    if not any(0 < int(n) < style.SMALL_DENOMINATOR for n in counts):
        return None
    few = f"fewer than {style.SMALL_DENOMINATOR} cases"
    if not shares:
        return f"{look} rest on {few}."
    return (
        f"{look} rest on {few}: a few cases more or less would move their share a lot, so treat it with care "
        f"(the table marks them “{few}”)."
    )


# ---------------------------------------------------------------------------------------------
# The map


def _share_words(v: View, df: pd.DataFrame, total: int) -> tuple[str, str]:
    big = df[df["cases"] >= style.SMALL_DENOMINATOR]
    pool = big if len(big) >= 2 else df
    shares = [Fraction(int(m), int(n)) for m, n in zip(pool["with_misconduct"], pool["cases"], strict=True)]
    order = sorted(range(len(pool)), key=lambda i: (-shares[i], -int(pool.iloc[i]["cases"])))
    hi, lo = pool.iloc[order[0]], pool.iloc[order[-1]]
    if len(pool) == 1:
        title = (
            f"Official misconduct played a role in {fmt.pct_short(hi['with_misconduct'], hi['cases'])} of "
            f"exonerations in {hi['jurisdiction']}"
        )
    else:
        title = (
            f"Official misconduct shares run from {fmt.pct_short(hi['with_misconduct'], hi['cases'])} "
            f"({hi['jurisdiction']}) to {fmt.pct_short(lo['with_misconduct'], lo['cases'])} ({lo['jurisdiction']})"
        )
    among = (
        f"range among the {len(big)} with {style.SMALL_DENOMINATOR} or more cases; "
        if pool is big and len(big) < len(df)
        else ""
    )
    return title, f"Share of each jurisdiction's exonerations with official misconduct ({among}{denominator(v, total)})"


def _count_words(v: View, df: pd.DataFrame, total: int) -> tuple[str, str]:
    top = df.head(3)
    names = fmt.join_and(top["jurisdiction"].astype(str))
    n3 = int(top["cases"].sum())
    title = (
        f"{names} account for {n3:,} of {total:,} exonerations ({fmt.pct_short(n3, total)})"
        if len(df) > 3
        else f"Exonerations in {names}"
    )
    return title, "Exonerations by jurisdiction of conviction, " + denominator(v, total)


def map_notes(v: View, df: pd.DataFrame, measure: str) -> tuple[str, ...]:
    off = usmap.off_grid(df["jurisdiction"].astype(str))
    return cautions(
        TILES_NOTE,
        small_note(df["cases"], "Hatched squares with a star (*)") if measure == "share" else None,
        f"Not on the map (listed in the table and in the CSV): {', '.join(off)}." if off else None,
        "The sidebar's state filter is on: other states are drawn empty." if v.filters.states else None,
        CLICK_NOTE,
    )


NARROW_TOP = 20
NARROW_NOTE = (
    f"On a narrow screen the map gives way to the {NARROW_TOP} jurisdictions with the most exonerations, "
    "each with its share with official misconduct; the Table view lists every jurisdiction."
)


@memoized
def map_chart(v: View, measure: str, selected: str | None = None) -> Chart | None:
    """The tile-grid map, coloured by `measure` ("share" or "count"), `selected` outlined."""
    df = states(v)
    total = int(df["cases"].sum()) if len(df) else 0
    if not total:
        return None
    title, subtitle = (_share_words if measure == "share" else _count_words)(v, df, total)
    cap = caption(v, title, subtitle)
    fig = usmap.tile_map(df, cap, measure=measure, selected=selected)
    narrow = charts.place_bars(
        df,
        cap,
        place="jurisdiction",
        share="misconduct_share" if v.has("official_misconduct") else None,
        top=NARROW_TOP,
    )
    return Chart(
        "by_state",
        cap,
        fig,
        place_table(v, df, "jurisdiction", "Jurisdiction"),
        ("by_state",),
        notes=map_notes(v, df, measure),
        cautions=cautions(small_caution(total)),
        narrow=narrow,
        narrow_note=NARROW_NOTE,
    )


# ---------------------------------------------------------------------------------------------
# The counties of one state


def county_notes(state: str) -> tuple[str, ...]:
    return cautions(FEDERAL_NOTE if state == FEDERAL else None, DC_NOTE if state == "District of Columbia" else None)


def _county_title(counties: pd.DataFrame, state: str, n: int) -> str:
    federal = state == FEDERAL
    first = counties.iloc[0]
    whose = "the federal" if federal else f"{state}'s"
    if len(counties) > 1:
        c = int(first["cases"])
        return f"{first['county']} accounts for {c:,} of {whose} {n:,} exonerations ({fmt.pct_short(c, n)})"
    if n == 1:
        return f"The only {'federal exoneration' if federal else f'exoneration in {state}'} is in {first['county']}"
    return f"All {n:,} of {whose} exonerations are in {first['county']}"


@memoized
def counties_chart(v: View, state: str, key: str = "counties", top: int = TOP) -> Chart | None:
    """The `top` counties (or federal districts) of `state` by number of exonerations, with the share
    involving official misconduct; the CSV has every county."""
    counties = v.query("by_county", state=state)
    n = int(counties["cases"].sum()) if len(counties) else 0
    if not n:
        return None
    federal = state == FEDERAL
    unit, units = ("district", "districts") if federal else ("county", "counties")
    noun = "federal exonerations" if federal else f"exonerations in {state}"
    has_om = v.has("official_misconduct")
    shown = min(top, len(counties))
    subtitle = (
        f"Exonerations by {unit} of the crime (top {shown} of {len(counties)} {units})"
        + (", with the share involving official misconduct" if has_om else "")
        + ", "
        + denominator(v, n, noun)
    )
    cap = caption(v, _county_title(counties, state, n), subtitle)
    fig = charts.place_bars(counties, cap, share="misconduct_share" if has_om else None, top=top)
    data = place_table(v, counties, "county", unit.title())
    notes = cautions(
        small_note(counties["cases"].head(top), "Grey bars marked ⚠" if has_om else "Grey bars", has_om),
        f"The table shows the {top} {units} with the most exonerations; the CSV has all {len(counties)}."
        if len(counties) > top
        else None,
        *county_notes(state),
    )
    return Chart(
        key,
        cap,
        fig,
        data,
        ("by_county",),
        notes=notes,
        cautions=cautions(small_caution(n)),
        table=data.head(top) if len(data) > top else None,
    )
