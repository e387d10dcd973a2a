"""What one person has done in a network: the "My activities" page, the certificate of one attended
activity, and the yearly statement of activities and job shadowing (documentation for the nurses' union's
clinical-specialist approval). Every function reads a fixed number of queries, whatever the history holds.

`attendance_for_certificate` and `person_for_statement` decide who may see which certificate or statement;
they follow networks.access (404 for both missing and forbidden) and belong there or in activities.access.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404

from fagnett.activities.access import can_manage_activity
from fagnett.activities.models import (
    Activity,
    Attendance,
    AttendanceStatus,
    Registration,
    RegistrationStatus,
    Shadowing,
    ShadowingStatus,
    Theme,
    activity_year_bounds,
)
from fagnett.networks.access import NetworkAccess, person_for_user
from fagnett.networks.models import Network, Person

ZERO = Decimal(0)


def organiser_name(activity: Activity) -> str:
    """The organiser a certificate names: the local chapter and its network, or the network."""
    if activity.chapter is not None:
        return f"{activity.chapter.name}, {activity.network.name}"
    return activity.network.name


# --- "My activities" -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingLine:
    registration: Registration

    @property
    def activity(self) -> Activity:
        return self.registration.activity

    @property
    def is_waiting(self) -> bool:
        return self.registration.status == RegistrationStatus.WAITING


@dataclass(frozen=True)
class ShadowingLine:
    shadowing: Shadowing
    supervision_hours: Decimal


@dataclass(frozen=True)
class MyActivities:
    person: Person
    today: dt.date
    upcoming: list[UpcomingLine]
    past: list[Attendance]  # newest first; attended and absent
    hours_this_year: Decimal
    hours_total: Decimal
    shadowing: list[ShadowingLine]  # newest first, every status
    shadowing_days_this_year: Decimal
    shadowing_days_total: Decimal
    statement_years: list[int]  # newest first; years with something to document, and this year


def own_person(access: NetworkAccess) -> Person:
    """The signed-in user's own Person in the network (at most one: Person is unique per network and user)."""
    if not access.own_person_ids:
        raise Http404
    return person_for_user(access, min(access.own_person_ids))


def my_activities(network: Network, person: Person, today: dt.date) -> MyActivities:
    """Three queries: registrations to come, attendance, and job shadowing."""
    registrations = list(
        Registration.objects.filter(
            person=person,
            activity__network=network,
            activity__ends_on__gte=today,
            status__in=(RegistrationStatus.REGISTERED, RegistrationStatus.WAITING),
        )
        .select_related("activity__chapter", "activity__network")
        .order_by("activity__starts_on", "activity__start_time", "activity__title")
    )
    attendances = list(
        Attendance.objects.filter(person=person, activity__network=network)
        .select_related("activity__chapter", "activity__network")
        .order_by("-activity__starts_on", "-activity__start_time", "activity__title")
    )
    shadowings = list(
        Shadowing.objects.filter(person=person, network=network)
        .select_related("host__municipality", "host__health_trust")
        .order_by("-starts_on", "-pk")
    )
    attended = [a for a in attendances if a.status == AttendanceStatus.ATTENDED]
    done = [s for s in shadowings if s.status == ShadowingStatus.DONE]
    years = {a.activity.starts_on.year for a in attended} | {s.starts_on.year for s in done} | {today.year}
    return MyActivities(
        person=person,
        today=today,
        upcoming=[UpcomingLine(r) for r in registrations],
        past=attendances,
        hours_this_year=sum((a.hours for a in attended if a.activity.starts_on.year == today.year), ZERO),
        hours_total=sum((a.hours for a in attended), ZERO),
        shadowing=[
            ShadowingLine(s, s.supervision_hours(network.shadowing_hours_per_day)) for s in shadowings
        ],
        shadowing_days_this_year=sum((s.days for s in done if s.starts_on.year == today.year), ZERO),
        shadowing_days_total=sum((s.days for s in done), ZERO),
        statement_years=sorted(years, reverse=True),
    )


# --- Certificates -----------------------------------------------------------------------------------------


def attendance_for_certificate(access: NetworkAccess, pk: int) -> Attendance:
    """An attended activity's record whose certificate the user may download: their own; any of an activity
    they manage; or any of a person they may change (a chapter coordinator's persons). 404 otherwise."""
    attendance = (
        Attendance.objects.filter(pk=pk, activity__network=access.network, status=AttendanceStatus.ATTENDED)
        .select_related("person", "activity__chapter", "activity__network")
        .prefetch_related(Prefetch("activity__themes", queryset=Theme.objects.order_by("name")))
        .first()
    )
    if attendance is None:
        raise Http404
    if attendance.person_id in access.own_person_ids or can_manage_activity(access, attendance.activity):
        return attendance
    if access.can_manage and access.editable_persons().filter(pk=attendance.person_id).exists():
        return attendance
    raise Http404


def attendance_by_code(code: str) -> Attendance | None:
    """The attended activity a printed verification code stands for (the public verification page)."""
    code = code.strip().upper()
    if not code or len(code) > 10:
        return None
    return (
        Attendance.objects.filter(verification_code=code, status=AttendanceStatus.ATTENDED)
        .select_related("person", "activity__chapter", "activity__network")
        .first()
    )


# --- The yearly statement -------------------------------------------------------------------------------


def person_for_statement(access: NetworkAccess, pk: int) -> Person:
    """The person themselves, or a coordinator or chapter coordinator who may change them; 404 otherwise
    (a line manager or reader sees no statements)."""
    if pk in access.own_person_ids:
        return person_for_user(access, pk)
    if not access.can_manage:
        raise Http404
    return person_for_user(access, pk, write=True)


@dataclass(frozen=True)
class StatementShadowing:
    shadowing: Shadowing
    supervision_hours: Decimal


@dataclass(frozen=True)
class YearlyStatement:
    network: Network
    person: Person
    year: int
    attendances: list[Attendance]  # attended only, in date order
    activity_hours: Decimal
    shadowing: list[StatementShadowing]  # completed only, in date order
    shadowing_days: Decimal
    supervision_hours: Decimal
    hours_per_day: Decimal

    @property
    def total_hours(self) -> Decimal:
        return self.activity_hours + self.supervision_hours


def yearly_statement(network: Network, person: Person, year: int) -> YearlyStatement:
    """Three queries: attended activities (with their themes) and completed job shadowing of the year.

    An activity belongs to the year it starts in (models.activity_year_bounds); so does a placement."""
    first, last = activity_year_bounds(year)
    attendances = list(
        Attendance.objects.filter(
            person=person,
            activity__network=network,
            status=AttendanceStatus.ATTENDED,
            activity__starts_on__range=(first, last),
        )
        .select_related("activity__chapter", "activity__network")
        .prefetch_related(Prefetch("activity__themes", queryset=Theme.objects.order_by("name")))
        .order_by("activity__starts_on", "activity__start_time", "activity__title")
    )
    shadowings = list(
        Shadowing.objects.filter(
            person=person, network=network, status=ShadowingStatus.DONE, starts_on__range=(first, last)
        )
        .select_related("host__municipality", "host__health_trust")
        .order_by("starts_on", "pk")
    )
    per_day = network.shadowing_hours_per_day
    lines = [StatementShadowing(s, s.supervision_hours(per_day)) for s in shadowings]
    return YearlyStatement(
        network=network,
        person=person,
        year=year,
        attendances=attendances,
        activity_hours=sum((a.hours for a in attendances), ZERO),
        shadowing=lines,
        shadowing_days=sum((s.days for s in shadowings), ZERO),
        supervision_hours=sum((line.supervision_hours for line in lines), ZERO),
        hours_per_day=per_day,
    )
