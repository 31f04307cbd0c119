"""The browser figures, in headless Debian Chromium driven by Playwright.

"Rendered" is the condition the browser tests wait for (RENDERED_JS in tests/conftest.py): the
script is not running, no skeleton or spinner is left, every chart on display (the app's chart element,
or `st.plotly_chart` in the floor and the peer) has drawn its plot, and all that still holds after the
tasks the browser had queued. It keeps, in the page, the moment
(`performance.now()`) it was first confirmed: that moment is the end of every figure.

- Page load: from navigation start (`performance.now()` counts from it) to rendered. Each page gets
  a new tab (browser context); one untimed load first (the tab's cache filled, as for a returning
  reader), then loads of the page and of the floor alternate in that tab, so the floor is measured
  alongside, under the same load of the machine, at the page's own path (Streamlit's client pays a
  probe at any path but /).
- Filter change: in a new tab, after the page has loaded (and the app's "Filters" panel has been
  opened, untimed), from the `pointerdown` of the click that picks an option in a sidebar selectbox
  (or ticks a checkbox) to rendered again, once a run caused by it was seen (the app's
  script-state attribute changed, or the main area changed).
"""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Iterator

from bench.common import ROOT, Measure
from exonerations.publish import CHROMIUM_FLAGS

CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1400, "height": 1000}
WAIT_MS = 180_000  # the longest a load or a rerun may take
NO_RUN_MS = 15_000  # a click that started no run in this time chose nothing: it is made again
TICK = "tick"  # the value that ticks a checkbox
PRE_1989 = "Include cases exonerated before 1989"
# Eight changes, one sidebar selectbox at a time, that visit the eight combinations of "DNA
# exoneration" × "Death sentence" other than the first (Any, Any): each is new to the server.
TOUR = [
    ("DNA exoneration", "Yes"),
    ("DNA exoneration", "No"),
    ("Death sentence", "Yes"),
    ("DNA exoneration", "Yes"),
    ("DNA exoneration", "Any"),
    ("Death sentence", "No"),
    ("DNA exoneration", "Yes"),
    ("DNA exoneration", "No"),
]


def rendered_js() -> str:
    """RENDERED_JS of tests/conftest.py, read from its source (the one definition of "rendered")."""
    tree = ast.parse((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "RENDERED_JS" for t in node.targets):
            return ast.literal_eval(node.value)
    raise RuntimeError("tests/conftest.py no longer defines RENDERED_JS")


RENDERED = rendered_js()
LOADED_JS = f"() => ({RENDERED})() ? window.__rendered.since : false"
ARM_JS = """() => {
    const b = window.__bench = {t0: null, ran: false};
    window.__rendered = null;
    document.addEventListener('pointerdown', () => { b.t0 = performance.now(); }, {capture: true, once: true});
    const seen = new MutationObserver(() => { if (b.t0 !== null) { b.ran = true; seen.disconnect(); } });
    seen.observe(document.querySelector("[data-testid='stApp']"),
                 {attributes: true, attributeFilter: ['data-test-script-state']});
    seen.observe(document.querySelector("[data-testid='stMain']"), {childList: true, subtree: true, characterData: true});
}"""
CHANGED_JS = f"() => window.__bench.ran && ({RENDERED})() ? window.__rendered.since - window.__bench.t0 : false"


@contextlib.contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def new_tab(browser) -> Iterator:
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        tab = ctx.new_page()
        tab.set_default_timeout(WAIT_MS)
        yield tab
    finally:
        ctx.close()


def check_page(tab) -> None:
    shown = tab.locator("[data-testid='stException']")
    if shown.count():
        text = shown.first.inner_text().split("Traceback")[0].strip()
        raise RuntimeError("the page shows an exception: " + text[:160].replace("\n", " "))


def load(tab, url: str) -> float:
    """ms from navigation start to rendered."""
    tab.goto(url, wait_until="commit", timeout=WAIT_MS)
    ms = float(tab.wait_for_function(LOADED_JS, polling="raf", timeout=WAIT_MS).json_value())
    check_page(tab)
    return ms


def page_loads(browser, url: str, floor_url: str | None, runs: int) -> tuple[Measure, Measure]:
    """The page's loads and, alternated with them in the same tab, the floor's."""
    page, floor = Measure(), Measure()
    with new_tab(browser) as tab:
        try:
            load(tab, url)
            if floor_url:
                load(tab, floor_url)
            for _ in range(runs):
                page.values.append(load(tab, url))
                if floor_url:
                    floor.values.append(load(tab, floor_url))
        except Exception as e:  # noqa: BLE001 — kept in the table
            page.fail(e)
    return page, floor


def open_panel(tab) -> None:
    """Open the app's sidebar "Filters" panel, untimed (the floor and the peer have none)."""
    panel = tab.locator("[data-testid='stSidebar'] [data-testid='stExpander']").filter(has_text="Filters")
    if not panel.count():
        return
    tab.evaluate("() => { window.__rendered = null; }")
    panel.first.locator("summary").click()
    tab.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.wait_for(timeout=WAIT_MS)
    tab.wait_for_function(LOADED_JS, polling="raf", timeout=WAIT_MS)


def open_list(box, option) -> None:
    """Open a selectbox's list; a click while the sidebar is drawn again may not open it: again."""
    box.scroll_into_view_if_needed()
    for attempt in range(4):
        box.click()
        try:
            option.wait_for(state="visible", timeout=2_500)
            return
        except Exception:  # noqa: BLE001 — Playwright's TimeoutError
            if attempt == 3:
                raise


def pick(tab, label: str, value: str) -> float:
    """Choose `value` in the sidebar selectbox `label` (or tick the checkbox `label`): ms to rendered."""
    sidebar = tab.locator("[data-testid='stSidebar']")
    box = sidebar.locator("[data-testid='stSelectbox']").filter(has_text=label).first
    target = tab.get_by_role("option", name=value, exact=True)
    if value == TICK:
        target = sidebar.locator("[data-testid='stCheckbox']").filter(has_text=label).first.locator("label")
    for _ in range(3):
        if value != TICK:
            open_list(box, target)
        tab.evaluate(ARM_JS)
        target.click()
        try:
            return float(tab.wait_for_function(CHANGED_JS, polling="raf", timeout=NO_RUN_MS).json_value())
        except Exception:  # noqa: BLE001 — Playwright's TimeoutError: a slow run, or no run at all
            if tab.evaluate("() => window.__bench.ran"):
                return float(tab.wait_for_function(CHANGED_JS, polling="raf", timeout=WAIT_MS).json_value())
            tab.keyboard.press("Escape")
    raise RuntimeError(f"picking {value!r} in {label!r} started no run")


def filter_changes(browser, url: str, steps: int, tick_first: bool = False) -> Measure:
    """ms per filter change to values the server has not seen (`TOUR`; `tick_first` first ticks the
    pre-1989 checkbox, so that a second page on the same server meets new combinations too)."""
    m = Measure()
    with new_tab(browser) as tab:
        try:
            load(tab, url)
            open_panel(tab)
            changes = ([(PRE_1989, TICK)] if tick_first else []) + TOUR[:steps]
            for label, value in changes:
                m.values.append(pick(tab, label, value))
                check_page(tab)
        except Exception as e:  # noqa: BLE001 — kept in the table
            m.fail(e)
    return m
