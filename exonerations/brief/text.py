"""Text on its way into a pack: characters XML cannot hold are dropped (python-pptx and lxml refuse them,
and an HTML parser reads them as errors), and a chart's category or series name cannot become a formula
or a link in the workbook embedded in the deck (the CSV exports' rule, `exports.neutralise`)."""

from __future__ import annotations

import re

from ..exports import neutralise

# What XML 1.0 cannot hold: control characters other than tab and line breaks, lone surrogates, U+FFFE, U+FFFF.
_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Besides a formula prefix, xlsxwriter reads these as an array formula or a link.
_WORKBOOK_PREFIXES = ("{=", "http://", "https://", "ftp://", "ftps://", "mailto:", "internal:", "external:", "file://")


def clean(text) -> str:
    """`text` as a string without the characters XML cannot hold."""
    return _ILLEGAL.sub("", str(text))


def cell(text) -> str:
    """A chart's category or series name as the embedded workbook stores it: cleaned, and inert (a
    leading apostrophe where a spreadsheet would run it as a formula or follow it as a link)."""
    s = neutralise(clean(text))
    return "'" + s if s.lower().startswith(_WORKBOOK_PREFIXES) else s
