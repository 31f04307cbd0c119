"""Accountability: of the exonerations with official misconduct, in how many the registry records that an
official was disciplined — for the misconduct in the case, for misconduct in the case that did not cause the
conviction, for similar or for other misconduct in other cases — and in how many no discipline is known to
it; by jurisdiction (states ranked, New York beside all jurisdictions and the rest of the country, New York's
counties); prosecutors' misconduct at trial; misconduct that did not cause the conviction; extreme judicial
misconduct; how the convictions were obtained and who helped clear them.

Every share "of the exonerations with official misconduct" counts only the cases with official misconduct
coded Yes (stats.sql `acc_*` and the accountability queries), so its numerator is a subset of its
denominator. The public spreadsheet has none of these columns: every figure from them is "not in this file",
never 0."""

from __future__ import annotations

import functools

import pandas as pd

from .. import charts, fmt, glossary, style
from . import geography, new_york
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
    scope,
    small_caution,
)

TITLE = "Accountability: what happened to the officials"
INTRO = (
    "When official misconduct played a role in a wrongful conviction, was any official disciplined? The "
    "registry's full export records, for each exoneration with official misconduct, whether an official was "
    "disciplined and for what; what prosecutors did at trial; misconduct that did not cause the conviction; "
    "extreme misconduct by a judge; how the conviction was obtained and who helped clear it. Shares of "
    "discipline are of the exonerations with official misconduct only."
)
HEADINGS = {
    "discipline": "Was an official disciplined?",
    "states": "By jurisdiction",
    "new_york": "New York beside the nation",
    "counties": "New York's counties",
    "trial": "Prosecutors' misconduct at trial",
    "not_connected": "Misconduct that did not cause the conviction",
    "judicial": "Extreme judicial misconduct",
    "conviction": "How the convictions were obtained",
    "cleared": "Who helped clear them",
}
# The page's questions, one tab each (a link carries the tab: ?tab=trial), and the sections of each.
TABS = {
    "discipline": "Discipline",
    "places": "By jurisdiction, New York",
    "trial": "At trial and beyond",
    "conviction": "Conviction and clearing",
}
TAB_SECTIONS = {
    "discipline": ("discipline",),
    "places": ("states", "new_york", "counties"),
    "trial": ("trial", "not_connected", "judicial"),
    "conviction": ("conviction", "cleared"),
}
DEFINITIONS_LABEL = "What each category means (the registry's own wording)"
NOT_IN_FILE = "not in this file"
OM_NOUN = "exonerations with official misconduct"
NOT_PROOF = (
    "“No discipline known to the registry” is not proof that none happened: the registry codes such a case "
    "“No or don't know” — it knows of no discipline of any official in it."
)
PER_CASE = (
    "Discipline is coded per case, not per official: the registry does not say whose discipline it records, so "
    "these figures cannot be split between police officers and prosecutors."
)
NOT_LIABILITY = (
    "Discipline is not civil liability: these figures say nothing about lawsuits, settlements or damages, which "
    "the registry does not code here."
)
OTHER_CASES = (
    "Discipline “in other cases” is discipline of an official of this case for misconduct in other cases, not for "
    "the misconduct in this one."
)
GUIDANCE = (NOT_PROOF, PER_CASE, NOT_LIABILITY)
GUIDANCE_SHORT = (
    "“No discipline known” is not proof that none happened; discipline is coded per case, not per official (it "
    "cannot be split between police and prosecutors); and it is not civil liability."
)
STATE_COURTS = (
    "New York here means the cases in the state's own courts; federal cases prosecuted in New York (Fed-NY) are "
    "among the rest of the country."
)
PRE1989 = (
    "Cases exonerated before 1989 are included. The registry codes the discipline of officials, prosecutors' "
    "conduct at trial, misconduct that did not cause the conviction, extreme judicial misconduct and the form of "
    "conviction for cases exonerated from 1989 on: the earlier cases count as not coded, so shares of all these "
    "exonerations understate them here."
)
TOP_STATES = 20  # jurisdictions drawn (and shown in the Table view); the CSV has them all
TOP_COUNTIES = 10

# Where each figure comes from: the full export's column, for the sentence said when the file lacks it.
SOURCES = {
    "discipline": ("disc_any", glossary.DISCIPLINE_ANSWERS.header, "Whether an official was disciplined"),
    "trial": ("trial_any", glossary.PROSECUTOR_AT_TRIAL_ANSWERS.header, "Prosecutors' misconduct at trial"),
    "not_connected": (
        "omnc_any",
        glossary.NOT_CONNECTED_ANSWERS.header,
        "Misconduct that did not cause the conviction",
    ),
    "judicial": ("judicial_misconduct", "Extreme judicial misconduct", "Extreme judicial misconduct"),
    "conviction": ("conviction_form", "Form of 1st Conviction", "How the conviction was obtained"),
    "cleared": ("tags", "Case Characteristics", "Who helped clear the case"),
}
FORM_PHRASES = {
    "jury": "were convicted by a jury",
    "plea": "pleaded guilty",
    "bench": "were convicted by a judge without a jury",
    "other_or_unknown": "were convicted in a way the registry does not record",
}
HELPERS = {
    "CIU": glossary.BY_CODE["CIU"].label,
    "IO": glossary.BY_CODE["IO"].label,
}
DISCIPLINE_LABELS = {c.key: c.label for c in glossary.DISCIPLINE}
# The charts' labels: the glossary's, one shortened so that it keeps to a phone's chart width.
CHART_LABELS = {
    **DISCIPLINE_LABELS,
    "this_case_not_contributing": "Disciplined for misconduct not causing the conviction",
}
SUMMARY_LABELS = {c.key: c.label for c in glossary.DISCIPLINE_SUMMARY}


# ---------------------------------------------------------------------------------------------
# What the file has


def missing(v: View, section: str) -> str | None:
    """The sentence shown instead of a section (a key of HEADINGS) when the loaded file lacks its column
    (None when it has it). The sections by jurisdiction rest on the discipline coding."""
    key = section if section in SOURCES else "discipline"
    column, header, what = SOURCES[key]
    if v.has(column) and (key != "discipline" or v.has("official_misconduct")):
        return None
    if key != section:
        return f"{HEADINGS[section]}: {NOT_IN_FILE} — the loaded file has no discipline coding (see above)."
    return (
        f"{what}: {NOT_IN_FILE}. The loaded file ({v.meta.layout_name or 'this layout'}) has no “{header}” column "
        "(the registry's full export has it; the public spreadsheet does not), so the figure is unknown — not zero."
    )


def nothing(section: str) -> str:
    """What a section says when no case it counts matches the filters."""
    if section in ("new_york", "counties"):
        return "No New York exoneration with official misconduct matches these filters."
    if section in ("discipline", "states"):
        return "No exoneration with official misconduct matches these filters."
    return "No exoneration matches these filters."


def figures(v: View, filters=None) -> dict | None:
    """The `accountability` counts of `stats` (om_cases, disciplined_<kind>, any_discipline,
    no_known_discipline, not_coded — all among the cases with official misconduct), None when the file
    has no discipline coding."""
    if missing(v, "discipline"):
        return None
    return v.stats(filters)["accountability"]


def _percent(part: int, whole: int) -> float | None:
    """part / whole as a percentage to one decimal (halves up), for tables and CSVs."""
    return geography.share_percent(part, whole)


def _small_mark(n: int) -> str:
    return f"fewer than {style.SMALL_DENOMINATOR} cases" if n < style.SMALL_DENOMINATOR else ""


# ---------------------------------------------------------------------------------------------
# The headline


def _om_metric(om: int | None, total: int) -> str:
    return NOT_IN_FILE if om is None else fmt.count_share(om, total)


@memoized
def headline(v: View) -> Headline:
    s = v.stats()
    total, om = s["total"], s["factors"]["official_misconduct"]
    a = figures(v)
    if a is None:
        lead = (
            f"Official misconduct played a role in {om:,} of {total:,} exonerations ({fmt.pct(om, total)}); "
            "whether an official was disciplined is not in this file"
            if om is not None
            else f"{total:,} exonerations; official misconduct and the discipline of officials are not in this file"
        )
        sentence, extra = f"{lead} — as of {v.as_of}", ()
    elif not a["om_cases"]:
        sentence, extra = f"No exoneration with official misconduct matches these filters — as of {v.as_of}", ()
    else:
        n, om = a["no_known_discipline"], a["om_cases"]
        sentence = (
            f"In {n:,} of the {om:,} exonerations with official misconduct ({fmt.pct(n, om)}), no discipline of any "
            f"official is known to the registry — as of {v.as_of}"
        )
        extra = ()

    def of_om(key: str) -> str:
        return NOT_IN_FILE if a is None else fmt.count_share(a[key], a["om_cases"])

    help_ = "Of the exonerations with official misconduct (coded Yes); the three add up to them."
    return Headline(
        sentence=sentence,
        context=f"{posted(v)}. Shares of discipline are of the exonerations with official misconduct, not of all "
        "exonerations.",
        metrics=(
            ("Exonerations with official misconduct", _om_metric(om, total), "Of all these exonerations."),
            (SUMMARY_LABELS["any_discipline"], of_om("any_discipline"), help_),
            (SUMMARY_LABELS["no_known_discipline"], of_om("no_known_discipline"), help_),
            (SUMMARY_LABELS["not_coded"], of_om("not_coded"), help_),
        ),
        cautions=cautions(
            *extra,
            small_caution(a["om_cases"] if a else None, "The discipline figures"),
            PRE1989 if v.filters.include_pre_1989 and a is not None else None,
        ),
        notes=cautions(*(GUIDANCE if a is not None else ()), past_coding(v)),
    )


# ---------------------------------------------------------------------------------------------
# Was an official disciplined?


def _of_om(v: View, om: int) -> str:
    return denominator(v, om, OM_NOUN)


def split_title(a: dict) -> str:
    """'In 68% of exonerations with official misconduct, no official is known to the registry to have been
    disciplined' (`a`: the `figures`, with at least one case with official misconduct)."""
    return (
        f"In {fmt.pct_short(a['no_known_discipline'], a['om_cases'])} of exonerations with official misconduct, no "
        "official is known to the registry to have been disciplined"
    )


@memoized
def split_chart(v: View) -> Chart | None:
    """The exonerations with official misconduct split three ways: an official disciplined, no discipline
    known to the registry, not coded."""
    a = figures(v)
    if a is None or not a["om_cases"]:
        return None
    om = a["om_cases"]
    keys = [k for k in ("any_discipline", "no_known_discipline", "not_coded") if k != "not_coded" or a[k]]
    colours = {"any_discipline": style.SKY, "no_known_discipline": style.BASE, "not_coded": style.MUTED}
    df = pd.DataFrame(
        {"label": [SUMMARY_LABELS[k] for k in keys], "cases": [a[k] for k in keys], "color": [colours[k] for k in keys]}
    )
    cap = caption(v, split_title(a), "What the registry records about the discipline of officials, " + _of_om(v, om))
    data = pd.DataFrame(
        {
            "Discipline": df["label"],
            "Exonerations with official misconduct": df["cases"],
            "Share of them (%)": [_percent(n, om) for n in df["cases"]],
        }
    )
    notes = (f"The parts add up to the {om:,} exonerations with official misconduct.", NOT_PROOF)
    return Chart(
        "acc_split",
        cap,
        charts.segments_bar(df, cap),
        data,
        ("stats",),
        notes=notes,
        cautions=cautions(small_caution(om)),
    )


def kind_rows(v: View) -> list[tuple[str, str, int]]:
    """(key, label, cases) for the registry's four kinds of discipline, among the cases with official
    misconduct, most frequent first ([] when the file has no discipline coding)."""
    a = figures(v)
    if a is None:
        return []
    rows = [(c.key, CHART_LABELS[c.key], a[f"disciplined_{c.key}"]) for c in glossary.DISCIPLINE]
    return sorted(rows, key=lambda r: -r[2])


KIND_WORDS = {
    "this_case": "for the misconduct in the case itself (at least in part)",
    "this_case_not_contributing": "for misconduct in the case that did not cause the conviction",
    "other_similar": "for similar misconduct in other cases",
    "other_dissimilar": "for other misconduct in other cases",
}


def kinds_sentence(a: dict) -> str:
    """'An official was disciplined in 740 of the 2,333 exonerations with official misconduct (31.7%): for
    the misconduct in the case itself (at least in part) in 174 (7.5%); …' (`a`: the `figures`)."""
    om = a["om_cases"]
    parts = [f"{KIND_WORDS[c.key]} in {fmt.count_share(a[f'disciplined_{c.key}'], om)}" for c in glossary.DISCIPLINE]
    return (
        f"An official was disciplined in {a['any_discipline']:,} of the {om:,} exonerations with official misconduct "
        f"({fmt.pct(a['any_discipline'], om)}): " + "; ".join(parts) + "."
    )


def kinds_title(v: View) -> str:
    a = figures(v)
    n, om = a["disciplined_this_case"], a["om_cases"]
    return (
        f"An official was disciplined for the misconduct in the case itself in {n:,} of the {om:,} exonerations "
        f"with official misconduct ({fmt.pct_short(n, om)})"
    )


@memoized
def kinds_chart(v: View) -> Chart | None:
    """The four kinds of discipline the registry records, each as a share of the exonerations with
    official misconduct."""
    a = figures(v)
    if a is None or not a["om_cases"]:
        return None
    om = a["om_cases"]
    rows = kind_rows(v)
    df = pd.DataFrame([{"key": k, "label": label, "cases": n} for k, label, n in rows])
    cap = caption(
        v,
        kinds_title(v),
        "Exonerations with official misconduct by the discipline recorded (a case can have several), " + _of_om(v, om),
    )
    data = pd.DataFrame(
        {
            "Discipline": df["label"],
            "Exonerations with official misconduct": df["cases"],
            "Share of them (%)": [_percent(n, om) for n in df["cases"]],
        }
    )
    notes = (
        f"A case can have several kinds of discipline, so the bars add up to more than the {a['any_discipline']:,} "
        "exonerations in which any official was disciplined.",
        OTHER_CASES,
        PER_CASE,
        NOT_LIABILITY,
    )
    return Chart(
        "acc_kinds",
        cap,
        charts.share_bars(df, cap, total=om),
        data,
        ("stats",),
        notes=notes,
        cautions=cautions(small_caution(om)),
    )


@functools.cache  # fixed words: made once per process (shared: never change it)
def definitions() -> pd.DataFrame:
    """Each category of discipline (as the charts name it) with its meaning, in the registry's own words where
    it has them."""
    codes = (*glossary.DISCIPLINE, *glossary.DISCIPLINE_SUMMARY)
    labels = {**SUMMARY_LABELS, **CHART_LABELS}
    return pd.DataFrame({"Category": [labels[c.key] for c in codes], "Meaning": [c.definition for c in codes]})


# ---------------------------------------------------------------------------------------------
# By jurisdiction


def state_rows(v: View) -> pd.DataFrame:
    """Every jurisdiction with at least one exoneration with official misconduct (`by_state`),
    most such cases first, with `share`: the share of them with no discipline known to the registry."""
    df = v.query("by_state").rename(columns={"with_misconduct": "om_cases"})
    df = df[df["om_cases"] > 0].sort_values(["om_cases", "cases", "jurisdiction"], ascending=[False, False, True])
    df["share"] = [n / om for n, om in zip(df["no_known_discipline"], df["om_cases"], strict=True)]
    return df.reset_index(drop=True)


def _place_data(df: pd.DataFrame, place: str, name: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            name: df[place].astype(str),
            "Exonerations": df["cases"].astype(int),
            "With official misconduct": df["om_cases"].astype(int),
            "An official disciplined": df["any_discipline"].astype(int),
            "Share disciplined (%)": [
                _percent(n, m) for n, m in zip(df["any_discipline"], df["om_cases"], strict=True)
            ],
            "No discipline known": df["no_known_discipline"].astype(int),
            "Share with no discipline known (%)": [
                _percent(n, m) for n, m in zip(df["no_known_discipline"], df["om_cases"], strict=True)
            ],
            "Not coded": df["not_coded"].astype(int),
            "Note": [_small_mark(int(n)) for n in df["om_cases"]],
        }
    ).reset_index(drop=True)


def _range_title(shown: pd.DataFrame, place: str, whose: str) -> str:
    """'Among the 20 jurisdictions with the most exonerations with official misconduct, the share with no
    discipline known to the registry runs from 93% (Missouri) to 46% (Illinois)' — among the places drawn
    that rest on enough cases."""
    big = shown[shown["om_cases"] >= style.SMALL_DENOMINATOR]
    pool = big if len(big) >= 2 else shown
    order = pool.sort_values(["share", "om_cases"], ascending=[False, False], kind="stable")
    hi, lo = order.iloc[0], order.iloc[-1]

    def part(r) -> str:
        return f"{fmt.pct_short(r['no_known_discipline'], r['om_cases'])} ({r[place]})"

    if len(pool) == 1:
        return (
            f"No discipline is known to the registry in {fmt.pct_short(hi['no_known_discipline'], hi['om_cases'])} "
            f"of {hi[place]}'s exonerations with official misconduct"
        )
    aside = (
        f" (leaving aside those with fewer than {style.SMALL_DENOMINATOR})"
        if pool is big and len(big) < len(shown)
        else ""
    )
    return (
        f"Among the {len(shown)} {whose} with the most exonerations with official misconduct{aside}, the share with "
        f"no discipline known to the registry runs from {part(hi)} to {part(lo)}"
    )


@memoized
def states_chart(v: View) -> Chart | None:
    """The jurisdictions with the most exonerations with official misconduct, ranked by the share of them
    with no discipline known to the registry (the overall share as a reference bar)."""
    a = figures(v)
    if a is None or not a["om_cases"]:
        return None
    df = state_rows(v)
    shown = df.head(TOP_STATES)
    om, no = a["om_cases"], a["no_known_discipline"]
    title = _range_title(shown, "jurisdiction", "jurisdictions")
    subtitle = (
        f"Share of each jurisdiction's exonerations with official misconduct in which no official is known to have "
        f"been disciplined — the {len(shown)} jurisdictions with the most such cases (of {len(df)}), " + _of_om(v, om)
    )
    cap = caption(v, title, subtitle)
    overall = "All chosen jurisdictions" if v.filters.states else "All jurisdictions"
    fig = charts.share_by_group(
        shown, cap, group="jurisdiction", cases="om_cases", overall=no / om, overall_cases=om, overall_label=overall
    )
    data = _place_data(df, "jurisdiction", "Jurisdiction")
    notes = cautions(
        geography.small_note(shown["om_cases"], "Grey bars marked ⚠"),
        "Federal: every federal case together (Fed-NY, Fed-DC, Fed-Military, …), apart from the states' own courts.",
        f"The table shows the {TOP_STATES} jurisdictions with the most exonerations with official misconduct; the "
        f"CSV has all {len(df)}."
        if len(df) > TOP_STATES
        else None,
        NOT_PROOF,
    )
    return Chart(
        "acc_states",
        cap,
        fig,
        data,
        ("by_state",),
        notes=notes,
        cautions=cautions(small_caution(om)),
        table=data.head(TOP_STATES) if len(data) > TOP_STATES else None,
    )


# ---------------------------------------------------------------------------------------------
# New York beside all jurisdictions and the rest of the country


def compare_figures(v: View) -> dict | None:
    """{"place": …, "nation": …, "rest": …}: the accountability counts of New York, of all jurisdictions and
    of the rest of the country (all less New York), with the sidebar's state filter set aside; None when
    the file has no discipline coding."""
    cv = new_york.compare_view(v)
    nation = figures(cv)
    if nation is None:
        return None
    place = figures(cv, cv.filters.with_(states=(new_york.STATE,)))
    rest = {k: nation[k] - place[k] for k in nation}
    return {"place": place, "nation": nation, "rest": rest}


def _compare_rows(f: dict) -> pd.DataFrame:
    keys = [f"disciplined_{c.key}" for c in glossary.DISCIPLINE] + ["any_discipline", "no_known_discipline"]
    if f["nation"]["not_coded"]:
        keys.append("not_coded")
    rows = []
    for k in keys:
        label = CHART_LABELS.get(k.removeprefix("disciplined_")) or SUMMARY_LABELS[k]
        row = {"key": k, "label": label}
        for name in ("place", "nation", "rest"):
            n, om = f[name][k], f[name]["om_cases"]
            row[f"{name}_cases"], row[f"{name}_share"] = n, (n / om if om else None)
        rows.append(row)
    return pd.DataFrame(rows)


@memoized
def state_filter_notice(v: View) -> str | None:
    if not v.filters.states:
        return None
    return (
        "The sidebar's state filter does not apply to New York beside the nation or to New York's counties: they "
        "always count New York, all jurisdictions and the rest of the country. The other filters apply."
    )


def compare_title(f: dict) -> str:
    p, r = f["place"], f["rest"]
    head = (
        f"In New York, no official is known to the registry to have been disciplined in "
        f"{fmt.pct_short(p['no_known_discipline'], p['om_cases'])} of exonerations with official misconduct"
    )
    if not r["om_cases"]:
        return head
    return head + f", against {fmt.pct_short(r['no_known_discipline'], r['om_cases'])} in the rest of the country"


@memoized
def compare_chart(v: View) -> Chart | None:
    """The four kinds of discipline, any, and none known, as shares of the exonerations with official
    misconduct in New York, in all jurisdictions and in the rest of the country."""
    f = compare_figures(v)
    if f is None or not f["place"]["om_cases"]:
        return None
    cv = new_york.compare_view(v)
    p, a, r = f["place"], f["nation"], f["rest"]
    df = _compare_rows(f)
    names = (
        ("place", "New York", new_york.NY_COLOUR),
        ("nation", "All jurisdictions", new_york.ALL_COLOUR),
        ("rest", "Rest of the country, New York excluded", new_york.REST_COLOUR),
    )
    series = tuple(
        (f"{k}_share", f"{k}_cases", f"{label} (of {f[k]['om_cases']:,})", colour) for k, label, colour in names
    )
    s = scope(cv.filters)
    subtitle = (
        f"Share of each place's exonerations with official misconduct — New York: of {p['om_cases']:,} (state "
        f"courts); all jurisdictions: of {a['om_cases']:,}; rest of the country: of {r['om_cases']:,}; posted by "
        f"{cv.as_of}" + (f" ({s})" if s else "")
    )
    cap = caption(cv, compare_title(f), subtitle)
    data = pd.DataFrame({"Discipline": df["label"]})
    for k, label, _ in names:
        data[f"{label}: exonerations with official misconduct"] = df[f"{k}_cases"].astype(int)
        data[f"{label}: share of them (%)"] = [_percent(n, f[k]["om_cases"]) for n in df[f"{k}_cases"]]
    return Chart(
        "acc_new_york",
        cap,
        charts.paired_share_bars(df, cap, series=series),
        data,
        ("stats",),
        notes=(STATE_COURTS, "A case can have several kinds of discipline, so the first four bars do not add up."),
        cautions=cautions(small_caution(p["om_cases"], "The New York shares")),
    )


def county_label(name: str, county: bool = False) -> str:
    """'Kings (Brooklyn)', or with `county` 'Kings County (Brooklyn)' (New York City's counties with their
    boroughs)."""
    borough = new_york.NYC.get(name)
    words = f"{name} County" if county and "county" not in name.lower() else name
    return f"{words} ({borough})" if borough and borough != name else words


def county_rows(v: View) -> pd.DataFrame:
    """New York's counties with at least one exoneration with official misconduct, most such cases first,
    with `share`: the share of them with no discipline known (the sidebar's state filter set aside)."""
    df = (
        new_york.compare_view(v)
        .query("by_county", state=new_york.STATE)
        .rename(columns={"with_misconduct": "om_cases"})
    )
    df = df[df["om_cases"] > 0].sort_values(["om_cases", "cases", "county"], ascending=[False, False, True])
    df["share"] = [n / om for n, om in zip(df["no_known_discipline"], df["om_cases"], strict=True)]
    df["label"] = [county_label(str(c)) for c in df["county"]]
    return df.reset_index(drop=True)


@memoized
def counties_chart(v: View) -> Chart | None:
    """New York's counties with the most exonerations with official misconduct, ranked by the share of
    them with no discipline known to the registry."""
    f = compare_figures(v)
    if f is None or not f["place"]["om_cases"]:
        return None
    cv = new_york.compare_view(v)
    df = county_rows(v)
    shown = df.head(TOP_COUNTIES)
    p = f["place"]
    first = df.iloc[0]
    title = (
        f"In {county_label(str(first['county']), county=True)}, the New York county with the most exonerations with official misconduct, no "
        f"official is known to have been disciplined in {fmt.pct_short(first['no_known_discipline'], first['om_cases'])}"
        f" of them ({first['no_known_discipline']:,} of {first['om_cases']:,})"
    )
    subtitle = (
        f"Share of each county's exonerations with official misconduct in which no official is known to have been "
        f"disciplined — the {len(shown)} counties with the most such cases (of {len(df)}), "
        + denominator(cv, p["om_cases"], "New York exonerations with official misconduct")
    )
    cap = caption(cv, title, subtitle)
    fig = charts.share_by_group(
        shown,
        cap,
        group="label",
        cases="om_cases",
        overall=p["no_known_discipline"] / p["om_cases"],
        overall_cases=p["om_cases"],
        overall_label="All of New York",
    )
    data = _place_data(df, "label", "County")
    notes = cautions(
        geography.small_note(shown["om_cases"], "Grey bars marked ⚠"),
        f"The table shows the {TOP_COUNTIES} counties with the most exonerations with official misconduct; the CSV "
        f"has all {len(df)}."
        if len(df) > TOP_COUNTIES
        else None,
        "New York City's five counties are named with their boroughs (Kings = Brooklyn, New York = Manhattan, "
        "Richmond = Staten Island).",
    )
    return Chart(
        "acc_ny_counties",
        cap,
        fig,
        data,
        ("by_county",),
        notes=notes,
        cautions=cautions(small_caution(p["om_cases"], "The New York figures")),
        table=data.head(TOP_COUNTIES) if len(data) > TOP_COUNTIES else None,
    )


# ---------------------------------------------------------------------------------------------
# Prosecutors at trial, misconduct that did not cause the conviction, judges


def _coded_rows(v: View, codes) -> list[tuple[str, str, int]]:
    """(key, label, cases) for each code (a column of `cases` counted by the `stats` query), most first."""
    row = v.query("stats").iloc[0]
    rows = [(c.key, c.label, int(row[c.column])) for c in codes]
    return sorted(rows, key=lambda r: -r[2])


def _coded_chart(v: View, key: str, codes, any_key: str, what: str, title_lead: str, notes) -> Chart | None:
    total = v.total
    if not total:
        return None
    rows = _coded_rows(v, codes)
    n_any = int(v.query("stats").iloc[0][any_key])
    top = rows[0]
    title = f"{title_lead} in {n_any:,} of {total:,} exonerations ({fmt.pct_short(n_any, total)})"
    if top[2]:
        title += f" — most often {glossary.in_sentence(top[1])} ({top[2]:,})"
    df = pd.DataFrame([{"key": k, "label": label, "cases": n} for k, label, n in rows])
    cap = caption(
        v, title, f"Exonerations with each kind of {what} (a case can have several), " + denominator(v, total)
    )
    data = pd.DataFrame(
        {
            fmt.cap(what): df["label"],
            "Exonerations": df["cases"],
            "Share of exonerations (%)": [_percent(n, total) for n in df["cases"]],
        }
    )
    return Chart(
        key,
        cap,
        charts.share_bars(df, cap, total=total),
        data,
        ("stats",),
        notes=(
            f"A case can have several kinds, so the bars add up to more than the {n_any:,} exonerations with any.",
            *notes,
        ),
        cautions=cautions(small_caution(total)),
    )


@memoized
def trial_chart(v: View) -> Chart | None:
    """A prosecutor's misconduct at trial, by the registry's answers, over all the exonerations."""
    if missing(v, "trial"):
        return None
    not_coded = int(v.query("stats").iloc[0]["trial_not_coded"])
    notes = cautions(
        "These are the registry's answers to whether a prosecutor committed misconduct during the trial; a guilty "
        "plea has no trial.",
        f"The registry has not coded this for {fmt.plural(not_coded, 'of these exonerations', 'of these exonerations')}"
        " (blank)."
        if not_coded
        else None,
    )
    return _coded_chart(
        v,
        "acc_trial",
        glossary.PROSECUTOR_AT_TRIAL,
        "trial_any",
        "prosecutor's misconduct at trial",
        "A prosecutor's misconduct at trial is coded",
        notes,
    )


NOT_CONNECTED_NOTE = (
    "These are acts of officials in the case that, in the registry's judgement, did not contribute to the "
    "conviction — for example misconduct after it, or an attempt to help convict that failed. The registry codes "
    "them apart from the official misconduct that contributed to the conviction; a case can have both."
)


@memoized
def not_connected_chart(v: View) -> Chart | None:
    """Official misconduct in the case that did not cause the conviction, by kind, over all the exonerations."""
    if missing(v, "not_connected"):
        return None
    return _coded_chart(
        v,
        "acc_not_connected",
        glossary.NOT_CONNECTED,
        "omnc_any",
        "misconduct that did not cause the conviction",
        "Misconduct that did not cause the conviction is coded",
        (NOT_CONNECTED_NOTE,),
    )


@memoized
def judicial_metrics(v: View) -> tuple[tuple[str, ...], ...]:
    s = v.stats()
    total = s["total"]
    n = None if missing(v, "judicial") else int(v.query("stats").iloc[0]["judicial_misconduct"])
    value = NOT_IN_FILE if n is None else fmt.count_share(n, total)
    return ((glossary.JUDICIAL_MISCONDUCT.label, value, glossary.JUDICIAL_MISCONDUCT.definition),)


@memoized
def judicial_sentence(v: View) -> str | None:
    if missing(v, "judicial") or not v.total:
        return None
    n, total = int(v.query("stats").iloc[0]["judicial_misconduct"]), v.total
    return f"The registry codes extreme misconduct by a judge in {n:,} ({fmt.pct(n, total)}) {denominator(v, total)}."


@memoized
def judicial_cautions(v: View) -> tuple[str, ...]:
    if missing(v, "judicial") or not v.total:
        return ()
    return cautions(small_caution(int(v.query("stats").iloc[0]["judicial_misconduct"]), "This figure"))


# ---------------------------------------------------------------------------------------------
# How the convictions were obtained, who helped clear them


def form_rows(v: View) -> pd.DataFrame:
    """Each form of conviction with cases and those with official misconduct (`conviction_forms`); the
    row with `form` NULL counts the cases not coded."""
    return v.query("conviction_forms")


@memoized
def conviction_chart(v: View) -> Chart | None:
    if missing(v, "conviction") or not v.total:
        return None
    total = v.total
    rows = form_rows(v)
    coded = rows[rows["form"].notna()]
    if coded.empty:
        return None
    labels = {c.key: c.label for c in glossary.CONVICTION_FORMS}
    df = pd.DataFrame(
        {"key": coded["form"], "label": [labels[k] for k in coded["form"]], "cases": coded["cases"].astype(int)}
    )
    ranked = df.sort_values("cases", ascending=False, kind="stable")
    first = ranked.iloc[0]
    title = f"{fmt.pct_short(first['cases'], total)} of these exonerees {FORM_PHRASES[first['key']]}"
    if len(ranked) > 1:
        second = ranked.iloc[1]
        title += f"; {fmt.pct_short(second['cases'], total)} {FORM_PHRASES[second['key']]}"
    cap = caption(v, title, "Exonerations by how the first conviction was obtained, " + denominator(v, total))
    om = coded["with_misconduct"].astype(int)
    data = pd.DataFrame(
        {
            "How the conviction was obtained": df["label"],
            "Exonerations": df["cases"],
            "Share of exonerations (%)": [_percent(n, total) for n in df["cases"]],
            "With official misconduct": om.to_numpy(),
            "Share with official misconduct (%)": [_percent(m, n) for m, n in zip(om, df["cases"], strict=True)],
        }
    )
    return Chart(
        "acc_conviction",
        cap,
        charts.share_bars(df, cap, total=total),
        data,
        ("conviction_forms",),
        notes=_form_notes(v, coded, rows, total),
        cautions=cautions(small_caution(total)),
    )


def _form_notes(v: View, coded: pd.DataFrame, rows: pd.DataFrame, total: int) -> tuple[str, ...]:
    labels = {"jury": "jury convictions", "plea": "guilty pleas", "bench": "bench convictions"}
    parts = [
        f"{fmt.pct(int(r.with_misconduct), int(r.cases))} of the {int(r.cases):,} {labels[r.form]}"
        for r in coded.itertuples()
        if r.form in labels and r.cases
    ]
    not_coded = int(rows.loc[rows["form"].isna(), "cases"].sum())
    other = glossary.CONVICTION_FORMS[-1]
    return cautions(
        f"Official misconduct played a role in {fmt.join_and(parts)}."
        if parts and v.has("official_misconduct")
        else None,
        f"{other.label}: {other.definition[:1].lower()}{other.definition[1:]}",
        f"Not coded: {fmt.plural(not_coded, 'exoneration')}." if not_coded else None,
    )


@memoized
def cleared_chart(v: View) -> Chart | None:
    """The exonerations a conviction integrity unit or an innocence organization was involved in."""
    if missing(v, "cleared") or not v.total:
        return None
    rows = v.query("cleared_with_help").set_index("helper")
    total = int(rows.loc["CIU", "total"])
    df = pd.DataFrame(
        [{"key": code, "label": label, "cases": int(rows.loc[code, "cases"])} for code, label in HELPERS.items()]
    )
    ranked = df.sort_values("cases", ascending=False, kind="stable")
    first, second = ranked.iloc[0], ranked.iloc[1]
    title = (
        f"{_a(first['label'])} was involved in {fmt.pct_short(first['cases'], total)} of these exonerations, "
        f"{_a(second['label']).lower()} in {fmt.pct_short(second['cases'], total)}"
    )
    cap = caption(v, title, "Exonerations by who helped clear the exoneree (a case can have both), "
                  + denominator(v, total))  # fmt: skip
    om = [int(rows.loc[code, "with_misconduct"]) for code in HELPERS]
    data = pd.DataFrame(
        {
            "Involved in the exoneration": df["label"],
            "Exonerations": df["cases"],
            "Share of exonerations (%)": [_percent(n, total) for n in df["cases"]],
            "With official misconduct": om,
            "Share with official misconduct (%)": [_percent(m, n) for m, n in zip(om, df["cases"], strict=True)],
        }
    )
    either = int(rows.loc["CIU or IO", "cases"])
    notes = cautions(
        f"One or both were involved in {either:,} of the {total:,} exonerations ({fmt.pct(either, total)}).",
        "The registry's tags say a unit or an organization was involved in the exoneration, not that it alone "
        "cleared the case. A conviction integrity unit is a prosecutor's office reviewing its own convictions.",
    )
    return Chart(
        "acc_cleared",
        cap,
        charts.share_bars(df, cap, total=total),
        data,
        ("cleared_with_help",),
        notes=notes,
        cautions=cautions(small_caution(total)),
    )


def _a(label: str) -> str:
    """'An innocence organization', 'A conviction integrity unit'."""
    return ("An " if label[:1].lower() in "aeiou" else "A ") + glossary.in_sentence(label)


@memoized
def sections(v: View) -> dict[str, str | None]:
    """Each section of the page (the keys of HEADINGS) and the sentence said instead of it when the file
    lacks its column (None when it has it)."""
    return {k: missing(v, k) for k in HEADINGS}
