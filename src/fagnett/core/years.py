"""The years Fagnett accepts in addresses, forms, imports and commands: one range, one parser.

`?aar=` and similar values are read as four ASCII digits only: str.isdigit() alone would let "²" through to
int() and a server error.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

FIRST_YEAR = 1950
LAST_YEAR = 2100


def requested_year(value: str | None) -> int | None:
    """The year written in `value`, or None for anything that is not four digits 0–9."""
    text = (value or "").strip()
    return int(text) if len(text) == 4 and text.isascii() and text.isdigit() else None


def year_param(value: str | None, today: dt.date | None = None) -> int:
    """The year in ?aar= when it is one Fagnett accepts (FIRST_YEAR–LAST_YEAR), or this year for anything
    else."""
    year = requested_year(value)
    if year is not None and FIRST_YEAR <= year <= LAST_YEAR:
        return year
    return (today or timezone.localdate()).year
