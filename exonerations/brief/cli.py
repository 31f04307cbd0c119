"""`python -m exonerations brief --out FILE`: the deck (.pptx) or the fact sheet (.html) for a set of filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import findings
from ..findings import briefing


def cli_brief(a) -> int:
    from ..cli import UserError, filters_from_args, open_registry
    from . import collect, deck, fact_sheet

    out: Path = a.out
    kind = {".pptx": "deck", ".html": "sheet", ".htm": "sheet"}.get(out.suffix.lower())
    if kind is None:
        raise UserError(briefing.BAD_SUFFIX.format(suffix=out.suffix or out.name))
    if not out.parent.exists():
        raise UserError(briefing.NO_FOLDER.format(folder=out.parent))
    reg = open_registry(a.db)
    try:
        b = collect(
            findings.View(reg, filters_from_args(a), today=dt.date.today()),
            app_url=getattr(a, "app_url", findings.citation.DEFAULT_APP_URL),
        )
        data = deck(b) if kind == "deck" else fact_sheet(b).encode("utf-8")
    finally:
        reg.close()
    try:
        out.write_bytes(data)
    except OSError as e:
        raise UserError(briefing.CANNOT_WRITE.format(path=out, reason=e.strerror)) from None
    print(briefing.wrote(kind, b.v, str(out), len(data)))
    return 0
