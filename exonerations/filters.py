"""The filters every figure depends on: one object, mirrored in URL query parameters and bound to the
SQL macro `filtered(...)` of `queries/_macros.sql`."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

# URL parameter names, one per field (multi-valued fields repeat the parameter).
URL_KEYS = {
    "as_of": "as_of",
    "year_from": "from",
    "year_to": "to",
    "states": "state",
    "crimes": "crime",
    "races": "race",
    "sexes": "sex",
    "dna": "dna",
    "death_sentence": "death",
    "include_pre_1989": "pre1989",
    "forms": "form",
    "ciu": "ciu",
}
# How a conviction was obtained (the full export's `Form of 1st Conviction`, normalised by the importer).
CONVICTION_FORMS = {
    "jury": "jury trial",
    "plea": "guilty plea",
    "bench": "bench trial",
    "other_or_unknown": "other or unknown form",
}
MAX_VALUES = 100  # per multi-valued parameter
MAX_VALUE_CHARS = 200
YEAR_MIN, YEAR_MAX = 1800, 2200


@dataclass(frozen=True)
class Filters:
    as_of: dt.date | None = None  # cases posted on or before this date; None = all (the latest data)
    year_from: int | None = None  # exoneration year range, inclusive
    year_to: int | None = None
    states: tuple[str, ...] = ()  # empty = all
    crimes: tuple[str, ...] = ()  # worst crime
    races: tuple[str, ...] = ()
    sexes: tuple[str, ...] = ()
    dna: bool | None = None  # None = any; True = DNA exonerations only; False = non-DNA only
    death_sentence: bool | None = None
    include_pre_1989: bool = False
    forms: tuple[str, ...] = ()  # how the conviction was obtained (CONVICTION_FORMS); empty = any
    ciu: bool | None = None  # a conviction integrity unit involved (True), not (False), or any (None)
    notices: tuple[str, ...] = field(default=(), compare=False, hash=False)

    # -- SQL ------------------------------------------------------------------------------------
    def sql_params(self, posting_dates: bool = True) -> dict:
        """Bound parameters of the `filtered(...)` macro. Without posting dates as-of cannot apply."""
        return {
            "as_of": self.as_of if posting_dates else None,
            "year_from": self.year_from,
            "year_to": self.year_to,
            "states": list(self.states) or None,
            "crimes": list(self.crimes) or None,
            "races": list(self.races) or None,
            "sexes": list(self.sexes) or None,
            "dna": self.dna,
            "death_sentence": self.death_sentence,
            "include_pre_1989": self.include_pre_1989,
            "conviction_forms": list(self.forms) or None,
            "ciu": self.ciu,
        }

    # -- URL ------------------------------------------------------------------------------------
    def query_params(self) -> dict[str, str | list[str]]:
        """Non-default filters as URL query parameters (lists repeat the key)."""
        out: dict[str, str | list[str]] = {}
        if self.as_of:
            out["as_of"] = self.as_of.isoformat()
        for f, key in (("year_from", "from"), ("year_to", "to")):
            if getattr(self, f) is not None:
                out[key] = str(getattr(self, f))
        for f in ("states", "crimes", "races", "sexes", "forms"):
            if getattr(self, f):
                out[URL_KEYS[f]] = list(getattr(self, f))
        for f in ("dna", "death_sentence", "ciu"):
            if getattr(self, f) is not None:
                out[URL_KEYS[f]] = "yes" if getattr(self, f) else "no"
        if self.include_pre_1989:
            out["pre1989"] = "yes"
        return out

    @classmethod
    def from_query_params(cls, params: Mapping[str, object], extra_keys: frozenset[str] = frozenset()) -> Filters:
        """Filters from URL parameters. Anything unknown or malformed falls back to the default and
        adds a short notice; this never raises."""
        notices: list[str] = [
            f"Ignored unknown link parameter '{_clip(str(key))}'."
            for key in params
            if key not in URL_KEYS.values() and key not in extra_keys
        ]
        values: dict = {}
        _read_as_of(params, values, notices)
        _read_years(params, values, notices)
        for f in ("states", "crimes", "races", "sexes"):
            values[f] = _read_values(params, URL_KEYS[f], notices)
        values["forms"] = _read_forms(params, notices)
        for f in ("dna", "death_sentence", "include_pre_1989", "ciu"):
            s = _one(params, URL_KEYS[f])
            if s:
                b = _parse_bool(s)
                if b is None:
                    notices.append(f"'{URL_KEYS[f]}={_clip(s)}' is not yes or no; ignored.")
                else:
                    values[f] = b
        return cls(**values, notices=tuple(notices))

    # -- Words ----------------------------------------------------------------------------------
    def describe(self) -> str:
        """The filters in words, for subtitles and exports ('' when none are set)."""
        yes_no = {
            "dna": ("DNA exonerations", "non-DNA exonerations"),
            "death_sentence": ("sentenced to death", "not sentenced to death"),
            "ciu": ("a conviction integrity unit involved", "no conviction integrity unit"),
        }
        parts = [_join(self.states)] if self.states else []
        if self.year_from is not None or self.year_to is not None:
            a = self.year_from if self.year_from is not None else "…"
            b = self.year_to if self.year_to is not None else "…"
            parts.append(f"exonerated {a}–{b}")
        parts += ["worst crime " + _join(self.crimes)] if self.crimes else []
        parts += [_join(v) for v in (self.races, self.sexes) if v]
        parts += [
            yes_no[f][0 if getattr(self, f) else 1] for f in ("dna", "death_sentence") if getattr(self, f) is not None
        ]
        parts += ["including pre-1989 cases"] if self.include_pre_1989 else []
        parts += ["convicted by " + _join([CONVICTION_FORMS[x] for x in self.forms])] if self.forms else []
        parts += [yes_no["ciu"][0 if self.ciu else 1]] if self.ciu is not None else []
        return "; ".join(parts)

    def with_(self, **changes) -> Filters:
        return replace(self, **changes)

    def without_notices(self) -> Filters:
        return replace(self, notices=())


def _all_values(params: Mapping[str, object], key: str) -> list[str]:
    v = params.get(key)
    if v is None:
        return []
    return [str(x) for x in (list(v) if isinstance(v, list | tuple) else [v])]


def _one(params: Mapping[str, object], key: str) -> str | None:
    """The last value of a parameter, stripped (a repeated parameter's last value wins)."""
    vs = _all_values(params, key)
    return vs[-1].strip() if vs else None


def _read_as_of(params: Mapping[str, object], values: dict, notices: list[str]) -> None:
    s = _one(params, "as_of")
    if not s:
        return
    try:
        d = dt.date.fromisoformat(s)
    except ValueError:
        d = None
    if d is None or not dt.date(1989, 1, 1) <= d <= dt.date(2200, 1, 1):
        notices.append(f"The as-of date '{_clip(s)}' is not a date (YYYY-MM-DD); showing the latest data.")
    else:
        values["as_of"] = d


def _read_years(params: Mapping[str, object], values: dict, notices: list[str]) -> None:
    for f, which in (("year_from", "first"), ("year_to", "last")):
        s = _one(params, URL_KEYS[f])
        if not s:
            continue
        y = int(s) if re.fullmatch(r"[+-]?\d{1,6}", s) else None
        if y is None or not YEAR_MIN <= y <= YEAR_MAX:
            notices.append(f"The year '{_clip(s)}' is not a year; the {which} year is not limited.")
        else:
            values[f] = y
    if values.get("year_from") and values.get("year_to") and values["year_from"] > values["year_to"]:
        notices.append("The year range was reversed; it has been swapped.")
        values["year_from"], values["year_to"] = values["year_to"], values["year_from"]


def _read_forms(params: Mapping[str, object], notices: list[str]) -> tuple[str, ...]:
    """The forms of conviction in a link, those the app knows, each once."""
    wanted = [v.strip().lower() for v in _all_values(params, "form") if v.strip()]
    known = tuple(dict.fromkeys(v for v in wanted if v in CONVICTION_FORMS))
    if len(known) < len(set(wanted)):
        notices.append(f"Ignored 'form' value(s) other than {', '.join(CONVICTION_FORMS)}.")
    return known


def _read_values(params: Mapping[str, object], key: str, notices: list[str]) -> tuple[str, ...]:
    """A multi-valued filter: stripped, without malformed values (too long, control characters), at most
    MAX_VALUES, each once."""
    vs = [v.strip() for v in _all_values(params, key) if v.strip()]
    bad = [v for v in vs if len(v) > MAX_VALUE_CHARS or any(ord(c) < 32 for c in v)]
    if bad:
        notices.append(f"Ignored {len(bad)} malformed '{key}' value(s).")
        vs = [v for v in vs if v not in bad]
    if len(vs) > MAX_VALUES:
        notices.append(f"Only the first {MAX_VALUES} '{key}' values are used.")
        vs = vs[:MAX_VALUES]
    return tuple(dict.fromkeys(vs))


FILTER_FIELDS = tuple(f.name for f in fields(Filters) if f.name != "notices")


def _parse_bool(s: str) -> bool | None:
    k = s.strip().lower()
    if k in ("yes", "true", "1", "y"):
        return True
    if k in ("no", "false", "0", "n"):
        return False
    return None


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&])")
# Streamlit's Markdown also acts on the text it shows after escapes are read, where a backslash cannot
# stop it: bare addresses become links (https://…, www.…, name@host.org), `:material/x:`, `:streamlit:`
# and emoji shortcodes become pictures, and "->", "--", ">=" become arrows and dashes. An invisible word
# joiner (U+2060) inside each such sequence stops all of them; it stays in a copied text, which keeps a
# copied address inert too.
_JOINS = re.compile(r"(?i)(?<=:/)(?=/)|(?<=www)(?=\.)|(?<=@)|(?<=:)(?=[\w+-])|(?<=[<>~-])(?=[>=-])")
WORD_JOINER = "\u2060"


@functools.lru_cache(maxsize=4096)  # a page escapes the same sentences on every rerun
def escape_markdown(s: str) -> str:
    """`s` shown literally by Streamlit's markdown (st.info, st.markdown…): no link, emphasis, colour,
    icon, LaTeX, HTML or entity made from text that came from a link or a file, and no bare address
    made a link."""
    return _MARKDOWN.sub(r"\\\1", _JOINS.sub(WORD_JOINER, s))


def _clip(s: str, n: int = 30) -> str:
    """A value quoted in a notice: printable, at most `n` characters, and inert in markdown."""
    s = "".join(c if c.isprintable() else "?" for c in s)
    return escape_markdown(s if len(s) <= n else s[: n - 1] + "…")


def _join(values) -> str:
    values = list(values)
    if len(values) <= 3:
        return ", ".join(values)
    return f"{', '.join(values[:3])} and {len(values) - 3} more"
