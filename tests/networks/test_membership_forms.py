"""The forms that add, end and move memberships."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import LocalChapter, Membership, Network, Person, Role
from tests.conftest import add_member, login

SLUG = "barnepalliasjon"
TODAY = dt.date(2024, 6, 15)

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


def nb(msgid: str) -> str:
    with translation.override("nb"):
        return translation.gettext(msgid)


def role(code: str) -> Role:
    return Role.objects.get(code=code, network=None)


def create_url(person: Person) -> str:
    return reverse("networks:membership_create", args=[SLUG, person.pk])


def end_url(membership: Membership) -> str:
    return reverse("networks:membership_end", args=[SLUG, membership.pk])


def move_url(membership: Membership) -> str:
    return reverse("networks:membership_move", args=[SLUG, membership.pk])


@pytest.fixture
def sandnes(network: Network) -> LocalChapter:
    return LocalChapter.objects.create(network=network, name="Sandnes", slug="sandnes")


@pytest.fixture
def inside(network: Network, chapter: LocalChapter) -> Membership:
    """A resource person's membership in Carl's chapter since 2023."""
    return add_member(
        network, None, "inne@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1), chapter=chapter
    )


@pytest.fixture
def outside(network: Network) -> Membership:
    """A resource person's membership outside any chapter since 2023."""
    return add_member(network, None, "ute@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1))


def membership_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "role": role(Role.WORKING_GROUP).pk,
        "chapter": "",
        "start": "2024-03-01",
        "end": "",
        "end_reason": "",
    }
    data.update(overrides)
    return data


# Adding a membership


def test_the_coordinator_adds_a_membership(client: Client, alice: User, outside: Membership) -> None:
    person = outside.person
    response = login(client, alice).post(create_url(person), membership_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("networks:person_detail", args=[SLUG, person.pk])
    added = person.memberships.get(role__code=Role.WORKING_GROUP)
    assert (added.start, added.end, added.chapter) == (dt.date(2024, 3, 1), None, None)
    assert AuditEntry.objects.filter(action="membership.created", actor=alice).count() == 1


def test_the_membership_form_offers_built_in_and_the_networks_own_roles(
    client: Client, alice: User, outside: Membership, network: Network, other_network: Network
) -> None:
    own = Role.objects.create(network=network, code="mentor", name="Mentor")
    foreign = Role.objects.create(network=other_network, code="fremmed", name="Fremmed")
    roles = list(login(client, alice).get(create_url(outside.person)).context["form"].fields["role"].queryset)
    assert own in roles and role(Role.RESOURCE_PERSON) in roles
    assert foreign not in roles


def test_it_rejects_an_end_before_the_start(client: Client, alice: User, outside: Membership) -> None:
    response = login(client, alice).post(
        create_url(outside.person), membership_data(start="01.03.2024", end="28.02.2024")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == [nb("The end date cannot be before the start date.")]
    assert outside.person.memberships.count() == 1


def test_it_shows_the_services_overlap_error_at_the_start_date(
    client: Client, alice: User, outside: Membership
) -> None:
    response = login(client, alice).post(
        create_url(outside.person), membership_data(role=role(Role.RESOURCE_PERSON).pk)
    )
    assert response.status_code == 200
    assert "start" in response.context["form"].errors
    assert 'href="#id_start"' in response.content.decode()
    assert outside.person.memberships.count() == 1


def test_the_chapter_coordinator_adds_only_in_their_own_chapter(
    client: Client, carl: User, inside: Membership, chapter: LocalChapter, sandnes: LocalChapter
) -> None:
    login(client, carl)
    url = create_url(inside.person)
    assert list(client.get(url).context["form"].fields["chapter"].queryset) == [chapter]
    assert "chapter" in client.post(url, membership_data(chapter="")).context["form"].errors
    assert "chapter" in client.post(url, membership_data(chapter=sandnes.pk)).context["form"].errors
    assert client.post(url, membership_data(chapter=chapter.pk)).status_code == 302
    assert inside.person.memberships.filter(role__code=Role.WORKING_GROUP, chapter=chapter).exists()


def test_the_chapter_coordinator_gets_404_for_a_person_outside(
    client: Client, carl: User, outside: Membership
) -> None:
    login(client, carl)
    assert client.get(create_url(outside.person)).status_code == 404
    assert client.post(create_url(outside.person), membership_data()).status_code == 404


@pytest.mark.parametrize("persona", ["lena", "rita", "rolf", "charlie", "nobody"])
def test_only_coordinators_may_add_memberships(
    client: Client, persona: str, network: Network, rita: User, request: pytest.FixtureRequest
) -> None:
    person = Person.objects.get(network=network, user=rita)
    login(client, request.getfixturevalue(persona))
    assert client.get(create_url(person)).status_code == 404
    assert client.post(create_url(person), membership_data()).status_code == 404
    assert person.memberships.count() == 1


def test_anonymous_visitors_cannot_add_memberships(client: Client, outside: Membership) -> None:
    assert client.get(create_url(outside.person)).status_code == 302


# Ending a membership


def test_the_end_form_proposes_today(client: Client, alice: User, outside: Membership) -> None:
    content = login(client, alice).get(end_url(outside)).content.decode()
    assert 'type="date"' in content
    assert 'value="2024-06-15"' in content
    assert "01.01.2023" in content  # the membership being ended is named


def test_the_coordinator_ends_a_membership_with_a_reason(
    client: Client, alice: User, outside: Membership
) -> None:
    response = login(client, alice).post(end_url(outside), {"end": "15.06.2024", "reason": "Ny jobb"})
    assert response.status_code == 302
    outside.refresh_from_db()
    assert (outside.end, outside.end_reason) == (TODAY, "Ny jobb")
    assert AuditEntry.objects.get(action="membership.ended").fields == ["end", "end_reason"]


def test_ending_requires_a_reason(client: Client, alice: User, outside: Membership) -> None:
    response = login(client, alice).post(end_url(outside), {"end": "2024-06-15", "reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert "ds-error-summary" in response.content.decode()
    outside.refresh_from_db()
    assert outside.end is None


def test_it_rejects_ending_before_the_start(client: Client, alice: User, outside: Membership) -> None:
    response = login(client, alice).post(end_url(outside), {"end": "2022-12-31", "reason": "Feil"})
    assert response.context["form"].errors["end"] == [nb("The end date cannot be before the start date.")]
    outside.refresh_from_db()
    assert outside.end is None


def test_the_chapter_coordinator_ends_a_membership_in_their_chapter_only(
    client: Client, carl: User, inside: Membership, outside: Membership
) -> None:
    login(client, carl)
    assert client.post(end_url(inside), {"end": "2024-06-15", "reason": "Slutt"}).status_code == 302
    assert client.get(end_url(outside)).status_code == 404
    assert client.post(end_url(outside), {"end": "2024-06-15", "reason": "Slutt"}).status_code == 404
    outside.refresh_from_db()
    assert outside.end is None


@pytest.mark.parametrize("persona", ["lena", "rita", "rolf", "charlie", "nobody"])
def test_only_coordinators_may_end_memberships(
    client: Client, persona: str, network: Network, rita: User, request: pytest.FixtureRequest
) -> None:
    membership = Membership.objects.get(network=network, person__user=rita)
    login(client, request.getfixturevalue(persona))
    assert client.get(end_url(membership)).status_code == 404
    assert client.post(end_url(membership), {"end": "2024-06-15", "reason": "x"}).status_code == 404
    membership.refresh_from_db()
    assert membership.end is None


def test_anonymous_visitors_cannot_end_memberships(client: Client, outside: Membership) -> None:
    assert client.post(end_url(outside), {"end": "2024-06-15", "reason": "x"}).status_code == 302


# Moving a membership


def test_a_move_keeps_the_history_as_two_memberships(
    client: Client, alice: User, inside: Membership, sandnes: LocalChapter
) -> None:
    login(client, alice)
    assert 'value="2024-06-15"' in client.get(move_url(inside)).content.decode()
    response = client.post(move_url(inside), {"chapter": sandnes.pk, "on": "2024-06-15"})
    assert response.status_code == 302
    old, new = inside.person.memberships.order_by("start")
    assert (old.chapter.slug if old.chapter else None, old.start, old.end) == (
        "stavanger",
        dt.date(2023, 1, 1),
        dt.date(2024, 6, 14),
    )
    assert (new.chapter, new.start, new.end, new.role.code) == (sandnes, TODAY, None, Role.RESOURCE_PERSON)
    assert AuditEntry.objects.filter(action="membership.moved", actor=alice).count() == 1


def test_the_coordinator_may_move_a_membership_out_of_every_chapter(
    client: Client, alice: User, inside: Membership
) -> None:
    assert login(client, alice).post(move_url(inside), {"chapter": "", "on": "01.06.2024"}).status_code == 302
    assert inside.person.memberships.get(end__isnull=True).chapter is None


def test_it_rejects_a_move_to_the_same_chapter(
    client: Client, alice: User, inside: Membership, chapter: LocalChapter
) -> None:
    response = login(client, alice).post(move_url(inside), {"chapter": chapter.pk, "on": "2024-06-15"})
    assert "chapter" in response.context["form"].errors
    assert inside.person.memberships.count() == 1


def test_it_shows_a_move_outside_the_membership_at_the_date(
    client: Client, alice: User, inside: Membership, sandnes: LocalChapter
) -> None:
    response = login(client, alice).post(move_url(inside), {"chapter": sandnes.pk, "on": "2022-06-01"})
    assert response.status_code == 200
    assert "on" in response.context["form"].errors
    assert 'href="#id_on"' in response.content.decode()
    assert inside.person.memberships.count() == 1


def test_the_chapter_coordinator_may_move_only_to_their_own_chapters(
    client: Client, carl: User, inside: Membership, sandnes: LocalChapter
) -> None:
    login(client, carl)
    form = client.get(move_url(inside)).context["form"]
    assert sandnes not in form.fields["chapter"].queryset
    response = client.post(move_url(inside), {"chapter": sandnes.pk, "on": "2024-06-15"})
    assert "chapter" in response.context["form"].errors
    assert inside.person.memberships.count() == 1


def test_the_chapter_coordinator_gets_404_moving_a_membership_outside(
    client: Client, carl: User, outside: Membership, chapter: LocalChapter
) -> None:
    response = login(client, carl).post(move_url(outside), {"chapter": chapter.pk, "on": "2024-06-15"})
    assert response.status_code == 404
    assert outside.person.memberships.count() == 1


@pytest.mark.parametrize("persona", ["lena", "rita", "rolf", "charlie", "nobody"])
def test_only_coordinators_may_move_memberships(
    client: Client,
    persona: str,
    network: Network,
    rita: User,
    sandnes: LocalChapter,
    request: pytest.FixtureRequest,
) -> None:
    membership = Membership.objects.get(network=network, person__user=rita)
    login(client, request.getfixturevalue(persona))
    assert client.get(move_url(membership)).status_code == 404
    assert client.post(move_url(membership), {"chapter": sandnes.pk, "on": "2024-06-15"}).status_code == 404
    assert Membership.objects.filter(person__user=rita).count() == 1


def test_anonymous_visitors_cannot_move_memberships(client: Client, outside: Membership) -> None:
    assert client.get(move_url(outside)).status_code == 302
