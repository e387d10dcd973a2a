"""The numbers of the overview across networks (issue 10): coverage of every municipality of Norway, and one
row of key figures per network. The map page, the overview page, their exports and the `national_coverage`
command all read these functions and never query themselves.

Coverage follows networks.coverage exactly, evaluated for many networks at once:

- each network's rules are its own CoverageRules, or the annual-report template's defaults when it has none
  (networks.coverage `_rules`);
- a resource person is a distinct person with an active membership whose role code is "ressursperson" on the
  date (start and end included), counted in the municipality and service type of their workplace as stored
  today (networks.coverage `_count`);
- a network's rules are met in a municipality of its area when every required service type has its minimum.

Across networks, a municipality is *covered* when at least one network whose area includes it meets its rules
there; *partly covered* when it is in some network's area, no network meets its rules, but at least one
network has a resource person there of a service type that network requires (or meets one of its rules,
which a minimum of 0 allows), as the network's own map says; *not covered* when it is in some
area without any such person; *outside* when no network (of those asked about) has it in its area. Resource
persons per service type are summed over the networks whose area includes the municipality; a person in two
networks is two Person rows and counts in each.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils.translation import gettext

from fagnett.activities.models import Activity, activity_year_bounds
from fagnett.competence.engine import evaluation_date, network_status
from fagnett.competence.models import CompetenceStatus
from fagnett.networks.coverage import Cell, RequiredType
from fagnett.networks.models import CoverageRule, CoverageScope, Membership, Network, Role, ServiceType
from fagnett.networks.services import DEFAULT_COVERAGE
from fagnett.networks.stats import ONE_DAY
from fagnett.overview.maps import MapStatus
from fagnett.places.models import Municipality
from fagnett.reports.models import AnnualReport, ReportStatus

# The competence share costs the engine's six queries and its Python work per network, so it is kept for ten
# minutes per (network, year, day); a plan or attendance change shows on the overview within that time.
COMPETENCE_CACHE_SECONDS = 600


@dataclass(frozen=True)
class NetworkCoverage:
    """One network's rule check in one municipality of its area (as networks.coverage computes it)."""

    slug: str
    name: str
    required: tuple[RequiredType, ...]
    cells: tuple[Cell, ...]  # in the order of `required`

    @property
    def covered(self) -> bool:
        return all(cell.met for cell in self.cells)

    @property
    def required_persons(self) -> int:
        """Resource persons of a service type this network requires."""
        return sum(cell.count for cell in self.cells)

    @property
    def cell_rules(self) -> list[tuple[Cell, RequiredType]]:
        return list(zip(self.cells, self.required, strict=True))


@dataclass(frozen=True)
class TypeCount:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class MunicipalityCoverage:
    number: str
    name: str  # the display name (tells Herøy in Nordland from Herøy in Møre og Romsdal)
    county_number: str
    county_name: str
    networks: tuple[NetworkCoverage, ...]  # the networks whose area includes it, by name
    resource_persons: tuple[TypeCount, ...]  # per service type across those networks, by name; no zeros
    status: MapStatus

    @property
    def covered(self) -> bool:
        return self.status == MapStatus.COVERED

    @property
    def total(self) -> int:
        """Active resource persons across the networks; each Person row has one workplace, so the sum over
        service types counts nobody twice within a network."""
        return sum(t.count for t in self.resource_persons)

    @property
    def counts(self) -> dict[str, int]:
        return {t.code: t.count for t in self.resource_persons}

    @property
    def network_slugs(self) -> list[str]:
        return [n.slug for n in self.networks]

    @property
    def network_names(self) -> list[str]:
        return [n.name for n in self.networks]


# --- rules ---


def _rules_by_network(
    network_ids: list[int],
) -> tuple[dict[int, tuple[RequiredType, ...]], dict[int, tuple[str, str]]]:
    """Every network's municipality rules in two queries, as networks.coverage `_rules` gives them one
    network at a time: its own rules in their default order, or the template's defaults (minimum 1) when it
    has none. Also every service type's (code, name) by primary key, read in the same query as the defaults
    so the counting query needs no join for them."""
    own: dict[int, list[RequiredType]] = defaultdict(list)
    with_rules: set[int] = set()
    for network_id, scope, type_pk, code, name, minimum in (
        CoverageRule.objects.filter(network_id__in=network_ids)
        .order_by("network_id", "scope", "service_type__name")
        .values_list(
            "network_id", "scope", "service_type_id", "service_type__code", "service_type__name", "minimum"
        )
    ):
        with_rules.add(network_id)
        if scope == CoverageScope.MUNICIPALITY and type_pk is not None:
            own[network_id].append(RequiredType(pk=type_pk, code=code, name=name, minimum=minimum))
    codes = [code for _scope, code in DEFAULT_COVERAGE if code]
    # All of them: the vocabulary is small, and a workplace's type is then always found.
    types = list(ServiceType.objects.values_list("pk", "code", "name", "network_id"))
    defaults = tuple(
        RequiredType(pk=pk, code=code, name=name, minimum=1)
        for pk, code, name, network_id in sorted(types, key=lambda t: t[2])
        if network_id is None and code in codes
    )
    rules = {pk: tuple(own[pk]) if pk in with_rules else defaults for pk in network_ids}
    return rules, {pk: (code, name) for pk, code, name, _network in types}


# --- coverage ---


def _status(networks: tuple[NetworkCoverage, ...]) -> MapStatus:
    if not networks:
        return MapStatus.OUTSIDE
    if any(n.covered for n in networks):
        return MapStatus.COVERED
    # As the network's own map (overview.network_map): someone of a required type counted, or some rule met.
    if any(n.required_persons or any(cell.met for cell in n.cells) for n in networks):
        return MapStatus.PARTLY
    return MapStatus.NOT_COVERED


def national_coverage(on: dt.date, networks: QuerySet[Network]) -> list[MunicipalityCoverage]:
    """Every municipality of Norway with the coverage of `networks` on `on`, by display name.

    Six queries whatever the number of networks, persons or municipalities: the networks, the municipalities,
    the areas, the rules, the default service types, and the resource persons counted per network,
    municipality and service type.
    """
    refs = {pk: (slug, name) for pk, slug, name in networks.order_by().values_list("pk", "slug", "name")}
    ids = sorted(refs)
    places = list(
        Municipality.objects.order_by("display_name", "number").values_list(
            "pk", "number", "display_name", "county__number", "county__name"
        )
    )
    in_area: dict[int, list[int]] = defaultdict(list)  # municipality id → network ids
    for network_id, municipality_id in Network.municipalities.through.objects.filter(
        network_id__in=ids
    ).values_list("network_id", "municipality_id"):
        in_area[municipality_id].append(network_id)
    rules, type_names = _rules_by_network(ids)

    # Grouping by workplace first and summing, as networks.coverage does, gives the same numbers as grouping
    # by place directly: each person has one workplace.
    by_place: dict[tuple[int, int, int], int] = {}  # (network, municipality, service type) → persons
    for network_id, municipality_id, type_pk, n in (
        Membership.objects.active_on(on)
        .filter(
            network_id__in=ids,
            role__code=Role.RESOURCE_PERSON,
            person__workplace__municipality__isnull=False,
        )
        .values("network_id", "person__workplace__municipality_id", "person__workplace__service_type_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
        .values_list(
            "network_id", "person__workplace__municipality_id", "person__workplace__service_type_id", "n"
        )
    ):
        by_place[(network_id, municipality_id, type_pk)] = n
    by_municipality: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for (network_id, municipality_id, type_pk), n in by_place.items():
        by_municipality[municipality_id].append((network_id, type_pk, n))

    result = []
    for pk, number, name, county_number, county_name in places:
        network_ids = sorted(in_area.get(pk, ()), key=lambda n: (refs[n][1], refs[n][0]))
        checks = tuple(
            NetworkCoverage(
                slug=refs[network_id][0],
                name=refs[network_id][1],
                required=rules[network_id],
                cells=tuple(
                    Cell(code=rule.code, count=count, met=count >= rule.minimum)
                    for rule in rules[network_id]
                    for count in (by_place.get((network_id, pk, rule.pk), 0),)
                ),
            )
            for network_id in network_ids
        )
        result.append(
            MunicipalityCoverage(
                number=number,
                name=name,
                county_number=county_number,
                county_name=county_name,
                networks=checks,
                resource_persons=_type_counts(by_municipality.get(pk, ()), set(network_ids), type_names),
                status=_status(checks),
            )
        )
    return result


def _type_counts(
    rows: Iterable[tuple[int, int, int]], network_ids: set[int], type_names: dict[int, tuple[str, str]]
) -> tuple[TypeCount, ...]:
    """Persons per service type code over the networks whose area includes the municipality (a network's own
    service type with a built-in code adds to the built-in one)."""
    counts: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for network_id, type_pk, n in rows:
        if network_id in network_ids:
            code, name = type_names[type_pk]
            counts[code] += n
            names.setdefault(code, name)
    return tuple(
        TypeCount(code=code, name=names[code], count=count)
        for code, count in sorted(counts.items(), key=lambda item: (names[item[0]].casefold(), item[0]))
    )


def status_counts(municipalities: Iterable[MunicipalityCoverage]) -> dict[MapStatus, int]:
    """How many municipalities have each status, every status present (in MapStatus's order)."""
    counts = dict.fromkeys(MapStatus, 0)
    for municipality in municipalities:
        counts[municipality.status] += 1
    return counts


# --- one row per network ---


@dataclass(frozen=True)
class NetworkRow:
    slug: str
    name: str
    members: int  # active resource persons at the year's end (today for the current year)
    joined: int  # as networks.stats.membership_stats: moves left out
    left: int
    municipalities_covered: int
    municipalities_total: int
    activity_hours: Decimal  # the credited hours of the activities starting in the year (activities.stats)
    competence_met: int | None  # persons meeting every requirement; None: no competence plan that year
    competence_persons: int
    report_status: str = ""  # the year's annual report: "" none, else reports.models.ReportStatus
    report_public: bool = False  # published and shown on the network's public page

    @property
    def report_label(self) -> str:
        """The report's status in words: none, draft, published (publicly)."""
        if not self.report_status:
            return gettext("No report")
        if self.report_status == ReportStatus.DRAFT:
            return gettext("Draft")
        return gettext("Published, public") if self.report_public else gettext("Published")

    @property
    def competence_percent(self) -> int | None:
        """Share meeting the plan, rounded half up to a whole percent; None without a plan or persons."""
        if self.competence_met is None or self.competence_persons == 0:
            return None
        return (200 * self.competence_met + self.competence_persons) // (2 * self.competence_persons)

    @property
    def coverage_percent(self) -> int | None:
        if self.municipalities_total == 0:
            return None
        return (200 * self.municipalities_covered + self.municipalities_total) // (
            2 * self.municipalities_total
        )


def _joined_and_left(
    network_ids: list[int], first: dt.date, last: dt.date
) -> tuple[dict[int, int], dict[int, int]]:
    """networks.stats.joined_and_left for many networks in one query, per network. Person rows belong to one
    network, so (person, date) pairs never mix networks."""
    rows = list(
        Membership.objects.filter(network_id__in=network_ids, role__code=Role.RESOURCE_PERSON)
        .filter(Q(start__gte=first, start__lte=last + ONE_DAY) | Q(end__gte=first - ONE_DAY, end__lte=last))
        .values_list("network_id", "person_id", "start", "end")
    )
    starts = {(person, start) for _network, person, start, _end in rows}
    ends = {(person, end) for _network, person, _start, end in rows if end is not None}
    joined: dict[int, int] = defaultdict(int)
    left: dict[int, int] = defaultdict(int)
    for network_id, person, start, end in rows:
        if first <= start <= last and (person, start - ONE_DAY) not in ends:
            joined[network_id] += 1
        if end is not None and first <= end <= last and (person, end + ONE_DAY) not in starts:
            left[network_id] += 1
    return joined, left


def _competence_key(network_id: int, year: int, today: dt.date) -> str:
    return f"overview:competence:{network_id}:{year}:{today.isoformat()}"


def competence_share(network: Network, year: int, today: dt.date) -> tuple[int | None, int]:
    """(persons meeting the plan, persons) from competence.engine.network_status. A person meets the plan when
    each requirement is met or does not apply to them; the persons are those the engine evaluates (resource
    persons during the year). None met when the network has no plan for the year."""
    facts = network_status(network, year, today=today)
    if facts.plan is None:
        return None, len(facts.persons)
    meeting = {str(CompetenceStatus.MET), str(CompetenceStatus.NOT_APPLICABLE)}
    met = sum(1 for person in facts.persons if person.statuses <= meeting)
    return met, len(facts.persons)


def _competence_shares(
    networks: list[tuple[int, str, str]], year: int, today: dt.date
) -> dict[int, tuple[int | None, int]]:
    """The shares from the cache (one query), computing and storing the missing ones."""
    keys = {_competence_key(pk, year, today): pk for pk, _slug, _name in networks}
    cached: dict[str, Any] = cache.get_many(list(keys))
    shares = {keys[key]: (value[0], value[1]) for key, value in cached.items()}
    missing = {key: pk for key, pk in keys.items() if pk not in shares}
    if missing:
        by_pk = Network.objects.in_bulk(list(missing.values()))
        fresh = {key: competence_share(by_pk[pk], year, today) for key, pk in missing.items()}
        cache.set_many({key: list(value) for key, value in fresh.items()}, COMPETENCE_CACHE_SECONDS)
        shares.update({missing[key]: value for key, value in fresh.items()})
    return shares


def network_rows(networks: QuerySet[Network], year: int, today: dt.date) -> list[NetworkRow]:
    """One row per network for `year` (not after today's year), by name.

    A fixed number of queries (national_coverage's six, the networks, members, joined/left, activity hours,
    annual reports, the cache) plus, for each network whose competence share is not cached, the engine's six.
    """
    on = evaluation_date(year, today)
    first, last = activity_year_bounds(year)
    refs = list(networks.order_by("name", "pk").values_list("pk", "slug", "name"))
    ids = [pk for pk, _slug, _name in refs]

    covered: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for municipality in national_coverage(on, Network.objects.filter(pk__in=ids)):
        for check in municipality.networks:
            total[check.slug] += 1
            covered[check.slug] += check.covered

    active_on = Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))
    members = dict(
        Membership.objects.filter(network_id__in=ids, role__code=Role.RESOURCE_PERSON)
        .values("network_id")
        .annotate(n=Count("person", filter=active_on, distinct=True))
        .order_by()
        .values_list("network_id", "n")
    )
    joined, left = _joined_and_left(ids, first, last)
    hours = dict(
        Activity.objects.filter(network_id__in=ids, starts_on__gte=first, starts_on__lte=last)
        .values("network_id")
        .annotate(hours=Sum("hours"))
        .order_by()
        .values_list("network_id", "hours")
    )
    shares = _competence_shares(refs, year, today)
    reports = {
        network_id: (status, public and status == ReportStatus.PUBLISHED)
        for network_id, status, public in AnnualReport.objects.filter(
            network_id__in=ids, year=year
        ).values_list("network_id", "status", "public")
    }
    return [
        NetworkRow(
            slug=slug,
            name=name,
            members=members.get(pk, 0),
            joined=joined.get(pk, 0),
            left=left.get(pk, 0),
            municipalities_covered=covered[slug],
            municipalities_total=total[slug],
            activity_hours=hours.get(pk) or Decimal(0),
            competence_met=shares[pk][0],
            competence_persons=shares[pk][1],
            report_status=reports.get(pk, ("", False))[0],
            report_public=reports.get(pk, ("", False))[1],
        )
        for pk, slug, name in refs
    ]


def first_year(networks: QuerySet[Network], today: dt.date) -> int:
    """The year of the first resource-person membership in the networks, for the year selector (one
    query); this year when there is none or it lies ahead."""
    earliest = Membership.objects.filter(network__in=networks, role__code=Role.RESOURCE_PERSON).aggregate(
        first=Min("start")
    )["first"]
    return min(earliest.year, today.year) if earliest is not None else today.year
