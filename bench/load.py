"""Load test: many concurrent browser sessions against one app server.

Starts `streamlit run serve.py` (the app as `make run` serves it) on a free port at 127.0.0.1 over a database, then drives N concurrent
sessions (Playwright contexts on one headless Chromium). The sessions arrive one by one and each makes
its first visit (a cold browser: the whole frontend is downloaded; reported apart as the warm-up); then,
for a fixed time, each moves between pages (mostly through the sidebar's page links, sometimes a full
load of the page's URL, which keeps the filters in the link) and changes sidebar filters (DNA and
death-sentence selectboxes, the pre-1989 checkbox, the state multiselect, "Reset filters"). After every
step it waits until the app has rendered (RENDERED_JS of tests/conftest.py: script idle, no skeleton
or spinner, every chart drawn) and checks the page for an exception.

Reports requests (page loads + filter changes), errors (stException elements, JavaScript page errors,
"Page not found", timeouts) and p50/p95 latency of each kind of step: from the click (or navigation)
to the server's "script finished" message for the rerun it caused, then to the page showing it. Also
the CPU the app server and the browsers used while measuring (on a small machine the browsers are most
of the load) and the server's peak memory. Exits 1 if there was any error.

    .venv/bin/python bench/load.py                       # 20 sessions × 60 s on the demo database
    .venv/bin/python bench/load.py data/exonerations.duckdb --sessions 30 --duration 120

Only 127.0.0.1 is contacted (Chromium resolves every other host to nothing); the server is stopped at
the end, also on Ctrl-C, and the run stops by itself (hard limit: duration + about 6 minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  the benchmark: browser settings and the one definition of "rendered"
from run import CHROMIUM, free_port, rendered_js  # noqa: E402

FINISHED_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN  # a run cut short because another was asked for

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [*run.CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]  # only 127.0.0.1
PAGES = ["", "misconduct", "over-time", "geography", "new-york", "human-cost", "cases", "methodology"]
DEFAULT_DB = Path(tempfile.gettempdir()) / "exonerations-load-demo.duckdb"
PRE_1989 = "Include cases exonerated before 1989"




RENDERED = rendered_js()
SIDEBAR_JS = """() => {
    const side = document.querySelector("[data-testid='stSidebar']");
    const box = (sel, text) => [...side.querySelectorAll(sel)].find(e => e.innerText.includes(text));
    const value = (text) => { const b = box("[data-testid='stSelectbox']", text);
                              const i = b && b.querySelector("input[role='combobox']"); return i ? i.value : null; };
    const pre = box("[data-testid='stCheckbox']", "before 1989");
    const states = box("[data-testid='stMultiSelect']", "State");
    return {dna: value("DNA exoneration"), death: value("Death sentence"),
            pre1989: pre ? pre.querySelector("input").checked : false,
            states: states ? states.querySelectorAll("[data-tag]").length : 0};
}"""
# What the page looked like when a step timed out (for the report).
DIAGNOSE_JS = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const charts = [...document.querySelectorAll("[data-testid='exoChart'], [data-testid='stPlotlyChart']")];
    return {script: app && app.getAttribute('data-test-script-state'),
            skeletons: document.querySelectorAll("[data-testid='stSkeleton']").length,
            spinners: document.querySelectorAll("[data-testid='stSpinner']").length,
            charts: charts.length, drawn: charts.filter(c => c.querySelector('.main-svg') && !c.dataset.busy).length,
            elements: document.querySelectorAll("[data-testid='stMain'] [data-testid='stElementContainer']").length};
}"""

# ---------------------------------------------------------------------------------------------
# The server




class Server:
    """`streamlit run serve.py` on a free port at 127.0.0.1, in its own process group."""

    def __init__(self, db_path: Path, log_path: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "serve.py"),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env={**os.environ, "EXONERATIONS_DB": str(db_path), "PYTHONUNBUFFERED": "1"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the app server did not start; see {log_path}")

    def peak_rss_mb(self) -> float | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)  # the group this Popen started
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (seconds), from /proc."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [root]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def cpu_snapshot(server_pid: int) -> tuple[float, float]:
    """CPU seconds so far of the app server and of the browsers (every other process this script started)."""
    server = [server_pid, *descendants(server_pid)]
    others = [p for p in descendants(os.getpid()) if p not in server]
    return cpu_seconds(server), cpu_seconds(others)


# ---------------------------------------------------------------------------------------------
# Sessions


@dataclass
class Stats:
    first_loads: list[float] = field(default_factory=list)  # ms, each session's first visit (warm-up)
    loads: list[float] = field(default_factory=list)  # ms, full page load (goto) to rendered
    switches: list[float] = field(default_factory=list)  # ms, click on a page in the sidebar to rendered
    rerenders: list[float] = field(default_factory=list)  # ms, widget click to rendered again
    actions: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    external_requests: int = 0

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.examples) < 12:
            self.examples.append(f"{kind}: {detail[:200]}")


class Session:
    """One reader in one browser context. Timing uses the app's own websocket messages: a step is timed
    from the click (or navigation) to the server's "script finished" message for the rerun it caused,
    then to the page showing the result (RENDERED_JS). (The page's script-state attribute is not
    enough: React may batch a fast rerun's running/not-running into no visible change.)"""

    def __init__(self, n: int, page, base: str, stats: Stats, rnd: random.Random, timeout_ms: float):
        self.n, self.page, self.base, self.stats, self.rnd, self.timeout = n, page, base, stats, rnd, timeout_ms
        self.dna = self.death = "Any"
        self.pre1989 = False
        self.states = 0
        self.path = ""
        self.step = ""
        self.shots: Path | None = None  # where screenshots of errors go
        self._t0 = 0.0
        self._heard = asyncio.Event()  # the server sent something since the step began
        self._finished = asyncio.Event()  # …and finished a script run
        page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))

    def _on_frame(self, payload) -> None:
        if not isinstance(payload, bytes | bytearray):
            return
        self._heard.set()
        try:
            msg = ForwardMsg.FromString(bytes(payload))
        except Exception:  # noqa: BLE001 — not a message of the app (cannot happen with Streamlit)
            return
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished != FINISHED_EARLY:
            self._finished.set()

    def _arm(self) -> None:
        self._heard.clear()
        self._finished.clear()
        self._t0 = time.perf_counter()

    async def _rendered_after_rerun(self) -> float:
        """Wait for the server to finish the rerun, then for the page to show it; ms since `_arm`."""
        await asyncio.wait_for(self._finished.wait(), self.timeout / 1000)
        await self.page.wait_for_function(RENDERED, polling=50, timeout=self.timeout)
        return (time.perf_counter() - self._t0) * 1000

    async def check(self, what: str) -> None:
        if await self.page.locator("[data-testid='stException']").count():
            text = await self.page.locator("[data-testid='stException']").first.inner_text()
            self.stats.error("exception", f"session {self.n} {what}: {text.replace(chr(10), ' ')}")
        if await self.page.get_by_text("Page not found").count():
            self.stats.error("page not found", f"session {self.n} {what}")

    async def switch(self, path: str) -> None:
        """Go to another page the way a reader does: its link in the sidebar (no reload)."""
        self.step = f"switch to /{path}"
        link = self.page.locator(f"[data-testid='stSidebarNav'] a[href='{self.base}/{path}']").first
        self._arm()
        await link.click(timeout=self.timeout)
        self.stats.switches.append(await self._rendered_after_rerun())
        await self.sync()
        self.path = path
        self.stats.actions["page switch"] = self.stats.actions.get("page switch", 0) + 1
        await self.check(f"switch to /{path}")

    async def load(self, path: str) -> None:
        """A full load of the page's URL (a new visitor, or a shared link): keeps the link's filters."""
        self.step = f"load /{path}"
        query = urlsplit(self.page.url).query if self.page.url.startswith(self.base) else ""
        url = f"{self.base}/{path}" + (f"?{query}" if query else "")
        self._arm()
        await self.page.goto(url, wait_until="commit", timeout=self.timeout)
        self.stats.loads.append(await self._rendered_after_rerun())
        await self.sync()
        self.path = path
        self.stats.actions["page load"] = self.stats.actions.get("page load", 0) + 1
        await self.check(f"load /{path}")

    async def _open(self, box, first_option) -> None:
        """Open a select box's list; a click while the page settles may only focus the box. The box is
        scrolled into view first, as a reader would: a click that scrolls the sidebar closes the list."""
        await box.scroll_into_view_if_needed(timeout=self.timeout)
        for attempt in range(4):
            await box.click(timeout=self.timeout)
            try:
                await first_option.wait_for(state="visible", timeout=3_000)
                return
            except Exception:  # noqa: BLE001 — Playwright's TimeoutError
                await self.page.keyboard.press("Escape")
                if attempt == 3:
                    raise

    async def _pick(self, box, first_option, options, k: int | None = None) -> None:
        """Open `box`'s list and click its option (the `k`-th, modulo their number, when `options`
        is a list). A list that closes again before the click (the sidebar moved under it) is opened
        again; the click that counts is armed just before it is made."""
        for attempt in range(3):
            await self._open(box, first_option)
            target = options if k is None else options.nth(k % max(1, await options.count()))
            self._arm()
            try:
                await target.click(timeout=3_000)
                return
            except Exception:  # noqa: BLE001 — Playwright's TimeoutError
                # On a busy machine the click may have landed and Playwright timed out after it: the
                # server then answers. Only a list that closed before the click chose nothing.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._heard.wait(), 5)
                if self._heard.is_set():
                    return
                self.stats.actions["(list closed, reopened)"] = self.stats.actions.get("(list closed, reopened)", 0) + 1
                await self.page.keyboard.press("Escape")
                if attempt == 2:
                    raise

    async def _touch(self, kind: str) -> None:
        """Open and click the widget for `kind` once (armed just before the click that counts)."""
        sidebar = self.page.locator("[data-testid='stSidebar']")
        if kind in ("dna", "death"):
            label = "DNA exoneration" if kind == "dna" else "Death sentence"
            current = self.dna if kind == "dna" else self.death
            box = sidebar.locator("[data-testid='stSelectbox']").filter(has_text=label).first
            value = self.rnd.choice([v for v in ("Any", "Yes", "No") if v != current])
            option = self.page.get_by_role("option", name=value, exact=True)
            await self._pick(box.locator("input[role='combobox']").first, option, option)  # the box, not its label
        elif kind == "pre1989":
            checkbox = sidebar.locator("[data-testid='stCheckbox']").filter(has_text=PRE_1989).first
            self._arm()
            await checkbox.locator("label").click(timeout=self.timeout)
        elif kind == "state":
            box = sidebar.locator("[data-testid='stMultiSelect']").filter(has_text="State").first
            options = self.page.get_by_role("option")
            k = self.rnd.randrange(12)
            await self._pick(box.locator("input").first, options.first, options, k)  # not the box: its tags have ×
            await self.page.keyboard.press("Escape")  # close the list
        else:
            self._arm()
            await sidebar.get_by_role("button", name="Reset filters").click(timeout=self.timeout)

    async def sync(self) -> None:
        """Read the sidebar's filters back from the page (so the next step is never a no-op)."""
        state = await self.page.evaluate(SIDEBAR_JS)
        self.dna, self.death = state["dna"] or "Any", state["death"] or "Any"
        self.pre1989, self.states = bool(state["pre1989"]), int(state["states"])

    async def open_panel(self) -> None:
        """Open the sidebar's filter panel if it is closed (as on every new visit), as a reader does
        before changing a filter; not counted as a request."""
        sidebar = self.page.locator("[data-testid='stSidebar']")
        panel = sidebar.locator("[data-testid='stExpander']", has_text="Filters").first
        if await panel.locator("details[open]").count():
            return
        await panel.locator("summary").click(timeout=self.timeout)
        await sidebar.locator("[data-testid='stSelectbox']").first.wait_for(timeout=self.timeout)
        await self.page.wait_for_function(RENDERED, polling=50, timeout=self.timeout)
        await self.sync()

    async def change_filter(self) -> None:
        await self.open_panel()
        choices = ["dna", "death", "pre1989", "state"]
        if self.states >= 2 or (self.dna != "Any" and self.death != "Any"):
            choices = ["reset"]
        kind = self.rnd.choice(choices)
        self.step = f"filter {kind}"
        # A click that lands while a list is still opening can be lost (the browser, not the app): the
        # widget keeps its value and the server hears nothing. Then the step is tried again, timed from
        # its new click. A click that did change the widget is never repeated, however slow the server.
        before = await self.page.evaluate(SIDEBAR_JS)
        for attempt in range(3):
            await self._touch(kind)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._heard.wait(), 8)
            if self._heard.is_set() or await self.page.evaluate(SIDEBAR_JS) != before:
                break
            self.stats.actions["(click lost, retried)"] = self.stats.actions.get("(click lost, retried)", 0) + 1
            await self.page.keyboard.press("Escape")
            if attempt == 2:
                raise TimeoutError(f"{kind}: three clicks changed nothing")
        self.stats.rerenders.append(await self._rendered_after_rerun())
        await self.sync()
        self.stats.actions[f"filter: {kind}"] = self.stats.actions.get(f"filter: {kind}", 0) + 1
        await self.check(f"filter {kind} on /{self.path}")

    async def connect(self, pages: list[str], timeout_ms: float) -> None:
        """The session's first visit (a cold browser context: the whole frontend is downloaded)."""
        path = self.rnd.choice(pages)
        self.step = f"first visit to /{path}"
        self._arm()
        try:
            await self.page.goto(f"{self.base}/{path}", wait_until="commit", timeout=timeout_ms)
            await asyncio.wait_for(self._finished.wait(), timeout_ms / 1000)
            await self.page.wait_for_function(RENDERED, polling=100, timeout=timeout_ms)
            self.stats.first_loads.append((time.perf_counter() - self._t0) * 1000)
            self.path = path
            await self.sync()
            await self.check(self.step)
        except Exception as e:  # noqa: BLE001
            self.stats.error(
                "first visit timeout" if "Timeout" in type(e).__name__ else type(e).__name__,
                f"session {self.n}, {self.step}: {(str(e).splitlines() or [type(e).__name__])[0]}",
            )

    async def run(self, pages: list[str], deadline: float, page_share: float, reload_share: float) -> None:
        while time.monotonic() < deadline:
            try:
                if self.rnd.random() < page_share:
                    other = self.rnd.choice([p for p in pages if p != self.path] or pages)
                    if self.rnd.random() < reload_share:
                        await self.load(other)
                    else:
                        await self.switch(other)
                else:
                    await self.change_filter()
            except Exception as e:  # noqa: BLE001 — a timeout or a vanished element is an error of the run
                name = type(e).__name__
                self.stats.error(
                    "timeout" if "Timeout" in name else name,
                    f"session {self.n} on /{self.path}, {self.step}: {(str(e).splitlines() or [type(e).__name__])[0]}",
                )
                with contextlib.suppress(Exception):
                    state = await self.page.evaluate(DIAGNOSE_JS)
                    self.stats.examples.append(f"    page state: {state}")
                if self.shots and len(list(self.shots.glob("*.png"))) < 10:
                    with contextlib.suppress(Exception):
                        shot = self.shots / f"error-{sum(self.stats.errors.values())}-session-{self.n}.png"
                        await self.page.screenshot(path=str(shot), timeout=10_000)
                        self.stats.examples.append(f"  screenshot: {shot}")
                if time.monotonic() < deadline:
                    with contextlib.suppress(Exception):  # start again from a fresh page
                        self.dna = self.death = "Any"
                        self.pre1989, self.states = False, 0
                        await self.page.goto(self.base, wait_until="commit", timeout=self.timeout)
                        await self.page.wait_for_function(RENDERED, polling=50, timeout=self.timeout)
                        self.path = ""
                        await self.sync()


async def drive(base: str, args: argparse.Namespace, stats: Stats) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=args.chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            contexts = []
            for _ in range(args.sessions):
                ctx = await browser.new_context(viewport={"width": 1280, "height": 900})

                def on_request(request, ctx_stats=stats):
                    host = urlsplit(request.url).hostname
                    if host not in (None, "127.0.0.1") and urlsplit(request.url).scheme in (
                        "http",
                        "https",
                        "ws",
                        "wss",
                    ):
                        ctx_stats.external_requests += 1

                ctx.on("request", on_request)
                contexts.append(ctx)
            sessions = []
            for i, ctx in enumerate(contexts):
                page = await ctx.new_page()
                page.on("pageerror", lambda e, i=i: stats.error("page error", f"session {i}: {e}"))
                session = Session(i, page, base, stats, random.Random(args.seed * 1000 + i), args.timeout * 1000)
                session.shots = args.shots
                sessions.append(session)
            # Warm-up: the sessions arrive one by one (--stagger) and each makes its first visit; the
            # measured window starts once all are connected.
            t_ramp = time.monotonic()

            async def arrive(i: int, s: Session) -> None:
                await asyncio.sleep(i * args.stagger)
                await s.connect(args.pages, max(args.timeout, 180) * 1000)

            await asyncio.gather(*(arrive(i, s) for i, s in enumerate(sessions)))
            args.warmup = time.monotonic() - t_ramp
            print(
                f"  all {len(sessions)} sessions connected in {args.warmup:.0f} s; measuring for {args.duration:g} s",
                file=sys.stderr,
                flush=True,
            )
            deadline = time.monotonic() + args.duration
            args.cpu_start = cpu_snapshot(args.server_pid)

            async def work(s: Session) -> None:
                await s.run(args.pages, deadline, args.page_share, args.reload_share)

            async def progress() -> None:
                t0 = time.monotonic()
                while time.monotonic() < deadline:
                    await asyncio.sleep(10)
                    done = len(stats.loads) + len(stats.switches) + len(stats.rerenders)
                    print(
                        f"  {time.monotonic() - t0:5.0f} s: {done} requests, {sum(stats.errors.values())} errors",
                        file=sys.stderr,
                        flush=True,
                    )

            ticker = asyncio.create_task(progress())
            try:
                await asyncio.gather(*(work(s) for s in sessions))
            finally:
                ticker.cancel()
                args.cpu_end = cpu_snapshot(args.server_pid)
                args.window = time.monotonic() - deadline + args.duration
        finally:
            await browser.close()


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def fmt_ms(v: float | None) -> str:
    return "—" if v is None else f"{v:,.0f}"


def report(args: argparse.Namespace, stats: Stats, wall: float, rss: float | None, db_path: Path) -> str:
    n_filters = len(stats.rerenders)
    n_pages = len(stats.loads) + len(stats.switches)
    errors = sum(stats.errors.values())
    by_kind = ", ".join(f"{k}: {v}" for k, v in sorted(stats.errors.items()))

    def p50_p95(values: list[float]) -> str:
        return f"{fmt_ms(pct(values, 50))} / {fmt_ms(pct(values, 95))}"

    rows = [
        ("database", f"`{db_path}`"),
        ("sessions × duration", f"{args.sessions} × {args.duration:g} s (ran {wall:.0f} s in all)"),
        (
            f"first visits ({len(stats.first_loads)}, warm-up of {getattr(args, 'warmup', 0):.0f} s, not in the "
            "figures below), p50 / p95 (ms)",
            p50_p95(stats.first_loads),
        ),
        ("machine", f"{os.cpu_count()} CPUs, load average at start {args.load_at_start}; browsers on the same machine"),
        ("requests: page loads + filter changes", f"{n_pages + n_filters:,} = {n_pages:,} + {n_filters:,}"),
        ("requests per second", f"{(n_pages + n_filters) / max(args.duration, 1):.1f}"),
        ("errors", f"{errors}" + (f" ({by_kind})" if errors else "")),
        ("filter change to re-rendered, p50 / p95 (ms)", p50_p95(stats.rerenders)),
        (f"page switch (sidebar link, {len(stats.switches)}) to rendered, p50 / p95 (ms)", p50_p95(stats.switches)),
        (f"full page load ({len(stats.loads)}) to rendered, p50 / p95 (ms)", p50_p95(stats.loads)),
        ("CPU used while measuring: app server / browsers (s)", cpu_line(args)),
        ("peak server memory (MB)", "—" if rss is None else f"{rss:,.0f}"),
        ("requests to hosts other than 127.0.0.1", f"{stats.external_requests} (not resolved)"),
    ]
    w = max(len(k) for k, _ in rows)
    lines = ["| Load test | |", "| --- | --- |", *(f"| {k.ljust(w)} | {v} |" for k, v in rows)]
    lines.append("")
    lines.append("Steps: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.actions.items())))
    for e in stats.examples:
        lines.append(f"  {e}")
    return "\n".join(lines)


def cpu_line(args: argparse.Namespace) -> str:
    if not hasattr(args, "cpu_end"):
        return "—"
    server = args.cpu_end[0] - args.cpu_start[0]
    browsers = args.cpu_end[1] - args.cpu_start[1]
    capacity = (os.cpu_count() or 1) * args.window
    return (
        f"{server:.0f} / {browsers:.0f} of {capacity:.0f} CPU-seconds available in {args.window:.0f} s "
        f"(server {server / capacity:.0%}, browsers {browsers / capacity:.0%})"
    )


def ensure_demo(path: Path) -> None:
    if path.is_file():
        return
    print(f"building the demo database at {path} …", file=sys.stderr, flush=True)
    subprocess.run(
        [sys.executable, "-m", "exonerations", "demo", "--db", str(path)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "db",
        nargs="?",
        type=Path,
        default=None,
        help=f"database file (default: the demo, built at {DEFAULT_DB} if missing)",
    )
    p.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions (default 20)")
    p.add_argument("--duration", type=float, default=60, help="seconds of load (default 60)")
    p.add_argument(
        "--pages",
        type=lambda s: [x.strip().strip("/") for x in s.split(",")],
        default=PAGES,
        help="comma-separated URL paths ('' is the Overview); default: " + ",".join(PAGES),
    )
    p.add_argument("--page-share", type=float, default=0.3, help="share of steps that go to another page (0.3)")
    p.add_argument(
        "--reload-share",
        type=float,
        default=0.15,
        help="share of page changes made as a full load of the URL rather than a sidebar link (0.15)",
    )
    p.add_argument("--timeout", type=float, default=60, help="seconds a step may take before it is an error")
    p.add_argument("--stagger", type=float, default=0.5, help="seconds between session starts (0.5)")
    p.add_argument("--seed", type=int, default=6)
    p.add_argument(
        "--shots",
        type=Path,
        default=Path(tempfile.gettempdir()) / "exonerations-load-errors",
        help="folder for screenshots of the first errors (default: %(default)s)",
    )
    p.add_argument("--chromium", default=CHROMIUM)
    args = p.parse_args(argv)
    if not Path(args.chromium).exists():
        print(f"error: no Chromium at {args.chromium} (`apt-get install -y chromium`).", file=sys.stderr)
        return 2
    db_path = args.db or DEFAULT_DB
    if args.db is None:
        ensure_demo(db_path)
    elif not db_path.is_file():
        print(f"error: there is no database at {db_path}.", file=sys.stderr)
        return 2
    args.shots.mkdir(parents=True, exist_ok=True)
    for old in args.shots.glob("error-*.png"):
        old.unlink()
    args.load_at_start = " / ".join(f"{x:.1f}" for x in os.getloadavg())

    log = Path(tempfile.gettempdir()) / f"exonerations-load-server-{os.getpid()}.log"
    stats = Stats()
    server = Server(db_path.resolve(), log)
    args.server_pid = server.proc.pid
    print(
        f"server {server.url} (log {log}); {args.sessions} sessions for {args.duration:g} s …",
        file=sys.stderr,
        flush=True,
    )

    def stop_on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_signal)
    # Warm-up (each first visit may take up to max(timeout, 180) s), the window, one last step.
    hard_limit = args.sessions * args.stagger + 2 * max(args.timeout, 180) + args.duration
    t0 = time.monotonic()
    try:
        asyncio.run(asyncio.wait_for(drive(server.url, args, stats), timeout=hard_limit))
    except TimeoutError:
        stats.error("run did not stop in time", f"hard limit of {hard_limit:.0f} s")
    except KeyboardInterrupt:
        stats.error("interrupted", "Ctrl-C or SIGTERM")
    finally:
        rss = server.peak_rss_mb()
        server.stop()
    print(report(args, stats, time.monotonic() - t0, rss, db_path))
    return 1 if stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())
