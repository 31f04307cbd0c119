"""Read a registry export (any layout, CSV or XLSX), validate it and normalise it to one table.

Fatal problems raise `RegistryFileError` with one sentence for the user. Row-level problems keep the
row, store NULL in the field and add a `Warning` that names the row and the column.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from . import glossary

# Limits. The registry's full export is about 2 MB (4,300 cases, 16 MB of XML as XLSX); the limits leave
# room for decades of growth while keeping an import of the largest accepted file under a minute and a
# few hundred MB of memory (a 100 MB file is refused at once; see tests/test_bad_files.py).
MAX_FILE_BYTES = 50_000_000
MAX_CELL_CHARS = 1_000_000
MAX_ROWS = 500_000
MAX_COLUMNS = 1_000
MAX_XLSX_UNZIPPED_BYTES = 60_000_000  # the 2026 export as XLSX unzips to ~10 MB
MAX_XLSX_RATIO = 40  # a workbook that inflates more than this (an export: ~9×) is not a spreadsheet export
MAX_WARNINGS_KEPT = 5_000  # row-level warnings listed; beyond them only their number is kept
ABSURD_YEARS_LOST = 100.0
EXCEL_MAX_ROWS = 1_048_576
YEAR_MIN, YEAR_MAX = 1700, 2200  # a year or date outside this range is a typo, stored as empty


class RegistryFileError(Exception):
    """A file that cannot be imported. The message is one sentence for the user."""


@dataclass(frozen=True)
class Warning:
    row: int | None  # spreadsheet row (the header is row 1); None for a file-level warning
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, column '{self.column}'" if self.row else "file"
        return f"{where}: {self.message}"


# The normalised table. Order matters: it is the column order of `cases`.
FIELDS: tuple[tuple[str, pa.DataType], ...] = (
    ("case_id", pa.string()),
    ("nre_id", pa.int64()),
    ("name", pa.string()),
    ("state", pa.string()),
    ("county", pa.string()),
    ("federal", pa.bool_()),
    ("sex", pa.string()),
    ("race", pa.string()),
    ("age", pa.int32()),
    ("worst_crime", pa.string()),
    ("other_crimes", pa.list_(pa.string())),
    ("sentence", pa.string()),
    ("death_sentence", pa.bool_()),
    ("crime_year", pa.int32()),
    ("crime_date", pa.date32()),
    ("conviction_year", pa.int32()),
    ("conviction_date", pa.date32()),
    ("exoneration_year", pa.int32()),
    ("exoneration_date", pa.date32()),
    ("release_date", pa.date32()),
    ("years_lost", pa.float64()),
    ("posting_date", pa.date32()),
    ("last_update_date", pa.date32()),
    ("pre_1989", pa.bool_()),
    ("group_exoneration", pa.bool_()),
    *((c.column, pa.bool_()) for c in glossary.FACTORS),
    ("dna_involved", pa.bool_()),
    *((c.column, pa.bool_()) for c in glossary.MISCONDUCT),
    # accountability (full export only; see queries/README.md)
    *((column, pa.bool_()) for spec in glossary.ANSWER_COLUMNS for column in spec.columns),
    ("judicial_misconduct", pa.bool_()),
    ("conviction_form", pa.string()),
    ("tags", pa.list_(pa.string())),
    ("source_row", pa.int32()),
)
SCHEMA = pa.schema([pa.field(n, t) for n, t in FIELDS])
FIELD_NAMES = tuple(n for n, _ in FIELDS)


@dataclass
class Parsed:
    layout: str  # "B" (full export) or "A" (public spreadsheet)
    layout_name: str
    table: pa.Table
    available: frozenset[str]  # normalised fields this file actually provides
    warnings: list[Warning] = field(default_factory=list)
    encoding: str = ""
    sha256: str = ""
    file_name: str = ""
    warning_count: int | None = None  # every warning, when more than MAX_WARNINGS_KEPT are listed

    @property
    def rows(self) -> int:
        return self.table.num_rows

    @property
    def warnings_total(self) -> int:
        return len(self.warnings) if self.warning_count is None else self.warning_count


# ---------------------------------------------------------------------------------------------
# Reading bytes into a header and rows of cells


def _canon(header: str) -> str:
    """Header names compared without case, padding, BOM or curly apostrophes."""
    h = str(header or "").replace("\ufeff", "").replace("\xa0", " ").replace("’", "'").strip()
    return re.sub(r"\s+", " ", h).lower()


def too_big_message(size: int) -> str:
    """The one sentence for a file over `MAX_FILE_BYTES` (also for the app's upload limit)."""
    return (
        f"The file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit: "
        "a registry export is a few MB, so check that this is the right file."
    )


def read_table(data: bytes, name: str = "") -> tuple[list[str], Iterator[tuple[int, list]], str]:
    """Header, an iterator of (row number, cells) and the encoding or container read."""
    if len(data) > MAX_FILE_BYTES:
        raise RegistryFileError(too_big_message(len(data)))
    if not data or not data.strip(b"\xef\xbb\xbf \t\r\n"):
        raise RegistryFileError(
            "The file is empty: choose a registry export (CSV or XLSX) with a header row and cases."
        )
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise RegistryFileError("This is an old binary Excel (.xls) file: save it as .xlsx or CSV and import that.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise RegistryFileError(
            'The file is UTF-16 text, which is not read here: save it as "CSV UTF-8" and import that.'
        )
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        raise RegistryFileError(
            "This is a web page or XML document, not a registry export (a failed download often "
            "saves one): download the file again."
        )
    if b"\x00" in data:
        if Path(name).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
            raise RegistryFileError(
                f"The file is named {Path(name).suffix.lower()} but is not an Excel workbook "
                "(it is damaged or another kind of file): choose the registry export as CSV or XLSX."
            )
        raise RegistryFileError(
            "The file is not text (it holds binary data): choose the registry export as CSV or XLSX."
        )
    return _read_csv(data)


def _decodes(data: bytes, codec: str, chunk: int = 1 << 20) -> bool:
    """Whether all of `data` is valid in `codec` (checked in chunks, without a copy of the text)."""
    dec = codecs.getincrementaldecoder(codec)()
    view = memoryview(data)
    try:
        for i in range(0, len(view), chunk):
            dec.decode(view[i : i + chunk])
        dec.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _encoding(data: bytes) -> tuple[str, str]:
    """The codec to read `data` with, and its name for the user."""
    if data.startswith(b"\xef\xbb\xbf") and _decodes(data, "utf-8"):
        return "utf-8-sig", "UTF-8 with BOM"
    if _decodes(data, "utf-8"):
        return "utf-8", "UTF-8"
    if _decodes(data, "cp1252"):
        return "cp1252", "Windows-1252"
    return "latin-1", "Latin-1"


def _read_csv(data: bytes):
    codec, encoding = _encoding(data)
    csv.field_size_limit(MAX_CELL_CHARS)
    # Decoded as it is read: a text copy of a large file would cost up to four times its size.
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=codec, newline=""), strict=True)
    try:
        header = next(reader)
    except (csv.Error, StopIteration) as e:
        raise RegistryFileError(
            f"The file's header row cannot be read as CSV ({e}): export the registry file again."
        ) from None
    _check_header_width(len(header))

    def rows() -> Iterator[tuple[int, list]]:
        row_no = 1
        try:
            for cells in reader:
                row_no += 1
                if row_no > MAX_ROWS:
                    raise RegistryFileError(f"The file has more than {MAX_ROWS:,} rows: it is not a registry export.")
                yield row_no, cells
        except csv.Error as e:
            raise RegistryFileError(
                f"Row {row_no + 1} cannot be read as CSV ({e}; often an unbalanced quote or a cut-off file): "
                "export or download the file again."
            ) from None

    return header, rows(), encoding


def _read_xlsx(data: bytes):
    ws = _open_sheet(data)
    header = _xlsx_header(ws)
    # Rows are cut to the header's width by the reader itself: a stray cell in column XFD does not
    # make every row 16,384 cells wide.
    it = ws.iter_rows(min_row=2, max_col=max(len(header), 1), values_only=True)
    return header, _xlsx_rows(it, len(header)), "XLSX"


def _check_zip(data: bytes) -> None:
    """Refuse a damaged ZIP, a ZIP bomb and a ZIP that holds no worksheet before openpyxl opens it."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RegistryFileError(
            "The file looks like an XLSX workbook but is damaged: open it in Excel and save it again, or export CSV."
        ) from None
    unzipped = sum(i.file_size for i in infos)
    if unzipped > MAX_XLSX_UNZIPPED_BYTES or unzipped > MAX_XLSX_RATIO * max(len(data), 1) + 5_000_000:
        raise RegistryFileError(
            "The workbook expands to far more data than a registry export holds, so it was not opened: export the registry as CSV instead."
        )
    if not any(i.filename.startswith("xl/worksheets/") for i in infos):
        raise RegistryFileError("The file is a ZIP archive, not an XLSX workbook: choose the registry export itself.")


def _open_sheet(data: bytes):
    """The workbook's first visible sheet (the registry's XLSX has one, named by an export stamp)."""
    _check_zip(data)
    import openpyxl  # imported here: CSV imports do not pay for it

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for a broken workbook
        raise RegistryFileError(
            f"The XLSX workbook cannot be read ({type(e).__name__}): open it in Excel and save it again, or export CSV."
        ) from None
    sheets = [ws for ws in wb.worksheets if ws.sheet_state == "visible"] or wb.worksheets
    if not sheets:
        raise RegistryFileError("The workbook has no sheet: choose the registry export.")
    ws = sheets[0]
    ws.reset_dimensions()  # ignore the dimensions the file claims; read what is there
    return ws


def _xlsx_header(ws) -> list[str]:
    try:  # at most MAX_COLUMNS + 1 cells, however far to the right the sheet has a cell
        header_cells = next(ws.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS + 1, values_only=True))
    except StopIteration:
        raise RegistryFileError(
            "The workbook's sheet is empty: choose a registry export with a header row and cases."
        ) from None
    except Exception as e:
        raise RegistryFileError(
            f"The XLSX sheet cannot be read ({type(e).__name__}): export the registry as CSV instead."
        ) from None
    header = ["" if v is None else str(v) for v in header_cells]
    while header and header[-1] == "":
        header.pop()
    _check_header_width(len(header))
    return header


def _empty_cells(cells: tuple) -> bool:
    """An empty or formatted-but-empty sheet row (a gap before a stray far-away cell)."""
    return cells.count(None) == len(cells) or all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _xlsx_rows(it, width: int) -> Iterator[tuple[int, list]]:
    row_no = 1
    filled = 0
    try:
        for cells in it:
            row_no += 1
            if row_no > EXCEL_MAX_ROWS:  # the reader fills gaps up to any row number the file names
                raise RegistryFileError(
                    f"The sheet names rows beyond Excel's last row ({EXCEL_MAX_ROWS:,}), "
                    "so the workbook is damaged: export the registry as CSV instead."
                )
            if _empty_cells(cells):
                continue
            filled += 1
            if filled > MAX_ROWS:
                raise RegistryFileError(f"The sheet has more than {MAX_ROWS:,} rows: it is not a registry export.")
            cells = list(cells[:width])
            cells += [None] * (width - len(cells))
            yield row_no, cells
    except RegistryFileError:
        raise
    except Exception as e:
        raise RegistryFileError(
            f"Row {row_no + 1} of the XLSX sheet cannot be read ({type(e).__name__}): export the registry as CSV instead."
        ) from None


def _check_header_width(n: int) -> None:
    if n > MAX_COLUMNS:
        raise RegistryFileError(
            f"The header row has more than {MAX_COLUMNS:,} columns, far more than any registry export: "
            "choose the file you received from the National Registry of Exonerations."
        )


# ---------------------------------------------------------------------------------------------
# Cell parsers. Each returns a value or None; a value present but unusable adds a warning.


class _Cells:
    """Converts cells of one file, collecting row-level warnings."""

    def __init__(self) -> None:
        self.warnings: list[Warning] = []
        self.total = 0  # every warning, listed or not

    def warn(self, row: int, column: str, value, message: str) -> None:
        self.total += 1
        if len(self.warnings) >= MAX_WARNINGS_KEPT:
            return  # a file with a warning on every row does not fill the memory with them
        shown = str(value)
        if len(shown) > 60:
            shown = shown[:57] + "…"
        self.warnings.append(Warning(row, column, shown, message))

    @staticmethod
    def text(v) -> str | None:
        """The cell as text: padding trimmed, runs of white space (incl. no-break spaces) made one
        space, control characters removed. Everything else, formula-like text included, is kept
        verbatim (exports neutralise formulas)."""
        if v is None:
            return None
        if v.__class__ is str:  # nearly every cell: no conversion
            s = v
        else:
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            s = str(v)
        if not s.isprintable() or "  " in s:
            s = _SPACES.sub(" ", _CONTROL.sub("", s))
        return s.strip() or None

    def date(self, v, row: int, col: str) -> dt.date | None:
        if v is None:
            return None
        if isinstance(v, dt.datetime):
            d = v.date()
        elif isinstance(v, dt.date):
            d = v
        else:
            s = self.text(v)
            if s is None:
                return None
            d = _parse_date_text(s)
            if d is None:
                self.warn(row, col, s, f"'{_short(s)}' is not a date; stored as empty")
                return None
        if not YEAR_MIN <= d.year <= YEAR_MAX:
            self.warn(row, col, d.isoformat(), f"{d.isoformat()} is not a plausible date; stored as empty")
            return None
        return d

    def year(self, v, row: int, col: str) -> int | None:
        if v is None:
            return None
        if isinstance(v, dt.date):
            y = v.year
        else:
            s = self.text(v)
            if s is None:
                return None
            n = _number(s)
            if n is None:
                d = _parse_date_text(s)
                if d is not None and YEAR_MIN <= d.year <= YEAR_MAX:
                    return d.year
                self.warn(row, col, s, f"'{_short(s)}' is not a year; stored as empty")
                return None
            y = int(n)
        if y == 0:
            return None
        if not YEAR_MIN <= y <= YEAR_MAX:
            self.warn(row, col, str(v), f"{y} is not a plausible year; stored as empty")
            return None
        return y

    def age(self, v, row: int, col: str) -> int | None:
        s = self.text(v)
        if s is None:
            return None
        n = _number(s)
        if n is None:
            self.warn(row, col, s, f"'{_short(s)}' is not an age; stored as empty")
            return None
        a = int(n)
        if a == 0:
            return None  # the registry writes 0 for unknown
        if not 0 < a < 120:
            self.warn(row, col, s, f"{a} is not a plausible age; stored as empty")
            return None
        return a

    def years_lost(self, v, row: int, col: str) -> float | None:
        s = self.text(v)
        if s is None:
            return None
        try:
            y = float(s.replace(",", ""))
        except ValueError:
            self.warn(row, col, s, f"'{_short(s)}' is not a number of years; stored as empty")
            return None
        if y != y:  # NaN
            return None
        if y == 0:
            return 0.0  # the registry sometimes writes "-0"
        if y < 0:
            self.warn(row, col, s, f"negative years lost ({s}); stored as empty")
            return None
        if y > ABSURD_YEARS_LOST:
            self.warn(row, col, s, f"{s} years lost is not plausible; stored as empty")
            return None
        return y

    def yes_no(self, v, row: int, col: str) -> bool | None:
        known = _YES_NO.get(v, _NOT_PLAIN) if v.__class__ is str else _NOT_PLAIN
        if known is not _NOT_PLAIN:
            return known
        s = self.text(v)
        if s is None:
            return None
        k = s.lower().replace("’", "'")
        if k in ("yes", "y", "true", "1"):
            return True
        if k in ("no", "n", "false", "0") or k.startswith("no or don"):
            return False
        if k in ("don't know", "dk", "unknown"):
            return None
        self.warn(row, col, s, f"'{_short(s)}' is not Yes or No; stored as not coded")
        return None


_NOT_PLAIN = object()
_YES_NO = {"Yes": True, "No": False, "": None}  # the cells of nearly every Yes/No column, read at once

_SPACES = re.compile(r"\s+")  # includes the no-break space
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")  # C0/C1 controls that are not white space


def _number(s: str) -> float | None:
    """A finite number written in `s` (thousands separators allowed), else None."""
    try:
        x = float(s.replace(",", "").replace(" ", ""))
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _short(s: str, n: int = 40) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


_DATE_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$"), "ymd"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: .*)?$"), "mdy"),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})(?: .*)?$"), "mdyy"),
)


def _parse_date_text(s: str) -> dt.date | None:
    if len(s) == 10 and s[4] == "-" and s[7] == "-" and s[:4].isdigit() and s[5:7].isdigit() and s[8:].isdigit():
        try:  # YYYY-MM-DD, the full export's form: read without the patterns below
            return dt.date(int(s[:4]), int(s[5:7]), int(s[8:]))
        except ValueError:
            return None
    for pattern, kind in _DATE_PATTERNS:
        m = pattern.match(s)
        if not m:
            continue
        a, b, c = (int(x) for x in m.groups())
        if kind == "ymd":
            y, mo, d = a, b, c
        else:
            mo, d, y = a, b, c
            if kind == "mdyy":
                y += 2000 if 2000 + y <= dt.date.today().year else 1900
        try:
            return dt.date(y, mo, d)
        except (ValueError, OverflowError):
            return None
    return None


def _split(v, sep: str) -> list[str]:
    s = _Cells.text(v)
    if s is None:
        return []
    return [p.strip() for p in s.split(sep) if p.strip()]


# ---------------------------------------------------------------------------------------------
# Layouts


# Columns that identify each layout (canonical names).
_B_SIGNATURE = ("id", "name", "official misconduct", "posting date", "pre-1989", "worst crime display")
_B_REQUIRED = {
    "id": "ID",
    "name": "Name",
    "state": "State",
    "posting date": "Posting Date",
    "official misconduct": "Official Misconduct",
}
_A_SIGNATURE = ("last name", "first name", "om", "worst crime display", "tags", "om tags")
_A_REQUIRED = {"last name": "Last Name", "first name": "First Name", "state": "State", "om": "OM"}

_B_FACTORS = {
    "official_misconduct": "official misconduct",
    "perjury_or_false_accusation": "perjury or false accusation?",
    "mistaken_witness_id": "mistaken witness id",
    "false_or_misleading_forensic_evidence": "false or misleading forensic evidence",
    "inadequate_legal_defense": "inadequate legal defense",
    "false_confession": "false confession",
    "dna": "dna",
}
_B_MISCONDUCT = {
    "om_police": "of - om by police officer",
    "om_prosecutor": "pr: prosecutor misconduct",
    "om_forensic_analyst": "fa - om by forensic analyst",
    "om_child_welfare": "cw - om by child welfare worker",
    "om_withheld_evidence": "wh - exculpatory withheld",
    "om_not_withholding": "nw - om not withholding",
    "om_prosecutor_permitted_perjury": "kp - prosecutor permitted perjury",
    "om_witness_tampering": "witness tampering by oa?",
    "om_interrogation": "int - misconduct in interrogation",
    "om_perjury_by_official": "pj - perjury by oa",
    "om_prosecutor_lied": "pl - prosecutor lied in court",
}
_A_FACTORS = {
    "official_misconduct": "om",
    "perjury_or_false_accusation": "p/fa",
    "mistaken_witness_id": "mwid",
    "false_or_misleading_forensic_evidence": "f/mfe",
    "inadequate_legal_defense": "ild",
    "false_confession": "fc",
    "dna": "dna",
}


def detect_layout(header: Iterable[str]) -> str:
    canon = {_canon(h) for h in header}
    a = sum(c in canon for c in _A_SIGNATURE)
    b = sum(c in canon for c in _B_SIGNATURE)
    if "last name" in canon and "first name" in canon and a >= 3:
        return "A"
    if "name" in canon and b >= 4:
        return "B"
    raise RegistryFileError(
        "This is not a registry export: its header has none of the expected columns "
        "(such as 'ID', 'Name', 'Official Misconduct', 'Posting Date', or 'Last Name', 'First Name', 'OM'); "
        "choose the file you received from the National Registry of Exonerations."
    )


def _index(header: list[str], required: dict[str, str]) -> dict[str, int]:
    idx: dict[str, int] = {}
    for i, h in enumerate(header):
        idx.setdefault(_canon(h), i)
    missing = [shown for key, shown in required.items() if key not in idx]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        raise RegistryFileError(
            f"The file is missing the required column{'s' if len(missing) > 1 else ''} {names}: "
            "export the registry file again with all columns."
        )
    return idx


class _Builder:
    """Collects normalised columns row by row, turning every CHUNK rows into a compact Arrow batch
    (Python lists of a large file would cost several times its size in memory)."""

    CHUNK = 20_000

    def __init__(self) -> None:
        self.batches: list[pa.RecordBatch] = []
        self._new_chunk()

    def _new_chunk(self) -> None:
        self.cols: dict[str, list] = {n: [] for n in FIELD_NAMES}
        self._appends = [(n, self.cols[n].append) for n in FIELD_NAMES]
        self.n = 0

    def add(self, rec: dict) -> None:
        get = rec.get
        for n, append in self._appends:
            append(get(n))
        self.n += 1
        if self.n >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self.n:
            self.batches.append(pa.RecordBatch.from_pydict(self.cols, schema=SCHEMA))
            self._new_chunk()

    def table(self) -> pa.Table:
        self._flush()
        return pa.Table.from_batches(self.batches, schema=SCHEMA)


def _check_not_header_again(row: int, cells: list, header: list[str]) -> None:
    """Two exports joined into one file repeat the header row: refuse rather than count cases twice."""
    if [_canon(c) for c in cells[: len(header)]] == [_canon(h) for h in header]:
        raise RegistryFileError(
            f"Row {row} repeats the header row, so the file looks like two exports joined together: "
            "import one registry export at a time."
        )


_NUMERIC_ID = re.compile(r"\d{1,18}(?:\.0*)?")


def _row_digest(cells: list) -> bytes:
    try:  # a CSV row is all text
        joined = "\x1f".join(cells)
    except TypeError:  # an XLSX row holds numbers, dates and empty cells
        joined = "\x1f".join("" if c is None else str(c) for c in cells)
    return hashlib.blake2b(joined.encode(), digest_size=16).digest()


def _check_width(row: int, cells: list, width: int, last_row_hint: bool = False) -> None:
    if len(cells) == width or (len(cells) == 1 and not str(cells[0]).strip()):
        return
    if len(cells) < width:
        raise RegistryFileError(
            f"Row {row} has {len(cells)} of the header's {width} columns, so the file looks cut off or damaged: "
            "download or export it again."
        )
    extra = cells[width:]
    if any(str(c).strip() for c in extra if c is not None):
        raise RegistryFileError(
            f"Row {row} has {len(cells)} cells but the header has {width} columns (often a stray comma or quote): "
            "export the file again."
        )


def _blank_row(cells: list) -> bool:
    """A row of one empty cell (a blank line in a CSV)."""
    return len(cells) == 1 and not str(cells[0]).strip()


def _answer_key(s: str) -> str:
    """A registry answer compared without case, padding, runs of spaces, apostrophes (straight or curly:
    "No or Don't Know" = "No or dont know") or a final full stop."""
    return _SPACES.sub(" ", s.replace("'", "").replace("’", "")).strip().rstrip(".").rstrip().lower()


_UNKNOWN = object()


class _Answers:
    """Reads one accountability column of the full export (`glossary.AnswerColumn`): a cell of "; "-joined
    answers becomes one boolean per "Yes" answer plus "any". Blank: all NULL (not coded). An answer this
    app does not know is never guessed: the row keeps the cell as not coded and gets a warning."""

    MEMO = 2_000  # distinct cells remembered (the 2026 export has 26 per column)

    def __init__(self, spec: glossary.AnswerColumn, cells: _Cells, shown: str) -> None:
        self.spec, self.cells, self.shown = spec, cells, shown
        self.lookup = {_answer_key(w): k for w, k in spec.wordings}
        self.blank = dict.fromkeys(spec.columns)
        self.memo: dict[str, tuple[dict, tuple[str, ...]]] = {}

    def read(self, v, row: int) -> dict:
        s = self.cells.text(v)
        if s is None:
            return self.blank
        hit = self.memo.get(s)
        if hit is None:
            hit = self._read(s)
            if len(self.memo) < self.MEMO:
                self.memo[s] = hit
        values, unknown = hit
        for part in unknown:
            self.cells.warn(
                row,
                self.shown,
                part,
                f"'{_short(part)}' is not an answer this app knows for this column; the cell is stored as not coded",
            )
        return values

    def _read(self, s: str) -> tuple[dict, tuple[str, ...]]:
        keys, unknown = set(), []
        parts = [p.strip() for p in s.split(";") if p.strip()]
        for part in parts:
            key = self.lookup.get(_answer_key(part), _UNKNOWN)
            if key is _UNKNOWN:
                unknown.append(part)
            elif key is not None:
                keys.add(key)
        if unknown or not parts:
            return self.blank, tuple(unknown)
        values = {c.column: c.key in keys for c in self.spec.codes}
        values[self.spec.any_column] = bool(keys)
        return values, ()


_FORMS = {_answer_key(w): k for w, k in glossary.CONVICTION_FORM_WORDINGS.items()}
_TAG_CODES = {name.lower(): code for name, code in glossary.TAG_NAMES_B.items()}


# Layout B fields read from one cell each, in the order they are read (the order of a row's warnings):
# field → (column, how it is read, the column's name in a warning).
_B_CELLS = (
    ("name", "name", "text", ""),
    ("state", "state", "text", ""),
    ("county", "county of crime", "text", ""),
    ("sex", "sex", "text", ""),
    ("race", "race", "race", ""),
    ("age", "age at crime years", "age", "Age at Crime Years"),
    ("worst_crime", "worst crime display", "text", ""),
    ("other_crimes", "list add'l crimes recode", "list", ""),
    ("sentence", "sentence", "text", ""),
    ("death_sentence", "death penalty?", "yes_no", "Death Penalty?"),
    ("conviction_date", "date of 1st convic", "date", "Date of 1st Convic"),
    ("exoneration_date", "date of exon", "date", "Date of Exon"),
    ("release_date", "date of release", "date", "Date of Release"),
    ("years_lost", "years lost", "years_lost", "Years Lost"),
    ("posting_date", "posting date", "date", "Posting Date"),
    ("last_update_date", "last update date", "date", "Last Update Date"),
    ("group_exoneration", "part of a group exon?", "yes_no", "Part of a Group Exon?"),
)


def _b_available(ix: dict[str, int]) -> set[str]:
    """The normalised fields a full export with these columns provides."""
    available = {"case_id", "nre_id", "name", "state", "federal", "source_row"}
    optional = {f: c for f, c, _, _ in _B_CELLS} | {
        "crime_year": "date of crime year",
        "tags": "case characteristics",
        "crime_date": "date of crime year",
        "conviction_year": "date of 1st convic",
        "exoneration_year": "date of exon",
        "pre_1989": "date of exon",
        "conviction_form": "form of 1st conviction",
        "judicial_misconduct": "extreme judicial misconduct",
        **_B_FACTORS,
        **_B_MISCONDUCT,
    }
    available.update(f for f, c in optional.items() if c in ix)
    if "pre-1989" in ix:
        available.add("pre_1989")
    if "child victim" in ix:
        available.add("tags")
    for spec in glossary.ANSWER_COLUMNS:
        if _canon(spec.header) in ix:
            available.update(spec.columns)
    return available


class _LayoutB:
    """Reads the rows of a full export (layout B) into normalised records."""

    def __init__(self, header: list[str], cells: _Cells) -> None:
        self.ix = ix = _index(header, _B_REQUIRED)
        self.header, self.cells, self.width = header, cells, len(header)
        self.available = _b_available(ix)
        self.id_col = ix["id"]
        readers = {
            "text": lambda v, _r, _c: cells.text(v),
            "race": lambda v, _r, _c: _race(cells.text(v)),
            "list": lambda v, _r, _c: _split(v, ";"),
            "age": cells.age,
            "date": cells.date,
            "years_lost": cells.years_lost,
            "yes_no": cells.yes_no,
        }
        self.reads = [(f, ix[c], readers[how], shown) for f, c, how, shown in _B_CELLS if c in ix]
        self.flags = [(f, ix[c], header[ix[c]].strip()) for f, c in {**_B_FACTORS, **_B_MISCONDUCT}.items() if c in ix]
        self.answers = [
            (_Answers(spec, cells, header[ix[_canon(spec.header)]].strip()), ix[_canon(spec.header)])
            for spec in glossary.ANSWER_COLUMNS
            if _canon(spec.header) in ix
        ]
        # case ID -> (first row, digest of that row's cells); see `_case_id`
        self.seen_ids: dict[str, tuple[int, bytes]] = {}

    def at(self, name: str) -> int:
        """The index of a column in a padded row: the padding (None) where the file lacks it."""
        return self.ix.get(name, self.width)

    def parse(self, rows) -> _Builder:
        b = _Builder()
        for row, cs in rows:
            _check_width(row, cs, self.width)
            if _blank_row(cs):
                continue
            ids = self._case_id(row, cs)
            if ids is not None:
                b.add(self._record(row, [*cs[: self.width], None], *ids))
        return b

    def _case_id(self, row: int, cs: list) -> tuple[str, int | None] | None:
        """The case ID and NRE ID of a row; None for a row that repeats an earlier one exactly.
        Duplicate IDs: a row that repeats an earlier row cell for cell is the same case listed twice and
        is counted once; a row that reuses an ID with different details may be another case (a mistyped
        ID), so it is kept under a new ID. Both are listed as warnings."""
        raw_id = self.cells.text(cs[self.id_col])
        if raw_id is not None and _canon(raw_id) == _canon(self.header[self.id_col]):
            _check_not_header_again(row, cs, self.header)
        nre_id = None
        if raw_id is None:
            self.cells.warn(row, "ID", "", "no case ID; a row-based ID was given")
            case_id = f"row-{row}"
        elif _NUMERIC_ID.fullmatch(raw_id):
            nre_id = int(raw_id.split(".")[0])
            case_id = str(nre_id)
        else:
            self.cells.warn(row, "ID", raw_id, f"'{_short(raw_id)}' is not a numeric case ID; kept as text")
            case_id = raw_id
        digest = _row_digest(cs[: self.width])
        if case_id in self.seen_ids:
            first, first_digest = self.seen_ids[case_id]
            if digest == first_digest:
                self.cells.warn(
                    row, "ID", raw_id, f"row {row} repeats row {first} exactly (case ID {case_id}); counted once"
                )
                return None
            self.cells.warn(
                row,
                "ID",
                raw_id,
                f"case ID {case_id} already appears at row {first} with other details; "
                f"kept as a separate case {case_id}-dup{row}",
            )
            case_id, nre_id = f"{case_id}-dup{row}", None
        self.seen_ids.setdefault(case_id, (row, digest))
        return case_id, nre_id

    def _record(self, row: int, cs: list, case_id: str, nre_id: int | None) -> dict:
        rec = {"case_id": case_id, "nre_id": nre_id, "source_row": row}
        for f, i, read, shown in self.reads:
            rec[f] = read(cs[i], row, shown)
        self._years(rec, row, cs)
        for f, i, shown in self.flags:
            rec[f] = self.cells.yes_no(cs[i], row, shown)
        if "tags" in self.available:
            rec["tags"] = self._tags(row, cs)
        state = rec.get("state")
        rec["federal"] = bool(state and state.startswith("Fed")) or "FED" in (rec.get("tags") or [])
        self._accountability(rec, row, cs)
        return rec

    def _years(self, rec: dict, row: int, cs: list) -> None:
        """Crime year and date, conviction and exoneration years, and whether exonerated before 1989."""
        cy = self.cells.year(cs[self.at("date of crime year")], row, "Date of Crime Year")
        rec["crime_year"] = cy
        rec["crime_date"] = _ymd(cy, cs[self.at("date of crime month")], cs[self.at("date of crime day")])
        for f in ("conviction", "exoneration"):
            d = rec.get(f"{f}_date")
            rec[f"{f}_year"] = d.year if d else None
        if "pre-1989" in self.ix:
            rec["pre_1989"] = self.cells.yes_no(cs[self.ix["pre-1989"]], row, "Pre-1989")
        if rec.get("pre_1989") is None and rec["exoneration_year"] is not None:
            rec["pre_1989"] = rec["exoneration_year"] < 1989

    def _tags(self, row: int, cs: list) -> list[str]:
        """`Case Characteristics` as the glossary's tag codes (a name it does not know is kept as written,
        with a warning), plus CV from the `Child Victim` column."""
        codes = []
        for t in _split(cs[self.at("case characteristics")], ";"):
            code = _TAG_CODES.get(t.lower())
            if code is None:
                self.cells.warn(
                    row,
                    "Case Characteristics",
                    t,
                    f"'{_short(t)}' is not a case characteristic this app knows; kept as written",
                )
            codes.append(code or t)
        if self.cells.yes_no(cs[self.at("child victim")], row, "Child Victim") and "CV" not in codes:
            codes.append("CV")
        return sorted(set(codes))

    def _accountability(self, rec: dict, row: int, cs: list) -> None:
        """Discipline, misconduct not connected to the conviction, prosecutors at trial, extreme judicial
        misconduct and how the conviction was obtained (columns of the full export only)."""
        for answers, i in self.answers:
            rec.update(answers.read(cs[i], row))
        if "judicial_misconduct" in self.available:
            i = self.ix["extreme judicial misconduct"]
            rec["judicial_misconduct"] = self.cells.yes_no(cs[i], row, self.header[i].strip())
        if "conviction_form" in self.available:
            i = self.ix["form of 1st conviction"]
            rec["conviction_form"] = self._form(cs[i], row, self.header[i].strip())

    def _form(self, v, row: int, shown: str) -> str | None:
        s = self.cells.text(v)
        if s is None:
            return None
        form = _FORMS.get(_answer_key(s))
        if form is None:
            self.cells.warn(
                row, shown, s, f"'{_short(s)}' is not a form of conviction this app knows; stored as not coded"
            )
        return form


def _parse_b(header, rows, cells: _Cells) -> tuple[_Builder, set[str]]:
    layout = _LayoutB(header, cells)
    return layout.parse(rows), layout.available


# Layout A fields read from one cell each: field → column (optional columns; see `_a_available`).
_A_COLUMNS = {
    "county": "county",
    "sex": "sex",
    "race": "race",
    "age": "age",
    "worst_crime": "worst crime display",
    "other_crimes": "list add'l crimes recode",
    "sentence": "sentence",
    "death_sentence": "sentence",
    "posting_date": "posting date",
    "tags": "tags",
    "dna_involved": "*",
    "release_date": "date of release",
}
# Conviction and exoneration: (kind, year column, date column, year column shown, date column shown).
_A_YEARS = (
    ("conviction", "convicted", "date of 1st conviction", "Convicted", "Date of 1st Conviction"),
    ("exoneration", "exonerated", "date of exoneration", "Exonerated", "Date of Exoneration"),
)


def _a_available(ix: dict[str, int]) -> set[str]:
    """The normalised fields a public spreadsheet with these columns provides."""
    has = ix.__contains__
    available = {"case_id", "name", "state", "federal", "source_row"}
    available.update(f for f, c in {**_A_COLUMNS, **_A_FACTORS}.items() if has(c))
    if has("om tags"):
        available.update(c.column for c in glossary.MISCONDUCT)
    if has("date of crime year") or has("occurred"):
        available.add("crime_year")
    if has("convicted") or has("date of 1st conviction"):
        available.add("conviction_year")
    if has("date of 1st conviction"):
        available.add("conviction_date")
    if has("exonerated") or has("date of exoneration"):
        available.update({"exoneration_year", "pre_1989"})
    if has("date of exoneration"):
        available.add("exoneration_date")
    return available


class _LayoutA:
    """Reads the rows of a public spreadsheet (layout A) into normalised records."""

    def __init__(self, header: list[str], cells: _Cells) -> None:
        self.ix = _index(header, _A_REQUIRED)
        self.header, self.cells, self.width = header, cells, len(header)
        self.has = self.ix.__contains__
        self.available = _a_available(self.ix)
        self.seen: dict[str, int] = {}

    def cell(self, cs: list, name: str):
        i = self.ix.get(name)
        return cs[i] if i is not None and i < len(cs) else None

    def parse(self, rows) -> _Builder:
        b = _Builder()
        for row, cs in rows:
            _check_width(row, cs, self.width)
            if not _blank_row(cs):
                b.add(self._record(row, cs))
        return b

    def _record(self, row: int, cs: list) -> dict:
        cells, cell, has = self.cells, self.cell, self.has
        last, first = cells.text(cell(cs, "last name")), cells.text(cell(cs, "first name"))
        if last and first and _canon(last) == "last name" and _canon(first) == "first name":
            _check_not_header_again(row, cs, self.header)
        sentence = cells.text(cell(cs, "sentence"))
        tags = [t.upper() for t in _split(cell(cs, "tags"), ";#")] if has("tags") else None
        rec = {
            "name": " ".join(p for p in (first, last) if p) or None,
            "state": cells.text(cell(cs, "state")),
            "county": cells.text(cell(cs, "county")),
            "sex": cells.text(cell(cs, "sex")),
            "race": _race(cells.text(cell(cs, "race"))),
            "age": cells.age(cell(cs, "age"), row, "Age"),
            "worst_crime": cells.text(cell(cs, "worst crime display")),
            "other_crimes": _split(cell(cs, "list add'l crimes recode"), ";#")
            if has("list add'l crimes recode")
            else None,
            "sentence": sentence,
            "death_sentence": (sentence or "").lower() == "death" if has("sentence") else None,
            "posting_date": cells.date(cell(cs, "posting date"), row, "Posting Date"),
            "release_date": cells.date(cell(cs, "date of release"), row, "Date of Release"),
            "tags": sorted(set(tags)) if tags is not None else None,
            "source_row": row,
        }
        self._years(rec, row, cs)
        self._codes(rec, cs, tags)
        rec["case_id"] = self._case_id(rec, row, last)
        return rec

    def _years(self, rec: dict, row: int, cs: list) -> None:
        """Crime, conviction and exoneration years (from full dates where the file has them)."""
        cells, cell, has = self.cells, self.cell, self.has
        if has("date of crime year"):
            rec["crime_year"] = cells.year(cell(cs, "date of crime year"), row, "Date of Crime Year")
        elif has("occurred"):
            rec["crime_year"] = cells.year(cell(cs, "occurred"), row, "Occurred")
        for kind, year_col, date_col, shown_y, shown_d in _A_YEARS:
            if has(date_col):
                d = cells.date(cell(cs, date_col), row, shown_d)
                rec[f"{kind}_date"] = d
                rec[f"{kind}_year"] = d.year if d else None
            if rec.get(f"{kind}_year") is None and has(year_col):
                rec[f"{kind}_year"] = cells.year(cell(cs, year_col), row, shown_y)
        if rec.get("exoneration_year") is not None:
            rec["pre_1989"] = rec["exoneration_year"] < 1989

    def _codes(self, rec: dict, cs: list, tags: list[str] | None) -> None:
        """Contributing factors (a cell holding its code), DNA involved, misconduct tags and federal."""
        for f, c in _A_FACTORS.items():
            if self.has(c):
                rec[f] = self.cells.text(self.cell(cs, c)) is not None
        if self.has("*"):
            rec["dna_involved"] = self.cells.text(self.cell(cs, "*")) is not None
        if self.has("om tags"):
            om_tags = {t.upper() for t in _split(self.cell(cs, "om tags"), ";#")}
            for c in glossary.MISCONDUCT:
                rec[c.column] = c.code in om_tags
        state = rec["state"]
        rec["federal"] = bool(state and state.startswith("Fed")) or "FED" in (tags or [])

    def _case_id(self, rec: dict, row: int, last: str | None) -> str:
        """A stable ID from name, place and dates (the public spreadsheet has no case ID)."""
        key = "|".join(
            str(rec.get(k) or "")
            for k in ("name", "state", "county", "worst_crime", "conviction_year", "exoneration_year", "posting_date")
        )
        case_id = "A-" + hashlib.sha1(key.encode()).hexdigest()[:10]
        if case_id in self.seen:
            self.cells.warn(
                row, "Last Name", last or "", f"same person, place and dates as row {self.seen[case_id]}; both kept"
            )
            case_id = f"{case_id}-{row}"
        self.seen.setdefault(case_id, row)
        return case_id


def _parse_a(header, rows, cells: _Cells) -> tuple[_Builder, set[str]]:
    layout = _LayoutA(header, cells)
    return layout.parse(rows), layout.available


def _race(r: str | None) -> str | None:
    if r is None:
        return None
    r = r.replace("’", "'")
    return {"Caucasian": "White", "Dont Know": "Don't Know"}.get(r, r)


def _ymd(year: int | None, month, day) -> dt.date | None:
    if not year:
        return None
    try:
        m, d = int(str(month).strip() or 0), int(str(day).strip() or 0)
        return dt.date(year, m, d) if m and d else None
    except (ValueError, TypeError, OverflowError):
        return None


LAYOUT_NAMES = {"A": "public spreadsheet (layout A)", "B": "full export (layout B)"}


def parse(data: bytes, file_name: str = "") -> Parsed:
    """Parse a registry export held in memory."""
    header, rows, encoding = read_table(data, file_name)
    layout = detect_layout(header)
    cells = _Cells()
    builder, available = (_parse_b if layout == "B" else _parse_a)(header, rows, cells)
    table = builder.table()
    if table.num_rows == 0:
        raise RegistryFileError("The file has a header but no cases: export the registry file again with its rows.")
    notes = []  # about the file as a whole, first
    if "posting_date" not in available:
        notes.append(
            Warning(None, None, None, "the file has no 'Posting Date' column, so as-of dates cannot be applied")
        )
    if encoding in ("Windows-1252", "Latin-1"):
        notes.append(Warning(None, None, None, f"read as {encoding} text (not UTF-8)"))
    more = cells.total - len(cells.warnings)
    warnings = [*notes, *cells.warnings]
    if more:
        warnings.append(
            Warning(
                None, None, None, f"{more:,} more row-level warnings (only the first {MAX_WARNINGS_KEPT:,} are listed)"
            )
        )
    return Parsed(
        layout=layout,
        layout_name=LAYOUT_NAMES[layout],
        table=table,
        available=frozenset(available),
        warnings=warnings,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        file_name=file_name,
        warning_count=len(notes) + cells.total if more else None,
    )


def parse_file(path: str | Path) -> Parsed:
    p = Path(path)
    try:
        if p.is_dir():
            raise RegistryFileError(f"{p} is a folder, not a file: give the path of the registry export.")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RegistryFileError(
                f"The file is {size / 1e6:.0f} MB, over the {MAX_FILE_BYTES / 1e6:.0f} MB limit: "
                "a registry export is a few MB, so check that this is the right file."
            )
        data = p.read_bytes()
    except FileNotFoundError:
        raise RegistryFileError(f"There is no file at {p}: check the path.") from None
    except PermissionError:
        raise RegistryFileError(f"{p} cannot be read (permission denied): check the file's permissions.") from None
    except OSError as e:
        raise RegistryFileError(f"{p} cannot be read ({e.strerror}): check the file.") from None
    return parse(data, p.name)
