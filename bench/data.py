"""The databases the benchmark runs on, the peer's CSV, and the timing of the import.

1× is the full registry export imported with the app's importer (the scale-1 demo when the export is
absent); any other scale N is `python -m exonerations demo --scale N`. The peer reads the same rows:
each database's `cases` table written to a CSV.
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT, Measure, log, skipped


@dataclass(frozen=True)
class Database:
    scale: float
    path: Path
    csv: Path  # the `cases` table, for the peer
    label: str  # what it is, for the notes under the table
    cases: int


def time_import(export: Path, runs: int, workdir: Path) -> Measure:
    """Seconds to parse the export and build its DuckDB file (`db.import_file`, what `python -m
    exonerations import` runs), after one untimed import (module imports, the file in the OS cache)."""
    if not export.is_file():
        return skipped(f"the full export is not at {export}")
    from exonerations import db

    m = Measure()
    target = workdir / "import-timing.duckdb"
    try:
        db.import_file(export, target)
        for _ in range(runs):
            t0 = time.perf_counter()
            db.import_file(export, target)
            m.values.append(time.perf_counter() - t0)
    except Exception as e:  # noqa: BLE001 — a failed import is a figure the table shows
        m.fail(e)
    return m


def cli(*args: str) -> None:
    """`python -m exonerations ARGS` (the documented commands); RuntimeError with its last words if it fails."""
    done = subprocess.run([sys.executable, "-m", "exonerations", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"`python -m exonerations {args[0]}` failed: {last[:200]}")


def build(scale: float, export: Path, workdir: Path) -> Database:
    path = workdir / f"scale-{scale:g}.duckdb"
    if scale == 1 and export.is_file():
        log(f"importing {export.name}")
        cli("import", str(export), "--db", str(path))
        label = f"the full export ({export.name})"
    else:
        log(f"building the demo at scale {scale:g}")
        cli("demo", "--scale", f"{scale:g}", "--db", str(path))
        label = f"the synthetic demo at scale {scale:g}" + (" (the full export is absent)" if scale == 1 else "")
    csv = workdir / f"scale-{scale:g}.csv"
    return Database(scale, path, csv, label, write_csv(path, csv))


def write_csv(db_path: Path, csv: Path) -> int:
    """The `cases` table as a CSV (DuckDB's COPY); returns its number of rows."""
    import duckdb

    con = duckdb.connect(str(db_path), read_only=True)
    try:
        con.sql("select * from cases").write_csv(str(csv), header=True)
        return con.sql("select count(*) from cases").fetchall()[0][0]
    finally:
        con.close()
