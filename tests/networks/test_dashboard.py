from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.networks.coverage import compute_coverage
from fagnett.networks.models import LocalChapter, Membership, Network, Role
from fagnett.networks.services import move_membership
from fagnett.places.models import Municipality
from tests.conftest import add_member, login
from tests.helpers import count_queries
from tests.networks.test_coverage import build_known_network, resource_person

URL = reverse("networks:dashboard", args=["barnepalliasjon"])


def test_the_coordinator_sees_the_dashboard(client: Client, alice: User) -> None:
    response = login(client, alice).get(URL)
    assert response.status_code == 200
    assert "Barnepalliasjon Sør-Rogaland" in response.content.decode()


@pytest.mark.parametrize("persona", ["carl", "rolf"])
def test_chapter_coordinators_and_readers_see_the_dashboard(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    assert login(client, request.getfixturevalue(persona)).get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["rita", "lena", "charlie", "nobody", "admin_user"])
def test_everyone_else_gets_404(client: Client, persona: str, request: pytest.FixtureRequest) -> None:
    request.getfixturevalue("network")
    user = request.getfixturevalue(persona)
    assert login(client, user).get(URL).status_code == 404


def test_a_missing_network_is_404_too(client: Client, alice: User) -> None:
    assert login(client, alice).get(reverse("networks:dashboard", args=["finnes-ikke"])).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client: Client, network: Network) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_ended_coordinator_membership_closes_the_door(client: Client, alice: User) -> None:
    Membership.objects.filter(person__user=alice).update(end=dt.date(2021, 12, 31))
    assert login(client, alice).get(URL).status_code == 404


@time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_the_key_figures_are_computed_from_memberships(client: Client, alice: User, network: Network) -> None:
    add_member(network, None, "a@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1))  # active
    add_member(network, None, "b@example.no", Role.RESOURCE_PERSON, dt.date(2024, 2, 1))  # joined this year
    left = add_member(network, None, "c@example.no", Role.RESOURCE_PERSON, dt.date(2022, 1, 1))
    left.end = dt.date(2024, 3, 31)  # left this year
    left.save()
    add_member(network, None, "d@example.no", Role.RESOURCE_PERSON, dt.date(2024, 9, 1))  # not yet started
    add_member(
        network, None, "e@example.no", Role.WORKING_GROUP, dt.date(2023, 1, 1)
    )  # not a resource person
    response = login(client, alice).get(URL)
    facts = response.context["facts"]
    assert (facts.active_resource_persons, facts.joined_this_year, facts.left_this_year) == (2, 1, 1)
    assert facts.municipalities_in_area == 2


def test_the_dashboard_query_count_does_not_grow_with_members(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    for i in range(3):
        add_member(network, None, f"p{i}@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1))
    few = count_queries(lambda: client.get(URL))
    for i in range(3, 40):
        add_member(network, None, f"p{i}@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1))
    assert count_queries(lambda: client.get(URL)) == few


@time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_the_dashboard_shows_the_coverage_headline_and_links_to_the_coverage_page(
    client: Client, alice: User, network: Network, chapter: LocalChapter
) -> None:
    build_known_network(network, chapter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = login(client, alice).get(URL)
    coverage = response.context["facts"].coverage
    assert coverage == compute_coverage(network, dt.date(2024, 6, 15), with_chapters=False)
    html = response.content.decode()
    coverage_url = reverse("networks:coverage", args=["barnepalliasjon"])
    assert f'<a class="ds-link" href="{coverage_url}">1 of 3 municipalities covered</a>' in html
    assert "1 of 2 units covered" in html


@time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_a_move_between_chapters_is_neither_joined_nor_left_on_the_dashboard(
    client: Client, alice: User, network: Network, chapter: LocalChapter
) -> None:
    moved = add_member(network, None, "m@example.no", Role.RESOURCE_PERSON, dt.date(2022, 1, 1))
    move_membership(moved, chapter=chapter, on=dt.date(2024, 3, 1), actor=None)
    facts = login(client, alice).get(URL).context["facts"]
    assert (facts.active_resource_persons, facts.joined_this_year, facts.left_this_year) == (1, 0, 0)


@time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_the_dashboard_query_count_does_not_grow_with_coverage_data(
    client: Client, alice: User, network: Network, chapter: LocalChapter
) -> None:
    places = build_known_network(network, chapter)
    login(client, alice)
    few = count_queries(lambda: client.get(URL))
    for i in range(45):
        resource_person(network, f"many{i}@example.no", places.sandnes_home_care, chapter=chapter)
    network.municipalities.add(*Municipality.objects.filter(number__in=["1119", "1127"]))
    assert count_queries(lambda: client.get(URL)) == few
