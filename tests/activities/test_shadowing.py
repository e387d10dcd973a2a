"""Job shadowing: the services, the network's list with totals and the form, for every persona."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.activities.models import Shadowing, ShadowingStatus
from fagnett.activities.shadowing import (
    NewHost,
    ShadowingData,
    create_shadowing,
    person_shadowings,
    shadowing_list,
    supervision_hours,
    update_shadowing,
)
from fagnett.audit.models import AuditEntry
from fagnett.networks.access import access_for
from fagnett.networks.models import LocalChapter, Network, Person, Role, ServiceType, Workplace
from fagnett.places.models import Municipality
from tests.conftest import add_member, login
from tests.helpers import count_queries, nb

SLUG = "barnepalliasjon"
LIST = reverse("activities:shadowings", args=[SLUG])
CREATE = reverse("activities:shadowing_create", args=[SLUG])
NOW = dt.datetime(2025, 6, 15, 12, tzinfo=dt.UTC)


def edit_url(shadowing: Shadowing) -> str:
    return reverse("activities:shadowing_edit", args=[SLUG, shadowing.pk])


def service_type(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code, network=None)


def municipality(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


@pytest.fixture
def host(network: Network) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name="Barneavdelingen SUS",
        service_type=service_type(ServiceType.HOSPITAL_UNIT),
        municipality=municipality("1103"),
    )


@pytest.fixture
def sandnes_home_care(network: Network) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name="Hjemmetjenesten Sandnes",
        service_type=service_type(ServiceType.HOME_CARE),
        municipality=municipality("1108"),
    )


@pytest.fixture
def stina(network: Network, chapter: LocalChapter, sandnes_home_care: Workplace) -> Person:
    """A resource person in the Stavanger chapter (Carl's), working in Sandnes."""
    membership = add_member(
        network, None, "stina@example.no", Role.RESOURCE_PERSON, dt.date(2024, 1, 1), chapter=chapter
    )
    Person.objects.filter(pk=membership.person_id).update(
        first_name="Stina", last_name="Stavanger", workplace=sandnes_home_care
    )
    return Person.objects.get(pk=membership.person_id)


@pytest.fixture
def olav(network: Network) -> Person:
    """A resource person without a local chapter: not Carl's."""
    membership = add_member(network, None, "olav@example.no", Role.RESOURCE_PERSON, dt.date(2024, 1, 1))
    Person.objects.filter(pk=membership.person_id).update(first_name="Olav", last_name="Utenfor")
    return Person.objects.get(pk=membership.person_id)


def placement(
    person: Person,
    host: Workplace,
    start: dt.date,
    days: str = "1.5",
    status: str = ShadowingStatus.DONE,
    end: dt.date | None = None,
) -> Shadowing:
    return Shadowing.objects.create(
        network=person.network,
        person=person,
        host=host,
        starts_on=start,
        ends_on=end or start + dt.timedelta(days=1),
        days=Decimal(days),
        status=status,
    )


@pytest.fixture
def stina_2025(stina: Person, host: Workplace) -> Shadowing:
    return placement(stina, host, dt.date(2025, 3, 4))


@pytest.fixture
def olav_2025(olav: Person, host: Workplace) -> Shadowing:
    return placement(olav, host, dt.date(2025, 4, 8), days="2")


def form_data(person: Person, workplace: Workplace | None = None, **values: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "person": person.pk,
        "host": workplace.pk if workplace else "",
        "new_host_name": "",
        "new_host_service_type": "",
        "new_host_municipality": "",
        "starts_on": "2025-05-05",
        "ends_on": "2025-05-06",
        "days": "1,5",
        "goals": "Lære om smertelindring hos barn.",
        "reflection": "",
        "status": ShadowingStatus.PLANNED,
    }
    data.update(values)
    return data


# --- Services ---------------------------------------------------------------------------------------------


def test_supervision_hours_are_days_times_the_networks_hours_per_day() -> None:
    assert supervision_hours(Decimal("1.5"), Decimal(4)) == Decimal(6)
    assert supervision_hours(Decimal("1.5"), Decimal("3.5")) == Decimal("5.25")


def test_create_shadowing_writes_the_placement_and_an_audit_entry(
    network: Network, alice: User, stina: Person, host: Workplace
) -> None:
    shadowing = create_shadowing(
        network,
        ShadowingData(stina, host, dt.date(2025, 5, 5), dt.date(2025, 5, 6), Decimal("1.5")),
        actor=alice,
    )
    assert (shadowing.network, shadowing.person, shadowing.host) == (network, stina, host)
    entry = AuditEntry.objects.get(action="shadowing.created")
    assert (entry.actor, entry.target_id, entry.network) == (alice, str(shadowing.pk), network)


def test_create_shadowing_with_a_new_host_creates_the_workplace_once(
    network: Network, alice: User, stina: Person
) -> None:
    new_host = NewHost("Palliativt team Haugesund", service_type("annet"), municipality("1106"))
    data = ShadowingData(stina, None, dt.date(2025, 5, 5), dt.date(2025, 5, 5), Decimal(1))
    first = create_shadowing(network, data, actor=alice, new_host=new_host)
    data.starts_on = data.ends_on = dt.date(2025, 9, 1)
    second = create_shadowing(network, data, actor=alice, new_host=new_host)
    assert first.host == second.host
    assert (first.host.name, first.host.municipality, first.host.network) == (
        "Palliativt team Haugesund",
        municipality("1106"),
        network,
    )
    assert AuditEntry.objects.filter(action="workplace.created").count() == 1


@pytest.mark.parametrize(
    ("days", "start", "end", "field"),
    [
        ("0.4", dt.date(2025, 5, 5), dt.date(2025, 5, 5), "days"),
        ("10.5", dt.date(2025, 5, 5), dt.date(2025, 5, 30), "days"),
        ("1.25", dt.date(2025, 5, 5), dt.date(2025, 5, 6), "days"),
        ("1", dt.date(2025, 5, 5), dt.date(2025, 5, 4), "ends_on"),
        ("3", dt.date(2025, 5, 5), dt.date(2025, 5, 6), "days"),
    ],
)
def test_create_shadowing_rejects_bad_days_and_dates(
    network: Network,
    alice: User,
    stina: Person,
    host: Workplace,
    days: str,
    start: dt.date,
    end: dt.date,
    field: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        create_shadowing(network, ShadowingData(stina, host, start, end, Decimal(days)), actor=alice)
    assert field in caught.value.message_dict
    assert not Shadowing.objects.exists()


def test_a_failed_placement_leaves_no_new_host_behind(network: Network, alice: User, stina: Person) -> None:
    data = ShadowingData(stina, None, dt.date(2025, 5, 5), dt.date(2025, 5, 5), Decimal(2))
    with pytest.raises(ValidationError):
        create_shadowing(
            network, data, actor=alice, new_host=NewHost("Nytt sted", service_type("annet"), None)
        )
    assert not Workplace.objects.filter(name="Nytt sted").exists()


def test_create_shadowing_refuses_a_person_of_another_network(
    network: Network, other_network: Network, alice: User, host: Workplace
) -> None:
    stranger = Person.objects.create(network=other_network, first_name="A", last_name="B", email="a@b.no")
    with pytest.raises(ValidationError) as caught:
        create_shadowing(
            network,
            ShadowingData(stranger, host, dt.date(2025, 5, 5), dt.date(2025, 5, 5), Decimal(1)),
            actor=alice,
        )
    assert "person" in caught.value.message_dict


def test_update_shadowing_audits_the_changed_fields_only(alice: User, stina_2025: Shadowing) -> None:
    changed = update_shadowing(
        stina_2025, {"days": Decimal(2), "reflection": "Nyttig.", "status": ShadowingStatus.DONE}, actor=alice
    )
    assert changed == ["days", "reflection"]
    entry = AuditEntry.objects.get(action="shadowing.updated")
    assert entry.fields == ["days", "reflection"]
    assert update_shadowing(stina_2025, {"days": Decimal(2)}, actor=alice) == []
    assert AuditEntry.objects.filter(action="shadowing.updated").count() == 1


def test_person_shadowings_lists_a_persons_placements_with_supervision_hours(
    stina_2025: Shadowing, stina: Person
) -> None:
    rows = person_shadowings(stina)
    assert [(row.shadowing, row.supervision_hours) for row in rows] == [(stina_2025, Decimal(6))]


# --- The list ---------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_alice_sees_every_placement_with_from_municipality_host_and_totals(
    client: Client, alice: User, stina_2025: Shadowing, olav_2025: Shadowing
) -> None:
    response = login(client, alice).get(LIST)
    assert response.status_code == 200
    facts = response.context["facts"]
    assert [row.shadowing for row in facts.rows] == [olav_2025, stina_2025]
    assert [row.from_municipality for row in facts.rows] == [None, municipality("1108")]
    assert (facts.placements, facts.days, facts.persons, facts.supervision_hours) == (
        2,
        Decimal("3.5"),
        2,
        Decimal(14),
    )
    page = response.content.decode()
    assert "Stina Stavanger" in page and "Olav Utenfor" in page
    assert "Sandnes" in page and "Barneavdelingen SUS" in page
    assert "04.03.2025–05.03.2025" in page
    assert "3,5" in page  # days, with a decimal comma


@time_machine.travel(NOW, tick=False)
def test_carl_sees_only_the_persons_of_his_chapter(
    client: Client, carl: User, stina_2025: Shadowing, olav_2025: Shadowing
) -> None:
    response = login(client, carl).get(LIST)
    assert response.status_code == 200
    assert [row.shadowing for row in response.context["facts"].rows] == [stina_2025]
    assert "Olav Utenfor" not in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_list_shows_this_year_unless_another_year_or_all_years_is_chosen(
    client: Client, alice: User, stina: Person, host: Workplace, stina_2025: Shadowing
) -> None:
    older = placement(stina, host, dt.date(2023, 10, 2), days="1")
    login(client, alice)
    assert [r.shadowing for r in client.get(LIST).context["facts"].rows] == [stina_2025]
    assert [r.shadowing for r in client.get(LIST, {"ar": "2023"}).context["facts"].rows] == [older]
    assert [r.shadowing for r in client.get(LIST, {"ar": ""}).context["facts"].rows] == [stina_2025, older]
    choices = [value for value, _ in client.get(LIST).context["filters"].fields["ar"].choices]
    assert choices == ["", "2025", "2023"]


@time_machine.travel(NOW, tick=False)
def test_the_list_filters_by_status(
    client: Client, alice: User, stina: Person, host: Workplace, stina_2025: Shadowing
) -> None:
    planned = placement(stina, host, dt.date(2025, 11, 3), status=ShadowingStatus.PLANNED)
    login(client, alice)
    response = client.get(LIST, {"status": ShadowingStatus.PLANNED})
    assert [r.shadowing for r in response.context["facts"].rows] == [planned]
    response = client.get(LIST, {"status": "ukjent"})  # an old link: everything
    assert len(response.context["facts"].rows) == 2


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("hours_per_day", "expected", "shown"), [("4", Decimal(6), "6"), ("3.5", Decimal("5.25"), "5,25")]
)
def test_supervision_hours_follow_the_networks_setting(
    client: Client,
    alice: User,
    network: Network,
    stina_2025: Shadowing,
    hours_per_day: str,
    expected: Decimal,
    shown: str,
) -> None:
    network.shadowing_hours_per_day = Decimal(hours_per_day)
    network.save(update_fields=["shadowing_hours_per_day"])
    response = login(client, alice).get(LIST)
    facts = response.context["facts"]
    assert facts.rows[0].supervision_hours == expected
    assert facts.supervision_hours == expected
    assert f'<td class="fn-number">{shown}</td>' in response.content.decode()


def test_the_list_runs_a_fixed_number_of_queries(
    client: Client, carl: User, stina: Person, host: Workplace, network: Network, chapter: LocalChapter
) -> None:
    login(client, carl)

    def queries() -> int:
        return count_queries(lambda: client.get(LIST, {"ar": ""}))

    placement(stina, host, dt.date(2025, 1, 6))
    few = queries()
    for number in range(5):
        member = add_member(
            network, None, f"p{number}@example.no", Role.RESOURCE_PERSON, dt.date(2024, 1, 1), chapter=chapter
        )
        other_host = Workplace.objects.create(
            network=network,
            name=f"Vert {number}",
            service_type=service_type("annet"),
            municipality=municipality("1108"),
        )
        placement(member.person, other_host, dt.date(2024, 2, number + 1))
    assert queries() == few


def test_shadowing_list_totals_are_computed_for_the_access(
    network: Network, alice: User, stina_2025: Shadowing, olav_2025: Shadowing
) -> None:
    facts = shadowing_list(access_for(alice, network), year=2025, status=ShadowingStatus.DONE)
    assert (facts.placements, facts.persons, facts.days) == (2, 2, Decimal("3.5"))


# --- Who may open the pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["rita", "lena", "rolf", "charlie", "nobody"])
def test_everyone_but_coordinators_gets_404(
    client: Client, request: pytest.FixtureRequest, persona: str, stina_2025: Shadowing
) -> None:
    login(client, request.getfixturevalue(persona))
    for url in (LIST, CREATE, edit_url(stina_2025)):
        assert client.get(url).status_code == 404
    response = client.post(edit_url(stina_2025), form_data(stina_2025.person, stina_2025.host, days="3"))
    assert response.status_code == 404
    stina_2025.refresh_from_db()
    assert stina_2025.days == Decimal("1.5")


def test_anonymous_visitors_are_sent_to_login(client: Client, stina_2025: Shadowing) -> None:
    for url in (LIST, CREATE, edit_url(stina_2025)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_carl_gets_404_for_the_placement_of_a_person_outside_his_chapter(
    client: Client, carl: User, olav_2025: Shadowing
) -> None:
    login(client, carl)
    assert client.get(edit_url(olav_2025)).status_code == 404


# --- The form ---------------------------------------------------------------------------------------------


def test_alice_registers_job_shadowing_with_a_decimal_comma(
    client: Client, alice: User, stina: Person, host: Workplace
) -> None:
    login(client, alice)
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, form_data(stina, host))
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?ar=2025"
    shadowing = Shadowing.objects.get()
    assert (shadowing.person, shadowing.host, shadowing.days, shadowing.status) == (
        stina,
        host,
        Decimal("1.5"),
        ShadowingStatus.PLANNED,
    )
    assert shadowing.goals == "Lære om smertelindring hos barn."
    assert AuditEntry.objects.filter(action="shadowing.created", actor=alice).count() == 1


def test_the_form_creates_a_new_host(client: Client, alice: User, stina: Person) -> None:
    login(client, alice)
    data = form_data(
        stina,
        new_host_name="  Lindrende enhet   Haugesund ",
        new_host_service_type=service_type("annet").pk,
        new_host_municipality=municipality("1106").pk,
    )
    assert client.post(CREATE, data).status_code == 302
    shadowing = Shadowing.objects.select_related("host__service_type").get()
    assert (shadowing.host.name, shadowing.host.service_type.code, shadowing.host.municipality) == (
        "Lindrende enhet Haugesund",
        "annet",
        municipality("1106"),
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"days": "0,4"}, "days", "The number of days must be between 0.5 and 10."),
        ({"days": "11"}, "days", "The number of days must be between 0.5 and 10."),
        ({"days": "to"}, "days", "Write the number of days as a number, for example 1 or 1,5."),
        ({"ends_on": "2025-05-04"}, "ends_on", "The end date cannot be before the start date."),
        ({"host": ""}, "host", "Choose the host workplace, or add a new one below."),
        (
            {"new_host_name": "Noe annet"},
            "new_host_name",
            "Choose a host from the list or add a new one, not both.",
        ),
    ],
)
def test_the_form_shows_what_is_wrong_and_saves_nothing(
    client: Client,
    alice: User,
    stina: Person,
    host: Workplace,
    values: dict[str, str],
    field: str,
    message: str,
) -> None:
    login(client, alice)
    response = client.post(CREATE, form_data(stina, host, **values))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [nb(message)]
    assert "data-error-summary" in response.content.decode()
    assert not Shadowing.objects.exists()


def test_a_new_host_needs_service_type_and_municipality(client: Client, alice: User, stina: Person) -> None:
    login(client, alice)
    response = client.post(CREATE, form_data(stina, new_host_name="Nytt sted"))
    errors = response.context["form"].errors
    assert errors["new_host_service_type"] == [nb("Choose the new host's service type.")]
    assert errors["new_host_municipality"] == [nb("Choose the new host's municipality.")]
    assert not Workplace.objects.filter(name="Nytt sted").exists()


def test_carl_chooses_only_among_the_persons_of_his_chapter(
    client: Client, carl: User, stina: Person, olav: Person, host: Workplace
) -> None:
    login(client, carl)
    persons = list(client.get(CREATE).context["form"].fields["person"].queryset)
    assert olav not in persons
    assert stina in persons
    response = client.post(CREATE, form_data(olav, host))
    assert "person" in response.context["form"].errors
    assert client.post(CREATE, form_data(stina, host)).status_code == 302
    assert Shadowing.objects.get().person == stina


def test_carl_edits_the_placement_of_a_person_in_his_chapter(
    client: Client, carl: User, stina_2025: Shadowing
) -> None:
    login(client, carl)
    response = client.get(edit_url(stina_2025))
    assert response.status_code == 200
    assert response.context["form"]["days"].value() == Decimal("1.5")
    assert 'value="1,5"' in response.content.decode()  # shown with a decimal comma
    data = form_data(
        stina_2025.person,
        stina_2025.host,
        starts_on="2025-03-04",
        ends_on="2025-03-05",
        days="2",
        status=ShadowingStatus.DONE,  # as stored
        reflection="Lærte mye.",
    )
    assert client.post(edit_url(stina_2025), data).status_code == 302
    stina_2025.refresh_from_db()
    assert (stina_2025.days, stina_2025.status, stina_2025.reflection) == (
        Decimal(2),
        ShadowingStatus.DONE,
        "Lærte mye.",
    )
    entry = AuditEntry.objects.get(action="shadowing.updated")
    assert (entry.actor, entry.fields) == (carl, ["days", "goals", "reflection"])
