"""Downloads: CSV and XLSX bytes with spreadsheet formula injection neutralised."""

from __future__ import annotations

import io

import pandas as pd

# A cell a spreadsheet would read as a formula (or DDE command) starts with one of these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: neutralise("; ".join(map(str, v))) if isinstance(v, list | tuple)
                                    else neutralise(v))
        elif out[col].map(lambda v: isinstance(v, list | tuple)).any():
            out[col] = out[col].map(lambda v: neutralise("; ".join(map(str, v))) if isinstance(v, list | tuple) else v)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv(df: pd.DataFrame, preamble: list[str] | None = None) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads accents) of `df`, formula-safe. `preamble` lines (source,
    as-of date, filters) go first, each as a one-cell row prefixed with '# '."""
    buf = io.StringIO()
    for line in preamble or []:
        buf.write('"# ' + neutralise(line).replace('"', '""') + '"\n')
    safe_frame(df).to_csv(buf, index=False)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(df: pd.DataFrame, sheet: str = "data", preamble: list[str] | None = None) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        start = 0
        if preamble:
            pd.DataFrame({"": [neutralise(p) for p in preamble]}).to_excel(xw, sheet_name=sheet, index=False, header=False)
            start = len(preamble) + 1
        safe_frame(df).to_excel(xw, sheet_name=sheet, index=False, startrow=start)
    return buf.getvalue()
