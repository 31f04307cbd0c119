"""The briefing pack for a view (registry, filters, date): a PowerPoint deck with native, editable charts
(`deck`) and a one-page printable fact sheet (`fact_sheet`), laid out from the same `Brief`.

`collect` gathers every figure once, through the findings layer (the functions the pages call) and the
view's cached queries, with the as-of date pinned; the deck and the fact sheet only lay the blocks out,
so they cannot disagree with each other or with the pages. Nothing here imports Streamlit, and no
sentence is written here: every word comes from `findings`."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, replace

import pandas as pd

from .. import findings
from ..filters import Filters
from ..findings import briefing
from ..findings.briefing import Block
from ..stats import stats as compute_stats
from .cli import cli_brief
from .deck import SLIDES, deck, slide_titles
from .factsheet import fact_sheet

__all__ = ["Brief", "SLIDES", "cli_brief", "collect", "deck", "fact_sheet", "page_pack", "slide_titles"]


@dataclass(frozen=True)
class Brief:
    """Every block of the pack, for one view (its as-of date pinned)."""

    v: findings.View
    cover: Block
    headline: Block
    factors: Block
    actors: Block
    kinds: Block
    accountability: Block  # the discipline of officials, among the exonerations with official misconduct
    trend: Block
    years_lost: Block
    compare: Block  # with the campaign's sentence and its date in the New York pack
    counties: Block  # the compared place's counties
    sources: Block
    trend_rows: tuple[tuple[str, str, str, str], ...]  # the numbers behind the trend charts, as printed
    sheet_cautions: tuple[str, ...]  # the fact sheet's cautions, printed once under its headline
    cite: Block | None = None  # the last slide: the link that reproduces the pack, and its citation
    link: str = ""  # the view that reproduces the pack (the Briefing page, its filters, its date)
    citation: object = None  # findings.citation.Citation of the pack

    @property
    def total(self) -> int:
        return self.v.total

    @property
    def as_of(self) -> str:
        return self.v.as_of

    @property
    def is_demo(self) -> bool:
        return self.v.is_demo

    @property
    def source_line(self) -> str:
        return findings.source_line(self.v)

    @property
    def title(self) -> str:
        return briefing.pack_title(self.v)

    @property
    def place(self) -> str:
        return briefing.place(self.v)


def _pinned(v: findings.View) -> findings.View:
    """The view with its as-of date set (the newest posting date when none is chosen), so the pack says
    which data it counts and can be made again."""
    f: Filters = v.filters.without_notices()
    if f.as_of is None and v.has_dates and v.meta.posting_max:
        f = f.with_(as_of=v.meta.posting_max)
    return v.with_filters(f)


def _memoised(v: findings.View) -> findings.View:
    """The view with its queries and stats asked once each: the app's view already goes through
    Streamlit's caches; the command line's gets a cache for this one pack."""
    if v.query_fn is not None and v.stats_fn is not None:
        return v
    queries: dict[str, pd.DataFrame] = {}
    stats: dict[str, dict] = {}

    def query(name: str, params: dict) -> pd.DataFrame:
        key = name + repr(sorted(params.items()))
        if key not in queries:
            queries[key] = v.registry.query(name, params)
        return queries[key].copy()

    def stats_of(f: Filters) -> dict:
        key = repr(f.without_notices())
        if key not in stats:
            stats[key] = compute_stats(v.registry, f)
        return copy.deepcopy(stats[key])

    return replace(v, query_fn=v.query_fn or query, stats_fn=v.stats_fn or stats_of)


@findings.memoized
def page_pack(v: findings.View, app_url: str) -> tuple[Brief, str]:
    """The Briefing page's pack and fact sheet, made once per data file, date, filters and address (the
    sheet's template, charts and QR code cost about 80 ms: a warm rerun then only draws)."""
    b = collect(v, app_url=app_url)
    return b, fact_sheet(b)


def collect(
    v: findings.View, app_url: str = findings.citation.DEFAULT_APP_URL, accessed: dt.date | None = None
) -> Brief:
    """Every block of the pack for `v`, each computed once; `app_url` is where the app is, for the link
    that reproduces the pack (the deck and the fact sheet carry it, and its citation)."""
    v = _memoised(_pinned(v))
    link = briefing.pack_link(v, app_url)
    accessed = accessed or v.today or dt.date.today()
    return Brief(
        cite=briefing.cite(v, link, accessed),
        link=link,
        citation=briefing.pack_citation(v, link, accessed),
        v=v,
        cover=briefing.cover(v),
        headline=briefing.headline(v),
        factors=briefing.factors(v),
        actors=briefing.actors(v),
        kinds=briefing.kinds(v),
        accountability=briefing.accountability(v),
        trend=briefing.trend(v),
        years_lost=briefing.years_lost(v),
        compare=briefing.compare(v),
        counties=briefing.counties(v),
        sources=briefing.sources(v),
        trend_rows=tuple(briefing.trend_rows(v)),
        sheet_cautions=briefing.sheet_cautions(v),
    )
