"""Reads for the organisation pages (workplaces, groups, local chapters, settings).

Each function runs a fixed number of queries however many rows the network has; the figures are computed
from memberships, never stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from fagnett.networks.models import (
    Group,
    GroupKind,
    LocalChapter,
    Membership,
    Network,
    Person,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.places.models import County, Municipality


def _active_resource_person(prefix: str, day: dt.date) -> Q:
    """Active resource-person memberships on `day`, reached through `prefix` (a relation path)."""
    return (
        Q(**{f"{prefix}role__code": Role.RESOURCE_PERSON})
        & Q(**{f"{prefix}start__lte": day})
        & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day}))
    )


@dataclass(frozen=True)
class WorkplaceRow:
    workplace: Workplace
    active_resource_persons: int

    @property
    def is_hospital_unit(self) -> bool:
        return self.workplace.service_type.code == ServiceType.HOSPITAL_UNIT


def workplace_rows(
    network: Network,
    day: dt.date,
    *,
    service_type: ServiceType | None = None,
    municipality: Municipality | None = None,
) -> list[WorkplaceRow]:
    """The network's workplaces with their number of active resource persons on `day` (one query)."""
    workplaces = (
        Workplace.objects.filter(network=network)
        .select_related("service_type", "municipality", "health_trust")
        .annotate(
            active=Count(
                "persons",
                filter=_active_resource_person("persons__memberships__", day),
                distinct=True,
            )
        )
        .order_by("name", "pk")
    )
    if service_type is not None:
        workplaces = workplaces.filter(service_type=service_type)
    if municipality is not None:
        workplaces = workplaces.filter(municipality=municipality)
    return [WorkplaceRow(workplace=w, active_resource_persons=w.active) for w in workplaces]


@dataclass(frozen=True)
class GroupRow:
    group: Group
    member_count: int


@dataclass(frozen=True)
class GroupSection:
    kind: str
    label: str
    rows: list[GroupRow]


def group_sections(network: Network) -> list[GroupSection]:
    """The network's groups by kind, steering group first as in the annual report (one query)."""
    groups = (
        Group.objects.filter(network=network).annotate(member_count=Count("members")).order_by("name", "pk")
    )
    by_kind: dict[str, list[GroupRow]] = {kind: [] for kind in GroupKind.values}
    for group in groups:
        by_kind[group.kind].append(GroupRow(group=group, member_count=group.member_count))
    return [
        GroupSection(kind=kind, label=str(label), rows=by_kind[kind]) for kind, label in GroupKind.choices
    ]


@dataclass(frozen=True)
class ChapterRow:
    chapter: LocalChapter
    municipalities: list[Municipality]
    active_resource_persons: int
    coordinators: list[Person]


def chapter_rows(network: Network, day: dt.date) -> list[ChapterRow]:
    """Each local chapter with its municipalities, the number of active resource persons whose membership
    is with the chapter, and its coordinators on `day` (three queries)."""
    coordinators = (
        Membership.objects.active_on(day)
        .filter(role__code=Role.COORDINATOR)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    chapters = (
        LocalChapter.objects.filter(network=network)
        .annotate(
            active=Count(
                "memberships__person", filter=_active_resource_person("memberships__", day), distinct=True
            )
        )
        .prefetch_related(
            Prefetch("municipalities", queryset=Municipality.objects.order_by("display_name")),
            Prefetch("memberships", queryset=coordinators, to_attr="coordinator_memberships"),
        )
        .order_by("name", "pk")
    )
    rows = []
    for chapter in chapters:
        persons: dict[int, Person] = {}
        for membership in chapter.coordinator_memberships:
            persons.setdefault(membership.person_id, membership.person)
        rows.append(
            ChapterRow(
                chapter=chapter,
                municipalities=list(chapter.municipalities.all()),
                active_resource_persons=chapter.active,
                coordinators=list(persons.values()),
            )
        )
    return rows


def chapters_outside_area(network: Network, municipality_ids: Iterable[int]) -> dict[str, list[str]]:
    """Local chapters that cover municipalities outside a proposed area: chapter name → municipality names.
    The settings page refuses to shrink the area from under a chapter, since a chapter's area is part of
    the network's (one query)."""
    links = (
        LocalChapter.municipalities.through.objects.filter(localchapter__network=network)
        .exclude(municipality_id__in=set(municipality_ids))
        .order_by("localchapter__name", "municipality__display_name")
        .values_list("localchapter__name", "municipality__display_name")
    )
    outside: dict[str, list[str]] = {}
    for chapter_name, municipality_name in links:
        outside.setdefault(chapter_name, []).append(municipality_name)
    return outside


@dataclass(frozen=True)
class CountyChoices:
    county: County
    municipalities: list[tuple[Municipality, bool]]

    @property
    def selected(self) -> int:
        return sum(1 for _, checked in self.municipalities if checked)


def municipalities_by_county(
    municipalities: Iterable[Municipality], selected: set[int]
) -> list[CountyChoices]:
    """Group municipalities (with `county` selected) for the area checkboxes, in county-number order."""
    counties: dict[int, CountyChoices] = {}
    for municipality in municipalities:
        entry = counties.get(municipality.county_id)
        if entry is None:
            entry = counties[municipality.county_id] = CountyChoices(
                county=municipality.county, municipalities=[]
            )
        entry.municipalities.append((municipality, municipality.pk in selected))
    return sorted(counties.values(), key=lambda c: c.county.number)
