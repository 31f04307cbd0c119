"""Shaping case rows for tables and downloads: registry case-page links and joined code columns."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .glossary import Code

CASE_URL = "https://www.law.umich.edu/special/exoneration/Pages/casedetail.aspx?caseid={}"


def case_urls(nre_ids: pd.Series) -> list[str | None]:
    """The registry's case page for each NRE case ID (None where the file has no ID)."""
    return [CASE_URL.format(int(i)) if pd.notna(i) else None for i in nre_ids]


def joined_codes(df: pd.DataFrame, codes: Iterable[Code]) -> pd.Series:
    """The registry's codes of each row's true BOOLEAN columns, joined with ", " (e.g. "OF, WH, NW")."""
    out = np.full(len(df), "", dtype=object)
    for c in codes:
        mask = df[c.column].fillna(False).astype(bool).to_numpy()
        out = np.where(mask, np.where(out == "", c.code, out + ", " + c.code), out)
    return pd.Series(out, index=df.index, dtype=object)
