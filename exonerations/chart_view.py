"""The app's chart element: a Plotly figure drawn in the browser by a small component of the app's own
(Streamlit's custom components, version 2) rather than by `st.plotly_chart`.

Why: `st.plotly_chart` takes a chart whose numbers changed out of the page and builds a new one (its
element id follows the figure), then draws it twice (once more after applying Streamlit's theme).
This element keeps its plot and hands the new figure to `Plotly.react`, which redraws what changed
in place. Measured in Chromium (bench/README.md): a chart costs a page load 11 ms instead of 30, a
filter change 18 ms instead of 39; on the server the figure's JSON is made once per figure.

What a reader gets is what `st.plotly_chart` gave: the chart fills the column's width and follows
it, hover labels, the modebar with "Download as PNG" (at twice the size) and a full-screen button.
A chart may report a click on one of its points (`on_click`: the point's customdata).

Plotly itself (the plotly.min.js of the installed `plotly` package) is loaded once per page from
`SCRIPT_URL`, which the app's server answers (`web.routes()`, served by `serve.py`, as `make run`
does); the pages that draw charts start loading it as soon as the server starts running the page
(`web.py`), so the first chart rarely waits for it. The element marks its state for the tests and
the benchmark: `data-busy` while a figure is being drawn, `data-drawn` (a count) once it is,
`data-error` if it cannot be drawn (it then says so, and tries again with the next figure).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import plotly
import streamlit as st

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# The version in the name lets the browser keep the file for good (a new version is a new URL). The
# element asks for it relative to the page (`<base>/<page>`), so a proxy that serves the app under a
# prefix passes it on like any other request.
SCRIPT_URL = f"/_app/plotly-{plotly.__version__}.min.js"
NAME = "exonerations_chart"
TESTID = "exoChart"

# Loads Plotly once per page, from the app's server; `window.__exoPlotly()` is a promise of it. Both the
# element and the page's HTML (web.py, on the pages that draw charts) run this, whichever comes first.
LOADER_JS = r"""window.__exoPlotly = window.__exoPlotly || (() => {
  let loading = null;
  return () => {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!loading) loading = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = "__SRC__";
      s.async = true;
      s.onload = () => resolve(window.Plotly);
      s.onerror = () => { loading = null; s.remove(); reject(new Error("the chart library did not load")); };
      document.head.appendChild(s);
    });
    return loading;
  };
})();
""".replace("__SRC__", SCRIPT_URL.lstrip("/"))

_JS = LOADER_JS + r"""
const EXPAND = "M0 0h7v2H2v5H0zM9 0h7v7h-2V2H9zM0 9h2v5h5v2H0zM14 9h2v7H9v-2h5z";

function size(el) {
  const full = document.fullscreenElement === el;
  return { width: Math.max(full ? window.innerWidth : el.clientWidth, 150), height: full ? window.innerHeight : el._height };
}

function draw(el, P) {
  const f = el._fig;
  const { width, height } = size(el);
  // The same config object while it is unchanged: Plotly.react builds the plot anew when it differs.
  const key = JSON.stringify(f.config);
  if (el._configKey !== key) {
    el._configKey = key;
    el._config = { ...f.config, displaylogo: false, modeBarButtonsToAdd: [{
      name: "fullscreen", title: "Full screen", icon: { width: 16, height: 16, path: EXPAND },
      click: () => document.fullscreenElement === el ? document.exitFullscreen() : el.requestFullscreen() }] };
  }
  return P.react(el, f.figure.data, { ...f.figure.layout, width, height }, el._config);
}

function wire(el, P) {
  el.on("plotly_click", (ev) => {
    const p = ev && ev.points && ev.points[0];
    if (el._fig.click && p && p.customdata != null) el._trigger("click", p.customdata);
  });
  let frame = 0;
  const resize = () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      const { width, height } = size(el);
      if (el._fig && (width !== el._layout.width || height !== el._layout.height)) {
        el._layout = { width, height };
        P.relayout(el, el._layout);
      }
    });
  };
  el._observer = new ResizeObserver(resize);
  el._observer.observe(el);
  el.addEventListener("fullscreenchange", resize);
}

export default function ({ data, parentElement, setTriggerValue }) {
  let el = parentElement.querySelector(":scope > .exo-chart");
  if (!el) {
    el = document.createElement("div");
    el.className = "exo-chart";
    el.dataset.testid = "__TESTID__";
    el.style.background = "white";
    parentElement.appendChild(el);
  }
  if (el.dataset.error) {  // the last figure could not be drawn: its message makes way for this one
    el.textContent = "";
    delete el.dataset.error;
  }
  const fig = JSON.parse(data);
  const turn = (el._turn || 0) + 1;
  el._turn = turn;
  el._fig = fig;
  el._trigger = setTriggerValue;
  el._height = fig.figure.layout.height || 450;
  el.dataset.busy = "1";
  window.__exoPlotly()
    .then((P) => draw(el, P).then(() => P))
    .then((P) => {
      if (!el._observer) wire(el, P);
      el._layout = size(el);
      if (el._turn !== turn) return;  // a newer figure is being drawn
      delete el.dataset.busy;
      el.dataset.drawn = String(turn);
    })
    .catch((err) => {
      if (el._turn !== turn) return;
      delete el.dataset.busy;
      if (window.Plotly) window.Plotly.purge(el);
      el.dataset.error = "1";
      el.textContent = "This chart could not be drawn: " + err.message +
        ". Start the app with `make run` (it serves the chart library), then reload the page.";
    });
  return () => {
    // Called when the element leaves the page (and, harmlessly, when it is updated): free the plot
    // only once it is no longer in the document.
    queueMicrotask(() => {
      if (!el.isConnected && window.Plotly) {
        if (el._observer) el._observer.disconnect();
        window.Plotly.purge(el);
      }
    });
  };
}
""".replace("__TESTID__", TESTID)

_component = st.components.v2.component(NAME, js=_JS, isolate_styles=False)


def spec(figure_json: str, config: dict, click: bool = False) -> str:
    """What the element is given: the figure (Plotly's JSON, as `plotly.io.to_json` writes it), the
    Plotly config, and whether a click on a point is reported."""
    return f'{{"figure":{figure_json},"config":{json.dumps(config, sort_keys=True)},"click":{json.dumps(click)}}}'


def show(spec_json: str, key: str, on_click: Callable[[object], None] | None = None) -> None:
    """Draw the chart `spec_json` (from `spec`) under `key`; a later run with the same key and another
    figure updates the same plot. `on_click(customdata)` is called, before the run that follows, when a
    reader clicks a point that carries customdata."""
    callbacks = {}
    if on_click is not None:
        callbacks["on_click_change"] = lambda: on_click(_clicked(key))
    _component(data=spec_json, key=key, width="stretch", height="content", **callbacks)


def _clicked(key: str):
    result = st.session_state.get(key)
    return getattr(result, "click", None) if result is not None else None


def figures(elements) -> list[dict]:
    """The figures (data and layout) that the chart elements among `elements` were given (for tests:
    AppTest's `at.get("bidi_component")`)."""
    out = []
    for el in elements:
        proto = el.proto
        if proto.component_name == NAME:
            out.append(json.loads(json.loads(proto.json))["figure"])
    return out
