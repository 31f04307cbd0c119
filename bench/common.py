"""What every part of the benchmark shares: paths, one measured figure, progress messages."""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
FLOOR_APP = ROOT / "bench" / "floor_app.py"
PEER_APP = ROOT / "bench" / "peer_app.py"
EMPTY_APP = ROOT / "bench" / "empty_app.py"
FULL_EXPORT = ROOT.parent / "shared" / "data" / "nre" / "nre-full-export-2026-06-25.csv"
PERFORMANCE_MD = ROOT / "docs" / "performance.md"


@dataclass
class Measure:
    """The samples of one figure (ms, s or MB), or why there are none: an error, or a reason it
    was not measured (`skipped`, shown as n/a)."""

    values: list[float] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None

    @property
    def median(self) -> float | None:
        if self.error or self.skipped or not self.values:
            return None
        return statistics.median(self.values)

    def fail(self, e: BaseException) -> None:
        self.error = f"{type(e).__name__}: {(str(e).strip().splitlines() or [''])[0][:200]}"


def skipped(reason: str) -> Measure:
    return Measure(skipped=reason)


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)
