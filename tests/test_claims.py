"""Claims: the honest wording of shares, the claims file, verdicts on the hand-made fixture and on the real
export (against counts made here with the csv module), "when was the registry at N?", the `claims` and
`when` commands, and the claims page."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from collections import Counter
from itertools import accumulate

import pytest
from conftest import FIXTURES, ROOT, page_tables, read_full_export_rows
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from exonerations import claims, db, fmt
from exonerations.claims import FAILS, HOLDS, UNCHECKABLE, Claim, ClaimError
from exonerations.cli import main
from exonerations.filters import Filters

# ---------------------------------------------------------------------------------------------
# Wording


@pytest.mark.parametrize(
    "part,whole,words",
    [
        (2297, 3776, "61% — more than half; about three in five"),
        (1, 2, "50% — exactly half"),
        (503, 1000, "50.3% — just over half"),
        (490, 1000, "49% — just under half"),
        (1, 3, "33% — exactly one in three"),
        (38, 100, "38% — about two in five"),
        (36, 100, "36% — between one in three and two in five"),
        (44, 100, "44% — less than half; between two in five and half"),
        (69, 100, "69% — more than half; about seven in ten"),
        (12, 100, "12% — between one in ten and one in five"),
        (3, 100, "3% — fewer than one in twenty"),
        (99, 100, "99% — more than half; nearly all"),
        (9, 10, "90% — more than half; exactly nine in ten"),
        (0, 5, "0% — none"),
        (5, 5, "100% — all"),
        (0, 0, "no cases"),
    ],
)
def test_share_words(part, whole, words):
    assert claims.share_words(part, whole) == words


@pytest.mark.parametrize(
    "share,text",
    [(0.4999, "50.0%"), (0.5, "50%"), (0.004, "0.4%"), (0.0001, "<0.1%"), (0.9996, "100.0%"), (0.608, "61%")],
)
def test_pct_text_never_rounds_across_a_boundary(share, text):
    assert claims.pct_text(share) == text


@given(st.integers(min_value=1, max_value=5000), st.integers(min_value=0, max_value=5000))
def test_share_words_are_honest(whole, part):
    part = min(part, whole)
    s = part / whole
    words = claims.share_words(part, whole)
    over = "more than half" in words or "just over half" in words
    under = "less than half" in words or "just under half" in words
    assert over == (0.5 < s < 1) or (s == 1 and words.endswith("all"))
    assert under == (0.4 <= s < 0.5)
    for f, name in fmt.FRACTIONS:
        if f"about {name}" in words:
            assert abs(s - float(f)) <= 0.025 + 1e-12
        if f"exactly {name}" in words:
            assert part * f.denominator == whole * f.numerator


def test_compare_on_shares_and_counts():
    assert claims.compare("=", 0.32, 1 / 3, share=True)
    assert not claims.compare("=", 0.30, 1 / 3, share=True)
    assert not claims.compare("=", 1253, 1254, share=False)
    assert claims.compare(">=", 5, 5, share=False) and not claims.compare(">", 5, 5, share=False)


# ---------------------------------------------------------------------------------------------
# The claims file


def test_claims_file_is_valid_and_campaign_total_comes_from_it():
    raw = tomllib.loads((ROOT / "claims" / "claims.toml").read_text(encoding="utf-8"))["claim"]
    loaded = claims.registry_claims()
    assert [c.id for c in loaded] == [d["id"] for d in raw]
    assert len({c.id for c in loaded}) == len(loaded)
    for c in loaded:
        assert c.statement and c.means and c.does_not_mean, c.id
    assert claims.campaign_total() == next(d["as_of_total"] for d in raw if d["id"] == "campaign-3776")
    groups = {c.group for c in loaded}
    assert {"New York", "System-wide accountability"} <= groups


@pytest.mark.parametrize(
    "bad,message",
    [
        ({"measure": "nonsense"}, "unknown measure"),
        ({"against": "nation"}, "either a threshold"),
        ({"threshold": 50}, "between 0 and 1"),
        ({"compare": "!="}, "compare must be"),
        ({"filters": {"as_of": "yesterday"}}, "not a date"),
        ({"colour": "red"}, "unknown field"),
        ({"measure": "years_lost"}, "can only be counted"),
    ],
)
def test_malformed_claims_are_refused_with_a_sentence(bad, message):
    d = {
        "id": "x",
        "statement": "s",
        "measure": "official_misconduct",
        "stat": "share",
        "compare": ">",
        "threshold": 0.5,
        **bad,
    }
    with pytest.raises(ClaimError, match=message):
        Claim.from_dict(d)


# ---------------------------------------------------------------------------------------------
# The hand-made fixture (12 invented cases; counts by hand in tests/test_queries.py)


def test_fixture_verdicts_by_hand(small_registry):
    om = Claim("om", "s", "official_misconduct", threshold=0.5)
    v = claims.check(small_registry, om)
    assert (v.status, v.figure.part, v.figure.whole) == (HOLDS, 6, 11)  # 101 102 105 107 108 109 of 11
    ny = Claim("ny", "s", "official_misconduct", threshold=0.5, filters=Filters(states=("New York",)))
    v = claims.check(small_registry, ny)
    assert (v.status, v.figure.part, v.figure.whole) == (FAILS, 2, 4)  # 101 102 of 101 102 103 112: not > half
    both = Claim("b", "s", "police_and_prosecutor", stat="share_of_misconduct", compare="=", threshold=1 / 3)
    v = claims.check(small_registry, both)
    assert (v.figure.part, v.figure.whole, v.status) == (2, 6, HOLDS)  # 102 105 of the 6 with misconduct


def test_fixture_when(small_registry):
    r = claims.when(small_registry, Filters(), 9)
    assert r.exact and r.ranges == ((dt.date(2026, 2, 5), dt.date(2026, 2, 28), 9),)
    assert "from 2026-02-05 to 2026-02-28" in r.sentence()
    r = claims.when(small_registry, Filters(), 500)
    assert not r.ranges and "never held 500" in r.sentence() and r.latest_total == 11


def test_as_of_total_never_reached_cannot_be_checked(small_registry):
    c = Claim("c", "s", "official_misconduct", threshold=0.5, as_of_total=3776)
    v = claims.check(small_registry, c)
    assert v.status == UNCHECKABLE and "never held 3,776" in v.reason


def test_no_cases_cannot_be_checked(small_registry):
    c = Claim("c", "s", "official_misconduct", threshold=0.5, filters=Filters(states=("Atlantis",)))
    assert claims.check(small_registry, c).status == UNCHECKABLE


# ---------------------------------------------------------------------------------------------
# The real export, against independent counts


def independent_by_date() -> tuple[list[str], list[int], dict[str, list[dict]]]:
    rows = [r for r in read_full_export_rows() if r["Pre-1989"] == "No"]
    per_day = Counter(r["Posting Date"] for r in rows)  # ISO dates
    dates = sorted(per_day)
    cumulative = list(accumulate(per_day[d] for d in dates))
    return dates, cumulative, {"rows": rows}


def test_campaign_claim_on_full_export(full_registry):
    dates, cumulative, data = independent_by_date()
    i = cumulative.index(3776)  # the registry held exactly 3,776 from this posting date…
    want_from = dates[i]
    want_to = (dt.date.fromisoformat(dates[i + 1]) - dt.timedelta(days=1)).isoformat()  # …to the day before the next
    rows = [r for r in data["rows"] if r["Posting Date"] <= want_from]
    want_om = sum(r["Official Misconduct"] == "Yes" for r in rows)
    v = next(claims.check(full_registry, c) for c in claims.registry_claims() if c.id == "campaign-3776")
    assert v.status == HOLDS
    assert v.reached.ranges[0][0].isoformat() == want_from == "2026-02-05"
    assert v.reached.ranges[0][1].isoformat() == want_to
    assert (v.figure.part, v.figure.whole) == (want_om, len(rows)) == (2297, 3776)
    assert f"{100 * v.figure.value:.1f}%" == "60.8%"
    all_om = sum(r["Official Misconduct"] == "Yes" for r in data["rows"])
    assert (v.today.part, v.today.whole) == (all_om, len(data["rows"]))
    assert "as_of=2026-02-05" in v.permalink() and "claim=campaign-3776" in v.permalink()


def test_new_york_claims_on_full_export(full_registry):
    rows = [r for r in read_full_export_rows() if r["Pre-1989"] == "No"]
    ny = [r for r in rows if r["State"].strip() == "New York"]
    ny_om = sum(r["Official Misconduct"] == "Yes" for r in ny)
    us_om = sum(r["Official Misconduct"] == "Yes" for r in rows)
    v = next(claims.check(full_registry, c) for c in claims.registry_claims() if c.id == "ny-vs-nation")
    assert (v.figure.part, v.figure.whole) == (ny_om, len(ny))
    assert (v.baseline.part, v.baseline.whole) == (us_om, len(rows))
    assert v.status == (HOLDS if ny_om / len(ny) > us_om / len(rows) else FAILS)


def test_system_wide_claims_on_full_export(full_registry):
    rows = [r for r in read_full_export_rows() if r["Pre-1989"] == "No"]
    police = sum(r["OF - OM by Police Officer"] == "Yes" for r in rows)
    # "of the exonerations with official misconduct": the numerator counts misconduct cases only (a case
    # coded police and prosecutor whose official-misconduct cell is blank is not one of them)
    both = sum(
        r["OF - OM by Police Officer"] == "Yes"
        and r["PR: Prosecutor Misconduct"] == "Yes"
        and r["Official Misconduct"] == "Yes"
        for r in rows
    )
    om = sum(r["Official Misconduct"] == "Yes" for r in rows)
    by_id = {v.claim.id: v for v in claims.check_all(full_registry)}
    assert (by_id["system-police"].figure.part, by_id["system-police"].figure.whole) == (police, len(rows))
    assert (by_id["system-both"].figure.part, by_id["system-both"].figure.whole) == (both, om)
    years = round(sum(float(r["Years Lost"]) for r in rows if r["Years Lost"]), 1)
    assert by_id["years-lost"].figure.part == pytest.approx(years)


def test_a_claim_built_to_fail_fails(full_registry):
    c = Claim(
        "fail",
        "Official misconduct played a role in nine in ten exonerations.",
        "official_misconduct",
        threshold=0.9,
        as_of_total=3776,
    )
    v = claims.check(full_registry, c)
    assert v.status == FAILS and v.figure.whole == 3776


def test_when_never_exactly_n_says_when_it_first_passed(full_registry):
    dates, cumulative, _ = independent_by_date()
    n = next(c + 1 for c, nxt in zip(cumulative, cumulative[1:], strict=False) if nxt > c + 1)
    first = next(d for d, c in zip(dates, cumulative, strict=True) if c > n)
    r = claims.when(full_registry, Filters(), n)
    assert not r.exact and r.ranges[0][0].isoformat() == first
    assert f"never held exactly {n:,}" in r.sentence() and f"first passed {n:,} on {first}" in r.sentence()


@pytest.fixture(scope="module")
def layout_a_registry(tmp_path_factory):
    path = tmp_path_factory.mktemp("a") / "a.duckdb"
    db.import_file(FIXTURES / "a_2023.csv", path)
    reg = db.Registry(path)
    yield reg
    reg.close()


def test_claim_needing_a_missing_column_cannot_be_checked(layout_a_registry):
    assert not layout_a_registry.meta.has("years_lost")
    years = next(c for c in claims.registry_claims() if c.id == "years-lost")
    v = claims.check(layout_a_registry, years)
    assert v.status == UNCHECKABLE and v.figure is None
    assert "years lost" in v.reason and "not zero" in v.reason
    # the same file can still check a share it does have
    om = claims.check(layout_a_registry, Claim("om", "s", "official_misconduct", threshold=0.5))
    assert om.status in (HOLDS, FAILS)


# ---------------------------------------------------------------------------------------------
# Command line and page


def unescape(text: str) -> str:
    import re

    return re.sub(r"\\(.)", r"\1", text)


def test_a_rerun_of_the_claims_page_formats_no_claim_again(small_db, monkeypatch):
    """The registry's cards, summary table and JSON are built once per data file, claims file and address
    (`ui.claims_page`): a rerun — any widget on the page, a panel opened — only sends them."""
    from exonerations import ui
    from exonerations.findings import checks

    ui._claims_page.clear()  # built afresh here, whatever ran before
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    made = Counter()
    for name in ("card", "summary"):
        real = getattr(checks, name)
        monkeypatch.setattr(checks, name, lambda *a, _real=real, _name=name: made.update([_name]) or _real(*a))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("app_pages/claims.py").run()
    assert not at.exception
    assert made["summary"] == 1 and made["card"] == len(claims.registry_claims())
    shown = [m.value for m in at.markdown]
    made.clear()
    at.run()
    assert not made and [m.value for m in at.markdown] == shown


def test_claims_json_matches_the_page(full_db, capsys, monkeypatch):
    from exonerations.findings import checks

    capsys.readouterr()
    assert main(["claims", "--db", str(full_db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    cli = {
        c["id"]: (checks.VERDICT_WORDS[c["verdict"]], c["figure"]["text"] if c["figure"] else "—", c["as_of"] or "—")
        for c in out["claims"]
    }
    assert cli["campaign-3776"] == (
        "Holds",
        "2,297 of 3,776 (60.8%) — more than half; about three in five",
        "2026-02-05",
    )
    monkeypatch.setenv("EXONERATIONS_DB", str(full_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.switch_page("app_pages/claims.py").run()
    assert not at.exception
    table = next(t for t in page_tables(at) if "Verdict" in t.columns)
    page = {r["Claim"]: (r["Verdict"], r["Figure"], r["As of"]) for r in table.to_dict("records")}
    assert page == cli
    # each card is one paragraph group: the claim as a heading, what it covers in small type, its verdict
    # badge, then its figure
    cards = [unescape(m.value).split("\n\n") for m in at.markdown if m.value.startswith("#### “")]
    assert len(cards) == len(cli)
    assert all(c[1].startswith(":small[") and "-badge[" in c[2] for c in cards)
    assert any(unescape(m.value).startswith("Your sentence:") and "-badge[" in m.value for m in at.markdown)
    campaign = next(c for c in cards if "2,297 of 3,776" in c[3])
    assert (
        campaign[0] == "#### “Official misconduct has played a role in over half of the 3,776 exonerations nationwide.”"
    )
    assert campaign[2] == ":green-badge[:material/check_circle: Holds]" and "posted by 2026-02-05" in campaign[3]


def test_claims_text_output(full_db, capsys):
    capsys.readouterr()
    assert main(["claims", "--db", str(full_db)]) == 0
    out = capsys.readouterr().out
    assert "[HOLDS] campaign-3776" in out and "latest data: 2,333 of 3,835" in out


def test_when_command(full_db, capsys):
    capsys.readouterr()
    assert main(["when", "3776", "--db", str(full_db)]) == 0
    out = capsys.readouterr().out
    assert "2026-02-05" in out and "2026-02-10" in out
    assert main(["when", "3776", "--db", str(full_db), "--json"]) == 0
    j = json.loads(capsys.readouterr().out)
    assert j["exact"] and j["ranges"] == [{"from": "2026-02-05", "to": "2026-02-10", "cases": 3776}]


def test_when_command_bad_n_is_one_sentence(small_db, capsys):
    assert main(["when", "0", "--db", str(small_db)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def page(db_path, monkeypatch, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("EXONERATIONS_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.switch_page("app_pages/claims.py")
    return at.run()


def test_page_own_sentence_from_link(small_db, monkeypatch):
    at = page(
        small_db,
        monkeypatch,
        {"measure": "police", "stat": "count", "cmp": ">=", "threshold": "4", "state": "New York"},
    )
    assert not at.exception
    assert at.selectbox(key="own_measure").value == "police"
    text = " ".join(unescape(m.value) for m in at.markdown)
    assert "number of exonerations involving misconduct by a police officer ≥ 4" in text
    # New York in the fixture: police misconduct in 101 and 102 only → 2, so "≥ 4" does not hold
    card = next(unescape(m.value) for m in at.markdown if m.value.startswith("Your sentence"))
    assert card.split("\n\n")[1].startswith(":red-badge") and card.split("\n\n")[2] == "2"
    at.number_input(key="own_threshold").set_value(2.0).run()
    assert not at.exception
    assert at.query_params["threshold"] in ("2", ["2"])


def test_page_own_sentence_cautions_only_a_small_share(full_db, small_db, monkeypatch):
    """The card of the reader's own sentence warns of a small denominator only when there is one (on the
    full export a share of 3,835 cases once showed an empty warning reading "None")."""
    for path, small in ((full_db, False), (small_db, True)):
        at = page(path, monkeypatch, {"measure": "official_misconduct", "stat": "share", "state": "New York"})
        assert not at.exception
        warnings = [w.value for w in at.warning]
        assert "None" not in warnings
        assert any("rests on only" in w for w in warnings) == small


def test_page_linked_claim_and_layout_a(monkeypatch, tmp_path):
    path = tmp_path / "a.duckdb"
    db.import_file(FIXTURES / "a_2023.csv", path)
    at = page(path, monkeypatch, {"claim": "years-lost", "n": "3"})
    assert not at.exception
    table = next(t for t in page_tables(at) if "Verdict" in t.columns)
    assert table.set_index("Claim").loc["years-lost", "Verdict"] == "Cannot be checked with this file"
    assert any("The claim this link points to" in c.value for c in at.caption)


@pytest.mark.parametrize("threshold", ["inf", "-inf", "nan", "1e400", "1e308"])
@pytest.mark.parametrize("stat", ["count", "share"])
def test_page_threshold_from_a_link_that_is_not_a_finite_number(small_db, monkeypatch, threshold, stat):
    """/claims?threshold=inf&stat=count showed an OverflowError traceback, threshold=nan a ValueError: the
    form falls back to its default threshold instead."""
    at = page(small_db, monkeypatch, {"threshold": threshold, "stat": stat, "measure": "police"})
    assert not at.exception
    value = at.number_input(key="own_threshold").value
    assert value in (50.0, 1000.0) or value == 1e308


def test_page_bad_link_values_do_not_raise(small_db, monkeypatch):
    at = page(small_db, monkeypatch, {"claim": "nope", "measure": "bogus", "threshold": "abc", "n": "x", "cmp": "!!"})
    assert not at.exception
    assert any("There is no claim" in i.value for i in at.info)


# ---------------------------------------------------------------------------------------------
# Accountability: the discipline of officials, counted among the exonerations with official misconduct only

DISC = "Official actor disciplined for OM?"
THIS_CASE = "Yes, based (at least in part) on official misconduct in this case"


def cell_parts(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def accountability_counts(rows: list[dict]) -> dict:
    """Among the rows with official misconduct: no discipline known (coded, no "Yes" answer), disciplined for
    the misconduct in the case; over all rows: a prosecutor's misconduct at trial (any "Yes" answer)."""
    om = [r for r in rows if r["Official Misconduct"] == "Yes"]
    return {
        "om": len(om),
        "total": len(rows),
        "none": sum(1 for r in om if cell_parts(r[DISC]) and not any(p.startswith("Yes") for p in cell_parts(r[DISC]))),
        "this_case": sum(1 for r in om if any(p.startswith(THIS_CASE) for p in cell_parts(r[DISC]))),
        "trial": sum(
            1 for r in rows if any(re.match(r"^\d?\s*Yes", p) for p in cell_parts(r["OM by prosecutor during trial?"]))
        ),
    }


def test_accountability_claims_on_full_export(full_registry):
    rows = [r for r in read_full_export_rows() if r["Pre-1989"] == "No"]
    nation = accountability_counts(rows)
    ny = accountability_counts([r for r in rows if r["State"].strip() == "New York"])
    by_id = {v.claim.id: v for v in claims.check_all(full_registry)}
    v = by_id["no-discipline-nation"]
    assert (v.figure.part, v.figure.whole) == (nation["none"], nation["om"])
    assert v.status == (HOLDS if nation["none"] / nation["om"] > 0.5 else FAILS) == HOLDS
    v = by_id["no-discipline-ny"]
    assert (v.figure.part, v.figure.whole) == (ny["none"], ny["om"])
    assert v.status == HOLDS and v.filters.states == ("New York",)
    v = by_id["discipline-this-case"]
    assert (v.figure.part, v.figure.whole) == (nation["this_case"], nation["om"])
    assert v.status == (HOLDS if nation["this_case"] / nation["om"] < 0.1 else FAILS)
    v = by_id["prosecutors-at-trial"]
    assert (v.figure.part, v.figure.whole) == (nation["trial"], nation["total"])
    assert "among exonerations with official misconduct, share in which no official is known to the registry to " \
           "have been disciplined > 50%" == by_id["no-discipline-nation"].claim.rule_text()  # fmt: skip


def test_accountability_claim_on_the_campaign_date(full_registry):
    """The same claim on the day the registry held the campaign's 3,776 exonerations."""
    rows = [r for r in read_full_export_rows() if r["Pre-1989"] == "No" and r["Posting Date"] <= "2026-02-05"]
    want = accountability_counts(rows)
    c = Claim("d", "s", "no_known_discipline", stat="share_of_misconduct", threshold=0.5, as_of_total=3776)
    v = claims.check(full_registry, c)
    assert v.reached.first_date.isoformat() == "2026-02-05"
    assert (v.figure.part, v.figure.whole) == (want["none"], want["om"]) and want["om"] == 2297


def test_a_discipline_count_is_counted_among_the_misconduct_cases(full_registry):
    rows = [r for r in read_full_export_rows() if r["Pre-1989"] == "No"]
    want = accountability_counts(rows)
    c = Claim("n", "s", "no_known_discipline", stat="count", compare=">", threshold=1000)
    v = claims.check(full_registry, c)
    assert (v.figure.part, v.figure.whole, v.status) == (want["none"], want["om"], HOLDS)
    assert claims.supported_sentence(c.m, v.figure).startswith(
        f"In {want['none']:,} of the {want['om']:,} exonerations with official misconduct posted by 2026-06-25, no "
        "official is known to the registry to have been disciplined"
    )


@pytest.mark.parametrize("measure", ["no_known_discipline", "any_discipline", "disciplined_other_similar"])
def test_discipline_is_a_share_of_the_misconduct_cases_only(measure):
    from exonerations.findings import checks

    with pytest.raises(ClaimError, match="can only be checked with stat"):
        Claim("x", "s", measure, stat="share", threshold=0.5)
    assert checks.stat_options(measure) == ["share_of_misconduct", "count"]
    assert checks.stat_options("prosecutor_at_trial") == ["share", "count"]
    assert checks.stat_options("police") == list(claims.STATS)
    assert checks.stat_options("years_lost") == checks.stat_options("exonerations") == ["count"]


def test_accountability_claims_on_the_hand_made_fixture(tmp_path):
    path = tmp_path / "acc.duckdb"
    db.import_file(FIXTURES / "b_accountability.csv", path)
    reg = db.Registry(path)
    try:
        by_id = {v.claim.id: v for v in claims.check_all(reg)}
    finally:
        reg.close()
    # 12 exonerations with official misconduct (212 is before 1989): no discipline known in 202 203 214 only
    v = by_id["no-discipline-nation"]
    assert (v.figure.part, v.figure.whole, v.status) == (3, 12, FAILS)
    v = by_id["no-discipline-ny"]  # New York: 201 202 203 208 211 — none known in 202 and 203
    assert (v.figure.part, v.figure.whole, v.status) == (2, 5, FAILS)
    v = by_id["discipline-this-case"]  # 201 and 204 (215's answer is not known, so not coded)
    assert (v.figure.part, v.figure.whole, v.status) == (2, 12, FAILS)
    v = by_id["prosecutors-at-trial"]  # 201 203 204 205 207 209 214 of the 14 from 1989
    assert (v.figure.part, v.figure.whole, v.status) == (7, 14, HOLDS)


def test_accountability_claims_cannot_be_checked_with_the_public_spreadsheet(layout_a_registry, capsys):
    by_id = {v.claim.id: v for v in claims.check_all(layout_a_registry)}
    for cid in ("no-discipline-nation", "no-discipline-ny", "discipline-this-case", "prosecutors-at-trial"):
        v = by_id[cid]
        assert v.status == UNCHECKABLE and v.figure is None, cid
        assert "not zero" in v.reason and (
            "Official actor disciplined for OM?" in v.reason or "during trial" in v.reason
        )


def test_accountability_claims_in_the_json(full_db, capsys):
    capsys.readouterr()
    assert main(["claims", "--db", str(full_db), "--json"]) == 0
    out = {c["id"]: c for c in json.loads(capsys.readouterr().out)["claims"]}
    for cid in ("no-discipline-nation", "no-discipline-ny", "discipline-this-case", "prosecutors-at-trial"):
        c = out[cid]
        assert c["group"] == "Accountability" and c["verdict"] == HOLDS
        assert c["means"] and c["does_not_mean"]
    assert "is not proof that none happened" in out["no-discipline-nation"]["does_not_mean"]
    assert out["no-discipline-nation"]["stat"] == "share_of_misconduct"
    rows = [r for r in read_full_export_rows() if r["Pre-1989"] == "No"]
    assert out["no-discipline-nation"]["figure"]["whole"] == sum(r["Official Misconduct"] == "Yes" for r in rows)
