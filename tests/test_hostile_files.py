"""A hostile registry file and hostile links, in the app: names, counties, crimes, races and states that
hold Markdown, HTML, LaTeX, Plotly label markup and bare addresses, in a file whose own name holds them
too (built here from tests/fixtures/b_small.csv), opened with hostile link parameters on every page.

In Chromium: no request to any host but the app's, no link made from the data or the link, no rendered
LaTeX, no exception. In the figures the pages send: every label from the data escaped for Plotly.
"""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from conftest import ARTIFACTS, FIXTURES, ROOT, AppServer, chart_figures, visit, wait_rendered
from streamlit.testing.v1 import AppTest

from exonerations import db, pages

HOSTILE = [
    "[click](https://evil.invalid/link)",
    "![p](https://evil.invalid/img.png)",
    "<img src=https://evil.invalid/x.png>",
    "<a href='https://evil.invalid/a'>A</a>",
    "$\\frac{1}{2}$ $$x^2$$",
    "https://evil.invalid/bare",
    "www.evil.invalid",
    "mail@evil.invalid",
    ":red[red] :material/home: :streamlit: **b**",
    "<b>bold</b> &lt;i&gt;",
    "%{x} %{customdata}",
    "# heading",
]
FILE_NAME = "![p](https:attacker.invalid) $x$ www.evil.invalid <img src=x onerror=alert(1)> :red[r].csv"
EVIL = ("evil.invalid", "attacker.invalid")


def write_hostile_registry(folder: Path) -> Path:
    """b_small.csv with hostile names and counties on every row, and hostile worst crimes, states and
    races on some rows, under a hostile file name."""
    with (FIXTURES / "b_small.csv").open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    col = {name: header.index(name) for name in ("Name", "County of Crime", "Worst Crime Display", "State", "Race")}
    for i, r in enumerate(rows):
        r[col["Name"]] = f"{HOSTILE[i % len(HOSTILE)]} {i}"
        r[col["County of Crime"]] = HOSTILE[(i + 3) % len(HOSTILE)]
        if i % 3 == 0:
            r[col["Worst Crime Display"]] = HOSTILE[(i + 5) % len(HOSTILE)]
        if i % 4 == 1:
            r[col["State"]] = HOSTILE[(i + 7) % len(HOSTILE)]
        if i % 5 == 2:
            r[col["Race"]] = HOSTILE[(i + 1) % len(HOSTILE)]
    path = folder / FILE_NAME
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])
    return path


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    target = folder / "hostile.duckdb"
    db.import_file(write_hostile_registry(folder), target)
    return target


def hostile_states(path: Path) -> list[str]:
    reg = db.Registry(path)
    try:
        opts = reg.query("filter_options", {})
    finally:
        reg.close()
    return [s for s in opts.loc[opts["field"] == "state", "value"] if any(e in s or "$" in s for e in EVIL)]


def hostile_link(path: Path) -> dict:
    """Link parameters for every page: filters holding values the data has (hostile ones) and values it
    lacks, and each page's own parameters holding markup, LaTeX and bare addresses."""
    return {
        "state": ["New York", *hostile_states(path), "https://evil.invalid/state"],
        "crime": ["https://evil.invalid/crime", "<img src=https://evil.invalid/x.png>", "Murder"],
        "race": ":red[red] :material/home: **b** www.evil.invalid",
        "as_of": "$x^2$ www.evil.invalid",
        "from": "https://evil.invalid",
        "q": "https://evil.invalid/q $x^2$",
        "claim": "https://evil.invalid/claim",
        "county_state": "[click](https://evil.invalid/link)",
        "measure": "$x$",
        "tab": "www.evil.invalid",
        "period": "<b>x</b>",
        "stat": "https://evil.invalid/stat",
        "cmp": "mail@evil.invalid",
        "threshold": "$1$",
        "n": "www.evil.invalid",
        "sql": "select 'https://evil.invalid/sql' as u, '$x^2$' as l, '<img src=https://evil.invalid/i.png>' as i",
        "zzz": "[x](https://evil.invalid/unknown-key) $y$",
    }


# ---------------------------------------------------------------------------------------------
# The figures: every label that came from the data is escaped for Plotly


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


@pytest.mark.parametrize("page", pages.PAGES, ids=lambda p: p.url_path)
def test_every_label_from_the_data_is_escaped_in_the_figures(hostile_db, monkeypatch, page):
    """No string in a figure holds a tag or an entity from the data: `<` and `&` from the data arrive as
    `&lt;` and `&amp;`, and a `%{` from the data never reaches a hovertemplate."""
    monkeypatch.setenv("EXONERATIONS_DB", str(hostile_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(page.path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    for figure in chart_figures(at):
        for s in _strings(figure):
            if "evil" in s or "frac" in s or "bold" in s or "heading" in s:
                assert "<img" not in s and "<a " not in s and "<b>bold" not in s and "&lt;i&gt;" not in s, s
        for trace in figure.get("data", []):
            assert "%{customdata} %{" not in str(trace.get("hovertemplate", "")), trace.get("hovertemplate")


# ---------------------------------------------------------------------------------------------
# In Chromium


OWN_LINKS = {  # the app's own outside links (none made from the data or the link)
    "exonerationregistry.org",
    "www.law.umich.edu",
    "law.umich.edu",
    "duckdb.org",
    "docs.streamlit.io",
}
LINKS_JS = """() => [...document.querySelectorAll('a')].map(a => a.getAttribute('href')
    || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || '').filter(h => h)"""


@pytest.fixture(scope="module")
def hostile_server(hostile_db):
    ARTIFACTS.mkdir(exist_ok=True)
    srv = AppServer(hostile_db, ARTIFACTS / "server-hostile.log")
    yield srv
    srv.stop()


def _visit(tab, base: str, path: str, query: str, title: str) -> dict:
    """The page at `path` with link parameters `query` (loaded afresh), or without any (opened from the
    sidebar as a reader moves between pages): what it requested, linked and showed."""
    outside: list[str] = []
    errors: list[str] = []

    def route(r):
        if urlsplit(r.request.url).hostname == "127.0.0.1":
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    tab.route("**/*", route)
    tab.on("pageerror", lambda e: errors.append(str(e)))
    try:
        if query:
            tab.goto(f"{base}/{path}{query}")
            wait_rendered(tab, timeout=60_000)
        else:
            visit(tab, base, path, title)
        run = tab.get_by_role("button", name="Run")
        if run.count():  # the console shows a linked query and runs it only when Run is pressed: press it
            run.click()
            tab.wait_for_timeout(500)
            wait_rendered(tab, timeout=60_000)
        hrefs = tab.evaluate(LINKS_JS)
        return {
            "outside_requests": outside,
            "outside_links": [h for h in hrefs if urlsplit(h).hostname not in (None, "127.0.0.1")],
            "katex": tab.locator(".katex").count(),
            "exceptions": tab.locator("[data-testid='stException']").count(),
            "errors": errors,
            "text": tab.locator("body").inner_text(),
        }
    finally:
        tab.unroute("**/*", route)
        if query:
            tab.goto("about:blank")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("hostile_params", [False, True], ids=["plain_link", "hostile_link"])
@pytest.mark.parametrize("page", pages.PAGES, ids=lambda p: p.url_path)
def test_hostile_file_and_link_stay_inert_in_the_browser(tabs, hostile_server, hostile_db, page, hostile_params):
    path = "" if page is pages.DEFAULT else page.url_path
    query = "?" + urlencode(hostile_link(hostile_db), doseq=True) if hostile_params else ""
    tab = tabs(name="hostile-link" if hostile_params else "hostile-file")
    seen = _visit(tab, hostile_server.url, path, query, page.browser_title)
    assert seen["outside_requests"] == [], seen["outside_requests"]
    assert not [h for h in seen["outside_links"] if any(e in h for e in EVIL)], seen["outside_links"]
    assert {urlsplit(h).hostname for h in seen["outside_links"]} <= OWN_LINKS, seen["outside_links"]
    assert seen["katex"] == 0
    assert seen["exceptions"] == 0 and not seen["errors"], seen["errors"]
    assert "![p](https:" in seen["text"] and "<img src=x onerror=alert(1)>" in seen["text"]  # the file's name, as typed
