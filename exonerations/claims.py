"""Claims kept as data in `claims/claims.toml`, each checked live against the loaded registry."""

from __future__ import annotations

import tomllib
from functools import cache

from .db import PROJECT_ROOT

CLAIMS_FILE = PROJECT_ROOT / "claims" / "claims.toml"


@cache
def load() -> tuple[dict, ...]:
    with CLAIMS_FILE.open("rb") as f:
        return tuple(tomllib.load(f).get("claim", []))


def campaign_total() -> int | None:
    """The total the campaign's headline sentence quotes (e.g. 3,776), from the claims file."""
    for c in load():
        if c.get("id") == "campaign-3776":
            return int(c["as_of_total"])
    return None
