"""The briefing pack: the deck re-opens with one slide per entry of `SLIDES`, native charts whose data equal
counts made with the csv module, alt text on every chart, notes with definitions; the fact sheet is
self-contained HTML from a Jinja2 template that prints on one page; both say what the pages say (the same
findings functions) — DNA apart from the contributing factors, shares of those with misconduct counted among
them, scope words right under every filter, colours with one meaning, the place beside the rest of the
country; values from a link or a file stay inert (no formula in the embedded workbook, no crash on
characters XML cannot hold); the `brief` command and the Briefing page."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from conftest import ARTIFACTS, FIXTURES, ROOT, filters, read_full_export_rows, unescaped
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Pt
from streamlit.testing.v1 import AppTest

from exonerations import brief, db, findings, glossary, style
from exonerations.cli import main
from exonerations.filters import Filters
from exonerations.findings import View, human_cost, misconduct, new_york, over_time, overview

NY = Filters(states=("New York",))
KEYS = [s.key for s in brief.SLIDES]
FACTOR_COLUMNS = {
    "official_misconduct": "Official Misconduct",
    "perjury_or_false_accusation": "Perjury or False Accusation?",
    "mistaken_witness_id": "Mistaken Witness ID",
    "false_or_misleading_forensic_evidence": "False or Misleading Forensic Evidence",
    "inadequate_legal_defense": "Inadequate Legal Defense",
    "false_confession": "False Confession",
}
OF, PR = "OF - OM by Police Officer", "PR: Prosecutor Misconduct"
HYPERLINK = '=HYPERLINK("http://x","y")'


def half_up(part, whole, digits: int = 1) -> str:
    """part / whole as a percentage, halves rounded up on the exact quotient (the test's own rule)."""
    q = Decimal(1).scaleb(-digits)
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(q, ROUND_HALF_UP))


def rows_for(f: Filters) -> list[dict]:
    """The full export's rows that `f` selects, counted with the csv module (every posting date)."""
    out = []
    for r in read_full_export_rows():
        year = int(r["Date of Exon"][:4])
        if r["Pre-1989"] == "Yes" and not f.include_pre_1989:
            continue
        if f.states and r["State"].strip() not in f.states:
            continue
        if (f.year_from and year < f.year_from) or (f.year_to and year > f.year_to):
            continue
        out.append(r)
    return out


def yes(rows, column) -> int:
    return sum(r[column] == "Yes" for r in rows)


def stats_json(db_path, capsys, *args) -> dict:
    capsys.readouterr()
    assert main(["stats", "--db", str(db_path), "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def open_deck(data: bytes):
    return Presentation(io.BytesIO(data))


def slide(deck, key: str):
    return list(deck.slides)[KEYS.index(key)]


def charts(s) -> list:
    return [sh.chart for sh in s.shapes if sh.has_chart]


def frames(s) -> list:
    return [sh for sh in s.shapes if sh.has_chart]


def series_values(chart) -> dict[str, dict[str, float]]:
    """{series name: {category: value}} from the chart's own data."""
    cats = list(chart.plots[0].categories)
    return {s.name: dict(zip(cats, s.values, strict=True)) for p in chart.plots for s in p.series}


def slide_text(s) -> str:
    return " ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)


def deck_text(deck) -> str:
    """Every word of the deck: slides, notes and the charts' alt text."""
    out = []
    for s in deck.slides:
        out += [slide_text(s), s.notes_slide.notes_text_frame.text]
        out += [f._element.nvGraphicFramePr.cNvPr.get("descr") or "" for f in frames(s)]
    return "\n".join(out)


def hex_of(fill) -> str:
    return "#" + str(fill.fore_color.rgb)


def pack(registry, f: Filters) -> brief.Brief:
    return brief.collect(View(registry, f))


@pytest.fixture(scope="module")
def ny_brief(full_registry):
    return pack(full_registry, NY)


@pytest.fixture(scope="module")
def ny_deck(ny_brief):
    return open_deck(brief.deck(ny_brief))


@pytest.fixture(scope="module")
def ny_sheet(ny_brief):
    return brief.fact_sheet(ny_brief)


@pytest.fixture(scope="module")
def all_brief(full_registry):
    return pack(full_registry, Filters())


# ---------------------------------------------------------------------------------------------
# The deck: slides, native charts, notes


def test_deck_has_one_slide_per_entry_of_slides(ny_deck, ny_brief, full_registry):
    titles = [s.shapes.title.text_frame.text for s in ny_deck.slides]
    assert titles == brief.slide_titles(ny_brief) == [s.title(ny_brief) for s in brief.SLIDES]
    assert KEYS == [
        "cover",
        "headline",
        "factors",
        "actors",
        "kinds",
        "accountability",
        "trend",
        "years_lost",
        "compare",
        "counties",
        "sources",
        "cite",
    ]
    # each title is the finding the pages print, from the same function
    v = View(full_registry, NY.with_(as_of=full_registry.meta.posting_max))
    assert titles[KEYS.index("factors")] == overview.factors_title(v)
    assert titles[KEYS.index("actors")] == misconduct.actors_title(v)
    assert titles[KEYS.index("kinds")] == misconduct.kinds_title(v)
    assert titles[KEYS.index("trend")] == over_time.trend_title(v)
    assert titles[KEYS.index("years_lost")] == human_cost.years_lost_title(v)
    assert titles[KEYS.index("compare")] == new_york.compare_title(v, "New York")
    assert "as of 2026-06-25" in ny_deck.core_properties.title


def test_deck_charts_are_native_and_notes_carry_definitions(ny_deck):
    n_charts = 0
    for s in ny_deck.slides:
        pictures = [sh for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert all(p._element.nvPicPr.cNvPr.get("descr", "").startswith("QR code of the link") for p in pictures), (
            "charts must not be pictures (the only picture is the QR code of the pack's link)"
        )
        n_charts += len(charts(s))
        notes = s.notes_slide.notes_text_frame.text
        assert len(notes) > 80
        if charts(s):
            assert "posted by 2026-06-25" in notes or "Denominator" in notes
        assert "data as of 2026-06-25" in slide_text(s)  # the source line and as-of date on every slide
        assert f"Source: {glossary.SOURCE}" in slide_text(s)
    assert n_charts >= 8
    factor_notes = slide(ny_deck, "factors").notes_slide.notes_text_frame.text.replace("• ", "")
    assert "Official misconduct: " + glossary.BY_KEY["official_misconduct"].definition in factor_notes


def test_deck_chart_data_equal_independent_counts(ny_deck, full_db, capsys):
    rows = rows_for(NY)
    total, om = len(rows), yes(rows, "Official Misconduct")
    factors = series_values(charts(slide(ny_deck, "factors"))[0])["Exonerations with the factor"]
    assert factors == {c.label: yes(rows, FACTOR_COLUMNS[c.key]) for c in glossary.CONTRIBUTING}
    s = stats_json(full_db, capsys, "--state", "New York")
    actors = series_values(charts(slide(ny_deck, "actors"))[0])["Exonerations with misconduct by this official"]
    assert actors == {c.label: s["misconduct"][c.key] for c in glossary.ACTORS}
    assert actors["Police officer"] == yes(rows, OF) and actors["Prosecutor"] == yes(rows, PR)
    kinds = series_values(charts(slide(ny_deck, "kinds"))[0])["Exonerations with this kind of misconduct"]
    assert kinds == {c.label: s["misconduct"][c.key] for c in glossary.KINDS}
    doughnut = series_values(charts(slide(ny_deck, "headline"))[0])["Exonerations"]
    assert list(doughnut.values()) == [om, total - om]


def test_deck_trend_and_years_lost_against_independent_counts(ny_deck):
    rows = rows_for(NY)
    per_year = Counter(r["Date of Exon"][:4] for r in rows)  # ISO dates in the full export
    om_year = Counter(r["Date of Exon"][:4] for r in rows if r["Official Misconduct"] == "Yes")
    stacked = series_values(charts(slide(ny_deck, "trend"))[0])
    with_om, without = stacked[human_cost.WITH_OM], stacked[human_cost.WITHOUT_OM]
    assert {y: v for y, v in with_om.items() if v} == dict(om_year)
    assert {y: with_om[y] + without[y] for y in with_om if with_om[y] + without[y]} == dict(per_year)
    share = series_values(charts(slide(ny_deck, "trend"))[1])["Share with official misconduct"]
    assert share["2018"] == pytest.approx(om_year["2018"] / per_year["2018"])
    years = series_values(charts(slide(ny_deck, "years_lost"))[0])["Years lost in prison"]
    want_with = sum(float(r["Years Lost"]) for r in rows if r["Official Misconduct"] == "Yes" and r["Years Lost"])
    want_all = sum(float(r["Years Lost"]) for r in rows if r["Years Lost"])
    assert years[human_cost.WITH_OM] == pytest.approx(want_with, abs=0.05)
    assert years[human_cost.WITH_OM] + years[human_cost.WITHOUT_OM] == pytest.approx(want_all, abs=0.1)


def test_deck_text_is_readable(ny_deck):
    for s in ny_deck.slides:
        for sh in s.shapes:
            if not sh.has_text_frame:
                continue
            for p in sh.text_frame.paragraphs:
                for r in p.runs:
                    assert r.font.size is None or r.font.size >= Pt(14), (r.text, r.font.size)
        for chart in charts(s):
            assert chart.font.size >= Pt(14)


def test_demo_deck_is_marked_on_every_slide(demo_db):
    reg = db.Registry(demo_db)
    try:
        b = pack(reg, Filters())
        deck, sheet = open_deck(brief.deck(b)), brief.fact_sheet(b)
    finally:
        reg.close()
    for s in deck.slides:
        assert findings.DEMO_MARK in slide_text(s)
        assert findings.DEMO_MARK in s.notes_slide.notes_text_frame.text
    assert findings.DEMO_MARK in sheet


def test_layout_a_pack_says_years_lost_are_not_in_the_file(tmp_path):
    path = tmp_path / "a.duckdb"
    db.import_file(FIXTURES / "a_2023.csv", path)
    reg = db.Registry(path)
    try:
        b = pack(reg, Filters())
        deck = open_deck(brief.deck(b))
        sheet = brief.fact_sheet(b)
    finally:
        reg.close()
    s = slide(deck, "years_lost")
    assert "not in this file" in s.shapes.title.text_frame.text
    assert not charts(s)
    assert "no years-lost column" in sheet


def test_no_cases_still_builds(small_registry):
    b = pack(small_registry, Filters(states=("Atlantis",)))
    assert b.total == 0
    assert len(open_deck(brief.deck(b)).slides) == len(brief.SLIDES)
    assert "No cases match these filters" in brief.fact_sheet(b)


# ---------------------------------------------------------------------------------------------
# Wording defects, each against an independent count


def _factor_block(sheet: str) -> str:
    return re.search(r'<div class="cols">\s*<section[^>]*>(.*?)</section>', sheet, re.S).group(1)


def test_dna_is_shown_apart_from_the_six_contributing_factors(ny_deck, ny_sheet):
    rows = rows_for(NY)
    counts = {c.label: yes(rows, FACTOR_COLUMNS[c.key]) for c in glossary.CONTRIBUTING}
    ranked = sorted(counts, key=lambda label: -counts[label])
    s = slide(ny_deck, "factors")
    chart = charts(s)[0]
    assert list(chart.plots[0].categories) == ranked  # the six, most frequent first, DNA not among them
    dna = yes(rows, "DNA")
    sentence = f"DNA evidence was central to {dna:,} of these {len(rows):,} exonerations ({half_up(dna, len(rows))}%)"
    assert sentence in slide_text(s)
    block = _factor_block(ny_sheet)
    assert re.findall(r'<span class="lab">([^<]*)</span>', block) == ranked
    assert sentence in block


def test_both_police_and_prosecutors_counted_among_those_with_misconduct(all_brief):
    rows = rows_for(Filters())
    om = [r for r in rows if r["Official Misconduct"] == "Yes"]
    both = [r for r in rows if r[OF] == "Yes" and r[PR] == "Yes"]
    both_in_om = [r for r in both if r["Official Misconduct"] == "Yes"]
    assert len(both_in_om) < len(both)  # one case is coded both without the factor: 666 of 2,333, not 667
    want = f"{half_up(len(both_in_om), len(om))}% of the {len(om):,} with official misconduct"
    wrong = f"{half_up(len(both), len(om))}%"
    deck = open_deck(brief.deck(all_brief))
    sheet = brief.fact_sheet(all_brief)
    text = slide_text(slide(deck, "actors"))
    assert want in text and wrong not in text
    assert want in sheet and f"{wrong} of those with official misconduct" not in sheet
    assert f"Police and prosecutors were both coded in {len(both):,} exonerations" in text


SCOPES = {
    "no filter": Filters(),
    "a state": Filters(states=("Texas",)),
    "a year range": Filters(year_from=2010, year_to=2015),
    "pre-1989 included": Filters(include_pre_1989=True),
    "state and years": Filters(states=("Illinois",), year_from=2000, year_to=2009),
}


@pytest.mark.parametrize("name", list(SCOPES))
def test_scope_words_read_correctly_for_every_filter(full_registry, name):
    f = SCOPES[name]
    rows = rows_for(f)
    total, om = len(rows), yes(rows, "Official Misconduct")
    b = pack(full_registry, f)
    deck = open_deck(brief.deck(b))
    cover = slide_text(slide(deck, "cover"))
    assert f"{om:,} of {total:,} exonerations ({half_up(om, total)}%)" in cover
    default_years = f.year_from is None and f.year_to is None and not f.include_pre_1989
    assert ("1989 to the present" in cover) == default_years
    for state in f.states:
        assert state in cover
    if f.year_from:
        assert f"exonerated {f.year_from}–{f.year_to}" in cover
    if f.include_pre_1989:
        assert "pre-1989" in cover
    titles = [s.shapes.title.text_frame.text for s in deck.slides]
    assert not [t for t in titles if "in exonerated" in t or re.search(r"\bin including\b", t)]
    assert titles[KEYS.index("headline")].endswith("of exonerations involved official misconduct")
    sheet = brief.fact_sheet(b)
    kicker = re.search(r'<p class="kicker">(.*?)</p>', sheet, re.S).group(1)
    assert ("1989 to the present" in kicker) == default_years


def test_no_claim_about_the_stage_of_the_case(ny_deck, ny_sheet):
    for text in (deck_text(ny_deck), ny_sheet):
        assert "more than one stage" not in text and "investigation to trial" not in text


def _fills(chart) -> list[tuple[str, str, str]]:
    """(series name, category, colour) of every bar, column or slice."""
    cats = list(chart.plots[0].categories)
    out = []
    for s in chart.plots[0].series:
        for i, c in enumerate(cats):
            out.append((s.name, c, hex_of(s.points[i].format.fill)))
    return out


def test_colours_have_one_meaning_in_the_deck(ny_deck):
    with_om = {"Official misconduct", human_cost.WITH_OM, "With official misconduct"}
    seen = set()
    for key in ("headline", "factors", "actors", "kinds", "years_lost"):
        for _name, cat, colour in _fills(charts(slide(ny_deck, key))[0]):
            if colour == style.HIGHLIGHT:
                assert cat in with_om, (key, cat)
            if cat.lower().startswith("without"):
                assert colour == style.MUTED, (key, cat, colour)
            seen.add(colour)
    assert style.HIGHLIGHT in seen and style.MUTED in seen
    columns, line = charts(slide(ny_deck, "trend"))
    fills = {s.name: hex_of(s.format.fill) for s in columns.plots[0].series}
    assert fills == {human_cost.WITH_OM: style.HIGHLIGHT, human_cost.WITHOUT_OM: style.MUTED}
    assert "#" + str(line.plots[0].series[0].format.line.color.rgb) == style.HIGHLIGHT
    place, rest = charts(slide(ny_deck, "compare"))[0].plots[0].series
    assert {hex_of(p.format.fill) for p in (place.points[i] for i in range(6))} == {style.BASE}
    assert {hex_of(p.format.fill) for p in (rest.points[i] for i in range(6))} == {style.COMPARE}


def test_colours_have_one_meaning_in_the_fact_sheet(ny_sheet):
    bars = re.findall(r'<span class="lab">([^<]*)</span><span class="track"><span class="fill" style="width:[\d.]+%;'
                      r'background:(#[0-9A-Fa-f]{6})', ny_sheet)  # fmt: skip
    for label, colour in bars:
        if colour.upper() == style.HIGHLIGHT:
            assert label in {"Official misconduct", human_cost.WITH_OM, "With official misconduct"}, label
        if label.lower().startswith("without"):
            assert colour.upper() == style.MUTED.upper(), label
    rects = set(re.findall(r'<rect [^>]*fill="(#[0-9A-Fa-f]{6})"', ny_sheet))
    assert rects == {style.HIGHLIGHT, style.MUTED}
    legend = re.search(r"<h3>Per year:(.*?)</h3>", ny_sheet, re.S).group(1)
    swatches = dict(re.findall(r'background:(#[0-9A-Fa-f]{6})"></span>([^<\n]*)', legend))
    assert swatches == {style.HIGHLIGHT: human_cost.WITH_OM, style.MUTED: human_cost.WITHOUT_OM}
    assert ny_sheet.count(style.HIGHLIGHT) >= 3 and "border-bottom: 3px solid " + style.HIGHLIGHT not in ny_sheet


@pytest.mark.parametrize("state", ["New York", "Texas"])
def test_the_place_is_beside_the_rest_of_the_country(full_registry, state):
    f = Filters(states=(state,))
    place, every = rows_for(f), rows_for(Filters())
    rest = [r for r in every if r["State"].strip() != state]
    b = pack(full_registry, f)
    deck = open_deck(brief.deck(b))
    values = series_values(charts(slide(deck, "compare"))[0])
    place_name = f"{state} (of {len(place):,})"
    rest_name = f"Rest of the country, {state} excluded (of {len(rest):,})"
    assert set(values) == {place_name, rest_name}
    for c in glossary.CONTRIBUTING:
        column = FACTOR_COLUMNS[c.key]
        assert values[place_name][c.label] == pytest.approx(yes(place, column) / len(place))
        assert values[rest_name][c.label] == pytest.approx(yes(rest, column) / len(rest))
    om_p, om_r = yes(place, "Official Misconduct"), yes(rest, "Official Misconduct")
    assert slide(deck, "compare").shapes.title.text_frame.text == (
        f"In {state}, official misconduct played a role in {half_up(om_p, len(place), 0)}% of exonerations, "
        f"against {half_up(om_r, len(rest), 0)}% in the rest of the country"
    )
    sheet = brief.fact_sheet(b)
    assert rest_name in sheet and f"<b>{half_up(om_p, len(place))}%</b> · {half_up(om_r, len(rest))}%" in sheet


def test_every_chart_has_alt_text_with_its_finding_and_numbers(ny_deck):
    rows = rows_for(NY)
    n = 0
    for s in ny_deck.slides:
        title = s.shapes.title.text_frame.text
        for frame in frames(s):
            alt = frame._element.nvGraphicFramePr.cNvPr.get("descr")
            assert alt and title in alt, (title, alt)
            assert re.search(r"\d", alt.replace(title, "")), alt  # numbers beyond the title's
            n += 1
    assert n >= 8
    factors = frames(slide(ny_deck, "factors"))[0]._element.nvGraphicFramePr.cNvPr.get("descr")
    om = yes(rows, "Official Misconduct")
    assert f"Official misconduct: {om:,} ({half_up(om, len(rows))}%)" in factors


class _Svgs(HTMLParser):
    """Each <svg>'s attributes and the text of its <title>; the cells of the table that follows them."""

    def __init__(self):
        super().__init__()
        self.svgs: list[dict] = []
        self.cells: list[str] = []
        self._where: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "svg":
            self.svgs.append({**dict(attrs), "title": ""})
        self._where = tag if tag in ("title", "td", "th") else None

    def handle_data(self, data):
        if self._where == "title" and self.svgs:
            self.svgs[-1]["title"] += data
        elif self._where in ("td", "th"):
            self.cells.append(data)

    def handle_endtag(self, tag):
        self._where = None


def test_every_fact_sheet_chart_has_a_text_equivalent(ny_sheet):
    rows = rows_for(NY)
    p = _Svgs()
    p.feed(ny_sheet)
    p.svgs = [s for s in p.svgs if not s.get("aria-label", "").startswith("QR code")]  # the link's QR code
    assert len(p.svgs) == 2
    first = [r for r in rows if 1989 <= int(r["Date of Exon"][:4]) <= 1993]
    first_om = yes(first, "Official Misconduct")
    for svg in p.svgs:
        assert svg["role"] == "img" and svg["aria-labelledby"]
        assert svg["title"].startswith("Column chart: Official misconduct played a role in")
        assert f"{first_om:,} of {len(first):,} exonerations in the first five years" in svg["title"]
    per_year = Counter(r["Date of Exon"][:4] for r in rows)
    cells = p.cells
    i = cells.index("2018")
    assert cells[i + 1] == f"{per_year['2018']:,}"


# ---------------------------------------------------------------------------------------------
# Values from a link or a file stay inert


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    """The fixture's cases with Texas renamed to a spreadsheet formula and Illinois holding U+FFFE."""
    with (FIXTURES / "b_small.csv").open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields)
    w.writeheader()
    names = {"Texas": HYPERLINK, "Illinois": "Illi\ufffenois"}
    for r in rows:
        w.writerow({**r, "State": names.get(r["State"], r["State"])})
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.csv").write_text(out.getvalue(), encoding="utf-8")
    db.import_file(folder / "hostile.csv", folder / "hostile.duckdb")
    return folder / "hostile.duckdb"


def _workbook_cells(deck_bytes: bytes):
    """Every cell of every chart's embedded workbook."""
    with zipfile.ZipFile(io.BytesIO(deck_bytes)) as z:
        books = [n for n in z.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx")]
        assert books
        for name in books:
            wb = openpyxl.load_workbook(io.BytesIO(z.read(name)))
            for ws in wb.worksheets:
                assert not ws._hyperlinks, name
                for row in ws.iter_rows():
                    yield from row


def test_a_formula_from_the_data_or_a_link_stays_text_in_the_chart_workbook(hostile_db):
    reg = db.Registry(hostile_db)
    try:
        data = brief.deck(pack(reg, Filters(states=(HYPERLINK,))))
    finally:
        reg.close()
    values = [c.value for c in _workbook_cells(data)]
    assert not [v for v in values if isinstance(v, str) and v.startswith("=")]
    assert f"'{HYPERLINK} (of 3)" in values  # the place's series name, inert as the CSV exports make it
    compare = charts(slide(open_deck(data), "compare"))[0]
    assert [s.name for s in compare.plots[0].series][0] == f"'{HYPERLINK} (of 3)"


@pytest.mark.parametrize(
    "f", [Filters(states=("Illi\ufffenois",)), Filters(crimes=("Mur\uffffder\x0b",), races=("\x01",))]
)
def test_characters_xml_cannot_hold_are_dropped(hostile_db, f):
    reg = db.Registry(hostile_db)
    try:
        b = pack(reg, f)
        deck = open_deck(brief.deck(b))
        sheet = brief.fact_sheet(b)
    finally:
        reg.close()
    text = deck_text(deck)
    for bad in ("\ufffe", "\uffff", "\x0b", "\x01"):
        assert bad not in text and bad not in sheet
    if f.states:
        assert b.total == 2 and "Illinois" in text and "Illinois" in sheet


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


def test_fact_sheet_is_valid_self_contained_html_from_the_template(ny_sheet):
    assert ny_sheet.startswith("<!DOCTYPE html>")
    checker = _Checker()
    checker.feed(ny_sheet)
    checker.close()
    assert not checker.errors and not checker.stack, (checker.errors, checker.stack)
    low = ny_sheet.lower()
    for banned in ("<script", "<link", "@import", "url(", "<img", "@font-face", "src="):
        assert banned not in low, banned
    # the only address is the link that reproduces the sheet (and its citation), loaded from nowhere
    links = set(re.findall(r"https?://[^\s<\"]+", ny_sheet))
    assert links and all(x.startswith("http://localhost:8501/briefing?") for x in links), links
    assert "@page" in ny_sheet and "@media print" in ny_sheet
    assert not (ROOT / "templates" / "factsheet.html").exists()
    source = (ROOT / "exonerations" / "brief" / "factsheet.py").read_text(encoding="utf-8")
    assert (
        "autoescape=True" in source
        and "html.escape" not in source
        and "string" not in re.findall(r"import (\w+)", source)
    )


def test_fact_sheet_escapes_values_from_the_data(hostile_db):
    reg = db.Registry(hostile_db)
    try:
        sheet = brief.fact_sheet(pack(reg, Filters(crimes=("<script>alert(1)</script>",))))
    finally:
        reg.close()
    assert "<script>" not in sheet and "&lt;script&gt;alert(1)&lt;/script&gt;" in sheet


def test_fact_sheet_has_the_headline_figures(ny_sheet):
    rows = rows_for(NY)
    om, total = yes(rows, "Official Misconduct"), len(rows)
    assert f"{om:,} of {total:,} exonerations ({half_up(om, total)}%)" in ny_sheet
    assert f">{half_up(om, total)}%<" in ny_sheet
    years = sum(Decimal(r["Years Lost"]) for r in rows if r["Years Lost"])
    assert f"{years.quantize(Decimal(1), ROUND_HALF_UP):,}" in ny_sheet
    assert "2026-06-25" in ny_sheet and "New York" in ny_sheet
    assert findings.DEMO_MARK not in ny_sheet


CROWDED = Filters(
    states=("Ohio", "Texas", "Illinois", "California", "New Jersey"),
    crimes=("Murder", "Sexual Assault"),
    include_pre_1989=True,
)


@pytest.mark.browser
def test_fact_sheet_renders_and_prints_on_one_page(page, ny_sheet, all_brief, full_registry):
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    sheets = {
        "factsheet": ny_sheet,
        "factsheet-all": brief.fact_sheet(all_brief),
        "factsheet-pre1989": brief.fact_sheet(pack(full_registry, Filters(include_pre_1989=True, states=("Ohio",)))),
        "factsheet-crowded": brief.fact_sheet(pack(full_registry, CROWDED)),  # every caution, long filter words
    }
    for name, sheet in sheets.items():
        page.set_content(sheet)
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
        assert page.locator("h1").inner_text().endswith("of exonerations involved official misconduct")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1, f"{name} must print on one page"


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
    assert len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())) == len(brief.SLIDES)


# ---------------------------------------------------------------------------------------------
# Command line and page


def test_brief_command_writes_both(full_db, tmp_path, capsys):
    deck, sheet = tmp_path / "ny.pptx", tmp_path / "ny.html"
    assert main(["brief", "--db", str(full_db), "--out", str(deck), "--state", "New York"]) == 0
    assert (
        main(["brief", "--db", str(full_db), "--out", str(sheet), "--state", "New York", "--as-of", "2026-02-05"]) == 0
    )
    assert len(open_deck(deck.read_bytes()).slides) == len(brief.SLIDES)
    text = sheet.read_text(encoding="utf-8")
    assert f"posted to the {glossary.SOURCE} by 2026-02-05; New York" in text and "data as of 2026-02-05" in text
    rows = rows_for(NY)
    later = [r for r in rows if r["Posting Date"] <= "2026-02-05" and r["Last Update Date"] > "2026-02-05"]
    posted = [r for r in rows if r["Posting Date"] <= "2026-02-05"]
    assert f"{len(later):,} of those {len(posted):,} cases" in text  # a past date is counted with today's coding
    assert "wrote the fact sheet for New York" in capsys.readouterr().out


def test_brief_command_bad_output_is_one_sentence(small_db, tmp_path, capsys):
    capsys.readouterr()
    assert main(["brief", "--db", str(small_db), "--out", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ".pptx" in err
    assert main(["brief", "--db", str(small_db), "--out", str(tmp_path / "missing" / "x.pptx")]) == 2


def _page(db_path, monkeypatch, params: dict | None = None) -> AppTest:
    monkeypatch.setenv("EXONERATIONS_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.switch_page("app_pages/briefing.py").run()
    return at


def test_briefing_page_lists_exactly_the_slides(full_db, full_registry, monkeypatch):
    at = _page(full_db, monkeypatch, {"state": "New York"})
    assert not at.exception
    listed = [m.value for e in at.expander for m in e.markdown]
    assert len(listed) == 1
    items = [unescaped(re.sub(r"^\d+\. ", "", line)) for line in listed[0].splitlines()]
    assert items == brief.slide_titles(pack(full_registry, NY))
    text = unescaped(" ".join(m.value for m in at.markdown))
    assert "Scope: New York · exonerations posted by 2026-06-25 · 376 cases" in text
    assert "comparison: New York beside the rest of the country" in text


def test_briefing_page_empty_filters(small_db, monkeypatch):
    at = _page(small_db, monkeypatch)
    filters(at).selectbox(key="f_death_sentence").set_value("Yes").run()
    filters(at).multiselect(key="f_states").set_value(["Texas"]).run()
    assert not at.exception
    assert any("No cases match" in i.value for i in at.info) or any("only" in w.value for w in at.warning)


# ---------------------------------------------------------------------------------------------
# The discipline of officials, the place's counties and the campaign's sentence

DISC = "Official actor disciplined for OM?"
DISC_OPENINGS = {
    "this_case": "Yes, based (at least in part) on official misconduct in this case",
    "this_case_not_contributing": "Yes, for misconduct in this case that did not contribute to the wrongful conviction",
    "other_similar": "Yes, for misconduct in other cases that is similar to the misconduct in this case",
    "other_dissimilar": "Yes, for misconduct in other cases of a type that did not happen in this case",
}


def discipline(rows) -> dict:
    """Among the rows with official misconduct: each kind of discipline, any, none known (every answer in the
    real export is one of the registry's)."""
    cells = [[p.strip() for p in r[DISC].split(";") if p.strip()] for r in rows if r["Official Misconduct"] == "Yes"]
    out = {k: sum(any(p.startswith(o) for p in c) for c in cells) for k, o in DISC_OPENINGS.items()}
    out["any"] = sum(any(p.startswith("Yes") for p in c) for c in cells)
    out["none"] = sum(bool(c) and not any(p.startswith("Yes") for p in c) for c in cells)
    out["om"] = len(cells)
    return out


def test_accountability_slide_against_independent_counts(ny_deck):
    d = discipline(rows_for(NY))
    assert d["any"] + d["none"] == d["om"]  # every case with official misconduct is coded in the real export
    s = slide(ny_deck, "accountability")
    values = series_values(charts(s)[0])["Exonerations with official misconduct"]
    labels = {c.key: c.label for c in glossary.DISCIPLINE}
    assert values == {
        **{labels[k]: d[k] for k in DISC_OPENINGS},
        "An official was disciplined (any of these)": d["any"],
        "No discipline known to the registry": d["none"],
    }
    title = s.shapes.title.text_frame.text
    assert title == (
        f"In {half_up(d['none'], d['om'], 0)}% of exonerations with official misconduct, no official is known to the "
        "registry to have been disciplined"
    )
    text = slide_text(s)
    assert (
        f"{half_up(d['none'], d['om'])}%" in text
        and f"of the {d['om']:,} exonerations with official misconduct" in text
    )
    for sentence in ("is not proof that none happened", "per case, not per official", "not civil liability"):
        assert sentence in text
    notes = s.notes_slide.notes_text_frame.text
    assert f"“{DISC_OPENINGS['this_case']}”" in notes and "not proof" in notes
    alt = frames(s)[0]._element.nvGraphicFramePr.cNvPr.get("descr")
    assert (
        title in alt and f"No discipline known to the registry: {d['none']:,} ({half_up(d['none'], d['om'])}%)" in alt
    )
    assert {hex_of(p.format.fill) for p in charts(s)[0].plots[0].series[0].points} == {style.BASE}  # not vermillion


def county_rows(rows) -> list[tuple[str, int, int]]:
    """(county, exonerations, with official misconduct), most exonerations first, then by name."""
    cases, om = Counter(), Counter()
    for r in rows:
        county = r["County of Crime"].strip()
        cases[county] += 1
        om[county] += r["Official Misconduct"] == "Yes"
    return sorted(((c, n, om[c]) for c, n in cases.items()), key=lambda x: (-x[1], x[0]))


BOROUGHS = {"Kings": "Brooklyn", "New York": "Manhattan", "Richmond": "Staten Island"}


def test_counties_slide_against_independent_counts(ny_deck, ny_sheet):
    rows = rows_for(NY)
    counties = county_rows(rows)
    s = slide(ny_deck, "counties")
    values = series_values(charts(s)[0])["Share with official misconduct"]
    want = {(f"{c} ({BOROUGHS[c]})" if c in BOROUGHS else c): om / n for c, n, om in counties[:8]}
    assert values == pytest.approx(want)
    assert list(values) == list(want)  # most exonerations first
    first, n, om = counties[0]
    assert s.shapes.title.text_frame.text == (
        f"{first} County ({BOROUGHS[first]}): {n:,} of New York's {len(rows):,} exonerations "
        f"({half_up(n, len(rows), 0)}%), {half_up(om, n, 0)}% with official misconduct"
    )
    alt = frames(s)[0]._element.nvGraphicFramePr.cNvPr.get("descr")
    assert f"{first} ({BOROUGHS[first]}): {half_up(om, n)}% of {n:,}" in alt
    sheet = html.unescape(ny_sheet)
    for c, n, om in counties[:4]:  # the fact sheet has room for four
        assert f"{half_up(om, n)}% of {n:,}" in sheet, c


def campaign_date() -> tuple[str, str, int]:
    """The first posting date on which the registry (post-1989) held exactly 3,776 exonerations, the day before
    the next posting, and how many of them had official misconduct."""
    rows = [r for r in read_full_export_rows() if r["Pre-1989"] == "No"]
    per_day = Counter(r["Posting Date"] for r in rows)
    dates = sorted(per_day)
    total = 0
    for i, d in enumerate(dates):
        total += per_day[d]
        if total == 3776:
            until = dt.date.fromisoformat(dates[i + 1]) - dt.timedelta(days=1)
            om = sum(r["Official Misconduct"] == "Yes" for r in rows if r["Posting Date"] <= d)
            return d, until.isoformat(), om
    raise AssertionError("the registry never held 3,776")


def test_campaign_sentence_with_its_date_in_the_new_york_pack(ny_deck, ny_sheet, full_registry):
    day, until, om = campaign_date()
    want = (
        "The campaign's sentence — “Official misconduct has played a role in over half of the 3,776 exonerations "
        f"nationwide.” — holds on {day}, when the registry held exactly 3,776 exonerations (1989 to the present), until "
        f"{until}: official misconduct played a role in {om:,} of them ({half_up(om, 3776)}%)."
    )
    assert (day, om) == ("2026-02-05", 2297)
    assert want in slide_text(slide(ny_deck, "compare"))
    assert want in slide(ny_deck, "compare").notes_slide.notes_text_frame.text
    assert want in html.unescape(ny_sheet)
    # the pack on all jurisdictions compares New York too, and says it; a pack on another state does not
    assert want in slide_text(slide(open_deck(brief.deck(pack(full_registry, Filters()))), "compare"))
    texas = pack(full_registry, Filters(states=("Texas",)))
    assert "campaign's sentence" not in deck_text(open_deck(brief.deck(texas)))
    assert "campaign's sentence" not in html.unescape(brief.fact_sheet(texas))
    assert slide(open_deck(brief.deck(texas)), "counties").shapes.title.text_frame.text.startswith("Harris")


def test_fact_sheet_discipline_block(ny_sheet):
    d = discipline(rows_for(NY))
    text = html.unescape(re.sub(r"<[^>]+>", "", ny_sheet))
    assert f"{half_up(d['none'], d['om'])}% with no discipline known to the registry." in text
    assert (
        f"An official was disciplined in {d['any']:,} of the {d['om']:,} exonerations with official misconduct" in text
    )
    assert f"for the misconduct in the case itself (at least in part) in {d['this_case']:,} (" in text
    assert "is not proof that none happened" in text and "not civil liability" in text


def test_demo_pack_has_no_campaign_sentence(demo_db):
    reg = db.Registry(demo_db)
    try:
        b = pack(reg, NY)
    finally:
        reg.close()
    assert not b.compare.lines[2:]


@pytest.mark.browser
def test_fullest_new_york_fact_sheet_prints_on_one_page(page, full_registry):
    """New York with every caution the pack can print (pre-1989 cases, a past date, a crime) beside the
    discipline block, the counties and the campaign's sentence."""
    f = Filters(states=("New York",), crimes=("Murder",), include_pre_1989=True, as_of=dt.date(2026, 2, 5))
    sheet = brief.fact_sheet(pack(full_registry, f))
    assert "The campaign's sentence" in html.unescape(sheet)
    page.set_content(sheet)
    page.screenshot(path=str(ARTIFACTS / "screenshots" / "factsheet-new-york-fullest.png"), full_page=True)
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1


def test_the_pack_cites_itself(ny_brief, ny_deck, ny_sheet):
    """The deck and the fact sheet carry the link to the view that reproduces them (the Briefing page, its
    filters, the pinned as-of date), its citation, and a QR code of the link on the sheet and the deck."""
    link = ny_brief.link
    assert link.startswith("http://localhost:8501/briefing?") and "state=New+York" in link
    assert f"as_of={ny_brief.as_of}" in link
    last = ny_deck.slides[len(ny_deck.slides) - 1]
    text = " ".join(sh.text_frame.text for sh in last.shapes if sh.has_text_frame)
    assert link in text and ny_brief.citation.apa in text
    qr = [sh for sh in last.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(qr) == 1 and link in qr[0]._element.nvPicPr.cNvPr.get("descr")
    assert f'href="{link.replace("&", "&amp;")}"' in ny_sheet and ny_brief.citation.inline in ny_sheet
    assert 'aria-label="QR code of the link that reproduces these figures"' in ny_sheet
