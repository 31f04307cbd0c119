"""Hostile links: random and malicious query parameters never break the app. Unknown keys and bad values
fall back to the defaults with a notice ("Link settings adjusted: …"); nothing from the URL reaches SQL
except as a bound parameter.

Property-based (hypothesis): 2,000 parameter sets against `Filters.from_query_params`, and
HOSTILE_URL_EXAMPLES (default 200) full runs of the app (AppTest, Overview page, on the hand-made
12-case fixture), plus an eighth as many on the pages that read their own link parameters (Cases,
Claims, Geography, SQL console, Methodology). The app runs take about a minute on a 2-core machine
(median ~120-170 ms each); `-s` prints the timing. Set HOSTILE_URL_EXAMPLES=100 for a quick run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from urllib.parse import urlencode

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from exonerations import ui
from exonerations.filters import MAX_VALUE_CHARS, MAX_VALUES, URL_KEYS, WORD_JOINER, YEAR_MAX, YEAR_MIN, Filters

# Each example is a whole app run (~0.2 s): 200 per suite run keeps `make test` under ten minutes, and
# new examples are drawn on every run; HOSTILE_URL_EXAMPLES=5000 for a longer search.
APP_EXAMPLES = int(os.environ.get("HOSTILE_URL_EXAMPLES", "200"))
FILTER_KEYS = sorted(URL_KEYS.values())  # as_of, from, to, state, crime, race, sex, dna, death, pre1989
SINGLE_KEYS = {"as_of", "from", "to", "dna", "death", "pre1989"}
EXTRA_KEYS = sorted(ui.EXTRA_URL_KEYS)  # page parameters: q, claim, n, measure, county_state, sql, …
RESERVED_KEYS = ["embed", "embed_options"]  # Streamlit's own; never echoed, never an error

# Values that can never be valid for any filter key: not a date, not a year, not yes/no, and not a state,
# crime, race or sex of the fixture.
HOSTILE = [
    "' OR 1=1 --",
    "'; DROP TABLE cases; --",
    "Robert'); DROP TABLE cases;--",
    '" OR ""="',
    "1; select * from meta",
    "$states",
    "?",
    ":as_of",
    "%s%n%x",
    "{{7*7}}",
    "${jndi:ldap://x.invalid/a}",
    "../../../../etc/passwd",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "[click](https://evil.invalid)",
    "**bold** _it_ `code`",
    ":red[red] :material/home:",
    "$\\LaTeX$",
    "# heading",
    "9999-99-99",
    "0000-00-00",
    "2026-02-30",
    "-2026-01-01",
    "+2026-01-01",
    "1988-12-31",
    "2200-01-02",
    "-1",
    "-1990",
    "00",
    "1799",
    "2201",
    "99999999999999999999999",
    "-2147483649",
    "1e3",
    "nan",
    "inf",
    "0x7e9",
    "yes please",
    "NOPE",
    "maybe",
    "null",
    "None",
    "undefined",
    "NaN",
    "true\x00",
    "\x00",
    "\x00yes",
    "\x1b[31mred\x1b[0m",
    "\r\nSet-Cookie: a=b",
    "\x7f",
    "\u202eevil",
    "\u200f\u200e",
    "مرحبا",
    "שלום",
    "😀",
    "👩🏽‍⚖️",
    "\ufeff",
    "\U0010ffff",
    "Ⅻ",
    "x" * 10_000,
    "é" * 5_000,
    "A" * 100_000,
]
_never_valid_text = st.text(max_size=300).map(lambda s: "~" + s)  # "~" makes it no date, year, bool or name
_bad_value = st.one_of(st.sampled_from(HOSTILE), _never_valid_text)
_any_value = st.one_of(
    _bad_value,
    st.text(max_size=50),
    st.sampled_from(["New York", "Texas", "Murder", "Black", "Female", "yes", "no", "2010", "1995", "2012-03-01", ""]),
)


_short_bad = st.sampled_from([h for h in HOSTILE if len(h) < 100])


def _values(item):
    """One value, a few, or a list of 101 to 1,000 distinct values."""
    return st.one_of(
        item,
        st.lists(item, min_size=1, max_size=6),
        st.builds(lambda v, n: [f"{v}{i}" for i in range(n)], _short_bad, st.integers(101, 1_000)),
    )


_keys = st.one_of(
    st.sampled_from(FILTER_KEYS + EXTRA_KEYS + RESERVED_KEYS),
    st.sampled_from(
        [
            "",
            " state",
            "STATE",
            "state[]",
            "__proto__",
            "constructor",
            "page",
            "as_of\x00",
            "<script>",
            "😀",
            "\u202ekey",
            "k" * 500,
        ]
    ),
    st.text(min_size=1, max_size=40),
)


@st.composite
def link_params(draw) -> tuple[dict, bool]:
    """(query parameters, whether every filter value is surely invalid)."""
    all_bad = draw(st.booleans())
    value = _bad_value if all_bad else _any_value
    params = draw(st.dictionaries(_keys, _values(value), max_size=8))
    if draw(st.booleans()):  # always some known keys
        for k in draw(st.lists(st.sampled_from(FILTER_KEYS), max_size=4, unique=True)):
            params[k] = draw(_values(value))
    return params, all_bad


def _as_list(v) -> list[str]:
    return list(v) if isinstance(v, list) else [v]


def _expects_filter_notice(params: dict) -> bool:
    """Whether a (surely invalid) set of parameters must produce a notice: a non-blank value that is
    the one used (the last, for single-valued keys), or any non-blank value of a multi-valued key."""
    for k, v in params.items():
        if k not in FILTER_KEYS:
            continue
        vs = _as_list(v)
        if k in SINGLE_KEYS:
            if vs[-1].strip():
                return True
        elif any(x.strip() for x in vs):
            return True
    return False


def streamlit_drops(params: dict) -> bool:
    """Streamlit ignores a whole query string of more than 1,000 fields or 512 Ki characters (its own
    guard, before the app sees it): the app then shows the defaults, with nothing to explain."""
    query = urlencode(params, doseq=True)
    return len(query) > 512 * 1024 or query.count("&") + 1 > 1000


def _unknown_keys(params: dict) -> list[str]:
    return [k for k in params if k not in FILTER_KEYS and k not in EXTRA_KEYS and k not in RESERVED_KEYS]


# ---------------------------------------------------------------------------------------------
# The parser alone: fast, so many examples.


@settings(
    max_examples=2_000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(link_params())
def test_filters_from_any_link_are_valid_and_explained(example):
    params, all_bad = example
    f = Filters.from_query_params(params, frozenset(EXTRA_KEYS))
    assert f.as_of is None or dt.date(1989, 1, 1) <= f.as_of <= dt.date(2200, 1, 1)
    for y in (f.year_from, f.year_to):
        assert y is None or YEAR_MIN <= y <= YEAR_MAX
    if f.year_from is not None and f.year_to is not None:
        assert f.year_from <= f.year_to
    for values in (f.states, f.crimes, f.races, f.sexes):
        assert len(values) <= MAX_VALUES and len(set(values)) == len(values)
        assert all(v and v == v.strip() and len(v) <= MAX_VALUE_CHARS and all(ord(c) >= 32 for c in v) for v in values)
    assert f.dna in (None, True, False) and f.death_sentence in (None, True, False)
    assert f.include_pre_1989 in (True, False)
    # Notices are short, printable sentences.
    assert all(n.replace(WORD_JOINER, "").isprintable() and len(n) < 200 for n in f.notices)  # joiner: no autolink
    for k in _unknown_keys(params):
        assert any(n.startswith("Ignored unknown link parameter") for n in f.notices), k
    if all_bad:
        assert (f.as_of, f.year_from, f.year_to, f.dna, f.death_sentence) == (None,) * 5
        assert f.include_pre_1989 is False
        if any(_as_list(params.get(k, ""))[-1].strip() for k in SINGLE_KEYS):
            assert f.notices
    # The filters survive the round trip through their own link without a notice.
    again = Filters.from_query_params(f.query_params())
    assert again == f and again.notices == ()


# ---------------------------------------------------------------------------------------------
# The whole app.

DEFAULT_HEADLINE = "6 of 11 exonerations"  # b_small.csv by hand: 11 post-1989 cases, 6 coded Yes for misconduct


def run_app(params: dict, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page:  # the link's parameters are still there on the page's first run (filters normalised)
        at.switch_page(page).run()
    return at


def texts(elements) -> list[str]:
    return [e.value for e in elements]


_timing: dict[str, list[float]] = {}


@pytest.mark.slow
@settings(
    max_examples=APP_EXAMPLES, deadline=None, database=None, print_blob=True, suppress_health_check=list(HealthCheck)
)
@given(link_params())
def test_app_survives_hostile_links(small_db, monkeypatch, example):
    params, all_bad = example
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    t = time.perf_counter()
    at = run_app(params)
    _timing.setdefault("overview", []).append(time.perf_counter() - t)
    assert not at.exception, (params, texts(at.exception))
    assert not at.error, (params, texts(at.error))
    headline = [re.sub(r"\\(.)", r"\1", m) for m in texts(at.markdown) if m.startswith("### ")]
    no_cases = [i for i in texts(at.info) if i.startswith("No cases match")]
    assert headline or no_cases, params
    notices = [i for i in texts(at.info) if i.startswith("Link settings adjusted")]
    if streamlit_drops(params):
        assert headline and DEFAULT_HEADLINE in headline[0] and not notices, params
        return
    if _unknown_keys(params):
        assert notices and "Ignored unknown link parameter" in notices[0], params
    if all_bad:
        assert headline and DEFAULT_HEADLINE in headline[0], (params, headline)  # the defaults are used
        if _expects_filter_notice(params):
            assert notices, params
    if not params:
        assert not notices


# Pages with their own link parameters, and the titles that show they rendered.
PAGES_WITH_PARAMS = {
    "app_pages/cases.py": "Cases",
    "app_pages/claims.py": "Claims, checked",
    "app_pages/geography.py": "Geography",
    "app_pages/sql_console.py": "SQL console",
    "app_pages/methodology.py": None,
}


@st.composite
def page_link_params(draw) -> tuple[str, dict]:
    page = draw(st.sampled_from(sorted(PAGES_WITH_PARAMS)))
    params = draw(st.dictionaries(st.sampled_from(EXTRA_KEYS + FILTER_KEYS[:3]), _values(_any_value), max_size=5))
    return page, params


@pytest.mark.slow
@settings(
    max_examples=max(APP_EXAMPLES // 8, 25),
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)
@given(page_link_params())
def test_pages_survive_hostile_page_parameters(small_db, monkeypatch, example):
    page, params = example
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    t = time.perf_counter()
    at = run_app(params, page)
    _timing.setdefault("pages", []).append(time.perf_counter() - t)
    assert not at.exception, (page, params, texts(at.exception))
    if page == "app_pages/sql_console.py":  # it runs the link's query: a refusal is one sentence
        assert all("Traceback" not in e and "\n" not in e.strip() for e in texts(at.error)), texts(at.error)
    else:
        assert not at.error, (page, params, texts(at.error))
    title = PAGES_WITH_PARAMS[page]
    if title:
        assert title in texts(at.title), (page, texts(at.title))


def test_zz_report_timing():
    """Prints how long the app runs took (run with -s to see it)."""
    for name, ts in _timing.items():
        ts = sorted(ts)
        print(
            f"\n{name}: {len(ts)} runs, {sum(ts):.0f} s, median {ts[len(ts) // 2] * 1000:.0f} ms, "
            f"max {ts[-1] * 1000:.0f} ms"
        )


@pytest.mark.parametrize("value", ["[click](https://evil.invalid)", "**bold**", ":red[red]"])
def test_values_from_the_link_are_not_rendered_as_markdown(small_db, monkeypatch, value):
    """A notice quotes what it ignored; the quote must not become a link or formatting."""
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    at = run_app({"zzz": value, "as_of": value, "state": value})
    notice = next(i for i in texts(at.info) if i.startswith("Link settings adjusted"))
    assert value not in notice, notice  # each quote is escaped (\\[click\\]…), so it shows as typed


def test_filters_quote_values_inertly():
    f = Filters.from_query_params({"as_of": "[click](https://evil.invalid)", "[x](y)": "1", "dna": "**b**"})
    assert all("[click]" not in n and "[x]" not in n and "**b**" not in n for n in f.notices), f.notices
    assert any("\\[click\\]\\(https\\:/\u2060/evil\\.invalid\\)" in n for n in f.notices), f.notices  # no autolink
