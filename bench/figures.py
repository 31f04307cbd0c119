"""Each row of the table, measured: the import, the warm reruns, and the browser figures (page loads,
filter changes, server memory) with the floor and the peer measured alongside."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from bench import browser, reruns
from bench.common import APP, FLOOR_APP, PEER_APP, Measure, log
from bench.data import Database
from bench.servers import Server
from bench.table import Figure, Target, cell

RERUN_TARGETS = {1: Target(30), 100: Target(250)}  # ms
LOAD_TARGET = Target(300, above_floor=True)  # ms, every page at 1×
FILTER_TARGET = Target(200, above_floor=True)  # ms, at 1×
FILTER_PAGES = {"overview": False, "misconduct": True}  # url path: tick the pre-1989 box first


@dataclass(frozen=True)
class Counts:
    imports: int
    reruns: int
    loads: int
    steps: int  # filter changes per page


FULL = Counts(imports=5, reruns=10, loads=5, steps=8)
QUICK = Counts(imports=1, reruns=3, loads=1, steps=2)


def x(scale: float) -> str:
    return f"{scale:g}×"


def rerun_figure(db: Database, pages, n: Counts, floor: Measure) -> Figure:
    """The busiest page's warm rerun at one scale, beside the floor's and the peer's."""
    log(f"warm reruns at {x(db.scale)}")
    per_page = reruns.page_reruns(db.path, pages, n.reruns)
    peer = reruns.script_reruns(PEER_APP, n.reruns, PEER_CSV=str(db.csv))
    ran = {title: m for title, m in per_page.items() if m.median is not None}
    failed = [f"Warm rerun of {title} at {x(db.scale)}: {m.error}" for title, m in per_page.items() if m.error]
    busiest = max(ran, key=lambda t: ran[t].median) if ran else None
    app = ran[busiest] if busiest else Measure(error="no page ran")
    label = busiest or "no page ran"
    if failed:
        label += f"; {len(failed)} page{'s' if len(failed) > 1 else ''} failed"
    fig = Figure(
        f"Warm rerun, busiest page ({label}), {x(db.scale)}", "ms", app, floor, peer, RERUN_TARGETS.get(db.scale)
    )
    each = ", ".join(f"{title} {cell(m, 'ms')}" for title, m in per_page.items())
    fig.notes.append(f"Warm rerun of each page at {x(db.scale)} (ms): {each}.")
    fig.failures += failed
    return fig


def mb(value: float | None) -> Measure:
    return Measure([value]) if value else Measure(error="no reading of /proc")


def path_note(loads: list[Figure], pages) -> list[str]:
    """Why the floor is opened at each page's path, and what that costs it (the floor at / against it)."""
    floors = [(page_url("", p) == "/", f.floor.median) for f, p in zip(loads, pages, strict=True)]
    at_root = [ms for root, ms in floors if root and ms is not None]
    at_path = [ms for root, ms in floors if not root and ms is not None]
    if not (at_root and at_path):
        return []
    return [
        "The floor is opened at the page's own path (/geography …): opened there, any Streamlit page first asks "
        "for <path>/_stcore/health, is refused, waits 100 ms and connects at the root. The floor at / loads in "
        f"{statistics.median(at_root):,.0f} ms, at a page's path in {statistics.median(at_path):,.0f} ms (medians, this run)."
    ]


def page_url(base: str, page) -> str:
    from exonerations import pages as app_pages

    return f"{base}/" if page == app_pages.DEFAULT else f"{base}/{page.url_path}"


@dataclass
class Browser:
    """The browser figures of one run; `run` fills them scale by scale."""

    loads: list[Figure]
    filters: list[Figure]
    memory: list[Figure]
    version: str = ""  # Chromium's

    @classmethod
    def run(cls, dbs: dict[float, Database], pages, n: Counts, logs: Path) -> Browser:
        out = cls([], [], [])
        with browser.chromium() as chromium, Server(FLOOR_APP, logs / "floor.log") as floor:
            out.version = chromium.version
            for db in dbs.values():
                out.scale(chromium, floor, db, pages, n, logs)
        return out

    def scale(self, chromium, floor: Server, db: Database, pages, n: Counts, logs: Path) -> None:
        name = x(db.scale)
        app_log, peer_log = logs / f"app-{db.scale:g}.log", logs / f"peer-{db.scale:g}.log"
        with (
            Server(APP, app_log, EXONERATIONS_DB=str(db.path)) as app,
            Server(PEER_APP, peer_log, PEER_CSV=str(db.csv)) as peer,
        ):
            if db.scale == 1:
                self.page_loads(chromium, app, floor, peer, pages, n)
            for page in [p for p in pages if p.url_path in FILTER_PAGES]:
                log(f"filter changes on {page.title} at {name}")
                tick = FILTER_PAGES[page.url_path]
                m = browser.filter_changes(chromium, page_url(app.url, page), n.steps, tick_first=tick)
                floor_m = browser.filter_changes(chromium, floor.url, n.steps)
                peer_m = browser.filter_changes(chromium, peer.url, n.steps)
                target = FILTER_TARGET if db.scale == 1 else None
                self.filters.append(Figure(f"Filter change, {page.title}, {name}", "ms", m, floor_m, peer_m, target))
        self.memory.append(
            Figure(f"Peak server RSS, {name}", "MB", mb(app.peak_mb), mb(floor.rss_hwm_mb()), mb(peer.peak_mb))
        )

    def page_loads(self, chromium, app: Server, floor: Server, peer: Server, pages, n: Counts) -> None:
        log("peer page loads")
        peer_m, _ = browser.page_loads(chromium, peer.url, None, n.loads)
        for page in pages:
            log(f"page loads of {page.title}")
            # The floor at the page's own path: Streamlit's client pays a probe there that it skips at /.
            m, floor_m = browser.page_loads(chromium, page_url(app.url, page), page_url(floor.url, page), n.loads)
            self.loads.append(Figure(f"Page load, {page.title}, 1×", "ms", m, floor_m, peer_m, LOAD_TARGET))
        self.loads[-1].notes += path_note(self.loads, pages)
