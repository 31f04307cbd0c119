"""Chart builders: they skip Plotly's validation for speed (see exonerations/charts.py), so every figure
is checked here by building it again with validation on — an unknown property raises — and by comparing
the two JSONs, which catches what validation would have silently rewritten (e.g. an axis title given
as a bare string, which Plotly.js no longer reads)."""

from __future__ import annotations

import base64
import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from conftest import CHART_PAGES, ROOT, chart_figures, chart_subtitles, chart_titles, filters
from streamlit.testing.v1 import AppTest

from exonerations import charts, style, usmap

CAP = charts.Caption(
    "A finding <b>",
    "of 10 exonerations",
    "Source: National Registry of Exonerations · data as of 2026-02-05 · Filters: New York <b>",
)
DEMO_CAP = charts.Caption(
    "Title", "Subtitle", "SYNTHETIC DEMO DATA — not real cases · data as of 2026-02-05", demo=True
)


def _plain(o):
    """JSON made comparable: typed arrays decoded, NaN as null, floats rounded, midnight datetimes as
    dates, empty and null properties dropped."""
    if isinstance(o, dict):
        if "bdata" in o and "dtype" in o:
            arr = np.frombuffer(base64.b64decode(o["bdata"]), dtype=np.dtype(o["dtype"]))
            if "shape" in o:
                arr = arr.reshape([int(x) for x in str(o["shape"]).split(",")])
            return _plain(arr.tolist())
        out = {k: _plain(v) for k, v in o.items()}
        return {k: v for k, v in out.items() if v is not None and v != {}}
    if isinstance(o, list):
        return [_plain(v) for v in o]
    if isinstance(o, float):
        return None if math.isnan(o) else round(o, 9)
    if isinstance(o, str) and len(o) >= 19 and o[10:19] == "T00:00:00" and o[:4].isdigit():
        return o[:10]
    return o


def assert_valid(fig: go.Figure) -> dict:
    """`fig` passes Plotly's validation unchanged; returns its JSON as a dict."""
    raw = _plain(json.loads(pio.to_json(fig, validate=False)))
    checked = _plain(json.loads(pio.to_json(charts.validated(fig), validate=False)))
    assert raw == checked
    return raw


def test_validation_catches_a_bad_property():
    fig = charts._figure([{"type": "bar", "x": [1], "colour": "red"}], {}, CAP)
    with pytest.raises(ValueError):
        charts.validated(fig)
    fig = charts._figure([{"type": "bar", "x": [1]}], {"yaxis": {"title": "bare string"}}, CAP)
    with pytest.raises(AssertionError):
        assert_valid(fig)


def frames():
    counts = pd.DataFrame({"label": ["Police", "Prosecutor", "Forensic analyst"], "cases": [12, 30, 0]})
    groups = pd.DataFrame(
        {"group": ["Murder", "Drug possession", "Robbery"], "cases": [40, 5, 25], "share": [0.6, 1.0, float("nan")]}
    )
    years = pd.DataFrame(
        {
            "exoneration_year": list(range(2000, 2020)),
            "cases": [3, 25, 0, *range(30, 47)],
            "misconduct_cases": [1, 20, 0, *range(10, 27)],
        }
    )
    years["share"] = years["misconduct_cases"] / years["cases"].where(years["cases"] > 0)
    lost = pd.DataFrame(
        {
            "exoneration_year": [2001, 2002, 2003],
            "years_lost": [10.5, 0.0, 300.25],
            "median_years_lost": [10.5, float("nan"), 12.0],
            "cases_with_years_lost": [1, 0, 25],
        }
    )
    growth = pd.DataFrame(
        {
            "posting_date": pd.to_datetime(["2020-01-01", "2021-06-30", "2026-02-05"]),
            "cases": [2, 3, 1],
            "cumulative_cases": [2, 5, 6],
            "cumulative_misconduct": [1, 3, 3],
        }
    )
    co = pd.DataFrame(
        [
            {"row_label": r, "col_label": c, "cases": (i + 1) * (j + 1), "row_order": i, "col_order": j}
            for i, r in enumerate(["A", "B", "C"])
            for j, c in enumerate(["A", "B", "C"])
        ]
    )
    bands = pd.DataFrame({"band": ["0–5", "5–10", "10+"], "misconduct_cases": [3, 0, 7], "other_cases": [2, 0, 1]})
    comp = pd.DataFrame({"group": ["With", "Without"], "mean": [12.34, float("nan")], "median": [13.95, 2.0]})
    places = pd.DataFrame(
        {
            "county": [f"County {i} <x>" for i in range(25)],
            "cases": list(range(25, 0, -1)),
            "misconduct_share": [0.5] * 24 + [float("nan")],
        }
    )
    paired = pd.DataFrame(
        {
            "label": ["Police", "Prosecutor"],
            "ny_share": [0.5, 0.25],
            "ny": [10, 5],
            "us_share": [0.4, float("nan")],
            "us": [400, 0],
        }
    )
    states = pd.DataFrame(
        {
            "jurisdiction": ["New York", "Texas", "Guam", "Federal", "Atlantis"],
            "cases": [376, 5, 2, 40, 1],
            "with_misconduct": [260, 1, 0, 30, 1],
            "misconduct_share": [260 / 376, 0.2, 0.0, 0.75, 1.0],
        }
    )
    seg = pd.DataFrame(
        {
            "label": ["Both", "Police only", "Neither"],
            "cases": [5, 1, 94],
            "color": [style.HIGHLIGHT, style.ORANGE, style.MUTED],
        }
    )
    return dict(
        counts=counts,
        groups=groups,
        years=years,
        lost=lost,
        growth=growth,
        co=co,
        bands=bands,
        comp=comp,
        places=places,
        paired=paired,
        states=states,
        seg=seg,
    )


def builds():
    f = frames()
    series = [("mean", "Mean", style.BASE), ("median", "Median", style.HIGHLIGHT)]
    pairs = (("ny_share", "ny", "New York", style.HIGHLIGHT), ("us_share", "us", "United States", style.BASE))
    return {
        "share_bars": charts.share_bars(f["counts"], CAP, total=42, highlight="Police"),
        "share_bars_no_total": charts.share_bars(f["counts"].iloc[:0], DEMO_CAP),
        "share_by_group": charts.share_by_group(f["groups"], CAP, overall=0.61),
        "share_by_group_no_line": charts.share_by_group(f["groups"], CAP, height=300),
        "empty": charts.empty(CAP),
        "growth": charts.growth(f["growth"], CAP),
        "growth_marker": charts.growth(
            f["growth"], CAP, {"date": pd.Timestamp("2021-06-30"), "cases": 5, "text": "5 cases <on> 2021-06-30"}
        ),
        "split_bar": charts.split_bar(3, 10, CAP, "With", "Without"),
        "split_bar_empty": charts.split_bar(0, 0, CAP, "With", "Without"),
        "segments_bar": charts.segments_bar(f["seg"], CAP),
        "cooccurrence": charts.cooccurrence(f["co"], CAP),
        "by_year": charts.by_year(f["years"], CAP, overall=0.6),
        "by_year_periods": charts.by_year(
            f["years"].assign(exoneration_year=[f"{y}–{y + 4}" for y in f["years"]["exoneration_year"]]).head(3), CAP
        ),
        "years_lost_by_year": charts.years_lost_by_year(f["lost"], CAP),
        "banded": charts.banded(f["bands"], CAP),
        "grouped_bars": charts.grouped_bars(f["comp"], CAP, "group", series, axis_title="Years"),
        "grouped_bars_one": charts.grouped_bars(f["comp"], CAP, "group", series[:1]),
        "place_bars": charts.place_bars(f["places"], CAP),
        "place_bars_counts": charts.place_bars(f["places"], CAP, share=None, top=5),
        "paired_share_bars": charts.paired_share_bars(f["paired"], CAP, series=pairs),
        "tile_map_share": usmap.tile_map(f["states"], CAP, selected="Texas"),
        "tile_map_count": usmap.tile_map(f["states"], CAP, measure="count", selected="Federal"),
        "tile_map_empty": usmap.tile_map(f["states"].iloc[:0], CAP),
    }


@pytest.mark.parametrize("name", list(builds()))
def test_every_builder_passes_validation(name):
    spec = assert_valid(builds()[name])
    layout = spec["layout"]
    # The title is shown by the page as text, not drawn in the plot; the source line is the last
    # annotation, its data escaped for Plotly's label markup.
    assert "title" not in layout
    source = layout["annotations"][-1]
    text = source["text"].replace("<br>", " ")  # wrapped to fit a phone
    assert text.startswith(("Source: National Registry of Exonerations", "SYNTHETIC DEMO DATA"))
    assert "data as of" in text and "<b>" not in text


def test_source_line_wraps_to_a_phone_and_titled_adds_the_finding():
    cap = charts.Caption(
        "A finding",
        "of 10 exonerations",
        "Source: National Registry of Exonerations · data as "
        "of 2026-02-05 · Filters: New York; exonerated 2010–2015; worst crime Murder",
    )
    lines = charts.source_lines(cap)
    assert len(lines) >= 2 and all(len(x) <= charts.SOURCE_WRAP for x in lines)
    assert " ".join(lines) == cap.source
    fig = charts.share_bars(frames()["counts"], cap, total=42)
    assert fig.layout.annotations[-1].text == "<br>".join(lines)
    standalone = charts.validated(charts.titled(fig, cap))
    assert "<b>A finding</b>" in standalone.layout.title.text and "of 10 exonerations" in standalone.layout.title.text
    assert standalone.layout.margin.t > fig.layout.margin.t


def test_frame_details():
    f = frames()
    spec = assert_valid(charts.share_by_group(f["groups"], CAP, overall=0.61, overall_cases=70))
    bar, names = spec["data"]
    # the overall share is a bar of its own at the top (a reference that crosses no label), not a line
    assert bar["y"] == ["Murder", "Drug possession", "Robbery", "All of them"] and "shapes" not in spec["layout"]
    assert bar["x"][-1] == 0.61 and bar["text"][-1] == "61% of 70"
    assert bar["marker"]["color"][bar["y"].index("Drug possession")] == style.MUTED  # 5 cases < 20
    # each bar's label sits just above it, from the left edge (the whole width): a text trace on a numeric
    # axis laid over the bars' (category i at i), not annotations (which Plotly measures one by one)
    assert names["text"] == bar["y"] and names["mode"] == "text" and names["hoverinfo"] == "skip"
    assert len(spec["layout"]["annotations"]) == 1  # the source line only
    y2 = spec["layout"]["yaxis2"]
    assert y2["overlaying"] == "y" and y2["range"] == spec["layout"]["yaxis"]["range"]
    assert all(i < y < i + 0.5 for i, y in enumerate(names["y"])) and set(names["x"]) == {0}
    spec = assert_valid(charts.by_year(f["years"], CAP, overall=0.6))
    # legend keys for the small years and for the overall share's dotted line (no label on the plot)
    assert [t.get("yaxis", "y") for t in spec["data"]] == ["y", "y", "y2", "y2", "y2"]
    assert spec["data"][-1]["name"] == "All years: 60%" and spec["data"][-1]["line"]["dash"] == "dot"
    assert spec["layout"]["shapes"][0]["yref"] == "y2" and spec["layout"]["xaxis"]["matches"] == "x2"
    assert not [a for a in spec["layout"]["annotations"] if "all years" in a["text"].lower()]
    assert (
        charts.share_bars(f["counts"], DEMO_CAP).to_dict()["layout"]["annotations"][-1]["font"]["color"]
        == style.DEMO_TEXT
    )
    z = assert_valid(charts.cooccurrence(f["co"], CAP))["data"]
    assert z[0]["z"][0] == [None, 2, 3] and z[1]["z"][1] == [None, 4, None]


def test_text_on_coloured_bars_is_black_or_white_by_contrast():
    assert style.text_on(style.HIGHLIGHT) == "#000000" and style.text_on(style.BASE) == "#FFFFFF"
    assert style.text_on(style.MUTED) == "#000000"
    bars = charts.split_bar(3, 10, CAP, "With", "Without").to_dict()["data"]
    assert [b["textfont"]["color"] for b in bars] == [style.text_on(style.HIGHLIGHT), style.text_on(style.MUTED)]


def test_pages_send_valid_figures(demo_db, monkeypatch):
    """What the pages actually send: every chart of every page passes validation unchanged."""
    monkeypatch.setenv("EXONERATIONS_DB", str(demo_db))
    pages = [*CHART_PAGES, ("claims", {"n": "1000"})]
    n = 0
    for page, query in pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        for k, v in query.items():
            at.query_params[k] = v
        at.run()
        at.switch_page(f"app_pages/{page}.py").run()
        if page == "claims":  # its chart is drawn once its expander is opened
            assert not chart_figures(at)
            at.session_state["when_chart"] = True
            at.run()
        assert not at.exception, page
        charts_sent = chart_figures(at)
        assert charts_sent, (page, query)
        for spec in charts_sent:
            # margins are sized by the builders: Plotly's automargin would lay each chart out twice
            assert '"automargin": true' not in json.dumps(spec), page
            raw = _plain(spec)
            assert _plain(json.loads(pio.to_json(go.Figure(spec), validate=False))) == raw, page
            n += 1
    assert n >= 20


def test_chart_sql_is_sent_once_opened(demo_db, monkeypatch):
    """Each chart's "SQL behind this chart" expander carries its queries' text only once opened."""
    from exonerations import db
    from exonerations.findings import misconduct

    monkeypatch.setenv("EXONERATIONS_DB", str(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("app_pages/misconduct.py").run()
    assert not at.exception
    assert "SQL behind this chart" in [e.label for e in at.expander]
    assert not at.code
    at.session_state["sql_misconduct_by_actor"] = True
    at.run()
    from exonerations import db as _db
    from exonerations.findings import View

    chart = misconduct.actors_chart(View(_db.Registry(demo_db)))
    assert [c.value.strip() for c in at.code] == [db.query_text(n).strip() for n in chart.queries]


def test_value_margin_fits_labels_and_title():
    narrow, wide = charts._value_margin((9, ",", None)), charts._value_margin((38_000, ",", None))
    assert narrow < wide
    assert charts._value_margin((38_000, ",", "Cases")) >= wide + 40  # the title on its side, at its stand-off
    assert charts._value_margin((1, ".0%", None)) == charts._value_margin((1.0, ".0%", None))
    assert charts._value_margin((None, ",", None)) == charts._value_margin((0, ",", None))
    assert charts._value_margin((9, ",", None), (38_000, ",", None)) == wide


def test_charts_follow_the_filters(small_db, monkeypatch):
    """A filter change sends the charts of the new figures (Streamlit's caches never replay a stale one),
    and going back shows the first ones again."""
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    first = chart_titles(at), [json.dumps(f["data"], sort_keys=True) for f in chart_figures(at)]
    assert any("of 11 exonerations" in t for t in chart_subtitles(at))
    filters(at).multiselect(key="f_states").set_value(["New York"]).run()
    assert any("of 4 exonerations" in t for t in chart_subtitles(at))
    assert not any("of 11 exonerations" in t for t in chart_subtitles(at))
    assert [json.dumps(f["data"], sort_keys=True) for f in chart_figures(at)] != first[1]
    filters(at).multiselect(key="f_states").set_value([]).run()
    assert (chart_titles(at), [json.dumps(f["data"], sort_keys=True) for f in chart_figures(at)]) == first


def test_growth_draws_a_long_series_a_week_at_a_time_and_exactly():
    """Over GROWTH_MAX_POINTS posting dates the line keeps the last date of each week (plus the first
    and the marked one); every point drawn is a row of the query, unchanged."""
    days = pd.date_range("2012-01-02", periods=3000, freq="D")
    cases = pd.Series(range(1, 3001)) % 3 + 1
    df = pd.DataFrame(
        {
            "posting_date": days,
            "cases": cases,
            "cumulative_cases": cases.cumsum(),
            "cumulative_misconduct": (cases // 2).cumsum(),
        }
    )
    short = df.head(charts.GROWTH_MAX_POINTS)
    assert charts.weekly(short) is short
    mark = pd.Timestamp("2015-06-03")  # a Wednesday
    kept = charts.weekly(df, [mark])
    assert kept.equals(df.loc[kept.index])
    weeks = days.to_period("W")
    assert set(kept["posting_date"]) == ({days[0], mark} | {days[weeks == w].max() for w in weeks.unique()})
    assert len(kept) <= len(weeks.unique()) + 2 < charts.GROWTH_MAX_POINTS
    marker = {"date": mark, "cases": int(df.loc[days == mark, "cumulative_cases"].iloc[0]), "text": "marked"}
    fig = charts.validated(charts.growth(df, CAP, marker))
    assert list(pd.to_datetime(fig.data[0].x)) == list(kept["posting_date"])  # the line is drawn at the kept rows
    assert marker["cases"] == int(
        kept.loc[kept["posting_date"] == mark, "cumulative_cases"].iloc[0]
    )  # so on the marker


def test_a_segments_bar_legend_fits_a_phone_and_never_runs_into_the_source_line():
    """One entry a line, each wrapped to LEGEND_WRAP characters (a phone's width), and the margin under
    the bar holds every line of the legend before the source line begins."""
    df = pd.DataFrame(
        {
            "label": ["Police and prosecutor", "Neither police nor prosecutor misconduct coded", "Other"],
            "cases": [768, 1396, 14],
            "color": ["#0072B2", "#BBBBBB", "#009E73"],
        }
    )
    layout = charts.segments_bar(df, CAP).to_dict()["layout"]
    names = [t["name"] for t in charts.segments_bar(df, CAP).to_dict()["data"]]
    lines = [line for name in names for line in name.split("<br>")]
    assert names[1] == "Neither police nor prosecutor misconduct<br>coded: 1,396 (64%)"
    assert len(lines) == 4 and all(len(line) <= charts.LEGEND_WRAP for line in lines)
    assert layout["legend"]["orientation"] == "v"
    foot = 10 + charts.SOURCE_LINE_PX * len(charts.source_lines(CAP))
    assert layout["margin"]["b"] - foot >= charts.LEGEND_LINE_PX * len(lines)
