"""Activity numbers for a year: per kind of activity, per activity, and job shadowing (seed 002: "Per
aktivitet: dato, timer, deltakere, tema"; "Hospitering: hvem, fra hvilken kommune, hvor, hvor mange dager").

The `activity_stats` command prints these (docs/commands.md); the annual report reads the same facts.

- An activity belongs to the year of its start date.
- `hours` sums the activities' credited hours (each activity once); `participants` counts distinct persons
  marked attended (absent persons are not counted); `participant_hours` sums the hours those attendances are
  credited with (partial attendance counts as recorded); `other_participants` sums the activities' count of
  participants who are not in the roster.
- Job shadowing counts the placements starting in the year that are not cancelled; `from_municipality` is
  the municipality of the person's workplace as stored today (the roster keeps no history of workplaces).
- With a local chapter: the activities it organised, and the job shadowing of persons who have (or had) a
  membership in that chapter.

Four queries, whatever the amount of data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fagnett.activities.models import (
    Activity,
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Shadowing,
    ShadowingStatus,
    activity_year_bounds,
)
from fagnett.networks.models import LocalChapter, Membership, Network


def json_number(value: Decimal) -> int | float:
    """Whole numbers as JSON integers (6), others as JSON numbers with a fraction (3.5)."""
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class KindStats:
    count: int
    hours: Decimal
    participants: int
    participant_hours: Decimal
    other_participants: int

    def as_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "hours": json_number(self.hours),
            "participants": self.participants,
            "participant_hours": json_number(self.participant_hours),
            "other_participants": self.other_participants,
        }


@dataclass(frozen=True)
class ActivityLine:
    pk: int
    start: dt.date
    kind: str
    title: str
    themes: list[str]
    hours: Decimal
    participants: int
    participant_hours: Decimal
    other_participants: int

    def as_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "kind": self.kind,
            "title": self.title,
            "themes": self.themes,
            "hours": json_number(self.hours),
            "participants": self.participants,
            "other_participants": self.other_participants,
        }


@dataclass(frozen=True)
class Placement:
    email: str
    from_municipality: str | None
    host: str
    days: Decimal
    starts_on: dt.date

    def as_json(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "from_municipality": self.from_municipality,
            "host": self.host,
            "days": json_number(self.days),
        }


@dataclass(frozen=True)
class ActivityStats:
    year: int
    kinds: dict[str, KindStats]  # every kind, in ActivityKind's order; zeros for kinds without activities
    activities: list[ActivityLine]  # by start date, then title
    placements: list[Placement]  # by start date, then e-mail address
    shadowing_days: Decimal
    shadowing_persons: int

    def as_json(self) -> dict[str, Any]:
        """The `activity_stats --format json` object (docs/commands.md); its keys are a public interface."""
        return {
            "kinds": {code: stats.as_json() for code, stats in self.kinds.items()},
            "activities": [line.as_json() for line in self.activities],
            "shadowing": {
                "count": len(self.placements),
                "days": json_number(self.shadowing_days),
                "persons": self.shadowing_persons,
                "placements": [placement.as_json() for placement in self.placements],
            },
        }


def activity_stats(network: Network, year: int, chapter: LocalChapter | None = None) -> ActivityStats:
    first, last = activity_year_bounds(year)
    activities = Activity.objects.filter(network=network, starts_on__gte=first, starts_on__lte=last)
    if chapter is not None:
        activities = activities.filter(chapter=chapter)
    rows = list(
        activities.order_by("starts_on", "title", "pk").values_list(
            "pk", "starts_on", "kind", "title", "hours", "other_participants"
        )
    )
    themes: dict[int, list[str]] = {}
    for activity_id, name in Activity.themes.through.objects.filter(
        activity__in=activities.values("pk")
    ).values_list("activity_id", "theme__name"):
        themes.setdefault(activity_id, []).append(name)
    attended: dict[int, list[tuple[int, Decimal]]] = {}
    for activity_id, person_id, hours in Attendance.objects.filter(
        activity__in=activities.values("pk"), status=AttendanceStatus.ATTENDED
    ).values_list("activity_id", "person_id", "hours"):
        attended.setdefault(activity_id, []).append((person_id, hours))

    lines = []
    for pk, start, kind, title, hours, others in rows:
        present = attended.get(pk, [])
        lines.append(
            ActivityLine(
                pk=pk,
                start=start,
                kind=kind,
                title=title,
                themes=sorted(themes.get(pk, []), key=lambda name: (name.casefold(), name)),
                hours=hours,
                participants=len({person for person, _ in present}),
                participant_hours=sum((h for _, h in present), Decimal(0)),
                other_participants=others,
            )
        )
    kinds = {}
    for code in ActivityKind.values:
        of_kind = [line for line in lines if line.kind == code]
        persons = {person for line in of_kind for person, _ in attended.get(line.pk, [])}
        kinds[code] = KindStats(
            count=len(of_kind),
            hours=sum((line.hours for line in of_kind), Decimal(0)),
            participants=len(persons),
            participant_hours=sum((line.participant_hours for line in of_kind), Decimal(0)),
            other_participants=sum(line.other_participants for line in of_kind),
        )

    shadowings = Shadowing.objects.filter(network=network, starts_on__gte=first, starts_on__lte=last).exclude(
        status=ShadowingStatus.CANCELLED
    )
    if chapter is not None:
        shadowings = shadowings.filter(
            person__in=Membership.objects.filter(chapter=chapter).values("person_id")
        )
    placements = []
    shadowing_persons: set[int] = set()
    for person_id, email, municipality, host, days, starts_on in shadowings.order_by(
        "starts_on", "person__email", "pk"
    ).values_list(
        "person_id",
        "person__email",
        "person__workplace__municipality__display_name",
        "host__name",
        "days",
        "starts_on",
    ):
        shadowing_persons.add(person_id)
        placements.append(
            Placement(email=email, from_municipality=municipality, host=host, days=days, starts_on=starts_on)
        )
    return ActivityStats(
        year=year,
        kinds=kinds,
        activities=lines,
        placements=placements,
        shadowing_days=sum((p.days for p in placements), Decimal(0)),
        shadowing_persons=len(shadowing_persons),
    )
