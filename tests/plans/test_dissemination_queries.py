"""The facts of dissemination plans: timeframes as the seeds write them, the activities that carry a measure
out, and the year's facts that `plan_status` and the annual report read."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from fagnett.accounts.models import User
from fagnett.activities.models import ActivityKind
from fagnett.networks.models import Network
from fagnett.newsletters.models import Newsletter, NewsletterStatus
from fagnett.plans import dissemination_services as services
from fagnett.plans.dissemination_queries import (
    dissemination_year_facts,
    plan_table,
    target_text,
    timeframe_text,
)
from fagnett.plans.models import DisseminationPlan, Measure, MeasureCategory, MeasureStatus, MeasureYear
from tests.helpers import count_queries, nb
from tests.plans.test_dissemination_views import make_activity, make_measure, make_plan

FACT_KEYS = {
    "plan",
    "plan_period",
    "category",
    "title",
    "target_groups",
    "means",
    "timeframe",
    "priority_area",
    "is_new",
    "status",
    "status_label",
    "comment",
    "linked_count",
    "per_year_min",
    "per_year_max",
}


@pytest.fixture
def plan(network: Network) -> DisseminationPlan:
    return make_plan(network)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"from_year": 2024, "to_year": 2034}, "2024–2034"),
        ({"from_year": 2022, "to_year": 2025}, "2022–2025"),
        ({"from_year": 2020, "to_year": 2020}, "2020"),
        ({"from_year": 2026}, "2026–2034"),
        ({}, "2024–2034"),
        ({"ongoing": True}, "Continuous"),
        ({"ongoing": True, "from_year": 2021}, "Continuous from 2021"),
        ({"ongoing": True, "timeframe_note": "minst hvert halvår"}, "Continuous (minst hvert halvår)"),
        ({"timeframe_note": "Oppdateres ved behov"}, "Oppdateres ved behov"),
    ],
)
def test_the_timeframe_reads_as_in_the_seeds(
    plan: DisseminationPlan, values: dict[str, Any], expected: str
) -> None:
    measure = make_measure(plan, **values)
    text = expected.replace("Continuous from 2021", nb("Continuous from %(year)s", year=2021)).replace(
        "Continuous", nb("Continuous")
    )
    assert timeframe_text(measure, plan) == text


def test_the_target_reads_as_a_range_or_a_bound() -> None:
    assert target_text(2, 4) == nb("target %(min)s–%(max)s a year", min=2, max=4)
    assert target_text(3, 3) == nb("target %(count)s a year", count=3)
    assert target_text(2, None) == nb("target at least %(count)s a year", count=2)
    assert target_text(None, 4) == nb("target at most %(count)s a year", count=4)
    assert target_text(None, None) == ""


def test_an_activity_counts_once_whether_linked_or_of_a_counted_kind(
    network: Network, other_network: Network, plan: DisseminationPlan
) -> None:
    gatherings = [make_activity(network, dt.date(2024, month, 1)) for month in (2, 6, 10)]
    study_day = make_activity(network, dt.date(2024, 4, 1), kind=ActivityKind.STUDY_DAY, title="Fagdag")
    make_activity(network, dt.date(2023, 12, 31))  # another year
    make_activity(other_network, dt.date(2024, 5, 1))  # another network
    measure = make_measure(plan, activity_kinds=[ActivityKind.GATHERING])
    measure.activities.add(gatherings[0], study_day)
    row = plan_table(plan, 2024).rows[0]
    assert row.linked_count == 4  # three gatherings (one of them also linked) and the linked study day
    assert plan_table(plan, 2023).rows[0].linked_count == 1
    assert plan_table(plan, 2025).rows[0].linked_count == 0


def test_a_linked_newsletter_counts_in_the_year_its_sending_finished(
    network: Network, other_network: Network, plan: DisseminationPlan
) -> None:
    def newsletter(subject: str, status: str, finished: dt.datetime | None) -> Newsletter:
        return Newsletter.objects.create(
            network=network, subject=subject, status=status, finished_at=finished
        )

    spring = newsletter("Vår", NewsletterStatus.SENT, dt.datetime(2024, 4, 2, 9, tzinfo=dt.UTC))
    autumn = newsletter("Høst", NewsletterStatus.SENT, dt.datetime(2024, 10, 2, 9, tzinfo=dt.UTC))
    draft = newsletter("Utkast", NewsletterStatus.DRAFT, None)
    measure = make_measure(plan, title="Nyhetsbrev to ganger i året", per_year_min=2)
    measure.newsletters.add(spring, autumn, draft)
    measure.activities.add(make_activity(network, dt.date(2024, 3, 1)))
    assert plan_table(plan, 2024).rows[0].linked_count == 3  # two sent newsletters and one activity
    assert plan_table(plan, 2025).rows[0].linked_count == 0


def test_a_measure_refuses_another_networks_newsletter(
    network: Network, other_network: Network, plan: DisseminationPlan, alice: User
) -> None:
    foreign = Newsletter.objects.create(network=other_network, subject="Fremmed")
    data = services.MeasureData(
        category=MeasureCategory.objects.get(code="nettverksarbeid", network=None),
        title="Nyhetsbrev",
        newsletters=[foreign],
    )
    with pytest.raises(ValidationError) as error:
        services.create_measure(plan, data, actor=alice)
    assert "newsletters" in error.value.message_dict
    assert not Measure.objects.filter(plan=plan).exists()


def test_the_tables_categories_come_in_the_order_of_their_first_measure(plan: DisseminationPlan) -> None:
    make_measure(plan, title="B1", category_code="forskning", position=1)
    make_measure(plan, title="A1", category_code="informasjon", position=2)
    make_measure(plan, title="B2", category_code="forskning", position=3)
    table = plan_table(plan, 2024)
    assert [(group.name, [row.title for row in group.rows]) for group in table.groups] == [
        ("Forskning og fagutvikling", ["B1", "B2"]),
        ("Informasjon om tjenesten", ["A1"]),
    ]


def test_the_year_facts_have_the_fixed_keys_and_only_the_years_measures(
    network: Network, other_network: Network, plan: DisseminationPlan
) -> None:
    done = make_measure(
        plan,
        title="Nettverksmøter",
        target_groups=("H", "P"),
        means="Opprette nettverk\nMøter",
        priority_area=True,
        per_year_min=2,
        per_year_max=4,
        activity_kinds=[ActivityKind.GATHERING],
    )
    make_measure(
        plan, title="Kvalitetsregister", category_code="kvalitetsregister", from_year=2026, to_year=2034
    )
    make_measure(make_plan(network, title="Gammel plan", start=2018, end=2022), title="Gammelt tiltak")
    make_measure(make_plan(other_network, title="Bergen"), title="Bergens tiltak")
    MeasureYear.objects.create(measure=done, year=2024, status=MeasureStatus.DONE, comment="Tre møter")
    for month in (3, 6, 9):
        make_activity(network, dt.date(2024, month, 1))
    facts = dissemination_year_facts(network, 2024)
    json.dumps(facts)  # JSON-ready
    assert len(facts) == 1
    assert set(facts[0]) == FACT_KEYS
    assert facts[0] == {
        "plan": "Kompetansespredningsplan",
        "plan_period": "2024–2034",
        "category": "Nettverksarbeid",
        "title": "Nettverksmøter",
        "target_groups": ["P", "H"],
        "means": ["Opprette nettverk", "Møter"],
        "timeframe": "2024–2034",
        "priority_area": True,
        "is_new": False,
        "status": MeasureStatus.DONE.value,
        "status_label": nb("Done"),
        "comment": "Tre møter",
        "linked_count": 3,
        "per_year_min": 2,
        "per_year_max": 4,
    }
    assert [fact["title"] for fact in dissemination_year_facts(network, 2027)] == [
        "Nettverksmøter",
        "Kvalitetsregister",
    ]
    assert dissemination_year_facts(network, 2040) == []


def _plan_with(network: Network, count: int) -> DisseminationPlan:
    built = make_plan(network, title=f"Plan med {count}")
    for number in range(count):
        measure = make_measure(
            built,
            title=f"Tiltak {number}",
            category_code=("informasjon", "nettverksarbeid", "forskning")[number % 3],
            target_groups=("H", "P"),
            activity_kinds=[ActivityKind.GATHERING] if number % 2 else [],
        )
        measure.activities.add(make_activity(network, dt.date(2024, 1 + number % 12, 1), title=f"A{number}"))
        MeasureYear.objects.create(measure=measure, year=2024, status=MeasureStatus.ONGOING)
    return built


def test_the_table_and_the_facts_take_the_same_number_of_queries_for_3_and_30_measures(
    network: Network, other_network: Network
) -> None:
    small = _plan_with(network, 3)
    large = _plan_with(other_network, 30)
    assert count_queries(lambda: plan_table(small, 2024)) == count_queries(lambda: plan_table(large, 2024))
    assert count_queries(lambda: dissemination_year_facts(network, 2024)) == count_queries(
        lambda: dissemination_year_facts(other_network, 2024)
    )
    assert len(dissemination_year_facts(other_network, 2024)) == 30


def test_the_services_refuse_what_the_form_cannot_check(
    alice: User, network: Network, other_network: Network, plan: DisseminationPlan
) -> None:
    foreign = make_activity(other_network, dt.date(2024, 1, 1))
    data = services.MeasureData(
        category=MeasureCategory.objects.get(code="annet"),
        title="T",
        activities=[foreign],
        activity_kinds=["tull"],
    )
    with pytest.raises(ValidationError) as raised:
        services.create_measure(plan, data, actor=alice)
    assert set(raised.value.message_dict) == {"activities", "activity_kinds"}
    assert not Measure.objects.exists()
