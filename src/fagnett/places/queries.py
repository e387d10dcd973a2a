"""Look-ups in the reference data that the rest of Fagnett uses."""

from __future__ import annotations

import re

from django.db.models import QuerySet

from fagnett.places.models import HealthTrust, Municipality

_MUNICIPALITY_NUMBER = re.compile(r"[0-9]{1,4}")


def normalise_municipality_number(value: str | int) -> str:
    """Return a municipality number as four digits, e.g. "301", 301 and " 0301 " all give "0301".

    Spreadsheets drop leading zeros, so numbers read from Excel need this. Anything that is not one to
    four digits (after surrounding white space is removed) raises ValueError. This checks the form only,
    not that the municipality exists.
    """
    if isinstance(value, bool):
        raise ValueError(f"Not a municipality number: {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"Not a municipality number: {value!r}")
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise ValueError(f"Not a municipality number: {value!r}")
    # fullmatch with an ASCII class: str.isdigit() would also accept digits such as "²" or "٣".
    if not _MUNICIPALITY_NUMBER.fullmatch(text):
        raise ValueError(f"Not a municipality number: {value!r}")
    return text.zfill(4)


def municipalities_in_health_trust(trust: HealthTrust) -> QuerySet[Municipality]:
    """The municipalities that the trust's catchment area covers, in whole or in part (Oslo's districts)."""
    return Municipality.objects.filter(catchment_areas__health_trust=trust).distinct()


def health_trust_by_name(name: str) -> HealthTrust | None:
    """The health trust whose full or short name is ``name``, ignoring case; None if there is none.

    "Helse Stavanger HF", "helse stavanger hf" and "Stavanger" all give Helse Stavanger HF. A match on the
    full name wins over a match on a short name. The comparison is done in Python with str.casefold(),
    because SQLite ignores case only for ASCII letters ("ØSTFOLD" must find Sykehuset Østfold HF); there
    are only a few dozen trusts.
    """
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return None
    trusts = list(HealthTrust.objects.select_related("region"))
    for trust in trusts:
        if trust.name.casefold() == wanted:
            return trust
    for trust in trusts:
        if trust.short_name.casefold() == wanted:
            return trust
    return None
