"""The briefing pack for a set of filters: a PowerPoint deck with native, editable charts and a
one-page printable fact sheet (self-contained HTML), built from the same figures.

`collect` gathers every figure once (from `stats` and the named queries); `deck` and `fact_sheet`
only lay them out, so the two can never disagree. Nothing here imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

import pandas as pd

from . import glossary, style
from .claims import pct_text, share_words
from .db import PROJECT_ROOT, Registry
from .filters import Filters
from .stats import stats as compute_stats

TEMPLATES = PROJECT_ROOT / "templates"
COMPARE_DEFAULT = "New York"
NATION = "All jurisdictions"
DEMO_MARK = "SYNTHETIC DEMO DATA — not real cases"
PLACE_COLOUR, NATION_COLOUR = style.BASE, style.ORANGE  # as on the New York page
QUERIES = ("stats", "exonerations_by_year", "years_lost_by_misconduct")

QueryFn = Callable[[str, dict], pd.DataFrame]
StatsFn = Callable[[Filters], dict]


# ---------------------------------------------------------------------------------------------
# Figures


@dataclass(frozen=True)
class Brief:
    """Every figure of the pack, for one set of filters."""

    filters: Filters
    as_of: str
    is_demo: bool
    file_name: str
    layout_name: str
    s: dict  # stats(filters)
    both: int | None  # police and prosecutor misconduct in the same case
    years: pd.DataFrame  # exonerations_by_year
    years_lost: pd.DataFrame | None  # years_lost_by_misconduct (None: the file has no years lost)
    place: str  # the place compared with the nation ("New York", or the one state selected)
    place_s: dict  # stats for that place (other filters kept)
    nation_s: dict  # stats for every jurisdiction (other filters kept)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.s["total"]

    @property
    def om(self) -> int | None:
        return self.s["factors"]["official_misconduct"]

    @property
    def where(self) -> str:
        """The filters in words, without the date (which is printed separately)."""
        return self.filters.with_(as_of=None).describe()

    @property
    def scope(self) -> str:
        """'New York' or 'All jurisdictions' — for titles."""
        return self.where or NATION

    @property
    def source_line(self) -> str:
        src = DEMO_MARK if self.is_demo else f"Source: {glossary.SOURCE}"
        return f"{src} · data as of {self.as_of}" + (f" · {self.where}" if self.where else "")

    def denominator(self, total: int | None = None) -> str:
        n = self.total if total is None else total
        scope = self.where or "all jurisdictions, 1989 to the present"
        return f"{n:,} exonerations posted by {self.as_of} ({scope})"

    def file_stub(self) -> str:
        import re

        where = re.sub(r"[^a-z0-9]+", "-", self.where.lower()).strip("-")[:50]
        return "-".join(p for p in ("exonerations-briefing", self.as_of, where) if p)


def collect(
    registry: Registry, filters: Filters, query: QueryFn | None = None, stats_fn: StatsFn | None = None
) -> Brief:
    """Gather the figures of the pack. `query` / `stats_fn` let the app pass its cached versions."""
    q = query or registry.query
    st_fn = stats_fn or (lambda f: compute_stats(registry, f))
    meta = registry.meta
    filters = filters.without_notices()
    if filters.as_of is None and meta.posting_max and meta.has("posting_date"):
        filters = filters.with_(as_of=meta.posting_max)  # pin the date, so the pack is reproducible
    params = filters.sql_params(meta.has("posting_date"))
    s = st_fn(filters)
    row = q("stats", params).iloc[0]
    has_both = meta.has("om_police") and meta.has("om_prosecutor")
    years = q("exonerations_by_year", {**params, "period": 1})
    years_lost = q("years_lost_by_misconduct", params) if meta.has("years_lost") else None
    place = filters.states[0] if len(filters.states) == 1 else COMPARE_DEFAULT
    place_s = st_fn(filters.with_(states=(place,)))
    nation_s = st_fn(filters.with_(states=()))
    as_of = s["as_of"] or "unknown date"
    return Brief(
        filters,
        as_of,
        meta.is_demo,
        meta.file_name,
        meta.layout_name,
        s,
        int(row["police_and_prosecutor"]) if has_both else None,
        years,
        years_lost,
        place,
        place_s,
        nation_s,
    )


# -- Findings in words (titles) ------------------------------------------------------------------


def _p0(part: int | None, whole: int) -> str:
    return "—" if part is None or not whole else pct_text(part / whole)


def _p1(part: int | None, whole: int) -> str:
    return "—" if part is None or not whole else f"{100 * part / whole:.1f}%"


def headline_title(b: Brief) -> str:
    if not b.total:
        return "No cases match these filters"
    if b.om is None:
        return f"{b.total:,} exonerations — this file has no official-misconduct coding"
    where = f" in {b.where}" if b.where else ""
    return f"Official misconduct played a role in {_p0(b.om, b.total)} of exonerations{where}"


def headline_sentence(b: Brief) -> str:
    if not b.total or b.om is None:
        return ""
    words = share_words(b.om, b.total).split(" — ", 1)[-1]
    return (
        f"{b.om:,} of the {b.total:,} exonerations posted by {b.as_of} involved official misconduct "
        f"({_p1(b.om, b.total)}) — {words}."
    )


def factor_rows(b: Brief) -> list[tuple[str, str, int]]:
    """(key, label, cases) for the factors the file has, largest first."""
    rows = [(c.key, c.label, b.s["factors"][c.key]) for c in glossary.FACTORS if b.s["factors"][c.key] is not None]
    return sorted(rows, key=lambda r: -r[2])


def factors_title(b: Brief) -> str:
    rows = factor_rows(b)
    if not rows or not b.total:
        return "Contributing factors"
    om_label = glossary.label("official_misconduct")
    labels = [r[1] for r in rows]
    if om_label not in labels:
        return f"{rows[0][1]} is the most common contributing factor"
    rank = labels.index(om_label)
    if rank == 0:
        return f"Official misconduct is the most common contributing factor ({_p0(b.om, b.total)} of exonerations)"
    if rank == 1:
        return (
            f"Official misconduct ({_p0(b.om, b.total)}) is second only to "
            f"{glossary.in_sentence(rows[0][1])} ({_p0(rows[0][2], b.total)})"
        )
    return f"Official misconduct is the no. {rank + 1} contributing factor ({_p0(b.om, b.total)} of exonerations)"


def actor_rows(b: Brief) -> list[tuple[str, str, int]]:
    return [(c.key, c.label, b.s["misconduct"][c.key]) for c in glossary.ACTORS if b.s["misconduct"][c.key] is not None]


def kind_rows(b: Brief) -> list[tuple[str, str, int]]:
    rows = [(c.key, c.label, b.s["misconduct"][c.key]) for c in glossary.KINDS if b.s["misconduct"][c.key] is not None]
    return sorted(rows, key=lambda r: -r[2])


def actors_title(b: Brief) -> str:
    m = b.s["misconduct"]
    if m["police"] is None or not b.total:
        return "Official misconduct by actor"
    return (
        f"Police misconduct played a role in {_p0(m['police'], b.total)} of exonerations, "
        f"prosecutor misconduct in {_p0(m['prosecutor'], b.total)}"
    )


def kinds_title(b: Brief) -> str:
    rows = kind_rows(b)
    if not rows or not b.total or not rows[0][2]:
        return "Official misconduct by kind"
    return f"The most common kind of misconduct: {rows[0][1].lower()} ({_p0(rows[0][2], b.total)} of exonerations)"


def trend_periods(b: Brief) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int]] | None:
    """((first year, last year, cases, misconduct cases) for the first five years and for the last five
    complete years), or None with fewer than ten years of data."""
    y = b.years
    if y.empty:
        return None
    last_year = int(y["exoneration_year"].max())
    if b.as_of[:4].isdigit() and last_year >= int(b.as_of[:4]):
        last_year -= 1  # the as-of year is not complete
    first_year = int(y["exoneration_year"].min())
    if last_year - first_year + 1 < 10:
        return None

    def period(a: int, z: int) -> tuple[int, int, int, int]:
        sel = y[(y["exoneration_year"] >= a) & (y["exoneration_year"] <= z)]
        return a, z, int(sel["cases"].sum()), int(sel["misconduct_cases"].sum())

    return period(first_year, first_year + 4), period(last_year - 4, last_year)


def _small_years_text(b: Brief) -> str:
    small = int((b.years["cases"] < style.SMALL_DENOMINATOR).sum()) if not b.years.empty else 0
    if not small:
        return ""
    return (
        f"{small} of {len(b.years)} years have fewer than {style.SMALL_DENOMINATOR} cases: their shares swing widely. "
    )


def _periods_text(tp) -> str:
    (a1, z1, n1, m1), (a2, z2, n2, m2) = tp
    return (
        f"With official misconduct: {m1:,} of {n1:,} exonerations in the first five years ({a1}–{z1}), "
        f"{m2:,} of {n2:,} in the last five complete years ({a2}–{z2})."
    )


def trend_title(b: Brief) -> str:
    p = trend_periods(b)
    if not p or min(p[0][2], p[1][2]) < style.SMALL_DENOMINATOR:
        return "Exonerations per year and the share with official misconduct"
    (a1, z1, n1, m1), (a2, z2, n2, m2) = p
    return (
        f"Official misconduct played a role in {_p0(m2, n2)} of exonerations in {a2}–{z2}, "
        f"against {_p0(m1, n1)} in {a1}–{z1}"
    )


def years_lost_parts(b: Brief) -> dict | None:
    if b.years_lost is None:
        return None
    d = {r.grp: r for r in b.years_lost.itertuples()}

    def num(v) -> float:
        return 0.0 if v is None or (isinstance(v, float) and math.isnan(v)) else float(v)

    return {
        "all": num(d["all"].years_lost),
        "with": num(d["with_misconduct"].years_lost),
        "without": num(d["without_misconduct"].years_lost),
        "mean_with": num(d["with_misconduct"].mean_years_lost),
        "mean_without": num(d["without_misconduct"].mean_years_lost),
        "cases_with": int(d["with_misconduct"].cases_with_years_lost),
        "cases_without": int(d["without_misconduct"].cases_with_years_lost),
    }


def years_lost_title(b: Brief) -> str:
    y = years_lost_parts(b)
    if y is None:
        return "Years lost in prison: not in this file"
    if not y["all"]:
        return "No years lost recorded for these cases"
    return (
        f"Exonerees lost {y['all']:,.0f} years in prison — {y['with']:,.0f} of them in cases with official misconduct"
    )


def compare_title(b: Brief) -> str:
    p, n = b.place_s, b.nation_s
    pom, nom = p["factors"]["official_misconduct"], n["factors"]["official_misconduct"]
    if not p["total"] or pom is None:
        return f"{b.place} compared with the nation"
    return (
        f"In {b.place}, official misconduct played a role in {_p0(pom, p['total'])} of exonerations, "
        f"against {_p0(nom, n['total'])} nationwide"
    )


def definitions() -> list[tuple[str, str]]:
    return [(c.label, c.definition) for c in glossary.FACTORS + glossary.ACTORS + glossary.KINDS]


# ---------------------------------------------------------------------------------------------
# The deck

W, H = 13.333, 7.5  # inches, 16:9
TITLE_PT, BODY_PT, CHART_PT, SMALL_PT = 28, 18, 14, 14
INK = "222222"
GREY_TEXT = "555555"


def _rgb(hex_colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def _set_text(tf, paragraphs, size=BODY_PT, colour=INK):
    """Fill a text frame: `paragraphs` is a list of str or (str, {"size", "bold", "colour"})."""
    from pptx.util import Pt

    tf.word_wrap = True
    tf.clear()
    for i, item in enumerate(paragraphs):
        runs = item if isinstance(item, list) else [(item, {}) if isinstance(item, str) else item]
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        for text, opts in runs:
            run = p.add_run()
            run.text = text
            run.font.size = Pt(opts.get("size", size))
            run.font.bold = opts.get("bold", False)
            run.font.color.rgb = _rgb(opts.get("colour", colour))
        if runs[0][1].get("space"):
            p.space_before = Pt(runs[0][1]["space"])


def _textbox(slide, x, y, w, h, paragraphs, size=BODY_PT, colour=INK):
    from pptx.util import Inches

    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    _set_text(box.text_frame, paragraphs, size, colour)
    return box


def _slide(prs, b: Brief, title: str, notes: str, n: int):
    """A new slide with its title (the finding), footer, demo mark and speaker notes."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches, Pt

    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": the title stays a real title
    for ph in list(slide.placeholders):
        if ph.placeholder_format.idx != 0:
            ph._element.getparent().remove(ph._element)
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = Inches(0.5), Inches(0.36), Inches(W - 1.0), Inches(1.15)
    tf = t.text_frame
    tf.word_wrap = True
    tf.text = title
    for p in tf.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for r in p.runs:
            r.font.size = Pt(TITLE_PT if len(title) <= 100 else TITLE_PT - 4)
            r.font.bold = True
            r.font.color.rgb = _rgb(INK)
    tf.vertical_anchor = MSO_ANCHOR.TOP
    _textbox(
        slide,
        0.5,
        H - 0.55,
        W - 1.6,
        0.4,
        [(b.source_line, {"colour": style.VERMILLION if b.is_demo else GREY_TEXT, "bold": b.is_demo})],
        size=SMALL_PT,
    )
    _textbox(slide, W - 1.0, H - 0.55, 0.6, 0.4, [(str(n), {"colour": GREY_TEXT})], size=SMALL_PT)
    if b.is_demo:
        mark = _textbox(slide, 0, 0, W, 0.34, [(DEMO_MARK, {"bold": True, "colour": "FFFFFF"})], size=SMALL_PT)
        mark.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
        mark.text_frame.margin_top = mark.text_frame.margin_bottom = Inches(0.02)
        mark.fill.solid()
        mark.fill.fore_color.rgb = _rgb(style.VERMILLION)
        notes = f"{DEMO_MARK}: no figure on this slide describes real exonerations.\n\n" + notes
    slide.notes_slide.notes_text_frame.text = notes
    return slide


def _style_chart(chart, legend: bool = False):
    from pptx.enum.chart import XL_LEGEND_POSITION
    from pptx.util import Pt

    chart.font.size = Pt(CHART_PT)
    chart.font.color.rgb = _rgb(INK)
    chart.has_title = False
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_PT)


def _bar_chart(slide, x, y, w, h, rows: list[tuple[str, float, str, str]], series_name: str, number_format="#,##0"):
    """Horizontal bars, first row at the top. rows: (category, value, label text, colour)."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION
    from pptx.util import Inches, Pt

    rows = list(reversed(rows))  # a bar chart draws its first category at the bottom
    data = CategoryChartData(number_format=number_format)
    data.categories = [r[0] for r in rows]
    data.add_series(series_name, [r[1] for r in rows])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, Inches(x), Inches(y), Inches(w), Inches(h), data).chart
    _style_chart(chart)
    plot = chart.plots[0]
    plot.gap_width = 45
    plot.vary_by_categories = False
    va = chart.value_axis
    va.visible = False
    va.has_major_gridlines = False
    va.minimum_scale = 0
    top = max([r[1] for r in rows] + [0])
    va.maximum_scale = top * 1.45 if top else 1
    ca = chart.category_axis
    ca.tick_labels.font.size = Pt(CHART_PT)
    ca.format.line.color.rgb = _rgb("BFBFBF")
    ca.has_major_gridlines = False
    series = plot.series[0]
    for i, (_, _, label, colour) in enumerate(rows):
        pt = series.points[i]
        pt.format.fill.solid()
        pt.format.fill.fore_color.rgb = _rgb(colour)
        dl = pt.data_label
        dl.position = XL_LABEL_POSITION.OUTSIDE_END
        dl.text_frame.text = label
        for p in dl.text_frame.paragraphs:
            for r in p.runs:
                r.font.size = Pt(CHART_PT)
                r.font.color.rgb = _rgb(INK)
    return chart


def _tick_label_skip(chart, n: int) -> None:
    """Show every n-th category label (python-pptx has no API for <c:tickLblSkip>)."""
    from lxml import etree
    from pptx.oxml.ns import qn

    ax = chart.category_axis._element
    el = ax.find(qn("c:tickLblSkip"))
    if el is None:
        el = etree.SubElement(ax, qn("c:tickLblSkip"))
        anchor = ax.find(qn("c:lblOffset"))
        if anchor is not None:
            anchor.addnext(el)
    el.set("val", str(max(1, n)))


def _no_cases(slide, b: Brief) -> None:
    _textbox(slide, 0.8, 2.5, W - 1.6, 1.5, [("No cases match these filters.", {"size": 24})])


def deck(b: Brief) -> bytes:
    """The PowerPoint deck (bytes of a .pptx): native charts, findings as titles, notes with the
    definition and denominator of every figure."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(W), Inches(H)
    prs.core_properties.title = f"Official misconduct in wrongful convictions — {b.scope} — as of {b.as_of}"
    prs.core_properties.subject = b.source_line
    prs.core_properties.author = "Exoneration Misconduct Explorer"
    denom = b.denominator()
    guidance = "\n".join(f"• {g}" for g in glossary.READING_GUIDANCE)
    om_def = glossary.BY_KEY["official_misconduct"].definition
    n = 0

    def next_n() -> int:
        nonlocal n
        n += 1
        return n

    # 1. Title
    slide = _slide(
        prs,
        b,
        "Official misconduct in wrongful convictions",
        (
            f"Briefing pack on {b.scope}, from the {glossary.SOURCE}, data as of {b.as_of}.\n"
            f"All figures count {denom}, by the date the registry posted each case.\n\n"
            f"How to read these figures:\n{guidance}"
        ),
        next_n(),
    )
    _textbox(
        slide,
        0.5,
        1.9,
        W - 1.0,
        3.4,
        [
            (b.scope, {"size": 36, "bold": True, "colour": style.BLUE}),
            (f"Exonerations posted to the {glossary.SOURCE} by {b.as_of}", {"size": 22, "space": 12}),
            (
                f"{b.total:,} exonerations" + ("" if b.filters.include_pre_1989 else ", 1989 to the present"),
                {"size": 22, "space": 6},
            ),
            (headline_sentence(b), {"size": 22, "space": 18, "bold": True}),
            (
                f"Data file: {b.file_name or 'unknown'} ({b.layout_name})",
                {"size": 16, "colour": GREY_TEXT, "space": 18},
            ),
        ],
    )
    if b.is_demo:
        _textbox(
            slide,
            0.5,
            5.4,
            W - 1.0,
            1.0,
            [
                (
                    f"{DEMO_MARK}. These figures are generated for demonstration and describe no real exoneration.",
                    {"size": 20, "bold": True, "colour": style.VERMILLION},
                )
            ],
        )

    # 2. Headline
    slide = _slide(
        prs,
        b,
        headline_title(b),
        (
            f"Official misconduct: {om_def}\n"
            f"Denominator: {denom}.\n"
            "“Played a role” is the registry's coding of a case, not a court finding against a named person; the "
            "registry codes conservatively, so a case without the code may still have involved misconduct."
        ),
        next_n(),
    )
    if not b.total:
        _no_cases(slide, b)
    elif b.om is None:
        _textbox(
            slide,
            0.8,
            2.2,
            W - 1.6,
            2,
            ["This file has no official-misconduct coding, so the share cannot be computed."],
        )
    else:
        _textbox(
            slide,
            0.6,
            1.9,
            5.6,
            4.6,
            [
                (_p1(b.om, b.total), {"size": 72, "bold": True, "colour": style.HIGHLIGHT}),
                (f"{b.om:,} of {b.total:,} exonerations involved official misconduct", {"size": 22, "space": 6}),
                (share_words(b.om, b.total).split(" — ", 1)[-1].capitalize() + ".", {"size": 22, "space": 12}),
                (
                    f"Cases posted by {b.as_of}"
                    + (f"; {b.where}" if b.where else "; all jurisdictions, 1989 to the present")
                    + ".",
                    {"size": 16, "colour": GREY_TEXT, "space": 12},
                ),
            ]
            + (
                [
                    (
                        f"⚠ Only {b.total} cases: treat this share with care.",
                        {"size": 18, "bold": True, "space": 12, "colour": style.VERMILLION},
                    )
                ]
                if b.total < style.SMALL_DENOMINATOR
                else []
            ),
        )
        data = CategoryChartData(number_format="#,##0")
        data.categories = ["With official misconduct", "Without (or not coded)"]
        data.add_series("Exonerations", (b.om, b.total - b.om))
        chart = slide.shapes.add_chart(
            XL_CHART_TYPE.DOUGHNUT, Inches(6.6), Inches(1.7), Inches(6.2), Inches(5.0), data
        ).chart
        _style_chart(chart, legend=True)
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        plot = chart.plots[0]
        plot.vary_by_categories = True
        for i, colour in enumerate((style.HIGHLIGHT, style.MUTED)):
            pt = plot.series[0].points[i]
            pt.format.fill.solid()
            pt.format.fill.fore_color.rgb = _rgb(colour)
        plot.has_data_labels = True
        dl = plot.data_labels
        dl.show_value, dl.show_percentage, dl.show_category_name = True, False, False
        dl.number_format, dl.number_format_is_linked = "#,##0", False
        dl.font.size = Pt(18)
        dl.font.bold = True

    # 3. Factors
    slide = _slide(
        prs,
        b,
        factors_title(b),
        (
            f"Each bar counts the exonerations coded with that contributing factor; the percentage is of {denom}. "
            "A case can have several factors, so the bars add up to more than 100%. DNA is shown beside the factors: "
            "it is how the case was resolved, not a cause of the wrongful conviction.\n\nDefinitions:\n"
            + "\n".join(f"• {c.label}: {c.definition}" for c in glossary.FACTORS)
        ),
        next_n(),
    )
    rows = factor_rows(b)
    if not b.total:
        _no_cases(slide, b)
    else:
        om_label = glossary.label("official_misconduct")
        _bar_chart(
            slide,
            0.5,
            1.6,
            W - 1.0,
            5.2,
            [
                (
                    label,
                    cases,
                    f"{cases:,} ({_p0(cases, b.total)})",
                    style.HIGHLIGHT if label == om_label else style.BASE,
                )
                for _, label, cases in rows
            ],
            "Exonerations with the factor",
        )

    # 4. Actors
    both_note = (
        f"Police and prosecutor misconduct in the same case: {b.both:,} exonerations "
        f"({_p1(b.both, b.total)} of all; {_p1(b.both, b.om or 0)} of those with official misconduct)."
        if b.both is not None and b.total
        else ""
    )
    slide = _slide(
        prs,
        b,
        actors_title(b),
        (
            f"Each bar counts the exonerations in which the registry coded misconduct by that kind of official; the "
            f"percentage is of {denom}. A case can involve several kinds of official, so the bars overlap.\n"
            + (both_note + "\n" if both_note else "")
            + "\nDefinitions:\n"
            + "\n".join(f"• {c.label}: {c.definition}" for c in glossary.ACTORS)
        ),
        next_n(),
    )
    rows = actor_rows(b)
    if not b.total:
        _no_cases(slide, b)
    elif not rows:
        _textbox(slide, 0.8, 2.2, W - 1.6, 2, ["This file has no misconduct detail (who committed it)."])
    else:
        _bar_chart(
            slide,
            0.5,
            1.6,
            8.3,
            5.2,
            [(label, cases, f"{cases:,} ({_p0(cases, b.total)})", style.BASE) for _, label, cases in rows],
            "Exonerations with misconduct by this official",
        )
        if both_note:
            _textbox(
                slide,
                9.0,
                2.2,
                3.9,
                4.0,
                [
                    ("Both police and prosecutors", {"bold": True, "size": 20}),
                    (f"{b.both:,}", {"size": 44, "bold": True, "colour": style.HIGHLIGHT, "space": 6}),
                    (
                        f"exonerations ({_p1(b.both, b.total)}) had misconduct by both — "
                        f"{_p1(b.both, b.om or 0)} of those with official misconduct.",
                        {"size": 18, "space": 6},
                    ),
                    (
                        "Misconduct at more than one stage of the same case.",
                        {"size": 16, "colour": GREY_TEXT, "space": 12},
                    ),
                ],
            )

    # 5. Kinds
    slide = _slide(
        prs,
        b,
        kinds_title(b),
        (
            f"Each bar counts the exonerations coded with that kind of official misconduct; the percentage is of {denom}. "
            "A case can have several kinds.\n\nDefinitions:\n"
            + "\n".join(f"• {c.label}: {c.definition}" for c in glossary.KINDS)
        ),
        next_n(),
    )
    rows = kind_rows(b)
    if not b.total:
        _no_cases(slide, b)
    elif not rows:
        _textbox(slide, 0.8, 2.2, W - 1.6, 2, ["This file has no misconduct detail (what was done)."])
    else:
        _bar_chart(
            slide,
            0.5,
            1.6,
            W - 1.0,
            5.2,
            [(label, cases, f"{cases:,} ({_p0(cases, b.total)})", style.BASE) for _, label, cases in rows],
            "Exonerations with this kind of misconduct",
        )

    # 6. Trend
    y = b.years
    partial = b.as_of[:4] if not y.empty and str(int(y["exoneration_year"].max())) == b.as_of[:4] else ""
    tp = trend_periods(b)
    slide = _slide(
        prs,
        b,
        trend_title(b),
        (
            "Top: exonerations per year of exoneration, split into those with official misconduct and the rest "
            "(not coded, or coded No). Bottom: the share with official misconduct in each year.\n"
            f"Denominator: the exonerations of each year among {denom}. Years with few cases swing widely.\n"
            + (f"{partial} is incomplete: only cases posted by {b.as_of} are counted. " if partial else "")
            + "Recent years also grow as the registry posts cases later.\n"
            + (_periods_text(tp) if tp else "")
        ),
        next_n(),
    )
    if y.empty:
        _no_cases(slide, b)
    else:
        cats = [str(int(v)) for v in y["exoneration_year"]]
        skip = math.ceil(len(cats) / 14)
        data = CategoryChartData(number_format="#,##0")
        data.categories = cats
        data.add_series("With official misconduct", [int(v) for v in y["misconduct_cases"]])
        data.add_series(
            "Without (or not coded)", [int(c - mc) for c, mc in zip(y["cases"], y["misconduct_cases"], strict=True)]
        )
        chart = slide.shapes.add_chart(
            XL_CHART_TYPE.COLUMN_STACKED, Inches(0.5), Inches(1.45), Inches(W - 1.0), Inches(2.85), data
        ).chart
        _style_chart(chart, legend=True)
        chart.plots[0].gap_width = 30
        chart.plots[0].overlap = 100
        for s, colour in zip(chart.plots[0].series, (style.HIGHLIGHT, style.BASE), strict=True):
            s.format.fill.solid()
            s.format.fill.fore_color.rgb = _rgb(colour)
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.major_gridlines.format.line.color.rgb = _rgb("E0E0E0")
        chart.value_axis.tick_labels.font.size = Pt(CHART_PT)
        chart.value_axis.minimum_scale = 0
        if int(y["cases"].max()) < 8:
            chart.value_axis.major_unit = 1
        chart.category_axis.tick_labels.font.size = Pt(CHART_PT)
        _tick_label_skip(chart, skip)
        data = CategoryChartData(number_format="0%")
        data.categories = cats
        data.add_series("Share with official misconduct", [None if pd.isna(v) else float(v) for v in y["share"]])
        chart = slide.shapes.add_chart(
            XL_CHART_TYPE.LINE_MARKERS, Inches(0.5), Inches(4.3), Inches(W - 1.0), Inches(2.2), data
        ).chart
        _style_chart(chart, legend=True)
        s = chart.plots[0].series[0]
        s.smooth = False
        s.format.line.color.rgb = _rgb(style.HIGHLIGHT)
        s.format.line.width = Pt(2.5)
        s.marker.format.fill.solid()
        s.marker.format.fill.fore_color.rgb = _rgb(style.HIGHLIGHT)
        s.marker.format.line.color.rgb = _rgb(style.HIGHLIGHT)
        s.marker.size = 5
        va = chart.value_axis
        va.minimum_scale, va.maximum_scale, va.major_unit = 0, 1, 0.25
        va.tick_labels.number_format, va.tick_labels.number_format_is_linked = "0%", False
        va.tick_labels.font.size = Pt(CHART_PT)
        va.has_major_gridlines = True
        va.major_gridlines.format.line.color.rgb = _rgb("E0E0E0")
        chart.category_axis.tick_labels.font.size = Pt(CHART_PT)
        _tick_label_skip(chart, skip)
        note = _small_years_text(b) + (f"{partial} is incomplete (cases posted by {b.as_of})." if partial else "")
        _textbox(slide, 0.5, 6.45, W - 1.0, 0.4, [(note, {"colour": GREY_TEXT})], size=SMALL_PT)

    # 7. Years lost
    yl = years_lost_parts(b)
    slide = _slide(
        prs,
        b,
        years_lost_title(b),
        (
            "Years lost: the registry's figure for the time each exoneree spent in prison between conviction and "
            "release. It does not count pretrial detention, probation or the years after release. "
            f"Totals over {denom}, split by whether official misconduct played a role; means are per case with a "
            "recorded figure."
            if yl
            else f"This file ({b.layout_name}) has no years-lost column: the figure is unknown, not zero. "
            "The registry's full export has it."
        ),
        next_n(),
    )
    if yl is None:
        _textbox(
            slide,
            0.8,
            2.2,
            W - 1.6,
            2,
            [
                f"This file ({b.layout_name}) has no years-lost column, so the years lost are unknown — not zero.",
                ("Load the registry's full export to see them.", {"colour": GREY_TEXT, "space": 12}),
            ],
        )
    elif not b.total:
        _no_cases(slide, b)
    else:
        _bar_chart(
            slide,
            0.5,
            1.8,
            8.3,
            4.6,
            [
                (
                    "With official misconduct",
                    yl["with"],
                    f"{yl['with']:,.0f} years (mean {yl['mean_with']:.1f})",
                    style.HIGHLIGHT,
                ),
                (
                    "Without (or not coded)",
                    yl["without"],
                    f"{yl['without']:,.0f} years (mean {yl['mean_without']:.1f})",
                    style.BASE,
                ),
            ],
            "Years lost in prison",
            number_format="#,##0",
        )
        _textbox(
            slide,
            9.0,
            2.2,
            3.9,
            4.0,
            [
                (f"{yl['all']:,.0f}", {"size": 44, "bold": True, "colour": style.HIGHLIGHT}),
                ("years lost in prison in all", {"size": 20}),
                (
                    f"A case with official misconduct cost {yl['mean_with']:.1f} years on average, "
                    f"against {yl['mean_without']:.1f} without.",
                    {"size": 18, "space": 14},
                ),
            ],
        )

    # 8. The place compared with the nation
    p, nat = b.place_s, b.nation_s
    slide = _slide(
        prs,
        b,
        compare_title(b),
        (
            f"{b.place}: {p['total']:,} exonerations in its state courts (federal cases there are a separate "
            f"jurisdiction); nation: {nat['total']:,} exonerations in every jurisdiction. Both posted by {b.as_of}"
            + (
                f", other filters: {b.filters.with_(as_of=None, states=()).describe()}"
                if b.filters.with_(as_of=None, states=()).describe()
                else ""
            )
            + ". Each bar is the share of that place's exonerations coded with the factor.\n"
            "Differences between places also reflect how wrongful convictions are found and overturned there "
            "(conviction integrity units, innocence organizations), not only how often misconduct happens."
        ),
        next_n(),
    )
    keys = [c for c in glossary.FACTORS if p["factors"][c.key] is not None]
    if not p["total"] or not nat["total"]:
        _textbox(slide, 0.8, 2.2, W - 1.6, 2, [f"No exonerations in {b.place} match these filters."])
    else:
        cats = [c.label for c in reversed(keys)]
        data = CategoryChartData(number_format="0%")
        data.categories = cats
        data.add_series(NATION, [nat["factors"][c.key] / nat["total"] for c in reversed(keys)])
        data.add_series(b.place, [p["factors"][c.key] / p["total"] for c in reversed(keys)])
        chart = slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.5), Inches(1.55), Inches(8.6), Inches(5.35), data
        ).chart
        _style_chart(chart, legend=True)
        plot = chart.plots[0]
        plot.gap_width = 40
        plot.overlap = -5
        for s, colour in zip(plot.series, (NATION_COLOUR, PLACE_COLOUR), strict=True):
            s.format.fill.solid()
            s.format.fill.fore_color.rgb = _rgb(colour)
        plot.has_data_labels = True
        plot.data_labels.number_format, plot.data_labels.number_format_is_linked = "0%", False
        plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
        plot.data_labels.font.size = Pt(CHART_PT)
        va = chart.value_axis
        va.visible = False
        va.has_major_gridlines = False
        va.minimum_scale, va.maximum_scale = 0, 1.0
        chart.category_axis.tick_labels.font.size = Pt(CHART_PT)
        # legend order follows the series order; put the place first in the reader's eye with the title
        pom, nom = p["factors"]["official_misconduct"], nat["factors"]["official_misconduct"]
        _textbox(
            slide,
            9.3,
            1.9,
            3.6,
            4.8,
            [
                [("■ ", {"bold": True, "size": 20, "colour": PLACE_COLOUR}), (b.place, {"bold": True, "size": 20})],
                (
                    f"{pom:,} of {p['total']:,} exonerations with official misconduct ({_p1(pom, p['total'])})",
                    {"size": 18},
                ),
                [
                    ("■ ", {"bold": True, "size": 20, "space": 14, "colour": NATION_COLOUR}),
                    (NATION, {"bold": True, "size": 20}),
                ],
                (f"{nom:,} of {nat['total']:,} ({_p1(nom, nat['total'])})", {"size": 18}),
                ("Shares of each place's own exonerations.", {"size": 16, "colour": GREY_TEXT, "space": 14}),
            ]
            + (
                [
                    (
                        f"⚠ {b.place} has only {p['total']} cases here: treat its shares with care.",
                        {"size": 16, "bold": True, "space": 10, "colour": style.VERMILLION},
                    )
                ]
                if p["total"] < style.SMALL_DENOMINATOR
                else []
            ),
        )

    # 9. Sources and definitions
    slide = _slide(
        prs,
        b,
        "Sources and definitions",
        (
            "Every figure in this deck can be reproduced in the Exoneration Misconduct Explorer with the same filters "
            f"and as-of date ({b.as_of}); each chart's numbers are in the chart's data (right-click → Edit Data).\n\n"
            "Definitions of every code:\n" + "\n".join(f"• {label}: {d}" for label, d in definitions())
        ),
        next_n(),
    )
    where = b.where or "all jurisdictions, 1989 to the present"
    _textbox(
        slide,
        0.5,
        1.5,
        6.0,
        5.3,
        [
            ("Source", {"bold": True, "size": 20}),
            (
                f"{glossary.SOURCE} (exonerationregistry.org). Data file {b.file_name or 'unknown'} ({b.layout_name}).",
                {"size": 15},
            ),
            (
                f"Counts: exonerations posted by {b.as_of}; {where}. Each case is counted by the date the registry "
                "posted it, so a figure can be reproduced for any past date.",
                {"size": 15, "space": 6},
            ),
            ("Definitions", {"bold": True, "size": 20, "space": 14}),
            (f"Official misconduct: {om_def}", {"size": 15}),
            (
                "Actors and kinds of misconduct are coded per case; a case can carry several. Years lost: time in "
                "prison between conviction and release.",
                {"size": 15, "space": 6},
            ),
        ],
    )
    _textbox(
        slide,
        6.9,
        1.5,
        6.0,
        5.3,
        [("How to read these figures", {"bold": True, "size": 20})]
        + [(f"• {g}", {"size": 15, "space": 4}) for g in glossary.READING_GUIDANCE],
    )

    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# The fact sheet


def _e(s) -> str:
    return html.escape(str(s), quote=True)


def _bars(rows: list[tuple[str, float, str, str]], scale: float) -> str:
    """CSS bars: (label, value, value text, colour); `scale` is the value of a full-width bar."""
    out = []
    for label, value, text, colour in rows:
        w = 0 if not scale else max(0.0, min(100.0, 100 * value / scale))
        out.append(
            f'<div class="bar"><span class="lab">{_e(label)}</span><span class="track">'
            f'<span class="fill" style="width:{w:.1f}%;background:{colour}"></span></span>'
            f'<span class="val">{_e(text)}</span></div>'
        )
    return "\n".join(out)


def _compare_row(label: str, part: int, total: int, nat_part: int, nat_total: int) -> str:
    """One factor: the place's share and the nation's, as two thin bars."""
    a, b = part / total, nat_part / nat_total
    return (
        f'<div class="cmp"><span class="lab">{_e(label)}</span><span class="two">'
        f'<span class="track"><span class="fill place" style="width:{100 * a:.1f}%"></span></span>'
        f'<span class="track"><span class="fill nation" style="width:{100 * b:.1f}%"></span></span></span>'
        f'<span class="val"><b class="place-t">{_e(pct_text(a))}</b> · <span class="nation-t">{_e(pct_text(b))}</span>'
        f"</span></div>"
    )


def _svg_columns(b: Brief, width: int = 340, height: int = 92) -> str:
    y = b.years
    if y.empty:
        return '<p class="muted">No cases.</p>'
    n = len(y)
    top = max(1, int(y["cases"].max()))
    pad_l, pad_b, pad_t = 26, 16, 6
    bw = (width - pad_l) / n
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="Exonerations per year, with and without official misconduct">'
    ]
    ch = height - pad_b - pad_t
    for t in (0, top / 2, top):
        ty = pad_t + ch - ch * t / top
        parts.append(
            f'<line x1="{pad_l}" x2="{width}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#e3e3e3" stroke-width="0.6"/>'
            f'<text x="{pad_l - 3}" y="{ty + 3:.1f}" text-anchor="end" class="ax">{int(round(t)):,}</text>'
        )
    for i, r in enumerate(y.itertuples()):
        x = pad_l + i * bw
        h_all = ch * r.cases / top
        h_om = ch * r.misconduct_cases / top
        parts.append(
            f'<rect x="{x + 0.4:.1f}" y="{pad_t + ch - h_all:.1f}" width="{max(bw - 0.8, 0.5):.1f}" '
            f'height="{h_all - h_om:.1f}" fill="{style.BASE}"/>'
        )
        parts.append(
            f'<rect x="{x + 0.4:.1f}" y="{pad_t + ch - h_om:.1f}" width="{max(bw - 0.8, 0.5):.1f}" '
            f'height="{h_om:.1f}" fill="{style.HIGHLIGHT}"/>'
        )
    step = max(1, math.ceil(n / 6))
    for i, r in enumerate(y.itertuples()):
        if (i % step == 0 and n - 1 - i >= step / 2) or i == n - 1:
            anchor = "end" if i == n - 1 else "start" if i == 0 else "middle"
            x = width if i == n - 1 else pad_l if i == 0 else pad_l + (i + 0.5) * bw
            parts.append(
                f'<text x="{x:.1f}" y="{height - 3}" text-anchor="{anchor}" class="ax">{int(r.exoneration_year)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _svg_share(b: Brief, width: int = 340, height: int = 92) -> str:
    y = b.years
    if y.empty:
        return '<p class="muted">No cases.</p>'
    n = len(y)
    pad_l, pad_b, pad_t = 30, 16, 6
    ch = height - pad_b - pad_t
    bw = (width - pad_l) / n
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="Share of exonerations with official misconduct, per year">'
    ]
    for t in (0, 0.5, 1):
        ty = pad_t + ch - ch * t
        dash = ' stroke-dasharray="3 2"' if t == 0.5 else ""
        parts.append(
            f'<line x1="{pad_l}" x2="{width}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="#d0d0d0" stroke-width="0.6"{dash}/>'
            f'<text x="{pad_l - 3}" y="{ty + 3:.1f}" text-anchor="end" class="ax">{t:.0%}</text>'
        )
    pts = []
    for i, r in enumerate(y.itertuples()):
        if pd.isna(r.share):
            if len(pts) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{style.HIGHLIGHT}" stroke-width="1.6" points="{" ".join(pts)}"/>'
                )
            pts = []
            continue
        pts.append(f"{pad_l + (i + 0.5) * bw:.1f},{pad_t + ch - ch * float(r.share):.1f}")
        parts.append(
            f'<circle cx="{pad_l + (i + 0.5) * bw:.1f}" cy="{pad_t + ch - ch * float(r.share):.1f}" r="1.5" '
            f'fill="{style.HIGHLIGHT}"/>'
        )
    if len(pts) > 1:
        parts.append(f'<polyline fill="none" stroke="{style.HIGHLIGHT}" stroke-width="1.6" points="{" ".join(pts)}"/>')
    step = max(1, math.ceil(n / 6))
    for i, r in enumerate(y.itertuples()):
        if (i % step == 0 and n - 1 - i >= step / 2) or i == n - 1:
            anchor = "end" if i == n - 1 else "start" if i == 0 else "middle"
            x = width if i == n - 1 else pad_l if i == 0 else pad_l + (i + 0.5) * bw
            parts.append(
                f'<text x="{x:.1f}" y="{height - 3}" text-anchor="{anchor}" class="ax">{int(r.exoneration_year)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def fact_sheet(b: Brief) -> str:
    """A one-page printable fact sheet: self-contained HTML (inline CSS and SVG, no external resources)."""
    tpl = Template((TEMPLATES / "factsheet.html").read_text(encoding="utf-8"))
    total = b.total
    om_label = glossary.label("official_misconduct")
    fac = factor_rows(b)
    factors_html = (
        _bars(
            [
                (label, c, f"{c:,} · {_p0(c, total)}", style.HIGHLIGHT if label == om_label else style.BASE)
                for _, label, c in fac
            ],
            total,
        )
        if total and fac
        else '<p class="muted">Not in this file.</p>'
    )
    act = actor_rows(b)
    actors_html = (
        _bars([(label, c, f"{c:,} · {_p0(c, total)}", style.BASE) for _, label, c in act], total)
        if total and act
        else '<p class="muted">Not in this file.</p>'
    )
    if b.both is not None and total:
        actors_html += (
            f'<p class="note"><b>Both police and prosecutors:</b> {b.both:,} exonerations '
            f"({_p1(b.both, total)}; {_p1(b.both, b.om or 0)} of those with official misconduct).</p>"
        )
    kin = kind_rows(b)
    kinds_html = (
        _bars([(label, c, f"{c:,} · {_p0(c, total)}", style.BASE) for _, label, c in kin], total)
        if total and kin
        else '<p class="muted">Not in this file.</p>'
    )
    yl = years_lost_parts(b)
    if yl is None:
        years_lost_html = (
            f'<p class="muted">This file ({_e(b.layout_name)}) has no years-lost column: unknown, not zero.</p>'
        )
        years_lost_big = "not in this file"
    else:
        years_lost_big = f"{yl['all']:,.0f}"
        years_lost_html = _bars(
            [
                (
                    "With official misconduct",
                    yl["with"],
                    f"{yl['with']:,.0f} (mean {yl['mean_with']:.1f})",
                    style.HIGHLIGHT,
                ),
                (
                    "Without (or not coded)",
                    yl["without"],
                    f"{yl['without']:,.0f} (mean {yl['mean_without']:.1f})",
                    style.BASE,
                ),
            ],
            max(yl["with"], yl["without"], 1),
        )
    p, nat = b.place_s, b.nation_s
    if p["total"] and nat["total"]:
        compare_html = "\n".join(
            _compare_row(c.label, p["factors"][c.key], p["total"], nat["factors"][c.key], nat["total"])
            for c in glossary.FACTORS
            if p["factors"][c.key] is not None
        )
        pom, nom = p["factors"]["official_misconduct"], nat["factors"]["official_misconduct"]
        compare_lead = (
            (
                f"{_e(b.place)}: {pom:,} of {p['total']:,} exonerations with official misconduct "
                f"({_p1(pom, p['total'])}) · {NATION.lower()}: {nom:,} of {nat['total']:,} "
                f"({_p1(nom, nat['total'])})"
            )
            if pom is not None
            else ""
        )
    else:
        compare_html, compare_lead = f'<p class="muted">No exonerations in {_e(b.place)} match these filters.</p>', ""
    tp = trend_periods(b)
    partial = not b.years.empty and str(int(b.years["exoneration_year"].max())) == b.as_of[:4]
    demo_banner = (
        (
            f'<div class="demo">{_e(DEMO_MARK)}: generated for demonstration; no figure on this sheet '
            "describes a real exoneration.</div>"
        )
        if b.is_demo
        else ""
    )
    defs = "".join(
        f"<li><b>{_e(c.label)}</b>: {_e(c.definition)}</li>"
        for c in (
            glossary.BY_KEY["official_misconduct"],
            glossary.BY_KEY["police"],
            glossary.BY_KEY["prosecutor"],
            glossary.BY_KEY["withheld_evidence"],
        )
    )
    guidance = "".join(f"<li>{_e(g)}</li>" for g in glossary.READING_GUIDANCE)
    return tpl.substitute(
        title=_e(f"Official misconduct in wrongful convictions — {b.scope} — as of {b.as_of}"),
        scope=_e(b.scope),
        as_of=_e(b.as_of),
        demo_class="is-demo" if b.is_demo else "",
        demo_banner=demo_banner,
        source=_e(glossary.SOURCE),
        headline=_e(headline_title(b)),
        headline_sentence=_e(headline_sentence(b)),
        big_share=_e(_p1(b.om, total) if total and b.om is not None else "—"),
        total=f"{total:,}",
        om=_e(f"{b.om:,}" if b.om is not None else "not in this file"),
        years_lost_big=_e(years_lost_big),
        denominator=_e(b.denominator()),
        factors_title=_e(factors_title(b)),
        factors=factors_html,
        actors_title=_e(actors_title(b)),
        actors=actors_html,
        kinds_title=_e(kinds_title(b)),
        kinds=kinds_html,
        trend_title=_e(trend_title(b)),
        trend_columns=_svg_columns(b),
        trend_share=_svg_share(b),
        trend_note=_e(
            (f"{b.as_of[:4]} is incomplete (cases posted by {b.as_of}). " if partial else "")
            + _small_years_text(b)
            + (_periods_text(tp) if tp else "")
        ),
        years_lost_title=_e(years_lost_title(b)),
        years_lost=years_lost_html,
        compare_title=_e(compare_title(b)),
        compare_lead=compare_lead,
        compare=compare_html,
        definitions=defs,
        guidance=guidance,
        file_line=_e(
            f"Data file {b.file_name or 'unknown'} ({b.layout_name}); counts by posting date, "
            f"{b.where or 'all jurisdictions, 1989 to the present'}."
        ),
        colour_om=style.HIGHLIGHT,
        colour_base=style.BASE,
        colour_place=PLACE_COLOUR,
        colour_nation=NATION_COLOUR,
        colour_demo=style.VERMILLION,
        place=_e(b.place),
        generated=_e(dt.date.today().isoformat()),
    )


# ---------------------------------------------------------------------------------------------
# Command line


def cli_brief(a) -> int:
    from .cli import UserError, filters_from_args, open_registry

    out: Path = a.out
    kind = out.suffix.lower()
    if kind not in (".pptx", ".html", ".htm"):
        raise UserError(
            f"--out must end in .pptx (the deck) or .html (the fact sheet), not '{out.suffix or out.name}'."
        )
    if not out.parent.exists():
        raise UserError(f"the folder {out.parent} does not exist.")
    reg = open_registry(a.db)
    try:
        b = collect(reg, filters_from_args(a))
    finally:
        reg.close()
    data = deck(b) if kind == ".pptx" else fact_sheet(b).encode("utf-8")
    try:
        out.write_bytes(data)
    except OSError as e:
        raise UserError(f"cannot write {out}: {e.strerror}.") from None
    what = "deck" if kind == ".pptx" else "fact sheet"
    print(
        f"wrote the {what} for {b.scope}, data as of {b.as_of}"
        + (" (SYNTHETIC DEMO DATA)" if b.is_demo else "")
        + f": {out} ({len(data):,} bytes)"
    )
    return 0
