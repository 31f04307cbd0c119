"""The briefing pack's own words: each part of the pack (a slide of the deck, a block of the fact sheet)
as a `Block` — its finding (the title), what it counts, the numbers behind its chart with the labels
printed beside them, the sentences shown with it, its text alternative and its speaker notes.

Every figure and title comes from the functions the pages call (overview, misconduct, over_time,
human_cost, new_york), so a page, the deck and the fact sheet say the same thing; this module adds only
what the pack alone needs (the title slide, scope lines, labels of bars, notes). Plain text, no
Streamlit, no python-pptx: `exonerations.brief` lays the blocks out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from .. import claims, fmt, glossary, style
from . import accountability as acc
from . import human_cost, misconduct, new_york, over_time, overview
from .core import (
    DEMO_MARK,
    NO_CASES,
    View,
    cautions,
    denominator,
    past_coding,
    posted,
    pre1989_caution,
    scope,
    small_caution,
    where,
)

TITLE = overview.TITLE
SOURCES_TITLE = "Sources and definitions"
ALL_PLACES = "All jurisdictions"
DEFAULT_PLACE = new_york.STATE
HEADINGS = {  # a block's title when there is no finding to state (no cases, not in this file)
    "headline": "Official misconduct in these exonerations",
    "factors": "Contributing factors",
    "actors": "Official misconduct by actor",
    "kinds": "Official misconduct by kind",
    "trend": "Exonerations per year",
    "years_lost": "Years lost in prison",
    "compare": "The place beside the rest of the country",
    "accountability": "Discipline of officials",
    "counties": "Counties",
}
NO_DETAIL = "This file has no misconduct detail: who committed the misconduct and what they did are not coded."
NO_CASES_SHORT = "No cases match these filters."
EDIT_DATA = "Each chart's numbers are in the chart itself: click it, then Edit Data."
DIFFERENCES = (
    "Differences between places also reflect how wrongful convictions are found and overturned there "
    "(conviction integrity units, innocence organizations), not only how often misconduct happens."
)
STATE_COURTS = (
    "A state here means the cases in its own courts; federal cases prosecuted there (Fed-XX) are among the "
    "rest of the country."
)
YEARS_LOST_NOTE = (
    "Years lost: the registry's figure for the time each exoneree spent in prison between conviction and "
    "release. It does not count pretrial detention, probation or the years after release."
)
BOTH_LABEL = "Police and prosecutors in the same case"
SOURCE_HEADING, DEFINITIONS_HEADING, GUIDANCE_HEADING = "Source", "Definitions", "How to read these figures"
AUTHOR = "Exoneration Misconduct Explorer"
SHEET = {  # the fact sheet's fixed words
    "kicker": "Fact sheet",
    "per_year": "Per year:",
    "share": "Share with official misconduct (dashed line: half)",
    "compare_legend": "Share of each place's own exonerations:",
    "definitions": DEFINITIONS_HEADING,
    "guidance": GUIDANCE_HEADING,
    "numbers": "The numbers behind the charts above",
    "reproduce": "Reproduce every figure in the Exoneration Misconduct Explorer with the same filters and as-of date.",
    "generated": "Sheet generated",
    "acc_guidance": acc.GUIDANCE_SHORT,
    "acc_kicker": "with no discipline known to the registry.",
    "few": f"Grey bars: fewer than {style.SMALL_DENOMINATOR} cases.",
    "dash": fmt.DASH,
}


# ---------------------------------------------------------------------------------------------
# The shapes a block is made of


@dataclass(frozen=True)
class Series:
    """One series of a chart: its name (the chart data's column heading), its values, one colour per
    value, and the label printed beside each value ('' for none)."""

    name: str
    values: tuple[float | None, ...]
    colours: tuple[str, ...]
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """One part of the pack, for one view. `message` is said instead of the chart when there is none
    (no cases, not in this file)."""

    key: str
    title: str  # the finding: a slide's title, a fact-sheet block's heading
    subtitle: str = ""  # what the chart counts: the denominator and the scope
    categories: tuple[str, ...] = ()
    series: tuple[Series, ...] = ()
    share: Series | None = None  # a second panel: the share with official misconduct per category
    scale: float = 0.0  # the value a full-width bar stands for (the fact sheet's bars)
    figure: str = ""  # a figure shown large
    kicker: str = ""  # a short line shown large with the figure or the title
    lines: tuple[str, ...] = ()  # sentences shown with the chart
    metrics: tuple[tuple[str, ...], ...] = ()  # (label, value) pairs shown as key figures
    message: str | None = None
    alt: str = ""  # the chart's text alternative: the finding and its numbers
    notes: str = ""  # speaker notes: definitions and denominators
    cautions: tuple[str, ...] = ()

    @property
    def has_chart(self) -> bool:
        return bool(self.series) and self.message is None


def _one(name: str, values, colours, texts=()) -> Series:
    return Series(name, tuple(values), tuple(colours), tuple(texts))


def _bullets(items: Iterable[str]) -> str:
    return "\n".join(f"• {x}" for x in items)


def _definitions(codes) -> str:
    return "Definitions:\n" + _bullets(f"{c.label}: {c.definition}" for c in codes)


def _alt_bars(kind: str, title: str, categories, texts) -> str:
    """'Bar chart: <finding>. Official misconduct: 2,333 (60.8%); …'"""
    items = "; ".join(f"{c}: {t}" for c, t in zip(categories, texts, strict=True))
    return f"{kind}: {title}. {items}."


def _no_cases(key: str) -> Block:
    return Block(key, HEADINGS[key], message=NO_CASES_SHORT, notes=NO_CASES)


# ---------------------------------------------------------------------------------------------
# Scope


def subject(v: View) -> str:
    """The places the pack is about: the states chosen, or all jurisdictions."""
    return fmt.join_and(v.filters.states) or ALL_PLACES


def place(v: View) -> str:
    """The place the comparison puts beside the rest of the country: the one state chosen, else New York."""
    return v.filters.states[0] if len(v.filters.states) == 1 else DEFAULT_PLACE


def scope_sentence(v: View) -> str:
    """'Exonerations posted to the National Registry of Exonerations by 2026-06-25; New York; exonerated
    2010–2015.' — every condition on the cases counted, read correctly for any filters."""
    return posted(v) + "."


def file_line(v: View) -> str:
    return f"Data file: {v.meta.file_name or 'unknown'} ({v.meta.layout_name})."


def pack_title(v: View) -> str:
    """The document's title (file properties, the fact sheet's tab)."""
    return f"{TITLE} — {subject(v)} — as of {v.as_of}"


def demo_sentence(v: View) -> str | None:
    if not v.is_demo:
        return None
    return f"{DEMO_MARK}. These figures are generated for demonstration and describe no real exoneration."


def slide_notes(v: View, block: Block) -> str:
    """A slide's speaker notes: the block's, after the demo mark on demo data."""
    if not v.is_demo:
        return block.notes
    return f"{DEMO_MARK}: no figure on this slide describes real exonerations.\n\n{block.notes}"


# ---------------------------------------------------------------------------------------------
# The title slide and the headline


def cover(v: View) -> Block:
    h = overview.headline(v)
    total = v.total
    notes = (
        f"Briefing pack on {subject(v)}, from the {glossary.SOURCE}, data as of {v.as_of}.\n"
        + (f"Unless a slide says otherwise, every share is {denominator(v, total)}.\n" if total else "")
        + "\nHow to read these figures:\n"
        + _bullets(glossary.READING_GUIDANCE)
    )
    lines = cautions(scope_sentence(v), h.sentence if total else NO_CASES_SHORT, past_coding(v), file_line(v))
    return Block("cover", TITLE, kicker=subject(v), lines=lines, notes=notes, cautions=cautions(demo_sentence(v)))


def _share_phrase(part: int, whole: int) -> str:
    """'More than half; about three in five.'"""
    return fmt.cap(fmt.share_words(part, whole).split(" — ", 1)[-1]) + "."


def headline(v: View) -> Block:
    total = v.total
    if not total:
        return _no_cases("headline")
    h = overview.headline(v)
    chart = overview.misconduct_share_chart(v)
    notes = (
        f"Official misconduct: {glossary.BY_KEY['official_misconduct'].definition}\n"
        f"Denominator: {denominator(v, total)}.\n{overview.PLAYED_A_ROLE} The registry codes conservatively, so a "
        "case without the code may still have involved misconduct."
    )
    if chart is None:
        return Block("headline", h.sentence, message=" ".join(h.cautions), notes=notes, metrics=h.metrics)
    om = int(chart.data["Exonerations"].iloc[0])
    groups = tuple(chart.data["Group"])
    counts = (om, total - om)
    texts = tuple(fmt.count_share(n, total) for n in counts)
    return Block(
        "headline",
        chart.title,
        subtitle=fmt.cap(chart.subtitle),
        categories=groups,
        series=(_one("Exonerations", counts, (style.HIGHLIGHT, style.MUTED), texts),),
        scale=total,
        figure=fmt.pct(om, total),
        lines=(h.sentence, _share_phrase(om, total), scope_sentence(v)),
        metrics=h.metrics,
        alt=_alt_bars("Doughnut chart", chart.title, groups, texts),
        notes=notes,
        cautions=cautions(small_caution(total, "This share")),
    )


# ---------------------------------------------------------------------------------------------
# Contributing factors (DNA apart), who and what


def factors(v: View) -> Block:
    total = v.total
    rows = overview.factor_rows(v)
    if not total:
        return _no_cases("factors")
    title = overview.factors_title(v)
    labels = tuple(label for _, label, _ in rows)
    texts = tuple(fmt.count_share(n, total) for _, _, n in rows)
    colours = tuple(style.HIGHLIGHT if k == "official_misconduct" else style.BASE for k, _, _ in rows)
    dna = overview.dna_sentence(v)
    notes = (
        f"Each bar counts the exonerations coded with that contributing factor; the percentage is "
        f"{denominator(v, total)}. A case can have several factors, so the bars add up to more than 100%. "
        "DNA is not among the bars: it is how a case was resolved, not a cause of the wrongful conviction.\n\n"
        + _definitions((*glossary.CONTRIBUTING, glossary.DNA))
    )
    return Block(
        "factors",
        title,
        subtitle=f"Exonerations with each contributing factor (a case can have several), {denominator(v, total)}",
        categories=labels,
        series=(_one("Exonerations with the factor", (n for _, _, n in rows), colours, texts),),
        scale=total,
        lines=cautions(dna),
        message=None if rows else "This file codes none of the contributing factors.",
        alt=_alt_bars("Bar chart", title, labels, texts) + (f" {dna}" if dna else ""),
        notes=notes,
        cautions=cautions(small_caution(total)),
    )


def _coded(v: View, key: str, rows, title: str, name: str, codes, what: str) -> Block:
    """The actors or the kinds block: exonerations coded with each, as a share of all."""
    total = v.total
    labels = tuple(label for _, label, _ in rows)
    texts = tuple(fmt.count_share(n, total) for _, _, n in rows)
    notes = (
        f"Each bar counts the exonerations in which the registry coded {what}; the percentage is "
        f"{denominator(v, total)}, not only of those with official misconduct. A case can have several, so the "
        "bars overlap.\n\n" + _definitions(codes)
    )
    return Block(
        key,
        title,
        subtitle=f"Exonerations coded with {what} (a case can have several), {denominator(v, total)}",
        categories=labels,
        series=(_one(name, (n for _, _, n in rows), (style.BASE,) * len(rows), texts),),
        scale=total,
        message=None if rows else NO_DETAIL,
        alt=_alt_bars("Bar chart", title, labels, texts),
        notes=notes,
        cautions=cautions(small_caution(total), pre1989_caution(v) if rows else None),
    )


def actors(v: View) -> Block:
    if not v.total:
        return _no_cases("actors")
    rows = misconduct.actor_rows(v)
    b = _coded(
        v,
        "actors",
        rows,
        misconduct.actors_title(v),
        "Exonerations with misconduct by this official",
        glossary.ACTORS,
        "misconduct by each official",
    )
    both = misconduct.both_sentence(v)
    if not both or not rows:
        return b
    lines = (both + ".", misconduct.BOTH_MEANING)
    return replace(b, lines=lines, alt=f"{b.alt} {both}.", notes=f"{both}. {misconduct.BOTH_MEANING}\n\n{b.notes}")


def kinds(v: View) -> Block:
    if not v.total:
        return _no_cases("kinds")
    return _coded(
        v,
        "kinds",
        misconduct.kind_rows(v),
        misconduct.kinds_title(v),
        "Exonerations with this kind of misconduct",
        glossary.KINDS,
        "each kind of official misconduct",
    )


# ---------------------------------------------------------------------------------------------
# Over time


def trend(v: View) -> Block:
    if not v.total:
        return _no_cases("trend")
    missing = over_time.unavailable(v)
    if missing:
        return Block("trend", HEADINGS["trend"], message=missing, notes=missing)
    y = over_time.years(v, 1)
    om = v.stats()["factors"]["official_misconduct"]
    n, title = int(y["cases"].sum()), over_time.trend_title(v, 1)
    years = tuple(str(x) for x in y["period"])
    if om is None:
        series = (_one("Exonerations", y["cases"], (style.BASE,) * len(y)),)
        share, sentences = None, cautions(over_time.NO_SHARE, over_time.partial_note(v, 1))
    else:
        without = [int(c) - int(m) for c, m in zip(y["cases"], y["misconduct_cases"], strict=True)]
        series = (
            _one(human_cost.WITH_OM, (int(m) for m in y["misconduct_cases"]), (style.HIGHLIGHT,) * len(y)),
            _one(human_cost.WITHOUT_OM, without, (style.MUTED,) * len(y)),
        )
        shares = (None if c == 0 else float(s) for c, s in zip(y["cases"], y["share"], strict=True))
        # a share resting on few cases is drawn grey, as on the Over time page
        few = (style.MUTED if c < style.SMALL_DENOMINATOR else style.HIGHLIGHT for c in y["cases"])
        share = _one("Share with official misconduct", shares, few)
        sentences = cautions(over_time.trend_sentence(v), over_time.partial_note(v, 1))
    alt = (
        f"Column chart: {title}. Exonerations per year of exoneration from {years[0]} to {years[-1]}"
        + ("" if om is None else ", with and without official misconduct, and below, the share with it each year")
        + ". "
        + " ".join(cautions(over_time.range_sentence(v, 1), *sentences))
    )
    return Block(
        "trend",
        title,
        subtitle=f"Per year of exoneration, {denominator(v, n)}",
        categories=years,
        series=series,
        share=share,
        lines=sentences,
        alt=alt,
        notes=_trend_notes(v, n),
        cautions=cautions(small_caution(n)),
    )


def _trend_notes(v: View, n: int) -> str:
    return (
        "Top: exonerations per year of exoneration, split into those with official misconduct and the rest (not "
        "coded, or coded No). Bottom: the share with official misconduct in each year.\n"
        f"Denominator: the exonerations of each year, {denominator(v, n)}. {over_time.FILLED_IN}\n"
        + "\n".join(
            cautions(
                over_time.trend_sentence(v),
                over_time.range_sentence(v, 1),
                over_time.few_note(v, 1),
                over_time.partial_note(v, 1),
            )
        )
    )


def trend_table_headings() -> tuple[str, str, str, str]:
    """The headings of the numbers behind the trend charts (the fact sheet's text equivalent)."""
    return ("Year of exoneration", "Exonerations", human_cost.WITH_OM, "Share with official misconduct")


def trend_rows(v: View) -> list[tuple[str, str, str, str]]:
    """Each year with its exonerations, those with official misconduct and their share, as printed."""
    if not v.total or over_time.unavailable(v):
        return []
    y = over_time.years(v, 1)
    return [
        (str(label), fmt.count(c), fmt.count(m), fmt.pct(m, c))
        for label, c, m in zip(y["label"], y["cases"], y["misconduct_cases"], strict=True)
    ]


# ---------------------------------------------------------------------------------------------
# Years lost


def _years_text(years: float, mean: float) -> str:
    total = fmt.number(years, 0)
    return f"{total} {'year' if total == '1' else 'years'} (mean {fmt.years(mean)})"


def years_lost(v: View) -> Block:
    title = human_cost.years_lost_title(v)
    y = human_cost.years_lost_parts(v)
    if y is None:
        text = f"This file ({v.meta.layout_name}) has no years-lost column, so the years lost are unknown — not zero."
        return Block(
            "years_lost",
            title,
            message=text,
            notes=text + " The registry's full export has it.",
            metrics=(("Years lost in prison", misconduct.NOT_IN_FILE),),
        )
    if not v.total:
        return _no_cases("years_lost")
    labels = (human_cost.WITH_OM, human_cost.WITHOUT_OM)
    values = (y["with"], y["without"])
    texts = (_years_text(y["with"], y["mean_with"]), _years_text(y["without"], y["mean_without"]))
    k = human_cost.known(v)
    noun = "exonerations" if k == v.total else "exonerations with years lost recorded"
    lines = cautions(
        human_cost.comparison_title(v) + "." if k and y["cases_with"] and y["cases_without"] else None,
        human_cost.split_sentence(v),
    )
    return Block(
        "years_lost",
        title,
        subtitle=f"Years lost in prison, by whether official misconduct played a role, {denominator(v, k, noun)}",
        categories=labels,
        series=(_one("Years lost in prison", values, (style.HIGHLIGHT, style.MUTED), texts),),
        scale=max(values + (1.0,)),
        figure=fmt.number(y["all"], 0),
        kicker="years lost in prison in all",
        lines=lines,
        message=None if y["all"] else human_cost.NONE_RECORDED,
        alt=_alt_bars("Bar chart", title, labels, texts) + " " + " ".join(lines),
        notes=f"{YEARS_LOST_NOTE} Totals {denominator(v, k, noun)}, split by whether official misconduct played a "
        "role; means are per case with a recorded figure.\n" + "\n".join(lines),
        cautions=cautions(small_caution(k)),
    )


# ---------------------------------------------------------------------------------------------
# The place beside the rest of the country


def _side(f: dict, label: str) -> str:
    om, total = f["factors"]["official_misconduct"], f["total"]
    if om is None:
        return f"{label}: {fmt.plural(total, 'exoneration')}"
    return f"{label}: {om:,} of {total:,} exonerations with official misconduct ({fmt.pct(om, total)})"


def compare(v: View) -> Block:
    where_ = place(v)
    f = new_york.compare_figures(v, where_)
    p, r = f["place"], f["rest"]
    title = new_york.compare_title(v, where_)
    codes = [c for c in glossary.CONTRIBUTING if p["factors"][c.key] is not None]
    rest = f"Rest of the country, {where_} excluded"
    notes = (
        f"{_side(p, where_)}; {_side(r, 'the rest of the country')} — all posted by {f['as_of']}"
        + (f" ({f['scope']})" if f["scope"] else "")
        + f". Each bar is the share of that place's own exonerations coded with the factor. {STATE_COURTS}\n"
        + DIFFERENCES
        + ("\n" + set_aside(v) if set_aside(v) else "")
    )
    if not p["total"] or not r["total"] or not codes:
        return Block("compare", title, message=title + ".", notes=notes)
    labels = tuple(c.label for c in codes)
    sides = []
    names = (f"{where_} (of {p['total']:,})", f"{rest} (of {r['total']:,})")
    for x, name, colour in zip((p, r), names, (style.BASE, style.COMPARE), strict=True):
        counts = [x["factors"][c.key] for c in codes]
        sides.append(
            _one(
                name,
                (n / x["total"] for n in counts),
                (colour,) * len(codes),
                (fmt.pct(n, x["total"]) for n in counts),
            )
        )
    alt = f"Bar chart: {title}. " + "; ".join(
        f"{label}: {a} in {where_}, {b} in the rest of the country"
        for label, a, b in zip(labels, sides[0].texts, sides[1].texts, strict=True)
    )
    return Block(
        "compare",
        title,
        subtitle=f"Share of each place's own exonerations with each contributing factor, posted by {f['as_of']}"
        + (f" ({f['scope']})" if f["scope"] else ""),
        categories=labels,
        series=tuple(sides),
        scale=1.0,
        lines=(_side(p, where_), _side(r, rest), *campaign(v)),
        alt=alt + ".",
        notes=notes + "".join(f"\n{x}" for x in campaign(v)),
        cautions=cautions(small_caution(p["total"], f"The {where_} shares"), set_aside(v)),
    )


def set_aside(v: View) -> str | None:
    """Said when the state filter is set aside for the comparison (several states chosen)."""
    if len(v.filters.states) < 2:
        return None
    return (
        f"Several states are chosen, so the comparison puts {DEFAULT_PLACE} beside the rest of the country with "
        "the state filter set aside (the other filters apply)."
    )


# ---------------------------------------------------------------------------------------------
# The discipline of officials


def accountability(v: View) -> Block:
    """Of the exonerations with official misconduct: the registry's four kinds of discipline, any of them,
    and none known to the registry — each a share of those cases only."""
    if not v.total:
        return _no_cases("accountability")
    gone = acc.missing(v, "discipline")
    if gone:
        labels = (acc.SUMMARY_LABELS["any_discipline"], acc.SUMMARY_LABELS["no_known_discipline"])
        return Block(
            "accountability",
            HEADINGS["accountability"],
            message=gone,
            notes=gone,
            metrics=tuple((label, acc.NOT_IN_FILE) for label in labels),
        )
    a = acc.figures(v)
    om = a["om_cases"]
    if not om:
        return Block("accountability", HEADINGS["accountability"], message=acc.nothing("discipline"))
    keys = [f"disciplined_{c.key}" for c in glossary.DISCIPLINE] + ["any_discipline", "no_known_discipline"]
    keys += ["not_coded"] if a["not_coded"] else []
    labels = tuple(
        acc.DISCIPLINE_LABELS.get(k.removeprefix("disciplined_")) or acc.SUMMARY_LABELS[k] + ANY_OF_THESE.get(k, "")
        for k in keys
    )
    texts = tuple(fmt.count_share(a[k], om) for k in keys)
    title = acc.split_title(a)
    of_om = denominator(v, om, acc.OM_NOUN)
    notes = (
        f"Each bar counts exonerations with official misconduct (coded Yes); the percentage is {of_om}. A case can "
        "have several kinds of discipline, so the first four bars overlap; an official disciplined, no discipline "
        f"known and not coded add up to the {om:,}.\n"
        + "\n".join(acc.GUIDANCE)
        + f"\n{acc.OTHER_CASES}\n\n"
        + _definitions((*glossary.DISCIPLINE, *glossary.DISCIPLINE_SUMMARY))
    )
    return Block(
        "accountability",
        title,
        subtitle="Exonerations with official misconduct by the discipline of officials the registry records (a case "
        f"can have several kinds), {of_om}",
        categories=labels,
        series=(
            _one(
                "Exonerations with official misconduct",
                (a[k] for k in keys),
                (style.MUTED if k == "not_coded" else style.BASE for k in keys),
                texts,
            ),
        ),
        scale=om,
        figure=fmt.pct(a["no_known_discipline"], om),
        kicker=f"of the {om:,} exonerations with official misconduct: no official known to the registry to have "
        "been disciplined",
        lines=(acc.kinds_sentence(a), *acc.GUIDANCE),
        metrics=acc.headline(v).metrics[1:],
        alt=_alt_bars("Bar chart", title, labels, texts),
        notes=notes,
        cautions=cautions(small_caution(om, "The discipline figures")),
    )


ANY_OF_THESE = {"any_discipline": " (any of these)"}


# ---------------------------------------------------------------------------------------------
# The place's counties, and the campaign's sentence

TOP_COUNTIES = 8  # the counties the pack shows
COUNTY_SHARE = "Share with official misconduct"  # the counties' series when the file codes official misconduct
FEW_COUNTIES = (
    f"Grey bars rest on fewer than {style.SMALL_DENOMINATOR} cases: a few cases more or less would move their share "
    "a lot."
)


def _county_words(name: str, state: str) -> str:
    """'Kings County (Brooklyn)' in New York; a county of another state as the registry names it."""
    if state == new_york.STATE:
        return acc.county_label(name, county=True)
    return name


def counties(v: View) -> Block:
    """The place's counties with the most exonerations, each with the share involving official misconduct."""
    where_ = place(v)
    cv = new_york.compare_view(v)
    every = cv.query("by_county", state=where_)
    total = int(every["cases"].sum()) if len(every) else 0
    if not total:
        text = f"No exoneration in {where_} with a county recorded matches these filters."
        return Block("counties", f"{where_}'s counties", message=text, notes=text)
    rows = new_york.county_rows(v, where_, TOP_COUNTIES)
    first = rows.iloc[0]
    has_om = v.has("official_misconduct")
    labels = tuple(acc.county_label(c) if where_ == new_york.STATE else c for c in rows["county"])
    if has_om:
        values = tuple(m / n for m, n in zip(rows["with_misconduct"], rows["cases"], strict=True))
        texts = tuple(f"{share} of {n:,}" for share, n in zip(rows["share"], rows["cases"], strict=True))
    else:
        values, texts = tuple(int(n) for n in rows["cases"]), tuple(fmt.count(n) for n in rows["cases"])
    colours = tuple(style.MUTED if n < style.SMALL_DENOMINATOR else style.BASE for n in rows["cases"])
    c = int(first["cases"])
    title = f"{_county_words(first['county'], where_)}: {c:,} of {where_}'s {total:,} exonerations ({fmt.pct_short(c, total)})"
    if has_om:
        title += f", {fmt.pct_short(first['with_misconduct'], c)} with official misconduct"
    what = "Share of each county's exonerations with official misconduct" if has_om else "Exonerations by county"
    lines = cautions(
        FEW_COUNTIES if has_om and any(n < style.SMALL_DENOMINATOR for n in rows["cases"]) else None,
        new_york.nyc_note(every, total) if where_ == new_york.STATE else None,
    )
    return Block(
        "counties",
        title,
        subtitle=f"{what} — the {len(rows)} counties of {where_} with the most exonerations (of {len(every)}), "
        + denominator(cv, total, f"exonerations in {where_}"),
        categories=labels,
        series=(_one(COUNTY_SHARE if has_om else "Exonerations", values, colours, texts),),
        scale=1.0 if has_om else max(values),
        lines=lines,
        alt=_alt_bars("Bar chart", title, labels, texts),
        notes=f"Counties of the crime, the sidebar's state filter set aside; {denominator(cv, total, f'exonerations in {where_}')}. "
        + ("Each bar is the share of the county's own exonerations with official misconduct. " if has_om else "")
        + "\n".join(lines),
        cautions=cautions(small_caution(total, f"The {where_} figures")),
    )


CAMPAIGN_ID = "campaign-3776"


def campaign(v: View) -> tuple[str, ...]:
    """The campaign's sentence, checked on the date the registry held the total it quotes, with that date —
    in the New York pack and the pack on all jurisdictions (which puts New York beside the rest of the
    country); nothing on demo data."""
    if v.is_demo or place(v) != new_york.STATE or v.filters.states not in ((), (new_york.STATE,)):
        return ()
    claim = next((c for c in claims.registry_claims() if c.id == CAMPAIGN_ID), None)
    if claim is None:
        return ()
    verdict = claims.check(v.registry, claim, v.query_fn)
    quote = f"The campaign's sentence — “{claim.statement}”"
    if verdict.status == claims.UNCHECKABLE:
        return (f"{quote} — cannot be checked with this file. {fmt.cap(verdict.reason)}",)
    f, r = verdict.figure, verdict.reached
    om = f"official misconduct played a role in {int(f.part):,} of them ({fmt.pct(int(f.part), f.whole)})"
    if not r.exact:
        return (f"{quote} — {verdict.status} on {f.as_of}: {r.sentence()} On that date {om}.",)
    until = r.ranges[0][1]
    span = f"until {until}" if until else "still the latest data"
    return (f"{quote} — {verdict.status} on {f.as_of}, when the registry held exactly {r.noun()}, {span}: {om}.",)


# ---------------------------------------------------------------------------------------------
# Sources and definitions


def sources(v: View) -> Block:
    s = scope(v.filters)
    lines = (
        f"{glossary.SOURCE} (exonerationregistry.org). {file_line(v)}",
        f"Counts: exonerations posted by {v.as_of}" + (f"; {s}" if s else "") + ". Each case is counted by the date "
        "the registry posted it; a past date counts the cases posted by then, as the registry codes them today.",
        f"Official misconduct: {glossary.BY_KEY['official_misconduct'].definition}",
        "Who committed the misconduct and what they did are coded per case; a case can carry several. "
        f"{human_cost.DEFINITION}. {glossary.DNA.label}: {glossary.DNA.definition}",
    )
    codes = (*glossary.CONTRIBUTING, glossary.DNA, *glossary.ACTORS, *glossary.KINDS)
    notes = (
        "Every figure in this deck can be reproduced in the Exoneration Misconduct Explorer with the same filters "
        f"and as-of date ({v.as_of}). {EDIT_DATA}\n\n" + _definitions(codes)
    )
    return Block("sources", SOURCES_TITLE, lines=lines, notes=notes)


def guidance() -> tuple[str, ...]:
    """The registry's guidance on reading its figures, as bullets."""
    return tuple(f"• {g}" for g in glossary.READING_GUIDANCE)


def sheet_cautions(v: View) -> tuple[str, ...]:
    """The fact sheet's cautions, each said once for the whole sheet: few cases, pre-1989 cases included
    (where the file codes who and what), the state filter set aside for the comparison, a past date
    counted with today's coding."""
    pre1989 = pre1989_caution(v) if misconduct.has_detail(v) and v.total else None
    return cautions(small_caution(v.total), pre1989, set_aside(v), past_coding(v))


def sheet_definitions() -> tuple[tuple[str, str], ...]:
    """The definitions the fact sheet prints (it has room for a few)."""
    keys = ("official_misconduct", "police", "prosecutor", "withheld_evidence", "dna")
    return tuple((glossary.BY_KEY[k].label, glossary.BY_KEY[k].definition) for k in keys)


# ---------------------------------------------------------------------------------------------
# The Briefing page and the command line

PAGE_TITLE = "Briefing pack"
PAGE_INTRO = (
    "A pack for legislators and their staff, for the filters in the sidebar: a PowerPoint deck whose charts are "
    "native PowerPoint charts (click a chart, then Edit Data, to see every number), with speaker notes giving each "
    "figure's definition and denominator; and a one-page fact sheet that prints cleanly from any browser. Both "
    "carry the source and the as-of date on every page."
)
DEMO_WARNING = (
    "Built from synthetic demo data: every slide and the fact sheet say so. Load the registry file before sending "
    "a pack to anyone."
)
DECK_BUTTON = "Download the deck (.pptx)"
SHEET_BUTTON = "Download the fact sheet (.html)"
PRINT_HINT = (
    "To print the fact sheet or save it as a PDF, open the downloaded file in a browser and print it (one page, "
    "US Letter or A4)."
)
CONTENTS_LABEL = "What the deck contains"
COLOURS_NOTE = (
    "Vermillion marks the exonerations with official misconduct and nothing else; grey, those without it (or not "
    "coded); the comparison draws the place in blue and the rest of the country in orange (the colour-blind-safe "
    "Okabe–Ito palette). Body text is at least 14 pt; every slide carries the source line and the as-of date."
)
PREVIEW_HEADING = "Fact sheet preview"
PREVIEW_CAPTION = "Exactly the file you download: self-contained HTML, no external fonts, scripts or images."
CLI_CAPTION = (
    f"Source: {glossary.SOURCE}. Command line: python -m exonerations brief --out pack.pptx (or .html) with the "
    "same filter options as stats."
)
BAD_SUFFIX = "--out must end in .pptx (the deck) or .html (the fact sheet), not '{suffix}'."
NO_FOLDER = "the folder {folder} does not exist."
CANNOT_WRITE = "cannot write {path}: {reason}."


def page_scope(v: View) -> str:
    """What the pack counts and compares, for the Briefing page."""
    chosen = len(v.filters.states) == 1
    return (
        f"Scope: {where(v.filters) or ALL_PLACES} · exonerations posted by {v.as_of} · "
        f"{fmt.plural(v.total, 'case')} · comparison: {place(v)} beside the rest of the country"
        + ("" if chosen else " (choose one state in the sidebar to compare it instead)")
    )


def wrote(kind: str, v: View, path: str, size: int) -> str:
    """What the `brief` command prints once it has written the pack."""
    what = "deck" if kind == "deck" else "fact sheet"
    demo = " (SYNTHETIC DEMO DATA)" if v.is_demo else ""
    return f"wrote the {what} for {subject(v)}, data as of {v.as_of}{demo}: {path} ({size:,} bytes)"


def pack_link(v: View, app_url: str) -> str:
    """The view that reproduces the pack: the Briefing page with its filters and pinned as-of date."""
    from .. import pages
    from . import citation

    return citation.permalink(v, pages.BY_PATH["briefing"], app_url)


def pack_citation(v: View, link: str, accessed):
    """The pack's citation (in-line, APA style, BibTeX), read on `accessed`."""
    from . import citation

    return citation.cite(v, pack_title(v), link, accessed, "briefing")


def cite(v: View, link: str, accessed) -> Block:
    """The last slide: how to reproduce the pack (its link) and how to cite it."""
    c = pack_citation(v, link, accessed)
    return Block(
        "cite",
        CITE_TITLE,
        lines=(link, c.apa, c.inline),
        notes=f"{REPRODUCE} {link}\n\n{CITE} {c.apa}\n\nBibTeX:\n{c.bibtex}",
    )


REPRODUCE = "Reproduce these figures, with the same filters and date:"
CITE_TITLE = "Reproduce and cite these figures"
CITE = "Cite as:"
