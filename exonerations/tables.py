"""Shaping case rows for tables and downloads: registry case-page links, Yes/No cells, dates and joined
code columns."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .glossary import CONTRIBUTING, DNA, MISCONDUCT, Code

CASE_URL = "https://exonerationregistry.org/cases/{}"  # the registry's case page, by its case ID


def case_urls(nre_ids: pd.Series) -> list[str | None]:
    """The registry's case page for each NRE case ID (None where the file has no ID)."""
    return [CASE_URL.format(int(i)) if pd.notna(i) else None for i in nre_ids]


def yes_no(values: pd.Series) -> pd.Series:
    """A BOOLEAN column as a reader and a spreadsheet read it: "Yes", "No", or None where it is not coded."""
    out = np.full(len(values), None, dtype=object)
    known = values.notna().to_numpy()
    out[known] = np.where(values[known].astype(bool).to_numpy(), "Yes", "No")
    return pd.Series(out, index=values.index, dtype=object)


def dates(values: pd.Series) -> pd.Series:
    """A DATE column as dates without a time (None where there is none): the table shows them as dates and
    a CSV writes them as 2026-06-25."""
    stamps = pd.to_datetime(values)
    return pd.Series([None if pd.isna(d) else d.date() for d in stamps], index=values.index, dtype=object)


def joined_codes(df: pd.DataFrame, codes: Iterable[Code]) -> pd.Series:
    """The registry's codes of each row's true BOOLEAN columns, joined with ", " (e.g. "OF, WH, NW")."""
    out = np.full(len(df), "", dtype=object)
    for c in codes:
        mask = df[c.column].fillna(False).astype(bool).to_numpy()
        out = np.where(mask, np.where(out == "", c.code, out + ", " + c.code), out)
    return pd.Series(out, index=df.index, dtype=object)


def case_rows(
    rows: pd.DataFrame, has_links: bool, has_years: bool, state: bool = True, factors: bool = True
) -> pd.DataFrame:
    """`cases_table` rows as a table (and its CSV) shows them: name, the registry's case page, place,
    worst crime, year of exoneration, years lost, the contributing factors' codes (with DNA, how the
    case was resolved, in a column of its own) and the official-misconduct codes."""
    out = pd.DataFrame({"Name": rows["name"]})
    if has_links:
        out["Case page"] = case_urls(rows["nre_id"])
    if state:
        out["State"] = rows["state"]
    out["County"] = rows["county"]
    out["Worst crime"] = rows["worst_crime"]
    out["Exonerated"] = rows["exoneration_year"].astype("Int64")
    if has_years:
        out["Years lost"] = rows["years_lost"]
    if factors:
        out["Contributing factors"] = joined_codes(rows, CONTRIBUTING)
        out["DNA"] = joined_codes(rows, (DNA,))
    out["Official misconduct"] = joined_codes(rows, MISCONDUCT)
    return out.reset_index(drop=True)
