"""The workplaces page and its create/edit forms (network coordinators only)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network, Person, Role, ServiceType, Workplace
from fagnett.networks.organisation_services import update_workplace
from fagnett.places.models import HealthTrust, Municipality
from tests.conftest import add_member, login
from tests.helpers import count_queries

LIST = reverse("networks:workplaces", args=["barnepalliasjon"])
CREATE = reverse("networks:workplace_create", args=["barnepalliasjon"])
VALID_ORG_NUMBER = "974760673"  # Brønnøysundregistrene's own: the check digit matches
BAD_CHECK_DIGIT = "974760674"


def edit_url(workplace: Workplace) -> str:
    return reverse("networks:workplace_edit", args=["barnepalliasjon", workplace.pk])


def service_type(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code, network=None)


def municipality(number: str) -> Municipality:
    return Municipality.objects.get(number=number)


@pytest.fixture
def home_care(network: Network) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name="Hjemmetjenesten Madla",
        service_type=service_type(ServiceType.HOME_CARE),
        municipality=municipality("1103"),
    )


@pytest.fixture
def hospital_unit(network: Network) -> Workplace:
    return Workplace.objects.create(
        network=network,
        name="Barneklinikken",
        service_type=service_type(ServiceType.HOSPITAL_UNIT),
        health_trust=HealthTrust.objects.get(short_name="Stavanger"),
        in_scope=True,
    )


def resource_person(network: Network, email: str, workplace: Workplace, start: dt.date) -> Person:
    membership = add_member(network, None, email, Role.RESOURCE_PERSON, start)
    Person.objects.filter(pk=membership.person_id).update(workplace=workplace)
    return membership.person


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Sandnes sykehjem",
        "service_type": service_type(ServiceType.NURSING_HOME).pk,
        "municipality": municipality("1108").pk,
        "health_trust": "",
        "organisation_number": "",
    }
    data.update(overrides)
    return data


# Access ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["carl", "rita", "lena", "rolf", "charlie", "nobody", "admin_user"])
def test_only_the_network_coordinator_reaches_the_workplace_pages(
    client: Client, persona: str, home_care: Workplace, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    for url in (LIST, CREATE, edit_url(home_care)):
        assert client.get(url).status_code == 404, url
    assert client.post(CREATE, form_data()).status_code == 404
    assert client.post(edit_url(home_care), form_data(name="Endret")).status_code == 404
    assert Workplace.objects.filter(network=home_care.network).count() == 1
    home_care.refresh_from_db()
    assert home_care.name == "Hjemmetjenesten Madla"


def test_the_coordinator_reaches_every_workplace_page(
    client: Client, alice: User, home_care: Workplace
) -> None:
    login(client, alice)
    for url in (LIST, CREATE, edit_url(home_care)):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_login(client: Client, home_care: Workplace) -> None:
    for url in (LIST, CREATE, edit_url(home_care)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_a_workplace_of_another_network_is_404(client: Client, alice: User, other_network: Network) -> None:
    theirs = Workplace.objects.create(
        network=other_network, name="Fremmed", service_type=service_type(ServiceType.HOME_CARE)
    )
    login(client, alice)
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(edit_url(theirs), form_data()).status_code == 404


# The list ----------------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_the_list_counts_only_active_resource_persons(
    client: Client, alice: User, network: Network, home_care: Workplace, hospital_unit: Workplace
) -> None:
    resource_person(network, "a@example.no", home_care, dt.date(2023, 1, 1))
    resource_person(network, "b@example.no", home_care, dt.date(2024, 1, 1))
    ended = resource_person(network, "c@example.no", home_care, dt.date(2022, 1, 1))
    ended.memberships.update(end=dt.date(2024, 5, 31))
    resource_person(network, "d@example.no", home_care, dt.date(2024, 9, 1))  # not yet started
    worker = add_member(network, None, "e@example.no", Role.WORKING_GROUP, dt.date(2023, 1, 1))
    Person.objects.filter(pk=worker.person_id).update(workplace=home_care)  # not a resource person
    resource_person(network, "f@example.no", hospital_unit, dt.date(2020, 1, 1))

    response = login(client, alice).get(LIST)

    counts = {row.workplace.name: row.active_resource_persons for row in response.context["rows"]}
    assert counts == {"Barneklinikken": 1, "Hjemmetjenesten Madla": 2}
    page = response.content.decode()
    assert "Helse Stavanger HF" in page and "Stavanger" in page
    assert edit_url(home_care) in page


def test_the_list_shows_organisation_number_and_the_in_scope_flag_for_hospital_units(
    client: Client, alice: User, home_care: Workplace, hospital_unit: Workplace
) -> None:
    Workplace.objects.filter(pk=home_care.pk).update(organisation_number=VALID_ORG_NUMBER)
    response = login(client, alice).get(LIST)
    rows = {row.workplace.name: row for row in response.context["rows"]}
    assert rows["Barneklinikken"].is_hospital_unit and rows["Barneklinikken"].workplace.in_scope
    assert not rows["Hjemmetjenesten Madla"].is_hospital_unit
    assert VALID_ORG_NUMBER in response.content.decode()


def test_the_list_filters_by_service_type_and_municipality(
    client: Client, alice: User, network: Network, home_care: Workplace, hospital_unit: Workplace
) -> None:
    Workplace.objects.create(
        network=network,
        name="Sandnes hjemmetjeneste",
        service_type=service_type(ServiceType.HOME_CARE),
        municipality=municipality("1108"),
    )
    login(client, alice)

    def names(params: dict[str, int]) -> list[str]:
        return [row.workplace.name for row in client.get(LIST, params).context["rows"]]

    home = service_type(ServiceType.HOME_CARE).pk
    assert names({"service_type": home}) == ["Hjemmetjenesten Madla", "Sandnes hjemmetjeneste"]
    assert names({"municipality": municipality("1108").pk}) == ["Sandnes hjemmetjeneste"]
    assert names({"service_type": home, "municipality": municipality("1103").pk}) == ["Hjemmetjenesten Madla"]
    assert names({}) == ["Barneklinikken", "Hjemmetjenesten Madla", "Sandnes hjemmetjeneste"]


def test_the_municipality_filter_offers_only_the_networks_area(
    client: Client, alice: User, home_care: Workplace
) -> None:
    response = login(client, alice).get(LIST)
    offered = {m.number for m in response.context["filters"].fields["municipality"].queryset}
    assert offered == {"1103", "1108"}


def test_the_list_query_count_does_not_grow_with_workplaces_and_persons(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)

    def add(first: int, last: int) -> None:
        for i in range(first, last):
            workplace = Workplace.objects.create(
                network=network,
                name=f"Arbeidssted {i}",
                service_type=service_type(ServiceType.HOME_CARE),
                municipality=municipality("1103"),
            )
            resource_person(network, f"p{i}@example.no", workplace, dt.date(2023, 1, 1))

    add(0, 5)
    few = count_queries(lambda: client.get(LIST))
    add(5, 40)
    assert count_queries(lambda: client.get(LIST)) == few
    assert len(client.get(LIST).context["rows"]) == 40


# Creating ----------------------------------------------------------------------------------------------


def test_the_coordinator_adds_a_workplace_and_it_is_audited(
    client: Client, alice: User, network: Network
) -> None:
    response = login(client, alice).post(CREATE, form_data(organisation_number="974 760 673"))
    assert response.status_code == 302 and response["Location"] == LIST
    workplace = Workplace.objects.get(network=network, name="Sandnes sykehjem")
    assert workplace.municipality == municipality("1108")
    assert workplace.organisation_number == VALID_ORG_NUMBER
    entry = AuditEntry.objects.get(action="workplace.created")
    assert (entry.actor, entry.network, entry.target_id) == (alice, network, str(workplace.pk))


def test_it_rejects_an_organisation_number_with_a_bad_check_digit(client: Client, alice: User) -> None:
    response = login(client, alice).post(CREATE, form_data(organisation_number=BAD_CHECK_DIGIT))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("organisation_number", "org_number_check_digit")
    assert BAD_CHECK_DIGIT in form.errors["organisation_number"][0]
    assert not Workplace.objects.exists()
    assert 'href="#id_organisation_number"' in response.content.decode()  # the error summary links to it


def test_it_rejects_an_organisation_number_that_is_not_nine_digits(client: Client, alice: User) -> None:
    response = login(client, alice).post(CREATE, form_data(organisation_number="12345"))
    assert response.context["form"].has_error("organisation_number", "org_number_length")


def test_it_rejects_a_municipal_workplace_without_municipality(client: Client, alice: User) -> None:
    response = login(client, alice).post(CREATE, form_data(municipality=""))
    form = response.context["form"]
    assert list(form.errors) == ["municipality"]
    assert not Workplace.objects.exists()


def test_it_rejects_a_hospital_unit_without_health_trust(client: Client, alice: User) -> None:
    data = form_data(service_type=service_type(ServiceType.HOSPITAL_UNIT).pk, municipality="", in_scope="on")
    response = login(client, alice).post(CREATE, data)
    assert list(response.context["form"].errors) == ["health_trust"]
    assert not Workplace.objects.exists()


def test_a_hospital_unit_with_a_health_trust_may_be_in_scope(
    client: Client, alice: User, network: Network
) -> None:
    trust = HealthTrust.objects.get(short_name="Stavanger")
    data = form_data(
        name="Barnesengepost",
        service_type=service_type(ServiceType.HOSPITAL_UNIT).pk,
        municipality="",
        health_trust=trust.pk,
        in_scope="on",
    )
    assert login(client, alice).post(CREATE, data).status_code == 302
    unit = Workplace.objects.get(network=network, name="Barnesengepost")
    assert (unit.health_trust, unit.in_scope, unit.municipality) == (trust, True, None)


def test_only_hospital_units_can_be_in_scope(client: Client, alice: User) -> None:
    response = login(client, alice).post(CREATE, form_data(in_scope="on"))
    assert list(response.context["form"].errors) == ["in_scope"]


def test_it_refuses_a_municipality_outside_the_networks_area(client: Client, alice: User) -> None:
    response = login(client, alice).post(CREATE, form_data(municipality=municipality("0301").pk))
    assert response.context["form"].has_error("municipality", "invalid_choice")
    assert not Workplace.objects.exists()


def test_it_offers_built_in_and_own_service_types_but_not_another_networks(
    client: Client, alice: User, network: Network, other_network: Network
) -> None:
    ours = ServiceType.objects.create(network=network, code="helsestasjon", name="Helsestasjon")
    theirs = ServiceType.objects.create(network=other_network, code="legevakt", name="Legevakt")
    response = login(client, alice).get(CREATE)
    offered = set(response.context["form"].fields["service_type"].queryset)
    assert ours in offered and service_type(ServiceType.HOME_CARE) in offered
    assert theirs not in offered
    response = client.post(CREATE, form_data(service_type=theirs.pk))
    assert response.context["form"].has_error("service_type", "invalid_choice")


def test_it_rejects_a_workplace_the_network_already_has(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice).post(CREATE, form_data())
    response = client.post(CREATE, form_data(name="SANDNES SYKEHJEM"))
    assert response.context["form"].has_error("name")
    assert Workplace.objects.filter(network=network).count() == 1


# Editing -----------------------------------------------------------------------------------------------


def test_the_edit_form_starts_with_the_stored_values(
    client: Client, alice: User, home_care: Workplace
) -> None:
    form = login(client, alice).get(edit_url(home_care)).context["form"]
    assert form["name"].value() == "Hjemmetjenesten Madla"
    assert form["municipality"].value() == municipality("1103").pk


def test_the_coordinator_edits_a_workplace_and_the_changed_fields_are_audited(
    client: Client, alice: User, network: Network, home_care: Workplace
) -> None:
    data = form_data(
        name="Hjemmetjenesten Madla øst",
        service_type=service_type(ServiceType.HOME_CARE).pk,
        municipality=municipality("1103").pk,
        organisation_number=VALID_ORG_NUMBER,
    )
    response = login(client, alice).post(edit_url(home_care), data)
    assert response.status_code == 302
    home_care.refresh_from_db()
    assert (home_care.name, home_care.organisation_number) == ("Hjemmetjenesten Madla øst", VALID_ORG_NUMBER)
    entry = AuditEntry.objects.get(action="workplace.updated")
    assert entry.fields == ["name", "organisation_number"]
    assert (entry.actor, entry.network) == (alice, network)


def test_editing_rejects_a_bad_check_digit_and_keeps_the_workplace(
    client: Client, alice: User, home_care: Workplace
) -> None:
    data = form_data(
        name=home_care.name,
        service_type=home_care.service_type_id,
        municipality=home_care.municipality_id,
        organisation_number=BAD_CHECK_DIGIT,
    )
    response = login(client, alice).post(edit_url(home_care), data)
    assert response.context["form"].has_error("organisation_number", "org_number_check_digit")
    home_care.refresh_from_db()
    assert home_care.organisation_number == ""
    assert not AuditEntry.objects.filter(action="workplace.updated").exists()


def test_editing_rejects_a_name_another_workplace_has(
    client: Client, alice: User, network: Network, home_care: Workplace
) -> None:
    Workplace.objects.create(
        network=network,
        name="Stavanger hjemmetjeneste",
        service_type=home_care.service_type,
        municipality=home_care.municipality,
    )
    data = form_data(
        name="stavanger hjemmetjeneste",
        service_type=home_care.service_type_id,
        municipality=home_care.municipality_id,
    )
    response = login(client, alice).post(edit_url(home_care), data)
    assert response.context["form"].has_error("name")
    home_care.refresh_from_db()
    assert home_care.name == "Hjemmetjenesten Madla"


def test_a_workplace_keeps_its_municipality_after_the_area_shrank(
    client: Client, alice: User, network: Network
) -> None:
    bergen = Workplace.objects.create(
        network=network,
        name="Gammel",
        service_type=service_type(ServiceType.HOME_CARE),
        municipality=municipality("4601"),
    )
    data = form_data(
        name="Gammel, nytt navn", service_type=bergen.service_type_id, municipality=municipality("4601").pk
    )
    assert login(client, alice).post(edit_url(bergen), data).status_code == 302
    bergen.refresh_from_db()
    assert bergen.name == "Gammel, nytt navn"


def test_saving_a_workplace_unchanged_writes_no_audit_entry(alice: User, home_care: Workplace) -> None:
    assert update_workplace(home_care, {"name": " Hjemmetjenesten Madla "}, actor=alice) == []
    assert not AuditEntry.objects.filter(action="workplace.updated").exists()


def test_the_service_also_requires_a_health_trust_for_hospital_units(
    alice: User, home_care: Workplace
) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as raised:
        update_workplace(home_care, {"service_type": service_type(ServiceType.HOSPITAL_UNIT)}, actor=alice)
    assert set(raised.value.message_dict) == {"health_trust"}
