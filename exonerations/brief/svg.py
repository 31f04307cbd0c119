"""The fact sheet's small charts as geometry (the template draws it as inline SVG): one axis helper (a
frame, its horizontal grid with tick labels, category labels along the bottom) and one bar helper
(stacked columns), shared by the columns per year and the share per year. Each chart carries its
text alternative, the finding and its numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .. import fmt, style
from ..findings.briefing import Series

WIDTH, HEIGHT = 340, 84
LEFT, BOTTOM, TOP = 30, 16, 6  # room for the tick labels, the category labels, the top tick
MAX_LABELS = 6  # category labels along the bottom, at most (the first and last always)


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Rule:
    y: float
    dashed: bool = False


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    colour: str


@dataclass(frozen=True)
class Plot:
    """A chart to draw: its id, text alternative, size, grid, labels and marks."""

    id: str
    label: str
    width: int = WIDTH
    height: int = HEIGHT
    left: float = LEFT
    rules: tuple[Rule, ...] = ()
    ticks: tuple[Text, ...] = ()
    categories: tuple[Text, ...] = ()
    rects: tuple[Rect, ...] = ()
    lines: tuple[tuple[str, str], ...] = ()  # (points "x,y x,y …", colour)
    dots: tuple[tuple[float, float, str], ...] = ()


@dataclass(frozen=True)
class Axis:
    """A frame of `n` category slots along x and values 0…`top` along y."""

    n: int
    top: float

    @property
    def slot(self) -> float:
        return (WIDTH - LEFT) / max(self.n, 1)

    def x(self, i: int) -> float:
        """The centre of slot `i`."""
        return LEFT + (i + 0.5) * self.slot

    def y(self, value: float) -> float:
        inner = HEIGHT - BOTTOM - TOP
        return TOP + inner - inner * (value / self.top if self.top else 0)

    def grid(self, ticks: Sequence[tuple[float, str, bool]]) -> tuple[tuple[Rule, ...], tuple[Text, ...]]:
        """Horizontal rules at the ticks' values (dashed where asked) and their labels at the left."""
        rules = tuple(Rule(round(self.y(v), 1), dashed) for v, _, dashed in ticks)
        labels = tuple(Text(LEFT - 3, round(self.y(v) + 3, 1), text, "end") for v, text, _ in ticks)
        return rules, labels

    def labels(self, categories: Sequence[str]) -> tuple[Text, ...]:
        """Every k-th category label along the bottom, the first at the left edge, the last at the right."""
        n = len(categories)
        step = max(1, math.ceil(n / MAX_LABELS))
        out = []
        for i, text in enumerate(categories):
            last = i == n - 1
            if not last and (i % step or n - 1 - i < step / 2):
                continue
            x, anchor = (WIDTH, "end") if last else (LEFT, "start") if i == 0 else (round(self.x(i), 1), "middle")
            out.append(Text(x, HEIGHT - 3, text, anchor))
        return tuple(out)


def _stacks(axis: Axis, series: Sequence[Series]) -> tuple[Rect, ...]:
    """Each category's values stacked from the bottom, in the series' order and colours."""
    rects = []
    w = max(axis.slot - 0.8, 0.5)
    for i in range(axis.n):
        base = 0.0
        for s in series:
            v = s.values[i] or 0
            if v:
                y = axis.y(base + v)
                rects.append(Rect(round(axis.x(i) - w / 2, 1), round(y, 1), round(w, 1),
                                  round(axis.y(base) - y, 1), s.colours[i]))  # fmt: skip
            base += v
    return tuple(rects)


def columns(chart_id: str, categories: Sequence[str], series: Sequence[Series], label: str) -> Plot:
    """Stacked columns per category (exonerations per year, with and without official misconduct)."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    top = max(1, max(totals, default=0))
    axis = Axis(len(categories), top)
    rules, ticks = axis.grid([(t, fmt.count(t), False) for t in sorted({0, math.ceil(top / 2), top})])
    return Plot(chart_id, label, rules=rules, ticks=ticks, categories=axis.labels(categories),
                rects=_stacks(axis, series))  # fmt: skip


def share_line(chart_id: str, categories: Sequence[str], share: Series, label: str) -> Plot:
    """The share with official misconduct per category (0 to 100%) as a vermillion line with dots in
    the series' colours (grey where a share rests on few cases), broken where there is no case; a dashed
    rule at half."""
    axis = Axis(len(categories), 1.0)
    rules, ticks = axis.grid([(t, fmt.pct_of(t, 0), t == 0.5) for t in (0.0, 0.5, 1.0)])
    runs, run, dots = [], [], []
    for i, v in enumerate(share.values):
        if v is None:
            runs, run = runs + [run], []
            continue
        x, y = round(axis.x(i), 1), round(axis.y(v), 1)
        run.append(f"{x},{y}")
        dots.append((x, y, share.colours[i]))
    lines = tuple((" ".join(r), style.HIGHLIGHT) for r in [*runs, run] if len(r) > 1)
    return Plot(chart_id, label, rules=rules, ticks=ticks, categories=axis.labels(categories), lines=lines,
                dots=tuple(dots))  # fmt: skip
