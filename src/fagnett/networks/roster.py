"""Scoped reads for the roster pages: the filtered, sorted list of persons, the person page and the export.

Every function runs a fixed number of queries whatever the number of persons (the pages assert it in tests):
persons come with their workplace, municipality and service type joined, and their memberships (with role and
chapter) prefetched in one query.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _

from fagnett.networks.access import NetworkAccess
from fagnett.networks.models import LocalChapter, Membership, Person, Role, ServiceType
from fagnett.places.models import Municipality

PAGE_SIZE = 50


class Status(enum.StrEnum):
    """The status filter. `avsluttet` is everyone not active today, so `aktiv` + `avsluttet` = `alle`."""

    ACTIVE = "aktiv"
    ENDED = "avsluttet"
    ALL = "alle"


class Sort(enum.StrEnum):
    NAME = "navn"
    NAME_DESC = "-navn"
    MUNICIPALITY = "kommune"
    WORKPLACE = "arbeidssted"
    START = "start"


STATUS_LABELS = {
    Status.ACTIVE: _("Active today"),
    Status.ENDED: _("Not active today"),
    Status.ALL: _("All"),
}
SORT_LABELS = {
    Sort.NAME: _("Name (A–Å)"),
    Sort.NAME_DESC: _("Name (Å–A)"),
    Sort.MUNICIPALITY: _("Municipality"),
    Sort.WORKPLACE: _("Workplace"),
    Sort.START: _("First start date"),
}

# Ties are broken by name and then pk, so that pages never repeat or skip a person.
_ORDERINGS: dict[Sort, tuple[str | OrderBy, ...]] = {
    Sort.NAME: ("last_name", "first_name", "pk"),
    Sort.NAME_DESC: ("-last_name", "-first_name", "-pk"),
    Sort.MUNICIPALITY: (
        F("workplace__municipality__name").asc(nulls_last=True),
        "last_name",
        "first_name",
        "pk",
    ),
    Sort.WORKPLACE: (F("workplace__name").asc(nulls_last=True), "last_name", "first_name", "pk"),
    Sort.START: (F("first_start").asc(nulls_last=True), "last_name", "first_name", "pk"),
}


@dataclass(frozen=True)
class RosterFilters:
    """What the coordinator asked for, already validated (unknown values are simply not applied)."""

    q: str = ""
    municipality: str = ""  # municipality number
    service_type: str = ""  # service type code
    profession: str = ""
    chapter: str = ""  # chapter slug
    role: str = ""  # role code
    status: Status = Status.ACTIVE
    sort: Sort = Sort.NAME

    @property
    def sort_label(self) -> str:
        return str(SORT_LABELS[self.sort])

    def membership_condition(self) -> Q:
        """The role and chapter asked for, as a condition on one membership (both on the same one)."""
        condition = Q()
        if self.chapter:
            condition &= Q(chapter__slug=self.chapter)
        if self.role:
            condition &= Q(role__code=self.role)
        return condition

    def matches(self, membership: Membership, today: dt.date) -> bool:
        """The same as membership_condition (plus status), in Python, for the prefetched memberships."""
        if self.chapter and (membership.chapter is None or membership.chapter.slug != self.chapter):
            return False
        if self.role and membership.role.code != self.role:
            return False
        return self.status is not Status.ACTIVE or membership.is_active_on(today)


class PersonStatus(enum.Enum):
    ACTIVE = "active"
    ENDED = "ended"
    NOT_STARTED = "not_started"
    NO_MEMBERSHIP = "none"


PERSON_STATUS_LABELS = {
    PersonStatus.ACTIVE: _("Active"),
    PersonStatus.ENDED: _("Ended"),
    PersonStatus.NOT_STARTED: _("Not started"),
    PersonStatus.NO_MEMBERSHIP: _("No membership"),
}


def person_status(memberships: Sequence[Membership], today: dt.date) -> PersonStatus:
    if not memberships:
        return PersonStatus.NO_MEMBERSHIP
    if any(m.is_active_on(today) for m in memberships):
        return PersonStatus.ACTIVE
    if any(m.start <= today for m in memberships):
        return PersonStatus.ENDED
    return PersonStatus.NOT_STARTED


@dataclass(frozen=True)
class RosterRow:
    person: Person
    memberships: tuple[Membership, ...]  # the ones the filters ask about, newest first
    status: PersonStatus

    @property
    def status_label(self) -> str:
        return str(PERSON_STATUS_LABELS[self.status])

    @property
    def is_active(self) -> bool:
        return self.status is PersonStatus.ACTIVE

    @property
    def chapters(self) -> list[str]:
        return _distinct(m.chapter.name for m in self.memberships if m.chapter is not None)

    @property
    def roles(self) -> list[str]:
        return _distinct(m.role.name for m in self.memberships)


def _distinct(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


@dataclass(frozen=True)
class RosterChoices:
    """The values the filter selects offer, read from the network's data."""

    municipalities: list[tuple[str, str]]
    service_types: list[tuple[str, str]]
    professions: list[str]
    chapters: list[tuple[str, str]]
    roles: list[tuple[str, str]]


def roster_choices(access: NetworkAccess) -> RosterChoices:
    """Five queries. Professions come only from the persons the user may see (they are personal data)."""
    network = access.network
    municipalities = (
        Municipality.objects.filter(Q(networks=network) | Q(workplaces__network=network))
        .distinct()
        .order_by("name", "number")
        .values_list("number", "display_name")
    )
    service_types = ServiceType.objects.for_network(network).order_by("name").values_list("code", "name")
    professions = (
        Person.objects.filter(pk__in=access.visible_persons().values("pk"))
        .exclude(profession="")
        .order_by("profession")
        .values_list("profession", flat=True)
        .distinct()
    )
    chapters = LocalChapter.objects.filter(network=network).order_by("name").values_list("slug", "name")
    roles = Role.objects.for_network(network).order_by("name").values_list("code", "name")
    return RosterChoices(
        municipalities=list(municipalities),
        service_types=_distinct_pairs(service_types),
        professions=list(professions),
        chapters=list(chapters),
        roles=_distinct_pairs(roles),
    )


def _distinct_pairs(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    # A network may have its own entry with a built-in code; the filter matches by code, so offer it once.
    seen: dict[str, str] = {}
    for code, name in pairs:
        seen.setdefault(code, name)
    return list(seen.items())


def _memberships_prefetch() -> Prefetch[str]:
    return Prefetch(
        "memberships",
        queryset=Membership.objects.select_related("role", "chapter").order_by("-start", "-pk"),
    )


def filtered_persons(access: NetworkAccess, filters: RosterFilters, today: dt.date) -> QuerySet[Person]:
    """The persons the user may see that match the filters, sorted; one query when evaluated.

    Filtering by pk__in (rather than on visible_persons() itself) keeps the rows distinct without DISTINCT,
    so sorting by related columns and counting stay simple.
    """
    persons = Person.objects.filter(pk__in=access.visible_persons().values("pk"))
    if filters.q:
        for term in filters.q.split():
            persons = persons.filter(
                Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(email__icontains=term)
            )
    if filters.municipality:
        persons = persons.filter(workplace__municipality__number=filters.municipality)
    if filters.service_type:
        persons = persons.filter(workplace__service_type__code=filters.service_type)
    if filters.profession:
        persons = persons.filter(profession=filters.profession)

    network_memberships = Membership.objects.filter(network=access.network)
    asked = network_memberships.filter(filters.membership_condition())
    active_asked = asked.active_on(today)
    has_membership_filter = bool(filters.chapter or filters.role)
    if filters.status is Status.ACTIVE:
        persons = persons.filter(pk__in=active_asked.values("person_id"))
    else:
        if has_membership_filter:
            persons = persons.filter(pk__in=asked.values("person_id"))
        if filters.status is Status.ENDED:
            persons = persons.exclude(pk__in=active_asked.values("person_id"))

    if filters.sort is Sort.START:
        first_start = Membership.objects.filter(person=OuterRef("pk")).order_by("start").values("start")[:1]
        persons = persons.annotate(first_start=Subquery(first_start))
    return persons.select_related(
        "workplace__municipality", "workplace__service_type", "workplace__health_trust"
    ).order_by(*_ORDERINGS[filters.sort])


def _rows(persons: Iterable[Person], filters: RosterFilters, today: dt.date) -> list[RosterRow]:
    rows = []
    for person in persons:
        memberships = list(person.memberships.all())
        asked = [m for m in memberships if filters.matches(m, today)]
        rows.append(
            RosterRow(person=person, memberships=tuple(asked), status=person_status(memberships, today))
        )
    return rows


@dataclass(frozen=True)
class RosterPage:
    rows: list[RosterRow]
    page: Page[Person]
    total: int
    page_range: list[int | None]  # the page numbers to link to; None marks a gap (…)


def roster_page(
    access: NetworkAccess, filters: RosterFilters, today: dt.date, page_number: str | int | None
) -> RosterPage:
    """One page of the roster: three queries (count, persons, memberships)."""
    persons = filtered_persons(access, filters, today).prefetch_related(_memberships_prefetch())
    paginator = Paginator(persons, PAGE_SIZE)
    page = paginator.get_page(page_number)
    page_range = [
        n if isinstance(n, int) else None
        for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return RosterPage(
        rows=_rows(page.object_list, filters, today), page=page, total=paginator.count, page_range=page_range
    )


# The roster import's columns (docs/import formats), so that an export can be imported again.
EXPORT_COLUMNS = (
    "fornavn",
    "etternavn",
    "epost",
    "telefon",
    "yrke",
    "kompetansenivaa",
    "arbeidssted",
    "tjenestetype",
    "kommunenummer",
    "lokallag",
    "rolle",
    "startdato",
    "sluttdato",
    "leder_epost",
)

ExportValue = str | dt.date | None


def export_rows(
    access: NetworkAccess, filters: RosterFilters, today: dt.date
) -> list[tuple[ExportValue, ...]]:
    """Every person of the filtered list (not one page), one row per membership the filters ask about,
    oldest first; a person without such a membership gets one row with empty role and dates. Two queries.

    The line manager's e-mail is the roster person's when one is linked, else the e-mail written in.
    """
    persons = (
        filtered_persons(access, filters, today)
        .select_related("leader")
        .prefetch_related(_memberships_prefetch())
    )
    rows: list[tuple[ExportValue, ...]] = []
    for row in _rows(persons, filters, today):
        person = row.person
        workplace = person.workplace
        leader_email = person.leader.email if person.leader is not None else person.leader_email
        common: tuple[ExportValue, ...] = (
            person.first_name,
            person.last_name,
            person.email,
            person.phone,
            person.profession,
            person.competence_level,
            workplace.name if workplace else "",
            workplace.service_type.code if workplace else "",
            workplace.municipality.number if workplace and workplace.municipality else "",
        )
        memberships = sorted(row.memberships, key=lambda m: (m.start, m.pk))
        if not memberships:
            rows.append((*common, "", "", None, None, leader_email))
        for membership in memberships:
            rows.append(
                (
                    *common,
                    membership.chapter.slug if membership.chapter else "",
                    membership.role.code,
                    membership.start,
                    membership.end,
                    leader_email,
                )
            )
    return rows


@dataclass(frozen=True)
class MembershipLine:
    membership: Membership
    is_active: bool
    can_change: bool  # the user may end it or move it (a chapter coordinator: only in their chapters)


@dataclass(frozen=True)
class PersonFacts:
    person: Person
    memberships: list[MembershipLine]  # all, ever, newest first
    status: PersonStatus
    can_edit: bool

    @property
    def status_label(self) -> str:
        return str(PERSON_STATUS_LABELS[self.status])


def person_facts(access: NetworkAccess, person: Person, today: dt.date) -> PersonFacts:
    """The person page: two queries (memberships; whether the user may edit the person)."""
    memberships = list(
        Membership.objects.filter(person=person, network=access.network)
        .select_related("role", "chapter")
        .order_by("-start", "-pk")
    )
    can_edit = access.can_manage and access.editable_persons().filter(pk=person.pk).exists()
    lines = [
        MembershipLine(
            membership=m,
            is_active=m.is_active_on(today),
            can_change=can_edit and (access.is_coordinator or m.chapter_id in access.chapter_ids),
        )
        for m in memberships
    ]
    return PersonFacts(
        person=person, memberships=lines, status=person_status(memberships, today), can_edit=can_edit
    )
