"""Drawing on a slide with python-pptx: a slide's frame (title, subtitle, footer with the source line and
the as-of date, the demo mark, speaker notes), text boxes, and native charts built from the findings'
`Series` — each with its text alternative in the graphic frame's `descr`, and its categories and series
names inert in the embedded workbook (`text.cell`). Every text set here is passed through `text.clean`."""

from __future__ import annotations

import math
from collections.abc import Sequence

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from .. import style
from ..findings.briefing import Series
from .text import cell, clean

W, H = 13.333, 7.5  # inches, 16:9
MARGIN = 0.5
TITLE_PT, BODY_PT, CHART_PT, SMALL_PT = 28, 18, 14, 14
INK = style.TEXT
GREY_TEXT = style.TEXT_MUTED
GRID = "#E0E0E0"
AXIS_LINE = "#BFBFBF"
CHART_TOP = 2.0  # under the title and the subtitle
FOOT = H - 0.6  # the source line's top


def rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


# ---------------------------------------------------------------------------------------------
# Text

Run = tuple[str, dict]  # text and its options: size, bold, colour, space (points before the paragraph)


def _paragraph(p, runs: Sequence[Run], size: int, colour: str) -> None:
    for text, opts in runs:
        run = p.add_run()
        run.text = clean(text)
        run.font.size = Pt(opts.get("size", size))
        run.font.bold = opts.get("bold", False)
        run.font.color.rgb = rgb(opts.get("colour", colour))
    if runs and runs[0][1].get("space"):
        p.space_before = Pt(runs[0][1]["space"])


def set_text(tf, paragraphs, size: int = BODY_PT, colour: str = INK) -> None:
    """Fill a text frame: each paragraph is a str, a (str, options) run, or a list of runs."""
    tf.word_wrap = True
    tf.clear()
    for i, item in enumerate(paragraphs):
        runs = item if isinstance(item, list) else [(item, {}) if isinstance(item, str) else item]
        _paragraph(tf.paragraphs[0] if i == 0 else tf.add_paragraph(), runs, size, colour)


def textbox(slide, x: float, y: float, w: float, h: float, paragraphs, size: int = BODY_PT, colour: str = INK):
    box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
    set_text(box.text_frame, paragraphs, size, colour)
    return box


def lines_height(texts: Sequence[str], width: float, size: int = SMALL_PT) -> float:
    """About how tall (inches) the texts are at `size` points in a box `width` inches wide."""
    per_line = max(1, int(width * 72 / (size * 0.5)))
    n = sum(math.ceil(max(len(t), 1) / per_line) for t in texts)
    return n * size * 1.25 / 72 + 0.1 * len(texts)


# ---------------------------------------------------------------------------------------------
# A slide's frame


def _title(slide, title: str) -> None:
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = Inches(MARGIN), Inches(0.3), Inches(W - 2 * MARGIN), Inches(1.1)
    tf = t.text_frame
    tf.word_wrap = True
    tf.text = clean(title)
    tf.vertical_anchor = MSO_ANCHOR.TOP
    for p in tf.paragraphs:
        p.alignment = PP_ALIGN.LEFT
        for r in p.runs:
            r.font.size = Pt(TITLE_PT if len(title) <= 100 else TITLE_PT - 4)
            r.font.bold = True
            r.font.color.rgb = rgb(INK)


def _demo_mark(slide, mark: str) -> None:
    box = textbox(slide, 0, 0, W, 0.3, [(mark, {"bold": True, "colour": "#FFFFFF"})], size=SMALL_PT)
    box.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    box.text_frame.margin_top = box.text_frame.margin_bottom = Inches(0.01)
    box.fill.solid()
    box.fill.fore_color.rgb = rgb(style.DEMO_TEXT)


def new_slide(prs, title: str, subtitle: str, source: str, number: int, notes: str, demo_mark: str | None):
    """A slide with its title (the finding), what it counts, the source line and as-of date, its number,
    the demo mark on demo data, and speaker notes."""
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only": the title stays a real title
    for ph in list(slide.placeholders):
        if ph.placeholder_format.idx != 0:
            ph._element.getparent().remove(ph._element)
    _title(slide, title)
    if subtitle:
        textbox(slide, MARGIN, 1.4, W - 2 * MARGIN, 0.55, [subtitle], size=SMALL_PT, colour=GREY_TEXT)
    colour, bold = (style.DEMO_TEXT, True) if demo_mark else (GREY_TEXT, False)
    textbox(slide, MARGIN, FOOT, W - 1.7, 0.45, [(source, {"colour": colour, "bold": bold})], size=SMALL_PT)
    textbox(slide, W - 1.0, FOOT, 0.6, 0.45, [(str(number), {"colour": GREY_TEXT})], size=SMALL_PT)
    if demo_mark:
        _demo_mark(slide, demo_mark)
    slide.notes_slide.notes_text_frame.text = clean(notes)
    return slide


def message(slide, text: str) -> None:
    """A sentence said instead of a chart (no cases, not in this file)."""
    textbox(slide, 0.8, 2.4, W - 1.6, 2.0, [(text, {"size": 24})])


def foot_notes(slide, texts: Sequence[str], cautions: Sequence[str], x: float = MARGIN, w: float = W - 2 * MARGIN):
    """Sentences under a chart, cautions in bold, bottom-aligned on the footer; returns their top."""
    items = [*texts, *cautions]
    if not items:
        return FOOT - 0.1
    h = lines_height(items, w)
    top = FOOT - 0.1 - h
    paragraphs = [(t, {"colour": GREY_TEXT}) for t in texts]
    paragraphs += [(c, {"bold": True, "colour": style.DEMO_TEXT}) for c in cautions]
    textbox(slide, x, top, w, h, paragraphs, size=SMALL_PT)
    return top


# ---------------------------------------------------------------------------------------------
# Charts


def _chart_data(categories: Sequence[str], series: Sequence[Series], number_format: str) -> CategoryChartData:
    data = CategoryChartData(number_format=number_format)
    data.categories = [cell(c) for c in categories]
    for s in series:
        data.add_series(cell(s.name), list(s.values))
    return data


def add_chart(slide, kind, box: tuple[float, float, float, float], categories, series, alt: str, number_format):
    """A native chart (its numbers in the embedded workbook: Edit Data) with its text alternative."""
    x, y, w, h = box
    data = _chart_data(categories, series, number_format)
    frame = slide.shapes.add_chart(kind, Inches(x), Inches(y), Inches(w), Inches(h), data)
    frame._element.nvGraphicFramePr.cNvPr.set("descr", clean(alt))
    chart = frame.chart
    chart.font.size = Pt(CHART_PT)
    chart.font.color.rgb = rgb(INK)
    chart.has_title = False
    chart.has_legend = len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(CHART_PT)
    return chart


def _fill(fmt_, colour: str) -> None:
    fmt_.fill.solid()
    fmt_.fill.fore_color.rgb = rgb(colour)


def _label(point, text: str) -> None:
    dl = point.data_label
    dl.position = XL_LABEL_POSITION.OUTSIDE_END
    dl.text_frame.text = clean(text)
    for p in dl.text_frame.paragraphs:
        for r in p.runs:
            r.font.size = Pt(CHART_PT)
            r.font.color.rgb = rgb(INK)


def bars(slide, box, categories, series: Sequence[Series], alt: str, number_format: str = "#,##0"):
    """Horizontal bars, the first category at the top, each point in its series' colour and labelled with
    its text; the value axis hidden (the labels carry the numbers)."""
    chart = add_chart(slide, XL_CHART_TYPE.BAR_CLUSTERED, box, categories, series, alt, number_format)
    plot = chart.plots[0]
    plot.gap_width = 45 if len(series) == 1 else 40
    plot.overlap = 0 if len(series) == 1 else -5
    plot.vary_by_categories = False
    ca = chart.category_axis
    ca.reverse_order = True
    ca.tick_labels.font.size = Pt(CHART_PT)
    ca.format.line.color.rgb = rgb(AXIS_LINE)
    ca.has_major_gridlines = False
    va = chart.value_axis
    va.visible = False
    va.has_major_gridlines = False
    va.minimum_scale = 0
    top = max([v for s in series for v in s.values if v is not None] + [0])
    va.maximum_scale = top * 1.45 if top else 1
    for s, drawn in zip(series, plot.series, strict=True):
        _fill(drawn.format, s.colours[0])
        for i, colour in enumerate(s.colours):
            _fill(drawn.points[i].format, colour)
            if s.texts:
                _label(drawn.points[i], s.texts[i])
    return chart


def _tick_label_skip(chart, n: int) -> None:
    """Show every n-th category label (python-pptx has no API for <c:tickLblSkip>)."""
    ax = chart.category_axis._element
    el = ax.find(qn("c:tickLblSkip"))
    if el is None:
        el = etree.SubElement(ax, qn("c:tickLblSkip"))
        anchor = ax.find(qn("c:lblOffset"))
        if anchor is not None:
            anchor.addnext(el)
    el.set("val", str(max(1, n)))


def _axes(chart, skip: int, number_format: str | None = None) -> None:
    va = chart.value_axis
    va.has_major_gridlines = True
    va.major_gridlines.format.line.color.rgb = rgb(GRID)
    va.tick_labels.font.size = Pt(CHART_PT)
    va.minimum_scale = 0
    if number_format:
        va.tick_labels.number_format, va.tick_labels.number_format_is_linked = number_format, False
    chart.category_axis.tick_labels.font.size = Pt(CHART_PT)
    _tick_label_skip(chart, skip)


def columns(slide, box, categories, series: Sequence[Series], alt: str):
    """Stacked columns per category (a year), each series in its colour."""
    chart = add_chart(slide, XL_CHART_TYPE.COLUMN_STACKED, box, categories, series, alt, "#,##0")
    chart.plots[0].gap_width = 30
    chart.plots[0].overlap = 100
    for s, drawn in zip(series, chart.plots[0].series, strict=True):
        _fill(drawn.format, s.colours[0])
    _axes(chart, math.ceil(len(categories) / 14))
    top = max((sum(v or 0 for v in vals) for vals in zip(*(s.values for s in series), strict=True)), default=0)
    if top < 8:
        chart.value_axis.major_unit = 1
    return chart


def share_line(slide, box, categories, s: Series, alt: str):
    """The share with official misconduct per category (0 to 100%) as a vermillion line, each marker in
    its point's colour (grey where the share rests on few cases), a gap where there is no case."""
    chart = add_chart(slide, XL_CHART_TYPE.LINE_MARKERS, box, categories, [s], alt, "0.0%")
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(CHART_PT)
    drawn = chart.plots[0].series[0]
    drawn.smooth = False
    drawn.format.line.color.rgb = rgb(style.HIGHLIGHT)
    drawn.format.line.width = Pt(2.5)
    drawn.marker.size = 5
    for i, colour in enumerate(s.colours):
        marker = drawn.points[i].marker
        _fill(marker.format, colour)
        marker.format.line.color.rgb = rgb(colour)
    _axes(chart, math.ceil(len(categories) / 14), "0%")
    va = chart.value_axis
    va.maximum_scale, va.major_unit = 1, 0.25
    return chart


def doughnut(slide, box, categories, s: Series, alt: str):
    """Two parts of a whole, each in its colour, labelled with its count."""
    chart = add_chart(slide, XL_CHART_TYPE.DOUGHNUT, box, categories, [s], alt, "#,##0")
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(CHART_PT)
    plot = chart.plots[0]
    plot.vary_by_categories = True
    for i, colour in enumerate(s.colours):
        _fill(plot.series[0].points[i].format, colour)
    plot.has_data_labels = True
    dl = plot.data_labels
    dl.show_value, dl.show_percentage, dl.show_category_name = True, False, False
    dl.number_format, dl.number_format_is_linked = "#,##0", False
    dl.font.size = Pt(18)
    dl.font.bold = True
    return chart


def qr(slide, link: str, x: float, y: float, side: float) -> None:
    """The link as a QR code (a picture with its alt text), at (x, y) inches, `side` inches wide."""
    import io

    import segno
    from pptx.util import Inches

    png = io.BytesIO()
    segno.make(link, error="m").save(png, kind="png", scale=8, border=2)
    png.seek(0)
    pic = slide.shapes.add_picture(png, Inches(x), Inches(y), Inches(side), Inches(side))
    pic._element.nvPicPr.cNvPr.set("descr", f"QR code of the link that reproduces these figures: {link}")
