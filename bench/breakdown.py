"""Where a page's warm rerun goes: the same AppTest warm reruns as `bench/run.py`, with timers around
the parts a page is made of, each counted exclusively (a part's time excludes the other timed parts it
calls), in ms per rerun:

  figures      building Plotly figures (every function of exonerations.charts and exonerations.usmap)
  plotly_chart st.plotly_chart (Streamlit serialising the figure; a chart replayed from the cache
               does not call it)
  csv          exonerations.exports (CSV/XLSX/PPTX bytes for download buttons, built on every rerun)
  download     st.download_button itself (hashing/storing the bytes)
  dataframe    st.dataframe / st.table (Arrow serialisation; a table replayed from the cache does not
               call it)
  queries      cached query and stats look-ups (ui.query, ui._query, ui._stats: keying the arguments
               and copying the cached result), ui.figure (keying a chart by its data), plus any uncached
               registry call (Registry.query/warnings)
  sidebar      the rest of ui.sidebar_filters (widgets, URL sync)
  other        everything else: the page's own code, other Streamlit elements, the script runner, AppTest

Run: `.venv/bin/python bench/breakdown.py --db /tmp/x.duckdb [--pages overview,geography] [--runs 10]`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import inspect
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import run as bench  # noqa: E402 — bench/run.py, next to this file

CATEGORIES = ["figures", "plotly_chart", "csv", "download", "dataframe", "queries", "sidebar", "other"]


class Timers:
    """Exclusive time per category: a nested timed call's time is taken out of its caller's."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self._stack: list[float] = []

    def wrap(self, category: str, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            self._stack.append(0.0)
            try:
                return fn(*args, **kwargs)
            finally:
                inner = self._stack.pop()
                elapsed = time.perf_counter() - t0
                self.totals[category] += elapsed - inner
                if self._stack:
                    self._stack[-1] += elapsed

        return timed


@contextlib.contextmanager
def instrumented(timers: Timers) -> Iterator[None]:
    import streamlit as st
    from streamlit.elements import arrow, plotly_chart, table
    from streamlit.elements.widgets import button

    from exonerations import charts, db, exports, ui, usmap

    patches: list[tuple[object, str, object]] = []

    def patch(owner, name: str, category: str) -> None:
        original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
        patches.append((owner, name, original))
        setattr(owner, name, timers.wrap(category, original))

    for module, category in ((charts, "figures"), (usmap, "figures"), (exports, "csv")):
        for name, fn in list(vars(module).items()):
            if inspect.isfunction(fn) and fn.__module__ == module.__name__:
                patch(module, name, category)
    patch(plotly_chart.PlotlyMixin, "plotly_chart", "plotly_chart")
    patch(st, "plotly_chart", "plotly_chart")
    patch(button.ButtonMixin, "download_button", "download")
    patch(st, "download_button", "download")
    patch(arrow.ArrowMixin, "dataframe", "dataframe")
    patch(table.TableMixin, "table", "dataframe")
    patch(st, "dataframe", "dataframe")
    patch(st, "table", "dataframe")
    for name in ("query", "_query", "_stats", "figure"):
        patch(ui, name, "queries")
    patch(db.Registry, "query", "queries")
    patch(db.Registry, "warnings", "queries")
    patch(ui, "sidebar_filters", "sidebar")
    try:
        yield
    finally:
        for owner, name, original in reversed(patches):
            setattr(owner, name, original)


def breakdown(db_path: Path, pages: list[bench.Page], runs: int) -> dict[str, dict[str, float]]:
    """ms per warm rerun of each page, by category, and "total": the mean wall time of a rerun."""
    out: dict[str, dict[str, float]] = {}
    for page in pages:
        timers = Timers()
        walls: list[float] = []

        def measure(p, s, walls=walls):
            walls.extend(s.values)

        res = bench.apptest_reruns(
            bench.APP,
            {"EXONERATIONS_DB": str(db_path)},
            [page],
            runs,
            on_page=measure,
            around_timed=lambda timers=timers: instrumented(timers),
        )
        s = res[page.url]
        if s.error:
            out[page.title] = {"error": s.error}
            continue
        row = {c: 1000 * timers.totals.get(c, 0.0) / runs for c in CATEGORIES if c != "other"}
        total = sum(walls) / len(walls)
        row["other"] = max(0.0, total - sum(row.values()))
        row["total"] = total
        out[page.title] = row
    return out


def render(result: dict[str, dict[str, float]], title: str) -> str:
    cols = ["total", *CATEGORIES]
    lines = [f"### {title}", "", "| Page | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for page, row in result.items():
        if "error" in row:
            lines.append(f"| {page} | error: {row['error']} |" + " |" * (len(cols) - 1))
            continue
        lines.append(f"| {page} | " + " | ".join(f"{row[c]:.1f}" for c in cols) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", type=Path, required=True, help="the database to run the app on")
    p.add_argument("--pages", help="comma-separated url paths or titles (default: every page)")
    p.add_argument("--runs", type=int, default=10)
    a = p.parse_args(argv)
    pages = bench.select_pages(bench.discover_pages(), a.pages)
    print(render(breakdown(a.db, pages, a.runs), f"Warm rerun by part (ms per rerun) — {a.db.name}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
