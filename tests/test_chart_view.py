"""The app's chart element (exonerations/chart_view.py): what it is given, that a chart keeps its
element across runs, and — in Chromium — that a filter change redraws the same plot with the new
figure, that it follows the column's width, and that a chart that cannot be drawn says so."""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import plotly.io as pio
import pytest
from conftest import ROOT, chart_figures, choose_option, filters, open_filter_panel, wait_rendered
from streamlit.testing.v1 import AppTest

from exonerations import chart_view, ui


def test_spec_carries_figure_config_and_click():
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    spec = json.loads(chart_view.spec(pio.to_json(fig, validate=False), {"displaylogo": False}, click=True))
    assert spec["config"] == {"displaylogo": False} and spec["click"] is True
    assert spec["figure"]["data"][0]["x"] == ["a", "b"]
    assert json.loads(chart_view.spec("{}", {}))["click"] is False


def test_script_url_names_the_plotly_version():
    import plotly

    assert chart_view.SCRIPT_URL.endswith(f"plotly-{plotly.__version__}.min.js")
    assert chart_view.PLOTLY_JS.is_file() and chart_view.PLOTLY_JS.stat().st_size > 1_000_000
    assert chart_view.SCRIPT_URL.lstrip("/") in chart_view._JS  # asked for relative to the page


def test_charts_keep_their_element_when_their_figure_changes(small_db, monkeypatch):
    """Each chart is one element under a key of its own; a filter change sends it a new figure under
    the same element id (so the browser updates the plot instead of replacing it)."""
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    first = {e.proto.id: e for e in at.get("bidi_component")}
    assert len(first) == len(chart_figures(at)) == 3
    titles = [f["layout"]["title"]["text"] for f in chart_figures(at)]
    filters(at).multiselect(key="f_states").set_value(["New York"]).run()
    assert not at.exception
    after = {e.proto.id: e for e in at.get("bidi_component")}
    assert set(after) == set(first)
    new_titles = [f["layout"]["title"]["text"] for f in chart_figures(at)]
    assert all(a != b for a, b in zip(titles, new_titles, strict=True))


def test_chart_specs_are_made_once_per_figure(small_db, monkeypatch):
    """A rerun with the same figures reuses the JSON made for them (no figure is built again)."""
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    ui.clear_caches()
    built = []
    real = ui.LazyFigure.__call__
    monkeypatch.setattr(ui.LazyFigure, "__call__", lambda self: built.append(self.digest) or real(self))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert len(built) == 3
    at.run()
    assert len(built) == 3 and not at.exception


def test_figures_ignores_other_components():
    class Proto:
        def __init__(self, name, payload):
            self.component_name, self.json = name, json.dumps(payload)

    class El:
        def __init__(self, proto):
            self.proto = proto

    mine = El(Proto(chart_view.NAME, chart_view.spec('{"data": [], "layout": {}}', {})))
    other = El(Proto("someone_else", "{}"))
    assert chart_view.figures([other, mine]) == [{"data": [], "layout": {}}]


# ---------------------------------------------------------------------------------------------
# In Chromium


def chart_titles(page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll(\"[data-testid='exoChart'] .gtitle\")].map(t => t.textContent)")


@pytest.mark.browser
def test_filter_change_redraws_the_same_plot(page, full_server):
    """The charts are updated where they are: the same plot element, drawn once more, with the new
    figure's title as soon as the page counts as rendered."""
    page.goto(f"{full_server.url}/?as_of=2026-02-05")
    wait_rendered(page)
    charts = page.locator("[data-testid='exoChart']")
    assert charts.count() == 3
    assert any("of 3,776 exonerations" in t for t in chart_titles(page))
    page.evaluate("() => document.querySelectorAll(\"[data-testid='exoChart']\").forEach(e => { e.__mark = 1 })")
    drawn = [charts.nth(i).get_attribute("data-drawn") for i in range(3)]
    open_filter_panel(page)
    choose_option(page, "DNA exoneration", "Yes")
    page.wait_for_function("() => location.search.includes('dna=yes')", timeout=20_000)
    wait_rendered(page)
    titles = chart_titles(page)
    assert not any("of 3,776 exonerations" in t for t in titles), titles
    assert any(re.search(r"of [\d,]+ exonerations posted by 2026-02-05 \(DNA", t) for t in titles), titles
    assert page.evaluate("() => [...document.querySelectorAll(\"[data-testid='exoChart']\")].every(e => e.__mark === 1)")
    assert [int(charts.nth(i).get_attribute("data-drawn")) for i in range(3)] == [int(d) + 1 for d in drawn]


@pytest.mark.browser
def test_chart_follows_the_column_width(page, full_server):
    page.goto(f"{full_server.url}/misconduct")
    wait_rendered(page)
    svg = page.locator("[data-testid='exoChart'] .main-svg").first
    wide = float(svg.get_attribute("width"))
    page.set_viewport_size({"width": 1000, "height": 1000})
    page.wait_for_function(f"""() => parseFloat(document.querySelector("[data-testid='exoChart'] .main-svg")
                                                  .getAttribute('width')) < {wide - 100}""", timeout=10_000)
    box = page.locator("[data-testid='exoChart']").first.bounding_box()
    assert abs(float(svg.get_attribute("width")) - box["width"]) <= 1


@pytest.mark.browser
def test_modebar_offers_png_and_full_screen(page, full_server):
    page.goto(f"{full_server.url}/misconduct")
    wait_rendered(page)
    chart = page.locator("[data-testid='exoChart']").first
    chart.hover()
    assert chart.locator(".modebar-btn[data-title^='Download plot as a']").count() == 1
    assert chart.locator(".modebar-btn[data-title='Full screen']").count() == 1


@pytest.mark.browser
def test_a_chart_that_cannot_load_its_library_says_so(page, full_server):
    page.route("**/_app/plotly-*.min.js", lambda route: route.abort())
    page.goto(f"{full_server.url}/misconduct")
    wait_rendered(page)  # a chart in error counts as drawn: the page is finished
    chart = page.locator("[data-testid='exoChart']").first
    assert chart.get_attribute("data-error") == "1"
    assert "This chart could not be drawn: the chart library did not load" in chart.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    # once the library can be had again, the next charts load it and draw
    page.unroute("**/_app/plotly-*.min.js")
    page.get_by_role("tab", name="Which occur together").click()
    page.wait_for_function("() => location.search.includes('tab=together')", timeout=20_000)
    wait_rendered(page)
    assert page.locator("[data-testid='exoChart'][data-error]").count() == 0
    assert page.locator("[data-testid='exoChart'] .main-svg").count() >= 2


@pytest.mark.browser
def test_a_rerun_that_keeps_a_figure_does_not_redraw_it(page, full_server):
    """Opening a chart's SQL reruns the page; the charts, given the same figures, are left as drawn."""
    page.goto(f"{full_server.url}/misconduct")
    wait_rendered(page)
    charts = page.locator("[data-testid='exoChart']")
    drawn = [charts.nth(i).get_attribute("data-drawn") for i in range(charts.count())]
    assert len(drawn) == 2
    expander = page.locator("[data-testid='stMain'] [data-testid='stExpander']", has_text="SQL behind this chart").first
    expander.locator("summary").click()
    expander.locator("code").first.wait_for(timeout=20_000)
    wait_rendered(page)
    assert [charts.nth(i).get_attribute("data-drawn") for i in range(charts.count())] == drawn
