"""Crash safety of the import: an import killed (SIGKILL) at any moment leaves the old database or the
complete new one — never a mix, never a file that cannot be opened — and what a killed import leaves
behind (its temporary file) does not break the next import."""

from __future__ import annotations

import csv
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from exonerations import db

KILLS_ANYWHERE = 10  # at a random moment of the whole run (start-up, reading, writing, after)
KILLS_WHILE_WRITING = 18  # at a random moment after the temporary database has appeared
NEW_ROWS = 6_000


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_big_registry(path: Path, n: int) -> None:
    """A valid full-export file: the rows of b_small.csv repeated with new, unique IDs."""
    with (FIXTURES / "b_small.csv").open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i in range(n):
            w.writerow([str(1_000_000 + i), *rows[i % len(rows)][1:]])


def temp_files(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}."))


def start_import(src: Path, target: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "exonerations", "import", str(src), "--db", str(target)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_temp_file(proc: subprocess.Popen, target: Path, timeout: float = 60) -> bool:
    """Poll until the import's temporary database exists (the write phase has begun)."""
    prefix = f".{target.name}.{proc.pid}-"  # .NAME.PID-TOKEN.tmp
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if any(n.startswith(prefix) and n.endswith(".tmp") for n in os.listdir(target.parent)):
            return True
        time.sleep(0.002)
    return False


def state_of(target: Path, old_sha: str, new_src_sha: str, new_rows: int) -> str:
    """'old' (byte-identical) or 'new' (a complete database of the new file); anything else fails."""
    if sha(target) == old_sha:
        reg = db.Registry(target)
        try:
            assert reg.cursor().execute("select count(*) from reg.cases").fetchone()[0] == 12
        finally:
            reg.close()
        return "old"
    reg = db.Registry(target)  # raises DatabaseError for a torn or half-written file
    try:
        assert reg.meta.sha256 == new_src_sha, "the database is neither the old one nor the new one"
        assert reg.meta.rows == new_rows
        assert reg.cursor().execute("select count(*) from reg.cases").fetchone()[0] == new_rows
        assert reg.cursor().execute("select count(*) from reg.meta").fetchone()[0] > 5
    finally:
        reg.close()
    return "new"


@pytest.mark.slow
def test_import_killed_at_random_moments_leaves_old_or_new_database(tmp_path):
    rnd = random.Random(int(os.environ.get("CRASH_SEED", "20260625")))
    big = tmp_path / "big.csv"
    write_big_registry(big, NEW_ROWS)
    big_sha = sha(big)
    target = tmp_path / "db" / "registry.duckdb"
    db.import_file(FIXTURES / "b_small.csv", target)
    old_sha = sha(target)
    pristine = tmp_path / "old-copy.duckdb"
    shutil.copyfile(target, pristine)

    # One uninterrupted run: how long the import takes, when it starts writing and when it swaps the
    # new file in (the target's inode changes).
    inode = target.stat().st_ino
    t0 = time.monotonic()
    proc = start_import(big, target)
    assert wait_for_temp_file(proc, target)
    write_at = time.monotonic() - t0
    while target.stat().st_ino == inode and proc.poll() is None:
        time.sleep(0.002)
    swap_at = time.monotonic() - t0
    assert proc.wait(120) == 0
    duration = time.monotonic() - t0
    write_window = max(swap_at - write_at, 0.02) * 1.2
    assert state_of(target, old_sha, big_sha, NEW_ROWS) == "new"
    shutil.copyfile(pristine, target)

    outcomes: list[tuple[str, str, float]] = []
    stale_seen = 0
    started = time.monotonic()
    plan = ["anywhere"] * KILLS_ANYWHERE + ["writing"] * KILLS_WHILE_WRITING
    rnd.shuffle(plan)
    for kind in plan:
        proc = start_import(big, target)
        t0 = time.monotonic()
        if kind == "anywhere":
            delay = rnd.uniform(0, duration * 1.1)
            try:
                proc.wait(delay)
            except subprocess.TimeoutExpired:
                pass
        else:
            wait_for_temp_file(proc, target)
            delay = rnd.uniform(0, write_window)
            time.sleep(delay)
        at = time.monotonic() - t0
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        stale_seen += bool(temp_files(target))
        state = state_of(target, old_sha, big_sha, NEW_ROWS)
        outcomes.append((kind, state, at))
        if state == "new":
            shutil.copyfile(pristine, target)  # test the old -> new swap again

    elapsed = time.monotonic() - started
    summary = {
        (k, s): sum(1 for o in outcomes if o[:2] == (k, s)) for k in ("anywhere", "writing") for s in ("old", "new")
    }
    print(
        f"\nimport {duration:.2f} s (writing {write_at:.2f}-{swap_at:.2f} s); {len(outcomes)} kills in {elapsed:.0f} s: "
        f"{summary}; kills that left a temporary file: {stale_seen}"
    )
    assert len(outcomes) >= 25
    assert stale_seen > 0, "no kill landed while the temporary database existed: widen the window"

    # What the killed imports left behind does not break the next import, which cleans it up.
    assert (
        subprocess.run(
            [sys.executable, "-m", "exonerations", "import", str(big), "--db", str(target)],
            cwd=ROOT,
            capture_output=True,
            timeout=120,
        ).returncode
        == 0
    )
    assert state_of(target, old_sha, big_sha, NEW_ROWS) == "new"
    assert temp_files(target) == []


def test_stale_temp_files_of_dead_imports_are_removed_and_live_ones_kept(tmp_path):
    target = tmp_path / "registry.duckdb"
    db.import_file(FIXTURES / "b_small.csv", target)
    # A process that has exited: its PID is free (or reused by something that is not an import).
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        junk = b"half-written database" * 1000
        (tmp_path / f".{target.name}.{dead.pid}.tmp").write_bytes(junk)
        (tmp_path / f".{target.name}.{dead.pid}.tmp.wal").write_bytes(junk)
        (tmp_path / f".{target.name}.{live.pid}.tmp").write_bytes(junk)  # an import still running
        (tmp_path / f".{target.name}.notapid.tmp").write_bytes(junk)  # not ours: left alone
        db.import_file(FIXTURES / "b_small.csv", target)
        assert temp_files(target) == [f".{target.name}.{live.pid}.tmp", f".{target.name}.notapid.tmp"]
        reg = db.Registry(target)
        assert reg.meta.rows == 12
        reg.close()
    finally:
        live.kill()
        live.wait()


def test_two_imports_at_once_in_one_process(tmp_path):
    """Two uploads imported by two threads of one app server: each writes its own temporary file, and
    neither removes the other's while it is being written."""
    target = tmp_path / "registry.duckdb"
    big = tmp_path / "big.csv"
    write_big_registry(big, 3_000)
    errors: list[BaseException] = []

    def run(src):
        try:
            db.import_file(src, target)
        except BaseException as e:  # noqa: BLE001 — reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(src,)) for src in (big, FIXTURES / "b_small.csv", big)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    reg = db.Registry(target)
    try:
        assert reg.meta.rows in (12, 3_000)
        assert reg.cursor().execute("select count(*) from reg.cases").fetchone()[0] == reg.meta.rows
    finally:
        reg.close()
    assert temp_files(target) == []
