"""The coverage engine and the `coverage` command, on a network whose answer is known.

The area of `network` plus Sola. On 15.06.2024:
- Stavanger: home care 2 (one membership ends that very day), nursing home 2 → covered;
- Sandnes: home care 1, nursing home 0 (one ended, one starts later, one is a working-group member) → gap;
- Sola: nursing home 1, no home care → gap;
- hospital units in scope: Barneavdelingen 1 (covered), Nyfødt intensiv 0 (gap); Kirurgisk is not in scope;
- not counted anywhere: a school, a person without workplace, a person working in Hå (outside the area).
Chapter "stavanger" (area 1103) holds only Stavanger's first home-care and first nursing-home person.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from fagnett.networks.coverage import CoverageFacts, compute_coverage, coverage_csv, coverage_json
from fagnett.networks.management.commands.coverage import Command
from fagnett.networks.models import (
    CoverageRule,
    CoverageScope,
    LocalChapter,
    Membership,
    Network,
    Person,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.networks.services import create_workplace, ensure_default_coverage_rules, move_membership
from fagnett.places.models import HealthTrust, Municipality
from tests.conftest import add_member
from tests.helpers import count_queries

DAY = dt.date(2024, 6, 15)


def municipality(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


def service_type(code: str) -> ServiceType:
    return ServiceType.objects.get(network=None, code=code)


def workplace(
    network: Network,
    name: str,
    code: str,
    number: str | None = None,
    *,
    in_scope: bool = False,
) -> Workplace:
    return create_workplace(
        network,
        name=name,
        service_type=service_type(code),
        municipality=municipality(number) if number else None,
        health_trust=HealthTrust.objects.get(short_name="Stavanger") if number is None else None,
        in_scope=in_scope,
        actor=None,
    )


def resource_person(
    network: Network,
    email: str,
    place: Workplace | None,
    start: dt.date = dt.date(2023, 1, 1),
    *,
    end: dt.date | None = None,
    chapter: LocalChapter | None = None,
    role: str = Role.RESOURCE_PERSON,
) -> Membership:
    membership = add_member(network, None, email, role, start, chapter=chapter)
    Person.objects.filter(pk=membership.person_id).update(workplace=place)
    if end is not None:
        membership.end = end
        membership.save(update_fields=["end"])
    return membership


@dataclass
class Places:
    stavanger_home_care: Workplace
    stavanger_nursing_home: Workplace
    sandnes_home_care: Workplace
    sandnes_nursing_home: Workplace
    sola_nursing_home: Workplace
    ward: Workplace
    neonatal: Workplace


def build_known_network(network: Network, chapter: LocalChapter) -> Places:
    """The network described in the module's docstring."""
    network.municipalities.add(municipality("1124"))
    ensure_default_coverage_rules(network, actor=None)
    places = Places(
        stavanger_home_care=workplace(network, "Hillevåg hjemmetjeneste", ServiceType.HOME_CARE, "1103"),
        stavanger_nursing_home=workplace(network, "Lassa sykehjem", ServiceType.NURSING_HOME, "1103"),
        sandnes_home_care=workplace(network, "Sandnes hjemmetjeneste", ServiceType.HOME_CARE, "1108"),
        sandnes_nursing_home=workplace(network, "Rovik sykehjem", ServiceType.NURSING_HOME, "1108"),
        sola_nursing_home=workplace(network, "Sola sykehjem", ServiceType.NURSING_HOME, "1124"),
        ward=workplace(network, "Barneavdelingen", ServiceType.HOSPITAL_UNIT, in_scope=True),
        neonatal=workplace(network, "Nyfødt intensiv", ServiceType.HOSPITAL_UNIT, in_scope=True),
    )
    workplace(network, "Kirurgisk avdeling", ServiceType.HOSPITAL_UNIT)  # not in scope: not listed
    school = workplace(network, "Kvaleberg skole", "skole", "1103")
    outside = workplace(network, "Hå hjemmetjeneste", ServiceType.HOME_CARE, "1119")

    first = resource_person(network, "s-hc1@example.no", places.stavanger_home_care, chapter=chapter)
    # The same person twice on the day (made directly, the services refuse it) is still one person.
    Membership.objects.create(
        person_id=first.person_id, network=network, role=first.role, start=dt.date(2024, 1, 1)
    )
    resource_person(network, "s-hc2@example.no", places.stavanger_home_care, end=DAY)  # ends that day
    resource_person(network, "s-nh1@example.no", places.stavanger_nursing_home, chapter=chapter)
    resource_person(network, "s-nh2@example.no", places.stavanger_nursing_home, start=DAY)  # starts that day
    resource_person(network, "sa-hc@example.no", places.sandnes_home_care)
    resource_person(network, "sa-nh-ended@example.no", places.sandnes_nursing_home, end=dt.date(2024, 5, 31))
    resource_person(network, "sa-nh-later@example.no", places.sandnes_nursing_home, start=dt.date(2024, 7, 1))
    resource_person(network, "sa-nh-wg@example.no", places.sandnes_nursing_home, role=Role.WORKING_GROUP)
    resource_person(network, "so-nh@example.no", places.sola_nursing_home)
    resource_person(network, "ward@example.no", places.ward)
    resource_person(network, "school@example.no", school)
    resource_person(network, "nowhere@example.no", None)
    resource_person(network, "ha@example.no", outside)
    return places


@pytest.fixture
def places(network: Network, chapter: LocalChapter) -> Places:
    return build_known_network(network, chapter)


def by_number(facts: CoverageFacts) -> dict[str, tuple[dict[str, int], bool, tuple[str, ...]]]:
    return {m.number: (m.counts, m.covered, m.missing) for m in facts.municipalities}


HC, NH = ServiceType.HOME_CARE, ServiceType.NURSING_HOME


def test_it_counts_active_resource_persons_per_municipality_and_service_type(
    network: Network, places: Places
) -> None:
    facts = compute_coverage(network, DAY)
    assert by_number(facts) == {
        "1103": ({HC: 2, NH: 2}, True, ()),
        "1108": ({HC: 1, NH: 0}, False, (NH,)),
        "1124": ({HC: 0, NH: 1}, False, (HC,)),
    }
    assert (facts.municipalities_covered, facts.municipalities_total) == (1, 3)
    assert [m.name for m in facts.municipalities] == ["Sandnes", "Sola", "Stavanger"]


def test_hospital_units_in_scope_need_one_resource_person_each(network: Network, places: Places) -> None:
    facts = compute_coverage(network, DAY)
    assert [(u.name, u.health_trust, u.count, u.covered) for u in facts.units] == [
        ("Barneavdelingen", "Helse Stavanger HF", 1, True),
        ("Nyfødt intensiv", "Helse Stavanger HF", 0, False),
    ]
    assert (facts.units_covered, facts.units_total) == (1, 2)


def test_persons_without_a_workplace_are_reported_not_counted(network: Network, places: Places) -> None:
    assert compute_coverage(network, DAY).persons_without_workplace == 1


def test_gaps_are_listed_by_name(network: Network, places: Places) -> None:
    with translation.override("en"):
        gaps = compute_coverage(network, DAY).gaps
    assert gaps == (
        "Sandnes: missing sykehjem",
        "Sola: missing hjemmetjeneste",
        "Nyfødt intensiv (Helse Stavanger HF): missing a resource person",
    )


def test_a_membership_that_ended_the_day_before_no_longer_counts(network: Network, places: Places) -> None:
    facts = compute_coverage(network, DAY + dt.timedelta(days=1))
    assert by_number(facts)["1103"][0] == {HC: 1, NH: 2}


def test_a_membership_starting_after_the_date_does_not_count_yet(network: Network, places: Places) -> None:
    assert by_number(compute_coverage(network, DAY - dt.timedelta(days=1)))["1103"][0] == {HC: 2, NH: 1}
    assert by_number(compute_coverage(network, dt.date(2024, 7, 1)))["1108"] == ({HC: 1, NH: 1}, True, ())


def test_a_chapter_counts_only_its_own_memberships_in_its_own_area(
    network: Network, chapter: LocalChapter, places: Places
) -> None:
    facts = compute_coverage(network, DAY, chapter)
    assert by_number(facts) == {"1103": ({HC: 1, NH: 1}, True, ())}
    assert (facts.chapter_slug, facts.chapter_name) == ("stavanger", "Stavanger")
    # Hospital units belong to the network as a whole.
    assert (facts.units_checked, facts.units, facts.chapters) == (False, (), ())


def test_the_network_view_sums_up_every_chapter(
    network: Network, chapter: LocalChapter, places: Places
) -> None:
    sandnes = LocalChapter.objects.create(network=network, name="Sandnes", slug="sandnes")
    sandnes.municipalities.set([municipality("1108")])
    LocalChapter.objects.create(network=network, name="Uten område", slug="tom")
    lines = [
        (c.slug, c.municipalities_covered, c.municipalities_total)
        for c in compute_coverage(network, DAY).chapters
    ]
    assert lines == [("sandnes", 0, 1), ("stavanger", 1, 1), ("tom", 0, 0)]


def test_a_move_between_chapters_moves_the_person_in_the_chapter_view(
    network: Network, chapter: LocalChapter, places: Places
) -> None:
    other = LocalChapter.objects.create(network=network, name="Sør", slug="sor")
    other.municipalities.set([municipality("1103")])
    membership = Membership.objects.get(person__email="s-nh1@example.no")
    move_membership(membership, chapter=other, on=dt.date(2024, 6, 1), actor=None)
    assert by_number(compute_coverage(network, DAY, chapter))["1103"] == ({HC: 1, NH: 0}, False, (NH,))
    assert by_number(compute_coverage(network, DAY, other))["1103"] == ({HC: 0, NH: 1}, False, (HC,))
    assert by_number(compute_coverage(network, DAY))["1103"][0] == {HC: 2, NH: 2}


def test_a_rule_can_ask_for_more_than_one(network: Network, places: Places) -> None:
    CoverageRule.objects.filter(network=network, scope=CoverageScope.MUNICIPALITY).update(minimum=2)
    facts = compute_coverage(network, DAY)
    assert by_number(facts)["1103"][1] is True
    assert by_number(facts)["1108"][2] == (HC, NH)


def test_without_a_hospital_rule_units_are_not_checked(network: Network, places: Places) -> None:
    CoverageRule.objects.filter(network=network, scope=CoverageScope.HOSPITAL_UNIT).delete()
    facts = compute_coverage(network, DAY)
    assert (facts.units_checked, facts.units_total) == (False, 0)


def test_a_network_without_rules_is_checked_against_the_template_rule_without_storing_it(
    network: Network,
) -> None:
    resource_person(network, "x@example.no", workplace(network, "Lassa", ServiceType.NURSING_HOME, "1103"))
    facts = compute_coverage(network, DAY)
    assert facts.default_rules is True
    assert [t.code for t in facts.required_types] == [HC, NH]
    assert by_number(facts)["1103"] == ({HC: 0, NH: 1}, False, (HC,))
    assert not CoverageRule.objects.filter(network=network).exists()


def test_another_networks_persons_do_not_count(
    network: Network, other_network: Network, places: Places
) -> None:
    other_network.municipalities.set([municipality("1108")])
    foreign = workplace(other_network, "Rovik sykehjem", ServiceType.NURSING_HOME, "1108")
    resource_person(other_network, "foreign@example.no", foreign)
    assert by_number(compute_coverage(network, DAY))["1108"][0] == {HC: 1, NH: 0}


def test_the_statement_lists_the_gaps(network: Network, places: Places) -> None:
    with translation.override("en"):
        statement = compute_coverage(network, DAY).statement()
    assert statement == (
        "1 of 3 municipalities in the area are covered. Sandnes: missing sykehjem. "
        "Sola: missing hjemmetjeneste. 1 of 2 hospital units in scope are represented. "
        "Nyfødt intensiv (Helse Stavanger HF): missing a resource person."
    )


def test_the_statement_is_the_annual_report_sentence_when_everything_is_covered(
    network: Network, places: Places
) -> None:
    resource_person(network, "sa-nh@example.no", places.sandnes_nursing_home)
    resource_person(network, "so-hc@example.no", workplace(network, "Sola hjemmetjeneste", HC, "1124"))
    resource_person(network, "neo@example.no", places.neonatal)
    with translation.override("en"):
        facts = compute_coverage(network, DAY)
        statement = facts.statement()
    assert facts.all_covered and facts.gaps == ()
    assert statement == (
        "Every municipality in the area has at least one resource person from home care and one from a "
        "nursing home. Every unit of the hospital in the network's area is represented by at least one "
        "resource person."
    )


def test_the_statement_leaves_out_hospitals_when_there_are_no_units(
    network: Network, chapter: LocalChapter
) -> None:
    ensure_default_coverage_rules(network, actor=None)
    for number in ("1103", "1108"):
        resource_person(network, f"hc{number}@example.no", workplace(network, f"HC {number}", HC, number))
        resource_person(network, f"nh{number}@example.no", workplace(network, f"NH {number}", NH, number))
    with translation.override("en"):
        statement = compute_coverage(network, DAY).statement()
    assert statement == (
        "Every municipality in the area has at least one resource person from home care and one from a "
        "nursing home."
    )


def test_the_query_count_does_not_grow_with_persons(network: Network, chapter: LocalChapter) -> None:
    build_known_network(network, chapter)
    home_care = Workplace.objects.get(name="Hillevåg hjemmetjeneste")

    def counts() -> tuple[int, int]:
        return (
            count_queries(lambda: compute_coverage(network, DAY)),
            count_queries(lambda: compute_coverage(network, DAY, chapter)),
        )

    for i in range(5):
        resource_person(network, f"few{i}@example.no", home_care, chapter=chapter)
    few = counts()
    for i in range(45):
        resource_person(network, f"many{i}@example.no", home_care, chapter=chapter)
    network.municipalities.add(*Municipality.objects.filter(number__in=["1119", "1127"]))
    assert counts() == few
    assert few[0] <= 6


def run(*args: str) -> str:
    out = StringIO()
    call_command("coverage", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_facts_as_json(network: Network, places: Places) -> None:
    printed = json.loads(run("--network", "barnepalliasjon", "--date", "2024-06-15", "--format", "json"))
    assert printed == coverage_json(compute_coverage(network, DAY))
    assert printed["date"] == "2024-06-15"
    assert printed["municipalities"][0] == {
        "number": "1108",
        "name": "Sandnes",
        "counts": {HC: 1, NH: 0},
        "covered": False,
        "missing": [NH],
    }
    assert printed["units"][1] == {
        "name": "Nyfødt intensiv",
        "health_trust": "Helse Stavanger HF",
        "count": 0,
        "covered": False,
    }
    totals = [printed[key] for key in ("municipalities_covered", "municipalities_total")]
    assert totals + [printed["units_covered"], printed["units_total"]] == [1, 3, 1, 2]


def test_the_command_prints_csv_with_one_row_per_municipality_and_unit(
    network: Network, places: Places
) -> None:
    printed = run("--network", "barnepalliasjon", "--date", "2024-06-15", "--format", "csv")
    assert printed.splitlines() == [
        "type,number,name,hjemmetjeneste,sykehjem,count,covered",
        "kommune,1108,Sandnes,1,0,1,nei",
        "kommune,1124,Sola,0,1,1,nei",
        "kommune,1103,Stavanger,2,2,4,ja",
        "sykehusavdeling,,Barneavdelingen,,,1,ja",
        "sykehusavdeling,,Nyfødt intensiv,,,0,nei",
    ]
    assert printed == coverage_csv(compute_coverage(network, DAY))


def test_the_command_counts_one_chapter(network: Network, chapter: LocalChapter, places: Places) -> None:
    printed = json.loads(
        run("--network", "barnepalliasjon", "--date", "2024-06-15", "--chapter", "stavanger")
    )
    assert [(m["number"], m["counts"]) for m in printed["municipalities"]] == [("1103", {HC: 1, NH: 1})]
    assert (printed["units"], printed["units_total"]) == ([], 0)


@pytest.mark.django_db
def test_the_command_checks_today_in_oslo_by_default(network: Network, places: Places) -> None:
    # 23:30 UTC on 14 June is already 15 June in Oslo: the membership starting on the 15th counts.
    with time_machine.travel(dt.datetime(2024, 6, 14, 23, 30, tzinfo=dt.UTC), tick=False):
        printed = json.loads(run("--network", "barnepalliasjon"))
    assert printed["date"] == "2024-06-15"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--network", "finnes-ikke"], "finnes-ikke"),
        (["--network", "barnepalliasjon", "--chapter", "finnes-ikke"], "finnes-ikke"),
        (["--network", "barnepalliasjon", "--date", "15.06.2024"], "YYYY-MM-DD"),
    ],
)
def test_the_command_fails_with_exit_code_1_and_a_message(
    network: Network, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "coverage", *args])
    assert exit_info.value.code == 1
    assert message in capsys.readouterr().err
