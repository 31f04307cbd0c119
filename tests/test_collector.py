"""The garbage collection pacing of app.py (ui.Collector): what a run leaves is frozen, out of Streamlit's
collection after every run; everything is collected every `every` runs, and soon while a visitor's own
file is open."""

from __future__ import annotations

import gc
import weakref

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from exonerations import private, ui


class Node:
    def __init__(self):
        self.me = self  # a cycle: only the collector frees it


@pytest.fixture
def collector():
    c = ui.Collector(every=3, seconds=3600)
    yield c
    gc.unfreeze()
    gc.collect()


def garbage() -> weakref.ref:
    return weakref.ref(Node())


def test_a_run_freezes_what_it_leaves(collector):
    before = gc.get_freeze_count()
    alive = [Node() for _ in range(100)]
    collector.end_run()
    assert gc.get_freeze_count() >= before + 100
    assert all(gc.is_tracked(n) for n in alive)


def test_frozen_garbage_is_collected_at_the_next_full_collection(collector):
    gone = garbage()
    collector.end_run()  # frozen while still uncollected
    gc.collect()  # what Streamlit runs after every run
    assert gone() is not None
    collector.end_run()
    assert gone() is not None
    collector.end_run()  # the third run: everything unfrozen and collected
    assert gone() is None
    assert collector.runs == 0


def test_full_collects_at_once(collector):
    gone = garbage()
    collector.end_run()
    collector.full()
    assert gone() is None


def test_an_open_private_file_makes_the_collection_come_sooner(collector, monkeypatch):
    monkeypatch.setattr(collector, "every", 10)
    gone = garbage()
    collector.end_run()
    monkeypatch.setattr(collector, "seconds", 0.0)
    collector.end_run()  # nothing private open: no full collection before `every` runs
    assert gone() is not None
    monkeypatch.setattr(private.STORE, "entries", {"a-private-database": None})
    collector.end_run()
    assert gone() is None


def test_the_app_ends_every_run_with_it(small_db, monkeypatch):
    ends = []
    monkeypatch.setattr(ui.COLLECTOR, "end_run", lambda: ends.append(1))
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/misconduct.py").run()
    assert not at.exception
    assert len(ends) == 2
