"""Chart builders: pure functions from a small aggregated DataFrame to a Plotly figure.

Every figure states its finding in the title, its denominator in the subtitle, and carries the source
and as-of date drawn on the figure itself, so a PNG or a screenshot is citable on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from . import style
from .glossary import SOURCE


@dataclass(frozen=True)
class Caption:
    """What every figure carries: title (the finding), subtitle (denominator) and source line."""

    title: str
    subtitle: str
    as_of: str  # ISO date
    demo: bool = False
    filters: str = ""

    @property
    def source_line(self) -> str:
        src = "SYNTHETIC DEMO DATA — not real cases" if self.demo else f"Source: {SOURCE}"
        extra = f" · Filters: {self.filters}" if self.filters else ""
        return f"{src} · data as of {self.as_of}{extra}"


def _frame(fig: go.Figure, cap: Caption, height: int = style.CHART_HEIGHT, bottom: int = 70) -> go.Figure:
    fig.update_layout(
        title={
            "text": f"<b>{_esc(cap.title)}</b><br><span style='font-size:13px;color:#555'>{_esc(cap.subtitle)}</span>",
            "x": 0, "xanchor": "left", "y": 0.97, "yanchor": "top", "font": {"size": style.TITLE_SIZE},
        },
        font={"family": style.FONT, "size": 13, "color": "#222"},
        height=height,
        margin={"l": 10, "r": 20, "t": 86, "b": bottom},
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=fig.layout.showlegend if fig.layout.showlegend is not None else False,
        colorway=list(style.SEQUENCE),
    )
    fig.add_annotation(
        text=_esc(cap.source_line), xref="paper", yref="paper", x=0, y=0, yshift=-bottom + 12,
        xanchor="left", yanchor="bottom", showarrow=False,
        font={"size": 11, "color": style.VERMILLION if cap.demo else "#666"},
    )
    return fig


def _esc(s: str) -> str:
    return str(s).replace("<", "&lt;").replace(">", "&gt;")


def share_bars(df: pd.DataFrame, cap: Caption, label: str = "label", count: str = "cases",
               total: int | None = None, highlight: str | None = None, height: int | None = None) -> go.Figure:
    """Horizontal bars of counts with their share of `total`, largest first. `highlight` is the
    label drawn in the highlight colour."""
    d = df.sort_values(count, ascending=True)
    shares = d[count] / total if total else None
    text = [f"{c:,} ({s:.0%})" for c, s in zip(d[count], shares, strict=True)] if total else [f"{c:,}" for c in d[count]]
    colors = [style.HIGHLIGHT if lab == highlight else style.BASE for lab in d[label]]
    fig = go.Figure(go.Bar(
        x=d[count], y=d[label], orientation="h", text=text, textposition="outside", cliponaxis=False,
        marker_color=colors, hovertemplate="%{y}: %{x:,} cases<extra></extra>",
    ))
    fig.update_xaxes(visible=False, range=[0, max(1, d[count].max()) * 1.25])
    fig.update_yaxes(title=None, automargin=True)
    return _frame(fig, cap, height or max(style.CHART_HEIGHT, 90 + 38 * len(d)))


def share_by_group(df: pd.DataFrame, cap: Caption, group: str = "group", share: str = "share",
                   cases: str = "cases", overall: float | None = None, height: int | None = None) -> go.Figure:
    """Horizontal bars of a share per group (e.g. misconduct share by worst crime), with the overall
    share as a reference line; groups resting on few cases are drawn muted."""
    d = df.sort_values(share, ascending=True)
    small = d[cases] < style.SMALL_DENOMINATOR
    colors = [style.MUTED if s else style.BASE for s in small]
    text = [f"{v:.0%} of {n:,}" + (" ⚠" if s else "") for v, n, s in zip(d[share], d[cases], small, strict=True)]
    fig = go.Figure(go.Bar(
        x=d[share], y=d[group], orientation="h", marker_color=colors, text=text, textposition="outside",
        cliponaxis=False, hovertemplate="%{y}: %{x:.1%}<extra></extra>",
    ))
    fig.update_xaxes(tickformat=".0%", range=[0, 1.18], showgrid=True, gridcolor="#eee", title=None)
    fig.update_yaxes(title=None, automargin=True)
    if overall is not None:
        fig.add_vline(x=overall, line_dash="dot", line_color=style.HIGHLIGHT,
                      annotation_text=f"all: {overall:.0%}", annotation_position="top")
    return _frame(fig, cap, height or max(style.CHART_HEIGHT, 110 + 34 * len(d)))


def empty(cap: Caption, message: str = "No cases match these filters.") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _frame(fig, cap, 260)


def growth(df: pd.DataFrame, cap: Caption, marker: dict | None = None) -> go.Figure:
    """Cumulative cases (and those with official misconduct) by posting date. `marker`, if given, is
    {"date": ..., "cases": ..., "text": ...} drawn as a labelled point."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=df["posting_date"], y=df["cumulative_cases"], mode="lines", name="All exonerations",
                             line={"color": style.BASE, "width": 2.5, "shape": "hv"},
                             hovertemplate="%{x|%Y-%m-%d}: %{y:,} cases<extra></extra>"))
    fig.add_trace(go.Scatter(x=df["posting_date"], y=df["cumulative_misconduct"], mode="lines",
                             name="With official misconduct",
                             line={"color": style.HIGHLIGHT, "width": 2.5, "shape": "hv"},
                             hovertemplate="%{x|%Y-%m-%d}: %{y:,} with misconduct<extra></extra>"))
    if marker:
        fig.add_trace(go.Scatter(x=[marker["date"]], y=[marker["cases"]], mode="markers", showlegend=False,
                                 marker={"size": 11, "color": style.BLACK, "symbol": "diamond"},
                                 hovertemplate=_esc(marker["text"]) + "<extra></extra>"))
        fig.add_annotation(x=marker["date"], y=marker["cases"], text=_esc(marker["text"]), showarrow=True,
                           arrowhead=2, ax=-80, ay=-40, font={"size": 12}, bgcolor="rgba(255,255,255,0.85)")
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": 1.02, "x": 0, "yanchor": "bottom"})
    fig.update_yaxes(title="Cases (cumulative)", gridcolor="#eee", rangemode="tozero", tickformat=",")
    fig.update_xaxes(title=None)
    return _frame(fig, cap, style.CHART_HEIGHT + 40)


def split_bar(part: int, total: int, cap: Caption, part_label: str, rest_label: str) -> go.Figure:
    """One 100% bar split into `part` and the rest (e.g. with / without official misconduct)."""
    rest = total - part
    fig = go.Figure()
    for value, name, color in ((part, part_label, style.HIGHLIGHT), (rest, rest_label, style.MUTED)):
        fig.add_trace(go.Bar(x=[value], y=[""], orientation="h", name=name, marker_color=color,
                             text=[f"{name}: {value:,} ({value / total:.1%})" if total else name],
                             textposition="inside", insidetextanchor="middle",
                             hovertemplate=f"{_esc(name)}: %{{x:,}}<extra></extra>"))
    fig.update_layout(barmode="stack", showlegend=False)
    fig.update_xaxes(visible=False, range=[0, max(total, 1)])
    fig.update_yaxes(visible=False)
    return _frame(fig, cap, 230)
