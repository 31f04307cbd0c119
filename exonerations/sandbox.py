"""The SQL sandbox behind the SQL console page and the `sql` command: one read-only SELECT against the
registry database, bounded in time, memory and size.

The statement is checked first, in the server, with DuckDB's own parser (nothing runs): exactly one
statement, of type SELECT (which covers WITH, FROM-first, VALUES, DESCRIBE, SUMMARIZE and SHOW), whose
every function, table function and table is on an allow-list (`ALLOWED_FUNCTIONS`,
`ALLOWED_TABLE_FUNCTIONS`, `ALLOWED_TABLES`): settings, files, databases, extensions and functions that
run SQL text of their own are refused in one sentence before anything runs.

It then runs in a child process of its own (`python -m exonerations.sandbox`, which loads only DuckDB
and Arrow): a new in-memory DuckDB attaches the database file read-only as `reg`, defines the app's
`cases` view and macros (`queries/_macros.sql`), turns off external access and locks its configuration;
then its address space (`ADDRESS_SPACE_MB`) and CPU time are limited, and the query is interrupted at
the time limit. The server waits at most `START_LIMIT` seconds for the query to start, then the time
limit plus `KILL_MARGIN` seconds, and then kills the child:
DuckDB does not govern or interrupt everything (lists and strings built by `range()` or `repeat()`),
a process limit does. The child sends back at most `ROW_CAP` rows as an Arrow IPC stream of at most
`MAX_RESULT_MB`, measured in the child whatever the column types. At most `MAX_CHILDREN` run at once
per server. Every failure is one sentence, and no answer names a folder of the server.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import resource
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

TIME_LIMIT = 5.0  # seconds a query may run
START_LIMIT = 3.0  # seconds the server waits for a child to start its query (a busy machine starts slowly)
KILL_MARGIN = 1.0  # seconds the server waits past the time limit before it kills the child
ROW_CAP = 5_000
MAX_SQL_CHARS = 20_000
MAX_RESULT_MB = 32  # the result's Arrow IPC size: what reaches the server and the browser
MEMORY_LIMIT = "512MB"  # DuckDB's own limit (it does not govern everything)
ADDRESS_SPACE_MB = 1024  # the child's address space: the limit that holds
THREADS = 2
MAX_CHILDREN = 2  # console queries running at once in one server
BUSY_WAIT = 2.0  # seconds a query waits for a free slot before the reader is told to try again

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
FILTERED_ARGS = (
    "as_of",
    "year_from",
    "year_to",
    "states",
    "crimes",
    "races",
    "sexes",
    "dna",
    "death_sentence",
    "include_pre_1989",
)


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


# Its named arguments (left out when they do not limit anything): parameter → argument name.
FILTERED_NAMED = {"conviction_forms": "f_conviction_forms", "ciu": "f_ciu"}


def filtered_call(params: dict) -> str:
    """`filtered(...)` with the given filter parameters written as literals."""
    args = [sql_literal(params.get(k)) for k in FILTERED_ARGS]
    args += [f"{name} := {sql_literal(params[k])}" for k, name in FILTERED_NAMED.items() if params.get(k) is not None]
    return "filtered(" + ", ".join(args) + ")"


def filtered_example(params: dict, where: str = "") -> str:
    """The console's opening query: official misconduct by state, for the given filters (the sidebar's)."""
    note = " ".join((where or "no filters").split())  # one line: it sits in a comment
    return (
        f"-- Exonerations with official misconduct, by state, for the sidebar's filters ({note}).\n"
        "select\n    state,\n    count(*) as exonerations,\n"
        "    count(*) filter (where official_misconduct) as with_misconduct,\n"
        "    round(100.0 * with_misconduct / exonerations, 1) as pct_misconduct\n"
        f"from {filtered_call(params)}\ngroup by state\norder by with_misconduct desc\n"
    )


def with_literals(sql: str, params: dict) -> str:
    """A named query's text with its bound parameters (`$as_of`, `$states`…) written in as literals, so it
    runs as shown in the console; a parameter it does not name stays as it is."""
    header = "-- The query behind the chart, with the sidebar's filters written in.\n"
    return header + re.sub(
        r"\$([A-Za-z_][A-Za-z0-9_]*)",
        lambda m: sql_literal(params[m.group(1)]) if m.group(1) in params else m.group(0),
        sql,
    )


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


# ---------------------------------------------------------------------------------------------
# What a query may name: an allow-list, checked on DuckDB's own parse of the statement


_OPERATORS = "+ - * / // % ** ^ || ~~ !~~ ~~* !~~* ~~~ ^@ @> <@ && & | ~ << >>"
_AGGREGATES = """
any_value approx_count_distinct approx_quantile arbitrary arg_max arg_min argmax argmin array_agg avg bool_and
bool_or corr count count_if count_star countif covar_pop covar_samp entropy favg first fsum geomean
geometric_mean group_concat histogram kahan_sum kurtosis kurtosis_pop last list listagg mad max max_by mean
median min min_by mode product quantile quantile_cont quantile_disc regr_avgx regr_avgy regr_count
regr_intercept regr_r2 regr_slope sem skewness stddev stddev_pop stddev_samp string_agg sum sumkahan var_pop
var_samp variance wavg weighted_avg
cume_dist dense_rank first_value lag last_value lead nth_value ntile percent_rank rank row_number
"""
_SCALARS = """
abs add bar cbrt ceil ceiling degrees divide even exp factorial fdiv floor fmod gcd greatest isfinite isinf
isnan lcm least ln log log10 log2 mod multiply pi pow power radians random round round_even sign sqrt subtract
trunc
array_to_string ascii char_length character_length chr concat concat_ws contains damerau_levenshtein
editdist3 ends_with format hamming hash ilike_escape instr jaccard jaro_similarity jaro_winkler_similarity lcase
left left_grapheme len length length_grapheme levenshtein like_escape lower lpad ltrim md5 mismatches nfc_normalize
not_ilike_escape not_like_escape ord position prefix printf regexp_escape regexp_extract regexp_extract_all
regexp_full_match regexp_matches regexp_replace regexp_split_to_array repeat replace reverse right
right_grapheme rpad rtrim sha256 split split_part starts_with str_split str_split_regex string_split
string_split_regex string_to_array strip_accents strlen strpos substr substring substring_grapheme suffix
translate trim ucase unicode upper
age ago century current_date date_add date_diff date_part date_sub date_trunc datediff datepart datesub
datetrunc day dayname dayofmonth dayofweek dayofyear days_in_month decade epoch epoch_ms era hour isodow isoyear
julian last_day make_date make_time make_timestamp microsecond millennium millisecond minute month monthname
now quarter second strftime strptime time_bucket to_days to_hours to_minutes to_months to_seconds to_weeks
to_years today try_strptime week weekday weekofyear year yearweek
apply array_aggregate array_append array_apply array_cat array_concat array_contains array_distinct
array_extract array_filter array_has array_has_all array_has_any array_indexof array_length array_position
array_prepend array_reverse array_reverse_sort array_select array_slice array_sort array_transform array_unique
array_value array_where array_zip filter flatten generate_series list_aggr list_aggregate list_any_value
list_append list_apply list_avg list_bool_and list_bool_or list_cat list_concat list_contains list_count
list_distinct list_element list_extract list_filter list_first list_has list_has_all list_has_any list_indexof
list_intersect list_last list_max list_median list_min list_mode list_pack list_position list_prepend list_reduce
list_reverse list_reverse_sort list_select list_slice list_sort list_string_agg list_sum list_transform
list_unique list_value list_where list_zip range reduce unnest
element_at map map_extract map_keys map_values row struct_extract struct_pack
count_true if nullif typeof
"""
# Every function (and operator) a query may call; anything else is refused before it runs: the
# settings, files, databases, extensions and SQL-running functions (duckdb_settings, pg_settings,
# current_setting, getenv, read_csv, glob, query, json_execute_serialized_sql…) are simply not on it.
ALLOWED_FUNCTIONS = frozenset(_OPERATORS.split() + _AGGREGATES.split() + _SCALARS.split())
# The table functions a FROM clause may call: the app's filters, and number series.
ALLOWED_TABLE_FUNCTIONS = frozenset({"filtered", "range", "generate_series", "unnest"})
# The tables a query may read (the registry's, as the app attaches them); a query's own CTEs besides.
ALLOWED_TABLES = frozenset({"cases", "meta", "import_warnings"})
_CATALOGS, _SCHEMAS = frozenset({"", "memory", "reg"}), frozenset({"", "main", "reg", "memory"})
# DESCRIBE / SUMMARIZE (a query shown as its columns), SHOW TABLES, SHOW DATABASES (names only).
_SHOWN = frozenset({"", '"tables"', '"databases"'})
MAX_NESTING = 300  # levels of the parsed statement: deeper ones are refused before they are read
_FILE_FUNCTIONS = re.compile(r"^(read_|parquet_|sniff_csv|glob|copy|export|import|attach)")


_PARSER_LOCK = threading.Lock()
_PARSER: list[duckdb.DuckDBPyConnection] = []


def _parser() -> duckdb.DuckDBPyConnection:
    """The parent's own in-memory DuckDB, used only to parse (never to run) a reader's query."""
    if not _PARSER:
        _PARSER.append(
            duckdb.connect(
                ":memory:",
                config={
                    "threads": 1,
                    "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False,
                    "enable_external_access": False,
                },
            )
        )
    return _PARSER[0]


def _reserved() -> frozenset[str]:
    """Names a query's CTE may not take: every view and table DuckDB has by itself (a CTE named like one,
    used where the CTE is out of scope, would read the real one; a table function is never read by its
    bare name)."""
    if not _RESERVED:
        con = _parser().cursor()
        try:
            rows = con.execute(
                "select view_name from duckdb_views() union select table_name from duckdb_tables()"
            ).fetchall()
        finally:
            con.close()
        _RESERVED.append(frozenset(str(r[0]).lower() for r in rows) - ALLOWED_TABLES)
    return _RESERVED[0]


_RESERVED: list[frozenset[str]] = []


def check(sql: str, con: duckdb.DuckDBPyConnection | None = None) -> duckdb.Statement:
    """The single SELECT statement in `sql`, parsed by DuckDB and checked against the allow-lists;
    SandboxError (one sentence) for anything else. Nothing runs."""
    if len(sql) > MAX_SQL_CHARS:
        raise SandboxError(f"The query is {len(sql):,} characters long, over the {MAX_SQL_CHARS:,} limit: shorten it.")
    with _PARSER_LOCK:
        stmt = _one_select(sql, con or _parser())
        tree = _serialized(stmt.query, con or _parser())
    _check_tree(tree)
    if stmt.named_parameters:
        names = ", ".join(sorted(stmt.named_parameters))
        raise SandboxError(
            f"The query has parameters ({_clip(names)}) that the console cannot bind: write the "
            "values into the query instead, such as `'New York'`."
        )
    return stmt


def _one_select(sql: str, con: duckdb.DuckDBPyConnection) -> duckdb.Statement:
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as e:
        raise SandboxError(f"The query could not be read ({_first_line(e)}): check its syntax.") from None
    except (ValueError, RecursionError):  # a statement type the Python client does not know (UPDATE EXTENSIONS)
        raise SandboxError(_NOT_SELECT.format(kind="another kind of")) from None
    if not statements:
        raise SandboxError(
            "There is no query to run: write one SELECT statement, such as `select * from cases limit 10`."
        )
    if len(statements) > 1:
        raise SandboxError(
            f"Only one statement can run at a time, and this text has {len(statements)}: "
            "remove the extra `;`-separated statements."
        )
    stmt = statements[0]
    try:
        kind = stmt.type
    except ValueError:
        raise SandboxError(_NOT_SELECT.format(kind="another kind of")) from None
    if kind == duckdb.StatementType.MULTI:
        raise SandboxError(_NOT_SELECT.format(kind="a multi-part (PIVOT)"))
    if kind != duckdb.StatementType.SELECT:
        raise SandboxError(_NOT_SELECT.format(kind="a " + kind.name.replace("_", " ")))
    return stmt


_NOT_SELECT = (
    "Only SELECT queries can run here, and this is {kind} statement: the sandbox cannot change data, "
    "settings, files or extensions."
)


def _serialized(sql: str, con: duckdb.DuckDBPyConnection) -> dict:
    """DuckDB's own parse of one SELECT, as a tree of dicts and lists."""
    try:
        text = con.execute("select json_serialize_sql($q)", {"q": sql}).fetchone()[0]
        tree = json.loads(text)
    except RecursionError:
        raise SandboxError(
            "The query is nested too deeply for the console to check: write it with fewer brackets inside brackets, for example with a `with` clause."
        ) from None
    except duckdb.Error as e:
        raise SandboxError(f"The query could not be read ({_first_line(e)}): check its syntax.") from None
    if tree.get("error"):
        detail = str(tree.get("error_message", "no detail"))
        if "Only SELECT" in detail:
            raise SandboxError(
                "The console cannot check this form of query (PIVOT and similar statements): "
                "write it as a SELECT with GROUP BY, or with PIVOT inside the FROM clause."
            )
        raise SandboxError(f"The query could not be read ({_clip(detail)}): check its syntax.")
    return tree


@dataclass
class _Names:
    functions: set[str]
    table_functions: set[str]
    tables: set[tuple[str, str, str]]
    ctes: set[str]
    shown: set[str]
    qualified: set[str]


def _walk(tree: dict) -> _Names:
    """Every function, table function, table, CTE and SHOW in the parsed statement (lower case)."""
    found = _Names(set(), set(), set(), set(), set(), set())
    stack: list[tuple[object, str, int]] = [(tree, "expr", 0)]
    while stack:
        node, ctx, depth = stack.pop()
        if depth > MAX_NESTING:
            raise SandboxError(
                "The query is nested too deeply for the console to check: write it with fewer brackets inside brackets, for example with a `with` clause."
            )
        if isinstance(node, list):
            stack.extend((x, "expr", depth + 1) for x in node)
        elif isinstance(node, dict):
            _visit(node, ctx, found)
            for k, v in node.items():
                if isinstance(v, dict | list):
                    stack.append(
                        (v, "table" if k == "function" and node.get("type") == "TABLE_FUNCTION" else "expr", depth + 1)
                    )
    return found


def _visit(node: dict, ctx: str, found: _Names) -> None:
    name = node.get("function_name")
    if isinstance(name, str):
        (found.table_functions if ctx == "table" else found.functions).add(name.lower())
        if node.get("schema") or node.get("catalog"):
            found.qualified.add(name.lower())
    kind = node.get("type")
    if kind == "BASE_TABLE":
        found.tables.add(
            (
                str(node.get("catalog_name", "")).lower(),
                str(node.get("schema_name", "")).lower(),
                str(node.get("table_name", "")).lower(),
            )
        )
    elif kind == "SHOW_REF":
        found.shown.add(str(node.get("table_name", "")).lower())
    cte_map = node.get("cte_map")
    if isinstance(cte_map, dict):
        found.ctes.update(str(e.get("key", "")).lower() for e in cte_map.get("map", ()) if isinstance(e, dict))


def _check_tree(tree: dict) -> None:
    """Refuse (one sentence) any name that is not on the allow-lists."""
    n = _walk(tree)
    for name in sorted(n.ctes):
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name) or name in _reserved():
            raise SandboxError(
                f"A `with` clause cannot be named `{_clip(name)}`, a name DuckDB already uses: "
                "choose another name, such as `t` or `by_state`."
            )
    bad = sorted(n.functions - ALLOWED_FUNCTIONS) + sorted(n.table_functions - ALLOWED_TABLE_FUNCTIONS)
    if bad:
        raise SandboxError(_refusal(bad[0]))
    if n.qualified:
        raise SandboxError(f"Call `{_clip(sorted(n.qualified)[0])}` without a schema or database in front of it.")
    for catalog, schema, table in sorted(n.tables):
        plain = catalog == "" and schema == ""
        if not (
            (table in ALLOWED_TABLES and catalog in _CATALOGS and schema in _SCHEMAS) or (plain and table in n.ctes)
        ):
            raise SandboxError(_refusal(table, table=True))
    if n.shown - _SHOWN:
        raise SandboxError(
            "The console shows the registry's tables (`show tables`, `describe cases`), not the server's other lists."
        )


def _refusal(name: str, table: bool = False) -> str:
    shown = _clip(name.strip('"'))
    if "/" in name or "." in name or "\\" in name or _FILE_FUNCTIONS.match(name):
        return (
            "The sandbox cannot read or write files, reach the network or load extensions: query the `cases` "
            "table (or `filtered(...)`) instead."
        )
    if name.startswith(("duckdb_", "pragma_", "pg_", "current_setting", "getenv", "getvariable", "json_", "query")):
        return (
            f"The sandbox does not show the server's settings, files or databases (`{shown}`): query the `cases` "
            "table (or `filtered(...)`) instead."
        )
    if table:
        return (
            f"The console reads the `cases` table (and `filtered(...)`, `meta`, `import_warnings`), not "
            f"`{shown}`: check the name in the Methodology & data page."
        )
    return (
        f"The console does not run `{shown}`: it runs only the functions a question about the cases needs "
        "(counts and other aggregates, text, dates, numbers and lists)."
    )


def _first_line(e: BaseException) -> str:
    line = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return _clip(line.rstrip("."), 200)


def _clip(s: str, n: int = 60) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Running: one child process per query, bounded in memory, CPU and time, and killed at the deadline


def _hidden(path: Path) -> list[str]:
    """Where the server keeps things: never in an answer (the database file, its folder, the home folder)."""
    out = [str(path), str(path.parent)]
    home = os.path.expanduser("~")
    return [h for h in (*out, home) if h and len(h) >= 5]


def _scrub(text: str, hidden: list[str]) -> str:
    for h in sorted(hidden, key=len, reverse=True):
        text = text.replace(h, "…")
    return text


_SLOTS = threading.BoundedSemaphore(MAX_CHILDREN)


def run(path: str | Path, sql: str, *, time_limit: float = TIME_LIMIT, row_cap: int = ROW_CAP) -> Result:
    """Run one SELECT in a fresh sandbox process. Raises SandboxError (one sentence) on refusal or failure."""
    t0 = time.perf_counter()
    path = Path(path).resolve()  # the child runs in the project folder: it gets the full path
    stmt = check(sql)
    if not path.is_file():
        raise SandboxError(
            "There is no database to query yet: run `make run` or `python -m exonerations import FILE` first."
        )
    if not _SLOTS.acquire(timeout=BUSY_WAIT):
        raise SandboxError(_BUSY)
    try:
        header, payload = _in_child(path, stmt.query, time_limit, row_cap)
    finally:
        _SLOTS.release()
    frame = _frame(payload)
    return Result(
        frame=frame,
        truncated=bool(header.get("truncated")),
        row_cap=row_cap,
        elapsed_ms=(time.perf_counter() - t0) * 1000,
    )


def _request(path: Path, sql: str, time_limit: float, row_cap: int) -> bytes:
    from . import db

    return json.dumps(
        {
            "db": str(path),
            "sql": sql,
            "macros": db.query_text("_macros"),
            "time_limit": time_limit,
            "row_cap": row_cap,
            "max_bytes": MAX_RESULT_MB * 1024 * 1024,
            "memory_limit": MEMORY_LIMIT,
            "threads": THREADS,
            "address_space": ADDRESS_SPACE_MB * 1024 * 1024,
            "hide": _hidden(path),
        }
    ).encode()


def _in_child(path: Path, sql: str, time_limit: float, row_cap: int) -> tuple[dict, bytes]:
    """Run the query in a child process. The server waits at most START_LIMIT seconds for the child to
    start the query, then at most `time_limit` + KILL_MARGIN seconds for its answer, and kills it then."""
    from . import db

    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "MALLOC_ARENA_MAX": "2",
        "PYTHONPATH": str(db.PROJECT_ROOT),
        "LANG": "C.UTF-8",
        "OMP_NUM_THREADS": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-s", "-B", "-m", "exonerations.sandbox"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=db.PROJECT_ROOT,
        env=env,
        close_fds=True,
    )
    try:
        threading.Thread(target=_send, args=(proc, _request(path, sql, time_limit, row_cap)), daemon=True).start()
        out = _answer(proc, time_limit)
        proc.wait(KILL_MARGIN)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    if proc.returncode != 0:
        raise SandboxError(_timeout_message(time_limit) if proc.returncode == -signal.SIGXCPU else _MEMORY)
    line, _, payload = out.partition(b"\n")
    try:
        header = json.loads(line)
    except ValueError:
        raise SandboxError(_MEMORY) from None
    if not header.get("ok"):
        raise SandboxError(_scrub(_message(header, time_limit), _hidden(path)))
    return header, payload


def _send(proc: subprocess.Popen, request: bytes) -> None:
    try:
        proc.stdin.write(request)
        proc.stdin.close()
    except OSError:  # the child is gone: its answer (or its absence) says why
        pass


def _answer(proc: subprocess.Popen, time_limit: float) -> bytes:
    """What the child writes (a first line when the query starts, then its answer) within the deadlines."""
    fd, chunks, size, started = proc.stdout.fileno(), [], 0, False
    deadline = time.monotonic() + START_LIMIT
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise SandboxError(_timeout_message(time_limit) if started else _BUSY)
        if not select.select([fd], [], [], left)[0]:
            continue
        data = os.read(fd, 1 << 20)
        if not data:
            break
        if not started:
            started, deadline = True, time.monotonic() + time_limit + KILL_MARGIN
        chunks.append(data)
        size += len(data)
        if size > MAX_RESULT_MB * 1024 * 1024 + 65536:
            raise SandboxError(_message({"kind": "size"}, time_limit))
    return b"".join(chunks).removeprefix(_STARTED)


_STARTED = b"started\n"
_BUSY = "The console is busy with other readers' queries right now: press Run again in a few seconds."


_MEMORY = (
    f"The query needed more memory than the console allows ({ADDRESS_SPACE_MB:,} MB) and was stopped: "
    "filter or aggregate before building long lists or strings."
)


def _message(header: dict, time_limit: float) -> str:
    """The one sentence for a failure the child reported."""
    kind, detail = header.get("kind"), _clip(str(header.get("detail", "")), 200)
    if kind == "time":
        return _timeout_message(time_limit)
    if kind == "memory":
        return _MEMORY
    if kind == "files":
        return (
            "The sandbox cannot read or write files, reach the network or load extensions: "
            "query the `cases` table (or `filtered(...)`) instead."
        )
    if kind == "size":
        return (
            f"The result is larger than {MAX_RESULT_MB} MB: select fewer or shorter columns, or fewer rows, "
            "or aggregate."
        )
    if kind == "hidden":
        return "The result would show where the server keeps its files, which the console never shows."
    if kind == "database":
        return (
            "The database file is not one this app can read: import the registry file again with "
            "`python -m exonerations import FILE`."
        )
    return f"The query failed ({detail}): check table and column names in the Methodology & data page."


def _timeout_message(time_limit: float) -> str:
    return (
        f"The query ran longer than the {time_limit:g}-second limit and was stopped: "
        "filter or aggregate first, or add a `limit`."
    )


def _frame(payload: bytes) -> pd.DataFrame:
    """The child's Arrow IPC stream as a DataFrame (column names made unique for display)."""
    import pyarrow as pa

    try:
        table = pa.ipc.open_stream(pa.py_buffer(payload)).read_all()
        names, seen = [], set()
        for name in table.column_names:
            new, i = name, 2
            while new in seen:
                new, i = f"{name} ({i})", i + 1
            seen.add(new)
            names.append(new)
        return table.rename_columns(names).to_pandas(date_as_object=False)
    except (pa.ArrowException, ValueError, TypeError, OverflowError) as e:
        raise SandboxError(
            f"The result has a column the console cannot show ({_first_line(e)}): cast it to text with `::varchar`."
        ) from None


# ---------------------------------------------------------------------------------------------
# The child: `python -m exonerations.sandbox` reads one request on stdin and writes one answer on
# stdout — a JSON line, then the result as an Arrow IPC stream. Only DuckDB and pyarrow are loaded.


class _Refused(Exception):
    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _child_main() -> None:
    req = json.loads(sys.stdin.buffer.read())
    _child_guard()
    try:
        header, payload = _child_run(req)
    except BaseException as e:  # noqa: BLE001 - every failure goes back to the parent as one kind
        header, payload = {"ok": False, **_child_kind(e)}, b""
    sys.stdout.buffer.write(json.dumps(header).encode() + b"\n")
    sys.stdout.buffer.write(payload)
    sys.stdout.flush()
    os._exit(0)  # no clean-up of DuckDB's or Arrow's memory: the process ends now


def _child_guard() -> None:
    """Before anything is loaded: no core file, no file written, and death with the parent."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child_limits(req: dict) -> None:
    """Once DuckDB and Arrow are loaded: the address space and CPU time the query may use."""
    with open("/proc/self/statm") as f:
        now = int(f.read().split()[0]) * resource.getpagesize()
    limit = max(int(req["address_space"]), now + 256 * 1024 * 1024)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + req["time_limit"] * req["threads"] + 2)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _child_connect(req: dict) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the database attached read-only, the app's macros, then no external
    access and a locked configuration (in that order: the attach needs file access)."""
    con = duckdb.connect(
        ":memory:",
        config={
            "threads": int(req["threads"]),
            "memory_limit": req["memory_limit"],
            "temp_directory": "",
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
            "python_enable_replacements": False,
        },
    )
    try:
        con.execute("set enable_progress_bar = false")  # stdout carries the answer: no bar in it
        con.execute("attach $p as reg (read_only)", {"p": req["db"]})
        con.execute("select 1 from reg.cases limit 0")
        con.execute(req["macros"])
    except duckdb.Error:
        raise _Refused("database") from None
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    return con


def _child_run(req: dict) -> tuple[dict, bytes]:
    import pyarrow as pa
    import pyarrow.ipc  # noqa: F401 - loaded before the address space is limited

    con = _child_connect(req)
    _child_limits(req)
    sys.stdout.buffer.write(_STARTED)
    sys.stdout.flush()
    timer = threading.Timer(float(req["time_limit"]), con.interrupt)
    timer.daemon = True
    timer.start()
    reader = con.sql(req["sql"]).to_arrow_reader(_BATCH_ROWS)
    sink = pa.BufferOutputStream()
    rows, truncated, cap, limit = 0, False, int(req["row_cap"]), int(req["max_bytes"])
    with pa.ipc.new_stream(sink, reader.schema) as writer:
        for batch in reader:
            if rows + batch.num_rows > cap:
                batch, truncated = batch.slice(0, cap - rows), True
            if sink.tell() + batch.nbytes > limit:
                raise _Refused("size")
            writer.write_batch(batch)
            rows += batch.num_rows
            if truncated:
                break
    timer.cancel()
    payload = sink.getvalue().to_pybytes()
    if len(payload) > limit:
        raise _Refused("size")
    if any(h.encode() in payload for h in req["hide"]):
        raise _Refused("hidden")
    return {"ok": True, "truncated": truncated, "rows": rows}, payload


_BATCH_ROWS = 1024


def _child_kind(e: BaseException) -> dict:
    if isinstance(e, _Refused):
        return {"kind": e.kind}
    if isinstance(e, duckdb.InterruptException):
        return {"kind": "time"}
    text = str(e).lower()
    if isinstance(e, MemoryError | duckdb.OutOfMemoryException) or "bad_alloc" in text or "out of memory" in text:
        return {"kind": "memory"}
    if isinstance(e, duckdb.PermissionException):
        return {"kind": "files"}
    return {"kind": "sql", "detail": _first_line(e)}


# ---------------------------------------------------------------------------------------------
# `python -m exonerations sql "select …" [--json]`


def _plain(v):
    """A result cell as plain JSON-ready Python: lists, ISO dates (no midnight time), None for missing."""
    import numpy as np
    import pandas as pd

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
    import pandas as pd

    cols = [str(c) for c in frame.columns]
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]) for c in frame.columns
    ]
    cells = [[_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    cells = [[c if len(c) <= max_width else c[: max_width - 1] + "…" for c in row] for row in cells]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(cols)]

    def line(row: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if num else c.ljust(w) for c, w, num in zip(row, widths, numeric, strict=True)
        ).rstrip()

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


if __name__ == "__main__":
    _child_main()
