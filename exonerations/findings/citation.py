"""How a chart (or a page) is cited and shared: its permalink (the view that reproduces it, the as-of date
pinned), the citation text (in-line, APA style and BibTeX, with the access date), the metadata that
travels with its CSV, and the list of every chart the findings pages draw (for publishing)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from .. import glossary, pages
from .core import Chart, View, data_age, scope, source_line, where

APP_NAME = pages.APP_NAME
DEFAULT_APP_URL = "http://localhost:8501"


def permalink(
    v: View, page: pages.Page, app_url: str = DEFAULT_APP_URL, extra: dict | None = None, anchor: str = ""
) -> str:
    """The URL of the view that reproduces a figure: the page, its filters and the as-of date pinned (so
    the link shows the same numbers after the registry grows), plus the page's own settings."""
    params = dict(v.filters.query_params())
    if v.has_dates and v.as_of_date:
        params["as_of"] = v.as_of
    params.update(extra or {})
    base = app_url.rstrip("/")
    path = "" if page is pages.DEFAULT else page.url_path
    return f"{base}/{path}" + (f"?{urlencode(params, doseq=True)}" if params else "") + (f"#{anchor}" if anchor else "")


@dataclass(frozen=True)
class Citation:
    inline: str
    apa: str
    bibtex: str


def _long_date(d: dt.date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _bib(text: str) -> str:
    """Text safe inside a BibTeX field."""
    text = text.replace("\\", "/")
    return re.sub(r"([{}%&#_$])", r"\\\1", text)


def cite(v: View, title: str, link: str, accessed: dt.date, key: str = "chart") -> Citation:
    """The citation of a figure titled `title`, reproduced at `link`, read on `accessed`."""
    source = "Synthetic demo data" if v.is_demo else glossary.SOURCE
    year = v.as_of[:4] if v.as_of[:4].isdigit() else str(accessed.year)
    inline = f"({source}, data as of {v.as_of}, via {APP_NAME})"
    s = scope(v.filters)
    apa = (
        f"{source}. ({year}). {title} [Data set; figure; data as of {v.as_of}"
        + (f"; {s}" if s else "")
        + f"]. {APP_NAME}. Retrieved {_long_date(accessed)}, from {link}"
    )
    cite_key = re.sub(r"[^a-z0-9]+", "_", f"nre {key} {v.as_of}".lower()).strip("_")
    bibtex = "\n".join(
        [
            f"@misc{{{cite_key},",
            f"  author = {{{{{_bib(source)}}}}},",
            f"  title = {{{_bib(title)}}},",
            f"  year = {{{year}}},",
            f"  howpublished = {{{_bib(APP_NAME)}, \\url{{{link}}}}},",
            f"  note = {{Data as of {_bib(v.as_of)}"
            + (f"; {_bib(s)}" if s else "")
            + (f"; file SHA-256 {v.meta.sha256}" if v.meta.sha256 else "")
            + f"; accessed {accessed.isoformat()}}}",
            "}",
        ]
    )
    return Citation(inline, apa, bibtex)


def metadata(v: View, chart: Chart, link: str, accessed: dt.date) -> dict:
    """What travels with a chart's CSV: what it shows, of what, when, from which file, and where to see it."""
    return {
        "title": chart.title,
        "denominator": chart.subtitle,
        "filters": where(v.filters) or "none",
        "scope": scope(v.filters),
        "as_of": v.as_of,
        "data_age": data_age(v),
        "source": source_line(v),
        "source_file": v.meta.file_name,
        "source_file_sha256": v.meta.sha256,
        "definitions": {c.label: c.definition for c in (*glossary.CONTRIBUTING, glossary.DNA, *glossary.MISCONDUCT)},
        "queries": list(chart.queries),
        "notes": list(chart.notes),
        "cautions": list(chart.cautions),
        "permalink": link,
        "accessed": accessed.isoformat(),
        "citation": cite(v, chart.title, link, accessed, chart.key).apa,
        "demo_data": v.is_demo,
    }


def readme(meta: dict) -> str:
    """The metadata as the README of a chart's download."""
    lines = [
        meta["title"],
        "",
        f"What it counts: {meta['denominator']}.",
        f"Data as of: {meta['as_of']} ({meta['data_age']}).",
        f"Filters: {meta['filters']}.",
        f"Source: {meta['source']}.",
        f"Source file: {meta['source_file']} (SHA-256 {meta['source_file_sha256']}).",
        f"Reproduce it: {meta['permalink']}",
        f"Cite it: {meta['citation']}",
        "",
    ]
    lines += [f"Note: {n}" for n in meta["notes"]] + [f"Caution: {c}" for c in meta["cautions"]]
    lines += ["", "Definitions:"] + [f"- {k}: {d}" for k, d in meta["definitions"].items()]
    if meta["demo_data"]:
        lines.insert(0, "SYNTHETIC DEMO DATA — not real cases.\n")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Every chart the findings pages draw, for a published site


def catalog() -> list[tuple[str, Callable[[View], Chart | None], dict]]:
    """(page url_path, the function that draws the chart, the page's link settings) for every chart a
    published site carries."""
    from . import accountability, geography, human_cost, misconduct, new_york, over_time, overview

    entries = [
        ("overview", overview.factors_chart, {}),
        ("overview", overview.misconduct_share_chart, {}),
        ("overview", overview.growth_chart, {}),
        ("misconduct", misconduct.actors_chart, {}),
        ("misconduct", misconduct.kinds_chart, {}),
        ("misconduct", misconduct.together_chart, {"tab": "together"}),
        ("misconduct", misconduct.cooccurrence_chart, {"tab": "together"}),
        ("over-time", over_time.by_year_chart, {}),
        ("over-time", over_time.years_lost_chart, {}),
        ("geography", lambda v: geography.map_chart(v, "share"), {"measure": "share"}),
        ("new-york", new_york.actor_chart, {}),
        ("new-york", new_york.kind_chart, {}),
        ("new-york", new_york.counties_chart, {}),
        ("accountability", accountability.split_chart, {}),
        ("accountability", accountability.kinds_chart, {}),
        ("accountability", accountability.states_chart, {}),
        ("accountability", accountability.compare_chart, {}),
        ("accountability", accountability.trial_chart, {}),
        ("accountability", accountability.not_connected_chart, {}),
        ("accountability", accountability.conviction_chart, {}),
        ("accountability", accountability.cleared_chart, {}),
        ("human-cost", human_cost.distribution_chart, {}),
        ("human-cost", human_cost.comparison_chart, {}),
        ("human-cost", human_cost.death_chart, {}),
    ]
    for dim in ("worst_crime", "race", "dna", "death_sentence"):
        entries.append(("misconduct", lambda v, d=dim: misconduct.group_chart(v, d), {"tab": "where"}))
    return entries
