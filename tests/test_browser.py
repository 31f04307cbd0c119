"""Real Chromium (Debian's, driven by Playwright) against a real app server: every page renders with
no exception and is saved as a full-page screenshot under test-artifacts/; a sidebar filter changes
the headline."""

from __future__ import annotations

import re

import pytest
from conftest import ARTIFACTS, CHARTS, full_screenshot, open_filter_panel, visit, wait_rendered
from test_accessibility import assert_drawn

from exonerations import pages

pytestmark = pytest.mark.browser

# Every page of the app, from its one definition; the default page (Overview) is at "/".
PAGE_PATHS = ["", *(p.url_path for p in pages.PAGES if p is not pages.DEFAULT)]


def headline(page) -> str:
    return page.locator("h3", has_text="Official misconduct played a role").first.inner_text()


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_page_renders_without_exception_on_the_demo(tabs, demo_server, path):
    """Under plain `streamlit run app.py` on the demo, each page opened from the sidebar as a reader
    moves between them: it renders, every chart it sends is drawn by Plotly, no exception, no
    JavaScript error, no "could not be drawn". The same on the real export, each page loaded afresh, is
    checked with every accessibility load (test_accessibility, at three widths)."""
    tab = tabs(name="demo")
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    visit(tab, demo_server.url, path, pages.BY_PATH.get(path, pages.DEFAULT).browser_title)
    assert_drawn(tab, path, errors)
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    full_screenshot(tab, shots / f"demo-{path or 'overview'}.png")


def test_sidebar_filter_changes_headline(page, full_server):
    """The filter panels start closed (the sidebar says what is shown); opened, a filter (the state) changes
    the figures and the URL, and the panel stays open; a new visit of that URL starts closed again, with
    the filter kept and said."""
    page.goto(f"{full_server.url}/?as_of=2026-02-05")
    wait_rendered(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    assert "2,297 of 3,776" in headline(page).replace("**", "")
    assert sidebar.locator("[data-testid='stMultiSelect']").count() == 0
    assert "Showing exonerations posted by 2026-02-05" in sidebar.inner_text()
    open_filter_panel(page, label="State and crime")
    box = sidebar.locator("[data-testid='stMultiSelect']", has_text="State").first
    box.click()
    page.keyboard.type("New York")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.body.innerText.includes('2,297 of 3,776')", timeout=20_000)
    wait_rendered(page)
    assert re.search(r"of [\d,]+ exonerations", headline(page))
    assert "state=New+York" in page.url or "state=New%20York" in page.url
    assert sidebar.locator("[data-testid='stMultiSelect']").count() == 2  # still open after the rerun
    shown = headline(page)
    page.goto(page.url)
    wait_rendered(page)
    assert headline(page) == shown
    assert sidebar.locator("[data-testid='stMultiSelect']").count() == 0
    assert "2026-02-05, coded as the registry codes them today; New York." in sidebar.inner_text()
    assert sidebar.get_by_role("button", name="Reset filters").count() == 1


def test_copied_url_reproduces_figures_in_a_new_browser(browser, page, full_server):
    page.goto(f"{full_server.url}/?as_of=2026-02-05&state=New+York&dna=no")
    wait_rendered(page)
    shown, url = headline(page), page.url
    second = browser.new_context(viewport={"width": 1400, "height": 1000})
    b = second.new_page()
    b.goto(url)
    wait_rendered(b)
    assert headline(b) == shown
    assert "as_of=2026-02-05" in b.url
    second.close()


def test_misconduct_tabs_draw_on_click_and_live_in_the_url(page, full_server):
    """Only the open tab is drawn; clicking another draws its charts and puts it in the URL, and the
    SQL of a chart arrives when its expander is opened."""
    page.goto(f"{full_server.url}/misconduct")
    wait_rendered(page)
    main = page.locator("[data-testid='stMain']")
    assert main.get_by_role("heading", name="Who committed the misconduct").count() == 1
    assert main.get_by_role("heading", name="Where official misconduct is more common").count() == 0
    page.get_by_role("tab", name="Where it is more common").click()
    page.wait_for_function("() => location.search.includes('tab=where')", timeout=20_000)
    wait_rendered(page)
    assert main.get_by_role("heading", name="Where official misconduct is more common").count() == 1
    assert main.locator(CHARTS).locator(".main-svg").count() >= 2
    assert page.locator("[data-testid='stException']").count() == 0
    expander = main.locator("[data-testid='stExpander']", has_text="SQL behind this chart").first
    assert expander.locator("code").count() == 0
    expander.locator("summary").click()
    expander.locator("code").first.wait_for(timeout=20_000)
    assert "misconduct_share_by_group" in expander.locator("code").first.inner_text()


def test_filter_panel_stays_open_with_its_values_across_page_links(page, full_server):
    """Opened on one page, the panel is still open, with its widgets and values, after the sidebar's
    link to another page (a reader keeps working with the filters they just set)."""
    page.goto(f"{full_server.url}/misconduct?as_of=2026-02-05&dna=no")
    wait_rendered(page)
    open_filter_panel(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stPageLink'] a", has_text="Human cost").click()
    page.wait_for_function("() => location.pathname.endsWith('/human-cost')", timeout=20_000)
    wait_rendered(page)
    assert sidebar.locator("[data-testid='stMultiSelect']").count() == 3  # race, sex, form (state: its own panel)
    dna = sidebar.locator("[data-testid='stSelectbox']", has_text="DNA exoneration").first
    assert dna.locator("input[role='combobox']").input_value() == "No"
    assert "dna=no" in page.url and "as_of=2026-02-05" in page.url


def test_growth_chart_axis_ends_with_the_data(page, full_server):
    """Overview's growth chart spans the posting dates, no more: its labelled point (the campaign's
    3,776) had Plotly pad the axis (to 2028, with data to mid-2026), its label too when it reached past
    the last date."""
    page.goto(f"{full_server.url}/")
    wait_rendered(page)
    axis = page.evaluate("""() => {
        const g = [...document.querySelectorAll('.js-plotly-plot')]
            .find(g => g._fullLayout.xaxis.type === 'date');
        const xs = g.data.flatMap(t => [...t.x]).map(x => Date.parse(x));
        return {range: g._fullLayout.xaxis.range.map(x => Date.parse(x)), first: Math.min(...xs),
                last: Math.max(...xs), labels: g._fullLayout.annotations.filter(a => a.showarrow).length};
    }""")
    assert axis["labels"] == 1
    span = axis["last"] - axis["first"]
    assert axis["range"][1] - axis["last"] <= 0.03 * span  # Plotly's own padding, not room for a label
    assert axis["first"] - axis["range"][0] <= 0.03 * span


def test_headline_figures_are_never_cut_on_a_phone_or_a_projector(tabs, full_server):
    """New York's headline figures (st.metric in a horizontal container): at 390 and 1024 px every value
    is shown whole (no ellipsis, nothing wider than its box) and no figure runs off the page."""
    for width in (390, 1024, 1400):
        page = tabs(width, 900)
        page.goto(f"{full_server.url}/new-york")
        wait_rendered(page)
        values = page.locator("[data-testid='stMain'] [data-testid='stMetricValue']")
        assert values.count() >= 4
        cut = values.evaluate_all("""els => els.filter(e => {
            const inner = e.querySelector('div') || e;
            const r = e.getBoundingClientRect();
            return inner.scrollWidth > inner.clientWidth + 1 || r.right > window.innerWidth + 0.5;
        }).map(e => e.innerText)""")
        page.goto("about:blank")
        assert not cut, (width, cut)
