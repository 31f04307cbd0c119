"""The importer on every layout and encoding: hand-made fixtures, the real excerpt and the full export."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pytest
from conftest import EXCERPT, FIXTURES, need_full_export, read_full_export_rows

from exonerations import db, ingest
from exonerations.cli import main

A_VARIANTS = ["a_2023.csv", "a_dates_bom.csv", "a_2015_cp1252.csv"]


def stats_json(path, capsys, *args) -> dict:
    capsys.readouterr()
    assert main(["stats", "--db", str(path), "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_layout_b_fixture_fields():
    p = ingest.parse_file(FIXTURES / "b_small.csv")
    assert p.layout == "B" and p.rows == 12 and p.warnings == []
    rows = {r["case_id"]: r for r in p.table.to_pylist()}
    quinn = rows["101"]
    assert quinn["name"] == "Alma Quinn" and quinn["nre_id"] == 101
    assert quinn["crime_date"] is None and quinn["crime_year"] == 1997  # day "00" = unknown
    assert quinn["tags"] == ["F", "H"]
    assert rows["102"]["age"] is None  # 0 = unknown
    assert rows["103"]["years_lost"] == 0.0  # "-0"
    assert rows["103"]["county"] == "New York"  # padding removed
    assert rows["103"]["name"] == 'Carl "Cee" Stone'
    assert rows["103"]["official_misconduct"] is None  # blank = not coded
    assert rows["104"]["official_misconduct"] is False
    assert rows["106"]["om_police"] is None and rows["106"]["years_lost"] is None
    assert rows["108"]["tags"] == ["CSH", "CV"]  # Child Victim column joins the tags
    assert rows["109"]["federal"] is True and rows["109"]["race"] == "Don't Know"
    assert rows["111"]["pre_1989"] is True
    # the same name twice is two cases
    assert [r["case_id"] for r in rows.values() if r["name"] == "Alma Quinn"] == ["101", "112"]
    # accountability columns: in the file (so available), blank (so not coded) except judicial misconduct
    assert {"disc_any", "trial_any", "omnc_any", "conviction_form", "judicial_misconduct"} <= p.available
    assert all(r["disc_any"] is None and r["conviction_form"] is None for r in rows.values())
    assert rows["101"]["judicial_misconduct"] is False  # "No or Don’t Know"


@pytest.mark.parametrize("name", A_VARIANTS)
def test_layout_a_lacks_the_accountability_columns(name):
    p = ingest.parse_file(FIXTURES / name)
    new = [n for n in ingest.FIELD_NAMES if n.startswith(("disc_", "omnc_", "trial_"))]
    assert len(new) == 4 + 1 + 7 + 1 + 6 + 1
    assert not (set(new) | {"conviction_form", "judicial_misconduct"}) & p.available
    assert all(v is None for n in new for v in p.table.column(n).to_pylist())


@pytest.mark.parametrize("name", A_VARIANTS)
def test_layout_a_variants_read_alike(name):
    p = ingest.parse_file(FIXTURES / name)
    assert p.layout == "A" and p.rows == 6
    rows = p.table.to_pylist()
    names = [r["name"] for r in rows]
    assert names[0] == "Ann Abel" and names[1] == "Bo Baker, Jr."
    assert rows[1]["age"] is None and rows[3]["age"] is None  # blank and 0
    assert rows[0]["crime_year"] == 1994
    assert rows[2]["om_prosecutor"] and rows[2]["om_prosecutor_permitted_perjury"] and not rows[2]["om_child_welfare"]
    assert rows[3]["death_sentence"] is True
    assert rows[4]["federal"] is True
    assert rows[5]["pre_1989"] is True  # exonerated 1987
    assert rows[0]["posting_date"] == dt.date(2012, 3, 1)
    assert "years_lost" not in p.available  # never guessed


def test_layout_a_2015_quirks():
    p = ingest.parse_file(FIXTURES / "a_2015_cp1252.csv")
    rows = p.table.to_pylist()
    assert p.encoding == "Windows-1252"
    assert rows[0]["race"] == "Black" and rows[1]["race"] == "White"  # "Caucasian"
    assert rows[0]["name"] == "Ann Abel"  # non-breaking space removed
    assert rows[2]["name"] == "Cé Cruz"
    assert rows[0]["county"] == "Kings"


def test_layout_a_variants_give_identical_stats(tmp_path, capsys):
    outs = []
    for name in A_VARIANTS:
        path = tmp_path / f"{name}.duckdb"
        db.import_file(FIXTURES / name, path)
        outs.append(stats_json(path, capsys))
    assert outs[0] == outs[1] == outs[2]
    assert outs[0]["total"] == 5 and outs[0]["factors"]["official_misconduct"] == 4
    assert outs[0]["years_lost"] is None


def test_real_excerpt():
    if not EXCERPT.is_file():
        pytest.skip(f"the registry excerpt is not at {EXCERPT} (../shared is absent)")
    p = ingest.parse_file(EXCERPT)
    assert p.layout == "A" and p.rows == 21
    rows = p.table.to_pylist()
    by_name = {r["name"]: r for r in rows}
    assert by_name["Robert Aldrich, Jr."]["county"] == "Norfolk"
    assert by_name["Cinque Abbott"]["crime_year"] == 2008  # "2,008"
    assert by_name["Randall Dale Adams"]["pre_1989"] is False  # exonerated 1989
    assert by_name["Roberto Andrade"]["age"] is None


def to_xlsx(rows: list[list[str]], sheet: str, dates_col: str | None = None) -> bytes:
    """An XLSX copy of CSV rows as the registry's exporter writes it: one sheet named by an export
    stamp, numbers as text, posting dates as real dates."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    header = rows[0]
    di = header.index(dates_col) if dates_col else -1
    ws.append(header)
    for r in rows[1:]:
        cells = list(r)
        if di >= 0 and cells[di]:
            cells[di] = (
                dt.datetime.fromisoformat(cells[di])
                if "-" in cells[di]
                else dt.datetime.strptime(cells[di], "%m/%d/%Y")
            )
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _csv_rows(path, encoding="utf-8-sig"):
    import csv

    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f))


@pytest.mark.parametrize(
    "fixture,dates",
    [("b_small.csv", "Posting Date"), ("a_2023.csv", "Posting Date"), ("b_accountability.csv", "Posting Date")],
)
def test_xlsx_and_cp1252_copies_match_csv(tmp_path, capsys, fixture, dates):
    src = FIXTURES / fixture
    rows = _csv_rows(src)
    xlsx = tmp_path / "copy.xlsx"
    xlsx.write_bytes(to_xlsx(rows, "owssvr - 2024-03-11T10_00_00", dates))
    cp = tmp_path / "copy.csv"
    cp.write_bytes(src.read_text(encoding="utf-8-sig").replace("→", "->").encode("cp1252"))  # no arrow in cp1252
    outs = []
    for f in (src, xlsx, cp):
        path = tmp_path / f"{f.name}.duckdb"
        db.import_file(f, path)
        outs.append(stats_json(path, capsys))
    assert outs[0] == outs[1] == outs[2]


def test_full_export_reads_every_row():
    rows = read_full_export_rows()
    p = ingest.parse_file(need_full_export())
    assert p.layout == "B" and p.rows == len(rows)
    assert p.table.column("case_id").to_pylist() == [r["ID"] for r in rows]
    # warnings name a row and a column
    assert all(w.row and w.column for w in p.warnings)


@pytest.mark.slow
def test_full_export_xlsx_and_cp1252_copies_match(tmp_path, capsys):
    src = need_full_export()
    rows = _csv_rows(src)
    xlsx = tmp_path / "full.xlsx"
    xlsx.write_bytes(to_xlsx(rows, "owssvr - 2026-06-25T09_00_00", "Posting Date"))
    cp = tmp_path / "full-cp1252.csv"
    cp.write_bytes(src.read_text(encoding="utf-8-sig").replace("→", "->").encode("cp1252", errors="replace"))
    outs = []
    for f in (src, xlsx, cp):
        path = tmp_path / f"{f.name}.duckdb"
        db.import_file(f, path)
        outs.append(stats_json(path, capsys, "--as-of", "2026-02-05"))
    assert outs[0] == outs[1] == outs[2]
