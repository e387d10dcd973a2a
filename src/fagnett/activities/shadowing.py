"""Job shadowing (hospitering): the writes and the reads of the network's list.

Seed 003: new resource persons shadow 1–3 days in their first year, and each day counts as four hours of
clinical supervision towards the nurses' union's clinical-specialist programme. The hours per day are a
network setting (`Network.shadowing_hours_per_day`), so the credit is always computed, never stored.

Writes follow networks.services: validate, write inside one transaction, one audit entry per change naming
the changed fields only. The views, the import (activities/imports.py) and the demo share the rules in
`shadowing_errors`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from fagnett.activities.models import Shadowing, ShadowingStatus
from fagnett.audit.services import log_action
from fagnett.networks.access import NetworkAccess
from fagnett.networks.models import Network, Person, ServiceType, Workplace
from fagnett.networks.services import create_workplace
from fagnett.places.models import Municipality

if TYPE_CHECKING:
    from fagnett.accounts.models import User

SHADOWING_FIELDS = ("person", "host", "starts_on", "ends_on", "days", "goals", "reflection", "status")
MIN_DAYS = Decimal("0.5")
MAX_DAYS = Decimal(10)


def supervision_hours(days: Decimal, hours_per_day: Decimal) -> Decimal:
    """Credited clinical supervision: days × the network's hours per day (seed 003: 4)."""
    return days * hours_per_day


def days_error(days: Decimal) -> str | None:
    """The model allows 0.5 to 10 days in steps of one decimal; the message names the limits."""
    if not MIN_DAYS <= days <= MAX_DAYS:
        return _("The number of days must be between 0.5 and 10.")
    if days != days.quantize(Decimal("0.1")):
        return _("The number of days can have at most one decimal.")
    return None


def span_error(starts_on: dt.date, ends_on: dt.date, days: Decimal | None) -> tuple[str, str] | None:
    """(field, message) when the dates contradict each other or the number of days."""
    if ends_on < starts_on:
        return "ends_on", _("The end date cannot be before the start date.")
    calendar_days = (ends_on - starts_on).days + 1
    if days is not None and days > calendar_days:
        return "days", _("%(days)s days do not fit between %(start)s and %(end)s.") % {
            "days": floatformat(days, -1),
            "start": starts_on.strftime("%d.%m.%Y"),
            "end": ends_on.strftime("%d.%m.%Y"),
        }
    return None


def shadowing_errors(network: Network, values: dict[str, Any]) -> dict[str, str]:
    """Every rule a placement must satisfy, keyed by field name."""
    errors: dict[str, str] = {}
    for name in ("person", "host"):
        obj = values.get(name)
        if obj is not None and obj.network_id != network.pk:
            errors[name] = _("%(object)s belongs to another network.") % {"object": obj}
    if values.get("status") not in ShadowingStatus.values:
        errors["status"] = _("Choose a status.")
    days = values.get("days")
    if days is not None and (message := days_error(days)):
        errors["days"] = message
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on is not None and ends_on is not None:
        found = span_error(starts_on, ends_on, None if "days" in errors else days)
        if found is not None:
            errors.setdefault(found[0], found[1])
    return errors


@dataclass(frozen=True)
class NewHost:
    """A host workplace to create (or find) together with the placement."""

    name: str
    service_type: ServiceType
    municipality: Municipality | None


@dataclass
class ShadowingData:
    person: Person
    host: Workplace | None  # None when a NewHost is given
    starts_on: dt.date
    ends_on: dt.date
    days: Decimal
    goals: str = ""
    reflection: str = ""
    status: str = ShadowingStatus.PLANNED


def _host(
    network: Network, host: Workplace | None, new_host: NewHost | None, actor: User | None
) -> Workplace:
    if new_host is not None:
        return find_or_create_host(
            network,
            name=new_host.name,
            service_type=new_host.service_type,
            municipality=new_host.municipality,
            actor=actor,
        )
    if host is None:
        raise ValidationError({"host": _("Choose the host workplace, or add a new one.")})
    return host


@transaction.atomic
def create_shadowing(
    network: Network, data: ShadowingData, *, actor: User | None, new_host: NewHost | None = None
) -> Shadowing:
    """Register a placement; with `new_host`, its host workplace is found or created in the same
    transaction, so a placement that fails validation rolls the new workplace back too."""
    values = {name: getattr(data, name) for name in SHADOWING_FIELDS}
    values["host"] = _host(network, data.host, new_host, actor)
    errors = shadowing_errors(network, values)
    if errors:
        raise ValidationError(errors)
    shadowing = Shadowing.objects.create(network=network, **values)
    log_action("shadowing.created", actor=actor, target=shadowing, network=network)
    return shadowing


@transaction.atomic
def update_shadowing(
    shadowing: Shadowing, changes: dict[str, Any], *, actor: User | None, new_host: NewHost | None = None
) -> list[str]:
    """Apply `changes` (field name → value); returns the names of the fields that really changed. With
    `new_host`, the host becomes that workplace (found or created)."""
    unknown = set(changes) - set(SHADOWING_FIELDS)
    if unknown:
        raise ValueError(f"not shadowing fields: {sorted(unknown)}")
    network = shadowing.network
    values = {name: changes.get(name, getattr(shadowing, name)) for name in SHADOWING_FIELDS}
    if new_host is not None:
        values["host"] = _host(network, None, new_host, actor)
    errors = shadowing_errors(network, values)
    if errors:
        raise ValidationError(errors)
    changed = [name for name in SHADOWING_FIELDS if getattr(shadowing, name) != values[name]]
    if not changed:
        return []
    for name in changed:
        setattr(shadowing, name, values[name])
    shadowing.save(update_fields=changed)
    log_action("shadowing.updated", actor=actor, target=shadowing, network=network, fields=changed)
    return changed


@transaction.atomic
def find_or_create_host(
    network: Network,
    *,
    name: str,
    service_type: ServiceType,
    municipality: Municipality | None,
    actor: User | None,
) -> Workplace:
    """The network's workplace of that name, type and municipality, created (and audited) when missing.

    A host may lie outside the network's area (a university hospital elsewhere), so the municipality is not
    checked against the area; it is not added to the coverage check either."""
    existing = (
        Workplace.objects.filter(
            network=network, name__iexact=name.strip(), service_type=service_type, municipality=municipality
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    return create_workplace(
        network, name=name, service_type=service_type, municipality=municipality, actor=actor
    )


# Reads --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShadowingRow:
    shadowing: Shadowing
    from_municipality: Municipality | None  # of the person's workplace as stored today
    supervision_hours: Decimal


@dataclass(frozen=True)
class ShadowingList:
    rows: list[ShadowingRow]
    placements: int
    days: Decimal
    persons: int
    supervision_hours: Decimal
    hours_per_day: Decimal


def _rows(shadowings: Any, hours_per_day: Decimal) -> list[ShadowingRow]:
    return [
        ShadowingRow(
            shadowing=s,
            from_municipality=s.person.workplace.municipality if s.person.workplace else None,
            supervision_hours=supervision_hours(s.days, hours_per_day),
        )
        for s in shadowings
    ]


def _with_relations(shadowings: Any) -> Any:
    return shadowings.select_related(
        "person__workplace__municipality", "host__municipality", "host__health_trust", "host__service_type"
    )


def shadowing_years(access: NetworkAccess) -> list[int]:
    """The years with placements the user may see, newest first (one query)."""
    return sorted(
        {day.year for day in _visible(access).dates("starts_on", "year")},
        reverse=True,
    )


def _visible(access: NetworkAccess) -> Any:
    shadowings = Shadowing.objects.filter(network=access.network)
    if not access.is_coordinator:
        # Chapter coordinators see the placements of their chapters' persons (the same rule as editing).
        shadowings = shadowings.filter(person__in=access.editable_persons())
    return shadowings


def shadowing_list(access: NetworkAccess, *, year: int | None = None, status: str = "") -> ShadowingList:
    """The placements the user may see, newest first, with the totals of the list (one query)."""
    shadowings = _visible(access)
    if year is not None:
        shadowings = shadowings.filter(starts_on__year=year)
    if status:
        shadowings = shadowings.filter(status=status)
    hours_per_day = access.network.shadowing_hours_per_day
    rows = _rows(_with_relations(shadowings).order_by("-starts_on", "person__last_name", "pk"), hours_per_day)
    days = sum((row.shadowing.days for row in rows), Decimal(0))
    return ShadowingList(
        rows=rows,
        placements=len(rows),
        days=days,
        persons=len({row.shadowing.person_id for row in rows}),
        supervision_hours=supervision_hours(days, hours_per_day),
        hours_per_day=hours_per_day,
    )


def person_shadowings(person: Person) -> list[ShadowingRow]:
    """A person's placements, newest first, for their page (a fixed number of queries)."""
    shadowings = _with_relations(Shadowing.objects.filter(person=person)).order_by("-starts_on", "pk")
    return _rows(shadowings, person.network.shadowing_hours_per_day)
