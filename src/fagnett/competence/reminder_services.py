"""Writes of reminder preferences: in one transaction, audited like every other write."""

from __future__ import annotations

from django.db import transaction

from fagnett.accounts.models import User
from fagnett.audit.services import log_action
from fagnett.competence.models import ReminderPreference
from fagnett.networks.models import Person


@transaction.atomic
def set_reminder_preference(person: Person, enabled: bool, *, actor: User) -> bool:
    """Turn the person's competence-plan reminders on or off; whether anything changed.

    No row means on, so choosing what is already in effect writes nothing and is not audited."""
    stored = (
        ReminderPreference.objects.select_for_update()
        .filter(person=person)
        .values_list("enabled", flat=True)
        .first()
    )
    if (True if stored is None else stored) == enabled:
        return False
    ReminderPreference.objects.update_or_create(person=person, defaults={"enabled": enabled})
    log_action(
        "competence.reminder_preference_changed",
        actor=actor,
        target=person,
        network=person.network,
        fields=["enabled"],
    )
    return True
