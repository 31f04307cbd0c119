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

    def create(self, data: bytes, name: str) -> tuple[Path, Imported]:
        """Import an upload into a new private database (a child process, `import_bounded`); returns its
        path. Raises Full past the limit, ingest.RegistryFileError for a file that cannot be imported."""
        self.sweep()
        with self.lock:
            if len(self.entries) >= self.limit:
                raise Full(
                    f"This server is already holding {self.limit} visitors' own files, its limit: try "
                    "again in a few minutes, or run the app on your own computer (see the README)."
                )
            folder = self.root / secrets.token_hex(8)
            folder.mkdir(parents=True, exist_ok=False)
            path = folder / "upload.duckdb"
            self.entries[str(path)] = Entry(path, name, used=time.monotonic())
        try:
            return path, import_bounded(data, name, path)
        except BaseException:
            self.remove(path)
            raise

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


# ---------------------------------------------------------------------------------------------
# An upload is read and imported in a child process, bounded in time and memory: a hostile file (a
# workbook that inflates, a file that makes millions of warnings) costs the server little, and the
# server's own interpreter stays free for other visitors' pages while it is checked.

UPLOAD_SECONDS = 30.0
UPLOAD_MEMORY = 2560 * 1024 * 1024  # address space of the child (DuckDB and Arrow reserve more than they use)
UPLOAD_MAX_ROWS = 100_000  # a registry export holds a few thousand cases
_UPLOADS = threading.BoundedSemaphore(2)  # files checked at once by this server


@dataclass(frozen=True)
class Imported:
    """What an import did (the child process's answer)."""

    file_name: str
    layout_name: str
    rows: int
    warnings: int


def import_bounded(data: bytes, name: str, path: Path, dataset: str = "upload") -> Imported:
    """Read `data` and import it into the database at `path` (atomically: a failure leaves it as it was)
    in a child process with a time limit and a memory limit. Raises ingest.RegistryFileError (one
    sentence) for a file that cannot be imported, or that took too long or too much memory to read."""
    import json
    import subprocess
    import sys

    if len(data) > ingest.MAX_FILE_BYTES:
        raise ingest.RegistryFileError(ingest.too_big_message(len(data)))
    if not _UPLOADS.acquire(timeout=UPLOAD_SECONDS):
        raise ingest.RegistryFileError("The server is reading other visitors' files right now: try again in a minute.")
    try:
        header = json.dumps(
            {"name": name, "path": str(path), "max_rows": UPLOAD_MAX_ROWS, "memory": UPLOAD_MEMORY, "dataset": dataset}
        )
        proc = subprocess.run(
            [sys.executable, "-s", "-B", "-m", "exonerations.private"],
            cwd=db.PROJECT_ROOT,
            input=header.encode() + b"\n" + data,
            capture_output=True,
            timeout=UPLOAD_SECONDS,
            env={**os.environ, "PYTHONPATH": str(db.PROJECT_ROOT), "MALLOC_ARENA_MAX": "2"},
        )
    except subprocess.TimeoutExpired:
        raise ingest.RegistryFileError(
            f"The file took more than {UPLOAD_SECONDS:.0f} seconds to read, far longer "
            "than a registry export: it was not imported."
        ) from None
    finally:
        _UPLOADS.release()
    try:
        answer = json.loads(proc.stdout.decode("utf-8").splitlines()[-1])
    except (ValueError, IndexError):
        raise ingest.RegistryFileError(
            "The file needed more memory to read than a registry export does: it was not imported."
        ) from None
    if not answer.get("ok"):
        raise ingest.RegistryFileError(answer.get("message") or "The file could not be imported.")
    return Imported(name, answer["layout_name"], answer["rows"], answer["warnings"])


def _child() -> None:
    """`python -m exonerations.private`: a header line (JSON) then the file's bytes on stdin; imports them
    and prints one line of JSON."""
    import json
    import resource
    import sys

    raw = sys.stdin.buffer.read()
    line, _, data = raw.partition(b"\n")
    req = json.loads(line)
    resource.setrlimit(resource.RLIMIT_AS, (req["memory"], req["memory"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    ingest.MAX_ROWS = req["max_rows"]  # this process reads one upload: its own, lower limit
    try:
        parsed = ingest.parse(data, req["name"])
        db.import_parsed(parsed, req["path"], dataset=req["dataset"])
        out = {"ok": True, "layout_name": parsed.layout_name, "rows": parsed.rows, "warnings": parsed.warnings_total}
    except ingest.RegistryFileError as e:
        out = {"ok": False, "message": str(e)}
    except MemoryError:
        out = {
            "ok": False,
            "message": "The file needed more memory to read than a registry export does: it was not imported.",
        }
    except Exception as e:  # noqa: BLE001 - the visitor gets one sentence, never a traceback
        out = {"ok": False, "message": f"The file could not be imported ({type(e).__name__}): nothing was changed."}
    print(json.dumps(out))


if __name__ == "__main__":
    _child()
