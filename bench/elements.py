"""What each kind of page element costs in the browser: page load and filter change, in headless
Chromium, for the floor page plus `n` copies of one kind (bench/element_app.py), printed as "this page
− the floor" and per element. It answers where a page's time above the floor goes — a chart, a table,
a row of metrics, the open filter panel — when `make bench` shows a page above its target.

Variants are run in turn within each round (the order reversed every other round), so a change in the
machine's speed moves them alike. Every figure is a median.

Run: `.venv/bin/python bench/elements.py [--rounds 3] [--variants chart:3,dataframe:2,none+panel]`.
A variant is `kind[:n][+panel]`; kinds are listed in bench/element_app.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402 — bench/run.py, next to this file

ELEMENT_APP = bench.BENCH / "element_app.py"
ELEMENT_SERVE = bench.BENCH / "element_serve.py"  # element_app.py with the chart library's route
DEFAULT_VARIANTS = ("none", "chart:3", "st_chart:3", "dataframe:2", "metric:8", "markdown:10", "caption:10", "below_chart:3",
                    "none+panel", "chart:3+panel")
LOADS_PER_ROUND = 3
CHANGES_PER_ROUND = 6


@dataclass(frozen=True)
class Variant:
    kind: str
    n: int
    panel: bool

    @classmethod
    def parse(cls, text: str) -> Variant:
        spec, _, extra = text.strip().partition("+")
        kind, _, n = spec.partition(":")
        if extra not in ("", "panel"):
            raise ValueError(f"bad variant {text!r}: the only addition is '+panel'")
        return cls(kind, int(n) if n else (0 if kind == "none" else 1), extra == "panel")

    @property
    def query(self) -> str:
        return f"?kind={self.kind}&n={self.n}" + ("&panel=1" if self.panel else "")

    @property
    def name(self) -> str:
        what = "floor only" if self.kind == "none" else f"{self.n} × {self.kind}"
        return what + (", filter panel open" if self.panel else "")

    @property
    def base(self) -> Variant:
        """The page it is compared with: the floor, with the filter panel when this one has it
        (the panel alone is compared with the bare floor)."""
        if self.kind == "none":
            return Variant("none", 0, False)
        return Variant("none", 0, self.panel)


@dataclass
class Result:
    loads: list[float] = field(default_factory=list)
    changes: list[float] = field(default_factory=list)

    def median(self, what: str) -> float | None:
        values = getattr(self, what)
        return statistics.median(values) if values else None


def measure(variants: list[Variant], rounds: int, log_dir: Path) -> dict[Variant, Result]:
    from playwright.sync_api import sync_playwright

    rendered = bench.rendered_js()
    results = {v: Result() for v in variants}
    server = bench.Server(ELEMENT_SERVE, {}, log_dir / "server-elements.log")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=bench.CHROMIUM, headless=True, args=bench.CHROMIUM_ARGS)
            for r in range(rounds):
                for v in variants if r % 2 == 0 else variants[::-1]:
                    ctx, page = bench.new_tab(browser)
                    try:
                        url = server.url + "/" + v.query
                        bench.browser_load(page, url, rendered)  # untimed: the browser warmed up
                        for _ in range(LOADS_PER_ROUND):
                            results[v].loads.append(bench.browser_load(page, url, rendered))
                        error = bench._page_error(page)
                        if error:
                            raise RuntimeError(f"{v.name}: {error}")
                        changes = bench.Sample()
                        for label, value in bench.FILTER_TOUR[:CHANGES_PER_ROUND]:
                            bench._pick(page, label, value, rendered, changes)
                        results[v].changes += changes.values
                    finally:
                        ctx.close()
                bench.log(f"elements: round {r + 1} of {rounds} done")
            browser.close()
    finally:
        server.stop()
    return results


def table(results: dict[Variant, Result]) -> str:
    def cell(v: float | None) -> str:
        return "" if v is None else f"{v:,.0f}"

    def delta(v: float | None, per: int = 1) -> str:
        return "" if v is None else f"{v / per:+,.0f}"

    lines = ["| Page | Load (ms) | Load − base | per element | Filter change (ms) | Change − base | per element |",
             "|---|---|---|---|---|---|---|"]
    for v, res in results.items():
        row = [v.name, cell(res.median("loads")), "", "", cell(res.median("changes")), "", ""]
        base = results.get(v.base)
        if base is not None and v != v.base:
            per = v.n if v.kind != "none" else 1
            for col, what in ((2, "loads"), (5, "changes")):
                a, b = res.median(what), base.median(what)
                if a is not None and b is not None:
                    row[col] = delta(a - b)
                    row[col + 1] = delta(a - b, per) if v.kind != "none" else ""
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rounds", type=int, default=3, help="rounds over every variant (default: 3)")
    p.add_argument("--variants", default=",".join(DEFAULT_VARIANTS),
                   help="comma-separated kind[:n][+panel] (default: %(default)s)")
    p.add_argument("--out", type=Path, default=bench.RESULTS / "elements.md", help="markdown output (default: %(default)s)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        variants = [Variant.parse(t) for t in args.variants.split(",") if t.strip()]
    except ValueError as e:
        print(f"elements: {e}", file=sys.stderr)
        return 2
    for v in {v.base for v in variants} - set(variants):
        variants.insert(0, v)  # every variant's base is measured too
    if not Path(bench.CHROMIUM).exists():
        print(f"elements: no Chromium at {bench.CHROMIUM}: install it with `apt-get install -y chromium`.", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results = measure(variants, args.rounds, args.out.parent)  # the server's log goes next to the table
    text = "\n".join([
        f"Element costs, {args.rounds} rounds ({LOADS_PER_ROUND} loads and {CHANGES_PER_ROUND} filter changes "
        "per variant per round); medians. Base: the floor page (with the filter panel for the '+ panel' rows).",
        *bench.machine_info(),
        "",
        table(results),
        "",
    ])
    print(text)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
