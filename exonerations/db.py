"""Build the DuckDB file (atomically) and read it through named queries in `queries/`.

Write side: `import_file` / `build` write a complete new database next to the target and swap it in
with one `os.replace`, so a failed or killed import leaves the old file byte-identical.
Read side: `Registry` opens an in-memory DuckDB, attaches the file read-only and defines the shared
macros of `queries/_macros.sql` once; every query runs on its own cursor with bound parameters.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from . import ingest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = PROJECT_ROOT / "queries"
DEFAULT_DB = PROJECT_ROOT / "data" / "exonerations.duckdb"
SCHEMA_VERSION = "2"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class DatabaseError(Exception):
    """The database cannot be used. The message is one sentence for the user."""


# ---------------------------------------------------------------------------------------------
# Write side


_BUILDING: set[str] = set()  # temporary files this process is writing right now
_BUILDING_LOCK = threading.Lock()


def _tmp_path(path: Path) -> Path:
    """`.NAME.PID-TOKEN.tmp` next to `path`: unique per build, even for two builds in one process."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _remove_stale_tmp(path: Path) -> None:
    """Remove temporary files left by imports that were killed (their process is gone), and this
    process's own leftovers that no build of it is still writing."""
    for p in path.parent.glob(f".{path.name}.*.tmp*"):
        m = re.match(rf"\.{re.escape(path.name)}\.(\d+)(?:-[0-9a-f]+)?\.tmp(?:\.wal)?$", p.name)
        if not m:
            continue
        pid = int(m.group(1))
        if pid == os.getpid():
            with _BUILDING_LOCK:
                if str(p).removesuffix(".wal") in _BUILDING:
                    continue
            p.unlink(missing_ok=True)
            continue
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            p.unlink(missing_ok=True)  # its import was killed
        except PermissionError:
            pass  # another user's live process


def build(table: pa.Table, path: str | Path, meta: dict, warnings: list[ingest.Warning] = ()) -> Path:
    """Write a complete database for `table` to `path`, replacing any file there atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_tmp(path)
    tmp = _tmp_path(path)
    with _BUILDING_LOCK:
        _BUILDING.add(str(tmp))
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("set enable_progress_bar = false")  # a long import prints no bar on stdout
            con.register("incoming", table)
            con.execute("create table cases as select * from incoming")
            con.unregister("incoming")
            con.execute("create table meta (key varchar primary key, value varchar)")
            rows = [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in meta.items()]
            rows.append(("schema_version", SCHEMA_VERSION))
            con.executemany("insert into meta values (?, ?)", rows)
            con.execute(
                "create table import_warnings (row_number integer, column_name varchar, value varchar, message varchar)"
            )
            if warnings:  # through Arrow: executemany takes minutes for a file with a warning on every row
                con.register(
                    "incoming_warnings",
                    pa.table(
                        {
                            "row_number": pa.array([w.row for w in warnings], pa.int32()),
                            "column_name": pa.array([w.column for w in warnings], pa.string()),
                            "value": pa.array([w.value for w in warnings], pa.string()),
                            "message": pa.array([w.message for w in warnings], pa.string()),
                        }
                    ),
                )
                con.execute("insert into import_warnings select * from incoming_warnings")
                con.unregister("incoming_warnings")
            con.execute("checkpoint")
        finally:
            con.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        with _BUILDING_LOCK:
            _BUILDING.discard(str(tmp))
    return path


def _meta_for(parsed: ingest.Parsed, dataset: str) -> dict:
    dates = [d for d in parsed.table.column("posting_date").to_pylist() if d is not None]
    return {
        "dataset": dataset,
        "file_name": parsed.file_name,
        "sha256": parsed.sha256,
        "layout": parsed.layout,
        "layout_name": parsed.layout_name,
        "encoding": parsed.encoding,
        "rows": str(parsed.rows),
        "warnings": str(parsed.warnings_total),
        "available": sorted(parsed.available),
        "posting_min": min(dates).isoformat() if dates else "",
        "posting_max": max(dates).isoformat() if dates else "",
        "imported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }


def import_parsed(parsed: ingest.Parsed, path: str | Path = DEFAULT_DB, dataset: str = "registry") -> Path:
    return build(parsed.table, path, _meta_for(parsed, dataset), parsed.warnings)


def import_file(src: str | Path, path: str | Path = DEFAULT_DB) -> ingest.Parsed:
    """Parse `src` and swap it in as the database at `path`. Raises RegistryFileError."""
    parsed = ingest.parse_file(src)
    import_parsed(parsed, path)
    return parsed


# ---------------------------------------------------------------------------------------------
# Read side


@cache
def query_text(name: str) -> str:
    """The SQL of `queries/<name>.sql`."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"bad query name {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
    return _read(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=256)
def _read(path: Path, mtime_ns: int) -> str:
    """A file's text, read again only when the file changes (a rerun asks for the SQL of every chart)."""
    return path.read_text(encoding="utf-8")


def read_text(path: Path) -> str:
    """A project file's text (cached until the file changes)."""
    return _read(path, path.stat().st_mtime_ns)


def query_names() -> list[str]:
    return list(_query_names(QUERIES_DIR.stat().st_mtime_ns))


@lru_cache(maxsize=8)
def _query_names(mtime_ns: int) -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in QUERIES_DIR.glob("*.sql") if not p.stem.startswith("_")))


@cache
def query_params(name: str) -> frozenset[str]:
    """The named parameters a query uses (comments stripped)."""
    sql = re.sub(r"--[^\n]*", "", query_text(name))
    sql = re.sub(r"'(?:[^']|'')*'", "''", sql)
    return frozenset(_PARAM.findall(sql))


@dataclass(frozen=True)
class Meta:
    dataset: str  # "registry" or "demo"
    file_name: str
    sha256: str
    layout: str
    layout_name: str
    encoding: str
    rows: int
    warnings: int
    available: frozenset[str]
    posting_min: dt.date | None
    posting_max: dt.date | None
    imported_at: str

    @property
    def is_demo(self) -> bool:
        return self.dataset == "demo"

    def has(self, field: str) -> bool:
        return field in self.available


RECOVER = (
    "import the registry file again with `python -m exonerations import FILE`, or put the file in data/ "
    "and run `make run`"
)
# The read side's DuckDB: never installs or loads an extension by itself (a SQLite file at the path would
# otherwise make DuckDB download one). One thread while the cases fit in one row group (DuckDB's unit of
# parallel work): the registry's 4,311 cases then cost a query about 35% less CPU and time than on two.
ROW_GROUP = 122_880
READ_CONFIG = {"threads": 1, "autoinstall_known_extensions": False, "autoload_known_extensions": False}
_SQLITE = b"SQLite format 3\x00"


def damaged(path: Path, what: str) -> str:
    """The one sentence for a database file that cannot be used: what is wrong and how to recover. It
    names the file, never its folder (the pages show it to every visitor)."""
    return f"The database file {path.name} {what}: {RECOVER}."


class Registry:
    """A read-only view of one database file, safe to share between threads. Opening it checks the file
    (a DuckDB database of this app's version, every table and column there, the metadata readable, every
    block of data readable): anything else is a DatabaseError of one sentence."""

    def __init__(self, path: str | Path = DEFAULT_DB):
        self.path = Path(path)
        if not self.path.is_file():
            raise DatabaseError(
                f"There is no database yet ({self.path.name}): run `make run` with the registry "
                "file in data/, or `python -m exonerations import FILE`."
            )
        self._con = duckdb.connect(config=READ_CONFIG)
        try:
            self._con.execute("set enable_progress_bar = false")  # no bar on the server's stdout
            raw = self._open()
            if self._con.execute("select count(*) from reg.cases").fetchone()[0] > ROW_GROUP:
                self._con.execute("set threads = 2")
            self._con.execute(query_text("_macros"))
            self.meta = _meta(raw, self.path)
        except BaseException:
            self._con.close()
            raise
        self._lock = threading.Lock()

    def _open(self) -> dict[str, str]:
        """Attach the file and check it; its metadata as text."""
        try:
            with self.path.open("rb") as f:
                head = f.read(16)
        except OSError:
            raise DatabaseError(damaged(self.path, "cannot be opened for reading")) from None
        if head.startswith(_SQLITE):
            raise DatabaseError(damaged(self.path, "is a SQLite file, not a database this app can read"))
        try:
            self._con.execute("attach $p as reg (read_only)", {"p": str(self.path)})
        except duckdb.Error:
            raise DatabaseError(
                damaged(self.path, "is damaged or not a DuckDB file, not a database this app can read")
            ) from None
        try:
            return self._check()
        except duckdb.Error:
            raise DatabaseError(damaged(self.path, "is damaged (part of its data cannot be read)")) from None

    def _check(self) -> dict[str, str]:
        """Every table there, this app's version, every column, every block of data readable."""
        tables = {
            r[0]
            for r in self._con.execute(
                "select table_name from duckdb_tables() where database_name = 'reg' and schema_name = 'main'"
            ).fetchall()
        }
        for table in ("meta", "cases", "import_warnings"):
            if table not in tables:
                raise DatabaseError(damaged(self.path, f"is incomplete (it has no `{table}` table)"))
        raw = {str(k): str(v) for k, v in self._con.execute("select key, value from reg.meta").fetchall()}
        if raw.get("schema_version") != SCHEMA_VERSION:
            raise DatabaseError(damaged(self.path, "was built by another version of this app"))
        self._check_columns()
        for table in ("cases", "meta", "import_warnings"):  # every block read once: a damaged one fails here
            self._con.execute(f"select count(columns(*)) from reg.{table}").fetchall()
        return raw

    def _check_columns(self) -> None:
        """The `cases` table has every column of the importer's schema, with its type."""
        self._con.register("expected_cases", ingest.SCHEMA.empty_table())
        try:
            want = dict(self._con.execute("select column_name, column_type from (describe expected_cases)").fetchall())
        finally:
            self._con.unregister("expected_cases")
        have = dict(self._con.execute("select column_name, column_type from (describe reg.cases)").fetchall())
        wrong = [c for c, t in want.items() if have.get(c) != t]
        if wrong:
            more = f" and {len(wrong) - 1} more" if len(wrong) > 1 else ""
            raise DatabaseError(
                damaged(
                    self.path,
                    f"is incomplete (its `cases` table lacks the column `{wrong[0]}`"
                    f"{more}, or has it with another type)",
                )
            )

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            return self._con.cursor()

    def query(self, name: str, params: dict | None = None) -> pd.DataFrame:
        """Run `queries/<name>.sql`, binding exactly the parameters it names."""
        needed = query_params(name)
        params = params or {}
        missing = needed - params.keys()
        if missing:
            raise KeyError(f"query {name} needs parameters {sorted(missing)}")
        bound = {k: params[k] for k in needed}
        return self._read(query_text(name), bound)

    def warnings(self) -> pd.DataFrame:
        return self._read("select * from reg.import_warnings order by row_number nulls first")

    def _read(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        """A query's rows; a file that cannot be read (replaced by a damaged one, a disk error) is a
        DatabaseError of one sentence."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or {}).df()
        except (duckdb.IOException, duckdb.SerializationException) as e:
            raise DatabaseError(damaged(self.path, "cannot be read")) from e
        except duckdb.Error as e:
            if "corrupt" in str(e).lower() or "checksum" in str(e).lower():
                raise DatabaseError(damaged(self.path, "is damaged (part of its data cannot be read)")) from e
            raise
        finally:
            cur.close()

    def close(self) -> None:
        self._con.close()


def _meta(raw: dict[str, str], path: Path) -> Meta:
    """The `meta` table's values, checked: a value that is not what it should be is a DatabaseError."""
    try:
        available = json.loads(raw.get("available", "[]"))
        if not isinstance(available, list) or not all(isinstance(a, str) for a in available):
            raise ValueError("available")
        return Meta(
            dataset=raw.get("dataset", "registry"),
            file_name=raw.get("file_name", ""),
            sha256=raw.get("sha256", ""),
            layout=raw.get("layout", ""),
            layout_name=raw.get("layout_name", ""),
            encoding=raw.get("encoding", ""),
            rows=_count(raw.get("rows", "0")),
            warnings=_count(raw.get("warnings", "0")),
            available=frozenset(available),
            posting_min=dt.date.fromisoformat(raw["posting_min"]) if raw.get("posting_min") else None,
            posting_max=dt.date.fromisoformat(raw["posting_max"]) if raw.get("posting_max") else None,
            imported_at=raw.get("imported_at", ""),
        )
    except (ValueError, TypeError, OverflowError):
        raise DatabaseError(
            damaged(path, "has damaged metadata (a value of its `meta` table is not what this app writes there)")
        ) from None


def _count(s: str) -> int:
    n = int(s)
    if not 0 <= n < 10**12:
        raise ValueError(s)
    return n
