"""Reader scopes (issue 10): granted in the admin (audited), they let a user read the aggregates of every
network in a health trust's or regional health authority's area, or of all networks — never persons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.access import access_for, networks_for_user, networks_read_by
from fagnett.networks.models import (
    Membership,
    Network,
    Person,
    ReaderScope,
    ReaderScopeKind,
    Role,
    ServiceType,
    Workplace,
)
from fagnett.places.models import HealthRegion, HealthTrust, Municipality
from tests.conftest import add_member, login, make_user
from tests.helpers import count_queries, nb

STAVANGER_HF = "Helse Stavanger HF"
UNN_HF = "Universitetssykehuset Nord-Norge HF"
HELSE_VEST = "Helse Vest RHF"
HELSE_SOR_OST = "Helse Sør-Øst RHF"


def grant(user: User, kind: str, *, trust: str | None = None, region: str | None = None) -> ReaderScope:
    return ReaderScope.objects.create(
        user=user,
        kind=kind,
        health_trust=HealthTrust.objects.get(name=trust) if trust else None,
        health_region=HealthRegion.objects.get(name=region) if region else None,
    )


def network_in(name: str, slug: str, *numbers: str) -> Network:
    network = Network.objects.create(name=name, slug=slug)
    network.municipalities.set(Municipality.objects.filter(number__in=numbers))
    return network


@pytest.fixture
def tromso(db: None) -> Network:
    """A network in Tromsø (5501), in the University Hospital of North Norway's area, Helse Nord."""
    return network_in("Lindrende nettverk Tromsø", "tromso", "5501")


@pytest.fixture
def persons(network: Network, rita: User) -> list[Person]:
    """Resource persons of `network` with workplaces and e-mail addresses (Rita among them)."""
    home_care = Workplace.objects.create(
        network=network,
        name="Hillevåg hjemmetjeneste",
        service_type=ServiceType.objects.get(code=ServiceType.HOME_CARE, network=None),
        municipality=Municipality.objects.get(number="1103"),
    )
    for email in ("hanne.hjemme@example.no", "per.pleie@example.no"):
        add_member(network, None, email, Role.RESOURCE_PERSON, dt.date(2023, 1, 1))
    Person.objects.filter(network=network).update(workplace=home_care, phone="40000000")
    for person, last_name in zip(
        Person.objects.filter(network=network), ("Hjemmeli", "Pleiestad", "Ressursen"), strict=True
    ):
        person.last_name = last_name
        person.save(update_fields=["last_name"])
    return list(Person.objects.filter(network=network))


@pytest.fixture
def trust_reader(network: Network) -> User:
    user = make_user("tove@example.no", "Tove Helseforetak")
    grant(user, ReaderScopeKind.HEALTH_TRUST, trust=STAVANGER_HF)
    return user


@pytest.fixture
def region_reader(network: Network) -> User:
    user = make_user("rune@example.no", "Rune Region")
    grant(user, ReaderScopeKind.HEALTH_REGION, region=HELSE_VEST)
    return user


@pytest.fixture
def site_reader(network: Network) -> User:
    user = make_user("siri@example.no", "Siri Sentral")
    grant(user, ReaderScopeKind.SITE)
    return user


def url(name: str, network: Network, *args: object) -> str:
    return reverse(f"networks:{name}", args=[network.slug, *args])


# --- reading through a scope ---


@pytest.mark.parametrize("reader", ["trust_reader", "region_reader", "site_reader"])
def test_a_scoped_reader_sees_the_dashboard_and_coverage_without_contact_details(
    client: Client, reader: str, network: Network, persons: list[Person], request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(reader))
    for name in ("dashboard", "coverage"):
        response = client.get(url(name, network))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert network.name in html
        for person in persons:
            assert person.email not in html, (name, person.email)
            assert person.last_name not in html, (name, person.last_name)
        assert "40000000" not in html


@pytest.mark.parametrize("reader", ["trust_reader", "region_reader", "site_reader"])
def test_a_scoped_reader_gets_404_on_persons(
    client: Client, reader: str, network: Network, persons: list[Person], request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(reader))
    person = persons[0]
    membership = Membership.objects.filter(person=person).first()
    assert membership is not None
    for path in (
        url("roster", network),
        url("roster_export", network, "xlsx"),
        url("person_detail", network, person.pk),
        url("person_edit", network, person.pk),
        url("person_create", network),
        url("membership_end", network, membership.pk),
        url("workplaces", network),
        url("settings", network),
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize("reader", ["trust_reader", "region_reader"])
def test_a_scoped_reader_gets_404_on_a_network_outside_the_area(
    client: Client, reader: str, tromso: Network, request: pytest.FixtureRequest
) -> None:
    login(client, request.getfixturevalue(reader))
    assert client.get(url("dashboard", tromso)).status_code == 404
    assert client.get(url("coverage", tromso)).status_code == 404


def test_a_site_wide_reader_reads_every_network(client: Client, site_reader: User, tromso: Network) -> None:
    login(client, site_reader)
    assert client.get(url("dashboard", tromso)).status_code == 200
    assert client.get(url("coverage", tromso)).status_code == 200


def test_a_health_trust_reader_reads_a_network_outside_its_area_only_by_its_own_scope(
    client: Client, trust_reader: User, tromso: Network
) -> None:
    grant(trust_reader, ReaderScopeKind.HEALTH_TRUST, trust=UNN_HF)
    assert login(client, trust_reader).get(url("dashboard", tromso)).status_code == 200


def test_a_removed_scope_closes_the_door_again(client: Client, trust_reader: User, network: Network) -> None:
    login(client, trust_reader)
    assert client.get(url("dashboard", network)).status_code == 200
    ReaderScope.objects.filter(user=trust_reader).delete()
    assert client.get(url("dashboard", network)).status_code == 404
    assert client.get(url("coverage", network)).status_code == 404


def test_a_scope_does_not_reach_a_network_without_municipalities(trust_reader: User) -> None:
    empty = Network.objects.create(name="Uten område", slug="uten-omrade")
    assert empty not in networks_read_by(trust_reader)
    assert access_for(trust_reader, empty).is_reader is False


# --- which networks are listed ---


def test_networks_read_by_lists_exactly_the_networks_in_the_scopes(
    trust_reader: User, region_reader: User, site_reader: User, network: Network, tromso: Network
) -> None:
    bergen = network_in("Lindrende nettverk Bergen", "bergen-vest", "4601")  # Helse Bergen, Helse Vest
    assert list(networks_read_by(trust_reader)) == [network]
    assert list(networks_read_by(region_reader)) == [network, bergen]
    assert list(networks_read_by(site_reader)) == [network, bergen, tromso]


def test_a_network_reached_in_several_ways_is_listed_once(network: Network, alice: User) -> None:
    # Oslo belongs to several health trusts' catchment areas (by city district), all in Helse Sør-Øst.
    oslo = network_in("Barnepalliasjon Oslo", "oslo", "0301", "3201")
    grant(alice, ReaderScopeKind.HEALTH_REGION, region=HELSE_SOR_OST)
    grant(alice, ReaderScopeKind.HEALTH_TRUST, trust="Oslo universitetssykehus HF")
    grant(alice, ReaderScopeKind.HEALTH_TRUST, trust="Lovisenberg Diakonale Sykehus")
    grant(alice, ReaderScopeKind.HEALTH_TRUST, trust=STAVANGER_HF)  # also reaches the network she coordinates
    grant(alice, ReaderScopeKind.SITE)
    assert list(networks_read_by(alice)) == [oslo, network]
    assert list(networks_for_user(alice)) == [oslo, network]


def test_networks_for_user_adds_the_scoped_networks_to_the_roles(
    trust_reader: User, network: Network, tromso: Network
) -> None:
    add_member(tromso, trust_reader, trust_reader.email, Role.COORDINATOR, dt.date(2020, 1, 1))
    assert list(networks_for_user(trust_reader)) == [network, tromso]


def test_users_without_scopes_read_nothing_through_scopes(
    nobody: User, charlie: User, network: Network, other_network: Network
) -> None:
    grant(make_user("annen@example.no"), ReaderScopeKind.SITE)  # someone else's scope grants them nothing
    assert list(networks_read_by(nobody)) == []
    assert list(networks_read_by(charlie)) == []
    assert list(networks_for_user(charlie)) == [other_network]


def test_the_access_query_count_does_not_grow_with_the_scopes(
    trust_reader: User, network: Network, tromso: Network
) -> None:
    few = count_queries(lambda: access_for(trust_reader, network))
    grant(trust_reader, ReaderScopeKind.HEALTH_TRUST, trust=UNN_HF)
    grant(trust_reader, ReaderScopeKind.HEALTH_TRUST, trust="Helse Bergen HF")
    grant(trust_reader, ReaderScopeKind.HEALTH_REGION, region=HELSE_VEST)
    grant(trust_reader, ReaderScopeKind.HEALTH_REGION, region=HELSE_SOR_OST)
    grant(trust_reader, ReaderScopeKind.SITE)
    assert count_queries(lambda: access_for(trust_reader, network)) == few
    assert count_queries(lambda: list(networks_for_user(trust_reader))) == 1


# --- the admin ---

ADD = reverse("admin:networks_readerscope_add")
LIST = reverse("admin:networks_readerscope_changelist")


def test_a_site_administrator_grants_a_health_trust_scope_and_it_is_audited(
    client: Client, admin_user: User, rolf: User
) -> None:
    trust = HealthTrust.objects.get(name=STAVANGER_HF)
    response = login(client, admin_user).post(
        ADD, {"user": rolf.pk, "kind": ReaderScopeKind.HEALTH_TRUST, "health_trust": trust.pk}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    scope = ReaderScope.objects.get(user=rolf)
    assert (scope.kind, scope.health_trust, scope.health_region) == (
        ReaderScopeKind.HEALTH_TRUST,
        trust,
        None,
    )
    entry = AuditEntry.objects.get(action="admin.readerscope.created", target_id=str(scope.pk))
    assert entry.actor == admin_user
    assert entry.data == {}


def test_the_admin_refuses_a_health_trust_scope_without_a_trust(
    client: Client, admin_user: User, rolf: User
) -> None:
    response = login(client, admin_user).post(ADD, {"user": rolf.pk, "kind": ReaderScopeKind.HEALTH_TRUST})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["health_trust"] == [nb("Choose the health trust.")]
    assert not ReaderScope.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="admin.readerscope").exists()


def test_the_admin_refuses_a_region_scope_without_a_region(
    client: Client, admin_user: User, rolf: User
) -> None:
    response = login(client, admin_user).post(ADD, {"user": rolf.pk, "kind": ReaderScopeKind.HEALTH_REGION})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["health_region"] == [
        nb("Choose the regional health authority.")
    ]
    assert not ReaderScope.objects.exists()


def test_a_site_wide_scope_drops_a_trust_chosen_by_mistake(
    client: Client, admin_user: User, rolf: User
) -> None:
    trust = HealthTrust.objects.get(name=STAVANGER_HF)
    response = login(client, admin_user).post(
        ADD, {"user": rolf.pk, "kind": ReaderScopeKind.SITE, "health_trust": trust.pk}
    )
    assert response.status_code == 302
    scope = ReaderScope.objects.get(user=rolf)
    assert (scope.kind, scope.health_trust) == (ReaderScopeKind.SITE, None)


def test_a_change_in_the_admin_logs_the_field_names_only(
    client: Client, admin_user: User, trust_reader: User
) -> None:
    scope = ReaderScope.objects.get(user=trust_reader)
    unn = HealthTrust.objects.get(name=UNN_HF)
    response = login(client, admin_user).post(
        reverse("admin:networks_readerscope_change", args=[scope.pk]),
        {"user": trust_reader.pk, "kind": ReaderScopeKind.HEALTH_TRUST, "health_trust": unn.pk},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get(action="admin.readerscope.updated", target_id=str(scope.pk))
    assert entry.fields == ["health_trust"]
    assert entry.data == {}
    assert str(unn.pk) not in entry.fields


def test_a_removal_in_the_admin_is_audited_and_closes_the_door(
    client: Client, admin_user: User, trust_reader: User, network: Network
) -> None:
    scope = ReaderScope.objects.get(user=trust_reader)
    response = login(client, admin_user).post(
        reverse("admin:networks_readerscope_delete", args=[scope.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not ReaderScope.objects.exists()
    assert AuditEntry.objects.filter(action="admin.readerscope.deleted", target_id=str(scope.pk)).exists()
    assert login(client, trust_reader).get(url("dashboard", network)).status_code == 404


def test_a_bulk_removal_in_the_admin_is_audited(
    client: Client, admin_user: User, trust_reader: User, region_reader: User
) -> None:
    pks = list(ReaderScope.objects.values_list("pk", flat=True))
    response = login(client, admin_user).post(
        LIST, {"action": "delete_selected", "_selected_action": pks, "post": "yes"}
    )
    assert response.status_code == 302
    assert not ReaderScope.objects.exists()
    assert AuditEntry.objects.filter(action="admin.readerscope.deleted").count() == 2


def test_the_admin_list_shows_user_kind_and_area_and_searches_by_email(
    client: Client, admin_user: User, trust_reader: User, region_reader: User, site_reader: User
) -> None:
    login(client, admin_user)
    html = client.get(LIST).content.decode()
    for text in ("tove@example.no", STAVANGER_HF, HELSE_VEST, "siri@example.no"):
        assert text in html
    found = client.get(LIST, {"q": "tove@example"}).content.decode()
    assert "tove@example.no" in found
    assert "rune@example.no" not in found
    filtered = client.get(LIST, {"kind__exact": ReaderScopeKind.SITE}).content.decode()
    assert "siri@example.no" in filtered
    assert "tove@example.no" not in filtered


def test_the_admin_finds_users_for_the_user_field_by_email(
    client: Client, admin_user: User, rolf: User
) -> None:
    response = login(client, admin_user).get(
        reverse("admin:autocomplete"),
        {"term": "rolf", "app_label": "networks", "model_name": "readerscope", "field_name": "user"},
    )
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(rolf.pk)]


@pytest.mark.parametrize("persona", ["alice", "trust_reader"])
def test_only_site_administrators_reach_the_scope_admin(
    client: Client, persona: str, request: pytest.FixtureRequest
) -> None:
    response = login(client, request.getfixturevalue(persona)).get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# --- the start page ---

HOME = reverse("core:home")


def test_a_scoped_reader_starts_on_the_list_with_links_to_the_overview(
    client: Client, trust_reader: User, network: Network
) -> None:
    response = login(client, trust_reader).get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("overview:networks")}"' in html
    assert f'href="{reverse("overview:map")}"' in html
    assert nb("Overview of networks") in html
    assert url("dashboard", network) in html


def test_a_coordinator_of_several_networks_gets_the_links_to_the_overview(
    client: Client, alice: User, other_network: Network
) -> None:
    add_member(other_network, alice, alice.email, Role.COORDINATOR, dt.date(2020, 1, 1))
    html = login(client, alice).get(HOME).content.decode()
    assert f'href="{reverse("overview:networks")}"' in html
    assert f'href="{reverse("overview:map")}"' in html


@pytest.mark.parametrize("persona", ["nobody", "rita", "rolf"])
def test_users_without_scope_or_coordinator_role_get_no_overview_links(
    client: Client, persona: str, other_network: Network, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    if persona != "nobody":
        # A second network keeps them on the list rather than sending them straight to their network.
        add_member(other_network, user, user.email, Role.RESOURCE_PERSON, dt.date(2020, 1, 1))
    response = login(client, user).get(HOME)
    assert response.status_code == 200
    assert reverse("overview:networks") not in response.content.decode()


def test_the_start_page_query_count_does_not_grow_with_scopes_or_networks(
    client: Client, site_reader: User, network: Network
) -> None:
    login(client, site_reader)
    few = count_queries(lambda: client.get(HOME))
    network_in("Lindrende nettverk Tromsø", "tromso", "5501")
    network_in("Lindrende nettverk Bergen", "bergen-vest", "4601")
    grant(site_reader, ReaderScopeKind.HEALTH_TRUST, trust=STAVANGER_HF)
    grant(site_reader, ReaderScopeKind.HEALTH_REGION, region=HELSE_VEST)
    add_member(network, site_reader, site_reader.email, Role.COORDINATOR, dt.date(2020, 1, 1))
    assert count_queries(lambda: client.get(HOME)) == few
