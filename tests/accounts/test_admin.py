from __future__ import annotations

from django.test import Client
from django.urls import reverse

from fagnett.accounts.models import User
from fagnett.audit.models import AuditEntry
from fagnett.networks.models import Network, Person
from tests.conftest import login


def test_a_site_administrator_creates_a_user_in_the_admin_and_it_is_audited(
    client: Client, admin_user: User
) -> None:
    response = login(client, admin_user).post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Ny.Bruker@Example.no",
            "name": "Ny Bruker",
            "usable_password": "true",
            "password1": "et-langt-passord-77",
            "password2": "et-langt-passord-77",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="ny.bruker@example.no")
    assert AuditEntry.objects.filter(
        action="admin.user.created", target_id=str(user.pk), actor=admin_user
    ).exists()


def test_admin_changes_to_a_person_log_the_field_names(
    client: Client, admin_user: User, network: Network
) -> None:
    person = Person.objects.create(
        network=network, first_name="Ola", last_name="Nordmann", email="ola@example.no"
    )
    login(client, admin_user).post(
        reverse("admin:networks_person_change", args=[person.pk]),
        {
            "network": network.pk,
            "first_name": "Ola",
            "last_name": "Nordmann",
            "email": "ola@example.no",
            "phone": "40000000",
        },
    )
    entry = AuditEntry.objects.get(action="admin.person.updated")
    assert entry.fields == ["phone"]
    assert "40000000" not in str(entry.data)


def test_only_site_administrators_reach_the_admin(client: Client, alice: User) -> None:
    response = login(client, alice).get(reverse("admin:index"))
    assert response.status_code == 302


def test_a_network_created_in_the_admin_gets_the_default_coverage_rules(
    client: Client, admin_user: User
) -> None:
    from fagnett.networks.models import CoverageRule
    from fagnett.places.models import Municipality

    response = login(client, admin_user).post(
        reverse("admin:networks_network_add"),
        {
            "name": "Lindrende nettverk Nord",
            "slug": "nord",
            "shadowing_hours_per_day": "4",
            "municipalities": [Municipality.objects.get(number="1804").pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    network = Network.objects.get(slug="nord")
    assert network.municipalities.count() == 1
    assert CoverageRule.objects.filter(network=network).count() == 3
    assert AuditEntry.objects.filter(action="admin.network.created", target_id=str(network.pk)).exists()
