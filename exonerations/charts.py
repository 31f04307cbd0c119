"""Chart builders: pure functions from a small aggregated DataFrame to a Plotly figure.

A chart's finding (its title) and denominator (its subtitle) are shown by the page as text above the
plot, where they wrap on any screen; the figure itself carries the source line and as-of date at its
foot, so a PNG or a screenshot of the plot is citable on its own, and `titled` adds the title and
subtitle for a chart that stands alone (a published page, an export).

Each builder writes its traces and layout as plain dicts and makes the figure in one go (`_figure`);
the tests build every figure again with Plotly's validation on (`validated`). Text drawn on a chart
comes from `fmt` (one rounding rule) and every label that can come from the data is escaped for
Plotly's label markup (`_esc`).
"""

from __future__ import annotations

import copy
import json
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io.json as pio_json

from . import fmt, style


class Figure(go.Figure):
    """A figure built once and drawn on many reruns, kept as its JSON text. A page's cached charts stay in
    memory for hours; as Plotly objects (about 500 small objects a chart) Streamlit's full garbage
    collection after every run had to visit each of them, which under 100 sessions took about half of
    the server's CPU. As text they cost it nothing. `to_dict` (what `st.plotly_chart` serialises) reads the
    text back; `data` and `layout` build the Plotly objects when asked (tests, exports). Never changed once
    built."""

    def __init__(self, spec: dict):  # noqa: D107 — BaseFigure.__init__ is not called: nothing is built
        self.__dict__["_json"] = pio_json.to_json_plotly(spec)

    def __getattr__(self, name):  # anything else a Plotly figure has: from a figure built for the call
        if name.startswith("__") or name == "_json":
            raise AttributeError(name)
        return getattr(self.built(), name)

    def __repr__(self) -> str:
        return f"Figure({self._json[:60]}…)"

    def __reduce__(self):
        return _figure_from_json, (self._json,)

    def built(self) -> go.Figure:
        """A Plotly figure of the same spec (a new one on each call)."""
        return go.Figure(self.to_dict(), skip_invalid=False, _validate=False)

    def to_dict(self) -> dict:
        return json.loads(self._json)

    def to_plotly_json(self) -> dict:
        return self.to_dict()

    def to_json(self, *args, **kwargs) -> str:
        return self._json if not (args or kwargs) else self.built().to_json(*args, **kwargs)

    @property
    def data(self):
        return self.built().data

    @property
    def layout(self):
        return self.built().layout


def _figure_from_json(text: str) -> Figure:
    fig = Figure.__new__(Figure)
    fig.__dict__["_json"] = text
    return fig


@dataclass(frozen=True)
class Caption:
    """What a chart says about itself: its finding (title), its denominator (subtitle) and the source
    line (source, as-of date, filters)."""

    title: str
    subtitle: str
    source: str
    demo: bool = False


# The look of every chart: text colours readable on white (at least 4.5:1), light grid lines.
_LINE = "#e6eaf1"
_AXIS = {
    "tickfont": {"color": style.TEXT_MUTED, "size": 12},
    "title": {"font": {"color": style.TEXT_MUTED, "size": 13}},
    "gridcolor": _LINE,
    "zerolinecolor": _LINE,
    "tickcolor": _LINE,
    "minor": {"gridcolor": _LINE},
    "automargin": False,
}
TEMPLATE = {
    "layout": {
        "xaxis": {**_AXIS, "title": {**_AXIS["title"], "standoff": 20}, "showgrid": False, "zeroline": False},
        "yaxis": {**_AXIS, "title": {**_AXIS["title"], "standoff": 24}, "ticklabelposition": "outside"},
        "legend": {
            "title": {"font": {"size": 12, "color": style.TEXT_MUTED}, "side": "top"},
            "valign": "top",
            "bordercolor": "rgba(0,0,0,0)",
            "borderwidth": 0,
            "font": {"size": 12, "color": style.TEXT},
        },
        "hoverlabel": {
            "bgcolor": "#FFFFFF",
            "bordercolor": "rgba(47, 45, 43, 0.2)",
            "font": {"color": style.TEXT, "family": style.FONT, "size": 12},
        },
        "margin": {"pad": 8},
    }
}
SOURCE_WRAP = 48  # characters per line of the source line: it fits a phone's chart width
SOURCE_LINE_PX = 15


def source_lines(cap: Caption) -> list[str]:
    """The source line wrapped to fit a narrow chart."""
    return textwrap.wrap(cap.source, SOURCE_WRAP, break_on_hyphens=False) or [""]


def _figure(
    data: list[dict], layout: dict, cap: Caption, height: int = style.CHART_HEIGHT, bottom: int = 40
) -> go.Figure:
    """The figure of `data` (trace dicts, each with its "type") and `layout`, framed the same way for
    every chart: the source line at the foot, below `bottom` pixels kept for the axis. `layout` may
    override the frame's keys (e.g. "margin", "showlegend")."""
    lines = source_lines(cap)
    foot = 10 + SOURCE_LINE_PX * len(lines)
    margin = {"l": 10, "r": 20, "t": 24, "b": bottom, **layout.get("margin", {})}
    margin["b"] = margin["b"] + foot
    frame = {
        "font": {"family": style.FONT, "size": 13, "color": style.TEXT},
        "height": height + foot,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": False,
        "colorway": list(style.SEQUENCE),
        "template": TEMPLATE,
    }
    source = {
        "text": "<br>".join(_esc(x) for x in lines),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "yshift": -margin["b"] + 6,
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "align": "left",
        "font": {"size": 11, "color": style.DEMO_TEXT if cap.demo else style.TEXT_MUTED},
    }
    full = {**frame, **layout, "margin": margin, "annotations": [*layout.get("annotations", ()), source]}
    return Figure({"data": data, "layout": full})


def titled(fig: go.Figure, cap: Caption, width: int = 1000) -> go.Figure:
    """A copy of `fig` with its title and subtitle drawn above the plot (wrapped for `width` pixels),
    for a chart that stands alone: a published page, an exported image."""
    title = textwrap.wrap(cap.title, max(30, width // 11))
    sub = textwrap.wrap(cap.subtitle, max(40, width // 7))
    text = (
        "<br>".join(f"<b>{_esc(t)}</b>" for t in title)
        + "<br>"
        + "<br>".join(f"<span style='font-size:13px;color:{style.TEXT_MUTED}'>{_esc(t)}</span>" for t in sub)
    )
    top = 30 + 24 * len(title) + 18 * len(sub)
    out = go.Figure(copy.deepcopy(fig.to_dict()), skip_invalid=False, _validate=False)
    layout = out.layout.to_plotly_json()
    margin = {**layout.get("margin", {}), "t": layout.get("margin", {}).get("t", 24) + top}
    height = (layout.get("height") or style.CHART_HEIGHT) + top
    out.update_layout(
        title={
            "text": text,
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "yref": "container",
            "y": 1 - 20 / height,
            "yanchor": "top",
            "pad": {"l": 10},
            "font": {"size": style.TITLE_SIZE, "color": style.TEXT},
        },
        margin=margin,
        height=height,
        width=width,
    )
    return out


_X_TITLED = 66  # the bottom margin of a chart with an x-axis title (the source line goes below it)
_LEGEND_TOP = 52  # the top margin of a chart whose legend sits above the plot


def _margin(left: int, bottom: int = 40, top: int = 24) -> dict:
    """The frame's margins with room on the left for category labels (the source line is added below
    `bottom`)."""
    return {"l": left, "r": 20, "t": top, "b": bottom}


def validated(fig: go.Figure) -> go.Figure:
    """The same figure built with Plotly's validation on: raises ValueError on any property Plotly does
    not know (the builders skip validation for speed; the tests call this on each of them)."""
    return go.Figure(copy.deepcopy(fig.to_dict()))


def _esc(s) -> str:
    """Text from the data as Plotly shows it literally: no tag (`<b>`, `<a href>`) or entity is read."""
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _esc_template(s) -> str:
    """Text from the data inside a hovertemplate: escaped, and its `%` written as an entity, so a `%{…}`
    in it is shown, not filled in."""
    return _esc(s).replace("%", "&#37;")


def _list(values):
    """A column (or any sequence) for a trace: a numpy array for plain numbers (copied and sent as one
    binary block, where a list is copied and written number by number), dates as "YYYY-MM-DD" text,
    anything else a list."""
    if isinstance(values, pd.Series):
        kind = values.dtype.kind if isinstance(values.dtype, np.dtype) else ""
        if kind in "iuf":
            return values.to_numpy(copy=True)
        if kind == "M" and (values.dropna() == values.dropna().dt.normalize()).all():
            return values.dt.strftime("%Y-%m-%d").tolist()
        return values.tolist()
    return values.tolist() if hasattr(values, "tolist") else list(values)


# Approximate widths (px) of characters at 13 px in the fallback sans-serif fonts (Helvetica, Arial,
# DejaVu Sans — the widest), for sizing the margin of category labels without Plotly's "automargin",
# which lays a figure out again after measuring its labels (about a third of its drawing time).
_NARROW, _SEMI, _WIDE = set("ijl.,:;'|!"), set("frtI()[]- /"), set("mwMW@%")


def _text_width(text: str, size: int = 13) -> float:
    px = 0.0
    for ch in text:
        if ch in _NARROW:
            px += 3.8
        elif ch in _SEMI:
            px += 4.9
        elif ch in _WIDE:
            px += 11.5
        elif ch.isupper():
            px += 9.2
        elif ch.isdigit():
            px += 7.7
        else:
            px += 7.6
    return px * size / 13


def _label_margin(labels, minimum: int = 10) -> int:
    """A left margin wide enough for the longest category label (plus the tick's stand-off)."""
    widest = max((_text_width(str(x).replace("&lt;", "<").replace("&gt;", ">")) for x in labels), default=0)
    return max(minimum, int(widest) + 16)


def _value_margin(*axes: tuple[float | None, str, str | None]) -> int:
    """A left margin wide enough for vertical value axes, given each as (largest value, tickformat,
    title): the widest tick label (12 px), the title turned on its side (14 px) at its stand-off
    (24 px), and the pad between axis and labels."""
    widest = 0.0
    for top, tickformat, title in axes:
        top = float(top) if top is not None and pd.notna(top) else 0.0
        label = f"{100 * top:.0f}%" if tickformat == ".0%" else f"{top:,.0f}" if tickformat == "," else f"{top:,.1f}"
        widest = max(widest, _text_width(label, 12) + 18 + (42 if title else 0))
    return int(widest) + 6


def _vline(x: float, color: str, text: str) -> tuple[dict, dict]:
    """A dotted vertical reference line across the plot at `x`, labelled above it (a shape and its
    annotation, as `fig.add_vline(..., annotation_position="top")` draws them)."""
    return (
        {
            "type": "line",
            "x0": x,
            "x1": x,
            "xref": "x",
            "y0": 0,
            "y1": 1,
            "yref": "y domain",
            "line": {"color": color, "dash": "dot"},
        },
        {
            "text": text,
            "x": x,
            "xref": "x",
            "y": 1,
            "yref": "y domain",
            "xanchor": "center",
            "yanchor": "bottom",
            "showarrow": False,
        },
    )


def _two_panels(top: dict, bottom: dict, dtick: int) -> dict:
    """Layout of two panels sharing the x axis (years), the top one taller (as `make_subplots(rows=2,
    shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.55, 0.45])` lays them out)."""
    return {
        "xaxis": {
            "anchor": "y",
            "domain": [0, 1],
            "matches": "x2",
            "showticklabels": False,
            "dtick": dtick,
            "showgrid": False,
        },
        "yaxis": {"anchor": "x", "domain": [0.494, 1], **top},
        "xaxis2": {"anchor": "y2", "domain": [0, 1], "dtick": dtick, "showgrid": False},
        "yaxis2": {"anchor": "x2", "domain": [0, 0.414], **bottom},
    }


# Horizontal bars with their category labels above them, not in a left margin: a label then has the
# chart's whole width (a phone's 350 px) and long labels never squeeze the bars.
BAR_PX, LABEL_PX = 20, 22  # a bar's thickness; the room above it for its label


def text_trace(x: list, y: list, text: list[str], position: str, colour: str, size: int, **more) -> dict:
    """Text at points, as a trace: Plotly places a trace's text without measuring it, where it measures
    every annotation (a tile map's 57 labels cost 120 ms as annotations, 52 as text). It takes no hover or
    click (the points under it do) and has no legend entry."""
    return {
        "type": "scatter",
        "mode": "text",
        "x": x,
        "y": y,
        "text": text,
        "textposition": position,
        "textfont": {"size": size, "color": colour},
        "hoverinfo": "skip",
        "showlegend": False,
        **more,
    }


def _bands(categories: list[str], series: int = 1, bar: int = BAR_PX) -> tuple[dict, int, dict]:
    """The layout keys of horizontal bars labelled above (`categories` already escaped, bottom to top as
    Plotly draws them), the plot's height in pixels and the labels' trace. The labels are a text trace on
    a second, numeric y axis laid over the bars' (category i sits at i on both), each just above its bars,
    not annotations (see `text_trace`; a page's first draw of New York's three charts spent about 60 ms
    measuring text)."""
    group = bar * series
    band = group + LABEL_PX
    top = len(categories) - 0.5 + LABEL_PX / band
    above = [i + (group / 2 + 1) / band for i in range(len(categories))]
    labels = text_trace(
        [0] * len(categories), above, categories, "top right", style.TEXT, 13, yaxis="y2", cliponaxis=False
    )
    layout = {
        "yaxis": {
            "visible": True,
            "showticklabels": False,
            "type": "category",
            "automargin": False,
            "fixedrange": True,
            "showgrid": False,
            "range": [-0.5, top],
        },
        "yaxis2": {"overlaying": "y", "visible": False, "fixedrange": True, "range": [-0.5, top]},
        "bargap": 1 - group / band,
    }
    return layout, band * max(len(categories), 1) + LABEL_PX, labels


def _value_range(top: float | None, room: float = 1.45) -> list[float]:
    """An x range leaving room after the longest bar for its value label."""
    return [0, (float(top) if top is not None and top > 0 else 1) * room]


def share_bars(
    df: pd.DataFrame,
    cap: Caption,
    label: str = "label",
    count: str = "cases",
    total: int | None = None,
    highlight: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Horizontal bars of counts with their share of `total`, largest first. `highlight` is the
    label drawn in the highlight colour."""
    d = df.sort_values(count, ascending=True)
    counts, labels = _list(d[count]), [_esc(x) for x in d[label]]
    text = [f"{c:,} ({fmt.pct_short(c, total)})" for c in counts] if total else [f"{c:,}" for c in counts]
    colours = [style.HIGHLIGHT if raw == highlight else style.BASE for raw in d[label]]
    bar = {
        "type": "bar",
        "x": counts,
        "y": labels,
        "orientation": "h",
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": colours},
        "hovertemplate": "%{y}: %{x:,} cases<extra></extra>",
    }
    layout, plot, names = _bands(labels)
    layout |= {"xaxis": {"visible": False, "range": _value_range(max(counts, default=0))}, "margin": _margin(10)}
    return _figure([bar, names], layout, cap, height or plot + 24 + 40)


def share_by_group(
    df: pd.DataFrame,
    cap: Caption,
    group: str = "group",
    share: str = "share",
    cases: str = "cases",
    overall: float | None = None,
    overall_cases: int | None = None,
    height: int | None = None,
    overall_label: str = "All of them",
) -> go.Figure:
    """Horizontal bars of a share per group (e.g. misconduct share by worst crime), highest first; groups
    resting on few cases drawn muted and flagged; the overall share, when given, as a first bar of its own
    named `overall_label` (a reference that crosses no label)."""
    d = df.sort_values(share, ascending=True)
    shares, counts = _list(d[share]), _list(d[cases])
    small = [n < style.SMALL_DENOMINATOR for n in counts]
    groups = [_esc(g) for g in d[group]]
    colours = [style.MUTED if s else style.BASE for s in small]
    text = [
        f"{fmt.pct_short_of(v)} of {n:,}" + (" ⚠" if s else "") for v, n, s in zip(shares, counts, small, strict=True)
    ]
    if overall is not None:
        groups, shares, colours = [*groups, _esc(overall_label)], [*shares, overall], [*colours, style.TEXT]
        text = [*text, fmt.pct_short_of(overall) + (f" of {overall_cases:,}" if overall_cases else "")]
    bar = {
        "type": "bar",
        "x": shares,
        "y": groups,
        "orientation": "h",
        "marker": {"color": colours},
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{x:.1%}<extra></extra>",
    }
    layout, plot, names = _bands(groups)
    layout |= {
        "xaxis": {
            "tickformat": ".0%",
            "range": [0, 1.3],
            "showgrid": True,
            "gridcolor": "#eee",
            "title": None,
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
        },
        "margin": _margin(10, bottom=40),
    }
    return _figure([bar, names], layout, cap, height or plot + 24 + 40)


def empty(cap: Caption, message: str = "No cases match these filters.") -> go.Figure:
    note = {
        "text": _esc(message),
        "x": 0.5,
        "y": 0.5,
        "xref": "paper",
        "yref": "paper",
        "showarrow": False,
        "font": {"size": 16},
    }
    return _figure([], {"annotations": [note], "xaxis": {"visible": False}, "yaxis": {"visible": False}}, cap, 260)


GROWTH_MAX_POINTS = 800  # more posting dates than this are drawn a week at a time


def weekly(df: pd.DataFrame, keep=()) -> pd.DataFrame:
    """The rows of a cumulative series by posting date to draw: all of them up to GROWTH_MAX_POINTS,
    else the last posting date of each calendar week, the first one and the dates in `keep`. Every
    row kept is exact (the total as of its date); a week holds one step instead of one per day, which
    the eye cannot tell apart at chart width, and the browser draws ~800 points instead of thousands."""
    if len(df) <= GROWTH_MAX_POINTS:
        return df
    when = pd.to_datetime(df["posting_date"])
    week = when.dt.to_period("W")
    last_of_week = week != week.shift(-1)
    wanted = last_of_week | (when.index == df.index[0]) | when.isin(pd.to_datetime(list(keep)))
    return df[wanted.to_numpy()]


def growth(df: pd.DataFrame, cap: Caption, marker: dict | None = None) -> go.Figure:
    """Cumulative cases (and those with official misconduct) by posting date (see `weekly`). `marker`,
    if given, is {"date": ..., "cases": ..., "text": ...} drawn as a labelled point."""
    df = weekly(df, [marker["date"]] if marker else ())
    dates = _list(df["posting_date"])
    data = [
        {
            "type": "scatter",
            "x": dates,
            "y": _list(df["cumulative_cases"]),
            "mode": "lines",
            "name": "All exonerations",
            "line": {"color": style.BASE, "width": 2.5, "shape": "hv"},
            "hovertemplate": "%{x|%Y-%m-%d}: %{y:,} cases<extra></extra>",
        },
        {
            "type": "scatter",
            "x": dates,
            "y": _list(df["cumulative_misconduct"]),
            "mode": "lines",
            "name": "With official misconduct",
            "line": {"color": style.HIGHLIGHT, "width": 2.5, "shape": "hv"},
            "hovertemplate": "%{x|%Y-%m-%d}: %{y:,} with misconduct<extra></extra>",
        },
    ]
    notes = []
    if marker:
        data.append(
            {
                "type": "scatter",
                "x": [marker["date"]],
                "y": [marker["cases"]],
                "mode": "markers",
                "showlegend": False,
                "marker": {"size": 11, "color": style.BLACK, "symbol": "diamond"},
                "hovertemplate": _esc_template(marker["text"]) + "<extra></extra>",
            }
        )
        notes.append(
            {
                "x": marker["date"],
                "y": marker["cases"],
                "showarrow": True,
                "text": "<br>".join(_esc(x) for x in textwrap.wrap(marker["text"], 32)),
                "arrowhead": 2,
                "ax": -30,
                "ay": -40,
                "font": {"size": 12},
                "bgcolor": "rgba(255,255,255,0.85)",
                # the label ends where its arrow starts, so it stays inside the plot near its right edge
                "xanchor": "right",
            }
        )
    layout = {
        "annotations": notes,
        "showlegend": True,
        "legend": {"orientation": "h", "y": 1.02, "x": 0, "yanchor": "bottom"},
        "yaxis": {
            "title": {"text": "Cases (cumulative)"},
            "gridcolor": "#eee",
            "rangemode": "tozero",
            "tickformat": ",",
        },
        # the dates' own span: the labelled point's marker would have Plotly pad the axis by 5%
        # (months of axis after the last posting)
        "xaxis": {"title": None, **({"range": [dates[0], dates[-1]]} if len(dates) > 1 else {})},
        "margin": _margin(
            _value_margin((df["cumulative_cases"].max() if len(df) else 0, ",", "Cases (cumulative)")), top=_LEGEND_TOP
        ),
    }
    return _figure(data, layout, cap, style.CHART_HEIGHT + 40)


def split_bar(part: int, total: int, cap: Caption, part_label: str, rest_label: str) -> go.Figure:
    """One 100% bar split into `part` and the rest (e.g. with / without official misconduct)."""
    parts = pd.DataFrame(
        {"label": [part_label, rest_label], "cases": [part, total - part], "color": [style.HIGHLIGHT, style.MUTED]}
    )
    return segments_bar(parts, cap)


# ---------------------------------------------------------------------------------------------
# Misconduct, over time and human cost


LEGEND_WRAP = 40  # characters a line of a legend entry holds on a phone (390 px)
LEGEND_LINE_PX = 19  # the height of one such line


def segments_bar(
    df: pd.DataFrame, cap: Caption, label: str = "label", count: str = "cases", color: str = "color"
) -> go.Figure:
    """One 100% bar split into several segments (in the frame's order), each labelled with its count
    and share of the bar's total; colours from the `color` column, a legend underneath, one segment a
    line (wrapped to fit a phone), with the room it needs: it never runs into the source line."""
    values = [int(v) for v in df[count]]
    total = sum(values)
    data, lines = [], 0
    for name, value, colour in zip(_list(df[label]), values, _list(df[color]), strict=True):
        share = value / total if total else 0
        figure = f"{value:,} ({fmt.pct_short(value, total)})"
        entry = textwrap.wrap(f"{name}: {figure}", LEGEND_WRAP)
        lines += len(entry)
        data.append(
            {
                "type": "bar",
                "x": [value],
                "y": [""],
                "orientation": "h",
                "name": "<br>".join(_esc(x) for x in entry),
                "marker": {"color": colour},
                "text": [figure if share >= 0.06 else ""],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": style.text_on(colour), "size": 14},
                "hovertemplate": f"{_esc_template(name)}: %{{x:,}} of {total:,} ({fmt.pct(value, total)})<extra></extra>",
            }
        )
    layout = {
        "barmode": "stack",
        "showlegend": True,
        "bargap": 0.35,
        "legend": {"orientation": "v", "x": 0, "y": 0, "yanchor": "top", "traceorder": "normal", "tracegroupgap": 4},
        "xaxis": {"visible": False, "range": [0, max(total, 1)]},
        "yaxis": {"visible": False},
    }
    bottom = 12 + LEGEND_LINE_PX * lines + 6 * len(data)
    return _figure(data, layout, cap, 130 + bottom, bottom=bottom)


def cooccurrence(
    df: pd.DataFrame,
    cap: Caption,
    row: str = "row_label",
    col: str = "col_label",
    cases: str = "cases",
    row_order: str = "row_order",
    col_order: str = "col_order",
) -> go.Figure:
    """A square heatmap of how many cases have both codes of each pair, counts in the cells. The
    diagonal (cases with the code at all) is drawn in grey so it does not swamp the colour scale."""
    d = df.sort_values([row_order, col_order])
    rows = list(dict.fromkeys(d[row]))
    cols = list(dict.fromkeys(d[col]))
    cell: dict[tuple[str, str], int] = {}
    for r, c, n in zip(_list(d[row]), _list(d[col]), _list(d[cases]), strict=True):
        cell[(r, c)] = cell.get((r, c), 0) + n
    diag = [[cell.get((r, c)) if r == c else None for c in cols] for r in rows]
    off = [[None if r == c else cell.get((r, c)) for c in cols] for r in rows]
    data = [
        {
            "type": "heatmap",
            "z": off,
            "x": [_esc(c) for c in cols],
            "y": [_esc(r) for r in rows],
            "colorscale": [[i / (len(style.SEQUENTIAL) - 1), c] for i, c in enumerate(style.SEQUENTIAL)],
            "zmin": 0,
            "texttemplate": "%{z:,}",
            "textfont": {"size": 12},
            "xgap": 2,
            "ygap": 2,
            "colorbar": {"title": {"text": "Cases"}, "thickness": 12},
            "hovertemplate": "%{y} and %{x}: %{z:,} cases<extra></extra>",
        },
        {
            "type": "heatmap",
            "z": diag,
            "x": [_esc(c) for c in cols],
            "y": [_esc(r) for r in rows],
            "colorscale": [[0, "#E6E6E6"], [1, "#E6E6E6"]],
            "showscale": False,
            "texttemplate": "<b>%{z:,}</b>",
            "textfont": {"size": 12, "color": "#222"},
            "xgap": 2,
            "ygap": 2,
            "hovertemplate": "%{y}: %{z:,} cases in all<extra></extra>",
        },
    ]
    layout = {
        "xaxis": {"side": "bottom", "tickangle": -35, "showgrid": False, "automargin": False},
        "yaxis": {"autorange": "reversed", "showgrid": False, "automargin": False},
        # Room under the slanted labels for the source line, and left of them for the longest.
        "margin": _margin(max(_label_margin(rows), int(0.82 * _label_margin(cols[:1]))), bottom=200),
    }
    return _figure(data, layout, cap, style.CHART_HEIGHT_TALL + 180, bottom=200)


def _hollow_when_small(small: list[bool], colour: str) -> dict:
    """Markers of a per-year line: hollow and grey where the year rests on few cases."""
    return {
        "size": 7,
        "color": ["white" if s else colour for s in small],
        "line": {"color": [style.GREY if s else colour for s in small], "width": 1.5},
    }


def _few_cases_key(name: str) -> dict:
    """A legend entry (no data) for the hollow grey markers."""
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "name": _esc(name),
        "xaxis": "x2",
        "yaxis": "y2",
        "marker": {"size": 7, "color": "white", "line": {"color": style.GREY, "width": 1.5}},
    }


def _bar(x, y, name: str, colour: str, word: str) -> dict:
    """A bar trace of the upper panel of a two-panel chart, its hover text naming what it counts."""
    return {
        "type": "bar",
        "x": x,
        "y": y,
        "name": _esc(name),
        "marker": {"color": colour},
        "xaxis": "x",
        "yaxis": "y",
        "hovertemplate": "%{x}: %{y:,} " + _esc_template(word) + "<extra></extra>",
    }


def _overall_line(overall: float) -> tuple[dict, dict]:
    """The share over all years as a dotted line across the lower panel, named in the legend (a label on
    the plot would cross its points)."""
    line = {
        "type": "line",
        "x0": 0,
        "x1": 1,
        "xref": "x2 domain",
        "y0": overall,
        "y1": overall,
        "yref": "y2",
        "line": {"color": style.GREY, "dash": "dot"},
    }
    key = {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "lines",
        "xaxis": "x2",
        "yaxis": "y2",
        "name": f"All years: {fmt.pct_short_of(overall)}",
        "line": {"color": style.GREY, "dash": "dot"},
    }
    return line, key


def by_year(
    df: pd.DataFrame,
    cap: Caption,
    overall: float | None = None,
    year: str = "exoneration_year",
    cases: str = "cases",
    part: str = "misconduct_cases",
    share: str = "share",
    part_label: str = "With official misconduct",
    rest_label: str = "Without (or not coded)",
) -> go.Figure:
    """Two aligned panels over the years: cases per year (split into `part` and the rest), and the
    share of `part` per year, with years resting on few cases drawn hollow and grey."""
    d = df.sort_values(year)
    years, counts, parts, shares = _list(d[year]), _list(d[cases]), _list(d[part]), _list(d[share])
    small = [0 < n < style.SMALL_DENOMINATOR for n in counts]
    text = [
        f"{y}: {fmt.pct_short_of(s)} of {n:,}" + (" (few cases)" if sm else "") if pd.notna(s) else f"{y}: no cases"
        for y, s, n, sm in zip(years, shares, counts, small, strict=True)
    ]
    data = [
        _bar(years, parts, part_label, style.HIGHLIGHT, part_label.lower()),
        _bar(years, [n - p for n, p in zip(counts, parts, strict=True)], rest_label, style.MUTED, rest_label.lower()),
        {
            "type": "scatter",
            "x": years,
            "y": shares,
            "mode": "lines+markers",
            "name": "Share with official misconduct",
            "showlegend": False,
            "line": {"color": style.GREY if any(small) else style.HIGHLIGHT, "width": 1.5},
            "marker": _hollow_when_small(small, style.HIGHLIGHT),
            "text": text,
            "hovertemplate": "%{text}<extra></extra>",
            "connectgaps": False,
            "xaxis": "x2",
            "yaxis": "y2",
        },
    ]
    if any(small):
        data.append(_few_cases_key("Share resting on fewer than 20 cases"))
    top = {
        "title": {"text": "Exonerations"},
        "tickformat": ",",
        "gridcolor": "#eee",
        "rangemode": "tozero",
        **({"dtick": 1} if max(counts, default=0) <= 8 else {}),
    }
    bottom = {"title": {"text": "Share with misconduct"}, "tickformat": ".0%", "range": [0, 1.05], "gridcolor": "#eee"}
    layout = {
        **_two_panels(top, bottom, 5 if len(d) > 15 else 1),
        "barmode": "stack",
        "bargap": 0.15,
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
        "margin": _margin(
            _value_margin((max(counts, default=0), ",", "Exonerations"), (1, ".0%", "Share with misconduct")),
            top=_LEGEND_TOP + 20,
        ),
    }
    if overall is not None:
        line, key = _overall_line(overall)
        layout["shapes"] = [line]
        data.append(key)
    return _figure(data, layout, cap, style.CHART_HEIGHT_TALL + 80)


def years_lost_by_year(
    df: pd.DataFrame,
    cap: Caption,
    year: str = "exoneration_year",
    total: str = "years_lost",
    median: str = "median_years_lost",
    cases: str = "cases_with_years_lost",
) -> go.Figure:
    """Two aligned panels over the years: total years lost per year of exoneration, and the median
    per case; years resting on few cases drawn hollow and grey."""
    d = df.sort_values(year)
    years, counts, medians = _list(d[year]), _list(d[cases]), _list(d[median])
    small = [0 < n < style.SMALL_DENOMINATOR for n in counts]
    text = [
        f"{y}: median {fmt.years(m)} years over {n:,} case{'s' if n != 1 else ''}" + (" (few cases)" if sm else "")
        if pd.notna(m)
        else f"{y}: no recorded figure"
        for y, m, n, sm in zip(years, medians, counts, small, strict=True)
    ]
    data = [
        {
            "type": "bar",
            "x": years,
            "y": _list(d[total]),
            "name": "Years lost (total)",
            "marker": {"color": style.BASE},
            "customdata": counts,
            "hovertemplate": "%{x}: %{y:,.1f} years lost by %{customdata:,} exonerees<extra></extra>",
            "xaxis": "x",
            "yaxis": "y",
        },
        {
            "type": "scatter",
            "x": years,
            "y": medians,
            "mode": "lines+markers",
            "name": "Median per case",
            "line": {"color": style.GREY if any(small) else style.ORANGE, "width": 1.5},
            "marker": _hollow_when_small(small, style.ORANGE),
            "text": text,
            "hovertemplate": "%{text}<extra></extra>",
            "xaxis": "x2",
            "yaxis": "y2",
        },
    ]
    if any(small):
        data.append(_few_cases_key("Median resting on fewer than 20 cases"))
    layout = {
        **_two_panels(
            {"title": {"text": "Years lost (total)"}, "tickformat": ",", "gridcolor": "#eee", "rangemode": "tozero"},
            {"title": {"text": "Median per case"}, "gridcolor": "#eee", "rangemode": "tozero"},
            5 if len(d) > 15 else 1,
        ),
        "showlegend": True,
        "bargap": 0.15,
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
        "margin": _margin(
            _value_margin(
                (d[total].max() if len(d) else 0, ",", "Years lost (total)"),
                (d[median].max() if len(d) else 0, "", "Median per case"),
            ),
            top=_LEGEND_TOP,
        ),
    }
    return _figure(data, layout, cap, style.CHART_HEIGHT_TALL)


def banded(
    df: pd.DataFrame,
    cap: Caption,
    band: str = "band",
    part: str = "misconduct_cases",
    rest: str = "other_cases",
    part_label: str = "With official misconduct",
    rest_label: str = "Without (or not coded)",
    x_title: str = "Years lost",
) -> go.Figure:
    """Vertical bars of cases per band (a histogram over given bands), each split into `part` and
    `rest`, with the band's total above the bar."""
    bands, parts, rests = _list(df[band]), _list(df[part]), _list(df[rest])
    totals = [p + r for p, r in zip(parts, rests, strict=True)]
    top = max(totals, default=0)
    slant = _X_TITLED + int(0.6 * max((_text_width(str(b)) for b in bands), default=0))  # sin 35° ≈ 0.57
    data = [
        {
            "type": "bar",
            "x": bands,
            "y": parts,
            "name": _esc(part_label),
            "marker": {"color": style.HIGHLIGHT},
            "hovertemplate": "%{x}: %{y:,} " + _esc_template(part_label.lower()) + "<extra></extra>",
        },
        # The total goes above the stack: put it on the top trace, outside.
        {
            "type": "bar",
            "x": bands,
            "y": rests,
            "name": _esc(rest_label),
            "marker": {"color": style.MUTED},
            "text": [f"{t:,}" for t in totals],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{x}: %{y:,} " + _esc_template(rest_label.lower()) + "<extra></extra>",
        },
    ]
    layout = {
        "barmode": "stack",
        "bargap": 0.12,
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
        # Slanted down to the left, so that the last label never runs past the right edge on a narrow screen.
        "xaxis": {"title": {"text": x_title}, "type": "category", "tickangle": -35, "automargin": False},
        "yaxis": {
            "title": {"text": "Exonerations"},
            "tickformat": ",",
            "gridcolor": "#eee",
            "rangemode": "tozero",
            "range": [0, max(1, float(top)) * 1.15],
            **({"dtick": 1} if top <= 8 else {}),
        },
        "margin": _margin(_value_margin((top, ",", "Exonerations")), bottom=slant, top=_LEGEND_TOP),
    }
    return _figure(data, layout, cap, style.CHART_HEIGHT + 40, bottom=slant)


def _top(df: pd.DataFrame, columns: list[str]) -> float | None:
    """The largest number in `columns` (None when there is none)."""
    values = [v for c in columns for v in pd.to_numeric(df[c], errors="coerce").tolist() if pd.notna(v)]
    return max(values) if values else None


def grouped_bars(
    df: pd.DataFrame,
    cap: Caption,
    category: str,
    series: list[tuple[str, str, str]],
    digits: int = 1,
    axis_title: str | None = None,
) -> go.Figure:
    """Vertical bars side by side: one trace per (column, name, colour) in `series`, over the values
    of `category`, each bar labelled with its value to `digits` decimals (halves rounded up, as a
    reader rounds: 13.95 → 14.0)."""

    def label(v) -> str:
        return fmt.number(v, digits)

    # Category names wrapped onto short lines, so three of them fit side by side on a phone.
    categories = ["<br>".join(_esc(x) for x in textwrap.wrap(str(c), 16)) for c in df[category]]
    data = []
    for column, name, color in series:
        values = _list(df[column])
        text = [label(v) for v in values]
        data.append(
            {
                "type": "bar",
                "x": categories,
                "y": values,
                "name": _esc(name),
                "marker": {"color": color},
                "text": text,
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": text,
                "hovertemplate": f"{_esc_template(name)} — %{{x}}: %{{customdata}}<extra></extra>",
            }
        )
    top = _top(df, [c for c, _, _ in series])
    layout = {
        "barmode": "group",
        "bargap": 0.3,
        "showlegend": len(series) > 1,
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        "xaxis": {"title": None, "type": "category"},
        "yaxis": {
            "title": {"text": axis_title} if axis_title else None,
            "gridcolor": "#eee",
            "rangemode": "tozero",
            "range": [0, (float(top) if top is not None and top > 0 else 1) * 1.18],
        },
        "margin": _margin(
            _value_margin((top, "" if digits else ",", axis_title)),
            bottom=20 + 16 * max((c.count("<br>") + 1 for c in categories), default=1),
            top=_LEGEND_TOP if len(series) > 1 else 24,
        ),
    }
    return _figure(data, layout, cap)


# ---------------------------------------------------------------------------------------------
# Geography and New York


def place_bars(
    df: pd.DataFrame,
    cap: Caption,
    place: str = "county",
    cases: str = "cases",
    share: str | None = "misconduct_share",
    top: int = 20,
) -> go.Figure:
    """Horizontal bars of the `top` places (counties, districts) by number of cases, largest first,
    each labelled with its count and the share with official misconduct; places resting on fewer
    than `style.SMALL_DENOMINATOR` cases are drawn muted and their share flagged."""
    d = df.sort_values([cases, place], ascending=[False, True]).head(top).iloc[::-1]
    counts = _list(d[cases])
    small = [n < style.SMALL_DENOMINATOR for n in counts]
    if share is None:
        text = [f"{n:,}" for n in counts]
    else:
        text = [
            f"{n:,} · {fmt.pct_short_of(s)}" + (" ⚠" if sm else "") if pd.notna(s) else f"{n:,}"
            for n, s, sm in zip(counts, _list(d[share]), small, strict=True)
        ]
    places = [_esc(p) for p in d[place]]
    bar = {
        "type": "bar",
        "x": counts,
        "y": places,
        "orientation": "h",
        "text": text,
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": [style.MUTED if s else style.BASE for s in small]},
        "hovertemplate": "%{y}: %{x:,} exonerations<extra></extra>",
    }
    layout, plot, names = _bands(places, bar=16)
    layout |= {"xaxis": {"visible": False, "range": _value_range(max(counts, default=1), 1.6)}, "margin": _margin(10)}
    return _figure([bar, names], layout, cap, plot + 24 + 40)


def paired_share_bars(
    df: pd.DataFrame, cap: Caption, label: str = "label", series: tuple[tuple[str, str, str, str], ...] = ()
) -> go.Figure:
    """Horizontal bars comparing two (or more) places on the same measures: for each row of `df`
    (a measure, e.g. a kind of misconduct) one bar per (share column, count column, name, colour) in
    `series`, labelled with the share. Rows keep the frame's order, first at the top."""
    d = df.iloc[::-1]
    labels = [_esc(x) for x in d[label]]
    data = []
    for share_col, count_col, name, color in reversed(series):
        shares = _list(d[share_col])
        data.append(
            {
                "type": "bar",
                "x": shares,
                "y": labels,
                "orientation": "h",
                "name": _esc(name),
                "marker": {"color": color},
                "text": [fmt.pct_short_of(s) if pd.notna(s) else "—" for s in shares],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": _list(d[count_col]),
                "hovertemplate": f"{_esc_template(name)} — %{{y}}: %{{x:.1%}} (%{{customdata:,}} cases)<extra></extra>",
            }
        )
    top = _top(df, [s for s, _, _, _ in series])
    legend_top = _LEGEND_TOP + 20 * max(0, len(series) - 2)
    layout, plot, names = _bands(labels, series=len(series), bar=13)
    layout |= {
        "barmode": "group",
        "bargroupgap": 0.05,
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "reversed"},
        "xaxis": {
            "tickformat": ".0%",
            "gridcolor": "#eee",
            "title": None,
            "range": _value_range(min(1.0, float(top) if top is not None and top > 0 else 1), 1.25),
        },
        "margin": _margin(10, bottom=40, top=legend_top),
    }
    return _figure([*data, names], layout, cap, plot + legend_top + 40)
