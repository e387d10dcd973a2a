"""Who may see and change what in a network: the one place network permissions are decided
(ARCHITECTURE.md §3).

Views never fetch network-owned rows themselves. They call `network_for_user` with what the page needs, then
`person_for_user`, `membership_for_user` and friends, each of which answers 404 both when the row does not
exist and when the user may not see it, so that nobody can learn what another network holds.

Roles (issue: "Roles and access"):
- network coordinator: everything in the network;
- local-chapter coordinator: the persons and memberships of their chapter(s), and the network's aggregates;
- leader: read-only, their own staff (persons whose line manager they are);
- resource person: themselves;
- reader: aggregates (dashboard, coverage), never persons — of one network (NetworkReader) or of every network
  in a health trust's or regional health authority's area, or of all (ReaderScope, `reader_condition`);
- anyone else: nothing, 404.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from fagnett.networks.models import (
    Group,
    LocalChapter,
    Membership,
    Network,
    NetworkReader,
    Person,
    ReaderScope,
    ReaderScopeKind,
    Role,
    Workplace,
)


class Need(enum.Enum):
    ANY = "any"  # any role at all (the person's own page checks more)
    AGGREGATES = "aggregates"  # dashboard, coverage: coordinators, chapter coordinators, readers
    ROSTER = "roster"  # lists of persons: coordinators, chapter coordinators, leaders (their staff)
    MANAGE = "manage"  # changes to persons and memberships: coordinators, chapter coordinators
    COORDINATE = "coordinate"  # network settings, workplaces, groups, chapters, import: network coordinators


@dataclass(frozen=True)
class NetworkAccess:
    network: Network
    is_coordinator: bool
    chapter_ids: frozenset[int]
    is_reader: bool
    own_person_ids: frozenset[int]
    is_leader: bool
    user_id: int
    user_email: str

    @property
    def is_chapter_coordinator(self) -> bool:
        return bool(self.chapter_ids)

    @property
    def can_manage(self) -> bool:
        return self.is_coordinator or self.is_chapter_coordinator

    @property
    def can_see_aggregates(self) -> bool:
        return self.can_manage or self.is_reader

    @property
    def can_see_roster(self) -> bool:
        return self.can_manage or self.is_leader

    def allows(self, need: Need) -> bool:
        if need is Need.ANY:
            return self.can_see_aggregates or self.is_leader or bool(self.own_person_ids)
        if need is Need.AGGREGATES:
            return self.can_see_aggregates
        if need is Need.ROSTER:
            return self.can_see_roster
        if need is Need.MANAGE:
            return self.can_manage
        return self.is_coordinator

    def staff_filter(self) -> Q:
        return Q(leader__user_id=self.user_id) | Q(leader_email__iexact=self.user_email)

    def visible_persons(self) -> QuerySet[Person]:
        """The persons this user may see in the network (the roster, person pages)."""
        persons = Person.objects.filter(network=self.network)
        if self.is_coordinator:
            return persons
        condition = Q(pk__in=self.own_person_ids)
        if self.chapter_ids:
            condition |= Q(memberships__chapter_id__in=self.chapter_ids)
        if self.is_leader:
            condition |= self.staff_filter()
        return persons.filter(condition).distinct()

    def editable_persons(self) -> QuerySet[Person]:
        persons = Person.objects.filter(network=self.network)
        if self.is_coordinator:
            return persons
        if self.chapter_ids:
            return persons.filter(memberships__chapter_id__in=self.chapter_ids).distinct()
        return persons.none()

    def editable_chapters(self) -> QuerySet[LocalChapter]:
        chapters = LocalChapter.objects.filter(network=self.network)
        return chapters if self.is_coordinator else chapters.filter(pk__in=self.chapter_ids)


def networks_for_user(user: Any) -> QuerySet[Network]:
    """Every network the user has any role in, for menus and the start page."""
    if not user.is_authenticated:
        return Network.objects.none()
    today = timezone.localdate()
    member_of = Membership.objects.active_on(today).filter(person__user=user).values("network_id")
    leads = Person.objects.filter(Q(leader__user=user) | Q(leader_email__iexact=user.email)).values(
        "network_id"
    )
    condition = Q(pk__in=member_of) | Q(pk__in=leads) | reader_condition(user)
    return Network.objects.filter(condition).order_by("name")


def reader_condition(user: Any) -> Q:
    """A condition on Network: the user reads it, directly or through a scope (one query wherever it is used).

    Subqueries rather than joins, so that a network reached in several ways is not repeated.
    """
    scopes = ReaderScope.objects.filter(user=user)
    area = Network.municipalities.through.objects
    trusts = scopes.filter(kind=ReaderScopeKind.HEALTH_TRUST).values("health_trust_id")
    regions = scopes.filter(kind=ReaderScopeKind.HEALTH_REGION).values("health_region_id")
    in_trusts = area.filter(municipality__catchment_areas__health_trust_id__in=trusts)
    in_regions = area.filter(municipality__catchment_areas__health_trust__region_id__in=regions)
    return (
        Q(pk__in=NetworkReader.objects.filter(user=user).values("network_id"))
        | Q(Exists(scopes.filter(kind=ReaderScopeKind.SITE)))
        | Q(pk__in=in_trusts.values("network_id"))
        | Q(pk__in=in_regions.values("network_id"))
    )


def networks_read_by(user: Any) -> QuerySet[Network]:
    """Every network the user may read the aggregates of as a reader (not counting coordinator roles)."""
    if not user.is_authenticated:
        return Network.objects.none()
    return Network.objects.filter(reader_condition(user)).order_by("name")


def access_for(user: Any, network: Network) -> NetworkAccess:
    """The user's roles in one network, in a fixed number of queries."""
    today = timezone.localdate()
    memberships = list(
        Membership.objects.active_on(today)
        .filter(network=network, person__user=user)
        .values_list("person_id", "role__code", "chapter_id")
    )
    coordinating = [chapter_id for _, code, chapter_id in memberships if code in Role.COORDINATING_CODES]
    # A person sees what the network holds about them even after their membership ended.
    own_person_ids = frozenset(Person.objects.filter(network=network, user=user).values_list("pk", flat=True))
    is_leader = (
        Person.objects.filter(network=network)
        .filter(Q(leader__user=user) | Q(leader_email__iexact=user.email))
        .exists()
    )
    return NetworkAccess(
        network=network,
        is_coordinator=any(chapter_id is None for chapter_id in coordinating),
        chapter_ids=frozenset(chapter_id for chapter_id in coordinating if chapter_id is not None),
        is_reader=Network.objects.filter(reader_condition(user), pk=network.pk).exists(),
        own_person_ids=own_person_ids,
        is_leader=is_leader,
        user_id=user.pk,
        user_email=user.email,
    )


def landing_url(access: NetworkAccess) -> str:
    """Where a user starts in a network: the overview, their staff, or their own page."""
    slug = access.network.slug
    if access.can_see_aggregates:
        return reverse("networks:dashboard", args=[slug])
    if access.can_see_roster:
        return reverse("networks:roster", args=[slug])
    return reverse("networks:person_detail", args=[slug, min(access.own_person_ids)])


def network_for_user(user: Any, slug: str, need: Need = Need.AGGREGATES) -> NetworkAccess:
    """The network and the user's roles in it, or 404 when it is missing or the user lacks `need`."""
    if not user.is_authenticated:
        raise Http404
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    access = access_for(user, network)
    if not access.allows(need):
        raise Http404
    return access


def person_for_user(access: NetworkAccess, pk: int, *, write: bool = False) -> Person:
    persons = access.editable_persons() if write else access.visible_persons()
    person = (
        persons.select_related("workplace__municipality", "workplace__service_type", "leader")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404
    return person


def membership_for_user(access: NetworkAccess, pk: int) -> Membership:
    """A membership the user may change: a coordinator's any, a chapter coordinator's in their chapters."""
    memberships = Membership.objects.filter(network=access.network).select_related(
        "person", "role", "chapter"
    )
    if not access.is_coordinator:
        memberships = memberships.filter(chapter_id__in=access.chapter_ids)
    membership = memberships.filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def chapter_for_user(access: NetworkAccess, slug: str, *, write: bool = False) -> LocalChapter:
    chapters = access.editable_chapters() if write else LocalChapter.objects.filter(network=access.network)
    chapter = chapters.filter(slug=slug).first()
    if chapter is None:
        raise Http404
    return chapter


def workplace_for_user(access: NetworkAccess, pk: int) -> Workplace:
    """A workplace of the network (the pages that use it are the network coordinator's)."""
    workplace = access.network.workplaces.select_related("service_type", "network").filter(pk=pk).first()
    if workplace is None:
        raise Http404
    return workplace


def group_for_user(access: NetworkAccess, pk: int) -> Group:
    group = access.network.groups.select_related("network").filter(pk=pk).first()
    if group is None:
        raise Http404
    return group
