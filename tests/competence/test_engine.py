from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from fagnett.activities.models import ActivityKind, AttendanceStatus, ShadowingStatus
from fagnett.competence.engine import (
    PersonCompetence,
    RequirementStatus,
    add_months,
    network_status,
    person_status,
)
from fagnett.competence.models import CompetencePlan, Requirement, RequirementKind
from fagnett.competence.services import ensure_default_plan
from fagnett.networks.models import Network
from tests.competence.helpers import attend, resource_person, shadow
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

DEFAULT_CODES = ["introduksjonskurs", "hospitering", "samlinger_antall", "samlinger_timer", "fagdag"]
GATHERING = ActivityKind.GATHERING
STUDY_DAY = ActivityKind.STUDY_DAY
INTRO = ActivityKind.INTRO_COURSE
TODAY = dt.date(2025, 10, 1)
NOW = dt.datetime(2025, 10, 1, 12, tzinfo=dt.UTC)


def by_code(person: PersonCompetence | None) -> dict[str, RequirementStatus]:
    assert person is not None
    return {status.requirement: status for status in person.requirements}


def statuses(person: PersonCompetence | None) -> dict[str, str]:
    return {code: status.status for code, status in by_code(person).items()}


def test_a_new_network_gets_the_default_plan_with_the_stable_names(network: Network) -> None:
    plan = CompetencePlan.objects.get(network=network)
    assert plan.min_months_for_yearly == 6
    assert list(plan.requirements.values_list("code", flat=True)) == DEFAULT_CODES
    intro = plan.requirements.get(code="introduksjonskurs")
    assert (intro.kind, intro.within_months, intro.min_hours) == (RequirementKind.ONCE, 12, Decimal(6))
    assert plan.requirements.get(code="hospitering").min_shadowing_days == Decimal(1)


def test_it_does_not_add_a_second_default_plan(network: Network) -> None:
    assert ensure_default_plan(network, actor=None) is None
    assert CompetencePlan.objects.filter(network=network).count() == 1


@time_machine.travel(NOW, tick=False)
def test_joining_mid_year_with_less_than_six_months_makes_yearly_requirements_not_applicable(
    network: Network,
) -> None:
    late = resource_person(network, "sen@example.no", dt.date(2025, 8, 1))
    july = resource_person(network, "juli@example.no", dt.date(2025, 7, 1))

    late_status = person_status(late, 2025)
    assert statuses(late_status) == {
        "introduksjonskurs": "due",
        "hospitering": "due",
        "samlinger_antall": "not_applicable",
        "samlinger_timer": "not_applicable",
        "fagdag": "not_applicable",
    }
    assert by_code(late_status)["introduksjonskurs"].deadline == dt.date(2026, 8, 1)
    # Six whole months (July–December) is enough: the yearly requirements apply and are due this year.
    assert statuses(person_status(july, 2025))["samlinger_antall"] == "due"


@time_machine.travel(NOW, tick=False)
def test_leaving_mid_year_counts_only_the_months_as_member(network: Network) -> None:
    april = resource_person(network, "april@example.no", dt.date(2022, 1, 10), end=dt.date(2024, 4, 30))
    july = resource_person(network, "juli@example.no", dt.date(2022, 1, 10), end=dt.date(2024, 7, 31))
    attend(july, GATHERING, dt.date(2024, 3, 5), "6")
    attend(july, GATHERING, dt.date(2024, 6, 5), "6")

    assert statuses(person_status(april, 2024))["samlinger_antall"] == "not_applicable"
    july_status = statuses(person_status(july, 2024))
    assert july_status["samlinger_antall"] == "met"
    assert july_status["samlinger_timer"] == "met"
    assert july_status["fagdag"] == "overdue"
    # Joined in 2022 and never took the course: overdue since 10.01.2023.
    assert july_status["introduksjonskurs"] == "overdue"
    # After leaving, the person is no longer listed for a later year.
    assert person_status(july, 2025) is None


@time_machine.travel(NOW, tick=False)
def test_a_plan_changed_between_years_applies_the_version_valid_in_each_year(network: Network) -> None:
    person = resource_person(network, "kari@example.no", dt.date(2023, 1, 1))
    attend(person, STUDY_DAY, dt.date(2024, 5, 2), "4")
    attend(person, STUDY_DAY, dt.date(2025, 5, 2), "4")
    newer = CompetencePlan.objects.create(network=network, name="Ny plan", valid_from=dt.date(2025, 1, 1))
    Requirement.objects.create(
        plan=newer,
        code="fagdag",
        name="Fagdag 3 timer",
        kind=RequirementKind.YEARLY_HOURS,
        activity_kinds=[STUDY_DAY],
        min_hours=Decimal(3),
    )

    old = person_status(person, 2024)
    assert [s.requirement for s in by_code(old).values()] == DEFAULT_CODES
    assert by_code(old)["fagdag"].status == "overdue"
    assert statuses(person_status(person, 2025)) == {"fagdag": "met"}
    plan = network_status(network, 2025).plan
    assert plan is not None
    assert plan.name == "Ny plan"


@time_machine.travel(NOW, tick=False)
def test_partial_hours_count_as_recorded(network: Network) -> None:
    person = resource_person(network, "kari@example.no", dt.date(2023, 1, 1))
    attend(person, GATHERING, dt.date(2024, 3, 1), "6", title="Vår")
    attend(person, GATHERING, dt.date(2024, 9, 1), "6", title="Høst", credited="5.5")
    attend(person, GATHERING, dt.date(2024, 11, 1), "6", title="Fravær", status=AttendanceStatus.ABSENT)

    status = by_code(person_status(person, 2024))
    assert status["samlinger_antall"].status == "met"
    assert status["samlinger_antall"].activity_titles == ["Vår", "Høst"]
    assert status["samlinger_timer"].status == "overdue"
    assert status["samlinger_timer"].hours == Decimal("11.5")


@time_machine.travel(NOW, tick=False)
def test_shadowing_counts_its_completed_days(network: Network) -> None:
    person = resource_person(network, "kari@example.no", dt.date(2025, 2, 1))
    shadow(person, dt.date(2025, 4, 1), "0.5")
    shadow(person, dt.date(2025, 5, 1), "2", status=ShadowingStatus.PLANNED)
    assert by_code(person_status(person, 2025))["hospitering"].status == "due"
    assert by_code(person_status(person, 2025))["hospitering"].days == Decimal("0.5")

    shadow(person, dt.date(2025, 6, 1), "0.5")
    hospitering = by_code(person_status(person, 2025))["hospitering"]
    assert (hospitering.status, hospitering.days) == ("met", Decimal(1))


@time_machine.travel(NOW, tick=False)
def test_an_activity_exactly_at_the_deadline_meets_the_requirement(network: Network) -> None:
    on_time = resource_person(network, "tid@example.no", dt.date(2024, 3, 1))
    late = resource_person(network, "sen@example.no", dt.date(2024, 3, 1))
    attend(on_time, INTRO, dt.date(2025, 3, 1), "6", title="Introduksjonskurs 2025")
    attend(late, INTRO, dt.date(2025, 3, 2), "6")

    intro = by_code(person_status(on_time, 2025))["introduksjonskurs"]
    assert (intro.status, intro.deadline, intro.activity_titles) == (
        "met",
        dt.date(2025, 3, 1),
        ["Introduksjonskurs 2025"],
    )
    assert by_code(person_status(late, 2025))["introduksjonskurs"].status == "overdue"
    # In 2024 the deadline had not passed: still due then, as of 31.12.2024.
    assert by_code(person_status(on_time, 2024))["introduksjonskurs"].status == "due"


@time_machine.travel(NOW, tick=False)
def test_an_introductory_course_short_of_six_hours_is_not_enough(network: Network) -> None:
    person = resource_person(network, "kari@example.no", dt.date(2025, 1, 6))
    attend(person, INTRO, dt.date(2025, 2, 1), "6", credited="4")
    assert by_code(person_status(person, 2025))["introduksjonskurs"].status == "due"


@time_machine.travel(NOW, tick=False)
def test_a_person_in_two_networks_follows_each_networks_plan(
    network: Network, other_network: Network
) -> None:
    here = resource_person(network, "kari@example.no", dt.date(2023, 1, 1))
    there = resource_person(other_network, "kari@example.no", dt.date(2023, 1, 1))
    other_plan = CompetencePlan.objects.get(network=other_network)
    other_plan.requirements.exclude(code="fagdag").delete()
    other_plan.requirements.filter(code="fagdag").update(min_hours=Decimal(4))
    attend(here, STUDY_DAY, dt.date(2025, 4, 1), "4")
    attend(there, STUDY_DAY, dt.date(2025, 4, 2), "4")

    assert statuses(person_status(here, 2025))["fagdag"] == "due"
    assert statuses(person_status(there, 2025)) == {"fagdag": "met"}
    assert [p.email for p in network_status(network, 2025).persons] == ["kari@example.no"]


@time_machine.travel(NOW, tick=False)
def test_the_summary_counts_applicable_and_met_persons(network: Network) -> None:
    met = resource_person(network, "a@example.no", dt.date(2023, 1, 1))
    resource_person(network, "b@example.no", dt.date(2023, 1, 1))
    resource_person(network, "c@example.no", dt.date(2025, 9, 1))
    attend(met, STUDY_DAY, dt.date(2025, 4, 1), "6")

    summary = {row.requirement: row for row in network_status(network, 2025).summary}
    assert (summary["fagdag"].applicable, summary["fagdag"].met) == (2, 1)
    assert (summary["introduksjonskurs"].applicable, summary["introduksjonskurs"].met) == (3, 0)


def test_it_adds_months_to_the_end_of_a_shorter_month() -> None:
    assert add_months(dt.date(2024, 3, 1), 12) == dt.date(2025, 3, 1)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 11, 30), 2) == dt.date(2025, 1, 30)


def test_it_refuses_a_year_that_has_not_begun(network: Network) -> None:
    with pytest.raises(ValueError, match="2031"):
        network_status(network, 2031, today=TODAY)


def test_the_network_costs_the_same_queries_for_5_and_40_persons(network: Network) -> None:
    def populate(first: int, last: int) -> None:
        for i in range(first, last):
            person = resource_person(network, f"p{i}@example.no", dt.date(2024, 1 + i % 12, 1))
            attend(person, GATHERING, dt.date(2025, 3, 1 + i % 28), "6")
            shadow(person, dt.date(2025, 4, 1 + i % 28), "1")

    populate(0, 5)
    small = count_queries(lambda: network_status(network, 2025, today=TODAY))
    populate(5, 40)
    facts = network_status(network, 2025, today=TODAY)
    assert len(facts.persons) == 40
    assert count_queries(lambda: network_status(network, 2025, today=TODAY)) == small == 6
    person = network.persons.get(email="p7@example.no")
    assert count_queries(lambda: person_status(person, 2025, today=TODAY)) == 6


def test_an_explicit_default_plan_is_audited_with_its_actor(other_network: Network) -> None:
    from fagnett.audit.models import AuditEntry
    from tests.conftest import make_user

    CompetencePlan.objects.filter(network=other_network).delete()
    actor = make_user("admin@example.no")
    plan = ensure_default_plan(other_network, actor=actor)
    assert plan is not None
    entry = AuditEntry.objects.get(action="competence.default_plan_created")
    assert entry.actor == actor
