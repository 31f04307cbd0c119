"""The fact sheet: one printed page of self-contained HTML (inline CSS and SVG, no external resources),
rendered from templates/factsheet.html.j2 with autoescaping — every value is escaped by Jinja2, and
characters HTML cannot hold are dropped on the way out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import jinja2
import markupsafe
from markupsafe import Markup

from .. import findings, glossary, style
from ..db import PROJECT_ROOT
from ..findings import briefing
from . import svg
from .text import clean

if TYPE_CHECKING:
    from ..findings.briefing import Block
    from . import Brief

TEMPLATES = PROJECT_ROOT / "templates"
TEMPLATE = "factsheet.html.j2"
COUNTIES_SHOWN = 4  # the place's counties the sheet has room for (the deck shows more)
COLOURS = {"om": style.HIGHLIGHT, "demo": style.DEMO_TEXT, "text": style.TEXT}  # the rest come with the blocks


@dataclass(frozen=True)
class Bar:
    """One bar of a block: its label, its length (percent of the track), its colour and its value as printed."""

    label: str
    width: float
    colour: str
    text: str


def _width(value: float | None, scale: float) -> float:
    return 0.0 if not value or not scale else round(max(0.0, min(100.0, 100 * value / scale)), 1)


def bars(block: Block) -> list[Bar]:
    """The first series of a block as bars (the fact sheet's factor, actor, kind and years-lost blocks)."""
    if not block.has_chart:
        return []
    s = block.series[0]
    return [
        Bar(label, _width(value, block.scale), colour, text)
        for label, value, colour, text in zip(block.categories, s.values, s.colours, s.texts, strict=True)
    ]


def pairs(block: Block) -> list[tuple[str, Bar, Bar]]:
    """Each category of a two-series block (the place and the rest of the country) as two thin bars."""
    if not block.has_chart or len(block.series) < 2:
        return []
    a, b = block.series[:2]
    return [
        (label, Bar(a.name, _width(a.values[i], block.scale), a.colours[i], a.texts[i]),
         Bar(b.name, _width(b.values[i], block.scale), b.colours[i], b.texts[i]))
        for i, label in enumerate(block.categories)
    ]  # fmt: skip


def trend_plots(block: Block) -> list[svg.Plot]:
    """The exonerations per year (with and without official misconduct) and the share per year."""
    if not block.has_chart:
        return []
    plots = [svg.columns("trend-counts", block.categories, block.series, block.alt)]
    if block.share is not None:
        plots.append(svg.share_line("trend-share", block.categories, block.share, block.alt))
    return plots


def _clean(value):
    """Every value printed, without the characters HTML cannot hold (markup stays markup)."""
    if isinstance(value, markupsafe.Markup):
        return markupsafe.Markup(clean(value))
    return clean(value) if isinstance(value, str) else value


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_clean,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def fact_sheet(b: Brief, today: dt.date | None = None) -> str:
    """The fact sheet for `b`, as HTML text."""
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            b=b,
            demo=briefing.demo_sentence(b.v),
            colours=COLOURS,
            bars={
                k: bars(getattr(b, k))
                for k in ("headline", "factors", "actors", "kinds", "years_lost", "accountability", "counties")
            },
            counties_shown=COUNTIES_SHOWN,
            few_counties=any(r.colour == style.MUTED for r in bars(b.counties)[:COUNTIES_SHOWN]),
            compare=pairs(b.compare),
            plots=trend_plots(b.trend),
            trend_headings=briefing.trend_table_headings(),
            definitions=briefing.sheet_definitions(),
            guidance=glossary.READING_GUIDANCE,
            words=briefing.SHEET,
            file_line=briefing.file_line(b.v),
            scope=findings.scope(b.v.filters),
            generated=(today or b.v.today or dt.date.today()).isoformat(),
            qr=Markup(qr_svg(b.link)),
            reproduce=briefing.REPRODUCE,
            cite=briefing.CITE,
        )
    )


def qr_svg(link: str) -> str:
    """The link as a QR code (inline SVG, named for screen readers), for a printed sheet."""
    import segno

    svg = segno.make(link, error="m").svg_inline(scale=2, dark="#000000", title="QR code of the link above")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code of the link that reproduces these figures" ', 1)
