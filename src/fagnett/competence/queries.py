"""Reads for the coordinator's competence pages: the plan's versions and requirements in words, the network
summary (this year against last year) and the matrix of persons × requirements with its export.

Every status comes from competence.engine; nothing here decides whether a requirement is met. Each function
costs a fixed number of queries whatever the number of persons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Min
from django.http import Http404
from django.utils.translation import gettext as _

from fagnett.activities.models import ActivityKind
from fagnett.competence.engine import NetworkCompetence, PersonCompetence, RequirementStatus, network_status
from fagnett.competence.models import CompetencePlan, CompetenceStatus, Requirement, RequirementKind
from fagnett.competence.words import activities_text, days_text, hours_text, shadowing_text
from fagnett.networks.access import NetworkAccess
from fagnett.networks.models import LocalChapter, Membership, Network, Role

# The earliest year a page can be asked about; a year before any membership simply shows nobody.


# Years -----------------------------------------------------------------------------------------------------


def competence_years(
    network: Network,
    today: dt.date,
    *,
    include: int | None = None,
    person_ids: Collection[int] | None = None,
) -> list[int]:
    """The years worth offering, newest first: from the first resource-person membership in the network (of
    the persons in `person_ids`, when given), or `include` when earlier, to this year (one query)."""
    memberships = Membership.objects.filter(network=network, role__code=Role.RESOURCE_PERSON)
    if person_ids is not None:
        memberships = memberships.filter(person_id__in=person_ids)
    first = memberships.aggregate(first=Min("start"))["first"]
    # A membership entered ahead of its start still leaves this year to show.
    start = min(first.year, today.year) if first is not None else today.year
    if include is not None:
        start = min(start, include)
    return list(range(today.year, start - 1, -1))


# Plan versions and requirements in words ---------------------------------------------------------------


@dataclass(frozen=True)
class PlanVersion:
    plan: CompetencePlan
    requirement_count: int
    governs_today: bool
    # The last day it governs, the day before the next version's valid-from date; None for the newest.
    valid_until: dt.date | None


@dataclass(frozen=True)
class PlanVersions:
    versions: tuple[PlanVersion, ...]  # newest valid-from first

    @property
    def governing(self) -> PlanVersion | None:
        return next((version for version in self.versions if version.governs_today), None)

    @property
    def only_one(self) -> bool:
        return len(self.versions) == 1


def plan_versions(network: Network, today: dt.date) -> PlanVersions:
    """The network's versions with their number of requirements and which one governs today (one query)."""
    plans = list(
        CompetencePlan.objects.filter(network=network)
        .annotate(requirement_count=Count("requirements"))
        .order_by("-valid_from")
    )
    governing = next((plan.pk for plan in plans if plan.valid_from <= today), None)
    versions = []
    for index, plan in enumerate(plans):
        newer = plans[index - 1] if index > 0 else None
        versions.append(
            PlanVersion(
                plan=plan,
                requirement_count=plan.requirement_count,
                governs_today=plan.pk == governing,
                valid_until=newer.valid_from - dt.timedelta(days=1) if newer is not None else None,
            )
        )
    return PlanVersions(tuple(versions))


def plan_for_access(access: NetworkAccess, pk: int) -> CompetencePlan:
    """A version of the network's plan, or 404 (another network's version is as missing as none)."""
    plan = CompetencePlan.objects.select_related("network").filter(network=access.network, pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def requirement_for_access(access: NetworkAccess, pk: int) -> Requirement:
    requirement = (
        Requirement.objects.select_related("plan__network")
        .filter(plan__network=access.network, pk=pk)
        .first()
    )
    if requirement is None:
        raise Http404
    return requirement


def _kinds_text(codes: list[str] | tuple[str, ...]) -> str:
    labels = dict(ActivityKind.choices)
    names = [str(labels.get(code, code)) for code in codes]
    if len(names) <= 1:
        return "".join(names)
    return _("%(items)s or %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}


def describe_requirement(requirement: Requirement) -> str:
    """What the requirement asks, in one sentence: "At least 1 Introductory course with at least 6 hours
    within 12 months of starting", "Every year: at least 2 Network gathering"."""
    kinds = _kinds_text(list(requirement.activity_kinds or []))
    if requirement.kind == RequirementKind.YEARLY_COUNT:
        return _("Every year: at least %(count)s %(kinds)s") % {
            "count": requirement.min_count,
            "kinds": kinds,
        }
    if requirement.kind == RequirementKind.YEARLY_HOURS:
        return _("Every year: at least %(hours)s credited from %(kinds)s") % {
            "hours": hours_text(requirement.min_hours or Decimal(0)),
            "kinds": kinds,
        }
    parts = []
    if kinds:
        text = _("at least %(count)s %(kinds)s") % {"count": max(requirement.min_count, 1), "kinds": kinds}
        if requirement.min_hours is not None:
            text = _("%(activities)s with at least %(hours)s") % {
                "activities": text,
                "hours": hours_text(requirement.min_hours),
            }
        parts.append(text)
    if requirement.min_shadowing_days is not None:
        parts.append(
            _("job shadowing of at least %(days)s") % {"days": days_text(requirement.min_shadowing_days)}
        )
    what = (
        _("%(first)s or %(second)s") % {"first": parts[0], "second": parts[1]}
        if len(parts) == 2
        else "".join(parts)
    )
    months = requirement.within_months or 0
    sentence = (
        _("%(what)s within %(months)s month of starting")
        if months == 1
        else _("%(what)s within %(months)s months of starting")
    ) % {"what": what, "months": months}
    return sentence[:1].upper() + sentence[1:]


@dataclass(frozen=True)
class RequirementLine:
    requirement: Requirement
    description: str
    kind_label: str
    activity_kinds: str


@dataclass(frozen=True)
class PlanDetail:
    plan: CompetencePlan
    version: PlanVersion
    only_one: bool
    requirements: tuple[RequirementLine, ...]


def plan_detail_facts(plan: CompetencePlan, today: dt.date) -> PlanDetail:
    versions = plan_versions(plan.network, today)
    version = next(v for v in versions.versions if v.plan.pk == plan.pk)
    kind_labels = dict(RequirementKind.choices)
    lines = tuple(
        RequirementLine(
            requirement=requirement,
            description=describe_requirement(requirement),
            kind_label=str(kind_labels.get(requirement.kind, requirement.kind)),
            activity_kinds=_kinds_text(list(requirement.activity_kinds or [])),
        )
        for requirement in plan.requirements.order_by("position", "code")
    )
    return PlanDetail(plan=plan, version=version, only_one=versions.only_one, requirements=lines)


# Summary -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    applicable: int
    met: int

    @property
    def percent(self) -> int | None:
        """Share met, rounded half up to a whole percent; None when the requirement applied to nobody."""
        if self.applicable == 0:
            return None
        return (200 * self.met + self.applicable) // (2 * self.applicable)


@dataclass(frozen=True)
class SummaryRow:
    code: str
    name: str
    this_year: Share | None  # None: not in that year's plan
    last_year: Share | None

    @property
    def shares(self) -> tuple[Share | None, Share | None]:
        return self.this_year, self.last_year


@dataclass(frozen=True)
class SummaryFacts:
    year: int
    last_year: int
    as_of: dt.date
    persons: int
    last_year_persons: int
    min_months_for_yearly: int | None
    plan_name: str | None
    last_year_plan_name: str | None
    rows: tuple[SummaryRow, ...]

    @property
    def same_plan(self) -> bool:
        return self.plan_name == self.last_year_plan_name


def summary_facts(network: Network, year: int, today: dt.date) -> SummaryFacts:
    """Per requirement, how many it applied to and how many met it, in `year` and the year before (two
    engine calls). A requirement in only one of the two years' plans has no figures for the other."""
    current = network_status(network, year, today=today)
    previous = network_status(network, year - 1, today=today)
    now = {row.requirement: row for row in current.summary}
    before = {row.requirement: row for row in previous.summary}
    codes = [row.requirement for row in current.summary]
    codes += [row.requirement for row in previous.summary if row.requirement not in now]
    rows = tuple(
        SummaryRow(
            code=code,
            name=(now.get(code) or before[code]).name,
            this_year=Share(now[code].applicable, now[code].met) if code in now else None,
            last_year=Share(before[code].applicable, before[code].met) if code in before else None,
        )
        for code in codes
    )
    return SummaryFacts(
        year=year,
        last_year=year - 1,
        as_of=current.as_of,
        persons=len(current.persons),
        last_year_persons=len(previous.persons),
        min_months_for_yearly=current.plan.min_months_for_yearly if current.plan else None,
        plan_name=current.plan.name if current.plan else None,
        last_year_plan_name=previous.plan.name if previous.plan else None,
        rows=rows,
    )


# Matrix --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixColumn:
    code: str
    name: str


@dataclass(frozen=True)
class MatrixCell:
    status: RequirementStatus

    @property
    def detail(self) -> str:
        """Hours, number of activities and days of job shadowing that count, for the small text under the
        status word."""
        status = self.status
        parts = []
        if status.activity_kinds:
            parts.append(activities_text(len(status.activities)))
            parts.append(hours_text(status.hours))
        if status.min_days is not None:
            parts.append(shadowing_text(status.days))
        return ", ".join(parts)


@dataclass(frozen=True)
class MatrixRow:
    person: PersonCompetence
    cells: tuple[MatrixCell, ...]

    @property
    def municipality_name(self) -> str:
        return self.person.municipality[1] if self.person.municipality else ""


@dataclass(frozen=True)
class MatrixFilters:
    chapter_id: int | None = None
    municipality: str = ""
    status: str = ""


@dataclass(frozen=True)
class Matrix:
    year: int
    as_of: dt.date
    plan_name: str | None
    columns: tuple[MatrixColumn, ...]
    rows: tuple[MatrixRow, ...]  # every person the user may see, before filters
    chapters: tuple[tuple[int, str, str], ...]  # (id, slug, name) the user may filter by
    municipalities: tuple[tuple[str, str], ...]  # (number, name) of the persons' workplaces

    def filtered(self, filters: MatrixFilters) -> list[MatrixRow]:
        rows = list(self.rows)
        if filters.chapter_id is not None:
            rows = [row for row in rows if filters.chapter_id in row.person.chapter_ids]
        if filters.municipality:
            rows = [
                row
                for row in rows
                if row.person.municipality and row.person.municipality[0] == filters.municipality
            ]
        if filters.status:
            rows = [row for row in rows if filters.status in row.person.statuses]
        return rows


def _visible(access: NetworkAccess, person: PersonCompetence) -> bool:
    # A chapter coordinator sees the persons whose resource-person memberships in the year were in their
    # chapters, the same rule as the roster's.
    return access.is_coordinator or bool(person.chapter_ids & access.chapter_ids)


def person_matrix(access: NetworkAccess, year: int, today: dt.date) -> Matrix:
    """The persons × requirements of `year` that the user may see (the engine's six queries and one for
    the chapters)."""
    status: NetworkCompetence = network_status(access.network, year, today=today)
    persons = [person for person in status.persons if _visible(access, person)]
    persons.sort(key=lambda p: (p.name.casefold(), p.email.casefold(), p.person_id))
    chapters = LocalChapter.objects.filter(network=access.network).order_by("name")
    if not access.is_coordinator:
        chapters = chapters.filter(pk__in=access.chapter_ids)
    places = sorted({p.municipality for p in persons if p.municipality}, key=lambda m: (m[1], m[0]))
    return Matrix(
        year=year,
        as_of=status.as_of,
        plan_name=status.plan.name if status.plan else None,
        columns=tuple(MatrixColumn(row.requirement, row.name) for row in status.summary),
        rows=tuple(
            MatrixRow(person, tuple(MatrixCell(s) for s in person.requirements)) for person in persons
        ),
        chapters=tuple(chapters.values_list("pk", "slug", "name")),
        municipalities=tuple(places),
    )


ExportValue = str | Decimal


def export_header(columns: tuple[MatrixColumn, ...]) -> list[str]:
    header = [_("Name"), _("E-mail"), _("Municipality")]
    for column in columns:
        header.append(_("%(requirement)s: status") % {"requirement": column.name})
        header.append(_("%(requirement)s: hours") % {"requirement": column.name})
    return header


def export_rows(rows: list[MatrixRow]) -> list[list[ExportValue]]:
    """One row per person: name, e-mail, municipality, then each requirement's status word and hours."""
    lines: list[list[ExportValue]] = []
    for row in rows:
        line: list[ExportValue] = [row.person.name, row.person.email, row.municipality_name]
        for cell in row.cells:
            line.append(str(CompetenceStatus(cell.status.status).label))
            line.append(cell.status.hours)
        lines.append(line)
    return lines
