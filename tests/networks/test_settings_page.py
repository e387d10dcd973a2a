"""The network's settings page: profile, area, coverage rules, hospital units in scope, own service types
and roles. Each part is its own form posting to the same address with a hidden "action"."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import (
    CoverageRule,
    CoverageScope,
    LocalChapter,
    Network,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.places.models import HealthTrust, Municipality
from tests.conftest import login

URL = reverse("networks:settings", args=["barnepalliasjon"])


def service_type(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code, network=None)


def pks(*numbers: str) -> list[int]:
    return [Municipality.objects.get(number=n).pk for n in numbers]


def profile_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "action": "profile",
        "profile-name": "Barnepalliasjon Sør-Rogaland",
        "profile-purpose": "Styrke kompetansen i palliasjon til barn.",
        "profile-established_year": "2019",
        "profile-initiative": "Stavanger kommune",
        "profile-anchoring": "Samarbeidsavtale med Helse Stavanger HF",
        "profile-anchoring_reference": "Delavtale 2",
        "profile-owner_organisation": "Utviklingssenter for sykehjem og hjemmetjenester",
    }
    data.update(overrides)
    return data


@pytest.fixture
def units(network: Network) -> list[Workplace]:
    trust = HealthTrust.objects.get(short_name="Stavanger")
    hospital = service_type(ServiceType.HOSPITAL_UNIT)
    return [
        Workplace.objects.create(
            network=network, name="Barneklinikken", service_type=hospital, health_trust=trust
        ),
        Workplace.objects.create(
            network=network, name="Nyfødt intensiv", service_type=hospital, health_trust=trust, in_scope=True
        ),
    ]


# Access ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["carl", "rita", "lena", "rolf", "charlie", "nobody", "admin_user"])
def test_only_the_network_coordinator_reaches_the_settings(
    client: Client, persona: str, network: Network, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert client.post(URL, profile_data(**{"profile-name": "Kapret"})).status_code == 404
    assert client.post(URL, {"action": "default_rules"}).status_code == 404
    network.refresh_from_db()
    assert network.name == "Barnepalliasjon Sør-Rogaland"
    assert not network.coverage_rules.exists()


def test_anonymous_visitors_are_sent_to_login(client: Client, network: Network) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_coordinator_sees_every_part(client: Client, alice: User) -> None:
    response = login(client, alice).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for action in ("profile", "area", "add_rule", "default_rules", "add_service_type", "add_role"):
        assert f'name="action" value="{action}"' in page, action
    assert response.context["area_count"] == 2


def test_an_unknown_action_is_a_bad_request(client: Client, alice: User) -> None:
    assert login(client, alice).post(URL, {"action": "delete_network"}).status_code == 400


# Profile -----------------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False)
def test_the_profile_is_saved_and_the_changed_fields_are_audited(
    client: Client, alice: User, network: Network
) -> None:
    response = login(client, alice).post(URL, profile_data())
    assert response.status_code == 302 and response["Location"] == f"{URL}#profil"
    network.refresh_from_db()
    assert (network.established_year, network.anchoring_reference) == (2019, "Delavtale 2")
    entry = AuditEntry.objects.get(action="network.updated")
    assert entry.fields == [
        "anchoring",
        "anchoring_reference",
        "established_year",
        "initiative",
        "owner_organisation",
        "purpose",
    ]
    assert (entry.actor, entry.network) == (alice, network)


@time_machine.travel(dt.datetime(2024, 6, 15, 12, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("year", ["2025", "1850"])
def test_it_rejects_an_established_year_in_the_future_or_long_ago(
    client: Client, alice: User, network: Network, year: str
) -> None:
    response = login(client, alice).post(URL, profile_data(**{"profile-established_year": year}))
    assert response.status_code == 200
    assert response.context["invalid"] is response.context["forms"].profile
    assert list(response.context["forms"].profile.errors) == ["established_year"]
    assert 'href="#id_profile-established_year"' in response.content.decode()
    network.refresh_from_db()
    assert network.established_year is None


def test_the_profile_needs_a_name(client: Client, alice: User, network: Network) -> None:
    response = login(client, alice).post(URL, profile_data(**{"profile-name": "  "}))
    assert list(response.context["forms"].profile.errors) == ["name"]


# Area --------------------------------------------------------------------------------------------------


def test_the_area_is_saved_through_set_area(client: Client, alice: User, network: Network) -> None:
    data = {"action": "area", "area-municipalities": pks("1103", "1108", "1119", "1120")}
    response = login(client, alice).post(URL, data)
    assert response.status_code == 302 and response["Location"] == f"{URL}#omrade"
    assert set(network.municipalities.values_list("number", flat=True)) == {"1103", "1108", "1119", "1120"}
    entry = AuditEntry.objects.get(action="network.area_changed")
    assert entry.data == {"added": 2, "removed": 0}
    assert client.get(URL).context["area_count"] == 4


def test_the_area_checkboxes_are_grouped_by_county_and_checked_as_stored(
    client: Client, alice: User, network: Network
) -> None:
    counties = login(client, alice).get(URL).context["forms"].area.counties()
    rogaland = next(c for c in counties if c.county.number == "11")
    assert rogaland.selected == 2
    checked = {m.number for c in counties for m, on in c.municipalities if on}
    assert checked == {"1103", "1108"}
    assert sum(len(c.municipalities) for c in counties) == Municipality.objects.count()


def test_the_area_cannot_shrink_from_under_a_chapter(
    client: Client, alice: User, network: Network, chapter: LocalChapter
) -> None:
    response = login(client, alice).post(URL, {"action": "area", "area-municipalities": pks("1108")})
    assert response.status_code == 200
    errors = response.context["forms"].area.errors["municipalities"]
    assert len(errors) == 1 and "Stavanger" in errors[0]
    assert network.municipalities.count() == 2
    # The submitted choice is shown again, not the stored one.
    counties = response.context["forms"].area.counties()
    assert {m.number for c in counties for m, on in c.municipalities if on} == {"1108"}


# Coverage rules ----------------------------------------------------------------------------------------


def test_the_standard_rules_can_be_added_when_there_are_none(
    client: Client, alice: User, network: Network
) -> None:
    login(client, alice)
    assert 'value="default_rules"' in client.get(URL).content.decode()
    response = client.post(URL, {"action": "default_rules"})
    assert response.status_code == 302 and response["Location"] == f"{URL}#dekning"
    rules = {(r.scope, r.service_type.code if r.service_type else None) for r in network.coverage_rules.all()}
    assert rules == {
        (CoverageScope.MUNICIPALITY, ServiceType.HOME_CARE),
        (CoverageScope.MUNICIPALITY, ServiceType.NURSING_HOME),
        (CoverageScope.HOSPITAL_UNIT, None),
    }
    assert AuditEntry.objects.filter(action="network.coverage_rules_created").count() == 1
    assert 'value="default_rules"' not in client.get(URL).content.decode()


def test_a_rule_is_added_and_audited(client: Client, alice: User, network: Network) -> None:
    data = {
        "action": "add_rule",
        "rule-scope": CoverageScope.MUNICIPALITY,
        "rule-service_type": service_type("barnehage").pk,
        "rule-minimum": "2",
    }
    assert login(client, alice).post(URL, data).status_code == 302
    rule = network.coverage_rules.get()
    assert (rule.scope, rule.service_type, rule.minimum) == (
        CoverageScope.MUNICIPALITY,
        service_type("barnehage"),
        2,
    )
    entry = AuditEntry.objects.get(action="network.coverage_rule_added")
    assert entry.data == {"scope": "kommune", "service_type": "barnehage", "minimum": 2}


def test_it_rejects_a_municipality_rule_without_service_type(
    client: Client, alice: User, network: Network
) -> None:
    data = {
        "action": "add_rule",
        "rule-scope": CoverageScope.MUNICIPALITY,
        "rule-service_type": "",
        "rule-minimum": "1",
    }
    response = login(client, alice).post(URL, data)
    assert response.status_code == 200
    assert list(response.context["forms"].rule.errors) == ["service_type"]
    assert 'href="#id_rule-service_type"' in response.content.decode()
    assert not network.coverage_rules.exists()


@pytest.mark.parametrize("minimum", ["0", "-1", ""])
def test_it_rejects_a_minimum_below_one(client: Client, alice: User, network: Network, minimum: str) -> None:
    data = {"action": "add_rule", "rule-scope": CoverageScope.HOSPITAL_UNIT, "rule-minimum": minimum}
    response = login(client, alice).post(URL, data)
    assert list(response.context["forms"].rule.errors) == ["minimum"]
    assert not network.coverage_rules.exists()


def test_a_hospital_unit_rule_takes_no_service_type(client: Client, alice: User, network: Network) -> None:
    data = {
        "action": "add_rule",
        "rule-scope": CoverageScope.HOSPITAL_UNIT,
        "rule-service_type": service_type(ServiceType.HOME_CARE).pk,
        "rule-minimum": "1",
    }
    response = login(client, alice).post(URL, data)
    assert list(response.context["forms"].rule.errors) == ["service_type"]


def test_it_rejects_a_rule_the_network_already_has(client: Client, alice: User, network: Network) -> None:
    CoverageRule.objects.create(network=network, scope=CoverageScope.HOSPITAL_UNIT)
    data = {"action": "add_rule", "rule-scope": CoverageScope.HOSPITAL_UNIT, "rule-minimum": "2"}
    response = login(client, alice).post(URL, data)
    assert list(response.context["forms"].rule.errors) == ["scope"]
    assert network.coverage_rules.count() == 1


def test_a_rule_is_removed_and_audited(client: Client, alice: User, network: Network) -> None:
    rule = CoverageRule.objects.create(
        network=network, scope=CoverageScope.MUNICIPALITY, service_type=service_type(ServiceType.HOME_CARE)
    )
    response = login(client, alice).post(URL, {"action": "remove_rule", "rule": rule.pk})
    assert response.status_code == 302
    assert not network.coverage_rules.exists()
    entry = AuditEntry.objects.get(action="network.coverage_rule_removed")
    assert (entry.target_id, entry.network) == (str(rule.pk), network)


def test_a_rule_of_another_network_cannot_be_removed(
    client: Client, alice: User, other_network: Network
) -> None:
    theirs = CoverageRule.objects.create(network=other_network, scope=CoverageScope.HOSPITAL_UNIT)
    login(client, alice)
    assert client.post(URL, {"action": "remove_rule", "rule": theirs.pk}).status_code == 404
    assert client.post(URL, {"action": "remove_rule", "rule": "x"}).status_code == 404
    assert CoverageRule.objects.filter(pk=theirs.pk).exists()


# Hospital units in scope -------------------------------------------------------------------------------


def test_the_units_in_scope_are_set_and_each_change_is_audited(
    client: Client, alice: User, units: list[Workplace]
) -> None:
    clinic, nicu = units
    login(client, alice)
    assert set(client.get(URL).context["forms"].units["units"].value()) == {nicu.pk}
    response = client.post(URL, {"action": "units", "units-units": [clinic.pk]})
    assert response.status_code == 302 and response["Location"] == f"{URL}#sykehusavdelinger"
    clinic.refresh_from_db()
    nicu.refresh_from_db()
    assert (clinic.in_scope, nicu.in_scope) == (True, False)
    entries = AuditEntry.objects.filter(action="workplace.updated")
    assert sorted(e.target_id for e in entries) == sorted([str(clinic.pk), str(nicu.pk)])
    assert all(e.fields == ["in_scope"] for e in entries)


def test_only_hospital_units_are_offered_for_scope(
    client: Client, alice: User, network: Network, units: list[Workplace]
) -> None:
    home = Workplace.objects.create(
        network=network,
        name="Hjemmetjenesten",
        service_type=service_type(ServiceType.HOME_CARE),
        municipality=Municipality.objects.get(number="1103"),
    )
    response = login(client, alice).post(URL, {"action": "units", "units-units": [home.pk]})
    assert response.context["forms"].units.has_error("units", "invalid_choice")
    home.refresh_from_db()
    assert not home.in_scope


# Own service types and roles ---------------------------------------------------------------------------


def test_a_service_type_is_added_and_audited(client: Client, alice: User, network: Network) -> None:
    data = {"action": "add_service_type", "service_type-name": "Helsestasjon", "service_type-code": ""}
    response = login(client, alice).post(URL, data)
    assert response.status_code == 302 and response["Location"] == f"{URL}#tjenestetyper"
    own = ServiceType.objects.get(network=network)
    assert (own.code, own.name) == ("helsestasjon", "Helsestasjon")
    assert AuditEntry.objects.get(action="service_type.created").target_id == str(own.pk)
    assert "Helsestasjon" in client.get(URL).content.decode()


def test_it_rejects_a_service_type_code_equal_to_a_built_in_code(
    client: Client, alice: User, network: Network
) -> None:
    data = {
        "action": "add_service_type",
        "service_type-name": "Vårt sykehjem",
        "service_type-code": "sykehjem",
    }
    response = login(client, alice).post(URL, data)
    assert response.status_code == 200
    errors = response.context["forms"].service_type.errors
    assert list(errors) == ["code"] and "sykehjem" in errors["code"][0]
    assert not ServiceType.objects.filter(network=network).exists()


def test_it_rejects_a_service_type_named_like_a_built_in_one(
    client: Client, alice: User, network: Network
) -> None:
    data = {"action": "add_service_type", "service_type-name": "skole", "service_type-code": "var-skole"}
    response = login(client, alice).post(URL, data)
    assert list(response.context["forms"].service_type.errors) == ["name"]


def test_it_rejects_a_code_that_is_not_a_slug(client: Client, alice: User, network: Network) -> None:
    data = {"action": "add_service_type", "service_type-name": "Legevakt", "service_type-code": "lege vakt!"}
    response = login(client, alice).post(URL, data)
    assert list(response.context["forms"].service_type.errors) == ["code"]


def test_a_code_another_network_uses_is_fine(
    client: Client, alice: User, network: Network, other_network: Network
) -> None:
    ServiceType.objects.create(network=other_network, code="legevakt", name="Legevakt")
    data = {"action": "add_service_type", "service_type-name": "Legevakt", "service_type-code": "legevakt"}
    assert login(client, alice).post(URL, data).status_code == 302
    assert ServiceType.objects.filter(network=network, code="legevakt").exists()


def test_a_role_is_added_and_audited(client: Client, alice: User, network: Network) -> None:
    data = {"action": "add_role", "role-name": "Fagutviklingssykepleier", "role-code": "fagutvikler"}
    assert login(client, alice).post(URL, data).status_code == 302
    role = Role.objects.get(network=network)
    assert (role.code, role.name) == ("fagutvikler", "Fagutviklingssykepleier")
    assert AuditEntry.objects.get(action="role.created").network == network


def test_it_rejects_a_role_code_equal_to_a_built_in_code(
    client: Client, alice: User, network: Network
) -> None:
    data = {"action": "add_role", "role-name": "Hovedkoordinator", "role-code": Role.COORDINATOR}
    response = login(client, alice).post(URL, data)
    assert list(response.context["forms"].role.errors) == ["code"]
    assert not Role.objects.filter(network=network).exists()


def test_only_the_posted_form_shows_errors(client: Client, alice: User) -> None:
    data = {"action": "add_role", "role-name": "", "role-code": ""}
    forms = login(client, alice).post(URL, data).context["forms"]
    assert forms.role.errors
    assert not any(
        f.is_bound for f in (forms.profile, forms.area, forms.rule, forms.units, forms.service_type)
    )
