"""What every finding shares: the view it is computed for (registry, filters, date), how a denominator,
a scope and a source line are worded, the cautions, and the shapes a page displays (a headline, a chart).

Everything here is plain text: the pages, the deck and the fact sheet escape it for where they show it."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from .. import fmt, glossary, style
from ..charts import Caption
from ..db import Meta, Registry
from ..filters import Filters
from ..stats import stats as compute_stats

QueryFn = Callable[[str, dict], pd.DataFrame]
StatsFn = Callable[[Filters], dict]

DEMO_MARK = "SYNTHETIC DEMO DATA — not real cases"
NO_CASES = "No cases match these filters. Widen them in the sidebar, or press Reset filters."
DEFAULT_PERIOD = "1989 to the present"


class Store:
    """A bounded, thread-safe map of computed findings (the least recently used go first)."""

    def __init__(self, maxsize: int = 600):
        self.maxsize = maxsize
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        return None

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.maxsize:
                self.items.popitem(last=False)


def memoized(fn: Callable) -> Callable:
    """A finding computed once per data file, date, filters and arguments, when the view has a store (the
    app's: a warm rerun then only draws). Its result is shared: never change it."""

    @functools.wraps(fn)
    def wrapper(v: View, *args, **kwargs):
        if v.store is None:
            return fn(v, *args, **kwargs)
        key = (
            fn.__module__,
            fn.__qualname__,
            repr(v.filters.without_notices()),
            repr(args),
            repr(sorted(kwargs.items())),
        )
        found = v.store.get(key)
        if found is None:
            found = (fn(v, *args, **kwargs),)
            v.store.put(key, found)
        value = found[0]  # a shared chart or headline is read-only; mutable results are copied
        if isinstance(value, pd.DataFrame):
            return value.copy()
        return copy.deepcopy(value) if isinstance(value, dict | list) else value

    return wrapper


@dataclass(frozen=True)
class View:
    """The figures' context: the registry, the filters, how to ask a query (the app passes its cached
    functions; the command line the registry's own), and today's date (for the age of the data)."""

    registry: Registry
    filters: Filters = field(default_factory=Filters)
    query_fn: QueryFn | None = None
    stats_fn: StatsFn | None = None
    today: dt.date | None = None
    # Findings already computed for this data and date, shared by the runs and sessions of the app
    # (`memoized`); None: computed every time (the command line, the tests).
    store: Store | None = field(default=None, compare=False, repr=False)
    # What this view has already asked, kept for its own lifetime (one page run): the findings ask the
    # same query or stats several times, and even a cache hit costs the hashing of its parameters.
    _memo: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def meta(self) -> Meta:
        return self.registry.meta

    @property
    def is_demo(self) -> bool:
        return self.meta.is_demo

    @property
    def has_dates(self) -> bool:
        return self.meta.has("posting_date")

    def has(self, column: str) -> bool:
        return self.meta.has(column)

    @property
    def params(self) -> dict:
        return self.filters.sql_params(self.has_dates)

    @property
    def as_of_date(self) -> dt.date | None:
        """The chosen as-of date, else the newest posting date in the file."""
        return self.filters.as_of if (self.filters.as_of and self.has_dates) else self.meta.posting_max

    @property
    def as_of(self) -> str:
        d = self.as_of_date
        return d.isoformat() if d else "unknown date"

    @property
    def is_past(self) -> bool:
        """Whether the figures are for a date before the newest data in the file."""
        d, latest = self.as_of_date, self.meta.posting_max
        return bool(d and latest and d < latest)

    def query(self, name: str, **extra) -> pd.DataFrame:
        """`queries/<name>.sql` with the filters' parameters (and `extra`). The frame is shared by the
        callers of this view: copy it before changing it."""
        params = {**self.params, **extra}
        key = ("query", name, repr(sorted(params.items())))
        if key not in self._memo:
            self._memo[key] = self.query_fn(name, params) if self.query_fn else self.registry.query(name, params)
        return self._memo[key].copy()

    def stats(self, filters: Filters | None = None) -> dict:
        f = filters or self.filters
        key = ("stats", repr(f.without_notices()))
        if key not in self._memo:
            self._memo[key] = self.stats_fn(f) if self.stats_fn else compute_stats(self.registry, f)
        return copy.deepcopy(self._memo[key])

    def with_filters(self, filters: Filters) -> View:
        return replace(self, filters=filters)

    @property
    def total(self) -> int:
        return self.stats()["total"]


# ---------------------------------------------------------------------------------------------
# Words for the scope of a figure


def where(filters: Filters) -> str:
    """The filters in words, without the as-of date ('' when none): 'New York; exonerated 2010–2015'."""
    return filters.with_(as_of=None).describe()


def period(filters: Filters) -> str:
    """'1989 to the present' when no filter limits the years (a year range and the inclusion of pre-1989
    cases are among the filters' own words)."""
    if filters.year_from is not None or filters.year_to is not None or filters.include_pre_1989:
        return ""
    return DEFAULT_PERIOD


def scope(filters: Filters) -> str:
    """Every condition on the cases counted, for a subtitle: 'New York; 1989 to the present'."""
    return "; ".join(x for x in (where(filters), period(filters)) if x)


def denominator(v: View, total: int, noun: str = "exonerations") -> str:
    """'of 3,776 exonerations posted by 2026-02-05 (New York; 1989 to the present)'."""
    s = scope(v.filters)
    return f"of {total:,} {noun} posted by {v.as_of}" + (f" ({s})" if s else "")


def posted(v: View) -> str:
    """'Exonerations posted to the National Registry of Exonerations by 2026-02-05; New York; 1989 to
    the present' (the demo's words for synthetic data)."""
    head = (
        f"Synthetic demo cases posted by {v.as_of}"
        if v.is_demo
        else f"Exonerations posted to the {glossary.SOURCE} by {v.as_of}"
    )
    s = scope(v.filters)
    return head + (f"; {s}" if s else "")


def today(v: View) -> dt.date:
    return v.today or dt.date.today()


def data_age(v: View) -> str:
    """How old the file's data is, from today: 'cases posted to 2026-06-25, 163 days before 2026-12-05'."""
    latest = v.meta.posting_max
    if latest is None:
        return "the file has no posting dates"
    days = (today(v) - latest).days
    when = "the same day" if days == 0 else fmt.plural(days, "day") + f" before {today(v)}"
    return f"cases posted to {latest}, {when}"


def data_age_sentence(v: View) -> str:
    """The sidebar's sentence on the data's age: 'The file's cases were posted to 2026-06-25, 163 days ago;
    the registry adds cases every week — request a new file from the registry.'"""
    latest = v.meta.posting_max
    if v.is_demo or latest is None:
        return ""
    days = (today(v) - latest).days
    ago = "today" if days == 0 else f"{fmt.plural(days, 'day')} ago"
    advice = (
        "the registry adds cases every week — request a new file from exonerationregistry.org"
        if days > 14
        else "the registry adds cases every week"
    )
    return f"The file's cases were posted to {latest}, {ago}; {advice}."


def source_line(v: View) -> str:
    """What every chart carries at its foot: the source, the as-of date, the age of the file's data and
    the filters."""
    src = DEMO_MARK if v.is_demo else f"Source: {glossary.SOURCE}"
    w = where(v.filters)
    age = "" if v.is_demo else f" ({data_age(v)})"
    return f"{src} · data as of {v.as_of}{age}" + (f" · Filters: {w}" if w else "")


def caption(v: View, title: str, subtitle: str) -> Caption:
    return Caption(title=title, subtitle=subtitle, source=source_line(v), demo=v.is_demo)


# ---------------------------------------------------------------------------------------------
# Cautions


def small_caution(n: int | None, what: str = "These figures") -> str | None:
    """'These figures rest on only 12 cases: treat them with care.' under `style.SMALL_DENOMINATOR`."""
    if n is None or not 0 < n < style.SMALL_DENOMINATOR:
        return None
    return (
        f"{what} rest{'s' if what.startswith('This') else ''} on only {fmt.plural(n, 'case')}: treat "
        f"{'it' if what.startswith('This') else 'them'} with care."
    )


def pre1989_caution(v: View) -> str | None:
    """With pre-1989 cases included, shares by actor and kind of misconduct are diluted: the registry
    codes those details for cases exonerated from 1989 only."""
    if not v.filters.include_pre_1989:
        return None
    return (
        "Cases exonerated before 1989 are included. The registry codes who committed the misconduct and "
        "what they did only for cases exonerated from 1989 on, so the shares by official and by kind of "
        "misconduct understate them here."
    )


def past_coding(v: View) -> str | None:
    """For a past as-of date: the figures use today's coding of the cases posted by then."""
    if not v.is_past:
        return None
    row = v.query("stats").iloc[0]
    total, later = int(row["total"]), int(row["updated_after_as_of"])
    if not total or not v.has("last_update_date"):
        return (
            f"Figures as of {v.as_of} count the cases posted by then, coded as the registry codes them "
            "today (this file keeps no earlier coding)."
        )
    return (
        f"Figures as of {v.as_of} count the cases posted by then, coded as the registry codes them today: "
        f"{later:,} of those {total:,} cases ({fmt.pct(later, total)}) were updated after that date."
    )


# ---------------------------------------------------------------------------------------------
# What a page shows


@dataclass(frozen=True)
class Headline:
    """A page's headline sentence, the sentence saying what it counts, its headline figures
    ((label, value) or (label, value, help)) and any cautions."""

    sentence: str
    context: str = ""
    metrics: tuple[tuple[str, ...], ...] = ()
    cautions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart as a page, a published page or an export shows it: its finding and denominator (the
    caption), the figure, the numbers behind it (the Table view and the CSV, with readable column
    names), the named queries that produced them, and sentences shown with it."""

    key: str
    caption: Caption
    figure: go.Figure
    data: pd.DataFrame  # every number behind the chart (the CSV)
    queries: tuple[str, ...]
    notes: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    table: pd.DataFrame | None = None  # the Table view, when it shows fewer rows than `data` (a summary)
    narrow: go.Figure | None = None  # drawn instead on a phone, where the figure would not read (a map)
    narrow_note: str = ""  # what the narrow figure shows

    @property
    def shown(self) -> pd.DataFrame:
        """The rows of the Table view."""
        return self.data if self.table is None else self.table

    @functools.cached_property
    def html(self) -> str:
        """The Table view as HTML, every text escaped (made once per chart)."""
        return fmt.html_table(self.shown, f"Table: {self.title}")

    @property
    def title(self) -> str:
        return self.caption.title

    @property
    def subtitle(self) -> str:
        return self.caption.subtitle

    @property
    def alt(self) -> str:
        """The chart's text alternative: its finding and what it counts (the Table view has every number)."""
        return f"Chart: {self.title}. {fmt.cap(self.subtitle)}."


def cautions(*items: str | None) -> tuple[str, ...]:
    return tuple(i for i in items if i)


def ranked(rows: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """(label, count) pairs, largest first, ties in the given order."""
    rows = list(rows)
    return sorted(rows, key=lambda r: -r[1])
