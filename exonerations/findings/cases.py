"""Cases: the filtered cases that match a text search, ordered by any column (in SQL, over every
matching case), a page at a time (paged in SQL), with every factor and kind of official misconduct
spelled out; the state of the list as URL parameters; and one case decoded field by field (the case
view, `/cases?case=<ID>`). Plain text only: the page escapes it where it shows it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import pandas as pd

from .. import fmt, glossary, tables
from .core import View, memoized, scope, source_line

TITLE = "Cases"
PAGE_SIZE = 100
FULL_DOWNLOAD_MAX = 50_000  # rows; above this the full download is not offered (use the SQL console or CLI)
MAX_SEARCH = 100  # characters
MAX_CASE_ID = 64  # characters of a case ID read from a link
SEARCH_LABEL = "Search"
SEARCH_HELP = "Finds the text anywhere in the name, state, county or worst crime (capitals and accents ignored)."
SEARCH_PLACEHOLDER = "A name, county, state or crime, e.g. Cook or robbery"
SORT_LABEL = "Sort all matching cases by"
SORT_HELP = "Orders every matching case, not only the rows on this page. Cases without a value come last."
ORDER_LABEL = "Order"
COLUMNS_HEADING = "What the columns mean"
CAVEAT = (
    "Yes means the registry coded it; a blank (—) means it is not coded, and a missing code does not prove "
    "it absent. “Played a role” is the registry's coding of a case, not a court finding."
)

# Link parameters of the list and of the case view (pages.py lists them for the Cases page).
Q, SORT, DIR, PAGE, CASE = "q", "sort", "dir", "page", "case"
URL_PARAMS = (Q, SORT, DIR, PAGE, CASE)

CASE_PAGE = "Case page"  # the registry's own page of the case (exonerationregistry.org/cases/<ID>)
DETAILS = "Details"  # this app's case view of the case (?case=<ID>)
CASE_PAGE_TEXT = "Registry ↗"  # what a link to the registry's case page reads
DETAILS_TEXT = "Details ↗"  # what a link to the case view reads
SQL_LABEL = "SQL behind this table"
CASE_PAGE_HELP = "The case's page on the registry's site, exonerationregistry.org (opens in a new tab)."
DETAILS_HELP = "Every field of the case, decoded, in this app (opens in a new tab)."

TEXT, NUMBER, YEAR, DATE, YES_NO = "text", "number", "year", "date", "yes_no"
# What "descending" and "ascending" mean for each kind of column (desc first, asc second).
_ORDER_WORDS = {
    TEXT: ("Z to A", "A to Z"),
    NUMBER: ("Largest first", "Smallest first"),
    YEAR: ("Latest first", "Earliest first"),
    DATE: ("Latest first", "Earliest first"),
    YES_NO: ("Yes first", "No first"),
}
DESC, ASC = "desc", "asc"
DIRECTIONS = (DESC, ASC)


@dataclass(frozen=True)
class Column:
    """A column of the case list: its `cases` column (also its sort key), its header, how it is shown
    and sorted, and its help text."""

    key: str
    label: str
    kind: str
    help: str = ""


def _actor(c: glossary.Code) -> str:
    return f"Misconduct by a {glossary.in_sentence(c.label)}"


COLUMNS: tuple[Column, ...] = (
    Column("name", "Name", TEXT, "As the registry writes it, first name first."),
    Column("state", "State", TEXT, "The state, or the federal jurisdiction (Fed-…)."),
    Column("county", "County", TEXT, "The county of the crime; for a federal case, the district."),
    Column("race", "Race", TEXT, "The exoneree's race, as the registry records it."),
    Column("sex", "Sex", TEXT),
    Column("age", "Age at the crime", NUMBER, "Blank where the registry does not know it."),
    Column("worst_crime", "Worst crime", TEXT, "The most serious crime the exoneree was convicted of."),
    Column("sentence", "Sentence", TEXT),
    Column("conviction_year", "Conviction year", YEAR, "Year of the first conviction."),
    Column("exoneration_year", "Exoneration year", YEAR),
    Column("posting_date", "Posting date", DATE, "When the registry posted the case (the as-of date counts by it)."),
    Column(
        "years_lost",
        "Years lost",
        NUMBER,
        "The registry's count of the years between the first conviction and release.",
    ),
    Column(glossary.DNA.column, glossary.DNA.label, YES_NO, glossary.DNA.definition),
    *(Column(c.column, c.label, YES_NO, "Contributing factor: " + c.definition) for c in glossary.CONTRIBUTING),
    *(Column(c.column, _actor(c), YES_NO, "Official misconduct: " + c.definition) for c in glossary.ACTORS),
    *(Column(c.column, c.label, YES_NO, "Official misconduct: " + c.definition) for c in glossary.KINDS),
)
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
DEFAULT_SORT, DEFAULT_DIR = "exoneration_year", DESC


# ---------------------------------------------------------------------------------------------
# The state of the list, as the URL carries it


@dataclass(frozen=True)
class ListState:
    """What the list shows: the search, the sort column and direction, and the page (from 1)."""

    search: str | None = None
    sort: str = DEFAULT_SORT
    direction: str = DEFAULT_DIR
    page: int = 1

    def params(self) -> dict[str, str]:
        """Its URL parameters, without the defaults: {'q': 'smith', 'sort': 'years_lost', 'page': '2'}."""
        out = {Q: self.search or "", SORT: self.sort, DIR: self.direction, PAGE: str(self.page)}
        default = {Q: "", SORT: DEFAULT_SORT, DIR: DEFAULT_DIR, PAGE: "1"}
        return {k: value for k, value in out.items() if value != default[k]}


def _one(params: Mapping[str, object], key: str) -> str | None:
    value = params.get(key)
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    return None if value is None else str(value)


def search_text(text: str | None) -> str | None:
    """The search as the query takes it: trimmed, at most MAX_SEARCH characters, None for none."""
    text = (text or "").strip()[:MAX_SEARCH]
    return text or None


def list_state(params: Mapping[str, object]) -> ListState:
    """The list's state from URL parameters. An unknown column, direction or page falls back to the
    default; this never raises."""
    sort, direction, page = _one(params, SORT), _one(params, DIR), _one(params, PAGE) or ""
    return ListState(
        search=search_text(_one(params, Q)),
        sort=sort if sort in BY_KEY else DEFAULT_SORT,
        direction=direction if direction in DIRECTIONS else DEFAULT_DIR,
        page=int(page) if page.isascii() and page.isdigit() and 0 < len(page) <= 6 and int(page) > 0 else 1,
    )


def case_param(params: Mapping[str, object]) -> str | None:
    """The case ID a link asks for (`case=`), trimmed and clipped; None when there is none."""
    value = (_one(params, CASE) or "").strip()[:MAX_CASE_ID]
    return value or None


# ---------------------------------------------------------------------------------------------
# The list


def columns(v: View) -> tuple[Column, ...]:
    """The list's columns the file has (the public spreadsheet has no years lost, for example)."""
    return tuple(c for c in COLUMNS if c.key == "name" or v.has(c.key))


def sorts(v: View) -> dict[str, str]:
    """The columns the list can be sorted by: key → header."""
    return {c.key: c.label for c in columns(v)}


def direction_label(sort: str, direction: str) -> str:
    """'Latest first', 'A to Z', 'Yes first' — what a direction means for the chosen column."""
    words = _ORDER_WORDS[BY_KEY.get(sort, BY_KEY[DEFAULT_SORT]).kind]
    return words[0] if direction == DESC else words[1]


def natural_direction(sort: str) -> str:
    """The order a column is first shown in: A to Z for text, largest, latest or Yes first otherwise."""
    return ASC if BY_KEY.get(sort, BY_KEY[DEFAULT_SORT]).kind == TEXT else DESC


@memoized
def count(v: View, search: str | None) -> int:
    """How many filtered cases match the search."""
    return int(v.query("cases_table_count", search=search).iloc[0]["matching"])


def _sql_sort(v: View, sort: str, direction: str) -> dict:
    key = sort if sort in sorts(v) else DEFAULT_SORT
    return {"sort": key, "descending": direction != ASC}


@memoized  # shaping a page of rows (readable Yes/No, links) costs about 50 ms: a warm rerun only draws
def page(
    v: View,
    state: ListState,
    offset: int,
    limit: int = PAGE_SIZE,
    details: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """One page of the matching cases (rows offset+1 … offset+limit), in the chosen order over every
    matching case, as the table and its CSV show them. With `details` (the URL parameters to keep: the
    filters and the list's state), a column of links to each case's view in this app."""
    rows = v.query(
        "cases_table", search=state.search, **_sql_sort(v, state.sort, state.direction), limit=limit, offset=offset
    )
    return shaped(v, rows, details)


def shaped(v: View, rows: pd.DataFrame, details: Mapping[str, object] | None = None) -> pd.DataFrame:
    """`cases_table` rows with readable headers: Yes / No / blank (not coded) for the factors and
    misconduct, the registry's case page where the file has case IDs, and the case view's link."""
    out = pd.DataFrame(index=rows.index)
    for c in columns(v):
        out[c.label] = _values(rows[c.key], c.kind)
        if c.key == "name":
            if v.has("nre_id"):
                out[CASE_PAGE] = tables.case_urls(rows["nre_id"])
            if details is not None:
                out[DETAILS] = case_links(rows["case_id"], details)
    return out.reset_index(drop=True)


def _values(s: pd.Series, kind: str) -> pd.Series:
    if kind == YES_NO:
        return tables.yes_no(s)
    if kind == YEAR:
        return s.astype("Int64")
    if kind == DATE:
        return tables.dates(s)
    if kind == NUMBER and s.dropna().mod(1).eq(0).all():
        return s.astype("Int64")
    return s


def case_links(case_ids: pd.Series, keep: Mapping[str, object]) -> list[str]:
    """Each case's view in this app, relative to the Cases page: '?case=10214&q=smith&state=Illinois'."""
    rest = {k: value for k, value in keep.items() if k != CASE}
    return ["?" + urlencode({CASE: str(i), **rest}, doseq=True) for i in case_ids]


def csv_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as a CSV holds them: the table's columns but the app's own (relative) case-view link."""
    return rows.drop(columns=[DETAILS], errors="ignore")


def all_rows(v: View, state: ListState, n: int) -> pd.DataFrame:
    """Every matching case (`n` of them), in the table's order. Asks the registry itself, not the
    view's query function: a download builds it when clicked, outside a page run."""
    direct = replace(v, query_fn=None, stats_fn=None)
    return page(direct, state, 0, limit=max(n, 1))


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


def order_words(v: View, state: ListState) -> str:
    """'sorted by years lost, largest first'."""
    label = sorts(v).get(state.sort, BY_KEY[DEFAULT_SORT].label)
    words = direction_label(state.sort, state.direction)
    if BY_KEY.get(state.sort, BY_KEY[DEFAULT_SORT]).kind != TEXT:  # "A to Z" keeps its capitals
        words = words.lower()
    return f"sorted by {glossary.in_sentence(label)}, {words}"


def table_notes(v: View, shown: int) -> str:
    notes = [
        f"“{SORT_LABEL}” orders every matching case; a click on a column header re-sorts only the "
        f"{shown:,} rows on this page.",
        "Yes / No: the registry's coding; —: not coded, or not recorded (an unknown age, for example).",
        "DNA evidence says how a case was resolved; it is not one of the six contributing factors.",
    ]
    if not v.has("years_lost"):
        notes.append("Years lost: not in this file.")
    if not v.has("nre_id"):
        notes.append("This file has no registry case IDs, so there are no links to the registry's case pages.")
    return " ".join(notes)


def download_caption(v: View, state: ListState) -> str:
    """What the CSV files hold, said beside them (the files hold the rows only, with no lines above)."""
    search = f"; search “{state.search}”" if state.search else ""
    return (
        "The CSV files hold the rows with the table's columns (the registry's case pages, not this app's "
        f"Details links), and no lines above the header. {source_line(v)}"
        f"{search}; {order_words(v, state)}. An empty cell: not coded, or not recorded."
    )


def _slug(text: str, n: int = 40) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:n].strip("-")


def file_name(stub: str, state: ListState, rows: tuple[int, int] | None = None) -> str:
    """'exonerations-cases-2026-06-25-new-york-search-smith-years-lost-desc-rows-101-200.csv': the
    download named after the filters and date (`stub`), the search, the order and the rows."""
    parts = [stub]
    if state.search and _slug(state.search):
        parts.append("search-" + _slug(state.search))
    parts.append(f"{_slug(state.sort)}-{state.direction}")
    parts.append(f"rows-{rows[0]}-{rows[1]}" if rows else "all")
    return "-".join(parts) + ".csv"


def page_label(offset: int, shown: int) -> str:
    return f"This page as CSV (rows {offset + 1:,}–{offset + shown:,})"


def all_label(n: int) -> str:
    return f"All {n:,} matching cases as CSV"


def too_many(n: int) -> str:
    return (
        f"A download of all {n:,} matching cases is offered up to {FULL_DOWNLOAD_MAX:,} rows, to keep the app "
        "responsive for everyone: narrow the filters (a state, a span of years) or the search, then download. "
        "Every case is in the registry file itself."
    )


def columns_text(v: View) -> tuple[str, ...]:
    """What the list's Yes/No columns mean, one paragraph per group."""
    names = [glossary.in_sentence(c.label) for c in glossary.ACTORS]
    actors = ", ".join(names[:-1]) + " or " + names[-1]
    return (
        f"{glossary.DNA.label} — {glossary.DNA.definition}",
        "The six contributing factors (what contributed to the wrongful conviction) — "
        + " ".join(f"{c.label}: {c.definition}" for c in glossary.CONTRIBUTING),
        f"Official misconduct, who — the “Misconduct by a …” columns say whether a {actors} committed official "
        "misconduct in the case.",
        "Official misconduct, what was done — " + " ".join(f"{c.label}: {c.definition}" for c in glossary.KINDS),
        CAVEAT,
    )


# ---------------------------------------------------------------------------------------------
# One case


@dataclass(frozen=True)
class Section:
    """A part of the case view: its heading, (field, value) rows and a note under them."""

    heading: str
    rows: tuple[tuple[str, str], ...]
    note: str = ""
    header: tuple[str, str] = ("Field", "Value")

    @property
    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=list(self.header))


NOT_CODED = "Not coded"
NOT_RECORDED = "Not recorded"
NOT_IN_FILE = "Not in this file"
BACK = "Back to the list"
ACCOUNTABILITY_HEADING = "Accountability and conduct"
REGISTRY_LINK = "This case on the registry's site"


def case(v: View, case_id: str) -> dict | None:
    """Every column of the case with this ID (whatever the filters), or None when there is none."""
    rows = v.query("case_detail", case_id=case_id)
    return None if rows.empty else rows.iloc[0].to_dict()


def unknown_case(case_id: str) -> str:
    return (
        f"No case has the ID “{fmt.clip(case_id, 40)}” in this file: check the link, or go back to the list "
        "and search for the case by name."
    )


def case_url(row: Mapping) -> str | None:
    """The registry's page of the case; None when the file has no case IDs."""
    nre = row.get("nre_id")
    return None if fmt.missing(nre) else tables.CASE_URL.format(int(nre))


def case_title(row: Mapping) -> str:
    return str(row.get("name") or "Unnamed case")


def case_summary(row: Mapping) -> str:
    """'Cook County, Illinois · murder · convicted 1990 · exonerated 2003 · 12.4 years lost'."""
    place = ", ".join(str(x) for x in (row.get("county"), row.get("state")) if not fmt.missing(x) and str(x))
    parts = [
        place,
        glossary.in_sentence(str(row["worst_crime"])) if not fmt.missing(row.get("worst_crime")) else "",
        f"convicted {int(row['conviction_year'])}" if not fmt.missing(row.get("conviction_year")) else "",
        f"exonerated {int(row['exoneration_year'])}" if not fmt.missing(row.get("exoneration_year")) else "",
        f"{fmt.years(row['years_lost'])} years lost" if not fmt.missing(row.get("years_lost")) else "",
    ]
    return " · ".join(p for p in parts if p)


def case_notes(v: View, row: Mapping) -> tuple[str, ...]:
    """Sentences under the case's title: how it is coded, and where it stands against the sidebar."""
    notes = ["Shown as the registry codes it in this file, whatever the sidebar's filters."]
    posted = row.get("posting_date")
    if not fmt.missing(posted) and v.as_of_date and pd.Timestamp(posted).date() > v.as_of_date:
        notes.append(f"The registry posted it after the sidebar's as-of date ({v.as_of}).")
    return tuple(notes)


# Decoding a case's fields, each (label, column, kind). A column the file does not have reads "Not in
# this file"; an empty cell "Not recorded" (a fact) or "Not coded" (a Yes/No the registry left blank).
_ID, _DATE_OR_YEAR, _LIST, _FORM, _YEARS = "id", "date_or_year", "list", "form", "years"


def _value(v: View, row: Mapping, column: str, kind: str = TEXT) -> str:
    if not v.has(column):
        return NOT_IN_FILE
    x = row.get(column)
    if kind == YES_NO:
        return NOT_CODED if fmt.missing(x) else ("Yes" if bool(x) else "No")
    if kind == _LIST:
        items = [str(i) for i in (x if x is not None and not isinstance(x, str) else [x] if x else [])]
        return "; ".join(items) if items else "None listed"
    if fmt.missing(x) or str(x) == "":
        return "Unknown" if column == "age" else NOT_RECORDED
    if kind in (_ID, YEAR):
        return str(int(x))
    if kind == _YEARS:
        return fmt.years(x)
    if kind == _FORM:
        forms = {c.key: c.label for c in glossary.CONVICTION_FORMS}
        return forms.get(str(x), str(x))
    return fmt.cell(x)


def _date_or_year(v: View, row: Mapping, date: str, year: str) -> str:
    """The full date where the file has it, else the year."""
    if v.has(date) and not fmt.missing(row.get(date)):
        return _value(v, row, date, DATE)
    return _value(v, row, year, YEAR)


def _identity(v: View, row: Mapping) -> Section:
    ident = (
        ("Registry case ID", _value(v, row, "nre_id", _ID))
        if v.has("nre_id")
        else ("Case key (this app's: the file has no registry case IDs)", _value(v, row, "case_id"))
    )
    return Section(
        "The case",
        (
            ("Name", _value(v, row, "name")),
            ident,
            ("State or jurisdiction", _value(v, row, "state")),
            ("County (or federal district)", _value(v, row, "county")),
            ("Federal case", _value(v, row, "federal", YES_NO)),
            ("Sex", _value(v, row, "sex")),
            ("Race", _value(v, row, "race")),
            ("Age at the crime", _value(v, row, "age", NUMBER)),
        ),
    )


def _conviction(v: View, row: Mapping) -> Section:
    return Section(
        "Crime, conviction and sentence",
        (
            ("Worst crime", _value(v, row, "worst_crime")),
            ("Other crimes", _value(v, row, "other_crimes", _LIST)),
            ("Crime", _date_or_year(v, row, "crime_date", "crime_year")),
            ("First conviction", _date_or_year(v, row, "conviction_date", "conviction_year")),
            ("Form of conviction", _value(v, row, "conviction_form", _FORM)),
            ("Sentence", _value(v, row, "sentence")),
            ("Sentenced to death", _value(v, row, "death_sentence", YES_NO)),
        ),
    )


def _exoneration(v: View, row: Mapping) -> Section:
    return Section(
        "Exoneration",
        (
            ("Exoneration", _date_or_year(v, row, "exoneration_date", "exoneration_year")),
            ("Release", _value(v, row, "release_date", DATE)),
            ("Years lost", _value(v, row, "years_lost", _YEARS)),
            ("Exonerated before 1989", _value(v, row, "pre_1989", YES_NO)),
            ("Part of a group exoneration", _value(v, row, "group_exoneration", YES_NO)),
            ("Posted by the registry", _value(v, row, "posting_date", DATE)),
            ("Last updated by the registry", _value(v, row, "last_update_date", DATE)),
            ("Row in the imported file", _value(v, row, "source_row", _ID)),
        ),
        "Years lost: the registry's count of the years between the first conviction and release.",
    )


def _coded(v: View, row: Mapping, heading: str, codes, note: str, label=lambda c: c.label) -> Section:
    return Section(heading, tuple((label(c), _value(v, row, c.column, YES_NO)) for c in codes), note)


def _tags(v: View, row: Mapping) -> Section:
    known = {c.code: c for c in glossary.TAGS}
    if not v.has("tags"):
        rows: tuple[tuple[str, str], ...] = (("Tags", NOT_IN_FILE),)
    else:
        tags = [str(t) for t in (row.get("tags") if row.get("tags") is not None else [])]
        rows = tuple(
            (known[t].label, known[t].definition)
            if t in known
            else (t, "A tag the glossary does not list, as written.")
            for t in tags
        ) or (("Tags", "None"),)
    return Section("Case tags", rows, "The registry's tags of the case, spelled out.", ("Tag", "What it means"))


def _discipline(v: View, row: Mapping) -> Section:
    x = row.get("disc_any")
    summary = NOT_CODED if fmt.missing(x) else ("Yes" if x else glossary.DISCIPLINE_SUMMARY[1].label)
    rows = tuple((c.label, _value(v, row, c.column, YES_NO)) for c in glossary.DISCIPLINE)
    return Section(
        "Discipline of officials",
        ((glossary.DISCIPLINE_SUMMARY[0].label, summary), *rows),
        "Coded per case, not per official. No discipline known to the registry is not proof that none happened.",
    )


def _any(v: View, row: Mapping, column: str) -> tuple[str, str]:
    return ("Any of these", _value(v, row, column, YES_NO))


def case_accountability(v: View, row: Mapping) -> tuple[Section, ...]:
    """The full export's accountability columns, where the file has them (none in the public spreadsheet)."""
    out = []
    if v.has("disc_any"):
        out.append(_discipline(v, row))
    if v.has("omnc_any"):
        s = _coded(v, row, "Official misconduct that did not cause the conviction", glossary.NOT_CONNECTED, "")
        out.append(replace(s, rows=(*s.rows, _any(v, row, "omnc_any"))))
    if v.has("trial_any"):
        s = _coded(v, row, "A prosecutor's misconduct at trial", glossary.PROSECUTOR_AT_TRIAL, "")
        out.append(replace(s, rows=(*s.rows, _any(v, row, "trial_any"))))
    if v.has("judicial_misconduct"):
        x = row.get("judicial_misconduct")
        value = NOT_CODED if fmt.missing(x) else ("Yes" if x else "No or don't know")
        out.append(
            Section(
                "Judicial misconduct",
                ((glossary.JUDICIAL_MISCONDUCT.label, value),),
                glossary.JUDICIAL_MISCONDUCT.definition,
            )
        )
    return tuple(out)


def case_facts(v: View, row: Mapping) -> tuple[Section, ...]:
    """Who, where, what and when: the case's facts as the file records them, and its tags spelled out."""
    return (_identity(v, row), _conviction(v, row), _exoneration(v, row), _tags(v, row))


_DNA_INVOLVED = glossary.Code("dna_involved", "*", "DNA involved but not substantial", "")


def case_coding(v: View, row: Mapping) -> tuple[Section, ...]:
    """The registry's coding of the case: the six contributing factors, DNA apart (how the case was
    resolved), and who committed official misconduct and what they did."""
    dna = (glossary.DNA, _DNA_INVOLVED) if v.has("dna_involved") else (glossary.DNA,)
    factors_note = (
        "What contributed to the wrongful conviction, as the registry codes it: Yes means the registry coded it; "
        "Not coded means it left the field blank, and a missing code does not prove it absent."
    )
    return (
        _coded(v, row, "Contributing factors", glossary.CONTRIBUTING, factors_note),
        _coded(v, row, "DNA", dna, glossary.DNA.definition),
        _coded(v, row, "Official misconduct: who", glossary.ACTORS, "", label=_actor),
        _coded(v, row, "Official misconduct: what", glossary.KINDS, ""),
    )


def case_sections(v: View, row: Mapping) -> tuple[Section, ...]:
    """Every field of the case, decoded with the glossary's words, in sections."""
    return (*case_facts(v, row), *case_coding(v, row), *case_accountability(v, row))


def accountability_note(v: View) -> str | None:
    """Said when the file lacks the full export's accountability columns."""
    if v.has("disc_any"):
        return None
    return (
        "This file does not have the registry's accountability columns (discipline of officials, misconduct "
        "that did not cause the conviction, misconduct at trial, judicial misconduct): they are in the full export only."
    )
