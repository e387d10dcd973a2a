"""The plans hub (plans/views/overview.py, plans/hub_queries.hub_facts): who may open it, the year it shows,
the figures of each block on known data, and a query count that does not grow with the data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.networks.models import Network
from fagnett.plans.hub_queries import hub_facts
from fagnett.plans.models import (
    Achievement,
    DisseminationPlan,
    EconomyKind,
    EconomyLine,
    Indicator,
    IndicatorPeriod,
    IndicatorSource,
    IndicatorValue,
    LearningResource,
    MainGoal,
    Measure,
    MeasureCategory,
    MeasureStatus,
    MeasureYear,
    Partner,
    PriorityArea,
    PriorityKind,
    ResourceKind,
    SubGoal,
    SubGoalAssessment,
)
from tests.conftest import login
from tests.helpers import count_queries, nb

pytestmark = pytest.mark.django_db

SLUG = "barnepalliasjon"
URL = reverse("plans:overview", args=[SLUG])
READERS = ["alice", "carl", "rolf"]
OUTSIDERS = ["rita", "lena", "charlie", "nobody"]
HUB_QUERIES = 13


@pytest.fixture(autouse=True)
def _in_2024() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2024, 10, 1, 12, tzinfo=dt.UTC), tick=False):
        yield


def _measure(plan: DisseminationPlan, title: str, **fields: Any) -> Measure:
    category = MeasureCategory.objects.get(code="nettverksarbeid", network=None)
    return Measure.objects.create(plan=plan, category=category, title=title, **fields)


def build(network: Network, copies: int = 1, first: int = 0) -> None:
    """Known data for 2024; `copies` repeats every row to make the data larger without changing its shape."""
    for copy in range(first, first + copies):
        plan = DisseminationPlan.objects.create(
            network=network, title=f"Plan {copy}", start_year=2024, end_year=2026
        )
        done = _measure(plan, "Nettverksmøter")
        MeasureYear.objects.create(measure=done, year=2024, status=MeasureStatus.DONE)
        MeasureYear.objects.create(measure=done, year=2023, status=MeasureStatus.NOT_DONE)
        ongoing = _measure(plan, "Nyhetsbrev")
        MeasureYear.objects.create(measure=ongoing, year=2024, status=MeasureStatus.ONGOING)
        _measure(plan, "Fagdag")  # applies in 2024, not assessed
        _measure(plan, "Kvalitetsregister", from_year=2026)  # not in 2024
        running = _measure(plan, "Rådgivning", from_year=2020, ongoing=True)
        MeasureYear.objects.create(measure=running, year=2024, status=MeasureStatus.PLANNED)
        later = DisseminationPlan.objects.create(
            network=network, title=f"Senere plan {copy}", start_year=2030, end_year=2031
        )
        _measure(later, "Alt")

        goal = MainGoal.objects.create(
            network=network, text=f"Hovedmål {copy}", start_year=2022, end_year=2024, position=copy
        )
        for index, achievement in enumerate((Achievement.YES, Achievement.YES, Achievement.PARTLY, None)):
            sub_goal = SubGoal.objects.create(
                main_goal=goal, label=str(index + 1), description="Delmål", position=index
            )
            if achievement:
                SubGoalAssessment.objects.create(sub_goal=sub_goal, year=2024, achievement=achievement)
        MainGoal.objects.create(network=network, text=f"Fremtidig mål {copy}", start_year=2030)

        yearly = Indicator.objects.create(
            network=network, name=f"Henvisninger {copy}", unit="barn/unge", source=IndicatorSource.ENTERED
        )
        IndicatorValue.objects.create(indicator=yearly, year=2024, value=Decimal(12))
        IndicatorValue.objects.create(indicator=yearly, year=2023, value=Decimal(7))
        quarterly = Indicator.objects.create(
            network=network,
            name=f"Tilsyn {copy}",
            source=IndicatorSource.ENTERED,
            period=IndicatorPeriod.QUARTER,
        )
        IndicatorValue.objects.create(indicator=quarterly, year=2024, period=1, value=Decimal(2))
        IndicatorValue.objects.create(indicator=quarterly, year=2024, period=2, value=Decimal("3.5"))
        Indicator.objects.create(network=network, name=f"Tomt {copy}", source=IndicatorSource.ENTERED)
        Indicator.objects.create(
            network=network, name=f"Deltakere {copy}", source=IndicatorSource.PARTICIPANTS
        )

        for priority in (PriorityKind.CONTINUED, PriorityKind.CONTINUED, PriorityKind.NEW):
            PriorityArea.objects.create(network=network, year=2024, kind=priority, title=f"{priority} {copy}")
        PriorityArea.objects.create(network=network, year=2023, kind=PriorityKind.NEW, title="I fjor")

        for kind, amount in (
            (EconomyKind.GRANT, "100000"),
            (EconomyKind.COURSE_FEES, "20000"),
            (EconomyKind.OTHER_INCOME, "10000"),
            (EconomyKind.COST, "50000"),
        ):
            EconomyLine.objects.create(
                network=network, year=2024, kind=kind, source="x", amount=Decimal(amount)
            )
        EconomyLine.objects.create(
            network=network, year=2023, kind=EconomyKind.GRANT, source="I fjor", amount=Decimal(999)
        )

        Partner.objects.create(network=network, name=f"Aktiv {copy}", since_year=2020)
        Partner.objects.create(network=network, name=f"Avsluttet {copy}", since_year=2018, until_year=2020)
        LearningResource.objects.create(network=network, title=f"Bok {copy}", kind=ResourceKind.BOOK)
        LearningResource.objects.create(network=network, title=f"Film {copy}", kind=ResourceKind.VIDEO)


# Access --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", READERS)
def test_coordinators_chapter_coordinators_and_readers_open_the_hub(
    client: Client, network: Network, persona: str, request: pytest.FixtureRequest
) -> None:
    build(network)
    response = login(client, request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    assert response.context["nav"] == "plans"
    page = response.content.decode()
    assert "Plan 0" in page
    assert reverse("plans:goals", args=[SLUG]) + "?aar=2024" in page
    assert reverse("plans:partners", args=[SLUG]) in page


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_resource_persons_leaders_and_outsiders_get_404(
    client: Client, network: Network, persona: str, request: pytest.FixtureRequest
) -> None:
    assert login(client, request.getfixturevalue(persona)).get(URL).status_code == 404


def test_only_the_coordinator_sees_the_add_links(
    client: Client, network: Network, alice: User, carl: User, rolf: User
) -> None:
    adds = [
        reverse(f"plans:{name}", args=[SLUG])
        for name in (
            "plan_create",
            "main_goal_create",
            "indicator_create",
            "priority_create",
            "economy_create",
            "partner_create",
            "resource_create",
        )
    ]
    page = login(client, alice).get(URL).content.decode()
    assert all(add in page for add in adds)
    for reader in (carl, rolf):
        page = login(Client(), reader).get(URL).content.decode()
        assert not any(add in page for add in adds)


# The year ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "abc", "²⁰²⁴", "1949", "2101", "20245", "-2024"])
def test_anything_but_a_year_shows_the_current_year(
    client: Client, network: Network, rolf: User, value: str
) -> None:
    response = login(client, rolf).get(URL, {"aar": value})
    assert response.status_code == 200
    assert response.context["year"] == 2024


def test_a_year_in_the_url_is_shown(client: Client, network: Network, rolf: User) -> None:
    build(network)
    response = login(client, rolf).get(URL, {"aar": "2023"})
    assert response.context["year"] == 2023
    facts = response.context["facts"]
    plan = next(row for row in facts["plans"] if row["title"] == "Plan 0")
    # Only the ongoing measure from 2020 falls in 2023; a status stored outside a measure's timeframe does not
    # count.
    assert plan["measures_in_year"] == 1
    assert plan["year_status"] == {"done": 0, "ongoing": 0, "planned": 0, "not_done": 0, "not_assessed": 1}
    assert facts["economy"]["income"] == 999
    assert f"{URL}?aar=2022" in response.content.decode()


# The figures ---------------------------------------------------------------------------------------------


def test_the_hub_counts_each_block_on_known_data(network: Network, other_network: Network) -> None:
    build(network)
    build(other_network)  # nothing of another network may count
    facts = hub_facts(network, 2024)
    assert facts["year"] == 2024
    assert facts["plans"] == [
        {
            "id": DisseminationPlan.objects.get(network=network, title="Senere plan 0").pk,
            "title": "Senere plan 0",
            "start_year": 2030,
            "end_year": 2031,
            "covers_year": False,
            "measures": 1,
            "measures_in_year": 0,
            "year_status": {"done": 0, "ongoing": 0, "planned": 0, "not_done": 0, "not_assessed": 0},
        },
        {
            "id": DisseminationPlan.objects.get(network=network, title="Plan 0").pk,
            "title": "Plan 0",
            "start_year": 2024,
            "end_year": 2026,
            "covers_year": True,
            "measures": 5,
            "measures_in_year": 4,
            "year_status": {"done": 1, "ongoing": 1, "planned": 1, "not_done": 0, "not_assessed": 1},
        },
    ]
    assert [
        (g["text"], g["sub_goals"], g["achieved"], g["partly"], g["not_assessed"]) for g in facts["goals"]
    ] == [("Hovedmål 0", 4, 2, 1, 1)]
    assert [(i["name"], i["computed"], i["value"], i["unit"]) for i in facts["indicators"]] == [
        ("Deltakere 0", True, None, ""),
        ("Henvisninger 0", False, 12, "barn/unge"),
        ("Tilsyn 0", False, 5.5, ""),
        ("Tomt 0", False, None, ""),
    ]
    assert facts["priorities"] == {"new": 1, "continued": 2, "titles": ["ny 0", "videre 0", "videre 0"]}
    assert facts["economy"] == {"has_lines": True, "income": 130000, "costs": 50000, "result": 80000}
    assert (facts["partners"], facts["partners_total"], facts["resources"]) == (1, 2, 2)


def test_the_page_shows_the_goal_and_indicator_lines(client: Client, network: Network, alice: User) -> None:
    build(network)
    page = login(client, alice).get(URL).content.decode()
    assert nb(
        "%(achieved)s of %(total)s sub-goals achieved, %(partly)s partly", achieved=2, total=4, partly=1
    ) in (page)
    assert (
        reverse("plans:indicator_detail", args=[SLUG, Indicator.objects.get(name="Deltakere 0").pk]) in page
    )
    assert reverse("plans:values_edit", args=[SLUG, Indicator.objects.get(name="Tomt 0").pk, 2024]) in page
    assert "12 barn/unge" in page


def test_an_empty_hub_says_what_to_do_next(client: Client, network: Network, alice: User, rolf: User) -> None:
    page = login(client, alice).get(URL).content.decode()
    assert (
        nb(
            "No dissemination plan yet. Create one to describe the measures the network will carry out, "
            "for whom, how and when – or import it from a spreadsheet."
        )
        in page
    )
    assert (
        nb(
            "No result indicators yet. Add the figures the network reports on: computed from the "
            "activities, or counts you enter."
        )
        in page
    )
    reader_page = login(Client(), rolf).get(URL).content.decode()
    assert nb("The network has no dissemination plan yet.") in reader_page
    facts = hub_facts(network, 2024)
    assert facts["economy"] == {"has_lines": False, "income": 0, "costs": 0, "result": 0}
    assert facts["plans"] == facts["goals"] == facts["indicators"] == []


def test_the_hub_costs_a_fixed_number_of_queries(client: Client, network: Network, alice: User) -> None:
    build(network)
    small = count_queries(lambda: hub_facts(network, 2024))
    login(client, alice)
    small_page = count_queries(lambda: client.get(URL))
    build(network, copies=6, first=1)
    assert count_queries(lambda: hub_facts(network, 2024)) == small == HUB_QUERIES
    assert count_queries(lambda: client.get(URL)) == small_page
    assert len(hub_facts(network, 2024)["plans"]) == 14
