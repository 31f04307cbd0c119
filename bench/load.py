"""Load test without browsers: N sessions speak Streamlit's websocket protocol to one app server.

    python bench/load.py --url http://127.0.0.1:8620 --sessions 100 --seconds 30 --json

Each session connects to `/_stcore/stream` (subprotocol "streamlit", as the frontend does), asks for
its page's script run (sessions are spread over the app's pages, or over --pages), opens the
sidebar's two filter panels, "State and crime" and "Filters" (a widget state change of their keys),
then every few seconds changes one sidebar filter — "DNA exoneration", "Death sentence", the year range or the state — to a
value picked at random, so that most combinations are new to the server's caches. A change is a
`rerun_script` message carrying the session's widget states with the changed one, as the browser
sends it; its time runs from sending it to the server's `script_finished`. Widget ids come from the
elements of the previous run.

Prints one JSON object (--json) or a short summary: sessions, runs (completed script runs), changes,
errors (exceptions shown by the app, page not found, runs that did not finish in --timeout, connections
lost for good), reconnects (a session whose connection the server closed — a process stopped behind a
balancer — connects again and reopens its page from its URL, as Streamlit's frontend does, up to 3
times), p50/p95 of the filter changes, the server's CPU seconds and peak RSS (from /proc; the server
process is the one listening on the URL's port, or --pid). Exits 1 if there was an error.

Only loopback addresses are accepted. Each session makes at most a bounded number of changes and
stops --seconds after its page opened; the whole run is cut off at --ramp + --seconds + 3 × --timeout
+ 30 s.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosedError

PANELS = ("State and crime", "Filters")  # the sidebar expanders that draw the filter widgets while open
FILTER_LABELS = ("DNA exoneration", "Death sentence", "Year of exoneration", "State or jurisdiction")
WIDGET_KINDS = ("selectbox", "slider", "multiselect")
EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
RECONNECTS = 3  # times a session connects again after the server closed its connection


# ---------------------------------------------------------------------------------------------
# What the server sent during one script run


@dataclass
class Widget:
    id: str
    kind: str  # one of WIDGET_KINDS
    options: list[str]
    bounds: tuple[int, int] = (0, 0)  # a slider's range
    default: str = ""  # a selectbox's default option


@dataclass
class Run:
    status: int | None = None  # script_finished, once it came
    widgets: dict[str, Widget] = field(default_factory=dict)  # by label
    panel_ids: list[str] = field(default_factory=list)
    page_hash: str = ""
    pages: list[tuple[str, str, bool]] = field(default_factory=list)  # (url path, title, is default)
    query_string: str | None = None
    problems: list[str] = field(default_factory=list)


def read_element(element, run: Run) -> None:
    kind = element.WhichOneof("type")
    if kind == "exception" and not element.exception.is_warning:
        run.problems.append(f"exception: {element.exception.type}: {element.exception.message[:160]}")
    if kind not in WIDGET_KINDS:
        return
    w = getattr(element, kind)
    widget = Widget(w.id, kind, list(w.options))
    if kind == "slider" and not w.options:
        widget.bounds = (int(w.min), int(w.max))
    if kind == "selectbox" and w.HasField("default") and w.options:
        widget.default = w.options[w.default]
    run.widgets[w.label] = widget


def read_delta(delta, run: Run) -> None:
    if delta.WhichOneof("type") == "new_element":
        read_element(delta.new_element, run)
    elif delta.WhichOneof("type") == "add_block" and delta.add_block.WhichOneof("type") == "expandable":
        if delta.add_block.expandable.label in PANELS:
            run.panel_ids.append(delta.add_block.expandable.id)


def read_message(msg: ForwardMsg, run: Run) -> None:
    kind = msg.WhichOneof("type")
    if kind == "delta":
        read_delta(msg.delta, run)
    elif kind == "navigation":
        run.page_hash = msg.navigation.page_script_hash
        run.pages = [(p.url_pathname, p.page_name, p.is_default) for p in msg.navigation.app_pages]
    elif kind == "page_info_changed":
        run.query_string = msg.page_info_changed.query_string
    elif kind == "page_not_found":
        run.problems.append(f"page not found: {msg.page_not_found.page_name!r}")
    elif kind == "script_finished":
        if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            run.problems.append("script compile error")
        if msg.script_finished != EARLY:
            run.status = msg.script_finished


# ---------------------------------------------------------------------------------------------
# One session


@dataclass
class Stats:
    runs: int = 0
    opens: list[float] = field(default_factory=list)  # ms, a page's first run
    changes: list[float] = field(default_factory=list)  # ms, filter change to run finished
    first_seen: int = 0  # changes to a filter combination no session had asked for before
    errors: list[str] = field(default_factory=list)
    seen: set = field(default_factory=set)
    reconnects: int = 0  # connections made again after the server closed one


class Session:
    """A browser tab's conversation with the server, without the browser."""

    def __init__(self, n: int, page: str, stats: Stats, timeout: float, think: float):
        self.n, self.page, self.stats, self.timeout, self.think = n, page, stats, timeout, think
        self.rnd = random.Random(n)
        self.states: dict[str, WidgetState] = {}  # the widget states the browser would send
        self.page_hash = ""
        self.query_string = ""
        self.deadline: float | None = None  # when the session stops changing filters
        self.made = 0  # changes made

    async def rerun(self, ws) -> tuple[Run, float]:
        """Send `rerun_script` with the current widget states; read until the run finished."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        if self.page_hash:
            cs.page_script_hash = self.page_hash
        else:
            cs.page_name = self.page  # the first run: the page is named by its URL path
        cs.widget_states.widgets.extend(self.states.values())
        cs.context_info.timezone = "UTC"
        cs.context_info.locale = "en-US"
        run = Run()
        t0 = time.perf_counter()
        await ws.send(msg.SerializeToString())
        async with asyncio.timeout(self.timeout):
            while run.status is None:
                read_message(ForwardMsg.FromString(await ws.recv()), run)
        ms = (time.perf_counter() - t0) * 1000
        self.after(run)
        return run, ms

    def after(self, run: Run) -> None:
        """Keep what the browser keeps: the page, the URL's query string, the states of widgets still shown."""
        self.stats.runs += 1
        self.page_hash = run.page_hash or self.page_hash
        if run.query_string is not None:
            self.query_string = run.query_string
        shown = {w.id for w in run.widgets.values()} | set(run.panel_ids)
        self.states = {k: v for k, v in self.states.items() if k in shown}
        for problem in run.problems:
            self.stats.errors.append(f"session {self.n} on /{self.page}: {problem}")

    def change(self, run: Run) -> WidgetState | None:
        """A new value for one of the sidebar filters shown in `run`."""
        widgets = [run.widgets[label] for label in FILTER_LABELS if label in run.widgets]
        if not widgets:
            return None
        w = self.rnd.choice(widgets)
        state = WidgetState(id=w.id)
        old = self.states.get(w.id)
        if w.kind == "selectbox":
            current = old.string_value if old else w.default
            state.string_value = self.rnd.choice([o for o in w.options if o != current] or w.options)
        elif w.kind == "slider":
            lo, hi = w.bounds
            a = self.rnd.randint(lo, hi)
            state.double_array_value.data.extend([a, self.rnd.randint(a, hi)])
        else:
            state.string_array_value.data.extend(self.rnd.sample(w.options, 1) if self.rnd.random() < 0.8 else [])
        return state

    def combination(self) -> tuple:
        return (self.page, *sorted((k, v.SerializeToString()) for k, v in self.states.items()))

    async def open(self, ws) -> Run:
        run, ms = await self.rerun(ws)
        self.stats.opens.append(ms)
        if run.panel_ids:  # open the filter panels, as a reader does before changing a filter
            for panel in run.panel_ids:
                self.states[panel] = WidgetState(id=panel, bool_value=True)
            run, _ = await self.rerun(ws)
        return run

    async def work(self, ws, seconds: float, max_changes: int) -> None:
        """Open the page (again, after a reconnection: with the URL's query string, as a browser's page
        comes back), then change filters until the session's window ends."""
        run = await self.open(ws)
        if self.deadline is None:
            self.deadline = time.monotonic() + seconds  # the window starts once the page first opened
        while self.made < max_changes:
            pause = self.think * self.rnd.uniform(0.5, 1.5)
            state = self.change(run)
            if time.monotonic() + pause >= self.deadline or state is None:
                break
            await asyncio.sleep(pause)
            self.states[state.id] = state
            combination = self.combination()
            run, ms = await self.rerun(ws)
            self.made += 1
            self.stats.changes.append(ms)
            if combination not in self.stats.seen:
                self.stats.seen.add(combination)
                self.stats.first_seen += 1

    async def main(self, url: str, seconds: float, max_changes: int) -> None:
        """The session's conversation; when the server closes the connection (a process stopped behind a
        balancer), it connects again, as Streamlit's frontend does, up to RECONNECTS times."""
        for attempt in range(RECONNECTS + 1):
            try:
                async with connect(
                    stream_url(url),
                    subprotocols=["streamlit"],
                    max_size=None,
                    origin=origin(url),
                    open_timeout=self.timeout,
                    ping_interval=None,  # a browser sends no pings of its own (the server's are answered)
                ) as ws:
                    if attempt:
                        self.stats.reconnects += 1
                        self.states = {}  # a new server session: widget states start from the URL again
                        self.page_hash = ""
                    await self.work(ws, seconds, max_changes)
                return
            except ConnectionClosedError as e:
                if attempt == RECONNECTS:
                    self.stats.errors.append(f"session {self.n} on /{self.page}: connection lost: {str(e)[:120]}")
                else:
                    await asyncio.sleep(1 + attempt)
            except TimeoutError:
                self.stats.errors.append(f"session {self.n} on /{self.page}: no run finished within {self.timeout:g} s")
                return
            except Exception as e:  # noqa: BLE001 — a refused connection is an error of the run
                self.stats.errors.append(f"session {self.n} on /{self.page}: {type(e).__name__}: {str(e)[:160]}")
                return


# ---------------------------------------------------------------------------------------------
# The server process, from /proc


def listening_pid(port: int) -> int | None:
    """The process with a socket listening on `port` (this machine's /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for parts in (line.split() for line in lines):
            if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{parts[9]}]")
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and inodes and _holds(proc, inodes):
            return int(proc.name)
    return None


def _holds(proc: Path, inodes: set[str]) -> bool:
    try:
        return any(os.readlink(fd) in inodes for fd in (proc / "fd").iterdir())
    except OSError:
        return False


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def rss_mb(pid: int, key: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


async def sample_rss(pid: int, peak: list[float]) -> None:
    while True:
        peak[0] = max(peak[0], rss_mb(pid))
        await asyncio.sleep(0.2)


# ---------------------------------------------------------------------------------------------
# The run


def check_url(url: str) -> str:
    """The URL without a trailing slash; SystemExit unless its host is a loopback address."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if parts.scheme not in ("http", "ws") or not loopback or not parts.port:
        raise SystemExit(f"error: --url must be http://127.0.0.1:PORT (a loopback address), not {url!r}")
    return url.rstrip("/")


def stream_url(url: str) -> str:
    parts = urlsplit(url)
    return f"ws://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"


def origin(url: str) -> str:
    return f"http://{urlsplit(url).netloc}"


async def app_pages(url: str, timeout: float) -> list[tuple[str, str, bool]]:
    """The app's pages (url path, title, is default), from the navigation of one script run."""
    probe = Session(-1, "", Stats(), timeout, 0)
    async with connect(
        stream_url(url), subprotocols=["streamlit"], max_size=None, origin=origin(url), ping_interval=None
    ) as ws:
        run, _ = await probe.rerun(ws)
    return run.pages or [("", "", True)]


def choose_pages(pages: list[tuple[str, str, bool]], wanted: str | None) -> list[str]:
    """URL paths of the pages the sessions open; `wanted` names some by URL path or title."""
    if not wanted:
        return [path for path, _, _ in pages]
    keys = {k.strip().lower() for k in wanted.split(",")}
    chosen = [
        path
        for path, title, default in pages
        if path.lower() in keys or title.lower() in keys or (default and "" in keys)
    ]
    if not chosen:
        raise SystemExit(f"error: --pages {wanted!r} names none of: {', '.join(p or '/' for p, _, _ in pages)}")
    return chosen


async def drive(args: argparse.Namespace, pid: int | None) -> tuple[Stats, dict]:
    pages = choose_pages(await app_pages(args.url, args.timeout), args.pages)
    stats = Stats()
    max_changes = int(args.seconds / (args.think * 0.5)) + 1
    sessions = [Session(i, pages[i % len(pages)], stats, args.timeout, args.think) for i in range(args.sessions)]
    peak = [0.0]
    sampler = asyncio.create_task(sample_rss(pid, peak)) if pid else None
    cpu0, t0 = (cpu_seconds(pid) if pid else 0.0), time.monotonic()

    async def arrive(s: Session) -> None:
        await asyncio.sleep(s.n * args.ramp / max(1, args.sessions))
        await s.main(args.url, args.seconds, max_changes)

    await asyncio.gather(*(arrive(s) for s in sessions))
    if sampler:
        sampler.cancel()
    server = {"pages": pages, "wall_s": round(time.monotonic() - t0, 1)}
    if pid:
        server |= {
            "server_pid": pid,
            "server_cpu_s": round(cpu_seconds(pid) - cpu0, 1),
            "peak_rss_mb": round(max(peak[0], rss_mb(pid)), 1),
            "rss_hwm_mb": round(rss_mb(pid, "VmHWM"), 1),
        }
    return stats, server


def percentile(values: list[float], q: int) -> float | None:
    if len(values) < 2:
        return round(values[0], 1) if values else None
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1)


def report(args: argparse.Namespace, stats: Stats, server: dict) -> dict:
    return {
        "url": args.url,
        "sessions": args.sessions,
        "seconds": args.seconds,
        "runs": stats.runs,
        "changes": len(stats.changes),
        "first_seen": stats.first_seen,
        "errors": len(stats.errors),
        "reconnects": stats.reconnects,
        "error_examples": stats.errors[:5],
        "p50_ms": percentile(stats.changes, 50),
        "p95_ms": percentile(stats.changes, 95),
        "max_ms": round(max(stats.changes), 1) if stats.changes else None,
        "open_p50_ms": percentile(stats.opens, 50),
        "open_p95_ms": percentile(stats.opens, 95),
        "server_cpu_s": None,
        "peak_rss_mb": None,
        **server,
        "runs_per_s": round(stats.runs / server["wall_s"], 1) if server.get("wall_s") else None,
        "load_average_at_start": args.load_at_start,
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True, help="the app, e.g. http://127.0.0.1:8501 (loopback only)")
    p.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    p.add_argument(
        "--seconds",
        type=float,
        default=30,
        help="how long each session changes filters once its page is open (default 30)",
    )
    p.add_argument("--think", type=float, default=3, help="mean seconds between a session's changes (default 3)")
    p.add_argument("--ramp", type=float, default=5, help="seconds over which the sessions arrive (default 5)")
    p.add_argument("--timeout", type=float, default=120, help="seconds a script run may take (default 120)")
    p.add_argument("--pages", help="pages to open, by URL path or title (default: all the app's pages)")
    p.add_argument("--pid", type=int, help="the server process (default: the one listening on the URL's port)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    args.url = check_url(args.url)
    if not 1 <= args.sessions <= 1000 or not 0 < args.seconds <= 3600 or args.think <= 0:
        p.error("--sessions must be 1–1000, --seconds 0–3600 and --think above 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.load_at_start = [round(x, 2) for x in os.getloadavg()]
    pid = args.pid or listening_pid(urlsplit(args.url).port)
    limit = args.ramp + 2 * args.timeout + args.seconds + args.timeout + 30  # arrive, open, change, last run
    try:
        stats, server = asyncio.run(asyncio.wait_for(drive(args, pid), limit))
    except TimeoutError:
        stats, server = Stats(errors=[f"the run did not stop within {limit:g} s"]), {}
    except OSError as e:
        stats, server = Stats(errors=[f"cannot reach {args.url}: {e}"]), {}
    out = report(args, stats, server)
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k}: {v}")
    return 1 if stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())
