"""Competence-plan data at the scale of issue 5's targets: a network of 5,000 and one of 20,000 resource
persons, each with two years of gatherings, study days and introductory courses, attendance for most persons
and job shadowing for some. Seeded, so every run measures the same data."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Shadowing,
    ShadowingStatus,
)
from fagnett.networks.models import Membership, Network, Person, Role, ServiceType, Workplace
from fagnett.places.models import Municipality

YEAR = 2025


@transaction.atomic
def generate(slug: str, persons: int, seed: int = 5) -> Network:
    rng = random.Random(seed)  # noqa: S311 - benchmark data
    network = Network.objects.create(name=f"Kompetanse {persons}", slug=slug)
    role = Role.objects.get(code=Role.RESOURCE_PERSON, network=None)
    service = ServiceType.objects.get(code="sykehjem", network=None)
    municipalities = list(Municipality.objects.order_by("number")[:40])
    workplaces = Workplace.objects.bulk_create(
        Workplace(network=network, name=f"Sykehjem {m.name}", service_type=service, municipality=m)
        for m in municipalities
    )
    people = Person.objects.bulk_create(
        (
            Person(
                network=network,
                first_name=f"Fornavn{n}",
                last_name=f"Etternavn{n}",
                email=f"p{n}@{slug}.example.no",
                workplace=rng.choice(workplaces),
            )
            for n in range(persons)
        ),
        batch_size=2000,
    )
    Membership.objects.bulk_create(
        (
            Membership(
                person=p,
                network=network,
                role=role,
                start=dt.date(YEAR - 2, 1, 1) + dt.timedelta(days=rng.randrange(0, 900)),
            )
            for p in people
        ),
        batch_size=2000,
    )
    kinds = [ActivityKind.GATHERING] * 4 + [ActivityKind.STUDY_DAY, ActivityKind.INTRO_COURSE]
    activities = Activity.objects.bulk_create(
        Activity(
            network=network,
            kind=kind,
            title=f"{kind} {year}-{n}",
            starts_on=dt.date(year, 2 + n * 2, 10),
            ends_on=dt.date(year, 2 + n * 2, 10),
            hours=Decimal(6),
        )
        for year in (YEAR - 1, YEAR)
        for n, kind in enumerate(kinds)
    )
    attendances = []
    for person in people:
        for activity in rng.sample(activities, rng.randrange(0, 6)):
            attendances.append(
                Attendance(
                    activity=activity,
                    person=person,
                    status=AttendanceStatus.ATTENDED,
                    hours=Decimal(rng.choice((3, 6, 6))),
                )
            )
    Attendance.objects.bulk_create(attendances, batch_size=5000)
    Shadowing.objects.bulk_create(
        (
            Shadowing(
                network=network,
                person=person,
                host=workplaces[0],
                starts_on=dt.date(YEAR, 3, 1),
                ends_on=dt.date(YEAR, 3, 3),
                days=Decimal(rng.choice((1, 2, 3))),
                status=ShadowingStatus.DONE,
            )
            for person in rng.sample(people, persons // 5)
        ),
        batch_size=5000,
    )
    return network
