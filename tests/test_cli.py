"""The command line: import output, bad files (exit 2, one sentence, database untouched), demo."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT

from exonerations import db
from exonerations.cli import main


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "exonerations", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_import_prints_layout_rows_warnings(tmp_path):
    r = run("import", FIXTURES / "b_small.csv", "--db", tmp_path / "x.duckdb")
    assert r.returncode == 0, r.stderr
    assert "layout: full export (layout B)" in r.stdout
    assert "rows: 12" in r.stdout and "warnings: 0" in r.stdout


def _truncated(tmp_path):
    data = (FIXTURES / "b_small.csv").read_bytes()
    return data[: int(len(data) * 0.6)]


BAD_FILES = {
    "empty.csv": lambda tmp: b"",
    "wrong-columns.csv": lambda tmp: b"a,b,c\n1,2,3\n",
    "truncated.csv": _truncated,
    "binary.csv": lambda tmp: bytes(range(256)) * 40,
    "binary.xlsx": lambda tmp: b"PK\x03\x04" + bytes(range(256)) * 10,
    "missing-om.csv": lambda tmp: (
        (FIXTURES / "b_small.csv")
        .read_text(encoding="utf-8-sig")
        .replace("Official Misconduct", "Something Else")
        .encode()
    ),
    "header-only.csv": lambda tmp: (FIXTURES / "b_small.csv").read_text(encoding="utf-8-sig").splitlines()[0].encode(),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_file_exits_2_with_one_sentence_and_database_unchanged(tmp_path, name):
    target = tmp_path / "keep.duckdb"
    db.import_file(FIXTURES / "b_small.csv", target)
    before = sha(target)
    bad = tmp_path / name
    bad.write_bytes(BAD_FILES[name](tmp_path))
    r = run("import", bad, "--db", target)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and lines[0].rstrip().endswith((".", "!")), r.stderr
    assert sha(target) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp files left


def test_missing_file_and_missing_database(tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "There is no file" in capsys.readouterr().err
    assert main(["stats", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "There is no database" in capsys.readouterr().err


def test_not_a_database(tmp_path, capsys):
    p = tmp_path / "junk.duckdb"
    p.write_bytes(b"not a database at all" * 100)
    assert main(["stats", "--db", str(p)]) == 2
    err = capsys.readouterr().err
    assert "not a database this app can read" in err and "Traceback" not in err


def test_row_level_problems_keep_the_row(tmp_path, capsys):
    text = (FIXTURES / "b_small.csv").read_text(encoding="utf-8-sig")
    text = text.replace("2014-02-03,2014-02-03,6,", "2014-02-03,2014-02-03,-6,", 1)
    text = text.replace("2012-03-01", "2012-13-45", 1)
    src = tmp_path / "rowlevel.csv"
    src.write_text(text, encoding="utf-8")
    assert main(["import", str(src), "--db", str(tmp_path / "r.duckdb")]) == 0
    out = capsys.readouterr().out
    assert "rows: 12" in out and "warnings: 2" in out
    assert "row 2, column 'Posting Date'" in out
    assert "row 3, column 'Years Lost': negative years lost" in out


def test_stats_human_output(small_db, capsys):
    assert main(["stats", "--db", str(small_db), "--state", "New York"]) == 0
    out = capsys.readouterr().out
    assert "4 exonerations" in out and "Official misconduct" in out


def test_demo_command(tmp_path, capsys):
    p = tmp_path / "d.duckdb"
    assert main(["demo", "--db", str(p), "--scale", "0.5"]) == 0
    assert main(["stats", "--db", str(p), "--json"]) == 0
    out = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert 0 < out["total"] < 3000


def test_prepare_imports_newer_export_else_demo(tmp_path, capsys):
    dbp = tmp_path / "data" / "exonerations.duckdb"
    assert main(["prepare", "--db", str(dbp)]) == 0
    assert db.Registry(dbp).meta.is_demo
    (tmp_path / "data" / "export.csv").write_bytes((FIXTURES / "b_small.csv").read_bytes())
    assert main(["prepare", "--db", str(dbp)]) == 0
    reg = db.Registry(dbp)
    assert not reg.meta.is_demo and reg.meta.rows == 12
    before = sha(dbp)
    assert main(["prepare", "--db", str(dbp)]) == 0  # nothing newer: keep
    assert sha(dbp) == before
    assert "Using the existing database" in capsys.readouterr().out


STATS_KEYS = [
    "as_of",
    "total",
    "factors",
    "misconduct",
    "years_lost",
    "accountability",
    "prosecutor_at_trial",
    "conviction_form",
]
NEW_BLOCKS = {
    "accountability": [
        "om_cases",
        "disciplined_this_case",
        "disciplined_this_case_not_contributing",
        "disciplined_other_similar",
        "disciplined_other_dissimilar",
        "any_discipline",
        "no_known_discipline",
        "not_coded",
    ],
    "prosecutor_at_trial": ["improper_argument", "fraud_on_court", "knowingly_allowed_perjury", "any"],
    "conviction_form": ["jury", "plea", "bench", "other_or_unknown"],
}


def test_stats_json_shape_full_export_layout(small_db, capsys):
    """Exactly these keys; b_small.csv has the accountability columns, all blank: every misconduct case
    is counted as not coded, never as "no discipline known"."""
    capsys.readouterr()
    assert main(["stats", "--db", str(small_db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == STATS_KEYS
    assert {k: list(out[k]) for k in NEW_BLOCKS} == NEW_BLOCKS
    acc = out["accountability"]
    assert acc["om_cases"] == out["factors"]["official_misconduct"] == acc["not_coded"] > 0
    assert acc["any_discipline"] == acc["no_known_discipline"] == 0
    assert out["conviction_form"] == dict.fromkeys(NEW_BLOCKS["conviction_form"], 0)


def test_stats_json_layout_a_says_not_in_this_file(tmp_path, capsys):
    path = tmp_path / "a.duckdb"
    db.import_file(FIXTURES / "a_2023.csv", path)
    capsys.readouterr()
    assert main(["stats", "--db", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == STATS_KEYS
    assert {k: out[k] for k in NEW_BLOCKS} == {k: dict.fromkeys(v) for k, v in NEW_BLOCKS.items()}
