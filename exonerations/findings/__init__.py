"""The findings layer: every sentence, chart title, ranking and formatted number that a page, the
deck, the fact sheet or a claim prints, computed from the registry for a `View` (registry, filters,
date). Nothing here imports Streamlit. One module per subject; `core` holds what they share."""

from . import citation
from .core import (
    DEFAULT_PERIOD,
    DEMO_MARK,
    NO_CASES,
    Chart,
    Headline,
    View,
    caption,
    cautions,
    data_age,
    data_age_sentence,
    denominator,
    past_coding,
    period,
    posted,
    pre1989_caution,
    scope,
    small_caution,
    source_line,
    where,
)

__all__ = [
    "citation",
    "DEFAULT_PERIOD",
    "DEMO_MARK",
    "NO_CASES",
    "Chart",
    "Headline",
    "View",
    "caption",
    "cautions",
    "data_age",
    "data_age_sentence",
    "denominator",
    "past_coding",
    "period",
    "posted",
    "pre1989_caution",
    "scope",
    "small_caution",
    "source_line",
    "where",
]
