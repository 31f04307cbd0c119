"""The briefing pack: the deck re-opens, has the slides, native charts whose data equal the `stats` figures
for the same filters; the fact sheet is self-contained HTML with the headline figures and prints on one
page in Chromium; LibreOffice (where installed) converts the deck; the `brief` command and the page."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser

import pytest
from conftest import ARTIFACTS, FIXTURES, ROOT, filters, read_full_export_rows
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Pt
from streamlit.testing.v1 import AppTest

from exonerations import brief, db, glossary
from exonerations.cli import main
from exonerations.filters import Filters

NY = Filters(states=("New York",))
SLIDE_TITLES = [  # what each slide's title must say (in order)
    "Official misconduct in wrongful convictions",
    "Official misconduct played a role in",
    "contributing factor|second only to",
    "Police misconduct played a role in",
    "most common kind of misconduct",
    "Official misconduct played a role in|Exonerations per year",
    "years in prison|Years lost",
    "In New York, official misconduct played a role",
    "Sources and definitions",
]


def stats_json(db_path, capsys, *args) -> dict:
    capsys.readouterr()
    assert main(["stats", "--db", str(db_path), "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def open_deck(data: bytes):
    return Presentation(io.BytesIO(data))


def charts(slide) -> list:
    return [sh.chart for sh in slide.shapes if sh.has_chart]


def series_values(chart) -> dict[str, dict[str, float]]:
    """{series name: {category: value}} from the chart's own data."""
    cats = list(chart.plots[0].categories)
    return {s.name: dict(zip(cats, s.values, strict=True)) for p in chart.plots for s in p.series}


@pytest.fixture(scope="module")
def ny_deck(full_registry):
    return open_deck(brief.deck(brief.collect(full_registry, NY)))


def test_deck_reopens_with_the_slides(ny_deck):
    titles = [s.shapes.title.text_frame.text for s in ny_deck.slides]
    assert len(titles) == len(SLIDE_TITLES)
    for got, want in zip(titles, SLIDE_TITLES, strict=True):
        assert re.search(want, got), (got, want)
    assert "as of 2026-06-25" in ny_deck.core_properties.title


def test_deck_charts_are_native_and_notes_carry_definitions(ny_deck):
    n_charts = 0
    for slide in ny_deck.slides:
        assert not [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE], "charts must not be pictures"
        n_charts += len(charts(slide))
        notes = slide.notes_slide.notes_text_frame.text
        assert len(notes) > 80
        if charts(slide):
            assert "posted by 2026-06-25" in notes or "Denominator" in notes
    assert n_charts >= 8
    factor_notes = ny_deck.slides[2].notes_slide.notes_text_frame.text.replace("• ", "")
    assert "Official misconduct: " + glossary.BY_KEY["official_misconduct"].definition in factor_notes


def test_deck_chart_data_equal_stats(ny_deck, full_db, capsys):
    s = stats_json(full_db, capsys, "--state", "New York")
    nation = stats_json(full_db, capsys)
    slides = list(ny_deck.slides)
    factors = series_values(charts(slides[2])[0])["Exonerations with the factor"]
    assert factors == {c.label: s["factors"][c.key] for c in glossary.FACTORS}
    actors = series_values(charts(slides[3])[0])["Exonerations with misconduct by this official"]
    assert actors == {c.label: s["misconduct"][c.key] for c in glossary.ACTORS}
    kinds = series_values(charts(slides[4])[0])["Exonerations with this kind of misconduct"]
    assert kinds == {c.label: s["misconduct"][c.key] for c in glossary.KINDS}
    doughnut = series_values(charts(slides[1])[0])["Exonerations"]
    om = s["factors"]["official_misconduct"]
    assert list(doughnut.values()) == [om, s["total"] - om]
    compare = series_values(charts(slides[7])[0])
    assert compare["New York"] == pytest.approx({c.label: s["factors"][c.key] / s["total"] for c in glossary.FACTORS})
    assert compare[brief.NATION] == pytest.approx(
        {c.label: nation["factors"][c.key] / nation["total"] for c in glossary.FACTORS}
    )


def test_deck_trend_and_years_lost_against_independent_counts(ny_deck):
    rows = [r for r in read_full_export_rows() if r["Pre-1989"] == "No" and r["State"].strip() == "New York"]
    per_year = Counter(r["Date of Exon"][:4] for r in rows)  # ISO dates in the full export
    om_year = Counter(r["Date of Exon"][:4] for r in rows if r["Official Misconduct"] == "Yes")
    stacked = series_values(charts(list(ny_deck.slides)[5])[0])
    with_om, without = stacked["With official misconduct"], stacked["Without (or not coded)"]
    assert {y: v for y, v in with_om.items() if v} == dict(om_year)
    assert {y: with_om[y] + without[y] for y in with_om if with_om[y] + without[y]} == dict(per_year)
    years = series_values(charts(list(ny_deck.slides)[6])[0])["Years lost in prison"]
    want_with = sum(float(r["Years Lost"]) for r in rows if r["Official Misconduct"] == "Yes" and r["Years Lost"])
    want_all = sum(float(r["Years Lost"]) for r in rows if r["Years Lost"])
    assert years["With official misconduct"] == pytest.approx(want_with, abs=0.05)
    assert years["With official misconduct"] + years["Without (or not coded)"] == pytest.approx(want_all, abs=0.1)


def test_deck_text_is_readable(ny_deck):
    for slide in ny_deck.slides:
        for sh in slide.shapes:
            if not sh.has_text_frame:
                continue
            for p in sh.text_frame.paragraphs:
                for r in p.runs:
                    assert r.font.size is None or r.font.size >= Pt(14), (r.text, r.font.size)
        for chart in charts(slide):
            assert chart.font.size >= Pt(14)


def test_demo_deck_is_marked_on_every_slide(demo_db):
    reg = db.Registry(demo_db)
    try:
        deck = open_deck(brief.deck(brief.collect(reg, Filters())))
    finally:
        reg.close()
    for slide in deck.slides:
        text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        assert brief.DEMO_MARK in text
        assert brief.DEMO_MARK in slide.notes_slide.notes_text_frame.text


def test_layout_a_deck_says_years_lost_are_not_in_the_file(tmp_path):
    path = tmp_path / "a.duckdb"
    db.import_file(FIXTURES / "a_2023.csv", path)
    reg = db.Registry(path)
    try:
        b = brief.collect(reg, Filters())
        deck = open_deck(brief.deck(b))
        sheet = brief.fact_sheet(b)
    finally:
        reg.close()
    slide = list(deck.slides)[6]
    assert "not in this file" in slide.shapes.title.text_frame.text
    assert not charts(slide)
    assert "no years-lost column" in sheet


def test_no_cases_still_builds(small_registry):
    b = brief.collect(small_registry, Filters(states=("Atlantis",)))
    assert b.total == 0
    assert len(open_deck(brief.deck(b)).slides) == len(SLIDE_TITLES)
    assert "No cases match these filters" in brief.fact_sheet(b)


# ---------------------------------------------------------------------------------------------
# The fact sheet


class _Checker(HTMLParser):
    VOID = {"meta", "br", "hr", "img", "input", "link", "circle", "line", "rect", "polyline", "path"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()


@pytest.fixture(scope="module")
def ny_sheet(full_registry):
    return brief.fact_sheet(brief.collect(full_registry, NY))


def test_fact_sheet_is_valid_self_contained_html(ny_sheet):
    assert ny_sheet.startswith("<!DOCTYPE html>")
    checker = _Checker()
    checker.feed(ny_sheet)
    checker.close()
    assert not checker.errors and not checker.stack, (checker.errors, checker.stack)
    low = ny_sheet.lower()
    for banned in ("http://", "https://", "<script", "<link", "@import", "url(", "<img", "@font-face"):
        assert banned not in low, banned
    assert "@page" in ny_sheet and "@media print" in ny_sheet


def test_fact_sheet_has_the_headline_figures(ny_sheet, full_db, capsys):
    s = stats_json(full_db, capsys, "--state", "New York")
    om, total = s["factors"]["official_misconduct"], s["total"]
    assert f"{om:,} of the {total:,} exonerations" in ny_sheet
    assert f"{100 * om / total:.1f}%" in ny_sheet
    assert f"{s['years_lost']:,.0f}" in ny_sheet
    assert "data as of" not in ny_sheet or "2026-06-25" in ny_sheet
    assert "2026-06-25" in ny_sheet and "New York" in ny_sheet
    assert brief.DEMO_MARK not in ny_sheet


def test_demo_fact_sheet_is_marked(demo_db):
    reg = db.Registry(demo_db)
    try:
        sheet = brief.fact_sheet(brief.collect(reg, Filters()))
    finally:
        reg.close()
    assert brief.DEMO_MARK in sheet


@pytest.mark.browser
def test_fact_sheet_renders_and_prints_on_one_page(page, ny_sheet):
    page.set_content(ny_sheet)
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "factsheet.png"), full_page=True)
    assert page.locator("h1").inner_text().startswith("Official misconduct played a role in")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1, "the fact sheet must print on one page"


# ---------------------------------------------------------------------------------------------
# LibreOffice: the deck as a legislator's office software opens it


@pytest.mark.slow
def test_libreoffice_converts_the_deck(ny_deck, tmp_path):
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed (apt-get install -y libreoffice-impress) — deck not converted")
    src = tmp_path / "deck.pptx"
    ny_deck.save(str(src))
    r = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    pdf = tmp_path / "deck.pdf"
    assert pdf.is_file(), r.stderr
    assert len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) == len(SLIDE_TITLES)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "s")], check=True, timeout=120)
        assert len(list(tmp_path.glob("s-*.png"))) == len(SLIDE_TITLES)


# ---------------------------------------------------------------------------------------------
# Command line and page


def test_brief_command_writes_both(full_db, tmp_path, capsys):
    deck, sheet = tmp_path / "ny.pptx", tmp_path / "ny.html"
    assert main(["brief", "--db", str(full_db), "--out", str(deck), "--state", "New York"]) == 0
    assert (
        main(["brief", "--db", str(full_db), "--out", str(sheet), "--state", "New York", "--as-of", "2026-02-05"]) == 0
    )
    assert len(open_deck(deck.read_bytes()).slides) == len(SLIDE_TITLES)
    assert "posted by 2026-02-05" in sheet.read_text(encoding="utf-8")
    assert "wrote the fact sheet for New York" in capsys.readouterr().out


def test_brief_command_bad_output_is_one_sentence(small_db, tmp_path, capsys):
    capsys.readouterr()
    assert main(["brief", "--db", str(small_db), "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ".pptx" in err
    assert main(["brief", "--db", str(small_db), "--out", str(tmp_path / "missing" / "x.pptx")]) == 2


def test_briefing_page(full_db, monkeypatch):
    monkeypatch.setenv("EXONERATIONS_DB", str(full_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["state"] = "New York"
    at.switch_page("app_pages/briefing.py").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "**Scope:** New York" in text and "**New York** against all jurisdictions" in text


def test_briefing_page_empty_filters(small_db, monkeypatch):
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("app_pages/briefing.py").run()
    filters(at).selectbox(key="f_death_sentence").set_value("Yes").run()
    filters(at).multiselect(key="f_states").set_value(["Texas"]).run()
    assert not at.exception
    assert any("No cases match" in i.value for i in at.info) or any("only" in w.value for w in at.warning)
