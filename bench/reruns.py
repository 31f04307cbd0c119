"""Warm reruns, server side, with Streamlit's public testing API (`streamlit.testing.v1.AppTest`).

A page is run once (its caches filled), then `at.run()` is timed again and again: the cost of a
rerun with nothing new to compute — what every widget change pays at least. AppTest's own work is
inside each figure (it compiles the scripts again on every run and reads the elements back);
`empty_page` measures it on an empty script, so the app's share is visible.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from bench.common import APP, EMPTY_APP, Measure

TIMEOUT_S = 300  # the first run of a page at 100× builds its caches


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def quiet() -> None:
    """AppTest logs "missing ScriptRunContext" and the traceback of a page that fails; the failure
    is kept in the table instead."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


def _exception(at) -> str | None:
    if not at.exception:
        return None
    e = at.exception[0]
    return (e.message or "exception").strip().splitlines()[0][:200]


def _timed(at, runs: int, m: Measure) -> None:
    at.run()  # the warm-up run
    m.error = _exception(at)
    for _ in range(runs if not m.error else 0):
        t0 = time.perf_counter()
        at.run()
        m.values.append((time.perf_counter() - t0) * 1000)
    m.error = m.error or _exception(at)


def page_reruns(db_path: Path, pages, runs: int) -> dict[str, Measure]:
    """ms per warm rerun of each page of app.py (`pages`: entries of `exonerations.pages.PAGES`)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    quiet()
    st.cache_data.clear()  # each database starts cold; its warm-up runs fill the caches
    st.cache_resource.clear()
    out: dict[str, Measure] = {}
    with environment(EXONERATIONS_DB=str(db_path)):
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
        at.run()  # the first run registers the pages
        for page in pages:
            m = out[page.title] = Measure()
            try:
                at.switch_page(page.path)
                _timed(at, runs, m)
            except Exception as e:  # noqa: BLE001 — kept in the table
                m.fail(e)
    return out


def script_reruns(script: Path, runs: int, **env: str) -> Measure:
    """ms per warm rerun of a one-page script (the floor, the peer, the empty page)."""
    from streamlit.testing.v1 import AppTest

    quiet()
    m = Measure()
    with environment(**env):
        try:
            _timed(AppTest.from_file(str(script), default_timeout=TIMEOUT_S), runs, m)
        except Exception as e:  # noqa: BLE001
            m.fail(e)
    return m


def empty_page(runs: int) -> Measure:
    return script_reruns(EMPTY_APP, runs)
