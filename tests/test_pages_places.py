"""Geography, New York and Cases: their queries (exact rows on the hand-made fixture, independent
counts on the real export), the offline tile-grid map, and the pages themselves under AppTest."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pandas as pd
import plotly.graph_objects as go
import pytest
from conftest import (
    FIXTURES,
    ROOT,
    chart_subtitles,
    chart_titles,
    map_squares,
    metrics,
    page_tables,
    read_full_export_rows,
    unescaped,
)
from streamlit.testing.v1 import AppTest

from exonerations import charts, db, usmap
from exonerations.filters import Filters

DEFAULTS = Filters().sql_params()


def q(reg, name, **extra):
    return reg.query(name, {**DEFAULTS, **extra})


# ---------------------------------------------------------------------------------------------
# Queries on the hand-made fixture (tests/fixtures/b_small.csv, counted by hand)
# Post-1989 cases: 101-110 and 112 (111 is pre-1989).
#   New York 101 102 103 112 (misconduct: 101 102); Texas 104 105 106 (105); Illinois 107 108 (both);
#   California 110 (misconduct not coded); Fed-NY 109 (misconduct), district "(Eastern)".


def test_by_state_exact(small_registry):
    got = q(small_registry, "by_state")
    assert got[["jurisdiction", "federal", "cases", "with_misconduct"]].values.tolist() == [
        ["New York", False, 4, 2],
        ["Texas", False, 3, 1],
        ["Illinois", False, 2, 2],
        ["California", False, 1, 0],
        ["Federal", True, 1, 1],
    ]
    by = got.set_index("jurisdiction")
    assert by.loc["New York", "misconduct_share"] == pytest.approx(0.5)
    assert by.loc["New York", "years_lost"] == pytest.approx(12.5 + 6 + 0 + 1.5)  # 103 is "-0"
    assert by.loc["Texas", "years_lost"] == pytest.approx(0.4 + 14.2)  # 106 has none
    assert by.loc["Texas", "cases_with_years_lost"] == 2
    assert by.loc["Illinois", "years_lost"] == pytest.approx(30.1 + 8)


def test_by_state_follows_filters(small_registry):
    got = q(small_registry, "by_state", include_pre_1989=True)
    assert got.set_index("jurisdiction").loc["New York", "cases"] == 5  # + 111
    got = q(small_registry, "by_state", states=["Texas"])
    assert got["jurisdiction"].tolist() == ["Texas"]


def test_by_county_exact(small_registry):
    ny = q(small_registry, "by_county", state="New York")
    # 103's county is "New York " (padded) in the file; 111 (Kings) is pre-1989
    assert ny[["county", "cases", "with_misconduct"]].values.tolist() == [
        ["Bronx", 1, 1],
        ["Kings", 1, 1],
        ["New York", 1, 0],
        ["Queens", 1, 0],
    ]
    tx = q(small_registry, "by_county", state="Texas")
    assert tx[["county", "cases", "with_misconduct"]].values.tolist() == [["Harris", 2, 0], ["Dallas", 1, 1]]
    fed = q(small_registry, "by_county", state="Federal")
    assert fed[["county", "cases", "with_misconduct"]].values.tolist() == [["Fed-NY (Eastern)", 1, 1]]
    assert q(small_registry, "by_county", state="Atlantis").empty


def test_new_york_and_nation_exact(small_registry):
    """The New York page asks stats.sql of New York and of every jurisdiction."""
    ny = q(small_registry, "stats", states=["New York"]).iloc[0]
    us = q(small_registry, "stats").iloc[0]
    assert (ny["total"], ny["official_misconduct"]) == (4, 2)
    assert (ny["police"], ny["prosecutor"], ny["withheld_evidence"]) == (2, 1, 2)  # 101 102 / 102 / 101 102
    assert ny["years_lost"] == pytest.approx(20.0) and ny["cases_with_years_lost"] == 4
    assert ny["median_years_lost"] == pytest.approx((1.5 + 6) / 2)  # of 0, 1.5, 6, 12.5
    assert (us["total"], us["official_misconduct"], us["police"], us["prosecutor"]) == (11, 6, 4, 4)
    early = q(small_registry, "stats", states=["New York"], as_of=pd.Timestamp("2011-08-29").date())
    assert early["total"].tolist() == [0]


# ---------------------------------------------------------------------------------------------
# Independent counts on the real export (csv module only)


def _post_1989():
    return [r for r in read_full_export_rows() if r["Pre-1989"] == "No"]


def _jurisdiction(r) -> str:
    s = r["State"].strip()
    return "Federal" if s.startswith("Fed-") else s


def test_by_state_matches_independent_count(full_registry):
    rows = _post_1989()
    cases = Counter(_jurisdiction(r) for r in rows)
    om = Counter(_jurisdiction(r) for r in rows if r["Official Misconduct"] == "Yes")
    years = Counter()
    for r in rows:
        if r["Years Lost"].strip():
            years[_jurisdiction(r)] += float(r["Years Lost"])
    got = q(full_registry, "by_state")
    assert dict(zip(got["jurisdiction"], got["cases"], strict=True)) == dict(cases)
    assert dict(zip(got["jurisdiction"], got["with_misconduct"], strict=True)) == {k: om[k] for k in cases}
    for j, y in zip(got["jurisdiction"], got["years_lost"], strict=True):
        assert y == pytest.approx(years[j], abs=0.05), j
    assert got["cases"].sum() == 3835
    # every state, DC and federal is there; the territories in the file too
    assert {"Federal", "District of Columbia", "Puerto Rico", "Guam"} <= set(got["jurisdiction"])
    assert usmap.off_grid(got["jurisdiction"]) == []


def _fold(counter) -> dict:
    """Counts keyed by the county in lower case (the query merges spellings that differ in capitals)."""
    out: Counter = Counter()
    for k, v in dict(counter).items():
        out[k.lower()] += v
    return dict(out)


def test_by_county_matches_independent_count(full_registry):
    rows = _post_1989()
    for state in ("New York", "Texas", "Illinois"):
        want = Counter(
            r["County of Crime"].strip() or "(county not recorded)" for r in rows if r["State"].strip() == state
        )
        got = q(full_registry, "by_county", state=state)
        assert _fold(zip(got["county"], got["cases"], strict=True)) == _fold(want), state
        assert got["county"].str.lower().is_unique
    fed = q(full_registry, "by_county", state="Federal")
    want = Counter(
        f"{r['State'].strip()} {r['County of Crime'].strip() or '(district not recorded)'}"
        for r in rows
        if r["State"].startswith("Fed-")
    )
    assert _fold(zip(fed["county"], fed["cases"], strict=True)) == _fold(want)
    # the file spells one Illinois county two ways; it is one county, under its most frequent spelling
    il = q(full_registry, "by_county", state="Illinois").set_index("county")
    dupage = [r for r in rows if r["State"].strip() == "Illinois" and r["County of Crime"].strip().lower() == "dupage"]
    spellings = Counter(r["County of Crime"].strip() for r in dupage)
    assert len(spellings) == 2 and il.loc[spellings.most_common(1)[0][0], "cases"] == len(dupage)


def test_new_york_figures_match_stats_command(full_db, full_registry):
    """376 New York exonerations, 260 with official misconduct; the page's query agrees with
    `python -m exonerations stats --state "New York" --json` on every figure."""
    rows = [r for r in _post_1989() if r["State"].strip() == "New York"]
    assert (len(rows), sum(r["Official Misconduct"] == "Yes" for r in rows)) == (376, 260)
    out = subprocess.run(
        [sys.executable, "-m", "exonerations", "stats", "--db", str(full_db), "--state", "New York", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    cli = json.loads(out)
    ny = q(full_registry, "stats", states=["New York"]).iloc[0]
    assert (int(ny["total"]), int(ny["official_misconduct"])) == (cli["total"], cli["factors"]["official_misconduct"])
    assert (cli["total"], cli["factors"]["official_misconduct"]) == (376, 260)
    for k, v in {**cli["factors"], **cli["misconduct"]}.items():
        assert int(ny[k]) == v, k
    assert float(ny["years_lost"]) == pytest.approx(cli["years_lost"], abs=0.05)
    nation = q(full_registry, "stats").iloc[0]
    assert (nation["total"], nation["official_misconduct"]) == (3835, 2333)


# ---------------------------------------------------------------------------------------------
# The tile-grid map

# fmt: off
STATES_AND_DC = {
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware", "Florida",
    "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine",
    "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada",
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma",
    "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
    "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "District of Columbia",
}
# fmt: on


def test_tile_grid_has_every_state_once_and_no_shared_cell():
    names = [t.name for t in usmap.STATES]
    assert len(names) == len(set(names)) == 51
    assert set(names) == STATES_AND_DC
    abbrs = [t.abbr for t in usmap.ALL_TILES]
    assert len(abbrs) == len(set(abbrs))
    cells = [(t.row, t.col) for t in usmap.ALL_TILES]
    assert len(cells) == len(set(cells)), "two tiles share a cell"
    assert {t.abbr for t in usmap.STATES} >= {"NY", "CA", "TX", "DC", "AK", "HI"}
    assert usmap.BY_NAME["New York"].abbr == "NY" and usmap.BY_NAME["Federal"].abbr == "FED"


def _cap():
    return charts.Caption("t", "s", "2026-06-25")


def tile_labels(fig) -> dict[str, str]:
    """Each tile's label (a text trace's point at the tile's cell), by jurisdiction."""
    at = {
        (x, y): text
        for t in fig.data
        if getattr(t, "mode", None) == "text"
        for x, y, text in zip(t.x, t.y, t.text, strict=True)
    }
    tiles = fig.data[0]
    return {name: at[(x, y)] for name, x, y in zip(tiles.customdata, tiles.x, tiles.y, strict=True)}


def test_tile_map_is_offline_and_labels_every_tile(small_registry):
    df = q(small_registry, "by_state")
    for measure in ("share", "count"):
        fig = usmap.tile_map(df, _cap(), measure=measure, selected="Texas")
        assert isinstance(fig, go.Figure)
        # no geo traces (they need the internet); a bar only as the legend's key to the hatching
        assert {t.type for t in fig.data} <= {"scatter", "bar"}, "no geo traces: they need the internet"
        assert "geo" not in fig.to_plotly_json()["layout"]
        squares = map_squares(fig.to_plotly_json()["layout"])
        assert len(squares) == 51 + 1  # states + DC, and the federal box (no territories in the fixture)
        tiles = fig.data[0]
        assert len(tiles.customdata) == 52 and "Federal" in tiles.customdata
        centres = {(round((x0 + x1) / 2, 6), round((y0 + y1) / 2, 6)) for (x0, y0, x1, y1), _ in squares}
        assert centres == set(zip(tiles.x, tiles.y, strict=True))  # one square per tile, where it is
        # the labels are text traces that keep their colour when a tile is picked (nothing dims them)
        assert tiles.mode == "markers" and not tiles.text
        for t in fig.data:
            if getattr(t, "mode", None) == "text":
                assert t.hoverinfo == "skip"
                assert t.selected.textfont.color == t.unselected.textfont.color == t.textfont.color
        text = tile_labels(fig)
        if measure == "share":
            assert text["New York"] == "<b>NY</b><br>50%*"  # 2 of 4, fewer than 20 cases: starred
            assert text["California"] == "<b>CA</b><br>0%*"
        else:
            assert text["New York"] == "<b>NY</b><br>4"
        assert text["Ohio"] == "<b>OH</b><br>–"  # no cases
        assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1  # square tiles
        thick = [(box, sh) for box, sh in squares if sh["line"]["width"] == 3]
        assert len(thick) == 1 and thick[0][0][0] == pytest.approx(usmap.BY_NAME["Texas"].col - 0.45)
        assert squares[-1] == thick[0]  # drawn after the other tiles: its outline is not covered


def test_tile_map_territories_drawn_when_present():
    df = pd.DataFrame(
        {
            "jurisdiction": ["Guam", "Puerto Rico", "Atlantis"],
            "cases": [2, 30, 1],
            "with_misconduct": [1, 15, 0],
            "misconduct_share": [0.5, 0.5, 0.0],
        }
    )
    fig = usmap.tile_map(df, _cap())
    assert {"Guam", "Puerto Rico"} <= set(fig.data[0].customdata)
    assert "Atlantis" not in set(fig.data[0].customdata)
    assert usmap.off_grid(df["jurisdiction"]) == ["Atlantis"]


def test_count_bins():
    assert usmap.count_edges(582) == (20, 50, 200)
    for largest in (1, 4, 12, 80, 199, 582, 3835, 58_000):
        edges = usmap.count_edges(largest)
        assert len(edges) == 3 and list(edges) == sorted(set(edges)) and edges[0] >= 2
        assert len(usmap.bin_labels("count", edges)) == len(usmap.COLOURS)
    assert usmap.bin_labels("share", usmap.SHARE_BINS) == ["0–25%", "25–50%", "50–75%", "75–100%"]


# ---------------------------------------------------------------------------------------------
# The pages (AppTest)


@pytest.fixture(scope="module")
def a_db(tmp_path_factory):
    """A public-spreadsheet (layout A) file: no case IDs, no years lost."""
    path = tmp_path_factory.mktemp("a") / "a.duckdb"
    db.import_file(FIXTURES / "a_2023.csv", path)
    return path


def run_page(db_path, monkeypatch, page: str, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("EXONERATIONS_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("page", ["geography", "new_york", "cases"])
@pytest.mark.parametrize("which", ["demo_db", "small_db", "full_db", "a_db"])
def test_page_runs(request, monkeypatch, page, which):
    at = run_page(request.getfixturevalue(which), monkeypatch, page)
    assert at.title[0].value in ("Geography", "New York", "Cases")
    if which == "demo_db":
        assert any("Demo data" in w.value for w in at.warning)


def test_pages_on_empty_filters(small_db, monkeypatch):
    for page in ("geography", "new_york", "cases"):
        at = run_page(small_db, monkeypatch, page, {"crime": "Fraud", "race": "Black"})  # no such case
        assert any("No cases match" in i.value for i in at.info), page


def _headline(at) -> str:
    """The headline sentence as a reader sees it (ui.md's escapes removed)."""
    return unescaped(next(m.value for m in at.markdown if m.value.startswith("### ")))


def test_new_york_page_full_export(full_db, monkeypatch):
    at = run_page(full_db, monkeypatch, "new_york")
    assert "260 of 376 New York exonerations (69.1%)" in _headline(at)
    assert "across all 3,835" in _headline(at)
    assert [value for _, value in metrics(at)][:4] == ["376", "260 (69.1%)", "3,835", "2,333 (60.8%)"]
    assert not at.dataframe  # the cases are sent only once their expander is opened
    # the counties: the chart's Table view has the top 20, each as the independent count has it
    rows = [r for r in _post_1989() if r["State"].strip() == "New York"]
    want = _fold(Counter(r["County of Crime"].strip() or "(county not recorded)" for r in rows))
    counties = page_tables(at)[-1]
    assert len(counties) == 20
    for county, n in zip(counties["County"], counties["Exonerations"], strict=True):
        assert want[county.lower()] == int(n.replace(",", "")), county
    assert chart_titles(at)[-1].startswith("Kings County accounts for")
    at.session_state["ny_cases_open"] = True
    at.run()
    assert len(at.dataframe) == 1
    cases = at.dataframe[0].value
    assert len(cases) == 376
    # the registry's current case pages, by case ID; none on the retired address
    ids = {r["ID"] for r in read_full_export_rows() if r["State"] == "New York" and r["Pre-1989"] != "Yes"}
    assert set(cases["Case page"]) == {f"https://exonerationregistry.org/cases/{i}" for i in ids}
    # the sidebar's state filter is set aside here, and the page says so
    at = run_page(full_db, monkeypatch, "new_york", {"state": "Texas"})
    assert "260 of 376" in _headline(at)
    assert any("does not apply on this page" in i.value for i in at.info)


def test_new_york_page_layout_a(a_db, monkeypatch):
    at = run_page(a_db, monkeypatch, "new_york")
    assert any("not in this file" in i.value for i in at.info)
    at.session_state["ny_cases_open"] = True
    at.run()
    cases = at.dataframe[-1].value
    assert "Case page" not in cases.columns and "Years lost" not in cases.columns


def test_geography_choose_county_state(full_db, monkeypatch):
    at = run_page(full_db, monkeypatch, "geography", {"county_state": "Illinois"})
    assert at.selectbox(key="geo_county_state").value == "Illinois"
    assert not at.dataframe  # no data grid: the ranking is the map's Table view
    ranking = page_tables(at)[0]
    assert len(ranking) == len(set(_jurisdiction(r) for r in _post_1989()))
    n_il = sum(r["State"].strip() == "Illinois" for r in _post_1989())
    assert any(f"{n_il:,} exonerations in Illinois" in t for t in chart_subtitles(at))
    at.selectbox(key="geo_county_state").set_value("Texas").run()
    assert not at.exception
    want = _fold(
        Counter(
            r["County of Crime"].strip() or "(county not recorded)"
            for r in _post_1989()
            if r["State"].strip() == "Texas"
        )
    )
    counties = page_tables(at)[1]
    assert len(counties) == min(20, len(want))
    for county, n in zip(counties["County"], counties["Exonerations"], strict=True):
        assert want[county.lower()] == int(n.replace(",", "")), county
    assert at.query_params["county_state"] in ("Texas", ["Texas"])
    at.selectbox(key="geo_county_state").set_value("Federal").run()
    assert "District" in page_tables(at)[1].columns


def test_geography_measure_and_flags(small_db, monkeypatch):
    at = run_page(small_db, monkeypatch, "geography", {"measure": "count", "county_state": "Atlantis"})
    assert at.segmented_control(key="geo_measure").value == "count"
    assert any("Atlantis" in i.value for i in at.info)  # a link naming a state without cases: said, not raised
    ranking = page_tables(at)[0]
    assert (ranking["Note"] == "fewer than 20 cases").all()


@pytest.mark.browser
def test_geography_click_a_tile_chooses_its_counties(full_server, page):
    """In Chromium: clicking a tile of the map shows that state's counties and puts it in the URL,
    every time (also a tile clicked before)."""
    from conftest import CHARTS, wait_rendered

    page.goto(f"{full_server.url}/geography")
    wait_rendered(page, 60_000)

    def click(name: str) -> None:
        chart = page.locator(CHARTS).first
        chart.scroll_into_view_if_needed()
        i = chart.locator(".js-plotly-plot").evaluate("(gd, name) => gd.data[0].customdata.indexOf(name)", name)
        assert i >= 0, name
        box = chart.locator(".scatterlayer .trace").first.locator(".point").nth(i).bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    for name in ("Texas", "Federal", "Texas"):
        click(name)
        page.wait_for_url(f"**county_state={name}**", timeout=30_000)
        wait_rendered(page, 60_000)
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.get_by_text(f"exonerations in {name}" if name != "Federal" else "federal exonerations").count() > 0


@pytest.mark.browser
@pytest.mark.parametrize("width", [1024, 1400])
def test_tile_labels_fit_their_tiles_on_a_projector_and_a_wide_screen(full_server, page, width):
    """In Chromium at 1024 and 1400 px, with the share (the longest labels, "100%*"): every tile's label
    lies inside its tile (the key above the map leaves it the whole width)."""
    from conftest import CHARTS, wait_rendered

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{full_server.url}/geography?measure=share")
    wait_rendered(page, 60_000)
    chart = page.locator(CHARTS).first
    chart.scroll_into_view_if_needed()
    sizes = chart.locator(".js-plotly-plot").evaluate(
        """gd => {
            const side = Math.abs(gd._fullLayout.xaxis.l2p(0.9) - gd._fullLayout.xaxis.l2p(0));
            const labels = [...gd.querySelectorAll('.scatterlayer .trace text')].map(t => t.getBoundingClientRect());
            return {side, labels: labels.map(r => [r.width, r.height])};
        }"""
    )
    assert len(sizes["labels"]) >= 52
    assert sizes["side"] > 40, sizes["side"]
    too_big = [wh for wh in sizes["labels"] if wh[0] > sizes["side"] - 2 or wh[1] > sizes["side"] - 2]
    assert not too_big, (sizes["side"], too_big[:5])
