"""Builders for competence tests: resource persons, attended activities and completed job shadowing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fagnett.activities.models import (
    Activity,
    Attendance,
    AttendanceStatus,
    Shadowing,
    ShadowingStatus,
)
from fagnett.networks.models import Membership, Network, Person, Role, ServiceType, Workplace


def resource_person(network: Network, email: str, start: dt.date, end: dt.date | None = None) -> Person:
    person, _ = Person.objects.get_or_create(
        network=network, email=email, defaults={"first_name": email.split("@")[0], "last_name": "Test"}
    )
    Membership.objects.create(
        person=person,
        network=network,
        role=Role.objects.get(code=Role.RESOURCE_PERSON, network=None),
        start=start,
        end=end,
    )
    return person


def attend(
    person: Person,
    kind: str,
    day: dt.date,
    hours: str,
    *,
    title: str = "",
    credited: str | None = None,
    status: str = AttendanceStatus.ATTENDED,
) -> Activity:
    """An activity of `hours` hours on `day` that `person` attended, credited with `credited` hours (default:
    all of them)."""
    activity = Activity.objects.create(
        network=person.network,
        kind=kind,
        title=title or f"{kind} {day.isoformat()}",
        starts_on=day,
        ends_on=day,
        hours=Decimal(hours),
    )
    Attendance.objects.create(
        activity=activity, person=person, status=status, hours=Decimal(credited if credited else hours)
    )
    return activity


def shadow(person: Person, day: dt.date, days: str, status: str = ShadowingStatus.DONE) -> Shadowing:
    host, _ = Workplace.objects.get_or_create(
        network=person.network,
        name="Barneavdelingen SUS",
        service_type=ServiceType.objects.get(code=ServiceType.HOSPITAL_UNIT, network=None),
    )
    return Shadowing.objects.create(
        network=person.network,
        person=person,
        host=host,
        starts_on=day,
        ends_on=day,
        days=Decimal(days),
        status=status,
    )
