"""How app.py paces its script runs: two at a time (runs.Turns), a run waiting for a child process giving its
turn away; and the garbage collection (runs.Collector): what a run leaves is frozen, out of Streamlit's
collection after every run; everything is collected every `every` runs, and soon while a visitor's own
file is open."""

from __future__ import annotations

import contextlib
import gc
import threading
import time
import weakref

import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from exonerations import private, runs, sandbox, ui


class Node:
    def __init__(self):
        self.me = self  # a cycle: only the collector frees it


@pytest.fixture
def collector():
    c = runs.Collector(every=3, seconds=3600, spacing=0.0)
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


def test_a_busy_server_collects_everything_at_most_once_in_spacing_seconds(collector, monkeypatch):
    monkeypatch.setattr(collector, "spacing", 3600.0)
    gone = garbage()
    for _ in range(3 * collector.every):  # many runs in less than `spacing` seconds
        collector.end_run()
    assert gone() is not None and collector.runs == 3 * collector.every
    monkeypatch.setattr(collector, "spacing", 0.0)
    collector.end_run()
    assert gone() is None and collector.runs == 0


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
    monkeypatch.setattr(runs.COLLECTOR, "end_run", lambda: ends.append(1))
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/misconduct.py").run()
    assert not at.exception
    assert len(ends) == 2


def test_turns_let_n_runs_in_and_the_next_waits():
    turns = runs.Turns(2)
    inside, go = [], threading.Event()

    def run(i):
        with turns.turn():
            inside.append(i)
            go.wait(5)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    assert len(inside) == 2  # the third waits its turn
    go.set()
    for t in threads:
        t.join(5)
    assert sorted(inside) == [0, 1, 2]


def test_a_run_waiting_aside_lets_another_in():
    turns = runs.Turns(1)
    order = []
    with turns.turn():
        with turns.aside():  # e.g. waiting for the sandbox's child process
            t = threading.Thread(target=lambda: _take(turns, order))
            t.start()
            t.join(5)
        order.append("back")
    assert order == ["other", "back"]
    assert turns.slots.acquire(blocking=False)  # every turn given back


def _take(turns, order):
    with turns.turn():
        order.append("other")


def test_aside_outside_a_turn_changes_nothing():
    turns = runs.Turns(1)
    with turns.aside():
        pass
    assert turns.slots.acquire(blocking=False) and not turns.slots.acquire(blocking=False)


def test_the_app_runs_in_turns_and_the_sandbox_waits_aside(small_db, monkeypatch):
    turns = []
    real_turn = runs.TURNS.turn

    @contextlib.contextmanager
    def turn():
        turns.append(1)
        with real_turn():
            yield

    held = []
    real_run = sandbox.run

    def run(*args, **kwargs):
        held.append(getattr(runs.TURNS.local, "held", False))
        return real_run(*args, **kwargs)

    monkeypatch.setattr(runs.TURNS, "turn", turn)
    monkeypatch.setattr(sandbox, "run", run)
    monkeypatch.setenv("EXONERATIONS_DB", str(small_db))
    ui.st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/sql_console.py").run()
    assert not at.exception
    assert len(turns) == 2
    assert held == [False]  # the opening query ran in its child process with the turn given away


def test_a_run_with_new_filters_runs_each_query_once(full_db, monkeypatch):
    """The headline figures and the pages read one `stats` row: its SQL runs once per new set of filters."""
    from exonerations import db

    monkeypatch.setenv("EXONERATIONS_DB", str(full_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("app_pages/misconduct.py").run()
    ran: list[str] = []
    query = db.Registry.query
    monkeypatch.setattr(
        db.Registry, "query", lambda self, name, params=None: ran.append(name) or query(self, name, params)
    )
    at.session_state["f_death_sentence"] = "Yes"
    at.run()
    assert not at.exception
    assert ran.count("stats") == 1 and len(ran) == len(set(ran)), ran
