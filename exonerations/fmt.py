"""How every number reads: one rounding rule (halves away from zero, on the exact value), percentages
that never round to a figure that changes the meaning, and the few word helpers the findings share.

Nothing here knows about the registry; `findings` says what the numbers mean."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pandas as pd

DASH = "—"  # a figure that cannot be computed (no cases, or not in this file)


def rounded(value: float | Fraction | Decimal, digits: int = 0) -> Decimal:
    """`value` rounded to `digits` decimals, halves up — on the number as written (9.25 → 9.3, 13.95 →
    14.0), not on its binary approximation, which Python's round() and f-strings use (9.2, 13.9)."""
    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        exact = Decimal(repr(float(value))) if not isinstance(value, Decimal) else value
    return exact.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)


def missing(value) -> bool:
    """None, NaN, NaT, pandas NA."""
    if value is None:
        return True
    if isinstance(value, str | int):
        return False
    if isinstance(value, float):
        return value != value  # NaN
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array: not a missing scalar
        return False


def count(n) -> str:
    """'2,297'"""
    return DASH if missing(n) else f"{int(n):,}"


def number(value, digits: int = 1) -> str:
    """'35,945.8' (halves up)."""
    return DASH if missing(value) else f"{rounded(value, digits):,}"


def years(value, digits: int = 1) -> str:
    """Years to one decimal, halves up: '9.3'."""
    return number(value, digits)


def share(part, whole) -> Fraction | None:
    """part / whole as an exact fraction; None when there is no denominator or no part."""
    if missing(part) or missing(whole) or not whole:
        return None
    return Fraction(int(part), int(whole)) if float(part).is_integer() else Fraction(str(part)) / int(whole)


def pct(part, whole, digits: int = 1) -> str:
    """'60.8%' — the share to `digits` decimals, halves up on the exact fraction."""
    s = share(part, whole)
    return DASH if s is None else f"{rounded(100 * s, digits)}%"


def pct_of(value: float, digits: int = 1) -> str:
    """A share given as a float (0.608 → '60.8%')."""
    return DASH if missing(value) else f"{rounded(100 * Fraction(str(float(value))), digits)}%"


def pct_short(part, whole) -> str:
    """A whole percentage for titles, with one decimal where a whole number would change the meaning:
    50.3% is not "50%", 99.6% is not "100%", 0.4% is not "0%"; below 0.05% it reads '<0.1%'."""
    s = share(part, whole)
    if s is None:
        return DASH
    whole_pct = rounded(100 * s, 0)
    if (whole_pct == 50 and s != Fraction(1, 2)) or (whole_pct == 0 and s > 0) or (whole_pct == 100 and s < 1):
        return "<0.1%" if 0 < s < Fraction(1, 2000) else f"{rounded(100 * s, 1)}%"
    return f"{whole_pct}%"


def pct_short_of(value: float) -> str:
    """`pct_short` for a share given as a float."""
    if missing(value):
        return DASH
    f = Fraction(str(float(value))).limit_denominator(10**9)
    return pct_short(f.numerator, f.denominator)


def count_share(part, whole, digits: int = 1) -> str:
    """'2,297 (60.8%)'"""
    return DASH if missing(part) else f"{count(part)} ({pct(part, whole, digits)})"


# ---------------------------------------------------------------------------------------------
# Plain fractions: "61% — more than half; about three in five"

ABOUT = 0.025  # "about" a fraction: within 2.5 percentage points (less near 0% and 100%)

FRACTIONS: tuple[tuple[Fraction, str], ...] = tuple(
    (Fraction(a, b), words)
    for a, b, words in (
        (1, 20, "one in twenty"),
        (1, 10, "one in ten"),
        (1, 5, "one in five"),
        (1, 4, "one in four"),
        (3, 10, "three in ten"),
        (1, 3, "one in three"),
        (2, 5, "two in five"),
        (1, 2, "half"),
        (3, 5, "three in five"),
        (2, 3, "two in three"),
        (7, 10, "seven in ten"),
        (3, 4, "three in four"),
        (4, 5, "four in five"),
        (9, 10, "nine in ten"),
        (19, 20, "nineteen in twenty"),
    )
)


def tolerance(f: Fraction) -> float:
    """How far a share may be from `f` and still be called "about" it: 2.5 points, less near 0 and 1
    (2.6% is not "about one in twenty")."""
    return min(ABOUT, 0.15 * float(min(f, 1 - f)))


def fraction_phrase(part: int, whole: int) -> str:
    """The plain fraction a share is honestly close to: 'about three in five', 'exactly one in four',
    'between one in ten and one in five', 'fewer than one in twenty'. '' for none or all."""
    if whole <= 0 or part <= 0 or part >= whole:
        return ""
    exact = Fraction(part, whole)
    s = part / whole
    for f, words in FRACTIONS:
        if exact == f:
            return f"exactly {words}"
    near = min(FRACTIONS, key=lambda fw: abs(s - float(fw[0])))
    if abs(s - float(near[0])) <= tolerance(near[0]):
        if near[1] == "half":
            return "just over half" if s > 0.5 else "just under half"
        return f"about {near[1]}"
    if s < float(FRACTIONS[0][0]):
        return f"fewer than {FRACTIONS[0][1]}"
    if s > float(FRACTIONS[-1][0]):
        return "nearly all"
    lo = max((fw for fw in FRACTIONS if float(fw[0]) < s), key=lambda fw: fw[0])
    hi = min((fw for fw in FRACTIONS if float(fw[0]) > s), key=lambda fw: fw[0])
    return f"between {lo[1]} and {hi[1]}"


def share_words(part: int, whole: int) -> str:
    """'61% — more than half; about three in five'. The comparison with half is given above 50% and
    from 40% up (below, "less than half" says nothing useful); the fraction only when honest."""
    if whole <= 0:
        return "no cases"
    if part == 0:
        return "0% — none"
    if part == whole:
        return "100% — all"
    if Fraction(part, whole) == Fraction(1, 2):
        return "50% — exactly half"
    s = part / whole
    bits = []
    if s > 0.5:
        bits.append("more than half")
    elif s >= 0.4:
        bits.append("less than half")
    frac = fraction_phrase(part, whole)
    if frac and not frac.startswith("just"):
        bits.append(frac)
    elif frac:
        bits = [frac]
    head = pct_short(part, whole)
    return f"{head} — " + "; ".join(bits) if bits else head


# ---------------------------------------------------------------------------------------------
# Words


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 case', '2 cases' (the number formatted with `count`)."""
    return f"{count(n)} {one if n == 1 else (many or one + 's')}"


def join_and(items: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def cap(text: str) -> str:
    """The text with its first letter in capitals."""
    return text[:1].upper() + text[1:]


def clip(text: str, n: int = 40) -> str:
    """At most `n` characters, an ellipsis marking a cut."""
    text = str(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def cell(value, whole: bool = False) -> str:
    """A table cell as a reader expects it: numbers with thousands separators (a float column of whole
    numbers, `whole`, as counts), dates without a time, yes/no for booleans, "—" for nothing."""
    import datetime as dt

    import numpy as np

    if isinstance(value, list | tuple | np.ndarray):
        return "; ".join(cell(v) for v in value) or DASH
    if missing(value):
        return DASH
    if isinstance(value, bool | np.bool_):
        return "Yes" if value else "No"
    if isinstance(value, int | np.integer) or (whole and isinstance(value, float | np.floating)):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return f"{float(value):,}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def table_rows(df: pd.DataFrame) -> list[list[tuple[str, bool]]]:
    """Every row of `df` as (text, is it a number) cells, whole-number float columns shown as counts."""
    numeric, whole = column_kinds(df)
    columns = [[(cell(v, w), n) for v in df[c].tolist()] for c, n, w in zip(df.columns, numeric, whole, strict=True)]
    return [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in range(len(df))]


def column_kinds(df: pd.DataFrame, right: tuple[str, ...] = (), links=()) -> tuple[list[bool], list[bool]]:
    """Which columns are numbers (right-aligned: numeric ones and `right`, not `links` or booleans), and
    which of those are floats that are all whole numbers (shown as counts), unless they are percentages."""
    types = df.dtypes.tolist()
    numeric = [
        c in right or (c not in links and pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t))
        for c, t in zip(df.columns, types, strict=True)
    ]
    whole = [
        n and pd.api.types.is_float_dtype(t) and "%" not in str(c) and _whole(df[c].to_numpy(dtype=float, na_value=0.0))
        for n, c, t in zip(numeric, df.columns, types, strict=True)
    ]
    return numeric, whole


def _whole(values) -> bool:
    """Whether every number of a float column is whole (its missing values read as 0)."""
    import numpy as np

    return bool(np.all(np.mod(values, 1) == 0))


def html_table(
    df: pd.DataFrame,
    label: str,
    formats: dict | None = None,
    links: dict[str, str] | None = None,
    code: tuple[str, ...] = (),
    right: tuple[str, ...] = (),
) -> str:
    """`df` as an HTML table in a labelled region that scrolls sideways on a narrow screen and can be
    reached with the keyboard (WCAG 2.1.1; a data table may scroll, 1.4.10). Every text is escaped
    (data can hold `<`, `&`…), numbers (and the columns in `right`) right-aligned, an empty cell "—".
    `formats` gives a column's format ("{:,.1f}", or a function), `links` a column of http(s) or
    in-app URLs shown as links with the given text, `code` the columns shown as code."""
    from html import escape

    formats, links = formats or {}, links or {}
    numeric, whole = column_kinds(df, right, links)

    def one(col, v, is_whole: bool) -> str:
        if missing(v):
            return DASH
        if col in links:
            url = str(v)
            if not url.startswith(("https://", "http://", "?", "/")):
                return escape(url)  # not a web address: shown, never followed
            new_tab = ' target="_blank" rel="noopener noreferrer"' if url.startswith("http") else ""
            return f'<a href="{escape(url, quote=True)}"{new_tab}>{escape(links[col])}</a>'
        if col in code:
            return f"<code>{escape(str(v))}</code>"
        f = formats.get(col)
        return escape(cell(v, is_whole) if f is None else (f(v) if callable(f) else f.format(v)))

    num = ' class="num"'
    head = "".join(
        f'<th scope="col"{num if n else ""}>{escape(str(c))}</th>' for c, n in zip(df.columns, numeric, strict=True)
    )
    columns = [(c, df[c].tolist(), num if n else "", w) for c, n, w in zip(df.columns, numeric, whole, strict=True)]
    cells = [[f"<td{attr}>{one(c, v, w)}</td>" for v in values] for c, values, attr, w in columns]
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in zip(*cells, strict=True)) if cells else ""
    return (
        f'<div class="data-table" role="region" tabindex="0" aria-label="{escape(label, quote=True)}">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )
