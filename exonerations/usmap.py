"""An offline map of the United States: one square tile per state, laid out like the country (the
common NPR-style tile grid), drawn with plain Plotly shapes — no geographic files, no network.

Plotly's geographic maps fetch their outlines from a CDN when the chart is viewed and render blank
without internet access; a tile grid needs nothing but the figure itself, gives small states the same
room as large ones, and prints every state's value on its tile.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from . import fmt, style
from .charts import Caption, _esc, _figure, text_trace


@dataclass(frozen=True)
class Tile:
    name: str  # the jurisdiction as the registry writes it (`by_state.jurisdiction`)
    abbr: str  # postal abbreviation, printed on the tile
    row: int  # 0 = top
    col: int  # 0 = left


# fmt: off
# The 50 states and DC, 8 rows × 11 columns.
STATES: tuple[Tile, ...] = (
    Tile("Alaska", "AK", 0, 0), Tile("Maine", "ME", 0, 10),
    Tile("Wisconsin", "WI", 1, 5), Tile("Vermont", "VT", 1, 9), Tile("New Hampshire", "NH", 1, 10),
    Tile("Washington", "WA", 2, 0), Tile("Idaho", "ID", 2, 1), Tile("Montana", "MT", 2, 2),
    Tile("North Dakota", "ND", 2, 3), Tile("Minnesota", "MN", 2, 4), Tile("Illinois", "IL", 2, 5),
    Tile("Michigan", "MI", 2, 6), Tile("New York", "NY", 2, 8), Tile("Massachusetts", "MA", 2, 9),
    Tile("Oregon", "OR", 3, 0), Tile("Nevada", "NV", 3, 1), Tile("Wyoming", "WY", 3, 2),
    Tile("South Dakota", "SD", 3, 3), Tile("Iowa", "IA", 3, 4), Tile("Indiana", "IN", 3, 5),
    Tile("Ohio", "OH", 3, 6), Tile("Pennsylvania", "PA", 3, 7), Tile("New Jersey", "NJ", 3, 8),
    Tile("Connecticut", "CT", 3, 9), Tile("Rhode Island", "RI", 3, 10),
    Tile("California", "CA", 4, 0), Tile("Utah", "UT", 4, 1), Tile("Colorado", "CO", 4, 2),
    Tile("Nebraska", "NE", 4, 3), Tile("Missouri", "MO", 4, 4), Tile("Kentucky", "KY", 4, 5),
    Tile("West Virginia", "WV", 4, 6), Tile("Virginia", "VA", 4, 7), Tile("Maryland", "MD", 4, 8),
    Tile("Delaware", "DE", 4, 9),
    Tile("Arizona", "AZ", 5, 1), Tile("New Mexico", "NM", 5, 2), Tile("Kansas", "KS", 5, 3),
    Tile("Arkansas", "AR", 5, 4), Tile("Tennessee", "TN", 5, 5), Tile("North Carolina", "NC", 5, 6),
    Tile("South Carolina", "SC", 5, 7), Tile("District of Columbia", "DC", 5, 8),
    Tile("Oklahoma", "OK", 6, 3), Tile("Louisiana", "LA", 6, 4), Tile("Mississippi", "MS", 6, 5),
    Tile("Alabama", "AL", 6, 6), Tile("Georgia", "GA", 6, 7),
    Tile("Hawaii", "HI", 7, 0), Tile("Texas", "TX", 7, 3), Tile("Florida", "FL", 7, 8),
)
# Territories, drawn only when the data has cases there.
TERRITORIES: tuple[Tile, ...] = (
    Tile("Puerto Rico", "PR", 7, 10), Tile("Guam", "GU", 7, 1), Tile("U.S. Virgin Islands", "VI", 6, 10),
    Tile("Northern Mariana Islands", "MP", 6, 1), Tile("American Samoa", "AS", 6, 0),
)
# fmt: on
# Federal courts are not a place on the map: a separate box below the grid, always drawn.
FEDERAL = Tile("Federal", "FED", 8, 10)
ALL_TILES: tuple[Tile, ...] = STATES + TERRITORIES + (FEDERAL,)
BY_NAME: dict[str, Tile] = {t.name: t for t in ALL_TILES}

SHARE_BINS: tuple[float, ...] = (0.25, 0.5, 0.75)  # upper edges of the first three of four bins
# The four darker steps of the sequential scale: the lightest is kept apart from "no cases" (white).
COLOURS: tuple[str, ...] = style.SEQUENTIAL[1:]
NO_DATA = "#FFFFFF"
WEAK_LINE = "#666666"  # the dotted outline of a tile whose share rests on few cases (it is also hatched)
HATCH = (0.55, 0.8)  # where its stripes cross the tile, as fractions of the side from the centre line
_HALF = 0.45  # half the side of a tile (grid step 1)


def _nice(x: float) -> int:
    """The 1-2-5 number nearest to `x` (on a log scale)."""
    candidates = [m * 10**e for e in range(0, 13) for m in (1, 2, 5)]
    return int(min(candidates, key=lambda c: abs(math.log(c) - math.log(max(x, 1)))))


def count_edges(largest: int) -> tuple[int, ...]:
    """Three rising edges splitting 1 … `largest` cases into four bins: the first edge is
    `style.SMALL_DENOMINATOR` (so "fewer than 20 cases" is a bin of its own) when the data reach well
    beyond it, the others roughly geometric, rounded to 1-2-5 numbers."""
    small = style.SMALL_DENOMINATOR
    if largest >= 10 * small:
        ratio = (largest / small) ** (1 / 3)
        edges = [small, _nice(small * ratio), _nice(small * ratio**2)]
    else:
        ratio = max(largest, 4) ** (1 / 4)
        edges = [_nice(ratio), _nice(ratio**2), _nice(ratio**3)]
    out: list[int] = []
    for e in edges:
        out.append(max(e, out[-1] + 1 if out else 2))
    return tuple(out)


def _bin(value: float, edges) -> int:
    for i, e in enumerate(edges):
        if value < e:
            return i
    return len(edges)


def bin_labels(measure: str, edges) -> list[str]:
    """Legend labels of the bins `edges` make ("0–25%" …; "1–19", …, "200 or more")."""
    if measure == "share":
        pts = [0, *[round(100 * e) for e in edges], 100]
        return [f"{a}–{b}%" for a, b in zip(pts[:-1], pts[1:], strict=True)]
    lo = [1, *edges]
    hi = [e - 1 for e in edges]
    out = [f"{a:,}" if a == b else f"{a:,}–{b:,}" for a, b in zip(lo, hi, strict=False)]
    return [*out, f"{edges[-1]:,} or more"]


def hatch(t: Tile) -> list[str]:
    """Diagonal stripes across two corners of a tile (the middle, where its label is, left clear), as
    path segments: the mark of a share resting on few cases."""
    side = 2 * _HALF
    x0, y0, x1, y1 = t.col - _HALF, t.row - _HALF, t.col + _HALF, t.row + _HALF
    lines = []
    for f in HATCH:
        d = f * side
        for (ax, ay), (bx, by) in (((x0 + d, y0), (x1, y1 - d)), ((x0, y0 + d), (x1 - d, y1))):
            lines.append(f"M{round(ax, 3):g},{round(ay, 3):g}L{round(bx, 3):g},{round(by, 3):g}")
    return lines


@dataclass(frozen=True)
class _Look:
    """How one tile is drawn: fill, outline, label and hover text."""

    fill: str
    line: dict
    label: str
    label_colour: str
    hover: str
    weak: bool  # a share on few cases: hatched, dotted and starred


def _tile_look(t: Tile, r, measure: str, edges, selected: str | None, cols: dict[str, str]) -> _Look:
    n = 0 if r is None else int(r[cols["cases"]])
    s = None if (r is None or n == 0 or pd.isna(r[cols["share"]])) else float(r[cols["share"]])
    small = 0 < n < style.SMALL_DENOMINATOR
    level = -1 if n == 0 or (measure == "share" and s is None) else _bin(s if measure == "share" else n, edges)
    weak = small and measure == "share" and level >= 0
    fill = NO_DATA if level < 0 else COLOURS[level]
    if n == 0:
        value = "–"
    elif measure == "share":
        value = "n/a" if s is None else fmt.pct_short(int(r[cols["with_misconduct"]]), n) + ("*" if small else "")
    else:
        value = f"{n:,}"
    chosen = t.name == selected
    line = {
        "color": style.BLACK if chosen else (WEAK_LINE if weak or t is FEDERAL else "#BBB"),
        "width": 3 if chosen else 1,
        "dash": "dot" if (t is FEDERAL or weak) and not chosen else "solid",
    }
    return _Look(
        fill,
        line,
        f"<b>{t.abbr}</b><br>{value}",
        style.text_on(fill),
        _hover(t, r, n, s, small, cols),
        weak,
    )


def _hover(t: Tile, r, n: int, s: float | None, small: bool, cols: dict[str, str]) -> str:
    if n == 0:
        return f"{_esc(t.name)}: no exonerations"
    hover = f"<b>{_esc(t.name)}</b><br>{n:,} exonerations"
    if s is not None:
        om = int(r[cols["with_misconduct"]])
        hover += f"<br>{om:,} with official misconduct ({fmt.pct(om, n)})"
    if small:
        hover += f"<br>fewer than {style.SMALL_DENOMINATOR} cases: treat the share with care"
    return hover


def _legend(measure: str, labels: list[str]) -> list[dict]:
    """One legend square per colour bin, "no cases", and (for shares) the hatched look of a share on few
    cases (a legend-only bar, the one trace type whose legend key shows a pattern)."""
    key = {"type": "scatter", "x": [None], "y": [None], "mode": "markers", "hoverinfo": "skip"}
    out = [
        {
            **key,
            "name": label,
            "legendrank": i,
            "marker": {"symbol": "square", "size": 14, "color": colour, "line": {"color": "#888", "width": 1}},
        }
        for i, (label, colour) in enumerate(zip(labels, COLOURS, strict=True))
    ]
    out.append(
        {
            **key,
            "name": "no cases",
            "legendrank": 9,
            "marker": {"symbol": "square-open", "size": 14, "color": "#888", "line": {"width": 1}},
        }
    )
    if measure == "share":
        out.append(
            {
                "type": "bar",
                "x": [None],
                "y": [None],
                "hoverinfo": "skip",
                "legendrank": 10,
                "name": f"hatched, *: fewer than {style.SMALL_DENOMINATOR} cases",
                "marker": {
                    "color": COLOURS[1],
                    "line": {"color": WEAK_LINE, "width": 1},
                    "pattern": {"shape": "/", "fgcolor": "white", "bgcolor": COLOURS[1], "size": 5, "solidity": 0.4},
                },
            }
        )
    return out


def _square(t: Tile) -> str:
    x0, y0, x1, y1 = (round(v, 3) for v in (t.col - _HALF, t.row - _HALF, t.col + _HALF, t.row + _HALF))
    return f"M{x0:g},{y0:g}H{x1:g}V{y1:g}H{x0:g}Z"


def _shapes(tiles: list[Tile], looks: list[_Look]) -> list[dict]:
    """Each tile's square, then the hatching of the tiles whose share rests on few cases. Tiles drawn
    alike are one path shape, and so are the stripes of one colour (a dozen shapes instead of about 140;
    with the labels as text traces the map draws in 52 ms instead of 120 in Chromium, and Geography loads
    100-180 ms sooner); the chosen tile's outline comes last, above the others."""
    squares: dict[tuple, list[str]] = {}
    for t, look in zip(tiles, looks, strict=True):
        line = (look.line["color"], look.line["width"], look.line["dash"])
        squares.setdefault((look.line["width"] > 1, look.fill, line), []).append(_square(t))
    rects = [
        {
            "type": "path",
            "path": "".join(paths),
            "fillcolor": fill,
            "layer": "below",
            "line": {"color": colour, "width": width, "dash": dash},
        }
        for (_, fill, (colour, width, dash)), paths in sorted(squares.items(), key=lambda kv: kv[0][0])
    ]
    stripes: dict[str, list[str]] = {}
    for t, look in zip(tiles, looks, strict=True):
        if look.weak:
            colour = "white" if look.fill != COLOURS[0] else style.GREY
            stripes.setdefault(colour, []).extend(hatch(t))
    hatches = [
        {"type": "path", "path": "".join(lines), "layer": "below", "line": {"color": colour, "width": 2}}
        for colour, lines in stripes.items()
    ]
    return [*rects, *hatches]


def _labels(tiles: list[Tile], looks: list[_Look]) -> list[dict]:
    """The tiles' labels as text traces (`text_trace`), one per label colour. Their colour is kept for the
    selected and unselected states, so a clicked tile never dims the others' labels."""
    by_colour: dict[str, list[tuple[Tile, _Look]]] = {}
    for t, look in zip(tiles, looks, strict=True):
        by_colour.setdefault(look.label_colour, []).append((t, look))
    return [
        text_trace(
            [t.col for t, _ in pairs],
            [t.row for t, _ in pairs],
            [look.label for _, look in pairs],
            "middle center",
            colour,
            12,
            selected={"textfont": {"color": colour}},
            unselected={"textfont": {"color": colour}},
        )
        for colour, pairs in by_colour.items()
    ]


def _notes() -> list[dict]:
    """The federal box's name (the hatching's key is in the legend)."""
    return [
        {
            "x": FEDERAL.col - _HALF - 0.1,
            "y": FEDERAL.row,
            "text": "Federal courts, all districts →",
            "showarrow": False,
            "xanchor": "right",
            "font": {"size": 12, "color": "#444"},
        }
    ]


def tile_map(
    df: pd.DataFrame,
    cap: Caption,
    measure: str = "share",
    selected: str | None = None,
    jurisdiction: str = "jurisdiction",
    cases: str = "cases",
    with_misconduct: str = "with_misconduct",
    share: str = "misconduct_share",
) -> go.Figure:
    """A tile-grid map of the United States coloured by misconduct share (`measure="share"`) or by
    number of exonerations (`"count"`). `df` has one row per jurisdiction (the `by_state` query);
    states without a row are drawn empty. Shares resting on fewer than `style.SMALL_DENOMINATOR` cases
    are hatched, outlined in dots and starred. `selected` is outlined. Jurisdictions not on the
    grid are left out (list them beside the map with `off_grid`).

    Each tile's invisible marker carries the jurisdiction as customdata, which a click on it reports."""
    cols = {"cases": cases, "with_misconduct": with_misconduct, "share": share}
    data = {str(r[jurisdiction]): r for _, r in df.iterrows()}
    tiles = [t for t in ALL_TILES if t in STATES or t is FEDERAL or t.name in data]
    largest = int(df[cases].max()) if len(df) else 0
    edges = SHARE_BINS if measure == "share" else count_edges(largest)
    looks = [_tile_look(t, data.get(t.name), measure, edges, selected, cols) for t in tiles]
    traces = [
        {
            "type": "scatter",
            "x": [t.col for t in tiles],
            "y": [t.row for t in tiles],
            "mode": "markers",
            "customdata": [t.name for t in tiles],
            "hovertext": [look.hover for look in looks],
            "hoverinfo": "text",
            "marker": {"symbol": "square", "size": 36, "color": "rgba(0,0,0,0)"},
            "showlegend": False,
        },
        *_labels(tiles, looks),
        *_legend(measure, bin_labels(measure, edges)),
    ]
    rows = max(t.row for t in tiles) + 1
    cols_n = max(t.col for t in tiles) + 1
    layout = {
        "shapes": _shapes(tiles, looks),
        "annotations": _notes(),
        "xaxis": {"visible": False, "range": [-0.6, cols_n - 0.4], "fixedrange": True},
        "yaxis": {
            "visible": False,
            "range": [rows - 0.4, -0.6],
            "fixedrange": True,
            "scaleanchor": "x",
            "scaleratio": 1,
        },
        "showlegend": True,
        "dragmode": False,
        "clickmode": "event",
        # The key above the map, across its width, so the map has the whole width (on a projector's
        # 1024 px a key beside it left the tiles too small for their labels).
        "legend": {
            "title": {"text": "Share with official misconduct" if measure == "share" else "Exonerations"},
            "orientation": "h",
            "x": 0.0,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "bottom",
            "itemclick": False,
            "itemdoubleclick": False,
        },
        "margin": {"l": 10, "r": 10, "t": 24, "b": 30},
    }
    return _figure(traces, layout, cap, height=620)


def off_grid(names) -> list[str]:
    """Jurisdictions in `names` that the grid cannot place (they are listed beside the map)."""
    return sorted(n for n in names if n not in BY_NAME)
