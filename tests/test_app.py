"""AppTest: the app runs on the demo, the fixture and the real data; filters change the figures."""

from __future__ import annotations

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest


def app(db_path, monkeypatch, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("EXONERATIONS_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    return at.run()


def headline(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### "))


def test_overview_demo_shows_banner(demo_db, monkeypatch):
    at = app(demo_db, monkeypatch)
    assert not at.exception
    assert any("Demo data" in w.value for w in at.warning)
    assert "Official misconduct played a role in" in headline(at)


def test_overview_fixture_headline_and_filter(small_db, monkeypatch):
    at = app(small_db, monkeypatch)
    assert not at.exception
    assert not any("Demo data" in w.value for w in at.warning)
    assert "**6** of **11**" in headline(at)
    at.sidebar.multiselect(key="f_states").set_value(["New York"]).run()
    assert "**2** of **4**" in headline(at)
    assert at.query_params["state"] in ("New York", ["New York"])


def test_overview_full_export_as_of_from_url(full_db, monkeypatch):
    at = app(full_db, monkeypatch, {"as_of": "2026-02-05"})
    assert not at.exception
    assert "**2,297** of **3,776** exonerations (**60.8%**) — as of 2026-02-05" in headline(at)


def test_bad_url_falls_back_with_notice(small_db, monkeypatch):
    at = app(small_db, monkeypatch, {"as_of": "nonsense", "state": "Atlantis", "bogus": "1"})
    assert not at.exception
    assert any("Link settings adjusted" in i.value for i in at.info)
    assert "**6** of **11**" in headline(at)


def test_no_database_is_one_sentence(tmp_path, monkeypatch):
    at = app(tmp_path / "missing.duckdb", monkeypatch)
    assert not at.exception
    assert at.error and "There is no database" in at.error[0].value


@pytest.mark.parametrize("key,value", [("f_dna", "Yes"), ("f_death_sentence", "Yes")])
def test_selectbox_filters_change_figures(small_db, monkeypatch, key, value):
    at = app(small_db, monkeypatch)
    at.sidebar.selectbox(key=key).set_value(value).run()
    assert not at.exception
    assert "of **2**" in headline(at) or "of **1**" in headline(at)
