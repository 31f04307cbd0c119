"""`make bench` and `bench/load.py` must not rot: their quick paths run here on the demo database. No
timing is asserted (the machine is shared): only that the figures come out and nothing failed. The
first takes about 5 s on an idle machine; the second starts a server (slow)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import ROOT


def test_bench_quick_path_without_browser(tmp_path):
    out = tmp_path / "performance.md"
    absent = tmp_path / "no-export.csv"  # so 1× is the scale-1 demo and the import is n/a
    args = [
        "--quick",
        "--no-browser",
        "--scales",
        "1",
        "--pages",
        "overview",
        "--export",
        str(absent),
        "--out",
        str(out),
    ]
    done = subprocess.run([sys.executable, "-m", "bench", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]

    rows = {line.split(" | ")[0].lstrip("| "): line for line in done.stdout.splitlines() if line.startswith("| ")}
    assert rows["Figure"] == "| Figure | App | Floor | Peer | Target | Result |"
    assert rows["Import of the full export (s)"].endswith("| n/a | — | — | ≤ 1 s | n/a |")
    rerun = rows["Warm rerun, busiest page (Overview), 1× (ms)"]
    assert re.fullmatch(r"\| .+ \| [\d.,]+ \| [\d.,]+ \| [\d.,]+ \| ≤ 30 ms \| (pass|FAIL) \|", rerun), rerun
    assert "the synthetic demo at scale 1 (the full export is absent): 3,850 cases" in done.stdout
    assert "AppTest's own cost of a run (an empty page)" in done.stdout

    doc = out.read_text(encoding="utf-8")
    assert doc.startswith("# Performance") and "`make bench`" in doc and "Load average at the start" in doc
    assert rerun in doc


@pytest.mark.slow
def test_load_tool_gives_no_errors_on_a_healthy_server(demo_server):
    refused = subprocess.run(
        [sys.executable, "bench/load.py", "--url", "http://192.0.2.1:8501"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode != 0 and "loopback" in refused.stderr  # only this machine is ever targeted
    args = ["--url", demo_server.url, "--sessions", "3", "--seconds", "5", "--think", "1", "--ramp", "1"]
    done = subprocess.run(
        [sys.executable, "bench/load.py", *args, "--pages", "overview", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = json.loads(done.stdout)
    assert report["errors"] == 0, report["error_examples"]
    assert done.returncode == 0
    assert report["sessions"] == 3 and report["changes"] >= 3
    assert report["runs"] >= 2 * 3 + report["changes"]  # each session: its page, the panel opened, the changes
    assert report["p50_ms"] > 0 and report["p95_ms"] >= report["p50_ms"]
    assert report["server_pid"] == demo_server.proc.pid and report["peak_rss_mb"] > 0


@pytest.mark.slow
def test_embeds_tool_measures_a_static_file_and_an_app_page(demo_server):
    args = ["--url", demo_server.url, "--static", "/app/static/README.md", "--clients", "2", "--seconds", "2"]
    done = subprocess.run(
        [sys.executable, "bench/embeds.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["static"]["failed"] == 0 and report["static"]["requests"] > 0 and report["static"]["bytes"] > 0
    assert report["app"]["errors"] == 0 and report["app"]["opens"] > 0 and report["app"]["open_p50_ms"] > 0
    assert report["static_per_app"] == round(report["static"]["per_s"] / report["app"]["per_s"], 1)


def test_page_loads_name_the_floor_at_the_root_and_at_a_path():
    from bench.common import Measure
    from bench.figures import Figure, path_note
    from exonerations import pages

    loads = [
        Figure(p.title, "ms", Measure([1.0]), Measure([500.0 if p is pages.DEFAULT else 650.0])) for p in pages.PAGES
    ]
    (note,) = path_note(loads, pages.PAGES)
    assert "at / loads in 500 ms, at a page's path in 650 ms" in note
    assert path_note(loads[1:], pages.PAGES[1:]) == []  # no page at the root: nothing to compare
