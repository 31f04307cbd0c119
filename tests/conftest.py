"""Shared fixtures: fixture databases (hand-made, demo, and the real full export from ../shared when it
is there), Streamlit cache clearing, and the Chromium + app server used by browser tests."""

from __future__ import annotations

import csv
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from exonerations.publish import CHROMIUM_FLAGS

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared" / "data" / "nre"
FULL_EXPORT = SHARED / "nre-full-export-2026-06-25.csv"
EXCERPT = SHARED / "nre-public-spreadsheet-excerpt.csv"
ARTIFACTS = ROOT / "test-artifacts"
# The pages and tabs that draw charts, as (page file, link parameters): what chart tests run through.
CHART_PAGES = [
    ("overview", {}),
    ("misconduct", {}),
    ("misconduct", {"tab": "together"}),
    ("misconduct", {"tab": "where"}),
    ("over_time", {}),
    ("geography", {}),
    ("new_york", {}),
    ("human_cost", {}),
]
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def need_full_export() -> Path:
    if not FULL_EXPORT.is_file():
        pytest.skip(f"the real registry export is not at {FULL_EXPORT} (../shared is absent on this machine)")
    return FULL_EXPORT


def read_full_export_rows() -> list[dict]:
    """The full export read with the csv module alone — the independent count tests compare with."""
    with need_full_export().open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def small_db(tmp_path_factory) -> Path:
    from exonerations import db

    path = tmp_path_factory.mktemp("small") / "small.duckdb"
    db.import_file(FIXTURES / "b_small.csv", path)
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    from exonerations import demo

    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    demo.build_demo(path, 1)
    return path


@pytest.fixture(scope="session")
def full_db(tmp_path_factory) -> Path:
    from exonerations import db

    src = need_full_export()
    path = tmp_path_factory.mktemp("full") / "full.duckdb"
    db.import_file(src, path)
    return path


@pytest.fixture(scope="session")
def full_registry(full_db):
    from exonerations import db

    reg = db.Registry(full_db)
    yield reg
    reg.close()


@pytest.fixture(scope="session")
def small_registry(small_db):
    from exonerations import db

    reg = db.Registry(small_db)
    yield reg
    reg.close()


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield


# ---------------------------------------------------------------------------------------------
# Browser tests: Debian's Chromium driven by Playwright, against a real app server.


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if os.environ.get("REQUIRE_BROWSER"):
        return  # the browser fixture fails loudly instead
    skip = pytest.mark.skip(reason="no Chromium on this machine: `apt-get install -y chromium` to run browser tests")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# The tile map (exonerations/usmap.py) draws its tiles as squares in path shapes and the hatching of a
# share on few cases as stripes in path shapes.
SQUARE = re.compile(r"M([-\d.]+),([-\d.]+)H([-\d.]+)V([-\d.]+)H([-\d.]+)Z")
STRIPE = re.compile(r"M([-\d.]+),([-\d.]+)L([-\d.]+),([-\d.]+)")


def map_squares(layout: dict) -> list[tuple[tuple[float, float, float, float], dict]]:
    """The filled squares of a figure's path shapes, ((x0, y0, x1, y1), their shape), in drawing order."""
    return [
        (tuple(float(v) for v in m.group(1, 2, 3, 4)), sh)
        for sh in layout.get("shapes", [])
        if sh.get("fillcolor")
        for m in SQUARE.finditer(sh.get("path") or "")
    ]


def map_stripes(layout: dict) -> list[tuple[float, float]]:
    """Where each stripe of a figure's unfilled path shapes starts."""
    return [
        (float(m.group(1)), float(m.group(2)))
        for sh in layout.get("shapes", [])
        if not sh.get("fillcolor")
        for m in STRIPE.finditer(sh.get("path") or "")
    ]


def filters(at):
    """The sidebar of an AppTest with its filter panels open (state and crime; the others). A panel draws
    its widgets only while it is open, and AppTest does not carry a panel's open state from run to run
    (a browser does), so they are opened again whenever their widgets are not there."""
    from exonerations import ui

    if len(at.sidebar.selectbox) == 0 or not [w for w in at.sidebar.multiselect if w.key == "f_states"]:
        at.session_state[ui.FILTERS_OPEN] = True
        at.session_state[ui.PLACES_OPEN] = True
        at.run()
    return at.sidebar


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    def __init__(self, db_path: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "EXONERATIONS_DB": str(db_path), "PYTHONUNBUFFERED": "1"}
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"the app server did not start; see {log}")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def _server(db_path: Path, name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    srv = AppServer(db_path, ARTIFACTS / f"server-{name}.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def demo_server(demo_db):
    yield from _server(demo_db, "demo")


@pytest.fixture(scope="session")
def full_server(full_db):
    yield from _server(full_db, "full")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.fail("REQUIRE_BROWSER is set but Chromium is missing: `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def tabs(browser):
    """`tabs(width, height, name)`: one open tab for each, reused. A new tab costs a renderer process
    and a cold compile of Streamlit's JavaScript (about 2.5 s a page here); a navigation in an open tab
    does not, and still starts a new Streamlit session."""
    opened: dict = {}

    def tab(width: int = 1400, height: int = 1000, name: str = ""):
        key = (width, height, name)
        if key not in opened or opened[key].is_closed():
            opened[key] = browser.new_context(viewport={"width": width, "height": height}).new_page()
        return opened[key]

    yield tab
    for pg in opened.values():
        pg.context.close()


@pytest.fixture
def page(tabs):
    pg = tabs()
    yield pg
    pg.goto("about:blank")  # the test's Streamlit session ends with it (its listeners see nothing more)


# The plots a page draws: the app's chart element (exonerations/chart_element.py), or `st.plotly_chart`
# where the package is not installed. A plot Plotly has drawn holds a `.main-svg`; the chart element
# draws a plot only once it is displayed (`SHOWN_CHARTS`: those a reader can see).
CHARTS = ".xc-chart, [data-testid='stPlotlyChart']"
SHOWN_CHARTS = ".xc-chart:not([data-state='hidden']), [data-testid='stPlotlyChart']"

RENDERED_JS = """() => {
    const looks = () => {
        const app = document.querySelector("[data-testid='stApp']");
        if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
        if (document.querySelector("[data-testid='stSkeleton'], [data-testid='stSpinner']")) return false;
        if (!document.querySelector("[data-testid='stMain'] [data-testid='stElementContainer']")) return false;
        for (const c of document.querySelectorAll("[data-testid='stPlotlyChart']")) {  // st.plotly_chart
            if (!c.querySelector('.main-svg')) return false;
        }
        for (const c of document.querySelectorAll('.stBidiComponent')) {  // the app's chart element
            const f = c.querySelector('.xc-chart'), s = f && f.getAttribute('data-state');
            if (!f || s === 'pending' || (s === 'hidden' && f.checkVisibility())) return false;  // hidden: not shown
        }
        return true;
    };
    // A figure that has just arrived reaches its chart in a React effect, which may run in a task after
    // the page already looks finished: look once more after the tasks queued so far (a message posted
    // now is delivered after them). `since` is when the second look confirmed the first.
    const S = window.__rendered || (window.__rendered = {since: null, waiting: false});
    if (!looks()) { S.since = null; return false; }
    if (S.since === null && !S.waiting) {
        S.waiting = true;
        const ch = new MessageChannel();
        ch.port1.onmessage = () => { S.waiting = false; S.since = looks() ? performance.now() : null; };
        ch.port2.postMessage(null);
    }
    return S.since !== null;
}"""


def metrics(at) -> list[tuple[str, str]]:
    """The headline figures (ui.metrics) of an AppTest run, in order, as (label, value) text."""
    import re

    return [(re.sub(r"\\(.)", r"\1", m.label), m.value) for m in at.metric]


class _TableReader(HTMLParser):
    """The tables in an HTML body, as rows of cell text (a link as `[text](url)`)."""

    def __init__(self):
        super().__init__()
        self.tables, self.label, self.rows, self.cell, self.href = [], "", [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and a.get("role") == "region":
            self.label, self.rows = a.get("aria-label", ""), []
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "a":
            self.href, self.cell = a.get("href"), self.cell + "["

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.rows[-1].append(self.cell.strip())
            self.cell = None
        elif tag == "a":
            self.cell += f"]({self.href})"
        elif tag == "table":
            self.tables.append((self.label, self.rows))

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def page_tables(at) -> list:
    """The tables (fmt.html_table) an AppTest run drew, in page order, as frames of the cells' text as a
    reader sees it (entities decoded; a link as `[text](url)`), with `.attrs["label"]` the region's name."""
    import pandas as pd

    out = []
    for el in at.get("html"):
        reader = _TableReader()
        reader.feed(el.proto.body)
        for label, rows in reader.tables:
            frame = pd.DataFrame(rows[1:], columns=rows[0])
            frame.attrs["label"] = label
            out.append(frame)
    return out


def chart_elements(at) -> list:
    """The plots an AppTest run sent, in page order: the app's chart element (or `st.plotly_chart`)."""
    from exonerations import chart_element

    own = [el for el in at.get("bidi_component") if el.proto.component_name == chart_element.NAME]
    return own or list(at.get("plotly_chart"))


def chart_figures(at) -> list[dict]:
    """The figures (data and layout) of the charts an AppTest run sent, in page order."""
    import json

    return [
        json.loads(el.proto.bytes)["figure"] if hasattr(el.proto, "component_name") else json.loads(el.proto.spec)
        for el in chart_elements(at)
    ]


def chart_titles(at) -> list[str]:
    """The findings shown as chart titles (ui.chart writes each as a level-4 heading), unescaped."""
    import re

    return [re.sub(r"\\(.)", r"\1", m.value[5:].split("\n\n")[0]) for m in at.markdown if m.value.startswith("#### ")]


def chart_subtitles(at) -> list[str]:
    """The denominators shown under the chart titles (ui.chart writes each in small type, in the title's
    element), unescaped."""
    import re

    heads = [m.value.split("\n\n") for m in at.markdown if m.value.startswith("#### ")]
    return [re.sub(r"\\(.)", r"\1", h[1].removeprefix(":small[").removesuffix("]")) for h in heads if len(h) > 1]


def wait_rendered(page, timeout: float = 30_000) -> None:
    """Wait until the script has finished, no lazily-loaded element is still a skeleton, and every
    chart on the page has drawn its latest figure."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(RENDERED_JS, timeout=timeout, polling=50)


SIDEBAR_LINK_JS = """path => {
    const links = [...document.querySelectorAll("[data-testid='stSidebar'] [data-testid='stPageLink'] a")];
    const a = links.find(a => new URL(a.href).pathname.replace(/\\/$/, '') === path);
    if (!a) return false;
    a.click();
    return true;
}"""


def visit(tab, base_url: str, path: str, title: str, timeout: float = 60_000) -> None:
    """Open the app's page at `path` (its browser title `title`) in `tab`: by the sidebar's link when
    the tab already shows this app, as a reader moves between pages (Streamlit's JavaScript is not
    loaded again: about 2.5 s less a page here), else by loading its URL."""
    here = tab.url.startswith(base_url)
    if not (here and tab.title() == title):
        target = urlsplit(base_url).path.rstrip("/") + ("/" + path if path else "")
        if not (here and tab.evaluate(SIDEBAR_LINK_JS, target)):
            tab.goto(f"{base_url}/{path}")
        tab.wait_for_function("t => document.title === t", arg=title, timeout=timeout)
    wait_rendered(tab, timeout)


def open_filter_panel(page, timeout: float = 30_000, label: str = "Filters") -> None:
    """Open a filter panel of the sidebar ("Filters", or "State and crime"): a click on it; its widgets
    arrive with the rerun that follows."""
    sidebar = page.locator("[data-testid='stSidebar']")
    panel = sidebar.locator("[data-testid='stExpander']", has_text=label).first
    if not panel.locator("details[open]").count():
        panel.locator("summary").click()
        panel.locator("[data-testid='stMultiSelect']").first.wait_for(timeout=timeout)
    wait_rendered(page, timeout)


def choose_option(page, label: str, value: str) -> None:
    """Choose `value` in the sidebar selectbox `label`. The list can close again before the click
    lands (the sidebar drawn once more as the page settles), so opening and clicking are retried."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']", has_text=label).first
    option = page.get_by_role("option", name=value, exact=True)
    for attempt in range(5):
        try:
            box.scroll_into_view_if_needed()
            box.click()
            option.wait_for(state="visible", timeout=2_500)
            option.click(timeout=3_000)
            return
        except Exception:  # noqa: BLE001 — Playwright's TimeoutError
            if attempt == 4:
                raise


def full_screenshot(page, path) -> None:
    """A screenshot of the whole page. Streamlit scrolls inside its own container, so Playwright's
    full_page sees only the viewport: grow the viewport to the content's height first."""
    height = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll("[data-testid='stMain'], [data-testid='stSidebarContent']")]
                  .map(e => e.scrollHeight), document.body.scrollHeight)"""
    )
    size = page.viewport_size or {"width": 1400, "height": 1000}
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12_000)})
    page.wait_for_timeout(400)  # charts re-layout to the new size
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def unescaped(text: str) -> str:
    """Markdown text as a reader sees it: backslash escapes and the word joiners that keep links inert removed."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")
