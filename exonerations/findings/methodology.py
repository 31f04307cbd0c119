"""The words of the Methodology page: the file loaded, its import warnings, how past dates are coded,
and how every figure is counted."""

from __future__ import annotations

import functools

import pandas as pd

from .. import fmt, glossary, ingest, style
from ..filters import Filters
from .core import View, memoized

TITLE = "Methodology & data"
FILE_FACTS_LABEL = "The loaded file"


def file_facts(v: View) -> pd.DataFrame:
    """The loaded file, row by row: what it is, its fingerprint, layout, size and dates."""
    m = v.meta
    posting = (
        f"{m.posting_min} to {m.posting_max}"
        if m.posting_min and m.posting_max
        else "not in this file (as-of dates cannot be applied)"
    )
    rows = [
        ("Dataset", "Synthetic demo data — not real cases" if m.is_demo else f"{glossary.SOURCE} export"),
        ("File", m.file_name or "—"),
        ("SHA-256 of the file", m.sha256 or "—"),
        ("Layout", m.layout_name or "—"),
        ("Cases (rows)", fmt.count(m.rows)),
        ("Encoding", m.encoding or "—"),
        ("Posting dates", posting),
        ("Imported at", m.imported_at.replace("T", " ").replace("+00:00", " UTC") or "—"),
        ("Import warnings", fmt.count(m.warnings)),
    ]
    return pd.DataFrame(rows, columns=["The file", ""])


def missing_fields(v: View) -> list[str]:
    """The fields this layout does not have (figures that need them say "not in this file")."""
    return [f for f in ingest.FIELD_NAMES if f not in v.meta.available and f not in ("case_id", "source_row")]


def warnings_summary(warnings: pd.DataFrame) -> str:
    rows = warnings["Row"].dropna().nunique() if len(warnings) else 0
    return (
        f"{fmt.plural(len(warnings), 'warning')} on {fmt.plural(rows, 'row')}. A row-level problem never stops "
        "an import: the case is kept, the field is left empty, and the problem is listed here (rows are "
        "numbered as in a spreadsheet, the header being row 1)."
    )


def past_coding_example(v: View) -> str | None:
    """How much of the registry's past is coded as of today: of the cases posted by the median posting
    date, how many the registry updated later."""
    if not v.has("posting_date") or not v.has("last_update_date"):
        return None
    d = v.query("posting_dates").iloc[0]["median_date"]
    if pd.isna(d):
        return None
    date = pd.Timestamp(d).date()
    row = v.with_filters(Filters(as_of=date)).query("stats").iloc[0]
    total, later = int(row["total"]), int(row["updated_after_as_of"])
    return (
        f"Of the {total:,} cases the registry had posted by {date} (half of its post-1989 cases), {later:,} "
        f"({fmt.pct(later, total)}) were updated after that date."
    )


@memoized
def how_computed(v: View) -> str:
    """How the figures are counted (plain text, one point per line)."""
    latest = v.meta.posting_max or "not in this file"
    past = past_coding_example(v)
    return "\n".join(
        [
            "One row per exoneration. A person exonerated twice counts twice; nobody is merged on name alone.",
            "1989 to the present by default. Cases the registry marks Pre-1989 are left out unless you tick Include "
            "cases exonerated before 1989 in the sidebar. The registry codes who committed the misconduct and what "
            "they did only from 1989 on, so with pre-1989 cases those shares are understated (the pages say so).",
            "Counted by posting date. Data as of counts the cases the registry had posted by that date (its Posting "
            f"Date); the default is the newest posting date in the file ({latest}).",
            "Past dates use today's coding. The file holds each case as the registry codes it now: a past as-of date "
            "shows which cases had been posted by then, not how they were coded then." + (f" {past}" if past else ""),
            "A code counts when it is Yes. A case counts towards a factor or a kind of misconduct only when the "
            "registry coded it Yes (in the public spreadsheet: when the code is present). No and blank (not coded) "
            "both count as not having it, so every share is a share of all the cases in its denominator.",
            "A share of the exonerations with official misconduct counts only cases coded with official misconduct "
            "in its numerator: a numerator is always a subset of its denominator.",
            "DNA is how a case was resolved, not a contributing factor: it is shown apart and never ranked among the "
            "six contributing factors.",
            "Filters (state, worst crime, race, sex, DNA, death sentence, year of exoneration) keep the cases that "
            "match; a case whose exoneration year is unknown drops out when a year range is chosen.",
            "Rounding: halves are rounded up, on the exact value. Shares read to one decimal place; a title gives a "
            "whole percentage unless rounding would change its meaning (50.3% is never “50%”). A share resting on "
            f"fewer than {style.SMALL_DENOMINATOR} cases is flagged.",
            "Figures the file cannot know (a column the loaded layout lacks) are shown as not in this file, never "
            "as 0.",
            "Every chart carries its source and as-of date on the image itself, offers the data behind it as CSV "
            "and a table, and shows the SQL that produced it — the same SQL listed at the bottom of this page.",
        ]
    )


def imported_sentence(imported, name: str, shared: bool) -> str:
    """What an upload did, in one sentence (`imported`: a private.Imported)."""
    whose = (
        "Every visitor now sees this file."
        if shared
        else "Only you see its figures; press Back to the shared data to return."
    )
    return (
        f"Imported {name}: {imported.layout_name}, {imported.rows:,} cases, "
        f"{fmt.plural(imported.warnings, 'import warning')}. {whose}"
    )


# The registry's codes, one tab each: its label, what the codes say, the codes, and whether they have a
# column of their own in the `cases` table (the case tags share the list column `tags`).
CODE_GROUPS = (
    (
        "Contributing factors",
        "Each exoneration may have several contributing factors. DNA is not a contributing factor: it says "
        "how the case was resolved, and is listed last, apart from the six.",
        (*glossary.CONTRIBUTING, glossary.DNA),
        True,
    ),
    ("Misconduct: who", "Which official committed the misconduct (a case may have several).", glossary.ACTORS, True),
    ("Misconduct: what", "What the misconduct was (a case may have several).", glossary.KINDS, True),
    (
        "Case tags",
        "Case characteristics; in the `cases` table they are the list column `tags` (e.g. "
        "`list_contains(tags, 'CIU')`).",
        glossary.TAGS,
        False,
    ),
)


@functools.cache
def code_tables() -> tuple[tuple[str, str, str], ...]:
    """(tab label, what the codes say, the codes as an HTML table) for each group of codes. The codes are
    fixed: the tables are made once per process."""
    out = []
    for label, about, codes, has_column in CODE_GROUPS:
        rows = [
            {"Code": c.code, "Label": c.label, "Definition": c.definition}
            | ({"Column": c.column} if has_column else {})
            for c in codes
        ]
        df = pd.DataFrame(rows)
        out.append((label, about, fmt.html_table(df, f"Codes: {label}", code=("Column",) if has_column else ())))
    return tuple(out)
