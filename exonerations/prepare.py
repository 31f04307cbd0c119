"""Getting the database ready, as `make run`, the container and the app's first start on a platform
(Streamlit Community Cloud, Hugging Face Spaces) do: import the newest registry file in the data folder
when it is newer than the database; else, when there is no usable database, fetch the file from a private
address the operator gave (EXONERATIONS_DATA_URL, with EXONERATIONS_DATA_TOKEN); else keep the database;
else build the synthetic demo. Never a traceback: each step says what it did, or why it could not."""

from __future__ import annotations

import ipaddress
import os
import tempfile
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

import duckdb

from . import db, demo, ingest

FETCH_SECONDS = 60


def data_dir(db_path: Path) -> Path:
    """Where registry files are looked for: EXONERATIONS_DATA_DIR, else the database's folder."""
    return Path(os.environ.get("EXONERATIONS_DATA_DIR") or db_path.parent)


def usable(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        db.Registry(path).close()
        return True
    except db.DatabaseError:
        return False


def newest_export(folder: Path) -> Path | None:
    if not folder.is_dir():
        return None
    files = [p for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx") and p.is_file()]
    return max(files, key=lambda p: p.stat().st_mtime, default=None)


def _allowed(url: str) -> bool:
    """HTTPS, or plain HTTP to this machine only (a test server)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    try:
        return parts.scheme == "http" and ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        return parts.scheme == "http" and parts.hostname == "localhost"


def fetch(url: str, token: str | None, folder: Path) -> Path:
    """Download the registry file at `url` into `folder` (at most the importer's size limit). Raises
    ingest.RegistryFileError with one sentence."""
    if not _allowed(url):
        raise ingest.RegistryFileError("EXONERATIONS_DATA_URL must be an https:// address: the file was not fetched.")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    name = Path(unquote(urlsplit(url).path)).name or "registry.csv"
    if Path(name).suffix.lower() not in (".csv", ".xlsx"):
        name += ".csv"
    try:
        with urllib.request.urlopen(request, timeout=FETCH_SECONDS) as r:
            data = r.read(ingest.MAX_FILE_BYTES + 1)
    except OSError as e:
        raise ingest.RegistryFileError(
            f"The registry file could not be fetched from EXONERATIONS_DATA_URL ({e}): check the address and its token."
        ) from None
    if len(data) > ingest.MAX_FILE_BYTES:
        raise ingest.RegistryFileError(ingest.too_big_message(len(data)))
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=Path(name).suffix, delete=False) as tmp:
        tmp.write(data)
    target = folder / name
    os.replace(tmp.name, target)
    return target


def _import(src: Path, db_path: Path, say: Callable[[str], None]) -> bool:
    from .cli import cannot_write

    try:
        parsed = db.import_file(src, db_path)
    except ingest.RegistryFileError as e:
        say(f"Could not import {src.name}: {e}")
        return False
    except (OSError, duckdb.IOException) as e:  # a read-only folder, a full disk: the old file is intact
        say(f"Could not import {src.name}: {cannot_write(db_path, e)}")
        return False
    say(f"Imported {src.name}: {parsed.layout_name}, {parsed.rows:,} rows, {parsed.warnings_total} warnings.")
    return True


def prepare(db_path: Path, say: Callable[[str], None] = print) -> None:
    """Make `db_path` ready (see the module's docstring)."""
    folder = data_dir(db_path)
    ok = usable(db_path)
    src = newest_export(folder)
    if src is not None and (not ok or src.stat().st_mtime > db_path.stat().st_mtime) and _import(src, db_path, say):
        return
    url = os.environ.get("EXONERATIONS_DATA_URL")
    if url and not usable(db_path):
        try:
            src = fetch(url, os.environ.get("EXONERATIONS_DATA_TOKEN"), folder)
        except ingest.RegistryFileError as e:
            say(str(e))
        else:
            if _import(src, db_path, say):
                return
    if usable(db_path):
        say(f"Using the existing database {db_path.name}.")
        return
    db_path.parent.mkdir(parents=True, exist_ok=True)
    demo.build_demo(db_path, 1)
    say(f"No registry file in {folder}/: built the synthetic demo database (marked as demo on every page).")
