"""Cases: the filtered cases that match a text search, in a chosen order, a page at a time (paged in
SQL), with what the table shows and the lines heading its CSV downloads."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from .. import glossary, tables
from .core import View, scope

TITLE = "Cases"
PAGE_SIZE = 100
FULL_DOWNLOAD_MAX = 50_000  # rows; above this the full download is not offered (use the SQL console or CLI)
MAX_SEARCH = 100  # characters
SORTS = {
    "exoneration_year desc": "Year of exoneration, newest first",
    "exoneration_year asc": "Year of exoneration, oldest first",
    "years_lost desc": "Years lost, most first",
    "name asc": "Name, A–Z (first name first, as the registry writes it)",
    "state asc": "State, A–Z",
    "county asc": "County, A–Z",
    "worst_crime asc": "Worst crime, A–Z",
}
DEFAULT_SORT = "exoneration_year desc"
SEARCH_HELP = "Finds the text anywhere in the name, state, county or worst crime (capitals and accents ignored)."
SEARCH_PLACEHOLDER = "A name, county, state or crime, e.g. Cook or robbery"
CODES_HEADING = "What the codes mean"
CAVEAT = "A code means the registry recorded it; a missing code does not prove it absent."


def search_text(text: str | None) -> str | None:
    """The search as the query takes it: trimmed, at most MAX_SEARCH characters, None for none."""
    text = (text or "").strip()[:MAX_SEARCH]
    return text or None


def _sort(sort: str) -> dict:
    key, direction = (sort if sort in SORTS else DEFAULT_SORT).split()
    return {"sort": key, "descending": direction == "desc"}


def count(v: View, search: str | None) -> int:
    """How many filtered cases match the search."""
    return int(v.query("cases_table_count", search=search).iloc[0]["matching"])


def shaped(v: View, rows: pd.DataFrame) -> pd.DataFrame:
    return tables.case_rows(rows, v.has("nre_id"), v.has("years_lost"))


def page(v: View, search: str | None, sort: str, offset: int, limit: int = PAGE_SIZE) -> pd.DataFrame:
    """One page of the matching cases (rows offset+1 … offset+limit), shaped for the table and its CSV."""
    rows = v.query("cases_table", search=search, **_sort(sort), limit=limit, offset=offset)
    return shaped(v, rows)


def all_rows(v: View, search: str | None, sort: str, n: int) -> pd.DataFrame:
    """Every matching case (`n` of them), in the table's order. Asks the registry itself, not the
    view's query function: a download builds it when clicked, outside a page run."""
    direct = replace(v, query_fn=None, stats_fn=None)
    return page(direct, search, sort, 0, limit=max(n, 1))


def no_match(search: str | None) -> str:
    if search:
        return "No cases match these filters and this search. Widen the filters in the sidebar, or change the search."
    return "No cases match these filters. Widen them in the sidebar, or press Reset filters."


def _scope(v: View) -> str:
    s = scope(v.filters)
    return f"posted by {v.as_of}" + (f" ({s})" if s else "")


def showing(v: View, n: int, offset: int, shown: int, search: str | None) -> str:
    """'Showing rows 1–100 of 3,835 cases — exonerations posted by 2026-06-25 (1989 to the present).'"""
    found = f"{n:,} case{'s' if n != 1 else ''}" + (" matching the search" if search else "")
    return f"Showing rows {offset + 1:,}–{offset + shown:,} of {found} — exonerations {_scope(v)}."


def table_notes(v: View, shown: int) -> str:
    notes = [
        "“Sort all matching cases by” orders every matching case; clicking a column header re-sorts only the "
        f"{shown:,} rows on this page."
    ]
    if not v.has("years_lost"):
        notes.append("Years lost: not in this file.")
    if not v.has("nre_id"):
        notes.append("This file has no registry case IDs, so there are no links to the registry's case pages.")
    return " ".join(notes)


def preamble(v: View, search: str | None, sort: str) -> list[str]:
    """The lines heading a CSV of cases: source, scope, search and order."""
    demo = " — SYNTHETIC DEMO DATA, not real cases" if v.is_demo else ""
    return [
        f"Source: {glossary.SOURCE}{demo}",
        f"Exonerations {_scope(v)}"
        + (f"; search: {search}" if search else "")
        + f"; sorted by {SORTS.get(sort, SORTS[DEFAULT_SORT]).lower()}",
    ]


def page_label(offset: int, shown: int) -> str:
    return f"This page as CSV (rows {offset + 1:,}–{offset + shown:,})"


def page_rows_line(n: int, offset: int, shown: int) -> str:
    return f"Rows {offset + 1}-{offset + shown} of {n}"


def all_label(n: int) -> str:
    return f"All {n:,} matching cases as CSV"


def too_many(n: int) -> str:
    return (
        f"A download of all {n:,} matching cases is offered up to {FULL_DOWNLOAD_MAX:,} rows, to keep the app "
        "responsive for everyone: narrow the filters (a state, a span of years) or the search, then download. "
        "Every case is in the registry file itself."
    )


def code_help(codes) -> str:
    """A column's codes, for its help text: 'OF: Police officer; PR: Prosecutor; …'."""
    return "; ".join(f"{c.code}: {c.label}" for c in codes)


def codes_text() -> tuple[str, ...]:
    """What the table's codes mean, one paragraph per column."""
    return (
        "Contributing factors — " + "; ".join(f"{c.code} {c.label}" for c in glossary.CONTRIBUTING) + ".",
        f"DNA — {glossary.DNA.definition}",
        "Official misconduct — " + "; ".join(f"{c.code} {c.label}" for c in glossary.MISCONDUCT) + ".",
        CAVEAT,
    )
