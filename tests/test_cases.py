"""The Cases page: its queries (exact rows on the hand-made fixture; every column of the list sorts every
matching case), the list's rows, order and counts against independent counts made with the csv module on
the real export (search, sort by years lost across all matching cases, paging), the URL state (q, sort,
dir, page) read and written, the CSV downloads, the registry's case links, the case view
(`?case=<ID>`) against the export's own row, a public-spreadsheet file, hostile input, and in Chromium the
list's state round-tripping through the URL into a fresh browser context."""

from __future__ import annotations

import csv
import io
import re
import unicodedata

import pandas as pd
import pytest
from conftest import FIXTURES, ROOT, page_tables, read_full_export_rows, unescaped
from streamlit.testing.v1 import AppTest

from exonerations import db, exports
from exonerations.filters import Filters
from exonerations.findings import View, cases

DEFAULTS = Filters().sql_params()
PAGE = {"search": None, "sort": "exoneration_year", "descending": True, "limit": 100, "offset": 0}
REGISTRY = "https://exonerationregistry.org/cases/"
RETIRED = "law.umich.edu"


def q(reg, name, **extra):
    return reg.query(name, {**DEFAULTS, **extra})


# ---------------------------------------------------------------------------------------------
# Queries on the hand-made fixture (tests/fixtures/b_small.csv, counted by hand)
# Post-1989 cases: 101-110 and 112 (111 is pre-1989).


def test_cases_table_search_sort_page(small_registry):
    def ids(**kw):
        return q(small_registry, "cases_table", **{**PAGE, **kw})["case_id"].tolist()

    def count(search):
        return int(q(small_registry, "cases_table_count", search=search).iloc[0]["matching"])

    # exoneration years: 112 2026, 108 2026, 107 2025, 106 2024, 103 2019, 109 2018, 104 2016, 102 2014,
    # 101 2011, 105 1999, 110 1990; ties broken by name (Alma Quinn 112 before Hal Zane 108)
    assert ids() == ["112", "108", "107", "106", "103", "109", "104", "102", "101", "105", "110"]
    assert ids(descending=False)[:2] == ["110", "105"]
    # two Alma Quinns (distinct cases), tie broken by case id
    assert ids(sort="name", descending=False, limit=3) == ["101", "112", "102"]
    assert ids(sort="name", descending=False, limit=3, offset=3) == ["103", "104", "105"]
    assert ids(sort="years_lost", descending=True, limit=3) == ["107", "105", "101"]
    assert ids(sort="years_lost", descending=True)[-1] == "106"  # no years lost: last
    assert ids(sort="age", descending=False, limit=2) == ["107", "105"]  # 17, 19; 102's unknown age last
    assert ids(sort="age", descending=False)[-1] == "102"
    assert ids(sort="posting_date", descending=True, limit=2) == ["112", "108"]  # 2026-06-25, 2026-03-01
    assert ids(sort="sentence", descending=False, limit=1) == ["105"]  # Death
    assert ids(search="alma") == ["112", "101"] and count("alma") == 2
    assert ids(search="COOK") == ["108", "107"] and count("COOK") == 2
    assert sorted(ids(search="new york")) == ["101", "102", "103", "112"]  # state, or county "New York"
    assert count("murder") == 3  # 101 105 107 (111 is pre-1989)
    assert count('"Cee"') == 1  # a name with embedded quotes
    assert count(None) == 11
    # the search is literal text, never a pattern or SQL
    for s in ("%", "_", "50%", "'; drop table cases; --", "<script>alert(1)</script>", "=1+1"):
        assert count(s) == 0, s
    assert count(None) == 11


def _fold(x) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", str(x)) if not unicodedata.combining(c)).lower()


def _key(value, kind: str):
    if kind == cases.TEXT:
        return _fold(value)
    if kind == cases.YES_NO:
        return int(bool(value))
    return value


@pytest.mark.parametrize("column", cases.COLUMNS, ids=lambda c: c.key)
def test_every_column_of_the_list_sorts_every_case(small_registry, column):
    """Each column the page offers to sort by is in the SQL's allow-list: the rows come in that column's
    order (blanks last, both ways), not in the fallback order by name."""
    for descending in (True, False):
        got = q(small_registry, "cases_table", **{**PAGE, "sort": column.key, "descending": descending})
        values = got[column.key].tolist()
        present = [v for v in values if not pd.isna(v)]
        assert all(pd.isna(v) for v in values[len(present) :]), (column.key, descending)
        keys = [_key(v, column.kind) for v in present]
        assert keys == sorted(keys, reverse=descending), (column.key, descending)


def test_a_sort_outside_the_allow_list_orders_by_name(small_registry):
    for sort in ("name; drop table cases", "case_id", "tags", ""):
        got = q(small_registry, "cases_table", **{**PAGE, "sort": sort})
        assert got["name"].map(_fold).tolist() == sorted(got["name"].map(_fold)), sort
    assert int(q(small_registry, "cases_table_count", search=None).iloc[0]["matching"]) == 11


def test_list_state_from_hostile_links():
    assert cases.list_state({}) == cases.ListState()
    state = cases.list_state({"q": ["  smith  "], "sort": "years_lost", "dir": "asc", "page": "3"})
    assert state == cases.ListState("smith", "years_lost", "asc", 3)
    assert state.params() == {"q": "smith", "sort": "years_lost", "dir": "asc", "page": "3"}
    assert cases.ListState().params() == {}
    for bad in ("0", "-1", "1e3", "nan", "٣", "99999999999999999999", "", "2; drop"):
        assert cases.list_state({"page": bad}).page == 1, bad
    assert cases.list_state({"sort": "name; drop table cases", "dir": "up"}) == cases.ListState()
    assert cases.list_state({"q": "x" * 500}).search == "x" * cases.MAX_SEARCH
    assert cases.case_param({"case": " 10214 "}) == "10214"
    assert cases.case_param({"case": ""}) is None and cases.case_param({}) is None
    assert len(cases.case_param({"case": "9" * 500})) == cases.MAX_CASE_ID


# ---------------------------------------------------------------------------------------------
# Independent counts on the real export (csv module only)


def _post_1989() -> list[dict]:
    return [r for r in read_full_export_rows() if r["Pre-1989"] == "No"]


def _norm(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()


def independent_search(text: str) -> list[dict]:
    t = _norm(text)
    return [
        r
        for r in _post_1989()
        if any(t in _norm(r[c].strip()) for c in ("Name", "State", "County of Crime", "Worst Crime Display"))
    ]


def _years_lost(r: dict) -> float | None:
    s = r["Years Lost"].strip()
    return abs(float(s)) if s else None  # the export writes "-0" for no time


def _exoneration_year(r: dict) -> int:
    s = r["Date of Exon"].strip()
    return int(s[:4]) if re.match(r"\d{4}-", s) else int(s.rsplit("/", 1)[1])


def test_search_count_matches_independent_count(full_registry):
    for text in ("smith", "Cook", "robbery", "Jr."):
        got = int(q(full_registry, "cases_table_count", search=text).iloc[0]["matching"])
        assert got == len(independent_search(text)), text


# ---------------------------------------------------------------------------------------------
# The page (AppTest)


@pytest.fixture(scope="module")
def a_db(tmp_path_factory):
    """A public-spreadsheet (layout A) file: no case IDs, no years lost."""
    path = tmp_path_factory.mktemp("a") / "a.duckdb"
    db.import_file(FIXTURES / "a_2023.csv", path)
    return path


def run_page(db_path, monkeypatch, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("EXONERATIONS_DB", str(db_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page("app_pages/cases.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _showing(at) -> str:
    return unescaped(next(m.value for m in at.markdown if "Showing rows" in m.value))


def _param(at, key):
    value = at.query_params.get(key)
    return value[-1] if isinstance(value, list) and value else value


def test_first_page_rows_order_and_count(full_db, monkeypatch):
    at = run_page(full_db, monkeypatch)
    rows = _post_1989()
    assert f"Showing rows 1–100 of {len(rows):,} cases" in _showing(at)
    shown = at.dataframe[0].value
    assert len(shown) == 100
    # newest exoneration first, over every case
    want = sorted((_exoneration_year(r) for r in rows), reverse=True)[:100]
    assert shown["Exoneration year"].tolist() == want
    # the columns a journalist reads: spelled out, none a bare code
    labels = [c.label for c in cases.COLUMNS]
    assert list(shown.columns) == [labels[0], cases.CASE_PAGE, cases.DETAILS, *labels[1:]]
    for header in ("Race", "Sex", "Age at the crime", "Sentence", "Conviction year", "Posting date", "DNA evidence"):
        assert header in shown.columns
    for code in ("OM", "P/FA", "MWID", "F/MFE", "ILD", "FC", "OF", "PR", "WH", "NW", "KP", "WT", "INT", "PJ", "PL"):
        assert code not in shown.columns
        assert not shown.isin([code]).any().any(), code
    yes_no = [c.label for c in cases.COLUMNS if c.kind == cases.YES_NO]
    assert len(yes_no) == 1 + 6 + 11  # DNA apart, the six contributing factors, the eleven actors and kinds
    assert set(shown[yes_no].stack().dropna()) <= {"Yes", "No"}
    assert not at.query_params.get("page") and not at.query_params.get("sort")  # defaults stay out of the URL


def test_sort_by_years_lost_descending_across_all_matching_cases(full_db, monkeypatch):
    at = run_page(full_db, monkeypatch)
    at.selectbox(key="cases_sort").set_value("years_lost").run()
    assert not at.exception
    lost = sorted((y for y in map(_years_lost, _post_1989()) if y is not None), reverse=True)
    shown = at.dataframe[0].value
    assert shown["Years lost"].tolist() == pytest.approx(lost[:100])  # the largest of all 3,835, not of a page
    top = [r for r in _post_1989() if _years_lost(r) == lost[0]]
    assert shown["Name"].iloc[0] in {r["Name"].strip() for r in top}
    assert _param(at, "sort") == "years_lost" and not at.query_params.get("dir")
    # page 2 goes on where page 1 stopped
    at.pagination(key="cases_page").set_value(2).run()
    assert "Showing rows 101–200" in _showing(at)
    assert at.dataframe[0].value["Years lost"].tolist() == pytest.approx(lost[100:200])
    assert _param(at, "page") == "2"
    # the other direction starts again at page 1, smallest first, blanks last
    at.segmented_control(key="cases_dir").set_value("asc").run()
    assert "Showing rows 1–100" in _showing(at) and not at.query_params.get("page")
    assert at.dataframe[0].value["Years lost"].tolist() == pytest.approx(sorted(lost)[:100])
    assert _param(at, "dir") == "asc"


def test_search_sort_and_page_against_independent_rows(full_db, monkeypatch):
    matches = independent_search("son")
    assert len(matches) > 200
    at = run_page(full_db, monkeypatch, {"q": "son", "sort": "years_lost", "dir": "desc", "page": "2"})
    assert at.text_input(key="cases_q").value == "son"
    assert at.selectbox(key="cases_sort").value == "years_lost"
    assert at.segmented_control(key="cases_dir").value == "desc"
    assert f"Showing rows 101–200 of {len(matches):,} cases matching the search" in _showing(at)
    lost = sorted((y for y in map(_years_lost, matches) if y is not None), reverse=True)
    assert at.dataframe[0].value["Years lost"].tolist() == pytest.approx(lost[100:200])
    assert (_param(at, "q"), _param(at, "sort"), _param(at, "page")) == ("son", "years_lost", "2")
    # a new search starts again at page 1 and says it in the URL
    at.text_input(key="cases_q").input("smith").run()
    assert "Showing rows 1–" in _showing(at) and not at.query_params.get("page")
    assert _param(at, "q") == "smith"
    smith = independent_search("smith")
    assert len(smith) <= 100 and f"Showing rows 1–{len(smith)} of {len(smith)} cases" in _showing(at)
    assert sorted(at.dataframe[0].value["Name"]) == sorted(r["Name"].strip() for r in smith)


def test_another_column_starts_in_its_natural_order(small_db, monkeypatch):
    at = run_page(small_db, monkeypatch, {"page": "1"})
    at.selectbox(key="cases_sort").set_value("name").run()
    assert at.segmented_control(key="cases_dir").value == "asc"  # A to Z
    names = at.dataframe[0].value["Name"].tolist()
    assert names[:3] == ["Alma Quinn", "Alma Quinn", "Boris Ruiz"] and names == sorted(names, key=_fold)
    assert (_param(at, "sort"), _param(at, "dir")) == ("name", "asc")
    at.selectbox(key="cases_sort").set_value("official_misconduct").run()
    assert at.segmented_control(key="cases_dir").value == "desc"  # Yes first
    shown = at.dataframe[0].value["Official misconduct"].tolist()
    assert shown[:6] == ["Yes"] * 6 and shown[6] == "No"  # 101 102 105 107 108 109; 110 not coded: last
    assert pd.isna(shown[-1]) and not at.query_params.get("dir")


def test_paging_and_filters(full_db, monkeypatch):
    at = run_page(full_db, monkeypatch)
    first = at.dataframe[0].value
    at.pagination(key="cases_page").set_value(2).run()
    second = at.dataframe[0].value
    assert "Showing rows 101–200 of 3,835" in _showing(at)
    assert len(second) == 100 and not set(first["Case page"]) & set(second["Case page"])
    # the sidebar's filters apply, and a new filter starts at page 1
    at = run_page(full_db, monkeypatch, {"state": "New York", "page": "3"})
    ny = [r for r in _post_1989() if r["State"].strip() == "New York"]
    assert f"Showing rows 201–300 of {len(ny):,} cases" in _showing(at)
    assert set(at.dataframe[0].value["State"]) == {"New York"}
    # a page past the end falls back to the first
    at = run_page(full_db, monkeypatch, {"state": "New York", "page": "999"})
    assert "Showing rows 1–100" in _showing(at)


@pytest.fixture
def downloads(monkeypatch):
    """The download buttons the page draws, by key: their file names and the (deferred) bytes."""
    import streamlit.delta_generator as dg

    made = {}
    real = dg.DeltaGenerator.download_button

    def download_button(self, label, data, *args, **kwargs):
        made[kwargs.get("key")] = (kwargs.get("file_name"), data)
        return real(self, label, data, *args, **kwargs)

    monkeypatch.setattr(dg.DeltaGenerator, "download_button", download_button)
    return made


def _read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_downloads_are_the_rows_shown_without_preamble(full_db, monkeypatch, downloads):
    at = run_page(full_db, monkeypatch, {"q": "smith", "sort": "years_lost", "state": ["Illinois", "Texas"]})
    shown = at.dataframe[0].value
    matches = [r for r in independent_search("smith") if r["State"].strip() in ("Illinois", "Texas")]
    assert len(shown) == len(matches) > 0
    name, data = downloads["csv_page"]
    page = _read_csv(data())
    assert page[0] == [c for c in shown.columns if c != cases.DETAILS]  # the header first: no lines above it
    assert len(page) == len(shown) + 1
    assert [r[0] for r in page[1:]] == shown["Name"].tolist()
    assert [r[1] for r in page[1:]] == shown["Case page"].tolist()
    assert name.startswith("exonerations-cases-2026-06-25-illinois-texas") and "search-smith" in name
    assert name.endswith(f"-years-lost-desc-rows-1-{len(shown)}.csv")
    all_name, all_data = downloads["csv_all"]
    every = _read_csv(all_data())
    assert every == page and all_name.endswith("-years-lost-desc-all.csv")
    # the source, date and filters are said beside the buttons
    said = " ".join(unescaped(c.value) for c in at.caption)
    assert "Source: National Registry of Exonerations" in said and "Filters: Illinois, Texas" in said
    assert "search “smith”" in said and "sorted by years lost, largest first" in said


def test_case_links_on_the_registry_address_and_none_on_the_retired_one(full_db, monkeypatch, downloads):
    at = run_page(full_db, monkeypatch, {"state": "New York"})
    _, data = downloads["csv_all"]
    every = pd.DataFrame(_read_csv(data())[1:], columns=_read_csv(data())[0])
    ids = {r["ID"] for r in _post_1989() if r["State"].strip() == "New York"}
    assert len(every) == len(ids)
    assert set(every["Case page"]) == {f"{REGISTRY}{i}" for i in ids}  # one link per case, by its ID
    assert RETIRED not in data().decode("utf-8-sig")
    shown = at.dataframe[0].value
    assert shown["Case page"].str.fullmatch(re.escape(REGISTRY) + r"\d+").all()
    # each row's own ID: the link and the case view agree
    assert (shown["Case page"].str.rsplit("/", n=1).str[1] == shown["Details"].str.extract(r"case=(\d+)")[0]).all()
    texts = [m.value for m in (*at.markdown, *at.caption, *at.info)] + [str(shown.to_dict())]
    assert not any(RETIRED in t for t in texts)
    at = run_page(full_db, monkeypatch, {"case": "10214"})
    assert [b.proto.url for b in at.get("link_button")] == [f"{REGISTRY}10214"]
    # and nowhere in the app's code
    for path in [*ROOT.glob("exonerations/**/*.py"), *ROOT.glob("app_pages/*.py"), *ROOT.glob("queries/*.sql")]:
        assert RETIRED not in path.read_text(encoding="utf-8") and "casedetail.aspx" not in path.read_text(), path


def _view_tables(at) -> dict[str, str]:
    """Every (field, value) of the case view's tables."""
    out = {}
    for t in page_tables(at):
        out.update(dict(zip(t.iloc[:, 0], t.iloc[:, 1], strict=True)))
    return out


def _coded(cell: str) -> str:
    return {"Yes": "Yes", "No": "No", "": "Not coded"}[cell.strip()]


def test_case_view_shows_every_field_as_in_the_export(full_db, monkeypatch):
    row = next(r for r in read_full_export_rows() if r["ID"] == "10214")
    at = run_page(full_db, monkeypatch, {"case": "10214", "q": "hob", "page": "1"})
    assert at.title[0].value == row["Name"]
    assert not at.dataframe  # the list is not drawn under a case
    got = _view_tables(at)
    assert got["Name"] == row["Name"] and got["Registry case ID"] == "10214"
    assert (
        got["State or jurisdiction"] == row["State"] and got["County (or federal district)"] == row["County of Crime"]
    )
    assert (got["Sex"], got["Race"], got["Age at the crime"]) == (row["Sex"], row["Race"], row["Age at Crime Years"])
    assert got["Worst crime"] == row["Worst Crime Display"] and got["Other crimes"] == row["List Add'l Crimes Recode"]
    assert got["Sentence"] == row["Sentence"] and got["Sentenced to death"] == row["Death Penalty?"]
    assert got["Form of conviction"] == {"Jury": "Jury trial"}[row["Form of 1st Conviction"]]
    assert got["First conviction"] == row["Date of 1st Convic"] and got["Exoneration"] == row["Date of Exon"]
    assert got["Release"] == row["Date of Release"] and got["Years lost"] == row["Years Lost"]
    assert got["Posted by the registry"] == row["Posting Date"]
    assert got["Last updated by the registry"] == row["Last Update Date"]
    assert got["Crime"] == "1987-01-06" and (row["Date of Crime Year"], row["Date of Crime Month"]) == ("1987", "1")
    assert got["Part of a group exoneration"] == row["Part of a Group Exon?"]
    factors = {
        "Official misconduct": "Official Misconduct",
        "Perjury or false accusation": "Perjury or False Accusation?",
        "Mistaken witness identification": "Mistaken Witness ID",
        "False or misleading forensic evidence": "False or Misleading Forensic Evidence",
        "Inadequate legal defense": "Inadequate Legal Defense",
        "False confession": "False Confession",
        "DNA evidence": "DNA",
        "Misconduct by a police officer": "OF - OM by Police Officer",
        "Misconduct by a prosecutor": "PR: Prosecutor Misconduct",
        "Misconduct by a forensic analyst": "FA - OM by Forensic Analyst",
        "Misconduct by a child welfare worker": "CW - OM by Child Welfare Worker",
        "Withheld exculpatory evidence": "WH - Exculpatory withheld",
        "Misconduct other than withholding": "NW - OM not withholding",
        "Prosecutor permitted perjury": "KP - Prosecutor permitted perjury",
        "Witness tampering": "Witness Tampering by OA?",
        "Misconduct in interrogation": "INT - Misconduct in Interrogation",
        "Perjury by an official": "PJ - Perjury by OA",
        "Prosecutor lied in court": "PL - Prosecutor Lied in Court",
    }
    for label, column in factors.items():
        assert got[label] == _coded(row[column]), label
    assert got["Inadequate legal defense"] == "Not coded"  # blank in the export
    # tags spelled out: the export's case characteristics, and its child-victim column
    tags = {t.strip().lower() for t in row["Case Characteristics"].split(";")} | (
        {"child victim"} if row["Child Victim"] == "Yes" else set()
    )
    tag_table = next(t for t in page_tables(at) if t.columns[0] == "Tag")
    assert {t.lower() for t in tag_table["Tag"]} == tags
    # the accountability columns, decoded
    assert row["Official actor disciplined for OM?"].startswith("Yes, for misconduct in other cases that is similar")
    assert got["Disciplined for similar misconduct in other cases"] == "Yes"
    assert got["Disciplined for misconduct in this case"] == "No"
    assert got["An official was disciplined"] == "Yes"
    assert row["OM not connected to conviction"] == "Yes, post-conviction misconduct"
    assert got["Misconduct after the conviction"] == "Yes"
    assert got["Improper argument"] == "No" and got["Extreme judicial misconduct"] == "No or don't know"
    # the way back keeps the list's state and drops the case
    at.button(key="cases_back").click().run()
    assert not at.exception and at.dataframe and not at.query_params.get("case")
    assert _param(at, "q") == "hob" and at.text_input(key="cases_q").value == "hob"


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", "[x](javascript:alert(1))", "'; drop table cases; --", "99999999", "**b**"],
)
def test_case_view_of_an_unknown_id_is_one_sentence(small_db, monkeypatch, text):
    at = run_page(small_db, monkeypatch, {"case": text})
    assert len(at.info) == 1
    sentence = unescaped(at.info[0].value)
    assert sentence.startswith("No case has the ID “") and "in this file" in sentence
    assert text not in at.info[0].value or text == "99999999"  # shown escaped, never as markup
    assert not at.dataframe and not at.get("link_button")


def test_case_view_of_the_fixture_matches_it(small_db, monkeypatch):
    at = run_page(small_db, monkeypatch, {"case": "103"})
    got = _view_tables(at)
    assert at.title[0].value == 'Carl "Cee" Stone'  # the name as plain text
    assert got["County (or federal district)"] == "New York" and got["Years lost"] == "0.0"  # "-0" in the file
    assert got["Age at the crime"] == "31"
    at = run_page(small_db, monkeypatch, {"case": "102"})
    assert _view_tables(at)["Age at the crime"] == "Unknown"  # the registry's 0


def test_layout_a_has_no_links_or_years(a_db, monkeypatch, downloads):
    at = run_page(a_db, monkeypatch)
    shown = at.dataframe[0].value
    assert "Case page" not in shown.columns and "Years lost" not in shown.columns
    assert not shown.astype(str).apply(lambda s: s.str.contains("exonerationregistry|http")).any().any()
    said = " ".join(unescaped(c.value) for c in at.caption)
    assert "Years lost: not in this file" in said and "no links to the registry's case pages" in said
    assert "years_lost" not in cases.sorts(View(db.Registry(a_db)))
    page = _read_csv(downloads["csv_page"][1]())
    assert "Case page" not in page[0] and not any("http" in cell for r in page for cell in r)
    # its case view works from the app's own key, with no registry link
    key = shown["Details"].iloc[0].split("case=")[1].split("&")[0]
    at = run_page(a_db, monkeypatch, {"case": key})
    got = _view_tables(at)
    assert got["Name"] == shown["Name"].iloc[0] and got["Years lost"] == "Not in this file"
    assert not at.get("link_button")
    assert any("accountability columns" in unescaped(c.value) for c in at.caption)


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x","y")',
        "'; drop table cases; --",
        "%_%",
        "[x](javascript:alert(1))",
    ],
)
def test_cases_hostile_search_is_harmless(small_db, monkeypatch, text):
    at = run_page(small_db, monkeypatch, {"q": text, "sort": text, "dir": text, "page": text})
    assert at.text_input(key="cases_q").value == text
    assert any("No cases match these filters and this search" in i.value for i in at.info)
    assert not any(text in m.value for m in at.markdown)  # never echoed as markdown
    at.text_input(key="cases_q").input("").run()  # and the data are still all there
    assert "of 11 cases" in _showing(at)


def test_csv_of_cases_neutralises_formulas():
    df = pd.DataFrame({"Name": ['=HYPERLINK("http://x")', "Ann"], "County": ["+1", "@SUM(A1)"]})
    rows = list(csv.reader(io.StringIO(exports.to_csv(df).decode("utf-8-sig"))))
    assert rows[1] == ['\'=HYPERLINK("http://x")', "'+1"] and rows[2] == ["Ann", "'@SUM(A1)"]


# ---------------------------------------------------------------------------------------------
# In Chromium


FIRST_CELL = "[data-testid='stDataFrame'] [data-testid='glide-cell-0-0']"


def _list_state(page, expected: str) -> tuple[str, str]:
    """The first row's name and the 'Showing rows …' line of the list as drawn. The grid draws its rows a
    moment after the line above it: wait (a while) for the row expected, then read what is there."""
    from conftest import wait_rendered

    wait_rendered(page, 60_000)
    try:
        page.wait_for_function(
            "([sel, want]) => document.querySelector(sel)?.innerText === want",
            arg=[FIRST_CELL, expected],
            timeout=30_000,
        )
    except Exception:  # noqa: BLE001 — Playwright's TimeoutError: the assertion below says what was drawn
        pass
    return page.locator(FIRST_CELL).first.inner_text(), page.get_by_text("Showing rows").inner_text()


def _choose(page, key: str, value: str) -> None:
    """Choose `value` in the selectbox `key` (opening and clicking retried: the list can close again
    when the page is drawn once more as it settles)."""
    box = page.locator(f".st-key-{key} [data-testid='stSelectbox']")
    option = page.get_by_role("option", name=value, exact=True)
    for attempt in range(5):
        try:
            box.click()
            page.keyboard.type(value)  # the list draws only the options in view: filter it to the one wanted
            option.wait_for(state="visible", timeout=2_500)
            option.click(timeout=3_000)
            return
        except Exception:  # noqa: BLE001 — Playwright's TimeoutError
            if attempt == 4:
                raise


@pytest.mark.browser
def test_search_sort_and_page_round_trip_through_the_url(full_server, full_registry, browser, page):
    """Search, sort, direction and page set by hand in one browser context; the URL it shows, opened in
    a fresh context (no cookies, no session), shows the same rows."""
    from conftest import wait_rendered

    page_2 = {**PAGE, "search": "son", "sort": "years_lost", "descending": False, "offset": 100}
    expected = q(full_registry, "cases_table", **page_2)["name"].iloc[0]
    page.goto(f"{full_server.url}/cases")
    wait_rendered(page, 60_000)
    search = page.locator(".st-key-cases_q input")
    search.fill("son")
    search.press("Enter")
    page.wait_for_url("**q=son**", timeout=30_000)
    page.get_by_text("matching the search").first.wait_for(timeout=30_000)
    _choose(page, "cases_sort", "Years lost")
    page.wait_for_url("**sort=years_lost**", timeout=30_000)
    wait_rendered(page, 60_000)
    page.locator(".st-key-cases_dir").get_by_role("radio", name="Smallest first").click()
    page.wait_for_url("**dir=asc**", timeout=30_000)
    wait_rendered(page, 60_000)
    page.locator(".st-key-cases_page").get_by_role("button", name="Page 2", exact=True).click()
    page.wait_for_url("**page=2**", timeout=30_000)
    page.get_by_text("Showing rows 101–200").wait_for(timeout=30_000)
    name, showing = _list_state(page, expected)
    assert name == expected  # row 101 of the cases matching "son", fewest years lost first
    url = page.url
    for part in ("q=son", "sort=years_lost", "dir=asc", "page=2"):
        assert part in url, url

    fresh = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = fresh.new_page()
    page.goto(url)
    again = _list_state(page, expected)
    assert again == (name, showing)
    assert "Showing rows 101–200" in showing and "matching the search" in showing
    assert page.locator(".st-key-cases_q input").input_value() == "son"
    assert page.url == url  # nothing lost, nothing added
    fresh.close()
