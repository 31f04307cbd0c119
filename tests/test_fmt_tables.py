"""The Table views and published tables (fmt.html_table, fmt.table_rows): what each kind of cell reads as."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from exonerations import fmt


def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "State": pd.array(["New <York>", None, "Texas & co"], dtype="string[pyarrow]"),
            "Exonerations": [1234, 5, 0],
            "Counted as floats": [2.0, np.nan, 1_000.0],
            "Share (%)": [50.0, 12.5, np.nan],
            "Years": [1.25, 3.0, 10.5],
            "DNA": [True, False, True],
            "Posted": pd.to_datetime(["2026-06-25", "2020-01-02", None]),
        }
    )


def test_table_rows_read_as_a_reader_expects():
    rows = fmt.table_rows(frame())
    assert rows[0] == [
        ("New <York>", False),
        ("1,234", True),
        ("2", True),
        ("50.0", True),
        ("1.25", True),
        ("Yes", False),
        ("2026-06-25", False),
    ]
    assert [text for text, _ in rows[1]] == ["—", "5", "—", "12.5", "3.0", "No", "2020-01-02"]
    assert [text for text, _ in rows[2]] == ["Texas & co", "0", "1,000", "—", "10.5", "Yes", "—"]
    assert fmt.table_rows(frame().head(0)) == []


def test_html_table_escapes_every_text_and_marks_numbers():
    df = frame().assign(Link=["https://www.law.umich.edu/x?a=1&b=2", "javascript:alert(1)", None])
    out = fmt.html_table(df, 'Table: "A" <b>', links={"Link": "case page"}, right=("DNA",))
    assert out.startswith(
        '<div class="data-table" role="region" tabindex="0" aria-label="Table: &quot;A&quot; &lt;b&gt;">'
    )
    assert "<td>New &lt;York&gt;</td>" in out and "<td>Texas &amp; co</td>" in out and "<York>" not in out
    assert (
        '<td class="num">1,234</td>' in out and '<td class="num">2</td>' in out and '<td class="num">1,000</td>' in out
    )
    assert '<td class="num">Yes</td>' in out  # `right` right-aligns a column that is not a number
    assert (
        '<a href="https://www.law.umich.edu/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">case page</a>'
        in out
    )
    assert "<td>javascript:alert(1)</td>" in out  # not a web address: shown, never followed
    assert out.count("<tr>") == 4 and out.count("<th ") == 8
    row = out.split("<tr>")[3]
    assert row.count("<td") == 8 and row.count("—") == 2


def test_html_table_of_dates_and_lists():
    df = pd.DataFrame({"When": [dt.date(2019, 2, 27)], "Tags": [["CIU", "NC"]]})
    assert "<td>2019-02-27</td><td>CIU; NC</td>" in fmt.html_table(df, "x")
