"""Readable by everyone (WCAG 2.2 AA), on the real export: every page renders with every chart drawn;
axe-core finds no serious or critical violation on any page at 1400 and 390 px; at 1400, 1024 and 390 px
no text is clipped (every chart's SVG text inside its chart, nothing in the main area cut with an
ellipsis); every chart's text contrasts at least 4.5:1 with what is behind it, computed from the
figure's own colours; screenshots of every page at each width are kept."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import (
    ARTIFACTS,
    CHART_PAGES,
    CHARTS,
    ROOT,
    SHOWN_CHARTS,
    chart_figures,
    full_screenshot,
    map_squares,
    wait_rendered,
)
from streamlit.testing.v1 import AppTest

from exonerations import pages, style

AXE = ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
PATHS = ["", *(p.url_path for p in pages.PAGES if p is not pages.DEFAULT)]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_source() -> str:
    if not AXE.is_file():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"axe-core is missing at {AXE}: `make test` installs it with npm")
        pytest.skip(f"axe-core is not installed at {AXE} (npm is needed: `make test` installs it)")
    return AXE.read_text(encoding="utf-8")


def open_page(tabs, server, path: str, width: int):
    page = tabs(width, 900)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.url}/{path}")
    wait_rendered(page, timeout=60_000)
    return page, errors


def assert_drawn(page, path: str, errors: list[str]) -> None:
    """The page rendered with no exception, every chart it sent drawn by Plotly, no JavaScript error."""
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    charts = page.locator(SHOWN_CHARTS)
    visible = page.locator(CHARTS).filter(visible=True)
    assert visible.count() == charts.count()  # every chart a reader can see is one the page drew
    if pages.BY_PATH.get(path, pages.DEFAULT).charts:
        assert charts.count() >= 1
    for i in range(charts.count()):
        assert charts.nth(i).locator(".main-svg").count() >= 1, f"chart {i} of /{path} was not drawn"
    assert page.get_by_text("could not be drawn").count() == 0
    assert not errors, errors


AXE_JS = """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations
    .filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)"""

CLIPPED_JS = """() => {
  const out = [];
  for (const chart of document.querySelectorAll("CHARTS")) {
    const box = chart.getBoundingClientRect();
    if (!box.width) continue;  // a chart in a tab not shown
    for (const t of chart.querySelectorAll('svg text')) {
      const r = t.getBoundingClientRect();
      if (!r.width || !t.textContent.trim()) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.push('chart text: ' + t.textContent.slice(0, 60));
    }
  }
  const main = document.querySelector("[data-testid='stMain']");
  const edge = Math.min(main.getBoundingClientRect().right, window.innerWidth);
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== main; a = a.parentElement)
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return true;
    return false;
  };
  for (const el of main.querySelectorAll('*')) {
    const cs = getComputedStyle(el);
    if (cs.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1 && el.innerText.trim())
      out.push('ellipsis: ' + el.innerText.slice(0, 60));
    if (!el.children.length && el.textContent.trim() && el.getBoundingClientRect().right > edge + 1 && !scrolls(el))
      out.push('off the page: ' + el.textContent.slice(0, 60));
  }
  return out;
}""".replace("CHARTS", CHARTS)


def check_width(page, path: str, width: int, axe: str | None) -> list[str]:
    """At the tab's current width: no text clipped or off the page, axe-core's WCAG 2.2 AA rules when
    `axe` is given (again with every Table tab open on a phone, where tables scroll), a full-page
    screenshot kept. The problems found, each prefixed with the width."""
    clipped = page.evaluate(CLIPPED_JS)
    shots = ARTIFACTS / "screenshots" / f"{width}px"
    shots.mkdir(parents=True, exist_ok=True)
    full_screenshot(page, shots / f"{path or 'overview'}.png")
    found = []
    if axe:
        page.add_script_tag(content=axe)
        found = page.evaluate(AXE_JS, WCAG)
    if width <= 400:
        for tab in page.get_by_role("tab", name="Table", exact=True).all():
            if tab.is_visible():
                tab.click()
        found += [f"with the tables shown: {f}" for f in page.evaluate(AXE_JS, WCAG)] if axe else []
        clipped += [f"with the tables shown: {c}" for c in page.evaluate(CLIPPED_JS)]
    return [f"{width} px: {x}" for x in found + clipped[:10]]


@pytest.mark.browser
@pytest.mark.parametrize("path", PATHS)
def test_page_has_no_serious_violation_and_no_clipped_text(tabs, full_server, path):
    """On the real export, loaded at 1400 px: every chart drawn and no exception (as on the demo in
    test_browser), axe-core, no clipped text, a screenshot; the same tab narrowed to a 1024-px
    projector (Streamlit and Plotly lay out again, no reload): no clipped text, a screenshot; loaded
    afresh at 390 px (a phone opens the page narrow, sidebar closed): axe-core, clipping, a screenshot."""
    source = axe_source()
    problems = []
    page, errors = open_page(tabs, full_server, path, 1400)
    try:
        assert_drawn(page, path, errors)
        problems += check_width(page, path, 1400, source)
        page.set_viewport_size({"width": 1024, "height": 900})
        page.wait_for_timeout(400)  # charts re-layout to the new width
        wait_rendered(page)
        problems += check_width(page, path, 1024, None)
    finally:
        page.goto("about:blank")
        page.set_viewport_size({"width": 1400, "height": 900})
    page, errors = open_page(tabs, full_server, path, 390)
    try:
        assert_drawn(page, path, errors)
        problems += check_width(page, path, 390, source)
    finally:
        page.goto("about:blank")
    assert not problems, problems


# ---------------------------------------------------------------------------------------------
# Contrast of chart text, from the figures' own colours


def _rgb(colour: str) -> tuple[float, float, float]:
    c = colour.strip().lower()
    named = {"white": "#ffffff", "black": "#000000"}
    c = named.get(c, c)
    if c.startswith("#"):
        c = c[1:]
        if len(c) == 3:
            c = "".join(ch * 2 for ch in c)
        return tuple(int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))
    m = re.match(r"rgba?\(([^)]*)\)", c)
    assert m, colour
    parts = [float(x) for x in m.group(1).split(",")]
    return tuple(x / 255 for x in parts[:3])


def luminance(colour: str) -> float:
    def lin(x: float) -> float:
        return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(x) for x in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def filled_boxes(layout: dict) -> list[tuple[tuple[float, float, float, float], str]]:
    """The filled rectangles a figure's shapes draw in data coordinates (rects, and a map's squares)."""
    rects = [
        ((sh["x0"], sh["y0"], sh["x1"], sh["y1"]), sh["fillcolor"])
        for sh in layout.get("shapes", [])
        if sh.get("type") == "rect"
        and sh.get("fillcolor")
        and sh.get("xref", "x") == "x"
        and sh.get("yref", "y") == "y"
    ]
    return rects + [(box, sh["fillcolor"]) for box, sh in map_squares(layout)]


def inside_box(point, box) -> bool:
    (x, y), (x0, y0, x1, y1) = point, box
    if not all(isinstance(v, int | float) for v in (x, y)):
        return False
    return min(x0, x1) <= x <= max(x0, x1) and min(y0, y1) <= y <= max(y0, y1)


def text_colours(fig: dict):
    """(what, text colour, background colour) for every text a figure draws."""
    layout = fig["layout"]
    paper = layout.get("paper_bgcolor", "white")
    base = layout.get("font", {}).get("color", style.TEXT)
    template = layout.get("template", {}).get("layout", {})
    for name in [k for k in {**template, **layout} if re.fullmatch(r"[xy]axis\d*", k)]:
        ax = {**template.get(name[:5], {}), **layout.get(name, {})}
        if ax.get("visible", True) is not False:
            yield name, ax.get("tickfont", {}).get("color", base), paper
    for a in layout.get("annotations", []):
        yield "annotation " + a.get("text", "")[:40], a.get("font", {}).get("color", base), a.get("bgcolor", paper)
    legend = {**template.get("legend", {}), **layout.get("legend", {})}
    if layout.get("showlegend"):
        yield "legend", legend.get("font", {}).get("color", base), paper
    fills = filled_boxes(layout)
    for t in fig["data"]:
        if not t.get("text") and not t.get("texttemplate"):
            continue
        colours = t.get("textfont", {}).get("color", base)
        inside = t.get("textposition") == "inside" or t.get("type") == "heatmap"
        markers = t.get("marker", {}).get("color", paper)
        points = list(zip(t.get("x") or [], t.get("y") or [], strict=False))
        colours = colours if isinstance(colours, list) else [colours] * max(1, len(points))
        for i, c in enumerate(colours):
            if inside:
                behind = markers[i % len(markers)] if isinstance(markers, list) else markers
            else:  # text on the plot: over the filled shape it sits in (a map's tile), else the paper
                behind = next((f for box, f in fills if i < len(points) and inside_box(points[i], box)), paper)
            if t.get("type") == "heatmap":
                continue  # cell colours come from the scale: checked by the builder's own rule (dark text on light)
            yield f"{t.get('type')} text", c, behind


def test_every_chart_text_contrasts_at_least_4_5_to_1(full_db, monkeypatch):
    monkeypatch.setenv("EXONERATIONS_DB", str(full_db))
    low = []
    n = 0
    for page, query in CHART_PAGES:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        at.switch_page(f"app_pages/{page}.py").run()
        for fig in chart_figures(at):
            for what, fg, bg in text_colours(fig):
                n += 1
                ratio = contrast(fg, bg)
                if ratio < 4.5:
                    low.append((page, what, fg, bg, round(ratio, 2)))
    assert n > 50
    assert not low, json.dumps(low[:12])


def test_contrast_arithmetic():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54
    assert contrast(style.TEXT_MUTED, "white") >= 4.5 and contrast(style.DEMO_TEXT, "white") >= 4.5


def test_screenshots_folder_is_under_test_artifacts():
    assert Path(ARTIFACTS).name == "test-artifacts"
