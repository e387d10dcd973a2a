"""Who may see and change a network's plans, goals, indicators, priority areas, economy, partners and learning
resources: the one place this app decides (ARCHITECTURE.md §3).

- Reading them is reading aggregates: network coordinators, chapter coordinators and readers (owners, health
  authorities) — `Need.AGGREGATES`. The learning-resource list is for everyone in the network (`Need.ANY`):
  resource persons read it.
- Changing them is the network coordinator's (`Need.COORDINATE`).

`owned` fetches one row of a network-owned model by primary key, answering 404 both when it does not exist and
when it belongs to another network.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from fagnett.networks.access import Need, NetworkAccess, network_for_user

READ = Need.AGGREGATES
WRITE = Need.COORDINATE
READ_RESOURCES = Need.ANY

_M = TypeVar("_M", bound=Model)

# How each model reaches its network, for `owned`.
_NETWORK_PATH = {
    "DisseminationPlan": "network",
    "Measure": "plan__network",
    "MeasureYear": "measure__plan__network",
    "MainGoal": "network",
    "SubGoal": "main_goal__network",
    "GoalAction": "sub_goal__main_goal__network",
    "SubGoalAssessment": "sub_goal__main_goal__network",
    "Indicator": "network",
    "IndicatorValue": "indicator__network",
    "PriorityArea": "network",
    "EconomyLine": "network",
    "Partner": "network",
    "LearningResource": "network",
    "MeasureCategory": "network",
    "TargetGroup": "network",
}


def plans_access(user: Any, slug: str, *, write: bool = False) -> NetworkAccess:
    """The network for a plans page: readers and coordinators may read, only network coordinators write."""
    return network_for_user(user, slug, WRITE if write else READ)


def resources_access(user: Any, slug: str, *, write: bool = False) -> NetworkAccess:
    return network_for_user(user, slug, WRITE if write else READ_RESOURCES)


def owned(queryset: QuerySet[_M], access: NetworkAccess, pk: int) -> _M:
    """Row `pk` of `queryset` if it belongs to the access's network; 404 otherwise (missing or forbidden)."""
    path = _NETWORK_PATH[queryset.model.__name__]
    row = queryset.filter(pk=pk, **{path: access.network}).first()
    if row is None:
        raise Http404
    return row
