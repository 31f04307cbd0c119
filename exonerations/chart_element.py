"""The app's chart element: a Streamlit component (v2) that draws a Plotly figure, packaged with its assets.

Its JavaScript (`web/chart.js`) and Plotly (`web/plotly-cartesian.min.js`) are the component's asset directory,
declared in pyproject.toml, so any `streamlit run app.py` of the installed package serves them. It draws a
chart once (`st.plotly_chart` draws it twice when it mounts) and, when a filter changes, redraws the same
plot in place with `Plotly.react` (`st.plotly_chart` mounts a new one): measured by `make bench`, see
docs/performance.md. Where the package is not installed (the component's assets cannot be found), the
charts are drawn by `st.plotly_chart` instead, so every chart is still drawn.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit import runtime

NAME = "exonerations.chart"
WEB = Path(__file__).resolve().parent / "web"  # the component's assets (pyproject.toml: asset_dir)
BUNDLE = "plotly-cartesian.min.js"  # Plotly's cartesian bundle: every trace the app draws
STATIC = Path(__file__).resolve().parent.parent / "static"  # the app's static folder, served at app/static/
# The figure's element, filled by chart.js; "pending" until the plot is drawn ("drawn"), or "failed" with
# one plain sentence in place of the plot; "hidden" while it is not displayed (drawn when it is shown).
HTML = (
    '<div class="xc-chart" role="figure" data-state="pending">'
    '<div class="xc-plot"></div><p class="xc-message" hidden></p></div>'
)


_component = None  # the mounting command, once registered on a running app


def _mount():
    """The component's mounting command, registered on first use in a running app (Streamlit finds the
    assets of installed packages when it starts); None where the package is not installed."""
    global _component
    if _component is None and runtime.exists():
        try:
            _component = st.components.v2.component(NAME, html=HTML, js="chart.js", isolate_styles=False)
        except Exception:  # noqa: BLE001 — the package is not installed: its assets cannot be served
            _component = False
    return _component or None


def available() -> bool:
    """Whether the packaged chart element can be drawn (else `st.plotly_chart` draws the charts)."""
    return _mount() is not None


@functools.cache
def static_plotly() -> str | None:
    """The name under which the element loads Plotly from the app's static folder (`server.enableStaticServing`),
    or None. Served there with validators, a returning reader's browser keeps it instead of downloading,
    compressing and compiling 1.5 MB again on every page load (70-220 ms a page here; a component's assets
    are sent anew each time). The name carries Plotly's version, so a new one is never taken for the old."""
    if not st.get_option("server.enableStaticServing"):
        return None
    from . import publish

    with (WEB / BUNDLE).open(encoding="utf-8") as f:
        version = re.search(r"plotly\.js \(cartesian - minified\) v([\w.-]+)", f.read(200))
    name = f"plotly-cartesian-{version.group(1) if version else 'bundle'}.min.js"
    try:
        publish.place(WEB / BUNDLE, STATIC / name)
    except OSError:  # a read-only folder: the packaged copy serves
        return None
    return name


def payload(figure, alt: str, config: dict, selectable: bool, static: str | None = None) -> bytes:
    """What the element receives: the figure (as the JSON text it is kept as), its text alternative, its
    modebar settings, whether a click on a point picks it and Plotly's name in the app's static folder."""
    spec = figure.to_json() if hasattr(figure, "to_json") else json.dumps(figure)
    head = json.dumps({"alt": alt, "config": config, "select": selectable, "static": static})
    return f'{head[:-1]}, "figure": {spec}}}'.encode()


def draw(figure, *, key: str, alt: str, config: dict, on_click: Callable[[object], None] | None = None) -> None:
    """Draw `figure` in the element keyed `key` (the same plot, redrawn in place, on every run). With
    `on_click`, a click on a point calls it with the point's `customdata`."""
    mount = _mount()
    if mount is None:
        raise RuntimeError("the chart element's assets are not installed")
    kwargs = {}
    if on_click is not None:
        kwargs["on_click_change"] = lambda: on_click(st.session_state[key].get("click"))
    data = payload(figure, alt, config, on_click is not None, static_plotly())
    mount(key=key, data=data, width="stretch", **kwargs)
