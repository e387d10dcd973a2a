"""Competence status per person × requirement for one year, computed from attendance and job shadowing.

A whole network costs a fixed number of queries (plan, requirements, memberships, activities, attendance,
shadowing); everything else happens in Python, so the same code serves one person's page and the network's
matrix.

Rules (docs/commands.md, `competence_status`):
- The year is evaluated as of 31 December, or as of today for the current year; a future year is an error.
- The plan is the network's version with the latest `valid_from` on or before that date.
- A once-requirement counts from the person's earliest resource-person membership start in the network; its
  deadline is that start plus `within_months`. It is met by qualifying attendance (or completed job shadowing)
  from the start up to the deadline and the evaluation date, both included; otherwise overdue once the
  deadline has passed, due before.
- A yearly requirement applies when the person's resource-person memberships cover at least
  `min_months_for_yearly` whole calendar months of the year; it is met by attendance at activities starting
  in the year (up to the evaluation date), otherwise overdue for a past year and due for the current one.
- Hours are the credited hours recorded on each attendance, so partial attendance counts as recorded.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import gc
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from fagnett.activities.models import Activity, Attendance, AttendanceStatus, Shadowing, ShadowingStatus
from fagnett.competence.models import CompetencePlan, CompetenceStatus, Requirement, RequirementKind
from fagnett.networks.models import Membership, Network, Person, Role

ZERO = Decimal(0)


@dataclass(frozen=True)
class CountingActivity:
    id: int
    title: str
    starts_on: dt.date
    hours: Decimal
    kind: str = ""


@dataclass(frozen=True)
class RequirementStatus:
    requirement: str
    name: str
    kind: str
    status: str
    hours: Decimal
    days: Decimal
    activities: tuple[CountingActivity, ...]
    deadline: dt.date | None
    # What the requirement asks, so a page can say what is left (the person's plan, reminders).
    activity_kinds: tuple[str, ...] = ()
    min_count: int = 0
    min_hours: Decimal | None = None
    min_days: Decimal | None = None

    @property
    def activity_titles(self) -> list[str]:
        return [activity.title for activity in self.activities]

    @property
    def count_left(self) -> int:
        if self.kind == RequirementKind.YEARLY_HOURS or not self.activity_kinds:
            return 0
        return max(self.min_count - len(self.activities), 0)

    @property
    def hours_left(self) -> Decimal:
        return max(self.min_hours - self.hours, ZERO) if self.min_hours is not None else ZERO

    @property
    def days_left(self) -> Decimal:
        return max(self.min_days - self.days, ZERO) if self.min_days is not None else ZERO


@dataclass(frozen=True)
class PersonCompetence:
    person_id: int
    email: str
    name: str
    first_start: dt.date
    months_in_year: int
    requirements: tuple[RequirementStatus, ...]
    # For filters and grouping: the chapters of the person's resource-person memberships that overlap the
    # year, and the municipality of their workplace (number, name), if any.
    chapter_ids: frozenset[int] = frozenset()
    municipality: tuple[str, str] | None = None

    @property
    def statuses(self) -> set[str]:
        return {status.status for status in self.requirements}


@dataclass(frozen=True)
class PlanFacts:
    id: int
    name: str
    valid_from: dt.date
    min_months_for_yearly: int


@dataclass(frozen=True)
class RequirementSummary:
    requirement: str
    name: str
    applicable: int
    met: int


@dataclass(frozen=True)
class NetworkCompetence:
    network_id: int
    year: int
    as_of: dt.date
    plan: PlanFacts | None
    persons: tuple[PersonCompetence, ...]
    summary: tuple[RequirementSummary, ...]


def evaluation_date(year: int, today: dt.date) -> dt.date:
    """31 December of a past year, today for the current year."""
    if year > today.year:
        raise ValueError(f"The year {year} has not begun.")
    return today if year == today.year else dt.date(year, 12, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31.01 + 1 month = 28/29.02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def network_status(
    network: Network,
    year: int,
    *,
    today: dt.date | None = None,
    person_ids: Collection[int] | None = None,
) -> NetworkCompetence:
    """Every resource person of the network in `year`, or only those in `person_ids` (a leader's staff); the
    summary counts the persons included."""
    ids = None if person_ids is None else frozenset(person_ids)
    return _compute(network.pk, year, today or timezone.localdate(), person_ids=ids)


def person_status(person: Person, year: int, *, today: dt.date | None = None) -> PersonCompetence | None:
    """The person's statuses, or None when they had no resource-person membership during the year."""
    facts = _compute(
        person.network_id, year, today or timezone.localdate(), person_ids=frozenset({person.pk})
    )
    return facts.persons[0] if facts.persons else None


def _compute(
    network_id: int, year: int, today: dt.date, *, person_ids: frozenset[int] | None
) -> NetworkCompetence:
    # A network of thousands of persons allocates hundreds of thousands of small objects that form no
    # reference cycles; the cyclic garbage collector would otherwise walk them again and again (a third of
    # the time at 20,000 persons). Reference counting still frees everything as usual.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _compute_all(network_id, year, today, person_ids=person_ids)
    finally:
        if enabled:
            gc.enable()


def _compute_all(
    network_id: int, year: int, today: dt.date, *, person_ids: frozenset[int] | None
) -> NetworkCompetence:
    as_of = evaluation_date(year, today)
    year_start = dt.date(year, 1, 1)

    plan = (
        CompetencePlan.objects.filter(network_id=network_id, valid_from__lte=as_of)
        .order_by("-valid_from")
        .first()
    )
    requirements = list(Requirement.objects.filter(plan=plan).order_by("position", "code")) if plan else []

    memberships = Membership.objects.filter(
        network_id=network_id, role__code=Role.RESOURCE_PERSON, start__lte=as_of
    )
    if person_ids is not None:
        memberships = memberships.filter(person_id__in=person_ids)
    periods: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    identity: dict[int, tuple[str, str]] = {}
    chapters: dict[int, set[int]] = defaultdict(set)
    places: dict[int, tuple[str, str]] = {}
    for pid, start, end, chapter_id, email, first, last, number, place in memberships.values_list(
        "person_id",
        "start",
        "end",
        "chapter_id",
        "person__email",
        "person__first_name",
        "person__last_name",
        "person__workplace__municipality__number",
        "person__workplace__municipality__display_name",
    ):
        periods[pid].append((start, end))
        identity[pid] = (email, f"{first} {last}".strip())
        if chapter_id is not None and (end is None or end >= year_start):
            chapters[pid].add(chapter_id)
        if number:
            places[pid] = (number, place)
    in_year = {
        pid for pid, spans in periods.items() if any(end is None or end >= year_start for _, end in spans)
    }
    earliest = min((start for spans in periods.values() for start, _ in spans), default=year_start)
    since = min(earliest, year_start)

    # The activities once, then attendance as bare ids and hours: a network's history has far fewer
    # activities than attendances, so this halves what the database returns and Python converts.
    activities = {
        pk: (title, kind, starts_on)
        for pk, title, kind, starts_on in Activity.objects.filter(
            network_id=network_id, starts_on__gte=since, starts_on__lte=as_of
        ).values_list("pk", "title", "kind", "starts_on")
    }
    attendances = Attendance.objects.filter(
        activity__network_id=network_id,
        status=AttendanceStatus.ATTENDED,
        activity__starts_on__gte=since,
        activity__starts_on__lte=as_of,
    )
    shadowings = Shadowing.objects.filter(
        network_id=network_id, status=ShadowingStatus.DONE, starts_on__gte=since, starts_on__lte=as_of
    )
    if person_ids is not None:
        attendances = attendances.filter(person_id__in=person_ids)
        shadowings = shadowings.filter(person_id__in=person_ids)
    attended: dict[int, dict[str, list[CountingActivity]]] = defaultdict(lambda: defaultdict(list))
    for pid, activity_id, hours in attendances.values_list("person_id", "activity_id", "hours"):
        title, kind, starts_on = activities[activity_id]
        attended[pid][kind].append(CountingActivity(activity_id, title, starts_on, hours, kind))
    shadowed: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for pid, starts_on, days in shadowings.values_list("person_id", "starts_on", "days"):
        shadowed[pid].append((starts_on, days))

    min_months = plan.min_months_for_yearly if plan else 0
    rules = [_Rule.of(requirement) for requirement in requirements]
    persons = []
    for pid in sorted(in_year, key=lambda p: (identity[p][0].lower(), p)):
        first_start = min(start for start, _ in periods[pid])
        months = _whole_months(periods[pid], year)
        statuses = tuple(
            _evaluate(
                rule,
                first_start=first_start,
                months=months,
                min_months=min_months,
                year=year,
                as_of=as_of,
                today=today,
                by_kind=attended.get(pid, {}),
                shadowed=shadowed.get(pid, []),
            )
            for rule in rules
        )
        email, name = identity[pid]
        persons.append(
            PersonCompetence(
                pid,
                email,
                name,
                first_start,
                months,
                statuses,
                chapter_ids=frozenset(chapters[pid]) if pid in chapters else _NO_CHAPTERS,
                municipality=places.get(pid),
            )
        )

    applicable = [0] * len(rules)
    met = [0] * len(rules)
    for person in persons:
        for i, status in enumerate(person.requirements):
            if status.status != _NOT_APPLICABLE:
                applicable[i] += 1
                met[i] += status.status == _MET
    summary = tuple(
        RequirementSummary(requirement=rule.code, name=rule.name, applicable=applicable[i], met=met[i])
        for i, rule in enumerate(rules)
    )
    plan_facts = (
        PlanFacts(plan.pk, plan.name, plan.valid_from, plan.min_months_for_yearly)
        if plan is not None
        else None
    )
    return NetworkCompetence(network_id, year, as_of, plan_facts, tuple(persons), summary)


def _whole_months(spans: list[tuple[dt.date, dt.date | None]], year: int) -> int:
    """Calendar months of `year` that the memberships cover from the first to the last day. An open
    membership counts to the end of the year, so a member since February is not exempt in March."""
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if any(start <= year_start and (end is None or end >= year_end) for start, end in spans):
        return 12  # the common case: a member all year
    clipped = sorted(
        (max(start, year_start), min(end or year_end, year_end))
        for start, end in spans
        if start <= year_end and (end is None or end >= year_start)
    )
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return sum(any(start <= first and end >= last for start, end in merged) for first, last in _months(year))


@functools.lru_cache(maxsize=64)
def _months(year: int) -> tuple[tuple[dt.date, dt.date], ...]:
    return tuple(
        (dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))
        for month in range(1, 13)
    )


@dataclass(frozen=True)
class _Rule:
    """A requirement prepared once per computation, so the per-person loop does no model or enum work."""

    code: str
    name: str
    kind: str
    kinds: tuple[str, ...]
    within_months: int | None
    min_count: int
    min_hours: Decimal | None
    min_days: Decimal | None

    @classmethod
    def of(cls, requirement: Requirement) -> _Rule:
        kind = str(requirement.kind)
        return cls(
            code=requirement.code,
            name=requirement.name,
            kind=kind,
            kinds=tuple(sorted(set(requirement.activity_kinds or []))),
            within_months=requirement.within_months if kind == _ONCE else None,
            min_count=requirement.min_count if kind != _YEARLY_HOURS else 0,
            min_hours=requirement.min_hours,
            min_days=requirement.min_shadowing_days if kind == _ONCE else None,
        )


# Plain strings in the hot loop: comparing and reading enum members costs more than the rest of the rule.
_ONCE = str(RequirementKind.ONCE)
_YEARLY_COUNT = str(RequirementKind.YEARLY_COUNT)
_YEARLY_HOURS = str(RequirementKind.YEARLY_HOURS)
_NO_CHAPTERS: frozenset[int] = frozenset()
_MET = str(CompetenceStatus.MET)
_DUE = str(CompetenceStatus.DUE)
_OVERDUE = str(CompetenceStatus.OVERDUE)
_NOT_APPLICABLE = str(CompetenceStatus.NOT_APPLICABLE)


@functools.lru_cache(maxsize=4096)
def _deadline(first_start: dt.date, months: int) -> dt.date:
    return add_months(first_start, months)


def _evaluate(
    rule: _Rule,
    *,
    first_start: dt.date,
    months: int,
    min_months: int,
    year: int,
    as_of: dt.date,
    today: dt.date,
    by_kind: dict[str, list[CountingActivity]],
    shadowed: list[tuple[dt.date, Decimal]],
) -> RequirementStatus:
    relevant = [a for kind in rule.kinds for a in by_kind.get(kind, ())]
    if rule.kind == _ONCE:
        deadline = _deadline(first_start, rule.within_months) if rule.within_months else None
        upper = min(as_of, deadline) if deadline else as_of
        counting = [a for a in relevant if first_start <= a.starts_on <= upper] if relevant else relevant
        hours = sum((a.hours for a in counting), ZERO) if counting else ZERO
        # Only a requirement that job shadowing can meet reports days, so the intro course shows none.
        days = (
            sum((d for start, d in shadowed if first_start <= start <= upper), ZERO)
            if rule.min_days is not None and shadowed
            else ZERO
        )
        by_activity = (
            bool(rule.kinds)
            and len(counting) >= max(rule.min_count, 1)
            and (rule.min_hours is None or hours >= rule.min_hours)
        )
        by_shadowing = rule.min_days is not None and days > 0 and days >= rule.min_days
        if by_activity or by_shadowing:
            status = _MET
        elif deadline is not None and deadline < as_of:
            status = _OVERDUE
        else:
            status = _DUE
    else:
        deadline = dt.date(year, 12, 31)
        year_start = dt.date(year, 1, 1)
        counting = [a for a in relevant if year_start <= a.starts_on <= as_of] if relevant else relevant
        hours = sum((a.hours for a in counting), ZERO) if counting else ZERO
        days = ZERO
        if rule.kind == _YEARLY_COUNT:
            satisfied = len(counting) >= rule.min_count
        else:
            satisfied = hours >= (rule.min_hours or ZERO)
        if months < min_months:
            status = _NOT_APPLICABLE
        elif satisfied:
            status = _MET
        elif year < today.year:
            status = _OVERDUE
        else:
            status = _DUE
    if len(counting) > 1:
        counting.sort(key=lambda a: (a.starts_on, a.title, a.id))
    return RequirementStatus(
        requirement=rule.code,
        name=rule.name,
        kind=rule.kind,
        status=status,
        hours=hours,
        days=days,
        activities=tuple(counting),
        deadline=deadline,
        activity_kinds=rule.kinds,
        min_count=rule.min_count,
        min_hours=rule.min_hours,
        min_days=rule.min_days,
    )
