"""Scoped reads for network pages. Each function runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from fagnett.networks.models import Membership, Network, Role


@dataclass(frozen=True)
class DashboardFacts:
    active_resource_persons: int
    joined_this_year: int
    left_this_year: int
    municipalities_in_area: int


def dashboard_facts(network: Network, today: dt.date) -> DashboardFacts:
    year_start = dt.date(today.year, 1, 1)
    resource = Membership.objects.filter(network=network, role__code=Role.RESOURCE_PERSON)
    counts = resource.aggregate(
        active=Count(
            "person", filter=Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today)), distinct=True
        ),
        joined=Count("pk", filter=Q(start__gte=year_start, start__lte=today)),
        left=Count("pk", filter=Q(end__gte=year_start, end__lte=today)),
    )
    return DashboardFacts(
        active_resource_persons=counts["active"],
        joined_this_year=counts["joined"],
        left_this_year=counts["left"],
        municipalities_in_area=network.municipalities.count(),
    )
