"""Claims kept as data in `claims/claims.toml`, each checked live against the loaded registry; the
honest wording of a share in plain fractions; and "on which date did the registry hold N cases?".

A claim names a measure (a factor, a kind of misconduct, an actor…), a statistic (share or count),
filters, a comparison and a threshold (or another place to compare with). `check` recomputes the
figure from the `stats` query and returns a `Verdict`: holds, does not hold, or cannot be checked
with this file (the loaded layout lacks a column the measure needs, no posting dates, no cases).
Nothing here imports Streamlit; the page and the `claims` / `when` commands share it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import operator
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

import pandas as pd

from . import fmt, glossary
from .db import PROJECT_ROOT, Registry
from .filters import Filters

CLAIMS_FILE = PROJECT_ROOT / "claims" / "claims.toml"
PAGE_PATH = "claims"  # the claims page's URL path (app.py)

QueryFn = Callable[[str, dict], pd.DataFrame]

HOLDS, FAILS, UNCHECKABLE = "holds", "does not hold", "cannot be checked with this file"
ABOUT = fmt.ABOUT  # "about" / "=" on a share: within 2.5 percentage points


# ---------------------------------------------------------------------------------------------
# Measures: what a claim can count


@dataclass(frozen=True)
class Measure:
    key: str  # column of the `stats` query
    label: str  # from the glossary
    phrase: str  # what the exonerations involved: "official misconduct", "misconduct by a police officer"
    columns: tuple[str, ...]  # columns of `cases` the loaded layout must have
    unit: str = "cases"  # "cases" or "years"
    group: str = ""
    stats: tuple[str, ...] = ("share", "share_of_misconduct", "count")  # the statistics it can be checked with
    # the `stats` column counting it among the exonerations with official misconduct ("" = `<key>_in_om`)
    om_key: str = ""
    # what the exonerations are said to be, as a clause ("no official is known to the registry to have been
    # disciplined"); "" = they "involved <phrase>"
    clause: str = ""

    @property
    def involving(self) -> str:
        """'involving misconduct by a police officer', 'in which no official is known … disciplined'."""
        return f"in which {self.clause}" if self.clause else f"involving {self.phrase}"


def _measures() -> dict[str, Measure]:
    out: dict[str, Measure] = {}
    out["exonerations"] = Measure("total", "Exonerations", "", (), group="Totals", stats=("count",))
    for c in glossary.FACTORS:
        phrase = "DNA evidence central to the exoneration" if c.key == "dna" else c.label.lower()
        out[c.key] = Measure(c.key, c.label, phrase, (c.column,), group="Contributing factors")
    for c in glossary.ACTORS:
        out[c.key] = Measure(
            c.key,
            f"Misconduct by: {c.label.lower()}",
            f"misconduct by a {c.label.lower()}",
            (c.column,),
            group="Official misconduct by actor",
        )
    both = f"{glossary.label('police')} and {glossary.label('prosecutor').lower()} both"
    out["police_and_prosecutor"] = Measure(
        "police_and_prosecutor",
        f"Misconduct by: {both.lower()}",
        f"misconduct by both a {glossary.label('police').lower()} and a {glossary.label('prosecutor').lower()}",
        (glossary.BY_KEY["police"].column, glossary.BY_KEY["prosecutor"].column),
        group="Official misconduct by actor",
    )
    for c in glossary.KINDS:
        out[c.key] = Measure(
            c.key,
            f"Misconduct: {c.label.lower()}",
            f"official misconduct of the kind “{c.label}”",
            (c.column,),
            group="Official misconduct by kind",
        )
    out["years_lost"] = Measure(
        "years_lost", "Years lost in prison", "", ("years_lost",), unit="years", group="Human cost", stats=("count",)
    )
    return {**out, **_accountability_measures()}


ACCOUNTABILITY = "Accountability"
DISCIPLINE_CLAUSES = {
    "this_case": "an official was disciplined, at least in part, for the misconduct in the case",
    "this_case_not_contributing": "an official was disciplined for misconduct in the case that did not contribute "
    "to the conviction",
    "other_similar": "an official was disciplined for similar misconduct in other cases",
    "other_dissimilar": "an official was disciplined for other misconduct in other cases",
}


def _accountability_measures() -> dict[str, Measure]:
    """The full export's accountability columns. The discipline of officials is counted among the
    exonerations with official misconduct only (stats.sql `acc_*`): a share of them, or a number of them."""
    out: dict[str, Measure] = {}
    disc = ("official_misconduct", glossary.DISCIPLINE_ANSWERS.any_column)
    among_om = ("share_of_misconduct", "count")
    for c in glossary.DISCIPLINE:
        key = f"acc_disciplined_{c.key}"
        out[f"disciplined_{c.key}"] = Measure(
            key, c.label, c.label.lower(), disc, group=ACCOUNTABILITY, stats=among_om, om_key=key,
            clause=DISCIPLINE_CLAUSES[c.key],
        )  # fmt: skip
    summary = {c.key: c for c in glossary.DISCIPLINE_SUMMARY}
    out["any_discipline"] = Measure(
        "acc_any_discipline", summary["any_discipline"].label, "the discipline of an official", disc,
        group=ACCOUNTABILITY, stats=among_om, om_key="acc_any_discipline",
        clause="an official was disciplined (any of the registry's four kinds of discipline)",
    )  # fmt: skip
    out["no_known_discipline"] = Measure(
        "acc_no_known_discipline", summary["no_known_discipline"].label, "no known discipline of any official", disc,
        group=ACCOUNTABILITY, stats=among_om, om_key="acc_no_known_discipline",
        clause="no official is known to the registry to have been disciplined",
    )  # fmt: skip
    over_all = ("share", "count")
    out["prosecutor_at_trial"] = Measure(
        "trial_any", "Prosecutor's misconduct at trial", "a prosecutor's misconduct at trial",
        (glossary.PROSECUTOR_AT_TRIAL_ANSWERS.any_column,), group=ACCOUNTABILITY, stats=over_all,
    )  # fmt: skip
    out["not_connected"] = Measure(
        "omnc_any", "Misconduct that did not cause the conviction", "official misconduct that did not cause the "
        "conviction", (glossary.NOT_CONNECTED_ANSWERS.any_column,), group=ACCOUNTABILITY, stats=over_all,
    )  # fmt: skip
    out["judicial_misconduct"] = Measure(
        "judicial_misconduct", glossary.JUDICIAL_MISCONDUCT.label, "extreme misconduct by a judge",
        (glossary.JUDICIAL_MISCONDUCT.key,), group=ACCOUNTABILITY, stats=over_all,
    )  # fmt: skip
    return out


MEASURES: dict[str, Measure] = _measures()
OM = MEASURES["official_misconduct"]

STATS = {
    "share": "share of exonerations",
    "share_of_misconduct": "share of exonerations with official misconduct",
    "count": "number",
}


@dataclass(frozen=True)
class Op:
    symbol: str  # as written in claims.toml and URLs
    sign: str  # as printed
    words: str  # "more than"
    fn: Callable[[float, float], bool]


OPS: dict[str, Op] = {
    ">": Op(">", ">", "more than", operator.gt),
    ">=": Op(">=", "≥", "at least", operator.ge),
    "<": Op("<", "<", "less than", operator.lt),
    "<=": Op("<=", "≤", "at most", operator.le),
    "=": Op("=", "=", "exactly", operator.eq),
}


def compare(op: str, value: float, threshold: float, share: bool) -> bool:
    """`value op threshold`; '=' on a share means within ABOUT (2.5 points), on a count exactly."""
    if op == "=" and share:
        return abs(value - threshold) <= ABOUT + 1e-12
    return OPS[op].fn(value, threshold)


# ---------------------------------------------------------------------------------------------
# Wording: "61% — more than half; about three in five" (fmt holds the rules)

pct_text = fmt.pct_short_of
fraction_phrase = fmt.fraction_phrase
share_words = fmt.share_words


def number_text(value: float, unit: str = "cases") -> str:
    if unit == "years":
        return f"{value:,.0f} years" if float(value).is_integer() else f"{value:,.1f} years"
    return f"{int(value):,}"


# ---------------------------------------------------------------------------------------------
# Claims


class ClaimError(ValueError):
    """A claim in claims.toml (or built from a form) is malformed. One sentence."""


@dataclass(frozen=True)
class Claim:
    id: str
    statement: str
    measure: str
    stat: str = "share"
    compare: str = ">"
    threshold: float | None = None
    against: str | None = None  # "nation"
    filters: Filters = field(default_factory=Filters)
    as_of_total: int | None = None
    group: str = ""
    source: str = ""
    means: str = ""
    does_not_mean: str = ""

    def __post_init__(self) -> None:
        where = f"claim {self.id!r}"
        if self.measure not in MEASURES:
            raise ClaimError(f"{where}: unknown measure {self.measure!r}.")
        if self.stat not in STATS:
            raise ClaimError(f"{where}: stat must be one of {', '.join(STATS)}.")
        if self.compare not in OPS:
            raise ClaimError(f"{where}: compare must be one of {' '.join(OPS)}.")
        if (self.threshold is None) == (self.against is None):
            raise ClaimError(f'{where}: give either a threshold or against = "nation".')
        if self.against not in (None, "nation"):
            raise ClaimError(f'{where}: against can only be "nation".')
        self._check_stat(where)
        if self.threshold is not None and self.is_share and not 0 <= self.threshold <= 1:
            raise ClaimError(f"{where}: a share threshold is a fraction between 0 and 1 (0.5 = 50%).")
        if self.as_of_total is not None and self.filters.as_of is not None:
            raise ClaimError(f"{where}: give as_of_total or an as_of filter, not both.")

    def _check_stat(self, where: str) -> None:
        """The statistic fits the measure (years can only be counted; the discipline of officials only among
        the exonerations with official misconduct)."""
        if self.stat != "count" and MEASURES[self.measure].unit != "cases":
            raise ClaimError(f'{where}: {self.measure} can only be counted (stat = "count").')
        if self.stat != "count" and self.measure == "exonerations":
            raise ClaimError(f"{where}: the share of exonerations among exonerations is always 100%.")
        if self.stat not in self.m.stats:
            allowed = " or ".join(f'"{x}"' for x in self.m.stats)
            raise ClaimError(f"{where}: {self.measure} can only be checked with stat = {allowed}.")

    @property
    def is_share(self) -> bool:
        return self.stat != "count"

    @property
    def m(self) -> Measure:
        return MEASURES[self.measure]

    def rule_text(self) -> str:
        """'share of exonerations with official misconduct > 50%'"""
        what = (
            f"share of exonerations {self.m.involving}"
            if self.stat == "share"
            else f"among exonerations with official misconduct, share {self.m.involving}"
            if self.is_share
            else "number of exonerations"
            if self.measure == "exonerations"
            else f"number of exonerations {self.m.involving}"
            if self.m.unit == "cases"
            else self.m.label.lower()
        )
        op = OPS[self.compare]
        if self.against:
            return f"{what} {op.sign} the same share nationwide"
        if self.is_share:
            t = f"{fmt.number(100 * self.threshold, 1).removesuffix('.0')}%"
            return f"{what} ≈ {t} (within 2.5 points)" if self.compare == "=" else f"{what} {op.sign} {t}"
        return f"{what} {op.sign} {number_text(self.threshold, self.m.unit)}"

    @classmethod
    def from_dict(cls, d: Mapping) -> Claim:
        cid = str(d.get("id", "")).strip()
        if not cid:
            raise ClaimError("a claim has no id.")
        raw_filters = {
            k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in dict(d.get("filters", {})).items()
        }
        f = Filters.from_query_params(raw_filters)
        if f.notices:
            raise ClaimError(f"claim {cid!r}: {' '.join(f.notices)}")
        known = {
            "id",
            "statement",
            "measure",
            "stat",
            "compare",
            "threshold",
            "against",
            "filters",
            "as_of_total",
            "group",
            "source",
            "means",
            "does_not_mean",
        }
        unknown = set(d) - known
        if unknown:
            raise ClaimError(f"claim {cid!r}: unknown field(s) {', '.join(sorted(unknown))}.")
        try:
            return cls(
                id=cid,
                statement=str(d.get("statement", "")).strip(),
                measure=str(d.get("measure", "")),
                stat=str(d.get("stat", "share")),
                compare=str(d.get("compare", ">")),
                threshold=None if d.get("threshold") is None else float(d["threshold"]),
                against=d.get("against"),
                filters=f.without_notices(),
                as_of_total=None if d.get("as_of_total") is None else int(d["as_of_total"]),
                group=str(d.get("group", "")),
                source=str(d.get("source", "")),
                means=" ".join(str(d.get("means", "")).split()),
                does_not_mean=" ".join(str(d.get("does_not_mean", "")).split()),
            )
        except (TypeError, ValueError) as e:
            if isinstance(e, ClaimError):
                raise
            raise ClaimError(f"claim {cid!r}: {e}.") from None


@cache
def load_raw() -> tuple[dict, ...]:
    with CLAIMS_FILE.open("rb") as f:
        return tuple(tomllib.load(f).get("claim", []))


def load() -> tuple[dict, ...]:
    """The claims as written in claims.toml (plain dicts)."""
    return load_raw()


@cache
def registry_claims() -> tuple[Claim, ...]:
    """The claims of claims.toml, validated (ClaimError names the bad one)."""
    claims = tuple(Claim.from_dict(d) for d in load_raw())
    ids = [c.id for c in claims]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise ClaimError(f"claims.toml has duplicate ids: {', '.join(sorted(dup))}.")
    return claims


def campaign_total() -> int | None:
    """The total the campaign's headline sentence quotes (e.g. 3,776), from the claims file."""
    for c in load():
        if c.get("id") == "campaign-3776":
            return int(c["as_of_total"])
    return None


# ---------------------------------------------------------------------------------------------
# When did the registry hold N cases?


@dataclass(frozen=True)
class Reached:
    n: int
    exact: bool  # the registry held exactly n on the dates in `ranges`
    ranges: tuple[tuple[dt.date, dt.date | None, int], ...]  # (from, to or None = still the latest, cases)
    latest_total: int
    latest_date: dt.date | None
    filters: Filters
    has_dates: bool = True

    @property
    def first_date(self) -> dt.date | None:
        return self.ranges[0][0] if self.ranges else None

    def noun(self) -> str:
        """'3,776 exonerations (New York; 1989 to the present)'"""
        f = self.filters
        parts = [f.with_(as_of=None, include_pre_1989=False).describe()]
        if not f.include_pre_1989 and f.year_from is None and f.year_to is None:
            parts.append("1989 to the present")
        elif f.include_pre_1989:
            parts.append("including pre-1989 cases")
        scope = "; ".join(p for p in parts if p)
        return f"{self.n:,} exoneration{'' if self.n == 1 else 's'}" + (f" ({scope})" if scope else "")

    def sentence(self) -> str:
        if not self.has_dates:
            return "This file has no posting dates, so the date on which the registry held a given number of cases cannot be found."
        if self.exact:
            spans = "; ".join(_span(a, b, self.latest_date) for a, b, _ in self.ranges)
            return f"The registry held exactly {self.noun()} {spans}."
        if self.ranges:
            a, _, cases = self.ranges[0]
            return (
                f"The registry never held exactly {self.noun()}: it first passed {self.n:,} on {a}, "
                f"when that day's postings took it to {cases:,}."
            )
        latest = f"{self.latest_total:,} on {self.latest_date}" if self.latest_date else f"{self.latest_total:,}"
        return f"The registry in this file never held {self.noun()}: the latest total is {latest}."

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "exact": self.exact,
            "reached": bool(self.ranges),
            "ranges": [
                {"from": a.isoformat(), "to": b.isoformat() if b else None, "cases": c} for a, b, c in self.ranges
            ],
            "latest_total": self.latest_total,
            "latest_date": self.latest_date.isoformat() if self.latest_date else None,
            "filters": self.filters.with_(as_of=None).query_params(),
            "sentence": self.sentence(),
        }


def _span(a: dt.date, b: dt.date | None, latest: dt.date | None) -> str:
    if b is None:
        return f"from {a} to the latest data ({latest})" if latest and latest != a else f"on {a} (the latest data)"
    return f"on {a}" if a == b else f"from {a} to {b}"


def _date(v) -> dt.date | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or pd.isna(v):
        return None
    return pd.Timestamp(v).date()


def when(registry: Registry, filters: Filters, n: int, query: QueryFn | None = None) -> Reached:
    """The posting dates on which the filtered registry held exactly `n` cases; if it never did, the
    date it first passed `n`. The filters' as-of date is ignored (every date is searched)."""
    q = query or registry.query
    f = filters.without_notices().with_(as_of=None)
    params = f.sql_params(True)
    latest = q("stats", params).iloc[0]
    latest_total, latest_date = int(latest["total"]), _date(latest["last_posting_date"])
    if not registry.meta.has("posting_date"):
        return Reached(n, False, (), latest_total, latest_date, f, has_dates=False)
    df = q("registry_reached", {**params, "n": int(n)})
    ranges = tuple((_date(r.from_date), _date(r.to_date), int(r.cumulative_cases)) for r in df.itertuples())
    exact = bool(len(df)) and bool(df["exact"].iloc[0])
    return Reached(int(n), exact, ranges, latest_total, latest_date, f)


# ---------------------------------------------------------------------------------------------
# Checking


@dataclass(frozen=True)
class Figure:
    """One measured figure: `part` of `whole` (a share) or `part` alone (a count), on a date."""

    filters: Filters
    as_of: str
    part: float  # cases (or years)
    whole: int  # the denominator: exonerations, or those with official misconduct
    total: int  # all the filtered exonerations
    is_share: bool
    unit: str = "cases"

    @property
    def value(self) -> float | None:
        if self.is_share:
            return None if not self.whole else self.part / self.whole
        return self.part

    def text(self) -> str:
        """'2,297 of 3,776 (60.8%) — more than half; about three in five' or '35,945.8 years'."""
        if not self.is_share:
            return number_text(self.part, self.unit)
        if not self.whole:
            return "no cases"
        pct = fmt.pct(int(self.part), self.whole)
        words = share_words(int(self.part), self.whole)
        return (
            f"{int(self.part):,} of {self.whole:,} ({pct}) — {words.split(' — ', 1)[1]}"
            if " — " in words
            else f"{int(self.part):,} of {self.whole:,} ({pct})"
        )

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of,
            "filters": self.filters.query_params(),
            "part": self.part,
            "whole": self.whole,
            "total": self.total,
            "value": self.value,
            "text": self.text(),
        }


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    status: str  # HOLDS, FAILS or UNCHECKABLE
    figure: Figure | None = None
    baseline: Figure | None = None  # the nation, for `against = "nation"`
    today: Figure | None = None  # the same figure on the latest data, when the claim is dated
    reached: Reached | None = None
    reason: str = ""  # why it cannot be checked, or a note on the date found

    @property
    def queries(self) -> tuple[str, ...]:
        return ("registry_reached", "stats") if self.claim.as_of_total else ("stats",)

    @property
    def filters(self) -> Filters:
        return self.figure.filters if self.figure else self.claim.filters

    @property
    def as_of(self) -> str | None:
        return self.figure.as_of if self.figure else None

    def headline(self) -> str:
        """One line: the verdict and the numbers behind it."""
        if self.status == UNCHECKABLE:
            return f"Cannot be checked with this file: {self.reason}"
        assert self.figure is not None
        s = f"{self.status.capitalize()}: {self.figure.text()}, as of {self.figure.as_of}"
        if self.baseline:
            s += f"; nationwide {self.baseline.text()}"
        return s + "."

    def permalink(self, base: str = PAGE_PATH) -> str:
        """`claims?claim=<id>&…filters…` — opens the claims page on this claim with its filters."""
        return link(base, {"claim": self.claim.id, **self.filters.query_params()})

    def to_json(self) -> dict:
        c = self.claim
        return {
            "id": c.id,
            "group": c.group,
            "statement": c.statement,
            "source": c.source,
            "verdict": self.status,
            "holds": None if self.status == UNCHECKABLE else self.status == HOLDS,
            "rule": c.rule_text(),
            "measure": c.measure,
            "stat": c.stat,
            "compare": c.compare,
            "threshold": c.threshold,
            "against": c.against,
            "as_of": self.as_of,
            "figure": self.figure.to_json() if self.figure else None,
            "baseline": self.baseline.to_json() if self.baseline else None,
            "today": self.today.to_json() if self.today else None,
            "reached": self.reached.to_json() if self.reached else None,
            "reason": self.reason,
            "headline": self.headline(),
            "permalink": self.permalink(),
            "sql": list(self.queries),
            "means": c.means,
            "does_not_mean": c.does_not_mean,
        }


def link(base: str, params: Mapping) -> str:
    return f"{base}?{urlencode(params, doseq=True)}" if params else base


def _missing(registry: Registry, m: Measure, stat: str) -> list[str]:
    cols = list(m.columns) + (list(OM.columns) if stat == "share_of_misconduct" else [])
    return [c for c in cols if not registry.meta.has(c)]


# The full export's headers of the accountability columns, for "this file has no … column".
HEADERS = {
    **{c: spec.header for spec in glossary.ANSWER_COLUMNS for c in spec.columns},
    glossary.JUDICIAL_MISCONDUCT.key: "Extreme judicial misconduct",
    "conviction_form": "Form of 1st Conviction",
}


def _column_words(cols: list[str]) -> str:
    def one(c: str) -> str:
        code = next((x for x in glossary.ALL_CODES if x.column == c), None)
        return f"“{code.label}”" if code else f"“{HEADERS.get(c, c.replace('_', ' '))}”"

    return " or ".join(one(c) for c in cols)


def measure(registry: Registry, m: Measure, stat: str, filters: Filters, query: QueryFn | None = None) -> Figure:
    """The figure for measure `m` under `filters` (the caller checks the columns exist)."""
    q = query or registry.query
    has_dates = registry.meta.has("posting_date")
    row = q("stats", filters.sql_params(has_dates)).iloc[0]
    total = int(row["total"])
    as_of = filters.as_of if (filters.as_of and has_dates) else registry.meta.posting_max
    # Of the exonerations with official misconduct: the cases with the code among them (`<key>_in_om`),
    # so the numerator is a subset of its denominator.
    of_om = stat == "share_of_misconduct" and m.key != OM.key
    raw = row[(m.om_key or f"{m.key}_in_om") if of_om else m.key]
    part = 0.0 if raw is None or pd.isna(raw) else float(raw)
    if m.unit == "cases":
        part = int(part)
    # a measure counted among the misconduct cases only has them as its whole, even as a number
    whole = int(row[OM.key]) if stat == "share_of_misconduct" or m.om_key else total
    return Figure(filters, as_of.isoformat() if as_of else "unknown date", part, whole, total, stat != "count", m.unit)


def check(registry: Registry, claim: Claim, query: QueryFn | None = None) -> Verdict:
    """Recompute the claim's figure on the loaded file and decide the verdict."""
    meta = registry.meta
    missing = _missing(registry, claim.m, claim.stat)
    if missing:
        return Verdict(
            claim,
            UNCHECKABLE,
            reason=(
                f"this file ({meta.layout_name or 'this layout'}) has no {_column_words(missing)} column, "
                "so the figure is unknown — not zero."
            ),
        )
    f = claim.filters
    reached = None
    if claim.as_of_total is not None:
        reached = when(registry, f, claim.as_of_total, query)
        if not reached.has_dates:
            return Verdict(
                claim,
                UNCHECKABLE,
                reached=reached,
                reason=(
                    f"this file has no posting dates, so the day on which the registry held {claim.as_of_total:,} "
                    "cases cannot be found."
                ),
            )
        if not reached.ranges:
            return Verdict(claim, UNCHECKABLE, reached=reached, reason=reached.sentence())
        f = f.with_(as_of=reached.first_date)
    fig = measure(registry, claim.m, claim.stat, f, query)
    if fig.is_share and not fig.whole:
        return Verdict(
            claim,
            UNCHECKABLE,
            reached=reached,
            reason=(
                "no cases match the claim's filters"
                + (f" ({f.describe()})" if f.describe() else "")
                + ", so there is no share to check."
            ),
        )
    today = None
    if f.as_of is not None and meta.posting_max and f.as_of < meta.posting_max:
        today = measure(registry, claim.m, claim.stat, f.with_(as_of=None), query)
    baseline = None
    threshold = claim.threshold
    if claim.against == "nation":
        baseline = measure(registry, claim.m, claim.stat, f.with_(states=()), query)
        if baseline.value is None:
            return Verdict(claim, UNCHECKABLE, figure=fig, reason="there are no cases nationwide to compare with.")
        threshold = baseline.value
    ok = compare(claim.compare, fig.value, threshold, claim.is_share)
    note = reached.sentence() if reached else ""
    if reached and not reached.exact:
        note += " The claim is checked on that date."
    return Verdict(claim, HOLDS if ok else FAILS, fig, baseline, today, reached, note)


def check_all(registry: Registry, query: QueryFn | None = None) -> list[Verdict]:
    return [check(registry, c, query) for c in registry_claims()]


def supported_sentence(m: Measure, fig: Figure) -> str:
    """The sentence the numbers support, e.g. 'Official misconduct played a role in 2,333 of the 3,835
    exonerations (61% — more than half; about three in five).'"""
    where = fig.filters.describe()
    scope = f"posted by {fig.as_of}" + (f" ({where})" if where else "")
    if not fig.is_share:
        if m.unit == "years":
            return (
                f"Exonerees lost {number_text(fig.part, 'years')} in prison, across {fig.total:,} exonerations {scope}."
            )
        if m.key == "total":
            return f"The registry lists {fig.total:,} exonerations {scope}."
        of = "exonerations with official misconduct" if m.om_key else "exonerations"
        whole = fig.whole if m.om_key else fig.total
        if m.clause:
            return f"In {int(fig.part):,} of the {whole:,} {of} {scope}, {m.clause}."
        return f"{int(fig.part):,} of the {whole:,} {of} {scope} involved {m.phrase}."
    if not fig.whole:
        return "No cases match these filters."
    words = share_words(int(fig.part), fig.whole)
    of = "exonerations" if fig.whole == fig.total else "exonerations with official misconduct"
    if m.clause:
        return f"In {int(fig.part):,} of the {fig.whole:,} {of} {scope}, {m.clause} ({words})."
    return f"{int(fig.part):,} of the {fig.whole:,} {of} {scope} involved {m.phrase} ({words})."


# ---------------------------------------------------------------------------------------------
# Command line


def cli_claims(a) -> int:
    from .cli import UserError, open_registry

    try:
        claims = registry_claims()
    except (ClaimError, tomllib.TOMLDecodeError) as e:
        raise UserError(f"claims/claims.toml cannot be read: {e}") from None
    reg = open_registry(a.db)
    try:
        verdicts = [check(reg, c) for c in claims]
        meta = reg.meta
    finally:
        reg.close()
    if a.json:
        print(
            json.dumps(
                {
                    "data": "demo" if meta.is_demo else "registry",
                    "file": meta.file_name,
                    "claims": [v.to_json() for v in verdicts],
                },
                ensure_ascii=False,
            )
        )
        return 0
    if meta.is_demo:
        print("SYNTHETIC DEMO DATA: these verdicts say nothing about real cases.\n")
    for v in verdicts:
        print(f"[{v.status.upper()}] {v.claim.id}: {v.claim.statement}")
        print(f"    rule: {v.claim.rule_text()}")
        if v.status == UNCHECKABLE:
            print(f"    {v.reason}")
        else:
            print(
                f"    figure: {v.figure.text()} — as of {v.figure.as_of}"
                + (f" ({v.filters.with_(as_of=None).describe()})" if v.filters.with_(as_of=None).describe() else "")
            )
            if v.baseline:
                print(f"    nationwide: {v.baseline.text()}")
            if v.reached:
                print(f"    date: {v.reached.sentence()}")
            if v.today:
                print(f"    latest data: {v.today.text()} — as of {v.today.as_of}")
        print(f"    link: {v.permalink()}\n")
    return 0


def cli_when(a) -> int:
    from .cli import UserError, filters_from_args, open_registry

    if a.n < 1:
        raise UserError("N must be a positive number of cases.")
    reg = open_registry(a.db)
    try:
        r = when(reg, filters_from_args(a), a.n)
    finally:
        reg.close()
    if a.json:
        print(json.dumps(r.to_json(), ensure_ascii=False))
    else:
        print(r.sentence())
    return 0
