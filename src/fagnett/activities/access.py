"""Who may see and change which activity: built on networks.access, 404 for both missing and forbidden.

- Everyone with a role in the network sees its calendar and activity pages (a resource person must find
  what to sign up for); the list of participants is shown only to those who manage the activity.
- A network coordinator manages every activity; a local-chapter coordinator those of their chapters.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from fagnett.activities.models import Activity, Shadowing
from fagnett.networks.access import NetworkAccess


def manageable_activities(access: NetworkAccess) -> QuerySet[Activity]:
    activities = Activity.objects.filter(network=access.network)
    if access.is_coordinator:
        return activities
    if access.chapter_ids:
        return activities.filter(chapter_id__in=access.chapter_ids)
    return activities.none()


def can_manage_activity(access: NetworkAccess, activity: Activity) -> bool:
    return access.is_coordinator or (
        activity.chapter_id is not None and activity.chapter_id in access.chapter_ids
    )


def can_create_activities(access: NetworkAccess) -> bool:
    return access.can_manage


def activity_for_user(access: NetworkAccess, pk: int, *, manage: bool = False) -> Activity:
    activities = manageable_activities(access) if manage else Activity.objects.filter(network=access.network)
    activity = activities.select_related("chapter", "network").filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


def shadowing_for_user(access: NetworkAccess, pk: int) -> Shadowing:
    """Job shadowing a coordinator (any) or chapter coordinator (their chapters' persons) may change."""
    shadowings = Shadowing.objects.filter(network=access.network).select_related("person", "host")
    if not access.is_coordinator:
        shadowings = shadowings.filter(person__in=access.editable_persons())
    shadowing = shadowings.filter(pk=pk).first()
    if shadowing is None:
        raise Http404
    return shadowing
