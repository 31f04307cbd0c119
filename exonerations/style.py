"""Constants for every chart: one colour-blind-safe palette (Okabe–Ito), sizes and fonts."""

from __future__ import annotations

# Okabe & Ito (2008), safe for the common forms of colour blindness.
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#8C8C8C"
BLACK = "#000000"
SEQUENCE = (BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW, GREY)

# One meaning per colour, in the app, the deck and the fact sheet alike.
HIGHLIGHT = VERMILLION  # with official misconduct — never used for anything else
BASE = BLUE  # a neutral count or share (every exoneration, another factor, a place)
MUTED = "#BFBFBF"  # without official misconduct, or not coded; and shares resting on few cases
COMPARE = ORANGE  # the second place of a comparison (all jurisdictions, the rest of the country)

# Text colours, each at least 4.5:1 on white (WCAG 2.2 AA).
TEXT = "#262730"
TEXT_MUTED = "#555555"
DEMO_TEXT = "#B34700"  # the demo-data mark (a darker vermillion, 5.1:1 on white)
# Sequential scale for shares (light → dark blue), readable in greyscale too.
SEQUENTIAL = ("#F2F7FB", "#C6DBEF", "#6BAED6", "#2171B5", "#08306B")

FONT = "Inter, 'Segoe UI', Helvetica, Arial, sans-serif"
CHART_HEIGHT = 420
CHART_HEIGHT_TALL = 560
TITLE_SIZE = 18
SMALL_DENOMINATOR = 20  # a share resting on fewer cases gets a warning


def luminance(colour: str) -> float:
    """The relative luminance of a "#rrggbb" colour (WCAG 2)."""
    c = colour.lstrip("#")
    channels = [int(c[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (a "#rrggbb" colour)."""
    lum = luminance(fill)
    return "#000000" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "#FFFFFF"
