"""The roster's part of the annual report's facts: members, coverage and groups (reports/facts.py).

Joined and left are networks.stats' numbers (`joined_and_left`, moves left out); the counts at 31 December are
the same definition as `membership_stats` (distinct persons with an active resource-person membership),
taken for the five years of `by_year` in one query for the network and one for all chapters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from fagnett.networks.coverage import CoverageFacts
from fagnett.networks.models import Group, LocalChapter, Network
from fagnett.networks.stats import joined_and_left, resource_memberships

BY_YEAR = 5  # the members chart: the last five year-ends, oldest first


def _active_on(day: dt.date) -> Q:
    # networks.stats' definition: active from the start to the end date, both included.
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gte=day))


def _year_end_counts(years: range) -> dict[str, Count]:
    return {
        f"y{year}": Count("person", filter=_active_on(dt.date(year, 12, 31)), distinct=True) for year in years
    }


def _years(year: int) -> range:
    return range(year - BY_YEAR + 1, year + 1)


def network_year_ends(network: Network, year: int) -> dict[int, int]:
    """{year: distinct members at 31 December} for the last five years (one query)."""
    years = _years(year)
    counts = resource_memberships(network).aggregate(**_year_end_counts(years))
    return {y: counts[f"y{y}"] for y in years}


def chapter_year_ends(network: Network, year: int) -> dict[int, dict[int, int]]:
    """{chapter id: {year: distinct members of the chapter at 31 December}} (one query)."""
    years = _years(year)
    rows = (
        resource_memberships(network)
        .filter(chapter__isnull=False)
        .values("chapter_id")
        .annotate(**_year_end_counts(years))
        .order_by()
    )
    return {row["chapter_id"]: {y: row[f"y{y}"] for y in years} for row in rows}


def members_facts(
    network: Network, year: int, year_ends: dict[int, int], chapter: LocalChapter | None = None
) -> dict[str, Any]:
    """The `members` object; joined and left cost one query (networks.stats.joined_and_left)."""
    joined, left = joined_and_left(
        resource_memberships(network, chapter), dt.date(year, 1, 1), dt.date(year, 12, 31)
    )
    at_end = year_ends.get(year, 0)
    at_previous_end = year_ends.get(year - 1, 0)
    return {
        "at_year_end": at_end,
        "at_previous_year_end": at_previous_end,
        "change": at_end - at_previous_end,
        "joined": joined,
        "left": left,
        "by_year": [{"year": y, "members": year_ends.get(y, 0)} for y in _years(year)],
    }


def coverage_facts(coverage: CoverageFacts) -> dict[str, Any]:
    """The `coverage` object from networks.coverage; call inside the report's language (the statement and
    the gaps are sentences)."""
    return {
        "municipalities_covered": coverage.municipalities_covered,
        "municipalities_total": coverage.municipalities_total,
        "units_covered": coverage.units_covered,
        "units_total": coverage.units_total,
        "gaps": list(coverage.gaps),
        "statement": coverage.statement(),
        "municipalities": [
            {"number": m.number, "name": m.name, "covered": m.covered, "persons": m.total}
            for m in coverage.municipalities
        ],
    }


def groups_facts(network: Network) -> list[dict[str, Any]]:
    """The network's groups (steering, operations, working) with their members in order (two queries)."""
    groups = Group.objects.filter(network=network).prefetch_related("members").order_by("kind", "name", "pk")
    return [
        {
            "kind": group.kind,
            "kind_label": str(group.get_kind_display()),
            "name": group.name,
            "mandate": group.mandate,
            "meetings_per_year": group.meetings_per_year,
            "members": [
                {
                    "name": member.name,
                    "title": member.title,
                    "workplace": member.workplace,
                    "function": member.function,
                }
                for member in group.members.all()
            ],
        }
        for group in groups
    ]
