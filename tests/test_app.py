"""AppTest: the app runs on the demo, the fixture and the real data; filters change the figures."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import ROOT, chart_titles, filters
from streamlit.testing.v1 import AppTest


def app(db_path, monkeypatch, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("EXONERATIONS_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def unescape(text: str) -> str:
    import re

    return re.sub(r"\\(.)", r"\1", text)


def headline(at: AppTest) -> str:
    """The page's headline sentence as a reader sees it."""
    return unescape(next(m.value for m in at.markdown if m.value.startswith("### ")))


def test_overview_demo_shows_banner(demo_db, monkeypatch):
    at = app(demo_db, monkeypatch)
    assert not at.exception
    assert any("Demo data" in w.value for w in at.warning)
    assert "Official misconduct played a role in" in headline(at)


def test_overview_fixture_headline_and_filter(small_db, monkeypatch):
    at = app(small_db, monkeypatch)
    assert not at.exception
    assert not any("Demo data" in w.value for w in at.warning)
    assert "6 of 11 exonerations" in headline(at)
    filters(at).multiselect(key="f_states").set_value(["New York"]).run()
    assert "2 of 4 exonerations" in headline(at)
    assert at.query_params["state"] in ("New York", ["New York"])


def test_overview_full_export_as_of_from_url(full_db, monkeypatch):
    at = app(full_db, monkeypatch, {"as_of": "2026-02-05"})
    assert not at.exception
    assert "2,297 of 3,776 exonerations (60.8%) — as of 2026-02-05" in headline(at)


SIX = {
    "Official Misconduct": "official misconduct",
    "Perjury or False Accusation?": "perjury or false accusation",
    "Mistaken Witness ID": "mistaken witness identification",
    "False or Misleading Forensic Evidence": "false or misleading forensic evidence",
    "Inadequate Legal Defense": "inadequate legal defense",
    "False Confession": "false confession",
}


def expected_rank(rows: list[dict]) -> str:
    """Where official misconduct ranks among the six contributing factors, counted here (DNA is not one)."""
    counts = {name: sum(r[col] == "Yes" for r in rows) for col, name in SIX.items()}
    om = counts.pop("official misconduct")
    higher = [n for n, c in sorted(counts.items(), key=lambda kv: -kv[1]) if c > om]
    tied = [n for n, c in counts.items() if c == om]
    if not higher:
        return "the most common contributing factor" if not tied else "as the most common contributing factor"
    if len(higher) == 1 and not tied:
        return f"second only to {higher[0]}"
    return f"the no. {len(higher) + 1} contributing factor"


@pytest.mark.parametrize(
    "query,pred",
    [
        ({"dna": "yes"}, lambda r: r["DNA"] == "Yes"),
        ({"dna": "yes", "death": "yes"}, lambda r: r["DNA"] == "Yes" and r["Death Penalty?"] == "Yes"),
        ({"crime": "Sexual Assault"}, lambda r: r["Worst Crime Display"] == "Sexual Assault"),
        ({}, lambda r: True),
    ],
)
def test_factor_ranking_ranks_the_six_contributing_factors_not_dna(full_db, monkeypatch, query, pred):
    """DNA is how a case was resolved, not a contributing factor: the factors chart's title ranks official
    misconduct among the six (with the DNA filter, the old title said "second only to DNA evidence" where
    official misconduct leads; with sexual assault, "no. 4" where it is no. 3)."""
    from conftest import read_full_export_rows

    rows = [r for r in read_full_export_rows() if r["Pre-1989"] != "Yes" and pred(r)]
    at = app(full_db, monkeypatch, query)
    assert not at.exception
    title = next(t for t in chart_titles(at) if "contributing factor" in t or "second only" in t)
    assert expected_rank(rows) in title, title
    assert "DNA" not in title
    dna = sum(r["DNA"] == "Yes" for r in rows)
    assert any(
        f"DNA evidence was central to {dna:,} of these {len(rows):,} exonerations" in unescape(c.value)
        for c in at.caption
    )


def test_in_sentence_keeps_acronyms():
    from exonerations import glossary

    assert glossary.in_sentence("DNA evidence") == "DNA evidence"
    assert glossary.in_sentence("Perjury or false accusation") == "perjury or false accusation"


def test_bad_url_falls_back_with_notice(small_db, monkeypatch):
    at = app(small_db, monkeypatch, {"as_of": "nonsense", "state": "Atlantis", "bogus": "1"})
    assert not at.exception
    assert any("Link settings adjusted" in i.value for i in at.info)
    assert "6 of 11 exonerations" in headline(at)


def test_a_first_start_without_a_database_builds_one(tmp_path, monkeypatch):
    """`streamlit run app.py` where no database exists yet (a platform's first start) builds one as `make
    run` does — here the demo, said on the page — instead of stopping."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EXONERATIONS_DATA_URL", raising=False)
    at = app(tmp_path / "data" / "exonerations.duckdb", monkeypatch)
    assert not at.exception and not at.error
    assert (tmp_path / "data" / "exonerations.duckdb").is_file()
    assert any("Demo data" in w.value for w in at.warning)


@pytest.mark.parametrize("key,value", [("f_dna", "Yes"), ("f_death_sentence", "Yes")])
def test_selectbox_filters_change_figures(small_db, monkeypatch, key, value):
    at = app(small_db, monkeypatch)
    filters(at).selectbox(key=key).set_value(value).run()
    assert not at.exception
    assert "of 2 exonerations" in headline(at) or "of 1 exonerations" in headline(at)


# -- One interaction per filter, checked against a count made here from the fixture CSV ------------


def fixture_rows() -> list[dict]:
    import csv

    with (ROOT / "tests" / "fixtures" / "b_small.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def expected(pred, include_pre_1989: bool = False) -> str:
    rows = [r for r in fixture_rows() if (include_pre_1989 or r["Pre-1989"] == "No") and pred(r)]
    om = sum(r["Official Misconduct"] == "Yes" for r in rows)
    return f"{om:,} of {len(rows):,} exonerations"


def _set(at, kind, key, value):
    widget = getattr(filters(at), kind)(key=key)
    if kind == "checkbox":
        widget.check() if value else widget.uncheck()
    else:
        widget.set_value(value)
    return at.run()


FILTER_CASES = [
    ("date_input", "f_as_of", dt.date(2026, 2, 5), lambda r: r["Posting Date"] <= "2026-02-05", False),
    ("slider", "f_years", (2016, 2025), lambda r: 2016 <= int(r["Date of Exon"][:4]) <= 2025, False),
    ("multiselect", "f_states", ["Texas", "Illinois"], lambda r: r["State"] in ("Texas", "Illinois"), False),
    ("multiselect", "f_crimes", ["Murder"], lambda r: r["Worst Crime Display"] == "Murder", False),
    ("multiselect", "f_races", ["Black"], lambda r: r["Race"] == "Black", False),
    ("multiselect", "f_sexes", ["Female"], lambda r: r["Sex"] == "Female", False),
    ("selectbox", "f_dna", "No", lambda r: r["DNA"] != "Yes", False),
    ("selectbox", "f_death_sentence", "Yes", lambda r: r["Death Penalty?"] == "Yes", False),
    ("checkbox", "f_include_pre_1989", True, lambda r: True, True),
]


@pytest.mark.parametrize("kind,key,value,pred,pre", FILTER_CASES, ids=[c[1] for c in FILTER_CASES])
def test_each_filter_changes_headline_as_counted(small_db, monkeypatch, kind, key, value, pred, pre):
    at = app(small_db, monkeypatch)
    before = headline(at)
    at = _set(at, kind, key, value)
    assert not at.exception
    want = expected(pred, pre)
    assert want in headline(at)
    assert want not in before


def test_url_round_trip_reproduces_filters(small_db, monkeypatch):
    at = app(small_db, monkeypatch)
    at = _set(at, "multiselect", "f_states", ["New York", "Texas"])
    at = _set(at, "slider", "f_years", (2000, 2020))
    at = _set(at, "selectbox", "f_dna", "No")
    at = _set(at, "date_input", "f_as_of", dt.date(2020, 1, 5))
    shown = headline(at)
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["as_of"] in ("2020-01-05", ["2020-01-05"])
    # a new session opened with the copied URL
    again = app(small_db, monkeypatch, params)
    assert not again.exception
    assert headline(again) == shown
    for key in ("f_states", "f_years", "f_dna", "f_as_of"):
        assert again.session_state[key] == at.session_state[key]
    assert not again.info  # no "link settings adjusted" notice for a clean link


def test_year_slider_starts_in_1989_unless_pre_1989_included(small_db, monkeypatch):
    at = app(small_db, monkeypatch)
    slider = filters(at).slider(key="f_years")
    assert slider.min == 1989 and slider.value == (1989, 2026)
    at = _set(at, "checkbox", "f_include_pre_1989", True)
    slider = filters(at).slider(key="f_years")
    assert slider.min == 1975 and slider.value == (1975, 2026)  # case 111, exonerated 1975
    assert "from" not in at.query_params  # still the full range
    at = _set(at, "checkbox", "f_include_pre_1989", False)
    assert filters(at).slider(key="f_years").value == (1989, 2026)


def test_growth_chart_marks_the_campaign_total(full_db, monkeypatch):
    at = app(full_db, monkeypatch)
    from conftest import chart_figures

    texts = [a["text"].replace("<br>", " ") for f in chart_figures(at) for a in f["layout"].get("annotations", [])]
    assert "3,776 cases on 2026-02-05: 2,297 (60.8%) with official misconduct" in texts


# -- The filter panel ------------------------------------------------------------------------------


def sidebar_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.sidebar.markdown)


def test_filter_panel_starts_closed_and_the_sidebar_says_what_is_shown(small_db, monkeypatch):
    latest = max(r["Posting Date"] for r in fixture_rows())
    at = app(small_db, monkeypatch)
    assert len(at.sidebar.multiselect) == 0 and len(at.sidebar.date_input) == 0  # a light first load
    assert f"Showing exonerations posted by **{latest}** (the latest data); 1989 to the present" in sidebar_text(at)
    assert not at.sidebar.button  # nothing to reset
    box = filters(at)
    assert [w.key for w in box.multiselect] == ["f_states", "f_crimes", "f_races", "f_sexes", "f_forms"]
    assert box.date_input(key="f_as_of").value == dt.date.fromisoformat(latest)


def test_state_and_crime_have_a_panel_of_their_own(small_db, monkeypatch):
    """Their long lists are drawn only while their panel is open, not with every other filter."""
    from exonerations import ui

    at = app(small_db, monkeypatch)
    at.session_state[ui.FILTERS_OPEN] = True
    at.run()
    assert [w.key for w in at.sidebar.multiselect] == ["f_races", "f_sexes", "f_forms"]
    at.session_state[ui.FILTERS_OPEN], at.session_state[ui.PLACES_OPEN] = False, True
    at.run()
    assert [w.key for w in at.sidebar.multiselect] == ["f_states", "f_crimes"] and not at.sidebar.selectbox
    at.sidebar.multiselect(key="f_states").set_value(["Texas"]).run()
    assert at.query_params["state"] in ("Texas", ["Texas"]) and "Texas" in sidebar_text(at)


def test_filters_set_in_the_panel_stay_when_it_is_closed(small_db, monkeypatch):
    from exonerations import ui

    at = app(small_db, monkeypatch)
    filters(at).multiselect(key="f_states").set_value(["New York"]).run()
    filters(at).selectbox(key="f_dna").set_value("No").run()
    want = expected(lambda r: r["State"] == "New York" and r["DNA"] != "Yes")
    at.session_state[ui.FILTERS_OPEN] = at.session_state[ui.PLACES_OPEN] = False
    at.run()
    at.run()  # two runs without the widgets drawn
    assert len(at.sidebar.multiselect) == 0
    assert want in headline(at)
    assert "New York; non\\-DNA exonerations." in sidebar_text(at)  # markdown-escaped
    assert at.query_params["state"] in ("New York", ["New York"]) and at.query_params["dna"] in ("no", ["no"])
    assert filters(at).multiselect(key="f_states").value == ["New York"]  # the panel opens as it was left


def test_a_link_with_filters_shows_them_closed_and_reset_clears_them(small_db, monkeypatch):
    at = app(small_db, monkeypatch, {"as_of": "2026-02-05", "state": "Texas", "death": "yes"})
    assert len(at.sidebar.multiselect) == 0
    assert (
        "Showing exonerations posted by **2026-02-05**, coded as the registry codes them today; Texas; "
        "sentenced to death." in sidebar_text(at)
    )
    assert "(the latest data)" not in sidebar_text(at)
    assert [e.label for e in at.sidebar.expander] == ["State and crime", "Filters"]
    assert [b.label for b in at.sidebar.button] == ["Reset filters"]
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert expected(lambda r: True) in headline(at)
    assert "1989 to the present, no other filters" in sidebar_text(at)
    assert not at.sidebar.button
    assert "state" not in at.query_params and "death" not in at.query_params


def test_filter_summary_escapes_names_from_the_data():
    from exonerations import db, ui
    from exonerations.filters import Filters

    meta = db.Meta(
        "registry", "x.csv", "", "A", "A", "utf-8", 1, 0, frozenset(), dt.date(2026, 1, 1), dt.date(2026, 6, 5), ""
    )
    text = ui.filter_summary(Filters(as_of=dt.date(2026, 6, 5), states=("*Bold* $State",)), meta)
    assert text.startswith("Showing exonerations posted by **2026-06-05** (the latest data); ")
    assert "\\*Bold\\*" in text and "\\$State" in text
    assert "(the latest data)" not in ui.filter_summary(Filters(as_of=dt.date(2026, 2, 5)), meta)
    undated = db.Meta("registry", "x.csv", "", "A", "A", "utf-8", 1, 0, frozenset(), None, None, "")
    assert ui.filter_summary(Filters(), undated) == (
        "Showing exonerations in this file (it has no posting dates); 1989 to the present, no other filters."
    )


def test_table_escapes_cells_and_reads_back():
    """ui.table: text from the data cannot make markup or a link; numbers right-aligned; http(s) links
    kept (opening in a new tab), any other address shown as text; the region is named and focusable."""
    from conftest import page_tables
    from streamlit.testing.v1 import AppTest

    def page():
        import pandas as pd

        from exonerations import ui

        df = pd.DataFrame(
            {
                "Name <b>": ["A | B", "*C* [x](y) <img src=x onerror=alert(1)>", None],
                "Years": [1.25, 22.5, None],
                "N": [1, 2000, 3],
                "Page": ["https://e.org/a?id=1&b=2", None, "javascript:alert(1)"],
            }
        )
        ui.table(df, 'Cases "x" & <y>', formats={"Years": "{:,.1f}", "N": "{:,}"}, links={"Page": "case page"})

    at = AppTest.from_function(page).run()
    body = at.get("html")[0].proto.body
    assert "<img" not in body and "<b>" not in body and 'href="javascript' not in body
    assert 'aria-label="Cases &quot;x&quot; &amp; &lt;y&gt;"' in body and 'tabindex="0"' in body
    assert body.count('<td class="num">') == 6 and body.count('<th scope="col" class="num">') == 2
    assert 'target="_blank" rel="noopener noreferrer"' in body
    back = page_tables(at)[0]
    assert back.attrs["label"] == 'Cases "x" & <y>'
    assert list(back.columns) == ["Name <b>", "Years", "N", "Page"]
    assert back["Name <b>"].tolist() == ["A | B", "*C* [x](y) <img src=x onerror=alert(1)>", "—"]
    assert back["Years"].tolist() == ["1.2", "22.5", "—"] and back["N"].tolist() == ["1", "2,000", "3"]
    assert back["Page"].tolist() == ["[case page](https://e.org/a?id=1&b=2)", "—", "javascript:alert(1)"]


def test_metrics_row_escapes_text_and_reads_back():
    """ui.metrics draws a row of st.metric figures: text from the data cannot make markup, a help text
    stays a tooltip, and the row reads back as (label, value) in order."""
    from conftest import metrics
    from streamlit.testing.v1 import AppTest

    def page():
        from exonerations import ui

        ui.metrics([("Cases *b* [x](y)", "1 & 2"), ("Share", "60.8%", 'Mean: "all" cases')])

    at = AppTest.from_function(page).run()
    assert not at.exception and len(at.metric) == 2
    assert at.metric[0].label == "Cases \\*b\\* \\[x\\]\\(y\\)"  # escaped: shown literally
    assert metrics(at) == [("Cases *b* [x](y)", "1 & 2"), ("Share", "60.8%")]
    assert at.metric[1].help == 'Mean\\: "all" cases'


def test_sidebar_filters_by_form_of_conviction_and_ciu(full_db, monkeypatch):
    """The two accountability filters in the sidebar: the headline follows them as the csv module counts,
    and they live in the URL."""
    from conftest import read_full_export_rows

    rows = [
        r
        for r in read_full_export_rows()
        if r["Pre-1989"] != "Yes"
        and r["Form of 1st Conviction"] == "Plea"
        and "conviction integrity unit" in r["Case Characteristics"].lower()
    ]
    at = app(full_db, monkeypatch)
    filters(at).multiselect(key="f_forms").set_value(["plea"]).run()
    filters(at).selectbox(key="f_ciu").set_value("Yes").run()
    assert not at.exception
    om = sum(r["Official Misconduct"] == "Yes" for r in rows)
    assert f"{om:,} of {len(rows):,} exonerations" in headline(at)
    assert at.query_params["form"] in ("plea", ["plea"]) and at.query_params["ciu"] in ("yes", ["yes"])


def test_a_warm_rerun_of_any_page_asks_no_query(small_db, monkeypatch):
    """Every figure a page shows is a finding kept for its data file, date and filters (`memoized`): a rerun
    with nothing new to compute (a panel opened, a download) asks the registry nothing, not even the query
    cache, whose every hit costs the hashing of its key and a copy of its rows."""
    from exonerations import pages
    from exonerations.findings import core

    asked = []
    real = core.View.query
    monkeypatch.setattr(core.View, "query", lambda self, name, **kw: asked.append(name) or real(self, name, **kw))
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    for page in pages.PAGES:
        at.switch_page(page.path).run()
        assert not at.exception, page.title
        asked.clear()
        at.run()
        assert asked == [], f"{page.title}: {asked}"


def test_every_filter_widget_key_is_kept_between_runs():
    """sidebar_filters keeps the filter widgets' values set while their panel is closed, by the list
    FILTER_KEYS: every key a filter widget has is in it."""
    import re

    from exonerations import ui

    source = (ROOT / "exonerations" / "ui.py").read_text(encoding="utf-8")
    keys = set(re.findall(r'key="(f_\w+)"', source))
    assert len(keys) == 11 and keys == set(ui.FILTER_KEYS)
