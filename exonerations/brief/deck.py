"""The deck: one function per slide, and `SLIDES`, the slides in order (the Briefing page lists them from
it). Each slide draws one block of the `Brief`; its title is the block's finding."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pptx import Presentation
from pptx.util import Inches

from .. import style
from ..findings import briefing
from . import shapes
from .shapes import CHART_TOP, GREY_TEXT, MARGIN, H, W
from .text import clean

if TYPE_CHECKING:
    from ..findings.briefing import Block
    from . import Brief

SIDE_X, SIDE_W = 9.1, W - 9.1 - MARGIN  # a text column beside a chart
CHART_W = SIDE_X - MARGIN - 0.2  # a chart's width beside that column


def _chart_box(b_top: float, w: float = W - 2 * MARGIN) -> tuple[float, float, float, float]:
    """The chart's box from under the subtitle down to `b_top` (the top of the sentences under it)."""
    return MARGIN, CHART_TOP, w, max(b_top - CHART_TOP - 0.1, 1.5)


def _drawn(slide, block: Block) -> bool:
    """Say the block's message instead of a chart; whether there is a chart to draw."""
    if not block.has_chart:
        shapes.message(slide, block.message or briefing.NO_CASES_SHORT)
        return False
    return True


def _side(slide, paragraphs, top: float = 2.2) -> None:
    """A text column beside the chart, down to the footer (the sentences under the chart keep to its width)."""
    shapes.textbox(slide, SIDE_X, top, SIDE_W, shapes.FOOT - top - 0.2, paragraphs)


# ---------------------------------------------------------------------------------------------
# The slides


def cover_slide(slide, b: Brief) -> None:
    block = b.cover
    lines = [(block.kicker, {"size": 36, "bold": True})]
    lines += [(t, {"size": 20, "space": 12}) for t in block.lines[:-1]]
    lines += [(block.lines[-1], {"size": 16, "colour": GREY_TEXT, "space": 18})]
    lines += [(c, {"size": 20, "bold": True, "colour": style.DEMO_TEXT, "space": 18}) for c in block.cautions]
    shapes.textbox(slide, MARGIN, 1.8, W - 2 * MARGIN, 4.6, lines)


def headline_slide(slide, b: Brief) -> None:
    block = b.headline
    if not _drawn(slide, block):
        return
    sentence, phrase, scope = block.lines
    paragraphs = [
        (block.figure, {"size": 72, "bold": True, "colour": style.HIGHLIGHT}),
        (sentence, {"size": 20, "space": 6}),
        (phrase, {"size": 20, "space": 12}),
        (scope, {"size": 14, "colour": GREY_TEXT, "space": 12}),
    ]
    paragraphs += [(c, {"size": 16, "bold": True, "colour": style.DEMO_TEXT, "space": 12}) for c in block.cautions]
    shapes.textbox(slide, 0.6, 1.9, 5.8, 4.6, paragraphs)
    shapes.doughnut(slide, (6.7, 1.9, 6.1, 4.7), block.categories, block.series[0], block.alt)


def factors_slide(slide, b: Brief) -> None:
    block = b.factors
    if not _drawn(slide, block):
        return
    top = shapes.foot_notes(slide, block.lines, block.cautions)
    shapes.bars(slide, _chart_box(top), block.categories, block.series, block.alt)


def actors_slide(slide, b: Brief) -> None:
    block = b.actors
    if not _drawn(slide, block):
        return
    top = shapes.foot_notes(slide, (), block.cautions, w=CHART_W)
    shapes.bars(slide, _chart_box(top, CHART_W), block.categories, block.series, block.alt)
    if block.lines:
        both, meaning = block.lines
        _side(
            slide,
            [
                (briefing.BOTH_LABEL, {"bold": True, "size": 20}),
                (both, {"size": 18, "space": 8}),
                (meaning, {"size": 14, "colour": GREY_TEXT, "space": 12}),
            ],
        )


def kinds_slide(slide, b: Brief) -> None:
    block = b.kinds
    if not _drawn(slide, block):
        return
    top = shapes.foot_notes(slide, block.lines, block.cautions)
    shapes.bars(slide, _chart_box(top), block.categories, block.series, block.alt)


def accountability_slide(slide, b: Brief) -> None:
    """The discipline of officials: the bars beside the share with no discipline known, the first of the
    sentences on how to read it beside them, the others under the chart."""
    block = b.accountability
    if not _drawn(slide, block):
        return
    _kinds, first, *rest = block.lines  # the kinds are the bars themselves
    top = shapes.foot_notes(slide, rest, block.cautions, w=CHART_W)
    shapes.bars(slide, _chart_box(top, CHART_W), block.categories, block.series, block.alt)
    paragraphs = [
        (block.figure, {"size": 44, "bold": True}),
        (block.kicker, {"size": 16}),
        (first, {"size": 14, "colour": GREY_TEXT, "space": 12}),
    ]
    _side(slide, paragraphs, top=2.0)


def trend_slide(slide, b: Brief) -> None:
    block = b.trend
    if not _drawn(slide, block):
        return
    top = shapes.foot_notes(slide, block.lines, block.cautions)
    x, y, w, h = _chart_box(top)
    if block.share is None:
        shapes.columns(slide, (x, y, w, h), block.categories, block.series, block.alt)
        return
    upper = h * 0.58
    shapes.columns(slide, (x, y, w, upper), block.categories, block.series, block.alt)
    shapes.share_line(slide, (x, y + upper, w, h - upper), block.categories, block.share, block.alt)


def years_lost_slide(slide, b: Brief) -> None:
    block = b.years_lost
    if not _drawn(slide, block):
        return
    top = shapes.foot_notes(slide, (), block.cautions, w=CHART_W)
    shapes.bars(slide, _chart_box(top, CHART_W), block.categories, block.series, block.alt)
    paragraphs = [(block.figure, {"size": 44, "bold": True}), (block.kicker, {"size": 20})]
    paragraphs += [(t, {"size": 16, "space": 12}) for t in block.lines]
    _side(slide, paragraphs, top=2.0)


def compare_slide(slide, b: Brief) -> None:
    block = b.compare
    if not _drawn(slide, block):
        return
    sides, extra = block.lines[: len(block.series)], block.lines[len(block.series) :]
    # the campaign's sentence and its date (the New York pack) under the chart, the two sides beside it
    top = shapes.foot_notes(slide, extra, block.cautions, w=CHART_W)
    shapes.bars(slide, _chart_box(top, CHART_W), block.categories, block.series, block.alt, "0.0%")
    paragraphs = [
        [("■ ", {"bold": True, "size": 20, "colour": s.colours[0]}), (text, {"size": 16, "space": 12})]
        for s, text in zip(block.series, sides, strict=True)
    ]
    _side(slide, paragraphs, top=2.0)


def counties_slide(slide, b: Brief) -> None:
    block = b.counties
    if not _drawn(slide, block):
        return
    top = shapes.foot_notes(slide, block.lines, block.cautions)
    number_format = "0.0%" if block.series[0].name == briefing.COUNTY_SHARE else "#,##0"
    shapes.bars(slide, _chart_box(top), block.categories, block.series, block.alt, number_format)


def sources_slide(slide, b: Brief) -> None:
    block = b.sources
    source, counts, om, other = block.lines
    left = [
        (briefing.SOURCE_HEADING, {"bold": True, "size": 20}),
        (source, {"size": 15}),
        (counts, {"size": 15, "space": 6}),
        (briefing.DEFINITIONS_HEADING, {"bold": True, "size": 20, "space": 14}),
        (om, {"size": 15}),
        (other, {"size": 15, "space": 6}),
    ]
    shapes.textbox(slide, MARGIN, 1.5, 6.0, 5.3, left)
    right = [(briefing.GUIDANCE_HEADING, {"bold": True, "size": 20})]
    right += [(g, {"size": 15, "space": 4}) for g in briefing.guidance()]
    shapes.textbox(slide, 6.9, 1.5, 6.0, 5.3, right)


def cite_slide(slide, b: Brief) -> None:
    """How to reproduce and cite the deck: the link to the view that makes it, as text and a QR code, and
    the citation."""
    shapes.textbox(
        slide,
        MARGIN,
        1.6,
        9.2,
        5.0,
        [
            (briefing.REPRODUCE, {"bold": True, "size": 20}),
            (b.link, {"size": 16, "space": 4}),
            (briefing.CITE, {"bold": True, "size": 20, "space": 16}),
            (b.citation.apa, {"size": 16, "space": 4}),
            (f"In the text: {b.citation.inline}", {"size": 14, "space": 10}),
        ],
    )
    shapes.qr(slide, b.link, 10.2, 1.7, 2.4)


# ---------------------------------------------------------------------------------------------
# The slides in order


@dataclass(frozen=True)
class Slide:
    key: str  # the block of the `Brief` it draws
    title: Callable[[Brief], str]  # its title: the block's finding
    draw: Callable[[object, Brief], None]


SLIDES: tuple[Slide, ...] = (
    Slide("cover", lambda b: b.cover.title, cover_slide),
    Slide("headline", lambda b: b.headline.title, headline_slide),
    Slide("factors", lambda b: b.factors.title, factors_slide),
    Slide("actors", lambda b: b.actors.title, actors_slide),
    Slide("kinds", lambda b: b.kinds.title, kinds_slide),
    Slide("accountability", lambda b: b.accountability.title, accountability_slide),
    Slide("trend", lambda b: b.trend.title, trend_slide),
    Slide("years_lost", lambda b: b.years_lost.title, years_lost_slide),
    Slide("compare", lambda b: b.compare.title, compare_slide),
    Slide("counties", lambda b: b.counties.title, counties_slide),
    Slide("sources", lambda b: b.sources.title, sources_slide),
    Slide("cite", lambda b: briefing.CITE_TITLE, cite_slide),
)


def slide_titles(b: Brief) -> list[str]:
    return [s.title(b) for s in SLIDES]


def deck(b: Brief) -> bytes:
    """The PowerPoint deck (bytes of a .pptx): native charts, findings as titles, speaker notes with the
    definition and denominator of every figure, the source line and as-of date on every slide."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(W), Inches(H)
    prs.core_properties.title = clean(b.title)
    prs.core_properties.subject = clean(b.source_line)
    prs.core_properties.author = clean(briefing.AUTHOR)
    mark = briefing.DEMO_MARK if b.is_demo else None
    for n, s in enumerate(SLIDES, 1):
        block = getattr(b, s.key)
        slide = shapes.new_slide(
            prs, s.title(b), block.subtitle, b.source_line, n, briefing.slide_notes(b.v, block), mark
        )
        s.draw(slide, b)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
