"""The thin Streamlit layer shared by `app.py` and the pages: cached database and queries, the sidebar
filters mirrored in the URL, and the standard way to show a chart (PNG + CSV + SQL)."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import html
import json
import marshal
import os
import pickle
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from . import chart_view, db, exports, glossary, style
from .charts import Caption
from .filters import URL_KEYS, Filters, escape_markdown
from .stats import stats

T = TypeVar("T")

# URL parameters pages may use besides the filters (kept when the filters rewrite the URL).
EXTRA_URL_KEYS: set[str] = {"period", "tab", "sql", "county_state", "q", "claim", "n", "measure", "stat", "cmp", "threshold"}

PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "exonerations-chart"},
    "modeBarButtonsToRemove": ["select2d", "lasso2d"],
}


class _Cache:
    """A bounded cache of objects shared by every session of the server, like st.cache_resource, for the
    look-ups a page makes many times per rerun (queries, stats, the registry). st.cache_resource inspects
    the function's signature and hashes every argument on each call, ~0.2 ms a hit, a few ms per rerun;
    this one is a dict look-up keyed by the arguments not named with a leading underscore (which must be
    hashable: text, numbers, tuples). The least recently used entry goes when it is full; a value is
    computed once per key even when several sessions ask for it together; an exception is not kept."""

    def __init__(self, fn: Callable, max_entries: int):
        self.fn = fn
        self.max_entries = max_entries
        names = fn.__code__.co_varnames[: fn.__code__.co_argcount]
        self.keyed = [i for i, n in enumerate(names) if not n.startswith("_")]
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.pending: dict = {}  # key -> lock held while its value is computed
        self.__doc__ = fn.__doc__
        self.__wrapped__ = fn

    def __call__(self, *args):
        key = tuple(args[i] for i in self.keyed)
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
            computing = self.pending.setdefault(key, threading.Lock())
        with computing:
            with self.lock:
                if key in self.entries:  # computed by another session meanwhile
                    return self.entries[key]
            try:
                value = self.fn(*args)
                with self.lock:
                    self.entries[key] = value
                    while len(self.entries) > self.max_entries:
                        self.entries.popitem(last=False)
                return value
            finally:
                with self.lock:
                    self.pending.pop(key, None)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def _cached(max_entries: int) -> Callable[[Callable], _Cache]:
    return lambda fn: _Cache(fn, max_entries)


def db_path() -> Path:
    return Path(os.environ.get("EXONERATIONS_DB", db.DEFAULT_DB))


def _stamp(path: Path) -> tuple[int, int]:
    try:
        s = path.stat()
        return (s.st_mtime_ns, s.st_size)
    except FileNotFoundError:
        return (0, 0)


@_cached(max_entries=4)
def _registry(path: str, stamp: tuple[int, int]) -> db.Registry:
    return db.Registry(path)


def registry() -> db.Registry:
    """The registry for the current database file; a new one after an import replaces the file."""
    p = db_path()
    return _registry(str(p), _stamp(p))


# Query results and stats are kept as objects (_Cache), keyed by a short text of the parameters: a hit
# costs a copy of a small frame (~15 µs), where st.cache_data would hash the parameters and unpickle
# the frame on every rerun (~150 µs each). Callers get a copy they may change.


def _key(value) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


@_cached(max_entries=2048)
def _query_result(path: str, stamp: tuple[int, int], name: str, key: str, _params: dict) -> pd.DataFrame:
    return _registry(path, stamp).query(name, _params)


def _query(path: str, stamp: tuple[int, int], name: str, params: dict) -> pd.DataFrame:
    return _query_result(path, stamp, name, _key(params), params).copy()


def query(name: str, params: dict) -> pd.DataFrame:
    """Run a named query, cached by database file + query name + parameters."""
    p = db_path()
    return _query(str(p), _stamp(p), name, params)


@_cached(max_entries=512)
def _stats_result(path: str, stamp: tuple[int, int], key: str, _filters: Filters) -> dict:
    return stats(_registry(path, stamp), _filters)


def _stats(path: str, stamp: tuple[int, int], filters: Filters) -> dict:
    return copy.deepcopy(_stats_result(path, stamp, repr(filters), filters))


@_cached(max_entries=4)
def _warnings(path: str, stamp: tuple[int, int]) -> pd.DataFrame:
    return _registry(path, stamp).warnings()


def import_warnings() -> pd.DataFrame:
    """The import warnings of the current database (a copy)."""
    p = db_path()
    return _warnings(str(p), _stamp(p)).copy()


def clear_caches() -> None:
    """Drop every cached result (after an import: the next reruns read the new data)."""
    for cached in (_query_result, _stats_result, _chart_spec, _dataframe_element, _memo, _options, _years,
                   _warnings):
        cached.clear()
    st.cache_data.clear()


# ---------------------------------------------------------------------------------------------
# Context shared by every page


@dataclass(frozen=True)
class Context:
    registry: db.Registry
    filters: Filters

    @property
    def meta(self) -> db.Meta:
        return self.registry.meta

    @property
    def params(self) -> dict:
        return self.filters.sql_params(self.meta.has("posting_date"))

    @property
    def as_of(self) -> str:
        d = self.filters.as_of if (self.filters.as_of and self.meta.has("posting_date")) else self.meta.posting_max
        return d.isoformat() if d else "unknown date"

    def query(self, name: str, **extra) -> pd.DataFrame:
        return query(name, {**self.params, **extra})

    def stats(self, filters: Filters | None = None) -> dict:
        p = db_path()
        return _stats(str(p), _stamp(p), filters or self.filters)

    def caption(self, title: str, subtitle: str) -> Caption:
        return Caption(title=title, subtitle=subtitle, as_of=self.as_of, demo=self.meta.is_demo,
                       filters=self.filters.describe())

    def denominator(self, total: int, noun: str = "exonerations") -> str:
        """'of 3,776 exonerations posted by 2026-02-05' (plus the filters in words)."""
        where = self.filters.describe()
        return f"of {total:,} {noun} posted by {self.as_of}" + (f" ({where})" if where else "")

    def file_stub(self, what: str) -> str:
        where = re.sub(r"[^a-z0-9]+", "-", self.filters.describe().lower()).strip("-")[:60]
        return "-".join(p for p in ("exonerations", what, self.as_of, where) if p)


def context() -> Context:
    """The registry and the current filters (set by app.py before the page runs)."""
    return Context(registry(), st.session_state.get("_filters", Filters()))


# ---------------------------------------------------------------------------------------------
# Sidebar filters ⇄ URL


def _opts() -> dict[str, list[str]]:
    p = db_path()
    return _options(str(p), _stamp(p))


@_cached(max_entries=4)
def _options(path: str, stamp: tuple[int, int]) -> dict[str, list[str]]:
    """The values each multi-select offers (shared, not to be changed)."""
    df = _query_result(path, stamp, "filter_options", _key({}), {})
    return {k: df.loc[df["field"] == k, "value"].tolist() for k in ("state", "worst_crime", "race", "sex")}


def _year_bounds(include_pre_1989: bool) -> tuple[int, int]:
    """The year slider's range: from 1989 (or the earliest exoneration, when pre-1989 cases are
    included) to the latest exoneration in the data."""
    p = db_path()
    lo, hi = _years(str(p), _stamp(p))
    if not include_pre_1989:
        lo = min(max(lo, 1989), hi)
    return lo, max(lo, hi)


@_cached(max_entries=4)
def _years(path: str, stamp: tuple[int, int]) -> tuple[int, int]:
    df = _query_result(path, stamp, "year_bounds", _key({}), {})
    lo, hi = df.iloc[0]["min_year"], df.iloc[0]["max_year"]
    return (1989 if pd.isna(lo) else int(lo)), (dt.date.today().year if pd.isna(hi) else int(hi))


_ANY = "Any"
_TRI = {_ANY: None, "Yes": True, "No": False}
_TRI_REV = {v: k for k, v in _TRI.items()}


def _init_from_url(reg: db.Registry) -> None:
    """Seed the widgets from the URL once per session; later runs keep what the user set."""
    url = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    f = Filters.from_query_params(url, frozenset(EXTRA_URL_KEYS))
    notices = list(f.notices)
    meta = reg.meta
    opts = _opts()
    lo, hi = _year_bounds(f.include_pre_1989)
    ss = st.session_state
    if f.as_of and meta.posting_min and meta.posting_max:
        d = min(max(f.as_of, meta.posting_min), meta.posting_max)
        if d != f.as_of:
            notices.append(f"The as-of date {f.as_of} is outside the data ({meta.posting_min} to {meta.posting_max}); using {d}.")
        ss["f_as_of"] = d
    else:
        ss["f_as_of"] = meta.posting_max
    yf = f.year_from if f.year_from is not None else lo
    yt = f.year_to if f.year_to is not None else hi
    ss["f_years"] = (min(max(yf, lo), hi), max(min(yt, hi), lo))
    ss["_year_span"] = (lo, hi)
    for field, key in (("states", "state"), ("crimes", "worst_crime"), ("races", "race"), ("sexes", "sex")):
        wanted = getattr(f, field)
        known = [v for v in wanted if v in opts[key]]
        if len(known) < len(wanted):
            bad = [v for v in wanted if v not in opts[key]]
            quoted = ", ".join(escape_markdown(v[:30]) for v in bad[:3])  # link text must stay inert
            notices.append(f"Ignored {URL_KEYS[field]} value(s) not in the data: {quoted}"
                           + ("…" if len(bad) > 3 else "") + ".")
        ss[f"f_{field}"] = known
    ss["f_dna"] = _TRI_REV[f.dna]
    ss["f_death_sentence"] = _TRI_REV[f.death_sentence]
    ss["f_include_pre_1989"] = f.include_pre_1989
    ss["_url_notices"] = notices
    ss["_filters_ready"] = db_path().as_posix() + str(_stamp(db_path()))


def _reset() -> None:
    for k in [k for k in st.session_state if k.startswith("f_")]:
        del st.session_state[k]
    st.session_state.pop("_filters_ready", None)
    st.query_params.clear()


FILTERS_OPEN = "filters_open"  # the key of the sidebar's filter panel (open or closed)


def sidebar_filters(reg: db.Registry) -> Filters:
    """The filters in the sidebar: a line that says what is shown, then the filter panel. The panel's
    widgets are drawn only while it is open (a new visit starts with it closed, which keeps a page
    load light); their values are kept while it is closed. Mirrored in the URL; returns the filters."""
    ss = st.session_state
    if ss.get("_filters_ready") != db_path().as_posix() + str(_stamp(db_path())):
        _init_from_url(reg)
    meta = reg.meta
    lo, hi = _year_bounds(bool(ss.get("f_include_pre_1989")))
    years = tuple(ss.get("f_years", (lo, hi)))
    if years == tuple(ss.get("_year_span", ())):
        years = (lo, hi)  # the full range stays the full range when the bounds change
    ss["f_years"] = (min(max(years[0], lo), hi), max(min(years[1], hi), lo))
    ss["_year_span"] = (lo, hi)
    for k in [k for k in ss if isinstance(k, str) and (k.startswith("f_") or k == FILTERS_OPEN)]:
        ss[k] = ss[k]  # kept as set, even in runs that do not draw its widget (panel closed, page switched)

    as_of = ss.get("f_as_of")
    years = ss["f_years"]
    f = Filters(
        as_of=as_of if isinstance(as_of, dt.date) else meta.posting_max,
        year_from=years[0] if years[0] != lo else None,
        year_to=years[1] if years[1] != hi else None,
        states=tuple(ss.get("f_states", ())),
        crimes=tuple(ss.get("f_crimes", ())),
        races=tuple(ss.get("f_races", ())),
        sexes=tuple(ss.get("f_sexes", ())),
        dna=_TRI[ss.get("f_dna", _ANY)],
        death_sentence=_TRI[ss.get("f_death_sentence", _ANY)],
        include_pre_1989=bool(ss.get("f_include_pre_1989", False)),
    )
    sb = st.sidebar
    n_set = _count_set(f, meta)
    sb.markdown(filter_summary(f, meta))
    # The label stays the same: it is part of the panel's identity, and a new one would close it.
    panel = sb.expander("Filters", key=FILTERS_OPEN, icon=":material/filter_list:", on_change="rerun")
    if panel.open:
        _filter_widgets(panel, meta, lo, hi)
    if n_set:
        sb.button("Reset filters", on_click=_reset, width="stretch", icon=":material/restart_alt:")
    _write_url(f)
    ss["_filters"] = f
    return f


def filter_summary(f: Filters, meta: db.Meta) -> str:
    """What the pages show, in one sentence for the sidebar."""
    latest = f.as_of == meta.posting_max
    when = (f"posted by **{f.as_of}**" + (" (the latest data)" if latest else "") if f.as_of
            else "in this file (it has no posting dates)")
    where = escape_markdown(f.describe())  # state and crime names come from the data
    return f"Showing exonerations {when}; " + (where if where else "1989 to the present, no other filters") + "."


def _count_set(f: Filters, meta: db.Meta) -> int:
    """How many filters differ from the default view (latest data, 1989 on, everything)."""
    return sum((
        bool(f.as_of and meta.posting_max and f.as_of != meta.posting_max),
        f.year_from is not None or f.year_to is not None,
        bool(f.states), bool(f.crimes), bool(f.races), bool(f.sexes),
        f.dna is not None, f.death_sentence is not None, f.include_pre_1989,
    ))


def _filter_widgets(box, meta: db.Meta, lo: int, hi: int) -> None:
    opts = _opts()
    if meta.has("posting_date") and meta.posting_min and meta.posting_max:
        box.date_input("Data as of (posting date)", key="f_as_of", min_value=meta.posting_min,
                       max_value=meta.posting_max, format="YYYY-MM-DD",
                       help="Count only cases the registry had posted by this date. Travel back to any past date.")
    if lo < hi:
        box.slider("Year of exoneration", min_value=lo, max_value=hi, key="f_years")
    box.multiselect("State or jurisdiction", opts["state"], key="f_states", placeholder="All")
    box.multiselect("Worst crime", opts["worst_crime"], key="f_crimes", placeholder="All")
    box.multiselect("Race of exoneree", opts["race"], key="f_races", placeholder="All")
    box.multiselect("Sex of exoneree", opts["sex"], key="f_sexes", placeholder="All")
    box.selectbox("DNA exoneration", list(_TRI), key="f_dna")
    box.selectbox("Death sentence", list(_TRI), key="f_death_sentence")
    box.checkbox("Include cases exonerated before 1989", key="f_include_pre_1989",
                 help="The registry's default view is 1989 to the present; earlier cases are a separate, thinner collection.")


def _write_url(f: Filters) -> None:
    wanted = f.query_params()
    current = {k: st.query_params.get_all(k) for k in st.query_params.keys()}
    keep = {k: v for k, v in current.items() if k in EXTRA_URL_KEYS}
    target = {**keep, **wanted}
    norm = {k: (v if isinstance(v, list) else [v]) for k, v in target.items()}
    if norm != current:
        st.query_params.from_dict(target)


def url_notices() -> None:
    notices = st.session_state.pop("_url_notices", [])
    if notices:
        st.info("Link settings adjusted: " + " ".join(notices), icon=":material/link:")


# ---------------------------------------------------------------------------------------------
# Display helpers


def demo_banner(meta: db.Meta) -> None:
    if meta.is_demo:
        st.warning(
            "**Demo data.** These are synthetic cases generated for demonstration (names like "
            "“Demo Person 0001”); no figure on this page describes real exonerations. Load the "
            "registry file on the Methodology & data page or see the README.",
            icon=":material/warning:",
        )


@dataclass(frozen=True, eq=False)
class LazyFigure:
    """A chart builder and its arguments, built only when its chart is not already cached.
    `digest` identifies the figure by the builder and the content of its arguments."""

    build: Callable[..., go.Figure]
    args: tuple
    kwargs: dict
    digest: str

    def __call__(self) -> go.Figure:
        return self.build(*self.args, **self.kwargs)


def figure(build: Callable[..., go.Figure], *args, **kwargs) -> LazyFigure:
    """`build(*args, **kwargs)` (a builder of `charts` or `usmap`), for `show_chart`: on a rerun with
    the same data and wording the chart is replayed from the cache instead of being built again."""
    h = hashlib.blake2b(digest_size=16)
    _feed(h, (f"{build.__module__}.{build.__qualname__}", args, sorted(kwargs.items())))
    return LazyFigure(build, args, kwargs, h.hexdigest())


def _feed(h, value) -> None:
    """Add `value` to the hash `h`, by content and type (frames by their values, index and dtypes)."""
    if isinstance(value, pd.DataFrame | pd.Series):
        h.update(pickle.dumps(value, protocol=5))  # values, dtypes, index and names; quicker than hashing them
    elif isinstance(value, list | tuple):
        h.update(f"<{type(value).__name__} {len(value)}>".encode())
        for v in value:
            _feed(h, v)
    elif isinstance(value, dict):
        _feed(h, sorted(value.items(), key=lambda kv: repr(kv[0])))
    elif isinstance(value, np.generic):
        _feed(h, value.item())
    elif isinstance(value, bytes):
        h.update(b"bytes:%d;" % len(value) + value)
    elif value is None or isinstance(value, str | int | float | bool | dt.date | pd.Timestamp | Caption):
        h.update(f"{type(value).__name__}:{value!r};".encode())  # Caption: a frozen dataclass of text fields
    else:
        raise TypeError(f"cannot key a cached result on a {type(value).__name__}")


@_cached(max_entries=512)
def _chart_spec(digest: str, config: str, click: bool, _fig: LazyFigure) -> str:
    """What the chart element is given for a figure: made once per figure (built, written as JSON)."""
    import plotly.io as pio

    return chart_view.spec(pio.to_json(_fig(), validate=False), json.loads(config), click)


def memo(fn: Callable[..., T], ctx: Context, *args) -> T:
    """`fn(ctx, *args)`, kept per database file, filters, `args` (text, numbers, tuples) and the code of
    `fn`: for what a page derives from its queries (a table shaped for display…), so a rerun with the
    same filters skips the work. The result is shared between reruns and sessions: never change it."""
    code = fn.__code__
    h = hashlib.blake2b(digest_size=16)
    _feed(h, (code.co_filename, code.co_qualname, marshal.dumps(code), repr(ctx.filters), args))
    p = db_path()
    return _memo(str(p), _stamp(p), h.hexdigest(), fn, ctx, args)


@_cached(max_entries=256)
def _memo(path: str, stamp: tuple[int, int], key: str, _fn: Callable, _ctx: Context, _args: tuple):
    return _fn(_ctx, *_args)


def dataframe(data: pd.DataFrame, **kwargs) -> None:
    """st.dataframe(data, **kwargs) for a table without selections: shown again with the same rows and
    settings, it is replayed from the cache instead of being serialised again."""
    h = hashlib.blake2b(digest_size=16)
    _feed(h, (data, sorted(kwargs.items())))
    _dataframe_element(h.hexdigest(), data, kwargs)


@st.cache_resource(max_entries=256, show_spinner=False)
def _dataframe_element(digest: str, _data: pd.DataFrame, _kwargs: dict) -> None:
    st.dataframe(_data, **_kwargs)


def show_chart(fig: LazyFigure, data: pd.DataFrame, ctx: Context, key: str, sql: tuple[str, ...] = (),
               small_total: int | None = None, *, config: dict | None = None,
               on_click: Callable[[object], None] | None = None) -> None:
    """A chart with its PNG (modebar), a CSV of the data behind it, and the SQL that produced it.
    `fig` comes from `figure(...)`; the chart is drawn by `chart_view` under the key `chart_<key>`, so
    the next run's figure updates the same plot. `on_click(customdata)` is called when a reader clicks
    a point that carries customdata (before the run that follows)."""
    if small_total is not None and 0 < small_total < style.SMALL_DENOMINATOR:
        st.warning(f"This share rests on only {small_total} case{'s' if small_total != 1 else ''}: "
                   "treat it with care.", icon=":material/warning:")
    spec = _chart_spec(fig.digest, json.dumps(config or PLOTLY_CONFIG, sort_keys=True), on_click is not None, fig)
    chart_view.show(spec, key=f"chart_{key}", on_click=on_click)
    c1, c2 = st.columns([1, 3])
    csv_download(c1, "Data (CSV)", data, file_name=f"{ctx.file_stub(key)}.csv", key=f"csv_{key}")
    if sql:
        sql_expander(c2, "SQL behind this chart", sql, key=f"sql_{key}")


def sql_expander(target, label: str, names, key: str) -> None:
    """An expander with the SQL of the named queries. Its content is sent only once it is opened (which
    reruns the page), so the pages do not carry every query's text, highlighted, on every run."""
    ex = target.expander(label, key=key, on_change="rerun")
    if ex.open:
        for name in names:
            ex.code(db.query_text(name), language="sql")


def csv_download(target, label: str, frame: pd.DataFrame, preamble: list[str] | None = None, **kwargs):
    """A "download as CSV" button on `target` (st, a column…) whose CSV is made only when clicked."""
    return target.download_button(label, lambda: exports.to_csv(frame, preamble), mime="text/csv", **kwargs)


def pager(total: int, page_size: int, key: str):
    """A slot for one page of rows and, under it, the page picker (when there is more than one page).
    Returns the slot and the offset of the chosen page's first row."""
    pages = max(1, -(-total // page_size))
    if not 1 <= st.session_state.get(key, 1) <= pages:
        st.session_state.pop(key, None)
    slot = st.container()
    page = st.pagination(pages, key=key) if pages > 1 else 1
    return slot, (page - 1) * page_size


def markdown_table(df: pd.DataFrame, formats: dict[str, str | Callable] | None = None,
                   links: dict[str, str] | None = None, code: tuple[str, ...] = (), right: tuple[str, ...] = ()) -> str:
    """`df` as a Markdown table: every cell's text escaped (data can hold `|`, `*`, `[`…), numbers
    (and the columns in `right`) right-aligned, an empty cell as "—". `formats` gives a column's
    format ("{:,.1f}", or a function), `links` a column of URLs shown as links with the given text,
    `code` the columns shown as code."""
    formats, links = formats or {}, links or {}

    def cell(col: str, v) -> str:
        if v is None or (not isinstance(v, str | list | tuple) and pd.isna(v)):
            return "—"
        if col in links:
            url = str(v).replace(" ", "%20").replace(")", "%29").replace("|", "%7C")
            return f"[{escape_markdown(links[col])}]({url})"
        if col in code:
            return "`" + str(v).replace("`", "'").replace("|", "\\|") + "`"
        f = formats.get(col)
        text = str(v) if f is None else f(v) if callable(f) else f.format(v)
        return escape_markdown(text.replace("\n", " "))

    numeric = {c for c in df.columns if c in right or (c not in links and pd.api.types.is_numeric_dtype(df[c])
                                                        and not pd.api.types.is_bool_dtype(df[c]))}
    lines = ["| " + " | ".join(escape_markdown(str(c)) for c in df.columns) + " |",
             "|" + "|".join("---:" if c in numeric else "---" for c in df.columns) + "|"]
    lines += ["| " + " | ".join(cell(c, v) for c, v in zip(df.columns, row, strict=True)) + " |"
              for row in df.itertuples(index=False, name=None)]
    return "\n".join(lines)


def table(df: pd.DataFrame, **kwargs) -> None:
    """A few rows shown as a static table (`markdown_table`), not as a data grid (st.dataframe or
    st.table): a page whose tables are all of this kind never loads the grid's JavaScript (Arrow and
    the grid, about 1.2 MB), which cost a page load 50–80 ms in Chromium (Human cost, Claims)."""
    st.markdown(markdown_table(df, **kwargs))


_METRICS = "display:flex;flex-wrap:wrap;gap:1rem;margin:0 0 0.25rem 0;padding:0"
_METRIC = "flex:1 1 0;min-width:9rem;margin:0;padding:0"
_METRIC_LABEL = ("font-size:0.875rem;line-height:1.5rem;min-height:1.5rem;font-weight:400;white-space:nowrap;"
                 "overflow:hidden;text-overflow:ellipsis")
_METRIC_VALUE = ("margin:0;padding:0 0 0.25rem 0;font-size:2.25rem;line-height:1.3;white-space:nowrap;"
                 "overflow:hidden;text-overflow:ellipsis")


def metrics(items) -> None:
    """A row of headline figures, each a label over a large value — the look of `st.metric` in
    columns — drawn as one element: a row of four `st.metric`s is eleven (the row, its columns, the
    metrics), which cost a page load about 5 ms per figure in Chromium and a filter change 3
    (`bench/elements.py`). `items`: (label, value) or (label, value, help) tuples; a help text is the
    label's tooltip. The row wraps on a narrow screen; a value too long for its cell ends in "…" and
    shows in full as a tooltip."""
    cells = []
    for label, value, *more in items:
        help_text = more[0] if more else None
        tip = f' title="{html.escape(help_text)}"' if help_text else ""
        mark = (' <span aria-hidden="true" style="display:inline-block;width:1.1em;height:1.1em;line-height:1.05em;'
                'border:1px solid currentColor;border-radius:50%;text-align:center;font-size:0.7rem;opacity:0.6;'
                'vertical-align:0.1em">?</span>') if help_text else ""
        cells.append(
            f'<div data-testid="exoMetric" style="{_METRIC}">'
            f'<dt style="{_METRIC_LABEL}"{tip}>{html.escape(label)}{mark}</dt>'
            f'<dd style="{_METRIC_VALUE}" title="{html.escape(value)}">{html.escape(value)}</dd></div>')
    st.html(f'<dl data-testid="exoMetrics" style="{_METRICS}">{"".join(cells)}</dl>')


def labelled(keys, counts: dict, total: int | None = None) -> pd.DataFrame:
    """A frame of glossary labels and counts, for the bar charts."""
    rows = [{"key": k, "label": glossary.label(k), "cases": counts[k]} for k in keys if counts.get(k) is not None]
    df = pd.DataFrame(rows, columns=["key", "label", "cases"])
    if total:
        df["share"] = df["cases"] / total
    return df


def sidebar_footer(meta: db.Meta) -> None:
    sb = st.sidebar
    sb.divider()
    if meta.is_demo:
        sb.caption("**Data:** synthetic demo data — not real cases.")
    else:
        sb.caption(f"**Data:** {glossary.SOURCE}, file `{meta.file_name}` ({meta.layout_name}), "
                   f"cases posted {meta.posting_min} to {meta.posting_max}.")
    sb.caption("Figures count post-1989 exonerations by posting date unless you choose otherwise. "
               "See *Methodology & data* for definitions and SQL.")


# ---------------------------------------------------------------------------------------------
# Upload on the Methodology & data page

MAX_UPLOAD_MB = 47  # server.maxUploadSize in .streamlit/config.toml: just under the importer's limit


@st.cache_resource(show_spinner=False)
def _import_lock():
    import threading

    return threading.Lock()  # one import at a time in this server process (they share a temp file name)


def import_upload(data: bytes, name: str, path: Path | None = None):
    """Import an uploaded registry file as `python -m exonerations import` does — parse it, build a new
    database and swap it in atomically — then drop cached results so every page reads the new data.
    Returns the `ingest.Parsed`; raises `ingest.RegistryFileError` (one sentence), the database untouched."""
    from . import ingest

    if len(data) > ingest.MAX_FILE_BYTES:  # the command line's limit and sentence
        raise ingest.RegistryFileError(ingest.too_big_message(len(data)))
    parsed = ingest.parse(data, name)
    with _import_lock():
        db.import_parsed(parsed, path or db_path())
    clear_caches()
    return parsed
