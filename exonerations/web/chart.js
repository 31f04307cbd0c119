// The app's chart element (a Streamlit component, v2; Python side: exonerations/chart_element.py).
// It draws a Plotly figure once, and when the page runs again (a filter changed) it redraws the same plot
// in place with Plotly.react: st.plotly_chart draws a figure twice when it mounts and mounts a new plot
// whenever the figure changes. Plotly (its cartesian bundle: bar, scatter, heatmap) ships beside this file.
const PLOTLY_URL = new URL("./plotly-cartesian.min.js", import.meta.url).href;
// The same file in the app's static folder (served at <app>/app/static/ with validators: a returning
// reader's browser keeps it), under the name the app gives; without one, or if it fails, the packaged copy.
const STATIC_FOLDER = new URL("../../../app/static/", import.meta.url).href;
const FAILED = "This chart could not be drawn in this browser. Its numbers are in the Table tab.";
let loading = null;

function script(src) {
  return new Promise((resolve, reject) => {
    const tag = document.createElement("script");
    tag.src = src;
    tag.async = true;
    tag.onload = () => (window.Plotly ? resolve(window.Plotly) : reject(new Error("no Plotly")));
    tag.onerror = () => reject(new Error("Plotly did not load"));
    document.head.appendChild(tag);
  });
}

function plotly(staticName) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    const packaged = () => script(PLOTLY_URL);
    loading = staticName ? script(new URL(staticName, STATIC_FOLDER).href).catch(packaged) : packaged();
    loading.catch(() => {
      loading = null; // the next draw tries again
    });
  }
  return loading;
}

function text(data) {
  return typeof data === "string" ? data : new TextDecoder().decode(data);
}

// Once per plot: a click on a point reports its customdata (when the chart is selectable), and a change
// of the plot's width (a window resized, a phone turned, the sidebar closed) fits the plot to it.
function wire(box, P, setTriggerValue) {
  box.on("plotly_click", (event) => {
    const point = event && event.points && event.points[0];
    if (point && box.xcSelectable) setTriggerValue("click", point.customdata ?? null);
  });
  let width = box.clientWidth;
  box.xcObserver = new ResizeObserver(() => {
    if (box.clientWidth && box.clientWidth !== width) {
      width = box.clientWidth;
      P.Plots.resize(box);
    }
  });
  box.xcObserver.observe(box);
}

async function draw(figure, box, message, spec, setTriggerValue) {
  figure.setAttribute("aria-label", spec.alt || "Chart");
  box.xcSelectable = Boolean(spec.select);
  const layout = spec.figure.layout || {};
  if (layout.height) box.style.minHeight = `${layout.height}px`; // the page does not jump when it is drawn
  const P = await plotly(spec.static);
  await P.react(box, spec.figure.data || [], layout, spec.config || {});
  if (!box.xcWired) {
    box.xcWired = true;
    wire(box, P, setTriggerValue);
  }
  message.hidden = true;
  box.hidden = false;
}

function shown(el) {
  return typeof el.checkVisibility === "function" ? el.checkVisibility() : el.getClientRects().length > 0;
}

// A plot the reader cannot see (not displayed at this width, as the phone version of a map on a wide
// screen, or a Chart tab while the Table tab is open) is drawn when it is first shown, not before.
function drawWhenShown(figure, box, message, setTriggerValue) {
  figure.dataset.state = "hidden";
  if (figure.xcWaiting) return;
  figure.xcWaiting = new ResizeObserver(() => {
    if (!shown(figure)) return;
    figure.xcWaiting.disconnect();
    figure.xcWaiting = null;
    figure.dataset.state = "pending";
    drawLatest(figure, box, message, setTriggerValue);
  });
  figure.xcWaiting.observe(figure);
}

// Draws the newest figure the element was given; figures that arrive while one is drawn wait, and only
// the last of them is drawn.
async function drawLatest(figure, box, message, setTriggerValue) {
  if (box.xcBusy) return;
  box.xcBusy = true;
  try {
    while (box.xcNext !== undefined && box.xcNext !== box.xcDrawn) {
      if (!shown(figure)) {
        drawWhenShown(figure, box, message, setTriggerValue);
        return;
      }
      const next = box.xcNext;
      try {
        await draw(figure, box, message, JSON.parse(next), setTriggerValue);
        box.xcDrawn = next;
        figure.dataset.state = "drawn";
      } catch (err) {
        console.error("chart", err);
        box.xcDrawn = next;
        box.hidden = true;
        message.hidden = false;
        message.textContent = FAILED;
        figure.dataset.state = "failed";
      }
    }
  } finally {
    box.xcBusy = false;
  }
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  const figure = parentElement.querySelector(".xc-chart");
  const box = figure.querySelector(".xc-plot");
  const message = figure.querySelector(".xc-message");
  box.xcNext = text(data);
  if (box.xcNext !== box.xcDrawn && !figure.xcWaiting) figure.dataset.state = "pending";
  drawLatest(figure, box, message, setTriggerValue);
  // Called when the element leaves the page (not when a run is superseded while the plot stays).
  return () => {
    if (box.isConnected) return;
    if (box.xcObserver) box.xcObserver.disconnect();
    if (figure.xcWaiting) figure.xcWaiting.disconnect();
    if (window.Plotly) window.Plotly.purge(box);
  };
}
