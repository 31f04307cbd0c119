"""The Accountability page: every figure it shows — the headline, the discipline of officials among the
exonerations with official misconduct, the states ranked, New York beside all jurisdictions and the rest of the
country, New York's counties, prosecutors at trial, misconduct that did not cause the conviction, extreme
judicial misconduct, how the convictions were obtained and who helped clear them — against counts made here
with the csv module alone, on the real export (latest, as of 2026-02-05, New York) and on the hand-made
fixture tests/fixtures/b_accountability.csv; the public spreadsheet says "not in this file" for every
accountability figure (page, JSON, deck), never 0; the page runs in AppTest on the full export, the demo and
layout A, and in Chromium with every chart drawn."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from conftest import (
    ARTIFACTS,
    CHARTS,
    FIXTURES,
    ROOT,
    chart_elements,
    chart_titles,
    full_screenshot,
    metrics,
    page_tables,
    read_full_export_rows,
    wait_rendered,
)
from streamlit.testing.v1 import AppTest

from exonerations import brief, db, pages
from exonerations.cli import main
from exonerations.filters import Filters
from exonerations.findings import View
from exonerations.findings import accountability as acc

PAGE = "app_pages/accountability.py"
FIXTURE = FIXTURES / "b_accountability.csv"
AS_OF = "2026-02-05"
NY = "New York"
DISC, TRIAL, OMNC = (
    "Official actor disciplined for OM?",
    "OM by prosecutor during trial?",
    "OM not connected to conviction",
)

# ---------------------------------------------------------------------------------------------
# The independent count: the registry's answers recognised by their own opening words, written out here
# without the app's glossary, importer or queries.

DISC_OPENINGS = {
    "this_case": "Yes, based (at least in part) on official misconduct in this case",
    "this_case_not_contributing": "Yes, for misconduct in this case that did not contribute to the wrongful conviction",
    "other_similar": "Yes, for misconduct in other cases that is similar to the misconduct in this case",
    "other_dissimilar": "Yes, for misconduct in other cases of a type that did not happen in this case",
}
TRIAL_PHRASES = {
    "1": ("improper_argument", "Yes, improper argument"),
    "2": ("fraud_on_court", "Yes, perpetrating a fraud on the court"),
    "3": ("knowingly_allowed_perjury", "Yes, knowingly allowing perjury"),
    "4": ("jury_selection", "Yes, discriminatory jury selection"),
    "5": ("improper_cross", "Yes, improper cross examination"),
    "6": ("other", "Yes, other misconduct in trial proceedings"),
}
OMNC_OPENINGS = {
    "post_conviction": "Yes, post-conviction misconduct",
    "physical_abuse": "Yes, physical abuse of the exoneree",
    "failed_attempt": "Yes, misconduct that was intended to help obtain a conviction but failed",
    "other": "Yes, other misconduct that did not contribute",
    "search_seizure": "Yes, search and seizure violation",
    "racial_prejudice": "Yes, expressions of racial prejudice",
    "relationship": "Yes, an official actor had an inappropriate sexual or romantic relationship",
}
FORMS = {
    "Jury": "jury",
    "Plea": "plea",
    "Bench": "bench",
    "Trial": "other_or_unknown",
    "Don't Know": "other_or_unknown",
}
FORM_LABELS = {
    "jury": "Jury trial",
    "plea": "Guilty plea",
    "bench": "Bench trial",
    "other_or_unknown": "Other or unknown",
}
KIND_LABELS = {
    "this_case": "Disciplined for misconduct in this case",
    "this_case_not_contributing": "Disciplined for misconduct not causing the conviction",
    "other_similar": "Disciplined for similar misconduct in other cases",
    "other_dissimilar": "Disciplined for other misconduct in other cases",
}


def parts(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def is_no(part: str) -> bool:
    return part.replace("’", "'").replace("'", "").lower() == "no or dont know"


def answers(cell: str, openings: dict[str, str]) -> set[str] | None:
    """The "Yes" answers in a cell (by their opening words); None when not coded (blank, or an answer
    not known here)."""
    found: set[str] = set()
    for p in parts(cell):
        keys = [k for k, opening in openings.items() if p.startswith(opening)]
        if not keys and not is_no(p):
            return None
        found.update(keys)
    return found if parts(cell) else None


def trial_answers(cell: str) -> set[str] | None:
    found: set[str] = set()
    for p in parts(cell):
        number, text = re.fullmatch(r"(?:(\d)\s+)?(.*)", p).groups()
        if is_no(text) and number in (None, "0"):
            continue
        hits = [(n, key) for n, (key, phrase) in TRIAL_PHRASES.items() if text.startswith(phrase)]
        if len(hits) != 1 or number not in (None, hits[0][0]):
            return None
        found.add(hits[0][1])
    return found if parts(cell) else None


def select(rows: list[dict], as_of: str | None = None, state: str | None = None) -> list[dict]:
    rows = [r for r in rows if r["Pre-1989"] == "No"]
    if as_of:
        rows = [r for r in rows if r["Posting Date"] <= as_of]  # ISO dates compare as text
    if state:
        rows = [r for r in rows if r["State"].strip() == state]
    return rows


def om(r: dict) -> bool:
    return r["Official Misconduct"] == "Yes"


def discipline(rows: list[dict]) -> dict:
    """Among the rows with official misconduct: the four kinds, any, none known, not coded."""
    coded = [answers(r[DISC], DISC_OPENINGS) for r in rows if om(r)]
    out = {k: sum(1 for a in coded if a and k in a) for k in DISC_OPENINGS}
    out.update(
        om_cases=len(coded),
        any=sum(1 for a in coded if a),
        none=sum(1 for a in coded if a is not None and not a),
        not_coded=sum(1 for a in coded if a is None),
    )
    return out


def jurisdiction(r: dict) -> str:
    state = r["State"].strip()
    return "Federal" if state.startswith("Fed-") else state


def by_place(rows: list[dict], key) -> dict[str, dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[key(r)].append(r)
    return {place: {**discipline(rs), "cases": len(rs)} for place, rs in groups.items()}


def county_key(rows: list[dict]):
    """Counties as the page groups them: spellings that differ only in capitals are one county, named by
    the most frequent spelling."""
    spellings = Counter(r["County of Crime"].strip() for r in rows)
    best: dict[str, str] = {}
    for name, _n in sorted(spellings.items(), key=lambda x: (-x[1], x[0])):
        best.setdefault(name.lower(), name)
    return lambda r: best[r["County of Crime"].strip().lower()]


def ranked(places: dict[str, dict]) -> list[tuple[str, dict]]:
    """Places with official misconduct, most such cases first (then most cases, then the name)."""
    with_om = [(p, f) for p, f in places.items() if f["om_cases"]]
    return sorted(with_om, key=lambda x: (-x[1]["om_cases"], -x[1]["cases"], x[0]))


def half_up(part, whole, digits: int = 1) -> str:
    q = Decimal(1).scaleb(-digits)
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(q, ROUND_HALF_UP))


def short(part, whole) -> str:
    """A whole percentage, one decimal where a whole number would change the meaning (the titles' rule)."""
    s = Fraction(part, whole)
    w = half_up(part, whole, 0)
    if (w == "50" and s != Fraction(1, 2)) or (w == "0" and s > 0) or (w == "100" and s < 1):
        return half_up(part, whole, 1) + "%"
    return w + "%"


def count_share(part, whole) -> str:
    return f"{part:,} ({half_up(part, whole)}%)"


def expected(rows: list[dict], as_of: str | None, state: str | None) -> dict:
    sel = select(rows, as_of, state)
    everywhere = select(rows, as_of)  # New York beside the nation: the state filter set aside
    ny = [r for r in everywhere if r["State"].strip() == NY]
    trial = [trial_answers(r[TRIAL]) for r in sel]
    omnc = [answers(r[OMNC], OMNC_OPENINGS) for r in sel]
    tags = [{p.lower() for p in parts(r["Case Characteristics"])} for r in sel]
    nation, place = discipline(everywhere), discipline(ny)
    return {
        "total": len(sel),
        "om": sum(om(r) for r in sel),
        "disc": discipline(sel),
        "states": ranked(by_place(sel, jurisdiction)),
        "nation": nation,
        "ny": place,
        "rest": {k: nation[k] - place[k] for k in nation},
        "counties": ranked(by_place(ny, county_key(ny))),
        "trial": {k: sum(1 for a in trial if a and k in a) for k, _ in TRIAL_PHRASES.values()},
        "trial_any": sum(1 for a in trial if a),
        "trial_not_coded": sum(1 for a in trial if a is None),
        "omnc": {k: sum(1 for a in omnc if a and k in a) for k in OMNC_OPENINGS},
        "omnc_any": sum(1 for a in omnc if a),
        "judicial": sum(r["Extreme judicial misconduct"] == "Yes" for r in sel),
        "forms": Counter(FORMS.get(r["Form of 1st Conviction"].strip()) for r in sel),
        "forms_om": Counter(FORMS.get(r["Form of 1st Conviction"].strip()) for r in sel if om(r)),
        "ciu": sum("conviction integrity unit" in t for t in tags),
        "io": sum("innocence organization" in t for t in tags),
        "either": sum("conviction integrity unit" in t or "innocence organization" in t for t in tags),
        "ciu_om": sum("conviction integrity unit" in t and om(r) for t, r in zip(tags, sel, strict=True)),
        "io_om": sum("innocence organization" in t and om(r) for t, r in zip(tags, sel, strict=True)),
    }


def read_fixture() -> list[dict]:
    with FIXTURE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def acc_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("acc_page") / "acc.duckdb"
    db.import_file(FIXTURE, path)
    return path


@pytest.fixture(scope="module")
def a_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("acc_page_a") / "a.duckdb"
    db.import_file(FIXTURES / "a_2023.csv", path)
    return path


@pytest.fixture(scope="module")
def full_rows():
    return read_full_export_rows()


def run_page(db_path, monkeypatch, params: dict | None = None) -> AppTest:
    monkeypatch.setenv("EXONERATIONS_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


class AllTabs:
    """The page opened on each of its tabs (the first by default, the others by a link's ?tab=…), read as
    one page: what a reader sees going through them. Elements are listed tab after tab."""

    def __init__(self, runs: list[AppTest]):
        self.runs = runs

    def get(self, kind: str) -> list:
        return [el for at in self.runs for el in at.get(kind)]

    def __getattr__(self, name: str) -> list:
        return [el for at in self.runs for el in getattr(at, name)]


def run_tabs(db_path, monkeypatch, params: dict | None = None) -> AllTabs:
    tabs = [{}] + [{"tab": key} for key in list(acc.TABS)[1:]]
    return AllTabs([run_page(db_path, monkeypatch, {**(params or {}), **tab}) for tab in tabs])


def view(registry, as_of: str | None, state: str | None) -> View:
    import datetime as dt

    f = Filters(as_of=dt.date.fromisoformat(as_of) if as_of else None, states=(state,) if state else ())
    return View(registry, f)


def shown_text(markdown: str) -> str:
    """Text as the page shows it: Markdown escapes and invisible word joiners removed."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def rows_of(chart) -> list[dict]:
    return chart.data.to_dict("records")


# ---------------------------------------------------------------------------------------------
# The findings behind every chart, on the real export (latest, as of 2026-02-05, New York)

SCENARIOS = [(None, None), (AS_OF, None), (None, NY)]
IDS = ["latest", "as-of-2026-02-05", "new-york"]


@pytest.mark.parametrize("as_of,state", SCENARIOS, ids=IDS)
def test_discipline_figures_against_the_csv(full_registry, full_rows, as_of, state):
    want = expected(full_rows, as_of, state)
    d = want["disc"]
    assert d["any"] + d["none"] + d["not_coded"] == d["om_cases"] == want["om"]
    v = view(full_registry, as_of, state)
    h = acc.headline(v)
    assert dict(m[:2] for m in h.metrics) == {
        "Exonerations with official misconduct": count_share(want["om"], want["total"]),
        "An official was disciplined": count_share(d["any"], d["om_cases"]),
        "No discipline known to the registry": count_share(d["none"], d["om_cases"]),
        "Discipline not coded": count_share(d["not_coded"], d["om_cases"]),
    }
    assert h.sentence.startswith(
        f"In {d['none']:,} of the {d['om_cases']:,} exonerations with official misconduct "
        f"({half_up(d['none'], d['om_cases'])}%), no discipline of any official is known to the registry"
    )
    split = acc.split_chart(v)
    assert split.title.startswith(f"In {short(d['none'], d['om_cases'])} of exonerations with official misconduct")
    assert f"of {d['om_cases']:,} exonerations with official misconduct posted by" in split.subtitle
    got = {
        r["Discipline"]: (r["Exonerations with official misconduct"], r["Share of them (%)"]) for r in rows_of(split)
    }
    want_split = {"An official was disciplined": d["any"], "No discipline known to the registry": d["none"]}
    if d["not_coded"]:
        want_split["Discipline not coded"] = d["not_coded"]
    assert got == {k: (n, float(half_up(n, d["om_cases"]))) for k, n in want_split.items()}
    kinds = acc.kinds_chart(v)
    got = {
        r["Discipline"]: (r["Exonerations with official misconduct"], r["Share of them (%)"]) for r in rows_of(kinds)
    }
    assert got == {KIND_LABELS[k]: (d[k], float(half_up(d[k], d["om_cases"]))) for k in DISC_OPENINGS}
    assert [r["Discipline"] for r in rows_of(kinds)] == [
        KIND_LABELS[k] for k in sorted(DISC_OPENINGS, key=lambda k: -d[k])
    ]  # most frequent first
    assert f"in {d['this_case']:,} of the {d['om_cases']:,} exonerations with official misconduct" in kinds.title


@pytest.mark.parametrize("as_of,state", SCENARIOS, ids=IDS)
def test_states_ranked_against_the_csv(full_registry, full_rows, as_of, state):
    want = expected(full_rows, as_of, state)["states"]
    chart = acc.states_chart(view(full_registry, as_of, state))
    got = rows_of(chart)
    assert [r["Jurisdiction"] for r in got] == [p for p, _ in want]  # the CSV: every jurisdiction, in order
    for r, (place, f) in zip(got, want, strict=True):
        assert (r["Exonerations"], r["With official misconduct"], r["An official disciplined"]) == (
            f["cases"],
            f["om_cases"],
            f["any"],
        ), place
        assert (r["No discipline known"], r["Not coded"]) == (f["none"], f["not_coded"]), place
        assert r["Share with no discipline known (%)"] == float(half_up(f["none"], f["om_cases"])), place
        assert r["Share disciplined (%)"] == float(half_up(f["any"], f["om_cases"])), place
        assert r["Note"] == ("fewer than 20 cases" if f["om_cases"] < 20 else "")
    shown = want[: acc.TOP_STATES]
    assert len(chart.shown) == len(shown)
    big = [(p, f) for p, f in shown if f["om_cases"] >= 20]
    if len(big) >= 2:
        shares = sorted(big, key=lambda x: (-Fraction(x[1]["none"], x[1]["om_cases"]), -x[1]["om_cases"]))
        (hi, fh), (lo, fl) = shares[0], shares[-1]
        assert (
            f"runs from {short(fh['none'], fh['om_cases'])} ({hi}) to {short(fl['none'], fl['om_cases'])} ({lo})"
            in (chart.title)
        )
    # the drawn bars: the shares of no known discipline, and the overall share as the reference bar
    bar = chart.figure.data[0]
    overall = sum(f["none"] for _, f in want) / sum(f["om_cases"] for _, f in want)
    assert bar.x[-1] == pytest.approx(overall)
    assert sorted(bar.x[:-1]) == pytest.approx(sorted(f["none"] / f["om_cases"] for _, f in shown))


@pytest.mark.parametrize("as_of,state", SCENARIOS, ids=IDS)
def test_new_york_beside_the_nation_and_its_counties(full_registry, full_rows, as_of, state):
    want = expected(full_rows, as_of, state)
    v = view(full_registry, as_of, state)
    chart = acc.compare_chart(v)
    data = {r["Discipline"]: r for r in rows_of(chart)}
    keys = {**KIND_LABELS, "any": "An official was disciplined", "none": "No discipline known to the registry"}
    for key, label in keys.items():
        for side, name in (
            ("ny", "New York"),
            ("nation", "All jurisdictions"),
            ("rest", "Rest of the country, New York excluded"),
        ):
            n, whole = want[side][key], want[side]["om_cases"]
            assert data[label][f"{name}: exonerations with official misconduct"] == n, (label, side)
            assert data[label][f"{name}: share of them (%)"] == float(half_up(n, whole)), (label, side)
    ny, rest = want["ny"], want["rest"]
    assert chart.title == (
        f"In New York, no official is known to the registry to have been disciplined in {short(ny['none'], ny['om_cases'])} "
        f"of exonerations with official misconduct, against {short(rest['none'], rest['om_cases'])} in the rest of the country"
    )
    assert f"New York: of {ny['om_cases']:,} (state courts)" in chart.subtitle
    counties = acc.counties_chart(v)
    got = rows_of(counties)
    assert [re.sub(r" \(.*\)$", "", r["County"]) for r in got] == [c for c, _ in want["counties"]]
    for r, (county, f) in zip(got, want["counties"], strict=True):
        assert (r["With official misconduct"], r["No discipline known"], r["An official disciplined"]) == (
            f["om_cases"],
            f["none"],
            f["any"],
        ), county
        assert r["Share with no discipline known (%)"] == float(half_up(f["none"], f["om_cases"])), county
    first, f = want["counties"][0]
    assert (
        f"no official is known to have been disciplined in {short(f['none'], f['om_cases'])} of them" in counties.title
    )
    assert f"({f['none']:,} of {f['om_cases']:,})" in counties.title and first in counties.title


@pytest.mark.parametrize("as_of,state", SCENARIOS, ids=IDS)
def test_trial_not_connected_judges_forms_and_helpers(full_registry, full_rows, as_of, state):
    want = expected(full_rows, as_of, state)
    total = want["total"]
    v = view(full_registry, as_of, state)
    trial = acc.trial_chart(v)
    got = {r["Prosecutor's misconduct at trial"]: r["Exonerations"] for r in rows_of(trial)}
    labels = {
        "improper_argument": "Improper argument",
        "fraud_on_court": "Fraud on the court",
        "knowingly_allowed_perjury": "Knowingly allowing perjury",
        "jury_selection": "Discriminatory jury selection",
        "improper_cross": "Improper cross-examination",
        "other": "Other misconduct at trial",
    }
    assert got == {labels[k]: n for k, n in want["trial"].items()}
    assert trial.title.startswith(
        f"A prosecutor's misconduct at trial is coded in {want['trial_any']:,} of {total:,} exonerations "
        f"({short(want['trial_any'], total)})"
    )
    if want["trial_not_coded"]:
        assert any(f"for {want['trial_not_coded']:,} of these exonerations" in n for n in trial.notes)
    omnc = acc.not_connected_chart(v)
    got = {r["Misconduct that did not cause the conviction"]: r["Exonerations"] for r in rows_of(omnc)}
    assert sorted(got.values()) == sorted(want["omnc"].values())
    assert got["Misconduct after the conviction"] == want["omnc"]["post_conviction"]
    assert got["Search and seizure violation"] == want["omnc"]["search_seizure"]
    assert got["Physical abuse of the exoneree"] == want["omnc"]["physical_abuse"]
    assert f"is coded in {want['omnc_any']:,} of {total:,} exonerations" in omnc.title
    assert acc.judicial_metrics(v)[0][1] == count_share(want["judicial"], total)
    forms = {r["How the conviction was obtained"]: r for r in rows_of(acc.conviction_chart(v))}
    assert {k: r["Exonerations"] for k, r in forms.items()} == {
        FORM_LABELS[k]: n for k, n in want["forms"].items() if k
    }
    for k, n in want["forms"].items():
        if k:
            r = forms[FORM_LABELS[k]]
            assert r["With official misconduct"] == want["forms_om"][k]
            assert r["Share of exonerations (%)"] == float(half_up(n, total))
    cleared = acc.cleared_chart(v)
    got = {
        r["Involved in the exoneration"]: (r["Exonerations"], r["With official misconduct"]) for r in rows_of(cleared)
    }
    assert got == {
        "Conviction integrity unit": (want["ciu"], want["ciu_om"]),
        "Innocence organization": (want["io"], want["io_om"]),
    }
    shares = {r["Involved in the exoneration"]: r["Share with official misconduct (%)"] for r in rows_of(cleared)}
    assert shares["Innocence organization"] == float(half_up(want["io_om"], want["io"]))
    assert f"One or both were involved in {want['either']:,} of the {total:,}" in cleared.notes[0]


def test_campaign_day_figures(full_registry, full_rows):
    """As of 2026-02-05 (the registry held the campaign's 3,776): the discipline of officials among its 2,297
    exonerations with official misconduct."""
    d = expected(full_rows, AS_OF, None)["disc"]
    assert d["om_cases"] == 2297
    h = acc.headline(view(full_registry, AS_OF, None))
    assert f"of the 2,297 exonerations with official misconduct ({half_up(d['none'], 2297)}%)" in h.sentence


# ---------------------------------------------------------------------------------------------
# The page itself (AppTest): what a reader sees


def test_page_on_the_full_export(full_db, full_rows, monkeypatch):
    want = expected(full_rows, None, None)
    d = want["disc"]
    at = run_tabs(full_db, monkeypatch)
    shown = dict(metrics(at))
    assert shown["An official was disciplined"] == count_share(d["any"], d["om_cases"])
    assert shown["No discipline known to the registry"] == count_share(d["none"], d["om_cases"])
    assert shown["Extreme judicial misconduct"] == count_share(want["judicial"], want["total"])
    titles = chart_titles(at)
    assert len(titles) == 9 == len(chart_elements(at))
    assert titles[0].startswith(f"In {short(d['none'], d['om_cases'])} of exonerations with official misconduct")
    tables = page_tables(at)
    states = next(t for t in tables if "Jurisdiction" in t.columns)
    first, f = want["states"][0]
    assert states.iloc[0]["Jurisdiction"] == first
    assert states.iloc[0]["With official misconduct"] == f"{f['om_cases']:,}"
    assert states.iloc[0]["Share with no discipline known (%)"] == half_up(f["none"], f["om_cases"])
    split = next(
        t
        for t in tables
        if list(t.columns) == ["Discipline", "Exonerations with official misconduct", "Share of them (%)"]
    )
    assert split.iloc[1].tolist() == [
        "No discipline known to the registry",
        f"{d['none']:,}",
        half_up(d["none"], d["om_cases"]),
    ]
    definitions = next(t for t in tables if "Category" in t.columns)
    assert "“Yes, based (at least in part) on official misconduct in this case”" in " ".join(definitions["Meaning"])
    paragraphs = {p for c in at.caption for p in shown_text(c.value).split("\n\n")}
    for sentence in acc.GUIDANCE:  # the guidance beside the figures, a paragraph each
        assert sentence in paragraphs, sentence
    assert "not in this file" not in " ".join(i.value for i in at.info)


def test_page_with_a_state_filter_keeps_new_york_beside_the_nation(full_db, full_rows, monkeypatch):
    want = expected(full_rows, None, "Texas")
    at = run_page(full_db, monkeypatch, {"state": "Texas", "tab": "places"})
    shown = dict(metrics(at))
    d = want["disc"]
    assert shown["No discipline known to the registry"] == count_share(d["none"], d["om_cases"])
    assert any("does not apply to New York beside the nation" in i.value for i in at.info)
    ny = want["ny"]
    assert any(
        t.startswith(
            f"In New York, no official is known to the registry to have been disciplined in {short(ny['none'], ny['om_cases'])}"
        )
        for t in chart_titles(at)
    )


# Counted by hand from the fixture (case 212 is exonerated before 1989; 211 and 215 hold answers the app does
# not know, so their discipline is not coded; 209 has no official misconduct and is not counted).
HAND = {"om_cases": 12, "any": 6, "none": 3, "not_coded": 3, "this_case": 2, "this_case_not_contributing": 1,
        "other_similar": 3, "other_dissimilar": 2}  # fmt: skip


def test_page_on_the_hand_made_fixture(acc_db, monkeypatch):
    rows = read_fixture()
    want = expected(rows, None, None)
    assert {k: want["disc"][k] for k in HAND} == HAND
    at = run_tabs(acc_db, monkeypatch)
    shown = dict(metrics(at))
    assert shown == {
        "Exonerations with official misconduct": "12 (85.7%)",  # of 14
        "An official was disciplined": "6 (50.0%)",
        "No discipline known to the registry": "3 (25.0%)",
        "Discipline not coded": "3 (25.0%)",
        "Extreme judicial misconduct": "2 (14.3%)",  # 201 and 214
    }
    tables = page_tables(at)
    kinds = [
        t
        for t in tables
        if list(t.columns) == ["Discipline", "Exonerations with official misconduct", "Share of them (%)"]
    ]
    split, kinds = kinds
    assert split.values.tolist() == [
        ["An official was disciplined", "6", "50.0"],
        ["No discipline known to the registry", "3", "25.0"],
        ["Discipline not coded", "3", "25.0"],
    ]
    assert {r[0]: r[1] for r in kinds.values.tolist()} == {KIND_LABELS[k]: str(HAND[k]) for k in DISC_OPENINGS}
    states = next(t for t in tables if "Jurisdiction" in t.columns)
    # New York: 201 202 203 208 211 (5 with misconduct; 209 without); Illinois: 204 205 214 215; Texas: 206 207 213
    assert states[["Jurisdiction", "With official misconduct", "No discipline known", "Not coded"]].values.tolist() == [
        ["New York", "5", "2", "1"],
        ["Illinois", "4", "1", "1"],
        ["Texas", "3", "0", "1"],
    ]
    forms = next(t for t in tables if "How the conviction was obtained" in t.columns)
    assert dict(forms[["How the conviction was obtained", "Exonerations"]].values.tolist()) == {
        "Jury trial": "6",
        "Guilty plea": "2",
        "Bench trial": "2",
        "Other or unknown": "2",
    }
    trial = next(t for t in tables if "Prosecutor's misconduct at trial" in t.columns)
    got = dict(trial[["Prosecutor's misconduct at trial", "Exonerations"]].values.tolist())
    assert (got["Improper argument"], got["Fraud on the court"], got["Knowingly allowing perjury"]) == ("3", "2", "3")
    assert {k: want["trial"][k] for k in ("improper_argument", "fraud_on_court", "knowingly_allowed_perjury")} == {
        "improper_argument": 3,
        "fraud_on_court": 2,
        "knowingly_allowed_perjury": 3,
    }
    cleared = next(t for t in tables if "Involved in the exoneration" in t.columns)
    assert dict(cleared[["Involved in the exoneration", "Exonerations"]].values.tolist()) == {
        "Conviction integrity unit": str(want["ciu"]),  # 201 205
        "Innocence organization": str(want["io"]),  # 201 203 213
    }
    assert (want["ciu"], want["io"]) == (2, 3)


def test_layout_a_says_not_in_this_file_for_every_accountability_figure(a_db, monkeypatch, capsys):
    at = run_tabs(a_db, monkeypatch)
    shown = dict(metrics(at))
    for label in ("An official was disciplined", "No discipline known to the registry", "Discipline not coded",
                  "Extreme judicial misconduct"):  # fmt: skip
        assert shown[label] == "not in this file", label
    assert shown["Exonerations with official misconduct"] != "not in this file"  # the spreadsheet has this one
    infos = [i.value.replace("\\", "") for i in at.info]
    for key, heading in acc.HEADINGS.items():
        if key == "cleared":  # the spreadsheet's tags name conviction integrity units and innocence organizations
            continue
        assert any(
            i.startswith(acc.SOURCES.get(key, ("", "", heading))[2]) and "not in this file" in i for i in infos
        ), key
    assert not any(re.search(r"\b0 \(0\.0%\)", v) for _, v in metrics(at))
    assert len(chart_elements(at)) == 1  # who helped clear them: in the spreadsheet's tags
    # the JSON: every accountability figure null, every accountability claim uncheckable
    capsys.readouterr()
    assert main(["stats", "--db", str(a_db), "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert all(v is None for k in ("accountability", "prosecutor_at_trial", "conviction_form") for v in s[k].values())
    assert main(["claims", "--db", str(a_db), "--json"]) == 0
    claims = [c for c in json.loads(capsys.readouterr().out)["claims"] if c["group"] == "Accountability"]
    assert claims and all(c["verdict"] == "cannot be checked with this file" and c["figure"] is None for c in claims)
    # the deck: the discipline slide says so, and draws no chart
    reg = db.Registry(a_db)
    try:
        b = brief.collect(View(reg, Filters()))
        from pptx import Presentation

        deck = Presentation(io.BytesIO(brief.deck(b)))
        sheet = brief.fact_sheet(b)
    finally:
        reg.close()
    slide = list(deck.slides)[[s.key for s in brief.SLIDES].index("accountability")]
    text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "not in this file" in text and not [sh for sh in slide.shapes if sh.has_chart]
    assert "not in this file" in sheet and "Official actor disciplined for OM?" in sheet


def test_page_runs_on_the_demo(demo_db, monkeypatch):
    at = run_tabs(demo_db, monkeypatch)
    assert len(chart_elements(at)) == 9
    assert not [v for _, v in metrics(at) if v == "not in this file"]


def test_each_tab_shows_its_sections_and_computes_no_other(full_db, monkeypatch):
    """The four questions are tabs; a link carries the open one (?tab=…) and only its sections are drawn.
    Every section is in exactly one tab."""
    assert sorted(k for keys in acc.TAB_SECTIONS.values() for k in keys) == sorted(acc.HEADINGS)
    assert list(acc.TAB_SECTIONS) == list(acc.TABS)
    for key, sections in acc.TAB_SECTIONS.items():
        at = run_page(full_db, monkeypatch, {"tab": key} if key != "discipline" else {})
        headings = {h.value for h in at.subheader}
        assert {acc.HEADINGS[k] for k in sections} <= headings, key
        assert not {acc.HEADINGS[k] for k in acc.HEADINGS if k not in sections} & headings, key
        assert at.query_params.get("tab") == (None if key == "discipline" else key)
    assert "tab" in pages.BY_PATH["accountability"].params


def test_page_with_no_cases(acc_db, monkeypatch):
    at = run_page(acc_db, monkeypatch, {"dna": "yes"})  # the fixture codes no DNA exoneration
    assert any("No cases match" in i.value for i in at.info)


def test_page_is_defined_once():
    p = pages.BY_PATH["accountability"]
    assert (p.file, p.title, p.section) == ("accountability.py", "Accountability", pages.FINDINGS)
    order = [q.url_path for q in pages.PAGES]
    assert order.index("accountability") == order.index("new-york") + 1
    for name in ("by_state", "by_county", "conviction_forms", "cleared_with_help"):
        assert name in p.queries and (ROOT / "queries" / f"{name}.sql").is_file()


# ---------------------------------------------------------------------------------------------
# Chromium


def open_tab(page, label: str, key: str) -> None:
    """Click the tab `label` until the link carries it (a click while the page lays itself out again, as
    after a screenshot's resize, can be lost)."""
    for attempt in range(3):
        page.get_by_role("tab", name=label, exact=True).click()
        try:
            page.wait_for_function(f"() => location.search.includes('tab={key}')", timeout=10_000)
            return
        except Exception:  # noqa: BLE001 — Playwright's TimeoutError
            if attempt == 2:
                raise


@pytest.mark.browser
def test_page_in_chromium(page, full_server):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.goto(f"{full_server.url}/accountability")
    for key, label in acc.TABS.items():
        if key != "discipline":  # the reader opens the next question's tab
            open_tab(page, label, key)
        wait_rendered(page, 60_000)
        charts = page.locator(CHARTS)
        assert charts.count() == {"discipline": 2, "places": 3, "trial": 2, "conviction": 2}[key], key
        for i in range(charts.count()):
            assert charts.nth(i).locator(".main-svg").count() >= 1, f"chart {i} of {key} was not drawn"
        assert page.locator("[data-testid='stException']").count() == 0
        assert page.locator("h3", has_text="no discipline of any official is known to the registry").count() == 1
        full_screenshot(page, shots / f"accountability-{key}.png")
    assert not errors, errors


@pytest.mark.parametrize("params", [{}, {"as_of": AS_OF}, {"state": NY}, {"pre1989": "yes"}], ids=str)
def test_every_share_the_page_prints_has_its_part_within_its_whole(full_db, monkeypatch, params):
    """Every share the page formats goes through fmt.share: none has a part larger than its whole."""
    from exonerations import fmt

    seen: list[tuple] = []
    original = fmt.share

    def recording(part, whole):
        seen.append((part, whole))
        return original(part, whole)

    monkeypatch.setattr(fmt, "share", recording)
    run_tabs(full_db, monkeypatch, params)
    shares = [(p, w) for p, w in seen if not fmt.missing(p) and not fmt.missing(w) and w]
    assert len(shares) > 30
    assert not [(p, w) for p, w in shares if not 0 <= float(p) <= float(w)]


def test_pre_1989_cases_are_said_to_be_not_coded(full_registry, full_rows):
    rows = [r for r in full_rows if r["Pre-1989"] == "Yes"]
    assert rows and all(r[TRIAL] == "" and r[OMNC] == "" for r in rows)  # the registry codes them from 1989 on
    h = acc.headline(View(full_registry, Filters(include_pre_1989=True)))
    assert acc.PRE1989 in h.cautions
    assert acc.PRE1989 not in acc.headline(View(full_registry, Filters())).cautions
    d = discipline(full_rows)  # every case, pre-1989 ones included
    assert dict(m[:2] for m in h.metrics)["Discipline not coded"] == count_share(d["not_coded"], d["om_cases"])
