"""Citable, embeddable, publishable: citation text, a chart's CSV and metadata, the static site of
`python -m exonerations publish` (every page drawn from disk with the network blocked, an SVG per chart,
the numbers as the queries give them) and the embed served by Streamlit's static file serving."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from conftest import read_full_export_rows, wait_rendered

from exonerations import db, pages, publish
from exonerations.filters import Filters
from exonerations.findings import View, citation, misconduct, overview

ACCESSED = dt.date(2026, 12, 5)


def test_citation_text_for_a_page_and_filters(small_registry):
    v = View(small_registry, Filters(states=("New York",), year_from=2010, year_to=2020), today=ACCESSED)
    link = citation.permalink(v, pages.BY_PATH["misconduct"], "https://example.org/app", {"tab": "where"})
    assert link.startswith("https://example.org/app/misconduct?")
    assert "state=New+York" in link and "from=2010" in link and f"as_of={v.as_of}" in link and "tab=where" in link
    c = citation.cite(v, "A finding: 50% of 10 & more_than {half}", link, ACCESSED, "by_race")
    assert c.apa == (
        f"National Registry of Exonerations. ({v.as_of[:4]}). A finding: 50% of 10 & more_than {{half}} "
        f"[Data set; figure; data as of {v.as_of}; New York; exonerated 2010–2020]. Exoneration Misconduct "
        f"Explorer. Retrieved December 5, 2026, from {link}"
    )
    assert c.inline == f"(National Registry of Exonerations, data as of {v.as_of}, via Exoneration Misconduct Explorer)"
    assert "title = {A finding: 50\\% of 10 \\& more\\_than \\{half\\}}" in c.bibtex
    assert f"\\url{{{link}}}" in c.bibtex and "accessed 2026-12-05" in c.bibtex
    assert c.bibtex.count("{") == c.bibtex.count("}")
    default = citation.permalink(View(small_registry, Filters()), pages.DEFAULT, "http://h:1")
    assert default.startswith("http://h:1/?as_of=")


def test_chart_zip_has_the_csv_and_its_metadata_beside_it(small_registry):
    v = View(small_registry, Filters(states=("Texas",)), today=ACCESSED)
    chart = overview.factors_chart(v)
    blob = publish.zip_bundle(v, chart, "https://example.org/?state=Texas", ACCESSED)
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        names = z.namelist()
        data = z.read(next(n for n in names if n.endswith(".csv"))).decode("utf-8-sig")
        meta = json.loads(z.read(next(n for n in names if n.endswith(".json"))))
        readme = z.read("README.txt").decode()
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0] == list(chart.data.columns)  # nothing but the table: no preamble lines inside the CSV
    assert len(rows) == len(chart.data) + 1
    assert all(not r[0].startswith("#") for r in rows)
    assert meta["title"] == chart.title and meta["filters"] == "Texas" and meta["as_of"] == v.as_of
    assert meta["source_file_sha256"] == small_registry.meta.sha256 and meta["permalink"].endswith("state=Texas")
    assert meta["accessed"] == "2026-12-05" and "Retrieved December 5, 2026" in meta["citation"]
    assert chart.title in readme and meta["permalink"] in readme
    assert "Share of exonerations (%)" in rows[0]  # readable percentages beside the counts


@pytest.fixture(scope="module")
def site(full_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    reg = db.Registry(full_db)
    try:
        v = View(reg, Filters(states=("New York",)), today=ACCESSED)
        made = publish.publish(v, out, "https://app.example.org", ACCESSED)
    finally:
        reg.close()
    return made


def test_published_site_has_every_chart_with_its_files(site):
    assert len(site.pages) >= 15
    for file, _title, _page in site.pages:
        stem = site.out / file.removesuffix(".html")
        assert stem.with_suffix(".csv").is_file() and stem.with_suffix(".json").is_file()
        if publish.CHROMIUM:
            svg = stem.with_suffix(".svg").read_text(encoding="utf-8")
            assert svg.startswith("<svg") and "</svg>" in svg
            assert stem.with_suffix(".png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (site.out / publish.PLOTLY_NAME).is_file() and (site.out / "index.html").is_file()


def test_published_numbers_are_the_registry_s(site):
    """The New York actors chart of the site holds the counts made here with the csv module."""
    rows = [r for r in read_full_export_rows() if r["State"] == "New York" and r["Pre-1989"] != "Yes"]
    police = sum(r["OF - OM by Police Officer"] == "Yes" for r in rows)
    prosecutor = sum(r["PR: Prosecutor Misconduct"] == "Yes" for r in rows)
    meta = json.loads((site.out / "misconduct_by_actor.json").read_text(encoding="utf-8"))
    assert meta["filters"] == "New York"
    with (site.out / "misconduct_by_actor.csv").open(encoding="utf-8-sig") as f:
        table = {r[next(iter(r))]: r for r in csv.DictReader(f)}
    counts = {k: int(str(r["Exonerations"]).replace(",", "")) for k, r in table.items()}
    assert counts["Police officer"] == police and counts["Prosecutor"] == prosecutor
    page = (site.out / "misconduct_by_actor.html").read_text(encoding="utf-8")
    assert f'<td class="n">{police:,}</td>' in page and "New York" in page


@pytest.mark.browser
def test_every_published_page_draws_from_disk_with_the_network_blocked(site, browser):
    ctx = browser.new_context(viewport={"width": 1000, "height": 900})
    outside: list[str] = []

    def guard(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    page = ctx.new_page()
    try:
        for file, title, _ in site.pages:
            page.goto((site.out / file).as_uri())
            page.wait_for_selector("#chart .main-svg", timeout=20_000)
            body = page.inner_text("body")
            assert title in body and "data as of" in body and "Source: National Registry of Exonerations" in body
            assert page.locator("table tbody tr").count() >= 1
            assert page.locator("#chart").get_attribute("aria-label").startswith("Chart: ")
        assert not outside, outside[:5]
    finally:
        ctx.close()


@pytest.mark.browser
def test_embed_is_served_by_the_app_as_a_static_file(page, full_server):
    """The Cite/Embed box writes the chart's standalone page into static/ on demand; the app serves it as a
    file (HTML, drawn by the local Plotly), and the embed code points to it."""
    page.goto(f"{full_server.url}/misconduct?state=New+York")
    wait_rendered(page)
    page.get_by_role("button", name="Download, cite, embed").first.click()
    link = page.get_by_role("link", name="Open the standalone chart (PNG and SVG downloads)").first
    link.wait_for(timeout=20_000)
    url = link.get_attribute("href")
    assert "/app/static/published/" in url and url.endswith(".html")
    assert url in page.locator("code").filter(has_text="<iframe").first.inner_text().replace("\n", "")
    other = page.context.new_page()
    response = other.goto(url)
    assert response.status == 200 and response.headers["content-type"].startswith("text/html")
    other.wait_for_selector("#chart .main-svg", timeout=20_000)
    assert "New York" in other.inner_text("body")
    other.close()


def test_misconduct_group_chart_is_in_the_catalog():
    assert any(getattr(draw, "__name__", "") == "<lambda>" for _, draw, _ in citation.catalog())
    assert misconduct.group_chart is not None


def test_a_charts_sql_runs_as_shown_in_the_console_and_equals_its_csv(full_db, monkeypatch):
    """ "Open in the SQL console" puts the chart's query with the sidebar's filters written in; run there, its
    result gives the numbers of the chart's CSV."""
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    from exonerations import exports

    monkeypatch.setenv("EXONERATIONS_DB", str(full_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["state"] = "New York"
    at.query_params["dna"] = "no"
    at.run()
    at.switch_page("app_pages/misconduct.py").run()
    at.session_state["sql_misconduct_by_actor"] = True
    at.run()
    at.button(key="sql_misconduct_by_actor_console_misconduct_by_actor").click().run()
    assert not at.exception and not at.error
    sql = at.text_area(key="sql_text").value
    assert "$" not in sql.split("\n", 1)[1] and "['New York']" in sql
    result = at.dataframe[0].value
    reg = db.Registry(full_db)
    try:
        chart = misconduct.actors_chart(View(reg, Filters(states=("New York",), dna=False)))
    finally:
        reg.close()
    csv_rows = list(csv.DictReader(io.StringIO(exports.to_csv(chart.data).decode("utf-8-sig"))))
    label = next(iter(csv_rows[0]))
    from_csv = {r[label]: int(r["Exonerations"].replace(",", "")) for r in csv_rows}
    from exonerations import glossary

    from_console = {glossary.label(k): int(n) for k, n in zip(result["actor"], result["cases"], strict=True)}
    assert from_console == from_csv
