"""`make bench`: the performance table of the Exoneration Misconduct Explorer.

Measures, each figure the median of several runs:
  * the import of the full registry export (parse + build of the DuckDB file);
  * the warm rerun of every page, server side (AppTest: run once, then time further `at.run()`s);
  * in headless Chromium: page load to rendered (all charts drawn, app idle) for every page, and a
    sidebar filter change to re-rendered on the Overview and Misconduct pages;
  * the peak memory (RSS) of the app server,
at 1× (the real full export; the scale-1 demo when it is absent) and 100× (the synthetic demo at
scale 100, ~385k rows), next to two references run in the same benchmark: the floor
(`bench/floor_app.py`, one tiny chart) and the peer (`bench/peer_app.py`, a typical pandas dashboard).
Prints one markdown table (with machine info and the targets, pass/fail) and writes it to
`bench/results/latest.md` (raw samples in `bench/results/latest.json`). See bench/README.md.

Progress goes to stderr; the table to stdout. Servers run on free ports at 127.0.0.1 only and are
always stopped at the end.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import cProfile
import datetime as dt
import io
import json
import logging
import os
import platform
import pstats
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
APP = ROOT / "app.py"
SERVE = ROOT / "serve.py"  # how `make run` serves app.py (the browser figures use it)
FLOOR_APP = BENCH / "floor_app.py"
PEER_APP = BENCH / "peer_app.py"
FULL_EXPORT = ROOT.parent / "shared" / "data" / "nre" / "nre-full-export-2026-06-25.csv"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}
FILTER_PAGES = ("overview", "misconduct")  # url_paths of the pages whose filter change is timed
WAIT_MS = 180_000  # the longest any single load or rerun may take before the figure is marked failed
NO_RUN_MS = 20_000  # a filter pick that has not started a run after this is taken as a missed click

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The page list, used only if app.py's PAGES cannot be read.
FALLBACK_PAGES = [
    ("overview", "Overview"),
    ("misconduct", "Misconduct"),
    ("over-time", "Over time"),
    ("geography", "Geography"),
    ("new-york", "New York"),
    ("human-cost", "Human cost"),
    ("cases", "Cases"),
    ("claims", "Claims, checked"),
    ("briefing", "Briefing pack"),
    ("sql", "SQL console"),
    ("methodology", "Methodology & data"),
]


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Samples and pages


@dataclass
class Sample:
    """The timed values of one figure (ms, s or MB), or why there are none."""

    values: list[float] = field(default_factory=list)
    error: str | None = None
    phases: list[dict[str, float]] = field(default_factory=list)  # browser figures: where each one went
    cpu: dict[str, float] = field(default_factory=dict)  # browser figures: CPU ms per sample, by process

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values and not self.error else None

    def phase_medians(self) -> dict[str, float]:
        keys = {k for ph in self.phases for k in ph}
        return {k: statistics.median(ph[k] for ph in self.phases if k in ph) for k in sorted(keys)}

    def to_json(self) -> dict:
        out = {"values": [round(v, 3) for v in self.values], "median": self.median, "error": self.error}
        if self.phases:
            out["phase_medians"] = {k: round(v, 1) for k, v in self.phase_medians().items()}
        if self.cpu:
            out["cpu_ms_per_sample"] = {k: round(v, 1) for k, v in self.cpu.items()}
        return out


@dataclass(frozen=True)
class Page:
    file: str  # relative to app.py, e.g. "app_pages/misconduct.py"
    url_path: str  # e.g. "misconduct"
    title: str
    default: bool = False

    @property
    def url(self) -> str:
        """The path after the server's root: the default page is served at the root URL."""
        return "" if self.default else self.url_path


def _kw(call: ast.Call, name: str):
    for k in call.keywords:
        if k.arg == name and isinstance(k.value, ast.Constant):
            return k.value.value
    return None


def discover_pages(app_file: Path = APP) -> list[Page]:
    """The pages registered in app.py's PAGES (every `st.Page("app_pages/x.py", url_path=…)` call)."""
    try:
        tree = ast.parse(app_file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        tree = None
    pages = []
    for node in ast.walk(tree) if tree else ():
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "Page"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            file = node.args[0].value
            url_path = _kw(node, "url_path") or Path(file).stem
            pages.append(Page(file, url_path, _kw(node, "title") or url_path, bool(_kw(node, "default"))))
    if not pages:
        log(f"could not read the pages from {app_file}; using the issue's list")
        pages = [Page(f"app_pages/{p.replace('-', '_')}.py", p, t, p == "overview") for p, t in FALLBACK_PAGES]
        pages = [p if p.url_path != "sql" else Page("app_pages/sql_console.py", "sql", p.title) for p in pages]
    if not any(p.default for p in pages):
        pages[0] = Page(pages[0].file, pages[0].url_path, pages[0].title, True)
    return pages


def select_pages(pages: list[Page], wanted: str | None) -> list[Page]:
    """`--pages overview,misconduct` (url paths or titles; "" or "overview" is the root page)."""
    if not wanted:
        return pages
    keys = [w.strip().lower() for w in wanted.split(",")]
    chosen = [
        p
        for p in pages
        if any(k in (p.url_path.lower(), p.title.lower(), p.url) or (k == "" and p.default) for k in keys)
    ]
    if not chosen:
        raise SystemExit(f"--pages {wanted!r} matches none of: {', '.join(p.url_path for p in pages)}")
    return chosen


def rendered_js() -> str:
    """The RENDERED_JS condition of tests/conftest.py (script idle, no skeleton, every chart drawn)."""
    tree = ast.parse((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "RENDERED_JS" for t in node.targets):
            return ast.literal_eval(node.value)
    raise RuntimeError("tests/conftest.py no longer defines RENDERED_JS")


# ---------------------------------------------------------------------------------------------
# Data: import timing, demo databases, the peer's CSV


def time_import(src: Path, runs: int, workdir: Path | None = None) -> Sample:
    """Parse `src` and build its DuckDB file `runs` times (after one untimed warm-up), in seconds —
    the figure `python -m exonerations import` prints."""
    from exonerations import db

    s = Sample()
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        target = Path(tmp) / "import.duckdb"
        try:
            db.import_file(src, target)
            for _ in range(runs):
                t0 = time.perf_counter()
                db.import_file(src, target)
                s.values.append(time.perf_counter() - t0)
        except Exception as e:  # noqa: BLE001 — a failed import is a figure the table must show
            s.error = f"import failed: {e}"
    return s


def build_demo(scale: float, path: Path) -> None:
    """`python -m exonerations demo --scale N --db PATH` (the documented command)."""
    subprocess.run(
        [sys.executable, "-m", "exonerations", "demo", "--scale", f"{scale:g}", "--db", str(path)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def import_db(src: Path, path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "exonerations", "import", str(src), "--db", str(path)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def export_cases_csv(db_path: Path, csv_path: Path) -> Path:
    """The `cases` table of `db_path` as a CSV (DuckDB's COPY … TO), for the peer to read."""
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        con.sql("select * from cases").write_csv(str(csv_path), header=True)
    finally:
        con.close()
    return csv_path


# ---------------------------------------------------------------------------------------------
# Server side: warm reruns with AppTest


@contextlib.contextmanager
def env_vars(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _exception_text(at) -> str | None:
    if at.exception:
        e = at.exception[0]
        return (getattr(e, "message", None) or str(e.value) or "exception").splitlines()[0][:160]
    return None


def apptest_reruns(
    script: Path,
    env: dict[str, str],
    pages: list[Page | None],
    runs: int,
    timeout: float = WAIT_MS / 1000,
    profile: cProfile.Profile | None = None,
    on_page: Callable[[Page | None, Sample], None] | None = None,
    around_timed: Callable[[], contextlib.AbstractContextManager] | None = None,
) -> dict[str, Sample]:
    """Warm rerun (ms) of each page of `script`: one AppTest session, the page run once (and switched
    to), then `runs` timed `at.run()` calls. `None` in `pages` means the script itself (no navigation).
    With `profile`, the script threads of the timed runs are profiled into it; `around_timed` is
    entered around the timed runs only."""
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    # "missing ScriptRunContext" is logged when AppTest's main thread touches st.*: harmless here.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

    out: dict[str, Sample] = {}
    with env_vars(**env), _shared_script_cache(), _profiling(LocalScriptRunner, profile) as prof_on:
        at = AppTest.from_file(str(script), default_timeout=timeout)
        first = True
        for page in pages:
            key = page.url if page else ""
            s = out[key] = Sample()
            try:
                if first:
                    at.run()  # the app's first run (its default page), which registers the pages
                    first = False
                if page is not None:
                    at.switch_page(page.file)
                at.run()  # the warm-up run of this page (fills its caches)
                s.error = _exception_text(at)
                if not s.error:
                    prof_on[0] = True
                    with around_timed() if around_timed else contextlib.nullcontext():
                        for _ in range(runs):
                            t0 = time.perf_counter()
                            at.run()
                            s.values.append((time.perf_counter() - t0) * 1000)
                    prof_on[0] = False
                    s.error = _exception_text(at)
            except Exception as e:  # noqa: BLE001 — recorded in the table
                prof_on[0] = False
                s.error = f"{type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}"
            if on_page:
                on_page(page, s)
    return out


@contextlib.contextmanager
def _shared_script_cache() -> Iterator[None]:
    """One compiled-script cache for all the runs of an AppTest session, as a server keeps one for its
    lifetime: AppTest makes a new one on every run, so each timed run would also re-parse and compile
    app.py and the page (with Streamlit's "magic" AST rewrite), which a server does only once."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    saved = app_test.ScriptCache, local_script_runner.ScriptCache
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared
    try:
        yield
    finally:
        app_test.ScriptCache, local_script_runner.ScriptCache = saved


@contextlib.contextmanager
def _profiling(runner_cls, profile: cProfile.Profile | None) -> Iterator[list[bool]]:
    """Profile AppTest's script thread (cProfile sees only the thread it is enabled in) while the
    returned flag is set."""
    flag = [False]
    if profile is None:
        yield flag
        return
    original = runner_cls._run_script_thread

    def wrapped(self):
        if not flag[0]:
            return original(self)
        profile.enable()
        try:
            return original(self)
        finally:
            profile.disable()

    runner_cls._run_script_thread = wrapped
    try:
        yield flag
    finally:
        runner_cls._run_script_thread = original


def _breakdown_module():
    """bench/breakdown.py (imported by path: bench/ is not a package)."""
    import importlib.util

    if "bench_breakdown" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_breakdown", BENCH / "breakdown.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules["bench_breakdown"] = mod
        spec.loader.exec_module(mod)
    return sys.modules["bench_breakdown"]


def profile_text(profile: cProfile.Profile, top: int = 40) -> str:
    buf = io.StringIO()
    st = pstats.Stats(profile, stream=buf)
    st.sort_stats("cumulative").print_stats(top)
    buf.write("\n--- by own time ---\n")
    st.sort_stats("tottime").print_stats(top)
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# Browser side: servers, memory, Chromium


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python -m streamlit run SCRIPT --server.headless true` on a free port at 127.0.0.1, run from `cwd`."""

    def __init__(self, script: Path, env: dict[str, str], log_path: Path, start_timeout: float = 120,
                 cwd: Path = ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=cwd,
            env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.rss = RssSampler(self.proc.pid)
        deadline = time.time() + start_timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        self.rss.start()
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the server for {script.name} did not start; see {log_path}")

    def stop(self) -> None:
        self.rss.stop()
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)  # the group this Popen started (start_new_session)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


def _rss_kb(pid: int, field_name: str = "VmRSS") -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids: list[int] = []
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    kids += [int(c) for c in f.read().split()]
        except OSError:
            pass
        out += kids
        todo += kids
    return out


class RssSampler:
    """Peak resident memory of a process and its children: /proc sampled every 50 ms, and the kernel's
    own high-water mark (VmHWM) of the main process, whichever is higher (psutil is not needed)."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        total = _rss_kb(self.pid) + sum(_rss_kb(c) for c in _descendants(self.pid))
        self.peak_kb = max(self.peak_kb, total, _rss_kb(self.pid, "VmHWM"))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._sample()
            self._stop.set()
            self._thread.join(5)

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


def _cpu_s(pid: int) -> float:
    """CPU seconds of a process, user + system, including its reaped children."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


class CpuProbe:
    """CPU seconds used so far by the app server (and its children) and by Chromium (every process
    this benchmark started except the servers and Playwright's node driver). CPU time hardly depends
    on what else the machine runs, unlike wall time, so it shows where the work is even when the
    machine is busy."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    def __call__(self) -> tuple[float, float]:
        server_tree = {self.server_pid, *_descendants(self.server_pid)}
        browser = [p for p in _descendants(os.getpid()) if p not in server_tree and _comm(p) != "node"]
        return sum(_cpu_s(p) for p in server_tree), sum(_cpu_s(p) for p in browser)


def _cpu_per(before: tuple[float, float], after: tuple[float, float], n: int) -> dict[str, float]:
    return {"server_ms": (after[0] - before[0]) * 1000 / n, "browser_ms": (after[1] - before[1]) * 1000 / n}


# In-page timing: performance.now() is relative to the navigation start, so a load is timed from the
# start of `page.goto` to the first animation frame at which the page is rendered; a filter change from
# the pointerdown that picks the option (captured on the document) to rendered after a rerun that was
# seen to start (a MutationObserver on the script-state attribute), so a no-op is never timed. The same
# observers note when the frontend booted and when the script started and last ended, which splits each
# figure into phases.
_LOAD_INIT_JS = """(() => {
    const T = window.__benchLoad = {};
    const watch = () => {
        const app = document.querySelector("[data-testid='stApp']");
        if (!app) return false;
        T.boot = performance.now();
        const check = () => {  // a short run may go running -> notRunning within one batch of mutations
            const s = app.getAttribute('data-test-script-state');
            if (s !== 'initial' && T.start === undefined) T.start = performance.now();
            if (s === 'notRunning' && T.start !== undefined) T.end = performance.now();
        };
        check();
        new MutationObserver(check).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
        return true;
    };
    const docObs = new MutationObserver(() => { if (watch()) docObs.disconnect(); });
    docObs.observe(document, {childList: true, subtree: true});
})();"""
# The rendered condition confirms itself once more after the tasks already queued and keeps when it did
# (window.__rendered.since): that moment is the time taken.
_LOAD_JS = """() => {
    if (!(%s)()) return false;
    const T = window.__benchLoad || {};
    return {ms: window.__rendered.since, boot: T.boot, start: T.start, end: T.end};
}"""
_ARM_JS = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    const main = document.querySelector("[data-testid='stMain']") || app;
    const b = window.__bench = {t0: null, start: null, end: null};
    window.__rendered = null;
    document.addEventListener('pointerdown', () => { if (b.t0 === null) b.t0 = performance.now(); },
                              {capture: true, once: true});
    for (const o of window.__benchObs || []) o.disconnect();
    // Armed while idle ('notRunning'): any change of the script state means a run began. A run so short
    // that React shows 'running' and 'notRunning' in one render leaves the attribute untouched, but it
    // changes the page's main area: the first change there counts as the start too.
    const state = new MutationObserver(() => {
        const now = performance.now();
        if (b.start === null) b.start = now;
        if (app.getAttribute('data-test-script-state') === 'notRunning') b.end = now;
    });
    state.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
    const content = new MutationObserver(() => {
        if (b.t0 === null) return;  // not clicked yet
        if (b.start === null) b.start = performance.now();
        content.disconnect();
    });
    content.observe(main, {childList: true, subtree: true, characterData: true});
    window.__benchObs = [state, content];
}"""
_RERENDERED_JS = """() => {
    const b = window.__bench;
    if (!b || b.t0 === null || b.start === null) return false;
    const R = window.__rendered;
    if (R && R.since !== null && R.since < b.start) R.since = null;  // confirmed before this run began
    if (!(%s)()) return false;
    const now = window.__rendered.since;
    return {ms: now - b.t0, to_start: b.start - b.t0, script: (b.end ?? now) - b.start, draw: now - (b.end ?? now)};
}"""


def _phases_of_load(r: dict) -> dict[str, float]:
    """Navigation → frontend booted → script started → script ended (last) → rendered."""
    boot, start, end, ms = r.get("boot"), r.get("start"), r.get("end"), r["ms"]
    if boot is None or start is None or end is None:
        return {}
    return {"boot": boot, "to_start": start - boot, "script": end - start, "draw": ms - end}


def _page_error(page) -> str | None:
    exc = page.locator("[data-testid='stException']")
    if exc.count():
        return "exception on the page: " + exc.first.inner_text()[:160].replace("\n", " ")
    if page.get_by_text("Page not found").count():
        return "page not found"
    return None


def new_tab(browser):
    """A new browser context (no cache, cookies or history: a reader's new tab) and its page, with the
    in-page timers installed. Returns (context, page)."""
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.add_init_script(_LOAD_INIT_JS)
    page = ctx.new_page()
    page.set_default_timeout(WAIT_MS)
    return ctx, page


def browser_load(page, url: str, rendered: str, phases: list | None = None) -> float:
    """Navigate to `url`; ms from navigation start to rendered (its phases appended to `phases`).
    The page's context needs `_LOAD_INIT_JS` as an init script for the phases."""
    page.goto(url, wait_until="commit", timeout=WAIT_MS)
    r = page.wait_for_function(_LOAD_JS % rendered, polling="raf", timeout=WAIT_MS).json_value()
    if phases is not None:
        ph = _phases_of_load(r)
        if ph:
            phases.append(ph)
    return float(r["ms"])


def browser_loads(
    page,
    base: str,
    urls: list[str],
    runs: int,
    rendered: str,
    on_url: Callable[[str, Sample, Sample], None] | None = None,
    cpu: CpuProbe | None = None,
    paired: tuple[str, dict] | None = None,
) -> dict[str, tuple[Sample, Sample]]:
    """For each URL: the first (cold server caches) load, one untimed load, then `runs` warm loads
    (ms; with `cpu`, also the mean CPU time of a warm load). The untimed load lets the browser finish
    warming up to the page (its scripts' compiled code cached, the chunks it needs loaded), so the first
    timed loads of a subject are not slower than its later ones: the floor, measured first, and the
    app's first page are timed as warm as every other page.

    `paired` = (floor URL, out dict): after each warm load, the floor page is loaded in the same tab
    too (one untimed load first), and its times go into `out[url]` — the floor measured at the same
    moments as the page, so a change in the machine's speed during the run moves both alike."""
    out = {}
    for u in urls:
        cold, warm, floor = Sample(), Sample(), Sample()
        try:
            cold.values.append(browser_load(page, f"{base}/{u}", rendered, cold.phases))
            cold.error = warm.error = _page_error(page)
            if not warm.error and runs:
                browser_load(page, f"{base}/{u}", rendered)
                if paired:
                    browser_load(page, paired[0], rendered)
                used = (0.0, 0.0)
                for _ in range(runs):
                    before = cpu() if cpu else None
                    warm.values.append(browser_load(page, f"{base}/{u}", rendered, warm.phases))
                    if cpu:
                        after = cpu()
                        used = (used[0] + after[0] - before[0], used[1] + after[1] - before[1])
                    if paired:
                        floor.values.append(browser_load(page, paired[0], rendered, floor.phases))
                if cpu:
                    warm.cpu = _cpu_per((0.0, 0.0), used, runs)
        except Exception as e:  # noqa: BLE001 — a page that never renders is a figure too
            cold.error = cold.error or f"{type(e).__name__}: {str(e).splitlines()[0][:160]}"
            warm.error = warm.error or cold.error
            floor.error = cold.error
        out[u] = (cold, warm)
        if paired:
            paired[1][u] = floor
        if on_url:
            on_url(u, cold, warm)
    return out


# Each step changes one sidebar selectbox; the first eight visit eight filter combinations the
# server has not seen (a rook's tour of DNA × death sentence), the way back revisits them (cached).
FILTER_TOUR = [
    ("DNA exoneration", "Yes"),
    ("DNA exoneration", "No"),
    ("Death sentence", "Yes"),
    ("DNA exoneration", "Yes"),
    ("DNA exoneration", "Any"),
    ("Death sentence", "No"),
    ("DNA exoneration", "Yes"),
    ("DNA exoneration", "No"),
]
FILTER_BACK = [
    ("DNA exoneration", "Yes"),
    ("DNA exoneration", "Any"),
    ("Death sentence", "Yes"),
    ("DNA exoneration", "Yes"),
    ("DNA exoneration", "No"),
    ("Death sentence", "Any"),
    ("DNA exoneration", "Yes"),
    ("DNA exoneration", "Any"),
]
PRE_1989 = "Include cases exonerated before 1989"


def _pick(page, label: str, value: str, rendered: str, into: Sample) -> None:
    """Choose `value` in the sidebar selectbox `label` (or tick the checkbox `label`); the ms to
    rendered (and its phases) go into `into`."""
    sidebar = page.locator("[data-testid='stSidebar']")
    if value == "tick":
        target = sidebar.locator("[data-testid='stCheckbox']").filter(has_text=label).first.locator("label")
    else:
        box = sidebar.locator("[data-testid='stSelectbox']").filter(has_text=label).first
        opener = box.locator("button[aria-haspopup='listbox']")
        target = page.get_by_role("option", name=value, exact=True)

    def open_list() -> None:
        box.scroll_into_view_if_needed()  # a click that scrolls the sidebar would close the list again
        for attempt in range(4):  # a click while the page settles may only focus the box: try again
            (opener.first if opener.count() else box).click()
            try:
                target.wait_for(state="visible", timeout=2_500)
                return
            except Exception:  # noqa: BLE001 — Playwright's TimeoutError
                if attempt == 3:
                    raise

    def rerendered(timeout: int) -> dict:
        return page.wait_for_function(_RERENDERED_JS % rendered, polling="raf", timeout=timeout).json_value()

    for attempt in range(4):
        last = attempt == 3
        if value != "tick":
            open_list()
        page.evaluate(_ARM_JS)
        try:
            # A click Playwright times out on never happened (it waits for the option before clicking):
            # the list closed again before the click (the sidebar drawn once more as the page settled).
            target.click(timeout=5_000)
        except Exception:  # noqa: BLE001 — Playwright's TimeoutError
            if last:
                raise
            continue
        try:
            r = rerendered(NO_RUN_MS)
        except Exception:  # noqa: BLE001 — Playwright's TimeoutError
            # No run began after the click: the option moved as the list was drawn again and the click
            # landed beside it (the value is unchanged). Pick again; a run that began is waited for.
            if not last and page.evaluate("() => window.__bench.start === null"):
                page.keyboard.press("Escape")
                continue
            r = rerendered(WAIT_MS)
        break
    into.values.append(float(r.pop("ms")))
    into.phases.append(r)


def open_filter_panel(page, rendered: str) -> None:
    """Open the app's sidebar filter panel (closed on a new visit), untimed; the references have none."""
    sidebar = page.locator("[data-testid='stSidebar']")
    panel = sidebar.locator("[data-testid='stExpander']", has_text="Filters")
    if panel.count() and not panel.first.locator("details[open]").count():
        panel.first.locator("summary").click()
        sidebar.locator("[data-testid='stSelectbox']").first.wait_for(timeout=WAIT_MS)
        page.wait_for_function(_LOAD_JS % rendered, polling="raf", timeout=WAIT_MS)


def browser_filter(
    page,
    url: str,
    steps: int,
    rendered: str,
    tick_first: bool = False,
    cached_too: bool = True,
    cpu: CpuProbe | None = None,
) -> tuple[Sample, Sample]:
    """Open `url`, then time `steps` filter changes to new combinations and (with `cached_too`) as
    many back through seen ones. `tick_first` first ticks the pre-1989 checkbox (timed, also new), so
    a second page on the same server also meets filter combinations the server has not seen."""
    new, cached = Sample(), Sample()
    try:
        browser_load(page, url, rendered)
        browser_load(page, url, rendered)  # untimed, as before the timed page loads: the browser warmed up
        new.error = cached.error = _page_error(page)
        if new.error:
            return new, cached
        open_filter_panel(page, rendered)
        before = cpu() if cpu else None
        if tick_first:
            _pick(page, PRE_1989, "tick", rendered, new)
        for label, value in FILTER_TOUR[:steps]:
            _pick(page, label, value, rendered, new)
        if cpu and new.values:
            new.cpu = _cpu_per(before, before := cpu(), len(new.values))
        if cached_too:
            for label, value in FILTER_BACK[len(FILTER_BACK) - steps :]:
                _pick(page, label, value, rendered, cached)
            if cpu and cached.values:
                cached.cpu = _cpu_per(before, cpu(), len(cached.values))
        new.error = cached.error = _page_error(page)
    except Exception as e:  # noqa: BLE001
        msg = f"{type(e).__name__}: {str(e).splitlines()[0][:160]}"
        new.error = new.error or msg
        cached.error = cached.error or msg
    return new, cached


# ---------------------------------------------------------------------------------------------
# The table


@dataclass
class Config:
    scales: list[float]
    runs_rerun: int
    runs_load: int
    filter_steps: int
    runs_import: int
    browser: bool
    refs: bool
    profile: bool


def fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "s":
        return f"{v:.2f}"
    return f"{v:,.0f}" if v >= 10 else f"{v:.1f}"


def scale_name(scale: float) -> str:
    return f"{scale:g}×"


@dataclass
class Row:
    kind: str  # what targets apply: import, rerun, load, filter, rss (others have none)
    figure: str
    unit: str  # "ms", "s", "MB"
    floor: Sample | None = None
    app: dict = field(default_factory=dict)  # scale → Sample
    peer: dict = field(default_factory=dict)  # scale → Sample
    targets: list = field(default_factory=list)  # (text, passed: bool | None)
    # scale → the floor measured alongside (page loads: floor loads alternated with the page's); when
    # present, "app − floor" and the floor target use it instead of `floor`
    paired: dict = field(default_factory=dict)
    urls: dict = field(default_factory=dict)  # scale → the page a "slowest"/"busiest" row shows

    def floor_at(self, scale: float) -> Sample | None:
        p = self.paired.get(scale)
        return p if p is not None and p.median is not None else self.floor


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def check_targets(rows: list[Row]) -> None:
    """Attach the issue's targets to the rows they concern."""
    target_of = {
        "rerun": {1: 30, 100: 250},
        "filter": {1: 300, 100: 800},
    }
    for r in rows:
        kind = r.kind
        for scale in r.app:
            a = r.app[scale].median
            if kind in target_of and scale in target_of[kind]:
                limit = target_of[kind][scale]
                r.targets.append((f"≤ {limit} ms at {scale_name(scale)}", None if a is None else a <= limit))
            if kind == "load" and scale == 1 and r.floor_at(scale) is not None:
                f = r.floor_at(scale).median
                d = None if a is None or f is None else (a - f) / 1000
                r.targets.append(("within 0.3 s of floor at 1×", None if d is None else d <= 0.3))
            if kind == "import":
                r.targets.append(("≤ 1 s", None if a is None else a <= 1))
            if kind == "rss" and scale == 100:
                r.targets.append(("≤ 600 MB at 100×", None if a is None else a <= 600))
            p = r.peer.get(scale)
            if p is not None and kind in ("rerun", "load", "filter", "rss"):
                ratio = _ratio(a, p.median)
                r.targets.append(
                    (f"≥ 3× better than peer at {scale_name(scale)}", None if ratio is None else ratio <= 1 / 3)
                )


def _cell(s: Sample | None, unit: str) -> str:
    if s is None:
        return ""
    if s.error:
        return "error"
    return fmt(s.median, unit) if s.values else "n/a"


def render_table(rows: list[Row], scales: list[float], header: list[str], notes: list[str]) -> str:
    cols = ["Figure", "Floor"]
    for sc in scales:
        n = scale_name(sc)
        cols += [f"{n} app", f"{n} peer", f"{n} app/peer", f"{n} app − floor"]
    cols.append("Targets")
    lines = list(header) + ["", "| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    passed = failed = unknown = 0
    failures = []
    for r in rows:
        cells = [r.figure, _cell(r.floor, r.unit)]
        for sc in scales:
            a, p = r.app.get(sc), r.peer.get(sc)
            ratio = _ratio(a.median if a else None, p.median if p else None)
            fl = r.floor_at(sc).median if r.floor_at(sc) else None
            diff = None if fl is None or a is None or a.median is None else a.median - fl
            if diff is not None and r.kind in ("load", "load_cold"):
                diff_txt = f"{diff / 1000:+.2f} s"
            elif diff is not None:
                diff_txt = f"{diff:+,.0f} {r.unit}"
            else:
                diff_txt = ""
            cells += [_cell(a, r.unit), _cell(p, r.unit), "" if ratio is None else f"{ratio:.2f}×", diff_txt]
        tcells = []
        for text, ok in r.targets:
            tcells.append(f"{text}: {'PASS' if ok else 'FAIL' if ok is False else 'n/a'}")
            if ok:
                passed += 1
            elif ok is False:
                failed += 1
                failures.append(f"{r.figure.split(' — ')[0]}: {text}")
            else:
                unknown += 1
        cells.append("; ".join(tcells))
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"**Targets: {passed} pass, {failed} fail" + (f", {unknown} not measured" if unknown else "") + ".**"]
    if failures:
        lines += ["", "Failing:"] + [f"- {f}" for f in failures]
    if notes:
        lines += ["", "Notes:"] + [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def contention() -> str:
    """Load average and, where the kernel reports it, CPU pressure: how busy the machine was."""
    text = "load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1/5/15 min)"
    with contextlib.suppress(OSError, ValueError, IndexError):
        some = Path("/proc/pressure/cpu").read_text().splitlines()[0].split()
        vals = dict(kv.split("=") for kv in some[1:])
        text += f", CPU pressure {float(vals['avg60']):.0f}% (share of the last minute some task waited for a CPU)"
    return text


def machine_info() -> list[str]:
    def meminfo_gb() -> str:
        with contextlib.suppress(OSError, ValueError, IndexError):
            for line in Path("/proc/meminfo").read_text().splitlines():
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
        return "unknown"

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = []
    for mod in ("streamlit", "duckdb", "pandas", "plotly"):
        with contextlib.suppress(Exception):
            versions.append(f"{mod} {__import__(mod).__version__}")
    return [
        f"Machine: {os.cpu_count()} CPUs ({cpu}), {meminfo_gb()} RAM; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {', '.join(versions)}.",
        f"Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}; at the start: {contention()}. "
        "Other work on the machine slows every figure: compare tables made under similar load.",
    ]


# ---------------------------------------------------------------------------------------------
# The run


def run(cfg: Config, pages: list[Page], workdir: Path, full_export: Path) -> tuple[str, dict]:
    notes: list[str] = []
    raw: dict = {"config": cfg.__dict__, "pages": [p.__dict__ for p in pages]}
    started = time.time()
    header = ["## Performance (`make bench`)", ""] + machine_info()

    # -- data ------------------------------------------------------------------------------------
    dbs: dict[float, Path] = {}
    csvs: dict[float, Path] = {}
    imp = Sample()
    for sc in cfg.scales:
        path = workdir / f"app-{sc:g}x.duckdb"
        if sc == 1 and full_export.is_file():
            log(f"importing the full export into {path}")
            import_db(full_export, path)
        else:
            if sc == 1:
                notes.append(
                    f"The full export is absent ({full_export}): 1× uses the synthetic demo at scale 1 "
                    "and the import figure is n/a."
                )
            log(f"building the demo at scale {sc:g} into {path}")
            t0 = time.perf_counter()
            build_demo(sc, path)
            log(f"  built in {time.perf_counter() - t0:.1f} s")
        dbs[sc] = path
        if cfg.refs:
            csvs[sc] = export_cases_csv(path, workdir / f"peer-{sc:g}x.csv")
    if full_export.is_file():
        log(f"timing the import of {full_export.name} ({cfg.runs_import} runs)")
        imp = time_import(full_export, cfg.runs_import, workdir)
    data_desc = []
    for sc in cfg.scales:
        from exonerations import db as xdb

        reg = xdb.Registry(dbs[sc])
        data_desc.append(f"{scale_name(sc)} = {reg.meta.file_name} ({reg.meta.rows:,} rows)")
        reg.close()
    header.append("Data: " + "; ".join(data_desc) + ".")
    header.append(
        f"Runs: warm reruns {cfg.runs_rerun} per page, page loads {cfg.runs_load} per page (after one cold "
        f"and one untimed load), filter changes {cfg.filter_steps} new + {cfg.filter_steps} cached per page, "
        f"imports {cfg.runs_import}. Every figure is a median; times in ms unless the figure says s."
    )

    # -- server side: AppTest ------------------------------------------------------------------------
    rerun: dict = {}  # (subject, scale, url) → Sample
    for sc in cfg.scales:
        log(f"AppTest warm reruns of {len(pages)} pages at {scale_name(sc)}")

        def show(page, s, sc=sc):
            log(
                f"  {page.title if page else 'page'}: "
                + (s.error if s.error else f"{statistics.median(s.values):.1f} ms")
            )

        res = apptest_reruns(APP, {"EXONERATIONS_DB": str(dbs[sc])}, pages, cfg.runs_rerun, on_page=show)
        for u, s in res.items():
            rerun[("app", sc, u)] = s
        if cfg.profile:
            ok = {u: s.median for u, s in res.items() if s.median is not None}
            if ok:
                busiest = max(ok, key=ok.get)
                page = next(p for p in pages if p.url == busiest)
                prof = cProfile.Profile()
                log(f"  profiling the busiest page ({page.title}) at {scale_name(sc)}")
                apptest_reruns(APP, {"EXONERATIONS_DB": str(dbs[sc])}, [page], cfg.runs_rerun, profile=prof)
                out = RESULTS / f"profile-{sc:g}x-{page.url_path}.txt"
                out.write_text(
                    f"cProfile of {cfg.runs_rerun} warm AppTest reruns of {page.title} at "
                    f"{scale_name(sc)} (script thread only)\n\n" + profile_text(prof)
                )
                notes.append(f"Profile of the busiest page's warm reruns at {scale_name(sc)}: {out.relative_to(ROOT)}.")
            log(f"  warm rerun by part, every page, at {scale_name(sc)}")
            bd = _breakdown_module()
            out = RESULTS / f"breakdown-{sc:g}x.md"
            out.write_text(
                bd.render(bd.breakdown(dbs[sc], pages, cfg.runs_rerun), f"Warm rerun by part at {scale_name(sc)}")
            )
            notes.append(
                f"Warm rerun by part (figures, queries, CSVs, …) at {scale_name(sc)}: {out.relative_to(ROOT)}."
            )
    if cfg.refs:
        log("AppTest warm reruns of the floor and the peer")
        rerun[("floor", 0, "")] = apptest_reruns(FLOOR_APP, {}, [None], cfg.runs_rerun)[""]
        for sc in cfg.scales:
            rerun[("peer", sc, "")] = apptest_reruns(PEER_APP, {"PEER_CSV": str(csvs[sc])}, [None], cfg.runs_rerun)[""]

    # -- browser ------------------------------------------------------------------------------------
    load: dict = {}  # (subject, scale, url) → (cold, warm)
    paired: dict = {}  # ("app", scale, url) → the floor's loads alternated with that page's warm loads
    filt: dict = {}  # (subject, scale, url) → (new, cached)
    rss: dict = {}  # (subject, scale) → Sample
    if cfg.browser and not Path(CHROMIUM).exists():
        notes.append(f"No Chromium at {CHROMIUM} (`apt-get install -y chromium`): browser figures are n/a.")
        cfg.browser = False
    if cfg.browser:
        from playwright.sync_api import sync_playwright

        rendered = rendered_js()
        subjects = [("app", sc, SERVE, {"EXONERATIONS_DB": str(dbs[sc])}) for sc in cfg.scales]
        if cfg.refs:
            subjects.insert(0, ("floor", 0, FLOOR_APP, {}))
            subjects += [("peer", sc, PEER_APP, {"PEER_CSV": str(csvs[sc])}) for sc in cfg.scales]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            pair_server = None
            if cfg.refs:  # a second floor server, for the floor loads alternated with the app's
                try:
                    pair_server = Server(FLOOR_APP, {}, RESULTS / "server-floor-paired.log")
                except RuntimeError as e:
                    notes.append(f"No floor loads alternated with the app's: {e}.")
            try:
                for subject, sc, script, env in subjects:
                    name = subject + (f"-{sc:g}x" if sc else "")
                    log(f"browser: {name}")
                    try:
                        server = Server(script, env, RESULTS / f"server-{name}.log")
                    except RuntimeError as e:
                        notes.append(f"Browser figures of {name}: {e}.")
                        log(f"  {e}")
                        continue
                    try:
                        urls = [p.url for p in pages] if subject == "app" else [""]

                        def show(u, cold, warm):
                            log(
                                f"  load /{u}: "
                                + (
                                    warm.error
                                    if warm.error
                                    else f"cold {cold.values[0]:.0f} ms, warm "
                                    f"{statistics.median(warm.values or [0]):.0f} ms"
                                )
                            )

                        probe = CpuProbe(server.proc.pid)
                        # Each page in a new tab (browser context), so every page starts from the same
                        # browser state as the floor and the peer, whose one page is all they load (in one
                        # tab, the app's later pages carried a hundred earlier documents' state).
                        for u in urls:
                            ctx, page = new_tab(browser)
                            out: dict = {}
                            alternate = (pair_server.url, out) if pair_server and subject == "app" else None
                            load[(subject, sc, u)] = browser_loads(
                                page, server.url, [u], cfg.runs_load, rendered, on_url=show, cpu=probe,
                                paired=alternate,
                            )[u]
                            if u in out:
                                paired[(subject, sc, u)] = out[u]
                            ctx.close()
                        # The filter changes start in a new tab too, as a reader's visit would.
                        ctx, page = new_tab(browser)
                        fpages = [p.url for p in pages if p.url_path in FILTER_PAGES] if subject == "app" else [""]
                        for i, u in enumerate(fpages):
                            new, cached = browser_filter(
                                page,
                                f"{server.url}/{u}",
                                cfg.filter_steps,
                                rendered,
                                tick_first=i > 0,
                                cached_too=subject == "app",
                                cpu=probe,
                            )
                            filt[(subject, sc, u)] = (new, cached)
                            log(
                                f"  filter change /{u}: "
                                + (
                                    new.error
                                    if new.error
                                    else f"new {statistics.median(new.values):.0f} ms"
                                    + (f", cached {statistics.median(cached.values):.0f} ms" if cached.values else "")
                                )
                            )
                        ctx.close()
                    finally:
                        server.stop()
                    rss[(subject, sc)] = Sample([server.rss.peak_mb])
                    log(f"  peak RSS {server.rss.peak_mb:.0f} MB")
            finally:
                if pair_server:
                    pair_server.stop()
                browser.close()

    # -- the table ----------------------------------------------------------------------------------
    rows: list[Row] = []

    def row(kind: str, figure: str, unit: str) -> Row:
        r = Row(kind, figure, unit)
        rows.append(r)
        return r

    r = row("import", "Import of the full export (s)", "s")
    r.app[1] = imp if full_export.is_file() else Sample()
    title = {p.url: p.title for p in pages}

    def worst(kind: str, figure: str, per_page: Callable[[float, str], Sample | None],
              by: Callable[[float, str, Sample], float] | None = None) -> Row:
        """A row holding, at each scale, the page with the highest median (or the highest `by(scale,
        url, sample)`), named in the figure."""
        r = row(kind, figure, "ms")
        named = []
        for sc in cfg.scales:
            pairs = [(p.url, per_page(sc, p.url)) for p in pages]
            ok = [(u, s) for u, s in pairs if s is not None and s.median is not None]
            if ok:
                u, r.app[sc] = max(ok, key=lambda us, sc=sc: by(sc, *us) if by else us[1].median)
                r.urls[sc] = u
                named.append(f"{title[u]} at {scale_name(sc)}")
            else:
                r.app[sc] = next((s for _, s in pairs if s is not None and s.error), Sample())
        if named:
            r.figure += " — " + ", ".join(named)
        return r

    busiest = worst("rerun", "Warm rerun, busiest page (ms)", lambda sc, u: rerun.get(("app", sc, u)))
    for sc in cfg.scales:
        if ("peer", sc, "") in rerun:
            busiest.peer[sc] = rerun[("peer", sc, "")]
    busiest.floor = rerun.get(("floor", 0, ""))
    for p in pages:
        rr = row("rerun_page", f"Warm rerun: {p.title} (ms)", "ms")
        for sc in cfg.scales:
            rr.app[sc] = rerun.get(("app", sc, p.url), Sample())

    if cfg.browser:
        def above_floor(sc: float, u: str, s: Sample) -> float:
            """How far a page's loads lie above the floor loaded alongside them (its median, if none)."""
            f = paired.get(("app", sc, u))
            return s.median - f.median if f is not None and f.median is not None else s.median

        # The target is every page within 0.3 s of the floor: with the floor alternated, the row shows the
        # page furthest above it (the machine's speed at each page's moment taken out), else the slowest.
        slowest = worst(
            "load", "Page load to rendered, slowest page (ms)", lambda sc, u: load.get(("app", sc, u), (None, None))[1],
            by=above_floor,
        )
        cold_row = worst(
            "load_cold",
            "Page load, first visit (cold server caches), slowest page (ms)",
            lambda sc, u: load.get(("app", sc, u), (None, None))[0],
        )
        for sc in cfg.scales:
            if ("peer", sc, "") in load:
                cold_row.peer[sc], slowest.peer[sc] = load[("peer", sc, "")]
        if ("floor", 0, "") in load:
            cold_row.floor, slowest.floor = load[("floor", 0, "")]
        for sc, u in slowest.urls.items():
            if ("app", sc, u) in paired:
                slowest.paired[sc] = paired[("app", sc, u)]
        for p in pages:
            rr = row("load_page", f"Load: {p.title} (ms)", "ms")
            for sc in cfg.scales:
                rr.app[sc] = load.get(("app", sc, p.url), (Sample(), Sample()))[1]
                if ("app", sc, p.url) in paired:
                    rr.paired[sc] = paired[("app", sc, p.url)]
        for p in pages:
            if p.url_path not in FILTER_PAGES:
                continue
            rn = row("filter", f"Filter change to re-rendered: {p.title}, new filter values (ms)", "ms")
            rc = row("filter_cached", f"Filter change to re-rendered: {p.title}, values seen before (ms)", "ms")
            for sc in cfg.scales:
                if ("app", sc, p.url) in filt:
                    rn.app[sc], rc.app[sc] = filt[("app", sc, p.url)]
                if ("peer", sc, "") in filt:
                    rn.peer[sc] = filt[("peer", sc, "")][0]
            if ("floor", 0, "") in filt:
                rn.floor = rc.floor = filt[("floor", 0, "")][0]

        def cpu_row(figure: str, samples: Callable[[str, float], list[Sample]], key: str) -> None:
            """A row of CPU ms (mean over the samples that have it) for app, floor and peer."""
            r = row("cpu", figure, "ms")

            def mean(ss: list[Sample]) -> Sample | None:
                vals = [x.cpu[key] for x in ss if x is not None and x.cpu and not x.error]
                return Sample([statistics.fmean(vals)]) if vals else None

            for sc in cfg.scales:
                r.app[sc] = mean(samples("app", sc)) or Sample()
                if cfg.refs:
                    r.peer[sc] = mean(samples("peer", sc)) or Sample()
            r.floor = mean(samples("floor", 0))

        def loads_of(subject: str, sc: float) -> list[Sample]:
            return [w for (subj, s, _), (_, w) in load.items() if subj == subject and s == sc]

        def filters_of(subject: str, sc: float) -> list[Sample]:
            return [n for (subj, s, _), (n, _) in filt.items() if subj == subject and s == sc]

        cpu_row("CPU per page load, server (ms; mean over pages)", loads_of, "server_ms")
        cpu_row("CPU per page load, browser (ms; mean over pages)", loads_of, "browser_ms")
        cpu_row("CPU per filter change (new values), server (ms)", filters_of, "server_ms")
        cpu_row("CPU per filter change (new values), browser (ms)", filters_of, "browser_ms")
        rm = row("rss", "Peak server RSS (MB)", "MB")
        for sc in cfg.scales:
            rm.app[sc] = rss.get(("app", sc), Sample())
            if ("peer", sc) in rss:
                rm.peer[sc] = rss[("peer", sc)]
        rm.floor = rss.get(("floor", 0))
    else:
        notes.append("Browser figures (loads, filter changes, server memory) were not measured.")

    for r in rows:
        for sc, s in list(r.app.items()) + list(r.peer.items()):
            if s.error:
                notes.append(f"{r.figure} at {scale_name(sc)}: {s.error}")
    if cfg.browser:
        notes.extend(phase_notes(load, filt, cfg.scales))
    if any(r.kind == "load" for r in rows):
        notes.append(
            "The peer ratio for page loads compares whole page loads; the floor (a bare Streamlit page) "
            "is most of every load, so ≤ ⅓ of the peer may be below the floor itself."
        )
    for r in rows:
        if r.kind == "load" and r.paired:
            medians = ", ".join(f"{fmt(p.median, 'ms')} ms beside {title[r.urls[sc]]} at {scale_name(sc)}"
                                for sc, p in r.paired.items() if p.median is not None)
            notes.append(
                "Page loads, app − floor: against the floor loaded right after each of the page's own loads, "
                f"in the same tab ({medians}), so a change in the machine's speed moves both alike; the Floor "
                "column is the floor's own run."
            )
    notes.append(f"Took {time.time() - started:.0f} s; at the end: {contention()}.")
    check_targets(rows)
    table = render_table(rows, cfg.scales, header, notes)
    raw["rerun"] = {f"{k[0]}|{k[1]:g}|{k[2]}": v.to_json() for k, v in rerun.items()}
    raw["load"] = {f"{k[0]}|{k[1]:g}|{k[2]}": {"cold": c.to_json(), "warm": w.to_json()} for k, (c, w) in load.items()}
    raw["paired_floor"] = {f"{k[0]}|{k[1]:g}|{k[2]}": v.to_json() for k, v in paired.items()}
    raw["filter"] = {
        f"{k[0]}|{k[1]:g}|{k[2]}": {"new": n.to_json(), "cached": c.to_json()} for k, (n, c) in filt.items()
    }
    raw["rss_mb"] = {f"{k[0]}|{k[1]:g}": v.to_json() for k, v in rss.items()}
    raw["import_s"] = imp.to_json()
    return table, raw


def _phase_text(samples: list[Sample], names: dict[str, str]) -> str | None:
    merged = Sample(phases=[ph for s in samples if s and not s.error for ph in s.phases])
    if not merged.phases:
        return None
    med = merged.phase_medians()
    return ", ".join(f"{label} {med[k]:,.0f} ms" for k, label in names.items() if k in med)


LOAD_PHASES = {
    "boot": "frontend booted after",
    "to_start": "then the script started after",
    "script": "script running (the server runs it, the browser draws what arrives)",
    "draw": "drawing after the script ended",
}
FILTER_PHASES = {
    "to_start": "until the script started",
    "script": "script running",
    "draw": "drawing after the script ended",
}


def phase_notes(load: dict, filt: dict, scales: list[float]) -> list[str]:
    """Where loads and filter changes go, from the in-page observers (medians of every sample)."""
    out = []
    floor_load = _phase_text([load.get(("floor", 0, ""), (None, None))[1]], LOAD_PHASES)
    floor_filter = _phase_text([filt.get(("floor", 0, ""), (None, None))[0]], FILTER_PHASES)
    for sc in scales:
        app = _phase_text([w for (subj, s, _), (_, w) in load.items() if subj == "app" and s == sc], LOAD_PHASES)
        if app:
            out.append(
                f"Where a page load goes at {scale_name(sc)} (median over every page's loads): {app}"
                + (f"; floor: {floor_load}." if floor_load else ".")
            )
        app = _phase_text([n for (subj, s, _), (n, _) in filt.items() if subj == "app" and s == sc], FILTER_PHASES)
        if app:
            out.append(
                f"Where a filter change goes at {scale_name(sc)} (new values, both pages): {app}"
                + (f"; floor: {floor_filter}." if floor_filter else ".")
            )
    return out


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer runs, for a smoke test")
    p.add_argument(
        "--scales",
        default="1,100",
        help="comma-separated data scales (default: 1,100); 1 is the "
        "full export when present, any other is the synthetic demo at that scale",
    )
    p.add_argument(
        "--pages",
        help="comma-separated url paths or titles of the pages to measure (default: all "
        "pages in app.py); 'overview' is the root page",
    )
    p.add_argument("--runs", type=int, help="override every run count")
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium figures (loads, filters, RSS)")
    p.add_argument("--no-refs", action="store_true", help="skip the floor and peer references")
    p.add_argument(
        "--profile",
        action="store_true",
        help="also cProfile the busiest page's warm reruns (written to bench/results/profile-*.txt)",
    )
    p.add_argument(
        "--full-export", type=Path, default=FULL_EXPORT, help="the registry export to time (default: %(default)s)"
    )
    p.add_argument(
        "--workdir",
        type=Path,
        help="where databases and CSVs go (default: a temporary directory, removed afterwards)",
    )
    p.add_argument("--out", type=Path, default=RESULTS / "latest.md", help="markdown output (default: %(default)s)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    try:
        scales = [float(x) for x in a.scales.split(",") if x.strip()]
    except ValueError:
        print(f"--scales {a.scales!r} is not a list of numbers such as 1,100.", file=sys.stderr)
        return 2
    if not scales or any(s <= 0 for s in scales):
        print("--scales needs positive numbers.", file=sys.stderr)
        return 2
    quick = a.quick
    cfg = Config(
        scales=scales,
        runs_rerun=a.runs or (3 if quick else 10),
        runs_load=a.runs or (2 if quick else 9),
        filter_steps=min(len(FILTER_TOUR), a.runs or (3 if quick else 8)),
        runs_import=a.runs or (2 if quick else 5),
        browser=not a.no_browser,
        refs=not a.no_refs,
        profile=a.profile,
    )
    pages = select_pages(discover_pages(), a.pages)
    RESULTS.mkdir(parents=True, exist_ok=True)
    tmp = None
    if a.workdir:
        workdir = a.workdir
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        workdir = tmp = Path(tempfile.mkdtemp(prefix="exonerations-bench-"))
    try:
        table, raw = run(cfg, pages, workdir, a.full_export)
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    print(table)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(table, encoding="utf-8")
    a.out.with_suffix(".json").write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")
    log(f"wrote {a.out} and {a.out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
