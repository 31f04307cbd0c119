"""How a server process paces its script runs (app.py wraps every run in them; nothing here imports
Streamlit): `TURNS`, at most a few runs executing at once, and `COLLECTOR`, the garbage collection kept to
what each run makes."""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time

from . import private


class Collector:
    """Streamlit's full garbage collection after every run visits every live object; under 100 sessions
    (their widgets, the cached findings) it was about half of the server's CPU. At the end of each run what
    is alive is frozen (`gc.freeze`), so that collection visits only what the next run makes; every
    `every` runs, but at most once in `spacing` seconds, everything is unfrozen and collected once
    (`full`), and so it is `seconds` after the last while a visitor's own file is open (its removal waits
    for its ended session to be collected). A full collection holds every run still for about a quarter
    of a second under 100 sessions: spaced out, a busy server pauses every 30 s instead of every 11 s."""

    def __init__(self, every: int = 200, seconds: float = 60.0, spacing: float = 30.0):
        self.every, self.seconds, self.spacing = every, seconds, spacing
        self.runs, self.last = 0, time.monotonic()
        self.lock = threading.Lock()

    def end_run(self) -> None:
        with self.lock:
            self.runs += 1
            since = time.monotonic() - self.last
            due = self.runs >= self.every and since >= self.spacing
            late = len(private.STORE) > 0 and since >= self.seconds
            if due or late:
                self._full()
            gc.freeze()

    def full(self) -> None:
        """Collect everything now, what earlier runs froze included."""
        with self.lock:
            self._full()

    def _full(self) -> None:
        gc.unfreeze()
        gc.collect()
        self.runs, self.last = 0, time.monotonic()


COLLECTOR = Collector()


class Turns:
    """At most `n` script runs of this process execute at once; the others wait their turn. Python runs one
    thread at a time, and each message a run sends to a browser is a system call that hands that over: 100
    runs at once spent much of their time passing it around. Two at a time (one in Python, one in DuckDB)
    completed a third more runs a second under 100 sessions, with p95 2.2-3.1 s instead of 8 s. A run
    waiting for a child process (an import, the SQL sandbox) gives its turn away meanwhile (`aside`)."""

    def __init__(self, n: int):
        self.slots = threading.BoundedSemaphore(n)
        self.local = threading.local()

    @contextlib.contextmanager
    def turn(self):
        self.slots.acquire()
        self.local.held = True
        try:
            yield
        finally:
            self.local.held = False
            self.slots.release()

    @contextlib.contextmanager
    def aside(self):
        held = getattr(self.local, "held", False)
        if held:
            self.local.held = False
            self.slots.release()
        try:
            yield
        finally:
            if held:
                self.slots.acquire()
                self.local.held = True


TURNS = Turns(max(1, int(os.environ.get("EXONERATIONS_RUNS_AT_ONCE", "2"))))
