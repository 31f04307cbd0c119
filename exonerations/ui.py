"""The thin Streamlit layer shared by `app.py` and the pages: the database and query results through
Streamlit's caches, the sidebar filters mirrored in the URL, and the standard way to show what the
findings layer produces (a headline, a chart with its table, CSV and SQL). Every text that can hold a
value from a file, a cell or a link is shown escaped (`md`), never as markup."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import html
import importlib
import os
import pkgutil
import re
import shutil
import weakref
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from . import chart_element, db, exports, findings, fmt, glossary, pages, private, runs
from .filters import CONVICTION_FORMS, URL_KEYS, Filters, escape_markdown
from .stats import stats

# What the pages import besides this module (the findings of each page, the briefing pack, the exports,
# the console's sandbox) and the libraries those load only when first used (python-pptx brings XlsxWriter).
PRELOADED = (
    *(f"{findings.__name__}.{m.name}" for m in pkgutil.iter_modules(findings.__path__)),
    "exonerations.brief",
    "exonerations.claims",
    "exonerations.exports",
    "exonerations.ingest",
    "exonerations.publish",
    "exonerations.sandbox",
    "segno",
)

# Streamlit runs a full garbage collection after every script run; over the libraries (Plotly, pandas,
# DuckDB, Streamlit, and what the pages load: python-pptx, XlsxWriter, segno…) it took about 90 ms of
# each run. They live as long as the process: all imported here, then moved out of the collector's reach
# once, before any visitor's data exists (`gc.freeze`). Imported later, by the first visitor of the
# Briefing page, they had added about 20 ms to every run after it.
for _module in PRELOADED:
    importlib.import_module(_module)
go.layout.XAxis(title={"text": ""}), go.layout.YAxis(title={"text": ""})  # Plotly loads these on first use
gc.collect()
gc.freeze()

# URL parameters pages may use besides the filters (kept when the filters rewrite the URL).
EXTRA_URL_KEYS: frozenset[str] = pages.PAGE_PARAMS  # link parameters pages read besides the filters


def md(text) -> str:
    """`text` (from the findings, a file, a cell or a link) as Streamlit's Markdown shows it literally."""
    return escape_markdown(str(text))


def shared_db_path() -> Path:
    """The database every visitor sees (EXONERATIONS_DB, else data/exonerations.duckdb)."""
    return Path(os.environ.get("EXONERATIONS_DB", db.DEFAULT_DB))


@dataclass(frozen=True)
class Snapshot:
    """The database file a run reads, with its stamp when the run began: one page run reads one version
    of the data from its first query to its footer, even if an import replaces the file meanwhile."""

    path: str
    stamp: tuple[int, int]

    @property
    def key(self) -> str:
        return f"{self.path}{self.stamp}"


@st.cache_resource(show_spinner="Preparing the data (the first start takes a few seconds)…")
def _prepared(path: str) -> tuple[str, ...]:
    from .prepare import prepare

    said: list[str] = []
    prepare(Path(path), said.append)
    return tuple(said)


def ensure_database() -> None:
    """On a platform that runs only `streamlit run app.py` (Community Cloud, Spaces), the first start
    builds the database as `make run` does: from a file in data/, a private address, or the demo."""
    p = shared_db_path()
    if not p.is_file():
        _prepared(path=str(p))


def begin_run() -> Snapshot:
    """Take the run's snapshot (app.py calls this first, every run; fragments reuse the last one): the
    visitor's own uploaded file while they look at it, else the shared database."""
    ss = st.session_state
    mine = ss.get("_private")
    if isinstance(mine, PrivateFile) and mine.path in private.STORE:
        snap = Snapshot(mine.path, _stamp(Path(mine.path)))
    else:
        if mine is not None:
            ss.pop("_private", None)
            ss["_private_gone"] = True
        p = shared_db_path()
        snap = Snapshot(str(p), _stamp(p))
    ss["_snapshot"] = snap
    return snap


def snapshot() -> Snapshot:
    snap = st.session_state.get("_snapshot")
    return snap if isinstance(snap, Snapshot) else begin_run()


def db_path() -> Path:
    """The database file this run reads."""
    return Path(snapshot().path)


def _stamp(path: Path) -> tuple[int, int]:
    """The file's modification time and size: a new import is a new key for every cache below."""
    try:
        s = path.stat()
        return (s.st_mtime_ns, s.st_size)
    except FileNotFoundError:
        return (0, 0)


@st.cache_resource(max_entries=4, show_spinner=False)
def _shared_registry(path: str, stamp: tuple[int, int]) -> db.Registry:
    return db.Registry(path)


def _registry(path: str, stamp: tuple[int, int]) -> db.Registry:
    """The open registry of a database file: a visitor's private one from its store, else the shared one
    (cached for every session)."""
    if path in private.STORE:
        reg = private.STORE.registry(path)
        if reg is not None:
            return reg
    return _shared_registry(path=path, stamp=stamp)


def registry() -> db.Registry:
    """The registry of this run's snapshot; a new one after an import replaces the file."""
    snap = snapshot()
    return _registry(snap.path, snap.stamp)


# The cached functions are called with keyword arguments: Streamlit inspects a function's signature for
# each positional argument of each call (about 3% of a run under load).
@st.cache_data(max_entries=2048, show_spinner=False)
def _query(path: str, stamp: tuple[int, int], name: str, key: str, _params: dict) -> pd.DataFrame:
    return _registry(path, stamp).query(name, _params)


def _cached_query(path: str, stamp: tuple[int, int], name: str, params: dict) -> pd.DataFrame:
    """`_query` keyed by the parameters' text (Streamlit's hashing of the dict itself was about a tenth of
    a warm rerun)."""
    return _query(path=path, stamp=stamp, name=name, key=repr(sorted(params.items())), _params=params)


def query(name: str, params: dict) -> pd.DataFrame:
    """Run a named query on this run's snapshot, cached by database file + query name + parameters."""
    snap = snapshot()
    return _cached_query(snap.path, snap.stamp, name, params)


@st.cache_data(max_entries=512, show_spinner=False)
def _stats(path: str, stamp: tuple[int, int], key: str, _filters: Filters) -> dict:
    # Through the query cache the pages read the same row from: its SQL runs once, not twice.
    return stats(_registry(path, stamp), _filters, query=functools.partial(_cached_query, path, stamp))


def filtered_stats(filters: Filters) -> dict:
    """`stats` for `filters`, cached like the queries."""
    snap = snapshot()
    return _stats(path=snap.path, stamp=snap.stamp, key=repr(filters.without_notices()), _filters=filters)


@st.cache_data(max_entries=8, show_spinner=False)
def _warnings(path: str, stamp: tuple[int, int]) -> pd.DataFrame:
    return _registry(path, stamp).warnings()


def import_warnings() -> pd.DataFrame:
    """The import warnings of the current database (cached per database file, as the queries are)."""
    snap = snapshot()
    return _warnings(path=snap.path, stamp=snap.stamp)


def clear_caches() -> None:
    """Drop every cached result (after an import: the next runs read the new data)."""
    st.cache_data.clear()
    st.cache_resource.clear()


@st.cache_resource(max_entries=8, show_spinner=False)
def _findings_store(snapshot_key: str, today: str) -> findings.Store:
    return findings.Store()


def view(filters: Filters | None = None) -> findings.View:
    """The registry and the current filters (set by app.py before the page runs), read through the
    caches, for the findings layer; its findings are kept per data file and date for every session."""
    f = filters if filters is not None else st.session_state.get("_filters", Filters())
    today = dt.date.today()
    store = _findings_store(snapshot_key=snapshot().key, today=today.isoformat())
    return findings.View(registry(), f, query, filtered_stats, today, store=store)


# ---------------------------------------------------------------------------------------------
# Sidebar filters ⇄ URL


@st.cache_data(max_entries=8, show_spinner=False)
def _options(path: str, stamp: tuple[int, int]) -> dict[str, list[str]]:
    df = _registry(path, stamp).query("filter_options", {})
    return {k: df.loc[df["field"] == k, "value"].tolist() for k in ("state", "worst_crime", "race", "sex")}


def _opts() -> dict[str, list[str]]:
    """The values each multi-select offers, cached as lists (split from the query's frame once: about
    10 ms a run on the sidebar of every page)."""
    snap = snapshot()
    return _options(path=snap.path, stamp=snap.stamp)


@st.cache_data(max_entries=8, show_spinner=False)
def _years(path: str, stamp: tuple[int, int]) -> tuple[int | None, int | None]:
    df = _registry(path, stamp).query("year_bounds", {})
    return tuple(None if pd.isna(df[c].iat[0]) else int(df[c].iat[0]) for c in ("min_year", "max_year"))


def _year_bounds(include_pre_1989: bool) -> tuple[int, int]:
    """The year slider's range: from 1989 (or the earliest exoneration, when pre-1989 cases are
    included) to the latest exoneration in the data. The data's years are kept as two numbers (read
    from a frame's row in every run, they were about 2 % of a server's time under load)."""
    snap = snapshot()
    lo, hi = _years(path=snap.path, stamp=snap.stamp)
    lo = 1989 if lo is None else lo
    hi = dt.date.today().year if hi is None else hi
    if not include_pre_1989:
        lo = min(max(lo, 1989), hi)
    return lo, max(lo, hi)


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
            notices.append(
                f"The as-of date {f.as_of} is outside the data ({meta.posting_min} to {meta.posting_max}); using {d}."
            )
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
            notices.append(
                f"Ignored {URL_KEYS[field]} value(s) not in the data: {quoted}" + ("…" if len(bad) > 3 else "") + "."
            )
        ss[f"f_{field}"] = known
    ss["f_dna"] = _TRI_REV[f.dna]
    ss["f_death_sentence"] = _TRI_REV[f.death_sentence]
    ss["f_include_pre_1989"] = f.include_pre_1989
    ss["f_forms"] = list(f.forms) if reg.meta.has("conviction_form") else []
    ss["f_ciu"] = _TRI_REV[f.ciu] if reg.meta.has("tags") else _ANY
    if (f.forms and not reg.meta.has("conviction_form")) or (f.ciu is not None and not reg.meta.has("tags")):
        notices.append(
            "This file does not say how convictions were obtained or which cases a conviction integrity "
            "unit helped clear: those link settings are ignored."
        )
    ss["_url_notices"] = notices
    ss["_filters_ready"] = snapshot().key


def _reset() -> None:
    for k in [k for k in st.session_state if k.startswith("f_")]:
        del st.session_state[k]
    st.session_state.pop("_filters_ready", None)
    st.query_params.clear()


FILTERS_OPEN = "filters_open"  # the key of the sidebar's filter panel (open or closed)
PLACES_OPEN = "places_open"  # the key of the sidebar's state-and-crime panel


# The filter widgets' keys in the session state.
FILTER_KEYS = (
    *("f_as_of", "f_years", "f_states", "f_crimes", "f_races", "f_sexes"),
    *("f_dna", "f_death_sentence", "f_include_pre_1989", "f_forms", "f_ciu"),
)


def sidebar_filters(reg: db.Registry) -> Filters:
    """The filters in the sidebar: a line that says what is shown, then two panels (state and crime; the
    other filters). A panel's widgets are drawn only while it is open (a new visit starts with both
    closed, which keeps a page load light); their values are kept while it is closed. Mirrored in the
    URL; returns the filters."""
    ss = st.session_state
    if ss.get("_filters_ready") != snapshot().key:
        _init_from_url(reg)
    meta = reg.meta
    lo, hi = _year_bounds(bool(ss.get("f_include_pre_1989")))
    years = tuple(ss.get("f_years", (lo, hi)))
    if years == tuple(ss.get("_year_span", ())):
        years = (lo, hi)  # the full range stays the full range when the bounds change
    ss["f_years"] = (min(max(years[0], lo), hi), max(min(years[1], hi), lo))
    ss["_year_span"] = (lo, hi)
    for k in (*FILTER_KEYS, FILTERS_OPEN, PLACES_OPEN):  # not `for k in ss`: that presents every widget's state
        if k in ss:
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
        forms=tuple(x for x in ss.get("f_forms", ()) if x in CONVICTION_FORMS),
        ciu=_TRI[ss.get("f_ciu", _ANY)],
    )
    sb = st.sidebar
    n_set = _count_set(f, meta)
    sb.markdown(filter_summary(f, meta))
    # The labels stay the same: they are part of a panel's identity, and a new one would close it. State
    # and crime have a panel of their own: their long lists (89 and 45 choices in the registry) cost the
    # browser 20-75 ms of every run while they are drawn (A/B), which a change of another filter no longer pays.
    places = sb.expander("State and crime", key=PLACES_OPEN, icon=":material/location_on:", on_change="rerun")
    if places.open:
        _place_widgets(places)
    panel = sb.expander("Filters", key=FILTERS_OPEN, icon=":material/filter_list:", on_change="rerun")
    if panel.open:
        _filter_widgets(panel, meta, lo, hi)
    if n_set:
        sb.button("Reset filters", on_click=_reset, width="stretch", icon=":material/restart_alt:")
    _write_url(f)
    ss["_filters"] = f
    return f


def sidebar_menu(target, nav: dict, filters: Filters) -> None:
    """The pages as links in the sidebar, by section. Each link carries the sidebar's filters, so the page
    it opens — and a link copied from it — shows the same cases."""
    params = filters.query_params()
    for section, entries in nav.items():
        target.markdown(f"**{md(section)}**")
        for entry in entries:
            target.page_link(entry, label=entry.title, icon=entry.icon, query_params=params, width="stretch")


def filter_summary(f: Filters, meta: db.Meta) -> str:
    """What the pages show, in one sentence for the sidebar."""
    latest = f.as_of == meta.posting_max
    when = (
        f"posted by **{f.as_of}**" + (" (the latest data)" if latest else ", coded as the registry codes them today")
        if f.as_of
        else "in this file (it has no posting dates)"
    )
    where = escape_markdown(f.describe())  # state and crime names come from the data
    return f"Showing exonerations {when}; " + (where if where else "1989 to the present, no other filters") + "."


def _count_set(f: Filters, meta: db.Meta) -> int:
    """How many filters differ from the default view (latest data, 1989 on, everything)."""
    return sum(
        (
            bool(f.as_of and meta.posting_max and f.as_of != meta.posting_max),
            f.year_from is not None or f.year_to is not None,
            bool(f.states),
            bool(f.crimes),
            bool(f.races),
            bool(f.sexes),
            f.dna is not None,
            f.death_sentence is not None,
            f.include_pre_1989,
            bool(f.forms),
            f.ciu is not None,
        )
    )


def _place_widgets(box) -> None:
    opts = _opts()
    box.multiselect("State or jurisdiction", opts["state"], key="f_states", placeholder="All")
    box.multiselect("Worst crime", opts["worst_crime"], key="f_crimes", placeholder="All")


def _filter_widgets(box, meta: db.Meta, lo: int, hi: int) -> None:
    opts = _opts()
    if meta.has("posting_date") and meta.posting_min and meta.posting_max:
        box.date_input(
            "Data as of (posting date)",
            key="f_as_of",
            min_value=meta.posting_min,
            max_value=meta.posting_max,
            format="YYYY-MM-DD",
            help="Count only the cases the registry had posted by this date. A past date shows which "
            "cases had been posted by then, coded as the registry codes them today (the file keeps "
            "no earlier coding): see Methodology & data.",
        )
    if lo < hi:
        box.slider("Year of exoneration", min_value=lo, max_value=hi, key="f_years")
    box.multiselect("Race of exoneree", opts["race"], key="f_races", placeholder="All")
    box.multiselect("Sex of exoneree", opts["sex"], key="f_sexes", placeholder="All")
    box.selectbox("DNA exoneration", list(_TRI), key="f_dna")
    box.selectbox("Death sentence", list(_TRI), key="f_death_sentence")
    if meta.has("conviction_form"):
        box.multiselect(
            "How the conviction was obtained",
            list(CONVICTION_FORMS),
            key="f_forms",
            placeholder="Any",
            format_func=lambda k: fmt.cap(CONVICTION_FORMS[k]),
        )
    if meta.has("tags"):
        box.selectbox(
            "Conviction integrity unit involved",
            list(_TRI),
            key="f_ciu",
            help="Whether a prosecutors' conviction integrity unit helped clear the case (the registry's CIU tag).",
        )
    box.checkbox(
        "Include cases exonerated before 1989",
        key="f_include_pre_1989",
        help="The registry's default view is 1989 to the present; earlier cases are a separate, thinner collection.",
    )


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


NARROW_PX = 640  # below this width a chart with a narrow form (the map, the heatmap) shows that form


TABLE_CSS = """
.data-table { overflow-x: auto; max-width: 100%; margin-bottom: 1rem; }
.data-table:focus-visible { outline: 2px solid #0072B2; outline-offset: 2px; }
.data-table table { border-collapse: collapse; line-height: 1.4; }
.data-table th, .data-table td { border: 1px solid rgba(49, 51, 63, 0.2); padding: 0.375rem 0.75rem;
  text-align: left; vertical-align: top; overflow-wrap: break-word; }
.data-table th { font-weight: 600; }
.data-table .num { text-align: right; font-variant-numeric: tabular-nums; }
.data-table td code { overflow-wrap: anywhere; font-size: 0.875em; }
"""


def responsive_styles() -> None:
    """On a phone, a chart with a narrow form shows it instead of its wide figure (and the reverse): the
    CSS of the keyed containers `wide_…` and `narrow_…` that `chart` draws; and the tables' look, with
    tighter cells on a phone (a table wider than the page scrolls inside its own box)."""
    st.html(f"""<style>{TABLE_CSS}
@media (max-width: {NARROW_PX}px) {{ div[class*="st-key-wide_"] {{ display: none !important; }}
  .data-table th, .data-table td {{ padding: 0.25rem 0.5rem; font-size: 0.9rem; }} }}
@media (min-width: {NARROW_PX + 1}px) {{ div[class*="st-key-narrow_"] {{ display: none !important; }} }}
</style>""")


def demo_banner(meta: db.Meta) -> None:
    if meta.is_demo:
        st.warning(
            "**Demo data.** These are synthetic cases generated for demonstration (names like "
            "“Demo Person 0001”); no figure on this page describes real exonerations. Load the "
            "registry file on the Methodology & data page or see the README.",
            icon=":material/warning:",
        )


def no_cases() -> None:
    """The one sentence a page shows when no case matches the filters, and the end of the page."""
    st.info(md(findings.NO_CASES))
    st.stop()


def cautions(items) -> None:
    """Each caution as a warning; an empty one (None: nothing to caution) shows nothing."""
    for text in items:
        if text:
            st.warning(md(text), icon=":material/warning:")


def notes(items) -> None:
    """Notes under a chart or a headline: one caption, a paragraph each."""
    texts = [md(text) for text in items if text]
    if texts:
        st.caption("\n\n".join(texts))


def headline(h: findings.Headline) -> None:
    """A page's headline: the sentence, what it counts, cautions, the headline figures."""
    st.markdown("### " + md(h.sentence))
    if h.context:
        st.caption(md(h.context))
    cautions(h.cautions)
    if h.metrics:
        metrics(h.metrics)
    notes(h.notes)


def metrics(items) -> None:
    """A row of headline figures: `st.metric`s in a horizontal container that wraps on a phone.
    `items`: (label, value) or (label, value, help)."""
    with st.container(horizontal=True, gap="medium"):
        for label, value, *more in items:
            st.metric(md(label), str(value), help=md(more[0]) if more and more[0] else None, width="stretch")


PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "sendDataToCloud"],
}


def plotly_config(c: findings.Chart, file_stub: str) -> dict:
    """The chart's modebar: "Download as PNG" (at twice the size, named after the chart, its filters
    and date), zoom and reset where they make sense; no third-party share button."""
    return {**PLOTLY_CONFIG, "toImageButtonOptions": {"format": "png", "scale": 2, "filename": file_stub}}


def file_stub(v: findings.View, what: str) -> str:
    """'exonerations-misconduct_by_actor-2026-06-25-new-york' — a download's name."""
    where = re.sub(r"[^a-z0-9]+", "-", findings.where(v.filters).lower()).strip("-")[:60]
    return "-".join(p for p in ("exonerations", what.replace("_", "-"), v.as_of, where) if p)


def question_tabs(labels: dict[str, str], draw: dict, key: str) -> None:
    """A page's questions as tabs (key → label; the first is the default), only the open one computed and
    drawn (`draw[key]()`); a link carries the open tab as `?tab=key`."""
    first = next(iter(labels))
    wanted = labels.get(st.query_params.get("tab", ""), labels[first])
    tabs = dict(zip(labels, st.tabs(list(labels.values()), key=key, on_change="rerun", default=wanted), strict=True))
    open_tab = next((k for k, t in tabs.items() if t.open), first)
    if open_tab == first:
        st.query_params.pop("tab", None)
    else:
        st.query_params["tab"] = open_tab
    with tabs[open_tab]:
        draw[open_tab]()


def plot(figure, key: str, alt: str, config: dict, on_select=None) -> None:
    """One plot: by the app's packaged chart element where it is installed, else by `st.plotly_chart`.
    With `on_select`, a click on a point calls it with the point's customdata."""
    if chart_element.available():
        chart_element.draw(figure, key=key, alt=alt, config=config, on_click=on_select)
        return
    extra = {"on_select": lambda: on_select(_picked(key)), "selection_mode": "points"} if on_select else {}
    st.plotly_chart(figure, theme=None, width="stretch", key=key, alt=alt, config=config, **extra)


def _picked(key: str):
    points = st.session_state[key]["selection"]["points"]
    return points[0].get("customdata") if points else None


def chart(c: findings.Chart, v: findings.View, *, on_select=None, config: dict | None = None):
    """A chart as every page shows it: its finding and denominator as text (they wrap on any screen),
    cautions, Chart and Table views, notes, the data as CSV and the SQL behind it. With `on_select`
    (a callback), a click on a point calls it with the point's customdata."""
    st.markdown(f"#### {md(c.title)}\n\n:small[{md(fmt.cap(c.subtitle))}]")  # one element: the finding, its denominator
    cautions(c.cautions)
    stub = file_stub(v, c.key)
    as_chart, as_table = st.tabs(["Chart", "Table"])
    with as_chart:
        with st.container(key=f"wide_{c.key}") if c.narrow is not None else contextlib.nullcontext():
            plot(c.figure, f"chart_{c.key}", c.alt, config or plotly_config(c, stub), on_select)
        if c.narrow is not None:
            with st.container(key=f"narrow_{c.key}"):
                st.caption(md(c.narrow_note))
                plot(c.narrow, f"chart_narrow_{c.key}", c.alt, plotly_config(c, stub))
    with as_table:
        st.html(c.html)
    with st.container(key=f"wide_notes_{c.key}") if c.narrow is not None else contextlib.nullcontext():
        notes(c.notes)  # they speak of the wide figure
    chart_actions(c, v, stub)
    if c.queries:
        sql_expander(st, "SQL behind this chart", c.queries, key=f"sql_{c.key}")


def app_url() -> str:
    """The app's address as the reader's browser sees it (scheme, host, any prefix; no page, no query)."""
    url = (st.context.url or "").split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if not url:
        return findings.citation.DEFAULT_APP_URL
    last = url.rsplit("/", 1)[-1]
    return url.rsplit("/", 1)[0] if last in pages.BY_PATH else url


def current_page() -> pages.Page:
    return pages.BY_TITLE.get(st.session_state.get("_page_title", ""), pages.DEFAULT)


def chart_link(v: findings.View) -> str:
    """The permalink of the view the reader is on: its page, filters, pinned as-of date and page settings."""
    page = current_page()
    extra = {k: st.query_params[k] for k in page.params if k in st.query_params}
    return findings.citation.permalink(v, page, app_url(), extra)


def chart_actions(c: findings.Chart, v: findings.View, stub: str) -> None:
    """Under a chart, one button: its numbers as CSV, and as a zip with their metadata and citation; how to
    cite it, embed it, or open its standalone page (PNG and SVG downloads) — written only when opened."""
    from . import publish

    box = st.popover("Download, cite, embed", key=f"share_{c.key}", on_change="rerun", icon=":material/download:")
    if not box.open:
        return
    with box:
        st.markdown("**Download the numbers**")
        with st.container(horizontal=True):
            csv_download(st, "CSV", c.data, file_name=f"{stub}.csv", key=f"csv_{c.key}", icon=":material/download:")
            st.download_button(
                "CSV + notes (.zip)",
                lambda: publish.zip_bundle(v, c, chart_link(v), dt.date.today()),
                file_name=f"{stub}.zip",
                mime="application/zip",
                key=f"zip_{c.key}",
            )
        share_box(c, v)


def share_box(c: findings.Chart, v: findings.View) -> None:
    from . import publish

    link = chart_link(v)
    cite = findings.citation.cite(v, c.title, link, dt.date.today(), c.key)
    page_url = published_url(c, v)
    st.markdown("**Cite it** (the link reproduces this chart, its filters and date):")
    st.code(cite.apa, language=None, wrap_lines=True)
    st.caption("In the text: " + md(cite.inline))
    st.code(cite.bibtex, language="latex", wrap_lines=True)
    st.markdown("**Embed it** (a static page: it costs the app nothing, however many readers it has):")
    st.code(
        f'<iframe src="{page_url}" title="{html.escape(c.title, quote=True)}" width="100%" height="640" '
        'style="border:0" loading="lazy"></iframe>',
        language="html",
        wrap_lines=True,
    )
    st.link_button("Open the standalone chart (PNG and SVG downloads)", page_url, icon=":material/open_in_new:")
    st.caption(f"PNG and SVG are {publish.EXPORT_WIDTH} px wide, with the finding, the denominator and the source.")


PUBLISHED = Path(__file__).resolve().parent.parent / "static" / "published"
MAX_PUBLISHED = 400  # views kept in static/published; the oldest go first


def published_url(c: findings.Chart, v: findings.View) -> str:
    """The URL of the chart's standalone page, written into the app's static folder if it is not there."""
    from . import publish

    folder = PUBLISHED / publish.digest(v, c.key)
    page = folder / f"{c.key}.html"
    if not page.is_file():
        publish.copy_plotly(PUBLISHED.parent)
        publish.write_chart(folder, v, c, chart_link(v), dt.date.today(), f"../../{publish.PLOTLY_NAME}")
        _prune_published()
    return f"{app_url()}/app/static/published/{folder.name}/{page.name}"


def _prune_published() -> None:
    views = sorted(PUBLISHED.iterdir(), key=lambda p: p.stat().st_mtime)
    for old in views[:-MAX_PUBLISHED]:
        shutil.rmtree(old, ignore_errors=True)


def sql_expander(target, label: str, names, key: str) -> None:
    """An expander with the SQL of the named queries, each with a button that opens it in the SQL console
    with the sidebar's filters written in. Its content is sent only once it is opened (which reruns the
    page), so the pages do not carry every query's text on every run."""
    ex = target.expander(label, key=key, on_change="rerun")
    if ex.open:
        for name in names:
            ex.code(db.query_text(name), language="sql")
            ex.button(
                "Open in the SQL console, with these filters",
                key=f"{key}_console_{name}",
                on_click=open_in_console,
                args=(name,),
                icon=":material/terminal:",
            )


def open_in_console(name: str) -> None:
    """A button's callback: the query `name` with the sidebar's filters written in as literals, put in the
    SQL console, which then runs it."""
    from . import sandbox

    v = view()
    st.session_state["sql_text"] = sandbox.with_literals(db.query_text(name), v.params)
    st.session_state["_sql_from_link"] = False
    st.session_state["_sql_run_now"] = True
    st.session_state["_switch_to"] = "app_pages/sql_console.py"  # done once the pages are known (app.py)


def follow_switch() -> None:
    """Go to the page a callback asked for (st.switch_page needs the navigation, which a callback runs
    before)."""
    target = st.session_state.pop("_switch_to", None)
    if target:
        st.switch_page(target)


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


def table(df: pd.DataFrame, label: str, **kwargs) -> None:
    """Rows shown as a static table, every text escaped (`fmt.html_table`); `label` names it for a
    screen reader."""
    st.html(fmt.html_table(df, label, **kwargs))


def sidebar_footer(meta: db.Meta) -> None:
    sb = st.sidebar
    sb.divider()
    if meta.is_demo:
        sb.caption("**Data:** synthetic demo data — not real cases.")
    else:
        sb.caption(
            f"**Data:** {md(glossary.SOURCE)}, file {md(meta.file_name)} ({md(meta.layout_name)}), "
            f"cases posted {meta.posting_min} to {meta.posting_max}."
        )
        age = findings.data_age_sentence(view())
        if age:
            sb.caption(md(age))
    sb.caption(
        "Figures count post-1989 exonerations by posting date unless you choose otherwise. "
        "See *Methodology & data* for definitions and SQL."
    )


# ---------------------------------------------------------------------------------------------
# Upload on the Methodology & data page

MAX_UPLOAD_MB = 47  # server.maxUploadSize in .streamlit/config.toml: just under the importer's limit


@st.cache_resource(show_spinner=False)
def _import_lock():
    import threading

    return threading.Lock()  # one import at a time in this server process (they share a temp file name)


def import_upload(data: bytes, name: str, path: Path | None = None) -> private.Imported:
    """Import an uploaded registry file into the shared database (admin mode) as `python -m exonerations
    import` does — read it, build a new database, swap it in atomically — in a child process bounded in
    time and memory. Raises `ingest.RegistryFileError` (one sentence); the database is then untouched."""
    with _import_lock():
        with runs.TURNS.aside():
            return private.import_bounded(data, name, path or shared_db_path(), dataset="registry")


# ---------------------------------------------------------------------------------------------
# A visitor's own file: imported into a private database that only their session reads


class PrivateFile:
    """A session's hold on its private database. It is removed when the visitor goes back to the shared
    data, or when the session ends (Streamlit then drops the session's state, and this object with it)."""

    def __init__(self, path: Path, file_name: str):
        self.path = str(path)
        self.file_name = file_name
        self._release = weakref.finalize(self, private.STORE.remove, self.path)

    def release(self) -> None:
        self._release()


def open_private(data: bytes, name: str) -> private.Imported:
    """Import an uploaded file into a private database for this session (the same atomic importer as
    every other path, in a bounded child process) and look at it from the next run. Raises
    `ingest.RegistryFileError` or `private.Full` (one sentence each); nothing shared is touched."""
    with runs.TURNS.aside():
        path, imported = private.STORE.create(data, name)
    leave_private()
    st.session_state["_private"] = PrivateFile(path, name)
    _reset_filters()
    return imported


def leave_private() -> None:
    """Back to the shared data: the private database is removed now."""
    mine = st.session_state.pop("_private", None)
    if isinstance(mine, PrivateFile):
        mine.release()
        _reset_filters()


def _reset_filters() -> None:
    """Filters start afresh from the file now shown (its own dates and values, not the URL's)."""
    for k in [k for k in st.session_state if str(k).startswith("f_")]:
        del st.session_state[k]
    st.session_state.pop("_filters_ready", None)
    st.query_params.clear()


def private_banner() -> None:
    """On every page while a visitor looks at their own file: whose figures these are, and the way back."""
    ss = st.session_state
    if ss.pop("_private_gone", False):
        st.info(
            "Your own file was removed from this server (it keeps visitors' files for a few hours at most): "
            "the figures are the shared data again. Upload it again to look at it.",
            icon=":material/info:",
        )
    mine = ss.get("_private")
    if not isinstance(mine, PrivateFile):
        return
    try:
        shared = _shared_registry(path=str(shared_db_path()), stamp=_stamp(shared_db_path())).meta
        shared_words = (
            "the synthetic demo data"
            if shared.is_demo
            else f"{shared.file_name} (cases posted to {shared.posting_max})"
        )
    except db.DatabaseError:
        shared_words = "not readable at the moment"
    with st.container(border=True):
        st.markdown(
            f":material/lock: **Your file** {md(mine.file_name)} — only you see these figures; the shared "
            f"data is {md(shared_words)}."
        )
        st.button("Back to the shared data", on_click=leave_private, icon=":material/undo:", key="leave_private")


# ---------------------------------------------------------------------------------------------
# Claims


@st.cache_resource(max_entries=8, show_spinner=False)  # shared, not copied: verdicts are immutable
def _checked_claims(path: str, stamp: tuple[int, int], claims_stamp: int):
    from . import claims

    return tuple(claims.check_all(_registry(path, stamp)))


@st.cache_resource(max_entries=8, show_spinner=False)  # shared, not copied: only read once built
def _claims_page(path: str, stamp: tuple[int, int], claims_stamp: int, base: str):
    from .findings import checks

    return checks.claims_page(_checked_claims(path=path, stamp=stamp, claims_stamp=claims_stamp), base)


def claims_page(base: str):
    """Every claim of claims/claims.toml checked with its own filters, as the Claims page shows it
    (`findings.checks.ClaimsPage`, its links starting with `base`); cached per database, version of the
    claims file and address. Raises claims.ClaimError when the file is malformed."""
    from . import claims

    snap = snapshot()
    return _claims_page(path=snap.path, stamp=snap.stamp, claims_stamp=claims.CLAIMS_FILE.stat().st_mtime_ns, base=base)


# ---------------------------------------------------------------------------------------------
# SQL console


def run_sql(sql: str, opening: bool = False) -> dict:
    """A reader's query run in the sandbox on the current database: {sql, result, error, file}. The
    console's opening query (`opening`) is the same for many visitors: its result is kept per database
    file, so a visit does not start a sandbox process each time."""
    from . import sandbox

    try:
        snap = snapshot()
        with runs.TURNS.aside():  # the query runs in a child process
            res = _opening_sql(path=snap.path, stamp=snap.stamp, sql=sql) if opening else sandbox.run(db_path(), sql)
        return {"sql": sql, "result": res, "error": None, "file": registry().meta.sha256}
    except sandbox.SandboxError as e:
        return {"sql": sql, "result": None, "error": str(e), "file": registry().meta.sha256}


@st.cache_data(max_entries=16, show_spinner=False)
def _opening_sql(path: str, stamp: tuple[int, int], sql: str):
    from . import sandbox

    return sandbox.run(path, sql)  # a refusal or a failure raises, and is not kept


# ---------------------------------------------------------------------------------------------
# Admin mode: the operator replaces the shared data from the app


def _secret(section: str, key: str):
    try:
        value = st.secrets.get(section, {})
        return value.get(key) if hasattr(value, "get") else None
    except Exception:  # noqa: BLE001 - no secrets file, or a malformed one: no admin mode from it
        return None


def admin_mode() -> str | None:
    """How the operator signs in to replace the shared data: "login" (Streamlit's st.login, where an
    identity provider is configured in secrets.toml's [auth] and [admin] emails lists who may), "password"
    ([admin] password in secrets.toml, or EXONERATIONS_ADMIN_PASSWORD), or None: admin mode is off."""
    if _secret("admin", "emails") and _secret("auth", "redirect_uri"):
        return "login"
    if _secret("admin", "password") or os.environ.get("EXONERATIONS_ADMIN_PASSWORD"):
        return "password"
    return None


def admin_signed_in() -> bool:
    mode = admin_mode()
    if mode == "login":
        emails = {str(e).lower() for e in _secret("admin", "emails") or ()}
        return bool(st.user.get("is_logged_in")) and str(st.user.get("email", "")).lower() in emails
    return mode == "password" and st.session_state.get("_admin") is True


MAX_ADMIN_TRIES = 5


def admin_sign_in() -> None:
    """The sign-in of admin mode: Streamlit's login, or the operator's password (a few tries a session)."""
    import hmac

    if admin_mode() == "login":
        if st.user.get("is_logged_in"):
            st.warning("You are signed in with an account that may not replace the shared data.")
            st.button("Sign out", on_click=st.logout)
        else:
            st.button("Sign in to replace the shared data", on_click=st.login, icon=":material/login:")
        return
    ss = st.session_state
    if ss.get("_admin_tries", 0) >= MAX_ADMIN_TRIES:
        st.error("Too many wrong passwords in this session: open the app in a new browser tab to try again.")
        return
    with st.form("admin_sign_in", border=False):
        given = st.text_input("Operator password", type="password")
        if st.form_submit_button("Sign in"):
            wanted = str(_secret("admin", "password") or os.environ.get("EXONERATIONS_ADMIN_PASSWORD", ""))
            if wanted and hmac.compare_digest(given.encode(), wanted.encode()):
                ss["_admin"] = True
                st.rerun()
            ss["_admin_tries"] = ss.get("_admin_tries", 0) + 1
            st.error("That is not the operator's password.")


# ---------------------------------------------------------------------------------------------
# A database that cannot be read


def database_error(e: db.DatabaseError) -> None:
    """What every page shows when the database cannot be read: the one sentence that says what is wrong
    and how to recover, on whichever page the link asked for (the pages are still known, so a page's
    address is never "not found"), and nothing else."""
    st.navigation(
        [
            st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=p is pages.DEFAULT)
            for p in pages.PAGES
        ],
        position="hidden",
    )
    st.error(md(str(e)), icon=":material/database:")
    st.stop()
