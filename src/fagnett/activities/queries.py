"""Scoped reads for the calendar and the activity page. Each function runs a fixed number of queries,
however many activities, registrations or participants there are."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from fagnett.activities.access import can_manage_activity
from fagnett.activities.models import (
    Activity,
    Attendance,
    AttendanceStatus,
    LiteratureItem,
    ProgrammeItem,
    Registration,
    RegistrationStatus,
    Theme,
)
from fagnett.networks.access import NetworkAccess
from fagnett.networks.models import LocalChapter


@dataclass(frozen=True)
class CalendarFilters:
    """What the calendar shows besides the period: a kind code, a chapter slug and a theme id."""

    kind: str = ""
    chapter: str = ""
    theme: int | None = None

    @property
    def active(self) -> bool:
        return bool(self.kind or self.chapter or self.theme is not None)


@dataclass(frozen=True)
class CalendarChoices:
    """The network's chapters (slug, name) and themes (id, name) offered as filters."""

    chapters: list[tuple[str, str]]
    themes: list[tuple[int, str]]


@dataclass(frozen=True)
class ActivityRow:
    activity: Activity
    themes: list[Theme]
    registered: int
    # Whether the user manages this activity: only then does the calendar show registration counts.
    can_manage: bool

    @property
    def places_left(self) -> int | None:
        capacity = self.activity.capacity
        return None if capacity is None else max(capacity - self.registered, 0)

    @property
    def is_multi_day(self) -> bool:
        return self.activity.ends_on != self.activity.starts_on


@dataclass(frozen=True)
class MonthGroup:
    month: dt.date  # the first day of the month
    rows: list[ActivityRow]


@dataclass(frozen=True)
class CalendarFacts:
    start: dt.date | None
    end: dt.date | None
    groups: list[MonthGroup]

    @property
    def count(self) -> int:
        return sum(len(group.rows) for group in self.groups)


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date | None  # None for the cells before the first and after the last day of the month
    is_today: bool = False
    rows: list[ActivityRow] = field(default_factory=list)


@dataclass(frozen=True)
class CalendarWeek:
    number: int  # ISO 8601 week number, as Norwegian calendars show it
    days: list[CalendarDay]


@dataclass(frozen=True)
class MonthFacts:
    month: dt.date  # the first day of the month
    previous_month: dt.date
    next_month: dt.date
    weeks: list[CalendarWeek]
    count: int


def calendar_choices(access: NetworkAccess) -> CalendarChoices:
    """The filters' choices, in two queries."""
    network = access.network
    chapters = list(LocalChapter.objects.filter(network=network).order_by("name").values_list("slug", "name"))
    themes = list(Theme.objects.filter(network=network).order_by("name").values_list("pk", "name"))
    return CalendarChoices(chapters=chapters, themes=themes)


def _registered_count() -> Coalesce:
    # A subquery rather than Count over a join: filtering by theme joins the theme table, and a join
    # there would multiply the count.
    registered = (
        Registration.objects.filter(activity=OuterRef("pk"), status=RegistrationStatus.REGISTERED)
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(registered, output_field=IntegerField()), Value(0))


def _activities(
    access: NetworkAccess, filters: CalendarFilters, start: dt.date | None, end: dt.date | None
) -> QuerySet[Activity]:
    activities = Activity.objects.filter(network=access.network)
    # An activity belongs to every day from its start to its end, so it is in a period it overlaps.
    if start is not None:
        activities = activities.filter(ends_on__gte=start)
    if end is not None:
        activities = activities.filter(starts_on__lte=end)
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.chapter:
        activities = activities.filter(chapter__slug=filters.chapter)
    if filters.theme is not None:
        activities = activities.filter(themes__pk=filters.theme)
    return (
        activities.select_related("chapter")
        .prefetch_related("themes")
        .annotate(registered=_registered_count())
        .order_by("starts_on", "start_time", "title", "pk")
    )


def activity_rows(
    access: NetworkAccess, filters: CalendarFilters, start: dt.date | None, end: dt.date | None
) -> list[ActivityRow]:
    """The activities overlapping [start, end] (either end open when None) that match the filters."""
    return [
        ActivityRow(
            activity=activity,
            themes=list(activity.themes.all()),
            registered=activity.registered,  # type: ignore[attr-defined]
            can_manage=can_manage_activity(access, activity),
        )
        for activity in _activities(access, filters, start, end)
    ]


def calendar_facts(
    access: NetworkAccess, filters: CalendarFilters, *, start: dt.date | None, end: dt.date | None
) -> CalendarFacts:
    """The list view: the activities of a period, grouped by the month they start in."""
    rows = activity_rows(access, filters, start, end)
    groups = [
        MonthGroup(month=month, rows=list(month_rows))
        for month, month_rows in groupby(rows, key=lambda row: row.activity.starts_on.replace(day=1))
    ]
    return CalendarFacts(start=start, end=end, groups=groups)


def month_facts(
    access: NetworkAccess, filters: CalendarFilters, *, month: dt.date, today: dt.date
) -> MonthFacts:
    """The month view: weeks Monday to Sunday, each day with the activities taking place on it."""
    first = month.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    rows = activity_rows(access, filters, first, last)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        days = [
            CalendarDay(
                day=day,
                is_today=day == today,
                rows=[row for row in rows if row.activity.starts_on <= day <= row.activity.ends_on],
            )
            if day.month == first.month
            else CalendarDay(day=None)
            for day in week
        ]
        weeks.append(CalendarWeek(number=week[0].isocalendar()[1], days=days))
    return MonthFacts(
        month=first,
        previous_month=(first - dt.timedelta(days=1)).replace(day=1),
        next_month=last + dt.timedelta(days=1),
        weeks=weeks,
        count=len(rows),
    )


@dataclass(frozen=True)
class ActivityPageFacts:
    activity: Activity
    themes: list[Theme]
    programme: list[ProgrammeItem]
    literature: list[LiteratureItem]
    registered: int
    waiting: int
    cancelled: int
    attended: int
    can_manage: bool
    # The user's own registration (a resource person, or anyone with a person in the network), if any.
    own_registration: Registration | None
    waiting_position: int | None
    can_sign_up: bool
    registration_open: bool

    @property
    def places_left(self) -> int | None:
        capacity = self.activity.capacity
        return None if capacity is None else max(capacity - self.registered, 0)

    @property
    def is_full(self) -> bool:
        return self.places_left == 0

    @property
    def own_status(self) -> str:
        """The status of the user's registration: '' when they have none (or cancelled it)."""
        registration = self.own_registration
        return registration.status if registration is not None else ""

    @property
    def is_signed_up(self) -> bool:
        return self.own_status in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


def activity_page_facts(access: NetworkAccess, activity: Activity, today: dt.date) -> ActivityPageFacts:
    """Everything the activity page shows, in seven queries at most, however many have registered."""
    counts = Registration.objects.filter(activity=activity).aggregate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.REGISTERED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
    )
    attended = Attendance.objects.filter(activity=activity, status=AttendanceStatus.ATTENDED).count()
    own = None
    position = None
    if access.own_person_ids:
        own = (
            Registration.objects.filter(activity=activity, person_id__in=access.own_person_ids)
            .order_by("registered_at", "pk")
            .first()
        )
        if own is not None and own.status == RegistrationStatus.WAITING:
            ahead = Registration.objects.filter(activity=activity, status=RegistrationStatus.WAITING).filter(
                Q(registered_at__lt=own.registered_at) | Q(registered_at=own.registered_at, pk__lt=own.pk)
            )
            position = ahead.count() + 1
    deadline = activity.registration_deadline
    return ActivityPageFacts(
        activity=activity,
        themes=list(activity.themes.order_by("name")),
        programme=list(activity.programme.order_by("position", "day", "time", "pk")),
        literature=list(activity.literature.order_by("position", "pk")),
        registered=counts["registered"],
        waiting=counts["waiting"],
        cancelled=counts["cancelled"],
        attended=attended,
        can_manage=can_manage_activity(access, activity),
        own_registration=own,
        waiting_position=position,
        can_sign_up=bool(access.own_person_ids),
        registration_open=activity.starts_on >= today and (deadline is None or today <= deadline),
    )
