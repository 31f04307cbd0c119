"""The table: one row per figure (app, floor, peer, target, result), the notes under it, the machine it
ran on, and docs/performance.md."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import platform
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import ROOT, Measure

INTRO = """# Performance

What the app costs next to two references measured in the same run: the **floor**
(`bench/floor_app.py`, a bare Streamlit page with one small chart and two selectboxes — the least a
Streamlit page costs here) and the **peer** (`bench/peer_app.py`, a typical pandas dashboard that
re-reads a CSV of the same cases on every run). How each figure is measured: `bench/README.md`.
Times are medians, wall-clock, on a machine that may be shared: compare runs made under similar load."""


BUSY = (
    "- Other work shared the machine during this run (load average at the start above its %d cores): "
    "the times are longer and noisier than on an idle machine."
)


@dataclass(frozen=True)
class Target:
    limit: float
    above_floor: bool = False  # the limit is added to the floor's figure

    def text(self, unit: str) -> str:
        return f"≤ floor + {self.limit:g} {unit}" if self.above_floor else f"≤ {self.limit:g} {unit}"

    def verdict(self, app: Measure, floor: Measure | None) -> str:
        if app.error:
            return "FAIL (error)"
        base = floor.median if self.above_floor and floor else 0.0
        if app.median is None or base is None:
            return "n/a"
        return "pass" if app.median <= self.limit + base else "FAIL"


@dataclass
class Figure:
    name: str
    unit: str  # "ms", "s" or "MB"
    app: Measure
    floor: Measure | None = None
    peer: Measure | None = None
    target: Target | None = None
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # parts that could not be measured (a page that fails)

    def failed(self) -> bool:
        return bool(self.failures) or any(m and m.error for m in (self.app, self.floor, self.peer))

    def cells(self) -> list[str]:
        target = self.target.text(self.unit) if self.target else "—"
        verdict = self.target.verdict(self.app, self.floor) if self.target else "—"
        return [
            f"{self.name} ({self.unit})",
            cell(self.app, self.unit),
            cell(self.floor, self.unit),
            cell(self.peer, self.unit),
            target,
            verdict,
        ]


def fmt(v: float, unit: str) -> str:
    if unit == "s":
        return f"{v:.2f}"
    return f"{v:,.0f}" if abs(v) >= 10 else f"{v:.1f}"


def cell(m: Measure | None, unit: str) -> str:
    if m is None:
        return "—"
    if m.error:
        return "error"
    return "n/a" if m.median is None else fmt(m.median, unit)


def render(figures: list[Figure]) -> str:
    rows = [["Figure", "App", "Floor", "Peer", "Target", "Result"], ["---", "---:", "---:", "---:", "---", "---"]]
    rows += [f.cells() for f in figures]
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def problems(figures: list[Figure]) -> list[str]:
    """Why a cell shows "error" or "n/a", once per reason."""
    out: list[str] = []
    for f in figures:
        for who, m in (("app", f.app), ("floor", f.floor), ("peer", f.peer)):
            reason = m and (m.error or m.skipped)
            line = f"{f.name}, {who}: {reason}" if m and m.error else reason
            if line and line not in out:
                out.append(line)
        out += [n for n in f.notes + f.failures if n not in out]
    return out


def machine() -> dict[str, str]:
    """The machine and the software, and its load when the run starts."""
    mem_kb = int((proc_field("/proc/meminfo", "MemTotal").split() or ["0"])[0])
    model = proc_field("/proc/cpuinfo", "model name") or platform.machine()
    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": f"{os.cpu_count()} cores ({model})",
        "memory": f"{mem_kb / 1024 / 1024:.1f} GB",
        "load": load_average(),
        "code": code_version(),
        "software": f"Python {platform.python_version()}, Streamlit {importlib.metadata.version('streamlit')}, "
        f"DuckDB {importlib.metadata.version('duckdb')}",
    }


def proc_field(path: str, name: str) -> str:
    """The value of the first `name: value` line of a /proc file ("" when there is none)."""
    for line in Path(path).read_text().splitlines():
        key, _, value = line.partition(":")
        if key.strip() == name:
            return value.strip()
    return ""


def code_version() -> str:
    """The commit measured, and whether the working tree differed from it ("" outside a git checkout)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return ""
    if head.returncode:
        return ""
    return f"commit {head.stdout.strip()}" + (" with uncommitted changes" if changed.stdout.strip() else "")


def busy(start: str) -> bool:
    """Whether other work kept the machine busy: the 1-minute load average at the start (`start`, as
    `load_average` wrote it, before the benchmark's own processes) above the number of cores."""
    return float(start.split(" / ")[0]) > (os.cpu_count() or 1)


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg()) + " (1 / 5 / 15 min)"


def document(table: str, notes: list[str], info: dict[str, str]) -> str:
    lines = [
        INTRO,
        "",
        "Made by `make bench` (`.venv/bin/python -m bench`).",
        "",
        f"- Date: {info['date']}",
        f"- Machine: {info['cpu']}, {info['memory']} of memory",
        f"- Load average at the start: {info['load']}; at the end: {info.get('load_end', 'n/a')}",
        *([BUSY % os.cpu_count()] if info.get("busy") else []),
        f"- Software: {info['software']}" + (f", {info['browser']}" if info.get("browser") else ""),
        *([f"- Code: {info['code']}"] if info.get("code") else []),
        "",
        table,
        "",
    ]
    lines += [f"- {n}" for n in notes]
    return "\n".join(lines).rstrip() + "\n"
