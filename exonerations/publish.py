"""Static publishing: every chart of the findings as a page that stands alone — its finding, denominator,
source line and as-of date, the chart drawn by a local copy of Plotly (no network, no Streamlit), a text
alternative, the table of its numbers, PNG and SVG downloads, its CSV and metadata, a link back to the
app's view that reproduces it — so an article's embed costs a file request, not a Python session.

`python -m exonerations publish --out DIR [filters]` writes a whole site (and SVG and PNG files of each
chart, rendered by headless Chromium where it is installed); the app writes one chart's page on demand
into its static folder (Streamlit's static file serving) for its Embed code."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import plotly
import plotly.io as pio
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import charts, exports, fmt, pages
from .db import PROJECT_ROOT
from .findings import Chart, View, citation, data_age, scope, source_line

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PLOTLY_NAME = f"plotly-{plotly.__version__}.min.js"
EXPORT_WIDTH = 1000  # px: the width of a downloaded PNG or SVG
CHROMIUM = next(
    (
        p
        for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
        if p and Path(p).exists()
    ),
    None,
)
# Headless Chromium on a machine without a GPU, a sandbox or a network beyond this one: the flags every
# launch of it here uses (this module's, the browser tests' and the benchmark's).
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
CHROMIUM_ARGS = ["--headless", *CHROMIUM_FLAGS, "--hide-scrollbars"]
_ENV = Environment(loader=FileSystemLoader(PROJECT_ROOT / "templates"), autoescape=select_autoescape(["html", "j2"]))


def file_stub(v: View, key: str) -> str:
    where = re.sub(r"[^a-z0-9]+", "-", citation.where(v.filters).lower()).strip("-")[:60]
    return "-".join(p for p in ("exonerations", key.replace("_", "-"), v.as_of, where) if p)


def csv_bytes(chart: Chart) -> bytes:
    """The numbers behind a chart as CSV (formula-safe), nothing but the table."""
    return exports.to_csv(chart.data)


def zip_bundle(v: View, chart: Chart, link: str, accessed: dt.date) -> bytes:
    """A chart's download: its CSV, its metadata (JSON) and a README saying what it is and how to cite it."""
    meta = citation.metadata(v, chart, link, accessed)
    stub = file_stub(v, chart.key)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{stub}.csv", csv_bytes(chart))
        z.writestr(f"{stub}.json", json.dumps(meta, ensure_ascii=False, indent=1))
        z.writestr("README.txt", citation.readme(meta))
    return buf.getvalue()


def _figure_json(fig) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def chart_page(v: View, chart: Chart, link: str, accessed: dt.date, plotly_src: str) -> str:
    """The standalone HTML page of one chart."""
    stub = file_stub(v, chart.key)
    return _ENV.get_template("chart.html.j2").render(
        app=citation.APP_NAME,
        title=chart.title,
        subtitle=fmt.cap(chart.subtitle),
        alt=chart.alt,
        source=source_line(v),
        as_of=v.as_of,
        data_age=data_age(v),
        permalink=link,
        demo=v.is_demo,
        csv=f"{chart.key}.csv",
        json=f"{chart.key}.json",
        columns=[str(c) for c in chart.data.columns],
        rows=fmt.table_rows(chart.data),
        notes=[*chart.cautions, *chart.notes],
        citation=citation.cite(v, chart.title, link, accessed, chart.key).apa,
        figure=_figure_json(chart.figure),
        export_figure=_figure_json(charts.titled(chart.figure, chart.caption)),
        export_width=EXPORT_WIDTH,
        file_stub=stub,
        plotly_src=plotly_src,
    )


def write_chart(out: Path, v: View, chart: Chart, link: str, accessed: dt.date, plotly_src: str) -> Path:
    """The chart's page, CSV and metadata in `out`; returns the page's path."""
    out.mkdir(parents=True, exist_ok=True)
    page = out / f"{chart.key}.html"
    page.write_text(chart_page(v, chart, link, accessed, plotly_src), encoding="utf-8")
    (out / f"{chart.key}.csv").write_bytes(csv_bytes(chart))
    meta = citation.metadata(v, chart, link, accessed)
    (out / f"{chart.key}.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return page


def copy_plotly(folder: Path) -> Path:
    """Plotly (the installed package's plotly.min.js) in `folder`, under a name with its version."""
    return place(PLOTLY_JS, folder / PLOTLY_NAME)


def place(source: Path, target: Path) -> Path:
    """`source` copied to `target` unless it is there already (same size), atomically: a reader never
    gets half a file. Its modification time is kept, so browsers cache it as long as the original."""
    if not target.is_file() or target.stat().st_size != source.stat().st_size:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        shutil.copy2(source, tmp)
        os.replace(tmp, target)
    return target


@dataclass
class Site:
    """What `publish` wrote."""

    out: Path
    pages: list[tuple[str, str, str]] = field(default_factory=list)  # (file, title, page title)
    images: str = ""  # what became of the SVG and PNG files


def publish(
    v: View, out: Path, app_url: str = citation.DEFAULT_APP_URL, accessed: dt.date | None = None, images: bool = True
) -> Site:
    """A static site of every chart of the findings for `v` in `out` (see the module's docstring)."""
    accessed = accessed or dt.date.today()
    out.mkdir(parents=True, exist_ok=True)
    copy_plotly(out)
    site = Site(out)
    for path, draw, extra in citation.catalog():
        chart = draw(v)
        if chart is None:
            continue
        page = pages.BY_PATH[path]
        link = citation.permalink(v, page, app_url, extra)
        file = write_chart(out, v, chart, link, accessed, PLOTLY_NAME).name
        site.pages.append((file, chart.title, page.title))
    index = _ENV.get_template("published_index.html.j2").render(
        app=citation.APP_NAME,
        heading="Official misconduct in wrongful convictions",
        scope=fmt.cap(scope(v.filters) or "All jurisdictions"),
        as_of=v.as_of,
        data_age=data_age(v),
        source=source_line(v),
        demo=v.is_demo,
        charts=[{"file": f, "title": t, "page": p} for f, t, p in site.pages],
        app_link=citation.permalink(v, pages.DEFAULT, app_url),
    )
    (out / "index.html").write_text(index, encoding="utf-8")
    site.images = render_images(out, [f for f, _, _ in site.pages]) if images else "not asked for"
    return site


EXPORT_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><script src="__PLOTLY__"></script></head><body>
<div id="stage" style="width:__WIDTH__px"></div>
<script type="application/json" id="figures">__FIGURES__</script>
<script>
(async function () {
  var figures = JSON.parse(document.getElementById("figures").textContent);
  var stage = document.getElementById("stage");
  for (var i = 0; i < figures.length; i++) {
    var f = figures[i], size = {width: __WIDTH__, height: f.figure.layout.height || 600};
    await Plotly.newPlot(stage, f.figure.data, Object.assign({}, f.figure.layout, size), {staticPlot: true});
    for (var format of ["svg", "png"]) {
      var url = await Plotly.toImage(stage, Object.assign({format: format, scale: format === "png" ? 2 : 1}, size));
      var pre = document.createElement("pre");
      pre.dataset.name = f.name; pre.dataset.format = format; pre.textContent = url;
      document.body.appendChild(pre);
    }
    Plotly.purge(stage);
  }
  document.body.appendChild(Object.assign(document.createElement("p"), {id: "done"}));
})();
</script></body></html>"""


def render_images(out: Path, files: list[str], timeout: float = 240) -> str:
    """An SVG and a PNG of each chart page in `out` — the chart with its finding, denominator and source —
    drawn by one headless Chromium (Plotly's own image export); says what it did."""
    import base64
    from urllib.parse import unquote

    if CHROMIUM is None:
        return (
            "SVG and PNG files were not made: Chromium is not installed here (apt-get install chromium); "
            "each page's own buttons download them."
        )
    figures = [{"name": f.removesuffix(".html"), "figure": _export_figure(out / f)} for f in files]
    page = out / "_export.html"
    page.write_text(
        EXPORT_PAGE.replace("__PLOTLY__", PLOTLY_NAME)
        .replace("__WIDTH__", str(EXPORT_WIDTH))
        .replace("__FIGURES__", json.dumps(figures).replace("</", "<\\/")),
        encoding="utf-8",
    )
    try:
        dom = subprocess.run(
            [
                CHROMIUM,
                *CHROMIUM_ARGS,
                "--dump-dom",
                f"--virtual-time-budget={20000 + 4000 * len(files)}",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "SVG and PNG files were not made: Chromium took too long; each page's own buttons download them."
    finally:
        page.unlink(missing_ok=True)
    made = 0
    for name, fmt_, url in re.findall(
        r'<pre data-name="([^"]+)" data-format="(svg|png)">(.*?)</pre>', dom.stdout.decode("utf-8", "replace"), re.S
    ):
        head, _, body = html.unescape(url).partition(",")
        data = base64.b64decode(body) if ";base64" in head else unquote(body).encode("utf-8")
        (out / f"{name}.{fmt_}").write_bytes(data)
        made += 1
    return (
        f"{made // 2} charts as SVG and PNG files, by Chromium."
        if made
        else ("SVG and PNG files were not made: Chromium drew nothing; each page's own buttons download them.")
    )


def _export_figure(page: Path) -> dict:
    m = re.search(r'<script type="application/json" id="export-figure">(.*?)</script>', page.read_text("utf-8"), re.S)
    return json.loads(m.group(1)) if m else {"data": [], "layout": {}}


def digest(v: View, key: str) -> str:
    """The name of a chart's folder among the app's published pages: the data file, the filters and the
    date — the same view always lands in the same place, and nothing else does."""
    text = json.dumps([v.meta.sha256, v.filters.query_params(), v.as_of, key, plotly.__version__], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def cli_publish(a) -> int:
    """`python -m exonerations publish --out DIR [filters]`."""
    from .cli import UserError, filters_from_args, open_registry

    reg = open_registry(a.db)
    try:
        v = View(reg, filters_from_args(a))
        if v.total == 0:
            raise UserError("No cases match these filters, so there is nothing to publish: widen them.")
        try:
            site = publish(v, a.out, a.app_url, images=not a.no_images)
        except OSError as e:
            raise UserError(
                f"The site could not be written to {a.out} ({e.strerror or e}): choose a folder you can write to."
            ) from None
    finally:
        reg.close()
    print(f"Published {len(site.pages)} charts to {site.out}/ (open index.html). {site.images}")
    return 0
