"""`python -m exonerations …`: import, stats, demo and the other commands journalists script with.

Errors a user can cause print one sentence to stderr and exit with code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import os
import sys
import time
from pathlib import Path

import duckdb

from . import db, demo, glossary, ingest
from .filters import CONVICTION_FORMS, Filters
from .stats import pct, stats

EXIT_USER_ERROR = 2


class UserError(Exception):
    pass


def _date(s: str) -> dt.date:
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{s}' is not a date in the form YYYY-MM-DD") from None


def _year(s: str) -> int:
    try:
        y = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{s}' is not a year") from None
    if not 1800 <= y <= 2200:
        raise argparse.ArgumentTypeError(f"{y} is not a plausible year")
    return y


def add_db_arg(p: argparse.ArgumentParser) -> None:
    default = Path(os.environ.get("EXONERATIONS_DB") or db.DEFAULT_DB)
    p.add_argument(
        "--db", type=Path, default=default, help="database file (default: EXONERATIONS_DB, else %(default)s)"
    )


def add_filter_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters")
    g.add_argument("--as-of", type=_date, help="count cases posted on or before this date (YYYY-MM-DD)")
    g.add_argument("--state", action="append", default=[], metavar="NAME", help="a state (repeat for several)")
    g.add_argument("--race", action="append", default=[], metavar="R")
    g.add_argument("--crime", action="append", default=[], metavar="C", help="worst crime")
    g.add_argument("--sex", action="append", default=[], metavar="S")
    g.add_argument("--death-sentence", action="store_true", help="only cases with a death sentence")
    g.add_argument("--dna", action="store_true", help="only DNA exonerations")
    g.add_argument("--exonerated-from", type=_year, metavar="Y")
    g.add_argument("--exonerated-to", type=_year, metavar="Y")
    g.add_argument("--include-pre-1989", action="store_true", help="include cases exonerated before 1989")
    g.add_argument(
        "--conviction-form",
        action="append",
        default=[],
        choices=list(CONVICTION_FORMS),
        help="how the conviction was obtained (repeat for several)",
    )
    g.add_argument(
        "--ciu",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="only cases a conviction integrity unit helped clear (--no-ciu: only the others)",
    )


def filters_from_args(a: argparse.Namespace) -> Filters:
    return Filters(
        as_of=a.as_of,
        year_from=a.exonerated_from,
        year_to=a.exonerated_to,
        states=tuple(a.state),
        crimes=tuple(a.crime),
        races=tuple(a.race),
        sexes=tuple(a.sex),
        dna=True if a.dna else None,
        death_sentence=True if a.death_sentence else None,
        include_pre_1989=a.include_pre_1989,
        forms=tuple(dict.fromkeys(a.conviction_form)),
        ciu=a.ciu,
    )


def open_registry(path: Path) -> db.Registry:
    try:
        return db.Registry(path)
    except db.DatabaseError as e:
        raise UserError(str(e)) from None


# ---------------------------------------------------------------------------------------------
# Commands


def cmd_import(a: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    parsed = ingest.parse_file(a.file)
    db.import_parsed(parsed, a.db)
    secs = time.perf_counter() - t0
    print(f"layout: {parsed.layout_name}")
    print(f"rows: {parsed.rows}")
    print(f"warnings: {len(parsed.warnings)}")
    for w in parsed.warnings[: a.show_warnings]:
        print(f"  {w}")
    if len(parsed.warnings) > a.show_warnings:
        print(f"  … {len(parsed.warnings) - a.show_warnings} more (see the Methodology & data page)")
    print(f"database: {a.db} ({secs:.2f} s)")
    return 0


def cmd_stats(a: argparse.Namespace) -> int:
    reg = open_registry(a.db)
    try:
        s = stats(reg, filters_from_args(a))
    finally:
        reg.close()
    if a.json:
        print(json.dumps(s))
        return 0
    total = s["total"]
    print(f"As of {s['as_of']}: {total:,} exonerations")
    for group, codes in (("factors", glossary.FACTORS), ("misconduct", glossary.MISCONDUCT)):
        print(f"\n{'Contributing factors' if group == 'factors' else 'Official misconduct by actor and kind'}:")
        for c in codes:
            n = s[group][c.key]
            shown = "not in this file" if n is None else f"{n:>6,}  {pct(n, total):>6}"
            print(f"  {c.label:<42} {shown}")
    yl = s["years_lost"]
    print(f"\nYears lost: {'not in this file' if yl is None else f'{yl:,.1f}'}")
    return 0


def cmd_demo(a: argparse.Namespace) -> int:
    t0 = time.perf_counter()
    table = demo.build_demo(a.db, a.scale)
    print(f"demo data: {table.num_rows:,} synthetic cases written to {a.db} ({time.perf_counter() - t0:.1f} s)")
    return 0


def cmd_prepare(a: argparse.Namespace) -> int:
    """For `make run` and the container: import the newest registry file in the data folder if it is newer
    than the database, else fetch it from EXONERATIONS_DATA_URL when there is no database, else keep the
    database, else build the demo (exonerations/prepare.py)."""
    from .prepare import prepare

    prepare(
        a.db, say=lambda line: print(line, file=sys.stderr if line.startswith(("Could not", "The ")) else sys.stdout)
    )
    return 0


# ---------------------------------------------------------------------------------------------


def _lazy(module: str, function: str):
    """A command implemented in another module of the package, imported only when it runs."""
    import importlib

    return getattr(importlib.import_module(f"exonerations.{module}"), function)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m exonerations", description="Exoneration Misconduct Explorer: data commands."
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("import", help="import a registry export (CSV or XLSX) into the database")
    s.add_argument("file", type=Path)
    add_db_arg(s)
    s.add_argument("--show-warnings", type=int, default=10, metavar="N", help="print the first N warnings")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser("stats", help="headline counts for a set of filters")
    add_db_arg(s)
    add_filter_args(s)
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=cmd_stats)

    s = sub.add_parser("demo", help="build the deterministic synthetic demo database")
    add_db_arg(s)
    s.add_argument("--scale", type=float, default=1.0, help="size multiplier (100 ≈ 385,000 cases)")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("claims", help="check the campaign's claims against the database")
    add_db_arg(s)
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=lambda a: _lazy("claims", "cli_claims")(a))

    s = sub.add_parser("when", help="on which posting date(s) did the registry hold N cases?")
    add_db_arg(s)
    s.add_argument("n", type=int)
    add_filter_args(s)
    s.add_argument("--json", action="store_true", help="print JSON")
    s.set_defaults(func=lambda a: _lazy("claims", "cli_when")(a))

    s = sub.add_parser(
        "brief", help="write the briefing pack (PowerPoint .pptx or fact sheet .html) for a set of filters"
    )
    add_db_arg(s)
    s.add_argument("--out", type=Path, required=True, help="output file: .pptx (deck) or .html (fact sheet)")
    s.add_argument("--app-url", default="http://localhost:8501", help="the app's address, for the link back to it")
    add_filter_args(s)
    s.set_defaults(func=lambda a: _lazy("brief", "cli_brief")(a))

    s = sub.add_parser("publish", help="write a static site of every chart for a set of filters (for embeds)")
    add_db_arg(s)
    s.add_argument("--out", type=Path, required=True, help="the folder to write the site into")
    s.add_argument("--app-url", default="http://localhost:8501", help="the app's address, for links back to it")
    s.add_argument("--no-images", action="store_true", help="skip the SVG and PNG files (made with Chromium)")
    add_filter_args(s)
    s.set_defaults(func=lambda a: _lazy("publish", "cli_publish")(a))

    s = sub.add_parser("sql", help="run one read-only SELECT in the sandbox (time limit, row cap)")
    add_db_arg(s)
    s.add_argument("query", help="a single SELECT or WITH statement")
    s.add_argument("--json", action="store_true", help="print JSON records")
    s.set_defaults(func=lambda a: _lazy("sandbox", "cli_sql")(a))

    s = sub.add_parser("prepare", help="what `make run` does before starting the app")
    add_db_arg(s)
    s.set_defaults(func=cmd_prepare)
    return p


def cannot_write(path: Path | None, e: BaseException) -> str:
    """One sentence for a file a command could not write (or a folder it could not make): why, and what
    to do. DuckDB reports the same causes as text, without an errno."""
    reasons = {
        errno.EROFS: ("its folder is read-only", "Read-only file system"),
        errno.ENOSPC: ("the disk is full", "No space left on device"),
        errno.EDQUOT: ("the disk quota is used up", "Disk quota exceeded"),
        errno.EACCES: ("you may not write in its folder", "Permission denied"),
        errno.EPERM: ("you may not write in its folder", "Operation not permitted"),
        errno.ENOTDIR: ("a file is where a folder should be", "Not a directory"),
        errno.EEXIST: ("a file is where a folder should be", "File exists"),
    }
    text = str(e)
    target = getattr(e, "filename", None) or path or "the database"
    why = next((w for code, (w, words) in reasons.items() if getattr(e, "errno", None) == code or words in text), None)
    if why is None:
        why = (getattr(e, "strerror", None) or (text.splitlines()[0] if text else type(e).__name__)).rstrip(".")
    fix = "free some space and try again" if "full" in why or "quota" in why else "choose a folder you can write to"
    return f"could not write {target}: {why}, so nothing was changed; {fix}."


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    a = parser.parse_args(argv)
    try:
        return a.func(a)
    except (ingest.RegistryFileError, UserError, db.DatabaseError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USER_ERROR
    except (OSError, duckdb.IOException) as e:  # a read-only folder, a full disk: one sentence, not a traceback
        print(f"error: {cannot_write(getattr(a, 'db', None), e)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("interrupted; the database was not changed", file=sys.stderr)
        return 130
