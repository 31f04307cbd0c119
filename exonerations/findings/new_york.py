"""New York: the state's exonerations beside all jurisdictions' and beside the rest of the country's —
how many, the misconduct share, by official and by kind of misconduct — its counties, the years lost and
the cases themselves; and the comparison of one state with the rest of the country for the briefing pack.

"New York" means the state's own courts (State = "New York"); federal cases prosecuted in New York
(`Fed-NY`) are among the rest of the country. "All jurisdictions" is every exoneration in the registry,
New York's included; "the rest of the country" is all of them but the place's (counts subtract exactly).
The sidebar's state filter is set aside here; every other filter applies."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from .. import charts, fmt, glossary, style, tables
from . import geography
from .core import (
    NO_CASES,
    Chart,
    Headline,
    View,
    caption,
    cautions,
    memoized,
    past_coding,
    posted,
    pre1989_caution,
    scope,
    small_caution,
)

STATE = "New York"
TITLE = "New York"
INTRO = (
    "New York's exonerations beside the nation's. New York here means cases in the state's own courts (the "
    "registry's State “New York”); all jurisdictions means every exoneration in the registry — every state, the "
    "District of Columbia, the territories and the federal courts, New York included; the rest of the country "
    "means all of them except New York's."
)
COUNTIES_HEADING = "New York's counties"
YEARS_HEADING = "Years lost"
CASES_HEADING = "The New York cases"
PAGE_SIZE = 500
NYC = {"New York": "Manhattan", "Kings": "Brooklyn", "Queens": "Queens", "Bronx": "Bronx", "Richmond": "Staten Island"}
NO_YEARS = "Years lost: not in this file (the registry's full export has them; the public spreadsheet does not)."
SEVERAL = (
    "A case can have several kinds of misconduct by several officials, so the bars do not add up. The registry "
    "codes conservatively: a missing code does not prove the misconduct absent."
)
SEVERAL_ACTORS = "A case can have misconduct by several officials, so the bars do not add up."
CAMPAIGN = (
    "The campaign's figure — official misconduct in “over half of the 3,776 exonerations nationwide” — is the "
    "registry as of 2026-02-05, all jurisdictions together; set Data as of to that date to see that side of it."
)
PLAYED_A_ROLE = (
    "“Played a role” is the registry's code for cases in which officials significantly abused their authority or "
    "the judicial process; it is not a court finding against a named person."
)
MEAN_MEDIAN = "Mean / median: total years lost divided by the cases that record them / the middle case."
NY_COLOUR, REST_COLOUR, ALL_COLOUR = style.BASE, style.COMPARE, style.GREY


def compare_view(v: View) -> View:
    """The view this page and the comparison use: the sidebar's state filter set aside."""
    return v.with_filters(v.filters.with_(states=()))


def rest_label(place: str = STATE) -> str:
    return f"Rest of the country ({place} excluded)"


def state_filter_notice(v: View) -> str | None:
    """What the page says when the sidebar's state filter is on (it does not apply here)."""
    chosen = v.filters.states
    if not chosen:
        return None
    names = ", ".join(fmt.clip(s, 30) for s in chosen[:3]) + ("…" if len(chosen) > 3 else "")
    return (
        f"The sidebar's state filter ({names}) does not apply on this page: the New York side always counts New "
        "York, all jurisdictions every exoneration and the rest of the country all but New York's. The other "
        "filters apply."
    )


# ---------------------------------------------------------------------------------------------
# The comparison: a place, all jurisdictions and the rest of the country


def _years(value) -> Decimal | None:
    """A sum of years lost as the exact decimal the query returned (it sums one-decimal figures)."""
    return None if fmt.missing(value) else Decimal(repr(float(value)))


def _figures(v: View, row: pd.Series, label: str) -> dict:
    om = v.has("official_misconduct")
    years = v.has("years_lost")
    return {
        "label": label,
        "total": int(row["total"]),
        "factors": {c.key: int(row[c.key]) if v.has(c.column) else None for c in glossary.FACTORS},
        # cases with official misconduct coded Yes and this official / kind among it (a subset of them)
        "misconduct_in_om": {
            c.key: int(row[f"{c.key}_in_om"]) if om and v.has(c.column) else None for c in glossary.MISCONDUCT
        },
        "years_lost": (_years(row["years_lost"]) or Decimal(0)) if years else None,
        "cases_with_years_lost": int(row["cases_with_years_lost"]) if years else 0,
        "median_years_lost": None if not years or fmt.missing(row["median_years_lost"]) else row["median_years_lost"],
    }


def _minus(a: dict, b: dict, label: str) -> dict:
    """`a` less `b`, count by count (a place's figures taken out of the nation's)."""

    def sub(x, y):
        return None if x is None or y is None else x - y

    return {
        "label": label,
        "total": a["total"] - b["total"],
        "factors": {k: sub(x, b["factors"][k]) for k, x in a["factors"].items()},
        "misconduct_in_om": {k: sub(x, b["misconduct_in_om"][k]) for k, x in a["misconduct_in_om"].items()},
        "years_lost": sub(a["years_lost"], b["years_lost"]),
        "cases_with_years_lost": a["cases_with_years_lost"] - b["cases_with_years_lost"],
        "median_years_lost": None,
    }


def _rest_median(v: View, place: str, rest: dict):
    """The median years lost of the rest of the country: the `stats` query over every other state in the
    file (None when that does not cover exactly the rest, e.g. cases without a state)."""
    options = v.query("filter_options")
    others = [s for s in options.loc[options["field"] == "state", "value"] if s != place]
    if not others or not rest["cases_with_years_lost"]:
        return None
    row = v.query("stats", states=others).iloc[0]
    if int(row["total"]) != rest["total"] or fmt.missing(row["median_years_lost"]):
        return None
    return row["median_years_lost"]


def mean_years(f: dict) -> Fraction | None:
    """Years lost per case that records them, exactly."""
    n = f["cases_with_years_lost"]
    return None if f["years_lost"] is None or not n else Fraction(f["years_lost"]) / n


@memoized
def compare_figures(v: View, place: str) -> dict:
    """`place` (one state, as the registry names it) beside all jurisdictions and the rest of the country
    (all jurisdictions less `place`), under `v`'s filters with the sidebar's state filter set aside.

    Returns {"place": …, "nation": …, "rest": …, "name": place, "as_of": "YYYY-MM-DD", "scope": words}, each
    figure set a dict: label; total; factors {key: cases} (the six contributing factors and DNA; None when
    the file lacks the column); misconduct_in_om {key: cases with official misconduct coded Yes and that
    official or kind}; years_lost (exact Decimal sum, None when not in the file); cases_with_years_lost;
    median_years_lost. The rest's counts are the nation's less the place's."""
    cv = compare_view(v)
    place_f = _figures(cv, cv.query("stats", states=[place]).iloc[0], place)
    nation = _figures(cv, cv.query("stats").iloc[0], "All jurisdictions")
    rest = _minus(nation, place_f, rest_label(place))
    if v.has("years_lost"):
        rest["median_years_lost"] = _rest_median(cv, place, rest)
    return {
        "place": place_f,
        "nation": nation,
        "rest": rest,
        "name": place,
        "as_of": cv.as_of,
        "scope": scope(cv.filters),
    }


def _om(f: dict) -> int | None:
    return f["factors"]["official_misconduct"]


def _compare_word(a: dict, b: dict) -> str:
    sa, sb = fmt.share(_om(a), a["total"]), fmt.share(_om(b), b["total"])
    return "above" if sa > sb else "below" if sa < sb else "equal to"


def compare_title(v: View, place: str) -> str:
    """'In New York, official misconduct played a role in 69% of exonerations, against 60% in the rest of
    the country'."""
    f = compare_figures(v, place)
    p, r = f["place"], f["rest"]
    if _om(p) is None:
        return f"{place} counts {p['total']:,} exonerations, against {r['total']:,} in the rest of the country"
    if not p["total"]:
        return f"No exoneration in {place} matches these filters"
    against = (
        f"against {fmt.pct_short(_om(r), r['total'])} in the rest of the country"
        if r["total"]
        else "and no exoneration in the rest of the country matches these filters"
    )
    return (
        f"In {place}, official misconduct played a role in {fmt.pct_short(_om(p), p['total'])} of exonerations, "
        + against
    )


# ---------------------------------------------------------------------------------------------
# The headline


def no_cases(v: View) -> str | None:
    """The sentence shown instead of the page when no case (or none in New York) matches the filters."""
    f = compare_figures(v, STATE)
    if not f["nation"]["total"]:
        return NO_CASES
    if not f["place"]["total"]:
        return (
            f"No cases in New York match these filters ({f['nation']['total']:,} elsewhere do). Widen them in "
            "the sidebar, or press Reset filters."
        )
    return None


def _sentence(f: dict, as_of: str) -> str:
    p, a, r = f["place"], f["nation"], f["rest"]
    if _om(p) is None:
        return f"{p['total']:,} New York exonerations of {a['total']:,} in all — as of {as_of}"
    head = (
        f"Official misconduct played a role in {_om(p):,} of {p['total']:,} New York exonerations "
        f"({fmt.pct(_om(p), p['total'])}), "
    )
    if not r["total"]:
        return head + f"and no exoneration elsewhere matches these filters — as of {as_of}"
    return (
        head + f"{_compare_word(p, r)} the {fmt.pct(_om(r), r['total'])} in the rest of the country "
        f"({_om(r):,} of {r['total']:,}) and the {fmt.pct(_om(a), a['total'])} across all {a['total']:,} "
        f"— as of {as_of}"
    )


@memoized
def headline(v: View) -> Headline:
    cv = compare_view(v)
    f = compare_figures(v, STATE)
    p, a, r = f["place"], f["nation"], f["rest"]
    fed_ny = cv.stats(cv.filters.with_(states=("Fed-NY",)))["total"]
    context = (
        f"{posted(cv)}. Federal cases prosecuted in New York (Fed-NY, {fed_ny:,} under these filters) are not in the "
        "New York figures; they are in the rest of the country's, and among the federal cases on the Geography "
        f"page. {PLAYED_A_ROLE}"
    )

    def with_om(x: dict) -> str:
        return "not in this file" if _om(x) is None else fmt.count_share(_om(x), x["total"])

    metrics = []
    for label, x in (("New York exonerations", p), ("All jurisdictions", a), (rest_label(), r)):
        metrics += [(label, fmt.count(x["total"])), ("…with official misconduct", with_om(x))]
    no_om = "This file has no official-misconduct coding, so the misconduct share cannot be computed."
    return Headline(
        sentence=_sentence(f, cv.as_of),
        context=context,
        metrics=tuple(metrics),
        cautions=cautions(no_om if _om(p) is None else None, small_caution(p["total"], "The New York figures")),
        notes=cautions(None if v.is_demo else CAMPAIGN, past_coding(cv)),
    )


# ---------------------------------------------------------------------------------------------
# By official and by kind of misconduct


def _percent(part: int, whole: int) -> float | None:
    return geography.share_percent(part, whole)


def compared(f: dict, codes) -> pd.DataFrame:
    """One row per code the file has: cases (official misconduct coded Yes, with that code) and shares of
    all exonerations in New York, in all jurisdictions and in the rest of the country."""
    rows = []
    for c in codes:
        counts = [
            x["factors"][c.key] if c.key == "official_misconduct" else x["misconduct_in_om"][c.key]
            for x in (f["place"], f["nation"], f["rest"])
        ]
        if None in counts:
            continue
        row = {"key": c.key, "label": "Any official misconduct" if c.key == "official_misconduct" else c.label}
        for name, x, n in zip(("ny", "all", "rest"), (f["place"], f["nation"], f["rest"]), counts, strict=True):
            row[f"{name}_cases"] = n
            row[f"{name}_share"] = n / x["total"] if x["total"] else None
        rows.append(row)
    return pd.DataFrame(rows)


def _series(f: dict) -> tuple[tuple[str, str, str, str], ...]:
    return (
        ("ny_share", "ny_cases", f"New York (of {f['place']['total']:,})", NY_COLOUR),
        ("all_share", "all_cases", f"All jurisdictions (of {f['nation']['total']:,})", ALL_COLOUR),
        (
            "rest_share",
            "rest_cases",
            f"Rest of the country, New York excluded (of {f['rest']['total']:,})",
            REST_COLOUR,
        ),
    )


def _data(df: pd.DataFrame, f: dict, first: str) -> pd.DataFrame:
    out = pd.DataFrame({first: df["label"]})
    for name, x in (("ny", f["place"]), ("all", f["nation"]), ("rest", f["rest"])):
        label = "New York" if name == "ny" else x["label"]
        out[f"{label}: exonerations"] = df[f"{name}_cases"].astype(int)
        out[f"{label}: share of exonerations (%)"] = [_percent(n, x["total"]) for n in df[f"{name}_cases"]]
    return out


def _versus(row: pd.Series, f: dict) -> str:
    ny = fmt.pct_short(row["ny_cases"], f["place"]["total"])
    if not f["rest"]["total"]:
        return f"{ny} of New York exonerations"
    return f"{ny} of New York exonerations, against {fmt.pct_short(row['rest_cases'], f['rest']['total'])} in the rest of the country"


def _subtitle(what: str, f: dict, cv: View) -> str:
    s = scope(cv.filters)
    return (
        f"{what} — New York: of {f['place']['total']:,} "
        f"(state courts); all jurisdictions: of {f['nation']['total']:,}; rest of the country: of "
        f"{f['rest']['total']:,}; posted by {cv.as_of}" + (f" ({s})" if s else "")
    )


def _pair_chart(v: View, key: str, df: pd.DataFrame, f: dict, title: str, what: str, first: str, note: str) -> Chart:
    cv = compare_view(v)
    cap = caption(cv, title, _subtitle(what, f, cv))
    fig = charts.paired_share_bars(df, cap, series=_series(f))
    return Chart(
        key,
        cap,
        fig,
        _data(df, f, first),
        ("stats",),
        notes=(note,),
        cautions=cautions(small_caution(f["place"]["total"], "The New York shares"), pre1989_caution(cv)),
    )


@memoized
def actor_chart(v: View) -> Chart | None:
    """Who committed the misconduct: any official misconduct, then each official, in New York, all
    jurisdictions and the rest of the country."""
    f = compare_figures(v, STATE)
    if _om(f["place"]) is None or not f["place"]["total"]:
        return None
    df = compared(f, (glossary.BY_KEY["official_misconduct"], *glossary.ACTORS))
    if len(df) < 2:
        return None
    top = df.iloc[1:].sort_values("ny_cases", ascending=False, kind="stable").iloc[0]
    title = f"Misconduct by a {top['label'].lower()} played a role in {_versus(top, f)}"
    return _pair_chart(
        v,
        "ny_by_actor",
        df,
        f,
        title,
        "Who committed the misconduct: the share of all exonerations in which misconduct by each official played a role",
        "Official",
        SEVERAL_ACTORS,
    )


@memoized
def kind_chart(v: View) -> Chart | None:
    """What the misconduct was, in New York, all jurisdictions and the rest of the country."""
    f = compare_figures(v, STATE)
    if _om(f["place"]) is None or not f["place"]["total"]:
        return None
    df = compared(f, glossary.KINDS)
    if df.empty:
        return None
    top = df.sort_values("ny_cases", ascending=False, kind="stable").iloc[0]
    title = f"{top['label']}: {_versus(top, f)}"
    return _pair_chart(
        v,
        "ny_by_kind",
        df,
        f,
        title,
        "What the misconduct was: the share of all exonerations in which misconduct of each kind played a role",
        "Kind of misconduct",
        SEVERAL,
    )


# ---------------------------------------------------------------------------------------------
# Counties


@memoized
def county_rows(v: View, state: str, top: int = 10) -> pd.DataFrame:
    """The `top` counties of `state` by number of exonerations (the sidebar's state filter set aside):
    county, cases, with_misconduct, share (the share with official misconduct as text, e.g. '69.1%'; a
    county with fewer than `style.SMALL_DENOMINATOR` cases rests on few cases)."""
    df = compare_view(v).query("by_county", state=state).head(top)
    return pd.DataFrame(
        {
            "county": df["county"].astype(str),
            "cases": df["cases"].astype(int),
            "with_misconduct": df["with_misconduct"].astype(int),
            "share": [fmt.pct(m, n) for m, n in zip(df["with_misconduct"], df["cases"], strict=True)],
        }
    ).reset_index(drop=True)


def _county_name(name: str) -> str:
    return name if name.endswith("County") else f"{name} County"


def nyc_note(counties: pd.DataFrame, total: int) -> str | None:
    nyc = counties[counties["county"].isin(list(NYC))]
    if nyc.empty:
        return None
    n = int(nyc["cases"].sum())
    names = ", ".join(k if k == b else f"{k} = {b}" for k, b in NYC.items())
    return f"New York City's five counties ({names}) account for {n:,} of the {total:,} ({fmt.pct_short(n, total)})."


@memoized
def counties_chart(v: View) -> Chart | None:
    """New York's counties by number of exonerations (the top 20; the CSV has them all)."""
    cv = compare_view(v)
    chart = geography.counties_chart(cv, STATE, key="ny_counties")
    if chart is None:
        return None
    counties = cv.query("by_county", state=STATE)
    total = int(counties["cases"].sum())
    first = counties.iloc[0]
    c = int(first["cases"])
    title = (
        f"{_county_name(str(first['county']))} accounts for {c:,} of New York's {total:,} exonerations "
        f"({fmt.pct_short(c, total)})"
    )
    return replace(
        chart, caption=replace(chart.caption, title=title), notes=cautions(*chart.notes, nyc_note(counties, total))
    )


# ---------------------------------------------------------------------------------------------
# Years lost


def _per_case(f: dict) -> str:
    return f"{fmt.years(mean_years(f))} / {fmt.years(f['median_years_lost'])}"


def years_metrics(v: View) -> tuple[tuple[str, ...], ...]:
    """Years lost by New York exonerees, and per case (mean / median) in New York, in all jurisdictions
    and in the rest of the country; () when the file has no years lost."""
    if not v.has("years_lost"):
        return ()
    f = compare_figures(v, STATE)
    p = f["place"]
    total = fmt.DASH if not p["cases_with_years_lost"] else fmt.number(p["years_lost"], 0)
    return (
        ("Years lost in New York", total, "Years lost by New York exonerees, in all."),
        ("Per case, New York (mean / median)", _per_case(p), MEAN_MEDIAN),
        ("Per case, all jurisdictions", _per_case(f["nation"]), MEAN_MEDIAN),
        ("Per case, rest of the country", _per_case(f["rest"]), "New York excluded. " + MEAN_MEDIAN),
    )


def years_note(v: View) -> str:
    f = compare_figures(v, STATE)
    cv = compare_view(v)
    s = scope(cv.filters)
    return (
        f"Years between conviction and release, as the registry records them, over the "
        f"{f['place']['cases_with_years_lost']:,} New York, {f['nation']['cases_with_years_lost']:,} national and "
        f"{f['rest']['cases_with_years_lost']:,} rest-of-country cases that record them; posted by {cv.as_of}"
        + (f" ({s})" if s else "")
        + "."
    )


# ---------------------------------------------------------------------------------------------
# The cases


def cases_label(v: View) -> str:
    n = compare_figures(v, STATE)["place"]["total"]
    return f"The {n:,} New York exonerations, newest first, as a table"


def cases_page(v: View, offset: int, limit: int = PAGE_SIZE) -> pd.DataFrame:
    """One page of the New York cases, newest first, shaped for the table and its CSV."""
    rows = compare_view(v).query(
        "cases_table", states=[STATE], search=None, sort="exoneration_year", descending=True, limit=limit, offset=offset
    )
    return tables.case_rows(rows, v.has("nre_id"), v.has("years_lost"), state=False, factors=False)


def cases_caption(v: View, offset: int, shown: int) -> str:
    n = compare_figures(v, STATE)["place"]["total"]
    codes = "; ".join(f"{c.code} {c.label.lower()}" for c in glossary.MISCONDUCT)
    return (
        f"Showing rows {offset + 1:,}–{offset + shown:,} of {n:,} New York exonerations, newest first. "
        f"Misconduct codes: {codes}"
        + ("" if v.has("years_lost") else ". Years lost: not in this file")
        + ("" if v.has("nre_id") else ". No registry case IDs in this file, so no links")
        + "."
    )


def cases_preamble(v: View, offset: int, shown: int) -> list[str]:
    """The lines heading the CSV of a page of cases."""
    cv = compare_view(v)
    n = compare_figures(v, STATE)["place"]["total"]
    s = scope(cv.filters)
    return [
        f"Source: {glossary.SOURCE}" + (" — SYNTHETIC DEMO DATA, not real cases" if v.is_demo else ""),
        f"New York exonerations (state courts) posted by {cv.as_of}" + (f" ({s})" if s else ""),
        f"Rows {offset + 1}-{offset + shown} of {n}",
    ]
