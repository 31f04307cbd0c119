"""The app's chart element (a Streamlit component, v2, packaged with its JavaScript and Plotly): what it
is sent, how it is packaged, the `st.plotly_chart` fallback, and in Chromium: a filter change redraws the
same plot in place, and a chart that cannot be drawn says so in one plain sentence."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
from conftest import CHARTS, ROOT, chart_figures, wait_rendered
from streamlit.testing.v1 import AppTest

from exonerations import chart_element, charts

WEB = ROOT / "exonerations" / "web"


def test_payload_carries_the_figure_its_text_alternative_and_modebar():
    fig = charts.Figure({"data": [{"type": "bar", "x": ["a <b>", "b"], "y": [1, 2]}], "layout": {"height": 240}})
    sent = json.loads(chart_element.payload(fig, "Chart: “a” & b", {"displaylogo": False}, True))
    assert sent["figure"] == fig.to_dict()
    assert sent["alt"] == "Chart: “a” & b" and sent["config"] == {"displaylogo": False} and sent["select"] is True
    assert sent["static"] is None


def test_component_is_declared_with_its_assets_in_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (declared,) = project["tool"]["streamlit"]["component"]["components"]
    assert f"{project['project']['name']}.{declared['name']}" == chart_element.NAME
    assert (ROOT / "exonerations" / declared["asset_dir"]) == WEB
    assert "web/*" in project["tool"]["setuptools"]["package-data"]["exonerations"]
    js = (WEB / "chart.js").read_text(encoding="utf-8")
    bundle = re.search(r'new URL\("\./([^"]+)", import\.meta\.url\)', js).group(1)
    head = (WEB / bundle).read_text(encoding="utf-8")[:300]
    assert "plotly.js" in head and "MIT license" in head
    assert "MIT License" in (WEB / "PLOTLY-LICENSE").read_text(encoding="utf-8")


def test_plotly_is_placed_in_the_static_folder_under_its_version(tmp_path, monkeypatch):
    monkeypatch.setattr(chart_element, "STATIC", tmp_path)
    chart_element.static_plotly.cache_clear()
    try:
        name = chart_element.static_plotly()
        version = re.search(r" v(\d+\.\d+\.\d+)", (WEB / chart_element.BUNDLE).read_text("utf-8")[:200]).group(1)
        assert name == f"plotly-cartesian-{version}.min.js"
        assert (tmp_path / name).read_bytes() == (WEB / chart_element.BUNDLE).read_bytes()
        chart_element.static_plotly.cache_clear()
        monkeypatch.setattr(chart_element.st, "get_option", lambda key: False)
        assert chart_element.static_plotly() is None  # static serving off: the packaged copy serves
    finally:
        chart_element.static_plotly.cache_clear()


@pytest.mark.parametrize("page, query", [("overview", {}), ("misconduct", {"tab": "where"}), ("geography", {})])
def test_every_trace_the_pages_draw_is_in_the_plotly_bundle(demo_db, monkeypatch, page, query):
    bundle = (WEB / "plotly-cartesian.min.js").read_text(encoding="utf-8")
    in_bundle = set(re.findall(r'moduleType:"trace",name:"(\w+)"', bundle))
    monkeypatch.setenv("EXONERATIONS_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in query.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    used = {t.get("type", "scatter") for f in chart_figures(at) for t in f.get("data", [])}
    assert used and used <= in_bundle, used - in_bundle


def test_without_the_installed_package_the_charts_are_drawn_by_st_plotly_chart(demo_db, monkeypatch):
    monkeypatch.setenv("EXONERATIONS_DB", str(demo_db))
    shown = []
    for missing in (False, True):
        if missing:
            monkeypatch.setattr(chart_element, "_component", False)  # as where the package is not installed
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
        assert not at.exception
        shown.append((len(at.get("bidi_component")), len(at.get("plotly_chart")), chart_figures(at)))
    (own, plotly, figures), (own_after, plotly_after, figures_after) = shown
    assert own >= 3 and plotly == 0 and own_after == 0 and plotly_after == own
    assert figures_after == figures


# ---------------------------------------------------------------------------------------------
# Chromium

REDRAWN_JS = """() => [...document.querySelectorAll('.xc-chart .xc-plot')].map(p => p.__kept === true)"""


@pytest.mark.browser
def test_a_filter_change_redraws_the_same_plots_in_place(page, full_server):
    """The plots the page drew stay (the same elements, not new ones) and show the new figures."""
    from conftest import choose_option, open_filter_panel

    page.goto(f"{full_server.url}/")
    wait_rendered(page, 60_000)
    plots = page.locator(".xc-chart .xc-plot")
    assert plots.count() == 3 and page.locator(CHARTS).count() == 3
    before = page.evaluate("() => [...document.querySelectorAll('.xc-plot')].map(p => JSON.stringify(p.data))")
    page.evaluate("() => document.querySelectorAll('.xc-plot').forEach(p => { p.__kept = true; })")
    open_filter_panel(page)
    choose_option(page, "DNA exoneration", "Yes")
    page.wait_for_url("**dna=yes**", timeout=30_000)
    wait_rendered(page, 60_000)
    assert page.evaluate(REDRAWN_JS) == [True, True, True]
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)")
    assert any("/app/static/plotly-cartesian-" in url for url in loaded)  # the copy browsers keep
    after = page.evaluate("() => [...document.querySelectorAll('.xc-plot')].map(p => JSON.stringify(p.data))")
    assert all(a != b for a, b in zip(after, before, strict=True))
    assert page.locator("[data-testid='stException']").count() == 0


STATES_JS = "() => [...document.querySelectorAll('.xc-chart')].map(f => [f.dataset.state, f.checkVisibility()])"


@pytest.mark.browser
def test_a_chart_is_drawn_when_it_is_shown(browser, full_server):
    """Geography's map has a phone version (bars) shown below 640 px instead of the tile map: on a wide
    screen the bars are not drawn until the window narrows, on a phone the map is not drawn until it widens."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        tab = ctx.new_page()
        tab.goto(f"{full_server.url}/geography")
        wait_rendered(tab, 60_000)
        wide, narrow, counties = tab.evaluate(STATES_JS)
        assert wide == ["drawn", True] and narrow == ["hidden", False] and counties == ["drawn", True]
        assert tab.locator(".xc-chart").nth(1).locator(".main-svg").count() == 0
        tab.set_viewport_size({"width": 390, "height": 900})
        tab.wait_for_function("() => document.querySelectorAll('.xc-chart')[1].dataset.state === 'drawn'")
        wait_rendered(tab, 60_000)
        assert tab.evaluate(STATES_JS)[:2] == [["drawn", False], ["drawn", True]]
        tab.goto(f"{full_server.url}/geography")
        wait_rendered(tab, 60_000)
        assert tab.evaluate(STATES_JS)[:2] == [["hidden", False], ["drawn", True]]
        tab.set_viewport_size({"width": 1400, "height": 900})
        tab.wait_for_function("() => document.querySelectorAll('.xc-chart')[0].dataset.state === 'drawn'")
        assert tab.locator(".xc-chart").first.locator(".main-svg").count() >= 1
    finally:
        ctx.close()


@pytest.mark.browser
def test_a_chart_that_cannot_be_drawn_says_so_in_one_plain_sentence(browser, demo_server):
    """Plotly blocked (a filtering proxy, an offline copy): each chart says what to do, in words; no
    JavaScript message reaches the reader."""
    ctx = browser.new_context(viewport={"width": 1024, "height": 900})
    try:
        tab = ctx.new_page()
        tab.route(re.compile(r".*/plotly-cartesian[^/]*\.js$"), lambda route: route.abort())
        tab.goto(f"{demo_server.url}/")
        wait_rendered(tab, 60_000)
        charts_ = tab.locator(".xc-chart")
        assert charts_.count() == 3
        for i in range(3):
            assert charts_.nth(i).get_attribute("data-state") == "failed"
            said = charts_.nth(i).locator(".xc-message").inner_text()
            assert said == "This chart could not be drawn in this browser. Its numbers are in the Table tab."
        body = tab.locator("[data-testid='stMain']").inner_text()
        assert "Error" not in body and "undefined" not in body and "Plotly" not in body
    finally:
        ctx.close()
