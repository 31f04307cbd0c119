"""The campaign's figures on the real full export, against counts made here with the csv module."""

from __future__ import annotations

import json

import pytest
from conftest import read_full_export_rows

from exonerations.cli import main

FACTOR_COLUMNS = {
    "official_misconduct": "Official Misconduct",
    "perjury_or_false_accusation": "Perjury or False Accusation?",
    "mistaken_witness_id": "Mistaken Witness ID",
    "false_or_misleading_forensic_evidence": "False or Misleading Forensic Evidence",
    "inadequate_legal_defense": "Inadequate Legal Defense",
    "false_confession": "False Confession",
    "dna": "DNA",
}
MISCONDUCT_COLUMNS = {
    "police": "OF - OM by Police Officer",
    "prosecutor": "PR: Prosecutor Misconduct",
    "forensic_analyst": "FA - OM by Forensic Analyst",
    "child_welfare": "CW - OM by Child Welfare Worker",
    "withheld_evidence": "WH - Exculpatory withheld",
    "not_withholding": "NW - OM not withholding",
    "prosecutor_permitted_perjury": "KP - Prosecutor permitted perjury",
    "witness_tampering": "Witness Tampering by OA?",
    "interrogation": "INT - Misconduct in Interrogation",
    "perjury_by_official": "PJ - Perjury by OA",
    "prosecutor_lied": "PL - Prosecutor Lied in Court",
}


def independent(as_of: str | None = None, state: str | None = None) -> dict:
    rows = [r for r in read_full_export_rows() if r["Pre-1989"] == "No"]
    if as_of:
        rows = [r for r in rows if r["Posting Date"] <= as_of]  # ISO dates compare as text
    if state:
        rows = [r for r in rows if r["State"].strip() == state]
    return {
        "total": len(rows),
        "factors": {k: sum(r[c] == "Yes" for r in rows) for k, c in FACTOR_COLUMNS.items()},
        "misconduct": {k: sum(r[c] == "Yes" for r in rows) for k, c in MISCONDUCT_COLUMNS.items()},
        "years_lost": round(sum(float(r["Years Lost"]) for r in rows if r["Years Lost"]), 1),
    }


def run_stats(db, capsys, *args) -> dict:
    capsys.readouterr()
    assert main(["stats", "--db", str(db), "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    "args,as_of,state",
    [
        (["--as-of", "2026-02-05"], "2026-02-05", None),
        ([], None, None),
        (["--state", "New York"], None, "New York"),
    ],
)
def test_stats_match_independent_count(full_db, capsys, args, as_of, state):
    got = run_stats(full_db, capsys, *args)
    want = independent(as_of, state)
    assert got["total"] == want["total"]
    assert got["factors"] == want["factors"]
    assert got["misconduct"] == want["misconduct"]
    assert got["years_lost"] == pytest.approx(want["years_lost"], abs=0.05)


def test_campaign_figures(full_db, capsys):
    """The figures the campaign and NRE-DATA.md quote; the independent count must agree with them."""
    on_date = run_stats(full_db, capsys, "--as-of", "2026-02-05")
    assert on_date["as_of"] == "2026-02-05"
    assert (on_date["total"], on_date["factors"]["official_misconduct"]) == (3776, 2297)
    assert round(100 * 2297 / 3776, 1) == 60.8
    whole = run_stats(full_db, capsys)
    assert whole["as_of"] == "2026-06-25"
    assert (whole["total"], whole["factors"]["official_misconduct"]) == (3835, 2333)
    ny = run_stats(full_db, capsys, "--state", "New York")
    assert (ny["total"], ny["factors"]["official_misconduct"]) == (376, 260)


def test_json_shape(full_db, capsys):
    got = run_stats(full_db, capsys)
    assert list(got) == [
        "as_of",
        "total",
        "factors",
        "misconduct",
        "years_lost",
        "accountability",
        "prosecutor_at_trial",
        "conviction_form",
    ]  # the last three: see test_accountability.py
    assert list(got["factors"]) == list(FACTOR_COLUMNS)
    assert list(got["misconduct"]) == list(MISCONDUCT_COLUMNS)


def test_other_filters_match_independent_count(full_db, capsys):
    rows = [r for r in read_full_export_rows()]
    post = [r for r in rows if r["Pre-1989"] == "No"]

    def om(rs):
        return sum(r["Official Misconduct"] == "Yes" for r in rs)

    cases = [
        (["--include-pre-1989"], rows),
        (["--dna"], [r for r in post if r["DNA"] == "Yes"]),
        (["--death-sentence"], [r for r in post if r["Death Penalty?"] == "Yes"]),
        (["--race", "Black"], [r for r in post if r["Race"] == "Black"]),
        (["--sex", "Female"], [r for r in post if r["Sex"] == "Female"]),
        (["--crime", "Murder"], [r for r in post if r["Worst Crime Display"] == "Murder"]),
        (
            ["--exonerated-from", "2000", "--exonerated-to", "2009"],
            [r for r in post if "2000" <= r["Date of Exon"][:4] <= "2009"],
        ),
        (["--state", "Illinois", "--state", "Texas"], [r for r in post if r["State"] in ("Illinois", "Texas")]),
    ]
    for args, want in cases:
        got = run_stats(full_db, capsys, *args)
        assert (got["total"], got["factors"]["official_misconduct"]) == (len(want), om(want)), args
