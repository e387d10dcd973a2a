"""Scoped reads for network pages. Each function runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from fagnett.networks.coverage import CoverageFacts, compute_coverage
from fagnett.networks.models import Network
from fagnett.networks.stats import joined_and_left, resource_memberships


@dataclass(frozen=True)
class DashboardFacts:
    active_resource_persons: int
    joined_this_year: int
    left_this_year: int
    municipalities_in_area: int
    coverage: CoverageFacts


def dashboard_facts(network: Network, today: dt.date) -> DashboardFacts:
    resource = resource_memberships(network)
    counts = resource.aggregate(
        active=Count(
            "person", filter=Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today)), distinct=True
        ),
    )
    # The same counting as the annual report's numbers (stats.membership_stats), so that a move between
    # local chapters is neither a leaving nor a joining here either.
    joined, left = joined_and_left(resource, dt.date(today.year, 1, 1), today)
    return DashboardFacts(
        active_resource_persons=counts["active"],
        joined_this_year=joined,
        left_this_year=left,
        municipalities_in_area=network.municipalities.count(),
        coverage=compute_coverage(network, today, with_chapters=False),
    )
