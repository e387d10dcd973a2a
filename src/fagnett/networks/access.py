"""Who may see which network: the one place network permissions are decided (ARCHITECTURE.md §3).

Views never fetch a network by slug themselves; they call `network_for_user`, which answers 404 both when
the network does not exist and when the user has no role in it, so that a stranger cannot learn which
networks exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from fagnett.networks.models import Membership, Network, Role


@dataclass(frozen=True)
class NetworkAccess:
    network: Network
    is_coordinator: bool


def _coordinated_network_ids(user: Any) -> QuerySet[Membership, int]:
    return (
        Membership.objects.active_on(timezone.localdate())
        .filter(person__user=user, role__code__in=Role.COORDINATING_CODES)
        .values_list("network_id", flat=True)
    )


def networks_for_user(user: Any) -> QuerySet[Network]:
    """Every network the user has a role in, for menus and the start page."""
    if not user.is_authenticated:
        return Network.objects.none()
    return Network.objects.filter(pk__in=_coordinated_network_ids(user)).order_by("name")


def network_for_user(user: Any, slug: str) -> NetworkAccess:
    network = networks_for_user(user).filter(slug=slug).first()
    if network is None:
        raise Http404
    return NetworkAccess(network=network, is_coordinator=True)
