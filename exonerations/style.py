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

HIGHLIGHT = VERMILLION  # official misconduct, the figure this app is about
BASE = BLUE  # everything else
MUTED = "#BFBFBF"
# Sequential scale for shares (light → dark blue), readable in greyscale too.
SEQUENTIAL = ("#F2F7FB", "#C6DBEF", "#6BAED6", "#2171B5", "#08306B")

FONT = "Inter, 'Segoe UI', Helvetica, Arial, sans-serif"
CHART_HEIGHT = 420
CHART_HEIGHT_TALL = 560
TITLE_SIZE = 18
SMALL_DENOMINATOR = 20  # a share resting on fewer cases gets a warning
