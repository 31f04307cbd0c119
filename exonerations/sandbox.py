"""The SQL sandbox behind the SQL console page and the `sql` command: one read-only SELECT against the
registry database, with a time limit and a row cap.

Each run opens a new in-memory DuckDB, attaches the database file read-only as `reg`, defines the same
`cases` view and `filtered(...)` macro as the app (`queries/_macros.sql`), and only then turns off
external access (files, network, extensions) and locks the configuration so no statement can turn it
back on. The statement itself is checked with DuckDB's own parser: exactly one statement, of type
SELECT (which covers WITH, FROM-first, VALUES, DESCRIBE, SUMMARIZE and SHOW). It runs in a worker
thread; past the time limit the query is interrupted. At most `ROW_CAP` rows (and `MAX_RESULT_MB`) come
back. The database file is never opened for writing, so nothing a query does can change it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from . import db

TIME_LIMIT = 5.0  # seconds
ROW_CAP = 5_000
MAX_SQL_CHARS = 20_000
MAX_RESULT_MB = 50  # the rows brought back into Python (and sent to the browser)
MEMORY_LIMIT = "512MB"
THREADS = 2

EXAMPLES: dict[str, str] = {
    "Official misconduct by state": """\
-- Exonerations with official misconduct, by state (post-1989 cases, the whole file).
select
    state,
    count(*) as exonerations,
    count(*) filter (where official_misconduct) as with_misconduct,
    round(100.0 * with_misconduct / exonerations, 1) as pct_misconduct
from filtered(null, null, null, null, null, null, null, null, null, false)
group by state
order by with_misconduct desc
""",
    "Who committed the misconduct": """\
-- Cases with misconduct by each kind of official (a case may count under several).
select
    count(*) as exonerations,
    count(*) filter (where official_misconduct) as any_official_misconduct,
    count(*) filter (where om_police) as police,
    count(*) filter (where om_prosecutor) as prosecutor,
    count(*) filter (where om_forensic_analyst) as forensic_analyst,
    count(*) filter (where om_child_welfare) as child_welfare_worker
from filtered(null, null, null, null, null, null, null, null, null, false)
""",
    "The campaign's figure on a past date": """\
-- What the registry held on 5 February 2026 (cases posted by then, post-1989).
select
    count(*) as exonerations,
    count(*) filter (where official_misconduct) as with_misconduct,
    round(100.0 * with_misconduct / exonerations, 1) as pct_misconduct
from filtered(date '2026-02-05', null, null, null, null, null, null, null, null, false)
""",
    "New York cases with police misconduct": """\
-- New York exonerations with misconduct by police, newest first.
select nre_id, name, county, worst_crime, exoneration_year, years_lost, tags
from filtered(null, null, null, ['New York'], null, null, null, null, null, false)
where om_police
order by exoneration_year desc nulls last, name
""",
    "Misconduct by year of exoneration": """\
-- Exonerations and the share with official misconduct, by year of exoneration.
select
    exoneration_year,
    count(*) as exonerations,
    count(*) filter (where official_misconduct) as with_misconduct,
    round(100.0 * with_misconduct / exonerations, 1) as pct_misconduct
from filtered(null, null, null, null, null, null, null, null, null, false)
where exoneration_year is not null
group by exoneration_year
order by exoneration_year
""",
}
EXAMPLE = EXAMPLES["Official misconduct by state"]

# The arguments of the `filtered(...)` macro, in order (queries/_macros.sql).
FILTERED_ARGS = ("as_of", "year_from", "year_to", "states", "crimes", "races", "sexes", "dna", "death_sentence",
                 "include_pre_1989")


def sql_literal(v) -> str:
    """A Python value as a DuckDB literal, for showing a filter as SQL text the user can copy."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, dt.date):
        return f"date '{v.isoformat()}'"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(sql_literal(x) for x in v) + "]"
    return "'" + str(v).replace("'", "''") + "'"


def filtered_call(params: dict) -> str:
    """`filtered(...)` with the given filter parameters written as literals."""
    return "filtered(" + ", ".join(sql_literal(params.get(k)) for k in FILTERED_ARGS) + ")"


def filtered_example(params: dict, where: str = "") -> str:
    """The console's opening query: official misconduct by state, for the given filters (the sidebar's)."""
    note = " ".join((where or "no filters").split())  # one line: it sits in a comment
    return (f"-- Exonerations with official misconduct, by state, for the sidebar's filters ({note}).\n"
            "select\n    state,\n    count(*) as exonerations,\n"
            "    count(*) filter (where official_misconduct) as with_misconduct,\n"
            "    round(100.0 * with_misconduct / exonerations, 1) as pct_misconduct\n"
            f"from {filtered_call(params)}\ngroup by state\norder by with_misconduct desc\n")


def file_stub(sql: str) -> str:
    """A short name for a query's download, from its first line that is not a comment."""
    first = next((ln for ln in sql.splitlines() if ln.strip() and not ln.strip().startswith("--")), "")
    return re.sub(r"[^a-z0-9]+", "-", first.lower()).strip("-")[:40] or "query"


class SandboxError(Exception):
    """A query the sandbox refused or stopped. The message is one sentence for the user."""


@dataclass(frozen=True)
class Result:
    frame: pd.DataFrame
    truncated: bool  # more than `row_cap` rows: only the first `row_cap` are in `frame`
    row_cap: int
    elapsed_ms: float

    @property
    def rows(self) -> int:
        return len(self.frame)


def result_notice(res: Result) -> str:
    """'5,000 rows · 12 ms' (or 'first 5,000 rows' when the result was cut)."""
    rows = f"first {res.rows:,} rows" if res.truncated else f"{res.rows:,} row{'s' if res.rows != 1 else ''}"
    return f"{rows} · {res.elapsed_ms:,.0f} ms"


def check(sql: str, con: duckdb.DuckDBPyConnection | None = None) -> duckdb.Statement:
    """The single SELECT statement in `sql`, parsed by DuckDB; SandboxError for anything else."""
    if len(sql) > MAX_SQL_CHARS:
        raise SandboxError(f"The query is {len(sql):,} characters long, over the {MAX_SQL_CHARS:,} limit: shorten it.")
    parser = con or duckdb.connect(":memory:")
    try:
        statements = parser.extract_statements(sql)
    except duckdb.Error as e:
        raise SandboxError(f"The query could not be read ({_first_line(e)}): check its syntax.") from None
    finally:
        if con is None:
            parser.close()
    if not statements:
        raise SandboxError("There is no query to run: write one SELECT statement, such as `select * from cases limit 10`.")
    if len(statements) > 1:
        raise SandboxError(f"Only one statement can run at a time, and this text has {len(statements)}: "
                           "remove the extra `;`-separated statements.")
    stmt = statements[0]
    if stmt.type != duckdb.StatementType.SELECT:
        kind = stmt.type.name.replace("_", " ")
        raise SandboxError(f"Only SELECT queries can run here, and this is a {kind} statement: the sandbox "
                           "cannot change data, settings, files or extensions.")
    hidden = sorted(_names(con, stmt.query) & HIDDEN)
    if hidden:
        raise SandboxError(f"The sandbox does not show the server's settings, files or databases ({hidden[0]}): "
                           "query the `cases` table (or `filtered(...)`) instead.")
    if stmt.named_parameters:
        names = ", ".join(sorted(stmt.named_parameters))
        raise SandboxError(f"The query has parameters ({names}) that the console cannot bind: write the values "
                           "into the query instead, such as `'New York'`.")
    return stmt


# Functions and tables a query may not name: they show where the server keeps its data or how it is
# set up (duckdb_databases() and pragma_database_list give the database file's path), or run SQL
# text of their own (query, query_table), which the check above cannot see.
HIDDEN = frozenset({
    "duckdb_databases", "duckdb_settings", "duckdb_extensions", "duckdb_secrets", "duckdb_temporary_files",
    "duckdb_memory", "duckdb_external_file_cache", "duckdb_logs", "duckdb_log_contexts", "duckdb_variables",
    "current_setting", "getvariable", "which_secret", "pragma_database_list", "pragma_metadata_info",
    "pragma_storage_info", "query", "query_table",
})


def _names(con: duckdb.DuckDBPyConnection | None, sql: str) -> set[str]:
    """Every function and table name in one SELECT statement (lower case), from DuckDB's own parse."""
    own = con is None
    con = con or duckdb.connect(":memory:")
    try:
        tree = json.loads(con.execute("select json_serialize_sql($q)", {"q": sql}).fetchone()[0])
    except duckdb.Error:
        return set()
    finally:
        if own:
            con.close()
    if tree.get("error"):
        raise SandboxError(f"The query could not be read ({tree.get('error_message', 'no detail')}): check its syntax.")
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("function_name", "table_name") and isinstance(v, str):
                    found.add(v.lower())
                elif isinstance(v, dict | list):
                    stack.append(v)
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _first_line(e: BaseException) -> str:
    line = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return line.rstrip(".")


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB with the database attached read-only, the app's macros, and then no
    external access and a locked configuration (in that order: the attach needs file access)."""
    if not path.is_file():
        raise SandboxError(f"There is no database at {path}: run `make run` or `python -m exonerations import FILE` first.")
    con = duckdb.connect(":memory:", config={
        "threads": THREADS,
        "memory_limit": MEMORY_LIMIT,
        "temp_directory": "",  # never spill to disk
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
    })
    try:
        con.execute("attach $p as reg (read_only)", {"p": str(path)})
        con.execute("select 1 from reg.cases limit 0")
        con.execute(db.query_text("_macros"))
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
    except duckdb.Error as e:
        con.close()
        raise SandboxError(f"{path} is not a database this app can read ({_first_line(e)}): "
                           "import the registry file again.") from None
    return con


def _message(e: BaseException, time_limit: float) -> str:
    if isinstance(e, duckdb.InterruptException):
        return _timeout_message(time_limit)
    if isinstance(e, duckdb.PermissionException):
        return ("The sandbox cannot read or write files, reach the network or load extensions: "
                "query the `cases` table (or `filtered(...)`) instead.")
    if isinstance(e, duckdb.OutOfMemoryException):
        return (f"The query needed more than the sandbox's {MEMORY_LIMIT} of memory: "
                "filter or aggregate before joining or sorting.")
    return f"The query failed ({_first_line(e)}): check table and column names in the Methodology & data page."


def _timeout_message(time_limit: float) -> str:
    return (f"The query ran longer than the {time_limit:g}-second limit and was stopped: "
            "filter or aggregate first, or add a `limit`.")


def _fetch(con: duckdb.DuckDBPyConnection, stmt: duckdb.Statement, row_cap: int) -> tuple[pd.DataFrame, bool]:
    """Execute and fetch at most `row_cap` + 1 rows, chunk by chunk (a huge result is never materialised)."""
    con.execute(stmt)
    chunks = [con.fetch_df_chunk(1)]  # the first chunk, even empty, carries the column names
    n = len(chunks[0])
    size = chunks[0].memory_usage(deep=True).sum()
    while n <= row_cap and not chunks[-1].empty and size <= MAX_RESULT_MB * 1024 * 1024:
        chunk = con.fetch_df_chunk(1)
        if chunk.empty:
            break
        chunks.append(chunk)
        n += len(chunk)
        size += chunk.memory_usage(deep=True).sum()
    if size > MAX_RESULT_MB * 1024 * 1024:
        raise SandboxError(f"The result is larger than {MAX_RESULT_MB} MB: select fewer or shorter columns, "
                           "or fewer rows.")
    frame = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    return frame.iloc[:row_cap].reset_index(drop=True), n > row_cap


def run(path: str | Path, sql: str, *, time_limit: float = TIME_LIMIT, row_cap: int = ROW_CAP) -> Result:
    """Run one SELECT in a fresh sandbox. Raises SandboxError (one sentence) on refusal or failure."""
    t0 = time.perf_counter()
    con = _connect(Path(path))
    try:
        stmt = check(sql, con)
    except SandboxError:
        con.close()
        raise
    out: dict = {}
    done = threading.Event()
    lock = threading.Lock()  # interrupt() and close() never overlap

    def work() -> None:
        try:
            out["result"] = _fetch(con, stmt, row_cap)
        except BaseException as e:  # reported to the caller as one sentence
            out["error"] = e
        finally:
            with lock:
                con.close()
                done.set()

    worker = threading.Thread(target=work, name="sql-sandbox", daemon=True)
    worker.start()
    if not done.wait(time_limit):
        # Interrupt until the worker stops (the query may not have started when the first one lands).
        deadline = time.monotonic() + 5
        while not done.is_set() and time.monotonic() < deadline:
            with lock:
                if not done.is_set():
                    con.interrupt()
            done.wait(0.05)
        raise SandboxError(_timeout_message(time_limit))
    if isinstance(out.get("error"), SandboxError):
        raise out["error"]
    if "error" in out:
        raise SandboxError(_message(out["error"], time_limit))
    frame, truncated = out["result"]
    return Result(frame=frame, truncated=truncated, row_cap=row_cap, elapsed_ms=(time.perf_counter() - t0) * 1000)


# ---------------------------------------------------------------------------------------------
# `python -m exonerations sql "select …" [--json]`


def _plain(v):
    """A result cell as plain JSON-ready Python: lists, ISO dates (no midnight time), None for missing."""
    if isinstance(v, np.ndarray | list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() and v.tzinfo is None else v.isoformat()
    if isinstance(v, dt.date | dt.datetime | dt.time):
        return v.isoformat()
    if isinstance(v, dt.timedelta | pd.Timedelta):
        return str(v)
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, bytes):
        return v.hex()
    return v


def records(frame: pd.DataFrame) -> list[dict]:
    """The result as JSON-ready records."""
    cols = [str(c) for c in frame.columns]
    return [dict(zip(cols, map(_plain, row), strict=True)) for row in frame.itertuples(index=False, name=None)]


def _text(v) -> str:
    v = _plain(v)
    if v is None:
        return ""
    if isinstance(v, list):
        return "; ".join(_text(x) for x in v)
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return f"{v:.1f}"
    return str(v).replace("\n", " ")


def format_table(frame: pd.DataFrame, max_width: int = 40) -> str:
    """A plain-text table: text left-aligned, numbers right-aligned, long cells cut with an ellipsis."""
    cols = [str(c) for c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               for c in frame.columns]
    cells = [[_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(cols)]

    def line(row: list[str]) -> str:
        return "  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(row, widths, numeric, strict=True)).rstrip()

    return "\n".join([line(cols), "  ".join("-" * w for w in widths), *(line(r) for r in cells)])


def cli_sql(args) -> int:
    from .cli import UserError

    try:
        res = run(args.db, args.query)
    except SandboxError as e:
        raise UserError(str(e)) from None
    if args.json:
        print(json.dumps(records(res.frame), ensure_ascii=False))
    else:
        print(format_table(res.frame) if len(res.frame.columns) else "(no columns)")
    notice = f"{res.rows:,} row{'s' if res.rows != 1 else ''} in {res.elapsed_ms:,.0f} ms"
    if res.truncated:
        notice += f" (stopped at the {res.row_cap:,}-row cap: add a `limit` or aggregate to see everything)"
    print(notice, file=sys.stderr if args.json else sys.stdout)
    return 0
