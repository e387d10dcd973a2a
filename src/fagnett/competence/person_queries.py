"""Reads for a person's competence-plan page and a leader's view of their staff.

Every status comes from the engine (competence.engine), the same code the matrix and the CLI use; this module
only adds what the pages need around it: the years to choose from, what is left in words, the upcoming
activities that would count, and the coordinators to ask about job shadowing. Each function runs a fixed
number of queries however long the person's history is.

Choices where the issue is silent:
- A year outside the person's years (before their first resource-person membership, in the future, or not a
  number) shows the current year.
- "What is next" is about today, so it is shown for the current year only. Only requirements that are due
  can still be met (an overdue once-requirement's deadline has passed); an activity counts towards one when
  its kind is among the requirement's kinds and it starts between today and the deadline (31 December for a
  yearly requirement, no limit for a once-requirement without a deadline).
- An activity is offered when the person is signed up already (shown as such) or when sign-up is open for
  them by the rules of activities.registration (deadline, start, audience). Local chapters do not restrict
  sign-up there, so they do not here either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from fagnett.activities.emails import format_hours
from fagnett.activities.models import Activity, Registration, RegistrationStatus
from fagnett.activities.registration import audience_includes, registration_closed_reason
from fagnett.competence.engine import (
    PersonCompetence,
    PlanFacts,
    RequirementStatus,
    RequirementSummary,
    network_status,
)
from fagnett.competence.models import CompetenceStatus, RequirementKind
from fagnett.competence.queries import competence_years
from fagnett.competence.words import left_in_words, shadowing_text
from fagnett.networks.access import NetworkAccess
from fagnett.networks.models import Membership, Person, Role

# Words --------------------------------------------------------------------------------------------------


def months_rule(min_months: int, *, own: bool) -> str:
    """The rule for yearly requirements, as the page states it."""
    if own:
        if min_months == 1:
            return _("Yearly requirements apply in a year you have been a member for at least one month.")
        return _(
            "Yearly requirements apply in a year you have been a member for at least %(months)s months."
        ) % {"months": min_months}
    if min_months == 1:
        return _("Yearly requirements apply in a year the person has been a member for at least one month.")
    return _(
        "Yearly requirements apply in a year the person has been a member for at least %(months)s months."
    ) % {"months": min_months}


# The person's page --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountedLine:
    """An activity that counted towards a requirement, ready to show."""

    activity_id: int
    title: str
    starts_on: dt.date
    hours: str


@dataclass(frozen=True)
class RequirementLine:
    status: RequirementStatus
    counted: tuple[CountedLine, ...]
    # "1 activity and 4 hours left"; empty when met or not applicable.
    left: str
    # Days of job shadowing that counted, in words; empty for requirements job shadowing cannot meet.
    shadowing: str

    @property
    def is_once(self) -> bool:
        return self.status.kind == RequirementKind.ONCE

    @property
    def is_met(self) -> bool:
        return self.status.status == CompetenceStatus.MET

    @property
    def is_open(self) -> bool:
        return self.status.status in (CompetenceStatus.DUE, CompetenceStatus.OVERDUE)

    @property
    def is_not_applicable(self) -> bool:
        return self.status.status == CompetenceStatus.NOT_APPLICABLE


@dataclass(frozen=True)
class UpcomingActivity:
    activity: Activity
    # The person's registration: RegistrationStatus.REGISTERED or WAITING, '' for none (or cancelled).
    own_status: str
    registered: int
    counts_towards: tuple[str, ...]

    @property
    def is_registered(self) -> bool:
        return self.own_status == RegistrationStatus.REGISTERED

    @property
    def is_waiting(self) -> bool:
        return self.own_status == RegistrationStatus.WAITING

    @property
    def is_full(self) -> bool:
        capacity = self.activity.capacity
        return capacity is not None and self.registered >= capacity


@dataclass(frozen=True)
class ShadowingNeed:
    """A due requirement that job shadowing meets: its name, deadline and what is left in words."""

    name: str
    deadline: dt.date | None
    left: str


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


@dataclass(frozen=True)
class PersonPlanFacts:
    person: Person
    year: int
    years: tuple[int, ...]
    as_of: dt.date
    is_current_year: bool
    plan: PlanFacts | None
    # None when the person had no resource-person membership during the year.
    competence: PersonCompetence | None
    lines: tuple[RequirementLine, ...]
    upcoming: tuple[UpcomingActivity, ...]
    # Due requirements that job shadowing meets, and due requirements with activity kinds but nothing coming.
    shadowing_due: tuple[ShadowingNeed, ...]
    nothing_coming: tuple[RequirementStatus, ...]
    coordinators: tuple[Contact, ...]

    @property
    def has_next_steps(self) -> bool:
        return bool(self.upcoming or self.shadowing_due or self.nothing_coming)


def choose_year(requested: int | None, years: Collection[int], today: dt.date) -> int:
    return requested if requested is not None and requested in years else today.year


def _line(status: RequirementStatus) -> RequirementLine:
    counted = tuple(CountedLine(a.id, a.title, a.starts_on, format_hours(a.hours)) for a in status.activities)
    is_open = status.status in (CompetenceStatus.DUE, CompetenceStatus.OVERDUE)
    shadowing = shadowing_text(status.days) if status.min_days is not None and status.days else ""
    return RequirementLine(status, counted, left_in_words(status) if is_open else "", shadowing)


def _upcoming(person: Person, due: list[RequirementStatus], today: dt.date) -> tuple[UpcomingActivity, ...]:
    """The network's activities from today that count towards a due requirement and that the person is
    signed up for or may sign up for, in one query plus at most one audience check per audience."""
    wanted = [status for status in due if status.activity_kinds]
    if not wanted:
        return ()
    kinds = sorted({kind for status in wanted for kind in status.activity_kinds})
    activities = Activity.objects.filter(network_id=person.network_id, kind__in=kinds, starts_on__gte=today)
    deadlines = [status.deadline for status in wanted]
    if all(deadline is not None for deadline in deadlines):
        activities = activities.filter(starts_on__lte=max(d for d in deadlines if d is not None))
    own = Registration.objects.filter(activity=OuterRef("pk"), person=person).values("status")[:1]
    rows = activities.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)
        ),
        own_status=Subquery(own),
    ).order_by("starts_on", "start_time", "title", "pk")
    # Whether the audience includes the person depends only on the audience (and the person), so it is
    # asked once per audience rather than once per activity.
    audience: dict[str, bool] = {}
    result = []
    for activity in rows:
        counts_towards = tuple(
            status.name
            for status in wanted
            if activity.kind in status.activity_kinds
            and (status.deadline is None or activity.starts_on <= status.deadline)
        )
        if not counts_towards:
            continue
        own_status = activity.own_status or ""
        if own_status not in (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING):
            own_status = ""
            if registration_closed_reason(activity, today) is not None:
                continue
            if activity.audience not in audience:
                audience[activity.audience] = audience_includes(activity, person, today)
            if not audience[activity.audience]:
                continue
        result.append(UpcomingActivity(activity, own_status, activity.registered_count, counts_towards))
    return tuple(result)


def _coordinators(person: Person, chapter_ids: Collection[int], today: dt.date) -> tuple[Contact, ...]:
    """The network's coordinators and those of the person's local chapters: whom to ask about shadowing."""
    rows = (
        Membership.objects.active_on(today)
        .filter(network_id=person.network_id, role__code__in=Role.COORDINATING_CODES)
        .filter(Q(chapter__isnull=True) | Q(chapter_id__in=list(chapter_ids)))
        .order_by("person__first_name", "person__last_name", "person__email")
        .values_list("person__first_name", "person__last_name", "person__email")
        .distinct()
    )
    return tuple(Contact(f"{first} {last}".strip(), email) for first, last, email in rows)


def person_plan_facts(person: Person, requested_year: int | None, today: dt.date) -> PersonPlanFacts:
    """Everything the person's plan page shows for a year, in a fixed number of queries."""
    years = tuple(sorted(competence_years(person.network, today, person_ids=[person.pk])))
    year = choose_year(requested_year, years, today)
    # The engine's network answer limited to this person: person_status() with the plan's facts beside it.
    network_facts = network_status(person.network, year, today=today, person_ids=[person.pk])
    competence = network_facts.persons[0] if network_facts.persons else None
    statuses = competence.requirements if competence else ()
    is_current_year = year == today.year
    due = [s for s in statuses if s.status == CompetenceStatus.DUE] if is_current_year else []
    upcoming = _upcoming(person, due, today)
    covered = {name for line in upcoming for name in line.counts_towards}
    shadowing_due = tuple(
        ShadowingNeed(s.name, s.deadline, left_in_words(s))
        for s in due
        if s.min_days is not None and s.days_left
    )
    nothing_coming = tuple(s for s in due if s.activity_kinds and s.name not in covered)
    coordinators = (
        _coordinators(person, competence.chapter_ids, today) if competence and shadowing_due else ()
    )
    return PersonPlanFacts(
        person=person,
        year=year,
        years=years,
        as_of=network_facts.as_of,
        is_current_year=is_current_year,
        plan=network_facts.plan,
        competence=competence,
        lines=tuple(_line(status) for status in statuses),
        upcoming=upcoming,
        shadowing_due=shadowing_due,
        nothing_coming=nothing_coming,
        coordinators=coordinators,
    )


# The leader's staff -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    competence: PersonCompetence
    overdue: int
    due: int


@dataclass(frozen=True)
class StaffFacts:
    year: int
    years: tuple[int, ...]
    as_of: dt.date
    is_current_year: bool
    plan: PlanFacts | None
    requirements: tuple[RequirementSummary, ...]
    # Overdue first, then due, then by name.
    rows: tuple[StaffRow, ...]

    @property
    def with_overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)

    @property
    def with_due(self) -> int:
        return sum(1 for row in self.rows if row.due)


def staff_facts(access: NetworkAccess, requested_year: int | None, today: dt.date) -> StaffFacts:
    """The leader's staff who are resource persons in the year, with their statuses (fixed queries)."""
    network = access.network
    staff_ids = list(
        Person.objects.filter(network=network).filter(access.staff_filter()).values_list("pk", flat=True)
    )
    years = tuple(sorted(competence_years(network, today, person_ids=staff_ids)))
    year = choose_year(requested_year, years, today)
    facts = network_status(network, year, today=today, person_ids=staff_ids)
    rows = [
        StaffRow(
            person,
            overdue=sum(s.status == CompetenceStatus.OVERDUE for s in person.requirements),
            due=sum(s.status == CompetenceStatus.DUE for s in person.requirements),
        )
        for person in facts.persons
    ]
    rows.sort(key=lambda row: (-row.overdue, -row.due, row.competence.name.lower(), row.competence.person_id))
    return StaffFacts(
        year=year,
        years=years,
        as_of=facts.as_of,
        is_current_year=year == today.year,
        plan=facts.plan,
        requirements=facts.summary,
        rows=tuple(rows),
    )
