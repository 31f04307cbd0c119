"""The words of the Claims page: each claim's card (statement, verdict, figures, date, rule, meaning),
the summary of verdicts, the reader's own sentence checked, and "when was the registry at N?".

The verdicts themselves come from `exonerations.claims` (also the `claims` and `when` commands)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pandas as pd

from .. import charts, claims, fmt
from ..filters import Filters
from .core import DEFAULT_PERIOD, Chart, View, caption, memoized, small_caution, where

TITLE = "Claims, checked"
SUMMARY_LABEL = "The claims and their verdicts"
WHEN_LABEL = "Posting dates on which the registry held N exonerations"
VERDICT_WORDS = {
    claims.HOLDS: "Holds",
    claims.FAILS: "Does not hold",
    claims.UNCHECKABLE: "Cannot be checked with this file",
}
WORDING_RULES = (
    "Wording rules: “more than half” only above 50%; “about three in five” only within 2.5 points of 60% "
    "(closer near 0% and 100%); otherwise the fractions it lies between. “Played a role” is the registry's "
    "coding of a case, not a court finding against a named person; the registry codes conservatively, so a "
    "case without a code may still have involved it."
)


@dataclass(frozen=True)
class Card:
    """One claim as the page shows it."""

    statement: str
    about: str  # group, source and id
    verdict: str  # claims.HOLDS, FAILS or UNCHECKABLE
    lines: tuple[str, ...]  # figures, date, rule, meaning
    caution: str | None
    link: str


def scope_words(f: Filters) -> str:
    return where(f) or f"all jurisdictions, {DEFAULT_PERIOD}"


def card(v: claims.Verdict, base: str) -> Card:
    c = v.claim
    lines = []
    if v.status == claims.UNCHECKABLE:
        lines.append(fmt.cap(v.reason))
    else:
        lines.append(f"{v.figure.text()} — exonerations posted by {v.figure.as_of} ({scope_words(v.filters)}).")
        if v.baseline:
            lines.append(f"Nationwide on the same date: {v.baseline.text()}.")
        if v.reached:
            lines.append(f"Date: {v.reached.sentence()}")
        if v.today:
            lines.append(f"Today's figure (latest data, {v.today.as_of}): {v.today.text()}.")
    lines += [f"Rule: {c.rule_text()}.", f"What it means. {c.means}", f"What it does not mean. {c.does_not_mean}"]
    caution = None
    if v.status != claims.UNCHECKABLE and v.figure.is_share:
        caution = small_caution(v.figure.whole, "This share")
    return Card(
        c.statement,
        f"{c.group} · source: {c.source or 'not given'} · id {c.id}",
        v.status,
        tuple(lines),
        caution,
        v.permalink(base),
    )


def summary(verdicts: list[claims.Verdict]) -> pd.DataFrame:
    """One row per claim: its verdict and figure (the table at the top, and its CSV)."""
    return pd.DataFrame(
        [
            {
                "Claim": v.claim.id,
                "Verdict": VERDICT_WORDS[v.status],
                "Figure": v.figure.text() if v.figure else "—",
                "As of": v.as_of or "—",
                "Filters": scope_words(v.filters),
                "Statement": v.claim.statement,
            }
            for v in verdicts
        ],
        columns=["Claim", "Verdict", "Figure", "As of", "Filters", "Statement"],
    )


@dataclass(frozen=True)
class ClaimsPage:
    """The registry of claims as the Claims page shows it: the verdicts, their summary (as rows, as the
    page's table and as JSON) and each claim's card by id. Built once per data file, claims file and
    address, then only read: a rerun of the page formats nothing again."""

    verdicts: tuple[claims.Verdict, ...]
    summary: pd.DataFrame
    summary_html: str
    json: str
    cards: dict[str, Card]


def claims_page(verdicts: tuple[claims.Verdict, ...], base: str) -> ClaimsPage:
    """The Claims page's view of `verdicts`, the claims' links starting with `base`."""
    table = summary(list(verdicts))
    return ClaimsPage(
        verdicts,
        table,
        fmt.html_table(table, SUMMARY_LABEL),
        json.dumps([v.to_json() for v in verdicts], ensure_ascii=False, indent=1),
        {v.claim.id: card(v, base) for v in verdicts},
    )


def parse_threshold(text: str | None) -> float | None:
    """A threshold from a link: a finite number, else None (the form's default)."""
    try:
        value = float(text) if text else None
    except (TypeError, ValueError):
        return None
    return value if value is not None and math.isfinite(value) else None


def parse_n(text: str | None) -> int | None:
    """N from a link: a positive whole number up to ten million, else None."""
    try:
        n = int(str(text).strip()) if text else None
    except ValueError:
        return None
    return n if n is not None and 1 <= n <= 10_000_000 else None


def stat_options(measure: str) -> list[str]:
    """The statistics the form offers for a measure (`Measure.stats`): counts only for years lost and the number
    of cases; the discipline of officials only among the exonerations with official misconduct."""
    m = claims.MEASURES[measure]
    return [s for s in claims.STATS if s in m.stats]


def stat_label(m: claims.Measure, stat: str) -> str:
    if stat != "count":
        return fmt.cap(claims.STATS[stat])
    return "Total years" if m.unit == "years" else "Number of cases"


def threshold_kind(m: claims.Measure, stat: str) -> str:
    """What the threshold is: 'share' (in %), 'years' or 'cases'."""
    return "share" if stat != "count" else ("years" if m.unit == "years" else "cases")


def threshold_or_default(value: float | None, kind: str) -> float:
    """The threshold kept when it fits its kind, else the form's default (50%, 10,000 years, 1,000 cases)."""
    if kind == "share":
        return value if value is not None and 0 <= value <= 100 else 50.0
    if value is not None and 0 <= value <= 1e9:
        return value
    return 10000.0 if kind == "years" else 1000.0


def claim_params(own: claims.Claim) -> dict[str, str]:
    """The link parameters of the reader's own sentence."""
    t = 100 * own.threshold if own.is_share else own.threshold
    return {"measure": own.measure, "stat": own.stat, "cmp": own.compare, "threshold": f"{t:g}"}


def own_lines(v: View, own: claims.Claim, ov: claims.Verdict) -> tuple[str, ...]:
    """The reader's own sentence, checked with the sidebar's filters."""
    lines = [f"Your sentence: {own.rule_text()} — {scope_words(v.filters)}, posted by {v.as_of}."]
    if ov.status == claims.UNCHECKABLE:
        return (*lines, fmt.cap(ov.reason))
    lines.append(ov.figure.text())
    lines.append(f"What the numbers support: {claims.supported_sentence(own.m, ov.figure)}")
    if ov.today:
        lines.append(f"On the latest data ({ov.today.as_of}): {ov.today.text()}.")
    if own.is_share and own.compare == "=":
        lines.append("“=” on a share means within 2.5 percentage points — the same tolerance as “about”.")
    return tuple(lines)


@memoized
def reached(v: View, n: int) -> claims.Reached:
    """On which posting dates the filtered registry held `n` cases (`claims.when`: the view's as-of date
    set aside), kept with the view's other findings."""
    return claims.when(v.registry, v.filters, n, v.query_fn)


@memoized
def own_verdict(v: View, own: claims.Claim) -> claims.Verdict:
    """The reader's own sentence checked (`claims.check`), kept with the view's other findings."""
    return claims.check(v.registry, own, v.query_fn)


def when_rows(r: claims.Reached) -> pd.DataFrame:
    return pd.DataFrame(
        [{"From": a, "To": b if b else "latest data", "Exonerations": c} for a, b, c in r.ranges],
        columns=["From", "To", "Exonerations"],
    )


def when_chart(v: View, r: claims.Reached, n: int) -> Chart | None:
    """How the registry grew, with the date it held (or passed) N marked."""
    f = v.filters.with_(as_of=None)
    growth = v.query("registry_growth", as_of=None)
    if growth.empty or not r.ranges:
        return None
    d0, _, cases = r.ranges[0]
    marker = {"date": pd.Timestamp(d0), "cases": cases, "text": f"{cases:,} cases on {d0}"}
    title = (
        f"The registry held {n:,} exonerations on {d0}"
        if r.exact
        else f"The registry passed {n:,} exonerations on {d0}"
    )
    w = where(f)
    cap = caption(v.with_filters(f), title, "Cumulative exonerations by posting date" + (f" ({w})" if w else ""))
    data = growth.rename(
        columns={
            "posting_date": "Posting date",
            "cases": "Posted that day",
            "cumulative_cases": "Exonerations (cumulative)",
            "cumulative_misconduct": "With official misconduct (cumulative)",
        }
    )
    return Chart(
        "when_growth",
        cap,
        charts.growth(growth, cap, marker),
        data,
        ("registry_reached", "registry_growth"),
        table=when_rows(r),
    )


def checked_line(v: View, today: str) -> str:
    return (
        f"Checked {today} against {v.meta.file_name} ({v.meta.layout_name}). Command line: "
        "python -m exonerations claims --json and python -m exonerations when N."
    )
