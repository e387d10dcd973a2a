"""Groups (steering, operations, working) and their members (network coordinators only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import (
    Group,
    GroupKind,
    GroupMember,
    Network,
    Person,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.networks.organisation_services import add_group_member
from tests.conftest import add_member, login

LIST = reverse("networks:groups", args=["barnepalliasjon"])
CREATE = reverse("networks:group_create", args=["barnepalliasjon"])


def detail_url(group: Group) -> str:
    return reverse("networks:group_detail", args=["barnepalliasjon", group.pk])


def edit_url(group: Group) -> str:
    return reverse("networks:group_edit", args=["barnepalliasjon", group.pk])


@pytest.fixture
def steering(network: Network) -> Group:
    group = Group.objects.create(
        network=network,
        kind=GroupKind.STEERING,
        name="Styringsgruppen",
        mandate="Styringsgruppen har ansvar for nettverkets retning og prioriteringer.",
        meetings_per_year=2,
    )
    GroupMember.objects.create(group=group, name="Berit Leder", title="Kommunalsjef", position=1)
    GroupMember.objects.create(group=group, name="Anne Andersen", title="Overlege", position=0)
    return group


def group_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": GroupKind.WORKING,
        "name": "Arbeidsgruppe for fagdag",
        "mandate": "Planlegger fagdagen.",
        "meetings_per_year": "4",
    }
    data.update(overrides)
    return data


# Access ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["carl", "rita", "lena", "rolf", "charlie", "nobody", "admin_user"])
def test_only_the_network_coordinator_reaches_the_group_pages(
    client: Client, persona: str, steering: Group, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    for url in (LIST, CREATE, detail_url(steering), edit_url(steering)):
        assert client.get(url).status_code == 404, url
    assert client.post(CREATE, group_data()).status_code == 404
    assert client.post(edit_url(steering), group_data()).status_code == 404
    member = steering.members.first()
    assert member is not None
    remove = {"action": "remove_member", "member": member.pk}
    assert client.post(detail_url(steering), remove).status_code == 404
    add = {"action": "add_member", "member-name": "Inntrenger"}
    assert client.post(detail_url(steering), add).status_code == 404
    assert Group.objects.count() == 1 and steering.members.count() == 2


def test_the_coordinator_reaches_every_group_page(client: Client, alice: User, steering: Group) -> None:
    login(client, alice)
    for url in (LIST, CREATE, detail_url(steering), edit_url(steering)):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_login(client: Client, steering: Group) -> None:
    for url in (LIST, CREATE, detail_url(steering), edit_url(steering)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_group_of_another_network_is_404(client: Client, alice: User, other_network: Network) -> None:
    theirs = Group.objects.create(network=other_network, kind=GroupKind.STEERING, name="Fremmed")
    login(client, alice)
    assert client.get(detail_url(theirs)).status_code == 404
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(edit_url(theirs), group_data()).status_code == 404


# The list ----------------------------------------------------------------------------------------------


def test_the_list_shows_groups_by_kind_with_member_counts(
    client: Client, alice: User, network: Network, steering: Group
) -> None:
    Group.objects.create(network=network, kind=GroupKind.WORKING, name="Arbeidsgruppe B")
    Group.objects.create(network=network, kind=GroupKind.WORKING, name="Arbeidsgruppe A")
    response = login(client, alice).get(LIST)
    sections = {section.kind: section for section in response.context["sections"]}
    assert [section.kind for section in response.context["sections"]] == [
        GroupKind.STEERING,
        GroupKind.OPERATIONS,
        GroupKind.WORKING,
    ]
    assert [(row.group.name, row.member_count) for row in sections[GroupKind.STEERING].rows] == [
        ("Styringsgruppen", 2)
    ]
    assert sections[GroupKind.OPERATIONS].rows == []
    assert [row.group.name for row in sections[GroupKind.WORKING].rows] == [
        "Arbeidsgruppe A",
        "Arbeidsgruppe B",
    ]
    page = response.content.decode()
    assert "Styringsgruppen har ansvar" in page  # the mandate excerpt
    assert detail_url(steering) in page


def test_the_list_runs_the_same_queries_however_many_groups(
    client: Client, alice: User, network: Network
) -> None:
    from tests.helpers import count_queries

    login(client, alice)
    Group.objects.create(network=network, kind=GroupKind.STEERING, name="G0")
    few = count_queries(lambda: client.get(LIST))
    for i in range(1, 20):
        group = Group.objects.create(network=network, kind=GroupKind.WORKING, name=f"G{i}")
        GroupMember.objects.create(group=group, name=f"Medlem {i}")
    assert count_queries(lambda: client.get(LIST)) == few


# Creating and editing ----------------------------------------------------------------------------------


def test_the_coordinator_creates_a_group_and_it_is_audited(
    client: Client, alice: User, network: Network
) -> None:
    response = login(client, alice).post(CREATE, group_data())
    group = Group.objects.get(network=network)
    assert response.status_code == 302 and response["Location"] == detail_url(group)
    assert (group.kind, group.name, group.meetings_per_year) == (
        GroupKind.WORKING,
        "Arbeidsgruppe for fagdag",
        4,
    )
    entry = AuditEntry.objects.get(action="group.created")
    assert (entry.actor, entry.network, entry.target_id) == (alice, network, str(group.pk))


def test_the_create_form_can_start_with_a_kind(client: Client, alice: User) -> None:
    form = login(client, alice).get(CREATE, {"kind": GroupKind.OPERATIONS}).context["form"]
    assert form["kind"].value() == GroupKind.OPERATIONS


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "komite"}, "kind"),
        ({"meetings_per_year": "-1"}, "meetings_per_year"),
    ],
)
def test_it_rejects_a_group_with_bad_input(
    client: Client, alice: User, overrides: dict[str, object], field: str
) -> None:
    response = login(client, alice).post(CREATE, group_data(**overrides))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Group.objects.exists()


def test_it_rejects_a_second_group_with_the_same_name(client: Client, alice: User, steering: Group) -> None:
    response = login(client, alice).post(CREATE, group_data(name="styringsgruppen"))
    assert response.context["form"].has_error("name")
    assert Group.objects.count() == 1


def test_the_coordinator_edits_a_group_and_the_changed_fields_are_audited(
    client: Client, alice: User, steering: Group
) -> None:
    data = group_data(
        kind=GroupKind.STEERING, name="Styringsgruppen", mandate=steering.mandate, meetings_per_year="3"
    )
    response = login(client, alice).post(edit_url(steering), data)
    assert response.status_code == 302 and response["Location"] == detail_url(steering)
    steering.refresh_from_db()
    assert steering.meetings_per_year == 3
    assert AuditEntry.objects.get(action="group.updated").fields == ["meetings_per_year"]


def test_the_edit_form_starts_with_the_stored_values(client: Client, alice: User, steering: Group) -> None:
    form = login(client, alice).get(edit_url(steering)).context["form"]
    assert form["name"].value() == "Styringsgruppen"
    assert form["meetings_per_year"].value() == 2


# Members -----------------------------------------------------------------------------------------------


def test_the_detail_lists_members_in_the_annual_report_order(
    client: Client, alice: User, steering: Group
) -> None:
    response = login(client, alice).get(detail_url(steering))
    assert [m.name for m in response.context["members"]] == ["Anne Andersen", "Berit Leder"]
    page = response.content.decode()
    assert page.index("Anne Andersen") < page.index("Berit Leder")
    assert "Kommunalsjef" in page


def test_the_coordinator_adds_a_member_by_hand(client: Client, alice: User, steering: Group) -> None:
    data = {
        "action": "add_member",
        "member-name": "Carina Kvist",
        "member-title": "Sykepleier",
        "member-workplace": "Sandnes kommune",
        "member-function": "Sekretær",
    }
    response = login(client, alice).post(detail_url(steering), data)
    assert response.status_code == 302
    member = steering.members.get(name="Carina Kvist")
    assert (member.title, member.workplace, member.function, member.position) == (
        "Sykepleier",
        "Sandnes kommune",
        "Sekretær",
        2,
    )
    entry = AuditEntry.objects.get(action="group.member_added")
    assert (entry.target_id, entry.fields, entry.data) == (
        str(steering.pk),
        ["members"],
        {"member": member.pk},
    )


def test_a_member_picked_from_the_roster_gets_the_persons_name_and_workplace(
    client: Client, alice: User, network: Network, steering: Group
) -> None:
    workplace = Workplace.objects.create(
        network=network, name="Barneklinikken", service_type=ServiceType.objects.get(code="sykehusavdeling")
    )
    person = add_member(network, None, "dora@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1)).person
    Person.objects.filter(pk=person.pk).update(first_name="Dora", last_name="Dahl", workplace=workplace)
    data = {"action": "add_member", "member-person": person.pk, "member-function": "Medlem"}
    assert login(client, alice).post(detail_url(steering), data).status_code == 302
    member = steering.members.get(person=person)
    assert (member.name, member.workplace, member.function) == ("Dora Dahl", "Barneklinikken", "Medlem")


def test_a_name_written_by_hand_wins_over_the_roster(alice: User, network: Network, steering: Group) -> None:
    person = add_member(network, None, "eva@example.no", Role.RESOURCE_PERSON, dt.date(2023, 1, 1)).person
    member = add_group_member(steering, actor=alice, person=person, name="Eva E. Berg")
    assert member.name == "Eva E. Berg"


def test_it_rejects_a_member_without_name_or_person(client: Client, alice: User, steering: Group) -> None:
    response = login(client, alice).post(
        detail_url(steering), {"action": "add_member", "member-title": "Leder"}
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["name"]
    assert steering.members.count() == 2
    assert 'href="#id_member-name"' in response.content.decode()


def test_it_refuses_a_person_from_another_network(
    client: Client, alice: User, other_network: Network, steering: Group
) -> None:
    stranger = Person.objects.create(
        network=other_network, first_name="Frank", last_name="F", email="f@example.no"
    )
    response = login(client, alice).post(
        detail_url(steering), {"action": "add_member", "member-person": stranger.pk}
    )
    assert response.context["form"].has_error("person", "invalid_choice")
    assert steering.members.count() == 2


def test_removing_a_member_asks_first_then_removes_on_post(
    client: Client, alice: User, steering: Group
) -> None:
    member = steering.members.get(name="Berit Leder")
    login(client, alice)
    response = client.get(detail_url(steering), {"fjern": member.pk})
    assert response.context["confirm"] == member
    assert 'name="action" value="remove_member"' in response.content.decode()
    assert steering.members.filter(pk=member.pk).exists()  # asking changes nothing

    response = client.post(detail_url(steering), {"action": "remove_member", "member": member.pk})
    assert response.status_code == 302
    assert not steering.members.filter(pk=member.pk).exists()
    entry = AuditEntry.objects.get(action="group.member_removed")
    assert (entry.actor, entry.target_id, entry.data) == (alice, str(steering.pk), {"member": member.pk})


def test_a_member_of_another_group_cannot_be_removed_through_this_one(
    client: Client, alice: User, network: Network, steering: Group
) -> None:
    other = Group.objects.create(network=network, kind=GroupKind.WORKING, name="Annen")
    theirs = GroupMember.objects.create(group=other, name="Gunn")
    login(client, alice)
    assert client.get(detail_url(steering), {"fjern": theirs.pk}).status_code == 404
    assert (
        client.post(detail_url(steering), {"action": "remove_member", "member": theirs.pk}).status_code == 404
    )
    assert client.post(detail_url(steering), {"action": "remove_member", "member": "x"}).status_code == 404
    assert GroupMember.objects.filter(pk=theirs.pk).exists()


def test_an_unknown_action_is_a_bad_request(client: Client, alice: User, steering: Group) -> None:
    assert login(client, alice).post(detail_url(steering), {"action": "delete_group"}).status_code == 400
    assert Group.objects.filter(pk=steering.pk).exists()
