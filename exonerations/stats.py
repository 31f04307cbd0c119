"""The headline figures for a set of filters, in the shape the `stats --json` command prints."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pandas as pd

from . import glossary
from .db import Registry
from .filters import Filters


def as_of_date(registry: Registry, filters: Filters) -> dt.date | None:
    """The date a figure is 'as of': the chosen date, else the newest posting date in the file."""
    if filters.as_of and registry.meta.has("posting_date"):
        return filters.as_of
    return registry.meta.posting_max


def stats(registry: Registry, filters: Filters, query: Callable[[str, dict], pd.DataFrame] | None = None) -> dict:
    """Counts for the filtered cases. A count the loaded layout cannot know is None (the accountability
    counts, prosecutors at trial and the form of conviction are in the full export only). `query` runs
    the `stats` query (the registry's own by default; the app passes its query cache, which the pages
    read the same row from)."""
    run = query or registry.query
    row = run("stats", filters.sql_params(registry.meta.has("posting_date"))).iloc[0]
    has = registry.meta.has

    def count(key: str, column: str) -> int | None:
        return int(row[key]) if has(column) else None

    as_of = as_of_date(registry, filters)
    years = row["years_lost"]
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "total": int(row["total"]),
        "factors": {c.key: count(c.key, c.column) for c in glossary.FACTORS},
        "misconduct": {c.key: count(c.key, c.column) for c in glossary.MISCONDUCT},
        "years_lost": (
            None
            if not has("years_lost")
            else 0.0
            if years is None or (isinstance(years, float) and math.isnan(years))
            else float(years)
        ),
        "accountability": {k: count(f"acc_{k}", "disc_any") for k in ACCOUNTABILITY_KEYS},
        "prosecutor_at_trial": {k: count(f"trial_{k}", "trial_any") for k in PROSECUTOR_AT_TRIAL_KEYS},
        "conviction_form": {c.key: count(f"form_{c.key}", "conviction_form") for c in glossary.CONVICTION_FORMS},
    }


# The keys of `stats()["accountability"]` (counts among the cases with official misconduct coded Yes;
# the last three partition `om_cases`) and of `stats()["prosecutor_at_trial"]` (over all the cases).
ACCOUNTABILITY_KEYS = (
    "om_cases",
    *(f"disciplined_{c.key}" for c in glossary.DISCIPLINE),
    *(c.key for c in glossary.DISCIPLINE_SUMMARY),
)
PROSECUTOR_AT_TRIAL_KEYS = ("improper_argument", "fraud_on_court", "knowingly_allowed_perjury", "any")


def share(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def pct(part: int | None, whole: int | None, digits: int = 1) -> str:
    s = share(part, whole)
    return "—" if s is None else f"{100 * s:.{digits}f}%"
