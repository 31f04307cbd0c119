"""Compare checkouts of the app in Chromium: page loads and filter changes, alternated within rounds.

`make bench` measures one version against the floor and the peer; this answers "is this change faster
than what it replaces?". Give it two or more checkouts (e.g. `git worktree add /tmp/before HEAD~1`);
each round starts a server for each of them and for the floor, then measures them in turn, in the
same way `run.py` does (a new tab per page, one untimed load, then timed loads; filter changes through
the tour of new values and back through the seen ones). The machine's speed drifts from minute to
minute here, so compare only checkouts measured in the same run, over several rounds.

    .venv/bin/python bench/ab.py --roots /tmp/before,. --pages overview,human-cost --loads 4 --rounds 5
    .venv/bin/python bench/ab.py --roots /tmp/before,. --pages overview,misconduct --filter --rounds 4

Prints, per checkout and page, the median and quartiles of each figure (ms).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as bench  # noqa: E402 — bench/run.py, next to this file


def measure(roots: list[Path], db: Path, pages: list[str], loads: int, filters: bool, rounds: int,
            log_dir: Path, browser=None) -> dict[tuple[str, str, str], list[float]]:
    """{(checkout, page, figure): values}; the floor is reported as checkout "floor" (first page only).

    Measures in `browser` (a Playwright Chromium) when given — a process may run only one sync
    Playwright at a time — else in a headless Chromium of its own."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            own = pw.chromium.launch(executable_path=bench.CHROMIUM, headless=True, args=bench.CHROMIUM_ARGS)
            try:
                return measure(roots, db, pages, loads, filters, rounds, log_dir, own)
            finally:
                own.close()
    rendered = bench.rendered_js()
    out: dict[tuple[str, str, str], list[float]] = {}
    for r in range(rounds):
        servers = [(str(root), bench.Server(root / "serve.py", {"EXONERATIONS_DB": str(db)},
                                            log_dir / f"server-ab-{i}.log", cwd=root))
                   for i, root in enumerate(roots)]
        servers.append(("floor", bench.Server(bench.FLOOR_APP, {}, log_dir / "server-ab-floor.log")))
        try:
            for name, server in servers if r % 2 == 0 else servers[::-1]:
                for page in pages[:1] if name == "floor" else pages:
                    url = server.url + ("/" if name == "floor" or page == "overview" else f"/{page}")
                    if loads:
                        ctx, tab = bench.new_tab(browser)
                        try:
                            bench.browser_load(tab, url, rendered)
                            bench.browser_load(tab, url, rendered)
                            out.setdefault((name, page, "load"), []).extend(
                                bench.browser_load(tab, url, rendered) for _ in range(loads))
                        finally:
                            ctx.close()
                    if filters:
                        ctx, tab = bench.new_tab(browser)
                        try:
                            new, seen = bench.browser_filter(tab, url, len(bench.FILTER_TOUR), rendered)
                            if new.error:
                                bench.log(f"{name} {page}: {new.error}")
                            out.setdefault((name, page, "filter, new values"), []).extend(new.values)
                            out.setdefault((name, page, "filter, seen"), []).extend(seen.values)
                        finally:
                            ctx.close()
        finally:
            for _, server in servers:
                server.stop()
        bench.log(f"ab: round {r + 1} of {rounds} done")
    return out


def table(results: dict[tuple[str, str, str], list[float]]) -> str:
    lines = ["| Checkout | Page | Figure | Median (ms) | Quartiles | n |", "|---|---|---|---|---|---|"]
    for (name, page, figure), values in results.items():
        if not values:
            continue
        q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
        lines.append(f"| {name} | {page} | {figure} | {statistics.median(values):,.0f} | "
                     f"{q[0]:,.0f}–{q[2]:,.0f} | {len(values)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--roots", required=True, help="checkouts to compare, comma-separated")
    ap.add_argument("--db", help="the database to serve (default: the full export imported, else the demo)")
    ap.add_argument("--pages", default="overview", help="url paths, comma-separated (overview is the root)")
    ap.add_argument("--loads", type=int, default=4, help="timed page loads per page and round (0: none)")
    ap.add_argument("--filter", action="store_true", help="also time filter changes on each page")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args(argv)
    roots = [Path(r).resolve() for r in a.roots.split(",")]
    for root in roots:
        if not (root / "serve.py").is_file():
            ap.error(f"{root} is not a checkout of this app (no serve.py)")
    with tempfile.TemporaryDirectory(prefix="exonerations-ab-") as tmp:
        db = Path(a.db) if a.db else Path(tmp) / "app.duckdb"
        if not a.db:
            if bench.FULL_EXPORT.is_file():
                bench.import_db(bench.FULL_EXPORT, db)
            else:
                bench.build_demo(1, db)
        bench.RESULTS.mkdir(parents=True, exist_ok=True)
        results = measure(roots, db, a.pages.split(","), a.loads, a.filter, a.rounds, bench.RESULTS)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
