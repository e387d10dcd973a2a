"""Priority areas per year: the two lists, who may read and change them, the forms' rules, copying last year's
areas as continued, and the facts the CLI and the annual report read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network
from fagnett.plans.annual_queries import priorities_year_facts
from fagnett.plans.models import PriorityArea, PriorityKind
from tests.conftest import login
from tests.helpers import count_queries, nb
from tests.plans.test_goals import OUTSIDERS, READ_ONLY, READERS, as_user

SLUG = "barnepalliasjon"
NOW = dt.datetime(2024, 11, 15, 12, 0, tzinfo=dt.UTC)


def url(name: str, *args: Any) -> str:
    return reverse(f"plans:{name}", args=[SLUG, *args])


def area(network: Network, year: int, kind: str, title: str, position: int = 0) -> PriorityArea:
    return PriorityArea.objects.create(
        network=network, year=year, kind=kind, title=title, description=f"Om {title}", position=position
    )


@pytest.fixture
def areas(network: Network) -> list[PriorityArea]:
    return [
        area(network, 2024, PriorityKind.CONTINUED, "Barnepalliasjon i hjemmet"),
        area(network, 2024, PriorityKind.NEW, "Overgang til voksenpalliasjon"),
        area(network, 2023, PriorityKind.CONTINUED, "Barnepalliasjon i hjemmet"),
        area(network, 2023, PriorityKind.NEW, "Kompetansehjul", position=1),
        area(network, 2023, PriorityKind.NEW, "Fagdag for barnehager", position=0),
    ]


@pytest.mark.parametrize("persona", READERS)
def test_coordinators_and_readers_see_both_lists(
    client: Client, request: pytest.FixtureRequest, areas: list[PriorityArea], persona: str
) -> None:
    as_user(client, request, persona)
    response = client.get(url("priorities") + "?aar=2024")
    assert response.status_code == 200
    content = response.content.decode()
    assert nb("Continued priority areas") in content and nb("New priority areas") in content
    assert "Barnepalliasjon i hjemmet" in content and "Overgang til voksenpalliasjon" in content
    assert "Kompetansehjul" not in content
    assert (url("priority_edit", areas[0].pk) in content) is (persona == "alice")
    lists = response.context["lists"]
    assert [a.title for a in lists.continued] == ["Barnepalliasjon i hjemmet"]
    assert [a.title for a in lists.new] == ["Overgang til voksenpalliasjon"]


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_priority_areas(
    client: Client, request: pytest.FixtureRequest, areas: list[PriorityArea], persona: str
) -> None:
    as_user(client, request, persona)
    assert client.get(url("priorities")).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_page_defaults_to_this_year(client: Client, rolf: User, areas: list[PriorityArea]) -> None:
    login(client, rolf)
    response = client.get(url("priorities") + "?aar=nope")
    assert response.context["year"] == 2024
    assert nb("Priority areas %(year)s", year=2024) in response.content.decode()


def test_alice_adds_edits_and_deletes_a_priority_area(client: Client, alice: User, network: Network) -> None:
    login(client, alice)
    response = client.get(url("priority_create") + "?aar=2025&type=videre")
    assert response.context["form"].initial == {"year": 2025, "kind": "videre"}
    response = client.post(
        url("priority_create") + "?aar=2025",
        {"year": "2025", "kind": "ny", "title": "  Sorgstøtte ", "description": "For søsken", "position": ""},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?aar=2025")
    created = PriorityArea.objects.get(network=network)
    assert (created.year, created.kind, created.title) == (2025, "ny", "Sorgstøtte")
    response = client.post(
        url("priority_edit", created.pk),
        {"year": "2025", "kind": "videre", "title": "Sorgstøtte", "position": "3"},
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert (created.kind, created.position, created.description) == ("videre", 3, "")
    assert client.get(url("priority_delete", created.pk)).status_code == 200
    assert client.post(url("priority_delete", created.pk)).status_code == 302
    assert not PriorityArea.objects.exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="plans.priority")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["plans.priority_created", "plans.priority_updated", "plans.priority_deleted"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"year": "2024", "kind": "ny", "title": ""}, "title", "Write the priority area."),
        ({"year": "", "kind": "ny", "title": "X"}, "year", "Write the year, for example 2024."),
        (
            {"year": "1812", "kind": "ny", "title": "X"},
            "year",
            "Year must be a year from 1950 to 2100, for example 2024.",
        ),
        (
            {"year": "2024", "kind": "kanskje", "title": "X"},
            "kind",
            "Choose whether the priority area is continued or new.",
        ),
    ],
)
def test_it_rejects_an_invalid_priority_area(
    client: Client, alice: User, network: Network, data: dict[str, str], field: str, message: str
) -> None:
    login(client, alice)
    response = client.post(url("priority_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [nb(message)]
    assert not PriorityArea.objects.exists()


def test_copying_last_year_adds_its_areas_as_continued(
    client: Client, alice: User, network: Network, areas: list[PriorityArea]
) -> None:
    login(client, alice)
    response = client.post(url("priorities") + "?aar=2024")
    assert response.status_code == 302
    assert response["Location"].endswith("?aar=2024")
    rows = PriorityArea.objects.filter(network=network, year=2024).order_by("kind", "position", "pk")
    titles = [(row.kind, row.title) for row in rows]
    # "Barnepalliasjon i hjemmet" is already there and is not copied twice; last year's new ones come in
    # their order.
    assert titles == [
        ("ny", "Overgang til voksenpalliasjon"),
        ("videre", "Barnepalliasjon i hjemmet"),
        ("videre", "Fagdag for barnehager"),
        ("videre", "Kompetansehjul"),
    ]
    assert AuditEntry.objects.filter(action="plans.priority_copied").count() == 2
    # A second copy finds nothing new.
    client.post(url("priorities") + "?aar=2024")
    assert PriorityArea.objects.filter(network=network, year=2024).count() == 4


def test_copying_skips_titles_that_differ_only_in_case_and_spaces(alice: User, network: Network) -> None:
    from fagnett.plans.annual_services import copy_previous_year

    area(network, 2023, PriorityKind.NEW, "Kompetanse  hjul")
    area(network, 2024, PriorityKind.NEW, "kompetanse hjul")
    assert copy_previous_year(network, 2024, actor=alice) == 0


def snapshot() -> tuple[Any, ...]:
    return (
        list(PriorityArea.objects.values_list("pk", "year", "kind", "title")),
        AuditEntry.objects.filter(action__startswith="plans.").count(),
    )


def write_requests(target: PriorityArea) -> list[tuple[str, dict[str, str]]]:
    data = {"year": "2024", "kind": "ny", "title": "Endret"}
    return [
        (url("priority_edit", target.pk), data),
        (url("priority_delete", target.pk), {}),
    ]


@pytest.mark.parametrize("persona", (*READ_ONLY, *OUTSIDERS))
def test_only_the_network_coordinator_may_change_priority_areas(
    client: Client, request: pytest.FixtureRequest, areas: list[PriorityArea], persona: str
) -> None:
    as_user(client, request, persona)
    before = snapshot()
    requests = [
        (url("priority_create"), {"year": "2024", "kind": "ny", "title": "Nytt"}),
        *write_requests(areas[0]),
    ]
    for path, data in requests:
        assert client.get(path).status_code == 404, path
        assert client.post(path, data).status_code == 404, path
    assert client.post(url("priorities") + "?aar=2024").status_code == 404
    assert snapshot() == before


def test_another_networks_priority_areas_are_404(
    client: Client, alice: User, areas: list[PriorityArea], other_network: Network
) -> None:
    foreign = area(other_network, 2024, PriorityKind.NEW, "Annet nettverk")
    login(client, alice)
    before = snapshot()
    for path, data in write_requests(foreign):
        assert client.get(path).status_code == 404, path
        assert client.post(path, data).status_code == 404, path
    assert snapshot() == before
    assert "Annet nettverk" not in client.get(url("priorities") + "?aar=2024").content.decode()


def test_priorities_year_facts_have_the_agreed_keys(network: Network, areas: list[PriorityArea]) -> None:
    facts = priorities_year_facts(network, 2023)
    assert facts == {
        "continued": [{"title": "Barnepalliasjon i hjemmet", "description": "Om Barnepalliasjon i hjemmet"}],
        "new": [
            {"title": "Fagdag for barnehager", "description": "Om Fagdag for barnehager"},
            {"title": "Kompetansehjul", "description": "Om Kompetansehjul"},
        ],
    }
    assert priorities_year_facts(network, 2030) == {"continued": [], "new": []}


def test_priority_reads_run_a_fixed_number_of_queries(client: Client, rolf: User, network: Network) -> None:
    login(client, rolf)
    area(network, 2024, PriorityKind.NEW, "En")
    small_facts = count_queries(lambda: priorities_year_facts(network, 2024))
    small_page = count_queries(lambda: client.get(url("priorities") + "?aar=2024"))
    for number in range(10):
        area(network, 2024, PriorityKind.CONTINUED if number % 2 else PriorityKind.NEW, f"Område {number}")
    assert count_queries(lambda: priorities_year_facts(network, 2024)) == small_facts == 1
    assert count_queries(lambda: client.get(url("priorities") + "?aar=2024")) == small_page
