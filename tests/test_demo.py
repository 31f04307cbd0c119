"""The synthetic demo dataset: deterministic, in the schema, obviously fake, plausible."""

from __future__ import annotations

from exonerations import demo, ingest


def test_deterministic_and_in_schema():
    a, b = demo.generate(1), demo.generate(1)
    assert a.equals(b)
    assert a.schema == ingest.SCHEMA
    assert a.num_rows == demo.BASE_ROWS


def test_fake_names_and_plausible_rates():
    t = demo.generate(1).to_pandas()
    assert t["name"].str.fullmatch(r"Demo Person \d{4}").all()
    post = t[~t["pre_1989"]]
    assert 0.5 < post["official_misconduct"].mean() < 0.7
    om = post[post["official_misconduct"]]
    assert (om["om_police"] | om["om_prosecutor"] | om["om_forensic_analyst"] | om["om_child_welfare"]).mean() > 0.8
    assert not post[~post["official_misconduct"]][[c for c in t.columns if c.startswith("om_")]].any().any()
    assert t["case_id"].is_unique


def test_scale():
    assert demo.generate(0.1).num_rows == 385
    assert demo.generate(2).num_rows == 2 * demo.BASE_ROWS
