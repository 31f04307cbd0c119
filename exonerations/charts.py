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
            # placed in pixels from the top, so a short figure does not clip the first line
            "x": 0, "xanchor": "left", "yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 14},
            "font": {"size": style.TITLE_SIZE},
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


# ---------------------------------------------------------------------------------------------
# Misconduct, over time and human cost (appended)


def segments_bar(df: pd.DataFrame, cap: Caption, label: str = "label", count: str = "cases",
                 color: str = "color") -> go.Figure:
    """One 100% bar split into several segments (in the frame's order), each labelled with its count
    and share of the bar's total; colours from the `color` column, a legend underneath."""
    total = int(df[count].sum())
    fig = go.Figure()
    for _, r in df.iterrows():
        value = int(r[count])
        share = value / total if total else 0
        fig.add_trace(go.Bar(
            x=[value], y=[""], orientation="h", name=f"{r[label]}: {value:,} ({share:.0%})",
            marker_color=r[color], text=[f"{value:,} ({share:.0%})" if share >= 0.06 else ""],
            textposition="inside", insidetextanchor="middle", textfont={"color": "white", "size": 14},
            hovertemplate=f"{_esc(r[label])}: %{{x:,}} of {total:,} ({share:.1%})<extra></extra>",
        ))
    fig.update_layout(barmode="stack", showlegend=True, bargap=0.35,
                      legend={"orientation": "h", "x": 0, "y": -0.05, "yanchor": "top", "traceorder": "normal"})
    fig.update_xaxes(visible=False, range=[0, max(total, 1)])
    fig.update_yaxes(visible=False)
    return _frame(fig, cap, 300, bottom=95)


def cooccurrence(df: pd.DataFrame, cap: Caption, row: str = "row_label", col: str = "col_label",
                 cases: str = "cases", row_order: str = "row_order", col_order: str = "col_order") -> go.Figure:
    """A square heatmap of how many cases have both codes of each pair, counts in the cells. The
    diagonal (cases with the code at all) is drawn in grey so it does not swamp the colour scale."""
    d = df.sort_values([row_order, col_order])
    rows = list(dict.fromkeys(d[row]))
    cols = list(dict.fromkeys(d[col]))
    z = d.pivot_table(index=row, columns=col, values=cases, aggfunc="sum").reindex(index=rows, columns=cols)
    diag = [[z.iat[i, j] if rows[i] == cols[j] else None for j in range(len(cols))] for i in range(len(rows))]
    off = [[None if rows[i] == cols[j] else z.iat[i, j] for j in range(len(cols))] for i in range(len(rows))]
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        z=off, x=cols, y=rows, colorscale=[[i / (len(style.SEQUENTIAL) - 1), c] for i, c in enumerate(style.SEQUENTIAL)],
        zmin=0, texttemplate="%{z:,}", textfont={"size": 12}, xgap=2, ygap=2,
        colorbar={"title": {"text": "Cases"}, "thickness": 12},
        hovertemplate="%{y} and %{x}: %{z:,} cases<extra></extra>",
    ))
    fig.add_trace(go.Heatmap(
        z=diag, x=cols, y=rows, colorscale=[[0, "#E6E6E6"], [1, "#E6E6E6"]], showscale=False,
        texttemplate="<b>%{z:,}</b>", textfont={"size": 12, "color": "#222"}, xgap=2, ygap=2,
        hovertemplate="%{y}: %{z:,} cases in all<extra></extra>",
    ))
    fig.update_xaxes(side="bottom", tickangle=-35, automargin=True, showgrid=False)
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    # Room under the slanted labels for the source line.
    return _frame(fig, cap, style.CHART_HEIGHT_TALL + 240, bottom=230)


def by_year(df: pd.DataFrame, cap: Caption, overall: float | None = None, year: str = "exoneration_year",
            cases: str = "cases", part: str = "misconduct_cases", share: str = "share",
            part_label: str = "With official misconduct", rest_label: str = "Without (or not coded)") -> go.Figure:
    """Two aligned panels over the years: cases per year (split into `part` and the rest), and the
    share of `part` per year, with years resting on few cases drawn hollow and grey."""
    from plotly.subplots import make_subplots

    d = df.sort_values(year)
    small = (d[cases] > 0) & (d[cases] < style.SMALL_DENOMINATOR)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.55, 0.45])
    fig.add_trace(go.Bar(x=d[year], y=d[part], name=part_label, marker_color=style.HIGHLIGHT,
                         hovertemplate="%{x}: %{y:,} " + _esc(part_label.lower()) + "<extra></extra>"), 1, 1)
    fig.add_trace(go.Bar(x=d[year], y=d[cases] - d[part], name=rest_label, marker_color=style.MUTED,
                         hovertemplate="%{x}: %{y:,} " + _esc(rest_label.lower()) + "<extra></extra>"), 1, 1)
    text = [f"{y}: {s:.0%} of {n:,}" + (" (few cases)" if sm else "") if pd.notna(s) else f"{y}: no cases"
            for y, s, n, sm in zip(d[year], d[share], d[cases], small, strict=True)]
    fig.add_trace(go.Scatter(
        x=d[year], y=d[share], mode="lines+markers", name="Share with official misconduct", showlegend=False,
        line={"color": style.GREY if small.any() else style.HIGHLIGHT, "width": 1.5},
        marker={"size": 7, "color": ["white" if s else style.HIGHLIGHT for s in small],
                "line": {"color": [style.GREY if s else style.HIGHLIGHT for s in small], "width": 1.5}},
        text=text, hovertemplate="%{text}<extra></extra>", connectgaps=False,
    ), 2, 1)
    if small.any():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="Share resting on fewer than 20 cases",
                                 marker={"size": 7, "color": "white", "line": {"color": style.GREY, "width": 1.5}}), 2, 1)
    if overall is not None:
        fig.add_hline(y=overall, line_dash="dot", line_color=style.GREY, row=2, col=1,
                      annotation_text=f"all years: {overall:.0%}", annotation_position="top left",
                      annotation_font={"size": 11, "color": "#555"})
    fig.update_layout(barmode="stack", bargap=0.15, showlegend=True,
                      legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"})
    fig.update_yaxes(title="Exonerations", tickformat=",", gridcolor="#eee", rangemode="tozero", row=1, col=1,
                     dtick=1 if d[cases].max() <= 8 else None)
    fig.update_yaxes(title="Share with misconduct", tickformat=".0%", range=[0, 1.05], gridcolor="#eee", row=2, col=1)
    fig.update_xaxes(dtick=5 if len(d) > 15 else 1, showgrid=False)
    return _frame(fig, cap, style.CHART_HEIGHT_TALL + 60)


def years_lost_by_year(df: pd.DataFrame, cap: Caption, year: str = "exoneration_year", total: str = "years_lost",
                       median: str = "median_years_lost", cases: str = "cases_with_years_lost") -> go.Figure:
    """Two aligned panels over the years: total years lost per year of exoneration, and the median
    per case; years resting on few cases drawn hollow and grey."""
    from plotly.subplots import make_subplots

    d = df.sort_values(year)
    small = (d[cases] > 0) & (d[cases] < style.SMALL_DENOMINATOR)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.55, 0.45])
    fig.add_trace(go.Bar(x=d[year], y=d[total], name="Years lost (total)", marker_color=style.BASE,
                         customdata=d[cases], hovertemplate="%{x}: %{y:,.1f} years lost by %{customdata:,} exonerees"
                         "<extra></extra>"), 1, 1)
    text = [f"{y}: median {m:.1f} years over {n:,} case{'s' if n != 1 else ''}" + (" (few cases)" if sm else "")
            if pd.notna(m) else f"{y}: no recorded figure" for y, m, n, sm in zip(d[year], d[median], d[cases], small,
                                                                                   strict=True)]
    fig.add_trace(go.Scatter(
        x=d[year], y=d[median], mode="lines+markers", name="Median per case",
        line={"color": style.GREY if small.any() else style.ORANGE, "width": 1.5},
        marker={"size": 7, "color": ["white" if s else style.ORANGE for s in small],
                "line": {"color": [style.GREY if s else style.ORANGE for s in small], "width": 1.5}},
        text=text, hovertemplate="%{text}<extra></extra>",
    ), 2, 1)
    if small.any():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="Median resting on fewer than 20 cases",
                                 marker={"size": 7, "color": "white", "line": {"color": style.GREY, "width": 1.5}}), 2, 1)
    fig.update_layout(showlegend=True, bargap=0.15,
                      legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"})
    fig.update_yaxes(title="Years lost (total)", tickformat=",", gridcolor="#eee", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title="Median per case", gridcolor="#eee", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(dtick=5 if len(d) > 15 else 1, showgrid=False)
    return _frame(fig, cap, style.CHART_HEIGHT_TALL)


def banded(df: pd.DataFrame, cap: Caption, band: str = "band", part: str = "misconduct_cases",
           rest: str = "other_cases", part_label: str = "With official misconduct",
           rest_label: str = "Without (or not coded)", x_title: str = "Years lost") -> go.Figure:
    """Vertical bars of cases per band (a histogram over given bands), each split into `part` and
    `rest`, with the band's total above the bar."""
    totals = df[part] + df[rest]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=df[band], y=df[part], name=part_label, marker_color=style.HIGHLIGHT,
                         hovertemplate="%{x}: %{y:,} " + _esc(part_label.lower()) + "<extra></extra>"))
    fig.add_trace(go.Bar(x=df[band], y=df[rest], name=rest_label, marker_color=style.MUTED,
                         text=[f"{t:,}" for t in totals], textposition="outside", cliponaxis=False,
                         hovertemplate="%{x}: %{y:,} " + _esc(rest_label.lower()) + "<extra></extra>"))
    # The total goes above the stack: put it on the top trace, outside.
    fig.update_layout(barmode="stack", bargap=0.12, showlegend=True,
                      legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"})
    fig.update_xaxes(title=x_title, type="category")
    fig.update_yaxes(title="Exonerations", tickformat=",", gridcolor="#eee", rangemode="tozero",
                     range=[0, max(1, float(totals.max())) * 1.15], dtick=1 if totals.max() <= 8 else None)
    return _frame(fig, cap, style.CHART_HEIGHT + 40)


def grouped_bars(df: pd.DataFrame, cap: Caption, category: str, series: list[tuple[str, str, str]],
                 digits: int = 1, axis_title: str | None = None) -> go.Figure:
    """Vertical bars side by side: one trace per (column, name, colour) in `series`, over the values
    of `category`, each bar labelled with its value to `digits` decimals (halves rounded up, as a
    reader rounds: 13.95 → 14.0)."""
    from decimal import ROUND_HALF_UP, Decimal

    def label(v) -> str:
        if pd.isna(v):
            return "—"
        return f"{Decimal(repr(float(v))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP):,}"

    fig = go.Figure()
    for column, name, color in series:
        text = [label(v) for v in df[column]]
        fig.add_trace(go.Bar(x=df[category], y=df[column], name=name, marker_color=color, text=text,
                             textposition="outside", cliponaxis=False, customdata=text,
                             hovertemplate=f"{_esc(name)} — %{{x}}: %{{customdata}}<extra></extra>"))
    top = pd.to_numeric(df[[c for c, _, _ in series]].stack(), errors="coerce").max()
    fig.update_layout(barmode="group", bargap=0.3, showlegend=len(series) > 1,
                      legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"})
    fig.update_xaxes(title=None, type="category")
    fig.update_yaxes(title=axis_title, gridcolor="#eee", rangemode="tozero",
                     range=[0, (float(top) if pd.notna(top) and top > 0 else 1) * 1.18])
    return _frame(fig, cap)


# ---------------------------------------------------------------------------------------------
# Geography and New York (appended)


def place_bars(df: pd.DataFrame, cap: Caption, place: str = "county", cases: str = "cases",
               share: str | None = "misconduct_share", top: int = 20) -> go.Figure:
    """Horizontal bars of the `top` places (counties, districts) by number of cases, largest first,
    each labelled with its count and the share with official misconduct; places resting on fewer
    than `style.SMALL_DENOMINATOR` cases are drawn muted and their share flagged."""
    d = df.sort_values([cases, place], ascending=[False, True]).head(top).iloc[::-1]
    small = d[cases] < style.SMALL_DENOMINATOR
    if share is None:
        text = [f"{n:,}" for n in d[cases]]
    else:
        text = [f"{n:,} · {s:.0%} with misconduct" + (" ⚠" if sm else "") if pd.notna(s) else f"{n:,}"
                for n, s, sm in zip(d[cases], d[share], small, strict=True)]
    fig = go.Figure(go.Bar(
        x=d[cases], y=[_esc(p) for p in d[place]], orientation="h", text=text, textposition="outside",
        cliponaxis=False, marker_color=[style.MUTED if s else style.BASE for s in small],
        hovertemplate="%{y}: %{x:,} exonerations<extra></extra>",
    ))
    fig.update_xaxes(visible=False, range=[0, max(1, float(d[cases].max()) if len(d) else 1) * 1.45])
    fig.update_yaxes(title=None, automargin=True, type="category")
    return _frame(fig, cap, max(style.CHART_HEIGHT, 110 + 30 * len(d)))


def paired_share_bars(df: pd.DataFrame, cap: Caption, label: str = "label",
                      series: tuple[tuple[str, str, str, str], ...] = ()) -> go.Figure:
    """Horizontal bars comparing two (or more) places on the same measures: for each row of `df`
    (a measure, e.g. a kind of misconduct) one bar per (share column, count column, name, colour) in
    `series`, labelled with the share. Rows keep the frame's order, first at the top."""
    d = df.iloc[::-1]
    fig = go.Figure()
    for share_col, count_col, name, color in reversed(series):
        fig.add_trace(go.Bar(
            x=d[share_col], y=d[label], orientation="h", name=name, marker_color=color,
            text=[f"{s:.0%}" if pd.notna(s) else "—" for s in d[share_col]], textposition="outside",
            cliponaxis=False, customdata=d[count_col],
            hovertemplate=f"{_esc(name)} — %{{y}}: %{{x:.1%}} (%{{customdata:,}} cases)<extra></extra>",
        ))
    top = pd.to_numeric(df[[s for s, _, _, _ in series]].stack(), errors="coerce").max()
    fig.update_layout(barmode="group", bargap=0.25, bargroupgap=0.05, showlegend=True,
                      legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "traceorder": "reversed"})
    fig.update_xaxes(tickformat=".0%", gridcolor="#eee", title=None,
                     range=[0, min(1.0, float(top) if pd.notna(top) and top > 0 else 1) * 1.15])
    fig.update_yaxes(title=None, automargin=True)
    return _frame(fig, cap, max(style.CHART_HEIGHT, 130 + 24 * len(series) * len(d)))
