"""Who may open the overview across networks, and which networks it shows them (issue 10).

The overview shows aggregates only, never persons. It shows the networks whose aggregates the user reads as a
reader (NetworkReader rows and ReaderScopes, `networks.access.reader_condition`) and the networks they
coordinate as a network coordinator. Local-chapter coordinators are left out: they see their own network's
aggregates on the network's pages, and a row for the whole network is the network coordinator's.

A user with none of these gets 404, as everywhere in Fagnett (nobody can learn what the overview holds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fagnett.networks.access import reader_condition
from fagnett.networks.models import Membership, Network, Role


def overview_networks(user: Any) -> QuerySet[Network]:
    """The networks the user reads (directly or through a scope) or coordinates for the whole network."""
    if not user.is_authenticated:
        return Network.objects.none()
    coordinates = (
        Membership.objects.active_on(timezone.localdate())
        .filter(person__user=user, role__code__in=Role.COORDINATING_CODES, chapter__isnull=True)
        .values("network_id")
    )
    return Network.objects.filter(reader_condition(user) | Q(pk__in=coordinates)).order_by("name", "pk")


@dataclass(frozen=True)
class OverviewAccess:
    """The networks one user sees on the overview pages, read once per request."""

    networks: tuple[Network, ...]

    def queryset(self) -> QuerySet[Network]:
        """The same networks as a queryset, for the facts functions (a plain primary-key filter)."""
        return Network.objects.filter(pk__in=[network.pk for network in self.networks]).order_by("name", "pk")

    @property
    def slugs(self) -> frozenset[str]:
        return frozenset(network.slug for network in self.networks)


def overview_access(user: Any) -> OverviewAccess:
    """The user's networks, or 404 when they read or coordinate none (one query)."""
    networks = tuple(overview_networks(user))
    if not networks:
        raise Http404
    return OverviewAccess(networks=networks)
