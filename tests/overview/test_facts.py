"""overview.facts and overview.access: national coverage matches networks.coverage network by network, the
network rows match the network's own statistics, and the number of queries does not grow with the data.

The builders here are shared with the view and CLI tests of issue 10."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from fagnett.accounts.models import User
from fagnett.activities.models import Activity, ActivityKind
from fagnett.activities.stats import activity_stats
from fagnett.competence.models import CompetencePlan, Requirement, RequirementKind
from fagnett.networks.coverage import compute_coverage
from fagnett.networks.models import (
    CoverageRule,
    CoverageScope,
    LocalChapter,
    Membership,
    Network,
    NetworkReader,
    Person,
    ReaderScope,
    ReaderScopeKind,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.networks.stats import membership_stats
from fagnett.overview.access import overview_networks
from fagnett.overview.facts import MunicipalityCoverage, national_coverage, network_rows, status_counts
from fagnett.overview.maps import MapStatus
from fagnett.places.models import HealthTrust, Municipality
from tests.conftest import add_member, make_user
from tests.helpers import count_queries

TODAY = dt.date(2025, 6, 15)


# --- builders ---


def service_type(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code, network=None)


def workplace(network: Network, number: str, code: str = ServiceType.HOME_CARE) -> Workplace:
    municipality = Municipality.objects.get(number=number)
    place, _ = Workplace.objects.get_or_create(
        network=network,
        name=f"{code} {municipality.name}",
        service_type=service_type(code),
        municipality=municipality,
    )
    return place


_counter = iter(range(10**6))


def resource_person(
    network: Network,
    place: Workplace | None,
    start: dt.date = dt.date(2020, 1, 1),
    end: dt.date | None = None,
    *,
    role: str = Role.RESOURCE_PERSON,
    email: str = "",
) -> Person:
    n = next(_counter)
    person = Person.objects.create(
        network=network,
        first_name=f"Fornavn{n}",
        last_name=f"Etternavn{n}",
        email=email or f"person{n}@{network.slug}.example.no",
        phone=f"9{n:07d}",
        workplace=place,
    )
    Membership.objects.create(
        person=person, network=network, role=Role.objects.get(code=role, network=None), start=start, end=end
    )
    return person


def make_network(slug: str, numbers: list[str], *, rules: list[tuple[str, int]] | None = None) -> Network:
    """A network with the municipalities `numbers`; `rules` as (service type code, minimum), None for none of
    its own (the defaults stand in)."""
    network = Network.objects.create(name=f"Nettverk {slug}", slug=slug)
    network.municipalities.set(Municipality.objects.filter(number__in=numbers))
    for code, minimum in rules or []:
        CoverageRule.objects.create(
            network=network,
            scope=CoverageScope.MUNICIPALITY,
            service_type=service_type(code),
            minimum=minimum,
        )
    return network


def site_reader(email: str = "sara@example.no") -> User:
    user = make_user(email, "Sara Sentral")
    ReaderScope.objects.create(user=user, kind=ReaderScopeKind.SITE)
    return user


def trust_reader(email: str = "tor@example.no") -> User:
    user = make_user(email, "Tor Foretak")
    trust = HealthTrust.objects.get(short_name="Stavanger")
    ReaderScope.objects.create(user=user, kind=ReaderScopeKind.HEALTH_TRUST, health_trust=trust)
    return user


def random_networks(count: int, seed: int) -> list[Network]:
    """Bench-like data: networks over random municipalities of Rogaland and Vestland with rules of every
    kind (own, defaults, minimum 2, hospital units only, a network's own service type), resource persons
    whose workplaces lie inside and outside the area or are missing, ended, future and other-role
    memberships, and persons with two resource-person memberships (two chapters)."""
    rng = random.Random(seed)  # noqa: S311 - test data
    numbers = list(
        Municipality.objects.filter(county__number__in=["11", "46"]).values_list("number", flat=True)
    )
    codes = [ServiceType.HOME_CARE, ServiceType.NURSING_HOME, "skole", "barnebolig"]
    networks = []
    for i in range(count):
        area = rng.sample(numbers, rng.randint(2, 8))
        kind = i % 5
        codes_here = codes
        if kind == 0:
            network = make_network(f"tilfeldig-{seed}-{i}", area)  # defaults
        elif kind == 1:
            network = make_network(f"tilfeldig-{seed}-{i}", area, rules=[(ServiceType.HOME_CARE, 2)])
        elif kind == 2:
            network = make_network(f"tilfeldig-{seed}-{i}", area)
            CoverageRule.objects.create(
                network=network, scope=CoverageScope.HOSPITAL_UNIT
            )  # no municipality rule
        elif kind == 3:
            network = make_network(
                f"tilfeldig-{seed}-{i}",
                area,
                rules=[(ServiceType.HOME_CARE, 1), (ServiceType.NURSING_HOME, 1)],
            )
        else:
            network = make_network(f"tilfeldig-{seed}-{i}", area, rules=[("skole", 1)])
            own = ServiceType.objects.create(code="helsestasjon", name="Helsestasjon", network=network)
            CoverageRule.objects.create(network=network, scope=CoverageScope.MUNICIPALITY, service_type=own)
            codes_here = [*codes, "helsestasjon"]
        chapters = [
            LocalChapter.objects.create(network=network, name=f"Lokallag {c}", slug=f"lokallag-{c}")
            for c in (1, 2)
        ]
        places = []
        for number in rng.sample(numbers, min(len(numbers), len(area) + 3)):
            for code in rng.sample(codes_here, 2):
                if code == "helsestasjon":
                    places.append(
                        Workplace.objects.create(
                            network=network,
                            name=f"Helsestasjon {number}",
                            service_type=ServiceType.objects.get(code=code, network=network),
                            municipality=Municipality.objects.get(number=number),
                        )
                    )
                else:
                    places.append(workplace(network, number, code))
        for _ in range(rng.randint(10, 40)):
            place = rng.choice(places) if rng.random() > 0.05 else None
            start = TODAY - dt.timedelta(days=rng.randint(-30, 2000))
            end = start + dt.timedelta(days=rng.randint(0, 900)) if rng.random() < 0.3 else None
            role = Role.RESOURCE_PERSON if rng.random() < 0.85 else Role.WORKING_GROUP
            person = resource_person(network, place, start, end, role=role)
            if rng.random() < 0.15:
                Membership.objects.create(
                    person=person,
                    network=network,
                    role=Role.objects.get(code=Role.RESOURCE_PERSON, network=None),
                    chapter=rng.choice(chapters),
                    start=start,
                )
        networks.append(network)
    return networks


def assert_matches_compute_coverage(networks: list[Network], on: dt.date) -> int:
    """Every network's verdict and counts in every municipality of its area are those of compute_coverage;
    returns how many municipality × network pairs were compared."""
    national = {
        m.number: m for m in national_coverage(on, Network.objects.filter(pk__in=[n.pk for n in networks]))
    }
    compared = 0
    for network in networks:
        facts = compute_coverage(network, on)
        for expected in facts.municipalities:
            check = next(n for n in national[expected.number].networks if n.slug == network.slug)
            assert check.cells == expected.cells, (network.slug, expected.number)
            assert check.covered == expected.covered
            compared += 1
        in_area = {m.number for m in national.values() if network.slug in m.network_slugs}
        assert in_area == {m.number for m in facts.municipalities}
    return compared


# --- national coverage ---


@pytest.mark.django_db
def test_every_municipality_of_norway_is_listed_and_outside_without_networks() -> None:
    municipalities = national_coverage(TODAY, Network.objects.none())
    assert len(municipalities) == 357
    assert {m.status for m in municipalities} == {MapStatus.OUTSIDE}
    herøy = [m for m in municipalities if m.name.startswith("Herøy")]
    assert len(herøy) == 2 and herøy[0].name != herøy[1].name  # the display names tell them apart
    stavanger = next(m for m in municipalities if m.number == "1103")
    assert (stavanger.county_number, stavanger.networks, stavanger.total) == ("11", (), 0)
    assert stavanger.county_name


@pytest.mark.django_db
def test_it_gives_each_status_as_the_rules_say() -> None:
    network = make_network("a", ["1103", "1108", "1119"])  # the defaults: home care and nursing home
    for code in (ServiceType.HOME_CARE, ServiceType.NURSING_HOME):
        resource_person(network, workplace(network, "1103", code))
    resource_person(network, workplace(network, "1108"))  # home care only
    resource_person(network, workplace(network, "1119", "skole"))  # not a required type
    by_number = {m.number: m for m in national_coverage(TODAY, Network.objects.all())}
    assert by_number["1103"].status == MapStatus.COVERED and by_number["1103"].covered
    assert by_number["1108"].status == MapStatus.PARTLY
    assert by_number["1119"].status == MapStatus.NOT_COVERED
    assert by_number["1119"].counts == {"skole": 1}
    assert by_number["4601"].status == MapStatus.OUTSIDE


@pytest.mark.django_db
def test_one_network_meeting_its_rules_covers_a_municipality_that_another_does_not() -> None:
    strict = make_network("streng", ["1103"], rules=[(ServiceType.HOME_CARE, 2)])
    easy = make_network("lett", ["1103"], rules=[(ServiceType.HOME_CARE, 1)])
    resource_person(strict, workplace(strict, "1103"))
    resource_person(easy, workplace(easy, "1103"))
    stavanger = next(m for m in national_coverage(TODAY, Network.objects.all()) if m.number == "1103")
    assert [(n.slug, n.covered) for n in stavanger.networks] == [("lett", True), ("streng", False)]
    assert stavanger.status == MapStatus.COVERED
    assert stavanger.counts == {ServiceType.HOME_CARE: 2}  # summed over both networks


@pytest.mark.django_db
def test_persons_count_only_in_networks_whose_area_includes_their_workplace() -> None:
    network = make_network("a", ["1103"])
    resource_person(network, workplace(network, "1108"))  # Sandnes is not in the area
    by_number = {m.number: m for m in national_coverage(TODAY, Network.objects.all())}
    assert by_number["1108"].status == MapStatus.OUTSIDE
    assert by_number["1108"].total == 0


@pytest.mark.django_db
def test_only_the_networks_asked_about_are_counted() -> None:
    mine = make_network("min", ["1103"])
    other = make_network("annen", ["1103", "1108"])
    resource_person(other, workplace(other, "1103"))
    by_number = {m.number: m for m in national_coverage(TODAY, Network.objects.filter(pk=mine.pk))}
    assert by_number["1103"].network_slugs == ["min"]
    assert by_number["1103"].total == 0
    assert by_number["1108"].status == MapStatus.OUTSIDE


@pytest.mark.django_db
def test_it_matches_compute_coverage_for_every_network_on_random_data() -> None:
    networks = random_networks(12, seed=10)
    for on in (TODAY, TODAY - dt.timedelta(days=700)):
        assert assert_matches_compute_coverage(networks, on) > 40


@pytest.mark.django_db
def test_it_matches_compute_coverage_on_the_demo_and_the_persona_network(
    settings: Any, tmp_path: Path
) -> None:
    from fagnett.networks.demo import load_demo

    settings.VAR_DIR = tmp_path
    demo = load_demo().network
    small = make_network("barnepalliasjon", ["1103", "1108"])
    resource_person(small, workplace(small, "1103"))
    assert assert_matches_compute_coverage([demo, small], dt.date(2024, 12, 31)) == 17
    municipalities = national_coverage(dt.date(2024, 12, 31), Network.objects.all())
    kvitsøy = next(m for m in municipalities if m.number == "1144")
    assert kvitsøy.status == MapStatus.NOT_COVERED  # seed 001: 14 of 15 municipalities


@pytest.mark.django_db
def test_national_coverage_costs_the_same_queries_for_2_and_20_networks() -> None:
    def queries(count: int, seed: int) -> int:
        networks = random_networks(count, seed)
        chosen = Network.objects.filter(pk__in=[n.pk for n in networks])
        return count_queries(lambda: national_coverage(TODAY, chosen))

    assert queries(2, 1) == queries(20, 2) == 6


@pytest.mark.django_db
def test_status_counts_has_every_status() -> None:
    network = make_network("a", ["1103"])
    counts = status_counts(national_coverage(TODAY, Network.objects.filter(pk=network.pk)))
    assert list(counts) == list(MapStatus)
    assert counts[MapStatus.NOT_COVERED] == 1 and counts[MapStatus.OUTSIDE] == 356


# --- network rows ---


def _add_plan(network: Network) -> None:
    plan = CompetencePlan.objects.create(network=network, name="Plan", valid_from=dt.date(2020, 1, 1))
    Requirement.objects.create(
        plan=plan,
        code="samlinger",
        name="Samlinger",
        kind=RequirementKind.YEARLY_COUNT,
        activity_kinds=[ActivityKind.GATHERING],
        min_count=1,
    )


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_network_rows_agree_with_the_networks_own_statistics() -> None:
    networks = random_networks(6, seed=3)
    for network in networks[:3]:
        for n in range(3):
            Activity.objects.create(
                network=network,
                kind=ActivityKind.GATHERING,
                title=f"Samling {n}",
                starts_on=dt.date(2024, 3 + n, 1),
                ends_on=dt.date(2024, 3 + n, 1),
                hours=Decimal("2.5"),
            )
    chosen = Network.objects.filter(pk__in=[n.pk for n in networks])
    rows = {row.slug: row for row in network_rows(chosen, 2024, TODAY)}
    for network in networks:
        row = rows[network.slug]
        stats = membership_stats(network, 2024)
        assert (row.members, row.joined, row.left) == (stats.members_at_year_end, stats.joined, stats.left)
        coverage = compute_coverage(network, dt.date(2024, 12, 31))
        assert (row.municipalities_covered, row.municipalities_total) == (
            coverage.municipalities_covered,
            coverage.municipalities_total,
        )
        hours = sum((kind.hours for kind in activity_stats(network, 2024).kinds.values()), Decimal(0))
        assert row.activity_hours == hours
    assert rows[networks[0].slug].activity_hours == Decimal("7.5")


@pytest.mark.django_db
def test_a_move_between_chapters_is_neither_joining_nor_leaving() -> None:
    network = make_network("a", ["1103"])
    person = resource_person(network, workplace(network, "1103"), dt.date(2023, 1, 1), dt.date(2024, 5, 31))
    Membership.objects.create(
        person=person,
        network=network,
        role=Role.objects.get(code=Role.RESOURCE_PERSON, network=None),
        start=dt.date(2024, 6, 1),
    )
    resource_person(network, None, dt.date(2024, 2, 1), dt.date(2024, 12, 31))  # joined and left in 2024
    row = network_rows(Network.objects.all(), 2024, TODAY)[0]
    assert (row.members, row.joined, row.left) == (
        2,
        1,
        1,
    )  # a member on 31 December even when leaving that day


@pytest.mark.django_db
def test_the_current_year_counts_members_today() -> None:
    network = make_network("a", ["1103"])
    resource_person(network, None, dt.date(2020, 1, 1), dt.date(2025, 9, 1))  # still a member today
    resource_person(network, None, dt.date(2020, 1, 1), dt.date(2025, 3, 1))  # left before today
    resource_person(network, None, dt.date(2025, 8, 1))  # not yet
    row = network_rows(Network.objects.all(), 2025, TODAY)[0]
    assert row.members == 1
    assert (row.joined, row.left) == (1, 2)  # the year's own start and ends, as membership_stats counts them


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_the_competence_share_counts_persons_meeting_every_requirement() -> None:
    network = make_network("a", ["1103"])
    without_plan = make_network("b", ["1103"])
    CompetencePlan.objects.filter(network=without_plan).delete()  # every network starts with seed 003's plan
    resource_person(without_plan, None, dt.date(2023, 1, 1))
    _add_plan(network)
    keen = resource_person(network, None, dt.date(2023, 1, 1))
    resource_person(network, None, dt.date(2023, 1, 1))
    resource_person(network, None, dt.date(2023, 1, 1))
    activity = Activity.objects.create(
        network=network,
        kind=ActivityKind.GATHERING,
        title="Samling",
        starts_on=dt.date(2024, 3, 1),
        ends_on=dt.date(2024, 3, 1),
        hours=Decimal(6),
    )
    activity.attendances.create(person=keen, status="deltatt", hours=Decimal(6))
    rows = {row.slug: row for row in network_rows(Network.objects.all(), 2024, TODAY)}
    assert (rows["a"].competence_met, rows["a"].competence_persons, rows["a"].competence_percent) == (
        1,
        3,
        33,
    )
    assert (rows["b"].competence_met, rows["b"].competence_persons, rows["b"].competence_percent) == (
        None,
        1,
        None,
    )


@pytest.mark.django_db
def test_network_rows_cost_the_same_queries_for_2_and_20_networks_once_the_shares_are_cached() -> None:
    cache.clear()

    def queries(count: int, seed: int) -> int:
        networks = random_networks(count, seed)
        for network in networks:
            _add_plan(network)
        chosen = Network.objects.filter(pk__in=[n.pk for n in networks])
        network_rows(chosen, 2024, TODAY)  # fills the cache: the engine once per network
        return count_queries(lambda: network_rows(chosen, 2024, TODAY))

    assert queries(2, 4) == queries(20, 5)


@pytest.mark.django_db
def test_the_competence_share_is_cached_for_ten_minutes() -> None:
    cache.clear()
    network = make_network("a", ["1103"])
    _add_plan(network)
    resource_person(network, None, dt.date(2023, 1, 1))
    first = count_queries(lambda: network_rows(Network.objects.all(), 2024, TODAY))
    again = count_queries(lambda: network_rows(Network.objects.all(), 2024, TODAY))
    assert first - again >= 6  # the engine's six queries are saved
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=9)):
        assert count_queries(lambda: network_rows(Network.objects.all(), 2024, TODAY)) == again
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=11)):
        assert count_queries(lambda: network_rows(Network.objects.all(), 2024, TODAY)) >= again + 6


# --- access ---


@pytest.mark.django_db
def test_overview_networks_are_those_read_or_coordinated(
    network: Network, other_network: Network, alice: User, carl: User, rolf: User, rita: User, charlie: User
) -> None:
    other_network.municipalities.set(Municipality.objects.filter(number="4601"))
    assert list(overview_networks(site_reader())) == [network, other_network]
    assert list(overview_networks(trust_reader())) == [network]
    assert list(overview_networks(rolf)) == [network]
    assert list(overview_networks(alice)) == [network]
    assert list(overview_networks(charlie)) == [other_network]
    assert list(overview_networks(carl)) == []  # a chapter coordinator has the network's own pages
    assert list(overview_networks(rita)) == []


@pytest.mark.django_db
def test_an_ended_coordinator_role_gives_no_overview(network: Network) -> None:
    user = make_user("ex@example.no", "Eks Koordinator")
    membership = add_member(network, user, user.email, Role.COORDINATOR, dt.date(2020, 1, 1))
    membership.end = dt.date(2021, 1, 1)
    membership.save()
    NetworkReader.objects.filter(user=user).delete()
    assert list(overview_networks(user)) == []


def municipality(municipalities: list[MunicipalityCoverage], number: str) -> MunicipalityCoverage:
    return next(m for m in municipalities if m.number == number)
