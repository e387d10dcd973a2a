from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command

from fagnett.activities.models import ActivityKind
from fagnett.networks.models import Network
from tests.competence.helpers import attend, resource_person, shadow

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 10, 1, 12, tzinfo=dt.UTC)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("competence_status", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def kari(network: Network) -> None:
    person = resource_person(network, "kari@example.no", dt.date(2024, 2, 1))
    attend(person, ActivityKind.INTRO_COURSE, dt.date(2024, 3, 1), "6", title="Introduksjonskurs")
    attend(person, ActivityKind.GATHERING, dt.date(2024, 4, 1), "6", title="Vårsamling")
    attend(person, ActivityKind.GATHERING, dt.date(2024, 10, 1), "6", title="Høstsamling", credited="4.5")
    shadow(person, dt.date(2024, 5, 1), "1.5")
    resource_person(network, "left-earlier@example.no", dt.date(2022, 1, 1), end=dt.date(2023, 12, 31))


@time_machine.travel(NOW, tick=False)
def test_it_prints_the_json_keys_and_statuses_for_a_past_year(network: Network, kari: None) -> None:
    data = json.loads(run("--network", "barnepalliasjon", "--year", "2024", "--format", "json"))

    assert list(data) == ["persons", "summary"]
    assert [p["email"] for p in data["persons"]] == ["kari@example.no"]
    requirements = {r["requirement"]: r for r in data["persons"][0]["requirements"]}
    assert list(requirements) == [
        "introduksjonskurs",
        "hospitering",
        "samlinger_antall",
        "samlinger_timer",
        "fagdag",
    ]
    assert requirements["introduksjonskurs"] == {
        "requirement": "introduksjonskurs",
        "status": "met",
        "hours": 6,
        "activities": ["Introduksjonskurs"],
        "days": 0,
    }
    assert requirements["hospitering"]["days"] == 1.5
    assert requirements["hospitering"]["status"] == "met"
    assert requirements["samlinger_antall"]["status"] == "met"
    assert (requirements["samlinger_timer"]["status"], requirements["samlinger_timer"]["hours"]) == (
        "overdue",
        10.5,
    )
    assert requirements["fagdag"]["status"] == "overdue"
    assert data["summary"][0] == {"requirement": "introduksjonskurs", "applicable": 1, "met": 1}
    assert {row["requirement"]: row["met"] for row in data["summary"]}["fagdag"] == 0


@time_machine.travel(NOW, tick=False)
def test_it_prints_one_csv_row_per_person_and_requirement(network: Network, kari: None) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run("--network", "barnepalliasjon", "--year", "2025", "--format", "csv")))
    )

    assert list(rows[0]) == ["email", "requirement", "status", "hours", "activities", "days"]
    assert len(rows) == 5
    by_code = {row["requirement"]: row for row in rows}
    # Current year: unmet yearly requirements are due, not overdue.
    assert by_code["samlinger_antall"]["status"] == "due"
    assert by_code["introduksjonskurs"]["activities"] == "Introduksjonskurs"


@time_machine.travel(NOW, tick=False)
def test_it_joins_the_counting_activities_with_semicolons(network: Network, kari: None) -> None:
    rows = list(
        csv.DictReader(io.StringIO(run("--network", "barnepalliasjon", "--year", "2024", "--format", "csv")))
    )
    assert {row["requirement"]: row["activities"] for row in rows}[
        "samlinger_antall"
    ] == "Vårsamling; Høstsamling"


@time_machine.travel(NOW, tick=False)
def test_it_rejects_an_unknown_network_and_a_future_year(network: Network) -> None:
    with pytest.raises(CommandError, match="nowhere"):
        run("--network", "nowhere", "--year", "2024")
    with pytest.raises(CommandError, match="2026"):
        run("--network", "barnepalliasjon", "--year", "2026")
