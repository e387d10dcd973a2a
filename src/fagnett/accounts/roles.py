"""Who counts as staff-level: anyone who can change other people's data."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def is_staff_level(user: Any) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    from fagnett.networks.models import Membership, Role

    return (
        Membership.objects.active_on(timezone.localdate())
        .filter(person__user=user, role__code__in=Role.COORDINATING_CODES)
        .exists()
    )
