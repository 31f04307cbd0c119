"""`python -m bench`: measure, print the table, write docs/performance.md.

Progress goes to stderr, the table and its notes to stdout. Exit status 1 when a figure could not be
measured (a page that fails, a server that does not start), 0 otherwise — whatever the targets say.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench import browser, data, reruns, table
from bench.common import FLOOR_APP, FULL_EXPORT, PERFORMANCE_MD, Measure, log
from bench.figures import FULL, QUICK, Browser, Counts, rerun_figure, x
from bench.table import Figure, Target


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description="The performance table of the app.")
    p.add_argument("--quick", action="store_true", help="few runs of each figure (the smoke test)")
    p.add_argument("--scales", default="1,100", help="scales to measure, comma-separated (default 1,100)")
    p.add_argument(
        "--no-browser",
        dest="browser",
        action="store_false",
        help="leave out what needs Chromium: page loads, filter changes, server memory",
    )
    p.add_argument("--pages", help="pages by URL path or title, comma-separated (default: every page)")
    p.add_argument("--export", type=Path, default=FULL_EXPORT, help="the registry export (default: %(default)s)")
    p.add_argument("--out", type=Path, default=PERFORMANCE_MD, help="where the document goes (default: %(default)s)")
    args = p.parse_args(argv)
    try:
        args.scales = sorted({float(s) for s in args.scales.split(",")})
    except ValueError:
        p.error(f"--scales wants numbers, e.g. 1,100, not {args.scales!r}")
    if any(s <= 0 or s > 200 for s in args.scales):
        p.error("--scales: each between 0 and 200")
    return args


def select_pages(wanted: str | None) -> list:
    """Pages of `exonerations.pages.PAGES`, all or those named by URL path or title."""
    from exonerations.pages import PAGES

    if not wanted:
        return list(PAGES)
    keys = {k.strip().lower() for k in wanted.split(",")}
    chosen = [p for p in PAGES if p.url_path in keys or p.title.lower() in keys]
    if not chosen:
        raise SystemExit(f"--pages {wanted!r} names none of: {', '.join(p.url_path for p in PAGES)}")
    return chosen


def measure(args: argparse.Namespace, work: Path, info: dict[str, str]) -> tuple[list[Figure], list[str]]:
    n: Counts = QUICK if args.quick else FULL
    pages = select_pages(args.pages)
    log("timing the import")
    figures = [
        Figure("Import of the full export", "s", data.time_import(args.export, n.imports, work), target=Target(1.0))
    ]
    dbs = {}
    for s in args.scales:
        try:
            dbs[s] = data.build(s, args.export, work)
        except RuntimeError as e:  # the scale's rows say why; the other scales are measured
            figures.append(Figure(f"Warm rerun, busiest page, {x(s)}", "ms", Measure(error=f"no database: {e}")))
    empty = reruns.empty_page(n.reruns)
    floor = reruns.script_reruns(FLOOR_APP, n.reruns)
    figures += [rerun_figure(db, pages, n, floor) for db in dbs.values()]
    notes = [f"{x(s)} is {db.label}: {db.cases:,} cases." for s, db in dbs.items()]
    notes.append(
        f"AppTest's own cost of a run (an empty page): {table.cell(empty, 'ms')} ms; it is inside every "
        "warm-rerun figure (the app's, the floor's and the peer's)."
    )
    if not args.browser:
        notes.append("Page loads, filter changes and server memory need Chromium: not measured (--no-browser).")
    elif not Path(browser.CHROMIUM).exists():
        notes.append(f"Page loads, filter changes and server memory: no Chromium at {browser.CHROMIUM}.")
    else:
        try:
            b = Browser.run(dbs, pages, n, work)
            figures += b.loads + b.filters + b.memory
            info["browser"] = f"Chromium {b.version} (headless)"
        except Exception as e:  # noqa: BLE001 — a server that did not start: the rest of the table stands
            figures.append(Figure("Browser figures", "ms", Measure(error=f"{type(e).__name__}: {e}")))
    return figures, notes


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = table.machine()
    log(f"load average {info['load']}; {'quick' if args.quick else 'full'} run at {', '.join(map(x, args.scales))}")
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        figures, notes = measure(args, Path(tmp), info)
    info["busy"] = table.busy(info["load"])
    info["load_end"] = table.load_average()
    text = table.render(figures)
    notes = [*notes, *table.problems(figures)]
    print(text + "\n\n" + "\n".join(f"- {line}" for line in notes))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table.document(text, notes, info), encoding="utf-8")
    log(f"wrote {args.out}")
    return 1 if any(f.failed() for f in figures) else 0
