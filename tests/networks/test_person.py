"""The person page and the forms that add and edit a person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks import services
from fagnett.networks.models import LocalChapter, Membership, Network, Person, Role, ServiceType, Workplace
from fagnett.places.models import HealthTrust, Municipality
from tests.conftest import add_member, login
from tests.helpers import count_queries

SLUG = "barnepalliasjon"
CREATE_URL = reverse("networks:person_create", args=[SLUG])

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False):
        yield


def nb(msgid: str, **params: object) -> str:
    """What the Norwegian page says for `msgid` (English until the catalogue has the translation)."""
    with translation.override("nb"):
        text = translation.gettext(msgid)
    return text % params if params else text


def detail_url(person: Person) -> str:
    return reverse("networks:person_detail", args=[SLUG, person.pk])


def edit_url(person: Person) -> str:
    return reverse("networks:person_edit", args=[SLUG, person.pk])


def person_of(user: User, network: Network) -> Person:
    return Person.objects.get(network=network, user=user)


@pytest.fixture
def inside(network: Network, chapter: LocalChapter) -> Person:
    """A resource person in Carl's chapter."""
    return add_member(
        network, None, "inne@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1), chapter=chapter
    ).person


@pytest.fixture
def outside(network: Network) -> Person:
    """A resource person of the network outside any chapter."""
    return add_member(network, None, "ute@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1)).person


@pytest.fixture
def home_care(network: Network) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name="Hjemmesykepleien Madla",
        service_type=ServiceType.objects.get(code=ServiceType.HOME_CARE, network=None),
        municipality=Municipality.objects.get(number="1103"),
        health_trust=HealthTrust.objects.first(),
    )


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "first_name": "Nina",
        "last_name": "Ny",
        "email": "nina.ny@example.no",
        "phone": "+47 912 34 567",
        "profession": "sykepleier",
        "competence_level": "B",
        "workplace": "",
        "leader": "",
        "leader_name": "",
        "leader_email": "",
        "role": Role.objects.get(code=Role.RESOURCE_PERSON, network=None).pk,
        "chapter": "",
        "start": "2024-06-01",
    }
    data.update(overrides)
    return data


# The person page


def test_the_coordinator_sees_any_persons_page_with_all_details(
    client: Client, alice: User, outside: Person, home_care: Workplace, lena: User
) -> None:
    outside.phone = "51 50 00 00"
    outside.workplace = home_care
    outside.leader_name = "Lise Leder"
    outside.leader_email = "lise@example.no"
    outside.public_consent = True
    outside.save()
    response = login(client, alice).get(detail_url(outside))
    assert response.status_code == 200
    content = response.content.decode()
    for text in ("ute@example.no", "51 50 00 00", "Hjemmesykepleien Madla", "Lise Leder", "lise@example.no"):
        assert text in content
    assert "Stavanger (1103)" in content
    assert home_care.health_trust is not None and home_care.health_trust.name in content


def test_the_page_lists_every_membership_newest_first(
    client: Client, alice: User, outside: Person, chapter: LocalChapter
) -> None:
    first = outside.memberships.get()
    services.end_membership(first, end=dt.date(2023, 12, 31), reason="Sluttet i jobben", actor=None)
    services.add_membership(
        outside,
        role=Role.objects.get(code=Role.WORKING_GROUP, network=None),
        chapter=chapter,
        start=dt.date(2024, 2, 1),
        actor=None,
    )
    response = login(client, alice).get(detail_url(outside))
    lines = response.context["facts"].memberships
    assert [(line.membership.role.code, line.is_active) for line in lines] == [
        (Role.WORKING_GROUP, True),
        (Role.RESOURCE_PERSON, False),
    ]
    content = response.content.decode()
    assert "01.01.2023" in content and "31.12.2023" in content and "01.02.2024" in content
    assert "Sluttet i jobben" in content


def test_the_coordinator_gets_every_button(client: Client, alice: User, outside: Person) -> None:
    content = login(client, alice).get(detail_url(outside)).content.decode()
    membership = outside.memberships.get()
    assert edit_url(outside) in content
    assert reverse("networks:membership_create", args=[SLUG, outside.pk]) in content
    assert reverse("networks:membership_end", args=[SLUG, membership.pk]) in content
    assert reverse("networks:membership_move", args=[SLUG, membership.pk]) in content


def test_an_ended_membership_has_no_end_or_move_button(client: Client, alice: User, outside: Person) -> None:
    membership = outside.memberships.get()
    services.end_membership(membership, end=dt.date(2024, 1, 31), reason="Flyttet", actor=None)
    content = login(client, alice).get(detail_url(outside)).content.decode()
    assert reverse("networks:membership_end", args=[SLUG, membership.pk]) not in content
    assert reverse("networks:membership_move", args=[SLUG, membership.pk]) not in content


def test_the_chapter_coordinator_sees_their_chapters_person_and_may_change_only_its_memberships(
    client: Client, carl: User, inside: Person
) -> None:
    elsewhere = services.add_membership(
        inside,
        role=Role.objects.get(code=Role.WORKING_GROUP, network=None),
        start=dt.date(2024, 1, 1),
        actor=None,
    )
    in_chapter = inside.memberships.get(chapter__isnull=False)
    response = login(client, carl).get(detail_url(inside))
    assert response.status_code == 200
    content = response.content.decode()
    assert edit_url(inside) in content
    assert reverse("networks:membership_end", args=[SLUG, in_chapter.pk]) in content
    assert reverse("networks:membership_end", args=[SLUG, elsewhere.pk]) not in content


def test_the_chapter_coordinator_gets_404_for_a_person_outside_their_chapter(
    client: Client, carl: User, outside: Person
) -> None:
    assert login(client, carl).get(detail_url(outside)).status_code == 404


def test_the_leader_reads_their_staffs_page_without_buttons(
    client: Client, lena: User, network: Network
) -> None:
    rita = Person.objects.get(network=network, email="rita@example.no")
    response = login(client, lena).get(detail_url(rita))
    assert response.status_code == 200
    content = response.content.decode()
    assert "rita@example.no" in content
    assert edit_url(rita) not in content
    assert "/medlemskap/" not in content


def test_the_leader_gets_404_for_someone_not_on_their_staff(
    client: Client, lena: User, outside: Person
) -> None:
    assert login(client, lena).get(detail_url(outside)).status_code == 404


def test_a_resource_person_sees_their_own_page_as_my_page(
    client: Client, rita: User, network: Network
) -> None:
    own = person_of(rita, network)
    response = login(client, rita).get(detail_url(own))
    assert response.status_code == 200
    assert response.context["nav"] == "me"
    content = response.content.decode()
    assert f'href="{detail_url(own)}" aria-current="page"' in content
    assert edit_url(own) not in content


def test_a_resource_person_gets_404_for_anyone_else(client: Client, rita: User, outside: Person) -> None:
    assert login(client, rita).get(detail_url(outside)).status_code == 404


@pytest.mark.parametrize("persona", ["rolf", "charlie", "nobody", "admin_user"])
def test_everyone_else_gets_404_on_a_person_page(
    client: Client, persona: str, outside: Person, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert login(client, user).get(detail_url(outside)).status_code == 404


def test_anonymous_visitors_are_sent_to_login_from_a_person_page(client: Client, outside: Person) -> None:
    response = client.get(detail_url(outside))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_person_page_query_count_does_not_grow_with_memberships(
    client: Client, alice: User, outside: Person, home_care: Workplace, chapter: LocalChapter
) -> None:
    outside.workplace = home_care
    outside.save()
    login(client, alice)
    few = count_queries(lambda: client.get(detail_url(outside)))
    working = Role.objects.get(code=Role.WORKING_GROUP, network=None)
    for year in range(2000, 2020):
        Membership.objects.create(
            person=outside,
            network=outside.network,
            role=working,
            chapter=chapter,
            start=dt.date(year, 1, 1),
            end=dt.date(year, 6, 30),
        )
    assert count_queries(lambda: client.get(detail_url(outside))) == few


# Adding a person


def test_the_coordinator_adds_a_person_with_the_first_membership(
    client: Client, alice: User, network: Network, home_care: Workplace
) -> None:
    response = login(client, alice).post(CREATE_URL, form_data(workplace=home_care.pk))
    person = Person.objects.get(network=network, email="nina.ny@example.no")
    assert response.status_code == 302
    assert response["Location"] == detail_url(person)
    assert (person.phone, person.competence_level, person.workplace) == ("+47 912 34 567", "B", home_care)
    membership = person.memberships.get()
    assert (membership.role.code, membership.chapter, membership.start) == (
        Role.RESOURCE_PERSON,
        None,
        dt.date(2024, 6, 1),
    )
    actions = set(AuditEntry.objects.filter(actor=alice).values_list("action", flat=True))
    assert {"person.created", "membership.created"} <= actions
    assert nb("%(name)s was added.", name="Nina Ny") in client.get(response["Location"]).content.decode()


def test_the_add_form_accepts_norwegian_dates(client: Client, alice: User, network: Network) -> None:
    login(client, alice).post(CREATE_URL, form_data(start="1.2.2024"))
    assert Membership.objects.get(person__email="nina.ny@example.no").start == dt.date(2024, 2, 1)


def test_the_add_form_requires_the_membership(client: Client, alice: User, network: Network) -> None:
    response = login(client, alice).post(CREATE_URL, form_data(role="", start=""))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"role", "start"}
    assert not Person.objects.filter(email="nina.ny@example.no").exists()


def test_it_rejects_an_email_already_in_the_network_at_the_email_field(
    client: Client, alice: User, outside: Person
) -> None:
    response = login(client, alice).post(CREATE_URL, form_data(email="UTE@example.no"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["email"] == [nb("A person with this e-mail address is already in the network.")]
    content = response.content.decode()
    assert "ds-error-summary" in content and 'href="#id_email"' in content
    assert Person.objects.filter(email__iexact="ute@example.no").count() == 1


def test_the_same_email_in_another_network_is_fine(
    client: Client, alice: User, network: Network, other_network: Network
) -> None:
    add_member(other_network, None, "nina.ny@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1))
    assert login(client, alice).post(CREATE_URL, form_data()).status_code == 302
    assert Person.objects.filter(email="nina.ny@example.no").count() == 2


def test_nothing_is_saved_when_the_membership_fails(
    client: Client, alice: User, network: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise ValidationError({"start": "Ikke mulig."})

    monkeypatch.setattr(services, "add_membership", refuse)
    response = login(client, alice).post(CREATE_URL, form_data())
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == ["Ikke mulig."]
    assert not Person.objects.filter(email="nina.ny@example.no").exists()
    assert not AuditEntry.objects.filter(action="person.created").exists()


def test_it_rejects_both_a_listed_and_a_written_line_manager(
    client: Client, alice: User, outside: Person
) -> None:
    response = login(client, alice).post(
        CREATE_URL, form_data(leader=outside.pk, leader_name="Lise Leder", leader_email="lise@example.no")
    )
    assert "leader" in response.context["form"].errors
    assert not Person.objects.filter(email="nina.ny@example.no").exists()


def test_the_chapter_coordinator_must_pick_their_own_chapter(
    client: Client, carl: User, network: Network, chapter: LocalChapter
) -> None:
    other = LocalChapter.objects.create(network=network, name="Sandnes", slug="sandnes")
    login(client, carl)
    form = client.get(CREATE_URL).context["form"]
    assert list(form.fields["chapter"].queryset) == [chapter]
    assert "chapter" in client.post(CREATE_URL, form_data(chapter="")).context["form"].errors
    assert "chapter" in client.post(CREATE_URL, form_data(chapter=other.pk)).context["form"].errors
    assert not Person.objects.filter(email="nina.ny@example.no").exists()
    response = client.post(CREATE_URL, form_data(chapter=chapter.pk))
    assert response.status_code == 302
    assert Membership.objects.get(person__email="nina.ny@example.no").chapter == chapter


def test_the_chapter_coordinator_is_offered_only_their_persons_as_line_managers(
    client: Client, carl: User, inside: Person, outside: Person
) -> None:
    leaders = list(login(client, carl).get(CREATE_URL).context["form"].fields["leader"].queryset)
    assert inside in leaders
    assert outside not in leaders


def test_the_coordinator_may_add_a_person_without_a_chapter_or_with_any(
    client: Client, alice: User, chapter: LocalChapter
) -> None:
    form = login(client, alice).get(CREATE_URL).context["form"]
    assert not form.fields["chapter"].required
    assert chapter in form.fields["chapter"].queryset


@pytest.mark.parametrize("persona", ["lena", "rita", "rolf", "charlie", "nobody"])
def test_only_coordinators_may_add_persons(
    client: Client, persona: str, network: Network, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(CREATE_URL).status_code == 404
    assert client.post(CREATE_URL, form_data()).status_code == 404
    assert not Person.objects.filter(email="nina.ny@example.no").exists()


def test_anonymous_visitors_cannot_add_persons(client: Client, network: Network) -> None:
    assert client.get(CREATE_URL).status_code == 302


# Editing a person


def edit_data(person: Person, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "phone": person.phone,
        "profession": person.profession,
        "competence_level": person.competence_level,
        "workplace": person.workplace_id or "",
        "leader": person.leader_id or "",
        "leader_name": person.leader_name,
        "leader_email": person.leader_email,
    }
    if person.public_consent:
        data["public_consent"] = "on"
    data.update(overrides)
    return data


def test_the_coordinator_edits_a_person_and_the_change_is_audited(
    client: Client, alice: User, outside: Person, inside: Person
) -> None:
    login(client, alice)
    form = client.get(edit_url(outside)).context["form"]
    assert "role" not in form.fields
    assert form.initial["email"] == "ute@example.no"
    response = client.post(edit_url(outside), edit_data(outside, phone="99 88 77 66", leader=inside.pk))
    assert response.status_code == 302
    assert response["Location"] == detail_url(outside)
    outside.refresh_from_db()
    assert (outside.phone, outside.leader) == ("99 88 77 66", inside)
    entry = AuditEntry.objects.get(action="person.updated")
    assert entry.fields == ["leader", "phone"]


def test_saving_without_changes_changes_nothing(client: Client, alice: User, outside: Person) -> None:
    response = login(client, alice).post(edit_url(outside), edit_data(outside))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="person.updated").exists()


def test_it_rejects_changing_to_an_email_another_person_has(
    client: Client, alice: User, outside: Person, inside: Person
) -> None:
    response = login(client, alice).post(edit_url(outside), edit_data(outside, email="INNE@example.no"))
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        nb("A person with this e-mail address is already in the network.")
    ]
    outside.refresh_from_db()
    assert outside.email == "ute@example.no"


def test_a_person_is_not_offered_as_their_own_line_manager(
    client: Client, alice: User, outside: Person
) -> None:
    leaders = login(client, alice).get(edit_url(outside)).context["form"].fields["leader"].queryset
    assert outside not in leaders


def test_the_chapter_coordinator_edits_their_chapters_person(
    client: Client, carl: User, inside: Person
) -> None:
    response = login(client, carl).post(edit_url(inside), edit_data(inside, profession="vernepleier"))
    assert response.status_code == 302
    inside.refresh_from_db()
    assert inside.profession == "vernepleier"


def test_the_chapter_coordinator_gets_404_when_editing_someone_outside(
    client: Client, carl: User, outside: Person
) -> None:
    login(client, carl)
    assert client.get(edit_url(outside)).status_code == 404
    assert client.post(edit_url(outside), edit_data(outside, phone="1")).status_code == 404


def test_the_leader_may_not_edit_their_staff(client: Client, lena: User, network: Network) -> None:
    rita = Person.objects.get(network=network, email="rita@example.no")
    assert login(client, lena).get(edit_url(rita)).status_code == 404


def test_a_resource_person_may_not_edit_themselves_here(client: Client, rita: User, network: Network) -> None:
    assert login(client, rita).get(edit_url(person_of(rita, network))).status_code == 404


@pytest.mark.parametrize("persona", ["rolf", "charlie", "nobody"])
def test_everyone_else_gets_404_when_editing(
    client: Client, persona: str, outside: Person, request: pytest.FixtureRequest
) -> None:
    assert login(client, request.getfixturevalue(persona)).get(edit_url(outside)).status_code == 404


def test_anonymous_visitors_cannot_edit(client: Client, outside: Person) -> None:
    assert client.get(edit_url(outside)).status_code == 302
