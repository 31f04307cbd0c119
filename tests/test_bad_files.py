"""Bad files: every file in tests/fixtures/bad/ (hand-made, small) and a few generated here (XLSX bombs,
a 100 MB file) has one stated outcome, and none gives a traceback.

- fatal: the import is refused with one sentence (CLI: `error: …` on one line, exit code 2), the database
  stays byte-identical and no temporary file is left. The in-app upload calls `ingest.parse(bytes, name)`
  and gets the same sentence.
- rows: the file imports; each problem keeps its row, leaves the field empty and adds a warning naming the
  row (spreadsheet numbering, header = row 1) and the column, stored in the database for the
  Methodology & data page.

Expected outcomes are written down by hand below, from reading each file — never from the importer.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import FIXTURES, ROOT
from streamlit.testing.v1 import AppTest

from exonerations import db, exports, ingest
from exonerations.cli import main

BAD = FIXTURES / "bad"

# ---------------------------------------------------------------------------------------------
# The table: file -> expected outcome. Fatal files: a fragment of the one sentence.

FATAL = {
    "empty.csv": "The file is empty",
    "blank_lines.csv": "The file is empty",  # a BOM and white space only
    "header_only.csv": "has a header but no cases",
    "wrong_columns.csv": "This is not a registry export",  # a household budget
    "missing_om.csv": "missing the required column 'Official Misconduct'",
    "truncated_mid_row.csv": "Row 5 has 3 of the header's 19 columns, so the file looks cut off",
    "truncated_in_quotes.csv": "Row 5 cannot be read as CSV (unexpected end of data",  # cut inside "…"
    "unbalanced_quotes.csv": "Row 3 cannot be read as CSV (unexpected end of data",  # "Reyes, Jon never closed
    "stray_quote.csv": "Row 3 cannot be read as CSV",  # "Jon "Jack" Reyes" (inner quotes not doubled)
    "ragged_row.csv": "Row 4 has 21 cells but the header has 19 columns",
    "joined_exports.csv": "Row 4 repeats the header row, so the file looks like two exports joined",
    "binary.csv": "The file is not text",
    "binary.xlsx": "named .xlsx but is not an Excel workbook",
    "damaged_zip.xlsx": "looks like an XLSX workbook but is damaged",
    "truncated.xlsx": "looks like an XLSX workbook but is damaged",  # a good workbook cut at 60 %
    "zip_not_workbook.xlsx": "ZIP archive, not an XLSX workbook",
    "old_excel.xls": "old binary Excel (.xls) file",
    "utf16.csv": "UTF-16 text",
    "web_page.csv": "This is a web page",  # what a failed download saves
    "row_beyond_excel.xlsx": "names rows beyond Excel's last row",  # a cell in row 99,999,999
}

# Files that import. rows: cases kept; warnings: (row, column, fragment of the message), exactly.
ROWS = {
    "bad_dates.csv": (
        7,
        [
            (2, "Posting Date", "'sometime in 2011' is not a date"),
            (3, "Posting Date", "'2011-02-30' is not a date"),
            (3, "Date of Exon", "0001-01-01 is not a plausible date"),
            (4, "Posting Date", "'13/45/2011' is not a date"),
            (4, "Date of Release", "'yesterday' is not a date"),
            (5, "Posting Date", "'9999-99-99' is not a date"),
            (5, "Date of Exon", "'2011-13-01' is not a date"),
            (5, "Date of 1st Convic", "'31/12/1999' is not a date"),  # day/month order is not the registry's
            (6, "Date of Crime Year", "'19x7' is not a year"),
            (7, "Date of Crime Year", "-1990 is not a plausible year"),
            (7, "Date of Exon", "9999-12-31 is not a plausible date"),
        ],
    ),
    "bad_numbers.csv": (
        9,
        [
            (2, "Years Lost", "negative years lost (-3.5)"),
            (2, "Age at Crime Years", "-4 is not a plausible age"),
            (3, "Years Lost", "250 years lost is not plausible"),
            (3, "Age at Crime Years", "200 is not a plausible age"),
            (4, "Years Lost", "'abc' is not a number of years"),
            (4, "Age at Crime Years", "'twenty' is not an age"),
            (5, "Years Lost", "inf years lost is not plausible"),
            (5, "Age at Crime Years", "'inf' is not an age"),
            (6, "Years Lost", "1e400 years lost is not plausible"),
            (6, "Date of Crime Year", "'inf' is not a year"),
            (7, "ID", "'1.5' is not a numeric case ID; kept as text"),
            (8, "ID", "'1e30' is not a numeric case ID; kept as text"),
            (9, "ID", "no case ID; a row-based ID was given"),
            (10, "ID", "'99999999999999999999' is not a numeric case ID"),
        ],
    ),
    # Duplicate IDs. Row 4 repeats row 2 cell for cell: the same case listed twice, counted once.
    # Row 5 reuses ID 202 with another name: possibly another case with a mistyped ID, so it is kept
    # as case 202-dup5 (dropping it could lose a case; refusing the whole file for one typo would
    # block every figure). Both are warnings.
    "duplicate_ids.csv": (
        3,
        [
            (4, "ID", "row 4 repeats row 2 exactly (case ID 201); counted once"),
            (5, "ID", "case ID 202 already appears at row 3 with other details; kept as a separate case 202-dup5"),
        ],
    ),
    "cp1252_nbsp.csv": (3, [(None, None, "read as Windows-1252 text")]),
    # Hostile cell values are data: they import unchanged and without warnings (see below).
    "hostile_values.csv": (12, []),
    # A workbook whose <dimension> claims all 17 billion cells; and one with a stray cell in XFD1048576.
    # The claimed size is ignored and the empty rows skipped: both read as their 3 real cases.
    "dimension_bomb.xlsx": (3, []),
    "far_cell.xlsx": (3, []),
}


def test_every_fixture_has_an_outcome():
    assert sorted(p.name for p in BAD.iterdir() if p.name != "README.md") == sorted({**FATAL, **ROWS})
    assert max(p.stat().st_size for p in BAD.iterdir()) < 20_000  # small, hand-made


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def existing_db(tmp_path) -> Path:
    """A database holding the 12 cases of b_small.csv, which a refused import must leave as it is."""
    target = tmp_path / "db" / "keep.duckdb"
    db.import_file(FIXTURES / "b_small.csv", target)
    return target


def assert_refused(path: Path, target: Path, fragment: str, capsys) -> str:
    """The CLI refuses `path` in one sentence with exit 2 and leaves `target` byte-identical; the
    upload path (`ingest.parse` on the bytes) gives the same sentence."""
    before = sha(target)
    capsys.readouterr()
    assert main(["import", str(path), "--db", str(target)]) == 2
    out = capsys.readouterr()
    lines = [ln for ln in out.err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), out.err
    sentence = lines[0].removeprefix("error: ")
    assert fragment in sentence
    assert sentence.endswith(".") and "Traceback" not in out.err and out.out == ""
    assert sha(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temp file left
    if path.stat().st_size <= ingest.MAX_FILE_BYTES:
        with pytest.raises(ingest.RegistryFileError) as e:
            ingest.parse(path.read_bytes(), path.name)
        assert str(e.value) == sentence
    return sentence


@pytest.mark.parametrize("name", sorted(FATAL))
def test_fatal_file_is_refused_in_one_sentence(name, existing_db, capsys):
    assert_refused(BAD / name, existing_db, FATAL[name], capsys)


def test_upload_refuses_every_fatal_file_like_the_command_line(existing_db):
    """The app's upload (`ui.import_upload`, used by the Methodology & data page) gives the same
    sentence as `python -m exonerations import` and leaves the database as it was."""
    from exonerations import ui

    before = sha(existing_db)
    for name, fragment in FATAL.items():
        with pytest.raises(ingest.RegistryFileError) as e:
            ui.import_upload((BAD / name).read_bytes(), name, path=existing_db)
        assert fragment in str(e.value), name
        assert sha(existing_db) == before


def test_upload_limit_is_the_importers_limit_with_the_same_sentence(existing_db):
    from exonerations import ui

    data = b"x" * (2 * ingest.MAX_FILE_BYTES)  # 100 MB
    with pytest.raises(ingest.RegistryFileError) as e:
        ui.import_upload(data, "big.csv", path=existing_db)
    assert str(e.value) == ingest.too_big_message(len(data))


@pytest.mark.parametrize("name", sorted(ROWS))
def test_row_level_problems_keep_the_row_and_name_row_and_column(name, tmp_path, capsys):
    rows, expected = ROWS[name]
    target = tmp_path / "x.duckdb"
    capsys.readouterr()
    assert main(["import", str(BAD / name), "--db", str(target), "--show-warnings", "100"]) == 0
    out = capsys.readouterr().out
    assert f"rows: {rows}\n" in out and f"warnings: {len(expected)}\n" in out
    reg = db.Registry(target)
    try:
        assert reg.cursor().execute("select count(*) from reg.cases").fetchone()[0] == rows
        got_rows = reg.cursor().execute("select row_number, column_name, message from reg.import_warnings").fetchall()
        assert len(reg.warnings()) == len(expected)  # what the Methodology & data page lists
    finally:
        reg.close()
    assert sorted((r, c) for r, c, _ in got_rows) == sorted((r, c) for r, c, _ in expected), got_rows
    for row, column, fragment in expected:
        message = next(m for r, c, m in got_rows if (r, c) == (row, column))
        assert fragment in message
        if row is not None:
            assert f"row {row}, column '{column}': " in out  # the CLI names them too


def cases(name: str) -> dict[str, dict]:
    return {r["case_id"]: r for r in ingest.parse_file(BAD / name).table.to_pylist()}


def test_row_level_values_are_stored_empty_and_the_rest_kept():
    d = cases("bad_dates.csv")
    assert [d[i]["posting_date"] for i in ("501", "502", "503", "504")] == [None] * 4
    assert d["502"]["exoneration_date"] is None and d["502"]["exoneration_year"] is None
    assert d["505"]["crime_year"] is None and d["505"]["name"] == "Ed Five"
    assert str(d["507"]["posting_date"]) == "2012-03-01" and d["507"]["exoneration_year"] == 2011
    n = cases("bad_numbers.csv")
    assert [n[i]["years_lost"] for i in ("601", "602", "603", "604", "605")] == [None] * 5
    assert [n[i]["age"] for i in ("601", "602", "603", "604")] == [None] * 4
    assert n["1.5"]["nre_id"] is None and n["row-9"]["name"] == "Hal Eight"
    dup = cases("duplicate_ids.csv")
    assert sorted(dup) == ["201", "202", "202-dup5"]
    assert dup["202"]["name"] == "Jon Reyes" and dup["202-dup5"]["name"] == "Jon Reyes Jr."
    assert dup["202-dup5"]["nre_id"] is None


def test_windows_1252_with_no_break_spaces():
    c = cases("cp1252_nbsp.csv")
    assert [c[i]["name"] for i in ("301", "302", "303")] == ["José Núñez", "Zoë Brontë", "François Ægir"]
    assert c["301"]["county"] == "Kings"  # no-break spaces around it removed
    assert c["302"]["official_misconduct"] is True  # "Yes\xa0" in a header "Official\xa0Misconduct\xa0"
    assert c["303"]["worst_crime"] == "Murder – Capital"


@pytest.mark.parametrize("name", ["dimension_bomb.xlsx", "far_cell.xlsx"])
def test_workbooks_claiming_huge_sizes_read_their_real_rows_fast(name):
    t = time.perf_counter()
    c = cases(name)
    assert time.perf_counter() - t < 10
    assert [(c[i]["name"], c[i]["official_misconduct"], c[i]["dna"]) for i in ("201", "202", "203")] == [
        ("Iris Vale", True, False),
        ("Jon Reyes", False, False),
        ("Kay Moss", True, True),
    ]


# ---------------------------------------------------------------------------------------------
# Hostile cell values: formulas, SQL, markup, huge, emoji, right-to-left. They are data.

HOSTILE_STATE = "Robert'); DROP TABLE cases;--"


def test_hostile_values_import_verbatim(tmp_path):
    with (BAD / "hostile_values.csv").open(encoding="utf-8", newline="") as f:
        raw = {r["ID"]: r for r in csv.DictReader(f)}
    c = cases("hostile_values.csv")
    for i, r in raw.items():
        if i != "411":  # the one with control characters and a tab
            assert c[i]["name"] == r["Name"] and c[i]["county"] == r["County of Crime"], i
    assert c["411"]["name"] == "Bell and [31mEscape[0m and tab"  # BEL/ESC removed, tab made a space
    assert c["401"]["name"].startswith("=HYPERLINK(") and c["402"]["name"].startswith("+cmd")
    assert c["403"]["name"] == "@SUM(A1:A9)" and c["404"]["state"] == HOSTILE_STATE
    assert len(c["405"]["name"]) == 10_000
    assert c["408"]["name"] == "evil\u202eexe.txt\u202c Name"  # bidi controls are text, kept


def test_hostile_values_break_nothing(tmp_path):
    target = tmp_path / "hostile.duckdb"
    db.import_file(BAD / "hostile_values.csv", target)

    def cli(*args):
        r = subprocess.run(
            [sys.executable, "-m", "exonerations", *args, "--db", str(target)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        return r.stdout

    everything = json.loads(cli("stats", "--json"))
    assert everything["total"] == 12 and everything["factors"]["official_misconduct"] == 12
    assert json.loads(cli("stats", "--json", "--state", HOSTILE_STATE))["total"] == 1  # a bound parameter
    assert json.loads(cli("stats", "--json", "--state", "NULL"))["total"] == 1
    assert "As of 2012-03-01: 12 exonerations" in cli("stats")

    reg = db.Registry(target)
    try:
        opts = reg.query("filter_options")
        assert HOSTILE_STATE in set(opts.loc[opts["field"] == "state", "value"])
        names = reg.cursor().execute("select name from reg.cases order by case_id").df()
        assert reg.cursor().execute("select count(*) from reg.cases").fetchone()[0] == 12  # table still there
    finally:
        reg.close()
    # Exports neutralise what a spreadsheet would run as a formula; the rest stays as it was.
    lines = exports.to_csv(names).decode("utf-8-sig").splitlines()
    assert '"\'=HYPERLINK(""http://example.invalid/x"",""click me"")"' in lines
    assert "'+cmd|' /C calc'!A0" in lines and "'@SUM(A1:A9)" in lines
    assert "Robert'); DROP TABLE cases;--" in lines and "محمد عبد الله" in lines


def test_hostile_values_in_every_page(tmp_path, monkeypatch):
    """Every page runs on the database of hostile values, also filtered to the SQL-looking state."""
    target = tmp_path / "hostile.duckdb"
    db.import_file(BAD / "hostile_values.csv", target)
    monkeypatch.setenv("EXONERATIONS_DB", str(target))
    pages = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "app_pages").glob("*.py"))
    for query in ({}, {"state": HOSTILE_STATE}):
        for page in pages:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            for k, v in query.items():
                at.query_params[k] = v
            at.run()
            at.switch_page(page).run()
            assert not at.exception, f"{page} {query}: {[e.value for e in at.exception]}"
            assert not at.error, f"{page} {query}: {[e.value for e in at.error]}"
            if query:
                assert at.query_params["state"] in (HOSTILE_STATE, [HOSTILE_STATE]), page


# ---------------------------------------------------------------------------------------------
# Files generated at test time: too big to commit, or bombs.


def test_file_of_100_mb_is_refused_at_once_with_little_memory(tmp_path, existing_db, capsys):
    """A registry export is about 2 MB; 50 MB is the limit. A 100 MB file of valid rows is refused before
    it is read: in well under a second and without holding it in memory (measured in a child process)."""
    big = tmp_path / "big.csv"
    with (FIXTURES / "b_small.csv").open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    with big.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        i = 0
        while f.tell() < 100_000_000:
            for r in rows:
                i += 1
                w.writerow([str(1_000_000 + i), *r[1:]])
    assert big.stat().st_size > 100_000_000
    sentence = assert_refused(big, existing_db, "The file is 100 MB, over the 50 MB limit", capsys)
    probe = (
        "import resource, sys, time\n"
        "from exonerations import db, ingest\n"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "t = time.perf_counter()\n"
        "try:\n"
        f"    db.import_file({str(big)!r}, {str(tmp_path / 'probe.duckdb')!r})\n"
        "except ingest.RegistryFileError as e:\n"
        "    print(time.perf_counter() - t, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024, e)\n"
    )
    r = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    secs, extra_mb, message = r.stdout.split(" ", 2)
    assert message.strip() == sentence
    assert float(secs) < 1 and float(extra_mb) < 20, r.stdout
    # The upload path gets the bytes already in memory and refuses them the same way.
    with pytest.raises(ingest.RegistryFileError, match="over the 50 MB limit"):
        ingest.parse(big.read_bytes(), "big.csv")


@pytest.mark.slow
def test_file_at_the_limit_imports_in_bounded_time_and_memory(tmp_path):
    """The largest accepted file (just under 50 MB, about 180,000 cases) imports; time and peak memory
    of the import are measured in a child process (figures in the README's benchmark notes)."""
    big = tmp_path / "at-limit.csv"
    with (FIXTURES / "b_small.csv").open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    n = 0
    with big.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        while f.tell() < ingest.MAX_FILE_BYTES - 10_000:
            n += 1
            w.writerow([str(1_000_000 + n), *rows[n % len(rows)][1:]])
    probe = (
        "import json, resource, time\n"
        "from exonerations import db\n"
        "t = time.perf_counter()\n"
        f"p = db.import_file({str(big)!r}, {str(tmp_path / 'x.duckdb')!r})\n"
        "print(json.dumps({'rows': p.rows, 'warnings': len(p.warnings), 'secs': time.perf_counter() - t,\n"
        "                  'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    r = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    m = json.loads(r.stdout)
    print(f"\n{big.stat().st_size / 1e6:.1f} MB, {m['rows']:,} rows: {m['secs']:.1f} s, peak {m['peak_mb']:.0f} MB")
    assert m["rows"] == n and m["warnings"] == 0
    assert m["secs"] < 240 and m["peak_mb"] < 800


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="owssvr" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _row_xml(r: int, cells: list[str], tail: str = "") -> str:
    cs = "".join(
        f'<c r="{_col(i + 1)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for i, v in enumerate(cells) if v != ""
    )
    return f'<row r="{r}">{cs}{tail}</row>'


def workbook(parts, prolog: str = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>') -> bytes:
    """A minimal XLSX whose sheet XML is `parts` (strings or bytes), streamed into the ZIP."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WB)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for part in (prolog, _SHEET, "<sheetData>", *parts, "</sheetData></worksheet>"):
                f.write(part if isinstance(part, bytes) else part.encode())
    return buf.getvalue()


def small_rows() -> list[list[str]]:
    with (FIXTURES / "b_small.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_workbook_that_inflates_enormously_is_refused_before_opening(tmp_path, existing_db, capsys):
    rows = small_rows()
    spaces = b" " * (1 << 20)
    data = workbook([*(_row_xml(i + 1, r) for i, r in enumerate(rows)), *(spaces for _ in range(150))])
    assert len(data) < 300_000  # 150 MB of XML in a file of a few hundred KB
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(data)
    t = time.perf_counter()
    assert_refused(bomb, existing_db, "The workbook expands to far more data than a registry export holds", capsys)
    assert time.perf_counter() - t < 5


def test_workbook_with_cells_in_the_last_column_reads_only_the_header_width(tmp_path):
    """A value in column XFD (16,384) on the header and on every row would make each row 16,384 cells
    wide; the reader cuts rows at the header's width, so it reads like the plain file."""
    rows = small_rows()
    tail = '<c r="XFD{r}"><v>1</v></c>'
    data = workbook(_row_xml(i + 1, r, tail.format(r=i + 1)) for i, r in enumerate(rows))
    t = time.perf_counter()
    p = ingest.parse(data, "wide.xlsx")
    assert time.perf_counter() - t < 10
    plain = ingest.parse_file(FIXTURES / "b_small.csv")
    assert p.rows == 12 and p.warnings == []
    assert p.table.column("name").to_pylist() == plain.table.column("name").to_pylist()


def test_workbook_with_entity_expansion_is_refused(tmp_path, existing_db, capsys):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    rows = small_rows()
    body = "".join(_row_xml(i + 1, r) for i, r in enumerate(rows)).replace("Alma Quinn", "&lol9;")
    bomb = tmp_path / "laughs.xlsx"
    bomb.write_bytes(workbook([body], prolog=f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'))
    t = time.perf_counter()
    assert_refused(bomb, existing_db, "The XLSX workbook cannot be read", capsys)
    assert time.perf_counter() - t < 10


def test_nul_byte_deep_in_a_csv_is_refused(tmp_path, existing_db, capsys):
    text = (FIXTURES / "b_small.csv").read_bytes()
    bad = tmp_path / "nul.csv"
    bad.write_bytes(text + b"\n".join([text.splitlines()[1]] * 400) + b"\n1999,Nul\x00Person\n")
    assert bad.stat().st_size > 70_000  # beyond the first 64 KB
    assert_refused(bad, existing_db, "The file is not text", capsys)


def test_cell_of_two_million_characters_is_refused(tmp_path, existing_db, capsys):
    rows = small_rows()
    rows[1][1] = "x" * 2_000_000
    bad = tmp_path / "huge-cell.csv"
    with bad.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    assert_refused(bad, existing_db, "Row 2 cannot be read as CSV (field larger than field limit", capsys)


def test_header_of_more_than_a_thousand_columns_is_refused(tmp_path, existing_db, capsys):
    rows = small_rows()
    extra = [f"Column {i}" for i in range(1_000)]
    bad = tmp_path / "wide.csv"
    with bad.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0] + extra] + [r + [""] * len(extra) for r in rows[1:]])
    assert_refused(bad, existing_db, "The header row has more than 1,000 columns", capsys)


def test_too_many_rows_is_refused(tmp_path, existing_db, capsys, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_ROWS", 10)  # the real limit is 500,000: this checks the path
    assert_refused(FIXTURES / "b_small.csv", existing_db, "more than 10 rows", capsys)


def test_refusals_never_print_a_traceback_from_a_real_process(tmp_path):
    """The in-process checks above catch every exception type except the user errors; this runs the
    real command on a few of the files to be sure of what a user sees."""
    target = tmp_path / "keep.duckdb"
    db.import_file(FIXTURES / "b_small.csv", target)
    before = sha(target)
    for name in ("binary.xlsx", "truncated_mid_row.csv", "row_beyond_excel.xlsx", "joined_exports.csv"):
        r = subprocess.run(
            [sys.executable, "-m", "exonerations", "import", str(BAD / name), "--db", str(target)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and FATAL[name] in r.stderr, r.stderr
        assert sha(target) == before
