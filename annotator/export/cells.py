"""CSV cells a spreadsheet would run as a formula, neutralised (CSV injection).

OWASP's advice: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a single quote in front (``'=1+2``), which spreadsheets show and never evaluate.
Numbers stay numbers (``-1`` in a numeric column is a value, not a formula): only text cells
change. ``raw`` exports skip this and keep every cell as it is.
"""
from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row: dict) -> dict:
    """Every text cell of ``row`` made safe (see ``safe_cell``)."""
    return {key: safe_cell(value) for key, value in row.items()}
