"""Private databases: a file a visitor uploads is imported (by the same atomic importer) into a database
of its own that only that visitor's session reads. They live in a temporary folder, at most `limit` at
once on this server, and are removed when their session ends — or, should that signal be lost, after
`max_idle` seconds without use. Nothing here imports Streamlit: ui.py ties a database to a session."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from . import db, ingest

LIMIT = int(os.environ.get("EXONERATIONS_PRIVATE_LIMIT", "4"))  # private databases per server process
MAX_IDLE = int(os.environ.get("EXONERATIONS_PRIVATE_IDLE", str(6 * 3600)))  # seconds


class Full(Exception):
    """No room for another private database on this server. The message is one sentence."""


@dataclass
class Entry:
    path: Path
    file_name: str
    registry: db.Registry | None = None
    used: float = 0.0


class Store:
    """The private databases of one server process."""

    def __init__(self, limit: int = LIMIT, max_idle: int = MAX_IDLE, root: Path | None = None):
        self.limit = limit
        self.max_idle = max_idle
        self.root = root or Path(tempfile.gettempdir()) / f"exonerations-private-{os.getpid()}"
        self.entries: dict[str, Entry] = {}
        self.lock = threading.Lock()

    def create(self, parsed: ingest.Parsed) -> Path:
        """Import `parsed` into a new private database and return its path. Raises Full past the limit."""
        self.sweep()
        with self.lock:
            if len(self.entries) >= self.limit:
                raise Full(f"This server is already holding {self.limit} visitors' own files, its limit: try "
                           "again in a few minutes, or run the app on your own computer (see the README).")
            folder = self.root / secrets.token_hex(8)
            folder.mkdir(parents=True, exist_ok=False)
            path = folder / "upload.duckdb"
            self.entries[str(path)] = Entry(path, parsed.file_name, used=time.monotonic())
        try:
            db.import_parsed(parsed, path, dataset="upload")
        except BaseException:
            self.remove(path)
            raise
        return path

    def registry(self, path: str | Path) -> db.Registry | None:
        """The open registry of a private database (None when it is gone)."""
        with self.lock:
            entry = self.entries.get(str(path))
            if entry is None or not entry.path.is_file():
                return None
            entry.used = time.monotonic()
            if entry.registry is None:
                entry.registry = db.Registry(entry.path)
            return entry.registry

    def remove(self, path: str | Path) -> None:
        """Close and delete a private database (its session ended, or the visitor went back)."""
        with self.lock:
            entry = self.entries.pop(str(path), None)
        if entry is None:
            return
        if entry.registry is not None:
            entry.registry.close()
        shutil.rmtree(entry.path.parent, ignore_errors=True)

    def sweep(self) -> None:
        """Remove the databases unused for longer than `max_idle`."""
        now = time.monotonic()
        with self.lock:
            stale = [p for p, e in self.entries.items() if now - e.used > self.max_idle]
        for p in stale:
            self.remove(p)

    def __contains__(self, path) -> bool:
        return str(path) in self.entries

    def __len__(self) -> int:
        return len(self.entries)


STORE = Store()
