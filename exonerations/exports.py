"""Downloads: CSV and XLSX bytes with spreadsheet formula injection neutralised."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

# A cell a spreadsheet would read as a formula (or DDE command) starts with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _is_list(v) -> bool:
    return isinstance(v, list | tuple | np.ndarray)


def _cell(v):
    """A list cell (list, tuple or the numpy array DuckDB returns) joined with '; ', then neutralised."""
    if _is_list(v):
        return neutralise("; ".join("" if x is None else str(x) for x in v))
    if isinstance(v, dict):
        return neutralise(str(v))
    return neutralise(v)


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of `df` whose text cells, list cells and header names cannot run as formulas; numbers stay
    numbers."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if s.dtype == object or pd.api.types.is_string_dtype(s) or isinstance(s.dtype, pd.CategoricalDtype):
            out[col] = s.astype(object).map(_cell)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv(df: pd.DataFrame, preamble: list[str] | None = None) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads accents) of `df`, formula-safe. `preamble` lines (source,
    as-of date, filters) go first, each as a one-cell row prefixed with '# '. Lines end with CRLF, so
    any cell holding a line break (CR or LF) is quoted and cannot start a row of its own."""
    buf = io.StringIO()
    for line in preamble or []:
        buf.write('"# ' + str(line).replace('"', '""') + '"\r\n')
    safe_frame(df).to_csv(buf, index=False, lineterminator="\r\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(df: pd.DataFrame, sheet: str = "data", preamble: list[str] | None = None) -> bytes:
    """An XLSX workbook of `df`, formula-safe (no cell is ever a formula). Time-zone-aware timestamps,
    which Excel cannot hold, are written in UTC."""
    df = df.copy()
    for col in df.columns:
        if isinstance(df[col].dtype, pd.DatetimeTZDtype):
            df[col] = df[col].dt.tz_convert("UTC").dt.tz_localize(None)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        start = 0
        if preamble:
            pd.DataFrame({"": [neutralise(p) for p in preamble]}).to_excel(
                xw, sheet_name=sheet, index=False, header=False
            )
            start = len(preamble) + 1
        safe_frame(df).to_excel(xw, sheet_name=sheet, index=False, startrow=start)
    return buf.getvalue()
